"""Mẫu 06, the register of the current agency, as PDF, XLSX or CSV; bad dates explained."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
REGISTER = reverse("backoffice:register")


def test_the_form_proposes_this_month(as_user, people):
    page = as_user(people.reception).get(REGISTER).content.decode()
    assert "Sổ theo dõi hồ sơ (Mẫu 06)" in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


@pytest.mark.parametrize(("fmt", "content_type", "magic"), [
    ("csv", "text/csv; charset=utf-8", "\ufeffSTT".encode()),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
])
def test_the_register_downloads_in_each_format(as_user, people, dossier, fmt, content_type, magic):
    today = timezone.localdate()
    response = as_user(people.reception).get(REGISTER, {"tu": f"{today:%d/%m/%Y}", "den": f"{today:%Y-%m-%d}",
                                                        "dinh-dang": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="so-theo-doi-000.21.31.H53-')
    assert response.content.startswith(magic)
    if fmt == "csv":
        assert dossier.code in response.content.decode("utf-8-sig")


def test_bad_dates_are_explained_in_vietnamese(as_user, people):
    client = as_user(people.reception)
    response = client.get(REGISTER, {"tu": "32/13/2026", "den": "", "dinh-dang": "pdf"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Từ ngày không hợp lệ" in page and "Nhập đến ngày." in page
    response = client.get(REGISTER, {"tu": "2026-12-31", "den": "2026-01-01", "dinh-dang": "pdf"})
    assert response.status_code == 400
    assert "phải trước hoặc trùng với đến ngày" in response.content.decode()
    response = client.get(REGISTER, {"tu": "2026-01-01", "den": "2026-01-31", "dinh-dang": "doc"})
    assert "Định dạng phải là PDF, XLSX hoặc CSV." in response.content.decode()
