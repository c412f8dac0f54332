"""Reads of a cycle's evaluation rounds (ocop's Round): what each round holds, as the cycle page shows it, and
the sessions that hold a round's days in place."""
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from ocop.models import Cycle, Round, User
from ocop.registry import RoundHoldings, RoundLink, RoundSummary
from products.selectors import dossiers_visible_to

from ..models import RecognisedProduct, Session
from .councils import sessions_visible_to


def round_summaries(cycle: Cycle, user: User) -> dict[int, RoundSummary]:
    """Each round of the cycle with what the user may see of it: the dossiers of his area submitted between the
    round's opening and closing days, the sessions he may open (their products counted) and the products their
    decisions recognised, by star.

    Three queries whatever the number of rounds, sessions and products: the dossiers are counted per round in a
    correlated subquery (a join would count a dossier once per session), the sessions come in one list, and the
    recognitions are grouped by round and star in the database.
    """
    submitted = (dossiers_visible_to(user)
                 .filter(cycle=OuterRef("cycle"), submitted_at__date__gte=OuterRef("starts_on"),
                         submitted_at__date__lte=OuterRef("ends_on"))
                 .order_by().values("cycle").annotate(n=Count("pk")).values("n"))
    dossiers = dict(cycle.rounds.annotate(n=Coalesce(Subquery(submitted), 0)).values_list("pk", "n"))

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


def round_holdings(round_: Round) -> RoundHoldings:
    """The sessions placed in the round, whoever may see them: how many, the first and the last day they sit."""
    held = Session.objects.filter(round=round_).aggregate(count=Count("pk"), first_on=Min("held_on"),
                                                           last_on=Max("held_on"))
    return RoundHoldings(count=held["count"], first_on=held["first_on"], last_on=held["last_on"])

