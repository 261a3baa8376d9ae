"""/api/v1/procedures: search, browse, detail, versions and the CPSV-AP export of procedures."""

import json
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import P, QueryEx, Router

from motcua.api import presenters
from motcua.api.errors import BadParameterError, NotFoundError
from motcua.api.pagination import decode_offset, keyset_page, offset_next
from motcua.api.queries import FILTERABLE_LEVELS, browse_queryset
from motcua.api.schemas import DomainOut, ErrorOut, ProcedureOut, ProcedurePageOut, VersionOut
from motcua.catalog.choices import OnlineService
from motcua.catalog.cpsv import version_to_cpsv
from motcua.catalog.models import Domain
from motcua.catalog.search import search_procedures
from motcua.catalog.selectors import get_procedure, get_procedure_version
from motcua.units.models import Agency
from motcua.units.selectors import get_agency

router = Router(tags=["Thủ tục hành chính / Procedures"])

LevelParam = Literal[FILTERABLE_LEVELS]  # type: ignore[valid-type]
OnlineServiceParam = Literal[tuple(OnlineService.values)]  # type: ignore[valid-type]
NOT_FOUND = {404: ErrorOut}


def _procedure_not_found(code: str) -> NotFoundError:
    return NotFoundError(["path", "code"], f"Không tìm thấy thủ tục có mã “{code}”.")


def _domain_ids(values: list[int]) -> list[int]:
    if not values:
        return []
    known = set(Domain.objects.filter(pk__in=values).values_list("pk", flat=True))
    for value in values:
        if value not in known:
            raise BadParameterError("domain", f"Tham số “domain”: không có lĩnh vực có mã số {value}.")
    return list(values)


def _agency_ids(values: list[str]) -> list[int]:
    """Agency ids from ids, organ codes (000.00.00.G01) or slugs, so a client can use either."""
    ids = []
    for value in values:
        value = value.strip()
        agency = None
        if value.isdigit():
            agency = Agency.objects.filter(pk=int(value)).only("pk").first()
        elif value:
            agency = get_agency(value)
        if agency is None:
            raise BadParameterError(
                "agency", f"Tham số “agency”: không có cơ quan có mã số, mã định danh hoặc tên ngắn “{value}”."
            )
        ids.append(agency.pk)
    return ids


@router.get(
    "/procedures",
    response=ProcedurePageOut,
    url_name="procedure_list",
    summary="Tìm kiếm, duyệt thủ tục / Search and browse procedures",
)
def list_procedures(
    request: HttpRequest,
    q: QueryEx[str, P(max_length=200, description="Từ khóa, có hoặc không dấu / words, with or without diacritics")] = "",
    level: QueryEx[list[LevelParam] | None, P(description="Cấp thực hiện (lặp lại được) / level, repeatable")] = None,
    domain: QueryEx[list[int] | None, P(description="Mã số lĩnh vực (lặp lại được) / domain id, repeatable")] = None,
    agency: QueryEx[list[str] | None, P(description="Cơ quan: mã số, mã định danh hoặc tên ngắn (lặp lại được) / agency id, organ code or slug")] = None,
    online_service: QueryEx[list[OnlineServiceParam] | None, P(description="Mức DVCTT / online service level")] = None,
    include_abolished: QueryEx[bool, P(description="Gồm cả thủ tục đã bãi bỏ / include abolished")] = False,
    limit: QueryEx[int, P(ge=1, le=100, description="Số kết quả mỗi trang, 1–100 / page size")] = 20,
    cursor: QueryEx[str | None, P(max_length=500, description="Giá trị `next` của trang trước / previous page's `next`")] = None,
    facets: QueryEx[bool, P(description="Tính số đếm theo nhóm / compute facets")] = True,
):
    """Không có `q`: duyệt theo mã thủ tục. Có `q`: xếp hạng theo mức liên quan.

    Without `q` the list is ordered by code and paged by keyset; with `q` it is ranked and the
    cursor carries the position in the ranking. Either way, follow `next` until it is null.
    """
    query = q.strip()
    filters = {
        "levels": list(level or []),
        "domain_ids": _domain_ids(domain or []),
        "agency_ids": _agency_ids(agency or []),
        "online_service": list(online_service or []),
        "include_abolished": include_abolished,
    }
    if query:
        offset = decode_offset(cursor)
        results = search_procedures(query, **filters, limit=limit, offset=offset, with_facets=facets)
        rows = [
            (h.code, h.name, h.levels, h.domain_id, h.online_service, h.status) for h in results.hits
        ]
        next_cursor = offset_next(offset, len(results.hits), results.total) if results.hits else None
        total, facet_values = results.total, results.facets
    else:
        # Total and facets come from the search so that both modes count the same way; the page
        # itself is a keyset read by code.
        summary = search_procedures("", **filters, limit=1, offset=0, with_facets=facets)
        docs, next_cursor = keyset_page(browse_queryset(**filters), ["code"], cursor, limit)
        rows = [
            (d.code, d.name, [lv for lv, f in d.LEVEL_FIELDS.items() if getattr(d, f)], d.domain_id,
             d.online_service, d.status)
            for d in docs
        ]
        total, facet_values = summary.total, summary.facets
    domains = {d.pk: d for d in Domain.objects.filter(pk__in={r[3] for r in rows if r[3]})}
    urls = presenters.Urls(request)
    return {
        "items": [
            {
                "code": code, "name": name, "levels": [str(lv) for lv in levels],
                "domain": presenters.domain(domains.get(domain_id)), "online_service": online,
                "status": status, "url": urls.procedure(code),
            }
            for code, name, levels, domain_id, online, status in rows
        ],
        "total": total,
        "next": next_cursor,
        "facets": {
            key: [{"value": v.value, "label": str(v.label), "count": v.count} for v in values]
            for key, values in (facet_values or {}).items()
        },
    }


@router.get(
    "/domains",
    response=list[DomainOut],
    url_name="domain_list",
    tags=["Thủ tục hành chính / Procedures"],
    summary="Danh sách lĩnh vực / Domains (sectors)",
)
def list_domains(request: HttpRequest):
    """Mọi lĩnh vực, để lọc thủ tục theo `domain` / every domain, for the `domain` filter."""
    return [presenters.domain(d) for d in Domain.objects.order_by("name")]


@router.get(
    "/procedures/{code}",
    response={200: ProcedureOut, **NOT_FOUND},
    url_name="procedure_detail",
    summary="Chi tiết thủ tục / Procedure detail",
)
def procedure_detail(request: HttpRequest, code: str):
    """Mọi trường của phiên bản hiện hành và lịch sử phiên bản / the current version in full, and its versions."""
    procedure = get_procedure(code)
    if procedure is None or procedure.current is None:
        raise _procedure_not_found(code)
    return presenters.procedure(procedure, presenters.Urls(request))


@router.get(
    "/procedures/{code}/versions/{number}",
    response={200: VersionOut, **NOT_FOUND},
    url_name="procedure_version",
    summary="Một phiên bản của thủ tục / One version of a procedure",
)
def procedure_version(request: HttpRequest, code: str, number: int):
    """Nội dung thủ tục theo một quyết định công bố / what the procedure said under one decision."""
    found = get_procedure_version(code, number)
    if found is None:
        if get_procedure(code) is None:
            raise _procedure_not_found(code)
        raise NotFoundError(["path", "number"], f"Thủ tục “{code}” không có phiên bản số {number}.")
    _procedure, version = found
    return presenters.version(version, presenters.Urls(request))


@router.get(
    "/procedures/{code}/cpsv-ap",
    response={200: dict, **NOT_FOUND},
    url_name="procedure_cpsv",
    summary="Thủ tục theo CPSV-AP 3.2.0 (JSON-LD) / Procedure as CPSV-AP 3.2.0 JSON-LD",
    openapi_extra={
        "responses": {
            200: {
                "description": "cpsv:PublicService (JSON-LD, ngữ cảnh nhúng sẵn / embedded context)",
                "content": {"application/ld+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def procedure_cpsv(request: HttpRequest, code: str):
    """Phiên bản hiện hành theo mô hình dịch vụ công của EU / the current version in the EU public-service vocabulary."""
    procedure = get_procedure(code)
    if procedure is None or procedure.current is None:
        raise _procedure_not_found(code)
    urls = presenters.Urls(request)
    document = version_to_cpsv(procedure.current, service_uri=urls.procedure(code), agency_uri=urls.agency)
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json; charset=utf-8"
    )
