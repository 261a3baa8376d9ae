"""The public portal in Debian's Chromium: live search without diacritics, a facet, a procedure page.

Runs against `live_server` after the transactional flush, so it imports the whole real catalogue
itself (about ten seconds). With MOTCUA_SCREENSHOTS=1 it refreshes the screenshots embedded in docs/portal.md.
"""

import re

import pytest
from playwright.sync_api import expect

from motcua.lib.tests.screenshots import screenshot_dir

SCREENSHOTS = screenshot_dir()  # docs/screenshots/ when MOTCUA_SCREENSHOTS=1
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(transactional_db):
    from motcua.catalog.importer import BUNDLED_SOURCES, import_sources

    report = import_sources(BUNDLED_SOURCES, progress=lambda done, total: None)
    assert not report.errors, report.errors[:3]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def test_search_filter_and_read_a_procedure(page, live_server, catalogue):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu thủ tục hành chính")

    # Live suggestions on the home page, typed the way many people type: without diacritics.
    page.get_by_label("Tìm thủ tục hành chính").press_sequentially("dang ky khai sinh", delay=30)
    suggestions = page.locator("#goi-y")
    expect(suggestions.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "home.png")

    # Enter submits the ordinary GET form: the results page, whose own box also searches live.
    page.get_by_label("Tìm thủ tục hành chính").press("Enter")
    page.wait_for_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh"))
    count = page.locator("#so-ket-qua")
    expect(count).to_contain_text("Tìm thấy")
    total = _count(count.inner_text())

    box = page.get_by_label("Tìm thủ tục hành chính")
    box.fill("")
    box.press_sequentially("khai sinh", delay=30)
    expect(count).to_contain_text("“khai sinh”")
    expect(page).to_have_url(re.compile(r"q=khai(\+|%20)sinh"))  # the live query is in the address bar
    box.fill("")
    box.press_sequentially("dang ky khai sinh", delay=30)
    expect(count).to_contain_text(f"Tìm thấy {_vn(total)} thủ tục cho “dang ky khai sinh”")

    # A facet narrows the results and keeps the query.
    facet = page.locator(".facet").filter(has_text="Cấp thực hiện").get_by_role("link", name="Cấp Xã")
    facet_count = _count(facet.locator("xpath=following-sibling::span[1]").inner_text())
    facet.click()
    expect(count).to_contain_text(f"Tìm thấy {_vn(facet_count)} thủ tục")
    expect(page).to_have_url(re.compile(r"cap=xa"))
    expect(page.locator(".active-filters")).to_contain_text("Cấp thực hiện: Cấp Xã")
    assert 0 < facet_count <= total
    page.screenshot(path=SCREENSHOTS / "search.png")

    # The procedure page: channels table and dossier components.
    page.locator("#ket-qua").get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")
    channels = page.locator("#cach-thuc-thuc-hien")
    expect(channels.get_by_role("table")).to_be_visible()
    expect(channels.get_by_role("columnheader", name="Thời hạn giải quyết")).to_be_visible()
    expect(channels.get_by_role("rowheader", name="Trực tuyến")).to_be_visible()
    components = page.locator("#thanh-phan-ho-so")
    expect(components).to_be_visible()
    expect(components).to_contain_text("Giấy chứng sinh")
    expect(components.get_by_role("columnheader", name="Bản chính").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "procedure.png")
    channels.screenshot(path=SCREENSHOTS / "procedure-channels.png")

    page.goto(live_server.url + "/thong-ke/")
    expect(page.locator(".headline")).to_contain_text("dịch vụ công trực tuyến trên 2.849 thủ tục")
    page.screenshot(path=SCREENSHOTS / "stats.png")


def test_phone_width_and_without_javascript(browser, live_server, catalogue):
    phone = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    try:
        page.goto(live_server.url + "/thu-tuc/?q=dang+ky+khai+sinh")
        expect(page.locator("#so-ket-qua")).to_contain_text("Tìm thấy")
        expect(page.locator("details.facets")).not_to_have_attribute("open", "")  # results first
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=SCREENSHOTS / "search-phone.png")
        page.goto(live_server.url + "/thu-tuc/1.001193/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=SCREENSHOTS / "procedure-phone.png")
        page.locator("#cach-thuc-thuc-hien").screenshot(path=SCREENSHOTS / "procedure-channels-phone.png")
    finally:
        phone.close()

    # Without JavaScript the same form and links work as plain GET requests.
    plain = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = plain.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
        page.get_by_role("button", name="Tìm kiếm").click()
        expect(page.locator("#ket-qua")).to_contain_text("Thủ tục đăng ký khai sinh")
        page.locator(".facet").filter(has_text="Cấp thực hiện").get_by_role("link", name="Cấp Xã").click()
        expect(page).to_have_url(re.compile(r"cap=xa"))
        expect(page.locator(".active-filters")).to_contain_text("Cấp Xã")
    finally:
        plain.close()


def _count(text: str) -> int:
    """The first number in a text as the Vietnamese page prints it (2.849 → 2849)."""
    match = re.search(r"\d[\d.]*", text)
    assert match, text
    return int(match.group(0).rstrip(".").replace(".", ""))


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")
