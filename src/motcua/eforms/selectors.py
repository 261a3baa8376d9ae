"""Reads of e-forms: which form applies to a procedure on a day, and what the profile can prefill."""

from datetime import date

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from motcua.eforms.models import EForm
from motcua.units.choices import Edition


def eform_for(procedure, on: date | None = None) -> EForm | None:
    """The published form a dossier filed on `on` (today by default) is declared on, or None.

    The form is attached to the procedure, not to one catalogue version, so it applies to
    whichever version is current at submission. A localised procedure (1.001193.H26) without a
    form of its own uses the form of the central procedure it was localised from.
    """
    on = on or timezone.localdate()
    while procedure is not None:
        found = (EForm.objects.select_related("procedure")
                 .filter(procedure=procedure, published=True, valid_from__lte=on)
                 .order_by("-valid_from", "-version").first())
        if found is not None:
            return found
        procedure = procedure.template if procedure.template_id else None
    return None


def eform_for_code(code: str, on: date | None = None) -> EForm | None:
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.select_related("template").filter(code=code).first()
    return eform_for(procedure, on) if procedure else None


def profile_values(user) -> dict[str, str]:
    """What a signed-in person's profile can prefill, keyed by prefill source ("profile.full_name").

    Sources, first found wins for each value: the citizen profile (citizens.CitizenProfile, when
    that app is installed), then what the person declared as applicant on their latest dossier
    (dossiers.Applicant, a snapshot), then the account itself (name, e-mail). Nothing is
    invented: a source without a value is left out, and the field starts empty.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    values: dict[str, str] = {}

    def offer(source: str, value) -> None:
        if value and not values.get(source):
            values[source] = value.isoformat() if isinstance(value, date) else str(value)

    for record in (_citizen_profile(user), _latest_applicant(user)):
        if record is None:
            continue
        unit = getattr(record, "unit", None)
        offer("profile.full_name", getattr(record, "full_name", ""))
        offer("profile.id_number", getattr(record, "id_number", ""))
        offer("profile.tax_code", getattr(record, "tax_code", ""))
        offer("profile.date_of_birth", getattr(record, "date_of_birth", None))
        offer("profile.phone", getattr(record, "phone", ""))
        offer("profile.email", getattr(record, "email", ""))
        offer("profile.address", getattr(record, "address_line", "") or getattr(record, "address", ""))
        # Only a unit of the current list can fill a unit picker (it offers 2025 units only).
        offer("profile.unit_code", unit.code if unit is not None and unit.edition == Edition.CURRENT else "")
    offer("profile.full_name", _account_name(user))
    offer("profile.email", user.email)
    return values


def _citizen_profile(user):
    if not apps.is_installed("motcua.citizens"):
        return None
    try:
        return user.citizen_profile
    except ObjectDoesNotExist:
        return None


def _latest_applicant(user):
    from motcua.dossiers.models import Applicant

    return Applicant.objects.filter(user=user).select_related("unit").order_by("-pk").first()


def _account_name(user) -> str:
    # Vietnamese order: family name first (the back office prints "last first" the same way).
    return f"{user.last_name} {user.first_name}".strip()
