"""The paper path: printed score sheets identified by a code, and the import of their answers from Excel.

A printed sheet carries the code SC-<scorecard id>-<checksum>; the checksum (four hex digits of a CRC of the
scorecard, its evaluation and its member) catches a mistyped code before it lands on another member's card.

The Excel template has one worksheet, one row per scorecard and criterion, with the columns named in its
first row (COLUMNS; the order does not matter; columns other than these are ignored). The headers are written in
the site's language ("Mã phiếu chấm", ...); the import reads them in any of the site's languages, and the English
keys the first templates wrote (scorecard_code, ...) too:
  scorecard_code  Mã phiếu chấm    SC-... printed on the paper sheet
  criterion_code  Mã tiêu chí      the criterion's code on the sheet (1.1, 2.3, ...)
  option          Phương án chọn   the number of the ticked answer, counted from 1 in the printed order
  points          Điểm             or the points of the ticked answer (when two answers are worth the same, give
                                   the answer's number)
A scorecard whose rows are all left blank is not imported; one with any answer must have all of them; an error
about a scorecard's missing answers names the row of the first one left blank.
The workbook is read within bounds (ocop/workbooks.py): at most MAX_LINES lines, only these four columns.
"""
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ocop.enums import AuditAction
from ocop.models import User
from ocop.services import audit_log
from ocop.text import fold
from ocop.workbooks import MAX_COLUMNS, workbook_open

from ..enums import ScorecardStatus, SessionStatus
from ..models import Criterion, CriterionScore, Scorecard, Session
from .scoring import scorecard_submit, scores_set, session_held_check

CODE_PATTERN = re.compile(r"^SC-(\d{1,12})-([0-9A-F]{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class PaperColumn:
    """A column of the template: the key the import also accepts as its header (the header the first templates
    wrote), the header written in the site's language, whether the import reads it, and what it holds."""

    key: str
    header: Promise
    read: bool
    meaning: Promise


_READ_ONLY = gettext_lazy("for reading only")
COLUMNS = (
    PaperColumn("scorecard_code", pgettext_lazy("paper template", "Scorecard code"), True,
                gettext_lazy("the code printed on the paper sheet")),
    PaperColumn("member", pgettext_lazy("paper template", "Member"), False, _READ_ONLY),
    PaperColumn("product", pgettext_lazy("paper template", "Product"), False, _READ_ONLY),
    PaperColumn("criterion_code", pgettext_lazy("paper template", "Criterion code"), True,
                gettext_lazy("the criterion's code on the sheet")),
    PaperColumn("criterion", pgettext_lazy("paper template", "Criterion"), False, _READ_ONLY),
    PaperColumn("answers", pgettext_lazy("paper template", "Answers"), False, _READ_ONLY),
    PaperColumn("option", pgettext_lazy("paper template", "Answer number"), True,
                gettext_lazy("the number of the ticked answer, counted from 1")),
    PaperColumn("points", pgettext_lazy("paper template", "Points"), True,
                gettext_lazy("or the points of the ticked answer")),
)
_HEADER = {column.key: column.header for column in COLUMNS}
# A session of 60 products, 9 members and 40 criteria fills 21,600 lines.
MAX_LINES = 30_000


def _checksum(pk: int, evaluation_id: int, member_id: int) -> str:
    return f"{zlib.crc32(f'{pk}:{evaluation_id}:{member_id}'.encode()) & 0xFFFF:04X}"


def scorecard_code(scorecard: Scorecard) -> str:
    """The code printed on a paper sheet: SC-<scorecard id>-<checksum of scorecard, evaluation, member>."""
    return f"SC-{scorecard.pk}-{_checksum(scorecard.pk, scorecard.evaluation_id, scorecard.member_id)}"


# ---------------------------------------------------------------------------------------------
# Reads: the sheets' structure and the scorecards to print
# ---------------------------------------------------------------------------------------------


@dataclass
class SheetCriterion:
    criterion: Criterion
    options: list  # CriterionOption in printed order; the answer number is the index + 1


@dataclass
class SheetLayout:
    """A score sheet as printed: parts → sections → criteria with their options."""

    parts: list = field(default_factory=list)  # (part, [(section, [SheetCriterion])])
    criteria: dict = field(default_factory=dict)  # code -> SheetCriterion


def sheet_layouts(sheet_ids) -> dict[int, SheetLayout]:
    """{sheet id: SheetLayout} in two queries, whatever the number of sheets and criteria."""
    layouts: dict[int, SheetLayout] = {}
    criteria = (Criterion.objects.filter(sheet_id__in=set(sheet_ids))
                .select_related("part", "section").prefetch_related("options")
                .order_by("sheet_id", "part__position", "section__position", "position", "pk"))
    for criterion in criteria:
        layout = layouts.setdefault(criterion.sheet_id, SheetLayout())
        entry = SheetCriterion(criterion=criterion, options=list(criterion.options.all()))
        layout.criteria[criterion.code] = entry
        if not layout.parts or layout.parts[-1][0].pk != criterion.part_id:
            layout.parts.append((criterion.part, []))
        sections = layout.parts[-1][1]
        if not sections or sections[-1][0].pk != criterion.section_id:
            sections.append((criterion.section, []))
        sections[-1][1].append(entry)
    return layouts


def session_paper_cards(session: Session, *, member=None) -> list[Scorecard]:
    """The session's scorecards in agenda order (of one member when given), with what a sheet prints."""
    cards = (Scorecard.objects.filter(evaluation__session=session)
             .select_related("member__user", "evaluation__product__subject", "evaluation__product__product_set")
             .order_by("member__position", "member_id", "evaluation__position", "evaluation_id"))
    if member is not None:
        cards = cards.filter(member=member)
    return list(cards)


def paper_sheets(session: Session, *, member=None) -> list[dict]:
    """One entry per scorecard to print: its code, product, member, sheet layout and the answers already
    given online (printed ticked). A fixed number of queries."""
    cards = session_paper_cards(session, member=member)
    layouts = sheet_layouts({c.evaluation.sheet_id for c in cards})
    chosen = set(CriterionScore.objects.filter(scorecard__in=[c.pk for c in cards])
                 .values_list("scorecard_id", "option_id"))
    return [{"card": card, "code": scorecard_code(card), "layout": layouts.get(card.evaluation.sheet_id, SheetLayout()),
             "chosen": {option_id for card_id, option_id in chosen if card_id == card.pk}}
            for card in cards]


def _answers_text(entry: SheetCriterion) -> str:
    return " | ".join(f"{i}) {o.label}: {_points_text(o.points)}" for i, o in enumerate(entry.options, start=1))


def _points_text(points: Decimal) -> str:
    return f"{points.normalize():f}".replace(".", ",")


def paper_template_xlsx(session: Session, *, member=None) -> bytes:
    """The Excel template to type paper sheets into: one row per open scorecard and criterion."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ocop.downloads import keep_text_as_text

    cards = [c for c in session_paper_cards(session, member=member) if c.status == ScorecardStatus.OPEN]
    layouts = sheet_layouts({c.evaluation.sheet_id for c in cards})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Paper score sheets")[:31]
    sheet.append([str(column.header) for column in COLUMNS])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    fill = PatternFill("solid", fgColor="FFF2CC")
    for card in cards:
        code = scorecard_code(card)
        for entry in layouts.get(card.evaluation.sheet_id, SheetLayout()).criteria.values():
            sheet.append([code, str(card.member.user), card.evaluation.product.name, entry.criterion.code,
                          entry.criterion.title, _answers_text(entry), None, None])
            row = sheet.max_row
            # User text stays text: a product named "=HYPERLINK(...)" must not become a live formula.
            keep_text_as_text(sheet[row])
            for column in (7, 8):
                sheet.cell(row=row, column=column).fill = fill
    last = max(sheet.max_row, 2)
    option_check = DataValidation(type="whole", operator="between", formula1="1", formula2="20", allow_blank=True)
    option_check.error = _("The number of the ticked answer, counted from 1.")
    sheet.add_data_validation(option_check)
    option_check.add(f"G2:G{last}")
    for letter, width in zip("ABCDEFGH", (16, 24, 32, 12, 48, 70, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Instructions")[:31])
    for line in paper_instructions():
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def paper_instructions() -> list[str]:
    names = {key: str(header) for key, header in _HEADER.items()}
    return [
        _("Type the answers ticked on each paper sheet into the yellow columns, one row per criterion."),
        _("%(option)s: the number of the ticked answer, counted from 1 in the printed order; or %(points)s: its "
          "points.") % names,
        _("Leave every row of a scorecard blank to skip it; a scorecard with any answer must have all of them."),
        _("Do not change the columns %(scorecard_code)s and %(criterion_code)s; other columns are for reading "
          "only.") % names,
        _("Check the file first: nothing is saved until every row is valid, then all rows are saved at once."),
    ]


def _column_keys() -> dict[str, str]:
    """{folded header: column key}: the headers in each of the site's languages, and the keys themselves (the
    headers of the templates written before they were translated)."""
    keys = {}
    for column in COLUMNS:
        keys[fold(column.key)] = column.key
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                keys[fold(str(column.header))] = column.key
    return keys


# ---------------------------------------------------------------------------------------------
# Reading and importing a filled template
# ---------------------------------------------------------------------------------------------


@dataclass
class PaperRow:
    row: int
    code: str
    criterion_code: str
    option: object = None
    points: object = None

    @property
    def blank(self) -> bool:
        return _empty(self.option) and _empty(self.points)


@dataclass
class PaperError:
    row: int | None
    message: str


@dataclass
class PaperImportResult:
    errors: list = field(default_factory=list)
    scorecards: int = 0
    answers: int = 0
    submitted: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def paper_rows_read(uploaded) -> list[PaperRow]:
    """The rows of a filled template. Raises a ValidationError when the file is not such a workbook, or is refused
    by the bounded reader (too big, too many lines, a cell too long, damaged)."""
    with workbook_open(uploaded, max_lines=MAX_LINES) as workbook:
        for worksheet in workbook.worksheets:
            header, header_line = None, 0
            known = _column_keys()
            for number, values in workbook.rows(worksheet, columns=MAX_COLUMNS):
                if any(not _empty(v) for v in values):
                    header, header_line = [known.get(fold(_text(v)), "") for v in values], number
                    break
            if not header or "scorecard_code" not in header or "criterion_code" not in header:
                continue
            if "option" not in header and "points" not in header:
                break
            names = [name for name in ("scorecard_code", "criterion_code", "option", "points") if name in header]
            out = []
            for number, values in workbook.rows(worksheet, columns=[header.index(name) for name in names],
                                                first_line=header_line + 1):
                cells = dict(zip(names, values))
                code, criterion = _text(cells.get("scorecard_code")), _text(cells.get("criterion_code"))
                option, points = cells.get("option"), cells.get("points")
                if not code and not criterion and _empty(option) and _empty(points):
                    continue
                out.append(PaperRow(row=number, code=code, criterion_code=criterion, option=option, points=points))
            return out
    raise ValidationError(_("The first row must name the columns %(scorecard_code)s, %(criterion_code)s and "
                            "%(option)s or %(points)s, as in the template.") % {
        key: str(header) for key, header in _HEADER.items()})


def _parse_points(value) -> Decimal | None:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    try:
        return Decimal(_text(value).replace(",", "."))
    except InvalidOperation:
        return None


def _parse_option(value) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() else None


def paper_import(*, session: Session, rows: list[PaperRow], submit: bool = False, dry_run: bool = False,
                 by: User) -> PaperImportResult:
    """Validate the rows of a filled template against each scorecard's sheet and, unless a dry run, save
    them all or nothing.

    Refused as a whole: a finalised session, a session whose date has not come. Refused rows: an unknown
    code (or one of another session), a criterion not on the scorecard's sheet, an answer number or points
    that are not one of the criterion's answers, a row given twice, a submitted scorecard; a scorecard with
    some answers but not all. Side effects (not on a dry run, and only when every row is valid): each answer
    saved through `scores_set` as the member's own (his signed paper sheet), complete scorecards submitted
    through `scorecard_submit` when asked, and one audit entry on the session naming who imported.
    """
    result = PaperImportResult(dry_run=dry_run)
    if session.status == SessionStatus.FINALISED:
        result.errors.append(PaperError(None, _("The session is finalised.")))
        return result
    try:
        session_held_check(session)
    except ValidationError as exc:  # checked here too, so that the dry run already says so
        result.errors.extend(PaperError(None, message) for message in exc.messages)
        return result
    cards = {c.pk: c for c in Scorecard.objects.filter(evaluation__session=session)
             .select_related("member__user", "evaluation__product")}
    layouts = sheet_layouts({c.evaluation.sheet_id for c in cards.values()})
    errors = result.errors
    plan: dict[int, dict] = {}  # card id -> {"first_row", "answers": {criterion code: (row, entry, option)}}
    reported_locked: set[int] = set()
    for row in rows:
        match = CODE_PATTERN.match(row.code)
        card = cards.get(int(match.group(1))) if match else None
        if card is None or match.group(2).upper() != _checksum(card.pk, card.evaluation_id, card.member_id):
            errors.append(PaperError(row.row, _("Unknown scorecard code “%(code)s”.") % {"code": row.code}))
            continue
        code = scorecard_code(card)
        if card.status != ScorecardStatus.OPEN:
            if card.pk not in reported_locked:
                reported_locked.add(card.pk)
                errors.append(PaperError(row.row, _(
                    "The scorecard %(code)s (%(member)s – %(product)s) is already submitted and locked.") % {
                    "code": code, "member": card.member.user, "product": card.evaluation.product}))
            continue
        layout = layouts.get(card.evaluation.sheet_id, SheetLayout())
        entry = layout.criteria.get(row.criterion_code)
        if entry is None:
            errors.append(PaperError(row.row, _(
                "Criterion “%(criterion)s” is not on the score sheet of %(product)s.") % {
                "criterion": row.criterion_code, "product": card.evaluation.product}))
            continue
        target = plan.setdefault(card.pk, {"first_row": row.row, "answers": {}, "blank": {}})
        earlier = target["answers"].get(entry.criterion.code) or target["blank"].get(entry.criterion.code)
        if earlier:
            errors.append(PaperError(row.row, _(
                "Criterion %(criterion)s of %(code)s is given twice (also on row %(other)s).") % {
                "criterion": entry.criterion.code, "code": code, "other": earlier[0]}))
            continue
        if row.blank:
            target["blank"][entry.criterion.code] = (row.row,)
            continue
        option = _match_option(row, entry, errors)
        if option is not None:
            target["answers"][entry.criterion.code] = (row.row, entry, option)
        else:
            target["answers"][entry.criterion.code] = (row.row, entry, None)
    # A scorecard with at least one answer must have them all; one left entirely blank is skipped.
    for card_id, target in list(plan.items()):
        if not target["answers"]:
            del plan[card_id]
            continue
        card = cards[card_id]
        layout = layouts.get(card.evaluation.sheet_id, SheetLayout())
        missing = [c for c in layout.criteria if c not in target["answers"]]
        if missing:
            # The row of the first answer left blank, where the secretary has to type it (the card's first row
            # when the missing criteria have no row at all).
            blank = [target["blank"][c][0] for c in missing if c in target["blank"]]
            errors.append(PaperError(min(blank) if blank else target["first_row"], _(
                "Scorecard %(code)s (%(member)s – %(product)s) has no answer for: %(criteria)s.") % {
                "code": scorecard_code(card), "member": card.member.user, "product": card.evaluation.product,
                "criteria": ", ".join(missing)}))
    if not plan and not errors:
        errors.append(PaperError(None, _("The file contains no answer to import.")))
    errors.sort(key=lambda e: (e.row is None, e.row or 0))
    result.scorecards = len(plan)
    result.answers = sum(len(t["answers"]) for t in plan.values())
    result.submitted = result.scorecards if submit else 0
    if errors or dry_run:
        if errors:
            result.submitted = 0
        return result
    try:
        with transaction.atomic():
            for card_id, target in plan.items():
                card = cards[card_id]
                member_user = card.member.user
                scores_set(scorecard=card, by=member_user, answers={
                    entry.criterion.pk: option.pk for _row, entry, option in target["answers"].values()})
                if submit:
                    scorecard_submit(scorecard=card, by=member_user)
            audit_log(actor=by, obj=session, action=AuditAction.IMPORT, message=_(
                "Paper score sheets imported: %(cards)s scorecards, %(answers)s answers, %(submitted)s submitted") % {
                "cards": result.scorecards, "answers": result.answers, "submitted": result.submitted})
    except ValidationError as exc:  # a scorecard changed since validation: nothing is saved
        result.errors = [PaperError(None, message) for message in exc.messages]
        result.submitted = 0
    return result


def paper_file_import(*, session: Session, file, submit: bool = False, dry_run: bool = False,
                      by: User) -> PaperImportResult:
    """`paper_import` of a filled template as uploaded: a file that is not such a workbook, or that the bounded
    reader refuses, comes back as the result's errors (nothing imported), like any refused row."""
    try:
        rows = paper_rows_read(file)
    except ValidationError as exc:
        return PaperImportResult(errors=[PaperError(None, message) for message in exc.messages], dry_run=dry_run)
    return paper_import(session=session, rows=rows, submit=submit, dry_run=dry_run, by=by)


def _match_option(row: PaperRow, entry: SheetCriterion, errors: list):
    """The option a row names by number or by points, or None after recording why not."""
    options = entry.options
    code = entry.criterion.code
    chosen = None
    if not _empty(row.option):
        number = _parse_option(row.option)
        if number is None or not 1 <= number <= len(options):
            errors.append(PaperError(row.row, _(
                "Answer number “%(option)s” does not exist for criterion %(criterion)s (1 to %(count)s).") % {
                "option": _text(row.option), "criterion": code, "count": len(options)}))
            return None
        chosen = options[number - 1]
    if not _empty(row.points):
        points = _parse_points(row.points)
        allowed = ", ".join(_points_text(o.points) for o in options)
        matching = [o for o in options if points is not None and o.points == points]
        if not matching:
            errors.append(PaperError(row.row, _(
                "“%(points)s” points is not one of the answers of criterion %(criterion)s (%(allowed)s).") % {
                "points": _text(row.points), "criterion": code, "allowed": allowed}))
            return None
        if chosen is not None and chosen not in matching:
            errors.append(PaperError(row.row, _(
                "Answer %(option)s of criterion %(criterion)s is worth %(expected)s points, not %(points)s.") % {
                "option": _text(row.option), "criterion": code, "expected": _points_text(chosen.points),
                "points": _text(row.points)}))
            return None
        if chosen is None:
            if len(matching) > 1:
                errors.append(PaperError(row.row, _(
                    "Several answers of criterion %(criterion)s are worth %(points)s points: give the answer "
                    "number.") % {"criterion": code, "points": _text(row.points)}))
                return None
            chosen = matching[0]
    return chosen
