from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
    COMPENSATORY = "compensatory", _("Ngày nghỉ bù")
    EXTRA_DAY_OFF = "extra_day_off", _("Ngày nghỉ hoán đổi hoặc nghỉ thêm")
    MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm việc bù")


# Kinds that take a day out of the working week; the others add one.
DAY_OFF_KINDS = (DayKind.HOLIDAY, DayKind.COMPENSATORY, DayKind.EXTRA_DAY_OFF)


class EntrySource(models.TextChoices):
    SEEDED = "seeded", _("Nạp tự động (thư viện holidays)")
    ADMIN = "admin", _("Quản trị viên")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ Nhật")
