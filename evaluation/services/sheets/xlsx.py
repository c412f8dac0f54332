"""The XLSX format of a score sheet (evaluation/SHEET_FORMAT.md): reading a workbook within bounds, writing it."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ocop.downloads import workbook_bytes
from ocop.workbooks import MAX_COLUMNS, workbook_open

from .tree import CriterionData, OptionData, PartData, SectionData, SheetData, SheetError
from .values import as_boolean, as_decimal, as_integer, as_text, is_blank, native

MAX_XLSX_ROWS = 10_000

META_SHEET = "Phiếu"
CRITERIA_SHEET = "Tiêu chí"
META_KEYS = ["regulation", "product_set", "title", "demonstration"]
XLSX_COLUMNS = ["part_code", "part_title", "part_max", "section_code", "section_title", "criterion_code",
                "criterion_title", "criterion_max", "required_for_star", "option_label", "option_points",
                "knocks_out", "assessed_by_commune"]
OPTIONAL_COLUMNS = {"required_for_star", "knocks_out", "assessed_by_commune"}


def _line(number: int) -> str:
    return _("Line %(line)s") % {"line": number}


def _meta_line(number: int) -> str:
    return _("Worksheet “%(sheet)s”, line %(line)s") % {"sheet": META_SHEET, "line": number}


def _worksheet(workbook, name: str, position: int):
    if name in workbook.sheetnames:
        return workbook[name]
    return workbook.worksheets[position] if len(workbook.worksheets) > position else None


def sheet_parse_xlsx(fileobj) -> tuple[SheetData, list[SheetError]]:
    """Read a sheet from an .xlsx workbook: worksheet "Phiếu" (key | value rows) and worksheet
    "Tiêu chí" (a header row, then one row per option; part, section and criterion columns may be left
    blank on the rows that continue them). Returns the tree and the errors of form.

    The workbook is read within bounds (ocop/workbooks.py): at most MAX_XLSX_ROWS lines, only the known
    columns; a file over a bound, or damaged, is one fatal error saying why."""
    data = SheetData()
    try:
        with workbook_open(fileobj, max_lines=MAX_XLSX_ROWS) as workbook:
            return _read_workbook(workbook, data)
    except ValidationError as exc:
        return data, [SheetError("", message, fatal=True) for message in exc.messages]


def _read_workbook(workbook, data: SheetData) -> tuple[SheetData, list[SheetError]]:
    errors: list[SheetError] = []
    meta = _worksheet(workbook, META_SHEET, 0)
    rows = _worksheet(workbook, CRITERIA_SHEET, 1)
    if meta is None or rows is None or meta is rows:
        return data, [SheetError("", _("the workbook needs two worksheets, “%(meta)s” and “%(rows)s”") % {
            "meta": META_SHEET, "rows": CRITERIA_SHEET}, fatal=True)]
    sheet_place = _("Worksheet “%(sheet)s”") % {"sheet": META_SHEET}
    data.locations = {key: sheet_place for key in META_KEYS}
    data.locations["parts"] = _("Worksheet “%(sheet)s”") % {"sheet": CRITERIA_SHEET}

    seen: dict[str, int] = {}
    for number, row in workbook.rows(meta, columns=2):
        if is_blank(row[0]):
            continue
        key = as_text(row[0]).lower()
        if key in ("key", "khóa"):
            continue
        if key not in META_KEYS:
            errors.append(SheetError(_meta_line(number), _("unknown key “%(key)s” (allowed: %(allowed)s)") % {
                "key": row[0], "allowed": ", ".join(META_KEYS)}))
            continue
        if key in seen:
            errors.append(SheetError(_meta_line(number), _("“%(key)s” is repeated (first on line %(line)s)") % {
                "key": key, "line": seen[key]}))
            continue
        seen[key] = number
        value = row[1]
        data.locations[key] = _meta_line(number)
        if key == "regulation":
            data.regulation = as_text(value)
        elif key == "product_set":
            data.product_set = as_integer(value)
        elif key == "title":
            data.title = as_text(value)
        else:
            data.demonstration = as_boolean(value)

    header = next((values for _number, values in workbook.rows(rows, columns=MAX_COLUMNS)), ())
    names = [as_text(cell).lower() for cell in header]
    index = {name: i for i, name in enumerate(names) if name in XLSX_COLUMNS}
    missing = [name for name in XLSX_COLUMNS if name not in index and name not in OPTIONAL_COLUMNS]
    if missing:
        errors.append(SheetError(_line(1), _("missing columns in worksheet “%(sheet)s”: %(columns)s") % {
            "sheet": CRITERIA_SHEET, "columns": ", ".join(missing)}, fatal=True))
        return data, errors

    known = list(index)
    part = section = criterion = None
    for number, row in workbook.rows(rows, columns=[index[name] for name in known], first_line=2):
        cells = dict(zip(known, row))
        if all(is_blank(cells.get(name)) for name in XLSX_COLUMNS):
            continue
        where = _line(number)
        part_code = as_text(cells.get("part_code"))
        if part_code and (part is None or part_code != part.code):
            part = PartData(code=part_code, title=as_text(cells.get("part_title")),
                            max_points=as_decimal(cells.get("part_max")), location=where)
            data.parts.append(part)
            section = criterion = None
        elif part is None:
            errors.append(SheetError(where, _("the part code is missing")))
            continue
        else:
            _conflicts(where, part, errors, [
                ("part_title", cells.get("part_title"), part.title, as_text),
                ("part_max", cells.get("part_max"), part.max_points, as_decimal)])

        section_code = as_text(cells.get("section_code"))
        if section_code and (section is None or section_code != section.code):
            section = SectionData(code=section_code, title=as_text(cells.get("section_title")), location=where)
            part.sections.append(section)
            criterion = None
        elif section is None:
            errors.append(SheetError(where, _("the section code is missing")))
            continue
        else:
            _conflicts(where, section, errors, [("section_title", cells.get("section_title"), section.title, as_text)])

        criterion_code = as_text(cells.get("criterion_code"))
        if criterion_code and (criterion is None or criterion_code != criterion.code):
            criterion = CriterionData(
                code=criterion_code, title=as_text(cells.get("criterion_title")),
                max_points=as_decimal(cells.get("criterion_max")),
                required_for_star=as_integer(cells.get("required_for_star")),
                assessed_by_commune=as_boolean(cells.get("assessed_by_commune")), location=where)
            section.criteria.append(criterion)
        elif criterion is None:
            errors.append(SheetError(where, _("the criterion code is missing")))
            continue
        else:
            _conflicts(where, criterion, errors, [
                ("criterion_title", cells.get("criterion_title"), criterion.title, as_text),
                ("criterion_max", cells.get("criterion_max"), criterion.max_points, as_decimal),
                ("required_for_star", cells.get("required_for_star"), criterion.required_for_star, as_integer)])

        label, points, knocks_out = cells.get("option_label"), cells.get("option_points"), cells.get("knocks_out")
        if not (is_blank(label) and is_blank(points) and is_blank(knocks_out)):
            criterion.options.append(OptionData(label=as_text(label), points=as_decimal(points),
                                                knocks_out=as_boolean(knocks_out), location=where))
    return data, errors


def _conflicts(where: str, node, errors: list[SheetError], pairs) -> None:
    """On a row continuing a part, section or criterion, a value given again must be the same."""
    for column, given, current, convert in pairs:
        if not is_blank(given) and convert(given) != current:
            message = _("“%(value)s” in column %(column)s differs from the value given at %(place)s") % {
                "value": given, "column": column, "place": node.location}
            errors.append(SheetError(where, message))


def sheet_data_xlsx(data: SheetData) -> bytes:
    """The .xlsx workbook of a sheet tree (the format `sheet_parse_xlsx` reads)."""
    workbook = Workbook()
    meta = workbook.active
    meta.title = META_SHEET
    descriptions = {
        "regulation": _("Decision number of the regulation (e.g. 148/QĐ-TTg)"),
        "product_set": _("Number of the product set (1-26)"),
        "title": _("Title of the score sheet"),
        "demonstration": _("TRUE for demonstration content, FALSE for the official appendix"),
    }
    values = {"regulation": data.regulation, "product_set": data.product_set, "title": data.title,
              "demonstration": bool(data.demonstration)}
    for key in META_KEYS:
        meta.append([key, values[key], descriptions[key]])
    for cell in meta["A"]:
        cell.font = Font(bold=True)
    meta.column_dimensions["A"].width = 16
    meta.column_dimensions["B"].width = 60
    meta.column_dimensions["C"].width = 60

    rows = workbook.create_sheet(CRITERIA_SHEET)
    rows.append(XLSX_COLUMNS)
    for cell in rows[1]:
        cell.font = Font(bold=True)
    rows.freeze_panes = "A2"
    for part in data.parts:
        part_cells = [part.code, part.title, native(part.max_points)]
        for section in part.sections:
            section_cells = [section.code, section.title]
            for criterion in section.criteria:
                criterion_cells = [criterion.code, criterion.title, native(criterion.max_points),
                                   criterion.required_for_star or None]
                commune_cell = True if criterion.assessed_by_commune is True else None  # on its first row
                for option in criterion.options:
                    rows.append([*(part_cells or [None] * 3), *(section_cells or [None] * 2),
                                 *(criterion_cells or [None] * 4), option.label, native(option.points),
                                 True if option.knocks_out else None, commune_cell])
                    part_cells, section_cells, criterion_cells, commune_cell = [], [], [], None
    widths = {"part_title": 30, "section_title": 30, "criterion_title": 50, "option_label": 60}
    for i, name in enumerate(XLSX_COLUMNS, 1):
        rows.column_dimensions[get_column_letter(i)].width = widths.get(name, max(10, len(name) + 2))
    for row in rows.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)  # a title or an answer typed as "=..." stays text, never a formula
