"""Verification by a photo of the certificate's QR code: the number is read from the code (decoded on the server
with zxing-cpp) and checked as if typed; a photo that cannot be read comes back with a message saying why."""
import io
import random

import pytest
import qrcode
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFilter

from certificates.rendering import verify_url


@pytest.fixture
def visitor(client):
    cache.clear()  # the verification page is throttled per address
    yield client
    cache.clear()


def qr_image(text: str) -> Image.Image:
    return qrcode.make(text, box_size=8, border=4).get_image().convert("RGB")


def png(image: Image.Image, name="ma-qr.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def phone_photo(text: str) -> SimpleUploadedFile:
    """The code as a phone takes it: small in a larger, grainy scene, a little turned and soft, as a JPEG."""
    rng = random.Random(7)
    scene = Image.new("RGB", (2400, 1800), (190, 180, 160))
    pixels = scene.load()
    for _ in range(60000):
        x, y = rng.randrange(2400), rng.randrange(1800)
        grey = rng.randrange(120, 230)
        pixels[x, y] = (grey, grey, grey - 10)
    code = qr_image(text).rotate(7, expand=True, fillcolor=(255, 255, 255))
    scene.paste(code, (900, 600))
    scene = scene.filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    scene.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("IMG_2041.jpg", out.getvalue(), content_type="image/jpeg")


def errors(response) -> str:
    return response.content.decode()


def test_qr_code_on_the_certificate_opens_its_verification(certs, visitor):
    certificate = certs["Miến dong Tài Hoan"]
    response = visitor.post("/verify/photo/", {"photo": png(qr_image(verify_url(certificate)))})
    assert response.status_code == 302 and response["Location"] == "/verify/015/2024/GCN-TW/"
    page = visitor.get(response["Location"]).content.decode()
    assert "Miến dong Tài Hoan" in page and "Hợp tác xã Tài Hoan" in page


def test_phone_photo_of_the_code_is_read(certs, visitor):
    certificate = certs["Miến dong Tài Hoan"]
    response = visitor.post("/verify/photo/", {"photo": phone_photo(verify_url(certificate))})
    assert response["Location"] == "/verify/015/2024/GCN-TW/"


def test_code_leading_to_another_site_is_checked_here_and_the_visitor_told(certs, visitor):
    response = visitor.post("/verify/photo/", {"photo": png(qr_image("https://ocop-gia.example/verify/015/2024/GCN-TW/"))},
                            follow=True)
    page = response.content.decode()
    assert "Mã QR dẫn tới một trang khác (ocop-gia.example), không phải trang tra cứu chính thức này" in page
    assert "Miến dong Tài Hoan" in page


def test_number_the_register_does_not_hold_is_reported_as_not_valid(demo, visitor):
    response = visitor.post("/verify/photo/", {"photo": png(qr_image("http://127.0.0.1:8000/verify/999/2099/GCN-06/"))},
                            follow=True)
    assert response.status_code == 404
    assert "Không có giấy chứng nhận nào mang số “999/2099/GCN-06”" in response.content.decode()


@pytest.mark.parametrize(("photo", "message"), [
    (lambda: png(Image.new("RGB", (800, 600), (200, 200, 200))),
     "Không đọc được mã QR nào trong ảnh này. Hãy chụp lại ở gần hơn, để cả mã QR rõ nét và đủ sáng, hoặc nhập số "
     "giấy chứng nhận."),
    (lambda: png(qr_image("Truy xuất nguồn gốc: lô 2024-07, HTX Tài Hoan")),
     "Mã QR trong ảnh không phải mã của giấy chứng nhận OCOP: nội dung mã là “Truy xuất nguồn gốc: lô 2024-07, "
     "HTX Tài Hoan”."),
    (lambda: SimpleUploadedFile("anh.png", b"%PDF-1.4 not a photo", content_type="image/png"),
     "Tệp “anh.png” không thuộc loại được chấp nhận. Chấp nhận: JPEG, PNG."),
    (lambda: SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0 broken jpeg", content_type="image/jpeg"),
     "Tệp này không phải là ảnh đọc được."),
    (lambda: SimpleUploadedFile("rong.png", b"", content_type="image/png"), "Tệp này không có nội dung."),
    (lambda: None, "Hãy chọn ảnh chụp mã QR."),
])
def test_photo_that_cannot_be_read_comes_back_with_a_clear_message(db, visitor, photo, message):
    upload = photo()
    response = visitor.post("/verify/photo/", {"photo": upload} if upload else {})
    assert response.status_code == 400
    assert message in errors(response).replace("&quot;", '"').replace("&#x27;", "'")


def test_picture_too_large_to_decode_is_refused_before_its_pixels_are_read(db, visitor):
    out = io.BytesIO()
    Image.new("1", (10000, 7000)).save(out, format="PNG")  # 70 megapixels in a few kilobytes
    response = visitor.post("/verify/photo/", {"photo": SimpleUploadedFile("bom.png", out.getvalue())})
    assert response.status_code == 400 and "Ảnh quá lớn (10000 × 7000 điểm ảnh)." in errors(response)


def test_verification_page_offers_the_photo_upload(db, visitor):
    page = visitor.get("/verify/").content.decode()
    assert 'action="/verify/photo/"' in page and 'enctype="multipart/form-data"' in page and "Đọc mã QR" in page
