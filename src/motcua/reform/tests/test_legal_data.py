"""The seeded prices are legal data: dated, sourced, and flagged "chưa xác minh" until checked."""

import pytest
from django.contrib.auth.models import User

from motcua.reform.models import CostParameters

pytestmark = pytest.mark.django_db


def test_every_seeded_price_row_has_a_date_a_source_and_is_flagged_unverified():
    rows = list(CostParameters.objects.all())
    assert len(rows) >= 2
    for row in rows:
        assert row.effective_from and "Nghị định" in row.legal_source
        assert row.confirmed is False
        assert row.note.startswith("Chưa xác minh")


def test_the_admin_says_which_rows_are_unverified_and_the_hourly_income(admin_client):
    html = admin_client.get("/admin/reform/costparameters/").content.decode()
    assert html.count("chưa xác minh") == CostParameters.objects.count()
    assert "23.693" in html  # 4 170 000 đ ÷ 22 ÷ 8, the 2024 row
    row = CostParameters.objects.order_by("effective_from").first()
    row.confirmed = True
    row.save(update_fields=["confirmed"])
    html = admin_client.get("/admin/reform/costparameters/").content.decode()
    assert html.count("chưa xác minh") == CostParameters.objects.count() - 1 and "đã xác minh" in html


def test_the_reform_page_flags_unverified_prices(client):
    from motcua.accounts.models import StaffMembership
    from motcua.units.models import Agency

    user = User.objects.create_user("canbo", password="mat-khau-du-dai-2026")
    StaffMembership.objects.create(user=user, agency=Agency.objects.filter(organ_code__gt="").first(),
                                   role="specialist")
    client.force_login(user)
    html = client.get("/mot-cua/cai-cach/").content.decode()
    assert "Tham số đang áp dụng" in html and "chưa xác minh với văn bản chính thức" in html
