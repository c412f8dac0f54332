"""A member's scoring: his queue, the scoring page beside the dossier, the autosave of every click,
notes, submission, and declaring a conflict of interest. Nobody sees another member's scores here."""
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.downloads import private_file_response
from ocop.formflow import saved_by
from ocop.listing import paginate
from ocop.permissions import permission_required
from products.models import DossierDocument

from ..enums import ScorecardStatus, SessionStatus
from ..forms.councils import NoteForm, ReasonForm, ScoreForm
from ..models import Scorecard
from ..selectors.scoring import (
    member_queue_by_session,
    own_scorecards,
    scorecard_sheet,
    scorecard_unanswered,
    scorecard_with_member,
)
from ..services.councils import conflict_declare
from ..services.scoring import score_note_set, score_set, scorecard_submit, scorecard_totals
from .councils import session_results_url

QUEUE_PAGE_SIZE = 50
QUEUE_FILTERS = {"open": ScorecardStatus.OPEN, "submitted": ScorecardStatus.SUBMITTED}


# ---------------------------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------------------------


@permission_required("evaluation.view_queue")
def queue(request):
    """The member's scorecards grouped by session, newest sessions first, with his progress on each."""
    status = request.GET.get("status", "")
    if status not in QUEUE_FILTERS:
        status = ""
    qs = member_queue_by_session(user=request.user, status=QUEUE_FILTERS.get(status))
    return render(request, "evaluation/scoring/queue.html", {
        "page": paginate(request, qs, per_page=QUEUE_PAGE_SIZE), "status": status,
    })


# ---------------------------------------------------------------------------------------------
# The scoring page
# ---------------------------------------------------------------------------------------------


def _own_card(request, pk) -> Scorecard:
    """The user's own scorecard; anybody else's is a 404 (its scores are never shown)."""
    return get_object_or_404(own_scorecards(user=request.user), pk=pk)


def _sheet_parts(card: Scorecard) -> list:
    """The sheet with the member's answers and notes (scorecard_sheet), each part with its running total."""
    parts = scorecard_sheet(scorecard=card)
    totals = scorecard_totals(card)
    for part in parts:
        part.total = totals["parts"].get(part.code, 0)
    return parts


def _score_page(request, card, *, missing=None, submit_error="", conflict_form=None, status=200):
    evaluation = card.evaluation
    session = evaluation.session
    # A member may withdraw (declare a conflict) before the sitting, but answers only once it has begun.
    can_declare = card.status == ScorecardStatus.OPEN and session.status != SessionStatus.FINALISED
    editable = can_declare and session.has_taken_place
    parts = _sheet_parts(card)
    criteria_count = sum(len(section.criteria.all()) for part in parts for section in part.sections.all())
    answered = sum(1 for part in parts for section in part.sections.all() for c in section.criteria.all()
                   if c.chosen_id)
    documents = list(evaluation.dossier.documents.all()) if evaluation.dossier_id else []
    missing_ids = {c.pk for c in missing or []}
    for part in parts:
        for section in part.sections.all():
            for criterion in section.criteria.all():
                criterion.missing = criterion.pk in missing_ids
    return render(request, "evaluation/scoring/score.html", {
        "card": card, "evaluation": evaluation, "session": session, "product": evaluation.product,
        "parts": parts, "criteria_count": criteria_count, "answered": answered,
        "total": sum(part.total for part in parts),
        "editable": editable, "can_declare": can_declare,
        "documents": documents,
        "can_view_dossier": bool(evaluation.dossier_id) and request.user.has_perm(
            "products.view_dossier", evaluation.dossier),
        "missing": missing or [], "submit_error": submit_error,
        "conflict_form": conflict_form or ReasonForm(),
        "results_url": session_results_url(session),
        "can_view_results": request.user.has_perm("evaluation.view_results", session),
    }, status=status)


@permission_required("evaluation.view_queue")
def score(request, pk):
    return _score_page(request, _own_card(request, pk))


@permission_required("evaluation.view_queue")
def score_document(request, pk, document_pk):
    """A document of the dossier under evaluation, for the member scoring it."""
    card = _own_card(request, pk)
    document = get_object_or_404(DossierDocument, pk=document_pk, dossier_id=card.evaluation.dossier_id or -1)
    inline = request.GET.get("inline") == "1" and document.file_type in ("pdf", "jpeg", "png")
    return private_file_response(document.file, download_name=document.original_name,
                                 file_type=document.file_type, inline=inline)


# ---------------------------------------------------------------------------------------------
# Autosave: one click, one small answer
# ---------------------------------------------------------------------------------------------


def _autosaved(call, fragment: str, context: Callable[[], dict]) -> HttpResponse:
    """Run `call()` (one service) and send back `fragment` rendered with `context()`.

    Unlike ocop.formflow.acted_by: an htmx request with no page to carry messages, so a refusal is the
    reply itself, 403 when the scorecard is somebody else's, 400 otherwise, with its Vietnamese message."""
    try:
        call()
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=403 if getattr(exc, "code", None) == "not_owner" else 400,
                            content_type="text/plain; charset=utf-8")
    # Rendered without the request: the page's context processors (navigation, permissions) are not needed.
    return HttpResponse(render_to_string(fragment, context()))


def _card_for_save(request, pk):
    """The scorecard to save into, or the refusal to send back: another member's is refused (403)."""
    card = scorecard_with_member(pk=pk)
    if card is None:
        return None, HttpResponse(_("This scorecard does not exist."), status=404,
                                  content_type="text/plain; charset=utf-8")
    if card.member.user_id != request.user.pk:
        return None, HttpResponse(_("Only the member who owns this scorecard can fill it in."), status=403,
                                  content_type="text/plain; charset=utf-8")
    return card, None


@require_POST
@permission_required("evaluation.view_queue")
def score_save(request, pk):
    """Save one answer and send back the "saved" mark with the running totals (out-of-band swaps).

    Kept lean: a fixed handful of queries and a fragment of a few lines, never the whole sheet."""
    card, refusal = _card_for_save(request, pk)
    if refusal:
        return refusal
    form = ScoreForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown criterion or answer."), status=400, content_type="text/plain; charset=utf-8")
    return _autosaved(lambda: score_set(scorecard=card, criterion_id=form.cleaned_data["criterion"],
                                        option_id=form.cleaned_data["option"], by=request.user),
                      "evaluation/scoring/_saved.html", lambda: {"totals": scorecard_totals(card)})


@require_POST
@permission_required("evaluation.view_queue")
def score_note(request, pk):
    card, refusal = _card_for_save(request, pk)
    if refusal:
        return refusal
    form = NoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("A note has at most 1000 characters."), status=400,
                            content_type="text/plain; charset=utf-8")
    return _autosaved(lambda: score_note_set(scorecard=card, criterion_id=form.cleaned_data["criterion"],
                                             note=form.cleaned_data["note"], by=request.user),
                      "evaluation/scoring/_saved.html", lambda: {})


# ---------------------------------------------------------------------------------------------
# Submission and conflicts of interest
# ---------------------------------------------------------------------------------------------


@require_POST
@permission_required("evaluation.view_queue")
def score_submit(request, pk):
    card = _own_card(request, pk)
    # Unlike acted_by: the refusal shows on the scoring page, rendered again with the criteria left unanswered.
    try:
        scorecard_submit(scorecard=card, by=request.user)
    except ValidationError as exc:
        card.refresh_from_db(fields=["status"])
        missing = []
        if card.status == ScorecardStatus.OPEN:
            missing = scorecard_unanswered(scorecard=card)
        return _score_page(request, card, missing=missing, submit_error=" ".join(exc.messages))
    messages.success(request, _("Your scorecard for %(product)s was submitted; it can no longer be changed.") % {
        "product": card.evaluation.product})
    return redirect(card)


@require_POST
@permission_required("evaluation.view_queue")
def score_conflict(request, pk):
    """The member declares a conflict of interest: his scorecard for the product is withdrawn."""
    card = _own_card(request, pk)
    form = ReasonForm(request.POST)
    # A refusal naming {"reason": ...} lands beside the field.
    if saved_by(request, form,
                lambda: conflict_declare(evaluation=card.evaluation, member=card.member,
                                         reason=form.cleaned_data["reason"], by=request.user),
                _("Your conflict of interest with %(product)s was recorded; you will not score it.") % {
                    "product": card.evaluation.product}):
        return redirect("evaluation:queue")
    return _score_page(request, card, conflict_form=form)
