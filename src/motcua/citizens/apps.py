from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "motcua.citizens"
    verbose_name = _("Tài khoản công dân, tổ chức")

    def ready(self):
        # Registers the outbox handler of account.* events (the e-mails of verification and password reset).
        from motcua.citizens import emails  # noqa: F401
