"""An inter-agency dossier step over the axis, end to end, between two agencies' instances.

Three real processes' worth of motcua on loopback, each on its own database: the hub
(`motcua exchange serve`), agency A (UBND xã An Thạnh, which received the dossier) and agency B
(BHXH tỉnh Tây Ninh, which does one step of it). Each agency's work is a `motcua` subprocess on
its own database (SQLite files; PostgreSQL databases motcua_h1_a and motcua_h1_b when
DATABASE_URL is PostgreSQL — the hub then keeps a SQLite file). Officials act through the back
office pages (Django's test client, inside B's and A's processes). MOTCUA_TASKS_BACKEND=immediate
runs each outbox delivery as its transaction commits, as `motcua worker` would a moment later.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from motcua.exchange.tests import factories as f
from motcua.exchange.tests.test_survival import ON_POSTGRES, Hub, _free_port

ORGAN_A = "000.21.31.H53"  # UBND Xã An Thạnh (the dossier's receiving agency)
ORGAN_B = "000.00.80.G24"  # Bảo hiểm xã hội tỉnh Tây Ninh (does the inter-agency step)
PROCEDURE = "1.001193"

# Units, agencies, the calendar, B's officials and the one procedure the dossier is filed for (parsing only its
# line of the bundled catalogue: the whole import takes minutes on a busy machine).
SEED = """
import gzip, json
from motcua.units.loading import load_agencies, load_units
from motcua.workdays.services import load_calendar
from motcua.catalog.importer import BUNDLED_SOURCES
from motcua.catalog.parsing import load_listing, parse_portal_record
from motcua.catalog.services import publish_record
load_units(); load_agencies(); load_calendar()
from motcua.accounts.choices import Role
from motcua.dossiers.tests.factories import SOCIAL_INSURANCE, official
official("bhxh_motcua", SOCIAL_INSURANCE, Role.RECEPTION)  # B's desk and B's specialist
official("bhxh_chuyenvien", SOCIAL_INSURANCE, Role.SPECIALIST)
path = BUNDLED_SOURCES[0]
listing = load_listing(path.parent / "chatbot_tthc_ministry_tthc_lists.csv")
with gzip.open(path, "rt", encoding="utf-8") as handle:
    for line in handle:
        if '"1.001193"' in line and json.loads(line).get("ma_thu_tuc") == "1.001193":
            publish_record(parse_portal_record(json.loads(line), listing.get("1.001193")))
"""

# Agency A: its workflow for the procedure has a step done by B (as dossiers/tests/test_interagency).
A_RECEIVE = """
import json
from decimal import Decimal
from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.dossiers.choices import StepKind
from motcua.dossiers.models import WorkflowStepTemplate, WorkflowTemplate
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import SOCIAL_INSURANCE, Personas, agency, receive
from motcua.exchange.models import StepRequest
workflow = WorkflowTemplate.objects.create(procedure=Procedure.objects.get(code="1.001193"))
for order, (kind, name, where, role, share) in enumerate([
        (StepKind.RECEPTION, "Tiếp nhận", None, Role.RECEPTION, 0),
        (StepKind.SPECIALIST, "Thẩm định hộ tịch", None, Role.SPECIALIST, 40),
        (StepKind.INTERAGENCY, "Cấp thẻ BHYT cho trẻ dưới 6 tuổi", agency(SOCIAL_INSURANCE), Role.SPECIALIST, 40),
        (StepKind.APPROVAL, "Phê duyệt", None, Role.APPROVER, 20),
        (StepKind.HANDOVER, "Trả kết quả", None, Role.RECEPTION, 0)], start=1):
    WorkflowStepTemplate.objects.create(workflow=workflow, order=order, kind=kind, name=name, agency=where,
                                        role=role, share_percent=Decimal(share))
people = Personas()
dossier = receive(people, limit=(Decimal(5), "working_day"))
transition(dossier.pk, "forward", actor=people.reception)
dossier = transition(dossier.pk, "complete_step", actor=people.specialist)
request = StepRequest.objects.get()
print(json.dumps({"pk": dossier.pk, "code": dossier.code, "stage": dossier.stage, "state": request.state,
                  "error": request.error, "document_id": request.document_id,
                  "due": dossier.current_step.due_at.strftime("%d/%m/%Y")}))
"""

# The back office, as B's officials use it: queue → dossier page → forward → complete the step.
B_WORK = """
import json, re
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
from motcua.exchange.models import ReceivedRequest
setup_test_environment()
request = ReceivedRequest.objects.select_related("dossier").get()
dossier = request.dossier
out = {"code": dossier.code, "state": request.state, "sent": request.statuses_sent,
       "papers": list(dossier.components.values_list("name", flat=True))}
desk, officer = Client(), Client()
desk.force_login(User.objects.get(username="bhxh_motcua"))
officer.force_login(User.objects.get(username="bhxh_chuyenvien"))
out["queue_desk"] = dossier.code in desk.get("/mot-cua/").content.decode()
page = desk.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
out["page_origin"] = "Yêu cầu liên thông của cơ quan" in page and request.remote_dossier_code in page
out["page_due"] = dossier.due_at.astimezone().strftime("%d/%m/%Y") in page
def act(client, action, **fields):
    dossier.refresh_from_db()
    data = {f"{action}-expected_version": dossier.version, f"{action}-token": action + "-1"}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(f"/mot-cua/ho-so/{dossier.pk}/thao-tac/{action}/", data).status_code
out["forward"] = act(desk, "forward")
out["queue_officer"] = dossier.code in officer.get("/mot-cua/").content.decode()
out["complete"] = act(officer, "complete_step", outcome="Đã cấp thẻ BHYT số TE1727200012345",
                      result="Thẻ BHYT trẻ em dưới 6 tuổi")
request.refresh_from_db(); dossier.refresh_from_db()
out.update({"after_state": request.state, "after_sent": request.statuses_sent, "stage": dossier.stage,
            "reply": request.reply_document_id})
print(json.dumps(out, ensure_ascii=False))
"""

A_CHECK = """
import json
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
from motcua.dossiers.models import Dossier
from motcua.exchange.models import StepRequest
setup_test_environment()
request = StepRequest.objects.select_related("step").get()
dossier = Dossier.objects.get(pk=request.step.dossier_id)
step = request.step
completions = dossier.history.filter(action="complete_step")
last = completions.last()
files = [c for c in dossier.components.all() if c.file]
client = Client()
client.force_login(User.objects.get(username="chuyenvien"))
page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
download = client.get(f"/mot-cua/ho-so/{dossier.pk}/giay-to/{files[0].pk}/") if files else None
print(json.dumps({
    "state": request.state, "stage": dossier.stage, "current": dossier.current_step.name,
    "outcome": step.outcome, "completed_by": last.actor_label, "completions": completions.count(),
    "files": [c.file.name.rsplit("/", 1)[-1] for c in files],
    "pdf": download is not None and download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-",
    "statuses": [s.code for s in request.outgoing.statuses.all()],
    "page": {"section": "Liên thông qua trục văn bản" in page, "done": "Hoàn thành" in page and "06" in page,
             "history": "Đã cấp thẻ BHYT số TE1727200012345" in page, "state": "Đã có kết quả" in page},
}, ensure_ascii=False))

# Then the reply delivered again (a second push of the same package, and the same document
# processed again): the step is completed once.
from motcua.exchange import interagency
from motcua.exchange.client import record_incoming
from motcua.exchange.models import IncomingDocument
reply = StepRequest.objects.get().reply
_row, created = record_incoming(bytes(reply.package))
IncomingDocument.objects.filter(pk=reply.pk).update(checked_at=None)
counts = interagency.process_incoming()
print(json.dumps({"created": created, "counts": counts,
                  "completions": dossier.history.filter(action="complete_step").count(),
                  "files": sum(1 for c in dossier.components.all() if c.file)}))
"""

def _motcua(env, *args, timeout=300) -> str:
    done = subprocess.run([sys.executable, "-m", "motcua", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _shell(env, script: str, lines: int = 1):
    """Run a script in an instance's process; its last `lines` lines of output are JSON."""
    out = _motcua(env, "shell", "-c", textwrap.dedent(script)).strip().splitlines()[-lines:]
    values = [json.loads(line) for line in out]
    return values[0] if lines == 1 else values


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def agencies(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    base.update({"MOTCUA_TASKS_BACKEND": "immediate", "MOTCUA_LOG_LEVEL": "ERROR",
                 "MOTCUA_EXCHANGE_RETRY_BASE_SECONDS": "1", "MOTCUA_EXCHANGE_CHECKPOINT_SECONDS": "60"})
    envs = {}
    for name in ("hub", "a", "b"):
        (tmp_path / name).mkdir()
        envs[name] = base | {"MOTCUA_DATA_DIR": str(tmp_path / name)}
    seed_env = dict(envs["a"])
    hub_sqlite = tmp_path / "hub" / "hub.sqlite3"
    if ON_POSTGRES:
        pg = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        for db in ("motcua_h1_b", "motcua_h1_a"):
            _pg_admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        _pg_admin("CREATE DATABASE motcua_h1_a")
        seed_env |= {"DATABASE_URL": f"{pg}/motcua_h1_a", "MOTCUA_DB_CONN_MAX_AGE": "0"}
        hub_migrate = subprocess.Popen([sys.executable, "-m", "motcua", "migrate", "--skip-checks", "-v0"],
                                       env=envs["hub"] | {"DATABASE_URL": f"sqlite:///{hub_sqlite}"},
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    else:
        seed_env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    _motcua(seed_env, "migrate", "--skip-checks", "-v0")
    _motcua(seed_env, "shell", "-c", SEED)
    if ON_POSTGRES:
        _pg_admin("CREATE DATABASE motcua_h1_b TEMPLATE motcua_h1_a")
        assert hub_migrate.wait(300) == 0, hub_migrate.stderr.read()[-2000:]
        envs["a"]["DATABASE_URL"], envs["b"]["DATABASE_URL"] = f"{pg}/motcua_h1_a", f"{pg}/motcua_h1_b"
        envs["a"]["MOTCUA_DB_CONN_MAX_AGE"] = envs["b"]["MOTCUA_DB_CONN_MAX_AGE"] = "0"
    else:
        for name in ("a", "b"):
            shutil.copy(tmp_path / "seed.sqlite3", tmp_path / name / "motcua.sqlite3")
            envs[name]["DATABASE_URL"] = f"sqlite:///{tmp_path / name / 'motcua.sqlite3'}"
        shutil.copy(tmp_path / "seed.sqlite3", hub_sqlite)
    envs["hub"] |= {"DATABASE_URL": f"sqlite:///{hub_sqlite}", "MOTCUA_EXCHANGE_ROLE": "hub"}

    hub = Hub(envs["hub"], _free_port())
    for name, organ in (("a", ORGAN_A), ("b", ORGAN_B)):
        key_pem, cert_pem = f.keys(organ)
        (tmp_path / name / "key.pem").write_bytes(key_pem)
        (tmp_path / name / "cert.pem").write_bytes(cert_pem)
    # Both organs registered on the hub in one process (`exchange register-organ` is test_cli's).
    keys = _shell(envs["hub"], f"""
        import json
        from pathlib import Path
        from motcua.exchange import services
        print(json.dumps({{o: services.register_organ(o, name="Cơ quan " + o, cert_pem=Path(p).read_bytes())[1]
                          for o, p in [("{ORGAN_A}", "{tmp_path / 'a' / 'cert.pem'}"),
                                       ("{ORGAN_B}", "{tmp_path / 'b' / 'cert.pem'}")]}}))
        """)
    for name, organ in (("a", ORGAN_A), ("b", ORGAN_B)):
        envs[name] |= {"MOTCUA_EXCHANGE_ROLE": "client", "MOTCUA_EXCHANGE_HUB_URL": hub.url,
                       "MOTCUA_EXCHANGE_ORGAN_CODE": organ, "MOTCUA_EXCHANGE_TOKEN": keys[organ],
                       "MOTCUA_EXCHANGE_KEY": str(tmp_path / name / "key.pem"),
                       "MOTCUA_EXCHANGE_CERT": str(tmp_path / name / "cert.pem"),
                       "MOTCUA_INTERAGENCY_GATEWAY": "motcua.exchange.interagency.EdxmlGateway"}
    hub.start()
    try:
        yield envs
    finally:
        hub.stop()
        if ON_POSTGRES:
            for db in ("motcua_h1_a", "motcua_h1_b"):
                _pg_admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def test_an_inter_agency_step_runs_over_the_axis_between_two_instances(agencies):
    a, b = agencies["a"], agencies["b"]
    # A's dossier enters B's step: the request goes to the hub, signed, as A.
    sent = _shell(a, A_RECEIVE)
    assert sent["stage"] == "interagency" and sent["state"] == "sent", sent
    assert sent["document_id"].startswith(ORGAN_A + ",")

    # B syncs: the request becomes a dossier at B's desk with A's due date; 03 goes back.
    assert "1 yêu cầu" in _motcua(b, "exchange", "sync")
    work = _shell(b, B_WORK)
    assert work["state"] == "registered" and work["sent"] == ["03"], work
    assert work["papers"] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert work["queue_desk"] and work["page_origin"] and work["page_due"], work
    assert work["forward"] == 302 and work["queue_officer"] and work["complete"] == 302, work
    # Completing the step sent the result back and handed the dossier over (by the axis).
    assert work["after_state"] == "answered" and work["after_sent"] == ["03", "05", "06"], work
    assert work["stage"] == "returned" and work["reply"].startswith(ORGAN_B + ",")

    # A syncs: the statuses and the reply arrive; the step is completed as B's system user.
    assert "1 kết quả" in _motcua(a, "exchange", "sync")
    done, again = _shell(a, A_CHECK, lines=2)
    assert done["state"] == "answered" and done["stage"] == "in_step" and done["current"] == "Phê duyệt", done
    assert "Đã cấp thẻ BHYT số TE1727200012345" in done["outcome"] and done["completions"] == 2
    assert done["completed_by"] == f"lienthong-{ORGAN_B}"
    assert done["files"] == ["ket-qua-lien-thong.pdf"] and done["pdf"], done
    assert done["statuses"] == ["01", "03", "05", "06"], done
    assert all(done["page"].values()), done["page"]

    # The reply delivered twice: one transition, one copy of the file.
    assert again == {"created": False, "counts": {"requests": 0, "replies": 0, "ignored": 1},
                     "completions": 2, "files": 1}, again
    # Syncing again changes nothing.
    assert "Đã nhận 0 văn bản mới, 0 trạng thái mới; liên thông: 0 yêu cầu, 0 kết quả." in _motcua(a, "exchange", "sync")
