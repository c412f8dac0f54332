"""Training events (tập huấn): the list of the user's area with the participants in total, creating and
changing them."""
import copy

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ocop.formflow import saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for

from .. import services
from ..forms import TrainingFilterForm, TrainingForm
from ..selectors.activities import training_list, training_participants_total, trainings_visible_to

LIST_SORTS = {"date": "held_on", "topic": "topic", "unit": "unit__path", "participants": "participants_count"}


@permission_required("promotion.view_training_list")
def training_list_view(request):
    form = TrainingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = training_list(user=request.user, query=data.get("q", ""), year=data.get("year"))
    total = training_participants_total(qs)
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "-date")
    return render(request, "promotion/training_list.html", list_context(
        request, qs, sort=sort, form=form, tab="training", participants_total=total,
        can_add=request.user.has_perm("promotion.add_training")))


def _training_form(request, training=None):
    form = TrainingForm(request.POST or None, instance=copy.copy(training) if training else None, user=request.user)
    if saved_by(request, form, lambda: services.training_save(
            training=training, data=form.data_for_service(), subjects=form.cleaned_data["subjects"], by=request.user),
            _("The training event was saved.")) is not None:
        return redirect("promotion:training-list")
    return render(request, "promotion/training_form.html", {
        "form": form, "training": training, "tab": "training",
        "audit": audit_trail_for(training)[:50] if training else None})


@permission_required("promotion.add_training")
def training_create(request):
    return _training_form(request)


@permission_required("promotion.view_training_list")
def training_edit(request, pk):
    training = get_object_or_404(trainings_visible_to(request.user).select_related("unit"), pk=pk)
    if not request.user.has_perm("promotion.change_training", training):
        raise PermissionDenied
    return _training_form(request, training)
