"""Outbox handlers of the payments context, run by the worker (registered in PaymentsConfig.ready)."""

import logging

from motcua.core.outbox import handles
from motcua.payments import sandbox, services

logger = logging.getLogger(__name__)


@handles(services.PAID_TOPIC)
def lay_out_receipt(event) -> None:
    """The receipt PDF of a confirmed payment; a retry after a crash finds it done and does nothing."""
    services.store_receipt_pdf(event.payload["payment"])


@handles(sandbox.IPN_TOPIC)
def send_sandbox_ipn(event) -> None:
    """The sandbox bank calls the merchant back, and calls again later until it is acknowledged.

    "00" (recorded) and "02" (already recorded) end it, as with VNPAY. "99" (the merchant failed)
    and a network error raise, so the outbox tries again with backoff. A refusal (bad signature,
    unknown order, wrong amount) is final: repeating the same signed message cannot change it,
    and the merchant has logged it.
    """
    answer = sandbox.deliver_ipn(event.payload["params"])
    code = str(answer.get("RspCode", ""))
    if code in ("00", "02"):
        return
    if code == "99" or not code:
        raise sandbox.IpnNotAcknowledgedError(f"IPN not acknowledged: {answer!r}")
    logger.warning("sandbox IPN for %s refused by the merchant: %r", event.aggregate_id, answer)
