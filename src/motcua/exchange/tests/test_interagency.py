"""The inter-agency gateway over the axis, in one process against the hub's API: the
request's content and idempotency, and the bad cases (no organ code, organ unknown to the hub,
a reply for no request of ours, a reply from the wrong organ)."""

import json
from decimal import Decimal

import pytest

from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.core import outbox
from motcua.core.models import OutboxEvent, OutboxStatus
from motcua.dossiers.choices import Stage, StepKind
from motcua.dossiers.models import WorkflowStepTemplate, WorkflowTemplate
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import COMMUNE, SOCIAL_INSURANCE, Personas, agency, receive
from motcua.exchange import edxml, interagency
from motcua.exchange.client import ExchangeClient, HubError, record_incoming
from motcua.exchange.models import HubDocument, IncomingDocument, StepRequest, StepRequestState
from motcua.exchange.tests import factories as f

GATEWAY = "motcua.exchange.interagency.EdxmlGateway"


class InProcessClient(ExchangeClient):
    """The client's own code over the hub's API, called in this process and transaction (Django's
    test client instead of HTTP), so the dossiers of the session's real data stay in place."""

    def request(self, method, path, *, body=None, content_type="application/xml", query=None, raw=False):
        from urllib.parse import urlencode

        from django.test import Client

        url = "/truc-lien-thong/api/v1/" + path + ("?" + urlencode(query) if query else "")
        response = Client().generic(method, url, data=body or b"", content_type=content_type,
                                    HTTP_AUTHORIZATION=f"Bearer {self.token}")
        if response.status_code >= 400:
            raise HubError(response.status_code, response.json())
        return response.content if raw else response.json()


@pytest.fixture
def axis(settings, monkeypatch):
    """A hub (this instance's own API) with both agencies registered; this instance is agency A."""
    a, b = f.register(COMMUNE), f.register(SOCIAL_INSURANCE)
    settings.MOTCUA_EXCHANGE_ORGAN_CODE = COMMUNE
    settings.MOTCUA_INTERAGENCY_GATEWAY = GATEWAY
    monkeypatch.setattr(interagency, "_client", lambda: InProcessClient("http://hub", COMMUNE, a.key, *f.keys(COMMUNE)))
    return InProcessClient("http://hub", SOCIAL_INSURANCE, b.key, *f.keys(SOCIAL_INSURANCE))


def _workflow(where):
    workflow = WorkflowTemplate.objects.create(procedure=Procedure.objects.get(code="1.001193"))
    for order, (kind, name, at, role, share) in enumerate([
            (StepKind.RECEPTION, "Tiếp nhận", None, Role.RECEPTION, 0),
            (StepKind.INTERAGENCY, "Cấp thẻ BHYT cho trẻ dưới 6 tuổi", where, Role.SPECIALIST, 80),
            (StepKind.APPROVAL, "Phê duyệt", None, Role.APPROVER, 20),
            (StepKind.HANDOVER, "Trả kết quả", None, Role.RECEPTION, 0)], start=1):
        WorkflowStepTemplate.objects.create(workflow=workflow, order=order, kind=kind, name=name, agency=at,
                                            role=role, share_percent=Decimal(share))


def _enter_step(people):
    dossier = receive(people, limit=(Decimal(5), "working_day"))
    dossier = transition(dossier.pk, "forward", actor=people.reception)
    outbox.deliver_due()  # what `motcua worker` does: the gateway is asked
    return dossier


def _reply(b_client, request_id: str, document_id: str, sender: str = SOCIAL_INSURANCE) -> bytes:
    header = f.header(sender, [COMMUNE], document_id=document_id, response_for=(request_id,))
    body = json.dumps({"outcome": "Đã cấp thẻ", "result": ""}).encode()
    key, cert = f.keys(sender)
    return edxml.build_package(edxml.Package(header, (
        edxml.Attachment(interagency.REPLY_ATTACHMENT, "application/json", body),
        edxml.Attachment("the.pdf", "application/pdf", b"%PDF-1.4 kq"))), key_pem=key, cert_pem=cert)


@pytest.mark.django_db
def test_the_request_is_one_signed_document_to_the_step_agency(axis):
    _workflow(agency(SOCIAL_INSURANCE))
    dossier = _enter_step(Personas())
    assert dossier.stage == Stage.INTERAGENCY
    request = StepRequest.objects.get()
    assert request.state == StepRequestState.SENT and request.organ_id == SOCIAL_INSURANCE
    stored = HubDocument.objects.get()
    package = edxml.verify_package(bytes(stored.package), trusted_cert_pems=[f.keys(COMMUNE)[1]])
    header = package.header
    assert header.sender.organ_id == COMMUNE and [r.organ_id for r in header.recipients] == [SOCIAL_INSURANCE]
    assert dossier.code in header.subject and "Cấp thẻ BHYT" in header.subject
    assert header.document_id == request.document_id and header.due_date is not None
    described = json.loads(next(a.data for a in package.attachments if a.name == interagency.REQUEST_ATTACHMENT))
    assert described["dossier_code"] == dossier.code and described["procedure"]["code"] == "1.001193"
    assert described["applicant"]["full_name"] == "Nguyễn Thị Hồng Nhung"
    assert described["asked"] == "Cấp thẻ BHYT cho trẻ dưới 6 tuổi" and described["due_at"]
    # A retry (the outbox delivering the event again) sends the same bytes: still one document.
    interagency.send_step_request(dossier.current_step)
    assert HubDocument.objects.count() == 1 and StepRequest.objects.get().state == StepRequestState.SENT


@pytest.mark.django_db
def test_a_step_agency_without_organ_code_is_recorded_not_retried(axis):
    people = Personas()
    where = agency(SOCIAL_INSURANCE)
    where.organ_code = None
    where.save(update_fields=["organ_code"])
    _workflow(where)
    _enter_step(people)
    request = StepRequest.objects.get()
    assert request.state == StepRequestState.ERROR and "chưa có mã định danh" in request.error
    assert not HubDocument.objects.exists()
    # The outbox event is delivered (not failing again and again).
    assert not OutboxEvent.objects.filter(status=OutboxStatus.PENDING, attempts__gt=0).exists()


@pytest.mark.django_db
def test_an_organ_unknown_to_the_hub_is_recorded_with_the_hubs_reason(axis):
    from motcua.exchange.models import HubOrgan

    HubOrgan.objects.filter(organ_id=SOCIAL_INSURANCE).update(active=False)
    _workflow(agency(SOCIAL_INSURANCE))
    _enter_step(Personas())
    request = StepRequest.objects.get()
    assert request.state == StepRequestState.ERROR and "chưa đăng ký trên trục" in request.error
    # Once the organ is registered, the next sync sends it.
    HubOrgan.objects.filter(organ_id=SOCIAL_INSURANCE).update(active=True)
    assert interagency.retry_failed() == 1 and StepRequest.objects.get().state == StepRequestState.SENT


@pytest.mark.django_db
def test_replies_for_no_request_or_from_another_organ_change_nothing(axis):
    _workflow(agency(SOCIAL_INSURANCE))
    dossier = _enter_step(Personas())
    request = StepRequest.objects.get()
    unknown = _reply(axis, f"{COMMUNE},2026/11/26,999/PYC-LT", f"{SOCIAL_INSURANCE},2026/11/27,1/KQ-LT")
    posing = _reply(axis, request.document_id, f"{f.ORGAN_C},2026/11/27,1/KQ-LT", sender=f.ORGAN_C)
    for data in (unknown, posing):
        record_incoming(data)
    assert interagency.process_incoming() == {"requests": 0, "replies": 0, "ignored": 2}
    dossier.refresh_from_db()
    assert dossier.stage == Stage.INTERAGENCY and StepRequest.objects.get().state == StepRequestState.SENT
    assert not dossier.components.exclude(file="").exists()
    # The right reply, delivered twice under two DocumentIds: one transition.
    first = _reply(axis, request.document_id, f"{SOCIAL_INSURANCE},2026/11/27,2/KQ-LT")
    second = _reply(axis, request.document_id, f"{SOCIAL_INSURANCE},2026/11/27,3/KQ-LT")
    record_incoming(first)
    record_incoming(second)
    assert interagency.process_incoming() == {"requests": 0, "replies": 1, "ignored": 1}
    dossier.refresh_from_db()
    assert dossier.stage == Stage.IN_STEP and dossier.history.filter(action="complete_step").count() == 1
    assert IncomingDocument.objects.filter(checked_at__isnull=True).count() == 0
    assert dossier.components.exclude(file="").count() == 1


def _request(document_id: str, procedure: str = "1.001193") -> bytes:
    header = f.header(COMMUNE, [SOCIAL_INSURANCE], document_id=document_id, subject="Đề nghị liên thông")
    body = {"dossier_code": "000.21.31.H53-261126-0007", "procedure": {"code": procedure, "name": "Đăng ký khai sinh"},
            "applicant": {"full_name": "Nguyễn Thị Hồng Nhung"}, "asked": "Cấp thẻ BHYT cho trẻ dưới 6 tuổi",
            "step": {"role": "specialist"}, "due_at": "2026-12-03T17:00:00+07:00",
            "papers": [{"name": "Giấy chứng sinh", "originals": 1, "copies": 0, "file": "giay-chung-sinh.pdf"}]}
    key, cert = f.keys(COMMUNE)
    return edxml.build_package(edxml.Package(header, (
        edxml.Attachment(interagency.REQUEST_ATTACHMENT, "application/json", json.dumps(body).encode()),
        edxml.Attachment("giay-chung-sinh.pdf", "application/pdf", b"%PDF-1.4 gcs"))), key_pem=key, cert_pem=cert)


@pytest.mark.django_db
def test_a_pushed_request_becomes_a_dossier_at_the_desk_and_a_bad_one_is_refused(settings, monkeypatch):
    from django.test import Client

    from motcua.dossiers.selectors import work_queue
    from motcua.dossiers.tests.factories import official
    from motcua.exchange import services, views
    from motcua.exchange.models import HubOrgan, ReceivedRequest, StatusEvent

    a, b = f.register(COMMUNE), f.register(SOCIAL_INSURANCE)
    settings.MOTCUA_EXCHANGE_ORGAN_CODE, settings.MOTCUA_EXCHANGE_CALLBACK_SECRET = SOCIAL_INSURANCE, "bi-mat"
    monkeypatch.setattr(views, "sender_certificates", lambda organ: [f.keys(organ)[1]])
    desk = official("bhxh_motcua", SOCIAL_INSURANCE, Role.RECEPTION)
    good, bad = _request(f"{COMMUNE},2026/11/26,41/PYC-LT"), _request(f"{COMMUNE},2026/11/26,42/PYC-LT", "9.999999")
    for data in (good, bad):
        services.accept_package(HubOrgan.objects.get(organ_id=a.organ_id), data)
        response = Client().post("/truc-lien-thong/nhan/", data=data, content_type="application/xml",
                                 HTTP_AUTHORIZATION="Bearer bi-mat")
        assert response.status_code == 201
    registered = ReceivedRequest.objects.get(incoming__document_id=f"{COMMUNE},2026/11/26,41/PYC-LT")
    dossier = registered.dossier
    assert registered.state == "registered" and registered.remote_dossier_code == "000.21.31.H53-261126-0007"
    assert dossier.receiving_agency == agency(SOCIAL_INSURANCE) and dossier.stage == Stage.RECEIVED
    assert list(work_queue(desk, "mine")) == [dossier]
    assert [s.name for s in dossier.steps.all()][1] == "Cấp thẻ BHYT cho trẻ dưới 6 tuổi"
    assert dossier.due_at.isoformat().startswith("2026-12-03T10:00")  # 17:00 in Vietnam
    paper = dossier.components.get()
    assert paper.name == "Giấy chứng sinh" and paper.file.read() == b"%PDF-1.4 gcs"
    refused = ReceivedRequest.objects.get(incoming__document_id=f"{COMMUNE},2026/11/26,42/PYC-LT")
    assert refused.state == "refused" and refused.dossier is None and "9.999999" in refused.reason
    # The statuses reach A through the hub: 03 for the one, 02 with the reason for the other.
    client = InProcessClient("http://hub", SOCIAL_INSURANCE, b.key, *f.keys(SOCIAL_INSURANCE))
    assert interagency.flush_statuses(client) == 2 and interagency.flush_statuses(client) == 0
    events = {(e.delivery.document.document_id, e.code): e.description for e in StatusEvent.objects.all()}
    assert events[(f"{COMMUNE},2026/11/26,41/PYC-LT", "03")].endswith(dossier.code)
    assert "9.999999" in events[(f"{COMMUNE},2026/11/26,42/PYC-LT", "02")]
    # The same push again: stored once, nothing registered twice.
    Client().post("/truc-lien-thong/nhan/", data=good, content_type="application/xml", HTTP_AUTHORIZATION="Bearer bi-mat")
    assert ReceivedRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_request_refused_by_the_other_organ_shows_the_reason_and_is_not_resent(axis):
    from motcua.exchange.client import sync_statuses

    _workflow(agency(SOCIAL_INSURANCE))
    _enter_step(Personas())
    request = StepRequest.objects.get()
    axis.send_status(f.status(SOCIAL_INSURANCE, COMMUNE, request.document_id, "02",
                              "Thủ tục không thuộc thẩm quyền của cơ quan"))
    sync_statuses(interagency._client())
    interagency.process_incoming()
    request.refresh_from_db()
    assert request.state == StepRequestState.REFUSED
    assert request.error == f"Cơ quan {SOCIAL_INSURANCE} từ chối tiếp nhận: Thủ tục không thuộc thẩm quyền của cơ quan"
    assert interagency.retry_failed() == 0 and HubDocument.objects.count() == 1
