"""Writes of the index: the fact rows and the counters summed from them.

`refresh_dossier()` and `refresh_case()` run from outbox handlers: they rewrite one fact row and
move the daily counters by the difference between the old row and the new one, in one
transaction, so a replayed or duplicated event changes nothing. `recompute()` (the nightly job,
`motcua indicators recompute --days 45`) rebuilds a rolling window from the source tables in bulk;
running it twice gives the same numbers. Both compute a dossier's row with the same function
(`_facts`), so the incremental path and the rebuild cannot disagree on a rule.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.catalog.choices import AgencyRole, OnlineService, VersionStatus
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.choices import Stage, Status
from motcua.dossiers.models import Appointment, Dossier, ReceivedComponent, StatusChange, SupplementRequest
from motcua.indicators.models import (
    COUNTERS,
    FEEDBACK_COUNTERS,
    CatalogFact,
    DailyAgencyFact,
    DailyFeedbackFact,
    DailyLateFact,
    DossierFact,
    FeedbackFact,
    MonthlyProcedureFact,
    MonthlyProcedureSet,
    bits,
    to_bytes,
)

logger = logging.getLogger(__name__)
FACT_FIELDS = ("agency_id", "procedure_id", "day", "online", "paper_result", "finished", "eresult", "digitised",
               "vneid", "fee_bearing", "paid_online", "rated", "disliked", "feedback", "late_on", "processing_hours")
MONTHLY = ("received", "online", "paid_online")


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# ----------------------------------------------------------------------------- other contexts

def _ratings(dossier_ids: list[int] | None = None, since: date | None = None) -> dict[int, bool]:
    """{dossier id: rated unsatisfactory} from the satisfaction context, when it is installed."""
    if not apps.is_installed("motcua.satisfaction"):
        return {}
    from motcua.satisfaction import selectors as satisfaction

    out = {}
    if dossier_ids is not None:
        for dossier_id in dossier_ids:
            fact = satisfaction.rating_fact(dossier_id)
            if fact is not None:
                out[dossier_id] = bool(fact.unsatisfactory)
        return out
    start = datetime.combine(since or date(2000, 1, 1), datetime.min.time(), tzinfo=timezone.get_current_timezone())
    for fact in satisfaction.rating_facts(rated_from=start, rated_to=timezone.now() + timedelta(days=1)):
        out[fact.dossier_id] = bool(fact.unsatisfactory)
    return out


def feedback_available() -> bool:
    return apps.is_installed("motcua.feedback")


def satisfaction_available() -> bool:
    return apps.is_installed("motcua.satisfaction")


# ----------------------------------------------------------------------------- dossier facts

def _source(dossiers):
    """The dossier columns and per-dossier flags a fact needs, computed in SQL for a whole batch."""
    from motcua.citizens.models import ExternalIdentity
    from motcua.payments.choices import PaymentStatus
    from motcua.payments.models import Payment
    from motcua.signing.models import SignedResult

    first_done = (StatusChange.objects.filter(dossier=OuterRef("pk"), to_status__in=[Status.DONE, Status.RETURNED])
                  .order_by("at").values("at")[:1])
    first_appointment = Appointment.objects.filter(dossier=OuterRef("pk")).order_by("issued_at").values(
        "previous_due_at")[:1]
    pending_request = (SupplementRequest.objects.filter(dossier=OuterRef("pk"), answered_at__isnull=True)
                       .order_by("-requested_at").values("requested_at")[:1])
    return dossiers.filter(received_at__isnull=False).annotate(
        first_done_at=Subquery(first_done),
        first_previous_due=Subquery(first_appointment),
        pending_request_at=Subquery(pending_request),
        has_eresult=Exists(SignedResult.objects.filter(dossier=OuterRef("pk"))),
        has_components=Exists(ReceivedComponent.objects.filter(dossier=OuterRef("pk"))),
        has_undigitised=Exists(ReceivedComponent.objects.filter(dossier=OuterRef("pk"), file="")),
        has_paid=Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID)),
        has_vneid=Exists(ExternalIdentity.objects.filter(user_id=OuterRef("applicant__user_id"), provider="vneid")),
        has_feedback=Exists(FeedbackFact.objects.filter(dossier_id=OuterRef("pk"))),
    ).values(
        "pk", "receiving_agency_id", "procedure_version__procedure_id", "procedure_version__results", "channel",
        "stage", "received_at", "due_at", "supplement_count", "paused_at", "finished_at", "returned_at", "closed_at",
        "fee_amount", "first_done_at", "first_previous_due", "pending_request_at", "has_eresult", "has_components",
        "has_undigitised", "has_paid", "has_vneid", "has_feedback",
    )


def _facts(rows: list[dict], ratings: dict[int, bool], pauses: dict[int, timedelta]) -> dict[int, dict]:
    """Each dossier's fact row (vn-domain.md §3.5, §3.7, §4.3) from its source row."""
    facts = {}
    for r in rows:
        day = _local_date(r["received_at"])
        done_at = r["first_done_at"] or r["finished_at"] or r["returned_at"]
        finished = done_at is not None
        # End of processing, in the 766 precedence: done (9) > returned (10) > stopped/refused/withdrawn;
        # a single supplement request never answered ends it at the request.
        end = done_at or r["closed_at"]
        if end is None and r["stage"] == Stage.SUPPLEMENT and r["supplement_count"] <= 1:
            end = r["pending_request_at"] or r["paused_at"]
        # An apology (Mẫu 04) moves the appointment, not the legal due moment.
        legal_due = r["first_previous_due"] or r["due_at"]
        if r["supplement_count"] > 1:
            late_on = day  # more than one supplement request: late (766 spec 2.1)
        elif legal_due is None:
            late_on = None
        elif end is not None:
            late_on = _local_date(legal_due) if end > legal_due else None
        else:
            late_on = _local_date(legal_due)
        paper_result = bool(r["procedure_version__results"])
        eresult = bool(r["has_eresult"])
        digitised = bool(r["has_components"]) and not r["has_undigitised"] and (
            not (finished and paper_result) or eresult)
        fee_bearing = bool(r["fee_amount"] and r["fee_amount"] > 0)
        hours = 0
        if finished:
            elapsed = done_at - r["received_at"] - pauses.get(r["pk"], timedelta(0))
            hours = max(int(elapsed.total_seconds() // 3600), 0)
        facts[r["pk"]] = {
            "agency_id": r["receiving_agency_id"], "procedure_id": r["procedure_version__procedure_id"], "day": day,
            "online": r["channel"] == "online", "paper_result": paper_result, "finished": finished,
            "eresult": eresult, "digitised": digitised, "vneid": bool(r["has_vneid"]), "fee_bearing": fee_bearing,
            "paid_online": fee_bearing and bool(r["has_paid"]), "rated": r["pk"] in ratings,
            "disliked": ratings.get(r["pk"], False), "feedback": bool(r["has_feedback"]), "late_on": late_on,
            "processing_hours": hours,
        }
    return facts


def _pauses(dossier_ids) -> dict[int, timedelta]:
    out: dict[int, timedelta] = defaultdict(timedelta)
    for dossier_id, requested, answered in SupplementRequest.objects.filter(
            dossier_id__in=dossier_ids, answered_at__isnull=False).values_list("dossier_id", "requested_at",
                                                                               "answered_at"):
        out[dossier_id] += answered - requested
    return out


def _contributions(fact: dict | None) -> dict[tuple, dict[str, int]]:
    """What one fact row adds to each counter row, by (table, key…)."""
    if fact is None:
        return {}
    a, d = fact["agency_id"], fact["day"]
    finished_paper = fact["finished"] and fact["paper_result"]
    daily = {
        "received": 1, "online": int(fact["online"]),
        "online_qualified": int(fact["online"] and (not finished_paper or fact["eresult"])),
        "finished": int(fact["finished"]), "paper_finished": int(finished_paper),
        "eresult": int(finished_paper and fact["eresult"]), "digitised": int(fact["digitised"]),
        "vneid": int(fact["vneid"]), "fee_bearing": int(fact["fee_bearing"]), "paid_online": int(fact["paid_online"]),
        "rated": int(fact["rated"]), "disliked": int(fact["disliked"]),
        "complained": int(fact["disliked"] or fact["feedback"]), "processing_hours": fact["processing_hours"],
    }
    out = {("daily", a, d): daily,
           ("monthly", a, fact["procedure_id"], d.replace(day=1)): {
               "received": 1, "online": int(fact["online"]), "paid_online": int(fact["paid_online"])}}
    if fact["late_on"] is not None:
        out[("late", a, d, fact["late_on"])] = {"n": 1}
    return out


# Handlers and the nightly rebuild must not interleave: a handler that read a fact row the rebuild
# is about to replace would add its dossier twice. On PostgreSQL, handlers share a transaction-level
# advisory lock and the rebuild takes it exclusively; SQLite already runs one writer at a time.
_LOCK_KEY = 766_0001


def _window_lock(exclusive: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
            cursor.execute(f"SELECT {fn}(%s)", [_LOCK_KEY])


def _apply(delta: dict[tuple, dict[str, int]]) -> None:
    # A fixed order of rows: two handlers touching the same counters cannot deadlock.
    monthly_moved = []
    for key, counters in sorted(delta.items(), key=lambda item: tuple(str(k) for k in item[0])):
        counters = {k: v for k, v in counters.items() if v}
        if not counters:
            continue
        table = key[0]
        if table == "monthly" and ("online" in counters or "paid_online" in counters):
            monthly_moved.append(key[1:])
        if table == "daily":
            model, lookup = DailyAgencyFact, {"agency_id": key[1], "day": key[2]}
        elif table == "late":
            model, lookup = DailyLateFact, {"agency_id": key[1], "day": key[2], "late_on": key[3]}
        elif table == "monthly":
            model, lookup = MonthlyProcedureFact, {"agency_id": key[1], "procedure_id": key[2], "month": key[3]}
        else:
            model, lookup = DailyFeedbackFact, {"agency_id": key[1], "day": key[2]}
        model.objects.get_or_create(**lookup)
        model.objects.filter(**lookup).update(**{k: F(k) + v for k, v in counters.items()})
        if table == "late":
            DailyLateFact.objects.filter(**lookup, n=0).delete()
    # After every counter row, in a fixed order: a handler never waits for a counter row while
    # holding a set row.
    _update_sets(monthly_moved)


def _update_sets(moved: list[tuple[int, int, date]]) -> None:
    """Set or clear each moved procedure's bit in its agency-month sets, from its counters as they are now."""
    by_row: dict[tuple, set[int]] = defaultdict(set)
    for agency_id, procedure_id, month in moved:
        by_row[(agency_id, month)].add(procedure_id)
    for (agency_id, month), procedures in sorted(by_row.items()):
        now = {p: (o, paid) for p, o, paid in MonthlyProcedureFact.objects.filter(
            agency_id=agency_id, month=month, procedure_id__in=procedures).values_list(
            "procedure_id", "online", "paid_online")}
        row = MonthlyProcedureSet.objects.select_for_update().get_or_create(agency_id=agency_id, month=month)[0]
        online, paid = bits(row.online), bits(row.paid_online)
        for p in procedures:
            o, pd = now.get(p, (0, 0))
            online = online | (1 << p) if o > 0 else online & ~(1 << p)
            paid = paid | (1 << p) if pd > 0 else paid & ~(1 << p)
        row.online, row.paid_online = to_bytes(online), to_bytes(paid)
        row.save(update_fields=["online", "paid_online"])


def rebuild_procedure_sets(first_month: date) -> int:
    """Every agency-month set from `first_month` on, from MonthlyProcedureFact (idempotent); rows written."""
    MonthlyProcedureSet.objects.filter(month__gte=first_month).delete()
    sets: dict[tuple, list[int]] = {}
    for agency_id, month, procedure_id, online, paid in (
            MonthlyProcedureFact.objects.filter(Q(online__gt=0) | Q(paid_online__gt=0), month__gte=first_month)
            .values_list("agency_id", "month", "procedure_id", "online", "paid_online").iterator(chunk_size=BATCH)):
        row = sets.setdefault((agency_id, month), [0, 0])
        if online:
            row[0] |= 1 << procedure_id
        if paid:
            row[1] |= 1 << procedure_id
    MonthlyProcedureSet.objects.bulk_create([
        MonthlyProcedureSet(agency_id=a, month=m, online=to_bytes(o), paid_online=to_bytes(p))
        for (a, m), (o, p) in sets.items()], batch_size=BATCH)
    return len(sets)


def _diff(old: dict[tuple, dict], new: dict[tuple, dict]) -> dict[tuple, dict]:
    delta: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for key, counters in new.items():
        for k, v in counters.items():
            delta[key][k] += v
    for key, counters in old.items():
        for k, v in counters.items():
            delta[key][k] -= v
    return delta


def _row_dict(fact: DossierFact | None) -> dict | None:
    if fact is None:
        return None
    return {f: getattr(fact, f) for f in FACT_FIELDS}


@transaction.atomic
def refresh_dossier(dossier_id: int) -> None:
    """Rewrite one dossier's fact row and move the counters by the difference (idempotent)."""
    _window_lock(exclusive=False)
    # The dossier's row lock orders two handlers of the same dossier (its fact row may not exist yet).
    list(Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True))
    old = DossierFact.objects.select_for_update().filter(dossier_id=dossier_id).first()
    rows = list(_source(Dossier.objects.filter(pk=dossier_id)))
    new = _facts(rows, _ratings([dossier_id]), _pauses([dossier_id])).get(dossier_id)
    old_dict = _row_dict(old)
    if old_dict == new:
        return
    _apply(_diff(_contributions(old_dict), _contributions(new)))
    if new is None:
        DossierFact.objects.filter(dossier_id=dossier_id).delete()
    else:
        DossierFact.objects.update_or_create(dossier_id=dossier_id, defaults=new)


# ----------------------------------------------------------------------------- feedback facts

def _case_row(fact) -> dict | None:
    if fact is None or fact.agency_id is None or fact.received_at is None:
        return None
    late = fact.handled_on_time is False
    # Open and not found late yet counts as on time, as an open dossier within its time does (2.1).
    on_time = fact.handled_on_time is True or (fact.handled_on_time is None and not fact.handled)
    return {
        "agency_id": fact.agency_id, "day": _local_date(fact.received_at) if isinstance(fact.received_at, datetime)
        else fact.received_at, "dossier_id": fact.dossier_id, "regulation": fact.category == "regulation",
        "on_time": on_time, "dissatisfied": bool(fact.unsatisfactory or late or fact.repeated_complaint),
    }


def _case_contributions(row: dict | None) -> dict[tuple, dict]:
    if row is None:
        return {}
    return {("feedback", row["agency_id"], row["day"]): {
        "cases": 1, "regulation": int(row["regulation"]), "on_time": int(row["on_time"]),
        "dissatisfied": int(row["dissatisfied"])}}


@transaction.atomic
def refresh_case(case_id: int) -> None:
    """Rewrite one feedback case's row (and the fact of the dossier it is about)."""
    from motcua.feedback import selectors as feedback

    _window_lock(exclusive=False)
    old = FeedbackFact.objects.select_for_update().filter(case_id=case_id).first()
    old_row = None if old is None else {
        "agency_id": old.agency_id, "day": old.day, "dossier_id": old.dossier_id, "regulation": old.regulation,
        "on_time": old.on_time, "dissatisfied": old.dissatisfied}
    new_row = _case_row(feedback.case_fact(case_id))
    if old_row != new_row:
        _apply(_diff(_case_contributions(old_row), _case_contributions(new_row)))
        if new_row is None:
            FeedbackFact.objects.filter(case_id=case_id).delete()
        else:
            FeedbackFact.objects.update_or_create(case_id=case_id, defaults=new_row)
    for dossier_id in {(old_row or {}).get("dossier_id"), (new_row or {}).get("dossier_id")} - {None}:
        refresh_dossier(dossier_id)


# ----------------------------------------------------------------------------- the nightly rebuild

BATCH = 2000


@transaction.atomic
def recompute(days: int = 45, *, today: date | None = None) -> dict[str, int]:
    """Rebuild every fact and counter of the dossiers received in the last `days` days (idempotent)."""
    _window_lock(exclusive=True)
    today = today or timezone.localdate()
    start = today - timedelta(days=days)
    tz = timezone.get_current_timezone()
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    counts = {"dossiers": 0, "cases": 0}

    if feedback_available():
        from motcua.feedback import selectors as feedback

        FeedbackFact.objects.filter(day__gte=start).delete()
        cases = list(feedback.case_facts(received_from=start_at, received_to=timezone.now() + timedelta(days=1)))
        pairs = [(f.case_id, _case_row(f)) for f in cases]
        FeedbackFact.objects.bulk_create(
            [FeedbackFact(case_id=case_id, **r) for case_id, r in pairs if r is not None and r["day"] >= start],
            batch_size=BATCH)
        DailyFeedbackFact.objects.filter(day__gte=start).delete()
        DailyFeedbackFact.objects.bulk_create([
            DailyFeedbackFact(agency_id=r["agency_id"], day=r["day"], **{k: r[k] for k in FEEDBACK_COUNTERS})
            for r in FeedbackFact.objects.filter(day__gte=start).values("agency_id", "day").annotate(
                cases=Count("pk"), regulation=Count("pk", filter=Q(regulation=True)),
                on_time=Count("pk", filter=Q(on_time=True)), dissatisfied=Count("pk", filter=Q(dissatisfied=True)))
        ], batch_size=BATCH)
        counts["cases"] = FeedbackFact.objects.filter(day__gte=start).count()

    ratings = _ratings(since=start)
    DossierFact.objects.filter(day__gte=start).delete()
    source = _source(Dossier.objects.filter(received_at__gte=start_at - timedelta(days=1)).order_by("pk"))
    batch: list[dict] = []

    def flush():
        facts = _facts(batch, ratings, _pauses([r["pk"] for r in batch]))
        DossierFact.objects.bulk_create(
            [DossierFact(dossier_id=pk, **f) for pk, f in facts.items() if f["day"] >= start], batch_size=BATCH)
        counts["dossiers"] += sum(1 for f in facts.values() if f["day"] >= start)
        batch.clear()

    for row in source.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()

    window = DossierFact.objects.filter(day__gte=start)
    DailyAgencyFact.objects.filter(day__gte=start).delete()
    DailyAgencyFact.objects.bulk_create([
        DailyAgencyFact(agency_id=r["agency_id"], day=r["day"], **{c: r[f"n_{c}"] for c in COUNTERS})
        for r in window.values("agency_id", "day").annotate(
            **{f"n_{k}": v for k, v in _daily_aggregates().items()}).order_by()
    ], batch_size=BATCH)
    DailyLateFact.objects.filter(day__gte=start).delete()
    DailyLateFact.objects.bulk_create([
        DailyLateFact(**r) for r in window.filter(late_on__isnull=False).values("agency_id", "day", "late_on")
        .annotate(n=Count("pk")).order_by()
    ], batch_size=BATCH)
    # Months are rebuilt whole, from the facts of every day of the months the window touches.
    first_month = start.replace(day=1)
    MonthlyProcedureFact.objects.filter(month__gte=first_month).delete()
    # Grouped in the database: summing a month's rows in Python was a third of a full rebuild.
    MonthlyProcedureFact.objects.bulk_create([
        MonthlyProcedureFact(agency_id=r["agency_id"], procedure_id=r["procedure_id"], month=r["month"],
                             received=r["n"], online=r["n_online"], paid_online=r["n_paid"])
        for r in DossierFact.objects.filter(day__gte=first_month).annotate(month=TruncMonth("day"))
        .values("agency_id", "procedure_id", "month")
        .annotate(n=Count("pk"), n_online=Count("pk", filter=Q(online=True)),
                  n_paid=Count("pk", filter=Q(paid_online=True))).order_by().iterator(chunk_size=BATCH)
    ], batch_size=BATCH)
    rebuild_procedure_sets(first_month)
    counts["catalog"] = rebuild_catalog()
    return counts


def _daily_aggregates() -> dict:
    finished_paper = Q(finished=True, paper_result=True)
    return {
        "received": Count("pk"),
        "online": Count("pk", filter=Q(online=True)),
        "online_qualified": Count("pk", filter=Q(online=True) & (~finished_paper | Q(eresult=True))),
        "finished": Count("pk", filter=Q(finished=True)),
        "paper_finished": Count("pk", filter=finished_paper),
        "eresult": Count("pk", filter=finished_paper & Q(eresult=True)),
        "digitised": Count("pk", filter=Q(digitised=True)),
        "vneid": Count("pk", filter=Q(vneid=True)),
        "fee_bearing": Count("pk", filter=Q(fee_bearing=True)),
        "paid_online": Count("pk", filter=Q(paid_online=True)),
        "rated": Count("pk", filter=Q(rated=True)),
        "disliked": Count("pk", filter=Q(disliked=True)),
        "complained": Count("pk", filter=Q(disliked=True) | Q(feedback=True)),
        "processing_hours": Sum("processing_hours", default=0),
    }


assert set(_daily_aggregates()) == set(COUNTERS)


# ----------------------------------------------------------------------------- catalogue facts

def _wd_rule(parameters: dict, level: str | None, key: str, default_ministry: int, default_province: int) -> int:
    return int(parameters.get(f"{key}_ministry" if level == "ministry" else f"{key}_province",
                              default_ministry if level == "ministry" else default_province))


@transaction.atomic
def rebuild_catalog() -> int:
    """One row per procedure version: completeness (1.3), online service (3.1), fees (3.4), and the
    timeliness of its publication decision (1.1) and of its publication (1.2)."""
    from motcua.catalog.models import Channel, DossierComponent, Fee, Step, VersionAgency
    from motcua.indicators.selectors import definitions_at
    from motcua.workdays import services as workdays

    defs = definitions_at(timezone.localdate())
    p11 = defs["1.1"].parameters if "1.1" in defs else {}
    p12 = defs["1.2"].parameters if "1.2" in defs else {}
    versions = ProcedureVersion.objects.annotate(
        has_steps=Exists(Step.objects.filter(version=OuterRef("pk"))),
        has_channels=Exists(Channel.objects.filter(version=OuterRef("pk"))),
        has_components=Exists(DossierComponent.objects.filter(version=OuterRef("pk"))),
        has_limit=Exists(Channel.objects.filter(version=OuterRef("pk")).filter(
            Q(time_limit_value__isnull=False) | ~Q(time_limit_text=""))),
        has_agency=Exists(VersionAgency.objects.filter(
            version=OuterRef("pk"), role__in=[AgencyRole.COMPETENT, AgencyRole.IMPLEMENTING])),
        has_fee=Exists(Fee.objects.filter(channel__version=OuterRef("pk"), amount__gt=0)),
    ).values("pk", "procedure_id", "status", "procedure__current_version", "procedure__owner_agency_id",
             "decision__issuing_agency_id", "decision__issuing_agency__level", "decision__signed_on",
             "decision__effective_on", "published_at", "levels", "online_service", "name", "steps_text",
             "target_groups", "has_steps", "has_channels", "has_components", "has_limit", "has_agency", "has_fee")
    rows = []
    for v in versions:
        signed, effective = v["decision__signed_on"], v["decision__effective_on"]
        level = v["decision__issuing_agency__level"]
        decision_on_time = publicised_on_time = None
        if signed and effective:
            days = _wd_rule(p11, level, "working_days", 20, 5)
            decision_on_time = workdays.add_working_days(signed, days) <= effective
        if signed:
            days = _wd_rule(p12, level, "working_days", 10, 5)
            publicised_on_time = _local_date(v["published_at"]) <= workdays.add_working_days(signed, days)
        levels = set(v["levels"] or [])
        rows.append(CatalogFact(
            version_id=v["pk"], procedure_id=v["procedure_id"],
            current=v["procedure__current_version"] == v["pk"] and v["status"] == VersionStatus.PUBLISHED,
            owner_agency_id=v["procedure__owner_agency_id"], issuing_agency_id=v["decision__issuing_agency_id"],
            level_ministry="ministry" in levels, level_province="province" in levels,
            level_district="district" in levels, level_commune="commune" in levels,
            online=v["online_service"] in (OnlineService.FULL, OnlineService.PARTIAL), fee_bearing=v["has_fee"],
            complete=bool(v["name"] and (v["has_steps"] or v["steps_text"]) and v["has_channels"]
                          and v["has_components"] and v["has_limit"] and v["target_groups"] and v["has_agency"]),
            decided_on=signed, decision_on_time=decision_on_time, publicised_on_time=publicised_on_time,
        ))
    CatalogFact.objects.all().delete()
    CatalogFact.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
