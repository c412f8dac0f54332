"""Scoring: the services' refusals, the autosave endpoint (saves, totals, a fixed number of queries, bad
input refused with nothing changed), the scoring page, submission, conflicts, and the member's queue."""
import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from ocop.enums import Role, UnitKind
from ocop.models import AuditEntry
from ocop.tests.factories import CycleFactory, UnitFactory, UserFactory
from ocop.tests.utils import count_queries
from products.enums import DossierStatus, EvidenceKind
from products.models import Dossier, DossierDocument, ProductSet
from subjects.tests.factories import SubjectFactory

from ..enums import ScorecardStatus, SessionStatus
from ..models import ConflictOfInterest, CriterionScore, Scorecard, Session
from ..selectors.scoring import member_queue
from ..services.councils import conflict_declare
from ..services.scoring import score_set, scorecard_reopen, scorecard_submit, scorecard_totals, scores_set
from .factories import CRITERIA_COUNT, ProductFactory, answer_all, option_of, scenario_build


@pytest.fixture
def province(db):
    return UnitFactory(code="99", name="Tỉnh Kiểm Thử", kind=UnitKind.PROVINCE)


@pytest.fixture
def members(db):
    return [
        UserFactory(username="chu.tich", first_name="Nguyễn Văn", last_name="An", role=Role.COUNCIL_MEMBER),
        UserFactory(username="thanh.vien", first_name="Hoàng Thị", last_name="Bình", role=Role.COUNCIL_MEMBER),
        UserFactory(username="thu.ky", first_name="Lý Văn", last_name="Cường", role=Role.COUNCIL_MEMBER),
    ]


@pytest.fixture
def scenario(province, members):
    """A provincial council of three (chu.tich chairs) scoring two products of set 7 and set 3."""
    commune = UnitFactory(code="99001", name="Xã Kiểm Thử", kind=UnitKind.COMMUNE, parent=province)
    subject = SubjectFactory(name="Hợp tác xã Kiểm Thử", commune=commune)
    products = [
        ProductFactory(subject=subject, name="Miến dong Kiểm Thử", product_set=ProductSet.objects.get(number=7)),
        ProductFactory(subject=subject, name="Gạo nếp Kiểm Thử", product_set=ProductSet.objects.get(number=3)),
    ]
    cycle = CycleFactory(province=province, year=2024)
    return scenario_build(cycle=cycle, unit=province, users=members, products=products)


@pytest.fixture
def logged(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def save(client, card, criterion_id, option_id):
    return client.post(f"/evaluation/score/{card.pk}/save/", {"criterion": criterion_id, "option": option_id},
                       HTTP_HX_REQUEST="true")


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


def test_score_set_refuses_an_option_of_another_criterion(scenario, members):
    card = scenario.card(members[0])
    other = option_of(scenario.sheet(), "B2.1", 15)
    with pytest.raises(ValidationError) as caught:
        score_set(scorecard=card, criterion_id=option_of(scenario.sheet(), "A1.1", 10).criterion_id,
                  option_id=other.pk, by=members[0])
    assert caught.value.messages == ["Mức điểm này không thuộc tiêu chí đã chọn."]
    assert card.scores.count() == 0


def test_score_set_refuses_a_criterion_of_another_sheet(scenario, members):
    card = scenario.card(members[0], scenario.evaluations[0])
    foreign = option_of(scenario.sheet(scenario.evaluations[1]), "A1.1", 10)
    assert foreign.criterion.sheet_id != card.evaluation.sheet_id
    with pytest.raises(ValidationError) as caught:
        score_set(scorecard=card, criterion_id=foreign.criterion_id, option_id=foreign.pk, by=members[0])
    assert caught.value.messages == ["Tiêu chí này không có trong phiếu đánh giá của sản phẩm."]
    assert card.scores.count() == 0


def test_score_set_refuses_another_members_scorecard(scenario, members):
    card = scenario.card(members[1])
    option = option_of(scenario.sheet(), "A1.1", 10)
    with pytest.raises(ValidationError) as caught:
        score_set(scorecard=card, criterion_id=option.criterion_id, option_id=option.pk, by=members[0])
    assert caught.value.code == "not_owner"
    assert card.scores.count() == 0


def test_score_set_refuses_a_submitted_scorecard(scenario, members):
    card = scenario.card(members[0])
    answer_all(card)
    scorecard_submit(scorecard=card, by=members[0])
    option = option_of(scenario.sheet(), "A1.1", 20)
    with pytest.raises(ValidationError) as caught:
        score_set(scorecard=card, criterion_id=option.criterion_id, option_id=option.pk, by=members[0])
    assert caught.value.messages == ["Phiếu chấm đã nộp và đã khoá."]
    assert card.scores.get(criterion__code="A1.1").points == Decimal("10")


def test_score_set_refuses_in_a_finalised_session(scenario, members):
    Session.objects.filter(pk=scenario.session.pk).update(status=SessionStatus.FINALISED)
    option = option_of(scenario.sheet(), "A1.1", 10)
    with pytest.raises(ValidationError) as caught:
        score_set(scorecard=scenario.card(members[0]), criterion_id=option.criterion_id, option_id=option.pk,
                  by=members[0])
    assert caught.value.messages == ["Phiên họp đã kết thúc."]


def test_score_set_scoring_outside_his_council_is_refused(scenario, province):
    outsider = UserFactory(username="ngoai.hoi.dong", role=Role.COUNCIL_MEMBER)
    option = option_of(scenario.sheet(), "A1.1", 10)
    card = scenario.card(scenario.members[0].user)
    with pytest.raises(ValidationError) as caught:
        score_set(scorecard=card, criterion_id=option.criterion_id, option_id=option.pk, by=outsider)
    assert caught.value.messages == ["Chỉ thành viên sở hữu phiếu chấm này mới được chấm."]


def test_score_set_changes_the_answer_and_audits_the_change(scenario, members):
    card = scenario.card(members[0])
    first, second = option_of(scenario.sheet(), "A1.1", 10), option_of(scenario.sheet(), "A1.1", 20)
    score_set(scorecard=card, criterion_id=first.criterion_id, option_id=first.pk, by=members[0])
    score_set(scorecard=card, criterion_id=second.criterion_id, option_id=second.pk, by=members[0])
    score = card.scores.get()
    entry = AuditEntry.objects.get(content_type__model="scorecard", object_id=card.pk, action="update")
    assert (score.option_id, score.points) == (second.pk, Decimal("20"))
    assert entry.changes == {"A1.1": ["10.00", "20.00"]}


def _sheet_answers(sheet, points) -> dict[int, int]:
    """Every criterion of the test sheet answered with the option worth `points` (or the first one)."""
    answers = {}
    for criterion in sheet.criteria.order_by("position"):
        option = option_of(sheet, criterion.code, points) or criterion.options.order_by("position").first()
        answers[criterion.pk] = option.pk
    return answers


def test_scores_set_saves_a_whole_sheet_in_as_many_queries_as_one_answer(scenario, members):
    first, second = scenario.card(members[1]), scenario.card(members[2])
    answers = _sheet_answers(scenario.sheet(), 10)
    one = dict(list(answers.items())[:1])
    scores_set(scorecard=scenario.card(members[0]), answers=one, by=members[0])  # the session starts scoring
    queries_for_one = count_queries(lambda: scores_set(scorecard=first, answers=one, by=members[1]))
    queries_for_all = count_queries(lambda: scores_set(scorecard=second, answers=answers, by=members[2]))
    assert queries_for_all == queries_for_one
    assert second.scores.count() == CRITERIA_COUNT
    assert dict(second.scores.values_list("criterion_id", "option_id")) == answers
    scenario.session.refresh_from_db()
    assert scenario.session.status == SessionStatus.SCORING


def test_scores_set_refuses_the_whole_sheet_for_one_foreign_answer(scenario, members):
    card = scenario.card(members[0])
    answers = _sheet_answers(scenario.sheet(), 10)
    foreign = option_of(scenario.sheet(), "B2.1", 15)
    answers[next(iter(answers))] = foreign.pk  # A1.1 answered with one of B2.1's options
    with pytest.raises(ValidationError) as caught:
        scores_set(scorecard=card, answers=answers, by=members[0])
    assert caught.value.messages == ["Mức điểm này không thuộc tiêu chí đã chọn."]
    assert card.scores.count() == 0


def test_scores_set_changes_answers_and_audits_the_changes_once(scenario, members):
    card = scenario.card(members[0])
    sheet = scenario.sheet()
    scores_set(scorecard=card, answers=_sheet_answers(sheet, 10), by=members[0])
    a11, a12 = option_of(sheet, "A1.1", 20), option_of(sheet, "A1.2", 10)
    changed = scores_set(scorecard=card, answers={a11.criterion_id: a11.pk, a12.criterion_id: a12.pk},
                         by=members[0])
    entries = AuditEntry.objects.filter(content_type__model="scorecard", object_id=card.pk, action="update")
    assert changed == 1  # A1.2 was already worth 10
    assert card.scores.get(criterion__code="A1.1").points == Decimal("20")
    assert [entry.changes for entry in entries] == [{"A1.1": ["10.00", "20.00"]}]


def test_first_answer_moves_a_planned_session_to_scoring(scenario, members):
    assert scenario.session.status == SessionStatus.PLANNED
    answer_all(scenario.card(members[0]))
    scenario.session.refresh_from_db()
    assert scenario.session.status == SessionStatus.SCORING


def test_scorecard_submit_lists_the_missing_criteria(scenario, members):
    card = scenario.card(members[0])
    option = option_of(scenario.sheet(), "A1.1", 10)
    score_set(scorecard=card, criterion_id=option.criterion_id, option_id=option.pk, by=members[0])
    with pytest.raises(ValidationError) as caught:
        scorecard_submit(scorecard=card, by=members[0])
    card.refresh_from_db()
    assert caught.value.messages == ["Hãy chấm tất cả các tiêu chí trước khi nộp. Còn thiếu: A1.2, B2.1, C3.1, C3.2"]
    assert card.status == ScorecardStatus.OPEN


def test_scorecard_submitted_twice_is_refused(scenario, members):
    card = scenario.card(members[0])
    answer_all(card)
    scorecard_submit(scorecard=card, by=members[0])
    submitted_at = Scorecard.objects.get(pk=card.pk).submitted_at
    with pytest.raises(ValidationError) as caught:
        scorecard_submit(scorecard=card, by=members[0])
    assert caught.value.messages == ["Phiếu chấm đã nộp và đã khoá."]
    assert Scorecard.objects.get(pk=card.pk).submitted_at == submitted_at


def test_scorecard_reopen_needs_the_chair_and_a_reason(scenario, members):
    card = scenario.card(members[1])
    answer_all(card)
    scorecard_submit(scorecard=card, by=members[1])
    with pytest.raises(ValidationError) as by_member:
        scorecard_reopen(scorecard=card, reason="Chấm lại", by=members[2])
    with pytest.raises(ValidationError) as without_reason:
        scorecard_reopen(scorecard=card, reason=" ", by=members[0])
    reopened = scorecard_reopen(scorecard=card, reason="Chấm lại phần B", by=members[0])
    assert by_member.value.messages == ["Chỉ chủ tịch hội đồng mới được mở lại phiếu chấm."]
    assert without_reason.value.messages == ["Hãy nêu lý do mở lại phiếu."]
    assert (reopened.status, reopened.reopen_reason) == (ScorecardStatus.OPEN, "Chấm lại phần B")


def test_conflict_declared_after_submission_is_refused(scenario, members):
    card = scenario.card(members[1])
    answer_all(card)
    scorecard_submit(scorecard=card, by=members[1])
    with pytest.raises(ValidationError) as caught:
        conflict_declare(evaluation=card.evaluation, member=card.member, reason="Người nhà", by=members[1])
    assert caught.value.messages == ["Phiếu chấm đã nộp; chủ tịch hội đồng phải mở lại phiếu trước."]
    assert Scorecard.objects.filter(pk=card.pk).exists()
    assert not ConflictOfInterest.objects.filter(evaluation=card.evaluation).exists()


def test_conflict_declare_withdraws_the_scorecard_and_its_answers(scenario, members):
    card = scenario.card(members[2])
    answer_all(card)
    conflict = conflict_declare(evaluation=card.evaluation, member=card.member, reason="Là người nhà của giám đốc",
                                by=members[2])
    assert (conflict.detected, conflict.reason) == (False, "Là người nhà của giám đốc")
    assert not Scorecard.objects.filter(pk=card.pk).exists()
    assert CriterionScore.objects.filter(scorecard_id=card.pk).count() == 0


def test_member_queue_counts_each_answer_once(scenario, members):
    card = scenario.card(members[0])
    for code in ("A1.1", "B2.1"):
        option = option_of(scenario.sheet(), code, 0)
        score_set(scorecard=card, criterion_id=option.criterion_id, option_id=option.pk, by=members[0])
    counts = {c.pk: (c.answered, c.criteria_total) for c in member_queue(members[0])}
    assert counts[card.pk] == (2, CRITERIA_COUNT)
    assert sorted(counts.values()) == [(0, CRITERIA_COUNT), (2, CRITERIA_COUNT)]


def test_scorecard_totals_add_up_per_part(scenario, members):
    card = scenario.card(members[0])
    answer_all(card, {"A1.1": 20, "A1.2": 10, "B2.1": 25, "C3.1": 20, "C3.2": 15})
    assert scorecard_totals(card) == {"parts": {"A": Decimal("30"), "B": Decimal("25"), "C": Decimal("35")},
                                      "total": Decimal("90"), "answered": 5}


# ---------------------------------------------------------------------------------------------
# The autosave endpoint
# ---------------------------------------------------------------------------------------------


def test_score_save_saves_and_returns_the_running_totals(scenario, members, logged):
    card = scenario.card(members[0])
    a, b = option_of(scenario.sheet(), "A1.1", 20), option_of(scenario.sheet(), "B2.1", 15)
    client = logged(members[0])
    save(client, card, a.criterion_id, a.pk)

    response = save(client, card, b.criterion_id, b.pk)
    fragment = response.content.decode()

    assert response.status_code == 200
    assert "Đã lưu" in fragment
    assert '<span id="part-total-a" hx-swap-oob="true">20</span>' in fragment
    assert '<span id="part-total-b" hx-swap-oob="true">15</span>' in fragment
    assert '<span id="total-overall" hx-swap-oob="true">35</span>' in fragment
    assert '<span id="answered-count" hx-swap-oob="true">2</span>' in fragment
    assert list(card.scores.order_by("criterion__position").values_list("points", flat=True)) == [
        Decimal("20"), Decimal("15")]


def test_score_save_runs_a_fixed_small_number_of_queries(scenario, members, logged, django_assert_num_queries):
    card = scenario.card(members[0])
    sheet = scenario.sheet()
    client = logged(members[0])
    for points in (5, 15):  # the first answer moves the session to scoring; a change caches the content type
        warm = option_of(sheet, "C3.2", points)
        save(client, card, warm.criterion_id, warm.pk)
    first, change = option_of(sheet, "A1.1", 10), option_of(sheet, "A1.1", 20)

    # session, user, scorecard; savepoint, locked scorecard, option with its criterion, answer lookup, insert,
    # release; running totals
    with django_assert_num_queries(10):
        save(client, card, first.criterion_id, first.pk)
    # ... and a change of answer updates it and writes its audit entry
    with django_assert_num_queries(11):
        save(client, card, change.criterion_id, change.pk)


@pytest.mark.parametrize(("case", "status", "message"), [
    ("option of another criterion", 400, "Mức điểm này không thuộc tiêu chí đã chọn."),
    ("criterion of another sheet", 400, "Tiêu chí này không có trong phiếu đánh giá của sản phẩm."),
    ("unknown option", 400, "Tiêu chí hoặc mức điểm không tồn tại."),
    ("not a number", 400, "Tiêu chí hoặc mức điểm không tồn tại."),
    ("submitted scorecard", 400, "Phiếu chấm đã nộp và đã khoá."),
    ("finalised session", 400, "Phiên họp đã kết thúc."),
    ("another member's scorecard", 403, "Chỉ thành viên sở hữu phiếu chấm này mới được chấm."),
])
def test_score_save_refuses_bad_input_and_changes_nothing(scenario, members, logged, case, status, message):
    sheet = scenario.sheet()
    card = scenario.card(members[0])
    a11, b21 = option_of(sheet, "A1.1", 10), option_of(sheet, "B2.1", 15)
    foreign = option_of(scenario.sheet(scenario.evaluations[1]), "A1.1", 10)
    data = {"criterion": a11.criterion_id, "option": a11.pk}
    if case == "option of another criterion":
        data["option"] = b21.pk
    elif case == "criterion of another sheet":
        data = {"criterion": foreign.criterion_id, "option": foreign.pk}
    elif case == "unknown option":
        data["option"] = 999999
    elif case == "not a number":
        data["option"] = "abc"
    elif case == "submitted scorecard":
        answer_all(card)
        scorecard_submit(scorecard=card, by=members[0])
    elif case == "finalised session":
        Session.objects.filter(pk=scenario.session.pk).update(status=SessionStatus.FINALISED)
    elif case == "another member's scorecard":
        card = scenario.card(members[1])
    before = list(CriterionScore.objects.order_by("pk").values_list("pk", "option_id", "points"))

    response = logged(members[0]).post(f"/evaluation/score/{card.pk}/save/", data)

    assert response.status_code == status
    assert response.content.decode() == message
    assert list(CriterionScore.objects.order_by("pk").values_list("pk", "option_id", "points")) == before


def test_score_save_needs_a_login(scenario, client):
    response = client.post(f"/evaluation/score/{scenario.card(scenario.members[0].user).pk}/save/", {})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_note_is_saved_once_the_criterion_is_answered(scenario, members, logged):
    card = scenario.card(members[0])
    option = option_of(scenario.sheet(), "A1.1", 10)
    client = logged(members[0])

    early = client.post(f"/evaluation/score/{card.pk}/note/", {"criterion": option.criterion_id, "note": "Sớm"})
    save(client, card, option.criterion_id, option.pk)
    saved = client.post(f"/evaluation/score/{card.pk}/note/",
                        {"criterion": option.criterion_id, "note": "  Nguyên liệu tại xã, có hợp đồng  "})

    assert (early.status_code, early.content.decode()) == (400, "Hãy chọn mức điểm trước khi ghi chú.")
    assert saved.status_code == 200 and "Đã lưu" in saved.content.decode()
    assert card.scores.get().note == "Nguyên liệu tại xã, có hợp đồng"


# ---------------------------------------------------------------------------------------------
# The scoring page
# ---------------------------------------------------------------------------------------------


def test_scoring_page_shows_the_sheet_with_only_the_members_own_answers(scenario, members, logged):
    sheet = scenario.sheet()
    answer_all(scenario.card(members[1]), default="20")
    mine = option_of(sheet, "A1.1", 10)
    score_set(scorecard=scenario.card(members[0]), criterion_id=mine.criterion_id, option_id=mine.pk, by=members[0])

    page = logged(members[0]).get(f"/evaluation/score/{scenario.card(members[0]).pk}/").content.decode()

    assert 'data-testid="product-name">Miến dong Kiểm Thử</h1>' in page
    assert page.count('data-testid="criterion"') == CRITERIA_COUNT
    assert re.findall(r'id="option-(\d+)" value="\d+"\s+checked', page) == [str(mine.pk)]
    assert '<strong id="total-overall">10</strong>' in page
    assert '<span id="answered-count" data-testid="answered">1</span>/5' in page
    assert "Bắt buộc từ 3★" in page and "loại sản phẩm" in page
    assert f'hx-post="/evaluation/score/{scenario.card(members[0]).pk}/save/"' in page
    assert "js/scoring.js" in page


@pytest.mark.parametrize("username", ["thanh.vien", "official"])
def test_scoring_page_of_another_member_is_404(scenario, members, logged, province, username):
    user = members[1] if username == "thanh.vien" else UserFactory(username="official", role=Role.PROVINCE_STAFF,
                                                                   unit=province)
    response = logged(user).get(f"/evaluation/score/{scenario.card(members[0]).pk}/")
    assert response.status_code == 404


def test_submitting_an_incomplete_scorecard_lists_what_is_missing(scenario, members, logged):
    card = scenario.card(members[0])
    option = option_of(scenario.sheet(), "A1.1", 10)
    client = logged(members[0])
    save(client, card, option.criterion_id, option.pk)

    page = client.post(f"/evaluation/score/{card.pk}/submit/").content.decode()
    listed = re.findall(r'<li><a href="#criterion-\d+">([^<]*)</a></li>', page)

    assert "Hãy chấm tất cả các tiêu chí trước khi nộp. Các tiêu chí chưa chấm:" in page
    assert listed == ["A1.2 Liên kết sản xuất", "B2.1 Kênh phân phối", "C3.1 An toàn thực phẩm",
                      "C3.2 Tiêu chuẩn sản phẩm"]
    assert page.count("border-danger border-2") == 4
    card.refresh_from_db()
    assert card.status == ScorecardStatus.OPEN


def test_submitted_scorecard_shows_a_read_only_page(scenario, members, logged):
    card = scenario.card(members[0])
    answer_all(card)
    client = logged(members[0])

    response = client.post(f"/evaluation/score/{card.pk}/submit/", follow=True)
    page = response.content.decode()

    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED
    assert "Đã nộp phiếu chấm của bạn cho sản phẩm Miến dong Kiểm Thử; phiếu không thể sửa nữa." in page
    assert 'data-testid="locked"' in page
    assert "hx-post" not in page and 'data-testid="submit"' not in page
    assert page.count("disabled>") == 3 * CRITERIA_COUNT
    assert len(re.findall(r"\s+checked\s+disabled>", page)) == CRITERIA_COUNT


def test_conflict_declared_from_the_page_returns_to_the_queue(scenario, members, logged):
    card = scenario.card(members[2])
    client = logged(members[2])

    response = client.post(f"/evaluation/score/{card.pk}/conflict/", {"reason": "Là người nhà của giám đốc HTX"},
                           follow=True)
    page = response.content.decode()

    assert response.redirect_chain[-1][0] == "/evaluation/"
    assert "Đã ghi nhận xung đột lợi ích của bạn với sản phẩm Miến dong Kiểm Thử" in page
    assert re.findall(r'data-testid="queue-card" data-product="([^"]*)"', page) == ["Gạo nếp Kiểm Thử"]
    assert ConflictOfInterest.objects.get(member__user=members[2]).reason == "Là người nhà của giám đốc HTX"


def test_conflict_without_a_reason_is_refused_beside_the_field(scenario, members, logged):
    card = scenario.card(members[2])
    page = logged(members[2]).post(f"/evaluation/score/{card.pk}/conflict/", {"reason": "   "}).content.decode()
    assert '<div class="invalid-feedback d-block">Hãy nêu lý do.</div>' in page
    assert Scorecard.objects.filter(pk=card.pk).exists()


def test_dossier_documents_open_for_the_member_scoring_it_only(scenario, members, logged):
    evaluation = scenario.evaluations[0]
    dossier = Dossier.objects.create(product=evaluation.product, cycle=scenario.council.cycle,
                                     status=DossierStatus.SUBMITTED)
    evaluation.dossier = dossier
    evaluation.save(update_fields=["dossier"])
    document = DossierDocument(dossier=dossier, kind=EvidenceKind.TEST_RESULTS, title="Phiếu kết quả thử nghiệm",
                               original_name="ket-qua.pdf", file_type="pdf", size=9)
    document.file.save("ket-qua.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client = logged(members[0])

    page = client.get(f"/evaluation/score/{scenario.card(members[0]).pk}/").content.decode()
    download = client.get(f"/evaluation/score/{scenario.card(members[0]).pk}/documents/{document.pk}/")
    wrong_card = client.get(f"/evaluation/score/{scenario.card(members[0], scenario.evaluations[1]).pk}"
                            f"/documents/{document.pk}/")

    assert "Phiếu kết quả thử nghiệm" in page
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4\n"
    assert wrong_card.status_code == 404
    assert logged(members[1]).get(
        f"/evaluation/score/{scenario.card(members[0]).pk}/documents/{document.pk}/").status_code == 404


# ---------------------------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------------------------


def test_queue_groups_the_members_scorecards_by_session_with_progress(scenario, members, logged):
    answer_all(scenario.card(members[0], scenario.evaluations[1]))
    scorecard_submit(scorecard=scenario.card(members[0], scenario.evaluations[1]), by=members[0])

    page = logged(members[0]).get("/evaluation/").content.decode()
    cards = re.findall(r'data-testid="queue-card" data-product="([^"]*)"', page)
    progress = re.findall(r'data-testid="queue-progress">([^<]*)<', page)
    statuses = re.findall(r'data-testid="queue-status">([^<]*)<', page)

    assert page.count('data-testid="queue-session"') == 1
    assert "Hội đồng đánh giá, phân hạng sản phẩm OCOP (kiểm thử)" in page
    assert cards == ["Miến dong Kiểm Thử", "Gạo nếp Kiểm Thử"]
    assert progress == ["0/5 tiêu chí", "5/5 tiêu chí"]
    assert statuses == ["Đang chấm", "Đã nộp ✓"]


def test_queue_filters_by_status(scenario, members, logged):
    answer_all(scenario.card(members[0]))
    scorecard_submit(scorecard=scenario.card(members[0]), by=members[0])
    page = logged(members[0]).get("/evaluation/?status=open").content.decode()
    assert re.findall(r'data-testid="queue-card" data-product="([^"]*)"', page) == ["Gạo nếp Kiểm Thử"]


def test_queue_is_empty_for_somebody_on_no_council(db, logged):
    page = logged(UserFactory(username="chua.co", role=Role.COUNCIL_MEMBER)).get("/evaluation/").content.decode()
    assert "Không có sản phẩm nào chờ bạn chấm điểm." in page


def test_queue_runs_the_same_queries_for_one_or_several_sessions(scenario, members, logged, province,
                                                                django_assert_num_queries):
    client = logged(members[0])
    baseline = count_queries(lambda: client.get("/evaluation/"))
    for year in (2025, 2026):
        cycle = CycleFactory(province=province, year=year)
        scenario_build(cycle=cycle, unit=province, users=[members[0]], products=[
            ProductFactory(subject=SubjectFactory(commune=scenario.evaluations[0].product.commune))],
            name=f"Hội đồng {year}", held_on=datetime.date(year, 10, 1))

    with django_assert_num_queries(baseline):
        page = client.get("/evaluation/").content.decode()
    assert page.count('data-testid="queue-session"') == 3
