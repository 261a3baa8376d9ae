"""A citizen's whole online journey in Debian's Chromium, and the officials who answer it.

A new citizen registers, proves the e-mail address with the link the worker mailed through a real
SMTP server, signs in, searches the catalogue without diacritics, opens the procedure page, files
the dossier online (the e-form and three real files: PDF, JPEG, PNG), pays the fee in the sandbox
gateway, and follows the dossier; the receiving agency's officials, in their own browser context,
accept, process and approve it and the counter records the result; the approver issues the signed
result with the back office's "Ký số kết quả" button;
the citizen downloads the signed PDF and checks it on the public verification page (valid, then
invalid once a byte of it is changed), and finds the dossier again with the public lookup.
axe-core checks every citizen page of the way (no serious or critical violation).

The procedure is "Đăng ký thường trú" (1.004222): it has an e-form and an online fee (10.000
đồng, from the real catalogue). Birth registration (1.001193) is free by law, so paying is not
part of it.

With MOTCUA_SCREENSHOTS=1 every page is saved, full page and 1280 wide, into
docs/screenshots/online/NN-name.png (CI leaves the tree as it is).

Runs against `live_server` after the transactional flush, so it loads what it needs itself: the
units, agencies, calendar, the whole real catalogue (the search), the slip forms and e-forms that
migrations had seeded, and the agency's officials with the development PKI.
"""

import io
import re
from importlib import import_module

import pytest
from browser_helpers import check_accessibility, shoot
from playwright.sync_api import expect

from motcua.citizens.tests.conftest import body, run_worker, smtp  # noqa: F401 - smtp is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PROCEDURE = "1.004222"  # Đăng ký thường trú
OLD_COMMUNE = "000.21.31.H53"  # UBND Xã An Thạnh (Tây Ninh); the 2025 commune formed from it is the citizen's
EMAIL = "lan.pham@example.vn"
PASSWORD = "Hoa-sen-nở-2025"
STAFF_PASSWORD = "mat-khau-du-dai-2026"
STAFF = [("tiepnhan", "Thị Lan", "Trần", "reception"), ("chuyenvien", "Văn Minh", "Lê", "specialist"),
         ("lanhdao", "Quốc Hùng", "Phạm", "approver")]


@pytest.fixture
def world(transactional_db, settings, tmp_path, live_server, smtp):  # noqa: F811 - the imported fixture
    from django.apps import apps
    from django.contrib.auth.models import User

    from motcua.accounts.models import StaffMembership
    from motcua.catalog.importer import BUNDLED_SOURCES, import_sources
    from motcua.catalog.models import Procedure
    from motcua.eservices.selectors import designated_agency
    from motcua.signing.pki import ensure_dev_pki
    from motcua.units.loading import load_agencies, load_units
    from motcua.units.models import Agency
    from motcua.units.selectors import current_units_for_old_code
    from motcua.workdays.services import load_calendar

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = str(tmp_path / "pki")
    settings.MOTCUA_SITE_URL = live_server.url  # links in e-mails and the gateway's return address
    load_units()
    load_agencies()
    load_calendar()
    report = import_sources(BUNDLED_SOURCES, progress=lambda done, total: None)
    assert not report.errors, report.errors[:3]
    # The flush emptied what data migrations had seeded: seed it the same way.
    import_module("motcua.dossiers.migrations.0002_seed_slip_forms").seed(apps, None)
    import_module("motcua.eforms.migrations.0002_five_forms").load(apps, None)

    commune = Agency.objects.select_related("unit").get(organ_code=OLD_COMMUNE)
    [(unit, _kind)] = current_units_for_old_code(commune.unit.code)[:1]
    version = Procedure.objects.get(code=PROCEDURE).current_version
    agency = designated_agency(version, unit)
    assert agency is not None, "the real catalogue and units designate a receiving agency"
    for username, first, last, role in STAFF:
        user = User.objects.create_user(username, password=STAFF_PASSWORD, first_name=first, last_name=last)
        StaffMembership.objects.create(user=user, agency=agency, role=role)
    ensure_dev_pki()
    return {"unit": unit, "agency": designated_agency(version, unit), "smtp": smtp}


def sample_files(folder) -> list:
    """Small real files as a phone or a scanner makes them: a one-page PDF, a JPEG photo, a PNG scan."""
    from PIL import Image, ImageDraw

    paths = []
    for name, kind in [("so-ho-khau.pdf", "PDF"), ("cccd-chu-ho.jpg", "JPEG"), ("hop-dong-thue-nha.png", "PNG")]:
        image = Image.new("RGB", (600, 400), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((20, 20, 580, 380), outline="navy", width=4)
        draw.text((40, 40), f"motcua - {name}", fill="black")
        out = io.BytesIO()
        image.save(out, kind, **({"resolution": 72} if kind == "PDF" else {}))
        path = folder / name
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


def step(page, number: int, name: str) -> None:
    """Every citizen page of the journey: its screenshot (when asked for) and axe-core."""
    shoot(page, f"{number:02d}-{name}")
    check_accessibility(page, name)


def staff_login(page, base, username):
    page.goto(base + "/mot-cua/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ")


def staff_logout(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bộ phận một cửa")


def test_a_citizen_files_pays_and_verifies_the_signed_result(browser, page, live_server, world, tmp_path):
    from motcua.dossiers.models import Dossier
    from motcua.payments.tests.helpers import deliver_all
    from motcua.signing.tests.helpers import flip, signed_ranges

    base = live_server.url
    unit = world["unit"]
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. Register, with the commune picked through the province (htmx).
    page.goto(base + "/")
    step(page, 1, "trang-chu")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Đăng ký tài khoản")).to_be_visible()
    page.get_by_label("Họ và tên", exact=False).first.fill("Phạm Thị Lan")
    page.get_by_label("Địa chỉ e-mail").fill(EMAIL)
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.locator("#id_date_of_birth").fill("1992-05-17")
    page.locator("#id_id_number").fill("072192004567")
    page.locator("#id_address_line").fill("Ấp Thạnh Hiệp")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tỉnh/thành phố").select_option(unit.parent.code)
    expect(page.locator(f"#id_unit option[value='{unit.code}']")).to_have_count(1)
    page.locator("#id_unit").select_option(unit.code)
    step(page, 2, "dang-ky")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Hồ sơ tài khoản")).to_be_visible()
    expect(page.get_by_text("Địa chỉ e-mail chưa được xác thực")).to_be_visible()
    step(page, 3, "tai-khoan-chua-xac-thuc")

    # 2. The worker mails the link through the real SMTP server; the citizen opens it.
    run_worker()
    [message] = world["smtp"].to(EMAIL)
    link = re.search(r"https?://[^/\s]+(/tai-khoan/xac-thuc/\S+)", body(message))
    assert link, body(message)
    page.goto(base + link.group(1))
    expect(page.get_by_text("Đã xác thực địa chỉ e-mail")).to_be_visible()
    step(page, 4, "da-xac-thuc-email")

    # 3. Sign out and in again, as on another day.
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Địa chỉ e-mail").fill(EMAIL)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    step(page, 5, "dang-nhap")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Hồ sơ tài khoản")).to_be_visible()

    # 4. Search without diacritics, open the procedure, follow "Nộp hồ sơ trực tuyến".
    page.goto(base + "/")
    box = page.get_by_label("Tìm thủ tục hành chính")
    box.press_sequentially("dang ky thuong tru", delay=20)
    expect(page.locator("#goi-y").get_by_role("link", name="Đăng ký thường trú", exact=True)).to_be_visible()
    box.press("Enter")
    expect(page.locator("#so-ket-qua")).to_contain_text("Tìm thấy")
    step(page, 6, "tim-kiem")
    page.locator("#ket-qua").get_by_role("link", name="Đăng ký thường trú", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    step(page, 7, "trang-thu-tuc")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nộp hồ sơ trực tuyến")

    # 5. The e-form: what the profile knows is filled in already.
    form = page.locator("#to-khai")
    expect(form.get_by_label(re.compile("^Họ, chữ đệm và tên"), exact=False).first).to_have_value("Phạm Thị Lan")
    expect(page.locator("#phone")).to_have_value(re.compile("0912 ?345 ?678"))
    step(page, 8, "nop-ho-so")
    # Sent without anything else: every problem is listed at once and nothing is filed.
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.locator("#loi")).to_contain_text("Chưa nộp được")
    expect(page.get_by_role("alert", name="Tờ khai chưa hợp lệ")).to_be_visible()
    assert not Dossier.objects.exists()
    step(page, 9, "nop-ho-so-loi")

    requester = form.get_by_role("group", name="Người đề nghị đăng ký thường trú")
    requester.get_by_label("Nữ", exact=True).check()
    household = form.get_by_role("group", name="Chủ hộ nơi đăng ký thường trú")
    household.get_by_label(re.compile("^Họ, chữ đệm và tên chủ hộ")).fill("Phạm Văn Hòa")
    household.get_by_label(re.compile("^Quan hệ với chủ hộ")).fill("Con")
    household.get_by_label(re.compile("^Số định danh cá nhân của chủ hộ")).fill("072160001234")
    request = form.get_by_role("group", name="Nội dung đề nghị")
    request.get_by_label(re.compile(r"^Địa chỉ đăng ký thường trú \(chi tiết\)")).fill("Ấp Thạnh Hiệp")
    picker = request.get_by_role("group", name="Địa chỉ đăng ký thường trú (xã/phường)")
    picker.get_by_label("Tỉnh/thành phố").select_option(unit.parent.code)
    commune = picker.get_by_label("Xã/phường/đặc khu")
    expect(commune.locator(f"option[value='{unit.code}']")).to_have_count(1)
    commune.select_option(unit.code)
    request.get_by_label(re.compile("nhân thân|người thân", re.I)).first.check()
    request.get_by_label(re.compile("^Nội dung đề nghị")).fill("Đăng ký thường trú vào hộ của cha tại Ấp Thạnh Hiệp.")
    form.get_by_role("checkbox", name=re.compile("^Tôi cam đoan")).check()

    # Every paper the page marks required gets a file (the three files in turn), and at least
    # three papers get one: a PDF, a JPEG and a PNG.
    files = sample_files(tmp_path)
    inputs = page.locator("#giay-to input[type=file]")
    required = [i for i in range(inputs.count()) if inputs.nth(i).get_attribute("aria-required") == "true"]
    optional = [i for i in range(inputs.count()) if i not in required]
    chosen = required + optional[:max(0, len(files) - len(required))]
    for n, i in enumerate(chosen):
        inputs.nth(i).set_input_files(files[n % len(files)])
    step(page, 10, "nop-ho-so-da-dien")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    # 6. The dossier page: filed, with the fee to pay.
    expect(page.get_by_text("Đã nộp hồ sơ thành công.")).to_be_visible()
    dossier = Dossier.objects.get()
    assert dossier.receiving_agency == world["agency"] and dossier.channel == "online"
    stored = [c.file.name for c in dossier.components.all() if c.file and c.note == "Nộp trực tuyến"]
    assert len(stored) == len(chosen)
    assert {name.rsplit(".", 1)[1] for name in stored} == {"pdf", "jpg", "png"}
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    step(page, 11, "ho-so-da-nop")

    page.get_by_role("button", name=re.compile("^Nộp phí")).click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/sandbox/"))
    expect(page.get_by_text("10.000")).to_be_visible()
    step(page, 12, "ngan-hang-thu-nghiem")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/ket-qua/"))
    step(page, 13, "cho-xac-nhan-thanh-toan")
    deliver_all()  # the worker: the bank's signed IPN, then the receipt and the notices
    expect(page.get_by_text("Thanh toán thành công.")).to_be_visible(timeout=15_000)  # htmx asked again
    step(page, 14, "thanh-toan-thanh-cong")

    # 7. The agency's officials, each in their own browser context and login.
    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    staff = office.new_page()
    try:
        staff_login(staff, base, "tiepnhan")
        staff.get_by_role("link", name="Của cơ quan").click()
        staff.get_by_role("link", name=dossier.code).click()
        expect(staff.get_by_role("heading", level=1)).to_contain_text(dossier.code)
        shoot(staff, "15-mot-cua-ho-so-moi")
        staff.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
        expect(staff.get_by_text("Đã thực hiện: Tiếp nhận hồ sơ.")).to_be_visible()
        staff.get_by_role("button", name="Chuyển xử lý").click()
        expect(staff.locator("#trang-thai")).to_have_text("Đang xử lý")
        staff_logout(staff)

        staff_login(staff, base, "chuyenvien")
        staff.get_by_role("link", name=dossier.code).click()
        staff.get_by_label("Ý kiến, kết quả của bước").fill("Hồ sơ đầy đủ, hợp lệ; đủ điều kiện đăng ký thường trú.")
        staff.get_by_role("button", name=re.compile("^Hoàn thành bước")).click()
        expect(staff.get_by_text("Đã thực hiện: Hoàn thành bước xử lý.")).to_be_visible()
        staff_logout(staff)

        staff_login(staff, base, "lanhdao")
        staff.get_by_role("link", name=dossier.code).click()
        staff.get_by_label("Ý kiến, kết quả của bước").fill("Đồng ý đăng ký thường trú.")
        staff.get_by_role("button", name=re.compile("^Hoàn thành bước")).click()
        expect(staff.get_by_text("Đã thực hiện: Hoàn thành bước xử lý.")).to_be_visible()
        shoot(staff, "16-mot-cua-da-phe-duyet")
        staff_logout(staff)

        # The counter records the result: the dossier is processed.
        staff_login(staff, base, "tiepnhan")
        staff.get_by_role("link", name=dossier.code).click()
        staff.get_by_label("Kết quả giải quyết").fill("Đã đăng ký thường trú cho bà Phạm Thị Lan vào hộ ông Phạm Văn Hòa.")
        staff.get_by_role("button", name=re.compile("^Hoàn thành bước")).click()
        expect(staff.locator("#trang-thai")).to_have_text("Đã xử lý xong")
        shoot(staff, "17-mot-cua-da-xu-ly-xong")
        staff_logout(staff)

        # The approver signs the result with the agency's certificate.
        staff_login(staff, base, "lanhdao")
        staff.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
        staff.get_by_role("button", name=re.compile("^Ký số kết quả")).click()
        expect(staff.get_by_text(re.compile("Đã ký số kết quả của hồ sơ"))).to_be_visible()
        staff_logout(staff)
    finally:
        office.close()

    # 8. The citizen follows the dossier, downloads the signed result and checks it.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    step(page, 18, "ho-so-cua-toi")
    page.get_by_role("link", name=dossier.code).click()
    results = page.locator("section", has=page.get_by_role("heading", name="Kết quả điện tử đã ký số"))
    expect(results).to_contain_text(world["agency"].name)
    expect(page.get_by_text("Đã xử lý xong").first).to_be_visible()
    step(page, 19, "ho-so-co-ket-qua")
    href = results.get_by_role("link", name="Tải kết quả").first.get_attribute("href")
    download = page.request.get(base + href)
    assert download.ok and download.headers["content-type"] == "application/pdf"
    signed_pdf = download.body()
    assert signed_pdf.startswith(b"%PDF")
    (tmp_path / "ket-qua.pdf").write_bytes(signed_pdf)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Kho giấy tờ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kho giấy tờ")
    step(page, 20, "kho-giay-to")

    page.goto(base + "/xac-thuc/")
    page.get_by_label(re.compile("Tệp PDF")).set_input_files(tmp_path / "ket-qua.pdf")
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Hợp lệ")
    expect(verdict).to_contain_text(world["agency"].name)
    step(page, 21, "xac-thuc-hop-le")

    # One byte changed inside the signed bytes: no longer valid.
    first_range = signed_ranges(signed_pdf)[0]
    (tmp_path / "ket-qua-sua.pdf").write_bytes(flip(signed_pdf, (first_range[0] + first_range[1]) // 2))
    page.get_by_label(re.compile("Tệp PDF")).set_input_files(tmp_path / "ket-qua-sua.pdf")
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(page.locator(".verdict")).to_contain_text("Không hợp lệ — tệp đã bị thay đổi sau khi ký")
    expect(page.locator(".verdict")).not_to_have_class(re.compile("verdict-valid"))
    step(page, 22, "xac-thuc-bi-sua")

    # 9. The public lookup, signed out, with the code and the phone number.
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Số điện thoại người nộp").fill("0912345678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator(".lookup-result")).to_contain_text(dossier.code)
    step(page, 23, "tra-cuu-ho-so")
