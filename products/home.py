"""Navigation entries and home-page panels of the products app."""
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.enums import CycleStep
from ocop.models import AdministrativeUnit
from ocop.registry import HomePanel, NavItem, StepProgress, register_home_panel, register_nav, register_step_progress
from ocop.rules import is_local_officer
from ocop.selectors import current_cycle_for, scope_q

from .enums import IdeaStatus
from .models import IdeaList
from .selectors import dossiers_to_receive, dossiers_to_send, ideas_screened_by, ideas_to_send, ideas_visible_to

register_nav(NavItem(_("Product ideas"), "products:idea-list", "lightbulb", "products.view_idea_list", order=20))
register_nav(NavItem(_("Products"), "products:list", "box-seam", "products.view_product_list", order=30))

PANEL_ROWS = 5


def _idea_work_panel(user):
    """Ideas waiting for the user: submitted ideas he screens, returned ideas and his own drafts to complete,
    selected ideas still to send to the province."""
    if not user.has_perm("products.view_idea_list"):
        return None
    to_screen = ideas_screened_by(user).filter(status__in=IdeaStatus.SCREENABLE).select_related(
        "subject", "commune").order_by("submitted_at", "pk")
    to_complete = ideas_visible_to(user).filter(
        Q(status=IdeaStatus.RETURNED) | Q(status=IdeaStatus.DRAFT, created_by=user)).select_related(
        "subject").order_by("-updated_at", "pk")
    to_send = ideas_to_send(user).count()
    screen_rows = list(to_screen[:PANEL_ROWS + 1]) if user.has_perm("products.send_ideas") else []
    complete_rows = list(to_complete[:PANEL_ROWS + 1])
    return {
        "to_screen": screen_rows[:PANEL_ROWS],
        "to_screen_count": to_screen.count() if len(screen_rows) > PANEL_ROWS else len(screen_rows),
        "to_complete": complete_rows[:PANEL_ROWS],
        "to_complete_count": to_complete.count() if len(complete_rows) > PANEL_ROWS else len(complete_rows),
        "to_send": to_send,
        "can_add": user.has_perm("products.add_idea"),
    }


def _idea_progress_panel(user):
    """Step 2 of the current cycle for the province: ideas by status, lists received from how many districts."""
    if not user.has_perm("products.view_province_lists"):
        return None
    cycle = current_cycle_for(user)
    if cycle is None:
        return None
    counts = ideas_visible_to(user).filter(cycle=cycle).aggregate(
        total=Count("pk"), **{status: Count("pk", filter=Q(status=status)) for status in IdeaStatus.values})
    lists = IdeaList.objects.filter(scope_q(user, "unit"), cycle=cycle)
    districts = AdministrativeUnit.objects.within(cycle.province).districts().count()
    return {
        "cycle": cycle,
        "total": counts.pop("total"),
        "by_status": [(label, counts[value], value) for value, label in IdeaStatus.choices],
        "list_count": lists.count(),
        "units_sent": lists.values("unit").distinct().count(),
        "districts": districts,
    }


def _dossier_intake_panel(user):
    """The commune's part (1489/QĐ-TTg, 26/2026/QĐ-TTg; the district's under 148): the submitted dossiers the
    officer receives, to return or check, and how many checked ones wait to be sent to the province."""
    if not is_local_officer(user):
        return None
    to_receive = dossiers_to_receive(user)
    rows = list(to_receive[:PANEL_ROWS + 1])
    to_send = dossiers_to_send(user).count()
    if not rows and not to_send:
        return None
    return {"to_receive": rows[:PANEL_ROWS], "to_send": to_send,
            "to_receive_count": to_receive.count() if len(rows) > PANEL_ROWS else len(rows)}


register_home_panel("ideas-work", HomePanel("products/ideas/panels/work.html", _idea_work_panel, order=20))
register_home_panel("dossier-intake", HomePanel("products/dossiers/panel_intake.html", _dossier_intake_panel,
                                                order=18))
register_home_panel("ideas-progress", HomePanel("products/ideas/panels/progress.html", _idea_progress_panel,
                                                order=15))


def _ideas_step_progress(cycle, user):
    """Step 2 on the cycle page: ideas registered and screened in the user's area, and which districts sent."""
    counts = ideas_visible_to(user).filter(cycle=cycle).aggregate(
        total=Count("pk"),
        screened=Count("pk", filter=Q(status__in=IdeaStatus.SCREENED)),
        sent=Count("pk", filter=Q(status=IdeaStatus.SENT)))
    if not counts["total"]:
        return StepProgress(gettext("No idea registered yet."), reverse("products:idea-list") + f"?cycle={cycle.pk}")
    units_sent = IdeaList.objects.filter(scope_q(user, "unit"), cycle=cycle).values("unit").distinct().count()
    districts = AdministrativeUnit.objects.within(cycle.province).districts()
    if user.unit_id and not user.is_superuser:
        districts = districts.filter(path__startswith=user.unit.path)  # a district officer: his own district
    districts = districts.count()
    text = gettext("%(total)s ideas, %(screened)s screened, %(sent)s sent to the province; lists from "
                   "%(units)s of %(districts)s districts") % {**counts, "units": units_sent, "districts": districts}
    return StepProgress(text, reverse("products:idea-list") + f"?cycle={cycle.pk}",
                        percent=round(100 * counts["screened"] / counts["total"]))


register_step_progress(CycleStep.IDEAS, _ideas_step_progress)
