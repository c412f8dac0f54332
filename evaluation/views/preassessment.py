"""The commune's pre-assessment of a dossier: its page, and its panel on the dossier's page."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ocop.formflow import saved_by
from ocop.permissions import permission_required
from products.rules import receives_dossiers_of
from products.selectors import dossier_detail

from ..forms.preassessment import PreAssessmentForm
from ..selectors.preassessment import commune_criteria, dossier_pre_assessments
from ..services.preassessment import dossier_preassess, dossier_sheet


def _criteria_and_rows(dossier):
    criteria = list(commune_criteria(dossier_sheet(dossier)))
    return criteria, dossier_pre_assessments(dossier)


def dossier_panel(user, dossier):
    """The dossier page's panel: the commune's proposed answers, for whoever sees the dossier; nothing when the
    dossier's sheet has no criterion the commune pre-assesses."""
    criteria, current = _criteria_and_rows(dossier)
    if not criteria:
        return None
    return {"dossier": dossier, "rows": [(criterion, current.get(criterion.pk)) for criterion in criteria],
            "can_edit": user.has_perm("evaluation.preassess_dossier", dossier)}


@permission_required("products.view_product_list")
def dossier_preassessment(request, pk):
    dossier = get_object_or_404(dossier_detail(user=request.user), pk=pk)
    if not request.user.has_perm("products.view_dossier", dossier):
        raise Http404
    # The officer who receives the commune's dossiers opens the page whatever the dossier's status; the form
    # saves only while the dossier is submitted or checked (the service refuses otherwise).
    if not receives_dossiers_of(request.user, dossier):
        raise PermissionDenied
    criteria, current = _criteria_and_rows(dossier)
    form = PreAssessmentForm(request.POST or None, criteria=criteria, current=current)
    if saved_by(request, form, lambda: dossier_preassess(dossier=dossier, answers=form.answers(), by=request.user),
                _("The pre-assessment was saved.")) is not None:
        return redirect(dossier)
    return render(request, "evaluation/preassessment/form.html", {
        "dossier": dossier, "form": form,
        "can_edit": request.user.has_perm("evaluation.preassess_dossier", dossier)})
