"""The birth registration form in Debian's Chromium, as an administrator previews it: the unit picker
loads a province's communes from the open API, and a wrong answer comes back focused and explained.

Runs against `live_server` after the transactional flush, so it loads the units and the form itself.
With MOTCUA_SCREENSHOTS=1 it refreshes the screenshots embedded in docs/eforms.md.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from motcua.lib.tests.screenshots import screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = screenshot_dir()  # docs/screenshots/ when MOTCUA_SCREENSHOTS=1
FORM_FILE = Path(__file__).resolve().parents[1] / "data" / "forms" / "1.001193-khai-sinh.json"
PASSWORD = "mat-khau-quan-tri-1"


@pytest.fixture
def birth_form(transactional_db):
    from django.contrib.auth.models import User

    from motcua.eforms import services
    from motcua.units.loading import load_units

    load_units()
    eform = services.load_form_file(FORM_FILE)
    User.objects.create_superuser("quantri", "quantri@example.vn", PASSWORD)
    return eform


def test_pick_a_commune_and_correct_a_wrong_date(page, live_server, birth_form):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/eforms/eform/{birth_form.pk}/xem-truoc/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tờ khai đăng ký khai sinh")

    section = page.get_by_role("group", name="Người được khai sinh")
    section.get_by_label("Họ, chữ đệm và tên (bắt buộc)").fill("Nguyễn Minh Khang")
    section.get_by_label("Ngày, tháng, năm sinh (bắt buộc)").fill("31/02/2025")
    section.get_by_label("Nam", exact=True).check()

    picker = section.get_by_role("group", name="Nơi sinh (xã/phường) (bắt buộc)")
    picker.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    commune = picker.get_by_label("Xã/phường/đặc khu")
    expect(commune.locator("option", has_text="Phường Ba Đình")).to_have_count(1)  # fetched from /api/v1/units
    commune.select_option(label="Phường Ba Đình")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "eforms-preview.png", full_page=True)
    page.get_by_role("button", name="Kiểm tra").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Ngày sinh: phải là ngày hợp lệ (dd/mm/yyyy)")
    summary.get_by_role("link", name="Ngày sinh: phải là ngày hợp lệ (dd/mm/yyyy)").click()
    date_field = page.locator("#tk-child-date-of-birth")
    expect(date_field).to_be_focused()
    expect(date_field).to_have_attribute("aria-invalid", "true")
    # What was chosen is still chosen after the round trip through the server.
    expect(page.locator("#tk-child-birth-unit")).to_have_value("00004")
    expect(page.locator("#tk-child-full-name")).to_have_value("Nguyễn Minh Khang")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#tk-tom-tat-loi").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "eforms-errors-phone.png")
