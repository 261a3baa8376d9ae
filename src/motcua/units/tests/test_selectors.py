"""The reads the API and portal use: old↔new conversion, units by date, lists and look-ups."""

from datetime import date

import pytest

from motcua.units.choices import AgencyLevel, Edition, SuccessionKind, UnitLevel
from motcua.units.selectors import (
    current_units_for_old_code,
    get_agency,
    get_unit,
    list_agencies,
    list_units,
    old_units_of,
    unit_valid_at,
)

pytestmark = pytest.mark.django_db


def _named(pairs):
    return [(unit.code, unit.name, kind) for unit, kind in pairs]


def test_an_old_commune_code_gives_the_commune_it_became():
    assert _named(current_units_for_old_code("00004")) == [("00004", "Phường Ba Đình", SuccessionKind.FULL)]


def test_a_split_commune_gives_every_commune_that_took_a_part():
    assert _named(current_units_for_old_code("00016")) == [
        ("00004", "Phường Ba Đình", SuccessionKind.PARTIAL),
        ("00008", "Phường Ngọc Hà", SuccessionKind.PARTIAL),
    ]
    assert len(current_units_for_old_code("00634")) == 5  # Phường Đại Mỗ went into five wards


def test_an_unknown_old_code_gives_nothing():
    assert current_units_for_old_code("99999") == []
    assert current_units_for_old_code("03980") == []  # in the table, but missing from the 2004 list


def test_island_districts_and_provinces_convert_at_their_own_level():
    assert _named(current_units_for_old_code("755", level=UnitLevel.DISTRICT)) == [
        ("26732", "Đặc khu Côn Đảo", SuccessionKind.FULL)]
    assert _named(current_units_for_old_code("72", level=UnitLevel.PROVINCE)) == [
        ("80", "Tỉnh Tây Ninh", SuccessionKind.FULL)]


def test_a_new_commune_lists_the_old_communes_it_was_formed_from():
    old = _named(old_units_of("00004"))
    assert old[:3] == [
        ("00004", "Phường Trúc Bạch", SuccessionKind.FULL),
        ("00013", "Phường Quán Thánh", SuccessionKind.FULL),
        ("00016", "Phường Ngọc Hà", SuccessionKind.PARTIAL),
    ]
    assert len(old) == 10
    assert [(u.code, u.name) for u, _kind in old_units_of("80", level=UnitLevel.PROVINCE)] == [
        ("72", "Tỉnh Tây Ninh"), ("80", "Tỉnh Long An")]


def test_a_code_names_the_old_unit_until_30_june_2025_and_the_new_one_from_1_july():
    assert unit_valid_at("00004", date(2025, 6, 30)).name == "Phường Trúc Bạch"
    assert unit_valid_at("00004", date(2025, 7, 1)).name == "Phường Ba Đình"
    assert unit_valid_at("80", date(2020, 1, 1)).name == "Tỉnh Long An"
    assert unit_valid_at("80", date(2026, 1, 1)).name == "Tỉnh Tây Ninh"
    assert unit_valid_at("001", date(2025, 6, 30)).name == "Quận Ba Đình"
    assert unit_valid_at("001", date(2025, 7, 1)) is None  # no districts after the reform
    assert unit_valid_at("00001", date(2025, 7, 1)) is None  # Phúc Xá's code was not reused


def test_list_units_filters_by_list_level_parent_and_text_in_any_spelling():
    ha_noi_now = list_units(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, parent_code="01")
    assert ha_noi_now.count() == 126
    assert [u.name for u in list_units(edition=Edition.CURRENT, q="phuong ba dinh")] == ["Phường Ba Đình"]
    # Marks are ignored both ways: "Ba Đình" also finds the commune spelled "Xã Ba Dinh".
    assert {u.name for u in list_units(edition=Edition.CURRENT, q="Ba Đình")} == {
        "Phường Ba Đình", "Xã Ba Đình", "Xã Ba Dinh"}
    assert {u.code for u in list_units(edition=Edition.PRE_2025, level=UnitLevel.PROVINCE, q="7")} >= {"72", "77"}
    ba_dinh_district = list_units(edition=Edition.PRE_2025, parent_code="001")
    assert ba_dinh_district.count() == 13  # the 13 wards of Quận Ba Đình in the 2025-01-04 export


def test_list_units_reads_the_parent_without_a_query_per_row(django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [u.parent.name for u in list_units(edition=Edition.CURRENT, level=UnitLevel.COMMUNE)[:200]]
    assert len(names) == 200


def test_get_unit_needs_the_edition():
    assert get_unit(Edition.PRE_2025, "00004").name == "Phường Trúc Bạch"
    assert get_unit(Edition.CURRENT, "00004").name == "Phường Ba Đình"
    assert get_unit(Edition.CURRENT, "001") is None
    assert get_unit(Edition.CURRENT, "01", level=UnitLevel.PROVINCE).name == "Thành phố Hà Nội"


def test_list_agencies_by_level_text_and_unit(django_assert_num_queries):
    ministries = list_agencies(level=AgencyLevel.MINISTRY)
    assert "Bộ Xây dựng" in [a.name for a in ministries]
    assert [a.organ_code for a in list_agencies(q="bo xay dung")] == ["000.00.00.G17"]
    assert [a.organ_code for a in list_agencies(q="000.00.00.g1")][:2] == ["000.00.00.G10", "000.00.00.G11"]
    tay_ninh = list_agencies(unit_code="72")
    assert tay_ninh.filter(level=AgencyLevel.COMMUNE).count() >= 80  # commune committees inside the province
    assert list_agencies(unit_code="25705").get().organ_code == "000.21.31.H53"
    with django_assert_num_queries(1):
        rows = [(a.name, a.unit.name if a.unit else "", a.parent.name if a.parent else "") for a in tay_ninh]
    assert len(rows) > 300
    coded = [a.organ_code for a in list_agencies(level=AgencyLevel.PROVINCE)]
    assert coded[0] == "000.00.00.H53" and coded[-1] is None  # agencies without a code come last


def test_get_agency_by_code_in_any_case_or_by_slug():
    assert get_agency("000.00.00.G17").name == "Bộ Xây dựng"
    assert get_agency("000.00.00.g17").name == "Bộ Xây dựng"
    assert get_agency("bo-nong-nghiep-va-moi-truong").name == "Bộ Nông nghiệp và Môi trường"
    assert get_agency("000.99.99.Z99") is None
    assert get_agency("") is None
