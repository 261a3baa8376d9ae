"""Rating a finished dossier: rules, the outbox contract, the pages and who may use them."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.core.models import AuditRecord, OutboxEvent
from motcua.dossiers.choices import Channel, Stage
from motcua.satisfaction import selectors, services
from motcua.satisfaction.choices import Level
from motcua.satisfaction.models import Rating, RatingCriterion
from motcua.satisfaction.tests.factories import COMMUNE, JUSTICE, PHONE, agency, dossier, official

pytestmark = pytest.mark.django_db
ALL_GOOD = dict.fromkeys(range(2, 13), 2)


def rate(d, level=Level.VERY_SATISFIED, answers=None, **kw):
    return services.rate_dossier(d.pk, services.RatingInput(level=level, answers=ALL_GOOD if answers is None
                                                            else answers), **kw)


def form_data(level="satisfied", **answers):
    data = {"level": level, **{f"criterion_{n}": "2" for n in range(2, 13)}}
    data.update({k.replace("c", "criterion_"): v for k, v in answers.items()})
    return data


# ----------------------------------------------------------------------------- configuration

def test_the_twelve_criteria_are_seeded_with_source_and_weights():
    criteria = selectors.criteria_in_force(date.today())
    assert [c.number for c in criteria] == list(range(1, 13))
    assert all(c.weight == 1 and c.legal_source and c.choice_2 and c.choice_1 and c.choice_0 for c in criteria)
    assert [c.number for c in criteria if c.from_overall_level] == [1]
    assert [c.number for c in criteria if c.optional] == [11, 12]


def test_a_later_row_replaces_a_criterion_from_its_date():
    old = RatingCriterion.objects.get(number=5)
    RatingCriterion.objects.create(number=5, title=old.title, question=old.question, choice_2="a", choice_1="b",
                                   choice_0="c", weight=Decimal(3), effective_from=date.today() + timedelta(days=1),
                                   legal_source="thử")
    RatingCriterion.objects.create(number=12, title="x", question="x", choice_2="a", choice_1="b", choice_0="c",
                                   active=False, effective_from=date.today(), legal_source="thôi áp dụng")
    today = {c.number: c for c in selectors.criteria_in_force(date.today())}
    tomorrow = {c.number: c for c in selectors.criteria_in_force(date.today() + timedelta(days=1))}
    assert today[5].weight == 1 and tomorrow[5].weight == 3
    assert 12 not in today and 12 not in tomorrow


# ----------------------------------------------------------------------------- the rule set

@pytest.mark.parametrize("stage", [Stage.RETURNED, Stage.REFUSED, Stage.WITHDRAWN, Stage.STOPPED])
def test_every_ended_dossier_can_be_rated(stage):
    rating = rate(dossier(stage=stage))
    assert rating.score == Decimal("100.00") and rating.level == Level.VERY_SATISFIED


@pytest.mark.parametrize("stage", [Stage.RECEIVED, Stage.IN_STEP, Stage.RESULT_READY, Stage.SUPPLEMENT])
def test_not_before_the_dossier_ended(stage):
    d = dossier(stage=stage)
    with pytest.raises(services.NotAllowedError, match="chưa kết thúc"):
        rate(d)
    assert not Rating.objects.exists() and not OutboxEvent.objects.filter(topic="satisfaction.rated").exists()


def test_score_by_hand_with_not_applicable_criteria():
    # level "satisfied" → criterion 1 = 1 point; criteria 2–10: 2,1,0,2,2,1,2,2,2 = 14; 11, 12 not applicable.
    # 15 of 10 criteria × 2 = 20 points → 75.00
    answers = {2: 2, 3: 1, 4: 0, 5: 2, 6: 2, 7: 1, 8: 2, 9: 2, 10: 2, 11: None, 12: None}
    rating = rate(dossier(), level=Level.SATISFIED, answers=answers)
    assert rating.score == Decimal("75.00")
    assert rating.answers.count() == 10


def test_score_uses_the_weights_in_force():
    RatingCriterion.objects.filter(number=4).update(weight=Decimal(3))  # officials' attitude counts triple
    # criterion 1 (not satisfied) 0/2, criterion 4: 0 points × 3 of 6, others 2/2 × 9 → 18 of 26 → 69.23
    answers = {**ALL_GOOD, 4: 0, 11: None}
    rating = rate(dossier(), level=Level.NOT_SATISFIED, answers=answers)
    assert rating.score == Decimal("69.23")
    assert selectors.rating_fact(rating.dossier_id).unsatisfactory is True


def test_one_rating_per_dossier_changed_in_place_with_an_event_each_time():
    d = dossier()
    first = rate(d, level=Level.NOT_SATISFIED)
    second = rate(d, level=Level.SATISFIED)
    assert first.pk == second.pk and second.changes == 1 and Rating.objects.count() == 1
    events = list(OutboxEvent.objects.filter(topic="satisfaction.rated").order_by("id"))
    assert len(events) == 2
    assert events[0].payload == {"dossier": d.pk, "rating": first.pk, "agency": d.receiving_agency_id,
                                 "at": events[0].payload["at"]}
    assert timezone.datetime.fromisoformat(events[1].payload["at"]) >= first.rated_at
    assert list(AuditRecord.objects.filter(object_type="rating").values_list("action", flat=True)) == [
        "satisfaction.rate", "satisfaction.change"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(dossier=d, level=Level.SATISFIED, rated_at=timezone.now(), changed_at=timezone.now())


def test_the_edit_window():
    d = dossier()
    rating = rate(d)
    limit = rating.rated_at + timedelta(days=30)
    rate(d, level=Level.SATISFIED, now=limit)  # the last moment still counts
    with pytest.raises(services.NotAllowedError, match="quá thời hạn sửa"):
        rate(d, level=Level.NOT_SATISFIED, now=limit + timedelta(seconds=1))
    assert Rating.objects.get().level == Level.SATISFIED
    with override_settings(MOTCUA_RATING_EDIT_DAYS=1):
        other = dossier()
        first = rate(other)
        with pytest.raises(services.NotAllowedError):
            rate(other, now=first.rated_at + timedelta(days=1, seconds=1))


def test_bad_input_names_the_criterion_and_saves_nothing():
    answers = {**ALL_GOOD}
    del answers[3]
    answers[7] = 5
    with pytest.raises(services.InvalidInputError) as caught:
        rate(dossier(), level="so-so", answers=answers)
    errors = caught.value.errors
    assert errors["level"].startswith("Mức độ hài lòng chung")
    assert errors["criterion_3"] == "Tiêu chí 3 “Sự đúng hẹn”: hãy chọn một mức."
    assert "Tiêu chí 7" in errors["criterion_7"] and "không hợp lệ" in errors["criterion_7"]
    assert not Rating.objects.exists() and not OutboxEvent.objects.filter(topic="satisfaction.rated").exists()


def test_contract_facts():
    a, b = dossier(), dossier()
    rate(a, level=Level.VERY_SATISFIED)
    later = timezone.now() + timedelta(hours=2)
    rate(b, level=Level.NOT_SATISFIED, now=later)
    fact = selectors.rating_fact(a.pk)
    assert fact == selectors.RatingFact(dossier_id=a.pk, agency_id=a.receiving_agency_id, level="very_satisfied",
                                        score=Decimal("100.00"), rated_at=fact.rated_at, unsatisfactory=False)
    assert selectors.rating_fact(dossier().pk) is None
    facts = list(selectors.rating_facts(rated_from=later - timedelta(minutes=1), rated_to=later + timedelta(minutes=1)))
    assert [(f.dossier_id, f.unsatisfactory) for f in facts] == [(b.pk, True)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.level = "x"  # frozen


# ----------------------------------------------------------------------------- pages and permissions

REFUSAL = "Mã hồ sơ hoặc số điện thoại không đúng"


def test_anonymous_without_the_second_factor_sees_only_the_phone_form(client):
    d = dossier()
    known = client.get(f"/danh-gia/{d.code}/")
    unknown = client.get("/danh-gia/H53.99-000000-0000/")
    for page in (known, unknown):
        assert page.status_code == 200
        assert "Số điện thoại đã khai khi nộp hồ sơ" in page.content.decode()
        assert 'name="criterion_2"' not in page.content.decode()
    client.post(f"/danh-gia/{d.code}/", form_data())
    assert not Rating.objects.exists()


def test_wrong_phone_gets_the_same_refusal_as_an_unknown_code(client):
    d = dossier()
    wrong = client.post("/danh-gia/", {"code": d.code, "phone": "0900000000"})
    unknown = client.post("/danh-gia/", {"code": "H53.99-000000-0000", "phone": PHONE})
    no_phone = dossier(phone="")
    empty = client.post(f"/danh-gia/{no_phone.code}/", {"phone": "0900000000"})
    for page in (wrong, unknown, empty):
        assert page.status_code == 422
        assert REFUSAL in page.content.decode()


def test_anonymous_with_code_and_phone_rates_then_changes(client):
    d = dossier()
    page = client.post("/danh-gia/", {"code": d.code.lower(), "phone": "+84 912 345 678"})
    assert page.status_code == 302 and page["Location"] == f"/danh-gia/{d.code}/"
    form = client.get(page["Location"]).content.decode()
    assert "<fieldset" in form and "<legend>1. Đánh giá chung" in form and 'name="criterion_12"' in form
    assert 'value="na"' in form  # criteria 11 and 12 may be "not applicable"
    saved = client.post(page["Location"], form_data(level="not_satisfied", c11="na", c12="na"))
    assert saved.status_code == 302
    rating = Rating.objects.get(dossier=d)
    assert rating.level == "not_satisfied" and rating.rated_by is None
    after = client.get(page["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá" in after and "Có thể sửa đánh giá đến" in after
    client.post(page["Location"], form_data(level="satisfied", c11="na", c12="na"))
    assert Rating.objects.get(dossier=d).level == "satisfied"


def test_bad_form_input_names_the_criterion_in_vietnamese_and_saves_nothing(client):
    d = dossier()
    client.post("/danh-gia/", {"code": d.code, "phone": PHONE})
    data = form_data()
    del data["criterion_3"]
    data["criterion_4"] = "7"
    data["level"] = ""
    page = client.post(f"/danh-gia/{d.code}/", data)
    body = page.content.decode()
    assert page.status_code == 422
    assert "Tiêu chí 3 “Sự đúng hẹn”: hãy chọn một mức." in body
    assert "Tiêu chí 4 “Thái độ của cán bộ, công chức”: lựa chọn không hợp lệ." in body
    assert "Mức độ hài lòng chung: hãy chọn một trong ba mức." in body
    assert 'aria-invalid="true"' in body
    assert not Rating.objects.exists()


def test_too_many_wrong_phones_refuse_even_the_right_one(client):
    d = dossier()
    for _ in range(5):
        client.post(f"/danh-gia/{d.code}/", {"phone": "0900000000"})
    page = client.post(f"/danh-gia/{d.code}/", {"phone": PHONE})
    assert page.status_code == 422 and "nhập sai quá nhiều lần" in page.content.decode()


def test_the_applicant_signed_in_rates_without_the_phone(client):
    user = User.objects.create_user("nguoidan", password="mat-khau-du-dai-2026")
    d = dossier(user=user)
    client.force_login(user)
    assert 'name="criterion_2"' in client.get(f"/danh-gia/{d.code}/").content.decode()
    client.post(f"/danh-gia/{d.code}/", form_data(c11="1", c12="0"))
    assert Rating.objects.get(dossier=d).rated_by == user


def test_another_citizen_needs_the_second_factor(client):
    owner = User.objects.create_user("chu", password="mat-khau-du-dai-2026")
    d = dossier(user=owner)
    client.force_login(User.objects.create_user("khac", password="mat-khau-du-dai-2026"))
    page = client.get(f"/danh-gia/{d.code}/").content.decode()
    assert "Số điện thoại đã khai" in page and 'name="criterion_2"' not in page
    client.post(f"/danh-gia/{d.code}/", form_data())
    assert not Rating.objects.exists()


def test_an_official_of_the_agency_sees_the_rating_but_cannot_rate(client):
    d = dossier()
    rate(d, level=Level.NOT_SATISFIED)
    client.force_login(official("tiepnhan", agency(COMMUNE), Role.RECEPTION))
    page = client.get(f"/danh-gia/{d.code}/").content.decode()
    assert "chỉ xem đánh giá" in page and "Không hài lòng" in page and 'name="criterion_2"' not in page
    client.post(f"/danh-gia/{d.code}/", form_data(level="very_satisfied"))
    assert Rating.objects.get(dossier=d).level == "not_satisfied"
    listing = client.get("/mot-cua/danh-gia/").content.decode()
    assert d.code in listing


def test_an_official_of_another_agency_is_like_anyone_else(client):
    d = dossier()
    rate(d, level=Level.NOT_SATISFIED)
    client.force_login(official("sotuphap", agency(JUSTICE), Role.RECEPTION))
    page = client.get(f"/danh-gia/{d.code}/").content.decode()
    assert "Số điện thoại đã khai" in page and "Không hài lòng" not in page
    assert d.code not in client.get("/mot-cua/danh-gia/").content.decode()


def test_past_the_window_the_page_is_read_only(client):
    d = dossier()
    rating = rate(d)
    Rating.objects.filter(pk=rating.pk).update(rated_at=timezone.now() - timedelta(days=31))
    client.post("/danh-gia/", {"code": d.code, "phone": PHONE})
    page = client.get(f"/danh-gia/{d.code}/").content.decode()
    assert "Đã hết thời hạn sửa đánh giá" in page and 'name="criterion_2"' not in page


def test_not_ended_page_explains(client):
    d = dossier(stage=Stage.IN_STEP, channel=Channel.ONLINE)
    client.post("/danh-gia/", {"code": d.code, "phone": PHONE})
    assert "chưa kết thúc nên chưa đánh giá được" in client.get(f"/danh-gia/{d.code}/").content.decode()


def test_the_rate_prompt_include():
    template = Template("{% load satisfaction %}{% rate_prompt dossier %}")
    assert template.render(Context({"dossier": dossier(stage=Stage.IN_STEP)})).strip() == ""
    ended = dossier()
    html = template.render(Context({"dossier": ended}))
    assert f'href="/danh-gia/{ended.code}/"' in html and "Đánh giá" in html
    rate(ended, level=Level.SATISFIED)
    html = template.render(Context({"dossier": ended}))
    assert "Ông/bà đã đánh giá: “Hài lòng”" in html and "Sửa đánh giá" in html


def test_facts_are_read_in_one_query(django_assert_num_queries):
    for _ in range(5):
        rate(dossier())
    since = timezone.now() - timedelta(hours=1)
    with django_assert_num_queries(1):
        facts = list(selectors.rating_facts(rated_from=since, rated_to=since + timedelta(hours=2)))
    assert len(facts) == 5


def test_the_criteria_are_editable_in_the_admin(admin_client):
    page = admin_client.get("/admin/satisfaction/ratingcriterion/")
    assert page.status_code == 200 and "Sự đúng hẹn" in page.content.decode()
    criterion = RatingCriterion.objects.get(number=3)
    assert admin_client.get(f"/admin/satisfaction/ratingcriterion/{criterion.pk}/change/").status_code == 200
    assert admin_client.get("/admin/satisfaction/sipaselement/1/change/").status_code == 200


def test_the_event_is_delivered_to_every_listener():
    """The real outbox delivery runs the indicators' handler on our event, with our selectors."""
    from motcua.core import outbox
    from motcua.core.models import OutboxStatus

    d = dossier()
    rate(d, level=Level.NOT_SATISFIED)
    event = OutboxEvent.objects.get(topic="satisfaction.rated")
    assert outbox.deliver_one(event.pk) == OutboxStatus.DELIVERED
    event.refresh_from_db()
    assert event.last_error == ""


def test_empty_lookup_fields_are_named(client):
    page = client.post("/danh-gia/", {"code": " ", "phone": ""})
    body = page.content.decode()
    assert page.status_code == 422
    assert "Mã hồ sơ: không được để trống." in body and "Số điện thoại: không được để trống." in body
    d = dossier()
    page = client.post(f"/danh-gia/{d.code}/", {"phone": ""})
    assert page.status_code == 422 and "Số điện thoại: không được để trống." in page.content.decode()


def test_the_legal_data_carries_its_date_source_and_an_unverified_flag(admin_client):
    from motcua.satisfaction.models import SipasCriterion, SipasElement

    for model in (RatingCriterion, SipasElement, SipasCriterion):
        rows = list(model.objects.all())
        assert rows and all(r.effective_from and r.legal_source and not r.confirmed for r in rows), model
    for page, count in (("ratingcriterion", RatingCriterion.objects.count()),
                        ("sipaselement", SipasElement.objects.count()),
                        ("sipascriterion", min(SipasCriterion.objects.count(), 100))):
        html = admin_client.get(f"/admin/satisfaction/{page}/").content.decode()
        assert html.count("chưa xác minh") >= count, page
