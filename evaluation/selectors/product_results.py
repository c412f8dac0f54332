"""A product's results after its sessions are finalised, as its subject and the officers of its area read them: the
official mean, the star, the group totals against their maxima, the mean of each criterion (never a member's own
scores), the upgrade roadmap, and the products of an area closest to their next star.

The counted scorecards are those of the results (`session_results`): submitted, by a member present at the sitting.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from ocop.registry import product_standing, star_held
from ocop.rules import is_ministry_staff, is_subject_rep
from ocop.selectors import scope_q
from products.selectors import products_visible_to

from ..enums import ScorecardStatus, SessionStatus
from ..models import Criterion, CriterionScore, Evaluation, LevelRule, Scorecard, SheetPart, StarBand
from ..roadmap import CriterionMean, Roadmap, upgrade_roadmap
from ..star_rules import MAX_STAR, MIN_RECOGNISED_STAR, LevelCeiling, majority, round_score
from .councils import sessions_visible_to

RESULT_RELATED = ("session__council__unit", "session__round", "regulation", "product__subject",
                  "product__product_set", "product__commune")


@dataclass
class PartTotal:
    code: str
    title: str
    mean: Decimal
    max_points: Decimal


@dataclass
class EvaluationResult:
    evaluation: Evaluation
    counted: int = 0
    parts: list[PartTotal] = field(default_factory=list)


def _counted_q(prefix: str = "") -> Q:
    """Scores or scorecards that count: submitted, by a member present at the evaluation's sitting."""
    return Q(**{f"{prefix}status": ScorecardStatus.SUBMITTED,
                f"{prefix}member__sessions_attended": F(f"{prefix}evaluation__session")})


def finalised_evaluations() -> QuerySet:
    return Evaluation.objects.filter(session__status=SessionStatus.FINALISED)


def evaluation_results_visible_to(user) -> QuerySet:
    """The finalised evaluations the user may read the results of: those of the products he sees (the subject's
    representatives theirs, officers their area's, the ministry the nominated ones), and those of the sessions he
    may open (a council's members)."""
    return finalised_evaluations().filter(
        Q(product__in=products_visible_to(user)) | Q(session__in=sessions_visible_to(user)))


def evaluation_result_pages_of(user) -> QuerySet:
    """The finalised results the user may open, with what their pages name."""
    return evaluation_results_visible_to(user).select_related(*RESULT_RELATED)


def evaluations_awaiting_remarks(user) -> QuerySet:
    """The evaluations of sessions not finalised yet that the user may open: their council's remarks are written
    on the result's address until the chair finalises."""
    return (Evaluation.objects.exclude(session__status=SessionStatus.FINALISED)
            .filter(session__in=sessions_visible_to(user)).select_related(*RESULT_RELATED))


def product_results(product) -> list[EvaluationResult]:
    """Every finalised evaluation of the product, the latest sitting first, with its group totals: three queries
    whatever the number of evaluations."""
    evaluations = list(finalised_evaluations().filter(product=product).select_related(*RESULT_RELATED)
                       .order_by("-session__held_on", "-pk"))
    if not evaluations:
        return []
    return _with_parts(evaluations)


def _with_parts(evaluations: list[Evaluation]) -> list[EvaluationResult]:
    ids = [e.pk for e in evaluations]
    counted = dict(Scorecard.objects.filter(_counted_q(), evaluation_id__in=ids).values("evaluation_id")
                   .annotate(n=Count("pk", distinct=True)).values_list("evaluation_id", "n"))
    sums = (CriterionScore.objects.filter(_counted_q("scorecard__"), scorecard__evaluation_id__in=ids)
            .values("scorecard__evaluation_id", "criterion__part_id").annotate(total=Sum("points"))
            .values_list("scorecard__evaluation_id", "criterion__part_id", "total"))
    totals = {(evaluation_id, part_id): total for evaluation_id, part_id, total in sums}
    parts: dict[int, list[SheetPart]] = {}
    for part in SheetPart.objects.filter(sheet_id__in={e.sheet_id for e in evaluations}).order_by("position"):
        parts.setdefault(part.sheet_id, []).append(part)
    results = []
    for evaluation in evaluations:
        n = counted.get(evaluation.pk, 0)
        results.append(EvaluationResult(evaluation=evaluation, counted=n, parts=[
            PartTotal(code=part.code, title=part.title, max_points=part.max_points,
                      mean=round_score((totals.get((evaluation.pk, part.pk)) or 0) / n) if n else Decimal(0))
            for part in parts.get(evaluation.sheet_id, [])]))
    return results


def evaluation_result(evaluation: Evaluation) -> EvaluationResult:
    return _with_parts([evaluation])[0]


def latest_results_of_subjects(subject_ids, *, limit: int = 5) -> list[Evaluation]:
    """The latest finalised evaluations of the subjects' products, the latest sitting first (a home panel)."""
    return list(finalised_evaluations().filter(product__subject_id__in=list(subject_ids))
                .select_related("session__council__unit", "product").order_by("-session__held_on", "-pk")[:limit])


def counted_members(evaluation: Evaluation) -> int:
    """How many scorecards of the evaluation count (submitted, by a member present)."""
    return Scorecard.objects.filter(_counted_q(), evaluation=evaluation).values("pk").distinct().count()


def later_result_q(held_on, pk) -> Q:
    """Evaluations after the one held on `held_on` with key `pk` (values, or OuterRef for a subquery): a later
    sitting, or the same day's later record."""
    return Q(session__held_on__gt=held_on) | Q(session__held_on=held_on, pk__gt=pk)


def evaluation_criterion_means(evaluation: Evaluation, counted: int | None = None) -> list[CriterionMean]:
    """The mean of each criterion of the evaluation's sheet over the counted scorecards, in the sheet's order, and
    whether a mandatory one was failed (more than half of the members counted gave it 0 points). Three queries (two
    when `counted`, from `evaluation_result`, is given)."""
    if counted is None:
        counted = counted_members(evaluation)
    rows = {row["criterion_id"]: row for row in (
        CriterionScore.objects.filter(_counted_q("scorecard__"), scorecard__evaluation=evaluation)
        .values("criterion_id").annotate(total=Sum("points"), zeros=Count("pk", filter=Q(points=0)),
                                         knock_outs=Count("pk", filter=Q(option__knocks_out=True))))}
    means = []
    for criterion in (Criterion.objects.filter(sheet_id=evaluation.sheet_id).select_related("part")
                      .order_by("part__position", "position")):
        row = rows.get(criterion.pk, {})
        means.append(CriterionMean(
            code=criterion.code, title=criterion.title, part=criterion.part.code, max_points=criterion.max_points,
            mean=round_score((row.get("total") or 0) / counted) if counted else Decimal(0),
            required_for_star=criterion.required_for_star,
            failed=bool(criterion.required_for_star) and majority(row.get("zeros", 0), counted),
            knock_outs=row.get("knock_outs", 0)))
    return means


def evaluation_roadmap(evaluation: Evaluation, criteria: list[CriterionMean] | None = None,
                       counted: int | None = None) -> Roadmap:
    """The roadmap to the next star of a finalised evaluation, under the rules it was frozen to. From the product's
    latest result it starts at the star the product holds (its certificate's in force, when higher than the result:
    as the list of products closest to their next star counts it); from an older result, at that result's star."""
    bands = list(StarBand.objects.filter(regulation_id=evaluation.regulation_id).values_list("star", "min_score"))
    rule = LevelRule.objects.filter(regulation_id=evaluation.regulation_id,
                                    level=evaluation.session.council.level).first()
    ceiling = LevelCeiling(rule.max_star, rule.nomination_score, rule.next_level) if rule else None
    if criteria is None:
        criteria = evaluation_criterion_means(evaluation, counted)
    star = evaluation.recognised_star or 0
    latest = not finalised_evaluations().filter(
        later_result_q(evaluation.session.held_on, evaluation.pk), product_id=evaluation.product_id).exists()
    standing = product_standing(evaluation.product, timezone.localdate()) if latest else None
    if standing is not None:
        star = max(star, standing.star)
    if counted is None:
        counted = counted_members(evaluation)
    return upgrade_roadmap(score=evaluation.final_score or Decimal(0), star=star, bands=bands, criteria=criteria,
                           ceiling=ceiling, counted=counted)


# ---------------------------------------------------------------------------------------------
# The products of an area closest to their next star
# ---------------------------------------------------------------------------------------------
GAP_FIELD = DecimalField(max_digits=8, decimal_places=2)
# What the list and its export show: the rest of the rows stays in the database.
UPGRADE_FIELDS = ("final_score", "recognised_star", "product_id", "session_id", "regulation_id",
                  "session__held_on", "regulation__code", "product__name", "product__subject_id",
                  "product__product_set_id", "product__commune_id", "product__subject__name",
                  "product__product_set__number", "product__product_set__name", "product__commune__name")


def _evaluations_of_products_seen_by(user) -> Q:
    """Evaluations of the products the user sees. An official's are filtered on the product's commune itself, which
    lets the database start from his area's units rather than from every evaluation of the country."""
    if is_subject_rep(user) or is_ministry_staff(user):
        return Q(product__in=products_visible_to(user))
    return scope_q(user, "product__commune")


def closest_to_next_star(*, user, within: Decimal | None = None, star: int | None = None) -> QuerySet:
    """The latest finalised evaluation of each product the user sees, below 5★ (`current_star`: the star of its
    certificate in force, or that of the result when higher), with the star it aims at
    (`next_star`), that star's minimum under the evaluation's rules (`next_min`) and the points it lacks (`gap`,
    0 when the mean reaches the band and a mandatory criterion or the level holds it back), closest first.
    `within`: only gaps up to that many points; `star`: only products recognised at that star (0: none).
    Computed in the database, in one query for a page; the bands (a few rows per regulation) are read first and
    written into the query as values, so that no band is looked up again for every evaluation."""
    later = finalised_evaluations().filter(later_result_q(OuterRef("session__held_on"), OuterRef("pk")),
                                           product=OuterRef("product"))
    # The star it holds: its certificate's in force today, or the star its latest result recognised (a decision or a
    # certificate may still be to come), whichever is higher.
    held = star_held("product", timezone.localdate())
    recognised = Coalesce(F("recognised_star"), Value(0))
    joins = {}
    if held is not None:
        joins, star_path = held
        recognised = Greatest(Coalesce(F(star_path), Value(0)), recognised, output_field=IntegerField())
    next_star = ExpressionWrapper(Greatest(F("current_star") + 1, Value(MIN_RECOGNISED_STAR)),
                                  output_field=IntegerField())
    regulations_by_band: dict[tuple, list[int]] = {}
    for regulation_id, band_star, minimum in StarBand.objects.filter(star__gte=MIN_RECOGNISED_STAR).values_list(
            "regulation_id", "star", "min_score"):
        regulations_by_band.setdefault((band_star, minimum), []).append(regulation_id)
    # One branch per band shared by regulations (the versions of the rules mostly keep 50, 70 and 90).
    next_min = Case(*(When(next_star=band_star, regulation_id__in=sorted(ids), then=Value(minimum))
                      for (band_star, minimum), ids in sorted(regulations_by_band.items())),
                    default=None, output_field=GAP_FIELD)
    qs = (finalised_evaluations().filter(_evaluations_of_products_seen_by(user), final_score__isnull=False)
          .exclude(Exists(later))
          .annotate(**joins)
          .annotate(current_star=recognised).filter(current_star__lt=MAX_STAR)
          .annotate(next_star=next_star)
          .annotate(next_min=next_min)
          .filter(next_min__isnull=False)
          .annotate(gap=Greatest(ExpressionWrapper(F("next_min") - F("final_score"), output_field=GAP_FIELD),
                                 Value(Decimal(0)), output_field=GAP_FIELD)))
    if within is not None:
        qs = qs.filter(gap__lte=within)
    if star is not None:
        qs = qs.filter(current_star=star)
    return (qs.select_related("session", "regulation", "product__subject", "product__product_set", "product__commune")
            .only(*UPGRADE_FIELDS).order_by("gap", "-final_score", "product__name", "pk"))
