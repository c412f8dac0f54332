"""Councils and decisions take the units that exist on their day (issue 16, item 1): a council of a 2026 cycle
cannot sit at a unit that ended on 30/06/2025, and a decision signed from 01/07/2025 cannot be issued by one;
the message names the unit that stands for it."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ocop.enums import Role
from ocop.models import Cycle
from ocop.tests.factories import UserFactory

from ..enums import EvaluationLevel
from ..models import Council, Decision
from ..services.councils import council_create
from ..services.results import decision_issue, session_finalise
from .test_results import SPREAD_REASON, build_scene

MERGED = "Tỉnh Bắc Kạn đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025; hãy chọn Tỉnh Thái Nguyên."


@pytest.fixture
def thai_nguyen_2026(demo_units):
    return Cycle.objects.create(province=demo_units["19"], year=2026, name="OCOP Thái Nguyên 2026")


def test_council_of_a_2026_cycle_at_a_merged_province_is_refused_naming_its_successor(demo_units, thai_nguyen_2026):
    with pytest.raises(ValidationError) as refused:
        council_create(cycle=thai_nguyen_2026, level=EvaluationLevel.PROVINCE, unit=demo_units["06"],
                       name="Hội đồng tỉnh Bắc Kạn 2026", by=None)
    assert refused.value.message_dict == {"unit": [MERGED]}


def test_council_at_a_dissolved_district_is_refused_on_its_cycles_day(demo_units, thai_nguyen_2026):
    day = thai_nguyen_2026.record_day()
    with pytest.raises(ValidationError) as refused:
        council_create(cycle=thai_nguyen_2026, level=EvaluationLevel.DISTRICT, unit=demo_units["066"],
                       name="Hội đồng huyện Na Rì 2026", by=None)
    assert refused.value.message_dict == {"unit": [
        f"Huyện Na Rì không còn tồn tại từ 01/07/2025 và không có đơn vị kế thừa được ghi nhận; hãy chọn một đơn "
        f"vị còn tồn tại vào ngày {day:%d/%m/%Y}."]}


def test_council_of_a_past_cycle_keeps_the_units_of_its_year(demo_units):
    cycle = Cycle.objects.create(province=demo_units["06"], year=2025, name="OCOP Bắc Kạn 2025")
    council = council_create(cycle=cycle, level=EvaluationLevel.DISTRICT, unit=demo_units["066"],
                             name="Hội đồng huyện Na Rì 2025", by=None)
    assert (council.unit.code, council.cycle.year) == ("066", 2025)


@pytest.fixture
def admin_client(client, demo_units):
    client.force_login(UserFactory(username="quantri", role=Role.ADMIN, is_superuser=True))
    return client


def test_council_form_shows_the_refusal_and_offers_the_units_of_the_latest_cycle(admin_client, demo_units,
                                                                                 thai_nguyen_2026):
    page = admin_client.get("/evaluation/councils/new/").content.decode()
    units = page.split('name="unit"')[1].split("</select>")[0]
    assert f'<option value="{demo_units["19"].pk}"' in units and f'<option value="{demo_units["19111"].pk}"' in units
    assert f'<option value="{demo_units["06"].pk}"' not in units
    assert f'<option value="{demo_units["066"].pk}"' not in units

    page = admin_client.post("/evaluation/councils/new/", {
        "cycle": thai_nguyen_2026.pk, "level": "province", "unit": demo_units["06"].pk,
        "name": "Hội đồng tỉnh Bắc Kạn 2026"}).content.decode()
    assert MERGED in page
    assert not Council.objects.filter(name="Hội đồng tỉnh Bắc Kạn 2026").exists()


# ---------------------------------------------------------------------------------------------
# Decisions: the council's unit must exist on the day of signing
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def finalised(demo_units):
    """Bắc Kạn's provincial council of 2024, its session scored and finalised (three products recognised)."""
    scene = build_scene(demo_units)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    scene.session.refresh_from_db()
    return scene


def test_decision_signed_on_the_last_day_of_the_council_unit_is_recorded(finalised):
    decision = decision_issue(session=finalised.session, number="1020/QĐ-UBND", signed_on=datetime.date(2025, 6, 30),
                              signer="Chủ tịch UBND tỉnh Bắc Kạn", by=None)
    assert (decision.issuing_unit.code, decision.signed_on, decision.items.count()) == (
        "06", datetime.date(2025, 6, 30), 3)


def test_decision_signed_from_the_merger_is_refused_naming_the_successor(finalised):
    with pytest.raises(ValidationError) as refused:
        decision_issue(session=finalised.session, number="1021/QĐ-UBND", signed_on=datetime.date(2025, 7, 1),
                       signer="Chủ tịch UBND tỉnh Bắc Kạn", by=None)
    assert refused.value.message_dict == {"signed_on": [
        "Cơ quan ban hành, Tỉnh Bắc Kạn, đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025: văn bản ký từ ngày đó do "
        "Tỉnh Thái Nguyên ban hành."]}
    assert not Decision.objects.exists()


def test_decision_form_shows_the_refusal_beside_the_signing_date(client, finalised):
    client.force_login(finalised.province_staff)
    page = client.post(reverse("evaluation:decision-create", args=[finalised.session.pk]), {
        "number": "1021/QĐ-UBND", "signed_on": "01/07/2025", "signer": "Phạm Duy Hưng",
        "signer_title": "vice_chair"}).content.decode()
    assert ("Cơ quan ban hành, Tỉnh Bắc Kạn, đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025: văn bản ký từ ngày đó do "
            "Tỉnh Thái Nguyên ban hành.") in page
    assert not Decision.objects.exists()
