"""Certificates of the demo: Bạch Thông 2023 (expired), the 5★ miến dong, one renewed, one revoked, one
ending within 30 days, valid ones."""
import pytest


@pytest.fixture
def certs(demo_full):
    from certificates.models import Certificate

    return {c.product.name: c for c in Certificate.objects.select_related(
        "product__product_set", "subject__commune__parent__parent", "issuing_unit").order_by("issued_on")}
