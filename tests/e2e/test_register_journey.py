"""The register in the browser: the province records an old register (a 2023 certificate of HTX Tài Hoan's
miến dong) after its 2024 5★ certificate; the public verification page of the newer one still says valid, and
the old certificate's page shows the chain: replaced by the 5★ on the day that one was issued."""
import datetime

from openpyxl import Workbook
from playwright.sync_api import expect

from certificates.models import Certificate
from products.models import Product

HEADER = ["Tên sản phẩm", "Bộ sản phẩm", "Chủ thể", "Loại hình", "Mã số thuế", "Người đại diện", "Mã xã",
          "Hạng sao", "Số giấy chứng nhận", "Số quyết định", "Ngày quyết định", "Ngày cấp", "Cơ quan cấp",
          "Bộ tiêu chí"]


def old_register(path) -> None:
    product = Product.objects.select_related("subject", "product_set", "commune").get(name="Miến dong Tài Hoan")
    subject = product.subject
    book = Workbook()
    book.active.append(HEADER)
    book.active.append([product.name, product.product_set.number, subject.name, subject.get_kind_display(),
                        subject.tax_code, subject.legal_representative, product.commune.code, 4, "201/2023/GCN-06",
                        "1890/QĐ-UBND", "20/11/2023", "20/11/2023", "06", "148/QĐ-TTg"])
    book.save(path)


def test_an_old_register_recorded_after_the_5_star_leaves_it_valid_in_public(demo_full, login, browser, tmp_path):
    register = tmp_path / "so-theo-doi-2023.xlsx"
    old_register(register)
    page = login("tinh.backan")
    page.click("#mainnav >> text=Giấy chứng nhận")
    page.click("[data-testid=import]")
    page.set_input_files("#register-file", str(register))
    page.click("[data-testid=check]")
    row = page.locator("[data-testid=import-row][data-line='2']")
    expect(row).to_contain_text("Miến dong Tài Hoan")
    expect(row).to_contain_text("giấy chứng nhận sẽ được ghi")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=confirm]")
    expect(page.locator(".alert-success")).to_contain_text("Đã nhập 1 giấy chứng nhận; 0 giấy đã có trong sổ.")

    # The old certificate's page: its chain, oldest first, and the criteria version it was rated under.
    old = Certificate.objects.get(number="201/2023/GCN-06")
    page.goto(page.base_url + old.get_absolute_url())
    expect(page.locator("[data-testid=status]").first).to_have_text("Đã được thay thế")
    expect(page.locator("[data-testid=regulation]")).to_have_text("148/QĐ-TTg")
    expect(page.locator("[data-testid=replaced-by]")).to_have_text("015/2024/GCN-TW · 18/06/2024")
    chain = page.locator("[data-testid=chain] li")
    expect(chain).to_have_count(2)
    expect(chain.nth(0)).to_contain_text("được thay thế bởi 015/2024/GCN-TW từ ngày 18/06/2024")

    # A buyer scans the 5★ label, logged out: still valid, replaced by nothing.
    visitor = browser.new_context(locale="vi-VN")
    public = visitor.new_page()
    public.goto(page.base_url + "/verify/015/2024/GCN-TW/")
    expect(public.locator("[data-testid=status]")).to_have_text("Còn hiệu lực")
    expect(public.locator("[data-testid=valid-until]")).to_have_text(
        Certificate.objects.get(number="015/2024/GCN-TW").valid_until.strftime("%d/%m/%Y"))
    expect(public.locator("[data-testid=replaced-by]")).to_have_count(0)
    # ... and the old one says who replaced it, and when.
    public.goto(page.base_url + "/verify/201/2023/GCN-06/")
    expect(public.locator("[data-testid=replaced-by]")).to_contain_text("từ ngày 18/06/2024 bởi 015/2024/GCN-TW")
    visitor.close()
    assert datetime.date(2024, 6, 18) == Certificate.objects.get(number="201/2023/GCN-06").superseded_on
