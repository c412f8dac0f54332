"""The register import against hostile workbooks (issue 14): each file a test writes by hand is answered on the
import page in under a second, with what is wrong in Vietnamese, and nothing is written."""
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import Certificate
from ocop.tests import office_files as crafted

from .test_register_import import GOOD, HEADER

ROW = GOOD[0]
NAME = "so-theo-doi.xlsx"


def post(client, content: bytes):
    return crafted.post_timed(client, "/certificates/import/", {"file": SimpleUploadedFile(NAME, content)})


def test_register_declaring_the_whole_grid_is_checked_by_its_rows_in_under_a_second(demo, client_for):
    """The probe's 1.7 KB file declared A1:XFD1048576 and touched its last cell: every missing row up to
    1,048,576 was padded to 16,384 columns, for minutes. Only the register's columns and lines are read now."""
    content = crafted.xlsx(crafted.sheet_xml([HEADER, ROW], dimension=crafted.WHOLE_GRID,
                                             tail=crafted.grid_corner()))
    assert len(content) < 2_000
    response, page, elapsed = post(client_for("tinh.backan"), content)
    assert elapsed < 1
    assert response.status_code == 200
    assert "Đã đọc 1 dòng." in page and "Mọi dòng đều có thể nhập." in page
    assert not Certificate.objects.filter(number=ROW[9]).exists()


def test_register_with_a_value_in_the_grids_last_cell_is_refused_in_under_a_second(demo, client_for):
    content = crafted.xlsx(crafted.sheet_xml([HEADER, ROW], dimension=crafted.WHOLE_GRID,
                                             tail=crafted.grid_corner(1)))
    response, page, elapsed = post(client_for("tinh.backan"), content)
    assert elapsed < 1
    assert response.status_code == 200
    assert ("Một trang tính có dữ liệu sau dòng 10.000: mỗi lần chỉ đọc tối đa 10.000 dòng; hãy chia nhỏ tệp."
            in page)
    assert 'data-testid="confirm"' not in page


def test_register_zip_bomb_is_refused_before_it_is_unpacked(demo, client_for):
    content = crafted.xlsx_bomb(HEADER, expanded_bytes=101 * crafted.MIB)
    assert len(content) < 2 * crafted.MIB
    response, page, elapsed = post(client_for("tinh.backan"), content)
    assert elapsed < 1
    assert response.status_code == 400
    assert f"Tệp “{NAME}” bị từ chối. Khi giải nén, tệp chiếm 101," in page
    assert "; chỉ chấp nhận tối đa 100,0\xa0MB." in page
    assert 'data-testid="confirm"' not in page


def test_register_with_too_many_lines_is_refused_whole(demo, client_for):
    content = crafted.xlsx(crafted.many_rows_sheet(HEADER, 10_000))
    response, page, elapsed = post(client_for("tinh.backan"), content)
    assert elapsed < 1
    assert response.status_code == 200
    assert ("Một trang tính có dữ liệu sau dòng 10.000: mỗi lần chỉ đọc tối đa 10.000 dòng; hãy chia nhỏ tệp."
            in page)
    assert 'data-testid="import-row"' not in page and 'data-testid="confirm"' not in page


def test_register_with_an_overlong_cell_is_refused_with_its_line_and_column(demo, client_for):
    row = list(ROW)
    row[1] = "Mật ong " * 300  # 2,400 characters in column B
    content = crafted.xlsx(crafted.sheet_xml([HEADER, row]))
    response, page, elapsed = post(client_for("tinh.backan"), content)
    assert elapsed < 1
    assert response.status_code == 200
    assert "Dòng 2, cột B: ô có 2.400 ký tự; chỉ chấp nhận tối đa 2.000 ký tự." in page
    assert 'data-testid="confirm"' not in page


def test_register_with_garbage_xml_inside_is_refused_as_damaged(demo, client_for):
    response, page, elapsed = post(client_for("tinh.backan"), crafted.xlsx(crafted.GARBAGE_XML))
    assert elapsed < 1
    assert response.status_code == 400
    assert (f"Tệp “{NAME}” bị từ chối. Tệp bị hỏng: phần xl/worksheets/sheet1.xml không phải là XML hợp lệ "
            "(dòng 1)." in page)


def test_register_that_is_not_a_zip_is_refused(demo, client_for):
    """A ZIP signature in front of anything else (already refused before issue 14)."""
    response, page, elapsed = post(client_for("tinh.backan"), b"PK\x03\x04" + b"\x00" * 200)
    assert elapsed < 1
    assert response.status_code == 400
    assert f"Tệp “{NAME}” không thuộc loại được chấp nhận. Chấp nhận: XLSX." in page
