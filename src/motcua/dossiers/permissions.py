"""Object-level rules: an official sees and acts only on dossiers of their agency and role."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.accounts.models import StaffMembership
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.workflow import Action


def roles_by_agency(user) -> dict[int, set[str]]:
    """Every agency where the user holds an active membership, with the roles there (cached on
    the user object for the request)."""
    cache = getattr(user, "_motcua_roles", None)
    if cache is None:
        cache = {}
        for agency, role in StaffMembership.objects.filter(user=user, active=True).values_list("agency_id", "role"):
            cache.setdefault(agency, set()).add(role)
        user._motcua_roles = cache
    return cache


def roles_at(user, agency_id: int) -> set[str]:
    """The roles a user holds at an agency."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return roles_by_agency(user).get(agency_id, set())


def is_official(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and roles_by_agency(user))


def is_applicant(user, dossier: Dossier) -> bool:
    return bool(getattr(user, "is_authenticated", False) and dossier.applicant.user_id == user.pk)


def visible_dossiers(user, agency_id: int | None = None) -> QuerySet[Dossier]:
    """Dossiers an official may see: received by their agency, or with a step at their agency.

    `agency_id` narrows to one of the user's agencies. A step at my agency of a dossier that
    another agency received is an inter-agency step (DossierStep.is_interagency), and most
    agencies have none: then the condition is a plain `receiving_agency IN (…)`, which the queue
    indexes answer a page at a time in order. An OR with the steps would make PostgreSQL read
    every open dossier instead (2–3 s at 1M dossiers: docs/benchmarks.md, Back office).
    """
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    agencies = sorted(roles_by_agency(user))
    if agency_id is not None:
        agencies = [a for a in agencies if a == agency_id]
    if not agencies:
        return Dossier.objects.none()
    condition = Q(receiving_agency_id__in=agencies)
    interagency = DossierStep.objects.filter(agency_id__in=agencies, is_interagency=True)
    if interagency.exists():
        condition |= Exists(interagency.filter(dossier=OuterRef("pk")))
    return Dossier.objects.filter(condition)


def can_view(user, dossier: Dossier) -> bool:
    if is_applicant(user, dossier):
        return True
    if roles_at(user, dossier.receiving_agency_id):
        return True
    return any(roles_at(user, step.agency_id) for step in dossier.steps.all())


def acting_agency_id(action: Action, dossier: Dossier) -> int:
    """The agency whose officials take this action now: the current step's for step work, else the receiver."""
    if action.key == "complete_step" and dossier.current_step_id:
        return dossier.current_step.agency_id
    if action.key in {"request_supplement", "request_payment", "confirm_payment", "apologize", "stop"} and \
            dossier.current_step_id:
        return dossier.current_step.agency_id
    return dossier.receiving_agency_id


def can_act(user, action: Action, dossier: Dossier) -> bool:
    if action.applicant_may and is_applicant(user, dossier):
        return True
    roles = roles_at(user, acting_agency_id(action, dossier))
    if action.key == "complete_step" and dossier.current_step_id:
        return dossier.current_step.role in roles
    return bool(roles & action.roles)
