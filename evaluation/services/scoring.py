"""Writes on scorecards: one choice at a time (autosave) or a whole sheet, submission, reopening by the chair."""
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.models import User
from ocop.services import audit_log, notify

from ..enums import MemberRole, ScorecardStatus, SessionStatus
from ..models import Criterion, CriterionOption, CriterionScore, Scorecard, Session

# The notification a member gets when the chair reopens his scorecard.
SCORECARD_REOPENED = "evaluation.scorecard_reopened"


def session_held_check(session: Session) -> None:
    """Refuses scoring in a session whose date has not come: members score at the sitting, not before it."""
    if not session.has_taken_place:
        raise ValidationError(_("The session of %(date)s has not taken place yet: scoring cannot start.") % {
            "date": session.held_on.strftime("%d/%m/%Y")}, code="not_held")


def _lock_open_card(scorecard: Scorecard, by: User) -> Scorecard:
    """The scorecard, locked for the transaction; refused (with a code views map to 403 or 400) unless it
    is the acting member's own, still open, in a session not yet finalised whose date has come."""
    # Lock the scorecard row only (`of`): locking the joined session row would make every member's autosave
    # wait for the others'. The joins carry what the audit entry's text needs.
    card = (Scorecard.objects.select_for_update(of=("self",))
            .select_related("member__user", "evaluation__product", "evaluation__session__council")
            .get(pk=scorecard.pk))
    if card.member.user_id != by.pk:
        raise ValidationError(_("Only the member who owns this scorecard can fill it in."), code="not_owner")
    if card.evaluation.session.status == SessionStatus.FINALISED:
        raise ValidationError(_("The session is finalised."), code="finalised")
    session_held_check(card.evaluation.session)
    if card.status != ScorecardStatus.OPEN:
        raise ValidationError(_("The scorecard is submitted and locked."), code="locked")
    return card


def _answer_check(card: Scorecard, criterion_id, option: CriterionOption | None) -> None:
    """Refuses an answer that is not one of the criterion's, or a criterion not on the card's sheet."""
    if option is None:
        raise ValidationError(_("Unknown criterion or answer."), code="unknown")
    if option.criterion_id != criterion_id:
        raise ValidationError(_("This answer does not belong to the criterion."), code="wrong_option")
    if option.criterion.sheet_id != card.evaluation.sheet_id:
        raise ValidationError(_("This criterion is not on the product's score sheet."), code="wrong_sheet")


def _scoring_started(card: Scorecard) -> None:
    """The first answer moves a planned session to scoring."""
    session = card.evaluation.session
    if session.status == SessionStatus.PLANNED:
        Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).update(status=SessionStatus.SCORING)
        session.status = SessionStatus.SCORING


def score_set(*, scorecard: Scorecard, criterion_id: int, option_id: int, note: str | None = None,
              by: User) -> CriterionScore:
    """Save one answer of a member's scorecard (called on every click).

    Refused: an option of another criterion, a criterion of another sheet, a locked scorecard, another
    member's scorecard, a finalised session, a session whose date has not come. Side effects: creates or
    updates the answer; the first answer moves a planned session to scoring; audits a change of answer.
    """
    with transaction.atomic():
        card = _lock_open_card(scorecard, by)
        try:
            # One query for the option and its criterion: this runs on every click.
            option = CriterionOption.objects.select_related("criterion").get(pk=int(option_id))
            criterion_id = int(criterion_id)
        except (CriterionOption.DoesNotExist, ValueError, TypeError) as exc:
            raise ValidationError(_("Unknown criterion or answer."), code="unknown") from exc
        _answer_check(card, criterion_id, option)
        criterion = option.criterion
        _scoring_started(card)
        score = CriterionScore.objects.filter(scorecard=card, criterion=criterion).first()
        if score is None:
            score = CriterionScore.objects.create(scorecard=card, criterion=criterion, option=option,
                                                  points=option.points, note=note or "")
        else:
            old_points = score.points
            score.option, score.points = option, option.points
            if note is not None:
                score.note = note
            score.save(update_fields=["option", "points", "note", "updated_at"])
            if old_points != option.points:
                audit_log(actor=by, obj=card, action=AuditAction.UPDATE,
                          changes={criterion.code: [str(old_points), str(option.points)]})
    return score


def scores_set(*, scorecard: Scorecard, answers: Mapping[int, int], by: User) -> int:
    """Save several answers of a member's scorecard at once (his signed paper sheet, the demo's members):
    what `score_set` does for each, in one transaction and a fixed number of queries whatever their number.
    `answers` maps a criterion's id to the chosen option's id. Returns how many answers were new or changed.

    Refused as a whole, nothing saved, on any answer `score_set` would refuse. Side effects: creates or
    updates the answers; the first answers move a planned session to scoring; one audit entry lists the
    changed answers' points.
    """
    with transaction.atomic():
        card = _lock_open_card(scorecard, by)
        try:
            wanted = {int(criterion_id): int(option_id) for criterion_id, option_id in answers.items()}
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Unknown criterion or answer."), code="unknown") from exc
        options = CriterionOption.objects.select_related("criterion").in_bulk(set(wanted.values()))
        for criterion_id, option_id in wanted.items():
            _answer_check(card, criterion_id, options.get(option_id))
        if not wanted:
            return 0
        _scoring_started(card)
        existing = {score.criterion_id: score for score in CriterionScore.objects.filter(
            scorecard=card, criterion_id__in=list(wanted))}
        now = timezone.now()
        created, changed, audited = [], [], {}
        for criterion_id, option_id in wanted.items():
            option = options[option_id]
            score = existing.get(criterion_id)
            if score is None:
                created.append(CriterionScore(scorecard=card, criterion_id=criterion_id, option=option,
                                              points=option.points))
            elif score.option_id != option.pk:
                if score.points != option.points:
                    audited[option.criterion.code] = [str(score.points), str(option.points)]
                score.option, score.points, score.updated_at = option, option.points, now
                changed.append(score)
        CriterionScore.objects.bulk_create(created)
        CriterionScore.objects.bulk_update(changed, ["option", "points", "updated_at"])
        if audited:
            audit_log(actor=by, obj=card, action=AuditAction.UPDATE, changes=audited)
    return len(created) + len(changed)


def score_note_set(*, scorecard: Scorecard, criterion_id: int, note: str, by: User) -> CriterionScore:
    """Save a member's note on a criterion already answered."""
    with transaction.atomic():
        card = _lock_open_card(scorecard, by)
        score = CriterionScore.objects.filter(scorecard=card, criterion_id=criterion_id).first()
        if score is None:
            raise ValidationError(_("Choose an answer before writing a note."), code="unanswered")
        score.note = note[:1000]
        score.save(update_fields=["note", "updated_at"])
    return score


def scorecard_totals(scorecard: Scorecard) -> dict:
    """Running totals per part code and overall, and how many criteria are answered: one query."""
    rows = list(scorecard.scores.values("criterion__part__code").annotate(total=Sum("points"), answered=Count("id")))
    parts = {r["criterion__part__code"]: r["total"] for r in rows}
    return {"parts": parts, "total": sum(parts.values()) if parts else 0,
            "answered": sum(r["answered"] for r in rows)}


def scorecard_submit(*, scorecard: Scorecard, by: User) -> Scorecard:
    """Submit a complete scorecard; it is then locked. Refused before the session's date, like every answer.
    Side effects: status, time; audited."""
    with transaction.atomic():
        card = _lock_open_card(scorecard, by)
        missing = list(Criterion.objects.filter(sheet_id=card.evaluation.sheet_id)
                       .exclude(scores__scorecard=card).values_list("code", flat=True))
        if missing:
            raise ValidationError(_("Answer every criterion before submitting. Missing: %(codes)s") % {
                "codes": ", ".join(missing)})
        card.status = ScorecardStatus.SUBMITTED
        card.submitted_at = timezone.now()
        card.save(update_fields=["status", "submitted_at"])
        audit_log(actor=by, obj=card, action=AuditAction.TRANSITION, message=_("Scorecard submitted"))
    return card


def scorecard_reopen(*, scorecard: Scorecard, reason: str, by: User) -> Scorecard:
    """The chair reopens a submitted scorecard with a recorded reason.

    Side effects: the scorecard open again (submitted_at cleared, the reason kept); an audit entry; the member
    told once, in the bell and by email, with the reason and a link to his scorecard (not when the chair reopens
    his own)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    with transaction.atomic():
        card = (Scorecard.objects.select_for_update(of=("self",))
                .select_related("evaluation__session__council", "evaluation__product", "member__user")
                .get(pk=scorecard.pk))
        session = card.evaluation.session
        if not session.council.members.filter(user=by, role=MemberRole.CHAIR).exists():
            raise ValidationError(_("Only the chair of the council can reopen a scorecard."))
        if session.status == SessionStatus.FINALISED:
            raise ValidationError(_("The session is finalised."))
        if card.status != ScorecardStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted scorecard can be reopened."))
        card.status, card.submitted_at, card.reopen_reason = ScorecardStatus.OPEN, None, reason
        card.save(update_fields=["status", "submitted_at", "reopen_reason"])
        audit_log(actor=by, obj=card, action=AuditAction.TRANSITION,
                  message=_("Scorecard reopened: %(reason)s") % {"reason": reason})
        if card.member.user_id != by.pk:
            _reopen_notify(card, reason=reason, by=by)
    return card


def _reopen_notify(card: Scorecard, *, reason: str, by: User) -> None:
    """Tell the member his scorecard was reopened by the chair, why, and where to correct it (in the site's
    language: the text is stored as written)."""
    product, session = card.evaluation.product, card.evaluation.session
    with translation.override(settings.LANGUAGE_CODE):
        notify([card.member.user], kind=SCORECARD_REOPENED, target=card, email=True,
               title=_("Your scorecard for %(product)s was reopened") % {"product": product.name},
               body=_("%(chair)s, the chair of %(council)s, reopened your scorecard for %(product)s (session of "
                      "%(date)s) for you to correct it and submit it again. Reason: %(reason)s") % {
                   "chair": by, "council": session.council.name, "product": product.name,
                   "date": session.held_on.strftime("%d/%m/%Y"), "reason": reason},
               url=reverse("evaluation:score", args=[card.pk]))
