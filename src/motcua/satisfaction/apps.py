from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "motcua.satisfaction"
    verbose_name = _("Đánh giá mức độ hài lòng (đánh giá hồ sơ, SIPAS)")

    def ready(self):
        # Registers the outbox handler that e-mails SIPAS invitations.
        from motcua.satisfaction import handlers  # noqa: F401
