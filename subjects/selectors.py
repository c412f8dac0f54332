"""Scoped reads of subjects (the list with its filters' choices, the search as you type, a subject's page), and a
subject's address."""
import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from ocop.models import AdministrativeUnit
from ocop.rules import is_subject_rep
from ocop.selectors import UnitTimeline, scope_q, unit_scope_q, units_in_scope
from ocop.text import search_q

from .models import Subject


def subjects_visible_to(user) -> QuerySet:
    """Officials: subjects of communes in their area. Representatives: the subjects they act for."""
    if is_subject_rep(user):
        return Subject.objects.filter(representative_links__user=user)
    return Subject.objects.filter(scope_q(user, "commune"))


def subject_list(*, user) -> QuerySet:
    return subjects_visible_to(user).select_related("commune__parent").annotate(product_count=Count("products"))


def subject_list_rows(*, user, query: str = "", kind: str = "", commune: AdministrativeUnit | None = None,
                      district: AdministrativeUnit | None = None) -> QuerySet:
    """The list's rows: the user's subjects with their number of products and their commune's units above, whose
    name holds every word of `query` (accents not needed), of `kind`, in `commune` or else in `district` when
    given."""
    qs = subject_list(user=user).select_related("commune__parent__parent")
    if query:
        qs = qs.filter(search_q(query))
    if kind:
        qs = qs.filter(kind=kind)
    if commune is not None:
        qs = qs.filter(commune=commune)
    elif district is not None:
        qs = qs.filter(unit_scope_q(district, "commune__"))
    return qs


def subject_filter_districts(*, user) -> list[AdministrativeUnit]:
    """The districts of the user's area with their province, in the order of their codes: the district filter."""
    return list(units_in_scope(user).districts().select_related("parent").order_by("path"))


def _communes_of(user, district: AdministrativeUnit | None) -> QuerySet:
    communes = units_in_scope(user).communes()
    return communes.within(district) if district is not None else communes


def subject_filter_communes(*, user, district: AdministrativeUnit | None, limit: int) -> list[AdministrativeUnit]:
    """The communes of the user's area (of `district` when given) with the unit above, in the order of their
    codes: at most `limit` + 1, so that the caller knows when there are more than `limit`."""
    return list(_communes_of(user, district).select_related("parent").order_by("path")[:limit + 1])


def subject_filter_commune(*, user, district: AdministrativeUnit | None, code: str) -> AdministrativeUnit | None:
    """The commune coded `code` if it lies in the user's area (and in `district` when given)."""
    return _communes_of(user, district).filter(code=code).first()


def subject_search_results(*, user, query: str, limit: int) -> list[Subject]:
    """At most `limit` of the user's subjects whose name holds every word of `query`, by name, with their commune."""
    return list(subjects_visible_to(user).filter(search_q(query)).select_related("commune").order_by("name", "pk")
                [:limit])


def subject_pages_of(*, user) -> QuerySet:
    """The subjects the user may open, with their commune's units above and who registered them."""
    return subjects_visible_to(user).select_related("commune__parent__parent", "created_by")


def subject_products_in_order(*, subject: Subject) -> list:
    """The subject's products by name, with their product set and commune (whether the reader may open each)."""
    return list(subject.products.select_related("product_set", "commune").order_by("name", "pk"))


def representative_links_of(*, subject: Subject) -> QuerySet:
    """The accounts that act for the subject, by user name."""
    return subject.representative_links.select_related("user").order_by("user__username")


def subject_address(subject: Subject, *, on: datetime.date | None = None) -> tuple[str, str]:
    """The subject's address on `on` (today by default) and, when it differs, the one it was registered under.

    The commune and province are those that stand on the day for the commune it registered in (ocop's
    `unit_address`): HTX in Văn Lang (Na Rì, Bắc Kạn) is at "Xã Côn Minh, Tỉnh Thái Nguyên" from 01/07/2025,
    and its record still shows where it was registered. The street or village comes first in both.
    """
    timeline = UnitTimeline([subject.commune])
    current = timeline.address(subject.commune, on or timezone.localdate(), labelled=True)
    registered = timeline.address(subject.commune, labelled=True)

    def full(units: str) -> str:
        return f"{subject.address}, {units}" if subject.address else units

    return full(current), (full(registered) if registered != current else "")
