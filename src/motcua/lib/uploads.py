"""Safe file uploads: what a citizen attaches to a dossier is checked here before anything keeps it.

Only three kinds are accepted, because these are what a one-stop counter can open, print and
archive: PDF, JPEG and PNG. The kind is read from the content, never from the name or the browser's
Content-Type (both are whatever the sender says): a PDF named .jpg is a PDF, an HTML page named
.pdf is refused. "Looks like" is not enough either: the whole file is parsed, so a truncated,
malformed or encrypted file is refused at the counter instead of failing later in a viewer.

Resource limits, so that one upload cannot take the server down:
- the stream is read in chunks and reading stops at the limit + 1 byte: a 1 GB upload costs at
  most the limit in memory and temporary disk, never 1 GB;
- an image's dimensions are read from its header and checked against a pixel budget *before* any
  pixel is decoded, so a 10 KB PNG that claims 50,000 × 50,000 pixels (a decompression bomb) is
  refused without allocating 10 GB;
- a PDF is parsed with pypdf under tightened limits (its `Configuration`): page count, objects,
  and the decompressed size of every stream, one by one and in total, so a "zip bomb" stream
  that inflates to gigabytes is refused after the budget, not after it filled the memory.

This module is pure: no Django models, no storage. It reads the stream it is given and writes
nothing that survives the call (the spool file is deleted on return), so a refused file leaves
nothing behind. Messages are Vietnamese, name the file, and are meant to be shown as they are.
"""

import hashlib
import io
import os
import struct
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024
DEFAULT_MAX_FILE_MB = 10
DEFAULT_MAX_DOSSIER_MB = 50

CHUNK_SIZE = 64 * 1024
# Files up to this size stay in memory while being checked; larger ones spill to a temporary file.
SPOOL_IN_MEMORY_BYTES = 2 * MEGABYTE

# An A4 page scanned at 600 dpi is 35 million pixels and a 48-megapixel phone photo 48 million:
# 50 million accepts both. Decoded as RGBA that is 200 MB, the most one upload may make us allocate.
MAX_IMAGE_PIXELS = 50_000_000
# A paper of a dossier runs to tens of pages; a thousand is already a whole register.
MAX_PDF_PAGES = 1000
# A 10 MB PDF of ordinary pages holds a few thousand objects; this leaves room for big scans.
MAX_PDF_OBJECTS = 200_000
# Decompressed size budgets for PDF streams. One A4 page scanned at 600 dpi in colour, stored
# losslessly, inflates to ~105 MB, so a single stream may reach 128 MB; a whole file may not
# inflate beyond 512 MB, which no genuine 10 MB paper does and every "zip bomb" does.
MAX_PDF_STREAM_BYTES = 128 * MEGABYTE
MAX_PDF_INFLATED_BYTES = 512 * MEGABYTE

PDF, JPEG, PNG = "pdf", "jpeg", "png"
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
# For an <input type="file" accept="...">: a hint to the browser, never a check.
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

# The refusal codes, for callers and the API; the message is what a person reads.
EMPTY = "empty"
TOO_LARGE = "too_large"
DOSSIER_TOO_LARGE = "dossier_too_large"
UNSUPPORTED_TYPE = "unsupported_type"
MALFORMED = "malformed"
ENCRYPTED = "encrypted"
TOO_MANY_PAGES = "too_many_pages"
DECOMPRESSION_BOMB = "decompression_bomb"


class UploadRejected(ValueError):  # noqa: N818 — the name the submission page was promised
    """A file that is not kept: `code` for programs, `message` (Vietnamese, names the file) for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted file is, as read from its content."""

    kind: str  # "pdf", "jpeg" or "png"
    size: int  # bytes
    sha256: str
    pages: int | None = None  # PDF only
    width: int | None = None  # images only
    height: int | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        """The extension to store the file under: the content's, whatever the name said."""
        return EXTENSIONS[self.kind]

    @property
    def pixels(self) -> int | None:
        return self.width * self.height if self.width is not None and self.height is not None else None


@dataclass(frozen=True)
class UploadSlot:
    """One place to attach a paper of the dossier, as the procedure version lists it."""

    key: str  # the form field name of the slot: "component-<id>"
    component_id: int | None
    name: str
    case: str
    required: bool
    originals: int | None
    copies: int | None
    quantity_text: str
    form_template: str
    accept: str = ACCEPT_ATTRIBUTE

    @property
    def quantity_label(self) -> str:
        """“1 bản chính, 1 bản sao” as the procedure asks, or the source's own wording."""
        parts = []
        if self.originals:
            parts.append(_("%(n)d bản chính") % {"n": self.originals})
        if self.copies:
            parts.append(_("%(n)d bản sao") % {"n": self.copies})
        return ", ".join(parts) or self.quantity_text


def upload_slots(components: Iterable) -> list[UploadSlot]:
    """One slot per dossier component (catalog.DossierComponent or anything with its attributes).

    Components the procedure lists with neither original nor copy ("0 bản chính") are papers to
    show at the counter, not to attach; they still get a slot, optional, so the page can say so.
    """
    slots = []
    for component in components:
        pk = getattr(component, "pk", None)
        wanted = (component.originals or 0) + (component.copies or 0)
        slots.append(UploadSlot(
            key=f"component-{pk}", component_id=pk, name=component.name, case=component.case or "",
            required=bool(component.required and wanted), originals=component.originals,
            copies=component.copies, quantity_text=component.quantity_text or "",
            form_template=component.form_template or "",
        ))
    return slots


def max_file_bytes() -> int:
    """The per-file limit in force (settings.MOTCUA_UPLOAD_MAX_FILE_MB, 10 MB by default)."""
    from django.conf import settings

    return getattr(settings, "MOTCUA_UPLOAD_MAX_FILE_MB", DEFAULT_MAX_FILE_MB) * MEGABYTE


def max_dossier_bytes() -> int:
    """The per-dossier limit in force (settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB, 50 MB by default)."""
    from django.conf import settings

    return getattr(settings, "MOTCUA_UPLOAD_MAX_DOSSIER_MB", DEFAULT_MAX_DOSSIER_MB) * MEGABYTE


def format_size(size: int) -> str:
    """A size as a person reads it, Vietnamese style: “10 MB”, “1,5 MB”, “350 KB”."""
    if size >= MEGABYTE:
        value = size / MEGABYTE
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return f"{text.replace('.', ',')} MB"
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return _("%(n)d byte") % {"n": size}


def display_name(name: str) -> str:
    """The file's own name without any folder a browser or client sent, shortened for messages."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    if len(base) > 80:
        base = base[:60] + "…" + base[-15:]
    return base or _("(không tên)")


def _reject(code: str, name: str, problem: str) -> UploadRejected:
    return UploadRejected(code, _("Tệp “%(name)s”: %(problem)s") % {"name": display_name(name), "problem": problem})


def check_dossier_total(sizes: Iterable[int], *, max_bytes: int | None = None) -> int:
    """The total size of a dossier's files, or UploadRejected if it exceeds the per-dossier limit.

    Call it with the sizes of the files already kept plus the new one, before keeping the new one.
    """
    limit = max_dossier_bytes() if max_bytes is None else max_bytes
    total = sum(sizes)
    if total > limit:
        raise UploadRejected(DOSSIER_TOO_LARGE, _(
            "Tổng dung lượng các tệp của hồ sơ là %(total)s, vượt giới hạn %(limit)s cho một hồ sơ. "
            "Hãy giảm dung lượng tệp (ví dụ quét ở độ phân giải 200–300 dpi) rồi tải lên lại."
        ) % {"total": format_size(total), "limit": format_size(limit)})
    return total


def inspect_upload(name: str, stream: BinaryIO, *, max_bytes: int) -> UploadInfo:
    """Read, identify and fully parse one uploaded file; UploadInfo if it may be kept, else UploadRejected.

    `stream` is any binary file object (a Django UploadedFile, an open file, BytesIO). It is read
    from its current position, in chunks, never beyond `max_bytes` + 1 bytes. The caller that keeps
    the file should store it under `info.extension` and may compare `info.sha256` with what it wrote.
    """
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES) as spool:
        size, digest = _copy_bounded(name, stream, spool, max_bytes)
        if size == 0:
            raise _reject(EMPTY, name, _("tệp rỗng (0 byte), hãy chọn lại tệp."))
        spool.seek(0)
        head = spool.read(16)
        kind = _sniff(head)
        if kind is None:
            raise _reject(UNSUPPORTED_TYPE, name, _(
                "nội dung không phải PDF, JPEG hoặc PNG (đuôi tên tệp không quyết định loại tệp). "
                "Hãy chuyển giấy tờ sang PDF hoặc chụp ảnh JPEG/PNG rồi tải lên lại."
            ))
        spool.seek(0)
        if kind == PDF:
            pages = _inspect_pdf(name, spool, size)
            return UploadInfo(kind=PDF, size=size, sha256=digest, pages=pages)
        width, height = _inspect_image(name, spool, kind)
        return UploadInfo(kind=kind, size=size, sha256=digest, width=width, height=height)


def _copy_bounded(name: str, stream: BinaryIO, spool, max_bytes: int) -> tuple[int, str]:
    declared = getattr(stream, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        # Django knows an UploadedFile's size already: no need to read a byte of an oversized one.
        raise _too_large(name, max_bytes)
    digest = hashlib.sha256()
    size = 0
    while True:
        # Never ask for more than one byte past the limit: that byte is enough to know it is over.
        chunk = stream.read(min(CHUNK_SIZE, max_bytes + 1 - size))
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(name, max_bytes)
        digest.update(chunk)
        spool.write(chunk)
    return size, digest.hexdigest()


def _too_large(name: str, max_bytes: int) -> UploadRejected:
    return _reject(TOO_LARGE, name, _("dung lượng vượt quá giới hạn %(limit)s cho một tệp.")
                   % {"limit": format_size(max_bytes)})


def _sniff(head: bytes) -> str | None:
    # Strict signatures at offset 0. PDF readers tolerate junk before "%PDF-", but a file that
    # starts with anything else is exactly what a polyglot (HTML or a script that is also a PDF) is.
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


# --- PDF ---------------------------------------------------------------------------------------

def _pdf_malformed(name: str) -> UploadRejected:
    return _reject(MALFORMED, name, _(
        "tệp PDF bị hỏng hoặc không đầy đủ (có thể tải lên bị gián đoạn). Hãy mở thử tệp trên máy, "
        "xuất lại PDF rồi tải lên lại."
    ))


def _pdf_bomb(name: str) -> UploadRejected:
    return _reject(DECOMPRESSION_BOMB, name, _(
        "tệp PDF chứa dữ liệu nén giải nén ra quá lớn (nghi là “bom nén”), hệ thống không nhận."
    ))


def _inspect_pdf(name: str, spool, size: int) -> int:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError, PyPdfError

    # A complete PDF ends with "%%EOF" (ISO 32000-1 §7.5.5). pypdf in tolerant mode would rebuild a
    # cut-off file from what is left, and the counter would get a paper with pages missing.
    spool.seek(max(0, size - 1024))
    if b"%%EOF" not in spool.read():
        raise _pdf_malformed(name)
    spool.seek(0)
    try:
        with _pdf_limits():
            reader = PdfReader(spool, strict=False, xref_stream_maximum_entries=MAX_PDF_OBJECTS)
            if reader.is_encrypted:
                raise _encrypted(name, reader)
            pages = len(reader.pages)
            if pages == 0:
                raise _pdf_malformed(name)
            if pages > MAX_PDF_PAGES:
                raise _reject(TOO_MANY_PAGES, name, _("tệp PDF có %(pages)d trang, vượt giới hạn %(limit)d trang.")
                              % {"pages": pages, "limit": MAX_PDF_PAGES})
            _check_pdf_streams(name, reader)
    except UploadRejected:
        raise
    except LimitReachedError:
        raise _pdf_bomb(name) from None
    except FileNotDecryptedError:
        raise _reject(ENCRYPTED, name, _("tệp PDF bị mã hóa nên cán bộ không mở được.")) from None
    except (PyPdfError, PdfReadError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            AssertionError, zlib.error, RecursionError, OverflowError, UnicodeError, OSError,
            NotImplementedError, MemoryError):
        # pypdf signals a broken file through many exception types; any of them means "malformed".
        raise _pdf_malformed(name) from None
    return pages


def _encrypted(name: str, reader) -> UploadRejected:
    # Both kinds are refused: an encrypted file cannot be checked, signed over or archived as it is.
    # They differ for the sender, though: one needs the password removed, the other only to be
    # saved again without the copy/print restrictions ("owner password" only, opens without one).
    try:
        opens_without_password = bool(reader.decrypt(""))
    except Exception:  # any failure here only means "needs a password"
        opens_without_password = False
    if opens_without_password:
        return _reject(ENCRYPTED, name, _(
            "tệp PDF bị mã hóa để khóa quyền in hoặc sao chép, hệ thống không lưu tệp mã hóa. "
            "Hãy lưu (hoặc in ra) thành một tệp PDF mới không đặt hạn chế rồi tải lên lại."
        ))
    return _reject(ENCRYPTED, name, _(
        "tệp PDF có mật khẩu nên cán bộ không mở được. "
        "Hãy gỡ mật khẩu (lưu lại không đặt mật khẩu) rồi tải lên lại."
    ))


def _pdf_limits():
    """pypdf's own resource limits, tightened to what a dossier paper can need."""
    from pypdf import apply_configuration

    return apply_configuration(
        maximum_declared_stream_length=MAX_PDF_STREAM_BYTES,
        zlib_maximum_output_length=MAX_PDF_STREAM_BYTES,
        lzw_maximum_output_length=MAX_PDF_STREAM_BYTES,
        run_length_maximum_output_length=MAX_PDF_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_PDF_STREAM_BYTES,
        jbig2_maximum_output_length=MAX_PDF_STREAM_BYTES,
        brotli_maximum_output_length=MAX_PDF_STREAM_BYTES,
        image_maximum_buffer_size=MAX_PDF_STREAM_BYTES,
        page_tree_maximum_entries=MAX_PDF_PAGES * 4,
        page_tree_maximum_page_entries=MAX_PDF_PAGES * 100,
        # Never run an external decoder on what a stranger sent.
        jbig2dec_binary=None,
    )


def _check_pdf_streams(name: str, reader) -> None:
    """Decode every stream object once, within the per-stream and whole-file budgets.

    Every object the cross-reference table lists is resolved, so an object that does not parse
    is found now; every stream is decoded, so a stream that inflates beyond the budget is refused
    now. Decoded data is dropped at once: memory holds one stream at a time.
    """
    from pypdf.errors import DependencyError
    from pypdf.generic import IndirectObject, StreamObject

    numbers = {(num, gen) for gen, entries in reader.xref.items() for num in entries}
    numbers.update((num, 0) for num in reader.xref_objStm)
    if len(numbers) > MAX_PDF_OBJECTS:
        raise _pdf_bomb(name)
    inflated = 0
    for num, gen in sorted(numbers):
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if isinstance(obj, StreamObject):
            try:
                inflated += len(obj.get_data())
            except DependencyError:
                # A filter this server has no decoder for (JBIG2 without jbig2dec, Brotli): common
                # in legitimate scans, so the stream is let through unchecked rather than refused.
                continue
            if inflated > MAX_PDF_INFLATED_BYTES:
                raise _pdf_bomb(name)


# --- Images ------------------------------------------------------------------------------------

def _inspect_image(name: str, spool, kind: str) -> tuple[int, int]:
    from PIL import Image

    label = "JPEG" if kind == JPEG else "PNG"
    malformed = _reject(MALFORMED, name, _(
        "ảnh %(kind)s bị hỏng hoặc không đầy đủ (có thể tải lên bị gián đoạn). Hãy chụp hoặc lưu lại ảnh rồi tải lên lại."
    ) % {"kind": label})
    try:
        # Opening reads the header only: the dimensions are known before any pixel is decoded.
        with Image.open(spool, formats=[label]) as image:
            width, height = image.size
            _check_pixels(name, width, height)
            image.verify()  # checksums and structure (PNG chunk CRCs), no decoding
        spool.seek(0)
        with Image.open(spool, formats=[label]) as image:
            if image.size != (width, height):
                raise malformed
            image.load()  # the full decode: a truncated or corrupt image fails here
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        raise _image_bomb(name) from None
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError, MemoryError,
            zlib.error, struct.error):
        raise malformed from None
    if width <= 0 or height <= 0:
        raise malformed
    if kind == JPEG and not _jpeg_has_end(spool):
        raise malformed
    return width, height


def _jpeg_has_end(spool) -> bool:
    """Whether the picture data is followed by an end-of-image marker (FF D9).

    libjpeg pads a cut-off JPEG with grey and Pillow accepts it, so a half-uploaded photo of an ID
    card would decode "fine". The compressed data after the first start-of-scan cannot contain
    FF D9 (an FF byte there is always followed by 00 or a restart marker), so finding it there
    means the picture is complete. Data a phone appends after the image (a motion photo's video)
    comes after that marker and does not matter. Markers before the scan (an EXIF thumbnail has
    its own FF D9) are skipped by their declared lengths.
    """
    spool.seek(2)
    while True:
        marker = spool.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return False
        code = marker[1]
        if code == 0xFF:  # fill byte before a marker
            spool.seek(-1, io.SEEK_CUR)
            continue
        if code == 0xD9:
            return False  # an end before any picture data
        if 0xD0 <= code <= 0xD7 or code == 0x01:  # markers without a length
            continue
        length = spool.read(2)
        if len(length) < 2:
            return False
        segment = struct.unpack(">H", length)[0]
        if segment < 2:
            return False
        spool.seek(segment - 2, io.SEEK_CUR)
        if code == 0xDA:  # start of scan: the picture data follows
            break
    previous = b""
    while chunk := spool.read(CHUNK_SIZE):
        if b"\xff\xd9" in previous[-1:] + chunk:
            return True
        previous = chunk
    return False


def _check_pixels(name: str, width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise _image_bomb(name, width, height)


def _image_bomb(name: str, width: int | None = None, height: int | None = None) -> UploadRejected:
    size = f" ({width} × {height})" if width and height else ""
    return _reject(DECOMPRESSION_BOMB, name, _(
        "ảnh có kích thước điểm ảnh quá lớn%(size)s, vượt giới hạn %(limit)s triệu điểm ảnh. "
        "Hãy giảm độ phân giải ảnh rồi tải lên lại."
    ) % {"size": size, "limit": MAX_IMAGE_PIXELS // 1_000_000})


def inspect_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> UploadInfo:
    """`inspect_upload` for data already in memory (tests, files fetched from another system)."""
    return inspect_upload(name, io.BytesIO(data), max_bytes=max_file_bytes() if max_bytes is None else max_bytes)
