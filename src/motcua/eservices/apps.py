from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "motcua.eservices"
    label = "eservices"
    verbose_name = _("Dịch vụ công trực tuyến")

    def ready(self):
        # Registers the outbox handler that prints the declaration PDF of an online filing.
        from motcua.eservices import handlers  # noqa: F401
