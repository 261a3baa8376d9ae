from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self):
        from motcua.workdays import signals

        signals.connect()
