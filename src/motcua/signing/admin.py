"""Admin for trust anchors (add the national root CA here), agency certificates and signed results.

Certificates are read-only: they are issued, imported and revoked through `motcua pki`, which keeps
the key files and the audit chain in step. A trust anchor can be added by pasting its PEM.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.signing import pki
from motcua.signing.models import AgencyCertificate, SignedResult, TrustAnchor


class TrustAnchorForm(forms.ModelForm):
    class Meta:
        model = TrustAnchor
        fields = ["name", "certificate_pem", "active", "note"]

    def clean_certificate_pem(self):
        pem = self.cleaned_data["certificate_pem"]
        if self.instance.pk:
            return self.instance.certificate_pem
        try:
            from cryptography import x509

            cert = x509.load_pem_x509_certificate(pem.encode())
            basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        except Exception:
            raise forms.ValidationError(_("Không đọc được chứng thư số CA dạng PEM, hoặc đây không phải chứng thư "
                                          "của tổ chức cấp (CA).")) from None
        if not basic.ca:
            raise forms.ValidationError(_("Đây không phải chứng thư của tổ chức cấp (CA)."))
        if TrustAnchor.objects.filter(fingerprint=pki.fingerprint(cert)).exists():
            raise forms.ValidationError(_("CA này đã có trong danh sách tin cậy."))
        return pem


@admin.register(TrustAnchor)
class TrustAnchorAdmin(admin.ModelAdmin):
    form = TrustAnchorForm
    list_display = ["name", "subject", "not_after", "is_development", "active"]
    list_filter = ["active", "is_development"]
    readonly_fields = ["fingerprint", "subject", "not_before", "not_after", "is_development", "added_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so the anchor's fields come from the certificate and the audit chain records it.
        anchor, _created = pki.add_trust_anchor(form.cleaned_data["certificate_pem"], name=obj.name, note=obj.note,
                                                actor=request.user)
        if anchor.active != obj.active:
            anchor.active = obj.active
            anchor.save(update_fields=["active"])
        obj.pk = obj.id = anchor.pk


@admin.register(AgencyCertificate)
class AgencyCertificateAdmin(admin.ModelAdmin):
    list_display = ["agency", "serial", "not_before", "not_after", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["agency__name", "agency__organ_code", "serial", "fingerprint"]
    readonly_fields = [f.name for f in AgencyCertificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignedResult)
class SignedResultAdmin(admin.ModelAdmin):
    list_display = ["dossier", "agency", "signed_at", "signer_name", "sha256"]
    search_fields = ["dossier__code", "sha256"]
    readonly_fields = [f.name for f in SignedResult._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
