from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What an official may do in an agency (one-stop roles, Decree 61/2018 / 118/2025)."""

    RECEPTION = "reception", _("Cán bộ tiếp nhận (một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
