"""Registering on a phone in Debian's Chromium: the province → commune picker loads through htmx,
the organisation's fields hide for a person, and the e-mailed link verifies the address.

Runs against `live_server` after the transactional flush, so it loads the units itself.
"""

import os

import pytest
from playwright.sync_api import expect

from motcua.citizens.tests.conftest import PASSWORD, link_in, run_worker

PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def units(transactional_db):
    from motcua.units.loading import load_units

    load_units()


def test_a_citizen_registers_on_a_phone_and_verifies_the_address(browser, live_server, units, smtp, tmp_path):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/tai-khoan/dang-ky/")
    expect(page.get_by_role("heading", name="Đăng ký tài khoản")).to_be_visible()
    # "Cá nhân" is chosen: the organisation's fields are out of the way.
    expect(page.get_by_label("Tên tổ chức, doanh nghiệp")).to_be_hidden()
    page.get_by_role("radio", name="Tổ chức, doanh nghiệp").check()
    expect(page.get_by_label("Tên tổ chức, doanh nghiệp")).to_be_visible()
    page.get_by_role("radio", name="Cá nhân").check()

    page.get_by_label("Họ và tên", exact=False).fill("Nguyễn Thị Hoa")
    page.get_by_label("Địa chỉ e-mail").fill("hoa.nguyen@example.vn")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    commune = page.locator("#id_unit")
    expect(commune.locator("option")).to_have_count(1)  # "choose a province first"
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Đà Nẵng")
    expect(commune.locator("option[value='20194']")).to_have_count(1)  # loaded by htmx, no page reload
    commune.select_option(label="Phường Hải Vân")
    if os.environ.get("MOTCUA_SCREENSHOTS"):
        page.screenshot(path=tmp_path / "register-phone.png", full_page=True)
    page.get_by_role("button", name="Đăng ký").click()

    expect(page.get_by_role("heading", name="Hồ sơ tài khoản")).to_be_visible()
    expect(page.get_by_text("Địa chỉ e-mail chưa được xác thực")).to_be_visible()
    expect(page.locator("#id_unit option[value='20194']")).to_have_attribute("selected", "")
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    run_worker()
    page.goto(live_server.url + link_in(smtp.to("hoa.nguyen@example.vn")[0]))
    expect(page.get_by_text("Đã xác thực địa chỉ e-mail")).to_be_visible()
    page.goto(live_server.url + "/tai-khoan/ho-so/")
    expect(page.get_by_text("đã xác thực", exact=True)).to_be_visible()
    if os.environ.get("MOTCUA_SCREENSHOTS"):
        page.screenshot(path=tmp_path / "profile-phone.png", full_page=True)
        print(tmp_path)  # noqa: T201 - where to look at the pictures
    context.close()
