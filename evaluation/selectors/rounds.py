"""Reads of a cycle's evaluation rounds (ocop's Round): what each round holds, as the cycle page shows it, and the
warning for a session held on a day no round holds."""
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.models import Cycle, User
from ocop.registry import RoundLink, RoundSummary
from ocop.selectors import cycle_rounds
from products.enums import DossierStatus
from products.selectors import dossiers_visible_to

from ..enums import EvaluationLevel
from ..models import Evaluation, RecognisedProduct, Session
from .councils import sessions_visible_to


def round_summaries(cycle: Cycle, user: User) -> dict[int, RoundSummary]:
    """Each round of the cycle with what the user may see of it: the dossiers of his area the round holds, the
    sessions he may open (their products counted) and the products their decisions recognised, by star.

    A round holds the dossiers evaluated in its sessions, and those submitted between its opening and closing days
    that are still lodged (submitted, checked or sent: not returned since) and have been evaluated in no other
    round's session; so a dossier counts once, in the round that evaluated it, or else in the round it came in.

    Three queries whatever the number of rounds, sessions and products: the dossiers are counted per round in a
    correlated subquery whose evaluations are looked up with EXISTS (a join would count a dossier once per
    session), the sessions come in one list, and the recognitions are grouped by round and star in the database.
    """
    round_ = OuterRef(OuterRef("pk"))
    evaluations = Evaluation.objects.filter(dossier=OuterRef("pk"))
    in_round = Exists(evaluations.filter(session__round=round_))
    in_other_round = Exists(evaluations.filter(session__round__isnull=False).exclude(session__round=round_))
    waiting = Q(status__in=DossierStatus.LODGED, submitted_at__date__gte=OuterRef("starts_on"),
                submitted_at__date__lte=OuterRef("ends_on")) & ~in_other_round
    held = (dossiers_visible_to(user).filter(cycle=OuterRef("cycle")).filter(in_round | waiting)
            .order_by().values("cycle").annotate(n=Count("pk")).values("n"))
    dossiers = dict(cycle.rounds.annotate(n=Coalesce(Subquery(held), 0)).values_list("pk", "n"))

    visible = sessions_visible_to(user)
    sessions: dict[int, list[RoundLink]] = {}
    for session in (visible.filter(round__cycle=cycle).select_related("council")
                    .annotate(product_count=Count("evaluations")).order_by("held_on", "council__name", "number")):
        sessions.setdefault(session.round_id, []).append(RoundLink(ngettext(
            "%(session)s, %(date)s (%(count)s product)", "%(session)s, %(date)s (%(count)s products)",
            session.product_count) % {"session": session, "date": session.held_on.strftime("%d/%m/%Y"),
                                      "count": session.product_count}, session.get_absolute_url()))

    stars: dict[int, list[tuple[int, int]]] = {}
    for row in (RecognisedProduct.objects.filter(decision__session__in=visible, decision__session__round__cycle=cycle)
                .values("decision__session__round", "star").annotate(n=Count("pk"))
                .order_by("decision__session__round", "-star")):
        stars.setdefault(row["decision__session__round"], []).append((row["star"], row["n"]))

    return {pk: RoundSummary(dossiers=count, sessions=tuple(sessions.get(pk, ())), stars=tuple(stars.get(pk, ())))
            for pk, count in dossiers.items()}


def session_round_warning(session: Session) -> str:
    """The warning for a session of a cycle that has rounds held on a day none of them holds (31/12, after the
    default second round closing on 30/12, say), naming the cycle's rounds; empty otherwise. Not a refusal: the
    council may sit then, and a round created or re-dated to hold the day takes the session."""
    if session.round_id is not None or session.council.level == EvaluationLevel.CENTRAL:
        return ""
    rounds = list(cycle_rounds(cycle=session.council.cycle))
    if not rounds:
        return ""
    spans = "; ".join("%s: %s – %s" % (r.name, r.starts_on.strftime("%d/%m/%Y") if r.starts_on else "…",
                                        r.ends_on.strftime("%d/%m/%Y") if r.ends_on else "…") for r in rounds)
    return _("%(date)s falls in none of the cycle's evaluation rounds (%(rounds)s): the session belongs to no round "
             "and its results will not appear in a round's figures. Choose a day within a round, or extend a round "
             "to this day on the cycle's page.") % {"date": session.held_on.strftime("%d/%m/%Y"), "rounds": spans}
