from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.reform.models import CostAssessment, CostParameters, PlanItem, SimplificationPlan


@admin.register(CostParameters)
class CostParametersAdmin(admin.ModelAdmin):
    list_display = ("name", "effective_from", "monthly_income", "hourly", "cost_per_copy", "travel_cost_per_trip",
                    "verification")
    list_filter = ("confirmed",)

    @admin.display(description=_("thu nhập bình quân giờ (đồng)"))
    def hourly(self, obj):
        return f"{obj.hourly_income:,.0f}".replace(",", ".")

    @admin.display(description=_("xác minh"), ordering="confirmed")
    def verification(self, obj):
        if obj.confirmed:
            return _("đã xác minh")
        # Said in words: the prices drive every published compliance cost.
        return format_html('<strong style="color:#b00020">{}</strong>', _("chưa xác minh"))


@admin.register(CostAssessment)
class CostAssessmentAdmin(admin.ModelAdmin):
    list_display = ("version", "kind", "channel", "subjects", "cost_per_occurrence", "annual_cost", "created_at")
    list_filter = ("kind", "channel")
    raw_id_fields = ("version",)

    # An assessment is a record of a computation: edit the inputs through a new assessment.
    def has_change_permission(self, request, obj=None):
        return False


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    raw_id_fields = ("procedure", "before", "after")
    extra = 0


@admin.register(SimplificationPlan)
class SimplificationPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "agency", "published")
    inlines = [PlanItemInline]
    raw_id_fields = ("agency",)
