"""The bounded reader of uploaded Office files (ocop/workbooks.py), on files the tests write by hand: each
hostile one is refused in under a second with the reason in Vietnamese, a genuine one is read exactly."""
import datetime
import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from ocop import workbooks
from ocop.workbooks import office_file_check, package_check, workbook_open

from . import office_files as crafted


def refusal(content: bytes, kind="xlsx", **options) -> list[str]:
    """The messages a file is refused with, checked within a second."""
    started = time.monotonic()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        if kind == "xlsx":
            with workbook_open(io.BytesIO(content), max_lines=options.get("max_lines", 100)) as book:
                for sheet in book.worksheets:
                    list(book.rows(sheet, columns=options.get("columns", 5)))
        else:
            office_file_check(io.BytesIO(content), kind)
    assert time.monotonic() - started < 1
    return refused.value.messages


def read(content: bytes, *, max_lines=100, columns=5, sheet=0) -> list[tuple[int, tuple]]:
    with workbook_open(io.BytesIO(content), max_lines=max_lines) as book:
        return list(book.rows(book.worksheets[sheet], columns=columns))


def test_a_genuine_workbook_is_read_with_its_values_lines_and_columns(settings):
    book = Workbook()
    book.active.append(["Tên sản phẩm", "Hạng sao", "Ngày cấp", "Ghi chú"])
    book.active.append(["Miến dong Tài Hoan", 5, datetime.datetime(2024, 6, 18), "ghi chú dài " * 400])
    book.active.append([])
    book.active.append(["Mật ong Hợp Giang", 3, None, None])
    out = io.BytesIO()
    book.save(out)

    with workbook_open(io.BytesIO(out.getvalue()), max_lines=10) as workbook:
        sheet = workbook.worksheets[0]
        first_three = list(workbook.rows(sheet, columns=3))
        picked = list(workbook.rows(sheet, columns=[1, 0], first_line=2))

    assert first_three[:4] == [
        (1, ("Tên sản phẩm", "Hạng sao", "Ngày cấp")),
        (2, ("Miến dong Tài Hoan", 5, datetime.datetime(2024, 6, 18))),
        (3, (None, None, None)),
        (4, ("Mật ong Hợp Giang", 3, None)),
    ]
    assert picked[:3] == [(2, (5, "Miến dong Tài Hoan")), (3, (None, None)), (4, (3, "Mật ong Hợp Giang"))]
    # The 4,800-character note in column D is never read, so never refused.


def test_the_dimension_a_sheet_declares_is_not_trusted():
    content = crafted.xlsx(crafted.sheet_xml([["a", "b"], [1, 2]], dimension=crafted.WHOLE_GRID,
                                             tail=crafted.grid_corner()))
    started = time.monotonic()
    lines = read(content, max_lines=1_000, columns=3)
    assert time.monotonic() - started < 1
    assert [line for line in lines if any(v is not None for v in line[1])] == [(1, ("a", "b", None)),
                                                                                (2, (1, 2, None))]
    assert {len(values) for _line, values in lines} == {3}
    assert lines[-1][0] == 1_000


def test_a_value_beyond_the_last_line_is_refused_before_reading():
    content = crafted.xlsx(crafted.sheet_xml([["a"]], tail=crafted.grid_corner("1")))
    assert refusal(content, max_lines=20_000) == [
        "Một trang tính có dữ liệu sau dòng 20.000: mỗi lần chỉ đọc tối đa 20.000 dòng; hãy chia nhỏ tệp."]


def test_too_many_lines_are_refused_in_any_worksheet():
    content = crafted.xlsx(crafted.sheet_xml([["a"]]), crafted.many_rows_sheet(["b"], 100))
    assert refusal(content, max_lines=100) == [
        "Một trang tính có dữ liệu sau dòng 100: mỗi lần chỉ đọc tối đa 100 dòng; hãy chia nhỏ tệp."]


def test_a_zip_bomb_is_refused_by_its_declared_size():
    content = crafted.xlsx_bomb(["a"], expanded_bytes=101 * crafted.MIB)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        expanded = sum(info.file_size for info in archive.infolist())
    assert len(content) < 2 * crafted.MIB and expanded > 101 * crafted.MIB
    [message] = refusal(content)
    assert message.startswith("Khi giải nén, tệp chiếm 101,")
    assert message.endswith("; chỉ chấp nhận tối đa 100,0\xa0MB.")


def test_the_unpacked_size_limit_is_a_setting(settings):
    settings.OCOP_OFFICE_MAX_EXPANDED_MB = 1
    content = crafted.xlsx(crafted.many_rows_sheet(["a"], 40_000))
    assert refusal(content)[0].endswith("; chỉ chấp nhận tối đa 1,0\xa0MB.")


def test_a_part_compressed_like_a_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b"<x/>" * 1_000_000 + b"</worksheet>")
    [message] = refusal(out.getvalue())
    assert message.startswith("Phần xl/worksheets/sheet1.xml của tệp được nén ")
    assert message.endswith(" lần, dấu hiệu của một quả bom nén; chỉ chấp nhận tối đa 100 lần.")


def test_an_xml_part_too_big_is_refused():
    size = workbooks.MAX_PART_BYTES + 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b" " * size)
    assert refusal(out.getvalue()) == [
        "Phần xl/sharedStrings.xml của tệp khi giải nén chiếm 32,0\xa0MB; chỉ chấp nhận tối đa 32,0\xa0MB."]


def test_too_many_parts_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(workbooks.MAX_PARTS + 1):
            archive.writestr(f"xl/media/image{number}.png", b"")
    assert refusal(out.getvalue()) == ["Tệp gồm 1.001 phần; chỉ chấp nhận tối đa 1.000 phần."]


def test_garbage_xml_is_refused_with_its_part_and_line():
    assert refusal(crafted.xlsx(crafted.GARBAGE_XML)) == [
        "Tệp bị hỏng: phần xl/worksheets/sheet1.xml không phải là XML hợp lệ (dòng 1)."]


def test_a_document_type_declaration_is_refused():
    """The "billion laughs": entities that expand to gigabytes are never declared in a genuine Office file."""
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    assert refusal(crafted.xlsx(laughs)) == [
        "Tệp chứa khai báo kiểu tài liệu (DTD), điều mà tệp Office không bao giờ có."]


def test_a_row_wider_than_excel_is_refused():
    row = '<row r="1">' + '<c s="0"/>' * (workbooks.MAX_ROW_CELLS + 1) + "</row>"
    content = crafted.xlsx(crafted.sheet_xml([], tail=row))
    assert refusal(content) == ["Dòng 1 của một trang tính có hơn 16.384 ô."]


def test_too_many_xml_elements_are_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ELEMENTS", 1_000)
    content = crafted.xlsx(crafted.many_rows_sheet(["a"], 400))
    assert refusal(content, max_lines=1_000) == ["Tệp chứa hơn 1.000 phần tử XML."]


def test_an_overlong_cell_is_refused_with_its_line_and_column():
    content = crafted.xlsx(crafted.sheet_xml([["a", "b", "c"], ["x", "y", "z" * 2_001]]))
    assert refusal(content, columns=3) == ["Dòng 2, cột C: ô có 2.001 ký tự; chỉ chấp nhận tối đa 2.000 ký tự."]


def test_reading_past_the_time_budget_is_refused(settings):
    settings.OCOP_OFFICE_READ_SECONDS = 0
    content = crafted.xlsx(crafted.sheet_xml([["a"]]))
    assert refusal(content) == ["Việc đọc tệp mất hơn 0 giây; hãy chia thành các tệp nhỏ hơn."]


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04" + b"\x00" * 100, b""])
def test_what_is_not_a_zip_is_not_a_workbook(content):
    assert refusal(content) == ["Tệp không phải là bảng tính Excel (.xlsx)."]


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/readme.txt", "không phải bảng tính")
    assert refusal(out.getvalue()) == ["Tệp không phải là bảng tính Excel (.xlsx)."]


def test_a_part_that_cannot_be_unpacked_is_refused():
    """One letter of a stored sheet changed after the ZIP was written: the XML is still well-formed, the part's
    checksum no longer matches."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", crafted.sheet_xml([["aaaaaaaaaa"]]))
    content = bytearray(out.getvalue())
    content[content.find(b"aaaaaaaaaa")] ^= 0x01
    assert refusal(bytes(content)) == ["Tệp bị hỏng: không giải nén được phần xl/worksheets/sheet1.xml."]


def test_a_password_flag_is_refused():
    """zipfile cannot write an encrypted part: the flag is set by hand in the part's two headers."""
    content = bytearray(crafted.xlsx(crafted.sheet_xml([["a"]])))
    local, central = content.find(b"PK\x03\x04"), content.find(b"PK\x01\x02")
    content[local + 6] |= 0x1
    content[central + 8] |= 0x1
    assert refusal(bytes(content)) == [
        "Tệp được bảo vệ bằng mật khẩu: hãy lưu lại không đặt mật khẩu rồi tải lên lại."]


def test_a_word_document_is_checked_by_its_main_part():
    package_check(io.BytesIO(crafted.docx()), "docx")
    assert refusal(crafted.docx(b"<notes/>"), kind="docx") == ["Tệp không phải là văn bản Word (.docx)."]
    assert refusal(crafted.docx(b"<w:document><w:body>"), kind="docx") == [
        "Tệp bị hỏng: phần word/document.xml không phải là XML hợp lệ (dòng 1)."]
    [message] = refusal(crafted.docx_bomb(expanded_bytes=101 * crafted.MIB), kind="docx")
    assert message.startswith("Khi giải nén, tệp chiếm 101,")
