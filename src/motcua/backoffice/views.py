"""The back-office pages. Reads go through dossiers.selectors, writes through dossiers.services
(and dossiers.slips); a view parses the request, calls one of them and renders what came back.

Object-level rule on every dossier URL: a dossier the official may not view answers 404, the
same as an unknown id, so the back office does not tell who holds which dossier.
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.access import SESSION_AGENCY, forbidden, official_required
from motcua.backoffice.forms import (
    QUEUE_LABELS,
    QUEUE_SLUGS,
    ActionForm,
    PaperRows,
    QueueFilterForm,
    ReceptionForm,
    RegisterForm,
    apply_service_errors,
    new_token,
)
from motcua.backoffice.presenters import action_fields, dossier_context, issuable_slips, queue_rows
from motcua.catalog.choices import VersionStatus
from motcua.catalog.search import search_procedures
from motcua.catalog.selectors import get_procedure
from motcua.dossiers import selectors, services, slips
from motcua.dossiers.errors import (
    ConflictError,
    InvalidInputError,
    NotPermittedError,
    TransitionNotAllowedError,
)
from motcua.dossiers.permissions import can_view
from motcua.dossiers.workflow import ACTIONS
from motcua.eservices import selectors as eservices_selectors
from motcua.signing import selectors as signing_selectors
from motcua.signing import services as signing
from motcua.signing.errors import SigningError

PAGE_SIZE = 20
PROCEDURE_HITS = 10
REGISTER_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


# ------------------------------------------------------------------------------ login

class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("backoffice:queue")


class LogoutView(auth_views.LogoutView):
    next_page = "backoffice:login"


@require_POST
@official_required
def switch_agency(request):
    """An official of several agencies chooses the one the pages work for (kept in the session)."""
    try:
        chosen = int(request.POST.get("co-quan", ""))
    except ValueError:
        chosen = None
    if chosen not in {a.pk for a in request.office.agencies}:
        return forbidden(request, _("Bạn không thuộc cơ quan đã chọn."))
    request.session[SESSION_AGENCY] = chosen
    target = request.POST.get("next") or ""
    return redirect(target if target.startswith("/mot-cua/") else reverse("backoffice:queue"))


# ------------------------------------------------------------------------------ queues

class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows: counting a 150,000-dossier queue took 200 ms at 1M dossiers
    (docs/benchmarks.md, Back office); past the cap the page says "more than 1,000"."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


@require_GET
@official_required
def queue(request):
    slug = request.GET.get("hang-doi") or "cua-toi"
    name = QUEUE_SLUGS.get(slug, "mine")
    form = QueueFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "status": None}
    dossiers = selectors.work_queue(request.user, name, q=filters["q"] or "", status=filters["status"],
                                    agency_id=request.office.agency.pk)
    page = CappedPaginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "form": form,
        "queue": name,
        "queue_slug": slug if slug in QUEUE_SLUGS else "cua-toi",
        "tabs": [(s, QUEUE_LABELS[n], n == name) for s, n in QUEUE_SLUGS.items()],
        "page": page,
        "rows": queue_rows(page.object_list),
        "query_string": _query_without_page(request),
        "due_soon_days": settings.MOTCUA_DUE_SOON_WORKING_DAYS,
    }
    template = "backoffice/partials/queue_results.html" if _is_htmx(request) else "backoffice/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


# ------------------------------------------------------------------------------ reception

def _reception_allowed(request):
    if not request.office.is_reception:
        return forbidden(request, _("Chỉ cán bộ tiếp nhận của %(agency)s mới được tiếp nhận hồ sơ.")
                         % {"agency": request.office.agency.name})
    return None


@require_GET
@official_required
def reception_search(request):
    """Step 1 of reception: find the procedure (live search)."""
    if refusal := _reception_allowed(request):
        return refusal
    q = (request.GET.get("q") or "").strip()[:200]
    hits = search_procedures(q, limit=PROCEDURE_HITS, with_facets=False).hits if q else []
    context = {"q": q, "hits": hits, "published": VersionStatus.PUBLISHED}
    template = "backoffice/partials/procedure_hits.html" if _is_htmx(request) else "backoffice/reception_search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@official_required
def reception_extra_row(request):
    """One more empty line for a paper the catalogue does not list (htmx appends it)."""
    if refusal := _reception_allowed(request):
        return refusal
    return render(request, "backoffice/partials/extra_paper_row.html", {"row": PaperRows.blank_extra()})


@require_http_methods(["GET", "POST"])
@official_required
def reception_form(request, code):
    """Step 2: the applicant and the papers; the dossier is received with one service call."""
    if refusal := _reception_allowed(request):
        return refusal
    procedure = get_procedure(code)
    version = procedure.current if procedure else None
    if version is None or version.status != VersionStatus.PUBLISHED:
        return render(request, "backoffice/not_found.html", {
            "message": _("Không có thủ tục đang công khai mang mã “%(code)s”.") % {"code": code}}, status=404)
    components = list(version.components.all())
    asks_time_limit = services.time_limit_for(version, "in_person") is None
    errors: list[str] = []
    if request.method == "GET":
        form = ReceptionForm(asks_time_limit=asks_time_limit, initial={
            "token": new_token(), "version": version.pk, "time_limit_value": _catalogue_limit_value(version)})
        papers = PaperRows.initial(components)
        return _reception_page(request, procedure, version, form, papers, errors)

    form = ReceptionForm(request.POST, asks_time_limit=asks_time_limit)
    papers = PaperRows.from_post(components, request.POST)
    inputs = papers.inputs()
    if form.is_valid() and form.cleaned_data["version"] != version.pk:
        errors.append(_("Thủ tục vừa được công bố phiên bản mới; hãy kiểm tra lại thành phần hồ sơ rồi gửi lại."))
    if not form.is_valid() or inputs is None or errors:
        return _reception_page(request, procedure, version, form, papers, errors, status=422)
    try:
        dossier = services.receive_at_counter(
            version=version, agency=request.office.agency, applicant=form.applicant(), components=inputs,
            actor=request.user, channel=form.cleaned_data["channel"], time_limit=form.time_limit(),
            idempotency_key=f"mot-cua:receive:{form.cleaned_data['token']}",
        )
    except NotPermittedError as error:
        return forbidden(request, error.message)
    except InvalidInputError as error:
        rest = papers.apply_errors(error.errors)
        errors += apply_service_errors(form, rest, aliases={"time_limit": "time_limit_value"})
        return _reception_page(request, procedure, version, form, papers, errors, status=422)
    messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("backoffice:dossier", pk=dossier.pk)


def _catalogue_limit_value(version):
    """A number the catalogue gives without a unit ("1"): offered, so the official only picks the unit."""
    for channel in version.channels.all():
        if channel.time_limit_value is not None:
            return channel.time_limit_value.normalize()
    return None


def _reception_page(request, procedure, version, form, papers, errors, status=200):
    channels = [c for c in version.channels.all() if c.time_limit_text]
    return render(request, "backoffice/reception_form.html", {
        "procedure": procedure, "version": version, "form": form, "papers": papers, "errors": errors,
        "channels": channels,
    }, status=status)


# ------------------------------------------------------------------------------ one dossier

def _visible_dossier(request, pk):
    """The dossier, fully loaded, if this official may view it; else None (the caller answers 404)."""
    dossier = selectors.get_dossier(pk)
    if dossier is None or not can_view(request.user, dossier):
        return None
    return dossier


def _not_found(request):
    return render(request, "backoffice/not_found.html", {
        "message": _("Không tìm thấy hồ sơ này, hoặc hồ sơ không thuộc cơ quan của bạn.")}, status=404)


def _dossier_page(request, dossier, *, status=200, error="", bound=None, bound_key=""):
    context = dossier_context(dossier, request.user, bound=bound, bound_key=bound_key)
    context["error"] = error
    context["signed_results"] = list(signing_selectors.results_for_dossier(dossier))
    # An online filing's declaration is printed by the worker; until then the page says so.
    context["pending_declaration"] = eservices_selectors.pending_declaration(dossier)
    try:
        signing.check_may_sign(dossier, request.user)
        context["may_sign_result"] = True
    except (NotPermittedError, InvalidInputError):
        context["may_sign_result"] = False
    return render(request, "backoffice/dossier.html", context, status=status)


@require_GET
@official_required
def dossier_detail(request, pk):
    dossier = _visible_dossier(request, pk)
    if dossier is None:
        return _not_found(request)
    return _dossier_page(request, dossier)


@require_POST
@official_required
def dossier_action(request, pk, action):
    """One move of the dossier; every outcome but success re-renders the page with the reason."""
    dossier = _visible_dossier(request, pk)
    if dossier is None:
        return _not_found(request)
    if action not in ACTIONS:
        return _not_found(request)
    form = ActionForm(request.POST, prefix=action, shown=action_fields(action, dossier))
    if not form.is_valid():
        return _dossier_page(request, dossier, status=422, bound=form, bound_key=action)
    try:
        services.transition(dossier.pk, action, actor=request.user, **form.service_arguments())
    except InvalidInputError as error:
        unplaced = apply_service_errors(form, error.errors)
        return _dossier_page(request, dossier, status=422, bound=form, bound_key=action,
                             error=" ".join(unplaced))
    except (ConflictError, TransitionNotAllowedError, NotPermittedError) as error:
        # The page is drawn again from the dossier as it is now, with fresh versions in every form.
        return _dossier_page(request, selectors.get_dossier(pk), status=error.status_code, error=error.message)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTIONS[action].label})
    return redirect("backoffice:dossier", pk=pk)


@require_POST
@official_required
def result_sign(request, pk):
    """The approver's "Ký số kết quả": render the result document and sign it with the agency's key."""
    dossier = _visible_dossier(request, pk)
    if dossier is None:
        return _not_found(request)
    try:
        result = signing.issue_signed_result(dossier, signer_user=request.user)
    except InvalidInputError as error:
        return _dossier_page(request, dossier, status=422, error=" ".join(error.errors.values()))
    except (NotPermittedError, SigningError) as error:
        return _dossier_page(request, dossier, status=error.status_code, error=error.message)
    messages.success(request, _("Đã ký số kết quả của hồ sơ %(code)s; người nộp tải được trên Cổng dịch vụ công.")
                     % {"code": dossier.code})
    return redirect(f"{reverse('backoffice:dossier', args=[pk])}#ket-qua-{result.pk}")


@require_POST
@official_required
def slip_issue(request, pk, kind):
    """Issue a standard slip (Mẫu 01–05) and hand its PDF over for printing."""
    dossier = _visible_dossier(request, pk)
    if dossier is None:
        return _not_found(request)
    if kind not in {k for k, _label in issuable_slips(dossier, request.user)}:
        return _dossier_page(request, dossier, status=403,
                             error=_("Bạn không lập được phiếu này cho hồ sơ %(code)s.") % {"code": dossier.code})
    try:
        slip = slips.issue_slip(dossier, kind, issued_by=request.user)
    except InvalidInputError as error:
        return _dossier_page(request, dossier, status=422, error=" ".join(error.errors.values()))
    return redirect("backoffice:slip", pk=pk, slip_id=slip.pk)


@require_GET
@official_required
def slip_download(request, pk, slip_id):
    dossier = _visible_dossier(request, pk)
    slip = next((s for s in dossier.slips.all() if s.pk == slip_id), None) if dossier else None
    if slip is None or not slip.file:
        return _not_found(request)
    name = f"{dossier.code}-mau-{slip.form.number}.pdf"
    # Inline: the browser opens the PDF to print it; "tai" asks for a download instead.
    return FileResponse(slip.file.open("rb"), content_type="application/pdf", filename=name,
                        as_attachment=bool(request.GET.get("tai")))


@require_GET
@official_required
def paper_download(request, pk, paper_id):
    """A received paper's file (an online filing's upload or printed declaration), for officials who
    may view the dossier. Always a download: the file is the citizen's, not the site's."""
    dossier = _visible_dossier(request, pk)
    paper = next((c for c in dossier.components.all() if c.pk == paper_id), None) if dossier else None
    if paper is None or not paper.file:
        return _not_found(request)
    extension = paper.file.name.rsplit(".", 1)[-1] if "." in paper.file.name else "bin"
    return FileResponse(paper.file.open("rb"), as_attachment=True,
                        filename=f"{dossier.code}-giay-to-{paper.pk}.{extension}")


# ------------------------------------------------------------------------------ register (Mẫu 06)

@require_GET
@official_required
def register(request):
    """The register of the current agency for a period, as PDF, XLSX or CSV."""
    if not any(p in request.GET for p in RegisterForm.PARAMS.values()):
        today = timezone.localdate()
        form = RegisterForm(initial={"date_from": date(today.year, today.month, 1), "date_to": today, "fmt": "pdf"})
        return render(request, "backoffice/register.html", {"form": form})
    form = RegisterForm(request.GET)
    errors: list[str] = []
    if form.is_valid():
        d = form.cleaned_data
        try:
            content = slips.render_register(request.office.agency, d["date_from"], d["date_to"], d["fmt"])
        except InvalidInputError as error:
            errors = apply_service_errors(form, error.errors)
        else:
            response = HttpResponse(content, content_type=REGISTER_TYPES[d["fmt"]])
            name = f"so-theo-doi-{request.office.agency.organ_code or request.office.agency.pk}-" \
                   f"{d['date_from']:%Y%m%d}-{d['date_to']:%Y%m%d}.{d['fmt']}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "backoffice/register.html", {"form": form, "errors": errors}, status=400)
