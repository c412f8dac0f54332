"""Pages of step 2: registering product ideas, screening them and the lists sent to the province."""
from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from ocop.downloads import private_file_response, xlsx_response
from ocop.formflow import acted_by, add_errors, refusal_text, saved_by
from ocop.listing import list_context, paginate, sort_queryset
from ocop.models import Cycle
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for, current_cycle_for
from ocop.validators import record_key
from subjects.selectors import subjects_visible_to

from .. import selectors
from ..enums import IdeaStatus
from ..forms.ideas import (
    NEW_SUBJECT_FIELDS,
    NEW_SUBJECT_PREFIX,
    IdeaBulkScreenForm,
    IdeaFilterForm,
    IdeaForm,
    IdeaSendForm,
    ReasonForm,
    cycles_for,
)
from ..models import ProductIdea
from ..rules import screens_commune
from ..selectors import idea_list, ideas_visible_to
from ..services import ideas as services
from ..services.ideas import IdeaIncomplete, IdeaRegistration

IDEA_SORTS = {
    "name": "product_name", "subject": "subject__name", "commune": ["commune__name", "commune__parent__name"],
    "status": "status", "date": "created_at",
}
FORM_TOKEN_TTL = 24 * 3600

# The idea form chooses its subject through a search box: a refusal about the subject shows beside it.
SUBJECT_FIELD = {"subject": "subject_search"}


def _idea_or_404(request, pk) -> ProductIdea:
    """The idea if the user may see it; another area's idea is a 404, never data."""
    return get_object_or_404(selectors.idea_detail(user=request.user), pk=pk)


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
    context = list_context(
        request, qs, sort=sort, form=form,
        can_add=user.has_perm("products.add_idea"), can_send=user.has_perm("products.send_ideas"),
        can_view_lists=user.has_perm("products.view_province_lists"),
    )
    # The rows a screener may tick to select, return or reject together.
    context["screenable"] = selectors.ideas_to_screen_among(
        user, context["page"].object_list) if context["can_send"] else set()
    return render(request, "products/ideas/list.html", context)


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


def _register(request, form: IdeaForm, idea: ProductIdea | None = None) -> IdeaRegistration:
    """Save the form through the service; "Gửi" (action=submit) submits it too."""
    return services.idea_register(idea=idea, **form.service_data(), submit=request.POST.get("action") == "submit",
                                  by=request.user)


def _registered(request, registration: IdeaRegistration):
    """The page after a registration was saved: the form again, bound to the saved idea, with the files it refused
    or what it lacks for submitting beside their fields; else the idea's page with what was done."""
    idea = registration.idea
    if registration.refused_files or registration.missing:
        form = _saved_form(request, idea)
        if registration.refused_files:
            form.add_error(None, _("The draft was saved, but some files were refused: see beside the file field.")
                           if registration.created else
                           _("The changes were saved, but some files were refused: see beside the file field."))
            form.add_error("attachments", registration.refused_files)
        else:
            form.add_error(None, _("The draft was saved, but it cannot be submitted yet: complete the items marked."))
            add_errors(form, IdeaIncomplete(registration.missing), fields=SUBJECT_FIELD)
        return _render_form(request, form, idea)
    if registration.submitted:
        messages.success(request, _("The idea was submitted for screening."))
    else:
        messages.success(request, _("The idea was registered as a draft.") if registration.created
                         else _("The draft was saved."))
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
    # Unlike saved_by: a refusal also frees the form's token, so that the corrected form can be sent again.
    try:
        registration = _register(request, form)
    except ValidationError as exc:
        cache.delete(_token_key(token))
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form)
    cache.set(_token_key(token), registration.idea.pk, FORM_TOKEN_TTL)
    return _registered(request, registration)


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
    # Unlike saved_by: a change made meanwhile by somebody else is answered 409 (Conflict), the form kept.
    try:
        registration = _register(request, form, idea)
    except ValidationError as exc:
        add_errors(form, exc, fields=SUBJECT_FIELD)
        return _render_form(request, form, idea, status=409 if getattr(exc, "code", None) == "conflict" else 200)
    return _registered(request, registration)


@require_GET
@permission_required("products.add_idea")
def subject_search(request):
    """Search-as-you-type for the registration form: subjects the user may see, accents not needed."""
    query = request.GET.get("subject_search", "").strip()
    subjects = selectors.idea_subject_matches(user=request.user, query=query)
    return render(request, "products/ideas/_subject_results.html", {"subjects": subjects, "query": query})


@require_GET
@permission_required("products.add_idea")
def subject_products(request):
    """The <option>s of the product select for the subject just picked."""
    subject = None
    key = record_key(request.GET.get("subject"))
    if key:
        subject = subjects_visible_to(request.user).filter(pk=key).first()
    return render(request, "products/ideas/_product_options.html", {"products": selectors.subject_products(subject)})


# ---------------------------------------------------------------------------------------------
# Detail, attachments, transitions
# ---------------------------------------------------------------------------------------------


def _render_detail(request, idea: ProductIdea, *, reason_form: ReasonForm | None = None, status=200):
    """The idea's page; `reason_form` is a screener's refused return or reject form (its prefix names it)."""
    user = request.user
    can_screen = user.has_perm("products.screen_idea", idea)
    reason_forms = {action: ReasonForm(prefix=action) for action, screening in SCREENING.items()
                    if screening.asks_reason}
    if reason_form is not None:
        reason_forms[reason_form.prefix] = reason_form
    return render(request, "products/ideas/detail.html", {
        "idea": idea,
        "attachments": list(idea.attachments.all()),
        "standards": list(idea.standards.all()),
        "history": selectors.idea_history(idea),
        "can_edit": user.has_perm("products.change_idea", idea),
        "can_screen": can_screen,
        # The screener's buttons, those IdeaStatus.TRANSITIONS allows from the idea's status.
        "screen_actions": [action for action in IdeaStatus.SCREENING
                           if can_screen and idea.status in IdeaStatus.TRANSITIONS[action][0]],
        # The list it was sent with opens for the officials of the list's area, not for the representative.
        "can_open_list": bool(idea.sent_list_id) and selectors.idea_lists_visible_to(user).filter(
            pk=idea.sent_list_id).exists(),
        "return_form": reason_forms["return"],
        "reject_form": reason_forms["reject"],
        "missing": services.idea_missing_items(idea) if idea.status in IdeaStatus.EDITABLE else {},
        # A selected idea's business plan: open it, or write it (step 3 of the cycle).
        "plan": selectors.idea_plan(idea) if idea.status in IdeaStatus.PLANNABLE else None,
        "can_plan": user.has_perm("products.add_plan", idea),
    }, status=status)


@permission_required("products.view_idea_list")
def idea_detail(request, pk):
    return _render_detail(request, _idea_or_404(request, pk))


@permission_required("products.view_idea_list")
def attachment_download(request, pk):
    attachment = get_object_or_404(selectors.idea_attachments_visible_to(request.user), pk=pk)
    inline = attachment.is_image and request.GET.get("inline") == "1"
    return private_file_response(attachment.file, download_name=attachment.original_name,
                                 file_type=attachment.file_type, inline=inline)


@require_POST
@permission_required("products.view_idea_list")
def attachment_remove(request, pk):
    attachment = get_object_or_404(selectors.idea_attachments_visible_to(request.user), pk=pk)
    if not request.user.has_perm("products.change_idea", attachment.idea):
        raise PermissionDenied
    acted_by(request, lambda: services.idea_attachment_remove(attachment=attachment, by=request.user),
             _("The file “%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("products:idea-edit", attachment.idea_id) if request.POST.get("next") == "edit" else redirect(
        attachment.idea)


@require_POST
@permission_required("products.view_idea_list")
def idea_submit(request, pk):
    idea = _idea_or_404(request, pk)
    if not request.user.has_perm("products.change_idea", idea):
        raise PermissionDenied
    acted_by(request, lambda: services.idea_submit(idea=idea, by=request.user),
             _("The idea was submitted for screening."), refusal=_submit_refusal)
    return redirect(idea)


def _submit_refusal(exc: ValidationError) -> str:
    """A form that lacks items names them all in one sentence; any other refusal is shown as it is."""
    if isinstance(exc, IdeaIncomplete):
        return _("The registration form cannot be submitted yet; missing: %(items)s.") % {
            "items": ", ".join(str(item) for item in exc.missing.values())}
    return refusal_text(exc)


def _screenable(request, pk) -> ProductIdea | None:
    """The idea if the user screens it now; None (with a message) when he screens it but its status moved on
    (a second click); 404 outside his area, 403 when he may see it but not screen it."""
    idea = _idea_or_404(request, pk)
    if not request.user.has_perm("products.screen_idea", idea):
        if idea.status not in IdeaStatus.SCREENABLE and screens_commune(request.user, idea):
            messages.error(request, _("An idea that is “%(status)s” cannot be screened.") % {
                "status": idea.get_status_display()})
            return None
        raise PermissionDenied
    return idea


class Screening(NamedTuple):
    service: Callable
    asks_reason: bool
    done: str


# The screener's buttons, one for each of IdeaStatus.SCREENING: the service it calls, whether it asks for the
# reason (in a form of its own on the idea's page, prefixed with the action) and what the page says after.
SCREENING = {
    "select": Screening(services.idea_select, False,
                        gettext_lazy("The idea was selected. Send it to the province with the other selected ideas.")),
    "return": Screening(services.idea_return, True, gettext_lazy("The idea was returned to be completed.")),
    "reject": Screening(services.idea_reject, True, gettext_lazy("The idea was rejected.")),
}


@require_POST
@permission_required("products.view_idea_list")
def idea_screen(request, pk, action: str):
    """Select, return or reject a submitted idea (the URL names the action)."""
    screening = SCREENING[action]
    idea = _screenable(request, pk)
    if idea is None:
        return redirect("products:idea-detail", pk)
    form, values = None, {}
    if screening.asks_reason:
        form = ReasonForm(request.POST, prefix=action)
        if not form.is_valid():
            return _render_detail(request, idea, reason_form=form)
        values["reason"] = form.cleaned_data["reason"]
    # Unlike acted_by: a refused reason goes back beside its box on the idea's page; other refusals are messages.
    try:
        screening.service(idea=idea, **values, by=request.user)
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            form.add_error("reason", exc.error_dict["reason"])
            return _render_detail(request, idea, reason_form=form)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, screening.done)
    return redirect(idea)


# What the page says once several ideas were screened together.
BULK_SCREENED = {
    "select": lambda n: ngettext(
        "%(count)s idea was selected. Send it to the province with the other selected ideas.",
        "%(count)s ideas were selected. Send them to the province with the other selected ideas.", n),
    "return": lambda n: ngettext("%(count)s idea was returned to be completed.",
                                 "%(count)s ideas were returned to be completed.", n),
    "reject": lambda n: ngettext("%(count)s idea was rejected.", "%(count)s ideas were rejected.", n),
}


@require_POST
@permission_required("products.send_ideas")
def idea_bulk_screen(request):
    """Several submitted ideas ticked in the list, selected, returned or rejected together with one reason.

    Posted from the list: the confirmation page, which names the ideas, the action and the reason. Posted again
    with `confirmed`: every idea screened through its own service, all or none; a refusal (no reason, an idea whose
    status moved on) comes back on the confirmation page and nothing is changed. Only the submitted ideas the user
    screens may be ticked (the form's queryset), and each must pass the screening rule."""
    form = IdeaBulkScreenForm(request.POST, ideas=selectors.ideas_to_screen(request.user))
    if form.is_valid() and request.POST.get("confirmed") == "1":
        ideas, action = list(form.cleaned_data["ideas"]), form.cleaned_data["action"]
        if not all(request.user.has_perm("products.screen_idea", idea) for idea in ideas):
            raise PermissionDenied
        done = saved_by(request, form, lambda: services.ideas_screen(
            ideas=ideas, action=action, reason=form.cleaned_data["reason"], by=request.user),
            lambda screened: BULK_SCREENED[action](len(screened)) % {"count": len(screened)})
        if done is not None:
            return redirect("products:idea-list")
    cleaned = getattr(form, "cleaned_data", {})
    return render(request, "products/ideas/bulk_screen.html", {
        "form": form, "ideas": list(cleaned.get("ideas") or []), "action": cleaned.get("action", ""),
    })


# ---------------------------------------------------------------------------------------------
# Sending the selected ideas; the lists the province receives
# ---------------------------------------------------------------------------------------------


@permission_required("products.send_ideas")
def idea_send(request):
    selected = selectors.ideas_to_send(request.user)
    cycles = selectors.cycles_of(selected)
    cycle = None
    wanted = record_key(request.POST.get("cycle") or request.GET.get("cycle"))
    if wanted:
        cycle = cycles.filter(pk=wanted).first()
    cycle = cycle or cycles.first()
    ideas = selectors.ideas_to_send_in(selected, cycle)
    form = IdeaSendForm(request.POST or None, ideas=ideas)
    sent = saved_by(request, form, lambda: services.ideas_send(ideas=form.cleaned_data["ideas"], by=request.user,
                                                               note=form.cleaned_data["note"]),
                    lambda sent: _("The list of %(count)s selected ideas was sent to the province.") % {
                        "count": sent.ideas.count()}, fields=SUBJECT_FIELD)
    if sent is not None:
        return redirect("products:idea-list-detail", sent.pk)
    return render(request, "products/ideas/send.html", {
        "form": form, "cycle": cycle, "cycles": cycles, "ideas": list(ideas),
    })


def _chosen_cycle(request) -> Cycle | None:
    cycles = cycles_for(request.user)
    wanted = record_key(request.GET.get("cycle"))
    if wanted:
        cycle = cycles.filter(pk=wanted).first()
        if cycle is not None:
            return cycle
    return current_cycle_for(request.user) or cycles.first()


@permission_required("products.view_province_lists")
def province_lists(request):
    cycle = _chosen_cycle(request)
    lists = selectors.idea_lists_received(user=request.user, cycle=cycle)
    lists, sort = sort_queryset(request, lists, {"unit": "unit__name", "date": "sent_at", "count": "idea_count"},
                                "unit")
    rows = selectors.district_counts(request.user, cycle)
    return render(request, "products/ideas/province_lists.html", list_context(
        request, lists, sort=sort, cycle=cycle, cycles=cycles_for(request.user), rows=rows,
        statuses=IdeaStatus.choices,
        totals=[sum(row["statuses"][i] for row in rows) for i in range(len(IdeaStatus.values))],
        total_lists=sum(row["lists"] for row in rows), grand_total=sum(row["total"] for row in rows),
    ))


@permission_required("products.view_province_lists")
def province_lists_export(request):
    cycle = _chosen_cycle(request)
    ideas = selectors.ideas_sent(user=request.user, cycle=cycle)
    headers = [_("District"), _("Sent on"), _("Product name"), _("Subject"), _("Kind of subject"), _("Commune"),
               _("Product set"), _("Expected star")]
    rows = ([idea.sent_list.unit.name, timezone.localtime(idea.sent_list.sent_at).strftime("%d/%m/%Y"),
             idea.product_name, idea.subject.name, idea.subject.get_kind_display(), idea.commune.name,
             str(idea.product_set), idea.expected_star] for idea in ideas)
    return xlsx_response(filename=f"danh-sach-y-tuong-{cycle.year if cycle else ''}.xlsx",
                         sheet_title=_("Lists received"), headers=headers, rows=rows)


@permission_required("products.view_idea_list")
def idea_list_detail(request, pk):
    idea_list_obj = get_object_or_404(selectors.idea_list_detail(user=request.user), pk=pk)
    ideas = selectors.idea_list_ideas(idea_list_obj)
    return render(request, "products/ideas/list_detail.html", {
        "idea_list": idea_list_obj, "page": paginate(request, ideas, per_page=100),
        "audit": audit_trail_for(idea_list_obj)[:20],
        "can_view_lists": request.user.has_perm("products.view_province_lists"),
    })

