from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = _("Trục liên thông văn bản")

    def ready(self):
        # Registers the outbox handler that answers inter-agency requests received over the axis.
        from motcua.exchange import interagency  # noqa: F401
