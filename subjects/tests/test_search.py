"""The search-as-you-type fragment: folded matching, at most ten buttons, and only the user's subjects."""
import re

from ocop.tests.utils import count_queries
from subjects.tests.factories import SubjectFactory

BUTTON = re.compile(r'<button type="button" class="list-group-item list-group-item-action" '
                    r'data-subject-id="(\d+)" data-subject-name="([^"]*)">([^<]*)</button>')


def buttons(response):
    return [(int(pk), name, text) for pk, name, text in BUTTON.findall(response.content.decode())]


def test_subject_search_without_diacritics_returns_a_button_to_pick(client_for, thien_an):
    response = client_for("huyen.bachthong").get("/subjects/search/?q=thien+an")
    assert buttons(response) == [
        (thien_an.pk, "Hợp tác xã Thiên An", "Hợp tác xã Thiên An · Hợp tác xã · Xã Vi Hương")]
    assert "<html" not in response.content.decode()  # a fragment, not a page


def test_subject_search_of_an_officer_stays_in_his_district(client_for, bachthong_and_nari):
    results = buttons(client_for("huyen.nari").get("/subjects/search/?q=kiem+thu"))
    assert [name for _pk, name, _text in results] == ["Hợp tác xã Kiểm thử Na Rì"]


def test_subject_search_of_province_staff_covers_both_districts(client_for, bachthong_and_nari):
    results = buttons(client_for("tinh.backan").get("/subjects/search/?q=kiem+thu"))
    assert [name for _pk, name, _text in results] == ["Hợp tác xã Kiểm thử Bạch Thông", "Hợp tác xã Kiểm thử Na Rì"]


def test_subject_search_of_a_representative_finds_his_subject_only(client_for, thien_an, bachthong_and_nari):
    results = buttons(client_for("htx.thienan").get("/subjects/search/?q=hop+tac+xa"))
    assert [name for _pk, name, _text in results] == ["Hợp tác xã Thiên An"]


def test_subject_search_returns_at_most_ten(client_for, unit):
    for n in range(12):
        SubjectFactory(name=f"Hợp tác xã Kiểm thử {n:02d}", commune=unit("01846"))
    results = buttons(client_for("huyen.bachthong").get("/subjects/search/?q=kiem+thu"))
    assert [name for _pk, name, _text in results] == [f"Hợp tác xã Kiểm thử {n:02d}" for n in range(10)]


def test_subject_search_without_match_shows_an_empty_state_line(client_for, thien_an):
    response = client_for("huyen.bachthong").get("/subjects/search/?q=xyz")
    assert buttons(response) == []
    assert "Không có chủ thể nào phù hợp với “xyz”." in response.content.decode()


def test_subject_search_without_query_asks_for_one(client_for, thien_an):
    response = client_for("huyen.bachthong").get("/subjects/search/?q=")
    assert buttons(response) == []
    assert "Gõ tên, mã số thuế hoặc người đại diện để tìm." in response.content.decode()


def test_subject_search_escapes_names(client_for, unit):
    SubjectFactory(name='HTX "Kiểm thử" <b>', commune=unit("01846"))
    page = client_for("huyen.bachthong").get("/subjects/search/?q=kiem+thu").content.decode()
    assert 'data-subject-name="HTX &quot;Kiểm thử&quot; &lt;b&gt;"' in page
    assert "<b>" not in page


def test_subject_search_query_count_does_not_grow(client_for, unit, django_assert_num_queries):
    client = client_for("huyen.bachthong")
    SubjectFactory(name="Hợp tác xã Kiểm thử 0", commune=unit("01846"))
    one = count_queries(lambda: client.get("/subjects/search/?q=kiem+thu"))
    for n in range(1, 5):
        SubjectFactory(name=f"Hợp tác xã Kiểm thử {n}", commune=unit("01846"))
    with django_assert_num_queries(one):
        response = client.get("/subjects/search/?q=kiem+thu")
    assert len(buttons(response)) == 5
    assert one == 4  # session, user, the user's unit (his scope), the subjects with their commune
