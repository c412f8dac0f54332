"""The public front door at `/`: what OCOP is, the catalogue's search, verification, the province's figures and the
way in for staff; the catalogue's product photos (thumbnails made once, stored, served with caching headers)."""
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from certificates.models import Certificate
from ocop.images import THUMBNAIL_SIZE, thumbnail_name
from ocop.tests.utils import count_queries
from products.models import Product
from products.services.catalog import product_photo_remove, product_photos_add

from .conftest import texts
from .factories import certify


@pytest.fixture
def visitor(demo_full, client):
    cache.clear()
    yield client
    cache.clear()


def figures(html: str) -> dict[int, int]:
    return {int(star): int(count) for star, count in re.findall(
        r'data-testid="figure-star-(\d)".*?data-testid="count">(\d+)<', html, re.S)}


def photo_file(colour="#2a7", size=(1600, 1200), name="anh.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def add_photo(product, **kwargs):
    return product_photos_add(product=product, files=[photo_file(**kwargs)], by=None)[0]


# ---------------------------------------------------------------------------------------------
# The front door
# ---------------------------------------------------------------------------------------------


def test_visitor_lands_on_the_public_home_not_the_login_page(visitor):
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "/accounts/login/" not in response.get("Location", "")
    assert texts(html, "ocop-intro") == [
        "OCOP là chương trình quốc gia giúp các hợp tác xã, doanh nghiệp và hộ sản xuất, kinh doanh ở nông thôn phát "
        "triển những sản phẩm đặc trưng của địa phương. Hội đồng đánh giá chấm điểm từng sản phẩm theo Bộ tiêu chí "
        "quốc gia và công nhận từ 3 đến 5 sao, kèm giấy chứng nhận có giá trị 36 tháng."]
    assert 'action="/catalog/"' in html and "Tìm sản phẩm OCOP" in html
    assert 'action="/verify/"' in html and 'action="/verify/photo/"' in html and "Ảnh chụp mã QR" in html
    assert texts(html, "staff-login") == ["Đăng nhập"]


def test_logged_in_user_keeps_his_home(client_for):
    html = client_for("tinh.backan").get("/").content.decode()
    assert 'data-testid="panel-cycle"' in html and 'data-testid="public-home"' not in html


def in_force_by_star() -> dict[int, int]:
    """The register's products in force by star, counted here in Python over the certificates themselves."""
    counts = {3: set(), 4: set(), 5: set()}
    for certificate in Certificate.objects.in_force(on=timezone.localdate()):
        counts[certificate.star].add(certificate.product_id)
    return {star: len(products) for star, products in counts.items()}


def test_figures_count_the_register_by_star_in_the_database(visitor):
    html = visitor.get("/").content.decode()
    expected = in_force_by_star()
    assert figures(html) == expected and expected[5] == 1  # the miến dong, recognised by the ministry
    holders = Certificate.objects.in_force(on=timezone.localdate()).values("subject").distinct().count()
    total = sum(expected.values())
    assert f"{total} sản phẩm có giấy chứng nhận còn hiệu lực hôm nay, của {holders} chủ thể." in html
    assert "Sản phẩm OCOP trong sổ theo dõi" in html
    # Each figure opens the catalogue's list behind it.
    assert 'href="/catalog/?star=4"' in html


def test_figures_of_the_province_follow_the_catalogue_province_filter(visitor, settings):
    settings.OCOP_PUBLIC_PROVINCE = "19"
    html = visitor.get("/").content.decode()
    assert "Sản phẩm OCOP của Thái Nguyên" in html
    # Thái Nguyên counts what it took over from Bắc Kạn on 01/07/2025 (all the demo's products), as its catalogue
    # filter lists them.
    assert figures(html) == in_force_by_star()
    listed = visitor.get("/catalog/?star=4&province=19").content.decode()
    assert listed.count('data-testid="catalog-item"') == in_force_by_star()[4]
    assert 'href="/catalog/?star=4&amp;province=19"' in html
    settings.OCOP_PUBLIC_PROVINCE = "17"  # Hòa Bình: no certified product in the demo
    html = visitor.get("/").content.decode()
    assert "Sản phẩm OCOP của Hòa Bình" in html and figures(html) == {3: 0, 4: 0, 5: 0}


def test_figures_are_kept_briefly_rather_than_counted_for_each_visitor(visitor, products):
    first = count_queries(lambda: visitor.get("/"))
    before = figures(visitor.get("/").content.decode())[3]
    certify(products["Xà phòng thảo dược Thiên An"], star=3)
    assert count_queries(lambda: visitor.get("/")) == first - 1  # the aggregate is not run again
    assert figures(visitor.get("/").content.decode())[3] == before  # kept for PUBLIC_FIGURES_SECONDS
    cache.clear()
    assert figures(visitor.get("/").content.decode())[3] == before + 1 == in_force_by_star()[3]


# ---------------------------------------------------------------------------------------------
# Product photos in the catalogue
# ---------------------------------------------------------------------------------------------


def test_catalogue_shows_the_product_photo_or_a_neutral_placeholder(visitor):
    mien = Product.objects.get(name="Miến dong Tài Hoan")
    photo = add_photo(mien)
    html = visitor.get("/catalog/?q=mien dong").content.decode()
    assert f'src="/catalog/photos/{photo.pk}.jpg"' in html
    others = visitor.get("/catalog/?star=3").content.decode()
    assert 'data-testid="product-photo"' not in others
    assert (others.count('src="/static/img/product-placeholder.svg"') == others.count('data-testid="catalog-item"')
            == in_force_by_star()[3])
    detail = visitor.get(f"/catalog/{mien.pk}/").content.decode()
    assert f'src="/catalog/photos/{photo.pk}.jpg" alt="Miến dong Tài Hoan"' in detail


def test_thumbnail_is_made_once_stored_and_served_with_caching_headers(visitor):
    photo = add_photo(Product.objects.get(name="Miến dong Tài Hoan"))
    storage, stored = photo.file.storage, thumbnail_name(photo.file.name)
    assert not storage.exists(stored)
    response = visitor.get(f"/catalog/photos/{photo.pk}.jpg")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=604800" and response["ETag"] == f'"photo-{photo.pk}"'
    assert Image.open(io.BytesIO(body)).size == THUMBNAIL_SIZE == (480, 360)
    assert storage.exists(stored) and storage.size(stored) == len(body) < photo.file.size
    made_at = storage.get_modified_time(stored)
    again = visitor.get(f"/catalog/photos/{photo.pk}.jpg")
    assert b"".join(again.streaming_content) == body and storage.get_modified_time(stored) == made_at
    revalidated = visitor.get(f"/catalog/photos/{photo.pk}.jpg", HTTP_IF_NONE_MATCH=f'"photo-{photo.pk}"')
    assert revalidated.status_code == 304 and revalidated.content == b""


def test_thumbnail_is_made_again_when_the_photo_changes(visitor, django_capture_on_commit_callbacks):
    mien = Product.objects.get(name="Miến dong Tài Hoan")
    old = add_photo(mien, colour="#d33")
    old_thumb = b"".join(visitor.get(f"/catalog/photos/{old.pk}.jpg").streaming_content)
    storage, old_name = old.file.storage, thumbnail_name(old.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        product_photo_remove(photo=old, by=None)
    new = add_photo(mien, colour="#33d")
    html = visitor.get(f"/catalog/{mien.pk}/").content.decode()
    assert f"/catalog/photos/{new.pk}.jpg" in html and f"/catalog/photos/{old.pk}.jpg" not in html
    new_thumb = b"".join(visitor.get(f"/catalog/photos/{new.pk}.jpg").streaming_content)
    red, blue = (Image.open(io.BytesIO(t)).convert("RGB").getpixel((240, 180)) for t in (old_thumb, new_thumb))
    assert red[0] > 200 and blue[2] > 200
    assert visitor.get(f"/catalog/photos/{old.pk}.jpg").status_code == 404
    assert not storage.exists(old_name)  # the removed photo's thumbnail went with it


def test_photos_of_products_outside_the_catalogue_stay_private(visitor):
    revoked = add_photo(Product.objects.get(name="Mộc vượng xuân"))
    assert visitor.get(f"/catalog/photos/{revoked.pk}.jpg").status_code == 404


def test_catalogue_with_photos_keeps_its_query_count(visitor):
    for product in Product.objects.filter(certificates__in=Certificate.objects.in_force(on=timezone.localdate())):
        add_photo(product)
    visitor.get("/catalog/")  # the province filter's list is then cached, as for every visitor after the first
    one = count_queries(lambda: visitor.get("/catalog/?star=5"))
    several = count_queries(lambda: visitor.get("/catalog/"))
    assert one == several
    assert visitor.get("/catalog/").content.decode().count('data-testid="product-photo"') == sum(
        in_force_by_star().values())
