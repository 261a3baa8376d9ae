"""Reception at the counter: pick the procedure, enter the applicant and papers, get code and due moment."""

import pytest
from django.urls import reverse

from motcua.dossiers.models import Applicant, Dossier, ReceivedComponent, StatusChange

from .conftest import BIRTH, reception_data

pytestmark = pytest.mark.django_db
FORM = reverse("backoffice:reception_form", args=[BIRTH])


def test_the_live_search_finds_the_procedure_to_receive(as_user, people):
    client = as_user(people.reception)
    page = client.get(reverse("backoffice:reception"))
    assert "Tìm thủ tục theo tên hoặc mã" in page.content.decode()
    fragment = client.get(reverse("backoffice:reception"), {"q": "dang ky khai sinh"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html  # htmx gets only the list
    assert f'href="{FORM}"' in html
    assert "Thủ tục đăng ký khai sinh" in html


def test_the_form_lists_the_procedure_papers_and_asks_for_the_missing_time_limit(as_user, people):
    page = as_user(people.reception).get(FORM).content.decode()
    assert "Thủ tục đăng ký khai sinh" in page
    assert "Giấy chứng sinh" in page
    assert "Tờ khai đăng ký khai sinh theo mẫu" in page
    # The catalogue says "1" without a unit: the official is asked, with the number offered.
    assert "chưa có thời hạn giải quyết" in page
    assert 'name="time_limit_value"' in page and 'value="1"' in page
    assert 'name="token"' in page


def test_reception_creates_the_dossier_and_shows_code_and_due_moment(as_user, people):
    client = as_user(people.reception)
    response = client.post(FORM, reception_data(), follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == reverse("backoffice:dossier", args=[dossier.pk])
    page = response.content.decode()
    assert dossier.code.startswith("000.21.31.H53-")
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page
    assert "Ngày hẹn trả kết quả" in page
    from django.utils import timezone

    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y %H:%M") in page
    assert dossier.time_limit_value == 3 and dossier.time_limit_unit == "working_day"
    assert dossier.applicant.full_name == "Nguyễn Thị Hồng Nhung"
    names = list(dossier.components.values_list("name", flat=True))
    assert any("Giấy chứng sinh" in n for n in names)
    assert "Bản sao giấy chứng nhận kết hôn của cha mẹ" in names
    assert len(names) == 5  # four suggested by the catalogue, one typed in; the blank line is ignored
    assert "In Mẫu 01" in page  # the receipt and appointment slip, ready to print


def test_the_receipt_slip_is_issued_and_downloaded_as_a_pdf(as_user, people):
    client = as_user(people.reception)
    client.post(FORM, reception_data())
    dossier = Dossier.objects.get()
    issued = client.post(reverse("backoffice:slip_issue", args=[dossier.pk, "receipt"]))
    slip = dossier.slips.get()
    assert issued.status_code == 302
    assert issued["Location"] == reverse("backoffice:slip", args=[dossier.pk, slip.pk])
    pdf = client.get(issued["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert slip.form.number == "01"
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page


def test_bad_input_names_the_fields_in_vietnamese_and_writes_nothing(as_user, people):
    client = as_user(people.reception)
    response = client.post(FORM, reception_data(full_name="", email="khong-phai-thu", date_of_birth="31/02/2020",
                                                time_limit_unit=""))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Hồ sơ chưa được tiếp nhận" in page
    assert "Họ và tên người nộp không được để trống." in page
    assert "Địa chỉ thư điện tử không hợp lệ." in page
    assert "Ngày sinh không hợp lệ" in page
    assert "Chọn đơn vị của thời hạn." in page
    assert 'aria-invalid="true"' in page
    assert not Dossier.objects.exists() and not Applicant.objects.exists() and not StatusChange.objects.exists()


def test_the_service_rules_come_back_next_to_the_fields(as_user, people):
    client = as_user(people.reception)
    response = client.post(FORM, reception_data(id_number="12345", phone="12 34"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page
    assert "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0." in page
    assert 'id="id_id_number-loi"' in page and 'id="id_phone-loi"' in page
    assert not Dossier.objects.exists() and not Applicant.objects.exists()


def test_a_paper_without_copies_and_a_dossier_without_papers_are_refused(as_user, people):
    client = as_user(people.reception)
    data = {k: v for k, v in reception_data().items() if not k.endswith("-nhan")}
    data["khac-ten"], data["khac-chinh"], data["khac-sao"] = ["Giấy tờ không có bản nào"], ["0"], ["0"]
    page = client.post(FORM, data).content.decode()
    assert "Mỗi giấy tờ phải có ít nhất một bản chính hoặc bản sao." in page
    data["khac-ten"] = [""]
    page = client.post(FORM, data).content.decode()
    assert "Chưa có giấy tờ nào trong hồ sơ." in page
    data["khac-ten"], data["khac-chinh"] = ["Đơn"], ["nhiều"]
    page = client.post(FORM, data).content.decode()
    assert "Số bản phải là số nguyên từ 0 đến 99." in page
    assert not Dossier.objects.exists() and not ReceivedComponent.objects.exists()


def test_submitting_the_same_form_twice_creates_one_dossier(as_user, people):
    client = as_user(people.reception)
    data = reception_data()
    first = client.post(FORM, data)
    second = client.post(FORM, data)
    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"] == reverse("backoffice:dossier", args=[Dossier.objects.get().pk])
    # A new form (new token) is a new dossier.
    client.post(FORM, reception_data())
    assert Dossier.objects.count() == 2


def test_an_unknown_procedure_is_404(as_user, people):
    response = as_user(people.reception).get(reverse("backoffice:reception_form", args=["9.999999"]))
    assert response.status_code == 404
    assert "Không có thủ tục đang công khai" in response.content.decode()


def test_an_extra_paper_line_comes_from_htmx(as_user, people):
    response = as_user(people.reception).get(reverse("backoffice:reception_extra_row"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="khac-ten"' in response.content.decode()


def test_a_procedure_with_a_time_limit_in_the_catalogue_does_not_ask_for_one(as_user, people):
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.filter(
        current_version__status="published", current_version__channels__kind="in_person",
        current_version__channels__time_limit_unit="working_day",
    ).order_by("code").first()
    channel = procedure.current_version.channels.get(kind="in_person")
    url = reverse("backoffice:reception_form", args=[procedure.code])
    client = as_user(people.reception)
    assert 'name="time_limit_value"' not in client.get(url).content.decode()
    data = reception_data(version=procedure.current_version.pk, time_limit_value=None, time_limit_unit=None,
                          **{"khac-ten": ["Đơn đề nghị"], "khac-chinh": ["1"], "khac-sao": ["0"]})
    data = {k: v for k, v in data.items() if not k.startswith("tp-")}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert (dossier.time_limit_value, dossier.time_limit_unit) == (channel.time_limit_value, "working_day")
