from django.contrib import admin

from motcua.feedback.models import CaseEvent, FeedbackCase, FeedbackLimit, FollowUp


@admin.register(FeedbackLimit)
class FeedbackLimitAdmin(admin.ModelAdmin):
    list_display = ("stage", "working_days", "effective_from", "legal_source")
    list_filter = ("stage",)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "agency", "at", "actor_label", "note")
    exclude = ("actor",)

    def has_add_permission(self, request, obj=None):
        return False


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "content", "disagrees_with_result", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FeedbackCase)
class FeedbackCaseAdmin(admin.ModelAdmin):
    """Read-only: every change goes through feedback.services (history, audit, outbox)."""

    list_display = ("code", "title", "category", "status", "agency", "received_at", "answer_due_at")
    list_filter = ("status", "category", "kind")
    search_fields = ("code", "title", "submitter_email", "submitter_phone")
    inlines = [CaseEventInline, FollowUpInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
