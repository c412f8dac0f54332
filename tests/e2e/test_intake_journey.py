"""Step 2 in the browser: a district officer registers, submits, selects and sends an idea; the province sees
it in the lists it received; the officer of another district cannot see it."""
import io
import re

import pytest
from PIL import Image

from ocop.models import AdministrativeUnit, User
from products.models import ProductIdea, ProductSet
from subjects.models import Subject
from subjects.services import subject_create, subject_representative_add

PRODUCT = "Miến dong Thiên An – hành trình"
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (11, 110, 79)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def thien_an(demo):
    """HTX Thiên An (Vi Hương, Bạch Thông) represented by htx.thienan: the demo's, or registered here."""
    subject = Subject.objects.filter(name="Hợp tác xã Thiên An", commune__code="01843").first()
    if subject is None:
        subject = subject_create(by=None, data={
            "name": "Hợp tác xã Thiên An", "kind": "cooperative", "tax_code": "4700601234",
            "legal_representative": "Lý Thị Quên", "commune": AdministrativeUnit.objects.get(code="01843")})
    subject_representative_add(subject=subject, user=User.objects.get(username="htx.thienan"), by=None)
    return subject


def test_idea_is_registered_screened_sent_and_seen_only_by_the_province(thien_an, page, login):
    # The first request imports every app's views; on a busy machine that alone can take several seconds.
    page.set_default_timeout(60000)
    page = login("huyen.bachthong")
    page.on("dialog", lambda dialog: dialog.accept())

    # Register the idea: the subject is found by typing without accents.
    page.click("#mainnav >> text=Ý tưởng sản phẩm")
    page.click("text=Đăng ký ý tưởng")
    page.wait_for_load_state("load")  # htmx wires the search box once the page has loaded
    page.fill("input[name=subject_search]", "thien an")
    page.click("#subject-results [data-subject-id]:has-text('Hợp tác xã Thiên An')")
    assert page.input_value("input[name=subject]") == str(thien_an.pk)
    assert page.locator("[data-subject-picked-name]").inner_text() == "Hợp tác xã Thiên An"
    page.fill("input[name=product_name]", PRODUCT)
    page.select_option("select[name=product_set]", str(ProductSet.objects.get(number=7).pk))
    page.select_option("select[name=commune]", str(AdministrativeUnit.objects.get(code="01843").pk))
    page.fill("textarea[name=raw_material_source]", "Củ dong riềng của 30 hộ trong xã Vi Hương")
    page.fill("input[name=local_material_share]", "90")
    page.select_option("select[name=market]", "provincial")
    page.select_option("select[name=expected_star]", "3")
    page.set_input_files("input[name=attachments]", files=[
        {"name": "anh-san-pham.png", "mimeType": "image/png", "buffer": png_bytes()},
        {"name": "phieu-dang-ky.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF},
    ])
    page.click("button[name=action][value=submit]")

    page.wait_for_url(re.compile(r"/products/ideas/\d+/$"))
    idea = ProductIdea.objects.get(product_name=PRODUCT)
    assert page.locator("h1").inner_text() == PRODUCT
    assert page.locator("[data-testid=idea-status]").inner_text() == "Đã gửi xét chọn"
    assert page.locator("[data-testid=attachments] img").count() == 1
    assert "phieu-dang-ky.pdf" in page.locator("[data-testid=attachments]").inner_text()

    # Screen it, then send the selected ideas to the province in one action.
    page.click("[data-testid=screening] button.btn-success")
    assert page.locator("[data-testid=idea-status]").inner_text() == "Đã chọn"
    page.click(".breadcrumb >> text=Ý tưởng sản phẩm")
    page.click("text=Gửi ý tưởng đã chọn")
    assert page.locator(f"#send-{idea.pk}").is_checked()
    page.click("text=Gửi danh sách lên tỉnh")
    page.wait_for_url(re.compile(r"/products/ideas/lists/\d+/$"))
    assert PRODUCT in page.locator("[data-testid=list-ideas]").inner_text()
    idea.refresh_from_db()
    assert idea.status == "sent"

    # The province sees it in the lists received from Bạch Thông.
    page = login("tinh.backan")
    page.click("[data-testid=panel-ideas-progress] >> text=Xem các danh sách")
    lists = page.locator("[data-testid=lists]")
    assert PRODUCT in lists.inner_text()
    assert "Bạch Thông" in lists.inner_text()

    # Na Rì's officer does not: it is not in his list, and its address is a 404.
    page = login("huyen.nari")
    page.goto(page.base_url + "/products/ideas/")
    assert PRODUCT not in page.locator("main").inner_text()
    response = page.goto(page.base_url + f"/products/ideas/{idea.pk}/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.locator("main").inner_text()
