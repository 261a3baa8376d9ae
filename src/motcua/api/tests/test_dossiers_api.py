"""The officials' dossier API, as a connected system or the back office sees it, on real agencies.

Personas (dossiers/tests/factories.py): the commune of An Thạnh (Tây Ninh) has a reception officer,
a specialist and an approver; the provincial social insurance and the provincial Department of
Justice are other agencies. Each calls with its own API key (accounts.ApiToken), as a system
would; the back office's session is tested apart, with CSRF enforced.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import ApiToken
from motcua.catalog.models import Procedure
from motcua.dossiers.choices import Stage, Status
from motcua.dossiers.models import Dossier, StatusChange
from motcua.dossiers.services import ComponentInput, submit_online
from motcua.dossiers.tests.factories import APPLICANT, COMMUNE, JUSTICE, Personas, agency, receive
from motcua.dossiers.workflow import ACTIONS

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh
LIST = "/api/v1/dossiers"


class Caller:
    """An API client holding one persona's key."""

    def __init__(self, client: Client, key: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path, body=None, **headers):
        return self.client.post(path, body or {}, content_type="application/json", headers={**self.headers, **headers})


@pytest.fixture
def people():
    return Personas()


@pytest.fixture
def nobody():
    """Signed in, but not an official of any agency."""
    return User.objects.create_user("nguoidan", password="mat-khau-du-dai-2026")


@pytest.fixture
def api(client, people, nobody):
    """One caller per persona, each with its own key; `anonymous` sends none."""
    callers = {"anonymous": Caller(client, None)}
    for name in ("reception", "specialist", "approver", "insurance", "outsider"):
        _token, key = ApiToken.issue(getattr(people, name), f"test {name}")
        callers[name] = Caller(client, key)
    callers["nobody"] = Caller(client, ApiToken.issue(nobody, "test")[1])
    return callers


def reception_body(**changes) -> dict:
    body = {
        "procedure": BIRTH,
        "agency": COMMUNE,
        "applicant": dict(APPLICANT),
        "components": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                       {"name": "Giấy chứng sinh", "originals": 1}],
        "channel": "in_person",
        "time_limit": {"value": "3", "unit": "working_day"},
    }
    body.update(changes)
    return body


def url(dossier_or_code, tail: str = "") -> str:
    code = dossier_or_code if isinstance(dossier_or_code, str) else dossier_or_code.code
    return f"{LIST}/{code}{tail}"


def act(caller, dossier, action, **body):
    return caller.post(url(dossier, f"/actions/{action}"), body)


def error(response, status: int) -> dict:
    """The one item of an error body, after checking the status and the shared shape."""
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert detail and all({"loc", "msg", "type"} <= set(item) for item in detail)
    return detail[0]


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# --- authentication ----------------------------------------------------------------------------


def test_every_endpoint_answers_401_in_vietnamese_without_credentials(api, people):
    dossier = receive(people)
    anonymous = api["anonymous"]
    responses = [
        anonymous.get(LIST),
        anonymous.post(LIST, reception_body()),
        anonymous.get(url(dossier)),
        act(anonymous, dossier, "forward"),
        anonymous.get(url(dossier, "/slips/receipt.pdf")),
    ]
    for response in responses:
        item = error(response, 401)
        assert item["type"] == "not_authenticated"
        assert "Cần đăng nhập" in item["msg"]
        assert response["WWW-Authenticate"] == 'Bearer realm="motcua"'
    assert Dossier.objects.count() == 1


def test_wrong_revoked_and_malformed_keys_are_refused(client, people):
    dossier = receive(people)
    token, key = ApiToken.issue(people.reception, "quầy 1")
    assert Caller(client, key).get(url(dossier)).status_code == 200
    token.revoke()
    inactive_user_key = ApiToken.issue(people.approver, "máy chủ")[1]
    people.approver.is_active = False
    people.approver.save()
    for headers in [
        {"Authorization": f"Bearer {key}"},  # revoked
        {"Authorization": f"Bearer {key[:-1]}x"},  # wrong
        {"Authorization": "Bearer mc_khong-phai-khoa"},
        {"Authorization": f"Bearer {inactive_user_key}"},  # the account was disabled
    ]:
        response = client.get(url(dossier), headers=headers)
        item = error(response, 401)
        assert response["WWW-Authenticate"] == 'Bearer realm="motcua", error="invalid_token"'
        assert item["loc"] == ["header", "Authorization"]
        assert item["msg"] == "Khóa API không đúng, đã bị thu hồi hoặc tài khoản đã bị khóa."
    item = error(client.get(url(dossier), headers={"Authorization": f"Token {key}"}), 401)
    assert "Bearer <khóa API>" in item["msg"]


def test_a_wrong_key_is_not_rescued_by_a_session(client, people):
    client.force_login(people.reception)
    dossier = receive(people)
    assert client.get(url(dossier)).status_code == 200
    error(client.get(url(dossier), headers={"Authorization": "Bearer mc_sai"}), 401)


def test_only_a_hash_of_the_key_is_stored_and_its_use_is_recorded(client, people):
    token, key = ApiToken.issue(people.reception, "Hệ thống một cửa điện tử")
    assert key.startswith("mc_") and len(key) > 40
    token.refresh_from_db()
    assert key not in {token.key_hash, token.prefix} and key.startswith(token.prefix)
    assert token.last_used_at is None
    Caller(client, key).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_command_creates_lists_and_revokes_keys(client, people):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "tiepnhan", "--name", "Cổng dịch vụ công tỉnh", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert "chỉ hiện một lần" in err.getvalue()
    assert Caller(client, key).get(LIST).status_code == 200
    listing = io.StringIO()
    call_command("token", "list", "tiepnhan", stdout=listing)
    assert key[:10] in listing.getvalue() and "Cổng dịch vụ công tỉnh" in listing.getvalue()
    call_command("token", "revoke", key[:10], stdout=io.StringIO())
    error(Caller(client, key).get(LIST), 401)


def test_the_back_office_session_works_and_writes_need_the_csrf_token(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.reception)
    dossier = receive(people)
    assert codes(browser.get(LIST)) == [dossier.code]
    forward = url(dossier, "/actions/forward")
    item = error(browser.post(forward, {}, content_type="application/json"), 403)
    assert item["type"] == "csrf" and "X-CSRFToken" in item["msg"]
    assert Dossier.objects.get(pk=dossier.pk).stage == Stage.RECEIVED
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    done = browser.post(forward, {}, content_type="application/json", headers={"X-CSRFToken": secret})
    assert done.status_code == 200, done.content
    assert done.json()["status"]["code"] == Status.PROCESSING


# --- the work queue ----------------------------------------------------------------------------


def test_each_official_sees_only_their_queues(api, people):
    dossier = receive(people)
    assert codes(api["reception"].get(LIST, {"queue": "mine"})) == [dossier.code]
    assert codes(api["specialist"].get(LIST, {"queue": "mine"})) == []  # not at the specialist's step yet
    assert codes(api["specialist"].get(LIST, {"queue": "agency"})) == [dossier.code]
    for other in ("outsider", "insurance"):
        for queue in ("mine", "agency", "all"):
            assert codes(api[other].get(LIST, {"queue": queue})) == []
    item = error(api["nobody"].get(LIST), 403)
    assert item["msg"] == "Tài khoản này chưa được phân công tại cơ quan nào nên không có hàng đợi hồ sơ."
    act(api["reception"], dossier, "forward")
    assert codes(api["specialist"].get(LIST, {"queue": "mine"})) == [dossier.code]
    assert codes(api["reception"].get(LIST, {"queue": "mine"})) == []


def test_an_official_of_two_agencies_narrows_the_queue_to_one(api, people):
    from motcua.accounts.models import StaffMembership

    dossier = receive(people)
    StaffMembership.objects.create(user=people.reception, agency=agency(JUSTICE), role="reception")
    reception = api["reception"]
    assert codes(reception.get(LIST, {"queue": "agency", "agency": COMMUNE})) == [dossier.code]
    assert codes(reception.get(LIST, {"queue": "agency", "agency": JUSTICE})) == []
    item = error(reception.get(LIST, {"queue": "agency", "agency": "000.00.80.G24"}), 422)
    assert item["loc"] == ["query", "agency"]
    assert item["msg"] == "Tham số “agency”: bạn không được phân công tại cơ quan “000.00.80.G24”."


def test_a_list_row_shows_what_the_queue_needs(api, people):
    dossier = receive(people)
    row = api["reception"].get(LIST, {"queue": "agency"}).json()["items"][0]
    assert row["procedure"] == {"code": BIRTH, "name": "Thủ tục đăng ký khai sinh", "version": None}
    assert row["applicant"] == APPLICANT["full_name"]
    assert row["receiving_agency"]["organ_code"] == COMMUNE
    assert row["status"] == {"code": 2, "label": "Được tiếp nhận"}
    assert row["stage"]["code"] == "received"
    assert row["current_step"]["role"] == "reception"
    assert row["version"] == dossier.version
    assert row["url"].endswith(url(dossier))


def test_late_due_soon_search_and_status_filters(api, people):
    now = timezone.now()
    late = receive(people, at=now - timedelta(days=40))
    soon = receive(people, limit=(Decimal(1), "working_day"))
    later = receive(people, limit=(Decimal(30), "working_day"))
    reception = api["reception"]
    assert codes(reception.get(LIST, {"queue": "late"})) == [late.code]
    assert codes(reception.get(LIST, {"queue": "due_soon"})) == [soon.code]
    # Open queues: soonest due first.
    assert codes(reception.get(LIST, {"queue": "agency"})) == [late.code, soon.code, later.code]
    assert codes(reception.get(LIST, {"queue": "all", "q": later.code})) == [later.code]
    assert codes(reception.get(LIST, {"queue": "all", "q": "hồng nhung"})) == [late.code, soon.code, later.code][::-1]
    act(reception, later, "forward")
    assert codes(reception.get(LIST, {"queue": "agency", "status": Status.PROCESSING})) == [later.code]


def test_pages_follow_the_queue_order_without_repeats(api, people):
    now = timezone.now()
    made = [receive(people, at=now - timedelta(days=i), limit=(Decimal(5 + i), "working_day")) for i in range(7)]
    # An online submission has no due moment yet: it comes after every dated one.
    version = Procedure.objects.get(code=BIRTH).current_version
    online = submit_online(version=version, agency=agency(COMMUNE), applicant=dict(APPLICANT),
                           components=[ComponentInput(name="Tờ khai", originals=1)], actor=None)
    reception = api["reception"]
    for queue in ("agency", "all"):
        seen, cursor = [], None
        for _ in range(10):
            page = reception.get(LIST, {"queue": queue, "limit": 3, **({"cursor": cursor} if cursor else {})}).json()
            seen += [item["code"] for item in page["items"]]
            cursor = page["next"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == 8
        expected = codes(reception.get(LIST, {"queue": queue, "limit": 100}))
        assert seen == expected
    agency_order = codes(reception.get(LIST, {"queue": "agency", "limit": 100}))
    assert agency_order[-1] == online.code
    dues = [Dossier.objects.get(code=c).due_at for c in agency_order[:-1]]
    assert dues == sorted(dues)
    all_order = codes(reception.get(LIST, {"queue": "all", "limit": 100}))
    assert all_order[0] == online.code  # not received yet: newest of all
    assert set(all_order) == {d.code for d in made} | {online.code}


def test_bad_list_parameters_are_named_in_vietnamese(api, people):
    receive(people)
    receive(people)
    reception = api["reception"]
    item = error(reception.get(LIST, {"queue": "cua-toi"}), 422)
    assert item["loc"] == ["query", "queue"] and "“queue”" in item["msg"] and "'mine'" in item["msg"]
    item = error(reception.get(LIST, {"status": 11}), 422)
    assert item["loc"] == ["query", "status"] and item["msg"] == "Tham số “status” phải nhỏ hơn hoặc bằng 10."
    item = error(reception.get(LIST, {"limit": 0}), 422)
    assert item["loc"] == ["query", "limit"]
    item = error(reception.get(LIST, {"cursor": "khong-phai-con-tro"}), 422)
    assert item["loc"] == ["query", "cursor"]
    next_cursor = reception.get(LIST, {"queue": "agency", "limit": 1}).json()["next"]
    item = error(reception.get(LIST, {"queue": "all", "cursor": next_cursor}), 422)
    assert item["loc"] == ["query", "cursor"] and "hàng đợi" in item["msg"]


@pytest.mark.parametrize("queue", ["mine", "agency", "due_soon", "late", "all"])
def test_a_list_page_costs_the_same_queries_whatever_its_size(api, people, queue):
    now = timezone.now()
    for i in range(6):
        receive(people, at=now - timedelta(days=10 * i), limit=(Decimal(1 + i), "working_day"))
    api["reception"].get(LIST)  # records the key's first use (a write once a minute)
    counts = []
    for params in ({"limit": 1}, {"limit": 6}, {"limit": 6, "q": "nhung"}, {"limit": 6, "q": "0912345678"}):
        with CaptureQueriesContext(connection) as queries:
            response = api["reception"].get(LIST, {"queue": queue, **params})
        assert response.status_code == 200
        counts.append(len(queries))
    # Key, memberships, the page and a few fixed lookups: never one per row.
    assert len(set(counts)) == 1 and counts[0] <= 8, counts


# --- reception at the counter ------------------------------------------------------------------


def test_reception_over_the_api_gives_a_code_a_due_moment_and_steps(api):
    response = api["reception"].post(LIST, reception_body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"].startswith(f"{COMMUNE}-")
    assert data["status"] == {"code": 2, "label": "Được tiếp nhận"}
    assert data["due_at"] and data["time_limit"] == {"value": "3.00", "unit": "working_day"}
    assert [s["kind"] for s in data["steps"]] == ["reception", "specialist", "approval", "result", "handover"]
    assert data["current_step"] == 1 and data["steps"][0]["completed_by"] == "tiepnhan"
    assert [c["name"] for c in data["components"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [h["action"] for h in data["history"]] == ["receive"]
    assert {"forward", "refuse", "request_supplement"} <= {a["key"] for a in data["allowed_actions"]}
    assert data["url"].endswith(url(data["code"]))


def test_the_same_reception_sent_twice_with_one_key_makes_one_dossier(api):
    reception = api["reception"]
    first = reception.post(LIST, reception_body(), **{"Idempotency-Key": "quay-1-0001"})
    again = reception.post(LIST, reception_body(), **{"Idempotency-Key": "quay-1-0001"})
    assert first.status_code == again.status_code == 201
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1
    other = reception.post(LIST, reception_body(), **{"Idempotency-Key": "quay-1-0002"})
    assert other.json()["code"] != first.json()["code"]
    assert Dossier.objects.count() == 2


def test_only_a_reception_officer_of_the_agency_may_receive(api):
    for name in ("specialist", "approver", "outsider", "insurance", "nobody"):
        item = error(api[name].post(LIST, reception_body()), 403)
        assert item["msg"] == "Chỉ cán bộ tiếp nhận của cơ quan mới được tiếp nhận hồ sơ."
    assert Dossier.objects.count() == 0
    # The Department of Justice's reception officer receives at their own agency.
    assert api["outsider"].post(LIST, reception_body(agency=JUSTICE)).status_code == 201


def test_bad_reception_input_names_each_field(api):
    reception = api["reception"]
    applicant = dict(APPLICANT, full_name="  ", id_number="12345", phone="912")
    detail = reception.post(LIST, reception_body(
        applicant=applicant, components=[{"name": "Tờ khai", "originals": 0, "copies": 0}])).json()["detail"]
    by_loc = {tuple(item["loc"]): item["msg"] for item in detail}
    assert by_loc == {
        ("body", "applicant", "full_name"): "Họ và tên người nộp không được để trống.",
        ("body", "applicant", "id_number"): "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        ("body", "applicant", "phone"): "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0.",
        ("body", "components", 0): "Mỗi giấy tờ phải có ít nhất một bản chính hoặc bản sao.",
    }
    item = error(reception.post(LIST, reception_body(components=[])), 422)
    assert item["loc"] == ["body", "components"] and item["msg"] == "Chưa có giấy tờ nào trong hồ sơ."
    item = error(reception.post(LIST, reception_body(procedure="9.999999")), 422)
    assert item["loc"] == ["body", "procedure"] and "9.999999" in item["msg"]
    item = error(reception.post(LIST, reception_body(agency="000.99.99.H99")), 422)
    assert item["loc"] == ["body", "agency"] and "000.99.99.H99" in item["msg"]
    item = error(reception.post(LIST, reception_body(channel="fax")), 422)
    assert item["loc"] == ["body", "channel"]
    assert item["msg"] == "Trường “channel” phải là một trong các giá trị: 'in_person', 'online' hoặc 'postal'."
    body = reception_body()
    del body["applicant"]["full_name"]
    item = error(reception.post(LIST, body), 422)
    assert item["loc"] == ["body", "applicant", "full_name"] and item["type"] == "missing"
    assert item["msg"] == "Thiếu trường bắt buộc “applicant.full_name”."
    item = error(reception.post(LIST, reception_body(components=[{"name": "Tờ khai", "copies": "hai"}])), 422)
    assert item["loc"] == ["body", "components", 0, "copies"]
    assert item["msg"] == "Trường “components.copies” phải là số nguyên."
    item = error(reception.post(LIST, reception_body(), **{"Idempotency-Key": "x" * 81}), 422)
    assert item["loc"] == ["header", "Idempotency-Key"]
    assert Dossier.objects.count() == 0


# --- one dossier --------------------------------------------------------------------------------


def test_a_dossier_is_shown_to_its_agency_and_hidden_from_everyone_else(api, people):
    dossier = receive(people)
    shown = api["reception"].get(url(dossier))
    assert shown.status_code == 200
    assert shown.json()["applicant"]["full_name"] == APPLICANT["full_name"]
    specialist_view = api["specialist"].get(url(dossier)).json()
    # The specialist sees it and may only ask for papers until reception forwards it.
    assert [a["key"] for a in specialist_view["allowed_actions"]] == ["request_supplement"]
    missing = error(api["reception"].get(url("000.21.31.H53-000101-9999")), 404)
    for name in ("outsider", "insurance", "nobody"):
        item = error(api[name].get(url(dossier)), 404)
        # Same answer as a code that does not exist: nothing leaks about the dossier.
        assert item["type"] == missing["type"] == "not_found"
        assert item["msg"] == f"Không tìm thấy hồ sơ có mã “{dossier.code}”."


def test_a_dossier_shows_its_control_sheet_history_supplement_and_allowed_actions(api, people):
    dossier = receive(people)
    act(api["reception"], dossier, "request_supplement", reason="Bản sao giấy chứng sinh bị mờ",
        data={"missing_papers": ["Giấy chứng sinh (bản sao rõ nét)"]})
    data = api["reception"].get(url(dossier)).json()
    assert data["status"]["code"] == Status.SUPPLEMENT
    assert data["supplement_requests"][0]["missing_papers"] == ["Giấy chứng sinh (bản sao rõ nét)"]
    assert data["supplement_requests"][0]["answered_at"] is None
    assert [h["label"] for h in data["history"]] == ["receive", "Yêu cầu bổ sung hồ sơ"]
    assert data["history"][1]["actor"] == "tiepnhan" and data["history"][1]["reason"].startswith("Bản sao")
    assert {a["key"] for a in data["allowed_actions"]} == {"supplement", "request_withdrawal"}
    assert data["steps"][1]["agency"]["organ_code"] == COMMUNE and data["steps"][1]["due_at"]
    assert set(data["slip_urls"]) == {"receipt", "supplement", "refusal", "apology", "control"}


# --- actions -----------------------------------------------------------------------------------


def test_a_dossier_goes_from_reception_to_handover_over_the_api(api):
    created = api["reception"].post(LIST, reception_body()).json()
    code = created["code"]
    steps = [
        ("reception", "forward", {}),
        ("specialist", "complete_step", {"data": {"outcome": "Đủ điều kiện đăng ký khai sinh"}}),
        ("approver", "complete_step", {}),
        ("reception", "complete_step", {"data": {"result": "Giấy khai sinh bản chính"}}),
        ("reception", "hand_over", {}),
    ]
    version = created["version"]
    for persona, action, body in steps:
        response = act(api[persona], code, action, expected_version=version, **body)
        assert response.status_code == 200, (action, response.content)
        version = response.json()["version"]
    data = response.json()
    assert data["status"] == {"code": 10, "label": "Đã trả kết quả"}
    assert data["result_summary"] == "Giấy khai sinh bản chính"
    assert [h["to_status"] for h in data["history"]] == [2, 4, 4, 4, 9, 10]
    assert all(s["completed_at"] for s in data["steps"])
    assert data["steps"][1]["completed_by"] == "chuyenvien"
    assert data["closed_at"] and data["allowed_actions"] == []
    assert codes(api["reception"].get(LIST, {"queue": "agency"})) == []
    assert codes(api["reception"].get(LIST, {"queue": "all"})) == [code]


def test_an_action_sent_twice_with_one_key_moves_once(api, people):
    dossier = receive(people)
    for _ in range(2):
        response = api["reception"].post(url(dossier, "/actions/forward"), {}, **{"Idempotency-Key": "chuyen-1"})
        assert response.status_code == 200
        assert response.json()["status"]["code"] == Status.PROCESSING
    assert StatusChange.objects.filter(dossier=dossier, action="forward").count() == 1
    # Without a key, the retry is a new request, which the stage no longer allows.
    assert act(api["reception"], dossier, "forward").status_code == 409


def test_action_errors_404_403_409_422_in_vietnamese(api, people):
    dossier = receive(people)
    error(act(api["outsider"], dossier, "forward"), 404)
    error(act(api["nobody"], dossier, "forward"), 404)
    item = error(act(api["specialist"], dossier, "forward"), 403)
    assert item["msg"] == "Bạn không có quyền “Chuyển xử lý” đối với hồ sơ này."
    item = error(act(api["reception"], dossier, "hand_over"), 409)
    assert item["type"] == "transition_not_allowed" and item["loc"] == ["path", "action"]
    assert item["msg"].startswith("Không thể “Trả kết quả” khi hồ sơ đang ở giai đoạn “Mới tiếp nhận”.")
    assert {"forward", "refuse", "request_supplement"} <= set(item["allowed"])
    item = error(act(api["reception"], dossier, "refuse"), 422)
    assert item["loc"] == ["body", "reason"] and item["msg"] == "Cần nêu lý do."
    item = error(act(api["reception"], dossier, "request_supplement", reason="Thiếu giấy tờ"), 422)
    assert item["loc"] == ["body", "data", "missing_papers"] and item["msg"] == "Cần liệt kê giấy tờ phải bổ sung."
    item = error(act(api["reception"], dossier, "chuyen"), 422)
    assert item["loc"] == ["path", "action"] and "'forward'" in item["msg"]
    seen = dossier.version
    assert act(api["reception"], dossier, "forward", expected_version=seen).status_code == 200
    item = error(act(api["specialist"], dossier, "complete_step", expected_version=seen), 409)
    assert item["type"] == "conflict" and item["loc"] == ["body", "expected_version"]
    assert "vừa được người khác cập nhật" in item["msg"]
    assert StatusChange.objects.filter(dossier=dossier).count() == 2


def _online(people):
    version = Procedure.objects.get(code=BIRTH).current_version
    return submit_online(version=version, agency=agency(COMMUNE), applicant=dict(APPLICANT),
                         components=[ComponentInput(name="Tờ khai đăng ký khai sinh", originals=1)], actor=None)


def test_every_action_of_the_state_machine_works_over_the_api(api, people):
    """Each action of workflow.ACTIONS, taken by the persona whose role it needs."""
    done = set()

    def do(persona, dossier, action, expected_stage, **body):
        response = act(api[persona], dossier, action, **body)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["stage"]["code"] == expected_stage, action
        done.add(action)
        return response.json()

    online = _online(people)
    do("reception", online, "accept", Stage.RECEIVED, data={"time_limit": [3, "working_day"]})
    do("reception", receive(people), "refuse", Stage.REFUSED, reason="Không thuộc thẩm quyền của xã")
    d = receive(people)
    do("reception", d, "request_supplement", Stage.SUPPLEMENT, reason="Thiếu", data={"missing_papers": ["Tờ khai"]})
    do("reception", d, "supplement", Stage.RECEIVED)
    do("reception", d, "forward", Stage.IN_STEP)
    do("specialist", d, "request_payment", Stage.FINANCIAL, reason="Lệ phí cấp bản sao trích lục")
    do("specialist", d, "confirm_payment", Stage.IN_STEP)
    due = Dossier.objects.get(pk=d.pk).due_at
    data = do("approver", d, "apologize", Stage.IN_STEP, reason="Chờ xác minh",
              data={"new_due_at": (due + timedelta(days=7)).isoformat()})
    assert data["appointments"][0]["reason"] == "Chờ xác minh"
    do("specialist", d, "complete_step", Stage.IN_STEP)
    do("approver", d, "stop", Stage.STOPPED, reason="Người nộp đã mất năng lực hành vi dân sự")
    w = receive(people)
    do("reception", w, "request_withdrawal", Stage.WITHDRAWAL)
    do("reception", w, "confirm_withdrawal", Stage.WITHDRAWN)
    h = receive(people)
    do("reception", h, "forward", Stage.IN_STEP)
    do("specialist", h, "complete_step", Stage.IN_STEP)
    do("approver", h, "complete_step", Stage.IN_STEP)
    do("reception", h, "complete_step", Stage.RESULT_READY)
    do("reception", h, "hand_over", Stage.RETURNED)
    assert done == set(ACTIONS)


# --- slips -------------------------------------------------------------------------------------


def test_the_receipt_slip_is_a_pdf_for_the_agency_only(api, people):
    dossier = receive(people)
    response = api["reception"].get(url(dossier, "/slips/receipt.pdf"))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert dossier.code in response["Content-Disposition"]
    error(api["outsider"].get(url(dossier, "/slips/receipt.pdf")), 404)
    item = error(api["reception"].get(url(dossier, "/slips/supplement.pdf")), 422)
    assert item["loc"] == ["path", "kind"] and dossier.code in item["msg"]
    item = error(api["reception"].get(url(dossier, "/slips/giay-hen.pdf")), 422)
    assert item["loc"] == ["path", "kind"] and "receipt" in item["msg"]


def test_an_action_needs_no_body_and_a_broken_body_is_explained(client, people):
    dossier = receive(people)
    headers = {"Authorization": f"Bearer {ApiToken.issue(people.reception, 'x')[1]}"}
    response = client.post(url(dossier, "/actions/forward"), "", content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["status"]["code"] == Status.PROCESSING
    response = client.post(LIST, "{khong phai json", content_type="application/json", headers=headers)
    item = error(response, 400)
    assert item["loc"] == ["body"] and item["msg"].startswith("Nội dung yêu cầu phải là JSON hợp lệ")
