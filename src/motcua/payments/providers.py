"""The payment-provider interface: what motcua needs from a gateway, whatever the gateway is.

The Vietnamese gateways (VNPAY, the national platform PayGov, bank gateways) share one shape:
  1. the merchant sends the citizen's browser to the gateway with signed parameters (order,
     amount, return address);
  2. after payment the gateway calls the merchant server to server (IPN) with signed parameters,
     and expects an answer in its own format ("RspCode" "00" = recorded); it repeats the call
     until it gets one;
  3. the gateway sends the browser back to the return address, with the same signed parameters.
A provider turns a `Payment` into the redirect of step 1, checks and reads the parameters of
step 2 into a `CallbackResult`, and writes the answer the gateway expects. The business rules
(which order, which amount, paid once) are in services.py and are the same for every provider.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class Answer(Enum):
    """The answers motcua gives a gateway's callback; each provider writes them in its own format."""

    CONFIRMED = "confirmed"
    ORDER_NOT_FOUND = "order_not_found"
    ALREADY_CONFIRMED = "already_confirmed"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_SIGNATURE = "invalid_signature"
    ERROR = "error"


@dataclass
class CallbackResult:
    """What a callback says, once its signature is checked. `valid` False: nothing else may be trusted."""

    valid: bool
    order_id: str = ""
    amount: int | None = None
    currency: str = ""
    # True: the gateway says the money was taken. False with `cancelled`: the citizen gave up.
    success: bool = False
    cancelled: bool = False
    provider_txn_id: str = ""
    paid_at: datetime | None = None
    response_code: str = ""
    raw: dict = field(default_factory=dict)
    error: str = ""


class PaymentProvider(Protocol):
    code: str
    label: str

    def create_payment(self, payment, return_url: str) -> str:
        """The URL to send the citizen's browser to, to pay `payment`."""

    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        """Check the signature of a callback (IPN or browser return) and read it."""

    def answer(self, answer: Answer, message: str) -> dict:
        """The body the gateway expects in reply to its IPN (JSON)."""


def get_provider() -> PaymentProvider:
    return import_string(settings.MOTCUA_PAYMENT_PROVIDER)()
