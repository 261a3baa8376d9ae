"""Who may act where: officials' memberships of agencies with a role.

Users are Django's `auth.User`; what a person may do is given by memberships, not by the user row,
so an official of two agencies (a concurrent post) holds two memberships. A national identity
provider (OpenID Connect) can later create the same users without touching these tables.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import Role
from motcua.units.models import Agency


class StaffMembership(models.Model):
    """An official's role in one agency (or one department, an agency whose parent is the agency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships",
                               verbose_name=_("cơ quan"))
    role = models.CharField(_("vai trò"), max_length=14, choices=Role.choices)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class ApiToken(models.Model):
    """A key an official or a connected system sends to the API as `Authorization: Bearer <key>`.

    Only the SHA-256 of the key is kept: a copy of the database gives no working key, and the key
    is shown once, when it is created. A fast hash is enough (no salt, no PBKDF2) because the key
    is 256 random bits, not a password a person chose: there is no dictionary to try.
    """

    KEY_PREFIX = "mc_"
    # Writing last_used_at on every request would double the writes of a busy client for a
    # value people read in days; once a minute tells them just as well which keys are alive.
    TOUCH_EVERY_SECONDS = 60

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên khóa"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, shown in lists so an owner can tell which key is which.
    prefix = models.CharField(_("đầu khóa"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name}, {self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token for `user` and its key (the only time the key is known)."""
        key = cls.KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name.strip() or "API", key_hash=cls.hash_key(key),
                                   prefix=key[:10])
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        """The active user holding this unrevoked key, or None (one query; a write once a minute)."""
        if not key.startswith(cls.KEY_PREFIX) or len(key) > 100:
            return None
        token = (cls.objects.select_related("user")
                 .filter(key_hash=cls.hash_key(key), revoked_at__isnull=True, user__is_active=True).first())
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > cls.TOUCH_EVERY_SECONDS:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
