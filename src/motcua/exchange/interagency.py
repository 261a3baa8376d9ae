"""Inter-agency dossier steps (liên thông) over the document interconnection axis.

Sending side (agency A): when a dossier enters a step of another agency, `EdxmlGateway.request()`
sends a signed edXML "phiếu yêu cầu liên thông" to that agency's organ code. Its DocumentId is
derived from the step, and a retry resends the bytes first sent, so the hub (which keeps a
(sender, DocumentId) once) sees one document however often the outbox retries.

Receiving side (agency B): `process_incoming()` (run by `motcua exchange sync` and after a push)
recognises a request by its attachment `REQUEST_ATTACHMENT`, makes it a dossier at B
(`dossiers.interagency.receive_request`) and reports 03; the desk forwarding it reports 05; when
B's official completes the step, the dossier event sends the result back as a document answering
the request (ResponseFor = its DocumentId, attachment `REPLY_ATTACHMENT` + the result PDF) and
reports 06.

Back at A, the reply (recognised the same way and matched by ResponseFor to the `StepRequest`)
completes the step as B's system user, with B's files attached to the dossier; the transition's
idempotency key and the `StepRequest` state make a reply delivered twice count once.
"""

import json
import logging
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.core.outbox import handles
from motcua.dossiers.choices import Stage
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierStep, ReceivedComponent
from motcua.exchange import edxml
from motcua.exchange.client import (
    ExchangeClient,
    HubError,
    HubUnavailableError,
    send_document,
    sync_inbox,
    sync_statuses,
)
from motcua.exchange.models import (
    IncomingDocument,
    OutgoingDocument,
    ReceivedRequest,
    ReceivedRequestState,
    StepRequest,
    StepRequestState,
)

logger = logging.getLogger(__name__)

# The marker of the two kinds of documents: a machine-readable attachment with a fixed name.
REQUEST_ATTACHMENT = "motcua-lien-thong-yeu-cau.json"
REPLY_ATTACHMENT = "motcua-lien-thong-ket-qua.json"
REQUEST_NOTATION = "PYC-LT"  # phiếu yêu cầu liên thông
REPLY_NOTATION = "KQ-LT"  # kết quả liên thông
# Papers of the dossier travel with the request while they fit; the rest are listed by name.
MAX_PAPER_BYTES = 8 * 1024 * 1024
GATEWAY_PATH = "motcua.exchange.interagency.EdxmlGateway"


# ----------------------------------------------------------------------------- sending side

class EdxmlGateway:
    """MOTCUA_INTERAGENCY_GATEWAY=motcua.exchange.interagency.EdxmlGateway."""

    def request(self, step: DossierStep) -> None:
        send_step_request(step)


def _client() -> ExchangeClient:
    return ExchangeClient.from_settings()


def _own_organ() -> str:
    return settings.MOTCUA_EXCHANGE_ORGAN_CODE


def request_document_id(step: DossierStep) -> str:
    started = timezone.localtime(step.started_at or timezone.now())
    return f"{_own_organ()},{started:%Y/%m/%d},{step.pk}/{REQUEST_NOTATION}"


# What is stored or sent to another agency is Vietnamese, whatever language the official reads in.
@translation.override("vi")
def _record_error(step: DossierStep, message: str) -> StepRequest:
    logger.error("inter-agency step %s of dossier %s not sent: %s", step.pk, step.dossier_id, message)
    row, _created = StepRequest.objects.update_or_create(
        step=step, defaults={"organ_id": step.agency.organ_code or "", "document_id": request_document_id(step),
                             "state": StepRequestState.ERROR, "error": message[:500]})
    return row


def send_step_request(step: DossierStep, client: ExchangeClient | None = None) -> StepRequest:
    """Send the step to its agency over the axis (idempotent). A refusal by the hub or a missing
    organ code is recorded on the `StepRequest` (shown on the dossier page) and not raised, so the
    outbox does not retry what cannot succeed; an unreachable hub raises, and the outbox retries."""
    step = DossierStep.objects.select_related(
        "agency", "dossier__receiving_agency", "dossier__applicant", "dossier__procedure_version__procedure",
    ).get(pk=step.pk)
    existing = StepRequest.objects.filter(step=step).first()
    if existing and existing.state == StepRequestState.ANSWERED:
        return existing
    organ = step.agency.organ_code
    if not organ:
        return _record_error(step, _("Cơ quan “%(agency)s” chưa có mã định danh (OrganId) nên không gửi được yêu "
                                     "cầu liên thông qua trục; hãy bổ sung mã định danh cho cơ quan.")
                             % {"agency": step.agency.name})
    if not _own_organ():
        return _record_error(step, _("Chưa cấu hình mã định danh của cơ quan mình (MOTCUA_EXCHANGE_ORGAN_CODE)."))
    try:
        client = client or _client()
        document_id = request_document_id(step)
        earlier = OutgoingDocument.objects.filter(document_id=document_id).first()
        package = bytes(earlier.package) if earlier else client.sign_package(_request_package(step, document_id))
        outgoing, _result = send_document(client, package)
    except HubUnavailableError:
        raise  # the outbox retries with back-off; the same bytes go again
    except (HubError, edxml.EdxmlError) as exc:
        return _record_error(step, _("Trục liên thông không nhận yêu cầu: %(reason)s")
                             % {"reason": getattr(exc, "message", str(exc))})
    row, _created = StepRequest.objects.update_or_create(
        step=step, defaults={"organ_id": organ, "document_id": document_id, "outgoing": outgoing,
                             "state": StepRequestState.SENT, "error": ""})
    return row


@translation.override("vi")
def _request_package(step: DossierStep, document_id: str) -> edxml.Package:
    dossier = step.dossier
    procedure = dossier.procedure_version
    papers, attachments, budget = [], [], MAX_PAPER_BYTES
    for component in dossier.components.all():
        entry = {"name": component.name, "originals": component.originals, "copies": component.copies, "file": None}
        if component.file:
            try:
                data = component.file.read() if component.file.open("rb") else b""
            finally:
                component.file.close()
            if len(data) <= min(budget, edxml.MAX_ATTACHMENT_BYTES):
                name = f"giay-to-{component.pk}-{component.file.name.rsplit('/', 1)[-1]}"
                attachments.append(edxml.Attachment(name, "application/octet-stream", data, component.name[:200]))
                entry["file"] = name
                budget -= len(data)
        papers.append(entry)
    due = step.due_at or dossier.due_at
    description = {
        "kind": "motcua.interagency.request", "version": 1,
        "dossier_code": dossier.code,
        "procedure": {"code": procedure.procedure.code, "name": procedure.name},
        "applicant": {"full_name": dossier.applicant.full_name, "kind": dossier.applicant.kind},
        "step": {"order": step.order, "name": step.name, "role": step.role},
        "asked": step.name,
        "due_at": due.isoformat() if due else None,
        "receiving_agency": {"name": dossier.receiving_agency.name, "organ_id": _own_organ()},
        "papers": papers,
    }
    request = edxml.Attachment(REQUEST_ATTACHMENT, "application/json",
                               json.dumps(description, ensure_ascii=False, indent=1).encode(),
                               "Phiếu yêu cầu liên thông (dữ liệu)")
    subject = _("Đề nghị thực hiện liên thông “%(step)s” cho hồ sơ %(code)s, thủ tục %(procedure)s") % {
        "step": step.name, "code": dossier.code, "procedure": procedure.name}
    header = edxml.Header(
        sender=edxml.Organ(_own_organ(), name=dossier.receiving_agency.name),
        recipients=(edxml.Organ(step.agency.organ_code, name=step.agency.name),),
        document_id=document_id, code_number=str(step.pk), code_notation=REQUEST_NOTATION,
        promulgation_place="", promulgation_date=timezone.localtime(step.started_at or timezone.now()).date(),
        document_type="Phiếu yêu cầu liên thông", subject=subject[:1000],
        due_date=timezone.localtime(due).date() if due else None)
    return edxml.Package(header, (request, *attachments))


# ----------------------------------------------------------------------------- incoming documents

def sync(client: ExchangeClient | None = None) -> dict[str, int]:
    """What an agency's instance does every minute (`motcua worker`, `motcua exchange sync`, after a
    push): documents and statuses in; requests become dossiers, replies complete steps; statuses out;
    requests that could not go are tried again."""
    client = client or ExchangeClient.from_settings()
    counts = {"documents": sync_inbox(client), "statuses": sync_statuses(client)}
    counts.update(process_incoming(client))
    counts["resent"] = retry_failed(client)
    return counts


def sync_configured() -> bool:
    """This instance talks to a hub: a client is configured."""
    return bool(settings.MOTCUA_EXCHANGE_HUB_URL and settings.MOTCUA_EXCHANGE_ORGAN_CODE)


def process_incoming(client: ExchangeClient | None = None) -> dict[str, int]:
    """Act on every incoming document not looked at yet: requests become dossiers here, replies
    complete our steps. Returns counts; a document that cannot be acted on is logged and kept."""
    counts = {"requests": 0, "replies": 0, "ignored": 0}
    for pk in IncomingDocument.objects.filter(checked_at__isnull=True).order_by("id").values_list("pk", flat=True):
        counts[process_one(pk)] += 1
    mark_refused()
    if client is not None:
        flush_statuses(client)
    return counts


def process_one(incoming_id: int) -> str:
    with transaction.atomic():
        row = IncomingDocument.objects.select_for_update().filter(pk=incoming_id, checked_at__isnull=True).first()
        if row is None:
            return "ignored"
        try:
            package = edxml.parse_package(bytes(row.package))  # verified when it was stored
        except edxml.EdxmlError:
            package = edxml.Package(None, ())
        names = {a.name for a in package.attachments}
        kind = "ignored"
        if REQUEST_ATTACHMENT in names:
            _register_request(row, package)
            kind = "requests"
        elif REPLY_ATTACHMENT in names:
            kind = "replies" if _apply_reply(row, package) else "ignored"
        row.checked_at = timezone.now()
        row.save(update_fields=["checked_at"])
    return kind


def mark_refused() -> int:
    """A request the other organ refused (status 02, read by `sync_statuses`) is shown as refused,
    with its reason, and is not sent again."""
    from motcua.exchange.models import ReceivedStatus

    marked = 0
    for request in StepRequest.objects.filter(state=StepRequestState.SENT, outgoing__statuses__code="02").distinct():
        status = ReceivedStatus.objects.filter(outgoing_id=request.outgoing_id, code="02").first()
        request.state = StepRequestState.REFUSED
        request.error = (_("Cơ quan %(organ)s từ chối tiếp nhận: %(reason)s")
                         % {"organ": status.organ_id, "reason": status.description})[:500]
        request.save(update_fields=["state", "error"])
        logger.warning("inter-agency request %s refused by %s", request.document_id, status.organ_id)
        marked += 1
    return marked


def _attachment(package: edxml.Package, name: str) -> dict:
    for att in package.attachments:
        if att.name == name:
            try:
                value = json.loads(att.data)
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def _parse_time(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(moment) if moment and timezone.is_naive(moment) else moment


@translation.override("vi")
def _register_request(row: IncomingDocument, package: edxml.Package) -> ReceivedRequest:
    from motcua.dossiers.errors import InvalidInputError
    from motcua.dossiers.interagency import receive_request
    from motcua.units.models import Agency

    data = _attachment(package, REQUEST_ATTACHMENT)
    header = package.header
    origin = _("Yêu cầu liên thông của %(organ)s (%(code)s), hồ sơ %(dossier)s, văn bản %(document)s") % {
        "organ": header.sender.name or header.sender.organ_id, "code": header.sender.organ_id,
        "dossier": data.get("dossier_code", ""), "document": row.document_id}
    request = ReceivedRequest(incoming=row, remote_dossier_code=str(data.get("dossier_code", ""))[:60])
    own = {r.organ_id for r in header.recipients} & {_own_organ()}
    agency = Agency.objects.filter(organ_code__in=own).first() if own else None
    if agency is None:
        request.state, request.reason = ReceivedRequestState.REFUSED, _(
            "Cơ quan nhận (mã %(code)s) không có trên hệ thống một cửa này.") % {"code": _own_organ()}
    else:
        by_file = {a.name: a.data for a in package.attachments}
        papers = [{"name": p.get("name"), "originals": p.get("originals"), "copies": p.get("copies"),
                   "file_name": p.get("file"), "data": by_file.get(p.get("file")) if p.get("file") else None}
                  for p in data.get("papers") or [] if isinstance(p, dict)]
        try:
            request.dossier = receive_request(
                agency=agency, procedure_code=str((data.get("procedure") or {}).get("code", "")),
                applicant_name=str((data.get("applicant") or {}).get("full_name", "")),
                step_name=str(data.get("asked") or (data.get("step") or {}).get("name", "")),
                role=str((data.get("step") or {}).get("role", "")),
                due_at=_parse_time(data.get("due_at")),
                papers=papers, origin=origin)
            request.state = ReceivedRequestState.REGISTERED
        except InvalidInputError as exc:
            request.state, request.reason = ReceivedRequestState.REFUSED, " ".join(exc.errors.values())
    if request.state == ReceivedRequestState.REFUSED:
        logger.warning("inter-agency request %s from %s refused: %s", row.document_id, row.sender_organ_id,
                       request.reason)
    request.save()
    return request


@translation.override("vi")
def _apply_reply(row: IncomingDocument, package: edxml.Package) -> bool:
    """Complete our step with the other agency's answer; False when the reply matches nothing we
    wait for (unknown request, wrong sender, already answered), which is logged and left alone."""
    from motcua.dossiers import services
    from motcua.dossiers.interagency import system_user

    ids = list(package.header.response_for)
    request = StepRequest.objects.select_related("step__agency", "step__dossier").filter(document_id__in=ids).first()
    if request is None:
        logger.warning("reply %s from %s answers no inter-agency request of ours (ResponseFor %s)",
                       row.document_id, row.sender_organ_id, ids)
        return False
    if request.organ_id != row.sender_organ_id:
        logger.warning("reply %s comes from %s, but request %s was sent to %s: ignored", row.document_id,
                       row.sender_organ_id, request.document_id, request.organ_id)
        return False
    if request.state == StepRequestState.ANSWERED:
        logger.info("reply %s: request %s was already answered", row.document_id, request.document_id)
        return False
    step = request.step
    dossier = Dossier.objects.get(pk=step.dossier_id)
    if dossier.current_step_id != step.pk or dossier.stage != Stage.INTERAGENCY:
        request.error = _("Kết quả liên thông (văn bản %(document)s) đến khi hồ sơ không còn ở bước này.") % {
            "document": row.document_id}
        request.save(update_fields=["error"])
        logger.warning("reply %s: dossier %s is no longer at step %s", row.document_id, dossier.code, step.pk)
        return False
    data = _attachment(package, REPLY_ATTACHMENT)
    files = [att for att in package.attachments if att.name != REPLY_ATTACHMENT]
    outcome = str(data.get("outcome") or "").strip()
    result = str(data.get("result") or "").strip()
    text = "; ".join(part for part in (outcome, result) if part) or _("Đã thực hiện")
    try:
        services.transition(
            dossier.pk, "complete_step", actor=system_user(step.agency, step.role),
            data={"outcome": _("%(agency)s: %(text)s") % {"agency": step.agency.name, "text": text},
                  "interagency_reply": row.document_id, "files": [att.name for att in files]},
            idempotency_key=f"interagency-reply:{step.pk}")
    except DossierError as exc:
        request.error = str(exc.message)[:500]
        request.save(update_fields=["error"])
        logger.warning("reply %s: step %s not completed: %s", row.document_id, step.pk, exc.message)
        return False
    for att in files:  # the other agency's result, kept with the dossier's papers
        component = ReceivedComponent(
            dossier=dossier, name=f"{att.description or att.name} — {step.agency.name}"[:500], copies=1,
            note=_("Nhận qua trục liên thông, văn bản %(document)s") % {"document": row.document_id})
        component.file.save(att.name, ContentFile(att.data), save=False)
        component.save()
    request.state, request.reply, request.answered_at, request.error = (
        StepRequestState.ANSWERED, row, timezone.now(), "")
    request.save(update_fields=["state", "reply", "answered_at", "error"])
    return True


# ----------------------------------------------------------------------------- answering (agency B)

def _status_times(request: ReceivedRequest) -> dict[str, datetime]:
    """The statuses this request should have reported by now, with the moment each happened (a
    fixed moment, so a status sent again after a lost answer is the same message)."""
    if request.state == ReceivedRequestState.REFUSED:
        return {"02": request.created_at}
    times = {"03": request.created_at}
    dossier = request.dossier
    if dossier is not None:
        forwarded = dossier.history.filter(action__in=["forward", "complete_step"]).order_by("at").first()
        if forwarded is not None:
            times["05"] = forwarded.at
        if request.state == ReceivedRequestState.ANSWERED:
            work = dossier.steps.filter(order=2).first()  # the step asked for
            times["06"] = work.completed_at if work and work.completed_at else request.created_at
    return times


STATUS_DESCRIPTIONS = {
    "02": None,  # the refusal reason
    "03": "Đã tiếp nhận yêu cầu liên thông, vào sổ hồ sơ {code}",
    "05": "Đang xử lý hồ sơ {code}",
    "06": "Đã hoàn thành, gửi kết quả (văn bản {reply})",
}


def flush_statuses(client: ExchangeClient, requests=None) -> int:
    """Report to the asking organ every status not reported yet; what the hub does not take now is
    tried again at the next sync. Returns how many were sent."""
    sent = 0
    if requests is None:
        requests = ReceivedRequest.objects.filter(reported=False).select_related("incoming", "dossier")
    for request in requests:
        for code, at in _status_times(request).items():
            if code in request.statuses_sent:
                continue
            template = STATUS_DESCRIPTIONS[code]
            description = request.reason if template is None else template.format(
                code=request.dossier.code if request.dossier else "", reply=request.reply_document_id)
            message = edxml.StatusMessage(
                sender=edxml.Organ(_own_organ()), recipient=edxml.Organ(request.incoming.sender_organ_id),
                document_id=request.incoming.document_id, status_code=code, description=description,
                timestamp=at.replace(microsecond=0))
            try:
                client.send_status(message)
            except HubError as exc:
                logger.warning("status %s of %s not reported yet: %s", code, request.incoming.document_id, exc)
                break
            request.statuses_sent = [*request.statuses_sent, code]
            request.reported = code in {"02", "06"}
            ReceivedRequest.objects.filter(pk=request.pk).update(statuses_sent=request.statuses_sent,
                                                                 reported=request.reported)
            sent += 1
    return sent


def reply_document_id(request: ReceivedRequest) -> str:
    return f"{_own_organ()},{timezone.localtime(request.created_at):%Y/%m/%d},{request.pk}/{REPLY_NOTATION}"


def send_reply(request: ReceivedRequest, client: ExchangeClient) -> OutgoingDocument:
    """Send the dossier's result back to the asking organ, answering its request (idempotent)."""
    document_id = reply_document_id(request)
    earlier = OutgoingDocument.objects.filter(document_id=document_id).first()
    package = bytes(earlier.package) if earlier else client.sign_package(_reply_package(request, document_id))
    outgoing, _result = send_document(client, package)
    ReceivedRequest.objects.filter(pk=request.pk).update(state=ReceivedRequestState.ANSWERED,
                                                         reply_document_id=document_id)
    request.state, request.reply_document_id = ReceivedRequestState.ANSWERED, document_id
    return outgoing


@translation.override("vi")
def _reply_package(request: ReceivedRequest, document_id: str) -> edxml.Package:
    from motcua.lib import pdf

    dossier = request.dossier
    step = dossier.steps.filter(order=2).first()  # the step asked for (dossiers.interagency.receive_request)
    officer = step.completed_by if step else None
    completed_at = step.completed_at if step and step.completed_at else timezone.now()
    data = {
        "kind": "motcua.interagency.reply", "version": 1,
        "request_document_id": request.incoming.document_id, "dossier_code": request.remote_dossier_code,
        "local_dossier_code": dossier.code, "step": step.name if step else "",
        "outcome": step.outcome if step else "", "result": dossier.result_summary,
        "completed_by": (officer.get_full_name() or officer.get_username()) if officer else "",
        "completed_at": completed_at.isoformat(),
    }
    agency = dossier.receiving_agency
    html = (
        "<html><body>"
        + str(pdf.document_header(issuer=pdf.clean_text(agency.name),
                                  place_date=pdf.place_date_line("", timezone.localtime(completed_at).date())))
        + str(pdf.document_title(_("Kết quả thực hiện liên thông"), pdf.clean_text(data["step"])))
        + "".join(f"<p>{label}: {pdf.clean_text(value)}</p>" for label, value in [
            (_("Hồ sơ của cơ quan đề nghị"), request.remote_dossier_code),
            (_("Hồ sơ tại cơ quan thực hiện"), dossier.code),
            (_("Người nộp"), dossier.applicant.full_name),
            (_("Ý kiến xử lý"), data["outcome"]), (_("Kết quả"), data["result"]),
            (_("Cán bộ thực hiện"), data["completed_by"]),
        ] if value)
        + "</body></html>")
    attachments = [
        edxml.Attachment(REPLY_ATTACHMENT, "application/json", json.dumps(data, ensure_ascii=False, indent=1).encode(),
                         "Kết quả liên thông (dữ liệu)"),
        edxml.Attachment("ket-qua-lien-thong.pdf", "application/pdf", pdf.render_pdf(html),
                         "Văn bản kết quả liên thông"),
    ]
    for result in dossier.signed_results.all() if hasattr(dossier, "signed_results") else []:
        with result.file.open("rb") as handle:
            attachments.append(edxml.Attachment(result.file.name.rsplit("/", 1)[-1], "application/pdf",
                                                handle.read(), "Kết quả đã ký số"))
    header = edxml.Header(
        sender=edxml.Organ(_own_organ(), name=agency.name),
        recipients=(edxml.Organ(request.incoming.sender_organ_id),),
        document_id=document_id, code_number=str(request.pk), code_notation=REPLY_NOTATION,
        promulgation_place="", promulgation_date=timezone.localtime(completed_at).date(),
        document_type="Văn bản trả lời kết quả liên thông",
        subject=(_("Kết quả thực hiện liên thông “%(step)s” cho hồ sơ %(code)s") % {
            "step": data["step"], "code": request.remote_dossier_code})[:1000],
        response_for=(request.incoming.document_id,))
    return edxml.Package(header, tuple(attachments))


def progress(dossier: Dossier) -> None:
    """After any change of a dossier that answers a request: send the result once it is ready,
    hand it over (the result left by the axis), and report the statuses due."""
    from motcua.dossiers import services
    from motcua.dossiers.interagency import system_user

    request = ReceivedRequest.objects.select_related("incoming").filter(dossier=dossier).first()
    if request is None:
        return
    request.dossier = dossier
    client = _client()
    if dossier.stage == Stage.RESULT_READY and request.state != ReceivedRequestState.ANSWERED:
        send_reply(request, client)  # an unreachable hub raises: the outbox tries again
        services.transition(
            dossier.pk, "hand_over", actor=system_user(dossier.receiving_agency, "reception"),
            data={"outcome": _("Đã gửi kết quả qua trục liên thông (văn bản %(document)s)") % {
                "document": request.reply_document_id}},
            idempotency_key=f"interagency-answer:{request.pk}")
    flush_statuses(client, [request])


@handles("dossier.")
def on_dossier_event(event) -> None:
    """Only where the axis is the gateway: the progress of a dossier that answers a request."""
    if settings.MOTCUA_INTERAGENCY_GATEWAY != GATEWAY_PATH:
        return
    dossier = Dossier.objects.filter(pk=event.payload.get("dossier")).first()
    if dossier is not None:
        progress(dossier)


def retry_failed(client: ExchangeClient | None = None) -> int:
    """Send again the requests recorded as not sent, whose dossier still waits at the step (after
    the organ code was added or the organ registered on the hub). Returns how many went."""
    sent = 0
    for request in StepRequest.objects.filter(state=StepRequestState.ERROR).select_related("step__dossier"):
        dossier = request.step.dossier
        if dossier.current_step_id == request.step_id and dossier.stage == Stage.INTERAGENCY:
            sent += send_step_request(request.step, client).state == StepRequestState.SENT
    return sent
