"""Who may open the dossiers behind a figure: an official with a role at an agency in the scope."""

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership


def can_drill_down(user, agency_ids: set[int] | None) -> bool:
    """`agency_ids` None is the national scope: system administrators only."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    memberships = StaffMembership.objects.filter(user=user, active=True)
    if memberships.filter(role=Role.SYSTEM_ADMIN).exists():
        return True
    if agency_ids is None:
        return False
    return memberships.filter(agency_id__in=agency_ids).exists()
