"""Test helpers: poppler's pdfsig, a CA of our own that motcua does not trust, PDF surgery."""

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


def pdfsig(content: bytes) -> str:
    """What poppler's pdfsig says about the signatures of a PDF."""
    tool = shutil.which("pdfsig")
    if tool is None:
        pytest.fail("`pdfsig` is missing: install poppler-utils to check the signatures")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        done = subprocess.run([tool, str(path)], capture_output=True, text=True)
    return done.stdout + done.stderr


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def foreign_signer(cn: str = "UBND Xã Giả Mạo") -> signers.SimpleSigner:
    """A signer whose certificate comes from a CA made here, which no trust anchor knows."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Một CA lạ", "CA lạ")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn, "CA lạ")).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    der = serialization.Encoding.DER
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                                     serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca.public_bytes(der))]),
    )


def sign_with(signer: signers.SimpleSigner, content: bytes, field_name: str = "ChuKyLa") -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    return signers.PdfSigner(meta, signer=signer).sign_pdf(writer).getvalue()


def flip(content: bytes, position: int) -> bytes:
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)


def signed_ranges(content: bytes) -> list[tuple[int, int]]:
    """The two byte ranges the (first) signature covers, read from its /ByteRange."""
    start = content.index(b"/ByteRange")
    numbers = content[start:content.index(b"]", start)].split(b"[", 1)[1].split()
    a, b, c, d = (int(n) for n in numbers)
    return [(a, a + b), (c, c + d)]


def licensed_ca_p12(agency, *, password: bytes) -> tuple[bytes, bytes]:
    """What a licensed CA hands an agency: a .p12 with an RSA key, its certificate and the issuing
    (intermediate) CA; and that CA's root certificate. Returns (p12 bytes, root PEM)."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    now = dt.datetime.now(dt.UTC)

    def ca(name, key, issuer_name, issuer_key):
        return (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
                .sign(issuer_key, hashes.SHA256()))

    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("Root CA thử nghiệm", "Trung tâm chứng thực thử")
    root = ca(root_name, root_key, root_name, root_key)
    sub_key = ec.generate_private_key(ec.SECP256R1())
    sub_name = _name("CA cấp dưới thử nghiệm", "Nhà cung cấp dịch vụ chứng thực thử")
    sub = ca(sub_name, sub_key, root_name, root_key)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                         x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, agency.organ_code),
                         x509.NameAttribute(NameOID.COMMON_NAME, agency.name[:64])])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(sub_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=730))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(sub_key, hashes.SHA256()))
    p12 = pkcs12.serialize_key_and_certificates(b"agency", key, cert, [sub],
                                                serialization.BestAvailableEncryption(password))
    return p12, root.public_bytes(serialization.Encoding.PEM)
