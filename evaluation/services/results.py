"""Writes that close a session: finalisation (quorum, submissions, the chair's confirmation) and decisions."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.models import User
from ocop.services import audit_log

from ..enums import MemberRole, SessionStatus
from ..models import Decision, RecognisedProduct, Session
from ..selectors import session_missing_submissions, session_results


def session_quorum(session: Session) -> tuple[bool, str]:
    """Whether the members present make a quorum under the session's regulation."""
    members = session.council.members.count()
    present = session.present.count()
    evaluation = session.evaluations.select_related("regulation").first()
    if evaluation is None:
        return False, _("No product is assigned to the session.")
    regulation = evaluation.regulation
    if members == 0 or Decimal(present) / Decimal(members) < regulation.quorum_ratio:
        return False, _("%(present)s of %(members)s members present; the quorum is %(ratio)s%%.") % {
            "present": present, "members": members, "ratio": int(regulation.quorum_ratio * 100)}
    if regulation.quorum_requires_chair and not session.present.filter(role=MemberRole.CHAIR).exists():
        return False, _("The chair must be present.")
    return True, ""


def session_finalise(*, session: Session, by: User, accept_spread: bool = False) -> list:
    """Close a session: the results become the legal record.

    Needs the quorum, every present member's scorecards submitted and the chair's confirmation (the chair
    finalises). A spread above the limit must be re-scored, or explicitly accepted after discussion.
    Side effects: writes each evaluation's average, band, recognised star and nomination; status
    finalised; audited.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.FINALISED:
            raise ValidationError(_("The session is already finalised."))
        if not session.council.members.filter(user=by, role=MemberRole.CHAIR).exists():
            raise ValidationError(_("Only the chair of the council can finalise the session."))
        ok, why = session_quorum(session)
        if not ok:
            raise ValidationError(why)
        # Every present member must have submitted a scorecard for every product he has no conflict on:
        # an open scorecard, or none at all (a member added after the product was assigned), blocks.
        missing = session_missing_submissions(session)
        if missing:
            names = [f"{member.user} – {evaluation.product}" for member, evaluation in missing[:10]]
            if len(missing) > 10:
                names.append("…")
            raise ValidationError(_("Scorecards not yet submitted: %(list)s") % {"list": "; ".join(names)})
        results = session_results(session)
        exceeded = [r for r in results if r.spread_exceeded]
        if exceeded and not accept_spread:
            raise ValidationError(_("Members' totals differ by more than the allowed spread for: %(list)s. "
                                    "Re-score, or confirm that the council discussed them.") % {
                "list": ", ".join(str(r.evaluation.product) for r in exceeded)})
        for result in results:
            evaluation = result.evaluation
            outcome = result.outcome
            evaluation.final_score = result.mean
            evaluation.star_band = outcome.star_band if outcome else None
            evaluation.recognised_star = outcome.recognised_star if outcome else 0
            evaluation.nominated_to = outcome.nominated_to if outcome else ""
            evaluation.save(update_fields=["final_score", "star_band", "recognised_star", "nominated_to"])
        session.status = SessionStatus.FINALISED
        session.finalised_at = timezone.now()
        session.finalised_by = by
        session.save(update_fields=["status", "finalised_at", "finalised_by"])
        audit_log(actor=by, obj=session, action=AuditAction.TRANSITION, message=_("Session finalised"))
    return results


def decision_issue(*, session: Session, number: str, signed_on, signer: str, by: User | None) -> Decision:
    """Issue the recognition decision of a finalised session for every product recognised at 3★ or more
    that no earlier decision of the session already covers.

    Refused: a session not finalised, a decision number the issuing authority already used, a signing date
    before the session, nothing left to recognise. Side effects: creates the decision and its recognised
    products; audited.
    """
    number = (number or "").strip()
    signer = (signer or "").strip()
    try:
        with transaction.atomic():
            session = (Session.objects.select_for_update(of=("self",)).select_related("council__unit")
                       .get(pk=session.pk))
            if session.status != SessionStatus.FINALISED:
                raise ValidationError(_("Finalise the session before issuing its decision."))
            if signed_on and signed_on < session.held_on:
                raise ValidationError({"signed_on": _(
                    "The decision cannot be signed before the session was held (%(date)s).") % {
                    "date": session.held_on.strftime("%d/%m/%Y")}})
            if number and Decision.objects.filter(issuing_unit=session.council.unit, number=number).exists():
                raise ValidationError({"number": _("This decision number is already used by the issuing authority.")})
            eligible = session.evaluations.filter(recognised_star__gte=3)
            recognised = list(eligible.filter(recognition__isnull=True).select_related("product"))
            if not recognised:
                if eligible.exists():
                    raise ValidationError(_("Every product this session recognised is already in a decision."))
                raise ValidationError(_("No product of this session is recognised at 3 stars or more."))
            decision = Decision(session=session, number=number, signed_on=signed_on, signer=signer,
                                issuing_unit=session.council.unit, level=session.council.level, created_by=by)
            decision.full_clean(exclude=["created_by"])  # None for a decision recorded by the system
            decision.save()
            RecognisedProduct.objects.bulk_create([
                RecognisedProduct(decision=decision, evaluation=e, product=e.product, star=e.recognised_star)
                for e in recognised])
            audit_log(actor=by, obj=decision, action=AuditAction.CREATE,
                      message=_("%(count)s products recognised") % {"count": len(recognised)})
    except IntegrityError as exc:  # a concurrent decision took the number (or the products) first
        raise ValidationError({"number": _("This decision number is already used by the issuing authority.")}) from exc
    return decision
