"""Who may act on a case: officials of the handling agency; publishing also needs a moderator's role."""

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership

MODERATOR_ROLES = {Role.APPROVER, Role.AGENCY_ADMIN}


def roles_at(user, agency_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(StaffMembership.objects.filter(user=user, agency_id=agency_id, active=True)
               .values_list("role", flat=True))


def can_handle(user, case) -> bool:
    """An official with an active membership of the case's handling agency."""
    return bool(roles_at(user, case.agency_id))


def can_moderate(user, case) -> bool:
    """Publishing is a moderation act: a leader or the agency's administrator (edits before it is public)."""
    return bool(roles_at(user, case.agency_id) & MODERATOR_ROLES)


def is_submitter(user, case) -> bool:
    return bool(getattr(user, "is_authenticated", False) and case.submitter_user_id == user.pk)
