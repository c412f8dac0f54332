"""Reads of the commune's pre-assessment of a dossier."""
from django.db.models import QuerySet

from products.models import Dossier

from ..models import Criterion, DossierPreAssessment, ScoreSheet


def commune_criteria(sheet: ScoreSheet | None) -> QuerySet:
    """The criteria of the sheet the commune pre-assesses, with their answers, in the sheet's order."""
    if sheet is None:
        return Criterion.objects.none()
    return sheet.criteria.filter(assessed_by_commune=True).prefetch_related("options").order_by("position")


def dossier_pre_assessments(dossier: Dossier) -> dict[int, DossierPreAssessment]:
    """The commune's recorded answers for the dossier, by criterion id."""
    rows = DossierPreAssessment.objects.filter(dossier=dossier).select_related("option", "assessed_by")
    return {row.criterion_id: row for row in rows}
