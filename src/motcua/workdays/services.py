"""Due dates and the calendar data: the functions other apps call, and the seeding.

`compute_due` is the one entry point for the dossiers app. The arithmetic is in `deadlines.py`
and `calendar.py` (pure); this module reads the administrator's data and applies the rule set in
force at the receipt moment.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from motcua.units.models import Agency
from motcua.workdays import deadlines, selectors
from motcua.workdays.calendar import VN_TZ
from motcua.workdays.choices import EntrySource
from motcua.workdays.deadlines import DueInputError, DueResult
from motcua.workdays.models import CalendarDay, CalendarRevision, DeadlineRuleSet, OfficeHours
from motcua.workdays.seed import SEED_YEARS, PlannedDay, library_version, plan_calendar

__all__ = [
    "DueInputError", "DueResult", "add_working_days", "compute_due", "is_due_soon", "is_working_day",
    "load_calendar", "next_working_start", "working_time_between",
]

DEFAULT_HOURS_SOURCE = (
    "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ, thứ Hai đến thứ Sáu); giờ mặc định 07:30–11:30 và "
    "13:00–17:00, cơ quan, địa phương điều chỉnh theo quy định của mình"
)
DEFAULT_RULES_SOURCE = (
    "Bộ luật Dân sự 2015, Điều 147 (không tính ngày đầu của thời hạn) và Điều 148 (thời hạn kết thúc vào "
    "ngày nghỉ thì chuyển sang ngày làm việc tiếp theo); Nghị định 61/2018/NĐ-CP (hồ sơ tiếp nhận sau 15 giờ "
    "chuyển vào ngày làm việc tiếp theo); Nghị định 45/2020/NĐ-CP (hồ sơ điện tử nộp ngoài giờ hành chính); "
    "thời gian chờ bổ sung hồ sơ không tính vào thời hạn giải quyết. Số điều của hai nghị định cần đối chiếu."
)
# Decree 61/2018/NĐ-CP took effect on 21 June 2018; the default rules apply from then.
DEFAULT_RULES_FROM = date(2018, 6, 21)


# --- due dates ------------------------------------------------------------------------------

def as_local(moment: datetime) -> datetime:
    """A moment in Vietnam time; a naive datetime is read as Vietnam local time."""
    return moment.replace(tzinfo=VN_TZ) if moment.tzinfo is None else moment.astimezone(VN_TZ)


def compute_due(received_at: datetime, limit: Decimal | int | str, unit: str, *, channel: str = "in_person",
                pauses: Iterable[tuple[datetime, datetime]] = (),
                agency: Agency | str | None = None) -> DueResult:
    """When a dossier received at `received_at` is due, under the rules in force at its receipt.

    `pauses` are the supplement waits (request, complete supplement received); `agency` is an
    Agency or its organ code (None: default office hours). Bad input raises DueInputError.
    """
    received_at = as_local(received_at)
    pauses = [(as_local(a), as_local(b)) for a, b in pauses]
    rule_set = selectors.rule_set_in_force(received_at)
    cal = selectors.work_calendar(agency)
    result = deadlines.compute_due(
        cal, selectors.rules_of(rule_set), received_at, limit, unit, channel=channel, pauses=pauses,
    )
    covered = selectors.covered_years()
    missing = [y for y in range(result.effective_receipt.year, result.due_at.year + 1) if y not in covered]
    warnings = tuple(
        f"Năm {year} chưa có lịch nghỉ lễ, Tết trong dữ liệu: hạn chỉ tính theo tuần làm việc." for year in missing
    )
    return dataclasses.replace(result, rule_set=str(rule_set), warnings=warnings)


def add_working_days(day: date, n: int, *, agency: Agency | str | None = None) -> date:
    """The n-th working day after `day`."""
    return selectors.work_calendar(agency).add_working_days(day, n)


def working_time_between(a: datetime, b: datetime, *, agency: Agency | str | None = None) -> timedelta:
    """Office time between two moments."""
    return selectors.work_calendar(agency).working_time_between(as_local(a), as_local(b))


def is_working_day(day: date, *, agency: Agency | str | None = None) -> bool:
    return selectors.work_calendar(agency).is_working_day(day)


def next_working_start(moment: datetime, *, agency: Agency | str | None = None) -> datetime:
    """The earliest moment at or after `moment` when the office is open."""
    return selectors.work_calendar(agency).next_working_start(as_local(moment))


def is_due_soon(due_at: datetime, now: datetime, *, within_days: int = 2,
                agency: Agency | str | None = None) -> bool:
    """True when a dossier not yet late falls due by the end of the `within_days`-th working day from now.

    "Sắp đến hạn" flags: with the default 2, a dossier due today, tomorrow or the working day after
    (counting only working days) is flagged; one already past due is not (it is late, not soon).
    """
    cal = selectors.work_calendar(agency)
    now, due_at = as_local(now), as_local(due_at)
    if due_at <= now:
        return False
    limit_day = cal.add_working_days(now.date(), within_days)
    return due_at.date() <= limit_day


# --- administrator's edits ------------------------------------------------------------------

def bump_revision() -> None:
    """Tell every process that the calendar data changed (selectors drop their cached calendars)."""
    CalendarRevision.objects.update_or_create(key=selectors.REVISION_KEY, defaults={"token": uuid.uuid4().hex})


def save_calendar_day(day: CalendarDay) -> CalendarDay:
    """Save an entry edited by an administrator: it becomes source=admin and seeding never touches it."""
    day.source = EntrySource.ADMIN
    day.full_clean()
    day.save()
    return day


# --- seeding --------------------------------------------------------------------------------

@dataclass
class SeedReport:
    version: str = ""
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept_admin: int = 0
    unchanged: int = 0
    defaults_created: list[str] = field(default_factory=list)
    findings: dict[int, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.defaults_created)

    def lines(self) -> list[str]:
        lines = [
            f"Lịch nghỉ lễ, Tết (thư viện holidays {self.version}): thêm {self.created}, cập nhật {self.updated}, "
            f"xóa {self.removed}, giữ nguyên {self.unchanged}, giữ bản sửa của quản trị viên {self.kept_admin}",
        ]
        lines += [f"Tạo mặc định: {what}" for what in self.defaults_created]
        problems = [line for year_findings in self.findings.values() for line in year_findings]
        if problems:
            lines += ["Không khớp Điều 112 Bộ luật Lao động 2019:", *(f"  {p}" for p in problems)]
        else:
            years = sorted(self.findings)
            if years:
                lines.append(f"Đối chiếu Điều 112 Bộ luật Lao động 2019: {years[0]}–{years[-1]} khớp")
        return lines


_SEEDED_FIELDS = ("kind", "name", "legal_source", "active", "note")


@transaction.atomic
def load_calendar(years: Iterable[int] = SEED_YEARS) -> SeedReport:
    """Seed the days off of `years` from the `holidays` package, and the default hours and rules.

    Idempotent: a second run changes nothing. A row an administrator saved (source=admin) is never
    changed or removed; seeded rows follow the package (a newer package version updates them).
    Default office hours and the default rule set are created only when none exist.
    Migration 0002 runs it once, so every database (tests included) starts with a calendar;
    `motcua setup` runs it again to pick up a newer package.
    """
    return apply_seed(CalendarDay, OfficeHours, DeadlineRuleSet, CalendarRevision, years)


def apply_seed(calendar_day, office_hours, rule_set, revision, years: Iterable[int] = SEED_YEARS) -> SeedReport:
    """`load_calendar` over the given model classes (the migration passes its historical models)."""
    years = list(years)
    plan, findings = plan_calendar(years)
    report = SeedReport(version=library_version(), findings=findings)
    planned: dict[date, PlannedDay] = {}
    for entry in plan:
        planned.setdefault(entry.date, entry)
    existing = {row.date: row for row in calendar_day.objects.filter(date__in=planned)}
    new_rows = []
    for day, entry in planned.items():
        row = existing.get(day)
        values = {name: getattr(entry, name) for name in _SEEDED_FIELDS}
        if row is None:
            new_rows.append(calendar_day(date=day, source=EntrySource.SEEDED, **values))
        elif row.source == EntrySource.ADMIN:
            report.kept_admin += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            calendar_day.objects.filter(pk=row.pk).update(**values)
            report.updated += 1
        else:
            report.unchanged += 1
    # bulk_create: one revision bump at the end instead of one per row through the signals.
    calendar_day.objects.bulk_create(new_rows)
    report.created = len(new_rows)
    # Seeded rows of these years that the package no longer lists (a corrected projection).
    stale = calendar_day.objects.filter(source=EntrySource.SEEDED, date__year__in=years).exclude(date__in=planned)
    report.removed = stale.count()
    stale.delete()
    report.defaults_created = _seed_defaults(office_hours, rule_set)
    if report.changed:
        revision.objects.update_or_create(key=selectors.REVISION_KEY, defaults={"token": uuid.uuid4().hex})
    return report


def _seed_defaults(office_hours, rule_set) -> list[str]:
    created = []
    if not office_hours.objects.filter(agency__isnull=True).exists():
        office_hours.objects.bulk_create(
            office_hours(agency=None, weekday=weekday, morning_start=time(7, 30), morning_end=time(11, 30),
                         afternoon_start=time(13, 0), afternoon_end=time(17, 0), legal_source=DEFAULT_HOURS_SOURCE)
            for weekday in range(5)
        )
        created.append("giờ làm việc thứ Hai–thứ Sáu 07:30–11:30, 13:00–17:00")
    if not rule_set.objects.exists():
        rule_set.objects.create(effective_from=DEFAULT_RULES_FROM, legal_source=DEFAULT_RULES_SOURCE)
        created.append(f"quy tắc tính hạn từ {DEFAULT_RULES_FROM:%d/%m/%Y}")
    return created
