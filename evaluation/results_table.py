"""The results table of a session, shared by its page, the Excel export and the minutes: one row per product,
grouped by sector and product set, one cell per present member."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from .enums import EvaluationLevel, SessionStatus
from .models import ConflictOfInterest
from .selectors.results import ProductResult, session_part_totals, session_results

NOMINATION_LABELS = {
    EvaluationLevel.DISTRICT: gettext_lazy("Nominated to the district level"),
    EvaluationLevel.PROVINCE: gettext_lazy("Nominated to the province level"),
    EvaluationLevel.CENTRAL: gettext_lazy("Nominated to the central level"),
}


def nomination_label(level: str) -> str:
    return str(NOMINATION_LABELS.get(level, "")) if level else ""


@dataclass
class MemberCell:
    member: object
    state: str  # "scored", "conflict" (not scoring this product) or "pending" (not submitted)
    total: Decimal | None = None
    parts: dict = field(default_factory=dict)  # part code -> total, for the minutes
    reason: str = ""


@dataclass
class ResultRow:
    result: ProductResult
    cells: list
    conflicts: list
    mean: Decimal | None
    star_band: int | None
    recognised_star: int
    nominated_to: str

    @property
    def evaluation(self):
        return self.result.evaluation

    @property
    def product(self):
        return self.result.evaluation.product

    @property
    def nomination(self) -> str:
        return nomination_label(self.nominated_to)


@dataclass
class ResultGroup:
    product_set: object
    rows: list = field(default_factory=list)
    new_sector: bool = False


@dataclass
class ResultsTable:
    members: list
    groups: list
    results: list

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]


def results_table(session, *, with_parts: bool = False) -> ResultsTable:
    """The session's results grouped by sector and product set, one cell per present member.

    A finalised session shows what was written when it was finalised (the legal record); an open one the
    figures as they stand. A fixed number of queries whatever the number of products."""
    results = session_results(session)
    members = list(session.present.select_related("user").order_by("position", "pk"))
    conflicts: dict = {}
    for conflict in ConflictOfInterest.objects.filter(evaluation__session=session).select_related("member__user"):
        conflicts.setdefault(conflict.evaluation_id, []).append(conflict)
    parts = session_part_totals(session) if with_parts else {}
    finalised = session.status == SessionStatus.FINALISED
    groups: list[ResultGroup] = []
    for result in results:
        evaluation = result.evaluation
        conflicted = {c.member_id: c for c in conflicts.get(evaluation.pk, [])}
        cells = []
        for member in members:
            if member.pk in conflicted:
                cells.append(MemberCell(member, "conflict", reason=conflicted[member.pk].reason))
            elif member.pk in result.member_totals:
                cells.append(MemberCell(member, "scored", result.member_totals[member.pk],
                                        parts.get((evaluation.pk, member.pk), {})))
            else:
                cells.append(MemberCell(member, "pending"))
        if finalised:
            mean, band = evaluation.final_score, evaluation.star_band
            star, nominated = evaluation.recognised_star or 0, evaluation.nominated_to
        else:
            outcome = result.outcome
            mean = result.mean
            band = outcome.star_band if outcome else None
            star = outcome.recognised_star if outcome else 0
            nominated = outcome.nominated_to if outcome else ""
        row = ResultRow(result=result, cells=cells, conflicts=conflicts.get(evaluation.pk, []), mean=mean,
                        star_band=band, recognised_star=star, nominated_to=nominated)
        product_set = evaluation.product.product_set
        if not groups or groups[-1].product_set.pk != product_set.pk:
            groups.append(ResultGroup(product_set=product_set,
                                      new_sector=not groups or groups[-1].product_set.sector != product_set.sector))
        groups[-1].rows.append(row)
    return ResultsTable(members=members, groups=groups, results=results)
