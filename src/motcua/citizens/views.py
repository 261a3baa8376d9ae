"""The account pages of the public portal (/tai-khoan/...). A view parses the request, calls
citizens.services or citizens.identity, and renders; the rules are not here.

Each page works on the signed-in user's own account only: no URL carries an account's id, so
there is no other account's page to reach.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.citizens import forms, identity, selectors, services, throttle
from motcua.citizens.choices import ProfileKind
from motcua.citizens.models import CitizenProfile
from motcua.citizens.selectors import get_profile
from motcua.units.choices import Edition, UnitLevel
from motcua.units.models import AdministrativeUnit
from motcua.units.selectors import list_units


def citizen_required(view):
    """Signed in with a citizen's account: anonymous visitors go to the login page, officials get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            # After logging in the browser GETs `next`: a form's POST address would only answer 405.
            back = request.get_full_path() if request.method == "GET" else reverse("citizens:profile")
            return redirect_to_login(back, reverse("citizens:login"))
        if get_profile(request.user) is None:
            return render(request, "citizens/not_citizen.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


# ------------------------------------------------------------------------------ units picker

def _provinces():
    return list(list_units(edition=Edition.CURRENT, level=UnitLevel.PROVINCE).values_list("code", "name"))


def _communes(province_code: str):
    if not province_code:
        return []
    return list(list_units(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, parent_code=province_code)
                .order_by("name_folded").values_list("code", "name"))


def _picker(form) -> dict:
    """The province and commune lists of the address picker, for what the form holds now."""
    unit_code = str(form["unit"].value() or "")
    province = str(form["province"].value() or "")
    if unit_code and not province:
        unit = (AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, code=unit_code)
                .select_related("parent").first())
        province = unit.parent.code if unit and unit.parent_id else ""
    return {"provinces": _provinces(), "province": province, "communes": _communes(province), "unit_code": unit_code}


@require_GET
def communes(request: HttpRequest) -> HttpResponse:
    """The commune select for a province (htmx swaps it into the form when the province changes)."""
    province = request.GET.get("province", "").strip()
    rows = _communes(province)
    status = 200 if rows or not province else 404
    response = render(request, "citizens/partials/commune_select.html",
                      {"communes": rows, "province": province, "unit_code": "", "unit_field": None}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _rest_of_the_errors(form, check) -> None:
    """Run a service check on what the form could parse; add its errors to the fields without one yet."""
    try:
        check(form.cleaned_data)
    except services.AccountInputError as exc:
        forms.apply_errors(form, {field: message for field, message in exc.errors.items()
                                  if field in form.fields and field not in form.errors})


# ------------------------------------------------------------------------------ register

@sensitive_post_parameters("password", "password_confirm")
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and get_profile(request.user):
        return redirect("citizens:profile")
    form = forms.RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else None
        if data is None:
            # Report the services' findings on the other fields too, so one round trip shows every problem.
            _rest_of_the_errors(form, lambda d: services.check_registration(
                email=d.get("email") or "", password=d.get("password") or "", kind=d.get("kind") or "person",
                profile=form.profile_values()))
        else:
            try:
                user = services.register(email=data["email"], password=data["password"], kind=data["kind"],
                                         profile=form.profile_values(), language=request.LANGUAGE_CODE)
            except services.AccountInputError as exc:
                forms.apply_errors(form, exc.errors)
            else:
                identity.sign_in(request, user, identity.PASSWORD)
                messages.success(request, _("Đã tạo tài khoản. Chúng tôi vừa gửi thư đến %(email)s: hãy mở liên kết "
                                            "trong thư để xác thực địa chỉ e-mail.") % {"email": user.email})
                return redirect("citizens:profile")
        status = 400
    return render(request, "citizens/register.html", {"form": form, "picker": _picker(form)}, status=status)


# ------------------------------------------------------------------------------ e-mail verification

VERIFY_MESSAGES = {
    services.Verification.VERIFIED: gettext_lazy("Đã xác thực địa chỉ e-mail. Bạn có thể nộp hồ sơ trực tuyến."),
    services.Verification.ALREADY: gettext_lazy("Địa chỉ e-mail này đã được xác thực trước đó."),
    services.Verification.EXPIRED: gettext_lazy(
        "Liên kết xác thực đã hết hạn. Hãy đăng nhập và bấm “Gửi lại thư xác thực” để nhận liên kết mới."),
    services.Verification.INVALID: gettext_lazy(
        "Liên kết xác thực không đúng: có thể liên kết bị cắt ngắn hoặc sửa khi sao chép. Hãy mở lại liên kết "
        "trong thư, hoặc đăng nhập và bấm “Gửi lại thư xác thực”."),
    services.Verification.EMAIL_CHANGED: gettext_lazy(
        "Liên kết này dành cho địa chỉ e-mail trước đây của tài khoản. Hãy dùng liên kết trong thư mới nhất."),
}


@never_cache
@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    result = services.verify_email(token)
    ok = result.outcome in (services.Verification.VERIFIED, services.Verification.ALREADY)
    return render(request, "citizens/verify_email.html", {"ok": ok, "message": VERIFY_MESSAGES[result.outcome]},
                  status=200 if ok else 400)


@require_POST
@citizen_required
def resend_verification(request: HttpRequest) -> HttpResponse:
    if services.request_verification_email(request.user, request.LANGUAGE_CODE):
        messages.success(request, _("Đã gửi thư xác thực đến %(email)s. Nếu chưa thấy, hãy xem trong thư mục thư rác; "
                                    "mỗi 5 phút chỉ gửi một thư.") % {"email": request.user.email})
    else:
        messages.info(request, _("Địa chỉ e-mail của bạn đã được xác thực."))
    return redirect("citizens:profile")


# ------------------------------------------------------------------------------ login, logout

@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, reverse("citizens:profile"))
    if request.method == "GET" and request.user.is_authenticated and get_profile(request.user):
        return redirect(next_url)
    form = forms.LoginForm(request.POST if request.method == "POST" else None)
    status, retry_minutes = 200, 0
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = identity.local_password.authenticate(request, form.cleaned_data["email"],
                                                            form.cleaned_data["password"])
            except throttle.LoginThrottledError as exc:
                form.add_error(None, exc.message)
                status, retry_minutes = 429, exc.minutes
            else:
                if user is not None:
                    identity.sign_in(request, user, identity.PASSWORD)
                    return redirect(next_url)
                # Which of the two was wrong is not said: that would tell who has an account here.
                form.add_error(None, _("E-mail hoặc mật khẩu không đúng."))
    response = render(request, "citizens/login.html",
                      {"form": form, "next": next_url if next_url != reverse("citizens:profile") else ""},
                      status=status)
    if retry_minutes:
        response["Retry-After"] = str(60 * retry_minutes)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("citizens:login")


# ------------------------------------------------------------------------------ profile

@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    account = get_profile(request.user)
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.update_profile(request.user, form.profile_values())
            except services.AccountInputError as exc:
                forms.apply_errors(form, exc.errors)
            else:
                messages.success(request, _("Đã lưu hồ sơ."))
                return redirect("citizens:profile")
        else:
            _rest_of_the_errors(form, lambda _d: services.clean_profile(form.profile_values(), kind=account.kind,
                                                                        profile=account))
        status = 400
    else:
        form = forms.ProfileForm(initial={
            "full_name": account.full_name, "phone": account.phone, "date_of_birth": account.date_of_birth,
            "id_number": account.id_number, "address_line": account.address_line,
            "unit": account.unit.code if account.unit_id else "", "organisation_name": account.organisation_name,
            "tax_code": account.tax_code,
        })
        status = 200
    return render(request, "citizens/profile.html", {
        "form": form, "picker": _picker(form), "account": account,
        "organisation": account.kind == ProfileKind.ORGANISATION,
        "can_submit": selectors.can_submit_dossiers(request.user),
        "external_identities": request.user.external_identities.order_by("linked_at"),
    }, status=status)


# ------------------------------------------------------------------------------ passwords (Django's views)

class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "citizens/password_reset_form.html"
    success_url = reverse_lazy("citizens:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "citizens/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "citizens/password_reset_confirm.html"
    success_url = reverse_lazy("citizens:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        account = CitizenProfile.objects.filter(user=self.user).first()
        if account is not None:
            # Opening the link proved the address, and the owner must not stay locked out by
            # someone else's failed guesses: the reset counts as a successful login for the limit.
            services.mark_email_verified(account)
            throttle.record_success(self.user.email, throttle.client_ip(self.request))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "citizens/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: it keeps this session (update_session_auth_hash) and ends every other one."""

    template_name = "citizens/password_change.html"
    success_url = reverse_lazy("citizens:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."))
        return response
