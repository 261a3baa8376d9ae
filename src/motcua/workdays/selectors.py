"""Reads: the calendar of an agency and the rule set in force, from the administrator's data.

Each process keeps the calendars it built and drops them as soon as the revision token in the
database changes (every save or delete of calendar data changes it, `signals.py`), so an
administrator's edit applies to the next computation in every worker, without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from motcua.units.models import Agency
from motcua.workdays.calendar import VN_TZ, HoursRule, WorkCalendar
from motcua.workdays.choices import DAY_OFF_KINDS, DayKind
from motcua.workdays.deadlines import DeadlineRules, DueInputError
from motcua.workdays.models import CalendarDay, CalendarRevision, DeadlineRuleSet, OfficeHours

REVISION_KEY = "calendar"
# An agency tree is never this deep; the bound only stops a parent cycle typed by mistake.
MAX_AGENCY_DEPTH = 20


@dataclass
class _Snapshot:
    token: str
    days_off: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    covered_years: frozenset[int] = frozenset()
    hours_by_agency: dict[int | None, tuple[HoursRule, ...]] = field(default_factory=dict)
    calendars: dict[tuple[int, ...], WorkCalendar] = field(default_factory=dict)


_snapshot: _Snapshot | None = None


def revision_token() -> str:
    return CalendarRevision.objects.filter(key=REVISION_KEY).values_list("token", flat=True).first() or ""


def _current() -> _Snapshot:
    global _snapshot
    token = revision_token()
    if _snapshot is None or _snapshot.token != token:
        _snapshot = _load(token)
    return _snapshot


def _load(token: str) -> _Snapshot:
    days_off, extra, covered = set(), set(), set()
    for day, kind in CalendarDay.objects.filter(active=True).values_list("date", "kind"):
        if kind == DayKind.MAKEUP_WORKDAY:
            extra.add(day)
        elif kind in DAY_OFF_KINDS:
            days_off.add(day)
            if kind == DayKind.HOLIDAY:
                covered.add(day.year)
    hours: dict[int | None, list[HoursRule]] = {}
    for row in OfficeHours.objects.all():
        hours.setdefault(row.agency_id, []).append(
            HoursRule(row.weekday, row.periods(), row.valid_from, row.valid_to)
        )
    return _Snapshot(
        token=token, days_off=frozenset(days_off), extra_workdays=frozenset(extra),
        covered_years=frozenset(covered), hours_by_agency={k: tuple(v) for k, v in hours.items()},
    )


def find_agency(organ_code: str) -> Agency:
    """The agency with this organ code, or a DueInputError naming the field."""
    code = (organ_code or "").strip()
    agency = Agency.objects.filter(organ_code=code).first() if code else None
    if agency is None:
        raise DueInputError("agency", f"Không tìm thấy cơ quan có mã định danh '{organ_code}'.")
    return agency


def _agency_chain(agency: Agency | None) -> list[int]:
    """The agency and its ancestors, nearest first."""
    chain: list[int] = []
    current = agency.pk if agency is not None else None
    while current is not None and current not in chain and len(chain) < MAX_AGENCY_DEPTH:
        chain.append(current)
        current = Agency.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return chain


def work_calendar(agency: Agency | str | None = None) -> WorkCalendar:
    """The calendar of an agency (an Agency, an organ code, or None for the default office hours)."""
    if isinstance(agency, str):
        agency = find_agency(agency)
    snap = _current()
    # Only the agencies that have their own office hours matter, so most calls walk no tree at all.
    has_own_hours = any(key is not None for key in snap.hours_by_agency)
    own = [a for a in _agency_chain(agency) if a in snap.hours_by_agency] if has_own_hours else []
    key = tuple(own)
    cal = snap.calendars.get(key)
    if cal is None:
        levels = [snap.hours_by_agency[a] for a in own]
        levels.append(snap.hours_by_agency.get(None, ()))
        if not any(levels):
            raise DueInputError(
                "agency", "Chưa có giờ làm việc nào trong dữ liệu: chạy `motcua setup` hoặc khai báo giờ làm việc."
            )
        cal = WorkCalendar(hours=levels, days_off=snap.days_off, extra_workdays=snap.extra_workdays, tz=VN_TZ)
        snap.calendars[key] = cal
    return cal


def covered_years() -> frozenset[int]:
    """Years for which the calendar holds public holidays (outside them only weekends are known)."""
    return _current().covered_years


def rule_set_in_force(at: datetime) -> DeadlineRuleSet:
    """The rule set with the latest effective date on or before the (local) day of `at`."""
    day = at.astimezone(VN_TZ).date()
    rule_set = DeadlineRuleSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rule_set is None:
        raise DueInputError(
            "received_at", f"Chưa có quy tắc tính hạn nào có hiệu lực vào ngày {day:%d/%m/%Y}."
        )
    return rule_set


def rules_of(rule_set: DeadlineRuleSet) -> DeadlineRules:
    return DeadlineRules(
        in_person_cutoff=rule_set.in_person_cutoff,
        online_outside_hours_next_day=rule_set.online_outside_hours_next_day,
        postal_outside_hours_next_day=rule_set.postal_outside_hours_next_day,
        count_receipt_day=rule_set.count_receipt_day,
        calendar_days_roll_to_working_day=rule_set.calendar_days_roll_to_working_day,
        supplement_pauses_clock=rule_set.supplement_pauses_clock,
    )


def calendar_days(year: int):
    """The calendar entries of a year, for listing."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def drop_cache() -> None:
    global _snapshot
    _snapshot = None
