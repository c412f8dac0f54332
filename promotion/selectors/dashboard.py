"""The programme's figures for a unit and a year, every one aggregated in the database.

What counts as what (the monthly report's conventions):
- an **OCOP product** is a product holding a certificate in force on the report date (`today`): issued by
  then, not revoked or superseded by then, not past its end date; its star is that certificate's. The report
  date is 31/12 of a past year and today for the current year unless given (`report_date`);
- a product is in the unit when its place of production (its commune) lies in the unit; the subject's kind is
  the holder's;
- **new this year**: certificates issued in the year to products that had no certificate before;
  **re-recognised**: certificates issued in the year to products that had one before (renewal), of which
  **upgraded** are those with more stars than the product's previous certificate;
- **communes with an OCOP product**: communes of the unit valid during the year where at least one OCOP
  product is made, out of all those communes;
- **expiring in the next 6 months**: in force today and ending within 6 calendar months.
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from certificates.models import Certificate
from certificates.validity import add_months
from evaluation.star_rules import RECOGNISED_STARS
from ocop.models import AdministrativeUnit
from ocop.rules import is_system_admin, unit_within_scope
from products.models import Product
from subjects.enums import SubjectKind

from ..models import SalesPoint, Target, TargetMetric, TrainingEvent, ValueChainLink


def dashboard_unit(*, user, code: str) -> AdministrativeUnit | None:
    """The unit coded `code` when it lies in the user's area, else his own; for an administrator without a unit,
    the first province by name."""
    unit = AdministrativeUnit.objects.filter(code=code).first() if code else None
    if unit is None or not unit_within_scope(user, unit):
        unit = user.unit if user.unit_id else None
    if unit is None and is_system_admin(user):
        unit = AdministrativeUnit.objects.provinces().order_by("name").first()
    return unit


def dashboard_unit_choices(*, user) -> list[AdministrativeUnit]:
    """The units the user may switch to: his own and the districts (or communes) below it; for an administrator
    without a unit, every province."""
    top = user.unit if user.unit_id else None
    if top is None:
        return list(AdministrativeUnit.objects.provinces().order_by("name"))
    below = AdministrativeUnit.objects.within(top).exclude(pk=top.pk).filter(parent=top).order_by("name")
    return [top, *below]


@dataclass
class TargetProgress:
    metric: str
    label: str
    planned: int | None
    actual: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.actual / self.planned) if self.planned else None


@dataclass
class Summary:
    unit: AdministrativeUnit
    year: int
    today: datetime.date
    products: int = 0
    subjects: int = 0
    by_star: dict[int, int] = field(default_factory=dict)
    by_kind: list[dict] = field(default_factory=list)          # kind, label, subjects, products
    by_sector: list[dict] = field(default_factory=list)        # sector, products
    by_product_set: list[dict] = field(default_factory=list)   # number, name, products
    communes_with_product: int = 0
    communes: int = 0
    new_this_year: int = 0
    new_4_star: int = 0
    re_recognised: int = 0
    upgraded: int = 0
    expiring_6_months: int = 0
    targets: list[TargetProgress] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "unit": {"code": self.unit.code, "name": self.unit.name}, "year": self.year,
            "date": self.today.isoformat(), "products": self.products, "subjects": self.subjects,
            "by_star": {str(k): v for k, v in sorted(self.by_star.items())},
            "by_subject_kind": self.by_kind, "by_sector": self.by_sector, "by_product_set": self.by_product_set,
            "communes_with_product": self.communes_with_product, "communes": self.communes,
            "new_this_year": self.new_this_year, "new_4_star_or_more": self.new_4_star,
            "re_recognised": self.re_recognised, "upgraded": self.upgraded,
            "expiring_in_6_months": self.expiring_6_months,
            "targets": [{"metric": t.metric, "label": str(t.label), "planned": t.planned, "actual": t.actual,
                         "percent": t.percent} for t in self.targets],
        }


def unit_ids(unit: AdministrativeUnit) -> list[int]:
    """The unit's units as a list of ids (a few hundred for a province): PostgreSQL then reaches the products
    through their commune index instead of scanning every product to join it to the units' paths."""
    return list(AdministrativeUnit.objects.within(unit).values_list("pk", flat=True))


def certificates_in_unit(unit: AdministrativeUnit, ids: list[int] | None = None) -> QuerySet:
    return Certificate.objects.filter(product__commune_id__in=unit_ids(unit) if ids is None else ids)


def ocop_products(unit: AdministrativeUnit, today: datetime.date, ids: list[int] | None = None) -> QuerySet:
    """The certificates in force in the unit: one per OCOP product (a renewal supersedes the old one)."""
    return certificates_in_unit(unit, ids).in_force(on=today)


def _issued_in_year(unit, year, today, ids=None):
    """Certificates issued in the year up to the report date and not revoked by then."""
    earlier = Certificate.objects.filter(product=OuterRef("product"), issued_on__lt=OuterRef("issued_on"))
    previous_star = earlier.order_by("-issued_on").values("star")[:1]
    return (certificates_in_unit(unit, ids).filter(issued_on__year=year, issued_on__lte=today)
            .exclude(revoked_on__lte=today)
            .annotate(had_before=Exists(earlier),
                      previous_star=Subquery(previous_star, output_field=IntegerField())))


def unit_communes(unit: AdministrativeUnit, year: int) -> QuerySet:
    return (AdministrativeUnit.objects.within(unit).communes()
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31)))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1))))


def report_date(year: int) -> datetime.date:
    """The date a year's figures are taken on when none is given: 31/12 of a past year, today otherwise."""
    today = timezone.localdate()
    return datetime.date(year, 12, 31) if year < today.year else today


def programme_summary(unit: AdministrativeUnit, year: int | None = None,
                      today: datetime.date | None = None) -> Summary:
    year = year or (today or timezone.localdate()).year
    today = today or report_date(year)
    summary = Summary(unit=unit, year=year, today=today)
    ids = unit_ids(unit)
    in_force = ocop_products(unit, today, ids)

    # One pass over the unit's certificates in force for the totals, the stars and the subject kinds (filtered
    # counts), and one grouped by product set for the sets and their sectors.
    stars, kinds = RECOGNISED_STARS, list(SubjectKind)
    totals = in_force.aggregate(
        products=Count("product", distinct=True), subjects=Count("subject", distinct=True),
        communes=Count("product__commune", distinct=True, filter=Q(product__commune__in=unit_communes(unit, year))),
        expiring=Count("pk", filter=Q(valid_until__lte=add_months(today, 6))),
        **{f"star_{star}": Count("product", distinct=True, filter=Q(star=star)) for star in stars},
        **{f"subjects_{kind.value}": Count("subject", distinct=True, filter=Q(subject__kind=kind)) for kind in kinds},
        **{f"products_{kind.value}": Count("product", distinct=True, filter=Q(subject__kind=kind)) for kind in kinds})
    summary.products, summary.subjects = totals["products"], totals["subjects"]
    summary.communes_with_product = totals["communes"]
    summary.expiring_6_months = totals["expiring"]
    summary.communes = unit_communes(unit, year).count()
    summary.by_star = {star: totals[f"star_{star}"] for star in stars if totals[f"star_{star}"]}
    summary.by_kind = [{"kind": kind.value, "label": str(kind.label), "subjects": totals[f"subjects_{kind.value}"],
                        "products": totals[f"products_{kind.value}"]} for kind in kinds]
    summary.by_product_set = [
        {"number": row["product__product_set__number"], "name": row["product__product_set__name"],
         "sector": row["product__product_set__sector"], "products": row["n"]}
        for row in in_force.values("product__product_set__number", "product__product_set__name",
                                   "product__product_set__sector")
        .annotate(n=Count("product", distinct=True)).order_by("product__product_set__number")]
    # A product belongs to one set and a set to one sector: a sector's figure is the sum of its sets'.
    sectors: dict[str, int] = {}
    for row in summary.by_product_set:
        sectors[row["sector"]] = sectors.get(row["sector"], 0) + row["products"]
    summary.by_sector = [{"sector": sector, "products": n}
                         for sector, n in sorted(sectors.items(), key=lambda item: (-item[1], item[0]))]

    issued = _issued_in_year(unit, year, today, ids).aggregate(
        new=Count("product", distinct=True, filter=Q(had_before=False)),
        new_4=Count("product", distinct=True, filter=Q(had_before=False, star__gte=4)),
        again=Count("product", distinct=True, filter=Q(had_before=True)),
        upgraded=Count("product", distinct=True, filter=Q(had_before=True, star__gt=F("previous_star"))))
    summary.new_this_year, summary.new_4_star = issued["new"], issued["new_4"]
    summary.re_recognised, summary.upgraded = issued["again"], issued["upgraded"]
    summary.targets = target_progress(unit, year, today, summary)
    return summary


def target_progress(unit, year, today, summary: Summary) -> list[TargetProgress]:
    """Each metric's plan (if the unit set one) against what the data shows for the year."""
    planned = dict(Target.objects.filter(unit=unit, year=year).values_list("metric", "planned"))
    traced = (Product.objects.filter(commune__path__startswith=unit.path, has_traceability=True)
              .filter(Exists(Certificate.objects.in_force(on=today).filter(product=OuterRef("pk")))).count())
    chains = (ValueChainLink.objects.filter(year=year, subject__commune__path__startswith=unit.path)
              .aggregate(n=Count("subject", distinct=True))["n"])
    points = (SalesPoint.objects.filter(commune__path__startswith=unit.path)
              .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=datetime.date(year, 12, 31)))
              .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=datetime.date(year, 1, 1))).count())
    trained = (TrainingEvent.objects.filter(unit__path__startswith=unit.path, held_on__year=year)
               .aggregate(n=Sum("participants_count"))["n"] or 0)
    actual = {
        TargetMetric.NEW_3_STAR: summary.new_this_year, TargetMetric.NEW_4_STAR: summary.new_4_star,
        TargetMetric.UPGRADES: summary.upgraded, TargetMetric.TRACEABILITY: traced,
        TargetMetric.VALUE_CHAINS: chains, TargetMetric.SALES_POINTS: points, TargetMetric.TRAINED: trained,
    }
    return [TargetProgress(metric.value, metric.label, planned.get(metric.value), actual[metric])
            for metric in TargetMetric]


def product_register(unit: AdministrativeUnit, today: datetime.date | None = None) -> QuerySet:
    """The register of OCOP products (product, subject, kind, commune, star, certificate and dates)."""
    today = today or timezone.localdate()
    return (ocop_products(unit, today)
            .select_related("product__product_set", "product__commune__parent", "subject", "regulation")
            .order_by("product__commune__parent__name", "product__commune__name", "subject__name", "product__name"))

