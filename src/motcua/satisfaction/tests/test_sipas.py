"""The SIPAS survey: questionnaire, sampling from real units, single-use tokens, the index by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.core.models import OutboxEvent
from motcua.dossiers.choices import Channel, Stage
from motcua.satisfaction import handlers, selectors, services
from motcua.satisfaction.choices import CampaignState, SipasContent
from motcua.satisfaction.models import (
    SipasCampaign,
    SipasCriterion,
    SipasElement,
    SipasInvitation,
    SipasResponse,
)
from motcua.satisfaction.tests.factories import COMMUNE, JUSTICE, agency, dossier, hanoi_committee, official

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def campaign(code="80", size=8, minimum=2, seed="hat-giong", start=None, end=None):
    return services.create_campaign(services.CampaignInput(
        name=f"SIPAS {YEAR}", province_code=code, period_start=start or date(YEAR, 1, 1),
        period_end=end or date(YEAR, 12, 31), sample_size=size, minimum_per_stratum=minimum, seed=seed))


def population():
    """13 dossiers of Tây Ninh (80) in the period, and 4 that must never be sampled."""
    commune, justice = agency(COMMUNE), agency(JUSTICE)
    inside = ([dossier(agency_obj=commune) for _ in range(6)]
              + [dossier(agency_obj=commune, channel=Channel.ONLINE) for _ in range(3)]
              + [dossier(agency_obj=justice, channel=Channel.POSTAL) for _ in range(4)])
    outside = [
        dossier(agency_obj=commune, stage=Stage.REFUSED),  # ended, but no result handed over
        dossier(agency_obj=commune, stage=Stage.IN_STEP),
        dossier(agency_obj=commune, at=timezone.now().replace(year=YEAR - 1)),  # another period
        dossier(agency_obj=hanoi_committee()),  # another province
    ]
    return inside, outside


def open_campaign(**kw):
    c = campaign(**kw)
    services.transition_campaign(c.pk, "draw")
    services.transition_campaign(c.pk, "open")
    return SipasCampaign.objects.get(pk=c.pk)


def satisfaction_codes():
    return list(SipasCriterion.objects.filter(content=SipasContent.SATISFACTION).values_list("code", flat=True))


def answer_all(value_of):
    return {code: value_of(code) for code in satisfaction_codes()}


# ----------------------------------------------------------------------------- questionnaire

def test_the_questionnaire_is_seeded_as_five_elements_three_contents_22_criteria():
    assert list(SipasElement.objects.values_list("title", flat=True)) == [
        "Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức trực tiếp giải quyết công việc", "Kết quả dịch vụ",
        "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị"]
    counts = [SipasCriterion.objects.filter(element__number=n, content=SipasContent.SATISFACTION).count()
              for n in range(1, 6)]
    assert counts == [4, 5, 6, 3, 4] and sum(counts) == 22
    for element in SipasElement.objects.all():
        assert set(element.criteria.values_list("content", flat=True)) == set(SipasContent.values)
    assert all(c.legal_source for c in SipasCriterion.objects.all())


# ----------------------------------------------------------------------------- sampling

def test_population_is_the_returned_dossiers_of_the_province_in_the_period():
    inside, outside = population()
    strata = selectors.sipas_population(selectors.current_provinces().get(code="80"), date(YEAR, 1, 1),
                                        date(YEAR, 12, 31))
    assert {k: len(v) for k, v in strata.items()} == {
        ("commune", "in_person"): 6, ("commune", "online"): 3, ("province", "in_person"): 4}
    assert {i for ids in strata.values() for i in ids} == {d.pk for d in inside}


def test_draw_allocates_reproducibly_and_records_the_strata():
    inside, outside = population()
    first = services.transition_campaign(campaign().pk, "draw")
    # minimum 2 each (6), the other 2 by 6:3:4 → remainders .92, .46, .62 → +1 commune/in person, +1 province
    assert first.strata == {"commune/in_person": [6, 3], "commune/online": [3, 2], "province/in_person": [4, 3]}
    assert first.state == CampaignState.SAMPLED
    chosen = set(first.invitations.values_list("dossier_id", flat=True))
    assert len(chosen) == 8 and chosen <= {d.pk for d in inside}
    again = services.transition_campaign(campaign().pk, "draw")
    assert set(again.invitations.values_list("dossier_id", flat=True)) == chosen
    tokens = list(SipasInvitation.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens) and min(len(t) for t in tokens) >= 40


def test_an_empty_period_cannot_be_sampled():
    c = campaign(start=date(YEAR - 5, 1, 1), end=date(YEAR - 5, 12, 31))
    with pytest.raises(services.NotAllowedError, match="Không có hồ sơ nào"):
        services.transition_campaign(c.pk, "draw")
    assert SipasCampaign.objects.get(pk=c.pk).state == CampaignState.DRAFT
    with pytest.raises(services.NotAllowedError, match="Đang chuẩn bị"):
        services.transition_campaign(c.pk, "close")


def test_bad_campaign_input_is_refused_field_by_field():
    with pytest.raises(services.InvalidInputError) as caught:
        services.create_campaign(services.CampaignInput(name=" ", province_code="72", period_start=date(YEAR, 5, 1),
                                                        period_end=date(YEAR, 4, 1), sample_size=0,
                                                        minimum_per_stratum=-1))
    assert set(caught.value.errors) == {"name", "province", "period_end", "sample_size", "minimum_per_stratum"}
    assert not SipasCampaign.objects.exists()


# ----------------------------------------------------------------------------- answering

def test_the_index_by_hand():
    population()
    c = open_campaign(size=13)  # everyone
    by_stratum = {}
    for inv in c.invitations.all():
        by_stratum.setdefault((inv.level, inv.channel), []).append(inv)
    r1 = by_stratum[("commune", "in_person")][0]
    r2 = by_stratum[("commune", "online")][0]
    r3 = by_stratum[("province", "in_person")][0]
    services.submit_response(r1.token, answer_all(lambda code: 5))
    services.submit_response(r2.token, answer_all(lambda code: 4 if code.startswith("1.") else 3))
    services.submit_response(r3.token, answer_all(lambda code: 2 if code.startswith("3.") else 4))
    index = selectors.sipas_index(province_code="80", period=str(YEAR))
    # element 1: 3/3 satisfied; 2, 4, 5: 2/3; 3: 1/3 → SIPAS = (100 + 66.67×3 + 33.33) / 5 = 66.67
    assert index.respondents == 3
    assert index.elements == {1: Decimal("100.00"), 2: Decimal("66.67"), 3: Decimal("33.33"), 4: Decimal("66.67"), 5: Decimal("66.67")}
    assert index.criteria["3.6"] == Decimal("33.33") and index.criteria["1.1"] == Decimal("100.00")
    assert index.overall == Decimal("66.67")
    # commune (R1, R2): 100, 50, 50, 50, 50 → 60; province (R3): 100, 100, 0, 100, 100 → 80
    assert index.by_level["commune"].overall == Decimal("60.00")
    assert index.by_level["province"].overall == Decimal("80.00")
    assert index.by_level["province"].elements[3] == Decimal("0.00")
    assert "district" not in index.by_level
    # online (R2): 100, 0, 0, 0, 0 → 20; in person (R1, R3): 100, 100, 50, 100, 100 → 90
    assert index.by_channel["online"].overall == Decimal("20.00")
    assert index.by_channel["in_person"].overall == Decimal("90.00")
    assert index.by_agency[agency(JUSTICE).pk].overall == Decimal("80.00")
    # an element without any criterion left: N/A, and SIPAS is the mean of the other four
    SipasCriterion.objects.filter(element__number=5).update(active=False)
    index = selectors.sipas_index(province_code="80", period=str(YEAR))
    assert index.elements[5] is None
    assert index.overall == Decimal("66.67")  # (100 + 66.67 + 33.33 + 66.67) / 4


def test_no_answers_is_not_applicable_everywhere():
    index = selectors.sipas_index(province_code="80", period=f"{YEAR}-Q2")
    assert index.overall is None and index.respondents == 0
    assert set(index.elements.values()) == {None} and set(index.criteria.values()) == {None}
    assert index.by_level["commune"].overall is None and index.by_channel["online"].overall is None
    population()
    c = open_campaign()
    index = selectors.campaign_index([c])
    assert index.overall is None and index.by_agency == {}
    with pytest.raises(ValueError):
        selectors.parse_period("2026-13")
    assert selectors.parse_period("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert selectors.parse_period("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))


def test_a_token_answers_once():
    population()
    inv = open_campaign().invitations.first()
    services.submit_response(inv.token, answer_all(lambda code: 4))
    with pytest.raises(services.NotAllowedError, match="đã được trả lời"):
        services.submit_response(inv.token, answer_all(lambda code: 1))
    with pytest.raises(services.LookupRefusedError):
        services.submit_response("khong-co", answer_all(lambda code: 1))
    assert SipasResponse.objects.count() == 1


def test_survey_pages(client):
    population()
    c = open_campaign()
    inv = c.invitations.first()
    url = f"/khao-sat-sipas/{inv.token}/"
    page = client.get(url).content.decode()
    assert "<legend>1.1. Nơi ngồi chờ" in page and "Rất không hài lòng" in page and "Sự mong đợi" in page
    data = {"q_" + code.replace(".", "_"): "4" for code in satisfaction_codes()}
    bad = dict(data)
    del bad["q_2_3"]
    bad["q_3_1"] = "9"
    page = client.post(url, bad)
    body = page.content.decode()
    assert page.status_code == 422
    assert "Câu 2.3 “Thành phần hồ sơ phải nộp là đúng quy định”: hãy chọn một mức." in body
    assert "Câu 3.1 “Công chức có thái độ giao tiếp lịch sự”: lựa chọn không hợp lệ." in body
    assert not SipasResponse.objects.exists()
    data["q_2_a"] = "1"  # an assessment question: optional, kept when given
    assert "Phiếu trả lời đã được ghi nhận" in client.post(url, data).content.decode()
    assert SipasResponse.objects.get().answers.count() == 23
    assert "đã được trả lời" in client.get(url).content.decode()
    client.post(url, data)
    assert SipasResponse.objects.count() == 1
    assert client.get("/khao-sat-sipas/khong-co-phieu-nay/").status_code == 404
    services.transition_campaign(c.pk, "close")
    other = c.invitations.exclude(pk=inv.pk).first()
    assert client.get(f"/khao-sat-sipas/{other.token}/").status_code == 410


def test_invitations_are_emailed_once_by_the_worker():
    commune = agency(COMMUNE)
    dossier(agency_obj=commune, email="binh@example.vn")
    dossier(agency_obj=commune)
    c = open_campaign(size=2)
    events = list(OutboxEvent.objects.filter(topic="satisfaction.sipas_invited"))
    assert len(events) == 1  # only the applicant with an e-mail address
    handlers.on_invited(events[0])
    handlers.on_invited(events[0])
    assert len(mail.outbox) == 1
    invitation = c.invitations.get(emailed_at__isnull=False)
    assert mail.outbox[0].to == ["binh@example.vn"] and f"/khao-sat-sipas/{invitation.token}/" in mail.outbox[0].body


# ----------------------------------------------------------------------------- officials' pages

def test_campaign_pages_and_who_may_use_them(client):
    population()
    assert client.get("/mot-cua/sipas/").status_code == 302  # to the login page
    client.force_login(official("tiepnhan", agency(COMMUNE), Role.RECEPTION))
    assert client.get("/mot-cua/sipas/dot-moi/").status_code == 403
    client.force_login(official("lanhdao", agency(COMMUNE), Role.APPROVER))
    form = {"name": "SIPAS Tây Ninh", "province": "80", "period_start": f"{YEAR}-01-01",
            "period_end": f"{YEAR}-12-31", "sample_size": "5", "minimum_per_stratum": "1", "seed": "abc"}
    bad = client.post("/mot-cua/sipas/dot-moi/", {**form, "province": "01", "period_end": f"{YEAR - 1}-01-01",
                                                   "sample_size": "0"})
    body = bad.content.decode()
    assert bad.status_code == 422
    assert "Tỉnh, thành phố: lựa chọn không hợp lệ." in body and "Cỡ mẫu: phải là số nguyên dương." in body
    assert not SipasCampaign.objects.exists()
    created = client.post("/mot-cua/sipas/dot-moi/", form)
    c = SipasCampaign.objects.get()
    assert created["Location"] == f"/mot-cua/sipas/{c.pk}/"
    client.post(f"/mot-cua/sipas/{c.pk}/draw/")
    client.post(f"/mot-cua/sipas/{c.pk}/open/")
    page = client.get(f"/mot-cua/sipas/{c.pk}/").content.decode()
    assert "Đang khảo sát" in page and "/khao-sat-sipas/" in page and "N/A" in page
    assert c.invitations.count() == 5
    client.force_login(official("hanoi", hanoi_committee(), Role.APPROVER))
    assert client.get(f"/mot-cua/sipas/{c.pk}/").status_code == 404
    assert client.post(f"/mot-cua/sipas/{c.pk}/close/").status_code == 404
    assert "SIPAS Tây Ninh" not in client.get("/mot-cua/sipas/").content.decode()
    assert SipasCampaign.objects.get().state == CampaignState.OPEN


def test_period_bounds_use_vietnam_days():
    start, end = selectors.period_bounds(date(YEAR, 1, 1), date(YEAR, 1, 31))
    assert end - start == timedelta(days=31) and start.utcoffset() == timedelta(hours=7)


def test_the_index_costs_the_same_queries_for_any_number_of_responses(django_assert_num_queries):
    population()
    c = open_campaign(size=13)
    for inv in c.invitations.all()[:6]:
        services.submit_response(inv.token, answer_all(lambda code: 4))
    with django_assert_num_queries(3):  # the structure (2) and the answers (1)
        index = selectors.campaign_index([c])
    assert index.respondents == 6 and index.overall == Decimal("100.00")
