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

