from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.citizens.models import CitizenProfile, ExternalIdentity, LoginAttempt
from motcua.citizens.selectors import mask_id_number


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "user", "masked_id_number", "email_verified_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["full_name", "organisation_name", "user__email", "tax_code"]
    raw_id_fields = ["user", "unit"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("số định danh"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["provider", "subject", "user", "linked_at", "last_login_at"]
    list_filter = ["provider"]
    raw_id_fields = ["user"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """A log to read: attempts are written by the login page only."""

    list_display = ["at", "email", "ip", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["email", "ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
