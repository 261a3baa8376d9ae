"""Reads of the dossier context: work queues, search, one dossier with everything it shows."""

import re
from datetime import date, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.dossiers.choices import CLOCK_STAGES, TERMINAL_STAGES, Stage
from motcua.dossiers.models import Dossier, DossierStep, StatusChange
from motcua.dossiers.permissions import roles_by_agency, visible_dossiers
from motcua.lib.text import fold
from motcua.workdays import services as workdays

QUEUES = ("mine", "agency", "due_soon", "late", "all")


def due_soon_until(now: datetime, agency=None) -> date:
    """The last day on which a due moment counts as "sắp đến hạn": MOTCUA_DUE_SOON_WORKING_DAYS
    working days after today, by the agency's calendar."""
    return workdays.add_working_days(timezone.localtime(now).date(), settings.MOTCUA_DUE_SOON_WORKING_DAYS,
                                     agency=agency)


def _list_queryset(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What a list row shows, joined in the same query (constant queries per page)."""
    return qs.select_related(
        "applicant", "receiving_agency", "procedure_version__procedure", "current_step__agency",
    ).only(
        "id", "code", "stage", "status", "channel", "due_at", "received_at", "submitted_at", "version",
        "applicant__full_name", "receiving_agency__name", "receiving_agency__organ_code",
        "procedure_version__name", "procedure_version__procedure__code",
        "current_step__name", "current_step__role", "current_step__agency__name", "current_step__assignee_id",
        "current_step__is_interagency",
    )


def work_queue(user, queue: str = "agency", *, q: str = "", status: int | None = None,
               now: datetime | None = None, agency_id: int | None = None) -> QuerySet[Dossier]:
    """The dossiers an official works on, newest deadline first.

    mine: the current step is at one of my agencies in one of my roles, and, for a reception
    officer, the online dossiers their agency received that wait to be checked; agency: everything my
    agencies hold that is still open; due_soon: open and due within MOTCUA_DUE_SOON_WORKING_DAYS
    working days; late: open and past due; all: every dossier I may see, open or closed.
    `agency_id` narrows every queue to one of my agencies (an official of several agencies works
    for one at a time): dossiers it received or has a step of, and my roles there.
    """
    now = now or timezone.now()
    if queue not in QUEUES:
        raise ValueError(queue)
    qs = visible_dossiers(user, agency_id)
    if queue != "all":
        qs = qs.exclude(stage__in=TERMINAL_STAGES)
    if queue == "mine":
        at_my_desk = Q(pk__in=[])
        checking = []
        for member_agency_id, roles in sorted(roles_by_agency(user).items()):
            if agency_id is None or member_agency_id == agency_id:
                at_my_desk |= Q(agency_id=member_agency_id, role__in=sorted(roles))
                if Role.RECEPTION in roles:
                    checking.append(member_agency_id)
        # The current step as a correlated EXISTS on its primary key, not a join: ORed with the
        # online branch below, a join made PostgreSQL sort every open dossier of the agency (320 ms
        # for the busiest at 1M); the EXISTS lets it walk the queue index in due order (5 ms).
        # A result waiting at the counter is the reception officer's work too (the handover step).
        cond = Exists(DossierStep.objects.filter(at_my_desk, pk=OuterRef("current_step_id"))) & Q(
            stage__in=CLOCK_STAGES | {Stage.RESULT_READY})
        if checking:
            # So is a dossier filed online and not yet accepted: it has no step until a reception
            # officer of the receiving agency checks it and accepts, asks for more, or refuses.
            cond |= Q(stage=Stage.SUBMITTED, receiving_agency_id__in=checking)
        qs = qs.filter(cond)
    elif queue == "due_soon":
        horizon = timezone.make_aware(datetime.combine(due_soon_until(now), datetime.max.time()))
        qs = qs.filter(stage__in=CLOCK_STAGES, due_at__gte=now, due_at__lte=horizon)
    elif queue == "late":
        qs = qs.filter(stage__in=CLOCK_STAGES, due_at__lt=now)
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(search_condition(q.strip()))
    order = ["-received_at", "-id"] if queue == "all" else ["due_at", "id"]
    return _list_queryset(qs).order_by(*order)


# A whole dossier code as MOTCUA_DOSSIER_CODE_TEMPLATE writes it by default (organ-yymmdd-sequence).
WHOLE_CODE = re.compile(r"^\S+-\d{6}-\d+$")


def search_condition(term: str) -> Q:
    """What the queue's search box means, by the shape of what was typed.

    One condition per kind of term, not an OR of all of them: an OR across the dossier and the
    applicant tables can use no index, and at 1M dossiers reads every dossier of the agency.
    A whole code (scanned from a receipt) is an exact match; digits only are a phone number or a
    personal id; other terms with a digit are a part of a code; anything else is part of a name,
    compared folded (no case, no diacritics, đ = d), so "nguyen van" finds "Nguyễn Văn An".
    """
    compact = term.replace(" ", "")
    if WHOLE_CODE.match(term):
        return Q(code=term) | Q(code=term.upper())
    if compact.isdigit() and len(compact) in (9, 10, 11, 12):
        return Q(applicant__phone=compact) | Q(applicant__id_number=compact)
    if any(c.isdigit() for c in term) and " " not in term:
        return Q(code__icontains=term)
    folded = fold(term)
    # Punctuation alone folds to nothing, which every name contains: it finds nothing instead.
    return Q(applicant__name_folded__contains=folded) if folded else Q(pk__in=[])


def get_dossier(pk: int) -> Dossier | None:
    """One dossier with its applicant, papers, steps, history and slips (constant queries)."""
    return (
        Dossier.objects.filter(pk=pk)
        .select_related("applicant", "receiving_agency", "procedure_version__procedure", "current_step__agency")
        .prefetch_related(
            "components",
            Prefetch("steps", queryset=DossierStep.objects.select_related("agency", "completed_by", "assignee")),
            Prefetch("history", queryset=StatusChange.objects.select_related("actor").order_by("at", "id")),
            "supplement_requests", "appointments", "slips__form",
        )
        .first()
    )


def get_dossier_by_code(code: str) -> Dossier | None:
    pk = Dossier.objects.filter(code=code).values_list("pk", flat=True).first()
    return get_dossier(pk) if pk else None


