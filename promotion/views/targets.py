"""Targets (chỉ tiêu): the units and years of the user's area that have them, and a page per unit and year
where the planned figure of each indicator is entered. Progress is computed elsewhere (the dashboard)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ocop.formflow import saved_by
from ocop.listing import paginate
from ocop.permissions import permission_required

from .. import services
from ..forms import TargetChooseForm, TargetForm, parse_year, units_for
from ..selectors.activities import target_sets, targets_of


@permission_required("promotion.view_targets")
def target_list_view(request):
    """The target sets of the area; choosing a unit and a year opens its page."""
    choose = TargetChooseForm(request.GET or None, user=request.user)
    if choose.is_bound and choose.is_valid():
        return redirect("promotion:target-edit", code=choose.cleaned_data["unit"].code,
                        year=choose.cleaned_data["year"])
    rows = target_sets(user=request.user)
    return render(request, "promotion/target_list.html", {"page": paginate(request, rows), "choose": choose,
                                                          "tab": "targets"})


@permission_required("promotion.view_targets")
def target_edit(request, code, year):
    unit = get_object_or_404(units_for(request.user), code=code)
    if parse_year(year) is None:
        raise Http404
    if not request.user.has_perm("promotion.change_targets", unit):
        raise PermissionDenied
    targets = targets_of(unit=unit, year=year)
    form = TargetForm(request.POST or None, targets=targets)
    changes = saved_by(request, form, lambda: services.targets_save(
        unit=unit, year=year, planned=form.planned(), reference=form.cleaned_data["reference"], by=request.user))
    if changes is not None:
        messages.success(request, _("The targets were saved.") if changes else _("Nothing was changed."))
        return redirect("promotion:target-edit", code=unit.code, year=year)
    return render(request, "promotion/target_form.html", {"form": form, "unit": unit, "year": year,
                                                          "tab": "targets"})
