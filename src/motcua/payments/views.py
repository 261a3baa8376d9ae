"""Pages of the payments context: the dossier's fee, the gateway's endpoints, the sandbox bank.

Thin adapters: each calls a service or a selector. Nothing here marks a payment paid except the
IPN endpoint, through `services.handle_callback`.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import can_view
from motcua.payments import sandbox, selectors, services
from motcua.payments.choices import PaymentStatus
from motcua.payments.money import format_vnd
from motcua.payments.providers import get_provider

# Applicants pay; they sign in with a citizen's account (officials are signed in already).
LOGIN_URL = "citizens:login"


def _message_page(request, title: str, message: str, status: int):
    return render(request, "payments/message.html", {"title": title, "message": message}, status=status)


def _not_found(request, message: str = ""):
    return _message_page(request, _("Không tìm thấy"), message or _("Không có hồ sơ hoặc giao dịch này."), 404)


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def dossier_fee(request, pk: int):
    """The dossier's fee, whether it is paid, its receipt, and the button that starts a payment."""
    dossier = (Dossier.objects.select_related("applicant", "procedure_version", "receiving_agency")
               .filter(pk=pk).first())
    # The same answer for "no such dossier" and "not yours": dossier numbers must not be probed.
    if dossier is None or not can_view(request.user, dossier):
        return _not_found(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            _payment, url = services.start_payment(dossier, user=request.user)
        except DossierError as exc:
            error = "; ".join(getattr(exc, "errors", {}).values()) or exc.message
            status = exc.status_code
        else:
            return redirect(url)
    fee = selectors.payment_status(dossier)
    attempts = list(dossier.payments.order_by("-created_at", "-id")[:20])
    return render(request, "payments/dossier_fee.html", {
        "dossier": dossier, "fee": fee, "attempts": attempts, "error": error,
        "may_pay": services.may_pay(request.user, dossier),
    }, status=status)


@csrf_exempt  # called by the gateway's servers, which hold no session; the signature is the check
@require_http_methods(["GET", "POST"])
def ipn(request):
    """The gateway's server-to-server callback (VNPAY sends it as GET, others POST: both are taken)."""
    params = request.POST if request.method == "POST" else request.GET
    return JsonResponse(services.handle_callback(params), json_dumps_params={"ensure_ascii": False})


@require_http_methods(["GET"])
def result(request):
    """Where the gateway sends the browser back. It shows the stored state and changes nothing."""
    outcome = get_provider().verify_callback(request.GET)
    if not outcome.valid:
        return _message_page(request, _("Kết quả thanh toán không hợp lệ"),
                             _("Dữ liệu trả về từ cổng thanh toán không đúng chữ ký; kết quả này không được ghi "
                               "nhận. Hãy xem tình trạng nộp phí trên trang hồ sơ."), 400)
    payment = selectors.payment_by_order(outcome.order_id)
    if payment is None:
        return _not_found(request)
    return render(request, "payments/result.html", {
        "payment": payment, "dossier": payment.dossier, "bank_says_paid": outcome.success,
        "bank_says_cancelled": outcome.cancelled, "amount_text": format_vnd(payment.amount),
        "waiting": payment.status == PaymentStatus.PENDING and outcome.success,
    })


@login_required(login_url=LOGIN_URL)
def receipt(request, order_id: str):
    payment = selectors.payment_by_order(order_id)
    if payment is None or not can_view(request.user, payment.dossier):
        return _not_found(request)
    if payment.status != PaymentStatus.PAID:
        return _not_found(request, _("Giao dịch này chưa được thanh toán nên chưa có biên lai."))
    if not payment.receipt_file:
        return _message_page(request, _("Biên lai đang được lập"),
                             _("Thanh toán đã được ghi nhận; biên lai điện tử số %(number)s đang được lập. "
                               "Hãy tải lại trang sau ít phút.") % {"number": payment.receipt_number}, 202)
    return FileResponse(payment.receipt_file.open("rb"), content_type="application/pdf",
                        filename=f"bien-lai-{payment.receipt_number}.pdf")


# ----------------------------------------------------------------------------- the sandbox bank

def _sandbox_enabled() -> bool:
    # The pretend bank must not exist beside a real gateway: it would take no money.
    return issubclass(import_string(settings.MOTCUA_PAYMENT_PROVIDER), sandbox.SandboxProvider)


@require_http_methods(["GET", "POST"])
def sandbox_bank(request, order_id: str):
    """The sandbox bank's payment page: the citizen pays ("Thanh toán") or gives up ("Hủy")."""
    if not _sandbox_enabled():
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    try:
        fields = sandbox.bank_read_request(order_id, source)
    except sandbox.BankRequestError as error:
        return render(request, "payments/sandbox_bank.html", {"error": str(error)}, status=400)
    if request.method == "GET":
        return render(request, "payments/sandbox_bank.html", {
            "fields": fields, "order_id": order_id,
            "amount_text": format_vnd(int(fields["vnp_Amount"]) // 100),
        })
    choice = request.POST.get("action")
    if choice not in ("pay", "cancel"):
        return render(request, "payments/sandbox_bank.html", {
            "error": _("Hãy chọn “Thanh toán” hoặc “Hủy” (action)."), "fields": fields, "order_id": order_id,
            "amount_text": format_vnd(int(fields["vnp_Amount"]) // 100)}, status=400)
    with transaction.atomic():
        outcome = sandbox.bank_complete(fields, pay=choice == "pay")
    return_url = fields.get("vnp_ReturnUrl", "")
    separator = "&" if urlsplit(return_url).query else "?"
    return redirect(f"{return_url}{separator}{urlencode(outcome)}")
