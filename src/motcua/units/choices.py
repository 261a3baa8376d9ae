from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.TextChoices):
    """The code list a unit code belongs to: a code can name another unit after a reorganisation."""

    PRE_2025 = "2004", _("Danh mục theo QĐ 124/2004/QĐ-TTg (đến 30/06/2025)")
    CURRENT = "2025", _("Danh mục theo QĐ 19/2025/QĐ-TTg (từ 01/07/2025)")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/Thành phố")
    DISTRICT = "district", _("Quận/Huyện")
    COMMUNE = "commune", _("Xã/Phường/Đặc khu")


class SuccessionKind(models.TextChoices):
    """The official conversion table's note (`Ghi chú`) reduced to what software needs."""

    FULL = "full", _("Nhập toàn bộ")
    PARTIAL = "partial", _("Nhập một phần")
    UNCHANGED = "unchanged", _("Giữ nguyên")


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("Cấp Bộ")
    PROVINCE = "province", _("Cấp Tỉnh")
    DISTRICT = "district", _("Cấp Huyện")
    COMMUNE = "commune", _("Cấp Xã")
    OTHER = "other", _("Khác")
