"""Officials' work queues at 1,000,000 dossiers on PostgreSQL: latency and queries per page.

    .venv/bin/python bench/generate_dossiers.py            # once: 1,000,000 dossiers in motcua_bench
    .venv/bin/python bench/dossiers_queue.py [--requests 200] [--explain]

On the database the generator filled (it is run first when the database holds fewer than
--dossiers dossiers), for two officials: a reception officer of the agency with the most dossiers
(the provincial public-service centre, ~15 % of all) and one of a commune of median volume. For
each queue (mine, agency, due_soon, late, all) and for a search by dossier code and by the
applicant's name, --requests requests each (after 10 untimed), in this process:

- `selector`: `dossiers.selectors.work_queue(...)` and reading its first page (21 rows);
- `API`: GET /api/v1/dossiers?queue=… with a Bearer key, through Django's test Client (the whole
  middleware stack, authentication, the page, JSON), no network;
- `HTML`: the back office page /mot-cua/?hang-doi=… the same way (signed in), when the app exists;
- baseline: a hello-world view (plain HttpResponse) through the same Client and middleware.

Queries per page are counted on one request with limit=20 and one with limit=100: the two must be
equal. --explain prints EXPLAIN (ANALYZE, BUFFERS) of each queue's page query.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(BENCH))

from generate_dossiers import check_name, database_url  # noqa: E402

TARGET_P50_MS, TARGET_P95_MS = 20.0, 50.0
QUEUES = ("mine", "agency", "due_soon", "late", "all")
urlpatterns: list = []  # filled by setup(): the project's URLs and the baseline view


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("Hello, world", content_type="text/plain")


def setup(db: str) -> None:
    os.environ["DATABASE_URL"] = database_url(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.urls import include, path

    urlpatterns[:] = [path("bench/hello", hello), path("", include("motcua.urls"))]
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["*"]


def dossier_count(db: str) -> int:
    import psycopg

    try:
        with psycopg.connect(database_url(db)) as conn:
            return conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]
    except psycopg.Error:
        return 0


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-p * len(ordered) // 100) - 1)]  # nearest rank


def timed(call, n: int) -> list[float]:
    for _ in range(10):
        call()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def officials():
    """A reception officer at the busiest agency and one at a commune of median volume, with keys."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from motcua.accounts.models import ApiToken, StaffMembership
    from motcua.dossiers.models import Dossier
    from motcua.units.models import Agency

    volumes = list(Dossier.objects.values("receiving_agency").annotate(n=Count("id")).order_by("-n"))
    busiest = Agency.objects.get(pk=volumes[0]["receiving_agency"])
    communes = [v for v in volumes if Agency.objects.filter(pk=v["receiving_agency"], level="commune").exists()]
    commune = Agency.objects.get(pk=communes[len(communes) // 2]["receiving_agency"])
    people = []
    for label, agency, n in [("busiest", busiest, volumes[0]["n"]),
                             ("commune", commune, communes[len(communes) // 2]["n"])]:
        user, _ = User.objects.get_or_create(username=f"bench.{label}")
        StaffMembership.objects.get_or_create(user=user, agency=agency, role="reception")
        _token, key = ApiToken.issue(user, "bench")
        people.append({"label": label, "agency": agency, "dossiers": n, "user": user, "key": key})
    return people


def has_back_office() -> bool:
    from django.urls import Resolver404, resolve

    try:
        match = resolve("/mot-cua/")
    except Resolver404:
        return False
    return "portal" not in (match.func.__module__ or "")


def measure_official(person: dict, args, back_office: bool, rng: random.Random) -> list[dict]:
    """Every queue and search of one official: selector, API and (if any) back-office page."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import selectors
    from motcua.dossiers.models import Dossier

    user = User.objects.get(pk=person["user"].pk)
    headers = {"Authorization": f"Bearer {person['key']}"}
    client, browser = Client(), Client()
    browser.force_login(user)
    sample = list(Dossier.objects.filter(receiving_agency=person["agency"]).order_by("?")
                  .values_list("code", "applicant__full_name")[:500])

    def no_term() -> str:
        return ""

    def a_code() -> str:
        return rng.choice(sample)[0]

    def a_name() -> str:
        return rng.choice(sample)[1]

    # The back office names its queues in Vietnamese in the address (?hang-doi=cua-toi).
    slugs = {}
    if back_office:
        from motcua.backoffice.forms import QUEUE_SLUGS

        slugs = {name: slug for slug, name in QUEUE_SLUGS.items()}
    cases = [(queue, queue, no_term) for queue in QUEUES]
    cases += [("search code", "all", a_code), ("search name", "all", a_name)]
    rows = []
    for label, queue, term in cases:
        def selector(queue=queue, term=term):
            return list(selectors.work_queue(user, queue, q=term())[:21])

        def api(queue=queue, term=term, limit=20):
            return client.get("/api/v1/dossiers", {"queue": queue, "q": term(), "limit": limit}, headers=headers)

        def html(queue=queue, term=term):
            return browser.get("/mot-cua/", {"hang-doi": slugs[queue], "q": term()})

        row = {"official": person["label"], "agency": person["agency"].name, "dossiers": person["dossiers"],
               "case": label, "selector": timed(selector, args.requests), "api": timed(api, args.requests)}
        counts = []
        for limit in (20, 100):
            with CaptureQueriesContext(connection) as queries:
                response = api(limit=limit)
            assert response.status_code == 200, response.content[:300]
            counts.append(len(queries))
        row["api_queries"] = counts
        row["rows"] = len(api().json()["items"])
        if back_office:
            row["html"] = timed(html, args.requests)
            with CaptureQueriesContext(connection) as queries:
                html()
            row["html_queries"] = len(queries)
        if args.explain:
            qs = selectors.work_queue(user, queue, q=term())[:21]
            print(f"\n### {person['label']} / {label}\n{qs.explain(analyze=True, buffers=True)}", file=sys.stderr)
        rows.append(row)
        print(f"  {person['label']:8} {label:12} API p50 {statistics.median(row['api']):6.1f} ms",
              file=sys.stderr, flush=True)
    return rows


def measure(args) -> dict:
    from django.test import Client

    client = Client()
    back_office = has_back_office()
    results = {"baseline": timed(lambda: client.get("/bench/hello"), args.requests), "rows": [],
               "back_office": back_office}
    rng = random.Random(7)
    for person in officials():
        results["rows"] += measure_official(person, args, back_office, rng)
    return results


def environment() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        dossiers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dossiers_dossierstep")
        steps = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dossiers_statuschange")
        history = cursor.fetchone()[0]
    return {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "postgresql": version, "dossiers": dossiers,
            "steps": steps, "history": history, "cpus": os.cpu_count(), "python": platform.python_version(),
            "load": os.getloadavg()}


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):.1f} / {percentile(times, 95):.1f}"


def report(results: dict, env: dict) -> None:
    from search_common import table

    base = results["baseline"]
    print(f"\nDossiers: {env['dossiers']:,} (steps {env['steps']:,}, history {env['history']:,}); PostgreSQL "
          f"{env['postgresql']}; {env['cpus']} CPUs; load {env['load'][0]:.2f} {env['load'][1]:.2f} "
          f"{env['load'][2]:.2f}; {env['date']}")
    print(f"Baseline hello-world view (same Client, same middleware): p50 {statistics.median(base):.2f} ms, "
          f"p95 {percentile(base, 95):.2f} ms\n")
    headers = ["official (dossiers)", "queue", "rows", "selector p50 / p95 ms", "API p50 / p95 ms",
               "API queries (limit 20 / 100)"]
    if results["back_office"]:
        headers += ["HTML p50 / p95 ms", "HTML queries"]
    lines = []
    for r in results["rows"]:
        line = [f"{r['official']} ({r['dossiers']:,})", r["case"], r["rows"], fmt(r["selector"]), fmt(r["api"]),
                " / ".join(map(str, r["api_queries"]))]
        if results["back_office"]:
            line += [fmt(r["html"]), r["html_queries"]]
        lines.append(line)
    print(table(headers, lines))
    missed = [f"{r['official']}/{r['case']}" for r in results["rows"]
              if statistics.median(r["api"]) > TARGET_P50_MS or percentile(r["api"], 95) > TARGET_P95_MS]
    constant = all(r["api_queries"][0] == r["api_queries"][1] for r in results["rows"])
    print(f"\nTarget p50 < {TARGET_P50_MS:.0f} ms, p95 < {TARGET_P95_MS:.0f} ms (API): "
          + ("met everywhere." if not missed else f"missed: {', '.join(missed)}."))
    print("Queries per page constant (limit 20 = limit 100): " + ("yes." if constant else "NO."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="motcua_bench")
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="generate first if the database has fewer")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    args = parser.parse_args()
    check_name(args.db)
    if dossier_count(args.db) < args.dossiers:
        subprocess.run([sys.executable, str(BENCH / "generate_dossiers.py"), str(args.dossiers), "--db", args.db],
                       check=True)
    setup(args.db)
    from django.core.management import call_command

    # Indexes added since the data was generated (dossiers/migrations) apply here.
    call_command("migrate", verbosity=0, interactive=False)
    env = environment()
    results = measure(args)
    report(results, env)
    if args.json:
        args.json.write_text(json.dumps({"env": env, **results}, default=str))


if __name__ == "__main__":
    main()
