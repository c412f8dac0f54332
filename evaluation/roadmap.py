"""The upgrade roadmap of an evaluated product: what kept it from the next star, and where the points are.

A pure function over the recorded means and the rules the evaluation was frozen to, so that its arithmetic is
pinned by tests at the band edges. The rules it follows are those of `star_rules`:
- the next star is the one above the star recognised (3★ for a product not recognised), none above 5★;
- the points needed are what the official mean lacks to reach that star's band (0 when the mean reaches it
  already and something else holds the product back);
- a product eliminated by knock-out answers (chosen, over its criteria, more times than half of the members counted)
  reaches no star until they are answered otherwise: the criteria that drew them are named first;
- a mandatory criterion failed by the council (more than half of the members counted chose a 0-point answer)
  blocks its star and every star above: those criteria are named next, whatever their points;
- the others follow, ranked by their headroom, the sheet's maximum less the mean obtained, the largest first;
- a star above what the council's level may recognise is recognised by the next level's council (5★: the
  ministry's), which takes a product whose mean reaches the level's nomination score.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from .star_rules import MAX_STAR, MIN_RECOGNISED_STAR, LevelCeiling, majority, round_score, star_band_for


@dataclass(frozen=True)
class CriterionMean:
    """One criterion of the sheet as the council scored it: the mean of the members counted."""

    code: str
    title: str
    part: str                       # the part's code (A, B, C)
    max_points: Decimal
    mean: Decimal
    required_for_star: int | None = None
    failed: bool = False            # mandatory and failed: more than half of the members counted gave 0 points
    knock_outs: int = 0             # knock-out answers the members counted chose for it

    @property
    def headroom(self) -> Decimal:
        return max(Decimal(0), self.max_points - self.mean)


@dataclass(frozen=True)
class RankedCriterion:
    criterion: CriterionMean
    headroom: Decimal
    cumulative: Decimal     # the headroom of this criterion and of every one ranked before it
    enough: bool            # closing it and those ranked before it would reach the next band
    blocking: bool = False  # a failed mandatory criterion that holds the next star back, whatever the points
    eliminating: bool = False  # it drew the knock-out answers that eliminate the product


@dataclass(frozen=True)
class Roadmap:
    score: Decimal
    star: int                               # the star recognised (0: not recognised)
    band: int                               # the star band of the score
    next_star: int | None                   # None: 5★ already
    next_min: Decimal | None = None         # the minimum score of the next star's band
    points_needed: Decimal = Decimal(0)
    blockers: list[CriterionMean] = field(default_factory=list)
    ranked: list[RankedCriterion] = field(default_factory=list)
    headroom: Decimal = Decimal(0)          # all the points the sheet still offers
    next_level: str = ""                    # the level whose council recognises the next star, when not this one
    nomination_score: Decimal | None = None
    eliminated: bool = False                # knock-out answers eliminate the product: no star until they change

    @property
    def enough_at(self) -> int | None:
        """The place in `ranked` from which the criteria closed together would reach the next band (None when no
        point is needed, or the sheet holds too few)."""
        if not self.points_needed:
            return None
        return next((i for i, item in enumerate(self.ranked) if item.enough), None)

    @property
    def reachable_by_points(self) -> bool:
        return self.next_star is not None and self.headroom >= self.points_needed


def upgrade_roadmap(*, score: Decimal, star: int, bands: list[tuple[int, Decimal]], criteria: list[CriterionMean],
                    ceiling: LevelCeiling | None = None, counted: int = 0) -> Roadmap:
    """The roadmap from the `star` the product holds to the next, for an official mean `score` under `bands` ((star,
    minimum score) pairs of the evaluation's regulation), the council level's `ceiling`, and the `counted` members
    whose knock-out answers decide an elimination."""
    score = round_score(score)
    star = star or 0
    band = star_band_for(score, bands)
    if star >= MAX_STAR:
        return Roadmap(score=score, star=star, band=band, next_star=None)
    next_star = max(star + 1, MIN_RECOGNISED_STAR)
    minimum = dict(bands).get(next_star)
    needed = max(Decimal(0), minimum - score) if minimum is not None else Decimal(0)
    eliminated = majority(sum(c.knock_outs for c in criteria), counted)
    eliminating = [c for c in criteria if c.knock_outs] if eliminated else []
    blockers = eliminating + sorted(
        (c for c in criteria if c.failed and c.required_for_star and c.required_for_star <= next_star
         and c not in eliminating), key=lambda c: (c.required_for_star, c.code))
    open_criteria = sorted((c for c in criteria if c.headroom > 0 and c not in blockers),
                           key=lambda c: (-c.headroom, c.code))
    ranked, cumulative = [], Decimal(0)
    for criterion in [*blockers, *open_criteria]:
        cumulative += criterion.headroom
        ranked.append(RankedCriterion(criterion=criterion, headroom=criterion.headroom, cumulative=cumulative,
                                      enough=cumulative >= needed, blocking=criterion in blockers,
                                      eliminating=criterion in eliminating))
    next_level, nomination = "", None
    if ceiling is not None and next_star > ceiling.max_star:
        next_level, nomination = ceiling.next_level, ceiling.nomination_score
    return Roadmap(score=score, star=star, band=band, next_star=next_star, next_min=minimum, points_needed=needed,
                   blockers=blockers, ranked=ranked, headroom=sum((c.headroom for c in criteria), Decimal(0)),
                   next_level=next_level, nomination_score=nomination, eliminated=eliminated)
