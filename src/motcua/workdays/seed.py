"""What the seeding writes: Vietnam's days off from the `holidays` package, classified and checked.

`plan_calendar(years)` turns the package's list into `PlannedDay`s (kind, legal source, whether it
applies). `audit_year` checks a year's plan against Labour Code 2019 Art. 112 (Labour Code 2012
Art. 115 for 2020). `services.load_calendar` writes the plan; nothing here touches the database.

Checked by hand against the package 0.109 for 2020–2035 (docs/workdays.md, "Seeded calendar").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from motcua.workdays.choices import DayKind

SEED_YEARS = range(2020, 2036)

LABOUR_CODE_2012 = "Bộ luật Lao động 2012, Điều 115"
LABOUR_CODE_2019 = "Bộ luật Lao động 2019, Điều 112"
COMPENSATORY_2012 = "Bộ luật Lao động 2012, Điều 115 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)"
COMPENSATORY_2019 = "Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)"
# Art. 112(3): the Prime Minister fixes the Tết days (and the day next to 2/9) each year.
TET_NOTE = "ngày nghỉ Tết cụ thể do Thủ tướng Chính phủ quyết định hằng năm (Điều 112 khoản 3)"
# The last year whose Tết and swaps had been announced when the package data was checked; later
# years are the package's projection until the Prime Minister decides.
LAST_ANNOUNCED_YEAR = 2026

# The swap decisions the package cites for the years seeded (its VietnamStaticHolidays references).
SWAP_SOURCES = {
    2024: "Công văn 2450/VPCP-KGVX năm 2024 của Văn phòng Chính phủ (hoán đổi ngày làm việc dịp 30/4–1/5/2024)",
    2025: "Thông báo 6150/TB-BLĐTBXH năm 2024 (lịch nghỉ Tết Âm lịch, dịp 30/4 và 1/5/2025 "
          "của cán bộ, công chức, viên chức)",
    2026: "Lịch nghỉ Quốc khánh 2/9/2026 của cán bộ, công chức, viên chức (thư viện holidays dẫn nguồn "
          "hỏi đáp pháp luật; số hiệu văn bản cần đối chiếu)",
}

# 24/11 "Ngày Văn hóa Việt Nam" is listed by the package from 2026, citing Resolution 80-NQ/TW (a
# Party resolution). Art. 112 has not been amended to add it as far as we could check, so it is
# seeded but not applied: an administrator turns it on once the legal act is confirmed.
CULTURE_DAY = "Ngày Văn hóa Việt Nam"
CULTURE_DAY_SOURCE = (
    "Nghị quyết 80-NQ/TW (theo tham chiếu của thư viện holidays); chưa xác minh được văn bản quy phạm "
    "bổ sung ngày nghỉ này vào Điều 112 Bộ luật Lao động 2019"
)
CULTURE_DAY_NOTE = (
    "Chưa áp dụng khi tính hạn: căn cứ pháp lý chưa được xác minh. Quản trị viên chọn 'đang áp dụng' "
    "khi có văn bản quy phạm pháp luật quy định ngày nghỉ này."
)

_SWAP_RE = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
_COMPENSATORY_MARK = "(nghỉ bù"
_TET_WORDS = ("Tết Nguyên Đán", "29 Tết", "30 Tết")


@dataclass(frozen=True)
class PlannedDay:
    date: date
    kind: str
    name: str
    legal_source: str
    active: bool = True
    note: str = ""


def library_version() -> str:
    import holidays

    return holidays.__version__


def library_days(year: int) -> dict[date, str]:
    """The package's Vietnamese list for one year, with Vietnamese names, compensatory days included."""
    import holidays

    return dict(holidays.country_holidays("VN", years=year, language="vi", observed=True))


def is_tet(name: str) -> bool:
    return any(word in name for word in _TET_WORDS)


def plan_year(year: int, days: dict[date, str], version: str) -> list[PlannedDay]:
    """Classify one year's list: holiday, compensatory day, swapped day off and its make-up Saturday."""
    note = f"Nạp từ thư viện holidays {version}."
    code, compensatory = (LABOUR_CODE_2012, COMPENSATORY_2012) if year < 2021 else (LABOUR_CODE_2019, COMPENSATORY_2019)
    plan = []
    for day, name in sorted(days.items()):
        if CULTURE_DAY in name:
            kind = DayKind.COMPENSATORY if _COMPENSATORY_MARK in name else DayKind.HOLIDAY
            plan.append(PlannedDay(day, kind, name, CULTURE_DAY_SOURCE, False, f"{CULTURE_DAY_NOTE} {note}"))
        elif swap := _SWAP_RE.search(name):
            dd, mm, yyyy = (int(part) for part in swap.groups())
            source = SWAP_SOURCES.get(year) or (
                f"Quyết định hoán đổi ngày làm việc năm {year} (theo thư viện holidays; số hiệu văn bản cần đối chiếu)"
            )
            plan.append(PlannedDay(day, DayKind.EXTRA_DAY_OFF, name, source, True, note))
            plan.append(PlannedDay(
                date(yyyy, mm, dd), DayKind.MAKEUP_WORKDAY, f"Làm việc bù cho ngày nghỉ {day:%d/%m/%Y}",
                source, True, note,
            ))
        elif _COMPENSATORY_MARK in name:
            plan.append(PlannedDay(day, DayKind.COMPENSATORY, name, compensatory, True, note))
        elif is_tet(name):
            tet_note = TET_NOTE if year <= LAST_ANNOUNCED_YEAR else f"dự kiến; {TET_NOTE}"
            plan.append(PlannedDay(day, DayKind.HOLIDAY, name, f"{code} ({tet_note})", True, note))
        else:
            plan.append(PlannedDay(day, DayKind.HOLIDAY, name, code, True, note))
    return plan


def plan_calendar(years=SEED_YEARS) -> tuple[list[PlannedDay], dict[int, list[str]]]:
    """The plan for the years and, per year, what the Art. 112 check found (empty = conforms)."""
    version = library_version()
    plan: list[PlannedDay] = []
    findings: dict[int, list[str]] = {}
    for year in years:
        year_plan = plan_year(year, library_days(year), version)
        findings[year] = audit_year(year, year_plan)
        plan.extend(year_plan)
    return plan, findings


def audit_year(year: int, plan: list[PlannedDay]) -> list[str]:
    """Check a year against Labour Code 2019 Art. 112 (2012 Art. 115 before 2021); Vietnamese findings.

    Art. 112(1): 1/1; 5 Tết days; Hùng Kings (10/3 lunar); 30/4; 1/5; 2/9 and one day next to it:
    11 days (10 under the 2012 code, without the day next to 2/9). A holiday on a weekend is
    compensated on the next working day (Art. 111(3)), and a swapped day off is balanced by a
    make-up working day, so the days taken out of Monday–Friday by Art. 112 are exactly 11.
    """
    findings = []
    applied = [p for p in plan if p.active and p.date.year == year]
    off = {p.date: p for p in applied if p.kind in (DayKind.HOLIDAY, DayKind.COMPENSATORY)}
    named = {p.date for p in applied if p.kind == DayKind.HOLIDAY}
    for month, day, label in ((1, 1, "Tết Dương lịch 1/1"), (4, 30, "Ngày Chiến thắng 30/4"),
                              (5, 1, "Ngày Quốc tế Lao động 1/5"), (9, 2, "Quốc khánh 2/9")):
        if date(year, month, day) not in named:
            findings.append(f"{year}: thiếu {label}")
    if year >= 2021 and not ({date(year, 9, 1), date(year, 9, 3)} & named):
        findings.append(f"{year}: thiếu ngày liền kề Quốc khánh (1/9 hoặc 3/9)")
    hung_kings = [p for p in applied if p.kind == DayKind.HOLIDAY and "Hùng Vương" in p.name]
    if len(hung_kings) != 1:
        findings.append(f"{year}: cần đúng 1 ngày Giỗ Tổ Hùng Vương, có {len(hung_kings)}")
    tet_weekdays = [d for d, p in off.items() if p.kind == DayKind.HOLIDAY and is_tet(p.name) and d.weekday() < 5]
    if len(tet_weekdays) != 5:
        findings.append(f"{year}: Tết Âm lịch cần 5 ngày nghỉ vào ngày làm việc, có {len(tet_weekdays)}")
    expected = 10 if year < 2021 else 11
    weekdays_off = sum(1 for d in off if d.weekday() < 5)
    if weekdays_off != expected:
        findings.append(
            f"{year}: số ngày nghỉ lễ, Tết và nghỉ bù rơi vào thứ Hai–thứ Sáu là {weekdays_off}, luật quy định {expected}"
        )
    swaps_off = sum(1 for p in applied if p.kind == DayKind.EXTRA_DAY_OFF)
    makeups = sum(1 for p in plan if p.active and p.kind == DayKind.MAKEUP_WORKDAY
                  and any(q.kind == DayKind.EXTRA_DAY_OFF and q.date.year == year and p.name.endswith(f"{q.date:%d/%m/%Y}")
                          for q in applied))
    if swaps_off != makeups:
        findings.append(f"{year}: {swaps_off} ngày nghỉ hoán đổi nhưng {makeups} ngày làm việc bù")
    return findings
