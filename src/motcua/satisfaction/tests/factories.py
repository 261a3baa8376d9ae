"""Dossiers in the states these tests need, written directly (the workflow is tested in dossiers)."""

import itertools
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from motcua.accounts.models import StaffMembership
from motcua.catalog.models import Procedure
from motcua.dossiers.choices import STAGE_STATUS, TERMINAL_STAGES, Channel, Stage
from motcua.dossiers.models import Applicant, Dossier
from motcua.units.models import Agency

COMMUNE = "000.21.31.H53"  # UBND Xã An Thạnh, huyện Bến Cầu, Tây Ninh (2004 list) → Tây Ninh (80) since 2025
JUSTICE = "000.00.14.H53"  # Sở Tư pháp Tây Ninh (province level)
PHONE = "0912345678"
_numbers = itertools.count(1)


def agency(code: str) -> Agency:
    return Agency.objects.get(organ_code=code)


def hanoi_committee() -> Agency:
    return Agency.objects.get(unit__edition="2025", unit__level="province", unit__code="01", level="province")


def official(username: str, agency_obj: Agency, *roles: str) -> User:
    user = User.objects.create_user(username, password="mat-khau-du-dai-2026")
    for role in roles:
        StaffMembership.objects.create(user=user, agency=agency_obj, role=role)
    return user


def dossier(*, agency_obj: Agency | None = None, stage: str = Stage.RETURNED, channel: str = Channel.IN_PERSON,
            at: datetime | None = None, phone: str = PHONE, email: str = "", user=None) -> Dossier:
    at = at or timezone.now()
    n = next(_numbers)
    applicant = Applicant.objects.create(full_name="Trần Văn Bình", phone=phone, email=email, user=user)
    ended = stage in TERMINAL_STAGES
    return Dossier.objects.create(
        code=f"H53.99-260101-{n:04d}", procedure_version=Procedure.objects.get(code="1.001193").current_version,
        receiving_agency=agency_obj or agency(COMMUNE), applicant=applicant, channel=channel, stage=stage,
        status=STAGE_STATUS[stage], submitted_at=at, received_at=at,
        returned_at=at if stage == Stage.RETURNED else None, closed_at=at if ended else None,
    )
