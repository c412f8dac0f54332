"""Scoped reads of ideas, products, business plans and dossiers, with everything their pages show."""
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from ocop.enums import AuditAction, UnitLevel
from ocop.models import Cycle
from ocop.rules import is_local_officer, is_ministry_staff, is_province_staff, is_subject_rep, is_system_admin
from ocop.selectors import audit_changes, audit_trail_for, scope_q, unit_scope_q
from ocop.text import search_q
from subjects.selectors import subjects_visible_to

from .enums import DossierStatus, IdeaStatus
from .models import (
    BusinessPlan,
    Dossier,
    DossierDocument,
    DossierList,
    IdeaAttachment,
    IdeaList,
    Product,
    ProductIdea,
    ProductPhoto,
)

# ---------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------


def ideas_visible_to(user) -> QuerySet:
    if is_subject_rep(user):
        return ProductIdea.objects.filter(subject__representative_links__user=user)
    return ProductIdea.objects.filter(scope_q(user, "commune"))


def products_visible_to(user) -> QuerySet:
    if is_subject_rep(user):
        return Product.objects.filter(subject__representative_links__user=user)
    if is_ministry_staff(user):  # the products the provinces nominated to the central level (rules.product_visible)
        return Product.objects.filter(nominated_central_on__isnull=False)
    return Product.objects.filter(scope_q(user, "commune"))


def dossiers_visible_to(user) -> QuerySet:
    return Dossier.objects.filter(product__in=products_visible_to(user))


def plans_visible_to(user) -> QuerySet:
    """Business plans follow their idea: the area's officers and the subject's representatives see them."""
    return BusinessPlan.objects.filter(idea__in=ideas_visible_to(user))


def idea_lists_visible_to(user) -> QuerySet:
    """The lists of selected ideas sent to the province, for the officials of the list's area."""
    return IdeaList.objects.filter(scope_q(user, "unit"))


def _unit_existed_on(unit, day_field: str) -> Q:
    """Rows whose date `day_field` falls within `unit`'s existence."""
    q = Q()
    if unit.valid_from is not None:
        q &= Q(**{f"{day_field}__gte": unit.valid_from})
    if unit.valid_to is not None:
        q &= Q(**{f"{day_field}__lte": unit.valid_to})
    return q


def screening_q(user) -> Q:
    """A filter keeping the ideas `user` screens (the query form of `rules.screens_commune`): a district officer
    the communes of his district, under the two-tier rules (communes directly under their province) the provincial
    office, and for an idea submitted after its commune's district ended (01/07/2025) the provincial office of the
    province that stands for the commune; an administrator all."""
    if is_system_admin(user):
        return Q()
    day = F("procedure_on")
    parent_stood = (Q(commune__parent__valid_from__isnull=True) | Q(commune__parent__valid_from__lte=day)) & (
        Q(commune__parent__valid_to__isnull=True) | Q(commune__parent__valid_to__gte=day))
    if is_local_officer(user) and user.unit.level == UnitLevel.DISTRICT:
        return Q(commune__parent_id=user.unit_id) & parent_stood
    if is_province_staff(user):
        taken_over = ~parent_stood & unit_scope_q(user.unit, "commune__") & _unit_existed_on(user.unit, "procedure_on")
        return (Q(commune__parent_id=user.unit_id) & parent_stood) | taken_over
    return Q(pk__in=[])


def ideas_screened_by(user) -> QuerySet:
    return ProductIdea.objects.filter(screening_q(user))


def ideas_to_screen(user) -> QuerySet:
    """The submitted ideas `user` screens now (select, return or reject), with what the bulk screening lists."""
    return (ideas_screened_by(user).filter(status__in=IdeaStatus.SCREENABLE)
            .select_related("subject", "commune__parent", "cycle__province").order_by("product_name", "pk"))


def ideas_to_screen_among(user, ideas) -> set[int]:
    """Which of `ideas` (a page of the list) `user` may tick to screen together: one query, whatever their number."""
    keys = [idea.pk for idea in ideas]
    return set(ideas_to_screen(user).filter(pk__in=keys).values_list("pk", flat=True)) if keys else set()


# ---------------------------------------------------------------------------------------------
# Ideas
# ---------------------------------------------------------------------------------------------


def idea_list(*, user) -> QuerySet:
    return ideas_visible_to(user).select_related(
        "subject", "product_set", "commune__parent", "cycle__province").annotate(attachment_count=Count("attachments"))


def idea_detail(*, user) -> QuerySet:
    """The ideas the user may open, with everything the idea's page and form show of their relations."""
    return ideas_visible_to(user).select_related(
        "subject", "product", "product_set", "commune__parent", "cycle__province", "created_by", "screened_by",
        "sent_list__unit")


def idea_attachments_visible_to(user) -> QuerySet:
    return IdeaAttachment.objects.filter(idea__in=ideas_visible_to(user)).select_related("idea")


def idea_subject_matches(*, user, query: str, limit: int = 10) -> list:
    """The subjects the registration form's search box offers: those the user may see, accents not needed."""
    if len(query) < 2:
        return []
    return list(subjects_visible_to(user).filter(search_q(query)).select_related("commune__parent")
                .order_by("name")[:limit])


def subject_products(subject) -> QuerySet:
    """The products a subject makes, for the registration form's product select."""
    if subject is None:
        return Product.objects.none()
    return Product.objects.filter(subject=subject).order_by("name")


def idea_history(idea: ProductIdea) -> list[dict]:
    """The audit trail, oldest first, with each submission numbered as a round and values made readable."""
    rows, round_number = [], 0
    labels = dict(IdeaStatus.choices)
    for entry in audit_trail_for(idea).order_by("at", "id"):
        status = entry.changes.get("status") if entry.action == AuditAction.TRANSITION else None
        if status and status[1] == IdeaStatus.SUBMITTED:
            round_number += 1
        changes = audit_changes(entry) if entry.action == AuditAction.UPDATE else []
        rows.append({
            "entry": entry, "round": round_number, "changes": changes,
            "status_from": labels.get(status[0], status[0]) if status else None,
            "status_to": labels.get(status[1], status[1]) if status else None,
        })
    return rows


# ---------------------------------------------------------------------------------------------
# Sending the selected ideas; the lists the province receives
# ---------------------------------------------------------------------------------------------


def ideas_to_send(user) -> QuerySet:
    """The selected ideas of the screener's area, which he may send to the province."""
    return ideas_screened_by(user).filter(status__in=IdeaStatus.TRANSITIONS["send"][0])


def cycles_of(rows: QuerySet) -> QuerySet:
    """The cycles the given ideas (or dossiers: rows with a cycle) belong to, the latest first: a list's filter."""
    return Cycle.objects.filter(pk__in=rows.values("cycle")).select_related("province")


def ideas_to_send_in(ideas: QuerySet, cycle: Cycle | None) -> QuerySet:
    """The ideas to send of one cycle, as the sending page lists them (by district, commune, name)."""
    return ideas.filter(cycle=cycle).select_related("subject", "product_set", "commune__parent").order_by(
        "commune__parent__name", "commune__name", "product_name")


def district_counts(user, cycle) -> list[dict]:
    """Ideas of the cycle per screening unit (the district, or the province for communes directly under
    it) and status, with the number of lists each unit sent; counted in the database."""
    if cycle is None:
        return []
    counts = {status: Count("pk", filter=Q(status=status)) for status in IdeaStatus.values}
    rows = list(
        ideas_visible_to(user).filter(cycle=cycle)
        .values("commune__parent_id", "commune__parent__name", "commune__parent__kind")
        .annotate(total=Count("pk"), **counts).order_by("commune__parent__name")
    )
    lists = dict(idea_lists_visible_to(user).filter(cycle=cycle).values("unit_id").annotate(n=Count("pk"))
                 .values_list("unit_id", "n"))
    for row in rows:
        row["lists"] = lists.get(row["commune__parent_id"], 0)
        row["statuses"] = [row[status] for status in IdeaStatus.values]
    return rows


def idea_lists_received(*, user, cycle) -> QuerySet:
    """The cycle's lists the user may see, with their ideas (by name) and how many each holds."""
    return idea_lists_visible_to(user).filter(cycle=cycle).select_related("unit", "sent_by").annotate(
        idea_count=Count("ideas")).prefetch_related(
        Prefetch("ideas", queryset=ProductIdea.objects.select_related("subject", "commune").order_by("product_name")))


def ideas_sent(*, user, cycle) -> QuerySet:
    """Every idea of the cycle's lists the user may see, list by list, for the export."""
    return ProductIdea.objects.filter(sent_list__in=idea_lists_visible_to(user).filter(cycle=cycle)).select_related(
        "sent_list__unit", "subject", "commune", "product_set").order_by(
        "sent_list__unit__name", "sent_list__sent_at", "product_name")


def idea_list_detail(*, user) -> QuerySet:
    return idea_lists_visible_to(user).select_related("unit", "sent_by", "cycle__province")


def idea_list_ideas(idea_list: IdeaList) -> QuerySet:
    return idea_list.ideas.select_related("subject", "product_set", "commune").order_by("product_name")


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------


def product_list(*, user) -> QuerySet:
    """The products the user sees, with what their list, export and page show (the standards prefetched)."""
    return product_detail(user=user).prefetch_related("standards")


def product_detail(*, user) -> QuerySet:
    """The products the user sees, with their subject, set and place: what every page of one product shows."""
    return products_visible_to(user).select_related("subject", "product_set", "commune__parent")


def product_ideas(product: Product) -> QuerySet:
    """The product's ideas, the latest cycle first, each saying whether it has its business plan (`has_plan`)."""
    return (product.ideas.select_related("cycle", "commune", "subject")
            .annotate(has_plan=Exists(BusinessPlan.objects.filter(idea=OuterRef("pk"))))
            .order_by("-cycle__year", "-created_at"))


def product_plans(product: Product) -> QuerySet:
    return BusinessPlan.objects.filter(idea__product=product).select_related("idea__cycle").annotate(
        milestone_count=Count("milestones", distinct=True), support_count=Count("support", distinct=True),
    ).order_by("-idea__cycle__year")


def product_dossiers(product: Product) -> QuerySet:
    return product.dossiers.select_related("cycle").annotate(document_count=Count("documents")).order_by(
        "-cycle__year")


def photos_visible_to(user) -> QuerySet:
    return ProductPhoto.objects.filter(product__in=products_visible_to(user)).select_related("product__commune")


# ---------------------------------------------------------------------------------------------
# Business plans
# ---------------------------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet:
    return plans_visible_to(user).select_related(
        "idea__subject", "idea__commune__parent", "idea__cycle", "idea__product",
    ).annotate(
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        support_count=Count("support", distinct=True),
    )


def plan_detail(*, user) -> QuerySet:
    return plans_visible_to(user).select_related(
        "idea__subject", "idea__commune__parent", "idea__cycle", "idea__product", "idea__product_set")


def plan_parts_visible_to(model, user) -> QuerySet:
    """A plan's milestones or support records (`model`: PlanMilestone or SupportActivity) the user may see."""
    return model.objects.filter(plan__in=plans_visible_to(user))


def idea_plan(idea: ProductIdea) -> BusinessPlan | None:
    return BusinessPlan.objects.filter(idea=idea).first()


def plan_dossier(plan: BusinessPlan) -> Dossier | None:
    """The dossier of the plan's product in the plan's cycle, if the product has been registered."""
    idea = plan.idea
    if not idea.product_id:
        return None
    return Dossier.objects.filter(product_id=idea.product_id, cycle_id=idea.cycle_id).first()


# ---------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------


def dossier_list(*, user) -> QuerySet:
    return dossiers_visible_to(user).select_related(
        "product__subject", "product__product_set", "product__commune__parent", "cycle",
    ).annotate(document_count=Count("documents"))


def dossier_detail(*, user) -> QuerySet:
    return dossiers_visible_to(user).select_related(
        "product__subject", "product__product_set", "product__commune__parent", "cycle__province", "idea",
        "submitted_by", "checked_by", "sent_list__unit")


def dossier_documents(dossier: Dossier) -> list[DossierDocument]:
    """The dossier's documents, fetched once whatever their number."""
    return list(dossier.documents.select_related("uploaded_by"))


def receiving_q(user) -> Q:
    """A filter keeping the dossiers `user` receives (the query form of `rules.receives_dossiers_of`): those of a
    local officer's commune (his district's under 148) and of the units it took over, submitted while his unit
    existed."""
    if is_system_admin(user):
        return Q()
    if is_local_officer(user):
        return unit_scope_q(user.unit, "product__commune__") & _unit_existed_on(user.unit, "procedure_on")
    return Q(pk__in=[])


def dossiers_to_receive(user) -> QuerySet:
    """The submitted dossiers waiting for the officer who receives them (to return or check), the oldest first."""
    return (Dossier.objects.filter(receiving_q(user), status__in=DossierStatus.TRANSITIONS["check"][0])
            .select_related("product__subject").order_by("submitted_at", "pk"))


def dossiers_to_send(user) -> QuerySet:
    """The checked dossiers the officer may send to the province, with what the sending page shows."""
    return Dossier.objects.filter(receiving_q(user), status__in=DossierStatus.TRANSITIONS["send"][0]).select_related(
        "product__subject", "product__product_set", "product__commune", "cycle", "checked_by").order_by(
        "product__name", "pk")


def dossiers_to_send_in(dossiers: QuerySet, cycle: Cycle | None) -> QuerySet:
    return dossiers.filter(cycle=cycle) if cycle is not None else dossiers.none()


def dossier_lists_visible_to(user) -> QuerySet:
    """The lists of checked dossiers, for the officials of the list's unit: the provincial office sees its
    province's, a commune officer his commune's."""
    return DossierList.objects.filter(scope_q(user, "unit"))


def dossier_lists_received(*, user, cycle) -> QuerySet:
    """The cycle's lists the user may see, by the unit that sent them (then the latest first), with their dossiers
    (by product) and how many each holds."""
    dossiers = Dossier.objects.select_related("product__subject", "product__product_set").order_by("product__name")
    # By name, then by unit: two units of the same name (a commune and a former district) stay apart.
    return (dossier_lists_visible_to(user).filter(cycle=cycle).select_related("unit__parent", "sent_by")
            .annotate(dossier_count=Count("dossiers")).prefetch_related(Prefetch("dossiers", queryset=dossiers))
            .order_by("unit__name", "unit_id", "-sent_at"))


def documents_visible_to(user) -> QuerySet:
    return DossierDocument.objects.filter(dossier__in=dossiers_visible_to(user)).select_related(
        "dossier__product__commune", "dossier__product__subject")
