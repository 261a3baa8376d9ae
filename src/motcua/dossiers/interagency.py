"""Inter-agency steps (liên thông): how a step done by another agency is requested and answered.

When a dossier enters a step of another agency, the outbox event of that transition reaches
`on_dossier_event`, which hands the step to the configured gateway. The local gateway (the
default) needs to send nothing: the other agency works in this same motcua, so the step simply
appears in its officials' "mine" queue, and they complete it with the usual `complete_step`
action. A gateway over the document interconnection axis (edXML, the exchange issue) implements
the same two methods: `request()` sends the step as a document; the answer, when it arrives,
calls `dossiers.services.transition(..., "complete_step", ...)` as that agency's system user.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.core.outbox import handles
from motcua.dossiers.choices import Stage
from motcua.dossiers.models import Dossier, DossierStep

logger = logging.getLogger(__name__)


class InterAgencyGateway(Protocol):
    def request(self, step: DossierStep) -> None:
        """Ask the step's agency to do the step (idempotent: may be called again on a retry)."""


class LocalGateway:
    """Both agencies use this motcua instance: the step is already in the other agency's queue."""

    def request(self, step: DossierStep) -> None:
        logger.info("inter-agency step %s of dossier %s is in %s's queue", step.pk, step.dossier_id, step.agency)


def gateway() -> InterAgencyGateway:
    return import_string(settings.MOTCUA_INTERAGENCY_GATEWAY)()


@handles("dossier.")
def on_dossier_event(event) -> None:
    if event.payload.get("stage") != Stage.INTERAGENCY:
        return
    dossier = Dossier.objects.select_related("current_step__agency").get(pk=event.payload["dossier"])
    if dossier.stage == Stage.INTERAGENCY and dossier.current_step_id:
        gateway().request(dossier.current_step)
