from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = _("Trục liên thông văn bản")

    def ready(self):
        # Registers the outbox handler that answers inter-agency requests received over the axis.
        from django.conf import settings

        from motcua.core import schedule
        from motcua.exchange import interagency

        # `motcua worker` syncs with the hub every minute when this instance is an agency's client,
        # so nobody has to cron `motcua exchange sync`.
        schedule.register_frequent(schedule.FrequentJob(
            "exchange.sync", every=lambda: settings.MOTCUA_EXCHANGE_SYNC_SECONDS, run=lambda: interagency.sync(),
            enabled=interagency.sync_configured))
