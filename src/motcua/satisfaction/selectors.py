"""Reads of the satisfaction context, including the contract the indicators context codes against.

Contract (docs/satisfaction.md, “Contract”): `rating_fact`, `rating_facts`, `sipas_index` and the
outbox topic `satisfaction.rated` keep their names and fields.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from motcua.dossiers.choices import Channel, Stage
from motcua.dossiers.models import Dossier
from motcua.satisfaction import formulas
from motcua.satisfaction.choices import Level, SipasChannel, SipasContent, SipasLevel
from motcua.satisfaction.models import (
    Rating,
    RatingCriterion,
    SipasAnswer,
    SipasCampaign,
    SipasCriterion,
    SipasElement,
)
from motcua.units.choices import Edition, UnitLevel
from motcua.units.models import AdministrativeUnit, UnitSuccession

# ----------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class RatingFact:
    dossier_id: int
    agency_id: int
    level: str
    score: Decimal | None
    rated_at: datetime
    unsatisfactory: bool


def _fact(row: dict) -> RatingFact:
    return RatingFact(
        dossier_id=row["dossier_id"], agency_id=row["dossier__receiving_agency_id"], level=row["level"],
        score=row["score"], rated_at=row["rated_at"], unsatisfactory=row["level"] == Level.NOT_SATISFIED,
    )


_FACT_FIELDS = ("dossier_id", "dossier__receiving_agency_id", "level", "score", "rated_at")


def rating_fact(dossier_id: int) -> RatingFact | None:
    row = Rating.objects.filter(dossier_id=dossier_id).values(*_FACT_FIELDS).first()
    return _fact(row) if row else None


def rating_facts(*, rated_from: datetime, rated_to: datetime) -> Iterator[RatingFact]:
    """Ratings first given in [rated_from, rated_to), with their current level and score."""
    rows = (Rating.objects.filter(rated_at__gte=rated_from, rated_at__lt=rated_to)
            .order_by("rated_at", "id").values(*_FACT_FIELDS))
    for row in rows.iterator(chunk_size=2000):
        yield _fact(row)


def criteria_in_force(on: date) -> list[RatingCriterion]:
    """For each criterion number, the newest row effective on `on`, unless that row retires it."""
    rows = RatingCriterion.objects.filter(effective_from__lte=on).order_by("number", "-effective_from", "-id")
    latest: dict[int, RatingCriterion] = {}
    for row in rows:
        latest.setdefault(row.number, row)
    return [c for c in latest.values() if c.active]


def rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).prefetch_related("answers__criterion").first()


def agency_ratings(agency_ids, *, limit: int = 200):
    return (Rating.objects.filter(dossier__receiving_agency_id__in=agency_ids)
            .select_related("dossier", "dossier__receiving_agency").order_by("-changed_at")[:limit])


# ----------------------------------------------------------------------------- units of a province

def province_unit_ids(province: AdministrativeUnit) -> set[int]:
    """The province (2025 list), its communes, and the 2004-list provinces merged into it with
    their districts and communes: an agency serving any of these belongs to the province."""
    old = list(UnitSuccession.objects.filter(new_unit=province, old_unit__level=UnitLevel.PROVINCE)
               .values_list("old_unit_id", flat=True))
    roots = [province.pk, *old]
    ids = set(roots)
    ids |= set(AdministrativeUnit.objects.filter(parent_id__in=roots).values_list("id", flat=True))
    ids |= set(AdministrativeUnit.objects.filter(parent__parent_id__in=roots).values_list("id", flat=True))
    return ids


def province_of_unit(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The 2025-list province a unit of either list lies in now."""
    while unit is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    if unit is None or unit.edition == Edition.CURRENT:
        return unit
    succession = UnitSuccession.objects.filter(old_unit=unit).select_related("new_unit").first()
    return succession.new_unit if succession else None


def current_provinces():
    return AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.PROVINCE).order_by("code")


# ----------------------------------------------------------------------------- SIPAS population

def stratum_level(unit_level: str | None) -> str:
    return unit_level if unit_level in SipasLevel.values else SipasLevel.PROVINCE


def stratum_channel(channel: str | None) -> str:
    return SipasChannel.ONLINE if channel == Channel.ONLINE else SipasChannel.IN_PERSON


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[local midnight of start, local midnight after end): the period's days in Vietnam's time."""
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))


def sipas_population(province: AdministrativeUnit, start: date, end: date) -> dict[tuple[str, str], list[int]]:
    """Dossiers whose result was handed over in the period by an agency of the province, by stratum
    (level of the agency's unit, channel)."""
    since, until = period_bounds(start, end)
    rows = (Dossier.objects.filter(stage=Stage.RETURNED, returned_at__gte=since, returned_at__lt=until,
                                   receiving_agency__unit_id__in=province_unit_ids(province))
            .values_list("id", "channel", "receiving_agency__unit__level"))
    strata: dict[tuple[str, str], list[int]] = defaultdict(list)
    for dossier_id, channel, unit_level in rows.iterator(chunk_size=5000):
        strata[(stratum_level(unit_level), stratum_channel(channel))].append(dossier_id)
    return dict(strata)


# ----------------------------------------------------------------------------- SIPAS index

@dataclass(frozen=True)
class SipasBreakdown:
    """The index of one group of respondents: overall, per element number, per criterion code."""

    respondents: int
    overall: Decimal | None
    elements: dict[int, Decimal | None]
    criteria: dict[str, Decimal | None]


@dataclass(frozen=True)
class SipasIndex(SipasBreakdown):
    by_level: dict[str, SipasBreakdown] = field(default_factory=dict)
    by_channel: dict[str, SipasBreakdown] = field(default_factory=dict)
    by_agency: dict[int, SipasBreakdown] = field(default_factory=dict)


def _breakdown(answers: list[tuple[int, str, int]], respondents: int,
               structure: list[tuple[int, list[str]]]) -> SipasBreakdown:
    """answers: (element number, criterion code, value) of satisfaction questions."""
    values: dict[str, list[int]] = defaultdict(list)
    for _element, code, value in answers:
        values[code].append(value)
    criteria = {code: formulas.criterion_index(values.get(code, [])) for _n, codes in structure for code in codes}
    elements = {n: formulas.mean(criteria[c] for c in codes) for n, codes in structure}
    overall = formulas.mean(elements.values())
    return SipasBreakdown(
        respondents=respondents, overall=formulas.to_decimal(overall),
        elements={n: formulas.to_decimal(v) for n, v in elements.items()},
        criteria={c: formulas.to_decimal(v) for c, v in criteria.items()},
    )


def sipas_structure() -> list[tuple[int, list[str]]]:
    """(element number, [satisfaction criterion codes]) for every element, in order."""
    structure: dict[int, list[str]] = {e.number: [] for e in SipasElement.objects.order_by("number")}
    for number, code in (SipasCriterion.objects.filter(content=SipasContent.SATISFACTION, active=True)
                         .order_by("element__number", "order").values_list("element__number", "code")):
        structure[number].append(code)
    return list(structure.items())


def campaign_index(campaigns) -> SipasIndex:
    """The index over every response to the given campaigns, with its breakdowns."""
    structure = sipas_structure()
    rows = list(
        SipasAnswer.objects.filter(response__invitation__campaign__in=campaigns,
                                   criterion__content=SipasContent.SATISFACTION, criterion__active=True)
        .values_list("response_id", "response__invitation__level", "response__invitation__channel",
                     "response__invitation__agency_id", "criterion__element__number", "criterion__code", "value")
    )
    groups: dict[str, dict] = {"level": defaultdict(list), "channel": defaultdict(list), "agency": defaultdict(list)}
    people: dict[str, dict] = {"level": defaultdict(set), "channel": defaultdict(set), "agency": defaultdict(set)}
    everyone: set[int] = set()
    answers = []
    for response, level, channel, agency, element, code, value in rows:
        answer = (element, code, value)
        answers.append(answer)
        everyone.add(response)
        for key, group in (("level", level), ("channel", channel), ("agency", agency)):
            groups[key][group].append(answer)
            people[key][group].add(response)
    whole = _breakdown(answers, len(everyone), structure)

    def split(key: str, keys) -> dict:
        return {k: _breakdown(groups[key].get(k, []), len(people[key].get(k, ())), structure) for k in keys}

    return SipasIndex(
        respondents=whole.respondents, overall=whole.overall, elements=whole.elements, criteria=whole.criteria,
        # District appears only for periods before the reform (a 2004-list unit as filed).
        by_level=split("level", [lv for lv in SipasLevel.values
                                 if lv != SipasLevel.DISTRICT or lv in groups["level"]]),
        by_channel=split("channel", SipasChannel.values),
        by_agency=split("agency", sorted(groups["agency"])),
    )


def campaigns_for(province_code: str, period: str):
    """Campaigns of a 2025-list province whose period lies in `period` ("2026", "2026-Q2", "2026-05")."""
    start, end = parse_period(period)
    return SipasCampaign.objects.filter(province__edition=Edition.CURRENT, province__level=UnitLevel.PROVINCE,
                                        province__code=province_code, period_start__gte=start, period_end__lte=end)


def parse_period(period: str) -> tuple[date, date]:
    """"2026" → the year; "2026-Q2" → the quarter; "2026-05" → the month. ValueError otherwise."""
    text = (period or "").strip().upper()
    year, _sep, rest = text.partition("-")
    if not (year.isdigit() and len(year) == 4):
        raise ValueError(period)
    y = int(year)
    if not rest:
        return date(y, 1, 1), date(y, 12, 31)
    if rest.startswith("Q") and rest[1:] in {"1", "2", "3", "4"}:
        q = int(rest[1:])
        first = date(y, 3 * q - 2, 1)
        last = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
        return first, last - timedelta(days=1)
    if rest.isdigit() and 1 <= int(rest) <= 12:
        m = int(rest)
        last = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return date(y, m, 1), last - timedelta(days=1)
    raise ValueError(period)


def sipas_index(*, province_code: str, period: str) -> SipasIndex:
    """The SIPAS index of a province (2025 code) over the campaigns of a period; None where no answers."""
    return campaign_index(campaigns_for(province_code, period))


def campaign_progress(campaign: SipasCampaign) -> dict:
    invitations = campaign.invitations
    return {
        "invited": invitations.count(),
        "answered": invitations.filter(response__isnull=False).count(),
        "emailed": invitations.filter(emailed_at__isnull=False).count(),
        "last_answer": invitations.aggregate(last=Max("response__submitted_at"))["last"],
    }


def assessment_counts(campaign: SipasCampaign) -> list[tuple[SipasCriterion, list[tuple[str, int]]]]:
    """For each assessment/expectation question, how many chose each choice."""
    questions = list(SipasCriterion.objects.filter(~Q(content=SipasContent.SATISFACTION), active=True)
                     .select_related("element").order_by("element__number", "order"))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for criterion_id, value in SipasAnswer.objects.filter(
            response__invitation__campaign=campaign, criterion__in=questions).values_list("criterion_id", "value"):
        counts[(criterion_id, value)] += 1
    return [(q, [(label, counts[(q.pk, i)]) for i, label in enumerate(q.choices)]) for q in questions]
