"""Councils and sessions: the list with its filters and export, a council's members, advisory team and
sessions, and a session's agenda (assigned products, attendance, each member's progress, reopening)."""
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.downloads import xlsx_response
from ocop.formflow import acted_by, refusal_text, saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.rules import is_official
from ocop.selectors import audit_trail_for

from ..enums import EvaluationLevel, SessionStatus
from ..forms.councils import (
    AdviserForm,
    AssignDossiersForm,
    AssignProductForm,
    CouncilForm,
    CouncilMemberForm,
    PresenceForm,
    ReasonForm,
    SessionForm,
)
from ..models import Council, Session
from ..selectors.councils import (
    advisers_visible_to,
    agenda_product,
    agenda_product_search,
    council_advisers,
    council_list_cycles,
    council_list_rows,
    council_members,
    council_members_visible_to,
    council_pages_of,
    council_sessions,
    scorecards_visible_to,
    session_agenda,
    session_agenda_pages_of,
    session_present_ids,
)
from ..selectors.rounds import session_round_warning
from ..services import councils as services
from ..services.scoring import scorecard_reopen

LIST_SORTS = {"name": "name", "year": "cycle__year", "level": "level", "unit": "unit__path",
              "members": "member_count", "sessions": "session_count"}
PRODUCT_SEARCH_LIMIT = 20


def session_results_url(session) -> str:
    """The results page of a session (built in views/results.py); a plain path until its URL is named."""
    try:
        return reverse("evaluation:session-results", args=[session.pk])
    except NoReverseMatch:
        return f"/evaluation/sessions/{session.pk}/results/"


# ---------------------------------------------------------------------------------------------
# The list of councils, its filters and its export
# ---------------------------------------------------------------------------------------------


def _filtered_councils(request):
    cycles = council_list_cycles(user=request.user)
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle", "")), None)
    level = request.GET.get("level", "")
    if level not in EvaluationLevel.values:
        level = ""
    q = request.GET.get("q", "").strip()
    qs = council_list_rows(user=request.user, cycle=cycle, level=level, query=q)
    filters = {"q": q, "level": level, "levels": EvaluationLevel.choices,
               "cycle": str(cycle.pk) if cycle else "", "cycles": cycles}
    return qs, filters


@permission_required("evaluation.view_council_list")
def council_list(request):
    qs, filters = _filtered_councils(request)
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "-year")
    return render(request, "evaluation/councils/list.html", list_context(
        request, qs, sort=sort, **filters, can_add=request.user.has_perm("evaluation.add_council")))


@permission_required("evaluation.view_council_list")
def council_export(request):
    """The filtered list (every page of it, in the list's order) as an Excel workbook."""
    qs, _filters = _filtered_councils(request)
    qs, _sort = sort_queryset(request, qs, LIST_SORTS, "-year")
    headers = [_("Name"), _("Level"), _("Unit"), _("Cycle"), _("Established by decision"), _("Members"),
               _("Sessions")]
    rows = ([c.name, c.get_level_display(), str(c.unit), str(c.cycle), c.established_by, c.member_count,
             c.session_count] for c in qs)
    filename = f"hoi-dong-{datetime.date.today():%Y%m%d}.xlsx"
    return xlsx_response(filename=filename, sheet_title=_("Councils"), headers=headers, rows=rows)


@permission_required("evaluation.add_council")
def council_create(request):
    form = CouncilForm(request.POST or None, user=request.user)
    council = saved_by(request, form, lambda: services.council_create(by=request.user, **form.cleaned_data),
                       _("The council was formed. Add its members."))
    if council:
        return redirect(council)
    return render(request, "evaluation/councils/council_form.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# One council: members, advisory team, sessions
# ---------------------------------------------------------------------------------------------


def _visible_council(request, pk) -> Council:
    """The council if the user may see it; another area's council is a 404, never its data."""
    council = get_object_or_404(council_pages_of(user=request.user), pk=pk)
    if not request.user.has_perm("evaluation.view_council", council):
        raise Http404
    return council


def _managed_council(request, pk) -> Council:
    council = _visible_council(request, pk)
    if not request.user.has_perm("evaluation.change_council", council):
        raise PermissionDenied
    return council


def _council_page(request, council, *, member_form=None, adviser_form=None, session_form=None, status=200):
    can_change = request.user.has_perm("evaluation.change_council", council)
    return render(request, "evaluation/councils/council_detail.html", {
        "council": council,
        "members": council_members(council=council),
        "advisers": council_advisers(council=council),
        "sessions": council_sessions(council=council),
        "can_change": can_change,
        "member_form": member_form or (CouncilMemberForm(council=council) if can_change else None),
        "adviser_form": adviser_form or (AdviserForm() if can_change else None),
        "session_form": session_form or (SessionForm() if can_change else None),
        "audit": audit_trail_for(council)[:50] if can_change else [],
    }, status=status)


@permission_required("evaluation.view_council_list")
def council_detail(request, pk):
    return _council_page(request, _visible_council(request, pk))


@require_POST
@permission_required("evaluation.view_council_list")
def council_member_add(request, pk):
    council = _managed_council(request, pk)
    form = CouncilMemberForm(request.POST, council=council)
    # A refusal naming the role or the user lands beside its field.
    if saved_by(request, form, lambda: services.council_member_add(
            council=council, user=form.cleaned_data["user"], role=form.cleaned_data["role"],
            agency=form.cleaned_data["agency"], by=request.user),
            lambda member: _("%(user)s was added to the council.") % {"user": member.user}):
        return redirect(council)
    return _council_page(request, council, member_form=form)


@require_POST
@permission_required("evaluation.view_council_list")
def council_member_remove(request, pk):
    member = get_object_or_404(council_members_visible_to(user=request.user), pk=pk)
    council = _managed_council(request, member.council_id)
    acted_by(request, lambda: services.council_member_remove(member=member, by=request.user),
             _("%(user)s was removed from the council.") % {"user": member.user})
    return redirect(council)


@require_POST
@permission_required("evaluation.view_council_list")
def adviser_add(request, pk):
    council = _managed_council(request, pk)
    form = AdviserForm(request.POST)
    if saved_by(request, form, lambda: services.adviser_add(council=council, by=request.user, **form.cleaned_data),
                lambda adviser: _("%(name)s was added to the advisory team.") % {"name": adviser.name}):
        return redirect(council)
    return _council_page(request, council, adviser_form=form)


@require_POST
@permission_required("evaluation.view_council_list")
def adviser_remove(request, pk):
    adviser = get_object_or_404(advisers_visible_to(user=request.user), pk=pk)
    council = _managed_council(request, adviser.council_id)
    services.adviser_remove(adviser=adviser, by=request.user)
    messages.success(request, _("%(name)s was removed from the advisory team.") % {"name": adviser.name})
    return redirect(council)


@require_POST
@permission_required("evaluation.view_council_list")
def session_create(request, pk):
    council = _managed_council(request, pk)
    form = SessionForm(request.POST)
    session = saved_by(request, form, lambda: services.session_create(council=council, by=request.user,
                                                                      **form.cleaned_data),
                       lambda session: _("Session %(number)s was planned. Put products on its agenda.") % {
                           "number": session.number})
    if session:
        warning = session_round_warning(session)
        if warning:
            messages.warning(request, warning)
        return redirect(session)
    return _council_page(request, council, session_form=form)


# ---------------------------------------------------------------------------------------------
# One session: its agenda
# ---------------------------------------------------------------------------------------------


def _visible_session(request, pk) -> Session:
    session = get_object_or_404(session_agenda_pages_of(user=request.user), pk=pk)
    if not request.user.has_perm("evaluation.view_session", session):
        raise Http404
    return session


def _managed_session(request, pk) -> Session:
    session = _visible_session(request, pk)
    if not request.user.has_perm("evaluation.change_session", session):
        raise PermissionDenied
    return session


def _session_page(request, session, *, assign_form=None, presence_form=None, reopen_error=None, status=200):
    user = request.user
    members = list(council_members(council=session.council))
    present_ids = session_present_ids(session=session)
    show_scores = user.has_perm("evaluation.view_results", session)
    finalised = session.status == SessionStatus.FINALISED
    can_change = user.has_perm("evaluation.change_session", session) and not finalised
    can_reopen = user.has_perm("evaluation.reopen_scorecard", session) and not finalised
    product_q = request.GET.get("product_q", "").strip()
    found_products = []
    if can_change and product_q:
        found_products = agenda_product_search(session=session, query=product_q, limit=PRODUCT_SEARCH_LIMIT)
    return render(request, "evaluation/councils/session_detail.html", {
        "session": session,
        "council": session.council,
        "members": members,
        "present_ids": present_ids,
        "present_count": sum(1 for m in members if m.pk in present_ids),
        "agenda": session_agenda(session=session, members=members, user=user, show_scores=show_scores),
        "show_scores": show_scores,
        "results_url": session_results_url(session),
        "finalised": finalised,
        "can_change": can_change,
        "can_reopen": can_reopen,
        "is_official": is_official(user),
        "assign_form": assign_form or (AssignDossiersForm(session=session) if can_change else None),
        "presence_form": presence_form or (
            PresenceForm(session=session, initial={"members": list(present_ids)}) if can_change else None),
        "product_q": product_q,
        "found_products": found_products,
        "product_form": AssignProductForm(session=session) if can_change else None,
        "reopen_error": reopen_error or {},
        "audit": audit_trail_for(session)[:50] if user.has_perm("evaluation.change_session", session) else [],
    }, status=status)


@permission_required("evaluation.view_council_list")
def session_detail(request, pk):
    return _session_page(request, _visible_session(request, pk))


@require_POST
@permission_required("evaluation.view_council_list")
def session_assign(request, pk):
    """Put products on the agenda: the ticked submitted dossiers, or one product found by search."""
    session = _managed_session(request, pk)
    if "product" in request.POST:
        product_form = AssignProductForm(request.POST, session=session)
        if not product_form.is_valid():
            messages.error(request, _("Choose a product."))
            return redirect(session)
        product = agenda_product(session=session, pk=product_form.cleaned_data["product"])
        if product is None:
            raise Http404
        items = [(product, None)]
        kind = product_form.cleaned_data["kind"]
    else:
        form = AssignDossiersForm(request.POST, session=session)
        if not form.is_valid():
            return _session_page(request, session, assign_form=form)
        items = [(d.product, d) for d in form.cleaned_data["dossiers"]]
        kind = form.cleaned_data["kind"]
    assigned = [str(product) for product, dossier in items
                if _assigned(request, session, product=product, dossier=dossier, kind=kind)]
    if assigned:
        messages.success(request, _("Put on the agenda: %(products)s.") % {"products": ", ".join(assigned)})
    return redirect(session)


def _assigned(request, session, *, product, dossier, kind) -> bool:
    """Put one product on the agenda; a refusal is a message that names the product."""
    return acted_by(
        request, lambda: services.session_assign(session=session, product=product, dossier=dossier, kind=kind,
                                                 by=request.user),
        refusal=lambda exc: _("%(product)s: %(error)s") % {"product": product, "error": refusal_text(exc)},
    ) is not None


@require_POST
@permission_required("evaluation.view_council_list")
def session_present(request, pk):
    session = _managed_session(request, pk)
    form = PresenceForm(request.POST, session=session)
    if form.is_valid() and acted_by(
            request, lambda: services.session_set_present(session=session, members=list(form.cleaned_data["members"]),
                                                          by=request.user),
            _("The attendance was saved.")) is not None:
        return redirect(session)
    return _session_page(request, session, presence_form=form)


@require_POST
@permission_required("evaluation.view_council_list")
def scorecard_reopen_view(request, pk):
    """The chair reopens a member's submitted scorecard, with the reason on record."""
    card = get_object_or_404(scorecards_visible_to(user=request.user), pk=pk)
    session = _visible_session(request, card.evaluation.session_id)
    if not request.user.has_perm("evaluation.reopen_scorecard", session):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if saved_by(request, form, lambda: scorecard_reopen(scorecard=card, reason=form.cleaned_data["reason"],
                                                        by=request.user),
                _("The scorecard of %(user)s for %(product)s was reopened.") % {
                    "user": card.member.user, "product": card.evaluation.product}):
        return redirect(session)
    # The refusal shows beside the scorecard's reason box: the field's error, or the service's.
    return _session_page(request, session, reopen_error={
        card.pk: " ".join(form.errors.get("reason") or form.non_field_errors())})
