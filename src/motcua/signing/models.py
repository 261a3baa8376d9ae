"""Agencies' signing certificates, the CA certificates trusted for verification, and signed results.

Private keys are not stored here: `AgencyCertificate.key_location` points at an encrypted key file
under MOTCUA_PKI_DIR (signing/pki.py), so a database dump never carries a signing key.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.units.models import Agency


class TrustAnchor(models.Model):
    """A CA certificate whose signatures verification trusts: the national root CA, or the development CA."""

    name = models.CharField(_("tên"), max_length=200)
    certificate_pem = models.TextField(_("chứng thư số CA (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    # The development CA signs only demo documents: verification says so in its verdict.
    is_development = models.BooleanField(_("CA phát triển (không có giá trị pháp lý)"), default=False)
    active = models.BooleanField(_("đang tin cậy"), default=True)
    added_at = models.DateTimeField(_("thời điểm thêm"), auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("CA tin cậy")
        verbose_name_plural = _("CA tin cậy")
        ordering = ["-active", "name"]

    def __str__(self) -> str:
        return self.name


class AgencyCertificate(models.Model):
    """An agency's signing certificate (the organisation's seal signature) and where its key is kept."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signing_certificates",
                               verbose_name=_("cơ quan"))
    certificate_pem = models.TextField(_("chứng thư số (PEM)"))
    # The issuing CA's certificates, embedded in each signature so a verifier needs only the root.
    chain_pem = models.TextField(_("chuỗi chứng thư của CA (PEM)"), blank=True)
    serial = models.CharField(_("số hiệu"), max_length=64)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    # "file:<path under MOTCUA_PKI_DIR>" for a PKCS#12 file encrypted with MOTCUA_SIGNING_KEY_PASSPHRASE.
    key_location = models.CharField(_("nơi lưu khóa bí mật"), max_length=300)
    created_at = models.DateTimeField(_("thời điểm cấp"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")
        ordering = ["agency", "-not_before"]
        indexes = [models.Index(fields=["agency", "revoked_at", "not_after"])]

    def __str__(self) -> str:
        return f"{self.agency} — {self.serial}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.not_before <= at < self.not_after


class SignedResult(models.Model):
    """A result document as issued: the signed PDF, its hash, who signed it and with which certificate."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="signed_results",
                                verbose_name=_("hồ sơ"))
    file = models.FileField(_("tệp kết quả đã ký"), upload_to="results/%Y/%m/")
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    signed_at = models.DateTimeField(_("thời điểm ký"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signed_results",
                               verbose_name=_("cơ quan ký"))
    certificate = models.ForeignKey(AgencyCertificate, on_delete=models.PROTECT, related_name="signed_results",
                                    verbose_name=_("chứng thư số"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("người ký"))
    # The signer's name as printed in the signature box, kept if the account is later removed.
    signer_name = models.CharField(_("tên người ký"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kết quả đã ký số")
        verbose_name_plural = _("kết quả đã ký số")
        ordering = ["dossier", "-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.signed_at:%d/%m/%Y %H:%M}"
