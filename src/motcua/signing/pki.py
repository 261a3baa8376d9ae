"""The public-key infrastructure of motcua: the CA certificates it trusts, agencies' signing keys.

Layout (docs/signing.md):

    MOTCUA_PKI_DIR/                         default <MOTCUA_DATA_DIR>/pki, mode 0700
      dev-ca/ca.p12                         the development root CA (key + certificate)
      agencies/<organ code>/<fp>.p12        one file per agency certificate (key + certificate + chain)

Every key file is PKCS#12, encrypted with MOTCUA_SIGNING_KEY_PASSPHRASE (AES-256-CBC, key derived by
PBKDF2-HMAC-SHA256 with 600 000 rounds, SHA-256 MAC), so `openssl pkcs12` and every signing tool can
read it, and a copied file is useless without the passphrase. Keys stay out of the database on
purpose: a database dump or a SQL injection then never yields a key that signs in an agency's name.

The certificates themselves (public) are rows: `AgencyCertificate` and `TrustAnchor`. Only the
development CA is created here; in production an agency's certificate comes from a licensed CA
(`motcua pki import`), and the national root CA is added as a trust anchor (`motcua pki add-anchor`).
"""

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.core import audit
from motcua.lib.pdf import clean_text
from motcua.signing import conf
from motcua.signing.errors import PkiError
from motcua.signing.models import AgencyCertificate, TrustAnchor
from motcua.signing.selectors import current_certificate
from motcua.units.models import Agency

DEV_CA_NAME = x509.Name([
    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua"),
    x509.NameAttribute(NameOID.COMMON_NAME, "motcua Development CA"),
])
DEV_CA_LABEL = "motcua Development CA (chỉ dùng thử, không có giá trị pháp lý)"
DEV_CA_FILE = Path("dev-ca") / "ca.p12"
DEV_CA_VALIDITY = timedelta(days=3650)
AGENCY_VALIDITY = timedelta(days=730)
# Certificates start a few minutes in the past so a verifier whose clock runs slightly behind agrees.
CLOCK_SKEW = timedelta(minutes=5)
# X.520 upper bound for commonName and organizationName; some real agency names are longer.
NAME_MAX = 64
KDF_ROUNDS = 600_000
KEY_SCHEME = "file:"


# ----------------------------------------------------------------------------- small helpers

def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "X")


def _short(text: str) -> str:
    """A name cut at a word boundary to the X.520 limit of 64, counted (as `cryptography` counts it) in
    UTF-8 bytes, where a Vietnamese letter takes two or three; the organ code (OU) stays the identifier."""
    text = clean_text(text)
    if len(text.encode()) <= NAME_MAX:
        return text
    words = text.split(" ")
    while words and len((" ".join(words) + "…").encode()) > NAME_MAX:
        words.pop()
    return (" ".join(words) or text[:20]) + "…"


def _generate_key(kind: str):
    if kind == "rsa-3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return ec.generate_private_key(ec.SECP256R1())


def _key_usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs, content_commitment=not sign_certs, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=sign_certs, crl_sign=sign_certs,
        encipher_only=False, decipher_only=False,
    )


def _encryption():
    return (serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(KDF_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(conf.key_passphrase()))


def _private_dirs(directory: Path) -> None:
    """Create the folders from MOTCUA_PKI_DIR down to `directory`, each readable by the owner only."""
    root = conf.pki_dir()
    root.mkdir(parents=True, exist_ok=True)
    current = root
    os.chmod(current, 0o700)
    for part in directory.relative_to(root).parts:
        current = current / part
        current.mkdir(exist_ok=True)
        os.chmod(current, 0o700)


def _write_private(path: Path, data: bytes) -> None:
    """Write a key file readable by the owner only, atomically (no half-written key on a crash)."""
    _private_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def key_path(location: str) -> Path:
    """The file a `file:` key location names, refusing anything outside MOTCUA_PKI_DIR."""
    if not location.startswith(KEY_SCHEME):
        raise PkiError(_("Nơi lưu khóa “%(location)s” không được hỗ trợ (chỉ hỗ trợ tệp “file:” trong "
                         "thư mục MOTCUA_PKI_DIR).") % {"location": location})
    root = conf.pki_dir().resolve()
    path = (root / location[len(KEY_SCHEME):]).resolve()
    if root not in path.parents:
        raise PkiError(_("Nơi lưu khóa “%(location)s” nằm ngoài thư mục khóa.") % {"location": location})
    return path


def _load_p12(path: Path):
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PkiError(_("Không tìm thấy tệp khóa bí mật %(path)s.") % {"path": path}) from None
    try:
        return pkcs12.load_key_and_certificates(data, conf.key_passphrase())
    except ValueError:
        raise PkiError(_("Không mở được tệp khóa %(path)s: sai MOTCUA_SIGNING_KEY_PASSPHRASE hoặc tệp hỏng.")
                       % {"path": path}) from None


def _window(cert: x509.Certificate) -> tuple[datetime, datetime]:
    return cert.not_valid_before_utc, cert.not_valid_after_utc


# ----------------------------------------------------------------------------- trust anchors

def add_trust_anchor(pem: bytes | str, *, name: str = "", is_development: bool = False,
                     note: str = "", actor=None) -> tuple[TrustAnchor, bool]:
    """Trust a CA certificate for verification. Returns (anchor, created); adding it twice changes nothing."""
    if isinstance(pem, str):
        pem = pem.encode()
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError:
        try:
            cert = x509.load_der_x509_certificate(pem)
        except ValueError:
            raise PkiError(_("Tệp không phải chứng thư số X.509 (PEM hoặc DER).")) from None
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise PkiError(_("Chứng thư “%(subject)s” không phải chứng thư của tổ chức cấp (CA): không dùng làm gốc tin cậy.")
                       % {"subject": cert.subject.rfc4514_string()})
    before, after = _window(cert)
    with transaction.atomic():
        anchor, created = TrustAnchor.objects.get_or_create(
            fingerprint=fingerprint(cert),
            defaults={"name": clean_text(name) or cert.subject.rfc4514_string()[:200],
                      "certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
                      "subject": cert.subject.rfc4514_string()[:500], "not_before": before, "not_after": after,
                      "is_development": is_development, "note": clean_text(note)},
        )
        if created:
            audit.append("signing.trust_anchor_added", object_type="trust_anchor", object_id=anchor.pk, actor=actor,
                         after={"subject": anchor.subject, "fingerprint": anchor.fingerprint,
                                "development": is_development})
    return anchor, created


# ----------------------------------------------------------------------------- the development CA

@dataclass
class DevCa:
    key: object
    cert: x509.Certificate


def load_dev_ca() -> DevCa | None:
    path = conf.pki_dir() / DEV_CA_FILE
    if not path.exists():
        return None
    key, cert, _chain = _load_p12(path)
    return DevCa(key=key, cert=cert)


def init_dev_ca(*, at: datetime | None = None) -> tuple[DevCa, bool]:
    """The development root CA: loaded from MOTCUA_PKI_DIR, or created there. Returns (ca, created).

    Its DN is "CN=motcua Development CA, O=motcua, C=VN" and its trust anchor row is marked
    development, so verification always says a document it vouches for has no legal value.
    """
    existing = load_dev_ca()
    if existing is not None:
        add_trust_anchor(existing.cert.public_bytes(serialization.Encoding.PEM), name=DEV_CA_LABEL,
                         is_development=True)
        return existing, False
    at = at or timezone.now()
    key = _generate_key(conf.key_type())
    cert = (
        x509.CertificateBuilder()
        .subject_name(DEV_CA_NAME).issuer_name(DEV_CA_NAME).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(at - CLOCK_SKEW).not_valid_after(at + DEV_CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    blob = pkcs12.serialize_key_and_certificates(b"motcua-dev-ca", key, cert, None, _encryption())
    _write_private(conf.pki_dir() / DEV_CA_FILE, blob)
    add_trust_anchor(cert.public_bytes(serialization.Encoding.PEM), name=DEV_CA_LABEL, is_development=True)
    return DevCa(key=key, cert=cert), True


# ----------------------------------------------------------------------------- agency certificates

def agency_subject(agency: Agency) -> x509.Name:
    """CN=<agency name>, OU=<organ code>, O=<superior body, or the agency itself>, C=VN."""
    superior = agency.parent.name if agency.parent_id else agency.name
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _short(superior)),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, agency.organ_code),
        x509.NameAttribute(NameOID.COMMON_NAME, _short(agency.name)),
    ])


def _require_organ_code(agency: Agency) -> None:
    if not agency.organ_code:
        raise PkiError(_("Cơ quan “%(name)s” chưa có mã định danh: không cấp được chứng thư số (mã định danh "
                         "là thông tin nhận diện cơ quan trong chứng thư).") % {"name": agency.name})


def _store_agency_key(agency: Agency, key, cert: x509.Certificate, chain: list[x509.Certificate]) -> str:
    relative = Path("agencies") / agency.organ_code / f"{fingerprint(cert)[:16]}.p12"
    blob = pkcs12.serialize_key_and_certificates(agency.organ_code.encode(), key, cert, chain or None, _encryption())
    _write_private(conf.pki_dir() / relative, blob)
    return KEY_SCHEME + relative.as_posix()


def _save_certificate(agency: Agency, cert: x509.Certificate, chain: list[x509.Certificate], key, *,
                      actor, action: str) -> AgencyCertificate:
    location = _store_agency_key(agency, key, cert, chain)
    before, after = _window(cert)
    try:
        with transaction.atomic():
            row = AgencyCertificate.objects.create(
                agency=agency,
                certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
                chain_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in chain),
                serial=serial_hex(cert), fingerprint=fingerprint(cert),
                subject=cert.subject.rfc4514_string()[:500], issuer=cert.issuer.rfc4514_string()[:500],
                not_before=before, not_after=after, key_location=location,
            )
            audit.append(action, object_type="agency_certificate", object_id=row.pk, actor=actor,
                         after={"agency": agency.organ_code, "serial": row.serial, "fingerprint": row.fingerprint,
                                "subject": row.subject, "issuer": row.issuer, "not_after": after.isoformat()})
    except Exception:
        # No orphan key file for a certificate the database does not know.
        key_path(location).unlink(missing_ok=True)
        raise
    _cache_key(row, key)
    return row


def issue_certificate(agency: Agency, *, actor=None, at: datetime | None = None,
                      validity: timedelta = AGENCY_VALIDITY, ca: DevCa | None = None) -> AgencyCertificate:
    """A new signing certificate for the agency from the development CA (key usage: signature, non-repudiation)."""
    _require_organ_code(agency)
    ca = ca or load_dev_ca()
    if ca is None:
        raise PkiError(_("Chưa có CA phát triển: chạy “motcua pki init-ca” trước (hoặc nhập chứng thư do tổ chức "
                         "cung cấp dịch vụ chứng thực cấp bằng “motcua pki import”)."))
    at = at or timezone.now()
    key = _generate_key(conf.key_type())
    cert = (
        x509.CertificateBuilder()
        .subject_name(agency_subject(agency)).issuer_name(ca.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(at - CLOCK_SKEW).not_valid_after(at + validity)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_certs=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return _save_certificate(agency, cert, [ca.cert], key, actor=actor, action="signing.certificate_issued")


def import_pkcs12(agency: Agency, data: bytes, password: bytes | None, *, actor=None) -> AgencyCertificate:
    """Install a certificate and key that a licensed CA issued to the agency (a .p12/.pfx file).

    The file is re-encrypted with MOTCUA_SIGNING_KEY_PASSPHRASE; the CA's chain is kept to be
    embedded in each signature, so a verifier needs only the root CA.
    """
    _require_organ_code(agency)
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise PkiError(_("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không đúng định dạng.")) from None
    if key is None or cert is None:
        raise PkiError(_("Tệp PKCS#12 phải chứa cả khóa bí mật và chứng thư số của cơ quan."))
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise PkiError(_("Chỉ hỗ trợ khóa RSA hoặc ECDSA."))
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise PkiError(_("Khóa bí mật không khớp với chứng thư số trong tệp."))
    before, after = _window(cert)
    if timezone.now() >= after:
        raise PkiError(_("Chứng thư số đã hết hạn từ %(at)s.") % {"at": timezone.localtime(after).strftime("%d/%m/%Y")})
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise PkiError(_("Chứng thư số không được phép dùng để ký (thiếu digitalSignature/nonRepudiation)."))
    except x509.ExtensionNotFound:
        pass
    if AgencyCertificate.objects.filter(fingerprint=fingerprint(cert)).exists():
        raise PkiError(_("Chứng thư số này đã được cài đặt."))
    return _save_certificate(agency, cert, list(chain), key, actor=actor, action="signing.certificate_imported")


def revoke_certificate(certificate: AgencyCertificate, *, reason: str, actor=None,
                       at: datetime | None = None) -> AgencyCertificate:
    """Stop using a certificate: it signs nothing more, and verification reports its signatures invalid."""
    if not clean_text(reason):
        raise PkiError(_("Cần nêu lý do thu hồi chứng thư số."))
    at = at or timezone.now()
    with transaction.atomic():
        row = AgencyCertificate.objects.select_for_update().get(pk=certificate.pk)
        if row.revoked_at is None:
            row.revoked_at = at
            row.revocation_reason = clean_text(reason)[:300]
            row.save(update_fields=["revoked_at", "revocation_reason"])
            audit.append("signing.certificate_revoked", object_type="agency_certificate", object_id=row.pk,
                         actor=actor, after={"serial": row.serial, "reason": row.revocation_reason,
                                             "revoked_at": at.isoformat()})
    return row


# ----------------------------------------------------------------------------- keys for signing

# Decrypting a key file costs about 0.1 s (600 000 PBKDF2 rounds, twice): a process keeps the keys
# it has opened, by certificate fingerprint and file, so each signature does not pay it again.
_KEY_CACHE: "OrderedDict[tuple, object]" = OrderedDict()
_KEY_CACHE_SIZE = 64
_KEY_LOCK = threading.Lock()


def _cache_id(row: AgencyCertificate) -> tuple:
    return (row.fingerprint, str(key_path(row.key_location)))


def _cache_key(row: AgencyCertificate, key) -> None:
    with _KEY_LOCK:
        _KEY_CACHE[_cache_id(row)] = key
        _KEY_CACHE.move_to_end(_cache_id(row))
        while len(_KEY_CACHE) > _KEY_CACHE_SIZE:
            _KEY_CACHE.popitem(last=False)


def signing_key(row: AgencyCertificate):
    """The private key of an agency certificate, checked to match the certificate."""
    cache_id = _cache_id(row)
    with _KEY_LOCK:
        key = _KEY_CACHE.get(cache_id)
    if key is not None:
        return key
    key, cert, _chain = _load_p12(key_path(row.key_location))
    if key is None or cert is None or fingerprint(cert) != row.fingerprint:
        raise PkiError(_("Tệp khóa %(location)s không khớp với chứng thư số %(serial)s.")
                       % {"location": row.key_location, "serial": row.serial})
    _cache_key(row, key)
    return key


def is_development(row: AgencyCertificate) -> bool:
    """Was the certificate issued by a development CA (whose signatures have no legal value)?"""
    return TrustAnchor.objects.filter(is_development=True, subject=row.issuer).exists()


def key_file_exists(row: AgencyCertificate) -> bool:
    try:
        return key_path(row.key_location).exists()
    except PkiError:
        return False


# ----------------------------------------------------------------------------- the demo set-up

@dataclass
class DevPkiReport:
    ca_created: bool = False
    issued: list[AgencyCertificate] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [_("Đã tạo CA phát triển “motcua Development CA” (chỉ dùng thử).") if self.ca_created
                 else _("CA phát triển: đã có.")]
        for row in self.issued:
            lines.append(_("Đã cấp chứng thư số cho %(agency)s (số hiệu %(serial)s).")
                         % {"agency": row.agency, "serial": row.serial})
        if not self.issued:
            lines.append(_("Chứng thư số của cơ quan: không cần cấp thêm."))
        return lines


def agencies_needing_certificates() -> list[Agency]:
    """Agencies with an active approver (only they issue results) and an organ code."""
    ids = StaffMembership.objects.filter(active=True, role=Role.APPROVER).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids, organ_code__isnull=False).order_by("organ_code"))


def ensure_dev_pki(*, agencies: list[Agency] | None = None, at: datetime | None = None) -> DevPkiReport:
    """The development CA, and a certificate for each agency that signs results and has none usable.

    Idempotent: a second run creates nothing. A certificate whose key file was lost (e.g. a copied
    database without the pki folder) is replaced, since it can no longer sign.
    """
    at = at or timezone.now()
    ca, created = init_dev_ca(at=at)
    report = DevPkiReport(ca_created=created)
    for agency in agencies if agencies is not None else agencies_needing_certificates():
        if agency.organ_code is None:
            continue
        current = current_certificate(agency, at=at)
        if current is None or not key_file_exists(current):
            report.issued.append(issue_certificate(agency, at=at, ca=ca))
    return report


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
