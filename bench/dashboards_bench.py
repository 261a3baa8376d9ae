"""Public dashboards (/bang-dieu-khien/) on a generated database (1M or more dossiers): page latency.

    .venv/bin/python bench/dashboards_bench.py [--db motcua_bench_indicators] [--repeat 30] [--cold 3]
    MOTCUA_CACHE_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/dashboards_bench.py --db … --warm

Run bench/indicators_generate.py first (it only reads the database). For each case it requests the
dashboard page through Django's test client (URL routing, the engine's selectors, SVG, template) and
prints the median and the 95th percentile, with the number of SQL queries (the computed dashboard
is cached for MOTCUA_DASHBOARD_CACHE_SECONDS, 60 s), and the median and slowest of `--cold` requests with an empty
cache (what the first visitor of a scope in a minute waits). The baseline, measured
in the same run, is the open API's scorecard of the same scope and period
(`/api/v1/indicators/.../scorecard`): one scorecard as JSON, where the page adds the trend (12
months or 4 quarters), the headline and three charts.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate_dossiers import check_name, setup_django  # noqa: E402
from indicators_generate import DEFAULT_DB  # noqa: E402


def measure(client, url: str, repeat: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(ctx)


def cold(client, url: str, runs: int = 3) -> tuple[float, float]:
    """Median and slowest of requests with an empty cache: the first visitor of a scope in a minute."""
    from django.core.cache import cache

    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cold", type=int, default=3, help="requests with an empty cache per case")
    parser.add_argument("--warm", action="store_true",
                        help="also run the warming job once and time the first request of the pages it warmed")
    args = parser.parse_args()
    check_name(args.db)
    setup_django(args.db)
    from django.db.models import Count
    from django.test import Client

    from motcua.indicators.models import DossierFact

    busiest = (DossierFact.objects.values("agency__organ_code", "agency__slug").annotate(n=Count("pk"))
               .order_by("-n").first())
    agency_code = busiest["agency__organ_code"] or busiest["agency__slug"]
    cases = [
        ("province", "80", "2026-10", "today", "tỉnh 80 (Tây Ninh mới), tháng 10/2026, 12 tháng"),
        ("province", "80", "2026-Q3", "today", "tỉnh 80, quý III/2026, 4 quý"),
        ("province", "72", "2025-03", "as_filed", "tỉnh 72 cũ theo đơn vị khi nộp, tháng 3/2025"),
        ("agency", agency_code, "2026-10", "today", f"cơ quan {agency_code}, tháng 10/2026"),
        ("national", "VN", "2026-Q3", "today", "toàn quốc, quý III/2026"),
    ]
    from motcua.units.models import AdministrativeUnit, Edition

    if DossierFact.objects.filter(agency__unit__edition=Edition.CURRENT, agency__unit__code="01").exists():
        # With `--national` data: a province whose dossiers all go to its People's Committee.
        hanoi = AdministrativeUnit.objects.get(edition=Edition.CURRENT, level="province", code="01")
        cases.insert(3, ("province", "01", "2026-10", "today", f"{hanoi.name} (01), tháng 10/2026"))
    client = Client()
    print(f"\nMỗi trường hợp {args.repeat} lần (sau một lần khởi động).\n")
    print(f"| trường hợp | trang: trung vị ms | trang: p95 ms | truy vấn | chưa có cache ({args.cold} lần): trung vị "
          "ms | chưa có cache: chậm nhất ms | API scorecard: trung vị ms | truy vấn |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, code, period, units_as, label in cases:
        page = f"/bang-dieu-khien/{kind}/{code}/?ky={period}&don-vi={units_as}"
        api = f"/api/v1/indicators/{kind}/{code}/scorecard?period={period}&units_as={units_as}"
        first, slowest = cold(client, page, args.cold)
        median, p95, queries = measure(client, page, args.repeat)
        api_median, _p95, api_queries = measure(client, api, args.repeat)
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} | {first:.0f} | {slowest:.0f} | {api_median:.1f} | {api_queries} |")
    if args.warm:
        warmed(client, args.cold)


def percentile(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, max(0, round(q * len(times)) - 1))]


def warmed(client, runs: int) -> None:
    """First request of each page the worker warms (current month, units as today): after the job
    ran once, against the same pages with an empty cache (`runs` times for the national page and
    three provinces, once for every other province)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dashboards import selectors, warming
    from motcua.indicators import selectors as index

    if not warming.shared_cache():
        sys.exit("--warm: set MOTCUA_CACHE_URL to a shared cache (redis://… or db); the memory of one process "
                 "is not warmed.")
    period = selectors.current_period_key()
    pages = [f"/bang-dieu-khien/{s.kind}/{s.code}/" for s in index.scopes("national") + index.scopes("province")]
    sample = [p for p in pages if p.endswith(("/national/VN/", "/province/80/", "/province/01/", "/province/79/"))]
    cold_times: list[float] = []
    for page in pages:
        for _ in range(runs if page in sample else 1):
            cache.clear()
            started = time.perf_counter()
            assert client.get(page).status_code == 200, page
            cold_times.append((time.perf_counter() - started) * 1000)
    cache.clear()
    started = time.perf_counter()
    stored = warming.warm()
    job_seconds = time.perf_counter() - started
    warm_times, queries = [], 0
    for page in pages:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            assert client.get(page).status_code == 200, page
            warm_times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(ctx))
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\nLàm nóng ({backend}, kỳ {period}): công việc dashboards.warm lưu {stored} trang trong {job_seconds:.1f} s.\n")
    print("| lần truy cập đầu của trang tháng hiện tại | số lần | trung vị ms | p95 ms | chậm nhất ms | truy vấn nhiều nhất |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| chưa làm nóng (cache trống) | {len(cold_times)} | {statistics.median(cold_times):.0f} | "
          f"{percentile(cold_times, 0.95):.0f} | {max(cold_times):.0f} | |")
    print(f"| đã làm nóng (sau một lần chạy công việc) | {len(warm_times)} | {statistics.median(warm_times):.1f} | "
          f"{percentile(warm_times, 0.95):.1f} | {max(warm_times):.1f} | {queries} |")


if __name__ == "__main__":
    main()
