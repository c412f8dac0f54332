"""The recognition decision, its certificates and the council's minutes laid out as Vietnamese administrative
documents (Decree 30/2020/NĐ-CP, Annex I): national motto, the authority's name, number and symbol, place and date,
the signature block from the recorded signer's position, "Nơi nhận:". Read back with pdftotext, word for word."""
import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.rendering import render_certificate
from certificates.services import certificates_issue_for_decision
from ocop.enums import SignerTitle
from ocop.official import document_date, place_and_date, signature_titles
from ocop.tests.utils import pdf_text

from ..documents import decision_pdf, minutes_pdf
from ..services.results import decision_issue, session_finalise
from .test_results import SPREAD_REASON, build_scene


@pytest.fixture
def decided(demo_units):
    """Bắc Kạn's provincial session of 15/10/2024, finalised, and its decision signed by a vice-chair."""
    scene = build_scene(demo_units)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    scene.decision = decision_issue(session=scene.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                                    signer="Phạm Duy Hưng", signer_title=SignerTitle.VICE_CHAIR, by=None)
    return scene


def test_dates_take_a_leading_zero_below_10_and_for_january_and_february():
    assert document_date(datetime.date(2026, 12, 6)) == "ngày 06 tháng 12 năm 2026"
    assert document_date(datetime.date(2024, 6, 18)) == "ngày 18 tháng 6 năm 2024"
    assert document_date(datetime.date(2025, 2, 1)) == "ngày 01 tháng 02 năm 2025"


def test_signature_block_follows_who_signs_and_for_whom():
    assert signature_titles(SignerTitle.VICE_CHAIR, collective=True) == [
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature_titles(SignerTitle.CHAIR, collective=True) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signature_titles(SignerTitle.DEPUTY_MINISTER, collective=False) == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]


def test_decision_is_laid_out_as_an_administrative_document(decided):
    pdf = decision_pdf(decided.decision)
    text = pdf_text(pdf)
    for expected in (
            "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "Số: 2156/QĐ-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
            "Bắc Kạn, ngày 25 tháng 10 năm 2024",
            "QUYẾT ĐỊNH Về việc công nhận sản phẩm đạt chuẩn OCOP Bắc Kạn năm 2024",
            "Căn cứ kết quả đánh giá, phân hạng sản phẩm của Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn "
            "tại phiên họp ngày 15/10/2024",
            "QUYẾT ĐỊNH: Điều 1. Công nhận 3 sản phẩm đạt chuẩn OCOP",
            "Nơi nhận: - Như Điều 3;", "- Lưu: VT.",
            "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Phạm Duy Hưng"):
        assert expected in text, expected
    # The motto and the authority share the top of the first page, the place and date under the motto.
    layout = pdf_text(pdf, layout=True)
    assert "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in layout
    assert "Số: 2156/QĐ-UBND Bắc Kạn, ngày 25 tháng 10 năm 2024" in layout
    assert "1 Miến dong Tài Hoan Hợp tác xã Tài Hoan Côn Minh, Na 4 sao" in layout
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_decision_pdf_is_downloaded_from_its_page(client, decided):
    client.force_login(decided.province_staff)
    page = client.get(decided.decision.get_absolute_url()).content.decode()
    url = reverse("evaluation:decision-pdf", args=[decided.decision.pk])
    assert f'href="{url}"' in page and "Phạm Duy Hưng · Phó Chủ tịch" in page
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="quyet-dinh-2156-QD-UBND.pdf"'
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in pdf_text(response.content)


def test_decision_recorded_without_a_position_prints_its_signer_as_written(decided):
    type(decided.decision).objects.filter(pk=decided.decision.pk).update(signer="Chủ tịch UBND tỉnh Bắc Kạn",
                                                                         signer_title="")
    decided.decision.refresh_from_db()
    text = pdf_text(decision_pdf(decided.decision))
    assert "Chủ tịch UBND tỉnh Bắc Kạn" in text and "KT. CHỦ TỊCH" not in text


def test_decision_refuses_a_position_that_does_not_sign_at_its_level(demo_units):
    from django.core.exceptions import ValidationError

    scene = build_scene(demo_units)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    with pytest.raises(ValidationError) as error:
        decision_issue(session=scene.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                       signer="Phạm Duy Hưng", signer_title=SignerTitle.DEPUTY_MINISTER, by=None)
    assert error.value.message_dict == {"signer_title": ["Chức vụ này không ký quyết định của cấp này."]}


def test_decision_form_offers_the_positions_of_the_level(client, demo_units):
    scene = build_scene(demo_units)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    client.force_login(scene.province_staff)
    page = client.get(reverse("evaluation:decision-create", args=[scene.session.pk])).content.decode()
    assert '<option value="chair">Chủ tịch</option>' in page
    assert '<option value="vice_chair">Phó Chủ tịch</option>' in page and 'value="minister"' not in page


def test_certificate_carries_the_decision_signature_block(decided):
    certificate = certificates_issue_for_decision(decision=decided.decision, by=None, render=False)[0]
    text = pdf_text(render_certificate(certificate))
    for expected in ("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", f"Số: {certificate.number}",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     place_and_date(decided.decision.issuing_unit, certificate.issued_on),
                     "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Phạm Duy Hưng"):
        assert expected in text, expected


def test_minutes_carry_their_number_line_place_and_date(decided):
    text = pdf_text(minutes_pdf(decided.session))
    for expected in ("UBND TỈNH BẮC KẠN HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH BẮC KẠN",
                     "/BB-HĐ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
                     "Bắc Kạn, ngày 15 tháng 10 năm 2024", "BIÊN BẢN"):
        assert expected in text, expected
    assert "Số: /BB-HĐ" in pdf_text(minutes_pdf(decided.session), layout=True)
