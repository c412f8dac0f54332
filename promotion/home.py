"""The home page's invitations panel: a representative's booths at events that have not ended, to answer."""
from django.utils import timezone

from ocop.rules import is_subject_rep

from .models import Booth
from .selectors.activities import invitations_for

PANEL_ROWS = 6


def invitations_panel(user):
    if not is_subject_rep(user):
        return None
    today = timezone.localdate()
    rows = list(invitations_for(user, today=today)[:PANEL_ROWS + 1])
    if not rows:
        return None
    return {"booths": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS, "today": today,
            "waiting": sum(1 for b in rows if b.status == Booth.Status.INVITED)}
