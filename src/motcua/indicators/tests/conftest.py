from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core.outbox import deliver_due
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import Personas

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=VN)


@pytest.fixture
def people():
    return Personas()


def process(dossier, people, *moments):
    """forward → specialist → approver → result → hand over, at the given moments (as many as given)."""
    steps = [("forward", people.reception, {}), ("complete_step", people.specialist, {"outcome": "Đủ điều kiện"}),
             ("complete_step", people.approver, {}), ("complete_step", people.reception, {"result": "Giấy khai sinh"}),
             ("hand_over", people.reception, {})]
    for (action, actor, data), moment in zip(steps, moments, strict=False):
        dossier = transition(dossier.pk, action, actor=actor, data=dict(data), at=moment)
    return dossier


def deliver():
    """Run the outbox handlers, as the worker would, until nothing is due."""
    while True:
        counts = deliver_due()
        if not counts:
            return
