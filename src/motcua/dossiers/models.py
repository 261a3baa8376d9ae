"""Dossiers (hồ sơ) filed for a published procedure version, their workflow and history.

A dossier's current stage is a column kept by the one transition service (dossiers.services);
its history is the append-only `StatusChange` log, and every change also writes an audit record
and an outbox event in the same transaction (architecture.md, rule 3).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import Role
from motcua.catalog.models import DossierComponent, Procedure, ProcedureVersion
from motcua.dossiers.choices import (
    TERMINAL_STAGES,
    ApplicantKind,
    Channel,
    SlipKind,
    Stage,
    Status,
    StepKind,
    Timeliness,
)
from motcua.lib.text import fold
from motcua.units.models import AdministrativeUnit, Agency


class WorkflowTemplate(models.Model):
    """The internal process (quy trình nội bộ) for a procedure at an agency, or the default one.

    `agency` empty = applies to every agency that has no template of its own for the procedure.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="workflows")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="workflows")
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    legal_source = models.CharField(_("quyết định phê duyệt quy trình"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency"], name="workflow_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.agency or _('mặc định')}"


class WorkflowStepTemplate(models.Model):
    """One ordered step: who does it (agency or department, role) and its share of the time limit."""

    workflow = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("loại bước"), max_length=12, choices=StepKind.choices)
    name = models.CharField(_("tên bước"), max_length=200)
    # Empty agency = the receiving agency. Another agency makes this an inter-agency step (liên thông).
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan, bộ phận"))
    role = models.CharField(_("vai trò"), max_length=14, choices=Role.choices)
    share_percent = models.DecimalField(_("tỷ lệ thời hạn (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["workflow", "order"]
        constraints = [models.UniqueConstraint(fields=["workflow", "order"], name="workflow_step_order_unique")]


class Applicant(models.Model):
    """The person or organisation who files, as filed (a snapshot: later profile edits don't change it)."""

    kind = models.CharField(_("loại"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    full_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=200)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    unit = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("xã/phường"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="applications")
    # The name as the queue search compares it (lib.text.fold): officials type "nguyen van an" for
    # "Nguyễn Văn An", as often as not without diacritics.
    name_folded = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("người nộp hồ sơ")
        verbose_name_plural = _("người nộp hồ sơ")
        # The queue search looks an applicant up by phone or personal id (selectors.work_queue).
        indexes = [
            models.Index(fields=["phone"], name="applicant_phone"),
            models.Index(fields=["id_number"], name="applicant_id_number"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)[:200]
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)


class Dossier(models.Model):
    """One application for one published procedure version at one receiving agency."""

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers",
                                          verbose_name=_("thủ tục (phiên bản)"))
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers",
                                         verbose_name=_("cơ quan tiếp nhận"))
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="dossiers")
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    # No index of its own: the partial queue indexes cover it, and a lone stage index misleads the
    # planner into bitmap-AND plans 6x slower at 1M dossiers (docs/benchmarks.md, Back office).
    stage = models.CharField(_("giai đoạn"), max_length=14, choices=Stage.choices)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, db_index=True)
    # Optimistic lock: every transition increments it; a client acting on an older one gets a conflict.
    version = models.PositiveIntegerField(default=1)
    current_step = models.ForeignKey("DossierStep", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    effective_receipt_at = models.DateTimeField(_("thời điểm bắt đầu tính hạn"), null=True, blank=True)
    time_limit_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    time_limit_unit = models.CharField(max_length=14, blank=True)
    original_due_at = models.DateTimeField(_("hạn trả theo quy định"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả kết quả"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    fee_amount = models.BigIntegerField(_("phí, lệ phí (đồng)"), null=True, blank=True)
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["receiving_agency", "status", "due_at"]),
            models.Index(fields=["receiving_agency", "-created_at"]),
            # The work queues, read in index order a page at a time (docs/benchmarks.md, Back office):
            # open dossiers of an agency by due moment, and every dossier of an agency by reception.
            models.Index(fields=["receiving_agency", "due_at", "id"], name="dossier_open_queue",
                         condition=~models.Q(stage__in=sorted(TERMINAL_STAGES))),
            models.Index(fields=["receiving_agency", "-received_at", "-id"], name="dossier_agency_received"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class DailySequence(models.Model):
    """The last dossier number issued by an agency on a day: unique codes under concurrent reception."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_sequence_unique")]


class ReceivedComponent(models.Model):
    """A paper received with the dossier: original/copy counts and the digitised file."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(DossierComponent, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    file = models.FileField(_("tệp số hóa"), upload_to="dossiers/%Y/%m/", blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["dossier", "id"]


class DossierStep(models.Model):
    """One step of a dossier's processing, and its hand-over record for the control sheet (Mẫu 05)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossier_steps")
    role = models.CharField(max_length=14, choices=Role.choices)
    is_interagency = models.BooleanField(default=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    outcome = models.TextField(_("kết quả bước"), blank=True)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order_unique")]
        # Steps at an agency for dossiers another agency received: what makes them visible there.
        indexes = [models.Index(fields=["agency", "dossier"], name="step_interagency",
                                condition=models.Q(is_interagency=True))]


class StatusChange(models.Model):
    """The append-only history of a dossier: one row per transition."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=30)
    from_stage = models.CharField(max_length=14, blank=True)
    to_stage = models.CharField(max_length=14)
    from_status = models.PositiveSmallIntegerField(null=True)
    to_status = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The caller's key for this action: calling the same action twice with it is a no-op.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "idempotency_key"], name="status_change_idempotent"),
        ]


class SupplementRequest(models.Model):
    """The one allowed request for missing or incorrect papers (Mẫu 02), and when it was answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    missing_papers = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    answered_at = models.DateTimeField(null=True, blank=True)
    paused_office_seconds = models.PositiveIntegerField(default=0)


class Appointment(models.Model):
    """A new appointment after an apology (Mẫu 04), issued before the due moment passes."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="appointments")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField(_("lý do chậm"))


class SlipForm(models.Model):
    """A standard slip's form number and title as the law in force sets them (data, not code)."""

    kind = models.CharField(max_length=12, choices=SlipKind.choices)
    number = models.CharField(_("số mẫu"), max_length=20)
    title = models.CharField(_("tên mẫu"), max_length=200)
    legal_source = models.CharField(_("căn cứ"), max_length=300)
    valid_from = models.DateField(_("hiệu lực từ"))

    class Meta:
        verbose_name = _("mẫu phiếu")
        verbose_name_plural = _("mẫu phiếu")
        ordering = ["kind", "-valid_from"]


class Slip(models.Model):
    """A slip issued for a dossier, kept as the PDF that was handed out."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="slips")
    form = models.ForeignKey(SlipForm, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="slips/%Y/%m/", blank=True)
    data = models.JSONField(default=dict, blank=True)
