"""Inter-agency steps (liên thông): how a step done by another agency is requested and answered.

When a dossier enters a step of another agency, the outbox event of that transition reaches
`on_dossier_event`, which hands the step to the configured gateway. The local gateway (the
default) needs to send nothing: the other agency works in this same motcua, so the step simply
appears in its officials' "mine" queue, and they complete it with the usual `complete_step`
action. The gateway over the document interconnection axis (`motcua.exchange.interagency.
EdxmlGateway`) sends the step as a signed edXML document; the other agency's instance makes it a
dossier of its own (`receive_request()` below), and the answer, when it arrives, completes the
step here through `dossiers.services.transition(..., "complete_step", ...)` as that agency's
system user (`system_user()`).
"""

import logging
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.core.outbox import handles
from motcua.dossiers.choices import STAGE_STATUS, Channel, Stage, StepKind, Timeliness
from motcua.dossiers.errors import InvalidInputError
from motcua.dossiers.models import Applicant, Dossier, DossierStep, ReceivedComponent

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


# ----------------------------------------------------------------------------- over the axis

SYSTEM_USERNAME_PREFIX = "lienthong-"
# Roles a remote agency may ask for; the administrative ones are never handed out by a message.
WORK_ROLES = {Role.RECEPTION, Role.SPECIALIST, Role.APPROVER}


def system_user(agency, role: str):
    """The account that acts here for `agency` when its answer arrives over the axis.

    It holds `role` at that agency (so the permission rules apply to it as to an official) and has
    no usable password: nobody logs in as it. The history shows it as "Hệ thống liên thông (…)".
    """
    from django.contrib.auth import get_user_model

    from motcua.accounts.models import StaffMembership

    user, created = get_user_model().objects.get_or_create(
        username=f"{SYSTEM_USERNAME_PREFIX}{agency.organ_code or agency.pk}",
        defaults={"first_name": (_("Hệ thống liên thông") + f" ({agency.name})")[:150]})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    StaffMembership.objects.get_or_create(user=user, agency=agency, role=role, defaults={"active": True})
    user.__dict__.pop("_motcua_roles", None)  # the membership may be new: read the roles again
    return user


def receive_request(*, agency, procedure_code: str, applicant_name: str, step_name: str, role: str,
                    due_at: datetime | None, papers: list[dict], origin: str, at: datetime | None = None) -> Dossier:
    """Another agency asks this one, over the axis, to do a step of its dossier: the work becomes a
    dossier here, received by the system user and waiting at the one-stop desk of `agency`.

    Its steps are the reception (done), the step asked for (at `agency`, with `role` and the
    asker's due moment) and the handover, done by the axis when the result is sent; the desk forwards it to the official who does it, as any other dossier.
    `papers` are dicts with name, originals, copies and optionally file_name and data (bytes).
    Raises InvalidInputError naming the field when the request cannot be a dossier here.
    """
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import _record, next_code

    errors = {}
    procedure = Procedure.objects.filter(code=procedure_code).first()
    version = procedure.current_version if procedure else None
    if version is None or version.status != "published":
        errors["procedure"] = _("Thủ tục mã “%(code)s” không có trong danh mục đang công khai của cơ quan.") % {
            "code": procedure_code}
    if not (applicant_name or "").strip():
        errors["applicant"] = _("Yêu cầu liên thông không ghi tên người nộp hồ sơ.")
    if not (step_name or "").strip():
        errors["step"] = _("Yêu cầu liên thông không ghi việc cần thực hiện.")
    if errors:
        raise InvalidInputError(errors)
    role = role if role in WORK_ROLES else Role.SPECIALIST
    at = at or timezone.now()
    with transaction.atomic():
        actor = system_user(agency, Role.RECEPTION)
        applicant = Applicant.objects.create(full_name=applicant_name.strip()[:200])
        dossier = Dossier.objects.create(
            code=next_code(agency, at), procedure_version=version, receiving_agency=agency, applicant=applicant,
            channel=Channel.ONLINE, stage=Stage.RECEIVED, status=STAGE_STATUS[Stage.RECEIVED], submitted_at=at,
            received_at=at, effective_receipt_at=at, due_at=due_at, original_due_at=due_at)
        for paper in papers:
            component = ReceivedComponent(dossier=dossier, name=str(paper.get("name") or "")[:500] or _("Giấy tờ"),
                                          originals=int(paper.get("originals") or 0),
                                          copies=int(paper.get("copies") or 0), note=origin[:300])
            if paper.get("data") is not None:
                component.file.save(paper.get("file_name") or "giay-to", ContentFile(paper["data"]), save=False)
            component.save()
        reception = DossierStep.objects.create(
            dossier=dossier, order=1, kind=StepKind.RECEPTION, name=_("Tiếp nhận yêu cầu liên thông"),
            agency=agency, role=Role.RECEPTION, started_at=at, completed_at=at, completed_by=actor,
            timeliness=Timeliness.ON_TIME, outcome=origin)
        DossierStep.objects.create(dossier=dossier, order=2, kind=StepKind.SPECIALIST, name=step_name.strip()[:200],
                                   agency=agency, role=role, due_at=due_at)
        # The result goes back over the axis: the system user hands it over once it is sent.
        DossierStep.objects.create(dossier=dossier, order=3, kind=StepKind.HANDOVER,
                                   name=_("Gửi kết quả về cơ quan đề nghị qua trục liên thông"), agency=agency,
                                   role=Role.RECEPTION)
        dossier.current_step = reception
        dossier.save(update_fields=["current_step"])
        _record(dossier, "receive", before=None, actor=actor, at=at, data={"interagency_origin": origin})
    return dossier
