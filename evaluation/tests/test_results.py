"""A session's results as the council sees them: figures, ranking, finalisation, decisions, exports, minutes."""
import datetime
import io
import subprocess
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ocop.enums import Role
from ocop.models import AuditEntry, Cycle, User
from ocop.tests.utils import count_queries
from products.models import Product, ProductSet
from subjects.enums import SubjectKind
from subjects.models import Subject

from ..enums import EvaluationLevel, MemberRole, SessionStatus
from ..models import (
    Criterion,
    CriterionOption,
    CycleRegulation,
    Decision,
    LevelRule,
    RecognisedProduct,
    Regulation,
    ScoreSheet,
    Session,
    SheetPart,
    SheetSection,
    StarBand,
)
from ..selectors.results import session_part_totals, session_results
from ..services.councils import (
    conflict_declare,
    council_create,
    council_member_add,
    session_assign,
    session_create,
    session_set_present,
)
from ..services.results import decision_issue, session_finalise, session_quorum
from ..services.scoring import score_set, scorecard_submit

# ---------------------------------------------------------------------------------------------
# A hand-built session (shared with test_paper.py and the browser journey)
# ---------------------------------------------------------------------------------------------

# Five criteria worth 100 points; 3.1 is mandatory from 4★, one answer of 1.1 eliminates the product.
SHEET = [
    ("A", "Sản xuất và sức mạnh cộng đồng", 40, [
        ("1.1", "Nguồn nguyên liệu", 10, None, [("Không rõ nguồn gốc", 0, True), ("Dưới 50% tại địa phương", 5, False),
                                                ("Trên 75% tại địa phương", 10, False)]),
        ("1.2", "Tổ chức sản xuất", 30, None, [("Hộ riêng lẻ", 0, False), ("Tổ hợp tác", 10, False),
                                               ("Hợp tác xã", 20, False), ("Có liên kết", 25, False),
                                               ("Liên kết chuỗi", 27, False), ("Chuỗi giá trị khép kín", 30, False)]),
    ]),
    ("B", "Khả năng tiếp thị", 25, [
        ("2.1", "Thị trường", 25, None, [
            ("Trong xã", 0, False), ("Trong huyện", 5, False), ("Trong tỉnh", 10, False),
            ("Ngoài tỉnh", 15, False), ("Toàn quốc", 20, False), ("Xuất khẩu", 25, False)]),
    ]),
    ("C", "Chất lượng sản phẩm", 35, [
        ("3.1", "An toàn thực phẩm", 15, 4, [("Chưa có giấy chứng nhận", 0, False), ("Có cam kết", 10, False),
                                             ("Có giấy chứng nhận", 15, False)]),
        ("3.2", "Chất lượng cảm quan", 20, None, [("Kém", 0, False), ("Trung bình", 5, False), ("Khá", 10, False),
                                                  ("Khá tốt", 12, False), ("Tốt", 15, False), ("Rất tốt", 17, False),
                                                  ("Xuất sắc", 20, False)]),
    ]),
]
CODES = ["1.1", "1.2", "2.1", "3.1", "3.2"]
# What the chair writes when the council keeps totals further apart than allowed (Dầu lạc: 19 points).
SPREAD_REASON = "Hội đồng đã thảo luận minh chứng tiêu chí 3.1 và giữ nguyên đánh giá của từng thành viên"

# Each member's answers (points per criterion, in CODES order).
MIEN_DONG = {"an": (10, 30, 20, 15, 17), "binh": (10, 30, 20, 15, 20), "cuong": (10, 27, 20, 15, 17)}  # 92 95 89
DAU_LAC = {"an": (10, 30, 25, 0, 20), "binh": (10, 30, 25, 0, 10), "cuong": (10, 27, 25, 15, 17)}  # 85 75 94
GAO_NEP = {"an": (5, 20, 15, 10, 10), "binh": (5, 25, 15, 10, 10)}  # 60 65; Cường has a conflict


def make_user(username, first, last, *, role=Role.COUNCIL_MEMBER, unit=None, agency=""):
    user = User(username=username, first_name=first, last_name=last, role=role, unit=unit, agency=agency,
                email=f"{username}@ocop.local")
    user.set_password("ocop-demo")
    user.save()
    return user


def make_regulation(code="KT-148/QĐ-TTg", quorum_ratio=Decimal("0.60")) -> Regulation:
    """A regulation of the tests' own with the 148/QĐ-TTg bands and ceilings (province: 4★, 90 → central).

    Its quorum is 60%, not the official 75%: the quorum counts per product, and in the three-member scene
    Cường's conflict leaves two of three members to decide Gạo nếp (67%)."""
    regulation = Regulation.objects.create(code=code, title="Quy định kiểm thử", issued_on=datetime.date(2023, 2, 24),
                                           effective_from=datetime.date(2023, 2, 24), quorum_ratio=quorum_ratio)
    StarBand.objects.bulk_create([StarBand(regulation=regulation, star=s, min_score=Decimal(m))
                                  for s, m in [(1, 0), (2, 30), (3, 50), (4, 70), (5, 90)]])
    LevelRule.objects.bulk_create([
        LevelRule(regulation=regulation, level=EvaluationLevel.DISTRICT, max_star=3, nomination_score=Decimal(70),
                  next_level=EvaluationLevel.PROVINCE),
        LevelRule(regulation=regulation, level=EvaluationLevel.PROVINCE, max_star=4, nomination_score=Decimal(90),
                  next_level=EvaluationLevel.CENTRAL),
        LevelRule(regulation=regulation, level=EvaluationLevel.CENTRAL, max_star=5, nomination_score=None,
                  next_level="")])
    return regulation


def make_sheet(regulation, product_set) -> ScoreSheet:
    sheet = ScoreSheet.objects.create(regulation=regulation, product_set=product_set, title=f"Phiếu {product_set}")
    position = 0
    for p, (part_code, part_title, part_max, criteria) in enumerate(SHEET):
        part = SheetPart.objects.create(sheet=sheet, code=part_code, title=part_title, max_points=part_max, position=p)
        section = SheetSection.objects.create(part=part, code=f"{p + 1}", title=part_title, position=0)
        for code, title, maximum, required, options in criteria:
            position += 1
            criterion = Criterion.objects.create(section=section, sheet=sheet, part=part, code=code, title=title,
                                                 max_points=maximum, required_for_star=required, position=position)
            CriterionOption.objects.bulk_create([
                CriterionOption(criterion=criterion, label=label, points=points, knocks_out=knocks, position=i)
                for i, (label, points, knocks) in enumerate(options)])
    return sheet


def answer(card, points, *, submit=True):
    """Answer every criterion of a scorecard (points in CODES order) through the services."""
    for code, value in zip(CODES, points, strict=True):
        criterion = Criterion.objects.get(sheet=card.evaluation.sheet_id, code=code)
        option = criterion.options.filter(points=value).order_by("knocks_out", "position").first()
        score_set(scorecard=card, criterion_id=criterion.pk, option_id=option.pk, by=card.member.user)
    if submit:
        scorecard_submit(scorecard=card, by=card.member.user)


@dataclass
class Scene:
    session: Session
    an: User
    binh: User
    cuong: User
    members: dict
    mien_dong: object
    dau_lac: object
    gao_nep: object
    province_staff: User


def build_scene(units, *, score=True, extra_members=()) -> Scene:
    """Bắc Kạn's provincial council: An chairs, Bình is secretary, Cường member. Three products: Miến dong Tài
    Hoan and Dầu lạc An Nhiên (set 7), Gạo nếp Khẩu Nua Lương (set 3, Cường declares a conflict)."""
    backan = units["06"]
    cycle = Cycle.objects.create(province=backan, year=2024, name="Kế hoạch OCOP tỉnh Bắc Kạn năm 2024 (kiểm thử)")
    regulation = make_regulation()
    CycleRegulation.objects.create(cycle=cycle, regulation=regulation)
    set3, set7 = ProductSet.objects.get(number=3), ProductSet.objects.get(number=7)
    make_sheet(regulation, set3)
    make_sheet(regulation, set7)
    staff = make_user("kt.tinh", "Ngô Mai", "Hương", role=Role.PROVINCE_STAFF, unit=backan,
                      agency="Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn")
    an = make_user("kt.an", "Nguyễn Văn", "An", agency="Sở Nông nghiệp và PTNT tỉnh Bắc Kạn")
    binh = make_user("kt.binh", "Hoàng Thị", "Bình", agency="Sở Công Thương tỉnh Bắc Kạn")
    cuong = make_user("kt.cuong", "Lý Văn", "Cường", agency="Sở Khoa học và Công nghệ tỉnh Bắc Kạn")
    council = council_create(cycle=cycle, level=EvaluationLevel.PROVINCE, unit=backan,
                             name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn",
                             established_by="Quyết định số 1520/QĐ-UBND ngày 26/8/2024", by=None)
    members = {
        "an": council_member_add(council=council, user=an, role=MemberRole.CHAIR, by=None),
        "binh": council_member_add(council=council, user=binh, role=MemberRole.SECRETARY, by=None),
        "cuong": council_member_add(council=council, user=cuong, by=None),
    }
    for username, first, last in extra_members:
        members[username] = council_member_add(council=council, user=make_user(username, first, last), by=None)
    session = session_create(council=council, held_on=datetime.date(2024, 10, 15),
                             place="Hội trường UBND tỉnh Bắc Kạn", by=None)

    def product(subject_name, kind, tax_code, commune_code, name, product_set):
        subject = Subject(name=subject_name, kind=kind, tax_code=tax_code, legal_representative="Đại diện",
                          commune=units[commune_code])
        subject.save()
        return Product.objects.create(subject=subject, product_set=product_set, name=name, commune=units[commune_code])

    mien_dong = session_assign(session=session, by=None, product=product(
        "Hợp tác xã Tài Hoan", SubjectKind.COOPERATIVE, "4700701234", "01963", "Miến dong Tài Hoan", set7))
    dau_lac = session_assign(session=session, by=None, product=product(
        "Hộ kinh doanh Nguyễn Văn Dũng", SubjectKind.HOUSEHOLD_BUSINESS, "0600812345", "01972",
        "Dầu lạc nguyên chất An Nhiên", set7))
    gao_nep = session_assign(session=session, by=None, product=product(
        "Hợp tác xã Dền Vang", SubjectKind.COOPERATIVE, "4700602345", "01855", "Gạo nếp Khẩu Nua Lương", set3))
    conflict_declare(evaluation=gao_nep, member=members["cuong"], reason="Là thành viên Hợp tác xã Dền Vang",
                     by=cuong)
    scene = Scene(session=session, an=an, binh=binh, cuong=cuong, members=members, mien_dong=mien_dong,
                  dau_lac=dau_lac, gao_nep=gao_nep, province_staff=staff)
    if score:
        score_scene(scene)
    return scene


def score_scene(scene: Scene, *, skip=()):
    for evaluation, answers in ((scene.mien_dong, MIEN_DONG), (scene.dau_lac, DAU_LAC), (scene.gao_nep, GAO_NEP)):
        for key, points in answers.items():
            if (evaluation, key) in skip:
                continue
            answer(evaluation.scorecards.get(member=scene.members[key]), points)


@pytest.fixture
def scene(demo_units):
    return build_scene(demo_units)


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results_url(session) -> str:
    return reverse("evaluation:session-results", args=[session.pk])


# ---------------------------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------------------------


def test_session_results_figures_on_the_hand_built_session(scene):
    results = {r.evaluation.product.name: r for r in session_results(scene.session)}
    an, binh, cuong = (scene.members[k].pk for k in ("an", "binh", "cuong"))

    mien = results["Miến dong Tài Hoan"]
    assert mien.member_totals == {an: Decimal("92.00"), binh: Decimal("95.00"), cuong: Decimal("89.00")}
    assert (mien.mean, mien.median, mien.spread, mien.spread_exceeded) == (
        Decimal("92.00"), Decimal("92.00"), Decimal("6.00"), False)
    assert (mien.outcome.star_band, mien.outcome.recognised_star, mien.outcome.nominated_to) == (5, 4, "central")
    assert (mien.rank, mien.failed_mandatory, mien.knocked_out) == (1, [], False)

    dau = results["Dầu lạc nguyên chất An Nhiên"]
    assert (dau.mean, dau.median, dau.spread, dau.spread_exceeded) == (
        Decimal("84.67"), Decimal("85.00"), Decimal("19.00"), True)
    assert dau.failed_mandatory == ["3.1"]
    assert (dau.outcome.star_band, dau.outcome.recognised_star, dau.outcome.nominated_to) == (4, 3, "")
    assert dau.rank == 2

    gao = results["Gạo nếp Khẩu Nua Lương"]
    assert gao.member_totals == {an: Decimal("60.00"), binh: Decimal("65.00")}  # Cường's conflict: not counted
    assert (gao.mean, gao.counted, gao.rank) == (Decimal("62.50"), 2, 1)
    assert (gao.outcome.star_band, gao.outcome.recognised_star) == (3, 3)


def test_session_results_order_groups_by_product_set_then_rank(scene):
    names = [r.evaluation.product.name for r in session_results(scene.session)]
    assert names == ["Gạo nếp Khẩu Nua Lương", "Miến dong Tài Hoan", "Dầu lạc nguyên chất An Nhiên"]


def test_session_results_ties_share_a_rank(demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.dau_lac, "an"), (scene.dau_lac, "binh"), (scene.dau_lac, "cuong")})
    for key in ("an", "binh", "cuong"):  # the same answers as Miến dong: the same mean
        answer(scene.dau_lac.scorecards.get(member=scene.members[key]), MIEN_DONG[key])
    ranks = {r.evaluation.product.name: r.rank for r in session_results(scene.session)}
    assert ranks == {"Miến dong Tài Hoan": 1, "Dầu lạc nguyên chất An Nhiên": 1, "Gạo nếp Khẩu Nua Lương": 1}


def test_session_results_knock_out_by_the_majority_denies_the_star(demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.mien_dong, "an"), (scene.mien_dong, "binh")})
    for key in ("an", "binh"):  # two of three choose "Không rõ nguồn gốc" (0 points, eliminates)
        points = (0,) + MIEN_DONG[key][1:]
        answer(scene.mien_dong.scorecards.get(member=scene.members[key]), points)
    result = next(r for r in session_results(scene.session) if r.evaluation == scene.mien_dong)
    assert (result.knocked_out, result.outcome.recognised_star, result.outcome.nominated_to) == (True, 0, "")


def test_session_results_absent_member_is_not_counted(demo_units):
    scene = build_scene(demo_units, extra_members=[("kt.dung", "Phạm Văn", "Dũng")])
    session_set_present(session=scene.session, by=None,
                        members=[scene.members[k] for k in ("an", "binh", "cuong")])
    result = next(r for r in session_results(scene.session) if r.evaluation == scene.mien_dong)
    assert (len(result.member_totals), result.mean) == (3, Decimal("92.00"))


def test_session_part_totals_sum_each_part_of_counted_scorecards(scene):
    parts = session_part_totals(scene.session)
    assert parts[(scene.mien_dong.pk, scene.members["an"].pk)] == {
        "A": Decimal("40"), "B": Decimal("20"), "C": Decimal("32")}
    assert (scene.gao_nep.pk, scene.members["cuong"].pk) not in parts


# ---------------------------------------------------------------------------------------------
# The results page
# ---------------------------------------------------------------------------------------------


def test_results_page_shows_the_figures_in_vietnamese(client, scene):
    client.force_login(scene.province_staff)
    page = page_of(client.get(results_url(scene.session)))
    assert "Kết quả phiên họp 1" in page
    assert "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn" in page
    assert "15/10/2024" in page
    for name in ("Nguyễn Văn An", "Hoàng Thị Bình", "Lý Văn Cường"):
        assert f'data-testid="member-column">{name}' in page
    assert '<td class="text-end fw-semibold" data-testid="mean">92,00</td>' in page
    assert '<td class="text-end fw-semibold" data-testid="mean">84,67</td>' in page
    assert '<td class="text-end fw-semibold" data-testid="mean">62,50</td>' in page
    assert "Đề cử cấp trung ương" in page
    assert page.count('data-testid="spread-flag">vượt mức chênh lệch cho phép') == 1
    assert '<td data-testid="failed">3.1</td>' in page
    assert "Lý Văn Cường không chấm sản phẩm này (xung đột lợi ích)" in page
    assert "Bộ sản phẩm 3. Gạo, ngũ cốc, hạt sơ chế khác" in page
    assert "Bộ sản phẩm 7. Chế biến từ rau, củ, quả, hạt" in page


def test_results_page_rows_rank_within_each_product_set(client, scene):
    client.force_login(scene.province_staff)
    page = page_of(client.get(results_url(scene.session)))
    rows = [chunk.split('data-testid="rank">')[1].split("<")[0] for chunk in page.split('data-testid="result-row"')[1:]]
    products = [chunk.split('data-product="')[1].split('"')[0] for chunk in page.split('data-testid="result-row"')[1:]]
    assert list(zip(products, rows, strict=True)) == [
        ("Gạo nếp Khẩu Nua Lương", "1"), ("Miến dong Tài Hoan", "1"), ("Dầu lạc nguyên chất An Nhiên", "2")]


def test_results_page_query_count_does_not_grow_with_products(client, demo_units):
    """One product, then five: the same number of queries."""
    scene = build_scene(demo_units, score=False)
    client.force_login(scene.province_staff)
    url = results_url(scene.session)
    for evaluation in (scene.dau_lac, scene.gao_nep):  # leave only Miến dong on the agenda
        evaluation.conflicts.all().delete()
        evaluation.scorecards.all().delete()
        evaluation.delete()
    for key, points in MIEN_DONG.items():
        answer(scene.mien_dong.scorecards.get(member=scene.members[key]), points)
    one = count_queries(lambda: page_of(client.get(url)))
    set7 = ProductSet.objects.get(number=7)
    for i in range(4):
        product = Product.objects.create(subject=scene.mien_dong.product.subject, product_set=set7,
                                         name=f"Miến dong loại {i + 2}", commune=scene.mien_dong.product.commune)
        evaluation = session_assign(session=scene.session, product=product, by=None)
        for key, points in MIEN_DONG.items():
            answer(evaluation.scorecards.get(member=scene.members[key]), points)
    five = count_queries(lambda: page_of(client.get(url)))
    assert (one, five) == (one, one)


def test_results_page_for_a_member_who_has_not_submitted_is_forbidden(client, demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.dau_lac, "cuong")})
    client.force_login(scene.cuong)
    response = client.get(results_url(scene.session))
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()


def test_results_page_for_a_member_who_has_submitted_shows_the_results(client, demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.dau_lac, "cuong")})
    client.force_login(scene.an)
    page = page_of(client.get(results_url(scene.session)))
    assert '<span class="text-muted" title="Chưa nộp">…</span>' in page


def test_results_page_of_another_council_is_not_found(client, scene, demo_units):
    stranger = make_user("kt.namdinh", "Trần Văn", "Nam")
    other = council_create(cycle=Cycle.objects.create(province=demo_units["36"], year=2024, name="OCOP Nam Định 2024"),
                           level=EvaluationLevel.PROVINCE, unit=demo_units["36"], name="Hội đồng tỉnh Nam Định",
                           by=None)
    council_member_add(council=other, user=stranger, by=None)
    client.force_login(stranger)
    assert client.get(results_url(scene.session)).status_code == 404


def test_results_page_for_a_subject_representative_is_forbidden(client, scene):
    rep = make_user("kt.taihoan", "Triệu Thị", "Hoan", role=Role.SUBJECT_REP)
    client.force_login(rep)
    assert client.get(results_url(scene.session)).status_code == 403


def test_results_page_of_another_province_for_its_staff_is_not_found(client, scene, demo_units):
    staff = make_user("kt.tinh.nd", "Lê Thị", "Hoa", role=Role.PROVINCE_STAFF, unit=demo_units["36"])
    client.force_login(staff)
    assert client.get(results_url(scene.session)).status_code == 404


def test_results_page_for_anonymous_redirects_to_login(client, scene):
    response = client.get(results_url(scene.session))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# ---------------------------------------------------------------------------------------------
# Finalisation
# ---------------------------------------------------------------------------------------------


def finalise_url(session):
    return reverse("evaluation:session-finalise", args=[session.pk])


def test_finalise_panel_shows_quorum_and_spread_to_the_chair(client, scene):
    client.force_login(scene.an)
    page = page_of(client.get(results_url(scene.session)))
    assert "Đủ số thành viên: có mặt 3/3 thành viên." in page
    assert "Mọi thành viên có mặt đã nộp phiếu chấm." in page
    assert "Dầu lạc nguyên chất An Nhiên (chênh lệch 19,00 điểm)" in page
    assert 'data-confirm="Kết thúc phiên họp? Kết quả sẽ trở thành kết quả chính thức' in page


def test_finalise_panel_is_not_shown_to_a_member(client, scene):
    client.force_login(scene.binh)
    page = page_of(client.get(results_url(scene.session)))
    assert 'data-testid="finalise-panel"' not in page


def test_finalise_refused_while_the_spread_is_not_accepted(client, scene):
    client.force_login(scene.an)
    page = page_of(client.post(finalise_url(scene.session), {}))
    assert "Tổng điểm của các thành viên chênh lệch quá mức cho phép ở: Dầu lạc nguyên chất An Nhiên." in page
    scene.session.refresh_from_db()
    assert scene.session.status != SessionStatus.FINALISED


def test_finalise_by_the_chair_writes_the_record(client, scene):
    client.force_login(scene.an)
    response = client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON}, follow=True)
    page = page_of(response)
    assert "Đã kết thúc phiên họp: kết quả trở thành kết quả chính thức của hội đồng." in page
    scene.session.refresh_from_db()
    assert (scene.session.status, scene.session.finalised_by) == (SessionStatus.FINALISED, scene.an)
    records = {e.product.name: (e.final_score, e.star_band, e.recognised_star, e.nominated_to, e.spread_reason)
               for e in scene.session.evaluations.select_related("product")}
    assert records == {
        "Miến dong Tài Hoan": (Decimal("92.00"), 5, 4, "central", ""),
        "Dầu lạc nguyên chất An Nhiên": (Decimal("84.67"), 4, 3, "", SPREAD_REASON),
        "Gạo nếp Khẩu Nua Lương": (Decimal("62.50"), 3, 3, "", ""),
    }
    entry = AuditEntry.objects.get(content_type__model="session", object_id=scene.session.pk, action="transition")
    assert entry.changes == {"spread_reason": ["", SPREAD_REASON]}
    assert entry.message == ("Đã kết thúc phiên họp; chấp nhận chênh lệch vượt mức cho phép ở Dầu lạc nguyên chất "
                             f"An Nhiên: {SPREAD_REASON}")


def test_finalise_a_second_time_is_refused(client, scene):
    client.force_login(scene.an)
    client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON})
    page = page_of(client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON}))
    assert "Phiên họp đã được kết thúc trước đó." in page


def test_finalise_by_a_member_who_is_not_the_chair_is_forbidden(client, scene):
    client.force_login(scene.binh)
    response = client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON})
    assert response.status_code == 403
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        session_finalise(session=scene.session, by=scene.binh, spread_reason=SPREAD_REASON)
    assert error.value.messages == ["Chỉ chủ tịch hội đồng mới được kết thúc phiên họp."]


def test_finalise_without_quorum_is_refused(client, demo_units):
    scene = build_scene(demo_units, extra_members=[("kt.dung", "Phạm Văn", "Dũng")])
    session_set_present(session=scene.session, by=None, members=[scene.members["an"], scene.members["binh"]])
    client.force_login(scene.an)
    page = page_of(client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON}))
    assert "Có mặt 2/4 thành viên; phiên họp cần ít nhất 60% số thành viên." in page
    assert session_quorum(scene.session)[0] is False


def test_finalise_with_the_chair_absent_is_refused(demo_units):
    scene = build_scene(demo_units, extra_members=[("kt.dung", "Phạm Văn", "Dũng")])
    session_set_present(session=scene.session, by=None,
                        members=[scene.members[k] for k in ("binh", "cuong", "kt.dung")])
    with translation.override("vi"):
        assert session_quorum(scene.session) == (False, "Chủ tịch hội đồng phải có mặt.")
        with pytest.raises(ValidationError) as error:
            session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    assert error.value.messages == ["Chủ tịch hội đồng phải có mặt."]


def test_finalise_with_a_missing_submission_is_refused(client, demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.gao_nep, "binh")})
    client.force_login(scene.an)
    assert "Còn 1 phiếu chấm chưa nộp:" in page_of(client.get(results_url(scene.session)))
    page = page_of(client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON}))
    assert "Còn phiếu chấm chưa nộp: Hoàng Thị Bình – Gạo nếp Khẩu Nua Lương" in page


def test_finalise_with_a_present_member_without_scorecard_is_refused(demo_units):
    """A member who joined after the products were assigned has no scorecard: he has not scored them."""
    scene = build_scene(demo_units)
    late = council_member_add(council=scene.session.council, user=make_user("kt.muon", "Đỗ Văn", "Muộn"), by=None)
    scene.session.present.add(late)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    assert error.value.messages[0].startswith("Còn phiếu chấm chưa nộp: Đỗ Văn Muộn – Miến dong Tài Hoan")


# ---------------------------------------------------------------------------------------------
# Recognition decisions
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def finalised(scene):
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    scene.session.refresh_from_db()
    return scene


def decision_data(**extra):
    return {"number": "2156/QĐ-UBND", "signed_on": "25/10/2024", "signer": "Phạm Duy Hưng",
            "signer_title": "vice_chair", **extra}


def test_decision_create_recognises_only_3_stars_and_more(client, demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.gao_nep, "an"), (scene.gao_nep, "binh")})
    for key in ("an", "binh"):  # 40 points: 2★, not recognised
        answer(scene.gao_nep.scorecards.get(member=scene.members[key]), (5, 10, 10, 10, 5))
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    client.force_login(scene.province_staff)
    url = reverse("evaluation:decision-create", args=[scene.session.pk])
    response = client.post(url, decision_data(), follow=True)
    page = page_of(response)
    decision = Decision.objects.get()
    assert (decision.number, decision.signed_on, decision.level) == (
        "2156/QĐ-UBND", datetime.date(2024, 10, 25), EvaluationLevel.PROVINCE)
    assert sorted((i.product.name, i.star) for i in decision.items.select_related("product")) == [
        ("Dầu lạc nguyên chất An Nhiên", 3), ("Miến dong Tài Hoan", 4)]
    assert "Đã ghi nhận quyết định công nhận số 2156/QĐ-UBND." in page
    assert "Gạo nếp Khẩu Nua Lương" not in page.split('data-testid="recognised"')[1].split("</table>")[0]
    nominated = page.split('data-testid="nominated"')[1].split("</table>")[0]
    assert "Miến dong Tài Hoan" in nominated and "Đề cử cấp trung ương" in nominated


def test_decision_create_duplicate_number_is_refused_in_vietnamese(client, finalised, demo_units):
    decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                   signer="Phạm Duy Hưng", by=None)
    RecognisedProduct.objects.all().delete()  # the products could be recognised again; the number cannot
    client.force_login(finalised.province_staff)
    page = page_of(client.post(reverse("evaluation:decision-create", args=[finalised.session.pk]), decision_data()))
    assert "Số quyết định này đã được cơ quan ban hành sử dụng." in page
    assert Decision.objects.count() == 1


def test_decision_create_signed_before_the_session_is_refused(client, finalised):
    client.force_login(finalised.province_staff)
    page = page_of(client.post(reverse("evaluation:decision-create", args=[finalised.session.pk]),
                               decision_data(signed_on="14/10/2024")))
    assert "Ngày ký quyết định không được trước ngày họp hội đồng (15/10/2024)." in page
    assert Decision.objects.count() == 0


def test_decision_create_bad_date_keeps_what_was_typed(client, finalised):
    client.force_login(finalised.province_staff)
    page = page_of(client.post(reverse("evaluation:decision-create", args=[finalised.session.pk]),
                               decision_data(signed_on="31/02/2024")))
    assert "Nhập một ngày hợp lệ." in page
    assert 'value="2156/QĐ-UBND"' in page
    assert Decision.objects.count() == 0


def test_decision_create_before_finalisation_shows_why(client, scene):
    client.force_login(scene.province_staff)
    url = reverse("evaluation:decision-create", args=[scene.session.pk])
    page = page_of(client.post(url, decision_data()))
    assert "Phải kết thúc phiên họp trước khi ban hành quyết định công nhận." in page
    assert Decision.objects.count() == 0
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        decision_issue(session=scene.session, number="1/QĐ", signed_on=datetime.date(2024, 10, 25), signer="X", by=None)
    assert error.value.messages == ["Phải kết thúc phiên họp trước khi ban hành quyết định công nhận."]


def test_decision_create_by_a_council_member_is_forbidden(client, finalised):
    client.force_login(finalised.an)
    assert client.get(reverse("evaluation:decision-create", args=[finalised.session.pk])).status_code == 403


def test_decision_create_twice_for_the_same_products_is_refused(finalised):
    decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                   signer="Phạm Duy Hưng", by=None)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        decision_issue(session=finalised.session, number="2157/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                       signer="Phạm Duy Hưng", by=None)
    assert error.value.messages == ["Mọi sản phẩm được công nhận của phiên họp này đã có quyết định."]


def test_decision_detail_lists_recognised_products_and_nominations(client, finalised):
    decision = decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                              signer="Phạm Duy Hưng", by=finalised.province_staff)
    client.force_login(finalised.an)
    page = page_of(client.get(decision.get_absolute_url()))
    assert "Quyết định công nhận số 2156/QĐ-UBND" in page
    assert "25/10/2024" in page
    recognised = page.split('data-testid="recognised"')[1].split("</table>")[0]
    assert recognised.count('data-testid="recognised-row"') == 3
    assert '<td class="text-end">92,00</td><td class="text-center" data-testid="star">' in recognised
    assert "Đề cử cấp trung ương" in page.split('data-testid="nominated"')[1]


def test_decision_detail_of_another_province_is_not_found(client, finalised, demo_units):
    decision = decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                              signer="Phạm Duy Hưng", by=None)
    client.force_login(make_user("kt.tinh.nd", "Lê Thị", "Hoa", role=Role.PROVINCE_STAFF, unit=demo_units["36"]))
    assert client.get(decision.get_absolute_url()).status_code == 404


def _more_decisions(finalised, count):
    """More finalised sessions of the same council, each with its decision."""
    for i in range(count):
        session = session_create(council=finalised.session.council, held_on=datetime.date(2024, 11, 1 + i), by=None)
        product = Product.objects.create(subject=finalised.mien_dong.product.subject,
                                         product_set=finalised.mien_dong.product.product_set,
                                         name=f"Miến dong đặc biệt {i}", commune=finalised.mien_dong.product.commune)
        evaluation = session_assign(session=session, product=product, by=None)
        for key, points in MIEN_DONG.items():
            answer(evaluation.scorecards.get(member=finalised.members[key]), points)
        session_finalise(session=session, by=finalised.an)
        decision_issue(session=session, number=f"{3000 + i}/QĐ-UBND", signed_on=datetime.date(2024, 11, 20),
                       signer="Phạm Duy Hưng", by=None)


def test_decision_list_query_count_is_the_same_for_one_and_several(client, finalised, django_assert_num_queries):
    decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                   signer="Phạm Duy Hưng", by=None)
    client.force_login(finalised.province_staff)
    url = reverse("evaluation:decision-list")
    first = page_of(client.get(url))
    assert "2156/QĐ-UBND" in first
    queries = count_queries(lambda: client.get(url))
    _more_decisions(finalised, 3)
    with django_assert_num_queries(queries):
        page = page_of(client.get(url))
    assert page.count("/QĐ-UBND</a>") == 4


def test_decision_list_searches_products_without_diacritics(client, finalised):
    decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                   signer="Phạm Duy Hưng", by=None)
    _more_decisions(finalised, 1)
    client.force_login(finalised.province_staff)
    page = page_of(client.get(reverse("evaluation:decision-list"), {"q": "mien dong dac biet"}))
    assert ("3000/QĐ-UBND" in page, "2156/QĐ-UBND" in page) == (True, False)


def test_decision_list_empty_state(client, scene):
    client.force_login(scene.province_staff)
    assert "Chưa có quyết định công nhận nào." in page_of(client.get(reverse("evaluation:decision-list")))


def test_decision_list_export_has_one_row_per_decision(client, finalised):
    decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                   signer="Phạm Duy Hưng", by=None)
    client.force_login(finalised.province_staff)
    response = client.get(reverse("evaluation:decision-list-xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Số quyết định", "Ngày ký", "Người ký")
    assert rows[1] == ("2156/QĐ-UBND", "25/10/2024", "Phạm Duy Hưng", "Bắc Kạn", "Cấp tỉnh",
                       "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn", 3)


def test_decision_list_for_a_subject_representative_is_forbidden(client, scene):
    client.force_login(make_user("kt.taihoan", "Triệu Thị", "Hoan", role=Role.SUBJECT_REP))
    assert client.get(reverse("evaluation:decision-list")).status_code == 403


# ---------------------------------------------------------------------------------------------
# Nominations awaiting the next level
# ---------------------------------------------------------------------------------------------


def test_nominations_list_shows_the_province_its_nominated_products(client, finalised):
    client.force_login(finalised.province_staff)
    page = page_of(client.get(reverse("evaluation:nominations")))
    rows = page.split('data-testid="nomination-row"')[1:]
    assert [r.split('data-product="')[1].split('"')[0] for r in rows] == ["Miến dong Tài Hoan"]
    assert "Đề cử cấp trung ương" in rows[0] and "Chờ cấp trên đánh giá" in rows[0]


def test_nominations_list_drops_a_product_the_next_level_took_up(client, finalised, demo_units):
    central_council = council_create(cycle=finalised.session.council.cycle, level=EvaluationLevel.CENTRAL,
                                     unit=demo_units["06"], name="Hội đồng cấp trung ương (kiểm thử)", by=None)
    council_member_add(council=central_council, user=make_user("kt.tw", "Bộ", "Nông nghiệp"), role=MemberRole.CHAIR,
                       by=None)
    central = session_create(council=central_council, held_on=datetime.date(2024, 12, 1), by=None)
    session_assign(session=central, product=finalised.mien_dong.product, by=None)
    admin = make_user("kt.admin", "Quản trị", "viên", role=Role.ADMIN)
    client.force_login(admin)
    assert "Không có sản phẩm nào chờ cấp trên đánh giá." in page_of(client.get(reverse("evaluation:nominations")))
    page = page_of(client.get(reverse("evaluation:nominations"), {"state": "evaluated"}))
    assert 'data-product="Miến dong Tài Hoan"' in page and "Cấp trên đã đánh giá" in page


def test_nominations_list_of_another_province_is_empty(client, finalised, demo_units):
    client.force_login(make_user("kt.tinh.nd", "Lê Thị", "Hoa", role=Role.PROVINCE_STAFF, unit=demo_units["36"]))
    assert "Không có sản phẩm nào chờ cấp trên đánh giá." in page_of(client.get(reverse("evaluation:nominations")))


def test_nominations_list_for_a_council_member_is_forbidden(client, finalised):
    client.force_login(finalised.an)
    assert client.get(reverse("evaluation:nominations")).status_code == 403


def test_nominations_list_query_count_is_the_same_for_one_and_several(client, finalised, django_assert_num_queries):
    client.force_login(finalised.province_staff)
    url = reverse("evaluation:nominations")
    queries = count_queries(lambda: page_of(client.get(url)))
    _more_decisions(finalised, 3)  # three more 92-point products nominated to the central level
    with django_assert_num_queries(queries):
        page = page_of(client.get(url))
    assert page.count('data-testid="nomination-row"') == 4


def test_nominations_export_lists_the_filtered_rows(client, finalised):
    client.force_login(finalised.province_staff)
    response = client.get(reverse("evaluation:nominations-xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:8] == ("Miến dong Tài Hoan", "Hợp tác xã Tài Hoan", "Côn Minh",
                           "7. Chế biến từ rau, củ, quả, hạt", 92, 5, 4, "Đề cử cấp trung ương")


# ---------------------------------------------------------------------------------------------
# Excel of the results and the minutes
# ---------------------------------------------------------------------------------------------


def test_results_xlsx_has_one_row_per_product_grouped_by_set(client, finalised):
    client.force_login(finalised.province_staff)
    response = client.get(reverse("evaluation:session-results-xlsx", args=[finalised.session.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Ngành", "Bộ sản phẩm", "Xếp hạng trong bộ sản phẩm", "Sản phẩm", "Chủ thể", "Xã",
                       "Nguyễn Văn An", "Hoàng Thị Bình", "Lý Văn Cường", "Điểm trung bình", "Trung vị", "Chênh lệch",
                       "Chênh lệch vượt mức", "Tiêu chí bắt buộc không đạt", "Bị loại", "Hạng sao theo điểm",
                       "Hạng sao công nhận", "Đề cử")
    assert rows[1][:2] == ("Thực phẩm", "3. Gạo, ngũ cốc, hạt sơ chế khác")
    assert rows[2] == ("Thực phẩm", "3. Gạo, ngũ cốc, hạt sơ chế khác", 1, "Gạo nếp Khẩu Nua Lương",
                       "Hợp tác xã Dền Vang", "Lục Bình", 60, 65, "Xung đột lợi ích", 62.5, 62.5, 5, "Không", None,
                       "Không", 3, 3, None)
    assert rows[3][:2] == ("Thực phẩm", "7. Chế biến từ rau, củ, quả, hạt")
    assert rows[4][2:] == (1, "Miến dong Tài Hoan", "Hợp tác xã Tài Hoan", "Côn Minh", 92, 95, 89, 92, 92, 6,
                           "Không", None, "Không", 5, 4, "Đề cử cấp trung ương")
    assert rows[5][2:] == (2, "Dầu lạc nguyên chất An Nhiên", "Hộ kinh doanh Nguyễn Văn Dũng", "Văn Lang", 85, 75, 94,
                           84.67, 85, 19, "Có", "3.1", "Không", 4, 3, None)
    assert len(rows) == 6


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content,
                            capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_minutes_pdf_reads_in_vietnamese(client, finalised):
    client.force_login(finalised.binh)
    response = client.get(reverse("evaluation:session-minutes-pdf", args=[finalised.session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn (Cấp tỉnh, Tỉnh Bắc Kạn), thành lập theo Quyết định "
        "số 1520/QĐ-UBND ngày 26/8/2024.",
        "Họp ngày 15/10/2024, tại Hội trường UBND tỉnh Bắc Kạn",
        "Nguyễn Văn An", "Hoàng Thị Bình", "Lý Văn Cường", "Chủ tịch", "Thư ký",
        "Miến dong Tài Hoan – Hợp tác xã Tài Hoan", "Dầu lạc nguyên chất An Nhiên – Hộ kinh doanh Nguyễn Văn Dũng",
        "Điểm trung bình: 92,00", "Điểm trung bình: 84,67", "Điểm trung bình: 62,50",
        "Hạng sao công nhận: 4 sao", "Đề cử cấp trung ương", "Không đạt tiêu chí bắt buộc: 3.1.",
        "Không chấm điểm (xung đột lợi ích: Là thành viên Hợp tác xã Dền Vang)",
        "Hội đồng đề nghị công nhận:", "1 sản phẩm đạt 4 sao", "2 sản phẩm đạt 3 sao",
        "THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_minutes_pdf_shows_each_members_part_scores(client, finalised):
    client.force_login(finalised.province_staff)
    text = pdf_text(client.get(reverse("evaluation:session-minutes-pdf", args=[finalised.session.pk])).content)
    mien = text.split("Miến dong Tài Hoan – Hợp tác xã Tài Hoan")[1].split("Điểm trung bình")[0]
    assert "Nguyễn Văn An 40,00 20,00 32,00 92,00" in mien
    assert "Hoàng Thị Bình 40,00 20,00 35,00 95,00" in mien
    assert "Lý Văn Cường 37,00 20,00 32,00 89,00" in mien


def test_minutes_pdf_of_an_open_session_is_a_draft(client, scene):
    client.force_login(scene.province_staff)
    text = pdf_text(client.get(reverse("evaluation:session-minutes-pdf", args=[scene.session.pk])).content)
    assert "DỰ THẢO – phiên họp chưa kết thúc; kết quả có thể còn thay đổi." in text


def test_minutes_pdf_for_a_subject_representative_is_forbidden(client, finalised):
    client.force_login(make_user("kt.taihoan", "Triệu Thị", "Hoan", role=Role.SUBJECT_REP))
    assert client.get(reverse("evaluation:session-minutes-pdf", args=[finalised.session.pk])).status_code == 403
