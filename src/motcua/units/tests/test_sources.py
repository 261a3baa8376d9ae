"""Reading the bundled files: counts straight from the files, and the parsers of their messy cells."""

import string

from hypothesis import given
from hypothesis import strategies as st

from motcua.units.choices import Edition, SuccessionKind, UnitLevel
from motcua.units.sources import (
    bracket_code,
    clean_text,
    read_conversion_table,
    read_current_units,
    read_organ_codes,
    read_pre_2025_units,
    succession_kind,
)


def _count(records, edition, level):
    return sum(1 for r in records if r.edition == edition and r.level == level)


def test_the_pre_2025_list_has_63_provinces_696_districts_10051_communes():
    records = read_pre_2025_units()
    assert _count(records, Edition.PRE_2025, UnitLevel.PROVINCE) == 63
    assert _count(records, Edition.PRE_2025, UnitLevel.DISTRICT) == 696
    assert _count(records, Edition.PRE_2025, UnitLevel.COMMUNE) == 10051
    types = {r.unit_type for r in records if r.level == UnitLevel.COMMUNE}
    assert types == {"Xã", "Phường", "Thị trấn"}
    # "Thị Trấn Mường Chà" is spelled with the type list's capitalisation.
    assert any(r.name == "Thị trấn Mường Chà" for r in records)


def test_the_current_list_has_34_provinces_and_3321_communes_with_13_special_zones():
    records = read_current_units()
    assert _count(records, Edition.CURRENT, UnitLevel.PROVINCE) == 34
    communes = [r for r in records if r.level == UnitLevel.COMMUNE]
    assert len(communes) == 3321
    assert sum(r.unit_type == "Đặc khu" for r in communes) == 13
    assert {r.unit_type for r in records if r.level == UnitLevel.PROVINCE} == {"Tỉnh", "Thành phố"}


def test_the_conversion_table_has_10571_rows_and_every_note_is_recognised():
    rows = read_conversion_table()
    assert len(rows) == 10571
    assert len({r.new_code for r in rows}) == 3321
    assert [r.note for r in rows if r.kind is None] == []
    first = rows[0]
    assert (first.new_code, first.new_name, first.old_code, first.old_name) == (
        "00004", "Phường Ba Đình", "00004", "Phường Trúc Bạch")
    assert first.note == "Nhập toàn bộ" and first.old_district_code == "001" and first.new_province_code == "01"
    islands = [r for r in rows if r.is_district_to_special_zone]
    assert sorted(r.old_district_code for r in islands) == ["318", "471", "498", "536", "755"]


def test_the_organ_code_list_keeps_the_first_of_each_duplicated_code_and_drops_zero_width_spaces():
    listing = read_organ_codes()
    assert len(listing.records) == 448
    assert len(listing.duplicates) == 7
    assert not any("\u200b" in r.name for r in listing.records)
    by_code = {r.code: r.name for r in listing.records}
    assert by_code["000.21.31.H53"] == "UBND Xã An Thạnh huyện Bến Cầu"


def test_real_notes_map_to_the_three_kinds():
    assert succession_kind("Nhập toàn bộ") == SuccessionKind.FULL
    assert succession_kind("Nhập một phần\n") == SuccessionKind.PARTIAL
    assert succession_kind("Nhâp một phần diện tích") == SuccessionKind.PARTIAL
    assert succession_kind("Nhập một phần diện tích, toàn bộ dân số") == SuccessionKind.PARTIAL
    assert succession_kind("Phần còn lại sau khi tách một phần vào xã Canh Vinh") == SuccessionKind.PARTIAL
    assert succession_kind("Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo") == SuccessionKind.FULL
    assert succession_kind("Giữ nguyên ") == SuccessionKind.UNCHANGED
    assert succession_kind("Đổi tên") == SuccessionKind.UNCHANGED
    assert succession_kind("Đổi loại hình") == SuccessionKind.UNCHANGED
    assert succession_kind("???") is None


NOTES = ["Nhập toàn bộ", "Nhập một phần", "Giữ nguyên", "Nhập một phần diện tích",
         "Nhập một phần diện tích, toàn bộ dân số", "Đổi tên", "Đổi loại hình"]
whitespace = st.text(alphabet=" \n\t", max_size=3)


@given(st.sampled_from(NOTES), whitespace, whitespace, st.booleans())
def test_a_note_keeps_its_kind_whatever_the_spacing_and_case(note, before, after, upper):
    typed = before + note.replace(" ", "  ") + after
    typed = typed.upper() if upper else typed
    assert succession_kind(typed) == succession_kind(note) is not None


names = st.text(alphabet=string.ascii_letters + "ĐđàáạăắờơưỹÝ ", min_size=1, max_size=30).filter(str.strip)


@given(names, st.text(alphabet=string.digits, min_size=2, max_size=5), whitespace)
def test_a_bracketed_code_is_split_from_its_name(name, code, trailing):
    assert bracket_code(f"{name} ({code}){trailing}") == (clean_text(name), code)


@given(st.text(max_size=40))
def test_cleaning_text_is_idempotent_and_leaves_no_invisible_or_doubled_space(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert "\u200b" not in cleaned and "  " not in cleaned and cleaned == cleaned.strip()
