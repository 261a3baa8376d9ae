"""Safe XML parsing and enveloped XML signatures (XMLDSig) for the exchange axis.

Format-neutral on purpose: `edxml.py` says *which* element carries the signature and what the
content means; this module only parses untrusted bytes safely, signs a whole document and verifies
it against certificates registered out of band. Profile (docs/exchange-edxml.md):

* RSA-SHA256 over exclusive c14n, one `Reference URI=""` (the whole document) with the
  enveloped-signature transform and a SHA-256 digest, the signer's X.509 certificate in `KeyInfo`.
* Verification is pinned: the certificate embedded in `KeyInfo` is only a hint for choosing among
  the trusted ones, never a trust anchor. A document whose Reference is not `""` is refused, so a
  signature can never cover only a part of what is processed.
* The caller reads the content from `Verified.root`, the canonical form of exactly the bytes the
  digest covered (signxml's `signed_xml`), never from its own parse: a signature-wrapping attack
  then has nothing unsigned to smuggle in.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from lxml import etree

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

# SHA-1 is refused (collisions are practical); the public samples' rsa-sha1 therefore never verifies.
ACCEPTED_ALGORITHMS = frozenset({
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
})

# libxml2 refuses a single text node over 10,000,000 bytes unless huge_tree is on; we keep it off
# (no depth/size limits lifted for untrusted input), which caps one base64 attachment at this size.
MAX_TEXT_NODE = 10_000_000

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class XmlInputError(ValueError):
    """Bytes that are not acceptable XML. `.message` is Vietnamese, for the person who sent them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class XmlSignatureError(ValueError):
    """A missing, broken, untrusted or misplaced signature. `.reason` is a stable English code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not thread-safe.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_blank_text=False)


def parse_xml(data: bytes, *, max_bytes: int) -> etree._Element:
    """Parse untrusted bytes: size checked first, any DOCTYPE/ENTITY refused outright (XXE, billion
    laughs), no network, no DTD, libxml2's default resource limits kept."""
    if not isinstance(data, (bytes, bytearray)):
        raise XmlInputError("Dữ liệu gói tin phải là chuỗi byte XML.")
    if len(data) > max_bytes:
        raise XmlInputError(f"Gói tin dung lượng {len(data):,} byte, vượt giới hạn {max_bytes:,} byte.")
    if not data.strip():
        raise XmlInputError("Gói tin rỗng.")
    # Cheap early refusal for the common (UTF-8/ASCII) case; the docinfo check below catches the rest
    # (e.g. a UTF-16 document), and entities are never resolved either way.
    if _DOCTYPE.search(data):
        raise XmlInputError("Gói tin chứa khai báo DOCTYPE/ENTITY: không được phép (chống XXE và bom thực thể).")
    try:
        root = etree.fromstring(bytes(data), parser=_parser())
    except etree.XMLSyntaxError as exc:
        text = str(exc)
        if "Text node too long" in text or "Resource limit" in text:
            raise XmlInputError(
                f"Gói tin có một trường văn bản quá lớn (tối đa {MAX_TEXT_NODE:,} byte mỗi trường, "
                "tức khoảng 7 MB cho một tệp đính kèm).") from None
        raise XmlInputError(f"Gói tin không phải XML hợp lệ: {text}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise XmlInputError("Gói tin chứa khai báo DOCTYPE/ENTITY: không được phép (chống XXE và bom thực thể).")
    for _ in root.iter(etree.Entity):
        raise XmlInputError("Gói tin chứa tham chiếu thực thể XML: không được phép.")
    return root


def b64decode_strict(text: str | None) -> bytes:
    """Base64 with line breaks allowed (the samples wrap nothing, other systems wrap at 76) but any
    other stray character or wrong padding refused; raises binascii.Error (a ValueError)."""
    try:
        compact = (text or "").encode("ascii").translate(None, b" \t\r\n")
    except UnicodeEncodeError:
        raise binascii.Error("non-ASCII character in base64") from None
    return base64.b64decode(compact, validate=True) if compact else b""


# ----------------------------------------------------------------------------- certificates

def load_certificate(pem: bytes | str) -> x509.Certificate:
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise XmlSignatureError("bad_certificate", "Chứng thư số không đọc được (không phải PEM/DER X.509).") from None


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def common_name(cert: x509.Certificate) -> str:
    try:
        names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    except ValueError:
        return ""
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def signature_elements(root: etree._Element) -> list[etree._Element]:
    """Every element named Signature, in the XMLDSig namespace or (like the public edXML samples,
    whose unprefixed Signature inherits the edXML default namespace) any other."""
    return [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "Signature"]


def embedded_certificate(root: etree._Element) -> x509.Certificate | None:
    """The first readable X509Certificate in an XMLDSig Signature (a hint, never a trust anchor)."""
    for sig in root.iter(f"{{{DS_NS}}}Signature"):
        for el in sig.iter(f"{{{DS_NS}}}X509Certificate"):
            try:
                return x509.load_der_x509_certificate(b64decode_strict(el.text))
            except (ValueError, binascii.Error):
                continue
    return None


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


# ----------------------------------------------------------------------------- sign / verify

@functools.lru_cache(maxsize=16)
def _private_key(key_pem: bytes):
    """Loading an RSA key runs cryptography's full key-consistency check (~200 ms for RSA-2048 on
    the bench machine, 60× the signature itself), so an agency key is loaded once per process."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(bytes(key_pem), password=None)


def sign_enveloped(root: etree._Element, *, key_pem: bytes, cert_pem: bytes) -> bytes:
    """Sign the whole document. A `<ds:Signature Id="placeholder"/>` in `root` says where the
    signature goes (edXML puts it at the end of edXMLHeader); without one it ends the root."""
    from signxml import XMLSigner, methods
    from signxml.exceptions import InvalidInput

    signer = XMLSigner(method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=EXC_C14N)
    signer.namespaces = {"ds": DS_NS}
    try:
        signed = signer.sign(root, key=_private_key(bytes(key_pem)), cert=cert_pem)
    except (InvalidInput, ValueError, TypeError) as exc:
        raise XmlSignatureError("bad_key", f"Không ký được gói tin: khóa hoặc chứng thư số không hợp lệ ({exc}).") \
            from None
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Verified:
    root: etree._Element          # the signed content only (canonical form of what the digest covers)
    certificate: x509.Certificate  # the trusted certificate that verified it


def _check_shape(root: etree._Element, location: str, namespaces: dict[str, str]) -> None:
    """Refuse, before any cryptography, what the profile never produces: no, several or misplaced
    signatures, a Reference that is not the whole document, SHA-1 or unknown algorithms."""
    sigs = signature_elements(root)
    if not sigs:
        raise XmlSignatureError("missing", "Gói tin không có chữ ký số (Signature).")
    ds_sigs = [s for s in sigs if s.tag == f"{{{DS_NS}}}Signature"]
    if not ds_sigs:
        raise XmlSignatureError("not_xmldsig", "Phần tử Signature không thuộc không gian tên XMLDSig "
                                "(http://www.w3.org/2000/09/xmldsig#): không kiểm tra được chữ ký.")
    if len(ds_sigs) > 1:
        raise XmlSignatureError("ambiguous", f"Gói tin có {len(ds_sigs)} chữ ký số; chỉ chấp nhận đúng một.")
    expected = root.findall(location + "ds:Signature", namespaces={**namespaces, "ds": DS_NS})
    if len(expected) != 1 or expected[0] is not ds_sigs[0]:
        raise XmlSignatureError("misplaced", "Chữ ký số không nằm ở vị trí quy định (cuối edXMLHeader).")
    ds = {"ds": DS_NS}
    refs = ds_sigs[0].findall("ds:SignedInfo/ds:Reference", namespaces=ds)
    if len(refs) != 1 or refs[0].get("URI") != "":
        raise XmlSignatureError("partial", "Chữ ký số phải ký toàn bộ gói tin (đúng một Reference URI=\"\").")
    algorithms = [el.get("Algorithm", "") for el in ds_sigs[0].iterfind("ds:SignedInfo/ds:SignatureMethod", ds)]
    algorithms += [el.get("Algorithm", "") for el in refs[0].iterfind("ds:DigestMethod", ds)]
    weak = [a for a in algorithms if a not in ACCEPTED_ALGORITHMS]
    if weak or len(algorithms) != 2:
        raise XmlSignatureError("algorithm", "Thuật toán chữ ký/băm không được chấp nhận "
                                f"({', '.join(weak) or 'thiếu'}); chỉ nhận RSA/ECDSA với SHA-256 trở lên.")


def _attempt(data: bytes, cert: x509.Certificate, config) -> tuple[etree._Element | None, XmlSignatureError | None]:
    """(signed content, None) or (None, why this certificate did not verify); raises when the key
    matched but the content changed, since no other certificate can do better."""
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature

    try:
        result = XMLVerifier().verify(bytes(data), x509_cert=cert, expect_config=config)
    except InvalidDigest:
        raise XmlSignatureError("digest", "Nội dung gói tin đã bị thay đổi sau khi ký "
                                "(giá trị băm không khớp).") from None
    except InvalidCertificate as exc:
        return None, XmlSignatureError("certificate", f"Chứng thư số không còn hiệu lực: {exc}")
    except InvalidSignature:
        return None, XmlSignatureError("signature", "Chữ ký số không khớp với chứng thư số đã đăng ký "
                                       "của cơ quan gửi.")
    except (InvalidInput, ValueError, etree.LxmlError) as exc:
        # LxmlError: the Signature element fails the XMLDSig schema (e.g. a truncated certificate).
        return None, XmlSignatureError("malformed", f"Chữ ký số sai cấu trúc: {exc}")
    if result.signed_xml is None:
        raise XmlSignatureError("malformed", "Nội dung đã ký không đọc được.")
    return result.signed_xml, None


def verify_enveloped(data: bytes, root: etree._Element, *, trusted_cert_pems: list[bytes], location: str,
                     namespaces: dict[str, str]) -> Verified:
    """Verify the one Signature at `location` (an ElementPath ending in '/', relative to the root)
    against one of `trusted_cert_pems`. `root` is our own safe parse of `data`, used only to look
    at the signature's shape; the content comes from signxml's canonical `signed_xml`."""
    from signxml import SignatureConfiguration

    _check_shape(root, location, namespaces)
    if not trusted_cert_pems:
        raise XmlSignatureError("no_trusted_cert", "Không có chứng thư số tin cậy nào để kiểm tra chữ ký.")
    trusted = [load_certificate(p) for p in trusted_cert_pems]
    hint = embedded_certificate(root)
    if hint is not None:
        # Try the certificate the signer names first; the others stay candidates (key rollover).
        trusted.sort(key=lambda c: fingerprint(c) != fingerprint(hint))

    # Our namespace map makes ElementPath resolve prefixes; signxml wants Clark notation.
    clark = location
    for prefix, uri in namespaces.items():
        clark = clark.replace(f"{prefix}:", f"{{{uri}}}")
    config = SignatureConfiguration(location=clark, expect_references=1)
    errors: list[XmlSignatureError] = []
    for cert in trusted:
        signed, error = _attempt(data, cert, config)
        if signed is not None:
            return Verified(root=signed, certificate=cert)
        errors.append(error)
    # The certificate the signer names, when registered, gives the telling reason (e.g. it expired);
    # otherwise none of the registered certificates made this signature.
    if hint is not None and fingerprint(trusted[0]) == fingerprint(hint):
        raise errors[0]
    for err in errors:
        if err.reason in {"signature", "malformed"}:
            raise err
    raise errors[0]
