"""The standard slips, read back from the PDFs the way a citizen or an official reads them.

Every dossier here is brought to its state by the real services (reception at the counter, then
`transition()`); each PDF is opened with poppler's pdftotext/pdffonts. Set MOTCUA_SLIP_SAMPLES to a
directory (e.g. docs/slips) to keep the PDFs these tests render, for the documentation.
"""

import csv
import io
import json
import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from motcua.catalog.models import Procedure
from motcua.core import audit
from motcua.core.models import AuditRecord
from motcua.dossiers import slips
from motcua.dossiers.errors import InvalidInputError
from motcua.dossiers.models import Slip, SlipForm
from motcua.dossiers.services import ComponentInput, receive_at_counter, transition
from motcua.lib.pdf import EMBEDDED_FONT_PREFIX
from motcua.lib.tests.poppler import pdf_fonts, pdf_info, pdf_text

from .factories import APPLICANT, COMMUNE, Personas, agency, receive

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 11, 26, 10, 0, tzinfo=VN)  # a Thursday
CODE = "000.21.31.H53-261126-0001"
NAME = "Nguyễn Thị Hồng Nhung"
HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


@pytest.fixture
def people():
    personas = Personas()
    # Vietnamese order on the slips: family name (last_name) first, then the given name.
    for user, family, given in [(personas.reception, "Trần Thị", "Mai"), (personas.specialist, "Lê Văn", "Hùng"),
                                (personas.approver, "Phạm Quốc", "Bảo")]:
        user.last_name, user.first_name = family, given
        user.save()
    return personas


@pytest.fixture
def procedure_name():
    return Procedure.objects.get(code="1.001193").current_version.name


def keep_sample(name: str, content: bytes, data: dict) -> None:
    """With MOTCUA_SLIP_SAMPLES set, keep the PDF and the data it was made from (bench/slips_render.py reads them)."""
    if os.environ.get("MOTCUA_SLIP_SAMPLES"):
        folder = Path(os.environ["MOTCUA_SLIP_SAMPLES"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.pdf").write_bytes(content)
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def render(dossier, kind: str, at: datetime, sample: str, **kw) -> bytes:
    content = slips.render_slip(dossier, kind, at=at, **kw)
    keep_sample(sample, content, slips.slip_data(dossier, kind, at=at, **kw) | {"kind": kind})
    return content


def read(content: bytes) -> str:
    """The text of a PDF, after checking it is one and that it embeds only the bundled fonts."""
    assert content.startswith(b"%PDF-")
    fonts = pdf_fonts(content)
    assert fonts and all(name.startswith(EMBEDDED_FONT_PREFIX) for name in fonts), fonts
    return pdf_text(content)


def assert_header(text: str, form_number: str) -> None:
    for line in HEADER:
        assert line in text
    assert "UBND XÃ AN THẠNH" in text  # the receiving agency, upper case, top left
    assert f"Mẫu số {form_number}" in text


# ----------------------------------------------------------------------------- Mẫu 01–05

def test_the_receipt_states_what_was_received_and_when_to_come_back(people, procedure_name):
    dossier = receive(people, at=AT)
    text = read(render(dossier, "receipt", AT, "mau-01-giay-tiep-nhan"))
    assert_header(text, "01")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "ngày 26 tháng 11 năm 2026" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert NAME in text
    assert APPLICANT["address"] in text and APPLICANT["phone"] in text and APPLICANT["email"] in text
    assert " ".join(procedure_name.split()) in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    assert "Số lượng hồ sơ: 1 (bộ)" in text
    assert "3 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: 26/11/2026 10:00" in text
    # 3 working days, the receipt day not counted: due Tuesday 1 December at the close of office hours.
    assert "01/12/2026 17:00" in text
    assert "Bộ phận Tiếp nhận và Trả kết quả" in text
    assert "Trần Thị Mai" in text  # the receiving officer, from the reception record
    # The identity number is on the dossier but no form asks for it.
    assert APPLICANT["id_number"] not in text


def test_the_supplement_request_lists_the_papers_the_reason_and_the_legal_basis(people):
    dossier = receive(people, at=AT)
    transition(dossier.pk, "request_supplement", actor=people.reception, at=AT + timedelta(minutes=20),
               reason="Bản sao Giấy chứng sinh bị mờ, không đọc được số giấy",
               data={"missing_papers": ["Giấy chứng sinh (bản chính)", "Văn bản ủy quyền có chứng thực"]})
    text = read(render(dossier, "supplement", AT + timedelta(minutes=25), "mau-02-phieu-yeu-cau-bo-sung"))
    assert_header(text, "02")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert CODE in text and NAME in text
    assert "Giấy chứng sinh (bản chính)" in text and "Văn bản ủy quyền có chứng thực" in text
    assert "Lý do: Bản sao Giấy chứng sinh bị mờ, không đọc được số giấy" in text
    assert "Căn cứ pháp lý" in text
    documents = Procedure.objects.get(code="1.001193").current_version.legal_bases.all()
    assert documents and all(b.document.number in text for b in documents)
    assert "Trần Thị Mai" in text


def test_the_refusal_gives_the_reason_and_where_to_go(people):
    dossier = receive(people, at=AT)
    transition(dossier.pk, "refuse", actor=people.reception, at=AT + timedelta(minutes=5),
               reason="Người nộp không cư trú trên địa bàn xã nên không thuộc thẩm quyền của UBND xã")
    text = read(render(dossier, "refusal", AT + timedelta(minutes=6), "mau-03-phieu-tu-choi",
                       extra={"referral": "Liên hệ UBND xã nơi cư trú của người mẹ để được tiếp nhận"}))
    assert_header(text, "03")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert CODE in text and NAME in text
    assert "không cư trú trên địa bàn xã nên không thuộc thẩm quyền" in text
    assert "Hướng dẫn: Liên hệ UBND xã nơi cư trú của người mẹ" in text


def test_the_apology_gives_the_reason_and_both_appointments(people):
    dossier = receive(people, at=AT)
    transition(dossier.pk, "forward", actor=people.reception, at=AT + timedelta(minutes=10))
    new_due = datetime(2026, 12, 4, 16, 30, tzinfo=VN)
    transition(dossier.pk, "apologize", actor=people.approver, at=datetime(2026, 11, 30, 9, 0, tzinfo=VN),
               reason="Chờ cơ quan công an xác minh thông tin cư trú của người mẹ",
               data={"new_due_at": new_due.isoformat()})
    text = read(render(dossier, "apology", datetime(2026, 11, 30, 9, 5, tzinfo=VN), "mau-04-phieu-xin-loi"))
    assert_header(text, "04")
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "ngày 30 tháng 11 năm 2026" in text
    assert CODE in text and NAME in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 01/12/2026 17:00" in text
    assert "04/12/2026 16:30" in text
    assert "Chờ cơ quan công an xác minh thông tin cư trú" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Phạm Quốc Bảo" in text


def test_the_control_sheet_has_a_row_per_step_with_hand_overs_and_timeliness(people):
    dossier = receive(people, at=AT)
    transition(dossier.pk, "forward", actor=people.reception, at=AT + timedelta(minutes=10))
    transition(dossier.pk, "complete_step", actor=people.specialist, at=datetime(2026, 11, 27, 9, 0, tzinfo=VN),
               data={"outcome": "Đủ điều kiện đăng ký khai sinh"})
    # The approval step runs late: its share of the time limit ended before 3 December.
    transition(dossier.pk, "complete_step", actor=people.approver, at=datetime(2026, 12, 3, 8, 0, tzinfo=VN))
    text = read(render(dossier, "control", datetime(2026, 12, 3, 8, 5, tzinfo=VN), "mau-05-phieu-kiem-soat"))
    assert_header(text, "05")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert CODE in text
    for step in dossier.steps.all():
        assert step.name in text
    assert "Nhận: 26/11/2026 10:00 – Trần Thị Mai" in text
    assert "Giao: 27/11/2026 09:00 – Lê Văn Hùng" in text
    assert "Đủ điều kiện đăng ký khai sinh" in text
    assert "Trước hạn" in text or "Đúng hạn" in text
    assert "Quá hạn" in text
    assert "Đang xử lý" in text  # the step the dossier is at now


def test_issuing_a_slip_keeps_the_pdf_and_the_data_it_states(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = receive(people, at=AT)
    slip = slips.issue_slip(dossier, "receipt", issued_by=people.reception, at=AT)
    slip = Slip.objects.get(pk=slip.pk)
    assert slip.form.number == "01" and slip.issued_by == people.reception and slip.issued_at == AT
    assert slip.file.name.startswith("slips/") and slip.file.name.endswith(".pdf")
    with slip.file.open("rb") as stored:
        text = read(stored.read())
    assert CODE in text and NAME in text
    assert slip.data["dossier"]["code"] == CODE
    assert slip.data["due_at"] == "01/12/2026 17:00"
    assert slip.data["form"]["number"] == "01"
    assert "id_number" not in slip.data["applicant"]
    assert len(slip.data["sha256"]) == 64
    record = AuditRecord.objects.filter(action="dossier.slip_issued", object_id=str(dossier.pk)).get()
    assert record.after["sha256"] == slip.data["sha256"] and record.actor == people.reception
    assert audit.verify()[1] == []


def test_the_form_in_force_on_the_issue_date_is_printed(people):
    """A later rule renumbers a form: a new row, not an edit; older slips keep the old number."""
    SlipForm.objects.create(kind="receipt", number="01/TN", title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                            legal_source="Quy định thử nghiệm của bộ kiểm thử", valid_from=date(2026, 12, 1))
    dossier = receive(people, at=AT)
    before = read(slips.render_slip(dossier, "receipt", at=AT))
    assert "Mẫu số 01" in before and "01/TN" not in before
    later = read(slips.render_slip(dossier, "receipt", at=datetime(2026, 12, 1, 8, 0, tzinfo=VN)))
    assert "Mẫu số 01/TN" in later and "Quy định thử nghiệm của bộ kiểm thử" in later


def test_an_organisation_is_not_addressed_as_a_person(people):
    version = Procedure.objects.get(code="1.001193").current_version
    dossier = receive_at_counter(
        version=version, agency=agency(COMMUNE), actor=people.reception, at=AT, time_limit=(Decimal(3), "working_day"),
        applicant={"kind": "organisation", "full_name": "Công ty TNHH Nông sản Bến Cầu", "tax_code": "3901234567"},
        components=[ComponentInput(name="Giấy đề nghị", originals=1)])
    transition(dossier.pk, "request_supplement", actor=people.reception, at=AT + timedelta(minutes=5),
               reason="Thiếu giấy ủy quyền", data={"missing_papers": ["Giấy ủy quyền của người đại diện"]})
    text = read(slips.render_slip(dossier, "supplement", at=AT + timedelta(minutes=6)))
    assert "hồ sơ của quý tổ chức Công ty TNHH Nông sản Bến Cầu" in text
    assert "ông (bà)" not in text


# ----------------------------------------------------------------------------- slips that don't apply

@pytest.mark.parametrize("kind, words", [
    ("supplement", "không có yêu cầu bổ sung"),
    ("apology", "chưa có hẹn lại ngày trả kết quả"),
    ("refusal", "không bị từ chối tiếp nhận"),
])
def test_a_slip_that_does_not_apply_is_refused_with_the_reason(people, kind, words):
    dossier = receive(people, at=AT)
    with pytest.raises(InvalidInputError) as error:
        slips.render_slip(dossier, kind, at=AT)
    assert set(error.value.errors) == {"kind"}
    assert words in error.value.errors["kind"] and CODE in error.value.errors["kind"]


def test_an_unknown_kind_or_the_register_is_not_a_dossier_slip(people):
    dossier = receive(people, at=AT)
    with pytest.raises(InvalidInputError) as error:
        slips.render_slip(dossier, "giay-moi", at=AT)
    assert "Loại phiếu “giay-moi” không có" in error.value.errors["kind"]
    assert "receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)" in error.value.errors["kind"]
    with pytest.raises(InvalidInputError) as error:
        slips.render_slip(dossier, "register", at=AT)
    assert "Sổ theo dõi hồ sơ" in error.value.errors["kind"]


def test_information_a_slip_does_not_use_is_named(people):
    dossier = receive(people, at=AT)
    with pytest.raises(InvalidInputError) as error:
        slips.render_slip(dossier, "receipt", at=AT, extra={"referral": "x"})
    assert set(error.value.errors) == {"extra.referral"}
    with pytest.raises(InvalidInputError) as error:
        slips.render_slip(dossier, "receipt", at=AT, extra={"result_delivery": "fax"})
    assert "counter, post, online" in error.value.errors["extra.result_delivery"]


def test_no_form_before_the_circular_came_into_force(people):
    dossier = receive(people, at=AT)
    with pytest.raises(InvalidInputError) as error:
        slips.render_slip(dossier, "receipt", at=datetime(2018, 6, 1, 9, 0, tzinfo=VN))
    assert "01/06/2018" in error.value.errors["kind"]


# ----------------------------------------------------------------------------- Mẫu 06, the register

@pytest.fixture
def register_dossiers(people):
    """Four dossiers in three days: one returned, one refused, one still open, one outside the period."""
    returned = receive(people, at=AT)
    transition(returned.pk, "forward", actor=people.reception, at=AT + timedelta(minutes=10))
    transition(returned.pk, "complete_step", actor=people.specialist, at=AT + timedelta(hours=2))
    transition(returned.pk, "complete_step", actor=people.approver, at=AT + timedelta(hours=3))
    transition(returned.pk, "complete_step", actor=people.reception, at=AT + timedelta(hours=4))
    transition(returned.pk, "hand_over", actor=people.reception, at=datetime(2026, 11, 27, 8, 0, tzinfo=VN))
    refused = receive(people, at=AT + timedelta(hours=1))
    transition(refused.pk, "refuse", actor=people.reception, at=AT + timedelta(hours=1, minutes=5),
               reason="Không thuộc thẩm quyền")
    still_open = receive(people, at=datetime(2026, 11, 27, 14, 0, tzinfo=VN))
    outside = receive(people, at=datetime(2026, 11, 30, 8, 0, tzinfo=VN))
    return returned, refused, still_open, outside


def test_the_register_pdf_lists_the_period_in_order(register_dossiers):
    returned, refused, still_open, outside = register_dossiers
    commune, start, end, at = agency(COMMUNE), date(2026, 11, 26), date(2026, 11, 27), datetime(2026, 11, 28, 8, tzinfo=VN)
    content = slips.render_register(commune, start, end, "pdf", at=at)
    keep_sample("mau-06-so-theo-doi", content, slips.register_data(
        commune, slips.form_in_force("register", at.date()), start, end, slips.register_rows(commune, start, end), at,
    ) | {"kind": "register"})
    text = read(content)
    assert_header(text, "06")
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 26/11/2026 đến ngày 27/11/2026" in text
    for label in ["STT", "Mã hồ sơ", "Thủ tục hành chính", "Người nộp", "Ngày nhận", "Ngày hẹn trả",
                  "Ngày chuyển", "Ngày có kết quả", "Ngày trả", "Ghi chú", "Ký nhận"]:
        assert label in text
    positions = [text.index(d.code) for d in (returned, refused, still_open)]
    assert positions == sorted(positions)
    assert outside.code not in text
    assert "Từ chối tiếp nhận: Không thuộc thẩm quyền" in text
    assert "Tổng số: 3 hồ sơ" in text
    assert pdf_info(content)["Page size"].startswith("841.")


def test_the_register_as_a_spreadsheet_has_real_dates(register_dossiers):
    returned, refused, still_open, _outside = register_dossiers
    book = load_workbook(io.BytesIO(slips.render_register(agency(COMMUNE), date(2026, 11, 26), date(2026, 11, 27),
                                                          "xlsx")))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("SỔ THEO DÕI HỒ SƠ (Mẫu số 06)")
    header = rows[3]
    assert header == ("STT", "Mã hồ sơ", "Thủ tục hành chính", "Người nộp", "Ngày nhận", "Ngày hẹn trả", "Ngày chuyển",
                      "Ngày có kết quả", "Ngày trả", "Ghi chú")
    data = rows[4:]
    assert [r[1] for r in data] == [returned.code, refused.code, still_open.code]
    first = dict(zip(header, data[0], strict=True))
    assert first["STT"] == 1 and first["Người nộp"] == NAME
    assert first["Ngày nhận"] == datetime(2026, 11, 26, 10, 0)  # Vietnam's wall-clock time
    assert first["Ngày hẹn trả"] == datetime(2026, 12, 1, 17, 0)
    assert first["Ngày chuyển"] == datetime(2026, 11, 26, 10, 10)
    assert first["Ngày trả"] == datetime(2026, 11, 27, 8, 0)
    assert data[2][6] is None and data[2][8] is None  # the open dossier: not forwarded, not returned
    assert "Từ chối tiếp nhận" in data[1][9]


def test_the_register_as_csv_reads_back_row_for_row(register_dossiers):
    returned, refused, still_open, _outside = register_dossiers
    content = slips.render_register(agency(COMMUNE), "2026-11-26", "27/11/2026", "csv")
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["Mã hồ sơ"] for r in rows] == [returned.code, refused.code, still_open.code]
    assert rows[0]["STT"] == "1" and rows[0]["Người nộp"] == NAME
    assert rows[0]["Ngày nhận"] == "26/11/2026 10:00" and rows[0]["Ngày hẹn trả"] == "01/12/2026 17:00"
    assert rows[0]["Ngày trả"] == "27/11/2026 08:00"
    assert rows[2]["Ngày chuyển"] == ""


def test_an_empty_period_still_gives_a_register(people):
    text = read(slips.render_register(agency(COMMUNE), date(2026, 1, 1), date(2026, 1, 2)))
    assert "Không có hồ sơ nào trong khoảng thời gian này" in text


def test_bad_register_input_names_the_field(people):
    commune = agency(COMMUNE)
    with pytest.raises(InvalidInputError) as error:
        slips.render_register(commune, date(2026, 11, 27), date(2026, 11, 26))
    assert set(error.value.errors) == {"date_from"}
    assert "27/11/2026" in error.value.errors["date_from"] and "26/11/2026" in error.value.errors["date_from"]
    with pytest.raises(InvalidInputError) as error:
        slips.render_register(commune, "hôm qua", date(2026, 11, 26), "docx")
    assert set(error.value.errors) == {"date_from", "fmt"}
    assert "dd/mm/yyyy" in error.value.errors["date_from"]
    with pytest.raises(InvalidInputError) as error:
        slips.render_register(commune, date(2025, 1, 1), date(2026, 11, 26))
    assert set(error.value.errors) == {"date_to"}


def test_a_register_too_long_to_print_points_to_the_spreadsheet(register_dossiers, monkeypatch):
    monkeypatch.setattr(slips, "REGISTER_PDF_MAX_ROWS", 2)
    with pytest.raises(InvalidInputError) as error:
        slips.render_register(agency(COMMUNE), date(2026, 11, 26), date(2026, 11, 27), "pdf")
    assert "có 3 hồ sơ" in error.value.errors["date_to"] and "XLSX" in error.value.errors["date_to"]
    assert slips.render_register(agency(COMMUNE), date(2026, 11, 26), date(2026, 11, 27), "xlsx")
