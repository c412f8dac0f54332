"""Sessions placed in the evaluation rounds of their cycle (ocop's Round) by their date, whenever a round is
created, re-dated or deleted: ocop calls `sessions_place` through `ocop.registry.rounds_place` (registered in
home.py), as it cannot know the sessions."""
import datetime
from collections import Counter

from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.models import Cycle, Round, User
from ocop.registry import RoundPlacement
from ocop.selectors import cycle_rounds
from ocop.services import audit_log

from ..enums import EvaluationLevel
from ..models import Session


def _covering(rounds: list[Round], day: datetime.date) -> Round | None:
    """The round whose days hold `day`; a missing opening (closing) day leaves a round open towards the start
    (end) of time, as `ocop.selectors.rounds_overlapping` reads it."""
    for round_ in rounds:
        if (round_.starts_on is None or round_.starts_on <= day) and (round_.ends_on is None or day <= round_.ends_on):
            return round_
    return None


def sessions_place(cycle: Cycle, *, without: Round | None = None, by: User | None = None) -> RoundPlacement:
    """Put each session of the cycle's councils in the round whose days hold its date, or in none: a round created
    or re-dated takes the sessions held on its days, a re-dated one lets go of those now outside them, and
    `without` (a round about to be deleted) lets go of all of its own. A central council's sessions stay in no
    round (the ministry sits on its own calendar, `councils.session_round`).

    Runs in the caller's transaction. Side effects: saves the round of each session that moves, with an audit entry
    on it. Returns how many sessions each round took and let go.
    """
    rounds = [r for r in cycle_rounds(cycle=cycle) if without is None or r.pk != without.pk]
    taken: Counter = Counter()
    released: Counter = Counter()
    sessions = (Session.objects.filter(council__cycle=cycle).exclude(council__level=EvaluationLevel.CENTRAL)
                .select_related("round", "council").order_by("held_on", "pk"))
    for session in sessions:
        target = _covering(rounds, session.held_on)
        if session.round_id == (target.pk if target else None):
            continue
        old = session.round
        if old is not None:
            released[old.pk] += 1
        if target is not None:
            taken[target.pk] += 1
        session.round = target
        session.save(update_fields=["round"])
        audit_log(actor=by, obj=session, action=AuditAction.UPDATE,
                  message=(_("Now in %(round)s, the round whose days hold its date") % {"round": target}
                           if target is not None else _("Now in no round: no round of the cycle holds its date")),
                  changes={"round": [str(old) if old else None, str(target) if target else None]})
    return RoundPlacement(taken=dict(taken), released=dict(released))
