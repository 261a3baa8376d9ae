"""Writes of the payments context: start a payment, handle a gateway's callback, keep the receipt.

The rules money depends on:
- the amount is the dossier's fee (`Dossier.fee_amount`, taken from the procedure's channel when
  the dossier was filed); a dossier without a fee cannot be paid, nor one already paid;
- only a verified server-to-server callback (IPN) marks a payment paid. The browser's return is
  shown, never believed: anyone can type a return URL;
- a callback with a bad signature, for an unknown order, or with another amount or currency is
  refused, and every callback, accepted or not, is kept in `PaymentEvent` with the reason;
- a repeated callback changes nothing and gets the gateway's "already confirmed" answer, so the
  gateway stops repeating it. The payment row is locked while a callback is handled, and the
  database allows one paid payment per dossier and unique receipt numbers, so two identical
  callbacks arriving at the same moment still give one payment and one receipt.

A payment does not move the dossier. When the dossier waits for its financial obligation (stage
`financial`), the official confirms it with the `confirm_payment` action, seeing the payment and
its receipt on the dossier: the obligation can include amounts paid elsewhere (taxes at the tax
office), which only the official can judge. The `payment.paid` event tells the applicant.
"""

import logging
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit, outbox
from motcua.dossiers.choices import TERMINAL_STAGES, Stage
from motcua.dossiers.errors import InvalidInputError, NotPermittedError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import is_applicant, roles_at
from motcua.payments import receipts
from motcua.payments.choices import CallbackOutcome, PaymentStatus, RefusalReason
from motcua.payments.models import Payment, PaymentEvent, ReceiptSequence
from motcua.payments.money import format_vnd
from motcua.payments.providers import Answer, CallbackResult, PaymentProvider, get_provider

logger = logging.getLogger(__name__)
PAID_TOPIC = "payment.paid"


# ----------------------------------------------------------------------------- starting a payment

def may_pay(user, dossier: Dossier) -> bool:
    """The applicant, or an official of the receiving agency (helping at the counter), may pay."""
    return is_applicant(user, dossier) or bool(roles_at(user, dossier.receiving_agency_id))


def _new_order_id() -> str:
    # Unguessable, so one citizen cannot probe another's orders; short enough for every gateway.
    return f"MC{timezone.localtime():%y%m%d}{secrets.token_hex(5).upper()}"


def result_url() -> str:
    return f"{settings.MOTCUA_SITE_URL}{reverse('payments:result')}"


@transaction.atomic
def start_payment(dossier: Dossier, *, user, return_url: str | None = None,
                  provider: PaymentProvider | None = None) -> tuple[Payment, str]:
    """A new order for the dossier's fee at the gateway; returns it and the URL to send the browser to."""
    # The lock orders this with a concurrent callback of another order of the same dossier.
    dossier = (Dossier.objects.select_for_update(of=("self",))
               .select_related("applicant", "procedure_version").get(pk=dossier.pk))
    if not may_pay(user, dossier):
        raise NotPermittedError(_("Chỉ người nộp hồ sơ hoặc cán bộ của cơ quan tiếp nhận mới được nộp phí, "
                                  "lệ phí cho hồ sơ này."))
    if dossier.stage in TERMINAL_STAGES:
        raise InvalidInputError({"dossier": _("Hồ sơ %(code)s đã kết thúc (%(stage)s); không thể nộp phí, lệ phí.")
                                 % {"code": dossier.code, "stage": Stage(dossier.stage).label}})
    if not dossier.fee_amount or dossier.fee_amount <= 0:
        raise InvalidInputError({"fee_amount": _("Hồ sơ %(code)s không có phí, lệ phí phải nộp.")
                                 % {"code": dossier.code}})
    paid = dossier.payments.filter(status=PaymentStatus.PAID).first()
    if paid is not None:
        raise InvalidInputError({"payment": _("Hồ sơ %(code)s đã nộp phí, lệ phí (biên lai số %(number)s).")
                                 % {"code": dossier.code, "number": paid.receipt_number}})
    provider = provider or get_provider()
    payment = Payment.objects.create(
        dossier=dossier, order_id=_new_order_id(), amount=dossier.fee_amount, currency="VND",
        provider=provider.code, created_by=user if getattr(user, "pk", None) else None,
    )
    return payment, provider.create_payment(payment, return_url or result_url())


# ----------------------------------------------------------------------------- the gateway's callback

def _plain(params: Mapping) -> dict[str, str]:
    """A QueryDict or dict as {name: last value}, so the log and the signature see one value each."""
    if hasattr(params, "lists"):
        return {k: str(v[-1]) if v else "" for k, v in params.lists()}
    return {k: str(v) for k, v in params.items()}


def _log(provider: PaymentProvider, payment: Payment | None, params: dict, outcome: str, *, reason: str = "",
         detail: str = "", answer: dict | None = None, order_id: str = "") -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment, provider=provider.code, order_id=(order_id or "")[:100], outcome=outcome, reason=reason,
        detail=detail, answer=answer or {}, params=params,
    )


def _refuse(provider, payment, result: CallbackResult, params, reason: str, answer: Answer, detail: str) -> dict:
    body = provider.answer(answer, detail)
    _log(provider, payment, params, CallbackOutcome.REFUSED, reason=reason, detail=detail, answer=body,
         order_id=result.order_id)
    logger.warning("payment callback refused (%s) for order %r: %s", reason, result.order_id, detail)
    return body


def handle_callback(params: Mapping, *, provider: PaymentProvider | None = None) -> dict:
    """Handle a gateway's server-to-server callback; returns the answer in the gateway's format."""
    provider = provider or get_provider()
    data = _plain(params)
    try:
        return _handle(provider, data)
    except Exception as error:  # the gateway gets "try again" and repeats the call; the log keeps the attempt
        logger.exception("payment callback failed")
        detail = _("Lỗi hệ thống khi ghi nhận thanh toán; hãy gửi lại sau.")
        body = provider.answer(Answer.ERROR, detail)
        with transaction.atomic():
            _log(provider, None, data, CallbackOutcome.REFUSED, reason=RefusalReason.ERROR,
                 detail=f"{detail} ({type(error).__name__})", answer=body)
        return body


def _same_outcome(payment: Payment, result: CallbackResult) -> bool:
    if payment.status == PaymentStatus.PAID:
        return result.success and result.provider_txn_id == payment.provider_txn_id
    if payment.status == PaymentStatus.CANCELLED:
        return result.cancelled
    return payment.status == PaymentStatus.FAILED and not result.success and not result.cancelled


@transaction.atomic
def _handle(provider: PaymentProvider, params: dict) -> dict:
    result = provider.verify_callback(params)
    if not result.valid:
        payment = Payment.objects.filter(order_id=result.order_id).first() if result.order_id else None
        return _refuse(provider, payment, result, params, RefusalReason.BAD_SIGNATURE, Answer.INVALID_SIGNATURE,
                       result.error or _("Chữ ký không hợp lệ."))
    payment = (Payment.objects.select_for_update().select_related("dossier")
               .filter(order_id=result.order_id, provider=provider.code).first()) if result.order_id else None
    if payment is None:
        return _refuse(provider, None, result, params, RefusalReason.UNKNOWN_ORDER, Answer.ORDER_NOT_FOUND,
                       _("Không có đơn hàng “%(order)s” (mã đơn hàng).") % {"order": result.order_id})
    if result.amount != payment.amount:
        return _refuse(provider, payment, result, params, RefusalReason.AMOUNT_MISMATCH, Answer.INVALID_AMOUNT,
                       _("Số tiền (amount) không khớp: cổng báo %(got)s, đơn hàng %(want)s.")
                       % {"got": format_vnd(result.amount) or _("không đọc được"),
                          "want": format_vnd(payment.amount)})
    if result.currency != payment.currency:
        return _refuse(provider, payment, result, params, RefusalReason.CURRENCY_MISMATCH, Answer.INVALID_AMOUNT,
                       _("Loại tiền (currency) không khớp: cổng báo “%(got)s”, đơn hàng “%(want)s”.")
                       % {"got": result.currency, "want": payment.currency})
    if payment.status != PaymentStatus.PENDING:
        if _same_outcome(payment, result):
            detail = _("Đơn hàng đã được ghi nhận trước đó.")
            body = provider.answer(Answer.ALREADY_CONFIRMED, detail)
            _log(provider, payment, params, CallbackOutcome.DUPLICATE, detail=detail, answer=body,
                 order_id=result.order_id)
            return body
        return _refuse(provider, payment, result, params, RefusalReason.NOT_PENDING, Answer.ALREADY_CONFIRMED,
                       _("Đơn hàng đã ở trạng thái “%(status)s”; kết quả mới không được ghi nhận.")
                       % {"status": payment.status_label})
    if result.success:
        return _mark_paid(provider, payment, result, params)
    payment.status = PaymentStatus.CANCELLED if result.cancelled else PaymentStatus.FAILED
    payment.closed_at = timezone.now()
    payment.save(update_fields=["status", "closed_at"])
    body = provider.answer(Answer.CONFIRMED, _("Đã ghi nhận kết quả giao dịch."))
    _log(provider, payment, params, CallbackOutcome.ACCEPTED,
         detail=_("Giao dịch không thành công (mã %(code)s): %(status)s.")
         % {"code": result.response_code, "status": payment.status_label}, answer=body, order_id=result.order_id)
    return body


def next_receipt_number(agency, year: int) -> str:
    """The agency's next receipt number of the year: its own series, as each collecting body keeps one."""
    ReceiptSequence.objects.get_or_create(agency=agency, year=year)
    seq = ReceiptSequence.objects.select_for_update().get(agency=agency, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{agency.organ_code or agency.slug}-{year}-{seq.last:07d}"


def _mark_paid(provider: PaymentProvider, payment: Payment, result: CallbackResult, params: dict) -> dict:
    # The dossier's lock orders two callbacks of two different orders of the same dossier: the
    # second waits, then sees the first one paid. (The partial unique index would stop it anyway,
    # with an error and a retry instead of a clear refusal.)
    dossier = (Dossier.objects.select_for_update(of=("self",))
               .select_related("receiving_agency__parent", "receiving_agency__unit", "applicant",
                               "procedure_version__procedure").get(pk=payment.dossier_id))
    other = Payment.objects.filter(dossier_id=payment.dossier_id, status=PaymentStatus.PAID).first()
    if other is not None:
        # The citizen paid twice (two orders open in two tabs). The gateway took the money; an
        # accountant refunds it. The order stays pending so the log and the list show it.
        logger.error("dossier %s paid twice: order %s after %s; refund needed",
                     payment.dossier_id, payment.order_id, other.order_id)
        return _refuse(provider, payment, result, params, RefusalReason.DOSSIER_ALREADY_PAID,
                       Answer.ALREADY_CONFIRMED,
                       _("Hồ sơ đã được nộp phí bằng đơn hàng %(other)s (biên lai số %(number)s); "
                         "khoản tiền này cần được hoàn trả.") % {"other": other.order_id,
                                                                 "number": other.receipt_number})
    payment.dossier = dossier
    now = timezone.now()
    payment.status = PaymentStatus.PAID
    payment.paid_at = result.paid_at or now
    payment.closed_at = now
    payment.provider_txn_id = result.provider_txn_id[:60]
    payment.receipt_number = next_receipt_number(dossier.receiving_agency, timezone.localtime(payment.paid_at).year)
    payment.receipt_data = receipts.receipt_data(payment, provider_label=getattr(provider, "label", provider.code))
    payment.save()
    audit.append(
        PAID_TOPIC, object_type="payment", object_id=payment.pk,
        before={"status": PaymentStatus.PENDING},
        after={"status": payment.status, "dossier": dossier.code, "order_id": payment.order_id,
               "amount": payment.amount, "receipt_number": payment.receipt_number,
               "provider_txn_id": payment.provider_txn_id},
        actor_label=_("Cổng thanh toán: %(provider)s") % {"provider": getattr(provider, "label", provider.code)},
    )
    outbox.emit(
        PAID_TOPIC, aggregate_type="payment", aggregate_id=payment.pk,
        payload={"payment": payment.pk, "dossier": dossier.pk, "code": dossier.code, "order_id": payment.order_id,
                 "amount": payment.amount, "receipt_number": payment.receipt_number,
                 "at": payment.paid_at.isoformat()},
        idempotency_key=f"payment:{payment.pk}:paid",
    )
    body = provider.answer(Answer.CONFIRMED, _("Đã ghi nhận thanh toán."))
    _log(provider, payment, params, CallbackOutcome.ACCEPTED,
         detail=_("Đã thanh toán %(amount)s; biên lai số %(number)s.")
         % {"amount": format_vnd(payment.amount), "number": payment.receipt_number},
         answer=body, order_id=result.order_id)
    return body


# ----------------------------------------------------------------------------- the receipt PDF (worker)

def store_receipt_pdf(payment_id: int) -> bool:
    """Lay out the receipt PDF of a paid payment, once (the `payment.paid` handler)."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status != PaymentStatus.PAID:
        return False
    return receipts.store_receipt(payment)
