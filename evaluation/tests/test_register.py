"""The register a province can trust (issue 13), evaluation's side: nothing scored, closed or decided before
its date; the kind of evaluation a certified product may enter; the rules of the dossier's submission; the
level's ceiling on a decision; the quorum counted per product; the written reason for an accepted spread.

Each refusal is tried through the page, as the user sees it, and through the service."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from ocop import registry
from ocop.downloads import XLSX_TYPE
from ocop.enums import Role
from ocop.models import AdministrativeUnit, Cycle
from ocop.registry import ProductStanding
from products.enums import DossierStatus
from products.models import Dossier, Product, ProductSet
from subjects.enums import SubjectKind
from subjects.models import Subject

from ..enums import EvaluationKind, EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from ..models import (
    CouncilMember,
    CriterionScore,
    CycleRegulation,
    Decision,
    Evaluation,
    LevelRule,
    Regulation,
    Session,
)
from ..services import paper as paper_services
from ..services.councils import (
    conflict_declare,
    council_create,
    council_member_add,
    evaluation_kind_check,
    regulation_for,
    session_assign,
    session_create,
)
from ..services.results import decision_issue, session_finalise, session_quorum
from ..services.scoring import score_set, scorecard_submit
from .test_results import (
    DAU_LAC,
    GAO_NEP,
    MIEN_DONG,
    SPREAD_REASON,
    answer,
    build_scene,
    finalise_url,
    make_sheet,
    make_user,
    page_of,
    pdf_text,
    results_url,
    score_scene,
)


def today() -> datetime.date:
    return timezone.localdate()


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def vi(exc_info) -> list[str]:
    return exc_info.value.messages


@pytest.fixture
def scene(demo_units):
    return build_scene(demo_units)


@pytest.fixture
def finalised(scene):
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    scene.session.refresh_from_db()
    return scene


def move_session_to(session: Session, held_on: datetime.date) -> None:
    Session.objects.filter(pk=session.pk).update(held_on=held_on)
    session.refresh_from_db()


# ---------------------------------------------------------------------------------------------
# Dates: nothing scored, closed or decided before its day
# ---------------------------------------------------------------------------------------------


def test_score_set_before_the_session_is_refused(demo_units):
    scene = build_scene(demo_units, score=False)
    move_session_to(scene.session, in_days(3))
    card = scene.mien_dong.scorecards.get(member=scene.members["an"])
    criterion = scene.mien_dong.sheet.criteria.get(code="1.1")
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        score_set(scorecard=card, criterion_id=criterion.pk, option_id=criterion.options.first().pk, by=scene.an)
    assert vi(error) == [f"Phiên họp ngày {in_days(3):%d/%m/%Y} chưa diễn ra: chưa thể chấm điểm."]
    assert CriterionScore.objects.filter(scorecard=card).count() == 0


def test_score_save_page_before_the_session_shows_why_and_saves_nothing(client, demo_units):
    scene = build_scene(demo_units, score=False)
    move_session_to(scene.session, in_days(1))
    card = scene.mien_dong.scorecards.get(member=scene.members["an"])
    criterion = scene.mien_dong.sheet.criteria.get(code="1.1")
    client.force_login(scene.an)

    page = page_of(client.get(reverse("evaluation:score", args=[card.pk])))
    response = client.post(reverse("evaluation:score-save", args=[card.pk]),
                           {"criterion": criterion.pk, "option": criterion.options.first().pk})

    assert (f"Phiên họp diễn ra ngày {in_days(1):%d/%m/%Y}: bạn có thể xem phiếu đánh giá và hồ sơ ngay bây giờ, "
            "và chấm điểm từ ngày đó.") in page
    assert 'data-testid="submit"' not in page and "hx-post" not in page.split('data-testid="conflict"')[0]
    assert 'data-testid="conflict"' in page  # a member may still withdraw before the sitting
    assert response.status_code == 400
    assert response.content.decode() == f"Phiên họp ngày {in_days(1):%d/%m/%Y} chưa diễn ra: chưa thể chấm điểm."
    assert CriterionScore.objects.filter(scorecard=card).count() == 0


def test_scorecard_submit_before_the_session_is_refused_on_the_page(client, demo_units):
    scene = build_scene(demo_units, score=False)
    card = scene.mien_dong.scorecards.get(member=scene.members["an"])
    answer(card, MIEN_DONG["an"], submit=False)  # answered on the day, then the session was moved
    move_session_to(scene.session, in_days(2))
    client.force_login(scene.an)

    page = page_of(client.post(reverse("evaluation:score-submit", args=[card.pk])))

    assert f"Phiên họp ngày {in_days(2):%d/%m/%Y} chưa diễn ra: chưa thể chấm điểm." in page
    card.refresh_from_db()
    assert (card.status, card.submitted_at) == (ScorecardStatus.OPEN, None)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        scorecard_submit(scorecard=card, by=scene.an)
    assert vi(error) == [f"Phiên họp ngày {in_days(2):%d/%m/%Y} chưa diễn ra: chưa thể chấm điểm."]


def test_scoring_on_the_day_of_the_session_is_allowed(demo_units):
    scene = build_scene(demo_units, score=False)
    move_session_to(scene.session, today())
    card = scene.mien_dong.scorecards.get(member=scene.members["an"])
    answer(card, MIEN_DONG["an"])
    card.refresh_from_db()
    assert (card.status, CriterionScore.objects.filter(scorecard=card).count()) == (ScorecardStatus.SUBMITTED, 5)


def test_paper_import_before_the_session_is_refused_before_any_row(demo_units):
    scene = build_scene(demo_units, score=False)
    move_session_to(scene.session, in_days(5))
    with translation.override("vi"):
        result = paper_services.paper_import(session=scene.session, rows=[], dry_run=True, by=scene.province_staff)
    assert [error.message for error in result.errors] == [
        f"Phiên họp ngày {in_days(5):%d/%m/%Y} chưa diễn ra: chưa thể chấm điểm."]


def test_paper_import_page_before_the_session_shows_why_and_saves_nothing(client, demo_units):
    scene = build_scene(demo_units, score=False)
    move_session_to(scene.session, in_days(5))
    template = paper_services.paper_template_xlsx(scene.session)
    client.force_login(scene.an)

    page = page_of(client.post(reverse("evaluation:session-paper-import", args=[scene.session.pk]), {
        "action": "import", "file": SimpleUploadedFile("phieu-cham.xlsx", template, content_type=XLSX_TYPE)}))

    errors = page.split('data-testid="import-errors"')[1].split("</div>")[0]
    assert "phieu-cham.xlsx: 1 lỗi; chưa lưu dữ liệu nào." in errors
    assert f"Phiên họp ngày {in_days(5):%d/%m/%Y} chưa diễn ra: chưa thể chấm điểm." in errors
    assert CriterionScore.objects.filter(scorecard__evaluation__session=scene.session).count() == 0


def test_finalise_before_the_session_is_refused(client, scene):
    move_session_to(scene.session, in_days(1))
    client.force_login(scene.an)

    # The panel says so before anyone tries, and its button is disabled.
    results = client.get(reverse("evaluation:session-results", args=[scene.session.pk])).content.decode()
    assert f"Phiên họp ngày {in_days(1):%d/%m/%Y} chưa diễn ra: có thể kết thúc phiên từ ngày đó." in results
    assert 'data-testid="finalise" disabled' in results

    page = page_of(client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON}))

    assert f"Phiên họp ngày {in_days(1):%d/%m/%Y} chưa diễn ra: chưa thể kết thúc phiên họp." in page
    scene.session.refresh_from_db()
    assert (scene.session.status, scene.session.finalised_at) == (SessionStatus.SCORING, None)
    assert Evaluation.objects.filter(session=scene.session, final_score__isnull=False).count() == 0
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    assert vi(error) == [f"Phiên họp ngày {in_days(1):%d/%m/%Y} chưa diễn ra: chưa thể kết thúc phiên họp."]


def decision_data(**extra):
    return {"number": "2156/QĐ-UBND", "signed_on": "25/10/2024", "signer": "Phạm Duy Hưng",
            "signer_title": "vice_chair", **extra}


def test_decision_dated_in_the_future_is_refused(client, finalised):
    client.force_login(finalised.province_staff)
    tomorrow = in_days(1)

    page = page_of(client.post(reverse("evaluation:decision-create", args=[finalised.session.pk]),
                               decision_data(signed_on=f"{tomorrow:%d/%m/%Y}")))

    assert (f"Ngày ký quyết định ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay: chỉ ghi nhận quyết định đã "
            "được ký.") in page
    assert Decision.objects.count() == 0
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=tomorrow, signer="X", by=None)
    assert error.value.message_dict == {"signed_on": [
        f"Ngày ký quyết định ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay: chỉ ghi nhận quyết định đã được ký."]}


def test_decision_signed_today_is_recorded(finalised):
    # The scene's province, Bắc Kạn, was merged on 01/07/2025 and signs nothing after it: here it still exists.
    AdministrativeUnit.objects.filter(code="06").update(valid_to=None, merged_into=None)
    decision = decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=today(), signer="X",
                              by=None)
    assert (decision.signed_on, decision.items.count()) == (today(), 3)


# ---------------------------------------------------------------------------------------------
# The kind of evaluation a certified product may enter
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def standings(monkeypatch):
    """Registers a stand-in for the certificates app's answer: {product id: ProductStanding}; the dates it
    was asked about are recorded."""
    table, asked = {}, []

    def provider(product, on):
        asked.append(on)
        return table.get(product.pk)

    monkeypatch.setitem(registry._product_standing, "provider", provider)
    return table, asked


def standing(*, star=4, valid_until=datetime.date(2026, 10, 10), renewable=False):
    return ProductStanding(certificate_number="015/2023/GCN-06", star=star, valid_until=valid_until,
                           renewable=renewable)


def new_product(scene, name="Miến dong Tài Hoan loại đặc biệt") -> Product:
    mien = scene.mien_dong.product
    return Product.objects.create(subject=mien.subject, product_set=mien.product_set, name=name, commune=mien.commune)


def test_first_rating_of_a_certified_product_is_refused(standings, demo_units):
    scene = build_scene(demo_units, score=False)
    table, asked = standings
    asked.clear()  # the scene's own products were asked about too
    product = new_product(scene)
    table[product.pk] = standing()
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_assign(session=scene.session, product=product, kind=EvaluationKind.FIRST, by=None)
    assert vi(error) == [("Sản phẩm đang có giấy chứng nhận 015/2023/GCN-06 còn hiệu lực: chỉ có thể đánh giá nâng "
                         "hạng hoặc đánh giá lại.")]
    assert asked == [datetime.date(2024, 10, 15)]  # the register is asked about the session's date
    assert not Evaluation.objects.filter(product=product).exists()


def test_first_rating_of_a_certified_product_is_refused_on_the_session_page(client, standings, demo_units):
    scene = build_scene(demo_units, score=False)
    table, _asked = standings
    product = new_product(scene)
    table[product.pk] = standing()
    client.force_login(scene.province_staff)

    response = client.post(reverse("evaluation:session-assign", args=[scene.session.pk]),
                           {"product": product.pk, "kind": "first"}, follow=True)

    assert ("Miến dong Tài Hoan loại đặc biệt: Sản phẩm đang có giấy chứng nhận 015/2023/GCN-06 còn hiệu lực: chỉ "
            "có thể đánh giá nâng hạng hoặc đánh giá lại.") in page_of(response)
    assert not Evaluation.objects.filter(product=product).exists()


def test_upgrade_without_a_certificate_in_force_is_refused(standings, demo_units):
    scene = build_scene(demo_units, score=False)
    product = new_product(scene)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_assign(session=scene.session, product=product, kind=EvaluationKind.UPGRADE, by=None)
    assert vi(error) == [("Nâng hạng sao cần giấy chứng nhận còn hiệu lực vào ngày họp (15/10/2024): sản phẩm không "
                         "có giấy chứng nhận nào còn hiệu lực.")]
    assert not Evaluation.objects.filter(product=product).exists()


def test_upgrade_of_a_five_star_product_is_refused(standings, demo_units):
    scene = build_scene(demo_units, score=False)
    table, _asked = standings
    product = new_product(scene)
    table[product.pk] = standing(star=5)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        evaluation_kind_check(product=product, kind=EvaluationKind.UPGRADE, on=scene.session.held_on)
    assert vi(error) == [("Giấy chứng nhận 015/2023/GCN-06 của sản phẩm đã ở hạng 5 sao: không còn hạng sao cao hơn "
                         "để nâng.")]


def test_upgrade_of_a_four_star_product_is_assigned(standings, demo_units):
    scene = build_scene(demo_units, score=False)
    table, _asked = standings
    product = new_product(scene)
    table[product.pk] = standing(star=4)
    evaluation = session_assign(session=scene.session, product=product, kind=EvaluationKind.UPGRADE, by=None)
    assert (evaluation.kind, evaluation.scorecards.count()) == (EvaluationKind.UPGRADE, 3)


def test_renewal_before_the_notice_window_is_refused_on_the_session_page(client, standings, demo_units):
    scene = build_scene(demo_units, score=False)
    table, _asked = standings
    product = new_product(scene)
    table[product.pk] = standing(renewable=False)
    client.force_login(scene.province_staff)

    response = client.post(reverse("evaluation:session-assign", args=[scene.session.pk]),
                           {"product": product.pk, "kind": "renewal"}, follow=True)

    assert ("Miến dong Tài Hoan loại đặc biệt: Giấy chứng nhận 015/2023/GCN-06 của sản phẩm còn hiệu lực đến "
            "10/10/2026: chưa đến thời hạn đánh giá lại để công nhận lại.") in page_of(response)
    assert not Evaluation.objects.filter(product=product).exists()


@pytest.mark.parametrize("held", [standing(renewable=True), None], ids=["within-the-window", "after-expiry"])
def test_renewal_within_the_window_or_after_expiry_is_assigned(standings, demo_units, held):
    scene = build_scene(demo_units, score=False)
    table, _asked = standings
    product = new_product(scene)
    table[product.pk] = held
    evaluation = session_assign(session=scene.session, product=product, kind=EvaluationKind.RENEWAL, by=None)
    assert evaluation.kind == EvaluationKind.RENEWAL


def test_unknown_kind_is_refused(demo_units):
    scene = build_scene(demo_units, score=False)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_assign(session=scene.session, product=new_product(scene), kind="bonus", by=None)
    assert error.value.message_dict == {"kind": ["Hãy chọn loại đánh giá."]}


def test_first_rating_of_a_product_with_a_recorded_certificate_is_refused(demo_units):
    """The certificates app's own answer (registered in its ready()), on a certificate recorded in the register."""
    from certificates.models import Certificate

    if "provider" not in registry._product_standing:
        pytest.skip("the certificates app does not register its product standing (ocop.registry) yet")
    scene = build_scene(demo_units, score=False)
    product = new_product(scene)
    Certificate.objects.create(
        number="015/2023/GCN-06", issuing_unit=demo_units["06"], product=product, subject=product.subject, star=4,
        decision_number="1702/QĐ-UBND", decision_date=datetime.date(2023, 10, 10), signer="Phạm Duy Hưng",
        level=EvaluationLevel.PROVINCE, issued_on=datetime.date(2023, 10, 10), valid_until=datetime.date(2026, 10, 10))

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_assign(session=scene.session, product=product, kind=EvaluationKind.FIRST, by=None)
    upgrade = session_assign(session=scene.session, product=product, kind=EvaluationKind.UPGRADE, by=None)

    assert vi(error) == [("Sản phẩm đang có giấy chứng nhận 015/2023/GCN-06 còn hiệu lực: chỉ có thể đánh giá nâng "
                         "hạng hoặc đánh giá lại.")]
    assert Evaluation.objects.filter(product=product).get() == upgrade


# ---------------------------------------------------------------------------------------------
# The rules of the dossier's submission
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def round_2025(demo_units):
    """Thái Nguyên's provincial council of 2025 sitting on 01/10/2025, after 1489/QĐ-TTg took effect (01/07/2025);
    a sheet for set 7 under 148/QĐ-TTg and under 1489/QĐ-TTg; a product of Côn Minh (Na Rì, Bắc Kạn, which Thái
    Nguyên took over that day). Bắc Kạn's own council could not sit on that day: Bắc Kạn had ended."""
    backan = demo_units["19"]
    cycle = Cycle.objects.create(province=backan, year=2025, name="Kế hoạch OCOP tỉnh Thái Nguyên năm 2025 (kiểm thử)")
    set7 = ProductSet.objects.get(number=7)
    rules_148, rules_1489 = Regulation.objects.get(code="148/QĐ-TTg"), Regulation.objects.get(code="1489/QĐ-TTg")
    make_sheet(rules_148, set7)
    make_sheet(rules_1489, set7)
    council = council_create(cycle=cycle, level=EvaluationLevel.PROVINCE, unit=backan, name="Hội đồng tỉnh 2025",
                             by=None)
    council_member_add(council=council, user=make_user("kt.an", "Nguyễn Văn", "An"), role=MemberRole.CHAIR, by=None)
    session = session_create(council=council, held_on=datetime.date(2025, 10, 1), by=None)
    subject = Subject(name="Hợp tác xã Tài Hoan", kind=SubjectKind.COOPERATIVE, tax_code="4700701234",
                      legal_representative="Đại diện", commune=demo_units["01963"])
    subject.save()
    product = Product.objects.create(subject=subject, product_set=set7, name="Miến dong Tài Hoan",
                                     commune=demo_units["01963"])
    return {"cycle": cycle, "session": session, "product": product, "148": rules_148, "1489": rules_1489}


def submitted_dossier(round_2025, submitted_at) -> Dossier:
    return Dossier.objects.create(product=round_2025["product"], cycle=round_2025["cycle"],
                                  status=DossierStatus.SUBMITTED, submitted_at=submitted_at)


def test_regulation_follows_the_dossier_submission_not_the_session_date(round_2025):
    dossier = submitted_dossier(round_2025, timezone.make_aware(datetime.datetime(2025, 5, 10, 9, 30)))
    session = round_2025["session"]

    evaluation = session_assign(session=session, product=round_2025["product"], dossier=dossier, by=None)

    assert (evaluation.regulation.code, evaluation.sheet.regulation.code) == ("148/QĐ-TTg", "148/QĐ-TTg")
    assert regulation_for(cycle=round_2025["cycle"], session_date=session.held_on).code == "1489/QĐ-TTg"


def test_regulation_of_the_dossier_wins_over_the_cycle_link(round_2025):
    CycleRegulation.objects.create(cycle=round_2025["cycle"], regulation=round_2025["1489"])
    dossier = submitted_dossier(round_2025, timezone.make_aware(datetime.datetime(2025, 6, 30, 23, 0)))
    unsent = Dossier(product=round_2025["product"], cycle=round_2025["cycle"])
    old = Dossier(product=round_2025["product"], cycle=round_2025["cycle"],
                  submitted_at=timezone.make_aware(datetime.datetime(2018, 1, 2, 8, 0)))
    session_date = round_2025["session"].held_on
    assert [regulation_for(cycle=round_2025["cycle"], session_date=session_date, dossier=d).code
            for d in (dossier, unsent, old, None)] == ["148/QĐ-TTg", "1489/QĐ-TTg", "1489/QĐ-TTg", "1489/QĐ-TTg"]


def test_dossier_assigned_from_the_session_page_is_frozen_to_its_submission_rules(client, round_2025):
    dossier = submitted_dossier(round_2025, timezone.make_aware(datetime.datetime(2025, 5, 10, 9, 30)))
    staff = make_user("kt.tinh", "Ngô Mai", "Hương", role=Role.PROVINCE_STAFF, unit=round_2025["cycle"].province)
    client.force_login(staff)

    response = client.post(reverse("evaluation:session-assign", args=[round_2025["session"].pk]),
                           {"dossiers": [dossier.pk], "kind": "first"}, follow=True)

    assert "Đã đưa vào chương trình phiên: Miến dong Tài Hoan." in page_of(response)
    assert Evaluation.objects.get(dossier=dossier).regulation.code == "148/QĐ-TTg"


# ---------------------------------------------------------------------------------------------
# The authority that may recognise: a decision never above its level's ceiling
# ---------------------------------------------------------------------------------------------


def test_decision_above_the_level_ceiling_is_refused(finalised):
    LevelRule.objects.filter(regulation=finalised.mien_dong.regulation, level=EvaluationLevel.PROVINCE).update(
        max_star=3)  # the rules were amended after the session: a provincial decision recognises 3★ at most
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        decision_issue(session=finalised.session, number="2156/QĐ-UBND", signed_on=datetime.date(2024, 10, 25),
                       signer="Phạm Duy Hưng", by=None)
    assert vi(error) == [("Miến dong Tài Hoan không thể được công nhận 4 sao bằng quyết định cấp tỉnh: cấp này chỉ "
                         "được công nhận tối đa 3 sao.")]
    assert Decision.objects.count() == 0


def test_decision_above_the_level_ceiling_is_refused_on_the_page(client, finalised):
    Evaluation.objects.filter(pk=finalised.mien_dong.pk).update(recognised_star=5)  # a record changed by hand
    client.force_login(finalised.province_staff)

    page = page_of(client.post(reverse("evaluation:decision-create", args=[finalised.session.pk]), decision_data()))

    assert ("Miến dong Tài Hoan không thể được công nhận 5 sao bằng quyết định cấp tỉnh: cấp này chỉ được công nhận "
            "tối đa 4 sao.") in page
    assert Decision.objects.count() == 0


def test_central_council_decision_is_of_the_central_level_and_recognises_5_stars(finalised, demo_units):
    council = council_create(cycle=finalised.session.council.cycle, level=EvaluationLevel.CENTRAL,
                             unit=demo_units["06"], name="Hội đồng cấp trung ương (kiểm thử)", by=None)
    for i, (username, role) in enumerate((("kt.tw1", MemberRole.CHAIR), ("kt.tw2", MemberRole.MEMBER),
                                          ("kt.tw3", MemberRole.MEMBER))):
        council_member_add(council=council, user=make_user(username, "Chuyên gia", f"Trung ương {i + 1}"), role=role,
                           by=None)
    session = session_create(council=council, held_on=datetime.date(2024, 12, 1), by=None)
    evaluation = session_assign(session=session, product=finalised.mien_dong.product, by=None)
    for card in evaluation.scorecards.select_related("member__user"):
        answer(card, MIEN_DONG["an"])  # 92 points each
    chair = council.members.get(role=MemberRole.CHAIR).user

    session_finalise(session=session, by=chair)
    decision = decision_issue(session=session, number="88/QĐ-BNN", signed_on=datetime.date(2024, 12, 20),
                              signer="Bộ trưởng", by=None)

    assert (decision.level, decision.issuing_unit) == (EvaluationLevel.CENTRAL, demo_units["06"])
    assert [(item.product.name, item.star) for item in decision.items.select_related("product")] == [
        ("Miến dong Tài Hoan", 5)]


# ---------------------------------------------------------------------------------------------
# Quorum per product, and the written reason for an accepted spread
# ---------------------------------------------------------------------------------------------


def four_member_scene(demo_units, *, quorum="0.75"):
    """The scene with Dũng as a fourth member, all four present; Dũng declares a conflict on Gạo nếp too, so
    that only An and Bình may decide it (2 of 4)."""
    scene = build_scene(demo_units, score=False, extra_members=[("kt.dung", "Phạm Văn", "Dũng")])
    Regulation.objects.filter(pk=scene.mien_dong.regulation_id).update(quorum_ratio=Decimal(quorum))
    dung = scene.members["kt.dung"]
    conflict_declare(evaluation=scene.gao_nep, member=dung, reason="Có người nhà là thành viên hợp tác xã",
                     by=dung.user)
    score_scene(scene)
    answer(scene.mien_dong.scorecards.get(member=dung), MIEN_DONG["binh"])
    answer(scene.dau_lac.scorecards.get(member=dung), DAU_LAC["cuong"])
    return scene


def test_finalise_refused_when_a_product_lacks_its_own_quorum(demo_units):
    scene = four_member_scene(demo_units)
    with translation.override("vi"):
        assert session_quorum(scene.session) == (False, (
            "Sản phẩm Gạo nếp Khẩu Nua Lương: chỉ 2/4 thành viên có mặt không có xung đột lợi ích, cần tối thiểu "
            "75%."))
        with pytest.raises(ValidationError) as error:
            session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    assert vi(error) == [("Sản phẩm Gạo nếp Khẩu Nua Lương: chỉ 2/4 thành viên có mặt không có xung đột lợi ích, "
                         "cần tối thiểu 75%.")]


def test_finalise_page_shows_which_product_lacks_its_quorum_and_changes_nothing(client, demo_units):
    scene = four_member_scene(demo_units)
    client.force_login(scene.an)
    message = ("Sản phẩm Gạo nếp Khẩu Nua Lương: chỉ 2/4 thành viên có mặt không có xung đột lợi ích, cần tối thiểu "
               "75%.")

    panel = page_of(client.get(results_url(scene.session))).split('data-testid="quorum"')[1].split("</p>")[0]
    page = page_of(client.post(finalise_url(scene.session), {"spread_reason": SPREAD_REASON}))

    assert message in panel
    assert message in page.split('data-testid="finalise-errors"')[1]
    scene.session.refresh_from_db()
    assert scene.session.status == SessionStatus.SCORING
    assert Evaluation.objects.filter(session=scene.session, final_score__isnull=False).count() == 0


def test_finalise_with_each_product_at_quorum_is_allowed(demo_units):
    scene = four_member_scene(demo_units, quorum="0.50")
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    scene.session.refresh_from_db()
    assert scene.session.status == SessionStatus.FINALISED


def test_product_on_which_the_chair_has_a_conflict_needs_a_vice_chair(demo_units):
    """Five members at 60%: An (chair) and Cường stand aside on Gạo nếp, Bình, Dũng and Em decide it (3/5)."""
    scene = build_scene(demo_units, score=False,
                        extra_members=[("kt.dung", "Phạm Văn", "Dũng"), ("kt.em", "Trần Thị", "Em")])
    conflict_declare(evaluation=scene.gao_nep, member=scene.members["an"], reason="Là thành viên Hợp tác xã Dền Vang",
                     by=scene.an)
    score_scene(scene, skip={(scene.gao_nep, "an")})
    for key in ("kt.dung", "kt.em"):
        member = scene.members[key]
        answer(scene.mien_dong.scorecards.get(member=member), MIEN_DONG["an"])
        answer(scene.dau_lac.scorecards.get(member=member), DAU_LAC["an"])
        answer(scene.gao_nep.scorecards.get(member=member), GAO_NEP["binh"])

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    CouncilMember.objects.filter(pk=scene.members["kt.dung"].pk).update(role=MemberRole.VICE_CHAIR)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)

    assert vi(error) == [("Sản phẩm Gạo nếp Khẩu Nua Lương: chủ tịch hội đồng có xung đột lợi ích và không có phó chủ "
                         "tịch nào có mặt mà không có xung đột lợi ích để chủ trì.")]
    scene.session.refresh_from_db()
    assert scene.session.status == SessionStatus.FINALISED


def test_finalise_page_asks_for_the_reason_of_an_accepted_spread(client, scene):
    client.force_login(scene.an)
    panel = page_of(client.get(results_url(scene.session))).split('data-testid="finalise-panel"')[1]

    page = page_of(client.post(finalise_url(scene.session), {"spread_reason": "   "}))

    assert ('<label class="form-label" for="id_spread_reason">Lý do hội đồng chấp nhận các chênh lệch này'
            '</label>') in panel
    assert ("Hãy chấm lại (chủ tịch hội đồng có thể mở lại phiếu chấm), hoặc ghi rõ bên dưới lý do hội đồng chấp "
            "nhận.") in panel
    assert ("Tổng điểm của các thành viên chênh lệch quá mức cho phép ở: Dầu lạc nguyên chất An Nhiên. Hãy chấm lại, "
            "hoặc xác nhận hội đồng đã thảo luận. Ghi rõ lý do hội đồng chấp nhận mức chênh lệch.") in page
    scene.session.refresh_from_db()
    assert scene.session.status == SessionStatus.SCORING
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        session_finalise(session=scene.session, by=scene.an, spread_reason="  ")
    assert vi(error) == [("Tổng điểm của các thành viên chênh lệch quá mức cho phép ở: Dầu lạc nguyên chất An Nhiên. "
                         "Hãy chấm lại, hoặc xác nhận hội đồng đã thảo luận. Ghi rõ lý do hội đồng chấp nhận mức "
                         "chênh lệch.")]


def test_session_within_the_spread_needs_no_reason(demo_units):
    scene = build_scene(demo_units, score=False)
    score_scene(scene, skip={(scene.dau_lac, "binh")})
    answer(scene.dau_lac.scorecards.get(member=scene.members["binh"]), DAU_LAC["an"])  # 85 85 94: within 10
    session_finalise(session=scene.session, by=scene.an)
    assert list(Evaluation.objects.filter(session=scene.session).values_list("spread_reason", flat=True)) == [""] * 3


def test_minutes_print_the_reason_the_spread_was_accepted(client, finalised):
    client.force_login(finalised.province_staff)
    text = pdf_text(client.get(reverse("evaluation:session-minutes-pdf", args=[finalised.session.pk])).content)
    dau_lac = text.split("Dầu lạc nguyên chất An Nhiên – Hộ kinh doanh Nguyễn Văn Dũng")[1].split("Hạng sao")[0]
    assert f"Hội đồng chấp nhận mức chênh lệch vượt mức cho phép với lý do: {SPREAD_REASON}" in dau_lac
    assert "Chênh lệch: 19,00 (vượt mức chênh lệch cho phép)" in dau_lac
    assert text.count("với lý do:") == 1


def test_minutes_of_a_session_finalised_before_reasons_were_asked_keep_their_wording(client, finalised):
    Evaluation.objects.filter(session=finalised.session).update(spread_reason="")  # finalised before this field
    client.force_login(finalised.province_staff)
    text = pdf_text(client.get(reverse("evaluation:session-minutes-pdf", args=[finalised.session.pk])).content)
    assert "Chênh lệch: 19,00 (vượt mức chênh lệch cho phép; hội đồng đã thảo luận và chấp nhận)" in text
    assert "với lý do:" not in text
