"""/api/v1/units and /api/v1/agencies: administrative units, their 2025 succession, and agencies."""

from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import P, QueryEx, Router

from motcua.api import presenters
from motcua.api.errors import NotFoundError
from motcua.api.pagination import keyset_page
from motcua.api.schemas import AgencyOut, AgencyPageOut, ErrorOut, SuccessionOut, UnitOut, UnitPageOut
from motcua.units import selectors
from motcua.units.choices import AgencyLevel, Edition, UnitLevel

router = Router(tags=["Đơn vị hành chính, cơ quan / Units and agencies"])

EditionParam = Literal[tuple(Edition.values)]  # type: ignore[valid-type]
UnitLevelParam = Literal[tuple(UnitLevel.values)]  # type: ignore[valid-type]
AgencyLevelParam = Literal[tuple(AgencyLevel.values)]  # type: ignore[valid-type]
NOT_FOUND = {404: ErrorOut}
EDITION_HELP = "2004 = danh mục đến 30/06/2025, 2025 = danh mục từ 01/07/2025 / code list edition"


def _successions(pairs, urls) -> list[dict]:
    return [{"unit": presenters.unit(u, urls), "kind": kind} for u, kind in pairs]


@router.get("/units", response=UnitPageOut, url_name="unit_list", summary="Danh sách đơn vị hành chính / Units")
def list_units(
    request: HttpRequest,
    edition: QueryEx[EditionParam | None, P(description=EDITION_HELP)] = None,
    level: QueryEx[UnitLevelParam | None, P(description="province, district, commune")] = None,
    parent: QueryEx[str | None, P(max_length=5, description="Mã đơn vị cấp trên / parent unit code")] = None,
    q: QueryEx[str, P(max_length=100, description="Tên, có hoặc không dấu / name, with or without diacritics")] = "",
    limit: QueryEx[int, P(ge=1, le=100, description="1–100")] = 50,
    cursor: QueryEx[str | None, P(max_length=500, description="Giá trị `next` của trang trước")] = None,
):
    """Theo thứ tự danh mục, cấp, mã / ordered by edition, level, code; keyset-paged."""
    qs = selectors.list_units(edition=edition, level=level, parent_code=parent or None, q=q.strip())
    total = qs.count()
    units, next_cursor = keyset_page(qs.select_related("parent"), ["edition", "level", "code"], cursor, limit)
    urls = presenters.Urls(request)
    return {"items": [presenters.unit(u, urls) for u in units], "total": total, "next": next_cursor}


@router.get(
    "/units/valid-at",
    response={200: UnitOut, **NOT_FOUND},
    url_name="unit_valid_at",
    summary="Đơn vị có hiệu lực vào một ngày / The unit a code named on a date",
)
def unit_valid_at(
    request: HttpRequest,
    code: QueryEx[str, P(max_length=5, description="Mã đơn vị / unit code")],
    date: QueryEx[date, P(description="YYYY-MM-DD")],
    level: QueryEx[UnitLevelParam | None, P(description="province, district, commune")] = None,
):
    """Một mã có thể chỉ hai đơn vị khác nhau trước và sau 01/07/2025 / a code may name different units over time."""
    unit = selectors.unit_valid_at(code, date, level=level)
    if unit is None:
        raise NotFoundError(
            ["query", "code"],
            f"Không có đơn vị hành chính mã “{code}” có hiệu lực vào ngày {date:%d/%m/%Y}.",
        )
    return presenters.unit(unit, presenters.Urls(request))


# Declared before /units/{edition}/{code}, which would otherwise take "successors" for a code.
@router.get(
    "/units/{code}/successors",
    response={200: list[SuccessionOut], **NOT_FOUND},
    url_name="unit_successors",
    summary="Đơn vị mới thay cho một mã cũ / Current units for an old code",
)
def unit_successors(
    request: HttpRequest,
    code: str,
    level: QueryEx[UnitLevelParam, P(description="province, district, commune")] = "commune",
):
    """Theo bảng chuyển đổi chính thức; `partial`: chỉ một phần địa bàn cũ / from the official conversion table."""
    pairs = selectors.current_units_for_old_code(code, level=level)
    if not pairs and selectors.get_unit(Edition.PRE_2025, code, level=level) is None:
        raise NotFoundError(["path", "code"], f"Không tìm thấy đơn vị hành chính cũ (trước 01/07/2025) có mã “{code}”.")
    return _successions(pairs, presenters.Urls(request))


@router.get(
    "/units/{code}/predecessors",
    response={200: list[SuccessionOut], **NOT_FOUND},
    url_name="unit_predecessors",
    summary="Các đơn vị cũ hợp thành một đơn vị mới / Old units merged into a current one",
)
def unit_predecessors(
    request: HttpRequest,
    code: str,
    level: QueryEx[UnitLevelParam, P(description="province, district, commune")] = "commune",
):
    """Theo bảng chuyển đổi chính thức / from the official conversion table."""
    pairs = selectors.old_units_of(code, level=level)
    if not pairs and selectors.get_unit(Edition.CURRENT, code, level=level) is None:
        raise NotFoundError(["path", "code"], f"Không tìm thấy đơn vị hành chính hiện hành (từ 01/07/2025) có mã “{code}”.")
    return _successions(pairs, presenters.Urls(request))


@router.get(
    "/units/{edition}/{code}",
    response={200: UnitOut, **NOT_FOUND},
    url_name="unit_detail",
    summary="Một đơn vị hành chính / One unit",
)
def unit_detail(request: HttpRequest, edition: EditionParam, code: str):
    """Đơn vị theo danh mục và mã / a unit by code list edition and code."""
    unit = selectors.get_unit(edition, code)
    if unit is None:
        raise NotFoundError(["path", "code"], f"Không tìm thấy đơn vị hành chính có mã “{code}” trong danh mục {edition}.")
    return presenters.unit(unit, presenters.Urls(request))


@router.get("/agencies", response=AgencyPageOut, url_name="agency_list", summary="Danh sách cơ quan / Agencies")
def list_agencies(
    request: HttpRequest,
    level: QueryEx[AgencyLevelParam | None, P(description="ministry, province, district, commune, other")] = None,
    q: QueryEx[str, P(max_length=100, description="Tên, có hoặc không dấu / name, with or without diacritics")] = "",
    unit: QueryEx[str | None, P(max_length=5, description="Mã đơn vị hành chính / unit code")] = None,
    limit: QueryEx[int, P(ge=1, le=100, description="1–100")] = 50,
    cursor: QueryEx[str | None, P(max_length=500, description="Giá trị `next` của trang trước")] = None,
):
    """Theo tên ngắn (slug) / ordered by slug; keyset-paged."""
    qs = selectors.list_agencies(level=level, q=q.strip(), unit_code=unit or None)
    total = qs.count()
    agencies, next_cursor = keyset_page(qs.select_related("parent", "unit", "successor"), ["slug"], cursor, limit)
    urls = presenters.Urls(request)
    return {"items": [presenters.agency(a, urls) for a in agencies], "total": total, "next": next_cursor}


@router.get(
    "/agencies/{organ_code_or_slug}",
    response={200: AgencyOut, **NOT_FOUND},
    url_name="agency_detail",
    summary="Một cơ quan / One agency",
)
def agency_detail(request: HttpRequest, organ_code_or_slug: str):
    """Theo mã định danh (000.00.00.G01) hoặc tên ngắn / by organ code or slug."""
    agency = selectors.get_agency(organ_code_or_slug)
    if agency is None:
        raise NotFoundError(
            ["path", "organ_code_or_slug"],
            f"Không tìm thấy cơ quan có mã định danh hoặc tên ngắn “{organ_code_or_slug}”.",
        )
    return presenters.agency(agency, presenters.Urls(request))
