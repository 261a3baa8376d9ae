"""The public pages. Each view reads through catalog selectors/search and hands the result to a template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from motcua.catalog.choices import Level, OnlineService
from motcua.catalog.search import search_procedures
from motcua.catalog.selectors import (
    agency_counts,
    catalogue_figures,
    catalogue_statistics,
    domain_counts,
    get_agency,
    get_domain,
    get_procedure,
    get_procedure_version,
    labels_for_hits,
    level_counts,
    names_by_id,
)
from motcua.lib.text import fold
from motcua.portal.forms import LEVEL_SLUGS, PAGE_SIZE, SLUG_OF_ONLINE, SearchForm
from motcua.portal.presenters import (
    QueryState,
    active_filters,
    facet_groups,
    hit_views,
    pagination,
)
from motcua.portal.procedure_view import procedure_page

# htmx targets: the home page's live suggestions and the search page's results region.
SUGGEST_TARGET = "goi-y"
RESULTS_TARGET = "ket-qua"
SUGGESTION_COUNT = 6
HOME_DOMAINS = 12


def _htmx_target(request: HttpRequest) -> str | None:
    """The element an htmx request will swap, or None for a normal page load.

    A history-restore request (back button with an evicted cache) wants the whole page.
    """
    if request.headers.get("HX-Request") != "true" or request.headers.get("HX-History-Restore-Request"):
        return None
    return request.headers.get("HX-Target") or RESULTS_TARGET


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    # The same URL answers with a fragment or a page depending on this header: caches must know.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/home.html", {
        "figures": catalogue_figures(),
        "levels": _level_rows(level_counts()),
        "domains": domain_counts()[:HOME_DOMAINS],
        "agencies": agency_counts(),
    })


def _level_rows(rows) -> list[tuple[str, object]]:
    """(URL slug, counts) for each level a visitor can browse."""
    by_level = {row.key: row for row in rows}
    return [(slug, by_level[level]) for slug, level in LEVEL_SLUGS.items()]


def search(request: HttpRequest) -> HttpResponse:
    target = _htmx_target(request)
    form = SearchForm(request.GET)
    path = reverse("portal:search")
    if not form.is_valid():
        template = {
            SUGGEST_TARGET: "portal/partials/suggestions.html", RESULTS_TARGET: "portal/partials/results.html",
        }.get(target, "portal/search.html")
        return _render(request, template, {
            "form": form, "errors": form.error_list(), "q": request.GET.get("q", "")[:200],
            "clear_url": path, "htmx": bool(target),
        }, status=400)

    query = form.cleaned_data["q"]
    if target == SUGGEST_TARGET:
        if not query:  # the box was emptied: clear the suggestions
            return _render(request, "portal/partials/suggestions.html", {"q": ""})
        results = search_procedures(query, limit=SUGGESTION_COUNT, with_facets=False)
        domains, agencies = labels_for_hits(results.hits)
        return _render(request, "portal/partials/suggestions.html", {
            "q": query, "results": results, "hits": hit_views(results.hits, domains, agencies),
            "all_url": QueryState(path, {"q": [query]} if query else {}).url(),
        })

    state = QueryState.from_form(path, form)
    page = form.page
    arguments = form.search_arguments()
    results = search_procedures(query, **arguments, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    domains, agencies = labels_for_hits(results.hits)
    domain_names, agency_names = names_by_id(arguments["domain_ids"], arguments["agency_ids"])
    pages = pagination(results.total, page, state)
    context = {
        "form": form, "q": query, "results": results, "state": state,
        "hits": hit_views(results.hits, domains, agencies),
        "facets": facet_groups(results, state),
        "filters": active_filters(state, domain_names, agency_names),
        "pagination": pages, "clear_url": state.without_filters(),
        "htmx": bool(target),
    }
    status = 200
    if page > pages.pages:
        # A page past the end (an old bookmark, a hand-edited URL): say so instead of an empty list.
        context["page_error"] = _("Không có trang %(page)s: kết quả chỉ có %(pages)s trang.") % {
            "page": page, "pages": pages.pages,
        }
        context["first_page_url"] = state.url()
        status = 404
    elif results.total == 0 and form.has_filters and query:
        context["unfiltered_total"] = search_procedures(query, limit=0, with_facets=False).total
    template = "portal/partials/results.html" if target else "portal/search.html"
    return _render(request, template, context, status=status)


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_procedure(code)
    if procedure is None or procedure.current is None:
        return _not_found(request, _("Không tìm thấy thủ tục có mã “%(code)s”.") % {"code": code}, query=code)
    return _render(request, "portal/procedure.html", procedure_page(procedure, procedure.current))


def procedure_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    found = get_procedure_version(code, number)
    if found is None:
        return _not_found(
            request, _("Thủ tục “%(code)s” không có phiên bản %(number)s.") % {"code": code, "number": number},
            query=code,
        )
    procedure, version = found
    return _render(request, "portal/procedure.html", procedure_page(procedure, version))


def _not_found(request: HttpRequest, message: str, query: str = "") -> HttpResponse:
    return _render(request, "404.html", {"message": message, "q": query}, status=404)


def domain_list(request: HttpRequest) -> HttpResponse:
    rows = sorted(domain_counts(), key=lambda row: fold(row.label))
    return _render(request, "portal/domain_list.html", {"domains": rows})


def agency_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/agency_list.html", {"agencies": agency_counts()})


def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = get_domain(slug)
    if domain is None:
        return _not_found(request, _("Không có lĩnh vực “%(slug)s”.") % {"slug": slug})
    return _browse(request, title=domain.name, kind=_("Lĩnh vực"), param="linh_vuc", value=str(domain.pk),
                   arguments={"domain_ids": [domain.pk]}, breadcrumb=("portal:domains", pgettext("navigation", "Lĩnh vực")))


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_agency(slug)
    if agency is None:
        return _not_found(request, _("Không có cơ quan “%(slug)s”.") % {"slug": slug})
    return _browse(request, title=agency.name, kind=_("Cơ quan ban hành"), param="co_quan", value=str(agency.pk),
                   arguments={"agency_ids": [agency.pk]}, breadcrumb=("portal:agencies", pgettext("navigation", "Cơ quan")))


def level_detail(request: HttpRequest, slug: str) -> HttpResponse:
    level = LEVEL_SLUGS.get(slug)
    if level is None:
        valid = ", ".join(LEVEL_SLUGS)
        return _not_found(request, _("Không có cấp thực hiện “%(slug)s”. Các cấp: %(valid)s.") % {
            "slug": slug, "valid": valid})
    return _browse(request, title=str(Level(level).label), kind=_("Cấp thực hiện"), param="cap", value=slug,
                   arguments={"levels": [level]}, breadcrumb=None)


def _browse(request, *, title, kind, param, value, arguments, breadcrumb) -> HttpResponse:
    """A listing of the procedures in one domain, agency or level, paginated, with its facets.

    The facets link to the search page with this listing's filter already applied.
    """
    form = SearchForm({"trang": request.GET.get("trang", "")})
    if not form.is_valid():
        return _render(request, "portal/browse.html", {
            "title": title, "kind": kind, "errors": form.error_list(), "breadcrumb": breadcrumb,
        }, status=400)
    page = form.page
    results = search_procedures("", **arguments, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    domains, agencies = labels_for_hits(results.hits)
    own = QueryState(request.path)
    search_state = QueryState(reverse("portal:search"), {param: [value]})
    pages = pagination(results.total, page, own)
    facets = [group for group in facet_groups(results, search_state) if group.param != param]
    status = 404 if page > pages.pages else 200
    return _render(request, "portal/browse.html", {
        "title": title, "kind": kind, "results": results, "hits": hit_views(results.hits, domains, agencies),
        "pagination": pages, "facets": facets, "search_state": search_state, "breadcrumb": breadcrumb,
        "page_error": status == 404,
    }, status=status)


def statistics(request: HttpRequest) -> HttpResponse:
    stats = catalogue_statistics()
    figures = stats.figures
    services = [
        (SLUG_OF_ONLINE[OnlineService.FULL], OnlineService.FULL.label, figures.online_full),
        (SLUG_OF_ONLINE[OnlineService.PARTIAL], OnlineService.PARTIAL.label, figures.online_partial),
        (SLUG_OF_ONLINE[OnlineService.NONE], OnlineService.NONE.label, figures.information_only),
    ]
    return _render(request, "portal/statistics.html", {
        "stats": stats,
        "services": [(slug, label, count, figures.share(count)) for slug, label, count in services],
        "levels": _level_rows(stats.levels),
        "agencies": [(row.key, row) for row in stats.agencies],
        "domains": [(row.key, row) for row in stats.domains],
        "max_level": max((row.count for row in stats.levels), default=0),
        "max_domain": max((row.count for row in stats.domains), default=0),
        "max_agency": max((row.count for row in stats.agencies), default=0),
    })
