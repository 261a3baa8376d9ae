"""lib/pdf.py: Vietnamese text comes out as typed, only the bundled fonts are embedded, nothing is fetched."""

import threading
import unicodedata
from datetime import date

import pytest

from motcua.lib import pdf

from .poppler import pdf_fonts, pdf_info, pdf_text

SAMPLE = "Nguyễn Thị Hồng Nhung — ỹ ỷ ữ ự ở ợ ẫ ặ ằ ẳ Ỷ Ữ Ợ Đ đ"
# Every letter of Vietnamese: the 12 vowels under the 6 tones, upper and lower case, and đ/Đ (146).
_VOWELS = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
LETTERS = "".join(
    unicodedata.normalize("NFC", v + t) for v in _VOWELS + _VOWELS.upper() for t in _TONES
) + "đĐ"


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thử</title></head><body>{body}</body></html>'


def test_a_document_reads_back_with_every_vietnamese_letter_and_only_the_bundled_fonts():
    header = pdf.document_header(issuer="UBND xã An Thạnh", superior="UBND tỉnh Tây Ninh",
                                 place_date=pdf.place_date_line("An Thạnh", date(2026, 11, 26)))
    body = (f"{header}{pdf.document_title('Giấy tiếp nhận hồ sơ và hẹn trả kết quả')}"
            f"<p>{SAMPLE}</p><p class='sans'>Chữ không chân: Đường Ấp Thạnh Hiệp</p><p><i>nghiêng</i> <b><i>đậm nghiêng</i></b></p>")
    content = pdf.render_pdf(page(body))
    text = pdf_text(content)
    assert pdf.NATIONAL_TITLE in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "An Thạnh, ngày 26 tháng 11 năm 2026" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "UBND TỈNH TÂY NINH" in text and "UBND XÃ AN THẠNH" in text
    assert SAMPLE in text
    fonts = pdf_fonts(content)
    assert fonts and all(f.startswith(pdf.EMBEDDED_FONT_PREFIX) for f in fonts), fonts
    assert {"Motcua-Noto-Serif", "Motcua-Noto-Serif-Bold", "Motcua-Noto-Serif-Italic",
            "Motcua-Noto-Serif-Bold-Italic", "Motcua-Noto-Sans"} <= set(fonts)
    info = pdf_info(content)
    assert info["Page size"].startswith("595.") and "(A4)" in info["Page size"]
    assert info["Title"] == "Thử"


@pytest.mark.parametrize("style", ["", "font-weight: bold", "font-style: italic",
                                   "font-weight: bold; font-style: italic",
                                   f"font-family: '{pdf.SANS}'", f"font-family: '{pdf.SANS}'; font-weight: bold"])
def test_every_vietnamese_letter_in_every_bundled_style(style):
    assert len(LETTERS) == 146 and all(len(c) == 1 for c in LETTERS)
    spaced = " ".join(LETTERS)  # one long word would run off the page
    content = pdf.render_pdf(page(f'<p style="{style}">{spaced}</p>'))
    assert spaced in pdf_text(content)
    fonts = pdf_fonts(content)
    assert len(fonts) == 1 and fonts[0].startswith(pdf.EMBEDDED_FONT_PREFIX), fonts


def test_the_register_layout_is_a4_landscape():
    info = pdf_info(pdf.render_pdf(page("<p>Sổ</p>"), landscape=True))
    assert info["Page size"].startswith("841.") and "(A4)" in info["Page size"]


def test_fonts_come_from_the_package_not_from_the_machine(monkeypatch):
    fetched = []
    original = pdf.BundledFontFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.BundledFontFetcher, "fetch", spy)
    monkeypatch.setattr(pdf, "_local", threading.local())  # fonts are loaded once per thread: load them again
    pdf.render_pdf(page("<p>Bản chính</p>"))
    assert fetched and all(url.startswith(pdf.FONTS_DIR.as_uri()) for url in fetched)
    for _family, name, _weight, _style in pdf.FONT_FACES:
        assert (pdf.FONTS_DIR / name).stat().st_size > 100_000


@pytest.mark.parametrize("src", [
    "http://example.com/logo.png",
    "https://127.0.0.1/x.png",
    "file:///etc/passwd",
    "file:///usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "logo.png",
])
def test_anything_but_a_bundled_font_is_refused(src):
    with pytest.raises(pdf.ResourceRefusedError):
        pdf.render_pdf(page(f'<img src="{src}">'), base_url="file:///tmp/")


def test_a_stylesheet_cannot_fetch_either():
    with pytest.raises(pdf.ResourceRefusedError):
        pdf.render_pdf(page('<link rel="stylesheet" href="http://example.com/x.css"><p>x</p>'))


def test_the_date_line_follows_decree_30_leading_zeros():
    assert pdf.place_date_line("An Thạnh", date(2026, 1, 5)) == "An Thạnh, ngày 05 tháng 01 năm 2026"
    assert pdf.place_date_line("Tây Ninh", date(2026, 2, 28)) == "Tây Ninh, ngày 28 tháng 02 năm 2026"
    assert pdf.place_date_line("Tây Ninh", date(2026, 3, 9)) == "Tây Ninh, ngày 09 tháng 3 năm 2026"
    assert pdf.place_date_line("", None) == "……, ngày …… tháng …… năm ……"


def test_text_is_composed_and_invisible_characters_dropped():
    decomposed = "Nguye\u0302\u0303n Thi\u0323"  # what some keyboards send: base letters + combining marks
    assert pdf.clean_text(decomposed) == "Nguyễn Thị"
    assert pdf.clean_text("UBND Xã An Thạnh huyện\u200b Bến Cầu") == "UBND Xã An Thạnh huyện Bến Cầu"
    assert pdf.clean_text(None) == ""


def test_user_text_is_escaped_in_the_layout_helpers():
    html = pdf.document_header(issuer='<img src="http://example.com/x">')
    assert "<img" not in html
    pdf.render_pdf(page(html))  # renders as text, fetches nothing


def test_each_thread_renders_with_its_own_fonts():
    results = {}

    def work(name):
        results[name] = pdf_text(pdf.render_pdf(page(f"<p>Luồng {name}: Nguyễn Thị Hồng Nhung</p>")))

    threads = [threading.Thread(target=work, args=(n,)) for n in ("một", "hai", "ba")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {n: f"Luồng {n}: Nguyễn Thị Hồng Nhung" for n in ("một", "hai", "ba")}
