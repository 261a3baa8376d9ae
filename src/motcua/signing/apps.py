from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = _("Chữ ký số kết quả")

    def ready(self):
        from motcua.signing import checks, logs  # noqa: F401  (registers the system checks)

        logs.quiet_pyhanko_validation()
