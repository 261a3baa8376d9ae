"""The one guarded transition: allowed moves, rights, idempotency, conflicts, history and audit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.core import audit
from motcua.core.models import OutboxEvent
from motcua.dossiers.choices import Stage, Status
from motcua.dossiers.errors import (
    ConflictError,
    InvalidInputError,
    NotPermittedError,
    TransitionNotAllowedError,
)
from motcua.dossiers.models import StatusChange
from motcua.dossiers.services import transition

from .factories import Personas, receive

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def people():
    return Personas()


def test_reception_gives_a_code_a_due_moment_and_status_2(people):
    at = datetime(2026, 11, 26, 10, 0, tzinfo=VN)  # Thursday
    dossier = receive(people, at=at)
    assert dossier.code == "000.21.31.H53-261126-0001"
    assert dossier.status == Status.RECEIVED
    # 3 working days, receipt day not counted: Fri 27, Mon 30, Tue 1 Dec, end of office hours.
    assert dossier.due_at == datetime(2026, 12, 1, 17, 0, tzinfo=VN)
    assert [s.kind for s in dossier.steps.all()] == ["reception", "specialist", "approval", "result", "handover"]
    assert dossier.history.get().action == "receive"
    assert receive(people, at=at).code.endswith("-0002")


def test_a_dossier_goes_from_reception_to_handover(people):
    dossier = receive(people)
    dossier = transition(dossier.pk, "forward", actor=people.reception)
    assert dossier.status == Status.PROCESSING
    dossier = transition(dossier.pk, "complete_step", actor=people.specialist, data={"outcome": "Đủ điều kiện"})
    dossier = transition(dossier.pk, "complete_step", actor=people.approver)
    dossier = transition(dossier.pk, "complete_step", actor=people.reception, data={"result": "Giấy khai sinh"})
    assert dossier.status == Status.DONE
    dossier = transition(dossier.pk, "hand_over", actor=people.reception)
    assert dossier.status == Status.RETURNED
    assert dossier.closed_at is not None
    statuses = list(dossier.history.values_list("to_status", flat=True))
    assert statuses == [2, 4, 4, 4, 9, 10]
    assert all(s.completed_at for s in dossier.steps.all())
    checked, problems = audit.verify()
    assert checked >= 6 and problems == []
    assert OutboxEvent.objects.filter(aggregate_id=str(dossier.pk)).count() == 6


def test_a_move_the_state_machine_forbids_is_refused_with_the_allowed_moves(people):
    dossier = receive(people)
    with pytest.raises(TransitionNotAllowedError) as error:
        transition(dossier.pk, "hand_over", actor=people.reception)
    assert "forward" in error.value.details["allowed"]
    assert "Trả kết quả" in error.value.message
    assert "Chuyển xử lý" in error.value.message
    assert StatusChange.objects.filter(dossier=dossier).count() == 1


def test_an_official_of_another_agency_cannot_act(people):
    dossier = receive(people)
    with pytest.raises(NotPermittedError):
        transition(dossier.pk, "forward", actor=people.outsider)
    with pytest.raises(NotPermittedError):
        transition(dossier.pk, "forward", actor=people.specialist)  # right agency, wrong role


def test_the_same_request_twice_moves_once(people):
    dossier = receive(people)
    transition(dossier.pk, "forward", actor=people.reception, idempotency_key="req-1")
    again = transition(dossier.pk, "forward", actor=people.reception, idempotency_key="req-1")
    assert again.status == Status.PROCESSING
    assert dossier.history.filter(action="forward").count() == 1


def test_acting_on_a_stale_version_is_a_conflict(people):
    dossier = receive(people)
    seen = dossier.version
    transition(dossier.pk, "forward", actor=people.reception, expected_version=seen)
    with pytest.raises(ConflictError):
        transition(dossier.pk, "request_supplement", actor=people.reception, expected_version=seen,
                   reason="Thiếu giấy tờ", data={"missing_papers": ["Giấy chứng sinh"]})


def test_a_supplement_is_asked_once_and_pauses_the_clock(people):
    at = datetime(2026, 11, 26, 10, 0, tzinfo=VN)
    dossier = receive(people, at=at)
    due = dossier.due_at
    with pytest.raises(InvalidInputError) as error:
        transition(dossier.pk, "request_supplement", actor=people.reception, reason="Thiếu giấy tờ")
    assert "missing_papers" in error.value.errors
    dossier = transition(dossier.pk, "request_supplement", actor=people.reception, reason="Bản sao mờ",
                         data={"missing_papers": ["Giấy chứng sinh"]}, at=at + timedelta(hours=1))
    assert dossier.status == Status.SUPPLEMENT
    # Answered the next morning at 09:00: office time paused = 11:00→11:30 + 13:00→17:00 + 07:30→09:00.
    dossier = transition(dossier.pk, "supplement", actor=people.reception,
                         at=datetime(2026, 11, 27, 9, 0, tzinfo=VN))
    assert dossier.stage == Stage.RECEIVED
    paused = timedelta(minutes=30) + timedelta(hours=4) + timedelta(hours=1, minutes=30)
    # 3 working days from Thu 10:00 end Tue 1 Dec 17:00; 6 office hours later is Wed 2 Dec 15:00.
    assert due == datetime(2026, 12, 1, 17, 0, tzinfo=VN)
    assert dossier.due_at == datetime(2026, 12, 2, 15, 0, tzinfo=VN)
    assert dossier.supplement_requests.get().paused_office_seconds == paused.total_seconds()
    with pytest.raises(TransitionNotAllowedError):
        transition(dossier.pk, "request_supplement", actor=people.reception, reason="Lần hai",
                   data={"missing_papers": ["x"]})


def test_an_apology_must_come_before_the_due_moment(people):
    at = datetime(2026, 11, 26, 10, 0, tzinfo=VN)
    dossier = receive(people, at=at)
    transition(dossier.pk, "forward", actor=people.reception, at=at)
    new_due = datetime(2026, 12, 4, 17, 0, tzinfo=VN)
    with pytest.raises(InvalidInputError):
        transition(dossier.pk, "apologize", actor=people.approver, reason="Chờ xác minh",
                   data={"new_due_at": new_due.isoformat()}, at=dossier.due_at + timedelta(minutes=1))
    dossier = transition(dossier.pk, "apologize", actor=people.approver, reason="Chờ xác minh",
                         data={"new_due_at": new_due.isoformat()}, at=at + timedelta(days=1))
    assert dossier.due_at == new_due
    assert dossier.appointments.get().reason == "Chờ xác minh"


def test_refusal_and_withdrawal_need_a_reason_and_end_the_dossier(people):
    dossier = receive(people)
    with pytest.raises(InvalidInputError):
        transition(dossier.pk, "refuse", actor=people.reception)
    dossier = transition(dossier.pk, "refuse", actor=people.reception, reason="Không thuộc thẩm quyền")
    assert dossier.status == Status.REFUSED
    other = receive(people)
    transition(other.pk, "request_withdrawal", actor=people.reception)
    other = transition(other.pk, "confirm_withdrawal", actor=people.reception)
    assert other.status == Status.STOPPED


def test_invalid_reception_input_names_each_field_and_writes_nothing(people):
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import ComponentInput, receive_at_counter

    from .factories import agency

    version = Procedure.objects.get(code="1.001193").current_version
    with pytest.raises(InvalidInputError) as error:
        receive_at_counter(version=version, agency=agency("000.21.31.H53"),
                           applicant={"full_name": " ", "id_number": "123", "phone": "12345"},
                           components=[ComponentInput(name="Tờ khai", originals=0, copies=0)],
                           actor=people.reception, time_limit=None)
    assert set(error.value.errors) >= {"full_name", "id_number", "phone", "components[0]"}
    assert "12 chữ số" in error.value.errors["id_number"]
    assert Dossier.objects.count() == 0
