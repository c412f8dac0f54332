"""Reads of a member's scoring: his queue with his progress on each scorecard, his own scorecards, the sheet
with his answers, and the criteria he has left unanswered."""
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ocop.models import User

from ..models import Criterion, CriterionScore, Scorecard, SheetPart
from .sheets import sheet_tree


def member_queue(user) -> QuerySet:
    """The scorecards a member still has to fill in or has submitted, newest sessions first.

    The two counts are subqueries: joining both the answers and the sheet's criteria would multiply the
    rows (and the answered count) by the number of criteria."""
    answered = (CriterionScore.objects.filter(scorecard=OuterRef("pk")).order_by()
                .values("scorecard").annotate(n=Count("pk")).values("n"))
    criteria = (Criterion.objects.filter(sheet=OuterRef("evaluation__sheet")).order_by()
                .values("sheet").annotate(n=Count("pk")).values("n"))
    return (Scorecard.objects.filter(member__user=user)
            .select_related("evaluation__product__subject", "evaluation__product__product_set",
                            "evaluation__session__council")
            .annotate(answered=Coalesce(Subquery(answered), 0), criteria_total=Coalesce(Subquery(criteria), 0))
            .order_by("status", "-evaluation__session__held_on", "evaluation__position"))


def member_queue_by_session(*, user: User, status: str | None = None) -> QuerySet:
    """The queue page's rows: the member's scorecards (of `status` when given) grouped by session, the newest
    sessions first, each naming its council's unit."""
    qs = member_queue(user).select_related("evaluation__session__council__unit")
    if status is not None:
        qs = qs.filter(status=status)
    return qs.order_by("-evaluation__session__held_on", "evaluation__session_id", "evaluation__position", "pk")


def own_scorecards(*, user: User) -> QuerySet:
    """The user's own scorecards (nobody else's: their scores are never shown), with what the scoring page
    names: the session, the product and its dossier, the sheet and its regulation."""
    return Scorecard.objects.filter(member__user=user).select_related(
        "member", "evaluation__session__council__cycle", "evaluation__product__subject",
        "evaluation__product__product_set", "evaluation__product__commune", "evaluation__sheet__regulation",
        "evaluation__dossier")


def scorecard_with_member(*, pk: int) -> Scorecard | None:
    """The scorecard `pk` and its member, for an autosave to check whose it is; None when there is none."""
    return Scorecard.objects.filter(pk=pk).select_related("member").first()


def scorecard_sheet(*, scorecard: Scorecard) -> list[SheetPart]:
    """The scorecard's sheet as parts → sections → criteria → options (five queries with the answers), each
    criterion carrying the member's answer (`chosen_id`) and note."""
    scores = {s.criterion_id: s for s in scorecard.scores.all()}
    parts = list(sheet_tree(sheet=scorecard.evaluation.sheet))
    for part in parts:
        for section in part.sections.all():
            for criterion in section.criteria.all():
                score = scores.get(criterion.pk)
                criterion.chosen_id = score.option_id if score else None
                criterion.note = score.note if score else ""
    return parts


def scorecard_unanswered(*, scorecard: Scorecard) -> list[Criterion]:
    """The criteria of the scorecard's sheet that it has no answer for, in the sheet's order."""
    return list(Criterion.objects.filter(sheet_id=scorecard.evaluation.sheet_id)
                .exclude(scores__scorecard=scorecard).order_by("position", "pk"))
