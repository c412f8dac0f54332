"""Pages of the commune's part of the procedure (1489/2025, 26/2026; the district's under 148): a submitted
dossier returned for completion or found complete."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.formflow import acted_by
from ocop.permissions import permission_required

from ..forms.ideas import ReasonForm
from ..rules import receives_dossiers_of
from ..services import dossiers as services
from .catalog import _dossier_page, _visible_dossier


def _checkable_dossier(request, pk):
    """The dossier the officer may return or check; None (with a message) when its status no longer allows it,
    403 for a user who does not receive its commune's dossiers."""
    dossier = _visible_dossier(request, pk)
    if request.user.has_perm("products.check_dossier", dossier):
        return dossier
    if receives_dossiers_of(request.user, dossier.product.commune):
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
