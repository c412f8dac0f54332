"""Dossiers for evaluation: which evidence a product must bring, uploads, completeness and submission."""
import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.enums import AuditAction
from ocop.models import Cycle, User
from ocop.rules import is_local_officer
from ocop.selectors import audit_trail_for, province_of
from ocop.services import audit_log, model_changes, model_snapshot
from ocop.uploads import DOCUMENT_TYPES, EXTENSIONS, stored_files_removed_on_failure, uploads_accepted
from subjects.enums import SubjectKind

from ..enums import DossierStatus, EvidenceKind
from ..models import TOURISM_SET_NUMBER, Dossier, DossierDocument, DossierList, Product, ProductIdea
from ..rules import receives_dossiers_of

# ---------------------------------------------------------------------------------------------
# What a dossier must hold. The rules are data: a province whose guidance differs changes these
# tables, not the functions below.
# ---------------------------------------------------------------------------------------------

# Food, drink and herbal sectors (sets 1-20): the sets whose products are eaten, drunk or applied.
FOOD_DRINK_HERBAL_SETS = frozenset(range(1, 21))


@dataclass(frozen=True)
class Requirement:
    """An evidence kind a dossier must hold, for the product sets listed (all when None), unless
    the product's subject is of one of `except_subject_kinds`."""

    kind: str
    sets: frozenset | None = None
    except_subject_kinds: frozenset = field(default_factory=frozenset)

    def applies_to(self, product: Product) -> bool:
        if self.sets is not None and product.product_set.number not in self.sets:
            return False
        return product.subject.kind not in self.except_subject_kinds


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(EvidenceKind.REGISTRATION_FORM),
    Requirement(EvidenceKind.SELF_ASSESSMENT),
    Requirement(EvidenceKind.BUSINESS_PLAN),
    Requirement(EvidenceKind.ORGANISATION),
    # A cooperative group works under a contract and holds no business registration.
    Requirement(EvidenceKind.BUSINESS_REGISTRATION, except_subject_kinds=frozenset({SubjectKind.COOPERATIVE_GROUP})),
    Requirement(EvidenceKind.FOOD_SAFETY_LICENCE, sets=FOOD_DRINK_HERBAL_SETS),
    Requirement(EvidenceKind.QUALITY_DECLARATION, sets=FOOD_DRINK_HERBAL_SETS),
    Requirement(EvidenceKind.TEST_RESULTS, sets=FOOD_DRINK_HERBAL_SETS),
    Requirement(EvidenceKind.RAW_MATERIAL_ORIGIN, sets=FOOD_DRINK_HERBAL_SETS),
    Requirement(EvidenceKind.PRODUCT_STORY),
)

# Evidence that expires: these documents carry the date they were issued and the date they are valid
# until, and one past its validity does not count.
DATED_KINDS = frozenset({EvidenceKind.FOOD_SAFETY_LICENCE, EvidenceKind.TEST_RESULTS})

# Five product samples go with every dossier except those of product sets that sell a service.
SETS_WITHOUT_SAMPLES = frozenset({TOURISM_SET_NUMBER})
SAMPLES_COUNT = 5

MAX_FILES_PER_UPLOAD = 50


def dossier_required_kinds(dossier: Dossier) -> list[str]:
    """The evidence kinds the dossier's product must bring, in the order of the checklist."""
    return [r.kind for r in REQUIREMENTS if r.applies_to(dossier.product)]


def dossier_needs_samples(dossier: Dossier) -> bool:
    return dossier.product.product_set.number not in SETS_WITHOUT_SAMPLES


def document_is_expired(document: DossierDocument, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return document.kind in DATED_KINDS and document.valid_until is not None and document.valid_until < today


@dataclass
class ChecklistItem:
    """One line of a dossier's checklist: a required kind (or the samples) and whether it is met."""

    kind: str
    label: str
    count: int = 0
    valid_count: int = 0
    expired: bool = False
    is_samples: bool = False
    done: bool = False
    latest_valid_until: datetime.date | None = None

    @property
    def message(self) -> str:
        if self.done:
            return ""
        if self.is_samples:
            return _("The %(count)s product samples have not been received") % {"count": SAMPLES_COUNT}
        if self.expired:
            return _("Expired: %(kind)s (valid until %(date)s)") % {
                "kind": self.label, "date": date_format(self.latest_valid_until, "SHORT_DATE_FORMAT")}
        return _("Missing: %(kind)s") % {"kind": self.label}


def dossier_checklist(dossier: Dossier, documents=None, today: datetime.date | None = None) -> list[ChecklistItem]:
    """The required kinds with their documents counted; `documents` may be passed when already fetched
    (the dossier page fetches them once, whatever their number)."""
    today = today or timezone.localdate()
    if documents is None:
        documents = list(dossier.documents.only("kind", "valid_until"))
    counts, valid_counts, latest = Counter(), Counter(), {}
    for document in documents:
        counts[document.kind] += 1
        if not document_is_expired(document, today):
            valid_counts[document.kind] += 1
        if document.valid_until and (document.kind not in latest or document.valid_until > latest[document.kind]):
            latest[document.kind] = document.valid_until
    items = []
    for kind in dossier_required_kinds(dossier):
        item = ChecklistItem(kind=kind, label=str(EvidenceKind(kind).label), count=counts[kind],
                             valid_count=valid_counts[kind], latest_valid_until=latest.get(kind))
        item.done = item.valid_count > 0
        item.expired = item.count > 0 and not item.done
        items.append(item)
    if dossier_needs_samples(dossier):
        items.append(ChecklistItem(
            kind="samples", is_samples=True, done=dossier.samples_received_on is not None,
            label=_("%(count)s product samples") % {"count": SAMPLES_COUNT},
        ))
    return items


def dossier_completeness(dossier: Dossier, documents=None) -> list[str]:
    """What the dossier still lacks, one message per missing or expired item (empty when complete)."""
    return [item.message for item in dossier_checklist(dossier, documents) if not item.done]


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


def _ensure_draft(dossier: Dossier) -> None:
    """Evidence changes while the dossier is being prepared or has been returned for completion."""
    if dossier.status not in DossierStatus.EDITABLE:
        raise ValidationError(_("This dossier has been submitted; its documents can no longer be changed."),
                              code="locked")


def _lock_draft(dossier: Dossier) -> None:
    """Inside a transaction: hold the dossier's row so that a submission cannot slip in between, and
    refuse if it has been submitted meanwhile."""
    status = Dossier.objects.select_for_update().values_list("status", flat=True).get(pk=dossier.pk)
    dossier.status = status
    _ensure_draft(dossier)


def dossier_cycles_for(product: Product):
    """The cycles a product's dossier can belong to: those of the province the product is made in, and from the
    year it ended those of the province that took it over (a product of Vi Hương, Bắc Kạn, in Thái Nguyên's 2026
    cycle)."""
    province = province_of(product.commune)
    if province is None:
        return Cycle.objects.none()
    cycles = Q(province=province)
    if province.valid_to is not None and province.standing_path and province.standing_path != province.path:
        cycles |= Q(province__path=province.standing_path, year__gte=province.valid_to.year)
    return Cycle.objects.filter(cycles).select_related("province")


def dossier_create(*, product: Product, cycle: Cycle, by: User | None) -> Dossier:
    """Open the product's dossier for a cycle, linked to the product's idea of that cycle if there is one.

    Side effects: creates the dossier; writes an audit entry on it.
    """
    if not dossier_cycles_for(product).filter(pk=cycle.pk).exists():
        raise ValidationError({"cycle": _("Choose a cycle of the province where the product is made.")})
    if Dossier.objects.filter(product=product, cycle=cycle).exists():
        raise ValidationError({"cycle": _("This product already has a dossier in this cycle.")})
    idea = ProductIdea.objects.filter(product=product, cycle=cycle).order_by("-created_at").first()
    try:
        with transaction.atomic():
            dossier = Dossier(product=product, cycle=cycle, idea=idea)
            dossier.full_clean()
            dossier.save()
            audit_log(actor=by, obj=dossier, action=AuditAction.CREATE)
    except IntegrityError as exc:  # two people opening the same dossier at the same moment
        raise ValidationError({"cycle": _("This product already has a dossier in this cycle.")}) from exc
    return dossier


def dossier_set_samples(*, dossier: Dossier, samples_received_on: datetime.date | None, by: User | None) -> Dossier:
    """Record the day the product samples were received. Side effects: saves; writes an audit entry."""
    _ensure_draft(dossier)
    if samples_received_on and samples_received_on > timezone.localdate():
        raise ValidationError({"samples_received_on": _("This date is in the future.")})
    with transaction.atomic():
        _lock_draft(dossier)
        before = model_snapshot(dossier, ["samples_received_on"])
        dossier.samples_received_on = samples_received_on
        dossier.full_clean()
        dossier.save(update_fields=["samples_received_on"])
        changes = model_changes(before, dossier, ["samples_received_on"])
        if changes:
            audit_log(actor=by, obj=dossier, action=AuditAction.UPDATE, changes=changes)
    return dossier


def dossier_documents_add(*, dossier: Dossier, kind: str, files: list, title: str = "",
                          issued_on: datetime.date | None = None, valid_until: datetime.date | None = None,
                          by: User | None) -> list[DossierDocument]:
    """Add evidence files of one kind. Every file is checked by its content first (PDF, JPEG, PNG, DOCX
    or XLSX, at most 20 MB); if one is refused, none is stored.

    Side effects: stores the files privately; creates one document per file; writes one audit entry.
    """
    _ensure_draft(dossier)
    errors = {}
    if kind not in EvidenceKind.values:
        errors["kind"] = _("Choose the kind of evidence.")
    if not files:
        errors["files"] = _("Choose at least one file.")
    elif len(files) > MAX_FILES_PER_UPLOAD:
        errors["files"] = _("Send at most %(count)s files at a time.") % {"count": MAX_FILES_PER_UPLOAD}
    if kind in DATED_KINDS:
        if issued_on is None:
            errors["issued_on"] = _("A licence or test result needs the date it was issued.")
        if valid_until is None:
            errors["valid_until"] = _("A licence or test result needs the date it is valid until.")
    if issued_on and valid_until and valid_until < issued_on:
        errors["valid_until"] = _("The validity cannot end before the document was issued.")
    if errors:
        raise ValidationError(errors)
    accepted = uploads_accepted(files, DOCUMENT_TYPES)
    documents = []
    with stored_files_removed_on_failure() as stored, transaction.atomic():
        _lock_draft(dossier)
        for uploaded, file_type in accepted:
            document = DossierDocument(
                dossier=dossier, kind=kind, title=title, original_name=uploaded.name[:255],
                file_type=file_type, size=uploaded.size, issued_on=issued_on, valid_until=valid_until,
                uploaded_by=by if by is not None and by.is_authenticated else None,
            )
            documents.append(document)
            stored.append(document.file)
            document.file.save(f"evidence.{EXTENSIONS[file_type]}", uploaded, save=False)
            document.full_clean(exclude=["uploaded_by"])
            document.save()
        _audit_added(dossier, kind, documents, by)
    return documents


def _audit_added(dossier, kind, documents, by) -> None:
    audit_log(actor=by, obj=dossier, action=AuditAction.UPDATE,
                  message=_("Added %(count)s file(s): %(kind)s") % {
                      "count": len(documents), "kind": EvidenceKind(kind).label},
                  changes={"documents": [None, [d.original_name for d in documents]]})


def dossier_document_remove(*, document: DossierDocument, by: User | None) -> None:
    """Remove an evidence file from a dossier still being prepared.

    Side effects: deletes the document, and its stored file once the transaction commits; writes an audit entry.
    """
    dossier = document.dossier
    _ensure_draft(dossier)
    with transaction.atomic():
        _lock_draft(dossier)
        name, kind = document.original_name, document.kind
        storage, path = document.file.storage, document.file.name
        document.delete()
        audit_log(actor=by, obj=dossier, action=AuditAction.UPDATE,
                  message=_("Removed a file: %(kind)s") % {"kind": EvidenceKind(kind).label},
                  changes={"documents": [name, None]})
        transaction.on_commit(lambda: storage.delete(path))


# ---------------------------------------------------------------------------------------------
# The commune's check (1489/2025, 26/2026; the district's under 148)
#
#   draft ──submit──▶ submitted ──check──▶ checked ──send──▶ sent
#     returned ◀─return──┘
#       └──submit (next round)──▶ submitted
#
# The table of these moves is DossierStatus.TRANSITIONS; the services refuse any other. Each move writes
# AuditAction.TRANSITION with what happened (the reason of a return) as the message and the status change in
# changes["status"]: the dossier's history on its page.
# ---------------------------------------------------------------------------------------------

# The refusal of a move DossierStatus.TRANSITIONS does not allow names the action.
_ACTIONS = {
    "submit": gettext_lazy("submitted"),
    "return": gettext_lazy("returned for completion"),
    "check": gettext_lazy("checked"),
    "send": gettext_lazy("sent to the province"),
}


def _lock(dossier: Dossier, action: str) -> Dossier:
    """The dossier re-read under a row lock (with what completeness reads); refuses a move
    DossierStatus.TRANSITIONS does not allow from its status."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related(
        "product__product_set", "product__subject", "product__commune", "cycle").get(pk=dossier.pk)
    if dossier.status not in DossierStatus.TRANSITIONS[action][0]:
        raise ValidationError(
            _("A dossier that is “%(status)s” cannot be %(action)s.") % {
                "status": dossier.get_status_display(), "action": _ACTIONS[action]},
            code="illegal_transition")
    return dossier


def _move(dossier: Dossier, action: str, *, by: User | None, message: str, fields: list[str]) -> None:
    """Move the dossier to the status the action leads to: saved with `fields`, a transition entry in its history."""
    old, dossier.status = dossier.status, DossierStatus.TRANSITIONS[action][1]
    dossier.full_clean()
    dossier.save(update_fields=["status", *fields])
    audit_log(actor=by, obj=dossier, action=AuditAction.TRANSITION, message=message,
              changes={"status": [old, dossier.status]})


def _ensure_not_under_evaluation(dossier: Dossier) -> None:
    """Refuses to return or check a dossier a council has taken (under 148 a council takes a submitted dossier
    directly). The evaluation app's Evaluation.dossier is read through its reverse relation, `evaluations`: this app
    cannot import that one."""
    evaluation = dossier.evaluations.select_related("session__council").order_by("pk").first()
    if evaluation is not None:
        raise ValidationError(
            _("This dossier is on the agenda of %(session)s: it is under evaluation and can no longer be returned or "
              "checked.") % {"session": evaluation.session}, code="under_evaluation")


def _require_receiver(dossier: Dossier, by: User | None) -> None:
    if by is None or not receives_dossiers_of(by, dossier):
        raise PermissionDenied(_("Only the officer who receives this commune's dossiers can do that."))


def dossier_submit(*, dossier: Dossier, by: User | None) -> Dossier:
    """Submit a complete dossier (a draft, or a returned one for its next round) to the commune; from then on
    its documents are locked.

    Raises a ValidationError listing what is missing or expired when the dossier is not complete.
    Side effects: sets the status, who and when, clears the last return's reason (the history keeps it);
    writes a transition entry naming the round.
    """
    with transaction.atomic():
        try:
            dossier = _lock(dossier, "submit")
        except ValidationError as exc:
            raise ValidationError(_("This dossier has been submitted; its documents can no longer be changed."),
                                  code="locked") from exc
        missing = dossier_completeness(dossier)
        if missing:
            raise ValidationError(missing, code="incomplete")
        rounds = audit_trail_for(dossier).filter(
            action=AuditAction.TRANSITION, changes__status__1=DossierStatus.SUBMITTED).count() + 1
        dossier.submitted_at = timezone.now()
        dossier.procedure_on = dossier.cycle.procedure_day(timezone.localdate(dossier.submitted_at))
        dossier.submitted_by = by if by is not None and by.is_authenticated else None
        dossier.status_reason = ""
        message = (str(DossierStatus.SUBMITTED.label) if rounds == 1
                   else _("Submitted again after completing it (round %(round)s)") % {"round": rounds})
        _move(dossier, "submit", by=by, message=message,
              fields=["submitted_at", "procedure_on", "submitted_by", "status_reason"])
    return dossier


def dossier_return(*, dossier: Dossier, reason: str, by: User) -> Dossier:
    """Return a submitted dossier to its subject for completion, with the reason the subject reads; its evidence
    can be changed again and it is submitted again with `dossier_submit`.

    Side effects: status → returned with the reason; writes a transition entry whose message is the reason.
    Raises ValidationError without a reason, when the dossier is not submitted or is on a council's agenda,
    PermissionDenied unless `by` receives the dossiers of the product's commune.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the subject will read it.")}, code="required")
    with transaction.atomic():
        dossier = _lock(dossier, "return")
        _require_receiver(dossier, by)
        _ensure_not_under_evaluation(dossier)
        dossier.status_reason = reason
        _move(dossier, "return", by=by, fields=["status_reason"],
              message=_("Returned for completion: %(reason)s") % {"reason": reason})
    return dossier


def dossier_check(*, dossier: Dossier, by: User) -> Dossier:
    """Record that a submitted dossier is complete (the commune's check); it can then be sent to the province.

    Side effects: status → checked, checked_at/by set; writes a transition entry. Raises ValidationError
    listing what is missing or expired when the dossier is not complete, or when it is not submitted or is on a
    council's agenda; PermissionDenied unless `by` receives the dossiers of the product's commune.
    """
    with transaction.atomic():
        dossier = _lock(dossier, "check")
        _require_receiver(dossier, by)
        _ensure_not_under_evaluation(dossier)
        missing = dossier_completeness(dossier)
        if missing:
            raise ValidationError(
                [_("The dossier is not complete; return it for completion instead:"), *missing], code="incomplete")
        dossier.checked_at, dossier.checked_by = timezone.now(), by
        _move(dossier, "check", by=by, fields=["checked_at", "checked_by"], message=_("Checked: complete"))
    return dossier


def _sending_unit(by: User, dossiers: list[Dossier]):
    """The unit a list is sent in the name of: the officer's commune (his district under 148); for an
    administrator, the commune of the dossiers' products."""
    if is_local_officer(by):
        return by.unit
    return dossiers[0].product.commune


def dossiers_send(*, dossiers: Iterable[Dossier], by: User, note: str = "") -> DossierList:
    """Send checked dossiers of the officer's commune (or district, under 148), all of one cycle, to the province
    as one list.

    Side effects: creates the DossierList (cycle, the sending unit, sender, note; audited); each dossier gets
    status sent and the list, with a transition entry. Raises ValidationError (nothing sent) when no dossier is
    given, a dossier is not checked (e.g. already sent by a double click), the dossiers belong to several cycles
    (or, sent by an administrator, several communes), or `by` does not receive one of them.
    """
    pks = sorted({dossier.pk for dossier in dossiers})
    if not pks:
        raise ValidationError({"dossiers": _("Tick at least one checked dossier.")}, code="empty")
    with transaction.atomic():
        locked = list(Dossier.objects.select_for_update(of=("self",)).filter(pk__in=pks)
                      .select_related("product__commune", "cycle").order_by("pk"))
        problems = []
        if len(locked) != len(pks):
            problems.append(_("Some of the dossiers no longer exist."))
        for dossier in locked:
            if dossier.status not in DossierStatus.TRANSITIONS["send"][0]:
                problems.append(_("“%(product)s” is “%(status)s”; only checked dossiers can be sent.") % {
                    "product": dossier.product.name, "status": dossier.get_status_display()})
            elif not receives_dossiers_of(by, dossier):
                problems.append(_("“%(product)s” is not in your area.") % {"product": dossier.product.name})
        if len({dossier.cycle_id for dossier in locked}) > 1:
            problems.append(_("A list holds the dossiers of one cycle: send each cycle's dossiers separately."))
        if not is_local_officer(by) and len({dossier.product.commune_id for dossier in locked}) > 1:
            problems.append(_("A list holds the dossiers of one commune: send each commune's dossiers separately."))
        if problems:
            raise ValidationError({"dossiers": problems}, code="not_sendable")
        unit = _sending_unit(by, locked)
        dossier_list = DossierList(cycle=locked[0].cycle, unit=unit, sent_by=by, note=(note or "").strip())
        dossier_list.full_clean()
        dossier_list.save()
        audit_log(actor=by, obj=dossier_list, action=AuditAction.CREATE,
                  message=_("%(count)s dossiers sent to the province") % {"count": len(locked)})
        message = (_("Sent to the province in the list of %(unit)s") % {"unit": unit.name})
        for dossier in locked:
            dossier.sent_list = dossier_list
            _move(dossier, "send", by=by, fields=["sent_list"], message=message)
    return dossier_list
