from django.contrib import admin

from motcua.eservices.models import OnlineSubmission


@admin.register(OnlineSubmission)
class OnlineSubmissionAdmin(admin.ModelAdmin):
    list_display = ["dossier", "user", "procedure_version", "created_at", "submitted_at"]
    list_select_related = ["dossier", "user"]
    search_fields = ["dossier__code", "user__email"]
    raw_id_fields = ["user", "procedure_version", "dossier", "eform"]

    def has_change_permission(self, request, obj=None):
        # What the citizen filed is evidence: read-only.
        return False
