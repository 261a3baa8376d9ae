from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentKind(models.TextChoices):
    CURRENT = "current", _("Hiện hành")
    PROJECTED = "projected", _("Sau đơn giản hóa")


class OnlineMove(models.TextChoices):
    """Moving a procedure online in a simplification plan (Decree 42/2022 classification)."""

    NONE = "", _("Không thay đổi")
    PARTIAL = "partial", _("Chuyển sang dịch vụ công trực tuyến một phần")
    FULL = "full", _("Chuyển sang dịch vụ công trực tuyến toàn trình")
