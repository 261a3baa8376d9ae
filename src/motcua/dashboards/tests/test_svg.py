"""The SVG helper: bars stay inside the plot whatever the values; missing and zero values render."""

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from motcua.dashboards import svg

SVG = "{http://www.w3.org/2000/svg}"
values = st.one_of(st.none(), st.integers(min_value=-10**6, max_value=10**6),
                   st.floats(allow_nan=True, allow_infinity=False, width=32),
                   st.decimals(min_value=-1000, max_value=1000, places=2))
maxima = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**6), st.decimals(min_value=0, max_value=100, places=2))
plots = st.builds(svg.Box, st.floats(0, 100), st.floats(0, 100), st.floats(1, 1000), st.floats(1, 1000))
EPS = 1e-6


def inside(bar, plot):
    return (plot.left - EPS <= bar.x and bar.x + bar.width <= plot.right + EPS
            and plot.top - EPS <= bar.y and bar.y + bar.height <= plot.bottom + EPS
            and bar.width >= 0 and bar.height >= 0)


@given(st.lists(st.tuples(st.text(max_size=10), values), max_size=30), maxima, plots)
def test_columns_never_leave_the_plot(items, maximum, plot):
    bars = svg.column_layout(items, maximum, plot)
    assert len(bars) == len(items)
    assert all(inside(b, plot) for b in bars)
    for bar, (_label, value) in zip(bars, items, strict=True):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            assert bar.height == 0


@given(st.lists(st.tuples(st.text(max_size=10), values, maxima), max_size=10), plots)
def test_rows_never_leave_the_plot(items, plot):
    bars = svg.row_layout(items, plot)
    assert all(inside(b, plot) for b in bars)


@given(st.lists(st.tuples(st.text(max_size=12), values), max_size=14), maxima)
def test_column_chart_is_well_formed_and_labelled(items, maximum):
    tree = ET.fromstring(svg.column_chart(items, maximum=maximum, title="Điểm <766> & nhóm", title_id="t1"))
    assert tree.get("role") == "img" and tree.get("aria-labelledby") == "t1"
    title = tree.find(f"{SVG}title")
    assert title.get("id") == "t1" and title.text == "Điểm <766> & nhóm"


def test_zero_and_missing_values_render():
    chart = svg.column_chart([("2026-08", None), ("2026-09", Decimal(0)), ("2026-10", Decimal("72.5"))],
                             maximum=100, title="Diễn biến", title_id="d")
    tree = ET.fromstring(chart)
    rects = tree.findall(f"{SVG}rect")
    assert len(rects) == 2  # the missing value draws no bar; zero draws an empty one
    texts = [t.text for t in tree.findall(f"{SVG}text")]
    assert "—" in texts and "0" in texts and "72,5" in texts


def test_full_bar_fills_the_plot_and_overflow_is_clamped():
    plot = svg.Box(0, 0, 100, 50)
    full, over = svg.column_layout([("a", 100), ("b", 250)], 100, plot)
    assert full.height == over.height == 50
    (row,) = svg.row_layout([("Nhóm 2", Decimal(20), Decimal(20))], plot)
    assert row.width == 100


def test_row_chart_shows_value_out_of_maximum():
    chart = svg.row_chart([("1. Công khai", Decimal("13.5"), Decimal(18)), ("4. Số hóa", None, Decimal(22))],
                          title="Nhóm", title_id="g")
    texts = [t.text for t in ET.fromstring(chart).findall(f"{SVG}text")]
    assert "13,5 / 18" in texts and "— / 22" in texts
