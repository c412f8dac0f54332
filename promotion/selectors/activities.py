"""Scoped reads of trade promotion: events and their booths, invitations, sales points, listings, training
and targets, each with what its page shows fetched in a fixed number of queries."""
import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from certificates.models import Certificate
from evaluation.star_rules import MIN_RECOGNISED_STAR
from ocop.rules import is_official, is_subject_rep
from ocop.selectors import scope_q, unit_scope_q
from ocop.text import search_q
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


def event_list(*, user, query: str = "", year: int | None = None, kind: str = "") -> QuerySet:
    """The events of the user's area with their booths counted and their results summed; named by `query`
    (accents not needed), starting in `year`, of `kind` when given."""
    registered = Q(booths__status=Booth.Status.REGISTERED)
    qs = events_visible_to(user).select_related("unit__parent").annotate(
        booth_count=Count("booths"),
        registered_count=Count("booths", filter=registered),
        declined_count=Count("booths", filter=Q(booths__status=Booth.Status.DECLINED)),
        sales_total=Sum("booths__sales"),
        contracts_total=Sum("booths__contracts"),
    )
    if query:
        qs = qs.filter(search_q(query))
    if year:
        qs = qs.filter(starts_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def event_booths(*, event: PromotionEvent, user) -> QuerySet:
    """The booths of an event the user may see: all of them for an official, his subject's for a representative."""
    qs = event.booths.select_related("subject__commune__parent").prefetch_related(
        Prefetch("products", queryset=Product.objects.order_by("name")))
    if not is_official(user):
        qs = qs.filter(subject__representative_links__user=user)
    return qs.order_by("code", "subject__name", "pk")


def event_subject_ids(*, event: PromotionEvent) -> set[int]:
    """The subjects that already have a booth at the event (invited, registered or declined)."""
    return set(event.booths.values_list("subject_id", flat=True))


def booth_products(*, booth: Booth) -> QuerySet:
    return booth.products.order_by("name")


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
        qs = qs.filter(unit_scope_q(unit, "commune__"))
    if product_set is not None:
        qs = qs.filter(product_set=product_set)
    return qs.select_related("subject__commune", "product_set").order_by("subject__name", "name", "pk")


# ---------------------------------------------------------------------------------------------
# Sales points and e-commerce listings
# ---------------------------------------------------------------------------------------------


def sales_points_visible_to(user) -> QuerySet:
    return SalesPoint.objects.filter(scope_q(user, "commune"))


def sales_point_list(*, user, query: str = "", centre: bool | None = None) -> QuerySet:
    """The sales points of the user's area with how many products each carries; named by `query`, centres or
    not (`centre`) when given."""
    qs = sales_points_visible_to(user).select_related("commune__parent").annotate(product_count=Count("products"))
    if query:
        qs = qs.filter(search_q(query))
    if centre is not None:
        qs = qs.filter(is_centre=centre)
    return qs


def sales_point_products(*, sales_point: SalesPoint, user) -> QuerySet:
    """Every product the sales point carries; `linked` marks those of the user's area (their pages open for
    him), a provincial centre's products of other districts being named only."""
    return (sales_point.products.select_related("subject", "product_set")
            .annotate(linked=Exists(products_visible_to(user).filter(pk=OuterRef("pk"))))
            .order_by("subject__name", "name"))


def listed_products(*, user, query: str = "", listed: bool | None = None) -> QuerySet:
    """The products of the user's area with how many e-commerce listings each has; whose name or subject's
    name holds `query`, with listings or without (`listed`) when given."""
    if not is_official(user):
        return Product.objects.none()
    qs = (products_visible_to(user).select_related("subject", "product_set", "commune")
          .annotate(listing_count=Count("listings")))
    if query:
        qs = qs.filter(search_q(query) | search_q(query, "subject__search_text"))
    if listed is True:
        qs = qs.filter(listing_count__gt=0)
    elif listed is False:
        qs = qs.filter(listing_count=0)
    return qs


def listings_visible_to(*, user) -> QuerySet:
    """The e-commerce listings of the products the user may see, with their product."""
    return Listing.objects.filter(product__in=products_visible_to(user)).select_related("product")


def product_listings(product: Product) -> QuerySet:
    return Listing.objects.filter(product=product).order_by("platform", "pk")


# ---------------------------------------------------------------------------------------------
# Training and targets
# ---------------------------------------------------------------------------------------------


def trainings_visible_to(user) -> QuerySet:
    return TrainingEvent.objects.filter(scope_q(user, "unit"))


def training_list(*, user, query: str = "", year: int | None = None) -> QuerySet:
    """The training events of the user's area with how many subjects took part; on `query`'s topic, held in
    `year` when given."""
    qs = trainings_visible_to(user).select_related("unit__parent").annotate(subject_count=Count("subjects"))
    if query:
        qs = qs.filter(search_q(query))
    if year:
        qs = qs.filter(held_on__year=year)
    return qs


def training_participants_total(trainings: QuerySet) -> int:
    """The participants of `trainings` (a training list) in all, summed in the database."""
    return trainings.aggregate(total=Sum("participants_count"))["total"] or 0


def target_sets(*, user) -> QuerySet:
    """One row per unit and year that has targets in the user's area, with how many indicators are set; the
    latest year first (grouped rows have no pk to sort by)."""
    return (Target.objects.filter(scope_q(user, "unit"))
            .values("unit__code", "unit__name", "unit__kind", "year")
            .annotate(metric_count=Count("pk"), reference=Max("reference"))
            .order_by("-year", "unit__path"))


def targets_of(*, unit, year: int) -> dict[str, Target]:
    return {t.metric: t for t in Target.objects.filter(unit=unit, year=year)}
