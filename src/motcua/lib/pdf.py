"""HTML → PDF with WeasyPrint, the bundled Noto fonts and a Decree 30/2020-like page layout.

Why bundled fonts: a PDF handed to a citizen must look the same whatever machine printed it, and
the fonts found on a server are a lottery for Vietnamese (`fonts-liberation` 1.x lacks Ơ, Ư and
the whole U+1EA0 block, so a slip silently mixes two typefaces: shared/reference/stack.md §7).
The fonts are declared under family names of our own ("Motcua Noto Serif", "Motcua Noto Sans"),
so a system font can never stand in for them unnoticed: WeasyPrint names each embedded font after
its CSS family, so `pdffonts` lists "Motcua-Noto-Serif-Bold" for a bundled face and the system
name (e.g. "NotoSerif-Bold", "DejaVuSans") for anything fontconfig had to borrow.

Why a refusing URL fetcher: slips are rendered from data typed by citizens and officials, and a
renderer that follows URLs could be made to reach the network or read local files. Only the
bundled font files can be fetched; anything else stops the rendering with `ResourceRefusedError`.

The layout helpers return escaped HTML fragments for the parts every administrative document
shares (Decree 30/2020/NĐ-CP, Appendix I): the issuing body at the top left, the national title
and motto at the top right, the place-and-date line, the centred bold title.
"""

import threading
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

FONTS_DIR = Path(__file__).resolve().with_name("fonts")
SERIF = "Motcua Noto Serif"
SANS = "Motcua Noto Sans"
# (family, file, weight, style): only the files the stylesheet uses are vendored (fonts/SOURCES.md).
FONT_FACES = [
    (SERIF, "NotoSerif-Regular.ttf", "normal", "normal"),
    (SERIF, "NotoSerif-Bold.ttf", "bold", "normal"),
    (SERIF, "NotoSerif-Italic.ttf", "normal", "italic"),
    (SERIF, "NotoSerif-BoldItalic.ttf", "bold", "italic"),
    (SANS, "NotoSans-Regular.ttf", "normal", "normal"),
    (SANS, "NotoSans-Bold.ttf", "bold", "normal"),
]
# Every font `pdffonts` lists for one of our documents starts with this (after the subset tag "ABCDEF+").
EMBEDDED_FONT_PREFIX = "Motcua-Noto-"

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class ResourceRefusedError(ValueError):
    """The document asked for something other than a bundled font (a URL, an image, a local file)."""


class BundledFontFetcher(URLFetcher):
    """Serves the bundled font files and refuses every other URL, so rendering never leaves the package."""

    def __init__(self):
        # fail_on_errors: a refused resource stops the rendering instead of being dropped with a warning.
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        path = bundled_font_path(url)
        if path is None:
            raise ResourceRefusedError(url)
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})


def bundled_font_path(url: str) -> Path | None:
    """The file a file:// URL names when it is one of the bundled fonts, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if path.parent != FONTS_DIR or path.name not in {f for _fam, f, _w, _s in FONT_FACES}:
        return None
    return path


def _font_faces_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(FONTS_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, name, weight, style in FONT_FACES
    )


# Decree 30/2020, Appendix I: A4; margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm;
# body 13–14 pt, justified, first-line indent about 1 cm, at least 6 pt between paragraphs;
# page numbers centred at the top, from the second page on.
BASE_CSS = _font_faces_css() + f"""
@page {{
  size: A4 portrait;
  margin: 20mm 15mm 20mm 30mm;
  @top-center {{ content: counter(page); font: 11pt "{SERIF}"; }}
}}
@page :first {{ @top-center {{ content: none; }} }}
html {{ font-family: "{SERIF}"; font-size: 13pt; line-height: 1.3; color: #000; }}
body {{ margin: 0; }}
/* Data lines ("Địa chỉ: …") stay ragged-right: justified, their few words would be spread apart. */
p {{ margin: 0 0 6pt 0; text-align: left; }}
.indent {{ text-indent: 1cm; text-align: justify; }}

table.doc-header {{ width: 100%; border-collapse: collapse; margin-bottom: 12pt; }}
table.doc-header td {{ vertical-align: top; text-align: center; padding: 0; }}
table.doc-header td.issuer {{ width: 40%; }}
table.doc-header td.nation {{ width: 60%; }}
.superior {{ font-size: 12pt; text-transform: uppercase; }}
.issuer-name {{ font-size: 12pt; font-weight: bold; text-transform: uppercase; }}
.national-title {{ font-size: 12pt; font-weight: bold; white-space: nowrap; }}
.motto {{ font-size: 13pt; font-weight: bold; display: inline-block; white-space: nowrap; }}
/* The short rule under the issuer (about a third of its line) and the full-width rule under the motto. */
.rule-short {{ width: 35%; margin: 3pt auto 4pt auto; border-top: 0.75pt solid #000; }}
.rule-motto {{ margin: 2pt 0 4pt 0; border-top: 0.75pt solid #000; }}
.reference {{ font-size: 13pt; }}
.place-date {{ font-style: italic; font-size: 13pt; margin-top: 4pt; }}

.doc-title {{ text-align: center; font-weight: bold; font-size: 14pt; text-transform: uppercase;
              margin: 12pt 0 8pt 0; }}
.doc-subtitle {{ text-align: center; font-style: italic; font-size: 12pt; margin: -6pt 0 12pt 0; }}

table.grid {{ width: 100%; border-collapse: collapse; margin: 4pt 0 8pt 0; page-break-inside: auto; }}
table.grid th, table.grid td {{ border: 0.75pt solid #000; padding: 3pt 4pt; vertical-align: top; }}
table.grid th {{ font-weight: bold; text-align: center; }}
table.grid thead {{ display: table-header-group; }}
table.grid tr {{ page-break-inside: avoid; }}
td.num, th.num {{ text-align: center; }}
.sans {{ font-family: "{SANS}"; }}

table.signatures {{ width: 100%; border-collapse: collapse; margin-top: 14pt; page-break-inside: avoid; }}
table.signatures td {{ width: 50%; text-align: center; vertical-align: top; padding: 0 4pt; }}
.sign-role {{ font-weight: bold; text-transform: uppercase; font-size: 13pt; }}
.sign-hint {{ font-style: italic; font-size: 12pt; }}
.sign-name {{ font-weight: bold; margin-top: 48pt; }}
.note {{ font-style: italic; font-size: 11pt; }}
.label {{ font-weight: bold; }}
.center {{ text-align: center; }}
/* Codes and document numbers ("104/2022/NĐ-CP") are read as one token: never split them at a hyphen. */
.nowrap {{ white-space: nowrap; }}
/* The form's number printed above the header, as the appendices of the circulars print it. */
.form-number {{ text-align: right; font-weight: bold; font-size: 12pt; margin-bottom: 4pt; }}
.source-note {{ font-style: italic; font-size: 10pt; margin-top: 14pt; text-align: left; }}
"""


LANDSCAPE_CSS = "@page { size: A4 landscape; margin: 15mm 12mm 15mm 15mm; }"
# Per thread: the font configuration with the six fonts loaded, and the parsed stylesheets.
# Loading the fonts is most of the cost of a small document (about 90 of 110 ms measured here,
# docs/benchmarks.md), and WeasyPrint's font configuration must not be shared between threads.
_local = threading.local()


def _styles() -> tuple[FontConfiguration, CSS, CSS]:
    cached = getattr(_local, "styles", None)
    if cached is None:
        fetcher = BundledFontFetcher()
        fonts = FontConfiguration()
        cached = _local.styles = (
            fonts,
            CSS(string=BASE_CSS, font_config=fonts, url_fetcher=fetcher),
            CSS(string=LANDSCAPE_CSS, font_config=fonts, url_fetcher=fetcher),
        )
    return cached


def render_pdf(html: str, *, base_url: str | None = None, landscape: bool = False) -> bytes:
    """Render an HTML document to PDF bytes with the bundled fonts, offline.

    `landscape` switches every page to A4 landscape (the register, Mẫu 06). `base_url` only
    resolves relative links; what they point to is still refused unless it is a bundled font.
    """
    fonts, base, landscape_css = _styles()
    stylesheets = [base, landscape_css] if landscape else [base]
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=BundledFontFetcher())
        return document.write_pdf(stylesheets=stylesheets, font_config=fonts)
    except FatalURLFetchingError as error:
        raise ResourceRefusedError(str(error.__cause__ or error)) from error


# ----------------------------------------------------------------------------- text and layout helpers

def clean_text(value) -> str:
    """Text fit to print: NFC-composed (one code point per Vietnamese letter), no invisible characters.

    Decomposed input (e.g. from macOS or some Windows keyboards) renders tone marks from a fallback
    font and extracts as separate marks; zero-width spaces and BOMs found in official data
    (e.g. agency names in the organ-code lists) print as nothing but break copy-paste and search.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def vn_date_words(d: date) -> str:
    """"ngày 05 tháng 01 năm 2026": a leading zero for days below 10 and for months 1 and 2 (Decree 30/2020)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: date | None) -> str:
    """The place-and-date line: "An Thạnh, ngày 26 tháng 11 năm 2026" (dotted blanks when unknown)."""
    place = clean_text(place) or "……"
    if d is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return f"{place}, {vn_date_words(d)}"


def document_header(*, issuer: str, superior: str = "", reference: str = "", place_date: str = "") -> SafeString:
    """The two-column head of the page: issuing body (under its superior) left, national title and motto right."""
    superior_html = format_html('<div class="superior">{}</div>', clean_text(superior)) if superior else ""
    reference_html = format_html('<div class="reference">{}</div>', clean_text(reference)) if reference else ""
    place_html = format_html('<div class="place-date">{}</div>', place_date) if place_date else ""
    return format_html(
        '<table class="doc-header"><tr>'
        '<td class="issuer">{}<div class="issuer-name">{}</div><div class="rule-short"></div>{}</td>'
        '<td class="nation"><div class="national-title">{}</div>'
        '<div class="motto">{}<div class="rule-motto"></div></div>{}</td>'
        "</tr></table>",
        superior_html, clean_text(issuer), reference_html, NATIONAL_TITLE, MOTTO, place_html,
    )


def document_title(title: str, subtitle: str = "") -> SafeString:
    """The document type name, centred, bold and upper case, with an optional italic line below."""
    sub = format_html('<div class="doc-subtitle">{}</div>', clean_text(subtitle)) if subtitle else ""
    return format_html('<div class="doc-title">{}</div>{}', clean_text(title), sub)


def signature_block(*columns: tuple[str, str, str]) -> SafeString:
    """Signature columns side by side: (role, hint such as "(Ký và ghi rõ họ tên)", printed name)."""
    cells = format_html_join(
        "", '<td><div class="sign-role">{}</div><div class="sign-hint">{}</div><div class="sign-name">{}</div></td>',
        ((clean_text(role), clean_text(hint), clean_text(name)) for role, hint, name in columns),
    )
    return format_html('<table class="signatures"><tr>{}</tr></table>', cells)
