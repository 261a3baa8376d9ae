from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.satisfaction.models import (
    Rating,
    RatingAnswer,
    RatingCriterion,
    SipasCampaign,
    SipasCriterion,
    SipasElement,
    SipasInvitation,
)


class LegalDataAdmin(admin.ModelAdmin):
    """Configuration that the law sets: its effective date, its source and whether it was checked."""

    @admin.display(description=_("xác minh"), ordering="confirmed")
    def verification(self, obj):
        if obj.confirmed:
            return _("đã xác minh")
        # Said in words, not only a red icon: an administrator must not take the figure for law.
        return format_html('<strong style="color:#b00020">{}</strong>', _("chưa xác minh"))


@admin.register(RatingCriterion)
class RatingCriterionAdmin(LegalDataAdmin):
    list_display = ("number", "title", "weight", "optional", "active", "effective_from", "verification",
                    "legal_source")
    list_filter = ("active", "confirmed", "effective_from")
    ordering = ("number", "-effective_from")


class RatingAnswerInline(admin.TabularInline):
    model = RatingAnswer
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "points")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: a rating is the citizen's word; it changes only through the rating page."""

    list_display = ("dossier", "level", "score", "rated_at", "changes")
    list_filter = ("level",)
    search_fields = ("dossier__code",)
    inlines = [RatingAnswerInline]
    readonly_fields = ("dossier", "level", "score", "comment", "rated_at", "changed_at", "changes", "rated_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SipasCriterionInline(admin.TabularInline):
    model = SipasCriterion
    extra = 0


@admin.register(SipasElement)
class SipasElementAdmin(LegalDataAdmin):
    list_display = ("number", "title", "effective_from", "verification", "legal_source")
    inlines = [SipasCriterionInline]


@admin.register(SipasCriterion)
class SipasCriterionAdmin(LegalDataAdmin):
    list_display = ("code", "text", "element", "content", "active", "effective_from", "verification", "legal_source")
    list_filter = ("element", "content", "active", "confirmed")


@admin.register(SipasCampaign)
class SipasCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "province", "period_start", "period_end", "sample_size", "state")
    list_filter = ("state",)
    readonly_fields = ("strata", "state", "opened_at", "closed_at")


@admin.register(SipasInvitation)
class SipasInvitationAdmin(admin.ModelAdmin):
    list_display = ("campaign", "dossier", "agency", "level", "channel", "emailed_at")
    list_filter = ("campaign", "level", "channel")
    readonly_fields = ("token",)
