"""Django admin of the evaluation app: regulations and score sheets (councils, sessions, scorecards and
decisions are registered further down by their own section)."""
import io
import zipfile

from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from ocop.downloads import XLSX_TYPE

from .models import (
    Criterion,
    CriterionOption,
    CycleRegulation,
    LevelRule,
    Regulation,
    ScoreSheet,
    SheetPart,
    SheetSection,
    StarBand,
)
from .services.sheets.import_export import sheet_export_xlsx, sheet_export_yaml, sheet_filename
from .services.sheets.yaml import YAML_TYPE

# ---------------------------------------------------------------------------------------------
# Score sheets
# ---------------------------------------------------------------------------------------------
# A sheet that evaluations use is frozen: its tree is read-only here (an evaluation keeps the sheet it
# started under; a new version of the criteria is imported under its own regulation).


def _sheet_in_use(sheet) -> bool:
    return sheet is not None and sheet.evaluations.exists()


class FrozenWhenUsedMixin:
    """Read-only once the sheet the object belongs to is used by evaluations."""

    def sheet_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and _sheet_in_use(self.sheet_of(obj)))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and _sheet_in_use(self.sheet_of(obj)))


class FrozenInlineMixin:
    """Inline rows cannot be added, changed or deleted under a sheet in use (obj is the parent)."""

    def sheet_of(self, parent):
        raise NotImplementedError

    def _frozen(self, parent) -> bool:
        return parent is not None and _sheet_in_use(self.sheet_of(parent))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class StarBandInline(admin.TabularInline):
    model = StarBand
    extra = 0


class LevelRuleInline(admin.TabularInline):
    model = LevelRule
    extra = 0


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "issued_on", "effective_from", "quorum_ratio", "max_spread", "commune_intake",
                    "sheet_count"]
    search_fields = ["code", "title"]
    inlines = [StarBandInline, LevelRuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sheet_count=Count("sheets"))

    @admin.display(description=_("score sheets"), ordering="sheet_count")
    def sheet_count(self, obj):
        return obj.sheet_count


@admin.register(CycleRegulation)
class CycleRegulationAdmin(admin.ModelAdmin):
    list_display = ["cycle", "regulation"]
    list_filter = ["regulation"]
    list_select_related = ["cycle", "cycle__province", "regulation"]
    search_fields = ["cycle__name"]
    autocomplete_fields = ["regulation"]


class SheetPartInline(FrozenInlineMixin, admin.TabularInline):
    model = SheetPart
    extra = 0
    fields = ["code", "title", "max_points", "position"]
    show_change_link = True

    def sheet_of(self, parent):
        return parent


def _export(sheets, fmt: str) -> HttpResponse:
    sheets = list(sheets.select_related("regulation", "product_set"))
    if len(sheets) == 1:
        sheet = sheets[0]
        if fmt == "yaml":
            response = HttpResponse(sheet_export_yaml(sheet).encode("utf-8"), content_type=YAML_TYPE)
        else:
            response = HttpResponse(sheet_export_xlsx(sheet), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{sheet_filename(sheet, fmt)}"'
        return response
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet in sheets:
            content = sheet_export_yaml(sheet).encode("utf-8") if fmt == "yaml" else sheet_export_xlsx(sheet)
            archive.writestr(sheet_filename(sheet, fmt), content)
    response = HttpResponse(out.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="phieu-danh-gia-{fmt}.zip"'
    return response


@admin.register(ScoreSheet)
class ScoreSheetAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["__str__", "regulation", "product_set", "is_demonstration", "criteria_count", "imported_at"]
    list_filter = ["regulation", "is_demonstration", "product_set__sector"]
    list_select_related = ["regulation", "product_set"]
    search_fields = ["title", "product_set__name", "regulation__code"]
    readonly_fields = ["imported_at"]
    inlines = [SheetPartInline]
    actions = ["export_yaml", "export_xlsx"]

    def sheet_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(criteria_count=Count("criteria"))

    @admin.display(description=_("criteria"), ordering="criteria_count")
    def criteria_count(self, obj):
        return obj.criteria_count

    @admin.action(description=_("Export the selected sheets as YAML"))
    def export_yaml(self, request, queryset):
        return _export(queryset, "yaml")

    @admin.action(description=_("Export the selected sheets as Excel"))
    def export_xlsx(self, request, queryset):
        return _export(queryset, "xlsx")


class SheetSectionInline(FrozenInlineMixin, admin.TabularInline):
    model = SheetSection
    extra = 0
    fields = ["code", "title", "position"]
    show_change_link = True

    def sheet_of(self, parent):
        return parent.sheet


@admin.register(SheetPart)
class SheetPartAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["__str__", "sheet", "max_points", "position"]
    list_filter = ["sheet__regulation"]
    list_select_related = ["sheet__regulation", "sheet__product_set"]
    search_fields = ["code", "title", "sheet__title"]
    inlines = [SheetSectionInline]

    def sheet_of(self, obj):
        return obj.sheet


@admin.register(SheetSection)
class SheetSectionAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["__str__", "part", "position"]
    list_select_related = ["part__sheet"]
    search_fields = ["code", "title"]

    def sheet_of(self, obj):
        return obj.part.sheet


class CriterionOptionInline(FrozenInlineMixin, admin.TabularInline):
    model = CriterionOption
    extra = 0
    fields = ["label", "points", "knocks_out", "position"]

    def sheet_of(self, parent):
        return parent.sheet


@admin.register(Criterion)
class CriterionAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["code", "title", "sheet", "part", "max_points", "required_for_star", "assessed_by_commune"]
    list_filter = ["sheet__regulation", "required_for_star", "assessed_by_commune"]
    list_select_related = ["sheet__regulation", "sheet__product_set", "part"]
    search_fields = ["code", "title", "sheet__title"]
    raw_id_fields = ["section", "sheet", "part"]
    inlines = [CriterionOptionInline]

    def sheet_of(self, obj):
        return obj.sheet


@admin.register(CriterionOption)
class CriterionOptionAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["label", "criterion", "points", "knocks_out"]
    list_filter = ["knocks_out"]
    list_select_related = ["criterion"]
    search_fields = ["label", "criterion__code", "criterion__title"]
    raw_id_fields = ["criterion"]

    def sheet_of(self, obj):
        return obj.criterion.sheet


# ---------------------------------------------------------------------------------------------
# Councils and scoring
# ---------------------------------------------------------------------------------------------
# Records of the council's work: scores are read-only here (they change only through the scoring page,
# which audits every change); councils, sessions and decisions can be corrected by an administrator.

from .models import (  # noqa: E402  (this section is appended to the sheets' admin)
    AdvisoryMember,
    ConflictOfInterest,
    Council,
    CouncilMember,
    CriterionScore,
    Decision,
    Evaluation,
    RecognisedProduct,
    Scorecard,
    Session,
)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    fields = ["user", "role", "agency", "position"]
    raw_id_fields = ["user"]


class AdvisoryMemberInline(admin.TabularInline):
    model = AdvisoryMember
    extra = 0
    fields = ["name", "agency", "task"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "unit", "cycle", "established_by"]
    list_filter = ["level", "cycle__year"]
    list_select_related = ["unit", "cycle__province"]
    search_fields = ["name", "established_by"]
    raw_id_fields = ["unit", "cycle"]
    inlines = [CouncilMemberInline, AdvisoryMemberInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "held_on", "place", "status", "finalised_at"]
    list_filter = ["status", "council__level"]
    list_select_related = ["council"]
    search_fields = ["council__name", "place"]
    raw_id_fields = ["council", "finalised_by"]
    filter_horizontal = ["present"]
    date_hierarchy = "held_on"


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["product", "session", "kind", "regulation", "final_score", "star_band", "recognised_star",
                    "nominated_to"]
    list_filter = ["kind", "regulation", "recognised_star", "session__council__level"]
    list_select_related = ["product", "session__council", "regulation"]
    search_fields = ["product__name", "session__council__name"]
    raw_id_fields = ["session", "product", "dossier", "sheet"]
    readonly_fields = ["final_score", "star_band", "recognised_star", "nominated_to"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["member", "evaluation", "reason", "detected", "declared_at"]
    list_filter = ["detected"]
    list_select_related = ["member__user", "evaluation__product", "evaluation__session__council"]
    search_fields = ["member__user__username", "member__user__last_name", "evaluation__product__name", "reason"]
    raw_id_fields = ["evaluation", "member"]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    fields = ["criterion", "option", "points", "note", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["member", "evaluation", "status", "submitted_at"]
    list_filter = ["status", "evaluation__session__council__level"]
    list_select_related = ["member__user", "evaluation__product", "evaluation__session__council"]
    search_fields = ["member__user__username", "member__user__last_name", "evaluation__product__name"]
    raw_id_fields = ["evaluation", "member"]
    readonly_fields = ["evaluation", "member", "status", "submitted_at", "reopen_reason"]
    inlines = [CriterionScoreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("scores__criterion", "scores__option")


class RecognisedProductInline(admin.TabularInline):
    model = RecognisedProduct
    extra = 0
    fields = ["product", "evaluation", "star"]
    raw_id_fields = ["product", "evaluation"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "signed_on", "signer", "issuing_unit", "level", "session"]
    list_filter = ["level"]
    list_select_related = ["issuing_unit", "session__council"]
    search_fields = ["number", "signer"]
    raw_id_fields = ["session", "issuing_unit", "created_by"]
    date_hierarchy = "signed_on"
    inlines = [RecognisedProductInline]
