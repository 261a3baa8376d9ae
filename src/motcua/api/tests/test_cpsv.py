"""The CPSV-AP 3.2.0 export: valid JSON-LD with the mandatory properties, for real procedures."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.api.tests.conftest import STRUCTURED_CODE
from motcua.catalog.cpsv import CONTEXT, iso_duration, version_to_cpsv
from motcua.catalog.models import LegalDocument, SearchDocument
from motcua.catalog.selectors import get_procedure

BIRTH = "1.001193"
CPSV = "http://purl.org/vocab/cpsv#"
CV = "http://data.europa.eu/m8g/"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def sample_codes() -> list[str]:
    """1.001193 plus the first procedure of each level and of a few domains: different shapes."""
    codes = [BIRTH]
    for field in SearchDocument.LEVEL_FIELDS.values():
        codes += list(SearchDocument.objects.filter(**{field: True}).order_by("code").values_list("code", flat=True)[:1])
    codes += list(SearchDocument.objects.order_by("-code").values_list("code", flat=True)[:2])
    return list(dict.fromkeys(codes))


def fetch(client, code) -> dict:
    response = client.get(f"/api/v1/procedures/{code}/cpsv-ap")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def assert_mandatory(doc: dict, code: str) -> None:
    assert doc["@context"] == CONTEXT
    assert doc["@type"] == "cpsv:PublicService"
    assert doc["dct:identifier"] == code
    assert doc["dct:title"]["@language"] == "vi" and doc["dct:title"]["@value"]
    assert doc["dct:description"]["@language"] == "vi" and code in doc["dct:description"]["@value"]
    authorities = doc["cv:hasCompetentAuthority"]
    assert authorities
    for organisation in authorities:
        assert organisation["@type"] == "cv:PublicOrganisation"
        assert organisation["skos:prefLabel"]["@language"] == "vi" and organisation["skos:prefLabel"]["@value"]


@pytest.mark.django_db
def test_real_procedures_export_with_the_mandatory_properties(client):
    codes = sample_codes()
    assert len(codes) >= 4
    for code in codes:
        assert_mandatory(fetch(client, code), code)


@pytest.mark.django_db
def test_birth_registration_as_a_public_service(client):
    doc = fetch(client, BIRTH)
    assert doc["dct:title"]["@value"] == "Thủ tục đăng ký khai sinh"
    assert doc["@id"].endswith(f"/api/v1/procedures/{BIRTH}")
    labels = [o["skos:prefLabel"]["@value"] for o in doc["cv:hasCompetentAuthority"]]
    labels += [p["cv:hasParticipant"]["skos:prefLabel"]["@value"] for p in doc.get("cv:hasParticipation", [])]
    assert "Bộ Tư pháp" in labels
    ministries = [o for o in doc["cv:hasCompetentAuthority"] if o.get("dct:identifier") == "000.00.00.G15"]
    ministries += [
        p["cv:hasParticipant"] for p in doc.get("cv:hasParticipation", [])
        if p["cv:hasParticipant"].get("dct:identifier") == "000.00.00.G15"
    ]
    assert ministries and ministries[0]["@id"].endswith("/api/v1/agencies/000.00.00.G15")
    assert doc["cv:sector"]["skos:prefLabel"]["@value"] == "Hộ tịch"
    assert "commune" in [c["skos:notation"] for c in doc["cv:isClassifiedBy"]]
    assert doc["adms:status"] == "http://purl.org/adms/status/Completed"
    assert doc["dct:spatial"].endswith("/country/VNM")


@pytest.mark.django_db
def test_structured_parts_map_to_channel_cost_evidence_output_rule(client, structured_procedure):
    doc = fetch(client, STRUCTURED_CODE)
    [channel] = doc["cv:hasChannel"]
    assert channel["@type"] == "cv:Channel"
    assert channel["dct:type"]["skos:notation"] == "in_person"
    assert channel["cv:processingTime"] == "P3D"
    notes = " ".join(d["@value"] for d in channel["dct:description"])
    assert "ngày làm việc" in notes and "working days" in notes
    assert doc["cv:processingTime"] == "P3D"

    [cost] = doc["cv:hasCost"]
    assert cost["@type"] == "cv:Cost"
    assert cost["cv:hasValue"] == 5000.0
    assert cost["cv:currency"].endswith("/currency/VND")
    assert cost["cv:ifAccessedThrough"] == {"@id": channel["@id"]}
    assert "5.000 đồng" in cost["dct:description"]["@value"]

    evidence = doc["cpsv:hasInput"]
    assert [e["@type"] for e in evidence] == ["cv:Evidence", "cv:Evidence"]
    assert evidence[0]["dct:title"]["@value"].startswith("Tờ khai đề nghị cấp giấy thông hành")
    assert "Bản chính: 1" in evidence[0]["dct:description"]["@value"]
    assert "Mẫu TK6" in evidence[0]["dct:description"]["@value"]

    [output] = doc["cpsv:produces"]
    assert output["@type"] == "cv:Output" and output["dct:identifier"] == "KQ.G01.00279"

    laws = doc["cv:hasLegalResource"]
    assert [law["dct:identifier"] for law in laws] == ["136/2007/NĐ-CP", "43/2011/TT-BCA"]
    assert laws[0]["@type"] == "eli:LegalResource"
    # The document row is shared by every procedure citing it, so read its dates from the database.
    decree = LegalDocument.objects.get(number="136/2007/NĐ-CP")
    assert laws[0].get("eli:date_document") == (decree.issued_on.isoformat() if decree.issued_on else None)
    rules = doc["cpsv:follows"]
    assert [r["cpsv:implements"]["@id"] for r in rules] == [law["@id"] for law in laws]

    [requirement] = doc["cv:holdsRequirement"]
    assert "cv:Requirement" in requirement["@type"] and "cv:CriterionRequirement" in requirement["@type"]
    assert "giấy thông hành" in requirement["dct:description"]["@value"]


def _no_network(url, options=None):
    raise AssertionError(f"the export must not need a remote document: {url}")


@pytest.mark.django_db
def test_json_ld_expands_offline_with_the_embedded_context(client, structured_procedure):
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld checks the JSON-LD (dev dependency)")
    for code in (BIRTH, STRUCTURED_CODE):
        doc = fetch(client, code)
        expanded = jsonld.expand(doc, {"documentLoader": _no_network})
        [service] = [node for node in expanded if f"{CPSV}PublicService" in node.get("@type", [])]
        assert service[f"{DCT}identifier"] == [{"@value": code}]
        assert service[f"{DCT}title"][0]["@language"] == "vi"
        assert service[f"{CV}hasCompetentAuthority"][0]["@type"] == [f"{CV}PublicOrganisation"]
        nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _no_network})
        assert f"<{CPSV}PublicService>" in nquads
    assert '"P3D"^^<http://www.w3.org/2001/XMLSchema#duration>' in nquads
    assert '"5.0E3"^^<http://www.w3.org/2001/XMLSchema#double>' in nquads


@pytest.mark.django_db
def test_export_reads_only_what_the_selector_loaded(structured_procedure):
    procedure = get_procedure(STRUCTURED_CODE)
    with CaptureQueriesContext(connection) as queries:
        doc = version_to_cpsv(procedure.current, service_uri="https://example.invalid/p")
    assert len(queries) == 0
    json.dumps(doc)  # plain JSON types only


@pytest.mark.django_db
def test_export_query_count_is_constant(client, structured_procedure):
    counts = []
    for code in (BIRTH, STRUCTURED_CODE):
        with CaptureQueriesContext(connection) as queries:
            fetch(client, code)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (Decimal("30"), "working_day", "P30D"),
    (Decimal("15"), "day", "P15D"),
    (Decimal("0.5"), "day", "PT12H"),
    (Decimal("4"), "hour", "PT4H"),
    (Decimal("8"), "working_hour", "PT8H"),
    (Decimal("1.5"), "hour", "PT5400S"),
    (Decimal("2"), "month", "P2M"),
    (None, "day", None),
    (Decimal("5"), "", None),
    (Decimal("0"), "day", None),
])
def test_time_limits_as_iso_8601_durations(value, unit, expected):
    assert iso_duration(value, unit) == expected
