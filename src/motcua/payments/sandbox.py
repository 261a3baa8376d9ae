"""The sandbox gateway: a pretend bank, hosted by motcua itself, that behaves like VNPAY or PayGov.

Both sides live here, kept apart as they would be in the real world:

- the merchant side (`SandboxProvider`), which motcua uses exactly as it would use a real gateway;
- the bank side (`bank_*`), behind the pages under /thanh-toan/sandbox/. It knows nothing of
  motcua's tables: it trusts only the signed parameters it receives, as a real bank does.

The wire format follows VNPAY's public payment API 2.1.0 (vnp_* parameters, the amount times
100, HMAC-SHA512 over the sorted, URL-encoded parameters, IPN answers {"RspCode", "Message"}),
so that plugging the real gateway later is a configuration and a small adapter, not a redesign.
It is not a certified VNPAY client; docs/payments.md says what differs.

The sandbox bank sends its IPN from the worker (outbox topic `payment.sandbox_ipn`), never from
the page the citizen clicked: a real IPN arrives on its own schedule, often after the browser has
come back, and the return page must cope with that. The worker hands the IPN to the same service
the /thanh-toan/ipn/ view calls, in-process by default; with MOTCUA_PAYMENT_SANDBOX_IPN_URL set it
POSTs it over HTTP instead. In-process is the default because on SQLite the worker holds the
database's write lock while it delivers an event, so an HTTP call back into the same instance
would wait for itself.
"""

import hashlib
import hmac
import json
import logging
import secrets
import urllib.request
from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import quote_plus, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.core import outbox
from motcua.payments.providers import Answer, CallbackResult

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"
DATE_FORMAT = "%Y%m%d%H%M%S"  # gateways write times as yyyyMMddHHmmss, Vietnam time
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")
# How long the bank keeps a payment request open (vnp_ExpireDate).
REQUEST_LIFETIME = timedelta(minutes=15)
RESPONSE_SUCCESS = "00"
RESPONSE_CANCELLED = "24"  # VNPAY: "Khách hàng hủy giao dịch"
ANSWER_CODES = {
    Answer.CONFIRMED: "00",
    Answer.ORDER_NOT_FOUND: "01",
    Answer.ALREADY_CONFIRMED: "02",
    Answer.INVALID_AMOUNT: "04",
    Answer.INVALID_SIGNATURE: "97",
    Answer.ERROR: "99",
}
IPN_TOPIC = "payment.sandbox_ipn"


# ----------------------------------------------------------------------------- signing

def _signed_fields(params: Mapping[str, str]) -> dict[str, str]:
    return {k: str(v) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS}


def canonical_query(params: Mapping[str, str]) -> str:
    """The signed text: every vnp_ field but the hash, sorted by name, URL-encoded (space as '+')."""
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in sorted(_signed_fields(params).items()))


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical_query(params).encode(), hashlib.sha512).hexdigest()


def signature_ok(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    # compare_digest: the time taken must not tell an attacker how much of a forged hash was right.
    return bool(given) and hmac.compare_digest(sign(params, secret), given)


def signed(params: dict[str, str], secret: str) -> dict[str, str]:
    return {**params, "vnp_SecureHash": sign(params, secret)}


def _secret() -> str:
    return settings.MOTCUA_PAYMENT_SANDBOX_SECRET


def _format_time(at: datetime) -> str:
    return at.astimezone(VN).strftime(DATE_FORMAT)


def parse_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------- merchant side

class SandboxProvider:
    code = "sandbox"
    label = "Cổng thanh toán thử nghiệm (sandbox)"

    def __init__(self, secret: str | None = None, merchant: str | None = None):
        self.secret = secret or _secret()
        self.merchant = merchant or settings.MOTCUA_PAYMENT_SANDBOX_MERCHANT

    def create_payment(self, payment, return_url: str) -> str:
        now = timezone.now()
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.merchant,
            # Gateways take integers: the amount times 100, so no decimal separator crosses the wire.
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CurrCode": payment.currency,
            "vnp_TxnRef": payment.order_id,
            # Without diacritics: several gateways and bank statements cannot show them.
            "vnp_OrderInfo": f"Thanh toan phi le phi ho so {payment.dossier.code}",
            "vnp_OrderType": "billpayment",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_CreateDate": _format_time(now),
            "vnp_ExpireDate": _format_time(now + REQUEST_LIFETIME),
        }
        path = reverse("payments:sandbox_bank", args=[payment.order_id])
        return f"{settings.MOTCUA_SITE_URL}{path}?{urlencode(signed(params, self.secret))}"

    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        fields = _signed_fields(params) | {k: str(params[k]) for k in HASH_FIELDS if k in params}
        order_id = fields.get("vnp_TxnRef", "")
        if not signature_ok(fields, self.secret):
            return CallbackResult(valid=False, order_id=order_id, raw=fields,
                                  error="Chữ ký (vnp_SecureHash) không hợp lệ.")
        raw_amount = fields.get("vnp_Amount", "")
        amount = int(raw_amount) // 100 if raw_amount.isdigit() and int(raw_amount) % 100 == 0 else None
        code = fields.get("vnp_ResponseCode", "")
        return CallbackResult(
            valid=True, order_id=order_id, amount=amount,
            # VNPAY's IPN carries no currency (it only takes VND); the sandbox sends one to be checked.
            currency=fields.get("vnp_CurrCode", "VND"),
            success=code == RESPONSE_SUCCESS and fields.get("vnp_TransactionStatus", RESPONSE_SUCCESS) == "00",
            cancelled=code == RESPONSE_CANCELLED,
            provider_txn_id=fields.get("vnp_TransactionNo", ""),
            paid_at=parse_time(fields.get("vnp_PayDate", "")),
            response_code=code, raw=fields,
        )

    def answer(self, answer: Answer, message: str) -> dict:
        return {"RspCode": ANSWER_CODES[answer], "Message": message}


# ----------------------------------------------------------------------------- bank side

class BankRequestError(ValueError):
    """The bank refuses the payment request; the message is shown on the bank's page."""


def bank_read_request(order_id: str, params: Mapping[str, str], *, now: datetime | None = None) -> dict[str, str]:
    """Check a payment request as the bank would: signature, order, amount, expiry."""
    fields = _signed_fields(params) | {k: str(params[k]) for k in HASH_FIELDS if k in params}
    if not signature_ok(fields, _secret()):
        raise BankRequestError("Yêu cầu thanh toán không hợp lệ: sai chữ ký (vnp_SecureHash).")
    if fields.get("vnp_TxnRef") != order_id:
        raise BankRequestError("Yêu cầu thanh toán không hợp lệ: mã đơn hàng (vnp_TxnRef) không khớp.")
    if not fields.get("vnp_Amount", "").isdigit() or int(fields["vnp_Amount"]) <= 0:
        raise BankRequestError("Yêu cầu thanh toán không hợp lệ: số tiền (vnp_Amount) không đúng.")
    expires = parse_time(fields.get("vnp_ExpireDate", ""))
    if expires is None or (now or timezone.now()) > expires:
        raise BankRequestError("Yêu cầu thanh toán đã hết hạn (vnp_ExpireDate); hãy quay lại và thanh toán lại.")
    return fields


def bank_complete(request_fields: Mapping[str, str], *, pay: bool) -> dict[str, str]:
    """The citizen pays or cancels: the bank records the outcome once and queues its IPN.

    The outbox event doubles as the bank's ledger: its key is the order, so a second click (the
    back button, a double submit) finds the first outcome and returns it unchanged.
    """
    now = timezone.now()
    result = {
        "vnp_TmnCode": request_fields["vnp_TmnCode"],
        "vnp_Amount": request_fields["vnp_Amount"],
        "vnp_CurrCode": request_fields.get("vnp_CurrCode", "VND"),
        "vnp_TxnRef": request_fields["vnp_TxnRef"],
        "vnp_OrderInfo": request_fields.get("vnp_OrderInfo", ""),
        "vnp_BankCode": "MCSANDBOX",
        "vnp_CardType": "ATM",
        "vnp_PayDate": _format_time(now),
        "vnp_ResponseCode": RESPONSE_SUCCESS if pay else RESPONSE_CANCELLED,
        "vnp_TransactionStatus": "00" if pay else "02",
        "vnp_TransactionNo": str(secrets.randbelow(10**8)).zfill(8) if pay else "0",
    }
    result = signed(result, _secret())
    event = outbox.emit(
        IPN_TOPIC, aggregate_type="payment_order", aggregate_id=result["vnp_TxnRef"],
        payload={"params": result, "return_url": request_fields.get("vnp_ReturnUrl", "")},
        idempotency_key=f"sandbox-ipn:{result['vnp_TxnRef']}",
    )
    return event.payload["params"]


class IpnNotAcknowledgedError(RuntimeError):
    """The merchant did not confirm the IPN; the outbox sends it again later, as a gateway does."""


def post_ipn(url: str, params: Mapping[str, str], timeout: float = 15) -> dict:
    """POST the IPN as a form to `url` and read the JSON answer."""
    request = urllib.request.Request(
        url, data=urlencode(dict(params)).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "motcua-sandbox-bank"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def deliver_ipn(params: Mapping[str, str]) -> dict:
    """Send one IPN to the merchant (in-process or over HTTP) and return its answer."""
    url = settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL
    if url:
        return post_ipn(url, params)
    from motcua.payments.services import handle_callback

    return handle_callback(params)
