"""The citizen's online-service pages. Thin: each calls a selector or a service.

Who sees what (docs/eservices.md, "Permissions"): the submission, "my dossiers" and the document
store need a citizen's account (anonymous → login page, an official's account → 403); a dossier,
its slips, results and papers are found only among the signed-in citizen's own, so anything else
answers 404 — the same as a code that does not exist, so codes cannot be probed.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.models import Procedure
from motcua.citizens import selectors as citizens
from motcua.citizens.throttle import client_ip
from motcua.citizens.views import _communes, _provinces, citizen_required
from motcua.dossiers.choices import TERMINAL_STAGES, Status
from motcua.dossiers.errors import DossierError, InvalidInputError
from motcua.eforms import selectors as eform_selectors
from motcua.eforms.rendering import render_form
from motcua.eforms.services import load_draft
from motcua.eservices import selectors, services
from motcua.lib import uploads
from motcua.payments import selectors as payment_selectors
from motcua.payments import services as payment_services
from motcua.satisfaction.views import remember_verified
from motcua.signing.selectors import results_for_dossier


def _version_or_404(code: str):
    procedure = Procedure.objects.select_related("template").filter(code=code).first()
    version = procedure.current_version if procedure else None
    if version is None or version.status != "published":
        raise Http404
    return procedure, version


def _unit_picker(post, profile_values: dict) -> dict:
    unit_code = (post.get("unit") if post is not None else profile_values.get("unit_code")) or ""
    province = (post.get("province") if post is not None else profile_values.get("province_code")) or ""
    if unit_code and not province:
        unit = selectors.current_unit(unit_code)
        province = unit.parent.code if unit and unit.parent_id else ""
    return {"provinces": _provinces(), "province": province, "communes": _communes(province), "unit_code": unit_code}


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def submit(request, procedure_code: str):
    procedure, version = _version_or_404(procedure_code)
    if not selectors.has_online_channel(version):
        return render(request, "eservices/message.html", {
            "title": _("Thủ tục này chưa nộp trực tuyến được"),
            "message": _("Thủ tục %(code)s không có hình thức nộp trực tuyến; hãy nộp trực tiếp hoặc qua bưu chính "
                         "theo hướng dẫn trên trang thủ tục.") % {"code": procedure.code},
            "back": reverse("portal:procedure", args=[procedure.code])}, status=404)
    if not citizens.can_submit_dossiers(request.user):
        return render(request, "eservices/cannot_submit.html", {"procedure": procedure, "version": version},
                      status=403)
    eform = eform_selectors.eform_for(procedure)
    profile = citizens.profile_prefill(request.user)
    prefill = eform_selectors.profile_values(request.user)
    errors: dict[str, str] = {}
    post = None
    notice = ""
    status = 200
    submission = services.open_submission(request.user, version)
    if request.method == "POST":
        post = request.POST
        if post.get("action") == "save_draft" and eform is not None:
            services.save_draft(request.user, eform, post)
            notice = _("Đã lưu nháp tờ khai. Tệp đính kèm không được lưu trong bản nháp: hãy chọn lại khi nộp.")
        else:
            try:
                dossier = services.submit(request.user, token=post.get("form_token", ""), version=version,
                                          eform=eform, post=post, files=request.FILES)
            except InvalidInputError as error:
                errors, status = error.errors, 400
            else:
                return redirect(reverse("eservices:dossier", args=[dossier.code]) + "?da-nop=1")
    form_errors = {k.removeprefix(services.EFORM_PREFIX): v for k, v in errors.items()
                   if k.startswith(services.EFORM_PREFIX)}
    data = post if post is not None else (load_draft(request.user, eform) if eform else None)
    form_html = render_form(eform, data=data or None, errors=form_errors, prefill=prefill,
                            prefix=services.EFORM_PREFIX) if eform else ""
    slots = selectors.submission_slots(version, eform)
    documents = selectors.document_store(request.user)
    labels = {"unit": _("Xã/phường/đặc khu"), "phone": _("Số điện thoại"),
              **{s.key: _short(s.name) for s in slots}}
    page_errors = [{"id": {"unit": "id_unit"}.get(key, key),
                    "message": f"{labels[key]}: {message}" if key in labels else message}
                   for key, message in errors.items() if not key.startswith(services.EFORM_PREFIX)]
    return render(request, "eservices/submit.html", {
        "procedure": procedure, "version": version, "eform": eform, "form_html": form_html,
        "slots": slots, "documents": documents,
        "main_slots": [s for s in slots if s.wanted or s.required],
        "other_slots": [s for s in slots if not (s.wanted or s.required)],
        "other_open": any(s.key in errors for s in slots if not (s.wanted or s.required)), "errors": errors, "page_errors": page_errors,
        "has_eform_errors": bool(form_errors), "form_token": submission.token, "notice": notice,
        "picker": _unit_picker(post, profile), "unit_error": errors.get("unit", ""),
        "unit_field": {"errors": [errors["unit"]]} if errors.get("unit") else None,
        "phone": (post.get("phone") if post is not None else profile.get("phone")) or "",
        "reuse": {s.key: (post.get(f"reuse-{s.key}") if post is not None else "") for s in slots},
        "max_file": uploads.format_size(uploads.max_file_bytes()),
        "max_dossier": uploads.format_size(uploads.max_dossier_bytes()),
        "fee": _fee_text(version),
    }, status=status)


def _short(name: str, limit: int = 90) -> str:
    """A catalogue paper's name fit for a summary line (the full text stays at the field)."""
    name = " ".join(name.lstrip("-+ ").split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _fee_text(version) -> str:
    from motcua.dossiers.services import fee_for
    from motcua.payments.money import format_vnd

    amount = fee_for(version, "online")
    return format_vnd(amount) if amount else ""


# ----------------------------------------------------------------------------- my dossiers

PAGE_SIZE = 20


@never_cache
@citizen_required
@require_GET
def my_dossiers(request):
    """`?trang-thai=<1–10>` keeps one national status; `?trang=<n>` is the page (20 a page)."""
    raw_status = request.GET.get("trang-thai", "").strip()
    status, error = None, ""
    if raw_status:
        if raw_status.isdigit() and int(raw_status) in Status.values:
            status = int(raw_status)
        else:
            error = _("Trạng thái: hãy chọn một trạng thái trong danh sách.")
    # get_page: a page number past the end or not a number shows the last or the first page.
    page = Paginator(selectors.my_dossiers(request.user, status), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [{"dossier": d, "id_masked": citizens.mask_id_number(d.applicant.id_number)} for d in page.object_list]
    return render(request, "eservices/my_dossiers.html", {
        "rows": rows, "page": page, "status": status, "statuses": Status.choices, "error": error,
        "query_string": urlencode({"trang-thai": status}) if status else "",
    }, status=400 if error else 200)


def _own_or_404(request, code: str):
    dossier = selectors.my_dossier(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def _dossier_page(request, dossier, *, status: int = 200, errors: dict | None = None, section: str = ""):
    fee = payment_selectors.payment_status(dossier)
    results = list(results_for_dossier(dossier))
    supplement = selectors.open_supplement(dossier)
    return render(request, "eservices/dossier.html", {
        "dossier": dossier, "timeline": selectors.timeline(dossier), "fee": fee, "results": results,
        "todo": selectors.what_to_do(dossier, fee, results), "supplement": supplement,
        "supplement_slots": [{"key": f"paper-{i}", "name": name} for i, name in
                             enumerate(supplement.missing_papers)] if supplement else [],
        "may_withdraw": selectors.may_withdraw(dossier), "may_pay": fee.state == "unpaid" and
        payment_services.may_pay(request.user, dossier) and dossier.stage not in TERMINAL_STAGES,
        "slips": sorted(dossier.slips.all(), key=lambda s: (s.issued_at, s.pk)),
        "components": list(dossier.components.all()),
        "pending_declaration": selectors.pending_declaration(dossier),
        "id_masked": citizens.mask_id_number(dossier.applicant.id_number),
        "errors": errors or {}, "section": section,
        "documents": selectors.document_store(request.user) if supplement else [],
        "submitted": request.GET.get("da-nop") == "1",
    }, status=status)


@never_cache
@citizen_required
@require_GET
def dossier(request, code: str):
    return _dossier_page(request, _own_or_404(request, code))


@citizen_required
@require_POST
def supplement(request, code: str):
    dossier = _own_or_404(request, code)
    try:
        services.answer_supplement(request.user, dossier, request.POST, request.FILES)
    except InvalidInputError as error:
        return _dossier_page(request, dossier, status=400, errors=error.errors, section="supplement")
    except DossierError as error:
        return _dossier_page(request, dossier, status=error.status_code, errors={"dossier": error.message},
                             section="supplement")
    return redirect("eservices:dossier", code=dossier.code)


@citizen_required
@require_POST
def withdraw(request, code: str):
    dossier = _own_or_404(request, code)
    try:
        services.request_withdrawal(request.user, dossier, request.POST.get("reason", ""))
    except InvalidInputError as error:
        return _dossier_page(request, dossier, status=400, errors=error.errors, section="withdraw")
    except DossierError as error:
        return _dossier_page(request, dossier, status=error.status_code, errors={"withdraw": error.message},
                             section="withdraw")
    return redirect("eservices:dossier", code=dossier.code)


@citizen_required
@require_GET
def slip(request, code: str, slip_id: int):
    dossier = _own_or_404(request, code)
    found = next((s for s in dossier.slips.all() if s.pk == slip_id), None)
    if found is None or not found.file:
        raise Http404
    return FileResponse(found.file.open("rb"), content_type="application/pdf",
                        filename=f"{dossier.code}-mau-{found.form.number}.pdf")


@citizen_required
@require_GET
def result(request, code: str, result_id: int):
    dossier = _own_or_404(request, code)
    found = get_object_or_404(results_for_dossier(dossier), pk=result_id)
    return FileResponse(found.file.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"{dossier.code}-ket-qua.pdf")


# ----------------------------------------------------------------------------- document store

@never_cache
@citizen_required
@require_GET
def documents(request):
    return render(request, "eservices/documents.html", {"documents": selectors.document_store(request.user)})


@citizen_required
@require_GET
def document(request, item_id: str):
    item = selectors.stored_document(request.user, item_id)
    if item is None or not item.file:
        raise Http404
    name = item.file.name.rsplit("/", 1)[-1]
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=name)


# ----------------------------------------------------------------------------- public lookup

@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    # ?ma=<code>: the tracking link of the notifications (MOTCUA_TRACKING_URL) fills the code in.
    context = {"code": request.GET.get("ma", "").strip()[:60], "phone": "", "found": None, "not_found": False,
               "error": ""}
    status = 200
    if request.method == "POST":
        code, phone = request.POST.get("code", "").strip(), request.POST.get("phone", "").strip()
        context.update(code=code, phone=phone)
        if not code or not phone:
            context["error"] = _("Nhập cả mã hồ sơ và số điện thoại của người nộp.")
            status = 400
        else:
            try:
                # No transaction around it: each attempt row is committed at once, so parallel
                # guesses see each other (citizens.throttle).
                found = services.lookup(code, phone, client_ip(request))
            except services.LookupThrottledError as error:
                response = render(request, "eservices/lookup.html", {**context, "error": error.message}, status=429)
                response["Retry-After"] = str(error.minutes * 60)
                return response
            if found is None:
                context["not_found"] = True
                status = 404
            else:
                # The rating link below the result must not ask for the same phone again.
                remember_verified(request, found)
                context.update(found=found, timeline=selectors.timeline(found),
                               applicant_name=selectors.mask_name(found.applicant.full_name),
                               id_masked=citizens.mask_id_number(found.applicant.id_number))
    return render(request, "eservices/lookup.html", context, status=status)
