"""Procedure search: Vietnamese typed with or without diacritics.

INTERFACE (stable; portal and API depend on it): `search_procedures()` returns `SearchResults`.
This first version matches folded words with LIKE; the real ranking backends replace its inside.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from motcua.catalog.choices import Level, OnlineService, VersionStatus
from motcua.catalog.models import SearchDocument
from motcua.lib.text import fold


@dataclass
class SearchHit:
    procedure_id: int
    code: str
    name: str
    status: str
    online_service: str
    domain_id: int | None
    issuing_agency_id: int | None
    levels: list[str]
    score: float = 0.0


@dataclass
class FacetValue:
    value: str  # the filter value (a Level, an id as str, an OnlineService)
    label: str
    count: int


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)  # keys: level, domain, agency, online_service


def search_procedures(
    query: str = "",
    *,
    levels: list[str] | tuple = (),
    domain_ids: list[int] | tuple = (),
    agency_ids: list[int] | tuple = (),
    online_service: list[str] | tuple = (),
    include_abolished: bool = False,
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchResults:
    """Ranked procedures for a query (empty query: browse by code) under the given filters."""
    qs = SearchDocument.objects.all()
    if not include_abolished:
        qs = qs.exclude(status=VersionStatus.ABOLISHED)
    filtered = _filter(qs, levels, domain_ids, agency_ids, online_service)
    words = fold(query).split()
    for word in words:
        filtered = filtered.filter(body_folded__contains=word)
    total = filtered.count()
    rows = filtered.order_by("code")[offset : offset + limit]
    hits = [_hit(doc) for doc in rows.select_related(None)]
    facets = _facets(filtered) if with_facets else {}
    return SearchResults(hits=hits, total=total, facets=facets)


def _filter(qs, levels, domain_ids, agency_ids, online_service):
    if levels:
        cond = Q()
        for level in levels:
            fieldname = SearchDocument.LEVEL_FIELDS.get(level)
            if fieldname:
                cond |= Q(**{fieldname: True})
        qs = qs.filter(cond)
    if domain_ids:
        qs = qs.filter(domain_id__in=domain_ids)
    if agency_ids:
        qs = qs.filter(issuing_agency_id__in=agency_ids)
    if online_service:
        qs = qs.filter(online_service__in=online_service)
    return qs


def _hit(doc: SearchDocument, score: float = 0.0) -> SearchHit:
    levels = [level for level, fieldname in SearchDocument.LEVEL_FIELDS.items() if getattr(doc, fieldname)]
    return SearchHit(
        procedure_id=doc.procedure_id, code=doc.code, name=doc.name, status=doc.status,
        online_service=doc.online_service, domain_id=doc.domain_id, issuing_agency_id=doc.issuing_agency_id,
        levels=levels, score=score,
    )


def _facets(qs) -> dict[str, list[FacetValue]]:
    from motcua.catalog.models import Domain
    from motcua.units.models import Agency

    facets: dict[str, list[FacetValue]] = {}
    counts = qs.aggregate(**{level: Count("pk", filter=Q(**{f: True})) for level, f in SearchDocument.LEVEL_FIELDS.items()})
    facets["level"] = [FacetValue(level, str(Level(level).label), n) for level, n in counts.items() if n]
    domain_rows = qs.values("domain_id").annotate(n=Count("pk")).order_by("-n")
    names = dict(Domain.objects.filter(pk__in=[r["domain_id"] for r in domain_rows]).values_list("pk", "name"))
    facets["domain"] = [FacetValue(str(r["domain_id"]), names[r["domain_id"]], r["n"]) for r in domain_rows if r["domain_id"]]
    agency_rows = qs.values("issuing_agency_id").annotate(n=Count("pk")).order_by("-n")
    anames = dict(Agency.objects.filter(pk__in=[r["issuing_agency_id"] for r in agency_rows]).values_list("pk", "name"))
    facets["agency"] = [
        FacetValue(str(r["issuing_agency_id"]), anames[r["issuing_agency_id"]], r["n"]) for r in agency_rows if r["issuing_agency_id"]
    ]
    os_rows = qs.values("online_service").annotate(n=Count("pk")).order_by("-n")
    facets["online_service"] = [FacetValue(r["online_service"], str(OnlineService(r["online_service"]).label), r["n"]) for r in os_rows]
    return facets
