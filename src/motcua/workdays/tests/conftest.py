from datetime import datetime, time
from functools import cache

import pytest

from motcua.workdays.calendar import VN_TZ, WorkCalendar, weekly_rules
from motcua.workdays.choices import DAY_OFF_KINDS, DayKind
from motcua.workdays.seed import plan_calendar

OFFICE = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
DEFAULT_WEEK = {wd: OFFICE for wd in range(5)}


def vn(*args) -> datetime:
    """A Vietnam-time moment: vn(2026, 11, 26, 10) is 26/11/2026 10:00 +07:00."""
    return datetime(*args, tzinfo=VN_TZ)


@cache
def real_calendar() -> WorkCalendar:
    """Vietnam's seeded calendar 2020–2035 with the default office hours, built without the database."""
    plan, _ = plan_calendar()
    return WorkCalendar(
        hours=[weekly_rules(DEFAULT_WEEK)],
        days_off=frozenset(p.date for p in plan if p.active and p.kind in DAY_OFF_KINDS),
        extra_workdays=frozenset(p.date for p in plan if p.active and p.kind == DayKind.MAKEUP_WORKDAY),
    )


@pytest.fixture
def calendar() -> WorkCalendar:
    return real_calendar()
