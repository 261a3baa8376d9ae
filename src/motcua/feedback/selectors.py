"""Reads of the feedback context: the indicators contract, queues, public lists, flags."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.feedback.choices import ANSWER_CLOCK, HANDLED, Status
from motcua.feedback.models import FeedbackCase
from motcua.lib.text import fold
from motcua.workdays import services as workdays

FACT_FIELDS = (
    "id", "agency_id", "procedure_id", "dossier_id", "received_at", "category", "status", "ever_late",
    "answer_due_at", "publish_due_at", "consent_publish", "likes", "dislikes", "repeated_complaint",
    "refused_on_time", "answered_on_time", "published_on_time", "supplement_on_time",
)


@dataclass(frozen=True)
class CaseFact:
    """What indicators 5.1–5.4 need of one case (docs/feedback.md, the contract)."""

    case_id: int
    agency_id: int | None
    procedure_id: int | None
    dossier_id: int | None
    received_at: datetime
    category: str
    handled: bool
    handled_on_time: bool | None
    unsatisfactory: bool
    repeated_complaint: bool


def open_stage_due(case: FeedbackCase) -> datetime | None:
    """The due moment of the stage the agency owes now, or None when it owes nothing."""
    if case.status in ANSWER_CLOCK:
        return case.answer_due_at
    if case.status == Status.ANSWERED and case.consent_publish:
        return case.publish_due_at
    return None


def is_late(case: FeedbackCase, now: datetime | None = None) -> bool:
    """A stage was done after its limit, or the stage owed now is past its due moment."""
    if case.ever_late:
        return True
    due = open_stage_due(case)
    return due is not None and (now or timezone.now()) > due


def handled_on_time(case: FeedbackCase, now: datetime | None = None) -> bool | None:
    if is_late(case, now):
        return False
    if case.status in HANDLED:
        return True
    return None


def _fact(case: FeedbackCase, now: datetime) -> CaseFact:
    return CaseFact(
        case_id=case.pk, agency_id=case.agency_id, procedure_id=case.procedure_id, dossier_id=case.dossier_id,
        received_at=case.received_at, category=case.category, handled=case.status in HANDLED,
        handled_on_time=handled_on_time(case, now), unsatisfactory=case.dislikes > case.likes,
        repeated_complaint=case.repeated_complaint,
    )


def case_fact(case_id: int, *, now: datetime | None = None) -> CaseFact | None:
    """The case's fact as of `now` (default: now); None for an unknown id."""
    case = FeedbackCase.objects.only(*FACT_FIELDS).filter(pk=case_id).first()
    return None if case is None else _fact(case, now or timezone.now())


def case_facts(*, received_from: datetime, received_to: datetime) -> Iterator[CaseFact]:
    now = timezone.now()
    qs = (FeedbackCase.objects.only(*FACT_FIELDS)
          .filter(received_at__gte=received_from, received_at__lt=received_to).order_by("pk"))
    for case in qs.iterator(chunk_size=2000):
        yield _fact(case, now)


# ----------------------------------------------------------------------------- official queue

QUEUES = {
    "dang-xu-ly": Q(status__in=[*ANSWER_CLOCK, Status.SUPPLEMENT_REQUESTED]),
    "qua-han": None,        # built per request: depends on now
    "sap-den-han": None,    # built per request: depends on now and the agency's calendar
    "cho-cong-khai": Q(status=Status.ANSWERED),
    "da-xong": Q(status__in=[Status.REFUSED, Status.PUBLISHED]),
    "tat-ca": Q(),
}


def _owed_before(moment: datetime) -> Q:
    """Cases whose owed stage falls due before `moment` (selectors.open_stage_due, as a filter)."""
    return (Q(status__in=ANSWER_CLOCK, answer_due_at__lt=moment)
            | Q(status=Status.ANSWERED, consent_publish=True, publish_due_at__lt=moment))


def queue_filter(name: str, agency, now: datetime | None = None) -> Q:
    now = now or timezone.now()
    if name == "qua-han":
        return _owed_before(now)
    if name == "sap-den-han":
        horizon = workdays.add_working_days(timezone.localtime(now).date(), settings.MOTCUA_DUE_SOON_WORKING_DAYS,
                                            agency=agency)
        end = timezone.make_aware(datetime.combine(horizon + timedelta(days=1), time.min))
        return _owed_before(end) & ~_owed_before(now)
    return QUEUES.get(name) or QUEUES["dang-xu-ly"]


def queue(agency, name: str = "dang-xu-ly", q: str = "", now: datetime | None = None) -> QuerySet[FeedbackCase]:
    qs = FeedbackCase.objects.filter(agency=agency).filter(queue_filter(name, agency, now))
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(code__iexact=term) | Q(title_folded__contains=fold(term)) | Q(submitter_phone=term))
    # Those due first come first; cases that owe nothing (answered without consent, done) last.
    return qs.select_related("procedure", "agency").order_by("answer_due_at", "pk")


def queue_counts(agency, now: datetime | None = None) -> dict[str, int]:
    """How many cases each tab holds (one query per tab: an agency's PAKN are a few thousand at most)."""
    return {name: FeedbackCase.objects.filter(agency=agency).filter(queue_filter(name, agency, now)).count()
            for name in QUEUES}


def deadline_flags(cases, now: datetime | None = None) -> dict[int, str]:
    """'late', 'due_soon' or '' per case; one calendar read per agency (constant queries per page)."""
    now = now or timezone.now()
    horizons = {}
    flags = {}
    for case in cases:
        flag = ""
        if is_late(case, now):
            flag = "late"
        else:
            due = open_stage_due(case)
            if due is not None:
                if case.agency_id not in horizons:
                    horizons[case.agency_id] = workdays.add_working_days(
                        timezone.localtime(now).date(), settings.MOTCUA_DUE_SOON_WORKING_DAYS, agency=case.agency)
                flag = "due_soon" if timezone.localtime(due).date() <= horizons[case.agency_id] else ""
        flags[case.pk] = flag
    return flags


# ----------------------------------------------------------------------------- public

def published(q: str = "") -> QuerySet[FeedbackCase]:
    """Published answers only: nothing else is ever public."""
    qs = FeedbackCase.objects.filter(status=Status.PUBLISHED)
    for word in fold(q).split():
        qs = qs.filter(published_folded__contains=word)
    return qs.select_related("agency", "procedure").order_by("-published_at", "-pk")


def published_case(code: str) -> FeedbackCase | None:
    return published().filter(code=code).first()


def case_by_code_and_contact(code: str, contact: str) -> FeedbackCase | None:
    """The case whose code and submitter e-mail or phone both match (the tracking page's second factor)."""
    from motcua.feedback.services import normalise_phone

    code, contact = code.strip().upper(), contact.strip()
    if not code or not contact:
        return None
    case = FeedbackCase.objects.filter(code=code).first()
    if case is None:
        return None
    if "@" in contact:
        return case if case.submitter_email and case.submitter_email == contact.lower() else None
    phone = normalise_phone(contact)
    return case if case.submitter_phone and case.submitter_phone == phone else None
