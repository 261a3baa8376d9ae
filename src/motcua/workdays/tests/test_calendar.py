"""The pure calendar and due-date arithmetic on Vietnam's real calendar, cases computed by hand."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from motcua.workdays.calendar import CalendarError, HoursRule, WorkCalendar, weekly_rules
from motcua.workdays.deadlines import DeadlineRules, DueInputError, add_months, compute_due

from .conftest import DEFAULT_WEEK, OFFICE, vn

RULES = DeadlineRules()


def due(cal, received, limit, unit, **kw):
    return compute_due(cal, RULES, received, limit, unit, **kw).due_at


class TestDays:
    def test_weekends_and_art_112_holidays_are_not_working_days(self, calendar):
        assert calendar.is_working_day(date(2026, 11, 26))  # Thursday
        assert not calendar.is_working_day(date(2026, 11, 28))  # Saturday
        for day in (date(2026, 1, 1), date(2026, 2, 17), date(2026, 4, 27), date(2026, 4, 30),
                    date(2026, 5, 1), date(2026, 9, 2)):
            assert not calendar.is_working_day(day), day

    def test_make_up_saturdays_are_working_days_and_their_swapped_days_are_off(self, calendar):
        assert calendar.is_working_day(date(2025, 4, 26))
        assert not calendar.is_working_day(date(2025, 5, 2))
        assert calendar.is_working_day(date(2026, 8, 22))
        assert not calendar.is_working_day(date(2026, 8, 31))
        assert calendar.day_start(date(2025, 4, 26)) == vn(2025, 4, 26, 7, 30)
        assert calendar.day_end(date(2025, 4, 26)) == vn(2025, 4, 26, 17)

    def test_culture_day_is_not_applied_until_its_legal_basis_is_confirmed(self, calendar):
        assert calendar.is_working_day(date(2026, 11, 24))

    def test_add_working_days_skips_tet(self, calendar):
        assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
        assert calendar.add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)

    def test_working_days_between(self, calendar):
        assert calendar.working_days_between(date(2026, 11, 26), date(2026, 12, 1)) == 3
        assert calendar.working_days_between(date(2026, 12, 1), date(2026, 11, 26)) == 0


class TestMoments:
    def test_office_periods_are_half_open(self, calendar):
        assert calendar.is_working_time(vn(2026, 11, 26, 7, 30))
        assert not calendar.is_working_time(vn(2026, 11, 26, 11, 30))
        assert not calendar.is_working_time(vn(2026, 11, 26, 12))
        assert not calendar.is_working_time(vn(2026, 11, 26, 17))

    def test_next_working_start(self, calendar):
        assert calendar.next_working_start(vn(2026, 11, 26, 10)) == vn(2026, 11, 26, 10)
        assert calendar.next_working_start(vn(2026, 11, 26, 12)) == vn(2026, 11, 26, 13)
        assert calendar.next_working_start(vn(2026, 11, 27, 17)) == vn(2026, 11, 30, 7, 30)

    def test_working_time_between_counts_only_office_hours(self, calendar):
        # Thu 10:00 → Mon 09:00: 1.5 + 4 (Thu) + 8 (Fri) + 1.5 (Mon) hours.
        assert calendar.working_time_between(vn(2026, 11, 26, 10), vn(2026, 11, 30, 9)) == timedelta(hours=15)
        assert calendar.working_time_between(vn(2026, 11, 30, 9), vn(2026, 11, 26, 10)) == timedelta(0)

    def test_other_offsets_are_converted_to_vietnam_time(self, calendar):
        from datetime import UTC, datetime

        # 03:00 UTC is 10:00 in Hanoi.
        assert calendar.next_working_start(datetime(2026, 11, 26, 3, tzinfo=UTC)) == vn(2026, 11, 26, 10)

    def test_add_working_time_stops_at_a_period_end(self, calendar):
        assert calendar.add_working_time(vn(2026, 11, 26, 10), timedelta(hours=1, minutes=30)) == vn(2026, 11, 26, 11, 30)
        assert calendar.add_working_time(vn(2026, 11, 26, 20), timedelta(0)) == vn(2026, 11, 26, 20)


class TestDue:
    def test_three_working_days_from_a_thursday_morning(self, calendar):
        assert due(calendar, vn(2026, 11, 26, 10), 3, "working_day") == vn(2026, 12, 1, 17)

    def test_in_person_after_15_counts_from_the_next_working_day(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 26, 15, 30), 3, "working_day")
        assert result.effective_receipt == vn(2026, 11, 27, 7, 30)
        assert result.due_at == vn(2026, 12, 2, 17)
        # At 15:00 sharp it is not yet "after 15:00".
        assert due(calendar, vn(2026, 11, 26, 15), 3, "working_day") == vn(2026, 12, 1, 17)

    def test_online_on_saturday_night_counts_from_monday_opening(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 28, 21), 3, "working_day", channel="online")
        assert result.effective_receipt == vn(2026, 11, 30, 7, 30)
        assert result.due_at == vn(2026, 12, 3, 17)

    def test_online_at_lunch_counts_from_the_afternoon_opening(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 26, 12, 10), 2, "working_hour", channel="online")
        assert result.effective_receipt == vn(2026, 11, 26, 13)
        assert result.due_at == vn(2026, 11, 26, 15)

    def test_postal_outside_hours_rolls_like_online(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 26, 6), 1, "working_day", channel="postal")
        assert result.effective_receipt == vn(2026, 11, 26, 7, 30)

    def test_across_tet_2026(self, calendar):
        # Tết 16–20/02/2026 (Mon–Fri) is off: Fri 13/02 + 3 working days = Wed 25/02.
        assert due(calendar, vn(2026, 2, 13, 10), 3, "working_day") == vn(2026, 2, 25, 17)

    def test_across_a_make_up_saturday(self, calendar):
        # 26/04/2025 is worked in exchange for 02/05/2025; 30/04 and 01/05 are holidays.
        received = vn(2025, 4, 25, 10)
        assert due(calendar, received, 1, "working_day") == vn(2025, 4, 26, 17)
        assert due(calendar, received, 3, "working_day") == vn(2025, 4, 29, 17)
        assert due(calendar, received, 4, "working_day") == vn(2025, 5, 5, 17)

    def test_calendar_days_ending_on_a_sunday_move_to_monday_close(self, calendar):
        assert due(calendar, vn(2026, 11, 25, 10), 4, "day") == vn(2026, 11, 30, 17)

    def test_calendar_days_ending_on_a_compensatory_day_move_on(self, calendar):
        # 23/04/2026 + 4 days = Mon 27/04, the day off for Hùng Kings (26/04 was a Sunday).
        assert due(calendar, vn(2026, 4, 23, 10), 4, "day") == vn(2026, 4, 28, 17)

    def test_calendar_days_without_the_roll_end_at_midnight(self, calendar):
        rules = DeadlineRules(calendar_days_roll_to_working_day=False)
        result = compute_due(calendar, rules, vn(2026, 11, 25, 10), 4, "day")
        assert result.due_at == vn(2026, 11, 30, 0)

    def test_working_hours_span_lunch_and_night(self, calendar):
        # Thu 10:00: 1.5 h before lunch, 4 h after, then 2.5 h on Friday morning.
        assert due(calendar, vn(2026, 11, 26, 10), 8, "working_hour") == vn(2026, 11, 27, 10)
        # Fri 14:00 (before the cut-off): 3 h on Friday, then the weekend, then 1 h on Monday.
        assert due(calendar, vn(2026, 11, 27, 14), 4, "working_hour") == vn(2026, 11, 30, 8, 30)

    def test_clock_hours(self, calendar):
        assert due(calendar, vn(2026, 11, 26, 10), 24, "hour") == vn(2026, 11, 27, 10)

    def test_months_use_the_corresponding_day_then_the_next_working_day(self, calendar):
        # Fri 30/01/2026 + 1 month → 28/02/2026 (there is no 30/02), a Saturday → Monday 02/03.
        assert due(calendar, vn(2026, 1, 30, 10), 1, "month") == vn(2026, 3, 2, 17)
        # 10/03 + 1 month + 15 days (half a month, Civil Code Art. 146) = Sat 25/04; Sun 26/04 is
        # Hùng Kings' day, Mon 27/04 its compensatory day → Tue 28/04.
        assert due(calendar, vn(2026, 3, 10, 10), Decimal("1.5"), "month") == vn(2026, 4, 28, 17)

    def test_a_fraction_of_a_working_day_is_that_share_of_the_next_days_hours(self, calendar):
        assert due(calendar, vn(2026, 11, 26, 10), Decimal("0.5"), "working_day") == vn(2026, 11, 27, 11, 30)
        assert due(calendar, vn(2026, 11, 26, 10), Decimal("1.5"), "working_day") == vn(2026, 11, 30, 11, 30)

    def test_the_receipt_day_can_be_counted_by_setting(self, calendar):
        rules = DeadlineRules(count_receipt_day=True)
        assert compute_due(calendar, rules, vn(2026, 11, 26, 10), 3, "working_day").due_at == vn(2026, 11, 30, 17)

    def test_a_fraction_of_a_counted_receipt_day_never_ends_after_the_whole_day(self, calendar):
        rules = DeadlineRules(count_receipt_day=True)
        received = vn(2026, 11, 26, 14)
        three_quarters = compute_due(calendar, rules, received, Decimal("0.75"), "working_day").due_at
        whole = compute_due(calendar, rules, received, 1, "working_day").due_at
        assert three_quarters == whole == vn(2026, 11, 26, 17)
        assert compute_due(calendar, rules, received, Decimal("0.25"), "working_day").due_at == vn(2026, 11, 26, 16)

    def test_a_counted_receipt_day_needs_office_time_left(self, calendar):
        rules = DeadlineRules(count_receipt_day=True, in_person_cutoff=None)
        assert compute_due(calendar, rules, vn(2026, 11, 26, 17, 30), 1, "working_day").due_at == vn(2026, 11, 27, 17)


class TestPauses:
    def test_a_pause_in_office_hours_shifts_by_the_paused_office_time(self, calendar):
        received = vn(2026, 11, 26, 10)
        result = compute_due(calendar, RULES, received, 3, "working_day",
                             pauses=[(vn(2026, 11, 27, 9), vn(2026, 11, 27, 11))])
        assert result.paused_office_time == timedelta(hours=2)
        assert result.due_at == vn(2026, 12, 2, 9, 30)

    def test_a_pause_over_a_weekend_shifts_nothing(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 26, 10), 3, "working_day",
                             pauses=[(vn(2026, 11, 27, 17), vn(2026, 11, 30, 7, 30))])
        assert result.paused_office_time == timedelta(0)
        assert result.due_at == vn(2026, 12, 1, 17)

    def test_overlapping_pauses_are_counted_once(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 26, 10), 3, "working_day", pauses=[
            (vn(2026, 11, 27, 9), vn(2026, 11, 27, 11)), (vn(2026, 11, 27, 10), vn(2026, 11, 27, 14)),
        ])
        assert result.paused_office_time == timedelta(hours=3, minutes=30)

    def test_time_before_the_effective_receipt_is_not_a_pause(self, calendar):
        result = compute_due(calendar, RULES, vn(2026, 11, 26, 10), 3, "working_day",
                             pauses=[(vn(2026, 11, 25, 8), vn(2026, 11, 26, 11))])
        assert result.paused_office_time == timedelta(hours=1)

    def test_pauses_ignored_when_the_setting_is_off(self, calendar):
        rules = DeadlineRules(supplement_pauses_clock=False)
        result = compute_due(calendar, rules, vn(2026, 11, 26, 10), 3, "working_day",
                             pauses=[(vn(2026, 11, 27, 9), vn(2026, 11, 27, 11))])
        assert result.due_at == vn(2026, 12, 1, 17)


class TestBadInput:
    @pytest.mark.parametrize(("limit", "unit", "channel", "field"), [
        (-1, "working_day", "in_person", "limit"),
        (0, "working_day", "in_person", "limit"),
        ("ba", "working_day", "in_person", "limit"),
        ("NaN", "working_day", "in_person", "limit"),
        (3, "week", "in_person", "unit"),
        (3, "working_day", "fax", "channel"),
    ])
    def test_errors_name_the_field_in_vietnamese(self, calendar, limit, unit, channel, field):
        with pytest.raises(DueInputError) as error:
            compute_due(calendar, RULES, vn(2026, 11, 26, 10), limit, unit, channel=channel)
        assert error.value.field == field
        assert any(word in error.value.message for word in ("Thời hạn", "Đơn vị", "Hình thức"))

    def test_a_pause_ending_before_it_starts(self, calendar):
        with pytest.raises(DueInputError, match="kết thúc") as error:
            compute_due(calendar, RULES, vn(2026, 11, 26, 10), 3, "working_day",
                        pauses=[(vn(2026, 11, 27, 11), vn(2026, 11, 27, 9))])
        assert error.value.field == "pauses"

    def test_vietnamese_decimal_comma(self, calendar):
        assert due(calendar, vn(2026, 11, 26, 10), "0,5", "working_day") == vn(2026, 11, 27, 11, 30)


class TestCalendarShapes:
    def test_an_agency_level_replaces_the_default_week_while_valid(self):
        own = weekly_rules({wd: ((time(8), time(12)), (time(13, 30), time(17, 30))) for wd in range(5)},
                           valid_from=date(2026, 12, 1))
        cal = WorkCalendar(hours=[own, weekly_rules(DEFAULT_WEEK)])
        assert cal.day_end(date(2026, 11, 30)) == vn(2026, 11, 30, 17)
        assert cal.day_end(date(2026, 12, 1)) == vn(2026, 12, 1, 17, 30)

    def test_saturday_morning_hours_make_saturday_a_working_day(self):
        week = dict(DEFAULT_WEEK)
        week[5] = ((time(7, 30), time(11, 30)),)
        cal = WorkCalendar(hours=[weekly_rules(week)])
        assert cal.day_end(date(2026, 11, 28)) == vn(2026, 11, 28, 11, 30)

    def test_a_calendar_without_hours_fails_clearly(self):
        cal = WorkCalendar(hours=[()], horizon_days=30)
        with pytest.raises(CalendarError, match="không có ngày làm việc"):
            cal.next_working_day(date(2026, 1, 1))

    def test_bad_periods_are_refused(self):
        with pytest.raises(ValueError):
            HoursRule(0, ((time(12), time(8)),))
        with pytest.raises(ValueError):
            HoursRule(0, ((time(8), time(12)), (time(11), time(13))))
        assert OFFICE  # the shared default is itself valid
        HoursRule(0, OFFICE)


def test_add_months_clamps_to_the_last_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
