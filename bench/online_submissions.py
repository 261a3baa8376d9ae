"""Online submissions per second over HTTP, each with three 200 KB files, against a hello-world view.

    .venv/bin/python bench/online_submissions.py [--duration 15] [--clients 1 4 8] [--keep]

On PostgreSQL: a scratch database motcua_bench_online (dropped and created again; --keep keeps it
afterwards) with the real units, agencies, calendar, the e-forms of the migrations and the real
procedure 1.001193 (birth registration) from the bundled catalogue. gunicorn (WSGI, 2 sync
workers, as `motcua serve` runs it) serves the whole project plus a hello-world view added by
this module's own URLconf (never by the product's). Clients are Python threads, each signed in as
its own verified citizen (a citizen's open filing has one token, so two clients of one account
would file one dossier):

- hello: GET /bench/hello, a plain HttpResponse through the same middleware (the baseline);
- submission: what a browser does to file online: GET /nop-truc-tuyen/1.001193/ (the form, its
  CSRF and filing tokens), then POST it, multipart: the e-form's declaration, the commune, the
  phone and three real files of about 200 KB (a PDF, a JPEG, a PNG), each parsed whole by
  lib.uploads, stored, and the dossier written by dossiers.services.submit_online. A 302 to the
  new dossier's page is a success; the redirect is not followed.

Queries per submission are counted in this process with Django's test client on the same view
(CaptureQueriesContext), since the server's workers do not record queries.
"""

import argparse
import http.client
import io
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(BENCH))

from generate_dossiers import check_name, database_url  # noqa: E402

DB = "motcua_bench_online"
PROCEDURE = "1.001193"  # Thủ tục đăng ký khai sinh (commune level, has an e-form)
COMMUNE = "000.21.31.H53"  # UBND Xã An Thạnh (Tây Ninh): receives for the 2025 commune formed from it
PASSWORD = "Bench-nộp-trực-tuyến-2026"
FILE_BYTES = 200 * 1024
NAMES = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mai", "Ngọc", "Oanh", "Phương", "Quyên"]
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
        urlpatterns[:] = [path("bench/hello", hello), path("", include(settings.ROOT_URLCONF))]
        settings.ROOT_URLCONF = __name__
    return _application(environ, start_response)


# ----------------------------------------------------------------------------- data


def sample_files(target: int = FILE_BYTES) -> list[tuple[str, str, bytes]]:
    """A real PDF, JPEG and PNG of at least `target` bytes each: noise, so nothing compresses it away."""
    from PIL import Image

    def noise(side: int) -> Image.Image:
        return Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))

    def grow(kind: str, **options) -> bytes:
        side = 64
        while True:
            out = io.BytesIO()
            noise(side).save(out, kind, **options)
            if out.tell() >= target:
                return out.getvalue()
            side += 8

    # Pillow writes the PDF as one page holding the image (DCTDecode): a PDF any viewer opens.
    return [("giay-chung-sinh.pdf", "application/pdf", grow("PDF", resolution=150, quality=80)),
            ("cccd-me.jpg", "image/jpeg", grow("JPEG", quality=80)),
            ("cccd-cha.png", "image/png", grow("PNG"))]


def prepare_database() -> None:
    import psycopg

    check_name(DB)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")


def setup_django(media: Path) -> None:
    os.environ["DATABASE_URL"] = database_url(DB)
    os.environ["MOTCUA_MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def load_data(clients: int) -> dict:
    """Migrate, load the real reference data and the one procedure, make the citizens. Returns the form values."""
    import gzip
    import json

    from django.core.management import call_command

    from motcua.catalog.importer import BUNDLED_SOURCES
    from motcua.catalog.parsing import load_listing, parse_portal_record
    from motcua.catalog.services import publish_record
    from motcua.citizens import services as citizens
    from motcua.citizens.models import CitizenProfile
    from motcua.units.loading import load_agencies, load_units
    from motcua.units.models import Agency
    from motcua.units.selectors import current_units_for_old_code
    from motcua.workdays.services import load_calendar

    call_command("migrate", verbosity=0, interactive=False)
    load_units()
    load_agencies()
    load_calendar()
    listing = load_listing(BUNDLED_SOURCES[0].parent / "chatbot_tthc_ministry_tthc_lists.csv")
    with gzip.open(BUNDLED_SOURCES[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            if f'"ma_thu_tuc": "{PROCEDURE}"' in line:
                raw = json.loads(line)
                publish_record(parse_portal_record(raw, listing[raw["ma_thu_tuc"]]))
    commune = Agency.objects.select_related("unit").get(organ_code=COMMUNE)
    [(unit, _kind)] = current_units_for_old_code(commune.unit.code)[:1]
    for n in range(clients + 1):
        user = citizens.register(email=f"congdan{n}@bench.example.vn", password=PASSWORD, kind="person",
                                 profile={"full_name": f"Nguyễn Thị {NAMES[n % len(NAMES)]}", "phone": "0912345678",
                                          "id_number": f"0721900{n:05d}", "unit": unit.code})
        citizens.mark_email_verified(CitizenProfile.objects.get(user=user))
    return {"unit": unit.code, "province": unit.parent.code}


def form_values(unit: str, province: str) -> dict[str, str]:
    """The birth-registration declaration (docs/eforms.md paths) and the page's own fields."""
    return {
        "tk-requester.full_name": "Nguyễn Thị Hồng Nhung", "tk-requester.id_number": "072190001234",
        "tk-requester.relationship": "Mẹ", "tk-requester.residence_unit": unit,
        "tk-child.full_name": "Nguyễn Minh Khang", "tk-child.date_of_birth": "02/11/2026", "tk-child.sex": "Nam",
        "tk-child.ethnicity": "Kinh", "tk-child.nationality": "Việt Nam",
        "tk-child.birth_place": "Trung tâm Y tế huyện Bến Cầu", "tk-child.birth_unit": unit,
        "tk-mother.full_name": "Nguyễn Thị Hồng Nhung", "tk-mother.birth_year": "1994",
        "tk-mother.nationality": "Việt Nam", "tk-declaration": "true",
        "province": province, "unit": unit, "phone": "0912345678",
    }


def slot_fields() -> list[str]:
    """Three upload fields (component-<id>) of the procedure's papers, the required ones first."""
    from motcua.catalog.models import Procedure
    from motcua.eforms.selectors import eform_for
    from motcua.eservices.selectors import submission_slots

    procedure = Procedure.objects.get(code=PROCEDURE)
    slots = submission_slots(procedure.current_version, eform_for(procedure))
    # The required papers first (a submission without them is refused), then the optional ones.
    slots.sort(key=lambda s: (not s.required, s.covered_by_eform))
    return [s.key for s in slots][:3]


def count_queries(values: dict, fields: list[str], files) -> tuple[int, int]:
    """Queries of one GET of the page and one POST submission, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    assert client.post("/tai-khoan/dang-nhap/", {"email": "congdan0@bench.example.vn", "password": PASSWORD}).status_code == 302
    with CaptureQueriesContext(connection) as got:
        page = client.get(f"/nop-truc-tuyen/{PROCEDURE}/")
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {**values, "form_token": token, "action": "submit"}
    for field, (name, _ctype, content) in zip(fields, files, strict=False):
        upload = io.BytesIO(content)
        upload.name = name
        data[field] = upload
    with CaptureQueriesContext(connection) as posted:
        response = client.post(f"/nop-truc-tuyen/{PROCEDURE}/", data)
    if response.status_code != 302:
        raise SystemExit(f"the in-process submission failed ({response.status_code}): "
                         + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))[:1500])
    return len(got.captured_queries), len(posted.captured_queries)


# ----------------------------------------------------------------------------- the client side


class Browser:
    """One signed-in citizen over plain http.client: cookies, CSRF, multipart; no redirect followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data.decode("utf-8", "replace")

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def login(self, email: str) -> None:
        _status, html = self.request("GET", "/tai-khoan/dang-nhap/")
        body, ctype = multipart({"csrfmiddlewaretoken": self.csrf(html), "email": email, "password": PASSWORD}, {})
        status, _html = self.request("POST", "/tai-khoan/dang-nhap/", body, {"Content-Type": ctype})
        assert status == 302, f"login of {email}: {status}"

    def submit(self, values: dict, files: dict) -> tuple[float, float, int]:
        """GET the form then POST it: (GET seconds, POST seconds, POST status)."""
        started = time.perf_counter()
        _status, html = self.request("GET", f"/nop-truc-tuyen/{PROCEDURE}/")
        got = time.perf_counter()
        token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
        body, ctype = multipart({**values, "csrfmiddlewaretoken": self.csrf(html), "form_token": token,
                                 "action": "submit"}, files)
        status, _html = self.request("POST", f"/nop-truc-tuyen/{PROCEDURE}/", body, {"Content-Type": ctype})
        return got - started, time.perf_counter() - got, status


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----motcua" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    for name, (filename, ctype, content) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: {ctype}\r\n\r\n".encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def run_case(port: int, clients: int, duration: float, work) -> dict:
    """`clients` threads call work(browser, n) until `duration` has passed; latencies in seconds."""
    latencies: list[float] = []
    gets: list[float] = []
    failures = [0]
    lock = threading.Lock()
    browsers = [work.prepare(Browser(port), n) for n in range(clients)]
    deadline = [0.0]

    def loop(browser):
        while time.perf_counter() < deadline[0]:
            get_s, post_s, ok = work.once(browser)
            with lock:
                if ok:
                    latencies.append(post_s)
                    if get_s is not None:
                        gets.append(get_s)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=loop, args=(b,)) for b in browsers]
    started = time.perf_counter()
    deadline[0] = started + duration
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"n": len(latencies), "failures": failures[0], "rps": len(latencies) / elapsed,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
            "get_p50": percentile(gets, 50) if gets else None}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


class Hello:
    @staticmethod
    def prepare(browser, n):
        return browser

    @staticmethod
    def once(browser):
        started = time.perf_counter()
        status, _ = browser.request("GET", "/bench/hello")
        return None, time.perf_counter() - started, status == 200


class Submission:
    def __init__(self, values, files):
        self.values, self.files = values, files

    def prepare(self, browser, n):
        browser.login(f"congdan{n + 1}@bench.example.vn")
        return browser

    def once(self, browser):
        get_s, post_s, status = browser.submit(self.values, self.files)
        return get_s, post_s, status == 302


# ----------------------------------------------------------------------------- main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped: see its output above")
        try:
            if Browser(port).request("GET", "/bench/hello")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=15, help="seconds per case (default 15)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database and the stored files")
    args = parser.parse_args()

    media = Path(tempfile.mkdtemp(prefix="motcua-bench-online-"))
    prepare_database()
    setup_django(media)
    started = time.perf_counter()
    where = load_data(max(args.clients))
    print(f"data loaded in {time.perf_counter() - started:.0f} s (database {DB}, files in {media})")
    values = form_values(where["unit"], where["province"])
    files = sample_files()
    fields = slot_fields()
    attached = dict(zip(fields, files, strict=False))
    print("files: " + ", ".join(f"{name} {len(content) / 1024:.0f} KB" for name, _t, content in files)
          + f" → {', '.join(fields)}")
    get_queries, post_queries = count_queries(values, fields, files)

    from django.db import connections

    connections.close_all()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCH), str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "online_submissions:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
         "--timeout", "120", "--log-level", "warning"], cwd=BENCH, env=env)
    rows = []
    try:
        wait_until_up(port, server)
        # Warm-up, not recorded: every worker loads Django, opens its database connection and
        # renders each page once before anything is timed.
        run_case(port, max(args.clients), 2, Hello)
        run_case(port, max(args.clients), 2, Submission(values, attached))
        for clients in args.clients:
            for label, work in (("hello world (baseline)", Hello), ("online submission, 3 × 200 KB",
                                                                  Submission(values, attached))):
                result = run_case(port, clients, args.duration, work)
                rows.append((label, clients, result))
                print(f"  {label:32} clients {clients}: {result['rps']:8.1f} req/s  p50 {result['p50'] * 1000:7.1f} ms"
                      f"  p95 {result['p95'] * 1000:7.1f} ms  p99 {result['p99'] * 1000:7.1f} ms"
                      f"  ({result['n']} ok, {result['failures']} failed)", flush=True)
    finally:
        server.terminate()
        server.wait()

    from motcua.dossiers.models import Dossier

    filed = Dossier.objects.filter(channel="online").count()
    load = os.getloadavg()
    print()
    print(f"{datetime.now(UTC):%d %b %Y %H:%M} UTC, {os.cpu_count()} cores, gunicorn {args.workers} sync workers, "
          f"PostgreSQL, load average {load[0]:.1f}/{load[1]:.1f}; {filed} online dossiers filed")
    print()
    print("| case | clients | req/s | p50 (ms) | p95 (ms) | p99 (ms) | ok | failed | × hello req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    baseline = {clients: r["rps"] for label, clients, r in rows if label.startswith("hello")}
    for label, clients, r in rows:
        ratio = r["rps"] / baseline[clients] if baseline.get(clients) else float("nan")
        print(f"| {label} | {clients} | {r['rps']:.1f} | {r['p50'] * 1000:.0f} | {r['p95'] * 1000:.0f} | "
              f"{r['p99'] * 1000:.0f} | {r['n']} | {r['failures']} | {ratio:.3f} |")
    print()
    print(f"Queries: GET of the submission page {get_queries}, POST of one submission {post_queries} "
          "(in-process test client, same view).")
    gets = [r["get_p50"] for label, _c, r in rows if r["get_p50"] is not None]
    if gets:
        print(f"The GET of the form before each POST (not in the POST latencies): p50 {min(gets) * 1000:.0f}–"
              f"{max(gets) * 1000:.0f} ms.")
    if not args.keep:
        import psycopg

        connections.close_all()
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
