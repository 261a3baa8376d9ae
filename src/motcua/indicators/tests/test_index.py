"""The index on real dossiers made through the real services: incremental facts, the nightly
rebuild, roll-ups across the July 2025 reform, drill-down rights, the API, and query counts."""

from datetime import date
from decimal import Decimal as D  # noqa: N817 (hand-computed figures read better short)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.choices import Role
from motcua.catalog.models import Procedure
from motcua.core.models import OutboxEvent, OutboxStatus
from motcua.dossiers.services import ComponentInput, submit_online, transition
from motcua.dossiers.tests.factories import APPLICANT, COMMUNE, SOCIAL_INSURANCE, agency, official, receive
from motcua.indicators import selectors, services
from motcua.indicators.errors import UnknownScopeError
from motcua.indicators.handlers import on_dossier
from motcua.indicators.models import (
    DailyAgencyFact,
    DailyLateFact,
    DossierFact,
    MonthlyProcedureFact,
    MonthlyProcedureSet,
    bits,
)
from motcua.units.models import UnitSuccession

from .conftest import at, deliver, process

pytestmark = pytest.mark.django_db


def online(people, when, accept_at=None):
    version = Procedure.objects.get(code="1.001193").current_version
    d = submit_online(version=version, agency=agency(COMMUNE), applicant=dict(APPLICANT), actor=None, at=when,
                      components=[ComponentInput(name="Tờ khai", originals=1)])
    if accept_at:
        d = transition(d.pk, "accept", actor=people.reception, at=accept_at, data={"time_limit": ["3", "working_day"]})
    return d


def september(people):
    """Eight dossiers received in September 2026 at the commune, two of them late at month end.

    A on time; B handed over late; C paused once for a supplement then finished within the
    extended time; D paused once and never resumed (ends at the request: on time); E left open
    past its due day (late at month end); F refused at the counter; G online, accepted, on time;
    H online, never accepted (not received); I received on the 28th, due 1 October (within time).
    """
    a = process(receive(people, at=at(2026, 9, 8, 9)), people, at(2026, 9, 8, 10), at(2026, 9, 8, 11),
                at(2026, 9, 8, 14), at(2026, 9, 9, 9), at(2026, 9, 9, 10))
    b = process(receive(people, at=at(2026, 9, 8, 10)), people, at(2026, 9, 8, 11), at(2026, 9, 14),
                at(2026, 9, 15), at(2026, 9, 16), at(2026, 9, 16, 10))
    c = receive(people, at=at(2026, 9, 9, 10))
    c = transition(c.pk, "request_supplement", actor=people.reception, reason="Bản sao mờ",
                   data={"missing_papers": ["Giấy chứng sinh"]}, at=at(2026, 9, 10, 10))
    c = transition(c.pk, "supplement", actor=people.reception, at=at(2026, 9, 14, 10))
    c = process(c, people, at(2026, 9, 14, 11), at(2026, 9, 15, 9), at(2026, 9, 15, 10), at(2026, 9, 15, 11),
                at(2026, 9, 15, 14))
    d = receive(people, at=at(2026, 9, 10, 9))
    d = transition(d.pk, "request_supplement", actor=people.reception, reason="Thiếu giấy tờ",
                   data={"missing_papers": ["Giấy chứng sinh"]}, at=at(2026, 9, 11, 9))
    e = process(receive(people, at=at(2026, 9, 10, 10)), people, at(2026, 9, 10, 11))
    f = transition(receive(people, at=at(2026, 9, 21, 9)).pk, "refuse", actor=people.reception,
                   reason="Không thuộc thẩm quyền", at=at(2026, 9, 21, 10))
    g = process(online(people, at(2026, 9, 22, 8), accept_at=at(2026, 9, 22, 9)), people, at(2026, 9, 22, 10),
                at(2026, 9, 22, 11), at(2026, 9, 22, 14), at(2026, 9, 23, 9), at(2026, 9, 23, 10))
    h = online(people, at(2026, 9, 22, 8, 30))
    i = receive(people, at=at(2026, 9, 28, 9))
    return dict(a=a, b=b, c=c, d=d, e=e, f=f, g=g, h=h, i=i)


def snapshot():
    def rows(model, exclude=("id", "updated_at")):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
        return sorted(tuple(r[f] for f in fields) for r in model.objects.values(*fields))

    daily = [r for r in rows(DailyAgencyFact) if any(r[2:])]
    late = [r for r in rows(DailyLateFact) if r[-1]]
    monthly = [r for r in rows(MonthlyProcedureFact) if any(r[3:])]
    # The agency-month procedure sets, as {(agency, month): (online ids, paid ids)}; empty sets dropped.
    sets = {(r.agency_id, r.month): (ids_of(r.online), ids_of(r.paid_online))
            for r in MonthlyProcedureSet.objects.all() if bits(r.online) or bits(r.paid_online)}
    return {"facts": rows(DossierFact), "daily": daily, "late": late, "monthly": monthly, "sets": sets}


def ids_of(data) -> set[int]:
    value = bits(data)
    return {i for i in range(value.bit_length()) if value >> i & 1}


def test_the_september_scorecard_is_what_a_person_computes_by_hand(people):
    made = september(people)
    deliver()
    card = selectors.scorecard("agency", COMMUNE, "2026-09")
    assert card.received == 8  # H was never accepted
    i21 = card.indicator("2.1")
    assert (i21.numerator, i21.denominator, i21.rate, i21.points) == (6, 8, D("75.00"), D("15.00"))
    late = set(DossierFact.objects.filter(late_on__lte=date(2026, 9, 30)).values_list("dossier_id", flat=True))
    assert late == {made["b"].pk, made["e"].pk}
    assert DossierFact.objects.get(dossier=made["i"]).late_on == date(2026, 10, 1)  # late only from October
    # 5.4 = 100 − 25 (late) − 0 (no dislike, no PAKN) = 75 → 6 × 75/90 = 5.00
    i54 = card.indicator("5.4")
    assert (i54.rate, i54.points) == (D("75.00"), D("5.00"))
    # 2.2: four dossiers reached "done" (A, B, C, G); F was refused, D and E and I are open.
    assert card.indicator("2.2").denominator == 4
    assert card.indicator("2.2").points == 0
    online_fact = DossierFact.objects.get(dossier=made["g"])
    assert online_fact.online and online_fact.finished
    i33 = card.indicator("3.3")
    expected_qualified = 0 if online_fact.paper_result else 1  # no signed e-result was issued
    assert (i33.numerator, i33.denominator) == (expected_qualified, 8)
    assert card.indicator("1.4").available is False and card.indicator("1.4").rate is None
    assert card.indicator("1.4").points == 0
    assert card.max_total == D("100.00")
    assert card.total == sum(g.points for g in card.groups)
    assert [g.max_points for g in card.groups] == [D(18), D(20), D(22), D(22), D(18)]
    assert card.band.code == "weak"
    # The month after: nothing received, every dossier rate is "—", no points for them.
    october = selectors.scorecard("agency", COMMUNE, "2026-10")
    assert october.received == 0 and october.indicator("2.1").rate is None
    assert october.indicator("2.1").points == D("0.00")
    h = selectors.headline("agency", COMMUNE, "2026-09")
    assert (h.received, h.on_time_rate, h.online_share) == (8, D("75.00"), D("12.50"))


def test_incremental_facts_equal_the_nightly_rebuild_and_the_rebuild_is_idempotent(people):
    september(people)
    deliver()
    incremental = snapshot()
    assert incremental["facts"]
    services.recompute(days=400, today=date(2026, 11, 26))
    rebuilt = snapshot()
    assert rebuilt == incremental
    services.recompute(days=400, today=date(2026, 11, 26))
    assert snapshot() == rebuilt


def test_the_procedure_sets_follow_the_counters_both_ways(people):
    """A procedure's bit is set by its first online dossier of the month and cleared when the last
    one goes; 3.2 and 3.4 count bits, so a stale bit would count a procedure nobody used online."""
    september(people)
    deliver()
    sets = snapshot()["sets"]
    online_used = {(a, m): on for (a, m), (on, _paid) in sets.items()}
    monthly = {(r.agency_id, r.procedure_id, r.month): r for r in MonthlyProcedureFact.objects.all()}
    assert online_used and all(monthly[(a, p, m)].online > 0 for (a, m), on in online_used.items() for p in on)
    (agency_id, procedure_id, month), row = next((k, r) for k, r in monthly.items() if r.online > 0)
    services._apply({("monthly", agency_id, procedure_id, month): {"online": -row.online}})
    assert procedure_id not in snapshot()["sets"].get((agency_id, month), (set(), set()))[0]
    services._apply({("monthly", agency_id, procedure_id, month): {"online": 1, "paid_online": 1}})
    on, paid = snapshot()["sets"][(agency_id, month)]
    assert procedure_id in on and procedure_id in paid


def test_replaying_an_event_changes_nothing(people):
    made = september(people)
    deliver()
    before = snapshot()
    events = list(OutboxEvent.objects.filter(topic__startswith="dossier.", aggregate_id=str(made["b"].pk)))
    for event in events:
        on_dossier(event)
        on_dossier(event)
    OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(status=OutboxStatus.PENDING)
    deliver()
    assert snapshot() == before


def test_each_figure_links_to_its_dossiers_for_officials_of_the_scope_only(people, client):
    made = september(people)
    deliver()
    card = selectors.scorecard("agency", COMMUNE, "2026-09")
    i21 = card.indicator("2.1")
    client.force_login(people.reception)
    page = client.get(i21.numerator_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert made["a"].code in text and made["b"].code not in text
    late_url = i21.numerator_url.replace("set=on_time", "set=late")
    text = client.get(late_url).content.decode()
    assert made["b"].code in text and made["e"].code in text and made["a"].code not in text
    assert "Trễ hạn từ" in text
    # An official of another agency (the provincial justice department) sees a 403, not the list.
    client.force_login(people.outsider)
    refused = client.get(i21.numerator_url)
    assert refused.status_code == 403
    assert made["a"].code not in refused.content.decode()
    # An unknown scope or set is a 404 with a Vietnamese message; anonymous visitors go to login.
    client.force_login(people.reception)
    missing = client.get(i21.numerator_url.replace("set=on_time", "set=nothing"))
    assert missing.status_code == 404 and "không hợp lệ" in missing.content.decode()
    client.logout()
    assert client.get(i21.numerator_url).status_code == 302


def test_the_national_drill_down_is_for_system_administrators(people, client):
    september(people)
    deliver()
    url = selectors.scorecard("national", "VN", "2026-09").indicator("2.1").denominator_url
    client.force_login(people.reception)
    assert client.get(url).status_code == 403
    admin = official("quantri", COMMUNE, Role.SYSTEM_ADMIN)
    client.force_login(admin)
    assert client.get(url).status_code == 200


def test_a_2024_dossier_counts_for_its_old_commune_as_filed_and_its_successor_today(people):
    d = process(receive(people, at=at(2024, 5, 6, 9)), people, at(2024, 5, 6, 10))
    deliver()
    commune = agency(COMMUNE)
    old_unit = commune.unit
    assert old_unit.edition == "2004"
    succession = UnitSuccession.objects.filter(old_unit=old_unit).select_related("new_unit__parent").first()
    new_unit = succession.new_unit
    # As filed: the old commune (2004 list) and the old province (Tây Ninh, 72).
    filed = selectors.scorecard("commune", f"2004:{old_unit.code}", "2024-05", units_as="as_filed")
    assert filed.received == 1 and "trước 01/07/2025" in filed.scope.name
    assert selectors.scorecard("province", "72", "2024-05", units_as="as_filed").received == 1
    # "80" in May 2024 was Long An, which had no part in this dossier.
    assert selectors.scorecard("province", "80", "2024-05", units_as="as_filed").received == 0
    # Today: the 2025 commune it became part of and the new Tây Ninh (80), which merged Long An in.
    today = selectors.scorecard("commune", new_unit.code, "2024-05", units_as="today")
    assert today.received == 1 and today.scope.edition == "2025"
    assert selectors.scorecard("province", new_unit.parent.code, "2024-05").received == 1
    assert new_unit.parent.code == "80"
    # The dossier keeps the agency it was filed with.
    assert DossierFact.objects.get(dossier=d).agency == commune
    assert selectors.scorecard("agency", COMMUNE, "2024").received == 1
    codes = {s.code for s in selectors.scopes("province", units_as="as_filed", period="2024-05")}
    assert "72" in codes
    assert "80" in {s.code for s in selectors.scopes("province")}


def test_ministry_roll_up_covers_its_vertical_branches(people):
    insurance = agency(SOCIAL_INSURANCE)  # Bảo hiểm xã hội tỉnh Tây Ninh, under Bảo hiểm xã hội Việt Nam
    clerk = official("bhxh_tiepnhan", SOCIAL_INSURANCE, Role.RECEPTION)
    version = Procedure.objects.get(code="1.001193").current_version
    from motcua.dossiers.services import receive_at_counter

    receive_at_counter(version=version, agency=insurance, applicant=dict(APPLICANT), actor=clerk,
                       components=[ComponentInput(name="Tờ khai", originals=1)], at=at(2026, 9, 8, 9),
                       time_limit=(D(3), "working_day"))
    receive(people, at=at(2026, 9, 8, 9))
    deliver()
    root = insurance
    while root.parent_id:
        root = root.parent
    card = selectors.scorecard("ministry", root.organ_code, "2026-09")
    assert card.received == 1 and card.scope.name == root.name
    # The branch has no unit in the organ-code list (its parent is the ministry), so only the
    # commune's dossier counts for the province; both count nationally.
    assert insurance.unit_id is None
    assert selectors.scorecard("province", "80", "2026-09").received == 1
    assert selectors.scorecard("national", "VN", "2026-09").received == 2
    with pytest.raises(UnknownScopeError):
        selectors.scorecard("ministry", COMMUNE, "2026-09")  # a commune is not a ministry


def test_scorecard_queries_do_not_grow_with_dossiers_or_agencies(people):
    receive(people, at=at(2026, 9, 8, 9))
    deliver()
    selectors.scorecard("province", "80", "2026-09")  # warm caches (content types, calendars)
    with CaptureQueriesContext(connection) as small:
        selectors.scorecard("province", "80", "2026-09")
    september(people)
    clerk = official("bhxh_tiepnhan", SOCIAL_INSURANCE, Role.RECEPTION)
    version = Procedure.objects.get(code="1.001193").current_version
    from motcua.dossiers.services import receive_at_counter

    for day in (8, 9, 10):
        receive_at_counter(version=version, agency=agency(SOCIAL_INSURANCE), applicant=dict(APPLICANT), actor=clerk,
                           components=[ComponentInput(name="Tờ khai", originals=1)], at=at(2026, 9, day, 9),
                           time_limit=(D(3), "working_day"))
    deliver()
    with CaptureQueriesContext(connection) as large:
        card = selectors.scorecard("province", "80", "2026-09")
    assert card.received == 9  # the branch has no unit: its dossiers count for the ministry, not the province
    assert len(large) == len(small) <= 20
    assert not any("dossiers_dossier" in q["sql"] for q in large.captured_queries)


def test_unknown_scopes_are_refused_in_vietnamese():
    with pytest.raises(UnknownScopeError, match="Không có tỉnh/thành phố mã “99”"):
        selectors.scorecard("province", "99", "2026-09")
    with pytest.raises(UnknownScopeError, match="Không có cơ quan"):
        selectors.scorecard("agency", "khong-co", "2026-09")
    with pytest.raises(UnknownScopeError, match="units_as"):
        selectors.scorecard("agency", COMMUNE, "2026-09", units_as="yesterday")


def test_the_definition_in_force_at_the_period_end_applies(people):
    from motcua.indicators.models import IndicatorDefinition

    september(people)
    deliver()
    old = IndicatorDefinition.objects.get(code="2.1")
    IndicatorDefinition.objects.create(code="2.1", group=2, label=old.label, max_points=D(20), threshold=D(80),
                                       effective_from=date(2026, 10, 1), legal_source="thử nghiệm")
    # September keeps the old rule (no threshold: 75 % → 15.00); the year 2026 ends after the change.
    assert selectors.scorecard("agency", COMMUNE, "2026-09").indicator("2.1").points == D("15.00")
    # The year is still running: its open dossiers are measured at yesterday, so I (due 1 October,
    # still open) is late too: 5 of 8 = 62.5 % → 20 × 62.5/80 = 15.625 → 15.63.
    year = selectors.scorecard("agency", COMMUNE, "2026").indicator("2.1")
    assert (year.numerator, year.threshold, year.points) == (5, D(80), D("15.63"))


def test_the_api_answers_and_refuses_in_the_shared_error_shape(people, client):
    september(people)
    deliver()
    ok = client.get(f"/api/v1/indicators/agency/{COMMUNE}/scorecard?period=2026-09")
    assert ok.status_code == 200
    body = ok.json()
    assert body["received"] == 8 and body["period"]["label"] == "Tháng 09/2026"
    i21 = next(i for g in body["groups"] for i in g["indicators"] if i["id"] == "2.1")
    assert i21["numerator"] == 6 and i21["rate"] in ("75.00", 75.0)
    assert i21["numerator_url"].startswith("http://testserver/mot-cua/chi-so/ho-so/")
    bad_period = client.get(f"/api/v1/indicators/agency/{COMMUNE}/scorecard?period=2026-13")
    assert bad_period.status_code == 422
    assert bad_period.json()["detail"][0]["loc"] == ["query", "period"]
    assert "không hợp lệ" in bad_period.json()["detail"][0]["msg"]
    unknown = client.get("/api/v1/indicators/province/99/scorecard?period=2026-09")
    assert unknown.status_code == 404
    assert unknown.json()["detail"][0]["msg"].startswith("Không có tỉnh/thành phố")
    assert client.get("/api/v1/indicators/planet/VN/scorecard?period=2026").status_code == 422
    head = client.get(f"/api/v1/indicators/agency/{COMMUNE}/headline?period=2026-09").json()
    assert head["received"] == 8
    trend = client.get(f"/api/v1/indicators/agency/{COMMUNE}/trend?until=2026-10&count=3").json()
    assert [p["period"]["key"] for p in trend] == ["2026-08", "2026-09", "2026-10"]
    assert trend[1]["headline"]["received"] == 8


def test_the_recompute_command_rebuilds_the_window(people):
    from io import StringIO

    from django.core.management import call_command

    september(people)
    deliver()
    before = snapshot()
    DailyAgencyFact.objects.all().delete()  # lost counters are rebuilt from the source
    out = StringIO()
    call_command("indicators", "recompute", "--days", "400", stdout=out)
    assert "8 hồ sơ" in out.getvalue()
    assert snapshot() == before


def test_the_worker_enqueues_the_nightly_rebuild_once_a_day_and_it_rebuilds(people, settings):
    from django.test import override_settings
    from django.utils import timezone

    from motcua.core import schedule

    september(people)
    deliver()
    before = snapshot()
    DailyAgencyFact.objects.all().delete()  # lost counters come back at night
    settings.MOTCUA_INDICATORS_NIGHTLY_AT = "02:30"
    settings.MOTCUA_INDICATORS_WINDOW_DAYS = 400  # September 2026 is inside the window
    nightly = [j for j in schedule.jobs() if j.name == "indicators.recompute"]
    night = timezone.localtime().replace(hour=2, minute=31)
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        assert schedule.run_due(night.replace(minute=29), nightly) == []   # not yet
        assert schedule.run_due(night, nightly) == ["indicators.recompute"]
    assert snapshot() == before
    DailyAgencyFact.objects.all().delete()
    with override_settings(TASKS=immediate):
        assert schedule.run_due(night.replace(hour=14), nightly) == []     # once a day
    assert not DailyAgencyFact.objects.exists()
