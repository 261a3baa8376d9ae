from django.contrib import admin

from motcua.exchange.models import (
    Checkpoint,
    Delivery,
    HubCertificate,
    HubCredential,
    HubDocument,
    HubOrgan,
    IncomingDocument,
    LogEntry,
    OutgoingDocument,
    ReceivedStatus,
    RefusedMessage,
    StatusEvent,
)


class CertificateInline(admin.TabularInline):
    model = HubCertificate
    extra = 0
    fields = ("fingerprint", "subject", "not_before", "not_after", "revoked_at")
    readonly_fields = ("fingerprint", "subject", "not_before", "not_after")


class CredentialInline(admin.TabularInline):
    model = HubCredential
    extra = 0
    fields = ("prefix", "created_at", "revoked_at")
    readonly_fields = ("prefix", "created_at")


@admin.register(HubOrgan)
class HubOrganAdmin(admin.ModelAdmin):
    list_display = ("organ_id", "name", "callback_url", "active")
    search_fields = ("organ_id", "name")
    inlines = [CertificateInline, CredentialInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the hub recorded is evidence: shown, never edited from the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HubDocument)
class HubDocumentAdmin(ReadOnlyAdmin):
    list_display = ("document_id", "sender", "code_number", "code_notation", "business_type", "received_at")
    search_fields = ("document_id", "subject", "code_notation")
    exclude = ("package",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("document", "recipient", "state", "attempts", "next_attempt_at", "acked_at")
    list_filter = ("state",)


@admin.register(StatusEvent)
class StatusEventAdmin(ReadOnlyAdmin):
    list_display = ("delivery", "code", "reported_by", "target", "at")
    list_filter = ("code",)
    exclude = ("message",)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "kind", "ref", "at", "hash")


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("seq", "hash", "at")


@admin.register(RefusedMessage)
class RefusedMessageAdmin(ReadOnlyAdmin):
    list_display = ("at", "organ", "endpoint", "reason", "message")
    list_filter = ("reason", "endpoint")


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnlyAdmin):
    list_display = ("document_id", "code_notation", "subject", "sent_at", "last_error")
    exclude = ("package",)


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(ReadOnlyAdmin):
    list_display = ("document_id", "sender_organ_id", "code_notation", "business_type", "received_at")
    exclude = ("package",)


@admin.register(ReceivedStatus)
class ReceivedStatusAdmin(ReadOnlyAdmin):
    list_display = ("document_id", "organ_id", "code", "at")
