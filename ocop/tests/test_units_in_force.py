"""New cycles take the provinces that exist on their day (issue 16, item 1): a cycle's day, the refusal of a
province merged or dissolved on 01/07/2025 naming its successor, on the service and on /cycles/new/."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ocop.enums import Role
from ocop.models import Cycle
from ocop.services import cycle_create
from ocop.tests.factories import UserFactory


def test_cycle_record_day_is_today_in_its_year_and_the_first_day_of_another_year():
    today = datetime.date(2025, 8, 14)
    assert Cycle(year=2025).record_day(today) == today
    assert Cycle(year=2024).record_day(today) == datetime.date(2024, 1, 1)
    assert Cycle(year=2026).record_day(today) == datetime.date(2026, 1, 1)


def test_a_past_cycle_spans_the_days_of_its_year_its_province_existed(demo_units):
    """A past cycle's record takes a unit of any day of its year (the review's gap: 1 January refused every commune
    formed on 01/07/2025 for Thái Nguyên's 2025 records entered in 2026)."""
    today = datetime.date(2026, 3, 2)
    thai_nguyen, bac_kan = Cycle(year=2025, province=demo_units["19"]), Cycle(year=2025, province=demo_units["06"])
    assert thai_nguyen.record_span(today) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert bac_kan.record_span(today) == (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    assert Cycle(year=2026, province=demo_units["19"]).record_span(today) == (today, today)
    # The procedure day: the submission day within that span (a 2025 Bắc Kạn dossier follows 30/06/2025's).
    assert bac_kan.procedure_day(today) == datetime.date(2025, 6, 30)
    assert thai_nguyen.procedure_day(datetime.date(2025, 8, 14)) == datetime.date(2025, 8, 14)
    assert thai_nguyen.procedure_day(today) == datetime.date(2025, 12, 31)


def test_a_2025_council_entered_in_2026_takes_a_commune_formed_on_1_july_2025_and_refuses_one_formed_later(
        demo_units):
    from ocop.services import unit_in_force_check

    cycle = Cycle.objects.create(province=demo_units["19"], year=2025, name="OCOP Thái Nguyên 2025")
    first, last = cycle.record_span(datetime.date(2026, 3, 2))
    unit_in_force_check(unit=demo_units["19102"], on=first, until=last, field="unit")  # formed 01/07/2025: taken
    unit_in_force_check(unit=demo_units["01843"], on=first, until=last, field="unit")  # ended 30/06/2025: taken
    later = demo_units["19102"].__class__.objects.create(code="19199", name="Mới Lập", kind="commune",
                                                         parent=demo_units["19"], valid_from=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        unit_in_force_check(unit=later, on=first, until=last, field="unit")
    assert refused.value.message_dict == {"unit": [
        "Xã Mới Lập chỉ tồn tại từ 01/01/2026; hãy chọn một đơn vị tồn tại trong khoảng từ 01/01/2025 đến "
        "31/12/2025."]}


def test_cycle_of_a_merged_province_is_refused_naming_its_successor(demo_units):
    with pytest.raises(ValidationError) as refused:
        cycle_create(province=demo_units["06"], year=2026, name="OCOP Bắc Kạn 2026", by=None)
    assert refused.value.message_dict == {
        "province": ["Tỉnh Bắc Kạn đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025; hãy chọn Tỉnh Thái Nguyên."]}
    assert not Cycle.objects.filter(province=demo_units["06"], year=2026).exists()


def test_cycle_of_a_province_without_successor_is_refused_on_its_day(demo_units):
    year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as refused:
        cycle_create(province=demo_units["36"], year=year, name="OCOP Nam Định", by=None)
    assert refused.value.message_dict == {"province": [
        f"Tỉnh Nam Định không còn tồn tại từ 01/07/2025 và không có đơn vị kế thừa được ghi nhận; hãy chọn một "
        f"đơn vị còn tồn tại vào ngày 01/01/{year}."]}


def test_cycle_of_a_year_the_province_still_began_is_history_and_accepted(demo_units):
    cycle = cycle_create(province=demo_units["06"], year=2025, name="OCOP Bắc Kạn 2025", by=None)
    assert (cycle.province.code, cycle.year, cycle.steps.count()) == ("06", 2025, 6)


@pytest.fixture
def admin_client(client, demo_units):
    client.force_login(UserFactory(username="quantri", role=Role.ADMIN, is_superuser=True))
    return client


def test_cycle_form_refuses_an_ended_province_with_the_successor_on_the_page(admin_client, demo_units):
    response = admin_client.post("/cycles/new/", {"province": demo_units["06"].pk, "year": 2026,
                                                  "name": "OCOP Bắc Kạn 2026"})
    page = response.content.decode()
    assert "Tỉnh Bắc Kạn đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025; hãy chọn Tỉnh Thái Nguyên." in page
    assert 'value="OCOP Bắc Kạn 2026"' in page
    assert not Cycle.objects.filter(year=2026).exists()


def test_cycle_form_offers_only_the_provinces_that_exist_today(admin_client, demo_units):
    page = admin_client.get("/cycles/new/").content.decode()
    provinces = page.split('name="province"')[1].split("</select>")[0]
    assert f'<option value="{demo_units["19"].pk}">Tỉnh Thái Nguyên</option>' in provinces
    for ended in ("06", "36", "17"):
        assert f'<option value="{demo_units[ended].pk}"' not in provinces
