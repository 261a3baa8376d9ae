"""Outbox events are written once, delivered by the worker, and retried with backoff on failure."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from motcua.core import outbox
from motcua.core.models import OutboxEvent, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    seen = []

    def handler(event):
        seen.append(event.payload)

    outbox.handles("test.ok")(handler)
    yield seen
    outbox._handlers["test.ok"].remove(handler)


@pytest.fixture
def flaky():
    calls = []

    def handler(event):
        calls.append(event.pk)
        raise ConnectionError("máy chủ thư không trả lời")

    outbox.handles("test.fail")(handler)
    yield calls
    outbox._handlers["test.fail"].remove(handler)


def _emit(topic="test.ok", key="k1"):
    with transaction.atomic():
        return outbox.emit(topic, aggregate_type="dossier", aggregate_id=7, payload={"to": 2},
                           idempotency_key=key)


def test_the_same_event_written_twice_is_stored_once():
    first = _emit()
    second = _emit()
    assert first.pk == second.pk
    assert OutboxEvent.objects.count() == 1


def test_a_due_event_is_delivered_to_its_handlers(received):
    event = _emit()
    assert outbox.deliver_due() == {"delivered": 1}
    event.refresh_from_db()
    assert event.status == OutboxStatus.DELIVERED
    assert received == [{"to": 2}]
    assert outbox.deliver_due() == {}
    assert received == [{"to": 2}]


@override_settings(MOTCUA_OUTBOX_RETRY_BASE_SECONDS=10, MOTCUA_OUTBOX_MAX_ATTEMPTS=3)
def test_a_failing_handler_is_retried_with_backoff_then_marked_failed(flaky):
    event = _emit("test.fail")
    outbox.deliver_due()
    event.refresh_from_db()
    assert event.status == OutboxStatus.PENDING
    assert event.attempts == 1
    assert "ConnectionError" in event.last_error
    assert event.next_attempt_at >= timezone.now() + timedelta(seconds=9)
    assert outbox.deliver_due() == {}  # not due yet
    for expected_wait in (20,):
        OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
        outbox.deliver_due()
        event.refresh_from_db()
        assert event.next_attempt_at >= timezone.now() + timedelta(seconds=expected_wait - 1)
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    outbox.deliver_due()
    event.refresh_from_db()
    assert event.status == OutboxStatus.FAILED
    assert len(flaky) == 3


def test_the_task_delivers_through_the_tasks_framework(received):
    from motcua.core.tasks import deliver_outbox

    _emit()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        result = deliver_outbox.enqueue()
    assert result.return_value == {"delivered": 1}
    assert received == [{"to": 2}]


def test_a_transaction_writing_several_events_enqueues_one_delivery(monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr(outbox, "_enqueue_delivery", lambda run_after=None: enqueued.append(1))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(3):
            outbox.emit("test.ok", aggregate_type="dossier", aggregate_id=n, payload={}, idempotency_key=f"m{n}")
    assert enqueued == [1]
    assert OutboxEvent.objects.count() == 3


def test_an_event_written_after_a_rolled_back_savepoint_still_enqueues(monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr(outbox, "_enqueue_delivery", lambda run_after=None: enqueued.append(1))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                outbox.emit("test.ok", aggregate_type="dossier", aggregate_id=1, payload={}, idempotency_key="r1")
                raise RuntimeError("the step fails after writing its event")
        except RuntimeError:
            pass
        outbox.emit("test.ok", aggregate_type="dossier", aggregate_id=2, payload={}, idempotency_key="r2")
    assert enqueued == [1]
    assert list(OutboxEvent.objects.values_list("idempotency_key", flat=True)) == ["r2"]
