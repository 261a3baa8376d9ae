"""The back office in Debian's Chromium: a walk-in birth registration from the counter to handover,
across two agencies (UBND Xã An Thạnh and BHXH tỉnh Tây Ninh), each official with their own login.

Runs against `live_server` after the transactional flush, so it loads what it needs itself: the
units and agencies, the calendar, the slip forms and one published procedure (1.001193). It also
refreshes the screenshots embedded in docs/backoffice.md.
"""

import gzip
import json
import re
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.lib.tests.screenshots import screenshot_dir

SCREENSHOTS = screenshot_dir()  # docs/screenshots/ when MOTCUA_SCREENSHOTS=1
PASSWORD = "mat-khau-du-dai-2026"
COMMUNE = "000.21.31.H53"  # UBND Xã An Thạnh
SOCIAL_INSURANCE = "000.00.80.G24"  # Bảo hiểm xã hội tỉnh Tây Ninh
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    """Real agencies, the calendar, the slip forms, the procedure, its inter-agency workflow and officials."""
    from django.apps import apps
    from django.contrib.auth.models import User

    from motcua.accounts.models import StaffMembership
    from motcua.catalog.importer import BUNDLED_SOURCES
    from motcua.catalog.models import Procedure
    from motcua.catalog.parsing import load_listing, parse_portal_record
    from motcua.catalog.services import publish_record
    from motcua.dossiers.models import WorkflowStepTemplate, WorkflowTemplate
    from motcua.units.loading import load_agencies, load_units
    from motcua.units.models import Agency
    from motcua.workdays.services import load_calendar

    load_units()
    load_agencies()
    load_calendar()
    # The flush emptied the slip forms a data migration had seeded: seed them the same way.
    import_module("motcua.dossiers.migrations.0002_seed_slip_forms").seed(apps, None)
    listing = load_listing(BUNDLED_SOURCES[0].parent / "chatbot_tthc_ministry_tthc_lists.csv")
    with gzip.open(BUNDLED_SOURCES[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            if '"ma_thu_tuc": "1.001193"' in line:
                raw = json.loads(line)
                publish_record(parse_portal_record(raw, listing[raw["ma_thu_tuc"]]))

    commune, insurance = Agency.objects.get(organ_code=COMMUNE), Agency.objects.get(organ_code=SOCIAL_INSURANCE)
    workflow = WorkflowTemplate.objects.create(procedure=Procedure.objects.get(code="1.001193"),
                                               legal_source="Quy trình nội bộ liên thông khai sinh – BHYT (thử nghiệm)")
    steps = [
        ("reception", "Tiếp nhận hồ sơ", None, "reception", 0),
        ("specialist", "Thẩm định hồ sơ đăng ký khai sinh", None, "specialist", 40),
        ("interagency", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi", insurance, "specialist", 40),
        ("approval", "Phê duyệt, ký giấy khai sinh", None, "approver", 20),
        ("handover", "Trả kết quả cho công dân", None, "reception", 0),
    ]
    for order, (kind, name, where, role, share) in enumerate(steps, start=1):
        WorkflowStepTemplate.objects.create(workflow=workflow, order=order, kind=kind, name=name, agency=where,
                                            role=role, share_percent=Decimal(share))
    people = {}
    for username, first, last, where, role in [
        ("tiepnhan", "Thị Lan", "Trần", commune, "reception"),
        ("chuyenvien", "Văn Minh", "Lê", commune, "specialist"),
        ("lanhdao", "Quốc Hùng", "Phạm", commune, "approver"),
        ("bhxh", "Thị Mai", "Võ", insurance, "specialist"),
    ]:
        user = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
        StaffMembership.objects.create(user=user, agency=where, role=role)
        people[username] = user
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return people


def _earlier_dossiers(people):
    """Two dossiers received before, one of them late: the queue looks like a working day's."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import ComponentInput, receive_at_counter
    from motcua.units.models import Agency

    version = Procedure.objects.get(code="1.001193").current_version
    commune = Agency.objects.get(organ_code=COMMUNE)
    for name, days_ago in [("Lâm Văn Phúc", 20), ("Huỳnh Thị Thu Hà", 0)]:
        receive_at_counter(version=version, agency=commune, applicant={"full_name": name, "phone": "0908123456"},
                           components=[ComponentInput(name="Tờ khai đăng ký khai sinh", originals=1)],
                           actor=people["tiepnhan"], at=timezone.now() - timedelta(days=days_ago),
                           time_limit=(Decimal(3), "working_day"))


def login(page, base, username):
    page.goto(base + "/mot-cua/")
    expect(page).to_have_url(re.compile(r"/mot-cua/dang-nhap/\?next="))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ")


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bộ phận một cửa")


def open_from_mine(page, code):
    """The dossier is in this official's "Của tôi" queue; open it from there."""
    expect(page.get_by_role("link", name="Của tôi")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def test_a_walk_in_dossier_from_reception_to_handover_across_two_agencies(page, live_server, office):
    from motcua.core import audit
    from motcua.dossiers.models import Dossier

    base = live_server.url
    _earlier_dossiers(office)

    # 1. Reception officer of UBND Xã An Thạnh: find the procedure, receive the dossier.
    login(page, base, "tiepnhan")
    page.get_by_role("link", name="Tiếp nhận hồ sơ mới").click()
    page.get_by_label("Tìm thủ tục theo tên hoặc mã").press_sequentially("dang ky khai sinh", delay=30)
    picks = page.locator("#thu-tuc")
    picks.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")

    page.get_by_label("Họ và tên / tên tổ chức").fill("Nguyễn Thị Hồng Nhung")
    page.get_by_label("Số định danh cá nhân", exact=True).fill("072190001234")
    page.get_by_label("Ngày sinh", exact=True).fill("1994-03-08")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Thư điện tử").fill("nhung@example.vn")
    page.get_by_label("Địa chỉ", exact=True).fill("Ấp Thạnh Hiệp, xã An Thạnh, tỉnh Tây Ninh")
    # The catalogue gives "1" without a unit: the form asks for it.
    expect(page.get_by_label("Thời hạn giải quyết")).to_have_value("1")
    page.get_by_label("Đơn vị", exact=True).select_option("working_day")
    page.get_by_role("button", name="Thêm dòng giấy tờ").click()
    page.locator('input[name="khac-ten"]').first.fill("Bản sao Giấy chứng nhận kết hôn của cha mẹ")
    page.locator('input[name="khac-chinh"]').first.fill("0")
    page.locator('input[name="khac-sao"]').first.fill("1")
    expect(page.locator('input[name="khac-ten"]')).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / "backoffice-reception.png", full_page=True)
    page.get_by_role("button", name="Tiếp nhận và cấp mã hồ sơ").click()

    dossier = Dossier.objects.get(applicant__full_name="Nguyễn Thị Hồng Nhung")
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    expect(page.get_by_text(f"Đã tiếp nhận hồ sơ {dossier.code}.")).to_be_visible()
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y %H:%M")
    expect(page.locator("#hen-tra")).to_have_text(due)
    assert dossier.time_limit_unit == "working_day" and dossier.components.count() == 5

    # Mẫu 01: issued, opened in the browser's PDF viewer to print.
    page.get_by_role("button", name=re.compile("In Mẫu 01")).click()
    page.wait_for_url(re.compile(r"/mot-cua/ho-so/\d+/phieu/\d+/$"))
    slip = page.request.get(page.url)
    assert slip.headers["content-type"] == "application/pdf"
    assert slip.body().startswith(b"%PDF")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    expect(page.locator("#phieu")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))).to_be_visible()

    page.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.get_by_text("Đã thực hiện: Chuyển xử lý.")).to_be_visible()
    expect(page.locator("#trang-thai")).to_have_text("Đang xử lý")
    page.get_by_role("navigation", name="Điều hướng một cửa").get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("link", name="Của cơ quan").click()
    expect(page.get_by_text("3 hồ sơ")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Lâm Văn Phúc").get_by_text("Quá hạn")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "backoffice-queue.png", full_page=True)
    logout(page)

    # 2. The commune's specialist: the dossier is in "Của tôi".
    login(page, base, "chuyenvien")
    open_from_mine(page, dossier.code)
    page.get_by_label("Ý kiến, kết quả của bước").fill("Hồ sơ đầy đủ, hợp lệ; đủ điều kiện đăng ký khai sinh.")
    page.get_by_role("button", name="Hoàn thành bước “Thẩm định hồ sơ đăng ký khai sinh”").click()
    expect(page.get_by_text("Chờ thực hiện liên thông")).to_be_visible()
    logout(page)

    # 3. BHXH tỉnh Tây Ninh, another agency with its own login: the inter-agency step.
    login(page, base, "bhxh")
    row = page.get_by_role("row").filter(has_text=dossier.code)
    expect(row.get_by_text("Liên thông", exact=True)).to_be_visible()
    open_from_mine(page, dossier.code)
    expect(page.get_by_text("•••••••••234")).to_be_visible()  # the identity number stays at the counter
    page.set_viewport_size(PHONE)  # on a phone the move comes first, under the header
    expect(page.get_by_role("heading", name="Thao tác được phép lúc này")).to_be_in_viewport()
    page.screenshot(path=SCREENSHOTS / "backoffice-dossier-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Ý kiến, kết quả của bước").fill("Đã cấp thẻ BHYT cho trẻ dưới 6 tuổi.")
    page.get_by_role("button", name="Hoàn thành bước “Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi”").click()
    expect(page.get_by_text("Đã thực hiện: Hoàn thành bước xử lý.")).to_be_visible()
    expect(page.get_by_text("Bạn không có thao tác nào")).to_be_visible()
    logout(page)

    # 4. The commune's approver signs.
    login(page, base, "lanhdao")
    open_from_mine(page, dossier.code)
    page.get_by_label("Kết quả giải quyết").fill("Giấy khai sinh bản chính; thẻ BHYT của trẻ")
    page.get_by_role("button", name="Hoàn thành bước “Phê duyệt, ký giấy khai sinh”").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã xử lý xong")
    logout(page)

    # 5. Reception hands the result over.
    login(page, base, "tiepnhan")
    open_from_mine(page, dossier.code)
    page.get_by_role("button", name="Trả kết quả", exact=True).click()
    expect(page.locator("#trang-thai")).to_have_text("Đã trả kết quả")
    timeline = page.locator(".timeline li")
    expect(timeline).to_have_count(6)
    for text in ("Tiếp nhận hồ sơ tại bộ phận một cửa", "Chuyển xử lý", "Võ Thị Mai", "Trả kết quả"):
        expect(page.locator(".timeline")).to_contain_text(text)
    expect(page.locator(".steps-table")).to_contain_text("Bảo hiểm xã hội tỉnh Tây Ninh")
    page.screenshot(path=SCREENSHOTS / "backoffice-dossier.png", full_page=True)


    dossier.refresh_from_db()
    assert dossier.status == 10
    assert [s.completed_at is not None for s in dossier.steps.all()] == [True] * 5
    checked, problems = audit.verify()
    assert checked >= 6 and problems == []
