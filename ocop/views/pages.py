"""Home page, programme cycles, administrative units, the user's notifications and the health check."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import services
from ..enums import UnitKind
from ..formflow import acted_by, saved_by
from ..forms.cycles import CurrentStepForm, CycleForm, RoundForm, StepPlanForm
from ..listing import list_context, paginate, sort_queryset
from ..models import Cycle, CycleStepPlan, Round
from ..permissions import permission_required
from ..registry import panels_for, round_summaries, step_progress
from ..selectors import (
    audit_trail_for,
    cycle_list_rows,
    cycle_rounds,
    cycles_with_province,
    notification_list,
    rounds_with_cycle,
    unit_children,
    unit_list_rows,
    unit_pages_of,
    units_linkable,
)


@login_required
def home(request):
    return render(request, "ocop/home.html", {"panels": panels_for(request.user)})


# ---------------------------------------------------------------------------------------------
# Cycles
# ---------------------------------------------------------------------------------------------


def _visible_cycle(request, pk) -> Cycle:
    cycle = get_object_or_404(cycles_with_province(), pk=pk)
    if not request.user.has_perm("ocop.view_cycle", cycle):
        raise Http404
    return cycle


@permission_required("ocop.view_cycle_list")
def cycle_list_view(request):
    qs = cycle_list_rows(user=request.user)
    qs, sort = sort_queryset(request, qs, {"year": "year", "province": "province__name", "step": "current_step"},
                             "-year")
    return render(request, "ocop/cycle_list.html", list_context(
        request, qs, sort=sort, can_add=request.user.has_perm("ocop.add_cycle")))


@permission_required("ocop.view_cycle_list")
def cycle_detail(request, pk):
    cycle = _visible_cycle(request, pk)
    summaries = round_summaries(cycle, request.user)
    return render(request, "ocop/cycle_detail.html", {
        "cycle": cycle,
        "steps": cycle.steps.all(),
        "progress": step_progress(cycle, request.user),
        "rounds": [(r, summaries.get(r.pk)) for r in cycle_rounds(cycle=cycle)],
        "audit": audit_trail_for(cycle)[:50],
        "can_change": request.user.has_perm("ocop.change_cycle", cycle),
        "can_add_round": request.user.has_perm("ocop.add_round", cycle),
        "step_form": CurrentStepForm(initial={"current_step": cycle.current_step}),
    })


@permission_required("ocop.add_cycle")
def cycle_create(request):
    form = CycleForm(request.POST or None, user=request.user)
    cycle = saved_by(request, form, lambda: services.cycle_create(by=request.user, **form.cleaned_data),
                     _("The cycle was created."))
    if cycle is not None:
        return redirect(cycle)
    return render(request, "ocop/cycle_form.html", {"form": form})


@permission_required("ocop.view_cycle_list")
def cycle_edit(request, pk):
    cycle = _visible_cycle(request, pk)
    if not request.user.has_perm("ocop.change_cycle", cycle):
        raise PermissionDenied
    form = CycleForm(request.POST or None, instance=cycle, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.cycle_update(cycle=cycle, data=form.cleaned_data, by=request.user)
        messages.success(request, _("The cycle was saved."))
        return redirect(cycle)
    return render(request, "ocop/cycle_form.html", {"form": form, "cycle": cycle})


@require_POST
@permission_required("ocop.view_cycle_list")
def cycle_set_step(request, pk):
    cycle = _visible_cycle(request, pk)
    if not request.user.has_perm("ocop.change_cycle", cycle):
        raise PermissionDenied
    form = CurrentStepForm(request.POST)
    if form.is_valid():
        services.cycle_set_current_step(cycle=cycle, step=form.cleaned_data["current_step"], by=request.user)
        messages.success(request, _("The current step was changed."))
    else:
        messages.error(request, _("Choose one of the six steps."))
    return redirect(cycle)


@permission_required("ocop.view_cycle_list")
def step_plan_edit(request, pk, step):
    cycle = _visible_cycle(request, pk)
    if not request.user.has_perm("ocop.change_cycle", cycle):
        raise PermissionDenied
    plan = get_object_or_404(CycleStepPlan, cycle=cycle, step=step)
    form = StepPlanForm(request.POST or None, instance=plan)
    if saved_by(request, form, lambda: services.step_plan_update(plan=plan, by=request.user, **form.cleaned_data),
                _("The step's dates were saved.")) is not None:
        return redirect(cycle)
    return render(request, "ocop/step_plan_form.html", {"form": form, "cycle": cycle, "plan": plan})


# ---------------------------------------------------------------------------------------------
# A cycle's evaluation rounds
# ---------------------------------------------------------------------------------------------


def _managed_round(request, pk, perm: str) -> Round:
    """The round, for whoever manages its cycle: 404 when the user may not see the cycle, 403 when he may see
    but not change it."""
    round_ = get_object_or_404(rounds_with_cycle(), pk=pk)
    if not request.user.has_perm("ocop.view_cycle", round_.cycle):
        raise Http404
    if not request.user.has_perm(perm, round_):
        raise PermissionDenied
    return round_


def _rounds_of(cycle) -> str:
    return cycle.get_absolute_url() + "#rounds"


def _with_placement(text: str, round_: Round) -> str:
    """The success message, followed by what the round's days did to the cycle's sessions (`round_.placement`):
    those it took, those it let go."""
    taken, released = round_.placement.taken.get(round_.pk, 0), round_.placement.released.get(round_.pk, 0)
    parts = [text]
    if taken:
        parts.append(ngettext("It took %(count)s session held on its days.",
                              "It took %(count)s sessions held on its days.", taken) % {"count": taken})
    if released:
        parts.append(ngettext(
            "%(count)s session outside its days left it, for the round holding its date or none.",
            "%(count)s sessions outside its days left it, for the round holding their date or none.",
            released) % {"count": released})
    return " ".join(parts)


@permission_required("ocop.view_cycle_list")
def round_create(request, pk):
    cycle = _visible_cycle(request, pk)
    if not request.user.has_perm("ocop.add_round", cycle):
        raise PermissionDenied
    form = RoundForm(request.POST or None, initial=RoundForm.initial_for(cycle))
    if saved_by(request, form, lambda: services.round_create(cycle=cycle, by=request.user, **form.cleaned_data),
                lambda round_: _with_placement(_("%(round)s was added to the cycle.") % {"round": round_},
                                               round_)) is not None:
        return redirect(_rounds_of(cycle))
    return render(request, "ocop/round_form.html", {"form": form, "cycle": cycle})


@permission_required("ocop.view_cycle_list")
def round_edit(request, pk):
    round_ = _managed_round(request, pk, "ocop.change_round")
    form = RoundForm(request.POST or None, initial=RoundForm.initial_of(round_))
    if saved_by(request, form, lambda: services.round_update(round_=round_, by=request.user, **form.cleaned_data),
                lambda saved: _with_placement(_("%(round)s was saved.") % {"round": saved}, saved)) is not None:
        return redirect(_rounds_of(round_.cycle))
    return render(request, "ocop/round_form.html", {"form": form, "cycle": round_.cycle, "round": round_})


@require_POST
@permission_required("ocop.view_cycle_list")
def round_delete(request, pk):
    """Delete a round; its sessions stay, in no round (the message says how many)."""
    round_ = _managed_round(request, pk, "ocop.delete_round")
    cycle, name, round_pk = round_.cycle, str(round_), round_.pk

    def deleted(placement) -> str:
        text, released = _("%(round)s was deleted.") % {"round": name}, placement.released.get(round_pk, 0)
        if not released:
            return text
        return " ".join([text, ngettext(
            "Its %(count)s session now belongs to no round; a round created on its day takes it back.",
            "Its %(count)s sessions now belong to no round; a round created on their days takes them back.",
            released) % {"count": released}])

    acted_by(request, lambda: services.round_delete(round_=round_, by=request.user), deleted)
    return redirect(_rounds_of(cycle))


# ---------------------------------------------------------------------------------------------
# Administrative units
# ---------------------------------------------------------------------------------------------


@permission_required("ocop.view_unit")
def unit_list(request):
    kind = request.GET.get("kind", "")
    qs = unit_list_rows(user=request.user, query=request.GET.get("q", "").strip(), kind=kind)
    qs, sort = sort_queryset(request, qs, {"path": "path", "name": "name", "code": "code"}, "path")
    return render(request, "ocop/unit_list.html", list_context(
        request, qs, sort=sort, per_page=50, kind=kind, kinds=UnitKind.choices))


@permission_required("ocop.view_unit")
def unit_detail(request, code):
    unit = get_object_or_404(unit_pages_of(user=request.user), code=code)
    merged_from = list(unit.merged_from.all())
    # The province above a district officer's district, or the unit a commune merged into across a provincial
    # border, is named but not linked: its page lies outside the user's area.
    named = [u.pk for u in (unit.parent, unit.merged_into, *merged_from) if u is not None]
    return render(request, "ocop/unit_detail.html", {
        "unit": unit,
        "children": unit_children(unit=unit),
        "merged_from": merged_from,
        "linked": units_linkable(user=request.user, units=named),
    })


# ---------------------------------------------------------------------------------------------
# Notifications: every user sees his own, and only his own
# ---------------------------------------------------------------------------------------------


@login_required
def notification_list_view(request):
    return render(request, "ocop/notification_list.html", {
        "page": paginate(request, notification_list(user=request.user)),
    })


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with `open`, go on to what it links to, else back to the list."""
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if "open" in request.POST and notification.url and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect(_notification_list_url(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(by=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_notification_list_url(request))


def _notification_list_url(request) -> str:
    page = request.POST.get("page", "")
    return reverse("notification-list") + (f"?page={page}" if page.isdigit() else "")


# ---------------------------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------------------------


@never_cache
def health(request):
    """For the load balancer: 200 when the database (and the broker, if one is set) answer."""
    from django.conf import settings

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_BROKER_URL:
        from ocop.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
