"""Issue 14's cross-province forgery, in the browser: Bắc Kạn's officer checks a register that mixes one row of
his province with rows of Hòa Bình (a commune of Đà Bắc, Hòa Bình's authority 17 with the number 999/2025/GCN-17,
the tax code of a Hòa Bình household). Each outside row is refused on its line with its Vietnamese reason and the
file cannot be imported; once he keeps only his own row, it is imported, and the forged numbers verify nowhere."""
from openpyxl import Workbook
from playwright.sync_api import expect

from certificates.models import Certificate
from products.models import Product
from subjects.models import Subject

HEADER = ["Tên sản phẩm", "Bộ sản phẩm", "Chủ thể", "Loại hình", "Mã số thuế", "Người đại diện", "Mã xã",
          "Hạng sao", "Số giấy chứng nhận", "Số quyết định", "Ngày quyết định", "Ngày cấp", "Cơ quan cấp"]
# Quân Hà (01867, Bạch Thông, Bắc Kạn) and its cooperative Hợp Giang, matched by its tax code.
OWN = ["Trà hoa vàng Hợp Giang", 4, "Hợp tác xã Hợp Giang", "Hợp tác xã", "4700604567", "Ma Thị Giang", "01867", 4,
       "301/2025/GCN-06", "15/QĐ-UBND", "02/01/2025", "02/01/2025", "06"]
# Each outside row crosses the area by one thing only, so that its reason is the only one on its line.
OUTSIDE = {
    # Toàn Sơn (04603, Đà Bắc, Hòa Bình) with the ministry as authority, which every province may record: a 5★.
    3: (["Trà hoa vàng Toàn Sơn", 4, "Tổ hợp tác chè Toàn Sơn", "Tổ hợp tác", "", "Xa Văn Toàn", "04603", 5,
         "998/2025/GCN-TW", "15/QĐ-BNN", "02/01/2025", "02/01/2025", "TW"],
        "Xã 04603 (Toàn Sơn) nằm ngoài địa bàn của bạn: bạn chỉ ghi được sản phẩm trên địa bàn mình."),
    # Hòa Bình's own authority, for a product of Quân Hà.
    4: (["Trà hoa vàng Quân Hà", 4, "Hợp tác xã Hợp Giang", "Hợp tác xã", "4700604567", "Ma Thị Giang", "01867", 4,
         "999/2025/GCN-17", "99/QĐ-UBND", "02/01/2025", "02/01/2025", "17"],
        "Cơ quan cấp 17 (Hòa Bình) nằm ngoài địa bàn của bạn: bạn chỉ ghi được giấy chứng nhận do cơ quan trên địa "
        "bàn mình hoặc do Bộ (TW) cấp."),
    # A Bắc Kạn commune and authority, but the tax code of Hộ kinh doanh Bàn Văn Sơn (Toàn Sơn, Hòa Bình).
    5: (["Trà hoa vàng Bàn Văn Sơn", 4, "Hộ kinh doanh Bàn Văn Sơn", "Hộ kinh doanh", "5400912345", "Bàn Văn Sơn",
         "01867", 3, "302/2025/GCN-06", "15/QĐ-UBND", "02/01/2025", "02/01/2025", "06"],
        "Mã số thuế 5400912345 thuộc về một chủ thể ngoài địa bàn của bạn."),
}
FORGED_NUMBERS = [row[8] for row, _reason in OUTSIDE.values()]


def register_file(path, rows) -> str:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def check(page, path) -> None:
    page.set_input_files("#register-file", path)
    page.click("[data-testid=check]")


def test_a_register_with_another_provinces_rows_is_refused_row_by_row(demo, login, browser, tmp_path):
    mixed = register_file(tmp_path / "so-theo-doi-2025.xlsx", [OWN] + [row for row, _reason in OUTSIDE.values()])
    own_only = register_file(tmp_path / "so-theo-doi-2025-da-sua.xlsx", [OWN])
    ban_van_son = Subject.objects.get(tax_code="5400912345")
    products_of_ban_van_son = list(ban_van_son.products.values_list("name", flat=True))
    page = login("tinh.backan")
    page.click("#mainnav >> text=Giấy chứng nhận")
    page.click("[data-testid=import]")

    check(page, mixed)
    result = page.locator("[data-testid=import-result]")
    expect(result).to_contain_text("Đã đọc 4 dòng.")
    expect(result).to_contain_text("Một số dòng bị từ chối: hãy sửa trong tệp rồi kiểm tra lại. Chưa có dữ liệu "
                                   "nào được nhập.")
    own = page.locator("[data-testid=import-row][data-line='2']")
    expect(own.locator("td")).to_have_text(["2", "Trà hoa vàng Hợp Giang (sản phẩm mới)",
                                            "Hợp tác xã Hợp Giang (chủ thể đã có)", "giấy chứng nhận sẽ được ghi nhận"])
    for line, (row, reason) in OUTSIDE.items():
        refused = page.locator(f"[data-testid=import-row][data-line='{line}']")
        expect(refused).to_have_class("table-danger")
        expect(refused.locator("td").first).to_have_text(str(line))
        expect(refused.locator("td").nth(1)).to_have_text(row[0])
        expect(refused.locator("td").last).to_have_text(reason)
    # A file with a refused row cannot be imported at all: there is nothing to confirm.
    expect(page.locator("[data-testid=confirm]")).to_have_count(0)

    # He keeps his own row, checks the file again and imports it.
    check(page, own_only)
    expect(page.locator("[data-testid=import-result]")).to_contain_text("Mọi dòng đều có thể nhập.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=confirm]")
    expect(page.locator(".alert-success")).to_contain_text("Đã nhập 1 giấy chứng nhận; 0 giấy đã có trong sổ.")

    # His certificate list, searched for the register's products: only his row's certificate.
    page.fill("input[name=q]", "trà hoa vàng")
    page.click("main form[role=search] button[type=submit]")
    rows = page.locator("[data-testid=certificate-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-number", "301/2025/GCN-06")
    expect(rows.first).to_contain_text("Trà hoa vàng Hợp Giang")

    # A buyer, logged out, checks the numbers: the forged ones are no OCOP certificate, his row's is valid.
    visitor = browser.new_context(locale="vi-VN")
    public = visitor.new_page()
    for number in FORGED_NUMBERS:
        public.goto(f"{page.base_url}/verify/{number}/")
        expect(public.locator("[data-testid=not-found]")).to_contain_text(
            f"Không có giấy chứng nhận nào mang số “{number}”.")
        expect(public.locator("[data-testid=verified]")).to_have_count(0)
    public.goto(page.base_url + "/verify/301/2025/GCN-06/")
    expect(public.locator("[data-testid=product]")).to_have_text("Trà hoa vàng Hợp Giang")
    visitor.close()

    assert not Certificate.objects.filter(number__in=FORGED_NUMBERS).exists()
    assert list(Product.objects.filter(name__startswith="Trà hoa vàng").values_list("name", flat=True)) == [
        "Trà hoa vàng Hợp Giang"]
    assert not Subject.objects.filter(name="Tổ hợp tác chè Toàn Sơn").exists()
    assert list(ban_van_son.products.values_list("name", flat=True)) == products_of_ban_van_son
