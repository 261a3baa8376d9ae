"""Officials of real Tây Ninh agencies (dossiers/tests/factories.py) and helpers to act as them."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.dossiers.models import WorkflowStepTemplate, WorkflowTemplate
from motcua.dossiers.tests.factories import SOCIAL_INSURANCE, Personas, agency, receive

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh: its catalogue time limit ("1") has no unit


@pytest.fixture
def people(db):
    people = Personas()
    people.nobody = User.objects.create_user("khongvaitro", password="mat-khau-du-dai-2026")
    return people


@pytest.fixture
def as_user(client):
    """Log the test client in as a user; returns the client."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def dossier(people):
    """A birth registration received at UBND Xã An Thạnh, 3 working days."""
    return receive(people, limit=(Decimal(3), "working_day"))


@pytest.fixture
def interagency_workflow(db):
    """The commune's birth registration with a step at BHXH tỉnh Tây Ninh (health insurance card, liên thông)."""
    procedure = Procedure.objects.get(code=BIRTH)
    workflow = WorkflowTemplate.objects.create(procedure=procedure, legal_source="Quy trình nội bộ (thử nghiệm)")
    steps = [
        ("reception", "Tiếp nhận hồ sơ", None, Role.RECEPTION, 0),
        ("specialist", "Thẩm định hồ sơ đăng ký khai sinh", None, Role.SPECIALIST, 40),
        ("interagency", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi", agency(SOCIAL_INSURANCE), Role.SPECIALIST, 40),
        ("approval", "Phê duyệt, ký giấy khai sinh", None, Role.APPROVER, 20),
        ("handover", "Trả kết quả cho công dân", None, Role.RECEPTION, 0),
    ]
    for order, (kind, name, where, role, share) in enumerate(steps, start=1):
        WorkflowStepTemplate.objects.create(workflow=workflow, order=order, kind=kind, name=name, agency=where,
                                            role=role, share_percent=Decimal(share))
    return workflow


def reception_data(**overrides) -> dict:
    """What the reception form posts for a complete birth registration at the counter."""
    version = Procedure.objects.get(code=BIRTH).current_version
    data = {
        "token": uuid.uuid4().hex,
        "version": version.pk,
        "kind": "person",
        "full_name": "Nguyễn Thị Hồng Nhung",
        "id_number": "072190001234",
        "date_of_birth": "1990-05-17",
        "phone": "0912345678",
        "email": "nhung@example.vn",
        "address": "Ấp Thạnh Hiệp, xã An Thạnh",
        "channel": "in_person",
        "time_limit_value": "3",
        "time_limit_unit": "working_day",
        "khac-ten": ["Bản sao giấy chứng nhận kết hôn của cha mẹ", ""],
        "khac-chinh": ["0", "1"],
        "khac-sao": ["1", "0"],
    }
    for component in version.components.all():
        if component.required and (component.originals or component.copies):
            data[f"tp-{component.pk}-nhan"] = "1"
            data[f"tp-{component.pk}-chinh"] = str(component.originals or 0)
            data[f"tp-{component.pk}-sao"] = str(component.copies or 0)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def action_data(dossier, action: str, **fields) -> dict:
    """The POST of one action form of the dossier page (prefix = the action's key)."""
    data = {f"{action}-expected_version": dossier.version, f"{action}-token": uuid.uuid4().hex}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return data
