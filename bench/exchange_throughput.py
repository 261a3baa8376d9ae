"""Signed edXML documents per second through the exchange hub, end to end, against a plain HTTP POST of the same size.

    .venv/bin/python bench/exchange_throughput.py [--duration 30] [--senders 4] [--organs 4] [--keep]

On PostgreSQL: a scratch database motcua_bench_exchange (dropped and created again; --keep keeps it
afterwards), migrated, with `--organs` organs registered (each its own RSA-2048 certificate and API
key). The hub is `motcua exchange serve` itself (gunicorn WSGI + the push worker, as in
production, with its default worker count), MOTCUA_EXCHANGE_ROLE=hub, on a free loopback port.
No organ has a callback URL, so every document goes through the inbox: the recipient fetches it
and acknowledges it.

Every package has one 50 KB attachment of fresh random bytes (base64 in the package, ~70 KB on
the wire), one recipient: organ i sends to organ i+1. Clients are Python threads of this process
using `ExchangeClient` (urllib, a new connection per request, as the product's client does); one
recipient thread per organ polls its inbox (limit 100; `--poll` seconds between empty polls),
fetches each package (checking its SHA-256 against the listing), then acknowledges the page.

- warm-up (not recorded): every hub worker loads its Django, its connection and the signxml code;
- phase 1a, maximum rate, end to end: `--senders` closed-loop threads, each *signs* a package
  (`edxml.build_package`, the key already loaded) and sends it, for `--duration` s. Latency per
  document = sign start → the recipient's ack answered. The senders outrun the recipients (a
  backlog builds), so documents/s = the documents sent in the window ÷ the time from the first
  send to the last of their acks (draining the backlog included);
- phase 1b, maximum rate, hub only: the same with packages signed beforehand (2 processes), so
  the clients' signing is out of the loop;
- phase 2, half of 1a's rate, open loop: a pacer starts one document every 1/rate s (sign + send
  on a pool of threads); latency from the scheduled start (so a backlog counts) to the ack.
  The hub's own view of the same documents (HubDocument.received_at → Delivery.acked_at, what
  the hub page shows) is read back from the database;
- baseline: a plain POST of one of the signed packages (same bytes, same headers, same urllib
  transport) to a hello-world view (reads the body, answers a small JSON) served by gunicorn with
  the same workers and flags through the project's whole middleware, added by this module's own
  URLconf (never the product's): closed loop with `--senders` threads, then paced at phase 2's rate.

Before the phases, one document at a time (sign, send, list, fetch, ack; median of 20) and the
database's own round trip (SELECT 1, one-row INSERT + COMMIT) show what a single call costs at the
moment of the run. After them, through Django's test client in this process (the same views, as
bench/online_submissions.py counts queries): queries and time per API call, and the inbox listing
query with and without the package column.

CPU per document is read from /proc (the hub's process group: gunicorn master and workers, the
push worker) and from this process (the clients), so it holds even when other work loads the
machine; PostgreSQL's own CPU is not in it. Everything runs on this machine (clients, hub,
PostgreSQL), so the documents/s are a floor for a dedicated hub. The database is dropped at the
end unless --keep (after a failure it stays; the next run drops it first).
"""

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime
from multiprocessing import Pool
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(BENCH))

from generate_dossiers import check_name, database_url  # noqa: E402

DB = "motcua_bench_exchange"
ATTACHMENT_BYTES = 50 * 1024
# Organ codes of the QCVN 102:2016 form XXX.YY.ZZ.Lnn (Tây Ninh, the Government Office, two ministries).
ORGANS = [("000.00.01.H53", "UBND tỉnh Tây Ninh"), ("000.00.00.G22", "Văn phòng Chính phủ"),
          ("000.00.00.G12", "Bộ Tài chính"), ("000.00.11.H53", "Sở Tài chính tỉnh Tây Ninh")]
PROMULGATED = date(2026, 11, 27)
TICK = os.sysconf("SC_CLK_TCK")
urlpatterns: list = []
_application = None


# ----------------------------------------------------------------------------- the baseline server


def hello(request):
    """Read the whole body and answer a few bytes of JSON: an HTTP round trip of a package's size."""
    from django.http import JsonResponse

    return JsonResponse({"received": len(request.body)})


def application(environ, start_response):
    """gunicorn's entry point for the baseline: the project's WSGI app with POST /bench/hello added."""
    global _application
    if _application is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application
        from django.urls import include, path
        from django.views.decorators.csrf import csrf_exempt

        _application = get_wsgi_application()
        urlpatterns[:] = [path("bench/hello", csrf_exempt(hello)), path("", include(settings.ROOT_URLCONF))]
        settings.ROOT_URLCONF = __name__
    return _application(environ, start_response)


# ----------------------------------------------------------------------------- setup


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database() -> None:
    import psycopg

    check_name(DB)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")


def drop_database() -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def server_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env.update({"DATABASE_URL": database_url(DB), "MOTCUA_DATA_DIR": str(data_dir), "MOTCUA_EXCHANGE_ROLE": "hub",
                "MOTCUA_LOG_LEVEL": "ERROR",
                "PYTHONPATH": os.pathsep.join([str(BENCH), str(REPO / "src"), os.environ.get("PYTHONPATH", "")])})
    return env


class Organ:
    def __init__(self, organ_id: str, name: str, key_pem: bytes, cert_pem: bytes, token: str):
        self.organ_id, self.name, self.key_pem, self.cert_pem, self.token = organ_id, name, key_pem, cert_pem, token


def setup(data_dir: Path, count: int) -> list[Organ]:
    """Migrate the scratch database and register `count` organs, each with a certificate and a key."""
    os.environ.update({"DATABASE_URL": database_url(DB), "MOTCUA_DATA_DIR": str(data_dir),
                       "MOTCUA_EXCHANGE_ROLE": "hub", "MOTCUA_LOG_LEVEL": "ERROR"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.exchange import hublog, services

    call_command("migrate", verbosity=0, interactive=False)
    organs = []
    for organ_id, name in ORGANS[:count]:
        key_pem, cert_pem = hublog.make_self_signed(name)
        _row, token = services.register_organ(organ_id, name=name, cert_pem=cert_pem)
        organs.append(Organ(organ_id, name, key_pem, cert_pem, token))
    from django.db import connections

    connections.close_all()
    return organs


class Server:
    """A process group (the hub, or the baseline's gunicorn); stopped with its whole group."""

    def __init__(self, argv: list[str], env: dict, probe: str, log: Path, cwd: Path | None = None):
        self.argv, self.env, self.probe, self.log, self.cwd = argv, env, probe, log, cwd
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:  # gunicorn's INFO lines and warnings, out of the table's way
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, start_new_session=True,
                                            stdout=log, stderr=log)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.argv[2:5]} stopped (exit {self.process.returncode}):\n"
                                 + self.log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(self.probe, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # 401/405: up and answering
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.argv[2:5]} did not answer within 180 s")

    def cpu_seconds(self) -> float:
        """user + system CPU of every live process of the group (read from /proc)."""
        if self.process is None:
            return 0.0
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == self.process.pid:  # pgrp
                total += int(fields[11]) + int(fields[12])
        return total / TICK

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


# ----------------------------------------------------------------------------- packages


def build(args: tuple) -> bytes:
    """Build and sign one package (also the pre-signing pool's job)."""
    from motcua.exchange import edxml

    sender, sender_name, recipient, recipient_name, key_pem, cert_pem, document_id, number, tag = args
    header = edxml.Header(
        sender=edxml.Organ(sender, name=sender_name), recipients=(edxml.Organ(recipient, name=recipient_name),),
        document_id=document_id, code_number=str(number), code_notation=tag, promulgation_place="Tây Ninh",
        promulgation_date=PROMULGATED, document_type="Công văn",
        subject=f"Về việc đo thông lượng trục liên thông, văn bản số {number}", signer_name="Nguyễn Văn Đức",
        signer_position="Chánh Văn phòng")
    package = edxml.Package(header, (edxml.Attachment("cong-van.pdf", "application/pdf", os.urandom(ATTACHMENT_BYTES),
                                                      "Công văn"),))
    return edxml.build_package(package, key_pem=key_pem, cert_pem=cert_pem)


def job(organs: list[Organ], lane: int, number: int, tag: str) -> tuple[str, str, tuple]:
    """(sender id, document id, build args) of document `number` on lane `lane` (organ lane → lane+1)."""
    sender, recipient = organs[lane % len(organs)], organs[(lane + 1) % len(organs)]
    document_id = f"{sender.organ_id},{PROMULGATED:%Y/%m/%d},{number}/{tag}"
    return sender.organ_id, document_id, (sender.organ_id, sender.name, recipient.organ_id, recipient.name,
                                          sender.key_pem, sender.cert_pem, document_id, number, tag)


# ----------------------------------------------------------------------------- clients


def client_for(hub_url: str, organ: Organ):
    from motcua.exchange.client import ExchangeClient

    return ExchangeClient(hub_url, organ.organ_id, organ.token, retries=5, timeout=120, backoff=0.2)


class Recipients:
    """One thread per organ: poll the inbox, fetch every package, acknowledge the page."""

    def __init__(self, hub_url: str, organs: list[Organ], poll: float):
        self.acked: dict[tuple[str, str], float] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.polls = [0]
        self.threads = [threading.Thread(target=self.loop, args=(client_for(hub_url, o), poll), daemon=True)
                        for o in organs]
        for t in self.threads:
            t.start()

    def loop(self, client, poll: float) -> None:
        try:
            while True:
                items = client.inbox(limit=100)["items"]
                self.polls[0] += 1
                if not items:
                    if self.stop.is_set():
                        return
                    time.sleep(poll)
                    continue
                for item in items:
                    data = client.fetch(item["id"])
                    if hashlib.sha256(data).hexdigest() != item["sha256"]:
                        raise AssertionError(f"delivery {item['id']}: the package is not the one listed")
                client.ack(*[i["id"] for i in items])
                now = time.perf_counter()
                with self.lock:
                    for item in items:
                        self.acked[(item["sender"], item["document_id"])] = now
        except BaseException as exc:
            self.errors.append(exc)

    def wait_for(self, keys, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.errors:
            with self.lock:
                missing = [k for k in keys if k not in self.acked]
            if not missing:
                break
            time.sleep(0.1)
        self.stop.set()
        for t in self.threads:
            t.join()
        if self.errors:
            raise self.errors[0]


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, -(-int(pct * len(ordered)) // 100) - 1)]  # nearest rank


class Result:
    def __init__(self, label: str, **kw):
        self.label = label
        self.__dict__.update(kw)


def summarise(label: str, starts: dict, acked: dict, started: float, ended: float, cpu: dict, *,
              paced: bool = False, **extra) -> Result:
    """documents/s and the latency (start → ack) of every document sent in the window."""
    window = ended - started
    latencies = [acked[k] - s for k, s in starts.items() if k in acked]
    if paced:
        rate = len(latencies) / window
    else:
        # Closed loop: the senders outrun the recipients (the backlog grows), so the rate is every
        # document sent in the window over the time until the last of them was acknowledged.
        rate = len(latencies) / (max(acked[k] for k in starts if k in acked) - started)
    return Result(label, n=len(starts), acked=len(latencies), window=window, rate=rate,
                  sent_rate=len(starts) / window, p50=percentile(latencies, 50), p95=percentile(latencies, 95),
                  p99=percentile(latencies, 99), cpu=cpu, **extra)


class Cpu:
    """CPU seconds of the server's process group and of this process over a phase."""

    def __init__(self, server: Server):
        self.server = server
        self.server0, self.self0 = server.cpu_seconds(), time.process_time()

    def per(self, count: int) -> dict:
        return {"server_ms": (self.server.cpu_seconds() - self.server0) * 1000 / max(count, 1),
                "client_ms": (time.process_time() - self.self0) * 1000 / max(count, 1)}


def closed_phase(label: str, hub: Server, hub_url: str, organs: list[Organ], senders: int, duration: float,
                 poll: float, tag: str, presigned: list[list[tuple[str, str, bytes]]] | None = None) -> Result:
    """`senders` threads send back to back for `duration` s (signing each package unless presigned)."""
    starts: dict[tuple[str, str], float] = {}
    counter = itertools.count(1)
    errors: list[BaseException] = []
    cpu = Cpu(hub)
    recipients = Recipients(hub_url, organs, poll)
    deadline = [0.0]

    def sender(lane: int) -> None:
        client = client_for(hub_url, organs[lane % len(organs)])
        mine = iter(presigned[lane]) if presigned is not None else None
        try:
            while time.perf_counter() < deadline[0]:
                if mine is not None:
                    nxt = next(mine, None)
                    if nxt is None:
                        return  # ran out of pre-signed packages: the window ends here
                    sender_id, document_id, data = nxt
                    starts[(sender_id, document_id)] = time.perf_counter()
                else:
                    sender_id, document_id, args = job(organs, lane, next(counter), tag)
                    starts[(sender_id, document_id)] = time.perf_counter()
                    data = build(args)
                client.send(data)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(lane,)) for lane in range(senders)]
    started = time.perf_counter()
    deadline[0] = started + duration
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ended = time.perf_counter()
    if errors:
        recipients.stop.set()
        raise errors[0]
    recipients.wait_for(list(starts))
    return summarise(label, starts, recipients.acked, started, ended, cpu.per(len(starts)), polls=recipients.polls[0])


def paced_phase(label: str, hub: Server, hub_url: str, organs: list[Organ], rate: float, duration: float,
                poll: float, tag: str, pool: int = 16) -> Result:
    """Open loop: document i is due at start + i/rate, signed and sent by a free thread of `pool`."""
    starts: dict[tuple[str, str], float] = {}
    late: list[float] = []
    errors: list[BaseException] = []
    cpu = Cpu(hub)
    recipients = Recipients(hub_url, organs, poll)
    clients = {o.organ_id: client_for(hub_url, o) for o in organs}

    def send(number: int, due: float) -> None:
        sender_id, document_id, args = job(organs, number, number, tag)
        starts[(sender_id, document_id)] = due
        late.append(time.perf_counter() - due)
        try:
            clients[sender_id].send(build(args))
        except BaseException as exc:
            errors.append(exc)

    started = pace(rate, duration, pool, send)
    ended = time.perf_counter()
    if errors:
        recipients.stop.set()
        raise errors[0]
    recipients.wait_for(list(starts))
    return summarise(label, starts, recipients.acked, started, started + duration, cpu.per(len(starts)), paced=True,
                     offered=rate, late_p99=percentile(late, 99), send_end=ended - started, polls=recipients.polls[0])


def post_once(url: str, body: bytes, token: str) -> None:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": "application/xml"})
    with urllib.request.urlopen(request, timeout=120) as response:
        if json.loads(response.read())["received"] != len(body):
            raise AssertionError("the baseline view did not read the whole body")


def pace(rate: float, duration: float, pool: int, handle) -> float:
    """Open loop: call handle(number, due) for number i due at start + i/rate, on `pool` threads.
    Returns the start moment."""
    jobs: queue.Queue = queue.Queue()

    def worker() -> None:
        while (item := jobs.get()) is not None:
            handle(*item)

    threads = [threading.Thread(target=worker) for _ in range(pool)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    for number in range(int(rate * duration)):
        due = started + number / rate
        if (pause := due - time.perf_counter()) > 0:
            time.sleep(pause)
        jobs.put((number, due))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()
    return started


def baseline_phase(label: str, server: Server, url: str, body: bytes, token: str, duration: float, *,
                   senders: int = 0, rate: float = 0.0, pool: int = 16) -> Result:
    """POST `body` to the hello view: closed loop with `senders` threads, or paced at `rate` per second."""
    latencies: list[float] = []
    errors: list[BaseException] = []
    cpu = Cpu(server)
    started = time.perf_counter()

    def timed(_number: int, due: float) -> None:
        try:
            post_once(url, body, token)
            latencies.append(time.perf_counter() - due)
        except BaseException as exc:
            errors.append(exc)

    if senders:
        def loop() -> None:
            while time.perf_counter() < started + duration and not errors:
                timed(0, time.perf_counter())

        threads = [threading.Thread(target=loop) for _ in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        window = time.perf_counter() - started
    else:
        pace(rate, duration, pool, timed)
        window = duration
    if errors:
        raise errors[0]
    return Result(label, n=len(latencies), acked=len(latencies), window=window, rate=len(latencies) / window,
                  sent_rate=len(latencies) / window, p50=percentile(latencies, 50), p95=percentile(latencies, 95),
                  p99=percentile(latencies, 99), cpu=cpu.per(len(latencies)), offered=rate or None)


def presign(organs: list[Organ], senders: int, count: int, tag: str) -> list[list[tuple[str, str, bytes]]]:
    """`count` packages signed up front on two processes, dealt to the sender lanes."""
    lanes: list[list[tuple[str, str, bytes]]] = [[] for _ in range(senders)]
    specs = [(lane, job(organs, lane, number, tag)) for number in range(count) for lane in [number % senders]]
    with Pool(2) as workers:
        packages = workers.map(build, [spec[2] for _lane, spec in specs], chunksize=50)
    for (lane, (sender_id, document_id, _args)), data in zip(specs, packages, strict=True):
        lanes[lane].append((sender_id, document_id, data))
    return lanes


def serial_calls(hub_url: str, organs: list[Organ], count: int = 20) -> dict[str, float]:
    """One document at a time, one call at a time, nothing else of ours running: median ms per step."""
    sender, recipient = client_for(hub_url, organs[0]), client_for(hub_url, organs[1])
    times: dict[str, list[float]] = {"sign": [], "POST documents": [], "GET inbox": [], "GET inbox/{id}": [],
                                     "POST inbox/{id}/ack": []}

    def timed(step: str, call):
        began = time.perf_counter()
        value = call()
        times[step].append(time.perf_counter() - began)
        return value

    for number in range(count):
        _sender_id, document_id, args = job(organs, 0, number, "SERIAL")
        data = timed("sign", lambda args=args: build(args))
        timed("POST documents", lambda data=data: sender.send(data))
        items = timed("GET inbox", lambda: recipient.inbox(limit=100))["items"]
        [delivery] = [i["id"] for i in items if i["document_id"] == document_id]
        timed("GET inbox/{id}", lambda delivery=delivery: recipient.fetch(delivery))
        timed("POST inbox/{id}/ack", lambda delivery=delivery: recipient.request("POST", f"inbox/{delivery}/ack"))
    return {step: percentile(values, 50) * 1000 for step, values in times.items()}


def database_latency(count: int = 50) -> tuple[float, float]:
    """Median ms of `SELECT 1` and of a one-row INSERT + COMMIT (the WAL flush every write pays) on
    the scratch database: how busy PostgreSQL is at the time of the run."""
    import psycopg

    with psycopg.connect(database_url(DB), autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit (n integer)")
        selects, commits = [], []
        for n in range(count):
            began = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            selects.append(time.perf_counter() - began)
            began = time.perf_counter()
            conn.execute("INSERT INTO bench_commit VALUES (%s)", (n,))
            commits.append(time.perf_counter() - began)
        conn.execute("DROP TABLE bench_commit")
    return percentile(selects, 50) * 1000, percentile(commits, 50) * 1000


def in_process(organs: list[Organ], count: int = 30) -> dict[str, tuple[float, float]]:
    """Queries and median ms per API call through Django's test client in this process (the server's
    workers keep no query log), and `edxml.verify_package` alone for comparison."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.exchange import edxml

    base = "/truc-lien-thong/api/v1/"
    client = Client()
    sender = {"HTTP_AUTHORIZATION": f"Bearer {organs[0].token}"}
    recipient = {"HTTP_AUTHORIZATION": f"Bearer {organs[1].token}"}
    found: dict[str, list[tuple[int, float]]] = {}

    def measure(step: str, call, *, per: int = 1):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = call()
            spent = time.perf_counter() - began
        if response.status_code not in {200, 201}:
            raise AssertionError(f"{step}: {response.status_code} {response.content[:300]!r}")
        found.setdefault(step, []).append((len(queries.captured_queries) / per, spent / per))
        return response

    packages = [build(job(organs, 0, number, "INPROC")[2]) for number in range(count)]
    for data in packages:
        measure("POST documents", lambda data=data: client.post(base + "documents", data, "application/xml", **sender))
        started = time.perf_counter()
        edxml.verify_package(data, trusted_cert_pems=[organs[0].cert_pem])
        found.setdefault("verify_package alone", []).append((0, time.perf_counter() - started))
    items = measure("GET inbox", lambda: client.get(base + "inbox", {"limit": 100}, **recipient)).json()["items"]
    for item in items:
        measure("GET inbox/{id}", lambda item=item: client.get(f"{base}inbox/{item['id']}", **recipient))
    # What the inbox listing costs in the database, as the hub runs it (the rows with the packages,
    # select_related) and without the package column it never shows: same rows, ten times each.
    from motcua.exchange import services
    from motcua.exchange.models import HubOrgan

    organ = HubOrgan.objects.get(organ_id=organs[1].organ_id)
    for label, rows in (("inbox query as served", lambda: services.inbox(organ, limit=100)),
                        ("inbox query without the package column",
                         lambda: services.inbox(organ, limit=100).defer("document__package"))):
        for _ in range(10):
            began = time.perf_counter()
            listed = len(list(rows()))
            found.setdefault(f"{label} ({listed} rows)", []).append((1, time.perf_counter() - began))
    ids = [i["id"] for i in items]
    measure(f"POST inbox/ack, per id of {len(ids)}", lambda: client.post(
        base + "inbox/ack", json.dumps({"ids": ids}), "application/json", **recipient), per=len(ids))
    connections.close_all()
    return {step: (statistics.median(q for q, _t in rows), statistics.median(t for _q, t in rows) * 1000)
            for step, rows in found.items()}


def hub_side_latency(tag: str) -> tuple[float, float, float]:
    """p50/p95/p99 of HubDocument.received_at → Delivery.acked_at (what the hub page reports), in s."""
    from django.db import connections

    from motcua.exchange.models import Delivery

    rows = Delivery.objects.filter(document__code_notation=tag, acked_at__isnull=False).values_list(
        "acked_at", "document__received_at")
    values = [(acked - received).total_seconds() for acked, received in rows]
    connections.close_all()
    return percentile(values, 50), percentile(values, 95), percentile(values, 99)


def storage_per_document() -> tuple[int, float]:
    """(documents stored, bytes of the hub's tables per document, TOAST and indexes included)."""
    from django.db import connection, connections

    from motcua.exchange.models import HubDocument

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'exchange_%'")
        size = cursor.fetchone()[0]
    count = HubDocument.objects.count()
    connections.close_all()
    return count, size / max(count, 1)


# ----------------------------------------------------------------------------- main


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def show(r: Result) -> None:
    extra = f"  offered {r.offered:.1f}/s" if getattr(r, "offered", None) else ""
    print(f"  {r.label:46} {r.rate:7.1f}/s (sent {r.sent_rate:.1f}/s)  p50 {r.p50 * 1000:7.0f} ms  "
          f"p95 {r.p95 * 1000:7.0f} ms  p99 {r.p99 * 1000:7.0f} ms  n {r.n}  server CPU "
          f"{r.cpu['server_ms']:.1f} ms  client CPU {r.cpu['client_ms']:.1f} ms{extra}  load {load()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=30, help="seconds per measured phase (default 30)")
    parser.add_argument("--baseline-duration", type=float, default=15)
    parser.add_argument("--senders", type=int, default=4, help="closed-loop sender threads (default 4)")
    parser.add_argument("--organs", type=int, default=4, choices=[2, 3, 4])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WEB_WORKERS", "2")),
                        help="gunicorn workers of the hub and the baseline (default: serve's, MOTCUA_WEB_WORKERS or 2)")
    parser.add_argument("--poll", type=float, default=0.1, help="recipients' pause after an empty inbox (s)")
    parser.add_argument("--max-presigned", type=int, default=6000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-exchange-"))
    began = time.perf_counter()
    load_start = load()
    prepare_database()
    organs = setup(data_dir, args.organs)
    print(f"database {DB} migrated, {len(organs)} organs registered in {time.perf_counter() - began:.0f} s; "
          f"load {load()}", flush=True)

    env = server_env(data_dir)
    hub_port, base_port = free_port(), free_port()
    hub_url = f"http://127.0.0.1:{hub_port}/truc-lien-thong"
    hub = Server([sys.executable, "-m", "motcua", "exchange", "serve", "--port", str(hub_port),
                  "--workers", str(args.workers)], env, hub_url + "/api/v1/organs", data_dir / "hub.log")
    # The baseline runs exactly the gunicorn command line of `motcua exchange serve`, on this module.
    baseline = Server([sys.executable, "-m", "gunicorn", "exchange_throughput:application", "--bind",
                       f"127.0.0.1:{base_port}", "--workers", str(args.workers), "--access-logfile", "/dev/null",
                       "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
                       "--graceful-timeout", "5", "--preload"], env, f"http://127.0.0.1:{base_port}/bench/hello",
                      data_dir / "baseline.log", cwd=BENCH)
    rows: list[Result] = []
    try:
        hub.start()
        closed_phase("warm-up", hub, hub_url, organs, args.senders, 5, args.poll, "WARM")
        serial = serial_calls(hub_url, organs)
        select_ms, commit_ms = database_latency()
        print("  one at a time (median ms): " + ", ".join(f"{k} {v:.0f}" for k, v in serial.items())
              + f"; PostgreSQL SELECT 1 {select_ms:.2f}, INSERT+COMMIT {commit_ms:.1f}; load {load()}", flush=True)
        e2e = closed_phase("max rate, client signs (end to end)", hub, hub_url, organs, args.senders, args.duration,
                           args.poll, "E2E")
        show(e2e)
        rows.append(e2e)
        count = min(args.max_presigned, max(200, int(e2e.sent_rate * 3 * args.duration)))
        signing = time.perf_counter()
        packages = presign(organs, args.senders, count, "HUB")
        print(f"  {count} packages pre-signed in {time.perf_counter() - signing:.0f} s", flush=True)
        hub_only = closed_phase("max rate, pre-signed (hub only)", hub, hub_url, organs, args.senders, args.duration,
                                args.poll, "HUB", presigned=packages)
        show(hub_only)
        rows.append(hub_only)
        half = e2e.rate / 2
        paced = paced_phase("half of max rate, client signs (open loop)", hub, hub_url, organs, half, args.duration,
                            args.poll, "HALF")
        show(paced)
        rows.append(paced)
        size = len(packages[0][0][2])
        hub.stop()

        baseline.start()
        body = packages[0][0][2]
        url = f"http://127.0.0.1:{base_port}/bench/hello"
        baseline_phase("warm-up", baseline, url, body, organs[0].token, 3, senders=args.senders)
        plain = baseline_phase(f"plain POST {size / 1024:.0f} KB, max rate", baseline, url, body, organs[0].token,
                               args.baseline_duration, senders=args.senders)
        show(plain)
        rows.append(plain)
        plain_half = baseline_phase(f"plain POST {size / 1024:.0f} KB, at the half rate", baseline, url, body,
                                    organs[0].token, args.baseline_duration, rate=half)
        show(plain_half)
        rows.append(plain_half)
    finally:
        hub.stop()
        baseline.stop()

    hub_p50, hub_p95, hub_p99 = hub_side_latency("HALF")
    calls = in_process(organs)
    stored, per_doc = storage_per_document()
    print()
    print(f"{datetime.now(UTC):%d %b %Y %H:%M} UTC, {os.cpu_count()} cores, gunicorn {args.workers} sync workers "
          f"(hub: `motcua exchange serve`), PostgreSQL, {len(organs)} organs, {args.senders} senders, "
          f"package {size:,} bytes (attachment {ATTACHMENT_BYTES // 1024} KB), {args.duration:.0f} s per phase, "
          f"recipients poll every {args.poll * 1000:.0f} ms when idle; load average {load_start} at start, "
          f"{load()} at the end; run {time.perf_counter() - began:.0f} s")
    print()
    print("| case | docs or req/s | offered/s | p50 (ms) | p95 (ms) | p99 (ms) | n | server CPU ms/doc "
          "| client CPU ms/doc |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        offered = f"{r.offered:.1f}" if getattr(r, "offered", None) else "max"
        print(f"| {r.label} | {r.rate:.1f} | {offered} | {r.p50 * 1000:,.0f} | {r.p95 * 1000:,.0f} | "
              f"{r.p99 * 1000:,.0f} | {r.n:,} | {r.cpu['server_ms']:.1f} | {r.cpu['client_ms']:.1f} |")
    print()
    print(f"Hub's own view of the half-rate documents (received → acknowledged): p50 {hub_p50 * 1000:,.0f} ms, "
          f"p95 {hub_p95 * 1000:,.0f} ms, p99 {hub_p99 * 1000:,.0f} ms. Half-rate pacer: p99 start delay "
          f"{paced.late_p99 * 1000:.0f} ms.")
    print("One document at a time, one call at a time (median of 20, ms): "
          + ", ".join(f"{k} {v:.1f}" for k, v in serial.items())
          + f". The same PostgreSQL meanwhile (median of 50): SELECT 1 {select_ms:.2f} ms, one-row INSERT + COMMIT "
          f"{commit_ms:.1f} ms.")
    print("In this process (Django test client, same views; queries, median ms): "
          + ", ".join(f"{k} {q:.0f} q {t:.1f} ms" for k, (q, t) in calls.items()) + ".")
    print(f"Hub tables: {stored:,} documents, {per_doc / 1024:.0f} KB per document (package, deliveries, message "
          f"log, indexes). Ratio: hub end to end = {e2e.rate / plain.rate:.3f} × the plain POST rate; "
          f"hub only = {hub_only.rate / plain.rate:.3f} ×.")
    if not args.keep:
        drop_database()
        shutil.rmtree(data_dir, ignore_errors=True)
    else:
        print(f"kept: database {DB}, data dir {data_dir}")


if __name__ == "__main__":
    main()
