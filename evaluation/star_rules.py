"""The star rules: band from the average score, caps from mandatory criteria, level ceilings, nominations.

Pure functions over the regulation's data, so the rules are pinned by tests at their edges.
- Bands are half-open: the star is the highest band whose minimum the score reaches (69.99 is 3★).
- A mandatory criterion (required_for_star = N) counts as failed for the product when more than half of
  the members counted chose a 0-point answer; the product then cannot reach N★ or above.
- A knock-out answer chosen by more than half of the members counted eliminates the product.
- Only 3★ and above are recognised, and never above what the council's level may recognise.
- A product whose score reaches the level's nomination score and whose band lies above the level's
  ceiling is nominated to the next level's council.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_RECOGNISED_STAR = 3
MAX_STAR = 5  # the highest star of the programme: nothing to upgrade to beyond it
# The stars a decision may recognise and a certificate carry (3★, 4★, 5★), lowest first.
RECOGNISED_STARS = tuple(range(MIN_RECOGNISED_STAR, MAX_STAR + 1))


@dataclass(frozen=True)
class LevelCeiling:
    max_star: int
    nomination_score: Decimal | None
    next_level: str


@dataclass(frozen=True)
class Outcome:
    star_band: int
    recognised_star: int  # 0 when not recognised
    nominated_to: str  # "" when not nominated
    knocked_out: bool = False
    capped_by_mandatory: bool = False


def round_score(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def star_band_for(score: Decimal, bands: list[tuple[int, Decimal]]) -> int:
    """bands: (star, minimum score) pairs. The highest star whose minimum the score reaches."""
    star = 0
    for band_star, minimum in sorted(bands, key=lambda b: b[1]):
        if score >= minimum:
            star = band_star
    return star


def majority(count: int, of: int) -> bool:
    return of > 0 and count * 2 > of


def outcome_for(*, score: Decimal, bands: list[tuple[int, Decimal]], ceiling: LevelCeiling,
                mandatory_cap: int | None = None, knocked_out: bool = False) -> Outcome:
    """The star band, the star this council recognises and any nomination for a product's average."""
    band = star_band_for(score, bands)
    if knocked_out:
        return Outcome(star_band=band, recognised_star=0, nominated_to="", knocked_out=True)
    capped = band
    if mandatory_cap is not None:
        capped = min(band, mandatory_cap - 1)
    recognised = min(capped, ceiling.max_star)
    if recognised < MIN_RECOGNISED_STAR:
        recognised = 0
    nominated = ""
    if (ceiling.next_level and ceiling.nomination_score is not None and score >= ceiling.nomination_score
            and capped > ceiling.max_star):
        nominated = ceiling.next_level
    return Outcome(star_band=band, recognised_star=recognised, nominated_to=nominated,
                   capped_by_mandatory=capped < band)
