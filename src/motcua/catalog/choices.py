from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Cấp thực hiện: before 1/7/2025 four levels, from then Bộ, Tỉnh, Xã and other bodies."""

    MINISTRY = "ministry", _("Cấp Bộ")
    PROVINCE = "province", _("Cấp Tỉnh")
    DISTRICT = "district", _("Cấp Huyện")
    COMMUNE = "commune", _("Cấp Xã")
    OTHER = "other", _("Cơ quan khác")


class ChannelKind(models.TextChoices):
    """Cách thức thực hiện."""

    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class TimeUnit(models.TextChoices):
    """Đơn vị tính of a time limit (766 spec `DonViTinh`)."""

    WORKING_DAY = "working_day", _("ngày làm việc")
    DAY = "day", _("ngày")
    HOUR = "hour", _("giờ")
    WORKING_HOUR = "working_hour", _("giờ làm việc")
    MONTH = "month", _("tháng")


class OnlineService(models.TextChoices):
    """Decree 42/2022/NĐ-CP classification of the online public service."""

    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Chỉ cung cấp thông tin")


class DecisionKind(models.TextChoices):
    """Loại quyết định công bố (Decree 63/2010 Arts. 13–16, Circular 02/2017/TT-VPCP)."""

    NEW = "new", _("Công bố mới ban hành")
    AMENDED = "amended", _("Công bố sửa đổi, bổ sung")
    REPLACED = "replaced", _("Công bố thay thế")
    ABOLISHED = "abolished", _("Công bố bãi bỏ")


class VersionStatus(models.TextChoices):
    PUBLISHED = "published", _("Đang công khai")
    SUPERSEDED = "superseded", _("Đã được sửa đổi, thay thế")
    ABOLISHED = "abolished", _("Bãi bỏ")


class AgencyRole(models.TextChoices):
    COMPETENT = "competent", _("Cơ quan có thẩm quyền")
    IMPLEMENTING = "implementing", _("Cơ quan thực hiện")
    COORDINATING = "coordinating", _("Cơ quan phối hợp")
    AUTHORIZED = "authorized", _("Cơ quan được ủy quyền")
    ISSUING = "issuing", _("Cơ quan ban hành")


class FeeKind(models.TextChoices):
    CHARGE = "charge", _("Phí")
    FEE = "fee", _("Lệ phí")
    OTHER = "other", _("Khoản thu")
