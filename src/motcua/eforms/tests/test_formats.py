"""eforms/formats.py: what people type becomes one stored form, and nothing typed crashes a parser."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from motcua.eforms import formats


def test_personal_id_is_exactly_twelve_digits():
    assert formats.is_personal_id(formats.normalize_personal_id("001 090 012 345"))
    assert not formats.is_personal_id("00109001234")  # 11
    assert not formats.is_personal_id("0010900123456")  # 13
    assert not formats.is_personal_id("00109001234a")
    assert not formats.is_personal_id("００１０９００１２３４５")  # full-width digits are not ASCII digits


def test_phone_numbers_as_vietnamese_write_them():
    for typed in ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "(+84) 912-345-678"]:
        assert formats.normalize_phone(typed) == "0912345678", typed
        assert formats.is_phone(formats.normalize_phone(typed))
    assert formats.is_phone("0386123456") and formats.is_phone("0708123456") and formats.is_phone("0523123456")
    assert formats.is_phone(formats.normalize_phone("024 3825 1234"))  # Hà Nội landline, 11 digits
    assert not formats.is_phone("0112345678")  # no 01x mobile prefix since 2018
    assert not formats.is_phone("01665123456")  # the old 11-digit mobile number
    assert not formats.is_phone("091234567")  # 9 digits
    assert not formats.is_phone("0312345678")  # 031 is not allocated


def test_tax_codes():
    assert formats.is_tax_code("0101234567")
    assert formats.is_tax_code("0101234567-001")
    assert formats.is_tax_code("001090012345")  # an individual's personal number since 1/7/2025
    assert not formats.is_tax_code("0101234567001")
    assert not formats.is_tax_code("010123456-001")
    assert not formats.is_tax_code("0101234567-01")


def test_dates_typed_the_vietnamese_way():
    assert formats.parse_date("05/03/2025") == date(2025, 3, 5)
    assert formats.parse_date("5/3/2025") == date(2025, 3, 5)
    assert formats.parse_date("05-03-2025") == formats.parse_date("05.03.2025") == date(2025, 3, 5)
    assert formats.parse_date("2025-03-05") == date(2025, 3, 5)
    assert formats.parse_date("31/02/2024") is None
    assert formats.parse_date("03/05") is None
    assert formats.parse_date("05/03/25") is None
    assert formats.format_date("2025-03-05") == "05/03/2025"


def test_numbers_with_vietnamese_separators():
    assert formats.parse_integer("1.500.000") == 1_500_000
    assert formats.parse_integer("1 500 000") == 1_500_000
    assert formats.parse_integer("150000") == 150_000
    assert formats.parse_integer("1.5") is None
    assert formats.parse_number("1.234,5") == 1234.5
    assert formats.parse_number("1.500") == 1500  # a dot before three digits groups thousands
    assert formats.parse_number("2,75") == 2.75
    assert formats.parse_number("abc") is None


@given(st.dates(min_value=date(formats.EARLIEST_YEAR, 1, 1)))
def test_any_date_survives_display_and_typing_back(day):
    shown = formats.format_date(day.isoformat())
    assert formats.parse_date(shown) == day
    assert formats.parse_date(f"{day.day}/{day.month}/{day.year}") == day


@given(st.sampled_from(sorted(formats.MOBILE_PREFIXES)), st.text("0123456789", min_size=7, max_size=7),
       st.sampled_from(["", " ", ".", "-"]), st.booleans())
def test_any_allocated_mobile_number_is_accepted_however_it_is_typed(prefix, rest, separator, international):
    number = prefix + rest
    typed = separator.join([number[:4], number[4:7], number[7:]])
    if international:
        typed = "+84" + separator + typed[1:]
    assert formats.normalize_phone(typed) == number
    assert formats.is_phone(formats.normalize_phone(typed))


@given(st.integers(min_value=0, max_value=10**15))
def test_any_integer_written_with_thousands_dots_reads_back(number):
    assert formats.parse_integer(f"{number:,}".replace(",", ".")) == number
    assert formats.parse_integer(str(number)) == number


@given(st.text(max_size=40))
def test_nothing_typed_crashes_a_parser(text):
    formats.parse_date(text)
    formats.parse_integer(text)
    formats.parse_number(text)
    assert isinstance(formats.is_phone(formats.normalize_phone(text)), bool)
    assert isinstance(formats.is_personal_id(formats.normalize_personal_id(text)), bool)
    assert isinstance(formats.is_tax_code(formats.normalize_tax_code(text)), bool)
    if formats.is_personal_id(formats.normalize_personal_id(text)):
        assert len(formats.normalize_personal_id(text)) == 12
