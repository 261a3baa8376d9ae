"""The working-time calendar: pure arithmetic over office hours, days off and make-up working days.

Nothing here touches the database. `selectors.work_calendar` builds a `WorkCalendar` from the
administrator's data; tests build them from plain sets so hypothesis can try thousands of calendars.

Conventions:
- Every moment is a timezone-aware datetime. Results are in the calendar's time zone
  (Asia/Ho_Chi_Minh, UTC+7, no daylight saving since 1975); inputs in any offset are converted.
- Office periods are half-open [start, end): at 17:00 the office is closed, at 07:30 it is open.
- "Office time" is the time inside office periods; a day with no period is not a working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ZERO = timedelta(0)
# How far a search for the next working day may look before the calendar is declared broken
# (no office hours at all, or years of days off typed by mistake). Ten years is far beyond any
# procedure's time limit, so hitting it always means bad data.
DEFAULT_HORIZON_DAYS = 3660

Period = tuple[time, time]
Interval = tuple[datetime, datetime]


class CalendarError(ValueError):
    """The calendar cannot answer: no working day within the horizon, or a date that is not a working day."""


@dataclass(frozen=True)
class HoursRule:
    """The office periods of one weekday (0 = Monday) between two dates (inclusive; None = open)."""

    weekday: int
    periods: tuple[Period, ...]
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday}")
        previous_end = None
        for start, end in self.periods:
            if not start < end:
                raise ValueError(f"period {start}–{end} ends before it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("periods must be sorted and must not overlap")
            previous_end = end

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def weekly_rules(week: Mapping[int, Sequence[Period]], valid_from: date | None = None,
                 valid_to: date | None = None) -> tuple[HoursRule, ...]:
    """Rules for a whole week from {weekday: periods}; a weekday left out is a day of rest."""
    return tuple(HoursRule(wd, tuple(periods), valid_from, valid_to) for wd, periods in sorted(week.items()))


@dataclass
class WorkCalendar:
    """Office time of one agency.

    `hours` holds levels from the most specific (the agency itself) to the national default. For a
    given date the first level that has any rule valid on that date decides the whole week: an
    agency that sets its own hours for a period does not inherit single weekdays from its parent.

    `days_off` (public holidays, compensatory days, swapped days off) win over the weekly hours;
    `extra_workdays` (make-up working Saturdays) win over both and use the hours of `makeup_weekday`
    (Monday by default) in the week that applies, or of the first weekday that has hours.
    """

    hours: Sequence[Sequence[HoursRule]]
    days_off: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    tz: ZoneInfo = VN_TZ
    makeup_weekday: int = 0
    horizon_days: int = DEFAULT_HORIZON_DAYS
    _cache: dict[date, tuple[Interval, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self.hours = tuple(tuple(level) for level in self.hours)
        self.days_off = frozenset(self.days_off)
        self.extra_workdays = frozenset(self.extra_workdays)

    # --- days -------------------------------------------------------------------------------

    def week_for(self, day: date) -> dict[int, tuple[Period, ...]]:
        for level in self.hours:
            rules = [rule for rule in level if rule.valid_on(day)]
            if rules:
                week: dict[int, tuple[Period, ...]] = {}
                for rule in rules:
                    week[rule.weekday] = tuple(sorted(week.get(rule.weekday, ()) + rule.periods))
                return week
        return {}

    def intervals(self, day: date) -> tuple[Interval, ...]:
        """The office periods of `day` as aware datetimes, in order; empty on a day off."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        periods: tuple[Period, ...] = ()
        if day in self.extra_workdays:
            week = self.week_for(day)
            periods = week.get(self.makeup_weekday) or next(
                (week[wd] for wd in sorted(week) if week[wd]), ()
            )
        elif day not in self.days_off:
            periods = self.week_for(day).get(day.weekday(), ())
        result = tuple(
            (datetime.combine(day, start, tzinfo=self.tz), datetime.combine(day, end, tzinfo=self.tz))
            for start, end in periods
        )
        self._cache[day] = result
        return result

    def is_working_day(self, day: date) -> bool:
        return bool(self.intervals(day))

    def day_start(self, day: date) -> datetime:
        """The opening moment of a working day."""
        return self._require(day)[0][0]

    def day_end(self, day: date) -> datetime:
        """The closing moment of a working day (end of the afternoon period)."""
        return self._require(day)[-1][1]

    def day_duration(self, day: date) -> timedelta:
        return sum((end - start for start, end in self.intervals(day)), ZERO)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n = 0 gives `day` itself, working or not)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        current = day
        for _ in range(n):
            current = self.next_working_day(current)
        return current

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        current = day
        for _ in range(self.horizon_days):
            current += timedelta(days=1)
            if self.is_working_day(current):
                return current
        raise CalendarError(f"Lịch không có ngày làm việc nào trong {self.horizon_days} ngày sau {day:%d/%m/%Y}.")

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in (first, last]: 0 when last <= first."""
        count, current = 0, first
        while current < last:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count

    # --- moments ----------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("a moment must carry its time zone")
        return moment.astimezone(self.tz)

    def is_working_time(self, moment: datetime) -> bool:
        moment = self.local(moment)
        return any(start <= moment < end for start, end in self.intervals(moment.date()))

    def next_working_start(self, moment: datetime) -> datetime:
        """The earliest moment >= `moment` inside office hours: itself when the office is open."""
        moment = self.local(moment)
        for interval in self._intervals_from(moment):
            start, end = interval
            if end > moment:
                return max(start, moment)
        raise CalendarError(f"Lịch không có giờ làm việc nào trong {self.horizon_days} ngày sau {moment:%d/%m/%Y %H:%M}.")

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Office time between two moments (zero when b <= a)."""
        a, b = self.local(a), self.local(b)
        total = ZERO
        if b <= a:
            return total
        day = a.date()
        while day <= b.date():
            for start, end in self.intervals(day):
                overlap = min(end, b) - max(start, a)
                if overlap > ZERO:
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """The earliest moment at which `amount` of office time has passed since `moment`.

        Adding zero returns `moment` unchanged, even outside office hours. A positive amount that
        runs out exactly at the end of a period gives that end (11:30, 17:00), not the next opening.
        """
        if amount < ZERO:
            raise ValueError("amount must be >= 0")
        moment = self.local(moment)
        if amount == ZERO:
            return moment
        remaining = amount
        for start, end in self._intervals_from(moment):
            if end <= moment:
                continue
            begin = max(start, moment)
            available = end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise CalendarError(f"Lịch hết giờ làm việc trong {self.horizon_days} ngày sau {moment:%d/%m/%Y %H:%M}.")

    # --- helpers ----------------------------------------------------------------------------

    def _intervals_from(self, moment: datetime) -> Iterable[Interval]:
        """Office periods in time order, starting on the day of `moment`, up to the horizon.

        The horizon counts consecutive days without office hours, so a long computation (years of
        working time) is never cut short, while an empty calendar still stops.
        """
        day, idle = moment.date(), 0
        while idle <= self.horizon_days:
            intervals = self.intervals(day)
            idle = 0 if intervals else idle + 1
            yield from intervals
            day += timedelta(days=1)

    def _require(self, day: date) -> tuple[Interval, ...]:
        intervals = self.intervals(day)
        if not intervals:
            raise CalendarError(f"Ngày {day:%d/%m/%Y} không phải là ngày làm việc.")
        return intervals


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals, so no office time is counted twice."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
