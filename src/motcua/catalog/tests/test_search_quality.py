"""Search quality does not regress: recall@5 over the labelled queries stays at 0.9 or more.

The queries (bench/queries/search_queries.csv) are what people type: without diacritics,
colloquial, with typos, abbreviations, questions and codes, each with the procedure codes that
answer it. bench/search_quality.py reports the same measure per category, with MRR@10.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from motcua.catalog.search import search_procedures

QUERIES = Path(__file__).resolve().parents[4] / "bench" / "queries" / "search_queries.csv"
MINIMUM_RECALL_AT_5 = 0.9


@pytest.mark.django_db
def test_recall_at_5_over_the_labelled_queries():
    with open(QUERIES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 80
    found: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for row in rows:
        expected = set(row["expected"].split())
        top = [h.code for h in search_procedures(row["query"], limit=5, with_facets=False).hits]
        hit = bool(expected & set(top))
        found[row["category"]].append(hit)
        if not hit:
            misses.append(f"{row['category']}: {row['query']!r} → {top}, expected {sorted(expected)}")
    recall = sum(sum(v) for v in found.values()) / len(rows)
    per_category = {c: round(sum(v) / len(v), 2) for c, v in found.items()}
    assert recall >= MINIMUM_RECALL_AT_5, f"recall@5 {recall:.3f} {per_category}\n" + "\n".join(misses)
    assert len(found) >= 6  # every kind of query is represented
