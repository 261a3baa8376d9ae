"""edXML packages (QCVN 102:2016/BTTTT): build, parse, sign and verify.

A pure library (no models, no database): the hub and the agency client (`services.py`,
`client.py`) call it. The element names and nesting follow the three public samples in
`shared/data/misc/edxml_samples/` (namespace `http://www.mic.gov.vn/TBT/QCVN_102_2016`, root
`edXML`, `edXMLEnvelope/edXMLHeader/MessageHeader`, `TraceHeaderList/Bussiness` with the
standard's own spelling, `edXMLBody/edXMLManifest`, `AttachmentEncoded`). docs/exchange-edxml.md
maps each element to a field and explains the signature profile and the security rules.

Every refusal is an `EdxmlError` naming the element (`.field`) with a Vietnamese `.message`.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from motcua.exchange import xmlsig
from motcua.units.codes import ORGAN_CODE_RE

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
NSMAP = {"edXML": NS}
SIGNATURE_LOCATION = "./edXML:edXMLEnvelope/edXML:edXMLHeader/"
DEFAULT_MAX_PACKAGE_BYTES = 20 * 1024 * 1024
MAX_PACKAGE_BYTES = DEFAULT_MAX_PACKAGE_BYTES  # the default; the setting wins at call time
# The largest attachment one base64 text node can carry under libxml2's default limits (xmlsig.py).
MAX_ATTACHMENT_BYTES = xmlsig.MAX_TEXT_NODE // 4 * 3 - 3
# Vietnam has kept UTC+7 without daylight saving since 1975; edXML timestamps carry no offset.
VN_TZ = timezone(timedelta(hours=7), "ICT")

STATUS_CODES: dict[str, str] = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận (vào sổ)",
    "04": "Đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Yêu cầu lấy lại",
    "15": "Lấy lại thành công",
    "16": "Từ chối lấy lại",
}
STATUS_REASON_REQUIRED = frozenset({"02", "16"})

BUSINESS_TYPES: dict[int, str] = {0: "Văn bản mới", 1: "Thu hồi", 2: "Cập nhật", 3: "Thay thế"}
PRIORITIES: dict[int, str] = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc"}

# Characters XML 1.0 cannot carry at all (C0 controls except tab/newline/CR, surrogates, U+FFFE/F).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE_FORMATS = ("%d/%m/%Y", "%Y/%m/%d", "%Y-%m-%d")
_TIMESTAMP_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


class EdxmlError(ValueError):
    """A package or status message that cannot be accepted; `.field` names the element."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SignatureError(EdxmlError):
    """Missing, broken, untrusted or wrapped signature; `.reason` is a stable English code."""

    def __init__(self, field: str, message: str, reason: str = "signature"):
        super().__init__(field, message)
        self.reason = reason


@dataclass(frozen=True)
class Organ:
    organ_id: str
    name: str = ""
    organization_in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class Header:
    sender: Organ
    recipients: tuple[Organ, ...]
    document_id: str
    code_number: str
    code_notation: str
    promulgation_place: str
    promulgation_date: date
    document_type: str
    subject: str
    signer_name: str = ""
    signer_position: str = ""
    due_date: date | None = None
    priority: int = 0
    steering_type: int = 0
    response_for: tuple[str, ...] = ()  # DocumentIds this document answers
    business_type: int = 0
    business_reason: str = ""
    related_document_id: str = ""  # for business types 1-3: the DocumentId revoked/updated/replaced
    # Beyond the shared contract: kept so nothing a peer sends is lost on the way through.
    signer_competence: str = ""  # thẩm quyền ký: TM., KT., Q., TL., TUQ.
    document_type_code: str = ""  # DocumentType/Type (the peer's numeric code)
    to_places: tuple[str, ...] = ()  # nơi nhận as free text (ToPlaces/Place)


@dataclass(frozen=True)
class Package:
    header: Header
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True)
class StatusMessage:
    sender: Organ  # who reports
    recipient: Organ  # the original sender of the document
    document_id: str
    status_code: str  # "01".."16"
    description: str
    timestamp: datetime
    staff_name: str = ""
    department: str = ""


# ----------------------------------------------------------------------------- helpers

def max_package_bytes() -> int:
    """MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES when Django settings are available, else the default."""
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, "MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES", DEFAULT_MAX_PACKAGE_BYTES))
    except ImportError:  # pragma: no cover - Django is a dependency, but the library does not need it
        pass
    return DEFAULT_MAX_PACKAGE_BYTES


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _find(parent: etree._Element | None, path: str) -> etree._Element | None:
    if parent is None:
        return None
    return parent.find("/".join(f"edXML:{p}" for p in path.split("/")), namespaces=NSMAP)


def _findall(parent: etree._Element | None, path: str) -> list[etree._Element]:
    if parent is None:
        return []
    return parent.findall("/".join(f"edXML:{p}" for p in path.split("/")), namespaces=NSMAP)


def _text(parent: etree._Element | None, path: str) -> str:
    el = _find(parent, path)
    return _own_text(el) if el is not None else ""


def _own_text(el: etree._Element) -> str:
    """The element's text, whole even when a comment or processing instruction splits it (`el.text`
    alone would stop at `<!---->`; exclusive c14n drops comments, so they are not signed)."""
    parts = [el.text or ""] + [child.tail or "" for child in el if not isinstance(child.tag, str)]
    return "".join(parts).strip()


def _sub(parent: etree._Element, name: str, text: str | None = None, field: str | None = None, *,
         check: bool = True) -> etree._Element:
    el = etree.SubElement(parent, _q(name))
    if text:
        if check and _XML_ILLEGAL.search(text):
            raise EdxmlError(field or name, "Có ký tự điều khiển không được phép trong XML.")
        el.text = text
    return el


def _parse_date(value: str, field: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise EdxmlError(field, f"Ngày “{value}” không hợp lệ (định dạng dd/mm/yyyy).")


def _parse_timestamp(value: str, field: str) -> datetime:
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    raise EdxmlError(field, f"Thời điểm “{value}” không hợp lệ (định dạng yyyy/mm/dd hh:mm:ss).")


def _format_timestamp(value: datetime) -> str:
    local = value.astimezone(VN_TZ) if value.tzinfo else value
    return local.strftime("%Y/%m/%d %H:%M:%S")


def _parse_int(value: str, field: str, allowed: range | dict, default: int = 0) -> int:
    if value == "":
        return default
    if not re.fullmatch(r"[0-9]{1,3}", value):
        raise EdxmlError(field, f"Giá trị “{value}” phải là số nguyên.")
    number = int(value)
    if number not in allowed:
        raise EdxmlError(field, f"Giá trị {number} không nằm trong danh mục cho phép.")
    return number


def _check_organ(organ: Organ, field: str) -> None:
    if not isinstance(organ, Organ) or not organ.organ_id:
        raise EdxmlError(f"{field}/OrganId", "Thiếu mã định danh cơ quan (OrganId).")
    if not ORGAN_CODE_RE.match(organ.organ_id):
        raise EdxmlError(f"{field}/OrganId", f"Mã định danh cơ quan “{organ.organ_id}” không đúng dạng "
                         "XXX.YY.ZZ.Lnn (QCVN 102:2016), ví dụ 000.00.11.H53.")


def _document_id_parts(document_id: str) -> tuple[str, str, str]:
    """(organ id, promulgation date, number/notation) from `organ,yyyy/mm/dd,number/notation[,...]`,
    the form the samples use; empty strings when the id has another shape (it stays opaque)."""
    parts = [p.strip() for p in document_id.split(",")]
    return (parts + ["", "", ""])[0], (parts + ["", ""])[1], (parts + ["", "", ""])[2]


def _xml_error(exc: xmlsig.XmlInputError) -> EdxmlError:
    return EdxmlError("edXML", exc.message)


def _parse_root(data: bytes, max_bytes: int | None) -> etree._Element:
    try:
        root = xmlsig.parse_xml(data, max_bytes=max_bytes or max_package_bytes())
    except xmlsig.XmlInputError as exc:
        raise _xml_error(exc) from None
    if root.tag != _q("edXML"):
        raise EdxmlError("edXML", f"Phần tử gốc phải là edXML trong không gian tên {NS}, không phải “{root.tag}”.")
    return root


def _message_header(root: etree._Element) -> etree._Element:
    envelope = _find(root, "edXMLEnvelope")
    if envelope is None:
        raise EdxmlError("edXMLEnvelope", "Thiếu phần tử edXMLEnvelope.")
    header = _find(envelope, "edXMLHeader/MessageHeader")
    if header is None:
        raise EdxmlError("edXMLHeader/MessageHeader", "Thiếu phần tử edXMLHeader/MessageHeader.")
    if len(_findall(envelope, "edXMLHeader/MessageHeader")) > 1 or len(_findall(root, "edXMLEnvelope")) > 1:
        raise EdxmlError("MessageHeader", "Gói tin chỉ được có một edXMLEnvelope và một MessageHeader.")
    return header


def _is_status(message_header: etree._Element) -> bool:
    return _find(message_header, "StatusCode") is not None


# ----------------------------------------------------------------------------- validation

def _validate_header(h: Header) -> None:
    _check_organ(h.sender, "From")
    if not h.recipients:
        raise EdxmlError("To", "Gói tin phải có ít nhất một cơ quan nhận (To).")
    seen = set()
    for organ in h.recipients:
        _check_organ(organ, "To")
        if organ.organ_id in seen:
            raise EdxmlError("To", f"Cơ quan nhận {organ.organ_id} bị lặp.")
        seen.add(organ.organ_id)
    if not (h.document_id or "").strip():
        raise EdxmlError("DocumentId", "Thiếu mã văn bản toàn cục (DocumentId).")
    if len(h.document_id) > 500:
        raise EdxmlError("DocumentId", "Mã văn bản (DocumentId) dài quá 500 ký tự.")
    if not (h.code_number or "").strip():
        raise EdxmlError("Code/CodeNumber", "Thiếu số văn bản (CodeNumber).")
    if not (h.code_notation or "").strip():
        raise EdxmlError("Code/CodeNotation", "Thiếu ký hiệu văn bản (CodeNotation).")
    if not isinstance(h.promulgation_date, date):
        raise EdxmlError("PromulgationInfo/PromulgationDate", "Thiếu ngày ban hành.")
    if not (h.subject or "").strip():
        raise EdxmlError("Subject", "Thiếu trích yếu văn bản (Subject).")
    if h.priority not in PRIORITIES:
        raise EdxmlError("OtherInfo/Priority", f"Độ khẩn {h.priority} không hợp lệ (0 thường, 1 khẩn, "
                         "2 thượng khẩn, 3 hỏa tốc).")
    if not isinstance(h.steering_type, int) or not 0 <= h.steering_type <= 999:
        raise EdxmlError("SteeringType", "Loại chỉ đạo (SteeringType) phải là số nguyên không âm.")
    _validate_business(h)


def _validate_business(h: Header) -> None:
    if h.business_type not in BUSINESS_TYPES:
        raise EdxmlError("TraceHeaderList/Bussiness/BussinessDocType", f"Loại nghiệp vụ {h.business_type} "
                         "không hợp lệ (0 mới, 1 thu hồi, 2 cập nhật, 3 thay thế).")
    if h.business_type:
        label = BUSINESS_TYPES[h.business_type].lower()
        if not (h.business_reason or "").strip():
            raise EdxmlError("TraceHeaderList/Bussiness/BussinessDocReason",
                             f"Gói tin {label} văn bản phải nêu lý do (BussinessDocReason).")
        if not (h.related_document_id or "").strip():
            raise EdxmlError("TraceHeaderList/Bussiness/DocumentId",
                             f"Gói tin {label} phải nêu mã văn bản bị {label} (Bussiness/DocumentId).")


def _validate_attachment(att: Attachment, index: int) -> None:
    field = f"AttachmentEncoded/Attachment[{index}]"
    if not (att.name or "").strip():
        raise EdxmlError(f"{field}/AttachmentName", "Tệp đính kèm phải có tên (AttachmentName).")
    if not isinstance(att.data, (bytes, bytearray)):
        raise EdxmlError(f"{field}/ContentTransferEncoded", "Nội dung tệp đính kèm phải là bytes.")
    if len(att.data) > MAX_ATTACHMENT_BYTES:
        raise EdxmlError(f"{field}/ContentTransferEncoded",
                         f"Tệp “{att.name}” ({len(att.data):,} byte) vượt giới hạn {MAX_ATTACHMENT_BYTES:,} byte "
                         "cho một tệp đính kèm.")


def _validate_status(s: StatusMessage) -> None:
    _check_organ(s.sender, "From")
    _check_organ(s.recipient, "ResponseFor")
    if not (s.document_id or "").strip():
        raise EdxmlError("ResponseFor/DocumentId", "Thiếu mã văn bản được báo trạng thái (DocumentId).")
    if s.status_code not in STATUS_CODES:
        raise EdxmlError("StatusCode", f"Mã trạng thái “{s.status_code}” không có trong danh mục "
                         f"({', '.join(STATUS_CODES)}).")
    if s.status_code in STATUS_REASON_REQUIRED and not (s.description or "").strip():
        raise EdxmlError("Description", f"Trạng thái {s.status_code} ({STATUS_CODES[s.status_code]}) "
                         "phải nêu lý do (Description).")
    if not isinstance(s.timestamp, datetime):
        raise EdxmlError("Timestamp", "Thiếu thời điểm của trạng thái (Timestamp).")


# ----------------------------------------------------------------------------- build

def _organ_element(parent: etree._Element, tag: str, organ: Organ) -> None:
    el = _sub(parent, tag)
    _sub(el, "OrganId", organ.organ_id, f"{tag}/OrganId")
    _sub(el, "OrganizationInCharge", organ.organization_in_charge, f"{tag}/OrganizationInCharge")
    _sub(el, "OrganName", organ.name, f"{tag}/OrganName")
    _sub(el, "OrganAdd", organ.address, f"{tag}/OrganAdd")
    _sub(el, "Email", organ.email, f"{tag}/Email")
    _sub(el, "Telephone", organ.telephone, f"{tag}/Telephone")
    _sub(el, "Fax", organ.fax, f"{tag}/Fax")
    _sub(el, "Website", organ.website, f"{tag}/Website")


def _response_for_element(parent: etree._Element, document_id: str, organ_id: str = "") -> None:
    organ, when, code = _document_id_parts(document_id)
    el = _sub(parent, "ResponseFor")
    _sub(el, "OrganId", organ_id or organ, "ResponseFor/OrganId")
    _sub(el, "Code", code, "ResponseFor/Code")
    _sub(el, "PromulgationDate", when, "ResponseFor/PromulgationDate")
    _sub(el, "DocumentId", document_id, "ResponseFor/DocumentId")


def _skeleton() -> tuple[etree._Element, etree._Element, etree._Element]:
    root = etree.Element(_q("edXML"), nsmap=NSMAP)
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    return root, envelope, header


def _placeholder(parent: etree._Element) -> None:
    sig = etree.SubElement(parent, f"{{{xmlsig.DS_NS}}}Signature", nsmap={"ds": xmlsig.DS_NS})
    sig.set("Id", "placeholder")


def _sign(root: etree._Element, key_pem: bytes, cert_pem: bytes) -> bytes:
    try:
        data = xmlsig.sign_enveloped(root, key_pem=key_pem, cert_pem=cert_pem)
    except xmlsig.XmlSignatureError as exc:
        raise SignatureError("Signature", exc.message, exc.reason) from None
    limit = max_package_bytes()
    if len(data) > limit:
        raise EdxmlError("AttachmentEncoded", f"Gói tin sau khi ký dài {len(data):,} byte, vượt giới hạn "
                         f"{limit:,} byte.")
    return data


def to_element(package: Package) -> etree._Element:
    """The unsigned edXML tree of `package` (with a signature placeholder at the end of edXMLHeader)."""
    h = package.header
    _validate_header(h)
    for index, att in enumerate(package.attachments, 1):
        _validate_attachment(att, index)
    root, envelope, header = _skeleton()
    mh = _sub(header, "MessageHeader")
    _organ_element(mh, "From", h.sender)
    for organ in h.recipients:
        _organ_element(mh, "To", organ)
    _sub(mh, "DocumentId", h.document_id, "DocumentId")
    code = _sub(mh, "Code")
    _sub(code, "CodeNumber", h.code_number, "Code/CodeNumber")
    _sub(code, "CodeNotation", h.code_notation, "Code/CodeNotation")
    info = _sub(mh, "PromulgationInfo")
    _sub(info, "Place", h.promulgation_place, "PromulgationInfo/Place")
    _sub(info, "PromulgationDate", h.promulgation_date.strftime("%d/%m/%Y"))
    doc_type = _sub(mh, "DocumentType")
    _sub(doc_type, "Type", h.document_type_code, "DocumentType/Type")
    _sub(doc_type, "TypeName", h.document_type, "DocumentType/TypeName")
    _sub(mh, "Subject", h.subject, "Subject")
    _sub(mh, "Content", h.subject, "Subject")
    signer = _sub(mh, "SignerInfo")
    _sub(signer, "Competence", h.signer_competence, "SignerInfo/Competence")
    _sub(signer, "Position", h.signer_position, "SignerInfo/Position")
    _sub(signer, "FullName", h.signer_name, "SignerInfo/FullName")
    _sub(mh, "DueDate", h.due_date.strftime("%d/%m/%Y") if h.due_date else "")
    other = _sub(mh, "OtherInfo")
    _sub(other, "Priority", str(h.priority))
    for document_id in h.response_for:
        _response_for_element(mh, document_id)
    _sub(mh, "SteeringType", str(h.steering_type))
    if h.to_places:
        places = _sub(mh, "ToPlaces")
        for place in h.to_places:
            _sub(places, "Place", place, "ToPlaces/Place")

    trace = _sub(header, "TraceHeaderList")
    hop = _sub(trace, "TraceHeader")
    _sub(hop, "OrganId", h.sender.organ_id)
    _sub(hop, "Timestamp", _format_timestamp(datetime.now(VN_TZ)))
    business = _sub(trace, "Bussiness")
    _sub(business, "DocumentId", h.related_document_id, "TraceHeaderList/Bussiness/DocumentId")
    _sub(business, "BussinessDocType", str(h.business_type))
    _sub(business, "BussinessDocReason", h.business_reason, "TraceHeaderList/Bussiness/BussinessDocReason")
    _sub(business, "Paper", "0")
    _placeholder(header)

    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _sub(root, "AttachmentEncoded")
    for index, att in enumerate(package.attachments, 1):
        content_id = f"cid:{index}"
        content_type = att.content_type or "application/octet-stream"
        field = f"AttachmentEncoded/Attachment[{index}]"
        for parent, data_too in ((manifest, False), (encoded, True)):
            el = _sub(parent, "Reference" if not data_too else "Attachment")
            _sub(el, "ContentId", content_id)
            _sub(el, "ContentType", content_type, f"{field}/ContentType")
            _sub(el, "Description", att.description, f"{field}/Description")
            _sub(el, "AttachmentName", att.name, f"{field}/AttachmentName")
            if data_too:
                _sub(el, "ContentTransferEncoded", base64.b64encode(bytes(att.data)).decode("ascii"), check=False)
    return root


def build_package(package: Package, *, key_pem: bytes, cert_pem: bytes) -> bytes:
    """The signed (enveloped XMLDSig over the whole document) edXML bytes of `package`."""
    return _sign(to_element(package), key_pem, cert_pem)


def build_status(status: StatusMessage, *, key_pem: bytes, cert_pem: bytes) -> bytes:
    """A signed status message (QCVN 102 status package: From, ResponseFor, StaffInfo, StatusCode,
    Description, Timestamp; plus To with the original sender's details)."""
    _validate_status(status)
    root, _envelope, header = _skeleton()
    mh = _sub(header, "MessageHeader")
    _organ_element(mh, "From", status.sender)
    _organ_element(mh, "To", status.recipient)
    _response_for_element(mh, status.document_id, status.recipient.organ_id)
    staff = _sub(mh, "StaffInfo")
    _sub(staff, "Department", status.department, "StaffInfo/Department")
    _sub(staff, "Staff", status.staff_name, "StaffInfo/Staff")
    _sub(mh, "StatusCode", status.status_code)
    _sub(mh, "Description", status.description, "Description")
    _sub(mh, "Timestamp", _format_timestamp(status.timestamp))
    _placeholder(header)
    return _sign(root, key_pem, cert_pem)


# ----------------------------------------------------------------------------- parse

def _organ(el: etree._Element | None, field: str) -> Organ:
    if el is None:
        raise EdxmlError(field, f"Thiếu thông tin cơ quan ({field}).")
    organ = Organ(
        organ_id=_text(el, "OrganId"), name=_text(el, "OrganName"),
        organization_in_charge=_text(el, "OrganizationInCharge"), address=_text(el, "OrganAdd"),
        email=_text(el, "Email"), telephone=_text(el, "Telephone"), fax=_text(el, "Fax"),
        website=_text(el, "Website"))
    _check_organ(organ, field)
    return organ


def _attachments(root: etree._Element) -> tuple[Attachment, ...]:
    result = []
    ids = set()
    for index, el in enumerate(_findall(root, "AttachmentEncoded/Attachment"), 1):
        field = f"AttachmentEncoded/Attachment[{index}]"
        encoded = _find(el, "ContentTransferEncoded")
        if encoded is None:
            raise EdxmlError(f"{field}/ContentTransferEncoded", "Tệp đính kèm thiếu nội dung (ContentTransferEncoded).")
        try:
            data = xmlsig.b64decode_strict(_own_text(encoded))
        except (binascii.Error, ValueError):
            raise EdxmlError(f"{field}/ContentTransferEncoded",
                             f"Nội dung tệp “{_text(el, 'AttachmentName')}” không phải base64 hợp lệ.") from None
        att = Attachment(name=_text(el, "AttachmentName"), content_type=_text(el, "ContentType"), data=data,
                         description=_text(el, "Description"))
        _validate_attachment(att, index)
        ids.add(_text(el, "ContentId"))
        result.append(att)
    for ref in _findall(root, "edXMLEnvelope/edXMLBody/edXMLManifest/Reference"):
        content_id = _text(ref, "ContentId")
        if content_id and content_id not in ids:
            raise EdxmlError("edXMLBody/edXMLManifest", f"Danh mục đính kèm ghi “{content_id}” nhưng gói tin "
                             "không có tệp tương ứng trong AttachmentEncoded.")
    return tuple(result)


def _response_for_ids(mh: etree._Element) -> tuple[str, ...]:
    ids = []
    for el in _findall(mh, "ResponseFor"):
        document_id = _text(el, "DocumentId")
        if not document_id and _text(el, "OrganId"):
            document_id = f"{_text(el, 'OrganId')},{_text(el, 'PromulgationDate')},{_text(el, 'Code')}"
        if document_id:
            ids.append(document_id)
    return tuple(ids)


def _package_from_root(root: etree._Element) -> Package:
    mh = _message_header(root)
    if _is_status(mh):
        raise EdxmlError("StatusCode", "Đây là thông điệp trạng thái, không phải gói tin văn bản.")
    business = _find(root, "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness")
    due = _text(mh, "DueDate")
    header = Header(
        sender=_organ(_find(mh, "From"), "From"),
        recipients=tuple(_organ(el, "To") for el in _findall(mh, "To")),
        document_id=_text(mh, "DocumentId"),
        code_number=_text(mh, "Code/CodeNumber"),
        code_notation=_text(mh, "Code/CodeNotation"),
        promulgation_place=_text(mh, "PromulgationInfo/Place"),
        promulgation_date=_parse_date(_text(mh, "PromulgationInfo/PromulgationDate"),
                                      "PromulgationInfo/PromulgationDate"),
        document_type=_text(mh, "DocumentType/TypeName") or _text(mh, "DocumentType/Type"),
        document_type_code=_text(mh, "DocumentType/Type"),
        subject=_text(mh, "Subject"),
        signer_name=_text(mh, "SignerInfo/FullName"),
        signer_position=_text(mh, "SignerInfo/Position"),
        signer_competence=_text(mh, "SignerInfo/Competence"),
        due_date=_parse_date(due, "DueDate") if due else None,
        priority=_parse_int(_text(mh, "OtherInfo/Priority"), "OtherInfo/Priority", PRIORITIES),
        steering_type=_parse_int(_text(mh, "SteeringType"), "SteeringType", range(1000)),
        response_for=_response_for_ids(mh),
        business_type=_parse_int(_text(business, "BussinessDocType"),
                                 "TraceHeaderList/Bussiness/BussinessDocType", BUSINESS_TYPES),
        business_reason=_text(business, "BussinessDocReason"),
        related_document_id=_text(business, "DocumentId"),
        to_places=tuple(p for p in (
            _own_text(el) for el in _findall(mh, "ToPlaces/Place")) if p),
    )
    _validate_header(header)
    return Package(header=header, attachments=_attachments(root))


def _status_from_root(root: etree._Element) -> StatusMessage:
    mh = _message_header(root)
    if not _is_status(mh):
        raise EdxmlError("StatusCode", "Đây là gói tin văn bản, không phải thông điệp trạng thái (thiếu StatusCode).")
    response_for = _find(mh, "ResponseFor")
    if response_for is None:
        raise EdxmlError("ResponseFor", "Thông điệp trạng thái phải nêu văn bản được báo (ResponseFor).")
    document_id = _text(response_for, "DocumentId")
    to = _find(mh, "To")
    if to is not None:
        recipient = _organ(to, "To")
        claimed = _text(response_for, "OrganId")
        if claimed and claimed != recipient.organ_id:
            raise EdxmlError("ResponseFor/OrganId", f"ResponseFor ghi cơ quan {claimed} nhưng To ghi "
                             f"{recipient.organ_id}.")
    else:
        recipient = _organ(response_for, "ResponseFor")
    timestamp = _text(mh, "Timestamp")
    if not timestamp:
        raise EdxmlError("Timestamp", "Thiếu thời điểm của trạng thái (Timestamp).")
    status = StatusMessage(
        sender=_organ(_find(mh, "From"), "From"), recipient=recipient, document_id=document_id,
        status_code=_text(mh, "StatusCode"), description=_text(mh, "Description"),
        timestamp=_parse_timestamp(timestamp, "Timestamp"),
        staff_name=_text(mh, "StaffInfo/Staff"), department=_text(mh, "StaffInfo/Department"))
    _validate_status(status)
    return status


def parse_package(data: bytes, *, max_bytes: int | None = None) -> Package:
    """Safely parse and validate a document package. The signature is NOT checked (inspection,
    the public samples); anything acted upon must come from `verify_package`."""
    return _package_from_root(_parse_root(data, max_bytes))


def parse_status(data: bytes, *, max_bytes: int | None = None) -> StatusMessage:
    return _status_from_root(_parse_root(data, max_bytes))


def _verified_root(data: bytes, trusted_cert_pems: list[bytes], max_bytes: int | None) -> etree._Element:
    root = _parse_root(data, max_bytes)
    try:
        verified = xmlsig.verify_enveloped(data, root, trusted_cert_pems=list(trusted_cert_pems or []),
                                           location=SIGNATURE_LOCATION, namespaces=NSMAP)
    except xmlsig.XmlSignatureError as exc:
        raise SignatureError("Signature", exc.message, exc.reason) from None
    signed = verified.root
    if signed.tag != _q("edXML"):
        raise SignatureError("Signature", "Phần được ký không phải toàn bộ gói tin edXML.", "partial")
    return signed


def verify_package(data: bytes, *, trusted_cert_pems: list[bytes], max_bytes: int | None = None) -> Package:
    """Verify the enveloped signature against one of `trusted_cert_pems` (the sender's registered
    certificates) and return the Package read ONLY from the signed content."""
    return _package_from_root(_verified_root(data, trusted_cert_pems, max_bytes))


def verify_status(data: bytes, *, trusted_cert_pems: list[bytes], max_bytes: int | None = None) -> StatusMessage:
    return _status_from_root(_verified_root(data, trusted_cert_pems, max_bytes))


def signer_certificate(data: bytes, *, max_bytes: int | None = None) -> bytes | None:
    """The X.509 certificate (PEM) embedded in the signature's KeyInfo, if any: who claims to have
    signed. It proves nothing by itself; compare it with the registered certificates."""
    cert = xmlsig.embedded_certificate(_parse_root(data, max_bytes))
    return xmlsig.pem(cert) if cert is not None else None


def _organ_json(organ: Organ) -> dict:
    return {"organ_id": organ.organ_id, "name": organ.name}


def inspect_package(data: bytes, *, trusted_cert_pems: list[bytes] | None = None,
                    max_bytes: int | None = None) -> dict:
    """A JSON-ready summary of a package or status message and of its signature.

    `signature.valid` is True/False when `trusted_cert_pems` is given (verified against them, the
    only check that means anything), None otherwise; `signature.intact` says whether the content
    still matches the signature under the certificate it embeds (integrity only, not trust).
    Malformed input raises EdxmlError; signature problems are reported, not raised.
    """
    root = _parse_root(data, max_bytes)
    mh = _message_header(root)
    if _is_status(mh):
        status = _status_from_root(root)
        info = {
            "kind": "status", "from": _organ_json(status.sender), "to": [_organ_json(status.recipient)],
            "document_id": status.document_id, "status_code": status.status_code,
            "status_name": STATUS_CODES[status.status_code], "description": status.description,
            "timestamp": status.timestamp.isoformat(), "code_number": None, "code_notation": None,
            "subject": None, "business_type": None, "business_reason": None, "attachments": [],
        }
    else:
        package = _package_from_root(root)
        h = package.header
        info = {
            "kind": "document", "from": _organ_json(h.sender), "to": [_organ_json(o) for o in h.recipients],
            "code_number": h.code_number, "code_notation": h.code_notation, "subject": h.subject,
            "document_id": h.document_id, "promulgation_date": h.promulgation_date.isoformat(),
            "document_type": h.document_type, "business_type": h.business_type,
            "business_type_name": BUSINESS_TYPES[h.business_type], "business_reason": h.business_reason,
            "related_document_id": h.related_document_id, "response_for": list(h.response_for),
            "attachments": [{"name": a.name, "size": len(a.data), "content_type": a.content_type}
                            for a in package.attachments],
        }
    info["size"] = len(data)
    info["signature"] = _signature_info(data, root, trusted_cert_pems)
    return info


def _signature_info(data: bytes, root: etree._Element, trusted_cert_pems: list[bytes] | None) -> dict:
    present = bool(xmlsig.signature_elements(root))
    cert = xmlsig.embedded_certificate(root)
    info: dict = {"present": present, "valid": None, "intact": None,
                  "signer": xmlsig.common_name(cert) if cert is not None else "", "error": ""}
    if not present:
        info.update(valid=False if trusted_cert_pems is not None else None, intact=False,
                    error="Gói tin không có chữ ký số (Signature).")
        return info
    checks = [("intact", [xmlsig.pem(cert)] if cert is not None else [])]
    if trusted_cert_pems is not None:
        checks.append(("valid", list(trusted_cert_pems)))
    for key, certs in checks:
        try:
            xmlsig.verify_enveloped(data, root, trusted_cert_pems=certs, location=SIGNATURE_LOCATION,
                                    namespaces=NSMAP)
        except xmlsig.XmlSignatureError as exc:
            info[key] = False
            if key == "valid" or not info["error"]:
                info["error"] = exc.message
        else:
            info[key] = True
    if info["valid"] is True:
        info["error"] = ""
    return info
