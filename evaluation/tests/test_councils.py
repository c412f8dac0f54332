"""Councils and sessions as officials and members see them: scoping, members, advisory team, sessions,
the agenda (assignment, conflicts detected), attendance, progress without others' scores, reopening."""
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from ocop.enums import Role
from ocop.models import AdministrativeUnit, AuditEntry, Cycle
from ocop.tests.factories import UserFactory
from ocop.tests.utils import count_queries
from products.enums import DossierStatus
from products.models import Dossier, ProductSet
from subjects.models import SubjectRepresentative
from subjects.tests.factories import SubjectFactory

from ..enums import EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from ..models import AdvisoryMember, ConflictOfInterest, Council, CouncilMember, Evaluation, Scorecard, Session
from ..services.councils import (
    council_create,
    council_member_add,
    council_member_remove,
    session_assign,
    session_create,
)
from ..services.scoring import score_set, scorecard_submit
from .factories import CRITERIA_COUNT, ProductFactory, answer_all, option_of, scenario_build


@pytest.fixture
def unit(users):
    return lambda code: AdministrativeUnit.objects.get(code=code)


@pytest.fixture
def backan_2024(users):
    return Cycle.objects.get(province__code="06", year=2024)


@pytest.fixture
def products(unit):
    """Two products of Bắc Kạn: one from Bạch Thông (Vi Hương), one from Na Rì (Côn Minh)."""
    bachthong = SubjectFactory(name="Hợp tác xã Kiểm thử Vi Hương", commune=unit("01843"))
    nari = SubjectFactory(name="Hợp tác xã Kiểm thử Côn Minh", commune=unit("01963"))
    return [
        ProductFactory(subject=nari, name="Miến dong Côn Minh", product_set=ProductSet.objects.get(number=7)),
        ProductFactory(subject=bachthong, name="Mộc nhĩ Vi Hương", product_set=ProductSet.objects.get(number=3)),
    ]


@pytest.fixture
def provincial(users, backan_2024, unit, products):
    """Bắc Kạn's provincial council (hoidong.1 chairs, hoidong.2 and hoidong.3 sit), one session, two products."""
    return scenario_build(cycle=backan_2024, unit=unit("06"), products=products,
                          users=[users["hoidong.1"], users["hoidong.2"], users["hoidong.3"]],
                          name="Hội đồng cấp tỉnh Bắc Kạn (kiểm thử)")


def district_council(cycle, unit, name, members=()):
    council = council_create(cycle=cycle, level=EvaluationLevel.DISTRICT, unit=unit, name=name, by=None)
    for user in members:
        council_member_add(council=council, user=user, by=None)
    return council


ROW_NAME = re.compile(r'<td><a href="/evaluation/councils/\d+/">([^<]*)</a>')


def listed(html: str) -> list[str]:
    return ROW_NAME.findall(html)


# ---------------------------------------------------------------------------------------------
# The list and scoping
# ---------------------------------------------------------------------------------------------


def test_council_list_shows_each_official_the_councils_of_his_area(client_for, backan_2024, unit):
    district_council(backan_2024, unit("063"), "Hội đồng huyện Bạch Thông (kiểm thử)")
    district_council(backan_2024, unit("066"), "Hội đồng huyện Na Rì (kiểm thử)")
    query = f"/evaluation/councils/?cycle={backan_2024.pk}&sort=name"

    province = client_for("tinh.backan").get(query).content.decode()
    nari = client_for("huyen.nari").get(query).content.decode()

    assert listed(province) == ["Hội đồng huyện Bạch Thông (kiểm thử)", "Hội đồng huyện Na Rì (kiểm thử)"]
    assert listed(nari) == ["Hội đồng huyện Na Rì (kiểm thử)"]


def test_council_of_bach_thong_is_404_for_the_na_ri_officer(client_for, backan_2024, unit):
    council = district_council(backan_2024, unit("063"), "Hội đồng huyện Bạch Thông (kiểm thử)")
    response = client_for("huyen.nari").get(f"/evaluation/councils/{council.pk}/")
    assert response.status_code == 404
    assert "Hội đồng huyện Bạch Thông" not in response.content.decode()


def test_council_is_404_for_a_member_of_another_council(client, backan_2024, unit):
    outsider = UserFactory(username="chuyengia.khac", role=Role.COUNCIL_MEMBER)
    district_council(backan_2024, unit("066"), "Hội đồng huyện Na Rì (kiểm thử)", members=[outsider])
    other = district_council(backan_2024, unit("063"), "Hội đồng huyện Bạch Thông (kiểm thử)")
    client.force_login(outsider)

    detail = client.get(f"/evaluation/councils/{other.pk}/")
    listing = client.get("/evaluation/councils/").content.decode()

    assert detail.status_code == 404
    assert listed(listing) == ["Hội đồng huyện Na Rì (kiểm thử)"]


def test_session_is_404_for_a_member_of_another_council(client, provincial, backan_2024, unit):
    outsider = UserFactory(username="chuyengia.khac", role=Role.COUNCIL_MEMBER)
    district_council(backan_2024, unit("066"), "Hội đồng huyện Na Rì (kiểm thử)", members=[outsider])
    client.force_login(outsider)
    assert client.get(f"/evaluation/sessions/{provincial.session.pk}/").status_code == 404


def test_session_of_the_province_is_404_for_a_district_officer(client_for, provincial):
    assert client_for("huyen.nari").get(f"/evaluation/sessions/{provincial.session.pk}/").status_code == 404


def test_council_list_is_forbidden_to_a_subject_representative(client_for):
    assert client_for("htx.thienan").get("/evaluation/councils/").status_code == 403


def test_council_list_filters_by_level_and_searches_without_diacritics(client_for, backan_2024, unit):
    district_council(backan_2024, unit("063"), "Hội đồng huyện Bạch Thông (kiểm thử)")
    council_create(cycle=backan_2024, level=EvaluationLevel.PROVINCE, unit=unit("06"),
                   name="Hội đồng tỉnh Bắc Kạn (kiểm thử)", by=None)
    client = client_for("tinh.backan")

    by_level = client.get(f"/evaluation/councils/?cycle={backan_2024.pk}&level=province").content.decode()
    by_search = client.get(f"/evaluation/councils/?cycle={backan_2024.pk}&q=bach thong").content.decode()
    nothing = client.get(f"/evaluation/councils/?cycle={backan_2024.pk}&q=khong co").content.decode()

    assert listed(by_level) == ["Hội đồng tỉnh Bắc Kạn (kiểm thử)"]
    assert listed(by_search) == ["Hội đồng huyện Bạch Thông (kiểm thử)"]
    assert "Không có hội đồng nào khớp với tìm kiếm." in nothing


def test_council_list_runs_the_same_queries_for_one_or_several_councils(client_for, backan_2024, unit,
                                                                       django_assert_num_queries):
    client = client_for("tinh.backan")
    url = f"/evaluation/councils/?cycle={backan_2024.pk}"
    district_council(backan_2024, unit("063"), "Hội đồng 1", members=[UserFactory(username="tv.1")])
    baseline = count_queries(lambda: client.get(url))
    for i in range(2, 5):
        council = district_council(backan_2024, unit("066"), f"Hội đồng {i}",
                                   members=[UserFactory(username=f"tv.{i}")])
        session_create(council=council, held_on=datetime.date(2024, 10, i), by=None)

    with django_assert_num_queries(baseline):
        page = client.get(url).content.decode()
    assert len(listed(page)) == 4


def test_council_export_lists_the_filtered_councils(client_for, backan_2024, unit):
    district_council(backan_2024, unit("063"), "Hội đồng huyện Bạch Thông (kiểm thử)", members=[
        UserFactory(username="tv.1")])
    response = client_for("tinh.backan").get(f"/evaluation/councils/export/?cycle={backan_2024.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tên", "Cấp", "Đơn vị")
    assert rows[1][0] == "Hội đồng huyện Bạch Thông (kiểm thử)"
    assert rows[1][5] == 1
    assert len(rows) == 2


# ---------------------------------------------------------------------------------------------
# Forming a council, its members and advisory team
# ---------------------------------------------------------------------------------------------


def test_district_officer_forms_a_council_of_his_district(client_for, backan_2024, unit):
    response = client_for("huyen.bachthong").post("/evaluation/councils/new/", {
        "cycle": backan_2024.pk, "level": "district", "unit": unit("063").pk,
        "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Bạch Thông năm 2024",
        "established_by": "Quyết định số 900/QĐ-UBND ngày 01/9/2024"})
    council = Council.objects.get(name="Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Bạch Thông năm 2024")
    assert response.status_code == 302 and response["Location"] == f"/evaluation/councils/{council.pk}/"
    assert (council.level, council.unit.code, council.cycle_id) == ("district", "063", backan_2024.pk)
    assert AuditEntry.objects.filter(
        object_id=council.pk, action="create", actor__username="huyen.bachthong").count() == 1


def test_council_level_must_fit_its_unit(client_for, backan_2024, unit):
    response = client_for("tinh.backan").post("/evaluation/councils/new/", {
        "cycle": backan_2024.pk, "level": "district", "unit": unit("06").pk, "name": "Hội đồng sai cấp"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hội đồng cấp huyện phải đặt tại đơn vị cùng cấp" in page
    assert 'value="Hội đồng sai cấp"' in page
    assert not Council.objects.filter(name="Hội đồng sai cấp").exists()


def test_council_unit_must_lie_in_the_cycle_province(client_for, backan_2024, unit):
    response = client_for("admin").post("/evaluation/councils/new/", {
        "cycle": backan_2024.pk, "level": "province", "unit": unit("17").pk, "name": "Hội đồng khác tỉnh"})
    assert "Đơn vị của hội đồng phải thuộc tỉnh của chu trình." in response.content.decode()
    assert not Council.objects.filter(name="Hội đồng khác tỉnh").exists()


def test_council_member_cannot_form_a_council(client_for):
    assert client_for("hoidong.1").get("/evaluation/councils/new/").status_code == 403


def test_official_adds_a_chair_and_a_second_chair_is_refused_beside_the_role(client_for, backan_2024, unit, users):
    council = district_council(backan_2024, unit("063"), "Hội đồng huyện Bạch Thông (kiểm thử)")
    client = client_for("huyen.bachthong")

    first = client.post(f"/evaluation/councils/{council.pk}/members/", {
        "user": users["hoidong.1"].pk, "role": "chair", "agency": ""})
    second = client.post(f"/evaluation/councils/{council.pk}/members/", {
        "user": users["hoidong.2"].pk, "role": "chair", "agency": "Sở Công Thương"})

    member = council.members.get()
    assert first.status_code == 302
    assert (member.user.username, member.role, member.agency) == (
        "hoidong.1", "chair", "Sở Nông nghiệp và PTNT tỉnh Bắc Kạn")
    assert second.status_code == 200
    assert "Hội đồng này đã có chủ tịch." in second.content.decode()
    assert council.members.count() == 1


def test_member_form_offers_people_of_the_council_province_and_outside_experts(client_for, provincial, unit):
    UserFactory(username="chuyengia.hoabinh", role=Role.COUNCIL_MEMBER, unit=unit("17"))
    UserFactory(username="chuyengia.vien", role=Role.COUNCIL_MEMBER, unit=None)
    page = client_for("tinh.backan").get(f"/evaluation/councils/{provincial.council.pk}/").content.decode()
    assert "chuyengia.vien (chuyengia.vien)</option>" in page
    assert "chuyengia.hoabinh" not in page
    assert "Nguyễn Văn An (hoidong.1) – " not in page  # already a member


def test_member_is_removed_after_confirmation_and_not_once_he_has_scored(client_for, provincial, users):
    page = client_for("tinh.backan").get(f"/evaluation/councils/{provincial.council.pk}/").content.decode()
    member_2, member_3 = provincial.members[1], provincial.members[2]
    score_set(scorecard=provincial.card(users["hoidong.3"]), criterion_id=option_of(
        provincial.sheet(), "A1.1", 10).criterion_id, option_id=option_of(provincial.sheet(), "A1.1", 10).pk,
        by=users["hoidong.3"])
    client = client_for("tinh.backan")

    removed = client.post(f"/evaluation/councils/members/{member_2.pk}/remove/", follow=True).content.decode()
    refused = client.post(f"/evaluation/councils/members/{member_3.pk}/remove/", follow=True).content.decode()

    assert 'data-confirm="Đưa Hoàng Thị Bình ra khỏi hội đồng?"' in page
    assert "Đã đưa Hoàng Thị Bình ra khỏi hội đồng." in removed
    assert not CouncilMember.objects.filter(pk=member_2.pk).exists()
    assert Scorecard.objects.filter(member_id=member_2.pk).count() == 0
    assert "Lý Văn Cường đã chấm điểm sản phẩm của hội đồng này nên không thể đưa ra khỏi hội đồng." in refused
    assert CouncilMember.objects.filter(pk=member_3.pk).exists()


def test_member_removal_is_forbidden_to_a_member(client_for, provincial):
    response = client_for("hoidong.2").post(f"/evaluation/councils/members/{provincial.members[2].pk}/remove/")
    assert response.status_code == 403
    assert CouncilMember.objects.filter(pk=provincial.members[2].pk).exists()


def test_advisory_team_member_is_added_and_removed(client_for, provincial):
    client = client_for("tinh.backan")
    url = f"/evaluation/councils/{provincial.council.pk}/advisers/"

    missing_name = client.post(url, {"name": "", "agency": "VPĐP NTM tỉnh"})
    client.post(url, {"name": "Đinh Thị Hà", "agency": "VPĐP NTM tỉnh Bắc Kạn", "task": "Tổng hợp hồ sơ"})
    adviser = AdvisoryMember.objects.get(council=provincial.council)
    page = client.get(f"/evaluation/councils/{provincial.council.pk}/").content.decode()
    client.post(f"/evaluation/councils/advisers/{adviser.pk}/remove/")

    assert "Trường này là bắt buộc." in missing_name.content.decode()
    assert "Đinh Thị Hà" in page and "Tổng hợp hồ sơ" in page
    assert AdvisoryMember.objects.filter(council=provincial.council).count() == 0


def test_member_added_later_gets_scorecards_for_the_open_session(provincial):
    late = UserFactory(username="chuyengia.moi", role=Role.COUNCIL_MEMBER)
    member = council_member_add(council=provincial.council, user=late, by=None)
    assert Scorecard.objects.filter(member=member).count() == 2
    assert provincial.session.present.filter(pk=member.pk).exists()


# ---------------------------------------------------------------------------------------------
# Sessions and their agenda
# ---------------------------------------------------------------------------------------------


def test_official_plans_a_session_with_every_member_present(client_for, provincial):
    client = client_for("tinh.backan")
    response = client.post(f"/evaluation/councils/{provincial.council.pk}/sessions/", {
        "held_on": "20/11/2024", "place": "Hội trường UBND tỉnh"})
    session = Session.objects.get(council=provincial.council, number=2)
    assert response.status_code == 302 and response["Location"] == f"/evaluation/sessions/{session.pk}/"
    assert session.held_on == datetime.date(2024, 11, 20)
    assert session.present.count() == 3


def test_session_with_a_bad_date_keeps_the_entry_and_shows_the_error(client_for, provincial):
    response = client_for("tinh.backan").post(f"/evaluation/councils/{provincial.council.pk}/sessions/", {
        "held_on": "31/02/2024", "place": "Hội trường UBND tỉnh"})
    page = response.content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert 'value="Hội trường UBND tỉnh"' in page
    assert provincial.council.sessions.count() == 1


def test_submitted_dossiers_of_the_area_are_offered_and_assigned(client_for, provincial, backan_2024, unit):
    subject = SubjectFactory(name="Hợp tác xã Kiểm thử Sĩ Bình", commune=unit("01846"))
    product = ProductFactory(subject=subject, name="Chè Sĩ Bình", product_set=ProductSet.objects.get(number=7))
    dossier = Dossier.objects.create(product=product, cycle=backan_2024, status=DossierStatus.SUBMITTED)
    draft = Dossier.objects.create(product=ProductFactory(subject=subject, name="Chè nháp"), cycle=backan_2024)
    client = client_for("tinh.backan")
    page = client.get(f"/evaluation/sessions/{provincial.session.pk}/").content.decode()

    client.post(f"/evaluation/sessions/{provincial.session.pk}/assign/", {"dossiers": [dossier.pk], "kind": "first"})

    evaluation = Evaluation.objects.get(session=provincial.session, product=product)
    assert "Chè Sĩ Bình – Hợp tác xã Kiểm thử Sĩ Bình" in page
    assert "Chè nháp" not in page and draft.status == DossierStatus.DRAFT
    assert evaluation.dossier == dossier and evaluation.sheet.product_set.number == 7
    assert evaluation.scorecards.count() == 3


def test_assigning_a_product_without_a_sheet_shows_why(client_for, provincial, unit):
    product = ProductFactory(subject=SubjectFactory(commune=unit("01846")), name="Thổ cẩm Sĩ Bình",
                             product_set=ProductSet.objects.get(number=22))
    client = client_for("tinh.backan")

    found = client.get(f"/evaluation/sessions/{provincial.session.pk}/?product_q=tho cam").content.decode()
    response = client.post(f"/evaluation/sessions/{provincial.session.pk}/assign/",
                           {"product": product.pk, "kind": "first"}, follow=True)

    assert "Thổ cẩm Sĩ Bình" in found
    assert (f"Thổ cẩm Sĩ Bình: Không có phiếu đánh giá cho {product.product_set} theo "
            f"{provincial.regulation.code}.") in response.content.decode()
    assert not Evaluation.objects.filter(product=product).exists()


def test_attendance_is_saved_from_the_checkboxes(client_for, provincial):
    chair, second, _third = provincial.members
    client_for("tinh.backan").post(f"/evaluation/sessions/{provincial.session.pk}/present/",
                                   {"members": [chair.pk, second.pk]})
    assert set(provincial.session.present.values_list("pk", flat=True)) == {chair.pk, second.pk}


def test_member_acting_for_the_subject_gets_no_scorecard_and_a_detected_conflict(client_for, provincial, users, unit):
    subject = SubjectFactory(name="Hợp tác xã Kiểm thử Kim Lư", commune=unit("01966"))
    SubjectRepresentative.objects.create(subject=subject, user=users["hoidong.3"], position="Thành viên")
    product = ProductFactory(subject=subject, name="Gạo Kim Lư", product_set=ProductSet.objects.get(number=7))

    evaluation = session_assign(session=provincial.session, product=product, by=None)
    page = client_for("hoidong.1").get(f"/evaluation/sessions/{provincial.session.pk}/").content.decode()

    conflict = ConflictOfInterest.objects.get(evaluation=evaluation)
    assert (conflict.member.user.username, conflict.detected) == ("hoidong.3", True)
    assert conflict.reason == "Đại diện cho chủ thể Hợp tác xã Kiểm thử Kim Lư"
    assert sorted(evaluation.scorecards.values_list("member__user__username", flat=True)) == ["hoidong.1", "hoidong.2"]
    assert 'title="Đại diện cho chủ thể Hợp tác xã Kiểm thử Kim Lư">Xung đột lợi ích</span>' in page


def test_session_page_shows_progress_but_no_scores_to_a_member_who_has_not_submitted(client_for, provincial, users):
    first, second = provincial.evaluations
    for evaluation in (first, second):
        card = provincial.card(users["hoidong.1"], evaluation)
        answer_all(card, default="20")
        scorecard_submit(scorecard=card, by=users["hoidong.1"])
    score_set(scorecard=provincial.card(users["hoidong.2"]), criterion_id=option_of(provincial.sheet(), "B2.1", 15)
              .criterion_id, option_id=option_of(provincial.sheet(), "B2.1", 15).pk, by=users["hoidong.2"])

    page = client_for("hoidong.2").get(f"/evaluation/sessions/{provincial.session.pk}/").content.decode()

    assert f'<span class="text-nowrap">{CRITERIA_COUNT}/{CRITERIA_COUNT}</span>' in page
    assert f'<span class="text-nowrap">1/{CRITERIA_COUNT}</span>' in page
    assert page.count('data-testid="submitted"') == 2
    assert 'data-testid="card-total"' not in page
    assert "/results/" not in page
    assert "Kết quả hiển thị khi bạn đã nộp tất cả phiếu của mình trong phiên này." in page


def test_session_page_shows_totals_and_results_once_the_member_has_submitted_all_his_cards(client_for, provincial,
                                                                                            users):
    for user in (users["hoidong.1"], users["hoidong.2"]):
        for evaluation in provincial.evaluations:
            card = provincial.card(user, evaluation)
            answer_all(card, default="20" if user.username == "hoidong.1" else "10")
            scorecard_submit(scorecard=card, by=user)

    page = client_for("hoidong.2").get(f"/evaluation/sessions/{provincial.session.pk}/").content.decode()
    totals = re.findall(r'data-testid="card-total">([^<]*)<', page)

    assert totals == ["80", "50", "80", "50"]
    assert f'href="/evaluation/sessions/{provincial.session.pk}/results/"' in page


def test_official_sees_the_totals_of_submitted_scorecards_on_the_session_page(client_for, provincial, users):
    submitted, in_progress = provincial.card(users["hoidong.2"]), provincial.card(users["hoidong.3"])
    answer_all(submitted)
    scorecard_submit(scorecard=submitted, by=users["hoidong.2"])
    answer_all(in_progress, default="20")
    page = client_for("tinh.backan").get(f"/evaluation/sessions/{provincial.session.pk}/").content.decode()
    assert re.findall(r'data-testid="card-total">([^<]*)<', page) == ["50"]


def test_chair_reopens_a_submitted_scorecard_with_a_reason(client_for, provincial, users):
    card = provincial.card(users["hoidong.2"])
    answer_all(card)
    scorecard_submit(scorecard=card, by=users["hoidong.2"])
    client = client_for("hoidong.1")

    without = client.post(f"/evaluation/scorecards/{card.pk}/reopen/", {"reason": "  "})
    card.refresh_from_db()
    status_after_refusal = card.status
    done = client.post(f"/evaluation/scorecards/{card.pk}/reopen/",
                       {"reason": "Chấm lại tiêu chí B2.1 sau thảo luận"}, follow=True)
    card.refresh_from_db()

    assert "Hãy nêu lý do." in without.content.decode()
    assert status_after_refusal == ScorecardStatus.SUBMITTED
    assert "Đã mở lại phiếu chấm của Hoàng Thị Bình" in done.content.decode()
    assert (card.status, card.reopen_reason, card.submitted_at) == (
        ScorecardStatus.OPEN, "Chấm lại tiêu chí B2.1 sau thảo luận", None)


def test_the_member_is_told_once_that_the_chair_reopened_his_scorecard(client_for, provincial, users):
    from ocop.enums import NotificationEmail
    from ocop.models import Notification

    member = users["hoidong.2"]
    card = provincial.card(member)
    answer_all(card)
    scorecard_submit(scorecard=card, by=member)
    client = client_for("hoidong.1")
    reason = "Chấm lại tiêu chí B2.1 sau thảo luận"
    client.post(f"/evaluation/scorecards/{card.pk}/reopen/", {"reason": reason})
    again = client.post(f"/evaluation/scorecards/{card.pk}/reopen/", {"reason": reason})  # a second click

    notices = list(Notification.objects.filter(kind="evaluation.scorecard_reopened"))
    assert [(n.recipient.username, n.url) for n in notices] == [("hoidong.2", f"/evaluation/score/{card.pk}/")]
    product = card.evaluation.product.name
    assert notices[0].title == f"Phiếu chấm điểm sản phẩm {product} của bạn đã được mở lại"
    assert notices[0].body == (
        f"Nguyễn Văn An, Chủ tịch Hội đồng cấp tỉnh Bắc Kạn (kiểm thử), đã mở lại phiếu chấm điểm sản phẩm {product} "
        f"của bạn (phiên họp ngày {provincial.session.held_on:%d/%m/%Y}) để bạn sửa và nộp lại. Lý do: {reason}")
    assert again.status_code == 200  # refused: the scorecard is open already
    assert notices[0].email_status == NotificationEmail.PENDING  # and by email, once the change is committed
    page = client_for("hoidong.2").get("/notifications/").content.decode()
    assert f"Phiếu chấm điểm sản phẩm {product} của bạn đã được mở lại" in page


def test_only_the_chair_reopens_a_scorecard(client_for, provincial, users):
    card = provincial.card(users["hoidong.2"])
    answer_all(card)
    scorecard_submit(scorecard=card, by=users["hoidong.2"])
    response = client_for("hoidong.3").post(f"/evaluation/scorecards/{card.pk}/reopen/", {"reason": "Thử"})
    card.refresh_from_db()
    assert response.status_code == 403
    assert card.status == ScorecardStatus.SUBMITTED


def test_members_cannot_change_the_agenda(client_for, provincial, products):
    response = client_for("hoidong.1").post(f"/evaluation/sessions/{provincial.session.pk}/present/", {"members": []})
    assert response.status_code == 403
    assert provincial.session.present.count() == 3


def test_finalised_session_shows_no_agenda_forms(client_for, provincial):
    Session.objects.filter(pk=provincial.session.pk).update(status=SessionStatus.FINALISED)
    page = client_for("tinh.backan").get(f"/evaluation/sessions/{provincial.session.pk}/").content.decode()
    assert 'data-testid="assign-dossiers"' not in page
    assert 'data-testid="presence-form"' not in page
    assert "Đã kết thúc" in page


# ---------------------------------------------------------------------------------------------
# Navigation and home panels
# ---------------------------------------------------------------------------------------------


def test_council_member_has_the_scoring_entry_and_his_waiting_scorecards_on_home(client_for, provincial, users):
    answer_all(provincial.card(users["hoidong.2"]))
    page = client_for("hoidong.2").get("/").content.decode()
    assert '<i class="bi bi-pencil-square nav-icon"></i> Chấm điểm</a>' in page
    assert '<i class="bi bi-award nav-icon"></i> Hội đồng</a>' in page
    assert 'data-testid="panel-scoring"' in page
    assert f"{CRITERIA_COUNT}/{CRITERIA_COUNT} tiêu chí" in page and f"0/{CRITERIA_COUNT} tiêu chí" in page


def test_official_sees_the_sessions_in_progress_of_his_area_on_home(client_for, provincial):
    province = client_for("tinh.backan").get("/").content.decode()
    nari = client_for("huyen.nari").get("/").content.decode()
    assert 'data-testid="panel-sessions"' in province
    assert "Hội đồng cấp tỉnh Bắc Kạn (kiểm thử) · Phiên 1" in province
    assert "0/6 phiếu đã nộp" in province
    assert "Chấm điểm</a>" not in province
    assert "Hội đồng cấp tỉnh Bắc Kạn (kiểm thử)" not in nari


def test_member_role_changes_are_audited_on_the_council(provincial):
    member = provincial.members[2]
    council_member_remove(member=member, by=None)
    messages = list(AuditEntry.objects.filter(object_id=provincial.council.pk, content_type__model="council")
                    .values_list("message", flat=True))
    assert "Đã bỏ thành viên: Lý Văn Cường (Thành viên)" in messages
    assert MemberRole.CHAIR == provincial.members[0].role
