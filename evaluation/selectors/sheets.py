"""Reads of score sheets: the list with its filters' choices, a sheet's tree, and what the import's check
compares a file with. Score sheets are national data (at most 26 per regulation): every official and council
member sees all of them."""
from django.db.models import Count, Prefetch, QuerySet

from ocop.text import fold
from products.models import ProductSet

from ..models import Criterion, Regulation, ScoreSheet, SheetPart, SheetSection


def _matching_pks(query: str) -> list[int]:
    """Sheets whose title, product set or regulation contain every word of the query, without diacritics.

    ScoreSheet keeps no folded search column; the table is small (26 sets × a few regulations), so the
    folding runs here over one narrow query.
    """
    words = fold(query).split(" ")
    rows = ScoreSheet.objects.values_list("pk", "title", "product_set__name", "regulation__code")
    return [pk for pk, *texts in rows if all(word in fold(" ".join(texts)) for word in words)]


def sheet_list_rows(*, regulation: Regulation | None = None, product_set: ProductSet | None = None,
               demonstration: bool | None = None, query: str = "") -> QuerySet:
    """Every sheet with what the list shows (regulation, product set, parts and the number of criteria), of
    `regulation`, `product_set` and demonstration content or not when given, and matching `query`."""
    qs = (ScoreSheet.objects.select_related("regulation", "product_set")
          .annotate(criteria_count=Count("criteria"))
          .prefetch_related(Prefetch("parts", queryset=SheetPart.objects.order_by("position"))))
    if regulation is not None:
        qs = qs.filter(regulation=regulation)
    if product_set is not None:
        qs = qs.filter(product_set=product_set)
    if demonstration is not None:
        qs = qs.filter(is_demonstration=demonstration)
    if query:
        qs = qs.filter(pk__in=_matching_pks(query))
    return qs


def regulations_newest_first() -> list[Regulation]:
    return list(Regulation.objects.order_by("-effective_from"))


def product_sets_in_order() -> list[ProductSet]:
    return list(ProductSet.objects.order_by("number"))


def score_sheets() -> QuerySet:
    """Every sheet, with the regulation and product set its pages and files name."""
    return ScoreSheet.objects.select_related("regulation", "product_set")


def sheet_tree(*, sheet: ScoreSheet) -> QuerySet:
    """The parts of a sheet with their sections, criteria and options, in four queries."""
    return sheet.parts.prefetch_related(Prefetch(
        "sections", queryset=SheetSection.objects.prefetch_related(Prefetch(
            "criteria", queryset=Criterion.objects.order_by("position").prefetch_related("options")))))


def product_set_numbered(*, number) -> ProductSet | None:
    return ProductSet.objects.filter(number=number).first()


def sheet_stored(*, regulation_code, product_set_number) -> ScoreSheet | None:
    """The sheet already stored for a regulation and product set, with its number of criteria; None if none."""
    return (ScoreSheet.objects.annotate(criteria_count=Count("criteria"))
            .filter(regulation__code=regulation_code, product_set__number=product_set_number).first())
