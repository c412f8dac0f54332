"""Events: who sees which, the list's filters, query count and Excel export, creating, changing and deleting."""
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from ocop.enums import AuditAction
from ocop.models import AuditEntry
from ocop.selectors import audit_trail_for
from ocop.tests.utils import count_queries
from promotion.models import Booth, PromotionEvent

from .factories import BoothFactory, EventFactory, unit

EVENT_NAME = re.compile(r'data-testid="event-row">\s*<td><a href="/promotion/events/\d+/">([^<]+)</a>')


def listed(client, url="/promotion/") -> list[str]:
    """The event names of the list, in order."""
    return EVENT_NAME.findall(client.get(url).content.decode())


@pytest.fixture
def two_districts(demo):
    return (EventFactory(name="Hội chợ Bạch Thông", unit=unit("063")),
            EventFactory(name="Hội chợ Na Rì", unit=unit("066"), organiser="UBND huyện Na Rì"))


# ---------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------


def test_event_list_of_district_officer_holds_his_district_only(client_for, two_districts):
    assert listed(client_for("huyen.bachthong")) == ["Hội chợ Bạch Thông"]


def test_event_list_of_province_staff_holds_both_districts(client_for, two_districts):
    assert listed(client_for("tinh.backan"), "/promotion/?sort=name") == ["Hội chợ Bạch Thông", "Hội chợ Na Rì"]


@pytest.mark.parametrize("suffix", ["", "edit/", "invite/"])
def test_officer_of_another_district_gets_404_on_an_event(client_for, two_districts, suffix):
    response = client_for("huyen.nari").get(f"/promotion/events/{two_districts[0].pk}/{suffix}")
    assert response.status_code == 404
    assert "Hội chợ Bạch Thông" not in response.content.decode()


def test_officer_of_another_district_cannot_delete_an_event(client_for, two_districts):
    assert client_for("huyen.nari").post(f"/promotion/events/{two_districts[0].pk}/delete/").status_code == 404
    assert PromotionEvent.objects.filter(pk=two_districts[0].pk).exists()


@pytest.mark.parametrize("url", ["/promotion/", "/promotion/events/export/", "/promotion/events/new/"])
@pytest.mark.parametrize("username", ["hoidong.1", "htx.thienan"])
def test_council_member_and_representative_get_403_on_the_event_pages(client_for, url, username):
    assert client_for(username).get(url).status_code == 403


def test_council_member_gets_403_on_an_event(client_for, two_districts):
    assert client_for("hoidong.1").get(f"/promotion/events/{two_districts[0].pk}/").status_code == 403


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get("/promotion/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/promotion/"


def test_promotion_is_one_navigation_entry_for_officials_only(client_for):
    page = client_for("huyen.bachthong").get("/").content.decode()
    assert page.count('href="/promotion/"') == 1 and "Xúc tiến thương mại" in page
    assert 'href="/promotion/"' not in client_for("htx.thienan").get("/").content.decode()


# ---------------------------------------------------------------------------------------------
# The list: filters, query count, export
# ---------------------------------------------------------------------------------------------


def test_event_list_filters_by_year_kind_and_search(client_for, demo):
    EventFactory(name="Hội chợ xuân", starts_on=datetime.date(2024, 2, 1), ends_on=datetime.date(2024, 2, 3))
    EventFactory(name="Lễ hội mùa thu", kind="festival", starts_on=datetime.date(2024, 9, 1),
                 ends_on=datetime.date(2024, 9, 1))
    EventFactory(name="Hội chợ hè", starts_on=datetime.date(2025, 6, 1), ends_on=datetime.date(2025, 6, 2))
    client = client_for("huyen.bachthong")

    def names(query):
        return listed(client, "/promotion/?sort=name&" + query)

    assert names("year=2024") == ["Hội chợ xuân", "Lễ hội mùa thu"]
    assert names("kind=festival") == ["Lễ hội mùa thu"]
    assert names("q=hè") == ["Hội chợ hè"]
    # Without accents or in capitals, as people type: the same folded search as the other lists.
    assert names("q=HOI CHO he") == ["Hội chợ hè"]
    assert names("q=le hoi") == ["Lễ hội mùa thu"]
    assert "Không có sự kiện nào phù hợp" in client.get("/promotion/?q=khong+co").content.decode()


def test_event_list_query_count_does_not_grow_with_rows(client_for, demo, products):
    client = client_for("huyen.bachthong")
    event = EventFactory()
    BoothFactory(event=event, subject=products["An mộc nhi"].subject, sales=1_000_000)
    one = count_queries(lambda: client.get("/promotion/"))
    for _i in range(4):
        BoothFactory(event=EventFactory(), subject=products["Chè Bản Dao"].subject, contracts=2)
    many = count_queries(lambda: client.get("/promotion/"))
    assert len(listed(client)) == 5
    assert one == many


def test_event_detail_query_count_does_not_grow_with_booths(client_for, demo, products):
    client = client_for("huyen.bachthong")
    event = EventFactory()
    booth = BoothFactory(event=event, subject=products["An mộc nhi"].subject)
    booth.products.set([products["An mộc nhi"]])
    client.get(event.get_absolute_url())  # warm the caches (content types of the audit trail)
    one = count_queries(lambda: client.get(event.get_absolute_url()))
    for name in ["Chè Bản Dao", "Gạo nếp Khẩu Nua Lương"]:
        BoothFactory(event=event, subject=products[name].subject).products.set([products[name]])
    assert one == count_queries(lambda: client.get(event.get_absolute_url()))


def test_event_export_holds_the_filtered_events_with_their_results(client_for, demo, products):
    event = EventFactory(name="Hội chợ xuất khẩu", starts_on=datetime.date(2024, 3, 1),
                         ends_on=datetime.date(2024, 3, 3), budget=50_000_000)
    BoothFactory(event=event, subject=products["An mộc nhi"].subject, status=Booth.Status.REGISTERED,
                 sales=12_500_000, contracts=2)
    BoothFactory(event=event, subject=products["Chè Bản Dao"].subject, status=Booth.Status.REGISTERED,
                 sales=3_000_000, contracts=1)
    BoothFactory(event=event, subject=products["Gạo nếp Khẩu Nua Lương"].subject, status=Booth.Status.DECLINED)
    EventFactory(name="Hội chợ khác", starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 3, 1))
    response = client_for("huyen.bachthong").get("/promotion/events/export/?year=2024")
    assert response["Content-Disposition"].startswith('attachment; filename="xuc-tien-thuong-mai-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Tên", "Loại", "Đơn vị tổ chức", "Cơ quan tổ chức", "Địa điểm", "Từ ngày", "Đến ngày",
                       "Kinh phí (đồng)", "Gian hàng", "Đã đăng ký", "Từ chối", "Doanh thu (đồng)",
                       "Hợp đồng đã ký"]
    assert rows[1:] == [["Hội chợ xuất khẩu", "Hội chợ", "Huyện Bạch Thông", "UBND huyện Bạch Thông",
                         "Thị trấn Phủ Thông", datetime.datetime(2024, 3, 1), datetime.datetime(2024, 3, 3),
                         50_000_000, 3, 2, 1, 15_500_000, 3]]


# ---------------------------------------------------------------------------------------------
# Creating, changing, deleting
# ---------------------------------------------------------------------------------------------


def event_data(**overrides) -> dict:
    return {"name": "Phiên chợ OCOP thử nghiệm", "kind": "fair", "unit": unit("063").pk,
            "organiser": "UBND huyện Bạch Thông", "place": "Phủ Thông", "starts_on": "01/12/2026",
            "ends_on": "03/12/2026", "budget": "20000000", "description": "", **overrides}


def test_officer_creates_an_event_of_his_district(client_for, users):
    response = client_for("huyen.bachthong").post("/promotion/events/new/", event_data())
    event = PromotionEvent.objects.get(name="Phiên chợ OCOP thử nghiệm")
    assert response["Location"] == event.get_absolute_url()
    assert (event.unit.code, event.starts_on, event.budget, event.created_by) == (
        "063", datetime.date(2026, 12, 1), 20_000_000, users["huyen.bachthong"])
    assert [e.action for e in audit_trail_for(event)] == [AuditAction.CREATE]


def test_officer_cannot_name_another_districts_unit_as_organiser(client_for, demo):
    response = client_for("huyen.nari").post("/promotion/events/new/", event_data())
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not PromotionEvent.objects.exists()


def test_a_negative_budget_is_refused_in_plain_vietnamese_and_the_typed_values_stay(client_for, demo):
    response = client_for("huyen.bachthong").post("/promotion/events/new/", event_data(budget="-5"))
    assert response.status_code == 200
    # Django's own message, in the project's wording (no stray space before the full stop).
    assert response.context["form"].errors["budget"] == ["Giá trị phải lớn hơn hoặc bằng 0."]
    assert 'value="Phiên chợ OCOP thử nghiệm"' in response.content.decode()
    assert not PromotionEvent.objects.filter(name="Phiên chợ OCOP thử nghiệm").exists()


def test_event_cannot_end_before_it_starts(client_for, demo):
    page = client_for("huyen.bachthong").post("/promotion/events/new/", event_data(ends_on="30/11/2026"))
    assert "Sự kiện không thể kết thúc trước khi bắt đầu." in page.content.decode()
    assert not PromotionEvent.objects.exists()


def test_officer_changes_an_event_and_the_change_is_audited(client_for, demo):
    event = EventFactory(name="Tên cũ")
    client_for("huyen.bachthong").post(f"/promotion/events/{event.pk}/edit/",
                                       event_data(name="Tên mới", starts_on=event.starts_on.strftime("%d/%m/%Y"),
                                                  ends_on=event.ends_on.strftime("%d/%m/%Y")))
    event.refresh_from_db()
    assert event.name == "Tên mới"
    entry = audit_trail_for(event).get(action=AuditAction.UPDATE)
    assert entry.changes["name"] == ["Tên cũ", "Tên mới"]


def test_event_without_results_is_deleted_after_confirmation(client_for, demo, products):
    event = EventFactory()
    BoothFactory(event=event, subject=products["An mộc nhi"].subject)
    client = client_for("huyen.bachthong")
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'action="/promotion/events/{event.pk}/delete/" data-confirm="' in page
    response = client.post(f"/promotion/events/{event.pk}/delete/")
    assert response["Location"] == "/promotion/"
    assert not PromotionEvent.objects.filter(pk=event.pk).exists() and not Booth.objects.exists()
    assert AuditEntry.objects.filter(object_repr=event.name, action=AuditAction.DELETE).count() == 1


def test_event_delete_is_refused_once_a_booth_has_results(client_for, demo, products):
    event = EventFactory()
    BoothFactory(event=event, subject=products["An mộc nhi"].subject, status=Booth.Status.REGISTERED, contracts=0)
    client = client_for("huyen.bachthong")
    assert "event-delete" not in client.get(event.get_absolute_url()).content.decode()
    response = client.post(f"/promotion/events/{event.pk}/delete/", follow=True)
    assert "không thể xóa" in response.content.decode()
    assert PromotionEvent.objects.filter(pk=event.pk).exists()


def test_delete_needs_post(client_for, demo):
    event = EventFactory()
    assert client_for("huyen.bachthong").get(f"/promotion/events/{event.pk}/delete/").status_code == 405
