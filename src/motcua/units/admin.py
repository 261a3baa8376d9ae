"""Django admin for units, the conversion table and agencies: searchable by name in any spelling."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.lib.text import fold
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession


class FoldedSearchMixin:
    """Search the folded name column with a folded query, so "ba dinh" finds "Ba Đình"."""

    folded_search_fields: tuple[str, ...] = ("name_folded",)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            matches = Q()
            for field in self.folded_search_fields:
                matches |= Q(**{f"{field}__contains": folded})
            results |= queryset.filter(matches)
        return results, may_have_duplicates


class ValidityFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("Còn hiệu lực")), ("no", _("Hết hiệu lực"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "unit_type", "level", "edition", "parent", "valid_from", "valid_to")
    list_filter = ("edition", "level", "unit_type")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    # 13,000 units: a select box of all of them would not render.
    raw_id_fields = ("parent",)
    readonly_fields = ("name_folded",)
    list_per_page = 50


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("old_unit", "new_unit", "kind", "note", "effective_on")
    list_filter = ("kind", "old_unit__level", "effective_on")
    search_fields = ("old_unit__code", "new_unit__code", "note")
    folded_search_fields = ("old_unit__name_folded", "new_unit__name_folded")
    list_select_related = ("old_unit", "new_unit")
    raw_id_fields = ("old_unit", "new_unit")
    list_per_page = 50


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("organ_code", "name", "level", "parent", "unit", "valid_from", "valid_to")
    list_filter = ("level", ValidityFilter, "unit__edition")
    search_fields = ("organ_code", "name", "slug")
    list_select_related = ("parent", "unit")
    raw_id_fields = ("parent", "unit", "successor")
    readonly_fields = ("name_folded",)
    prepopulated_fields = {"slug": ("name",)}
    list_per_page = 50
