"""Scoped reads of subjects."""
from django.db.models import Count, QuerySet

from ocop.rules import is_subject_rep
from ocop.selectors import scope_q

from .models import Subject


def subjects_visible_to(user) -> QuerySet:
    """Officials: subjects of communes in their area. Representatives: the subjects they act for."""
    if is_subject_rep(user):
        return Subject.objects.filter(representative_links__user=user)
    return Subject.objects.filter(scope_q(user, "commune"))


def subject_list(*, user) -> QuerySet:
    return subjects_visible_to(user).select_related("commune__parent").annotate(product_count=Count("products"))
