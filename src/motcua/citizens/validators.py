"""Checks of what a citizen types into an account: pure functions, no database.

Each `clean_*` function takes the text as typed and returns the one canonical form that is stored,
or raises `InvalidValueError` with a Vietnamese message naming the field when the value cannot be
right. They are lenient about how a value is written (spaces, dots, "+84"), strict about what it means.

Phone numbers (the national numbering plan after the 2017–2018 changes):
  - mobile: 10 digits, 0 + a network block 3, 5, 7, 8 or 9 (the 11-digit 01x numbers moved to
    03x, 05x, 07x, 08x in 2018). Blocks are checked, not the prefixes allocated inside them: new
    prefixes are allocated within a block from time to time, and refusing a real number stops a
    citizen from registering, which is worse than accepting a number that is not allocated yet.
  - landline: 11 digits, 02 + area code + subscriber (024 Hà Nội and 028 TP. Hồ Chí Minh with
    8-digit subscribers, 02xx elsewhere with 7), since the 2017 area-code change. A landline is
    not 10 digits: "0243 xxx xxxx" is 11.
  - written "+84 912 345 678", "0084912345678", "84912345678", "0912.345.678", "(024) 3825 1234":
    all stored as 0 followed by the national number.

Personal identification number (số định danh cá nhân, printed on the CCCD / căn cước card), from
Nghị định 137/2015/NĐ-CP Điều 13 and Thông tư 07/2016/TT-BCA (Điều 7 and Phụ lục), as kept by
Thông tư 59/2021/TT-BCA and the Luật Căn cước 2023:
  - 12 digits: 3 + 1 + 2 + 6;
  - digits 1–3: the code of the province where the birth was registered (001 Hà Nội … 096 Cà
    Mau, the 63 provinces before 2025 — the code stays when provinces merge), or the code of the
    country for a birth registered abroad;
  - digit 4: century and sex: 0/1 born 1900–1999 (male/female), 2/3 2000–2099, 4/5 2100–2199,
    6/7 2200–2299, 8/9 2300–2399;
  - digits 5–6: the last two digits of the year of birth;
  - digits 7–12: a random sequence.
  What is checked: 12 digits; the year of birth it encodes is not in the future; it is the year
  of the date of birth when both are given. The place code is NOT used to refuse a number: births
  registered abroad carry a country code, and that table is not reproduced here, so refusing
  codes outside 001–096 would lock out citizens born abroad. `birth_province()` names the
  province for the codes it knows.

Tax code (mã số thuế) of an organisation: 10 digits, or 10 digits "-" 3 digits for a dependent
unit (branch, representative office) — Thông tư 105/2020/TT-BTC. Only the format is checked: the
tenth digit is a check digit, but its formula is not verified here from an official text.

Full name of a person: letters (with Vietnamese diacritics), spaces, and the apostrophe and hyphen
that some names carry (Ê Đê names such as "H'Hen Niê"); no digits, no other signs.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.validators import validate_email
from django.utils.translation import gettext as _

EARLIEST_BIRTH = date(1900, 1, 1)
MOBILE_BLOCKS = frozenset("35789")
FULL_NAME_MAX = 100
ORGANISATION_NAME_MAX = 200
# The 63 provinces' codes of Thông tư 07/2016/TT-BCA Phụ lục (the pre-2025 province codes, with a leading 0).
BIRTH_PROVINCES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_ID_SEPARATORS = re.compile(r"[\s.\-]")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
# Dashes people paste from word processors; a tax code's separator is the ASCII hyphen.
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_NAME_MARKS = {"'", "’", "-"}


class InvalidValueError(ValueError):
    """A value that cannot be right; `message` is shown to the person beside the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_ascii_digits(value: str) -> bool:
    # str.isdigit() is true for "١٢٣" and "²" too; only 0–9 are digits of a number here.
    return value.isascii() and value.isdigit()


# ----------------------------------------------------------------------------- phone

def normalise_phone(value: str) -> str:
    """Separators removed and the country code turned into the trunk 0: "+84 912.345.678" → "0912345678"."""
    compact = _PHONE_SEPARATORS.sub("", value or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("0084"):
        compact = "0" + compact[4:]
    elif compact.startswith("84") and len(compact) in (11, 12):
        # 84 + 9 or 10 digits of national number; a national number never starts with 84 at this length.
        compact = "0" + compact[2:]
    return compact


def is_phone(value: str) -> bool:
    """A normalised Vietnamese mobile (10 digits) or landline (11 digits, 02…) number."""
    if not _is_ascii_digits(value) or not value.startswith("0"):
        return False
    if len(value) == 10:
        return value[1] in MOBILE_BLOCKS
    return len(value) == 11 and value[1] == "2"


def clean_phone(value: str) -> str:
    phone = normalise_phone(value)
    if not phone:
        raise InvalidValueError(_("Hãy nhập số điện thoại."))
    if not _is_ascii_digits(phone.lstrip("+")):
        raise InvalidValueError(_("Số điện thoại chỉ gồm chữ số (có thể viết +84 ở đầu), ví dụ 0912 345 678."))
    if not is_phone(phone):
        raise InvalidValueError(_("Số điện thoại không đúng: số di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 "
                             "hoặc 09; số cố định gồm 11 chữ số, bắt đầu bằng 02."))
    return phone


# ----------------------------------------------------------------------------- personal number

@dataclass(frozen=True)
class IdNumberParts:
    place_code: str
    female: bool
    birth_year: int


def normalise_id_number(value: str) -> str:
    """Digits only: "001 090 000 123" → "001090000123"."""
    return _ID_SEPARATORS.sub("", value or "")


def id_number_parts(id_number: str) -> IdNumberParts:
    """What a 12-digit personal number encodes (its place code, sex and year of birth)."""
    century_sex = int(id_number[3])
    return IdNumberParts(
        place_code=id_number[:3],
        female=century_sex % 2 == 1,
        birth_year=1900 + 100 * (century_sex // 2) + int(id_number[4:6]),
    )


def birth_province(id_number: str) -> str | None:
    """The province where the birth was registered, for the codes of the 63 provinces; None otherwise."""
    return BIRTH_PROVINCES.get(id_number[:3])


def clean_id_number(value: str, date_of_birth: date | None = None, today: date | None = None) -> str:
    number = normalise_id_number(value)
    if not (len(number) == 12 and _is_ascii_digits(number)):
        raise InvalidValueError(_("Số định danh cá nhân (số CCCD) phải gồm đúng 12 chữ số."))
    today = today or date.today()
    year = id_number_parts(number).birth_year
    if year > today.year:
        raise InvalidValueError(
            _("Số định danh cá nhân không đúng: chữ số thứ 4 đến thứ 6 cho năm sinh %(year)d, là năm chưa tới. "
              "Hãy kiểm tra lại số trên thẻ căn cước.") % {"year": year})
    if date_of_birth is not None and date_of_birth.year != year:
        raise InvalidValueError(
            _("Số định danh cá nhân không khớp với ngày sinh: chữ số thứ 4 đến thứ 6 cho năm sinh %(year)d, "
              "còn ngày sinh đã nhập là năm %(dob_year)d.") % {"year": year, "dob_year": date_of_birth.year})
    return number


# ----------------------------------------------------------------------------- date of birth

def clean_date_of_birth(value: date, today: date | None = None) -> date:
    today = today or date.today()
    if value > today:
        raise InvalidValueError(_("Ngày sinh không được sau ngày hôm nay."))
    if value < EARLIEST_BIRTH:
        raise InvalidValueError(_("Ngày sinh không được trước ngày 01/01/1900."))
    return value


# ----------------------------------------------------------------------------- tax code

def normalise_tax_code(value: str) -> str:
    return re.sub(r"\s", "", (value or "").translate(_DASHES))


def clean_tax_code(value: str) -> str:
    code = normalise_tax_code(value)
    if not code:
        raise InvalidValueError(_("Hãy nhập mã số thuế của tổ chức."))
    if not (code.isascii() and _TAX_CODE.match(code)):
        raise InvalidValueError(_("Mã số thuế gồm 10 chữ số; đơn vị phụ thuộc (chi nhánh) thêm dấu gạch ngang và "
                             "3 chữ số, ví dụ 0101234567-001."))
    return code


# ----------------------------------------------------------------------------- names

def normalise_name(value: str) -> str:
    """NFC (one code point per accented letter, as typed on any keyboard) and single spaces."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def clean_full_name(value: str) -> str:
    name = normalise_name(value)
    if not name:
        raise InvalidValueError(_("Hãy nhập họ và tên."))
    if len(name) > FULL_NAME_MAX:
        raise InvalidValueError(_("Họ và tên dài quá %(max)d ký tự.") % {"max": FULL_NAME_MAX})
    if any(unicodedata.category(c) == "Nd" for c in name):
        raise InvalidValueError(_("Họ và tên không được có chữ số."))
    for i, char in enumerate(name):
        category = unicodedata.category(char)
        if category.startswith("L") or (category.startswith("M") and i > 0) or char == " ":
            continue
        # An apostrophe or hyphen joins letters ("H'Hen", "Lê-Nguyễn"); alone it is a typo.
        if char in _NAME_MARKS and 0 < i < len(name) - 1 and name[i - 1].isalpha() and name[i + 1].isalpha():
            continue
        raise InvalidValueError(_("Họ và tên chỉ gồm chữ cái (có dấu), dấu cách, dấu nháy (') hoặc dấu gạch nối "
                             "giữa hai chữ cái; không đúng ở ký tự “%(char)s”.") % {"char": char})
    return name


def clean_organisation_name(value: str) -> str:
    name = normalise_name(value)
    if not name:
        raise InvalidValueError(_("Hãy nhập tên tổ chức, doanh nghiệp."))
    if len(name) > ORGANISATION_NAME_MAX:
        raise InvalidValueError(_("Tên tổ chức dài quá %(max)d ký tự.") % {"max": ORGANISATION_NAME_MAX})
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise InvalidValueError(_("Tên tổ chức có ký tự không in được; hãy gõ lại tên."))
    return name


# ----------------------------------------------------------------------------- e-mail

def normalise_email(value: str) -> str:
    """Trimmed and lower-cased: the address is the login, and people type it in any case."""
    return (value or "").strip().lower()


def clean_email(value: str) -> str:
    email = normalise_email(value)
    if not email:
        raise InvalidValueError(_("Hãy nhập địa chỉ e-mail."))
    try:
        validate_email(email)
    except Exception:  # Django's ValidationError; its own Vietnamese text does not name the field
        raise InvalidValueError(_("Địa chỉ e-mail không đúng, ví dụ đúng: ten@example.vn.")) from None
    return email
