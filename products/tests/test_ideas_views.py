"""The idea pages as each role sees them: scoping, the registration form, screening, lists, exports, panels."""
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ocop.enums import Role, UnitKind
from ocop.models import AdministrativeUnit, Cycle, User
from ocop.tests.utils import count_queries
from products.enums import IdeaStatus
from products.models import IdeaList, ProductIdea, ProductSet
from products.services.ideas import idea_return, idea_select, idea_submit, ideas_send
from products.tests.factories import TINY_PDF, IdeaAttachmentFactory, IdeaFactory, ProductFactory, backan_cycle, unit
from products.tests.test_ideas_services import EXE_BYTES, png_bytes
from subjects.models import Subject
from subjects.services import subject_representative_add
from subjects.tests.factories import SubjectFactory

ROW = re.compile(r'<td><a href="/products/ideas/\d+/">([^<]*)</a></td>')


def listed(response) -> list[str]:
    return ROW.findall(response.content.decode())


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def cycle(demo):
    """Bắc Kạn's 2025 cycle: the tests' ideas, apart from whatever the demo registers in 2024."""
    return backan_cycle(2025)


@pytest.fixture
def thien_an(users):
    """HTX Thiên An in Vi Hương (Bạch Thông), represented by htx.thienan: the demo's, or made here."""
    subject = Subject.objects.filter(name="Hợp tác xã Thiên An", commune__code="01843").first()
    if subject is None:
        subject = SubjectFactory(name="Hợp tác xã Thiên An", tax_code="4700601234",
                                 legal_representative="Lý Thị Quên", commune=unit("01843"))
    subject_representative_add(subject=subject, user=users["htx.thienan"], by=None)
    return subject


@pytest.fixture
def area_ideas(cycle, thien_an):
    """One idea of Thiên An, one of another Bạch Thông subject, one of a Na Rì subject (all submitted)."""
    kim_lu = unit("01966")
    ideas = {
        "thien_an": IdeaFactory(cycle=cycle, subject=thien_an, product_name="Miến dong Thiên An", attached=True),
        "si_binh": IdeaFactory(cycle=cycle, subject=SubjectFactory(commune=unit("01846")),
                               product_name="Chè Shan tuyết Sĩ Bình", attached=True),
        "nari": IdeaFactory(cycle=cycle, subject=SubjectFactory(commune=kim_lu, name="Hợp tác xã Tài Hoan thử"),
                            commune=kim_lu, product_name="Miến dong Tài Hoan", attached=True),
    }
    for idea in ideas.values():
        idea_submit(idea=idea, by=None)
    return ideas


@pytest.fixture
def thai_nguyen(demo):
    province = unit("19")
    staff, _created = User.objects.get_or_create(username="tinh.thainguyen",
                                                 defaults={"role": Role.PROVINCE_STAFF, "unit": province})
    cycle, _created = Cycle.objects.get_or_create(province=province, year=2026,
                                                  defaults={"name": "OCOP Thái Nguyên 2026"})
    return {"province": province, "staff": staff, "cycle": cycle}


def form_data(cycle, subject, **overrides) -> dict:
    data = {
        "form_token": uuid.uuid4().hex, "cycle": cycle.pk, "subject": subject.pk if subject else "",
        "subject_search": subject.name if subject else "", "product": "", "product_name": "Miến dong Vi Hương",
        "product_set": ProductSet.objects.get(number=7).pk, "commune": unit("01843").pk,
        "raw_material_source": "Củ dong riềng trồng tại xã", "local_material_share": "80", "market": "provincial",
        "market_notes": "Siêu thị trong tỉnh", "support_needed": "Thiết kế bao bì", "expected_star": "3",
        "action": "draft",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Scoping
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "names"), [
    ("admin", ["Chè Shan tuyết Sĩ Bình", "Miến dong Thiên An", "Miến dong Tài Hoan"]),
    ("tinh.backan", ["Chè Shan tuyết Sĩ Bình", "Miến dong Thiên An", "Miến dong Tài Hoan"]),
    ("huyen.bachthong", ["Chè Shan tuyết Sĩ Bình", "Miến dong Thiên An"]),
    ("huyen.nari", ["Miến dong Tài Hoan"]),
    ("htx.thienan", ["Miến dong Thiên An"]),
])
def test_idea_list_shows_each_role_only_its_ideas(client_for, area_ideas, cycle, username, names):
    response = client_for(username).get("/products/ideas/", {"cycle": cycle.pk, "sort": "name"})

    # Sorted by code point (as SQLite and Python compare), so the assertion holds whatever the collation.
    assert sorted(listed(response)) == names


def test_thai_nguyen_office_holds_bac_kan_ideas_and_another_province_none(client, area_ideas, cycle, thai_nguyen):
    """Bắc Kạn was merged into Thái Nguyên on 01/07/2025: Thái Nguyên's office answers for its records since;
    the office of a province Bắc Kạn has nothing to do with sees none of them."""
    client.force_login(thai_nguyen["staff"])
    response = client.get("/products/ideas/", {"cycle": cycle.pk, "sort": "name"})
    assert sorted(listed(response)) == ["Chè Shan tuyết Sĩ Bình", "Miến dong Thiên An", "Miến dong Tài Hoan"]
    assert client.get(area_ideas["thien_an"].get_absolute_url()).status_code == 200

    lang_son = AdministrativeUnit.objects.create(code="20", name="Lạng Sơn", kind=UnitKind.PROVINCE)
    client.force_login(User.objects.create_user(username="tinh.langson", role=Role.PROVINCE_STAFF, unit=lang_son))
    response = client.get("/products/ideas/")
    assert listed(response) == []
    assert "Chưa có ý tưởng sản phẩm nào được đăng ký." in text(response)
    assert client.get(area_ideas["thien_an"].get_absolute_url()).status_code == 404


def test_idea_pages_are_forbidden_to_council_members(client_for, area_ideas):
    client = client_for("hoidong.1")

    assert client.get("/products/ideas/").status_code == 403
    response = client.get(f"/products/ideas/{area_ideas['thien_an'].pk}/")
    assert response.status_code == 403 and "Không có quyền truy cập" in text(response)


def test_idea_of_bach_thong_is_404_for_na_ri_officer(client_for, area_ideas):
    client = client_for("huyen.nari")
    idea = area_ideas["thien_an"]
    attachment = idea.attachments.get()

    for url in (f"/products/ideas/{idea.pk}/", f"/products/ideas/{idea.pk}/edit/",
                f"/products/ideas/attachments/{attachment.pk}/"):
        response = client.get(url)
        assert response.status_code == 404 and "Không tìm thấy trang" in text(response)
    assert client.post(f"/products/ideas/{idea.pk}/select/").status_code == 404
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_representative_gets_404_on_another_subject_idea(client_for, area_ideas):
    response = client_for("htx.thienan").get(f"/products/ideas/{area_ideas['si_binh'].pk}/")

    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# The list: search, filters, query count, export
# ---------------------------------------------------------------------------------------------


def test_idea_list_search_without_diacritics(client_for, area_ideas, cycle):
    response = client_for("tinh.backan").get("/products/ideas/", {"q": "mien dong tai hoan", "cycle": cycle.pk})

    assert listed(response) == ["Miến dong Tài Hoan"]


@pytest.mark.parametrize(("params", "names"), [
    ({"unit": "063"}, ["Bánh gai nháp", "Chè Shan tuyết Sĩ Bình", "Miến dong Thiên An"]),
    ({"unit": "01966"}, ["Miến dong Tài Hoan"]),
    ({"status": "draft"}, ["Bánh gai nháp"]),
    ({"product_set": 12}, ["Bánh gai nháp"]),
    ({"subject_kind": "cooperative_group"}, ["Bánh gai nháp"]),
    ({"q": "thien an"}, ["Miến dong Thiên An"]),
])
def test_idea_list_filters(client_for, area_ideas, cycle, params, names):
    IdeaFactory(cycle=cycle, product_name="Bánh gai nháp", product_set=ProductSet.objects.get(number=12),
                subject=SubjectFactory(commune=unit("01849"), kind="cooperative_group", tax_code=""))
    if "unit" in params:
        params = {"unit": unit(params["unit"]).pk}
    if "product_set" in params:
        params = {"product_set": ProductSet.objects.get(number=params["product_set"]).pk}

    response = client_for("tinh.backan").get("/products/ideas/", {"cycle": cycle.pk, "sort": "name", **params})

    assert sorted(listed(response)) == names


def test_idea_list_sorts_by_status_descending(client_for, area_ideas, cycle, users):
    idea_select(idea=area_ideas["si_binh"], by=users["huyen.bachthong"])

    response = client_for("huyen.bachthong").get("/products/ideas/", {"cycle": cycle.pk, "sort": "-status"})

    assert listed(response) == ["Miến dong Thiên An", "Chè Shan tuyết Sĩ Bình"]


@pytest.mark.parametrize("username", ["tinh.backan", "htx.thienan"])
def test_idea_list_query_count_does_not_grow_with_rows(client_for, cycle, thien_an, django_assert_num_queries,
                                                      username):
    client = client_for(username)
    url = f"/products/ideas/?cycle={cycle.pk}"
    IdeaFactory(cycle=cycle, subject=thien_an, attached=True)
    baseline = count_queries(lambda: client.get(url))
    for _ in range(4):
        IdeaAttachmentFactory(idea=IdeaFactory(cycle=cycle, subject=thien_an))

    with django_assert_num_queries(baseline):
        response = client.get(url)

    assert len(listed(response)) == 5


def test_idea_export_holds_the_filtered_ideas(client_for, area_ideas, cycle):
    response = client_for("tinh.backan").get("/products/ideas/export/", {"cycle": cycle.pk, "unit": unit("063").pk,
                                                                       "sort": "name"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Ý tưởng sản phẩm"
    assert rows[0][:9] == ["STT", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Bộ sản phẩm", "Xã", "Huyện",
                           "Chu trình", "Trạng thái"]
    set_7 = str(ProductSet.objects.get(number=7))
    assert [row[:9] for row in rows[1:]] == [
        [1, "Chè Shan tuyết Sĩ Bình", area_ideas["si_binh"].subject.name, "Hợp tác xã", set_7, "Sĩ Bình",
         "Bạch Thông", 2025, "Đã gửi xét chọn"],
        [2, "Miến dong Thiên An", "Hợp tác xã Thiên An", "Hợp tác xã", set_7, "Vi Hương", "Bạch Thông", 2025,
         "Đã gửi xét chọn"],
    ]
    assert rows[1][-1] == 1


# ---------------------------------------------------------------------------------------------
# The registration form
# ---------------------------------------------------------------------------------------------


def test_idea_create_page_offers_the_latest_cycle_and_the_area_communes(client_for, cycle):
    response = client_for("huyen.bachthong").get("/products/ideas/new/")
    form = response.context["form"]

    assert form.initial["cycle"] == Cycle.objects.filter(province__code="06").order_by("-year").first().pk
    assert sorted(form.fields["commune"].queryset.values_list("code", flat=True)) == [
        "01840", "01843", "01846", "01849", "01852", "01855", "01858", "01861", "01864", "01867", "01870",
        "01873", "01876", "01879"]
    assert "Phiếu đăng ký ý tưởng sản phẩm" in text(response)
    assert 'hx-get="/products/ideas/subject-search/"' in text(response)
    assert '<optgroup label="Đồ uống">' in text(response)


def test_idea_create_saves_a_draft_with_its_files(client_for, cycle, thien_an, users):
    data = form_data(cycle, thien_an, attachments=[SimpleUploadedFile("anh.png", png_bytes()),
                                                   SimpleUploadedFile("phieu.pdf", TINY_PDF)])

    response = client_for("huyen.bachthong").post("/products/ideas/new/", data, follow=True)

    idea = ProductIdea.objects.get(product_name="Miến dong Vi Hương")
    assert (idea.status, idea.subject, idea.created_by, idea.local_material_share) == (
        IdeaStatus.DRAFT, thien_an, users["huyen.bachthong"], 80)
    assert sorted(idea.attachments.values_list("original_name", "file_type")) == [("anh.png", "png"),
                                                                                   ("phieu.pdf", "pdf")]
    assert response.redirect_chain[-1][0] == f"/products/ideas/{idea.pk}/"
    assert "Đã đăng ký ý tưởng dưới dạng bản nháp." in text(response)


def test_idea_create_sent_twice_with_the_same_token_registers_one_idea(client_for, cycle, thien_an):
    client = client_for("huyen.bachthong")
    data = form_data(cycle, thien_an)

    client.post("/products/ideas/new/", data)
    response = client.post("/products/ideas/new/", data, follow=True)

    idea = ProductIdea.objects.get(product_name="Miến dong Vi Hương")
    assert response.redirect_chain[-1][0] == f"/products/ideas/{idea.pk}/"
    assert "Phiếu này đã được gửi trước đó; ý tưởng chỉ được đăng ký một lần." in text(response)


@pytest.mark.parametrize(("upload", "message"), [
    (lambda: SimpleUploadedFile("ho-so.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)),
     "Tệp “ho-so.pdf” có dung lượng 30,0\xa0MB, vượt quá giới hạn 20,0\xa0MB."),
    (lambda: SimpleUploadedFile("phieu-dang-ky.pdf", EXE_BYTES),
     "Tệp “phieu-dang-ky.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX."),
])
def test_idea_create_with_a_refused_file_keeps_the_draft_and_what_was_typed(client_for, cycle, thien_an, upload,
                                                                            message):
    data = form_data(cycle, thien_an, market_notes="Chợ phiên Phủ Thông",
                     attachments=[SimpleUploadedFile("anh.png", png_bytes()), upload()])

    response = client_for("huyen.bachthong").post("/products/ideas/new/", data)

    page = text(response)
    idea = ProductIdea.objects.get(product_name="Miến dong Vi Hương")
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [message]
    assert re.search(r'id="error_\d+_id_attachments"[^>]*>\s*<strong>' + re.escape(message), page)
    assert 'value="Chợ phiên Phủ Thông"' in page
    assert f'action="/products/ideas/{idea.pk}/edit/"' in page
    assert f'name="version" value="{idea.version}"' in page
    assert list(idea.attachments.values_list("original_name", flat=True)) == ["anh.png"]


def test_idea_create_with_a_bad_tax_code_for_the_new_subject_saves_nothing(client_for, cycle):
    data = form_data(cycle, None, new_subject_name="Hợp tác xã Nông sản Vi Hương", new_subject_kind="cooperative",
                     new_subject_tax_code="47006", new_subject_legal_representative="Hoàng Văn Nông")

    response = client_for("huyen.bachthong").post("/products/ideas/new/", data)

    assert response.context["form"].errors == {"new_subject_tax_code": [
        "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh "
        "(ví dụ 4700123456-001)."]}
    assert '<details class="mt-2 border rounded p-2" open' in text(response)
    assert 'value="Hợp tác xã Nông sản Vi Hương"' in text(response)
    assert ProductIdea.objects.filter(cycle=cycle).count() == 0
    assert Subject.objects.filter(name="Hợp tác xã Nông sản Vi Hương").count() == 0


def test_idea_create_with_a_taken_tax_code_for_the_new_subject_says_so(client_for, cycle, thien_an):
    data = form_data(cycle, None, new_subject_name="HTX Trùng mã", new_subject_kind="cooperative",
                     new_subject_tax_code=thien_an.tax_code, new_subject_legal_representative="Hoàng Văn Nông")

    response = client_for("huyen.bachthong").post("/products/ideas/new/", data)

    assert response.context["form"].errors == {"new_subject_tax_code": ["Mã số thuế này đã thuộc về chủ thể khác."]}
    assert ProductIdea.objects.filter(cycle=cycle).count() == 0


def test_idea_create_registers_the_new_subject_inline(client_for, cycle, users):
    data = form_data(cycle, None, new_subject_name="Hợp tác xã Nông sản Vi Hương", new_subject_kind="cooperative",
                     new_subject_tax_code="4700 888 777", new_subject_legal_representative="Hoàng Văn Nông")

    client_for("huyen.bachthong").post("/products/ideas/new/", data)

    subject = Subject.objects.get(name="Hợp tác xã Nông sản Vi Hương")
    assert (subject.tax_code, subject.commune.code, subject.created_by) == ("4700888777", "01843",
                                                                           users["huyen.bachthong"])
    assert ProductIdea.objects.get(cycle=cycle).subject == subject


def test_idea_create_without_a_subject_asks_for_one(client_for, cycle):
    response = client_for("huyen.bachthong").post("/products/ideas/new/", form_data(cycle, None))

    assert response.context["form"].errors == {
        "subject_search": ["Hãy chọn chủ thể trong kết quả tìm kiếm, hoặc đăng ký chủ thể mới."]}


def test_idea_create_with_another_district_subject_is_refused(client_for, cycle):
    outsider = SubjectFactory(commune=unit("01966"))

    response = client_for("huyen.bachthong").post("/products/ideas/new/", form_data(cycle, outsider))

    assert response.context["form"].errors["subject"] == ["Chủ thể này không thuộc địa bàn của bạn."]
    assert "Chủ thể này không thuộc địa bàn của bạn." in text(response)
    assert ProductIdea.objects.filter(cycle=cycle).count() == 0


def test_idea_create_with_local_share_over_100_shows_the_error_beside_it(client_for, cycle, thien_an):
    response = client_for("huyen.bachthong").post("/products/ideas/new/",
                                                  form_data(cycle, thien_an, local_material_share="150"))

    assert response.context["form"].errors == {"local_material_share": [
        "Tỷ lệ là một số từ 0 đến 100."]}
    assert ProductIdea.objects.filter(cycle=cycle).count() == 0


def test_idea_create_and_submit_incomplete_keeps_the_draft_and_marks_what_is_missing(client_for, cycle, thien_an):
    data = form_data(cycle, thien_an, market="", action="submit")

    response = client_for("huyen.bachthong").post("/products/ideas/new/", data)

    idea = ProductIdea.objects.get(cycle=cycle)
    assert idea.status == IdeaStatus.DRAFT
    assert response.context["form"].errors == {
        "__all__": ["Đã lưu bản nháp nhưng chưa gửi được: hãy bổ sung các mục được đánh dấu."],
        "market": ["Còn thiếu: thị trường chính."],
        "attachments": ["Còn thiếu: ít nhất một ảnh hoặc tài liệu."],
    }


def test_idea_create_and_submit_complete_submits(client_for, cycle, thien_an):
    data = form_data(cycle, thien_an, action="submit", attachments=[SimpleUploadedFile("phieu.pdf", TINY_PDF)])

    response = client_for("huyen.bachthong").post("/products/ideas/new/", data, follow=True)

    assert ProductIdea.objects.get(cycle=cycle).status == IdeaStatus.SUBMITTED
    assert "Đã gửi ý tưởng để xét chọn." in text(response)


def test_idea_edit_after_someone_else_saved_shows_the_conflict_and_keeps_entries(client_for, cycle, thien_an,
                                                                               users):
    idea = IdeaFactory(cycle=cycle, subject=thien_an)
    stale = form_data(cycle, thien_an, version=idea.version, product_name="Miến dong loại đặc biệt")
    stale.pop("form_token")
    client_for("tinh.backan").post(f"/products/ideas/{idea.pk}/edit/",
                                   {**stale, "product_name": "Miến dong loại 1"})

    response = client_for("huyen.bachthong").post(f"/products/ideas/{idea.pk}/edit/", stale)

    assert response.status_code == 409
    assert "Ngô Mai Hương đã lưu ý tưởng này lúc" in text(response)
    assert 'value="Miến dong loại đặc biệt"' in text(response)
    idea.refresh_from_db()
    assert (idea.product_name, idea.version) == ("Miến dong loại 1", 2)


def test_idea_edit_of_a_submitted_idea_is_forbidden(client_for, area_ideas):
    response = client_for("huyen.bachthong").get(f"/products/ideas/{area_ideas['thien_an'].pk}/edit/")

    assert response.status_code == 403


def test_representative_registers_an_idea_for_his_own_subject_only(client_for, cycle, thien_an):
    client = client_for("htx.thienan")
    page = client.get("/products/ideas/new/")
    other = SubjectFactory(commune=unit("01843"))

    refused = client.post("/products/ideas/new/", form_data(cycle, other))
    client.post("/products/ideas/new/", form_data(cycle, thien_an))

    assert page.context["form"].initial["subject"] == thien_an.pk
    assert "new_subject_name" not in page.context["form"].fields
    assert refused.context["form"].errors["subject"] == ["Chủ thể này không thuộc địa bàn của bạn."]
    assert list(ProductIdea.objects.filter(cycle=cycle).values_list("subject__name", flat=True)) == [
        "Hợp tác xã Thiên An"]


def test_subject_search_finds_without_accents_within_the_area(client_for, thien_an):
    found = client_for("huyen.bachthong").get("/products/ideas/subject-search/", {"subject_search": "thien an"})
    elsewhere = client_for("huyen.nari").get("/products/ideas/subject-search/", {"subject_search": "thien an"})

    assert f'data-subject-id="{thien_an.pk}" data-subject-name="Hợp tác xã Thiên An"' in text(found)
    assert "data-subject-id" not in text(elsewhere)
    assert "Không tìm thấy chủ thể." in text(elsewhere)


def test_subject_products_lists_the_subject_products(client_for, demo):
    product = ProductFactory(name="Miến dong Thiên An loại 1")

    response = client_for("huyen.bachthong").get("/products/ideas/subject-products/", {"subject": product.subject_id})

    assert text(response) == (f'<option value="">Sản phẩm mới</option><option value="{product.pk}">'
                              "Miến dong Thiên An loại 1</option>\n")


# ---------------------------------------------------------------------------------------------
# Detail, attachments, screening
# ---------------------------------------------------------------------------------------------


def test_idea_detail_shows_screening_actions_only_to_the_screener(client_for, area_ideas):
    url = f"/products/ideas/{area_ideas['thien_an'].pk}/"

    screener = text(client_for("huyen.bachthong").get(url))
    province = text(client_for("tinh.backan").get(url))

    assert 'data-testid="screening"' in screener and "Trả lại để bổ sung" in screener
    assert 'data-testid="screening"' not in province
    assert "Miến dong Thiên An" in province and "Củ dong riềng trồng tại xã" in province


def test_attachment_download_gives_the_file_under_its_name(client_for, area_ideas):
    attachment = area_ideas["thien_an"].attachments.get()

    response = client_for("huyen.bachthong").get(f"/products/ideas/attachments/{attachment.pk}/")

    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Disposition"] == f'attachment; filename="{attachment.original_name}"'
    assert response["Cache-Control"] == "private, no-store"


def test_image_attachment_is_shown_inline_as_a_thumbnail(client_for, cycle, thien_an):
    idea = IdeaFactory(cycle=cycle, subject=thien_an)
    photo = IdeaAttachmentFactory(idea=idea, file=SimpleUploadedFile("anh.png", png_bytes()), original_name="anh.png",
                                  file_type="png")
    client = client_for("huyen.bachthong")

    page = text(client.get(f"/products/ideas/{idea.pk}/"))
    response = client.get(f"/products/ideas/attachments/{photo.pk}/", {"inline": "1"})

    assert f'<img src="/products/ideas/attachments/{photo.pk}/?inline=1"' in page
    assert (response["Content-Type"], response["Content-Disposition"]) == ("image/png", 'inline; filename="anh.png"')


def test_screener_selects_through_the_page(client_for, area_ideas):
    idea = area_ideas["thien_an"]

    response = client_for("huyen.bachthong").post(f"/products/ideas/{idea.pk}/select/", follow=True)

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SELECTED and idea.product.name == "Miến dong Thiên An"
    assert "Đã chọn ý tưởng. Hãy gửi lên tỉnh cùng các ý tưởng đã chọn khác." in text(response)


def test_province_office_cannot_screen_a_district_idea(client_for, area_ideas):
    idea = area_ideas["thien_an"]

    response = client_for("tinh.backan").post(f"/products/ideas/{idea.pk}/select/")

    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_selecting_twice_tells_the_status_instead_of_failing(client_for, area_ideas):
    client = client_for("huyen.bachthong")
    idea = area_ideas["thien_an"]
    client.post(f"/products/ideas/{idea.pk}/select/")

    response = client.post(f"/products/ideas/{idea.pk}/select/", follow=True)

    assert "Không thể xét chọn ý tưởng đang ở trạng thái “Đã chọn”." in text(response)


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_or_reject_without_reason_shows_the_error_beside_the_reason(client_for, area_ideas, action):
    idea = area_ideas["thien_an"]

    response = client_for("huyen.bachthong").post(f"/products/ideas/{idea.pk}/{action}/", {f"{action}-reason": " "})

    assert response.status_code == 200
    assert re.search(rf'id="error_1_id_{action}-reason"[^>]*>\s*<strong>Hãy nêu lý do: chủ thể sẽ đọc lý do này.',
                     text(response))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_return_edit_resubmit_shows_each_round_in_the_history(client_for, area_ideas, cycle):
    idea = area_ideas["thien_an"]
    officer = client_for("huyen.bachthong")
    officer.post(f"/products/ideas/{idea.pk}/return/", {"return-reason": "Bổ sung ảnh bao bì"})
    idea.refresh_from_db()
    edit = form_data(cycle, idea.subject, version=idea.version, product_name="Miến dong Thiên An",
                     raw_material_source="Dong riềng của 30 hộ")
    edit.pop("form_token")
    officer.post(f"/products/ideas/{idea.pk}/edit/", {**edit, "action": "submit"})

    response = officer.get(f"/products/ideas/{idea.pk}/")

    history = response.context["history"]
    transitions = [(row["round"], row["status_to"], row["entry"].message) for row in history if row["status_to"]]
    assert transitions == [
        (1, "Đã gửi xét chọn", "Đã gửi xét chọn"),
        (1, "Trả lại để bổ sung", "Trả lại để bổ sung: Bổ sung ảnh bao bì"),
        (2, "Đã gửi xét chọn", "Đã gửi lại sau khi bổ sung (lần 2)"),
    ]
    assert "Lần 2" in text(response)
    assert "Nguồn nguyên liệu: Củ dong riềng trồng tại xã → Dong riềng của 30 hộ" in text(response)


def test_submit_from_the_detail_page_lists_what_is_missing(client_for, cycle, thien_an):
    idea = IdeaFactory(cycle=cycle, subject=thien_an, market="", expected_star=None)

    response = client_for("huyen.bachthong").post(f"/products/ideas/{idea.pk}/submit/", follow=True)

    assert ("Chưa gửi được phiếu đăng ký; còn thiếu: thị trường chính, hạng sao dự kiến, "
            "ít nhất một ảnh hoặc tài liệu.") in text(response)


def test_returned_idea_can_be_resubmitted_by_the_representative(client_for, area_ideas, users):
    idea = idea_return(idea=area_ideas["thien_an"], reason="Bổ sung ảnh", by=users["huyen.bachthong"])

    response = client_for("htx.thienan").post(f"/products/ideas/{idea.pk}/submit/", follow=True)

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert "Đã gửi ý tưởng để xét chọn." in text(response)


def test_commune_under_the_province_is_screened_through_the_page_by_the_province_office(client, users,
                                                                                       thai_nguyen):
    commune = unit("19102")
    idea = idea_submit(idea=IdeaFactory(cycle=thai_nguyen["cycle"], subject=SubjectFactory(commune=commune),
                                        commune=commune, attached=True), by=None)
    client.force_login(users["tinh.backan"])
    assert client.post(f"/products/ideas/{idea.pk}/select/").status_code == 404

    client.force_login(thai_nguyen["staff"])
    client.post(f"/products/ideas/{idea.pk}/select/")

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SELECTED


# ---------------------------------------------------------------------------------------------
# Sending, the province's lists
# ---------------------------------------------------------------------------------------------


def test_send_page_sends_the_ticked_selected_ideas(client_for, area_ideas, users, cycle):
    officer = users["huyen.bachthong"]
    for key in ("thien_an", "si_binh"):
        idea_select(idea=area_ideas[key], by=officer)
    client = client_for("huyen.bachthong")
    page = client.get("/products/ideas/send/", {"cycle": cycle.pk})

    response = client.post("/products/ideas/send/", {"cycle": cycle.pk, "ideas": [area_ideas["thien_an"].pk],
                                                     "note": "Đợt 1"}, follow=True)

    sent = IdeaList.objects.get()
    assert [i.product_name for i in page.context["ideas"]] == ["Chè Shan tuyết Sĩ Bình", "Miến dong Thiên An"]
    assert response.redirect_chain[-1][0] == f"/products/ideas/lists/{sent.pk}/"
    assert "Đã gửi danh sách 1 ý tưởng được chọn lên tỉnh." in text(response)
    assert listed(response) == ["Miến dong Thiên An"]
    assert (sent.unit.code, sent.note) == ("063", "Đợt 1")


def test_send_page_without_a_ticked_idea_says_so(client_for, area_ideas, users, cycle):
    idea_select(idea=area_ideas["thien_an"], by=users["huyen.bachthong"])

    response = client_for("huyen.bachthong").post("/products/ideas/send/", {"cycle": cycle.pk})

    assert response.context["form"].errors == {"ideas": ["Hãy đánh dấu ít nhất một ý tưởng đã chọn."]}
    assert IdeaList.objects.count() == 0


def test_send_page_offers_only_the_officer_own_selected_ideas(client_for, area_ideas, users, cycle):
    idea_select(idea=area_ideas["nari"], by=users["huyen.nari"])

    page = client_for("huyen.bachthong").get("/products/ideas/send/", {"cycle": cycle.pk})
    refused = client_for("huyen.bachthong").post("/products/ideas/send/", {"cycle": cycle.pk,
                                                                          "ideas": [area_ideas["nari"].pk]})

    assert page.context["ideas"] == []
    assert refused.context["form"].errors["ideas"] == [
        "Có ý tưởng được đánh dấu không còn gửi được nữa: hãy tải lại trang."]
    assert IdeaList.objects.count() == 0


@pytest.mark.parametrize("username", ["huyen.bachthong", "htx.thienan", "hoidong.1"])
def test_province_lists_are_for_the_province(client_for, cycle, username):
    assert client_for(username).get("/products/ideas/lists/").status_code == 403


def test_province_lists_count_ideas_by_district_and_status(client_for, area_ideas, users, cycle):
    bachthong, nari = users["huyen.bachthong"], users["huyen.nari"]
    ideas_send(ideas=[idea_select(idea=area_ideas["thien_an"], by=bachthong)], by=bachthong)
    idea_return(idea=area_ideas["si_binh"], reason="Bổ sung", by=bachthong)
    ideas_send(ideas=[idea_select(idea=area_ideas["nari"], by=nari)], by=nari)
    IdeaFactory(cycle=cycle, subject=SubjectFactory(commune=unit("01966")), commune=unit("01966"))

    response = client_for("tinh.backan").get("/products/ideas/lists/", {"cycle": cycle.pk})

    rows = [(row["commune__parent__name"], row["statuses"], row["total"], row["lists"])
            for row in response.context["rows"]]
    #          draft, submitted, returned, selected, rejected, sent
    assert rows == [
        ("Bạch Thông", [0, 0, 1, 0, 0, 1], 2, 1),
        ("Na Rì", [1, 0, 0, 0, 0, 1], 2, 1),
    ]
    assert response.context["totals"] == [1, 0, 1, 0, 0, 2]
    assert [(lst.unit.name, lst.idea_count) for lst in response.context["page"].object_list] == [
        ("Bạch Thông", 1), ("Na Rì", 1)]
    assert "Miến dong Thiên An" in text(response) and "Miến dong Tài Hoan" in text(response)


def test_province_lists_query_count_does_not_grow_with_lists(client_for, cycle, users, django_assert_num_queries):
    officer = users["huyen.bachthong"]
    client = client_for("tinh.backan")
    url = f"/products/ideas/lists/?cycle={cycle.pk}"

    def send_one():
        idea = idea_submit(idea=IdeaFactory(cycle=cycle, attached=True), by=None)
        ideas_send(ideas=[idea_select(idea=idea, by=officer)], by=officer)

    send_one()
    baseline = count_queries(lambda: client.get(url))
    for _ in range(3):
        send_one()

    with django_assert_num_queries(baseline):
        response = client.get(url)

    assert response.context["page"].paginator.count == 4


def test_province_lists_export_holds_the_sent_ideas(client_for, area_ideas, users, cycle):
    officer = users["huyen.bachthong"]
    ideas_send(ideas=[idea_select(idea=area_ideas["thien_an"], by=officer)], by=officer)

    response = client_for("tinh.backan").get("/products/ideas/lists/export/", {"cycle": cycle.pk})

    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0] == ["Huyện", "Ngày gửi", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Xã", "Bộ sản phẩm",
                       "Hạng sao dự kiến"]
    assert [row[0] for row in rows[1:]] == ["Bạch Thông"] and rows[1][2:6] == [
        "Miến dong Thiên An", "Hợp tác xã Thiên An", "Hợp tác xã", "Vi Hương"]


def test_idea_list_detail_is_404_for_another_district(client_for, area_ideas, users):
    officer = users["huyen.bachthong"]
    sent = ideas_send(ideas=[idea_select(idea=area_ideas["thien_an"], by=officer)], by=officer)

    assert client_for("huyen.nari").get(f"/products/ideas/lists/{sent.pk}/").status_code == 404
    assert client_for("huyen.bachthong").get(f"/products/ideas/lists/{sent.pk}/").status_code == 200


# ---------------------------------------------------------------------------------------------
# Home panels
# ---------------------------------------------------------------------------------------------


def test_home_panel_shows_the_screener_the_ideas_waiting(client_for, area_ideas, users):
    idea_return(idea=area_ideas["si_binh"], reason="Bổ sung", by=users["huyen.bachthong"])

    page = text(client_for("huyen.bachthong").get("/"))

    assert "1 ý tưởng cần xét chọn" in page
    assert "1 phiếu cần hoàn thiện" in page
    assert re.findall(r'data-testid="ideas-to-screen">.*?</ul>', page, re.S)[0].count("<li>") == 1


def test_home_panel_shows_the_province_step_2_progress(client_for, area_ideas, users, cycle):
    Cycle.objects.filter(province__code="06", year__gt=2025).delete()
    officer = users["huyen.bachthong"]
    ideas_send(ideas=[idea_select(idea=area_ideas["thien_an"], by=officer)], by=officer)

    page = text(client_for("tinh.backan").get("/"))

    assert "Bước 2: nhận đăng ký ý tưởng sản phẩm" in page
    assert "3 ý tưởng đã đăng ký" in page
    assert "Đã nhận danh sách từ 1/2 huyện" in page


def test_home_panel_tells_the_representative_about_a_returned_idea(client_for, area_ideas, users):
    idea_return(idea=area_ideas["thien_an"], reason="Bổ sung ảnh", by=users["huyen.bachthong"])

    page = text(client_for("htx.thienan").get("/"))

    assert "1 phiếu cần hoàn thiện" in page and "Miến dong Thiên An" in page
