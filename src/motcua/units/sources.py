"""Readers of the bundled unit lists, conversion table and organ codes (pure: no database).

Each reader returns plain records and leaves the decisions about the database to `loading.py`.
The files and their quirks are described in data/SOURCES.md and shared/data/README.md.
"""

import csv
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from motcua.lib.text import fold
from motcua.units.choices import Edition, SuccessionKind, UnitLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
PRE_2025_UNITS_FILE = DATA_DIR / "nso_Xa_2025-01-04.csv"
CURRENT_UNITS_FILE = DATA_DIR / "thanglequoc_full_json_generated_data_vn_units_2026-07-25.json"
CURRENT_PROVINCES_FILE = DATA_DIR / "nso_915_CTK-CSCL_34_provinces.csv"
CONVERSION_TABLE_FILE = DATA_DIR / "nso_BangChuyendoiDVHC_moi_cu_khong_merge.csv"
ORGAN_CODES_FILE = DATA_DIR / "edoc_integrator_tayninh_organ_codes.csv"
CENTRAL_AGENCIES_FILE = DATA_DIR / "motcua_central_agencies.csv"

REFORM_DATE = date(2025, 7, 1)
LAST_PRE_2025_DAY = date(2025, 6, 30)
PRE_2025_LEGAL_BASIS = "QĐ 124/2004/QĐ-TTg"
CURRENT_LEGAL_BASIS = "QĐ 19/2025/QĐ-TTg; Nghị quyết 202/2025/QH15"
COMMUNE_SUCCESSION_LEGAL_BASIS = (
    "Bảng chuyển đổi ĐVHC mới – cũ (Cục Thống kê); các Nghị quyết của UBTVQH15 ngày 16/6/2025 "
    "về sắp xếp đơn vị hành chính cấp xã"
)
PROVINCE_SUCCESSION_LEGAL_BASIS = "Nghị quyết 202/2025/QH15"

# Characters the sources carry that no one types: zero-width space (the organ-code list has 185 of
# them), byte-order mark, no-break space.
_INVISIBLE = str.maketrans({"\u200b": "", "\ufeff": "", "\u00a0": " "})
_SPACES = re.compile(r"\s+")
_BRACKET_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d+)\)\s*$", re.DOTALL)

DISTRICT_TYPES = ("Thành phố", "Thị xã", "Quận", "Huyện")


def clean_text(value: str | None) -> str:
    """Drop invisible characters, collapse runs of white space (the table has embedded newlines)."""
    if not value:
        return ""
    return _SPACES.sub(" ", value.translate(_INVISIBLE)).strip()


def with_type_prefix(name: str, unit_type: str) -> str:
    """Spell the leading type word as the type list does ("Thị Trấn X" → "Thị trấn X", "xã X" → "Xã X")."""
    if unit_type and name[: len(unit_type)].lower() == unit_type.lower():
        return unit_type + name[len(unit_type):]
    return name


def bracket_code(text: str) -> tuple[str, str | None]:
    """Split "Quận Ba Đình (001)" into ("Quận Ba Đình", "001"); a text without a code gives None."""
    match = _BRACKET_CODE.match(text or "")
    if not match:
        return clean_text(text), None
    return clean_text(match["name"]), match["code"]


@dataclass(frozen=True)
class UnitRecord:
    edition: str
    level: str
    code: str
    name: str
    unit_type: str
    parent_code: str | None = None  # the parent's code in the same edition (province or district)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.edition, self.level, self.code)


def _district_type(name: str) -> str:
    lowered = name.lower()
    return next((t for t in DISTRICT_TYPES if lowered.startswith(t.lower() + " ")), "")


def _province_type(name: str) -> str:
    return "Thành phố" if name.lower().startswith("thành phố") else "Tỉnh"


def read_pre_2025_units(path: Path = PRE_2025_UNITS_FILE) -> list[UnitRecord]:
    """Provinces, districts and communes of the 2004 code list (GSO export of 2025-01-04).

    Each CSV row is one commune with its district and province; the five island districts without
    communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have a row with an empty commune code.
    """
    provinces: dict[str, UnitRecord] = {}
    districts: dict[str, UnitRecord] = {}
    communes: dict[str, UnitRecord] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            province_code, district_code = row["Mã TP"].strip(), row["Mã QH"].strip()
            province_name = clean_text(row["Tỉnh Thành Phố"])
            province_type = _province_type(province_name)
            provinces.setdefault(province_code, UnitRecord(
                Edition.PRE_2025, UnitLevel.PROVINCE, province_code,
                with_type_prefix(province_name, province_type), province_type,
            ))
            district_name = clean_text(row["Quận Huyện"])
            district_type = _district_type(district_name)
            districts.setdefault(district_code, UnitRecord(
                Edition.PRE_2025, UnitLevel.DISTRICT, district_code,
                with_type_prefix(district_name, district_type), district_type, province_code,
            ))
            commune_code = row["Mã PX"].strip()
            if commune_code:
                commune_type = clean_text(row["Cấp"])
                communes.setdefault(commune_code, UnitRecord(
                    Edition.PRE_2025, UnitLevel.COMMUNE, commune_code,
                    with_type_prefix(clean_text(row["Phường Xã"]), commune_type), commune_type, district_code,
                ))
    return [*provinces.values(), *districts.values(), *communes.values()]


class SourceDataError(ValueError):
    """A bundled file contradicts another one: loading stops rather than store wrong units."""


def read_current_units(path: Path = CURRENT_UNITS_FILE,
                       provinces_path: Path = CURRENT_PROVINCES_FILE) -> list[UnitRecord]:
    """The 34 provinces and 3,321 communes of the 2025 code list (two levels: no districts).

    The province codes are checked against the official list of Công văn 915/CTK-CSCL.
    """
    with path.open(encoding="utf-8") as handle:
        provinces = json.load(handle)
    with provinces_path.open(encoding="utf-8-sig", newline="") as handle:
        official = {row["Mã số"].strip(): clean_text(row["Tên 34 tỉnh sau sáp nhập"]) for row in csv.DictReader(handle)}
    codes = {p["Code"] for p in provinces}
    if codes != set(official):
        raise SourceDataError(
            f"Mã tỉnh trong {path.name} khác danh sách 34 tỉnh của Công văn 915/CTK-CSCL: "
            f"thừa {sorted(codes - set(official))}, thiếu {sorted(set(official) - codes)}"
        )
    records = []
    for province in provinces:
        province_type = clean_text(province["AdministrativeUnitShortName"])
        records.append(UnitRecord(
            Edition.CURRENT, UnitLevel.PROVINCE, province["Code"],
            with_type_prefix(clean_text(province["FullName"]), province_type), province_type,
        ))
    for province in provinces:
        for ward in province["Wards"]:
            ward_type = clean_text(ward["AdministrativeUnitShortName"])
            records.append(UnitRecord(
                Edition.CURRENT, UnitLevel.COMMUNE, ward["Code"],
                with_type_prefix(clean_text(ward["FullName"]), ward_type), ward_type, ward["ProvinceCode"],
            ))
    return records


def succession_kind(note: str) -> str | None:
    """Reduce the table's free-text note to full / partial / unchanged; None when not recognised.

    The note is typed by hand: "Nhập một phần", "Nhâp một phần diện tích", "Nhập một  phần",
    "Nhập một phần diện tích, toàn bộ dân số", "Phần còn lại sau khi tách…", "Đổi tên từ một phần…"
    are all partial (part of the old unit's territory went elsewhere); "Sắp xếp toàn bộ huyện X
    thành đặc khu X" is full; "Giữ nguyên", "Đổi tên", "Đổi loại hình" keep the territory whole
    and alone in the new unit, which is what unchanged means here.
    """
    folded = fold(note)
    if "mot phan" in folded or folded.startswith("phan con lai"):
        return SuccessionKind.PARTIAL
    if "toan bo" in folded:
        return SuccessionKind.FULL
    if folded.startswith(("giu nguyen", "doi ten", "doi loai hinh")):
        return SuccessionKind.UNCHANGED
    return None


@dataclass(frozen=True)
class ConversionRow:
    """One (new commune ← old commune) row of the NSO conversion table."""

    line: int  # the row's number in the file, counted as a spreadsheet would (header rows included)
    new_province_code: str | None
    new_code: str
    new_name: str
    old_code: str  # empty for the island districts turned into special zones and for one coastal area
    old_name: str
    old_district_code: str | None
    old_district_name: str
    note: str  # verbatim, trimmed
    kind: str | None

    @property
    def is_district_to_special_zone(self) -> bool:
        """The five island districts: 'Sắp xếp toàn bộ huyện X thành đặc khu X', no commune code."""
        return not self.old_code and "toan bo huyen" in fold(self.note) and self.old_district_code is not None


def read_conversion_table(path: Path = CONVERSION_TABLE_FILE) -> list[ConversionRow]:
    """The data rows of the table: the two header rows and the 34 province section rows are skipped."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        for line, cells in enumerate(reader, start=1):
            if line <= 2:  # row 1 groups the columns, row 2 names them
                continue
            cells = [*cells, *[""] * (8 - len(cells))]
            new_code = clean_text(cells[2])
            if not new_code:  # a province section row such as "THÀNH PHỐ HÀ NỘI"
                continue
            _province_name, new_province_code = bracket_code(cells[0])
            district_name, district_code = bracket_code(cells[6])
            note = cells[5].strip()
            rows.append(ConversionRow(
                line=line,
                new_province_code=new_province_code,
                new_code=new_code,
                new_name=clean_text(cells[1]),
                old_code=clean_text(cells[4]),
                old_name=clean_text(cells[3]),
                old_district_code=district_code,
                old_district_name=district_name,
                note=note,
                kind=succession_kind(note),
            ))
    return rows


@dataclass(frozen=True)
class OrganCodeRecord:
    source_id: str
    code: str  # as written in the source, possibly malformed
    name: str  # cleaned (no zero-width spaces)


@dataclass
class OrganCodeList:
    records: list[OrganCodeRecord] = field(default_factory=list)
    duplicates: list[OrganCodeRecord] = field(default_factory=list)  # same code again: the first row wins


def read_organ_codes(path: Path = ORGAN_CODES_FILE) -> OrganCodeList:
    """The organ codes of the eDoc integration list (central bodies and Tây Ninh, about 2021).

    Seven codes appear twice with two spellings of the name ("Cục Báo chí" and "Cục Báo chí - Bộ
    Thông tin truyền thông"); the row with the lower Id, the older entry, is kept.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["Id"]))
    result = OrganCodeList()
    seen: set[str] = set()
    for row in rows:
        record = OrganCodeRecord(row["Id"], clean_text(row["OrganCode_Domain"]), clean_text(row["Name"]))
        if record.code in seen:
            result.duplicates.append(record)
            continue
        seen.add(record.code)
        result.records.append(record)
    return result


@dataclass(frozen=True)
class CentralAgencyRecord:
    """A ministry-level body as motcua names it, with its G code when known and its 2025 fate."""

    key: str
    organ_code: str | None
    name: str
    valid_from: date | None
    valid_to: date | None
    successor_key: str | None
    aliases: tuple[str, ...]
    legal_basis: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


@functools.cache
def read_central_agencies(path: Path = CENTRAL_AGENCIES_FILE) -> tuple[CentralAgencyRecord, ...]:
    """The curated table of central bodies (data/motcua_central_agencies.csv); read once per process."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            CentralAgencyRecord(
                key=row["key"].strip(),
                organ_code=row["organ_code"].strip() or None,
                name=clean_text(row["name"]),
                valid_from=_date(row["valid_from"]),
                valid_to=_date(row["valid_to"]),
                successor_key=row["successor"].strip() or None,
                aliases=tuple(clean_text(a) for a in row["aliases"].split("|") if a.strip()),
                legal_basis=clean_text(row["legal_basis"]),
            )
            for row in csv.DictReader(handle)
        )


@functools.cache
def central_agency_by_name() -> dict[str, CentralAgencyRecord]:
    """Every official name and alias, folded, to its central body."""
    index: dict[str, CentralAgencyRecord] = {}
    for record in read_central_agencies():
        for name in record.names:
            index.setdefault(fold(name), record)
    return index
