"""The transactional outbox: events written with the change, delivered later by the worker.

`emit()` writes an `OutboxEvent` in the caller's transaction and, once that commits, enqueues the
delivery task. The task (run by `motcua worker`) calls every handler registered for the topic; a
failing handler puts the event back with exponential backoff. `deliver_due()` also sweeps events
whose enqueue was lost (a crash between commit and enqueue), so nothing is dropped.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.core.models import OutboxEvent, OutboxStatus

logger = logging.getLogger(__name__)
Handler = Callable[[OutboxEvent], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def handles(topic_prefix: str) -> Callable[[Handler], Handler]:
    """Register a handler for every topic that starts with `topic_prefix` ("dossier." or "")."""

    def register(func: Handler) -> Handler:
        if func not in _handlers[topic_prefix]:
            _handlers[topic_prefix].append(func)
        return func

    return register


def handlers_for(topic: str) -> list[Handler]:
    return [h for prefix, hs in _handlers.items() if topic.startswith(prefix) for h in hs]


def emit(topic: str, *, aggregate_type: str, aggregate_id, payload: dict, idempotency_key: str) -> OutboxEvent:
    """Write an event in the current transaction; writing the same key twice returns the first one."""
    event, created = OutboxEvent.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "topic": topic, "aggregate_type": aggregate_type, "aggregate_id": str(aggregate_id),
            "payload": payload, "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _enqueue_after_commit()
    return event


def _enqueue_after_commit() -> None:
    """One delivery task per transaction, however many events it writes: the task delivers every
    due event, and a dossier's transition writes several (400 demo dossiers left 3,000 tasks)."""
    connection = transaction.get_connection()
    # run_on_commit drops the callbacks of a rolled-back savepoint, so an event written after one
    # still gets its delivery.
    if connection.in_atomic_block and any(func is _enqueue_delivery for _ids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery(run_after=None) -> None:
    from motcua.core.tasks import deliver_outbox

    try:
        task = deliver_outbox.using(run_after=run_after) if run_after else deliver_outbox
        task.enqueue()
    except Exception:  # the sweep in the worker delivers it later; never fail the committed request
        logger.exception("could not enqueue outbox delivery")


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.MOTCUA_OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def deliver_one(event_id: int) -> str:
    """Deliver one event if it is due; returns its status afterwards."""
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if event is None:
            return "skipped"
        try:
            with transaction.atomic():
                for handler in handlers_for(event.topic):
                    handler(event)
        except Exception as exc:  # any handler failure is retried; the error is kept on the event
            event.attempts += 1
            event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if event.attempts >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS:
                event.status = OutboxStatus.FAILED
                logger.error("outbox event %s failed for good: %s", event.pk, event.last_error)
            else:
                event.next_attempt_at = timezone.now() + backoff(event.attempts)
                transaction.on_commit(lambda: _enqueue_delivery(event.next_attempt_at))
        else:
            event.attempts += 1
            event.status = OutboxStatus.DELIVERED
            event.delivered_at = timezone.now()
            event.last_error = ""
        event.save(update_fields=["attempts", "status", "next_attempt_at", "delivered_at", "last_error"])
        return event.status


def due_events():
    """Pending events whose next attempt is due."""
    return OutboxEvent.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now())


def deliver_due(limit: int = 500) -> dict[str, int]:
    """Deliver every pending event that is due (oldest first); returns counts by outcome."""
    counts: dict[str, int] = defaultdict(int)
    ids = list(due_events().order_by("id").values_list("id", flat=True)[:limit])
    for event_id in ids:
        counts[deliver_one(event_id)] += 1
    return dict(counts)
