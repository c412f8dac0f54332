"""Pages of step 2: registering product ideas, screening them and the lists sent to the province."""
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocop.downloads import private_file_response, xlsx_response
from ocop.enums import AuditAction
from ocop.formflow import add_errors
from ocop.listing import paginate, querystring_without, sort_queryset
from ocop.models import Cycle
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for, current_cycle_for, scope_q
from ocop.text import search_q
from ocop.validators import record_key
from subjects.selectors import subjects_visible_to

from ..enums import IdeaStatus
from ..forms.ideas import IdeaFilterForm, IdeaForm, IdeaSendForm, ReasonForm, cycles_for
from ..models import IdeaAttachment, IdeaList, Product, ProductIdea
from ..rules import screens_commune
from ..selectors import idea_list, ideas_visible_to
from ..services import ideas as services
from ..services.ideas import NEW_SUBJECT_FIELDS, NEW_SUBJECT_PREFIX, IdeaAttachmentsRefused, IdeaIncomplete

IDEA_SORTS = {
    "name": "product_name", "subject": "subject__name", "commune": ["commune__name", "commune__parent__name"],
    "status": "status", "date": "created_at",
}
FORM_TOKEN_TTL = 24 * 3600

# The idea form chooses its subject through a search box: a refusal about the subject shows beside it.
SUBJECT_FIELD = {"subject": "subject_search"}


def _idea_or_404(request, pk) -> ProductIdea:
    """The idea if the user may see it; another area's idea is a 404, never data."""
    return get_object_or_404(
        ideas_visible_to(request.user).select_related(
            "subject", "product", "product_set", "commune__parent", "cycle__province", "created_by", "screened_by",
            "sent_list__unit"),
        pk=pk,
    )


# ---------------------------------------------------------------------------------------------
# The list, its filters and its Excel export
# ---------------------------------------------------------------------------------------------


def _filtered_ideas(request):
    form = IdeaFilterForm(request.GET or None, user=request.user)
    qs = form.filter(idea_list(user=request.user))
    qs, sort = sort_queryset(request, qs, IDEA_SORTS, "-date")
    return form, qs, sort


@permission_required("products.view_idea_list")
def idea_list_view(request):
    form, qs, sort = _filtered_ideas(request)
    user = request.user
    return render(request, "products/ideas/list.html", {
        "filter_form": form, "page": paginate(request, qs), "sort": sort,
        "qs_nosort": querystring_without(request, "sort", "page"), "qs_nopage": querystring_without(request, "page"),
        "filtered": any(request.GET.get(name) for name in form.fields),
        "can_add": user.has_perm("products.add_idea"), "can_send": user.has_perm("products.send_ideas"),
        "can_view_lists": user.has_perm("products.view_province_lists"),
    })


@permission_required("products.view_idea_list")
def idea_export(request):
    _form, qs, _sort = _filtered_ideas(request)
    headers = [_("No."), _("Product name"), _("Subject"), _("Kind of subject"), _("Product set"), _("Commune"),
               _("District"), _("Cycle"), _("Status"), _("Reason"), _("Expected star"),
               _("Local raw material (%)"), _("Main market"), _("Registered on"), _("Submitted on"),
               _("Attachments")]

    def rows():
        for number, idea in enumerate(qs, start=1):
            yield [
                number, idea.product_name, idea.subject.name, idea.subject.get_kind_display(),
                str(idea.product_set), idea.commune.name, idea.commune.parent.name if idea.commune.parent_id else "",
                idea.cycle.year, idea.get_status_display(), idea.status_reason, idea.expected_star,
                idea.local_material_share, idea.get_market_display(),
                timezone.localtime(idea.created_at).strftime("%d/%m/%Y"),
                timezone.localtime(idea.submitted_at).strftime("%d/%m/%Y") if idea.submitted_at else "",
                idea.attachment_count,
            ]

    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(filename=f"y-tuong-san-pham-{stamp}.xlsx", sheet_title=_("Product ideas"),
                         headers=headers, rows=rows())


# ---------------------------------------------------------------------------------------------
# Registration form: create and edit, with the subject search
# ---------------------------------------------------------------------------------------------


def _token_key(token: str) -> str:
    return f"products:idea-form:{token}"


def _claim_token(token: str) -> bool:
    """True for the first request carrying this form token (cache.add is atomic on Redis and locmem)."""
    return bool(token) and cache.add(_token_key(token), "pending", FORM_TOKEN_TTL)


def _saved_form(request, idea: ProductIdea) -> IdeaForm:
    """The posted form re-bound to the idea that has just been saved, so that a second post edits it
    (new version, the subject as saved, no inline subject to create twice) and nothing typed is lost."""
    data: QueryDict = request.POST.copy()
    data.pop("form_token", None)
    data["version"] = str(idea.version)
    data["subject"] = str(idea.subject_id)
    data["subject_search"] = idea.subject.name
    for name in NEW_SUBJECT_FIELDS:
        data.pop(NEW_SUBJECT_PREFIX + name, None)
    form = IdeaForm(data, user=request.user, instance=idea)
    form.is_valid()
    return form


def _render_form(request, form, idea=None, status=200):
    attachments = list(idea.attachments.all()) if idea is not None else []
    return render(request, "products/ideas/form.html", {
        "form": form, "idea": idea, "attachments": attachments,
        "can_remove_files": idea is not None and request.user.has_perm("products.change_idea", idea),
    }, status=status)


def _after_save(request, idea: ProductIdea, *, created: bool):
    """After a successful save: submit when "Gửi" was pressed, else keep the draft."""
    if request.POST.get("action") != "submit":
        messages.success(request, _("The idea was registered as a draft.") if created else _("The draft was saved."))
        return redirect(idea)
    try:
        services.idea_submit(idea=idea, by=request.user)
    except IdeaIncomplete as exc:
        form = _saved_form(request, idea)
        form.add_error(None, _("The draft was saved, but it cannot be submitted yet: complete the items marked."))
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form, idea)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(idea)
    messages.success(request, _("The idea was submitted for screening."))
    return redirect(idea)


@permission_required("products.add_idea")
def idea_create(request):
    if request.method != "POST":
        return _render_form(request, IdeaForm(user=request.user))
    form = IdeaForm(request.POST, request.FILES, user=request.user)
    token = request.POST.get("form_token", "")
    earlier = cache.get(_token_key(token)) if token else None
    if earlier is not None:
        # The same form sent twice (a double click, a reload): the first one registered the idea.
        messages.info(request, _("This form had already been sent; the idea was registered only once."))
        idea = ideas_visible_to(request.user).filter(pk=earlier).first() if earlier != "pending" else None
        return redirect(idea or "products:idea-list")
    if not form.is_valid():
        return _render_form(request, form)
    if not _claim_token(token):
        messages.info(request, _("This form had already been sent; the idea was registered only once."))
        return redirect("products:idea-list")
    try:
        idea = services.idea_create(data=form.service_data(), attachments=form.cleaned_data["attachments"],
                                    by=request.user)
    except IdeaAttachmentsRefused as exc:
        cache.set(_token_key(token), exc.idea.pk, FORM_TOKEN_TTL)
        form = _saved_form(request, exc.idea)
        form.add_error(None, _("The draft was saved, but some files were refused: see beside the file field."))
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form, exc.idea)
    except ValidationError as exc:
        cache.delete(_token_key(token))
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form)
    cache.set(_token_key(token), idea.pk, FORM_TOKEN_TTL)
    return _after_save(request, idea, created=True)


@permission_required("products.view_idea_list")
def idea_edit(request, pk):
    idea = _idea_or_404(request, pk)
    if not request.user.has_perm("products.change_idea", idea):
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(request, IdeaForm(user=request.user, instance=idea), idea)
    form = IdeaForm(request.POST, request.FILES, user=request.user, instance=idea)
    if not form.is_valid():
        return _render_form(request, form, idea)
    try:
        services.idea_update(idea=idea, data=form.service_data(), version=form.cleaned_data["version"] or 0,
                             attachments=form.cleaned_data["attachments"], by=request.user)
    except IdeaAttachmentsRefused as exc:
        form = _saved_form(request, exc.idea)
        form.add_error(None, _("The changes were saved, but some files were refused: see beside the file field."))
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form, exc.idea)
    except ValidationError as exc:
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form, idea, status=409 if getattr(exc, "code", None) == "conflict" else 200)
    return _after_save(request, idea, created=False)


@require_GET
@permission_required("products.add_idea")
def subject_search(request):
    """Search-as-you-type for the registration form: subjects the user may see, accents not needed."""
    query = request.GET.get("subject_search", "").strip()
    subjects = []
    if len(query) >= 2:
        subjects = list(subjects_visible_to(request.user).filter(search_q(query)).select_related(
            "commune__parent").order_by("name")[:10])
    return render(request, "products/ideas/_subject_results.html", {"subjects": subjects, "query": query})


@require_GET
@permission_required("products.add_idea")
def subject_products(request):
    """The <option>s of the product select for the subject just picked."""
    subject = None
    key = record_key(request.GET.get("subject"))
    if key:
        subject = subjects_visible_to(request.user).filter(pk=key).first()
    products = Product.objects.filter(subject=subject).order_by("name") if subject else Product.objects.none()
    return render(request, "products/ideas/_product_options.html", {"products": products})


# ---------------------------------------------------------------------------------------------
# Detail, attachments, transitions
# ---------------------------------------------------------------------------------------------


def _history(idea: ProductIdea) -> list[dict]:
    """The audit trail, oldest first, with each submission numbered as a round and values made readable."""
    rows, round_number = [], 0
    labels = dict(IdeaStatus.choices)
    for entry in audit_trail_for(idea).order_by("at", "id"):
        status = entry.changes.get("status") if entry.action == AuditAction.TRANSITION else None
        if status and status[1] == IdeaStatus.SUBMITTED:
            round_number += 1
        changes = []
        if entry.action == AuditAction.UPDATE:
            for name, values in entry.changes.items():
                changes.append((_field_label(name), _field_value(name, values[0]), _field_value(name, values[1])))
        rows.append({
            "entry": entry, "round": round_number, "changes": changes,
            "status_from": labels.get(status[0], status[0]) if status else None,
            "status_to": labels.get(status[1], status[1]) if status else None,
        })
    return rows


def _field_label(name: str) -> str:
    try:
        return str(ProductIdea._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field renamed since the entry was written
        return name


def _field_value(name: str, value):
    if value in (None, ""):
        return "—"
    try:
        field = ProductIdea._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return value
    choices = dict(field.choices or [])
    return choices.get(value, value)


def _render_detail(request, idea: ProductIdea, *, return_form=None, reject_form=None, status=200):
    user = request.user
    can_screen = user.has_perm("products.screen_idea", idea)
    return render(request, "products/ideas/detail.html", {
        "idea": idea,
        "attachments": list(idea.attachments.all()),
        "standards": list(idea.standards.all()),
        "history": _history(idea),
        "can_edit": user.has_perm("products.change_idea", idea),
        "can_screen": can_screen,
        # The list it was sent with opens for the officials of the list's area, not for the representative.
        "can_open_list": bool(idea.sent_list_id) and _lists_visible_to(user).filter(pk=idea.sent_list_id).exists(),
        "return_form": return_form or ReasonForm(prefix="return"),
        "reject_form": reject_form or ReasonForm(prefix="reject"),
        "show_reasons": bool(return_form or reject_form),
        "missing": services.idea_missing_items(idea) if idea.status in services.EDITABLE_STATUSES else {},
    }, status=status)


@permission_required("products.view_idea_list")
def idea_detail(request, pk):
    return _render_detail(request, _idea_or_404(request, pk))


@permission_required("products.view_idea_list")
def attachment_download(request, pk):
    attachment = get_object_or_404(
        IdeaAttachment.objects.filter(idea__in=ideas_visible_to(request.user)), pk=pk)
    inline = attachment.is_image and request.GET.get("inline") == "1"
    return private_file_response(attachment.file, download_name=attachment.original_name,
                                 file_type=attachment.file_type, inline=inline)


@require_POST
@permission_required("products.view_idea_list")
def attachment_remove(request, pk):
    attachment = get_object_or_404(
        IdeaAttachment.objects.filter(idea__in=ideas_visible_to(request.user)).select_related("idea"), pk=pk)
    if not request.user.has_perm("products.change_idea", attachment.idea):
        raise PermissionDenied
    try:
        services.idea_attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file “%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("products:idea-edit", attachment.idea_id) if request.POST.get("next") == "edit" else redirect(
        attachment.idea)


@require_POST
@permission_required("products.view_idea_list")
def idea_submit(request, pk):
    idea = _idea_or_404(request, pk)
    if not request.user.has_perm("products.change_idea", idea):
        raise PermissionDenied
    try:
        services.idea_submit(idea=idea, by=request.user)
    except IdeaIncomplete as exc:
        messages.error(request, _("The registration form cannot be submitted yet; missing: %(items)s.") % {
            "items": ", ".join(str(item) for item in exc.missing.values())})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The idea was submitted for screening."))
    return redirect(idea)


def _screenable(request, pk) -> ProductIdea | None:
    """The idea if the user screens it now; None (with a message) when he screens it but its status moved on
    (a second click); 404 outside his area, 403 when he may see it but not screen it."""
    idea = _idea_or_404(request, pk)
    if not request.user.has_perm("products.screen_idea", idea):
        if idea.status != IdeaStatus.SUBMITTED and screens_commune(request.user, idea.commune):
            messages.error(request, _("An idea that is “%(status)s” cannot be screened.") % {
                "status": idea.get_status_display()})
            return None
        raise PermissionDenied
    return idea


@require_POST
@permission_required("products.view_idea_list")
def idea_select(request, pk):
    idea = _screenable(request, pk)
    if idea is None:
        return redirect("products:idea-detail", pk)
    try:
        services.idea_select(idea=idea, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The idea was selected. Send it to the province with the other selected ideas."))
    return redirect(idea)


def _screen_with_reason(request, pk, *, prefix: str, service, done: str):
    idea = _screenable(request, pk)
    if idea is None:
        return redirect("products:idea-detail", pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render_detail(request, idea, **{f"{prefix}_form": form})
    try:
        service(idea=idea, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            form.add_error("reason", exc.error_dict["reason"])
            return _render_detail(request, idea, **{f"{prefix}_form": form})
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(idea)


@require_POST
@permission_required("products.view_idea_list")
def idea_return(request, pk):
    return _screen_with_reason(request, pk, prefix="return", service=services.idea_return,
                               done=_("The idea was returned to be completed."))


@require_POST
@permission_required("products.view_idea_list")
def idea_reject(request, pk):
    return _screen_with_reason(request, pk, prefix="reject", service=services.idea_reject,
                               done=_("The idea was rejected."))


# ---------------------------------------------------------------------------------------------
# Sending the selected ideas; the lists the province receives
# ---------------------------------------------------------------------------------------------


@permission_required("products.send_ideas")
def idea_send(request):
    selected = services.ideas_screened_by(request.user).filter(status=IdeaStatus.SELECTED)
    cycles = Cycle.objects.filter(pk__in=selected.values("cycle")).select_related("province").order_by("-year")
    cycle = None
    wanted = record_key(request.POST.get("cycle") or request.GET.get("cycle"))
    if wanted:
        cycle = cycles.filter(pk=wanted).first()
    cycle = cycle or cycles.first()
    ideas = selected.filter(cycle=cycle).select_related("subject", "product_set", "commune__parent").order_by(
        "commune__parent__name", "commune__name", "product_name")
    form = IdeaSendForm(request.POST or None, ideas=ideas)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.ideas_send(ideas=form.cleaned_data["ideas"], by=request.user,
                                       note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_errors(form, exc, fields=SUBJECT_FIELD)
        else:
            messages.success(request, _("The list of %(count)s selected ideas was sent to the province.") % {
                "count": sent.ideas.count()})
            return redirect("products:idea-list-detail", sent.pk)
    return render(request, "products/ideas/send.html", {
        "form": form, "cycle": cycle, "cycles": cycles, "ideas": list(ideas),
    })


def _lists_visible_to(user):
    return IdeaList.objects.filter(scope_q(user, "unit"))


def _chosen_cycle(request) -> Cycle | None:
    cycles = cycles_for(request.user)
    wanted = record_key(request.GET.get("cycle"))
    if wanted:
        cycle = cycles.filter(pk=wanted).first()
        if cycle is not None:
            return cycle
    return current_cycle_for(request.user) or cycles.first()


def district_counts(user, cycle) -> list[dict]:
    """Ideas of the cycle per screening unit (the district, or the province for communes directly under
    it) and status, with the number of lists each unit sent; counted in the database."""
    if cycle is None:
        return []
    counts = {status: Count("pk", filter=Q(status=status)) for status in IdeaStatus.values}
    rows = list(
        ideas_visible_to(user).filter(cycle=cycle)
        .values("commune__parent_id", "commune__parent__name", "commune__parent__kind")
        .annotate(total=Count("pk"), **counts).order_by("commune__parent__name")
    )
    lists = dict(_lists_visible_to(user).filter(cycle=cycle).values("unit_id").annotate(n=Count("pk"))
                 .values_list("unit_id", "n"))
    for row in rows:
        row["lists"] = lists.get(row["commune__parent_id"], 0)
        row["statuses"] = [row[status] for status in IdeaStatus.values]
    return rows


@permission_required("products.view_province_lists")
def province_lists(request):
    cycle = _chosen_cycle(request)
    lists = _lists_visible_to(request.user).filter(cycle=cycle).select_related("unit", "sent_by").annotate(
        idea_count=Count("ideas")).prefetch_related(
        Prefetch("ideas", queryset=ProductIdea.objects.select_related("subject", "commune").order_by("product_name")))
    lists, sort = sort_queryset(request, lists, {"unit": "unit__name", "date": "sent_at", "count": "idea_count"},
                                "unit")
    rows = district_counts(request.user, cycle)
    return render(request, "products/ideas/province_lists.html", {
        "cycle": cycle, "cycles": cycles_for(request.user), "page": paginate(request, lists), "sort": sort,
        "qs_nosort": querystring_without(request, "sort", "page"), "rows": rows,
        "statuses": IdeaStatus.choices,
        "totals": [sum(row["statuses"][i] for row in rows) for i in range(len(IdeaStatus.values))],
        "total_lists": sum(row["lists"] for row in rows), "grand_total": sum(row["total"] for row in rows),
    })


@permission_required("products.view_province_lists")
def province_lists_export(request):
    cycle = _chosen_cycle(request)
    lists = _lists_visible_to(request.user).filter(cycle=cycle)
    ideas = ProductIdea.objects.filter(sent_list__in=lists).select_related(
        "sent_list__unit", "subject", "commune", "product_set").order_by(
        "sent_list__unit__name", "sent_list__sent_at", "product_name")
    headers = [_("District"), _("Sent on"), _("Product name"), _("Subject"), _("Kind of subject"), _("Commune"),
               _("Product set"), _("Expected star")]
    rows = ([idea.sent_list.unit.name, timezone.localtime(idea.sent_list.sent_at).strftime("%d/%m/%Y"),
             idea.product_name, idea.subject.name, idea.subject.get_kind_display(), idea.commune.name,
             str(idea.product_set), idea.expected_star] for idea in ideas)
    return xlsx_response(filename=f"danh-sach-y-tuong-{cycle.year if cycle else ''}.xlsx",
                         sheet_title=_("Lists received"), headers=headers, rows=rows)


@permission_required("products.view_idea_list")
def idea_list_detail(request, pk):
    idea_list_obj = get_object_or_404(
        _lists_visible_to(request.user).select_related("unit", "sent_by", "cycle__province"), pk=pk)
    ideas = idea_list_obj.ideas.select_related("subject", "product_set", "commune").order_by("product_name")
    return render(request, "products/ideas/list_detail.html", {
        "idea_list": idea_list_obj, "page": paginate(request, ideas, per_page=100),
        "audit": audit_trail_for(idea_list_obj)[:20],
        "can_view_lists": request.user.has_perm("products.view_province_lists"),
    })

