"""A trend computes all its periods together (each table read once, grouped by period): on generated
facts, every point must equal the scorecard of its own period, and the cost must not grow with the
number of periods."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers.tests.factories import COMMUNE
from motcua.indicators import selectors, services
from motcua.indicators.models import (
    CatalogFact,
    DailyAgencyFact,
    DailyFeedbackFact,
    DailyLateFact,
    MonthlyProcedureFact,
)
from motcua.indicators.periods import previous_periods
from motcua.indicators.scopes import AgencyMap, resolve
from motcua.indicators.selectors import COUNTERS, TrendPoint

pytestmark = pytest.mark.django_db


def generate(seed: int) -> None:
    """Random counters for 20 months up to today, on the agencies of province 80 (today and as
    filed before July 2025) and a few others, with late days on both sides of every period end."""
    rng = random.Random(seed)
    services.rebuild_catalog()
    amap = AgencyMap()
    today_ids = sorted(resolve("province", "80", units_as="today", period=None, amap=amap)[1])
    filed_ids = sorted(resolve("province", "2004:80", units_as="as_filed", period=None, amap=amap)[1])
    filed_ids += sorted(resolve("province", "80", units_as="as_filed", period=selectors.parse_period("2026-01"),
                                amap=amap)[1])
    others = sorted(set(amap.agencies) - set(today_ids) - set(filed_ids))
    commune = amap.find(COMMUNE).pk
    agencies = sorted({commune, *rng.sample(today_ids, min(4, len(today_ids))),
                       *rng.sample(filed_ids, min(4, len(filed_ids))), *rng.sample(others, min(3, len(others)))})
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=600)).replace(day=1)
    procedures = list(CatalogFact.objects.filter(current=True).values_list("procedure_id", flat=True))
    daily, late, feedback, monthly = [], [], [], {}
    day = first
    while day <= today:
        for agency_id in agencies:
            if rng.random() < 0.5:
                continue
            received = rng.randint(1, 40)
            daily.append(DailyAgencyFact(agency_id=agency_id, day=day, received=received,
                                         **{c: rng.randint(0, received) for c in COUNTERS if c != "received"}))
            for _i in range(rng.randint(0, 2)):
                # Late from a day that may fall after the period's end, or after yesterday.
                late.append(DailyLateFact(agency_id=agency_id, day=day, late_on=day + timedelta(days=rng.randint(0, 70)),
                                          n=rng.randint(1, 3)))
            if rng.random() < 0.3:
                cases = rng.randint(1, 5)
                feedback.append(DailyFeedbackFact(agency_id=agency_id, day=day, cases=cases,
                                                  regulation=rng.randint(0, cases), on_time=rng.randint(0, cases),
                                                  dissatisfied=rng.randint(0, cases)))
            if procedures:
                row = monthly.setdefault((agency_id, rng.choice(procedures), day.replace(day=1)),
                                         {"received": 0, "online": 0, "paid_online": 0})
                row["received"] += 1
                row["online"] += rng.random() < 0.5
                row["paid_online"] += rng.random() < 0.3
        day += timedelta(days=1)
    DailyAgencyFact.objects.bulk_create(daily)
    DailyLateFact.objects.bulk_create(late, ignore_conflicts=True)
    DailyFeedbackFact.objects.bulk_create(feedback)
    MonthlyProcedureFact.objects.bulk_create([MonthlyProcedureFact(agency_id=a, procedure_id=p, month=m, **row)
                                              for (a, p, m), row in monthly.items()])
    services.rebuild_procedure_sets(first.replace(day=1))  # what the nightly job derives from those rows
    # Catalogue decisions spread over the same months, some issued by the scope's agencies.
    facts = list(CatalogFact.objects.all())
    for fact in facts:
        fact.decided_on = first + timedelta(days=rng.randint(0, (today - first).days))
        fact.decision_on_time = rng.choice([True, False, None])
        fact.publicised_on_time = rng.choice([True, False, None])
        fact.issuing_agency_id = rng.choice(agencies)
    CatalogFact.objects.bulk_update(facts, ["decided_on", "decision_on_time", "publicised_on_time",
                                            "issuing_agency_id"], batch_size=500)


def expected(kind, code, periods, units_as):
    out = []
    for period in periods:
        card = selectors.scorecard(kind, code, period, units_as=units_as)
        out.append(TrendPoint(period=card.period, total=card.total, band=card.band,
                              group_points={g.number: g.points for g in card.groups},
                              headline=selectors.headline(kind, code, period, units_as=units_as)))
    return out


def this_month():
    today = timezone.localdate()
    return f"{today.year}-{today.month:02d}"


def this_quarter():
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


@pytest.mark.parametrize("seed", [1, 2])
def test_trend_equals_the_scorecard_of_each_period(seed):
    generate(seed)
    cases = [
        ("province", "80", (this_month(), 14), "today"),          # the running month: cut-off yesterday
        ("province", "80", (this_quarter(), 6), "today"),
        ("province", "80", ("2025-12", 12), "as_filed"),           # Long An until June 2025, new Tây Ninh after
        ("national", "VN", (str(timezone.localdate().year), 2), "today"),
        ("agency", COMMUNE, (this_month(), 20), "today"),
        ("province", "80", ["2026-01", "2026-Q1", "2026", "2026-01"], "today"),  # overlapping and repeated
    ]
    for kind, code, periods, units_as in cases:
        got = selectors.trend(kind, code, periods, units_as=units_as)
        keys = [p.period.key for p in got]
        want = expected(kind, code, keys, units_as)
        assert any(p.headline.received for p in got), (kind, code, periods)
        for g, w in zip(got, want, strict=True):
            assert g == w, (kind, code, units_as, g.period.key)


@pytest.mark.parametrize("kind,code,units_as", [("national", "VN", "today"), ("province", "80", "today"),
                                                ("province", "80", "as_filed"), ("agency", COMMUNE, "today")])
def test_procedures_used_online_are_the_distinct_procedures_of_the_month_counters(kind, code, units_as):
    """3.2 and 3.4 read the agency-month bitsets; they must count what a COUNT(DISTINCT procedure)
    over the monthly counters of the scope's agencies counts, period by period."""
    generate(5)
    periods = previous_periods(selectors.parse_period(this_month()), 14)
    for point in periods:
        card = selectors.scorecard(kind, code, point, units_as=units_as)
        _scope, ids = resolve(kind, code, units_as=units_as, period=point, amap=AgencyMap())
        rows = MonthlyProcedureFact.objects.filter(month__gte=point.start, month__lte=point.end)
        if ids is not None:
            rows = rows.filter(agency_id__in=ids)
        for indicator, flag, counter in (("3.2", "online", "online"), ("3.4", "fee_bearing", "paid_online")):
            competent = {p for p in CatalogFact.objects.filter(
                selectors._catalog_competence(ids, AgencyMap()), current=True, **{flag: True})
                .values_list("procedure_id", flat=True)}
            want = rows.filter(**{f"{counter}__gt": 0}, procedure_id__in=competent).values("procedure_id").distinct()
            assert card.indicator(indicator).numerator == want.count(), (indicator, point.key)


def test_the_dashboard_scorecard_is_the_scorecard_of_its_period():
    generate(3)
    card, trend = selectors.scorecard_and_trend("province", "80", this_month(), 12)
    assert card == selectors.scorecard("province", "80", this_month())
    assert card.indicator("2.1").numerator_url  # the page's figures keep their drill-down links
    assert trend == selectors.trend("province", "80", (this_month(), 12))
    assert trend[-1].period == card.period and len(trend) == 12


def test_a_trend_costs_the_same_queries_for_one_period_or_twenty():
    generate(4)
    selectors.trend("province", "80", (this_month(), 1))  # warm caches (content types)
    counts = {}
    for kind, code in (("province", "80"), ("agency", COMMUNE), ("national", "VN")):
        for n in (1, 4, 12, 20):
            with CaptureQueriesContext(connection) as ctx:
                selectors.trend(kind, code, (this_month(), n))
            counts[(kind, code, n)] = len(ctx)
    assert len(set(counts.values())) <= 2, counts  # a unit scope looks its unit up once
    assert max(counts.values()) <= 15
    with CaptureQueriesContext(connection) as ctx:
        selectors.scorecard_and_trend("province", "80", this_month(), 12)
    assert len(ctx) == counts[("province", "80", 12)]


def test_a_trend_across_the_reform_as_filed_reads_each_code_list_once():
    generate(5)
    with CaptureQueriesContext(connection) as after:
        selectors.trend("province", "80", ("2026-10", 12), units_as="as_filed")
    with CaptureQueriesContext(connection) as across:
        selectors.trend("province", "80", ("2025-12", 12), units_as="as_filed")
    with CaptureQueriesContext(connection) as across_longer:
        selectors.trend("province", "80", ("2026-10", 20), units_as="as_filed")
    months = previous_periods(selectors.parse_period("2025-12"), 12)
    assert months[0].start < date(2025, 7, 1) <= months[-1].start
    # Before July 2025 "80" was Long An (2004 list), after it the new Tây Ninh: two agency sets, so
    # one more scope look-up and one more read of each table, whatever the number of months.
    assert len(after) < len(across) == len(across_longer) <= 2 * len(after)
