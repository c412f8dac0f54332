"""Who may see, register, screen and send product ideas, plan them, and see and change products and dossiers."""
import datetime

import rules
from django.utils import timezone

from ocop.enums import UnitLevel
from ocop.rules import (
    is_local_officer,
    is_local_official,
    is_ministry_staff,
    is_official,
    is_province_staff,
    is_subject_rep,
    is_system_admin,
    unit_stood_for_by,
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


def procedure_day(record) -> datetime.date:
    """The day whose units and procedure a submitted idea or dossier follows (`procedure_on`, set when it was
    submitted: Cycle.procedure_day); for one not yet submitted, that of a submission today. A dossier of 2024
    follows the district's path of 148/QĐ-TTg; one of 2026 goes to the commune that stands for its commune
    (1489/QĐ-TTg, 26/2026/QĐ-TTg)."""
    if record.procedure_on is not None:
        return record.procedure_on
    return record.cycle.procedure_day() if record.cycle_id else timezone.localdate()


def screens_commune(user, idea) -> bool:
    """The screener of an idea: the district officer above its commune, or under the two-tier rules (a commune
    directly under its province) the provincial office, as the units stood on its procedure day; for a commune
    whose district had ended by then (01/07/2025), the provincial office of the province that stands for it."""
    if is_system_admin(user):
        return True
    commune = idea.commune if idea is not None else None
    if commune is None or commune.parent is None:
        return False
    day = procedure_day(idea)
    parent = commune.parent
    if not parent.is_valid_on(day):
        return is_province_staff(user) and user.unit.is_valid_on(day) and unit_stood_for_by(commune, user.unit)
    if parent.level == UnitLevel.DISTRICT:
        return is_local_officer(user) and user.unit_id == parent.pk
    return is_province_staff(user) and user.unit_id == parent.pk


@rules.predicate
def idea_screenable(user, idea) -> bool:
    return idea is not None and idea.status in IdeaStatus.SCREENABLE and screens_commune(user, idea)


@rules.predicate
def is_screener(user) -> bool:
    """Whoever may screen and send lists: district officers, provincial staff and administrators."""
    return is_system_admin(user) or is_province_staff(user) or (
        is_local_officer(user) and user.unit.level == UnitLevel.DISTRICT)


def nominated_for_ministry(user, product) -> bool:
    """The ministry's office sees the products the provinces nominated to the central level (and only those)."""
    return is_ministry_staff(user) and product.nominated_central_on is not None


@rules.predicate
def product_visible(user, product) -> bool:
    return product is not None and (unit_within_scope(user, product.commune) or _represents(user, product.subject)
                                    or nominated_for_ministry(user, product))


@rules.predicate
def product_in_area(user, product) -> bool:
    return product is not None and unit_within_scope(user, product.commune)


@rules.predicate
def dossier_visible(user, dossier) -> bool:
    return dossier is not None and product_visible(user, dossier.product)


@rules.predicate
def dossier_editable(user, dossier) -> bool:
    return dossier is not None and dossier.status in DossierStatus.EDITABLE and product_visible(user, dossier.product)


def receives_dossiers_of(user, dossier) -> bool:
    """Who receives and checks a dossier: the local officer of its commune (1489/2025, 26/2026), or under 148 of
    the district above it, whose unit exists on the dossier's procedure day. A dossier of a commune merged since
    goes to the officer of the commune that stands for it (Văn Lang's of 2026 to Côn Minh's), no longer to the
    officer of its former district, dissolved on 01/07/2025. Administrators too."""
    if is_system_admin(user):
        return True
    return (dossier is not None and is_local_officer(user) and user.unit.is_valid_on(procedure_day(dossier))
            and unit_within_scope(user, dossier.product.commune))


@rules.predicate
def dossier_checkable(user, dossier) -> bool:
    """A submitted dossier may be returned or found complete by the officer who receives its commune's dossiers."""
    return (dossier is not None and dossier.status in DossierStatus.TRANSITIONS["check"][0]
            and receives_dossiers_of(user, dossier))


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
rules.add_perm("products.view_idea_list", is_local_official | is_subject_rep)
rules.add_perm("products.view_idea", idea_visible)
rules.add_perm("products.add_idea", is_local_official | is_subject_rep)
rules.add_perm("products.change_idea", idea_editable)
rules.add_perm("products.screen_idea", idea_screenable)
rules.add_perm("products.send_ideas", is_screener)
rules.add_perm("products.view_province_lists", is_system_admin | is_province_staff)
# Business plans
rules.add_perm("products.view_plan_list", is_local_official | is_subject_rep)
rules.add_perm("products.add_plan", idea_plannable)
rules.add_perm("products.view_plan", plan_visible)
rules.add_perm("products.change_plan", plan_visible)
# Products and dossiers; whoever sees a product (its area's officers, its subject's representatives) may open
# its dossier.
rules.add_perm("products.view_product_list", is_official | is_subject_rep)
rules.add_perm("products.view_product", product_visible)
rules.add_perm("products.change_product", product_in_area)
# The ministry's office reads the dossiers of the products nominated to it; the province's and the subject's people
# prepare them.
rules.add_perm("products.add_dossier", product_visible & ~is_ministry_staff)
rules.add_perm("products.view_dossier", dossier_visible)
rules.add_perm("products.change_dossier", dossier_editable & ~is_ministry_staff)
rules.add_perm("products.check_dossier", dossier_checkable)
# The lists of checked dossiers: sent by the officers who receive dossiers (commune, or district under 148), seen
# by them and by the provincial office (each list scoped to its unit in the selectors).
rules.add_perm("products.send_dossiers", is_system_admin | is_local_officer)
rules.add_perm("products.view_dossier_lists", is_local_official)
