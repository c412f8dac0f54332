"""Products: the scoped list with its filters, search, sorting and export; the product page with its
history across cycles; editing and photos."""
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from ocop.enums import Role
from ocop.models import AuditEntry, User
from ocop.tests.utils import count_queries
from products.enums import DossierStatus
from products.models import Product, ProductPhoto, ProductSet, Standard
from subjects.enums import SubjectKind
from subjects.services import subject_representative_add

from .factories import (
    DossierDocumentFactory,
    DossierFactory,
    PlanFactory,
    PlanIdeaFactory,
    PlanMilestoneFactory,
    ProductFactory,
    ProductPhotoFactory,
    ProductSubjectFactory,
    thienan_subject,
    tiny_upload,
    unit,
)

ROW_NAME = re.compile(r'<td><a href="/products/\d+/">([^<]+)</a></td>')


def _names(page: str) -> list[str]:
    return ROW_NAME.findall(page)


@pytest.fixture
def thienan(users):
    return thienan_subject(users["htx.thienan"])


@pytest.fixture
def three_products(demo_units):
    """Three products unlike each other in every filtered respect, all named "... thử nghiệm ..."."""
    a = ProductFactory(name="Chè thử nghiệm A", product_set=ProductSet.objects.get(number=11),
                       subject=ProductSubjectFactory(name="Hợp tác xã Chè Vi Hương"),
                       standards=[Standard.objects.get(code="vietgap")], has_traceability=True,
                       traceability_method="Tem QR")
    group = ProductSubjectFactory(name="Tổ hợp tác Rượu Sĩ Bình", kind=SubjectKind.COOPERATIVE_GROUP, tax_code="",
                                  commune=demo_units["01846"])
    b = ProductFactory(name="Rượu thử nghiệm B", product_set=ProductSet.objects.get(number=14), subject=group)
    household = ProductSubjectFactory(name="Cơ sở dệt thổ cẩm Côn Minh", kind=SubjectKind.HOUSEHOLD_BUSINESS,
                                      commune=demo_units["01963"])
    c = ProductFactory(name="Túi thổ cẩm thử nghiệm C", product_set=ProductSet.objects.get(number=22),
                       subject=household, standards=[Standard.objects.get(code="organic")], has_traceability=True,
                       traceability_method="Mã vạch")
    return a, b, c


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


def test_product_list_shows_the_officers_district_only(client_for, three_products):
    bach_thong = _names(client_for("huyen.bachthong").get("/products/?q=thu nghiem").content.decode())
    na_ri = _names(client_for("huyen.nari").get("/products/?q=thu nghiem").content.decode())
    province = _names(client_for("tinh.backan").get("/products/?q=thu nghiem").content.decode())
    assert bach_thong == ["Chè thử nghiệm A", "Rượu thử nghiệm B"]
    assert na_ri == ["Túi thổ cẩm thử nghiệm C"]
    assert province == ["Chè thử nghiệm A", "Rượu thử nghiệm B", "Túi thổ cẩm thử nghiệm C"]


def test_representative_sees_only_his_subjects_products(client_for, thienan, three_products):
    ProductFactory(subject=thienan, name="Trà hoa vàng thử nghiệm")
    page = client_for("htx.thienan").get("/products/?q=thu nghiem").content.decode()
    assert _names(page) == ["Trà hoa vàng thử nghiệm"]


def test_council_member_cannot_open_the_product_list(client_for):
    assert client_for("hoidong.1").get("/products/").status_code == 403


def test_product_search_ignores_diacritics_and_matches_the_subject(client_for, three_products):
    client = client_for("tinh.backan")
    assert _names(client.get("/products/?q=TUI THO CAM THU").content.decode()) == ["Túi thổ cẩm thử nghiệm C"]
    assert _names(client.get("/products/?q=ruou si binh").content.decode()) == ["Rượu thử nghiệm B"]


@pytest.mark.parametrize(("params", "expected"), [
    ("product_set={set11}", ["Chè thử nghiệm A"]),
    ("sector=Đồ uống", ["Rượu thử nghiệm B"]),
    ("unit={nari}", ["Túi thổ cẩm thử nghiệm C"]),
    ("unit={sibinh}", ["Rượu thử nghiệm B"]),
    ("subject_kind=cooperative_group", ["Rượu thử nghiệm B"]),
    ("standard={organic}", ["Túi thổ cẩm thử nghiệm C"]),
    ("traceability=yes", ["Chè thử nghiệm A", "Túi thổ cẩm thử nghiệm C"]),
    ("traceability=no", ["Rượu thử nghiệm B"]),
])
def test_product_list_filters(client_for, three_products, demo_units, params, expected):
    params = params.format(set11=ProductSet.objects.get(number=11).pk, nari=demo_units["066"].pk,
                           sibinh=demo_units["01846"].pk, organic=Standard.objects.get(code="organic").pk)
    page = client_for("tinh.backan").get(f"/products/?q=thu nghiem&{params}").content.decode()
    assert _names(page) == expected


def test_product_list_ignores_a_district_outside_the_officers_area(client_for, three_products, demo_units):
    page = client_for("huyen.bachthong").get(f"/products/?q=thu nghiem&unit={demo_units['066'].pk}").content.decode()
    assert _names(page) == ["Chè thử nghiệm A", "Rượu thử nghiệm B"]


def test_product_list_sorts_by_subject_and_by_set(client_for, three_products):
    client = client_for("tinh.backan")
    by_subject = _names(client.get("/products/?q=thu nghiem&sort=-subject").content.decode())
    by_set = _names(client.get("/products/?q=thu nghiem&sort=set").content.decode())
    assert by_subject == ["Rượu thử nghiệm B", "Chè thử nghiệm A", "Túi thổ cẩm thử nghiệm C"]
    assert by_set == ["Chè thử nghiệm A", "Rượu thử nghiệm B", "Túi thổ cẩm thử nghiệm C"]


def test_product_list_empty_state_after_filtering(client_for, demo_units):
    page = client_for("huyen.bachthong").get("/products/?q=khong co san pham nay").content.decode()
    assert "Không có sản phẩm nào phù hợp với bộ lọc." in page


def test_product_list_query_count_does_not_grow(client_for, demo_units, django_assert_num_queries):
    client = client_for("huyen.bachthong")
    ProductFactory(name="Đếm truy vấn 1", standards=[Standard.objects.get(code="vietgap")])
    one = count_queries(lambda: client.get("/products/?q=dem truy van"))
    for i in range(2, 6):
        ProductFactory(name=f"Đếm truy vấn {i}", standards=list(Standard.objects.all()[:i]))
    with django_assert_num_queries(one):
        page = client.get("/products/?q=dem truy van").content.decode()
    assert len(_names(page)) == 5


def test_product_export_holds_the_filtered_list(client_for, three_products):
    response = client_for("tinh.backan").get("/products/export/?q=thu nghiem&traceability=yes")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert response["Content-Disposition"] == 'attachment; filename="san-pham-ocop.xlsx"'
    assert rows == [
        ("Sản phẩm", "Chủ thể", "Loại hình chủ thể", "Bộ sản phẩm", "Ngành", "Xã", "Huyện", "Tiêu chuẩn đã đạt",
         "Truy xuất nguồn gốc", "Cách truy xuất"),
        ("Chè thử nghiệm A", "Hợp tác xã Chè Vi Hương", "Hợp tác xã", "11. Chè tươi, chè chế biến", "Thực phẩm",
         "Vi Hương", "Bạch Thông", "VietGAP", "Có", "Tem QR"),
        ("Túi thổ cẩm thử nghiệm C", "Cơ sở dệt thổ cẩm Côn Minh", "Hộ kinh doanh", "22. Vải, may mặc",
         "Hàng thủ công mỹ nghệ", "Côn Minh", "Na Rì", "Hữu cơ (Organic)", "Có", "Mã vạch"),
    ]


# ---------------------------------------------------------------------------------------------
# The product page
# ---------------------------------------------------------------------------------------------


def test_product_page_shows_its_facts_and_history_across_cycles(client_for, thienan):
    product = ProductFactory(subject=thienan, name="Trà hoa vàng Thiên An",
                             product_set=ProductSet.objects.get(number=12),
                             standards=[Standard.objects.get(code="vietgap")], has_traceability=True,
                             traceability_method="Tem QR truy xuất của tỉnh Bắc Kạn")
    idea = PlanIdeaFactory(subject=thienan, product=product, product_name="Trà hoa vàng Thiên An")
    PlanMilestoneFactory(plan=PlanFactory(idea=idea))
    DossierDocumentFactory(dossier=DossierFactory(product=product, cycle=idea.cycle))
    page = client_for("huyen.bachthong").get(product.get_absolute_url()).content.decode()
    assert "Hợp tác xã Thiên An" in page and "12. Sản phẩm trà từ thực vật khác" in page
    assert "Xã Vi Hương, Huyện Bạch Thông" in page
    assert "VietGAP" in page and "Có: Tem QR truy xuất của tỉnh Bắc Kạn" in page
    assert f'href="/products/ideas/{idea.pk}/"' in page
    assert "Phương án sản xuất kinh doanh năm 2024" in page and "1 mốc thực hiện" in page
    assert "Hồ sơ năm 2024" in page and "Đang chuẩn bị" in page and "1 tài liệu" in page
    assert '<h3 class="h6 mt-3" data-testid="product-evaluations">Đánh giá, phân hạng và giấy chứng nhận</h3>' in page
    assert 'data-testid="audit-trail"' not in page  # nothing changed through the services yet


@pytest.mark.parametrize("username", ["huyen.nari", "htx.khac"])
def test_product_outside_the_users_scope_is_404(client_for, client, thienan, username):
    product = ProductFactory(subject=thienan)
    if username == "htx.khac":
        other = User.objects.create_user(username="htx.khac", role=Role.SUBJECT_REP)
        subject_representative_add(subject=ProductSubjectFactory(), user=other, by=None)
        client.force_login(other)
    else:
        client = client_for(username)
    assert client.get(product.get_absolute_url()).status_code == 404
    assert client.get(f"/products/{product.pk}/edit/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Editing
# ---------------------------------------------------------------------------------------------


def _form_data(product, **changes):
    data = {"name": product.name, "product_set": product.product_set_id, "description": product.description,
            "commune": product.commune_id, "standards": [s.pk for s in product.standards.all()],
            "traceability_method": product.traceability_method}
    if product.has_traceability:
        data["has_traceability"] = "on"
    data.update(changes)
    return data


def test_officer_edits_a_product_and_the_change_is_audited(client_for, thienan, users):
    product = ProductFactory(subject=thienan, name="Trà hoa vàng")
    client = client_for("huyen.bachthong")
    response = client.post(f"/products/{product.pk}/edit/", _form_data(
        product, name="Trà hoa vàng Thiên An", standards=[Standard.objects.get(code="organic").pk],
        has_traceability="on", traceability_method="Tem QR"))
    product.refresh_from_db()
    assert response["Location"] == product.get_absolute_url()
    assert (product.name, product.has_traceability, product.traceability_method) == (
        "Trà hoa vàng Thiên An", True, "Tem QR")
    assert list(product.standards.values_list("code", flat=True)) == ["organic"]
    entry = AuditEntry.objects.get(content_type__model="product", object_id=product.pk)
    assert entry.actor == users["huyen.bachthong"]
    assert entry.changes == {
        "name": ["Trà hoa vàng", "Trà hoa vàng Thiên An"], "has_traceability": [False, True],
        "traceability_method": ["", "Tem QR"], "standards": ["", "Hữu cơ (Organic)"]}
    assert 'data-testid="audit-trail"' in client.get(product.get_absolute_url()).content.decode()


def test_traceability_without_how_is_refused_beside_the_field(client_for, thienan):
    product = ProductFactory(subject=thienan, name="Trà hoa vàng")
    response = client_for("huyen.bachthong").post(f"/products/{product.pk}/edit/", _form_data(
        product, name="Tên mới", has_traceability="on", traceability_method=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nêu cách truy xuất nguồn gốc sản phẩm." in page and 'value="Tên mới"' in page
    product.refresh_from_db()
    assert product.name == "Trà hoa vàng"


def test_officer_cannot_move_a_product_to_a_commune_outside_his_area(client_for, thienan, demo_units):
    product = ProductFactory(subject=thienan)
    response = client_for("huyen.bachthong").post(
        f"/products/{product.pk}/edit/", _form_data(product, commune=demo_units["01963"].pk))
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.commune == unit("01843")


def test_representative_cannot_edit_the_product(client_for, thienan):
    product = ProductFactory(subject=thienan)
    client = client_for("htx.thienan")
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.post(f"/products/{product.pk}/edit/", _form_data(product, name="Khác")).status_code == 403
    product.refresh_from_db()
    assert product.name != "Khác"


# ---------------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------------


def test_photos_jpeg_and_png_are_added(client_for, thienan, users):
    product = ProductFactory(subject=thienan)
    response = client_for("huyen.bachthong").post(f"/products/{product.pk}/photos/", {
        "files": [tiny_upload("jpeg", "bao-bi.jpg"), tiny_upload("png", "nhan.png")], "caption": "Bao bì mới"})
    assert response.status_code == 302
    photos = list(product.photos.order_by("pk"))
    assert [(p.caption, p.file.name.rsplit(".", 1)[1]) for p in photos] == [
        ("Bao bì mới", "jpg"), ("Bao bì mới", "png")]
    entry = AuditEntry.objects.get(content_type__model="product", object_id=product.pk)
    assert (entry.actor, entry.message) == (users["huyen.bachthong"], "Đã thêm 2 ảnh")


def test_photo_that_is_not_an_image_is_refused(client_for, thienan):
    product = ProductFactory(subject=thienan)
    response = client_for("huyen.bachthong").post(f"/products/{product.pk}/photos/", {
        "files": [tiny_upload("pdf", "anh.jpg")], "caption": "Giữ lại chú thích"})
    page = response.content.decode()
    assert "Tệp “anh.jpg” không thuộc loại được chấp nhận. Chấp nhận: JPEG, PNG." in page
    assert 'value="Giữ lại chú thích"' in page
    assert product.photos.count() == 0


def test_photo_is_removed_and_audited(client_for, thienan):
    photo = ProductPhotoFactory(product=ProductFactory(subject=thienan))
    response = client_for("huyen.bachthong").post(f"/products/{photo.product_id}/photos/", {"remove": photo.pk})
    assert response.status_code == 302
    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()
    entry = AuditEntry.objects.get(content_type__model="product", object_id=photo.product_id)
    assert entry.message == "Đã gỡ một ảnh"


@pytest.mark.parametrize(("username", "status"), [("huyen.bachthong", 200), ("htx.thienan", 200), ("huyen.nari", 404)])
def test_photo_is_served_only_within_the_products_scope(client_for, thienan, username, status):
    photo = ProductPhotoFactory(product=ProductFactory(subject=thienan))
    response = client_for(username).get(f"/products/photos/{photo.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")


def test_anonymous_photo_request_goes_to_login(client, thienan):
    photo = ProductPhotoFactory(product=ProductFactory(subject=thienan))
    response = client.get(f"/products/photos/{photo.pk}/")
    assert response["Location"] == f"/accounts/login/?next=/products/photos/{photo.pk}/"


def test_representative_cannot_manage_photos(client_for, thienan):
    product = ProductFactory(subject=thienan)
    assert client_for("htx.thienan").post(f"/products/{product.pk}/photos/", {
        "files": [tiny_upload("png")]}).status_code == 403
    assert Product.objects.get(pk=product.pk).photos.count() == 0


def test_submitted_dossier_shows_on_the_product_page(client_for, thienan):
    product = ProductFactory(subject=thienan)
    DossierFactory(product=product, status=DossierStatus.SUBMITTED)
    page = client_for("htx.thienan").get(product.get_absolute_url()).content.decode()
    assert "Đã nộp để đánh giá" in page and "0 tài liệu" in page


# ---------------------------------------------------------------------------------------------
# Django admin
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "query", "expected"), [
    ("productset", "trà", "12. Sản phẩm trà từ thực vật khác"),
    ("standard", "vietgap", "VietGAP"),
    ("product", "Thiên An", "Trà hoa vàng Thiên An"),
    ("productidea", "Thiên An", "Trà hoa vàng ý tưởng"),
    ("idealist", "Bạch Thông", "Huyện Bạch Thông, gửi ngày"),
    ("businessplan", "Thiên An", "Phương án sản xuất kinh doanh: Trà hoa vàng ý tưởng"),
    ("dossier", "Thiên An", "Hồ sơ: Trà hoa vàng Thiên An (2024)"),
])
def test_admin_search_of_every_products_model_finds_the_record(client_for, users, thienan, model, query, expected):
    from products.models import IdeaList

    from .factories import backan_cycle

    product = ProductFactory(subject=thienan, name="Trà hoa vàng Thiên An")
    ProductPhotoFactory(product=product)
    plan = PlanFactory(idea=PlanIdeaFactory(subject=thienan, product=product, product_name="Trà hoa vàng ý tưởng"))
    PlanMilestoneFactory(plan=plan)
    DossierDocumentFactory(dossier=DossierFactory(product=product))
    IdeaList.objects.create(cycle=backan_cycle(), unit=unit("063"), sent_by=users["huyen.bachthong"])
    page = client_for("admin").get(f"/admin/products/{model}/", {"q": query}).content.decode()
    assert expected in page


@pytest.mark.parametrize(("factory_name", "inlines"), [
    ("ProductFactory", ["photos"]), ("PlanFactory", ["milestones", "support"]), ("DossierFactory", ["documents"]),
])
def test_admin_change_page_shows_its_inlines(client_for, demo_units, factory_name, inlines):
    from . import factories

    obj = getattr(factories, factory_name)()
    page = client_for("admin").get(f"/admin/products/{obj._meta.model_name}/{obj.pk}/change/").content.decode()
    assert [prefix for prefix in inlines if f'id="{prefix}-group"' in page] == inlines
