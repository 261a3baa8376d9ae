"""English: one page of each app that has its own catalogue (src/motcua/<app>/locale/en), asked for
with `Accept-Language: en` (LocaleMiddleware), shows the English text and none of the Vietnamese.

The catalogues are compiled (.mo) and committed, as src/motcua/locale's; after changing a .po,
run `motcua compilemessages` in src/motcua (docs/development.md, "Translations").
"""

import html as html_lib
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.dossiers.services import ComponentInput, submit_online
from motcua.dossiers.tests.factories import COMMUNE, Personas, agency, official, receive
from motcua.eservices.tests.conftest import BIRTH, make_citizen

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize(("url", "english", "vietnamese"), [
    ("/phan-anh-kien-nghi/", "The answers below were edited and published; the senders' personal details are hidden.",
     "Các trả lời dưới đây đã được biên tập"),
    ("/danh-gia/", "Rate how your dossier was handled", "Đánh giá mức độ hài lòng về giải quyết hồ sơ"),
    ("/tra-cuu-ho-so/", "Enter the dossier code (printed on the receipt) and the applicant's phone number.",
     "Nhập mã hồ sơ (in trên giấy tiếp nhận)"),
    ("/xac-thuc/", "Upload the PDF file of an administrative procedure result to check its digital signature",
     "Tải lên tệp PDF kết quả"),
    ("/cai-cach-tthc/", "Administrative procedure reform: compliance costs cut", "chi phí tuân thủ được cắt giảm"),
    ("/bang-dieu-khien/", "Dashboard of service quality for citizens and businesses",
     "Bảng điều khiển chất lượng phục vụ người dân"),
    ("/tai-khoan/dang-ky/", "Register an account", "Đăng ký tài khoản"),
    ("/thanh-toan/ket-qua/", "Invalid payment result", "Kết quả thanh toán không hợp lệ"),
])
def test_public_pages_in_english(client, url, english, vietnamese):
    page = text(client.get(url, **EN))
    assert english in page
    assert vietnamese not in page


def test_the_back_office_menu_and_the_766_drill_down_in_english(client):
    client.force_login(official("lanhdao", COMMUNE, Role.APPROVER))
    menu = text(client.get("/mot-cua/", **EN))
    for label in ("Feedback and petitions", "SIPAS survey", "Decision 766 index", "Procedure reform"):
        assert label in menu
    drill = client.get("/mot-cua/chi-so/ho-so/", {"scope_kind": "agency", "scope_code": COMMUNE,
                                                  "period": "2026-10", "set": "received"}, **EN)
    assert "Counted by current administrative units." in text(drill)
    queue = text(client.get("/mot-cua/pakn/", **EN))
    assert "Search by code, title or sender's phone number" in queue
    assert "There is no feedback or petition in this list." in queue and "Tìm theo mã" not in queue


def test_the_admin_names_the_apps_in_english(client):
    client.force_login(User.objects.create_superuser("quantri", password="mat-khau-du-dai-2026"))
    admin = text(client.get("/admin/", **EN))
    for name in ("Electronic declarations", "Notices to applicants", "Document interconnection axis",
                 "Satisfaction (dossier ratings, SIPAS)", "Digital signature of results"):
        assert name in admin, name
    sipas = text(client.get("/admin/satisfaction/sipaselement/", **EN))
    assert "not verified" in sipas


def test_my_dossiers_paging_and_status_filter_in_english(client, monkeypatch):
    monkeypatch.setattr("motcua.eservices.views.PAGE_SIZE", 1)  # two dossiers make two pages
    owner = make_citizen("an.nguyen@example.vn")
    for _ in range(2):
        submit_online(version=Procedure.objects.get(code=BIRTH).current_version, agency=agency(COMMUNE),
                      actor=owner, applicant={"full_name": "Nguyễn Văn An", "phone": "0912345678", "user": owner},
                      components=[ComponentInput(name="Giấy chứng sinh", originals=1)])
    client.force_login(owner)
    url = reverse("eservices:my_dossiers")
    first = text(client.get(url, **EN))
    for label in ("My dossiers", "Any status", "Filter", "showing 1–1", "Page 1 of 2", "Next page ›"):
        assert label in first, label
    assert "Trang sau" not in first and "Mọi trạng thái" not in first
    second = client.get(url, {"trang": 2}, **EN)
    assert "page 2" in second.content.decode().split("</title>")[0]
    assert "‹ Previous page" in text(second)
    none = text(client.get(url, {"trang-thai": 10}, **EN))
    assert "You have no dossier with this status. See all dossiers" in none
    bad = text(client.get(url, {"trang-thai": "xong"}, **EN))
    assert "Status: choose a status from the list." in bad


def test_the_back_office_paper_download_link_in_english(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = Personas()
    dossier = receive(people)
    dossier.components.first().file.save("giay-chung-sinh.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    client.force_login(people.reception)
    page = text(client.get(reverse("backoffice:dossier", args=[dossier.pk]), **EN))
    assert "Download file" in page and "Tải tệp" not in page
