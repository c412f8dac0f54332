"""Django admin for product sets, standards, products, ideas and their lists, business plans and dossiers."""
from django.contrib import admin

from .models import (
    BusinessPlan,
    Dossier,
    DossierDocument,
    IdeaAttachment,
    IdeaList,
    PlanMilestone,
    Product,
    ProductIdea,
    ProductPhoto,
    ProductSet,
    Standard,
    SupportActivity,
)


@admin.register(ProductSet)
class ProductSetAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "group", "sector"]
    list_display_links = ["number", "name"]
    list_filter = ["sector"]
    search_fields = ["name", "group", "sector"]
    ordering = ["number"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["file", "caption", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "product_set", "commune", "has_traceability", "updated_at"]
    list_filter = ["has_traceability", "product_set__sector", "product_set", "standards", "subject__kind"]
    search_fields = ["name", "search_text", "subject__name", "subject__tax_code"]
    list_select_related = ["subject", "product_set", "commune"]
    autocomplete_fields = ["subject", "product_set", "commune", "standards"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ProductPhotoInline]


class IdeaAttachmentInline(admin.TabularInline):
    model = IdeaAttachment
    extra = 0
    fields = ["file", "original_name", "file_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["file_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(ProductIdea)
class ProductIdeaAdmin(admin.ModelAdmin):
    list_display = ["product_name", "subject", "cycle", "product_set", "commune", "status", "submitted_at"]
    list_filter = ["status", "cycle__year", "market", "product_set__sector", "product_set"]
    search_fields = ["product_name", "search_text", "subject__name"]
    list_select_related = ["subject", "cycle__province", "product_set", "commune"]
    autocomplete_fields = ["cycle", "subject", "product", "product_set", "commune", "standards", "screened_by",
                           "sent_list", "created_by"]
    readonly_fields = ["version", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [IdeaAttachmentInline]


@admin.register(IdeaList)
class IdeaListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "unit", "sent_by", "sent_at"]
    list_filter = ["cycle__year"]
    search_fields = ["unit__name", "note", "sent_by__username"]
    list_select_related = ["cycle__province", "unit", "sent_by"]
    autocomplete_fields = ["cycle", "unit", "sent_by"]
    date_hierarchy = "sent_at"


class PlanMilestoneInline(admin.TabularInline):
    model = PlanMilestone
    extra = 0


class SupportActivityInline(admin.TabularInline):
    model = SupportActivity
    extra = 0


@admin.register(BusinessPlan)
class BusinessPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "idea", "received_on", "created_at"]
    list_filter = ["idea__cycle__year", ("received_on", admin.EmptyFieldListFilter)]
    search_fields = ["idea__product_name", "idea__subject__name", "summary"]
    list_select_related = ["idea__subject", "idea__cycle"]
    autocomplete_fields = ["idea", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PlanMilestoneInline, SupportActivityInline]


class DossierDocumentInline(admin.TabularInline):
    model = DossierDocument
    extra = 0
    fields = ["kind", "title", "file", "original_name", "file_type", "size", "issued_on", "valid_until",
              "uploaded_by", "uploaded_at"]
    readonly_fields = ["file_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["product", "cycle", "status", "samples_received_on", "submitted_at", "created_at"]
    list_filter = ["status", "cycle__year", "product__product_set__sector"]
    search_fields = ["product__name", "product__subject__name"]
    list_select_related = ["product", "cycle__province"]
    autocomplete_fields = ["product", "cycle", "idea", "submitted_by"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"
    inlines = [DossierDocumentInline]
