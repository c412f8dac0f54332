"""Writes on product ideas (step 2 of the cycle): registration, attachments, screening, lists sent to the province.

The life of an idea:

    draft ──submit──▶ submitted ──select──▶ selected ──send──▶ sent
      ▲                 │   │
      │                 │   └──reject──▶ rejected
    returned ◀─return───┘
      └──────submit (next round)──▶ submitted

Every write runs in one transaction, calls `full_clean()` and leaves an audit entry on the idea; the
transitions write `AuditAction.TRANSITION` with the reason or what happened as the message and the
status change in `changes["status"]`, which is what the idea's history numbers its rounds by.
"""
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.enums import AuditAction, UnitLevel
from ocop.models import AuditEntry, User
from ocop.rules import is_local_officer, is_province_staff, is_system_admin
from ocop.selectors import audit_trail_for
from ocop.services import audit_log, model_changes, model_snapshot
from ocop.uploads import DOCUMENT_TYPES, validate_upload
from subjects.models import Subject
from subjects.services import subject_create

from ..enums import IdeaStatus
from ..models import IdeaAttachment, IdeaList, Product, ProductIdea
from ..rules import screens_commune

EDITABLE_STATUSES = (IdeaStatus.DRAFT, IdeaStatus.RETURNED)

# The fields of the registration form, in the order the history lists their changes.
IDEA_FIELDS = [
    "cycle", "subject", "product", "product_name", "product_set", "commune",
    "raw_material_source", "local_material_share", "market", "market_notes", "support_needed", "expected_star",
]
NEW_SUBJECT_FIELDS = ["name", "kind", "tax_code", "legal_representative"]
NEW_SUBJECT_PREFIX = "new_subject_"


class IdeaIncomplete(ValidationError):
    """The registration form lacks items it needs before it can be submitted.

    Its messages are keyed by form field; `missing` maps each field to the missing item's name.
    """

    def __init__(self, missing: dict[str, str]):
        super().__init__({field: _("Missing: %(item)s.") % {"item": item} for field, item in missing.items()},
                         code="incomplete")
        self.missing = missing


class IdeaAttachmentsRefused(ValidationError):
    """Some files were refused, but the idea (and the files that passed) were saved.

    Raised after the transaction committed, so that a form keeps its draft and shows each refused
    file's message beside the file field. `idea` is the saved idea.
    """

    def __init__(self, messages: list[str], *, idea: ProductIdea):
        super().__init__({"attachments": messages})
        self.idea = idea


# ---------------------------------------------------------------------------------------------
# Reads the screening pages share
# ---------------------------------------------------------------------------------------------


def screening_q(user, field: str = "commune") -> Q:
    """A filter keeping the ideas whose commune `user` screens (the query form of `screens_commune`).

    A district officer screens the communes of his district; under the two-tier rules (communes
    directly under their province) the provincial office screens them; an administrator screens all.
    """
    if is_system_admin(user):
        return Q()
    if (is_local_officer(user) and user.unit.level == UnitLevel.DISTRICT) or is_province_staff(user):
        return Q(**{f"{field}__parent_id": user.unit_id})
    return Q(pk__in=[])


def ideas_screened_by(user) -> QuerySet:
    return ProductIdea.objects.filter(screening_q(user))


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------


def _check_idea(idea: ProductIdea) -> None:
    """The rules a registration form obeys whatever its status (besides the model's own)."""
    errors = {}
    commune = idea.commune if idea.commune_id else None
    if commune is not None and commune.level != UnitLevel.COMMUNE:
        errors["commune"] = _("Choose a commune, ward or township.")
    elif commune is not None and idea.cycle_id and not commune.path.startswith(idea.cycle.province.path):
        errors["commune"] = _("The commune must lie in the province of the cycle (%(province)s).") % {
            "province": idea.cycle.province.name}
    if idea.product_id and idea.subject_id and idea.product.subject_id != idea.subject_id:
        errors["product"] = _("This product belongs to another subject.")
    if errors:
        raise ValidationError(errors)


def _create_subject(fields: dict, *, commune, by: User | None) -> Subject:
    """The subject registered inline on the form; its errors are reported beside the form's fields."""
    data = {name: fields.get(name, "") for name in NEW_SUBJECT_FIELDS}
    data["commune"] = commune
    try:
        return subject_create(data=data, by=by)
    except ValidationError as exc:
        raise ValidationError({
            (key if key in ("commune", "__all__") else NEW_SUBJECT_PREFIX + key): messages
            for key, messages in exc.message_dict.items()
        }) from exc


def _apply(idea: ProductIdea, data: dict, *, by: User | None) -> list:
    """Copy the form's values onto the idea; returns the standards to set once it is saved."""
    for name in IDEA_FIELDS:
        if name in data:
            setattr(idea, name, data[name])
    new_subject = data.get("new_subject")
    if new_subject:
        idea.subject = _create_subject(new_subject, commune=data.get("commune") or idea.commune, by=by)
    for name in ("raw_material_source", "market", "market_notes", "support_needed"):
        if getattr(idea, name) is None:
            setattr(idea, name, "")
    return list(data["standards"]) if "standards" in data else None


def _validated_files(attachments: Iterable) -> tuple[list, list[str]]:
    good, refused = [], []
    for uploaded in attachments or ():
        try:
            good.append((uploaded, validate_upload(uploaded, DOCUMENT_TYPES)))
        except ValidationError as exc:
            refused.extend(exc.messages)
    return good, refused


def _store_file(idea: ProductIdea, uploaded, kind: str, *, by: User | None) -> IdeaAttachment:
    attachment = IdeaAttachment(
        idea=idea, file=uploaded, original_name=(uploaded.name or "")[:255], file_type=kind, size=uploaded.size,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    attachment.full_clean()
    attachment.save()
    audit_log(actor=by, obj=idea, action=AuditAction.UPDATE,
              message=_("File attached: %(name)s") % {"name": attachment.original_name})
    return attachment


def idea_create(*, data: dict, attachments: Iterable = (), by: User | None) -> ProductIdea:
    """Register a product idea as a draft.

    `data` holds the form's values by field name (cycle, subject, product, product_name, product_set,
    commune, raw_material_source, local_material_share, market, market_notes, standards, support_needed,
    expected_star) and, to register the subject at the same time, `new_subject` = {name, kind, tax_code,
    legal_representative} (the subject is placed in the idea's commune).
    Side effects: creates the subject when asked (audited by `subject_create`), the idea with its
    standards and its valid attachments; writes an audit entry for the idea and one per file.
    Raises ValidationError (nothing saved) when a value breaks a rule, and IdeaAttachmentsRefused
    (after saving the idea and the good files) when some files are refused.
    """
    good, refused = _validated_files(attachments)
    with transaction.atomic():
        idea = ProductIdea(status=IdeaStatus.DRAFT, created_by=by if by is not None and by.is_authenticated else None)
        standards = _apply(idea, data, by=by)
        idea.full_clean()
        _check_idea(idea)
        idea.save()
        if standards:
            idea.standards.set(standards)
        audit_log(actor=by, obj=idea, action=AuditAction.CREATE, message=_("Registration form entered as a draft"))
        for uploaded, kind in good:
            _store_file(idea, uploaded, kind, by=by)
    if refused:
        raise IdeaAttachmentsRefused(refused, idea=idea)
    return idea


def _conflict_error(idea: ProductIdea, version: int) -> ValidationError:
    last = audit_trail_for(idea).exclude(action=AuditAction.CREATE).first()
    if last is not None:
        message = _(
            "%(who)s saved this idea at %(time)s, after you opened it. Your changes were not saved, so as not "
            "to overwrite theirs: open the idea again to see the current version, then make your changes."
        ) % {"who": last.actor or _("Somebody"), "time": timezone.localtime(last.at).strftime("%H:%M %d/%m/%Y")}
    else:
        message = _(
            "Somebody else saved this idea after you opened it. Your changes were not saved, so as not to "
            "overwrite theirs: open the idea again to see the current version, then make your changes.")
    return ValidationError(message, code="conflict", params={"version": version})


def idea_update(*, idea: ProductIdea, data: dict, version: int, attachments: Iterable = (),
                by: User | None) -> ProductIdea:
    """Save changes to a draft or returned idea, unless somebody saved it since `version` was read.

    Side effects: saves the idea (its version goes up by one) and its standards, creates the subject
    when `data["new_subject"]` asks for it, stores the valid attachments; writes an audit entry with the
    changed values and one per file.
    Raises ValidationError with code "conflict" (nothing saved) when `version` is not the stored one,
    ValidationError when the idea is no longer editable or a value breaks a rule, and
    IdeaAttachmentsRefused (after saving) when some files are refused.
    """
    good, refused = _validated_files(attachments)
    with transaction.atomic():
        idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
        if int(version) != idea.version:
            raise _conflict_error(idea, version)
        if idea.status not in EDITABLE_STATUSES:
            raise ValidationError(_("An idea that is “%(status)s” can no longer be changed.") % {
                "status": idea.get_status_display()}, code="not_editable")
        before = model_snapshot(idea, IDEA_FIELDS)
        before_standards = sorted(idea.standards.values_list("name", flat=True))
        standards = _apply(idea, data, by=by)
        idea.full_clean()
        _check_idea(idea)
        idea.version += 1
        idea.save()
        changes = model_changes(before, idea, IDEA_FIELDS)
        if standards is not None:
            idea.standards.set(standards)
            after_standards = sorted(s.name for s in standards)
            if after_standards != before_standards:
                changes["standards"] = [", ".join(before_standards), ", ".join(after_standards)]
        if changes:
            audit_log(actor=by, obj=idea, action=AuditAction.UPDATE, changes=changes)
        for uploaded, kind in good:
            _store_file(idea, uploaded, kind, by=by)
    if refused:
        raise IdeaAttachmentsRefused(refused, idea=idea)
    return idea


def idea_attachment_add(*, idea: ProductIdea, uploaded, by: User | None) -> IdeaAttachment:
    """Attach a photo or document (PDF, JPEG, PNG, DOCX, XLSX; its content decides, not its name).

    Side effects: stores the file under an unguessable name, keeps its original name, type and size;
    writes an audit entry on the idea. Raises ValidationError (nothing stored) for a refused file or an
    idea that can no longer be changed.
    """
    kind = validate_upload(uploaded, DOCUMENT_TYPES)
    with transaction.atomic():
        idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
        if idea.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Files can only be added to a draft or a returned idea."), code="not_editable")
        return _store_file(idea, uploaded, kind, by=by)


def idea_attachment_remove(*, attachment: IdeaAttachment, by: User | None) -> None:
    """Remove an attachment from a draft or returned idea.

    Side effects: deletes the record, and the stored file once the transaction commits; writes an
    audit entry on the idea.
    """
    idea = attachment.idea
    with transaction.atomic():
        idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
        if idea.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Files can only be removed from a draft or a returned idea."),
                                  code="not_editable")
        storage, name = attachment.file.storage, attachment.file.name
        original_name = attachment.original_name
        attachment.delete()
        audit_log(actor=by, obj=idea, action=AuditAction.UPDATE,
                  message=_("File removed: %(name)s") % {"name": original_name})
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------------------------

_ACTIONS = {
    "submit": gettext_lazy("submitted"),
    "select": gettext_lazy("selected"),
    "return": gettext_lazy("returned"),
    "reject": gettext_lazy("rejected"),
    "send": gettext_lazy("sent to the province"),
}


def _lock(idea: ProductIdea, allowed: tuple, action: str) -> str:
    """Re-read the idea under a row lock and refuse a transition its status does not allow."""
    idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
    if idea.status not in allowed:
        raise ValidationError(
            _("An idea that is “%(status)s” cannot be %(action)s.") % {
                "status": idea.get_status_display(), "action": _ACTIONS[action]},
            code="illegal_transition",
        )
    return idea.status


def _transition(idea: ProductIdea, old: str, *, by: User | None, message: str) -> None:
    idea.version += 1
    idea.full_clean()
    idea.save()
    audit_log(actor=by, obj=idea, action=AuditAction.TRANSITION, message=message,
              changes={"status": [old, idea.status]})


def _require_screener(idea: ProductIdea, by: User | None) -> None:
    if by is None or not screens_commune(by, idea.commune):
        raise PermissionDenied(_("Only the screener of this commune's ideas can do that."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the subject will read it.")}, code="required")
    return reason


def idea_missing_items(idea: ProductIdea) -> dict[str, str]:
    """What the registration form still lacks before it can be submitted, by form field."""
    missing = {}
    if not idea.subject_id:
        missing["subject"] = _("the subject")
    if not (idea.product_name or "").strip():
        missing["product_name"] = _("the product name")
    if not idea.product_set_id:
        missing["product_set"] = _("the product set")
    if not idea.commune_id:
        missing["commune"] = _("the commune")
    if not (idea.raw_material_source or "").strip():
        missing["raw_material_source"] = _("the raw-material source")
    if idea.local_material_share is None:
        missing["local_material_share"] = _("the share of raw material from the locality")
    if not idea.market:
        missing["market"] = _("the main market")
    if not idea.expected_star:
        missing["expected_star"] = _("the expected star")
    if not idea.attachments.exists():
        missing["attachments"] = _("at least one photo or document")
    return missing


def idea_submit(*, idea: ProductIdea, by: User | None) -> ProductIdea:
    """Send a draft (or a returned idea, for its next round) to the screener.

    Side effects: status → submitted, submitted_at set, the previous reason cleared (the history keeps
    it), version + 1; writes a transition entry naming the round. Raises IdeaIncomplete (a
    ValidationError) listing every missing item, by form field, when the form is not complete.
    """
    with transaction.atomic():
        old = _lock(idea, EDITABLE_STATUSES, "submit")
        missing = idea_missing_items(idea)
        if missing:
            raise IdeaIncomplete(missing)
        rounds = AuditEntry.objects.filter(
            content_type__app_label="products", content_type__model="productidea", object_id=idea.pk,
            action=AuditAction.TRANSITION, changes__status__1=IdeaStatus.SUBMITTED,
        ).count() + 1
        idea.status = IdeaStatus.SUBMITTED
        idea.submitted_at = timezone.now()
        idea.status_reason = ""
        message = (_("Submitted for screening") if rounds == 1
                   else _("Submitted again after completing it (round %(round)s)") % {"round": rounds})
        _transition(idea, old, by=by, message=message)
    return idea


def idea_select(*, idea: ProductIdea, by: User) -> ProductIdea:
    """Select a submitted idea for the list sent to the province.

    Side effects: status → selected, screened_at/by set, version + 1; for a new product, creates the
    Product (subject, set, name, commune and standards of the idea; audited) and links it to the idea;
    writes a transition entry. Raises PermissionDenied unless `by` screens the idea's commune.
    """
    _require_screener(idea, by)
    with transaction.atomic():
        old = _lock(idea, (IdeaStatus.SUBMITTED,), "select")
        if idea.product_id is None:
            product = Product(subject=idea.subject, product_set=idea.product_set, name=idea.product_name,
                              commune=idea.commune, created_by=by)
            product.full_clean()
            product.save()
            product.standards.set(idea.standards.all())
            audit_log(actor=by, obj=product, action=AuditAction.CREATE,
                      message=_("Created when its idea was selected"))
            idea.product = product
        idea.status = IdeaStatus.SELECTED
        idea.status_reason = ""
        idea.screened_at, idea.screened_by = timezone.now(), by
        _transition(idea, old, by=by, message=_("Selected"))
    return idea


def idea_return(*, idea: ProductIdea, reason: str, by: User) -> ProductIdea:
    """Return a submitted idea to be completed; it can be edited and submitted again.

    Side effects: status → returned with the reason, screened_at/by set, version + 1; writes a
    transition entry whose message is the reason. Raises ValidationError without a reason,
    PermissionDenied unless `by` screens the idea's commune.
    """
    reason = _reason(reason)
    _require_screener(idea, by)
    with transaction.atomic():
        old = _lock(idea, (IdeaStatus.SUBMITTED,), "return")
        idea.status, idea.status_reason = IdeaStatus.RETURNED, reason
        idea.screened_at, idea.screened_by = timezone.now(), by
        _transition(idea, old, by=by, message=_("Returned for more information: %(reason)s") % {"reason": reason})
    return idea


def idea_reject(*, idea: ProductIdea, reason: str, by: User) -> ProductIdea:
    """Reject a submitted idea with the reason (final for this cycle).

    Side effects: status → rejected with the reason, screened_at/by set, version + 1; writes a
    transition entry whose message is the reason. Raises ValidationError without a reason,
    PermissionDenied unless `by` screens the idea's commune.
    """
    reason = _reason(reason)
    _require_screener(idea, by)
    with transaction.atomic():
        old = _lock(idea, (IdeaStatus.SUBMITTED,), "reject")
        idea.status, idea.status_reason = IdeaStatus.REJECTED, reason
        idea.screened_at, idea.screened_by = timezone.now(), by
        _transition(idea, old, by=by, message=_("Rejected: %(reason)s") % {"reason": reason})
    return idea


def ideas_send(*, ideas: Iterable[ProductIdea], by: User, note: str = "") -> IdeaList:
    """Send the selected ideas of the screener's area, all of one cycle, to the province as one list.

    Side effects: creates the IdeaList (cycle, the screening unit, sender, note; audited); each idea
    gets status sent, the list and version + 1, with a transition entry. Raises ValidationError (nothing
    sent) when no idea is given, an idea is not selected (e.g. already sent by a double click), the ideas
    belong to several cycles or areas, or `by` does not screen one of them.
    """
    pks = sorted({idea.pk for idea in ideas})
    if not pks:
        raise ValidationError({"ideas": _("Tick at least one selected idea.")}, code="empty")
    with transaction.atomic():
        locked = list(ProductIdea.objects.select_for_update(of=("self",)).filter(pk__in=pks)
                      .select_related("commune__parent", "cycle").order_by("pk"))
        problems = []
        if len(locked) != len(pks):
            problems.append(_("Some of the ideas no longer exist."))
        for idea in locked:
            if idea.status != IdeaStatus.SELECTED:
                problems.append(_("“%(idea)s” is “%(status)s”; only selected ideas can be sent.") % {
                    "idea": idea.product_name, "status": idea.get_status_display()})
            elif not screens_commune(by, idea.commune):
                problems.append(_("“%(idea)s” is not in your area.") % {"idea": idea.product_name})
        if len({idea.cycle_id for idea in locked}) > 1:
            problems.append(_("A list holds the ideas of one cycle: send each cycle's ideas separately."))
        if len({idea.commune.parent_id for idea in locked}) > 1:
            problems.append(_("A list holds the ideas of one district: send each district's ideas separately."))
        if problems:
            raise ValidationError({"ideas": problems}, code="not_sendable")
        first = locked[0]
        idea_list = IdeaList(cycle=first.cycle, unit=first.commune.parent, sent_by=by, note=(note or "").strip())
        idea_list.full_clean()
        idea_list.save()
        audit_log(actor=by, obj=idea_list, action=AuditAction.CREATE,
                  message=_("%(count)s ideas sent to the province") % {"count": len(locked)})
        for idea in locked:
            old = idea.status
            idea.status, idea.sent_list = IdeaStatus.SENT, idea_list
            _transition(idea, old, by=by, message=_("Sent to the province in the list of %(unit)s") % {
                "unit": idea_list.unit.name})
    return idea_list
