"""E-forms (tờ khai điện tử): the declaration a procedure asks for, as data an administrator edits.

A form is a JSON Schema (Draft 2020-12) that says what a valid declaration is, and a UI document
that says how to ask for it: sections, order, labels in Vietnamese, widgets, help, prefill. The
law sets the content of a tờ khai (a Circular's appendix of forms) and changes it, so a form is
attached to the procedure with the date it applies from and the legal text it follows, and is
never edited once published: a change publishes a new revision, as the catalogue does with
procedure versions. A dossier filed on a day is checked against the revision in force that day.

The format of both documents is in docs/eforms.md; the checks are in eforms/definition.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure


class EForm(models.Model):
    """One revision of a procedure's e-form."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="eforms",
                                  verbose_name=_("thủ tục"))
    version = models.PositiveIntegerField(_("lần ban hành"), help_text=_("1, 2, 3… cho mỗi thủ tục"))
    title = models.CharField(_("tên tờ khai"), max_length=300)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    legal_source = models.CharField(
        _("căn cứ (mẫu tờ khai)"), max_length=500,
        help_text=_("Văn bản quy định mẫu tờ khai, ví dụ: Mẫu CT01 ban hành kèm theo Thông tư số 56/2021/TT-BCA"),
    )
    schema = models.JSONField(_("lược đồ dữ liệu (JSON Schema)"), default=dict)
    ui = models.JSONField(_("giao diện (mục, nhãn, kiểu nhập)"), default=dict)
    published = models.BooleanField(_("đã công bố"), default=False)
    published_at = models.DateTimeField(_("thời điểm công bố"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người soạn"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    note = models.TextField(_("ghi chú sửa đổi"), blank=True)

    class Meta:
        verbose_name = _("tờ khai điện tử")
        verbose_name_plural = _("tờ khai điện tử")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="eform_version_unique"),
        ]
        indexes = [models.Index(fields=["procedure", "published", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} — {self.title} (lần {self.version})"

    def save(self, *args, **kwargs):
        # A published revision is law as the citizen saw it: answers filed under it must stay
        # readable against it. Only an unpublished draft may change.
        if self.pk and EForm.objects.filter(pk=self.pk, published=True).exists():
            raise ValidationError(_("Tờ khai đã công bố không được sửa; hãy tạo lần ban hành mới."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published:
            raise ValidationError(_("Tờ khai đã công bố không được xóa."))
        return super().delete(*args, **kwargs)

    @cached_property
    def definition(self):
        """The parsed form (sections and fields); raises InvalidInputError if schema/ui are wrong."""
        from motcua.eforms.definition import parse_definition

        return parse_definition(self.schema, self.ui)


class Draft(models.Model):
    """A citizen's unfinished answers to a form, kept as typed (not validated until submitted)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eform_drafts")
    eform = models.ForeignKey(EForm, on_delete=models.CASCADE, related_name="drafts")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản nháp tờ khai")
        verbose_name_plural = _("bản nháp tờ khai")
        constraints = [models.UniqueConstraint(fields=["user", "eform"], name="eform_draft_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.eform}"
