"""The one read the API makes outside the catalogue's selectors: browsing by code, keyset-paged.

`catalog.search.search_procedures()` pages by offset (ranked results have no stable key). For a
browse (no query) the API pages by code instead, so it needs the same filters over the same
search projection with a `code > cursor` condition. The filter semantics mirror
`search_procedures()`; `test_browse_matches_search` guards that they stay the same. This could
move to `catalog/selectors.py` as `browse_procedures()`.
"""

from django.db.models import Q, QuerySet

from motcua.catalog.choices import VersionStatus
from motcua.catalog.models import SearchDocument

# Levels a search can filter on: the search projection has one column per level. "other" (cơ quan
# khác) has none yet, so the API rejects it as a filter rather than silently ignoring it.
FILTERABLE_LEVELS = tuple(str(level) for level in SearchDocument.LEVEL_FIELDS)


def browse_queryset(
    *, levels=(), domain_ids=(), agency_ids=(), online_service=(), include_abolished=False
) -> QuerySet[SearchDocument]:
    qs = SearchDocument.objects.all()
    if not include_abolished:
        qs = qs.exclude(status=VersionStatus.ABOLISHED)
    if levels:
        any_level = Q()
        for level in levels:
            # The API only accepts levels the projection has a column for (FILTERABLE_LEVELS).
            any_level |= Q(**{SearchDocument.LEVEL_FIELDS[level]: True})
        qs = qs.filter(any_level)
    if domain_ids:
        qs = qs.filter(domain_id__in=domain_ids)
    if agency_ids:
        qs = qs.filter(issuing_agency_id__in=agency_ids)
    if online_service:
        qs = qs.filter(online_service__in=online_service)
    return qs
