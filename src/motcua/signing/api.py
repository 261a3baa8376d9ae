"""POST /api/v1/verify: the verification of a signed PDF, for other systems (the page's twin).

The file is sent as multipart/form-data in the field "file". The answer is the report as JSON
(200, whatever the verdict: "not valid" is an answer, not an error); a missing, empty, non-PDF or
oversized upload is a 422 in the API's shared error body, with a Vietnamese message.

The file is read here rather than declared as a ninja File parameter: the upload limit must be in
place before the body is parsed (signing/uploads.py).
"""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from motcua.api.errors import BadParameterError
from motcua.api.schemas import ErrorOut
from motcua.signing import conf, uploads
from motcua.signing.verification import SignatureCheck, VerificationReport, verify_pdf

router = Router(tags=["Xác thực kết quả / Verification"])


class SignatureOut(Schema):
    field_name: str
    verdict: str = Field(description="valid, modified, appended, bad_signature, revoked, expired, untrusted")
    message: str = Field(description="Kết luận bằng tiếng Việt / the verdict in Vietnamese")
    intact: bool = Field(description="Phần đã ký không bị thay đổi / the signed bytes are unchanged")
    valid: bool = Field(description="Chữ ký đúng về mặt mật mã / the signature is cryptographically correct")
    trusted: bool = Field(description="Chứng thư do CA tin cậy cấp / the certificate chains to a trust anchor")
    revoked: bool
    covers_whole_file: bool
    development: bool = Field(description="Do CA phát triển cấp, không có giá trị pháp lý / development CA")
    signer_agency_name: str
    organ_code: str
    signed_at: datetime | None = Field(description="Thời điểm người ký ghi (không có dấu thời gian) / claimed time")
    certificate_subject: str
    certificate_serial: str
    certificate_issuer: str


class KnownResultOut(Schema):
    dossier_code: str
    signed_at: datetime
    agency_organ_code: str


class VerificationOut(Schema):
    verdict: str = Field(description="valid, modified, appended, bad_signature, revoked, expired, untrusted, "
                                     "no_signature, encrypted, damaged")
    valid: bool
    intact: bool
    trusted: bool
    message: str = Field(description="Kết luận bằng tiếng Việt / the verdict in Vietnamese")
    signer_agency_name: str
    organ_code: str
    signed_at: datetime | None
    certificate_subject: str
    certificate_serial: str
    sha256: str
    size: int
    known_result: KnownResultOut | None = Field(
        description="Kết quả do hệ thống ban hành có cùng mã băm / the result we issued with the same SHA-256")
    signatures: list[SignatureOut]


def _signature(check: SignatureCheck) -> dict:
    return {
        "field_name": check.field_name, "verdict": check.verdict, "message": check.message_vi,
        "intact": check.intact, "valid": check.valid, "trusted": check.trusted, "revoked": check.revoked,
        "covers_whole_file": check.covers_whole_file, "development": check.development,
        "signer_agency_name": check.signer_agency_name, "organ_code": check.organ_code,
        "signed_at": check.signed_at, "certificate_subject": check.certificate_subject,
        "certificate_serial": check.certificate_serial, "certificate_issuer": check.certificate_issuer,
    }


def present(report: VerificationReport) -> dict:
    known = report.known_result
    return {
        "verdict": report.verdict, "valid": report.valid, "intact": report.intact, "trusted": report.trusted,
        "message": report.message_vi, "signer_agency_name": report.signer_agency_name,
        "organ_code": report.organ_code, "signed_at": report.signed_at,
        "certificate_subject": report.certificate_subject, "certificate_serial": report.certificate_serial,
        "sha256": report.sha256, "size": report.size,
        "known_result": {"dossier_code": known.dossier.code or str(known.dossier_id), "signed_at": known.signed_at,
                         "agency_organ_code": known.agency.organ_code or ""} if known else None,
        "signatures": [_signature(c) for c in report.signatures],
    }


MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {
            "schema": {"type": "object", "required": ["file"],
                       "properties": {"file": {"type": "string", "format": "binary",
                                               "description": "Tệp PDF cần kiểm tra / the PDF to verify"}}},
        }},
    },
}


@router.post("/verify", response={200: VerificationOut, 422: ErrorOut}, openapi_extra=MULTIPART,
             summary="Xác thực chữ ký số của tệp PDF / verify a signed PDF")
def verify(request: HttpRequest):
    """Kiểm tra chữ ký số của một tệp PDF kết quả: hợp lệ không, cơ quan nào ký, lúc nào, tệp có bị thay đổi không.

    Verify the signatures of a PDF: valid or not, which agency signed, when, and whether the file
    is unchanged. Send the file as multipart/form-data in the field `file`.
    """
    handler = uploads.install(request)
    data, refused = uploads.read_pdf(request, handler)
    if refused is not None:
        raise BadParameterError(uploads.FIELD, refused.message_vi, source="file", error_type=refused.verdict)
    if data is None:
        raise BadParameterError(
            uploads.FIELD, _("Thiếu tệp: gửi tệp PDF trong trường “file” (multipart/form-data, tối đa %(mb)s MB).")
            % {"mb": conf.verify_max_bytes() // (1024 * 1024)}, source="file", error_type="missing")
    return present(verify_pdf(data))
