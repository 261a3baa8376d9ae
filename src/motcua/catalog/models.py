"""The procedure database (CSDL quốc gia về TTHC): procedures, their published versions and parts.

A procedure (thủ tục hành chính) is identified by its code. What it says at any moment is a
`ProcedureVersion`, created by a publication decision (quyết định công bố) and never edited once
published: an amendment publishes a new version, an abolition closes the last one. Dossiers point
at the exact version they were filed under (architecture.md, rule 2).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import (
    AgencyRole,
    ChannelKind,
    DecisionKind,
    FeeKind,
    Level,
    OnlineService,
    TimeUnit,
    VersionStatus,
)
from motcua.lib.text import fold
from motcua.units.models import Agency

# shared/reference/vn-domain.md §1.2: 1-digit prefix + 6 digits, optional localisation suffix
# with the unit's organ-code letter group (1.000948.H38). Legacy codes (B-BTP-123456-TT) are kept
# as opaque strings, so the pattern is used to recognise codes in queries, not to reject imports.
PROCEDURE_CODE_PATTERN = r"^\d\.\d{6}(\.[A-Z]\d{2})?$"


class Domain(models.Model):
    """A sector (lĩnh vực) such as Hộ tịch or Đất đai."""

    name = models.CharField(_("tên lĩnh vực"), max_length=300, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    name_folded = models.CharField(max_length=300, editable=False)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class PublicationDecision(models.Model):
    """A decision that publishes, amends, replaces or abolishes procedures (quyết định công bố)."""

    number = models.CharField(_("số quyết định"), max_length=120, unique=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    issuing_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    title = models.TextField(_("trích yếu"), blank=True)

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-signed_on", "number"]

    def __str__(self) -> str:
        return self.number


class Procedure(models.Model):
    """An administrative procedure as the national database names it by its code."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    # A localised copy (1.001193.H26) belongs to one unit's agency and derives from the central one.
    template = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="localisations",
        verbose_name=_("thủ tục gốc"),
    )
    owner_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="localised_procedures",
        verbose_name=_("cơ quan áp dụng"),
    )
    current_version = models.OneToOneField(
        "ProcedureVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("phiên bản hiện hành"),
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces",
        verbose_name=_("được thay thế bởi"),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id else ""
        return f"{self.code} {name}".strip()


class ProcedureVersion(models.Model):
    """What a procedure says under one publication decision. Read-only once published."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    decision = models.ForeignKey(
        PublicationDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="versions",
        verbose_name=_("quyết định công bố"),
    )
    change_kind = models.CharField(_("loại công bố"), max_length=10, choices=DecisionKind.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=VersionStatus.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), auto_now_add=True)

    name = models.TextField(_("tên thủ tục"))
    levels = models.JSONField(_("cấp thực hiện"), default=list, help_text=_("Các giá trị của Level"))
    domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("lĩnh vực"))
    procedure_type = models.CharField(_("loại thủ tục"), max_length=200, blank=True)
    target_groups = models.JSONField(_("đối tượng thực hiện"), default=list)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    results = models.JSONField(_("kết quả thực hiện"), default=list, help_text='[{"name": ..., "code": ...}]')
    reception_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    related_procedures = models.TextField(_("thủ tục liên quan"), blank=True)
    online_service = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=10, choices=OnlineService.choices, default=OnlineService.NONE
    )
    steps_text = models.TextField(_("trình tự thực hiện (nguyên văn)"), blank=True)
    # Raw text of each source field that could not be parsed into structure, kept beside the
    # structure so nothing of the source is lost: {"channels": "...", "components": "..."}.
    unparsed = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=120, blank=True)
    source_record = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)

    # Fields a published version may still change: closing its validity when it is superseded.
    MUTABLE_AFTER_PUBLICATION = frozenset({"status", "valid_until"})

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk and (update_fields is None or not set(update_fields) <= self.MUTABLE_AFTER_PUBLICATION):
            raise ValidationError(_("Phiên bản đã công bố không được sửa; hãy công bố phiên bản mới."))
        super().save(*args, **kwargs)


class Step(models.Model):
    """One step of the procedure (trình tự thực hiện), in order."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.TextField(_("bước"))
    description = models.TextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["version", "order"]


class Channel(models.Model):
    """A way to submit (cách thức thực hiện), with its own time limit and fees."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="channels")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("hình thức nộp"), max_length=10, choices=ChannelKind.choices)
    time_limit_value = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(_("đơn vị"), max_length=14, choices=TimeUnit.choices, blank=True)
    time_limit_text = models.TextField(_("thời hạn (nguyên văn)"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["version", "order"]


class Fee(models.Model):
    """A charge or fee (phí, lệ phí) on one channel. No amount means the law sets none in VND."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices, default=FeeKind.OTHER)
    amount = models.BigIntegerField(_("mức thu (đồng)"), null=True, blank=True)
    text = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["channel", "order"]


class DossierComponent(models.Model):
    """One paper of the dossier (thành phần hồ sơ), with the number of originals and copies."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField()
    case = models.TextField(_("trường hợp"), blank=True)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("bản sao"), null=True, blank=True)
    quantity_text = models.CharField(_("số lượng (nguyên văn)"), max_length=300, blank=True)
    form_template = models.CharField(_("mẫu đơn, tờ khai"), max_length=500, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.TextField(_("điều kiện"), blank=True)

    class Meta:
        ordering = ["version", "order"]


class LegalDocument(models.Model):
    """A legal text cited as the basis of procedures (căn cứ pháp lý)."""

    number = models.CharField(_("số ký hiệu"), max_length=120, unique=True)
    title = models.TextField(_("trích yếu"), blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("văn bản pháp lý")
        verbose_name_plural = _("văn bản pháp lý")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class LegalBasis(models.Model):
    """A version's citation of a legal document, in the order the source lists them."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases")
    document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="citations")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "order"]


class VersionAgency(models.Model):
    """An agency named by a version in one role, with the text as published and the agency if known."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="agencies")
    role = models.CharField(_("vai trò"), max_length=12, choices=AgencyRole.choices)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("tên (nguyên văn)"), max_length=500)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["version", "role", "order"]


class SearchDocument(models.Model):
    """The searchable, facetable projection of a procedure's current version (one row per procedure).

    Kept in step by `catalog.services` whenever a version is published. The full-text index over
    it is backend-specific (FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL): see catalog/search.py.
    """

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="search_document")
    version = models.OneToOneField(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40, db_index=True)
    name = models.TextField()
    name_folded = models.TextField()
    # Folded text of the name, domain, agencies, results and components: what a query can match.
    body_folded = models.TextField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, db_index=True)
    level_ministry = models.BooleanField(default=False)
    level_province = models.BooleanField(default=False)
    level_district = models.BooleanField(default=False)
    level_commune = models.BooleanField(default=False)
    domain = models.ForeignKey(Domain, null=True, on_delete=models.SET_NULL, related_name="+")
    issuing_agency = models.ForeignKey(Agency, null=True, on_delete=models.SET_NULL, related_name="+")
    online_service = models.CharField(max_length=10, choices=OnlineService.choices, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "domain"]),
            models.Index(fields=["status", "issuing_agency"]),
        ]

    LEVEL_FIELDS = {
        Level.MINISTRY: "level_ministry",
        Level.PROVINCE: "level_province",
        Level.DISTRICT: "level_district",
        Level.COMMUNE: "level_commune",
    }
