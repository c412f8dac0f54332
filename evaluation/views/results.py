"""Pages that close a session: results, finalisation, Excel and minutes, recognition decisions, nominations
awaiting the next level, and the paper path (printed score sheets, import of their answers)."""
import secrets
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ocop.downloads import XLSX_TYPE, attachment_response, keep_text_as_text, xlsx_response
from ocop.formflow import saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.registry import record_panels
from ocop.selectors import audit_trail_for
from ocop.validators import record_key
from ocop.views.jobs import file_or_job

from ..documents import (
    MINUTES,
    MINUTES_INLINE,
    PAPER_SHEETS,
    PAPER_SHEETS_INLINE,
    decision_filename,
    decision_pdf,
    minutes_filename,
    minutes_pdf,
    paper_sheets_count,
    paper_sheets_filename,
    paper_sheets_params,
    paper_sheets_pdf,
    session_slug,
)
from ..enums import EvaluationLevel, SessionStatus
from ..forms.results import (
    DecisionFilterForm,
    DecisionForm,
    FinaliseForm,
    NominationFilterForm,
    PaperConfirmForm,
    PaperImportForm,
)
from ..models import Evaluation
from ..results_table import ResultsTable, nomination_label, results_table
from ..rules import keeps_session_record
from ..selectors.councils import council_members_in_order
from ..selectors.results import (
    decision_items,
    decision_list,
    decision_pages_of,
    nominations_visible_to,
    session_decisions,
    session_evaluations_by_set,
    session_missing_submissions,
    session_nominated,
    session_pages_of,
)
from ..services import paper as paper_services
from ..services.results import decision_issue, session_finalise, session_quorum
from ..star_rules import MIN_RECOGNISED_STAR

# ---------------------------------------------------------------------------------------------
# Results page and finalisation
# ---------------------------------------------------------------------------------------------


def _visible_session(request, pk):
    """A session of the user's area or of a council he sits on; any other is a 404."""
    return get_object_or_404(session_pages_of(request.user), pk=pk)


def _session_with_perm(request, pk, perm):
    session = _visible_session(request, pk)
    if not request.user.has_perm(perm, session):
        raise PermissionDenied
    return session


def _number_formatter():
    """Two decimals with the active language's separators (92,00 · 1.234,56), fetched once per page."""
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")

    def number(value) -> str:
        if value is None:
            return "—"
        return f"{value:,.2f}".replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)

    return number


def _shown_figures(table: ResultsTable) -> None:
    """Each row's member totals, mean, median and spread as the page shows them (cell.shown, row.mean_shown,
    row.median_shown, row.spread_shown), formatted once here for the about 4,000 cells of a large session;
    evaluation/results/_figures.html lays them out."""
    number = _number_formatter()
    for row in table.rows:
        for cell in row.cells:
            cell.shown = number(cell.total) if cell.state == "scored" else ""
        row.mean_shown = number(row.mean)
        row.median_shown = number(row.result.median)
        row.spread_shown = number(row.result.spread)


def _results_context(request, session, *, finalise_form=None) -> dict:
    user = request.user
    table = results_table(session)
    _shown_figures(table)
    finalised = session.status == SessionStatus.FINALISED
    context = {
        "session": session, "council": session.council, "table": table, "finalised": finalised,
        "column_count": 9 + len(table.members),
        "decisions": session_decisions(session),
        "can_issue": finalised and user.has_perm("evaluation.issue_decision", session),
        "can_import": not finalised and user.has_perm("evaluation.import_paper_scores", session),
        "can_write_remarks": not finalised and keeps_session_record(user, session),
        "recognised_count": sum(1 for r in table.results
                                if (r.evaluation.recognised_star or 0) >= MIN_RECOGNISED_STAR),
    }
    if not finalised and user.has_perm("evaluation.finalise_session", session):
        quorum_ok, quorum_message = session_quorum(session)
        missing = session_missing_submissions(session)
        context.update({
            "can_finalise": True, "quorum_ok": quorum_ok, "quorum_message": quorum_message,
            "present_count": len(table.members), "member_count": session.council.members.count(),
            "missing": missing[:20], "missing_more": max(0, len(missing) - 20), "missing_count": len(missing),
            "spread_warnings": [r for r in table.results if r.spread_exceeded],
            "finalise_form": finalise_form or FinaliseForm(),
        })
    return context


@permission_required("evaluation.view_council_list")
def session_results_view(request, pk):
    session = _session_with_perm(request, pk, "evaluation.view_results")
    return render(request, "evaluation/results/session_results.html", _results_context(request, session))


@require_POST
@permission_required("evaluation.view_council_list")
def session_finalise_view(request, pk):
    session = _session_with_perm(request, pk, "evaluation.finalise_session")
    form = FinaliseForm(request.POST)
    finalised = saved_by(
        request, form,
        lambda: session_finalise(session=session, by=request.user, spread_reason=form.cleaned_data["spread_reason"]),
        _("The session is finalised: its results are now the council's record."))
    if finalised is not None:
        return redirect("evaluation:session-results", session.pk)
    session.refresh_from_db()
    context = _results_context(request, session, finalise_form=form)
    if session.status == SessionStatus.FINALISED:  # a second finalisation: say why nothing happened
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "evaluation/results/session_results.html", context)


# ---------------------------------------------------------------------------------------------
# Excel of the results and the council's minutes
# ---------------------------------------------------------------------------------------------


@permission_required("evaluation.view_council_list")
def session_results_xlsx(request, pk):
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    session = _session_with_perm(request, pk, "evaluation.view_results")
    table = results_table(session)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    headers = [_("Sector"), _("Product set"), _("Rank in the set"), _("Product"), _("Subject"), _("Commune"),
               *[str(m.user) for m in table.members], _("Mean"), _("Median"), _("Spread"),
               _("Spread above the limit"), _("Failed mandatory criteria"), _("Knocked out"), _("Star band"),
               _("Star recognised"), _("Nomination")]
    sheet.append(headers)
    keep_text_as_text(sheet[1])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "G2"
    group_fill = PatternFill("solid", fgColor="E2EFDA")
    number_columns = range(7, 7 + len(table.members) + 3)
    for group in table.groups:
        sheet.append([group.product_set.sector, str(group.product_set)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = group_fill
        for row in group.rows:
            result = row.result
            product = row.product
            sheet.append([
                group.product_set.sector, str(group.product_set), result.rank, product.name, product.subject.name,
                product.commune.name,
                *[c.total if c.state == "scored" else (_("Conflict of interest") if c.state == "conflict" else None)
                  for c in row.cells],
                row.mean, result.median, result.spread, _("Yes") if result.spread_exceeded else _("No"),
                ", ".join(result.failed_mandatory), _("Yes") if result.knocked_out else _("No"),
                row.star_band, row.recognised_star or None, row.nomination,
            ])
            keep_text_as_text(sheet[sheet.max_row])
            sheet.row_dimensions[sheet.max_row].outlineLevel = 1
            for column in number_columns:
                sheet.cell(row=sheet.max_row, column=column).number_format = "0.00"
    for letter, width in (("A", 18), ("B", 36), ("C", 8), ("D", 36), ("E", 32), ("F", 20)):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    workbook.save(out)
    return attachment_response(out.getvalue(), filename=f"ket-qua-{session_slug(session)}.xlsx", content_type=XLSX_TYPE)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    return attachment_response(content, filename=filename, content_type="application/pdf")


@permission_required("evaluation.view_council_list")
def session_minutes_pdf(request, pk):
    """The council's minutes; a session of many products has them prepared in the background."""
    session = _session_with_perm(request, pk, "evaluation.view_results")
    count = session.evaluations.count()
    return file_or_job(
        request, kind=MINUTES, params={"session": session.pk}, size=count, limit=MINUTES_INLINE,
        size_text=ngettext("%(n)s product", "%(n)s products", count) % {"n": count},
        inline=lambda: _pdf_response(minutes_pdf(session), minutes_filename(session)))


# ---------------------------------------------------------------------------------------------
# Recognition decisions
# ---------------------------------------------------------------------------------------------


@permission_required("evaluation.view_council_list")
def decision_create(request, pk):
    session = _session_with_perm(request, pk, "evaluation.issue_decision")
    finalised = session.status == SessionStatus.FINALISED
    form = DecisionForm(request.POST or None, central=session.council.level == EvaluationLevel.CENTRAL)
    if finalised and (decision := saved_by(
            request, form, lambda: decision_issue(session=session, by=request.user, **form.cleaned_data),
            lambda decision: _("The recognition decision %(number)s was recorded.") % {"number": decision.number})):
        return redirect(decision)
    evaluations = session_evaluations_by_set(session)
    return render(request, "evaluation/results/decision_form.html", {
        "session": session, "council": session.council, "form": form, "finalised": finalised,
        "to_recognise": [e for e in evaluations
                         if (e.recognised_star or 0) >= MIN_RECOGNISED_STAR and not _has_recognition(e)],
        "nominated": [(e, nomination_label(e.nominated_to)) for e in evaluations if e.nominated_to],
    })


def _has_recognition(evaluation) -> bool:
    try:
        return evaluation.recognition is not None
    except Evaluation.recognition.RelatedObjectDoesNotExist:
        return False


@permission_required("evaluation.view_decision_list")
def decision_detail(request, pk):
    decision = get_object_or_404(decision_pages_of(request.user), pk=pk)
    return render(request, "evaluation/results/decision_detail.html", {
        "decision": decision, "session": decision.session, "items": decision_items(decision),
        "nominated": [(e, nomination_label(e.nominated_to)) for e in session_nominated(decision.session)],
        "panels": record_panels("evaluation.decision", request.user, decision),
        # Council members read the decision; the products' pages are the officials' and the subjects'.
        "can_open_products": request.user.has_perm("products.view_product_list"),
        "audit": audit_trail_for(decision)[:50],
    })


@permission_required("evaluation.view_decision_list")
def decision_pdf_view(request, pk):
    """The decision as the authority issues it (Decree 30/2020/NĐ-CP's layout), for printing and signing."""
    decision = get_object_or_404(decision_pages_of(request.user), pk=pk)  # its authority and council selected
    return _pdf_response(decision_pdf(decision), decision_filename(decision))


DECISION_SORTS = {"signed": "signed_on", "number": "number", "unit": "issuing_unit__name", "level": "level",
                  "items": "item_count"}


def _filtered_decisions(request):
    form = DecisionFilterForm(request.GET or None)
    qs = form.filter(decision_list(user=request.user))
    qs, sort = sort_queryset(request, qs, DECISION_SORTS, "-signed")
    return form, qs, sort


@permission_required("evaluation.view_decision_list")
def decision_list_view(request):
    form, qs, sort = _filtered_decisions(request)
    return render(request, "evaluation/results/decision_list.html", list_context(request, qs, sort=sort, form=form))


@permission_required("evaluation.view_decision_list")
def decision_list_xlsx(request):
    _form, qs, _sort = _filtered_decisions(request)
    rows = ([d.number, date_format(d.signed_on, "SHORT_DATE_FORMAT"), d.signer, d.issuing_unit.name,
             d.get_level_display(), d.session.council.name, d.item_count] for d in qs)
    return xlsx_response(filename="quyet-dinh-cong-nhan.xlsx", sheet_title=_("Recognition decisions"),
                         headers=[_("Decision number"), _("Signed on"), _("Signed by"), _("Issuing authority"),
                                  _("Level"), _("Council"), _("Products recognised")], rows=rows)


# ---------------------------------------------------------------------------------------------
# Nominations awaiting the next level
# ---------------------------------------------------------------------------------------------


NOMINATION_SORTS = {"score": "final_score", "product": "product__name", "date": "session__held_on",
                    "set": "product__product_set__number"}


def _filtered_nominations(request):
    form = NominationFilterForm(request.GET or None)
    qs = form.filter(nominations_visible_to(request.user))
    qs, sort = sort_queryset(request, qs, NOMINATION_SORTS, "-score")
    return form, qs, sort


@permission_required("evaluation.view_nominations")
def nomination_list_view(request):
    form, qs, sort = _filtered_nominations(request)
    context = list_context(request, qs, sort=sort, form=form)
    for evaluation in context["page"].object_list:
        evaluation.nomination = nomination_label(evaluation.nominated_to)
    return render(request, "evaluation/results/nomination_list.html", context)


@permission_required("evaluation.view_nominations")
def nomination_list_xlsx(request):
    _form, qs, _sort = _filtered_nominations(request)
    rows = ([e.product.name, e.product.subject.name, e.product.commune.name, str(e.product.product_set),
             e.final_score, e.star_band, e.recognised_star or None, nomination_label(e.nominated_to),
             e.session.council.name, date_format(e.session.held_on, "SHORT_DATE_FORMAT"),
             _("Evaluated by the next level") if e.evaluated_at_next_level else _("Awaiting the next level")]
            for e in qs)
    return xlsx_response(filename="san-pham-de-cu.xlsx", sheet_title=_("Nominations"),
                         headers=[_("Product"), _("Subject"), _("Commune"), _("Product set"), _("Mean"),
                                  _("Star band"), _("Star recognised"), _("Nomination"), _("Council"),
                                  _("Session date"), _("State")], rows=rows)


# ---------------------------------------------------------------------------------------------
# The paper path
# ---------------------------------------------------------------------------------------------


@permission_required("evaluation.view_council_list")
def session_paper_sheets(request, pk):
    """Every scorecard of the session as a printed sheet for the chair, the secretary and the officials
    (one member's with ?member=<id>); a member prints his own. More than a few sheets are prepared in the
    background (evaluation/documents.py)."""
    session = _session_with_perm(request, pk, "evaluation.print_paper_sheets")
    member = None
    if request.user.has_perm("evaluation.import_paper_scores", session):
        member_id = record_key(request.GET.get("member"))
        if member_id:
            member = get_object_or_404(session.council.members, pk=member_id)
    else:
        member = get_object_or_404(session.council.members, user=request.user)
    count = paper_sheets_count(session, member=member)
    if not count:
        raise Http404
    return file_or_job(
        request, kind=PAPER_SHEETS, params=paper_sheets_params(session, member), size=count, limit=PAPER_SHEETS_INLINE,
        size_text=ngettext("%(count)s sheet", "%(count)s sheets", count) % {"count": count},
        inline=lambda: _pdf_response(paper_sheets_pdf(session, member=member),
                                     paper_sheets_filename(session, member=member)))


@permission_required("evaluation.view_council_list")
def session_paper_template(request, pk):
    session = _session_with_perm(request, pk, "evaluation.import_paper_scores")
    content = paper_services.paper_template_xlsx(session)
    return attachment_response(content, filename=f"mau-nhap-phieu-{session_slug(session)}.xlsx", content_type=XLSX_TYPE)


PENDING_IMPORTS = "paper_imports"


def _remember_upload(request, session, uploaded) -> str:
    """Keep a checked file until the user confirms its import (private storage, named in his session)."""
    token = secrets.token_urlsafe(16)
    uploaded.seek(0)
    path = default_storage.save(f"private/paper-imports/{token}.xlsx", ContentFile(uploaded.read()))
    pending = request.session.get(PENDING_IMPORTS, {})
    pending[token] = {"session": session.pk, "path": path, "name": uploaded.name}
    request.session[PENDING_IMPORTS] = pending
    return token


def _forget_upload(request, token: str) -> None:
    pending = request.session.get(PENDING_IMPORTS, {})
    entry = pending.pop(token, None)
    request.session[PENDING_IMPORTS] = pending
    if entry and default_storage.exists(entry["path"]):
        default_storage.delete(entry["path"])


@permission_required("evaluation.view_council_list")
def session_paper_import(request, pk):
    """Check a filled template (dry run), then import it all or nothing."""
    session = _session_with_perm(request, pk, "evaluation.import_paper_scores")
    form = PaperImportForm()
    result = token = filename = None
    submit_complete = False
    if request.method == "POST":
        action = request.POST.get("action", "check")
        if action == "confirm":
            confirm = PaperConfirmForm(request.POST)
            entry = None
            if confirm.is_valid():
                token = confirm.cleaned_data["token"]
                entry = request.session.get(PENDING_IMPORTS, {}).get(token)
            if not entry or entry["session"] != session.pk or not default_storage.exists(entry["path"]):
                messages.error(request, _("The checked file is no longer available: choose it again."))
                return redirect("evaluation:session-paper-import", session.pk)
            submit_complete = confirm.cleaned_data["submit_complete"]
            filename = entry["name"]
            with default_storage.open(entry["path"], "rb") as handle:
                result = paper_services.paper_file_import(session=session, file=handle, submit=submit_complete,
                                                          dry_run=False, by=request.user)
            if result.ok:
                _forget_upload(request, token)
                return _imported(request, session, result)
            _forget_upload(request, token)
            token = None
        else:
            form = PaperImportForm(request.POST, request.FILES)
            if form.is_valid():
                uploaded = form.cleaned_data["file"]
                submit_complete = form.cleaned_data["submit_complete"]
                filename = uploaded.name
                result = paper_services.paper_file_import(session=session, file=uploaded, submit=submit_complete,
                                                          dry_run=action != "import", by=request.user)
                if result.ok and not result.dry_run:
                    return _imported(request, session, result)
                if result.ok:
                    token = _remember_upload(request, session, uploaded)
    return render(request, "evaluation/results/paper_import.html", {
        "session": session, "council": session.council, "form": form, "result": result, "token": token,
        "filename": filename, "submit_complete": submit_complete,
        "instructions": paper_services.paper_instructions(), "columns": paper_services.COLUMNS,
        "finalised": session.status == SessionStatus.FINALISED,
        "members": council_members_in_order(session.council),
    })


def _imported(request, session, result):
    messages.success(request, _("Imported %(answers)s answers on %(cards)s scorecards (%(submitted)s submitted).") % {
        "answers": result.answers, "cards": result.scorecards, "submitted": result.submitted})
    return redirect("evaluation:session-paper-import", session.pk)
