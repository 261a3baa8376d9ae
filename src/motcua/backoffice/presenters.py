"""What the back-office templates show, built from rows the dossiers selectors return.

Only presentation lives here: labels, masking, which form fields an action needs. Whether a move
is allowed and who may make it is `dossiers.services.allowed_actions` / `dossiers.permissions`.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.choices import Role
from motcua.backoffice.forms import TIME_UNITS, ActionForm, new_token
from motcua.dossiers import slips
from motcua.dossiers.choices import SlipKind, Stage, Status, StepKind, Timeliness
from motcua.dossiers.errors import InvalidInputError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import roles_at
from motcua.dossiers.services import allowed_actions, deadline_flag, deadline_flags
from motcua.dossiers.workflow import ACTIONS

# History actions that are not transitions of the state machine (the first row of a dossier).
CREATION_LABELS = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ tại bộ phận một cửa"),
    "submit": gettext_lazy("Nộp hồ sơ trực tuyến"),
}
FLAG_LABELS = {"late": gettext_lazy("Quá hạn"), "due_soon": gettext_lazy("Sắp đến hạn")}
# The moves that carry a dossier forward; the rest (refuse, stop, …) are drawn as secondary.
MAIN_ACTIONS = {"accept", "forward", "complete_step", "hand_over", "supplement", "confirm_payment",
                "confirm_withdrawal"}
# Shown first on the dossier page, in this order; others follow in the state machine's order.
ACTION_ORDER = ["accept", "forward", "complete_step", "hand_over", "supplement", "confirm_payment",
                "request_supplement", "request_payment", "apologize", "refuse", "request_withdrawal",
                "confirm_withdrawal", "stop"]
VISIBLE_ID_DIGITS = 3


def person(user, fallback: str = "") -> str:
    """An official's name in Vietnamese order (family name first), else the login name."""
    if user is None:
        return fallback
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def mask_id(id_number: str) -> str:
    """All but the last three digits hidden: enough to compare with a card in hand, not to copy."""
    if not id_number:
        return ""
    shown = id_number[-VISIBLE_ID_DIGITS:]
    return "•" * max(len(id_number) - VISIBLE_ID_DIGITS, 0) + shown


# ------------------------------------------------------------------------------ queues

@dataclass
class QueueRow:
    dossier: Dossier
    flag: str

    @property
    def flag_label(self) -> str:
        return FLAG_LABELS.get(self.flag, "")

    @property
    def stage_label(self) -> str:
        return Stage(self.dossier.stage).label


def queue_rows(dossiers) -> list[QueueRow]:
    dossiers = list(dossiers)
    flags = deadline_flags(dossiers)
    return [QueueRow(d, flags.get(d.pk, "")) for d in dossiers]


# ------------------------------------------------------------------------------ dossier page

@dataclass
class ActionView:
    key: str
    label: str
    form: ActionForm
    main: bool
    # Actions that need input open in a disclosure; one with errors is open.
    has_inputs: bool

    @property
    def is_open(self) -> bool:
        return bool(self.form.is_bound and self.form.errors)


@dataclass
class TimelineEntry:
    at: object
    actor: str
    label: str
    from_status: str
    to_status: str
    reason: str
    details: list[str] = field(default_factory=list)


def action_fields(action_key: str, dossier: Dossier) -> tuple[str, ...]:
    action = ACTIONS[action_key]
    shown: list[str] = []
    if action_key == "request_supplement":
        shown.append("missing_papers")
    if action_key == "apologize":
        shown.append("new_due_at")
    if action.needs_reason:
        shown.append("reason")
    if action_key == "refuse":
        shown.append("referral")
    if action_key == "complete_step":
        shown.append("outcome")
        if _next_is_last(dossier):
            shown.append("result")
    if action_key == "accept" and dossier.time_limit_value is None:
        shown += ["time_limit_value", "time_limit_unit"]
    return tuple(shown)


def _next_is_last(dossier: Dossier) -> bool:
    """True when completing the current step brings the result to the counter (the result is recorded)."""
    current = dossier.current_step
    if current is None:
        return False
    later = [s for s in dossier.steps.all() if s.order > current.order]
    return not later or later[0].kind == StepKind.HANDOVER


def action_form(action_key: str, dossier: Dossier, data=None) -> ActionForm:
    initial = {"expected_version": dossier.version, "token": new_token()}
    return ActionForm(data, prefix=action_key, initial=initial, shown=action_fields(action_key, dossier))


def action_views(dossier: Dossier, user, bound: ActionForm | None = None, bound_key: str = "") -> list[ActionView]:
    actions = sorted(allowed_actions(dossier, user),
                     key=lambda a: ACTION_ORDER.index(a.key) if a.key in ACTION_ORDER else len(ACTION_ORDER))
    views = []
    for action in actions:
        form = bound if (bound is not None and action.key == bound_key) else action_form(action.key, dossier)
        label = str(action.label)
        if action.key == "complete_step" and dossier.current_step is not None:
            label = _("Hoàn thành bước “%(step)s”") % {"step": dossier.current_step.name}
        views.append(ActionView(key=action.key, label=label, form=form, main=action.key in MAIN_ACTIONS,
                                has_inputs=any(n not in ActionForm.HIDDEN for n in form.fields)))
    return views


def timeline(dossier: Dossier) -> list[TimelineEntry]:
    entries = []
    for change in dossier.history.all():
        action = ACTIONS.get(change.action)
        label = CREATION_LABELS.get(change.action) or (action.label if action else change.action)
        details = []
        data = change.data or {}
        if data.get("missing_papers"):
            details.append(_("Giấy tờ cần bổ sung: %(papers)s") % {"papers": "; ".join(data["missing_papers"])})
        if data.get("new_due_at"):
            details.append(_("Hẹn trả mới: %(at)s") % {"at": _format_iso(data["new_due_at"])})
        if data.get("outcome"):
            details.append(_("Ý kiến: %(text)s") % {"text": data["outcome"]})
        if data.get("result"):
            details.append(_("Kết quả: %(text)s") % {"text": data["result"]})
        if data.get("referral"):
            details.append(_("Hướng dẫn: %(text)s") % {"text": data["referral"]})
        entries.append(TimelineEntry(
            at=change.at, actor=person(change.actor, change.actor_label), label=str(label),
            from_status=Status(change.from_status).label if change.from_status else "",
            to_status=Status(change.to_status).label, reason=change.reason, details=details,
        ))
    return entries


def _format_iso(value: str) -> str:
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(moment) else value


def step_rows(dossier: Dossier) -> list[dict]:
    rows = []
    for step in dossier.steps.all():
        rows.append({
            "step": step,
            "role": Role(step.role).label,
            "timeliness": Timeliness(step.timeliness).label if step.timeliness else "",
            "completed_by": person(step.completed_by),
            "is_current": step.pk == dossier.current_step_id and dossier.stage not in
            {Stage.RETURNED, Stage.REFUSED, Stage.WITHDRAWN, Stage.STOPPED},
        })
    return rows


def issuable_slips(dossier: Dossier, user) -> list[tuple[str, str]]:
    """The slips this dossier has what to print for (the slips module refuses the others anyway).

    Only officials of the receiving agency issue slips in its name; an agency with an
    inter-agency step can print the control sheet (Mẫu 05) that travels with the dossier.
    """
    of_receiver = bool(roles_at(user, dossier.receiving_agency_id))
    kinds = []
    if of_receiver and dossier.received_at:
        kinds.append(SlipKind.RECEIPT)
    if of_receiver and list(dossier.supplement_requests.all()):
        kinds.append(SlipKind.SUPPLEMENT)
    if of_receiver and any(c.action == "refuse" for c in dossier.history.all()):
        kinds.append(SlipKind.REFUSAL)
    if of_receiver and list(dossier.appointments.all()):
        kinds.append(SlipKind.APOLOGY)
    if list(dossier.steps.all()):
        kinds.append(SlipKind.CONTROL)
    return [(k.value, k.label) for k in kinds]


def slip_buttons(dossier: Dossier, user) -> list[dict]:
    """One button per slip that can be issued now, named with the form number in force today."""
    buttons = []
    for kind, label in issuable_slips(dossier, user):
        try:
            form = slips.form_in_force(kind, timezone.localdate())
        except InvalidInputError:
            continue  # no form of this kind in force: nothing to print
        buttons.append({"kind": kind, "number": form.number, "title": form.title or label})
    return buttons


def dossier_context(dossier: Dossier, user, *, bound: ActionForm | None = None, bound_key: str = "") -> dict:
    roles_here = roles_at(user, dossier.receiving_agency_id)
    applicant = dossier.applicant
    return {
        "dossier": dossier,
        "stage_label": Stage(dossier.stage).label,
        "flag": deadline_flag(dossier),
        "flag_labels": FLAG_LABELS,
        "applicant": applicant,
        # The reception officer checks the identity card at the counter; others need not read the number.
        "id_number": applicant.id_number if Role.RECEPTION in roles_here else mask_id(applicant.id_number),
        "id_masked": Role.RECEPTION not in roles_here and bool(applicant.id_number),
        "steps": step_rows(dossier),
        "has_interagency": any(s.is_interagency for s in dossier.steps.all()),
        "timeline": timeline(dossier),
        "supplements": list(dossier.supplement_requests.all()),
        "appointments": list(dossier.appointments.all()),
        "slips": sorted(dossier.slips.all(), key=lambda s: (s.issued_at, s.pk)),
        "issuable": slip_buttons(dossier, user),
        "time_limit_unit_label": dict(TIME_UNITS).get(dossier.time_limit_unit, dossier.time_limit_unit),
        "actions": action_views(dossier, user, bound, bound_key),
    }
