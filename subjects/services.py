"""Writes on subjects: create, update, link and unlink representatives. Every write is audited."""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ocop.enums import AuditAction, Role
from ocop.models import AdministrativeUnit, User
from ocop.services import audit_log, model_changes, model_snapshot
from ocop.text import fold

from .models import Subject, SubjectRepresentative
from .validators import normalize_tax_code

# "commune" rather than "commune_id": the audit trail then reads "Xã Vi Hương → Xã Sĩ Bình", not ids.
SUBJECT_FIELDS = [
    "name", "kind", "tax_code", "legal_representative", "commune", "address", "phone", "email",
    "founded_year", "members_count",
]

TAX_CODE_TAKEN = _("This tax code already belongs to another subject.")
NOT_A_REPRESENTATIVE = _("Only an account with the role “subject representative” can act for a subject.")


def subject_likely_duplicates(*, name: str, commune: AdministrativeUnit, exclude_pk: int | None = None):
    """Subjects of the same commune whose name folds to the same text (a warning, not a refusal)."""
    qs = Subject.objects.filter(commune=commune, search_text__startswith=fold(name))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return [s for s in qs if fold(s.name) == fold(name)]


def subject_tax_code_taken(*, tax_code: str, exclude_pk: int | None = None) -> bool:
    """Whether another subject already holds this (normalized) tax code."""
    tax_code = normalize_tax_code(tax_code)
    if not tax_code:
        return False
    qs = Subject.objects.filter(tax_code=tax_code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _clean(subject: Subject) -> None:
    """full_clean(), with a taken tax code reported beside its field rather than above the form."""
    subject.tax_code = normalize_tax_code(subject.tax_code)
    errors: dict = {}
    try:
        subject.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict({})
    if "tax_code" not in errors and subject_tax_code_taken(tax_code=subject.tax_code, exclude_pk=subject.pk):
        # The unique constraint said the same above the form; say it once, beside the field.
        constraint_message = str(Subject._meta.constraints[0].violation_error_message)
        others = [e for e in errors.get(NON_FIELD_ERRORS, []) if constraint_message not in e.messages]
        if others:
            errors[NON_FIELD_ERRORS] = others
        else:
            errors.pop(NON_FIELD_ERRORS, None)
        errors["tax_code"] = [ValidationError(TAX_CODE_TAKEN, code="tax_code_taken")]
    if errors:
        raise ValidationError(errors)


def _save(subject: Subject) -> None:
    """Save in a savepoint; a tax code taken by a concurrent request becomes the same field error."""
    try:
        with transaction.atomic():
            subject.save()
    except IntegrityError as exc:
        if "tax_code" in str(exc):
            raise ValidationError({"tax_code": [ValidationError(TAX_CODE_TAKEN, code="tax_code_taken")]}) from exc
        raise


def subject_create(*, data: dict, by: User | None) -> Subject:
    """Register a subject.

    Side effects: saves it (full_clean first; a taken tax code, even one taken by a concurrent request,
    is a ValidationError on `tax_code`); writes an audit entry.
    """
    with transaction.atomic():
        subject = Subject(created_by=by if by is not None and by.is_authenticated else None)
        for name, value in data.items():
            setattr(subject, name, value)
        _clean(subject)
        _save(subject)
        audit_log(actor=by, obj=subject, action=AuditAction.CREATE)
    return subject


def subject_update(*, subject: Subject, data: dict, by: User | None) -> Subject:
    """Change a subject's details.

    Side effects: saves (validation as in `subject_create`); writes an audit entry with the changed values.
    """
    with transaction.atomic():
        before = model_snapshot(subject, SUBJECT_FIELDS)
        for name, value in data.items():
            setattr(subject, name, value)
        _clean(subject)
        _save(subject)
        changes = model_changes(before, subject, SUBJECT_FIELDS)
        if changes:
            audit_log(actor=by, obj=subject, action=AuditAction.UPDATE, changes=changes)
    return subject


def subject_representative_add(*, subject: Subject, user: User, position: str = "",
                               by: User | None) -> SubjectRepresentative:
    """Let `user` act for `subject`. Side effects: creates the link (once); writes an audit entry.

    Raises ValidationError when `user` does not have the subject representative role.
    """
    if user.role != Role.SUBJECT_REP:
        raise ValidationError({"user": NOT_A_REPRESENTATIVE})
    with transaction.atomic():
        link, created = SubjectRepresentative.objects.get_or_create(
            subject=subject, user=user, defaults={"position": position})
        if created:
            audit_log(actor=by, obj=subject, action=AuditAction.UPDATE,
                      message=f"+ {user.get_username()}", changes={"representatives": [None, user.get_username()]})
    return link


def subject_representative_remove(*, link: SubjectRepresentative, by: User | None) -> None:
    """Stop `link.user` acting for `link.subject`. Side effects: deletes the link; writes an audit entry."""
    with transaction.atomic():
        subject, username = link.subject, link.user.get_username()
        link.delete()
        audit_log(actor=by, obj=subject, action=AuditAction.UPDATE,
                  message=f"− {username}", changes={"representatives": [username, None]})
