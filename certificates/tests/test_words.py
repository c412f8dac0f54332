"""The certificate pages' words and conveniences (issue 18): the register's dry run names its columns once, a
sample register the import reads, a number found on /verify/ whatever its case, the expiry calendar's twelve
months, and the admin's names of the numbering, rendering and login-lockout records in Vietnamese."""
import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from certificates.models import Certificate
from certificates.register_import import COLUMNS
from certificates.selectors import certificates_visible_to
from products.models import Product
from subjects.models import Subject

from .test_register_import import GOOD, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def cells(html: str, tag: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S)]


def test_register_dry_run_names_each_column_once_and_says_what_is_new(demo, client_for):
    upload = SimpleUploadedFile("so-theo-doi.xlsx", workbook(GOOD[:2]).getvalue(), content_type=XLSX)
    page = client_for("tinh.backan").post("/certificates/import/", {"file": upload}).content.decode()
    table = re.search(r'data-testid="import-rows">(.*?)</table>', page, re.S).group(1)
    assert cells(table, "th") == ["Dòng", "Sản phẩm", "Chủ thể", "Kết quả"]
    rows = [cells(row, "td") for row in re.findall(r'data-testid="import-row"[^>]*>(.*?)</tr>', table, re.S)]
    assert rows == [
        ["2", "Mật ong bạc hà Hợp Giang (sản phẩm mới)", "Hợp tác xã Hợp Giang (chủ thể đã có)",
         "giấy chứng nhận sẽ được ghi nhận"],
        ["3", "Rượu men lá Nà Hái (sản phẩm mới)", "Tổ hợp tác Nà Hái (chủ thể mới)",
         "giấy chứng nhận sẽ được ghi nhận"]]


def test_sample_register_is_offered_beside_the_columns_and_passes_a_dry_run(demo, client_for):
    client = client_for("tinh.thainguyen")
    page = client.get("/certificates/import/").content.decode()
    assert 'href="/certificates/import/sample/" data-testid="import-sample"' in page
    before = (Subject.objects.count(), Product.objects.count(), Certificate.objects.count())

    response = client.get("/certificates/import/sample/")
    assert response["Content-Type"] == XLSX
    assert 'filename="so-theo-doi-ocop-mau.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, example = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header == [names[0].capitalize() for names in COLUMNS.values()]
    row = dict(zip(COLUMNS, example, strict=True))
    assert (row["kind"], row["authority"], row["issued_on"]) == (
        "Tổ hợp tác", "19", timezone.localdate().strftime("%d/%m/%Y"))

    upload = SimpleUploadedFile("so-theo-doi-ocop-mau.xlsx", response.content, content_type=XLSX)
    checked = client.post("/certificates/import/", {"file": upload}).content.decode()
    assert "Đã đọc 1 dòng." in checked and "Mọi dòng đều có thể nhập." in checked
    assert (Subject.objects.count(), Product.objects.count(), Certificate.objects.count()) == before
    assert client_for("huyen.bachthong").get("/certificates/import/sample/").status_code == 403


def test_verify_finds_a_number_typed_in_lower_case(demo_full, client):
    certificate = Certificate.objects.get(number="012/2025/GCN-06")
    response = client.get("/verify/012/2025/gcn-06/")
    assert response.status_code == 200
    assert certificate.product.name in response.content.decode()
    assert client.get("/verify/012/2025/gcn-07/").status_code == 404


def test_the_case_insensitive_lookup_uses_the_index(demo_full):
    plan = Certificate.objects.numbered("012/2025/gcn-06")
    if connection.vendor == "postgresql":  # a table this small would be scanned: ask for the index's plan
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    assert "certificate_number_upper_idx" in plan.explain()
    assert [c.number for c in plan] == ["012/2025/GCN-06"]


def test_expiry_calendar_lists_all_twelve_months_with_zeros(demo_full, client_for, users):
    today = timezone.localdate()
    page = client_for("tinh.thainguyen").get("/certificates/expiry/").content.decode()
    months = re.findall(r'data-testid="expiry-month"><td>(?:<a [^>]*>)?(\d\d/\d{4})(?:</a>)?</td>\s*'
                        r'<td class="text-end" data-testid="count">(\d+)</td>', page)
    starts = [today.replace(day=1)]
    while len(starts) < 12:
        starts.append((starts[-1] + datetime.timedelta(days=32)).replace(day=1))
    assert [month for month, _count in months] == [start.strftime("%m/%Y") for start in starts]
    ending = Certificate.objects.get(product__name="Thảo dược ngâm chân Thiên An").valid_until.strftime("%m/%Y")
    counts = dict(months)
    assert counts[ending] == "1"
    assert "0" in counts.values()  # a month in which none ends is listed, with 0
    assert sum(int(n) for n in counts.values()) == certificates_visible_to(users["tinh.thainguyen"]).in_force(
        on=today).filter(valid_until__lt=(starts[-1] + datetime.timedelta(days=32)).replace(day=1)).count()


def test_admin_names_the_numbering_rendering_and_lockout_records_in_vietnamese(client_for):
    page = _page_text(client_for("admin").get("/admin/").content.decode())
    for name in ("Dãy số giấy chứng nhận", "Lượt tạo tệp PDF giấy chứng nhận", "Khóa đăng nhập",
                 "Các lần đăng nhập không thành công", "Nhật ký truy cập", "Nhật ký đăng nhập sai"):
        assert name in page, name
    for english in ("Certificate sequences", "Render jobs", "Axes", "Access attempts", "Access logs",
                    "Access failures"):
        assert english not in page, english
