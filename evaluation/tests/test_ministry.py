"""The ministry's level (issue 16, item 5): the central unit as data, the ministry's office that sees only the
products the provinces nominate, its council, which rates them in a central session, and 5★ decisions and
certificates issued in the ministry's name."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from certificates.services import certificate_issue
from ocop.enums import Role, UnitKind, UnitLevel
from ocop.models import AdministrativeUnit
from ocop.services import cycle_create
from ocop.tests.factories import CycleFactory, UnitFactory, UserFactory
from products.models import ProductSet
from subjects.tests.factories import SubjectFactory

from ..enums import EvaluationLevel, MemberRole
from ..models import CycleRegulation
from ..services.councils import council_create, council_member_add, session_assign, session_create
from ..services.results import decision_issue, session_finalise
from ..services.scoring import scorecard_submit
from .factories import ProductFactory, answer_all, scenario_build

PROVINCIAL_DAY = datetime.date(2026, 10, 15)
CENTRAL_DAY = datetime.date(2026, 11, 20)


def best_answers(card) -> dict:
    """The highest answer of every criterion of the card's sheet: 100 points."""
    return {c.code: str(max(o.points for o in c.options.all())) for c in card.evaluation.sheet.criteria.all()}


@pytest.fixture
def ministry(db):
    """Bộ Nông nghiệp và Môi trường: data of migration ocop 0007, with its predecessor merged into it."""
    return AdministrativeUnit.objects.get(code="BNNMT")


@pytest.fixture
def ministry_office(ministry):
    return UserFactory(username="bo.nnmt", role=Role.MINISTRY_STAFF, unit=ministry, first_name="Trần Văn",
                       last_name="Tuấn")


@pytest.fixture
def experts(db):
    return [UserFactory(username=f"chuyengia.{n}", role=Role.COUNCIL_MEMBER, first_name="Chuyên gia",
                        last_name=str(n)) for n in range(3)]


@pytest.fixture
def province_world(experts):
    """A province's finalised session of 15/10/2026: one product scored at the top (band 5: recognised 4★,
    nominated to the central level), one at 4★ only (not nominated)."""
    province = UnitFactory(code="98", name="Tỉnh Kiểm Thử", kind=UnitKind.PROVINCE)
    commune = UnitFactory(code="98001", name="Xã Kiểm Thử", kind=UnitKind.COMMUNE, parent=province)
    subject = SubjectFactory(name="Hợp tác xã Kiểm Thử", commune=commune)
    top = ProductFactory(subject=subject, name="Trà hoa vàng Kiểm Thử", product_set=ProductSet.objects.get(number=7))
    good = ProductFactory(subject=subject, name="Miến dong Kiểm Thử", product_set=ProductSet.objects.get(number=7))
    scenario = scenario_build(cycle=CycleFactory(province=province, year=2026), unit=province, users=experts,
                              products=[top, good], held_on=PROVINCIAL_DAY)
    for member in experts:
        for evaluation, answers in zip(scenario.evaluations, (best_answers, None), strict=True):
            card = scenario.card(member, evaluation)
            answer_all(card, answers(card) if answers else None, default="10")
            scorecard_submit(scorecard=card, by=member)
    session_finalise(session=scenario.session, by=experts[0])
    top.refresh_from_db()
    good.refresh_from_db()
    return {"province": province, "scenario": scenario, "top": top, "good": good}


@pytest.fixture
def central(ministry, ministry_office, experts, province_world):
    """The ministry's 2026 cycle (under the province's test regulation), its council and a session."""
    cycle = cycle_create(province=ministry, year=2026, name="Đánh giá, phân hạng sản phẩm OCOP cấp trung ương 2026",
                         by=ministry_office)
    CycleRegulation.objects.create(cycle=cycle, regulation=province_world["scenario"].regulation)
    council = council_create(cycle=cycle, level=EvaluationLevel.CENTRAL, unit=ministry,
                             name="Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp trung ương năm 2026",
                             by=ministry_office)
    for i, user in enumerate(experts):
        council_member_add(council=council, user=user, role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER,
                           by=ministry_office)
    session = session_create(council=council, held_on=CENTRAL_DAY, place="Hà Nội", by=ministry_office)
    return {"cycle": cycle, "council": council, "session": session}


def test_the_ministry_exists_as_data_with_its_predecessor(ministry):
    assert (ministry.name, ministry.level, ministry.parent, ministry.valid_from) == (
        "Bộ Nông nghiệp và Môi trường", UnitLevel.CENTRAL, None, datetime.date(2025, 3, 1))
    former = AdministrativeUnit.objects.get(code="BNNPTNT")
    assert (former.name, former.merged_into, former.valid_to) == (
        "Bộ Nông nghiệp và Phát triển nông thôn", ministry, datetime.date(2025, 2, 28))


def test_a_provincial_session_nominates_its_top_product_to_the_central_level(province_world):
    top, good = province_world["top"], province_world["good"]
    evaluation = top.evaluations.get()
    assert (evaluation.star_band, evaluation.recognised_star, evaluation.nominated_to) == (5, 4, "central")
    assert top.nominated_central_on == PROVINCIAL_DAY
    assert good.nominated_central_on is None


def test_the_ministry_office_sees_only_the_nominated_products(client, ministry_office, province_world):
    top, good = province_world["top"], province_world["good"]
    client.force_login(ministry_office)
    page = client.get("/products/").content.decode()
    assert "Trà hoa vàng Kiểm Thử" in page and "Miến dong Kiểm Thử" not in page
    assert client.get(top.get_absolute_url()).status_code == 200
    assert client.get(good.get_absolute_url()).status_code == 404
    nominations = client.get("/evaluation/nominations/").content.decode()
    assert "Trà hoa vàng Kiểm Thử" in nominations and "Miến dong Kiểm Thử" not in nominations


def test_only_the_ministry_forms_the_central_council_and_only_at_the_ministry(
        client, ministry, ministry_office, province_world):
    client.force_login(ministry_office)
    page = client.get("/evaluation/councils/new/").content.decode()
    assert 'value="central"' in page and 'value="province"' not in page
    cycle = cycle_create(province=ministry, year=2026, name="OCOP cấp trung ương 2026", by=ministry_office)
    with pytest.raises(ValidationError) as refused:
        council_create(cycle=cycle, level=EvaluationLevel.PROVINCE, unit=ministry, name="Hội đồng sai cấp", by=None)
    assert refused.value.message_dict == {"unit": ["Chỉ hội đồng cấp trung ương họp tại Bộ."]}
    staff = UserFactory(username="tinh.kiemthu", role=Role.PROVINCE_STAFF, unit=province_world["province"])
    client.force_login(staff)
    assert 'value="central"' not in client.get("/evaluation/councils/new/").content.decode()


def test_the_central_council_rates_only_nominated_products_and_recognises_5_stars_in_the_ministry_name(
        central, province_world, experts, ministry_office):
    session = central["session"]
    with pytest.raises(ValidationError) as refused:
        session_assign(session=session, product=province_world["good"], by=ministry_office)
    assert refused.value.messages == [
        "Miến dong Kiểm Thử chưa được tỉnh nào đề cử lên cấp trung ương: hội đồng của Bộ chỉ đánh giá các sản phẩm "
        "do các tỉnh đề cử."]

    evaluation = session_assign(session=session, product=province_world["top"], by=ministry_office)
    for member in experts:
        card = evaluation.scorecards.get(member__user=member)
        answer_all(card, best_answers(card))
        scorecard_submit(scorecard=card, by=member)
    session_finalise(session=session, by=experts[0])
    evaluation.refresh_from_db()
    assert (evaluation.star_band, evaluation.recognised_star, evaluation.nominated_to) == (5, 5, "")

    decision = decision_issue(session=session, number="1234/QĐ-BNNMT", signed_on=datetime.date(2026, 11, 25),
                              signer="Thứ trưởng", by=ministry_office)
    assert (decision.level, decision.issuing_unit.code) == (EvaluationLevel.CENTRAL, "BNNMT")
    certificate = certificate_issue(recognition=decision.items.get(), by=ministry_office, render=False)
    assert (certificate.star, certificate.level, certificate.issuing_unit, certificate.authority_name) == (
        5, EvaluationLevel.CENTRAL, None, "Bộ Nông nghiệp và Môi trường")
    assert certificate.number.endswith("/2026/GCN-TW")


def test_every_page_the_ministry_office_is_offered_opens(client, ministry_office, province_world):
    """Each entry of its navigation, and its home page, open (no page assumes a province)."""
    from ocop.registry import nav_for

    client.force_login(ministry_office)
    home = client.get("/").content.decode()
    panel = home.split('data-testid="panel-nominations"')[1].split("</ul>")[0]
    assert "1 sản phẩm được đề cử đang chờ hội đồng cấp trung ương đánh giá." in panel
    assert "Trà hoa vàng Kiểm Thử" in panel and "Miến dong Kiểm Thử" not in panel
    urls = [item.url for item in nav_for(ministry_office)]
    assert "/evaluation/nominations/" in urls
    # Ideas and business plans are the provinces' and communes' work, not the ministry's.
    assert "/products/ideas/" not in urls and 'data-testid="panel-ideas"' not in home
    assert "Bộ Bộ" not in home and "Bộ Nông nghiệp và Môi trường" in home
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_ministry_office_runs_its_cycle_council_and_session_pages(client, ministry_office, central):
    client.force_login(ministry_office)
    for obj in (central["cycle"], central["council"], central["session"]):
        assert client.get(obj.get_absolute_url()).status_code == 200, obj
    page = client.get(central["session"].get_absolute_url(), {"product_q": "kiem thu"}).content.decode()
    assert "Trà hoa vàng Kiểm Thử" in page and "Miến dong Kiểm Thử" not in page
    assert '<option value="upgrade" selected>' in page  # a nominated product holds its province's certificate
    # The agenda's search finds the nominated products only (these have no dossier to list).
    from ..selectors.councils import agenda_product_search

    assert [p.name for p in agenda_product_search(session=central["session"], query="kiem thu", limit=10)] == [
        "Trà hoa vàng Kiểm Thử"]


def test_the_ministries_come_back_after_a_flush(ministry):
    """A browser test flushes the tables; the reference data (ocop.reference) puts the ministries back."""
    from ocop.reference import reference_data_ensure

    AdministrativeUnit.objects.filter(kind=UnitKind.MINISTRY).delete()
    reference_data_ensure()
    assert set(AdministrativeUnit.objects.filter(kind=UnitKind.MINISTRY).values_list("code", "merged_into__code")) == {
        ("BNNMT", None), ("BNNPTNT", "BNNMT")}


def test_a_council_of_a_unit_that_has_ended_cannot_sit_after_its_end(demo_units):
    """Bạch Thông district ended on 30/06/2025: its council's sitting of 2026 is refused; of 2024, planned."""
    council = council_create(cycle=CycleFactory(province=demo_units["06"], year=2024), level=EvaluationLevel.DISTRICT,
                             unit=demo_units["063"], name="Hội đồng huyện Bạch Thông (kiểm thử)", by=None)
    assert session_create(council=council, held_on=datetime.date(2024, 10, 1), by=None).held_on.year == 2024
    with pytest.raises(ValidationError) as refused:
        session_create(council=council, held_on=datetime.date(2025, 7, 1), by=None)
    assert refused.value.message_dict == {"held_on": [
        "Hội đồng họp tại Huyện Bạch Thông, đơn vị không còn tồn tại vào ngày 01/07/2025: hãy lập phiên họp với hội "
        "đồng của đơn vị kế thừa vào ngày đó."]}
