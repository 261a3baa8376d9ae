"""Publishing versions: a published version is never edited, an amendment publishes a new one."""

import gzip
import json

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.choices import DecisionKind, VersionStatus
from motcua.catalog.importer import BUNDLED_SOURCES, import_sources
from motcua.catalog.models import Procedure, ProcedureVersion, SearchDocument
from motcua.catalog.parsing import load_listing, parse_portal_record
from motcua.catalog.services import abolish, publish_record

pytestmark = pytest.mark.django_db


def _raw(code: str) -> dict:
    with gzip.open(BUNDLED_SOURCES[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            if f'"ma_thu_tuc": "{code}"' in line:
                return json.loads(line)
    raise LookupError(code)


def _record(raw: dict):
    """Parse as the importer does, with the ministry's official list joined in."""
    listing = load_listing(BUNDLED_SOURCES[0].parent / "chatbot_tthc_ministry_tthc_lists.csv")
    return parse_portal_record(raw, listing[raw["ma_thu_tuc"]])


def test_the_whole_real_catalogue_is_loaded():
    assert Procedure.objects.count() == 2849
    assert SearchDocument.objects.count() == 2849
    khai_sinh = Procedure.objects.get(code="1.001193")
    assert khai_sinh.current_version.name == "Thủ tục đăng ký khai sinh"
    assert khai_sinh.current_version.status == VersionStatus.PUBLISHED


def test_importing_the_same_record_again_changes_nothing():
    record = _record(_raw("1.001193"))
    version, created = publish_record(record)
    assert not created
    assert version.number == 1
    assert ProcedureVersion.objects.filter(procedure__code="1.001193").count() == 1


def test_an_amendment_publishes_a_new_version_and_keeps_the_old_one():
    raw = _raw("1.000894")
    raw["so_quyet_dinh"] = "999/QĐ-BTP"
    raw["ten_thu_tuc"] = raw["ten_thu_tuc"] + " (sửa đổi)"
    version, created = publish_record(_record(raw))
    assert created
    assert version.number == 2
    assert version.change_kind == DecisionKind.AMENDED
    assert version.decision.number == "999/QĐ-BTP"
    old = ProcedureVersion.objects.get(procedure__code="1.000894", number=1)
    assert old.status == VersionStatus.SUPERSEDED
    assert old.valid_until is not None
    document = SearchDocument.objects.get(code="1.000894")
    assert document.name.endswith("(sửa đổi)")


def test_a_published_version_cannot_be_edited():
    version = Procedure.objects.get(code="1.001193").current_version
    version.name = "Tên khác"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.save(update_fields=["name"])


def test_an_abolished_procedure_stays_visible_as_history():
    procedure = Procedure.objects.get(code="1.004222")
    abolish(procedure, decision_number="1/QĐ-TEST")
    procedure.refresh_from_db()
    assert procedure.current_version.status == VersionStatus.ABOLISHED
    assert SearchDocument.objects.get(code="1.004222").status == VersionStatus.ABOLISHED
    assert procedure.versions.count() == 1


def test_a_malformed_record_is_reported_with_its_code_and_nothing_is_written(tmp_path):
    good = _raw("1.001193")
    good["ma_thu_tuc"] = "9.999991"
    nameless = dict(good, ma_thu_tuc="9.999992", ten_thu_tuc="")
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        "\n".join([json.dumps(good, ensure_ascii=False), "{not json", json.dumps(nameless, ensure_ascii=False)]),
        encoding="utf-8",
    )
    report = import_sources([source], progress=lambda done, total: None)
    assert report.records == 3
    assert report.created == 1
    messages = [str(e) for e in report.errors]
    assert any("mixed.jsonl:2" in m and "JSON" in m for m in messages)
    assert any(m.startswith("9.999992") for m in messages)
    assert Procedure.objects.filter(code="9.999991").exists()
    assert not Procedure.objects.filter(code="9.999992").exists()


def test_the_import_report_counts_parsed_fields(tmp_path):
    report = import_sources(BUNDLED_SOURCES[1:], progress=lambda done, total: None)
    assert report.records == 207
    assert report.unchanged == 207
    text = "\n".join(report.lines())
    assert "thời hạn giải quyết" in text
    assert "căn cứ pháp lý" in text
