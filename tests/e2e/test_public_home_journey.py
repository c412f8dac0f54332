"""A visitor at the front door: lands on `/`, finds the miến dong by typing without accents, opens it, verifies its
certificate by number and by a photo of its QR code, and never meets the login page."""
import io

import qrcode
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.rendering import verify_url


def test_visitor_finds_a_product_and_verifies_its_certificate_without_logging_in(demo_full, page):
    cache.clear()
    seen = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)

    page.goto(page.base_url + "/")
    expect(page.locator("[data-testid=public-home] h1")).to_have_text("Chương trình Mỗi xã một sản phẩm (OCOP)")
    expect(page.locator("[data-testid=figure-star-5] [data-testid=count]")).to_have_text(str(
        Certificate.objects.in_force(on=timezone.localdate()).filter(star=5).count()))
    expect(page.get_by_role("link", name="Đăng nhập").first).to_be_visible()

    page.get_by_label("Tìm sản phẩm OCOP").fill("mien dong tai hoan")
    page.get_by_label("Tìm sản phẩm OCOP").press("Enter")
    results = page.locator("[data-testid=catalog-item]")
    expect(results).to_have_count(1)
    expect(results.first).to_have_attribute("data-product", "Miến dong Tài Hoan")
    expect(results.first.locator("[data-testid=product-photo-placeholder]")).to_be_visible()
    results.first.click()
    expect(page.locator("[data-testid=product-name]")).to_have_text("Miến dong Tài Hoan")
    number = page.get_by_role("link", name="015/2024/GCN-TW").inner_text()

    page.get_by_role("link", name="OCOP").first.click()  # back to the front door
    page.get_by_label("Số giấy chứng nhận").fill(number)
    page.get_by_role("button", name="Tra cứu").click()
    verified = page.locator("[data-testid=verified]")
    expect(verified.locator("[data-testid=product]")).to_have_text("Miến dong Tài Hoan")
    expect(verified.locator("[data-testid=status]")).to_have_text("Còn hiệu lực")
    expect(verified.locator("[data-testid=subject]")).to_contain_text("Hợp tác xã Tài Hoan")

    # The same certificate from a photo of the QR code printed on it.
    code = io.BytesIO()
    qrcode.make(verify_url(Certificate.objects.get(number=number))).save(code)
    page.goto(page.base_url + "/")
    page.get_by_label("Ảnh chụp mã QR").set_input_files(
        {"name": "ma-qr.png", "mimeType": "image/png", "buffer": code.getvalue()})
    page.get_by_role("button", name="Đọc mã QR").click()
    expect(page).to_have_url(page.base_url + "/verify/015/2024/GCN-TW/")
    expect(page.locator("[data-testid=verified] [data-testid=product]")).to_have_text("Miến dong Tài Hoan")

    assert seen and not [url for url in seen if "/accounts/login/" in url]
