"""Office files written by hand for the upload and import tests: real ZIP packages whose XML the test chooses
(a sheet declaring the whole grid, a zip bomb, garbage XML, a cell too long), each built in milliseconds; and the
timed post that sends one to a page."""
import io
import re
import time
import zipfile
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MIB = 1024 * 1024


def post_timed(client, url: str, data: dict):
    """(response, its page, seconds the request took)."""
    started = time.monotonic()
    response = client.post(url, data)
    return response, response.content.decode(), time.monotonic() - started


def _cell(column: int, line: int, value) -> str:
    ref = f"{get_column_letter(column)}{line}"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(line: int, values) -> str:
    return f'<row r="{line}">' + "".join(_cell(i, line, v) for i, v in enumerate(values, start=1)) + "</row>"


WHOLE_GRID = "A1:XFD1048576"


def grid_corner(value=None) -> str:
    """The last cell of the grid (XFD1048576): styled but empty, or holding `value`."""
    content = "" if value is None else f"<v>{value}</v>"
    return f'<row r="1048576"><c r="XFD1048576" s="0">{content}</c></row>'


def sheet_xml(rows, *, dimension: str | None = None, tail: str = "") -> bytes:
    """A worksheet with these rows (lists of values) from line 1, then `tail` (raw row XML), declaring
    `dimension` when given."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(row_xml(line, values) for line, values in enumerate(rows, start=1)) + tail
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">{declared}'
            f"<sheetData>{body}</sheetData></worksheet>").encode()


def _workbook_parts(titles) -> dict[str, bytes]:
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{WORKSHEET}"/>'
                        for i in range(1, len(titles) + 1))
    sheets = "".join(f'<sheet name="{escape(title)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, title in enumerate(titles, start=1))
    targets = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(titles) + 1))
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_MAIN}"/>{overrides}</Types>').encode(),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL_NS}">'
                        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
                        "</Relationships>").encode(),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SHEET_NS}" xmlns:r="{REL_NS}">'
                            f"<sheets>{sheets}</sheets></workbook>").encode(),
        "xl/_rels/workbook.xml.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
                                       f'xmlns="{PACKAGE_REL_NS}">{targets}</Relationships>').encode(),
    }


def xlsx(*sheets: bytes, titles=None) -> bytes:
    """A workbook package around these worksheet XML documents (named Sheet1, Sheet2... unless `titles`)."""
    titles = list(titles or [f"Sheet{i}" for i in range(1, len(sheets) + 1)])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _workbook_parts(titles).items():
            archive.writestr(name, content)
        for i, content in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", content)
    return out.getvalue()


def xlsx_bomb(header, *, expanded_bytes: int) -> bytes:
    """A workbook whose one sheet is `header` then the same row repeated until the sheet XML reaches
    `expanded_bytes`: a few hundred kilobytes that unzip to that size. Streamed, so the test never holds it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in _workbook_parts(["Sheet1"]).items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData>'.encode())
            sheet.write(row_xml(1, header).encode())
            chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
            for _ in range(expanded_bytes // len(chunk) + 1):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def many_rows_sheet(header, rows: int) -> bytes:
    """A sheet of `header` then `rows` lines of one small number each."""
    body = "".join(f'<row r="{line}"><c r="A{line}"><v>1</v></c></row>' for line in range(2, rows + 2))
    return (f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData>{row_xml(1, header)}{body}'
            "</sheetData></worksheet>").encode()


GARBAGE_XML = b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>\x00\xff<<'


def with_part(package: bytes, name: str, content: bytes) -> bytes:
    """The package with one part replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info.filename))
        archive.writestr(name, content)
    return out.getvalue()


def redeclared(package: bytes, ref: str = WHOLE_GRID) -> bytes:
    """A workbook (openpyxl's or ours) whose every worksheet declares `ref` as its dimension and has a styled,
    empty last cell of the grid, as the probe's file had: the cells in between stay as they were."""
    source = zipfile.ZipFile(io.BytesIO(package))
    for name in source.namelist():
        if name.startswith("xl/worksheets/sheet"):
            xml = source.read(name).decode()
            if "<dimension " in xml:
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
            else:
                xml = re.sub(r"(<worksheet[^>]*>)", rf'\1<dimension ref="{ref}"/>', xml, count=1)
            xml = xml.replace("<sheetData/>", "<sheetData></sheetData>").replace(
                "</sheetData>", grid_corner() + "</sheetData>")
            package = with_part(package, name, xml.encode())
    return package


def docx(document: bytes | None = None) -> bytes:
    """A Word package: content types, relationships and word/document.xml (one paragraph unless given)."""
    document = document or (f'<?xml version="1.0"?><w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r>'
                            "<w:t>Câu chuyện sản phẩm</w:t></w:r></w:p></w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>').encode())
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="word/document.xml"/></Relationships>').encode())
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def docx_bomb(*, expanded_bytes: int) -> bytes:
    """A Word package whose document.xml repeats one paragraph until it reaches `expanded_bytes`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx()), "r") as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in ("[Content_Types].xml", "_rels/.rels"):
            archive.writestr(name, source.read(name))
        with archive.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(f'<?xml version="1.0"?><w:document xmlns:w="{WORD_NS}"><w:body>'.encode())
            chunk = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30_000
            for _ in range(expanded_bytes // len(chunk) + 1):
                document.write(chunk)
            document.write(b"</w:body></w:document>")
    return out.getvalue()
