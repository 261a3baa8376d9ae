"""Helpers for payment tests: a dossier whose procedure charges a fee, a citizen, the worker, IPNs."""

from django.conf import settings
from django.contrib.auth.models import User

from motcua.catalog.models import Fee
from motcua.core import outbox
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import receive
from motcua.payments import sandbox


def fee_procedure() -> tuple[str, int]:
    """A real procedure of the catalogue whose in-person channel charges a fee: (code, total in VND)."""
    # At least 1 000 đồng: the source has typos such as "20 VNĐ (20.000 vnđ /tờ khai)" (1.000014).
    fee = (Fee.objects.filter(amount__gte=1000, channel__kind="in_person", channel__version__status="published")
           .select_related("channel__version__procedure").order_by("channel__version__procedure__code").first())
    assert fee is not None, "the bundled catalogue has procedures with fees"
    channel = fee.channel
    total = sum(f.amount for f in channel.fees.all() if f.amount is not None)
    return channel.version.procedure.code, total


def dossier_with_fee(people, **kw) -> Dossier:
    code, _total = fee_procedure()
    return receive(people, code=code, **kw)


def citizen_of(dossier: Dossier, username: str = "nhung") -> User:
    """The applicant's own account (the portal's sign-in would create it)."""
    user = User.objects.create_user(username, password="mat-khau-du-dai-2026")
    dossier.applicant.user = user
    dossier.applicant.save(update_fields=["user"])
    return user


def deliver_all(rounds: int = 10) -> None:
    """Run the worker until nothing is due: each pass delivers what the previous one queued."""
    for _ in range(rounds):
        if not outbox.deliver_due():
            return
    raise AssertionError("the outbox kept producing events")


def ipn_params(payment, *, code: str = "00", amount: int | None = None, currency: str = "VND",
               txn: str = "14012345", secret: str | None = None, **extra) -> dict:
    """An IPN as the sandbox bank signs it (a real gateway's secret is the merchant's, as here)."""
    params = {
        "vnp_TmnCode": "MOTCUA01",
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_CurrCode": currency,
        "vnp_TxnRef": payment.order_id,
        "vnp_OrderInfo": "Thanh toan phi le phi",
        "vnp_BankCode": "MCSANDBOX",
        "vnp_PayDate": "20261126103000",
        "vnp_ResponseCode": code,
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TransactionNo": txn,
        **extra,
    }
    return sandbox.signed(params, secret or settings.MOTCUA_PAYMENT_SANDBOX_SECRET)
