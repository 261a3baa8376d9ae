"""axe-core on every citizen page that exists outside the online-submission journey: the portal,
the account pages, the payment pages and the public verification page. No serious or critical
violation is allowed (see conftest.py).

Runs against `live_server` after the transactional flush, so it loads its own data: units,
agencies, the calendar, the whole real catalogue (the search needs it), a verified citizen whose
dossier has a fee, and a signed result.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from browser_helpers import axe_violations, describe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Hoa-sen-nở-2025"
EMAIL = "hoa.nguyen@example.vn"


@pytest.fixture
def world(transactional_db, settings, tmp_path, live_server):
    from motcua.catalog.importer import BUNDLED_SOURCES, import_sources
    from motcua.citizens import services as citizens
    from motcua.citizens.models import CitizenProfile
    from motcua.dossiers.tests.factories import Personas, receive
    from motcua.payments.tests.helpers import fee_procedure
    from motcua.signing.pki import ensure_dev_pki
    from motcua.signing.services import issue_signed_result
    from motcua.units.loading import load_agencies, load_units
    from motcua.workdays.services import load_calendar

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = str(tmp_path / "pki")
    settings.MOTCUA_SITE_URL = live_server.url
    load_units()
    load_agencies()
    load_calendar()
    report = import_sources(BUNDLED_SOURCES, progress=lambda done, total: None)
    assert not report.errors, report.errors[:3]

    people = Personas()
    user = citizens.register(email=EMAIL, password=PASSWORD, kind="person",
                             profile={"full_name": "Nguyễn Thị Hoa", "phone": "0912345678"})
    citizens.mark_email_verified(CitizenProfile.objects.get(user=user))
    code, _total = fee_procedure()
    with_fee = receive(people, code=code)
    with_fee.applicant.user = user
    with_fee.applicant.save(update_fields=["user"])

    ensure_dev_pki()
    signed = receive(people)
    signed.result_summary = "Đăng ký khai sinh cho trẻ Nguyễn Minh Khôi; cấp bản chính Giấy khai sinh."
    signed.save(update_fields=["result_summary"])
    # pyHanko signs through asyncio.run(), which cannot run beside Playwright's loop in this thread.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(issue_signed_result, signed, signer_user=people.approver).result()
    pdf = tmp_path / "ket-qua.pdf"
    with result.file.open("rb") as handle:
        pdf.write_bytes(handle.read())
    return {"dossier": with_fee, "pdf": pdf}


def test_citizen_pages_have_no_serious_or_critical_violation(page, live_server, world):
    from motcua.payments.tests.helpers import deliver_all

    base = live_server.url
    found: dict[str, list] = {}

    def check(name):
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    page.goto(base + "/")
    check("trang chủ")
    page.goto(base + "/thu-tuc/?q=khai+sinh")
    expect(page.locator("#so-ket-qua")).to_contain_text("Tìm thấy")
    check("kết quả tìm kiếm")
    page.goto(base + "/thu-tuc/1.001193/")
    check("trang thủ tục")
    for path in ("/linh-vuc/", "/co-quan/", "/thong-ke/"):
        page.goto(base + path)
        check(path)
    page.goto(base + "/tai-khoan/dang-ky/")
    check("đăng ký")
    page.get_by_role("button", name="Đăng ký").click()  # every error shown at once
    check("đăng ký (có lỗi)")
    page.goto(base + "/tai-khoan/quen-mat-khau/")
    check("quên mật khẩu")
    page.goto(base + "/tai-khoan/dang-nhap/")
    check("đăng nhập")
    page.get_by_label("Địa chỉ e-mail").fill(EMAIL)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Hồ sơ tài khoản")).to_be_visible()
    check("hồ sơ tài khoản")
    page.goto(base + "/tai-khoan/doi-mat-khau/")
    check("đổi mật khẩu")

    dossier = world["dossier"]
    page.goto(f"{base}/thanh-toan/ho-so/{dossier.pk}/")
    check("phí, lệ phí của hồ sơ")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/sandbox/"))
    check("ngân hàng thử nghiệm")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/ket-qua/"))
    check("kết quả thanh toán (chờ xác nhận)")
    deliver_all()
    # No reload: the waiting region asks the server again by itself (htmx, every 5 s).
    expect(page.get_by_text("Thanh toán thành công.")).to_be_visible(timeout=15_000)
    check("kết quả thanh toán (thành công)")

    page.goto(base + "/xac-thuc/")
    check("xác thực kết quả")
    page.get_by_label(re.compile("Tệp PDF")).set_input_files(world["pdf"])
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(page.locator(".verdict")).to_contain_text("Hợp lệ")
    check("xác thực kết quả (hợp lệ)")

    assert not found, "\n".join(f"{name}:\n{describe(v)}" for name, v in found.items())
