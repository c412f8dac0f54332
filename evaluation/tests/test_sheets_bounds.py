"""The criteria-sheet import against hostile workbooks (issue 14): each file a test writes by hand is answered on
the import page in under a second, with what is wrong in Vietnamese (a malformed file gave a 500), and nothing
is imported.

Score sheets are national data that only system administrators import (evaluation/rules.py): there is
no area to check their rows against."""
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.tests import office_files as crafted

from ..models import ScoreSheet
from ..services.sheets.xlsx import MAX_XLSX_ROWS, XLSX_COLUMNS
from .test_sheets import TEST_REGULATION, sample, test_regulation, xlsx_of  # noqa: F401 (fixture)

NAME = "bo-03.xlsx"


def post(client, content: bytes):
    return crafted.post_timed(client, "/evaluation/sheets/import/", {"file": SimpleUploadedFile(NAME, content)})


def test_sheet_declaring_the_whole_grid_is_checked_in_under_a_second(client_for, test_regulation):
    content = crafted.redeclared(xlsx_of(sample(regulation=TEST_REGULATION)))
    response, page, elapsed = post(client_for("admin"), content)
    assert elapsed < 1
    assert f"“{NAME}” hợp lệ. Kiểm tra nội dung rồi bấm nhập." in page
    assert "4 tiêu chí, 9 phương án, 1 tiêu chí bắt buộc, 1 phương án loại" in page


def test_sheet_zip_bomb_is_refused_before_it_is_unpacked(client_for, test_regulation):
    response, page, elapsed = post(client_for("admin"),
                                   crafted.xlsx_bomb(XLSX_COLUMNS, expanded_bytes=101 * crafted.MIB))
    assert elapsed < 1
    assert response.status_code == 200
    assert f"Tệp “{NAME}” bị từ chối. Khi giải nén, tệp chiếm 101," in page
    assert "; chỉ chấp nhận tối đa 100,0\xa0MB." in page
    assert ScoreSheet.objects.filter(regulation=test_regulation).count() == 0


def test_sheet_with_too_many_lines_is_refused(client_for, test_regulation):
    meta = crafted.sheet_xml([["regulation", TEST_REGULATION], ["product_set", 3], ["title", "Phiếu thử"]])
    content = crafted.xlsx(meta, crafted.many_rows_sheet(XLSX_COLUMNS, MAX_XLSX_ROWS),
                           titles=["Phiếu", "Tiêu chí"])
    response, page, elapsed = post(client_for("admin"), content)
    assert elapsed < 1
    assert response.status_code == 200
    assert ("Một trang tính có dữ liệu sau dòng 10.000: mỗi lần chỉ đọc tối đa 10.000 dòng; hãy chia nhỏ tệp."
            in page)
    assert 'data-testid="sheet-preview"' not in page


def test_sheet_with_an_overlong_cell_is_refused_with_its_line_and_column(client_for, test_regulation):
    from .test_sheets import edit_xlsx

    content = edit_xlsx(xlsx_of(sample(regulation=TEST_REGULATION)), {("Tiêu chí", "J3"): "Có giấy chứng nhận " * 200})
    response, page, elapsed = post(client_for("admin"), content)
    assert elapsed < 1
    assert "Dòng 3, cột J: ô có 3.800 ký tự; chỉ chấp nhận tối đa 2.000 ký tự." in page
    assert 'data-testid="sheet-preview"' not in page


def test_sheet_with_garbage_xml_inside_is_refused_not_a_server_error(client_for, test_regulation):
    content = crafted.with_part(xlsx_of(sample(regulation=TEST_REGULATION)), "xl/worksheets/sheet2.xml",
                                crafted.GARBAGE_XML)
    response, page, elapsed = post(client_for("admin"), content)
    assert elapsed < 1
    assert response.status_code == 200
    assert (f"Tệp “{NAME}” bị từ chối. Tệp bị hỏng: phần xl/worksheets/sheet2.xml không phải là XML hợp lệ "
            "(dòng 1)." in page)
    assert ScoreSheet.objects.filter(regulation=test_regulation).count() == 0
