"""Uploaded Office files (XLSX, DOCX) opened within bounds, for the imports and for attachments.

Before anything parses a file, its ZIP package is inspected (number of parts, the size every part declares once
unpacked, their compression ratio) and every XML part is scanned by expat, which refuses a document type
declaration, counts elements, cells per row and the lines that hold values, and stops at the first bound
crossed. Python's zipfile never unpacks more than a part declares, so the declared sizes are the real ones.
A workbook is then opened by openpyxl in read-only mode and read streaming, only the columns and lines an
import knows (the dimension a sheet declares is never trusted), each cell's text bounded, within a time budget.
Every refusal is a ValidationError whose message a user can act on; garbage never escapes as another error.
"""
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

MIB = 1024 * 1024
# Bounds of the format; the ones a deployment may tune (the unpacked size, the time budget) are settings.
MAX_PARTS = 1_000  # an Excel or Word file holds a few dozen parts, plus one per picture
MAX_PART_BYTES = 32 * MIB  # one XML part unpacked (a 10,000-line register written by openpyxl: 8 MB)
MAX_RATIO = 100  # a part compressed more than this is a zip bomb (Apache POI's ZipSecureFile uses 1%)
RATIO_GRACE_BYTES = 1 * MIB  # below this, a part may compress better (styles, runs of empty cells)
MAX_ELEMENTS = 2_000_000  # XML elements in the whole package (that register: 400,000)
MAX_ROW_CELLS = 16_384  # Excel's own number of columns: no genuine row has more cells
MAX_CELL_CHARS = 2_000  # the longest text a cell may hold for an import (a criterion's title is at most 1,000)
MAX_COLUMNS = 64  # the columns in which an import looks for its header
SCAN_CHUNK = 64 * 1024
XML_SUFFIXES = (".xml", ".rels")
NOT_A = {
    "xlsx": gettext_lazy("The file is not an Excel workbook (.xlsx)."),
    "docx": gettext_lazy("The file is not a Word document (.docx)."),
}


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


class _Clock:
    """The time budget of reading one file (settings.OCOP_OFFICE_READ_SECONDS), checked as the reading goes."""

    def __init__(self):
        self.seconds = settings.OCOP_OFFICE_READ_SECONDS
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            seconds = int(self.seconds) if float(self.seconds).is_integer() else self.seconds
            raise ValidationError(_("Reading the file took more than %(seconds)s seconds; split it into smaller "
                                    "files.") % {"seconds": number_format(seconds)}, code="too_slow")


class _TimedFile:
    """The uploaded file as openpyxl's zipfile reads it: every read of compressed bytes checks the time budget
    first, so that whatever openpyxl spends its time on (a sheet without a declared dimension is parsed whole
    when opened) stops with the budget."""

    def __init__(self, fileobj, clock: _Clock):
        self._file = fileobj
        self._clock = clock

    def read(self, *args):
        self._clock.check()
        return self._file.read(*args)

    def seek(self, *args):
        return self._file.seek(*args)

    def tell(self):
        return self._file.tell()

    def seekable(self):
        return True


# ---------------------------------------------------------------------------------------------
# The package: checked before anything parses it
# ---------------------------------------------------------------------------------------------


class _Scan:
    """What expat sees in one XML part, refused at the first bound crossed. `elements` is shared by the parts
    of a package; rows, cells and lines are counted only in a worksheet (its root element says so)."""

    def __init__(self, *, elements: int, max_lines: int | None):
        self.elements = elements
        self.max_lines = max_lines
        self.root = None
        self.worksheet = False
        self.line = 0
        self.cells = 0

    def start(self, name, attributes):
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise ValidationError(_("The file holds more than %(limit)s XML elements.") % {
                "limit": _count(MAX_ELEMENTS)}, code="too_many_elements")
        local = name.rpartition(":")[2]
        if self.root is None:
            self.root = local
            self.worksheet = local == "worksheet"
        elif not self.worksheet:
            return
        elif local == "row":
            number = attributes.get("r", "")
            self.line = int(number) if number.isdigit() else self.line + 1
            self.cells = 0
        elif local == "c":
            self.cells += 1
            if self.cells > MAX_ROW_CELLS:
                raise ValidationError(_("Line %(line)s of a worksheet holds more than %(limit)s cells.") % {
                    "line": self.line, "limit": _count(MAX_ROW_CELLS)}, code="row_too_wide")
        elif local in ("v", "is") and self.max_lines is not None and self.line > self.max_lines:
            raise _lines_refusal(self.max_lines)

    @staticmethod
    def declaration(*args):
        raise ValidationError(_("The file contains a document type declaration (DTD), which Office files never "
                                "contain."), code="dtd")


def _lines_refusal(max_lines: int) -> ValidationError:
    return ValidationError(_("A worksheet has data beyond line %(limit)s: at most %(limit)s lines are read at "
                             "once; split the file.") % {"limit": _count(max_lines)}, code="too_many_lines")


def _damaged(part: str) -> ValidationError:
    return ValidationError(_("The file is damaged: its part %(part)s cannot be unpacked.") % {"part": part},
                           code="damaged")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, clock: _Clock, scan: _Scan) -> None:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = scan.declaration
    parser.EntityDeclHandler = scan.declaration
    parser.StartElementHandler = scan.start
    try:
        with archive.open(info) as member:
            while True:
                clock.check()
                chunk = member.read(SCAN_CHUNK)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    return
    except expat.ExpatError as exc:
        raise ValidationError(_("The file is damaged: its part %(part)s is not valid XML (line %(line)s).") % {
            "part": info.filename, "line": exc.lineno}, code="bad_xml") from exc
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bad CRC, a truncated stream, an unknown compression
        raise _damaged(info.filename) from exc


def package_check(fileobj, kind: str, *, max_lines: int | None = None, clock: _Clock | None = None) -> dict:
    """Inspect an Office file's ZIP package and scan its XML parts; return {part name: its root element}.

    Refused: not a ZIP; a password; more than MAX_PARTS parts; more than OCOP_OFFICE_MAX_EXPANDED_MB unpacked;
    an XML part over MAX_PART_BYTES or compressed over MAX_RATIO times; XML that is not well-formed or declares
    a DTD; over MAX_ELEMENTS elements; a row of over MAX_ROW_CELLS cells; with `max_lines`, a value on a later
    line of a worksheet; a DOCX without word/document.xml. Nothing is unpacked before the sizes are checked.
    """
    clock = clock or _Clock()
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on what is not a ZIP
        raise ValidationError(NOT_A[kind], code="not_office") from exc
    if len(infos) > MAX_PARTS:
        raise ValidationError(_("The file holds %(count)s parts; at most %(limit)s are accepted.") % {
            "count": _count(len(infos)), "limit": _count(MAX_PARTS)}, code="too_many_parts")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ValidationError(_("The file is protected by a password: save it without one and upload it again."),
                              code="encrypted")
    expanded, limit = sum(info.file_size for info in infos), settings.OCOP_OFFICE_MAX_EXPANDED_MB * MIB
    if expanded > limit:
        raise ValidationError(_("Unpacked, the file would take %(size)s; at most %(limit)s is accepted.") % {
            "size": filesizeformat(expanded), "limit": filesizeformat(limit)}, code="too_large_unpacked")
    parts = [info for info in infos if info.filename.lower().endswith(XML_SUFFIXES)]
    for info in parts:
        if info.file_size > MAX_PART_BYTES:
            raise ValidationError(_("Its part %(part)s would take %(size)s unpacked; at most %(limit)s is "
                                    "accepted.") % {"part": info.filename, "size": filesizeformat(info.file_size),
                                                    "limit": filesizeformat(MAX_PART_BYTES)}, code="part_too_large")
    for info in infos:
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ValidationError(_("Its part %(part)s is compressed %(ratio)s times, the mark of a zip bomb; at "
                                    "most %(limit)s times is accepted.") % {
                "part": info.filename, "ratio": _count(info.file_size // max(info.compress_size, 1)),
                "limit": MAX_RATIO}, code="zip_bomb")
    if "[Content_Types].xml" not in {info.filename for info in infos}:
        raise ValidationError(NOT_A[kind], code="not_office")
    roots, elements = {}, 0
    for info in parts:
        scan = _Scan(elements=elements, max_lines=max_lines)
        _scan_part(archive, info, clock=clock, scan=scan)
        roots[info.filename], elements = scan.root, scan.elements
    if kind == "docx" and roots.get("word/document.xml") != "document":
        raise ValidationError(NOT_A[kind], code="not_office")
    fileobj.seek(0)
    return roots


# ---------------------------------------------------------------------------------------------
# Workbooks: read streaming, only what an import knows
# ---------------------------------------------------------------------------------------------


class BoundedWorkbook:
    """An openpyxl read-only workbook whose rows are read through `rows`, within the lines, columns, cell length
    and time the import allows."""

    def __init__(self, book, *, max_lines: int | None, clock: _Clock):
        self.book = book
        self.max_lines = max_lines
        self.clock = clock

    @property
    def sheetnames(self) -> list[str]:
        return self.book.sheetnames

    @property
    def worksheets(self) -> list:
        return self.book.worksheets

    def __getitem__(self, name: str):
        return self.book[name]

    def rows(self, worksheet, *, columns: int | Sequence[int], first_line: int = 1) -> Iterator[tuple[int, tuple]]:
        """(line, values) for every line from `first_line` to the workbook's last allowed line, empty ones too
        (none when the workbook was opened only to be checked, max_lines=None).

        `columns` is a number of columns from A, or the 0-based positions of the columns to read (the values then
        come in that order). Refused: a value after the last allowed line, a cell of those columns longer than
        MAX_CELL_CHARS, a line openpyxl cannot read, the time budget spent.
        """
        picked = None if isinstance(columns, int) else list(columns)
        width = columns if picked is None else max(picked, default=-1) + 1
        if width < 1 or self.max_lines is None:
            return
        source = worksheet.iter_rows(min_row=first_line, max_row=self.max_lines + 1, max_col=width,
                                     values_only=True)
        line = first_line - 1
        try:
            while True:
                self.clock.check()
                try:
                    values = next(source)
                except StopIteration:
                    return
                except ValidationError:
                    raise
                except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged cell
                    raise ValidationError(_("The file is damaged: line %(line)s of worksheet “%(sheet)s” cannot be "
                                            "read.") % {"line": line + 1, "sheet": worksheet.title},
                                          code="damaged") from exc
                line += 1
                if picked is not None:
                    values = tuple(values[i] for i in picked)
                if line > self.max_lines:
                    if any(value not in (None, "") for value in values):
                        raise _lines_refusal(self.max_lines)
                    return
                for index, value in enumerate(values):
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        column = picked[index] if picked is not None else index
                        raise ValidationError(_("Line %(line)s, column %(column)s: the cell holds %(length)s "
                                                "characters; at most %(limit)s are accepted.") % {
                            "line": line, "column": get_column_letter(column + 1), "length": _count(len(value)),
                            "limit": _count(MAX_CELL_CHARS)}, code="cell_too_long")
                yield line, values
        finally:
            source.close()


@contextmanager
def workbook_open(fileobj, *, max_lines: int | None) -> Iterator[BoundedWorkbook]:
    """The workbook in `fileobj`, checked (package_check) then opened read-only with cached values.

    `max_lines`: the last line of a worksheet that may hold a value (None: no rows are read, only the file is
    checked). Raises ValidationError when the file is refused.
    """
    from openpyxl import load_workbook

    clock = _Clock()
    package_check(fileobj, "xlsx", max_lines=max_lines, clock=clock)
    try:
        book = load_workbook(_TimedFile(fileobj, clock), read_only=True, data_only=True, keep_links=False)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a package that is not a workbook
        raise ValidationError(NOT_A["xlsx"], code="not_office") from exc
    try:
        clock.check()
        yield BoundedWorkbook(book, max_lines=max_lines, clock=clock)
    finally:
        book.close()


def office_file_check(fileobj, kind: str) -> None:
    """Open an uploaded XLSX or DOCX within bounds, or raise a ValidationError saying why it is refused."""
    if kind == "xlsx":
        with workbook_open(fileobj, max_lines=None):
            pass
    else:
        package_check(fileobj, kind)
    fileobj.seek(0)
