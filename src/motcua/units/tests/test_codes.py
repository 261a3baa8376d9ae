"""Organ identification codes: what the national document axis accepts, and the code hierarchy."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from motcua.units.codes import OrganCode, parent_organ_code, parse_organ_code, validate_organ_code

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
level4 = st.text(alphabet="0123456789", min_size=3, max_size=3)
level_2_3 = st.text(alphabet="0123456789", min_size=2, max_size=2)
level1 = st.builds(lambda letter, number: letter + number,
                   st.sampled_from("ABCDEGHKX"), st.text(alphabet="0123456789", min_size=2, max_size=2))
organ_codes = st.builds(OrganCode, level4, level_2_3, level_2_3, level1)


def _message(value) -> str:
    with pytest.raises(ValidationError) as info:
        validate_organ_code(value)
    return " ".join(info.value.messages)


def test_good_codes_parse_into_their_levels():
    code = parse_organ_code("000.21.31.H53")
    assert (code.level4, code.level3, code.level2, code.level1) == ("000", "21", "31", "H53")
    assert code.group == "H"
    assert not code.is_root
    assert parse_organ_code("000.00.00.G01").is_root
    validate_organ_code("000.00.00.G17")


def test_a_malformed_code_is_refused_with_a_message_naming_the_field():
    message = _message("000.1137.H53")  # the real non-standard code of the Tây Ninh list
    assert "Mã định danh cơ quan" in message
    assert "XXX.YY.ZZ.Lnn" in message


def test_a_too_short_code_says_how_long_it_is():
    message = _message("000.00.G01")
    assert "10 ký tự" in message
    assert "13 ký tự" in message


def test_a_lowercase_letter_is_refused_and_the_message_shows_the_right_spelling():
    message = _message("000.00.00.g01")
    assert "viết hoa" in message
    assert "000.00.00.G01" in message


@pytest.mark.parametrize("value", ["", "   ", None, "000.00.00.G01\n", " 000.00.00.G01", "000,00,00,G01",
                                   "٠٠٠.00.00.G01", "000.00.00.Ğ01", "000.00.00.GG1"])
def test_other_bad_values_are_refused(value):
    assert "Mã định danh cơ quan" in _message(value)


def test_the_parent_is_the_code_with_the_most_specific_level_zeroed():
    existing = {"000.00.00.H53", "000.00.31.H53", "000.01.07.H53"}
    assert parent_organ_code("000.21.31.H53", existing) == "000.00.31.H53"
    assert parent_organ_code("001.01.07.H53", existing) == "000.01.07.H53"
    # 000.00.07.H53 is absent: the level-1 body is the fallback.
    assert parent_organ_code("000.05.07.H53", existing) == "000.00.00.H53"
    assert parent_organ_code("000.00.00.H53", existing) is None


@given(organ_codes)
def test_a_well_formed_code_parses_back_to_itself(code):
    assert parse_organ_code(str(code)) == code
    assert len(str(code)) == 13


@given(st.text(max_size=20))
def test_any_text_either_parses_to_exactly_itself_or_is_refused_in_vietnamese(text):
    try:
        code = parse_organ_code(text)
    except ValidationError as error:
        assert "Mã định danh cơ quan" in " ".join(error.messages)
    else:
        assert str(code) == text


@given(organ_codes)
def test_parent_candidates_climb_to_the_level_one_body(code):
    candidates = code.parent_candidates()
    zeros = [sum(int(part) == 0 for part in (c.level4, c.level3, c.level2)) for c in candidates]
    assert zeros == sorted(zeros) and len(set(zeros)) == len(zeros)  # each step zeroes one more level
    assert all(c.level1 == code.level1 for c in candidates)
    if code.is_root:
        assert candidates == []
    else:
        assert candidates[-1].is_root
        assert parse_organ_code(str(candidates[0])) == candidates[0]
