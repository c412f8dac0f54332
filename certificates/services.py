"""Writes on certificates: numbering, issuing from a recognition decision, supersession, revocation."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import Decision, RecognisedProduct
from ocop.enums import AuditAction
from ocop.models import AdministrativeUnit, User
from ocop.services import audit_log

from .models import Certificate, CertificateSequence
from .validity import valid_until

DEFAULT_NUMBER_FORMAT = "{seq:03d}/{year}/GCN-{authority}"


def certificate_number_next(*, issuing_unit: AdministrativeUnit, year: int) -> str:
    """The next number of an authority in a year, from a locked sequence row (safe under concurrency).

    The format comes from OCOP_CERTIFICATE_NUMBER_FORMAT with {seq}, {year} and {authority} (the unit code).
    """
    sequence, _created = CertificateSequence.objects.select_for_update().get_or_create(
        issuing_unit=issuing_unit, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    number_format = getattr(settings, "OCOP_CERTIFICATE_NUMBER_FORMAT", DEFAULT_NUMBER_FORMAT)
    return number_format.format(seq=sequence.last, year=year, authority=issuing_unit.code)


def _supersede_previous(certificate: Certificate, by: User | None) -> None:
    previous = (Certificate.objects.select_for_update()
                .filter(product=certificate.product, revoked_on__isnull=True, superseded_by__isnull=True)
                .exclude(pk=certificate.pk))
    for old in previous:
        old.superseded_by = certificate
        old.save(update_fields=["superseded_by"])
        audit_log(actor=by, obj=old, action=AuditAction.TRANSITION,
                  message=_("Superseded by %(number)s") % {"number": certificate.number})


def certificate_issue(*, recognition: RecognisedProduct, issued_on: datetime.date | None = None,
                      by: User | None) -> Certificate:
    """Issue the certificate of a product a decision recognised at 3★ or more.

    Side effects: allocates the number; creates the certificate (valid 36 months, see validity.py);
    supersedes the product's previous certificate (renewal or upgrade); audited; queues its PDF.
    """
    decision = recognition.decision
    if recognition.star < 3:
        raise ValidationError(_("Only products recognised at 3 stars or more receive a certificate."))
    if Certificate.objects.filter(recognition=recognition).exists():
        raise ValidationError(_("This product already has its certificate for the decision."))
    issued_on = issued_on or decision.signed_on
    with transaction.atomic():
        certificate = Certificate(
            number=certificate_number_next(issuing_unit=decision.issuing_unit, year=issued_on.year),
            issuing_unit=decision.issuing_unit, recognition=recognition, decision=decision,
            product=recognition.product, subject=recognition.product.subject, star=recognition.star,
            decision_number=decision.number, decision_date=decision.signed_on, signer=decision.signer,
            level=decision.level, issued_on=issued_on, valid_until=valid_until(issued_on))
        certificate.full_clean()
        certificate.save()
        _supersede_previous(certificate, by)
        audit_log(actor=by, obj=certificate, action=AuditAction.CREATE)
        _queue_pdf(certificate)
    return certificate


def certificates_issue_for_decision(*, decision: Decision, by: User | None) -> list[Certificate]:
    """Issue every certificate of a decision not issued yet (idempotent)."""
    with transaction.atomic():
        pending = decision.items.filter(certificate__isnull=True, star__gte=3).select_related(
            "product__subject", "decision__issuing_unit")
        return [certificate_issue(recognition=item, by=by) for item in pending]


def certificate_revoke(*, certificate: Certificate, reason: str, decision_number: str,
                       revoked_on: datetime.date | None = None, by: User | None) -> Certificate:
    """Withdraw a certificate (thu hồi) with the reason and the revoking decision.

    Side effects: records the revocation; audited; re-renders the PDF (it shows the revocation).
    """
    reason, decision_number = (reason or "").strip(), (decision_number or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the revocation.")
    if not decision_number:
        errors["decision_number"] = _("Give the number of the revocation decision.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_on:
            raise ValidationError(_("The certificate is already revoked."))
        certificate.revoked_on = revoked_on or timezone.localdate()
        certificate.revoke_reason, certificate.revoke_decision_number = reason, decision_number
        certificate.revoked_by = by if by is not None and by.is_authenticated else None
        certificate.save(update_fields=["revoked_on", "revoke_reason", "revoke_decision_number", "revoked_by"])
        audit_log(actor=by, obj=certificate, action=AuditAction.TRANSITION,
                  message=_("Revoked by %(number)s: %(reason)s") % {"number": decision_number, "reason": reason})
        _queue_pdf(certificate)
    return certificate


def _queue_pdf(certificate: Certificate) -> None:
    """Render the PDF after the transaction commits (a Celery task; eager when no broker is set)."""
    try:
        from .tasks import render_certificate_pdf
    except ImportError:  # the rendering task arrives with the PDF work of the certificates issue
        return
    transaction.on_commit(lambda: render_certificate_pdf.delay(certificate_id=certificate.pk))
