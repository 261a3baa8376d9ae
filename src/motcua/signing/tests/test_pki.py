"""The development CA and agency certificates: subjects, idempotent set-up, keys encrypted at rest."""

import io
import stat
from contextlib import redirect_stdout

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import CommandError, call_command

from motcua.dossiers.tests.factories import COMMUNE, JUSTICE, agency
from motcua.signing import conf, pki
from motcua.signing.errors import PkiError
from motcua.signing.models import AgencyCertificate, TrustAnchor
from motcua.signing.selectors import current_certificate
from motcua.units.models import Agency


def _cert(row) -> x509.Certificate:
    return x509.load_pem_x509_certificate(row.certificate_pem.encode())


def test_the_dev_ca_is_a_marked_vietnamese_root(dev_pki):
    anchor = TrustAnchor.objects.get()
    ca = x509.load_pem_x509_certificate(anchor.certificate_pem.encode())
    assert ca.subject.rfc4514_string() == "CN=motcua Development CA,O=motcua,C=VN"
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert anchor.is_development and "không có giá trị pháp lý" in anchor.name


def test_an_agency_certificate_names_the_agency_and_may_only_sign(dev_pki):
    row = current_certificate(agency(COMMUNE))
    cert = _cert(row)
    assert cert.subject.rfc4514_string() == (
        f"CN=UBND Xã An Thạnh huyện Bến Cầu,OU={COMMUNE},O=UBND huyện Bến Cầu,C=VN")
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 730
    assert row.issuer == "CN=motcua Development CA,O=motcua,C=VN"


def test_setup_issues_certificates_to_agencies_with_approvers_only(dev_pki):
    assert {row.agency.organ_code for row in dev_pki.issued} == {COMMUNE, JUSTICE}


def test_ensure_dev_pki_twice_creates_nothing(dev_pki, pki_dir):
    files = sorted(p.relative_to(pki_dir) for p in pki_dir.rglob("*.p12"))
    counts = (TrustAnchor.objects.count(), AgencyCertificate.objects.count())
    again = pki.ensure_dev_pki()
    assert not again.ca_created and again.issued == []
    assert (TrustAnchor.objects.count(), AgencyCertificate.objects.count()) == counts
    assert sorted(p.relative_to(pki_dir) for p in pki_dir.rglob("*.p12")) == files
    assert "Chứng thư số của cơ quan: không cần cấp thêm." in again.lines()


def test_a_lost_key_file_is_replaced(dev_pki):
    row = current_certificate(agency(COMMUNE))
    pki.key_path(row.key_location).unlink()
    again = pki.ensure_dev_pki()
    assert [r.agency.organ_code for r in again.issued] == [COMMUNE]


def test_keys_are_encrypted_at_rest_and_private_to_the_owner(dev_pki, pki_dir):
    files = list(pki_dir.rglob("*.p12"))
    assert len(files) == 3  # the CA and two agencies
    for path in files:
        blob = path.read_bytes()
        assert b"PRIVATE KEY" not in blob
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(blob, b"wrong passphrase")
        key, cert, _chain = pkcs12.load_key_and_certificates(blob, conf.key_passphrase())
        assert key is not None and cert is not None
    assert stat.S_IMODE(pki_dir.joinpath("agencies").stat().st_mode) == 0o700
    assert not AgencyCertificate.objects.filter(certificate_pem__contains="PRIVATE").exists()


def test_a_wrong_passphrase_is_named(dev_pki, settings):
    row = current_certificate(agency(COMMUNE))
    pki._KEY_CACHE.clear()
    settings.MOTCUA_SIGNING_KEY_PASSPHRASE = "not the passphrase"
    with pytest.raises(PkiError) as error:
        pki.signing_key(row)
    assert "MOTCUA_SIGNING_KEY_PASSPHRASE" in error.value.message


def test_a_key_location_outside_the_pki_folder_is_refused(dev_pki):
    with pytest.raises(PkiError):
        pki.key_path("file:../../etc/passwd")
    with pytest.raises(PkiError):
        pki.key_path("pkcs11:token=agency")


def test_an_agency_without_organ_code_gets_no_certificate(dev_pki):
    nameless = Agency.objects.filter(organ_code__isnull=True).first()
    with pytest.raises(PkiError) as error:
        pki.issue_certificate(nameless)
    assert "chưa có mã định danh" in error.value.message


def test_long_agency_names_fit_the_x520_limit(dev_pki):
    longest = max(Agency.objects.exclude(organ_code__isnull=True), key=lambda a: len(a.name.encode()))
    assert len(longest.name.encode()) > 64
    cert = _cert(pki.issue_certificate(longest))
    [cn] = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    assert len(cn.value.encode()) <= 64 and cn.value.endswith("…")
    assert longest.name.startswith(cn.value[:-1])


def test_revoking_needs_a_reason_and_is_audited(dev_pki):
    from motcua.core.models import AuditRecord

    row = current_certificate(agency(COMMUNE))
    with pytest.raises(PkiError):
        pki.revoke_certificate(row, reason=" ")
    pki.revoke_certificate(row, reason="Lộ khóa bí mật")
    assert current_certificate(agency(COMMUNE)) is None
    assert AuditRecord.objects.filter(action="signing.certificate_revoked").exists()


def test_an_imported_rsa_certificate_from_another_ca_signs_once_its_root_is_trusted(
        dossier, people, pki_dir, media, tmp_path):
    from motcua.signing.services import issue_signed_result
    from motcua.signing.tests.helpers import licensed_ca_p12
    from motcua.signing.verification import verify_pdf

    p12, root_pem = licensed_ca_p12(agency(COMMUNE), password=b"mat-khau-tep")
    with pytest.raises(PkiError):
        pki.import_pkcs12(agency(COMMUNE), p12, b"sai mat khau")
    row = pki.import_pkcs12(agency(COMMUNE), p12, b"mat-khau-tep")
    result = issue_signed_result(dossier, signer_user=people.approver)
    with result.file.open("rb") as handle:
        content = handle.read()
    assert verify_pdf(content).verdict == "untrusted"
    (tmp_path / "root.pem").write_bytes(root_pem)
    call_command("pki", "add-anchor", str(tmp_path / "root.pem"), "--name", "Root CA thử", stdout=io.StringIO())
    report = verify_pdf(content)
    assert report.verdict == "valid", report.message_vi
    assert "CA phát triển" not in report.message_vi
    assert report.signatures[0].certificate == row


def test_setup_skips_the_dev_pki_when_the_setting_says_so(people, pki_dir, settings):
    settings.MOTCUA_DEV_PKI = False
    out = io.StringIO()
    call_command("pki", "ensure-dev", stdout=out)
    assert "Bỏ qua CA phát triển" in out.getvalue()
    assert not TrustAnchor.objects.exists() and not pki_dir.exists()


def test_the_dev_pki_default_follows_the_embedded_mode(settings, monkeypatch):
    monkeypatch.delenv("MOTCUA_DEV_PKI", raising=False)
    settings.MOTCUA_DEV_PKI = None
    assert conf.dev_pki_enabled() is conf.is_embedded()
    assert conf.dev_pki_enabled(demo=True) is True
    monkeypatch.setenv("MOTCUA_DEV_PKI", "false")
    assert conf.dev_pki_enabled(demo=True) is False


def test_the_command_issues_lists_and_revokes(people, pki_dir):
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("pki", "init-ca", stdout=out)
        call_command("pki", "issue", COMMUNE, stdout=out)
        call_command("pki", "list", stdout=out)
    text = out.getvalue()
    assert "Đã tạo CA phát triển" in text
    assert "Đã cấp chứng thư số" in text and COMMUNE in text
    assert "còn hiệu lực, có khóa" in text
    serial = current_certificate(agency(COMMUNE)).serial
    call_command("pki", "revoke", serial, "--reason", "Đổi người đứng đầu", stdout=out)
    assert current_certificate(agency(COMMUNE)) is None
    with pytest.raises(CommandError):
        call_command("pki", "issue", "999.99.99.X99", stdout=out)
