"""Every role sees its own area and nothing else: units, cycles, navigation."""
import pytest

from ocop.models import AdministrativeUnit, Cycle
from ocop.selectors import cycle_list, scope_q, units_in_scope


def test_admin_scope_covers_every_unit(users):
    assert units_in_scope(users["admin"]).count() == AdministrativeUnit.objects.count()


def test_province_staff_scope_is_his_province(users):
    codes = set(units_in_scope(users["tinh.backan"]).values_list("code", flat=True))
    assert "063" in codes and "01963" in codes
    assert "360" not in codes and "19" not in codes


def test_district_officer_scope_is_his_district(users):
    units = units_in_scope(users["huyen.bachthong"])
    assert units.communes().count() == 14
    assert not units.filter(code="01963").exists()  # Côn Minh lies in Na Rì


@pytest.mark.parametrize("username", ["hoidong.1", "htx.thienan"])
def test_roles_without_an_area_have_an_empty_unit_scope(users, username):
    assert units_in_scope(users[username]).count() == 0
    assert AdministrativeUnit.objects.filter(scope_q(users[username], "parent")).count() == 0


def test_scope_q_filters_related_rows(users):
    in_na_ri = AdministrativeUnit.objects.filter(scope_q(users["huyen.nari"], "parent"))
    assert set(in_na_ri.values_list("code", flat=True)) == {"01960", "01963", "01966", "01969", "01972", "01975"}


def test_cycle_list_holds_the_officers_province_only(users, demo_units):
    other = Cycle.objects.create(province=demo_units["36"], year=2024, name="OCOP Nam Định 2024")
    assert set(cycle_list(user=users["huyen.bachthong"]).values_list("province__code", "year")) == {
        ("06", 2023), ("06", 2024)}
    assert other in cycle_list(user=users["admin"])
    assert cycle_list(user=users["hoidong.1"]).count() == 0


def test_officer_of_another_province_gets_404_on_a_cycle(client_for, demo_units):
    other = Cycle.objects.create(province=demo_units["36"], year=2024, name="OCOP Nam Định 2024")
    response = client_for("tinh.backan").get(other.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("username", ["hoidong.1", "htx.thienan"])
def test_council_member_and_subject_cannot_open_cycles_or_units(client_for, username):
    client = client_for(username)
    assert client.get("/cycles/").status_code == 403
    assert client.get("/units/").status_code == 403


def test_district_officer_cannot_change_the_provincial_cycle(client_for):
    cycle = Cycle.objects.get(year=2024)
    client = client_for("huyen.bachthong")
    assert client.get(cycle.get_absolute_url()).status_code == 200
    assert client.post(f"/cycles/{cycle.pk}/step/", {"current_step": 2}).status_code == 403
    cycle.refresh_from_db()
    assert cycle.current_step == 6


def test_unit_outside_scope_is_404(client_for):
    assert client_for("huyen.bachthong").get("/units/01963/").status_code == 404
    assert client_for("huyen.nari").get("/units/01963/").status_code == 200


def test_navigation_shows_each_role_only_what_it_can_use(client_for):
    officer_page = client_for("tinh.backan").get("/").content.decode()
    assert 'href="/cycles/"' in officer_page and 'href="/units/"' in officer_page
    member_page = client_for("hoidong.1").get("/").content.decode()
    assert 'href="/cycles/"' not in member_page and 'href="/units/"' not in member_page
