"""Outbox handlers of the online services, run by the worker (registered in EservicesConfig.ready)."""

from motcua.core.outbox import handles
from motcua.eservices import services


@handles(services.DECLARATION_TOPIC)
def print_declaration(event) -> None:
    """The declaration PDF of an online filing; a repeated delivery finds it printed and does nothing."""
    services.attach_declaration(event.payload["submission"])
