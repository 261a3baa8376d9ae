"""Compliance-cost report over many real procedures (the Hà Nội 2025 plan had 293).

    DATABASE_URL=postgres://…/motcua_x .venv/bin/python bench/reform_bench.py [--count 293] [--repeat 5]

Needs a database with the catalogue (`motcua setup`). Times `services.procedures_report` (the
command and the pages use it) for the first N procedures by code, with the online scenario, and
the XLSX export of the result; baseline in the same run: the same report computed one procedure
at a time (one report call per code), as a caller without the bulk path would.
"""

import argparse
import os
import statistics
import time


def timed(fn, repeat: int):
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=293)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.catalog.models import Procedure
    from motcua.reform import exports, services

    codes = list(Procedure.objects.filter(current_version__isnull=False).order_by("code")
                 .values_list("code", flat=True)[: args.count])
    bulk, bulk_queries, report = timed(lambda: services.procedures_report(codes, scenario="online"), args.repeat)
    single, single_queries, _r = timed(
        lambda: [services.procedures_report([c], scenario="online") for c in codes], max(1, args.repeat // 2))
    xlsx, _q, data = timed(lambda: exports.to_xlsx(report), args.repeat)
    print(f"\n{len(codes)} thủ tục; trung vị của {args.repeat} lần.\n")
    print("| cách tính | ms | truy vấn |")
    print("|---|---:|---:|")
    print(f"| báo cáo một lần cho cả danh sách | {bulk:.0f} | {bulk_queries} |")
    print(f"| từng thủ tục một (đường cơ sở) | {single:.0f} | {single_queries} |")
    print(f"| xuất XLSX ({len(data) // 1024} KB) | {xlsx:.0f} | 0 |")


if __name__ == "__main__":
    main()
