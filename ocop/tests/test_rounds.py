"""A cycle's evaluation rounds on the cycle's page (issue 16, item 4): the provincial office adds, dates and
deletes them there; what a round holds (sessions, results) is evaluation's (evaluation/tests/test_rounds.py)."""
import datetime
import re

import pytest

from ocop.enums import AuditAction
from ocop.models import AuditEntry, Cycle, Round
from ocop.rounds import round_default_dates


def page_of(response) -> str:
    return response.content.decode()


def messages_of(page: str) -> list[str]:
    """The page's flash messages, as a user reads them."""
    return [re.sub(r"\s+", " ", m).strip()
            for m in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)<button', page, flags=re.S)]


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


@pytest.fixture
def backan_2024(users):
    """Bắc Kạn's 2024 cycle: one round, 01/09/2024 – 30/11/2024 (the demo's)."""
    return Cycle.objects.get(province__code="06", year=2024)


@pytest.fixture
def backan_2023(users):
    """Bắc Kạn's 2023 cycle: no round yet."""
    return Cycle.objects.get(province__code="06", year=2023)


def post_round(client, cycle, **values):
    data = {"number": 2, "name": "Đợt 2 năm 2024", "starts_on": "01/12/2024", "ends_on": "30/12/2024", **values}
    return client.post(f"/cycles/{cycle.pk}/rounds/new/", data)


# ---------------------------------------------------------------------------------------------
# The days a new round is offered (26/2026/QĐ-TTg: closing on 30/06 and 30/12)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("previous", "expected"), [
    (None, (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))),
    (datetime.date(2026, 6, 30), (datetime.date(2026, 7, 1), datetime.date(2026, 12, 30))),
    (datetime.date(2026, 6, 29), (datetime.date(2026, 6, 30), datetime.date(2026, 12, 30))),
    (datetime.date(2026, 11, 30), (datetime.date(2026, 12, 1), datetime.date(2026, 12, 30))),
    (datetime.date(2026, 12, 29), (None, None)),  # opening on 30/12, nothing closes after it
    (datetime.date(2026, 12, 30), (None, None)),
])
def test_round_default_dates_follow_the_closing_days_of_30_06_and_30_12(previous, expected):
    assert round_default_dates(year=2026, previous_ends_on=previous) == expected


def test_new_round_form_offers_the_first_round_of_the_year_closing_on_30_06(client_for, backan_2023):
    response = client_for("tinh.backan").get(f"/cycles/{backan_2023.pk}/rounds/new/")
    page = page_of(response)
    assert response.context["form"].initial == {
        "number": 1, "name": "Đợt 1 năm 2023", "starts_on": datetime.date(2023, 1, 1),
        "ends_on": datetime.date(2023, 6, 30)}
    assert 'value="01/01/2023"' in page and 'value="30/06/2023"' in page
    assert "Đợt đánh giá mới" in page
    assert ("Theo Quyết định 26/2026/QĐ-TTg, mỗi tỉnh tổ chức ít nhất hai đợt đánh giá trong năm, kết thúc vào ngày "
            "30/06 và 30/12. Thời gian gợi ý là 01/01 – 30/06, rồi 01/07 – 30/12: phiên họp ngày 31/12 sẽ không thuộc "
            "đợt nào, trừ khi đợt cuối kết thúc vào ngày 31/12.") in page


def test_new_round_form_offers_the_days_after_the_last_round(client_for, backan_2024):
    response = client_for("tinh.backan").get(f"/cycles/{backan_2024.pk}/rounds/new/")
    assert response.context["form"].initial == {
        "number": 2, "name": "Đợt 2 năm 2024", "starts_on": datetime.date(2024, 12, 1),
        "ends_on": datetime.date(2024, 12, 30)}


# ---------------------------------------------------------------------------------------------
# Creating, editing and deleting a round through the page
# ---------------------------------------------------------------------------------------------


def test_round_created_on_the_cycle_page_is_listed_with_its_days_and_audited(client_for, backan_2024, users):
    client = client_for("tinh.backan")
    response = post_round(client, backan_2024)
    assert response.status_code == 302 and response["Location"] == f"/cycles/{backan_2024.pk}/#rounds"
    page = page_of(client.get(response["Location"]))
    assert messages_of(page) == ["Đã thêm Đợt 2 năm 2024 vào chu trình."]
    row = page.split('data-testid="round-2"')[1].split("</tr>")[0]
    assert "Đợt 2 năm 2024" in row and "01/12/2024 – 30/12/2024" in row
    entry = AuditEntry.objects.filter(object_id=backan_2024.pk, content_type__model="cycle").latest("at")
    assert entry.actor == users["tinh.backan"] and entry.action == AuditAction.UPDATE
    assert entry.message == "Thêm đợt đánh giá: Đợt 2 năm 2024 (01/12/2024 – 30/12/2024)"
    assert list(backan_2024.rounds.values_list("number", "starts_on", "ends_on")) == [
        (1, datetime.date(2024, 9, 1), datetime.date(2024, 11, 30)),
        (2, datetime.date(2024, 12, 1), datetime.date(2024, 12, 30))]


def test_cycle_page_shows_the_add_button_to_the_province_office_only(client_for, backan_2024):
    url = backan_2024.get_absolute_url()
    assert 'data-testid="round-add"' in page_of(client_for("tinh.backan").get(url))
    district = page_of(client_for("huyen.bachthong").get(url))
    assert 'data-testid="round-add"' not in district and "Đánh giá, phân hạng sản phẩm OCOP năm 2024" in district
    assert f"/cycles/rounds/{backan_2024.rounds.get().pk}/edit/" not in district


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"starts_on": "01/11/2024", "ends_on": "30/12/2024"}, "__all__",
     "Thời gian này trùng với Đánh giá, phân hạng sản phẩm OCOP năm 2024 (01/09/2024 – 30/11/2024): các đợt của một "
     "chu trình không được trùng ngày nhau."),
    ({"starts_on": "01/12/2024", "ends_on": "15/01/2025"}, "ends_on", "Ngày phải thuộc năm 2024, năm của chu trình."),
    ({"starts_on": "15/12/2023", "ends_on": "30/12/2024"}, "starts_on",
     "Ngày phải thuộc năm 2024, năm của chu trình."),
    ({"starts_on": "20/12/2024", "ends_on": "10/12/2024"}, "ends_on",
     "Ngày kết thúc đợt phải sau ngày mở đợt (20/12/2024)."),
    ({"starts_on": "20/12/2024", "ends_on": "20/12/2024"}, "ends_on",
     "Ngày kết thúc đợt phải sau ngày mở đợt (20/12/2024)."),
    ({"number": 1}, "number", "Chu trình đã có đợt số 1."),
])
def test_round_refused_shows_why_on_the_form_and_saves_nothing(client_for, backan_2024, values, field, message):
    client = client_for("tinh.backan")
    response = post_round(client, backan_2024, **values)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert message in page_of(response)
    assert backan_2024.rounds.count() == 1


def test_round_without_days_is_refused_by_the_form(client_for, backan_2024):
    response = post_round(client_for("tinh.backan"), backan_2024, starts_on="", ends_on="")
    assert field_errors(response, "starts_on") == ["Trường này là bắt buộc."]
    assert field_errors(response, "ends_on") == ["Trường này là bắt buộc."]
    assert backan_2024.rounds.count() == 1


def test_round_dates_edited_on_the_page_are_saved_and_audited_with_what_changed(client_for, backan_2024):
    round_ = backan_2024.rounds.get()
    client = client_for("tinh.backan")
    form = client.get(f"/cycles/rounds/{round_.pk}/edit/")
    assert form.context["form"].initial == {"number": 1, "name": "Đánh giá, phân hạng sản phẩm OCOP năm 2024",
                                            "starts_on": datetime.date(2024, 9, 1),
                                            "ends_on": datetime.date(2024, 11, 30)}
    response = client.post(f"/cycles/rounds/{round_.pk}/edit/", {
        "number": 1, "name": "Đợt 1 năm 2024", "starts_on": "01/01/2024", "ends_on": "30/06/2024"})
    assert response.status_code == 302
    page = page_of(client.get(response["Location"]))
    assert messages_of(page) == ["Đã lưu Đợt 1 năm 2024."]
    assert "01/01/2024 – 30/06/2024" in page.split('data-testid="round-1"')[1].split("</tr>")[0]
    entry = AuditEntry.objects.filter(object_id=backan_2024.pk, content_type__model="cycle").latest("at")
    assert entry.message == "Sửa đợt đánh giá: Đợt 1 năm 2024 (01/01/2024 – 30/06/2024)"
    assert entry.changes == {"name": ["Đánh giá, phân hạng sản phẩm OCOP năm 2024", "Đợt 1 năm 2024"],
                             "starts_on": ["2024-09-01", "2024-01-01"], "ends_on": ["2024-11-30", "2024-06-30"]}


def test_round_edit_overlapping_another_round_is_refused(client_for, backan_2024):
    client = client_for("tinh.backan")
    post_round(client, backan_2024)
    second = backan_2024.rounds.get(number=2)
    response = client.post(f"/cycles/rounds/{second.pk}/edit/", {
        "number": 2, "name": "Đợt 2 năm 2024", "starts_on": "30/11/2024", "ends_on": "30/12/2024"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Thời gian này trùng với Đánh giá, phân hạng sản phẩm OCOP năm 2024 (01/09/2024 – 30/11/2024): các đợt của "
        "một chu trình không được trùng ngày nhau."]
    second.refresh_from_db()
    assert second.starts_on == datetime.date(2024, 12, 1)


def test_empty_round_is_deleted_after_confirmation(client_for, backan_2024):
    round_ = backan_2024.rounds.get()
    client = client_for("tinh.backan")
    page = page_of(client.get(backan_2024.get_absolute_url()))
    form = page.split(f'action="/cycles/rounds/{round_.pk}/delete/"')[1].split(">")[0]
    assert 'data-confirm="Xóa Đánh giá, phân hạng sản phẩm OCOP năm 2024?"' in form
    response = client.post(f"/cycles/rounds/{round_.pk}/delete/")
    assert response["Location"] == f"/cycles/{backan_2024.pk}/#rounds"
    page = page_of(client.get(response["Location"]))
    assert messages_of(page) == ["Đã xóa Đánh giá, phân hạng sản phẩm OCOP năm 2024."]
    assert "Chưa có đợt đánh giá nào được lên kế hoạch." in page
    assert not Round.objects.filter(pk=round_.pk).exists()
    entry = AuditEntry.objects.filter(object_id=backan_2024.pk, content_type__model="cycle").latest("at")
    assert entry.action == AuditAction.DELETE
    assert entry.message == "Xóa đợt đánh giá: Đánh giá, phân hạng sản phẩm OCOP năm 2024 (01/09/2024 – 30/11/2024)"


def test_district_officer_may_see_the_rounds_but_not_change_them(client_for, backan_2024):
    round_ = backan_2024.rounds.get()
    client = client_for("huyen.bachthong")
    assert client.get(f"/cycles/{backan_2024.pk}/rounds/new/").status_code == 403
    assert client.get(f"/cycles/rounds/{round_.pk}/edit/").status_code == 403
    assert client.post(f"/cycles/rounds/{round_.pk}/delete/").status_code == 403
    assert post_round(client, backan_2024).status_code == 403
    assert backan_2024.rounds.count() == 1


def test_demo_thai_nguyen_2026_has_the_two_rounds_of_the_year(users):
    cycle = Cycle.objects.get(province__code="19", year=2026)
    assert list(cycle.rounds.values_list("number", "name", "starts_on", "ends_on")) == [
        (1, "Đợt 1 năm 2026", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        (2, "Đợt 2 năm 2026", datetime.date(2026, 7, 1), datetime.date(2026, 12, 30))]


def test_officer_of_another_province_gets_404_for_its_rounds(client_for, users):
    hoabinh = Cycle.objects.get(province__code="17", year=2023)
    thai_nguyen_round = Round.objects.get(cycle__province__code="19", number=1)
    client = client_for("tinh.backan")
    assert post_round(client, hoabinh, starts_on="01/01/2023", ends_on="30/06/2023").status_code == 404
    assert client.get(f"/cycles/rounds/{thai_nguyen_round.pk}/edit/").status_code == 404
    assert client.post(f"/cycles/rounds/{thai_nguyen_round.pk}/edit/", {
        "number": 1, "name": "Đổi", "starts_on": "01/01/2026", "ends_on": "30/05/2026"}).status_code == 404
    assert client.post(f"/cycles/rounds/{thai_nguyen_round.pk}/delete/").status_code == 404
    assert not hoabinh.rounds.exists()
    thai_nguyen_round.refresh_from_db()
    assert (thai_nguyen_round.name, thai_nguyen_round.ends_on) == ("Đợt 1 năm 2026", datetime.date(2026, 6, 30))
