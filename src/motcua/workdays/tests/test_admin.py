"""An administrator edits the calendar in Django admin; the next computation follows."""

from datetime import date

import pytest

from motcua.workdays import services
from motcua.workdays.choices import EntrySource
from motcua.workdays.models import CalendarDay, OfficeHours

from .conftest import vn

pytestmark = pytest.mark.django_db


def test_turning_on_a_holiday_in_admin_moves_the_next_due_date(admin_client):
    assert services.compute_due(vn(2026, 11, 23, 10), 1, "working_day").due_at == vn(2026, 11, 24, 17)
    day = CalendarDay.objects.get(date=date(2026, 11, 24))
    response = admin_client.post(f"/admin/workdays/calendarday/{day.pk}/change/", {
        "date": "2026-11-24", "kind": day.kind, "name": day.name, "legal_source": "Văn bản đã xác minh (kiểm thử)",
        "active": "on", "note": day.note,
    })
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "error" in line]
    day.refresh_from_db()
    assert day.active and day.source == EntrySource.ADMIN
    assert services.compute_due(vn(2026, 11, 23, 10), 1, "working_day").due_at == vn(2026, 11, 25, 17)
    # The edit survives the next `motcua setup`.
    services.load_calendar()
    assert CalendarDay.objects.get(date=date(2026, 11, 24)).active


def test_deleting_a_holiday_in_admin_makes_it_a_working_day(admin_client):
    day = CalendarDay.objects.get(date=date(2026, 4, 30))
    response = admin_client.post(f"/admin/workdays/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert services.is_working_day(date(2026, 4, 30))


def test_office_hours_form_rejects_an_afternoon_before_the_morning(admin_client):
    response = admin_client.post("/admin/workdays/officehours/add/", {
        "weekday": "5", "morning_start": "07:30", "morning_end": "11:30", "afternoon_start": "10:00",
        "afternoon_end": "17:00", "legal_source": "kiểm thử",
    })
    assert response.status_code == 200
    assert "Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc." in response.content.decode()
    assert not OfficeHours.objects.filter(weekday=5).exists()


def test_saturday_morning_hours_added_in_admin_make_saturday_count(admin_client):
    response = admin_client.post("/admin/workdays/officehours/add/", {
        "weekday": "5", "morning_start": "07:30", "morning_end": "11:30", "afternoon_start": "",
        "afternoon_end": "", "legal_source": "Quy định tiếp nhận sáng thứ Bảy (kiểm thử)",
    })
    assert response.status_code == 302
    # Friday 10:00 + 1 working day is now Saturday, closing at 11:30.
    assert services.compute_due(vn(2026, 11, 27, 10), 1, "working_day").due_at == vn(2026, 11, 28, 11, 30)


@pytest.mark.parametrize("model", ["calendarday", "officehours", "deadlineruleset"])
def test_admin_lists_render(admin_client, model):
    assert admin_client.get(f"/admin/workdays/{model}/").status_code == 200
