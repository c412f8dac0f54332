"""Reads of a session's close: results computed in the database, the minutes' part totals, who has still to
submit, decisions and their items, nominations to the next level."""
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Rank, Round

from ocop.rules import is_ministry_staff, is_province_staff, is_system_admin
from ocop.selectors import scope_q

from ..enums import EvaluationLevel, ScorecardStatus, SessionStatus
from ..models import (
    ConflictOfInterest,
    Criterion,
    CriterionOption,
    CriterionScore,
    Decision,
    Evaluation,
    LevelRule,
    Regulation,
    Scorecard,
    Session,
    StarBand,
)
from ..star_rules import LevelCeiling, Outcome, majority, outcome_for, round_score
from .councils import sessions_visible_to

# The evaluation's own fields and those of its product, subject, product set and commune that the results
# page, its export and the minutes show.
RESULT_FIELDS = (
    "session_id", "product_id", "dossier_id", "kind", "regulation_id", "sheet_id", "position", "final_score",
    "star_band", "recognised_star", "nominated_to", "spread_reason", "remarks",
    "product__name", "product__subject_id", "product__product_set_id", "product__commune_id",
    "product__subject__name", "product__subject__kind",
    "product__product_set__number", "product__product_set__sector", "product__product_set__group",
    "product__product_set__name",
    "product__commune__name", "product__commune__kind", "product__commune__code",
)


@dataclass
class ProductResult:
    evaluation: Evaluation
    member_totals: dict = field(default_factory=dict)  # member id -> total
    mean: Decimal | None = None
    median: Decimal | None = None
    spread: Decimal | None = None
    spread_exceeded: bool = False
    failed_mandatory: list = field(default_factory=list)  # criterion codes
    knocked_out: bool = False
    outcome: Outcome | None = None
    rank: int | None = None
    counted: int = 0


def counted_scorecards(session: Session) -> Q:
    """Scorecards that count: submitted, by a member present at the session (conflicted members have none)."""
    return Q(status=ScorecardStatus.SUBMITTED, member__in=session.present.all())


def session_results(session: Session) -> list[ProductResult]:
    """Per product: members' totals, mean (official), median, spread, mandatory failures, star band, the
    star this council may recognise, nomination, rank within the product set. Sums, counts, means and
    ranks are computed by the database; the median and spread of at most nine totals in Python.

    Each scorecard's total is a correlated SUM of its answers, evaluated once per scorecard: one query groups
    the counted scorecards by evaluation (AVG of the totals, COUNT, RANK within the product set), another
    lists the totals. (A GROUP BY over the evaluations joined to every answer took seconds on SQLite for
    300 x 9 x 35 answers, and a mean computed per evaluation was evaluated twice, for the rank.)"""
    present_ids = list(session.present.values_list("pk", flat=True))
    # SUM written as a plain SQL function: no GROUP BY (and no sort) inside the correlated subquery.
    card_total = CriterionScore.objects.filter(scorecard=OuterRef("pk")).order_by().values(
        total=Func(F("points"), function="SUM", output_field=DecimalField(max_digits=8, decimal_places=2)))
    counted_cards = (Scorecard.objects.filter(evaluation__session=session, status=ScorecardStatus.SUBMITTED,
                                              member__in=present_ids)
                     .annotate(total=Subquery(card_total)).order_by())
    # AVG of the members' totals: exact numeric on PostgreSQL, a float on SQLite (where SUM / COUNT of whole
    # points was an integer division: 254 / 3 gave 84, not 84.67). Ranked on the official figure (two
    # decimals), so products showing the same mean share a rank.
    means = {row["evaluation_id"]: row for row in (
        counted_cards.values("evaluation_id", "evaluation__product__product_set_id")
        .annotate(mean=Avg("total", output_field=DecimalField(max_digits=8, decimal_places=4)), counted=Count("pk"))
        .annotate(rank=Window(Rank(), partition_by=[F("evaluation__product__product_set_id")],
                              order_by=Round(F("mean"), 2).desc())))}
    totals = counted_cards.values_list("evaluation_id", "member_id", "total")
    evaluations = list(
        session.evaluations.select_related("product__subject", "product__product_set", "product__commune")
        # Only what the results show: building 300 full rows of five models was much of the time spent.
        .only(*RESULT_FIELDS))
    unranked = len(evaluations) + 1
    evaluations.sort(key=lambda e: (e.product.product_set.number, means.get(e.pk, {}).get("rank", unranked),
                                    e.position, e.pk))
    # Mandatory criteria and knock-out answers of the session's sheets are few: naming them spares joining
    # every answer to its criterion and option.
    sheet_ids = {e.sheet_id for e in evaluations}
    mandatory = {c.pk: c for c in Criterion.objects.filter(sheet_id__in=sheet_ids, required_for_star__isnull=False)
                 .only("code", "required_for_star")}
    knock_outs = set(CriterionOption.objects.filter(criterion__sheet_id__in=sheet_ids, knocks_out=True)
                     .values_list("pk", flat=True))
    failures = (CriterionScore.objects
                .filter(scorecard__evaluation__session=session, scorecard__status=ScorecardStatus.SUBMITTED,
                        scorecard__member__in=present_ids)
                .filter(Q(points=0, criterion_id__in=list(mandatory)) | Q(option_id__in=list(knock_outs)))
                .values("scorecard__evaluation_id", "criterion_id", "option_id")
                .annotate(n=Count("id")))
    regulation_ids = {e.regulation_id for e in evaluations}
    regulations = {r.pk: r for r in Regulation.objects.filter(pk__in=regulation_ids)}
    bands = {}
    for band in StarBand.objects.filter(regulation_id__in=regulation_ids):
        bands.setdefault(band.regulation_id, []).append((band.star, band.min_score))
    level = session.council.level
    ceilings = {r.regulation_id: LevelCeiling(r.max_star, r.nomination_score, r.next_level)
                for r in LevelRule.objects.filter(regulation_id__in=regulation_ids, level=level)}
    max_spread = {pk: r.max_spread for pk, r in regulations.items()}

    results = {}
    for e in evaluations:
        row = means.get(e.pk)
        results[e.pk] = (ProductResult(evaluation=e, rank=row["rank"], counted=row["counted"],
                                       mean=round_score(row["mean"])) if row else ProductResult(evaluation=e))
    for evaluation_id, member_id, total in totals:
        # Rounded like the mean: SQLite sums decimals as floats (91.4400000000000).
        results[evaluation_id].member_totals[member_id] = round_score(total or 0)
    caps: dict[int, int] = {}
    knock_counts: dict[int, int] = {}
    failed: dict[tuple, int] = {}  # (evaluation id, mandatory criterion id) -> members who chose 0 points
    for row in failures:
        evaluation_id = row["scorecard__evaluation_id"]
        if row["option_id"] in knock_outs:
            knock_counts[evaluation_id] = knock_counts.get(evaluation_id, 0) + row["n"]
        elif row["criterion_id"] in mandatory:
            key = (evaluation_id, row["criterion_id"])
            failed[key] = failed.get(key, 0) + row["n"]
    for (evaluation_id, criterion_id), count in sorted(failed.items(), key=lambda i: mandatory[i[0][1]].code):
        result = results[evaluation_id]
        if majority(count, result.counted):
            criterion = mandatory[criterion_id]
            result.failed_mandatory.append(criterion.code)
            caps[evaluation_id] = min(caps.get(evaluation_id, 6), criterion.required_for_star)
    for result in results.values():
        values = list(result.member_totals.values())
        evaluation = result.evaluation
        if values:
            result.median = round_score(statistics.median(values))
            result.spread = max(values) - min(values)
            result.spread_exceeded = result.spread > max_spread[evaluation.regulation_id]
        result.knocked_out = majority(knock_counts.get(evaluation.pk, 0), result.counted)
        ceiling = ceilings.get(evaluation.regulation_id)
        if result.mean is not None and ceiling is not None:
            result.outcome = outcome_for(score=result.mean, bands=bands[evaluation.regulation_id], ceiling=ceiling,
                                         mandatory_cap=caps.get(evaluation.pk), knocked_out=result.knocked_out)
    return [results[e.pk] for e in evaluations]


def session_part_totals(session: Session) -> dict:
    """{(evaluation id, member id): {part code: total}} for the minutes, summed in the database.

    Only the scorecards that count (submitted, by a member present), like the totals of the results."""
    rows = (CriterionScore.objects.filter(scorecard__evaluation__session=session,
                                          scorecard__status=ScorecardStatus.SUBMITTED,
                                          scorecard__member__in=session.present.all())
            .values("scorecard__evaluation_id", "scorecard__member_id", "criterion__part__code")
            .annotate(total=Sum("points")))
    out: dict = {}
    for row in rows:
        key = (row["scorecard__evaluation_id"], row["scorecard__member_id"])
        out.setdefault(key, {})[row["criterion__part__code"]] = round_score(row["total"] or 0)
    return out


def session_missing_submissions(session: Session) -> list[tuple]:
    """(member, evaluation) pairs a present member has still to submit: an open scorecard, or none at all
    without a declared conflict of interest (a member who joined after the product was assigned).
    Four queries whatever the size of the session."""
    present = list(session.present.select_related("user").order_by("position", "pk"))
    if not present:
        return []
    evaluations = list(session.evaluations.select_related("product").order_by("position", "pk"))
    done = set(Scorecard.objects.filter(evaluation__session=session, status=ScorecardStatus.SUBMITTED)
               .values_list("evaluation_id", "member_id"))
    done |= set(ConflictOfInterest.objects.filter(evaluation__session=session)
                .values_list("evaluation_id", "member_id"))
    return [(member, evaluation) for evaluation in evaluations for member in present
            if (evaluation.pk, member.pk) not in done]


def decisions_visible_to(user) -> QuerySet:
    """Decisions of the sessions the user may see (his area's councils, or the councils he sits on)."""
    return Decision.objects.filter(session__in=sessions_visible_to(user))


def decision_list(*, user) -> QuerySet:
    return (decisions_visible_to(user).select_related("issuing_unit", "session__council")
            .annotate(item_count=Count("items")))


# ---------------------------------------------------------------------------------------------
# What the results, decision, nomination and paper pages read
# ---------------------------------------------------------------------------------------------

EVALUATION_PRODUCT = ("product__subject", "product__product_set", "product__commune")


def session_pages_of(user) -> QuerySet:
    """The sessions the user may open, with the council a session's pages name."""
    return sessions_visible_to(user).select_related("council__unit", "council__cycle")


def session_decisions(session: Session) -> list[Decision]:
    return list(session.decisions.order_by("signed_on", "pk"))


def session_evaluations_by_set(session: Session) -> QuerySet:
    """The session's products set by set, the highest score first, as the decision form lists them."""
    return (session.evaluations.select_related(*EVALUATION_PRODUCT)
            .order_by("product__product_set__number", "-final_score", "position"))


def decision_pages_of(user) -> QuerySet:
    """The decisions the user may open, with who issued and recorded them."""
    return decisions_visible_to(user).select_related("issuing_unit", "session__council__unit", "session__round",
                                                     "created_by")


def decision_items(decision: Decision) -> QuerySet:
    return (decision.items.select_related(*EVALUATION_PRODUCT, "evaluation")
            .order_by("-star", "product__product_set__number", "product__name"))


def session_nominated(session: Session) -> QuerySet:
    """The session's products nominated to the next level, the highest score first."""
    return (session.evaluations.exclude(nominated_to="").select_related(*EVALUATION_PRODUCT)
            .order_by("-final_score", "position"))


def nominations_visible_to(user) -> QuerySet:
    """Products a finalised session nominated to the next level: an administrator sees all of them, the
    ministry's office those nominated to the central level by every province, provincial staff those of the
    councils in their province. Each says whether a council of the level it was nominated to has taken it up
    since."""
    qs = Evaluation.objects.filter(session__status=SessionStatus.FINALISED).exclude(nominated_to="")
    if is_ministry_staff(user):
        qs = qs.filter(nominated_to=EvaluationLevel.CENTRAL)
    elif not is_system_admin(user):
        if not is_province_staff(user):
            return qs.none()
        qs = qs.filter(scope_q(user, "session__council__unit"))
    taken_up = Evaluation.objects.filter(
        product=OuterRef("product"), session__council__level=OuterRef("nominated_to"),
        session__held_on__gte=OuterRef("session__held_on")).exclude(pk=OuterRef("pk"))
    return (qs.annotate(evaluated_at_next_level=Exists(taken_up))
            .select_related(*EVALUATION_PRODUCT, "session__council__unit"))
