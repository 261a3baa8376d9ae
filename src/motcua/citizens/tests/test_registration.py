"""Registering an account as a citizen does it: the form, the e-mail from a real SMTP server, the link."""

import re
import socket
import time
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone

from motcua.citizens import selectors, services
from motcua.citizens.models import CitizenProfile
from motcua.citizens.tests.conftest import (
    PASSWORD,
    body,
    field_error,
    link_in,
    registration_data,
    run_worker,
    text,
)
from motcua.core.models import AuditRecord, OutboxEvent
from motcua.units.choices import Edition, UnitLevel
from motcua.units.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
User = get_user_model()
REGISTER = "/tai-khoan/dang-ky/"


def test_the_registration_page_asks_in_vietnamese_with_labels_for_every_field(client):
    response = client.get(REGISTER)
    page = text(response)
    assert response.status_code == 200
    for label in ("Họ và tên", "Địa chỉ e-mail", "Số điện thoại", "Mật khẩu", "Nhập lại mật khẩu", "Mã số thuế",
                  "Số định danh cá nhân (số CCCD)", "Tỉnh/thành phố", "Xã/phường/đặc khu"):
        assert label in page
    html = response.content.decode()
    assert 'for="id_phone"' in html and 'type="tel"' in html and 'autocomplete="new-password"' in html
    # The 34 provinces of the current list, not the 63 of the old one.
    provinces = html[html.index('id="id_province"'):html.index('id="commune-field"')]
    assert len(re.findall(r'<option value="\d\d"', provinces)) == 34


def test_a_citizen_registers_receives_the_link_by_email_and_verifies_the_address(client, smtp):
    response = client.post(REGISTER, registration_data())
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/ho-so/"

    user = User.objects.get(email="hoa.nguyen@example.vn")
    assert user.password != PASSWORD and user.check_password(PASSWORD)  # Django's hash, never the text
    profile = user.citizen_profile
    assert (profile.full_name, profile.phone, profile.id_number) == ("Nguyễn Thị Hoa", "0912345678", "001190012345")
    assert (profile.unit.edition, profile.unit.code, profile.unit.name) == ("2025", "00004", "Phường Ba Đình")
    assert not profile.email_verified and not selectors.can_submit_dossiers(user)

    # Signed in at once, told to read the mail; nothing was sent inside the request.
    page = text(client.get("/tai-khoan/ho-so/"))
    assert "Chúng tôi vừa gửi thư đến hoa.nguyen@example.vn" in page
    assert "Địa chỉ e-mail chưa được xác thực" in page
    assert smtp.messages == []

    assert run_worker() == {"delivered": 1}
    [mail] = smtp.to("hoa.nguyen@example.vn")
    assert mail["Subject"].strip() == "Xác thực địa chỉ e-mail của tài khoản trên Cổng dịch vụ công"
    assert "Kính gửi Nguyễn Thị Hoa" in body(mail) and "72 giờ" in body(mail)
    link = link_in(mail)
    assert link.startswith("/tai-khoan/xac-thuc/")

    client.logout()  # the link works from any browser, signed in or not
    response = client.get(link)
    assert response.status_code == 200
    assert "Đã xác thực địa chỉ e-mail" in text(response)
    profile.refresh_from_db()
    assert profile.email_verified and selectors.can_submit_dossiers(user)
    assert "đã được xác thực trước đó" in text(client.get(link))


def test_an_organisation_registers_with_its_tax_code(client):
    data = registration_data(kind="organisation", email="ketoan@hoaphat.example.vn", organisation_name="Công ty TNHH 3T",
                             tax_code="0101234567 – 001", id_number="", date_of_birth="")
    assert client.post(REGISTER, data).status_code == 302
    profile = CitizenProfile.objects.get(user__email="ketoan@hoaphat.example.vn")
    assert (profile.kind, profile.organisation_name, profile.tax_code) == ("organisation", "Công ty TNHH 3T",
                                                                           "0101234567-001")
    assert selectors.profile_prefill(profile.user)["applicant_name"] == "Công ty TNHH 3T"


def test_a_person_s_account_keeps_no_organisation_fields(client):
    assert client.post(REGISTER, registration_data(organisation_name="Không liên quan", tax_code="abc")).status_code == 302
    profile = CitizenProfile.objects.get(user__email="hoa.nguyen@example.vn")
    assert (profile.organisation_name, profile.tax_code) == ("", "")


def _old_only_commune() -> AdministrativeUnit:
    current = AdministrativeUnit.objects.filter(edition=Edition.CURRENT).values("code")
    return (AdministrativeUnit.objects.filter(edition=Edition.PRE_2025, level=UnitLevel.COMMUNE)
            .exclude(code__in=current).order_by("code").first())


BAD_INPUT = [
    ("weak password", {"password": "12345678", "password_confirm": "12345678"}, "password",
     ["Mật khẩu này quá phổ biến", "Mật khẩu này hoàn toàn là số"]),
    ("short password", {"password": "Xy7#", "password_confirm": "Xy7#"}, "password",
     ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự"]),
    ("password like the name", {"password": "NguyenThiHoa", "password_confirm": "NguyenThiHoa"}, "password",
     ["Mật khẩu quá giống với"]),
    ("passwords differ", {"password_confirm": "khac-nhau-2025"}, "password_confirm", ["không khớp"]),
    ("bad e-mail", {"email": "hoa.nguyen@"}, "email", ["Địa chỉ e-mail không đúng"]),
    ("old 01x mobile", {"phone": "0123 456 789"}, "phone", ["Số điện thoại không đúng"]),
    ("letters in phone", {"phone": "09x2345678"}, "phone", ["Số điện thoại chỉ gồm chữ số"]),
    ("missing phone", {"phone": ""}, "phone", ["Hãy nhập số điện thoại"]),
    ("missing password", {"password": "", "password_confirm": ""}, "password", ["Hãy nhập mật khẩu"]),
    ("missing e-mail", {"email": ""}, "email", ["Hãy nhập địa chỉ e-mail"]),
    ("short CCCD", {"id_number": "00119001234"}, "id_number", ["phải gồm đúng 12 chữ số"]),
    ("CCCD of another birth year", {"id_number": "001085012345"}, "id_number", ["năm sinh 1985", "năm 1990"]),
    ("future birth date", {"date_of_birth": (date.today() + timedelta(days=1)).isoformat(), "id_number": ""},
     "date_of_birth", ["Ngày sinh không được sau ngày hôm nay"]),
    ("unreadable birth date", {"date_of_birth": "31/02/1990"}, "date_of_birth", ["Ngày sinh không đúng"]),
    ("digits in name", {"full_name": "Nguyễn Văn 2"}, "full_name", ["Họ và tên không được có chữ số"]),
    ("province instead of commune", {"unit": "01"}, "unit", ["“Thành phố Hà Nội” là đơn vị cấp tỉnh"]),
    ("organisation without tax code", {"kind": "organisation", "organisation_name": "HTX Rau sạch"}, "tax_code",
     ["Hãy nhập mã số thuế"]),
    ("bad tax code", {"kind": "organisation", "organisation_name": "HTX Rau sạch", "tax_code": "01012345"},
     "tax_code", ["Mã số thuế gồm 10 chữ số"]),
]


@pytest.mark.parametrize(("case", "overrides", "field", "fragments"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_refused_with_a_message_on_the_field_and_no_account(client, case, overrides, field, fragments):
    response = client.post(REGISTER, registration_data(**overrides))
    assert response.status_code == 400
    message = field_error(response, field)
    for fragment in fragments:
        assert fragment in message, (case, message)
    # The summary on top names the field by its label, and links to it.
    assert f'href="#id_{field}"' in response.content.decode()
    assert not User.objects.exists()
    assert not CitizenProfile.objects.exists() and not OutboxEvent.objects.exists()
    assert not AuditRecord.objects.filter(action="citizen.register").exists()
    # What was typed stays in the form (except passwords), so only the mistake needs retyping.
    assert 'value="Nguyễn' in response.content.decode() or field == "full_name"


def test_every_problem_is_reported_at_once(client, make_citizen):
    make_citizen("hoa.nguyen@example.vn")
    fields = ("email", "phone", "id_number", "full_name", "date_of_birth", "password_confirm")
    # An unreadable date and a password typed differently are found by the form, the rest by the
    # services: all of them come back on the first try.
    response = client.post(REGISTER, registration_data(phone="123", id_number="12", full_name="", date_of_birth="32/13/1990",
                                                       password_confirm="khac"))
    assert {field: bool(field_error(response, field)) for field in fields} == dict.fromkeys(fields, True)
    assert User.objects.count() == 1


def test_a_commune_of_the_old_list_is_refused(client):
    old = _old_only_commune()
    response = client.post(REGISTER, registration_data(province="", unit=old.code))
    assert response.status_code == 400
    assert "thuộc danh mục đơn vị hành chính cũ (đến 30/06/2025)" in field_error(response, "unit")
    assert not User.objects.exists()


def test_the_service_refuses_a_unit_object_of_the_old_list_or_a_province():
    old = _old_only_commune()
    province = AdministrativeUnit.objects.get(edition=Edition.CURRENT, level=UnitLevel.PROVINCE, code="79")
    for unit, fragment in ((old, "danh mục đơn vị hành chính cũ"), (province, "là đơn vị cấp tỉnh")):
        with pytest.raises(services.AccountInputError) as caught:
            services.register(email="x@example.vn", password=PASSWORD, kind="person",
                              profile={"full_name": "Lê Văn Xuân", "phone": "0912345678", "unit": unit})
        assert fragment in caught.value.errors["unit"]
    assert not User.objects.exists()


def test_an_address_already_registered_is_refused_whatever_its_case(client, make_citizen):
    make_citizen("Hoa.Nguyen@Example.vn", id_number="")
    response = client.post(REGISTER, registration_data(email=" HOA.NGUYEN@example.VN "))
    assert response.status_code == 400
    assert "Địa chỉ e-mail này đã có tài khoản" in field_error(response, "email")
    assert User.objects.count() == 1


def test_a_personal_number_already_used_by_another_account_is_refused(client, make_citizen):
    make_citizen(id_number="001190012345", date_of_birth=date(1990, 1, 2))
    response = client.post(REGISTER, registration_data())
    assert "đã dùng cho một tài khoản khác" in field_error(response, "id_number")
    assert User.objects.count() == 1


def test_a_failure_while_writing_leaves_nothing_behind(client):
    with mock.patch("motcua.citizens.services.emit", side_effect=RuntimeError("outbox down")), \
            pytest.raises(RuntimeError):
        services.register(email="hoa@example.vn", password=PASSWORD, kind="person",
                          profile={"full_name": "Nguyễn Thị Hoa", "phone": "0912345678"})
    assert not User.objects.exists() and not CitizenProfile.objects.exists()


class _PastSigner(signing.TimestampSigner):
    """Signs as if it were `hours` ago: an old link without waiting for it to get old."""

    hours = 73

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.hours * 3600)


def test_an_expired_or_tampered_link_says_so(client, make_citizen):
    user = make_citizen(verified=False)
    expired = _PastSigner(salt=services.VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})
    response = client.get(f"/tai-khoan/xac-thuc/{expired}/")
    assert response.status_code == 400
    assert "Liên kết xác thực đã hết hạn" in text(response)

    good = services.verification_token(user)
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    response = client.get(f"/tai-khoan/xac-thuc/{tampered}/")
    assert response.status_code == 400
    assert "Liên kết xác thực không đúng" in text(response)
    assert not CitizenProfile.objects.get(user=user).email_verified


def test_a_link_for_the_previous_address_does_not_verify_the_new_one(client, make_citizen):
    user = make_citizen(verified=False)
    token = services.verification_token(user)
    User.objects.filter(pk=user.pk).update(email="moi@example.vn")
    response = client.get(f"/tai-khoan/xac-thuc/{token}/")
    assert response.status_code == 400 and "địa chỉ e-mail trước đây" in text(response)
    assert not CitizenProfile.objects.get(user=user).email_verified


def test_resending_the_link_sends_one_email_per_interval(client, smtp, make_citizen, login):
    user = make_citizen(verified=False)
    run_worker()
    assert len(smtp.to(user.email)) == 1
    login(user)
    response = client.post("/tai-khoan/xac-thuc/gui-lai/", follow=True)
    assert "Đã gửi thư xác thực đến an.tran@example.vn" in text(response)
    run_worker()
    assert len(smtp.to(user.email)) == 1  # pressed again within 5 minutes: the same e-mail, not another

    later = timezone.now() + services.EMAIL_INTERVAL
    with mock.patch("django.utils.timezone.now", return_value=later):
        client.post("/tai-khoan/xac-thuc/gui-lai/")
        run_worker()
    assert len(smtp.to(user.email)) == 2
    assert client.get(link_in(smtp.to(user.email)[-1])).status_code == 200
    assert CitizenProfile.objects.get(user=user).email_verified


def test_no_email_is_sent_once_the_address_is_verified(smtp, make_citizen):
    make_citizen(verified=True)  # verified before the worker ran
    run_worker()
    assert smtp.messages == []


def test_an_email_the_server_refuses_is_retried_by_the_outbox(settings, make_citizen, smtp):
    settings.EMAIL_PORT = _closed_port()
    user = make_citizen(verified=False)
    assert run_worker() == {"pending": 1}
    event = OutboxEvent.objects.get(topic="account.verification_requested")
    assert event.attempts == 1 and "Error" in event.last_error
    settings.EMAIL_PORT = smtp.port
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())  # the backoff has passed
    assert run_worker() == {"delivered": 1}
    assert len(smtp.to(user.email)) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when this returns: connections are refused
