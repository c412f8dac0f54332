"""Django admin for subjects and the accounts that act for them."""
from django.contrib import admin

from .models import Subject, SubjectRepresentative


class SubjectRepresentativeInline(admin.TabularInline):
    model = SubjectRepresentative
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tax_code", "commune", "created_at"]
    list_filter = ["kind"]
    # search_text is the folded copy: "thien an" finds "Hợp tác xã Thiên An".
    search_fields = ["name", "tax_code", "search_text"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [SubjectRepresentativeInline]


@admin.register(SubjectRepresentative)
class SubjectRepresentativeAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "position"]
    search_fields = ["subject__name", "subject__tax_code", "user__username", "user__email"]
    list_select_related = ["subject", "user"]
    autocomplete_fields = ["subject", "user"]
