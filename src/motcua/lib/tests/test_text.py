"""fold(): the one folding function of index and query, and the spelling index used for typos."""

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from motcua.lib.text import SpellIndex, edit_distance, fold, has_diacritics, strip_marks

FOLDED = re.compile(r"\A(?:[0-9a-z]+(?: [0-9a-z]+)*)?\Z")

# The letters Vietnamese is written with (both cases, every tone), plus ASCII and what people
# put around words: digits, punctuation, several kinds of space.
_VIETNAMESE_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
_VIETNAMESE = _VIETNAMESE_LOWER + _VIETNAMESE_LOWER.upper() + "0123456789 ,.;:!?-–()/\"'\u00a0\t\n"
vietnamese_text = st.text(alphabet=_VIETNAMESE, max_size=60)


@given(st.text())
@example("Đăng ký khai sinh")
@example("\u0130stanbul")  # İ: upper case with a dot, lower-cases to i + combining dot
@example("ß")
def test_fold_output_is_ascii_words_separated_by_single_spaces(text):
    assert FOLDED.match(fold(text))


@given(st.text())
@example("ký lý quí")
def test_fold_is_idempotent(text):
    once = fold(text)
    assert fold(once) == once


@given(vietnamese_text)
@example("ĐĂNG KÝ KẾT HÔN")
def test_case_does_not_matter(text):
    assert fold(text.upper()) == fold(text) == fold(text.lower())


@given(vietnamese_text)
def test_diacritics_do_not_matter(text):
    assert fold(strip_marks(text)) == fold(text)


@given(st.text())
def test_composed_and_decomposed_input_fold_alike(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(vietnamese_text)
def test_d_and_dd_are_the_same_letter(text):
    assert fold(text.replace("d", "đ").replace("D", "Đ")) == fold(text)
    assert fold(text.replace("đ", "d").replace("Đ", "D")) == fold(text)


@pytest.mark.parametrize(("typed", "expected"), [
    ("Đăng ký khai sinh", "dang ki khai sinh"),
    ("dang ky khai sinh", "dang ki khai sinh"),
    ("ĐĂNG KÍ KHAI SINH", "dang ki khai sinh"),
    ("Cấp Phiếu Lý lịch tư pháp", "cap phieu li lich tu phap"),
    ("Lí lịch tư pháp", "li lich tu phap"),
    ("hạ sỹ quan", "ha si quan"),
    ("hạ sĩ quan", "ha si quan"),
    ("qui định", "quy dinh"),
    ("quy định", "quy dinh"),
    ("Giấy phép xây dựng, cải tạo (cấp tỉnh)", "giay phep xay dung cai tao cap tinh"),
    ("1.001193.H26", "1 001193 h26"),
    ("１.００１１９３", "1 001193"),  # full-width digits from a phone keyboard
    ("ÐĂNG KÝ", "dang ki"),  # Ð (U+00D0) typed for Đ
    ("khai\u00adsinh", "khaisinh"),  # a soft hyphen is invisible: the word stays whole
    ("thủy lợi / thuỷ lợi", "thuy loi thuy loi"),  # both places of the tone mark
    ("", ""),
    ("?!…", ""),
])
def test_fold_examples(typed, expected):
    assert fold(typed) == expected


def test_y_i_variants_only_where_both_spellings_exist():
    assert fold("ký") == fold("kí") == "ki"
    assert fold("mỹ thuật") == fold("mĩ thuật")
    # "y" as a word of its own (y tế) and "uy" are not variants.
    assert fold("y tế") == "y te"
    assert fold("ủy ban") == "uy ban"


def test_has_diacritics():
    assert has_diacritics("đăng ký")
    assert has_diacritics("dang ký")
    assert not has_diacritics("dang ky")


@given(st.text(alphabet="abcdehiknoqrstuy", max_size=8), st.text(alphabet="abcdehiknoqrstuy", max_size=8))
def test_edit_distance_is_a_distance(a, b):
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("dnag", "dang") == 1
    assert edit_distance("dug", "dung") == 1
    assert edit_distance("thuong", "thuong") == 0
    assert edit_distance("abc", "xyz", limit=1) == 2  # stops early, says "more than the limit"


@settings(max_examples=60)
@given(
    st.lists(st.text(alphabet="acdghiknostuy", min_size=1, max_size=7), min_size=1, max_size=40, unique=True),
    st.text(alphabet="acdghiknostuy", min_size=1, max_size=7),
    st.integers(min_value=1, max_value=2),
)
def test_spell_index_finds_exactly_the_words_within_the_distance(vocabulary, word, distance):
    index = SpellIndex([(w, 1) for w in vocabulary])
    found = {w for w, _d in index.candidates(word, distance)}
    brute_force = {w for w in vocabulary if edit_distance(word, w) <= distance}
    assert found == brute_force


def test_spell_index_prefers_a_missed_letter_then_the_more_used_word():
    index = SpellIndex([("san", 400), ("sinh", 70), ("tin", 300), ("dung", 900), ("du", 50)])
    assert index.candidates("sin", 1)[0] == ("sinh", 1)
    assert index.candidates("dug", 1)[0] == ("dung", 1)
    assert "sinh" in index and "sin" not in index
    assert index.completions("si", 3) == ["sinh"]
