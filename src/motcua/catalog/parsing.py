"""Parsers that turn the real sources' records into `ProcedureRecord`s.

Two sources (catalog/data/SOURCES.md):
- the dichvucong.gov.vn crawl (`*.raw.jsonl.gz`), whose table fields are HTML tables flattened to
  text with the cells run together; joined with the ministries' official lists (CSV) for the
  issuing agency;
- the Ministry of Defence export (`*bqp*.jsonl`), already split into tables.

Every parser here is a pure function that never raises on odd text: it returns what it could
read, and the caller keeps the verbatim source in `ProcedureRecord.unparsed` for any table that
did not parse completely. The rules, the measured parse rates and the known failures are in
docs/catalog-parsing.md.
"""

import csv
import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from motcua.catalog.records import (
    ChannelRecord,
    ComponentRecord,
    FeeRecord,
    LegalBasisRecord,
    ProcedureRecord,
    RecordError,
    StepRecord,
)

EMPTY_VALUES = {"", "không có thông tin", "không", "không có"}

LEVEL_WORDS = {
    "bộ": "ministry",
    "trung ương": "ministry",
    "tỉnh": "province",
    "huyện": "district",
    "xã": "commune",
}

# Vietnamese upper- and lower-case letters, for the cell boundaries of the flattened tables: a cell
# ends where a lower-case letter or a digit runs straight into the capital that starts the next one.
UPPER = "A-ZĐÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸ"
LOWER = "a-zđàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ"


def clean(text: str | None) -> str:
    """Trim, drop zero-width spaces, and map the sources' 'no information' markers to ''."""
    if not text or not isinstance(text, str):
        return ""
    value = text.replace("\u200b", "").replace("\u200e", "").replace("\xa0", " ").strip()
    return "" if len(value) <= 18 and value.lower() in EMPTY_VALUES else value


def nfc(value):
    """The value with every string in NFC form.

    A fifth of the portal's records spell Vietnamese with combining accents (NFD), on which no
    pattern written here would match.
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: nfc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nfc(item) for item in value]
    return value


WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of whitespace (the sources pad and wrap cells at random)."""
    return WHITESPACE.sub(" ", text).strip()


def parse_levels(text: str) -> list[str]:
    """'Cấp bộ, Cấp xã' → ['ministry', 'commune']; unknown parts become 'other'."""
    levels: list[str] = []
    for part in re.split(r"[,;\n]", clean(text)):
        word = part.strip().lower().removeprefix("cấp").strip()
        if not word:
            continue
        level = LEVEL_WORDS.get(word, "other")
        if level not in levels:
            levels.append(level)
    return levels


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", clean(text)) if p.strip()]


def split_agencies(text: str) -> list[str]:
    return [p.strip(" .;") for p in re.split(r"[;\n]", clean(text)) if p.strip(" .;")]


def parse_steps(text: str) -> list[StepRecord]:
    """Split 'Bước 1: ... Bước 2: ...' into steps; one step holding the text when there are no markers."""
    text = clean(text)
    if not text:
        return []
    parts = re.split(r"(?=\bBước\s+\d+\s*[:.\-–])", text)
    steps = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        match = re.match(r"(Bước\s+\d+)\s*[:.\-–]\s*(.*)", part, re.S)
        if match:
            head, _, rest = match.group(2).partition("\n")
            steps.append(StepRecord(title=f"{match.group(1)}: {head.strip()}", description=rest.strip()))
        else:
            steps.append(StepRecord(title="", description=part))
    return steps


# --- amounts and time limits -------------------------------------------------------------------

# A money amount as the sources write it: Vietnamese style "50.000", English style "2,000,000", or
# plain digits. A group separator must be followed by exactly three digits, so "1.5" is no amount.
AMOUNT = r"\d{1,3}(?:\.\d{3})+(?![\d.,]\d)|\d{1,3}(?:,\d{3})+(?![\d.,]\d)|\d+"
CURRENCY_VND = r"(?:việt nam đồng|vnđ|vnd|đồng|đ)"
CURRENCY = rf"(?:{CURRENCY_VND}|usd)"


def parse_amount(text: str) -> int | None:
    """'50.000' / '2,000,000' / '500' → the integer; None when the text is not one amount."""
    value = squash(text or "")
    if not re.fullmatch(AMOUNT, value):
        return None
    return int(re.sub(r"[.,]", "", value))


def format_amount(amount: int) -> str:
    """50000 → '50.000', the way Vietnamese documents write amounts (used by tests and the UI)."""
    return f"{amount:,}".replace(",", ".")


# Units longest first, so "ngày làm việc" wins over "ngày".
TIME_UNITS = (
    ("ngày làm việc", "working_day"),
    ("giờ làm việc", "working_hour"),
    ("ngày", "day"),
    ("giờ", "hour"),
    ("tháng", "month"),
)
UNIT_WORDS = "|".join(word for word, _unit in TIME_UNITS)
NUMBER = r"\d+(?:[.,]\d+)?"
# "15 Ngày làm việc", "0.5 Giờ", "10-25 Ngày", "Không quá 30 ngày". The unit must not be the
# month of a date ("14 tháng 11 năm 2016").
TIME_LIMIT = re.compile(
    rf"(?:(?:không quá|tối đa|trong vòng|trong thời hạn|trong|chậm nhất)\s+)*"
    rf"({NUMBER})(?:\s*[-–]\s*({NUMBER}))?\s*(?:\([^)]{{0,40}}\)\s*)?({UNIT_WORDS})\b(?!\s*\d)",
    re.IGNORECASE,
)
BARE_TIME = re.compile(rf"({NUMBER})(?:\s*[-–]\s*({NUMBER}))?")
SAME_DAY = re.compile(r"(?:ngay\s+)?trong\s+ngày(?:\s+làm\s+việc)?", re.IGNORECASE)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    # The catalogue stores 8 digits with 2 decimals; anything beyond is not a real time limit.
    if value < 0 or value >= Decimal("1000000"):
        return None
    return value.quantize(Decimal("0.01")).normalize() if value != value.to_integral() else value


def _unit(word: str) -> str:
    word = squash(word).lower()
    return next((unit for text, unit in TIME_UNITS if text == word), "")


def parse_time_limit(text: str) -> tuple[Decimal | None, str]:
    """'15 Ngày làm việc' → (15, 'working_day'); '0.5 Giờ' → (0.5, 'hour'); '10-25 Ngày' → (25, 'day').

    A range gives its upper bound, the time the agency may take at most. 'Trong ngày' (same day)
    is one working day. A bare number gives (value, '') - the source did not say the unit.
    Anything else is (None, '').
    """
    value = squash(clean(text))
    if not value:
        return None, ""
    if SAME_DAY.fullmatch(value):
        return Decimal(1), "working_day"
    match = TIME_LIMIT.match(value)
    if match:
        number = _upper_bound(match.group(1), match.group(2))
        return (number, _unit(match.group(3))) if number is not None else (None, "")
    match = BARE_TIME.fullmatch(value)
    if match:
        return _upper_bound(match.group(1), match.group(2)), ""
    return None, ""


def _upper_bound(first: str, second: str | None) -> Decimal | None:
    numbers = [n for n in (_decimal(first), _decimal(second) if second else None) if n is not None]
    return max(numbers) if numbers else None


NUMBER_WITH_UNIT = re.compile(
    rf"(?=\d)(?<![\d.,/])(\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?)\s*({UNIT_WORDS})\b(?!\s*\d)", re.IGNORECASE
)


def _numbers(text: str) -> list[Decimal | None]:
    return [_decimal(part) for part in re.split(r"\s*[-–]\s*", text.strip())]


def unit_from_description(value_text: str, description: str) -> str:
    """The unit of a bare time limit, when the row's own description repeats the number with one.

    The portal shows "1" or "10-25" when the national database has no unit; the description
    often says "10-25 ngày kể từ ...". Only the same number counts as evidence.
    """
    wanted = _numbers(value_text)
    if not description or None in wanted:
        return ""
    for match in NUMBER_WITH_UNIT.finditer(description):
        if _numbers(match.group(1)) == wanted:
            return _unit(match.group(2))
    return ""


# "Thời hạn giải quyết: 13 ngày làm việc", or a description that starts with the time limit.
DESCRIBED_TIME = re.compile(
    rf"^[\W_]*(?=(?:(?:không quá|trong vòng|trong thời hạn|trong)\s+)*{NUMBER}\s*(?:{UNIT_WORDS}))"
    rf"|thời hạn giải quyết\s*(?:là|:)?\s*(?=(?:(?:không quá|trong vòng|trong thời hạn|trong|tối đa)\s+)*"
    rf"{NUMBER}\s*(?:{UNIT_WORDS}))",
    re.IGNORECASE,
)


def time_from_description(description: str) -> tuple[Decimal | None, str]:
    """The time limit a row's description states, when its time cell is empty."""
    match = DESCRIBED_TIME.search(description or "")
    if not match:
        return None, ""
    value, unit = parse_time_limit(description[match.end():match.end() + 80].split("\n")[0])
    return (value, unit) if unit else (None, "")


# --- fees ----------------------------------------------------------------------------------------

FEE_LABEL = re.compile(r"^\s*(lệ phí|phí)\s*:\s*", re.IGNORECASE)
FREE = re.compile(r"^\s*(?:miễn phí|miễn|không thu|không|0)\b", re.IGNORECASE)
STATED_AMOUNT = re.compile(rf"({AMOUNT})\s*({CURRENCY})\b", re.IGNORECASE)


def fee_kind_from_text(text: str) -> str:
    """Phí (charge) or lệ phí (fee) when the text names only one of them; 'other' otherwise."""
    lowered = (text or "").lower()
    has_fee = "lệ phí" in lowered
    has_charge = re.search(r"(?<!lệ )(?<!miễn )\bphí\b", lowered) is not None
    if has_fee and not has_charge:
        return "fee"
    if has_charge and not has_fee:
        return "charge"
    return "other"


def parse_fee(text: str) -> FeeRecord | None:
    """One fee statement: 'Lệ phí : 50.000 Đồng', 'Phí : 0 Đồng', 'Miễn phí', '2,000,000 Việt Nam Đồng (…)'.

    The amount is VND: an amount in another currency, or no amount at all, gives None with the
    text kept. 'Miễn phí', 'Không' or 0 give 0. Empty text gives None (no fee stated).
    """
    value = clean(text)
    if not value:
        return None
    label = FEE_LABEL.match(value)
    kind = {"lệ phí": "fee", "phí": "charge"}.get(label.group(1).lower(), "other") if label else "other"
    body = value[label.end():] if label else value
    amount = None
    stated = STATED_AMOUNT.match(body.strip())
    if stated:
        in_vnd = re.fullmatch(CURRENCY_VND, stated.group(2), re.IGNORECASE) is not None
        amount = parse_amount(stated.group(1)) if in_vnd else None
    elif FREE.match(body):
        amount = 0
    if not label:
        kind = fee_kind_from_text(body)
    return FeeRecord(kind=kind, amount=amount, text=value)


def parse_fee_cell(text: str) -> list[FeeRecord]:
    """A fee cell of the Ministry of Defence export: one fee per 'Phí :' / 'Lệ phí :' line."""
    parts = re.split(r"\n(?=\s*(?:lệ phí|phí)\s*:)", clean(text), flags=re.IGNORECASE)
    return [fee for fee in (parse_fee(part) for part in parts) if fee is not None]


# --- channels (cách thức thực hiện) -------------------------------------------------------------

CHANNEL_KINDS = {"trực tiếp": "in_person", "trực tuyến": "online", "dịch vụ bưu chính": "postal"}
CHANNEL_NAMES = "Trực tiếp|Trực tuyến|Dịch vụ bưu chính"
CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
# A row starts where a channel name runs straight (no space) into the time cell: a digit or a
# capital ("Trực tuyến5 Ngày…", "Trực tiếpKhông có thông tin…"). In the description column the
# names are followed by a space or punctuation ("Trực tuyến trên Cổng…", "Trực tiếp: nộp…").
CHANNEL_ROW = re.compile(rf"({CHANNEL_NAMES})(?=[\d{UPPER}])(?!{CHANNEL_NAMES})")
NO_INFO = "Không có thông tin"
# The fee cell: the portal writes "Miễn phí", "Không có thông tin", or "<amount> <currency>".
FEE_CELL = re.compile(rf"Miễn phí|{NO_INFO}|({AMOUNT})?\s*(Việt Nam Đồng|VNĐ|Đồng|USD)")
TIME_CELL = re.compile(
    rf"({NUMBER}(?:\s*[-–]\s*{NUMBER})?)\s*(Ngày làm việc|Giờ làm việc|Ngày|Giờ|Tháng)"
    rf"|({NUMBER}(?:\s*[-–]\s*{NUMBER})?)(?![\d.,])(?!\s*(?:Việt Nam Đồng|VNĐ|Đồng|USD))"
    rf"|{NO_INFO}(?={NO_INFO}|Miễn phí|[\d.,]+\s*(?:Việt Nam Đồng|VNĐ|Đồng|USD))"
)


PARENTHESIS = re.compile(r"[()]")
ENUMERATOR = re.compile(r"\(\s*(?:\d{1,2}|[a-zđ]|[ivx]{1,4})\s*\)", re.IGNORECASE)


def fee_note_length(text: str) -> int:
    """Length of the fee note, the parenthesised text right after the fee cell (0 when there is none).

    The portal wraps the note in parentheses, but notes listing several fees often never close
    their inner groups ("(250.000 Đồng (Sát hạch …; 400.000 Đồng (…)"): an unbalanced note runs
    to the last ')' of the row. "(2) Trường hợp …" is the description's numbering, not a note.
    """
    if not text.startswith("(") or ENUMERATOR.match(text):
        return 0
    depth = 0
    for paren in PARENTHESIS.finditer(text):
        depth += 1 if paren.group(0) == "(" else -1
        if depth == 0:
            return paren.end()
    return text.rfind(")") + 1


def split_channel_rows(text: str) -> tuple[list[tuple[str, str]], str]:
    """Split the flattened channel table into (channel kind, rest of the row) pairs.

    Returns the rows and whatever text came before the first row (the part that is not a row).
    """
    body = clean(text)
    body = body[len(CHANNEL_HEADER):] if body.startswith(CHANNEL_HEADER) else body
    starts = list(CHANNEL_ROW.finditer(body))
    rows = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        rows.append((CHANNEL_KINDS[match.group(1).lower()], body[match.end():end]))
    leading = body[:starts[0].start()] if starts else body
    return rows, leading.strip()


def _split_glued_time(cell: str, known: list[str]) -> tuple[str, str]:
    """'120 VNĐ' where the time cell ran into the amount: '1' + '20 VNĐ'.

    The portal always shows a time cell, so digits straight after the channel name followed by a
    currency are a bare time limit glued to the amount. The time is the bare value another row of
    the same table shows, when one is a prefix; else the first digit (every such row seen is "1…"
    or "2…").
    """
    digits = re.match(r"[\d.,]+", cell).group(0)
    for value in sorted(known, key=len, reverse=True):
        if digits.startswith(value) and len(digits) > len(value):
            return value, cell[len(value):]
    return digits[0], cell[1:]


def parse_portal_fee(cell: re.Match, note: str) -> FeeRecord | None:
    """The portal's fee cell with its parenthesised note, e.g. 'Miễn phí(Mức lệ phí do HĐND…)'."""
    cell_text = cell.group(0)
    inner = note[1:-1].strip() if note else ""
    if cell_text == NO_INFO:
        return FeeRecord(kind=fee_kind_from_text(inner), amount=None, text=inner) if inner else None
    if cell_text == "Miễn phí":
        amount = 0
    elif re.fullmatch(r"(?:Việt Nam Đồng|VNĐ|Đồng)", cell.group(2) or ""):
        amount = parse_amount(cell.group(1) or "")
    else:
        amount = None  # USD, or a currency with no amount
    text = f"{cell_text} {note}" if note else cell_text
    return FeeRecord(kind=fee_kind_from_text(inner), amount=amount, text=text)


def parse_channel_row(kind: str, row: str, known_bare: list[str] | None = None) -> ChannelRecord:
    """One flattened row after the channel name: time cell, fee cell (+ note), description."""
    channel = ChannelRecord(kind=kind)
    rest = row
    if re.match(r"[\d.,]+\s*(?:Việt Nam Đồng|VNĐ|Đồng|USD)", rest):
        bare, rest = _split_glued_time(rest, known_bare or [])
        channel.time_limit_text = bare
        channel.time_limit_value, channel.time_limit_unit = parse_time_limit(bare)
    else:
        time_cell = TIME_CELL.match(rest)
        if time_cell:
            time_text, rest = time_cell.group(0), rest[time_cell.end():]
        else:
            # A free-text time cell ("Không quy định", "Không phải trả kết quả…") runs up to the fee cell.
            fee_at = FEE_CELL.search(rest)
            time_text, rest = (rest[:fee_at.start()], rest[fee_at.start():]) if fee_at else ("", rest)
        channel.time_limit_text = clean(time_text)
        channel.time_limit_value, channel.time_limit_unit = parse_time_limit(time_text)
    fee_cell = FEE_CELL.match(rest)
    if fee_cell:
        rest = rest[fee_cell.end():]
        note_length = fee_note_length(rest)
        note, rest = rest[:note_length], rest[note_length:]
        fee = parse_portal_fee(fee_cell, note)
        channel.fees = [fee] if fee else []
    channel.description = clean(rest)
    _complete_time_limit(channel)
    return channel


def _complete_time_limit(channel: ChannelRecord) -> None:
    """Fill a missing unit or value from the row's own description (see unit_from_description)."""
    if channel.time_limit_unit:
        return
    if channel.time_limit_value is not None:
        channel.time_limit_unit = unit_from_description(channel.time_limit_text, channel.description)
    else:
        value, unit = time_from_description(channel.description)
        if unit:
            channel.time_limit_value, channel.time_limit_unit = value, unit


def parse_portal_channels(text: str) -> tuple[list[ChannelRecord], bool]:
    """The portal's channel table → one ChannelRecord per row; the flag says it parsed completely."""
    rows, leading = split_channel_rows(text)
    known_bare = [m.group(3) for _kind, row in rows if (m := TIME_CELL.match(row)) and m.group(3)]
    channels = [parse_channel_row(kind, row, known_bare) for kind, row in rows]
    return channels, bool(channels) and not leading


def parse_bqp_channels(rows: list) -> tuple[list[ChannelRecord], bool]:
    """The Ministry of Defence table `hinh_thuc_nop`: [{hinh_thuc, thoi_han_giai_quyet, phi_le_phi, mo_ta}]."""
    channels = []
    complete = True
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            complete = False
            continue
        kind = CHANNEL_KINDS.get(squash(str(row.get("hinh_thuc") or "")).lower())
        if kind is None:
            complete = False
            continue
        time_text = clean(row.get("thoi_han_giai_quyet"))
        value, unit = parse_time_limit(time_text)
        channel = ChannelRecord(
            kind=kind, time_limit_value=value, time_limit_unit=unit, time_limit_text=time_text,
            fees=parse_fee_cell(row.get("phi_le_phi") or ""), description=clean(row.get("mo_ta")),
        )
        _complete_time_limit(channel)
        channels.append(channel)
    return channels, complete and bool(channels)


# --- dossier components (thành phần hồ sơ) -----------------------------------------------------

COMPONENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The quantity cell: "1 bản chính", "0 bản chính,1 bản sao", "2 bản sao". It never has a leading
# zero and always runs into the next row (or ends the table), unlike "(01 bản chính)" in a name.
QUANTITY_CELL = re.compile(
    r"(?=\d)(?<![\d/])([1-9]\d*|0) bản (chính|sao)(?:,([1-9]\d*|0) bản (chính|sao))?(?=[^\s).,;:]|$)"
)
FORM_FILE = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls|odt|rar|zip)", re.IGNORECASE)
# Where a form's file name starts inside a name cell it was glued to: after ';', '.', ':' or ')'
# with no space, or where a lower-case letter (or a digit) runs into a capital.
FILE_START = re.compile(
    # after a full stop that ends a word or a year, not a number: "Mẫu số 07.TC" and "Mẫu I.1.8.a.docx"
    # are one name, "…ngày 31/7/2025.Phụ lục I.docx" is two
    rf"(?<=[;:)])(?=[^\s.;:,)])|(?:(?<=\D\.)|(?<=\d{{4}}\.))(?=[{UPPER}{LOWER}])|(?<=[{LOWER}])(?=[{UPPER}])"
    rf"|(?<=\d)(?=[{UPPER}][{LOWER}])"
    # the portal numbers attachments: "…(Mẫu NA9).10-Mẫu NA9.doc", "…cá nhân7-Mẫu NA6.doc",
    # "…đường sắt.2.4. Mau ke hoach.docx"; some files are named after the procedure ("mẫu1.003850.docx")
    rf"|(?<=[^\s\d])(?=\d{{1,3}}-[^\d\s]|\d{{1,3}}(?:\.\d{{1,3}})*\.\s?[{UPPER}{LOWER}])"
    rf"|(?<=[^\s\d])(?=\d\.\d{{6}})|(?<=,)(?=[{UPPER}])"
)
ATTACHMENT_INDEX = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\s*[.\-]\s*(?=[^\d\s])")
# Last resort: an acronym running into a capitalised word ("nhóm IVMau 35.docx").
FILE_START_WEAK = re.compile(rf"(?<=[{UPPER}])(?=[{UPPER}][{LOWER}])")
BULLET = re.compile(r"^[\s\-–+*•]*(?:\(?(?:\d{1,2}|[a-zđ])[.)]\s*)*[\s\-–+*•]*", re.IGNORECASE)
# "(nếu có)" or a closing "…, nếu có." - not "nếu có cơ sở xác định…" (if there are grounds to…).
OPTIONAL = re.compile(r"\(\s*nếu có\s*\)|\bnếu có\b(?=\s*[).;,:]|\s*$)", re.IGNORECASE)
# A paper needed only in some case: the name starts with the case, or says "trong trường hợp…",
# "(trường hợp…)", "(đối với trường hợp…)". "…; trường hợp không có X thì nộp Y" is an
# alternative to a required paper, not a condition, so it does not count.
LEADING_CASE = re.compile(r"(?:đối với\s+|trong\s+)?(?:trường hợp|nếu)\b[^:;.\n]*?(?=\s+thì\b|[:;,.\n]|$)", re.IGNORECASE)
INNER_CASE = re.compile(
    r"(?:\btrong\s+|\((?:đối với\s+)?)(?:các\s+)?trường hợp\b[^;.()\n]*?(?=\s+thì\b|[;.()\n]|$)", re.IGNORECASE
)


def parse_quantity(text: str) -> tuple[int | None, int | None]:
    """Originals and copies: '1 bản chính', '0 bản chính,1 bản sao', 'Bản chính: 1\\nBản sao: 0', '01 bản sao'.

    'N bản chính hoặc bản sao' (either kind) gives (None, None): the count is not split, and the
    text says it. A kind the text does not mention is None.
    """
    value = squash(clean(text)).lower()
    if re.search(r"bản chính\s+hoặc\s+bản sao|bản sao\s+hoặc\s+bản chính", value):
        return None, None
    counts: dict[str, int] = {}
    # "Bản chính: 1 Bản sao: 0" first: read the other way it would give "1 bản sao".
    pairs = [(kind, number) for kind, number in re.findall(r"bản (chính|sao)\s*:\s*(\d+)", value)]
    if not pairs:
        pairs = [(kind, number) for number, kind in re.findall(r"(\d+)\s*bản (chính|sao)\b", value)]
    for kind, number in pairs:
        counts.setdefault(kind, int(number))
    return counts.get("chính"), counts.get("sao")


def split_form_files(cell: str) -> tuple[str, list[str]]:
    """A name cell with the form file names glued to its end → (name, [file names])."""
    ends = [m.end() for m in FORM_FILE.finditer(cell)]
    if not ends or ends[-1] != len(cell.rstrip()):
        return cell.strip(), []
    # The files form a chain at the end of the cell; the first one starts at the earliest
    # plausible boundary in the 100 characters before its extension.
    chain = [ends[-1]]
    for end in reversed(ends[:-1]):
        if chain[0] - end > 150:
            break
        chain.insert(0, end)
    first_ext = FORM_FILE.search(cell, max(0, chain[0] - 6)).start() if chain else 0
    window_start = max(0, first_ext - 100)
    start = next((m.start() for m in FILE_START.finditer(cell, window_start, first_ext) if m.start() > 0), None)
    if start is None:
        start = next((m.start() for m in FILE_START_WEAK.finditer(cell, window_start, first_ext) if m.start() > 0),
                     None)
    if start is None:
        return cell.strip(), []
    files = [ATTACHMENT_INDEX.sub("", cell[a:b].strip()) for a, b in zip([start, *chain[:-1]], chain, strict=True)]
    # "x.docx.docx" leaves a bare extension behind; it is not a file of its own.
    return cell[:start].strip(), [f for f in files if f and not FORM_FILE.fullmatch("." + f.lstrip("."))]


def component_condition(name: str) -> str:
    """The condition under which a paper is needed ('' when it always is)."""
    body = BULLET.sub("", name, count=1)
    leading = LEADING_CASE.match(body)
    if leading:
        return squash(leading.group(0))
    # Only the first sentence: a long cell describing several papers mentions cases further on
    # that belong to the other papers.
    inner = INNER_CASE.search(re.split(r"[.;]\s|\n", body, maxsplit=1)[0])
    if inner:
        return squash(inner.group(0).lstrip("("))
    return "nếu có" if OPTIONAL.search(body) else ""


def make_component(name: str, quantity: str = "", files: list[str] | None = None, case: str = "") -> ComponentRecord:
    originals, copies = parse_quantity(quantity)
    condition = component_condition(name)
    return ComponentRecord(
        name=name.strip(), originals=originals, copies=copies, quantity_text=clean(quantity),
        form_template="; ".join(files or []), required=not condition, condition=condition, case=case,
    )


GENERIC_HEADER = re.compile(
    r"^(?:[a-zđ]\)|\d+[.)])?\s*(?:-\s*)?(?:thành phần(?:,? số lượng)? hồ sơ(?: bao gồm)?|bao gồm|hồ sơ gồm(?: có)?)$",
    re.IGNORECASE,
)


def _group_case(header: str) -> str:
    """A group header ('* Giấy tờ phải nộp:', 'Trường hợp …', '--') → the case label ('' for none).

    "Thành phần hồ sơ:", "Bao gồm" and the like head the only group, so they name no case.
    """
    label = squash(header).strip("-–*:• \t")
    return "" if GENERIC_HEADER.match(label) else label


def _component_rows(segment: str) -> tuple[list[tuple[str, re.Match]], str]:
    """(name cell, quantity match) pairs of one table, and the text after the last quantity."""
    rows = []
    position = 0
    matches = list(QUANTITY_CELL.finditer(segment))
    for i, match in enumerate(matches):
        # "…: 01 bản chính1 bản chính": the first quantity belongs to the name.
        if i + 1 < len(matches) and matches[i + 1].start() == match.end():
            continue
        rows.append((segment[position:match.start()], match))
        position = match.end()
    return rows, segment[position:]


def parse_portal_components(text: str) -> tuple[list[ComponentRecord], bool]:
    """The portal's component tables (one per case group) → ComponentRecords; the flag says complete."""
    body = clean(text)
    if not body.replace(COMPONENT_HEADER, "").strip("- \n"):
        return [], True  # an empty table ("--"): nothing to parse
    if COMPONENT_HEADER not in body:
        return [], False
    parts = body.split(COMPONENT_HEADER)
    header = parts[0]
    components: list[ComponentRecord] = []
    complete = True
    for index, segment in enumerate(parts[1:], start=1):
        case = _group_case(header)
        rows, header = _component_rows(segment)
        for cell, quantity in rows:
            name, files = split_form_files(cell)
            name = name or (files[0] if files else "")
            if not name.strip():
                complete = False
                continue
            component = make_component(name, quantity.group(0), files, case)
            # The cell lists only the kinds it has: "1 bản chính" means no copies.
            component.originals = component.originals or 0
            component.copies = component.copies or 0
            components.append(component)
        if index == len(parts) - 1 and _group_case(header):
            # The last row had an empty quantity cell, so nothing marks its end but the table's.
            name, files = split_form_files(header.strip())
            components.append(make_component(name or "; ".join(files), "", files, case))
    return components, complete and bool(components)


def parse_bqp_components(rows: list) -> tuple[list[ComponentRecord], bool]:
    """The Ministry of Defence table `thanh_phan_ho_so`: [{ten_giay_to, so_luong, ghi_chu}].

    `so_luong` usually holds the form file names ("9. MẪU SỐ 25.docx", several per line), and
    `ghi_chu` the counts ("Bản chính: 1\\nBản sao: 0").
    """
    components = []
    complete = True
    for row in rows if isinstance(rows, list) else []:
        name = clean(row.get("ten_giay_to")) if isinstance(row, dict) else ""
        if not name:
            complete = False
            continue
        quantity = clean(row.get("ghi_chu"))
        files = []
        for line in str(row.get("so_luong") or "").splitlines():
            line = clean(line)
            if FORM_FILE.search(line) or (line and not re.search(r"\d+\s*(?:bản|bộ)", line, re.IGNORECASE)):
                files.append(ATTACHMENT_INDEX.sub("", line))
            elif line:
                quantity = f"{line}\n{quantity}".strip()
        components.append(make_component(BULLET.sub("", name, count=1) or name, quantity, files))
    return components, complete and bool(components)


# --- legal basis (căn cứ pháp lý) ---------------------------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# A document number: "68/2013/TT-BCA", "02/2011/QH13", "66.7/2025/NQ-CP", "1234/QĐ-BTC",
# "4864/QĐ-BCA-C06", "191/2005/TTLT/BQP-BLĐTBXH-BTC". Only the legislature's codes (QH13,
# UBTVQH14) and one-letter unit codes (C06) end in digits, and always two: in the flattened table
# "…/QH1360/2014/QH13" is QH13 followed by the next number.
SUFFIX_CODE = rf"(?:TTg|(?:UBTVQH|QH)\d{{2}}|[A-Z]\d{{2}}(?!\d)|[{UPPER}]+)"
# A number starts after a non-digit, or straight after the code, the date or the year that ends
# the previous cell ("…/QH1360/2014/QH13", "…ngày 29/6/202443/2024/QH15", "Luật Khiếu nại năm
# 201102/2011/QH13"). Its first part has at most four digits, sometimes a letter ("30a/2008/NQ-CP").
NUMBER_STEM = rf"(?:(?<![\d/])|(?<=[A-Z]\d\d)|(?<=\d/\d{{4}})|(?<=(?<![\d/])(?:19|20)\d\d))\d{{1,4}}[a-z]?(?:\.\d+)?/(?:\d{{4}}/)?(?:{SUFFIX_CODE}[-_/]\s?)*"
DOC_NUMBER = rf"{NUMBER_STEM}{SUFFIX_CODE}"
# Issuer codes. In the flattened table the number cell runs straight into the next title, and
# when that title starts with a capital ("NĐ-CPThông tư…") or is written in capitals ("NĐ-CPLUẬT
# HÀNG KHÔNG…") only knowing the code shows where the number ends.
KNOWN_CODES = sorted(
    {"CP", "TTg", "BTC", "BTP", "BCA", "NHNN", "BNNMT", "BGTVT", "BQP", "BNNPTNT", "BXD", "BTNMT",
     "BLĐTBXH", "BHXH", "BKHĐT", "UBND", "HĐND", "BKHCN", "BNG", "BNV", "BYT", "BVHTTDL", "BCT", "VPQH",
     "VPCP", "HĐTP", "TANDTC", "VKSNDTC", "BTTTT", "BGDĐT", "UBDT", "TTCP", "KTNN", "CTN", "UBTƯMTTQVN"},
    key=len, reverse=True,
)
# What may follow a number cell: the next cell glued to it (any letter), the end, another number,
# or a capitalised word after a space. A number inside a title is followed by a space and
# lower-case text ("…/TT-BNNMT ngày …"), or by punctuation.
AFTER_CELL = rf"(?=[{UPPER}]|(?!ngày\b)[{LOWER}]|\s*$|\s*\d+(?:\.\d+)?/\d{{4}}|\s+[{UPPER}])"
AFTER_UNKNOWN_CODE = rf"(?=\s*$|\s+[{UPPER}]|\s*\d+(?:\.\d+)?/\d{{4}})"
NUMBER_CELL = re.compile(
    # (?=\d) first lets the regex engine skip to the digits instead of trying every position.
    rf"(?=\d)(?:({NUMBER_STEM}(?:TTg|(?:UBTVQH|QH)\d{{2}}|[A-Z]\d{{2}}(?!\d)|{'|'.join(KNOWN_CODES)}"
    # "118/2025/NĐ-CQuy định…": the source lost the P of a decree's NĐ-CP (see normalise_number)
    rf"|(?<=NĐ-)C(?=[{UPPER}][{LOWER}]))"
    # some number cells lost their suffix: "…của Chính phủ167/2025"
    rf"|(?<=[^\s/\d])\d+/\d{{4}}(?![\d/]))[.;]*{AFTER_CELL}"
    rf"|({NUMBER_STEM}[{UPPER}]++)[.;]*{AFTER_UNKNOWN_CODE})"
)
# A number cell that repeats the document type ("Thông tư số 03/2023/TT-BTP") leaves the type
# glued to the end of the previous title.
GLUED_TYPE = re.compile(
    rf"(?<=[{LOWER}.;)])(?:Luật|Nghị định|Thông tư liên tịch|Thông tư|Quyết định|Nghị quyết)(?:\s+số)?\s*$"
)
WHOLE_NUMBER = re.compile(rf"(?=\d){DOC_NUMBER}(?![{UPPER}{LOWER}\d])")
ISSUERS = {
    "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội", "CTN": "Chủ tịch nước",
    "CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ",
    "TTCP": "Thanh tra Chính phủ", "VPQH": "Văn phòng Quốc hội",
    "BCA": "Bộ Công an", "BQP": "Bộ Quốc phòng", "BTC": "Bộ Tài chính", "BTP": "Bộ Tư pháp",
    "BXD": "Bộ Xây dựng", "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BNNMT": "Bộ Nông nghiệp và Môi trường", "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BTNMT": "Bộ Tài nguyên và Môi trường", "BGTVT": "Bộ Giao thông vận tải", "BCT": "Bộ Công Thương",
    "BYT": "Bộ Y tế", "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BNV": "Bộ Nội vụ", "BTTTT": "Bộ Thông tin và Truyền thông",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNG": "Bộ Ngoại giao", "UBDT": "Ủy ban Dân tộc", "HĐTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "TANDTC": "Tòa án nhân dân tối cao", "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "BHXH": "Bảo hiểm xã hội Việt Nam", "KTNN": "Kiểm toán nhà nước",
}
CANONICAL_ISSUERS = {name.casefold(): name for name in ISSUERS.values()}
LOCAL_CODES = {"UBND", "HĐND"}


@lru_cache(maxsize=4096)  # the same few thousand numbers are cited over and over
def normalise_number(number: str) -> str:
    """'01/2012/QĐ- TTg' → '01/2012/QĐ-TTg'; '31/2025/TT_BCA' → '31/2025/TT-BCA'.

    A decree's suffix is always NĐ-CP, so the truncated 'NĐ-C' some records carry is completed.
    """
    value = re.sub(r"\s*([/-])\s*", r"\1", squash(number)).replace("_", "-")
    return value + "P" if value.endswith("/NĐ-C") else value


@lru_cache(maxsize=4096)
def issuer_from_number(number: str) -> str:
    """The issuing body a number's suffix names, when it names exactly one ('' for joint or unknown)."""
    parts = normalise_number(number).split("/")
    suffix = parts[-1] if len(parts) > 1 else ""
    if "TTLT" in suffix.upper() or (len(parts) > 3 and parts[-2].upper() == "TTLT"):
        return ""  # a joint circular: several issuers
    codes = [c for c in suffix.split("-") if c]
    if not codes:
        return ""
    if re.fullmatch(r"QH\d*", codes[0]):
        return ISSUERS["QH"]
    for code in codes:
        key = re.sub(r"\d+$", "", code).upper()
        if key in LOCAL_CODES:
            return ""  # a province's or commune's council or committee: the number does not say which
        if key in ISSUERS:
            return ISSUERS[key]
    return ""


DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s*(?:/|-|tháng)\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """'24-03-2021', '24/3/2021', 'ngày 31 tháng 12 năm 2025' → date; None when not a real date."""
    match = re.search(r"(\d{1,2})\s*(?:/|-|tháng)\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})", text or "")
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


NUMBER_THEN_DATE = re.compile(
    rf"(?=\d)({DOC_NUMBER})[)\]]?\s*,?\s*[Nn]gày\s+(\d{{1,2}}\s*(?:/|-|tháng)\s*\d{{1,2}}\s*(?:/|-|năm)\s*\d{{4}})"
)


def issued_on_from_title(title: str, number: str) -> date | None:
    """The date a title gives for its own number: '…số 123/2015/NĐ-CP ngày 15/11/2015…'.

    A date next to another document's number (a title often cites the law it amends) is not it.
    """
    for match in NUMBER_THEN_DATE.finditer(title):
        if normalise_number(match.group(1)) == number:
            return parse_date(match.group(2))
    return None


def make_legal_basis(number: str, title: str, issued_on: date | None = None, issuer: str = "") -> LegalBasisRecord:
    number = normalise_number(number)
    title = squash(title).strip(" ;,.-")
    # "Quốc Hội" and "Quốc hội" are one issuer.
    issuer = CANONICAL_ISSUERS.get(issuer.casefold(), issuer)
    if not issuer:
        issuer = issuer_from_number(number)
    if not issuer and re.match(r"(?:bộ\s+)?luật\b", title, re.IGNORECASE) and "/" not in number:
        issuer = ISSUERS["QH"]
    return LegalBasisRecord(
        number=number, title=title or number, issued_on=issued_on or issued_on_from_title(title, number),
        issuer=issuer,
    )


def parse_portal_legal_basis(text: str) -> tuple[list[LegalBasisRecord], bool]:
    """'Tên văn bản pháp lýMã văn bản<title><number><title><number>…' → LegalBasisRecords."""
    body = clean(text)
    if not body.startswith(LEGAL_HEADER):
        return [], False
    # The crawler sometimes ran the next page section into the table.
    body = body[len(LEGAL_HEADER):].split("Cơ quan thực hiện")[0]
    pairs: list[tuple[str, str]] = []
    position = 0
    for match in NUMBER_CELL.finditer(body):
        title = GLUED_TYPE.sub("", body[position:match.start()])
        number = normalise_number(match.group(1) or match.group(2))
        # "Luật 60/2014/QH1360/2014/QH13": the title ends with its own number, then the number
        # cell (whole, or cut short: "…46/2020/NĐ-CP46/2020").
        if not title.strip() and pairs:
            previous = normalise_number(pairs[-1][1])
            if previous == number or previous.startswith(number + "/"):
                previous_title, previous_number = pairs.pop()
                title, number = f"{previous_title}{previous_number}", previous
        pairs.append((title, number))
        position = match.end()
    records = merge_duplicates([make_legal_basis(number, title) for title, number in pairs])
    return records, bool(records) and not body[position:].strip(" .;,")


TYPE_ONLY = re.compile(
    r"^\W*(?:Luật|Bộ luật|Nghị định|Thông tư liên tịch|Thông tư|Quyết định|Nghị quyết)?(?:\s+số)?\W*$", re.IGNORECASE
)


def merge_duplicates(records: list[LegalBasisRecord]) -> list[LegalBasisRecord]:
    """One entry per document, where it is first cited, with the most telling title and facts.

    The flattened table yields a document twice when a title quotes its own number before the
    number cell ("Thông tư số 66/2023/TT-BCA Sửa đổi…66/2023/TT-BCA").
    """
    by_number: dict[str, LegalBasisRecord] = {}
    for record in records:
        if TYPE_ONLY.match(record.title) or record.title == record.number:
            record.title = squash(f"{record.title} {record.number}") if record.title != record.number else record.number
        kept = by_number.setdefault(record.number, record)
        if kept is record:
            continue
        if len(record.title) > len(kept.title) and record.title != record.number:
            kept.title = record.title
        kept.issued_on = kept.issued_on or record.issued_on
        kept.issuer = kept.issuer or record.issuer
    return list(by_number.values())


def _bqp_number(raw_number: str, title: str) -> str:
    """The document number of a Ministry of Defence row: 'Thông tư số 104/2024/TT-BQP' → '104/2024/TT-BQP'.

    "12" alone is completed from the summary ("Quyết định số 12/2021/QĐ-TTg…"); a cell with no
    number at all ("BỘ LUẬT HÀNG HẢI VIỆT NAM") is kept as it is.
    """
    found = WHOLE_NUMBER.search(raw_number)
    if found:
        return found.group(0)
    if re.fullmatch(r"\d+(?:/\d{4})?", raw_number):
        in_title = next((m for m in WHOLE_NUMBER.finditer(title) if m.group(0).startswith(raw_number + "/")), None)
        if in_title:
            return in_title.group(0)
    return raw_number


def parse_bqp_legal_basis(rows: list) -> tuple[list[LegalBasisRecord], bool]:
    """The Ministry of Defence table `can_cu_phap_ly`: [{so_ky_hieu, trich_yeu, ngay_ban_hanh, co_quan_ban_hanh}]."""
    records = []
    complete = True
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            complete = False
            continue
        raw_number = clean(row.get("so_ky_hieu"))
        title = clean(row.get("trich_yeu"))
        number = _bqp_number(raw_number, title)
        if not number:
            complete = False
            continue
        records.append(make_legal_basis(
            number, title, parse_date(clean(row.get("ngay_ban_hanh"))), clean(row.get("co_quan_ban_hanh")),
        ))
    return records, complete and bool(records)


# --- results (kết quả thực hiện) ----------------------------------------------------------------

RESULT_CODE = re.compile(
    r"Mã:\s*(?:([A-Za-z0-9][A-Za-z0-9._-]*\d)(?![\d])|Chưa xác định(?: rõ)?|Không có thông tin)?"
)
RESULT_END = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")


def parse_portal_results(text: str) -> tuple[list[dict], bool]:
    """'<name>Mã: KQ.G01.000262<name>Mã: …Từ khóa…Mô tả…' → [{'name', 'code'}]."""
    body = clean(text)
    end = RESULT_END.search(body)
    body = body[:end.start()] if end else body
    results = []
    position = 0
    for match in RESULT_CODE.finditer(body):
        name = clean(body[position:match.start()])
        if name:
            results.append({"name": squash(name), "code": match.group(1) or ""})
        position = match.end()
    tail = clean(body[position:])
    if tail:
        results.append({"name": squash(tail), "code": ""})
    return results, bool(results)


def parse_text_results(text: str) -> list[dict]:
    """A plain result text (Ministry of Defence export): one result per line."""
    return [{"name": squash(line), "code": ""} for line in clean(text).splitlines() if clean(line)]


# --- online public service (Decree 42/2022) -----------------------------------------------------

FULL_MARKER = re.compile(r"(?:trực tuyến|dịch vụ công)\s+toàn trình", re.IGNORECASE)
PARTIAL_MARKER = re.compile(r"(?:trực tuyến|dịch vụ công)\s+một phần", re.IGNORECASE)


def online_service_level(name: str, channels: list[ChannelRecord]) -> str:
    """'full', 'partial' or 'none' (OnlineService).

    No online channel → 'none'. With one: 'full' only when the procedure's name or its online
    channel's description says "(dịch vụ công / trực tuyến) toàn trình" and does not also offer
    the partial service; otherwise 'partial', the claim the source always supports (an online
    channel exists; we cannot tell that the result is returned online as well).
    """
    online = [c for c in channels if c.kind == "online"]
    if not online:
        return "none"
    text = squash(" ".join([name, *(c.description for c in online)]))
    if FULL_MARKER.search(text) and not PARTIAL_MARKER.search(text):
        return "full"
    return "partial"


# --- records -------------------------------------------------------------------------------------


def load_listing(path: Path) -> dict[str, dict]:
    """The ministries' official lists, by procedure code."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["ma_so"].strip(): row for row in csv.DictReader(handle)}


def portal_sections(raw_text: str) -> dict[str, str]:
    """The table sections of the portal's whole-page text, for records whose fields the crawler mis-cut.

    The crawler split the page at the first occurrence of each heading, so a heading quoted in an
    earlier section ("Thành phần hồ sơ" in the steps, "Căn cứ pháp lý" in a fee note) cut the field
    short. The tables' own column headers are unambiguous, so the sections are found from those.
    """
    sections: dict[str, str] = {}
    page = raw_text if isinstance(raw_text, str) else ""
    channels_at = page.find(CHANNEL_HEADER)
    components_at = page.find(COMPONENT_HEADER, max(channels_at, 0))
    legal_at = page.rfind(LEGAL_HEADER)
    if components_at >= 0:
        group_at = page.rfind("Thành phần hồ sơ", max(channels_at, 0), components_at)
        # The components end at the legal-basis heading (the last one: the heading is also quoted
        # in notes), whether or not a legal table follows it.
        end = page.rfind("Căn cứ pháp lý", components_at, legal_at if legal_at > components_at else len(page))
        end = end if end >= 0 else len(page)
        sections["components"] = page[group_at + len("Thành phần hồ sơ") if group_at >= 0 else components_at:end]
        if channels_at >= 0 and group_at > channels_at:
            sections["channels"] = page[channels_at:group_at]
    if legal_at >= 0:
        end = page.find("Cơ quan thực hiện", legal_at)
        sections["legal_basis"] = page[legal_at:end if end >= 0 else len(page)]
    return {key: nfc(value) for key, value in sections.items()}


def _portal_field(raw: dict, field: str, section: str, sections: dict[str, str], header: str) -> str:
    """The record's field, or the page section when the field was mis-cut (see portal_sections)."""
    value = clean(raw.get(field))
    fallback = clean(sections.get(section))
    if not fallback:
        return value
    if section == "channels":
        # The channel section's end is only a guess (the next heading is quoted in descriptions
        # too): the page wins only when it holds more rows than the field.
        more_rows = fallback.startswith(value) and CHANNEL_ROW.search(fallback, len(value)) is not None
        return fallback if more_rows else value
    return fallback if header not in value or len(fallback) > len(value) + 20 else value


def parse_portal_record(source: dict, listing: dict | None = None) -> ProcedureRecord:
    """One record of the dichvucong.gov.vn crawl (kept verbatim in `raw`, parsed in NFC)."""
    # The whole-page text is half the data and only its table sections are read: those are
    # normalised on their own (portal_sections), the page is not.
    raw = nfc({key: value for key, value in source.items() if key != "raw_text"})
    code = clean(raw.get("ma_thu_tuc"))
    name = clean(raw.get("ten_thu_tuc"))
    if not code:
        raise RecordError("", "bản ghi không có mã thủ tục")
    if not name:
        raise RecordError(code, "bản ghi không có tên thủ tục")
    record = ProcedureRecord(
        code=code,
        name=name,
        source="dichvucong.gov.vn",
        decision_number=clean(raw.get("so_quyet_dinh")),
        levels=parse_levels(raw.get("cap_thuc_hien", "")),
        domain=clean(raw.get("linh_vuc")),
        procedure_type=clean(raw.get("loai_thu_tuc")),
        target_groups=split_list(raw.get("doi_tuong_thuc_hien", "")),
        agencies={
            "competent": split_agencies(raw.get("co_quan_co_tham_quyen", "")),
            "implementing": split_agencies(raw.get("co_quan_thuc_hien", "")),
            "coordinating": split_agencies(raw.get("co_quan_phoi_hop", "")),
            "authorized": split_agencies(raw.get("co_quan_duoc_uy_quyen", "")),
        },
        issuing_agency=clean((listing or {}).get("co_quan_ban_hanh")),
        steps_text=clean(raw.get("trinh_tu_thuc_hien")),
        steps=parse_steps(raw.get("trinh_tu_thuc_hien", "")),
        requirements=clean(raw.get("yeu_cau_dieu_kien")),
        reception_address=clean(raw.get("dia_chi_tiep_nhan")),
        related_procedures=clean(raw.get("thu_tuc_lien_quan")),
        raw=source,
    )
    sections = portal_sections(source.get("raw_text") or "")
    tables = (
        ("channels", _portal_field(raw, "cach_thuc_thuc_hien", "channels", sections, CHANNEL_HEADER),
         parse_portal_channels),
        ("components", _portal_field(raw, "thanh_phan_ho_so", "components", sections, COMPONENT_HEADER),
         parse_portal_components),
        ("legal_basis", _portal_field(raw, "can_cu_phap_ly", "legal_basis", sections, LEGAL_HEADER),
         parse_portal_legal_basis),
        ("results", clean(raw.get("ket_qua_xu_ly")), parse_portal_results),
    )
    for target, text, parser in tables:
        if not text:
            continue
        values, complete = parser(text)
        setattr(record, target, values)
        if not complete:
            record.unparsed[target] = text
    record.online_service = online_service_level(name, record.channels)
    return record


def parse_bqp_record(source: dict) -> ProcedureRecord:
    """One record of the Ministry of Defence export (kept verbatim in `raw`, parsed in NFC)."""
    raw = nfc(source)
    meta = raw.get("metadata") or {}
    content = raw.get("content") or {}
    tables = raw.get("tables") or {}
    if not isinstance(meta, dict) or not isinstance(content, dict) or not isinstance(tables, dict):
        raise RecordError(clean(str(raw.get("thu_tuc_id") or "")), "bản ghi sai cấu trúc (metadata/content/tables)")
    code = clean(meta.get("mã_thủ_tục") or raw.get("thu_tuc_id"))
    name = clean(meta.get("tên_thủ_tục"))
    if not code:
        raise RecordError("", "bản ghi không có mã thủ tục")
    if not name:
        raise RecordError(code, "bản ghi không có tên thủ tục")
    decision = re.sub(r"^Quyết định số\s*", "", clean(meta.get("số_quyết_định")))
    record = ProcedureRecord(
        code=code,
        name=name,
        source="Bộ Quốc phòng (ChiTietTTHC)",
        decision_number=re.sub(r"\s+/", "/", decision),
        levels=parse_levels(meta.get("cấp_thực_hiện", "")),
        domain=clean(meta.get("lĩnh_vực")),
        procedure_type=clean(meta.get("loại_thủ_tục")),
        target_groups=split_list(content.get("đối_tượng_thực_hiện", "")),
        agencies={
            "competent": split_agencies(content.get("cơ_quan_có_thẩm_quyền", "")),
            "implementing": split_agencies(content.get("cơ_quan_thực_hiện", "")),
            "coordinating": split_agencies(content.get("cơ_quan_phối_hợp", "")),
            "authorized": split_agencies(content.get("cơ_quan_được_ủy_quyền", "")),
        },
        issuing_agency="Bộ Quốc phòng",
        steps_text=clean(content.get("trình_tự_thực_hiện")),
        steps=parse_steps(content.get("trình_tự_thực_hiện", "")),
        requirements=clean(content.get("yêu_cầu_điều_kiện_thực_hiện")),
        reception_address=clean(content.get("địa_chỉ_tiếp_nhận_hs")),
        results=parse_text_results(content.get("kết_quả_thực_hiện", "")),
        raw=source,
    )
    for target, source_table, parser in (
        ("channels", "hinh_thuc_nop", parse_bqp_channels),
        ("components", "thanh_phan_ho_so", parse_bqp_components),
        ("legal_basis", "can_cu_phap_ly", parse_bqp_legal_basis),
    ):
        rows = tables.get(source_table)
        if not rows:
            continue
        values, complete = parser(rows)
        setattr(record, target, values)
        if not complete:
            record.unparsed[target] = json.dumps(rows, ensure_ascii=False)
    record.online_service = online_service_level(name, record.channels)
    return record


def read_source(path: Path) -> Iterator[ProcedureRecord | RecordError]:
    """Every record of one source file, parsed; a malformed one is yielded as a RecordError."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    listing: dict[str, dict] = {}
    sibling = path.parent / "chatbot_tthc_ministry_tthc_lists.csv"
    if "bqp" not in path.name and sibling.exists():
        listing = load_listing(sibling)
    with opener(path, "rt", encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(f"{path.name}:{line_no}", f"JSON không hợp lệ: {exc.msg}")
                continue
            if not isinstance(raw, dict):
                yield RecordError(f"{path.name}:{line_no}", "bản ghi không phải đối tượng JSON")
                continue
            try:
                if "metadata" in raw:
                    yield parse_bqp_record(raw)
                else:
                    yield parse_portal_record(raw, listing.get(clean(raw.get("ma_thu_tuc"))))
            except RecordError as exc:
                yield exc
