"""Training events: created and changed in the officer's area, participants counted and listed, subjects."""
import datetime

import pytest

from ocop.enums import AuditAction
from ocop.selectors import audit_trail_for
from ocop.tests.utils import count_queries
from promotion.models import TrainingEvent

from .conftest import row_names, texts
from .factories import TrainingFactory, unit


def training_data(**overrides) -> dict:
    return {"topic": "Xây dựng câu chuyện sản phẩm", "unit": unit("063").pk, "held_on": "15/05/2024",
            "place": "Hội trường UBND huyện", "participants_count": "3", "participants": "", **overrides}


def test_officer_records_a_training_with_its_participants_and_subjects(client_for, products):
    thien_an, den_vang = products["An mộc nhi"].subject, products["Gạo nếp Khẩu Nua Lương"].subject
    response = client_for("huyen.bachthong").post("/promotion/training/new/", training_data(
        participants="Lý Thị Quên\nHoàng Văn Dền\n\nMa Thị Giang", subjects=[thien_an.pk, den_vang.pk]))
    assert response["Location"] == "/promotion/training/"
    training = TrainingEvent.objects.get()
    assert (training.held_on, training.participants_count, training.unit.code) == (datetime.date(2024, 5, 15), 3, "063")
    assert sorted(s.name for s in training.subjects.all()) == ["Hợp tác xã Dền Vang", "Hợp tác xã Thiên An"]
    assert [e.action for e in audit_trail_for(training)] == [AuditAction.CREATE]


def test_participants_count_cannot_be_lower_than_the_list(client_for, products):
    page = client_for("huyen.bachthong").post("/promotion/training/new/", training_data(
        participants_count="1", participants="Lý Thị Quên\nHoàng Văn Dền")).content.decode()
    assert "Danh sách có 2 người: số người tham gia không thể ít hơn." in page
    assert not TrainingEvent.objects.exists()


def test_training_subjects_are_those_of_the_officers_area(client_for, products):
    page = client_for("huyen.bachthong").post("/promotion/training/new/", training_data(
        subjects=[products["Miến dong Tài Hoan"].subject.pk])).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert not TrainingEvent.objects.exists()


def test_training_change_is_audited(client_for, products):
    training = TrainingFactory(participants_count=30)
    client_for("huyen.bachthong").post(f"/promotion/training/{training.pk}/edit/", training_data(
        topic=training.topic, participants_count="45"))
    training.refresh_from_db()
    assert training.participants_count == 45
    assert audit_trail_for(training).get(action=AuditAction.UPDATE).changes["participants_count"] == [30, 45]


@pytest.mark.parametrize("username, status", [("huyen.nari", 404), ("hoidong.1", 403), ("htx.thienan", 403)])
def test_training_of_bachthong_is_closed_to_other_areas_and_roles(client_for, products, username, status):
    training = TrainingFactory()
    assert client_for(username).get(f"/promotion/training/{training.pk}/edit/").status_code == status


def test_training_list_totals_the_participants_of_the_area_and_filters_by_year(client_for, products):
    TrainingFactory(topic="Tập huấn Na Rì", unit=unit("066"), participants_count=500)
    TrainingFactory(topic="Tập huấn 2023", held_on=datetime.date(2023, 4, 1), participants_count=40)
    TrainingFactory(topic="Tập huấn 2024", participants_count=55)
    client = client_for("huyen.bachthong")
    page = client.get("/promotion/training/").content.decode()
    assert row_names(page, "training-row") == ["15/05/2024", "01/04/2023"]
    assert texts(page, "participants-total") == ["Tổng cộng 95 người tham gia"]
    page = client.get("/promotion/training/?year=2023").content.decode()
    assert texts(page, "participants-total") == ["Tổng cộng 40 người tham gia"]


def test_training_list_query_count_does_not_grow(client_for, products):
    client = client_for("huyen.bachthong")
    TrainingFactory().subjects.set([products["An mộc nhi"].subject])
    client.get("/promotion/training/")
    one = count_queries(lambda: client.get("/promotion/training/"))
    for _n in range(4):
        TrainingFactory().subjects.set([products["Chè Bản Dao"].subject])
    assert one == count_queries(lambda: client.get("/promotion/training/"))


def test_training_search_ignores_accents_and_case(client_for, products):
    TrainingFactory(topic="Tập huấn xây dựng câu chuyện sản phẩm", place="Hội trường huyện")
    TrainingFactory(topic="Tập huấn thương mại điện tử", place="Nhà văn hóa xã Vi Hương")
    client = client_for("huyen.bachthong")

    def rows(query):
        return texts(client.get("/promotion/training/", {"q": query}).content.decode(), "training-row")

    found = rows("cau chuyen")
    assert len(found) == 1 and "Tập huấn xây dựng câu chuyện sản phẩm" in found[0]
    found = rows("VI HUONG")  # its place
    assert len(found) == 1 and "Tập huấn thương mại điện tử" in found[0]
