"""Outbox handlers of the notifications context, run by the worker (registered in NotificationsConfig.ready)."""

from django.conf import settings

from motcua.core.outbox import handles
from motcua.notifications import services


@handles("dossier.")
def on_dossier_event(event) -> None:
    services.plan(event)


@handles("payment.paid")
def on_payment_paid(event) -> None:
    services.plan(event)


@handles(services.SEND_TOPIC)
def on_send(event) -> None:
    attempt = event.attempts + 1
    services.send(event.payload["notification"], attempt=attempt,
                  final=attempt >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS)
