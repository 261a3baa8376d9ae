"""/api/v1/indicators/…: the Decision 766 index per scope and period, read-only and open.

Figures only (counts, rates, points); the dossiers behind them stay in the back office: each
figure's drill-down link leads to a page for officials of the scope.
"""

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import P, Path, QueryEx, Router, Schema

from motcua.api.errors import BadParameterError, NotFoundError
from motcua.api.schemas import ErrorOut
from motcua.indicators import selectors
from motcua.indicators.errors import IndicatorError, UnknownPeriodError
from motcua.indicators.periods import previous_periods

router = Router(tags=["Chỉ số phục vụ (QĐ 766) / Service index"])
KindParam = Literal["national", "province", "commune", "ministry", "agency"]
UnitsAsParam = Literal["today", "as_filed"]
ERRORS = {404: ErrorOut, 422: ErrorOut}
PERIOD_HELP = "Tháng 2026-10, quý 2026-Q3 hoặc năm 2026 / a month, quarter or year"
UNITS_HELP = ("today = cộng dồn theo đơn vị hiện nay qua bảng chuyển đổi; as_filed = theo đơn vị tại thời điểm nộp "
              "/ roll up to today's units, or the units as they were")
CODE_HELP = ("VN; mã tỉnh/xã (có thể ghi rõ danh mục: 2004:80); mã định danh bộ, cơ quan / unit code, organ code")


class PeriodOut(Schema):
    key: str
    kind: str
    start: date
    end: date
    label: str


class ScopeOut(Schema):
    kind: str
    code: str
    name: str
    edition: str
    units_as: str


class IndicatorOut(Schema):
    id: str
    group: int
    label: str
    numerator: int | None
    denominator: int | None
    rate: Decimal | None
    threshold: Decimal | None
    max_points: Decimal
    points: Decimal
    scored: bool
    confirmed: bool
    legal_source: str
    available: bool
    note: str
    numerator_url: str | None
    denominator_url: str | None


class GroupOut(Schema):
    number: int
    label: str
    max_points: Decimal
    points: Decimal
    indicators: list[IndicatorOut]


class BandOut(Schema):
    code: str
    label: str
    min_total: Decimal


class ScorecardOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    groups: list[GroupOut]
    total: Decimal
    max_total: Decimal
    band: BandOut
    received: int
    computed_at: datetime | None


class HeadlineOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    received: int
    on_time_rate: Decimal | None
    online_share: Decimal | None
    satisfaction_rate: Decimal | None
    feedback_on_time_rate: Decimal | None
    online_service_share: Decimal | None


class TrendPointOut(Schema):
    period: PeriodOut
    total: Decimal
    band: BandOut
    group_points: dict[int, Decimal]
    headline: HeadlineOut


def _error(error: IndicatorError):
    if isinstance(error, UnknownPeriodError) or error.field in ("units_as", "periods", "count"):
        return BadParameterError(error.field, error.message)
    return NotFoundError(["path", error.field], error.message)


def _absolute(request, card: dict) -> dict:
    for group in card["groups"]:
        for ind in group["indicators"]:
            for key in ("numerator_url", "denominator_url"):
                if ind[key]:
                    ind[key] = request.build_absolute_uri(ind[key])
    return card


@router.get("/indicators/{scope_kind}/{scope_code}/scorecard", response={200: ScorecardOut, **ERRORS},
            url_name="indicator_scorecard", summary="Bảng điểm chỉ số 766 / Scorecard")
def scorecard(request: HttpRequest, scope_kind: Path[KindParam], scope_code: Path[str],
              period: QueryEx[str, P(max_length=10, description=PERIOD_HELP)],
              units_as: QueryEx[UnitsAsParam, P(description=UNITS_HELP)] = "today"):
    """Năm nhóm chỉ số, từng chỉ số thành phần với tử số, mẫu số, tỷ lệ (%), điểm; tổng điểm và xếp loại."""
    try:
        card = selectors.scorecard(scope_kind, scope_code, period, units_as=units_as)
    except IndicatorError as error:
        raise _error(error) from error
    return _absolute(request, asdict(card))


@router.get("/indicators/{scope_kind}/{scope_code}/headline", response={200: HeadlineOut, **ERRORS},
            url_name="indicator_headline", summary="Các tỷ lệ chính / Headline figures")
def headline(request: HttpRequest, scope_kind: Path[KindParam], scope_code: Path[str],
             period: QueryEx[str, P(max_length=10, description=PERIOD_HELP)],
             units_as: QueryEx[UnitsAsParam, P(description=UNITS_HELP)] = "today"):
    """Tỷ lệ đúng hạn, tỷ lệ hồ sơ trực tuyến, tỷ lệ hài lòng, tỷ lệ PAKN đúng hạn, tỷ lệ TTHC có DVCTT."""
    try:
        return asdict(selectors.headline(scope_kind, scope_code, period, units_as=units_as))
    except IndicatorError as error:
        raise _error(error) from error


@router.get("/indicators/{scope_kind}/{scope_code}/trend", response={200: list[TrendPointOut], **ERRORS},
            url_name="indicator_trend", summary="Diễn biến theo kỳ / Trend")
def trend(request: HttpRequest, scope_kind: Path[KindParam], scope_code: Path[str],
          until: QueryEx[str, P(max_length=10, description="Kỳ cuối / last period; " + PERIOD_HELP)],
          count: QueryEx[int, P(ge=1, le=36, description="Số kỳ (1–36) / number of periods")] = 12,
          units_as: QueryEx[UnitsAsParam, P(description=UNITS_HELP)] = "today"):
    """Tổng điểm, xếp loại, điểm từng nhóm và các tỷ lệ chính của `count` kỳ liền nhau kết thúc ở `until`."""
    try:
        periods = previous_periods(selectors.parse_period(until), count)
        return [asdict(p) for p in selectors.trend(scope_kind, scope_code, periods, units_as=units_as)]
    except UnknownPeriodError as error:
        raise BadParameterError("until", error.message) from error
    except IndicatorError as error:
        raise _error(error) from error
