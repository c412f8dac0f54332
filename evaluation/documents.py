"""A session's PDFs, and the long ones as files prepared in the background (ocop/filejobs.py): the paper score
sheets, the council's minutes and the recognition decision, the last two laid out as Vietnamese administrative
documents (Decree 30/2020/NĐ-CP: ocop/official.py, templates/pdf/official.html).

Laying out a paper score sheet takes about 1.3 s (four A4 pages of criteria and answers), so the sheets of a
12-product session by seven members take minutes: too long for a request. Up to PAPER_SHEETS_INLINE sheets are
still built in the request (a few seconds); more are a background job whose page shows the sheets laid out so far.
The minutes take about a second for a few products and grow with them (a row per product and member's part
scores); up to MINUTES_INLINE products they are built in the request.
"""
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unidecode import unidecode

from ocop.filejobs import FileJobKind, register_file_job_kind
from ocop.official import authority_lines, is_committee, parent_authority, place_and_date, signature_titles
from ocop.pdf import render_pdf, render_pdf_in_parts

from .enums import MemberRole, SessionStatus
from .models import CouncilMember, Decision, Scorecard, Session, SheetPart
from .results_table import results_table
from .selectors.councils import sessions_visible_to
from .selectors.results import decision_items
from .services.paper import paper_sheets
from .star_rules import MIN_RECOGNISED_STAR

PAPER_SHEETS = "evaluation.paper_sheets"
PAPER_SHEETS_INLINE = 2  # sheets laid out inside the request (about 1.3 s each); more are prepared in the background
PAPER_SHEETS_TEMPLATE = "evaluation/pdf/paper_sheets.html"
MINUTES = "evaluation.minutes"
MINUTES_INLINE = 40  # products whose minutes are laid out inside the request; more are prepared in the background


def session_slug(session: Session) -> str:
    """The part of a session's file names that names it."""
    return f"phien-{session.council_id}-{session.number}"


def paper_sheets_count(session: Session, *, member: CouncilMember | None = None) -> int:
    cards = Scorecard.objects.filter(evaluation__session=session)
    return (cards.filter(member=member) if member is not None else cards).count()


def paper_sheets_filename(session: Session, *, member: CouncilMember | None = None) -> str:
    return f"phieu-cham-{session_slug(session)}{f'-{member.pk}' if member else ''}.pdf"


def paper_sheets_pdf(session: Session, *, member: CouncilMember | None = None, progress=None) -> bytes:
    """Every scorecard of the session as a printed sheet (one member's when given), each sheet laid out on its
    own (its pages numbered within it); `progress(done, total)` after each."""
    sheets = paper_sheets(session, member=member)
    if progress is not None:
        progress(0, len(sheets))
    return render_pdf_in_parts(PAPER_SHEETS_TEMPLATE, {"session": session, "council": session.council}, key="sheets",
                               items=sheets, progress=progress and (lambda done: progress(done, len(sheets))))


def minutes_context(session: Session) -> dict:
    """What the minutes print: the results table with each member's part scores, who was there, the outcome."""
    council = session.council
    table = results_table(session, with_parts=True)
    sheet_ids = {r.evaluation.sheet_id for r in table.results}
    part_codes: dict = {}
    for part in SheetPart.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "position"):
        part_codes.setdefault(part.sheet_id, []).append(part.code)
    for row in table.rows:
        codes = part_codes.get(row.evaluation.sheet_id, [])
        row.part_codes = codes
        for cell in row.cells:
            cell.part_values = [cell.parts.get(code) for code in codes]
    everyone = list(council.members.select_related("user").order_by("position", "pk"))
    present_ids = {m.pk for m in table.members}
    by_star: dict = {}
    for row in table.rows:
        if row.recognised_star >= MIN_RECOGNISED_STAR:
            by_star[row.recognised_star] = by_star.get(row.recognised_star, 0) + 1
    return {
        "session": session, "council": council, "table": table,
        "finalised": session.status == SessionStatus.FINALISED,
        "present": table.members, "absent": [m for m in everyone if m.pk not in present_ids],
        "advisers": list(council.advisers.all()),
        "chair": next((m for m in everyone if m.role == MemberRole.CHAIR), None),
        "secretary": next((m for m in everyone if m.role == MemberRole.SECRETARY), None),
        "recognised_by_star": sorted(by_star.items(), reverse=True),
        "nominated": [row for row in table.rows if row.nominated_to],
        "max_part_count": max((len(c) for c in part_codes.values()), default=0),
        "heading": minutes_heading(session),
    }


def minutes_pdf(session: Session) -> bytes:
    return render_pdf("evaluation/pdf/minutes.html", minutes_context(session))


def minutes_heading(session: Session) -> dict:
    """The minutes' heading: the council under its authority, "Số: …/BB-HĐ" with the number left for the clerk who
    registers the minutes (the system does not number them), the place and date of the sitting."""
    council = session.council
    return {"parent": parent_authority(council.unit), "authority": [council.name.upper()],
            "number_line": "Số:\u2003\u2003\u2003/BB-HĐ",
            "place_and_date": place_and_date(council.unit, session.held_on)}


# ---------------------------------------------------------------------------------------------
# The recognition decision (Quyết định công nhận)
# ---------------------------------------------------------------------------------------------


def decision_signature(decision: Decision) -> tuple[list[str], str]:
    """The titles above the signature and the name under it; a decision recorded without the signer's position prints
    its `signer` as it was written (often the position itself), with no name under it."""
    if not decision.signer_title:
        return [decision.signer], ""
    return signature_titles(decision.signer_title, collective=is_committee(decision.issuing_unit)), decision.signer


def decision_context(decision: Decision) -> dict:
    """What the decision prints: the heading, the legal basis (the regulations its products were rated under and the
    council's sitting), the recognised products (Article 1), the recipients and the signature block."""
    unit, session = decision.issuing_unit, decision.session
    items = list(decision_items(decision).select_related("evaluation__regulation", "product__commune__parent"))
    regulations = sorted({item.evaluation.regulation for item in items}, key=lambda r: r.issued_on)
    authority = authority_lines(unit)
    committee = is_committee(unit)
    titles, signer_name = decision_signature(decision)
    return {
        "decision": decision, "session": session, "council": session.council, "items": items,
        "regulations": regulations, "year": session.held_on.year,
        "heading": {"authority": authority, "number_line": f"Số: {decision.number}",
                    "place_and_date": place_and_date(unit, decision.signed_on)},
        # Who decides: the People's Committee as a body, or the minister for the ministry.
        "deciding": " ".join(line for line in authority if line) if committee else f"BỘ TRƯỞNG {authority[0]}",
        "committee": committee, "unit_name": unit.name,
        "signer_titles": titles, "signer_name": signer_name,
    }


def decision_pdf(decision: Decision) -> bytes:
    # An official document: Vietnamese whatever the reader's language.
    with translation.override("vi"):
        return render_pdf("evaluation/pdf/decision.html", decision_context(decision))


def decision_filename(decision: Decision) -> str:
    return "quyet-dinh-" + "".join(ch if ch.isalnum() else "-" for ch in unidecode(decision.number)) + ".pdf"


def minutes_filename(session: Session) -> str:
    return f"bien-ban-{session_slug(session)}.pdf"


def paper_sheets_params(session: Session, member: CouncilMember | None) -> dict:
    return {"session": session.pk, "member": member.pk if member else None}


def _session_and_member(params: dict) -> tuple[Session, CouncilMember | None]:
    session = Session.objects.select_related("council").get(pk=params["session"])
    member = (session.council.members.select_related("user").get(pk=params["member"])
              if params.get("member") else None)
    return session, member


def _paper_sheets_allowed(user, params: dict) -> bool:
    """As the sheets' page has it: who may print the session's sheets; all or any member's for those who keep
    its record, his own for a member."""
    session = sessions_visible_to(user).select_related("council").filter(pk=params.get("session")).first()
    if session is None or not user.has_perm("evaluation.print_paper_sheets", session):
        return False
    members = session.council.members.filter(pk=params.get("member"))
    if user.has_perm("evaluation.import_paper_scores", session):
        return params.get("member") is None or members.exists()
    return members.filter(user=user).exists()


def _paper_sheets_build(params: dict, progress) -> tuple[bytes, str]:
    session, member = _session_and_member(params)
    return paper_sheets_pdf(session, member=member, progress=progress), paper_sheets_filename(session, member=member)


def _paper_sheets_title(params: dict) -> str:
    session, member = _session_and_member(params)
    title = _("Paper score sheets · %(session)s") % {"session": session}
    return f"{title} · {member.user}" if member else title


def _session_url(params: dict) -> str:
    return reverse("evaluation:session-detail", args=[params["session"]])


def _minutes_allowed(user, params: dict) -> bool:
    session = sessions_visible_to(user).filter(pk=params.get("session")).first()
    return session is not None and user.has_perm("evaluation.view_results", session)


def _minutes_build(params: dict, progress) -> tuple[bytes, str]:
    session = Session.objects.select_related("council").get(pk=params["session"])
    return minutes_pdf(session), minutes_filename(session)


def _minutes_title(params: dict) -> str:
    return _("Council minutes · %(session)s") % {"session": Session.objects.get(pk=params["session"])}


def _results_url(params: dict) -> str:
    return reverse("evaluation:session-results", args=[params["session"]])


def register_documents() -> None:
    """Called from the app's ready()."""
    register_file_job_kind(FileJobKind(key=PAPER_SHEETS, build=_paper_sheets_build, allowed=_paper_sheets_allowed,
                                       title=_paper_sheets_title, back_url=_session_url, unit=gettext_lazy("sheets")))
    register_file_job_kind(FileJobKind(key=MINUTES, build=_minutes_build, allowed=_minutes_allowed,
                                       title=_minutes_title, back_url=_results_url))
