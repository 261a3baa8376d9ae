"""Ratings of finished dossiers (vn-domain §5.2) and the SIPAS survey (vn-domain §5.1).

The criteria, their choices and weights are data with an effective date and a legal source,
editable in the admin; a rating keeps the exact criterion rows it was answered against. A row not
yet checked against the official text has `confirmed` unset, shown as "chưa xác minh" in the admin.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.satisfaction.choices import CampaignState, Level, SipasChannel, SipasContent, SipasLevel
from motcua.units.models import AdministrativeUnit, Agency

POINTS = [(2, "2"), (1, "1"), (0, "0")]


class RatingCriterion(models.Model):
    """One of the portals' 12 criteria, as in force from `effective_from` (a later row replaces it)."""

    number = models.PositiveSmallIntegerField(_("số thứ tự"), validators=[MinValueValidator(1)])
    title = models.CharField(_("tiêu chí"), max_length=200)
    question = models.CharField(_("câu hỏi"), max_length=300)
    choice_2 = models.CharField(_("lựa chọn 2 điểm"), max_length=120)
    choice_1 = models.CharField(_("lựa chọn 1 điểm"), max_length=120)
    choice_0 = models.CharField(_("lựa chọn 0 điểm"), max_length=120)
    weight = models.DecimalField(_("trọng số"), max_digits=5, decimal_places=2, default=Decimal(1),
                                 validators=[MinValueValidator(Decimal(0))])
    optional = models.BooleanField(_("được chọn “Không áp dụng”"), default=False)
    # The portals' criterion 1 ("overall assessment") is the overall level itself: asked once,
    # scored 2/1/0 for very satisfied/satisfied/not satisfied.
    from_overall_level = models.BooleanField(_("là mức độ hài lòng chung"), default=False)
    active = models.BooleanField(_("còn áp dụng"), default=True,
                                 help_text=_("Bỏ chọn để thôi dùng tiêu chí này từ ngày hiệu lực."))
    effective_from = models.DateField(_("hiệu lực từ"))
    legal_source = models.CharField(_("căn cứ"), max_length=300)
    confirmed = models.BooleanField(_("đã xác minh"), default=False,
                                    help_text=_("Chỉ đánh dấu khi đã đối chiếu với văn bản chính thức."))

    class Meta:
        verbose_name = _("tiêu chí đánh giá hồ sơ")
        verbose_name_plural = _("tiêu chí đánh giá hồ sơ")
        ordering = ["number", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "effective_from"], name="rating_criterion_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title} ({self.effective_from:%d/%m/%Y})"

    def choice_label(self, points: int) -> str:
        return {2: self.choice_2, 1: self.choice_1, 0: self.choice_0}[points]


class Rating(models.Model):
    """The one rating of a dossier; it can be changed until rated_at + MOTCUA_RATING_EDIT_DAYS."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating",
                                   verbose_name=_("hồ sơ"))
    level = models.CharField(_("mức độ hài lòng chung"), max_length=16, choices=Level.choices)
    # None only when no answered criterion carries weight (a configuration with all weights 0).
    score = models.DecimalField(_("điểm (0–100)"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("ý kiến khác"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"), db_index=True)
    changed_at = models.DateTimeField(_("thời điểm sửa gần nhất"))
    changes = models.PositiveSmallIntegerField(_("số lần sửa"), default=0)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_level_display()}"


class RatingAnswer(models.Model):
    """The choice given for one criterion; a criterion answered “not applicable” has no row."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(RatingCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(choices=POINTS, validators=[MaxValueValidator(2)])

    class Meta:
        ordering = ["rating", "criterion__number"]
        constraints = [models.UniqueConstraint(fields=["rating", "criterion"], name="rating_answer_unique")]


class SipasElement(models.Model):
    """One of the five elements SIPAS measures."""

    number = models.PositiveSmallIntegerField(_("số thứ tự"), unique=True)
    title = models.CharField(_("yếu tố"), max_length=200)
    effective_from = models.DateField(_("hiệu lực từ"))
    legal_source = models.CharField(_("căn cứ"), max_length=300)
    confirmed = models.BooleanField(_("đã xác minh"), default=False,
                                    help_text=_("Chỉ đánh dấu khi đã đối chiếu với văn bản chính thức."))

    class Meta:
        verbose_name = _("yếu tố SIPAS")
        verbose_name_plural = _("yếu tố SIPAS")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class SipasCriterion(models.Model):
    """A question of the SIPAS questionnaire under one element and one content.

    Satisfaction questions use the 5-point scale and make the index; assessment and expectation
    questions have their own `choices` and are reported as counts only.
    """

    element = models.ForeignKey(SipasElement, on_delete=models.PROTECT, related_name="criteria")
    content = models.CharField(_("nội dung"), max_length=12, choices=SipasContent.choices)
    code = models.CharField(_("mã"), max_length=10, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.CharField(_("câu hỏi"), max_length=300)
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True,
                               help_text=_("Chỉ cho câu hỏi nhận định, mong đợi; câu hỏi hài lòng dùng thang 5 mức."))
    active = models.BooleanField(_("còn áp dụng"), default=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    legal_source = models.CharField(_("căn cứ"), max_length=300)
    confirmed = models.BooleanField(_("đã xác minh"), default=False,
                                    help_text=_("Chỉ đánh dấu khi đã đối chiếu với văn bản chính thức."))

    class Meta:
        verbose_name = _("câu hỏi SIPAS")
        verbose_name_plural = _("câu hỏi SIPAS")
        ordering = ["element__number", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class SipasCampaign(models.Model):
    """One survey of a province over a period: a reproducible stratified sample and its answers."""

    name = models.CharField(_("tên đợt khảo sát"), max_length=200)
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh, thành phố"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    sample_size = models.PositiveIntegerField(_("cỡ mẫu"), validators=[MinValueValidator(1)])
    minimum_per_stratum = models.PositiveIntegerField(_("số phiếu tối thiểu mỗi nhóm"), default=5)
    seed = models.CharField(_("hạt giống ngẫu nhiên"), max_length=64)
    state = models.CharField(_("trạng thái"), max_length=8, choices=CampaignState.choices,
                             default=CampaignState.DRAFT)
    # {stratum key: [population, allocated]} as drawn: the record of how the sample was made.
    strata = models.JSONField(_("phân tổ"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt khảo sát SIPAS")
        verbose_name_plural = _("đợt khảo sát SIPAS")
        ordering = ["-period_start", "province__code"]

    def __str__(self) -> str:
        return self.name


class SipasInvitation(models.Model):
    """A sampled dossier's invitation: the unguessable token is the respondent's only key."""

    campaign = models.ForeignKey(SipasCampaign, on_delete=models.CASCADE, related_name="invitations")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=10, choices=SipasLevel.choices)
    channel = models.CharField(max_length=10, choices=SipasChannel.choices)
    token = models.CharField(max_length=64, unique=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu mời khảo sát")
        verbose_name_plural = _("phiếu mời khảo sát")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "dossier"], name="sipas_invitation_unique")]


class SipasResponse(models.Model):
    """The one answered questionnaire of an invitation."""

    invitation = models.OneToOneField(SipasInvitation, on_delete=models.CASCADE, related_name="response")
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("phiếu trả lời SIPAS")
        verbose_name_plural = _("phiếu trả lời SIPAS")


class SipasAnswer(models.Model):
    """One answer: 1–5 on the scale for a satisfaction question, else the index of the choice."""

    response = models.ForeignKey(SipasResponse, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(SipasCriterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "criterion"], name="sipas_answer_unique")]
