"""Writes of the dossier context: reception, the one guarded transition, due moments.

Every change of a dossier goes through `receive_at_counter()`, `submit_online()` or `transition()`.
Each locks the dossier row, checks the move against the state machine (dossiers/workflow.py) and
the actor's rights (dossiers/permissions.py), and writes in one transaction: the dossier, a
`StatusChange` row, an audit record (core.audit) and an outbox event (core.outbox).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.catalog.choices import TimeUnit
from motcua.catalog.models import ProcedureVersion
from motcua.core import audit, outbox
from motcua.dossiers.choices import (
    CLOCK_STAGES,
    STAGE_STATUS,
    TERMINAL_STAGES,
    ApplicantKind,
    Channel,
    Stage,
    StepKind,
    Timeliness,
)
from motcua.dossiers.errors import (
    ConflictError,
    InvalidInputError,
    NotPermittedError,
    TransitionNotAllowedError,
)
from motcua.dossiers.models import (
    Applicant,
    Appointment,
    DailySequence,
    Dossier,
    DossierStep,
    ReceivedComponent,
    StatusChange,
    SupplementRequest,
    WorkflowTemplate,
)
from motcua.dossiers.permissions import can_act
from motcua.dossiers.selectors import due_soon_until
from motcua.dossiers.workflow import ACTIONS, actions_from
from motcua.units.models import Agency
from motcua.workdays import services as workdays

# The default internal process when an agency has approved none (Decree 61/2018 Arts. 18-20):
# (kind, name, role, share of the time limit in %). Reception takes no share: the clock starts
# after it. Shares are a setting of each WorkflowTemplate; these are only the fallback.
DEFAULT_STEPS = [
    (StepKind.RECEPTION, _("Tiếp nhận hồ sơ"), Role.RECEPTION, Decimal(0)),
    (StepKind.SPECIALIST, _("Thẩm định, xử lý hồ sơ"), Role.SPECIALIST, Decimal(70)),
    (StepKind.APPROVAL, _("Phê duyệt kết quả"), Role.APPROVER, Decimal(20)),
    (StepKind.RESULT, _("Chuyển kết quả về bộ phận một cửa"), Role.RECEPTION, Decimal(10)),
    (StepKind.HANDOVER, _("Trả kết quả cho công dân"), Role.RECEPTION, Decimal(0)),
]
# Catalogue time units → the calendar's units. "Giờ" in procedures means office hours.
UNIT_MAP = {
    TimeUnit.WORKING_DAY: "working_day",
    TimeUnit.WORKING_HOUR: "working_hour",
    TimeUnit.HOUR: "working_hour",
    TimeUnit.DAY: "day",
    TimeUnit.MONTH: "month",
}


# ----------------------------------------------------------------------------- helpers

def _snapshot(dossier: Dossier) -> dict:
    return {
        "stage": dossier.stage, "status": dossier.status, "version": dossier.version,
        "due_at": dossier.due_at, "current_step": dossier.current_step_id,
    }


def _record(dossier: Dossier, action: str, *, before: dict | None, actor, at: datetime, reason: str = "",
            data: dict | None = None, idempotency_key: str | None = None) -> StatusChange:
    """History row + audit record + outbox event, in the caller's transaction."""
    label = actor.get_username() if getattr(actor, "pk", None) else str(actor or "")
    change = StatusChange.objects.create(
        dossier=dossier, action=action, from_stage=(before or {}).get("stage", ""), to_stage=dossier.stage,
        from_status=(before or {}).get("status"), to_status=dossier.status, at=at,
        actor=actor if getattr(actor, "pk", None) else None, actor_label=label, reason=reason, data=data or {},
        idempotency_key=idempotency_key,
    )
    audit.append(f"dossier.{action}", object_type="dossier", object_id=dossier.pk, before=before,
                 after=_snapshot(dossier) | {"reason": reason}, actor=actor, actor_label=label)
    outbox.emit(
        f"dossier.{action}", aggregate_type="dossier", aggregate_id=dossier.pk,
        payload={"dossier": dossier.pk, "code": dossier.code, "action": action, "stage": dossier.stage,
                 "status": dossier.status, "from_status": (before or {}).get("status"), "at": at.isoformat()},
        idempotency_key=f"dossier:{dossier.pk}:change:{change.pk}",
    )
    return change


def next_code(agency: Agency, at: datetime) -> str:
    """The next dossier code of the agency for the day (template MOTCUA_DOSSIER_CODE_TEMPLATE)."""
    day = timezone.localtime(at).date()
    DailySequence.objects.get_or_create(agency=agency, day=day)
    # The row lock serialises concurrent receptions at one agency; others are not blocked.
    seq = DailySequence.objects.select_for_update().get(agency=agency, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    return settings.MOTCUA_DOSSIER_CODE_TEMPLATE.format(
        organ_code=agency.organ_code or agency.slug, date=day, seq=seq.last
    )


def time_limit_for(version: ProcedureVersion, channel: str) -> tuple[Decimal, str] | None:
    """The time limit of the channel used, else of any channel that has one: (value, calendar unit)."""
    channels = list(version.channels.all())
    ordered = [c for c in channels if c.kind == channel] + [c for c in channels if c.kind != channel]
    for c in ordered:
        if c.time_limit_value is not None and c.time_limit_unit in UNIT_MAP:
            return c.time_limit_value, UNIT_MAP[c.time_limit_unit]
    return None


def fee_for(version: ProcedureVersion, channel: str) -> int | None:
    for c in version.channels.all():
        if c.kind == channel:
            amounts = [f.amount for f in c.fees.all() if f.amount is not None]
            return sum(amounts) if amounts else None
    return None


def _pauses(dossier: Dossier) -> list[tuple[datetime, datetime]]:
    return [(r.requested_at, r.answered_at) for r in dossier.supplement_requests.all()
            if r.answered_at and dossier.effective_receipt_at and r.answered_at > dossier.effective_receipt_at]


def _recompute_due(dossier: Dossier) -> None:
    """The legal due moment from the effective receipt, the limit and every answered pause."""
    if dossier.time_limit_value is None or dossier.received_at is None:
        return
    result = workdays.compute_due(
        dossier.received_at, dossier.time_limit_value, dossier.time_limit_unit, channel=dossier.channel,
        pauses=_pauses(dossier), agency=dossier.receiving_agency,
    )
    dossier.effective_receipt_at = result.effective_receipt
    latest_appointment = dossier.appointments.order_by("-issued_at").first()
    dossier.due_at = latest_appointment.new_due_at if latest_appointment else result.due_at
    if dossier.original_due_at is None:
        dossier.original_due_at = result.due_at


def _workflow_steps(version: ProcedureVersion, agency: Agency):
    template = (
        WorkflowTemplate.objects.filter(procedure_id=version.procedure_id, agency=agency).first()
        or WorkflowTemplate.objects.filter(procedure_id=version.procedure_id, agency__isnull=True).first()
    )
    if template is None:
        return [(kind, name, None, role, share) for kind, name, role, share in DEFAULT_STEPS]
    return [(s.kind, s.name, s.agency, s.role, s.share_percent) for s in template.steps.all()]


def _create_steps(dossier: Dossier) -> None:
    """Instantiate the workflow with each step's due moment from its cumulative share of the limit."""
    cumulative = Decimal(0)
    steps = []
    for order, (kind, name, agency, role, share) in enumerate(
            _workflow_steps(dossier.procedure_version, dossier.receiving_agency), start=1):
        cumulative += share
        due = None
        if dossier.time_limit_value is not None and cumulative > 0:
            due = workdays.compute_due(
                dossier.received_at, dossier.time_limit_value * cumulative / 100, dossier.time_limit_unit,
                channel=dossier.channel, agency=dossier.receiving_agency,
            ).due_at
        agency = agency or dossier.receiving_agency
        steps.append(DossierStep(
            dossier=dossier, order=order, kind=kind, name=str(name), agency=agency, role=role,
            is_interagency=agency.pk != dossier.receiving_agency_id, due_at=due,
        ))
    DossierStep.objects.bulk_create(steps)


def _timeliness(done_at: datetime, due_at: datetime | None) -> str:
    if due_at is None:
        return ""
    if done_at.date() < timezone.localtime(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME if done_at <= due_at else Timeliness.LATE


# ----------------------------------------------------------------------------- creation

@dataclass
class ComponentInput:
    name: str
    originals: int = 0
    copies: int = 0
    component_id: int | None = None
    note: str = ""


def _validate_applicant(data: dict) -> dict[str, str]:
    errors = {}
    if not (data.get("full_name") or "").strip():
        errors["full_name"] = _("Họ và tên người nộp không được để trống.")
    id_number = (data.get("id_number") or "").strip()
    if id_number and not (id_number.isdigit() and len(id_number) == 12):
        errors["id_number"] = _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    phone = (data.get("phone") or "").replace(" ", "")
    if phone and not (phone.isdigit() and len(phone) == 10 and phone.startswith("0")):
        errors["phone"] = _("Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0.")
    if data.get("kind", ApplicantKind.PERSON) not in ApplicantKind.values:
        errors["kind"] = _("Loại người nộp không hợp lệ.")
    return errors


def _create_dossier(*, version: ProcedureVersion, agency: Agency, applicant: dict, components: list[ComponentInput],
                    channel: str, stage: str, at: datetime, actor, action: str, idempotency_key: str | None,
                    time_limit: tuple[Decimal, str] | None) -> Dossier:
    errors = _validate_applicant(applicant)
    if channel not in Channel.values:
        errors["channel"] = _("Hình thức nộp không hợp lệ.")
    if not components:
        errors["components"] = _("Chưa có giấy tờ nào trong hồ sơ.")
    for i, c in enumerate(components):
        if not c.name.strip():
            errors[f"components[{i}].name"] = _("Tên giấy tờ không được để trống.")
        if c.originals < 0 or c.copies < 0 or c.originals + c.copies == 0:
            errors[f"components[{i}]"] = _("Mỗi giấy tờ phải có ít nhất một bản chính hoặc bản sao.")
    if time_limit is None and stage == Stage.RECEIVED:
        errors["time_limit"] = _("Thủ tục chưa có thời hạn giải quyết được công bố; hãy nhập thời hạn.")
    if errors:
        raise InvalidInputError(errors)
    if idempotency_key:
        existing = StatusChange.objects.filter(idempotency_key=idempotency_key, action=action).first()
        if existing:
            return existing.dossier
    applicant_row = Applicant.objects.create(**{k: v for k, v in applicant.items() if v not in (None, "")})
    dossier = Dossier.objects.create(
        code=next_code(agency, at), procedure_version=version, receiving_agency=agency, applicant=applicant_row,
        channel=channel, stage=stage, status=STAGE_STATUS[stage], submitted_at=at,
        time_limit_value=time_limit[0] if time_limit else None, time_limit_unit=time_limit[1] if time_limit else "",
        fee_amount=fee_for(version, channel),
    )
    ReceivedComponent.objects.bulk_create(
        ReceivedComponent(dossier=dossier, component_id=c.component_id, name=c.name.strip(), originals=c.originals,
                          copies=c.copies, note=c.note)
        for c in components
    )
    if stage == Stage.RECEIVED:
        _start_clock(dossier, at, actor)
    dossier.save()
    _record(dossier, action, before=None, actor=actor, at=at, idempotency_key=idempotency_key)
    return dossier


def _start_clock(dossier: Dossier, at: datetime, actor) -> None:
    dossier.received_at = at
    _recompute_due(dossier)
    _create_steps(dossier)
    first = dossier.steps.order_by("order").first()
    first.started_at = first.completed_at = at
    first.completed_by = actor if getattr(actor, "pk", None) else None
    first.timeliness = Timeliness.ON_TIME
    first.save()
    dossier.current_step = first


@transaction.atomic
def receive_at_counter(*, version: ProcedureVersion, agency: Agency, applicant: dict, components: list[ComponentInput],
                       actor, channel: str = Channel.IN_PERSON, at: datetime | None = None,
                       time_limit: tuple[Decimal, str] | None = None, idempotency_key: str | None = None) -> Dossier:
    """A reception officer receives a complete dossier at the counter: code, due moment, steps."""
    from motcua.accounts.models import StaffMembership

    if not StaffMembership.objects.filter(user=actor, agency=agency, role=Role.RECEPTION, active=True).exists():
        raise NotPermittedError(_("Chỉ cán bộ tiếp nhận của cơ quan mới được tiếp nhận hồ sơ."))
    if version.status != "published":
        raise InvalidInputError({"procedure": _("Thủ tục này không còn được công khai; không thể tiếp nhận hồ sơ.")})
    return _create_dossier(
        version=version, agency=agency, applicant=applicant, components=components, channel=channel,
        stage=Stage.RECEIVED, at=at or timezone.now(), actor=actor, action="receive",
        idempotency_key=idempotency_key, time_limit=time_limit or time_limit_for(version, channel),
    )


@transaction.atomic
def submit_online(*, version: ProcedureVersion, agency: Agency, applicant: dict, components: list[ComponentInput],
                  actor, at: datetime | None = None, idempotency_key: str | None = None) -> Dossier:
    """A citizen submits online: status 1 (Mới đăng ký) until a reception officer accepts it."""
    if version.status != "published":
        raise InvalidInputError({"procedure": _("Thủ tục này không còn được công khai; không thể nộp hồ sơ.")})
    return _create_dossier(
        version=version, agency=agency, applicant=applicant, components=components, channel=Channel.ONLINE,
        stage=Stage.SUBMITTED, at=at or timezone.now(), actor=actor, action="submit",
        idempotency_key=idempotency_key, time_limit=time_limit_for(version, Channel.ONLINE),
    )


# ----------------------------------------------------------------------------- the transition

def allowed_actions(dossier: Dossier, user=None) -> list:
    """Actions possible now; with a user, only those the user may take."""
    actions = actions_from(dossier.stage)
    if dossier.stage == Stage.SUPPLEMENT or dossier.supplement_count:
        actions = [a for a in actions if a.key != "request_supplement"]
    if user is not None:
        actions = [a for a in actions if can_act(user, a, dossier)]
    return actions


@transaction.atomic
def transition(dossier_id: int, action_key: str, *, actor, reason: str = "", data: dict | None = None,
               expected_version: int | None = None, idempotency_key: str | None = None,
               at: datetime | None = None) -> Dossier:
    """The one guarded move of a dossier. Safe to call twice with the same idempotency key."""
    at = at or timezone.now()
    data = data or {}
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("current_step", "applicant").get(pk=dossier_id)
    )
    if idempotency_key and dossier.history.filter(idempotency_key=idempotency_key).exists():
        return dossier
    if expected_version is not None and expected_version != dossier.version:
        raise ConflictError(_("Hồ sơ %(code)s vừa được người khác cập nhật; hãy tải lại trang và thử lại.")
                       % {"code": dossier.code})
    action = ACTIONS.get(action_key)
    allowed = allowed_actions(dossier)
    if action is None or action not in allowed:
        raise TransitionNotAllowedError(str(action.label) if action else action_key, Stage(dossier.stage).label,
                                   [(a.key, str(a.label)) for a in allowed])
    if not can_act(actor, action, dossier):
        raise NotPermittedError(_("Bạn không có quyền “%(action)s” đối với hồ sơ này.") % {"action": action.label})
    if action.needs_reason and not reason.strip():
        raise InvalidInputError({"reason": _("Cần nêu lý do.")})
    before = _snapshot(dossier)
    HANDLERS[action_key](dossier, actor=actor, at=at, reason=reason.strip(), data=data)
    dossier.status = STAGE_STATUS[dossier.stage]
    dossier.version += 1
    if dossier.stage in TERMINAL_STAGES and dossier.closed_at is None:
        dossier.closed_at = at
    dossier.save()
    _record(dossier, action_key, before=before, actor=actor, at=at, reason=reason.strip(), data=data,
            idempotency_key=idempotency_key)
    return dossier


def _complete_current_step(dossier: Dossier, actor, at: datetime, outcome: str = "") -> None:
    step = dossier.current_step
    if step is None:
        return
    step.completed_at = at
    step.completed_by = actor if getattr(actor, "pk", None) else None
    step.timeliness = _timeliness(at, step.due_at)
    step.outcome = outcome
    step.save()


def _enter_next_step(dossier: Dossier, at: datetime) -> None:
    """Move to the next step; the stage follows the kind of step the dossier enters."""
    order = dossier.current_step.order if dossier.current_step else 0
    nxt = dossier.steps.filter(order__gt=order).order_by("order").first()
    if nxt is None:
        dossier.stage = Stage.RESULT_READY
        return
    nxt.started_at = at
    nxt.save(update_fields=["started_at"])
    dossier.current_step = nxt
    if nxt.kind == StepKind.HANDOVER:
        dossier.stage = Stage.RESULT_READY
        dossier.finished_at = at
    elif nxt.is_interagency:
        dossier.stage = Stage.INTERAGENCY
    else:
        dossier.stage = Stage.IN_STEP


def _accept(dossier, *, actor, at, reason, data):
    if dossier.time_limit_value is None:
        tl = data.get("time_limit")
        if not tl:
            raise InvalidInputError({"time_limit": _("Thủ tục chưa có thời hạn giải quyết được công bố; hãy nhập thời hạn.")})
        dossier.time_limit_value, dossier.time_limit_unit = Decimal(str(tl[0])), tl[1]
    dossier.stage = Stage.RECEIVED
    _start_clock(dossier, at, actor)


def _refuse(dossier, *, actor, at, reason, data):
    dossier.stage = Stage.REFUSED


def _request_supplement(dossier, *, actor, at, reason, data):
    missing = [str(p).strip() for p in data.get("missing_papers", []) if str(p).strip()]
    if not missing:
        raise InvalidInputError({"missing_papers": _("Cần liệt kê giấy tờ phải bổ sung.")})
    SupplementRequest.objects.create(dossier=dossier, requested_at=at, requested_by=actor if actor.pk else None,
                                     missing_papers=missing, reason=reason)
    dossier.supplement_count += 1
    dossier.paused_at = at
    data["resume_stage"] = dossier.stage
    dossier.stage = Stage.SUPPLEMENT


def _supplement(dossier, *, actor, at, reason, data):
    request = dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
    if request:
        request.answered_at = at
        if dossier.effective_receipt_at:
            request.paused_office_seconds = int(workdays.working_time_between(
                max(request.requested_at, dossier.effective_receipt_at), at, agency=dossier.receiving_agency
            ).total_seconds())
        request.save()
    previous = dossier.history.filter(action="request_supplement").order_by("-at").first()
    dossier.stage = (previous.data.get("resume_stage") if previous else None) or Stage.RECEIVED
    dossier.paused_at = None
    _recompute_due(dossier)


def _forward(dossier, *, actor, at, reason, data):
    _enter_next_step(dossier, at)


def _complete_step(dossier, *, actor, at, reason, data):
    _complete_current_step(dossier, actor, at, data.get("outcome", ""))
    _enter_next_step(dossier, at)
    if dossier.stage == Stage.RESULT_READY:
        dossier.result_summary = data.get("result", dossier.result_summary)


def _request_payment(dossier, *, actor, at, reason, data):
    dossier.stage = Stage.FINANCIAL


def _confirm_payment(dossier, *, actor, at, reason, data):
    dossier.stage = Stage.IN_STEP


def _apologize(dossier, *, actor, at, reason, data):
    new_due = data.get("new_due_at")
    if isinstance(new_due, str):
        try:
            new_due = datetime.fromisoformat(new_due)
        except ValueError:
            new_due = None
    if not isinstance(new_due, datetime):
        raise InvalidInputError({"new_due_at": _("Cần nhập ngày hẹn trả mới (ngày giờ).")})
    if timezone.is_naive(new_due):
        new_due = timezone.make_aware(new_due)
    if dossier.due_at and at >= dossier.due_at:
        raise InvalidInputError({"new_due_at": _("Phiếu xin lỗi phải được lập trước khi hết hạn trả kết quả.")})
    if dossier.due_at and new_due <= dossier.due_at:
        raise InvalidInputError({"new_due_at": _("Ngày hẹn mới phải sau ngày hẹn cũ.")})
    Appointment.objects.create(dossier=dossier, issued_at=at, issued_by=actor if actor.pk else None,
                               previous_due_at=dossier.due_at, new_due_at=new_due, reason=reason)
    data["new_due_at"] = new_due.isoformat()
    dossier.due_at = new_due


def _request_withdrawal(dossier, *, actor, at, reason, data):
    data["resume_stage"] = dossier.stage
    dossier.stage = Stage.WITHDRAWAL


def _confirm_withdrawal(dossier, *, actor, at, reason, data):
    dossier.stage = Stage.WITHDRAWN


def _stop(dossier, *, actor, at, reason, data):
    dossier.stage = Stage.STOPPED


def _hand_over(dossier, *, actor, at, reason, data):
    _complete_current_step(dossier, actor, at, data.get("outcome", ""))
    dossier.stage = Stage.RETURNED
    dossier.returned_at = at


HANDLERS = {
    "accept": _accept, "refuse": _refuse, "request_supplement": _request_supplement, "supplement": _supplement,
    "forward": _forward, "complete_step": _complete_step, "request_payment": _request_payment,
    "confirm_payment": _confirm_payment, "apologize": _apologize, "request_withdrawal": _request_withdrawal,
    "confirm_withdrawal": _confirm_withdrawal, "stop": _stop, "hand_over": _hand_over,
}
assert set(HANDLERS) == set(ACTIONS), "every action of the state machine has exactly one handler"


# ----------------------------------------------------------------------------- flags

def deadline_flag(dossier: Dossier, now: datetime | None = None) -> str:
    """'late', 'due_soon' (within MOTCUA_DUE_SOON_WORKING_DAYS working days) or '' for a running dossier."""
    return deadline_flags([dossier], now)[dossier.pk]


def deadline_flags(dossiers, now: datetime | None = None) -> dict[int, str]:
    """`deadline_flag` for a page of dossiers, reading the calendar once per receiving agency.

    A list page must not read the calendar once per row (constant queries per page).
    """
    now = now or timezone.now()
    horizons: dict[int, object] = {}
    flags = {}
    for dossier in dossiers:
        flag = ""
        if dossier.due_at is not None and dossier.stage in CLOCK_STAGES:
            if now > dossier.due_at:
                flag = "late"
            else:
                agency_id = dossier.receiving_agency_id
                if agency_id not in horizons:
                    horizons[agency_id] = due_soon_until(now, dossier.receiving_agency)
                flag = "due_soon" if timezone.localtime(dossier.due_at).date() <= horizons[agency_id] else ""
        flags[dossier.pk] = flag
    return flags
