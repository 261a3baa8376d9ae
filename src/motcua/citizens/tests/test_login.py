"""Logging in and out, the rate limit on guesses, and what the session cookie is like."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import RequestFactory

from motcua.citizens import throttle
from motcua.citizens.choices import AttemptOutcome
from motcua.citizens.models import LoginAttempt
from motcua.citizens.tests.conftest import PASSWORD, session_cookie, text

pytestmark = pytest.mark.django_db
User = get_user_model()
LOGIN = "/tai-khoan/dang-nhap/"
PROFILE = "/tai-khoan/ho-so/"


def _time_passes(minutes: int) -> None:
    """Every recorded attempt moves back in time, as if the minutes had passed (no sleeping)."""
    LoginAttempt.objects.update(at=F("at") - timedelta(minutes=minutes))


def test_a_citizen_logs_in_with_email_and_password_and_the_session_key_changes(client, make_citizen, login):
    user = make_citizen()
    # A session that existed before the login (one an attacker could have planted) is not the one after.
    session = client.session
    session["seen_home"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key

    response = login(" AN.TRAN@example.vn ", PASSWORD)
    assert response.status_code == 302 and response["Location"] == PROFILE
    after = session_cookie(client)
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    page = text(client.get(PROFILE))
    assert "Hồ sơ tài khoản" in page and "an.tran@example.vn" in page
    assert client.session["motcua_login_method"] == "password"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_session_cookie_is_http_only_and_same_site_lax_and_secure_when_configured(client, make_citizen, login,
                                                                                       settings):
    make_citizen()
    cookie = login("an.tran@example.vn").cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # MOTCUA_SECURE_COOKIES is off in development
    settings.SESSION_COOKIE_SECURE = True  # what MOTCUA_SECURE_COOKIES=true sets
    client.logout()
    assert login("an.tran@example.vn").cookies[settings.SESSION_COOKIE_NAME]["secure"]


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, make_citizen, login):
    make_citizen()
    wrong = login("an.tran@example.vn", "sai-mat-khau")
    unknown = login("ai-do@example.vn", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "E-mail hoặc mật khẩu không đúng." in text(response)
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named(client):
    response = client.post(LOGIN, {"email": "", "password": ""})
    page = text(response)
    assert "Địa chỉ e-mail: Hãy nhập địa chỉ e-mail." in page and "Mật khẩu: Hãy nhập mật khẩu." in page


def test_the_sixth_attempt_is_refused_with_the_wait_and_allowed_once_the_window_has_passed(client, make_citizen, login):
    make_citizen()
    for _attempt in range(settings.MOTCUA_LOGIN_MAX_FAILURES):
        assert "E-mail hoặc mật khẩu không đúng." in text(login("an.tran@example.vn", "doan-thu"))
    # Even the right password is not checked now: the guesser must not learn that it was right.
    refused = login("an.tran@example.vn", PASSWORD)
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau 15 phút" in text(refused)
    assert "_auth_user_id" not in client.session

    _time_passes(10)
    assert "Hãy thử lại sau 5 phút" in text(login("an.tran@example.vn", PASSWORD))  # refusals do not extend it
    _time_passes(6)
    assert login("an.tran@example.vn", PASSWORD).status_code == 302


def test_the_limit_counts_per_account_whatever_the_address_case_or_the_client(client, make_citizen, login):
    make_citizen()
    for i in range(settings.MOTCUA_LOGIN_MAX_FAILURES):
        login("An.Tran@Example.vn" if i % 2 else "an.tran@example.vn", "doan-thu", REMOTE_ADDR=f"10.0.0.{i + 1}")
    assert login("an.tran@example.vn", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_a_successful_login_clears_the_account_s_failures(client, make_citizen, login):
    make_citizen()
    for _round in range(2):
        for _attempt in range(settings.MOTCUA_LOGIN_MAX_FAILURES - 1):
            login("an.tran@example.vn", "doan-thu")
        assert login("an.tran@example.vn", PASSWORD).status_code == 302
        client.logout()


def test_one_address_guessing_many_accounts_is_limited_too(client, make_citizen, login, settings):
    settings.MOTCUA_LOGIN_MAX_FAILURES_PER_IP = 3
    make_citizen()
    for i in range(3):
        login(f"nguoi{i}@example.vn", "doan-thu", REMOTE_ADDR="203.0.113.7")
    assert login("an.tran@example.vn", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert login("an.tran@example.vn", PASSWORD, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_behind_a_proxy_the_client_address_comes_from_the_proxy_not_from_what_the_client_wrote(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert throttle.client_ip(request) == "10.0.0.2"  # no trusted proxy: the header is ignored
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1
    assert throttle.client_ip(request) == "198.51.100.9"  # "1.2.3.4" was made up by the client
    assert throttle.client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense")) is None


def test_parallel_attempts_cannot_get_past_the_limit():
    """Attempts begun together (written before any is counted) are all counted: none slips through."""
    limit = settings.MOTCUA_LOGIN_MAX_FAILURES
    attempts = [throttle.begin("an.tran@example.vn", "192.0.2.1") for _ in range(limit + 3)]
    verdicts = [throttle.wait_time(a) for a in attempts]
    assert all(v is not None for v in verdicts)
    assert throttle.wait_time(attempts[0]) is not None


def test_old_attempts_are_forgotten():
    throttle.begin("an.tran@example.vn", None)
    LoginAttempt.objects.update(at=F("at") - throttle.RETENTION - timedelta(days=1))
    throttle.begin("binh@example.vn", None)
    assert throttle.prune() == 1
    assert list(LoginAttempt.objects.values_list("email", flat=True)) == ["binh@example.vn"]


def test_officials_and_disabled_accounts_cannot_log_in_here(client, make_citizen, login):
    User.objects.create_user("canbo.tiepnhan", email="canbo@ubnd.example.vn", password=PASSWORD)
    assert "E-mail hoặc mật khẩu không đúng." in text(login("canbo@ubnd.example.vn"))
    user = make_citizen()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert "E-mail hoặc mật khẩu không đúng." in text(login(user))


def test_next_is_followed_only_within_the_site(client, make_citizen):
    make_citizen()
    data = {"email": "an.tran@example.vn", "password": PASSWORD}
    assert client.post(f"{LOGIN}?next=/thu-tuc/1.001193/", data)["Location"] == "/thu-tuc/1.001193/"
    client.logout()
    assert client.post(LOGIN, {**data, "next": "https://lua-dao.example/"})["Location"] == PROFILE


def test_logging_out_ends_the_session_and_needs_a_post(client, make_citizen, login):
    make_citizen()
    login("an.tran@example.vn")
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405  # a link or an image cannot log anyone out
    response = client.post("/tai-khoan/dang-xuat/", follow=True)
    assert "Bạn đã đăng xuất." in text(response)
    assert client.get(PROFILE)["Location"].startswith(LOGIN)


def test_the_login_page_sends_a_signed_in_citizen_on(client, make_citizen, login):
    make_citizen()
    login("an.tran@example.vn")
    assert client.get(LOGIN)["Location"] == PROFILE
    assert LoginAttempt.objects.filter(outcome=AttemptOutcome.SUCCESS).count() == 1
