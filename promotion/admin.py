"""Django admin for events and their booths, sales points, e-commerce listings, training, targets and
value-chain links."""
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Booth, Listing, PromotionEvent, SalesPoint, Target, TrainingEvent, ValueChainLink


class BoothInline(admin.TabularInline):
    model = Booth
    extra = 0
    fields = ["code", "subject", "status", "products", "sales", "contracts", "note"]
    autocomplete_fields = ["subject", "products"]


@admin.register(PromotionEvent)
class PromotionEventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "starts_on", "ends_on", "place"]
    list_filter = ["kind"]
    search_fields = ["name", "organiser", "place"]
    date_hierarchy = "starts_on"
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [BoothInline]


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["event", "code", "subject", "status_shown", "sales", "contracts"]
    list_filter = ["status"]
    search_fields = ["event__name", "subject__name", "subject__search_text", "code"]
    list_select_related = ["event", "subject"]
    autocomplete_fields = ["event", "subject", "products"]

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, booth):
        return booth.status_label


@admin.register(SalesPoint)
class SalesPointAdmin(admin.ModelAdmin):
    list_display = ["name", "is_centre", "commune", "operator", "opened_on", "closed_on"]
    list_filter = ["is_centre"]
    search_fields = ["name", "address", "operator"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "products"]


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["product", "platform", "url", "listed_on"]
    list_filter = ["platform"]
    search_fields = ["product__name", "product__search_text", "platform", "url"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin):
    list_display = ["topic", "unit", "held_on", "participants_count"]
    search_fields = ["topic", "place"]
    date_hierarchy = "held_on"
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "subjects"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "metric", "planned", "reference"]
    list_filter = ["year", "metric"]
    search_fields = ["unit__name", "unit__code", "reference"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(ValueChainLink)
class ValueChainLinkAdmin(admin.ModelAdmin):
    list_display = ["subject", "year", "partner"]
    list_filter = ["year"]
    search_fields = ["subject__name", "subject__search_text", "partner"]
    list_select_related = ["subject"]
    autocomplete_fields = ["subject"]
