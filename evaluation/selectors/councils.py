"""Reads of councils and sessions: who may see which, the list of councils with its counts, a council's page and
a session's agenda (each member's progress on each product, the products that may be put on it)."""
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from ocop.models import Cycle, User
from ocop.rules import has_area, is_system_admin
from ocop.selectors import scope_q, unit_scope_q
from ocop.text import fold, search_q
from products.models import Product

from ..enums import EvaluationLevel, ScorecardStatus
from ..models import (
    AdvisoryMember,
    ConflictOfInterest,
    Council,
    CouncilMember,
    Criterion,
    Scorecard,
    Session,
)


def councils_visible_to(user) -> QuerySet:
    """Officials see the councils of their area; members the councils they sit on."""
    if is_system_admin(user):
        return Council.objects.all()
    if has_area(user):
        return Council.objects.filter(scope_q(user, "unit") | Q(members__user=user)).distinct()
    return Council.objects.filter(members__user=user)


def sessions_visible_to(user) -> QuerySet:
    return Session.objects.filter(council__in=councils_visible_to(user))


# ---------------------------------------------------------------------------------------------
# The list of councils
# ---------------------------------------------------------------------------------------------


def _count_of(model, field: str):
    """A correlated COUNT: two joined counts on one row would multiply each other."""
    return Coalesce(Subquery(model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
                             .annotate(n=Count("pk")).values("n")), 0)


def council_list_cycles(*, user: User) -> list[Cycle]:
    """The cycles of the councils the user may see, newest first: the choices of the list's cycle filter."""
    return list(Cycle.objects.filter(councils__in=councils_visible_to(user).values("pk")).distinct()
                .select_related("province").order_by("-year", "province__name"))


def council_list_rows(*, user: User, cycle: Cycle | None = None, level: str = "", query: str = "") -> QuerySet:
    """The councils the user may see with their numbers of members and sessions, of `cycle` and `level` when
    given, whose name or establishing decision holds every word of `query` (accents not needed)."""
    qs = (Council.objects.filter(pk__in=councils_visible_to(user).values("pk"))
          .select_related("cycle__province", "unit__parent")
          .annotate(member_count=_count_of(CouncilMember, "council"), session_count=_count_of(Session, "council")))
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if level:
        qs = qs.filter(level=level)
    if query:
        # Council names are few per area: fold them here (the model keeps no folded copy to search).
        words = fold(query).split(" ")
        ids = [pk for pk, name, decision in qs.values_list("pk", "name", "established_by")
               if all(word in fold(f"{name} {decision}") for word in words)]
        qs = qs.filter(pk__in=ids)
    return qs


# ---------------------------------------------------------------------------------------------
# A council's page
# ---------------------------------------------------------------------------------------------


def council_pages_of(*, user: User) -> QuerySet:
    """The councils the user may open, with the cycle and unit their pages name."""
    return councils_visible_to(user).select_related("cycle__province", "unit__parent")


def council_members(*, council: Council) -> QuerySet:
    return council.members.select_related("user")


def council_members_in_order(council: Council) -> QuerySet:
    return council.members.select_related("user").order_by("position", "pk")


def council_advisers(*, council: Council) -> QuerySet:
    return council.advisers.order_by("id")


def council_sessions(*, council: Council) -> QuerySet:
    """The council's sessions, the latest first, each with its number of products."""
    return council.sessions.annotate(product_count=Count("evaluations")).order_by("-held_on", "-number")


def council_members_visible_to(*, user: User) -> QuerySet:
    """Members of the councils the user may see, with the member's account and council."""
    return CouncilMember.objects.filter(council__in=councils_visible_to(user)).select_related("user", "council")


def advisers_visible_to(*, user: User) -> QuerySet:
    return AdvisoryMember.objects.filter(council__in=councils_visible_to(user))


# ---------------------------------------------------------------------------------------------
# A session's agenda
# ---------------------------------------------------------------------------------------------


def session_agenda_pages_of(*, user: User) -> QuerySet:
    """The sessions the user may open, with the council, cycle and unit the agenda names and who finalised it."""
    return sessions_visible_to(user).select_related("council__cycle__province", "council__unit", "finalised_by",
                                                    "round")


def session_present_ids(*, session: Session) -> set[int]:
    """The ids of the council members recorded present at the session."""
    return set(session.present.values_list("pk", flat=True))


def session_agenda(*, session: Session, members: list[CouncilMember], user: User, show_scores: bool) -> list[dict]:
    """Per product, each member's progress on his scorecard (and its total only when `show_scores`).

    Four queries whatever the size of the session: the products, the scorecards with their answered count and
    total, the number of criteria of each sheet, the declared conflicts of interest."""
    evaluations = list(session.evaluations.select_related(
        "product__subject", "product__product_set", "dossier", "sheet").order_by("position", "pk"))
    cards = {(c.evaluation_id, c.member_id): c for c in
             Scorecard.objects.filter(evaluation__session=session)
             .annotate(answered=Count("scores"), total=Sum("scores__points"))}
    criteria = dict(Criterion.objects.filter(sheet_id__in={e.sheet_id for e in evaluations}).order_by()
                    .values("sheet").annotate(n=Count("pk")).values_list("sheet", "n"))
    conflicts = {(c.evaluation_id, c.member_id): c for c in
                 ConflictOfInterest.objects.filter(evaluation__session=session)}
    agenda = []
    for evaluation in evaluations:
        total_criteria = criteria.get(evaluation.sheet_id, 0)
        cells, mine = [], None
        for member in members:
            card = cards.get((evaluation.pk, member.pk))
            if card is not None and not show_scores:
                card.total = None  # nobody's score shows before the viewer may see results
            cell = {"member": member, "card": card, "conflict": conflicts.get((evaluation.pk, member.pk)),
                    "criteria": total_criteria,
                    "submitted": card is not None and card.status == ScorecardStatus.SUBMITTED}
            cells.append(cell)
            if member.user_id == user.pk:
                mine = cell
        agenda.append({"evaluation": evaluation, "cells": cells, "mine": mine, "criteria": total_criteria,
                       "submitted": sum(1 for c in cells if c["submitted"]),
                       "expected": sum(1 for c in cells if c["card"] is not None)})
    return agenda


def _products_of_area(session: Session) -> QuerySet:
    """The products of the area of the session's council: those it may evaluate; for the central council, the
    products the provinces nominated to it."""
    if session.council.level == EvaluationLevel.CENTRAL:
        return Product.objects.filter(nominated_central_on__lte=session.held_on)
    return Product.objects.filter(unit_scope_q(session.council.unit, "commune__"))


def agenda_product_search(*, session: Session, query: str, limit: int) -> list[Product]:
    """At most `limit` products of the council's area not yet on the session's agenda whose name, subject or
    commune holds every word of `query`, by name."""
    return list(_products_of_area(session).filter(search_q(query)).exclude(evaluations__session=session)
                .select_related("subject", "product_set", "commune").order_by("name", "pk")[:limit])


def agenda_product(*, session: Session, pk: int) -> Product | None:
    """The product `pk` if it is of the council's area (found by the agenda's search), else None."""
    return _products_of_area(session).filter(pk=pk).select_related("subject").first()


def scorecards_visible_to(*, user: User) -> QuerySet:
    """The scorecards of the sessions the user may see, with the session and the member's account."""
    return (Scorecard.objects.filter(evaluation__session__in=sessions_visible_to(user))
            .select_related("evaluation__session", "member__user"))
