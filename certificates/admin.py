"""Django admin for certificates, their numbering, notices, rendering jobs, renewals and inspections."""
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Certificate,
    CertificateNotice,
    CertificateSequence,
    Inspection,
    InspectionFile,
    InspectionNotice,
    InspectionPlan,
    RenderChunk,
    RenderJob,
    Renewal,
)
from .services import certificate_chain_rebuild


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "product", "subject", "star", "issued_on", "valid_until", "status_label"]
    list_filter = ["star", "level", "issued_on"]
    search_fields = ["number", "product__search_text", "subject__search_text", "decision_number"]
    list_select_related = ["product", "subject"]
    autocomplete_fields = ["product", "subject", "issuing_unit"]
    raw_id_fields = ["recognition", "decision", "revoked_by", "revoke_inspection"]
    # The chain is derived from the product's certificates (services.certificate_chain_rebuild), never typed.
    readonly_fields = ["superseded_by", "superseded_on", "pdf", "pdf_fingerprint", "created_at"]
    date_hierarchy = "issued_on"
    show_full_result_count = False  # no second COUNT(*) over the whole register on every page

    def get_queryset(self, request):
        return super().get_queryset(request).with_status(on=timezone.localdate())

    def save_model(self, request, obj, form, change):
        """Saved as typed, then the product's chain derived again (a changed issue date may reorder it)."""
        previous_product = form.initial.get("product") if change else None
        super().save_model(request, obj, form, change)
        certificate_chain_rebuild(product_ids={obj.product_id, previous_product} - {None}, by=request.user)

    @admin.display(description=_("Status"), ordering="valid_until")
    def status_label(self, obj):
        return obj.status_display


@admin.register(CertificateNotice)
class CertificateNoticeAdmin(admin.ModelAdmin):
    list_display = ["certificate", "window_days", "created_at", "emailed_at"]
    list_filter = ["window_days"]
    search_fields = ["certificate__number"]
    list_select_related = ["certificate"]
    raw_id_fields = ["certificate"]


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(admin.ModelAdmin):
    list_display = ["authority", "year", "last"]
    search_fields = ["authority"]


class RenderChunkInline(admin.TabularInline):
    model = RenderChunk
    extra = 0
    readonly_fields = ["size", "finished_at", "certificate_ids"]


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "decision", "status", "total", "created_at", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["decision", "requested_by"]
    inlines = [RenderChunkInline]


@admin.register(Renewal)
class RenewalAdmin(admin.ModelAdmin):
    list_display = ["certificate", "kind", "dossier", "started_by", "started_at"]
    list_filter = ["kind"]
    raw_id_fields = ["certificate", "dossier", "started_by"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "year", "created_at"]
    list_filter = ["year"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["created_by"]


class InspectionFileInline(admin.TabularInline):
    model = InspectionFile
    extra = 0
    readonly_fields = ["kind", "file", "original_name", "file_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["certificate", "planned_on", "inspected_on", "verdict", "corrective_status", "corrective_deadline"]
    list_filter = ["verdict", "corrective_status"]
    search_fields = ["certificate__number", "certificate__product__search_text"]
    list_select_related = ["certificate"]
    raw_id_fields = ["certificate", "plan", "created_by", "recorded_by", "closed_by"]
    date_hierarchy = "inspected_on"
    inlines = [InspectionFileInline]


@admin.register(InspectionNotice)
class InspectionNoticeAdmin(admin.ModelAdmin):
    list_display = ["inspection", "kind", "created_at", "told_at"]
    list_filter = ["kind"]
    raw_id_fields = ["inspection"]
