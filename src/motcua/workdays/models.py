"""Calendar data an administrator keeps (Django admin), each entry with its legal source.

Legal rules are data: public holidays, compensatory and swapped days, office hours and the
due-date rules all live here, with the dates they apply from, and change without a deploy.
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.workdays.choices import DAY_OFF_KINDS, DayKind, EntrySource, Weekday


class CalendarDay(TimeStampedModel):
    """One date that departs from the ordinary working week: a day off, or a make-up working day.

    One row per date: the row is the whole truth about that date. Rows seeded from the `holidays`
    package carry source=seeded; a row the administrator saved carries source=admin and is never
    touched by a later seeding. `updated_at` records when the entry was last recorded.
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    legal_source = models.CharField(
        _("căn cứ pháp lý"), max_length=400,
        help_text=_("Văn bản quy định ngày này (ví dụ: Bộ luật Lao động 2019, Điều 112; thông báo hằng năm)."),
    )
    active = models.BooleanField(
        _("đang áp dụng"), default=True,
        help_text=_("Bỏ chọn để không tính ngày này khi tính hạn mà vẫn giữ lại bản ghi và căn cứ."),
    )
    source = models.CharField(_("nguồn"), max_length=8, choices=EntrySource.choices, default=EntrySource.ADMIN)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind in DAY_OFF_KINDS


class OfficeHours(TimeStampedModel):
    """Office hours of one weekday for one agency (no agency: the default for every agency).

    An agency with any row valid on a date uses its own week on that date; otherwise its parent's,
    up to the default rows. A weekday without a row is a day of rest.
    """

    agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="office_hours",
        verbose_name=_("cơ quan"), help_text=_("Để trống: giờ làm việc mặc định cho mọi cơ quan."),
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    morning_start = models.TimeField(_("sáng từ"), default=time(7, 30))
    morning_end = models.TimeField(_("sáng đến"), default=time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), null=True, blank=True, default=time(13, 0))
    afternoon_end = models.TimeField(_("chiều đến"), null=True, blank=True, default=time(17, 0))
    valid_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    legal_source = models.CharField(_("căn cứ pháp lý"), max_length=400)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["agency_id", "weekday", "valid_from"]

    def __str__(self) -> str:
        who = self.agency or _("Mặc định")
        return f"{who} — {self.get_weekday_display()}: {self.describe_periods()}"

    def periods(self) -> tuple[tuple[time, time], ...]:
        periods = [(self.morning_start, self.morning_end)]
        if self.afternoon_start and self.afternoon_end:
            periods.append((self.afternoon_start, self.afternoon_end))
        return tuple(periods)

    def describe_periods(self) -> str:
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.periods())

    def clean(self):
        errors = {}
        if self.morning_start and self.morning_end and self.morning_start >= self.morning_end:
            errors["morning_end"] = _("Giờ kết thúc buổi sáng phải sau giờ bắt đầu.")
        if (self.afternoon_start is None) != (self.afternoon_end is None):
            field = "afternoon_end" if self.afternoon_end is None else "afternoon_start"
            errors[field] = _("Nhập cả giờ bắt đầu và giờ kết thúc buổi chiều, hoặc để trống cả hai.")
        elif self.afternoon_start is not None:
            if self.morning_end and self.afternoon_start < self.morning_end:
                errors["afternoon_start"] = _("Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc.")
            elif self.afternoon_start >= self.afternoon_end:
                errors["afternoon_end"] = _("Giờ kết thúc buổi chiều phải sau giờ bắt đầu.")
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            errors["valid_to"] = _("Ngày kết thúc áp dụng phải sau ngày bắt đầu.")
        if not errors and self.weekday is not None and self._overlapping().exists():
            errors["valid_from"] = _(
                "Đã có giờ làm việc khác của cùng cơ quan, cùng thứ, trong khoảng thời gian này."
            )
        if errors:
            raise ValidationError(errors)

    def _overlapping(self):
        rows = OfficeHours.objects.filter(agency=self.agency, weekday=self.weekday).exclude(pk=self.pk)
        if self.valid_to:
            rows = rows.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if self.valid_from:
            rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        return rows


class DeadlineRuleSet(TimeStampedModel):
    """The due-date rules in force from a date (the set with the latest date <= the receipt applies)."""

    effective_from = models.DateField(_("hiệu lực từ ngày"), unique=True)
    legal_source = models.CharField(_("căn cứ pháp lý"), max_length=600)
    in_person_cutoff = models.TimeField(
        _("giờ chốt tiếp nhận trực tiếp"), null=True, blank=True, default=time(15, 0),
        help_text=_("Hồ sơ nộp trực tiếp sau giờ này được tính từ ngày làm việc tiếp theo. Để trống: không áp dụng."),
    )
    online_outside_hours_next_day = models.BooleanField(
        _("hồ sơ trực tuyến ngoài giờ tính từ ngày làm việc tiếp theo"), default=True,
    )
    postal_outside_hours_next_day = models.BooleanField(
        _("hồ sơ qua bưu chính ngoài giờ tính từ ngày làm việc tiếp theo"), default=True,
    )
    count_receipt_day = models.BooleanField(
        _("tính cả ngày tiếp nhận"), default=False,
        help_text=_("Mặc định không tính ngày tiếp nhận (Bộ luật Dân sự 2015, Điều 147)."),
    )
    calendar_days_roll_to_working_day = models.BooleanField(
        _("hạn theo ngày rơi vào ngày nghỉ thì chuyển sang ngày làm việc tiếp theo"), default=True,
    )
    supplement_pauses_clock = models.BooleanField(
        _("dừng tính thời gian trong khi chờ bổ sung hồ sơ"), default=True,
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy tắc tính hạn")
        verbose_name_plural = _("quy tắc tính hạn")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{_('Quy tắc tính hạn từ')} {self.effective_from:%d/%m/%Y}"


class CalendarRevision(models.Model):
    """A token that changes on every write to the calendar data, so every process drops its cache.

    A random token rather than a counter: a rolled-back write must not leave a number that a later,
    different write would reuse.
    """

    key = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = _("phiên bản lịch")
