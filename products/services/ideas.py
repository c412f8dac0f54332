"""Writes on product ideas (step 2 of the cycle): registration, attachments, screening, lists sent to the province.

The life of an idea:

    draft ──submit──▶ submitted ──select──▶ selected ──send──▶ sent
      ▲                 │   │
      │                 │   └──reject──▶ rejected
    returned ◀─return───┘
      └──────submit (next round)──▶ submitted

The table of these moves is IdeaStatus.TRANSITIONS (products/enums.py); the services refuse any other.
Registering an idea (`idea_register`) saves the whole form and, when asked, submits it in the same
transaction; the files it refuses come back in its result, beside the saved idea.

Every write runs in one transaction, calls `full_clean()` and leaves an audit entry on the idea; the
transitions write `AuditAction.TRANSITION` with the reason or what happened as the message and the
status change in `changes["status"]`, which is what the idea's history numbers its rounds by.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.enums import AuditAction, UnitLevel
from ocop.models import AdministrativeUnit, AuditEntry, Cycle, User
from ocop.selectors import audit_trail_for
from ocop.services import audit_log, model_changes, model_snapshot, unit_ended_message
from ocop.uploads import DOCUMENT_TYPES, uploads_validate, validate_upload
from subjects.models import Subject
from subjects.services import subject_create

from ..enums import IdeaStatus
from ..models import IdeaAttachment, IdeaList, Product, ProductIdea, ProductSet, Standard
from ..rules import screens_commune

# The values of the registration form, in the order the history lists their changes.
IDEA_FIELDS = [
    "cycle", "subject", "product", "product_name", "product_set", "commune",
    "raw_material_source", "local_material_share", "market", "market_notes", "support_needed", "expected_star",
]

# The subject registered with the idea: `subject_create`'s field for each argument of `idea_register`, so that
# a refusal names the argument it concerns.
NEW_SUBJECT_ARGUMENTS = {
    "new_subject_name": "name", "new_subject_kind": "kind", "new_subject_tax_code": "tax_code",
    "new_subject_legal_representative": "legal_representative",
}


class IdeaIncomplete(ValidationError):
    """The registration form lacks items it needs before it can be submitted.

    Its messages are keyed by the value that is missing (the names of `idea_register`'s arguments);
    `missing` maps each to the missing item's name.
    """

    def __init__(self, missing: dict[str, str]):
        super().__init__({name: _("Missing: %(item)s.") % {"item": item} for name, item in missing.items()},
                         code="incomplete")
        self.missing = missing


@dataclass(frozen=True)
class IdeaRegistration:
    """What `idea_register` saved: the idea, whether it was created and submitted, the messages of the files
    it refused (the other files are stored) and, when submitting was asked but the form is not complete yet,
    what it lacks (as `idea_missing_items`)."""

    idea: ProductIdea
    created: bool
    submitted: bool = False
    refused_files: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------


def _check_idea(idea: ProductIdea, *, commune_chosen: bool) -> None:
    """The rules a registration form obeys whatever its status (besides the model's own). A commune just chosen
    (`commune_chosen`: a new form, another commune or another cycle) must exist on one of the idea's days (its
    cycle's `record_span`): an idea of 2026 names the commune Văn Lang was merged into; an idea keeps the commune it was
    registered in."""
    errors = {}
    commune = idea.commune if idea.commune_id else None
    ended = (unit_ended_message(commune, on=idea.cycle.record_day(), until=idea.cycle.record_span()[1])
             if commune is not None and commune_chosen and idea.cycle_id else None)
    if commune is not None and commune.level != UnitLevel.COMMUNE:
        errors["commune"] = _("Choose a commune, ward or township.")
    elif ended:
        errors["commune"] = ended
    elif commune is not None and idea.cycle_id and not commune.path.startswith(idea.cycle.province.path):
        errors["commune"] = _("The commune must lie in the province of the cycle (%(province)s).") % {
            "province": idea.cycle.province.name}
    if idea.product_id and idea.subject_id and idea.product.subject_id != idea.subject_id:
        errors["product"] = _("This product belongs to another subject.")
    if errors:
        raise ValidationError(errors)


def _create_subject(values: dict[str, str], *, commune, by: User | None) -> Subject:
    """The subject registered with the idea, in the idea's commune; a refusal names the argument it concerns."""
    data = {NEW_SUBJECT_ARGUMENTS[argument]: value for argument, value in values.items()}
    data["commune"] = commune
    try:
        return subject_create(data=data, by=by)
    except ValidationError as exc:
        arguments = {name: argument for argument, name in NEW_SUBJECT_ARGUMENTS.items()}
        raise ValidationError({arguments.get(key, key): messages
                               for key, messages in exc.message_dict.items()}) from exc


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


def idea_register(
    *, idea: ProductIdea | None = None, version: int | None = None,
    cycle: Cycle | None, subject: Subject | None, product_name: str, product_set: ProductSet | None,
    commune: AdministrativeUnit | None, product: Product | None = None, raw_material_source: str = "",
    local_material_share: int | None = None, market: str = "", market_notes: str = "",
    standards: Iterable[Standard] = (), support_needed: str = "", expected_star: int | None = None,
    new_subject_name: str = "", new_subject_kind: str = "", new_subject_tax_code: str = "",
    new_subject_legal_representative: str = "", attachments: Iterable = (), submit: bool, by: User | None,
) -> IdeaRegistration:
    """Save a registration form: a new draft, or the whole form of a draft or returned `idea` read at `version`;
    with `submit`, send it to the screener too when it is complete.

    Without `subject`, the `new_subject_*` values register the subject at the same time, in the idea's commune.
    Every attachment is checked by its content; a refused one is reported, not stored, and keeps the idea
    from being submitted this time.
    Side effects, in one transaction: creates the subject when asked (audited by `subject_create`); creates
    the idea (a draft, audited) or saves it (version + 1, an audit entry with the changed values); sets its
    standards; stores the valid attachments (an audit entry each); when submitting, as `idea_submit`.
    Returns an IdeaRegistration. Raises ValidationError, saving nothing, when a value breaks a rule (keyed by
    the argument it concerns; a commune chosen that no longer exists on the idea's day names its successor),
    with code "conflict" when somebody saved the idea since `version`, and when the idea can no longer be
    changed.
    """
    good, refused = uploads_validate(attachments, DOCUMENT_TYPES)
    created = idea is None
    with transaction.atomic():
        if created:
            idea = ProductIdea(status=IdeaStatus.DRAFT,
                               created_by=by if by is not None and by.is_authenticated else None)
        else:
            idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
            if int(version or 0) != idea.version:
                raise _conflict_error(idea, version)
            if idea.status not in IdeaStatus.EDITABLE:
                raise ValidationError(_("An idea that is “%(status)s” can no longer be changed.") % {
                    "status": idea.get_status_display()}, code="not_editable")
            before = model_snapshot(idea, IDEA_FIELDS)
            before_standards = sorted(idea.standards.values_list("name", flat=True))
        idea.cycle, idea.subject, idea.product, idea.product_name = cycle, subject, product, product_name
        idea.product_set, idea.commune = product_set, commune
        idea.raw_material_source, idea.local_material_share = raw_material_source or "", local_material_share
        idea.market, idea.market_notes = market or "", market_notes or ""
        idea.support_needed, idea.expected_star = support_needed or "", expected_star
        new_subject = {"new_subject_name": new_subject_name, "new_subject_kind": new_subject_kind,
                       "new_subject_tax_code": new_subject_tax_code,
                       "new_subject_legal_representative": new_subject_legal_representative}
        if subject is None and any(new_subject.values()):
            idea.subject = _create_subject(new_subject, commune=commune, by=by)
        idea.full_clean()
        # Moved to another commune or another cycle: the commune must exist on the new day.
        _check_idea(idea, commune_chosen=created or idea.commune_id != getattr(before["commune"], "pk", None)
                    or idea.cycle_id != getattr(before["cycle"], "pk", None))
        standards = list(standards or ())
        if created:
            idea.save()
            idea.standards.set(standards)
            audit_log(actor=by, obj=idea, action=AuditAction.CREATE,
                      message=_("Registration form entered as a draft"))
        else:
            idea.version += 1
            idea.save()
            idea.standards.set(standards)
            changes = model_changes(before, idea, IDEA_FIELDS)
            after_standards = sorted(s.name for s in standards)
            if after_standards != before_standards:
                changes["standards"] = [", ".join(before_standards), ", ".join(after_standards)]
            if changes:
                audit_log(actor=by, obj=idea, action=AuditAction.UPDATE, changes=changes)
        for uploaded, kind in good:
            _store_file(idea, uploaded, kind, by=by)
        missing = idea_missing_items(idea) if submit and not refused else {}
        submitted = submit and not refused and not missing
        if submitted:
            _submit(idea, by=by)
    return IdeaRegistration(idea=idea, created=created, submitted=submitted, refused_files=refused,
                            missing=missing)


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


def idea_attachment_add(*, idea: ProductIdea, uploaded, by: User | None) -> IdeaAttachment:
    """Attach a photo or document (PDF, JPEG, PNG, DOCX, XLSX; its content decides, not its name).

    Side effects: stores the file under an unguessable name, keeps its original name, type and size;
    writes an audit entry on the idea. Raises ValidationError (nothing stored) for a refused file or an
    idea that can no longer be changed.
    """
    kind = validate_upload(uploaded, DOCUMENT_TYPES)
    with transaction.atomic():
        idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
        if idea.status not in IdeaStatus.EDITABLE:
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
        if idea.status not in IdeaStatus.EDITABLE:
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

# The refusal of a move IdeaStatus.TRANSITIONS does not allow names the action.
_ACTIONS = {
    "submit": gettext_lazy("submitted"),
    "select": gettext_lazy("selected"),
    "return": gettext_lazy("returned"),
    "reject": gettext_lazy("rejected"),
    "send": gettext_lazy("sent to the province"),
}


def _lock(idea: ProductIdea, action: str) -> None:
    """Re-read the idea under a row lock and refuse a move IdeaStatus.TRANSITIONS does not allow from its status."""
    idea.refresh_from_db(from_queryset=ProductIdea.objects.select_for_update())
    if idea.status not in IdeaStatus.TRANSITIONS[action][0]:
        raise ValidationError(
            _("An idea that is “%(status)s” cannot be %(action)s.") % {
                "status": idea.get_status_display(), "action": _ACTIONS[action]},
            code="illegal_transition",
        )


def _move(idea: ProductIdea, action: str, *, by: User | None, message: str) -> None:
    """Move the idea to the status the action leads to: version + 1, saved, a transition entry in its history."""
    old, idea.status = idea.status, IdeaStatus.TRANSITIONS[action][1]
    idea.version += 1
    idea.full_clean()
    idea.save()
    audit_log(actor=by, obj=idea, action=AuditAction.TRANSITION, message=message,
              changes={"status": [old, idea.status]})


def _require_screener(idea: ProductIdea, by: User | None) -> None:
    if by is None or not screens_commune(by, idea):
        raise PermissionDenied(_("Only the screener of this commune's ideas can do that."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the subject will read it.")}, code="required")
    return reason


def idea_missing_items(idea: ProductIdea) -> dict[str, str]:
    """What the registration form still lacks before it can be submitted, by the name of the value."""
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


def _submit(idea: ProductIdea, *, by: User | None) -> None:
    """Submit a complete idea already locked and allowed: see `idea_submit`."""
    rounds = AuditEntry.objects.filter(
        content_type__app_label="products", content_type__model="productidea", object_id=idea.pk,
        action=AuditAction.TRANSITION, changes__status__1=IdeaStatus.SUBMITTED,
    ).count() + 1
    idea.submitted_at = timezone.now()
    idea.procedure_on = idea.cycle.procedure_day(timezone.localdate(idea.submitted_at))
    idea.status_reason = ""
    message = (_("Submitted for screening") if rounds == 1
               else _("Submitted again after completing it (round %(round)s)") % {"round": rounds})
    _move(idea, "submit", by=by, message=message)


def idea_submit(*, idea: ProductIdea, by: User | None) -> ProductIdea:
    """Send a draft (or a returned idea, for its next round) to the screener.

    Side effects: status → submitted, submitted_at set, the previous reason cleared (the history keeps
    it), version + 1; writes a transition entry naming the round. Raises IdeaIncomplete (a
    ValidationError) listing every missing item when the form is not complete.
    """
    with transaction.atomic():
        _lock(idea, "submit")
        missing = idea_missing_items(idea)
        if missing:
            raise IdeaIncomplete(missing)
        _submit(idea, by=by)
    return idea


def _screen(idea: ProductIdea, action: str, *, by: User, reason: str = "", message: str,
            before_move: Callable[[ProductIdea], None] | None = None) -> ProductIdea:
    """The screener's select, return or reject (IdeaStatus.SCREENING): under the idea's lock, checked against
    IdeaStatus.TRANSITIONS, `before_move` run, then the reason, who screened it and when, and the move."""
    _require_screener(idea, by)
    with transaction.atomic():
        _lock(idea, action)
        if before_move is not None:
            before_move(idea)
        idea.status_reason = reason
        idea.screened_at, idea.screened_by = timezone.now(), by
        _move(idea, action, by=by, message=message)
    return idea


def _product_from_idea(idea: ProductIdea, *, by: User) -> None:
    """A selected idea of a new product registers the product (audited) and is linked to it."""
    if idea.product_id is not None:
        return
    product = Product(subject=idea.subject, product_set=idea.product_set, name=idea.product_name,
                      commune=idea.commune, created_by=by)
    product.full_clean()
    product.save()
    product.standards.set(idea.standards.all())
    audit_log(actor=by, obj=product, action=AuditAction.CREATE, message=_("Created when its idea was selected"))
    idea.product = product


def idea_select(*, idea: ProductIdea, by: User) -> ProductIdea:
    """Select a submitted idea for the list sent to the province.

    Side effects: status → selected, screened_at/by set, version + 1; for a new product, creates the
    Product (subject, set, name, commune and standards of the idea; audited) and links it to the idea;
    writes a transition entry. Raises PermissionDenied unless `by` screens the idea's commune.
    """
    return _screen(idea, "select", by=by, message=_("Selected"),
                   before_move=lambda locked: _product_from_idea(locked, by=by))


def idea_return(*, idea: ProductIdea, reason: str, by: User) -> ProductIdea:
    """Return a submitted idea to be completed; it can be edited and submitted again.

    Side effects: status → returned with the reason, screened_at/by set, version + 1; writes a
    transition entry whose message is the reason. Raises ValidationError without a reason,
    PermissionDenied unless `by` screens the idea's commune.
    """
    reason = _reason(reason)
    return _screen(idea, "return", by=by, reason=reason,
                   message=_("Returned for more information: %(reason)s") % {"reason": reason})


def idea_reject(*, idea: ProductIdea, reason: str, by: User) -> ProductIdea:
    """Reject a submitted idea with the reason (final for this cycle).

    Side effects: status → rejected with the reason, screened_at/by set, version + 1; writes a
    transition entry whose message is the reason. Raises ValidationError without a reason,
    PermissionDenied unless `by` screens the idea's commune.
    """
    reason = _reason(reason)
    return _screen(idea, "reject", by=by, reason=reason, message=_("Rejected: %(reason)s") % {"reason": reason})


# The screener's services, by the action IdeaStatus.SCREENING names.
SCREENING_SERVICES: dict[str, Callable] = {"select": idea_select, "return": idea_return, "reject": idea_reject}


def ideas_screen(*, ideas: Iterable[ProductIdea], action: str, by: User, reason: str = "") -> list[ProductIdea]:
    """Select, return or reject several submitted ideas at once (`action`, one of IdeaStatus.SCREENING), with one
    reason for a return or a rejection: each idea through its own service (`idea_select`, `idea_return`,
    `idea_reject`), all of them or none.

    Side effects: those of the service for each idea, in one transaction. Raises ValidationError, nothing saved:
    without an idea; without the reason a return or a rejection needs; naming the first idea a service refuses
    and why (its status has moved on, or `by` does not screen its commune).
    """
    screen = SCREENING_SERVICES[action]
    ideas = list(ideas)
    if not ideas:
        raise ValidationError({"ideas": _("Tick at least one submitted idea.")}, code="required")
    values = {} if action == "select" else {"reason": _reason(reason)}
    with transaction.atomic():
        for idea in ideas:
            try:
                screen(idea=idea, by=by, **values)
            except (ValidationError, PermissionDenied) as exc:
                why = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise ValidationError(_("Nothing was changed. “%(idea)s”: %(why)s") % {
                    "idea": idea.product_name, "why": why}, code="refused") from exc
    return ideas


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
            if idea.status not in IdeaStatus.TRANSITIONS["send"][0]:
                problems.append(_("“%(idea)s” is “%(status)s”; only selected ideas can be sent.") % {
                    "idea": idea.product_name, "status": idea.get_status_display()})
            elif not screens_commune(by, idea):
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
            idea.sent_list = idea_list
            _move(idea, "send", by=by, message=_("Sent to the province in the list of %(unit)s") % {
                "unit": idea_list.unit.name})
    return idea_list
