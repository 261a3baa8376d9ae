"""Generate N dossiers (default 1,000,000) on a scratch PostgreSQL database and build the index.

    .venv/bin/python bench/indicators_generate.py                      # 1,000,000 into motcua_bench_indicators
    .venv/bin/python bench/indicators_generate.py 200000 --db motcua_bench_indicators_small
    .venv/bin/python bench/indicators_generate.py 10000000 --years 2 --national --stop-at 04:15 \
        --db motcua_bench_indicators_10m        # see generate_dossiers.py for the options

The dossiers are those of bench/generate_dossiers.py (real units, agencies, calendar and
catalogue; three years of dossiers, 85 % closed, 15 % open, some late). Then the Decision 766
aggregate tables are built from them by the nightly rebuild over the whole range
(`indicators.services.recompute`), and its time and the tables' sizes are printed.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate_dossiers import (  # noqa: E402
    add_shape_arguments,
    check_name,
    generate,
    load_real_data,
    reset_database,
    setup_django,
)

DEFAULT_DB = "motcua_bench_indicators"
TABLES = ("indicators_dossierfact", "indicators_dailyagencyfact", "indicators_dailylatefact",
          "indicators_monthlyprocedurefact", "indicators_catalogfact")


def build_index() -> tuple[float, dict, int]:
    """Build every fact from the dossiers; (seconds, counts, days covered)."""
    from django.db.models import Min

    from motcua.dossiers.models import Dossier
    from motcua.indicators import services

    first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    today = date.today()
    days = (today - first.date()).days + 2 if first else 45
    started = time.perf_counter()
    counts = services.recompute(days, today=today)
    return time.perf_counter() - started, counts, days


def table_sizes() -> list[tuple[str, int, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("""
            SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid))
            FROM pg_class c WHERE c.relname = ANY(%s) ORDER BY c.relname""", [list(TABLES)])
        return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--db", default=DEFAULT_DB, help="scratch database (dropped and created again)")
    parser.add_argument("--seed", type=int, default=2026)
    add_shape_arguments(parser)
    args = parser.parse_args()
    check_name(args.db)
    reset_database(args.db)
    setup_django(args.db)
    print(f"Cơ sở dữ liệu {args.db}: nạp dữ liệu thật (motcua setup)…", file=sys.stderr, flush=True)
    setup_seconds = load_real_data()
    print(f"  xong sau {setup_seconds:.0f} s; sinh {args.n:,} hồ sơ…", file=sys.stderr, flush=True)
    result = generate(args.n, args.seed, years=args.years, national=args.national, stop_at=args.stop_at)
    args.n = result["dossiers"]
    print(f"  sinh hồ sơ: {result['timings']['total']:.0f} s ({time.strftime('%H:%M:%S', time.gmtime())}, "
          f"{result['redrawn']:,} lần rút lại cơ quan chưa/hết hiệu lực); dựng bảng chỉ số…", file=sys.stderr,
          flush=True)
    seconds, counts, days = build_index()
    print(f"\n{args.n:,} hồ sơ trên {result['agencies']} cơ quan, {args.years} năm"
          f"{' (34 tỉnh)' if args.national else ''}; {result['open']:,} đang mở, "
          f"{result['late_open']:,} quá hạn.")
    print(f"Dựng toàn bộ bảng chỉ số ({days} ngày): {seconds:.1f} s = {counts['dossiers'] / seconds:,.0f} hồ sơ/s "
          f"({counts['dossiers']:,} hồ sơ đã tiếp nhận, {counts['catalog']:,} phiên bản thủ tục).")
    for name, rows, size in table_sizes():
        print(f"  {name}: {rows:,} dòng, {size}")


if __name__ == "__main__":
    main()
