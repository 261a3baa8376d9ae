"""Decision 766 index on a generated database: scorecards from the counters vs a scan of the facts.

    .venv/bin/python bench/indicators_bench.py [--db motcua_bench_indicators] [--repeat 7]

Run bench/indicators_generate.py first. For each case (national year, a province for a quarter
rolled up to today's units, the same province's old code as filed, the busiest agency for a month)
it times `selectors.scorecard()` (what the pages and the API call: the daily counters) against the
baseline measured in the same run: the same figures computed by conditional aggregation over the
per-dossier fact rows (what a request would cost without the counters). Then the cost of one
outbox event (`refresh_dossier` on dossiers of the last 45 days) and of the nightly
`recompute --days 45`, twice (the second run must give the same counters).
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate_dossiers import check_name, setup_django  # noqa: E402
from indicators_generate import DEFAULT_DB  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, int, object]:
    """Median milliseconds over `repeat` runs (after one warm-up), queries of one run, the result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), len(ctx), result


def baseline(kind: str, code: str, period: str, units_as: str):
    """The dossier figures of the scorecard straight from DossierFact (one row per dossier)."""
    from django.db.models import Count, Q, Sum

    from motcua.indicators import selectors
    from motcua.indicators.periods import parse_period
    from motcua.indicators.scopes import AgencyMap, resolve
    from motcua.indicators.services import _daily_aggregates

    p = parse_period(period)
    _scope, ids = resolve(kind, code, units_as=units_as, period=p, amap=AgencyMap())
    qs = selectors.DossierFact.objects.filter(day__gte=p.start, day__lte=p.end)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    cutoff = selectors.late_cutoff(p)
    return qs.aggregate(**{f"n_{k}": v for k, v in _daily_aggregates().items()},
                        n_late=Count("pk", filter=Q(late_on__lte=cutoff)), n_hours=Sum("processing_hours"))


def counters(kind: str, code: str, period: str, units_as: str):
    """The same dossier figures from the daily counters (what scorecard() reads for them)."""
    from django.db.models import Sum

    from motcua.indicators import selectors
    from motcua.indicators.models import COUNTERS, DailyAgencyFact, DailyLateFact
    from motcua.indicators.periods import parse_period
    from motcua.indicators.scopes import AgencyMap, resolve

    p = parse_period(period)
    _scope, ids = resolve(kind, code, units_as=units_as, period=p, amap=AgencyMap())
    filt = {"day__gte": p.start, "day__lte": p.end, **({} if ids is None else {"agency_id__in": ids})}
    daily = DailyAgencyFact.objects.filter(**filt).aggregate(**{c: Sum(c, default=0) for c in COUNTERS})
    daily["late"] = DailyLateFact.objects.filter(**filt, late_on__lte=selectors.late_cutoff(p)).aggregate(
        n=Sum("n", default=0))["n"]
    return daily


def checksum():
    from django.db.models import Count, Sum

    from motcua.indicators.models import COUNTERS, DailyAgencyFact, DailyLateFact

    return (DailyAgencyFact.objects.aggregate(rows=Count("pk"), **{c: Sum(c) for c in COUNTERS}),
            DailyLateFact.objects.aggregate(rows=Count("pk"), n=Sum("n")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    check_name(args.db)
    setup_django(args.db)
    from django.db.models import Count
    from django.utils import timezone

    from motcua.dossiers.models import Dossier
    from motcua.indicators import selectors, services
    from motcua.indicators.models import DossierFact

    total = DossierFact.objects.count()
    busiest = (DossierFact.objects.values("agency__organ_code", "agency__slug").annotate(n=Count("pk"))
               .order_by("-n").first())
    agency_code = busiest["agency__organ_code"] or busiest["agency__slug"]
    cases = [
        ("national", "VN", "2026", "today", "toàn quốc, năm 2026"),
        ("province", "80", "2026-Q3", "today", "tỉnh 80 (Tây Ninh mới), quý III/2026"),
        ("province", "2004:72", "2025-Q1", "as_filed", "tỉnh 72 cũ theo đơn vị khi nộp, quý I/2025"),
        ("agency", agency_code, "2026-10", "today", f"cơ quan {agency_code}, tháng 10/2026"),
    ]
    print(f"\n{total:,} hồ sơ trong bảng DossierFact; mỗi thời gian là trung vị của {args.repeat} lần chạy.\n")
    print("| trường hợp | hồ sơ trong kỳ | scorecard() ms | truy vấn | số liệu hồ sơ từ bảng đếm ms "
          "| cùng số liệu quét DossierFact ms | gấp |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, code, period, units_as, label in cases:
        case = (kind, code, period)
        fast, queries, card = timed(lambda c=case, u=units_as: selectors.scorecard(*c, units_as=u), args.repeat)
        slow, _q, figures = timed(lambda c=case, u=units_as: baseline(*c, u), args.repeat)
        count_ms, _q, summed = timed(lambda c=case, u=units_as: counters(*c, u), args.repeat)
        assert figures["n_received"] == card.received == summed["received"], (figures["n_received"], card.received)
        assert figures["n_late"] == summed["late"]
        print(f"| {label} | {card.received:,} | {fast:.1f} | {queries} | {count_ms:.1f} | {slow:.1f} "
              f"| {slow / count_ms:.1f}× |")

    since = timezone.now() - timezone.timedelta(days=45)
    ids = list(Dossier.objects.filter(received_at__gte=since).values_list("pk", flat=True)[:5000])
    random.Random(766).shuffle(ids)
    ids = ids[: args.events]
    started = time.perf_counter()
    for pk in ids:
        services.refresh_dossier(pk)
    per_event = (time.perf_counter() - started) * 1000 / max(len(ids), 1)
    print(f"\nMột sự kiện outbox (refresh_dossier, {len(ids)} hồ sơ 45 ngày gần nhất): {per_event:.1f} ms/sự kiện")

    before = checksum()
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        counts = services.recompute(45)
        runs.append(time.perf_counter() - started)
    same = checksum() == before
    print(f"Tính lại hằng đêm (--days 45, {counts['dossiers']:,} hồ sơ): {runs[0]:.1f} s rồi {runs[1]:.1f} s; "
          f"bảng đếm sau khi tính lại {'giống hệt' if same else 'KHÁC'} bảng đếm do các sự kiện dựng.")


if __name__ == "__main__":
    main()
