"""The subject list, its filters and export, a subject's page, changing it and who may do what."""
import io

import pytest
from openpyxl import load_workbook

from ocop.tests.utils import count_queries
from products.models import Product, ProductSet
from subjects.models import Subject
from subjects.tests.conftest import listed_names
from subjects.tests.factories import SubjectFactory


def add_products(subject, count):
    product_set = ProductSet.objects.order_by("number").first()
    for i in range(count):
        Product.objects.create(subject=subject, product_set=product_set, name=f"{subject.name} sản phẩm {i + 1}",
                               commune=subject.commune)


# ---------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------


def test_subject_list_of_district_officer_holds_his_district_only(client_for, bachthong_and_nari, thien_an):
    client = client_for("huyen.bachthong")
    assert listed_names(client.get("/subjects/?q=kiem+thu").content.decode()) == ["Hợp tác xã Kiểm thử Bạch Thông"]
    names = listed_names(client.get("/subjects/").content.decode())
    assert "Hợp tác xã Thiên An" in names
    assert Subject.objects.filter(name__in=names).exclude(commune__path__startswith="06/063/").count() == 0


def test_subject_list_of_province_staff_holds_both_districts(client_for, bachthong_and_nari):
    page = client_for("tinh.backan").get("/subjects/?q=kiem+thu").content.decode()
    assert listed_names(page) == ["Hợp tác xã Kiểm thử Bạch Thông", "Hợp tác xã Kiểm thử Na Rì"]


def test_subject_list_of_representative_holds_his_subject_only(client_for, thien_an, bachthong_and_nari):
    page = client_for("htx.thienan").get("/subjects/").content.decode()
    assert listed_names(page) == ["Hợp tác xã Thiên An"]
    assert "Đăng ký chủ thể" not in page  # no "register" button for a representative


def test_representative_reads_his_subject_but_cannot_edit_it(client_for, thien_an):
    client = client_for("htx.thienan")
    page = client.get(f"/subjects/{thien_an.pk}/").content.decode()
    assert "<h1 class=\"h3 mb-1\">Hợp tác xã Thiên An</h1>" in page
    assert f'href="/subjects/{thien_an.pk}/edit/"' not in page
    assert client.get(f"/subjects/{thien_an.pk}/edit/").status_code == 403
    assert client.post(f"/subjects/{thien_an.pk}/edit/", {"name": "Đổi tên"}).status_code == 403
    assert client.get("/subjects/new/").status_code == 403
    assert Subject.objects.get(pk=thien_an.pk).name == "Hợp tác xã Thiên An"


def test_representative_gets_404_on_another_subject(client_for, thien_an, bachthong_and_nari):
    assert client_for("htx.thienan").get(f"/subjects/{bachthong_and_nari[0].pk}/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "edit/", "representatives/"])
def test_officer_of_another_district_gets_404_on_a_bachthong_subject(client_for, thien_an, suffix):
    response = client_for("huyen.nari").get(f"/subjects/{thien_an.pk}/{suffix}")
    assert response.status_code == 404
    assert "Hợp tác xã Thiên An" not in response.content.decode()


@pytest.mark.parametrize("url", ["/subjects/", "/subjects/export/", "/subjects/search/?q=thien", "/subjects/new/"])
def test_council_member_gets_403_on_subject_pages(client_for, url):
    assert client_for("hoidong.1").get(url).status_code == 403


def test_council_member_gets_403_on_a_subject(client_for, thien_an):
    assert client_for("hoidong.1").get(f"/subjects/{thien_an.pk}/").status_code == 403


def test_anonymous_user_is_sent_to_login_from_the_subject_list(client, db):
    response = client.get("/subjects/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/subjects/"


# ---------------------------------------------------------------------------------------------
# Search, filters, sorting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["thien an", "THIEN AN", "Thiên An", "4700601234", "ly thi quen"])
def test_subject_list_search_without_diacritics_finds_thien_an(client_for, thien_an, query):
    page = client_for("tinh.backan").get("/subjects/", {"q": query}).content.decode()
    assert listed_names(page) == ["Hợp tác xã Thiên An"]


def test_subject_list_search_without_match_shows_the_empty_state(client_for, thien_an):
    page = client_for("tinh.backan").get("/subjects/?q=khong+co+dau").content.decode()
    assert listed_names(page) == []
    assert "Không có chủ thể nào phù hợp." in page


def test_subject_list_filters_by_kind(client_for, unit, bachthong_and_nari):
    SubjectFactory(name="Tổ hợp tác Kiểm thử", kind="cooperative_group", tax_code="", commune=unit("01849"))
    page = client_for("tinh.backan").get("/subjects/?q=kiem+thu&kind=cooperative_group").content.decode()
    assert listed_names(page) == ["Tổ hợp tác Kiểm thử"]


def test_subject_list_filters_by_district_and_commune(client_for, unit, bachthong_and_nari):
    SubjectFactory(name="Hợp tác xã Kiểm thử Côn Minh", commune=unit("01963"))
    client = client_for("tinh.backan")
    by_district = client.get("/subjects/?q=kiem+thu&district=066").content.decode()
    assert listed_names(by_district) == ["Hợp tác xã Kiểm thử Côn Minh", "Hợp tác xã Kiểm thử Na Rì"]
    assert '<option value="066" selected>Huyện Na Rì</option>' in by_district
    # With a district chosen, the commune filter offers that district's communes only.
    assert '<option value="01966">Xã Kim Lư</option>' in by_district
    assert 'value="01846"' not in by_district
    by_commune = client.get("/subjects/?q=kiem+thu&commune=01963").content.decode()
    assert listed_names(by_commune) == ["Hợp tác xã Kiểm thử Côn Minh"]
    assert '<option value="01963" selected>Xã Côn Minh – Huyện Na Rì</option>' in by_commune


def test_subject_list_ignores_a_commune_outside_the_area(client_for, bachthong_and_nari):
    page = client_for("huyen.bachthong").get("/subjects/?q=kiem+thu&commune=01966").content.decode()
    assert listed_names(page) == ["Hợp tác xã Kiểm thử Bạch Thông"]


def test_subject_list_sorts_by_product_count(client_for, unit):
    few, many, none = (SubjectFactory(name=f"Hợp tác xã Kiểm thử {n}", commune=unit("01846")) for n in "ABC")
    add_products(few, 1)
    add_products(many, 3)
    client = client_for("huyen.bachthong")
    assert listed_names(client.get("/subjects/?q=kiem+thu&sort=-products").content.decode()) == [
        "Hợp tác xã Kiểm thử B", "Hợp tác xã Kiểm thử A", "Hợp tác xã Kiểm thử C"]
    assert listed_names(client.get("/subjects/?q=kiem+thu&sort=products").content.decode()) == [
        "Hợp tác xã Kiểm thử C", "Hợp tác xã Kiểm thử A", "Hợp tác xã Kiểm thử B"]


def test_subject_list_sorts_by_commune_and_kind(client_for, unit):
    SubjectFactory(name="Hợp tác xã Kiểm thử Z", commune=unit("01843"))  # Vi Hương
    SubjectFactory(name="Hộ kinh doanh Kiểm thử", kind="household_business", commune=unit("01876"))  # Dương Phong
    client = client_for("huyen.bachthong")
    assert listed_names(client.get("/subjects/?q=kiem+thu&sort=commune").content.decode()) == [
        "Hộ kinh doanh Kiểm thử", "Hợp tác xã Kiểm thử Z"]
    assert listed_names(client.get("/subjects/?q=kiem+thu&sort=-kind").content.decode()) == [
        "Hộ kinh doanh Kiểm thử", "Hợp tác xã Kiểm thử Z"]


def test_subject_list_is_paginated(client_for, unit, settings):
    settings.OCOP_PAGE_SIZE = 2
    for n in range(5):
        SubjectFactory(name=f"Hợp tác xã Kiểm thử {n}", commune=unit("01846"))
    page = client_for("huyen.bachthong").get("/subjects/?q=kiem+thu&page=3").content.decode()
    assert listed_names(page) == ["Hợp tác xã Kiểm thử 4"]
    assert "Trang 3/3" in page


def test_subject_list_query_count_does_not_grow(client_for, unit, django_assert_num_queries):
    client = client_for("tinh.backan")
    first = SubjectFactory(name="Hợp tác xã Kiểm thử 1", commune=unit("01846"))
    add_products(first, 2)
    one = count_queries(lambda: client.get("/subjects/?q=kiem+thu"))
    for n, code in [(2, "01963"), (3, "01855"), (4, "01972")]:
        add_products(SubjectFactory(name=f"Hợp tác xã Kiểm thử {n}", commune=unit(code)), n)
    with django_assert_num_queries(one):
        page = client.get("/subjects/?q=kiem+thu").content.decode()
    assert len(listed_names(page)) == 4


def test_subject_list_query_count_does_not_grow_for_a_representative(client_for, thien_an, unit, users,
                                                                     django_assert_num_queries):
    client = client_for("htx.thienan")
    one = count_queries(lambda: client.get("/subjects/"))
    for code in ["01846", "01963"]:
        other = SubjectFactory(commune=unit(code))
        other.representative_links.create(user=users["htx.thienan"])
    with django_assert_num_queries(one):
        page = client.get("/subjects/").content.decode()
    assert len(listed_names(page)) == 3


# ---------------------------------------------------------------------------------------------
# Excel export
# ---------------------------------------------------------------------------------------------


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_subject_export_holds_the_filtered_list_with_every_column(client_for, unit):
    subject = SubjectFactory(
        name="Hợp tác xã Kiểm thử Xuất", tax_code="4700555666-001", legal_representative="Ma Văn Xuất",
        commune=unit("01843"), phone="0209 3850 123", email="htx@example.vn", founded_year=2018, members_count=9)
    add_products(subject, 2)
    SubjectFactory(name="Hợp tác xã Khác", commune=unit("01843"))
    response = client_for("tinh.backan").get("/subjects/export/?q=kiem+thu")
    rows = read_xlsx(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="chu-the-')
    assert rows[0] == [
        "Tên", "Loại", "Mã số thuế", "Người đại diện theo pháp luật", "Xã", "Huyện", "Tỉnh", "Điện thoại",
        "Email", "Năm thành lập", "Số thành viên hoặc lao động", "Sản phẩm"]
    assert rows[1] == [
        "Hợp tác xã Kiểm thử Xuất", "Hợp tác xã", "4700555666-001", "Ma Văn Xuất", "Xã Vi Hương",
        "Huyện Bạch Thông", "Tỉnh Bắc Kạn", "0209 3850 123", "htx@example.vn", 2018, 9, 2]
    assert len(rows) == 2


def test_subject_export_stays_in_the_officers_area(client_for, bachthong_and_nari):
    rows = read_xlsx(client_for("huyen.nari").get("/subjects/export/?q=kiem+thu"))
    assert [row[0] for row in rows[1:]] == ["Hợp tác xã Kiểm thử Na Rì"]


def test_subject_list_links_the_export_with_its_filters(client_for, thien_an):
    page = client_for("tinh.backan").get("/subjects/?q=thien&kind=cooperative&page=1").content.decode()
    assert 'href="/subjects/export/?q=thien&amp;kind=cooperative"' in page


# ---------------------------------------------------------------------------------------------
# A subject's page, changing it, its history
# ---------------------------------------------------------------------------------------------


def test_subject_detail_shows_details_products_and_representatives(client_for, thien_an, unit):
    add_products(thien_an, 1)
    page = client_for("huyen.bachthong").get(f"/subjects/{thien_an.pk}/").content.decode()
    assert "4700601234" in page and "Lý Thị Quên" in page
    assert "Xã Vi Hương, Huyện Bạch Thông, Tỉnh Bắc Kạn" in page
    assert "Hợp tác xã Thiên An sản phẩm 1" in page
    assert "(htx.thienan)" in page
    assert f'href="/subjects/{thien_an.pk}/edit/"' in page
    assert f'href="/subjects/{thien_an.pk}/representatives/"' in page


def test_subject_without_products_says_so(client_for, unit):
    subject = SubjectFactory(commune=unit("01846"))
    page = client_for("huyen.bachthong").get(f"/subjects/{subject.pk}/").content.decode()
    assert "Chủ thể chưa có sản phẩm nào." in page
    assert "Chưa có tài khoản nào đại diện cho chủ thể." in page


def test_subject_edit_records_who_changed_what_in_the_history(client_for, unit):
    subject = SubjectFactory(name="Hợp tác xã Kiểm thử Sửa", tax_code="4700111222", commune=unit("01843"),
                             phone="", legal_representative="Hà Văn Cũ")
    client = client_for("huyen.bachthong")
    form = client.get(f"/subjects/{subject.pk}/edit/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data.update(phone="0209 3999 888", commune=unit("01846").pk, legal_representative="Hà Văn Mới")
    response = client.post(f"/subjects/{subject.pk}/edit/", data)
    assert response.status_code == 302
    page = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert "Đã lưu thông tin chủ thể." in page
    assert "<strong>Hương Dịu</strong>" in page
    assert '<li data-testid="audit-change">Số điện thoại: — → 0209 3999 888</li>' in page
    assert '<li data-testid="audit-change">Xã: Xã Vi Hương → Xã Sĩ Bình</li>' in page
    assert '<li data-testid="audit-change">Người đại diện theo pháp luật: Hà Văn Cũ → Hà Văn Mới</li>' in page


def test_subject_edit_with_an_error_keeps_what_was_typed_and_saves_nothing(client_for, unit):
    subject = SubjectFactory(name="Hợp tác xã Kiểm thử Sửa", tax_code="4700111222", commune=unit("01843"))
    client = client_for("huyen.bachthong")
    response = client.post(f"/subjects/{subject.pk}/edit/", {
        "name": "Tên mới gõ vào", "kind": "enterprise", "tax_code": "12345", "legal_representative": "Người mới",
        "commune": unit("01843").pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tên mới gõ vào"' in page and 'value="12345"' in page
    assert "<h1 class=\"h3 mb-3\">Hợp tác xã Kiểm thử Sửa</h1>" in page
    subject.refresh_from_db()
    assert (subject.name, subject.tax_code) == ("Hợp tác xã Kiểm thử Sửa", "4700111222")


def test_subject_edit_keeping_its_own_tax_code_is_not_a_duplicate(client_for, thien_an):
    client = client_for("huyen.bachthong")
    form = client.get(f"/subjects/{thien_an.pk}/edit/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data["address"] = "Thôn Bản Cảu, xã Vi Hương"
    assert client.post(f"/subjects/{thien_an.pk}/edit/", data).status_code == 302


def test_subject_edit_without_renaming_needs_no_duplicate_confirmation(client_for, thien_an, unit):
    twin = SubjectFactory(name="Hợp tác xã Thiên An", commune=unit("01843"))
    client = client_for("huyen.bachthong")
    form = client.get(f"/subjects/{twin.pk}/edit/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data["members_count"] = 30
    assert client.post(f"/subjects/{twin.pk}/edit/", data).status_code == 302
    twin.refresh_from_db()
    assert twin.members_count == 30
