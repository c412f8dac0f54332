"""The public catalogue and the JSON API: certified products only, found without accents, nothing private."""
import pytest
from django.core.cache import cache
from django.utils import timezone

from certificates.models import Certificate
from ocop.tests.utils import count_queries
from products.models import Product


@pytest.fixture
def catalogue(demo_full):
    cache.clear()
    yield
    cache.clear()


def items(response) -> list[str]:
    import re

    return re.findall(r'data-testid="catalog-item" data-product="([^"]+)"', response.content.decode())


def test_visitor_finds_the_mien_dong_without_accents(catalogue, client):
    assert items(client.get("/catalog/?q=mien dong")) == ["Miến dong Tài Hoan"]
    assert items(client.get("/catalog/?q=MIẾN DONG tai hoan")) == ["Miến dong Tài Hoan"]
    assert "Không có sản phẩm nào phù hợp" in client.get("/catalog/?q=khong co").content.decode()


def test_catalogue_lists_only_products_with_a_certificate_in_force(catalogue, client):
    listed = set(items(client.get("/catalog/")))
    in_force = set(Certificate.objects.in_force(on=timezone.localdate()).values_list("product__name", flat=True))
    assert listed == in_force
    assert "Mộc vượng xuân" not in listed  # revoked
    assert "An mộc nhi" not in listed  # expired
    assert items(client.get("/catalog/?star=5")) == ["Miến dong Tài Hoan"]
    assert set(items(client.get("/catalog/?province=06&set=11"))) == {"Chè Bản Dao"}


def test_product_page_shows_the_certificate_and_nothing_private(catalogue, client):
    product = Product.objects.get(name="Miến dong Tài Hoan")
    page = client.get(f"/catalog/{product.pk}/").content.decode()
    assert "015/2024/GCN-TW" in page and "Hợp tác xã Tài Hoan" in page and "18/06/2027" in page
    assert product.subject.tax_code not in page and product.subject.legal_representative not in page
    revoked = Product.objects.get(name="Mộc vượng xuân")
    assert client.get(f"/catalog/{revoked.pk}/").status_code == 404


def test_catalogue_query_count_does_not_grow(catalogue, client):
    client.get("/catalog/")  # the province filter's list is then cached, as it is for every visitor after the first
    assert count_queries(lambda: client.get("/catalog/?star=5")) == count_queries(lambda: client.get("/catalog/"))


def test_api_lists_certified_products_in_pages(catalogue, client):
    data = client.get("/api/v1/products/?page_size=2").json()
    # The demo's, HTX Thiên An's túi thổ cẩm of Thái Nguyên's 2026 second round among them.
    assert data["count"] == Certificate.objects.in_force(on=timezone.localdate()).count() == 9
    assert len(data["results"]) == 2 and "page=2" in data["next"] and data["previous"] is None
    second = client.get("/api/v1/products/?page_size=2&page=2").json()
    assert {r["name"] for r in data["results"]}.isdisjoint({r["name"] for r in second["results"]})
    mien = client.get("/api/v1/products/?q=mien dong").json()["results"][0]
    assert mien["certificate"]["number"] == "015/2024/GCN-TW" and mien["star"] == 5
    assert mien["place"] == {"commune": "Côn Minh", "district": "Na Rì", "province": "Bắc Kạn"}
    text = client.get("/api/v1/products/?q=mien dong").content.decode()
    assert "tax" not in text and Product.objects.get(name="Miến dong Tài Hoan").subject.tax_code not in text


def test_api_refuses_bad_paging_and_reports_missing_certificates(catalogue, client):
    assert client.get("/api/v1/products/?page=abc").status_code == 400
    assert client.get("/api/v1/products/?page=99").status_code == 404
    assert client.get("/api/v1/certificates/000/1999/GCN-XX/").status_code == 404
    revoked = client.get("/api/v1/certificates/013/2025/GCN-06/").json()["results"][0]
    assert revoked["status"] == "revoked"


def test_api_is_throttled(catalogue, client, settings):
    settings.OCOP_API_RATE = 2
    statuses = [client.get("/api/v1/products/").status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]


def test_openapi_description_names_every_path(catalogue, client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/products/", "/certificates/{number}/"}
    assert {p["name"] for p in document["paths"]["/products/"]["get"]["parameters"]} == {
        "q", "province", "star", "sector", "set", "page", "page_size"}
