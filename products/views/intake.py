"""Pages of the commune's part of the procedure (1489/2025, 26/2026; the district's under 148): a submitted
dossier returned for completion or found complete, the checked dossiers sent to the province in a list, and the
lists the province receives, by commune."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.formflow import acted_by, saved_by
from ocop.listing import list_context
from ocop.permissions import permission_required
from ocop.validators import record_key

from .. import selectors
from ..forms.catalog import DossierSendForm
from ..forms.ideas import ReasonForm, cycles_for
from ..rules import receives_dossiers_of
from ..services import dossiers as services
from .catalog import _dossier_page, _visible_dossier
from .ideas import _chosen_cycle


def _checkable_dossier(request, pk):
    """The dossier the officer may return or check; None (with a message) when its status no longer allows it,
    403 for a user who does not receive its commune's dossiers."""
    dossier = _visible_dossier(request, pk)
    if request.user.has_perm("products.check_dossier", dossier):
        return dossier
    if receives_dossiers_of(request.user, dossier):
        messages.error(request, _("A dossier that is “%(status)s” can no longer be returned or checked.") % {
            "status": dossier.get_status_display()})
        return None
    raise PermissionDenied


@require_POST
@permission_required("products.view_product_list")
def dossier_return(request, pk):
    dossier = _checkable_dossier(request, pk)
    if dossier is None:
        return redirect("products:dossier-detail", pk=pk)
    form = ReasonForm(request.POST, prefix="return")
    if not form.is_valid():
        return _dossier_page(request, dossier, return_form=form)
    # Unlike acted_by: a refused reason goes back beside its box; other refusals are messages.
    try:
        services.dossier_return(dossier=dossier, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            form.add_error("reason", exc.error_dict["reason"])
            return _dossier_page(request, dossier, return_form=form)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The dossier was returned to its subject for completion."))
    return redirect(dossier)


@require_POST
@permission_required("products.view_product_list")
def dossier_check(request, pk):
    dossier = _checkable_dossier(request, pk)
    if dossier is None:
        return redirect("products:dossier-detail", pk=pk)
    acted_by(request, lambda: services.dossier_check(dossier=dossier, by=request.user),
             _("The dossier was checked: it is complete and can be sent to the province."))
    return redirect(dossier)


@permission_required("products.send_dossiers")
def dossier_send(request):
    checked = selectors.dossiers_to_send(request.user)
    cycles = selectors.cycles_of(checked)
    wanted = record_key(request.POST.get("cycle") or request.GET.get("cycle"))
    cycle = (cycles.filter(pk=wanted).first() if wanted else None) or cycles.first()
    dossiers = selectors.dossiers_to_send_in(checked, cycle)
    form = DossierSendForm(request.POST or None, dossiers=dossiers)
    sent = saved_by(request, form, lambda: services.dossiers_send(
        dossiers=form.cleaned_data["dossiers"], by=request.user, note=form.cleaned_data["note"]),
        lambda sent: _("The list of %(count)s checked dossiers was sent to the province.") % {
            "count": sent.dossiers.count()})
    if sent is not None:
        return redirect("products:dossier-lists")
    return render(request, "products/catalog/dossier_send.html", {
        "form": form, "cycle": cycle, "cycles": cycles, "dossiers": list(dossiers)})


@permission_required("products.view_dossier_lists")
def dossier_lists(request):
    """The lists of checked dossiers received (the province) or sent (a commune), grouped by the sending unit."""
    cycle = _chosen_cycle(request)
    lists = selectors.dossier_lists_received(user=request.user, cycle=cycle)
    return render(request, "products/catalog/dossier_lists.html", list_context(
        request, lists, cycle=cycle, cycles=cycles_for(request.user),
        can_send=request.user.has_perm("products.send_dossiers")))
