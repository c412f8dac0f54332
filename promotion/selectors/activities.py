"""Scoped reads of trade promotion: events and their booths, invitations, sales points, listings, training
and targets, each with what its page shows fetched in a fixed number of queries."""
import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from certificates.models import Certificate
from evaluation.star_rules import MIN_RECOGNISED_STAR
from ocop.rules import is_official, is_subject_rep
from ocop.selectors import scope_q
from products.models import Product
from products.selectors import products_visible_to

from ..models import Booth, Listing, PromotionEvent, SalesPoint, Target, TrainingEvent

# ---------------------------------------------------------------------------------------------
# Events and booths
# ---------------------------------------------------------------------------------------------


def events_visible_to(user) -> QuerySet:
    """Officials: events organised by a unit of their area. Representatives: events their subject is invited
    to. Others: none."""
    if is_subject_rep(user):
        return PromotionEvent.objects.filter(
            pk__in=Booth.objects.filter(subject__representative_links__user=user).values("event"))
    return PromotionEvent.objects.filter(scope_q(user, "unit"))


def event_list(*, user) -> QuerySet:
    registered = Q(booths__status=Booth.Status.REGISTERED)
    return events_visible_to(user).select_related("unit__parent").annotate(
        booth_count=Count("booths"),
        registered_count=Count("booths", filter=registered),
        declined_count=Count("booths", filter=Q(booths__status=Booth.Status.DECLINED)),
        sales_total=Sum("booths__sales"),
        contracts_total=Sum("booths__contracts"),
    )


def event_booths(*, event: PromotionEvent, user) -> QuerySet:
    """The booths of an event the user may see: all of them for an official, his subject's for a representative."""
    qs = event.booths.select_related("subject__commune__parent").prefetch_related(
        Prefetch("products", queryset=Product.objects.order_by("name")))
    if not is_official(user):
        qs = qs.filter(subject__representative_links__user=user)
    return qs.order_by("code", "subject__name", "pk")


def booths_visible_to(user) -> QuerySet:
    if is_subject_rep(user):
        return Booth.objects.filter(subject__representative_links__user=user)
    return Booth.objects.filter(scope_q(user, "event__unit"))


def event_has_results(event: PromotionEvent) -> bool:
    return event.booths.filter(Q(sales__isnull=False) | Q(contracts__isnull=False)).exists()


def invitations_for(user, *, today: datetime.date | None = None) -> QuerySet:
    """A representative's booths at events that have not ended, the soonest first."""
    today = today or timezone.localdate()
    return (Booth.objects.filter(subject__representative_links__user=user, event__ends_on__gte=today)
            .select_related("event", "subject").order_by("event__starts_on", "pk"))


def certified_products(*, user, min_star: int = MIN_RECOGNISED_STAR, unit=None, product_set=None,
                       today: datetime.date | None = None) -> QuerySet:
    """Products of the user's area holding a certificate in force at `min_star` or more, with that star.

    `unit` narrows to the products made within it; `product_set` to one product set.
    """
    in_force = Certificate.objects.in_force(on=today or timezone.localdate()).filter(star__gte=min_star)
    best_star = (in_force.filter(product=OuterRef("pk")).order_by().values("product")
                 .annotate(best=Max("star")).values("best"))
    qs = products_visible_to(user).filter(pk__in=in_force.values("product")).annotate(star=Subquery(best_star))
    if unit is not None:
        qs = qs.filter(commune__path__startswith=unit.path)
    if product_set is not None:
        qs = qs.filter(product_set=product_set)
    return qs.select_related("subject__commune", "product_set").order_by("subject__name", "name", "pk")


# ---------------------------------------------------------------------------------------------
# Sales points and e-commerce listings
# ---------------------------------------------------------------------------------------------


def sales_points_visible_to(user) -> QuerySet:
    return SalesPoint.objects.filter(scope_q(user, "commune"))


def sales_point_list(*, user) -> QuerySet:
    return sales_points_visible_to(user).select_related("commune__parent").annotate(product_count=Count("products"))


def sales_point_products(*, sales_point: SalesPoint, user) -> QuerySet:
    """Every product the sales point carries; `linked` marks those of the user's area (their pages open for
    him), a provincial centre's products of other districts being named only."""
    return (sales_point.products.select_related("subject", "product_set")
            .annotate(linked=Exists(products_visible_to(user).filter(pk=OuterRef("pk"))))
            .order_by("subject__name", "name"))


def listed_products(*, user) -> QuerySet:
    """The products of the user's area with how many e-commerce listings each has."""
    if not is_official(user):
        return Product.objects.none()
    return (products_visible_to(user).select_related("subject", "product_set", "commune")
            .annotate(listing_count=Count("listings")))


def product_listings(product: Product) -> QuerySet:
    return Listing.objects.filter(product=product).order_by("platform", "pk")


# ---------------------------------------------------------------------------------------------
# Training and targets
# ---------------------------------------------------------------------------------------------


def trainings_visible_to(user) -> QuerySet:
    return TrainingEvent.objects.filter(scope_q(user, "unit"))


def training_list(*, user) -> QuerySet:
    return trainings_visible_to(user).select_related("unit__parent").annotate(subject_count=Count("subjects"))


def target_sets(*, user) -> QuerySet:
    """One row per unit and year that has targets in the user's area, with how many indicators are set."""
    return (Target.objects.filter(scope_q(user, "unit"))
            .values("unit__code", "unit__name", "unit__kind", "year")
            .annotate(metric_count=Count("pk"), reference=Max("reference")))


def targets_of(*, unit, year: int) -> dict[str, Target]:
    return {t.metric: t for t in Target.objects.filter(unit=unit, year=year)}
