"""Certificates of the demo: Bạch Thông 2023 (expired), the 5★ miến dong, one renewed, one revoked, one
ending within 30 days, valid ones."""
import pytest


@pytest.fixture
def certs(demo_full):
    from certificates.models import Certificate

    return {c.product.name: c for c in Certificate.objects.select_related(
        "product__product_set", "subject__commune__parent__parent", "issuing_unit").order_by("issued_on")}


@pytest.fixture
def van_lang_product(demo_units):
    """A product of HTX Nà Làng in Văn Lang (Na Rì, Bắc Kạn), whose commune was merged into Côn Minh (Thái Nguyên)
    on 01/07/2025."""
    from products.tests.factories import ProductFactory
    from subjects.tests.factories import SubjectFactory

    subject = SubjectFactory(name="Hợp tác xã Nà Làng", commune=demo_units["01972"], address="Thôn Nà Làng")
    return ProductFactory(subject=subject, name="Miến dong Nà Làng")
