from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import ChannelKind


class Status(models.IntegerChoices):
    """The ten national dossier status codes (TrangThaiHoSo) synchronised with the national portal."""

    NEW = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    FINANCIAL = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWAL = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    DONE = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class Stage(models.TextChoices):
    """Internal sub-states (vn-domain §3.2); each maps onto one national status (`STAGE_STATUS`)."""

    SUBMITTED = "submitted", _("Hồ sơ đăng ký mới trực tuyến")
    RECEIVED = "received", _("Mới tiếp nhận")
    IN_STEP = "in_step", _("Đang xử lý tại bước")
    INTERAGENCY = "interagency", _("Chờ thực hiện liên thông")
    SUPPLEMENT = "supplement", _("Chờ bổ sung")
    FINANCIAL = "financial", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWAL = "withdrawal", _("Công dân yêu cầu rút hồ sơ")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Không được tiếp nhận")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


STAGE_STATUS = {
    Stage.SUBMITTED: Status.NEW,
    Stage.RECEIVED: Status.RECEIVED,
    Stage.IN_STEP: Status.PROCESSING,
    Stage.INTERAGENCY: Status.PROCESSING,
    Stage.SUPPLEMENT: Status.SUPPLEMENT,
    Stage.FINANCIAL: Status.FINANCIAL,
    Stage.WITHDRAWAL: Status.WITHDRAWAL,
    Stage.RESULT_READY: Status.DONE,
    Stage.RETURNED: Status.RETURNED,
    Stage.REFUSED: Status.REFUSED,
    Stage.WITHDRAWN: Status.STOPPED,
    Stage.STOPPED: Status.STOPPED,
}
TERMINAL_STAGES = frozenset({Stage.RETURNED, Stage.REFUSED, Stage.WITHDRAWN, Stage.STOPPED})
# Stages during which the legal clock runs (it stops for a supplement and before reception).
CLOCK_STAGES = frozenset({Stage.RECEIVED, Stage.IN_STEP, Stage.INTERAGENCY, Stage.FINANCIAL, Stage.WITHDRAWAL})


# A dossier is filed through one of the channels the catalogue publishes.
Channel = ChannelKind


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class StepKind(models.TextChoices):
    """The default workflow (Decree 61/2018 Arts. 18–20): reception → specialist → approval → result → handover."""

    RECEPTION = "reception", _("Tiếp nhận hồ sơ")
    SPECIALIST = "specialist", _("Thẩm định, xử lý")
    APPROVAL = "approval", _("Phê duyệt")
    RESULT = "result", _("Trả kết quả về một cửa")
    HANDOVER = "handover", _("Trả kết quả cho công dân")
    INTERAGENCY = "interagency", _("Liên thông")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class SlipKind(models.TextChoices):
    """The standard slips of Circular 01/2018/TT-VPCP; their numbers are data (SlipForm)."""

    RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "supplement", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    CONTROL = "control", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    REGISTER = "register", _("Sổ theo dõi hồ sơ")
