"""What the public may read: certified products (a certificate in force) with their holder, star, validity and
where to buy them. Nothing private: no tax code, no representative, no phone, no file, no score."""
import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from certificates.models import Certificate
from evaluation.star_rules import RECOGNISED_STARS
from ocop.models import AdministrativeUnit
from ocop.selectors import unit_scope_q
from ocop.text import fold
from ocop.validators import record_key
from products.models import Product, ProductPhoto, ProductSet
from subjects.models import Subject

from ..models import Booth, Listing, PromotionEvent, SalesPoint

PUBLIC_CERTIFICATE_FIELDS = (
    "number", "star", "issued_on", "valid_until", "revoked_on", "superseded_by", "decision_number", "decision_date",
    "level", "authority_name", "issuing_unit__name",
    "product__name", "product__description", "product__has_traceability", "product__commune__name",
    "product__commune__parent__name", "product__commune__parent__parent__name",
    "product__product_set__number", "product__product_set__name", "product__product_set__sector",
    "subject__name", "subject__kind",
)


def certified(today: datetime.date | None = None) -> QuerySet:
    """One row per certified product: its certificate in force, with what the catalogue shows."""
    return (Certificate.objects.in_force(on=today or timezone.localdate())
            .select_related("product__product_set", "product__commune__parent__parent", "subject", "issuing_unit")
            .only(*PUBLIC_CERTIFICATE_FIELDS, "product_id", "subject_id", "issuing_unit_id"))


def certified_filtered(params, today=None) -> QuerySet:
    """Filters shared by the catalogue page and the API: q (accents optional), province (code), star, sector,
    product set (number)."""
    qs = certified(today)
    words = fold(params.get("q", "")).split()[:8]
    if words:
        # Every word in the product's name, or every word in the producer's: two small subqueries that the
        # database runs on their own tables, rather than a LIKE over the join of certificates, products and
        # subjects (80 ms on national data, 20 ms this way).
        products, subjects = Product.objects.all(), Subject.objects.all()
        for word in words:
            products = products.filter(search_text__contains=word)
            subjects = subjects.filter(search_text__contains=word)
        qs = qs.filter(Q(product__in=products.values("pk")) | Q(subject__in=subjects.values("pk")))
    province = (params.get("province") or "").strip()
    if province:
        unit = AdministrativeUnit.objects.filter(code=province).first()
        qs = qs.filter(unit_scope_q(unit, "product__commune__")) if unit else qs.none()
    star = params.get("star")
    if star in [str(s) for s in RECOGNISED_STARS]:
        qs = qs.filter(star=int(star))
    sector = (params.get("sector") or "").strip()
    if sector:
        qs = qs.filter(product__product_set__sector=sector)
    product_set = record_key(params.get("set"))
    if product_set:
        qs = qs.filter(product__product_set__number=product_set)
    return qs.order_by("-star", "product__name", "pk")


def catalogue_ids(params) -> QuerySet:
    """The ids of `certified_filtered`'s rows, in its order: a page of the catalogue is cut from these before its
    rows are fetched with everything they show (joining every unit and subject before the LIMIT cost more than
    the search)."""
    return certified_filtered(params).values_list("pk", flat=True)


def _with_photo(qs: QuerySet) -> QuerySet:
    """Each row's `photo_id`: the product's first photo (the one the catalogue shows), None without one; a
    subquery in the same query, so a page of 24 products costs no query more."""
    first = ProductPhoto.objects.filter(product=OuterRef("product_id")).order_by("uploaded_at", "pk").values("pk")[:1]
    return qs.annotate(photo_id=Subquery(first))


def catalogue_rows(*, ids: list[int]) -> dict[int, Certificate]:
    """The certified products of a catalogue page, by their certificate's id."""
    return {c.pk: c for c in _with_photo(certified().filter(pk__in=ids))}


def catalogue_product(*, product_id: int) -> Certificate | None:
    """The certificate in force of a product the catalogue shows (its latest if it has two); None if none."""
    return _with_photo(certified().filter(product_id=product_id)).order_by("-issued_on").first()


def catalogue_photo(*, photo_id: int, today: datetime.date | None = None) -> ProductPhoto | None:
    """A photo the public may see: one of a product the catalogue shows (a certificate in force); None otherwise
    (the photos of other products stay private)."""
    in_catalogue = Certificate.objects.in_force(on=today or timezone.localdate()).filter(product=OuterRef("product"))
    return ProductPhoto.objects.filter(Exists(in_catalogue), pk=photo_id).only("pk", "file", "uploaded_at").first()


def catalogue_product_sets() -> QuerySet:
    return ProductSet.objects.order_by("number")


def catalogue_sectors() -> QuerySet:
    return ProductSet.objects.order_by("sector").values_list("sector", flat=True).distinct()


def certificates_numbered(*, number: str) -> list[Certificate]:
    """Every certificate numbered `number`, whatever its status (a platform checks a seller's claim), with its
    status today."""
    return list(Certificate.objects.with_status(on=timezone.localdate()).filter(number=number)
                .select_related("product__product_set", "product__commune__parent__parent", "subject",
                                "issuing_unit"))


def where_to_buy(product, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "sales_points": list(SalesPoint.objects.filter(products=product)
                             .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=today))
                             .select_related("commune__parent").order_by("name")),
        "listings": list(Listing.objects.filter(product=product).order_by("platform")),
        "fairs": list(PromotionEvent.objects.filter(
            booths__products=product, booths__status=Booth.Status.REGISTERED, ends_on__gte=today)
            .distinct().order_by("starts_on")),
    }


def provinces_with_products(today=None) -> list:
    """Provinces that have at least one certified product, for the filter (kept ten minutes: it changes with
    a decision, not with each visit)."""
    today = today or timezone.localdate()
    key = f"catalog:provinces:{today.isoformat()}"
    codes = cache.get(key)
    if codes is None:
        paths = set(Certificate.objects.in_force(on=today).order_by()
                    .values_list("product__commune__path", flat=True).distinct())
        codes = sorted({path.split("/")[0] for path in paths})
        cache.set(key, codes, 600)
    return list(AdministrativeUnit.objects.filter(path__in=[f"{code}/" for code in codes]).order_by("name"))


PUBLIC_FIGURES_SECONDS = 300  # the public home's figures change with a decision, not with each visit


def public_province() -> AdministrativeUnit | None:
    """The province whose figures the public home shows (OCOP_PUBLIC_PROVINCE, a unit code); None for the whole
    register."""
    code = settings.OCOP_PUBLIC_PROVINCE
    return AdministrativeUnit.objects.filter(code=code).first() if code else None


def recognised_by_star(*, province: AdministrativeUnit | None, today: datetime.date | None = None) -> dict:
    """OCOP products (a certificate in force) by star and their holders, in `province` as the catalogue's province
    filter counts them (its units and those it took over) or in the whole register: one aggregate query, kept
    PUBLIC_FIGURES_SECONDS. {"total": n, "subjects": n, "by_star": [(3, n), (4, n), (5, n)]}."""
    today = today or timezone.localdate()
    key = f"public:figures:{province.code if province else '*'}:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        qs = Certificate.objects.in_force(on=today)
        if province is not None:
            qs = qs.filter(unit_scope_q(province, "product__commune__"))
        totals = qs.aggregate(
            total=Count("product", distinct=True), subjects=Count("subject", distinct=True),
            **{f"star_{star}": Count("product", distinct=True, filter=Q(star=star)) for star in RECOGNISED_STARS})
        figures = {"total": totals["total"], "subjects": totals["subjects"],
                   "by_star": [(star, totals[f"star_{star}"]) for star in RECOGNISED_STARS]}
        cache.set(key, figures, PUBLIC_FIGURES_SECONDS)
    return figures
