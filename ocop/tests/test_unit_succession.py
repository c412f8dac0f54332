"""Units through time (issue 16, item 1): the unit that stands for another on a date, through chains of merges,
on both sides of 01/07/2025, and the address a record gives on its date."""
import datetime
import logging

import pytest

from ocop.models import AdministrativeUnit
from ocop.selectors import UnitTimeline, unit_address, unit_successor
from ocop.services import units_import_csv

LAST_DAY = datetime.date(2025, 6, 30)   # valid_to of the units the two-tier reform ended: their last day
FIRST_DAY = datetime.date(2025, 7, 1)   # the first day their successors stand for them

# A province merged into another; under it a commune merged twice (into Bình Minh, which was itself merged into
# Cường Thịnh on 01/01/2027), one that continues under the dissolved district, one ended without a successor,
# two merged into each other (a loop in the data), and one merged into a commune that only begins in September.
CHAINS_CSV = """code,name,kind,parent_code,valid_from,valid_to,merged_into_code
81,Sông Cầu,province,,,30/06/2025,82
82,Thái Hòa,province,,,,
811,Đồng Tâm,district,81,,30/06/2025,
81101,An Phú,commune,811,,30/06/2025,82201
81102,Còn Lại,commune,811,,,
81103,Hết Hạn,commune,811,,30/06/2025,
81104,Vòng Một,commune,811,,30/06/2025,81105
81105,Vòng Hai,commune,811,,30/06/2025,81104
81106,Chờ Đợi,commune,811,,30/06/2025,82203
82201,Bình Minh,commune,82,01/07/2025,31/12/2026,82202
82202,Cường Thịnh,commune,82,01/01/2027,,
82203,Muộn Màng,commune,82,01/09/2025,,
"""


@pytest.fixture
def chains(db):
    result = units_import_csv(text=CHAINS_CSV)
    assert result.ok, result.errors
    return {u.code: u for u in AdministrativeUnit.objects.all()}


def code_on(unit, day):
    successor = unit_successor(unit, on=day)
    return successor.code if successor else None


# ---------------------------------------------------------------------------------------------
# The unit that stands for U on D
# ---------------------------------------------------------------------------------------------


def test_unit_stands_for_itself_through_its_last_day_and_its_successor_from_the_next(chains):
    assert code_on(chains["81101"], LAST_DAY) == "81101"
    assert code_on(chains["81101"], FIRST_DAY) == "82201"
    assert code_on(chains["81"], LAST_DAY) == "81"
    assert code_on(chains["81"], FIRST_DAY) == "82"
    assert code_on(chains["82"], datetime.date(2019, 1, 1)) == "82"  # no dates: always


def test_successor_follows_a_chain_of_two_merges_to_the_first_unit_that_exists(chains):
    assert code_on(chains["81101"], datetime.date(2026, 12, 31)) == "82201"
    assert code_on(chains["81101"], datetime.date(2027, 1, 1)) == "82202"
    assert code_on(chains["82201"], datetime.date(2027, 1, 1)) == "82202"


def test_broken_chain_has_no_successor_after_the_last_day(chains):
    assert code_on(chains["81103"], LAST_DAY) == "81103"
    assert code_on(chains["81103"], FIRST_DAY) is None
    assert code_on(chains["811"], FIRST_DAY) is None  # the district dissolved


def test_a_loop_of_merges_answers_none_and_is_logged(chains, caplog):
    with caplog.at_level(logging.WARNING, logger="ocop.selectors"):
        assert code_on(chains["81104"], FIRST_DAY) is None
    assert "administrative unit 81104: its chain of merges loops" in caplog.text
    assert code_on(chains["81104"], LAST_DAY) == "81104"


def test_nothing_stands_before_a_unit_begins_or_in_the_gap_before_its_successor(chains):
    assert code_on(chains["82201"], LAST_DAY) is None
    assert code_on(chains["81106"], datetime.date(2025, 8, 31)) is None
    assert code_on(chains["81106"], datetime.date(2025, 9, 1)) == "82203"


@pytest.mark.parametrize("count", [1, 4])
def test_a_list_of_merged_communes_is_resolved_in_the_same_two_queries(chains, count, django_assert_num_queries):
    communes = list(AdministrativeUnit.objects.filter(code__in=["81101", "81106", "81102", "81103"])
                    .order_by("code")[:count])
    timeline = UnitTimeline(communes)
    with django_assert_num_queries(2):
        addresses = [timeline.address(commune, datetime.date(2027, 1, 1)) for commune in communes]
    assert addresses == ["Cường Thịnh, Thái Hòa", "Còn Lại, Thái Hòa", "Hết Hạn, Đồng Tâm, Sông Cầu",
                         "Muộn Màng, Thái Hòa"][:count]


def test_a_unit_that_exists_with_its_parents_selected_costs_no_query(demo_units, django_assert_num_queries):
    van_lang = AdministrativeUnit.objects.select_related("parent__parent").get(code="01972")
    with django_assert_num_queries(0):
        assert unit_successor(van_lang, on=LAST_DAY) == van_lang
        assert unit_address(van_lang, on=LAST_DAY) == "Văn Lang, Na Rì, Bắc Kạn"


# ---------------------------------------------------------------------------------------------
# The address on a date
# ---------------------------------------------------------------------------------------------


def test_address_keeps_the_old_units_before_the_merge_and_names_the_new_ones_from_it(demo_units):
    van_lang = demo_units["01972"]
    assert unit_address(van_lang, on=datetime.date(2019, 10, 1)) == "Văn Lang, Na Rì, Bắc Kạn"
    assert unit_address(van_lang, on=LAST_DAY) == "Văn Lang, Na Rì, Bắc Kạn"
    assert unit_address(van_lang, on=FIRST_DAY) == "Côn Minh, Thái Nguyên"
    assert unit_address(van_lang, on=datetime.date(2026, 3, 10), labelled=True) == "Xã Côn Minh, Tỉnh Thái Nguyên"
    assert unit_address(van_lang, labelled=True) == "Xã Văn Lang, Huyện Na Rì, Tỉnh Bắc Kạn"  # as recorded


def test_address_of_a_commune_without_successor_stays_as_recorded(demo_units):
    assert unit_address(demo_units["01861"], on=FIRST_DAY) == "Nguyên Phúc, Bạch Thông, Bắc Kạn"


def test_address_of_a_commune_that_continues_drops_the_dissolved_district(chains):
    assert unit_address(chains["81102"], on=LAST_DAY) == "Còn Lại, Đồng Tâm, Sông Cầu"
    assert unit_address(chains["81102"], on=FIRST_DAY) == "Còn Lại, Thái Hòa"
