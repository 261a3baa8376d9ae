"""A step done by another agency (liên thông): its officials see and complete it, others cannot."""

from decimal import Decimal

import pytest

from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.core import outbox
from motcua.dossiers.choices import Stage, Status, StepKind
from motcua.dossiers.errors import NotPermittedError
from motcua.dossiers.models import WorkflowStepTemplate, WorkflowTemplate
from motcua.dossiers.selectors import work_queue
from motcua.dossiers.services import transition

from .factories import SOCIAL_INSURANCE, Personas, agency, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    procedure = Procedure.objects.get(code="1.001193")
    workflow = WorkflowTemplate.objects.create(procedure=procedure, legal_source="QĐ phê duyệt quy trình (thử)")
    steps = [
        (StepKind.RECEPTION, "Tiếp nhận", None, Role.RECEPTION, 0),
        (StepKind.SPECIALIST, "Thẩm định hộ tịch", None, Role.SPECIALIST, 40),
        (StepKind.INTERAGENCY, "Cấp thẻ BHYT cho trẻ dưới 6 tuổi", agency(SOCIAL_INSURANCE), Role.SPECIALIST, 40),
        (StepKind.APPROVAL, "Phê duyệt", None, Role.APPROVER, 20),
        (StepKind.HANDOVER, "Trả kết quả", None, Role.RECEPTION, 0),
    ]
    for order, (kind, name, where, role, share) in enumerate(steps, start=1):
        WorkflowStepTemplate.objects.create(workflow=workflow, order=order, kind=kind, name=name, agency=where,
                                            role=role, share_percent=Decimal(share))
    return Personas()


def test_the_other_agency_completes_its_step_and_the_dossier_comes_back(people):
    dossier = receive(people, limit=(Decimal(5), "working_day"))
    transition(dossier.pk, "forward", actor=people.reception)
    dossier = transition(dossier.pk, "complete_step", actor=people.specialist)
    assert dossier.stage == Stage.INTERAGENCY
    assert dossier.status == Status.PROCESSING
    assert dossier.current_step.is_interagency
    assert list(work_queue(people.insurance, "mine")) == [dossier]
    assert list(work_queue(people.specialist, "mine")) == []
    with pytest.raises(NotPermittedError):
        transition(dossier.pk, "complete_step", actor=people.specialist)
    outbox.deliver_due()  # the gateway is asked; the local one has nothing to send
    dossier = transition(dossier.pk, "complete_step", actor=people.insurance, data={"outcome": "Đã cấp thẻ BHYT"})
    assert dossier.stage == Stage.IN_STEP
    assert dossier.current_step.kind == StepKind.APPROVAL
    step = dossier.steps.get(kind=StepKind.INTERAGENCY)
    assert step.outcome == "Đã cấp thẻ BHYT"
    assert step.timeliness in {"early", "on_time"}
    assert list(work_queue(people.insurance, "all")) == [dossier]  # it keeps seeing what it worked on
    assert list(work_queue(people.outsider, "all")) == []
