"""Targets: one input per indicator on a page per unit and year, saved as an upsert; who may enter them."""
import pytest

from ocop.enums import AuditAction
from ocop.selectors import audit_trail_for
from ocop.tests.utils import count_queries
from promotion.models import Target
from promotion.services import targets_save

from .conftest import texts
from .factories import unit


def planned(unit_code: str, year: int) -> dict[str, tuple[int, str]]:
    return {t.metric: (t.planned, t.reference) for t in Target.objects.filter(unit__code=unit_code, year=year)}


def test_province_staff_enters_the_targets_of_a_year(client_for, demo):
    client = client_for("tinh.backan")
    response = client.get(f"/promotion/targets/?unit={unit('06').pk}&year=2024")
    assert response["Location"] == "/promotion/targets/06/2024/"
    response = client.post("/promotion/targets/06/2024/", {
        "reference": "180/KH-UBND ngày 22/3/2024", "new_3_star": "20", "traceability": "20", "value_chains": "25"})
    assert response["Location"] == "/promotion/targets/06/2024/"
    reference = "180/KH-UBND ngày 22/3/2024"
    assert planned("06", 2024) == {"new_3_star": (20, reference), "traceability": (20, reference),
                                   "value_chains": (25, reference)}
    page = client.get("/promotion/targets/06/2024/").content.decode()
    assert 'name="new_3_star" value="20"' in page and 'name="upgrades" min="0"' in page


def test_saving_again_updates_clears_and_adds_without_duplicates(client_for, demo, users):
    targets_save(unit=unit("06"), year=2024, planned={"new_3_star": 20, "traceability": 20}, by=None)
    client_for("tinh.backan").post("/promotion/targets/06/2024/", {
        "reference": "", "new_3_star": "24", "traceability": "", "sales_points": "3"})
    assert planned("06", 2024) == {"new_3_star": (24, ""), "sales_points": (3, "")}
    entry = audit_trail_for(unit("06")).get(action=AuditAction.UPDATE, actor=users["tinh.backan"])
    assert entry.changes == {"Sản phẩm mới đạt 3 sao trở lên": [20, 24], "Sản phẩm có truy xuất nguồn gốc": [20, None],
                             "Điểm bán": [None, 3]}


def test_saving_the_same_figures_changes_nothing(demo):
    targets_save(unit=unit("06"), year=2024, planned={"new_3_star": 20}, reference="180/KH-UBND", by=None)
    assert targets_save(unit=unit("06"), year=2024, planned={"new_3_star": 20}, reference="180/KH-UBND",
                        by=None) == {}
    assert Target.objects.count() == 1


def test_a_planned_figure_cannot_be_negative(client_for, demo):
    page = client_for("tinh.backan").post("/promotion/targets/06/2024/", {"new_3_star": "-1"}).content.decode()
    assert "Giá trị phải lớn hơn hoặc bằng 0." in page
    assert not Target.objects.exists()


def test_district_officer_enters_his_districts_targets_not_the_provinces(client_for, demo):
    client = client_for("huyen.bachthong")
    client.post("/promotion/targets/063/2024/", {"new_3_star": "3"})
    assert planned("063", 2024) == {"new_3_star": (3, "")}
    assert client.get("/promotion/targets/06/2024/").status_code == 404
    assert client.post("/promotion/targets/066/2024/", {"new_3_star": "3"}).status_code == 404
    assert not Target.objects.filter(unit__code__in=["06", "066"]).exists()


@pytest.mark.parametrize("username", ["hoidong.1", "htx.thienan"])
def test_targets_are_closed_to_council_members_and_representatives(client_for, username):
    assert client_for(username).get("/promotion/targets/").status_code == 403
    assert client_for(username).post("/promotion/targets/06/2024/", {"new_3_star": "3"}).status_code == 403
    assert not Target.objects.exists()


def test_target_list_holds_the_sets_of_the_area_and_its_query_count_does_not_grow(client_for, demo):
    client = client_for("tinh.backan")
    targets_save(unit=unit("06"), year=2024, planned={"new_3_star": 20, "traceability": 20}, reference="180/KH-UBND",
                 by=None)
    client.get("/promotion/targets/")
    one = count_queries(lambda: client.get("/promotion/targets/"))
    targets_save(unit=unit("063"), year=2024, planned={"new_3_star": 3}, by=None)
    targets_save(unit=unit("06"), year=2023, planned={"new_3_star": 20}, by=None)
    assert one == count_queries(lambda: client.get("/promotion/targets/"))
    rows = texts(client.get("/promotion/targets/").content.decode(), "target-set-row")
    assert rows == ["2024 Bắc Kạn 180/KH-UBND 2", "2024 Bạch Thông — 1", "2023 Bắc Kạn — 1"]
    assert texts(client_for("huyen.nari").get("/promotion/targets/").content.decode(), "target-set-row") == []
