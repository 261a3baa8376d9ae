"""Loading the bundled official unit lists, conversion table and organ codes (idempotent).

Both loaders compare what the files say with what the database holds, keyed on the natural keys
((edition, level, code) for units, (old unit, new unit) for successions, organ code or slug for
agencies), and write only the differences with bulk operations: a second run issues no write.
Rows are never deleted: a unit or agency that disappears from a newer file keeps its history.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from motcua.lib.text import fold
from motcua.units.choices import AgencyLevel, Edition, SuccessionKind, UnitLevel
from motcua.units.codes import ORGAN_CODE_RE, parse_organ_code
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession
from motcua.units.services import (
    agency_slug,
    central_agency_fields,
    unique_agency_slug,
)
from motcua.units.sources import (
    COMMUNE_SUCCESSION_LEGAL_BASIS,
    CURRENT_LEGAL_BASIS,
    LAST_PRE_2025_DAY,
    ORGAN_CODES_FILE,
    PRE_2025_LEGAL_BASIS,
    PROVINCE_SUCCESSION_LEGAL_BASIS,
    REFORM_DATE,
    ConversionRow,
    UnitRecord,
    read_central_agencies,
    read_conversion_table,
    read_current_units,
    read_organ_codes,
    read_pre_2025_units,
)

logger = logging.getLogger(__name__)

UnitKey = tuple[str, str, str]
UNIT_FIELDS = ("name", "unit_type", "parent_id", "valid_from", "valid_to", "legal_basis", "name_folded")
SUCCESSION_FIELDS = ("kind", "note", "effective_on", "legal_basis")
AGENCY_FIELDS = ("name", "level", "unit_id", "valid_from", "valid_to", "source", "name_folded",
                 "parent_id", "successor_id")
PROVINCE_SUCCESSION_NOTE = "Suy ra từ bảng chuyển đổi cấp xã"
BATCH = 1000

# The organ-code list is Tây Ninh's (pre-2025 province 72). Province H-numbers are assigned
# nationally and cannot be derived from names or alphabetical order (vn-domain.md §8.3), so only the
# ones a source states are mapped here.
PROVINCE_OF_ORGAN_GROUP = {"H53": (Edition.PRE_2025, "72")}

COUNT_LABELS = {
    (Edition.PRE_2025, UnitLevel.PROVINCE): "tỉnh (trước 2025)",
    (Edition.PRE_2025, UnitLevel.DISTRICT): "huyện (trước 2025)",
    (Edition.PRE_2025, UnitLevel.COMMUNE): "xã (trước 2025)",
    (Edition.CURRENT, UnitLevel.PROVINCE): "tỉnh (từ 2025)",
    (Edition.CURRENT, UnitLevel.COMMUNE): "xã (từ 2025)",
}


class _Changes:
    """Counts of rows a load created and updated, for the setup command's report."""

    def __init__(self):
        self.created = 0
        self.updated = 0


# --- units ---------------------------------------------------------------------------------------


def _unit_values(record: UnitRecord, parent_id: int | None) -> tuple:
    if record.edition == Edition.PRE_2025:
        valid_from, valid_to, basis = None, LAST_PRE_2025_DAY, PRE_2025_LEGAL_BASIS
    else:
        valid_from, valid_to, basis = REFORM_DATE, None, CURRENT_LEGAL_BASIS
    return (record.name, record.unit_type, parent_id, valid_from, valid_to, basis, fold(record.name))


def _parent_level(record: UnitRecord) -> str:
    if record.level == UnitLevel.COMMUNE and record.edition == Edition.PRE_2025:
        return UnitLevel.DISTRICT
    return UnitLevel.PROVINCE


def _sync_units(records: list[UnitRecord], changes: _Changes) -> dict[UnitKey, int]:
    """Create and update units level by level (parents first); returns the id of every key."""
    existing = {
        (edition, level, code): (pk, tuple(values))
        for pk, edition, level, code, *values in AdministrativeUnit.objects.values_list(
            "pk", "edition", "level", "code", *UNIT_FIELDS
        )
    }
    ids = {key: pk for key, (pk, _values) in existing.items()}
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        to_create, to_update = [], []
        for record in (r for r in records if r.level == level):
            parent_id = None
            if record.parent_code:
                parent_id = ids[(record.edition, _parent_level(record), record.parent_code)]
            values = _unit_values(record, parent_id)
            current = existing.get(record.key)
            if current is None:
                to_create.append(AdministrativeUnit(
                    edition=record.edition, level=level, code=record.code, **dict(zip(UNIT_FIELDS, values, strict=True))
                ))
            elif current[1] != values:
                to_update.append(AdministrativeUnit(pk=current[0], **dict(zip(UNIT_FIELDS, values, strict=True))))
        # bulk_create skips save(), so name_folded is computed above with the same fold().
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=BATCH)
        AdministrativeUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=BATCH)
        changes.created += len(to_create)
        changes.updated += len(to_update)
        if to_create:
            ids.update(
                ((edition, lvl, code), pk)
                for pk, edition, lvl, code in AdministrativeUnit.objects.filter(level=level).values_list(
                    "pk", "edition", "level", "code"
                )
            )
    return ids


def _resolve_conversion_rows(rows: list[ConversionRow], ids: dict[UnitKey, int],
                             counts: dict[str, int]) -> dict[tuple[int, int], tuple]:
    """Map each table row to (old unit id, new unit id) → values; count and log the rows that cannot be."""
    wanted: dict[tuple[int, int], tuple] = {}
    problems = {
        "no_old_code": "dòng bảng chuyển đổi bỏ qua: không có mã xã cũ",
        "unknown_old": "dòng bảng chuyển đổi bỏ qua: mã cũ không có trong danh mục 2004",
        "unknown_new": "dòng bảng chuyển đổi bỏ qua: mã mới không có trong danh mục 2025",
        "unknown_note": "dòng bảng chuyển đổi có ghi chú không nhận ra (coi là nhập một phần)",
    }
    tally = dict.fromkeys(problems, 0)
    for row in rows:
        new_id = ids.get((Edition.CURRENT, UnitLevel.COMMUNE, row.new_code))
        if row.is_district_to_special_zone:
            old_id = ids.get((Edition.PRE_2025, UnitLevel.DISTRICT, row.old_district_code))
        elif not row.old_code:
            tally["no_old_code"] += 1
            logger.warning("Bảng chuyển đổi, dòng %s: “%s” → %s %s không có mã xã cũ; bỏ qua.",
                           row.line, row.old_name, row.new_code, row.new_name)
            continue
        else:
            old_id = ids.get((Edition.PRE_2025, UnitLevel.COMMUNE, row.old_code))
        if old_id is None:
            tally["unknown_old"] += 1
            logger.warning("Bảng chuyển đổi, dòng %s: mã cũ %s (%s) không có trong danh mục 2004; bỏ qua.",
                           row.line, row.old_code or row.old_district_code, row.old_name or row.old_district_name)
            continue
        if new_id is None:
            tally["unknown_new"] += 1
            logger.warning("Bảng chuyển đổi, dòng %s: mã mới %s (%s) không có trong danh mục 2025; bỏ qua.",
                           row.line, row.new_code, row.new_name)
            continue
        kind = row.kind
        if kind is None:
            # Partial is the cautious reading: it makes software ask the person to confirm the address.
            tally["unknown_note"] += 1
            logger.warning("Bảng chuyển đổi, dòng %s: ghi chú “%s” không nhận ra; coi là nhập một phần.",
                           row.line, row.note)
            kind = SuccessionKind.PARTIAL
        wanted[(old_id, new_id)] = (kind, row.note[:120], REFORM_DATE, COMMUNE_SUCCESSION_LEGAL_BASIS)
    counts.update({label: tally[key] for key, label in problems.items()})
    return wanted


def _province_successions(unit_pairs: Iterable[tuple[int, int]], ids: dict[UnitKey, int],
                          records: list[UnitRecord]) -> dict[tuple[int, int], tuple]:
    """Old province → new province, derived from where each old province's communes went.

    The table's own "Tỉnh cũ" column has typing errors (a Long An commune is listed under Tiền
    Giang), so the old province comes from the 2004 unit list, through the commune's district.
    """
    province_of: dict[int, int] = {}
    by_key = {r.key: r for r in records}
    for record in records:
        if record.level == UnitLevel.PROVINCE:
            continue
        parent = by_key[(record.edition, _parent_level(record), record.parent_code)]
        while parent.parent_code:
            parent = by_key[(parent.edition, _parent_level(parent), parent.parent_code)]
        province_of[ids[record.key]] = ids[parent.key]
    pairs: set[tuple[int, int]] = {(province_of[old], province_of[new]) for old, new in unit_pairs}
    targets_of: dict[int, set[int]] = defaultdict(set)
    sources_of: dict[int, set[int]] = defaultdict(set)
    for old, new in pairs:
        targets_of[old].add(new)
        sources_of[new].add(old)
    wanted = {}
    for old, new in pairs:
        if len(targets_of[old]) > 1:
            kind = SuccessionKind.PARTIAL
        elif len(sources_of[new]) > 1:
            kind = SuccessionKind.FULL
        else:
            kind = SuccessionKind.UNCHANGED
        wanted[(old, new)] = (kind, PROVINCE_SUCCESSION_NOTE, REFORM_DATE, PROVINCE_SUCCESSION_LEGAL_BASIS)
    return wanted


def _sync_successions(wanted: dict[tuple[int, int], tuple], changes: _Changes) -> None:
    existing = {
        (old, new): (pk, tuple(values))
        for pk, old, new, *values in UnitSuccession.objects.values_list(
            "pk", "old_unit_id", "new_unit_id", *SUCCESSION_FIELDS
        )
    }
    to_create, to_update = [], []
    for (old, new), values in wanted.items():
        fields = dict(zip(SUCCESSION_FIELDS, values, strict=True))
        current = existing.get((old, new))
        if current is None:
            to_create.append(UnitSuccession(old_unit_id=old, new_unit_id=new, **fields))
        elif current[1] != values:
            to_update.append(UnitSuccession(pk=current[0], **fields))
    UnitSuccession.objects.bulk_create(to_create, batch_size=BATCH)
    UnitSuccession.objects.bulk_update(to_update, SUCCESSION_FIELDS, batch_size=BATCH)
    changes.created += len(to_create)
    changes.updated += len(to_update)


def load_units() -> dict[str, int]:
    """Load pre-2025 and current units and the conversion table; returns counts by kind."""
    records = read_pre_2025_units() + read_current_units()
    rows = read_conversion_table()
    changes = _Changes()
    counts: dict[str, int] = {}
    with transaction.atomic():
        ids = _sync_units(records, changes)
        commune_pairs = _resolve_conversion_rows(rows, ids, counts)
        province_pairs = _province_successions(commune_pairs, ids, records)
        _sync_successions({**commune_pairs, **province_pairs}, changes)

    totals = {
        COUNT_LABELS[(edition, level)]: n
        for edition, level, n in _count_by(AdministrativeUnit.objects.all(), "edition", "level")
    }
    successions = {
        level: n for level, n in _count_by(UnitSuccession.objects.all(), "old_unit__level")
    }
    return {
        **{label: totals.get(label, 0) for label in COUNT_LABELS.values()},
        "chuyển đổi cấp xã": successions.get(UnitLevel.COMMUNE, 0),
        "chuyển đổi huyện đảo → đặc khu": successions.get(UnitLevel.DISTRICT, 0),
        "chuyển đổi cấp tỉnh": successions.get(UnitLevel.PROVINCE, 0),
        **counts,
        "mới thêm": changes.created,
        "đã cập nhật": changes.updated,
    }


def _count_by(queryset, *fields) -> list[tuple]:
    return [(*row[:-1], row[-1]) for row in queryset.values_list(*fields).annotate(n=Count("pk")).order_by()]


# --- agencies ------------------------------------------------------------------------------------

_DISTRICT_UBND = ("ubnd huyen ", "ubnd thanh pho ", "ubnd thi xa ", "ubnd quan ")
_COMMUNE_UBND = ("ubnd xa ", "ubnd phuong ", "ubnd thi tran ")


def agency_level(code: str | None, name: str) -> str:
    """A root G code is a ministry, a root H code a province; People's Committees by their name.

    Everything else (departments, schools, hospitals, a ministry's Cục and Vụ, post offices) is
    "other": the code says who a body reports to, not the level of government it belongs to.
    """
    if code and ORGAN_CODE_RE.match(code):
        parsed = parse_organ_code(code)
        if parsed.is_root and parsed.group == "G":
            return AgencyLevel.MINISTRY
        if parsed.is_root and parsed.group == "H":
            return AgencyLevel.PROVINCE
    folded = fold(name) + " "
    if folded.startswith(_DISTRICT_UBND):
        return AgencyLevel.DISTRICT
    if folded.startswith(_COMMUNE_UBND):
        return AgencyLevel.COMMUNE
    return AgencyLevel.OTHER


def _bare(folded_name: str, prefixes: Iterable[str]) -> str:
    """A folded unit name without its type word: "thi xa hoa thanh" → "hoa thanh"."""
    for prefix in prefixes:
        if folded_name.startswith(prefix):
            return folded_name[len(prefix):]
    return folded_name


_DISTRICT_TYPE_WORDS = ("thanh pho ", "thi xa ", "quan ", "huyen ")
_COMMUNE_TYPE_WORDS = ("thi tran ", "xa ", "phuong ")


class _UnitMatcher:
    """Finds the pre-2025 unit a People's Committee's name refers to, inside its province or district.

    Names in the organ-code list predate some status changes (Hòa Thành and Trảng Bàng were
    'huyện' there, 'thị xã' in 2025), so names are compared without their type word, and a commune
    name is matched as the longest prefix of what follows "UBND" (the list glues "Bắc" and
    "huyện" together in one name).
    """

    def __init__(self):
        self._children: dict[int, list[tuple[str, AdministrativeUnit]]] = {}

    def _bare_children(self, parent: AdministrativeUnit, type_words) -> list[tuple[str, AdministrativeUnit]]:
        if parent.pk not in self._children:
            self._children[parent.pk] = sorted(
                ((_bare(u.name_folded, type_words), u) for u in parent.children.all()),
                key=lambda pair: -len(pair[0]),
            )
        return self._children[parent.pk]

    def find(self, parent: AdministrativeUnit, agency_name: str, level: str) -> AdministrativeUnit | None:
        type_words = _DISTRICT_TYPE_WORDS if level == AgencyLevel.DISTRICT else _COMMUNE_TYPE_WORDS
        rest = _bare(fold(agency_name).removeprefix("ubnd "), type_words)
        children = self._bare_children(parent, type_words)
        # A whole-word match first; then a bare prefix, for names glued to the next word.
        for bare, unit in children:
            if bare and (rest == bare or rest.startswith(bare + " ")):
                return unit
        for bare, unit in children:
            if bare and rest.startswith(bare):
                return unit
        return None


def _province_ubnd_name(province: AdministrativeUnit) -> str:
    bare = province.name[len(province.unit_type):].strip() if province.unit_type else province.name
    return f"Ủy ban nhân dân {province.unit_type.lower()} {bare}".strip()


class _AgencyPlan:
    """The agencies the bundled files describe, keyed by organ code or (for those without) slug."""

    def __init__(self):
        self.rows: dict[str, dict] = {}
        self.parent_of: dict[str, str] = {}
        self.successor_of: dict[str, str] = {}

    def add(self, key: str, **fields) -> None:
        self.rows[key] = fields


def _plan_central(plan: _AgencyPlan) -> int:
    records = read_central_agencies()
    key_of = {r.key: (r.organ_code or agency_slug(r.name)) for r in records}
    for record in records:
        key = key_of[record.key]
        plan.add(key, organ_code=record.organ_code, slug=agency_slug(record.name, record.organ_code),
                 **central_agency_fields(record))
        if record.successor_key:
            plan.successor_of[key] = key_of[record.successor_key]
    return len(records)


def _plan_organ_codes(plan: _AgencyPlan, counts: dict[str, int]) -> None:
    listing = read_organ_codes()
    central_codes = {r.organ_code for r in read_central_agencies() if r.organ_code}
    valid = [r for r in listing.records if ORGAN_CODE_RE.match(r.code)]
    malformed = [r for r in listing.records if not ORGAN_CODE_RE.match(r.code)]
    codes = {r.code for r in valid} | central_codes
    for record in valid:
        source = f"{ORGAN_CODES_FILE.name} #{record.source_id}"
        if record.code in central_codes:
            continue  # the curated table names the ministries officially ("Bộ Y tế", not "Bộ Y Tế ")
        plan.add(record.code, organ_code=record.code, slug=agency_slug(record.name, record.code),
                 name=record.name, level=agency_level(record.code, record.name), source=source,
                 valid_from=None, valid_to=None, unit=None)
        parent = _parent_code(record.code, codes)
        if parent:
            plan.parent_of[record.code] = parent
    for record in malformed:
        # Kept as a body (it exists: "Phòng Y tế huyện Tân Châu") but without an organ code: a
        # malformed code must never be sent to the document axis. The raw code stays in `source`.
        # Its parent is the level-1 body named by the code's last group, the only part readable.
        slug = agency_slug(record.name)
        plan.add(slug, organ_code=None, slug=slug, name=record.name, level=agency_level(None, record.name),
                 source=f"{ORGAN_CODES_FILE.name} #{record.source_id}; mã gốc không đúng định dạng: {record.code}",
                 valid_from=None, valid_to=None, unit=None)
        root = f"000.00.00.{record.code.rsplit('.', 1)[-1]}"
        if root in codes:
            plan.parent_of[slug] = root
        logger.warning("Mã định danh “%s” (%s) không đúng định dạng XXX.YY.ZZ.Lnn: lưu cơ quan không kèm mã.",
                       record.code, record.name)
    counts["cơ quan có mã định danh (danh sách eDoc)"] = len(valid)
    counts["mã không đúng định dạng (lưu không kèm mã)"] = len(malformed)
    counts["mã trùng (giữ dòng đầu)"] = len(listing.duplicates)


def _parent_code(code: str, codes: set[str]) -> str | None:
    for candidate in parse_organ_code(code).parent_candidates():
        if str(candidate) in codes:
            return str(candidate)
    return None


def _assign_units(plan: _AgencyPlan, counts: dict[str, int]) -> None:
    """Link each agency of a known province to the unit it serves, and close the local ones in 2025.

    The provincial People's Committee serves the province; a district or commune People's
    Committee serves the district or commune its name designates; every other body serves the unit
    of the nearest ancestor that has one. Bodies serving a pre-2025 district or commune end with it
    on 30 June 2025 (the district level was abolished, the communes merged); departments, schools
    and hospitals are left open: the list does not say what became of them.
    """
    provinces = {
        group: AdministrativeUnit.objects.get(edition=edition, level=UnitLevel.PROVINCE, code=code)
        for group, (edition, code) in PROVINCE_OF_ORGAN_GROUP.items()
    }
    matcher = _UnitMatcher()
    unmatched = 0
    units: dict[str, AdministrativeUnit | None] = {}

    def unit_of(key: str) -> AdministrativeUnit | None:
        nonlocal unmatched
        if key in units:
            return units[key]
        row = plan.rows[key]
        parent_key = plan.parent_of.get(key)
        parent_unit = unit_of(parent_key) if parent_key else None  # parents have more zeroed levels: no cycle
        if row["organ_code"] and parse_organ_code(row["organ_code"]).is_root:
            unit = provinces.get(row["organ_code"][-3:])
        elif row["level"] in (AgencyLevel.DISTRICT, AgencyLevel.COMMUNE) and parent_unit is not None:
            unit = matcher.find(parent_unit, row["name"], row["level"])
            if unit is None:
                unmatched += 1
                logger.warning("Không tìm thấy đơn vị hành chính cho “%s”.", row["name"])
                unit = parent_unit
        else:
            unit = parent_unit
        units[key] = unit
        return unit

    for key, row in plan.rows.items():
        unit = row["unit"] = unit_of(key)
        if unit is None or unit.edition != Edition.PRE_2025:
            continue
        if unit.level != UnitLevel.PROVINCE or row["level"] == AgencyLevel.PROVINCE:
            row["valid_to"] = unit.valid_to
    counts["UBND huyện/xã không khớp được tên đơn vị"] = unmatched


def _plan_province_committees(plan: _AgencyPlan) -> int:
    """A People's Committee for each of the 34 current provinces, without an organ code.

    None of their codes is in a bundled source; Tây Ninh's H53 belongs to the pre-2025 province
    (72), and the new Tây Ninh (80) merges Long An into it, so H53 is not carried over either.
    A province that merged others starts on 1 July 2025; one that did not keeps its committee.
    """
    provinces = list(AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.PROVINCE))
    predecessors = defaultdict(list)
    for succession in UnitSuccession.objects.filter(new_unit__in=provinces).select_related("old_unit"):
        predecessors[succession.new_unit_id].append(succession.old_unit)
    for province in provinces:
        name = _province_ubnd_name(province)
        slug = agency_slug(name)
        merged = len(predecessors[province.pk]) > 1
        plan.add(slug, organ_code=None, slug=slug, name=name, level=AgencyLevel.PROVINCE, unit=province,
                 valid_from=REFORM_DATE if merged else None, valid_to=None,
                 source="Danh mục 34 tỉnh (QĐ 19/2025/QĐ-TTg); chưa có mã định danh trong dữ liệu kèm theo")
        for old in predecessors[province.pk]:
            for key, row in plan.rows.items():
                if row["level"] == AgencyLevel.PROVINCE and row["unit"] == old and row["organ_code"]:
                    plan.successor_of[key] = slug
    return len(provinces)


def _sync_agencies(plan: _AgencyPlan, changes: _Changes) -> None:
    existing: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        existing[agency.organ_code or agency.slug] = agency
    # An agency `ensure_agency` created without a code, under a name the plan now gives a code to,
    # is completed rather than duplicated.
    orphans = {a.name_folded: a for a in existing.values() if not a.organ_code and a.unit_id is None}
    taken = {a.slug for a in existing.values()}

    def matching(key: str, row: dict) -> Agency | None:
        if key in existing:
            return existing[key]
        if row["organ_code"] and row["level"] == AgencyLevel.MINISTRY:
            return orphans.pop(fold(row["name"]), None)
        return None

    to_create, to_update = [], []
    for key, row in plan.rows.items():
        row["name_folded"] = fold(row["name"])
        agency = matching(key, row)
        if agency is None:
            agency = Agency(organ_code=row["organ_code"], slug=unique_agency_slug(row["slug"], taken=taken))
            taken.add(agency.slug)
            _set(agency, row)
            to_create.append(agency)
        else:
            if agency.organ_code != row["organ_code"] or _set(agency, row):
                agency.organ_code = row["organ_code"]
                to_update.append(agency)
        existing[key] = agency
    Agency.objects.bulk_create(to_create, batch_size=BATCH)
    if to_create and not all(a.pk for a in to_create):
        pks = dict(Agency.objects.values_list("slug", "pk"))
        for agency in to_create:
            agency.pk = pks[agency.slug]
    fields = ["organ_code", "name", "level", "unit", "valid_from", "valid_to", "source", "name_folded"]
    Agency.objects.bulk_update(to_update, fields, batch_size=BATCH)

    links = []
    for key in plan.rows:
        agency = existing[key]
        parent = existing[plan.parent_of[key]].pk if key in plan.parent_of else None
        successor = existing[plan.successor_of[key]].pk if key in plan.successor_of else None
        if (agency.parent_id, agency.successor_id) != (parent, successor):
            agency.parent_id, agency.successor_id = parent, successor
            links.append(agency)
    Agency.objects.bulk_update(links, ["parent", "successor"], batch_size=BATCH)
    created_ids = {a.pk for a in to_create}
    changes.created += len(to_create)
    changes.updated += len({a.pk for a in to_update} | ({a.pk for a in links} - created_ids))


def _set(agency: Agency, row: dict) -> bool:
    """Copy the planned fields onto the agency; True when something changed."""
    changed = False
    for field in ("name", "level", "valid_from", "valid_to", "source", "name_folded"):
        value = row[field]
        if getattr(agency, field) != value:
            setattr(agency, field, value)
            changed = True
    unit_id = row["unit"].pk if row["unit"] is not None else None
    if agency.unit_id != unit_id:
        agency.unit_id = unit_id
        changed = True
    return changed


def load_agencies() -> dict[str, int]:
    """Load the central bodies, the bundled organ codes and the 34 provincial People's Committees.

    Needs `load_units()` first: agencies are linked to the units they serve.
    """
    plan = _AgencyPlan()
    counts: dict[str, int] = {}
    changes = _Changes()
    with transaction.atomic():
        central = _plan_central(plan)
        _plan_organ_codes(plan, counts)
        _assign_units(plan, counts)
        committees = _plan_province_committees(plan)
        _sync_agencies(plan, changes)
    return {
        "bộ, ngành trung ương": central,
        **counts,
        "UBND cấp tỉnh (34 tỉnh từ 2025)": committees,
        "tổng số cơ quan": Agency.objects.count(),
        "mới thêm": changes.created,
        "đã cập nhật": changes.updated,
    }
