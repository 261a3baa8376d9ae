from datetime import date

import pytest

from motcua.indicators.errors import UnknownPeriodError
from motcua.indicators.periods import parse_period, previous_periods


def test_month_quarter_and_year():
    m = parse_period("2026-10")
    assert (m.kind, m.start, m.end, m.label) == ("month", date(2026, 10, 1), date(2026, 10, 31), "Tháng 10/2026")
    q = parse_period("2026-q3")
    assert (q.key, q.start, q.end, q.label) == ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Quý III/2026")
    y = parse_period("2024")
    assert (y.start, y.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert parse_period("2024-02").end == date(2024, 2, 29)


@pytest.mark.parametrize("bad", ["", "2026-13", "2026-00", "2026-Q5", "26-10", "2026/10", "abc", "1999"])
def test_bad_periods_are_refused_in_vietnamese(bad):
    with pytest.raises(UnknownPeriodError) as error:
        parse_period(bad)
    assert error.value.field == "period"
    assert "không hợp lệ" in error.value.message


def test_previous_periods_cross_year_boundaries():
    assert [p.key for p in previous_periods(parse_period("2026-02"), 3)] == ["2025-12", "2026-01", "2026-02"]
    assert [p.key for p in previous_periods(parse_period("2026-Q1"), 2)] == ["2025-Q4", "2026-Q1"]
    assert [p.key for p in previous_periods(parse_period("2026"), 2)] == ["2025", "2026"]
