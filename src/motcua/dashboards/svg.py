"""Server-rendered SVG charts: small pure functions, no JavaScript, no library.

Every chart is `role="img"` with `aria-labelledby` pointing at its title; the page puts a `<table>`
with the same numbers next to it for screen readers and for people who want the figures. The
layout functions return plain geometry so tests can check it (bars never leave the plot area; a
missing value draws no bar and says so).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape as _escape

Number = int | float | Decimal | None

# Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF): an inline SVG
# with one of them breaks the whole page in an XML parser, so labels drop them.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("", str(text)))


FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    x: float
    y: float
    width: float
    height: float


def _fraction(value: Number, maximum: Number) -> float:
    """value ÷ maximum clamped to [0, 1]; 0 for a missing value or maximum."""
    if value is None or maximum is None:
        return 0.0
    value, maximum = float(value), float(maximum)
    if maximum <= 0 or value != value or maximum != maximum:  # NaN guard
        return 0.0
    return min(1.0, max(0.0, value / maximum))


def _fmt(value: Number, decimals: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def column_layout(items: list[tuple[str, Number]], maximum: Number, plot: Box, gap: float = 0.25) -> list[Bar]:
    """Vertical bars, one per item, sharing `maximum` at the top of the plot."""
    if not items:
        return []
    slot = plot.width / len(items)
    bar_width = slot * (1 - gap)
    bars = []
    for i, (label, value) in enumerate(items):
        height = plot.height * _fraction(value, maximum)
        bars.append(Bar(label, value, plot.left + i * slot + (slot - bar_width) / 2, plot.bottom - height,
                        bar_width, height))
    return bars


def row_layout(items: list[tuple[str, Number, Number]], plot: Box, gap: float = 0.3) -> list[Bar]:
    """Horizontal bars, each against its own maximum (a group's points out of its weight)."""
    if not items:
        return []
    slot = plot.height / len(items)
    bar_height = slot * (1 - gap)
    return [Bar(label, value, plot.left, plot.top + i * slot + (slot - bar_height) / 2,
                plot.width * _fraction(value, maximum), bar_height)
            for i, (label, value, maximum) in enumerate(items)]


def _svg(width: int, height: int, title: str, title_id: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-labelledby="{escape(title_id)}" class="chart">'
            f'<title id="{escape(title_id)}">{escape(title)}</title>' + "".join(body) + "</svg>")


def column_chart(items: list[tuple[str, Number]], *, maximum: Number, title: str, title_id: str,
                 width: int = 640, height: int = 220, decimals: int = 2) -> str:
    """A trend as columns, each with its value above and its label below; "—" where there is no value."""
    plot = Box(36, 20, width - 46, height - 56)
    body = [f'<line x1="{plot.left}" y1="{plot.bottom}" x2="{plot.right}" y2="{plot.bottom}" stroke="#666"/>',
            f'<text x="{plot.left - 4}" y="{plot.top + 4}" text-anchor="end" {FONT}>{escape(_fmt(maximum, 0))}</text>',
            f'<text x="{plot.left - 4}" y="{plot.bottom}" text-anchor="end" {FONT}>0</text>']
    for bar in column_layout(items, maximum, plot):
        cx = bar.x + bar.width / 2
        if bar.value is not None:
            body.append(f'<rect x="{bar.x:.2f}" y="{bar.y:.2f}" width="{bar.width:.2f}" height="{bar.height:.2f}" '
                        f'fill="#1d4f91"/>')
        body.append(f'<text x="{cx:.2f}" y="{max(plot.top, bar.y) - 4:.2f}" text-anchor="middle" {FONT}>'
                    f'{escape(_fmt(bar.value, decimals))}</text>')
        body.append(f'<text x="{cx:.2f}" y="{plot.bottom + 16}" text-anchor="middle" {FONT}>{escape(bar.label)}</text>')
    return _svg(width, height, title, title_id, body)


def row_chart(items: list[tuple[str, Number, Number]], *, title: str, title_id: str, width: int = 640,
              label_width: int = 220, row_height: int = 34) -> str:
    """Horizontal bars (value out of its own maximum) with "value / maximum" after each bar."""
    height = row_height * max(1, len(items)) + 10
    plot = Box(label_width, 5, width - label_width - 110, height - 10)
    body = []
    for (label, value, maximum), bar in zip(items, row_layout(items, plot), strict=True):
        cy = bar.y + bar.height / 2 + 4
        body.append(f'<text x="{label_width - 8}" y="{cy:.2f}" text-anchor="end" {FONT}>{escape(label)}</text>')
        body.append(f'<rect x="{plot.left}" y="{bar.y:.2f}" width="{plot.width:.2f}" height="{bar.height:.2f}" '
                    f'fill="#e6ebf2"/>')
        if value is not None:
            body.append(f'<rect x="{bar.x:.2f}" y="{bar.y:.2f}" width="{bar.width:.2f}" height="{bar.height:.2f}" '
                        f'fill="#1d4f91"/>')
        body.append(f'<text x="{plot.right + 8}" y="{cy:.2f}" {FONT}>{escape(_fmt(value))} / '
                    f'{escape(_fmt(maximum))}</text>')
    return _svg(width, height, title, title_id, body)
