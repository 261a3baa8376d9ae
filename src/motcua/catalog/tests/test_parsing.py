"""The parsers' rules, one quirk of the real sources at a time (the snippets are cut from real records)."""

import json
from decimal import Decimal

import pytest

from motcua.catalog.parsing import (
    component_condition,
    issuer_from_number,
    online_service_level,
    parse_amount,
    parse_bqp_record,
    parse_fee,
    parse_fee_cell,
    parse_portal_channels,
    parse_portal_components,
    parse_portal_legal_basis,
    parse_portal_record,
    parse_portal_results,
    parse_quantity,
    parse_time_limit,
    read_source,
    split_form_files,
    unit_from_description,
)
from motcua.catalog.records import ChannelRecord, FeeRecord, RecordError

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
TABLE = "--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL = "Tên văn bản pháp lýMã văn bản"


@pytest.mark.parametrize(("text", "expected"), [
    ("15 Ngày làm việc", (Decimal(15), "working_day")),
    ("0.5 Ngày làm việc", (Decimal("0.5"), "working_day")),
    ("0,5 ngày", (Decimal("0.5"), "day")),
    ("01 Giờ", (Decimal(1), "hour")),
    ("8 giờ làm việc", (Decimal(8), "working_hour")),
    ("3 Tháng", (Decimal(3), "month")),
    ("Trong ngày", (Decimal(1), "working_day")),
    ("Không quá 30 ngày", (Decimal(30), "day")),
    ("10 - 25 Ngày", (Decimal(25), "day")),  # a range: the longest the agency may take
    ("10-25", (Decimal(25), "")),  # the source gives no unit
    ("1", (Decimal(1), "")),
    ("Không quy định", (None, "")),
    ("Không có thông tin", (None, "")),
    ("14 tháng 11 năm 2016", (None, "")),  # a date, not three months
    ("", (None, "")),
])
def test_time_limit(text, expected):
    assert parse_time_limit(text) == expected


def test_bare_time_limit_takes_its_unit_only_from_the_same_number_in_the_description():
    assert unit_from_description("10-25", "10-25 ngày kể từ ngày nhận được hồ sơ hợp lệ.") == "day"
    assert unit_from_description("1", "Trả kết quả trong 01 ngày làm việc") == "working_day"
    assert unit_from_description("1", "Trong thời hạn 15 ngày, kể từ ngày nhận đủ hồ sơ") == ""
    assert unit_from_description("1", "") == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("Lệ phí : 50.000 Đồng", FeeRecord("fee", 50000, "Lệ phí : 50.000 Đồng")),
    ("Phí : 0 Đồng", FeeRecord("charge", 0, "Phí : 0 Đồng")),
    ("Phí : Không Đồng", FeeRecord("charge", 0, "Phí : Không Đồng")),
    ("Miễn phí", FeeRecord("other", 0, "Miễn phí")),
    ("2,000,000 Việt Nam Đồng", FeeRecord("other", 2000000, "2,000,000 Việt Nam Đồng")),
    ("Lệ phí : 10 USD", FeeRecord("fee", None, "Lệ phí : 10 USD")),  # not in đồng: no amount
    ("Phí :  Đồng (Theo quy định của Bộ Tài chính)", FeeRecord("charge", None, "Phí :  Đồng (Theo quy định của Bộ Tài chính)")),
])
def test_fee(text, expected):
    assert parse_fee(text) == expected


def test_no_information_is_no_fee():
    assert parse_fee("Không có thông tin") is None
    assert parse_fee_cell("") == []


def test_fee_cell_with_a_charge_and_a_fee_on_separate_lines():
    fees = parse_fee_cell("Phí : 5 USD (Người nước ngoài dưới 14 tuổi)\nLệ phí : 10 USD (Người nước ngoài từ 14 tuổi)")

    assert [(fee.kind, fee.amount) for fee in fees] == [("charge", None), ("fee", None)]
    assert fees[1].text == "Lệ phí : 10 USD (Người nước ngoài từ 14 tuổi)"


@pytest.mark.parametrize(("text", "expected"), [
    ("50.000", 50000), ("2,000,000", 2000000), ("500", 500), ("0", 0), ("1.5", None), ("", None), ("mười", None),
])
def test_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("1 bản chính", (1, None)),
    ("0 bản chính,1 bản sao", (0, 1)),
    ("Bản chính: 1\nBản sao: 0", (1, 0)),
    ("Bản chính: 0\nBản sao: 1", (0, 1)),
    ("01 bản sao", (None, 1)),
    ("1 bản chính hoặc bản sao", (None, None)),  # either kind: the text says it, the counts do not
    ("", (None, None)),
])
def test_quantity(text, expected):
    assert parse_quantity(text) == expected


def test_channel_rows_split_where_a_channel_name_runs_into_its_time_cell():
    text = (HEADER + "Trực tuyến5 Ngày làm việcMiễn phí- Trực tuyến: nộp hồ sơ trên Cổng Dịch vụ công quốc gia."
            "Trực tiếp5 Ngày làm việc50.000 VNĐ(Lệ phí cấp giấy phép)Nộp hồ sơ Trực tiếp tại Bộ phận một cửa.")

    channels, complete = parse_portal_channels(text)

    assert complete
    assert channels == [
        ChannelRecord("online", Decimal(5), "working_day", "5 Ngày làm việc", [FeeRecord("other", 0, "Miễn phí")],
                      "- Trực tuyến: nộp hồ sơ trên Cổng Dịch vụ công quốc gia."),
        ChannelRecord("in_person", Decimal(5), "working_day", "5 Ngày làm việc",
                      [FeeRecord("fee", 50000, "50.000 VNĐ (Lệ phí cấp giấy phép)")],
                      "Nộp hồ sơ Trực tiếp tại Bộ phận một cửa."),
    ]


def test_bare_time_limit_glued_to_the_amount():
    # 1.007751: "Trực tiếp120 VNĐ(20.000 vnđ/tờ khai)" is the time "1" and the fee "20 VNĐ" as the portal publishes it.
    text = HEADER + "Trực tuyến1Miễn phíTrực tiếp120 VNĐ(20.000 vnđ/tờ khai)"

    channels, _complete = parse_portal_channels(text)

    assert [(c.time_limit_text, c.fees[0].amount) for c in channels] == [("1", 0), ("1", 20)]


def test_free_text_time_cell_runs_up_to_the_fee_cell():
    # 1.007689
    text = HEADER + "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng dịch vụ công quốc gia"

    (channel,), complete = parse_portal_channels(text)

    assert complete
    assert channel.time_limit_text == "Không phải trả kết quả cho người nộp thuế"
    assert channel.time_limit_value is None
    assert channel.fees == [FeeRecord("other", 0, "Miễn phí")]
    assert channel.description == "Qua Cổng dịch vụ công quốc gia"


def test_unclosed_fee_note_ends_at_the_rows_last_bracket():
    # 1.004270: the note lists two fees and never closes the first bracket.
    text = (HEADER + "Trực tiếp20 Ngày400,000 VNĐ(Sát hạch lý thuyết, Phí: 1,700,000 Sát hạch thực hành "
            "(Miễn phí từ ngày 07/4/2026 đến 30/6/2026)20 ngày, kể từ ngày nhận được hồ sơ hợp lệ")

    (channel,), _complete = parse_portal_channels(text)

    assert channel.fees[0].amount == 400000
    assert channel.fees[0].text.endswith("(Miễn phí từ ngày 07/4/2026 đến 30/6/2026)")
    assert channel.description == "20 ngày, kể từ ngày nhận được hồ sơ hợp lệ"


def test_numbered_description_is_not_a_fee_note_and_gives_the_missing_time_limit():
    text = HEADER + "Trực tiếpKhông có thông tinKhông có thông tin(2) Trường hợp cấp lại: 15 ngày làm việc."

    (channel,), _complete = parse_portal_channels(text)

    assert channel.fees == []
    assert channel.description == "(2) Trường hợp cấp lại: 15 ngày làm việc."
    assert (channel.time_limit_value, channel.time_limit_unit) == (None, "")  # not said to be the time limit

    text = HEADER + "Trực tiếpKhông có thông tinMiễn phíThời hạn giải quyết: 13 ngày làm việc, kể từ ngày nhận hồ sơ."
    (channel,), _complete = parse_portal_channels(text)
    assert (channel.time_limit_value, channel.time_limit_unit) == (13, "working_day")


def test_component_rows_with_case_groups_and_form_files():
    text = (
        "Đối với trường hợp cấp Giấy chứng nhậnTên giấy tờMẫu đơn, tờ khaiSố lượng"
        "a) Đơn đề nghị theo Mẫu số 07.TC Phụ lục IV ban hành kèm theo Nghị định số 41/2026/NĐ-CP;"
        "Mẫu số 07.docx1 bản chính,1 bản sao"
        "b) Hồ sơ quản lý chất lượng theo tiêu chuẩn ISO 9001 hoặc tương đương.1 bản chính"
        "Đối với trường hợp cấp lạiTên giấy tờMẫu đơn, tờ khaiSố lượng"
        "Bản sao Giấy chứng nhận đã được cấp (nếu có)0 bản chính,1 bản sao"
    )

    components, complete = parse_portal_components(text)

    assert complete
    assert [(c.case, c.originals, c.copies, c.form_template, c.required) for c in components] == [
        ("Đối với trường hợp cấp Giấy chứng nhận", 1, 1, "Mẫu số 07.docx", True),
        ("Đối với trường hợp cấp Giấy chứng nhận", 1, 0, "", True),
        ("Đối với trường hợp cấp lại", 0, 1, "", False),
    ]
    assert components[0].name.endswith("Nghị định số 41/2026/NĐ-CP;")
    assert components[0].quantity_text == "1 bản chính,1 bản sao"


def test_quantity_inside_a_name_is_not_a_row_end():
    # 1.000020: the name itself says ": 01 bản chính" just before the quantity cell.
    text = TABLE + "Giấy phép nhập khẩu đối với hàng hóa phải có giấy phép nhập khẩu: 01 bản chính1 bản chính"

    (component,), _complete = parse_portal_components(text)

    assert component.name == "Giấy phép nhập khẩu đối với hàng hóa phải có giấy phép nhập khẩu: 01 bản chính"
    assert (component.originals, component.copies) == (1, 0)


def test_empty_component_table_is_not_a_failure():
    assert parse_portal_components("--") == ([], True)


@pytest.mark.parametrize(("cell", "name", "files"), [
    ("Đơn đề nghị chuyển đổi Giấy phépPhlc8.docx", "Đơn đề nghị chuyển đổi Giấy phép", ["Phlc8.docx"]),
    ("Văn bản đề nghị (NA20).Mau NA20-BCA.docx", "Văn bản đề nghị (NA20).", ["Mau NA20-BCA.docx"]),
    ("Tờ khai theo mẫu (Mẫu NA9).10-Mẫu NA9.doc", "Tờ khai theo mẫu (Mẫu NA9).", ["Mẫu NA9.doc"]),
    ("Bản khai chung;MauBankhaichung.docxMauDanhsachthuyenvien.docx", "Bản khai chung;",
     ["MauBankhaichung.docx", "MauDanhsachthuyenvien.docx"]),
    ("Giấy đề nghị cấp Giấy chứng nhận", "Giấy đề nghị cấp Giấy chứng nhận", []),
])
def test_form_files_split_from_the_name(cell, name, files):
    assert split_form_files(cell) == (name, files)


@pytest.mark.parametrize(("name", "condition"), [
    ("Biên bản tổ chức đối thoại (nếu có)", "nếu có"),
    ("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.", "Trường hợp trẻ em bị bỏ rơi"),
    ("Văn bản ủy quyền trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh. Trường hợp người được ủy quyền "
     "là ông, bà thì không phải chứng thực.", "trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh"),
    # An alternative to a required paper is not a condition on it.
    ("- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng", ""),
    # "nếu có cơ sở" is "if there are grounds", not "if any".
    ("Cơ quan đăng ký hộ tịch từ chối giải quyết, nếu có cơ sở xác định nội dung cam đoan không đúng sự thật.", ""),
])
def test_component_condition(name, condition):
    assert component_condition(name) == condition


@pytest.mark.parametrize(("number", "issuer"), [
    ("68/2013/TT-BCA", "Bộ Công an"),
    ("02/2011/QH13", "Quốc hội"),
    ("05/2012/NĐ-CP", "Chính phủ"),
    ("1234/QĐ-BTC", "Bộ Tài chính"),
    ("10/2016/QĐ-TTg", "Thủ tướng Chính phủ"),
    ("02/2020/UBTVQH14", "Ủy ban Thường vụ Quốc hội"),
    ("4864/QĐ-BCA-C06", "Bộ Công an"),
    ("59/2025/TT-BNNMT", "Bộ Nông nghiệp và Môi trường"),
    ("191/2005/TTLT/BQP-BLĐTBXH-BTC", ""),  # joint circular: several issuers
    ("24/2024/QĐ-UBND", ""),  # a province's committee, which one the number does not say
])
def test_issuer_from_number(number, issuer):
    assert issuer_from_number(number) == issuer


@pytest.mark.parametrize(("table", "expected"), [
    # A title in capitals after the number: the issuer code shows where the number ends.
    ("Nghị định 64/2022/NĐ-CP64/2022/NĐ-CPLUẬT  HÀNG KHÔNG DÂN DỤNG VIỆT NAM66/2006/QH11",
     [("64/2022/NĐ-CP", "Nghị định 64/2022/NĐ-CP"), ("66/2006/QH11", "LUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM")]),
    # A date runs into the next number.
    ("Luật số 43/2024/QH15 ngày 29/6/202443/2024/QH15", [("43/2024/QH15", "Luật số 43/2024/QH15 ngày 29/6/2024")]),
    # A number inside a title, followed by lower-case text, is not a cell.
    ("Thông tư số 25/2023/TT- BKHĐT ngày 31/12/2023 Sửa đổi Thông tư 03/2021/TT-BKHĐT03/2021/TT-BKHĐT",
     [("03/2021/TT-BKHĐT", "Thông tư số 25/2023/TT- BKHĐT ngày 31/12/2023 Sửa đổi Thông tư 03/2021/TT-BKHĐT")]),
    # 1.012751: the source lost the P of NĐ-CP; a decree's suffix is always NĐ-CP.
    ("Thực hiện thủ tục hành chính theo cơ chế một cửa118/2025/NĐ-CLuật Đất đai ngày 18/01/2024;31/2024/QH15",
     [("118/2025/NĐ-CP", "Thực hiện thủ tục hành chính theo cơ chế một cửa"),
      ("31/2024/QH15", "Luật Đất đai ngày 18/01/2024")]),
    # 3.000044: a number with a letter.
    ("về chương trình hỗ trợ giảm nghèo nhanh và bền vững đối với 61 huyện nghèoNghị quyết số 30a/2008/NQ-CP",
     [("30a/2008/NQ-CP", "về chương trình hỗ trợ giảm nghèo nhanh và bền vững đối với 61 huyện nghèo")]),
    # A title that starts in lower case.
    ("Nghị định 33/2026/NĐ-CPsửa đổi Nghị định 84/2019/NĐ-CP84/2019/NĐ-CP",
     [("33/2026/NĐ-CP", "Nghị định 33/2026/NĐ-CP"), ("84/2019/NĐ-CP", "sửa đổi Nghị định 84/2019/NĐ-CP")]),
])
def test_legal_basis_cells(table, expected):
    records, complete = parse_portal_legal_basis(LEGAL + table)

    assert complete
    assert [(r.number, r.title) for r in records] == expected


def test_legal_basis_with_text_after_the_last_number_is_kept_unparsed():
    record = parse_portal_record({
        "ma_thu_tuc": "1.003478", "ten_thu_tuc": "Thủ tục thử",
        "can_cu_phap_ly": LEGAL + "Luật 79/2015/QH1379/2015/QH13Luật này quy định về phòng bệnh.Luật Thú y 2015",
    })

    assert [basis.number for basis in record.legal_basis] == ["79/2015/QH13"]
    assert record.unparsed["legal_basis"].endswith("Luật Thú y 2015")


def test_results_with_codes_of_every_shape():
    text = ("Quyết định hành chínhMã: 000.00.00.G11-KQ1711Giấy chứng nhậnMã: KQ.G15.000031"
            "văn bản trả lờiMã: Chưa xác địnhTừ khóaKhông có thông tinMô tảKhông có thông tin")

    results, complete = parse_portal_results(text)

    assert complete
    assert results == [
        {"name": "Quyết định hành chính", "code": "000.00.00.G11-KQ1711"},
        {"name": "Giấy chứng nhận", "code": "KQ.G15.000031"},
        {"name": "văn bản trả lời", "code": ""},
    ]


def test_online_service_level():
    online = ChannelRecord("online", description="Nộp hồ sơ trên Cổng Dịch vụ công quốc gia")
    in_person = ChannelRecord("in_person")

    assert online_service_level("Cấp giấy phép", [in_person]) == "none"
    assert online_service_level("Cấp giấy phép", [in_person, online]) == "partial"
    assert online_service_level("Đăng ký xe lần đầu trực tuyến toàn trình", [online]) == "full"
    full_by_description = ChannelRecord("online", description="(đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình)")
    assert online_service_level("Cấp giấy phép", [full_by_description]) == "full"
    # "đối với các TTHC đã toàn trình" is a condition, not a statement about this procedure.
    conditional = ChannelRecord("online", description="Qua Cổng DVC Quốc gia đối với các TTHC đã toàn trình")
    assert online_service_level("Khai thuế", [conditional]) == "partial"


def test_unparsed_keeps_only_the_tables_that_failed():
    record = parse_portal_record({
        "ma_thu_tuc": "9.999999", "ten_thu_tuc": "Thủ tục thử",
        "cach_thuc_thuc_hien": HEADER + "Trực tiếp5 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": "Hồ sơ gồm đơn đề nghị",
        "can_cu_phap_ly": "Không có thông tin",
    })

    assert record.channels and record.unparsed == {"components": "Hồ sơ gồm đơn đề nghị"}


@pytest.mark.parametrize(("raw", "message"), [
    ({"ten_thu_tuc": "Thủ tục thử"}, "bản ghi không có mã thủ tục"),
    ({"ma_thu_tuc": "1.000001", "ten_thu_tuc": "  "}, "bản ghi không có tên thủ tục"),
])
def test_record_without_code_or_name_is_an_error(raw, message):
    with pytest.raises(RecordError) as error:
        parse_portal_record(raw)
    assert error.value.message == message


def test_bqp_record_with_the_wrong_shape_is_an_error():
    with pytest.raises(RecordError) as error:
        parse_bqp_record({"thu_tuc_id": "1.013124", "metadata": ["không phải đối tượng"]})
    assert error.value.code == "1.013124"


def test_read_source_reports_bad_lines_and_reads_the_rest(tmp_path):
    path = tmp_path / "thu_tuc.jsonl"
    good = {"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Thủ tục thử", "cach_thuc_thuc_hien": HEADER + "Trực tiếp1 GiờMiễn phí"}
    path.write_text("\n".join(["{không phải JSON", "[1, 2]", json.dumps(good, ensure_ascii=False), ""]), encoding="utf-8")

    first, second, third = list(read_source(path))

    assert isinstance(first, RecordError) and first.code == "thu_tuc.jsonl:1"
    assert first.message.startswith("JSON không hợp lệ")
    assert isinstance(second, RecordError) and second.message == "bản ghi không phải đối tượng JSON"
    assert third.channels[0].time_limit_unit == "hour"


def test_fields_the_crawler_cut_short_are_read_from_the_page_text():
    # 3.000337: a fee note quotes "Căn cứ pháp lý", where the crawler ended the channel field and began
    # the legal-basis one; the page text still holds the whole table.
    note = "(Căn cứ pháp lý: Thông tư 269/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.)"
    table = HEADER + f"Trực tuyến1 Ngày100 VNĐ{note}Dịch vụ bưu chính1 Ngày100 VNĐ{note}"
    components = TABLE + "Bản khai Cấp tên định danh (theo Mẫu)1 bản chính"
    page = (f"Cấp lại Giấy chứng nhận tên định danhCách Thức Thực Hiện{table}Thành phần hồ sơ{components}"
            "Căn cứ pháp lýKhông có thông tinCơ quan thực hiệnCục an ninh mạng")

    record = parse_portal_record({
        "ma_thu_tuc": "3.000337", "ten_thu_tuc": "Cấp lại Giấy chứng nhận tên định danh",
        "cach_thuc_thuc_hien": HEADER + "Trực tuyến1 Ngày100 VNĐ(",
        "thanh_phan_ho_so": components,
        "can_cu_phap_ly": ": Thông tư 269/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.)Dịch vụ bưu chính1 Ngày100 VNĐ(",
        "raw_text": page,
    })

    assert [(c.kind, c.fees[0].amount, c.fees[0].text) for c in record.channels] == [
        ("online", 100, f"100 VNĐ {note}"), ("postal", 100, f"100 VNĐ {note}"),
    ]
    assert [c.name for c in record.components] == ["Bản khai Cấp tên định danh (theo Mẫu)"]
    assert record.legal_basis == []  # the page has no legal table: the mis-cut field stays unparsed
    assert "legal_basis" in record.unparsed
