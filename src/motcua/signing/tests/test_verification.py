"""verify_pdf: the verdict a citizen or another system gets for a PDF, one case per way it can go wrong."""

import io
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter

from motcua.dossiers.tests.factories import COMMUNE, agency
from motcua.lib.pdf import render_pdf
from motcua.signing import pki
from motcua.signing import verification as v
from motcua.signing.selectors import current_certificate
from motcua.signing.services import issue_signed_result, render_result_pdf, sign_pdf_bytes
from motcua.signing.tests.helpers import flip, foreign_signer, sign_with, signed_ranges
from motcua.signing.verification import fmt_time, verify_pdf


def test_a_result_we_issued_is_valid_and_says_who_signed_and_when(signed, signed_bytes, dossier):
    report = verify_pdf(signed_bytes)
    assert report.verdict == v.VALID
    assert (report.valid, report.intact, report.trusted) == (True, True, True)
    assert report.signer_agency_name == "UBND Xã An Thạnh huyện Bến Cầu"
    assert report.organ_code == COMMUNE
    assert report.signed_at == signed.signed_at
    assert f"OU={COMMUNE}".replace("OU=", "Organizational Unit: ") in report.certificate_subject
    assert report.certificate_serial == signed.certificate.serial
    assert report.known_result == signed
    assert report.message_vi.startswith(
        f"Hợp lệ — ký bởi UBND Xã An Thạnh huyện Bến Cầu ({COMMUNE}) lúc {fmt_time(signed.signed_at)}; "
        "tệp không bị thay đổi.")
    assert "CA phát triển" in report.message_vi
    assert dossier.code in report.message_vi


def test_one_changed_byte_in_the_signed_content_makes_it_invalid(signed_bytes):
    # The producer's name in the document information: the file still parses, only its content differs.
    position = signed_bytes.index(b"WeasyPrint")
    report = verify_pdf(flip(signed_bytes, position))
    assert report.verdict == v.MODIFIED
    assert not report.valid and not report.intact
    assert "tệp đã bị thay đổi sau khi ký" in report.message_vi
    assert report.known_result is None


def test_a_changed_byte_in_the_signature_padding_is_caught_too(signed_bytes):
    # pyHanko ignores the zero padding after the CMS: our check of the gap does not.
    (_a, first_end), (second_start, _end) = signed_ranges(signed_bytes)
    padding = second_start - 2
    assert signed_bytes[padding:padding + 1] == b"0"
    report = verify_pdf(signed_bytes[:padding] + b"7" + signed_bytes[padding + 1:])
    assert report.verdict == v.MODIFIED


def test_changed_bytes_in_the_unsigned_parts_of_the_signature_are_caught(signed_bytes):
    # The first 400 hex digits of the CMS: its version, the digest algorithms it lists, the
    # detached-content marker and the copy of the CA certificate it carries (issuer, validity,
    # subject). None of them is covered by the signature; pyHanko alone accepted every such change.
    (_a, gap_start), _second = signed_ranges(signed_bytes)
    still_valid = [offset for offset in range(1, 400)
                   if verify_pdf(flip(signed_bytes, gap_start + offset)).valid]
    assert still_valid == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(min_value=0, max_value=1, exclude_max=True), bit=st.integers(0, 7))
def test_no_single_changed_byte_anywhere_passes(signed_bytes, fraction, bit):
    position = int(fraction * len(signed_bytes))
    changed = bytearray(signed_bytes)
    changed[position] ^= 1 << bit
    report = verify_pdf(bytes(changed))
    assert not report.valid, (position, report.verdict)


def test_bytes_appended_after_signing_are_reported(signed_bytes):
    report = verify_pdf(signed_bytes + b"\n% added later\n")
    assert report.verdict == v.APPENDED
    assert report.intact and not report.valid
    assert "bổ sung hoặc sửa đổi sau khi" in report.message_vi


def test_an_incremental_update_after_signing_is_reported(signed_bytes):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_bytes))
    writer.root["/Lang"] = generic.pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.verdict == v.APPENDED
    assert not report.valid


def test_a_pdf_signed_by_an_unknown_ca_is_untrusted_and_logs_no_traceback(db, caplog):
    content = sign_with(foreign_signer("UBND Xã Giả Mạo"), render_pdf("<p>Giấy tờ giả</p>"))
    with caplog.at_level(logging.INFO):
        report = verify_pdf(content)
    assert report.verdict == v.UNTRUSTED
    assert report.intact and not report.trusted and not report.valid
    assert "UBND Xã Giả Mạo" in report.message_vi
    assert "không do tổ chức chứng thực nào được tin cậy cấp" in report.message_vi
    assert not [r for r in caplog.records if r.name.startswith("pyhanko") and r.exc_info]


def test_a_second_signature_by_an_unknown_ca_is_reported_with_the_first(signed_bytes):
    report = verify_pdf(sign_with(foreign_signer(), signed_bytes))
    assert [s.verdict for s in report.signatures] == [v.VALID, v.UNTRUSTED]
    assert report.verdict == v.UNTRUSTED and not report.valid


def test_two_signatures_of_ours_are_both_reported_valid(dossier, people, signed_bytes):
    from motcua.signing.services import sign_result

    second = sign_result(dossier, signed_bytes, signer_user=people.approver)
    with second.file.open("rb") as handle:
        report = verify_pdf(handle.read())
    assert [s.verdict for s in report.signatures] == [v.VALID, v.VALID]
    assert report.valid and report.message_vi.startswith("Hợp lệ — 2 chữ ký")


def test_a_revoked_certificate_makes_the_signature_invalid(signed, signed_bytes):
    pki.revoke_certificate(signed.certificate, reason="Lộ khóa bí mật")
    report = verify_pdf(signed_bytes)
    assert report.verdict == v.REVOKED
    assert report.intact and not report.valid and not report.trusted
    assert "đã bị thu hồi" in report.message_vi and "Lộ khóa bí mật" in report.message_vi


def test_a_result_we_issued_stays_valid_after_its_certificate_expires(dossier, people, pki_dir, media):
    long_ago = timezone.now() - timedelta(days=800)
    pki.ensure_dev_pki(at=long_ago)
    result = issue_signed_result(dossier, signer_user=people.approver, at=long_ago + timedelta(days=1))
    with result.file.open("rb") as handle:
        content = handle.read()
    assert current_certificate(agency(COMMUNE)) is None  # expired now
    assert verify_pdf(content).verdict == v.VALID  # checked at the time we recorded
    # The same certificate on a file we have no record of: nothing proves when it was signed.
    old = result.certificate
    unknown = sign_pdf_bytes(render_result_pdf(dossier, at=long_ago + timedelta(days=2)), old,
                             signer_name="x", at=long_ago + timedelta(days=2))
    report = verify_pdf(unknown)
    assert report.verdict == v.EXPIRED, report.message_vi
    assert "hết hạn" in report.message_vi


@pytest.mark.parametrize(("content", "verdict", "words"), [
    (b"", v.EMPTY, "Tệp rỗng"),
    (b"PK\x03\x04 a zip file, not a PDF", v.NOT_PDF, "không phải PDF"),
    ("Kết quả.docx".encode(), v.NOT_PDF, "không phải PDF"),
    (b"%PDF-1.7\n garbage that is not a PDF body \x00\xff" * 10, v.DAMAGED, "bị hỏng"),
])
def test_bad_input_gets_a_clear_verdict(db, content, verdict, words):
    report = verify_pdf(content)
    assert report.verdict == verdict
    assert words in report.message_vi
    assert not report.valid


def test_a_too_large_file_is_refused(db, settings):
    settings.MOTCUA_VERIFY_MAX_BYTES = 1000
    report = verify_pdf(b"%PDF-1.7\n" + b"0" * 2000)
    assert report.verdict == v.TOO_LARGE and report.input_error
    assert "Tệp quá lớn" in report.message_vi


def test_an_unsigned_pdf_has_no_signature(db):
    report = verify_pdf(render_pdf("<p>Không ký</p>"))
    assert report.verdict == v.NO_SIGNATURE
    assert "không có chữ ký số" in report.message_vi


def test_an_encrypted_pdf_is_reported(db):
    writer = PdfFileWriter()
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
    }))
    writer.encrypt("chu-so-huu", "nguoi-doc")
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.verdict == v.ENCRYPTED
    assert "mã hóa" in report.message_vi
