"""Payments in the admin: read-only. Money records change only through the gateway's callback."""

from django.contrib import admin

from motcua.payments.models import Payment, PaymentEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    fields = ("received_at", "outcome", "reason", "detail", "answer")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("order_id", "dossier", "amount", "status", "provider", "created_at", "paid_at", "receipt_number")
    list_filter = ("status", "provider")
    search_fields = ("order_id", "dossier__code", "receipt_number", "provider_txn_id")
    date_hierarchy = "created_at"
    inlines = [PaymentEventInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "order_id", "provider", "outcome", "reason")
    list_filter = ("outcome", "reason", "provider")
    search_fields = ("order_id",)
    date_hierarchy = "received_at"
