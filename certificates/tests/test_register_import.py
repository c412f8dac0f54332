"""Importing an existing register: the dry run reports row by row and writes nothing; refusals name the row
and the reason; confirming imports every row in one transaction, or none."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from certificates.models import Certificate
from certificates.register_import import register_import
from ocop.models import User
from products.models import Product
from subjects.models import Subject

HEADER = ["STT", "Tên sản phẩm", "Bộ sản phẩm", "Chủ thể", "Loại hình", "Mã số thuế", "Người đại diện", "Mã xã",
          "Hạng sao", "Số giấy chứng nhận", "Số quyết định", "Ngày quyết định", "Ngày cấp", "Cơ quan cấp"]


def workbook(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


GOOD = [
    [1, "Mật ong bạc hà Hợp Giang", 4, "Hợp tác xã Hợp Giang", "Hợp tác xã", "4700604567", "Ma Thị Giang", "01867",
     3, "101/2022/GCN-06", "1201/QĐ-UBND", "15/07/2022", "15/07/2022", "06"],
    [2, "Rượu men lá Nà Hái", 14, "Tổ hợp tác Nà Hái", "Tổ hợp tác", "", "Hoàng Văn Hái", "01867", 3,
     "102/2022/GCN-06", "1201/QĐ-UBND", datetime.datetime(2022, 7, 15), "", "06"],
    [3, "Bánh khảo Na Rì", 6, "Hộ kinh doanh Lương Thị Mai", "Hộ kinh doanh", "4700998877", "Lương Thị Mai",
     "01963", 4, "103/2022/GCN-06", "1201/QĐ-UBND", "15/07/2022", "20/07/2022", "06"],
]


def test_dry_run_reports_each_row_and_writes_nothing(demo):
    before = (Subject.objects.count(), Product.objects.count(), Certificate.objects.count())
    result = register_import(workbook(GOOD), commit=False)
    assert result.ok and not result.committed
    assert [(r.line, r.subject, r.product_action) for r in result.rows] == [
        (2, "matched", "created"), (3, "created", "created"), (4, "created", "created")]
    assert (Subject.objects.count(), Product.objects.count(), Certificate.objects.count()) == before


def test_commit_imports_every_row(demo):
    result = register_import(workbook(GOOD), commit=True)
    assert result.committed
    certificate = Certificate.objects.get(number="102/2022/GCN-06")
    assert (certificate.product.name, certificate.subject.kind, certificate.star) == (
        "Rượu men lá Nà Hái", "cooperative_group", 3)
    assert (certificate.issued_on, certificate.valid_until) == (datetime.date(2022, 7, 15), datetime.date(2025, 7, 15))
    assert Certificate.objects.get(number="103/2022/GCN-06").issued_on == datetime.date(2022, 7, 20)
    # Imported again: every row is already recorded as written, so nothing changes.
    count = Certificate.objects.count()
    again = register_import(workbook(GOOD), commit=True)
    assert again.committed and [r.outcome for r in again.rows] == ["unchanged", "unchanged", "unchanged"]
    assert Certificate.objects.count() == count


def test_refusals_name_the_row_and_the_reason_and_nothing_is_half_imported(demo):
    rows = [row[:] for row in GOOD]
    rows[0][7] = "99999"                    # unknown commune
    rows[1][11] = "2022-07-15x"             # date in the wrong format
    rows[2][9] = "101/2022/GCN-06"          # repeats line 2's number
    rows.append([4, "Miến dong", 7, "HTX", "Hợp tác xã", "123", "A", "01963", 2, "104/2022/GCN-06", "1/QĐ",
                 "01/01/2022", "", "06"])
    result = register_import(workbook(rows), commit=True)
    assert not result.committed and not result.ok
    errors = {r.line: " ".join(r.errors) for r in result.rows}
    assert "Không có xã nào mang mã “99999”" in errors[2]
    assert "không phải là ngày dd/mm/yyyy" in errors[3]
    assert "lặp lại ở dòng 2" in errors[4]
    assert "3, 4 hoặc 5 sao" in errors[5]
    assert not Certificate.objects.filter(number__in=["102/2022/GCN-06", "103/2022/GCN-06"]).exists()
    assert not Subject.objects.filter(name="Tổ hợp tác Nà Hái").exists()


def test_a_wrong_column_refuses_the_file(demo):
    header = HEADER[:]
    header[9] = "Số GCN cũ"
    result = register_import(workbook(GOOD, header=header), commit=True)
    assert result.errors == ["Thiếu cột: Số giấy chứng nhận."]
    assert register_import(io.BytesIO(b"not a workbook")).errors == ["Tệp không phải là bảng tính Excel (.xlsx)."]


def test_import_pages_check_then_confirm(demo, client_for):
    client = client_for("tinh.backan")
    upload = workbook(GOOD)
    upload.name = "so-theo-doi-ocop.xlsx"
    page = client.post("/certificates/import/", {"file": upload}).content.decode()
    assert "Mọi dòng đều có thể nhập." in page and 'data-testid="confirm"' in page
    assert not Certificate.objects.filter(number="101/2022/GCN-06").exists()
    token = client.session["certificates.register_import"]["token"]
    response = client.post("/certificates/import/", {"confirm": token})
    assert response.status_code == 302
    assert Certificate.objects.filter(number__in=[r[9] for r in GOOD]).count() == 3
    assert client_for("huyen.bachthong").get("/certificates/import/").status_code == 403


def test_another_provinces_register_is_refused_row_by_row(demo, client_for):
    """Issue 14's forgery: Bắc Kạn's office uploads rows of Hòa Bình (commune 04603, authority 17, the tax code
    of a Hòa Bình household) to make a 5★-looking certificate of another province: every row is refused with
    its reason, nothing is written, and the number does not verify."""
    forged = [
        [1, "Măng khô Toàn Sơn", 7, "Hộ kinh doanh Bàn Văn Sơn", "Hộ kinh doanh", "5400912345", "Bàn Văn Sơn",
         "04603", 4, "999/2025/GCN-17", "99/QĐ-UBND", "02/01/2025", "02/01/2025", "17"],
        [2, "Măng chua Toàn Sơn", 7, "Hộ kinh doanh Bàn Văn Sơn", "Hộ kinh doanh", "5400912345", "Bàn Văn Sơn",
         "01867", 3, "998/2025/GCN-06", "99/QĐ-UBND", "02/01/2025", "02/01/2025", "06"],
    ]
    before = (Subject.objects.count(), Product.objects.count(), Certificate.objects.count())
    client = client_for("tinh.backan")
    upload = workbook(forged)
    upload.name = "so-hoa-binh.xlsx"
    page = client.post("/certificates/import/", {"file": upload}).content.decode()
    assert 'data-testid="confirm"' not in page
    assert "Xã 04603 (" in page and "nằm ngoài địa bàn của bạn: bạn chỉ ghi được sản phẩm trên địa bàn mình." in page
    assert "Cơ quan cấp 17 (" in page
    # Line 3 sits in Bắc Kạn but borrows a Hòa Bình subject's tax code: refused, that subject stays untouched.
    assert "Mã số thuế 5400912345 thuộc về một chủ thể ngoài địa bàn của bạn." in page
    result = register_import(workbook(forged), by=User.objects.get(username="tinh.backan"), commit=True)
    assert not result.committed and [bool(r.errors) for r in result.rows] == [True, True]
    assert (Subject.objects.count(), Product.objects.count(), Certificate.objects.count()) == before
    assert client.get("/verify/999/2025/GCN-17/").status_code == 404


def test_import_page_refuses_a_file_that_is_not_a_workbook(demo, client_for):
    fake = io.BytesIO(b"MZ\x90\x00 an executable renamed")
    fake.name = "so-theo-doi.xlsx"
    response = client_for("tinh.backan").post("/certificates/import/", {"file": fake})
    assert response.status_code == 400
    assert "Tệp “so-theo-doi.xlsx” không thuộc loại được chấp nhận. Chấp nhận: XLSX." in response.content.decode()


def test_command_dry_run_and_commit(demo, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(workbook(GOOD).getvalue())
    out = io.StringIO()
    call_command("import_register", str(path), stdout=out)
    assert "3 rows can be imported, 0 already recorded" in out.getvalue()
    assert not Certificate.objects.filter(number="101/2022/GCN-06")
    call_command("import_register", str(path), "--commit", stdout=io.StringIO())
    assert Certificate.objects.filter(number__in=[r[9] for r in GOOD]).count() == 3
    out = io.StringIO()
    call_command("import_register", str(path), "--commit", stdout=out)
    assert "0 certificates imported, 3 already recorded." in out.getvalue()
    assert Certificate.objects.filter(number__in=[r[9] for r in GOOD]).count() == 3
    # The same number with other facts is refused with its row, and nothing is imported.
    changed = [row[:] for row in GOOD]
    changed[0][8] = 4
    path.write_bytes(workbook(changed).getvalue())
    with pytest.raises(CommandError):
        call_command("import_register", str(path), "--commit", stdout=io.StringIO())
