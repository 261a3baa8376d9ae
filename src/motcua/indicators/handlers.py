"""Outbox handlers: each event rewrites the facts of the dossier or case it is about.

The handlers never add 1 to a counter; they recompute the whole row and apply the difference, so
an event delivered twice, or out of order, leaves the same numbers (services.refresh_dossier).
"""

from motcua.core.outbox import handles
from motcua.indicators import services


@handles("dossier.")
def on_dossier(event) -> None:
    services.refresh_dossier(int(event.payload["dossier"]))


@handles("payment.paid")
def on_payment(event) -> None:
    if event.payload.get("dossier"):
        services.refresh_dossier(int(event.payload["dossier"]))


@handles("satisfaction.")
def on_rating(event) -> None:
    if event.payload.get("dossier"):
        services.refresh_dossier(int(event.payload["dossier"]))


@handles("feedback.")
def on_feedback(event) -> None:
    if services.feedback_available() and event.payload.get("case"):
        services.refresh_case(int(event.payload["case"]))
