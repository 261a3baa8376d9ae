"""Who is at the desk: the official's memberships and the agency they work for right now.

Every back-office view is wrapped by `official_required`: an anonymous visitor is sent to the
login page; a signed-in user without an active membership gets a 403 page. What an official may
see or do with one dossier is decided by `dossiers.permissions` (object level), never here.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.units.models import Agency

SESSION_AGENCY = "backoffice_agency_id"


@dataclass
class Office:
    """The signed-in official's memberships and the agency the pages are scoped to."""

    agency: Agency
    agencies: list[Agency]
    roles_by_agency: dict[int, set[str]] = field(default_factory=dict)

    @property
    def roles(self) -> set[str]:
        """Roles at the current agency."""
        return self.roles_by_agency.get(self.agency.pk, set())

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.roles]

    @property
    def is_reception(self) -> bool:
        return Role.RECEPTION in self.roles


def office_for(request) -> Office | None:
    """The official's office for this request, or None when they hold no active membership."""
    rows = list(
        StaffMembership.objects.filter(user=request.user, active=True)
        .select_related("agency").order_by("agency__name", "role")
    )
    if not rows:
        return None
    roles: dict[int, set[str]] = {}
    agencies: dict[int, Agency] = {}
    for row in rows:
        roles.setdefault(row.agency_id, set()).add(row.role)
        agencies.setdefault(row.agency_id, row.agency)
    chosen = request.session.get(SESSION_AGENCY)
    current = agencies.get(chosen) or next(iter(agencies.values()))
    return Office(agency=current, agencies=list(agencies.values()), roles_by_agency=roles)


def forbidden(request, message: str, status: int = 403):
    return render(request, "backoffice/forbidden.html", {"message": message}, status=status)


def official_required(view):
    """Login AND an active staff membership; sets `request.office`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
        office = office_for(request)
        if office is None:
            return forbidden(request, _("Tài khoản của bạn chưa được phân công vào cơ quan nào, nên chưa dùng được "
                                        "phần mềm một cửa. Hãy liên hệ quản trị viên của cơ quan."))
        request.office = office
        return view(request, *args, **kwargs)

    return wrapper
