"""Writes on certificates: numbering, issuing from a recognition decision, supersession, revocation."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import Decision, RecognisedProduct
from ocop.enums import AuditAction
from ocop.models import AdministrativeUnit, Cycle, User
from ocop.services import audit_log

from .enums import CertificateStatus
from .models import Certificate, CertificateSequence, Renewal, expiring_window_days
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
                      by: User | None, render: bool = True) -> Certificate:
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
        if render:
            _queue_pdf(certificate)
    return certificate


def certificates_issue_for_decision(*, decision: Decision, by: User | None, render: bool = True) -> list[Certificate]:
    """Issue every certificate of a decision not issued yet (idempotent), then render their PDFs as one job.

    The job (a RenderJob in batches, see tasks.py) shows its progress on the decision's page.
    """
    from .tasks import render_job_start

    with transaction.atomic():
        pending = decision.items.filter(certificate__isnull=True, star__gte=3).select_related(
            "product__subject", "decision__issuing_unit").order_by("pk")
        issued = [certificate_issue(recognition=item, by=by, render=False) for item in pending]
        if issued and render:
            render_job_start(certificate_ids=[c.pk for c in issued], decision=decision, by=by)
    return issued


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
    from .tasks import render_certificate_pdf

    transaction.on_commit(lambda: render_certificate_pdf.delay(certificate_id=certificate.pk))


def renewal_kind_allowed(certificate: Certificate, kind: str, today: datetime.date | None = None) -> str | None:
    """Why a renewal or upgrade cannot start from this certificate, or None when it can."""
    status = Certificate.objects.with_status(today=today).get(pk=certificate.pk).status
    if status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED):
        return _("A revoked or superseded certificate cannot be renewed or upgraded.")
    if kind == Renewal.Kind.RENEWAL and status not in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED):
        return _("A renewal starts when the certificate is about to expire (%(days)s days before its end).") % {
            "days": expiring_window_days()}
    if kind == Renewal.Kind.UPGRADE:
        if status not in (CertificateStatus.VALID, CertificateStatus.EXPIRING):
            return _("An upgrade starts from a certificate still in force.")
        if certificate.star >= 5:
            return _("The product already holds 5 stars.")
    if certificate.renewals.filter(dossier__status__in=["draft", "submitted"]).exists():
        return _("A re-evaluation from this certificate is already under way.")
    return None


def certificate_renewal_start(*, certificate: Certificate, kind: str, cycle: Cycle, by: User | None) -> Renewal:
    """Open the product's dossier in `cycle` for a renewal or an upgrade, pre-filled with the last dossier's
    evidence (each file copied, so the old dossier keeps its own).

    Side effects: creates the dossier (products.services.dossiers.dossier_create, audited), its documents and
    the Renewal; writes an audit entry on the certificate. Raises ValidationError when the certificate's
    status does not allow the kind, or the product already has a dossier in the cycle.
    """
    from products.models import Dossier, DossierDocument
    from products.services.dossiers import dossier_create

    problem = renewal_kind_allowed(certificate, kind)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        dossier = dossier_create(product=certificate.product, cycle=cycle, by=by)
        last = (Dossier.objects.filter(product=certificate.product).exclude(pk=dossier.pk)
                .order_by("-cycle__year", "-created_at").first())
        copies = []
        for document in (last.documents.all() if last else []):
            with document.file.open("rb") as handle:
                content = ContentFile(handle.read(), name=document.original_name)
            copy = DossierDocument(dossier=dossier, kind=document.kind, title=document.title,
                                   original_name=document.original_name, file_type=document.file_type,
                                   size=document.size, issued_on=document.issued_on,
                                   valid_until=document.valid_until,
                                   uploaded_by=by if by is not None and by.is_authenticated else None)
            copy.file.save(document.original_name, content, save=False)
            copies.append(copy)
        DossierDocument.objects.bulk_create(copies)
        renewal = Renewal.objects.create(certificate=certificate, kind=kind, dossier=dossier,
                                         started_by=by if by is not None and by.is_authenticated else None)
        audit_log(actor=by, obj=certificate, action=AuditAction.TRANSITION,
                  message=_("%(kind)s started: dossier of %(cycle)s with %(count)s document(s) from the last one") % {
                      "kind": renewal.get_kind_display(), "cycle": cycle, "count": len(copies)})
    return renewal


def certificate_register(*, product, star: int, number: str, decision_number: str, decision_date: datetime.date,
                         signer: str, level: str, issued_on: datetime.date, issuing_unit: AdministrativeUnit | None,
                         authority_name: str = "", by: User | None, render: bool = True) -> Certificate:
    """Record a certificate issued outside this system (a province's earlier register, or the central level's
    5★ certificates, whose authority is the ministry): same rules as `certificate_issue`, number given.

    Side effects: creates it (valid 36 months from `issued_on`); supersedes the product's previous
    certificate; audited; queues its PDF. Raises ValidationError (nothing saved) on a star below 3, a
    number already used by the authority, or no authority.
    """
    if star is None or star < 3:
        raise ValidationError({"star": _("Only products recognised at 3 stars or more receive a certificate.")})
    with transaction.atomic():
        certificate = Certificate(
            number=(number or "").strip(), issuing_unit=issuing_unit, authority_name=authority_name.strip(),
            product=product, subject=product.subject, star=star, decision_number=decision_number,
            decision_date=decision_date, signer=signer, level=level, issued_on=issued_on,
            valid_until=valid_until(issued_on))
        certificate.full_clean()
        certificate.save()
        _supersede_previous(certificate, by)
        audit_log(actor=by, obj=certificate, action=AuditAction.CREATE, message=_("Recorded from an existing register"))
        if render:
            _queue_pdf(certificate)
    return certificate
