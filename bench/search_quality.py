"""Search quality over the labelled queries (bench/queries/search_queries.csv), per backend.

    .venv/bin/python bench/search_quality.py                 # SQLite and PostgreSQL, fresh scratch DBs
    .venv/bin/python bench/search_quality.py --backends sqlite --reuse --misses

For every query the expected column lists the procedure codes that answer it (any one is right).
recall@5: share of queries with a right procedure among the first 5 results. MRR@10: mean of
1/rank of the first right procedure within the first 10 (0 when none). Reported per category
and overall, on the real catalogue (2,849 procedures).

The baseline in the same run is the first search interface (commit c447150): every folded word
as a substring of the folded text, ordered by code. It shows what the ranking, the synonym
table and the typo tolerance add.
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_common import (
    BACKENDS,
    DEFAULT_WORKDIR,
    QUERIES_PATH,
    REPO,
    ensure_real_catalogue,
    load_queries,
    reset_database,
    run_workers,
    setup_django,
    table,
)
from search_common import database_url as url_for

NAME = "search_quality"
K_RECALL = 5
K_MRR = 10


def baseline_codes(query: str, limit: int) -> list[str]:
    """The first search: all folded words as substrings of body_folded, by code (no ranking)."""
    from motcua.catalog.choices import VersionStatus
    from motcua.catalog.models import SearchDocument
    from motcua.lib.text import fold

    qs = SearchDocument.objects.exclude(status=VersionStatus.ABOLISHED)
    for word in fold(query).split():
        qs = qs.filter(body_folded__contains=word)
    return list(qs.order_by("code").values_list("code", flat=True)[:limit])


def evaluate(queries: list[dict], ranked) -> dict:
    per_category: dict[str, list[tuple[float, float]]] = defaultdict(list)
    details = []
    for q in queries:
        codes = ranked(q["query"])
        rank = next((i for i, code in enumerate(codes[:K_MRR], start=1) if code in q["expected"]), None)
        hit = 1.0 if rank is not None and rank <= K_RECALL else 0.0
        reciprocal = 1.0 / rank if rank else 0.0
        per_category[q["category"]].append((hit, reciprocal))
        details.append({**q, "rank": rank, "top": codes[:K_RECALL]})
    summary = {}
    everything = [v for values in per_category.values() for v in values]
    for category, values in [*per_category.items(), ("overall", everything)]:
        summary[category] = {
            "n": len(values),
            "recall": sum(h for h, _ in values) / len(values),
            "mrr": sum(r for _, r in values) / len(values),
        }
    return {"summary": summary, "details": details}


def worker(backend: str, workdir: Path, fresh: bool, query_files: list[Path]) -> dict:
    if fresh:
        reset_database(backend, workdir, NAME)
    setup_django(url_for(backend, workdir, NAME))
    documents = ensure_real_catalogue()
    from motcua.catalog.search import search_procedures

    queries = [q for path in query_files for q in load_queries(path)]

    def ranked(query: str) -> list[str]:
        return [h.code for h in search_procedures(query, limit=K_MRR, with_facets=False).hits]

    return {
        "documents": documents,
        "search": evaluate(queries, ranked),
        "baseline": evaluate(queries, lambda q: baseline_codes(q, K_MRR)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated: sqlite,postgresql")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--reuse", action="store_true", help="reuse the scratch databases if they are loaded")
    parser.add_argument("--misses", action="store_true", help="list the queries without a right answer in the top 5")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    parser.add_argument("--queries", type=Path, action="append",
                        help=f"labelled query file(s) (default {QUERIES_PATH.relative_to(REPO)})")
    parser.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        files = args.queries or [QUERIES_PATH]
        print(json.dumps(worker(args.worker, args.workdir, not args.reuse, files), ensure_ascii=False))
        return

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in backends:
        url_for(backend, args.workdir, NAME)  # rejects unknown names before any work
    extra = ["--reuse"] if args.reuse else []
    for path in args.queries or []:
        extra += ["--queries", str(path.resolve())]
    results = run_workers(Path(__file__), backends, args.workdir, extra)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return

    first = results[backends[0]]["search"]["summary"]
    categories = [c for c in first if c != "overall"] + ["overall"]
    headers = ["category", "n"]
    for backend in backends:
        headers += [f"{backend} R@5", f"{backend} MRR@10", f"{backend} baseline R@5"]
    rows = []
    for category in categories:
        row = [category, first[category]["n"]]
        for backend in backends:
            s = results[backend]["search"]["summary"][category]
            b = results[backend]["baseline"]["summary"][category]
            row += [f"{s['recall']:.3f}", f"{s['mrr']:.3f}", f"{b['recall']:.3f}"]
        rows.append(row)
    documents = ", ".join(f"{b}: {results[b]['documents']:,} procedures" for b in backends)
    names = ", ".join(p.name for p in (args.queries or [QUERIES_PATH]))
    print(f"Search quality, {first['overall']['n']} labelled queries in {names} ({documents})\n")
    print(table(headers, rows))
    if args.misses:
        for backend in backends:
            for d in results[backend]["search"]["details"]:
                if d["rank"] is None or d["rank"] > K_RECALL:
                    print(f"MISS [{backend}] {d['category']}: {d['query']!r} expected {d['expected']} got {d['top']}")


if __name__ == "__main__":
    main()
