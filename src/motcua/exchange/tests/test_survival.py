"""The hub survives SIGKILL: 10,000 documents between three organs, the hub killed and restarted
twice, one recipient offline for part of the run. At the end every document is in its recipient's
hands exactly once, every 01 status has reached its sender, and the message log verifies.

The hub runs as real processes (`motcua exchange serve`) on its own database: a temporary SQLite
file (WAL), or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL. The second test
runs two hub processes on one PostgreSQL database and kills one of them for good.

MOTCUA_EXCHANGE_SURVIVAL_DOCUMENTS sets the count (default 10,000).
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Pool
from pathlib import Path

import pytest

from motcua.exchange.client import ExchangeClient, HubError
from motcua.exchange.tests import factories as f

N = int(os.environ.get("MOTCUA_EXCHANGE_SURVIVAL_DOCUMENTS", "10000"))
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sign(args):
    sender, recipient, n = args
    return f.package(sender, [recipient], document_id=f"{sender},2026/11/26,{n:05d}/UBND-VP",
                     subject=f"Công văn thử số {n}", attachment=b"%PDF-1.4 " + str(n).encode())


class Hub:
    """`motcua exchange serve` as its own process group, on its own database."""

    def __init__(self, env: dict, port: int):
        self.env, self.port, self.process = env, port, None
        self.url = f"http://127.0.0.1:{port}/truc-lien-thong"

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "motcua", "exchange", "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/organs", timeout=2):
                    pass
            except urllib.error.HTTPError:
                return  # 401: up and answering
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the hub did not start")

    def kill(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        # Whatever of the group is still there (a worker mid-start) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _motcua(env, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "motcua", *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def hub_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update({"MOTCUA_DATA_DIR": str(tmp_path), "MOTCUA_EXCHANGE_ROLE": "hub", "MOTCUA_TASKS_BACKEND": "immediate",
                "MOTCUA_EXCHANGE_RETRY_BASE_SECONDS": "1", "MOTCUA_EXCHANGE_RETRY_MAX_SECONDS": "2",
                "MOTCUA_EXCHANGE_PUSH_TIMEOUT_SECONDS": "3", "MOTCUA_EXCHANGE_CHECKPOINT_SECONDS": "5",
                "MOTCUA_LOG_LEVEL": "ERROR"})
    db_name = None
    if ON_POSTGRES:
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        db_name = f"motcua_exchange_survival_{os.getpid()}"
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db_name}")
            conn.execute(f"CREATE DATABASE {db_name}")
        env["DATABASE_URL"] = f"{base}/{db_name}"
        env["MOTCUA_DB_CONN_MAX_AGE"] = "0"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    _motcua(env, "migrate", "--skip-checks", "-v0")
    yield env
    if db_name:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")


class PushReceiver:
    """Organ A's callback: records what it gets; answers 503 while `offline`."""

    def __init__(self):
        self.offline = True
        self.got: Counter = Counter()
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.offline:
                    self.send_response(503)
                else:
                    with outer.lock:
                        outer.got[(self.headers["X-Motcua-Sender"], self.headers["X-Motcua-Document-Id"])] += 1
                    self.send_response(200 if body else 400)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/nhan/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _drain_inbox(client: ExchangeClient, seen: Counter, *, fetch: bool = True) -> int:
    got = 0
    while True:
        items = client.inbox(limit=500)["items"]
        if not items:
            return got
        for item in items:
            if fetch:
                assert client.fetch(item["id"])  # the package itself, not only the listing
            seen[(item["sender"], item["document_id"])] += 1
        client.ack(*[i["id"] for i in items])
        got += len(items)


def _drain_statuses(client: ExchangeClient, seen: Counter) -> None:
    while True:
        items = client.status_feed(limit=1000)["items"]
        if not items:
            return
        for item in items:
            seen[(item["document_id"], item["recipient"], item["code"])] += 1
        client.ack_statuses(*[i["id"] for i in items])


def _register(hub_env, receiver) -> dict[str, str]:
    keys = {}
    for organ in (f.ORGAN_A, f.ORGAN_B, f.ORGAN_C):
        cert = Path(hub_env["MOTCUA_DATA_DIR"]) / f"{organ}.pem"
        cert.write_bytes(f.keys(organ)[1])
        extra = ["--callback-url", receiver.url, "--callback-secret", "s"] if organ == f.ORGAN_A else []
        out = _motcua(hub_env, "exchange", "register-organ", organ, "--cert", str(cert), *extra)
        keys[organ] = out.strip().rsplit(" ", 1)[-1]
    return keys


def _signed_packages(half: int) -> dict[str, list[bytes]]:
    with Pool(2) as pool:  # signing is not what is tested: done up front, on both cores
        jobs = [(f.ORGAN_A, f.ORGAN_B, n) for n in range(half)] + [(f.ORGAN_C, f.ORGAN_A, n) for n in range(N - half)]
        packages = pool.map(_sign, jobs, chunksize=200)
    return {f.ORGAN_A: packages[:half], f.ORGAN_C: packages[half:]}


class Run:
    """Two organs send (two threads each); B pulls its inbox once online; hubs die on schedule."""

    def __init__(self, hubs: list[Hub], keys: dict[str, str], receiver: PushReceiver):
        self.hubs, self.keys, self.receiver = hubs, keys, receiver
        self.urls = ",".join(h.url for h in hubs)
        self.sent: Counter = Counter()
        self.errors: list[BaseException] = []
        self.b_seen: Counter = Counter()
        self.b_online, self.stop_b = threading.Event(), threading.Event()

    def client(self, organ: str) -> ExchangeClient:
        return ExchangeClient(self.urls, organ, self.keys[organ], retries=200, backoff=0.1, timeout=20)

    def sender(self, organ: str, part: list[bytes]):
        c = self.client(organ)
        try:
            for data in part:
                c.send(data)
                self.sent[organ] += 1
        except BaseException as exc:
            self.errors.append(exc)

    def b_puller(self):
        self.b_online.wait()
        c = self.client(f.ORGAN_B)
        while not self.stop_b.is_set():
            try:
                if not _drain_inbox(c, self.b_seen):
                    time.sleep(0.2)
            except HubError:
                time.sleep(0.5)

    def send_all(self, work: dict[str, list[bytes]], kills: list[tuple[float, Hub, bool]]):
        threads = [threading.Thread(target=self.sender, args=(organ, work[organ][i::2]))
                   for organ in work for i in range(2)]
        for t in threads:
            t.start()
        puller = threading.Thread(target=self.b_puller)
        puller.start()
        pending = sorted(kills, key=lambda k: k[0])
        while any(t.is_alive() for t in threads):
            done = sum(self.sent.values()) / N
            if pending and done >= pending[0][0]:
                _at, hub, restart = pending.pop(0)
                hub.kill()
                if restart:
                    hub.start()
            if done >= 0.4:  # B comes online, A's endpoint comes back
                self.b_online.set()
                self.receiver.offline = False
            time.sleep(0.05)
        assert not self.errors, self.errors[:3]
        assert not pending, "the run ended before every kill"
        self.b_online.set()
        self.receiver.offline = False
        return puller


def _run(hub_env, hubs: list[Hub], kills: list[tuple[float, Hub, bool]]) -> dict:
    """Send N documents (A→B pulled, C→A pushed), killing hubs at the given fractions of the run."""
    receiver = PushReceiver()
    keys = _register(hub_env, receiver)
    for hub in hubs:
        hub.start()
    half = N // 2
    run = Run(hubs, keys, receiver)
    started = time.monotonic()
    puller = run.send_all(_signed_packages(half), kills)
    # Drain: B keeps pulling; A's pushes are retried; whatever was not pushed A takes from its inbox.
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if len(run.b_seen) >= half and sum(receiver.got.values()) >= N - half:
            break
        time.sleep(0.5)
    run.stop_b.set()
    puller.join()
    _drain_inbox(run.client(f.ORGAN_B), run.b_seen)
    a_seen: Counter = Counter()
    _drain_inbox(run.client(f.ORGAN_A), a_seen)
    a_all = receiver.got + a_seen
    elapsed = time.monotonic() - started

    expected_b = {(f.ORGAN_A, f"{f.ORGAN_A},2026/11/26,{n:05d}/UBND-VP") for n in range(half)}
    expected_a = {(f.ORGAN_C, f"{f.ORGAN_C},2026/11/26,{n:05d}/UBND-VP") for n in range(N - half)}
    assert set(run.b_seen) == expected_b and set(a_all) == expected_a
    # Transport re-deliveries (a push whose ack died with the hub) are few, and the receiving
    # instance stores on (sender, DocumentId), so the recipient sees each document once.
    redelivered = sum(run.b_seen.values()) - len(run.b_seen) + sum(a_all.values()) - len(a_all)
    assert redelivered <= 100
    # Every 01 status reached its sender, once.
    a_status, c_status = Counter(), Counter()
    _drain_statuses(run.client(f.ORGAN_A), a_status)
    _drain_statuses(run.client(f.ORGAN_C), c_status)
    assert {(d, r) for (d, r, code) in a_status if code == "01"} == {(d, f.ORGAN_B) for _s, d in expected_b}
    assert {(d, r) for (d, r, code) in c_status if code == "01"} == {(d, f.ORGAN_A) for _s, d in expected_a}
    assert max(a_status.values()) == 1 and max(c_status.values()) == 1
    for hub in hubs:
        hub.stop()
    counts = json.loads(_motcua(hub_env, "shell", "-c", (
        "import json; from motcua.exchange.models import *; "
        "print(json.dumps({'docs': HubDocument.objects.count(), 'deliveries': Delivery.objects.count(), "
        "'unacked': Delivery.objects.filter(acked_at__isnull=True).count(), "
        "'arrived': StatusEvent.objects.filter(code='01').count()}))")).strip().splitlines()[-1])
    assert counts == {"docs": N, "deliveries": N, "unacked": 0, "arrived": N}
    assert "toàn vẹn" in _motcua(hub_env, "exchange", "verify-log")
    report = {"documents": N, "seconds": round(elapsed, 1), "pushed": sum(receiver.got.values()),
              "pulled_by_a": sum(a_seen.values()), "redelivered": redelivered}
    sys.stdout.write(f"survival: {report}\n")
    return report


def test_hub_killed_twice_loses_nothing_and_duplicates_nothing(hub_env):
    hub = Hub(hub_env, _free_port())
    try:
        _run(hub_env, [hub], [(0.25, hub, True), (0.6, hub, True)])
    finally:
        hub.stop()


@pytest.mark.skipif(not ON_POSTGRES, reason="two hub processes share one database only on PostgreSQL "
                    "(SQLite is one file for one machine); set DATABASE_URL=postgres://… to run it")
def test_two_hubs_on_postgres_one_killed(hub_env):
    hubs = [Hub(hub_env, _free_port()), Hub(hub_env, _free_port())]
    try:
        _run(hub_env, hubs, [(0.3, hubs[1], False)])
    finally:
        for hub in hubs:
            hub.stop()
