"""Writes on products (details, photos) and on business plans with their milestones and support (steps 3-4)."""
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.images import thumbnails_delete
from ocop.models import User
from ocop.services import audit_log, model_changes, model_snapshot
from ocop.uploads import EXTENSIONS, IMAGE_TYPES, stored_files_removed_on_failure, uploads_accepted

from ..enums import IdeaStatus, SupportKind
from ..models import BusinessPlan, PlanMilestone, Product, ProductIdea, ProductPhoto, SupportActivity

PLAN_DOCUMENT_TYPES = ("pdf", "docx")
MAX_PHOTOS_PER_UPLOAD = 20

# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------

PRODUCT_FIELDS = ["name", "description", "product_set_id", "commune_id", "has_traceability", "traceability_method"]


def _standards_names(product: Product) -> list[str]:
    return sorted(s.name for s in product.standards.all())


def product_update(*, product: Product, data: dict, standards=None, by: User | None) -> Product:
    """Change a product's details and the standards it holds.

    Side effects: saves; replaces the standards when given; writes an audit entry with what changed.
    """
    with transaction.atomic():
        # The stored values, not those of an instance a form has already changed, are the "before".
        product = Product.objects.select_for_update().get(pk=product.pk)
        before = model_snapshot(product, PRODUCT_FIELDS)
        before_standards = _standards_names(product)
        for name, value in data.items():
            setattr(product, name, value)
        if not product.has_traceability:
            product.traceability_method = ""
        product.full_clean()
        product.save()
        changes = model_changes(before, product, PRODUCT_FIELDS)
        if standards is not None:
            product.standards.set(standards)
            after_standards = _standards_names(product)
            if after_standards != before_standards:
                changes["standards"] = [", ".join(before_standards), ", ".join(after_standards)]
        if changes:
            audit_log(actor=by, obj=product, action=AuditAction.UPDATE, changes=changes)
    return product


def product_create_from_idea(*, idea: ProductIdea, by: User | None) -> Product:
    """Register the product of a selected idea that did not name an existing one, and link the idea to it.

    Side effects: creates the product (with the idea's standards); sets the idea's product; writes audit
    entries on both.
    """
    with transaction.atomic():
        idea = ProductIdea.objects.select_for_update(of=("self",)).select_related("subject", "commune", "cycle").get(
            pk=idea.pk)
        if idea.product_id:
            raise ValidationError(_("This idea is already linked to a product."))
        if idea.status not in IdeaStatus.PLANNABLE:
            raise ValidationError(_("Only a selected idea can become a product."))
        product = Product(subject=idea.subject, product_set_id=idea.product_set_id, name=idea.product_name,
                          commune=idea.commune, created_by=by if by is not None and by.is_authenticated else None)
        product.full_clean()
        product.save()
        product.standards.set(idea.standards.all())
        idea.product = product
        idea.save(update_fields=["product", "updated_at"])
        audit_log(actor=by, obj=product, action=AuditAction.CREATE,
                  message=_("From the product idea registered in %(year)s") % {"year": idea.cycle.year})
        audit_log(actor=by, obj=idea, action=AuditAction.UPDATE, changes={"product": [None, str(product)]})
    return product


def product_photos_add(*, product: Product, files: list, caption: str = "", by: User | None) -> list[ProductPhoto]:
    """Add photos (JPEG or PNG, checked by content). If one file is refused, none is stored.

    Side effects: stores the files privately; creates the photos; writes an audit entry.
    """
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    if len(files) > MAX_PHOTOS_PER_UPLOAD:
        raise ValidationError({
            "files": _("Send at most %(count)s files at a time.") % {"count": MAX_PHOTOS_PER_UPLOAD}})
    accepted = uploads_accepted(files, IMAGE_TYPES)
    photos = []
    with stored_files_removed_on_failure() as stored, transaction.atomic():
        for uploaded, file_type in accepted:
            photo = ProductPhoto(product=product, caption=caption)
            photos.append(photo)
            stored.append(photo.file)
            # Stored under the extension of its real type, which the download takes its type from.
            photo.file.save(f"photo.{EXTENSIONS[file_type]}", uploaded, save=False)
            photo.full_clean()
            photo.save()
        audit_log(actor=by, obj=product, action=AuditAction.UPDATE,
                  message=_("Added %(count)s photo(s)") % {"count": len(photos)})
    return photos


def product_photo_remove(*, photo: ProductPhoto, by: User | None) -> None:
    """Remove a photo. Side effects: deletes it and, once committed, its file and its thumbnail; writes an audit
    entry."""
    with transaction.atomic():
        product, label = photo.product, str(photo)
        storage, path = photo.file.storage, photo.file.name
        photo.delete()
        audit_log(actor=by, obj=product, action=AuditAction.UPDATE, message=_("Removed a photo"),
                  changes={"photos": [label, None]})
        transaction.on_commit(lambda: (storage.delete(path), thumbnails_delete(storage, path)))


# ---------------------------------------------------------------------------------------------
# Business plans
# ---------------------------------------------------------------------------------------------

PLAN_FIELDS = ["summary", "received_on", "document_name"]


def _check_received_on(received_on: datetime.date | None) -> None:
    if received_on and received_on > timezone.localdate():
        raise ValidationError({"received_on": _("This date is in the future.")})


def _plan_document_type(document) -> str:
    """The real type of a plan's document (PDF or DOCX); a refusal is reported beside the document."""
    [(_document, file_type)] = uploads_accepted([document], PLAN_DOCUMENT_TYPES, field="document")
    return file_type


def _attach_plan_document(plan: BusinessPlan, document, file_type: str) -> None:
    plan.document.save(f"plan.{EXTENSIONS[file_type]}", document, save=False)
    plan.document_name = document.name[:255]


def business_plan_create(*, idea: ProductIdea, summary: str = "", received_on: datetime.date | None = None,
                         document=None, by: User | None) -> BusinessPlan:
    """Record the business plan of a selected idea, with its document (PDF or DOCX) if given.

    Side effects: stores the document privately; creates the plan; writes an audit entry.
    """
    if idea.status not in IdeaStatus.PLANNABLE:
        raise ValidationError(_("Only a selected idea can have a business plan."))
    _check_received_on(received_on)
    file_type = _plan_document_type(document) if document is not None else None
    plan = BusinessPlan(idea=idea, summary=summary, received_on=received_on,
                        created_by=by if by is not None and by.is_authenticated else None)
    try:
        if BusinessPlan.objects.filter(idea=idea).exists():
            raise ValidationError(_("This idea already has a business plan."))
        with transaction.atomic():
            if document is not None:
                _attach_plan_document(plan, document, file_type)
            plan.full_clean(exclude=["created_by"])  # set by the service; may be empty for imports
            plan.save()
            audit_log(actor=by, obj=plan, action=AuditAction.CREATE)
    except Exception as exc:
        if plan.document.name:
            plan.document.storage.delete(plan.document.name)
        if isinstance(exc, IntegrityError):  # another plan was recorded for the idea at the same moment
            raise ValidationError(_("This idea already has a business plan.")) from exc
        raise
    return plan


def business_plan_update(*, plan: BusinessPlan, summary: str, received_on: datetime.date | None, document=None,
                         by: User | None) -> BusinessPlan:
    """Change the plan's summary, received date or document (a new document replaces the old one).

    Side effects: saves; stores the new document and deletes the old one on commit; writes an audit entry.
    """
    _check_received_on(received_on)
    file_type = _plan_document_type(document) if document is not None else None
    old_storage, old_path = plan.document.storage, plan.document.name
    new_written = False
    try:
        with transaction.atomic():
            before = model_snapshot(plan, PLAN_FIELDS)
            plan.summary, plan.received_on = summary, received_on
            if document is not None:
                _attach_plan_document(plan, document, file_type)
                new_written = True
            plan.full_clean(exclude=["created_by"])  # set by the service; may be empty for imports
            plan.save()
            changes = model_changes(before, plan, PLAN_FIELDS)
            if changes:
                audit_log(actor=by, obj=plan, action=AuditAction.UPDATE, changes=changes)
            if new_written and old_path:
                transaction.on_commit(lambda: old_storage.delete(old_path))
    except Exception:
        if new_written and plan.document.name and plan.document.name != old_path:
            plan.document.storage.delete(plan.document.name)
        raise
    return plan


MILESTONE_FIELDS = ["title", "due_on", "done_on"]


def plan_milestone_save(*, plan: BusinessPlan, milestone: PlanMilestone | None = None, title: str,
                        due_on: datetime.date | None, done_on: datetime.date | None, by: User | None) -> PlanMilestone:
    """Add a milestone to the plan, or change one. Side effects: saves; writes an audit entry on the plan."""
    with transaction.atomic():
        is_new = milestone is None
        milestone = PlanMilestone(plan=plan) if is_new else PlanMilestone.objects.select_for_update().get(
            pk=milestone.pk)
        if milestone.plan_id != plan.pk:
            raise ValidationError(_("This milestone belongs to another plan."))
        before = model_snapshot(milestone, MILESTONE_FIELDS)
        milestone.title, milestone.due_on, milestone.done_on = title, due_on, done_on
        milestone.full_clean()
        milestone.save()
        changes = model_changes(before, milestone, MILESTONE_FIELDS)
        if is_new:
            audit_log(actor=by, obj=plan, action=AuditAction.UPDATE,
                      message=_("Milestone added: %(title)s") % {"title": title})
        elif changes:
            audit_log(actor=by, obj=plan, action=AuditAction.UPDATE,
                      message=_("Milestone changed: %(title)s") % {"title": title}, changes=changes)
    return milestone


def plan_milestone_remove(*, milestone: PlanMilestone, by: User | None) -> None:
    """Remove a milestone. Side effects: deletes it; writes an audit entry on the plan."""
    with transaction.atomic():
        plan, title = milestone.plan, milestone.title
        milestone.delete()
        audit_log(actor=by, obj=plan, action=AuditAction.DELETE,
                  message=_("Milestone removed: %(title)s") % {"title": title})


SUPPORT_FIELDS = ["kind", "description", "provider", "starts_on", "ends_on"]


def support_activity_save(*, plan: BusinessPlan, activity: SupportActivity | None = None, kind: str,
                          description: str, provider: str = "", starts_on: datetime.date | None = None,
                          ends_on: datetime.date | None = None, by: User | None) -> SupportActivity:
    """Record support the subject received while carrying out the plan, or change such a record.

    Side effects: saves; writes an audit entry on the plan.
    """
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    with transaction.atomic():
        is_new = activity is None
        activity = SupportActivity(plan=plan) if is_new else SupportActivity.objects.select_for_update().get(
            pk=activity.pk)
        if activity.plan_id != plan.pk:
            raise ValidationError(_("This support record belongs to another plan."))
        before = model_snapshot(activity, SUPPORT_FIELDS)
        activity.kind, activity.description, activity.provider = kind, description, provider
        activity.starts_on, activity.ends_on = starts_on, ends_on
        activity.full_clean()
        activity.save()
        changes = model_changes(before, activity, SUPPORT_FIELDS)
        label = SupportKind(kind).label
        if is_new:
            audit_log(actor=by, obj=plan, action=AuditAction.UPDATE,
                      message=_("Support added: %(kind)s – %(description)s") % {
                          "kind": label, "description": description})
        elif changes:
            audit_log(actor=by, obj=plan, action=AuditAction.UPDATE, changes=changes,
                      message=_("Support changed: %(kind)s – %(description)s") % {
                          "kind": label, "description": description})
    return activity


def support_activity_remove(*, activity: SupportActivity, by: User | None) -> None:
    """Remove a support record. Side effects: deletes it; writes an audit entry on the plan."""
    with transaction.atomic():
        plan, description = activity.plan, activity.description
        activity.delete()
        audit_log(actor=by, obj=plan, action=AuditAction.DELETE,
                  message=_("Support removed: %(description)s") % {"description": description})
