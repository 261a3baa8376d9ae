"""Administrative units (đơn vị hành chính) and agencies (cơ quan) with their state-issued codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.lib.text import fold
from motcua.units.choices import AgencyLevel, Edition, SuccessionKind, UnitLevel
from motcua.units.codes import ORGAN_CODE_RE, validate_organ_code

__all__ = ["ORGAN_CODE_RE", "AdministrativeUnit", "Agency", "UnitSuccession", "validate_organ_code"]


class AdministrativeUnit(models.Model):
    """A province, district or commune as one code list defines it, with its validity period.

    A code is stored with its edition: the same 5-digit commune code can name one commune before
    1 July 2025 and another after (shared/data/README.md, admin_units).
    """

    edition = models.CharField(_("danh mục"), max_length=4, choices=Edition.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=200)
    unit_type = models.CharField(_("loại"), max_length=60, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200, blank=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["edition", "level", "code"], name="unit_code_unique_per_edition"),
        ]
        indexes = [models.Index(fields=["level", "code"])]
        ordering = ["edition", "level", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class UnitSuccession(models.Model):
    """One row of the official old→new conversion table (NSO Bảng chuyển đổi ĐVHC mới – cũ)."""

    old_unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="successors")
    new_unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="predecessors")
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    note = models.CharField(_("ghi chú"), max_length=120, blank=True, help_text=_("Nguyên văn bảng chuyển đổi"))
    effective_on = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="unit_succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit} ({self.get_kind_display()})"


class Agency(models.Model):
    """A state body (cơ quan) that receives or decides on procedures, with its organ code when known."""

    organ_code = models.CharField(
        _("mã định danh"), max_length=13, null=True, blank=True, unique=True, validators=[validate_organ_code]
    )
    name = models.CharField(_("tên cơ quan"), max_length=300)
    level = models.CharField(_("cấp"), max_length=10, choices=AgencyLevel.choices, default=AgencyLevel.OTHER)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    unit = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies",
        verbose_name=_("địa bàn"),
    )
    slug = models.SlugField(max_length=120, unique=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=200, blank=True)
    # A body merged away (e.g. Bộ Giao thông vận tải → Bộ Xây dựng, 1 March 2025) keeps its row and
    # its organ code, closed by valid_to, and points to the body that took over its duties.
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors",
        verbose_name=_("cơ quan kế thừa"),
    )
    name_folded = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["organ_code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organ_code})" if self.organ_code else self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)
