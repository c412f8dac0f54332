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

One module per concern: `tree` (the plain tree and its errors), `values` (cells and scalars as files hold
them), `yaml` and `xlsx` (the two formats, read and written), `validate` (every inconsistency), `import_export`
(reading an upload, the all-or-nothing import, the export of a stored sheet) and `shipped` (the part maxima and
demonstration sheets that come with the app). The names below are re-exported so that callers may import
them from the package.
"""
from .import_export import (
    SHEET_FIELDS,
    sheet_data_from_db,
    sheet_export_xlsx,
    sheet_export_yaml,
    sheet_filename,
    sheet_import,
    sheet_import_blockers,
    sheet_read,
)
from .shipped import DATA_DIR, DEMO_SHEETS_DIR, PART_MAXIMA_CSV, demo_sheet_files, demo_sheets_load, part_maxima
from .tree import CriterionData, OptionData, PartData, Raw, SectionData, SheetData, SheetError
from .validate import (
    LIMITS,
    MAX_POINTS,
    MIN_OPTIONS,
    POINT_DECIMALS,
    SHEET_TOTAL,
    STAR_RANGE,
    sheet_structure_errors,
    sheet_validate,
)
from .xlsx import (
    CRITERIA_SHEET,
    MAX_XLSX_ROWS,
    META_KEYS,
    META_SHEET,
    OPTIONAL_COLUMNS,
    XLSX_COLUMNS,
    sheet_data_xlsx,
    sheet_parse_xlsx,
)
from .yaml import (
    CRITERION_KEYS,
    OPTION_KEYS,
    PART_KEYS,
    PATH_SEPARATOR,
    SECTION_KEYS,
    TOP_KEYS,
    YAML_TYPE,
    sheet_data_yaml,
    sheet_parse_yaml,
)

__all__ = [
    "CRITERIA_SHEET", "CRITERION_KEYS", "DATA_DIR", "DEMO_SHEETS_DIR", "LIMITS", "MAX_POINTS", "MAX_XLSX_ROWS",
    "META_KEYS", "META_SHEET", "MIN_OPTIONS", "OPTIONAL_COLUMNS", "OPTION_KEYS", "PART_KEYS", "PART_MAXIMA_CSV",
    "PATH_SEPARATOR", "POINT_DECIMALS", "SECTION_KEYS", "SHEET_FIELDS", "SHEET_TOTAL", "STAR_RANGE", "TOP_KEYS",
    "XLSX_COLUMNS", "YAML_TYPE",
    "CriterionData", "OptionData", "PartData", "Raw", "SectionData", "SheetData", "SheetError",
    "demo_sheet_files", "demo_sheets_load", "part_maxima", "sheet_data_from_db", "sheet_data_xlsx", "sheet_data_yaml",
    "sheet_export_xlsx", "sheet_export_yaml", "sheet_filename", "sheet_import", "sheet_import_blockers",
    "sheet_parse_xlsx", "sheet_parse_yaml", "sheet_read", "sheet_structure_errors", "sheet_validate",
]
