"""Issuing a dossier's result as a PDF signed by the receiving agency (PAdES, pyHanko).

`issue_signed_result()` is what the approver's button calls: it renders the result document
(`render_result_pdf`) and signs it (`sign_result`). The signature is the organisation's: made with
the receiving agency's current certificate (signing/pki.py), a PAdES baseline B-B signature
(ETSI.CAdES.detached, SHA-256) in a new visible field on the last page that prints the agency, its
organ code, the official who issued it and the time in Vietnam. B-B, not B-T: there is no
time-stamping authority, so the signing time is the one the signer states (the `/M` entry), and our
own record of it is `SignedResult.signed_at` and the audit chain.

The signed bytes are kept as issued (default storage) with their SHA-256, so a file handed back for
verification can be recognised as one we issued (`verification.verify_pdf`).
"""

import hashlib
import io
import threading
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.accounts.choices import Role
from motcua.core import audit, outbox
from motcua.dossiers.choices import Stage
from motcua.dossiers.errors import InvalidInputError, NotPermittedError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import roles_at
from motcua.dossiers.slips import fmt_datetime, person_name, place_name
from motcua.lib import pdf
from motcua.lib.pdf import FONTS_DIR, clean_text
from motcua.signing import pki
from motcua.signing.errors import SigningError
from motcua.signing.models import AgencyCertificate, SignedResult
from motcua.signing.selectors import current_certificate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RESULT_TITLE = "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
# A result can be issued while the dossier is being processed or once it has a result; not before
# reception, not while papers or fees are awaited, not for a refused, withdrawn or stopped dossier.
ISSUABLE_STAGES = frozenset({Stage.RECEIVED, Stage.IN_STEP, Stage.INTERAGENCY, Stage.RESULT_READY, Stage.RETURNED})
# The signature box, in PDF points from the bottom-right corner of the last page. The result
# document keeps a 42 mm bottom margin (signing/result.html), so the box never covers its text;
# another document signed here must leave the same room.
BOX_WIDTH, BOX_HEIGHT = 270, 82
BOX_RIGHT, BOX_BOTTOM = 42, 26
A4 = (595.28, 841.89)
FIELD_PREFIX = "ChuKySoCoQuan"
STAMP_FONT = FONTS_DIR / "NotoSans-Regular.ttf"
# Characters per line of the box at 9 pt (Noto Sans averages about 0.5 em per Vietnamese letter).
STAMP_LINE_CHARS = 54


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given rather than read from the clock.

    pyHanko takes the time from the signing session (`system_time`): for `/M`, the appearance and
    the CMS. Setting it there keeps all three equal to the time recorded in `SignedResult`.
    """

    def __init__(self, *args, signing_time: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


# The characters a signature box prints: ASCII, Latin-1 and Latin Extended-A, the Vietnamese letters
# (Ơ ơ Ư ư and the U+1EA0 block), combining tone marks, typographic quotes and dashes.
STAMP_CHARACTERS = (set(range(0x20, 0x7F)) | set(range(0xA0, 0x180)) | {0x1A0, 0x1A1, 0x1AF, 0x1B0}
                    | set(range(0x1EA0, 0x1EFA)) | set(range(0x300, 0x310)) | {0x323}
                    | {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026})


class _LoadedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that signs with an already loaded key.

    pyHanko's SimpleSigner re-parses the DER key at each raw signature (twice per PDF: the size
    estimate, then the signature), and parsing an RSA key checks it, which took about 90 ms for an
    RSA-3072 key here (docs/benchmarks.md, Signing). PSS and other mechanisms keep pyHanko's path.
    """

    def __init__(self, *, key, **kwargs):
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class _InMemoryFont(GlyphAccumulatorFactory):
    """pyHanko's font factory, reading the font from bytes kept in memory instead of from a file.

    A cut-down font cached on disk (say in /tmp) could be replaced by another local user, and the
    signature box would then print whatever glyphs that font maps the letters to.
    """

    font_bytes: bytes = b""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(self.font_bytes), font_size=self.font_size,
                                ot_script_tag=self.ot_script_tag, ot_language_tag=self.ot_language_tag,
                                writing_direction=self.writing_direction, bcp47_lang_code=self.bcp47_lang_code,
                                obj_stream=obj_stream)


_stamp_font = None
_stamp_font_lock = threading.Lock()


def _stamp_font_bytes() -> bytes:
    """Noto Sans cut down to STAMP_CHARACTERS (about 44 KB), made once per process (about 0.4 s).

    pyHanko subsets the font it embeds at every signature; on the whole Noto Sans (its large layout
    tables) that took most of a signature (docs/benchmarks.md, Signing). Cut first to what this box
    can print, the per-signature subset is cheap.
    """
    options = subset.Options()
    options.layout_features = ["ccmp", "locl", "mark", "mkmk", "kern"]
    options.name_IDs = ["*"]
    options.hinting = False
    font = TTFont(io.BytesIO(STAMP_FONT.read_bytes()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_CHARACTERS)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _stamp_style() -> TextStampStyle:
    global _stamp_font
    with _stamp_font_lock:
        if _stamp_font is None:
            # The bundled Noto Sans, embedded as a subset: the standard PDF fonts have no Vietnamese letters.
            _stamp_font = _InMemoryFont(font_file=str(STAMP_FONT), font_bytes=_stamp_font_bytes())
    return TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(font=_stamp_font, font_size=9, leading=13),
        # Left-aligned from a small margin, like the signature boxes of Vietnamese e-documents.
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(7)),
        # Red, as the seal of an organisation is printed (Decree 30/2020, Appendix I).
        border_width=1,
        border_color=(0.75, 0.05, 0.1),
        background=None,
    )


# ----------------------------------------------------------------------------- rules

def _load(dossier: Dossier) -> Dossier:
    return (Dossier.objects.select_related("receiving_agency__parent", "receiving_agency__unit__parent",
                                           "applicant", "procedure_version__procedure")
            .get(pk=dossier.pk))


def check_may_sign(dossier: Dossier, user) -> None:
    """Only an approver of the receiving agency issues its results, and only at a stage that has one."""
    if Role.APPROVER not in roles_at(user, dossier.receiving_agency_id):
        raise NotPermittedError(_("Chỉ lãnh đạo phê duyệt của %(agency)s được ký số kết quả của hồ sơ này.")
                                % {"agency": dossier.receiving_agency.name})
    if dossier.stage not in ISSUABLE_STAGES:
        raise InvalidInputError({"stage": _("Không ban hành kết quả khi hồ sơ đang ở giai đoạn “%(stage)s”.")
                                 % {"stage": Stage(dossier.stage).label}})


def _usable_certificate(agency, at: datetime) -> AgencyCertificate:
    row = current_certificate(agency, at=at)
    if row is None:
        raise SigningError(_("%(agency)s chưa có chứng thư số còn hiệu lực để ký kết quả. Quản trị viên cấp hoặc "
                             "cài đặt chứng thư bằng “motcua pki issue %(code)s” hoặc “motcua pki import”.")
                           % {"agency": agency.name, "code": agency.organ_code or "<mã định danh>"})
    return row


# ----------------------------------------------------------------------------- the document

def result_data(dossier: Dossier, *, at: datetime, development: bool = False) -> dict:
    """What the result document states, as plain strings."""
    agency = dossier.receiving_agency
    applicant = dossier.applicant
    version = dossier.procedure_version
    summary = [clean_text(line) for line in (dossier.result_summary or "").splitlines() if clean_text(line)]
    if not summary:
        raise InvalidInputError({"result_summary": _("Hồ sơ %(code)s chưa có nội dung kết quả giải quyết: nhập "
                                                     "kết quả trước khi ký số.") % {"code": dossier.code}})
    site = getattr(settings, "MOTCUA_SITE_URL", "").rstrip("/")
    return {
        "agency": {"name": clean_text(agency.name), "organ_code": agency.organ_code or "",
                   "superior": clean_text(agency.parent.name) if agency.parent_id else ""},
        "place_date": pdf.place_date_line(place_name(agency), timezone.localtime(at, VN).date()),
        "code": dossier.code or str(dossier.pk),
        "procedure": clean_text(version.name),
        "procedure_code": version.procedure.code,
        "applicant": {"name": clean_text(applicant.full_name), "address": clean_text(applicant.address)},
        "received_at": fmt_datetime(dossier.received_at),
        "summary": summary,
        "verify_url": f"{site}{reverse('signing:verify')}",
        # Signed with a development certificate: the document must not pass for a legal one.
        "development": development,
    }


def render_result_pdf(dossier: Dossier, *, at: datetime | None = None) -> bytes:
    """A simple result document (mã hồ sơ, thủ tục, người nộp, kết quả, cơ quan, ngày) as an unsigned PDF.

    The legal result itself (a birth certificate extract, a licence) will come from per-procedure
    templates; this one states the outcome recorded in `dossier.result_summary`.
    """
    at = at or timezone.now()
    dossier = _load(dossier)
    row = current_certificate(dossier.receiving_agency, at=at)
    data = result_data(dossier, at=at, development=row is not None and pki.is_development(row))
    context = {
        "d": data,
        "header": pdf.document_header(issuer=data["agency"]["name"], superior=data["agency"]["superior"],
                                      reference=f"Mã hồ sơ: {data['code']}", place_date=data["place_date"]),
        "title": pdf.document_title(RESULT_TITLE),
    }
    return pdf.render_pdf(render_to_string("signing/result.html", context))


# ----------------------------------------------------------------------------- signing

def _stamp_text(agency, signer_name: str, at: datetime) -> str:
    local = timezone.localtime(at, VN)
    offset = local.strftime("%z")
    # The box is part of a legal document: Vietnamese whatever language the approver's pages are in.
    with translation.override("vi"):
        lines = [
            _("Ký bởi: %(agency)s") % {"agency": clean_text(agency.name)},
            _("Mã định danh: %(code)s") % {"code": agency.organ_code or ""},
            _("Người ban hành: %(name)s") % {"name": signer_name},
            _("Thời gian ký: %(time)s") % {"time": f"{local:%H:%M:%S %d/%m/%Y} {offset[:3]}:{offset[3:]}"},
        ]
    wrapped = []
    for line in lines:
        while len(line) > STAMP_LINE_CHARS:
            cut = line.rfind(" ", 0, STAMP_LINE_CHARS)
            cut = cut if cut > 0 else STAMP_LINE_CHARS
            wrapped.append(line[:cut])
            line = "  " + line[cut:].strip()
        wrapped.append(line)
    return "\n".join(wrapped)


def _page_box(writer: IncrementalPdfFileWriter, page_index: int) -> tuple[int, int, int, int]:
    try:
        page = writer.prev.find_page_for_modification(page_index)[0].get_object()
        x0, y0, x1, _y1 = (float(v) for v in page.get("/MediaBox") or (0, 0, *A4))
    except Exception:  # an unusual page tree: fall back to A4, the box is still on the page
        x0, y0, x1 = 0.0, 0.0, A4[0]
    # Whole points: pyHanko's appearance streams compute with fractions, which refuse binary floats.
    right = int(x1 - BOX_RIGHT)
    bottom = int(y0 + BOX_BOTTOM)
    return (max(int(x0), right - BOX_WIDTH), bottom, right, bottom + BOX_HEIGHT)


def _field_name(writer: IncrementalPdfFileWriter) -> str:
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    number = 1
    while f"{FIELD_PREFIX}{number}" in existing:
        number += 1
    return f"{FIELD_PREFIX}{number}"


def _signer(row: AgencyCertificate, key) -> signers.SimpleSigner:
    cert = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(row.certificate_pem.encode()).public_bytes(serialization.Encoding.DER))
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
             for c in x509.load_pem_x509_certificates(row.chain_pem.encode())] if row.chain_pem else []
    key_info = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return _LoadedKeySigner(key=key, signing_cert=cert, signing_key=key_info,
                            cert_registry=SimpleCertificateStore.from_certs(chain))


def sign_pdf_bytes(pdf_bytes: bytes, row: AgencyCertificate, *, signer_name: str, at: datetime,
                   reason: str = "", location: str = "") -> bytes:
    """Sign PDF bytes with an agency certificate: PAdES B-B, SHA-256, a visible box on the last page."""
    agency = row.agency
    key = pki.signing_key(row)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        if writer.prev.encrypted:
            raise InvalidInputError({"pdf": _("Tệp PDF cần ký đang được mã hóa (đặt mật khẩu): không ký được.")})
        last = int(writer.root["/Pages"]["/Count"]) - 1
        field = _field_name(writer)
        spec = fields.SigFieldSpec(field, on_page=last, box=_page_box(writer, last))
    except InvalidInputError:
        raise
    except Exception as error:
        raise InvalidInputError({"pdf": _("Không đọc được tệp PDF cần ký: %(error)s") % {"error": error}}) from error
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None, name=clean_text(agency.name),
    )
    pdf_signer = _TimedPdfSigner(meta, signer=_signer(row, key), stamp_style=_stamp_style(), new_field_spec=spec,
                                 signing_time=at)
    output = pdf_signer.sign_pdf(writer, appearance_text_params={"text": _stamp_text(agency, signer_name, at)})
    return output.getvalue()


def sign_result(dossier: Dossier, pdf_bytes: bytes, *, signer_user, at: datetime | None = None) -> SignedResult:
    """Sign a result PDF in the name of the dossier's receiving agency and keep it as issued.

    The signer must be an approver of that agency. The signed file goes to default storage, its row
    and an audit record ("dossier.result_signed", with the file's SHA-256) and the outbox event
    of the same name are written together.
    """
    # Whole seconds: the PDF's /M entry has no fractions, and the row must state the same moment.
    at = (at or timezone.now()).replace(microsecond=0)
    dossier = _load(dossier)
    check_may_sign(dossier, signer_user)
    if not pdf_bytes or not bytes(pdf_bytes[:1024]).lstrip().startswith(b"%PDF-"):
        raise InvalidInputError({"pdf": _("Nội dung cần ký không phải tệp PDF.")})
    agency = dossier.receiving_agency
    row = _usable_certificate(agency, at)
    signer_name = person_name(signer_user)
    with translation.override("vi"):  # the signature's /Reason is read with the document
        reason = _("Ban hành kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code or dossier.pk}
    signed = sign_pdf_bytes(bytes(pdf_bytes), row, signer_name=signer_name, at=at, reason=reason,
                            location=place_name(agency))
    digest = hashlib.sha256(signed).hexdigest()
    result = SignedResult(dossier=dossier, sha256=digest, size=len(signed), signed_at=at, agency=agency,
                          certificate=row, signer=signer_user if getattr(signer_user, "pk", None) else None,
                          signer_name=signer_name[:200])
    stamp = timezone.localtime(at, VN).strftime("%Y%m%d-%H%M%S")
    result.file.save(f"{dossier.code or dossier.pk}-ket-qua-{stamp}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            # Revoked while we were signing: the file must not be issued.
            if AgencyCertificate.objects.select_for_update().filter(pk=row.pk, revoked_at__isnull=False).exists():
                raise SigningError(_("Chứng thư số %(serial)s vừa bị thu hồi: không ban hành kết quả đã ký bằng nó.")
                                   % {"serial": row.serial})
            result.save()
            audit.append("dossier.result_signed", object_type="dossier", object_id=dossier.pk, actor=signer_user,
                         after={"result": result.pk, "file": result.file.name, "sha256": digest, "size": len(signed),
                                "agency": agency.organ_code, "certificate": row.serial,
                                "fingerprint": row.fingerprint, "signed_at": at.isoformat()})
            _emit_signed(dossier, result)
    except Exception:
        result.file.delete(save=False)
        raise
    return result


def _emit_signed(dossier: Dossier, result: SignedResult) -> None:
    """The outbox event of a signed result, in the signing transaction: the indicators' dossier
    handler rewrites the dossier's fact, which now counts an electronic result (766 figure 4.1).

    A "dossier." topic so every per-dossier consumer hears of it. The payload carries the dossier's
    status as both `status` and `from_status`, and no `stage`: signing changes neither, so the
    notifications (which write to the applicant on a change of status) and the inter-agency
    gateway (which acts on entering the inter-agency stage) rightly do nothing with it.
    """
    outbox.emit(
        "dossier.result_signed", aggregate_type="dossier", aggregate_id=dossier.pk,
        payload={"dossier": dossier.pk, "code": dossier.code, "action": "result_signed",
                 "status": dossier.status, "from_status": dossier.status, "result": result.pk,
                 "sha256": result.sha256, "at": result.signed_at.isoformat()},
        idempotency_key=f"signing:result:{result.pk}",
    )


def issue_signed_result(dossier: Dossier, *, signer_user, at: datetime | None = None) -> SignedResult:
    """Render the dossier's result document and sign it: the approver's "Ký số kết quả" action."""
    at = (at or timezone.now()).replace(microsecond=0)
    dossier = _load(dossier)
    # Checked before rendering too: a refusal should not cost a PDF rendering.
    check_may_sign(dossier, signer_user)
    _usable_certificate(dossier.receiving_agency, at)
    return sign_result(dossier, render_result_pdf(dossier, at=at), signer_user=signer_user, at=at)
