"""Who may run councils, score, see results, issue decisions, print and import paper scores, and read or import
the score sheets."""
import rules

from ocop.rules import (
    has_area,
    is_council_member,
    is_local_officer,
    is_local_official,
    is_ministry_staff,
    is_official,
    is_province_staff,
    is_system_admin,
    unit_within_scope,
)
from products.enums import DossierStatus
from products.rules import product_visible, receives_dossiers_of

from .enums import MemberRole, ScorecardStatus, SessionStatus


def _sits_on(user, council) -> bool:
    return council.members.filter(user_id=user.pk).exists()


@rules.predicate
def manages_council(user, council) -> bool:
    """Administrators, and the officials of the council's unit (the ministry's office for the central council,
    the provincial office; district officers for district councils)."""
    if council is None:
        return False
    if is_system_admin(user):
        return True
    return has_area(user) and unit_within_scope(user, council.unit)


@rules.predicate
def sits_on_council(user, council) -> bool:
    return council is not None and user.is_authenticated and _sits_on(user, council)


@rules.predicate
def is_chair(user, council) -> bool:
    return council is not None and council.members.filter(user_id=user.pk, role=MemberRole.CHAIR).exists()


@rules.predicate
def owns_open_scorecard(user, scorecard) -> bool:
    return (scorecard is not None and scorecard.member.user_id == user.pk
            and scorecard.status == ScorecardStatus.OPEN
            and scorecard.evaluation.session.status != SessionStatus.FINALISED)


@rules.predicate
def owns_scorecard(user, scorecard) -> bool:
    return scorecard is not None and scorecard.member.user_id == user.pk


@rules.predicate
def sees_session_results(user, session) -> bool:
    """Managers always; members once the session is finalised or once they have submitted all their own
    scorecards of the session (nobody sees other members' scores before submitting his own)."""
    if session is None:
        return False
    if manages_council(user, session.council):
        return True
    if not _sits_on(user, session.council):
        return False
    if session.status == SessionStatus.FINALISED:
        return True
    return not session.evaluations.filter(scorecards__member__user=user,
                                          scorecards__status=ScorecardStatus.OPEN).exists()


def _council_of(obj):
    return getattr(obj, "council", obj)


@rules.predicate
def manages_session(user, session) -> bool:
    return session is not None and manages_council(user, session.council)


@rules.predicate
def chairs_session(user, session) -> bool:
    return session is not None and is_chair(user, session.council)


@rules.predicate
def sits_on_session(user, session) -> bool:
    return session is not None and _sits_on(user, session.council)


@rules.predicate
def keeps_session_record(user, session) -> bool:
    """The chair and the secretary keep the record of a sitting (paper sheets, minutes)."""
    return session is not None and session.council.members.filter(
        user_id=user.pk, role__in=[MemberRole.CHAIR, MemberRole.SECRETARY]).exists()


@rules.predicate
def sits_on_a_council(user) -> bool:
    return bool(user and user.is_authenticated and user.council_memberships.exists())


@rules.predicate
def dossier_preassessable(user, dossier) -> bool:
    """The commune's pre-assessment is recorded by the officer who receives the dossier's commune, until it is
    sent to the province."""
    return (dossier is not None and dossier.status in DossierStatus.PRE_ASSESSABLE
            and receives_dossiers_of(user, dossier))


@rules.predicate
def sees_evaluation_result(user, evaluation) -> bool:
    """A finalised evaluation's results (the means, never a member's own scores) and its roadmap: whoever sees the
    product (its subject's representatives, its area's officers, the ministry once nominated), and whoever may
    open the session's results."""
    return (evaluation is not None and evaluation.session.status == SessionStatus.FINALISED
            and (product_visible(user, evaluation.product) or sees_session_results(user, evaluation.session)))


@rules.predicate
def writes_remarks(user, evaluation) -> bool:
    """The council's remarks on a product are written by its chair or its secretary until the session is
    finalised."""
    return (evaluation is not None and evaluation.session.status != SessionStatus.FINALISED
            and keeps_session_record(user, evaluation.session))


# The commune's pre-assessment of a dossier
rules.add_perm("evaluation.preassess_dossier", dossier_preassessable)
# Councils and their sessions
rules.add_perm("evaluation.view_council_list", is_official | is_council_member)
rules.add_perm("evaluation.view_council", manages_council | sits_on_council)
rules.add_perm("evaluation.add_council", is_system_admin | is_ministry_staff | is_province_staff | is_local_officer)
rules.add_perm("evaluation.change_council", manages_council)
rules.add_perm("evaluation.view_session", manages_session | sits_on_session)
rules.add_perm("evaluation.change_session", manages_session)
# Scoring; the "Scoring" entry is for whoever sits on a council: experts, and officials who are members too.
rules.add_perm("evaluation.view_scoring_nav", is_council_member | sits_on_a_council)
rules.add_perm("evaluation.view_queue", rules.is_authenticated)
rules.add_perm("evaluation.score", owns_open_scorecard)
rules.add_perm("evaluation.view_scorecard", owns_scorecard)
rules.add_perm("evaluation.reopen_scorecard", chairs_session)
# Results, decisions and nominations
rules.add_perm("evaluation.view_results", sees_session_results)
rules.add_perm("evaluation.finalise_session", chairs_session)
rules.add_perm("evaluation.issue_decision", manages_session)
rules.add_perm("evaluation.view_decision_list", is_official | is_council_member)
rules.add_perm("evaluation.view_nominations", is_system_admin | is_ministry_staff | is_province_staff)
# A product's results after its session, its roadmap to the next star, and the area's products closest to theirs
rules.add_perm("evaluation.view_evaluation_result", sees_evaluation_result)
rules.add_perm("evaluation.write_remarks", writes_remarks)
rules.add_perm("evaluation.view_upgrade_list", is_local_official)
# The paper path: printed score sheets, and the import of their answers
rules.add_perm("evaluation.print_paper_sheets", manages_session | sits_on_session)
rules.add_perm("evaluation.import_paper_scores", manages_session | keeps_session_record)
# Score sheets: officials and council members read them; they are national data that administrators import.
rules.add_perm("evaluation.view_sheets", is_official | is_council_member)
rules.add_perm("evaluation.import_sheets", is_system_admin)
