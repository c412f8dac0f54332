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
