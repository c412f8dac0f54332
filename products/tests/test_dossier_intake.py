"""The commune's part of the procedure (1489/2025, 26/2026; the district's under 148): a submitted dossier is
returned for completion with a reason, submitted again (history kept) and checked as complete."""
import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.enums import AuditAction, Role
from ocop.models import AuditEntry
from ocop.tests.utils import count_queries
from products.enums import DossierStatus, EvidenceKind
from products.models import ProductSet
from products.services.dossiers import (
    dossier_check,
    dossier_document_remove,
    dossier_documents_add,
    dossier_return,
    dossier_submit,
    dossiers_send,
)

from .factories import (
    ProductFactory,
    backan_cycle,
    complete_dossier,
    demo_login,
    thainguyen_cycle,
    thienan_commune_officer,
    thienan_subject,
    tiny_upload,
    unit,
)


@pytest.fixture
def commune_officer(demo_units):
    return thienan_commune_officer()


@pytest.fixture
def other_commune_officer(demo_units):
    """The officer of another commune of Thái Nguyên (Côn Minh, formed from Na Rì's communes)."""
    return demo_login("xa.conminh", Role.LOCAL_OFFICER, "19111")


@pytest.fixture
def province_office(demo_units):
    """Thái Nguyên's provincial office, which since 01/07/2025 stands for Bắc Kạn's."""
    return demo_login("tinh.thainguyen", Role.PROVINCE_STAFF, "19")


@pytest.fixture
def dossier(users):
    return complete_dossier(ProductFactory(subject=thienan_subject(users["htx.thienan"]), name="Trà hoa vàng Thiên An",
                                           product_set=ProductSet.objects.get(number=12)), thainguyen_cycle())


@pytest.fixture
def submitted(dossier, users):
    return dossier_submit(dossier=dossier, by=users["htx.thienan"])


def _statuses(dossier) -> list[tuple[str, str, str]]:
    return [(entry.changes["status"][0], entry.changes["status"][1], entry.message)
            for entry in AuditEntry.objects.filter(content_type__model="dossier", object_id=dossier.pk,
                                                   action=AuditAction.TRANSITION).order_by("at", "pk")]


def test_return_reason_is_read_by_the_representative_who_completes_and_resubmits(
        client_for, submitted, commune_officer, users, client):
    client.force_login(commune_officer)
    response = client.post(f"/products/dossiers/{submitted.pk}/return/",
                           {"return-reason": "Thiếu bản gốc phiếu kiểm nghiệm"}, follow=True)
    page = response.content.decode()
    assert "Hồ sơ đã được trả lại cho chủ thể để hoàn thiện." in page
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (DossierStatus.RETURNED, "Thiếu bản gốc phiếu kiểm nghiệm")

    rep = client_for("htx.thienan")
    page = rep.get(submitted.get_absolute_url()).content.decode()
    assert "Trả lại để hoàn thiện" in page
    assert "Thiếu bản gốc phiếu kiểm nghiệm" in page
    assert 'data-testid="upload-form"' in page  # the evidence can be changed again
    added = dossier_documents_add(dossier=submitted, kind=EvidenceKind.TEST_RESULTS, files=[tiny_upload("pdf")],
                                  issued_on=datetime.date(2024, 8, 1), valid_until=datetime.date(2099, 8, 1),
                                  by=users["htx.thienan"])
    assert len(added) == 1
    response = rep.post(f"/products/dossiers/{submitted.pk}/submit/", follow=True)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (DossierStatus.SUBMITTED, "")
    assert "Đã gửi lại sau khi bổ sung (lần 2)" in response.content.decode()
    assert _statuses(submitted) == [
        ("draft", "submitted", "Đã nộp để đánh giá"),
        ("submitted", "returned", "Trả lại để hoàn thiện: Thiếu bản gốc phiếu kiểm nghiệm"),
        ("returned", "submitted", "Đã gửi lại sau khi bổ sung (lần 2)"),
    ]


def test_commune_officer_checks_a_complete_dossier(client, submitted, commune_officer):
    client.force_login(commune_officer)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Tiếp nhận hồ sơ" in page and "Đủ: đánh dấu đã kiểm tra" in page
    response = client.post(f"/products/dossiers/{submitted.pk}/check/", follow=True)
    page = response.content.decode()
    assert "Hồ sơ đã được kiểm tra: đầy đủ, có thể gửi lên tỉnh." in page
    assert "Đã được xã kiểm tra" in page
    submitted.refresh_from_db()
    assert (submitted.status, submitted.checked_by) == (DossierStatus.CHECKED, commune_officer)
    assert _statuses(submitted)[-1] == ("submitted", "checked", "Đã kiểm tra: đầy đủ")
    assert "Tiếp nhận hồ sơ" not in page  # nothing more to receive


def test_a_2024_dossier_goes_to_the_district_and_a_2026_one_to_the_commune_that_stands_for_its_commune(
        submitted, commune_officer, users):
    """Under 148 (Bắc Kạn's 2024 cycle) the district officer receives a dossier of Vi Hương; since 01/07/2025
    (Thái Nguyên's 2026 cycle) the officer of Bạch Thông commune, which Vi Hương was merged into, does, and the
    officer of the dissolved district no longer does."""
    district = users["huyen.bachthong"]
    of_2024 = dossier_submit(dossier=complete_dossier(ProductFactory(
        subject=submitted.product.subject, name="Miến dong Thiên An 2024",
        product_set=ProductSet.objects.get(number=7)), backan_cycle()), by=None)
    assert of_2024.procedure_on == datetime.date(2024, 12, 31)
    with pytest.raises(PermissionDenied):
        dossier_check(dossier=of_2024, by=commune_officer)
    assert dossier_check(dossier=of_2024, by=district).status == DossierStatus.CHECKED

    with pytest.raises(PermissionDenied):
        dossier_check(dossier=submitted, by=district)
    assert dossier_check(dossier=submitted, by=commune_officer).status == DossierStatus.CHECKED


def test_return_without_a_reason_is_refused_beside_the_box(client, submitted, commune_officer):
    client.force_login(commune_officer)
    page = client.post(f"/products/dossiers/{submitted.pk}/return/", {"return-reason": "  "}).content.decode()
    assert "Hãy nêu lý do: chủ thể sẽ đọc lý do này." in page
    with pytest.raises(ValidationError) as error:
        dossier_return(dossier=submitted, reason="", by=commune_officer)
    assert error.value.messages == ["Hãy nêu lý do: chủ thể sẽ đọc lý do này."]
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


def test_a_dossier_not_submitted_cannot_be_returned_or_checked(client, dossier, commune_officer):
    with pytest.raises(ValidationError) as error:
        dossier_return(dossier=dossier, reason="Thiếu ảnh", by=commune_officer)
    assert error.value.messages == ["Không thể trả lại để hoàn thiện hồ sơ đang ở trạng thái “Đang chuẩn bị”."]
    with pytest.raises(ValidationError) as error:
        dossier_check(dossier=dossier, by=commune_officer)
    assert error.value.messages == ["Không thể kiểm tra hồ sơ đang ở trạng thái “Đang chuẩn bị”."]
    client.force_login(commune_officer)
    response = client.post(f"/products/dossiers/{dossier.pk}/check/", follow=True)
    assert ("Hồ sơ đang ở trạng thái “Đang chuẩn bị” không còn có thể trả lại hoặc kiểm tra."
            in response.content.decode())


def test_an_incomplete_dossier_cannot_be_checked(submitted, commune_officer):
    # A licence expires between the submission and the check.
    submitted.documents.filter(kind=EvidenceKind.FOOD_SAFETY_LICENCE).update(valid_until=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        dossier_check(dossier=submitted, by=commune_officer)
    assert error.value.messages == [
        "Hồ sơ chưa đầy đủ; hãy trả lại để hoàn thiện:",
        "Hết hạn: Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (hiệu lực đến 01/01/2020)"]
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


def test_a_submitted_dossier_stays_locked_until_returned(submitted, users):
    with pytest.raises(ValidationError) as error:
        dossier_document_remove(document=submitted.documents.first(), by=users["htx.thienan"])
    assert error.value.messages == ["Hồ sơ đã được nộp; không thể thay đổi các tệp minh chứng."]


def test_officer_of_another_commune_gets_404_and_the_service_refuses(client, submitted, other_commune_officer):
    client.force_login(other_commune_officer)
    assert client.post(f"/products/dossiers/{submitted.pk}/check/").status_code == 404
    assert client.post(f"/products/dossiers/{submitted.pk}/return/", {"return-reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        dossier_check(dossier=submitted, by=other_commune_officer)
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


def test_province_staff_and_representative_cannot_check(client, submitted, province_office, users):
    for user in (province_office, users["htx.thienan"]):
        client.force_login(user)
        page = client.get(submitted.get_absolute_url()).content.decode()
        assert "Tiếp nhận hồ sơ" not in page
        assert client.post(f"/products/dossiers/{submitted.pk}/check/").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Sending the checked dossiers; the lists the province receives, by commune
# ---------------------------------------------------------------------------------------------


def _checked(officer, name: str, commune_code: str = "01843", cycle=None):
    """A complete dossier of a product made in the commune (of Thái Nguyên's 2026 cycle), submitted and checked by
    `officer`."""
    dossier = complete_dossier(
        ProductFactory(name=name, commune=unit(commune_code), product_set=ProductSet.objects.get(number=12)),
        cycle or thainguyen_cycle())
    dossier_submit(dossier=dossier, by=None)
    return dossier_check(dossier=dossier, by=officer)


def test_commune_officer_sends_checked_dossiers_and_the_province_sees_them_by_commune(
        client, client_for, submitted, commune_officer, other_commune_officer, province_office):
    client.force_login(commune_officer)
    client.post(f"/products/dossiers/{submitted.pk}/check/")
    page = client.get("/products/dossiers/send/").content.decode()
    assert "Trà hoa vàng Thiên An" in page
    response = client.post("/products/dossiers/send/", {
        "cycle": submitted.cycle.pk, "dossiers": [submitted.pk], "note": "Đợt 1"}, follow=True)
    page = response.content.decode()
    assert "Danh sách 1 hồ sơ đã kiểm tra đã được gửi lên tỉnh." in page
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SENT
    assert (submitted.sent_list.unit, submitted.sent_list.sent_by) == (unit("19102"), commune_officer)
    assert _statuses(submitted)[-1] == ("checked", "sent", "Đã gửi lên tỉnh trong danh sách của Bạch Thông")

    # The officer of Côn Minh sends a dossier of a product registered in Văn Lang, merged into Côn Minh.
    other = _checked(other_commune_officer, "Miến dong Văn Lang", commune_code="01972")
    dossiers_send(dossiers=[other], by=other_commune_officer)

    client.force_login(province_office)
    page = client.get(f"/products/dossiers/lists/?cycle={submitted.cycle.pk}").content.decode()
    sections = page.split('data-testid="lists-of-unit"')[1:]
    assert [re.search(r'<h2 class="h5">([^<]+)', section).group(1).strip() for section in sections] == [
        "Bạch Thông", "Côn Minh"]
    assert "Miến dong Văn Lang" in sections[1] and "Trà hoa vàng Thiên An" not in sections[1]
    assert "Trà hoa vàng Thiên An" in sections[0] and "Đợt 1" in sections[0]
    assert "1 hồ sơ" in sections[0]

    # The representative sees where his dossier is.
    page = client_for("htx.thienan").get(submitted.get_absolute_url()).content.decode()
    assert "Đã gửi lên tỉnh" in page


def test_a_dossier_not_checked_cannot_be_sent(submitted, commune_officer):
    with pytest.raises(ValidationError) as error:
        dossiers_send(dossiers=[submitted], by=commune_officer)
    assert error.value.messages == [
        "“Trà hoa vàng Thiên An” đang ở trạng thái “Đã nộp để đánh giá”; chỉ hồ sơ đã kiểm tra mới gửi được."]
    with pytest.raises(ValidationError) as error:
        dossiers_send(dossiers=[], by=commune_officer)
    assert error.value.messages == ["Hãy đánh dấu ít nhất một hồ sơ đã kiểm tra."]


def test_an_officer_of_another_commune_cannot_send_nor_see_the_list(
        client, submitted, commune_officer, other_commune_officer, users):
    dossier_check(dossier=submitted, by=commune_officer)
    with pytest.raises(ValidationError) as error:
        dossiers_send(dossiers=[submitted], by=other_commune_officer)
    assert error.value.messages == ["“Trà hoa vàng Thiên An” không thuộc địa bàn của bạn."]
    client.force_login(other_commune_officer)
    assert "Trà hoa vàng Thiên An" not in client.get("/products/dossiers/send/").content.decode()
    response = client.post("/products/dossiers/send/", {"cycle": submitted.cycle.pk, "dossiers": [submitted.pk]})
    assert "Không có hồ sơ đã kiểm tra nào đang chờ gửi." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.CHECKED
    dossiers_send(dossiers=[submitted], by=commune_officer)
    page = client.get(f"/products/dossiers/lists/?cycle={submitted.cycle.pk}").content.decode()
    assert "Trà hoa vàng Thiên An" not in page
    assert "Chưa nhận được danh sách nào trong chu trình này." in page


def test_subject_representative_cannot_open_the_lists(client_for, submitted):
    client = client_for("htx.thienan")
    assert client.get("/products/dossiers/lists/").status_code == 403
    assert client.get("/products/dossiers/send/").status_code == 403


@pytest.mark.parametrize("url", ["/products/dossiers/lists/?cycle={cycle}", "/products/dossiers/send/?cycle={cycle}"])
def test_list_pages_query_count_does_not_grow(client, commune_officer, province_office, url,
                                               django_assert_num_queries):
    cycle = thainguyen_cycle()
    client.force_login(province_office if "lists" in url else commune_officer)
    dossiers = [_checked(commune_officer, "Sản phẩm thử 0")]
    if "lists" in url:
        dossiers_send(dossiers=dossiers, by=commune_officer)
    baseline = count_queries(lambda: client.get(url.format(cycle=cycle.pk)))
    for n in range(1, 4):
        dossier = _checked(commune_officer, f"Sản phẩm thử {n}")
        if "lists" in url:
            dossiers_send(dossiers=[dossier], by=commune_officer)
    with django_assert_num_queries(baseline):
        response = client.get(url.format(cycle=cycle.pk))
    page = response.content.decode()
    assert all(f"Sản phẩm thử {n}" in page for n in range(4))


def test_a_product_of_a_former_commune_opens_its_dossier_in_the_cycle_of_the_province_that_took_over(demo_units):
    """A product registered in Vi Hương (Bắc Kạn, merged into Thái Nguyên on 01/07/2025): its 2026 dossier belongs to
    Thái Nguyên's 2026 cycle; Thái Nguyên's 2024 cycle (when it did not stand for Bắc Kạn) is refused."""
    from products.services.dossiers import dossier_create

    product = ProductFactory(name="Miến dong Vi Hương 2026", commune=unit("01843"))
    assert dossier_create(product=product, cycle=thainguyen_cycle(2026), by=None).cycle.year == 2026
    with pytest.raises(ValidationError) as refused:
        dossier_create(product=product, cycle=thainguyen_cycle(2024), by=None)
    assert refused.value.message_dict == {"cycle": ["Chọn một chu trình của tỉnh nơi sản xuất sản phẩm."]}
