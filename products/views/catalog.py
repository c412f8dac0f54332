"""Pages of products, business plans (steps 3-4) and dossiers for evaluation."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from ocop.downloads import private_file_response, xlsx_response
from ocop.formflow import acted_by, saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.registry import record_panels
from ocop.rules import unit_within_scope
from ocop.selectors import audit_trail_for
from ocop.validators import record_key

from .. import selectors
from ..enums import DossierStatus, EvidenceKind
from ..forms.catalog import (
    BusinessPlanForm,
    DossierCreateForm,
    DossierFilterForm,
    DossierUploadForm,
    MilestoneForm,
    PhotoUploadForm,
    PlanFilterForm,
    ProductFilterForm,
    ProductForm,
    SamplesForm,
    SupportForm,
)
from ..forms.ideas import ReasonForm
from ..models import BusinessPlan, Dossier, DossierDocument, PlanMilestone, ProductPhoto, SupportActivity
from ..selectors import (
    cycles_of,
    dossier_list,
    dossiers_visible_to,
    ideas_visible_to,
    plan_list,
    product_list,
)
from ..services import catalog as services
from ..services import dossiers as dossier_services


def _filtered(request, form, qs, sorts: dict, default: str):
    """The list's rows as the filter form and the sort asked for in the query string leave them."""
    form.is_valid()
    qs, sort = sort_queryset(request, form.filter(qs), sorts, default)
    return form, qs, sort


def _list_page(request, template: str, filtered, tab: str):
    """A list page: the filtered rows (`filtered(request)`: form, rows, sort) a page at a time."""
    form, qs, sort = filtered(request)
    return render(request, template, list_context(request, qs, sort=sort, form=form, tab=tab))


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------

PRODUCT_SORTS = {"name": "name", "subject": "subject__name", "set": "product_set__number", "commune": "commune__name"}


def _filtered_products(request):
    return _filtered(request, ProductFilterForm(request.GET or None, user=request.user),
                     product_list(user=request.user), PRODUCT_SORTS, "name")


@permission_required("products.view_product_list")
def product_list_view(request):
    return _list_page(request, "products/catalog/product_list.html", _filtered_products, "products")


@permission_required("products.view_product_list")
def product_export(request):
    _form, qs, _sort = _filtered_products(request)
    rows = (
        [p.name, p.subject.name, p.subject.get_kind_display(), str(p.product_set), p.product_set.sector,
         p.commune.name, p.commune.parent.name if p.commune.parent_id else "",
         ", ".join(s.name for s in p.standards.all()), _yes_no(p.has_traceability), p.traceability_method]
        for p in qs
    )
    return xlsx_response(
        filename="san-pham-ocop.xlsx", sheet_title=_("Products"),
        headers=[_("Product"), _("Subject"), _("Kind of subject"), _("Product set"), _("Sector"), _("Commune"),
                 _("District"), _("Standards held"), _("Traceability"), _("How it is traced")],
        rows=rows,
    )


def _visible_product(request, pk):
    product = get_object_or_404(selectors.product_detail(user=request.user), pk=pk)
    if not request.user.has_perm("products.view_product", product):
        raise Http404
    return product


@permission_required("products.view_product_list")
def product_detail(request, pk):
    product = get_object_or_404(product_list(user=request.user), pk=pk)
    if not request.user.has_perm("products.view_product", product):
        raise Http404
    ideas = list(selectors.product_ideas(product))
    return render(request, "products/catalog/product_detail.html", {
        "product": product,
        "standards": product.standards.all(),
        "photos": product.photos.all(),
        "ideas": ideas,
        # The selected ideas still without their business plan, for whoever may write it.
        "ideas_to_plan": [idea for idea in ideas if not idea.has_plan
                          and request.user.has_perm("products.add_plan", idea)],
        "plans": selectors.product_plans(product),
        "dossiers": selectors.product_dossiers(product),
        "audit": audit_trail_for(product)[:50],
        "can_change": request.user.has_perm("products.change_product", product),
        "can_open_dossier": request.user.has_perm("products.add_dossier", product),
        "panels": record_panels("products.product", request.user, product),
    })


@permission_required("products.view_product_list")
def product_edit(request, pk):
    product = _visible_product(request, pk)
    if not request.user.has_perm("products.change_product", product):
        raise PermissionDenied
    form = ProductForm(request.POST or None, instance=product, user=request.user)
    fields = ("name", "product_set", "description", "commune", "has_traceability", "traceability_method")
    if saved_by(request, form, lambda: services.product_update(
            product=product, data={name: form.cleaned_data[name] for name in fields},
            standards=form.cleaned_data["standards"], by=request.user), _("The product was saved.")):
        return redirect(product)
    return render(request, "products/catalog/product_form.html", {"form": form, "product": product})


@permission_required("products.view_product_list")
def product_photos(request, pk):
    product = _visible_product(request, pk)
    if not request.user.has_perm("products.change_product", product):
        raise PermissionDenied
    form = PhotoUploadForm()
    if request.method == "POST" and "remove" in request.POST:
        photo = get_object_or_404(ProductPhoto, product=product, pk=record_key(request.POST["remove"]) or 0)
        services.product_photo_remove(photo=photo, by=request.user)
        messages.success(request, _("The photo was removed."))
        return redirect("products:photos", pk=product.pk)
    if request.method == "POST":
        form = PhotoUploadForm(request.POST, request.FILES)
        added = saved_by(request, form, lambda: services.product_photos_add(
            product=product, files=form.cleaned_data["files"], caption=form.cleaned_data["caption"], by=request.user),
            lambda photos: ngettext("%(count)s photo was added.", "%(count)s photos were added.",
                                    len(photos)) % {"count": len(photos)})
        if added is not None:
            return redirect("products:photos", pk=product.pk)
    return render(request, "products/catalog/product_photos.html", {
        "product": product, "photos": product.photos.all(), "form": form})


@permission_required("products.view_product_list")
def photo_download(request, pk):
    photo = get_object_or_404(selectors.photos_visible_to(request.user), pk=pk)
    if not request.user.has_perm("products.view_product", photo.product):
        raise Http404
    extension = photo.file.name.rsplit(".", 1)[-1]
    file_type = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png"}.get(extension)
    return private_file_response(photo.file, download_name=f"{photo.product.name}-{photo.pk}.{extension}",
                                 file_type=file_type, inline=True)


# ---------------------------------------------------------------------------------------------
# Business plans
# ---------------------------------------------------------------------------------------------

PLAN_SORTS = {"product": "idea__product_name", "subject": "idea__subject__name", "cycle": "idea__cycle__year",
              "received": "received_on"}


def _filtered_plans(request):
    cycles = cycles_of(ideas_visible_to(request.user))
    return _filtered(request, PlanFilterForm(request.GET or None, cycles=cycles), plan_list(user=request.user),
                     PLAN_SORTS, "product")


@permission_required("products.view_plan_list")
def plan_list_view(request):
    return _list_page(request, "products/catalog/plan_list.html", _filtered_plans, "plans")


@permission_required("products.view_plan_list")
def plan_export(request):
    _form, qs, _sort = _filtered_plans(request)
    rows = (
        [p.idea.product_name, p.idea.subject.name, p.idea.commune.name, p.idea.cycle.year, _date(p.received_on),
         p.milestone_count, p.milestones_done, p.support_count, p.summary]
        for p in qs
    )
    return xlsx_response(
        filename="phuong-an-san-xuat-kinh-doanh.xlsx", sheet_title=_("Business plans"),
        headers=[_("Product"), _("Subject"), _("Commune"), _("Year"), _("Received on"), _("Milestones"),
                 _("Milestones done"), _("Support received"), _("Summary")],
        rows=rows,
    )


def _visible_plan(request, pk, *, for_change=False) -> BusinessPlan:
    plan = get_object_or_404(selectors.plan_detail(user=request.user), pk=pk)
    if not request.user.has_perm("products.view_plan", plan):
        raise Http404
    if for_change and not request.user.has_perm("products.change_plan", plan):
        raise PermissionDenied
    return plan


@permission_required("products.view_plan_list")
def plan_create(request, idea_pk):
    idea = get_object_or_404(selectors.idea_detail(user=request.user), pk=idea_pk)
    existing = selectors.idea_plan(idea)
    if existing is not None:
        return redirect(existing)
    if not request.user.has_perm("products.add_plan", idea):
        raise PermissionDenied
    form = BusinessPlanForm(request.POST or None, request.FILES or None)
    plan = saved_by(request, form, lambda: services.business_plan_create(idea=idea, by=request.user,
                                                                         **form.cleaned_data),
                    _("The business plan was recorded."))
    if plan:
        return redirect(plan)
    return render(request, "products/catalog/plan_form.html", {"form": form, "idea": idea})


@permission_required("products.view_plan_list")
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    idea = plan.idea
    can_change = request.user.has_perm("products.change_plan", plan)
    return render(request, "products/catalog/plan_detail.html", {
        "plan": plan, "idea": idea,
        "milestones": plan.milestones.all(),
        "support": plan.support.all(),
        "dossier": selectors.plan_dossier(plan),
        "can_change": can_change,
        "can_create_product": can_change and idea.product_id is None and unit_within_scope(request.user, idea.commune),
        "milestone_form": MilestoneForm(),
        "support_form": SupportForm(),
        "audit": audit_trail_for(plan)[:50],
        "today": timezone.localdate(),
    })


@permission_required("products.view_plan_list")
def plan_edit(request, pk):
    plan = _visible_plan(request, pk, for_change=True)
    form = BusinessPlanForm(request.POST or None, request.FILES or None, has_document=bool(plan.document),
                            initial={"summary": plan.summary, "received_on": plan.received_on})
    if saved_by(request, form, lambda: services.business_plan_update(plan=plan, by=request.user, **form.cleaned_data),
                _("The business plan was saved.")):
        return redirect(plan)
    return render(request, "products/catalog/plan_form.html", {"form": form, "idea": plan.idea, "plan": plan})


@permission_required("products.view_plan_list")
def plan_document(request, pk):
    plan = _visible_plan(request, pk)
    if not plan.document:
        raise Http404
    extension = plan.document.name.rsplit(".", 1)[-1]
    return private_file_response(plan.document, download_name=plan.document_name or f"plan.{extension}",
                                 file_type={"pdf": "pdf", "docx": "docx"}.get(extension))


@require_POST
@permission_required("products.view_plan_list")
def plan_product_create(request, pk):
    plan = _visible_plan(request, pk, for_change=True)
    if not unit_within_scope(request.user, plan.idea.commune):
        raise PermissionDenied
    product = acted_by(request, lambda: services.product_create_from_idea(idea=plan.idea, by=request.user),
                       _("The product was registered."))
    return redirect(plan if product is None else product)


def _plan_part_edit(request, *, model, form_class, save, pk, plan_pk, saved, new_title, title_of):
    """Create or edit a plan's milestone or support record: one page, one form, the plan's scope checked."""
    if pk is not None:
        part = get_object_or_404(selectors.plan_parts_visible_to(model, request.user), pk=pk)
        plan = _visible_plan(request, part.plan_id, for_change=True)
    else:
        part, plan = None, _visible_plan(request, plan_pk, for_change=True)
    form = form_class(request.POST or None, instance=part)
    if saved_by(request, form, lambda: save(plan, part, request.user, form.cleaned_data), saved):
        return redirect(plan)
    return render(request, "products/catalog/plan_part_form.html", {
        "form": form, "plan": plan, "title": title_of(part) if part else new_title})


def _plan_part_delete(request, *, model, remove, pk, removed):
    part = get_object_or_404(selectors.plan_parts_visible_to(model, request.user), pk=pk)
    plan = _visible_plan(request, part.plan_id, for_change=True)
    remove(part, request.user)
    messages.success(request, removed)
    return redirect(plan)


@permission_required("products.view_plan_list")
def milestone_edit(request, pk=None, plan_pk=None):
    return _plan_part_edit(
        request, model=PlanMilestone, form_class=MilestoneForm, pk=pk, plan_pk=plan_pk,
        save=lambda plan, part, by, data: services.plan_milestone_save(plan=plan, milestone=part, by=by, **data),
        saved=_("The milestone was saved."), new_title=_("New milestone"), title_of=lambda part: part.title)


@require_POST
@permission_required("products.view_plan_list")
def milestone_delete(request, pk):
    return _plan_part_delete(
        request, model=PlanMilestone, pk=pk, removed=_("The milestone was removed."),
        remove=lambda part, by: services.plan_milestone_remove(milestone=part, by=by))


@permission_required("products.view_plan_list")
def support_edit(request, pk=None, plan_pk=None):
    return _plan_part_edit(
        request, model=SupportActivity, form_class=SupportForm, pk=pk, plan_pk=plan_pk,
        save=lambda plan, part, by, data: services.support_activity_save(plan=plan, activity=part, by=by, **data),
        saved=_("The support record was saved."), new_title=_("New support record"),
        title_of=lambda part: part.description)


@require_POST
@permission_required("products.view_plan_list")
def support_delete(request, pk):
    return _plan_part_delete(
        request, model=SupportActivity, pk=pk, removed=_("The support record was removed."),
        remove=lambda part, by: services.support_activity_remove(activity=part, by=by))


# ---------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------

DOSSIER_SORTS = {"product": "product__name", "subject": "product__subject__name", "cycle": "cycle__year",
                 "status": "status", "submitted": "submitted_at"}


def _filtered_dossiers(request):
    cycles = cycles_of(dossiers_visible_to(request.user))
    return _filtered(request, DossierFilterForm(request.GET or None, cycles=cycles), dossier_list(user=request.user),
                     DOSSIER_SORTS, "product")


@permission_required("products.view_product_list")
def dossier_list_view(request):
    return _list_page(request, "products/catalog/dossier_list.html", _filtered_dossiers, "dossiers")


@permission_required("products.view_product_list")
def dossier_export(request):
    _form, qs, _sort = _filtered_dossiers(request)
    rows = (
        [d.product.name, d.product.subject.name, str(d.product.product_set), d.product.commune.name, d.cycle.year,
         d.get_status_display(), d.document_count, _date(d.samples_received_on),
         _date(timezone.localtime(d.submitted_at).date()) if d.submitted_at else ""]
        for d in qs
    )
    return xlsx_response(
        filename="ho-so-san-pham.xlsx", sheet_title=_("Dossiers"),
        headers=[_("Product"), _("Subject"), _("Product set"), _("Commune"), _("Year"), _("Status"),
                 _("Documents"), _("Samples received on"), pgettext("dossier", "Submitted on")],
        rows=rows,
    )


def _visible_dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(selectors.dossier_detail(user=request.user), pk=pk)
    if not request.user.has_perm("products.view_dossier", dossier):
        raise Http404
    return dossier


def _changeable_dossier(request, pk) -> Dossier:
    dossier = _visible_dossier(request, pk)
    if not request.user.has_perm("products.change_dossier", dossier):
        if dossier.status not in DossierStatus.EDITABLE:
            messages.error(request, _("This dossier has been submitted; its documents can no longer be changed."))
            return None
        raise PermissionDenied
    return dossier


def _dossier_page(request, dossier, *, upload_form=None, samples_form=None, submit_errors=None, return_form=None,
                  status=200):
    """The dossier page: its documents fetched once and grouped by kind, whatever their number; for the officer
    who receives the commune's dossiers, the return and check buttons."""
    documents = selectors.dossier_documents(dossier)
    today = timezone.localdate()
    checklist = dossier_services.dossier_checklist(dossier, documents, today=today)
    required = {item.kind for item in checklist}
    by_kind: dict[str, list] = {}
    for document in documents:
        document.expired = dossier_services.document_is_expired(document, today)
        by_kind.setdefault(document.kind, []).append(document)
    groups = [{"kind": kind, "label": label, "documents": by_kind[kind], "required": kind in required}
              for kind, label in EvidenceKind.choices if kind in by_kind]
    return render(request, "products/catalog/dossier_detail.html", {
        "dossier": dossier, "product": dossier.product,
        "groups": groups, "document_count": len(documents),
        "checklist": checklist,
        "missing": [item.message for item in checklist if not item.done],
        "can_change": request.user.has_perm("products.change_dossier", dossier),
        "upload_form": upload_form or DossierUploadForm(),
        "samples_form": samples_form or SamplesForm(initial={"samples_received_on": dossier.samples_received_on}),
        "needs_samples": dossier_services.dossier_needs_samples(dossier),
        "dated_kinds": sorted(dossier_services.DATED_KINDS),
        "submit_errors": submit_errors,
        "is_editable": dossier.status in DossierStatus.EDITABLE,
        "can_check": request.user.has_perm("products.check_dossier", dossier),
        "return_form": return_form or ReasonForm(prefix="return"),
        "audit": audit_trail_for(dossier)[:50],
        "panels": record_panels("products.dossier", request.user, dossier),
    }, status=status)


@permission_required("products.view_product_list")
def dossier_create(request, product_pk):
    product = _visible_product(request, product_pk)
    if not request.user.has_perm("products.add_dossier", product):
        raise PermissionDenied
    cycles = dossier_services.dossier_cycles_for(product)  # the latest first: Cycle's ordering
    initial = {"cycle": request.GET.get("cycle")} if request.GET.get("cycle") else {"cycle": cycles.first()}
    form = DossierCreateForm(request.POST or None, cycles=cycles, initial=initial)
    dossier = saved_by(request, form, lambda: dossier_services.dossier_create(
        product=product, cycle=form.cleaned_data["cycle"], by=request.user), _("The dossier was opened."))
    if dossier:
        return redirect(dossier)
    return render(request, "products/catalog/dossier_form.html", {"form": form, "product": product})


@permission_required("products.view_product_list")
def dossier_detail(request, pk):
    return _dossier_page(request, _visible_dossier(request, pk))


@require_POST
@permission_required("products.view_product_list")
def dossier_upload(request, pk):
    dossier = _changeable_dossier(request, pk)
    if dossier is None:
        return redirect("products:dossier-detail", pk=pk)
    form = DossierUploadForm(request.POST, request.FILES)
    fields = ("kind", "files", "title", "issued_on", "valid_until")
    added = saved_by(request, form, lambda: dossier_services.dossier_documents_add(
        dossier=dossier, by=request.user, **{name: form.cleaned_data[name] for name in fields}),
        lambda documents: ngettext("%(count)s file was added.", "%(count)s files were added.",
                                   len(documents)) % {"count": len(documents)})
    if added is not None:
        return redirect(dossier)
    return _dossier_page(request, dossier, upload_form=form)


@require_POST
@permission_required("products.view_product_list")
def dossier_samples(request, pk):
    dossier = _changeable_dossier(request, pk)
    if dossier is None:
        return redirect("products:dossier-detail", pk=pk)
    form = SamplesForm(request.POST)
    if saved_by(request, form, lambda: dossier_services.dossier_set_samples(
            dossier=dossier, samples_received_on=form.cleaned_data["samples_received_on"], by=request.user),
            _("The samples date was saved.")):
        return redirect(dossier)
    return _dossier_page(request, dossier, samples_form=form)


@require_POST
@permission_required("products.view_product_list")
def dossier_submit(request, pk):
    dossier = _changeable_dossier(request, pk)
    if dossier is None:
        return redirect("products:dossier-detail", pk=pk)
    # Unlike acted_by: the refusal lists each missing item on the dossier's page, beside the submit button.
    try:
        dossier_services.dossier_submit(dossier=dossier, by=request.user)
    except ValidationError as exc:
        return _dossier_page(request, dossier, submit_errors=exc.messages)
    messages.success(request, _("The dossier was submitted for evaluation."))
    return redirect(dossier)


def _visible_document(request, pk) -> DossierDocument:
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
    if not request.user.has_perm("products.view_dossier", document.dossier):
        raise Http404
    return document


@permission_required("products.view_product_list")
def dossier_document_download(request, pk):
    document = _visible_document(request, pk)
    return private_file_response(document.file, download_name=document.original_name, file_type=document.file_type)


@require_POST
@permission_required("products.view_product_list")
def dossier_document_delete(request, pk):
    document = _visible_document(request, pk)
    if not request.user.has_perm("products.change_dossier", document.dossier):
        if document.dossier.status not in DossierStatus.EDITABLE:
            messages.error(request, _("This dossier has been submitted; its documents can no longer be changed."))
            return redirect(document.dossier)
        raise PermissionDenied
    acted_by(request, lambda: dossier_services.dossier_document_remove(document=document, by=request.user),
             _("“%(name)s” was removed.") % {"name": document.original_name})
    return redirect(document.dossier)
