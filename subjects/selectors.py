"""Scoped reads of subjects, and a subject's address."""
import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from ocop.rules import is_subject_rep
from ocop.selectors import UnitTimeline, scope_q

from .models import Subject


def subjects_visible_to(user) -> QuerySet:
    """Officials: subjects of communes in their area. Representatives: the subjects they act for."""
    if is_subject_rep(user):
        return Subject.objects.filter(representative_links__user=user)
    return Subject.objects.filter(scope_q(user, "commune"))


def subject_list(*, user) -> QuerySet:
    return subjects_visible_to(user).select_related("commune__parent").annotate(product_count=Count("products"))


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
