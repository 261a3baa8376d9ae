"""Personas and helpers for dossier tests: real agencies of Tây Ninh, officials with roles."""

from decimal import Decimal

from django.contrib.auth.models import User

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.models import Procedure
from motcua.dossiers.services import ComponentInput, receive_at_counter
from motcua.units.models import Agency

COMMUNE = "000.21.31.H53"  # UBND Xã An Thạnh, huyện Bến Cầu (real organ code)
SOCIAL_INSURANCE = "000.00.80.G24"  # Bảo hiểm xã hội tỉnh Tây Ninh
JUSTICE = "000.00.14.H53"  # Sở Tư pháp Tây Ninh


def agency(code: str) -> Agency:
    return Agency.objects.get(organ_code=code)


def official(username: str, code: str, *roles: str) -> User:
    user = User.objects.create_user(username, password="mat-khau-du-dai-2026")
    for role in roles:
        StaffMembership.objects.create(user=user, agency=agency(code), role=role)
    return user


class Personas:
    """Officials of the commune (all roles), of the provincial social insurance, and of another agency."""

    def __init__(self):
        self.reception = official("tiepnhan", COMMUNE, Role.RECEPTION)
        self.specialist = official("chuyenvien", COMMUNE, Role.SPECIALIST)
        self.approver = official("lanhdao", COMMUNE, Role.APPROVER)
        self.insurance = official("bhxh", SOCIAL_INSURANCE, Role.SPECIALIST)
        self.outsider = official("sotuphap", JUSTICE, Role.RECEPTION, Role.SPECIALIST, Role.APPROVER)


APPLICANT = {
    "full_name": "Nguyễn Thị Hồng Nhung",
    "id_number": "072190001234",
    "phone": "0912345678",
    "email": "nhung@example.vn",
    "address": "Ấp Thạnh Hiệp, xã An Thạnh",
}


def receive(personas: Personas, code: str = "1.001193", at=None, limit=(Decimal(3), "working_day"), **kw):
    version = Procedure.objects.get(code=code).current_version
    components = [ComponentInput(name="Tờ khai đăng ký khai sinh", originals=1),
                  ComponentInput(name="Giấy chứng sinh", originals=1)]
    return receive_at_counter(version=version, agency=agency(COMMUNE), applicant=dict(APPLICANT),
                              components=components, actor=personas.reception, at=at, time_limit=limit, **kw)
