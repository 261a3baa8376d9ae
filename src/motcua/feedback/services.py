"""Writes of the feedback context: submission, the one guarded transition, votes.

Every change of a case goes through `submit()`, `transition()` or `vote()`. Each locks the case row,
checks the move, and writes in one transaction: the case, a `CaseEvent` row (except votes), an audit
record (core.audit) and an outbox event `feedback.<action>` (core.outbox) whose payload is the
contract docs/feedback.md gives to the indicators context.
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.catalog.models import Procedure
from motcua.core import audit, outbox
from motcua.dossiers.models import Dossier
from motcua.feedback import permissions
from motcua.feedback.choices import Category, Kind, Stage, Status
from motcua.feedback.errors import (
    ConflictError,
    InvalidInputError,
    NotPermittedError,
    TransitionNotAllowedError,
)
from motcua.feedback.models import CaseEvent, FeedbackCase, FeedbackLimit, FollowUp, Vote
from motcua.feedback.text import looks_without_diacritics, redact
from motcua.lib.text import fold
from motcua.units.models import Agency
from motcua.workdays import services as workdays

logger = logging.getLogger(__name__)

DEFAULT_LIMITS_SOURCE = (
    "Quyết định 766/QĐ-TTg ngày 23/6/2022, đặc tả chỉ số 5.2 (giới hạn vận hành Hệ thống tiếp nhận, xử lý "
    "phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia): từ chối tiếp nhận trong 2 ngày làm việc, yêu cầu "
    "bổ sung trong 5 ngày, trả lời trong 15 ngày kể từ khi gửi hoặc lần chuyển gần nhất, công khai trong 2 "
    "ngày sau khi trả lời"
)
DEFAULT_LIMITS_FROM = date(2022, 6, 23)
DEFAULT_LIMITS = {Stage.REFUSE: 2, Stage.SUPPLEMENT: 5, Stage.ANSWER: 15, Stage.PUBLISH: 2}
PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")
ID_NUMBER = re.compile(r"^(?:\d{9}|\d{12})$")


# ----------------------------------------------------------------------------- limits and due moments

def limits_on(day: date) -> dict[str, int]:
    """Working days per stage under the rules in force on `day` (the defaults where no row exists)."""
    limits = dict(DEFAULT_LIMITS)
    rows = FeedbackLimit.objects.filter(effective_from__lte=day).order_by("stage", "-effective_from")
    seen = set()
    for row in rows:
        if row.stage not in seen:
            limits[row.stage] = row.working_days
            seen.add(row.stage)
    return limits


def _due(start: datetime, days: int, agency: Agency, pauses=()) -> datetime:
    # PAKN arrive online: outside office hours the count starts at the next opening (rule 1c).
    return workdays.compute_due(start, days, "working_day", channel="online", agency=agency, pauses=pauses).due_at


def _pauses(case: FeedbackCase) -> list[tuple[datetime, datetime]]:
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in case.pauses]


def _limits(case: FeedbackCase) -> dict[str, int]:
    return limits_on(timezone.localtime(case.received_at).date())


def _start_clock(case: FeedbackCase, at: datetime) -> None:
    """Every stage counts from `at` (the submission, or the latest forwarding) at the handling agency."""
    limits = _limits(case)
    case.clock_started_at = at
    case.pauses = []
    case.paused_at = None
    case.refuse_due_at = _due(at, limits[Stage.REFUSE], case.agency)
    case.supplement_due_at = _due(at, limits[Stage.SUPPLEMENT], case.agency)
    case.answer_due_at = _due(at, limits[Stage.ANSWER], case.agency)
    case.publish_due_at = None


def _on_time(case: FeedbackCase, field: str, at: datetime, due_at: datetime | None) -> None:
    on_time = due_at is None or at <= due_at
    previous = getattr(case, field)
    setattr(case, field, on_time if previous is None else previous and on_time)
    if not on_time:
        case.ever_late = True


# ----------------------------------------------------------------------------- history

def _snapshot(case: FeedbackCase) -> dict:
    return {"status": case.status, "agency": case.agency_id, "version": case.version,
            "answer_due_at": case.answer_due_at, "publish_due_at": case.publish_due_at}


def _record(case: FeedbackCase, action: str, *, before: dict | None, actor, at: datetime, note: str = "") -> None:
    user = actor if getattr(actor, "pk", None) else None
    # Without an account the actor is the submitter (officials always act signed in).
    label = user.get_username() if user else _("người gửi")
    event = CaseEvent.objects.create(
        case=case, action=action, from_status=(before or {}).get("status", ""), to_status=case.status,
        agency=case.agency, at=at, actor=user, actor_label=label, note=note,
    )
    audit.append(f"feedback.{action}", object_type="feedback_case", object_id=case.pk, before=before,
                 after=_snapshot(case), actor=user, actor_label=label)
    _emit(case, action, at, key=f"feedback:{case.pk}:event:{event.pk}")


def _emit(case: FeedbackCase, action: str, at: datetime, *, key: str) -> None:
    outbox.emit(
        f"feedback.{action}", aggregate_type="feedback_case", aggregate_id=case.pk,
        payload={"case": case.pk, "agency": case.agency_id, "action": action, "at": at.isoformat()},
        idempotency_key=key,
    )


# ----------------------------------------------------------------------------- submission

@dataclass
class Submission:
    kind: str
    category: str
    title: str
    content: str
    agency: Agency | None
    submitter_name: str
    submitter_email: str = ""
    submitter_phone: str = ""
    submitter_address: str = ""
    submitter_id_number: str = ""
    procedure: Procedure | None = None
    dossier_code: str = ""
    consent_publish: bool = True
    confirm_no_diacritics: bool = False


def normalise_phone(phone: str) -> str:
    return re.sub(r"[\s.\-()]", "", phone or "")


def _validate(sub: Submission) -> tuple[dict[str, str], Dossier | None]:
    errors: dict[str, str] = {}
    if sub.kind not in Kind.values:
        errors["kind"] = _("Hãy chọn phản ánh hay kiến nghị.")
    if sub.category not in Category.values:
        errors["category"] = _("Hãy chọn phân loại: quy định, thủ tục hay hành vi của cán bộ, công chức.")
    if len(sub.title.strip()) < 5:
        errors["title"] = _("Tiêu đề cần ít nhất 5 ký tự.")
    elif len(sub.title) > 250:
        errors["title"] = _("Tiêu đề dài quá 250 ký tự.")
    if len(sub.content.strip()) < 20:
        errors["content"] = _("Nội dung cần ít nhất 20 ký tự để cơ quan hiểu được vấn đề.")
    elif len(sub.content) > 10000:
        errors["content"] = _("Nội dung dài quá 10.000 ký tự.")
    if sub.agency is None:
        errors["agency"] = _("Hãy chọn cơ quan nhận phản ánh, kiến nghị.")
    errors |= _validate_submitter(sub)
    dossier = None
    if sub.dossier_code.strip():
        dossier, problem = _own_dossier(sub)
        if problem:
            errors["dossier_code"] = problem
    if not errors.get("content") and not sub.confirm_no_diacritics and \
            (looks_without_diacritics(sub.content) or looks_without_diacritics(sub.title)):
        errors["confirm_no_diacritics"] = _(
            "Nội dung có vẻ được gõ không dấu. Vui lòng gõ tiếng Việt có dấu để cơ quan hiểu đúng ý bạn; "
            "nếu vẫn muốn gửi như vậy, hãy đánh dấu xác nhận rồi gửi lại.")
    return errors, dossier


def _validate_submitter(sub: Submission) -> dict[str, str]:
    errors = {}
    if not sub.submitter_name.strip():
        errors["submitter_name"] = _("Hãy nhập họ và tên.")
    if sub.submitter_email:
        try:
            validate_email(sub.submitter_email)
        except ValidationError:
            errors["submitter_email"] = _("Thư điện tử không đúng dạng (ví dụ: ten@example.vn).")
    phone = normalise_phone(sub.submitter_phone)
    if phone and not PHONE.match(phone):
        errors["submitter_phone"] = _("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84.")
    if not sub.submitter_email and not phone:
        errors["submitter_email"] = _("Hãy nhập thư điện tử hoặc số điện thoại để nhận trả lời.")
    if sub.submitter_id_number and not ID_NUMBER.match(sub.submitter_id_number):
        errors["submitter_id_number"] = _("Số định danh cá nhân gồm 12 chữ số (hoặc số CMND 9 chữ số).")
    return errors


def _own_dossier(sub: Submission) -> tuple[Dossier | None, str]:
    """The dossier named by code, if its applicant has the submitter's e-mail or phone."""
    phone = normalise_phone(sub.submitter_phone)
    dossier = (Dossier.objects.select_related("applicant", "procedure_version", "receiving_agency")
               .filter(code=sub.dossier_code.strip()).first())
    applicant = dossier.applicant if dossier else None
    matches = applicant is not None and (
        (sub.submitter_email and applicant.email.lower() == sub.submitter_email.lower())
        or (phone and normalise_phone(applicant.phone) == phone))
    if not matches:
        # The same message whether the code is unknown or not the submitter's: no probing.
        return None, _("Không tìm thấy hồ sơ có mã này với thư điện tử hoặc số điện thoại đã nhập.")
    return dossier, ""


@transaction.atomic
def submit(sub: Submission, *, user=None, at: datetime | None = None) -> FeedbackCase:
    """Record a new PAKN; raises InvalidInputError (nothing saved) on bad input."""
    at = at or timezone.now()
    errors, dossier = _validate(sub)
    if errors:
        raise InvalidInputError(errors)
    procedure = sub.procedure or (dossier.procedure_version.procedure if dossier else None)
    case = FeedbackCase(
        kind=sub.kind, category=sub.category, procedure=procedure, agency=sub.agency, dossier=dossier,
        title=sub.title.strip(), content=sub.content.strip(), title_folded=fold(sub.title),
        submitter_name=sub.submitter_name.strip(), submitter_email=sub.submitter_email.strip().lower(),
        submitter_phone=normalise_phone(sub.submitter_phone), submitter_address=sub.submitter_address.strip(),
        submitter_id_number=sub.submitter_id_number.strip(),
        submitter_user=user if getattr(user, "is_authenticated", False) else None,
        consent_publish=sub.consent_publish, status=Status.RECEIVED, received_at=at, clock_started_at=at,
    )
    _start_clock(case, at)
    case.save()
    case.code = f"PAKN-{timezone.localtime(at):%Y%m%d}-{case.pk:06d}"
    case.save(update_fields=["code"])
    _record(case, "received", before=None, actor=user, at=at)
    return case


# ----------------------------------------------------------------------------- the transition

@dataclass(frozen=True)
class Action:
    key: str
    label: str
    sources: frozenset
    target: str
    by: str  # "official", "moderator" or "submitter"


def _a(key, label, sources, target, by="official"):
    return Action(key, label, frozenset(sources), target, by)


ACTIONS = {a.key: a for a in [
    _a("accept", _lazy("Tiếp nhận xử lý"), {Status.RECEIVED}, Status.ACCEPTED),
    _a("refuse", _lazy("Từ chối tiếp nhận"), {Status.RECEIVED}, Status.REFUSED),
    _a("request_supplement", _lazy("Yêu cầu bổ sung thông tin"), {Status.RECEIVED, Status.ACCEPTED, Status.REOPENED},
       Status.SUPPLEMENT_REQUESTED),
    _a("supplement", _lazy("Bổ sung thông tin"), {Status.SUPPLEMENT_REQUESTED}, Status.ACCEPTED, "submitter"),
    _a("forward", _lazy("Chuyển cơ quan khác xử lý"), {Status.RECEIVED, Status.ACCEPTED, Status.REOPENED},
       Status.RECEIVED),
    _a("answer", _lazy("Trả lời"), {Status.RECEIVED, Status.ACCEPTED, Status.REOPENED}, Status.ANSWERED),
    _a("publish", _lazy("Biên tập và công khai"), {Status.ANSWERED}, Status.PUBLISHED, "moderator"),
    _a("reopen", _lazy("Gửi ý kiến tiếp"), {Status.ANSWERED, Status.PUBLISHED}, Status.REOPENED, "submitter"),
]}
# The outbox topic of each action (the contract says feedback.forwarded, feedback.reopened, ...).
TOPICS = {"accept": "accepted", "refuse": "refused", "request_supplement": "supplement_requested",
          "supplement": "supplemented", "forward": "forwarded", "answer": "answered", "publish": "published",
          "reopen": "reopened"}


def allowed_actions(case: FeedbackCase, user=None) -> list[Action]:
    actions = [a for a in ACTIONS.values() if case.status in a.sources]
    if case.status == Status.ANSWERED and not case.consent_publish:
        actions = [a for a in actions if a.key != "publish"]
    if user is not None:
        actions = [a for a in actions if _may(user, a, case, submitter=False)]
    return actions


def _may(actor, action: Action, case: FeedbackCase, *, submitter: bool) -> bool:
    if action.by == "submitter":
        return submitter
    if action.by == "moderator":
        return permissions.can_moderate(actor, case)
    return permissions.can_handle(actor, case)


def _required(data: dict, field: str, message: str) -> str:
    value = (data.get(field) or "").strip()
    if not value:
        raise InvalidInputError({field: message})
    return value


@transaction.atomic
def transition(case_id: int, action_key: str, *, actor=None, data: dict | None = None, submitter: bool = False,
               expected_version: int | None = None, at: datetime | None = None) -> FeedbackCase:
    """The one guarded move of a case.

    `submitter=True` says the caller (a view) has checked that the actor is the case's submitter
    (signed in as them, or holding the code with their e-mail or phone); officials' rights are
    checked here. Calling the same move twice fails on the second call with TransitionNotAllowedError.
    """
    at = at or timezone.now()
    data = data or {}
    case = FeedbackCase.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case_id)
    if expected_version is not None and expected_version != case.version:
        raise ConflictError(_("PAKN %(code)s vừa được người khác cập nhật; hãy tải lại trang và thử lại.")
                            % {"code": case.code})
    action = ACTIONS.get(action_key)
    allowed = allowed_actions(case)
    if action is None or action not in allowed:
        names = ", ".join(str(a.label) for a in allowed) or _("không có thao tác nào")
        raise TransitionNotAllowedError(
            _("Không thể “%(action)s” khi PAKN đang ở trạng thái “%(status)s”. Các thao tác được phép: %(allowed)s.")
            % {"action": action.label if action else action_key, "status": Status(case.status).label,
               "allowed": names})
    if not _may(actor, action, case, submitter=submitter):
        raise NotPermittedError(_("Bạn không có quyền “%(action)s” đối với PAKN này.") % {"action": action.label})
    before = _snapshot(case)
    note = HANDLERS[action_key](case, at=at, data=data)
    case.status = action.target
    case.version += 1
    case.save()
    _record(case, TOPICS[action_key], before=before, actor=actor, at=at, note=note or "")
    return case


def _accept(case, *, at, data):
    case.accepted_at = case.accepted_at or at


def _refuse(case, *, at, data):
    case.refusal_reason = _required(data, "reason", _("Cần nêu lý do từ chối tiếp nhận."))
    case.refused_at = at
    _on_time(case, "refused_on_time", at, case.refuse_due_at)
    return case.refusal_reason


def _request_supplement(case, *, at, data):
    case.supplement_request = _required(data, "reason", _("Cần nêu thông tin người gửi phải bổ sung."))
    case.supplement_requested_at = at
    case.paused_at = at
    _on_time(case, "supplement_on_time", at, case.supplement_due_at)
    return case.supplement_request


def _supplement(case, *, at, data):
    content = _required(data, "content", _("Hãy nhập thông tin bổ sung."))
    FollowUp.objects.create(case=case, kind="supplement", content=content, at=at)
    # The wait for the submitter does not count against the agency (the answer clock is paused).
    case.pauses = [*case.pauses, [case.paused_at.isoformat(), at.isoformat()]]
    case.paused_at = None
    case.answer_due_at = _due(case.clock_started_at, _limits(case)[Stage.ANSWER], case.agency, _pauses(case))
    case.accepted_at = case.accepted_at or at
    return content


def _forward(case, *, at, data):
    target = data.get("agency")
    if not isinstance(target, Agency):
        raise InvalidInputError({"agency": _("Hãy chọn cơ quan nhận chuyển.")})
    if target.pk == case.agency_id:
        raise InvalidInputError({"agency": _("Cơ quan nhận chuyển phải khác cơ quan đang xử lý.")})
    reason = _required(data, "reason", _("Cần nêu lý do chuyển."))
    previous = case.agency
    case.agency = target
    case.forwarded_count += 1
    case.supplement_request = ""
    # Limits count again from the latest transfer (766 spec 5.2).
    _start_clock(case, at)
    return f"{previous} → {target}: {reason}"


def _answer(case, *, at, data):
    case.answer = _required(data, "answer", _("Hãy nhập nội dung trả lời."))
    case.answered_at = at
    _on_time(case, "answered_on_time", at, case.answer_due_at)
    case.accepted_at = case.accepted_at or at
    if case.consent_publish:
        case.publish_due_at = _due(at, _limits(case)[Stage.PUBLISH], case.agency)
    # The moderator starts from texts with the personal data already hidden.
    case.published_title = redact_for(case, case.title)
    case.published_content = redact_for(case, case.content)
    case.published_answer = redact_for(case, case.answer)


def _publish(case, *, at, data):
    title = (data.get("published_title") or case.published_title).strip()
    content = (data.get("published_content") or case.published_content).strip()
    answer = (data.get("published_answer") or case.published_answer).strip()
    errors = {}
    if not title:
        errors["published_title"] = _("Tiêu đề công khai không được để trống.")
    if not content:
        errors["published_content"] = _("Nội dung công khai không được để trống.")
    if not answer:
        errors["published_answer"] = _("Nội dung trả lời công khai không được để trống.")
    if errors:
        raise InvalidInputError(errors)
    # The automatic redaction runs again over the moderator's edit: an edit cannot put the data back.
    case.published_title = redact_for(case, title)
    case.published_content = redact_for(case, content)
    case.published_answer = redact_for(case, answer)
    case.published_folded = fold(f"{case.published_title} {case.published_content} {case.published_answer}")
    case.published_at = at
    _on_time(case, "published_on_time", at, case.publish_due_at)


def _reopen(case, *, at, data):
    content = _required(data, "content", _("Hãy nhập ý kiến của bạn về kết quả xử lý."))
    disagrees = bool(data.get("disagrees_with_result"))
    FollowUp.objects.create(case=case, kind="follow_up", content=content, disagrees_with_result=disagrees, at=at)
    case.repeated_complaint = case.repeated_complaint or disagrees
    case.reopened_at = at
    # The new answer is due within the answer limit of the follow-up; it is published again after.
    case.answer_due_at = _due(at, _limits(case)[Stage.ANSWER], case.agency)
    case.publish_due_at = None
    return content


HANDLERS = {"accept": _accept, "refuse": _refuse, "request_supplement": _request_supplement,
            "supplement": _supplement, "forward": _forward, "answer": _answer, "publish": _publish,
            "reopen": _reopen}
assert set(HANDLERS) == set(ACTIONS) == set(TOPICS)


def redact_for(case: FeedbackCase, text: str) -> str:
    """`text` with the submitter's personal data (and any e-mail, phone or ID number) hidden."""
    return redact(text, names=[case.submitter_name],
                  phrases=[case.submitter_address, case.submitter_email, case.submitter_phone,
                           case.submitter_id_number])


# ----------------------------------------------------------------------------- votes

@transaction.atomic
def vote(case_id: int, *, voter: str, liked: bool, at: datetime | None = None) -> FeedbackCase:
    """One like or dislike per voter on a published answer; the same vote again changes nothing,
    the other one replaces it."""
    at = at or timezone.now()
    case = FeedbackCase.objects.select_for_update(of=("self",)).get(pk=case_id)
    if case.status != Status.PUBLISHED:
        raise TransitionNotAllowedError(_("Chỉ bình chọn được trả lời đã công khai."))
    existing = Vote.objects.filter(case=case, voter=voter).first()
    if existing is not None and existing.liked == liked:
        return case
    if existing is None:
        Vote.objects.create(case=case, voter=voter, liked=liked, at=at)
    else:
        existing.liked, existing.at = liked, at
        existing.save(update_fields=["liked", "at"])
        if liked:
            case.dislikes -= 1
        else:
            case.likes -= 1
    if liked:
        case.likes += 1
    else:
        case.dislikes += 1
    case.save(update_fields=["likes", "dislikes"])
    _emit(case, "voted", at, key=f"feedback:{case.pk}:vote:{voter}:{int(liked)}:{at.isoformat()}")
    return case
