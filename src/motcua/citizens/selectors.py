"""Reads of citizens' accounts for the rest of the platform: the profile, what it prefills, masking.

Dossier and e-form code uses these with `request.user`, whatever way the person logged in.
"""

from motcua.citizens.choices import ProfileKind
from motcua.citizens.models import CitizenProfile

# Shown in lists: enough to tell one's own number from another, not enough to reuse it.
VISIBLE_ID_DIGITS = 3
LOGIN_METHOD_SESSION_KEY = "motcua_login_method"


def get_profile(user) -> CitizenProfile | None:
    """The citizen profile of a signed-in user; None for anonymous visitors and officials."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.citizen_profile
    except CitizenProfile.DoesNotExist:
        return None


def can_submit_dossiers(user) -> bool:
    """A citizen whose e-mail address is verified: results and requests reach them by e-mail."""
    profile = get_profile(user)
    return bool(profile and profile.email_verified and user.is_active)


def login_method(request) -> str:
    """How this session was opened ("password", or an identity provider's name); "" if unknown.

    For display and audit only. Permissions never depend on it: the dossier code sees the user.
    """
    return request.session.get(LOGIN_METHOD_SESSION_KEY, "")


def full_address(profile: CitizenProfile) -> str:
    """Street line, commune, province: the address as written on Vietnamese forms."""
    parts = [profile.address_line]
    if profile.unit_id:
        parts.append(profile.unit.name)
        if profile.unit.parent_id:
            parts.append(profile.unit.parent.name)
    return ", ".join(p for p in parts if p)


def profile_prefill(user) -> dict[str, str]:
    """What an e-form can prefill from the signed-in person's profile; {} without a profile.

    Every value is a string, "" when not declared (dates in ISO yyyy-mm-dd, as e-form answers keep
    them). `applicant_name` is the organisation's name for an organisation's account and the
    person's name otherwise, as dossiers.Applicant.full_name expects.
    """
    profile = get_profile(user)
    if profile is None:
        return {}
    if profile.unit_id:
        profile = CitizenProfile.objects.select_related("unit", "unit__parent").get(pk=profile.pk)
    organisation = profile.kind == ProfileKind.ORGANISATION
    return {
        "kind": profile.kind,
        "applicant_name": profile.organisation_name if organisation else profile.full_name,
        "full_name": profile.full_name,
        "date_of_birth": profile.date_of_birth.isoformat() if profile.date_of_birth else "",
        "id_number": profile.id_number,
        "phone": profile.phone,
        "email": user.email,
        "address_line": profile.address_line,
        "address": full_address(profile),
        "unit_code": profile.unit.code if profile.unit_id else "",
        "unit_name": profile.unit.name if profile.unit_id else "",
        "province_code": profile.unit.parent.code if profile.unit_id and profile.unit.parent_id else "",
        "province_name": profile.unit.parent.name if profile.unit_id and profile.unit.parent_id else "",
        "organisation_name": profile.organisation_name,
        "tax_code": profile.tax_code,
    }


def mask_id_number(id_number: str) -> str:
    """ "072190001234" → "*********234": the last digits only, for lists and e-mails."""
    value = id_number or ""
    if len(value) <= VISIBLE_ID_DIGITS:
        return "*" * len(value)
    return "*" * (len(value) - VISIBLE_ID_DIGITS) + value[-VISIBLE_ID_DIGITS:]
