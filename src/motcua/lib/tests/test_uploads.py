"""lib/uploads.py with real files: PDFs rendered by lib/pdf and pypdf, images made by Pillow, hostile files crafted here."""

import io
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, StreamObject

from motcua.lib import pdf, uploads
from motcua.lib.uploads import UploadInfo, UploadRejected, check_dossier_total, inspect_upload

MB = uploads.MEGABYTE
LIMIT = 10 * MB


def inspect(name: str, data: bytes, max_bytes: int = LIMIT) -> UploadInfo:
    return inspect_upload(name, io.BytesIO(data), max_bytes=max_bytes)


def refusal(name: str, data: bytes, max_bytes: int = LIMIT) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect(name, data, max_bytes)
    return caught.value


# --- Real files --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    body = "<p>Tờ khai đăng ký khai sinh</p><p style='page-break-before: always'>Trang hai</p>"
    return pdf.render_pdf(f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thử</title></head>'
                          f"<body>{body}</body></html>")


def pypdf_bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str, size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, fmt)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed, tiny PNG whose header claims width × height pixels (a decompression bomb)."""
    rows = (b"\0" + b"\0" * min(width, 4096)) * 4
    return (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(rows, 9))
            + png_chunk(b"IEND", b""))


def deflate_bomb(inflated_mb: int) -> bytes:
    """A zlib stream that inflates to `inflated_mb` MB of zeros, built by repeating one flushed block.

    Compressing hundreds of megabytes would take seconds; a block flushed with Z_FULL_FLUSH does
    not refer back to earlier data, so the same compressed block can simply be repeated.
    """
    chunk = b"\0" * MB
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(inflated_mb):
        checksum = zlib.adler32(chunk, checksum)
    # b"\x03\x00" is an empty final block with fixed Huffman codes, then the Adler-32 of all the data.
    return first + block * (inflated_mb - 1) + b"\x03\x00" + struct.pack(">I", checksum)


def pdf_with_stream(data: bytes) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(b"")
    stream._data = data  # the raw (encoded) bytes as they are
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Length")] = NumberObject(len(data))
    writer._add_object(stream)
    return pypdf_bytes(writer)


def test_a_pdf_is_accepted_with_its_page_count_size_and_hash(two_page_pdf):
    info = inspect("to-khai.pdf", two_page_pdf)
    assert info.kind == "pdf" and info.pages == 2 and info.size == len(two_page_pdf)
    assert info.content_type == "application/pdf" and info.extension == ".pdf"
    import hashlib

    assert info.sha256 == hashlib.sha256(two_page_pdf).hexdigest()


def test_the_content_decides_the_type_not_the_name(two_page_pdf):
    info = inspect("anh-chup.jpg", two_page_pdf)
    assert info.kind == "pdf" and info.extension == ".pdf"
    assert inspect("giay-to.pdf", image_bytes("PNG")).kind == "png"


def test_jpeg_and_png_are_accepted_with_their_dimensions():
    jpeg = inspect("cccd.jpg", image_bytes("JPEG", (800, 600)))
    assert (jpeg.kind, jpeg.width, jpeg.height, jpeg.pixels) == ("jpeg", 800, 600, 480_000)
    png = inspect("cccd.png", image_bytes("PNG", (300, 200)))
    assert (png.kind, png.width, png.height, png.content_type) == ("png", 300, 200, "image/png")


def test_progressive_jpegs_and_data_a_phone_appends_after_the_image_are_accepted():
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (20, 90, 160)).save(out, "JPEG", progressive=True, quality=90)
    assert inspect("tien-trinh.jpg", out.getvalue()).kind == "jpeg"
    motion_photo = image_bytes("JPEG") + b"\0\0\0\x18ftypmp42" + b"\x01" * 2000
    assert inspect("motion.jpg", motion_photo).width == 640


def test_html_renamed_pdf_and_an_executable_renamed_png_are_refused():
    html = refusal("to-khai.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    assert html.code == uploads.UNSUPPORTED_TYPE
    assert "“to-khai.pdf”" in html.message and "không phải PDF, JPEG hoặc PNG" in html.message
    exe = refusal("anh.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 500)
    assert exe.code == uploads.UNSUPPORTED_TYPE and "“anh.png”" in exe.message


def test_a_pdf_signature_behind_other_content_is_refused(two_page_pdf):
    assert refusal("da-hop.pdf", b"<html>" + two_page_pdf).code == uploads.UNSUPPORTED_TYPE


def test_encrypted_pdfs_are_refused_with_what_to_do(two_page_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_pdf)))
    writer.encrypt("mat-khau", algorithm="AES-256")
    locked = refusal("ly-lich.pdf", pypdf_bytes(writer))
    assert locked.code == uploads.ENCRYPTED
    assert "“ly-lich.pdf”" in locked.message and "mật khẩu" in locked.message

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_pdf)))
    writer.encrypt("", owner_password="chu-so-huu", algorithm="AES-128")
    restricted = refusal("sao-ke.pdf", pypdf_bytes(writer))
    assert restricted.code == uploads.ENCRYPTED and "khóa quyền in hoặc sao chép" in restricted.message


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_pdf_is_refused_as_malformed(two_page_pdf, keep):
    rejected = refusal("bi-cat.pdf", two_page_pdf[: int(len(two_page_pdf) * keep)])
    assert rejected.code == uploads.MALFORMED and "bị hỏng hoặc không đầy đủ" in rejected.message


def test_a_pdf_with_a_broken_body_is_refused_as_malformed():
    forged = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage garbage\n%%EOF\n"
    assert refusal("gia.pdf", forged).code == uploads.MALFORMED


def test_a_pdf_stream_that_inflates_beyond_the_budget_is_a_bomb():
    bomb = pdf_with_stream(deflate_bomb(uploads.MAX_PDF_STREAM_BYTES // MB + 8))
    assert len(bomb) < 1 * MB  # small on the wire ...
    rejected = refusal("bom.pdf", bomb)  # ... huge once inflated
    assert rejected.code == uploads.DECOMPRESSION_BOMB and "“bom.pdf”" in rejected.message


def test_many_streams_within_the_per_stream_budget_still_hit_the_file_budget(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_INFLATED_BYTES", 20 * MB)
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    for _ in range(3):
        stream = StreamObject()
        stream._data = deflate_bomb(8)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        writer._add_object(stream)
    assert refusal("nhieu-luong.pdf", pypdf_bytes(writer)).code == uploads.DECOMPRESSION_BOMB


def test_a_scan_with_an_image_filter_this_server_cannot_decode_is_not_refused_for_it():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    image = StreamObject()
    image._data = b"\x00\x00\x00\x01" * 64  # JBIG2 data; no jbig2dec is ever run on uploads
    image[NameObject("/Filter")] = NameObject("/JBIG2Decode")
    writer._add_object(image)
    assert inspect("scan-jbig2.pdf", pypdf_bytes(writer)).pages == 1


def test_a_stream_with_an_unknown_filter_is_malformed():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream._data = b"abc"
    stream[NameObject("/Filter")] = NameObject("/NoSuchDecode")
    writer._add_object(stream)
    assert refusal("la.pdf", pypdf_bytes(writer)).code == uploads.MALFORMED


def test_an_absurd_page_count_is_refused():
    writer = PdfWriter()
    for _ in range(uploads.MAX_PDF_PAGES + 1):
        writer.add_blank_page(10, 10)
    rejected = refusal("so-dang-ky.pdf", pypdf_bytes(writer))
    assert rejected.code == uploads.TOO_MANY_PAGES and f"{uploads.MAX_PDF_PAGES + 1} trang" in rejected.message


def test_a_tiny_png_claiming_fifty_thousand_squared_pixels_is_refused_as_a_bomb():
    bomb = png_claiming(50_000, 50_000)
    assert len(bomb) < 10_000
    rejected = refusal("anh.png", bomb)
    assert rejected.code == uploads.DECOMPRESSION_BOMB and "quá lớn" in rejected.message


def test_an_image_just_over_the_pixel_budget_is_refused_before_decoding():
    side = int(uploads.MAX_IMAGE_PIXELS ** 0.5) + 1
    rejected = refusal("anh-lon.png", png_claiming(side, side))
    assert rejected.code == uploads.DECOMPRESSION_BOMB and f"{side} × {side}" in rejected.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_or_corrupted_images_are_refused(fmt):
    data = image_bytes(fmt)
    assert refusal(f"anh.{fmt.lower()}", data[: len(data) // 2]).code == uploads.MALFORMED
    corrupted = bytearray(data)
    corrupted[len(data) // 2] ^= 0xFF
    if fmt == "PNG":  # a flipped byte breaks a chunk checksum; JPEG has none and may still decode
        assert refusal("anh.png", bytes(corrupted)).code == uploads.MALFORMED


def test_an_empty_file_is_refused():
    rejected = refusal("C:\\Users\\an\\Documents\\trong.pdf", b"")
    assert rejected.code == uploads.EMPTY and "“trong.pdf”" in rejected.message  # no client folder


def test_an_oversized_file_is_refused_naming_the_limit(two_page_pdf):
    rejected = refusal("lon.pdf", two_page_pdf, max_bytes=len(two_page_pdf) - 1)
    assert rejected.code == uploads.TOO_LARGE and "“lon.pdf”" in rejected.message
    assert inspect("vua.pdf", two_page_pdf, max_bytes=len(two_page_pdf)).pages == 2


class EndlessStream(io.RawIOBase):
    """A 1 GB upload that is never held anywhere: it counts what the reader asked for."""

    def __init__(self, total: int):
        self.remaining = total
        self.served = 0
        self.largest_read = 0

    def readable(self):
        return True

    def read(self, n=-1):
        if n is None or n < 0:
            raise AssertionError("an unbounded read of an upload")
        n = min(n, self.remaining)
        self.remaining -= n
        self.served += n
        self.largest_read = max(self.largest_read, n)
        return b"%PDF-" + b"\0" * (n - 5) if self.served == n and n >= 5 else b"\0" * n


def test_reading_stops_one_byte_past_the_limit():
    stream = EndlessStream(1024 * MB)
    with pytest.raises(UploadRejected) as caught:
        inspect_upload("mot-gb.pdf", stream, max_bytes=LIMIT)
    assert caught.value.code == uploads.TOO_LARGE
    assert stream.served == LIMIT + 1 and stream.largest_read <= uploads.CHUNK_SIZE


def test_a_declared_size_over_the_limit_is_refused_without_reading():
    stream = EndlessStream(1024 * MB)
    stream.size = 1024 * MB  # what Django's UploadedFile knows before anything is read
    with pytest.raises(UploadRejected):
        inspect_upload("mot-gb.pdf", stream, max_bytes=LIMIT)
    assert stream.served == 0


def test_the_dossier_total_is_checked_against_its_limit():
    assert check_dossier_total([10 * MB, 20 * MB], max_bytes=50 * MB) == 30 * MB
    with pytest.raises(UploadRejected) as caught:
        check_dossier_total([30 * MB, 25 * MB], max_bytes=50 * MB)
    assert caught.value.code == uploads.DOSSIER_TOO_LARGE
    assert "55 MB" in caught.value.message and "50 MB" in caught.value.message


def test_the_limits_come_from_settings(settings):
    settings.MOTCUA_UPLOAD_MAX_FILE_MB = 3
    settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB = 7
    assert uploads.max_file_bytes() == 3 * MB and uploads.max_dossier_bytes() == 7 * MB
    with pytest.raises(UploadRejected):
        check_dossier_total([4 * MB, 4 * MB])


@pytest.mark.django_db
def test_one_slot_per_component_of_a_real_procedure_with_its_originals_and_copies():
    from motcua.catalog.selectors import get_procedure

    version = get_procedure("1.001193").current
    components = list(version.components.all())
    slots = uploads.upload_slots(components)
    assert [s.name for s in slots] == [c.name for c in components]
    assert all(s.key == f"component-{c.pk}" for s, c in zip(slots, components, strict=True))
    with_original = next(s for s in slots if s.originals)
    assert f"{with_original.originals} bản chính" in with_original.quantity_label
    # A paper listed as "0 bản chính" is shown at the counter, not attached: its slot is optional.
    assert all(not s.required for s in slots if not (s.originals or s.copies))


# --- Whatever arrives, the answer is UploadInfo or UploadRejected --------------------------------

def _outcome(name: str, data: bytes):
    try:
        return inspect(name, data, max_bytes=MB)
    except UploadRejected as rejected:
        assert rejected.code and rejected.message.startswith("Tệp “")
        return rejected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(["a.pdf", "b.jpg", "c.png", "d"]))
def test_random_bytes_never_crash(data, name):
    assert isinstance(_outcome(name, data), UploadInfo | UploadRejected)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n"]), st.binary(max_size=4096))
def test_random_bytes_behind_a_real_signature_never_crash(signature, data):
    assert isinstance(_outcome("x", signature + data), UploadInfo | UploadRejected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_real_files_never_crash(two_page_pdf, data):
    original = data.draw(st.sampled_from([two_page_pdf, image_bytes("PNG", (64, 48)), image_bytes("JPEG", (64, 48))]))
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    assert isinstance(_outcome("x", bytes(damaged[:cut])), UploadInfo | UploadRejected)
