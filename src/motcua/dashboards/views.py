"""Public dashboards (/bang-dieu-khien/): read-only pages over the indicators engine's selectors."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.dashboards import exports, selectors, svg
from motcua.indicators.errors import UnknownPeriodError, UnknownScopeError

PUBLIC_KINDS = ("national", "province", "commune", "ministry", "agency")


def _params(request) -> tuple[str | None, str]:
    units_as = request.GET.get("don-vi", "today")
    return request.GET.get("ky") or None, units_as if units_as in ("today", "as_filed") else "today"


def _load(request, kind: str, code: str):
    if kind not in PUBLIC_KINDS:
        raise Http404
    period, units_as = _params(request)
    return selectors.dashboard(kind, code, period, units_as)


def _error(request, error, status):
    return render(request, "dashboards/error.html", {"message": error.message, "field": error.field},
                  status=status)


@require_GET
def index(request):
    return render(request, "dashboards/index.html", {"pickers": selectors.pickers(),
                                                     "labels": selectors.KIND_LABELS})


@require_GET
def go(request):
    kind, code = request.GET.get("kind", ""), request.GET.get("code", "").strip()
    if kind not in PUBLIC_KINDS or not code:
        return redirect("dashboards:index")
    return redirect("dashboards:scope", kind=kind, code=code)


@require_GET
def scope(request, kind: str, code: str):
    try:
        d = _load(request, kind, code)
    except UnknownScopeError as error:
        return _error(request, error, 404)
    except UnknownPeriodError as error:
        return _error(request, error, 400)
    card = d.card
    base = reverse("dashboards:scope", kwargs={"kind": kind, "code": code})
    groups_svg = svg.row_chart([(f"{g.number}. {g.label}", g.points, g.max_points) for g in card.groups],
                               title=_("Điểm năm nhóm chỉ số, %(period)s") % {"period": card.period.label},
                               title_id="bieu-do-nhom")
    trend_svg = svg.column_chart([(p.period.key, p.total) for p in d.trend], maximum=card.max_total,
                                 title=_("Diễn biến điểm Bộ chỉ số 766 qua %(n)s kỳ") % {"n": len(d.trend)},
                                 title_id="bieu-do-dien-bien")
    on_time_svg = svg.column_chart([(p.period.key, p.headline.on_time_rate) for p in d.trend], maximum=100,
                                   title=_("Tỷ lệ hồ sơ giải quyết đúng hạn (%) qua các kỳ"),
                                   title_id="bieu-do-dung-han")
    query = {"ky": card.period.key}
    return render(request, "dashboards/scope.html", {
        "d": d, "card": card, "h": d.headline, "groups_svg": groups_svg, "trend_svg": trend_svg,
        "on_time_svg": on_time_svg, "kind": kind, "code": code, "kind_label": selectors.KIND_LABELS.get(kind, kind),
        "today_url": f"{base}?{urlencode({**query, 'don-vi': 'today'})}",
        "as_filed_url": f"{base}?{urlencode({**query, 'don-vi': 'as_filed'})}",
        "export_query": urlencode({**query, "don-vi": d.units_as}),
    })


@require_GET
def export(request, kind: str, code: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        d = _load(request, kind, code)
    except UnknownScopeError as error:
        return _error(request, error, 404)
    except UnknownPeriodError as error:
        return _error(request, error, 400)
    name = f"bang-dieu-khien-{kind}-{code}-{d.card.period.key}".replace(":", "-")
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(d), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.to_xlsx(d),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
