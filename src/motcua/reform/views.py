"""Reform pages: officials assess costs and build plans; the public reads published plans."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.access import official_required
from motcua.catalog.choices import ChannelKind
from motcua.catalog.models import Procedure
from motcua.reform import exports, selectors, services
from motcua.reform.errors import ReformInputError
from motcua.reform.forms import AssessmentForm, PlanForm, PlanItemForm
from motcua.reform.models import CostAssessment, SimplificationPlan


def _put_errors(form, errors: dict) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


def _procedure(code: str) -> Procedure | None:
    return (Procedure.objects.select_related("current_version").filter(code=(code or "").strip()).first())


@require_GET
@official_required
def index(request):
    return render(request, "reform/index.html", {
        "plans": SimplificationPlan.objects.all()[:100],
        "assessments": CostAssessment.objects.filter(kind="current").select_related("version__procedure")[:20],
        "parameters": selectors.parameters_in_force(),
    })


def _derivation_or_error(procedure, channel):
    if procedure is None or procedure.current_version_id is None:
        return None, _("Không có thủ tục hiện hành với mã này.")
    version = procedure.current_version
    if channel and channel not in selectors.available_channels(version):
        channel = None
    try:
        return selectors.derive(version, channel), ""
    except LookupError:
        return None, _("Chưa có bộ tham số chi phí tuân thủ nào có hiệu lực; hãy khai báo trong trang quản trị.")


@require_http_methods(["GET", "POST"])
@official_required
def assessment_new(request):
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("code") or "").strip()
    procedure = _procedure(code) if code else None
    derivation, problem = (None, "")
    if code:
        derivation, problem = _derivation_or_error(procedure, source.get("channel"))
    if request.method == "POST":
        form = AssessmentForm(request.POST, derived=derivation.inputs if derivation else None)
        if derivation is None:
            form.is_valid()
            form.add_error("code", problem or _("Hãy nhập mã thủ tục."))
        elif form.is_valid():
            overrides, notes = form.overrides()
            try:
                assessment = services.assess(procedure.current_version, actor=request.user,
                                             channel=form.cleaned_data["channel"], overrides=overrides, notes=notes)
            except ReformInputError as error:
                _put_errors(form, error.errors)
            else:
                return redirect("reform:assessment", assessment.pk)
        status = 400
    else:
        initial = {"code": code, "channel": derivation.channel if derivation else ""}
        form = AssessmentForm(initial=initial, derived=derivation.inputs if derivation else None)
        status = 404 if code and derivation is None else 200
    channels = ([(k, ChannelKind(k).label) for k in selectors.available_channels(derivation.version)]
                if derivation else [])
    return render(request, "reform/assessment_form.html", {
        "form": form, "derivation": derivation, "problem": problem, "code": code, "channels": channels,
    }, status=status)


@require_GET
@official_required
def assessment(request, pk: int):
    item = get_object_or_404(CostAssessment.objects.select_related("version__procedure", "parameters"), pk=pk)
    from motcua.reform import formulas

    result = formulas.cost(item.inputs, item.parameters.prices)
    return render(request, "reform/assessment.html", {"a": item, "result": result})


@require_http_methods(["GET", "POST"])
@official_required
def plan_new(request):
    form = PlanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.create_plan(name=data["name"], year=data["year"], actor=request.user,
                                            agency=request.office.agency, legal_source=data["legal_source"])
            except ReformInputError as error:
                _put_errors(form, error.errors)
            else:
                return redirect("reform:plan", plan.pk)
    return render(request, "reform/plan_form.html", {"form": form}, status=status)


@require_GET
@official_required
def plan(request, pk: int):
    item = get_object_or_404(SimplificationPlan, pk=pk)
    return render(request, "reform/plan.html", {"plan": item, "report": selectors.plan_report(item)})


@require_http_methods(["GET", "POST"])
@official_required
def plan_add(request, pk: int):
    the_plan = get_object_or_404(SimplificationPlan, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("code") or "").strip()
    procedure = _procedure(code) if code else None
    derivation, problem = _derivation_or_error(procedure, None) if code else (None, "")
    components = derivation.components if derivation else []
    derived = derivation.inputs if derivation else None
    status = 200
    if request.method == "POST":
        status = 400
        form = PlanItemForm(request.POST, derived=derived, components=components)
        valid = form.is_valid()
        if derivation is None:
            form.add_error("code", problem or _("Hãy nhập mã thủ tục."))
        elif valid:
            data = form.cleaned_data
            overrides, notes = form.overrides()
            changes = services.Changes(
                removed_components=tuple(int(x) for x in data["removed_components"]),
                new_fee=data["new_fee"], time_limit_cut_percent=data["time_limit_cut_percent"] or Decimal(0),
                online=data["online"] or "",
            )
            try:
                services.add_to_plan(the_plan, procedure, actor=request.user, changes=changes, overrides=overrides,
                                     notes=notes, description=data["description"])
            except ReformInputError as error:
                _put_errors(form, error.errors)
            else:
                return redirect("reform:plan", the_plan.pk)
    else:
        form = PlanItemForm(initial={"code": code}, derived=derived, components=components)
        if code and derivation is None:
            status = 404
    return render(request, "reform/plan_add.html", {
        "plan": the_plan, "form": form, "derivation": derivation, "problem": problem, "code": code,
    }, status=status)


@require_POST
@official_required
def plan_publish(request, pk: int):
    the_plan = get_object_or_404(SimplificationPlan, pk=pk)
    services.set_published(the_plan, request.POST.get("published") == "1", actor=request.user)
    return redirect("reform:plan", the_plan.pk)


def _export(report, fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404


@require_GET
@official_required
def plan_export(request, pk: int, fmt: str):
    the_plan = get_object_or_404(SimplificationPlan, pk=pk)
    return _export(selectors.plan_report(the_plan), fmt, f"phuong-an-{the_plan.pk}")


# ----------------------------------------------------------------------------- public, read-only

@require_GET
def public_index(request):
    return render(request, "reform/public_index.html", {"plans": selectors.published_plans()})


@require_GET
def public_plan(request, pk: int):
    the_plan = get_object_or_404(SimplificationPlan, pk=pk, published=True)
    return render(request, "reform/public_plan.html", {"plan": the_plan, "report": selectors.plan_report(the_plan)})


@require_GET
def public_export(request, pk: int, fmt: str):
    the_plan = get_object_or_404(SimplificationPlan, pk=pk, published=True)
    return _export(selectors.plan_report(the_plan), fmt, f"cai-cach-tthc-{the_plan.pk}")
