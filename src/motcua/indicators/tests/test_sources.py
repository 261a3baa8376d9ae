"""Figures that come from other contexts: online payment, digitised papers, the catalogue, and the
feedback (PAKN) and satisfaction contexts (coded against their published contracts)."""

import sys
import types
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal as D  # noqa: N817 (hand-computed figures read better short)

import pytest
from django.core.files.base import ContentFile

from motcua.catalog.choices import OnlineService
from motcua.catalog.models import SearchDocument
from motcua.dossiers.models import ReceivedComponent
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import COMMUNE, receive
from motcua.indicators import handlers, selectors, services
from motcua.indicators.models import CatalogFact, DailyFeedbackFact, DossierFact, FeedbackFact
from motcua.payments.services import handle_callback, start_payment
from motcua.payments.tests.helpers import dossier_with_fee, ipn_params

from .conftest import VN, at, deliver, process
from .test_index import snapshot

pytestmark = pytest.mark.django_db


def test_online_payment_and_digitisation_count_where_the_index_says(people):
    paid = dossier_with_fee(people, at=at(2026, 9, 8, 9))
    unpaid = dossier_with_fee(people, at=at(2026, 9, 8, 10))
    payment, _url = start_payment(paid, user=people.reception)
    handle_callback(ipn_params(payment))
    scanned = receive(people, at=at(2026, 9, 9, 9))
    for component in ReceivedComponent.objects.filter(dossier=scanned):
        component.file.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    transition(scanned.pk, "forward", actor=people.reception, at=at(2026, 9, 9, 10))  # any event refreshes it
    deliver()
    assert DossierFact.objects.get(dossier=paid).paid_online
    assert not DossierFact.objects.get(dossier=unpaid).paid_online
    card = selectors.scorecard("agency", COMMUNE, "2026-09")
    i36 = card.indicator("3.6")
    # 1 of the 2 fee-bearing dossiers paid online; no threshold, 4 points → 50 % × 4 = 2.00
    assert (i36.numerator, i36.denominator, i36.rate, i36.points) == (1, 2, D("50.00"), D("2.00"))
    i42 = card.indicator("4.2")
    # 1 of 3 dossiers has every paper scanned; 4.2 full at 80 %: 6 × 33.33/80 = 2.50
    assert (i42.numerator, i42.denominator, i42.points) == (1, 3, D("2.50"))
    incremental = snapshot()
    services.recompute(days=400, today=date(2026, 11, 26))
    assert snapshot() == incremental


def test_catalogue_indicators_read_the_catalogue_facts(people):
    services.rebuild_catalog()
    assert CatalogFact.objects.filter(current=True).exists()
    card = selectors.scorecard("agency", COMMUNE, "2026-09")
    i31 = card.indicator("3.1")
    # A commune's People's Committee: every national procedure published at commune level.
    national_commune = SearchDocument.objects.filter(level_commune=True, procedure__owner_agency__isnull=True,
                                                     status="published")
    assert i31.denominator == national_commune.count() > 0
    assert i31.numerator == national_commune.filter(
        online_service__in=[OnlineService.FULL, OnlineService.PARTIAL]).count()
    assert card.indicator("1.3").denominator == i31.denominator
    # 3.2 counts online services used in the period: one online dossier for 1.001193 makes one used
    # (when that procedure has an online service).
    assert card.indicator("3.2").numerator == 0
    # Rebuilding again gives the same rows.
    before = sorted(CatalogFact.objects.values_list("version_id", "complete", "online", "fee_bearing"))
    services.rebuild_catalog()
    assert sorted(CatalogFact.objects.values_list("version_id", "complete", "online", "fee_bearing")) == before


# ----------------------------------------------------------------------------- feedback and ratings

@dataclass
class CaseFact:
    case_id: int
    agency_id: int
    procedure_id: int | None
    dossier_id: int | None
    received_at: datetime
    category: str
    handled: bool
    handled_on_time: bool | None
    unsatisfactory: bool
    repeated_complaint: bool


@dataclass
class RatingFact:
    dossier_id: int
    agency_id: int
    level: str
    score: int
    rated_at: datetime
    unsatisfactory: bool


@pytest.fixture
def contexts(monkeypatch):
    """The feedback and satisfaction contexts as their contracts describe them, with facts we set."""
    cases: dict[int, CaseFact] = {}
    ratings: dict[int, RatingFact] = {}
    feedback = types.ModuleType("motcua.feedback.selectors")
    feedback.case_fact = lambda case_id: cases.get(case_id)
    feedback.case_facts = lambda *, received_from, received_to: [
        c for c in cases.values() if received_from <= c.received_at < received_to]
    satisfaction = types.ModuleType("motcua.satisfaction.selectors")
    satisfaction.rating_fact = lambda dossier_id: ratings.get(dossier_id)
    satisfaction.rating_facts = lambda *, rated_from, rated_to: [
        r for r in ratings.values() if rated_from <= r.rated_at < rated_to]
    for name, module in (("motcua.feedback", feedback), ("motcua.satisfaction", satisfaction)):
        package = sys.modules.get(name) or types.ModuleType(name)
        monkeypatch.setitem(sys.modules, name, package)
        monkeypatch.setitem(sys.modules, f"{name}.selectors", module)
        monkeypatch.setattr(package, "selectors", module, raising=False)
    real = services.apps.is_installed
    monkeypatch.setattr(services.apps, "is_installed",
                        lambda app: app in ("motcua.feedback", "motcua.satisfaction") or real(app))
    return cases, ratings


class Event:
    def __init__(self, payload):
        self.payload = payload


def test_feedback_and_ratings_feed_group_5(people, contexts):
    cases, ratings = contexts
    d1 = process(receive(people, at=at(2026, 9, 8, 9)), people, at(2026, 9, 8, 10), at(2026, 9, 8, 11),
                 at(2026, 9, 8, 14), at(2026, 9, 9, 9), at(2026, 9, 9, 10))
    d2 = process(receive(people, at=at(2026, 9, 8, 10)), people, at(2026, 9, 8, 11), at(2026, 9, 8, 14),
                 at(2026, 9, 8, 15), at(2026, 9, 9, 9), at(2026, 9, 9, 11))
    d3 = receive(people, at=at(2026, 9, 28, 9))  # open, due 1 October: within time at the month's end
    d4 = receive(people, at=at(2026, 9, 28, 10))
    deliver()
    agency_id = d1.receiving_agency_id
    # d1 rated unsatisfactory; d2 rated well; a PAKN about d3's handling.
    ratings[d1.pk] = RatingFact(d1.pk, agency_id, "khong_hai_long", 0, datetime(2026, 9, 10, 9, tzinfo=VN), True)
    ratings[d2.pk] = RatingFact(d2.pk, agency_id, "hai_long", 2, datetime(2026, 9, 10, 9, tzinfo=VN), False)
    rows = [
        # id, dossier, category, handled, on time, unsatisfactory, repeated
        (1, d3.pk, "conduct", True, True, False, False),     # satisfied, on time
        (2, None, "regulation", True, False, False, False),  # handled late → dissatisfied
        (3, None, "regulation", True, True, True, False),    # answer disliked → dissatisfied
        (4, None, "conduct", False, None, False, False),     # open, not late yet → on time
        (5, None, "regulation", True, True, False, True),    # repeated with a complaint → dissatisfied
    ]
    for case_id, dossier_id, category, handled, on_time, unsat, repeated in rows:
        cases[case_id] = CaseFact(case_id, agency_id, None, dossier_id, datetime(2026, 9, 15, 9, tzinfo=VN),
                                  category, handled, on_time, unsat, repeated)
        handlers.on_feedback(Event({"case": case_id, "agency": agency_id, "action": "created", "at": ""}))
    handlers.on_rating(Event({"dossier": d1.pk, "rating": 0, "agency": agency_id, "at": ""}))
    handlers.on_rating(Event({"dossier": d2.pk, "rating": 2, "agency": agency_id, "at": ""}))
    handlers.on_rating(Event({"dossier": d2.pk, "rating": 2, "agency": agency_id, "at": ""}))  # replayed
    card = selectors.scorecard("agency", COMMUNE, "2026-09")
    i51, i52, i53, i54 = (card.indicator(c) for c in ("5.1", "5.2", "5.3", "5.4"))
    assert (i51.numerator, i51.denominator, i51.points) == (3, 5, D("0.00"))  # information only
    assert (i52.numerator, i52.denominator, i52.rate, i52.points) == (4, 5, D("80.00"), D("4.80"))  # 6 × 0.8
    assert (i53.numerator, i53.denominator, i53.rate, i53.points) == (2, 5, D("40.00"), D("2.40"))
    # 5.4: 4 dossiers, none late; d1 disliked, d3 has a PAKN → 100 − 0 − 50 = 50 % → 6 × 50/90 = 3.33
    assert (i54.numerator, i54.denominator, i54.rate, i54.points) == (2, 4, D("50.00"), D("3.33"))
    assert DossierFact.objects.get(dossier=d3).feedback and DossierFact.objects.get(dossier=d1).disliked
    assert not DossierFact.objects.get(dossier=d4).feedback
    # A case that changes (now handled late) moves the counters once; replaying changes nothing.
    cases[1].handled_on_time = False
    handlers.on_feedback(Event({"case": 1}))
    handlers.on_feedback(Event({"case": 1}))
    assert DailyFeedbackFact.objects.get().on_time == 3
    incremental = (snapshot(), sorted(FeedbackFact.objects.values_list()), sorted(
        DailyFeedbackFact.objects.values_list("agency_id", "day", "cases", "regulation", "on_time", "dissatisfied")))
    services.recompute(days=400, today=date(2026, 11, 26))
    rebuilt = (snapshot(), sorted(FeedbackFact.objects.values_list()), sorted(
        DailyFeedbackFact.objects.values_list("agency_id", "day", "cases", "regulation", "on_time", "dissatisfied")))
    assert rebuilt == incremental
    h = selectors.headline("agency", COMMUNE, "2026-09")
    assert (h.feedback_on_time_rate, h.satisfaction_rate) == (D("60.00"), D("50.00"))


def test_publication_timeliness_1_1_and_1_2_by_hand():
    """Two procedures published by Bộ Tư pháp in March 2026 (no holiday that month).

    A: decision signed Mon 2 March, in force Wed 1 April: 20 working days after 2 March is
    Mon 30 March ≤ 1 April → on time (1.1); publicised Tue 10 March ≤ Mon 16 March (10 WD) → on time.
    B: signed Fri 20 March, in force 1 April (8 working days later) → late; publicised 20 April,
    after the 10 working days (3 April) → late. 1.1 = 1.2 = 50 % → 4 × 50 % = 2.00 points each.
    """
    from datetime import date

    from motcua.catalog.models import ProcedureVersion, PublicationDecision
    from motcua.catalog.records import ProcedureRecord
    from motcua.catalog.services import publish_record
    from motcua.units.models import Agency

    justice = Agency.objects.get(organ_code="000.00.00.G15")
    for code, number, signed, published in (("9.999001", "01/QĐ-BTP-THU", date(2026, 3, 2), date(2026, 3, 10)),
                                            ("9.999002", "02/QĐ-BTP-THU", date(2026, 3, 20), date(2026, 4, 20))):
        version, _created = publish_record(ProcedureRecord(code=code, name=f"Thủ tục thử {code}", source="test",
                                                           decision_number=number, levels=["ministry"]))
        PublicationDecision.objects.filter(number=number).update(
            signed_on=signed, effective_on=date(2026, 4, 1), issuing_agency=justice)
        ProcedureVersion.objects.filter(pk=version.pk).update(
            published_at=datetime(published.year, published.month, published.day, 9, tzinfo=VN))
    services.rebuild_catalog()
    card = selectors.scorecard("ministry", "000.00.00.G15", "2026-03")
    for code in ("1.1", "1.2"):
        ind = card.indicator(code)
        assert (ind.numerator, ind.denominator, ind.rate, ind.points) == (1, 2, D("50.00"), D("2.00")), code
    april = selectors.scorecard("ministry", "000.00.00.G15", "2026-04").indicator("1.1")
    assert (april.denominator, april.rate, april.points) == (0, None, D("0.00"))


@pytest.mark.skipif(not (services.feedback_available() and services.satisfaction_available()),
                    reason="the feedback and satisfaction contexts are not installed")
def test_real_ratings_and_feedback_flow_through_the_outbox(people):
    """The real contexts: a rating through satisfaction.rate_dossier, a PAKN about a dossier through
    feedback.submit; their outbox events update the figures, and the nightly rebuild agrees."""
    from motcua.dossiers.tests.factories import APPLICANT
    from motcua.feedback import services as feedback
    from motcua.satisfaction import services as satisfaction
    from motcua.satisfaction.choices import Level

    d1 = process(receive(people, at=at(2026, 9, 8, 9)), people, at(2026, 9, 8, 10), at(2026, 9, 8, 11),
                 at(2026, 9, 8, 14), at(2026, 9, 9, 9), at(2026, 9, 9, 10))
    d2 = receive(people, at=at(2026, 9, 28, 9))  # open, within time at the month's end
    satisfaction.rate_dossier(d1.pk, satisfaction.RatingInput(level=Level.NOT_SATISFIED,
                                                              answers=dict.fromkeys(range(2, 13), 0)),
                              now=at(2026, 9, 10, 9))
    feedback.submit(feedback.Submission(
        kind="report", category="conduct", title="Cán bộ hẹn lại nhiều lần",
        content="Tôi nộp hồ sơ khai sinh cho con, cán bộ tiếp nhận hẹn lại nhiều lần mà không nêu lý do rõ ràng.",
        agency=d2.receiving_agency, submitter_name=APPLICANT["full_name"], submitter_phone=APPLICANT["phone"],
        submitter_email=APPLICANT["email"], dossier_code=d2.code), at=at(2026, 9, 29, 9))
    deliver()
    assert DossierFact.objects.get(dossier=d1).disliked
    assert DossierFact.objects.get(dossier=d2).feedback
    card = selectors.scorecard("agency", COMMUNE, "2026-09")
    i54 = card.indicator("5.4")
    # 2 dossiers, none late; both disliked or with a PAKN → 100 − 0 − 100 = 0 %
    assert (i54.numerator, i54.denominator, i54.rate, i54.points) == (2, 2, D("0.00"), D("0.00"))
    assert card.indicator("5.1").available and card.indicator("5.1").denominator == 1
    incremental = snapshot()
    services.recompute(days=400, today=date(2026, 11, 26))
    assert snapshot() == incremental
