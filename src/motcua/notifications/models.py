"""The log of every message sent (or not) to an applicant: one row per event and channel.

The row is unique per (outbox event, channel), and it is created before anything is sent: a
retried event finds the rows of what it already planned, and a row already `sent` is never sent
again. It keeps the text exactly as sent, so the help desk can tell a citizen what they were told.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OutboxEvent
from motcua.dossiers.models import Dossier
from motcua.notifications.choices import NotificationChannel, NotificationStatus


class Notification(models.Model):
    # PROTECT: pruning old outbox events must deal with this log first, not erase it silently.
    event = models.ForeignKey(OutboxEvent, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("sự kiện"))
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notifications", verbose_name=_("hồ sơ"))
    channel = models.CharField(_("kênh"), max_length=5, choices=NotificationChannel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254, blank=True)
    template = models.CharField(_("mẫu"), max_length=60)
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=NotificationStatus.choices,
                              default=NotificationStatus.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notification_once_per_event_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} → {mask_recipient(self.recipient)}"


def mask_recipient(value: str) -> str:
    """Enough to recognise an address in a list, not enough to copy it: nh***@example.vn, 091****678."""
    if not value:
        return ""
    if "@" in value:
        local, _sep, domain = value.partition("@")
        return f"{local[:2]}***@{domain}"
    if len(value) <= 6:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 6)}{value[-3:]}"
