"""Fee payments of dossiers, the log of every gateway callback, and the receipt numbering.

A `Payment` is one attempt to pay a dossier's fee through a gateway (one order at the gateway).
Only a verified server-to-server callback (IPN) marks it paid; the browser's return never does.
The database itself keeps the two rules that money depends on, so that two callbacks handled at
the same moment cannot break them: at most one paid payment per dossier, and receipt numbers unique.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.payments.choices import CallbackOutcome, PaymentStatus, RefusalReason
from motcua.payments.money import format_vnd
from motcua.units.models import Agency


class Payment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("hồ sơ"))
    # The order reference sent to the gateway (vnp_TxnRef and the like); gateways want it unique.
    order_id = models.CharField(_("mã đơn hàng"), max_length=40, unique=True)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(_("loại tiền"), max_length=3, default="VND")
    provider = models.CharField(_("cổng thanh toán"), max_length=40)
    status = models.CharField(_("trạng thái"), max_length=10, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    provider_txn_id = models.CharField(_("mã giao dịch tại cổng"), max_length=60, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=30, unique=True, null=True, blank=True)
    # What the receipt states, frozen when the payment is confirmed: the PDF (rendered later by the
    # worker) and any re-rendering print the payer and procedure as they were at that moment.
    receipt_data = models.JSONField(default=dict, blank=True)
    receipt_file = models.FileField(_("biên lai (PDF)"), upload_to="receipts/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The citizen pays a dossier's fee once, even if two gateway callbacks race.
            models.UniqueConstraint(fields=["dossier"], condition=Q(status=PaymentStatus.PAID),
                                    name="payment_one_paid_per_dossier"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def status_label(self) -> str:
        return PaymentStatus(self.status).label

    @property
    def amount_text(self) -> str:
        return format_vnd(self.amount)


class PaymentEvent(models.Model):
    """Every callback a gateway sent, accepted or refused, with why: the payment log."""

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    provider = models.CharField(max_length=40)
    # As received, even when it names no order of ours: the log must show what was attempted.
    order_id = models.CharField(_("mã đơn hàng"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=CallbackOutcome.choices)
    reason = models.CharField(_("lý do"), max_length=24, choices=RefusalReason.choices, blank=True)
    detail = models.TextField(_("chi tiết"), blank=True)
    # What motcua answered, in the gateway's own format (e.g. {"RspCode": "97", "Message": ...}).
    answer = models.JSONField(_("trả lời cổng"), default=dict)
    params = models.JSONField(_("tham số nhận được"), default=dict)

    class Meta:
        verbose_name = _("nhật ký thanh toán")
        verbose_name_plural = _("nhật ký thanh toán")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.outcome} {self.reason}".strip()


class ReceiptSequence(models.Model):
    """An agency's last receipt number of a year; locked while a number is taken (no gaps, no repeats)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="receipt_sequence_unique")]
