"""The official pages (officials with a role only), bad input, and the read-only public report."""

from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.dossiers.tests.factories import COMMUNE, official
from motcua.reform import services
from motcua.reform.models import CostAssessment, PlanItem, SimplificationPlan

BUSINESS = "1.001612"


@pytest.fixture
def specialist(db):
    return official("chuyenvien-kstt", COMMUNE, Role.SPECIALIST)


@pytest.fixture
def plan(prices, specialist):
    plan = services.create_plan(name="Phương án 2026 của xã An Thạnh", year=2026, actor=specialist)
    services.add_to_plan(plan, Procedure.objects.get(code=BUSINESS), actor=specialist,
                         changes=services.Changes(online="full"), overrides={"subjects": "40"},
                         notes={"subjects": "Ước tính"})
    return plan


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/mot-cua/cai-cach/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_user_without_a_role_is_refused(client, db, prices):
    client.force_login(User.objects.create_user("khongvaitro"))
    assert client.get("/mot-cua/cai-cach/").status_code == 403
    response = client.post("/mot-cua/cai-cach/phuong-an/moi/", {"name": "X", "year": "2026"})
    assert response.status_code == 403
    assert not SimplificationPlan.objects.exists()


def test_official_sees_the_derived_worksheet(client, prices, specialist):
    client.force_login(specialist)
    page = client.get("/mot-cua/cai-cach/danh-gia/", {"code": BUSINESS}).content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in page
    assert 'name="fees" value="50000"' in page
    assert "2 thành phần hồ sơ × 0,5 giờ" in page


def test_changed_input_without_a_reason_is_refused_and_nothing_saved(client, prices, specialist):
    client.force_login(specialist)
    response = client.post("/mot-cua/cai-cach/danh-gia/", {
        "code": BUSINESS, "channel": "in_person", "fees": "100000", "subjects": "abc"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số đối tượng tuân thủ / năm phải là một số." in page
    assert not CostAssessment.objects.exists()
    response = client.post("/mot-cua/cai-cach/danh-gia/", {"code": BUSINESS, "channel": "in_person", "fees": "100000"})
    assert response.status_code == 400
    assert "Phí, lệ phí khác giá trị tính từ danh mục: hãy ghi lý do, nguồn số liệu." in response.content.decode()
    assert not CostAssessment.objects.exists()


def test_official_records_an_assessment(client, prices, specialist):
    client.force_login(specialist)
    response = client.post("/mot-cua/cai-cach/danh-gia/", {
        "code": BUSINESS, "channel": "in_person", "subjects": "10", "subjects_note": "Thống kê của huyện 2025"})
    assessment = CostAssessment.objects.get()
    assert response["Location"] == f"/mot-cua/cai-cach/danh-gia/{assessment.pk}/"
    assert (assessment.cost_per_occurrence, assessment.annual_cost) == (264_886, 2_648_860)
    assert assessment.notes == {"subjects": "Thống kê của huyện 2025"} and not assessment.subjects_from_dossiers
    page = client.get(response["Location"]).content.decode()
    assert "2.648.860" in page


def test_unknown_procedure_code(client, prices, specialist):
    client.force_login(specialist)
    response = client.post("/mot-cua/cai-cach/danh-gia/", {"code": "9.999999", "channel": "in_person"})
    assert response.status_code == 400
    assert "Không có thủ tục hiện hành với mã này." in response.content.decode()


def test_plan_form_names_the_bad_field(client, prices, specialist):
    client.force_login(specialist)
    response = client.post("/mot-cua/cai-cach/phuong-an/moi/", {"name": "", "year": "1800"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tên phương án không được để trống." in page and "Năm phải từ 2000 đến 2100." in page
    assert not SimplificationPlan.objects.exists()
    response = client.post("/mot-cua/cai-cach/phuong-an/moi/", {"name": "Phương án 2026", "year": "2026"})
    plan = SimplificationPlan.objects.get()
    assert response["Location"] == f"/mot-cua/cai-cach/phuong-an/{plan.pk}/"


def test_plan_item_with_bad_changes_saves_nothing(client, plan, specialist):
    client.force_login(specialist)
    url = f"/mot-cua/cai-cach/phuong-an/{plan.pk}/them/"
    response = client.post(url, {"code": "1.004222", "new_fee": "-5", "time_limit_cut_percent": "150"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mức phí, lệ phí mới không được âm." in page
    assert "Tỷ lệ cắt giảm thời hạn phải từ 0 đến 100%." in page
    response = client.post(url, {"code": "1.004222"})
    assert "Phương án chưa cắt giảm gì" in response.content.decode()
    response = client.post(url, {"code": BUSINESS, "online": "full"})
    assert "đã có trong phương án" in response.content.decode()
    assert PlanItem.objects.count() == 1 and CostAssessment.objects.count() == 2


def test_official_adds_a_procedure_and_publishes(client, plan, specialist):
    client.force_login(specialist)
    url = f"/mot-cua/cai-cach/phuong-an/{plan.pk}/them/"
    response = client.post(url, {"code": "1.004222", "online": "full", "subjects": "100",
                                 "subjects_note": "Ước tính của Công an xã"})
    assert response.status_code == 302
    page = client.get(f"/mot-cua/cai-cach/phuong-an/{plan.pk}/").content.decode()
    assert "1.004222" in page and "21.968.800" in page
    assert client.get(f"/cai-cach-tthc/{plan.pk}/").status_code == 404
    client.post(f"/mot-cua/cai-cach/phuong-an/{plan.pk}/cong-khai/", {"published": "1"})
    client.logout()
    public = client.get(f"/cai-cach-tthc/{plan.pk}/")
    assert public.status_code == 200
    assert "Phương án 2026 của xã An Thạnh" in public.content.decode()
    assert "Phương án 2026 của xã An Thạnh" in client.get("/cai-cach-tthc/").content.decode()


def test_public_report_is_read_only_and_exports(client, plan):
    services.set_published(plan, True, actor=None)
    assert client.post(f"/cai-cach-tthc/{plan.pk}/").status_code == 405
    assert client.post("/cai-cach-tthc/").status_code == 405
    response = client.get(f"/cai-cach-tthc/{plan.pk}/xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][0] == BUSINESS and rows[0][4] == 40 and rows[-1][0] == "Tổng cộng"
    assert rows[0][7] == 264_886 * 40
    csv_response = client.get(f"/cai-cach-tthc/{plan.pk}/csv/")
    assert "1.001612" in csv_response.content.decode("utf-8")
    assert client.get(f"/cai-cach-tthc/{plan.pk}/pdf/").status_code == 404


def test_choosing_another_channel_reloads_the_worksheet(client, prices, specialist):
    client.force_login(specialist)
    page = client.get("/mot-cua/cai-cach/danh-gia/", {"code": BUSINESS, "channel": "online"}).content.decode()
    assert 'name="channel" value="online"' in page and 'name="fees" value="150000"' in page
    assert 'name="trips" value="1"' in page  # a partial online service: one trip to collect the result
    response = client.post("/mot-cua/cai-cach/danh-gia/", {"code": BUSINESS, "channel": "online", "fees": "150000",
                                                          "trips": "1"})
    assessment = CostAssessment.objects.get()
    assert response.status_code == 302 and assessment.channel == "online" and assessment.notes == {}
