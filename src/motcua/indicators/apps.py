from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "motcua.indicators"
    verbose_name = _("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)")

    def ready(self):
        # Registers the outbox handlers that keep the aggregate tables current.
        from motcua.indicators import handlers  # noqa: F401
        from motcua.indicators.tasks import register_nightly

        register_nightly()
