"""Issuing a signed result: what pyHanko, poppler's pdfsig and a reader of the PDF see, and who may sign.

Run twice: `pytest src/motcua/signing` (SQLite) and with DATABASE_URL=postgres://…/motcua_signing.
"""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.core.models import AuditRecord
from motcua.dossiers.choices import Stage
from motcua.dossiers.errors import InvalidInputError, NotPermittedError
from motcua.dossiers.tests.factories import COMMUNE, agency
from motcua.lib.tests.poppler import pdf_text
from motcua.signing import pki
from motcua.signing.errors import SigningError
from motcua.signing.models import SignedResult, TrustAnchor
from motcua.signing.selectors import current_certificate, results_for_dossier
from motcua.signing.services import issue_signed_result, render_result_pdf, sign_result
from motcua.signing.tests.helpers import pdfsig

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _trust_roots():
    return [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(a.certificate_pem.encode()).public_bytes(Encoding.DER))
            for a in TrustAnchor.objects.all()]


def test_the_signed_result_is_valid_for_pyhanko(signed_bytes, signed):
    reader = PdfFileReader(io.BytesIO(signed_bytes))
    [signature] = reader.embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=_trust_roots()))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    subject = status.signing_cert.subject.native
    assert subject["organizational_unit_name"] == COMMUNE
    assert subject["common_name"].startswith("UBND Xã An Thạnh")
    assert status.signer_reported_dt == signed.signed_at


def test_pdfsig_says_the_signature_is_valid(signed_bytes):
    report = pdfsig(signed_bytes)
    assert "Signature is Valid." in report, report
    assert "ETSI.CAdES.detached" in report
    assert "Total document signed" in report
    assert "SHA-256" in report
    assert f"OU={COMMUNE}" in report and "CN=UBND Xã An Thạnh" in report


def test_pdfsig_sees_a_changed_byte_too(signed_bytes):
    from motcua.signing.tests.helpers import flip

    report = pdfsig(flip(signed_bytes, signed_bytes.index(b"WeasyPrint")))
    assert "Signature is Valid." not in report
    assert "Digest Mismatch" in report or "Invalid" in report, report


def test_the_document_and_its_signature_box_read_in_vietnamese(signed_bytes, signed, dossier):
    text = pdf_text(signed_bytes)
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert dossier.code in text
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "Đăng ký khai sinh cho trẻ Nguyễn Minh Khôi" in text
    # The visible signature box: the agency, the organ code, the official and the time in Vietnam.
    local = signed.signed_at.astimezone(VN)
    assert "Ký bởi: UBND Xã An Thạnh" in text
    assert f"Mã định danh: {COMMUNE}" in text
    assert "Người ban hành:" in text
    assert f"Thời gian ký: {local:%H:%M:%S %d/%m/%Y} +07:00" in text
    # Signed by the development CA: the document says it has no legal value.
    assert "không có giá trị pháp lý" in text


def test_the_result_is_kept_with_its_hash_and_audited(signed, signed_bytes, dossier, people):
    import hashlib

    assert signed.sha256 == hashlib.sha256(signed_bytes).hexdigest()
    assert signed.size == len(signed_bytes)
    assert signed.agency.organ_code == COMMUNE
    assert signed.certificate == current_certificate(signed.agency)
    assert signed.signer == people.approver
    assert list(results_for_dossier(dossier)) == [signed]
    record = AuditRecord.objects.filter(action="dossier.result_signed", object_id=str(dossier.pk)).get()
    assert record.after["sha256"] == signed.sha256
    assert record.after["certificate"] == signed.certificate.serial
    assert record.actor == people.approver


def test_the_signing_time_given_is_the_one_recorded_and_signed(dossier, people, pki_dir, media):
    at = datetime(2026, 11, 26, 14, 5, 30, tzinfo=VN)
    pki.ensure_dev_pki(at=at - timedelta(days=1))
    result = issue_signed_result(dossier, signer_user=people.approver, at=at)
    assert result.signed_at == at
    with result.file.open("rb") as handle:
        [signature] = PdfFileReader(io.BytesIO(handle.read())).embedded_signatures
    assert signature.self_reported_timestamp == at


@pytest.mark.parametrize("who", ["reception", "specialist", "outsider"])
def test_only_an_approver_of_the_receiving_agency_signs(dossier, people, dev_pki, media, who):
    with pytest.raises(NotPermittedError) as error:
        issue_signed_result(dossier, signer_user=getattr(people, who))
    assert "lãnh đạo phê duyệt" in error.value.message
    with pytest.raises(NotPermittedError):
        sign_result(dossier, render_result_pdf(dossier), signer_user=getattr(people, who))
    assert not SignedResult.objects.exists()
    assert not list(media.rglob("*.pdf")) if media.exists() else True


def test_an_agency_without_a_certificate_cannot_sign(dossier, people, pki_dir, media):
    with pytest.raises(SigningError) as error:
        issue_signed_result(dossier, signer_user=people.approver)
    assert f"motcua pki issue {COMMUNE}" in error.value.message


def test_a_revoked_certificate_no_longer_signs(dossier, people, dev_pki, media):
    pki.revoke_certificate(current_certificate(agency(COMMUNE)), reason="Lộ khóa bí mật")
    with pytest.raises(SigningError):
        issue_signed_result(dossier, signer_user=people.approver)


def test_a_result_needs_its_summary(dossier, people, dev_pki, media):
    dossier.result_summary = "  "
    dossier.save()
    with pytest.raises(InvalidInputError) as error:
        issue_signed_result(dossier, signer_user=people.approver)
    assert "result_summary" in error.value.errors


def test_no_result_for_a_stopped_dossier(dossier, people, dev_pki, media):
    dossier.stage = Stage.STOPPED
    dossier.save()
    with pytest.raises(InvalidInputError) as error:
        issue_signed_result(dossier, signer_user=people.approver)
    assert "Dừng xử lý" in error.value.errors["stage"]


def test_only_a_pdf_is_signed(dossier, people, dev_pki, media):
    with pytest.raises(InvalidInputError) as error:
        sign_result(dossier, b"<html>not a pdf</html>", signer_user=people.approver)
    assert "pdf" in error.value.errors


def test_a_document_with_a_signature_already_gets_a_second_field(dossier, people, dev_pki, media):
    first = issue_signed_result(dossier, signer_user=people.approver)
    with first.file.open("rb") as handle:
        again = sign_result(dossier, handle.read(), signer_user=people.approver)
    with again.file.open("rb") as handle:
        names = [s.field_name for s in PdfFileReader(io.BytesIO(handle.read())).embedded_signatures]
    assert names == ["ChuKySoCoQuan1", "ChuKySoCoQuan2"]
