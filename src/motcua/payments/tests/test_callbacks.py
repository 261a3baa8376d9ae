"""The gateway's server-to-server callback (IPN): what is refused, what is idempotent, what is logged.

Every callback is POSTed to /thanh-toan/ipn/ as the gateway's servers would, and the answer is
read in the gateway's format ({"RspCode", "Message"}).
"""

import pytest
from django.db import IntegrityError, transaction

from motcua.core.models import OutboxEvent
from motcua.dossiers.errors import InvalidInputError, NotPermittedError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import Personas, receive
from motcua.payments.choices import CallbackOutcome, PaymentStatus, RefusalReason
from motcua.payments.models import Payment, PaymentEvent, ReceiptSequence
from motcua.payments.receipts import vnd_in_words
from motcua.payments.services import start_payment

from .helpers import citizen_of, deliver_all, dossier_with_fee, ipn_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return Personas()


@pytest.fixture
def order(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_with_fee(people)
    payment, _url = start_payment(dossier, user=citizen_of(dossier))
    return payment


def _ipn(client, params, method="post"):
    response = getattr(client, method)("/thanh-toan/ipn/", params)
    assert response.status_code == 200
    return response.json()


def _log(payment=None):
    rows = PaymentEvent.objects.order_by("id")
    if payment is not None:
        rows = rows.filter(payment=payment)
    return [(e.outcome, e.reason) for e in rows]


def test_a_valid_ipn_marks_the_order_paid_and_issues_one_receipt(client, order):
    answer = _ipn(client, ipn_params(order))
    assert answer == {"RspCode": "00", "Message": "Đã ghi nhận thanh toán."}
    order.refresh_from_db()
    assert order.status == PaymentStatus.PAID and order.receipt_number.endswith("-0000001")
    assert order.receipt_data["amount_words"] == vnd_in_words(order.amount)
    assert _log(order) == [(CallbackOutcome.ACCEPTED, "")]
    event = OutboxEvent.objects.get(topic="payment.paid")
    assert event.payload["receipt_number"] == order.receipt_number


def test_the_gateway_may_send_the_ipn_as_a_get_as_vnpay_does(client, order):
    assert _ipn(client, ipn_params(order), method="get")["RspCode"] == "00"


def test_a_bad_signature_is_refused_and_logged(client, order):
    params = ipn_params(order)
    params["vnp_Amount"] = str(int(params["vnp_Amount"]) + 100)  # changed after signing
    answer = _ipn(client, params)
    assert answer["RspCode"] == "97" and "vnp_SecureHash" in answer["Message"]
    order.refresh_from_db()
    assert order.status == PaymentStatus.PENDING
    assert _log(order) == [(CallbackOutcome.REFUSED, RefusalReason.BAD_SIGNATURE)]


def test_a_callback_signed_with_another_secret_is_refused(client, order):
    answer = _ipn(client, ipn_params(order, secret="not-our-secret"))
    assert answer["RspCode"] == "97"
    assert _log() == [(CallbackOutcome.REFUSED, RefusalReason.BAD_SIGNATURE)]


def test_a_wrong_amount_is_refused_even_when_signed(client, order):
    answer = _ipn(client, ipn_params(order, amount=order.amount - 1000))
    assert answer["RspCode"] == "04"
    assert "Số tiền (amount) không khớp" in answer["Message"]
    order.refresh_from_db()
    assert order.status == PaymentStatus.PENDING and order.receipt_number is None
    assert _log(order) == [(CallbackOutcome.REFUSED, RefusalReason.AMOUNT_MISMATCH)]


def test_a_wrong_currency_is_refused(client, order):
    answer = _ipn(client, ipn_params(order, currency="USD"))
    assert answer["RspCode"] == "04" and "Loại tiền (currency)" in answer["Message"]
    assert _log(order) == [(CallbackOutcome.REFUSED, RefusalReason.CURRENCY_MISMATCH)]


def test_an_unknown_order_is_refused_and_logged_with_the_order_it_named(client, order):
    order.order_id = "MC000000NOTOURS"
    answer = _ipn(client, ipn_params(order))  # not saved: the gateway names an order we never made
    assert answer["RspCode"] == "01" and "MC000000NOTOURS" in answer["Message"]
    event = PaymentEvent.objects.get()
    assert (event.outcome, event.reason, event.order_id, event.payment) == \
        (CallbackOutcome.REFUSED, RefusalReason.UNKNOWN_ORDER, "MC000000NOTOURS", None)


def test_a_replayed_callback_changes_nothing_and_is_answered_already_confirmed(client, order):
    params = ipn_params(order)
    assert _ipn(client, params)["RspCode"] == "00"
    order.refresh_from_db()
    first = (order.receipt_number, order.paid_at)
    for _ in range(2):
        assert _ipn(client, params)["RspCode"] == "02"
    order.refresh_from_db()
    assert (order.receipt_number, order.paid_at) == first
    assert ReceiptSequence.objects.get().last == 1
    assert OutboxEvent.objects.filter(topic="payment.paid").count() == 1
    assert _log(order) == [(CallbackOutcome.ACCEPTED, ""), (CallbackOutcome.DUPLICATE, ""),
                           (CallbackOutcome.DUPLICATE, "")]


def test_a_different_outcome_after_payment_is_refused(client, order):
    _ipn(client, ipn_params(order))
    answer = _ipn(client, ipn_params(order, code="24", txn="0"))
    assert answer["RspCode"] == "02"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PAID
    assert _log(order)[-1] == (CallbackOutcome.REFUSED, RefusalReason.NOT_PENDING)


def test_a_cancelled_payment_is_recorded_and_no_receipt_issued(client, order):
    assert _ipn(client, ipn_params(order, code="24", txn="0"))["RspCode"] == "00"
    order.refresh_from_db()
    assert order.status == PaymentStatus.CANCELLED and order.receipt_number is None
    assert not OutboxEvent.objects.filter(topic="payment.paid").exists()
    # The same cancellation again is a duplicate; a late "paid" for a cancelled order is refused.
    assert _ipn(client, ipn_params(order, code="24", txn="0"))["RspCode"] == "02"
    assert _ipn(client, ipn_params(order))["RspCode"] == "02"
    assert _log(order) == [(CallbackOutcome.ACCEPTED, ""), (CallbackOutcome.DUPLICATE, ""),
                           (CallbackOutcome.REFUSED, RefusalReason.NOT_PENDING)]


def test_a_second_order_paid_for_a_paid_dossier_is_refused_for_a_refund(client, order):
    second = Payment.objects.create(dossier=order.dossier, order_id="MC-SECOND-TAB", amount=order.amount,
                                    provider="sandbox")
    assert _ipn(client, ipn_params(order))["RspCode"] == "00"
    answer = _ipn(client, ipn_params(second, txn="99999999"))
    assert answer["RspCode"] == "02" and "hoàn trả" in answer["Message"]
    second.refresh_from_db()
    assert second.status == PaymentStatus.PENDING
    assert _log(second) == [(CallbackOutcome.REFUSED, RefusalReason.DOSSIER_ALREADY_PAID)]


def test_the_database_allows_one_paid_payment_per_dossier(order):
    Payment.objects.filter(pk=order.pk).update(status=PaymentStatus.PAID)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(dossier=order.dossier, order_id="MC-OTHER", amount=order.amount,
                               provider="sandbox", status=PaymentStatus.PAID)


def test_the_receipt_pdf_is_laid_out_by_the_worker_not_by_the_ipn(client, order):
    _ipn(client, ipn_params(order))
    order.refresh_from_db()
    assert not order.receipt_file
    deliver_all()
    order.refresh_from_db()
    assert order.receipt_file.name.endswith(f"{order.receipt_number}.pdf")


# ----------------------------------------------------------------------------- starting a payment

def test_a_dossier_without_a_fee_cannot_be_paid(people):
    dossier = receive(people)
    Dossier.objects.filter(pk=dossier.pk).update(fee_amount=None)
    dossier.refresh_from_db()
    with pytest.raises(InvalidInputError) as error:
        start_payment(dossier, user=citizen_of(dossier))
    assert error.value.errors == {"fee_amount": f"Hồ sơ {dossier.code} không có phí, lệ phí phải nộp."}


def test_a_paid_dossier_cannot_be_paid_again(client, order):
    _ipn(client, ipn_params(order))
    order.refresh_from_db()
    with pytest.raises(InvalidInputError) as error:
        start_payment(order.dossier, user=order.dossier.applicant.user)
    assert error.value.errors["payment"] == (f"Hồ sơ {order.dossier.code} đã nộp phí, lệ phí "
                                             f"(biên lai số {order.receipt_number}).")


def test_only_the_applicant_or_the_receiving_agency_may_start_a_payment(people):
    dossier = dossier_with_fee(people)
    with pytest.raises(NotPermittedError):
        start_payment(dossier, user=people.outsider)
    payment, url = start_payment(dossier, user=people.reception)
    assert payment.amount == dossier.fee_amount and "/thanh-toan/sandbox/" in url


def test_a_closed_dossier_cannot_be_paid(people):
    dossier = dossier_with_fee(people)
    transition(dossier.pk, "refuse", actor=people.reception, reason="Hồ sơ không thuộc thẩm quyền")
    with pytest.raises(InvalidInputError) as error:
        start_payment(Dossier.objects.get(pk=dossier.pk), user=people.reception)
    assert "đã kết thúc" in error.value.errors["dossier"]


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (105, "Một trăm linh năm đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (1_505_000, "Một triệu năm trăm linh năm nghìn đồng"),
    (1_000_015, "Một triệu không trăm mười lăm đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
])
def test_amounts_in_words_as_a_receipt_writes_them(amount, words):
    assert vnd_in_words(amount) == words
