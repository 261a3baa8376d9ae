"""Django admin for agency administrators: write a form's JSON, preview it, publish it, revise it.

The admin follows the same rule as the model: an unpublished revision is edited freely; a
published one is shown read-only, with a button that copies it into a new revision to edit.
Every save checks both JSON documents and shows what is wrong in Vietnamese, at the field.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Procedure
from motcua.dossiers.errors import InvalidInputError
from motcua.eforms import services, views
from motcua.eforms.definition import definition_errors
from motcua.eforms.models import Draft, EForm


class PrettyJSONField(forms.JSONField):
    """JSON shown indented and with Vietnamese as typed (not \\u escapes), so it can be edited by hand."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("Không đọc được JSON: kiểm tra dấu ngoặc, dấu phẩy và dấu nháy kép.")
            ) from error


class EFormAdminForm(forms.ModelForm):
    procedure_code = forms.CharField(
        label=gettext_lazy("Mã thủ tục"), max_length=40,
        help_text=gettext_lazy("Mã trong Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001193."),
    )
    schema = PrettyJSONField(label=gettext_lazy("Lược đồ dữ liệu (JSON Schema 2020-12)"), widget=forms.Textarea(
        attrs={"rows": 30, "cols": 100, "class": "vLargeTextField", "spellcheck": "false",
               "style": "font-family: monospace"}))
    ui = PrettyJSONField(label=gettext_lazy("Giao diện (mục, nhãn, kiểu nhập)"), widget=forms.Textarea(
        attrs={"rows": 30, "cols": 100, "class": "vLargeTextField", "spellcheck": "false",
               "style": "font-family: monospace"}))

    class Meta:
        model = EForm
        fields = ["procedure_code", "title", "valid_from", "legal_source", "schema", "ui", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["procedure_code"].initial = self.instance.procedure.code
            self.fields["procedure_code"].disabled = True  # a revision stays with its procedure

    def clean_procedure_code(self):
        code = self.cleaned_data["procedure_code"].strip()
        if self.instance.pk:
            return self.instance.procedure.code
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(_("Không có thủ tục mã “%(code)s” trong cơ sở dữ liệu.") % {"code": code})
        self.procedure = procedure
        return code

    def clean(self):
        cleaned = super().clean()
        if "schema" in cleaned and "ui" in cleaned:
            for key, problems in definition_errors(cleaned["schema"], cleaned["ui"]).items():
                self.add_error(key, problems)
        return cleaned


@admin.register(EForm)
class EFormAdmin(admin.ModelAdmin):
    form = EFormAdminForm
    list_display = ["procedure_code", "title", "version", "valid_from", "published", "preview_link"]
    list_filter = ["published"]
    search_fields = ["procedure__code", "title", "legal_source"]
    list_select_related = ["procedure"]
    ordering = ["procedure__code", "-version"]
    actions = ["publish_selected", "revise_selected"]
    readonly_fields_published = ["procedure", "version", "title", "valid_from", "legal_source", "schema_text",
                                 "ui_text", "published", "published_at", "created_by", "note", "preview_link"]

    @admin.display(description=gettext_lazy("Mã thủ tục"), ordering="procedure__code")
    def procedure_code(self, obj):
        return obj.procedure.code

    @admin.display(description=gettext_lazy("Xem trước"))
    def preview_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:eforms_eform_preview", args=[obj.pk]),
                           _("Xem trước tờ khai"))

    @admin.display(description=gettext_lazy("Lược đồ dữ liệu"))
    def schema_text(self, obj):
        return format_html("<pre style='white-space: pre-wrap'>{}</pre>", json.dumps(obj.schema, ensure_ascii=False, indent=2))

    @admin.display(description=gettext_lazy("Giao diện"))
    def ui_text(self, obj):
        return format_html("<pre style='white-space: pre-wrap'>{}</pre>", json.dumps(obj.ui, ensure_ascii=False, indent=2))

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields_published if obj is not None and obj.published else ["preview_link"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.published:
            return self.readonly_fields_published
        return ["procedure_code", "title", "valid_from", "legal_source", "schema", "ui", "note", "preview_link"]

    def has_change_permission(self, request, obj=None):
        # A published form is shown read-only: the way to change it is a new revision.
        return super().has_change_permission(request, obj) and not (obj is not None and obj.published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.published)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        created = services.create_eform(
            procedure=form.procedure, title=obj.title, valid_from=obj.valid_from, legal_source=obj.legal_source,
            schema=obj.schema, ui=obj.ui, created_by=request.user, note=obj.note,
        )
        obj.pk, obj.version, obj.procedure = created.pk, created.version, created.procedure

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/xem-truoc/", wrap(self.preview_view), name="eforms_eform_preview"),
            path("<int:pk>/cong-bo/", wrap(self.publish_view), name="eforms_eform_publish"),
            path("<int:pk>/sua-doi/", wrap(self.revise_view), name="eforms_eform_revise"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context.update(eform=obj, can_publish=self.has_change_permission(request, obj),
                                 can_revise=self.has_add_permission(request))
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_view(self, request: HttpRequest, pk: int):
        eform = get_object_or_404(EForm, pk=pk)
        if not self.has_view_permission(request, eform):
            raise PermissionDenied
        return views.preview(request, eform, admin_context=self.admin_site.each_context(request))

    def publish_view(self, request: HttpRequest, pk: int):
        eform = get_object_or_404(EForm, pk=pk)
        if request.method == "POST" and self.has_change_permission(request, eform):
            self._publish(request, eform)
        return HttpResponseRedirect(reverse("admin:eforms_eform_change", args=[pk]))

    def revise_view(self, request: HttpRequest, pk: int):
        eform = get_object_or_404(EForm, pk=pk)
        if request.method != "POST" or not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:eforms_eform_change", args=[pk]))
        revision = services.new_revision(eform, created_by=request.user)
        self.message_user(request, _("Đã tạo lần ban hành %(n)d (chưa công bố) để sửa.") % {"n": revision.version})
        return HttpResponseRedirect(reverse("admin:eforms_eform_change", args=[revision.pk]))

    def _publish(self, request, eform: EForm) -> bool:
        try:
            services.publish(eform)
        except InvalidInputError as error:
            self.message_user(request, _("Chưa công bố “%(form)s”: %(problem)s") % {"form": eform, "problem": error.message},
                              messages.ERROR)
            return False
        self.message_user(request, _("Đã công bố “%(form)s”; từ nay tờ khai này không sửa được nữa.") % {"form": eform})
        return True

    @admin.action(description=gettext_lazy("Công bố các tờ khai đã chọn"))
    def publish_selected(self, request, queryset):
        for eform in queryset.filter(published=False):
            if self.has_change_permission(request, eform):
                self._publish(request, eform)

    @admin.action(description=gettext_lazy("Tạo lần ban hành mới (để sửa) từ các tờ khai đã chọn"))
    def revise_selected(self, request, queryset):
        for eform in queryset:
            revision = services.new_revision(eform, created_by=request.user)
            self.message_user(request, _("Đã tạo “%(form)s”.") % {"form": revision})


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """Read-only: support staff may see that a draft exists, never change what a citizen typed."""

    list_display = ["user", "eform", "updated_at"]
    list_select_related = ["user", "eform__procedure"]
    readonly_fields = ["user", "eform", "data", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
