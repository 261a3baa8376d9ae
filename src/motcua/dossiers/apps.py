from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        # Registers the outbox handler that requests inter-agency steps.
        from motcua.dossiers import interagency  # noqa: F401
