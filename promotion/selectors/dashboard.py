"""The programme's figures for a unit and a year, every one aggregated in the database.

What counts as what (the monthly report's conventions):
- an **OCOP product** is a product holding a certificate in force on the report date (`today`): issued by
  then, not revoked or superseded by then, not past its end date; its star is that certificate's. The report
  date is 31/12 of a past year and today for the current year unless given (`report_date`);
- a product is in the unit when its place of production (its commune) is one of the units whose records count
  for the unit on the report date (`ocop.selectors.units_counted_for`): the unit's own and, from the day a unit
  was merged into it, the merged unit's with its districts and communes (Thái Nguyên's figures of 2026 count the
  products of former Bắc Kạn); a unit that no longer exists on the report date is reported as it stood on its
  last day (Bắc Kạn's own products, its communes of 30/06/2025). The subject's kind is the holder's;
- **new this year**: certificates issued in the year to products that had no certificate before;
  **re-recognised**: certificates issued in the year to products that had one before (renewal), of which
  **upgraded** are those with more stars than the product's previous certificate;
- **communes with an OCOP product**: the unit's communes that exist on the report date where at least one OCOP
  product is made, a product made in a former commune counting for the commune that stands for it on that date
  (`by_commune`), out of all those communes;
- **expiring in the next 6 months**: in force today and ending within 6 calendar months;
- **inspections after recognition**: those that took place in the year up to the report date, of products in the
  unit (whatever their certificate's state now), by verdict.
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from certificates.enums import InspectionVerdict
from certificates.models import Certificate, Inspection
from certificates.validity import add_months
from evaluation.star_rules import RECOGNISED_STARS
from ocop.enums import UnitLevel
from ocop.models import AdministrativeUnit
from ocop.rules import is_system_admin, unit_within_scope
from ocop.selectors import UnitsCounted, units_counted_for
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
    units: UnitsCounted = field(repr=False)
    products: int = 0
    subjects: int = 0
    by_star: dict[int, int] = field(default_factory=dict)
    by_kind: list[dict] = field(default_factory=list)          # kind, label, subjects, products
    by_sector: list[dict] = field(default_factory=list)        # sector, products
    by_product_set: list[dict] = field(default_factory=list)   # number, name, products
    by_commune: list[dict] = field(default_factory=list)       # code, name, products (code "": no commune of the day)
    communes_with_product: int = 0
    communes: int = 0
    new_this_year: int = 0
    new_4_star: int = 0
    re_recognised: int = 0
    upgraded: int = 0
    expiring_6_months: int = 0
    targets: list[TargetProgress] = field(default_factory=list)
    inspections: int = 0
    inspections_by_verdict: list[dict] = field(default_factory=list)  # verdict, label, inspections (every verdict)

    def as_dict(self) -> dict:
        return {
            "unit": {"code": self.unit.code, "name": self.unit.name}, "year": self.year,
            "date": self.today.isoformat(), "products": self.products, "subjects": self.subjects,
            "by_star": {str(k): v for k, v in sorted(self.by_star.items())},
            "by_subject_kind": self.by_kind, "by_sector": self.by_sector, "by_product_set": self.by_product_set,
            "including": [{"code": u.code, "name": u.name, "until": u.valid_to.isoformat() if u.valid_to else None}
                          for u in self.units.predecessors],
            "by_commune": self.by_commune,
            "communes_with_product": self.communes_with_product, "communes": self.communes,
            "new_this_year": self.new_this_year, "new_4_star_or_more": self.new_4_star,
            "re_recognised": self.re_recognised, "upgraded": self.upgraded,
            "expiring_in_6_months": self.expiring_6_months,
            "targets": [{"metric": t.metric, "label": str(t.label), "planned": t.planned, "actual": t.actual,
                         "percent": t.percent} for t in self.targets],
            "inspections": {"total": self.inspections,
                            "by_verdict": {row["verdict"]: row["inspections"] for row in self.inspections_by_verdict}},
        }


def units_counted(unit: AdministrativeUnit, today: datetime.date) -> UnitsCounted:
    """The units whose products count for `unit` on the report date `today`; for a unit that had ended by then,
    those of its last day (its own: no unit stands for it any more, and its communes are those it had)."""
    return units_counted_for(unit, on=today)


def certificates_in_unit(units: UnitsCounted) -> QuerySet:
    # By the units' ids (a few hundred for a province): PostgreSQL then reaches the products through their commune
    # index instead of scanning every product to join it to the units' paths.
    return Certificate.objects.filter(units.q("product__commune"))


def ocop_products(units: UnitsCounted, today: datetime.date) -> QuerySet:
    """The certificates in force in the units: one per OCOP product (a renewal supersedes the old one)."""
    return certificates_in_unit(units).in_force(on=today)


def _issued_in_year(units, year, today):
    """Certificates issued in the year up to the report date and not revoked by then."""
    earlier = Certificate.objects.filter(product=OuterRef("product"), issued_on__lt=OuterRef("issued_on"))
    previous_star = earlier.order_by("-issued_on").values("star")[:1]
    return (certificates_in_unit(units).filter(issued_on__year=year, issued_on__lte=today)
            .exclude(revoked_on__lte=today)
            .annotate(had_before=Exists(earlier),
                      previous_star=Subquery(previous_star, output_field=IntegerField())))


def products_by_commune(units: UnitsCounted, in_force: QuerySet) -> list[dict]:
    """OCOP products by the commune that stands for their commune on the units' day, grouped in the database; the
    communes by name, then (code "") the products of former communes that no commune stands for."""
    rows = {row["commune_on"]: row["n"] for row in in_force.annotate(commune_on=units.commune_on("product__commune"))
            .values("commune_on").annotate(n=Count("product", distinct=True)).order_by()}
    found = [{"code": c.code, "name": c.name, "products": rows[c.pk]} for c in units.communes if c.pk in rows]
    if rows.get(None):
        found.append({"code": "", "name": "", "products": rows[None]})
    return found


def report_date(year: int) -> datetime.date:
    """The date a year's figures are taken on when none is given: 31/12 of a past year, today otherwise."""
    today = timezone.localdate()
    return datetime.date(year, 12, 31) if year < today.year else today


def programme_summary(unit: AdministrativeUnit, year: int | None = None,
                      today: datetime.date | None = None) -> Summary:
    year = year or (today or timezone.localdate()).year
    today = today or report_date(year)
    units = units_counted(unit, today)
    summary = Summary(unit=unit, year=year, today=today, units=units)
    in_force = ocop_products(units, today)

    # One pass over the unit's certificates in force for the totals, the stars and the subject kinds (filtered
    # counts), and one grouped by product set for the sets and their sectors.
    stars, kinds = RECOGNISED_STARS, list(SubjectKind)
    totals = in_force.aggregate(
        products=Count("product", distinct=True), subjects=Count("subject", distinct=True),
        expiring=Count("pk", filter=Q(valid_until__lte=add_months(today, 6))),
        **{f"star_{star}": Count("product", distinct=True, filter=Q(star=star)) for star in stars},
        **{f"subjects_{kind.value}": Count("subject", distinct=True, filter=Q(subject__kind=kind)) for kind in kinds},
        **{f"products_{kind.value}": Count("product", distinct=True, filter=Q(subject__kind=kind)) for kind in kinds})
    summary.products, summary.subjects = totals["products"], totals["subjects"]
    summary.expiring_6_months = totals["expiring"]
    summary.by_commune = products_by_commune(units, in_force)
    summary.communes_with_product = sum(1 for row in summary.by_commune if row["code"])
    summary.communes = len(units.communes)
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

    issued = _issued_in_year(units, year, today).aggregate(
        new=Count("product", distinct=True, filter=Q(had_before=False)),
        new_4=Count("product", distinct=True, filter=Q(had_before=False, star__gte=4)),
        again=Count("product", distinct=True, filter=Q(had_before=True)),
        upgraded=Count("product", distinct=True, filter=Q(had_before=True, star__gt=F("previous_star"))))
    summary.new_this_year, summary.new_4_star = issued["new"], issued["new_4"]
    summary.re_recognised, summary.upgraded = issued["again"], issued["upgraded"]
    summary.targets = target_progress(unit, year, today, summary)
    summary.inspections_by_verdict = inspections_by_verdict(units, year, today)
    summary.inspections = sum(row["inspections"] for row in summary.inspections_by_verdict)
    return summary


def inspections_by_verdict(units: UnitsCounted, year: int, today: datetime.date) -> list[dict]:
    """The inspections after recognition of the units' products that took place in the year by the report date, by
    verdict (one grouped count)."""
    counts = dict(Inspection.objects.filter(units.q("certificate__product__commune"), inspected_on__year=year,
                                            inspected_on__lte=today)
                  .values("verdict").annotate(n=Count("pk")).order_by().values_list("verdict", "n"))
    return [{"verdict": verdict.value, "label": str(verdict.label), "inspections": counts.get(verdict.value, 0)}
            for verdict in InspectionVerdict]


def target_progress(unit, year, today, summary: Summary) -> list[TargetProgress]:
    """Each metric's plan (if the unit set one) against what the data shows for the year, in the units whose
    records count for it."""
    units = summary.units
    planned = dict(Target.objects.filter(unit=unit, year=year).values_list("metric", "planned"))
    traced = (Product.objects.filter(units.q("commune"), has_traceability=True)
              .filter(Exists(Certificate.objects.in_force(on=today).filter(product=OuterRef("pk")))).count())
    chains = (ValueChainLink.objects.filter(units.q("subject__commune"), year=year)
              .aggregate(n=Count("subject", distinct=True))["n"])
    points = (SalesPoint.objects.filter(units.q("commune"))
              .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=datetime.date(year, 12, 31)))
              .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=datetime.date(year, 1, 1))).count())
    trained = (TrainingEvent.objects.filter(units.q("unit"), held_on__year=year)
               .aggregate(n=Sum("participants_count"))["n"] or 0)
    actual = {
        TargetMetric.NEW_3_STAR: summary.new_this_year, TargetMetric.NEW_4_STAR: summary.new_4_star,
        TargetMetric.UPGRADES: summary.upgraded, TargetMetric.TRACEABILITY: traced,
        TargetMetric.VALUE_CHAINS: chains, TargetMetric.SALES_POINTS: points, TargetMetric.TRAINED: trained,
    }
    return [TargetProgress(metric.value, metric.label, planned.get(metric.value), actual[metric])
            for metric in TargetMetric]


def product_register(units: UnitsCounted, today: datetime.date) -> QuerySet:
    """The register of OCOP products (product, subject, kind, commune, star, certificate and dates) of the units
    on the report date `today` (their communes as recorded: `register_commune` names the commune of the day)."""
    return (ocop_products(units, today)
            .select_related("product__product_set", "product__commune__parent", "subject", "regulation")
            .order_by("product__commune__parent__name", "product__commune__name", "subject__name", "product__name"))


def register_commune(units: UnitsCounted, commune: AdministrativeUnit) -> tuple[str, str]:
    """The commune and district a register row names: those that stand for the product's commune on the units'
    day (Văn Lang of Na Rì is "Côn Minh" with no district from 01/07/2025), as recorded when none does."""
    named = units.timeline.address_units(commune, units.on)
    district = next((u.name for u in named[1:] if u.level == UnitLevel.DISTRICT), "")
    return named[0].name, district
