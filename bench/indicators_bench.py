"""Decision 766 index on a generated database: scorecards from the counters vs a scan of the facts.

    .venv/bin/python bench/indicators_bench.py [--db motcua_bench_indicators] [--repeat 7]
    .venv/bin/python bench/indicators_bench.py --parts day [--day 2026-10-15] [--sample 2000]

Run bench/indicators_generate.py first. For each case (national year, a province for a quarter
rolled up to today's units, the same province's old code as filed, the busiest agency for a month)
it times `selectors.scorecard()` (what the pages and the API call: the daily counters) against the
baseline measured in the same run: the same figures computed by conditional aggregation over the
per-dossier fact rows (what a request would cost without the counters). Then the cost of one
outbox event (`refresh_dossier` on dossiers of the last 45 days) and of the nightly
`recompute --days 45`, twice (the second run must give the same counters).

`--parts day` (not in the default parts) is the incremental update of one day: every status change
of a working day is one outbox event (`dossier.*`, handled by `refresh_dossier`), replayed in the
order they happened. The day defaults to the weekday of the last 120 days (before the last 30,
where the generator piles its open dossiers) with the median number of changes: a steady-state
day. `--sample` replays only that many of them, chosen at random, and extrapolates to the day.
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


def typical_day():
    """(day, changes): the weekday with the median number of status changes, 30 to 120 days ago."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT (at AT TIME ZONE %s)::date AS day, count(*) FROM dossiers_statuschange
            WHERE at >= %s AND at < %s GROUP BY 1 HAVING extract(isodow FROM (at AT TIME ZONE %s)::date) < 6
            ORDER BY 2""", [str(timezone.get_current_timezone()), today - timezone.timedelta(days=120),
                            today - timezone.timedelta(days=30), str(timezone.get_current_timezone())])
        rows = cursor.fetchall()
    return rows[len(rows) // 2]


def one_day(day_arg: str | None, sample: int | None) -> None:
    """Replay one working day of outbox events (one per status change) through refresh_dossier."""
    from datetime import date, datetime, timedelta
    from datetime import time as dtime

    from django.db import transaction
    from django.db.models import Count, Min
    from django.utils import timezone

    from motcua.dossiers.models import StatusChange
    from motcua.indicators import services
    from motcua.indicators.models import DossierFact

    day = date.fromisoformat(day_arg) if day_arg else typical_day()[0]
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, dtime.min, tzinfo=tz)
    events = list(StatusChange.objects.filter(at__gte=start, at__lt=start + timedelta(days=1))
                  .order_by("at", "pk").values_list("dossier_id", flat=True))
    span = StatusChange.objects.aggregate(first=Min("at"), n=Count("pk"))
    per_day = span["n"] / max(1, sum(1 for i in range((timezone.localdate() - span["first"].date()).days)
                                      if (span["first"].date() + timedelta(days=i)).isoweekday() < 6))
    replay = events
    if sample and sample < len(events):
        picked = sorted(random.Random(766).sample(range(len(events)), sample))
        replay = [events[i] for i in picked]
    print(f"\nCập nhật tăng dần một ngày ({day}, {len(events):,} thay đổi trạng thái = sự kiện outbox; trung bình "
          f"{per_day:,.0f} thay đổi/ngày làm việc trên toàn bộ dữ liệu), phát lại {len(replay):,} sự kiện:")
    # On a built index every fact is already right: the replay times the read-and-compare path.
    # The write path (counters moved, fact rewritten) is timed by deleting each fact row first, inside
    # a transaction rolled back at the end, so the database is left as it was.
    for label, write in (("đọc và so sánh (chỉ số đã đúng)", False), ("ghi (dòng hồ sơ được viết lại)", True)):
        started = time.perf_counter()
        if not write:  # each event in its own transaction, as the outbox worker runs it
            for dossier_id in replay:
                services.refresh_dossier(dossier_id)
            seconds = time.perf_counter() - started
        else:
            try:
                with transaction.atomic():
                    for dossier_id in replay:
                        DossierFact.objects.filter(dossier_id=dossier_id).delete()
                        services.refresh_dossier(dossier_id)
                    seconds = time.perf_counter() - started
                    raise RollbackError
            except RollbackError:
                pass
        per_event = seconds / max(1, len(replay))
        print(f"  {label}: {seconds:.1f} s = {per_event * 1000:.1f} ms/sự kiện, {1 / per_event:,.1f} sự kiện/s; "
              f"cả ngày ≈ {per_event * len(events):,.0f} s.")


class RollbackError(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--parts", default="cases,event,nightly",
                        help="comma-separated, among cases, event, nightly, day (default: the first three)")
    parser.add_argument("--day", help="with --parts day: the day to replay (YYYY-MM-DD; default a typical day)")
    parser.add_argument("--sample", type=int, help="with --parts day: replay only this many of its events")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if parts - {"cases", "event", "nightly", "day"}:
        raise SystemExit(f"--parts: phần không có {sorted(parts - {'cases', 'event', 'nightly', 'day'})}")
    check_name(args.db)
    setup_django(args.db)
    if "day" in parts:
        one_day(args.day, args.sample)
    if "cases" in parts:
        scorecards(args.repeat)
    if "event" in parts:
        one_event(args.events)
    if "nightly" in parts:
        nightly()


def scorecards(repeat: int) -> None:
    from django.db.models import Count

    from motcua.indicators import selectors
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
    print(f"\n{total:,} hồ sơ trong bảng DossierFact; mỗi thời gian là trung vị của {repeat} lần chạy.\n")
    print("| trường hợp | hồ sơ trong kỳ | scorecard() ms | truy vấn | số liệu hồ sơ từ bảng đếm ms "
          "| cùng số liệu quét DossierFact ms | gấp |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, code, period, units_as, label in cases:
        case = (kind, code, period)
        fast, queries, card = timed(lambda c=case, u=units_as: selectors.scorecard(*c, units_as=u), repeat)
        slow, _q, figures = timed(lambda c=case, u=units_as: baseline(*c, u), repeat)
        count_ms, _q, summed = timed(lambda c=case, u=units_as: counters(*c, u), repeat)
        assert figures["n_received"] == card.received == summed["received"], (figures["n_received"], card.received)
        assert figures["n_late"] == summed["late"]
        print(f"| {label} | {card.received:,} | {fast:.1f} | {queries} | {count_ms:.1f} | {slow:.1f} "
              f"| {slow / count_ms:.1f}× |")


def one_event(events: int) -> None:
    from django.utils import timezone

    from motcua.dossiers.models import Dossier
    from motcua.indicators import services

    since = timezone.now() - timezone.timedelta(days=45)
    ids = list(Dossier.objects.filter(received_at__gte=since).values_list("pk", flat=True)[:5000])
    random.Random(766).shuffle(ids)
    ids = ids[:events]
    started = time.perf_counter()
    for pk in ids:
        services.refresh_dossier(pk)
    per_event = (time.perf_counter() - started) * 1000 / max(len(ids), 1)
    print(f"\nMột sự kiện outbox (refresh_dossier, {len(ids)} hồ sơ 45 ngày gần nhất): {per_event:.1f} ms/sự kiện")


def nightly() -> None:
    from motcua.indicators import services

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
