"""The procedure endpoints, on the real catalogue: what a client of the open API sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.api.tests.conftest import STRUCTURED_CODE
from motcua.catalog.choices import VersionStatus
from motcua.catalog.models import Domain, LegalDocument, SearchDocument

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh


def walk(client, url, params):
    """Follow `next` from the first page to the last; returns the items and the first page."""
    items, first, cursor = [], None, None
    for _ in range(1000):
        page = client.get(url, {**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.content
        data = page.json()
        first = first or data
        items.extend(data["items"])
        cursor = data["next"]
        if cursor is None:
            return items, first
    raise AssertionError("pagination did not end")


def live_count(**filters) -> int:
    return SearchDocument.objects.exclude(status=VersionStatus.ABOLISHED).filter(**filters).count()


# --- list, search, filters, pagination ------------------------------------------------------------


def test_browse_lists_procedures_by_code_with_links(client):
    response = client.get("/api/v1/procedures", {"limit": 5})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == live_count() > 2000
    codes = [item["code"] for item in data["items"]]
    assert codes == sorted(codes) and len(codes) == 5
    item = data["items"][0]
    assert set(item) == {"code", "name", "levels", "domain", "online_service", "status", "url"}
    assert item["url"].endswith(f"/api/v1/procedures/{item['code']}")
    assert data["next"]
    assert {"level", "domain", "agency", "online_service"} <= set(data["facets"])


def test_search_without_diacritics_finds_birth_registration(client):
    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh", "limit": 100})
    assert response.status_code == 200
    data = response.json()
    codes = [item["code"] for item in data["items"]]
    assert BIRTH in codes
    assert data["total"] >= len(codes)
    birth = next(item for item in data["items"] if item["code"] == BIRTH)
    assert birth["name"] == "Thủ tục đăng ký khai sinh"
    assert birth["domain"]["name"] == "Hộ tịch"
    assert "commune" in birth["levels"]


def test_search_with_and_without_diacritics_agree(client):
    plain = client.get("/api/v1/procedures", {"q": "ho tich", "limit": 100, "facets": "false"}).json()
    marked = client.get("/api/v1/procedures", {"q": "hộ tịch", "limit": 100, "facets": "false"}).json()
    assert plain["total"] == marked["total"] > 0
    assert {i["code"] for i in plain["items"]} == {i["code"] for i in marked["items"]}


def test_level_filter_keeps_only_that_level(client):
    items, first = walk(client, "/api/v1/procedures", {"level": "commune", "limit": 100, "facets": "false"})
    assert first["total"] == len(items) == live_count(level_commune=True)
    assert all("commune" in item["levels"] for item in items)


def test_repeated_level_means_any_of_them(client):
    data = client.get("/api/v1/procedures", {"level": ["commune", "district"], "limit": 1}).json()
    from django.db.models import Q

    expected = SearchDocument.objects.exclude(status=VersionStatus.ABOLISHED).filter(
        Q(level_commune=True) | Q(level_district=True)
    ).count()
    assert data["total"] == expected


def test_domain_filter(client):
    civil_status = Domain.objects.get(name="Hộ tịch")
    data = client.get("/api/v1/procedures", {"domain": civil_status.pk, "limit": 100}).json()
    assert data["total"] == live_count(domain=civil_status) > 10
    assert {item["domain"]["name"] for item in data["items"]} == {"Hộ tịch"}


def test_agency_filter_by_organ_code_slug_or_id_agree(client):
    from motcua.units.models import Agency

    justice = Agency.objects.get(organ_code="000.00.00.G15")  # Bộ Tư pháp
    by_code = client.get("/api/v1/procedures", {"agency": "000.00.00.G15", "limit": 1}).json()
    by_slug = client.get("/api/v1/procedures", {"agency": justice.slug, "limit": 1}).json()
    by_id = client.get("/api/v1/procedures", {"agency": justice.pk, "limit": 1}).json()
    assert by_code["total"] == by_slug["total"] == by_id["total"] == live_count(issuing_agency=justice) > 50


def test_search_and_filters_combine(client):
    civil_status = Domain.objects.get(name="Hộ tịch")
    data = client.get(
        "/api/v1/procedures", {"q": "khai sinh", "domain": civil_status.pk, "level": "commune", "limit": 100}
    ).json()
    assert BIRTH in {item["code"] for item in data["items"]}
    assert all(item["domain"]["name"] == "Hộ tịch" and "commune" in item["levels"] for item in data["items"])


def test_browse_walks_every_procedure_once(client):
    items, first = walk(client, "/api/v1/procedures", {"limit": 100, "facets": "false"})
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes)) == first["total"] == live_count()
    assert codes == sorted(codes)


def test_search_pages_have_no_duplicates_or_gaps(client):
    # Small pages and big pages of the same ranked search list the same procedures in the same order.
    params = {"q": "khai sinh", "facets": "false"}
    small, first = walk(client, "/api/v1/procedures", {**params, "limit": 7})
    big, _ = walk(client, "/api/v1/procedures", {**params, "limit": 100})
    codes = [item["code"] for item in small]
    assert first["total"] > 7
    assert len(codes) == len(set(codes)) == first["total"]
    assert codes == [item["code"] for item in big]


def test_abolished_procedures_only_on_request(client):
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import abolish

    abolish(Procedure.objects.get(code=BIRTH), decision_number="TEST-1/QĐ-BTP")
    hidden = client.get("/api/v1/procedures", {"q": "dang ky khai sinh", "limit": 100}).json()
    assert BIRTH not in {item["code"] for item in hidden["items"]}
    shown = client.get("/api/v1/procedures", {"q": "dang ky khai sinh", "limit": 100, "include_abolished": "true"}).json()
    birth = next(item for item in shown["items"] if item["code"] == BIRTH)
    assert birth["status"] == "abolished"
    assert shown["total"] == hidden["total"] + 1


def test_list_query_count_does_not_grow_with_page_size(client):
    counts = []
    for limit in (5, 100):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/procedures", {"limit": limit, "level": "commune"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15


def test_domains_list_feeds_the_domain_filter(client):
    domains = client.get("/api/v1/domains").json()
    assert "Hộ tịch" in {d["name"] for d in domains}
    assert len(domains) == Domain.objects.count()


# --- detail and versions --------------------------------------------------------------------------


def test_birth_registration_detail(client):
    response = client.get(f"/api/v1/procedures/{BIRTH}")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == BIRTH
    assert data["name"] == "Thủ tục đăng ký khai sinh"
    assert data["levels"] == ["commune"]
    assert data["domain"]["name"] == "Hộ tịch"
    assert "Công dân Việt Nam" in data["target_groups"]
    assert data["status"] == "published"
    assert [a["name"] for a in data["agencies"]["issuing"]] == ["Bộ Tư pháp"]
    assert data["agencies"]["issuing"][0]["agency"]["organ_code"] == "000.00.00.G15"
    assert "khai sinh" in data["steps_text"]
    # A client always gets the channels: structured, or as the source's raw text.
    assert data["channels"] or "Trực tiếp" in data["unparsed"].get("channels", "")
    assert data["components"] or "Giấy chứng sinh" in data["unparsed"].get("components", "")
    assert data["versions"][0]["number"] == data["number"]
    assert data["versions"][0]["decision_number"] == "163/QĐ-BTP"
    assert data["cpsv_ap_url"].endswith(f"/api/v1/procedures/{BIRTH}/cpsv-ap")


def test_structured_parts_and_version_history(client, structured_procedure):
    data = client.get(f"/api/v1/procedures/{STRUCTURED_CODE}").json()
    assert data["number"] == structured_procedure.number
    assert data["valid_from"] == "2026-01-01"
    [channel] = data["channels"]
    assert channel["kind"] == "in_person"
    assert (channel["time_limit_value"], channel["time_limit_unit"]) == (3, "working_day")
    assert channel["time_limit_text"].startswith("03 ngày làm việc")
    assert channel["fees"] == [{
        "kind": "fee", "amount": 5000, "currency": "VND",
        "text": "5.000 đồng/giấy thông hành xuất, nhập cảnh vùng biên giới.",
    }]
    assert [(c["originals"], c["copies"], c["form_template"]) for c in data["components"]] == [
        (1, 0, "Mẫu TK6"), (2, 0, ""),
    ]
    first_law = data["legal_basis"][0]
    decree = LegalDocument.objects.get(number="136/2007/NĐ-CP")  # shared by every procedure citing it
    assert first_law["number"] == "136/2007/NĐ-CP"
    assert first_law["issued_on"] == (decree.issued_on.isoformat() if decree.issued_on else None)
    assert first_law["title"] == decree.title
    assert [law["number"] for law in data["legal_basis"]] == ["136/2007/NĐ-CP", "43/2011/TT-BCA"]
    assert data["results"] == [
        {"name": "Giấy thông hành xuất, nhập cảnh vùng biên giới Việt Nam – Trung Quốc", "code": "KQ.G01.00279"}
    ]
    assert data["agencies"]["implementing"][0]["name"] == "Phòng Quản lý xuất nhập cảnh Công an cấp tỉnh"

    newest, previous = data["versions"][0], data["versions"][1]
    assert newest["number"] == structured_procedure.number and newest["change_kind"] == "amended"
    assert previous["status"] == "superseded" and previous["valid_until"] == "2026-01-01"

    old = client.get(previous["url"])
    assert old.status_code == 200
    assert old.json()["number"] == previous["number"]
    assert old.json()["status"] == "superseded"
    assert old.json()["url"] == previous["url"]


def test_detail_query_count_is_constant(client, structured_procedure):
    counts = {}
    for code in (BIRTH, STRUCTURED_CODE):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/procedures/{code}").status_code == 200
        counts[code] = len(queries)
    assert counts[BIRTH] == counts[STRUCTURED_CODE] <= 15, counts
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/procedures/{STRUCTURED_CODE}/versions/1").status_code == 200
    assert len(queries) <= 15


# --- errors -------------------------------------------------------------------------------------------


def assert_error(response, status, loc, *words):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    [error] = [e for e in response.json()["detail"] if e["loc"][: len(loc)] == loc]
    for word in words:
        assert word in error["msg"], error
    return error


@pytest.mark.parametrize("path", [
    "/api/v1/procedures/9.999999",
    "/api/v1/procedures/9.999999/versions/1",
    "/api/v1/procedures/9.999999/cpsv-ap",
])
def test_unknown_procedure_is_a_json_404(client, path):
    error = assert_error(client.get(path), 404, ["path", "code"], "Không tìm thấy thủ tục có mã", "9.999999")
    assert error["type"] == "not_found"


def test_unknown_version_is_a_404_naming_the_number(client):
    assert_error(client.get(f"/api/v1/procedures/{BIRTH}/versions/99"), 404, ["path", "number"], "phiên bản số 99")


def test_unknown_api_path_is_a_json_404(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, ["path"], "Không có địa chỉ API")


@pytest.mark.parametrize(("params", "name", "words"), [
    ({"limit": "abc"}, "limit", ["“limit”", "số nguyên"]),
    ({"limit": "0"}, "limit", ["“limit”", "lớn hơn hoặc bằng 1"]),
    ({"limit": "101"}, "limit", ["“limit”", "nhỏ hơn hoặc bằng 100"]),
    ({"level": "village"}, "level", ["“level”", "commune"]),
    ({"online_service": "maybe"}, "online_service", ["“online_service”"]),
    ({"include_abolished": "maybe"}, "include_abolished", ["true hoặc false"]),
    ({"domain": "abc"}, "domain", ["“domain”", "số nguyên"]),
    ({"domain": "999999"}, "domain", ["không có lĩnh vực", "999999"]),
    ({"agency": "000.99.99.Z99"}, "agency", ["không có cơ quan", "000.99.99.Z99"]),
    ({"cursor": "not a cursor!"}, "cursor", ["“cursor”", "next"]),
    ({"cursor": "eyJvIjotNX0"}, "cursor", ["“cursor”"]),  # {"o":-5}
    ({"q": "x" * 201}, "q", ["“q”", "200"]),
    ({"q": "khai\x00sinh"}, "q", ["“q”"]),
])
def test_bad_parameters_are_422_in_vietnamese(client, params, name, words):
    assert_error(client.get("/api/v1/procedures", params), 422, ["query", name], *words)


def test_a_browse_cursor_is_refused_by_a_search(client):
    browse = client.get("/api/v1/procedures", {"limit": 1, "facets": "false"}).json()
    response = client.get("/api/v1/procedures", {"q": "khai sinh", "cursor": browse["next"]})
    assert_error(response, 422, ["query", "cursor"], "không dùng được")


def test_non_integer_version_number_is_a_422(client):
    assert_error(client.get(f"/api/v1/procedures/{BIRTH}/versions/one"), 422, ["path", "number"], "số nguyên")
