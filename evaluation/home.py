"""Navigation entries and home-page panels of the evaluation app: councils for officials, the scoring
queue for council members, sessions in progress in an official's area."""
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ocop.registry import HomePanel, NavItem, register_home_panel, register_nav, register_rounds
from ocop.rules import is_council_member, is_ministry_staff, is_official, is_subject_rep

from .enums import ScorecardStatus, SessionStatus
from .rules import sits_on_a_council
from .selectors.councils import sessions_visible_to
from .selectors.product_results import latest_results_of_subjects
from .selectors.results import nominations_visible_to
from .selectors.rounds import round_summaries
from .selectors.scoring import member_queue
from .services.rounds import sessions_place

PANEL_ROWS = 8


register_nav(NavItem(_("Councils"), "evaluation:council-list", "award", "evaluation.view_council_list", order=40))
register_nav(NavItem(_("Score sheets"), "evaluation:sheet-list", "list-check", "evaluation.view_sheets", order=42,
                     more=True))
register_nav(NavItem(_("Scoring"), "evaluation:queue", "pencil-square", "evaluation.view_scoring_nav", order=45))
register_nav(NavItem(_("Nominations"), "evaluation:nominations", "send", "evaluation.view_nominations", order=46,
                     more=True))
register_nav(NavItem(_("Closest to the next star"), "evaluation:upgrade-list", "graph-up-arrow",
                     "evaluation.view_upgrade_list", order=47, more=True))


def _queue_panel(user):
    """A council member's scorecards still to fill in, with his progress."""
    if not (is_council_member(user) or sits_on_a_council(user)):
        return None
    waiting = (member_queue(user).filter(status=ScorecardStatus.OPEN)
               .exclude(evaluation__session__status=SessionStatus.FINALISED)
               .order_by("evaluation__session__held_on", "evaluation__session_id", "evaluation__position"))
    cards = list(waiting[:PANEL_ROWS + 1])
    return {"cards": cards[:PANEL_ROWS], "more": len(cards) > PANEL_ROWS}


def _sessions_panel(user):
    """Sessions of the official's area not yet finalised, with how many scorecards are in."""
    if not is_official(user):
        return None
    sessions = list(
        sessions_visible_to(user).exclude(status=SessionStatus.FINALISED)
        .select_related("council")
        .annotate(product_count=Count("evaluations", distinct=True),
                  card_count=Count("evaluations__scorecards", distinct=True),
                  submitted_count=Count("evaluations__scorecards", distinct=True,
                                        filter=Q(evaluations__scorecards__status=ScorecardStatus.SUBMITTED)))
        .order_by("held_on", "pk")[:PANEL_ROWS])
    if not sessions:
        return None
    return {"sessions": sessions}


def _subject_results_panel(user):
    """A subject's representative: the latest results of his subjects' products."""
    if not is_subject_rep(user):
        return None
    rows = latest_results_of_subjects(user.subject_links.values_list("subject_id", flat=True))
    return {"rows": rows} if rows else None


def _nominations_panel(user):
    """For the ministry's office: the products the provinces nominated that its council has not rated yet."""
    if not is_ministry_staff(user):
        return None
    waiting = nominations_visible_to(user).filter(evaluated_at_next_level=False).order_by(
        "-session__held_on", "product__name")
    rows = list(waiting[:PANEL_ROWS])
    return {"rows": rows, "waiting": len(rows) if len(rows) < PANEL_ROWS else waiting.count()}


register_home_panel("evaluation-nominations",
                    HomePanel("evaluation/results/panel_nominations.html", _nominations_panel, order=25))
register_home_panel("evaluation-subject-results",
                    HomePanel("evaluation/product_results/panel_subject.html", _subject_results_panel, order=14))
register_home_panel("evaluation-queue", HomePanel("evaluation/scoring/panel_queue.html", _queue_panel, order=30))
register_home_panel("evaluation-sessions",
                    HomePanel("evaluation/councils/panel_sessions.html", _sessions_panel, order=40))


# What each round of a cycle holds, for the cycle's page; its sessions placed by date when the round's services
# change the rounds (ocop keeps the rounds).
register_rounds(summaries=round_summaries, placement=sessions_place)
