"""Writes of the notifications context: plan the messages of an event, then send each one.

Two steps, two outbox events, because the outbox runs all handlers of an event in one
transaction and retries them together:

1. `plan()` runs on the dossier or payment event. It renders the e-mail and the SMS, stores one
   `Notification` row per channel (unique per event and channel) and queues one
   `notification.send` event per row. It only writes rows: it cannot fail half-way.
2. `send()` runs on `notification.send`, once per channel. If the mail server is down, only the
   e-mail is retried (outbox backoff); the SMS already sent is not sent again, and a row already
   `sent` makes a retry a no-op.

Delivery is at least once: if the process dies after the mail server accepted a message and
before the row is committed, the retry sends it again. The e-mail's Message-ID is fixed per row,
so a mail system that keeps IDs can drop the copy.
"""

import logging
from email.header import Header
from email.message import Message
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from motcua.core import outbox
from motcua.core.models import OutboxEvent
from motcua.dossiers.models import Dossier
from motcua.notifications import messages, sms
from motcua.notifications.choices import NotificationChannel, NotificationStatus
from motcua.notifications.models import Notification

logger = logging.getLogger(__name__)
SEND_TOPIC = "notification.send"
NO_ADDRESS = {
    NotificationChannel.EMAIL: "Người nộp không đăng ký thư điện tử; không gửi.",
    NotificationChannel.SMS: "Người nộp không đăng ký số điện thoại; không gửi.",
}


def plan(event: OutboxEvent) -> list[Notification]:
    """The notifications of one event, created once; queued for sending unless there is no address."""
    if not messages.should_notify(event):
        return []
    dossier = (Dossier.objects.select_related("applicant", "procedure_version", "receiving_agency")
               .get(pk=event.payload["dossier"]))
    provider = sms.get_sms_provider()
    rows = []
    for message in messages.compose(event, dossier):
        body = sms.fit(message.body, provider) if message.channel == NotificationChannel.SMS else message.body
        row, created = Notification.objects.get_or_create(
            event=event, channel=message.channel,
            defaults={
                "dossier": dossier, "recipient": message.recipient, "template": message.template,
                "subject": message.subject, "body": body,
                "status": NotificationStatus.PENDING if message.recipient else NotificationStatus.SKIPPED,
                "error": "" if message.recipient else NO_ADDRESS[message.channel],
            },
        )
        if created and row.status == NotificationStatus.PENDING:
            outbox.emit(SEND_TOPIC, aggregate_type="notification", aggregate_id=row.pk,
                        payload={"notification": row.pk, "channel": row.channel},
                        idempotency_key=f"notification:{row.pk}:send")
        rows.append(row)
    return rows


def _message_id(row: Notification) -> str:
    domain = urlsplit(settings.MOTCUA_SITE_URL).hostname or "motcua.invalid"
    return f"<motcua.notification.{row.pk}@{domain}>"


class _VietnameseEmail(EmailMessage):
    """Django 5.2 encodes a non-ASCII subject without counting the "Subject: " before it, so the
    generator folds a long Vietnamese subject after the colon, and readers that unfold it
    literally show a leading space. Encoding it with the header's name fits the first line.
    """

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        if self.subject.isascii():
            return msg
        del msg["Subject"]
        # Message.__setitem__: Django's own setter would turn the Header back into text.
        Message.__setitem__(msg, "Subject", Header(self.subject, "utf-8", header_name="Subject"))
        return msg


def _send_email(row: Notification) -> None:
    _VietnameseEmail(
        subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.recipient],
        headers={"Message-ID": _message_id(row), "Auto-Submitted": "auto-generated"},
    ).send(fail_silently=False)


def _send_sms(row: Notification) -> None:
    sms.get_sms_provider().send(row.recipient, row.body)


SENDERS = {NotificationChannel.EMAIL: _send_email, NotificationChannel.SMS: _send_sms}


def send(notification_id: int, *, attempt: int, final: bool) -> Notification:
    """Send one planned message. Raises on failure so the outbox retries, except on the last attempt.

    On the last attempt the failure is written on the row (status `failed`, the error) instead of
    being raised, so that it shows in the notification log staff read; raising would roll it back.
    """
    row = Notification.objects.select_for_update().get(pk=notification_id)
    if row.status != NotificationStatus.PENDING:
        return row  # sent (or given up) before: a retried event never sends twice
    row.attempts = attempt
    try:
        SENDERS[row.channel](row)
    except Exception as error:
        if not final:
            raise
        row.status = NotificationStatus.FAILED
        row.error = f"{type(error).__name__}: {error}"[:2000]
        row.save(update_fields=["status", "attempts", "error"])
        logger.error("notification %s (%s) failed for good: %s", row.pk, row.channel, row.error)
        return row
    row.status = NotificationStatus.SENT
    row.sent_at = timezone.now()
    row.error = ""
    row.save(update_fields=["status", "attempts", "error", "sent_at"])
    return row
