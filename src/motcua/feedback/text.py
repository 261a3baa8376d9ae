"""Pure text rules of PAKN: telling text typed without diacritics, and hiding personal data.

No database here, so hypothesis can test both on any text.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from motcua.lib.text import strip_marks

# --- typed without diacritics -----------------------------------------------------------------

# Frequent Vietnamese syllables, as they look typed without marks. Most of them are written with
# a mark ("khong" for "không", "duoc" for "được"); many unmarked words that are in this list and
# almost none with a mark means Vietnamese typed without diacritics, not English or a code.
_COMMON = """
a ai an anh ba bac ban bao bay be benh bi bien bo bon boi bu buoc cac cach cai cam can cao cap cau
chac chi chinh cho chon chu chua chuc chung chuyen co con cong cu cua cuoc cung da dai dan dang danh dat
dau de den deu di dia dich dien dieu dinh do doanh doc doi don dong du dua dung duoc duong gi gia giai
gian giay gio giup gui hai hang hanh hay het hien hinh ho hoac hoan hoc hoi hom hon hop huong huyen kem
ket khac khai khan khi khoan khong kho kien kinh ky la lai lam lan le len lien lieu loai loi luat luc
luon ly ma mat minh moi mot muon nam nay ngay nghi nghiep ngoai nguoi nhan nhanh nhat nhieu nhu nhung
noi nop nuoc o ong phai phan phap phat phi phia phong phu phuong qua quan quy quyen quyet ra rang rat roi
sach sao se sinh so su sua tai tam tan tang tao tat the thanh thao theo thi thiet thieu thoi thong thu
thuc thuoc thuong tien tiep tin tinh to toi trach trang tra tre tren trinh trong truoc truong tu tuan
tuc tung tuy uy va van ve viec vien vi voi vu xa xac xem xin xu xuat y
"""
COMMON_SYLLABLES = frozenset(_COMMON.split())

MIN_WORDS = 6            # too little text to judge below this
MAX_MARKED_SHARE = 0.10  # Vietnamese prose carries marks on roughly half its syllables
MIN_COMMON_SHARE = 0.30  # the unmarked words must look like Vietnamese syllables


def _words(text: str) -> list[str]:
    """Runs of letters and combining marks: a mark typed after a letter stays in its word."""
    words, current = [], []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char)[0] in "LM":
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


@dataclass(frozen=True)
class DiacriticsCheck:
    words: int
    marked: int
    common_unmarked: int

    @property
    def looks_unmarked(self) -> bool:
        if self.words < MIN_WORDS:
            return False
        return (self.marked / self.words < MAX_MARKED_SHARE
                and self.common_unmarked / self.words >= MIN_COMMON_SHARE)


def check_diacritics(text: str) -> DiacriticsCheck:
    """Count the syllable-like words, those with a diacritic, and those that are unmarked common syllables.

    Only words of at most 7 letters count (a Vietnamese syllable has at most 7: "nghiêng");
    longer words are names, codes or another language. Adding a diacritic to a letter only moves a
    word from "unmarked" to "marked", so it can never make a text look typed without diacritics.
    """
    words = marked = common = 0
    for word in _words(text):
        bare = strip_marks(word)
        if not 1 <= len(bare) <= 7:
            continue
        words += 1
        if bare != word:
            marked += 1
        elif bare.lower() in COMMON_SYLLABLES:
            common += 1
    return DiacriticsCheck(words, marked, common)


def looks_without_diacritics(text: str) -> bool:
    return check_diacritics(text).looks_unmarked


# --- hiding personal data -------------------------------------------------------------------------

HIDDEN = "[đã ẩn]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Vietnamese phone numbers: 0 or +84/84 then 9 digits, with optional spaces, dots or dashes.
_PHONE = re.compile(r"(?<![\d])(?:\+?84|0)(?:[\s.-]?\d){9}(?![\d])")
# Citizen ID (12 digits) and old ID card numbers (9 digits), alone.
_ID_NUMBER = re.compile(r"(?<![\d])(?:\d{12}|\d{9})(?![\d])")


@cache
def _fold_char(char: str) -> str:
    bare = strip_marks(char).lower()
    return bare if len(bare) == 1 else char.lower()


def _folded_chars(text: str) -> str:
    """The text lower-cased without marks, one character per character of `text` (NFC)."""
    return "".join(map(_fold_char, text))


def _phrase_pattern(phrase: str) -> re.Pattern | None:
    """Whole words of `phrase`, with or without diacritics, in any case, any spacing or punctuation."""
    words = _folded_chars(unicodedata.normalize("NFC", phrase)).split()
    if not words or sum(len(w) for w in words) < 3:
        return None
    return re.compile(r"(?<!\w)" + r"[\s,.-]+".join(re.escape(w) for w in words) + r"(?!\w)")


def redact(text: str, *, names: Iterable[str] = (), phrases: Iterable[str] = ()) -> str:
    """Hide e-mail addresses, phone numbers, ID numbers, the given names and phrases (an address).

    Patterns hide any e-mail/phone/ID, not only the submitter's: an answer that quotes another
    person's number must not publish it either.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = _EMAIL.sub(HIDDEN, text)
    text = _PHONE.sub(HIDDEN, text)
    text = _ID_NUMBER.sub(HIDDEN, text)
    patterns = [p for p in map(_phrase_pattern, [*phrases, *names]) if p is not None]
    if not patterns:
        return text
    folded = _folded_chars(text)  # same length as text: spans found in it apply to text
    spans = sorted(m.span() for pattern in patterns for m in pattern.finditer(folded))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + HIDDEN + text[end:]
    return text
