"""Accounts of citizens and organisations on the public portal.

A citizen is Django's `auth.User` (the e-mail address is the login) with one `CitizenProfile`:
what the person or organisation declares about themselves, used to prefill applications. How the
person proved who they are (a password here, or an external identity provider such as the
national VNeID platform) is kept apart, in `ExternalIdentity`: the dossier code only ever sees
`request.user` and the profile. See docs/citizens.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.citizens.choices import AttemptOutcome, ProfileKind
from motcua.units.choices import Edition, UnitLevel
from motcua.units.models import AdministrativeUnit


class CitizenProfile(models.Model):
    """What a citizen or an organisation declares about itself. Rules live in citizens.services."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile")
    kind = models.CharField(_("loại tài khoản"), max_length=12, choices=ProfileKind.choices,
                            default=ProfileKind.PERSON)
    # For an organisation: the person who acts for it on the portal.
    full_name = models.CharField(_("họ và tên"), max_length=100)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=11, blank=True)
    address_line = models.CharField(_("số nhà, đường, thôn/tổ dân phố"), max_length=200, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("xã/phường/đặc khu"),
        # Addresses are kept in the current list only; services check it, this limits the admin's picker.
        limit_choices_to={"edition": Edition.CURRENT, "level": UnitLevel.COMMUNE},
    )
    organisation_name = models.CharField(_("tên tổ chức"), max_length=200, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    email_verified_at = models.DateTimeField(_("xác thực e-mail lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ tài khoản công dân")
        verbose_name_plural = _("hồ sơ tài khoản công dân")
        constraints = [
            # One account per person number; blank means "not declared", which many may share.
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""),
                                    name="citizen_profile_id_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=ProfileKind.values), name="citizen_profile_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.organisation_name if self.kind == ProfileKind.ORGANISATION else self.full_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class ExternalIdentity(models.Model):
    """A login at an external identity provider (OpenID Connect: issuer's key + `sub`) linked to a user.

    `provider` is this site's short name for the provider ("vneid"); `subject` is the provider's
    stable identifier of the person (the `sub` claim), never the e-mail, which can change.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField(_("nhà cung cấp định danh"), max_length=50)
    subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255)
    # The claims of the latest login, as the provider sent them: which data came from the provider.
    claims = models.JSONField(_("thông tin nhà cung cấp gửi"), default=dict, blank=True)
    linked_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("đăng nhập lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("định danh bên ngoài")
        verbose_name_plural = _("định danh bên ngoài")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject} → {self.user}"


class LoginAttempt(models.Model):
    """One login attempt on the portal, for rate limiting (citizens.throttle).

    A table rather than the cache: it is shared by every web process on every backend without
    extra infrastructure (the default cache is per process). Rows are kept only for
    `throttle.RETENTION` and hold what was typed as e-mail (normalised), never a password.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    email = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=AttemptOutcome.choices)

    class Meta:
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lần đăng nhập")
        indexes = [
            models.Index(fields=["email", "at"], name="login_attempt_email_at"),
            models.Index(fields=["ip", "at"], name="login_attempt_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email} {self.ip} {self.outcome}"
