"""Sessions and decisions in the rounds of their cycle (issue 16, item 4): a session goes to the round whose days
hold its date (a day no round holds is planned with a warning), a round created, re-dated or deleted takes and lets
go of sessions by their dates, and the cycle's page shows what each round holds (dossiers, sessions, products
recognised by star) in a fixed number of queries."""
import datetime
import importlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ocop.enums import Role
from ocop.models import AdministrativeUnit, Cycle, Round
from ocop.services import round_create
from ocop.tests.factories import UserFactory
from ocop.tests.utils import count_queries
from products.enums import DossierStatus
from products.models import Dossier
from subjects.tests.factories import SubjectFactory

from ..enums import EvaluationLevel, MemberRole
from ..models import Session
from ..services.councils import council_create, council_member_add, session_assign, session_create
from ..services.results import decision_issue, session_finalise
from ..services.scoring import scorecard_submit
from .factories import ProductFactory, answer_all, regulation_for_test_sheet, scenario_build

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# The small sheet's answers (factories.SHEET): 80 points (4★), 60 (3★), 35 (not recognised).
FOUR_STARS = {"A1.1": 20, "A1.2": 20, "B2.1": 15, "C3.1": 20, "C3.2": 5}
THREE_STARS = {"A1.1": 20, "A1.2": 10, "B2.1": 15, "C3.1": 10, "C3.2": 5}
TWO_STARS = {"A1.1": 10, "A1.2": 0, "B2.1": 15, "C3.1": 10, "C3.2": 0}


def page_of(response) -> str:
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def messages_of(page: str) -> list[str]:
    return [text_of(m) for m in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)<button', page, flags=re.S)]


def round_row(page: str, number: int) -> dict[str, str]:
    """The cycle page's row of round `number`: its cells as a user reads them."""
    row = page.split(f'data-testid="round-{number}"')[1].split("</tr>")[0]
    cell = lambda name: text_of(row.split(f'data-testid="{name}"')[1].split("</td>")[0].split(">", 1)[1])  # noqa: E731
    return {"dossiers": cell("round-dossiers"), "sessions": cell("round-sessions"), "results": cell("round-results")}


# ---------------------------------------------------------------------------------------------
# Thái Nguyên 2026: the demo's two rounds (01/01 – 30/06, 01/07 – 30/12)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def thai_nguyen_2026(users):
    return Cycle.objects.get(province__code="19", year=2026)


@pytest.fixture
def thai_nguyen_office(users):
    return UserFactory(username="kt.thainguyen", role=Role.PROVINCE_STAFF,
                       unit=AdministrativeUnit.objects.get(code="19"))


@pytest.fixture
def provincial_council(thai_nguyen_2026):
    council = council_create(cycle=thai_nguyen_2026, level=EvaluationLevel.PROVINCE,
                             unit=thai_nguyen_2026.province, by=None,
                             name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên năm 2026")
    council_member_add(council=council, user=UserFactory(username="kt.chutich"), role=MemberRole.CHAIR, by=None)
    return council


def test_session_planned_on_the_council_page_goes_to_the_round_holding_its_date(
        client, thai_nguyen_office, provincial_council):
    client.force_login(thai_nguyen_office)
    council_page = page_of(client.get(provincial_council.get_absolute_url()))
    assert "Phiên họp được xếp vào đợt đánh giá của chu trình có thời gian bao gồm ngày này." in council_page
    response = client.post(reverse("evaluation:session-create", args=[provincial_council.pk]),
                           {"held_on": "15/05/2026", "place": "Hội trường tỉnh"})
    session = Session.objects.get(council=provincial_council)
    assert response["Location"] == session.get_absolute_url()
    assert session.round == Round.objects.get(cycle=provincial_council.cycle, number=1)
    page = page_of(client.get(session.get_absolute_url()))
    line = text_of(page.split('data-testid="session-round"')[1].split("</div>")[0].split(">", 1)[1])
    assert line == "Đợt đánh giá: Đợt 1 năm 2026 (01/01/2026 – 30/06/2026)"

    later = session_create(council=provincial_council, held_on=datetime.date(2026, 7, 1), by=None)
    assert later.round.number == 2


def test_session_on_a_day_in_no_round_is_planned_with_a_warning_naming_the_rounds(client, thai_nguyen_office,
                                                                                  provincial_council):
    """31/12: the default second round closes on 30/12 (26/2026/QĐ-TTg); the council may still sit then."""
    client.force_login(thai_nguyen_office)
    response = client.post(reverse("evaluation:session-create", args=[provincial_council.pk]),
                           {"held_on": "31/12/2026", "place": "Hội trường tỉnh"}, follow=True)
    session = Session.objects.get(council=provincial_council)
    assert response.redirect_chain == [(session.get_absolute_url(), 302)]
    assert messages_of(page_of(response)) == [
        "Đã lên lịch phiên 1. Hãy đưa sản phẩm vào chương trình phiên.",
        "Ngày 31/12/2026 không thuộc đợt đánh giá nào của chu trình (Đợt 1 năm 2026: 01/01/2026 – 30/06/2026; "
        "Đợt 2 năm 2026: 01/07/2026 – 30/12/2026): phiên họp không thuộc đợt nào và kết quả của phiên sẽ không có "
        "trong số liệu của đợt. Hãy chọn một ngày trong một đợt, hoặc kéo dài một đợt đến ngày này trên trang chu "
        "trình."]
    assert session.held_on == datetime.date(2026, 12, 31) and session.round is None


def test_session_within_a_round_is_planned_without_a_warning(client, thai_nguyen_office, provincial_council):
    client.force_login(thai_nguyen_office)
    response = client.post(reverse("evaluation:session-create", args=[provincial_council.pk]),
                           {"held_on": "30/12/2026", "place": "Hội trường tỉnh"}, follow=True)
    assert messages_of(page_of(response)) == [
        "Đã lên lịch phiên 1. Hãy đưa sản phẩm vào chương trình phiên."]
    assert Session.objects.get(council=provincial_council).round.number == 2


def test_central_council_sits_outside_the_province_rounds(thai_nguyen_2026):
    central = council_create(cycle=thai_nguyen_2026, level=EvaluationLevel.CENTRAL, unit=thai_nguyen_2026.province,
                             name="Hội đồng cấp trung ương (kiểm thử)", by=None)
    session = session_create(council=central, held_on=datetime.date(2026, 12, 31), by=None)
    assert session.round is None


def test_session_of_a_cycle_without_rounds_has_no_round(users):
    backan_2023 = Cycle.objects.get(province__code="06", year=2023)
    council = council_create(cycle=backan_2023, level=EvaluationLevel.PROVINCE, unit=backan_2023.province,
                             name="Hội đồng tỉnh Bắc Kạn 2023 (kiểm thử)", by=None)
    assert session_create(council=council, held_on=datetime.date(2023, 11, 14), by=None).round is None


def test_deleting_a_round_releases_its_sessions_and_a_round_dated_again_takes_them_back(
        client, thai_nguyen_office, provincial_council):
    session = session_create(council=provincial_council, held_on=datetime.date(2026, 5, 15), by=None)
    first = Round.objects.get(cycle=provincial_council.cycle, number=1)
    client.force_login(thai_nguyen_office)
    page = page_of(client.get(provincial_council.cycle.get_absolute_url()))
    form = page.split(f'action="/cycles/rounds/{first.pk}/delete/"')[1].split(">")[0]
    assert 'data-confirm="Xóa Đợt 1 năm 2026? Các phiên họp của đợt vẫn được giữ, không thuộc đợt nào."' in form

    response = client.post(f"/cycles/rounds/{first.pk}/delete/")
    page = page_of(client.get(response["Location"]))
    assert messages_of(page) == [
        "Đã xóa Đợt 1 năm 2026. 1 phiên họp của đợt nay không thuộc đợt nào; đợt được tạo lại bao gồm ngày họp sẽ "
        "nhận lại các phiên này."]
    assert not Round.objects.filter(pk=first.pk).exists()
    session.refresh_from_db()
    assert session.round is None
    assert session_audit(session) == "Không còn thuộc đợt nào: không đợt nào của chu trình bao gồm ngày họp"

    response = client.post(f"/cycles/{provincial_council.cycle.pk}/rounds/new/", {
        "number": 1, "name": "Đợt 1 năm 2026", "starts_on": "01/01/2026", "ends_on": "30/06/2026"})
    page = page_of(client.get(response["Location"]))
    assert messages_of(page) == [
        "Đã thêm Đợt 1 năm 2026 vào chu trình. Đợt nhận 1 phiên họp diễn ra trong thời gian của đợt."]
    session.refresh_from_db()
    assert session.round.number == 1
    assert session_audit(session) == "Được xếp vào Đợt 1 năm 2026, đợt có thời gian bao gồm ngày họp"


def session_audit(session) -> str:
    from ocop.models import AuditEntry

    return AuditEntry.objects.filter(content_type__model="session", object_id=session.pk).latest("at", "pk").message


def test_round_re_dated_lets_go_of_the_sessions_outside_its_days_and_the_round_holding_them_takes_them(
        client, thai_nguyen_office, provincial_council):
    """Round 1 closes on 15/06 instead of 30/06: the session of 20/06 leaves it for no round; round 2 then opens on
    16/06 and runs to 31/12: it takes that session and the one of 31/12, which no round held."""
    held = {day: session_create(council=provincial_council, held_on=day, by=None) for day in (
        datetime.date(2026, 3, 2), datetime.date(2026, 6, 20), datetime.date(2026, 12, 31))}
    first, second = Round.objects.filter(cycle=provincial_council.cycle).order_by("number")
    client.force_login(thai_nguyen_office)

    response = client.post(f"/cycles/rounds/{first.pk}/edit/", {
        "number": 1, "name": "Đợt 1 năm 2026", "starts_on": "01/01/2026", "ends_on": "15/06/2026"})
    shrunk = messages_of(page_of(client.get(response["Location"])))
    placed_after_first = {day: Session.objects.get(pk=s.pk).round_id for day, s in held.items()}
    response = client.post(f"/cycles/rounds/{second.pk}/edit/", {
        "number": 2, "name": "Đợt 2 năm 2026", "starts_on": "16/06/2026", "ends_on": "31/12/2026"})
    widened = messages_of(page_of(client.get(response["Location"])))

    assert shrunk == ["Đã lưu Đợt 1 năm 2026. 1 phiên họp nằm ngoài thời gian của đợt đã rời đợt, sang đợt bao gồm "
                      "ngày họp hoặc không thuộc đợt nào."]
    assert placed_after_first == {datetime.date(2026, 3, 2): first.pk, datetime.date(2026, 6, 20): None,
                                  datetime.date(2026, 12, 31): None}
    assert widened == ["Đã lưu Đợt 2 năm 2026. Đợt nhận 2 phiên họp diễn ra trong thời gian của đợt."]
    assert {day: Session.objects.get(pk=s.pk).round_id for day, s in held.items()} == {
        datetime.date(2026, 3, 2): first.pk, datetime.date(2026, 6, 20): second.pk,
        datetime.date(2026, 12, 31): second.pk}


def test_round_created_after_the_sessions_takes_those_held_on_its_days(users):
    """Bắc Kạn 2023 had no round when its councils sat; the round dated later takes the provincial session held in
    it, not the one outside its days, nor the central council's (the ministry keeps no province's rounds)."""
    cycle = Cycle.objects.get(province__code="06", year=2023)
    council = council_create(cycle=cycle, level=EvaluationLevel.PROVINCE, unit=cycle.province,
                             name="Hội đồng tỉnh Bắc Kạn 2023 (kiểm thử)", by=None)
    central = council_create(cycle=cycle, level=EvaluationLevel.CENTRAL, unit=cycle.province,
                             name="Hội đồng cấp trung ương (kiểm thử)", by=None)
    inside = session_create(council=council, held_on=datetime.date(2023, 11, 14), by=None)
    outside = session_create(council=council, held_on=datetime.date(2023, 3, 1), by=None)
    central_session = session_create(council=central, held_on=datetime.date(2023, 11, 20), by=None)

    round_ = round_create(cycle=cycle, number=1, name="Đợt 2 năm 2023", starts_on=datetime.date(2023, 7, 1),
                          ends_on=datetime.date(2023, 12, 30), by=None)

    assert round_.placement.taken == {round_.pk: 1}
    assert [Session.objects.get(pk=s.pk).round_id for s in (inside, outside, central_session)] == [
        round_.pk, None, None]


# ---------------------------------------------------------------------------------------------
# Bắc Kạn 2024: round 1 of the demo (01/09 – 30/11), round 2 added (01/12 – 30/12), a scored session
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def backan_2024(users):
    cycle = Cycle.objects.get(province__code="06", year=2024)
    round_create(cycle=cycle, number=2, name="Đợt 2 năm 2024", starts_on=datetime.date(2024, 12, 1),
                 ends_on=datetime.date(2024, 12, 30), by=None)
    return cycle


def product_in(commune_code: str, name: str):
    return ProductFactory(name=name, subject=SubjectFactory(commune=AdministrativeUnit.objects.get(code=commune_code)))


def dossier(product, cycle, submitted_at):
    return Dossier.objects.create(product=product, cycle=cycle, submitted_at=submitted_at,
                                  status=DossierStatus.SUBMITTED if submitted_at else DossierStatus.DRAFT)


def scored_session(cycle, *, held_on, answers: list[dict], name: str, decision_number: str, first_user: int):
    """A provincial council's session of `held_on` whose products score `answers` (one per product), finalised,
    with its decision signed ten days later."""
    users = [UserFactory(username=f"kt.tv{first_user + i}") for i in range(3)]
    products = [product_in("01843", f"{name} – sản phẩm {i + 1}") for i in range(len(answers))]
    scenario = scenario_build(cycle=cycle, unit=cycle.province, users=users, products=products, held_on=held_on,
                              name=name)
    for evaluation, points in zip(scenario.evaluations, answers, strict=True):
        for user in users:
            card = scenario.card(user, evaluation)
            answer_all(card, points)
            scorecard_submit(scorecard=card, by=user)
    session_finalise(session=scenario.session, by=users[0])
    decision_issue(session=scenario.session, number=decision_number, signed_on=held_on + datetime.timedelta(days=10),
                   signer="Chủ tịch UBND tỉnh Bắc Kạn", by=None)
    return scenario


def test_cycle_page_shows_each_round_dossiers_sessions_and_results(client_for, backan_2024):
    scenario = scored_session(backan_2024, held_on=datetime.date(2024, 10, 15),
                              answers=[FOUR_STARS, THREE_STARS, TWO_STARS], name="Hội đồng tỉnh Bắc Kạn 2024",
                              decision_number="1801/QĐ-UBND", first_user=1)
    planned = session_create(council=scenario.council, held_on=datetime.date(2024, 12, 10), by=None)
    session_assign(session=planned, product=product_in("01846", "Sản phẩm đợt 2"), by=None)
    for code, at in [
        ("01843", datetime.datetime(2024, 9, 10, 9, 0, tzinfo=HANOI)),     # round 1
        ("01843", datetime.datetime(2024, 11, 30, 23, 30, tzinfo=HANOI)),  # round 1: its last day, in Việt Nam
        ("01846", datetime.datetime(2024, 12, 1, 0, 30, tzinfo=HANOI)),    # round 2 (still 30/11 in UTC)
        ("01846", datetime.datetime(2024, 8, 20, 9, 0, tzinfo=HANOI)),     # before every round
        ("01846", None),                                                   # not submitted
    ]:
        dossier(product_in(code, f"Sản phẩm hồ sơ {at}"), backan_2024, at)

    page = page_of(client_for("tinh.backan").get(backan_2024.get_absolute_url()))
    assert round_row(page, 1) == {
        "dossiers": "2",
        "sessions": "Hội đồng tỉnh Bắc Kạn 2024, phiên 1, ngày 15/10/2024 (3 sản phẩm)",
        "results": "4★: 1 · 3★: 1"}
    assert round_row(page, 2) == {
        "dossiers": "1",
        "sessions": "Hội đồng tỉnh Bắc Kạn 2024, phiên 2, ngày 10/12/2024 (1 sản phẩm)",
        "results": "chưa có"}
    assert f'href="{scenario.session.get_absolute_url()}"' in page and f'href="{planned.get_absolute_url()}"' in page

    decision = scenario.session.decisions.get()
    decision_page = page_of(client_for("tinh.backan").get(decision.get_absolute_url()))
    line = text_of(decision_page.split('data-testid="decision-round"')[1].split("</dd>")[0].split(">", 1)[1])
    assert line == "Đánh giá, phân hạng sản phẩm OCOP năm 2024 (01/09/2024 – 30/11/2024)"


def test_round_figures_of_a_district_officer_are_those_of_his_area(client_for, backan_2024):
    scored_session(backan_2024, held_on=datetime.date(2024, 10, 15), answers=[FOUR_STARS],
                   name="Hội đồng tỉnh Bắc Kạn 2024", decision_number="1801/QĐ-UBND", first_user=1)
    dossier(product_in("01843", "Hồ sơ Bạch Thông"), backan_2024, datetime.datetime(2024, 9, 10, 9, tzinfo=HANOI))
    dossier(product_in("01963", "Hồ sơ Na Rì"), backan_2024, datetime.datetime(2024, 9, 11, 9, tzinfo=HANOI))
    tinh = page_of(client_for("tinh.backan").get(backan_2024.get_absolute_url()))
    nari = page_of(client_for("huyen.nari").get(backan_2024.get_absolute_url()))
    assert round_row(tinh, 1)["dossiers"] == "2" and round_row(tinh, 1)["results"] == "4★: 1"
    # Na Rì's officer sees his district's dossier, not the province's session he may not open.
    assert round_row(nari, 1) == {"dossiers": "1", "sessions": "chưa có", "results": "chưa có"}


def test_round_counts_the_dossiers_it_evaluated_and_those_still_waiting_that_came_in_during_it(client_for,
                                                                                               backan_2024):
    """A dossier returned since its submission no longer counts; one evaluated in a round's session counts in that
    round, not in the round it came in, nor nowhere when it came in before every round."""
    waiting = dossier(product_in("01843", "Đang chờ"), backan_2024, datetime.datetime(2024, 9, 10, 9, tzinfo=HANOI))
    returned = dossier(product_in("01843", "Đã trả lại"), backan_2024,
                       datetime.datetime(2024, 9, 12, 9, tzinfo=HANOI))
    Dossier.objects.filter(pk=returned.pk).update(status=DossierStatus.RETURNED)
    early = dossier(product_in("01846", "Nộp trước các đợt"), backan_2024,
                    datetime.datetime(2024, 8, 20, 9, tzinfo=HANOI))
    late_in_first = dossier(product_in("01846", "Nộp cuối đợt 1"), backan_2024,
                            datetime.datetime(2024, 11, 15, 9, tzinfo=HANOI))
    dossier(product_in("01846", "Nộp đợt 2"), backan_2024, datetime.datetime(2024, 12, 5, 9, tzinfo=HANOI))
    scenario = scenario_build(cycle=backan_2024, unit=backan_2024.province, products=[],
                              users=[UserFactory(username="kt.chutich2024")], held_on=datetime.date(2024, 12, 10),
                              name="Hội đồng tỉnh Bắc Kạn 2024, đợt 2")
    for evaluated in (early, late_in_first):
        regulation_for_test_sheet(evaluated)
        session_assign(session=scenario.session, product=evaluated.product, dossier=evaluated, by=None)

    page = page_of(client_for("tinh.backan").get(backan_2024.get_absolute_url()))

    assert waiting.status == DossierStatus.SUBMITTED
    assert [round_row(page, n)["dossiers"] for n in (1, 2)] == ["1", "3"]


def test_cycle_page_runs_the_same_queries_for_one_or_several_rounds(client_for, backan_2024,
                                                                    django_assert_num_queries):
    backan_2024.rounds.filter(number=2).delete()
    scored_session(backan_2024, held_on=datetime.date(2024, 10, 15), answers=[FOUR_STARS],
                   name="Hội đồng 1", decision_number="1801/QĐ-UBND", first_user=1)
    client = client_for("tinh.backan")
    url = backan_2024.get_absolute_url()
    baseline = count_queries(lambda: client.get(url))

    for number, (starts_on, ends_on) in enumerate([((12, 1), (12, 15)), ((12, 16), (12, 30))], start=2):
        round_create(cycle=backan_2024, number=number, name=f"Đợt {number}", by=None,
                     starts_on=datetime.date(2024, *starts_on), ends_on=datetime.date(2024, *ends_on))
    scored_session(backan_2024, held_on=datetime.date(2024, 11, 5), answers=[THREE_STARS, FOUR_STARS],
                   name="Hội đồng 2", decision_number="1802/QĐ-UBND", first_user=10)
    for day in (2, 17):
        council = backan_2024.councils.get(name="Hội đồng 2")
        session_create(council=council, held_on=datetime.date(2024, 12, day), by=None)
    for day in (3, 4, 18):
        dossier(product_in("01846", f"Hồ sơ {day}"), backan_2024, datetime.datetime(2024, 12, day, 9, tzinfo=HANOI))

    with django_assert_num_queries(baseline):
        page = page_of(client.get(url))
    assert round_row(page, 1)["results"] == "4★: 2 · 3★: 1"
    assert [round_row(page, n)["dossiers"] for n in (1, 2, 3)] == ["0", "2", "1"]


def test_migration_places_the_sessions_already_held_in_the_round_covering_their_date(thai_nguyen_2026,
                                                                                    provincial_council):
    """Sessions recorded before rounds existed (round empty) go to the round holding their date; a central
    council's, and one on a day no round holds, stay without a round."""
    from django.apps import apps

    migration = importlib.import_module("evaluation.migrations.0005_session_round")
    central = council_create(cycle=thai_nguyen_2026, level=EvaluationLevel.CENTRAL, unit=thai_nguyen_2026.province,
                             name="Hội đồng cấp trung ương (kiểm thử)", by=None)
    made = {day: Session.objects.create(council=provincial_council, number=n, held_on=day) for n, day in enumerate(
        [datetime.date(2026, 3, 2), datetime.date(2026, 9, 9), datetime.date(2026, 12, 31)], start=1)}
    central_session = Session.objects.create(council=central, held_on=datetime.date(2026, 5, 5))

    migration.place_sessions_in_rounds(apps, None)

    assert {day: Session.objects.get(pk=s.pk).round and Session.objects.get(pk=s.pk).round.number
            for day, s in made.items()} == {
        datetime.date(2026, 3, 2): 1, datetime.date(2026, 9, 9): 2, datetime.date(2026, 12, 31): None}
    assert Session.objects.get(pk=central_session.pk).round is None
