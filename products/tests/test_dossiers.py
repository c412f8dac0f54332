"""Dossiers for evaluation: required evidence per product set and subject, uploads checked by content,
validity dates, completeness before submission, the lock after it, and who may download."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from ocop.enums import Role
from ocop.models import AuditEntry, User
from ocop.tests.utils import count_queries
from products.enums import DossierStatus, EvidenceKind
from products.models import Dossier, DossierDocument, ProductSet
from products.services.dossiers import (
    dossier_completeness,
    dossier_create,
    dossier_document_remove,
    dossier_documents_add,
    dossier_required_kinds,
    dossier_submit,
)
from subjects.enums import SubjectKind
from subjects.services import subject_representative_add

from .factories import (
    DossierDocumentFactory,
    DossierFactory,
    ProductFactory,
    ProductSubjectFactory,
    backan_cycle,
    oversized_upload,
    thienan_subject,
    tiny_upload,
)

ALWAYS = [
    EvidenceKind.REGISTRATION_FORM, EvidenceKind.SELF_ASSESSMENT, EvidenceKind.BUSINESS_PLAN,
    EvidenceKind.ORGANISATION,
]
FOOD = [
    EvidenceKind.FOOD_SAFETY_LICENCE, EvidenceKind.QUALITY_DECLARATION, EvidenceKind.TEST_RESULTS,
    EvidenceKind.RAW_MATERIAL_ORIGIN,
]


@pytest.fixture
def thienan(users):
    return thienan_subject(users["htx.thienan"])


@pytest.fixture
def dossier(thienan):
    product = ProductFactory(subject=thienan, name="Trà hoa vàng Thiên An",
                             product_set=ProductSet.objects.get(number=12))
    return DossierFactory(product=product, cycle=backan_cycle())


def _complete(dossier, *, except_kinds=()):
    for kind in dossier_required_kinds(dossier):
        if kind not in except_kinds:
            DossierDocumentFactory(dossier=dossier, kind=kind)
    dossier.samples_received_on = datetime.date(2024, 8, 20)
    dossier.save()


def _dossier_for(set_number: int, subject_kind: str = SubjectKind.COOPERATIVE) -> Dossier:
    group = subject_kind == SubjectKind.COOPERATIVE_GROUP
    subject = ProductSubjectFactory(kind=subject_kind, **({"tax_code": ""} if group else {}))
    product_set = ProductSet.objects.get(number=set_number)
    return DossierFactory(product=ProductFactory(subject=subject, product_set=product_set))


# ---------------------------------------------------------------------------------------------
# Which evidence is required
# ---------------------------------------------------------------------------------------------


def test_required_kinds_food_set_include_food_safety_evidence(demo_units):
    dossier = _dossier_for(7)
    assert dossier_required_kinds(dossier) == [
        *ALWAYS, EvidenceKind.BUSINESS_REGISTRATION, *FOOD, EvidenceKind.PRODUCT_STORY]
    assert "Chưa nhận 5 mẫu sản phẩm" in dossier_completeness(dossier)


def test_required_kinds_craft_set_21_leave_out_food_safety_evidence(demo_units):
    dossier = _dossier_for(21)
    assert dossier_required_kinds(dossier) == [*ALWAYS, EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.PRODUCT_STORY]
    assert "Chưa nhận 5 mẫu sản phẩm" in dossier_completeness(dossier)


def test_required_kinds_tourism_set_26_need_no_samples(demo_units):
    dossier = _dossier_for(26)
    assert dossier_required_kinds(dossier) == [*ALWAYS, EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.PRODUCT_STORY]
    assert dossier_completeness(dossier) == [
        "Thiếu: Phiếu đăng ký sản phẩm", "Thiếu: Phiếu tự đánh giá theo bộ tiêu chí",
        "Thiếu: Phương án sản xuất kinh doanh", "Thiếu: Bản mô tả tổ chức sản xuất, kinh doanh",
        "Thiếu: Giấy đăng ký kinh doanh", "Thiếu: Câu chuyện sản phẩm",
    ]


def test_required_kinds_cooperative_group_leave_out_business_registration(demo_units):
    dossier = _dossier_for(11, SubjectKind.COOPERATIVE_GROUP)
    assert EvidenceKind.BUSINESS_REGISTRATION not in dossier_required_kinds(dossier)
    assert dossier_required_kinds(dossier) == [*ALWAYS, *FOOD, EvidenceKind.PRODUCT_STORY]


def test_completeness_is_empty_when_every_item_is_there(dossier):
    _complete(dossier)
    assert dossier_completeness(dossier) == []


# ---------------------------------------------------------------------------------------------
# Validity dates
# ---------------------------------------------------------------------------------------------


def test_completeness_flags_an_expired_licence(dossier):
    _complete(dossier, except_kinds=[EvidenceKind.FOOD_SAFETY_LICENCE])
    DossierDocumentFactory(dossier=dossier, kind=EvidenceKind.FOOD_SAFETY_LICENCE,
                           issued_on=datetime.date(2021, 3, 1), valid_until=datetime.date(2024, 2, 29))
    assert dossier_completeness(dossier) == [
        "Hết hạn: Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (hiệu lực đến 29/02/2024)"]


def test_completeness_counts_a_valid_licence_beside_an_expired_one(dossier):
    _complete(dossier)
    DossierDocumentFactory(dossier=dossier, kind=EvidenceKind.TEST_RESULTS,
                           issued_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1))
    assert dossier_completeness(dossier) == []


def test_licence_upload_without_dates_is_refused(dossier, users):
    with pytest.raises(ValidationError) as error:
        dossier_documents_add(dossier=dossier, kind=EvidenceKind.FOOD_SAFETY_LICENCE, files=[tiny_upload("pdf")],
                              by=users["huyen.bachthong"])
    assert error.value.message_dict == {
        "issued_on": ["Giấy phép hoặc kết quả kiểm nghiệm cần có ngày cấp."],
        "valid_until": ["Giấy phép hoặc kết quả kiểm nghiệm cần có ngày hết hiệu lực."],
    }
    assert dossier.documents.count() == 0


def test_validity_ending_before_issue_is_refused(dossier, users):
    with pytest.raises(ValidationError) as error:
        dossier_documents_add(dossier=dossier, kind=EvidenceKind.TEST_RESULTS, files=[tiny_upload("pdf")],
                              issued_on=datetime.date(2024, 5, 1), valid_until=datetime.date(2024, 4, 1),
                              by=users["huyen.bachthong"])
    assert error.value.message_dict == {"valid_until": ["Ngày hết hiệu lực không được trước ngày cấp."]}


# ---------------------------------------------------------------------------------------------
# Uploads checked by content
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "jpeg", "png", "docx", "xlsx"])
def test_upload_of_a_real_file_is_accepted_by_its_content(dossier, users, kind):
    documents = dossier_documents_add(dossier=dossier, kind=EvidenceKind.PRODUCT_STORY, files=[tiny_upload(kind)],
                                      by=users["huyen.bachthong"])
    stored = DossierDocument.objects.get(pk=documents[0].pk)
    assert (stored.file_type, stored.kind, stored.uploaded_by) == (kind, "product_story", users["huyen.bachthong"])
    assert stored.file.name.startswith("private/dossiers/")


def test_upload_of_an_exe_renamed_pdf_is_refused(dossier, users):
    with pytest.raises(ValidationError) as error:
        dossier_documents_add(dossier=dossier, kind=EvidenceKind.PRODUCT_STORY,
                              files=[tiny_upload("exe", name="cau-chuyen.pdf")], by=users["huyen.bachthong"])
    assert error.value.message_dict == {"files": [
        "Tệp “cau-chuyen.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX."]}
    assert dossier.documents.count() == 0


def test_upload_one_byte_over_20_mb_is_refused(dossier, users, tmp_path):
    big = oversized_upload(tmp_path / "big.pdf")
    try:
        with pytest.raises(ValidationError) as error:
            dossier_documents_add(dossier=dossier, kind=EvidenceKind.ORGANISATION, files=[big],
                                  by=users["huyen.bachthong"])
    finally:
        big.close()
    assert error.value.message_dict == {
        "files": ["Tệp “ho-so-lon.pdf” có dung lượng 20,0\xa0MB, vượt quá giới hạn 20,0\xa0MB."]}
    assert dossier.documents.count() == 0


def test_several_files_with_one_refused_store_none(dossier, users, settings):
    with pytest.raises(ValidationError):
        dossier_documents_add(dossier=dossier, kind=EvidenceKind.AWARDS,
                              files=[tiny_upload("pdf"), tiny_upload("exe", name="giai-thuong.pdf")],
                              by=users["huyen.bachthong"])
    assert dossier.documents.count() == 0
    assert not (settings.MEDIA_ROOT / "private" / "dossiers").exists()


def test_upload_form_sends_several_files_at_once(client_for, dossier):
    client = client_for("htx.thienan")
    response = client.post(f"/products/dossiers/{dossier.pk}/documents/", {
        "kind": "awards", "title": "Giải thưởng 2023",
        "files": [tiny_upload("pdf", "bang-khen.pdf"), tiny_upload("jpeg", "anh-giai.jpg"), tiny_upload("png")],
    })
    assert response.status_code == 302
    assert sorted(dossier.documents.values_list("original_name", "file_type")) == [
        ("anh-giai.jpg", "jpeg"), ("bang-khen.pdf", "pdf"), ("tep.png", "png")]
    entry = AuditEntry.objects.filter(content_type__model="dossier", object_id=dossier.pk).first()
    assert entry.message == "Đã thêm 3 tệp: Giải thưởng"


def test_failed_upload_shows_the_error_and_keeps_everything_else(client_for, dossier, tmp_path):
    DossierDocumentFactory(dossier=dossier, kind=EvidenceKind.REGISTRATION_FORM, original_name="phieu-dang-ky.pdf")
    client = client_for("huyen.bachthong")
    response = client.post(f"/products/dossiers/{dossier.pk}/documents/", {
        "kind": "test_results", "title": "Kết quả kiểm nghiệm lô 3", "issued_on": "02/01/2024",
        "valid_until": "01/01/2025", "files": [tiny_upload("exe", name="kiem-nghiem.pdf")],
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp “kiem-nghiem.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX." in page
    assert 'value="Kết quả kiểm nghiệm lô 3"' in page and 'value="02/01/2024"' in page
    assert '<option value="test_results" selected>' in page
    assert "phieu-dang-ky.pdf" in page
    assert list(dossier.documents.values_list("original_name", flat=True)) == ["phieu-dang-ky.pdf"]


def test_too_big_upload_through_the_page_shows_the_error(client_for, dossier, tmp_path):
    big = oversized_upload(tmp_path / "big.pdf")
    with open(big.file.name, "rb") as handle:
        response = client_for("huyen.bachthong").post(
            f"/products/dossiers/{dossier.pk}/documents/", {"kind": "organisation", "files": [handle]})
    big.close()
    assert "Tệp “big.pdf” có dung lượng 20,0\xa0MB, vượt quá giới hạn 20,0\xa0MB." in response.content.decode()
    assert dossier.documents.count() == 0


# ---------------------------------------------------------------------------------------------
# Submission and the lock
# ---------------------------------------------------------------------------------------------


def test_submitting_an_incomplete_dossier_lists_what_is_missing(client_for, dossier):
    _complete(dossier, except_kinds=[EvidenceKind.TEST_RESULTS, EvidenceKind.PRODUCT_STORY])
    dossier.samples_received_on = None
    dossier.save()
    response = client_for("huyen.bachthong").post(f"/products/dossiers/{dossier.pk}/submit/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chưa thể nộp hồ sơ:" in page
    for message in ["Thiếu: Phiếu kết quả kiểm nghiệm", "Thiếu: Câu chuyện sản phẩm", "Chưa nhận 5 mẫu sản phẩm"]:
        assert f"<li>{message}</li>" in page
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_submit_service_refuses_an_incomplete_dossier_with_the_list(dossier, users):
    _complete(dossier, except_kinds=[EvidenceKind.BUSINESS_REGISTRATION])
    with pytest.raises(ValidationError) as error:
        dossier_submit(dossier=dossier, by=users["huyen.bachthong"])
    assert error.value.messages == ["Thiếu: Giấy đăng ký kinh doanh"]


def test_submitting_a_complete_dossier_locks_it(client_for, dossier, users):
    _complete(dossier)
    client = client_for("huyen.bachthong")
    response = client.post(f"/products/dossiers/{dossier.pk}/submit/")
    dossier.refresh_from_db()
    assert response.status_code == 302
    assert (dossier.status, dossier.submitted_by) == (DossierStatus.SUBMITTED, users["huyen.bachthong"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Đã nộp để đánh giá" in page and 'data-testid="dossier-locked"' in page
    assert 'data-testid="upload-form"' not in page


def test_submitted_dossier_refuses_uploads_and_removals(client_for, dossier, users):
    _complete(dossier)
    dossier_submit(dossier=dossier, by=users["huyen.bachthong"])
    document = dossier.documents.first()
    with pytest.raises(ValidationError) as error:
        dossier_documents_add(dossier=dossier, kind=EvidenceKind.AWARDS, files=[tiny_upload("pdf")],
                              by=users["huyen.bachthong"])
    assert error.value.messages == ["Hồ sơ đã được nộp; không thể thay đổi các tệp minh chứng."]
    with pytest.raises(ValidationError):
        dossier_document_remove(document=document, by=users["huyen.bachthong"])
    client = client_for("huyen.bachthong")
    client.post(f"/products/dossiers/{dossier.pk}/documents/", {"kind": "awards", "files": [tiny_upload("pdf")]})
    response = client.post(f"/products/dossiers/documents/{document.pk}/delete/", follow=True)
    assert "Hồ sơ đã được nộp; không thể thay đổi các tệp minh chứng." in response.content.decode()
    assert dossier.documents.count() == len(dossier_required_kinds(dossier))


def test_removing_a_document_is_audited(client_for, dossier, users):
    document = DossierDocumentFactory(dossier=dossier, kind=EvidenceKind.AWARDS, original_name="bang-khen.pdf")
    response = client_for("htx.thienan").post(f"/products/dossiers/documents/{document.pk}/delete/")
    assert response.status_code == 302
    assert not dossier.documents.exists()
    entry = AuditEntry.objects.filter(content_type__model="dossier", object_id=dossier.pk).first()
    assert (entry.actor, entry.message, entry.changes) == (
        users["htx.thienan"], "Đã gỡ một tệp: Giải thưởng", {"documents": ["bang-khen.pdf", None]})


def test_samples_date_is_recorded_and_audited(client_for, dossier):
    client = client_for("huyen.bachthong")
    client.post(f"/products/dossiers/{dossier.pk}/samples/", {"samples_received_on": "20/08/2024"})
    dossier.refresh_from_db()
    assert dossier.samples_received_on == datetime.date(2024, 8, 20)
    assert "Chưa nhận 5 mẫu sản phẩm" not in dossier_completeness(dossier)


# ---------------------------------------------------------------------------------------------
# Opening a dossier
# ---------------------------------------------------------------------------------------------


def test_dossier_is_opened_for_a_cycle_of_the_products_province(client_for, thienan):
    product = ProductFactory(subject=thienan)
    cycle = backan_cycle()
    response = client_for("huyen.bachthong").post(f"/products/dossiers/new/{product.pk}/", {"cycle": cycle.pk})
    dossier = Dossier.objects.get(product=product)
    assert response["Location"] == dossier.get_absolute_url()
    assert (dossier.cycle, dossier.status) == (cycle, DossierStatus.DRAFT)


def test_second_dossier_in_the_same_cycle_is_refused_with_a_message(client_for, dossier):
    response = client_for("huyen.bachthong").post(
        f"/products/dossiers/new/{dossier.product.pk}/", {"cycle": dossier.cycle.pk})
    assert response.status_code == 200
    assert "Sản phẩm này đã có hồ sơ trong chu trình này." in response.content.decode()
    assert Dossier.objects.filter(product=dossier.product).count() == 1


def test_dossier_for_a_cycle_of_another_province_is_refused(dossier, demo_units, users):
    from ocop.models import Cycle

    other = Cycle.objects.create(province=demo_units["36"], year=2030, name="OCOP Nam Định 2030")
    with pytest.raises(ValidationError) as error:
        dossier_create(product=dossier.product, cycle=other, by=users["huyen.bachthong"])
    assert error.value.message_dict == {"cycle": ["Chọn một chu trình của tỉnh nơi sản xuất sản phẩm."]}


# ---------------------------------------------------------------------------------------------
# Who may see and download
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "status"), [
    ("huyen.bachthong", 200), ("tinh.backan", 200), ("htx.thienan", 200), ("huyen.nari", 404),
])
def test_document_download_follows_the_dossiers_scope(client_for, dossier, username, status):
    document = DossierDocumentFactory(dossier=dossier, original_name="phieu-dang-ky.pdf")
    response = client_for(username).get(f"/products/dossiers/documents/{document.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="phieu-dang-ky.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_subjects_representative_gets_404_on_a_document(client, dossier):
    other_rep = User.objects.create_user(username="htx.khac", role=Role.SUBJECT_REP)
    subject_representative_add(subject=ProductSubjectFactory(), user=other_rep, by=None)
    document = DossierDocumentFactory(dossier=dossier)
    client.force_login(other_rep)
    assert client.get(f"/products/dossiers/documents/{document.pk}/").status_code == 404
    assert client.get(dossier.get_absolute_url()).status_code == 404


def test_anonymous_download_goes_to_login(client, dossier):
    document = DossierDocumentFactory(dossier=dossier)
    response = client.get(f"/products/dossiers/documents/{document.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/products/dossiers/documents/{document.pk}/"


def test_dossier_of_another_district_is_404(client_for, dossier):
    client = client_for("huyen.nari")
    assert client.get(dossier.get_absolute_url()).status_code == 404
    assert client.post(f"/products/dossiers/{dossier.pk}/submit/").status_code == 404


def test_dossier_list_holds_the_users_area_only(client_for, dossier, demo_units):
    na_ri_subject = ProductSubjectFactory(commune=demo_units["01963"])
    na_ri = DossierFactory(product=ProductFactory(subject=na_ri_subject, name="Miến dong Côn Minh thử nghiệm"))
    bach_thong_page = client_for("huyen.bachthong").get("/products/dossiers/").content.decode()
    assert "Trà hoa vàng Thiên An" in bach_thong_page and "Miến dong Côn Minh thử nghiệm" not in bach_thong_page
    na_ri_page = client_for("huyen.nari").get("/products/dossiers/").content.decode()
    assert na_ri.product.name in na_ri_page and "Trà hoa vàng Thiên An" not in na_ri_page


# ---------------------------------------------------------------------------------------------
# The dossier page
# ---------------------------------------------------------------------------------------------


def test_dossier_page_groups_documents_by_kind_with_a_checklist(client_for, dossier):
    for _ in range(3):
        DossierDocumentFactory(dossier=dossier, kind=EvidenceKind.REGISTRATION_FORM)
    DossierDocumentFactory(dossier=dossier, kind=EvidenceKind.TEST_RESULTS,
                           issued_on=datetime.date(2022, 1, 1), valid_until=datetime.date(2023, 1, 1))
    page = client_for("huyen.bachthong").get(dossier.get_absolute_url()).content.decode()
    assert "4 tài liệu" in page
    assert page.count('data-testid="group-count"') == 2
    assert 'data-kind="registration_form" data-done="1"' in page
    assert 'data-kind="test_results" data-done="0"' in page
    assert 'data-kind="business_plan" data-done="0"' in page
    assert 'data-kind="samples" data-done="0"' in page
    assert '<span class="badge text-bg-danger">đã hết hạn</span>' in page


def test_dossier_page_query_count_does_not_grow_with_documents(client_for, dossier, django_assert_num_queries):
    client = client_for("huyen.bachthong")
    DossierDocumentFactory(dossier=dossier)
    one = count_queries(lambda: client.get(dossier.get_absolute_url()))
    kinds = list(EvidenceKind.values)
    for i in range(29):
        DossierDocumentFactory(dossier=dossier, kind=kinds[i % len(kinds)])
    with django_assert_num_queries(one):
        page = client.get(dossier.get_absolute_url()).content.decode()
    assert "30 tài liệu" in page


def test_dossier_page_query_count_is_the_same_for_the_representative(client_for, dossier, django_assert_num_queries):
    client = client_for("htx.thienan")
    DossierDocumentFactory(dossier=dossier)
    one = count_queries(lambda: client.get(dossier.get_absolute_url()))
    DossierDocumentFactory.create_batch(29, dossier=dossier, kind=EvidenceKind.OTHER)
    with django_assert_num_queries(one):
        client.get(dossier.get_absolute_url())


def test_dossier_list_query_count_does_not_grow(client_for, thienan, django_assert_num_queries):
    client = client_for("huyen.bachthong")
    DossierFactory(product=ProductFactory(subject=thienan, name="Hồ sơ thử A"))
    one = count_queries(lambda: client.get("/products/dossiers/?q=ho so thu"))
    for name in ["Hồ sơ thử B", "Hồ sơ thử C", "Hồ sơ thử D"]:
        DossierDocumentFactory(dossier=DossierFactory(product=ProductFactory(subject=thienan, name=name)))
    with django_assert_num_queries(one):
        page = client.get("/products/dossiers/?q=ho so thu").content.decode()
    assert page.count("Hồ sơ thử ") == 4


def test_dossier_export_lists_the_filtered_dossiers(client_for, dossier):
    from io import BytesIO

    from openpyxl import load_workbook

    DossierDocumentFactory(dossier=dossier)
    response = client_for("huyen.bachthong").get("/products/dossiers/export/?q=tra hoa vang thien an")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("Sản phẩm", "Chủ thể", "Bộ sản phẩm", "Xã", "Năm", "Trạng thái", "Tài liệu")
    assert rows[1][:7] == ("Trà hoa vàng Thiên An", "Hợp tác xã Thiên An", str(dossier.product.product_set), "Vi Hương",
                           2024, "Đang chuẩn bị", 1)
    assert len(rows) == 2
