from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self):
        # Registers the outbox handlers: the receipt PDF on payment.paid, the sandbox bank's IPN.
        from motcua.payments import handlers  # noqa: F401
