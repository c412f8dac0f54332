"""Score sheets as versioned data: the YAML and XLSX file formats, their validation, import and export.

A score sheet (phiếu đánh giá) is data an administrator loads from the official appendix of a decision;
nothing in code names a criterion. The two file formats are documented in evaluation/SHEET_FORMAT.md and
both read into one plain tree (SheetData → parts → sections → criteria → options) that remembers where
each node came from, so that every problem is reported with its place in the file:
"A › 1 › 1.1 › phương án 2" in YAML, "Dòng 17" in a workbook.

Reading never raises on bad content: a value of the wrong type is kept as `Raw(value)` and reported by
`sheet_validate`, which lists every inconsistency at once. `sheet_import` writes a valid tree in one
transaction and refuses to rebuild a sheet that evaluations already use, so an evaluation stays frozen to
the sheet it started under.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ocop.downloads import workbook_bytes
from ocop.enums import AuditAction
from ocop.services import audit_log, model_changes, model_snapshot
from ocop.workbooks import MAX_COLUMNS, workbook_open
from products.models import ProductSet

from ..models import Criterion, CriterionOption, Regulation, ScoreSheet, SheetPart, SheetSection

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_SHEETS_DIR = DATA_DIR / "sheets"
PART_MAXIMA_CSV = DATA_DIR / "part_maxima.csv"

SHEET_TOTAL = Decimal(100)
MIN_OPTIONS = 2
STAR_RANGE = range(1, 6)
# Field limits of the models (evaluation/models.py), checked before writing so a long text is a located
# error rather than a database failure.
MAX_POINTS = Decimal("9999.99")
POINT_DECIMALS = 2
LIMITS = {"sheet_title": 500, "part_code": 10, "part_title": 500, "section_code": 10, "section_title": 500,
          "criterion_code": 20, "criterion_title": 1000, "option_label": 1000, "regulation": 50}
MAX_XLSX_ROWS = 10_000
PATH_SEPARATOR = " › "
YAML_TYPE = "application/yaml; charset=utf-8"

META_SHEET = "Phiếu"
CRITERIA_SHEET = "Tiêu chí"
META_KEYS = ["regulation", "product_set", "title", "demonstration"]
XLSX_COLUMNS = ["part_code", "part_title", "part_max", "section_code", "section_title", "criterion_code",
                "criterion_title", "criterion_max", "required_for_star", "option_label", "option_points",
                "knocks_out"]
OPTIONAL_COLUMNS = {"required_for_star", "knocks_out"}

TOP_KEYS = {"regulation", "product_set", "title", "demonstration", "parts"}
PART_KEYS = {"code", "title", "max", "sections"}
SECTION_KEYS = {"code", "title", "criteria"}
CRITERION_KEYS = {"code", "title", "max", "required_for_star", "options"}
OPTION_KEYS = {"label", "points", "knocks_out"}

_YES = {"true", "yes", "y", "x", "1", "có", "co", "đúng", "dung"}
_NO = {"false", "no", "n", "0", "không", "khong", "sai"}


# ---------------------------------------------------------------------------------------------
# The tree every format reads into
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A value the file held where another type was expected (reported by `sheet_validate`)."""

    value: object

    def __str__(self):
        return str(self.value)


@dataclass
class OptionData:
    label: str
    points: Decimal | Raw | None
    knocks_out: bool | Raw = False
    location: str = field(default="", compare=False)


@dataclass
class CriterionData:
    code: str
    title: str
    max_points: Decimal | Raw | None
    required_for_star: int | Raw | None = None
    options: list[OptionData] = field(default_factory=list)
    location: str = field(default="", compare=False)


@dataclass
class SectionData:
    code: str
    title: str
    criteria: list[CriterionData] = field(default_factory=list)
    location: str = field(default="", compare=False)


@dataclass
class PartData:
    code: str
    title: str
    max_points: Decimal | Raw | None
    sections: list[SectionData] = field(default_factory=list)
    location: str = field(default="", compare=False)


@dataclass
class SheetData:
    regulation: str = ""
    product_set: int | Raw | None = None
    title: str = ""
    demonstration: bool | Raw = False
    parts: list[PartData] = field(default_factory=list)
    # Where each top-level key was read ("regulation", "parts"...), for locating errors.
    locations: dict[str, str] = field(default_factory=dict, compare=False)

    def criteria(self) -> Iterator[CriterionData]:
        for part in self.parts:
            for section in part.sections:
                yield from section.criteria

    def where(self, key: str) -> str:
        return self.locations.get(key, key)


@dataclass(frozen=True)
class SheetError:
    """One problem of a sheet file and where it is."""

    location: str
    message: str
    # The file could not be read far enough for its content to be checked (syntax, missing worksheet...).
    fatal: bool = False

    def __str__(self):
        if not self.location:
            return self.message
        return _("%(location)s: %(message)s") % {"location": self.location, "message": self.message}


# ---------------------------------------------------------------------------------------------
# Values as files hold them
# ---------------------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """Text of a cell or scalar: codes typed as numbers ("1.1" read as 1.1) come back as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _decimal(value) -> Decimal | Raw | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return Raw(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip()
        if "," in text and "." not in text:  # Vietnamese decimal comma: "2,5"
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return Raw(value)
    return number if number.is_finite() else Raw(value)


def _integer(value) -> int | Raw | None:
    number = _decimal(value)
    if number is None or isinstance(number, Raw):
        return number
    return int(number) if number == number.to_integral_value() else Raw(value)


def _boolean(value) -> bool | Raw:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return Raw(value)


def _plain(number: Decimal) -> Decimal:
    """40.00 → 40, 2.50 → 2.5 (never 4E+1)."""
    try:
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    except InvalidOperation:  # beyond the context's precision: shown as given
        return number


def _shown(number: Decimal) -> str:
    return number_format(_plain(number), force_grouping=True)


def _native(number: Decimal | None) -> int | float | None:
    """A number as YAML and Excel write it: 3, not 3.00; 2.5 as a float."""
    if number is None:
        return None
    plain = _plain(number)
    return int(plain) if plain == plain.to_integral_value() else float(plain)


# ---------------------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------------------


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 100× faster


def _load_yaml(text: str):
    """Safe loading without aliases: a sheet never needs them and they can blow a document up."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


class _SheetDumper(yaml.SafeDumper):
    """Lists indented under their key, which reads better for a deep tree."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _option_path(criterion_path: str, number: int) -> str:
    return criterion_path + PATH_SEPARATOR + _("option %(number)s") % {"number": number}


def _node_path(prefix: str, code: str, fallback: str, seen: set[str]) -> str:
    """"A › 1 › 1.1"; a node without a code is named by its position ("A › mục 2"), and a repeated code gets
    its position too ("A › 1 › 1.1 (tiêu chí 3)") so that both places can be told apart."""
    path = prefix + (code or fallback)
    if code and path in seen:
        path = f"{path} ({fallback})"
    seen.add(path)
    return path


def _unknown_keys(mapping: dict, allowed: set[str], location: str, errors: list[SheetError]) -> None:
    for key in mapping:
        if str(key) not in allowed:
            errors.append(SheetError(location, _("unknown key “%(key)s” (allowed: %(allowed)s)") % {
                "key": key, "allowed": ", ".join(sorted(allowed))}))


def _mapping_list(value, location: str, key: str, errors: list[SheetError]) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(SheetError(location, _("“%(key)s” must be a list") % {"key": key}))
        return []
    return value


def sheet_parse_yaml(text: str) -> tuple[SheetData, list[SheetError]]:
    """Read a sheet from YAML text. Returns the tree and the errors of form (syntax, structure, unknown
    keys); content errors are left to `sheet_validate`."""
    data = SheetData(locations={key: key for key in TOP_KEYS})
    try:
        document = _load_yaml(text.lstrip("\ufeff"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = _("Line %(line)s") % {"line": mark.line + 1} if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return data, [SheetError(location, _("the file is not valid YAML (%(problem)s)") % {"problem": problem},
                                 fatal=True)]
    if not isinstance(document, dict):
        return data, [SheetError("", _("the file must be a mapping with the keys regulation, product_set, "
                                       "title, demonstration and parts"), fatal=True)]
    errors: list[SheetError] = []
    _unknown_keys(document, TOP_KEYS, "", errors)
    data.regulation = _text(document.get("regulation"))
    data.product_set = _integer(document.get("product_set"))
    data.title = _text(document.get("title"))
    data.demonstration = _boolean(document.get("demonstration"))

    seen: set[str] = set()
    for p_number, raw_part in enumerate(_mapping_list(document.get("parts"), "parts", "parts", errors), 1):
        fallback = _("part %(number)s") % {"number": p_number}
        if not isinstance(raw_part, dict):
            errors.append(SheetError(fallback, _("must be a mapping")))
            continue
        code = _text(raw_part.get("code"))
        part_path = _node_path("", code, fallback, seen)
        _unknown_keys(raw_part, PART_KEYS, part_path, errors)
        part = PartData(code=code, title=_text(raw_part.get("title")), max_points=_decimal(raw_part.get("max")),
                        location=part_path)
        data.parts.append(part)
        raw_sections = _mapping_list(raw_part.get("sections"), part_path, "sections", errors)
        for s_number, raw_section in enumerate(raw_sections, 1):
            fallback = _("section %(number)s") % {"number": s_number}
            if not isinstance(raw_section, dict):
                errors.append(SheetError(part_path + PATH_SEPARATOR + fallback, _("must be a mapping")))
                continue
            code = _text(raw_section.get("code"))
            section_path = _node_path(part_path + PATH_SEPARATOR, code, fallback, seen)
            _unknown_keys(raw_section, SECTION_KEYS, section_path, errors)
            section = SectionData(code=code, title=_text(raw_section.get("title")), location=section_path)
            part.sections.append(section)
            raw_criteria = _mapping_list(raw_section.get("criteria"), section_path, "criteria", errors)
            for c_number, raw_criterion in enumerate(raw_criteria, 1):
                fallback = _("criterion %(number)s") % {"number": c_number}
                if not isinstance(raw_criterion, dict):
                    errors.append(SheetError(section_path + PATH_SEPARATOR + fallback, _("must be a mapping")))
                    continue
                code = _text(raw_criterion.get("code"))
                criterion_path = _node_path(section_path + PATH_SEPARATOR, code, fallback, seen)
                _unknown_keys(raw_criterion, CRITERION_KEYS, criterion_path, errors)
                criterion = CriterionData(
                    code=code, title=_text(raw_criterion.get("title")),
                    max_points=_decimal(raw_criterion.get("max")),
                    required_for_star=_integer(raw_criterion.get("required_for_star")), location=criterion_path)
                section.criteria.append(criterion)
                raw_options = _mapping_list(raw_criterion.get("options"), criterion_path, "options", errors)
                for o_number, raw_option in enumerate(raw_options, 1):
                    option_path = _option_path(criterion_path, o_number)
                    if not isinstance(raw_option, dict):
                        errors.append(SheetError(option_path, _("must be a mapping")))
                        continue
                    _unknown_keys(raw_option, OPTION_KEYS, option_path, errors)
                    criterion.options.append(OptionData(
                        label=_text(raw_option.get("label")), points=_decimal(raw_option.get("points")),
                        knocks_out=_boolean(raw_option.get("knocks_out")), location=option_path))
    return data, errors


def sheet_data_yaml(data: SheetData) -> str:
    """The YAML text of a sheet tree (the format `sheet_parse_yaml` reads)."""
    parts = []
    for part in data.parts:
        sections = []
        for section in part.sections:
            criteria = []
            for criterion in section.criteria:
                item = {"code": criterion.code, "title": criterion.title, "max": _native(criterion.max_points)}
                if criterion.required_for_star:
                    item["required_for_star"] = criterion.required_for_star
                options = []
                for option in criterion.options:
                    entry = {"label": option.label, "points": _native(option.points)}
                    if option.knocks_out:
                        entry["knocks_out"] = True
                    options.append(entry)
                item["options"] = options
                criteria.append(item)
            sections.append({"code": section.code, "title": section.title, "criteria": criteria})
        parts.append({"code": part.code, "title": part.title, "max": _native(part.max_points), "sections": sections})
    document = {"regulation": data.regulation, "product_set": data.product_set, "title": data.title,
                "demonstration": bool(data.demonstration), "parts": parts}
    return yaml.dump(document, Dumper=_SheetDumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=False)


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------


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
        if _blank(row[0]):
            continue
        key = _text(row[0]).lower()
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
            data.regulation = _text(value)
        elif key == "product_set":
            data.product_set = _integer(value)
        elif key == "title":
            data.title = _text(value)
        else:
            data.demonstration = _boolean(value)

    header = next((values for _number, values in workbook.rows(rows, columns=MAX_COLUMNS)), ())
    names = [_text(cell).lower() for cell in header]
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
        if all(_blank(cells.get(name)) for name in XLSX_COLUMNS):
            continue
        where = _line(number)
        part_code = _text(cells.get("part_code"))
        if part_code and (part is None or part_code != part.code):
            part = PartData(code=part_code, title=_text(cells.get("part_title")),
                            max_points=_decimal(cells.get("part_max")), location=where)
            data.parts.append(part)
            section = criterion = None
        elif part is None:
            errors.append(SheetError(where, _("the part code is missing")))
            continue
        else:
            _conflicts(where, part, errors, [
                ("part_title", cells.get("part_title"), part.title, _text),
                ("part_max", cells.get("part_max"), part.max_points, _decimal)])

        section_code = _text(cells.get("section_code"))
        if section_code and (section is None or section_code != section.code):
            section = SectionData(code=section_code, title=_text(cells.get("section_title")), location=where)
            part.sections.append(section)
            criterion = None
        elif section is None:
            errors.append(SheetError(where, _("the section code is missing")))
            continue
        else:
            _conflicts(where, section, errors, [("section_title", cells.get("section_title"), section.title, _text)])

        criterion_code = _text(cells.get("criterion_code"))
        if criterion_code and (criterion is None or criterion_code != criterion.code):
            criterion = CriterionData(
                code=criterion_code, title=_text(cells.get("criterion_title")),
                max_points=_decimal(cells.get("criterion_max")),
                required_for_star=_integer(cells.get("required_for_star")), location=where)
            section.criteria.append(criterion)
        elif criterion is None:
            errors.append(SheetError(where, _("the criterion code is missing")))
            continue
        else:
            _conflicts(where, criterion, errors, [
                ("criterion_title", cells.get("criterion_title"), criterion.title, _text),
                ("criterion_max", cells.get("criterion_max"), criterion.max_points, _decimal),
                ("required_for_star", cells.get("required_for_star"), criterion.required_for_star, _integer)])

        label, points, knocks_out = cells.get("option_label"), cells.get("option_points"), cells.get("knocks_out")
        if not (_blank(label) and _blank(points) and _blank(knocks_out)):
            criterion.options.append(OptionData(label=_text(label), points=_decimal(points),
                                                knocks_out=_boolean(knocks_out), location=where))
    return data, errors


def _conflicts(where: str, node, errors: list[SheetError], pairs) -> None:
    """On a row continuing a part, section or criterion, a value given again must be the same."""
    for column, given, current, convert in pairs:
        if not _blank(given) and convert(given) != current:
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
        part_cells = [part.code, part.title, _native(part.max_points)]
        for section in part.sections:
            section_cells = [section.code, section.title]
            for criterion in section.criteria:
                criterion_cells = [criterion.code, criterion.title, _native(criterion.max_points),
                                   criterion.required_for_star or None]
                for option in criterion.options:
                    rows.append([*(part_cells or [None] * 3), *(section_cells or [None] * 2),
                                 *(criterion_cells or [None] * 4), option.label, _native(option.points),
                                 True if option.knocks_out else None])
                    part_cells, section_cells, criterion_cells = [], [], []
    widths = {"part_title": 30, "section_title": 30, "criterion_title": 50, "option_label": 60}
    for i, name in enumerate(XLSX_COLUMNS, 1):
        rows.column_dimensions[get_column_letter(i)].width = widths.get(name, max(10, len(name) + 2))
    for row in rows.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)  # a title or an answer typed as "=..." stays text, never a formula


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def _check_points(value, where: str, what: str, errors: list[SheetError], *, positive: bool) -> Decimal | None:
    """The number when it is usable, else None after recording why (what: the value's name)."""
    if value is None:
        errors.append(SheetError(where, _("%(what)s is missing") % {"what": what}))
        return None
    if isinstance(value, Raw):
        errors.append(SheetError(where, _("%(what)s “%(value)s” is not a number") % {"what": what, "value": value}))
        return None
    if value < 0:
        errors.append(SheetError(where, _("%(what)s %(value)s is negative") % {"what": what, "value": _shown(value)}))
        return None
    if positive and value == 0:
        errors.append(SheetError(where, _("%(what)s must be above 0") % {"what": what}))
        return None
    if value > MAX_POINTS or _plain(value).as_tuple().exponent < -POINT_DECIMALS:
        errors.append(SheetError(where, _("%(what)s %(value)s must be at most %(limit)s with at most two decimals") % {
            "what": what, "value": _shown(value), "limit": _shown(MAX_POINTS)}))
        return None
    return value


def _check_text(value: str, where: str, what: str, limit: int, errors: list[SheetError]) -> None:
    if not value:
        errors.append(SheetError(where, _("%(what)s is missing") % {"what": what}))
    elif len(value) > limit:
        errors.append(SheetError(where, _("%(what)s is longer than %(limit)s characters") % {
            "what": what, "limit": limit}))


def sheet_structure_errors(data: SheetData) -> list[SheetError]:
    """Every inconsistency of the tree itself (no database needed): missing or repeated codes, options,
    points out of range, maxima that do not add up."""
    errors: list[SheetError] = []
    if not data.regulation:
        errors.append(SheetError(data.where("regulation"), _("the regulation (decision number) is missing")))
    elif len(data.regulation) > LIMITS["regulation"]:
        errors.append(SheetError(data.where("regulation"), _("the regulation code is too long")))
    if data.product_set is None:
        errors.append(SheetError(data.where("product_set"), _("the product set number is missing")))
    elif isinstance(data.product_set, Raw):
        errors.append(SheetError(data.where("product_set"), _("the product set “%(value)s” is not a whole number") % {
            "value": data.product_set}))
    _check_text(data.title, data.where("title"), _("the title"), LIMITS["sheet_title"], errors)
    if isinstance(data.demonstration, Raw):
        errors.append(SheetError(data.where("demonstration"), _("“%(value)s” is not yes or no (true/false)") % {
            "value": data.demonstration}))
    if not data.parts:
        errors.append(SheetError(data.where("parts"), _("the sheet has no parts")))
        return errors

    part_codes: dict[str, str] = {}
    criterion_codes: dict[str, str] = {}
    part_maxima: list[Decimal] = []
    all_parts_numeric = True
    for part in data.parts:
        where = part.location
        if part.code and part.code in part_codes:
            errors.append(SheetError(where, _("the part code %(code)s is repeated (first at %(place)s)") % {
                "code": part.code, "place": part_codes[part.code]}))
        elif part.code:
            part_codes[part.code] = where
        _check_text(part.code, where, _("the part code"), LIMITS["part_code"], errors)
        _check_text(part.title, where, _("the part title"), LIMITS["part_title"], errors)
        part_max = _check_points(part.max_points, where, _("the part maximum"), errors, positive=True)
        if part_max is None:
            all_parts_numeric = False
        else:
            part_maxima.append(part_max)
        if not part.sections:
            errors.append(SheetError(where, _("the part has no sections")))
        criteria_sum, all_criteria_numeric, criteria_count = Decimal(0), True, 0
        section_codes: dict[str, str] = {}
        for section in part.sections:
            s_where = section.location
            if section.code and section.code in section_codes:
                errors.append(SheetError(s_where, _("the section code %(code)s is repeated (first at %(place)s)") % {
                    "code": section.code, "place": section_codes[section.code]}))
            elif section.code:
                section_codes[section.code] = s_where
            _check_text(section.code, s_where, _("the section code"), LIMITS["section_code"], errors)
            _check_text(section.title, s_where, _("the section title"), LIMITS["section_title"], errors)
            if not section.criteria:
                errors.append(SheetError(s_where, _("the section has no criteria")))
            for criterion in section.criteria:
                criteria_count += 1
                criterion_max = _criterion_errors(criterion, criterion_codes, errors)
                if criterion_max is None:
                    all_criteria_numeric = False
                else:
                    criteria_sum += criterion_max
        if part_max is not None and all_criteria_numeric and criteria_count and criteria_sum != part_max:
            errors.append(SheetError(where, _("the criteria of part %(code)s add up to %(sum)s, not to the part "
                                              "maximum %(max)s") % {
                "code": part.code, "sum": _shown(criteria_sum), "max": _shown(part_max)}))
    if all_parts_numeric and sum(part_maxima) != SHEET_TOTAL:
        errors.append(SheetError(data.where("parts"), _("the parts add up to %(sum)s, not to %(total)s") % {
            "sum": _shown(sum(part_maxima)), "total": _shown(SHEET_TOTAL)}))
    return errors


def _criterion_errors(criterion: CriterionData, codes: dict[str, str], errors: list[SheetError]) -> Decimal | None:
    """Record the criterion's problems; return its maximum when usable."""
    where = criterion.location
    if criterion.code and criterion.code in codes:
        errors.append(SheetError(where, _("the criterion code %(code)s is repeated (first at %(place)s)") % {
            "code": criterion.code, "place": codes[criterion.code]}))
    elif criterion.code:
        codes[criterion.code] = where
    _check_text(criterion.code, where, _("the criterion code"), LIMITS["criterion_code"], errors)
    _check_text(criterion.title, where, _("the criterion title"), LIMITS["criterion_title"], errors)
    criterion_max = _check_points(criterion.max_points, where, _("the criterion maximum"), errors, positive=True)
    star = criterion.required_for_star
    if star is not None and (isinstance(star, Raw) or star not in STAR_RANGE):
        message = _("“mandatory from star” must be a whole number from 1 to 5, not “%(value)s”") % {"value": star}
        errors.append(SheetError(where, message))
    if not criterion.options:
        errors.append(SheetError(where, _("the criterion has no options")))
    elif len(criterion.options) < MIN_OPTIONS:
        errors.append(SheetError(where, _("the criterion has only one option; it needs at least %(count)s") % {
            "count": MIN_OPTIONS}))

    labels: dict[str, str] = {}
    best, check_best = None, True
    for option in criterion.options:
        o_where = option.location
        _check_text(option.label, o_where, _("the answer"), LIMITS["option_label"], errors)
        if option.label and option.label in labels:
            errors.append(SheetError(o_where, _("the answer is repeated (first at %(place)s)") % {
                "place": labels[option.label]}))
        elif option.label:
            labels[option.label] = o_where
        points = _check_points(option.points, o_where, _("the points"), errors, positive=False)
        if isinstance(option.knocks_out, Raw):
            errors.append(SheetError(o_where, _("“%(value)s” is not yes or no (true/false)") % {
                "value": option.knocks_out}))
        if points is None:
            check_best = False
            continue
        if criterion_max is not None and points > criterion_max:
            check_best = False  # the best-answer check would only repeat this
            errors.append(SheetError(o_where, _("%(points)s points is above the criterion maximum %(max)s") % {
                "points": _shown(points), "max": _shown(criterion_max)}))
        if option.knocks_out is True and points != 0:
            errors.append(SheetError(o_where, _("a knock-out answer must be worth 0 points, not %(points)s") % {
                "points": _shown(points)}))
        best = points if best is None else max(best, points)
    if criterion_max is not None and check_best and best is not None and best != criterion_max:
        errors.append(SheetError(where, _("the best answer is worth %(best)s, not the criterion maximum %(max)s") % {
            "best": _shown(best), "max": _shown(criterion_max)}))
    return criterion_max


def sheet_validate(data: SheetData) -> list[SheetError]:
    """Every inconsistency of a sheet, each with its location: unknown regulation or product set, then
    the tree's own problems in the order of the file."""
    errors: list[SheetError] = []
    if data.regulation and not Regulation.objects.filter(code=data.regulation).exists():
        known = ", ".join(Regulation.objects.order_by("effective_from").values_list("code", flat=True))
        errors.append(SheetError(data.where("regulation"), _("unknown regulation “%(code)s” (known: %(known)s)") % {
            "code": data.regulation, "known": known}))
    if isinstance(data.product_set, int) and not ProductSet.objects.filter(number=data.product_set).exists():
        errors.append(SheetError(data.where("product_set"), _("unknown product set %(number)s (the sets are "
                                                               "numbered 1 to 26)") % {"number": data.product_set}))
    return errors + sheet_structure_errors(data)


def sheet_read(*, content: bytes, filename: str) -> tuple[SheetData, list[SheetError]]:
    """Read and validate a sheet file, its format told by the extension (.yaml, .yml or .xlsx): the errors of
    form, then (unless the file could not be read at all) every inconsistency of its content."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return SheetData(), [SheetError("", _("the file is not UTF-8 text"), fatal=True)]
        data, errors = sheet_parse_yaml(text)
    elif name.endswith(".xlsx"):
        data, errors = sheet_parse_xlsx(io.BytesIO(content))
    else:
        return SheetData(), [SheetError("", _("unknown file format: use .yaml, .yml or .xlsx"), fatal=True)]
    if any(error.fatal for error in errors):
        return data, errors
    return data, errors + sheet_validate(data)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def _existing_sheet(data: SheetData) -> ScoreSheet | None:
    return (ScoreSheet.objects.select_related("regulation", "product_set")
            .filter(regulation__code=data.regulation, product_set__number=data.product_set).first())


def sheet_import_blockers(*, data: SheetData, replace: bool) -> list[str]:
    """Why a valid sheet could not be imported now: a sheet for the same regulation and product set exists
    and `replace` is not set, or that sheet is already used by evaluations."""
    sheet = _existing_sheet(data)
    if sheet is None:
        return []
    names = {"set": sheet.product_set.number, "regulation": sheet.regulation.code}
    used = sheet.evaluations.count()
    if used:
        return [_("The score sheet of product set %(set)s under %(regulation)s is used by %(count)s evaluation(s) "
                  "and cannot be replaced: an evaluation stays with the sheet it started under. Import the new "
                  "version under its own regulation.") % {**names, "count": used}]
    if not replace:
        return [_("A score sheet of product set %(set)s under %(regulation)s already exists. Choose “replace” "
                  "to import it again.") % names]
    return []


def sheet_import(*, data: SheetData, by, replace: bool = False) -> ScoreSheet:
    """Create the score sheet `data` describes, or with `replace` rebuild the existing one, all or nothing.

    Raises ValidationError listing every problem (with its location) when the data is inconsistent, when a
    sheet of the same regulation and product set exists and `replace` is False, or when that sheet is used
    by evaluations (an evaluation stays frozen to its sheet; a new version gets its own regulation).
    Side effects: creates the sheet with its parts, sections, criteria and options (on replace, deletes the
    old tree and keeps the sheet's id); writes one audit entry.
    """
    errors = sheet_validate(data)
    if errors:
        raise ValidationError([str(error) for error in errors])
    try:
        with transaction.atomic():
            regulation = Regulation.objects.get(code=data.regulation)
            product_set = ProductSet.objects.get(number=data.product_set)
            sheet = (ScoreSheet.objects.select_for_update()
                     .filter(regulation=regulation, product_set=product_set).first())
            blockers = sheet_import_blockers(data=data, replace=replace)
            if blockers:
                raise ValidationError(blockers)
            old_count, before = None, {}
            if sheet is None:
                sheet = ScoreSheet(regulation=regulation, product_set=product_set)
            else:
                old_count = sheet.criteria.count()
                before = model_snapshot(sheet, SHEET_FIELDS)
                sheet.parts.all().delete()  # cascades to sections, criteria and options
            sheet.title = data.title
            sheet.is_demonstration = bool(data.demonstration)
            sheet.full_clean()
            sheet.save()
            count = _build_tree(sheet, data)
            if old_count is None:
                message = _("Imported: %(count)s criteria") % {"count": count}
                changes = {}
            else:
                message = _("Replaced by import: %(count)s criteria (before: %(old)s)") % {
                    "count": count, "old": old_count}
                changes = model_changes(before, sheet, SHEET_FIELDS)
            audit_log(actor=by, obj=sheet, action=AuditAction.IMPORT, message=message, changes=changes)
    except IntegrityError as exc:
        raise ValidationError(_("The score sheet could not be saved because another import changed it at the "
                                "same time; try again.")) from exc
    return sheet


SHEET_FIELDS = ["title", "is_demonstration"]
_NO_FK = {"validate_unique": False, "validate_constraints": False}


def _build_tree(sheet: ScoreSheet, data: SheetData) -> int:
    """Write the parts, sections, criteria and options in four inserts; returns the number of criteria."""
    parts = [SheetPart(sheet=sheet, code=p.code, title=p.title, max_points=p.max_points, position=i)
             for i, p in enumerate(data.parts)]
    for part in parts:
        part.full_clean(exclude=["sheet"], **_NO_FK)
    SheetPart.objects.bulk_create(parts)
    sections, section_rows = [], []
    for part, part_data in zip(parts, data.parts, strict=True):
        for i, section_data in enumerate(part_data.sections):
            section = SheetSection(part=part, code=section_data.code, title=section_data.title, position=i)
            section.full_clean(exclude=["part"], **_NO_FK)
            sections.append(section)
            section_rows.append((part, section_data))
    SheetSection.objects.bulk_create(sections)
    criteria, criterion_rows = [], []
    for section, (part, section_data) in zip(sections, section_rows, strict=True):
        for criterion_data in section_data.criteria:
            criterion = Criterion(
                section=section, sheet=sheet, part=part, code=criterion_data.code, title=criterion_data.title,
                max_points=criterion_data.max_points, required_for_star=criterion_data.required_for_star,
                position=len(criteria))
            criterion.full_clean(exclude=["section", "sheet", "part"], **_NO_FK)
            criteria.append(criterion)
            criterion_rows.append(criterion_data)
    Criterion.objects.bulk_create(criteria)
    options = []
    for criterion, criterion_data in zip(criteria, criterion_rows, strict=True):
        for i, option_data in enumerate(criterion_data.options):
            option = CriterionOption(criterion=criterion, label=option_data.label, points=option_data.points,
                                     knocks_out=bool(option_data.knocks_out), position=i)
            option.full_clean(exclude=["criterion"], **_NO_FK)
            options.append(option)
    CriterionOption.objects.bulk_create(options)
    return len(criteria)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def sheet_tree_queryset(sheet: ScoreSheet):
    """The parts of a sheet with their sections, criteria and options, in four queries."""
    return sheet.parts.prefetch_related(Prefetch(
        "sections", queryset=SheetSection.objects.prefetch_related(Prefetch(
            "criteria", queryset=Criterion.objects.order_by("position").prefetch_related("options")))))


def sheet_data_from_db(sheet: ScoreSheet) -> SheetData:
    """The tree of a stored sheet, as the file formats hold it."""
    parts = []
    for part in sheet_tree_queryset(sheet):
        sections = []
        for section in part.sections.all():
            criteria = [
                CriterionData(code=c.code, title=c.title, max_points=c.max_points,
                              required_for_star=c.required_for_star,
                              options=[OptionData(label=o.label, points=o.points, knocks_out=o.knocks_out)
                                       for o in c.options.all()])
                for c in section.criteria.all()
            ]
            sections.append(SectionData(code=section.code, title=section.title, criteria=criteria))
        parts.append(PartData(code=part.code, title=part.title, max_points=part.max_points, sections=sections))
    return SheetData(regulation=sheet.regulation.code, product_set=sheet.product_set.number, title=sheet.title,
                     demonstration=sheet.is_demonstration, parts=parts)


def sheet_export_yaml(sheet: ScoreSheet) -> str:
    """The sheet as YAML, exactly the format `import_criteria` reads."""
    return sheet_data_yaml(sheet_data_from_db(sheet))


def sheet_export_xlsx(sheet: ScoreSheet) -> bytes:
    """The sheet as an .xlsx workbook, exactly the format `import_criteria` reads."""
    return sheet_data_xlsx(sheet_data_from_db(sheet))


def sheet_filename(sheet: ScoreSheet, extension: str) -> str:
    """phieu-148-qd-ttg-bo-03.yaml: ASCII, safe in a Content-Disposition header."""
    from ocop.text import fold

    slug = "".join(ch if ch.isalnum() else "-" for ch in fold(sheet.regulation.code)).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"phieu-{slug}-bo-{sheet.product_set.number:02d}.{extension}"


# ---------------------------------------------------------------------------------------------
# Shipped data: part maxima and demonstration sheets
# ---------------------------------------------------------------------------------------------


def part_maxima() -> dict[tuple[str, int], list[tuple[str, str, Decimal]]]:
    """{(regulation code, product set number): [(part code, part title, maximum), ...]} from part_maxima.csv."""
    table: dict[tuple[str, int], list[tuple[str, str, Decimal]]] = {}
    with PART_MAXIMA_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["regulation"], int(row["product_set"]))
            table.setdefault(key, []).append((row["part"], row["title"], Decimal(row["max"])))
    return table


def demo_sheet_files() -> list[Path]:
    return sorted(DEMO_SHEETS_DIR.rglob("*.yaml"))


def demo_sheets_load(log) -> None:
    """Import the shipped demonstration sheets, idempotently.

    A missing sheet is created; a demonstration sheet that differs from its file and is not in use is
    rebuilt; an official sheet (imported by an administrator) or a sheet in use is left alone.
    """
    created = updated = unchanged = kept = 0
    for path in demo_sheet_files():
        data, errors = sheet_parse_yaml(path.read_text(encoding="utf-8"))
        errors = errors or sheet_validate(data)
        if errors:
            raise RuntimeError(f"{path.name}: " + "; ".join(str(e) for e in errors))
        sheet = _existing_sheet(data)
        if sheet is None:
            sheet_import(data=data, by=None)
            created += 1
        elif sheet_data_from_db(sheet) == data:
            unchanged += 1
        elif sheet.is_demonstration and not sheet.evaluations.exists():
            sheet_import(data=data, by=None, replace=True)
            updated += 1
        else:
            kept += 1
    log(f"score sheets: {created} created, {updated} updated, {unchanged} unchanged, {kept} kept as they are")
