"""Reads of the payments context: what a dossier shows about its fee."""

from dataclasses import dataclass

from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.payments.choices import PaymentState, PaymentStatus
from motcua.payments.models import Payment, PaymentEvent
from motcua.payments.money import format_vnd


@dataclass
class FeeStatus:
    state: str  # PaymentState
    amount: int | None
    paid: Payment | None = None
    # The newest attempt still waiting for its gateway (the citizen may be on the bank's page).
    pending: Payment | None = None

    @property
    def label(self) -> str:
        return str(PaymentState(self.state).label)

    @property
    def amount_text(self) -> str:
        return format_vnd(self.amount)

    @property
    def receipt_number(self) -> str:
        return self.paid.receipt_number if self.paid else ""

    @property
    def receipt_url(self) -> str:
        """Where the receipt PDF is downloaded; empty until the worker has laid it out."""
        if self.paid and self.paid.receipt_file:
            return reverse("payments:receipt", args=[self.paid.order_id])
        return ""


def payment_status(dossier: Dossier) -> FeeStatus:
    """paid / unpaid / not_required, with the payment and its receipt when paid."""
    payments = list(Payment.objects.filter(dossier=dossier).order_by("-created_at", "-id")[:20])
    paid = next((p for p in payments if p.status == PaymentStatus.PAID), None)
    if paid is not None:
        return FeeStatus(PaymentState.PAID, paid.amount, paid=paid)
    if not dossier.fee_amount or dossier.fee_amount <= 0:
        return FeeStatus(PaymentState.NOT_REQUIRED, dossier.fee_amount)
    pending = next((p for p in payments if p.status == PaymentStatus.PENDING), None)
    return FeeStatus(PaymentState.UNPAID, dossier.fee_amount, pending=pending)


def payment_by_order(order_id: str) -> Payment | None:
    return (Payment.objects.select_related("dossier__applicant", "dossier__receiving_agency")
            .filter(order_id=order_id).first())


def callback_log(payment: Payment) -> list[PaymentEvent]:
    return list(payment.events.order_by("received_at", "id"))
