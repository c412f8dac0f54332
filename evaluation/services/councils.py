"""Writes on councils and sessions: members, assignment of products, presence, conflicts of interest."""
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.enums import AuditAction, UnitLevel
from ocop.models import AdministrativeUnit, Cycle, Round, User
from ocop.registry import product_standing
from ocop.selectors import round_covering
from ocop.services import audit_log, unit_in_force_check
from products.enums import DossierStatus
from products.models import Dossier, Product

from ..enums import EvaluationKind, EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from ..models import (
    AdvisoryMember,
    ConflictOfInterest,
    Council,
    CouncilMember,
    CycleRegulation,
    Evaluation,
    Regulation,
    Scorecard,
    ScoreSheet,
    Session,
)
from ..star_rules import MAX_STAR


def regulation_in_force(on_date) -> Regulation | None:
    """The regulation (criteria version) in force on a date."""
    return Regulation.objects.filter(effective_from__lte=on_date).order_by("-effective_from").first()


def regulation_for(*, cycle: Cycle, session_date, dossier: Dossier | None = None) -> Regulation:
    """The rules an evaluation is frozen to.

    The programme judges every evaluation under the version of the rules in force when its dossier was
    submitted: a dossier sent in under 148/QĐ-TTg keeps those rules even when its session sits after
    26/2026/QĐ-TTg took effect. So, in this order:
    1. the dossier's procedure day decides (its submission day within its cycle's year and province:
       Dossier.procedure_on, or the submission day of a dossier recorded before that field): the regulation in
       force on that day, the same day that decides who received it;
    2. without a dossier, or one without a submission date (a product found by search, a dossier kept on
       paper), the regulation the cycle was planned under (CycleRegulation) decides: it is the province's
       own statement of the rules of the round, a better witness than the date the council happens to sit;
    3. without that link either, the regulation in force on the session's date.
    A submission date before every regulation decides nothing, and the next rule applies.
    """
    day = None
    if dossier is not None:
        day = dossier.procedure_on or (timezone.localtime(dossier.submitted_at).date() if dossier.submitted_at
                                       else None)
    if day is not None:
        regulation = regulation_in_force(day)
        if regulation is not None:
            return regulation
    link = CycleRegulation.objects.filter(cycle=cycle).select_related("regulation").first()
    if link:
        return link.regulation
    regulation = regulation_in_force(session_date)
    if regulation is None:
        raise ValidationError(_("No regulation is in force on %(date)s.") % {
            "date": session_date.strftime("%d/%m/%Y")})
    return regulation


def dossiers_by_commune_step_q(*, cycle: Cycle, session_date: datetime.date, commune_intake: bool) -> Q:
    """The condition, on Dossier, of the dossiers whose rules have (`commune_intake`) or lack the commune's step
    (`Regulation.commune_intake`), as `regulation_for` decides them for a session of the cycle on `session_date`;
    a list of dossiers is so filtered in the database.

    A regulation holds the procedure days (Dossier.procedure_on) from its entry into force to the next
    regulation's; a dossier without one, or whose day comes before every regulation, follows the regulation
    `regulation_for` falls back on (the cycle's, else the one in force on the session's day). No negation: a NULL
    procedure day would make one exclude the wrong dossiers.
    """
    by_day: dict[datetime.date, bool] = {}
    for starts, intake in Regulation.objects.order_by("effective_from", "pk").values_list("effective_from",
                                                                                         "commune_intake"):
        by_day[starts] = intake  # two regulations in force from one day: the later row
    days = sorted(by_day)
    spans = []
    for i, starts in enumerate(days):
        if by_day[starts] == commune_intake:
            span = Q(procedure_on__gte=starts)
            if i + 1 < len(days):
                span &= Q(procedure_on__lt=days[i + 1])
            spans.append(span)
    try:
        fallback = regulation_for(cycle=cycle, session_date=session_date).commune_intake
    except ValidationError:  # no regulation at all: no commune's step
        fallback = False
    if fallback == commune_intake:
        spans.append(Q(procedure_on__isnull=True))
        if days:
            spans.append(Q(procedure_on__lt=days[0]))
    if not spans:
        return Q(pk__in=[])
    condition = spans[0]
    for span in spans[1:]:
        condition |= span
    return condition


def commune_step_check(*, regulation: Regulation, dossier: Dossier) -> None:
    """Under rules with the commune's step (`Regulation.commune_intake`: 1489/QĐ-TTg, 26/2026/QĐ-TTg) a council
    takes a dossier only once its commune has checked it and sent it to the province; refuses any other."""
    if regulation.commune_intake and dossier.status != DossierStatus.SENT:
        raise ValidationError(
            _("Under %(regulation)s the commune must check the dossier and send it to the province before a council "
              "takes it; this dossier is “%(status)s”.") % {
                "regulation": regulation, "status": dossier.get_status_display()}, code="not_sent")


def evaluation_kind_check(*, product: Product, kind: str, on) -> None:
    """Refuses a kind of evaluation the product's certificate in force on the date does not allow.

    The register is asked through `ocop.registry.product_standing` (the certificates app answers; this app
    does not know it):
    - a first rating only without a certificate in force: a certified product is upgraded or renewed;
    - a star upgrade only with a certificate in force below the highest star;
    - a re-evaluation for renewal with a certificate in force that has entered its renewal window (the
      certificates app says so: within its notice window before the end), or with none in force (it has
      expired, or was revoked, and the product comes back after the fact). The register answers only
      whether a certificate is in force on the date, so a product that never had one is not refused a
      renewal here; choosing "first rating" for it is the officials' part.
    """
    if kind not in EvaluationKind.values:
        raise ValidationError({"kind": _("Choose the kind of evaluation.")})
    standing = product_standing(product, on)
    if kind == EvaluationKind.FIRST and standing is not None:
        raise ValidationError(_("The product holds certificate %(number)s, in force: it can only be evaluated for "
                                "a star upgrade or for renewal.") % {"number": standing.certificate_number},
                              code="certified")
    if kind == EvaluationKind.UPGRADE:
        if standing is None:
            raise ValidationError(_("A star upgrade needs a certificate in force on the session's date (%(date)s): "
                                    "the product has none.") % {"date": on.strftime("%d/%m/%Y")},
                                  code="not_certified")
        if standing.star >= MAX_STAR:
            raise ValidationError(_("The product's certificate %(number)s is already at %(star)s stars: there is "
                                    "no higher star to upgrade to.") % {
                "number": standing.certificate_number, "star": standing.star}, code="top_star")
    if kind == EvaluationKind.RENEWAL and standing is not None and not standing.renewable:
        raise ValidationError(_("The product's certificate %(number)s is valid until %(date)s: its re-evaluation "
                                "for renewal cannot start yet.") % {
            "number": standing.certificate_number, "date": standing.valid_until.strftime("%d/%m/%Y")},
                              code="not_renewable")


def council_create(*, cycle: Cycle, level: str, unit: AdministrativeUnit, name: str, established_by: str = "",
                   by: User | None) -> Council:
    """Form a council.

    Refused: a unit that exists on none of the cycle's days (`Cycle.record_span`), naming the unit that stands for
    it; a unit outside the cycle's province. Side effects: saves it; writes an audit entry.
    """
    if unit is not None and cycle is not None:
        unit_in_force_check(unit=unit, on=cycle.record_day(), until=cycle.record_span()[1], field="unit")
    if unit is not None and cycle is not None and not unit.path.startswith(cycle.province.path):
        raise ValidationError({"unit": _("The council's unit must lie in the cycle's province.")})
    if unit is not None and unit.level == UnitLevel.CENTRAL and level != EvaluationLevel.CENTRAL:
        raise ValidationError({"unit": _("Only the central level's council sits at the ministry.")})
    with transaction.atomic():
        council = Council(cycle=cycle, level=level, unit=unit, name=name, established_by=established_by)
        council.full_clean()
        council.save()
        audit_log(actor=by, obj=council, action=AuditAction.CREATE)
    return council


def council_member_add(*, council: Council, user: User, role: str = MemberRole.MEMBER, agency: str = "",
                       by: User | None) -> CouncilMember:
    """Add a member (one chair per council).

    Side effects: saves; a member joining while sessions are open is counted present at them and gets a
    scorecard for every product already on their agendas (unless he acts for its subject: a detected
    conflict); writes an audit entry on the council.
    """
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    try:
        with transaction.atomic():
            if role == MemberRole.CHAIR and council.members.filter(role=MemberRole.CHAIR).exists():
                raise ValidationError({"role": _("This council already has a chair.")})
            if council.members.filter(user=user).exists():
                raise ValidationError({"user": _("This person is already a member of the council.")})
            member = CouncilMember.objects.create(
                council=council, user=user, role=role, agency=agency or user.agency,
                position=(council.members.order_by("-position").values_list("position", flat=True).first() or 0) + 1)
            for session in council.sessions.exclude(status=SessionStatus.FINALISED):
                session.present.add(member)
                for evaluation in session.evaluations.select_related("product__subject"):
                    _open_scorecards(evaluation, [member])
            audit_log(actor=by, obj=council, action=AuditAction.UPDATE,
                      message=_("Member added: %(user)s (%(role)s)") % {
                          "user": user, "role": member.get_role_display()})
    except IntegrityError as exc:  # two officials adding a chair or the same person at the same moment
        raise ValidationError(_("The council already has this member or a chair; reload the page.")) from exc
    return member


def session_round(*, council: Council, held_on) -> Round | None:
    """The round a sitting of the council on `held_on` belongs to: the round of the council's cycle whose days
    hold the date. None for a day no round holds (the page warns: `selectors.rounds.session_round_warning`), for a
    cycle without rounds and for a central council (the ministry sits on its own calendar, not in a province's
    rounds)."""
    if held_on is None or council.level == EvaluationLevel.CENTRAL:
        return None
    return round_covering(cycle=council.cycle, on=held_on)


def session_create(*, council: Council, held_on, place: str = "", number: int | None = None,
                   by: User | None) -> Session:
    """Plan a sitting in the round of the cycle whose days hold its date (`session_round`), or in none when no
    round holds it (a round created or re-dated later takes it: `services.rounds.sessions_place`).

    Refused: a day on which the council's unit no longer exists (a district's council after 30/06/2025): the
    sitting belongs to a council of the unit that stands for it. Side effects: saves; every member counts as
    present until changed; audited.
    """
    if held_on is not None and council.unit is not None and not council.unit.is_valid_on(held_on):
        raise ValidationError({"held_on": _(
            "The council sits at %(unit)s, which does not exist on %(day)s: plan the sitting with a council of the "
            "unit that stands for it then.") % {"unit": council.unit, "day": held_on.strftime("%d/%m/%Y")}},
            code="unit_ended")
    round_ = session_round(council=council, held_on=held_on)
    with transaction.atomic():
        if number is None:
            number = (council.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        session = Session(council=council, number=number, held_on=held_on, place=place, round=round_)
        session.full_clean()
        session.save()
        session.present.set(council.members.all())
        audit_log(actor=by, obj=session, action=AuditAction.CREATE)
    return session


def session_set_present(*, session: Session, members: list[CouncilMember], by: User | None) -> Session:
    """Record who attends. Side effects: replaces the attendance; audited."""
    if session.status == SessionStatus.FINALISED:
        raise ValidationError(_("The session is finalised."))
    if any(m.council_id != session.council_id for m in members):
        raise ValidationError(_("Only members of this council can attend its session."))
    with transaction.atomic():
        session.present.set(members)
        audit_log(actor=by, obj=session, action=AuditAction.UPDATE,
                  message=_("Members present: %(names)s") % {"names": ", ".join(str(m.user) for m in members)})
    return session


def _open_scorecards(evaluation: Evaluation, members: list[CouncilMember]) -> None:
    """Open a scorecard for each member, except one who acts for the product's subject: his conflict is
    recorded instead (he must not score his own product)."""
    product = evaluation.product
    representatives = set(product.subject.representative_links.values_list("user_id", flat=True))
    cards = []
    for member in members:
        if member.user_id in representatives:
            ConflictOfInterest.objects.get_or_create(
                evaluation=evaluation, member=member,
                defaults={"detected": True,
                          "reason": _("Acts for the subject %(subject)s") % {"subject": product.subject}})
        elif not ConflictOfInterest.objects.filter(evaluation=evaluation, member=member).exists():
            cards.append(Scorecard(evaluation=evaluation, member=member))
    Scorecard.objects.bulk_create(cards, ignore_conflicts=True)


def session_assign(*, session: Session, product: Product, dossier: Dossier | None = None,
                   kind: str = EvaluationKind.FIRST, by: User | None) -> Evaluation:
    """Put a product on a session's agenda, frozen to the regulation (see `regulation_for`: that of its
    dossier's submission) and to its product set's sheet under it.

    Refused: a finalised session; a dossier of another product; under rules with the commune's step, a dossier
    its commune has not sent to the province, and the product without its dossier while that dossier is with the
    commune (`commune_step_check`); a kind of evaluation that the product's certificate in force on the session's
    date does not allow (see `evaluation_kind_check`); no sheet for the product's set; a product already on the
    agenda; at a central council, a product no province nominated to it (`central_nomination_check`). Side effects:
    creates the evaluation; records detected conflicts (a member who acts for the product's
    subject); opens a scorecard for every other member; audited.
    """
    if session.status == SessionStatus.FINALISED:
        raise ValidationError(_("The session is finalised."))
    if dossier is not None and dossier.product_id != product.pk:
        raise ValidationError(_("The dossier is not the product's."))
    evaluation_kind_check(product=product, kind=kind, on=session.held_on)
    central_nomination_check(session=session, product=product)
    cycle = session.council.cycle
    with transaction.atomic():
        if dossier is not None:
            # Its status as it stands, held until the evaluation is saved: the commune cannot return or check a
            # dossier under evaluation (products' dossier_return and dossier_check look for the evaluation).
            dossier = Dossier.objects.select_for_update(of=("self",)).select_related("product").get(pk=dossier.pk)
        regulation = regulation_for(cycle=cycle, session_date=session.held_on, dossier=dossier)
        if dossier is not None:
            commune_step_check(regulation=regulation, dossier=dossier)
        else:
            _dossier_at_commune_check(session=session, product=product)
        sheet = ScoreSheet.objects.filter(regulation=regulation, product_set=product.product_set_id).first()
        if sheet is None:
            raise ValidationError(_("There is no score sheet for %(set)s under %(regulation)s.") % {
                "set": product.product_set, "regulation": regulation})
        if Evaluation.objects.filter(session=session, product=product).exists():
            raise ValidationError(_("This product is already on the session's agenda."))
        evaluation = Evaluation.objects.create(
            session=session, product=product, dossier=dossier, kind=kind, regulation=regulation, sheet=sheet,
            position=session.evaluations.count() + 1)
        _open_scorecards(evaluation, list(session.council.members.select_related("user")))
        audit_log(actor=by, obj=session, action=AuditAction.UPDATE,
                  message=_("Product assigned: %(product)s") % {"product": product})
    return evaluation


def central_nomination_check(*, session: Session, product: Product) -> None:
    """A central council (the ministry's) rates only the products a province nominated to the central level, by a
    session finalised before its own (`Product.nominated_central_on`); refuses any other."""
    if session.council.level != EvaluationLevel.CENTRAL:
        return
    # Read from the database: the product given may have been loaded before the provincial session was finalised.
    nominated_on = Product.objects.filter(pk=product.pk).values_list("nominated_central_on", flat=True).first()
    if nominated_on is None:
        raise ValidationError(_("%(product)s has not been nominated to the central level by a province: the "
                                "ministry's council rates only the products the provinces nominate.") % {
            "product": product}, code="not_nominated")
    if nominated_on > session.held_on:
        raise ValidationError(_("%(product)s was nominated to the central level on %(date)s, after this session.") % {
            "product": product, "date": nominated_on.strftime("%d/%m/%Y")}, code="not_nominated")


def _dossier_at_commune_check(*, session: Session, product: Product) -> None:
    """The product put on the agenda without a dossier (found by search) while its dossier of the cycle is with the
    commune (submitted or checked, not sent) under rules with the commune's step: refused, the step would be
    skipped."""
    waiting = Dossier.objects.filter(product=product, cycle=session.council.cycle,
                                     status__in=DossierStatus.PRE_ASSESSABLE).first()
    if waiting is None:
        return
    regulation = regulation_for(cycle=session.council.cycle, session_date=session.held_on, dossier=waiting)
    if regulation.commune_intake:
        raise ValidationError(
            _("Its dossier of this cycle is with the commune (“%(status)s”): under %(regulation)s the commune must "
              "check it and send it to the province before a council takes the product.") % {
                "status": waiting.get_status_display(), "regulation": regulation}, code="not_sent")


def conflict_declare(*, evaluation: Evaluation, member: CouncilMember, reason: str,
                     by: User | None) -> ConflictOfInterest:
    """A member declares a conflict on a product: he will not score it and is not counted in its mean.

    Side effects: records the conflict; removes his open scorecard and its answers; audited. Refused once
    his scorecard is submitted (the chair must reopen it first).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    if member.council_id != evaluation.session.council_id:
        raise ValidationError(_("Only a member of the council can declare a conflict."))
    if evaluation.session.status == SessionStatus.FINALISED:
        raise ValidationError(_("The session is finalised."))
    with transaction.atomic():
        card = Scorecard.objects.select_for_update().filter(evaluation=evaluation, member=member).first()
        if card and card.status == ScorecardStatus.SUBMITTED:
            raise ValidationError(_("The scorecard is already submitted; the chair must reopen it first."))
        conflict, created = ConflictOfInterest.objects.get_or_create(
            evaluation=evaluation, member=member, defaults={"reason": reason})
        if card:
            card.delete()
        audit_log(actor=by, obj=evaluation, action=AuditAction.UPDATE,
                  message=_("Conflict of interest declared by %(member)s: %(reason)s") % {
                      "member": member.user, "reason": reason})
    return conflict


def council_member_remove(*, member: CouncilMember, by: User | None) -> None:
    """Take a member off a council before he has scored anything.

    Refused once he has answered or submitted a scorecard, or attended a finalised session: his part in
    the council's work is then on record. Side effects: deletes his empty scorecards, his attendance and
    declared conflicts, and the membership; writes an audit entry on the council.
    """
    with transaction.atomic():
        council = member.council
        if member.scorecards.filter(scores__isnull=False).exists() or member.scorecards.filter(
                status=ScorecardStatus.SUBMITTED).exists():
            raise ValidationError(_("%(user)s has already scored products of this council and cannot be removed.")
                                  % {"user": member.user})
        if member.sessions_attended.filter(status=SessionStatus.FINALISED).exists():
            raise ValidationError(_("%(user)s took part in a finalised session and cannot be removed.")
                                  % {"user": member.user})
        member.scorecards.all().delete()
        user, role = member.user, member.get_role_display()
        member.delete()
        audit_log(actor=by, obj=council, action=AuditAction.UPDATE,
                  message=_("Member removed: %(user)s (%(role)s)") % {"user": user, "role": role})


def adviser_add(*, council: Council, name: str, agency: str = "", task: str = "", by: User | None) -> AdvisoryMember:
    """Add a member of the advisory or support team. Side effects: saves; audited on the council."""
    with transaction.atomic():
        adviser = AdvisoryMember(council=council, name=(name or "").strip(), agency=agency, task=task)
        adviser.full_clean()
        adviser.save()
        audit_log(actor=by, obj=council, action=AuditAction.UPDATE,
                  message=_("Advisory team member added: %(name)s") % {"name": adviser.name})
    return adviser


def adviser_remove(*, adviser: AdvisoryMember, by: User | None) -> None:
    """Remove a member of the advisory team. Side effects: deletes; audited on the council."""
    with transaction.atomic():
        council, name = adviser.council, adviser.name
        adviser.delete()
        audit_log(actor=by, obj=council, action=AuditAction.UPDATE,
                  message=_("Advisory team member removed: %(name)s") % {"name": name})
