"""compute_due and the calendar helpers on the seeded database (the migration seeds it)."""

from datetime import date, time, timedelta

import pytest

from motcua.units.models import Agency
from motcua.workdays import services
from motcua.workdays.choices import DayKind, EntrySource
from motcua.workdays.deadlines import DueInputError
from motcua.workdays.models import CalendarDay, DeadlineRuleSet, OfficeHours

from .conftest import vn

pytestmark = pytest.mark.django_db

PROVINCE = "000.00.00.H53"  # UBND tỉnh Tây Ninh
SERVICE_CENTRE = "000.02.01.H53"  # Trung tâm Hành chính công cấp tỉnh, under the provincial office


def own_hours(agency, start=time(8), morning_end=time(12), afternoon=(time(13, 30), time(17, 30)), **kw):
    for weekday in range(5):
        row = OfficeHours(agency=agency, weekday=weekday, morning_start=start, morning_end=morning_end,
                          afternoon_start=afternoon[0], afternoon_end=afternoon[1],
                          legal_source="Quy định giờ làm việc của cơ quan (dữ liệu kiểm thử)", **kw)
        row.full_clean()
        row.save()


def test_the_lead_example_in_person_three_working_days():
    result = services.compute_due(vn(2026, 11, 26, 10), 3, "working_day")
    assert result.due_at.isoformat() == "2026-12-01T17:00:00+07:00"
    assert result.effective_receipt == vn(2026, 11, 26, 10)
    assert result.rule_set == "Quy tắc tính hạn từ 21/06/2018"
    assert result.warnings == ()


def test_naive_datetimes_are_vietnam_time():
    from datetime import datetime

    assert services.compute_due(datetime(2026, 11, 26, 10), 3, "working_day").due_at == vn(2026, 12, 1, 17)


def test_across_tet_and_the_weekend_online():
    # Online on Saturday 14/02/2026: counts from Monday 23/02 (Tết 16–20/02), due 3 working days later.
    result = services.compute_due(vn(2026, 2, 14, 20), 3, "working_day", channel="online")
    assert result.effective_receipt == vn(2026, 2, 23, 7, 30)
    assert result.due_at == vn(2026, 2, 26, 17)


def test_agency_with_its_own_hours_and_the_bodies_under_it():
    province = Agency.objects.get(organ_code=PROVINCE)
    own_hours(province)
    assert services.compute_due(vn(2026, 11, 26, 10), 3, "working_day", agency=province).due_at == vn(2026, 12, 1, 17, 30)
    # The service centre sits under the provincial office, itself under the province: it inherits.
    centre = Agency.objects.get(organ_code=SERVICE_CENTRE)
    assert services.compute_due(vn(2026, 11, 26, 10), 3, "working_day", agency=centre).due_at == vn(2026, 12, 1, 17, 30)
    assert services.compute_due(vn(2026, 11, 26, 10), 3, "working_day", agency=SERVICE_CENTRE).due_at == vn(2026, 12, 1, 17, 30)
    # Online at 07:45 is before this agency opens (08:00) but after the default opening.
    online = services.compute_due(vn(2026, 11, 26, 7, 45), 1, "working_hour", channel="online", agency=province)
    assert online.effective_receipt == vn(2026, 11, 26, 8)
    # Another province keeps the default hours.
    other = Agency.objects.filter(organ_code__endswith=".H01").first() or Agency.objects.exclude(
        organ_code__endswith=".H53").exclude(organ_code__isnull=True).first()
    assert services.compute_due(vn(2026, 11, 26, 10), 3, "working_day", agency=other).due_at == vn(2026, 12, 1, 17)


def test_agency_hours_apply_only_in_their_validity_period():
    province = Agency.objects.get(organ_code=PROVINCE)
    own_hours(province, valid_from=date(2026, 12, 1))
    # Due Tue 01/12: the agency's hours apply from that day, so it closes at 17:30.
    assert services.compute_due(vn(2026, 11, 26, 10), 3, "working_day", agency=province).due_at == vn(2026, 12, 1, 17, 30)
    assert services.compute_due(vn(2026, 11, 20, 10), 3, "working_day", agency=province).due_at == vn(2026, 11, 25, 17)


def test_a_later_rule_set_applies_to_dossiers_received_from_its_date():
    DeadlineRuleSet.objects.create(effective_from=date(2027, 1, 1), count_receipt_day=True,
                                   legal_source="Quy định của địa phương (dữ liệu kiểm thử)")
    assert services.compute_due(vn(2026, 12, 31, 10), 3, "working_day").due_at == vn(2027, 1, 6, 17)
    # From 2027 the receipt day counts: Mon 04/01 10:00 + 3 → Wed 06/01.
    assert services.compute_due(vn(2027, 1, 4, 10), 3, "working_day").due_at == vn(2027, 1, 6, 17)
    assert services.compute_due(vn(2027, 1, 4, 10), 3, "working_day").rule_set == "Quy tắc tính hạn từ 01/01/2027"


def test_pauses_and_the_helpers():
    received = vn(2026, 11, 26, 10)
    result = services.compute_due(received, 3, "working_day",
                                  pauses=[(vn(2026, 11, 27, 9), vn(2026, 11, 27, 11))])
    assert result.due_at == vn(2026, 12, 2, 9, 30)
    assert services.working_time_between(vn(2026, 11, 27, 9), vn(2026, 11, 27, 11)) == timedelta(hours=2)
    assert services.add_working_days(date(2026, 11, 26), 3) == date(2026, 12, 1)
    assert not services.is_working_day(date(2026, 9, 2))
    assert services.next_working_start(vn(2026, 11, 28, 9)) == vn(2026, 11, 30, 7, 30)


def test_due_soon_counts_working_days():
    due = vn(2026, 12, 1, 17)  # Tuesday
    assert services.is_due_soon(due, vn(2026, 11, 27, 9))  # Friday: Mon, Tue are the next 2 working days
    assert not services.is_due_soon(due, vn(2026, 11, 26, 9))  # Thursday: 3 working days left
    assert not services.is_due_soon(due, vn(2026, 12, 1, 17, 1))  # already late


def test_years_without_holidays_are_flagged():
    result = services.compute_due(vn(2035, 12, 28, 10), 10, "working_day")
    assert result.due_at.year == 2036
    assert result.warnings == ("Năm 2036 chưa có lịch nghỉ lễ, Tết trong dữ liệu: hạn chỉ tính theo tuần làm việc.",)


def test_bad_input_names_the_field():
    with pytest.raises(DueInputError) as error:
        services.compute_due(vn(2026, 11, 26, 10), 3, "working_day", agency="999.99.99.H99")
    assert error.value.field == "agency"
    assert "999.99.99.H99" in error.value.message
    with pytest.raises(DueInputError) as error:
        services.compute_due(vn(2017, 1, 5, 10), 3, "working_day")
    assert error.value.field == "received_at"
    assert "Chưa có quy tắc tính hạn" in error.value.message


def test_an_edit_applies_to_the_next_computation():
    before = services.compute_due(vn(2026, 11, 23, 10), 1, "working_day").due_at
    assert before == vn(2026, 11, 24, 17)
    day = CalendarDay.objects.get(date=date(2026, 11, 24))
    day.active = True
    services.save_calendar_day(day)
    assert services.compute_due(vn(2026, 11, 23, 10), 1, "working_day").due_at == vn(2026, 11, 25, 17)
    assert CalendarDay.objects.get(date=date(2026, 11, 24)).source == EntrySource.ADMIN


def test_an_extra_day_off_added_by_an_administrator():
    services.save_calendar_day(CalendarDay(
        date=date(2026, 11, 27), kind=DayKind.EXTRA_DAY_OFF, name="Nghỉ thêm (dữ liệu kiểm thử)",
        legal_source="Quyết định của Thủ tướng (dữ liệu kiểm thử)",
    ))
    assert services.compute_due(vn(2026, 11, 26, 10), 3, "working_day").due_at == vn(2026, 12, 2, 17)


def test_office_hours_validation_names_the_field():
    from django.core.exceptions import ValidationError

    row = OfficeHours(weekday=0, morning_start=time(11), morning_end=time(8), legal_source="x")
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "morning_end" in error.value.message_dict
    # The default Monday already exists without dates: a second open-ended Monday overlaps it.
    with pytest.raises(ValidationError) as error:
        OfficeHours(weekday=0, legal_source="x").full_clean()
    assert "valid_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        OfficeHours(weekday=1, afternoon_start=time(13), afternoon_end=None, legal_source="x",
                    valid_from=date(2030, 1, 1)).full_clean()
    assert "afternoon_end" in error.value.message_dict
