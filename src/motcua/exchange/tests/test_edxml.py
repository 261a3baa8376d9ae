"""edXML packages: the public samples, build → parse round trips, and refusals naming the field.

Pure library tests: no database.
"""

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from motcua.exchange import edxml
from motcua.exchange.tests.fixtures.pki import make_cert
from motcua.units.codes import ORGAN_CODE_RE

# Copies of shared/data/misc/edxml_samples (fixtures/SOURCES.md).
SAMPLES = Path(__file__).resolve().parent / "fixtures"
NS = {"e": edxml.NS}

KEY, CERT = make_cert("Sở Tài chính tỉnh Tây Ninh", "000.00.11.H53")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def header(**overrides) -> edxml.Header:
    values = dict(
        sender=edxml.Organ("000.00.11.H53", "Sở Tài chính", "UBND tỉnh Tây Ninh", email="stc@tayninh.gov.vn"),
        recipients=(edxml.Organ("000.00.01.A53", "Văn phòng Tỉnh ủy"), edxml.Organ("000.00.00.G22", "Văn phòng Chính phủ")),
        document_id="000.00.11.H53,2026/11/26,2491/STC-BCTC", code_number="2491", code_notation="STC-BCTC",
        promulgation_place="Tây Ninh", promulgation_date=date(2026, 11, 26), document_type="Công văn",
        subject="Về việc báo cáo quyết toán ngân sách năm 2026", signer_name="Nguyễn Văn Đức",
        signer_position="Giám đốc", due_date=date(2026, 12, 15), priority=1, steering_type=1,
        response_for=("000.00.00.G22,2026/11/01,7816/VPCP-TTĐT",))
    values.update(overrides)
    return edxml.Header(**values)


def package(**overrides) -> edxml.Package:
    return edxml.Package(header(**overrides), (
        edxml.Attachment("bao-cao.pdf", "application/pdf", b"%PDF-1.7 b\xe1o c\xe1o", "Báo cáo quyết toán"),))


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def unsigned(pkg: edxml.Package | None = None) -> etree._Element:
    """The tree of a valid package, without signature, for tests that break one element."""
    root = edxml.to_element(pkg or package())
    for sig in root.iter("{http://www.w3.org/2000/09/xmldsig#}Signature"):
        sig.getparent().remove(sig)
    return root


def set_text(root, path: str, text: str | None):
    el = root.find(path, namespaces=NS)
    el.text = text
    return root


def assert_refused(data: bytes, field: str, *, parse=edxml.parse_package) -> edxml.EdxmlError:
    with pytest.raises(edxml.EdxmlError) as info:
        parse(data)
    assert info.value.field == field, info.value
    assert info.value.message  # Vietnamese, for the person who sent it
    return info.value


# ----------------------------------------------------------------------------- the public samples

def test_sample_new_document_parses_with_its_real_header():
    pkg = edxml.parse_package(sample("QuangChuIT_edoc_new.edxml"))
    h = pkg.header
    assert h.sender.organ_id == "000.00.11.H53"
    assert h.sender.organization_in_charge == "Tỉnh Tây Ninh"
    assert [o.organ_id for o in h.recipients] == ["000.00.01.A53"]
    assert h.recipients[0].name == "Văn phòng tỉnh ủy"
    assert h.document_id == "000.00.11.H53,2020/10/30,2491/STC-BCTC"
    assert (h.code_number, h.code_notation) == ("2491", "STC-BCTC")
    assert h.promulgation_place == "Tây Ninh"
    assert h.promulgation_date == date(2020, 10, 30)
    assert (h.document_type, h.document_type_code) == ("Công văn", "1")
    assert h.subject == "Báo cáo tài chính tỉnh"
    assert h.due_date is None
    assert (h.priority, h.steering_type) == (0, 1)
    assert h.business_type == 0
    assert h.to_places == ("Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP")
    [att] = pkg.attachments
    assert att.name == "1896_QD-TTg_m_294779.doc"
    assert att.content_type == "application/zip"
    assert att.data.startswith(b"PK\x03\x04") and len(att.data) == 270823


def test_sample_update_document_carries_business_type_2_and_the_updated_document():
    h = edxml.parse_package(sample("QuangChuIT_edoc_update.edxml")).header
    assert h.sender.organ_id == "000.00.00.G22"
    assert [o.organ_id for o in h.recipients] == ["000.00.00.H53", "000.00.12.H53", "000.00.00.G17"]
    assert h.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert (h.code_number, h.code_notation) == ("7816", "VPCP-TTĐT")
    assert h.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert h.promulgation_date == date(2018, 9, 28)  # this sample writes yyyy/mm/dd
    assert h.due_date == date(2018, 9, 28)
    assert h.business_type == 2
    assert h.business_reason == "Cập nhật văn bản điện tử"
    assert h.related_document_id == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"
    assert (h.signer_competence, h.signer_name) == ("TL. BO TRUONG", "Nguyen Thanh Phuc")


def test_sample_status_05_parses():
    status = edxml.parse_status(sample("QuangChuIT_status_processing_05.edxml"))
    assert status.status_code == "05"
    assert edxml.STATUS_CODES[status.status_code] == "Đang xử lý"
    assert status.sender.organ_id == "000.00.00.H41"
    assert status.sender.name == "UBND Tỉnh Nghệ An"
    assert status.recipient.organ_id == "000.00.00.G22"
    assert status.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert status.description == "Đang xử lý văn bản đến"
    assert status.timestamp == datetime(2015, 9, 20, 4, 8, 36, tzinfo=UTC)  # 11:08:36 in Vietnam
    assert (status.staff_name, status.department) == ("Nguyen thi ngoc tram", "Phong hanh chinh")


def test_samples_inspect_shows_unverifiable_signature_without_failing():
    info = edxml.inspect_package(sample("QuangChuIT_edoc_new.edxml"))
    assert info["kind"] == "document"
    assert info["from"]["organ_id"] == "000.00.11.H53"
    assert info["code_number"] == "2491"
    assert info["attachments"] == [{"name": "1896_QD-TTg_m_294779.doc", "size": 270823,
                                    "content_type": "application/zip"}]
    # The sample's Signature is SHA-1, outside the XMLDSig namespace, with a truncated certificate.
    assert info["signature"]["present"] is True
    assert info["signature"]["valid"] is None and info["signature"]["intact"] is False
    assert "XMLDSig" in info["signature"]["error"]
    with pytest.raises(edxml.SignatureError):
        edxml.verify_package(sample("QuangChuIT_edoc_new.edxml"), trusted_cert_pems=[CERT])
    status = edxml.inspect_package(sample("QuangChuIT_status_processing_05.edxml"), trusted_cert_pems=[CERT])
    assert (status["kind"], status["status_code"]) == ("status", "05")
    assert status["signature"] == {"present": False, "valid": False, "intact": False, "signer": "",
                                   "error": "Gói tin không có chữ ký số (Signature)."}


def test_parse_refuses_the_wrong_kind():
    assert_refused(sample("QuangChuIT_status_processing_05.edxml"), "StatusCode")
    assert_refused(sample("QuangChuIT_edoc_new.edxml"), "StatusCode", parse=edxml.parse_status)


# ----------------------------------------------------------------------------- round trips

def test_build_parse_verify_round_trip_keeps_every_field():
    pkg = package(to_places=("Như trên", "Lưu: VT, KHTC"), signer_competence="KT. GIÁM ĐỐC",
                  document_type_code="1", business_type=3, business_reason="Thay thế văn bản ban hành nhầm",
                  related_document_id="000.00.11.H53,2026/11/20,2400/STC-BCTC")
    data = edxml.build_package(pkg, key_pem=KEY, cert_pem=CERT)
    assert edxml.parse_package(data) == pkg
    assert edxml.verify_package(data, trusted_cert_pems=[CERT]) == pkg
    assert edxml.signer_certificate(data) == CERT
    root = etree.fromstring(data)
    # The shape of the samples: signature at the end of edXMLHeader, dates dd/mm/yyyy.
    assert root.tag == f"{{{edxml.NS}}}edXML"
    assert root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:PromulgationInfo/e:PromulgationDate",
                     NS).text == "26/11/2026"
    assert root.find("e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList/e:Bussiness/e:BussinessDocType", NS).text == "3"
    assert etree.QName(root.find("e:edXMLEnvelope/e:edXMLHeader", NS)[-1]).localname == "Signature"


def test_status_round_trip():
    key, cert = make_cert("UBND tỉnh Nghệ An", "000.00.00.H41")
    status = edxml.StatusMessage(
        sender=edxml.Organ("000.00.00.H41", "UBND tỉnh Nghệ An"), recipient=edxml.Organ("000.00.00.G22", "VPCP"),
        document_id="000.00.00.G22,2026/11/26,7816/VPCP-TTĐT", status_code="02",
        description="Văn bản gửi nhầm nơi nhận", timestamp=datetime(2026, 11, 26, 2, 30, tzinfo=UTC),
        staff_name="Trần Thị Bình", department="Văn thư")
    data = edxml.build_status(status, key_pem=key, cert_pem=cert)
    assert edxml.parse_status(data) == status
    assert edxml.verify_status(data, trusted_cert_pems=[cert]) == status
    root = etree.fromstring(data)
    mh = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)
    assert mh.find("e:Timestamp", NS).text == "2026/11/26 09:30:00"  # Vietnam time, as the sample
    assert mh.find("e:ResponseFor/e:Code", NS).text == "7816/VPCP-TTĐT"
    info = edxml.inspect_package(data, trusted_cert_pems=[cert])
    assert (info["kind"], info["status_code"], info["signature"]["valid"]) == ("status", "02", True)


_VIET = ("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
         "AĂÂĐÊÔƠƯÁẮẤÉẾÍÓỐỚÚỨÝ0123456789 ,.;:-–/()&<>\"'")
text = st.text(alphabet=_VIET, min_size=1, max_size=40).map(str.strip).filter(bool)
optional = st.one_of(st.just(""), text)
organ_ids = st.from_regex(ORGAN_CODE_RE, fullmatch=True)
organs = st.builds(edxml.Organ, organ_id=organ_ids, name=optional, organization_in_charge=optional,
                   address=optional, email=optional, telephone=optional, fax=optional, website=optional)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
attachments = st.builds(edxml.Attachment, name=text,
                        content_type=st.sampled_from(["application/pdf", "application/zip", "image/png",
                                                      "application/vnd.openxmlformats-officedocument"
                                                      ".wordprocessingml.document"]),
                        data=st.binary(max_size=3000), description=optional)


@st.composite
def headers(draw):
    recipients = draw(st.lists(organs, min_size=1, max_size=5, unique_by=lambda o: o.organ_id))
    business_type = draw(st.integers(0, 3))
    return edxml.Header(
        sender=draw(organs), recipients=tuple(recipients), document_id=draw(text), code_number=draw(text),
        code_notation=draw(text), promulgation_place=draw(optional), promulgation_date=draw(dates),
        document_type=draw(text), subject=draw(text), signer_name=draw(optional),
        signer_position=draw(optional), due_date=draw(st.none() | dates), priority=draw(st.integers(0, 3)),
        steering_type=draw(st.integers(0, 9)), response_for=tuple(draw(st.lists(text, max_size=3))),
        business_type=business_type,
        business_reason=draw(text if business_type else optional),
        related_document_id=draw(text if business_type else optional),
        signer_competence=draw(optional), document_type_code=draw(st.sampled_from(["", "1", "2", "13"])),
        to_places=tuple(draw(st.lists(text, max_size=3))))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(h=headers(), atts=st.lists(attachments, max_size=3))
def test_property_build_then_parse_and_verify_is_identity(h, atts):
    pkg = edxml.Package(h, tuple(atts))
    data = edxml.build_package(pkg, key_pem=KEY, cert_pem=CERT)
    assert edxml.parse_package(data) == pkg
    assert edxml.verify_package(data, trusted_cert_pems=[CERT]) == pkg


@settings(max_examples=30, deadline=None)
@given(sender=organs, recipient=organs, document_id=text, code=st.sampled_from(sorted(edxml.STATUS_CODES)),
       description=text, staff=optional, department=optional,
       when=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1),
                         timezones=st.sampled_from([UTC, edxml.VN_TZ, timezone(timedelta(hours=-5))])))
def test_property_status_round_trip(sender, recipient, document_id, code, description, staff, department, when):
    status = edxml.StatusMessage(sender=sender, recipient=recipient, document_id=document_id, status_code=code,
                                 description=description, timestamp=when.replace(microsecond=0),
                                 staff_name=staff, department=department)
    assert edxml.parse_status(edxml.build_status(status, key_pem=KEY, cert_pem=CERT)) == status


# ----------------------------------------------------------------------------- refusals

@pytest.mark.parametrize(("overrides", "field"), [
    ({"recipients": ()}, "To"),
    ({"recipients": (edxml.Organ("000.00.01.A53"), edxml.Organ("000.00.01.A53"))}, "To"),
    ({"document_id": ""}, "DocumentId"),
    ({"code_number": " "}, "Code/CodeNumber"),
    ({"code_notation": ""}, "Code/CodeNotation"),
    ({"subject": ""}, "Subject"),
    ({"sender": edxml.Organ("H53")}, "From/OrganId"),
    ({"recipients": (edxml.Organ("000.00.01.a53"),)}, "To/OrganId"),
    ({"priority": 7}, "OtherInfo/Priority"),
    ({"business_type": 4, "business_reason": "x", "related_document_id": "y"},
     "TraceHeaderList/Bussiness/BussinessDocType"),
    ({"business_type": 1, "related_document_id": "000.00.11.H53,2026/11/20,1/STC"},
     "TraceHeaderList/Bussiness/BussinessDocReason"),
    ({"business_type": 2, "business_reason": "Sửa lỗi chính tả"}, "TraceHeaderList/Bussiness/DocumentId"),
    ({"subject": "Trích yếu \x07 chuông"}, "Subject"),
])
def test_build_refuses_invalid_headers(overrides, field):
    with pytest.raises(edxml.EdxmlError) as info:
        edxml.build_package(package(**overrides), key_pem=KEY, cert_pem=CERT)
    assert info.value.field == field
    if field == "To" and not overrides["recipients"]:
        assert info.value.message == "Gói tin phải có ít nhất một cơ quan nhận (To)."


@pytest.mark.parametrize("business_type", [1, 2, 3])
def test_parse_refuses_business_types_1_to_3_without_reason(business_type):
    pkg = package(business_type=business_type, business_reason="lý do",
                  related_document_id="000.00.11.H53,2026/11/20,1/STC")
    root = set_text(unsigned(pkg), "e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList/e:Bussiness/e:BussinessDocReason",
                    None)
    err = assert_refused(serialize(root), "TraceHeaderList/Bussiness/BussinessDocReason")
    assert "lý do" in err.message


@pytest.mark.parametrize(("path", "value", "field"), [
    ("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:DocumentId", None, "DocumentId"),
    ("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:PromulgationInfo/e:PromulgationDate", "31/02/2026",
     "PromulgationInfo/PromulgationDate"),
    ("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:DueDate", "ngày mai", "DueDate"),
    ("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:OtherInfo/e:Priority", "khẩn", "OtherInfo/Priority"),
    ("e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList/e:Bussiness/e:BussinessDocType", "9",
     "TraceHeaderList/Bussiness/BussinessDocType"),
    ("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:From/e:OrganId", "000.00.11.H5", "From/OrganId"),
    ("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", "JVBERi0xLjc*==",
     "AttachmentEncoded/Attachment[1]/ContentTransferEncoded"),
    ("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", "JVBERi0xLjc",
     "AttachmentEncoded/Attachment[1]/ContentTransferEncoded"),
    ("e:AttachmentEncoded/e:Attachment/e:ContentId", "cid:99", "edXMLBody/edXMLManifest"),
])
def test_parse_refuses_bad_elements(path, value, field):
    assert_refused(serialize(set_text(unsigned(), path, value)), field)


def test_parse_refuses_a_package_without_recipients():
    root = unsigned()
    for to in root.findall("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:To", NS):
        to.getparent().remove(to)
    err = assert_refused(serialize(root), "To")
    assert err.message == "Gói tin phải có ít nhất một cơ quan nhận (To)."


def test_base64_with_line_breaks_is_accepted():
    data = "\x00\x01 nội dung ".encode() * 40
    root = unsigned(edxml.Package(header(), (edxml.Attachment("a.bin", "application/octet-stream", data),)))
    encoded = base64.encodebytes(data).decode()  # wrapped at 76 characters, like many peers
    set_text(root, "e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", encoded)
    assert edxml.parse_package(serialize(root)).attachments[0].data == data


def test_wrong_root_or_namespace_is_refused():
    assert_refused(b"<edXML><edXMLEnvelope/></edXML>", "edXML")
    assert_refused(b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><x/></edXML>', "edXMLEnvelope")
    assert_refused(b"not xml at all", "edXML")
    assert_refused(b"", "edXML")


def _status_tree(code="05", description="Đang xử lý") -> etree._Element:
    status = edxml.StatusMessage(
        sender=edxml.Organ("000.00.00.H41"), recipient=edxml.Organ("000.00.00.G22"),
        document_id="000.00.00.G22,2026/11/26,7816/VPCP-TTĐT", status_code="05", description="Đang xử lý",
        timestamp=datetime(2026, 11, 26, 9, 0, tzinfo=edxml.VN_TZ))
    root = etree.fromstring(edxml.build_status(status, key_pem=KEY, cert_pem=CERT))
    mh = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)
    mh.find("e:StatusCode", NS).text = code
    mh.find("e:Description", NS).text = description
    return root


@pytest.mark.parametrize(("code", "description", "field"), [
    ("07", "x", "StatusCode"),
    ("5", "x", "StatusCode"),
    ("02", None, "Description"),
    ("16", "   ", "Description"),
])
def test_status_refusals(code, description, field):
    assert_refused(serialize(_status_tree(code, description)), field, parse=edxml.parse_status)
    status = edxml.StatusMessage(
        sender=edxml.Organ("000.00.00.H41"), recipient=edxml.Organ("000.00.00.G22"), document_id="d",
        status_code=code, description=description or "", timestamp=datetime(2026, 11, 26, tzinfo=UTC))
    with pytest.raises(edxml.EdxmlError) as info:
        edxml.build_status(status, key_pem=KEY, cert_pem=CERT)
    assert info.value.field == field


def test_status_reason_codes_and_labels():
    assert set(edxml.STATUS_CODES) == {"01", "02", "03", "04", "05", "06", "13", "15", "16"}
    assert set(edxml.STATUS_REASON_REQUIRED) == {"02", "16"}
    assert all(edxml.STATUS_CODES.values())
