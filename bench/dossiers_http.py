"""Counter receptions and status transitions per second over HTTP, against a hello-world view.

    .venv/bin/python bench/dossiers_http.py [--duration 20] [--connections 2 8] [--template motcua_bench]

gunicorn (WSGI, 2 sync workers, as `motcua serve` runs it) serves the whole project plus a
hello-world view (a plain HttpResponse through the same middleware) from this module; wrk drives
it from this machine with a Lua script per case:

- hello: GET /bench/hello (the baseline: what the stack costs with no work);
- reception: POST /api/v1/dossiers with a Bearer key (procedure 1.001193, birth registration,
  at the provincial public-service centre), each request with its own Idempotency-Key: a new
  dossier each time (code, due moment from the calendar, 5 steps, history, audit, outbox);
- forward: POST /api/v1/dossiers/{code}/actions/forward, each request on another received
  dossier of the agency (from the generated data and the reception runs): the guarded
  transition (row lock, checks, history, audit, outbox), with expected_version.

The database is a copy of --template (the 1,000,000 dossiers of generate_dossiers.py) named
motcua_bench_http, so the tables and indexes have their real size; it is dropped at the end
(--keep keeps it). Without the template database, a fresh one with the real catalogue is used.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(BENCH))

from generate_dossiers import DEFAULT_PG, check_name, database_url  # noqa: E402

DB = "motcua_bench_http"
AGENCY = "000.02.01.H53"  # Trung tâm Hành chính công cấp tỉnh Tây Ninh
PROCEDURE = "1.001193"  # Thủ tục đăng ký khai sinh
urlpatterns: list = []
_application = None


# ----------------------------------------------------------------------------- the server side


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("Hello, world", content_type="text/plain")


def application(environ, start_response):
    """gunicorn's entry point: the project's WSGI app with /bench/hello added to its URLs."""
    global _application
    if _application is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application
        from django.urls import include, path

        _application = get_wsgi_application()
        urlpatterns[:] = [path("bench/hello", hello), path("", include("motcua.urls"))]
        settings.ROOT_URLCONF = __name__
    return _application(environ, start_response)


# ----------------------------------------------------------------------------- the client side

LUA_COMMON = """
local results = {}
done = function(summary, latency, requests)
  local s = summary
  io.write(string.format('{"requests": %d, "duration_us": %d, "non2xx": %d, "errors": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    s.requests, s.duration, s.errors.status, s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

LUA_RECEPTION = LUA_COMMON + """
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = string.format("bench-%s-%d-%d", RUN, id, counter)
  return wrk.format("POST", "/api/v1/dossiers", nil, BODY)
end
"""

LUA_FORWARD = LUA_COMMON + """
local codes = {}
local threads = {}
setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
init = function(args)
  for line in io.lines(CODES) do
    local n = #codes
    if n % NTHREADS == id then table.insert(codes, line) else table.insert(codes, false) end
  end
  position = 0
end
request = function()
  repeat
    position = position + 1
  until position > #codes or codes[position]
  local code = codes[position] or "exhausted"
  return wrk.format("POST", "/api/v1/dossiers/" .. code .. "/actions/forward", nil, '{"expected_version": 1}')
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(template: str) -> str:
    import psycopg

    check_name(DB)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if exists:
            conn.execute(f"CREATE DATABASE {DB} TEMPLATE {template}")
            return f"copy of {template}"
        conn.execute(f"CREATE DATABASE {DB}")
    return "fresh (real catalogue, no generated dossiers)"


def setup_django() -> None:
    os.environ["DATABASE_URL"] = database_url(DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from motcua.catalog.models import Procedure
    from motcua.units.models import Agency

    if not (Procedure.objects.filter(code=PROCEDURE).exists() and Agency.objects.filter(organ_code=AGENCY).exists()):
        call_command("setup", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def bench_official() -> str:
    from django.contrib.auth.models import User

    from motcua.accounts.models import ApiToken, StaffMembership
    from motcua.units.models import Agency

    user, _ = User.objects.get_or_create(username="bench.http")
    StaffMembership.objects.get_or_create(user=user, agency=Agency.objects.get(organ_code=AGENCY), role="reception")
    return ApiToken.issue(user, "bench http")[1]


def reception_body() -> str:
    return json.dumps({
        "procedure": PROCEDURE, "agency": AGENCY, "channel": "in_person",
        "applicant": {"full_name": "Nguyễn Thị Hồng Nhung", "id_number": "072190001234", "phone": "0912345678",
                      "address": "Ấp Thạnh Hiệp, xã An Thạnh, tỉnh Tây Ninh"},
        "components": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                       {"name": "Giấy chứng sinh", "originals": 1}],
        "time_limit": {"value": "3", "unit": "working_day"},
    }, ensure_ascii=False)


def lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def run_wrk(url: str, script: str, variables: dict, connections: int, duration: int, key: str | None,
            workdir: Path) -> dict:
    path = workdir / f"case-{time.monotonic_ns()}.lua"
    prelude = "".join(f"{name} = {value}\n" for name, value in variables.items())
    path.write_text(prelude + script)
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
               "--latency", "-s", str(path)]
    if key:
        command += ["-H", f"Authorization: Bearer {key}", "-H", "Content-Type: application/json"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["ok"] = result["requests"] - result["non2xx"] - result["errors"]
    result["ok_rps"] = result["ok"] / (result["duration_us"] / 1e6)
    return result


def received_codes(path: Path) -> int:
    """Codes of received dossiers of the agency not forwarded yet (from the 1M data set and the
    reception runs), for the forward run; returns how many."""
    from motcua.dossiers.models import Dossier

    codes = list(Dossier.objects.filter(receiving_agency__organ_code=AGENCY, stage="received", version=1)
                 .order_by("-id").values_list("code", flat=True)[:20000])
    path.write_text("\n".join(codes) + "\n")
    return len(codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="motcua_bench")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, nargs="+", default=[2, 8])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the motcua_bench_http database")
    args = parser.parse_args()

    source = prepare_database(args.template)
    setup_django()
    key = bench_official()
    from django.db import connection

    from motcua.dossiers.models import Dossier

    dossiers_before = Dossier.objects.count()
    connection.close()
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url(DB), DJANGO_SETTINGS_MODULE="motcua.settings",
               PYTHONPATH=os.pathsep.join([str(BENCH), str(REPO / "src")]))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dossiers_http:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"],
        env=env, cwd=str(REPO),
    )
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            for connections in args.connections:
                print(f"… {connections} kết nối", file=sys.stderr, flush=True)
                # Warm-up, not measured: every worker loads Django, the calendar and the catalogue caches.
                for script, variables in ((LUA_COMMON, {}), (LUA_RECEPTION, {
                        "RUN": f'"warm-{connections}-{time.time_ns()}"', "BODY": lua_string(reception_body())})):
                    run_wrk(f"{base}/bench/hello" if script is LUA_COMMON else base, script, variables, connections,
                            3, key if script is LUA_RECEPTION else None, workdir)
                hello_result = run_wrk(f"{base}/bench/hello", LUA_COMMON, {}, connections, args.duration, None,
                                       workdir)
                reception = run_wrk(base, LUA_RECEPTION, {"RUN": f'"{connections}-{time.time_ns()}"',
                                                          "BODY": lua_string(reception_body())},
                                    connections, args.duration, key, workdir)
                codes_file = workdir / f"codes-{connections}.txt"
                available = received_codes(codes_file)
                forward = run_wrk(base, LUA_FORWARD, {"CODES": lua_string(str(codes_file)),
                                                      "NTHREADS": min(2, connections)},
                                  connections, args.duration, key, workdir)
                forward["available"] = available
                rows.append((connections, hello_result, reception, forward))
    finally:
        server.terminate()
        server.wait(timeout=30)

    report(rows, args, source, dossiers_before)
    if not args.keep:
        import psycopg

        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def report(rows, args, source: str, dossiers_before: int) -> None:
    from search_common import table

    load = os.getloadavg()
    print(f"\n{datetime.now():%Y-%m-%d %H:%M}; {os.cpu_count()} CPUs; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"PostgreSQL at {DEFAULT_PG}, database {source}, {dossiers_before:,} dossiers before the run; "
          f"gunicorn {args.workers} sync workers; wrk -d {args.duration}s on the same machine.\n")
    lines = []
    for connections, hello_result, reception, forward in rows:
        for name, r in (("hello world (baseline)", hello_result), ("reception POST /dossiers", reception),
                        ("transition POST …/actions/forward", forward)):
            lines.append([
                connections, name, f"{r['ok_rps']:,.1f}", f"{r['p50_us'] / 1000:.1f}", f"{r['p95_us'] / 1000:.1f}",
                f"{r['p99_us'] / 1000:.1f}", r["non2xx"] + r["errors"],
                f"{r['ok_rps'] / hello_result['ok_rps'] * 100:.1f} %",
            ])
        if forward["ok"] >= forward.get("available", 0):
            print(f"(c={connections}: the forward run used up the {forward['available']} received dossiers; "
                  "its non-2xx are requests on no dossier)")
    print(table(["connections", "case", "successful req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx/errors",
                 "vs baseline"], lines))


if __name__ == "__main__":
    main()
