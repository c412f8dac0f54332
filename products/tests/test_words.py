"""The words of the product pages (issue 18): the idea form's fields named apart from their fieldsets, the business
plan form's file help only where there is a file to keep, the history in people's words."""
import datetime
import re

import pytest

from products.models import ProductSet
from products.services.dossiers import dossier_set_samples

from .factories import DossierFactory, PlanFactory, PlanIdeaFactory, ProductFactory, thienan_subject, tiny_upload


def texts(pattern: str, html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", found).split()) for found in re.findall(pattern, html, re.S)]


def test_idea_form_names_each_field_apart_from_its_fieldset(client_for):
    page = client_for("huyen.bachthong").get("/products/ideas/new/").content.decode()

    legends = texts(r"<legend[^>]*>(.*?)</legend>", page)
    labels = texts(r'<label[^>]*for="id_[a-z_]+"[^>]*>(.*?)</label>', page)
    assert legends == ["Chủ thể", "Sản phẩm", "Nguyên liệu, thị trường và tiêu chuẩn", "Tiêu chuẩn hiện có",
                       "Nhu cầu hỗ trợ và mục tiêu"]
    assert "Tìm chủ thể" in labels and "Sản phẩm đang có" in labels
    assert not {label.rstrip(" *") for label in labels} & set(legends)


@pytest.fixture
def thienan(users):
    return thienan_subject(users["htx.thienan"])


def test_new_business_plan_form_has_no_current_file_to_keep(client_for, thienan):
    idea = PlanIdeaFactory(subject=thienan, product_name="Trà hoa vàng Thiên An")
    page = client_for("huyen.bachthong").get(f"/products/plans/new/{idea.pk}/").content.decode()
    assert "Tệp phương án (PDF hoặc DOCX)" in page
    assert "giữ nguyên tệp hiện có" not in page


def test_business_plan_edit_offers_to_keep_its_file_only_when_it_has_one(client_for, thienan):
    client = client_for("huyen.bachthong")
    without = PlanFactory(idea=PlanIdeaFactory(subject=thienan, product_name="Trà hoa vàng Thiên An"))
    assert "giữ nguyên tệp hiện có" not in client.get(f"/products/plans/{without.pk}/edit/").content.decode()
    with_file = PlanFactory(idea=PlanIdeaFactory(subject=thienan, product_name="Bánh gio Thiên An"))
    client.post(f"/products/plans/{with_file.pk}/edit/", {
        "summary": "Bản đầu", "received_on": "15/05/2024", "document": tiny_upload("pdf", "phuong-an.pdf")})
    page = client.get(f"/products/plans/{with_file.pk}/edit/").content.decode()
    assert "Để trống nếu giữ nguyên tệp hiện có." in page and "phuong-an.pdf" in page


def test_history_names_fields_by_their_labels_with_dates_choices_yes_no_and_records(client_for, thienan):
    product = ProductFactory(subject=thienan, name="Trà hoa vàng")
    client = client_for("huyen.bachthong")
    client.post(f"/products/{product.pk}/edit/", {
        "name": product.name, "product_set": ProductSet.objects.get(number=12).pk, "description": "",
        "commune": product.commune_id, "has_traceability": "on", "traceability_method": "Tem QR"})
    dossier = DossierFactory(product=product)
    dossier_set_samples(dossier=dossier, samples_received_on=datetime.date(2024, 9, 1), by=None)

    product_page = client.get(product.get_absolute_url()).content.decode()
    dossier_page = client.get(dossier.get_absolute_url()).content.decode()

    changes = texts(r'<li data-testid="audit-change">(.*?)</li>', product_page)
    assert f"Bộ sản phẩm: {product.product_set} → 12. Sản phẩm trà từ thực vật khác" in changes
    assert "Truy xuất nguồn gốc: Không → Có" in changes
    assert "Cách truy xuất: — → Tem QR" in changes
    assert texts(r'<li data-testid="audit-change">(.*?)</li>', dossier_page) == ["Ngày nhận mẫu: — → 01/09/2024"]
    assert "samples_received_on:" not in dossier_page and "2024-09-01" not in dossier_page
    assert "has_traceability:" not in product_page and "product_set_id" not in product_page
