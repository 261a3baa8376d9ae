from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Thông báo cho người nộp")

    def ready(self):
        # Registers the outbox handlers: dossier.* and payment.paid plan messages, notification.send sends one.
        from motcua.notifications import handlers  # noqa: F401
