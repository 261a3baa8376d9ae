"""Shapes search results into what the templates show: links that keep the query, facets, pages.

Presentation only: which procedures match and how many is decided by catalog.search; this module
decides which URL each link points at.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import Level, OnlineService
from motcua.catalog.search import SearchHit, SearchResults
from motcua.portal.forms import LEVEL_SLUGS, ONLINE_SLUGS, PAGE_SIZE, SLUG_OF_LEVEL, SLUG_OF_ONLINE

FACET_GROUPS = (
    # (key in SearchResults.facets, query-string parameter, heading)
    ("level", "cap", _("Cấp thực hiện")),
    ("online_service", "dvc", _("Dịch vụ công trực tuyến")),
    ("domain", "linh_vuc", _("Lĩnh vực")),
    ("agency", "co_quan", _("Cơ quan ban hành")),
)
# Long facet lists (158 domains) show their largest values first and the rest behind a disclosure.
FACET_VISIBLE = 8

ONLINE_BADGES = {
    OnlineService.FULL: ("full", _("DVC trực tuyến toàn trình")),
    OnlineService.PARTIAL: ("partial", _("DVC trực tuyến một phần")),
    OnlineService.NONE: ("none", _("Chỉ cung cấp thông tin")),
}


def _to_param(group_param: str, value: str) -> str:
    """A facet's catalogue value as it appears in the URL."""
    if group_param == "cap":
        return SLUG_OF_LEVEL.get(value, value)
    if group_param == "dvc":
        return SLUG_OF_ONLINE.get(value, value)
    return str(value)


@dataclass
class QueryState:
    """The current query string of a listing, able to produce the URL of any variation of it."""

    path: str
    params: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_form(cls, path: str, form) -> "QueryState":
        data = form.cleaned_data
        params = {
            "q": [data["q"]] if data.get("q") else [],
            "cap": [_to_param("cap", v) for v in data.get("cap", [])],
            "linh_vuc": [str(v) for v in data.get("linh_vuc", [])],
            "co_quan": [str(v) for v in data.get("co_quan", [])],
            "dvc": [_to_param("dvc", v) for v in data.get("dvc", [])],
        }
        return cls(path, {k: v for k, v in params.items() if v})

    def url(self, page: int | None = None, **changes: list[str]) -> str:
        """This listing's URL with some parameters replaced (an empty list removes one); page 1 is implicit."""
        query = QueryDict(mutable=True)
        merged = {**self.params, **changes}
        for key in ("q", "cap", "dvc", "linh_vuc", "co_quan"):
            if merged.get(key):
                query.setlist(key, merged[key])
        if page and page > 1:
            query["trang"] = str(page)
        encoded = query.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path

    def hidden_inputs(self) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs, for hidden inputs that carry them with the next query."""
        return [(key, value) for key in ("cap", "dvc", "linh_vuc", "co_quan") for value in self.params.get(key, [])]

    def without_filters(self) -> str:
        return self.url(cap=[], dvc=[], linh_vuc=[], co_quan=[])


@dataclass
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


@dataclass
class FacetGroup:
    param: str
    heading: str
    links: list[FacetLink]
    clear_url: str | None  # set when the group has an active filter

    @property
    def visible(self) -> list[FacetLink]:
        return self.links[:FACET_VISIBLE]

    @property
    def more(self) -> list[FacetLink]:
        return self.links[FACET_VISIBLE:]


def facet_groups(results: SearchResults, state: QueryState) -> list[FacetGroup]:
    """Each facet as links: a link selects its value in its group (or clears it when selected).

    One value per group at a time, and a group with a value selected shows only that value: the
    counts are computed on the filtered results, so for the other values of that group they would
    not be what their link leads to. Every count shown is exactly the number of results its link
    gives; groups combine with each other and with the query.
    """
    groups = []
    for key, param, heading in FACET_GROUPS:
        active = state.params.get(param, [])
        links = []
        for facet in results.facets.get(key, []):
            value = _to_param(param, facet.value)
            selected = value in active
            if active and not selected:
                continue
            links.append(FacetLink(
                label=facet.label, count=facet.count, selected=selected,
                url=state.url(**{param: [] if selected else [value]}),
            ))
        if links or active:
            groups.append(FacetGroup(param, str(heading), links, state.url(**{param: []}) if active else None))
    return groups


@dataclass
class ActiveFilter:
    heading: str
    label: str
    remove_url: str


def active_filters(state: QueryState, domain_names: dict[int, str], agency_names: dict[int, str]) -> list[ActiveFilter]:
    """The filters in force, each with a link that removes it."""
    headings = {param: str(heading) for _key, param, heading in FACET_GROUPS}
    labels = {
        "cap": {slug: str(Level(level).label) for slug, level in LEVEL_SLUGS.items()},
        "dvc": {slug: str(OnlineService(value).label) for slug, value in ONLINE_SLUGS.items()},
        "linh_vuc": {str(pk): name for pk, name in domain_names.items()},
        "co_quan": {str(pk): name for pk, name in agency_names.items()},
    }
    out = []
    for param in ("cap", "dvc", "linh_vuc", "co_quan"):
        for value in state.params.get(param, []):
            # An id that names nothing (a stale link) still shows, so it can be removed.
            label = labels[param].get(value) or gettext("không tồn tại (mã %(id)s)") % {"id": value}
            rest = [v for v in state.params[param] if v != value]
            out.append(ActiveFilter(headings[param], label, state.url(**{param: rest})))
    return out


@dataclass
class PageLink:
    number: int | None  # None for a gap (…)
    url: str = ""
    current: bool = False


@dataclass
class Pagination:
    page: int
    pages: int
    total: int
    first_index: int
    last_index: int
    previous_url: str | None
    next_url: str | None
    links: list[PageLink]


def pagination(total: int, page: int, state: QueryState, per_page: int = PAGE_SIZE) -> Pagination:
    pages = max(1, -(-total // per_page))
    window = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[PageLink] = []
    for number in window:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, state.url(page=number), number == page))
    return Pagination(
        page=page, pages=pages, total=total,
        first_index=min(total, (page - 1) * per_page + 1), last_index=min(total, page * per_page),
        previous_url=state.url(page=page - 1) if page > 1 else None,
        next_url=state.url(page=page + 1) if page < pages else None,
        links=links if pages > 1 else [],
    )


@dataclass
class HitView:
    """A search hit with the names its card shows."""

    hit: SearchHit
    domain: object | None
    agency: object | None
    level_labels: list[tuple[str, str]]  # (slug, label)
    online_badge: tuple[str, str]


def hit_views(hits: list[SearchHit], domains: dict, agencies: dict) -> list[HitView]:
    return [
        HitView(
            hit=hit,
            domain=domains.get(hit.domain_id),
            agency=agencies.get(hit.issuing_agency_id),
            level_labels=[(SLUG_OF_LEVEL.get(level, level), str(Level(level).label)) for level in hit.levels],
            online_badge=ONLINE_BADGES.get(hit.online_service, ONLINE_BADGES[OnlineService.NONE]),
        )
        for hit in hits
    ]
