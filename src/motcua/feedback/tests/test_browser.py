"""In Debian's Chromium: a citizen sends a PAKN typed without diacritics (warned, text kept, sent
after confirming), then votes on the published answer through htmx, without a page reload.

Runs against `live_server` after the transactional flush, so it loads its own data.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MOTCUA_SCREENSHOTS")  # a folder: docs/screenshots when the docs are refreshed


def shot(page, name):
    if SHOTS:
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)


UNMARKED = "Can bo tiep nhan hen toi quay lai ba lan ma khong noi ro con thieu giay to gi"


@pytest.fixture
def data(transactional_db):
    from django.contrib.auth.models import User

    from motcua.accounts.choices import Role
    from motcua.accounts.models import StaffMembership
    from motcua.units.loading import load_agencies, load_units
    from motcua.units.models import Agency
    from motcua.workdays.services import load_calendar

    load_units()
    load_agencies()
    load_calendar()
    agency = Agency.objects.filter(level="province", valid_to__isnull=True).order_by("name").first()
    users = {}
    for name, role in (("cv", Role.SPECIALIST), ("ld", Role.APPROVER)):
        users[name] = User.objects.create_user(name, password="x")
        StaffMembership.objects.create(user=users[name], agency=agency, role=role)
    return agency, users


def test_send_without_diacritics_then_vote(page, live_server, data):
    from motcua.feedback import services
    from motcua.feedback.models import FeedbackCase

    agency, users = data
    page.goto(live_server.url + "/phan-anh-kien-nghi/gui/")
    expect(page.get_by_text("Vui lòng gõ tiếng Việt có dấu")).to_be_visible()
    page.get_by_role("radio", name="Phản ánh", exact=True).check()
    page.get_by_role("radio", name="Hành vi của cán bộ, công chức").check()
    page.get_by_label("Cơ quan nhận phản ánh, kiến nghị").select_option(str(agency.pk))
    page.get_by_label("Tiêu đề").fill("Cán bộ hẹn lại nhiều lần")
    page.get_by_label("Nội dung", exact=True).fill(UNMARKED)
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Thư điện tử").fill("binh@example.vn")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()

    expect(page.get_by_role("heading", name="Nội dung có vẻ được gõ không dấu")).to_be_visible()
    expect(page.get_by_label("Nội dung", exact=True)).to_have_value(UNMARKED)
    expect(page.get_by_label("Họ và tên")).to_have_value("Trần Thị Bình")
    shot(page, "feedback-without-diacritics")
    page.get_by_label("Tôi đã xem lại và vẫn muốn gửi nội dung này").check()
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()

    case = FeedbackCase.objects.get()
    expect(page.get_by_role("heading", name=f"Phản ánh {case.code}")).to_be_visible()
    expect(page.get_by_text("Mới tiếp nhận")).to_be_visible()

    services.transition(case.pk, "answer", actor=users["cv"], data={"answer": "Đã nhắc nhở cán bộ tiếp nhận."})
    services.transition(case.pk, "publish", actor=users["ld"])
    page.goto(live_server.url + f"/phan-anh-kien-nghi/cong-khai/{case.code}/")
    expect(page.get_by_text("Đã nhắc nhở cán bộ tiếp nhận.")).to_be_visible()
    expect(page.get_by_text("Trần Thị Bình")).to_have_count(0)
    page.evaluate("window.notReloaded = true")
    like = page.get_by_role("button", name="Đồng tình", exact=False).first
    like.click()
    expect(page.get_by_role("button", name="Đồng tình (1)")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Đồng tình (1)").click()  # the same vote again changes nothing
    expect(page.get_by_role("button", name="Đồng tình (1)")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    shot(page, "feedback-published")
    case.refresh_from_db()
    assert (case.likes, case.dislikes) == (1, 0)
