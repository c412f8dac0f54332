"""Responses for files: private uploads after a permission check, Excel exports of lists."""
import io
import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .uploads import CONTENT_TYPES

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def private_file_response(fieldfile, *, download_name: str, file_type: str | None = None,
                          inline: bool = False) -> FileResponse:
    """Stream a stored file. Call only after the view has checked the user's permission."""
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    content_type = (CONTENT_TYPES.get(file_type or "") or mimetypes.guess_type(download_name)[0]
                    or "application/octet-stream")
    response = FileResponse(handle, as_attachment=not inline, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file generated for the user who asked (an export, a PDF): downloaded, and kept by no cache (it holds
    what his scope lets him see, often names, phones and unpublished scores)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _text_cell(sheet, value):
    """The value; user text that starts with "=" as a text cell (openpyxl would store it as a formula, which
    Excel runs when the file is opened: =HYPERLINK(...) typed as a subject's name)."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def keep_text_as_text(cells) -> None:
    """In a worksheet filled with append(), turn back into text the cells that user text made formulas."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def workbook_bytes(workbook) -> bytes:
    """The .xlsx file of a workbook built in memory (not write-only), every cell that text made a formula
    turned back into text first: our exports hold no formula, so any one came from text a user typed."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            keep_text_as_text(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(*, filename: str, sheet_title: str, headers: list[str], rows) -> HttpResponse:
    """An .xlsx workbook with a bold header row, frozen below it, and column widths that fit."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    widths = [len(str(h)) for h in headers]
    buffered = []
    for row in rows:
        row = ["" if value is None else value for value in row]
        for i, value in enumerate(row):
            widths[i] = min(60, max(widths[i], len(str(value))))
        buffered.append(row)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in buffered:
        sheet.append([_text_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return attachment_response(out.getvalue(), filename=filename, content_type=XLSX_TYPE)
