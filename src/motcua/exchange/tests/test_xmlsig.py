"""Signatures and hostile input: wrong certificate, tampering, removal, wrapping, XXE, bombs, size.

Pure library tests: no database.
"""

import contextlib
import copy
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree
from signxml import XMLSigner, methods

from motcua.exchange import edxml, xmlsig
from motcua.exchange.tests.fixtures.pki import make_cert

DS = xmlsig.DS_NS
NS = {"e": edxml.NS, "ds": DS}
SENDER = "000.00.11.H53"
KEY, CERT = make_cert("Sở Tài chính tỉnh Tây Ninh", SENDER)
OTHER_KEY, OTHER_CERT = make_cert("Văn phòng Tỉnh ủy Tây Ninh", "000.00.01.A53")
SUBJECT = "Về việc báo cáo quyết toán ngân sách"
FORGED = "Về việc chuyển toàn bộ kinh phí sang tài khoản X"


def package(subject: str = SUBJECT, attachment: bytes = b"%PDF-1.7 noi dung that") -> edxml.Package:
    return edxml.Package(
        edxml.Header(sender=edxml.Organ(SENDER, "Sở Tài chính"), recipients=(edxml.Organ("000.00.01.A53"),),
                     document_id=f"{SENDER},2026/11/26,2491/STC-BCTC", code_number="2491", code_notation="STC-BCTC",
                     promulgation_place="Tây Ninh", promulgation_date=date(2026, 11, 26), document_type="Công văn",
                     subject=subject),
        (edxml.Attachment("bao-cao.pdf", "application/pdf", attachment),))


@pytest.fixture(scope="module")
def signed() -> bytes:
    return edxml.build_package(package(), key_pem=KEY, cert_pem=CERT)


def refused(data: bytes, *, certs=(CERT,)) -> edxml.SignatureError:
    with pytest.raises(edxml.SignatureError) as info:
        edxml.verify_package(data, trusted_cert_pems=list(certs))
    assert info.value.field == "Signature"
    assert info.value.message
    return info.value


def refused_input(data: bytes, **kwargs) -> edxml.EdxmlError:
    """Hostile bytes are refused the same way by every entry point, before any signature work."""
    errors = []
    for call in (lambda: edxml.parse_package(data, **kwargs), lambda: edxml.parse_status(data, **kwargs),
                 lambda: edxml.verify_package(data, trusted_cert_pems=[CERT], **kwargs),
                 lambda: edxml.inspect_package(data, **kwargs), lambda: edxml.signer_certificate(data, **kwargs)):
        with pytest.raises(edxml.EdxmlError) as info:
            call()
        assert not isinstance(info.value, edxml.SignatureError)
        assert info.value.field == "edXML"
        errors.append(info.value)
    return errors[0]


# ----------------------------------------------------------------------------- trust

def test_right_certificate_verifies_and_returns_the_signed_package(signed):
    assert edxml.verify_package(signed, trusted_cert_pems=[CERT]) == package()


def test_one_of_several_registered_certificates_is_enough(signed):
    # Key rollover: the organ has an old and a new certificate registered.
    assert edxml.verify_package(signed, trusted_cert_pems=[OTHER_CERT, CERT]).header.subject == SUBJECT


def test_another_organs_certificate_is_refused(signed):
    err = refused(signed, certs=[OTHER_CERT])
    assert err.reason == "signature"
    assert "chứng thư số đã đăng ký" in err.message


def test_no_registered_certificate_is_refused(signed):
    assert refused(signed, certs=[]).reason == "no_trusted_cert"


def test_self_signed_by_an_impostor_embedding_its_own_certificate_is_refused():
    # Anyone can make a key and embed its certificate: only the registered one counts.
    forged = edxml.build_package(package(FORGED), key_pem=OTHER_KEY, cert_pem=OTHER_CERT)
    assert edxml.signer_certificate(forged) == OTHER_CERT
    refused(forged)
    info = edxml.inspect_package(forged, trusted_cert_pems=[CERT])
    assert info["signature"]["intact"] is True and info["signature"]["valid"] is False


def test_expired_registered_certificate_is_refused():
    key, cert = make_cert("Sở cũ", SENDER, not_before=datetime.now(UTC) - timedelta(days=800), days=365)
    data = edxml.build_package(package(), key_pem=key, cert_pem=cert)
    err = refused(data, certs=[cert])
    assert err.reason == "certificate"
    assert "hiệu lực" in err.message


# ----------------------------------------------------------------------------- tampering

@pytest.mark.parametrize("part", ["subject", "attachment", "recipient", "business type"])
def test_one_changed_byte_is_refused(signed, part):
    if part == "subject":
        tampered = signed.replace("quyết toán".encode(), "quyết toan".encode(), 1)
    elif part == "attachment":
        # Flip one base64 character of the attachment and keep it valid base64.
        tree = etree.fromstring(signed)
        el = tree.find("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", NS)
        old = el.text
        tampered = signed.replace(old.encode(), (("B" if old[0] != "B" else "C") + old[1:]).encode())
    elif part == "recipient":
        tampered = signed.replace(b"000.00.01.A53", b"000.00.02.A53", 1)
    else:
        tampered = signed.replace(b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>1<", 1)
    assert tampered != signed
    assert refused(tampered).reason == "digest"
    if part != "business type":  # (1 without a reason is not even a valid package to inspect)
        assert edxml.inspect_package(tampered, trusted_cert_pems=[CERT])["signature"]["valid"] is False


def test_removed_signature_is_refused(signed):
    tree = etree.fromstring(signed)
    sig = tree.find(".//ds:Signature", NS)
    sig.getparent().remove(sig)
    data = etree.tostring(tree)
    assert edxml.parse_package(data) == package()  # still a well-formed package...
    err = refused(data)  # ...but not a signed one
    assert err.reason == "missing"
    info = edxml.inspect_package(data, trusted_cert_pems=[CERT])["signature"]
    assert (info["present"], info["valid"]) == (False, False)


def test_signature_value_or_certificate_garbled_is_refused(signed):
    tree = etree.fromstring(signed)
    value = tree.find(".//ds:SignatureValue", NS)
    value.text = value.text[:-8] + "AAAAAAA="
    refused(etree.tostring(tree))
    tree = etree.fromstring(signed)
    tree.find(".//ds:X509Certificate", NS).text = "MIIFqTCCBJG"  # truncated, as in the public samples
    assert edxml.signer_certificate(etree.tostring(tree)) is None
    assert refused(etree.tostring(tree)).reason == "malformed"  # fails the XMLDSig schema


def test_sha1_signature_is_refused():
    root = edxml.to_element(package())
    sig = root.find(".//ds:Signature", NS)
    sig.getparent().remove(sig)


    class LegacySigner(XMLSigner):  # what older peers (and the public samples) still produce
        def check_deprecated_methods(self):
            pass

    signer = LegacySigner(method=methods.enveloped, signature_algorithm="rsa-sha1", digest_algorithm="sha1",
                          c14n_algorithm=xmlsig.EXC_C14N)
    header = root.find("e:edXMLEnvelope/e:edXMLHeader", NS)
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder")
    data = etree.tostring(signer.sign(root, key=KEY, cert=CERT))
    err = refused(data)
    assert err.reason == "algorithm"
    assert "rsa-sha1" in err.message


# ----------------------------------------------------------------------------- signature wrapping

def test_wrapping_original_into_object_with_forged_content_is_refused(signed):
    """The classic XSW: the signed envelope hidden in ds:Object, a forged one where it is read."""
    original = etree.fromstring(signed)
    forged = copy.deepcopy(original)
    forged.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:Subject", NS).text = FORGED
    forged.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:Content", NS).text = FORGED
    sig = forged.find("e:edXMLEnvelope/e:edXMLHeader/ds:Signature", NS)
    obj = etree.SubElement(sig, f"{{{DS}}}Object")
    obj.append(copy.deepcopy(original.find("e:edXMLEnvelope", NS)))
    data = etree.tostring(forged)
    assert edxml.parse_package(data).header.subject == FORGED  # why parse_package is never trusted
    refused(data)


def test_wrapping_signature_moved_beside_a_forged_envelope_is_refused(signed):
    original = etree.fromstring(signed)
    forged_root = etree.Element(f"{{{edxml.NS}}}edXML", nsmap={"edXML": edxml.NS})
    forged_env = copy.deepcopy(original.find("e:edXMLEnvelope", NS))
    forged_env.find("e:edXMLHeader/e:MessageHeader/e:Subject", NS).text = FORGED
    forged_root.append(forged_env)
    # The untouched signed document travels along inside an extension element.
    wrapper = etree.SubElement(forged_root, f"{{{edxml.NS}}}Extension")
    wrapper.append(copy.deepcopy(original))
    forged_root.append(copy.deepcopy(original.find("e:AttachmentEncoded", NS)))
    with pytest.raises(edxml.SignatureError):
        edxml.verify_package(etree.tostring(forged_root), trusted_cert_pems=[CERT])


def test_a_second_signature_is_refused(signed):
    tree = etree.fromstring(signed)
    header = tree.find("e:edXMLEnvelope/e:edXMLHeader", NS)
    extra = copy.deepcopy(header.find("ds:Signature", NS))
    tree.find("e:edXMLEnvelope/e:edXMLBody", NS).append(extra)
    assert refused(etree.tostring(tree)).reason == "ambiguous"


def test_misplaced_signature_is_refused(signed):
    tree = etree.fromstring(signed)
    sig = tree.find("e:edXMLEnvelope/e:edXMLHeader/ds:Signature", NS)
    tree.append(sig)  # moved to the end of the root (signxml's default place)
    assert refused(etree.tostring(tree)).reason == "misplaced"


def test_signature_over_part_of_the_document_is_refused():
    """Signed by the real key but over MessageHeader only (Reference URI="#mh"): attachments and
    anything else would be unsigned, so the profile requires URI="" (the whole package)."""
    root = edxml.to_element(package())
    root.find(".//e:MessageHeader", NS).set("Id", "mh")
    signer = XMLSigner(method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=xmlsig.EXC_C14N)
    data = etree.tostring(signer.sign(root, key=KEY, cert=CERT, reference_uri="#mh"))
    tree = etree.fromstring(data)
    enc = tree.find("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", NS)
    enc.text = "TUFMV0FSRQ=="  # "MALWARE": outside the signed part
    err = refused(etree.tostring(tree))
    assert err.reason == "partial"


def test_forged_subject_never_comes_out_of_verify():
    """Property of the API: whatever is returned was signed; a forged subject only ever raises."""
    signed = edxml.build_package(package(), key_pem=KEY, cert_pem=CERT)
    tree = etree.fromstring(signed)
    tree.find(".//e:Subject", NS).text = FORGED
    for data in (etree.tostring(tree), signed.replace(SUBJECT.encode(), FORGED.encode())):
        try:
            result = edxml.verify_package(data, trusted_cert_pems=[CERT])
        except edxml.SignatureError:
            continue
        assert result.header.subject != FORGED


# ----------------------------------------------------------------------------- hostile XML

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<Subject>&e;</Subject></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol9;</edXML>"""


def test_xxe_is_refused():
    err = refused_input(XXE)
    assert "DOCTYPE" in err.message


def test_xxe_in_utf16_is_refused_too():
    # The byte scan misses UTF-16; the parsed document's DTD check does not.
    refused_input(XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))


def test_billion_laughs_is_refused():
    assert "DOCTYPE" in refused_input(BILLION_LAUGHS).message


def test_external_dtd_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE edXML SYSTEM "http://attacker.example/x.dtd">'
            b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>')
    refused_input(data)


def test_oversized_package_is_refused_before_parsing(signed, settings):
    err = refused_input(signed, max_bytes=len(signed) - 1)
    assert "vượt giới hạn" in err.message
    settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES = 1000  # the setting is read at call time
    assert edxml.max_package_bytes() == 1000
    refused_input(signed)
    with pytest.raises(edxml.EdxmlError) as info:
        edxml.build_package(package(), key_pem=KEY, cert_pem=CERT)
    assert info.value.field == "AttachmentEncoded"


def test_attachment_too_large_for_one_xml_text_node():
    big = edxml.Package(package().header, (edxml.Attachment("lon.bin", "application/octet-stream",
                                                            b"\0" * (edxml.MAX_ATTACHMENT_BYTES + 1)),))
    with pytest.raises(edxml.EdxmlError) as info:
        edxml.build_package(big, key_pem=KEY, cert_pem=CERT)
    assert info.value.field == "AttachmentEncoded/Attachment[1]/ContentTransferEncoded"
    # And what another system might send: a text node over libxml2's 10 MB limit, refused clearly.
    data = (b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><AttachmentEncoded><Attachment>'
            b"<ContentTransferEncoded>" + b"A" * (xmlsig.MAX_TEXT_NODE + 4) + b"</ContentTransferEncoded>"
            b"</Attachment></AttachmentEncoded></edXML>")
    assert "quá lớn" in refused_input(data).message


def test_deep_nesting_is_refused():
    data = b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">' + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</edXML>"
    refused_input(data)


def test_non_bytes_input_is_refused():
    with pytest.raises(edxml.EdxmlError):
        edxml.parse_package("<edXML/>")


def test_status_signatures(signed):
    key, cert = make_cert("UBND tỉnh Nghệ An", "000.00.00.H41")
    status = edxml.StatusMessage(
        sender=edxml.Organ("000.00.00.H41"), recipient=edxml.Organ(SENDER),
        document_id=f"{SENDER},2026/11/26,2491/STC-BCTC", status_code="03", description="Đã vào sổ",
        timestamp=datetime(2026, 11, 26, 8, 0, tzinfo=edxml.VN_TZ))
    data = edxml.build_status(status, key_pem=key, cert_pem=cert)
    assert edxml.verify_status(data, trusted_cert_pems=[cert]) == status
    with pytest.raises(edxml.SignatureError):
        edxml.verify_status(data, trusted_cert_pems=[CERT])
    with pytest.raises(edxml.SignatureError):
        edxml.verify_status(data.replace(b">03<", b">06<"), trusted_cert_pems=[cert])
    # A signed document is not a status message even with a valid signature.
    with pytest.raises(edxml.EdxmlError) as info:
        edxml.verify_status(signed, trusted_cert_pems=[CERT])
    assert info.value.field == "StatusCode"


def test_comments_are_not_signed_and_cannot_cut_the_verified_text(signed):
    """Exclusive c14n drops comments, so a comment added after signing keeps the signature valid;
    `el.text` of `<Subject>A<!---->B</Subject>` is only "A", so both readers join the text around
    comments, and the verified package comes from the canonical signed content anyway."""
    tampered = signed.replace("báo cáo quyết toán".encode(), "báo cáo<!-- chèn --> quyết toán".encode(), 1)
    assert tampered != signed
    assert edxml.verify_package(tampered, trusted_cert_pems=[CERT]).header.subject == SUBJECT
    assert edxml.parse_package(tampered).header.subject == SUBJECT


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=8)),
                     min_size=1, max_size=3))
def test_property_mangled_packages_only_raise_edxml_errors(cuts):
    """Whatever bytes arrive, the only exception is EdxmlError (a clear refusal), and nothing
    altered ever verifies."""
    data = bytearray(_SMALL)
    for start, length, insert in cuts:
        start %= len(data)
        data[start:start + length] = insert
    data = bytes(data)
    with contextlib.suppress(edxml.EdxmlError):
        edxml.parse_package(data)
    try:
        result = edxml.verify_package(data, trusted_cert_pems=[CERT])
    except edxml.EdxmlError:
        return
    # Only a change outside the signed content gets here (a comment, white space in the signature).
    assert result == package()


_SMALL = edxml.build_package(package(), key_pem=KEY, cert_pem=CERT)
