"""Periods of the index: a month ("2026-10"), a quarter ("2026-Q3") or a year ("2026")."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from motcua.indicators.errors import UnknownPeriodError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>[1-4])))?$")


@dataclass(frozen=True)
class Period:
    key: str
    kind: str
    start: date
    end: date
    label: str

    def months(self) -> list[date]:
        """The first day of each month in the period."""
        return [date(self.start.year, m, 1) for m in range(self.start.month, self.end.month + 1)]


def parse_period(key) -> Period:
    if isinstance(key, Period):
        return key
    text = str(key or "").strip()
    match = _PATTERN.match(text)
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise UnknownPeriodError("period", _("Kỳ “%(key)s” không hợp lệ: dùng tháng (2026-10), quý (2026-Q3) "
                                        "hoặc năm (2026).") % {"key": text})
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise UnknownPeriodError("period", _("Tháng “%(key)s” không hợp lệ: tháng phải từ 01 đến 12.") % {"key": text})
        return Period(f"{year}-{month:02d}", "month", date(year, month, 1), date(year, month, monthrange(year, month)[1]),
                      _("Tháng %(m)s/%(y)s") % {"m": f"{month:02d}", "y": year})
    if match["quarter"]:
        q = int(match["quarter"])
        first, last = 3 * q - 2, 3 * q
        return Period(f"{year}-Q{q}", "quarter", date(year, first, 1), date(year, last, monthrange(year, last)[1]),
                      _("Quý %(q)s/%(y)s") % {"q": ROMAN[q], "y": year})
    return Period(str(year), "year", date(year, 1, 1), date(year, 12, 31), _("Năm %(y)s") % {"y": year})


def previous_periods(period: Period, count: int) -> list[Period]:
    """`count` periods of the same kind ending with `period`, oldest first (for trends)."""
    out = [period]
    current = period
    for _i in range(count - 1):
        if current.kind == "year":
            current = parse_period(str(current.start.year - 1))
        elif current.kind == "quarter":
            q = (current.start.month - 1) // 3 + 1
            y = current.start.year
            current = parse_period(f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}")
        else:
            y, m = current.start.year, current.start.month
            current = parse_period(f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}")
        out.append(current)
    return list(reversed(out))
