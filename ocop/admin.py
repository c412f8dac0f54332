"""Django admin for units, users, cycles, the audit trail, notifications, the outbox and background files."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AdministrativeUnit,
    AuditEntry,
    Cycle,
    CycleStepPlan,
    FileJob,
    Notification,
    OutboxMessage,
    Round,
    User,
)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "merged_into"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "merged_into"]
    autocomplete_fields = ["parent", "merged_into"]
    readonly_fields = ["path"]
    ordering = ["path"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["unit"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("OCOP role"), {"fields": ("role", "unit", "agency", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("OCOP role"), {"fields": ("role", "unit")}),)


class CycleStepPlanInline(admin.TabularInline):
    model = CycleStepPlan
    extra = 0


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "year", "current_step", "created_at"]
    list_filter = ["year", "current_step", ("province", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "plan_reference", "province__name"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    inlines = [CycleStepPlanInline, RoundInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "cycle", "number", "starts_on", "ends_on"]
    list_filter = ["cycle__year"]
    search_fields = ["name", "cycle__name"]
    list_select_related = ["cycle__province"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application keeps for itself: administrators read them, nobody edits them here."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr", "message"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "message", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["title", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient"]
    readonly_fields = ["target_type", "target_id", "created_at", "emailed_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "task", "kwargs", "sent_at", "attempts", "last_error"]
    list_filter = ["task", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "last_error"]
    date_hierarchy = "created_at"


@admin.register(FileJob)
class FileJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "requested_by", "status", "done", "total", "filename", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["kind", "filename", "requested_by__username", "error"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
