from django.contrib import admin

from motcua.indicators.models import IndicatorDefinition, RankingBand


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "group", "max_points", "threshold", "scored", "effective_from", "confirmed")
    list_filter = ("group", "confirmed", "scored")
    search_fields = ("code", "label", "legal_source")
    ordering = ("code", "-effective_from")


@admin.register(RankingBand)
class RankingBandAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "min_total", "effective_from", "confirmed")
    ordering = ("-effective_from", "-min_total")
