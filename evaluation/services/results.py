"""Writes that close a session: finalisation (quorum, submissions, the chair's confirmation) and decisions."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.models import User
from ocop.official import COMMITTEE_TITLES, MINISTRY_TITLES
from ocop.services import Tell, audit_log, notify_once, unit_in_force_check
from products.models import Product
from subjects.models import SubjectRepresentative

from ..enums import EvaluationLevel, MemberRole, SessionStatus
from ..models import ConflictOfInterest, Decision, Evaluation, LevelRule, RecognisedProduct, Session
from ..selectors.results import session_missing_submissions, session_results
from ..star_rules import MAX_STAR, MIN_RECOGNISED_STAR

RESULTS_PUBLISHED = "evaluation.results"
ROADMAP_AVAILABLE = "evaluation.roadmap"


def _percent(ratio: Decimal) -> int:
    return int(ratio * 100)


def session_quorum_problems(session: Session) -> list[str]:
    """Why the members present cannot decide the session's products (empty when they can); four queries.

    The session first: the members present against the highest quorum among its products' regulations, and
    the chair present when one of them requires it. Then each product, under its own regulation: the members
    who may decide it are those present without a conflict of interest on it (declared or detected), and they
    must make up the quorum's share of the whole council, not of the members left once the others stood
    aside: a product decided by two of nine members because seven had a conflict is not the council's
    decision. When the regulation requires the chair and the chair has a conflict on a product, a vice-chair
    present without one presides over it instead; without one the product cannot be decided at this sitting.
    """
    evaluations = list(session.evaluations.select_related("product", "regulation").order_by("position", "pk"))
    if not evaluations:
        return [_("No product is assigned to the session.")]
    members = session.council.members.count()
    present = {member.pk: member.role for member in session.present.only("pk", "role")}
    regulations = {e.regulation_id: e.regulation for e in evaluations}
    ratio = max(r.quorum_ratio for r in regulations.values())
    if members == 0 or Decimal(len(present)) / Decimal(members) < ratio:
        return [_("%(present)s of %(members)s members present; the quorum is %(ratio)s%%.") % {
            "present": len(present), "members": members, "ratio": _percent(ratio)}]
    if any(r.quorum_requires_chair for r in regulations.values()) and MemberRole.CHAIR not in present.values():
        return [_("The chair must be present.")]
    conflicted: dict[int, set] = {}
    for evaluation_id, member_id in ConflictOfInterest.objects.filter(evaluation__session=session).values_list(
            "evaluation_id", "member_id"):
        conflicted.setdefault(evaluation_id, set()).add(member_id)
    problems = []
    for evaluation in evaluations:
        regulation = evaluation.regulation
        eligible = {pk: role for pk, role in present.items() if pk not in conflicted.get(evaluation.pk, set())}
        if Decimal(len(eligible)) / Decimal(members) < regulation.quorum_ratio:
            problems.append(_("Product %(product)s: only %(eligible)s of %(members)s members are present without a "
                              "conflict of interest; at least %(ratio)s%% are needed.") % {
                "product": evaluation.product, "eligible": len(eligible), "members": members,
                "ratio": _percent(regulation.quorum_ratio)})
        elif regulation.quorum_requires_chair and MemberRole.CHAIR not in eligible.values() \
                and MemberRole.VICE_CHAIR not in eligible.values():
            problems.append(_("Product %(product)s: the chair has a conflict of interest and no vice-chair without "
                              "one is present to preside.") % {"product": evaluation.product})
    return problems


def session_quorum(session: Session) -> tuple[bool, str]:
    """Whether the members present make a quorum for every product of the session, and if not, why."""
    problems = session_quorum_problems(session)
    return not problems, " ".join(problems)


def product_nominations_refresh(*, product_ids) -> int:
    """Derive each product's `nominated_central_on` from its evaluations: the day of the first finalised session
    that nominated it to the central level (None when none did), whatever order the sessions were finalised in.
    Returns how many products changed. Two queries and one update for the products that changed."""
    ids = set(product_ids)
    first = dict(Evaluation.objects.filter(
        product_id__in=ids, nominated_to=EvaluationLevel.CENTRAL, session__status=SessionStatus.FINALISED)
        .values("product_id").annotate(first=Min("session__held_on")).values_list("product_id", "first"))
    changed = [product for product in Product.objects.filter(pk__in=ids).only("pk", "nominated_central_on")
               if product.nominated_central_on != first.get(product.pk)]
    for product in changed:
        product.nominated_central_on = first.get(product.pk)
    Product.objects.bulk_update(changed, ["nominated_central_on"])
    return len(changed)


def session_finalise(*, session: Session, by: User, spread_reason: str = "") -> list:
    """Close a session: the results become the legal record.

    Refused: a session whose date has not come, one already finalised, anybody but the chair, a quorum
    missing for any product (see `session_quorum_problems`), a present member's scorecard not submitted,
    and members' totals further apart than the regulation allows for some product unless the council writes
    why it accepts them (`spread_reason`; re-scoring is the other way out).
    Side effects: writes each evaluation's average, band, recognised star (within the council level's
    ceiling: `star_rules.outcome_for`) and nomination, and the reason on each product whose spread was
    accepted; status finalised; audited, with the accepted spreads and their reason.
    """
    spread_reason = (spread_reason or "").strip()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.FINALISED:
            raise ValidationError(_("The session is already finalised."))
        if not session.has_taken_place:
            raise ValidationError(_("The session of %(date)s has not taken place yet: it cannot be finalised.") % {
                "date": session.held_on.strftime("%d/%m/%Y")})
        if not session.council.members.filter(user=by, role=MemberRole.CHAIR).exists():
            raise ValidationError(_("Only the chair of the council can finalise the session."))
        problems = session_quorum_problems(session)
        if problems:
            raise ValidationError(problems)
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
        exceeded_names = ", ".join(str(r.evaluation.product) for r in exceeded)
        if exceeded and not spread_reason:
            raise ValidationError(_("Members' totals differ by more than the allowed spread for: %(list)s. Re-score, "
                                    "or confirm that the council discussed them. Write why the council accepts "
                                    "the difference.") % {"list": exceeded_names})
        for result in results:
            evaluation = result.evaluation
            outcome = result.outcome
            evaluation.final_score = result.mean
            evaluation.star_band = outcome.star_band if outcome else None
            evaluation.recognised_star = outcome.recognised_star if outcome else 0
            evaluation.nominated_to = outcome.nominated_to if outcome else ""
            evaluation.spread_reason = spread_reason if result.spread_exceeded else ""
            evaluation.save(update_fields=["final_score", "star_band", "recognised_star", "nominated_to",
                                           "spread_reason"])
        session.status = SessionStatus.FINALISED
        session.finalised_at = timezone.now()
        session.finalised_by = by
        session.save(update_fields=["status", "finalised_at", "finalised_by"])
        product_nominations_refresh(product_ids=[r.evaluation.product_id for r in results])
        results_published_notify(session=session)
        if exceeded:
            message = _("Session finalised; the spread above the limit was accepted for %(list)s: %(reason)s") % {
                "list": exceeded_names, "reason": spread_reason}
        else:
            message = _("Session finalised")
        # The message is cut at 500 characters on the audit entry: the reason is kept whole beside it.
        audit_log(actor=by, obj=session, action=AuditAction.TRANSITION, message=message,
                  changes={"spread_reason": ["", spread_reason]} if exceeded else None)
    return results


def _star_text(star) -> str:
    return _("%(star)s★") % {"star": star} if star else _("not recognised")


def results_published_notify(*, session: Session) -> int:
    """Tell the representatives of each product's subject that its results are published (the mean and the star,
    with a link to them), and, for a product below 5★, that its roadmap to the next star is ready. Once each per
    person and evaluation, in the bell and by email. Returns how many notifications were made."""
    evaluations = list(session.evaluations.filter(final_score__isnull=False).select_related("product"))
    people: dict[int, list] = {}
    for link in (SubjectRepresentative.objects.filter(subject_id__in={e.product.subject_id for e in evaluations},
                                                      user__is_active=True).select_related("user")):
        people.setdefault(link.subject_id, []).append(link.user)
    results, roadmaps = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for evaluation in evaluations:
            star = evaluation.recognised_star or 0
            for user in people.get(evaluation.product.subject_id, []):
                results.append(Tell(
                    recipient=user, target=evaluation,
                    title=_("Results published: %(product)s") % {"product": evaluation.product.name},
                    body=_("The council's session of %(date)s gave %(product)s a mean of %(score)s points: "
                           "%(star)s.") % {"date": session.held_on.strftime("%d/%m/%Y"),
                                           "product": evaluation.product.name,
                                           "score": f"{evaluation.final_score:.2f}".replace(".", ","),
                                           "star": _star_text(star)},
                    url=reverse("evaluation:evaluation-detail", args=[evaluation.pk])))
                if star < MAX_STAR:
                    roadmaps.append(Tell(
                        recipient=user, target=evaluation,
                        title=_("Roadmap to the next star: %(product)s") % {"product": evaluation.product.name},
                        body=_("The criteria with the most points still to gain are ranked for %(product)s, and "
                               "the points it lacks for the next star.") % {"product": evaluation.product.name},
                        url=reverse("evaluation:evaluation-roadmap", args=[evaluation.pk])))
    return (len(notify_once(results, kind=RESULTS_PUBLISHED, email=True))
            + len(notify_once(roadmaps, kind=ROADMAP_AVAILABLE, email=True)))


def evaluation_remarks_set(*, evaluation: Evaluation, remarks: str, by: User) -> Evaluation:
    """Write the council's remarks on a product (its chair or secretary), until the session is finalised.

    Refused once the session is finalised (the results are the legal record). Audited."""
    remarks = (remarks or "").strip()
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().select_related("session").get(pk=evaluation.pk)
        if evaluation.session.status == SessionStatus.FINALISED:
            raise ValidationError(_("The session is finalised: the council's remarks can no longer be changed."))
        before = evaluation.remarks
        if before == remarks:
            return evaluation
        evaluation.remarks = remarks
        evaluation.save(update_fields=["remarks"])
        audit_log(actor=by, obj=evaluation, action=AuditAction.UPDATE, message=_("Council's remarks written"),
                  changes={"remarks": [before, remarks]})
    return evaluation


def decision_issue(*, session: Session, number: str, signed_on, signer: str, signer_title: str = "",
                   by: User | None) -> Decision:
    """Issue the recognition decision of a finalised session for every product recognised at 3★ or more
    that no earlier decision of the session already covers. The decision is of the council's level (a
    central council's decisions are central), issued by the council's unit.

    Refused: a session not finalised, a decision number the issuing authority already used, a signing date
    before the session or after today, or on which the council's unit no longer exists (its successor named),
    a product whose star is above what the decision's level may recognise under the product's regulation (its
    LevelRule; the finalisation already caps it, so this guards the record against rules or results changed
    since), nothing left to recognise, a signer's position that is not the level's (a minister signs only the
    central level's decisions, a People's Committee's chair or vice-chair the others'). Side effects: creates the
    decision and its recognised products; audited.
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
            if signed_on and signed_on > timezone.localdate():
                raise ValidationError({"signed_on": _(
                    "The decision cannot be dated in the future (%(date)s): record it once it is signed.") % {
                    "date": signed_on.strftime("%d/%m/%Y")}})
            if signed_on:
                unit_in_force_check(unit=session.council.unit, on=signed_on, field="signed_on", issuing=True)
            if number and Decision.objects.filter(issuing_unit=session.council.unit, number=number).exists():
                raise ValidationError({"number": _("This decision number is already used by the issuing authority.")})
            level = session.council.level
            eligible = session.evaluations.filter(recognised_star__gte=MIN_RECOGNISED_STAR)
            recognised = list(eligible.filter(recognition__isnull=True).select_related("product"))
            if not recognised:
                if eligible.exists():
                    raise ValidationError(_("Every product this session recognised is already in a decision."))
                raise ValidationError(_("No product of this session is recognised at 3 stars or more."))
            _ceiling_check(recognised, level)
            if signer_title and signer_title not in (
                    MINISTRY_TITLES if level == EvaluationLevel.CENTRAL else COMMITTEE_TITLES):
                raise ValidationError({"signer_title": _("This position does not sign decisions of this level.")})
            decision = Decision(session=session, number=number, signed_on=signed_on, signer=signer,
                                signer_title=signer_title, issuing_unit=session.council.unit, level=level,
                                created_by=by)
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


def _ceiling_check(evaluations: list, level: str) -> None:
    """Refuses a star above the highest one a decision of the level may recognise under each product's
    regulation (no rule for the level: it recognises nothing). One query."""
    ceilings = dict(LevelRule.objects.filter(regulation_id__in={e.regulation_id for e in evaluations}, level=level)
                    .values_list("regulation_id", "max_star"))
    above = [e for e in evaluations if e.recognised_star > ceilings.get(e.regulation_id, 0)]
    if above:
        level_label = EvaluationLevel(level).label
        raise ValidationError([_("%(product)s cannot be recognised at %(star)s stars by a decision of the %(level)s: "
                                 "it may recognise at most %(max)s stars.") % {
            "product": e.product, "star": e.recognised_star, "level": str(level_label).lower(),
            "max": ceilings.get(e.regulation_id, 0)} for e in above])
