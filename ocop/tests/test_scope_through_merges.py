"""Scope through merges (issue 16): the officers of a unit answer for the records of the units it took over.

Each unit keeps the path of the unit that stands for it once the merges recorded have taken effect
(`AdministrativeUnit.standing_path`), kept by save() through chains of merges and dissolved districts, and every
scope check (one record: `ocop.rules.unit_within_scope`; a queryset: `ocop.selectors.scope_q`) matches it beside the
unit's own path.
"""
import pytest

from ocop.enums import Role
from ocop.models import AdministrativeUnit, User
from ocop.rules import unit_within_scope
from ocop.selectors import cycle_list, scope_q, units_in_scope
from ocop.services import units_import_csv

from .test_unit_succession import CHAINS_CSV


@pytest.fixture
def chains(db):
    result = units_import_csv(text=CHAINS_CSV)
    assert result.ok, result.errors
    return {u.code: u for u in AdministrativeUnit.objects.all()}


def officer(code: str, role: str = Role.LOCAL_OFFICER) -> User:
    return User.objects.create_user(username=f"u{code}", role=role, unit=AdministrativeUnit.objects.get(code=code))


def test_standing_path_follows_chains_of_merges_and_dissolved_districts(chains):
    standing = dict(AdministrativeUnit.objects.values_list("code", "standing_path"))
    assert standing["82"] == "82/"                 # a unit that stands stands for itself
    assert standing["81"] == "82/"                 # a province merged into another
    assert standing["811"] == "82/"                # a district dissolved: through the unit above it
    assert standing["81101"] == "82/82202/"        # merged twice: the last successor
    assert standing["81102"] == "81/811/81102/"    # continues: itself
    assert standing["81103"] == "82/"              # ended without successor: through its district
    assert standing["81106"] == "82/82203/"        # its successor begins later: still its successor
    # Two communes merged into each other (a loop in the data): saving ends, and neither stands for the other's
    # successor elsewhere; they stay with the province their district went to.
    assert standing["81104"] == standing["81105"] == "82/"


def test_standing_path_is_kept_when_a_merge_is_recorded_or_undone(chains):
    """Recording a merge moves the standing of the unit and of every unit whose standing goes through it."""
    bac, nam = chains["82202"], AdministrativeUnit.objects.create(code="83", name="Nam Hòa", kind="province")
    province = chains["82"]
    province.merged_into, province.valid_to = nam, chains["82202"].valid_from
    province.save()
    standing = dict(AdministrativeUnit.objects.values_list("code", "standing_path"))
    assert standing["82"] == "83/" and standing["81"] == "83/" and standing["811"] == "83/"
    assert standing["81101"] == "82/82202/"  # merged into a commune that still stands (under the old province)

    province.merged_into, province.valid_to = None, None
    province.save()
    bac.refresh_from_db()
    assert AdministrativeUnit.objects.get(code="81").standing_path == "82/"
    assert bac.standing_path == "82/82202/"


def test_officer_of_the_successor_answers_for_the_records_of_the_units_it_took_over(chains):
    successor_province = officer("82", Role.PROVINCE_STAFF)
    successor_commune = officer("82202")
    former_district = officer("811")

    # One record: the commune merged twice belongs to both officers of its successors.
    assert unit_within_scope(successor_province, chains["81101"])
    assert unit_within_scope(successor_commune, chains["81101"])
    assert not unit_within_scope(successor_commune, chains["81106"])  # merged into another commune
    # The officer of the dissolved district keeps his district's records (history), whichever way they went.
    assert unit_within_scope(former_district, chains["81101"])

    # A queryset: the same answer, in one indexed match.
    in_scope = set(units_in_scope(successor_commune).values_list("code", flat=True))
    assert in_scope == {"82202", "82201", "81101"}
    assert set(AdministrativeUnit.objects.filter(scope_q(successor_province, "parent")).values_list(
        "code", flat=True)) >= {"811", "81101", "81102", "82201"}
    assert set(AdministrativeUnit.objects.filter(scope_q(successor_commune, "merged_into")).values_list(
        "code", flat=True)) == {"82201", "81101"}


def test_thai_nguyen_office_sees_bac_kan_cycles_its_own_first(users, demo_units):
    """Thái Nguyên took over Bắc Kạn on 01/07/2025: its officers see Bắc Kạn's cycles; its own is current."""
    staff = users["tinh.thainguyen"]  # the demo's login of Thái Nguyên's office
    years = set(cycle_list(user=staff).values_list("province__code", "year"))
    assert {("06", 2023), ("06", 2024)} <= years
    # Bắc Kạn's office keeps its own province's cycles (history) but not Thái Nguyên's.
    assert all(code == "06" for code, _year in cycle_list(user=users["tinh.backan"]).values_list(
        "province__code", "year"))
