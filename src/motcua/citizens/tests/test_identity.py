"""Logging in through an external identity provider (OpenID Connect, e.g. VNeID): linking accounts.

The OIDC client itself (redirects, ID-token checks) is a library's job; these tests start where it
hands over: a provider name, the token's `sub`, and its claims.
"""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from motcua.citizens import identity, selectors, services
from motcua.citizens.models import CitizenProfile, ExternalIdentity
from motcua.citizens.tests.conftest import PASSWORD, text
from motcua.core.models import AuditRecord

pytestmark = pytest.mark.django_db
User = get_user_model()

CLAIMS = {
    "sub": "vneid-7c1f", "name": "Phạm Thị Mai", "birthdate": "1995-04-30", "email": "mai.pham@example.vn",
    "email_verified": True, "phone_number": "+84 912 000 111", "id_number": "036195000777",
}


def test_a_first_login_creates_the_account_with_the_profile_from_the_claims():
    user = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    profile = CitizenProfile.objects.get(user=user)
    assert (profile.full_name, profile.date_of_birth, profile.phone, profile.id_number) == (
        "Phạm Thị Mai", date(1995, 4, 30), "0912000111", "036195000777")
    assert user.email == "mai.pham@example.vn" and profile.email_verified  # the provider vouched for it
    assert not user.has_usable_password()  # logs in through the provider
    assert selectors.can_submit_dossiers(user)
    identity_row = ExternalIdentity.objects.get(user=user)
    assert (identity_row.provider, identity_row.subject, identity_row.claims) == ("vneid", "vneid-7c1f", CLAIMS)
    assert AuditRecord.objects.filter(action="citizen.link_identity", object_id=str(user.pk)).exists()


def test_the_next_login_finds_the_same_account_and_refreshes_the_claims():
    first = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    CitizenProfile.objects.filter(user=first).update(phone="0987654321")  # the person changed it here
    again = services.login_external("vneid", "vneid-7c1f", {**CLAIMS, "phone_number": "0911222333"})
    assert again.pk == first.pk and User.objects.count() == 1
    assert ExternalIdentity.objects.get().claims["phone_number"] == "0911222333"
    assert CitizenProfile.objects.get(user=first).phone == "0987654321"  # what the person typed is kept


def test_a_verified_address_links_the_existing_verified_account(make_citizen, login):
    user = make_citizen("mai.pham@example.vn", full_name="Phạm Thị Mai")
    linked = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    assert linked.pk == user.pk and User.objects.count() == 1
    profile = CitizenProfile.objects.get(user=user)
    assert profile.id_number == "036195000777" and profile.date_of_birth == date(1995, 4, 30)  # blanks filled
    assert login(user, PASSWORD).status_code == 302  # the password still works too


def test_an_unproven_account_with_that_address_loses_its_password_when_the_owner_arrives(make_citizen, login):
    squatter = make_citizen("mai.pham@example.vn", verified=False, full_name="Kẻ Giả Mạo")
    linked = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    assert linked.pk == squatter.pk
    linked.refresh_from_db()
    assert not linked.has_usable_password()
    assert CitizenProfile.objects.get(user=linked).email_verified
    assert login("mai.pham@example.vn", PASSWORD).status_code == 400


def test_an_address_the_provider_did_not_verify_links_nothing(make_citizen):
    user = make_citizen("mai.pham@example.vn")
    other = services.login_external("vneid", "vneid-7c1f", {**CLAIMS, "email_verified": False})
    assert other.pk != user.pk
    assert other.email == ""  # the address is the other account's
    assert not CitizenProfile.objects.get(user=other).email_verified


def test_an_official_s_account_is_never_linked_by_email():
    official = User.objects.create_user("canbo", email="mai.pham@example.vn", password=PASSWORD)
    user = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    assert user.pk != official.pk and user.email == ""
    official.refresh_from_db()
    assert official.check_password(PASSWORD) and not ExternalIdentity.objects.filter(user=official).exists()


def test_a_second_subject_of_the_same_provider_cannot_take_a_linked_account():
    services.login_external("vneid", "vneid-7c1f", CLAIMS)
    with pytest.raises(services.ExternalLoginError) as caught:
        services.login_external("vneid", "vneid-other", CLAIMS)
    assert "đã liên kết với một tài khoản định danh khác" in caught.value.message
    assert User.objects.count() == 1


def test_a_disabled_account_cannot_log_in_through_the_provider():
    user = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(services.ExternalLoginError) as caught:
        services.login_external("vneid", "vneid-7c1f", CLAIMS)
    assert "Tài khoản này đã bị khóa" in caught.value.message


def test_claims_that_fail_the_checks_are_left_out_not_fatal():
    claims = {"sub": "x", "family_name": "Hoàng", "middle_name": "Văn", "given_name": "Nam",
              "birthdate": "0000-04-30", "phone_number": "12345", "id_number": "036199000777", "email": "khong-hop-le"}
    user = services.login_external("bank-ekyc", "x", claims)
    profile = CitizenProfile.objects.get(user=user)
    assert profile.full_name == "Hoàng Văn Nam"  # put in the Vietnamese order
    assert (profile.date_of_birth, profile.phone, profile.id_number, user.email) == (None, "", "036199000777", "")


def test_a_personal_number_held_by_another_account_is_not_moved(make_citizen):
    make_citizen("khac@example.vn", id_number="036195000777")
    user = services.login_external("vneid", "vneid-7c1f", CLAIMS)
    assert CitizenProfile.objects.get(user=user).id_number == ""


def test_after_an_external_login_the_pages_see_an_ordinary_signed_in_citizen(client):
    """What an OIDC callback view does; the portal then works from request.user alone."""
    request = RequestFactory().get("/oidc/callback/")
    request.session = SessionStore()
    identity.complete_external_login(request, "vneid", "vneid-7c1f", CLAIMS)
    request.session.save()
    assert selectors.login_method(request) == "vneid"
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    page = text(client.get("/tai-khoan/ho-so/"))
    assert "Phạm Thị Mai" in page and "vneid" in page and "đã xác thực" in page


def test_an_account_created_by_a_provider_can_add_a_password_through_the_reset_link(client, smtp, login):
    from motcua.citizens.tests.conftest import link_in, run_worker

    services.login_external("vneid", "vneid-7c1f", CLAIMS)
    client.post("/tai-khoan/quen-mat-khau/", {"email": "mai.pham@example.vn"})
    run_worker()
    set_url = client.get(link_in(smtp.to("mai.pham@example.vn")[-1]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Sen-hồng-Đồng-Tháp-7", "new_password2": "Sen-hồng-Đồng-Tháp-7"})
    assert login("mai.pham@example.vn", "Sen-hồng-Đồng-Tháp-7").status_code == 302
