"""The notification log in the admin: read-only, recipients masked in the list."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.notifications.models import Notification, mask_recipient


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "dossier", "channel", "masked_recipient", "template", "status", "attempts",
                    "sent_at")
    list_filter = ("status", "channel", "template")
    search_fields = ("dossier__code",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]

    @admin.display(description=_("người nhận"))
    def masked_recipient(self, obj):
        return mask_recipient(obj.recipient)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
