from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class CallbackOutcome(models.TextChoices):
    """What motcua did with one callback from a gateway (the PaymentEvent log)."""

    ACCEPTED = "accepted", _("Đã chấp nhận")
    DUPLICATE = "duplicate", _("Trùng lặp, không thay đổi")
    REFUSED = "refused", _("Bị từ chối")


class RefusalReason(models.TextChoices):
    BAD_SIGNATURE = "bad_signature", _("Chữ ký không hợp lệ")
    UNKNOWN_ORDER = "unknown_order", _("Không có đơn hàng")
    AMOUNT_MISMATCH = "amount_mismatch", _("Số tiền không khớp")
    CURRENCY_MISMATCH = "currency_mismatch", _("Loại tiền không khớp")
    NOT_PENDING = "not_pending", _("Đơn hàng không còn chờ thanh toán")
    DOSSIER_ALREADY_PAID = "dossier_already_paid", _("Hồ sơ đã được thanh toán bằng đơn hàng khác")
    ERROR = "error", _("Lỗi hệ thống")


class PaymentState(models.TextChoices):
    """What a dossier shows about its fee."""

    PAID = "paid", _("Đã nộp phí, lệ phí")
    UNPAID = "unpaid", _("Chưa nộp phí, lệ phí")
    NOT_REQUIRED = "not_required", _("Không phải nộp phí, lệ phí")
