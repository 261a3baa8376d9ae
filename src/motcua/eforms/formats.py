"""Vietnamese value formats of e-forms: parsing what people type, and checking it. Pure functions.

Each parser is lenient about how a value is typed (spaces, dots, a +84 prefix, d/m/yyyy) and
strict about what it means, and returns the one canonical form that is stored:

- personal identification number (số định danh cá nhân, printed on the CCCD/căn cước card):
  exactly 12 digits (Luật Căn cước 2023; Nghị định 137/2015/NĐ-CP for its structure);
- phone numbers: mobile numbers have 10 digits, 0 + a network prefix (03x, 05x, 07x, 08x, 09x
  after the 2018 switch from 11 digits); landlines have 11 digits, 02 + area code + subscriber
  (after the 2017 area-code change). Allocated prefixes come from the national numbering plan and
  change: the table below is data, to update when a block is allocated;
- tax code (mã số thuế): 10 digits, or 13 characters "10 digits-3 digits" for a dependent unit
  (Thông tư 105/2020/TT-BTC); since 1 July 2025 an individual's tax code is the 12-digit personal
  number (Thông tư 86/2024/TT-BTC), which is accepted too;
- dates: dd/mm/yyyy as Vietnamese write them (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and the ISO
  yyyy-mm-dd a browser date field sends), stored as ISO yyyy-mm-dd.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

# Mobile network prefixes after the 11→10 digit migration (2018), by block.
MOBILE_PREFIXES = frozenset(
    [f"03{d}" for d in "23456789"]
    + [f"05{d}" for d in "25689"]
    + [f"07{d}" for d in "06789"]
    + [f"08{d}" for d in "123456789"]
    + [f"09{d}" for d in "0123456789"]
)
EARLIEST_YEAR = 1850

_SEPARATORS = re.compile(r"[\s.\-()/]")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$|^\d{12}$")
_DIGITS = re.compile(r"^\d+$")
_INTEGER = re.compile(r"^[+-]?(\d{1,3}([.,\s]\d{3})+|\d+)$")
_NUMBER_VI = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_NUMBER_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")


def normalize_personal_id(value: str) -> str:
    """Digits only: "001 090 000 123" → "001090000123"."""
    return re.sub(r"[\s.\-]", "", value)


def is_personal_id(value: str) -> bool:
    return len(value) == 12 and value.isascii() and value.isdigit()


def normalize_phone(value: str) -> str:
    """Separators removed and the country code turned into the trunk prefix: "+84 912.345.678" → "0912345678"."""
    compact = _SEPARATORS.sub("", value)
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("0084"):
        compact = "0" + compact[4:]
    elif compact.startswith("84") and len(compact) in (11, 12):
        compact = "0" + compact[2:]
    return compact


def is_phone(value: str) -> bool:
    """A Vietnamese mobile (10 digits, an allocated prefix) or landline (11 digits, 02…) number."""
    if not (value.isascii() and value.isdigit()):
        return False
    if len(value) == 10:
        return value[:3] in MOBILE_PREFIXES
    return len(value) == 11 and value.startswith("02")


def normalize_tax_code(value: str) -> str:
    return re.sub(r"\s", "", value)


def is_tax_code(value: str) -> bool:
    return value.isascii() and bool(_TAX_CODE.match(value))


def parse_date(value: str) -> date | None:
    """A date typed as dd/mm/yyyy (or d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd; None if not one."""
    value = value.strip()
    if not value.isascii():
        return None
    if match := _DATE_ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DATE_DMY.match(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    if year < EARLIEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_iso_date(value) -> date | None:
    """Only the stored form yyyy-mm-dd (what validation sees after coercion)."""
    if not isinstance(value, str) or not _DATE_ISO.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def format_date(value) -> str:
    """yyyy-mm-dd → dd/mm/yyyy for display; anything else is shown as it is."""
    parsed = parse_iso_date(value) if isinstance(value, str) else value if isinstance(value, date) else None
    return parsed.strftime("%d/%m/%Y") if parsed else ("" if value is None else str(value))


def parse_integer(value: str) -> int | None:
    """An integer as typed, with Vietnamese thousands separators: "1.500.000" → 1500000."""
    value = value.strip().replace("\u00a0", " ")
    if not value.isascii() or not _INTEGER.match(value):
        return None
    return int(re.sub(r"[.,\s]", "", value))


def parse_number(value: str) -> int | float | None:
    """A number as typed in Vietnamese (1.234,5) or plainly (1234.5); integers stay integers.

    A dot followed by exactly three digits is a thousands separator, as Vietnamese write it:
    "1.500" is one thousand five hundred, not one and a half.
    """
    value = value.strip().replace("\u00a0", "").replace(" ", "")
    if not value.isascii():
        return None
    if _NUMBER_VI.match(value):
        text = value.replace(".", "").replace(",", ".")
    elif _NUMBER_PLAIN.match(value):
        text = value
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def is_digits(value: str) -> bool:
    return bool(_DIGITS.match(value))
