"""Django admin for officials: who works in which agency with which role.

A system administrator gives a user their roles on the user's own page (the inline), or lists
every assignment of an agency on the membership list. Agencies are picked by search (485 rows).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import StaffMembership


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 1
    autocomplete_fields = ("agency",)
    verbose_name = _("phân công cán bộ")
    verbose_name_plural = _("phân công vào cơ quan và vai trò")


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__name", "agency__organ_code")
    list_select_related = ("user", "agency")
    autocomplete_fields = ("user", "agency")
    list_per_page = 50


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [*BaseUserAdmin.inlines, StaffMembershipInline]
