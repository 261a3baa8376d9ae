"""Due-date arithmetic (tính thời hạn giải quyết): pure functions over a `WorkCalendar`.

The rules themselves (cut-off time, what counts as the day of receipt, ...) come in a
`DeadlineRules` value that `selectors.rules_in_force` reads from the administrator's
`DeadlineRuleSet` in force at the receipt moment. docs/workdays.md explains each rule and its source.
"""

from __future__ import annotations

import calendar as gregorian
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from motcua.workdays.calendar import ZERO, WorkCalendar, merge_intervals

WORKING_DAY = "working_day"
WORKING_HOUR = "working_hour"
DAY = "day"
HOUR = "hour"
MONTH = "month"
UNITS = (WORKING_DAY, WORKING_HOUR, DAY, HOUR, MONTH)

IN_PERSON = "in_person"
ONLINE = "online"
POSTAL = "postal"
CHANNELS = (IN_PERSON, ONLINE, POSTAL)

# Civil Code 2015 Art. 146(1)(c): where a month is not counted as a calendar month, it is 30 days.
DAYS_PER_MONTH = 30


class DueInputError(ValueError):
    """Bad input to a due-date computation; `field` names it, the message is for the user (Vietnamese)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class DeadlineRules:
    """The settings of one rule set (defaults = the team's reading of the law, docs/workdays.md)."""

    # A dossier handed over in person after this time counts from the next working day (None: never).
    in_person_cutoff: time | None = time(15, 0)
    online_outside_hours_next_day: bool = True
    postal_outside_hours_next_day: bool = True
    # Civil Code 2015 Art. 147(2): the day of receipt is not counted.
    count_receipt_day: bool = False
    # Civil Code 2015 Art. 148(5): a limit ending on a day off ends with the next working day.
    calendar_days_roll_to_working_day: bool = True
    supplement_pauses_clock: bool = True


@dataclass(frozen=True)
class DueResult:
    received_at: datetime
    effective_receipt: datetime
    due_before_pauses: datetime
    paused_office_time: timedelta
    due_at: datetime
    limit: Decimal
    unit: str
    channel: str
    # Filled by services.compute_due: which rule set applied, and what the calendar could not know.
    rule_set: str = ""
    warnings: tuple[str, ...] = ()


def parse_limit(value: Decimal | int | str | float) -> Decimal:
    """A positive, finite time limit; "2,5" (Vietnamese decimal comma) is read as 2.5."""
    try:
        limit = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DueInputError("limit", f"Thời hạn '{value}' không phải là một số.") from None
    if not limit.is_finite():
        raise DueInputError("limit", f"Thời hạn '{value}' không phải là một số hữu hạn.")
    if limit <= 0:
        raise DueInputError("limit", f"Thời hạn phải lớn hơn 0 (nhận được {value}).")
    return limit


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise DueInputError(
            "unit", f"Đơn vị thời hạn '{unit}' không hợp lệ; chọn một trong: {', '.join(UNITS)}."
        )
    return unit


def check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise DueInputError(
            "channel", f"Hình thức tiếp nhận '{channel}' không hợp lệ; chọn một trong: {', '.join(CHANNELS)}."
        )
    return channel


def effective_receipt(cal: WorkCalendar, rules: DeadlineRules, received_at: datetime, channel: str) -> datetime:
    """The moment from which the time limit runs (rule 1, docs/workdays.md).

    In person: on a day that is not a working day, or after the cut-off (15:00), the dossier counts
    as received at the opening of the next working day. Online or by post: outside office hours it
    counts from the next moment the office opens (the next working day's opening; after the lunch
    break the same afternoon, a decision documented in docs/workdays.md).
    """
    moment = cal.local(received_at)
    if channel == IN_PERSON:
        if not cal.is_working_day(moment.date()):
            return cal.next_working_start(moment)
        if rules.in_person_cutoff is not None and moment.time() > rules.in_person_cutoff:
            return cal.day_start(cal.next_working_day(moment.date()))
        return moment
    rolls = rules.online_outside_hours_next_day if channel == ONLINE else rules.postal_outside_hours_next_day
    if rolls and not cal.is_working_time(moment):
        return cal.next_working_start(moment)
    return moment


def due_before_pauses(cal: WorkCalendar, rules: DeadlineRules, start: datetime, limit: Decimal,
                      unit: str) -> datetime:
    """The due moment counted from the effective receipt `start`, before any supplement pause."""
    if unit == WORKING_DAY:
        return _working_days_due(cal, rules, start, limit)
    if unit == WORKING_HOUR:
        return cal.add_working_time(start, _hours(limit))
    if unit == HOUR:
        # Civil Code 2015 Art. 147(1): a limit in hours runs from the moment itself, clock time.
        return start + _hours(limit)
    if unit == DAY:
        days = math.ceil(limit)
        last = start.date() + timedelta(days=days - 1 if rules.count_receipt_day else days)
        return _end_of_last_day(cal, rules, last)
    if unit == MONTH:
        # A fraction of a month counts 30-day months (half a month = 15 days, Civil Code Art. 146),
        # but never beyond the next whole month, so 0.99 month never ends after 1 month in February.
        months = int(limit)
        extra_days = math.ceil((limit - months) * DAYS_PER_MONTH)
        last = min(add_months(start.date(), months) + timedelta(days=extra_days),
                   add_months(start.date(), months + 1))
        return _end_of_last_day(cal, rules, last)
    raise DueInputError("unit", f"Đơn vị thời hạn '{unit}' không hợp lệ.")


def paused_office_time(cal: WorkCalendar, start: datetime, pauses: Iterable[tuple[datetime, datetime]]) -> timedelta:
    """Office time inside the pauses, after `start`, each moment counted once."""
    clipped = []
    for begin, end in pauses:
        begin, end = cal.local(begin), cal.local(end)
        begin = max(begin, start)
        if end > begin:
            clipped.append((begin, end))
    return sum((cal.working_time_between(a, b) for a, b in merge_intervals(clipped)), ZERO)


def check_pauses(pauses: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    checked = []
    for i, (begin, end) in enumerate(pauses, start=1):
        if begin.tzinfo is None or end.tzinfo is None:
            raise DueInputError("pauses", f"Khoảng tạm dừng thứ {i} thiếu múi giờ.")
        if end < begin:
            raise DueInputError(
                "pauses",
                f"Khoảng tạm dừng thứ {i} kết thúc ({end.isoformat()}) trước khi bắt đầu ({begin.isoformat()}).",
            )
        checked.append((begin, end))
    return checked


def compute_due(cal: WorkCalendar, rules: DeadlineRules, received_at: datetime, limit: Decimal | int | str,
                unit: str, *, channel: str = IN_PERSON,
                pauses: Iterable[tuple[datetime, datetime]] = ()) -> DueResult:
    """Rules 1–4 of docs/workdays.md over an in-memory calendar."""
    if received_at.tzinfo is None:
        raise DueInputError("received_at", "Thời điểm tiếp nhận thiếu múi giờ.")
    limit = parse_limit(limit)
    check_unit(unit)
    check_channel(channel)
    pauses = check_pauses(pauses)
    start = effective_receipt(cal, rules, received_at, channel)
    before = due_before_pauses(cal, rules, start, limit, unit)
    paused = paused_office_time(cal, start, pauses) if rules.supplement_pauses_clock else ZERO
    return DueResult(
        received_at=cal.local(received_at), effective_receipt=start, due_before_pauses=before,
        paused_office_time=paused, due_at=cal.add_working_time(before, paused), limit=limit, unit=unit,
        channel=channel,
    )


def add_months(day: date, months: int) -> date:
    """Civil Code 2015 Art. 148(3): the same day of the month N months later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def _hours(limit: Decimal) -> timedelta:
    return timedelta(microseconds=int(limit * 3_600_000_000))


def _working_days_due(cal: WorkCalendar, rules: DeadlineRules, start: datetime, limit: Decimal) -> datetime:
    """End of office hours of the N-th working day; a fraction is that share of the next day's hours."""
    receipt_day = start.date()
    # The receipt day can count only while office time is left in it: received after closing
    # (with no cut-off), day 1 is the next working day, or the dossier would be due before it came.
    counts_receipt_day = (rules.count_receipt_day and cal.is_working_day(receipt_day)
                          and start < cal.day_end(receipt_day))

    def nth(k: int) -> date:
        return cal.add_working_days(receipt_day, k - 1 if counts_receipt_day else k)

    whole = int(limit)
    fraction = limit - whole
    if fraction == 0:
        return cal.day_end(nth(whole))
    day = nth(whole + 1)
    share = timedelta(microseconds=int(fraction * int(cal.day_duration(day) / timedelta(microseconds=1))))
    # When the receipt day itself counts, its fraction runs from the receipt, not from the opening,
    # and never past that day's close: a fraction of the first day must not end after the whole day.
    begin = max(cal.day_start(day), start)
    return min(cal.add_working_time(begin, share), cal.day_end(day))


def _end_of_last_day(cal: WorkCalendar, rules: DeadlineRules, last: date) -> datetime:
    """Close of office hours of the last day, moved to the next working day when it is a day off."""
    if cal.is_working_day(last):
        return cal.day_end(last)
    if rules.calendar_days_roll_to_working_day:
        return cal.day_end(cal.next_working_day(last))
    # Civil Code 2015 Art. 148(6): without the roll, the last day ends at 24:00.
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=cal.tz)
