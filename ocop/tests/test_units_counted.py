"""The units whose records count for a unit on a date (issue 16, item 2): a unit's own and, from the day a unit was
merged into it, the merged unit's with the units below it, through chains of merges; read in one query per
generation of predecessors, whatever the number of units."""
import datetime

import pytest

from ocop.enums import Role
from ocop.models import AdministrativeUnit, User
from ocop.selectors import units_counted_for
from ocop.services import units_import_csv
from ocop.tests.factories import UserFactory

# Hà Sơn was merged into Sông Cầu in 2008 (its commune Tản Lĩnh into An Phú), Sông Cầu into Thái Hòa on
# 01/07/2025 (An Phú into Bình Minh, itself merged into Cường Thịnh on 01/01/2027). Under Sông Cầu: a commune that
# continues under the dissolved district, one ended without a successor, one that went to the neighbouring province.
CHAINS_CSV = """code,name,kind,parent_code,valid_from,valid_to,merged_into_code
80,Hà Sơn,province,,,31/07/2008,81
801,Ba Vì,district,80,,31/07/2008,
80101,Tản Lĩnh,commune,801,,31/07/2008,81101
81,Sông Cầu,province,,,30/06/2025,82
811,Đồng Tâm,district,81,,30/06/2025,
81101,An Phú,commune,811,,30/06/2025,82201
81102,Còn Lại,commune,811,,,
81103,Hết Hạn,commune,811,,30/06/2025,
81107,Sang Tỉnh,commune,811,,30/06/2025,83301
82,Thái Hòa,province,,,,
82201,Bình Minh,commune,82,01/07/2025,31/12/2026,82202
82202,Cường Thịnh,commune,82,01/01/2027,,
83,Láng Giềng,province,,,,
83301,Bên Kia,commune,83,01/07/2025,,
"""
IN_2027 = datetime.date(2027, 3, 1)


@pytest.fixture
def chains(db):
    result = units_import_csv(text=CHAINS_CSV)
    assert result.ok, result.errors
    return {u.code: u for u in AdministrativeUnit.objects.all()}


def codes(ids) -> list[str]:
    return sorted(AdministrativeUnit.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_a_commune_counts_the_communes_merged_into_it_through_a_chain_of_merges(chains, django_assert_num_queries):
    with django_assert_num_queries(4):  # itself, then one per generation: Bình Minh, An Phú, Tản Lĩnh
        units = units_counted_for(chains["82202"], on=IN_2027)
    assert codes(units.ids) == ["80101", "81101", "82201", "82202"]
    assert [u.code for u in units.predecessors] == ["82201", "81101", "80101"]
    assert [c.code for c in units.communes] == ["82202"]
    code = {unit.pk: unit.code for unit in chains.values()}
    assert {code[pk]: code[commune] for pk, commune in units.current.items()} == {
        "80101": "82202", "81101": "82202", "82201": "82202", "82202": "82202"}


def test_a_province_counts_a_merged_province_and_the_one_merged_into_that(chains, django_assert_num_queries):
    # Thái Hòa's units, Sông Cầu's, Hà Sơn's; then the commune Sang Tỉnh went to and its province.
    with django_assert_num_queries(5):
        units = units_counted_for(chains["82"], on=datetime.date(2026, 3, 1))
    # Còn Lại continues under Thái Hòa; Hết Hạn and the dissolved district go with their province; Sang Tỉnh went
    # to the neighbouring province and counts there.
    assert codes(units.ids) == ["80", "801", "80101", "81", "811", "81101", "81102", "81103", "82", "82201", "82202"]
    assert [u.code for u in units.predecessors] == ["81", "80"]  # the nearest first
    assert [c.code for c in units.communes] == ["82201", "81102"]  # by name: Bình Minh, Còn Lại
    assert codes(units_counted_for(chains["83"], on=datetime.date(2026, 3, 1)).ids) == ["81107", "83", "83301"]


def test_before_a_merge_each_unit_counts_only_its_own(chains, django_assert_num_queries):
    with django_assert_num_queries(1):
        units = units_counted_for(chains["82"], on=datetime.date(2025, 6, 30))
    assert (codes(units.ids), units.predecessors, units.communes) == (["82", "82201", "82202"], [], [])
    former = units_counted_for(chains["81"], on=datetime.date(2008, 7, 31))  # Hà Sơn's last day
    assert codes(former.ids) == ["81", "811", "81101", "81102", "81103", "81107"]
    assert [c.code for c in former.communes] == ["81101", "81102", "81103", "81107"]
    assert codes(units_counted_for(chains["81"], on=datetime.date(2008, 8, 1)).ids)[:3] == ["80", "801", "80101"]


MOVED_CSV = """code,name,kind,parent_code,valid_from,valid_to,merged_into_code
84,Đầu Nguồn,province,,,,
84401,Ở Lại,commune,84,,,
84402,Đi Xa,commune,84,,30/06/2025,85501
85,Cuối Nguồn,province,,,,
85501,Đón Về,commune,85,,,
"""


def test_a_commune_moved_to_another_province_counts_there_only(db):
    assert units_import_csv(text=MOVED_CSV).ok
    unit = {u.code: u for u in AdministrativeUnit.objects.all()}
    after, before = datetime.date(2026, 3, 1), datetime.date(2025, 6, 30)
    assert codes(units_counted_for(unit["84"], on=after).ids) == ["84", "84401"]
    assert codes(units_counted_for(unit["85"], on=after).ids) == ["84402", "85", "85501"]
    assert codes(units_counted_for(unit["84"], on=before).ids) == ["84", "84401", "84402"]
    assert codes(units_counted_for(unit["85"], on=before).ids) == ["85", "85501"]
    # The commune itself, ended, counts as it stood on its last day (the certificate list's ?unit= filter).
    assert codes(units_counted_for(unit["84402"], on=after).ids) == ["84402"]


def test_the_filter_and_the_commune_of_the_day_run_in_the_database(chains):
    for code in ("80101", "81103", "81107", "82202"):  # any record with a unit: here an officer's
        UserFactory(username=f"xa.{code}", role=Role.LOCAL_OFFICER, unit=chains[code])
    units = units_counted_for(chains["82"], on=IN_2027)
    rows = (User.objects.filter(units.q("unit")).annotate(commune_on=units.commune_on("unit"))
            .order_by("username").values_list("username", "commune_on"))
    assert list(rows) == [("xa.80101", chains["82202"].pk), ("xa.81103", None), ("xa.82202", chains["82202"].pk)]
