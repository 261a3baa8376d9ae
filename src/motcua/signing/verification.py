"""Verifying a signed PDF for anyone who holds one: valid or not, who signed, when, unchanged or not.

`verify_pdf(data)` never raises for bad input: every outcome is a `VerificationReport` with a
`verdict` code and a Vietnamese sentence (`message_vi`), for the public page and the API alike.

What "valid" means here (docs/signing.md): every signature in the file is intact (the signed bytes
hash to what was signed), cryptographically correct, made with a certificate that chains to an
active trust anchor (`TrustAnchor`) and that we have not revoked; the last signature covers the
whole file (nothing was appended after signing); and an earlier signature is followed only by
further signatures. The certificate chain is checked at the time we recorded when the file is a
result we issued (so a result stays valid after its certificate expires), else at the present time:
without a time-stamp (PAdES B-B) the time the signer states proves nothing.

pyHanko checks the signed byte ranges and the signature. Two parts of a file are covered by
neither: the gap that holds the signature (a changed padding digit, or a hex digit changed to
upper case, leaves the CMS the same) and the certificates the CMS carries (a verifier that takes
the root from its own trust anchors never reads the carried copy). We check that the gap is exactly
as a signer writes it and that every carried certificate still verifies against its issuer, so
that any single changed byte of the file makes it invalid (a property test flips bytes at random;
docs/signing.md tells how every byte of the signature was checked once).
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.lib.pdf import clean_text
from motcua.signing import conf
from motcua.signing.models import AgencyCertificate, SignedResult
from motcua.signing.selectors import active_trust_anchors, certificates_by_fingerprint, results_by_sha256

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The PDF header may follow up to 1024 bytes of anything (ISO 32000-1, 7.5.2 and Annex H).
HEADER_WINDOW = 1024

VALID = "valid"
MODIFIED = "modified"
APPENDED = "appended"
BAD_SIGNATURE = "bad_signature"
REVOKED = "revoked"
EXPIRED = "expired"
UNTRUSTED = "untrusted"
NO_SIGNATURE = "no_signature"
ENCRYPTED = "encrypted"
DAMAGED = "damaged"
NOT_PDF = "not_pdf"
EMPTY = "empty"
TOO_LARGE = "too_large"
# Problems of the upload itself: the API answers them with 422, not with a report.
INPUT_ERRORS = frozenset({EMPTY, NOT_PDF, TOO_LARGE})
# When several signatures fail, the report leads with the gravest.
SEVERITY = [MODIFIED, BAD_SIGNATURE, REVOKED, EXPIRED, UNTRUSTED, APPENDED]
# A signature may be followed by further signatures (the individual's, then the organisation's):
# pyHanko classes that as form filling. Anything more (annotations, new content) is a change.
ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
# A PDF signature wants non-repudiation, but many CAs issue agency certificates with digitalSignature only.
KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)
_HEX_GAP = re.compile(rb"<([0-9a-fA-F]*)>\s*")


def fmt_time(value: datetime | None) -> str:
    """"14:05 26/11/2026" in Vietnam's time."""
    return timezone.localtime(value, VN).strftime("%H:%M %d/%m/%Y") if value else ""


@dataclass
class SignatureCheck:
    """The verdict on one signature of the file."""

    field_name: str
    verdict: str
    message_vi: str
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    revoked: bool = False
    covers_whole_file: bool = False
    changed_after: bool = False
    development: bool = False
    signer_agency_name: str = ""
    organ_code: str = ""
    signed_at: datetime | None = None
    certificate_subject: str = ""
    certificate_serial: str = ""
    certificate_issuer: str = ""
    certificate: AgencyCertificate | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == VALID


@dataclass
class VerificationReport:
    verdict: str
    message_vi: str
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    signatures: list[SignatureCheck] = field(default_factory=list)
    known_result: SignedResult | None = None
    sha256: str = ""
    size: int = 0

    @property
    def input_error(self) -> bool:
        return self.verdict in INPUT_ERRORS

    @property
    def main(self) -> SignatureCheck | None:
        """The signature the headline speaks of: the last one, which seals the file as it is."""
        return self.signatures[-1] if self.signatures else None

    @property
    def signer_agency_name(self) -> str:
        return self.main.signer_agency_name if self.main else ""

    @property
    def organ_code(self) -> str:
        return self.main.organ_code if self.main else ""

    @property
    def signed_at(self) -> datetime | None:
        return self.main.signed_at if self.main else None

    @property
    def certificate_subject(self) -> str:
        return self.main.certificate_subject if self.main else ""

    @property
    def certificate_serial(self) -> str:
        return self.main.certificate_serial if self.main else ""


# ----------------------------------------------------------------------------- input checks

def check_upload(data: bytes) -> VerificationReport | None:
    """The report for an upload that is not a PDF we can look at (empty, too large, not a PDF), else None."""
    size = len(data)
    if size == 0:
        return VerificationReport(EMPTY, _("Tệp rỗng (0 byte): hãy chọn tệp PDF kết quả cần kiểm tra."))
    if size > conf.verify_max_bytes():
        return too_large(size)
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return VerificationReport(NOT_PDF, _("Tệp không phải PDF: hãy chọn tệp kết quả dạng PDF (.pdf)."), size=size)
    return None


def too_large(size: int) -> VerificationReport:
    """The report for a file over MOTCUA_VERIFY_MAX_BYTES (`size` may be a lower bound: reading stops at the limit)."""
    limit = conf.verify_max_bytes()
    return VerificationReport(TOO_LARGE, _("Tệp quá lớn (hơn %(limit)s MB): chỉ kiểm tra tệp PDF đến %(limit)s MB.")
                              % {"limit": _mb(limit)}, size=size)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")


# ----------------------------------------------------------------------------- the signature gap

def _der_length(blob: bytes) -> int | None:
    """The length of the DER value at the start of blob (tag, length, content), or None if malformed."""
    if len(blob) < 2:
        return None
    first = blob[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(blob) < 2 + count:
        return None
    return 2 + count + int.from_bytes(blob[2:2 + count], "big")


def gap_is_canonical(data: bytes, byte_range: list[int]) -> bool:
    """Is the unsigned gap exactly "<hex of the CMS, zero-padded>" as signers write it?

    The gap holds the signature; the CMS parser ignores the zero padding after it and hex digits
    read the same in either case, so without this check those bytes could change unnoticed.
    """
    start, length, second = byte_range[0] + byte_range[1], byte_range[1], byte_range[2]
    if byte_range[0] != 0 or length < 0 or second < start:
        return False
    match = _HEX_GAP.fullmatch(data[start:second])
    if match is None:
        return False
    digits = match.group(1)
    if len(digits) % 2 or (digits != digits.lower() and digits != digits.upper()):
        return False
    blob = bytes.fromhex(digits.decode())
    used = _der_length(blob)
    return used is not None and used <= len(blob) and not any(blob[used:])


def cms_is_clean(signed_data, signer_cert, anchors: list) -> bool:
    """Is every part of the CMS that its signature does not cover exactly what it must be?

    The signature covers the signed attributes, and through them the document digest; a verifier
    uses the rest only to find things: the digest algorithms listed up front, the signer's
    identifier, the certificates carried (a verifier that takes the root from its trust anchors
    never reads the carried copy). Changing a byte there leaves pyHanko's verdict unchanged. Here:
    the version is the one RFC 5652 prescribes, the listed digest algorithms are those of the signer
    infos, each signer info names the signing
    certificate, the content is detached data, there are no unknown unsigned attributes, and every
    carried certificate verifies against its issuer (carried, trusted, or itself).
    """
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    infos = list(signed_data["signer_infos"])
    # RFC 5652, 5.1: version 1 for X.509 certificates, detached data and v1 signer infos; 3 with a v3 one.
    expected = "v3" if any(i["version"].native == "v3" for i in infos) else "v1"
    if signed_data["version"].native != expected:
        return False
    if sorted(a.dump() for a in signed_data["digest_algorithms"]) != sorted(
            {i["digest_algorithm"].dump() for i in infos}):
        return False
    encap = signed_data["encap_content_info"]
    if encap["content_type"].native != "data" or encap["content"].native is not None:
        return False
    for info in infos:
        sid = info["sid"]
        if sid.name == "issuer_and_serial_number":
            if (info["version"].native != "v1" or sid.chosen["issuer"].dump() != signer_cert.issuer.dump()
                    or sid.chosen["serial_number"].native != signer_cert.serial_number):
                return False
        elif info["version"].native != "v3" or sid.chosen.native != signer_cert.key_identifier:
            return False
        unsigned = info["unsigned_attrs"]
        if unsigned.native is not None and any(a["type"].native != "signature_time_stamp_token" for a in unsigned):
            return False
    choices = list(signed_data["certificates"] or [])
    if any(c.name != "certificate" for c in choices):
        return False
    try:
        carried = [x509.load_der_x509_certificate(c.chosen.dump()) for c in choices]
    except ValueError:
        return False
    issuers = carried + anchors
    for cert in carried:
        if not any(_issued_by(cert, issuer, InvalidSignature) for issuer in issuers if issuer.subject == cert.issuer):
            return False
    return True


def _issued_by(cert, issuer, invalid) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (invalid, ValueError, TypeError):
        return False
    return True


# ----------------------------------------------------------------------------- one signature

def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    try:
        value = cert.subject.native.get(key, "")
    except Exception:  # an undecodable name in an untrusted certificate
        return ""
    return clean_text(value[-1] if isinstance(value, list) else value)


def _check_one(sig, data: bytes, context: ValidationContext, *, last: bool, rows: dict,
               dev_roots: set[str], anchors: list) -> SignatureCheck:
    name = str(sig.field_name or "")
    try:
        status = validate_pdf_signature(sig, context, key_usage_settings=KEY_USAGE)
    except (SignatureValidationError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        logger.info("unreadable signature %s: %s", name, error)
        return SignatureCheck(name, BAD_SIGNATURE, _("Không hợp lệ — chữ ký số trong tệp bị hỏng, không đọc được."))
    cert = status.signing_cert
    row = rows.get(cert.sha256.hex())
    root = getattr(getattr(status.validation_path, "trust_anchor", None), "authority", None)
    root_cert = getattr(root, "certificate", None)
    check = SignatureCheck(
        field_name=name, verdict=VALID, message_vi="",
        intact=bool(status.intact) and gap_is_canonical(data, list(sig.byte_range)),
        valid=bool(status.valid), trusted=bool(status.trusted),
        revoked=bool(row and row.revoked_at),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        development=bool(root_cert is not None and root_cert.sha256.hex() in dev_roots),
        signer_agency_name=clean_text(row.agency.name) if row else _name_part(cert, "common_name"),
        organ_code=(row.agency.organ_code or "") if row else _name_part(cert, "organizational_unit_name"),
        signed_at=status.signer_reported_dt,
        certificate_subject=cert.subject.human_friendly,
        certificate_serial=format(cert.serial_number, "X"),
        certificate_issuer=cert.issuer.human_friendly,
        certificate=row,
    )
    clean = cms_is_clean(sig.signed_data, cert, anchors)
    if last:
        check.changed_after = not check.covers_whole_file
    else:
        check.changed_after = not (status.docmdp_ok is not False and status.modification_level in ALLOWED_AFTER)
    check.verdict = _verdict(check, status)
    if not clean:
        # Leads only when nothing graver is wrong: a signature by an unknown CA stays "untrusted".
        check.intact = False
        if check.verdict in (VALID, APPENDED):
            check.verdict = MODIFIED
    check.message_vi = _message(check)
    return check


def _verdict(check: SignatureCheck, status) -> str:
    if not check.intact:
        return MODIFIED
    if not check.valid:
        return BAD_SIGNATURE
    if check.revoked:
        return REVOKED
    if not check.trusted:
        indic = str(getattr(status, "trust_problem_indic", "") or "")
        return EXPIRED if "OUT_OF_BOUNDS" in indic or "EXPIRED" in indic else UNTRUSTED
    if check.changed_after:
        return APPENDED
    return VALID


def _who(check: SignatureCheck) -> str:
    who = check.signer_agency_name or check.certificate_subject or _("không rõ")
    return f"{who} ({check.organ_code})" if check.organ_code else who


def _message(check: SignatureCheck) -> str:
    values = {"who": _who(check), "at": fmt_time(check.signed_at), "subject": check.certificate_subject,
              "serial": check.certificate_serial}
    if check.verdict == VALID:
        text = _("Hợp lệ — ký bởi %(who)s lúc %(at)s; tệp không bị thay đổi.") % values
        if check.development:
            text += " " + _("Chữ ký do CA phát triển của motcua cấp: chỉ dùng thử, không có giá trị pháp lý.")
        return text
    if check.verdict == MODIFIED:
        return _("Không hợp lệ — tệp đã bị thay đổi sau khi ký: nội dung không còn khớp với chữ ký của %(who)s.") % values
    if check.verdict == BAD_SIGNATURE:
        return _("Không hợp lệ — chữ ký số của %(who)s không đúng với chứng thư số kèm theo.") % values
    if check.verdict == REVOKED:
        row = check.certificate
        text = _("Không hợp lệ — chứng thư số %(serial)s của %(who)s đã bị thu hồi lúc %(revoked)s") % (
            values | {"revoked": fmt_time(row.revoked_at)})
        return text + (f" ({row.revocation_reason})." if row.revocation_reason else ".")
    if check.verdict == EXPIRED:
        return _("Không hợp lệ — chứng thư số của %(who)s đã hết hạn hoặc chưa có hiệu lực vào thời điểm kiểm tra, "
                 "và tệp không có dấu thời gian chứng minh thời điểm ký.") % values
    if check.verdict == UNTRUSTED:
        text = _("Không xác thực được người ký — chữ ký được tạo bằng chứng thư “%(subject)s” không do tổ chức "
                 "chứng thực nào được tin cậy cấp.") % values
        if check.intact and not check.changed_after:
            text += " " + _("Nội dung tệp không bị thay đổi kể từ khi ký.")
        return text
    return _("Không hợp lệ — tệp đã được bổ sung hoặc sửa đổi sau khi %(who)s ký lúc %(at)s: phần đã ký vẫn nguyên "
             "vẹn, nhưng nội dung hiển thị có thể khác bản đã ký. Hãy dùng bản gốc do cơ quan cấp.") % values


# ----------------------------------------------------------------------------- the file

def _context(known: SignedResult | None) -> tuple[ValidationContext, set[str], list]:
    from cryptography import x509

    roots, dev_roots, anchors = [], set(), []
    for anchor in active_trust_anchors():
        try:
            cert = asn1_x509.Certificate.load(_pem_to_der(anchor.certificate_pem))
        except ValueError:
            logger.warning("trust anchor %s is not a readable certificate", anchor.pk)
            continue
        roots.append(cert)
        anchors.append(x509.load_der_x509_certificate(cert.dump()))
        if anchor.is_development:
            dev_roots.add(cert.sha256.hex())
    # Never fetch anything: a public endpoint must not be made to reach the URLs of an uploaded certificate.
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail",
                                moment=known.signed_at if known else None)
    return context, dev_roots, anchors


def _pem_to_der(pem: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)


def _summary(report: VerificationReport) -> None:
    checks = report.signatures
    report.intact = all(c.intact for c in checks)
    report.trusted = all(c.trusted and not c.revoked for c in checks)
    report.valid = all(c.ok for c in checks)
    if report.valid:
        report.verdict = VALID
        report.message_vi = checks[-1].message_vi
        if len(checks) > 1:
            report.message_vi = _("Hợp lệ — %(count)s chữ ký, tất cả hợp lệ; chữ ký cuối: %(last)s") % {
                "count": len(checks), "last": checks[-1].message_vi.removeprefix(_("Hợp lệ — "))}
        if report.known_result is not None:
            report.message_vi += " " + _("Đây là kết quả của hồ sơ %(code)s do hệ thống ban hành.") % {
                "code": report.known_result.dossier.code or report.known_result.dossier_id}
        return
    worst = min((c for c in checks if not c.ok), key=lambda c: SEVERITY.index(c.verdict))
    report.verdict = worst.verdict
    report.message_vi = worst.message_vi


def verify_pdf(data: bytes) -> VerificationReport:
    """The verdict on a PDF: each signature checked, and one headline in Vietnamese. Never raises for bad input."""
    data = bytes(data or b"")
    problem = check_upload(data)
    if problem is not None:
        return problem
    digest = hashlib.sha256(data).hexdigest()
    known = results_by_sha256(digest)
    report = VerificationReport(DAMAGED, "", sha256=digest, size=len(data), known_result=known)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            report.verdict = ENCRYPTED
            report.message_vi = _("Tệp PDF được mã hóa (đặt mật khẩu) nên không kiểm tra được chữ ký. "
                                  "Hãy gửi bản không đặt mật khẩu do cơ quan cấp.")
            return report
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # any parser failure on untrusted bytes is the same verdict: unreadable
        logger.info("unreadable PDF (%s bytes): %s: %s", len(data), type(error).__name__, error)
        report.message_vi = _("Tệp PDF bị hỏng: không đọc được cấu trúc của tệp, nên không kiểm tra được chữ ký.")
        return report
    if not signatures:
        report.verdict = NO_SIGNATURE
        report.message_vi = _("Tệp PDF không có chữ ký số: không xác thực được nguồn gốc của tệp.")
        return report
    context, dev_roots, anchors = _context(known)
    rows = certificates_by_fingerprint(_fingerprints(signatures))
    for index, sig in enumerate(signatures):
        try:
            check = _check_one(sig, data, context, last=index == len(signatures) - 1, rows=rows, dev_roots=dev_roots,
                               anchors=anchors)
        except Exception as error:  # a malformed signature must give a verdict, not a server error
            logger.info("signature %s could not be checked: %s: %s", index, type(error).__name__, error)
            check = SignatureCheck(str(getattr(sig, "field_name", "") or ""), BAD_SIGNATURE,
                                   _("Không hợp lệ — chữ ký số trong tệp bị hỏng, không đọc được."))
        report.signatures.append(check)
    _summary(report)
    return report


def _fingerprints(signatures) -> list[str]:
    found = []
    for sig in signatures:
        try:
            found.append(sig.signer_cert.sha256.hex())
        except Exception:  # an unreadable certificate simply matches none of ours
            continue
    return found
