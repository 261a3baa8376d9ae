"""The agency administrator's work in Django admin: write, check, preview, publish, revise."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from motcua.eforms.models import EForm

from .conftest import khai_sinh_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-1")
    client.force_login(user)
    return client


def form_post(eform: EForm, **changes) -> dict:
    data = {
        "procedure_code": eform.procedure.code, "title": eform.title, "valid_from": "01/01/2026",
        "legal_source": eform.legal_source, "schema": json.dumps(eform.schema, ensure_ascii=False),
        "ui": json.dumps(eform.ui, ensure_ascii=False), "note": "",
    }
    data.update(changes)
    return data


def test_the_list_shows_the_five_forms_with_a_preview_link(admin_client, khai_sinh, ket_hon, thuong_tru, ly_lich,
                                                         ho_kinh_doanh):
    response = admin_client.get(reverse("admin:eforms_eform_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    for code in ["1.001193", "1.000894", "1.004222", "3.000333", "1.001612"]:
        assert code in page
    assert "Xem trước tờ khai" in page


def test_a_published_form_opens_read_only_with_a_revise_button(admin_client, khai_sinh):
    url = reverse("admin:eforms_eform_change", args=[khai_sinh.pk])
    page = admin_client.get(url).content.decode()
    assert "Tạo lần ban hành mới để sửa" in page and 'name="_save"' not in page
    assert "&quot;child&quot;" in page or "\"child\"" in page  # the schema is shown, indented
    response = admin_client.post(url, form_post(khai_sinh, title="Sửa lén"))
    assert response.status_code == 403
    assert EForm.objects.get(pk=khai_sinh.pk).title == "Tờ khai đăng ký khai sinh"


def test_revise_then_edit_then_publish(admin_client, khai_sinh):
    response = admin_client.post(reverse("admin:eforms_eform_revise", args=[khai_sinh.pk]))
    revision = EForm.objects.get(procedure=khai_sinh.procedure, version=2)
    assert response.url == reverse("admin:eforms_eform_change", args=[revision.pk])
    assert not revision.published and revision.created_by.username == "quantri"

    ui = json.loads(json.dumps(revision.ui))
    ui["fields"]["child.hometown"]["label"] = "Quê quán của trẻ"
    response = admin_client.post(reverse("admin:eforms_eform_change", args=[revision.pk]),
                                 form_post(revision, ui=json.dumps(ui, ensure_ascii=False)))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.ui["fields"]["child.hometown"]["label"] == "Quê quán của trẻ"

    admin_client.post(reverse("admin:eforms_eform_publish", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.published and revision.published_at is not None


def test_a_ui_naming_an_unknown_field_is_refused_in_vietnamese_at_the_field(admin_client, khai_sinh):
    ui = json.loads(json.dumps(khai_sinh.ui))
    ui["sections"][0]["fields"].append("requester.fax")
    response = admin_client.post(reverse("admin:eforms_eform_add"), form_post(khai_sinh, ui=json.dumps(ui)))
    assert response.status_code == 200
    assert "Mục “Người yêu cầu đăng ký khai sinh” nêu trường “requester.fax” không có trong lược đồ." in response.content.decode()
    assert EForm.objects.filter(procedure=khai_sinh.procedure).count() == 1


def test_broken_json_and_an_unknown_procedure_are_explained(admin_client, khai_sinh):
    response = admin_client.post(reverse("admin:eforms_eform_add"),
                                 form_post(khai_sinh, procedure_code="9.999999", schema="{\"type\": \"object\",}"))
    page = response.content.decode()
    assert "Không có thủ tục mã “9.999999”" in page
    assert "Không đọc được JSON" in page


def test_a_new_form_gets_the_next_version_number(admin_client, khai_sinh):
    response = admin_client.post(reverse("admin:eforms_eform_add"), form_post(khai_sinh, title="Tờ khai thử"))
    assert response.status_code == 302
    created = EForm.objects.get(procedure=khai_sinh.procedure, title="Tờ khai thử")
    assert created.version == 2 and not created.published


def test_the_preview_shows_the_form_and_checks_answers_without_storing(admin_client, khai_sinh):
    url = reverse("admin:eforms_eform_preview", args=[khai_sinh.pk])
    page = admin_client.get(url).content.decode()
    assert "<legend>Người được khai sinh</legend>" in page and "Kiểm tra" in page
    response = admin_client.post(url, khai_sinh_answers(**{"child.date_of_birth": "31/02/2025"}))
    assert response.status_code == 422
    assert "Ngày sinh: phải là ngày hợp lệ (dd/mm/yyyy)" in response.content.decode()
    response = admin_client.post(url, khai_sinh_answers())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dữ liệu hợp lệ" in page and "2025-03-05" in page


def test_the_preview_is_for_staff_only(client, khai_sinh):
    response = client.get(reverse("admin:eforms_eform_preview", args=[khai_sinh.pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_preview_of_a_broken_draft_says_what_is_wrong(admin_client, khai_sinh):
    broken = EForm.objects.create(procedure=khai_sinh.procedure, version=50, title="Nháp hỏng",
                                  valid_from=khai_sinh.valid_from, legal_source="", schema={"type": "object"}, ui={})
    response = admin_client.get(reverse("admin:eforms_eform_preview", args=[broken.pk]))
    assert response.status_code == 422
    assert "Tờ khai chưa dùng được" in response.content.decode()
