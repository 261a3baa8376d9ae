"""Reads of the catalogue for pages and the API (search lives in catalog/search.py)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from motcua.catalog.choices import Level, OnlineService, VersionStatus
from motcua.catalog.models import Channel, Domain, Procedure, ProcedureVersion, SearchDocument
from motcua.units.models import Agency


def version_queryset() -> QuerySet[ProcedureVersion]:
    """Versions with every part they show, in a constant number of queries."""
    return ProcedureVersion.objects.select_related("procedure", "decision", "domain").prefetch_related(
        "steps",
        Prefetch("channels", queryset=Channel.objects.prefetch_related("fees")),
        "components",
        "legal_bases__document",
        "agencies__agency",
    )


def get_procedure(code: str) -> Procedure | None:
    """The procedure with this code, its current version fully loaded, and its version history."""
    procedure = (
        Procedure.objects.filter(code=code)
        .select_related("template", "owner_agency", "replaced_by")
        .prefetch_related(
            Prefetch("versions", queryset=ProcedureVersion.objects.select_related("decision").order_by("-number"))
        )
        .first()
    )
    if procedure is None:
        return None
    if procedure.current_version_id:
        procedure.current = version_queryset().get(pk=procedure.current_version_id)
    else:
        procedure.current = None
    return procedure


def get_procedure_version(code: str, number: int) -> tuple[Procedure, ProcedureVersion] | None:
    """One published version of a procedure (any, not only the current one), fully loaded.

    The procedure comes with its version history, as from `get_procedure`, but without loading the
    current version's parts: a reader of an old version only sees that version.
    """
    procedure = (
        Procedure.objects.filter(code=code)
        .select_related("template", "owner_agency", "replaced_by")
        .prefetch_related(
            Prefetch("versions", queryset=ProcedureVersion.objects.select_related("decision").order_by("-number"))
        )
        .first()
    )
    if procedure is None:
        return None
    version = version_queryset().filter(procedure=procedure, number=number).first()
    if version is None:
        return None
    return procedure, version


# --- Browse lists and statistics --------------------------------------------------------------
# All of them read the search projection (one row per procedure, its current version), so a count
# here is the count a search with the same filter returns. Abolished procedures are not counted:
# the catalogue's headline figures are about what a citizen can file today.


@dataclass(frozen=True)
class GroupCount:
    """How many live procedures fall in one group (a level, domain or agency) and how many are online."""

    key: str  # the Level value, or the domain/agency slug
    label: str
    count: int
    online_full: int = 0
    online_partial: int = 0
    pk: int | None = None

    @property
    def online(self) -> int:
        return self.online_full + self.online_partial

    @property
    def online_share(self) -> float:
        """Percentage (0–100) of the group's procedures offered as an online service."""
        return 100 * self.online / self.count if self.count else 0.0


@dataclass(frozen=True)
class CatalogueFigures:
    """The catalogue's headline numbers, as on the national portal's front page."""

    procedures: int
    abolished: int
    online_full: int
    online_partial: int
    domains: int
    agencies: int

    @property
    def online(self) -> int:
        return self.online_full + self.online_partial

    @property
    def information_only(self) -> int:
        return self.procedures - self.online

    def share(self, count: int) -> float:
        return 100 * count / self.procedures if self.procedures else 0.0

    @property
    def online_share(self) -> float:
        return self.share(self.online)


@dataclass(frozen=True)
class CatalogueStatistics:
    figures: CatalogueFigures
    levels: list[GroupCount]
    domains: list[GroupCount]
    agencies: list[GroupCount]


_LIVE = ~Q(status=VersionStatus.ABOLISHED)
_FULL = Q(online_service=OnlineService.FULL)
_PARTIAL = Q(online_service=OnlineService.PARTIAL)


def _live_documents() -> QuerySet[SearchDocument]:
    return SearchDocument.objects.filter(_LIVE)


def catalogue_figures() -> CatalogueFigures:
    """Headline figures in one aggregate query."""
    row = SearchDocument.objects.aggregate(
        procedures=Count("pk", filter=_LIVE),
        abolished=Count("pk", filter=~_LIVE),
        online_full=Count("pk", filter=_LIVE & _FULL),
        online_partial=Count("pk", filter=_LIVE & _PARTIAL),
        domains=Count("domain", filter=_LIVE, distinct=True),
        agencies=Count("issuing_agency", filter=_LIVE, distinct=True),
    )
    return CatalogueFigures(**row)


def level_counts() -> list[GroupCount]:
    """Live procedures per level of execution (a procedure done at several levels counts in each)."""
    aggregates = {}
    for level, field in SearchDocument.LEVEL_FIELDS.items():
        at_level = Q(**{field: True})
        aggregates[f"{level}__all"] = Count("pk", filter=at_level)
        aggregates[f"{level}__full"] = Count("pk", filter=at_level & _FULL)
        aggregates[f"{level}__partial"] = Count("pk", filter=at_level & _PARTIAL)
    row = _live_documents().aggregate(**aggregates)
    return [
        GroupCount(
            key=level, label=str(Level(level).label), count=row[f"{level}__all"],
            online_full=row[f"{level}__full"], online_partial=row[f"{level}__partial"],
        )
        for level in SearchDocument.LEVEL_FIELDS
    ]


def _group_counts(field: str) -> list[GroupCount]:
    rows = (
        _live_documents()
        .filter(**{f"{field}__isnull": False})
        .values(f"{field}_id", f"{field}__name", f"{field}__slug")
        .annotate(n=Count("pk"), full=Count("pk", filter=_FULL), partial=Count("pk", filter=_PARTIAL))
        .order_by("-n", f"{field}__name")
    )
    return [
        GroupCount(
            key=row[f"{field}__slug"], label=row[f"{field}__name"], count=row["n"],
            online_full=row["full"], online_partial=row["partial"], pk=row[f"{field}_id"],
        )
        for row in rows
    ]


def domain_counts() -> list[GroupCount]:
    """Every domain with live procedures, largest first, in one query."""
    return _group_counts("domain")


def agency_counts() -> list[GroupCount]:
    """Every issuing agency (cơ quan ban hành) with live procedures, largest first, in one query."""
    return _group_counts("issuing_agency")


def catalogue_statistics() -> CatalogueStatistics:
    """Everything the statistics page shows, in four aggregate queries."""
    return CatalogueStatistics(
        figures=catalogue_figures(), levels=level_counts(), domains=domain_counts(), agencies=agency_counts(),
    )


def get_domain(slug: str) -> Domain | None:
    return Domain.objects.filter(slug=slug).first()


def get_agency(slug: str) -> Agency | None:
    return Agency.objects.filter(slug=slug).first()


def names_by_id(domain_ids, agency_ids) -> tuple[dict[int, str], dict[int, str]]:
    """Names of the given domains and agencies (for the filters a visitor has applied)."""
    domains = dict(Domain.objects.filter(pk__in=domain_ids).values_list("pk", "name")) if domain_ids else {}
    agencies = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name")) if agency_ids else {}
    return domains, agencies


def labels_for_hits(hits) -> tuple[dict[int, Domain], dict[int, Agency]]:
    """The domains and agencies a page of search hits names, in at most two queries."""
    domain_ids = {hit.domain_id for hit in hits if hit.domain_id}
    agency_ids = {hit.issuing_agency_id for hit in hits if hit.issuing_agency_id}
    domains = Domain.objects.in_bulk(domain_ids) if domain_ids else {}
    agencies = Agency.objects.in_bulk(agency_ids) if agency_ids else {}
    return domains, agencies
