"""A citizen pays a dossier's fee through the sandbox gateway, as a browser would, page by page.

start (dossier page) → the sandbox bank's page → "Thanh toán" → back to the return page (which
still waits: the browser proves nothing) → the worker delivers the bank's IPN → paid, receipt.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.core import audit
from motcua.core.models import AuditRecord, OutboxEvent
from motcua.dossiers.choices import Stage
from motcua.dossiers.tests.factories import Personas
from motcua.lib.tests.poppler import pdf_text
from motcua.payments.choices import CallbackOutcome, PaymentStatus
from motcua.payments.models import Payment, PaymentEvent
from motcua.payments.selectors import payment_status

from .helpers import citizen_of, deliver_all, dossier_with_fee, fee_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return Personas()


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.MOTCUA_SITE_URL = "http://testserver"
    settings.MEDIA_ROOT = tmp_path


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _form_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the bank's form, as the browser would post them back."""
    import re

    return dict(re.findall(r'<input type="hidden" name="(vnp_\w+)" value="([^"]*)"', html))


def _go_to_bank(client, dossier):
    response = client.post(f"/thanh-toan/ho-so/{dossier.pk}/")
    assert response.status_code == 302
    assert urlsplit(response.url).path.startswith("/thanh-toan/sandbox/")
    bank_page = client.get(_path(response.url))
    assert bank_page.status_code == 200
    return response.url, bank_page.content.decode()


def _answer_bank(client, bank_url: str, html: str, action: str):
    from html import unescape

    fields = {k: unescape(v) for k, v in _form_fields(html).items()}
    response = client.post(urlsplit(bank_url).path, {**fields, "action": action})
    assert response.status_code == 302
    assert urlsplit(response.url).path == "/thanh-toan/ket-qua/"
    return response.url


def test_a_citizen_pays_the_fee_and_gets_an_electronic_receipt(people, client):
    code, total = fee_procedure()
    dossier = dossier_with_fee(people)
    assert dossier.fee_amount == total  # the fee comes from the procedure's channel
    client.force_login(citizen_of(dossier))
    amount_text = f"{total:,}".replace(",", ".") + " đồng"

    page = client.get(f"/thanh-toan/ho-so/{dossier.pk}/").content.decode()
    assert "chưa nộp" in page and amount_text in page and "Thanh toán trực tuyến" in page

    bank_url, bank_page = _go_to_bank(client, dossier)
    assert "Thanh toán" in bank_page and "Hủy" in bank_page and amount_text in bank_page
    assert "MÔI TRƯỜNG THỬ NGHIỆM" in bank_page
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.status, payment.amount, payment.currency) == (PaymentStatus.PENDING, total, "VND")

    return_url = _answer_bank(client, bank_url, bank_page, "pay")
    assert parse_qs(urlsplit(return_url).query)["vnp_ResponseCode"] == ["00"]
    # The browser is back, saying "paid": nothing is recorded until the bank's IPN arrives.
    waiting = client.get(_path(return_url)).content.decode()
    assert "đang chờ cổng thanh toán xác nhận" in waiting
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert OutboxEvent.objects.filter(topic="payment.sandbox_ipn", aggregate_id=payment.order_id).count() == 1

    deliver_all()  # the worker: the bank's IPN, then the receipt PDF and the notifications
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.receipt_number == f"{dossier.receiving_agency.organ_code}-{payment.paid_at.year}-0000001"
    assert payment.provider_txn_id
    assert list(PaymentEvent.objects.filter(payment=payment).values_list("outcome", flat=True)) == \
        [CallbackOutcome.ACCEPTED]

    done = client.get(_path(return_url)).content.decode()
    assert "Thanh toán thành công" in done and payment.receipt_number in done

    status = payment_status(dossier)
    assert status.state == "paid" and status.receipt_number == payment.receipt_number
    page = client.get(f"/thanh-toan/ho-so/{dossier.pk}/").content.decode()
    assert "đã nộp" in page and "Thanh toán trực tuyến" not in page
    receipt = client.get(status.receipt_url)
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(receipt.streaming_content))
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", payment.receipt_number, "Nguyễn Thị Hồng Nhung",
                     dossier.code, amount_text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert expected in text, expected

    # The payment is on the audit chain; the dossier did not move by itself (the official confirms).
    assert AuditRecord.objects.filter(action="payment.paid", object_id=str(payment.pk)).exists()
    assert audit.verify()[1] == []
    dossier.refresh_from_db()
    assert dossier.stage == Stage.RECEIVED


def test_a_citizen_who_cancels_at_the_bank_has_paid_nothing_and_can_pay_again(people, client):
    dossier = dossier_with_fee(people)
    client.force_login(citizen_of(dossier))
    bank_url, bank_page = _go_to_bank(client, dossier)
    return_url = _answer_bank(client, bank_url, bank_page, "cancel")
    assert "Giao dịch đã bị hủy" in client.get(_path(return_url)).content.decode()

    deliver_all()
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.CANCELLED and payment.receipt_number is None
    assert payment_status(dossier).state == "unpaid"
    assert "chưa nộp" in client.get(f"/thanh-toan/ho-so/{dossier.pk}/").content.decode()
    _go_to_bank(client, dossier)
    assert dossier.payments.count() == 2


def test_clicking_pay_twice_at_the_bank_sends_one_ipn_and_one_receipt(people, client):
    dossier = dossier_with_fee(people)
    client.force_login(citizen_of(dossier))
    bank_url, bank_page = _go_to_bank(client, dossier)
    first = _answer_bank(client, bank_url, bank_page, "pay")
    second = _answer_bank(client, bank_url, bank_page, "pay")
    # The bank remembers the outcome of the order: the same signed answer both times.
    assert parse_qs(urlsplit(first).query) == parse_qs(urlsplit(second).query)
    deliver_all()
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.PAID
    assert OutboxEvent.objects.filter(topic="payment.sandbox_ipn").count() == 1


def test_a_forged_return_url_is_refused_and_records_nothing(people, client):
    dossier = dossier_with_fee(people)
    client.force_login(citizen_of(dossier))
    bank_url, bank_page = _go_to_bank(client, dossier)
    return_url = _answer_bank(client, bank_url, bank_page, "cancel")
    forged = _path(return_url).replace("vnp_ResponseCode=24", "vnp_ResponseCode=00")
    response = client.get(forged)
    assert response.status_code == 400
    assert "không đúng chữ ký" in response.content.decode()
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.PENDING


def test_the_bank_refuses_a_payment_request_whose_amount_was_changed(people, client):
    dossier = dossier_with_fee(people)
    client.force_login(citizen_of(dossier))
    response = client.post(f"/thanh-toan/ho-so/{dossier.pk}/")
    query = parse_qs(urlsplit(response.url).query)
    tampered = _path(response.url).replace(f"vnp_Amount={query['vnp_Amount'][0]}", "vnp_Amount=100")
    page = client.get(tampered)
    assert page.status_code == 400
    assert "sai chữ ký (vnp_SecureHash)" in page.content.decode()


def test_the_sandbox_bank_does_not_exist_beside_a_real_gateway(people, client, settings):
    settings.MOTCUA_PAYMENT_PROVIDER = "motcua.payments.tests.test_sandbox_flow.OtherGateway"
    assert client.get("/thanh-toan/sandbox/MC1/").status_code == 404


class OtherGateway:
    code = "other"


def test_someone_else_cannot_see_or_pay_the_fee_of_a_dossier(people, client):
    dossier = dossier_with_fee(people)
    citizen_of(dossier)
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("nguoi-la", password="mat-khau-du-dai-2026"))
    assert client.get(f"/thanh-toan/ho-so/{dossier.pk}/").status_code == 404
    assert client.post(f"/thanh-toan/ho-so/{dossier.pk}/").status_code == 404
    assert not Payment.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(people, client):
    dossier = dossier_with_fee(people)
    response = client.get(f"/thanh-toan/ho-so/{dossier.pk}/")
    assert response.status_code == 302 and response.url.startswith("/tai-khoan/dang-nhap/")
