"""The package's Tết and Hùng Kings dates agree with an independent UTC+7 computation, 2020–2035."""

from datetime import datetime, time, timedelta

import pytest

from motcua.workdays.seed import SEED_YEARS, library_days

from . import lunar


@pytest.mark.parametrize("year", SEED_YEARS)
def test_tet_and_hung_kings_are_the_vietnamese_lunar_dates(year):
    days = {name: day for day, name in library_days(year).items()}
    assert days["Tết Nguyên Đán"] == lunar.tet(year)
    assert days["Ngày Giỗ Tổ Hùng Vương"] == lunar.hung_kings(year)


def test_the_new_moons_that_decide_are_not_within_minutes_of_midnight():
    # Otherwise a two-minute error in the formula could move a local date and the check would be moot.
    first = round((SEED_YEARS.start - 2000 - 0.1) * 12.3685) - 1
    last = round((SEED_YEARS.stop - 2000) * 12.3685) + 2
    moons = {m.date(): m for m in (lunar.new_moon(k).astimezone(lunar.ICT) for k in range(first, last))}
    for year in SEED_YEARS:
        for day in (lunar.tet(year), lunar.hung_kings(year) - timedelta(days=9)):
            moment = moons[day]
            since_midnight = moment - datetime.combine(day, time(0), tzinfo=lunar.ICT)
            assert timedelta(minutes=10) < since_midnight < timedelta(hours=23, minutes=50), moment


def test_2030_is_where_utc7_and_utc8_part():
    # The new moon of 2 February 2030 is at 23:07 in Hanoi, already 3 February in Beijing (stack.md §3).
    moment = lunar.new_moon(372).astimezone(lunar.ICT)
    assert (moment.date().isoformat(), moment.hour) == ("2030-02-02", 23)
    assert lunar.tet(2030).isoformat() == "2030-02-02"
