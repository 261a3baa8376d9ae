"""Demo accounts and an inter-agency workflow, so a fresh `make demo` can be tried end to end.

Created only by `motcua setup --demo` (which `make demo` runs). The password is printed and the
same for every demo account: never run `--demo` on a production database.
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.models import Procedure
from motcua.dossiers.choices import StepKind
from motcua.dossiers.models import WorkflowStepTemplate, WorkflowTemplate
from motcua.units.models import Agency

DEMO_PASSWORD = "motcua-demo-2026"
COMMUNE = "000.21.31.H53"  # UBND Xã An Thạnh, huyện Bến Cầu, Tây Ninh
SOCIAL_INSURANCE = "000.00.80.G24"  # Bảo hiểm xã hội tỉnh Tây Ninh
ACCOUNTS = [
    ("tiepnhan", "Trần Thị Tiếp Nhận", COMMUNE, Role.RECEPTION),
    ("chuyenvien", "Lê Văn Chuyên", COMMUNE, Role.SPECIALIST),
    ("lanhdao", "Phạm Minh Lãnh", COMMUNE, Role.APPROVER),
    ("bhxh", "Võ Thị Bảo Hiểm", SOCIAL_INSURANCE, Role.SPECIALIST),
]
# Khai sinh – cấp thẻ BHYT cho trẻ dưới 6 tuổi: the classic liên thông group (vn-domain §3.6).
INTERAGENCY_PROCEDURE = "1.001193"


@transaction.atomic
def create_demo() -> list[str]:
    """Create (or reset) the demo officials and the demo inter-agency workflow; returns what to print."""
    lines = []
    for username, full_name, organ_code, role in ACCOUNTS:
        agency = Agency.objects.get(organ_code=organ_code)
        last, _, first = full_name.rpartition(" ")
        user, _created = User.objects.get_or_create(username=username,
                                                    defaults={"first_name": first, "last_name": last})
        user.set_password(DEMO_PASSWORD)
        user.save()
        StaffMembership.objects.get_or_create(user=user, agency=agency, role=role)
        lines.append(f"{username:<11} {role.label} — {agency.name}")
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD)
    lines.append(f"{'admin':<11} Quản trị hệ thống (/admin/)")

    procedure = Procedure.objects.filter(code=INTERAGENCY_PROCEDURE).first()
    if procedure and not WorkflowTemplate.objects.filter(procedure=procedure, agency__isnull=True).exists():
        workflow = WorkflowTemplate.objects.create(procedure=procedure, legal_source="Quy trình mẫu (demo)")
        insurance = Agency.objects.get(organ_code=SOCIAL_INSURANCE)
        steps = [
            (StepKind.RECEPTION, "Tiếp nhận hồ sơ", None, Role.RECEPTION, 0),
            (StepKind.SPECIALIST, "Thẩm định, ghi sổ hộ tịch", None, Role.SPECIALIST, 40),
            (StepKind.INTERAGENCY, "Cấp thẻ BHYT cho trẻ dưới 6 tuổi (liên thông)", insurance, Role.SPECIALIST, 30),
            (StepKind.APPROVAL, "Ký giấy khai sinh", None, Role.APPROVER, 20),
            (StepKind.RESULT, "Chuyển kết quả về bộ phận một cửa", None, Role.RECEPTION, 10),
            (StepKind.HANDOVER, "Trả kết quả", None, Role.RECEPTION, 0),
        ]
        for order, (kind, name, where, role, share) in enumerate(steps, start=1):
            WorkflowStepTemplate.objects.create(workflow=workflow, order=order, kind=kind, name=name, agency=where,
                                                role=role, share_percent=Decimal(share))
    return lines
