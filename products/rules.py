"""Who may see, register, screen and send product ideas, plan them, and see and change products and dossiers."""
import rules

from ocop.enums import UnitLevel
from ocop.rules import (
    is_local_officer,
    is_official,
    is_province_staff,
    is_subject_rep,
    is_system_admin,
    unit_within_scope,
)

from .enums import DossierStatus, IdeaStatus


def _represents(user, subject) -> bool:
    return is_subject_rep(user) and subject.representative_links.filter(user=user).exists()


@rules.predicate
def idea_visible(user, idea) -> bool:
    return idea is not None and (unit_within_scope(user, idea.commune) or _represents(user, idea.subject))


@rules.predicate
def idea_editable(user, idea) -> bool:
    """Drafts and returned ideas can be edited by the area's officers or the subject's representative."""
    return (
        idea is not None
        and idea.status in IdeaStatus.EDITABLE
        and (unit_within_scope(user, idea.commune) or _represents(user, idea.subject))
    )


def screens_commune(user, commune) -> bool:
    """The screener of a commune's ideas: the district officer above it, or under the two-tier rules
    (a commune directly under its province) the provincial office."""
    if is_system_admin(user):
        return True
    if commune is None or commune.parent is None:
        return False
    parent = commune.parent
    if parent.level == UnitLevel.DISTRICT:
        return is_local_officer(user) and user.unit_id == parent.pk
    return is_province_staff(user) and user.unit_id == parent.pk


@rules.predicate
def idea_screenable(user, idea) -> bool:
    return idea is not None and idea.status in IdeaStatus.SCREENABLE and screens_commune(user, idea.commune)


@rules.predicate
def is_screener(user) -> bool:
    """Whoever may screen and send lists: district officers, provincial staff and administrators."""
    return is_system_admin(user) or is_province_staff(user) or (
        is_local_officer(user) and user.unit.level == UnitLevel.DISTRICT)


@rules.predicate
def product_visible(user, product) -> bool:
    return product is not None and (unit_within_scope(user, product.commune) or _represents(user, product.subject))


@rules.predicate
def product_in_area(user, product) -> bool:
    return product is not None and unit_within_scope(user, product.commune)


@rules.predicate
def dossier_visible(user, dossier) -> bool:
    return dossier is not None and product_visible(user, dossier.product)


@rules.predicate
def dossier_editable(user, dossier) -> bool:
    return dossier is not None and dossier.status in DossierStatus.EDITABLE and product_visible(user, dossier.product)


def receives_dossiers_of(user, commune) -> bool:
    """Who receives and checks a commune's dossiers: the local officer of that commune (1489/2025, 26/2026), or
    under 148 of the district above it; administrators too."""
    if is_system_admin(user):
        return True
    return commune is not None and is_local_officer(user) and unit_within_scope(user, commune)


@rules.predicate
def dossier_checkable(user, dossier) -> bool:
    """A submitted dossier may be returned or found complete by the officer who receives its commune's dossiers."""
    return (dossier is not None and dossier.status in DossierStatus.TRANSITIONS["check"][0]
            and receives_dossiers_of(user, dossier.product.commune))


# A plan follows its idea: once the idea is selected (or sent on: IdeaStatus.PLANNABLE), its area's officers and
# its subject's representatives write the plan.
@rules.predicate
def idea_plannable(user, idea) -> bool:
    """A selected (or sent) idea may get its plan from its area's officers or its subject's representative."""
    return idea is not None and idea.status in IdeaStatus.PLANNABLE and idea_visible(user, idea)


@rules.predicate
def plan_visible(user, plan) -> bool:
    return plan is not None and idea_visible(user, plan.idea)


# Ideas
rules.add_perm("products.view_idea_list", is_official | is_subject_rep)
rules.add_perm("products.view_idea", idea_visible)
rules.add_perm("products.add_idea", is_official | is_subject_rep)
rules.add_perm("products.change_idea", idea_editable)
rules.add_perm("products.screen_idea", idea_screenable)
rules.add_perm("products.send_ideas", is_screener)
rules.add_perm("products.view_province_lists", is_system_admin | is_province_staff)
# Business plans
rules.add_perm("products.view_plan_list", is_official | is_subject_rep)
rules.add_perm("products.add_plan", idea_plannable)
rules.add_perm("products.view_plan", plan_visible)
rules.add_perm("products.change_plan", plan_visible)
# Products and dossiers; whoever sees a product (its area's officers, its subject's representatives) may open
# its dossier.
rules.add_perm("products.view_product_list", is_official | is_subject_rep)
rules.add_perm("products.view_product", product_visible)
rules.add_perm("products.change_product", product_in_area)
rules.add_perm("products.add_dossier", product_visible)
rules.add_perm("products.view_dossier", dossier_visible)
rules.add_perm("products.change_dossier", dossier_editable)
rules.add_perm("products.check_dossier", dossier_checkable)
# The lists of checked dossiers: sent by the officers who receive dossiers (commune, or district under 148), seen
# by them and by the provincial office (each list scoped to its unit in the selectors).
rules.add_perm("products.send_dossiers", is_system_admin | is_local_officer)
rules.add_perm("products.view_dossier_lists", is_official)
