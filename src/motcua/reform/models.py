"""Compliance cost of procedures and simplification plans (Circular 02/2017/TT-VPCP Art. 27).

`CostParameters` are the prices the standard cost model multiplies by (income per hour, cost of a
copy, of a trip): data with an effective date and a legal source, edited in the admin.
A `CostAssessment` is one filled-in worksheet for one procedure version and one channel: every
input, the note that justifies any input changed from the value derived from the catalogue, and
the results. A `SimplificationPlan` (phương án đơn giản hóa) groups procedures; each `PlanItem`
holds the assessment before and the projected assessment after its changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import ChannelKind
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.reform import formulas
from motcua.reform.choices import AssessmentKind, OnlineMove
from motcua.units.models import Agency


class CostParameters(models.Model):
    """The prices of the standard cost model in force from a date (the newest one not in the future)."""

    name = models.CharField(_("tên bộ tham số"), max_length=200)
    effective_from = models.DateField(_("hiệu lực từ"), unique=True)
    legal_source = models.TextField(_("căn cứ, nguồn số liệu"))
    # Unset until every figure of the row was checked against the official text (docs/reform.md).
    confirmed = models.BooleanField(_("đã xác minh"), default=False,
                                    help_text=_("Chỉ đánh dấu khi mọi số liệu đã đối chiếu với văn bản chính thức."))
    monthly_income = models.PositiveBigIntegerField(_("thu nhập bình quân tháng (đồng)"))
    working_days_per_month = models.PositiveSmallIntegerField(_("số ngày làm việc / tháng"), default=22)
    hours_per_day = models.PositiveSmallIntegerField(_("số giờ làm việc / ngày"), default=8)
    cost_per_copy = models.PositiveIntegerField(_("chi phí một bản sao (phô tô, chứng thực) (đồng)"))
    travel_cost_per_trip = models.PositiveIntegerField(_("chi phí đi lại một lượt (đồng)"))
    postage_per_dossier = models.PositiveIntegerField(_("cước bưu chính gửi và nhận một hồ sơ (đồng)"))
    info_hours = models.DecimalField(_("giờ tìm hiểu thông tin"), max_digits=6, decimal_places=2)
    hours_per_component = models.DecimalField(_("giờ chuẩn bị một thành phần hồ sơ"), max_digits=6,
                                              decimal_places=2)
    hours_per_trip = models.DecimalField(_("giờ đi lại, chờ đợi một lượt"), max_digits=6, decimal_places=2)
    online_submit_hours = models.DecimalField(_("giờ nộp hồ sơ trực tuyến"), max_digits=6, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tham số chi phí tuân thủ")
        verbose_name_plural = _("tham số chi phí tuân thủ")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"

    @property
    def hourly_income(self):
        return formulas.hourly_income(self.monthly_income, self.working_days_per_month, self.hours_per_day)

    @property
    def prices(self) -> formulas.Prices:
        return formulas.Prices(self.hourly_income, self.cost_per_copy, self.travel_cost_per_trip)


class CostAssessment(models.Model):
    """One Art. 27 worksheet: the inputs, the notes justifying changed inputs, and the results."""

    INPUT_FIELDS = ("info_hours", "prepare_hours", "travel_hours", "wait_hours", "copies", "trips", "fees",
                    "other_costs", "frequency", "subjects")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="cost_assessments",
                                verbose_name=_("thủ tục (phiên bản)"))
    kind = models.CharField(_("loại"), max_length=10, choices=AssessmentKind.choices, default=AssessmentKind.CURRENT)
    channel = models.CharField(_("cách thức thực hiện"), max_length=10, choices=ChannelKind.choices)
    parameters = models.ForeignKey(CostParameters, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("tham số"))
    statistics_year = models.PositiveSmallIntegerField(_("năm số liệu hồ sơ"))

    info_hours = models.DecimalField(_("giờ tìm hiểu thông tin"), max_digits=8, decimal_places=2)
    prepare_hours = models.DecimalField(_("giờ chuẩn bị hồ sơ"), max_digits=8, decimal_places=2)
    travel_hours = models.DecimalField(_("giờ nộp hồ sơ, nhận kết quả"), max_digits=8, decimal_places=2)
    wait_hours = models.DecimalField(_("giờ chờ, bổ sung hồ sơ"), max_digits=8, decimal_places=2)
    copies = models.PositiveIntegerField(_("số bản sao"))
    trips = models.PositiveIntegerField(_("số lượt đi lại"))
    fees = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"))
    other_costs = models.PositiveBigIntegerField(_("chi phí khác (đồng)"))
    frequency = models.DecimalField(_("số lần thực hiện / năm"), max_digits=8, decimal_places=2)
    subjects = models.PositiveBigIntegerField(_("số đối tượng tuân thủ / năm"))
    subjects_from_dossiers = models.BooleanField(_("số đối tượng lấy từ thống kê hồ sơ"), default=True)
    # {"fees": "Lệ phí theo Thông tư 85/2019…"}: why an input differs from the derived value.
    notes = models.JSONField(_("giải trình"), default=dict, blank=True)
    # What the derivation could not settle and an official should confirm (a fee in thousands…).
    warnings = models.JSONField(default=list, blank=True)

    time_cost = models.PositiveBigIntegerField(_("chi phí thời gian (đồng)"))
    cost_per_occurrence = models.PositiveBigIntegerField(_("chi phí một lần thực hiện (đồng)"))
    annual_cost = models.PositiveBigIntegerField(_("tổng chi phí / năm (đồng)"))

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá chi phí tuân thủ")
        verbose_name_plural = _("đánh giá chi phí tuân thủ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} — {self.get_channel_display()} — {self.annual_cost:,} đ"

    @property
    def inputs(self) -> formulas.Inputs:
        return formulas.Inputs(**{name: getattr(self, name) for name in self.INPUT_FIELDS})


class SimplificationPlan(models.Model):
    """A plan (phương án đơn giản hóa) over several procedures, e.g. a province's plan for a year."""

    name = models.CharField(_("tên phương án"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan chủ trì"))
    legal_source = models.CharField(_("văn bản phê duyệt"), max_length=300, blank=True)
    published = models.BooleanField(_("công khai"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class PlanItem(models.Model):
    """One procedure of a plan: its changes, the assessment before and the projection after."""

    plan = models.ForeignKey(SimplificationPlan, on_delete=models.CASCADE, related_name="items")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("thủ tục"))
    before = models.ForeignKey(CostAssessment, on_delete=models.PROTECT, related_name="+")
    after = models.ForeignKey(CostAssessment, on_delete=models.PROTECT, related_name="+")
    removed_components = models.JSONField(_("thành phần hồ sơ cắt giảm"), default=list, blank=True)
    new_fee = models.PositiveBigIntegerField(_("mức phí, lệ phí mới (đồng)"), null=True, blank=True)
    time_limit_cut_percent = models.DecimalField(_("cắt giảm thời hạn giải quyết (%)"), max_digits=5,
                                                 decimal_places=2, default=0)
    online = models.CharField(_("chuyển trực tuyến"), max_length=10, choices=OnlineMove.choices, blank=True)
    description = models.TextField(_("nội dung đơn giản hóa"), blank=True)

    class Meta:
        verbose_name = _("thủ tục trong phương án")
        verbose_name_plural = _("thủ tục trong phương án")
        ordering = ["plan", "procedure__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "procedure"], name="plan_item_unique_procedure")]
