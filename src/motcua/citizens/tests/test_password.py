"""Forgotten and changed passwords: the reset e-mail through a real SMTP server, and other sessions ending."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.citizens.models import CitizenProfile
from motcua.citizens.tests.conftest import PASSWORD, body, field_error, link_in, run_worker, text
from motcua.core.models import OutboxEvent

pytestmark = pytest.mark.django_db
User = get_user_model()
RESET = "/tai-khoan/quen-mat-khau/"
NEW_PASSWORD = "Trống-đồng-Ngọc-Lũ-9"


def test_a_forgotten_password_is_reset_through_the_link_in_the_email(client, smtp, make_citizen, login):
    user = make_citizen(verified=False)
    run_worker()  # the verification e-mail of the registration
    smtp.messages.clear()

    response = client.post(RESET, {"email": "An.Tran@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in text(response)
    assert smtp.messages == []  # sent by the worker, not by the web request
    assert run_worker() == {"delivered": 1}
    [mail] = smtp.to("an.tran@example.vn")
    assert mail["Subject"].strip() == "Đặt lại mật khẩu tài khoản trên Cổng dịch vụ công"
    assert "Kính gửi Trần Văn An" in body(mail)

    form_page = client.get(link_in(mail), follow=True)  # Django moves the token out of the URL first
    assert "Đặt lại mật khẩu" in text(form_page) and "Mật khẩu mới" in text(form_page)
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Mật khẩu này quá phổ biến" in field_error(weak, "new_password2")
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Đã đặt lại mật khẩu" in text(done)

    assert login(user, PASSWORD).status_code == 400
    assert login(user, NEW_PASSWORD).status_code == 302
    # Reading the mail at the address proved the address too.
    assert CitizenProfile.objects.get(user=user).email_verified
    # The link works once.
    client.logout()
    assert "Liên kết đặt lại mật khẩu không dùng được" in text(client.get(link_in(mail), follow=True))


def test_an_unknown_address_gets_the_same_page_and_no_email(client, smtp):
    response = client.post(RESET, {"email": "khong-co@example.vn"}, follow=True)
    assert "Nếu địa chỉ e-mail đã nhập có tài khoản" in text(response)
    assert not OutboxEvent.objects.exists()
    run_worker()
    assert smtp.messages == []


def test_an_official_s_address_gets_no_reset_email_from_the_portal(client, smtp):
    User.objects.create_user("canbo", email="canbo@ubnd.example.vn", password=PASSWORD)
    client.post(RESET, {"email": "canbo@ubnd.example.vn"})
    assert not OutboxEvent.objects.exists()


def test_a_bad_address_is_named(client):
    response = client.post(RESET, {"email": "an.tran@"})
    assert "Địa chỉ e-mail không đúng" in field_error(response, "email")


def test_a_reset_lets_the_owner_in_even_after_someone_else_s_guesses_locked_the_account(client, smtp, make_citizen,
                                                                                         login):
    user = make_citizen()
    for _attempt in range(settings.MOTCUA_LOGIN_MAX_FAILURES):
        login(user, "doan-thu", REMOTE_ADDR="198.51.100.66")
    assert login(user, PASSWORD).status_code == 429
    client.post(RESET, {"email": user.email})
    run_worker()
    set_url = client.get(link_in(smtp.to(user.email)[-1]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert login(user, NEW_PASSWORD).status_code == 302


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(make_citizen, login):
    user = make_citizen()
    phone, laptop = Client(), Client()
    login(user, target=phone)
    login(user, target=laptop)
    assert phone.get("/tai-khoan/ho-so/").status_code == 200 and laptop.get("/tai-khoan/ho-so/").status_code == 200

    wrong = laptop.post("/tai-khoan/doi-mat-khau/", {"old_password": "khong-dung", "new_password1": NEW_PASSWORD,
                                                     "new_password2": NEW_PASSWORD})
    assert "Mật khẩu cũ không chính xác" in field_error(wrong, "old_password")
    response = laptop.post("/tai-khoan/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD}, follow=True)
    assert "Đã đổi mật khẩu" in text(response)
    assert laptop.get("/tai-khoan/ho-so/").status_code == 200
    assert phone.get("/tai-khoan/ho-so/")["Location"].startswith("/tai-khoan/dang-nhap/")


def test_the_change_password_page_is_for_signed_in_citizens(client):
    assert client.get("/tai-khoan/doi-mat-khau/")["Location"].startswith("/tai-khoan/dang-nhap/?next=")
