"""Each demo login lands on its own Vietnamese home page; the language switch works."""
import pytest

OFFICIAL_NAV = ["Trang chủ", "Tổng hợp", "Chu trình OCOP", "Chủ thể", "Ý tưởng sản phẩm", "Sản phẩm", "Hội đồng",
                "Giấy chứng nhận", "Xúc tiến thương mại", "Thêm"]


@pytest.mark.parametrize(("username", "role", "nav"), [
    ("tinh.backan", "Văn phòng OCOP tỉnh", OFFICIAL_NAV),
    ("huyen.bachthong", "Cán bộ huyện/xã", OFFICIAL_NAV),
    ("hoidong.1", "Thành viên hội đồng", ["Trang chủ", "Hội đồng", "Chấm điểm", "Thêm"]),
    # "Thêm" holds the inspections of its products (Kiểm tra sau công nhận).
    ("htx.thienan", "Đại diện chủ thể", ["Trang chủ", "Chủ thể", "Ý tưởng sản phẩm", "Sản phẩm", "Giấy chứng nhận",
                                         "Thêm"]),
])
def test_demo_user_logs_in_to_a_vietnamese_home(demo, login, username, role, nav):
    page = login(username)
    assert page.locator("[data-testid=role]").inner_text() == role
    links = [t.strip() for t in page.locator("#mainnav .navbar-nav.me-auto .nav-link").all_inner_texts()]
    assert links == nav


def test_province_officer_moves_the_cycle_and_switches_to_english(demo, login):
    page = login("tinh.thainguyen")  # the cycle of the year (a past year's cycle has ended: no step to move)
    page.click("[data-testid=panel-cycle] a")
    page.select_option("select[name=current_step]", "5")
    page.click("text=Chuyển bước hiện tại")
    assert page.locator(".alert-success").inner_text().strip().startswith("Đã chuyển bước hiện tại")
    assert "Đánh giá, phân hạng sản phẩm" in page.locator(".step-current").inner_text()
    page.click("a.dropdown-toggle:has(.bi-translate)")
    page.click("button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Evaluation and star rating" in page.locator(".step-current").inner_text()
