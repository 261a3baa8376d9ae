from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "motcua.dashboards"
    label = "dashboards"
    verbose_name = _("Bảng điều khiển công khai")

    def ready(self):
        from motcua.core import schedule
        from motcua.dashboards import warming

        # `motcua worker` keeps the national and provincial pages of the month computed in the shared
        # cache, so their visitors never wait for the engine (docs/dashboards.md, "Speed").
        schedule.register_frequent(schedule.FrequentJob(
            "dashboards.warm", every=warming.warm_every, run=warming.warm, enabled=warming.enabled))
