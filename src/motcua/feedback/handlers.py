"""Outbox handlers: tell the submitter by e-mail what happened to their PAKN.

The message is stored as a `notifications.Notification` row and sent by that app's sender
(`notification.send`: retries, a row sent once is never sent again), so PAKN mail shows in the
same log staff already read. Templates: feedback/email/<topic>.txt, first line the subject.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine
from django.urls import reverse
from django.utils import timezone

from motcua.core import outbox
from motcua.core.outbox import handles

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TOPICS = {"received", "refused", "supplement_requested", "forwarded", "answered"}


@cache
def _engine() -> Engine:
    dirs = [*settings.TEMPLATES[0].get("DIRS", []), TEMPLATES_DIR]
    return Engine(dirs=[str(d) for d in dirs], autoescape=False)


def compose(case, action: str) -> tuple[str, str]:
    """(subject, body) of the e-mail for `action`."""
    text = _engine().get_template(f"feedback/email/{action}.txt").render(Context({
        "case": case,
        "track_url": settings.MOTCUA_SITE_URL.rstrip("/") + reverse("feedback:track"),
        "received_at": timezone.localtime(case.received_at).strftime("%H:%M ngày %d/%m/%Y"),
        "answer_due": timezone.localtime(case.answer_due_at).strftime("%d/%m/%Y") if case.answer_due_at else "",
    }))
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


@handles("feedback.")
def on_feedback_event(event) -> None:
    from motcua.feedback.models import FeedbackCase
    from motcua.notifications.choices import NotificationChannel, NotificationStatus
    from motcua.notifications.models import Notification
    from motcua.notifications.services import SEND_TOPIC

    action = event.payload.get("action")
    if action not in TOPICS:
        return
    case = FeedbackCase.objects.select_related("agency").get(pk=event.payload["case"])
    if not case.submitter_email:
        return
    subject, body = compose(case, action)
    row, created = Notification.objects.get_or_create(
        event=event, channel=NotificationChannel.EMAIL,
        defaults={"dossier": case.dossier, "recipient": case.submitter_email, "template": f"feedback/{action}",
                  "subject": subject, "body": body, "status": NotificationStatus.PENDING},
    )
    if created:
        outbox.emit(SEND_TOPIC, aggregate_type="notification", aggregate_id=row.pk,
                    payload={"notification": row.pk, "channel": row.channel},
                    idempotency_key=f"notification:{row.pk}:send")
