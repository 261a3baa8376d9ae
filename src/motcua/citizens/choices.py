from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileKind(models.TextChoices):
    """Who holds the account. The values are those of dossiers.ApplicantKind, so a profile prefills an applicant."""

    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class AttemptOutcome(models.TextChoices):
    SUCCESS = "success", _("Thành công")
    FAILURE = "failure", _("Sai thông tin")
    # Refused without checking the password, because of too many recent failures.
    BLOCKED = "blocked", _("Bị chặn tạm thời")
