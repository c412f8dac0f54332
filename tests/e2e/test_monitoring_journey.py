"""Monitoring in the browser: the province's dashboard, its figures against the lists behind them, the Excel
report; then a visitor finds HTX Tài Hoan's miến dong in the public catalogue by typing "mien dong"."""
import re

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from certificates.models import Certificate


def figure(page, testid) -> int:
    return int(page.locator(f"[data-testid={testid}] .display-6").inner_text().split("/")[0])


def test_province_dashboard_matches_its_lists_and_a_visitor_finds_the_mien_dong(demo_full, login):
    page = login("tinh.backan")
    page.click("#mainnav >> text=Tổng hợp")
    expect(page.locator("h1")).to_contain_text("Chương trình OCOP: Bắc Kạn")
    products = figure(page, "figure-products")
    in_force = Certificate.objects.in_force(on=timezone.localdate())
    # HTX Thiên An's túi thổ cẩm of Thái Nguyên's 2026 round among them: its commune was Bắc Kạn's.
    assert products == in_force.filter(product__commune__path__startswith="06/").count() == 6

    # Each figure opens the list behind it, with as many rows.
    page.click("[data-testid=figure-products]")
    expect(page.locator("[data-testid=certificate-row]")).to_have_count(products)
    page.go_back()
    three = int(page.locator("[data-testid=by-star] tr", has_text="3★").locator("a").inner_text())
    page.locator("[data-testid=by-star] tr", has_text="3★").locator("a").click()
    expect(page.locator("[data-testid=certificate-row]")).to_have_count(three)
    for row in page.locator("[data-testid=certificate-row]").all():
        expect(row.locator(".stars")).to_have_text("★★★")
    page.go_back()

    # The Excel report holds the same figures and the register of products.
    with page.expect_download() as download_info:
        page.click("[data-testid=report-xlsx]")
    with open(download_info.value.path(), "rb") as handle:
        book = load_workbook(handle)
    summary, register = book.worksheets
    rows = [[c for c in row if c is not None] for row in summary.iter_rows(values_only=True)]
    assert ["Tổng", products] in rows
    assert register.max_row == products + 1
    assert {register.cell(row=r, column=2).value for r in range(2, register.max_row + 1)} >= {"Miến dong Tài Hoan"}

    # A visitor, logged out, types without accents.
    page.context.clear_cookies()
    page.goto(page.base_url + "/catalog/")
    page.fill("[data-testid=catalog-search]", "mien dong")
    page.keyboard.press("Enter")
    items = page.locator("[data-testid=catalog-item]")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Miến dong Tài Hoan")
    expect(items.first).to_contain_text("Hợp tác xã Tài Hoan")
    items.first.click()
    expect(page.locator("[data-testid=product-name]")).to_have_text("Miến dong Tài Hoan")
    expect(page.locator("body")).to_contain_text(re.compile("015/2024/GCN-TW"))
