"""A product's results after its session, as its subject and its area's officers read them; the roadmap to the next
star, hand-computed on the hand-built session of test_results.py; the area's products closest to their next star;
the council's remarks; the notices of results and roadmaps."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ocop.enums import Role
from ocop.models import AdministrativeUnit, Notification
from ocop.tests.utils import count_queries, pdf_text
from subjects.models import SubjectRepresentative

from ..enums import EvaluationLevel
from ..models import StarBand
from ..roadmap import CriterionMean, upgrade_roadmap
from ..selectors.product_results import closest_to_next_star, evaluation_criterion_means, evaluation_roadmap
from ..services.results import (
    RESULTS_PUBLISHED,
    ROADMAP_AVAILABLE,
    evaluation_remarks_set,
    results_published_notify,
    session_finalise,
)
from ..star_rules import LevelCeiling
from .test_results import SPREAD_REASON, build_scene, make_user, page_of

BANDS = [(1, Decimal(0)), (2, Decimal(30)), (3, Decimal(50)), (4, Decimal(70)), (5, Decimal(90))]
PROVINCE = LevelCeiling(max_star=4, nomination_score=Decimal(90), next_level=EvaluationLevel.CENTRAL)
REMARKS = "Bao bì đẹp; cần bổ sung giấy chứng nhận an toàn thực phẩm để lên 4 sao."


def c(code, mean, maximum, required=None, failed=False, part="A"):
    return CriterionMean(code=code, title=f"Tiêu chí {code}", part=part, max_points=Decimal(maximum),
                         mean=Decimal(mean), required_for_star=required, failed=failed)


# ---------------------------------------------------------------------------------------------
# The roadmap's arithmetic at the band edges (pure)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "star", "next_star", "needed"), [
    ("69.99", 3, 4, "0.01"),    # one hundredth below 4★
    ("70.00", 3, 4, "0"),       # in the 4★ band already: something else holds it back
    ("49.99", 0, 3, "0.01"),    # not recognised: the next star is the first recognised, 3★
    ("10.00", 0, 3, "40.00"),
    ("50.00", 3, 4, "20.00"),   # at the bottom of 3★
    ("89.99", 4, 5, "0.01"),
    ("90.00", 4, 5, "0"),
])
def test_roadmap_points_needed_at_the_band_edges(score, star, next_star, needed):
    roadmap = upgrade_roadmap(score=Decimal(score), star=star, bands=BANDS, criteria=[], ceiling=PROVINCE)

    assert (roadmap.next_star, roadmap.points_needed) == (next_star, Decimal(needed))
    assert roadmap.next_min == dict(BANDS)[next_star]


def test_roadmap_at_five_stars_has_no_next_star():
    roadmap = upgrade_roadmap(score=Decimal("95"), star=5, bands=BANDS, criteria=[c("1", 5, 10)])

    assert (roadmap.next_star, roadmap.points_needed, roadmap.ranked) == (None, Decimal(0), [])


def test_roadmap_names_the_next_level_for_a_star_above_the_council_ceiling():
    roadmap = upgrade_roadmap(score=Decimal("88"), star=4, bands=BANDS, criteria=[], ceiling=PROVINCE)

    assert (roadmap.next_star, roadmap.next_level, roadmap.nomination_score) == (5, "central", Decimal(90))
    assert upgrade_roadmap(score=Decimal("60"), star=3, bands=BANDS, criteria=[], ceiling=PROVINCE).next_level == ""


def test_roadmap_ranks_failed_mandatory_criteria_first_then_by_headroom():
    criteria = [c("1.1", 9, 10), c("1.2", 2, 10), c("2.1", 0, 5, required=4, failed=True),
                c("2.2", 0, 5, required=5, failed=True), c("3.1", 4, 10), c("3.2", 10, 10)]
    roadmap = upgrade_roadmap(score=Decimal("65"), star=3, bands=BANDS, criteria=criteria)

    # 2.1 blocks 4★; 2.2 blocks only 5★, so it ranks by its headroom (5), after 1.2 (8) and 3.1 (6); 3.2 is full.
    assert [(i.criterion.code, i.headroom, i.cumulative, i.blocking) for i in roadmap.ranked] == [
        ("2.1", Decimal(5), Decimal(5), True), ("1.2", Decimal(8), Decimal(13), False),
        ("3.1", Decimal(6), Decimal(19), False), ("2.2", Decimal(5), Decimal(24), False),
        ("1.1", Decimal(1), Decimal(25), False)]
    assert [b.code for b in roadmap.blockers] == ["2.1"]
    assert (roadmap.points_needed, roadmap.enough_at, roadmap.headroom) == (Decimal(5), 0, Decimal(25))


def test_roadmap_says_when_the_sheet_holds_too_few_points():
    roadmap = upgrade_roadmap(score=Decimal("40"), star=0, bands=BANDS, criteria=[c("1", 5, 10)])

    assert (roadmap.points_needed, roadmap.headroom, roadmap.reachable_by_points, roadmap.enough_at) == (
        Decimal(10), Decimal(5), False, None)


# ---------------------------------------------------------------------------------------------
# On the hand-built session: Miến dong 92 (4★, nominated), Dầu lạc 84.67 (3★: 3.1 failed), Gạo nếp 62.50 (3★)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def finalised(demo_units):
    scene = build_scene(demo_units)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    for evaluation in (scene.mien_dong, scene.dau_lac, scene.gao_nep):
        evaluation.refresh_from_db()
    return scene


def _rep(scene, evaluation, username="kt.taihoan"):
    user = make_user(username, "Đặng Thị", "Hoan", role=Role.SUBJECT_REP)
    SubjectRepresentative.objects.create(subject=evaluation.product.subject, user=user)
    return user


def test_criterion_means_of_dau_lac_by_hand(finalised):
    means = {m.code: (m.mean, m.failed) for m in evaluation_criterion_means(finalised.dau_lac)}

    # An 10/30/25/0/20, Bình 10/30/25/0/10, Cường 10/27/25/15/17: 3.1 has two zeros of three, so it is failed.
    assert means == {"1.1": (Decimal("10.00"), False), "1.2": (Decimal("29.00"), False),
                     "2.1": (Decimal("25.00"), False), "3.1": (Decimal("5.00"), True),
                     "3.2": (Decimal("15.67"), False)}


def test_roadmap_of_dau_lac_names_the_failed_mandatory_criterion_first(finalised):
    roadmap = evaluation_roadmap(finalised.dau_lac)

    # 84.67 is in the 4★ band; 3.1 (mandatory from 4★) holds it at 3★: no point is lacking, 3.1 must pass.
    assert (roadmap.star, roadmap.band, roadmap.next_star, roadmap.points_needed) == (3, 4, 4, Decimal(0))
    assert [(i.criterion.code, i.headroom, i.blocking) for i in roadmap.ranked] == [
        ("3.1", Decimal("10.00"), True), ("3.2", Decimal("4.33"), False), ("1.2", Decimal("1.00"), False)]


def test_roadmap_of_gao_nep_counts_only_the_members_counted(finalised):
    roadmap = evaluation_roadmap(finalised.gao_nep)

    # An 5/20/15/10/10 and Bình 5/25/15/10/10 (Cường's conflict): 62.50, 7.50 short of 70.
    assert (roadmap.score, roadmap.next_star, roadmap.points_needed) == (Decimal("62.50"), 4, Decimal("7.50"))
    assert [(i.criterion.code, i.headroom) for i in roadmap.ranked] == [
        ("2.1", Decimal("10.00")), ("3.2", Decimal("10.00")), ("1.2", Decimal("7.50")), ("1.1", Decimal("5.00")),
        ("3.1", Decimal("5.00"))]
    assert roadmap.enough_at == 0


def test_product_page_shows_the_subject_its_results_without_members_scores(client, finalised):
    rep = _rep(finalised, finalised.dau_lac)
    evaluation_url = reverse("evaluation:evaluation-detail", args=[finalised.dau_lac.pk])
    client.force_login(rep)

    page = page_of(client.get(finalised.dau_lac.product.get_absolute_url()))

    assert "84,67" in page and "15/10/2024" in page and "KT-148/QĐ-TTg" in page
    assert evaluation_url in page
    # Group totals against their maxima: A 39.00 / 40, B 25.00 / 25, C 20.67 / 35.
    assert "39,00" in page and "20,67" in page
    detail = page_of(client.get(evaluation_url))
    assert "15,67" in detail and "5,00" in detail  # 3.2 and 3.1's means
    for member_total in ("85,00", "75,00", "94,00"):  # An's, Bình's and Cường's totals
        assert member_total not in detail
    assert "Nguyễn Văn An" not in detail


def test_result_page_refuses_another_subject_and_an_unfinished_session(client, demo_units):
    scene = build_scene(demo_units)
    rep = _rep(scene, scene.mien_dong)
    client.force_login(rep)
    url = reverse("evaluation:evaluation-detail", args=[scene.mien_dong.pk])

    assert client.get(url).status_code == 404  # not finalised: no result yet
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    assert "92,00" in page_of(client.get(url))
    other = reverse("evaluation:evaluation-roadmap", args=[scene.dau_lac.pk])
    assert client.get(other).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_subject_home_page_shows_its_latest_results(client, finalised):
    rep = _rep(finalised, finalised.mien_dong)
    client.force_login(rep)

    page = page_of(client.get(reverse("home")))

    assert "Kết quả đánh giá gần nhất" in page and "Miến dong Tài Hoan" in page and "92,00" in page
    assert "Dầu lạc" not in page


def test_roadmap_page_and_pdf_rank_the_criteria(client, finalised):
    rep = _rep(finalised, finalised.gao_nep)
    client.force_login(rep)

    page = page_of(client.get(reverse("evaluation:evaluation-roadmap", args=[finalised.gao_nep.pk])))
    assert "7,50" in page and "Lộ trình" in page
    pdf = client.get(reverse("evaluation:evaluation-roadmap-pdf", args=[finalised.gao_nep.pk]))
    text = pdf_text(pdf.content)
    assert "LỘ TRÌNH NÂNG HẠNG SAO" in text and "Gạo nếp Khẩu Nua Lương" in text
    assert "7,50" in text and "Thị trường" in text  # 2.1, first of the ranked criteria


def test_council_remarks_are_written_before_finalisation_and_shown_after(client, demo_units):
    scene = build_scene(demo_units)
    url = reverse("evaluation:evaluation-detail", args=[scene.dau_lac.pk])
    client.force_login(scene.cuong)  # a plain member does not write them
    assert client.get(url).status_code == 403
    client.force_login(scene.binh)  # the secretary does
    response = client.post(url, {"remarks": REMARKS})
    assert response.status_code == 302
    scene.dau_lac.refresh_from_db()
    assert scene.dau_lac.remarks == REMARKS
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    with pytest.raises(ValidationError, match="Phiên họp đã kết thúc: không thể thay đổi nhận xét"):
        evaluation_remarks_set(evaluation=scene.dau_lac, remarks="Sửa sau", by=scene.binh)
    rep = _rep(scene, scene.dau_lac)
    client.force_login(rep)
    assert REMARKS in page_of(client.get(scene.dau_lac.product.get_absolute_url()))


def test_finalisation_tells_the_representatives_once(finalised):
    rep = _rep(finalised, finalised.gao_nep)
    assert Notification.objects.filter(recipient=rep).count() == 0  # he was linked after the finalisation

    made = results_published_notify(session=finalised.session)
    again = results_published_notify(session=finalised.session)

    notices = {n.kind: n for n in Notification.objects.filter(recipient=rep)}
    assert (made, again, set(notices)) == (2, 0, {RESULTS_PUBLISHED, ROADMAP_AVAILABLE})
    assert notices[RESULTS_PUBLISHED].body == ("Phiên họp Hội đồng ngày 15/10/2024: Gạo nếp Khẩu Nua Lương đạt điểm "
                                               "bình quân 62,50 điểm, kết quả 3★.")
    assert notices[ROADMAP_AVAILABLE].url == reverse("evaluation:evaluation-roadmap", args=[finalised.gao_nep.pk])
    assert notices[RESULTS_PUBLISHED].email_status == "pending"


# ---------------------------------------------------------------------------------------------
# The area's products closest to their next star
# ---------------------------------------------------------------------------------------------


def test_closest_to_next_star_orders_by_gap_within_the_area(finalised):
    rows = list(closest_to_next_star(user=finalised.province_staff, within=None))

    assert [(e.product.name, e.current_star, e.next_star, e.gap) for e in rows] == [
        ("Miến dong Tài Hoan", 4, 5, Decimal("0")), ("Dầu lạc nguyên chất An Nhiên", 3, 4, Decimal("0")),
        ("Gạo nếp Khẩu Nua Lương", 3, 4, Decimal("7.50"))]
    assert [e.product.name for e in closest_to_next_star(user=finalised.province_staff, within=Decimal(5))] == [
        "Miến dong Tài Hoan", "Dầu lạc nguyên chất An Nhiên"]
    outsider = make_user("kt.namdinh", "Trần", "Nam", role=Role.PROVINCE_STAFF,
                         unit=AdministrativeUnit.objects.get(code="36"))
    assert list(closest_to_next_star(user=outsider)) == []


def test_upgrade_list_page_filters_and_counts_queries(client, finalised):
    client.force_login(finalised.province_staff)
    url = reverse("evaluation:upgrade-list")

    page = page_of(client.get(url))
    assert "Miến dong Tài Hoan" in page and "Gạo nếp" not in page  # 7.50 points: beyond the default 5
    wide = page_of(client.get(url, {"within": ""}))
    assert "Gạo nếp Khẩu Nua Lương" in wide and "7,50" in wide
    only_three = page_of(client.get(url, {"within": "10", "star": "3"}))
    assert "Miến dong" not in only_three and "Dầu lạc" in only_three

    one = count_queries(lambda: page_of(client.get(url, {"within": "10", "star": "4"})))
    several = count_queries(lambda: page_of(client.get(url, {"within": "10"})))
    assert one == several


def test_upgrade_list_is_for_officials_only(client, finalised):
    rep = _rep(finalised, finalised.mien_dong)
    client.force_login(rep)

    assert client.get(reverse("evaluation:upgrade-list")).status_code == 403


def test_product_results_read_in_the_same_queries_for_one_and_several_sessions(client, finalised):
    from ..selectors.product_results import product_results
    from ..services.councils import session_assign, session_create
    from .test_results import MIEN_DONG, answer

    product = finalised.mien_dong.product
    one = count_queries(lambda: product_results(product))
    second = session_create(council=finalised.session.council, held_on=finalised.session.held_on.replace(day=20),
                            by=None)
    again = session_assign(session=second, product=product, by=None)  # no certificate was issued: a first rating
    for key, points in MIEN_DONG.items():
        answer(again.scorecards.get(member=finalised.members[key]), points)
    session_finalise(session=second, by=finalised.an)

    results = product_results(product)
    assert [r.evaluation.session_id for r in results] == [second.pk, finalised.session.pk]  # the latest first
    assert count_queries(lambda: product_results(product)) == one
    rep = _rep(finalised, finalised.mien_dong)
    client.force_login(rep)
    url = product.get_absolute_url()
    page = page_of(client.get(url))
    assert page.count('data-testid="product-result"') == 2


def test_closest_to_next_star_reads_the_star_a_certificate_holds(finalised):
    """Each certificate of the session's decision holds its star; a product whose certificate in force is 5★ has no
    next star, whatever its latest result says."""
    import datetime

    from certificates.models import Certificate
    from certificates.services import certificates_issue_for_decision

    from ..services.results import decision_issue

    decision = decision_issue(session=finalised.session, number="1520/QĐ-UBND", signed_on=datetime.date(2024, 10, 20),
                              signer="Nguyễn Văn A", by=None)
    certificates_issue_for_decision(decision=decision, by=None, render=False)
    assert [e.product.name for e in closest_to_next_star(user=finalised.province_staff)] == [
        "Miến dong Tài Hoan", "Dầu lạc nguyên chất An Nhiên", "Gạo nếp Khẩu Nua Lương"]
    Certificate.objects.filter(product=finalised.mien_dong.product).update(star=5)  # e.g. the ministry's since

    rows = {e.product.name: (e.current_star, e.next_star) for e in closest_to_next_star(user=finalised.province_staff)}

    assert rows == {"Dầu lạc nguyên chất An Nhiên": (3, 4), "Gạo nếp Khẩu Nua Lương": (3, 4)}


def test_roadmap_page_lists_every_criterion_beside_the_ranked_ones(client, finalised):
    rep = _rep(finalised, finalised.mien_dong)
    client.force_login(rep)

    page = page_of(client.get(reverse("evaluation:evaluation-roadmap", args=[finalised.mien_dong.pk])))

    ranked, every = page.split('data-testid="roadmap-ranked"')[1].split('data-testid="criterion-means"')
    # 1.1 (10 of 10) and 3.1 (15 of 15) have nothing left to gain: only in the table of every criterion.
    assert 'data-code="1.1"' not in ranked and 'data-code="3.1"' not in ranked
    assert [code for code in ("1.1", "1.2", "2.1", "3.1", "3.2") if f'data-code="{code}"' in every] == [
        "1.1", "1.2", "2.1", "3.1", "3.2"]


def test_roadmap_of_an_eliminated_product_names_the_eliminating_criteria_first():
    criteria = [c("1.1", 0, 10), c("1.2", 8, 10), c("2.1", 0, 5, required=4, failed=True)]
    criteria[0] = CriterionMean(code="1.1", title="Nguồn nguyên liệu", part="A", max_points=Decimal(10),
                                mean=Decimal(0), knock_outs=2)

    roadmap = upgrade_roadmap(score=Decimal("72"), star=0, bands=BANDS, criteria=criteria, counted=3)

    # Two knock-out answers of three members counted: eliminated, whatever its 72 points.
    assert roadmap.eliminated is True
    assert [(i.criterion.code, i.eliminating, i.blocking) for i in roadmap.ranked] == [
        ("1.1", True, True), ("2.1", False, False), ("1.2", False, False)]  # 2.1 holds back 4★, not 3★
    one_knock = upgrade_roadmap(score=Decimal("72"), star=0, bands=BANDS, counted=3,
                                criteria=[CriterionMean(code="1.1", title="", part="A", max_points=Decimal(10),
                                                        mean=Decimal(7), knock_outs=1)])
    assert one_knock.eliminated is False and one_knock.ranked[0].eliminating is False


def test_roadmap_says_when_the_rules_set_no_band_for_the_next_star(client, finalised):
    StarBand.objects.filter(regulation=finalised.gao_nep.regulation, star=4).delete()
    rep = _rep(finalised, finalised.gao_nep)
    client.force_login(rep)

    page = page_of(client.get(reverse("evaluation:evaluation-roadmap", args=[finalised.gao_nep.pk])))

    assert "Quy định này không quy định ngưỡng điểm cho hạng 4★." in page


def test_roadmap_from_the_latest_result_starts_at_the_star_the_certificate_holds(finalised):
    """Gạo nếp's latest result is 3★; a 4★ certificate it holds (say, from an earlier upgrade) sets the next star at
    5★, as the list of products closest to their next star counts it."""
    import datetime

    from certificates.models import Certificate
    from certificates.services import certificates_issue_for_decision

    from ..services.results import decision_issue

    decision = decision_issue(session=finalised.session, number="1520/QĐ-UBND", signed_on=datetime.date(2024, 10, 20),
                              signer="Nguyễn Văn A", by=None)
    certificates_issue_for_decision(decision=decision, by=None, render=False)
    assert evaluation_roadmap(finalised.gao_nep).next_star == 4
    Certificate.objects.filter(product=finalised.gao_nep.product).update(star=4)

    roadmap = evaluation_roadmap(finalised.gao_nep)

    assert (roadmap.star, roadmap.next_star, roadmap.points_needed) == (4, 5, Decimal("27.50"))
    listed = {e.product.name: e.next_star for e in closest_to_next_star(user=finalised.province_staff)}
    assert listed["Gạo nếp Khẩu Nua Lương"] == 5
