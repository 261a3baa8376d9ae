"""Seeding from the `holidays` package: what lands in the database, the Art. 112 check, idempotence."""

import dataclasses
from datetime import date

import pytest

from motcua.workdays import selectors, services
from motcua.workdays.choices import DayKind, EntrySource
from motcua.workdays.models import CalendarDay, DeadlineRuleSet, OfficeHours
from motcua.workdays.seed import audit_year, library_days, library_version, plan_year

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_2020_to_2035_with_legal_sources():
    days = CalendarDay.objects.filter(source=EntrySource.SEEDED)
    assert {d.year for d in days.values_list("date", flat=True)} == set(range(2020, 2036))
    new_year_2026 = CalendarDay.objects.get(date=date(2026, 1, 1))
    assert new_year_2026.kind == DayKind.HOLIDAY
    assert new_year_2026.legal_source == "Bộ luật Lao động 2019, Điều 112"
    assert library_version() in new_year_2026.note
    # 2020 fell under the 2012 Labour Code (the 2019 code took effect on 1 January 2021).
    assert CalendarDay.objects.get(date=date(2020, 1, 1)).legal_source == "Bộ luật Lao động 2012, Điều 115"
    hung_kings_2026 = CalendarDay.objects.get(date=date(2026, 4, 27))
    assert hung_kings_2026.kind == DayKind.COMPENSATORY
    assert "Điều 111 khoản 3" in hung_kings_2026.legal_source
    assert "Thủ tướng" in CalendarDay.objects.get(date=date(2026, 2, 17)).legal_source


def test_make_up_saturdays_and_swapped_days_2025_2026():
    for off, worked, source in ((date(2025, 5, 2), date(2025, 4, 26), "6150/TB-BLĐTBXH"),
                                (date(2026, 8, 31), date(2026, 8, 22), "Quốc khánh 2/9/2026")):
        swap = CalendarDay.objects.get(date=off)
        makeup = CalendarDay.objects.get(date=worked)
        assert swap.kind == DayKind.EXTRA_DAY_OFF and makeup.kind == DayKind.MAKEUP_WORKDAY
        assert source in swap.legal_source and source in makeup.legal_source
        assert makeup.active and swap.active


def test_culture_day_is_recorded_but_not_applied():
    day = CalendarDay.objects.get(date=date(2026, 11, 24))
    assert day.name == "Ngày Văn hóa Việt Nam"
    assert not day.active
    assert "80-NQ/TW" in day.legal_source
    assert "chưa xác minh" in day.legal_source


def test_seeding_twice_changes_nothing():
    token = selectors.revision_token()
    count = CalendarDay.objects.count()
    report = services.load_calendar()
    assert not report.changed
    assert report.unchanged == count
    assert selectors.revision_token() == token
    assert OfficeHours.objects.filter(agency__isnull=True).count() == 5
    assert DeadlineRuleSet.objects.count() == 1
    assert report.lines()[-1] == "Đối chiếu Điều 112 Bộ luật Lao động 2019: 2020–2035 khớp"


def test_an_administrators_edit_survives_seeding():
    tet = CalendarDay.objects.get(date=date(2027, 2, 4))
    tet.name = "29 Tết (theo quyết định của Thủ tướng)"
    services.save_calendar_day(tet)
    report = services.load_calendar()
    assert report.kept_admin == 1 and not report.changed
    assert CalendarDay.objects.get(date=date(2027, 2, 4)).name == "29 Tết (theo quyết định của Thủ tướng)"


def test_seeded_rows_follow_the_package_and_stale_ones_go():
    CalendarDay.objects.filter(date=date(2030, 4, 30)).update(name="sai")
    CalendarDay.objects.create(date=date(2030, 6, 3), kind=DayKind.HOLIDAY, name="không còn trong thư viện",
                               legal_source="x", source=EntrySource.SEEDED)
    CalendarDay.objects.create(date=date(2030, 6, 4), kind=DayKind.EXTRA_DAY_OFF, name="của quản trị viên",
                               legal_source="x", source=EntrySource.ADMIN)
    report = services.load_calendar()
    assert (report.updated, report.removed) == (1, 1)
    assert CalendarDay.objects.get(date=date(2030, 4, 30)).name == "Ngày Chiến thắng"
    assert not CalendarDay.objects.filter(date=date(2030, 6, 3)).exists()
    assert CalendarDay.objects.filter(date=date(2030, 6, 4)).exists()


def test_every_seeded_year_matches_art_112():
    for year in range(2020, 2036):
        assert audit_year(year, plan_year(year, library_days(year), "test")) == [], year


def test_the_art_112_check_catches_a_missing_or_extra_day():
    plan = plan_year(2026, library_days(2026), "test")
    no_victory_day = [p for p in plan if p.date != date(2026, 4, 30)]
    assert any("30/4" in f for f in audit_year(2026, no_victory_day))
    short_tet = [p for p in plan if p.date != date(2026, 2, 18)]
    assert any("Tết Âm lịch cần 5 ngày" in f for f in audit_year(2026, short_tet))
    no_compensation = [p for p in plan if p.kind != DayKind.COMPENSATORY]
    assert any("luật quy định 11" in f for f in audit_year(2026, no_compensation))
    culture_applied = [dataclasses.replace(p, active=True) for p in plan]
    assert any("là 12" in f for f in audit_year(2026, culture_applied))
    lone_swap = [p for p in plan if p.kind != DayKind.MAKEUP_WORKDAY]
    assert any("ngày làm việc bù" in f for f in audit_year(2026, lone_swap))
