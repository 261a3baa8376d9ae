"""PAKN cases, their history, votes, follow-ups, and the time limits as data.

Rules live in services.py (writes) and selectors.py (reads); these are the tables.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.feedback.choices import ACTION_LABELS, Category, Kind, Stage, Status
from motcua.units.models import Agency


class FeedbackLimit(models.Model):
    """How many working days a stage may take, from a date, with its legal source.

    The row in force at a case's submission (largest `effective_from` not after it) applies to the
    whole case, so a later edit never changes the deadlines of cases already received.
    """

    stage = models.CharField(_("bước"), max_length=12, choices=Stage.choices)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    legal_source = models.CharField(_("căn cứ"), max_length=500)

    class Meta:
        verbose_name = _("thời hạn xử lý PAKN")
        verbose_name_plural = _("thời hạn xử lý PAKN")
        ordering = ["stage", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "effective_from"], name="feedback_limit_once_per_day"),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="feedback_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.working_days} ngày làm việc (từ {self.effective_from:%d/%m/%Y})"


class FeedbackCase(models.Model):
    code = models.CharField(_("mã PAKN"), max_length=30, unique=True, null=True, blank=True)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    category = models.CharField(_("phân loại"), max_length=10, choices=Category.choices)
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("thủ tục hành chính"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feedback_cases",
                               verbose_name=_("cơ quan xử lý"))
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_cases",
                                verbose_name=_("hồ sơ liên quan"))
    title = models.CharField(_("tiêu đề"), max_length=250)
    content = models.TextField(_("nội dung"))
    title_folded = models.TextField(editable=False, blank=True)
    # Submitter: an account is optional; an e-mail or a phone number is what the answer goes to.
    submitter_name = models.CharField(_("họ và tên"), max_length=100)
    submitter_email = models.EmailField(_("thư điện tử"), blank=True)
    submitter_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    submitter_address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    submitter_id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    submitter_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="feedback_cases")
    consent_publish = models.BooleanField(_("đồng ý công khai nội dung và trả lời"), default=True)

    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    version = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(_("thời điểm gửi"), db_index=True)
    # The clock of every stage runs from here: the submission, or the latest forwarding.
    clock_started_at = models.DateTimeField(_("bắt đầu tính hạn"))
    # Supplement waits since clock_started_at: [[requested, supplied], ...] (ISO); paused_at = open wait.
    pauses = models.JSONField(default=list, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    refuse_due_at = models.DateTimeField(_("hạn từ chối tiếp nhận"), null=True, blank=True)
    supplement_due_at = models.DateTimeField(_("hạn yêu cầu bổ sung"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True, db_index=True)
    publish_due_at = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    forwarded_count = models.PositiveSmallIntegerField(default=0)
    # Per stage: None = not reached; True/False = done within / after its limit. Any False stays.
    refused_on_time = models.BooleanField(null=True, blank=True)
    supplement_on_time = models.BooleanField(null=True, blank=True)
    answered_on_time = models.BooleanField(null=True, blank=True)
    published_on_time = models.BooleanField(null=True, blank=True)
    ever_late = models.BooleanField(default=False)

    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    supplement_request = models.TextField(_("nội dung cần bổ sung"), blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    # What the public sees: edited by the moderator, personal data hidden (services.redact).
    published_title = models.CharField(_("tiêu đề công khai"), max_length=250, blank=True)
    published_content = models.TextField(_("nội dung công khai"), blank=True)
    published_answer = models.TextField(_("trả lời công khai"), blank=True)
    published_folded = models.TextField(editable=False, blank=True)
    likes = models.PositiveIntegerField(_("đồng tình"), default=0)
    dislikes = models.PositiveIntegerField(_("không đồng tình"), default=0)
    repeated_complaint = models.BooleanField(_("phản ánh lại, không đồng ý kết quả"), default=False)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="feedback_queue")]

    def __str__(self) -> str:
        return f"{self.code or self.pk} — {self.title}"


class CaseEvent(models.Model):
    """One row per status change (the case's history)."""

    case = models.ForeignKey(FeedbackCase, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=24)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def get_action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class FollowUp(models.Model):
    """What the submitter wrote later: a supplement asked for, or a follow-up on the answer."""

    case = models.ForeignKey(FeedbackCase, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=12, choices=[("supplement", _("Bổ sung")), ("follow_up", _("Ý kiến tiếp"))])
    content = models.TextField(_("nội dung"))
    disagrees_with_result = models.BooleanField(_("không đồng ý với kết quả xử lý"), default=False)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class Vote(models.Model):
    """One like or dislike per voter (an account, else a browser session) on a published answer."""

    case = models.ForeignKey(FeedbackCase, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    liked = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "voter"], name="feedback_vote_once")]
