"""Writes on certificates: numbering, issuing from a recognition decision, supersession, revocation."""
import datetime
import re
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.enums import EvaluationLevel
from evaluation.models import Decision, RecognisedProduct, Regulation
from evaluation.services.councils import regulation_in_force
from evaluation.star_rules import MAX_STAR, MIN_RECOGNISED_STAR
from ocop.enums import AuditAction, UnitLevel
from ocop.models import AdministrativeUnit, Cycle, User
from ocop.outbox import outbox_enqueue
from ocop.services import audit_log, unit_in_force_check

from .chain import Link, supersessions
from .enums import CertificateStatus, InspectionVerdict, RevocationGround
from .models import Certificate, CertificateSequence, Inspection, Renewal, expiring_window_days, live_q
from .validity import valid_until


def authority_code(issuing_unit: AdministrativeUnit | None) -> str:
    """What the number format calls {authority}: the issuing unit's code, or the central level's code."""
    return issuing_unit.code if issuing_unit is not None else settings.OCOP_CENTRAL_AUTHORITY_CODE


def number_pattern(authority: str, year: int | None = None) -> re.Pattern:
    """The numbers the format gives an authority in a year (any year when None), with the groups `seq` and
    `year`; letter case aside."""
    pattern = ""
    for literal, field_name, _spec, _conversion in string.Formatter().parse(settings.OCOP_CERTIFICATE_NUMBER_FORMAT):
        pattern += re.escape(literal)
        if field_name == "seq":
            pattern += r"(?P<seq>\d+)"
        elif field_name == "year":
            pattern += rf"(?P<year>{year})" if year is not None else r"(?P<year>\d{4})"
        elif field_name == "authority":
            pattern += re.escape(authority)
    return re.compile(pattern + r"\Z", re.IGNORECASE)


def _authority_certificates(issuing_unit: AdministrativeUnit | None):
    if issuing_unit is not None:
        return Certificate.objects.filter(issuing_unit=issuing_unit)
    return Certificate.objects.filter(issuing_unit__isnull=True)


def _sequence_locked(authority: str, year: int) -> CertificateSequence:
    """The authority's sequence row for the year, locked until the transaction ends (created when missing).

    Both numbering and the recording of an existing number take it, so they never interleave."""
    CertificateSequence.objects.get_or_create(authority=authority, year=year)
    return CertificateSequence.objects.select_for_update().get(authority=authority, year=year)


def certificate_number_next(*, issuing_unit: AdministrativeUnit | None, year: int) -> str:
    """The next number of an authority in a year: one above the highest it has used, whether this system
    issued it or it was recorded from a register (the sequence row alone would restart at 001 when numbers
    were imported before it existed). Under the sequence row's lock, so concurrent issues never collide.

    The format comes from OCOP_CERTIFICATE_NUMBER_FORMAT with {seq}, {year} and {authority}. Call it inside a
    transaction.
    """
    authority = authority_code(issuing_unit)
    sequence = _sequence_locked(authority, year)
    pattern = number_pattern(authority, year)
    recorded = (_authority_certificates(issuing_unit).filter(number__contains=str(year))
                .values_list("number", flat=True))
    highest = max((int(m["seq"]) for m in map(pattern.match, recorded) if m), default=0)
    sequence.last = max(sequence.last, highest) + 1
    sequence.save(update_fields=["last"])
    return settings.OCOP_CERTIFICATE_NUMBER_FORMAT.format(seq=sequence.last, year=year, authority=authority)


def _chain_message(successor_number: str | None, on: datetime.date | None) -> str:
    """The audit entry of a certificate whose place in its product's chain changed."""
    if successor_number is None:
        return _("No longer superseded: no later certificate of the product was issued while it ran")
    return _("Superseded by %(number)s on %(date)s") % {"number": successor_number, "date": on.strftime("%d/%m/%Y")}


def certificate_chain_rebuild(*, product_ids, by: User | None = None) -> int:
    """Derive who supersedes whom among these products' certificates from their dates alone.

    See chain.py: each is superseded by the next one of its product issued while it still ran, on that day.
    So an old decision recorded late, or a register imported in any order, or twice, gives the same chain;
    revocation does not change it (a revoked certificate's status says revoked first). Returns how
    many certificates changed. Side effects: writes superseded_by / superseded_on; audited per change.
    """
    changed = 0
    with transaction.atomic():
        certificates = {c.pk: c for c in Certificate.objects.select_for_update()
                        .filter(product_id__in=set(product_ids)).order_by("pk")}
        wanted = supersessions(Link(c.pk, c.product_id, c.issued_on, c.valid_until, c.star, c.number)
                               for c in certificates.values())
        for pk, (successor_pk, successor_on) in wanted.items():
            current = certificates[pk]
            if (current.superseded_by_id, current.superseded_on) == (successor_pk, successor_on):
                continue
            current.superseded_by_id, current.superseded_on = successor_pk, successor_on
            current.save(update_fields=["superseded_by", "superseded_on"])
            changed += 1
            audit_log(actor=by, obj=current, action=AuditAction.TRANSITION, message=_chain_message(
                certificates[successor_pk].number if successor_pk else None, successor_on))
    return changed


def _level_ceiling(level: str, regulation: Regulation | None) -> int:
    """The highest star a level may recognise: its rule in the regulation; 5★ is the central level's alone."""
    rule = regulation.level_rules.filter(level=level).first() if regulation is not None else None
    ceiling = rule.max_star if rule is not None else MAX_STAR
    return ceiling if level == EvaluationLevel.CENTRAL else min(ceiling, 4)


def _check_dates(*, issued_on: datetime.date, today: datetime.date) -> None:
    if issued_on > today:
        raise ValidationError({"issued_on": _("A certificate cannot be issued on a future date (%(date)s).") % {
            "date": issued_on.strftime("%d/%m/%Y")}})


def _central_authority_name(decision: Decision) -> str:
    """The ministry in whose name a central decision's certificates are issued: the central unit that signed it
    (Bộ Nông nghiệp và Môi trường), else the configured name (OCOP_CENTRAL_AUTHORITY_NAME)."""
    unit = decision.issuing_unit
    if unit is not None and unit.level == UnitLevel.CENTRAL:
        return unit.name
    return settings.OCOP_CENTRAL_AUTHORITY_NAME


def certificate_issue(*, recognition: RecognisedProduct, issued_on: datetime.date | None = None,
                      by: User | None, render: bool = True) -> Certificate:
    """Issue the certificate of a product a decision recognised at 3★ or more.

    The issuing authority is the decision's level: the ministry (OCOP_CENTRAL_AUTHORITY_NAME) for the central
    level, whatever unit its council sits on; otherwise the decision's unit, which may not recognise more
    than its level's ceiling, and must still exist on the day of issue. Side effects: allocates the number;
    creates the certificate (valid 36 months, see validity.py) with the regulation the product was rated under;
    derives the product's chain (it supersedes only what was issued before it); audited; queues its PDF.
    """
    decision = recognition.decision
    if recognition.star < MIN_RECOGNISED_STAR:
        raise ValidationError(_("Only products recognised at 3 stars or more receive a certificate."))
    if Certificate.objects.filter(recognition=recognition).exists():
        raise ValidationError(_("This product already has its certificate for the decision."))
    issued_on = issued_on or decision.signed_on
    _check_dates(issued_on=issued_on, today=timezone.localdate())
    regulation = recognition.evaluation.regulation if recognition.evaluation_id else regulation_in_force(issued_on)
    if recognition.star > _level_ceiling(decision.level, regulation):
        raise ValidationError(_("%(product)s: a decision of the %(level)s cannot recognise %(star)s stars; "
                                "only the ministry recognises 5 stars.") % {
            "product": recognition.product, "level": decision.get_level_display().lower(), "star": recognition.star})
    central = decision.level == EvaluationLevel.CENTRAL
    issuing_unit = None if central else decision.issuing_unit
    unit_in_force_check(unit=issuing_unit, on=issued_on, field="issued_on", issuing=True)
    with transaction.atomic():
        certificate = Certificate(
            number=certificate_number_next(issuing_unit=issuing_unit, year=issued_on.year),
            issuing_unit=issuing_unit, authority_name=_central_authority_name(decision) if central else "",
            recognition=recognition, decision=decision, regulation=regulation,
            product=recognition.product, subject=recognition.product.subject, star=recognition.star,
            decision_number=decision.number, decision_date=decision.signed_on, signer=decision.signer,
            level=decision.level, issued_on=issued_on, valid_until=valid_until(issued_on))
        certificate.full_clean()
        certificate.save()
        audit_log(actor=by, obj=certificate, action=AuditAction.CREATE)
        certificate_chain_rebuild(product_ids=[certificate.product_id], by=by)
        if render:
            _queue_pdf(certificate)
    certificate.refresh_from_db()
    return certificate


def certificates_issue_for_decision(*, decision: Decision, by: User | None, render: bool = True) -> list[Certificate]:
    """Issue every certificate of a decision not issued yet (idempotent), then render their PDFs as one job.

    The job (a RenderJob in batches, see tasks.py) shows its progress on the decision's page.
    """
    from .tasks import render_job_start

    with transaction.atomic():
        pending = decision.items.filter(certificate__isnull=True, star__gte=MIN_RECOGNISED_STAR).select_related(
            "product__subject", "decision__issuing_unit").order_by("pk")
        issued = [certificate_issue(recognition=item, by=by, render=False) for item in pending]
        if issued and render:
            render_job_start(certificate_ids=[c.pk for c in issued], decision=decision, by=by)
    return issued


def certificate_revoke(*, certificate: Certificate, reason: str, decision_number: str, ground: str = "",
                       revoked_on: datetime.date | None = None, inspection: Inspection | None = None,
                       by: User | None) -> Certificate:
    """Withdraw a certificate (thu hồi) on a ground of Art. 8, with a note and the revoking decision, and the
    inspection after recognition that proposed it when there was one (its basis).

    Refused: no ground, note or decision number; a date in the future or before the certificate's issue, or
    before the inspection it rests on; an inspection of another certificate or that did not propose revocation; a
    certificate already revoked. Side effects: records the revocation (public on the verification page);
    audited; re-renders the PDF (it shows the revocation).
    """
    reason, decision_number = (reason or "").strip(), (decision_number or "").strip()
    revoked_on = revoked_on or timezone.localdate()
    errors = {}
    if ground not in RevocationGround.values:
        errors["ground"] = _("Choose the ground for the revocation.")
    if not reason:
        errors["reason"] = _("Give the reason for the revocation.")
    if not decision_number:
        errors["decision_number"] = _("Give the number of the revocation decision.")
    if revoked_on > timezone.localdate():
        errors["revoked_on"] = _("A revocation cannot be dated in the future.")
    elif revoked_on < certificate.issued_on:
        errors["revoked_on"] = _("A certificate cannot be revoked before it was issued (%(date)s).") % {
            "date": certificate.issued_on.strftime("%d/%m/%Y")}
    if inspection is not None:
        if inspection.certificate_id != certificate.pk or inspection.verdict != InspectionVerdict.REVOCATION:
            errors["inspection"] = _("Only an inspection of this certificate that proposed its revocation can be "
                                     "its basis.")
        elif "revoked_on" not in errors and revoked_on < inspection.inspected_on:
            errors["revoked_on"] = _("The revocation cannot come before the inspection it rests on (%(date)s).") % {
                "date": inspection.inspected_on.strftime("%d/%m/%Y")}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_on:
            raise ValidationError(_("The certificate is already revoked."))
        certificate.revoked_on, certificate.revoke_ground = revoked_on, ground
        certificate.revoke_reason, certificate.revoke_decision_number = reason, decision_number
        certificate.revoke_inspection = inspection
        certificate.revoked_by = by if by is not None and by.is_authenticated else None
        certificate.save(update_fields=["revoked_on", "revoke_ground", "revoke_reason", "revoke_decision_number",
                                        "revoke_inspection", "revoked_by"])
        message = _("Revoked by %(number)s (%(ground)s): %(reason)s") % {
            "number": decision_number, "ground": RevocationGround(ground).label, "reason": reason}
        if inspection is not None:
            message += " " + _("[on the basis of the inspection of %(date)s]") % {
                "date": inspection.inspected_on.strftime("%d/%m/%Y")}
        audit_log(actor=by, obj=certificate, action=AuditAction.TRANSITION, message=message)
        _queue_pdf(certificate)
    return certificate


def _queue_pdf(certificate: Certificate) -> None:
    """Render the PDF once the transaction commits: a Celery task recorded in the outbox with the change
    (ocop/outbox.py; eager when no broker is set, left for the sweep when the broker is down)."""
    from .tasks import render_certificate_pdf

    outbox_enqueue(render_certificate_pdf, certificate_id=certificate.pk)


def renewal_kind_allowed(certificate: Certificate, kind: str, today: datetime.date) -> str | None:
    """Why a renewal or upgrade cannot start from this certificate on `today`, or None when it can.

    Renewal: within the notice window before the end, or after it. Upgrade: while in force, below 5★. Never
    from a revoked or superseded certificate."""
    status = Certificate.objects.with_status(on=today).get(pk=certificate.pk).status
    if status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED, CertificateStatus.NOT_ISSUED):
        return _("A revoked or superseded certificate cannot be renewed or upgraded.")
    if kind == Renewal.Kind.RENEWAL and status not in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED):
        return _("A renewal starts when the certificate is about to expire (%(days)s days before its end).") % {
            "days": expiring_window_days()}
    if kind == Renewal.Kind.UPGRADE:
        if status not in (CertificateStatus.VALID, CertificateStatus.EXPIRING):
            return _("An upgrade starts from a certificate still in force.")
        if certificate.star >= MAX_STAR:
            return _("The product already holds 5 stars.")
    if certificate.renewals.filter(dossier__status__in=["draft", "submitted"]).exists():
        return _("A re-evaluation from this certificate is already under way.")
    return None


def renewal_kinds_open(certificate: Certificate, today: datetime.date) -> list[str]:
    """The kinds of re-evaluation this certificate offers today (none when revoked or superseded)."""
    return [kind for kind in Renewal.Kind.values if renewal_kind_allowed(certificate, kind, today) is None]


def certificate_renewal_start(*, certificate: Certificate, kind: str, cycle: Cycle, by: User | None) -> Renewal:
    """Open the product's dossier in `cycle` for a renewal or an upgrade, pre-filled with the last dossier's
    evidence (each file copied, so the old dossier keeps its own).

    Side effects: creates the dossier (products.services.dossiers.dossier_create, audited), its documents and
    the Renewal; writes an audit entry on the certificate. Raises ValidationError when the certificate's
    status does not allow the kind, or the product already has a dossier in the cycle.
    """
    from products.models import Dossier, DossierDocument
    from products.services.dossiers import dossier_create

    problem = renewal_kind_allowed(certificate, kind, timezone.localdate())
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
                         authority_name: str = "", regulation: Regulation | None = None, by: User | None,
                         render: bool = True) -> Certificate:
    """Record a certificate issued outside this system (a province's earlier register, or the central level's
    5★ certificates, whose authority is the ministry): same rules as `certificate_issue`, number given.

    The regulation it was rated under is given (an imported register's "Bộ tiêu chí") or the one in force on
    the issue date. Side effects: creates it (valid 36 months from `issued_on`) under the authority's
    numbering lock; derives the product's chain (an old certificate recorded late supersedes nothing newer);
    audited; queues its PDF. Raises ValidationError (nothing saved) on a star below 3 or above the level's
    ceiling, a number already used by the authority, a date in the future, or no authority, or one that no longer
    exists on the day of issue (a 2026 certificate of Bắc Kạn is Thái Nguyên's).
    """
    if star is None or star < MIN_RECOGNISED_STAR:
        raise ValidationError({"star": _("Only products recognised at 3 stars or more receive a certificate.")})
    if issuing_unit is None and level != EvaluationLevel.CENTRAL:
        raise ValidationError({"authority": _("Name the unit that issued the certificate.")})
    regulation = regulation or regulation_in_force(issued_on)
    if star > _level_ceiling(level, regulation):
        raise ValidationError({"star": _("Only the ministry (the central level) recognises 5 stars.")})
    if level == EvaluationLevel.CENTRAL:
        issuing_unit, authority_name = None, (authority_name or "").strip() or settings.OCOP_CENTRAL_AUTHORITY_NAME
    _check_dates(issued_on=issued_on, today=timezone.localdate())
    unit_in_force_check(unit=issuing_unit, on=issued_on, field="authority")
    number = (number or "").strip()
    with transaction.atomic():
        _sequence_locked(authority_code(issuing_unit), issued_on.year)
        if _authority_certificates(issuing_unit).filter(number__iexact=number).exists():
            raise ValidationError({"number": _("Certificate number %(number)s is already used by its authority.") % {
                "number": number}})
        certificate = Certificate(
            number=number, issuing_unit=issuing_unit, authority_name=authority_name.strip(),
            product=product, subject=product.subject, star=star, decision_number=decision_number,
            decision_date=decision_date, signer=signer, level=level, issued_on=issued_on,
            valid_until=valid_until(issued_on), regulation=regulation)
        certificate.full_clean()
        certificate.save()
        audit_log(actor=by, obj=certificate, action=AuditAction.CREATE, message=_("Recorded from an existing register"))
        certificate_chain_rebuild(product_ids=[product.pk], by=by)
        if render:
            _queue_pdf(certificate)
    certificate.refresh_from_db()
    return certificate


def product_standing(product, on: datetime.date):
    """The certificate a product holds on a date, for the evaluation app (through ocop.registry): its number,
    star, end and whether a renewal may start; None when it holds none in force."""
    from ocop.registry import ProductStanding

    certificate = (Certificate.objects.in_force(on=on).filter(product=product).order_by("-issued_on").first())
    if certificate is None:
        return None
    renewable = certificate.valid_until <= on + datetime.timedelta(days=expiring_window_days())
    return ProductStanding(certificate_number=certificate.number, star=certificate.star,
                           valid_until=certificate.valid_until, renewable=renewable)


def star_held(product_path: str, on: datetime.date) -> tuple[dict, str]:
    """For the evaluation app (through ocop.registry): a join from a query's rows (reaching a product by
    `product_path`) to the product's certificate in force on `on`, and the path of its star."""
    relation = f"{product_path}__certificates"
    condition = live_q(on, prefix=f"{relation}__") & Q(**{f"{relation}__valid_until__gte": on})
    return {"held_certificate": FilteredRelation(relation, condition=condition)}, "held_certificate__star"


def certificate_chains_repair(*, by: User | None = None, audit: bool = True) -> list[int]:
    """Derive every product's chain again in bulk (register_check --fix, seed_scale): the same rule as
    `certificate_chain_rebuild`, without loading the certificates as objects. Returns the ids changed.

    Side effects: writes superseded_by / superseded_on where they differ from what the dates give; one audit
    entry per certificate changed (unless `audit` is False, for generated data)."""
    with transaction.atomic():
        rows = list(Certificate.objects.select_for_update().order_by().values_list(
            "pk", "product_id", "issued_on", "valid_until", "star", "number", "superseded_by_id", "superseded_on"))
        current = {row[0]: (row[6], row[7]) for row in rows}
        numbers = {row[0]: row[5] for row in rows}
        wanted = supersessions(Link(*row[:6]) for row in rows)
        changed = [Certificate(pk=pk, number=numbers[pk], superseded_by_id=successor, superseded_on=on)
                   for pk, (successor, on) in wanted.items() if current[pk] != (successor, on)]
        Certificate.objects.bulk_update(changed, ["superseded_by", "superseded_on"], batch_size=2000)
        if audit:
            for certificate in changed:
                audit_log(actor=by, obj=certificate, action=AuditAction.TRANSITION, message=_chain_message(
                    numbers.get(certificate.superseded_by_id), certificate.superseded_on))
    return [c.pk for c in changed]
