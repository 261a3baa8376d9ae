"""Shared by the search benchmarks: the labelled queries, scratch databases, one worker per backend.

Each benchmark runs one child process per database backend (Django settings are per process),
on scratch databases it creates itself and never on the development database:

- SQLite: `<workdir>/<name>.sqlite3` (default workdir /tmp/motcua-bench)
- PostgreSQL: database `motcua_<name>` on $MOTCUA_BENCH_PG (default postgres://postgres@127.0.0.1:5432)

where <name> is the benchmark's (search_quality, search_latency), so that one never reuses the
other's data.

The child loads the real catalogue (units, agencies, the bundled procedures) with the importer,
as `motcua setup` does, then runs the measurement and prints one JSON object on stdout.
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
QUERIES_PATH = BENCH_DIR / "queries" / "search_queries.csv"
DEFAULT_WORKDIR = Path(os.environ.get("MOTCUA_BENCH_DIR", "/tmp/motcua-bench"))
DEFAULT_PG = os.environ.get("MOTCUA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BACKENDS = ("sqlite", "postgresql")


def load_queries(path: Path = QUERIES_PATH) -> list[dict]:
    """The labelled queries: query, category, expected (set of codes any of which is right)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    queries = []
    for line, row in enumerate(rows, start=2):
        expected = row["expected"].split()
        if not row["query"] or not expected:
            raise SystemExit(f"{path.name} dòng {line}: thiếu query hoặc expected")
        queries.append({"query": row["query"], "category": row["category"], "expected": expected})
    return queries


def database_url(backend: str, workdir: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / f'{name}.sqlite3'}"
    if backend == "postgresql":
        return f"{DEFAULT_PG.rstrip('/')}/motcua_{name}"
    raise SystemExit(f"Không biết backend {backend!r}: chọn trong {', '.join(BACKENDS)}")


def reset_database(backend: str, workdir: Path, name: str) -> None:
    """Drop and recreate the scratch database (never the development one)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            path = workdir / f"{name}.sqlite3{suffix}"
            if path.exists():
                path.unlink()
        return
    import psycopg

    with psycopg.connect(f"{DEFAULT_PG.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS motcua_{name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE motcua_{name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def ensure_real_catalogue() -> int:
    """Migrate and load the real catalogue unless the scratch database already has it."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from motcua.catalog.models import SearchDocument

    if not SearchDocument.objects.exists():
        from motcua.catalog.importer import BUNDLED_SOURCES, import_sources
        from motcua.units.loading import load_agencies, load_units

        load_units()
        load_agencies()
        report = import_sources(BUNDLED_SOURCES, progress=lambda done, total: None)
        if report.errors:
            raise SystemExit(f"Nhập danh mục lỗi: {report.errors[:3]}")
    return SearchDocument.objects.count()


def run_workers(script: Path, backends: list[str], workdir: Path, extra: list[str]) -> dict[str, dict]:
    """Run `script --worker BACKEND` once per backend; collect the JSON each prints last."""
    results = {}
    for backend in backends:
        command = [sys.executable, str(script), "--worker", backend, "--workdir", str(workdir), *extra]
        print(f"… {backend}", file=sys.stderr, flush=True)
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"{script.name} ({backend}) thất bại, mã {done.returncode}")
        results[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table (it reads fine in a terminal and pastes into docs/benchmarks.md)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]

    def line(values):
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in cells)
    return "\n".join(out)
