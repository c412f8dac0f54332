"""Writes on subjects: create, update, link representatives. Every write is audited."""
from django.db import transaction

from ocop.enums import AuditAction
from ocop.models import AdministrativeUnit, User
from ocop.services import audit_log, model_changes, model_snapshot
from ocop.text import fold

from .models import Subject, SubjectRepresentative

SUBJECT_FIELDS = [
    "name", "kind", "tax_code", "legal_representative", "commune_id", "address", "phone", "email",
    "founded_year", "members_count",
]


def subject_likely_duplicates(*, name: str, commune: AdministrativeUnit, exclude_pk: int | None = None):
    """Subjects of the same commune whose name folds to the same text (a warning, not a refusal)."""
    qs = Subject.objects.filter(commune=commune, search_text__startswith=fold(name))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return [s for s in qs if fold(s.name) == fold(name)]


def subject_create(*, data: dict, by: User | None) -> Subject:
    """Register a subject. Side effects: saves it (full_clean first); writes an audit entry."""
    with transaction.atomic():
        subject = Subject(created_by=by if by is not None and by.is_authenticated else None)
        for name, value in data.items():
            setattr(subject, name, value)
        subject.full_clean()
        subject.save()
        audit_log(actor=by, obj=subject, action=AuditAction.CREATE)
    return subject


def subject_update(*, subject: Subject, data: dict, by: User | None) -> Subject:
    """Change a subject's details. Side effects: saves; writes an audit entry with the changed values."""
    with transaction.atomic():
        before = model_snapshot(subject, SUBJECT_FIELDS)
        for name, value in data.items():
            setattr(subject, name, value)
        subject.full_clean()
        subject.save()
        changes = model_changes(before, subject, SUBJECT_FIELDS)
        if changes:
            audit_log(actor=by, obj=subject, action=AuditAction.UPDATE, changes=changes)
    return subject


def subject_representative_add(*, subject: Subject, user: User, position: str = "", by: User | None) -> SubjectRepresentative:
    """Let `user` act for `subject`. Side effects: creates the link (once); writes an audit entry."""
    with transaction.atomic():
        link, created = SubjectRepresentative.objects.get_or_create(
            subject=subject, user=user, defaults={"position": position})
        if created:
            audit_log(actor=by, obj=subject, action=AuditAction.UPDATE,
                      message=f"+ {user.get_username()}", changes={"representatives": [None, user.get_username()]})
    return link
