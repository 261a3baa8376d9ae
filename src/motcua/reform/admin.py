from django.contrib import admin

from motcua.reform.models import CostAssessment, CostParameters, PlanItem, SimplificationPlan


@admin.register(CostParameters)
class CostParametersAdmin(admin.ModelAdmin):
    list_display = ("name", "effective_from", "monthly_income", "cost_per_copy", "travel_cost_per_trip")


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
