"""Public dashboards on real activity made through the real services, before and after July 2025."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import localize
from openpyxl import load_workbook

from motcua.core.outbox import deliver_due
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import COMMUNE, Personas, agency, receive
from motcua.feedback import services as feedback
from motcua.indicators import selectors as index
from motcua.satisfaction import services as satisfaction

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ALL_GOOD = dict.fromkeys(range(2, 13), 2)
pytestmark = pytest.mark.django_db


def at(y, m, d, h=9, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=VN)


def deliver():
    while deliver_due():
        pass


def finished(people, received, *moments):
    dossier = receive(people, at=received)
    steps = [("forward", people.reception, {}), ("complete_step", people.specialist, {"outcome": "Đủ điều kiện"}),
             ("complete_step", people.approver, {}), ("complete_step", people.reception, {"result": "Giấy khai sinh"}),
             ("hand_over", people.reception, {})]
    for (action, actor, data), moment in zip(steps, moments, strict=True):
        dossier = transition(dossier.pk, action, actor=actor, data=dict(data), at=moment)
    return dossier


@pytest.fixture
def activity():
    """A birth registration in May 2025 (old Tây Ninh, 72) and two in September 2026 (new Tây Ninh, 80),
    rated by their applicants, and a PAKN to the commune in September 2026."""
    people = Personas()
    old = finished(people, at(2025, 5, 6, 9), at(2025, 5, 6, 10), at(2025, 5, 6, 11), at(2025, 5, 6, 14),
                   at(2025, 5, 7, 9), at(2025, 5, 7, 10))
    new = finished(people, at(2026, 9, 8, 9), at(2026, 9, 8, 10), at(2026, 9, 8, 11), at(2026, 9, 8, 14),
                   at(2026, 9, 9, 9), at(2026, 9, 9, 10))
    receive(people, at=at(2026, 9, 10, 9))
    satisfaction.rate_dossier(old.pk, satisfaction.RatingInput(level="very_satisfied", answers=ALL_GOOD))
    satisfaction.rate_dossier(new.pk, satisfaction.RatingInput(level="not_satisfied", answers=ALL_GOOD))
    feedback.submit(feedback.Submission(
        kind="report", category="regulation", title="Thời hạn đăng ký khai sinh",
        content="Đề nghị rút ngắn thời hạn đăng ký khai sinh cho trẻ sinh ra tại cơ sở y tế trên địa bàn xã.",
        agency=agency(COMMUNE), submitter_name="Nguyễn Văn An", submitter_email="an@example.vn",
        submitter_phone="0912345678", submitter_address="Ấp Thạnh Hiệp"), at=at(2026, 9, 15, 9))
    deliver()
    return people


def test_index_lists_provinces_ministries_and_agencies(client, activity):
    page = client.get("/bang-dieu-khien/").content.decode()
    assert "Tây Ninh" in page and 'name="kind" value="ministry"' in page
    response = client.get("/bang-dieu-khien/xem/", {"kind": "province", "code": "80"})
    assert response["Location"] == "/bang-dieu-khien/province/80/"


def test_province_dashboard_after_the_reorganisation(client, activity):
    card = index.scorecard("province", "80", "2026-09")
    head = index.headline("province", "80", "2026-09")
    assert card.received == 2 and head.satisfaction_rate is not None
    response = client.get("/bang-dieu-khien/province/80/", {"ky": "2026-09"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tỉnh Tây Ninh" in page
    assert f"<strong>{localize(card.total)}</strong> / {localize(card.max_total)}" in page and card.band.label in page
    assert f"{localize(head.satisfaction_rate)} %" in page
    assert f"{localize(head.on_time_rate)} %" in page
    if head.feedback_on_time_rate is not None:
        assert f"{localize(head.feedback_on_time_rate)} %" in page
    # Charts are images with a title, each followed by a table with the same numbers.
    assert page.count('role="img"') == 3
    assert 'aria-labelledby="bieu-do-nhom"' in page and '<title id="bieu-do-nhom">' in page
    for group in card.groups:
        assert f"{group.number}. {group.label}</th><td class=\"num\">{localize(group.points)}</td>" in page
    # The whole trend is after 1 July 2025: no old/new units toggle.
    assert "Đơn vị hành chính cũ" not in page


def test_before_the_reorganisation_the_units_toggle_shows_old_and_new(client, activity):
    today = client.get("/bang-dieu-khien/province/80/", {"ky": "2025-05"}).content.decode()
    assert "Đơn vị hành chính cũ" in today and "1 hồ sơ tiếp nhận trong kỳ." in today
    # As filed, 80 in May 2025 was Long An: the dossier belongs to the old Tây Ninh, 72.
    long_an = client.get("/bang-dieu-khien/province/80/", {"ky": "2025-05", "don-vi": "as_filed"}).content.decode()
    assert "0 hồ sơ tiếp nhận trong kỳ." in long_an
    old = client.get("/bang-dieu-khien/province/72/", {"ky": "2025-05", "don-vi": "as_filed"}).content.decode()
    assert "1 hồ sơ tiếp nhận trong kỳ." in old
    head = index.headline("province", "72", "2025-05", units_as="as_filed")
    assert head.satisfaction_rate is not None and f"{localize(head.satisfaction_rate)} %" in old


def test_exports_hold_the_page_figures(client, activity):
    card = index.scorecard("province", "80", "2026-09")
    response = client.get("/bang-dieu-khien/province/80/xuat.xlsx", {"ky": "2026-09"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Số liệu chính", "Nhóm chỉ số", "Chỉ số thành phần", "Diễn biến"]
    main = list(book["Số liệu chính"].iter_rows(min_row=3, values_only=True))
    assert main[0] == ("Điểm Bộ chỉ số 766", float(card.total), float(card.max_total))
    assert main[2] == ("Hồ sơ tiếp nhận", 2, None)
    groups = list(book["Nhóm chỉ số"].iter_rows(min_row=3, values_only=True))
    assert [g[2] for g in groups] == [float(g.points) for g in card.groups]
    assert len(list(book["Diễn biến"].iter_rows(min_row=3))) == 12
    csv_text = client.get("/bang-dieu-khien/province/80/xuat.csv", {"ky": "2026-09"}).content.decode("utf-8")
    assert csv_text.startswith("\ufeffTỉnh Tây Ninh — Tháng 09/2026") and "Hồ sơ tiếp nhận,2" in csv_text


def test_bad_scope_or_period_says_what_is_wrong(client, activity):
    response = client.get("/bang-dieu-khien/province/99/")
    assert response.status_code == 404
    response = client.get("/bang-dieu-khien/province/80/", {"ky": "2026-13"})
    assert response.status_code == 400 and "Tháng “2026-13” không hợp lệ" in response.content.decode()
    assert client.get("/bang-dieu-khien/vu-tru/80/").status_code == 404
    assert client.post("/bang-dieu-khien/province/80/").status_code == 405


def test_query_count_does_not_grow_with_activity(client, activity, settings):
    settings.MOTCUA_DASHBOARD_CACHE_SECONDS = 0
    url, params = "/bang-dieu-khien/province/80/", {"ky": "2026-09"}
    client.get(url, params)
    with CaptureQueriesContext(connection) as first:
        client.get(url, params)
    for day in (16, 17, 18):
        receive(activity, at=at(2026, 9, day, 9))
    deliver()
    with CaptureQueriesContext(connection) as second:
        assert "5 hồ sơ tiếp nhận trong kỳ." in client.get(url, params).content.decode()
    assert len(second) == len(first)


def test_a_cached_dashboard_is_reused_for_a_minute(client, activity):
    url, params = "/bang-dieu-khien/province/80/", {"ky": "2026-09"}
    with CaptureQueriesContext(connection) as first:
        page = client.get(url, params).content.decode().split("<main")[1]
    with CaptureQueriesContext(connection) as again:
        assert client.get(url, params).content.decode().split("<main")[1] == page
    assert len(first) > 0 and len(again) == 0


def test_a_cold_page_costs_the_same_queries_for_12_months_4_quarters_or_any_scope(client, activity, settings):
    """The trend's periods are computed together (one query per table, grouped by period)."""
    settings.MOTCUA_DASHBOARD_CACHE_SECONDS = 0
    client.get("/bang-dieu-khien/province/80/", {"ky": "2026-09"})  # warm per-process caches
    counts = {}
    for kind, code, period in (("province", "80", "2026-09"), ("province", "80", "2026-Q3"),
                               ("province", "80", "2026"), ("agency", COMMUNE, "2026-09"),
                               ("national", "VN", "2026-09")):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/bang-dieu-khien/{kind}/{code}/", {"ky": period}).status_code == 200
        counts[(kind, period)] = len(ctx)
    assert counts[("province", "2026-09")] == counts[("province", "2026-Q3")] == counts[("province", "2026")]
    assert max(counts.values()) <= 15, counts
