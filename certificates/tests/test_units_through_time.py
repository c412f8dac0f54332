"""Certificates keep the units of their day (issue 16, item 1): a 2019 certificate of a product of Na Rì prints
"Văn Lang, Na Rì, Bắc Kạn"; one of 2026 for the same holder prints the commune and province that stand for Văn
Lang since 01/07/2025."""
import datetime

from certificates.models import Certificate
from certificates.rendering import certificates_for_rendering, render_certificate
from certificates.services import certificate_register
from evaluation.enums import EvaluationLevel
from ocop.tests.utils import pdf_text


def register(product, *, unit, issued_on, number, star=3):
    certificate = certificate_register(
        product=product, star=star, number=number, decision_number="1/QĐ-UBND", decision_date=issued_on,
        signer=f"Chủ tịch UBND tỉnh {unit.name}", level=EvaluationLevel.PROVINCE, issued_on=issued_on,
        issuing_unit=unit, by=None, render=False)
    return certificates_for_rendering(Certificate.objects.filter(pk=certificate.pk)).get()


def test_a_2019_certificate_of_na_ri_keeps_na_ri_and_bac_kan_in_its_pdf(demo_units, van_lang_product):
    certificate = register(van_lang_product, unit=demo_units["06"], issued_on=datetime.date(2019, 10, 1),
                           number="011/2019/GCN-06")
    text = pdf_text(render_certificate(certificate))
    assert "TỈNH BẮC KẠN" in text
    assert "Thôn Nà Làng, Văn Lang, Na Rì, Bắc Kạn" in text


def test_a_2026_certificate_of_a_former_bac_kan_commune_prints_thai_nguyen(demo_units, van_lang_product):
    certificate = register(van_lang_product, unit=demo_units["19"], issued_on=datetime.date(2026, 3, 10),
                           number="012/2026/GCN-19", star=4)
    text = pdf_text(render_certificate(certificate))
    assert "TỈNH THÁI NGUYÊN" in text
    assert "Thôn Nà Làng, Côn Minh, Thái Nguyên" in text
    assert "Bắc Kạn" not in text and "Na Rì" not in text and "Văn Lang" not in text
