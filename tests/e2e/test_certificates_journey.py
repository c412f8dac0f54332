"""The cooperative's certificates in the browser: HTX Thiên An's representative sees each certificate with its
status and days left, downloads one whose text carries every diacritic, and opens the page its QR code
points to, as a buyer scanning the label would (logged out)."""

from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from ocop.tests.utils import pdf_text


def test_cooperative_downloads_its_certificate_and_opens_the_verification_page(demo_full, login):
    expiring = Certificate.objects.get(product__name="Thảo dược ngâm chân Thiên An")
    days = (expiring.valid_until - timezone.localdate()).days
    page = login("htx.thienan")

    # The home page already warns about the certificate ending soon.
    panel = page.locator("[data-testid=panel-certificates]")
    expect(panel).to_contain_text("Thảo dược ngâm chân Thiên An")
    expect(panel).to_contain_text(f"còn {days} ngày")

    page.click("#mainnav >> text=Giấy chứng nhận")
    expect(page.locator("h1")).to_have_text("Giấy chứng nhận OCOP của chúng tôi")
    rows = page.locator("[data-testid=certificate-row]")
    expect(rows).to_have_count(6)  # the túi thổ cẩm's 3★ of 2023 (ended) and 4★ of 2026 among them
    row = page.locator(f"[data-testid=certificate-row][data-number='{expiring.number}']")
    expect(row.locator("[data-testid=status]")).to_have_text("Sắp hết hạn")
    expect(row.locator("[data-testid=days-left]")).to_have_text(f"còn {days} ngày")
    revoked = page.locator("[data-testid=certificate-row]", has_text="Mộc vượng xuân")
    expect(revoked.locator("[data-testid=status]")).to_have_text("Đã thu hồi")

    # Download the PDF from the certificate's page: the text comes out exactly.
    row.locator("a").first.click()
    expect(page.locator("[data-testid=product-name]")).to_have_text("Thảo dược ngâm chân Thiên An")
    with page.expect_download(timeout=90000) as download_info:
        page.click("[data-testid=download]")
    download = download_info.value
    assert download.suggested_filename == "GCN-OCOP-" + expiring.number.replace("/", "-") + ".pdf"
    with open(download.path(), "rb") as handle:
        text = pdf_text(handle.read())
    for expected in ("GIẤY CHỨNG NHẬN", "Thảo dược ngâm chân Thiên An", "Hợp tác xã Thiên An", "Hạng 3 sao",
                     "Thôn Bản Cảu, Vi Hương, Bạch Thông, Bắc Kạn", expiring.number,
                     f"đến ngày {expiring.valid_until:%d/%m/%Y}"):
        assert expected in text, expected

    # The QR code's address (the certificate's verification page) opens without a login.
    href = page.locator("[data-testid=verify-link]").get_attribute("href")
    assert href == f"/verify/{expiring.number}/"
    page.context.clear_cookies()
    page.goto(page.base_url + href)
    verified = page.locator("[data-testid=verified]")
    expect(verified.locator("[data-testid=product]")).to_have_text("Thảo dược ngâm chân Thiên An")
    expect(verified.locator("[data-testid=status]")).to_have_text("Sắp hết hạn")
    expect(verified.locator("[data-testid=valid-until]")).to_have_text(f"{expiring.valid_until:%d/%m/%Y}")
    expect(page.locator("#mainnav .navbar-nav.me-auto .nav-link")).to_have_count(0)  # nobody is logged in
