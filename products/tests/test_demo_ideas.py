"""The demo holds ideas in every screening state, each seen only inside its officer's area."""
from products.enums import IdeaStatus
from products.models import IdeaList, ProductIdea


def test_demo_has_ideas_in_every_screening_state(demo_full):
    assert set(ProductIdea.objects.values_list("status", flat=True)) == set(IdeaStatus.values)
    returned = ProductIdea.objects.get(product_name="Mật ong bạc hà An Bình")
    assert returned.status_reason == "Bổ sung kết quả kiểm nghiệm và ảnh bao bì hiện tại."
    # Seed 004: Đà Bắc's ideas for standardisation went to Hòa Bình in one list.
    dabac = IdeaList.objects.get(cycle__province__code="17")
    assert sorted(dabac.ideas.values_list("product_name", flat=True)) == [
        "Cao thải độc gan BIGFARM", "Chè Shan tuyết Núi Biều", "Măng khô Toàn Sơn"]


def test_demo_ideas_stay_in_their_district(demo_full, client_for):
    page = client_for("huyen.nari").get("/products/ideas/?cycle=&status=").content.decode()
    assert "Tinh dầu quế Hương Ngàn" in page
    assert "Trà hoa vàng Thiên An" not in page and "Măng khô Toàn Sơn" not in page
    page = client_for("huyen.bachthong").get("/products/ideas/?cycle=&status=").content.decode()
    assert "Trà hoa vàng Thiên An" in page and "Tinh dầu quế Hương Ngàn" not in page


def test_cycle_page_shows_step_two_progress_for_the_area(demo_full, client_for):
    import re

    from ocop.models import Cycle

    cycle = Cycle.objects.get(province__code="06", year=2024)
    page = client_for("huyen.bachthong").get(f"/cycles/{cycle.pk}/").content.decode()
    progress = re.search(r'data-testid="step-progress-2">(.*?)</div>', page, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", progress).split())
    # Bạch Thông: 6 ideas (a draft, one submitted, returned, rejected, selected, sent); 3 screened.
    assert "6 ý tưởng, 3 đã xét chọn, 1 đã gửi lên tỉnh; danh sách từ 1 / 1 huyện" in text
    page = client_for("huyen.nari").get(f"/cycles/{cycle.pk}/").content.decode()
    assert "1 ý tưởng, 0 đã xét chọn, 0 đã gửi lên tỉnh; danh sách từ 0 / 1 huyện" in page
    page = client_for("tinh.backan").get(f"/cycles/{cycle.pk}/").content.decode()
    assert "danh sách từ 1 / 2 huyện" in page
