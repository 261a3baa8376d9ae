from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Decree 20/2008 Art. 3: a report on a problem, or a proposal of a solution."""

    REPORT = "report", _("Phản ánh")
    PROPOSAL = "proposal", _("Kiến nghị")


class Category(models.TextChoices):
    """The two classes of indicator 5.1 (Decision 766)."""

    REGULATION = "regulation", _("Quy định, chính sách, thủ tục hành chính")
    CONDUCT = "conduct", _("Hành vi của cán bộ, công chức")


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    ACCEPTED = "accepted", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung thông tin")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    ANSWERED = "answered", _("Đã trả lời, chờ công khai")
    PUBLISHED = "published", _("Đã công khai")
    REOPENED = "reopened", _("Xử lý lại theo ý kiến tiếp theo")


class Stage(models.TextChoices):
    """The stages the national portal's operating limits measure (766 spec, indicator 5.2)."""

    REFUSE = "refuse", _("Từ chối tiếp nhận")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung")
    ANSWER = "answer", _("Trả lời")
    PUBLISH = "publish", _("Công khai sau khi trả lời")


HANDLED = {Status.REFUSED, Status.ANSWERED, Status.PUBLISHED}
# Statuses in which the answer clock runs (the case waits for the agency's answer).
ANSWER_CLOCK = {Status.RECEIVED, Status.ACCEPTED, Status.REOPENED}

# History labels of the outbox topics' actions (CaseEvent.action).
ACTION_LABELS = {
    "received": _("Gửi phản ánh, kiến nghị"), "accepted": _("Tiếp nhận xử lý"), "refused": _("Từ chối tiếp nhận"),
    "supplement_requested": _("Yêu cầu bổ sung thông tin"), "supplemented": _("Người gửi bổ sung thông tin"),
    "forwarded": _("Chuyển cơ quan khác xử lý"), "answered": _("Trả lời"), "published": _("Công khai"),
    "reopened": _("Người gửi gửi ý kiến tiếp"),
}
