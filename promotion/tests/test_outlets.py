"""Sales points (in the scope of their commune, products of the area) and a product's e-commerce listings."""
import pytest

from ocop.enums import AuditAction
from ocop.selectors import audit_trail_for
from ocop.tests.utils import count_queries
from promotion.models import Listing, SalesPoint

from .conftest import row_names, texts
from .factories import SalesPointFactory, unit

# ---------------------------------------------------------------------------------------------
# Sales points
# ---------------------------------------------------------------------------------------------


def sales_point_data(**overrides) -> dict:
    return {"name": "Điểm bán OCOP Phủ Thông", "commune": unit("01840").pk, "address": "Tổ 3",
            "operator": "Hợp tác xã An Bình", "phone": "0209 3850 123", "opened_on": "01/06/2024", "closed_on": "",
            **overrides}


def test_officer_creates_a_sales_point_carrying_products_of_his_area(client_for, products):
    client = client_for("huyen.bachthong")
    response = client.post("/promotion/sales-points/new/", sales_point_data(
        products=[products["An mộc nhi"].pk, products["Chè Bản Dao"].pk]))
    sales_point = SalesPoint.objects.get()
    assert response["Location"] == sales_point.get_absolute_url()
    assert sorted(p.name for p in sales_point.products.all()) == ["An mộc nhi", "Chè Bản Dao"]
    assert [e.action for e in audit_trail_for(sales_point)] == [AuditAction.CREATE]
    page = client.get(sales_point.get_absolute_url()).content.decode()
    assert texts(page, "salespoint-products")[0].startswith("An mộc nhi Hợp tác xã Thiên An")


def test_sales_point_cannot_carry_another_districts_product(client_for, products):
    page = client_for("huyen.bachthong").post("/promotion/sales-points/new/", sales_point_data(
        products=[products["Miến dong Tài Hoan"].pk])).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert not SalesPoint.objects.exists()


def test_district_officer_editing_a_centre_keeps_the_products_of_other_districts(client_for, products):
    """A provincial centre in Bạch Thông carries Na Rì's miến dong: Bạch Thông's officer edits it, sees that the
    miến dong stays (he cannot choose it), and saving his choice of Bạch Thông products does not drop it."""
    centre = SalesPointFactory(name="Trung tâm OCOP tỉnh", is_centre=True)
    centre.products.set([products["An mộc nhi"], products["Miến dong Tài Hoan"]])
    client = client_for("huyen.bachthong")
    url = f"/promotion/sales-points/{centre.pk}/edit/"
    assert "Miến dong Tài Hoan" in client.get(url).context["form"].fields["products"].help_text
    response = client.post(url, sales_point_data(name="Trung tâm OCOP tỉnh", is_centre="on",
                                                 products=[products["Chè Bản Dao"].pk]))
    assert response.status_code == 302
    assert sorted(p.name for p in centre.products.all()) == ["Chè Bản Dao", "Miến dong Tài Hoan"]
    # His page of the centre names the miến dong without a link to a page he may not open.
    page = client.get(centre.get_absolute_url()).content.decode()
    assert "Miến dong Tài Hoan" in page and products["Miến dong Tài Hoan"].get_absolute_url() not in page
    assert products["Chè Bản Dao"].get_absolute_url() in page


def test_sales_point_commune_must_be_in_the_officers_area(client_for, products):
    client_for("huyen.nari").post("/promotion/sales-points/new/", sales_point_data())
    assert not SalesPoint.objects.exists()


def test_sales_point_cannot_close_before_it_opens(client_for, products):
    page = client_for("huyen.bachthong").post("/promotion/sales-points/new/", sales_point_data(
        closed_on="01/01/2024")).content.decode()
    assert "Điểm bán không thể đóng cửa trước ngày mở cửa." in page


def test_sales_point_change_is_audited_with_the_products(client_for, products):
    sales_point = SalesPointFactory(name="Điểm bán cũ")
    sales_point.products.set([products["An mộc nhi"]])
    client_for("huyen.bachthong").post(f"/promotion/sales-points/{sales_point.pk}/edit/", sales_point_data(
        name="Điểm bán mới", products=[products["Chè Bản Dao"].pk]))
    entry = audit_trail_for(sales_point).get(action=AuditAction.UPDATE)
    assert entry.changes["name"] == ["Điểm bán cũ", "Điểm bán mới"]
    assert entry.changes["products"] == ["An mộc nhi", "Chè Bản Dao"]


@pytest.mark.parametrize("suffix", ["", "edit/"])
def test_officer_of_another_district_gets_404_on_a_sales_point(client_for, products, suffix):
    sales_point = SalesPointFactory()
    assert client_for("huyen.nari").get(f"/promotion/sales-points/{sales_point.pk}/{suffix}").status_code == 404


def test_sales_point_list_is_scoped_and_its_query_count_does_not_grow(client_for, products):
    SalesPointFactory(name="Điểm bán Na Rì", commune=unit("01960"))
    client = client_for("huyen.bachthong")
    SalesPointFactory(name="Điểm bán 1").products.set([products["An mộc nhi"]])
    client.get("/promotion/sales-points/")
    one = count_queries(lambda: client.get("/promotion/sales-points/"))
    for n in range(2, 5):
        SalesPointFactory(name=f"Điểm bán {n}", is_centre=n == 2).products.set([products["Chè Bản Dao"]])
    assert one == count_queries(lambda: client.get("/promotion/sales-points/"))
    page = client.get("/promotion/sales-points/").content.decode()
    assert row_names(page, "salespoint-row") == ["Điểm bán 1", "Điểm bán 2", "Điểm bán 3", "Điểm bán 4"]
    assert "Trung tâm OCOP" in texts(page, "salespoint-row")[1]


def test_sales_point_search_ignores_accents_and_case(client_for, products):
    SalesPointFactory(name="Điểm bán OCOP Phủ Thông", address="Chợ Phủ Thông")
    SalesPointFactory(name="Cửa hàng đặc sản", address="Tổ 2, thị trấn", operator="Hợp tác xã Thiên An")
    client = client_for("huyen.bachthong")

    def names(query):
        return row_names(client.get("/promotion/sales-points/", {"q": query}).content.decode(), "salespoint-row")

    assert names("phu thong") == ["Điểm bán OCOP Phủ Thông"]
    assert names("THIEN AN") == ["Cửa hàng đặc sản"]  # its operator
    assert names("dac san thi tran") == ["Cửa hàng đặc sản"]  # every word, in name or address
    assert names("thien an phu thong") == []


# ---------------------------------------------------------------------------------------------
# E-commerce listings
# ---------------------------------------------------------------------------------------------


def test_listing_is_added_with_the_platform_recognised_from_the_link(client_for, products):
    product = products["Chè Bản Dao"]
    client = client_for("huyen.bachthong")
    response = client.post(f"/promotion/products/{product.pk}/listings/",
                           {"url": "https://www.postmart.vn/che-ban-dao", "platform": "", "listed_on": "20/05/2024"})
    assert response["Location"] == f"/promotion/products/{product.pk}/listings/"
    listing = Listing.objects.get()
    assert (listing.platform, listing.url, listing.listed_on.isoformat()) == (
        "Postmart", "https://www.postmart.vn/che-ban-dao", "2024-05-20")
    assert audit_trail_for(product).get().changes == {"listings": [None, "Postmart: https://www.postmart.vn/che-ban-dao"]}
    page = client.get(f"/promotion/products/{product.pk}/listings/").content.decode()
    assert texts(page, "listing")[0].startswith("Postmart https://www.postmart.vn/che-ban-dao Đăng ngày 20/05/2024")


@pytest.mark.parametrize("data, message", [
    ({"url": "không phải địa chỉ"}, "Nhập một URL hợp lệ."),
    ({"url": "ftp://voso.vn/che"}, "Nhập một URL hợp lệ."),
    ({"url": "https://cho-que.example/che"}, "Hãy ghi tên sàn: không nhận biết được từ địa chỉ."),
])
def test_listing_link_is_validated(client_for, products, data, message):
    product = products["Chè Bản Dao"]
    page = client_for("huyen.bachthong").post(f"/promotion/products/{product.pk}/listings/",
                                              {"platform": "", **data}).content.decode()
    assert message in page
    assert not Listing.objects.exists()


def test_listing_on_an_unknown_platform_is_added_when_named(client_for, products):
    product = products["Chè Bản Dao"]
    client_for("huyen.bachthong").post(f"/promotion/products/{product.pk}/listings/",
                                       {"url": "https://cho-que.example/che", "platform": "Chợ quê"})
    assert Listing.objects.get().platform == "Chợ quê"


def test_the_same_link_is_not_listed_twice(client_for, products):
    product = products["Chè Bản Dao"]
    Listing.objects.create(product=product, platform="Voso", url="https://voso.vn/che-ban-dao")
    page = client_for("huyen.bachthong").post(f"/promotion/products/{product.pk}/listings/",
                                              {"url": "https://voso.vn/che-ban-dao"}).content.decode()
    assert "Liên kết này đã được ghi nhận cho sản phẩm." in page
    assert Listing.objects.count() == 1


def test_listing_is_removed_after_confirmation(client_for, products):
    product = products["Chè Bản Dao"]
    listing = Listing.objects.create(product=product, platform="Voso", url="https://voso.vn/che-ban-dao")
    client = client_for("huyen.bachthong")
    page = client.get(f"/promotion/products/{product.pk}/listings/").content.decode()
    assert f'action="/promotion/listings/{listing.pk}/remove/" data-confirm="Gỡ gian hàng trên Voso?"' in page
    client.post(f"/promotion/listings/{listing.pk}/remove/")
    assert not Listing.objects.exists()


def test_listings_of_another_districts_product_are_not_found(client_for, products):
    product = products["Miến dong Tài Hoan"]
    listing = Listing.objects.create(product=product, platform="Postmart", url="https://postmart.vn/mien")
    client = client_for("huyen.bachthong")
    assert client.get(f"/promotion/products/{product.pk}/listings/").status_code == 404
    assert client.post(f"/promotion/listings/{listing.pk}/remove/").status_code == 404
    listings_url = f"/promotion/products/{products['An mộc nhi'].pk}/listings/"
    assert client_for("htx.thienan").get(listings_url).status_code == 403
    assert Listing.objects.count() == 1


def test_listed_products_query_count_does_not_grow(client_for, products):
    client = client_for("huyen.bachthong")
    Listing.objects.create(product=products["Chè Bản Dao"], platform="Voso", url="https://voso.vn/1")
    client.get("/promotion/listings/?listed=yes")
    one = count_queries(lambda: client.get("/promotion/listings/?listed=yes"))
    for n, name in enumerate(["An mộc nhi", "Phục dưỡng hoa", "Gạo nếp Khẩu Nua Lương"], start=2):
        Listing.objects.create(product=products[name], platform="Voso", url=f"https://voso.vn/{n}")
    assert one == count_queries(lambda: client.get("/promotion/listings/?listed=yes"))
    page = client.get("/promotion/listings/?listed=yes&sort=name").content.decode()
    assert row_names(page, "listing-product-row") == [
        "An mộc nhi", "Chè Bản Dao", "Gạo nếp Khẩu Nua Lương", "Phục dưỡng hoa"]
