"""The real unit lists and conversion table as loaded (by the root conftest) into the test database."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.units.choices import Edition, SuccessionKind, UnitLevel
from motcua.units.loading import load_agencies, load_units
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession

pytestmark = pytest.mark.django_db


def _units(edition, level):
    return AdministrativeUnit.objects.filter(edition=edition, level=level)


def test_every_unit_of_both_lists_is_loaded():
    assert _units(Edition.PRE_2025, UnitLevel.PROVINCE).count() == 63
    assert _units(Edition.PRE_2025, UnitLevel.DISTRICT).count() == 696
    assert _units(Edition.PRE_2025, UnitLevel.COMMUNE).count() == 10051
    assert _units(Edition.CURRENT, UnitLevel.PROVINCE).count() == 34
    assert _units(Edition.CURRENT, UnitLevel.COMMUNE).count() == 3321
    assert not _units(Edition.CURRENT, UnitLevel.DISTRICT).exists()  # the district level was abolished


def test_units_carry_type_parent_validity_and_legal_basis():
    truc_bach = AdministrativeUnit.objects.get(edition=Edition.PRE_2025, level=UnitLevel.COMMUNE, code="00004")
    assert truc_bach.name == "Phường Trúc Bạch" and truc_bach.unit_type == "Phường"
    assert truc_bach.parent.name == "Quận Ba Đình" and truc_bach.parent.unit_type == "Quận"
    assert truc_bach.parent.parent.name == "Thành phố Hà Nội" and truc_bach.parent.parent.unit_type == "Thành phố"
    assert truc_bach.valid_to == date(2025, 6, 30)
    assert truc_bach.legal_basis == "QĐ 124/2004/QĐ-TTg"
    con_dao = AdministrativeUnit.objects.get(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, code="26732")
    assert con_dao.name == "Đặc khu Côn Đảo" and con_dao.unit_type == "Đặc khu"
    assert con_dao.parent.name == "Thành phố Hồ Chí Minh"
    assert con_dao.valid_from == date(2025, 7, 1) and con_dao.valid_to is None
    assert "19/2025/QĐ-TTg" in con_dao.legal_basis and "202/2025/QH15" in con_dao.legal_basis
    assert con_dao.name_folded == "dac khu con dao"


def test_the_same_code_names_two_different_communes_before_and_after_the_reform():
    before = AdministrativeUnit.objects.get(edition=Edition.PRE_2025, level=UnitLevel.COMMUNE, code="00004")
    after = AdministrativeUnit.objects.get(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, code="00004")
    assert (before.name, after.name) == ("Phường Trúc Bạch", "Phường Ba Đình")
    succession = UnitSuccession.objects.get(old_unit=before)
    assert succession.new_unit == after
    assert succession.kind == SuccessionKind.FULL
    assert succession.note == "Nhập toàn bộ"
    assert succession.effective_on == date(2025, 7, 1)


def test_a_partly_merged_commune_has_several_successors_with_the_verbatim_note():
    ngoc_ha = AdministrativeUnit.objects.get(edition=Edition.PRE_2025, level=UnitLevel.COMMUNE, code="00016")
    rows = UnitSuccession.objects.filter(old_unit=ngoc_ha).select_related("new_unit").order_by("new_unit__code")
    assert [(s.new_unit.code, s.new_unit.name, s.kind, s.note) for s in rows] == [
        ("00004", "Phường Ba Đình", SuccessionKind.PARTIAL, "Nhập một phần"),
        ("00008", "Phường Ngọc Hà", SuccessionKind.PARTIAL, "Nhập một phần"),
    ]


def test_the_conversion_table_becomes_one_succession_per_usable_row():
    communes = UnitSuccession.objects.filter(old_unit__level=UnitLevel.COMMUNE)
    # 10,571 rows, less 17 that name a code missing from the lists, less the 5 island districts.
    assert communes.count() == 10549
    assert communes.filter(kind=SuccessionKind.PARTIAL).count() == 966
    assert communes.filter(kind=SuccessionKind.UNCHANGED).count() == 131
    renamed = communes.get(old_unit__code="24235")
    assert (renamed.old_unit.name, renamed.new_unit.name, renamed.note, renamed.kind) == (
        "Xã Krông Na", "Xã Buôn Đôn", "Đổi tên", SuccessionKind.UNCHANGED)


def test_the_island_districts_become_special_zones():
    bach_long_vi = UnitSuccession.objects.select_related("new_unit").get(
        old_unit__edition=Edition.PRE_2025, old_unit__level=UnitLevel.DISTRICT, old_unit__code="318")
    assert bach_long_vi.new_unit.name == "Đặc khu Bạch Long Vĩ"
    assert bach_long_vi.kind == SuccessionKind.FULL
    assert UnitSuccession.objects.filter(old_unit__level=UnitLevel.DISTRICT).count() == 5


def test_province_successions_are_derived_from_where_the_communes_went():
    provinces = UnitSuccession.objects.filter(old_unit__level=UnitLevel.PROVINCE).select_related("old_unit", "new_unit")
    assert provinces.count() == 63
    assert provinces.filter(kind=SuccessionKind.UNCHANGED).count() == 11  # the 11 provinces not merged
    tay_ninh = sorted((s.old_unit.code, s.old_unit.name, s.kind) for s in provinces if s.new_unit.code == "80")
    assert tay_ninh == [("72", "Tỉnh Tây Ninh", SuccessionKind.FULL), ("80", "Tỉnh Long An", SuccessionKind.FULL)]
    ha_noi = provinces.get(old_unit__code="01")
    assert (ha_noi.new_unit.code, ha_noi.kind) == ("01", SuccessionKind.UNCHANGED)


def test_loading_again_writes_nothing_and_reports_the_same_counts():
    units_before = AdministrativeUnit.objects.count()
    successions_before = UnitSuccession.objects.count()
    agencies_before = Agency.objects.count()
    with CaptureQueriesContext(connection) as queries:
        units = load_units()
        agencies = load_agencies()
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert (units["mới thêm"], units["đã cập nhật"]) == (0, 0)
    assert (agencies["mới thêm"], agencies["đã cập nhật"]) == (0, 0)
    assert AdministrativeUnit.objects.count() == units_before
    assert UnitSuccession.objects.count() == successions_before
    assert Agency.objects.count() == agencies_before
    assert units["tỉnh (trước 2025)"] == 63 and units["xã (từ 2025)"] == 3321


def test_rows_naming_codes_missing_from_the_lists_are_counted_not_fatal(caplog):
    counts = load_units()
    assert counts["dòng bảng chuyển đổi bỏ qua: mã cũ không có trong danh mục 2004"] == 11
    assert counts["dòng bảng chuyển đổi bỏ qua: mã mới không có trong danh mục 2025"] == 5
    assert counts["dòng bảng chuyển đổi bỏ qua: không có mã xã cũ"] == 1
    assert "mã cũ 03980 (Phường Mộc Lỵ) không có trong danh mục 2004" in caplog.text
    assert "mã mới 06970 (Xã Ba Chẽ) không có trong danh mục 2025" in caplog.text


def test_a_changed_name_in_the_data_is_corrected_on_the_next_load():
    unit = AdministrativeUnit.objects.get(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, code="00004")
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Sai tên", name_folded="sai ten")
    counts = load_units()
    unit.refresh_from_db()
    assert (unit.name, unit.name_folded) == ("Phường Ba Đình", "phuong ba dinh")
    assert counts["đã cập nhật"] == 1 and counts["mới thêm"] == 0
