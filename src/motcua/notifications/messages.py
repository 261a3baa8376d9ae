"""What an applicant is told about an event: the message per channel, rendered from templates.

Templates are plain text, in Vietnamese, one per event, with a generic one for events that have
none of their own:

    notifications/email/<name>.txt   first line: the subject; then a blank line; then the body
    notifications/sms/<name>.txt     the whole text (folded and fitted to the provider: sms.fit)

`<name>` is the dossier action (`receive`, `request_supplement`, ...), `result_ready` for the
step that produces the result, and `payment_paid` for a confirmed payment. A deployment can
reword any of them by putting a file with the same path in its templates directory (settings
TEMPLATES DIRS), which is searched first.

The templates are rendered without HTML escaping (plain text: "Sở Tài nguyên & Môi trường" must
not become "&amp;"), by an engine of this module rather than the site's HTML engine.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import OutboxEvent
from motcua.dossiers.choices import ApplicantKind, Channel, Stage, Status
from motcua.dossiers.models import Dossier, StatusChange
from motcua.notifications.choices import NotificationChannel
from motcua.payments.money import format_vnd

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
GENERIC = "generic"
DATETIME_FORMAT = "%H:%M ngày %d/%m/%Y"


@dataclass
class Message:
    channel: str
    recipient: str
    template: str
    subject: str
    body: str


@cache
def engine() -> Engine:
    dirs = [*settings.TEMPLATES[0].get("DIRS", []), TEMPLATES_DIR]
    return Engine(dirs=[str(d) for d in dirs], autoescape=False)


def render(channel: str, name: str, context: dict) -> tuple[str, str]:
    """(template used, text): the event's own template, else the generic one."""
    for candidate in (name, GENERIC):
        try:
            template = engine().get_template(f"notifications/{channel}/{candidate}.txt")
        except TemplateDoesNotExist:
            continue
        text = template.render(Context(context, autoescape=False))
        # Template tags on their own lines leave blank lines and trailing spaces behind.
        text = re.sub(r"[ \t]+\n", "\n", text)
        return candidate, re.sub(r"\n{3,}", "\n\n", text).strip()
    raise TemplateDoesNotExist(f"notifications/{channel}/{GENERIC}.txt")


def should_notify(event: OutboxEvent) -> bool:
    """Every change of the national status, the creation of a dossier, a new appointment, a payment.

    Moving between internal steps (status 4 → 4) is not news for the applicant.
    """
    if event.topic == "payment.paid":
        return True
    payload = event.payload
    return (payload.get("from_status") is None or payload.get("status") != payload.get("from_status")
            or payload.get("action") == "apologize")


def template_name(event: OutboxEvent) -> str:
    if event.topic == "payment.paid":
        return "payment_paid"
    action = event.payload.get("action", "")
    if action == "complete_step" and event.payload.get("status") == Status.DONE:
        return "result_ready"
    return action or GENERIC


def _when(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timezone.localtime(value).strftime(DATETIME_FORMAT)


def tracking_url(code: str) -> str:
    return settings.MOTCUA_TRACKING_URL.format(site_url=settings.MOTCUA_SITE_URL, code=code)


def _change(dossier: Dossier, event: OutboxEvent) -> StatusChange | None:
    """The history row of this event: same action at the same moment (the payload carries both)."""
    action, at = event.payload.get("action"), event.payload.get("at")
    rows = dossier.history.filter(action=action)
    if at:
        exact = rows.filter(at=datetime.fromisoformat(at)).order_by("-id").first()
        if exact:
            return exact
    return rows.order_by("-at", "-id").first()


def context_for(event: OutboxEvent, dossier: Dossier) -> dict:
    applicant = dossier.applicant
    person = applicant.kind == ApplicantKind.PERSON
    change = None if event.topic == "payment.paid" else _change(dossier, event)
    supplement = dossier.supplement_requests.order_by("-requested_at", "-id").first()
    context = {
        "code": dossier.code,
        "salutation": f"Ông/Bà {applicant.full_name}" if person else applicant.full_name,
        "applicant": applicant.full_name,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.receiving_agency.name,
        "status": Status(dossier.status).label if event.topic == "payment.paid"
        else Status(event.payload.get("status")).label,
        "at": _when(event.payload.get("at")),
        "due_at": _when(dossier.due_at),
        "reason": change.reason if change else "",
        "online": dossier.channel == Channel.ONLINE,
        "result_summary": dossier.result_summary,
        "missing_papers": list(supplement.missing_papers) if supplement else [],
        "fee": format_vnd(dossier.fee_amount) if dossier.fee_amount else "",
        "payment_url": f"{settings.MOTCUA_SITE_URL}{reverse('payments:dossier_fee', args=[dossier.pk])}",
        "tracking_url": tracking_url(dossier.code),
        "waiting_financial": dossier.stage == Stage.FINANCIAL,
    }
    if change and change.data.get("new_due_at"):
        context["new_due_at"] = _when(change.data["new_due_at"])
    if event.topic == "payment.paid":
        context |= {"amount": format_vnd(event.payload.get("amount")),
                    "receipt_number": event.payload.get("receipt_number", ""),
                    "order_id": event.payload.get("order_id", "")}
    return context


def compose(event: OutboxEvent, dossier: Dossier) -> list[Message]:
    """The e-mail and the SMS for an event (recipient empty when the applicant gave none)."""
    name = template_name(event)
    context = context_for(event, dossier)
    used, text = render(NotificationChannel.EMAIL, name, context)
    subject, _sep, body = text.partition("\n")
    messages = [Message(NotificationChannel.EMAIL, dossier.applicant.email.strip(), used, " ".join(subject.split()),
                        body.strip() + "\n")]
    used, text = render(NotificationChannel.SMS, name, context)
    messages.append(Message(NotificationChannel.SMS, dossier.applicant.phone.replace(" ", ""), used, "", text))
    return messages
