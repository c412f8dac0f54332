"""Scoped reads of ideas, products and dossiers, with everything their pages show."""
from django.db.models import Count, QuerySet

from ocop.rules import is_subject_rep
from ocop.selectors import scope_q

from .models import Dossier, Product, ProductIdea


def ideas_visible_to(user) -> QuerySet:
    if is_subject_rep(user):
        return ProductIdea.objects.filter(subject__representative_links__user=user)
    return ProductIdea.objects.filter(scope_q(user, "commune"))


def products_visible_to(user) -> QuerySet:
    if is_subject_rep(user):
        return Product.objects.filter(subject__representative_links__user=user)
    return Product.objects.filter(scope_q(user, "commune"))


def dossiers_visible_to(user) -> QuerySet:
    return Dossier.objects.filter(product__in=products_visible_to(user))


def idea_list(*, user) -> QuerySet:
    return ideas_visible_to(user).select_related(
        "subject", "product_set", "commune__parent", "cycle__province").annotate(attachment_count=Count("attachments"))


def product_list(*, user) -> QuerySet:
    return products_visible_to(user).select_related("subject", "product_set", "commune__parent")
