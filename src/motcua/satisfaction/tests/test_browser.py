"""Rating a dossier in Debian's Chromium with code + phone: a missing criterion is named, then saved.

Runs against `live_server` after the transactional flush (data from the `loaded` fixture). It also
refreshes the screenshot embedded in docs/satisfaction.md.
"""


import pytest
from playwright.sync_api import expect

from motcua.lib.tests.screenshots import screenshot_dir
from motcua.satisfaction.models import Rating
from motcua.satisfaction.tests.factories import PHONE, dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = screenshot_dir()  # docs/screenshots/ when MOTCUA_SCREENSHOTS=1


def test_rate_with_code_and_phone(page, live_server, loaded):
    d = dossier()
    page.goto(f"{live_server.url}/danh-gia/")
    page.get_by_label("Mã hồ sơ").fill(d.code)
    page.get_by_label("Số điện thoại đã khai khi nộp hồ sơ").fill(PHONE)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đánh giá hồ sơ {d.code}")

    page.get_by_role("group", name="1. Đánh giá chung").get_by_label("Hài lòng", exact=True).check()
    for number in [2] + list(range(4, 13)):
        page.locator(f"input[name=criterion_{number}][value='2']").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("alert")).to_contain_text("Tiêu chí 3 “Sự đúng hẹn”: hãy chọn một mức.")
    assert not Rating.objects.exists()

    group = page.get_by_role("group", name="3. Hồ sơ được xử lý và trả kết quả so với ngày hẹn như thế nào?")
    expect(group.get_by_role("radio").first).to_have_attribute("aria-invalid", "true")
    group.get_by_label("Đúng ngày hẹn").check()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "satisfaction-rate.png", full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn ông/bà đã đánh giá")
    rating = Rating.objects.get(dossier=d)
    # criterion 1 (Hài lòng) 1 + criterion 3 (Đúng ngày hẹn) 1 + ten criteria × 2 = 22 of 24 points
    assert rating.level == "satisfied" and str(rating.score) == "91.67"
