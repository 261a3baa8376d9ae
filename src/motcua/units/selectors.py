"""Reads of the units context: units by code and date, the old↔new conversion, agencies.

A unit code means nothing without its edition: 00004 is Phường Trúc Bạch in the 2004 list and
Phường Ba Đình in the 2025 one. Every function here either takes the edition or derives it from a
date (before or from 1 July 2025).
"""

from datetime import date

from django.db.models import F, Q, QuerySet

from motcua.lib.text import fold
from motcua.units.choices import Edition, UnitLevel
from motcua.units.codes import ORGAN_CODE_RE
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession
from motcua.units.sources import REFORM_DATE

# Codes have one length per level in both lists, so a code alone tells its level.
LEVEL_OF_CODE_LENGTH = {2: UnitLevel.PROVINCE, 3: UnitLevel.DISTRICT, 5: UnitLevel.COMMUNE}


def edition_at(at: date) -> str:
    """The code list in force on a date."""
    return Edition.CURRENT if at >= REFORM_DATE else Edition.PRE_2025


def _level(code: str, level: str | None) -> str | None:
    return level or LEVEL_OF_CODE_LENGTH.get(len(code))


def current_units_for_old_code(code: str, level: str = UnitLevel.COMMUNE) -> list[tuple[AdministrativeUnit, str]]:
    """The 2025 unit(s) a 2004-list unit went into, with how (full, partial, unchanged), by code.

    Several results mean the old unit was split: an address in it needs a person to confirm which
    new unit it now belongs to. An island district (level "district") became a special zone.
    """
    successions = (
        UnitSuccession.objects.filter(old_unit__edition=Edition.PRE_2025, old_unit__level=level, old_unit__code=code)
        .select_related("new_unit", "new_unit__parent")
        .order_by("new_unit__code")
    )
    return [(s.new_unit, s.kind) for s in successions]


def old_units_of(code: str, level: str = UnitLevel.COMMUNE) -> list[tuple[AdministrativeUnit, str]]:
    """The 2004-list units a 2025 unit was formed from, with how much of each it took."""
    successions = (
        UnitSuccession.objects.filter(new_unit__edition=Edition.CURRENT, new_unit__level=level, new_unit__code=code)
        .select_related("old_unit", "old_unit__parent", "old_unit__parent__parent")
        .order_by("old_unit__level", "old_unit__code")
    )
    return [(s.old_unit, s.kind) for s in successions]


def unit_valid_at(code: str, at: date, level: str | None = None) -> AdministrativeUnit | None:
    """The unit a code named on a date; None if it named none (e.g. a district code after 30/6/2025)."""
    units = AdministrativeUnit.objects.filter(edition=edition_at(at), code=code).select_related("parent")
    level = _level(code, level)
    if level:
        units = units.filter(level=level)
    units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=at), Q(valid_to__isnull=True) | Q(valid_to__gte=at))
    return units.first()


def list_units(edition: str | None = None, level: str | None = None, parent_code: str | None = None,
               q: str = "") -> QuerySet[AdministrativeUnit]:
    """Units filtered by list, level, parent code and a search text (a name in any spelling, or a code)."""
    units = AdministrativeUnit.objects.select_related("parent")
    if edition:
        units = units.filter(edition=edition)
    if level:
        units = units.filter(level=level)
    if parent_code:
        units = units.filter(parent__code=parent_code)
    q = (q or "").strip()
    if q.isdigit():
        units = units.filter(code__startswith=q)
    elif q:
        units = units.filter(name_folded__contains=fold(q))
    return units.order_by("edition", "level", "code")


def get_unit(edition: str, code: str, level: str | None = None) -> AdministrativeUnit | None:
    units = AdministrativeUnit.objects.filter(edition=edition, code=code).select_related("parent", "parent__parent")
    level = _level(code, level)
    if level:
        units = units.filter(level=level)
    return units.first()


def list_agencies(level: str | None = None, q: str = "", unit_code: str | None = None) -> QuerySet[Agency]:
    """Agencies filtered by level, search text (name in any spelling, or organ-code prefix) and unit.

    `unit_code` keeps the agencies serving that unit or a unit inside it (a province code also
    finds its district and commune People's Committees), in either code list: "80" is Long An
    before 2025 and Tây Ninh after.
    """
    agencies = Agency.objects.select_related("unit", "parent", "successor")
    if level:
        agencies = agencies.filter(level=level)
    q = (q or "").strip()
    if q and q[0].isdigit():
        agencies = agencies.filter(organ_code__startswith=q.upper())
    elif q:
        agencies = agencies.filter(name_folded__contains=fold(q))
    if unit_code:
        agencies = agencies.filter(
            Q(unit__code=unit_code) | Q(unit__parent__code=unit_code) | Q(unit__parent__parent__code=unit_code)
        )
    # NULLs sort first on SQLite and last on PostgreSQL; say where they go so both agree.
    return agencies.order_by(F("organ_code").asc(nulls_last=True), "name")


def get_agency(organ_code_or_slug: str) -> Agency | None:
    """An agency by organ code (any letter case) or by slug."""
    value = (organ_code_or_slug or "").strip()
    agencies = Agency.objects.select_related("unit", "parent", "successor")
    if ORGAN_CODE_RE.match(value.upper()):
        return agencies.filter(organ_code=value.upper()).first()
    return agencies.filter(slug=value).first()
