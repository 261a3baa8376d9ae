"""The applicant is told of every status change, by e-mail (read back from a real SMTP server) and SMS.

Dossiers are moved by the real services; the worker's delivery (`outbox.deliver_due`) sends.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.core import outbox
from motcua.core.models import OutboxEvent, OutboxStatus
from motcua.dossiers.models import Applicant
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import APPLICANT, Personas, receive
from motcua.notifications import messages, services, sms
from motcua.notifications.choices import NotificationChannel, NotificationStatus
from motcua.notifications.models import Notification, mask_recipient
from motcua.payments.services import handle_callback, start_payment
from motcua.payments.tests.helpers import citizen_of, deliver_all, dossier_with_fee, ipn_params

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 11, 26, 10, 0, tzinfo=VN)  # a Thursday
CODE = "000.21.31.H53-261126-0001"
NAME = "Nguyễn Thị Hồng Nhung"


@pytest.fixture
def people():
    return Personas()


def _body(message) -> str:
    """The text as a mail reader shows it (the wire's CRLF line ends as plain line ends)."""
    return message.get_content().replace("\r\n", "\n")


def _sms(capsys) -> list[str]:
    out = capsys.readouterr().out
    # The console provider writes "--- SMS to <phone> ---", the text on one line, then "---".
    return [block.split("\n")[1] for block in out.split("--- SMS to ")[1:] if block.startswith(APPLICANT["phone"])]


def test_reception_is_announced_by_email_in_vietnamese_and_by_sms(people, mail, capsys):
    receive(people, at=AT)
    assert mail.inbox == []  # nothing is sent until the worker runs
    deliver_all()

    [received] = mail.inbox
    assert received.rcpt_tos == [APPLICANT["email"]]
    message = received.message
    assert message["Subject"] == f"[Hồ sơ {CODE}] Đã tiếp nhận hồ sơ"
    assert message["From"] == "Một cửa Tây Ninh <khong-tra-loi@motcua.example.vn>"
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert message["Auto-Submitted"] == "auto-generated"
    # On the wire the Vietnamese subject is an encoded word, and the body is valid UTF-8.
    assert b"\nSubject: =?utf-8?" in received.raw.replace(b"\r\n", b"\n")
    received.raw.decode("utf-8")
    body = _body(message)
    assert body.startswith(f"Kính gửi Ông/Bà {NAME},")
    assert "UBND Xã An Thạnh huyện Bến Cầu đã tiếp nhận hồ sơ của Ông/Bà lúc 10:00 ngày 26/11/2026." in body
    assert "Ngày hẹn trả kết quả: 17:00 ngày 01/12/2026" in body
    assert "Ông/Bà không cần làm gì thêm lúc này." in body
    assert f"Theo dõi hồ sơ: https://dichvucong.example.vn/tra-cuu-ho-so/?ma={CODE}" in body

    [text] = _sms(capsys)
    assert text == f"Ho so {CODE} da duoc tiep nhan. Hen tra ket qua: 17:00 ngay 01/12/2026."
    rows = Notification.objects.order_by("channel")
    assert [(n.channel, n.status, n.attempts, n.template) for n in rows] == [
        ("email", "sent", 1, "receive"), ("sms", "sent", 1, "receive")]


def test_a_supplement_request_says_which_papers_are_missing_and_why(people, mail):
    dossier = receive(people, at=AT)
    deliver_all()
    transition(dossier.pk, "request_supplement", actor=people.reception,
               reason="Tờ khai thiếu chữ ký của người đi khai sinh",
               data={"missing_papers": ["Tờ khai đăng ký khai sinh (có chữ ký)", "Giấy chứng sinh bản chính"]})
    deliver_all()
    message = mail.inbox[-1].message
    assert message["Subject"] == f"[Hồ sơ {CODE}] Yêu cầu bổ sung hồ sơ"
    body = _body(message)
    assert "Giấy tờ cần bổ sung:\n  1. Tờ khai đăng ký khai sinh (có chữ ký)\n  2. Giấy chứng sinh bản chính" in body
    assert "Lý do: Tờ khai thiếu chữ ký của người đi khai sinh" in body
    assert "Việc Ông/Bà cần làm: nộp các giấy tờ trên tại Bộ phận Tiếp nhận và Trả kết quả" in body


def test_a_financial_obligation_names_the_fee_and_where_to_pay(people, mail, settings):
    dossier = dossier_with_fee(people)
    transition(dossier.pk, "forward", actor=people.reception)
    transition(dossier.pk, "request_payment", actor=people.specialist, reason="Nộp lệ phí cấp giấy chứng nhận")
    deliver_all()
    message = mail.inbox[-1].message
    assert message["Subject"] == f"[Hồ sơ {dossier.code}] Yêu cầu thực hiện nghĩa vụ tài chính"
    body = _body(message)
    fee = f"{dossier.fee_amount:,}".replace(",", ".") + " đồng"
    assert f"Phí, lệ phí phải nộp: {fee}" in body
    assert f"Nộp trực tuyến tại: https://dichvucong.example.vn/thanh-toan/ho-so/{dossier.pk}/" in body
    assert "Nội dung: Nộp lệ phí cấp giấy chứng nhận" in body


def test_internal_steps_are_not_news_but_the_result_is(people, mail):
    dossier = receive(people, at=AT)
    transition(dossier.pk, "forward", actor=people.reception)
    transition(dossier.pk, "complete_step", actor=people.specialist)  # status 4 → 4
    transition(dossier.pk, "complete_step", actor=people.approver)  # status 4 → 4
    transition(dossier.pk, "complete_step", actor=people.reception, data={"result": "Giấy khai sinh bản chính"})
    deliver_all()
    subjects = [r.message["Subject"] for r in mail.inbox]
    assert subjects == [f"[Hồ sơ {CODE}] Đã tiếp nhận hồ sơ", f"[Hồ sơ {CODE}] Hồ sơ đang được xử lý",
                        f"[Hồ sơ {CODE}] Đã có kết quả giải quyết"]
    body = _body(mail.inbox[-1].message)
    assert "Kết quả: Giấy khai sinh bản chính" in body
    assert "mời Ông/Bà đến Bộ phận Tiếp nhận và Trả kết quả của UBND Xã An Thạnh huyện Bến Cầu" in body


def test_a_confirmed_payment_is_announced_with_its_receipt_number(people, mail, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_with_fee(people)
    deliver_all()
    payment, _url = start_payment(dossier, user=citizen_of(dossier))
    assert handle_callback(ipn_params(payment))["RspCode"] == "00"
    deliver_all()
    payment.refresh_from_db()
    message = mail.inbox[-1].message
    assert message["Subject"] == f"[Hồ sơ {dossier.code}] Đã nhận phí, lệ phí"
    assert f"Biên lai điện tử số: {payment.receipt_number}" in _body(message)


def test_with_the_mail_server_down_the_email_is_retried_and_sent_once(people, mail, capsys):
    mail.stop()
    receive(people, at=AT)
    deliver_all()
    email_row = Notification.objects.get(channel=NotificationChannel.EMAIL)
    event = OutboxEvent.objects.get(topic=services.SEND_TOPIC, aggregate_id=str(email_row.pk))
    assert (event.status, event.attempts) == (OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError" in event.last_error
    assert event.next_attempt_at > timezone.now()  # backoff: not due again yet
    assert email_row.status == NotificationStatus.PENDING
    # The SMS went out on its own event and is not repeated by the e-mail's retries.
    assert Notification.objects.get(channel=NotificationChannel.SMS).status == NotificationStatus.SENT
    assert len(_sms(capsys)) == 1

    mail.start()
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())  # the backoff has passed
    deliver_all()
    event.refresh_from_db()
    email_row.refresh_from_db()
    assert (event.status, event.attempts) == (OutboxStatus.DELIVERED, 2)
    assert (email_row.status, email_row.attempts) == (NotificationStatus.SENT, 2)
    assert len(mail.inbox) == 1
    assert _sms(capsys) == []
    deliver_all()
    assert len(mail.inbox) == 1


def test_after_the_last_attempt_the_failure_shows_in_the_log(people, mail, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 1
    mail.stop()
    receive(people, at=AT)
    deliver_all()
    row = Notification.objects.get(channel=NotificationChannel.EMAIL)
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "ConnectionRefusedError" in row.error


def test_a_retried_event_never_sends_again_what_was_sent(people, mail):
    receive(people, at=AT)
    deliver_all()
    source = OutboxEvent.objects.get(topic="dossier.receive")
    assert len(services.plan(source)) == 2  # planning again finds the two rows, creates none
    assert Notification.objects.count() == 2
    for row in Notification.objects.all():
        services.send(row.pk, attempt=5, final=False)
    assert len(mail.inbox) == 1
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_an_applicant_without_email_or_phone_is_skipped_with_a_log_row(people, mail):
    dossier = receive(people, at=AT)
    Applicant.objects.filter(pk=dossier.applicant_id).update(email="", phone="")
    deliver_all()
    rows = {n.channel: n for n in Notification.objects.all()}
    assert rows["email"].status == rows["sms"].status == NotificationStatus.SKIPPED
    assert rows["email"].error == "Người nộp không đăng ký thư điện tử; không gửi."
    assert rows["sms"].error == "Người nộp không đăng ký số điện thoại; không gửi."
    assert mail.inbox == []
    assert not OutboxEvent.objects.filter(topic=services.SEND_TOPIC).exists()


def test_nothing_is_sent_inside_the_web_request(people, mail, client, django_capture_on_commit_callbacks):
    dossier = receive(people, at=AT)
    deliver_all()
    assert len(mail.inbox) == 1
    client.force_login(people.reception)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mot-cua/ho-so/{dossier.pk}/thao-tac/forward/",
                               {"forward-expected_version": dossier.version})
    assert response.status_code == 302
    assert OutboxEvent.objects.filter(topic="dossier.forward", status=OutboxStatus.PENDING).exists()
    assert len(mail.inbox) == 1 and not Notification.objects.filter(template="forward").exists()
    deliver_all()
    assert mail.inbox[-1].message["Subject"] == f"[Hồ sơ {CODE}] Hồ sơ đang được xử lý"


class UnicodeSms:
    """A provider route that carries Vietnamese as it is (UCS-2), recording what it is given."""

    ascii_only = False
    max_length = 335
    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        self.sent.append((phone, text))


def test_diacritics_are_kept_when_the_sms_provider_can_carry_them(people, mail, settings):
    settings.MOTCUA_SMS_PROVIDER = "motcua.notifications.tests.test_notifications.UnicodeSms"
    UnicodeSms.sent.clear()
    receive(people, at=AT)
    deliver_all()
    assert UnicodeSms.sent == [(APPLICANT["phone"],
                                f"Hồ sơ {CODE} đã được tiếp nhận. Hẹn trả kết quả: 17:00 ngày 01/12/2026.")]


def test_every_sms_fits_one_plain_text_message(people):
    dossier = receive(people, at=AT)
    context = messages.context_for(OutboxEvent.objects.get(topic="dossier.receive"), dossier)
    context |= {"fee": "1.500.000 đồng", "amount": "1.500.000 đồng", "receipt_number": "000.21.31.H53-2026-0000001",
                "new_due_at": "17:00 ngày 31/12/2026", "status": "Yêu cầu thực hiện nghĩa vụ tài chính"}
    provider = sms.ConsoleSmsProvider()
    names = [p.stem for p in (messages.TEMPLATES_DIR / "notifications" / "sms").glob("*.txt")]
    assert "generic" in names and len(names) > 5
    for name in names:
        _used, text = messages.render("sms", name, context)
        fitted = sms.fit(text, provider)
        assert fitted.isascii() and len(fitted) <= 160 and not fitted.endswith("..."), (name, fitted)


def test_an_event_without_its_own_template_gets_the_generic_one(people):
    dossier = receive(people, at=AT)
    context = messages.context_for(OutboxEvent.objects.get(topic="dossier.receive"), dossier)
    used, text = messages.render("email", "no_such_action", context)
    assert used == "generic"
    assert text.startswith(f"[Hồ sơ {CODE}] Được tiếp nhận\nKính gửi Ông/Bà {NAME},")


def test_text_templates_are_not_html_escaped(people):
    dossier = receive(people, at=AT)
    Applicant.objects.filter(pk=dossier.applicant_id).update(full_name="Công ty TNHH Lúa & Gạo", kind="organisation")
    dossier.refresh_from_db()
    context = messages.context_for(OutboxEvent.objects.get(topic="dossier.receive"), dossier)
    _used, text = messages.render("email", "receive", context)
    assert "Kính gửi Công ty TNHH Lúa & Gạo," in text


def test_recipients_are_masked_in_lists():
    assert mask_recipient("nhung@example.vn") == "nh***@example.vn"
    assert mask_recipient("0912345678") == "091****678"
    assert mask_recipient("") == ""


def test_the_outbox_event_of_a_notification_is_written_once(people):
    receive(people, at=AT)
    outbox.deliver_due()
    keys = list(OutboxEvent.objects.filter(topic=services.SEND_TOPIC).values_list("idempotency_key", flat=True))
    assert sorted(k.rsplit(":", 1)[1] for k in keys) == ["send", "send"] and len(set(keys)) == 2
