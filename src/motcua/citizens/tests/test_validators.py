"""The checks of phone numbers, personal numbers, tax codes and names: examples and properties."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.citizens import validators
from motcua.citizens.selectors import mask_id_number
from motcua.citizens.validators import InvalidValueError

TODAY = date(2026, 1, 15)
DIGITS = "0123456789"

# ----------------------------------------------------------------------------- phone


@pytest.mark.parametrize(("typed", "stored"), [
    ("+84 912 345 678", "0912345678"), ("0912.345.678", "0912345678"), ("0084912345678", "0912345678"),
    ("84912345678", "0912345678"), ("(024) 3825 1234", "02438251234"), ("0203-3822-123", "02033822123"),
    ("0387 654 321", "0387654321"), ("0563-123-456", "0563123456"), ("+84 (28) 3829 1234", "02838291234"),
])
def test_phone_numbers_as_people_type_them(typed, stored):
    assert validators.clean_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "0123456789",  # old 11-digit-era 01x prefix, now 03x–08x
    "0612345678", "0412345678", "912345678", "09123456789", "0243825123",  # a landline has 11 digits
    "+1 202 555 0101", "0912 ٣٤٥ 678",  # not ASCII digits
])
def test_numbers_that_cannot_be_vietnamese_phones(typed):
    with pytest.raises(InvalidValueError) as caught:
        validators.clean_phone(typed)
    assert "Số điện thoại" in caught.value.message


mobile_numbers = st.builds(lambda block, rest: f"0{block}{rest}", st.sampled_from("35789"),
                           st.text(DIGITS, min_size=8, max_size=8))
separators = st.sampled_from(["", " ", ".", "-"])


@st.composite
def written_like_people_do(draw, numbers=mobile_numbers):
    """A valid number written with the country code or the trunk 0, and separators anywhere."""
    number = draw(numbers)
    national = number[1:]
    prefix = draw(st.sampled_from(["0", "+84", "+84 ", "0084", "84"]))
    cuts = sorted(draw(st.lists(st.integers(1, len(national) - 1), max_size=3, unique=True)))
    pieces, start = [], 0
    for cut in [*cuts, len(national)]:
        pieces.append(national[start:cut])
        start = cut
    return number, prefix + draw(separators).join(pieces)


@given(written_like_people_do())
def test_any_mobile_number_however_written_is_stored_as_ten_digits(case):
    number, typed = case
    stored = validators.clean_phone(typed)
    assert stored == number and len(stored) == 10
    assert validators.clean_phone(stored) == stored  # stable: cleaning a stored value changes nothing


@given(st.text(DIGITS, min_size=1, max_size=14).filter(
    lambda s: not validators.is_phone(validators.normalise_phone(s))))
def test_digit_strings_that_are_not_phones_are_refused(digits):
    with pytest.raises(InvalidValueError):
        validators.clean_phone(digits)


@given(st.text(DIGITS, min_size=1, max_size=14))
def test_whatever_is_accepted_is_a_mobile_or_landline_number(digits):
    try:
        stored = validators.clean_phone(digits)
    except InvalidValueError:
        return
    assert (len(stored) == 10 and stored[:2] in {"03", "05", "07", "08", "09"}) or (
        len(stored) == 11 and stored.startswith("02"))


@given(st.text(min_size=1, max_size=20).filter(lambda s: any(c.isalpha() for c in s)))
def test_anything_with_a_letter_is_not_a_phone(typed):
    with pytest.raises(InvalidValueError):
        validators.clean_phone(typed)


# ----------------------------------------------------------------------------- personal number

def test_the_personal_number_is_decoded_as_thong_tu_07_2016_describes():
    parts = validators.id_number_parts("035199000123")
    assert (parts.place_code, parts.female, parts.birth_year) == ("035", True, 1999)
    assert validators.birth_province("035199000123") == "Hà Nam"
    assert validators.id_number_parts("079203001234").birth_year == 2003
    assert not validators.id_number_parts("079203001234").female
    assert validators.birth_province("999190000001") is None  # a country code for births abroad: unknown here


def test_personal_numbers_as_typed():
    assert validators.clean_id_number("001 090 000 123", today=TODAY) == "001090000123"
    assert validators.clean_id_number("001.090.000.123", date(1990, 5, 1), TODAY) == "001090000123"


@pytest.mark.parametrize(("typed", "dob", "fragment"), [
    ("00109000012", None, "đúng 12 chữ số"),
    ("0010900001234", None, "đúng 12 chữ số"),
    ("00109000012a", None, "đúng 12 chữ số"),
    ("001090000123", date(1991, 5, 1), "không khớp với ngày sinh"),
    ("001290000123", None, "năm chưa tới"),  # born 2090
    ("001490000123", None, "năm chưa tới"),  # born 2190
])
def test_personal_numbers_that_cannot_be_right(typed, dob, fragment):
    with pytest.raises(InvalidValueError) as caught:
        validators.clean_id_number(typed, dob, TODAY)
    assert fragment in caught.value.message


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def id_numbers_for(draw, dob_strategy=birth_dates):
    dob = draw(dob_strategy)
    place = draw(st.sampled_from(sorted(validators.BIRTH_PROVINCES)))
    female = draw(st.booleans())
    century_sex = (dob.year // 100 - 19) * 2 + int(female)
    serial = draw(st.text(DIGITS, min_size=6, max_size=6))
    return dob, f"{place}{century_sex}{dob.year % 100:02d}{serial}", female


@given(id_numbers_for())
def test_a_number_built_by_the_scheme_is_accepted_with_its_date_of_birth_and_decodes_back(case):
    dob, number, female = case
    assert validators.clean_id_number(number, dob, TODAY) == number
    parts = validators.id_number_parts(number)
    assert (parts.birth_year, parts.female) == (dob.year, female)


@given(id_numbers_for(), st.integers(1, 99))
def test_a_number_and_a_date_of_birth_of_another_year_disagree(case, shift):
    dob, number, _female = case
    other_year = dob.year - shift
    if other_year < 1900:
        other_year = dob.year + shift
    if other_year > TODAY.year:
        return
    with pytest.raises(InvalidValueError):
        validators.clean_id_number(number, dob.replace(year=other_year, day=1), TODAY)


@given(st.text(max_size=15).filter(lambda s: len(validators.normalise_id_number(s)) != 12))
def test_anything_but_twelve_digits_is_refused(typed):
    with pytest.raises(InvalidValueError):
        validators.clean_id_number(typed, today=TODAY)


# ----------------------------------------------------------------------------- dates of birth

def test_dates_of_birth():
    assert validators.clean_date_of_birth(TODAY, TODAY) == TODAY  # a newborn's account, filed by a parent
    for bad in (date(2026, 1, 16), date(1899, 12, 31)):
        with pytest.raises(InvalidValueError):
            validators.clean_date_of_birth(bad, TODAY)


# ----------------------------------------------------------------------------- tax code

@pytest.mark.parametrize(("typed", "stored"), [
    ("0101234567", "0101234567"), ("0101234567-001", "0101234567-001"), (" 0101234567 – 001 ", "0101234567-001"),
])
def test_tax_codes(typed, stored):
    assert validators.clean_tax_code(typed) == stored


@given(st.text(DIGITS, min_size=10, max_size=10), st.one_of(st.none(), st.text(DIGITS, min_size=3, max_size=3)))
def test_every_ten_digit_code_with_or_without_a_branch_suffix_is_accepted(head, branch):
    code = head if branch is None else f"{head}-{branch}"
    assert validators.clean_tax_code(code) == code


@given(st.text(max_size=16).filter(
    lambda s: not (validators.normalise_tax_code(s).isascii()
                   and validators._TAX_CODE.match(validators.normalise_tax_code(s)))))
def test_anything_else_is_not_a_tax_code(typed):
    with pytest.raises(InvalidValueError):
        validators.clean_tax_code(typed)


# ----------------------------------------------------------------------------- names

@pytest.mark.parametrize(("typed", "stored"), [
    ("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai"), ("  trần   văn   an ", "trần văn an"),
    ("H'Hen Niê", "H'Hen Niê"), ("Y Bih Niê", "Y Bih Niê"), ("Lê-Nguyễn Hoàng", "Lê-Nguyễn Hoàng"),
    # Typed with combining accents (some Windows keyboards): stored precomposed.
    (unicodedata.normalize("NFD", "Đặng Thuỳ Trâm"), "Đặng Thuỳ Trâm"),
])
def test_full_names(typed, stored):
    assert validators.clean_full_name(typed) == stored


@pytest.mark.parametrize(("typed", "fragment"), [
    ("", "Hãy nhập họ và tên"), ("Nguyễn Văn 2", "không được có chữ số"), ("Nguyễn Văn A.", "“.”"),
    ("'Hen", "“'”"), ("Trần @n", "“@”"), ("Lê " * 40, "dài quá"),
])
def test_names_that_are_not_names(typed, fragment):
    with pytest.raises(InvalidValueError) as caught:
        validators.clean_full_name(typed)
    assert fragment in caught.value.message


VIETNAMESE_LETTERS = [
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy" for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
] + list("bcdđghklmnpqrstvx")
words = st.lists(st.sampled_from(VIETNAMESE_LETTERS), min_size=1, max_size=7).map("".join)


@given(st.lists(words, min_size=1, max_size=5))
def test_every_name_of_vietnamese_letters_is_accepted_and_cleaning_is_stable(parts):
    name = " ".join(p.capitalize() for p in parts)
    if len(name) > validators.FULL_NAME_MAX:
        return
    assert validators.clean_full_name(name) == name
    assert validators.clean_full_name(f"  {name.replace(' ', '   ')} ") == name


@given(st.lists(words, min_size=1, max_size=3), st.text(DIGITS, min_size=1, max_size=3))
def test_a_name_with_a_digit_anywhere_is_refused(parts, digits):
    with pytest.raises(InvalidValueError):
        validators.clean_full_name(" ".join(parts) + digits)


# ----------------------------------------------------------------------------- e-mail, masking

def test_email_addresses_are_compared_in_lower_case():
    assert validators.clean_email("  Hoa.Nguyen@Example.VN ") == "hoa.nguyen@example.vn"
    for bad in ("hoa", "hoa@", "@example.vn", "hoa nguyen@example.vn"):
        with pytest.raises(InvalidValueError):
            validators.clean_email(bad)


def test_masking_keeps_the_last_three_digits():
    assert mask_id_number("072190001234") == "*********234"
    assert mask_id_number("") == "" and mask_id_number("12") == "**"


@given(st.text(DIGITS, min_size=4, max_size=12))
def test_masking_hides_all_but_the_end_and_keeps_the_length(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number) and masked.endswith(number[-3:])
    assert set(masked[:-3]) == {"*"}
