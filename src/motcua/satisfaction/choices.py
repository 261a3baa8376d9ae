from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The overall level a person gives a finished dossier on the portals (vn-domain §5.2)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class SipasContent(models.TextChoices):
    """The three contents asked under each SIPAS element (vn-domain §5.1)."""

    ASSESSMENT = "assessment", _("Nhận định")
    SATISFACTION = "satisfaction", _("Sự hài lòng")
    EXPECTATION = "expectation", _("Sự mong đợi")


# The 5-point scale of the satisfaction content; 4 and 5 count as satisfied (vn-domain §5.1).
LIKERT = [
    (1, _("Rất không hài lòng")),
    (2, _("Không hài lòng")),
    (3, _("Bình thường")),
    (4, _("Hài lòng")),
    (5, _("Rất hài lòng")),
]
SATISFIED_FROM = 4


class SipasLevel(models.TextChoices):
    """The level of the receiving agency's unit, as filed (a 2004-list district stays a district)."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã")


class SipasChannel(models.TextChoices):
    """SIPAS 2023+ reports in person against online; postal filing counts as in person."""

    IN_PERSON = "in_person", _("Trực tiếp, bưu chính")
    ONLINE = "online", _("Trực tuyến")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    SAMPLED = "sampled", _("Đã chọn mẫu")
    OPEN = "open", _("Đang khảo sát")
    CLOSED = "closed", _("Đã kết thúc")
