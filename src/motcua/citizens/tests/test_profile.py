"""The profile page: editing with errors on the fields, the province → commune picker, and privacy."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.citizens import selectors
from motcua.citizens.models import CitizenProfile
from motcua.citizens.tests.conftest import field_error, text
from motcua.core.models import AuditRecord

pytestmark = pytest.mark.django_db
User = get_user_model()
PROFILE = "/tai-khoan/ho-so/"
COMMUNES = "/tai-khoan/don-vi/xa-phuong/"


def _edit(**changes) -> dict:
    data = {"full_name": "Trần Văn An", "phone": "0987654321", "date_of_birth": "", "id_number": "",
            "address_line": "", "province": "", "unit": "", "organisation_name": "", "tax_code": ""}
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client, make_citizen, login):
    user = make_citizen()
    login(user)
    return user


def test_a_visitor_is_asked_to_log_in_first(client):
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/?next=/tai-khoan/ho-so/"


def test_a_citizen_edits_the_profile_and_the_eforms_prefill_follows(client, signed_in):
    response = client.post(PROFILE, _edit(full_name="  Trần   Văn  Anh ", phone="024 3825 1234",
                                          date_of_birth="05/11/1988", id_number="079 088 001 234",
                                          address_line="45 đường Lê Lợi", province="79", unit="26740"),
                           follow=True)
    page = text(response)
    assert "Đã lưu hồ sơ." in page
    profile = CitizenProfile.objects.select_related("unit").get(user=signed_in)
    assert (profile.full_name, profile.phone, profile.date_of_birth, profile.id_number) == (
        "Trần Văn Anh", "02438251234", date(1988, 11, 5), "079088001234")
    assert (profile.unit.edition, profile.unit.level, profile.unit.code) == ("2025", "commune", "26740")
    html = response.content.decode()
    # The form shows what was saved, with the commune picked in its province's list.
    assert 'value="Trần Văn Anh"' in html and '<option value="79" selected>' in html
    assert re.search(r'<option value="26740" selected>', html)

    prefill = selectors.profile_prefill(signed_in)
    assert prefill["full_name"] == "Trần Văn Anh" and prefill["date_of_birth"] == "1988-11-05"
    assert prefill["unit_code"] == "26740" and prefill["province_code"] == "79"
    assert prefill["address"] == f"45 đường Lê Lợi, {profile.unit.name}, {profile.unit.parent.name}"
    assert signed_in.__class__.objects.get(pk=signed_in.pk).get_full_name() == "Trần Văn Anh"
    record = AuditRecord.objects.filter(action="citizen.update_profile").last()
    assert set(record.after["fields"]) == {"full_name", "phone", "date_of_birth", "id_number", "address_line", "unit"}
    assert "079088001234" not in str(record.after)  # what changed, never the personal values


def test_bad_values_are_named_on_their_fields_and_nothing_is_saved(client, signed_in):
    before = CitizenProfile.objects.values().get(user=signed_in)
    response = client.post(PROFILE, _edit(full_name="Trần Văn An!", phone="0912", date_of_birth="2999-01-01",
                                          id_number="0790880012345"))
    assert response.status_code == 400
    assert "Họ và tên chỉ gồm chữ cái" in field_error(response, "full_name")
    assert "Số điện thoại không đúng" in field_error(response, "phone")
    assert "Ngày sinh không được sau ngày hôm nay" in field_error(response, "date_of_birth")
    assert "phải gồm đúng 12 chữ số" in field_error(response, "id_number")
    page = text(response)
    assert "Chưa lưu được: hãy sửa các mục sau" in page and "Số điện thoại: Số điện thoại không đúng" in page
    assert 'aria-invalid="true"' in response.content.decode()
    assert CitizenProfile.objects.values().get(user=signed_in) == before


def test_the_commune_list_follows_the_province_with_htmx_current_units_only(client):
    response = client.get(COMMUNES, {"province": "01"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<label")  # a fragment, not a page
    codes = re.findall(r'<option value="(\d{5})"', html)
    assert "00004" in codes and ">Phường Ba Đình<" in html
    assert len(codes) == len(set(codes)) > 100  # Hà Nội's 126 communes and wards of 2025
    assert "Phường Trúc Bạch" not in html  # 00004 of the old list
    missing = client.get(COMMUNES, {"province": "99"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 404 and "Không có xã/phường của tỉnh này" in text(missing)
    assert "Chọn tỉnh/thành phố trước" in text(client.get(COMMUNES))


def test_without_javascript_a_province_alone_brings_its_communes_and_asks_for_one(client, signed_in):
    response = client.post(PROFILE, _edit(province="48"))
    assert response.status_code == 400
    assert "Hãy chọn xã/phường/đặc khu trong tỉnh đã chọn" in field_error(response, "unit")
    assert '<option value="48" selected>' in response.content.decode()
    assert len(re.findall(r'<option value="\d{5}"', response.content.decode())) > 10


def test_another_citizen_sees_and_edits_only_their_own_profile(make_citizen, login):
    an = make_citizen("an.tran@example.vn", id_number="001090000123", date_of_birth=date(1990, 3, 4))
    binh = make_citizen("binh.le@example.vn", full_name="Lê Thị Bình")
    other = Client()
    login(binh, target=other)
    page = text(other.get(PROFILE))
    assert "Lê Thị Bình" in page and "binh.le@example.vn" in page
    assert "Trần Văn An" not in page and "001090000123" not in page and "an.tran@example.vn" not in page
    # No page takes an account's id, so there is no way to point at someone else's.
    assert other.get(f"{PROFILE}{an.pk}/").status_code == 404
    other.post(PROFILE, _edit(full_name="Lê Thị Bình Minh"))
    assert CitizenProfile.objects.get(user=an).full_name == "Trần Văn An"
    assert CitizenProfile.objects.get(user=binh).full_name == "Lê Thị Bình Minh"


def test_a_personal_number_cannot_be_taken_from_another_account(client, make_citizen, signed_in):
    make_citizen("binh.le@example.vn", full_name="Lê Thị Bình", id_number="001090000123")
    response = client.post(PROFILE, _edit(id_number="001090000123"))
    assert "đã dùng cho một tài khoản khác" in field_error(response, "id_number")


def test_an_official_signed_in_at_the_back_office_gets_a_clear_refusal(client):
    official = User.objects.create_user("canbo", password="x")
    client.force_login(official)
    response = client.get(PROFILE)
    assert response.status_code == 403 and "Bạn đang đăng nhập bằng tài khoản cán bộ" in text(response)


def test_an_unverified_citizen_is_told_and_cannot_submit(client, make_citizen, login):
    user = make_citizen(verified=False)
    login(user)
    page = text(client.get(PROFILE))
    assert "Địa chỉ e-mail chưa được xác thực" in page and "Gửi lại thư xác thực" in page
    assert not selectors.can_submit_dossiers(user)


def test_an_organisation_edits_its_name_and_tax_code(client, make_citizen, login):
    user = make_citizen("ketoan@htx.example.vn", kind="organisation", organisation_name="HTX Rau sạch Đà Lạt",
                        tax_code="5800123456")
    login(user)
    page = text(client.get(PROFILE))
    assert "Tên tổ chức, doanh nghiệp" in page and "Người đại diện, liên hệ" in page
    response = client.post(PROFILE, _edit(organisation_name="HTX Rau sạch Đà Lạt", tax_code="58001234"))
    assert "Mã số thuế gồm 10 chữ số" in field_error(response, "tax_code")
    client.post(PROFILE, _edit(organisation_name="HTX Nông nghiệp Đà Lạt", tax_code="5800123456-002"))
    profile = CitizenProfile.objects.get(user=user)
    assert (profile.organisation_name, profile.tax_code) == ("HTX Nông nghiệp Đà Lạt", "5800123456-002")
