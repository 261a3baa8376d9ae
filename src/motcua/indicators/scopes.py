"""Which agencies a scope covers, for the units as they were or rolled up to today's units.

A dossier keeps the agency it was filed with, and that agency keeps the unit it served. "As filed"
reads that unit in its own code list; "today" carries a pre-July-2025 unit to its 2025 successor
through the official conversion table (UnitSuccession), and an agency merged away to its successor
(Agency.successor). A ministry covers every body whose parent chain reaches it.

The map is built from a handful of queries over agencies, units and successions (thousands of
rows, never dossiers) so that a scorecard costs the same number of queries for any scope.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from motcua.indicators.errors import UnknownScopeError
from motcua.indicators.periods import Period
from motcua.units.choices import AgencyLevel, Edition, SuccessionKind, UnitLevel
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession
from motcua.units.selectors import edition_at

SCOPE_KINDS = ("national", "province", "commune", "ministry", "agency")
UNITS_AS = ("today", "as_filed")
NATIONAL_CODE = "VN"


@dataclass(frozen=True)
class Scope:
    kind: str
    code: str
    name: str
    edition: str
    units_as: str


@dataclass
class _AgencyInfo:
    pk: int
    name: str
    organ_code: str | None
    slug: str
    level: str
    parent_id: int | None
    successor_id: int | None
    filed_units: set = field(default_factory=set)   # {(edition, level, code)}
    today_units: set = field(default_factory=set)   # {("2025", level, code)}


class AgencyMap:
    """Every agency with the units it belongs to, as filed and today, and its ministry."""

    def __init__(self):
        rows = Agency.objects.values_list("pk", "name", "organ_code", "slug", "level", "parent_id", "successor_id",
                                          "unit_id")
        self.agencies: dict[int, _AgencyInfo] = {}
        unit_of: dict[int, int | None] = {}
        for pk, name, code, slug, level, parent_id, successor_id, unit_id in rows:
            self.agencies[pk] = _AgencyInfo(pk, name, code, slug, level, parent_id, successor_id)
            unit_of[pk] = unit_id
        unit_ids = {u for u in unit_of.values() if u}
        units = {}
        for row in AdministrativeUnit.objects.filter(pk__in=unit_ids).values(
            "pk", "edition", "level", "code", "name",
            "parent_id", "parent__level", "parent__code", "parent__name",
            "parent__parent_id", "parent__parent__level", "parent__parent__code", "parent__parent__name",
        ):
            units[row["pk"]] = row
        # Chains of (unit id, edition, level, code) from the unit up to its province.
        chains: dict[int, list[tuple]] = {}
        for pk, row in units.items():
            chain = [(pk, row["edition"], row["level"], row["code"])]
            if row["parent_id"]:
                chain.append((row["parent_id"], row["edition"], row["parent__level"], row["parent__code"]))
            if row["parent__parent_id"]:
                chain.append((row["parent__parent_id"], row["edition"], row["parent__parent__level"],
                              row["parent__parent__code"]))
            chains[pk] = chain
        old_ids = {uid for chain in chains.values() for (uid, edition, _l, _c) in chain if edition == Edition.PRE_2025}
        successors: dict[int, list[tuple]] = {}
        for s in UnitSuccession.objects.filter(old_unit_id__in=old_ids).values(
            "old_unit_id", "kind", "new_unit__code", "new_unit__level", "new_unit__parent__code",
            "new_unit__parent__level",
        ).order_by("old_unit_id", "new_unit__code"):
            successors.setdefault(s["old_unit_id"], []).append(s)
        self.unit_names: dict[tuple, str] = {}
        for row in units.values():
            self.unit_names[(row["edition"], row["level"], row["code"])] = row["name"]
            if row["parent_id"]:
                self.unit_names[(row["edition"], row["parent__level"], row["parent__code"])] = row["parent__name"]
            if row["parent__parent_id"]:
                self.unit_names[(row["edition"], row["parent__parent__level"], row["parent__parent__code"])] = (
                    row["parent__parent__name"])
        for pk, info in self.agencies.items():
            chain = chains.get(unit_of[pk]) or []
            info.filed_units = {(e, lvl, c) for (_u, e, lvl, c) in chain}
            today = set()
            for uid, edition, level, code in chain:
                if edition == Edition.CURRENT:
                    today.add((Edition.CURRENT, level, code))
                    continue
                primary = _primary(successors.get(uid, []))
                if primary is None:
                    continue
                today.add((Edition.CURRENT, primary["new_unit__level"], primary["new_unit__code"]))
                if primary["new_unit__parent__code"]:
                    today.add((Edition.CURRENT, primary["new_unit__parent__level"], primary["new_unit__parent__code"]))
            info.today_units = today

    def ministry_of(self, pk: int) -> int | None:
        seen = set()
        current = self.agencies.get(pk)
        while current and current.parent_id and current.parent_id not in seen:
            seen.add(current.pk)
            current = self.agencies.get(current.parent_id)
        if current and current.level == AgencyLevel.MINISTRY:
            return current.pk
        return None

    def today(self, pk: int) -> int:
        """The body that holds the agency's duties today (following `successor`)."""
        seen = set()
        while self.agencies[pk].successor_id and pk not in seen:
            seen.add(pk)
            pk = self.agencies[pk].successor_id
        return pk

    def find(self, code: str) -> _AgencyInfo | None:
        value = code.strip()
        for info in self.agencies.values():
            if (info.organ_code and info.organ_code == value.upper()) or info.slug == value:
                return info
        return None


def _primary(successions: list[dict]) -> dict | None:
    """The successor a unit's figures roll up to: the one it went into whole, else the first one.

    A split commune ("nhập một phần") has several successors; without a per-dossier address
    mapping, its figures go to the first successor by code (docs/indicators.md, Limits).
    """
    if not successions:
        return None
    whole = [s for s in successions if s["kind"] in (SuccessionKind.FULL, SuccessionKind.UNCHANGED)]
    return (whole or successions)[0]


def _split_code(code: str) -> tuple[str | None, str]:
    if ":" in code:
        edition, _sep, rest = code.partition(":")
        return edition.strip(), rest.strip()
    return None, code.strip()


UNIT_LEVEL_OF_KIND = {"province": UnitLevel.PROVINCE, "commune": UnitLevel.COMMUNE}
KIND_LABELS = {"province": "tỉnh/thành phố", "commune": "xã/phường/đặc khu"}


def resolve(kind: str, code: str, *, units_as: str, period: Period | None, amap: AgencyMap) -> tuple[Scope, set[int] | None]:
    """The scope and the ids of the agencies whose dossiers it counts (None = every agency)."""
    if units_as not in UNITS_AS:
        raise UnknownScopeError("units_as", _("“units_as” phải là “today” (đơn vị hiện nay) hoặc “as_filed” "
                                         "(đơn vị tại thời điểm nộp)."))
    if kind not in SCOPE_KINDS:
        raise UnknownScopeError("scope_kind", _("Loại phạm vi “%(kind)s” không hợp lệ: dùng national, province, "
                                           "commune, ministry hoặc agency.") % {"kind": kind})
    code = (code or "").strip()
    if kind == "national":
        return Scope(kind, NATIONAL_CODE, _("Toàn quốc"), "", units_as), None
    if kind in UNIT_LEVEL_OF_KIND:
        level = UNIT_LEVEL_OF_KIND[kind]
        edition, bare = _split_code(code)
        if edition is None:
            edition = Edition.CURRENT if units_as == "today" or period is None else edition_at(period.start)
        if edition not in Edition.values:
            raise UnknownScopeError("scope_code", _("Danh mục “%(e)s” không hợp lệ: dùng 2004 hoặc 2025.") % {"e": edition})
        unit = AdministrativeUnit.objects.filter(edition=edition, level=level, code=bare).values("name").first()
        if unit is None:
            raise UnknownScopeError("scope_code", _("Không có %(what)s mã “%(code)s” trong danh mục %(e)s.")
                               % {"what": KIND_LABELS[kind], "code": bare, "e": edition})
        key = (edition, level, bare)
        # A 2004 code only has a meaning "as filed"; a 2025 code "today" takes in its predecessors.
        use_today = units_as == "today" and edition == Edition.CURRENT
        ids = {pk for pk, a in amap.agencies.items() if key in (a.today_units if use_today else a.filed_units)}
        label = f"{unit['name']}" if edition == Edition.CURRENT else f"{unit['name']} (trước 01/07/2025)"
        return Scope(kind, bare, label, str(edition), units_as), ids
    if kind == "ministry":
        info = amap.find(code)
        if info is None or info.level != AgencyLevel.MINISTRY:
            raise UnknownScopeError("scope_code", _("Không có bộ, cơ quan ngang bộ mã “%(code)s”.") % {"code": code})
        targets = {info.pk}
        ids = set()
        for pk in amap.agencies:
            ministry = amap.ministry_of(pk)
            if ministry is None:
                continue
            if ministry in targets or (units_as == "today" and amap.today(ministry) == info.pk):
                ids.add(pk)
        return Scope(kind, info.organ_code or info.slug, info.name, "", units_as), ids
    info = amap.find(code)
    if info is None:
        raise UnknownScopeError("scope_code", _("Không có cơ quan mã “%(code)s”.") % {"code": code})
    ids = {info.pk}
    if units_as == "today":
        ids |= {pk for pk in amap.agencies if amap.today(pk) == info.pk}
    return Scope(kind, info.organ_code or info.slug, info.name, "", units_as), ids


def list_scopes(kind: str, *, units_as: str, period: Period | None, amap: AgencyMap, with_agencies: set[int] | None = None) -> list[Scope]:
    """Scopes of a kind that have at least one agency (optionally: one of `with_agencies`)."""
    pool = amap.agencies if with_agencies is None else {pk: amap.agencies[pk] for pk in with_agencies if pk in amap.agencies}
    if kind == "national":
        return [Scope("national", NATIONAL_CODE, _("Toàn quốc"), "", units_as)]
    if kind in UNIT_LEVEL_OF_KIND:
        level = UNIT_LEVEL_OF_KIND[kind]
        edition = Edition.CURRENT if units_as == "today" or period is None else edition_at(period.start)
        keys = set()
        for info in pool.values():
            units = info.today_units if (units_as == "today" and edition == Edition.CURRENT) else info.filed_units
            keys |= {k for k in units if k[0] == edition and k[1] == level}
        return [Scope(kind, c, amap.unit_names.get((e, lvl, c), c), str(e), units_as) for (e, lvl, c) in sorted(keys)]
    if kind == "ministry":
        found = {amap.ministry_of(pk) for pk in pool} - {None}
        if units_as == "today":
            found = {amap.today(pk) for pk in found}
        infos = sorted((amap.agencies[pk] for pk in found), key=lambda a: a.organ_code or a.slug)
        return [Scope(kind, a.organ_code or a.slug, a.name, "", units_as) for a in infos]
    if kind == "agency":
        infos = sorted(pool.values(), key=lambda a: a.organ_code or a.slug)
        return [Scope(kind, a.organ_code or a.slug, a.name, "", units_as) for a in infos]
    raise UnknownScopeError("scope_kind", _("Loại phạm vi “%(kind)s” không hợp lệ.") % {"kind": kind})
