"""Events: the list with its filters and Excel export, an event with its booths, creating, changing and
deleting events, inviting certified products, answering an invitation and recording a booth's results."""
import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from ocop.downloads import xlsx_response
from ocop.formflow import acted_by, saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.rules import is_official
from ocop.selectors import audit_trail_for

from .. import services
from ..forms import BoothResultsForm, EventFilterForm, EventForm, InvitationForm
from ..models import Booth
from ..selectors.activities import (
    booth_products,
    booths_visible_to,
    certified_products,
    event_booths,
    event_list,
    event_subject_ids,
    events_visible_to,
)
from .common import next_url

LIST_SORTS = {"name": "name", "date": "starts_on", "kind": "kind", "unit": "unit__path", "booths": "booth_count",
              "sales": "sales_total"}

# ---------------------------------------------------------------------------------------------
# The list and its export
# ---------------------------------------------------------------------------------------------


def _filtered_events(request):
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, event_list(user=request.user, query=data.get("q", ""), year=data.get("year"),
                            kind=data.get("kind", ""))


@permission_required("promotion.view_event_list")
def event_list_view(request):
    form, qs = _filtered_events(request)
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "-date")
    return render(request, "promotion/event_list.html", list_context(
        request, qs, sort=sort, form=form, tab="events",
        can_add=request.user.has_perm("promotion.add_event")))


@permission_required("promotion.view_event_list")
def event_export(request):
    """The filtered list (every page, in the list's order) as an Excel workbook."""
    _form, qs = _filtered_events(request)
    qs, _sort = sort_queryset(request, qs, LIST_SORTS, "-date")
    headers = [_("Name"), _("Kind"), _("Organising unit"), _("Organiser"), _("Place"), _("Starts on"), _("Ends on"),
               _("Budget (VND)"), _("Booths"), pgettext("booth status", "Registered"),
               pgettext("booth status", "Declined"), _("Sales (VND)"), _("Contracts signed")]

    def rows():
        for e in qs:
            yield [e.name, e.get_kind_display(), str(e.unit), e.organiser, e.place, e.starts_on, e.ends_on, e.budget,
                   e.booth_count, e.registered_count, e.declined_count, e.sales_total, e.contracts_total]

    filename = f"xuc-tien-thuong-mai-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename=filename, sheet_title=_("Promotion events"), headers=headers, rows=rows())


# ---------------------------------------------------------------------------------------------
# One event
# ---------------------------------------------------------------------------------------------


def _visible_event(request, pk):
    """The event if the user may see it; another area's event is a 404, never its data."""
    event = get_object_or_404(events_visible_to(request.user).select_related("unit__parent", "created_by"), pk=pk)
    if not request.user.has_perm("promotion.view_event", event):
        raise PermissionDenied
    return event


def _event_for(request, pk, perm: str):
    event = _visible_event(request, pk)
    if not request.user.has_perm(perm, event):
        raise PermissionDenied
    return event


@permission_required("promotion.view_event_page")
def event_detail(request, pk):
    event = _visible_event(request, pk)
    user = request.user
    today = timezone.localdate()
    booths = list(event_booths(event=event, user=user))
    manages = user.has_perm("promotion.change_event", event)
    open_ = event.ends_on >= today
    for booth in booths:
        # A representative answers his invitation; an official answers on behalf of a subject without an account.
        booth.can_answer = open_ and not booth.has_results and (not manages or booth.status == Booth.Status.INVITED)
        booth.can_record = manages and booth.status == Booth.Status.REGISTERED and event.starts_on <= today
    counts = {status: sum(1 for b in booths if b.status == status) for status in Booth.Status.values}
    has_results = any(b.has_results for b in booths) if manages else False
    return render(request, "promotion/event_detail.html", {
        "event": event, "booths": booths, "counts": counts, "manages": manages, "tab": "events",
        "can_delete": manages and not has_results,
        "sales_total": sum(b.sales or 0 for b in booths), "contracts_total": sum(b.contracts or 0 for b in booths),
        "audit": audit_trail_for(event)[:50] if manages else None,
    })


@permission_required("promotion.add_event")
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    event = saved_by(request, form, lambda: services.event_save(data=form.data_for_service(), by=request.user),
                     _("The event was created: invite certified products to it."))
    if event is not None:
        return redirect(event)
    return render(request, "promotion/event_form.html", {"form": form, "tab": "events"})


@permission_required("promotion.view_event_list")
def event_edit(request, pk):
    event = _event_for(request, pk, "promotion.change_event")
    # The form fills its own copy: the service compares the saved values with the new ones for the audit.
    form = EventForm(request.POST or None, instance=copy.copy(event), user=request.user)
    if saved_by(request, form, lambda: services.event_save(event=event, data=form.data_for_service(), by=request.user),
                _("The event was saved.")) is not None:
        return redirect(event)
    return render(request, "promotion/event_form.html", {"form": form, "event": event, "tab": "events"})


@require_POST
@permission_required("promotion.view_event_list")
def event_delete(request, pk):
    event = _event_for(request, pk, "promotion.delete_event")
    if acted_by(request, lambda: services.event_delete(event=event, by=request.user),
                _("The event “%(name)s” was deleted.") % {"name": event.name}) is None:
        return redirect(event)
    return redirect("promotion:event-list")


# ---------------------------------------------------------------------------------------------
# Invitations, answers and results
# ---------------------------------------------------------------------------------------------


@permission_required("promotion.view_event_list")
def event_invite(request, pk):
    """Filter certified products (GET shows who would be invited); POST invites them, one booth per subject."""
    event = _event_for(request, pk, "promotion.invite_to_event")
    form = InvitationForm(request.POST if request.method == "POST" else (request.GET or None), user=request.user)
    candidates, present = [], event_subject_ids(event=event)
    if form.is_bound and form.is_valid():
        products = certified_products(user=request.user, **form.cleaned_data)
        candidates = [p for p in products if p.subject_id not in present]
        if request.method == "POST":
            booths = acted_by(request, lambda: services.booths_invite(event=event, products=candidates,
                                                                      by=request.user))
            if booths is not None:
                if booths:
                    messages.success(request, ngettext("%(count)s subject was invited.",
                                                       "%(count)s subjects were invited.", len(booths))
                                     % {"count": len(booths)})
                else:
                    messages.info(request, _("No new subject matches: nobody was invited."))
                return redirect(event)
    groups: dict = {}
    for product in candidates:
        groups.setdefault(product.subject, []).append(product)
    return render(request, "promotion/event_invite.html", {
        "event": event, "form": form, "groups": list(groups.items()), "already": len(present), "tab": "events"})


def _visible_booth(request, pk) -> Booth:
    return get_object_or_404(booths_visible_to(request.user).select_related("event__unit", "subject__commune"), pk=pk)


@require_POST
@permission_required("promotion.view_event_page")
def booth_answer(request, pk):
    booth = _visible_booth(request, pk)
    if not request.user.has_perm("promotion.answer_booth", booth):
        raise PermissionDenied
    answer = request.POST.get("answer")
    if answer not in ("register", "decline"):
        return HttpResponseBadRequest()
    register = answer == "register"
    names = {"subject": booth.subject, "event": booth.event}
    acted_by(request, lambda: services.booth_answer(booth=booth, register=register, by=request.user),
             _("%(subject)s is registered for %(event)s.") % names if register
             else _("%(subject)s declined the invitation to %(event)s.") % names)
    return redirect(next_url(request, booth.event.get_absolute_url()))


@permission_required("promotion.view_event_list")
def booth_results(request, pk):
    booth = _visible_booth(request, pk)
    if not request.user.has_perm("promotion.record_booth_results", booth):
        raise PermissionDenied
    form = BoothResultsForm(request.POST or None, instance=copy.copy(booth))
    if saved_by(request, form,
                lambda: services.booth_results_record(booth=booth, data=form.data_for_service(), by=request.user),
                _("The results of %(subject)s were saved.") % {"subject": booth.subject}) is not None:
        return redirect(booth.event)
    return render(request, "promotion/booth_results.html", {
        "form": form, "booth": booth, "event": booth.event, "tab": "events",
        "products": booth_products(booth=booth), "is_official": is_official(request.user)})

