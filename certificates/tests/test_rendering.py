"""The certificate PDF: Vietnamese text exactly as entered, one file per certificate from a batch, stored
once and rendered again when what it shows changes, and a QR code that holds the verification address."""
import base64
import io

import qrcode
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.rendering import (
    certificate_context,
    certificate_pdf,
    certificates_render,
    qr_data_uri,
    render_batch,
    render_certificate,
)
from certificates.services import certificate_revoke
from ocop.tests.utils import pdf_text


def test_certificate_text_extracts_with_exact_diacritics(certs):
    certificate = certs["Thảo dược ngâm chân Thiên An"]
    pdf = render_certificate(certificate)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pdf_text(pdf)
    for expected in ("ỦY BAN NHÂN DÂN", "TỈNH BẮC KẠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc",
                     "GIẤY CHỨNG NHẬN", "Thảo dược ngâm chân Thiên An", "Hạng 3 sao", "Hợp tác xã Thiên An",
                     "Thôn Bản Cảu, Vi Hương, Bạch Thông, Bắc Kạn", "Tinh dầu và dược liệu khác",
                     f"Số: {certificate.number}",
                     f"từ ngày {certificate.issued_on:%d/%m/%Y} đến ngày {certificate.valid_until:%d/%m/%Y}",
                     "Chủ tịch UBND tỉnh Bắc Kạn"):
        assert expected in text, expected


def test_central_certificate_names_the_ministry(certs):
    text = pdf_text(render_certificate(certs["Miến dong Tài Hoan"]))
    assert "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in text
    assert "Hạng 5 sao" in text and "Hợp tác xã Tài Hoan" in text and "Hà Nội, ngày 18 tháng 6 năm 2024" in text


def test_a_batch_becomes_one_file_per_certificate_each_with_its_own_text(certs):
    chosen = [certs["Miến dong Tài Hoan"], certs["Chè Bản Dao"], certs["Phục dưỡng hoa"]]
    chosen = [c for c in chosen if c.superseded_by_id is None]
    pdfs = render_batch([certificate_context(c) for c in chosen])
    assert len(pdfs) == len(chosen) == 3
    for certificate, pdf in zip(chosen, pdfs, strict=True):
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
        text = pdf_text(pdf)
        assert certificate.product.name in text and certificate.number in text
        assert all(other.number not in text for other in chosen if other is not certificate)


def test_stored_pdf_is_reused_until_what_it_shows_changes(certs):
    certificate = certs["Phục dưỡng hoa"]
    first = certificate_pdf(certificate)
    certificate.refresh_from_db()
    stored_name = certificate.pdf.name
    assert certificate_pdf(certificate) == first  # the stored file, not a new rendering
    certificate_revoke(certificate=certificate, ground="food_safety", reason="Vi phạm an toàn thực phẩm",
                       decision_number="99/QĐ-UBND", by=None)
    certificate.refresh_from_db()
    text = pdf_text(certificate_pdf(certificate))
    assert "ĐÃ THU HỒI" in text and "Theo quyết định số 99/QĐ-UBND" in text
    assert certificate.pdf.name != stored_name or certificate.pdf_fingerprint


def test_qr_code_holds_the_verification_address(certs, settings):
    settings.SITE_URL = "https://ocop.backan.gov.vn"
    certificate = certs["Chè Bản Dao"]
    context = certificate_context(certificate)
    assert context["qr_url"] == f"https://ocop.backan.gov.vn/verify/{certificate.number}/"
    png = base64.b64decode(qr_data_uri(context["qr_url"]).split(",", 1)[1])
    image = Image.open(io.BytesIO(png)).convert("1")
    code = qrcode.QRCode(border=1, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(context["qr_url"])
    code.make(fit=True)
    matrix = code.get_matrix()
    assert image.size == (len(matrix), len(matrix))
    assert all((image.getpixel((x, y)) == 0) == dark for y, row in enumerate(matrix) for x, dark in enumerate(row))


def test_render_in_two_processes_stores_every_file(certs):
    rendered = certificates_render(Certificate.objects.all(), force=True, batch_size=3, processes=2)
    assert rendered == Certificate.objects.count() == 14
    for certificate in Certificate.objects.select_related("product"):
        with certificate.pdf.open("rb") as handle:
            assert certificate.product.name in pdf_text(handle.read())
    assert certificates_render(Certificate.objects.all(), processes=2) == 0  # all current: nothing to do


def test_render_certificates_command_writes_one_file_per_number(certs, tmp_path):
    out, folder = io.StringIO(), tmp_path / "out"
    call_command("render_certificates", "--decision", "1568/QĐ-UBND", "--out", str(folder), "--processes", "1",
                 stdout=out)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["001-2023-GCN-063.pdf", "002-2023-GCN-063.pdf", "003-2023-GCN-063.pdf", "004-2023-GCN-063.pdf"]
    assert "4/4 certificates rendered" in out.getvalue()
