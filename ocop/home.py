"""The shared navigation entries and home-page panels (cycle progress, the user's role)."""
from django.utils.translation import gettext_lazy as _

from .enums import CycleStep
from .registry import HomePanel, NavItem, register_home_panel, register_nav
from .selectors import current_cycle_for

register_nav(NavItem(_("Home"), "home", "house", "ocop.view_home", order=0))
register_nav(NavItem(_("Cycles"), "cycle-list", "calendar3", "ocop.view_cycle_list", order=10))
register_nav(NavItem(_("Administrative units"), "unit-list", "diagram-3", "ocop.view_unit", order=90, more=True))


def _cycle_panel(user):
    cycle = current_cycle_for(user)
    if cycle is None:
        return None
    steps = list(cycle.steps.all())
    return {"cycle": cycle, "steps": steps, "step_count": len(CycleStep.values)}


register_home_panel("cycle", HomePanel("ocop/panels/cycle.html", _cycle_panel, order=10))
