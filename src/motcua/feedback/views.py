"""PAKN pages: public (submit, track, published answers, votes) and the officials' queue and case page.

Views parse the request and call services/selectors. A case a visitor may not see answers 404, the
same as an unknown code, so the pages never tell whether a code exists.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.access import official_required
from motcua.catalog.models import Procedure
from motcua.citizens import selectors as citizen_selectors
from motcua.feedback import permissions, selectors, services
from motcua.feedback.choices import Status
from motcua.feedback.errors import FeedbackError, InvalidInputError
from motcua.feedback.forms import ActionForm, FollowUpForm, LookupForm, SearchForm, SubmitForm, SupplementForm
from motcua.feedback.models import FeedbackCase
from motcua.units.models import Agency

SESSION_CASES = "feedback_case_ids"
PAGE_SIZE = 20


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def _grant(request, case: FeedbackCase) -> None:
    ids = set(request.session.get(SESSION_CASES, []))
    ids.add(case.pk)
    request.session[SESSION_CASES] = sorted(ids)


def _is_submitter(request, case: FeedbackCase) -> bool:
    return case.pk in request.session.get(SESSION_CASES, []) or permissions.is_submitter(request.user, case)


def _place_errors(form, errors: dict[str, str]) -> None:
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


# ------------------------------------------------------------------------------ public

@require_GET
def index(request):
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.published(q), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {"form": form, "page": page, "q": q}
    if _is_htmx(request):
        return render(request, "feedback/partials/published_list.html", context)
    return render(request, "feedback/index.html", context)


@require_http_methods(["GET", "POST"])
def submit(request):
    code = request.GET.get("thu-tuc") or request.POST.get("thu-tuc") or ""
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first() if code else None
    initial = {}
    if request.method == "GET" and request.user.is_authenticated:
        # A signed-in citizen's declared data fills the submitter's part; they can change it.
        prefill = citizen_selectors.profile_prefill(request.user)
        initial = {"submitter_name": prefill.get("applicant_name", ""), "submitter_email": prefill.get("email", ""),
                   "submitter_phone": prefill.get("phone", ""), "submitter_address": prefill.get("address", "")}
    form = SubmitForm(request.POST or None, procedure=procedure, initial=initial)
    warn_diacritics = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        sub = services.Submission(
            kind=d["kind"], category=d["category"], title=d["title"], content=d["content"], agency=d["agency"],
            submitter_name=d["submitter_name"], submitter_email=d["submitter_email"],
            submitter_phone=d["submitter_phone"], submitter_address=d["submitter_address"],
            submitter_id_number=d["submitter_id_number"], procedure=procedure, dossier_code=d["dossier_code"],
            consent_publish=d["consent_publish"], confirm_no_diacritics=d["confirm_no_diacritics"],
        )
        try:
            case = services.submit(sub, user=request.user)
        except InvalidInputError as error:
            # The diacritics warning is a question, not an error: its own notice asks it, next to the box.
            warn_diacritics = "confirm_no_diacritics" in error.errors
            _place_errors(form, {k: v for k, v in error.errors.items() if k != "confirm_no_diacritics"})
        else:
            _grant(request, case)
            messages.success(request, _("Đã gửi. Mã phản ánh, kiến nghị của bạn là %(code)s; hãy ghi lại để theo dõi.")
                             % {"code": case.code})
            return redirect("feedback:case", code=case.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "feedback/submit.html", {"form": form, "procedure": procedure,
                                                    "warn_diacritics": warn_diacritics}, status=status)


@require_http_methods(["GET", "POST"])
def track(request):
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = selectors.case_by_code_and_contact(form.cleaned_data["code"], form.cleaned_data["contact"])
        if case is not None:
            _grant(request, case)
            return redirect("feedback:case", code=case.code)
        form.add_error(None, _("Không tìm thấy phản ánh, kiến nghị với mã và thư điện tử hoặc số điện thoại này."))
    status = 422 if request.method == "POST" else 200
    return render(request, "feedback/track.html", {"form": form}, status=status)


def _own_case(request, code: str) -> FeedbackCase:
    case = FeedbackCase.objects.select_related("agency", "procedure").filter(code=code).first()
    if case is None or not _is_submitter(request, case):
        raise Http404
    return case


@require_GET
def case_page(request, code):
    case = _own_case(request, code)
    return _render_case(request, case)


def _render_case(request, case, *, supplement_form=None, follow_up_form=None, status=200):
    return render(request, "feedback/case.html", {
        "case": case,
        "history": case.history.select_related("agency"),
        "follow_ups": case.follow_ups.all(),
        "supplement_form": supplement_form or SupplementForm(),
        "follow_up_form": follow_up_form or FollowUpForm(),
        "can_supplement": case.status == Status.SUPPLEMENT_REQUESTED,
        "can_follow_up": case.status in (Status.ANSWERED, Status.PUBLISHED),
    }, status=status)


@require_POST
def submitter_action(request, code, action):
    case = _own_case(request, code)
    form_class = {"supplement": SupplementForm, "reopen": FollowUpForm}.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            services.transition(case.pk, action, actor=request.user, data=form.cleaned_data, submitter=True)
        except InvalidInputError as error:
            _place_errors(form, error.errors)
        except FeedbackError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã gửi."))
            return redirect("feedback:case", code=case.code)
    case.refresh_from_db()
    forms_ = {"supplement_form": form} if action == "supplement" else {"follow_up_form": form}
    return _render_case(request, case, status=422, **forms_)


@require_GET
def published_detail(request, code):
    case = selectors.published_case(code)
    if case is None:
        raise Http404
    return render(request, "feedback/published.html", {"case": case, "my_vote": _my_vote(request, case)})


def _voter(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


def _my_vote(request, case):
    if not request.user.is_authenticated and not request.session.session_key:
        return None
    row = case.votes.filter(voter=_voter(request)).first()
    return None if row is None else row.liked


@require_POST
def vote(request, code):
    case = selectors.published_case(code)
    if case is None:
        raise Http404
    choice = request.POST.get("binh-chon")
    if choice not in ("dong-tinh", "khong-dong-tinh"):
        return render(request, "feedback/partials/votes.html",
                      {"case": case, "my_vote": _my_vote(request, case),
                       "vote_error": _("Hãy chọn đồng tình hoặc không đồng tình.")}, status=422)
    case = services.vote(case.pk, voter=_voter(request), liked=choice == "dong-tinh")
    context = {"case": case, "my_vote": choice == "dong-tinh"}
    if _is_htmx(request):
        return render(request, "feedback/partials/votes.html", context)
    return redirect("feedback:published", code=case.code)


# ------------------------------------------------------------------------------ officials

QUEUE_LABELS = {
    "dang-xu-ly": _lazy("Đang xử lý"), "qua-han": _lazy("Quá hạn"), "sap-den-han": _lazy("Sắp đến hạn"),
    "cho-cong-khai": _lazy("Chờ công khai"), "da-xong": _lazy("Đã xong"), "tat-ca": _lazy("Tất cả"),
}


@require_GET
@official_required
def office_queue(request):
    name = request.GET.get("hang-doi") or "dang-xu-ly"
    if name not in QUEUE_LABELS:
        name = "dang-xu-ly"
    q = (request.GET.get("q") or "")[:100]
    agency = request.office.agency
    page = Paginator(selectors.queue(agency, name, q), PAGE_SIZE).get_page(request.GET.get("trang"))
    counts = selectors.queue_counts(agency)
    flags = selectors.deadline_flags(page.object_list)
    rows = [{"case": c, "flag": flags[c.pk]} for c in page.object_list]
    return render(request, "feedback/office/queue.html", {
        "page": page, "rows": rows, "queue": name, "q": q,
        "tabs": [(slug, label, slug == name, counts[slug]) for slug, label in QUEUE_LABELS.items()],
    })


def _office_case(request, pk) -> FeedbackCase:
    case = get_object_or_404(FeedbackCase.objects.select_related("agency", "procedure", "dossier"), pk=pk)
    if not permissions.can_handle(request.user, case):
        raise Http404
    return case


def _render_office_case(request, case, forms_=None, status=200):
    forms_ = forms_ or {}
    actions = []
    allowed = {a.key for a in services.allowed_actions(case, request.user)}
    # An action refused outright (no right, wrong status) has no form on the page: say why at the top.
    page_errors = [e for key, form in forms_.items() if key not in allowed for e in form.non_field_errors()]
    for action in services.allowed_actions(case, request.user):
        form = forms_.get(action.key) or ActionForm(action=action.key, initial={
            "expected_version": case.version, "published_title": case.published_title,
            "published_content": case.published_content, "published_answer": case.published_answer})
        actions.append({"key": action.key, "label": action.label, "form": form})
    return render(request, "feedback/office/case.html", {
        "case": case, "actions": actions, "history": case.history.select_related("agency"),
        "follow_ups": case.follow_ups.all(), "flag": selectors.deadline_flags([case])[case.pk],
        "late": selectors.is_late(case), "now": timezone.now(), "page_errors": page_errors,
    }, status=status)


@require_GET
@official_required
def office_case(request, pk):
    return _render_office_case(request, _office_case(request, pk))


@require_POST
@official_required
def office_action(request, pk, action):
    case = _office_case(request, pk)
    if action not in services.ACTIONS:
        raise Http404
    form = ActionForm(request.POST, action=action)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        if action == "forward":
            key = (data.get("agency") or "").strip()
            data["agency"] = Agency.objects.filter(organ_code=key).first() or Agency.objects.filter(slug=key).first()
            if key and data["agency"] is None:
                form.add_error("agency", _("Không tìm thấy cơ quan có mã “%(key)s”.") % {"key": key})
        if form.is_valid():
            try:
                services.transition(case.pk, action, actor=request.user, data=data,
                                    expected_version=form.cleaned_data.get("expected_version"))
            except InvalidInputError as error:
                _place_errors(form, error.errors)
            except FeedbackError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": services.ACTIONS[action].label})
                if not permissions.can_handle(request.user, FeedbackCase.objects.get(pk=case.pk)):
                    return redirect(reverse("feedback:office_queue"))
                return redirect("feedback:office_case", pk=case.pk)
    case.refresh_from_db()
    return _render_office_case(request, case, {action: form}, status=422)
