"""Properties of the calendar arithmetic, on random calendars and on Vietnam's real one."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.workdays.calendar import VN_TZ, WorkCalendar, weekly_rules
from motcua.workdays.deadlines import CHANNELS, DeadlineRules, compute_due, effective_receipt

from .conftest import real_calendar

FIRST, LAST = date(2024, 1, 1), date(2030, 12, 31)
ZONES = [VN_TZ, UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))]


@st.composite
def periods(draw):
    """One or two sorted, non-overlapping office periods on a quarter-hour grid."""
    marks = sorted(draw(st.sets(st.integers(min_value=0, max_value=95), min_size=2, max_size=4)))
    if len(marks) == 3:
        marks = marks[:2]
    mins = [m * 15 for m in marks]
    return tuple((time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in zip(mins[::2], mins[1::2], strict=True))


@st.composite
def calendars(draw):
    week = draw(st.dictionaries(st.integers(0, 6), periods(), min_size=1, max_size=7))
    days = st.dates(min_value=FIRST, max_value=LAST)
    days_off = draw(st.frozensets(days, max_size=60))
    extra = draw(st.frozensets(days, max_size=10))
    return WorkCalendar(hours=[weekly_rules(week)], days_off=days_off, extra_workdays=extra)


any_calendar = st.one_of(calendars(), st.just(real_calendar()))
moments = st.builds(
    lambda d, minutes, tz: datetime.combine(d, time(minutes // 60, minutes % 60), tzinfo=VN_TZ).astimezone(tz),
    st.dates(min_value=FIRST, max_value=date(2029, 12, 31)), st.integers(0, 24 * 60 - 1), st.sampled_from(ZONES),
)
rule_sets = st.builds(
    DeadlineRules,
    in_person_cutoff=st.one_of(st.none(), st.sampled_from([time(15), time(16, 30), time(11)])),
    online_outside_hours_next_day=st.booleans(), postal_outside_hours_next_day=st.booleans(),
    count_receipt_day=st.booleans(), calendar_days_roll_to_working_day=st.booleans(),
)
limits = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(40), places=2)
units = st.sampled_from(["working_day", "working_hour", "day", "hour", "month"])
durations = st.integers(0, 200 * 60).map(lambda m: timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(any_calendar, rule_sets, moments, limits, units, st.sampled_from(CHANNELS))
def test_due_is_never_before_the_effective_receipt(cal, rules, received, limit, unit, channel):
    result = compute_due(cal, rules, received, limit, unit, channel=channel)
    assert result.effective_receipt >= received
    assert result.due_at >= result.effective_receipt
    assert result.due_at.utcoffset() == timedelta(hours=7)


@settings(max_examples=300, deadline=None)
@given(any_calendar, rule_sets, moments, limits, limits, units, st.sampled_from(CHANNELS))
def test_due_grows_with_the_limit(cal, rules, received, a, b, unit, channel):
    small, large = sorted((a, b))
    assert (compute_due(cal, rules, received, small, unit, channel=channel).due_at
            <= compute_due(cal, rules, received, large, unit, channel=channel).due_at)


@settings(max_examples=300, deadline=None)
@given(rule_sets, moments, st.integers(0, 3), st.decimals(min_value=0, max_value=Decimal("0.99"), places=2),
       st.decimals(min_value=0, max_value=Decimal("0.99"), places=2), st.sampled_from(["month", "working_day"]))
def test_fractions_never_end_after_the_next_whole_unit(rules, received, whole, f1, f2, unit):
    """The edges random limits rarely reach: 0.99 month from February, fractions of a counted receipt day."""
    cal = real_calendar()
    small, large = sorted((whole + f1, whole + f2))
    assume(small > 0)
    due = [compute_due(cal, rules, received, x, unit).due_at for x in (small, large, whole + 1)]
    assert due[0] <= due[1] <= due[2]


@settings(max_examples=300, deadline=None)
@given(any_calendar, rule_sets, moments, st.integers(1, 60), st.sampled_from(CHANNELS))
def test_whole_working_days_end_at_the_close_of_a_working_day(cal, rules, received, n, channel):
    due = compute_due(cal, rules, received, n, "working_day", channel=channel).due_at
    assert cal.is_working_day(due.date())
    assert due == cal.day_end(due.date())


@settings(max_examples=300, deadline=None)
@given(any_calendar, st.dates(min_value=FIRST, max_value=date(2029, 12, 31)), st.integers(0, 40), st.integers(0, 40))
def test_adding_n_then_m_working_days_is_adding_n_plus_m(cal, day, n, m):
    assert cal.add_working_days(cal.add_working_days(day, n), m) == cal.add_working_days(day, n + m)


@settings(max_examples=300, deadline=None)
@given(any_calendar, moments, moments, moments)
def test_working_time_between_is_additive(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    assert cal.working_time_between(a, b) + cal.working_time_between(b, c) == cal.working_time_between(a, c)


@settings(max_examples=300, deadline=None)
@given(any_calendar, moments, durations)
def test_adding_office_time_adds_exactly_that_office_time(cal, start, amount):
    end = cal.add_working_time(start, amount)
    assert end >= start
    assert cal.working_time_between(start, end) == amount
    # The earliest such moment: a minute earlier, less office time has passed.
    if amount > timedelta(0):
        assert cal.working_time_between(start, end - timedelta(minutes=1)) < amount


@settings(max_examples=300, deadline=None)
@given(any_calendar, moments)
def test_next_working_start_is_open_and_nothing_is_skipped(cal, moment):
    start = cal.next_working_start(moment)
    assert cal.is_working_time(start)
    assert cal.working_time_between(moment, start) == timedelta(0)


@settings(max_examples=300, deadline=None)
@given(any_calendar, rule_sets, moments, limits, units, st.sampled_from(CHANNELS), moments, durations)
def test_a_pause_shifts_the_due_moment_by_its_office_time(cal, rules, received, limit, unit, channel,
                                                           pause_start, pause_length):
    eff = effective_receipt(cal, rules, received, channel)
    assume(pause_start >= eff)
    pause = (pause_start, pause_start + pause_length)
    plain = compute_due(cal, rules, received, limit, unit, channel=channel)
    paused = compute_due(cal, rules, received, limit, unit, channel=channel, pauses=[pause])
    office = cal.working_time_between(*pause)
    assert paused.paused_office_time == office
    assert paused.due_at >= plain.due_at
    assert cal.working_time_between(plain.due_at, paused.due_at) == office


@settings(max_examples=200, deadline=None)
@given(st.integers(2021, 2035))
def test_art_112_fixed_holidays_are_never_working_days(year):
    cal = real_calendar()
    for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
        assert not cal.is_working_day(date(year, month, day))
    # Eleven Art. 112 days come out of Monday–Friday each year; swaps only move days around.
    first, last = date(year, 1, 1), date(year, 12, 31)
    weekdays = sum(1 for i in range((last - first).days + 1) if (first + timedelta(days=i)).weekday() < 5)
    assert cal.working_days_between(first - timedelta(days=1), last) == weekdays - 11
