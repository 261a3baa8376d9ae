from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.workdays import services
from motcua.workdays.choices import Weekday
from motcua.workdays.models import CalendarDay, DeadlineRuleSet, OfficeHours


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "active", "source", "updated_at"]
    list_filter = ["kind", "active", "source"]
    date_hierarchy = "date"
    search_fields = ["name", "legal_source", "note"]
    readonly_fields = ["source", "created_at", "updated_at"]
    fields = ["date", "kind", "name", "legal_source", "active", "note", "source", "created_at", "updated_at"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return Weekday(obj.date.weekday()).label

    def save_model(self, request, obj, form, change):
        # Saving through the admin makes the row the administrator's: seeding never overwrites it.
        services.save_calendar_day(obj)


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "weekday", "valid_from", "valid_to"]
    list_filter = ["weekday", ("agency", admin.EmptyFieldListFilter)]
    raw_id_fields = ["agency"]
    search_fields = ["agency__name", "agency__organ_code"]


@admin.register(DeadlineRuleSet)
class DeadlineRuleSetAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from", "in_person_cutoff", "online_outside_hours_next_day", "postal_outside_hours_next_day",
        "count_receipt_day", "calendar_days_roll_to_working_day", "supplement_pauses_clock",
    ]
    readonly_fields = ["created_at", "updated_at"]
