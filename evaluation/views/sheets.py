"""Score sheet pages: the list with its filters and Excel export, a sheet's tree with its downloads, and the
administrators' import (check the file first, then import it; nothing is imported while it has errors)."""
import datetime
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ocop.downloads import XLSX_TYPE, xlsx_response
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for

from ..forms.sheets import SheetConfirmForm, SheetUploadForm
from ..selectors.sheets import (
    product_set_numbered,
    product_sets_in_order,
    regulations_newest_first,
    score_sheets,
    sheet_list_rows,
    sheet_stored,
    sheet_tree,
)
from ..services.sheets.import_export import (
    sheet_export_xlsx,
    sheet_export_yaml,
    sheet_filename,
    sheet_import,
    sheet_import_blockers,
    sheet_read,
)
from ..services.sheets.yaml import YAML_TYPE, sheet_data_yaml, sheet_parse_yaml

LIST_SORTS = {
    "regulation": ["regulation__effective_from", "product_set__number"],
    "set": ["product_set__number", "regulation__effective_from"],
    "criteria": "criteria_count",
    "imported": "imported_at",
}
PENDING_KEY = "evaluation_sheet_imports"
MAX_PENDING = 3


# ---------------------------------------------------------------------------------------------
# The list's filters
# ---------------------------------------------------------------------------------------------

DEMONSTRATION = {"yes": True, "no": False}


def _filtered_sheets(request):
    regulations = regulations_newest_first()
    product_sets = product_sets_in_order()
    regulation = next((r for r in regulations if r.code == request.GET.get("regulation")), None)
    product_set = next((s for s in product_sets if str(s.number) == request.GET.get("product_set")), None)
    demonstration = request.GET.get("demonstration", "")
    if demonstration not in DEMONSTRATION:
        demonstration = ""
    q = request.GET.get("q", "").strip()
    qs = sheet_list_rows(regulation=regulation, product_set=product_set,
                         demonstration=DEMONSTRATION.get(demonstration), query=q)
    filters = {
        "q": q, "regulations": regulations, "regulation": regulation.code if regulation else "",
        "product_sets": product_sets, "product_set": str(product_set.number) if product_set else "",
        "demonstration": demonstration,
    }
    return qs, filters


def _parts_summary(sheet) -> str:
    return " · ".join(f"{part.code} {part.max_points.normalize():f}" for part in sheet.parts.all())


# ---------------------------------------------------------------------------------------------
# List, export, detail, downloads
# ---------------------------------------------------------------------------------------------


@permission_required("evaluation.view_sheets")
def sheet_list(request):
    qs, filters = _filtered_sheets(request)
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "set")
    return render(request, "evaluation/sheets/list.html", list_context(
        request, qs, sort=sort, **filters, can_import=request.user.has_perm("evaluation.import_sheets")))


@permission_required("evaluation.view_sheets")
def sheet_list_export(request):
    """The filtered list (every page of it, in the list's order) as an Excel workbook."""
    qs, _filters = _filtered_sheets(request)
    qs, _sort = sort_queryset(request, qs, LIST_SORTS, "set")
    headers = [_("Regulation"), _("Product set number"), _("Product set"), _("Sector"), _("Title"), _("Parts"),
               _("Criteria"), _("Demonstration content"), _("Imported at")]

    def rows():
        for sheet in qs:
            yield [sheet.regulation.code, sheet.product_set.number, sheet.product_set.name, sheet.product_set.sector,
                   sheet.title, _parts_summary(sheet), sheet.criteria_count,
                   _("Yes") if sheet.is_demonstration else _("No"),
                   localtime(sheet.imported_at).strftime("%d/%m/%Y %H:%M")]

    filename = f"phieu-danh-gia-{datetime.date.today():%Y%m%d}.xlsx"
    return xlsx_response(filename=filename, sheet_title=_("Score sheets"), headers=headers, rows=rows())


@permission_required("evaluation.view_sheets")
def sheet_detail(request, pk):
    sheet = get_object_or_404(score_sheets(), pk=pk)
    parts = list(sheet_tree(sheet=sheet))
    criteria = [c for part in parts for section in part.sections.all() for c in section.criteria.all()]
    show_audit = request.user.has_perm("ocop.view_audit")
    return render(request, "evaluation/sheets/detail.html", {
        "sheet": sheet, "parts": parts,
        "criteria_count": len(criteria),
        "mandatory_count": sum(1 for c in criteria if c.required_for_star),
        "knockout_count": sum(1 for c in criteria for o in c.options.all() if o.knocks_out),
        "evaluation_count": sheet.evaluations.count(),
        "audit": audit_trail_for(sheet)[:50] if show_audit else None, "show_audit": show_audit,
        "can_import": request.user.has_perm("evaluation.import_sheets"),
    })


@permission_required("evaluation.view_sheets")
def sheet_download(request, pk, fmt):
    sheet = get_object_or_404(score_sheets(), pk=pk)
    if fmt == "yaml":
        response = HttpResponse(sheet_export_yaml(sheet).encode("utf-8"), content_type=YAML_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(sheet_export_xlsx(sheet), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{sheet_filename(sheet, fmt)}"'
    return response


# ---------------------------------------------------------------------------------------------
# Import: check, then import
# ---------------------------------------------------------------------------------------------


def _preview(data) -> dict:
    """What the checked file holds, for the administrator to confirm."""
    criteria = list(data.criteria())
    return {
        "data": data,
        "product_set": product_set_numbered(number=data.product_set),
        "existing": sheet_stored(regulation_code=data.regulation, product_set_number=data.product_set),
        "parts": [{"code": p.code, "title": p.title, "max": p.max_points, "sections": len(p.sections),
                   "criteria": sum(len(s.criteria) for s in p.sections)} for p in data.parts],
        "criteria_count": len(criteria),
        "option_count": sum(len(c.options) for c in criteria),
        "mandatory": [c for c in criteria if c.required_for_star],
        "knockouts": [(c, o) for c in criteria for o in c.options if o.knocks_out],
    }


def _remember(request, *, data, replace: bool, name: str) -> str:
    token = secrets.token_urlsafe(16)
    pending = request.session.get(PENDING_KEY, {})
    while len(pending) >= MAX_PENDING:
        pending.pop(next(iter(pending)))
    pending[token] = {"yaml": sheet_data_yaml(data), "replace": replace, "name": name}
    request.session[PENDING_KEY] = pending
    return token


@permission_required("evaluation.import_sheets")
def sheet_import_view(request):
    form = SheetUploadForm()
    context = {"errors": [], "preview": None}
    if request.method == "POST" and "token" in request.POST:
        confirm = SheetConfirmForm(request.POST)
        pending = request.session.get(PENDING_KEY, {})
        item = pending.get(confirm.data.get("token", "")) if confirm.is_valid() else None
        if item is None:
            messages.error(request, _("The checked file is no longer available; choose it again."))
            return redirect("evaluation:sheet-import")
        data, errors = sheet_parse_yaml(item["yaml"])
        # Unlike acted_by: the refusals are listed on the import page under the file's name, as the check lists them.
        try:
            if errors:
                raise ValidationError([str(e) for e in errors])
            sheet = sheet_import(data=data, by=request.user, replace=item["replace"])
        except ValidationError as exc:
            context["errors"] = exc.messages
            context["file_name"] = item["name"]
        else:
            pending.pop(confirm.cleaned_data["token"], None)
            request.session[PENDING_KEY] = pending
            messages.success(request, _("The score sheet of product set %(set)s under %(regulation)s was imported.") % {
                "set": sheet.product_set, "regulation": sheet.regulation})
            return redirect("evaluation:sheet-detail", pk=sheet.pk)
    elif request.method == "POST":
        form = SheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            replace = form.cleaned_data["replace"]
            uploaded.seek(0)
            data, errors = sheet_read(content=uploaded.read(), filename=uploaded.name)
            context["file_name"] = uploaded.name
            context["errors"] = [str(e) for e in errors] or sheet_import_blockers(data=data, replace=replace)
            if not context["errors"]:
                context["preview"] = _preview(data)
                context["replace"] = replace
                context["confirm_form"] = SheetConfirmForm(initial={
                    "token": _remember(request, data=data, replace=replace, name=uploaded.name)})
    context["form"] = form
    return render(request, "evaluation/sheets/import.html", context)
