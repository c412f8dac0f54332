"""The chair closes a scored session in the browser: ranking and stars, finalisation, the minutes PDF."""

import pytest

from evaluation.tests.test_results import build_scene
from ocop.tests.utils import pdf_text


@pytest.fixture
def scene(demo_units):
    """Bắc Kạn's provincial council after three members scored three products (Cường declared a conflict)."""
    return build_scene(demo_units)


def rows_of(page) -> list[tuple]:
    rows = page.locator("[data-testid=result-row]")
    return [(rows.nth(i).get_attribute("data-product"),
             rows.nth(i).locator("[data-testid=rank]").inner_text().strip(),
             rows.nth(i).locator("[data-testid=mean]").inner_text().strip(),
             " ".join(rows.nth(i).locator("[data-testid=star]").inner_text().split()),
             rows.nth(i).locator("[data-testid=nomination]").inner_text().strip())
            for i in range(rows.count())]


def test_chair_finalises_and_downloads_the_minutes(scene, login):
    page = login("kt.an")
    page.goto(f"{page.base_url}/evaluation/sessions/{scene.session.pk}/results/")
    assert page.locator("h1").inner_text() == "Kết quả phiên họp 1"
    assert rows_of(page) == [
        ("Gạo nếp Khẩu Nua Lương", "1", "62,50", "★★★ 3★", ""),
        ("Miến dong Tài Hoan", "1", "92,00", "★★★★ 4★", "Đề cử cấp trung ương"),
        ("Dầu lạc nguyên chất An Nhiên", "2", "84,67", "★★★ 3★", ""),
    ]
    panel = page.locator("[data-testid=finalise-panel]")
    assert "Đủ số thành viên: có mặt 3/3 thành viên." in panel.inner_text()
    assert "Dầu lạc nguyên chất An Nhiên (chênh lệch 19,00 điểm)" in panel.inner_text()

    # Without accepting the spread the council's record is refused...
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=finalise]")
    assert "Hãy chấm lại, hoặc xác nhận hội đồng đã thảo luận." in page.locator(
        "[data-testid=finalise-errors]").inner_text()
    # ...then the chair confirms the discussion and finalises.
    page.fill("#id_spread_reason", "Hội đồng đã thảo luận minh chứng tiêu chí 3.1 và giữ nguyên đánh giá")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.click("[data-testid=finalise]")
    assert page.locator(".alert-success").inner_text().strip().startswith("Đã kết thúc phiên họp")
    assert dialogs == ["Kết thúc phiên họp? Kết quả sẽ trở thành kết quả chính thức của hội đồng và không thể "
                       "thay đổi."]
    assert page.locator("[data-testid=finalise-panel]").count() == 0
    assert [row[:4] for row in rows_of(page)] == [
        ("Gạo nếp Khẩu Nua Lương", "1", "62,50", "★★★ 3★"),
        ("Miến dong Tài Hoan", "1", "92,00", "★★★★ 4★"),
        ("Dầu lạc nguyên chất An Nhiên", "2", "84,67", "★★★ 3★"),
    ]

    # WeasyPrint lays the minutes out on the server: allow it more than a click's usual wait.
    with page.expect_download(timeout=90000) as download_info:
        page.click("[data-testid=minutes]", timeout=90000)
    download = download_info.value
    assert download.suggested_filename.startswith("bien-ban-phien-")
    with open(download.path(), "rb") as handle:
        content = handle.read()
    text = pdf_text(content, layout=True)
    for expected in ("BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP", "Nguyễn Văn An", "Hoàng Thị Bình",
                     "Lý Văn Cường", "Miến dong Tài Hoan – Hợp tác xã Tài Hoan", "Điểm trung bình: 92,00",
                     "Hạng sao công nhận: 4 sao", "Đề cử cấp trung ương",
                     "Gạo nếp Khẩu Nua Lương – Hợp tác xã Dền Vang",
                     "Không chấm điểm (xung đột lợi ích: Là thành viên Hợp tác xã Dền Vang)", "CHỦ TỊCH HỘI ĐỒNG"):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
