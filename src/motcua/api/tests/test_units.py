"""Units, their 1 July 2025 succession, and agencies, on the bundled official lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.api.tests.test_procedures import assert_error, walk
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession

pytestmark = pytest.mark.django_db


def test_units_list_filters_and_walks_all_pages(client):
    items, first = walk(client, "/api/v1/units", {"edition": "2025", "level": "province", "limit": 10})
    assert first["total"] == len(items) == 34  # 34 provinces from 1 July 2025 (Resolution 202/2025/QH15)
    assert len({item["code"] for item in items}) == 34
    assert "Thành phố Hà Nội" in {item["name"] for item in items}
    assert all(item["edition"] == "2025" and item["level"] == "province" for item in items)


def test_units_of_a_parent_and_by_name_without_diacritics(client):
    communes = client.get("/api/v1/units", {"edition": "2025", "parent": "01", "limit": 100}).json()
    assert communes["total"] == AdministrativeUnit.objects.filter(edition="2025", parent__code="01").count() > 100
    assert {item["parent"]["name"] for item in communes["items"]} == {"Thành phố Hà Nội"}
    found = client.get("/api/v1/units", {"edition": "2025", "q": "ba dinh"}).json()
    assert "Phường Ba Đình" in {item["name"] for item in found["items"]}


def test_unit_list_pages_cost_the_same_queries(client):
    counts = []
    for limit in (5, 100):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/units", {"edition": "2004", "limit": limit}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4


def test_one_code_names_two_units_by_edition(client):
    old = client.get("/api/v1/units/2004/00004").json()
    new = client.get("/api/v1/units/2025/00004").json()
    assert old["name"] == "Phường Trúc Bạch" and old["parent"]["name"] == "Quận Ba Đình"
    assert old["valid_to"] == "2025-06-30"
    assert new["name"] == "Phường Ba Đình" and new["parent"]["name"] == "Thành phố Hà Nội"
    assert new["valid_from"] == "2025-07-01"


def test_successors_and_predecessors_of_ba_dinh(client):
    successors = client.get("/api/v1/units/00004/successors").json()
    assert [(s["unit"]["edition"], s["unit"]["name"], s["kind"]) for s in successors] == [
        ("2025", "Phường Ba Đình", "full")
    ]
    predecessors = client.get("/api/v1/units/00004/predecessors").json()
    names = {p["unit"]["name"] for p in predecessors}
    assert {"Phường Trúc Bạch", "Phường Quán Thánh"} <= names
    assert all(p["unit"]["edition"] == "2004" for p in predecessors)


def test_a_split_commune_lists_every_successor_as_partial(client):
    split = (
        UnitSuccession.objects.filter(kind="partial", old_unit__level="commune")
        .values_list("old_unit__code", flat=True).order_by("old_unit__code").first()
    )
    assert split, "the official conversion table has partial mergers"
    successors = client.get(f"/api/v1/units/{split}/successors").json()
    expected = UnitSuccession.objects.filter(old_unit__code=split, old_unit__level="commune", old_unit__edition="2004")
    assert len(successors) == expected.count() >= 1
    assert "partial" in {s["kind"] for s in successors}


def test_valid_at_picks_the_unit_of_that_date(client):
    before = client.get("/api/v1/units/valid-at", {"code": "00004", "date": "2025-06-30"}).json()
    after = client.get("/api/v1/units/valid-at", {"code": "00004", "date": "2025-07-01"}).json()
    assert before["name"] == "Phường Trúc Bạch"
    assert after["name"] == "Phường Ba Đình"


def test_unit_errors(client):
    assert_error(client.get("/api/v1/units/2025/99999"), 404, ["path", "code"], "99999", "2025")
    assert_error(client.get("/api/v1/units/2030/00004"), 422, ["path", "edition"], "“edition”", "2025")
    assert_error(client.get("/api/v1/units/99999/successors"), 404, ["path", "code"], "99999")
    assert_error(client.get("/api/v1/units/99999/predecessors"), 404, ["path", "code"], "99999")
    assert_error(client.get("/api/v1/units", {"level": "hamlet"}), 422, ["query", "level"], "“level”")
    assert_error(client.get("/api/v1/units", {"limit": "500"}), 422, ["query", "limit"], "100")
    assert_error(client.get("/api/v1/units", {"cursor": "%%%"}), 422, ["query", "cursor"], "“cursor”")
    assert_error(
        client.get("/api/v1/units/valid-at", {"code": "00004", "date": "30/06/2025"}), 422, ["query", "date"],
        "YYYY-MM-DD",
    )
    assert_error(client.get("/api/v1/units/valid-at", {"code": "00004"}), 422, ["query", "date"], "Thiếu")
    # A district code names nothing after the two-level reform.
    assert_error(
        client.get("/api/v1/units/valid-at", {"code": "001", "date": "2025-07-01"}), 404, ["query", "code"], "001"
    )


def test_agencies_search_and_detail(client):
    found = client.get("/api/v1/agencies", {"q": "bo tu phap"}).json()
    justice = next(a for a in found["items"] if a["organ_code"] == "000.00.00.G15")
    assert justice["name"] == "Bộ Tư pháp" and justice["level"] == "ministry"
    by_code = client.get("/api/v1/agencies/000.00.00.G15").json()
    by_slug = client.get(f"/api/v1/agencies/{justice['slug']}").json()
    assert by_code == by_slug
    assert by_code["url"].endswith("/api/v1/agencies/000.00.00.G15")


def test_agencies_by_level_walk_without_duplicates(client):
    items, first = walk(client, "/api/v1/agencies", {"level": "ministry", "limit": 7})
    assert first["total"] == len(items) == Agency.objects.filter(level="ministry").count() > 10
    assert len({a["id"] for a in items}) == len(items)
    assert all(a["level"] == "ministry" for a in items)


def test_agencies_of_a_unit(client):
    unit_code = (
        Agency.objects.filter(unit__isnull=False).values_list("unit__code", flat=True).order_by("unit__code").first()
    )
    data = client.get("/api/v1/agencies", {"unit": unit_code, "limit": 100}).json()
    assert data["total"] >= 1
    assert all(a["unit"] is not None for a in data["items"])


def test_unknown_agency_is_a_404(client):
    assert_error(
        client.get("/api/v1/agencies/000.99.99.Z99"), 404, ["path", "organ_code_or_slug"], "000.99.99.Z99"
    )
