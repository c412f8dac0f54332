"""Bulk screening (issue 18, item 5): the screener ticks several submitted ideas in the list and selects, returns
or rejects them with one reason, after a confirmation page; each idea goes through its own service, all or none."""
import pytest
from django.core.exceptions import ValidationError

from ocop.enums import AuditAction
from ocop.models import AuditEntry
from ocop.tests.utils import count_queries
from products.enums import IdeaStatus
from products.models import ProductIdea
from products.services.ideas import idea_select, idea_submit, ideas_screen

from .factories import IdeaFactory
from .test_ideas_views import area_ideas, cycle, listed, text, thien_an  # noqa: F401 (fixtures)

URL = "/products/ideas/screen/"
REASON = "Chưa có vùng nguyên liệu ổn định; đề nghị hoàn thiện trong chu trình sau."


def statuses(ideas) -> dict[str, str]:
    return dict(ProductIdea.objects.filter(pk__in=[i.pk for i in ideas]).values_list("product_name", "status"))


def ticked(response) -> set[int]:
    import re

    return {int(pk) for pk in re.findall(r'name="ideas" value="(\d+)" form="bulk-screen"', text(response))}


def test_the_list_offers_ticks_for_the_submitted_ideas_the_officer_screens(client_for, area_ideas, cycle):
    ideas = area_ideas
    page = client_for("huyen.bachthong").get("/products/ideas/", {"cycle": cycle.pk})
    assert ticked(page) == {ideas["thien_an"].pk, ideas["si_binh"].pk}  # not Na Rì's: not his district
    assert 'data-testid="bulk-screen"' in text(page)
    representative = client_for("htx.thienan").get("/products/ideas/", {"cycle": cycle.pk})
    assert ticked(representative) == set() and 'data-testid="bulk-screen"' not in text(representative)


def test_bulk_screening_asks_to_confirm_before_anything_changes(client_for, area_ideas):
    chosen = [area_ideas["thien_an"], area_ideas["si_binh"]]
    response = client_for("huyen.bachthong").post(URL, {"ideas": [i.pk for i in chosen], "action": "reject",
                                                         "reason": REASON})
    page = text(response)
    assert "Từ chối các ý tưởng này?" in page
    assert "Xác nhận cho 2 ý tưởng" in page
    assert "Miến dong Thiên An" in page and "Chè Shan tuyết Sĩ Bình" in page
    assert REASON in page  # kept in the reason box of the confirmation
    assert set(statuses(chosen).values()) == {IdeaStatus.SUBMITTED}


def test_confirmed_selection_screens_each_idea_through_its_own_service(client_for, area_ideas, users):
    chosen = [area_ideas["thien_an"], area_ideas["si_binh"]]
    response = client_for("huyen.bachthong").post(
        URL, {"ideas": [i.pk for i in chosen], "action": "select", "confirmed": "1"}, follow=True)
    assert "Đã chọn 2 ý tưởng. Hãy gửi lên tỉnh cùng các ý tưởng đã chọn khác." in text(response)
    for idea in ProductIdea.objects.filter(pk__in=[i.pk for i in chosen]).select_related("product"):
        assert (idea.status, idea.screened_by, idea.product.name) == (
            IdeaStatus.SELECTED, users["huyen.bachthong"], idea.product_name)  # idea_select made its product
        entry = AuditEntry.objects.filter(content_type__model="productidea", object_id=idea.pk,
                                          action=AuditAction.TRANSITION).first()
        assert (entry.actor, entry.message, entry.changes) == (
            users["huyen.bachthong"], "Đã chọn", {"status": ["submitted", "selected"]})


def test_confirmed_rejection_gives_each_idea_the_one_reason(client_for, area_ideas):
    chosen = [area_ideas["thien_an"], area_ideas["si_binh"]]
    response = client_for("huyen.bachthong").post(
        URL, {"ideas": [i.pk for i in chosen], "action": "reject", "reason": REASON, "confirmed": "1"}, follow=True)
    assert "Đã từ chối 2 ý tưởng." in text(response)
    assert set(ProductIdea.objects.filter(pk__in=[i.pk for i in chosen]).values_list("status", "status_reason")) == {
        (IdeaStatus.REJECTED, REASON)}


def test_a_return_without_reason_changes_nothing_and_says_why(client_for, area_ideas):
    chosen = [area_ideas["thien_an"], area_ideas["si_binh"]]
    response = client_for("huyen.bachthong").post(
        URL, {"ideas": [i.pk for i in chosen], "action": "return", "reason": "  ", "confirmed": "1"})
    assert response.status_code == 200
    assert "Hãy nêu lý do: chủ thể sẽ đọc lý do này." in text(response)
    assert set(statuses(chosen).values()) == {IdeaStatus.SUBMITTED}


def test_an_idea_screened_meanwhile_refuses_the_whole_batch(client_for, area_ideas, users):
    chosen = [area_ideas["thien_an"], area_ideas["si_binh"]]
    idea_select(idea=area_ideas["si_binh"], by=users["huyen.bachthong"])  # on its own page, after the list
    response = client_for("huyen.bachthong").post(
        URL, {"ideas": [i.pk for i in chosen], "action": "reject", "reason": REASON, "confirmed": "1"})
    assert ("Một trong các ý tưởng đã đánh dấu không còn do bạn xét chọn được nữa: hãy tải lại danh sách."
            in text(response))
    assert statuses(chosen) == {"Miến dong Thiên An": IdeaStatus.SUBMITTED, "Chè Shan tuyết Sĩ Bình": "selected"}


def test_the_service_screens_all_or_none_and_names_the_idea_refused(area_ideas, users):
    officer = users["huyen.bachthong"]
    first, stale = area_ideas["thien_an"], area_ideas["si_binh"]
    idea_select(idea=ProductIdea.objects.get(pk=stale.pk), by=officer)  # `stale` still says submitted
    with pytest.raises(ValidationError) as refused:
        ideas_screen(ideas=[first, stale], action="reject", reason=REASON, by=officer)
    assert refused.value.messages == [
        "Chưa có thay đổi nào. “Chè Shan tuyết Sĩ Bình”: Không thể từ chối ý tưởng đang ở trạng thái “Đã chọn”."]
    assert statuses([first]) == {"Miến dong Thiên An": IdeaStatus.SUBMITTED}  # its rejection was rolled back


def test_ideas_outside_the_screeners_district_cannot_be_ticked(client_for, area_ideas):
    nari = area_ideas["nari"]
    response = client_for("huyen.bachthong").post(
        URL, {"ideas": [area_ideas["thien_an"].pk, nari.pk], "action": "select", "confirmed": "1"})
    assert ("Một trong các ý tưởng đã đánh dấu không còn do bạn xét chọn được nữa: hãy tải lại danh sách."
            in text(response))
    assert set(statuses([area_ideas["thien_an"], nari]).values()) == {IdeaStatus.SUBMITTED}
    assert client_for("htx.thienan").post(URL, {"ideas": [area_ideas["thien_an"].pk], "action": "select",
                                                "confirmed": "1"}).status_code == 403


def test_idea_list_of_a_screener_query_count_does_not_grow_with_rows(client_for, cycle, thien_an,
                                                                    django_assert_num_queries):
    client = client_for("huyen.bachthong")
    url = f"/products/ideas/?cycle={cycle.pk}"
    idea_submit(idea=IdeaFactory(cycle=cycle, subject=thien_an, attached=True), by=None)
    baseline = count_queries(lambda: client.get(url))
    for _ in range(4):
        idea_submit(idea=IdeaFactory(cycle=cycle, subject=thien_an, attached=True), by=None)

    with django_assert_num_queries(baseline):
        response = client.get(url)

    assert len(listed(response)) == 5 and len(ticked(response)) == 5
