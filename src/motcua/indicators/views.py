"""The dossiers behind a figure of the index, for officials of the scope (under /mot-cua/chi-so/)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice.access import forbidden, official_required
from motcua.indicators import selectors
from motcua.indicators.errors import IndicatorError
from motcua.indicators.permissions import can_drill_down

PAGE_SIZE = 50


@require_GET
@official_required
def dossiers(request):
    params = request.GET
    try:
        scope, period, facts, ids = selectors.dossier_facts(
            params.get("scope_kind", ""), params.get("scope_code", ""), params.get("period", ""),
            params.get("set", ""), units_as=params.get("units_as", "today"))
    except IndicatorError as error:
        return render(request, "indicators/not_found.html", {"message": error.message}, status=404)
    if not can_drill_down(request.user, ids):
        return forbidden(request, _("Chỉ cán bộ có vai trò tại một cơ quan thuộc phạm vi “%(scope)s” mới xem được "
                                    "danh sách hồ sơ này.") % {"scope": scope.name})
    rows = facts.select_related("dossier", "agency", "dossier__procedure_version").order_by("day", "dossier_id")
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("trang"))
    query = params.copy()
    query.pop("trang", None)
    return render(request, "indicators/dossiers.html", {
        "scope": scope, "period": period, "page": page, "set_label": selectors.SET_LABELS[params["set"]],
        "cutoff": selectors.late_cutoff(period), "query_string": query.urlencode(),
    })
