"""The star rules pinned at their edges: bands, mandatory caps, knock-outs, level ceilings, nominations."""
from decimal import Decimal

import pytest

from evaluation.models import LevelRule, Regulation
from evaluation.star_rules import LevelCeiling, outcome_for, star_band_for

BANDS = [(1, Decimal(0)), (2, Decimal(30)), (3, Decimal(50)), (4, Decimal(70)), (5, Decimal(90))]
DISTRICT_148 = LevelCeiling(max_star=3, nomination_score=Decimal(70), next_level="province")
PROVINCE = LevelCeiling(max_star=4, nomination_score=Decimal(90), next_level="central")
CENTRAL = LevelCeiling(max_star=5, nomination_score=None, next_level="")
COMMUNE_2025 = LevelCeiling(max_star=0, nomination_score=Decimal(50), next_level="province")


@pytest.mark.parametrize(("score", "star"), [
    ("0", 1), ("29.99", 1), ("30", 2), ("49.99", 2), ("50", 3), ("69.99", 3), ("70", 4), ("89.99", 4),
    ("90", 5), ("100", 5),
])
def test_star_band_edges_are_half_open(score, star):
    assert star_band_for(Decimal(score), BANDS) == star


def test_province_council_recognises_92_points_at_4_stars_and_nominates_central():
    result = outcome_for(score=Decimal("92"), bands=BANDS, ceiling=PROVINCE)
    assert (result.star_band, result.recognised_star, result.nominated_to) == (5, 4, "central")


def test_central_council_recognises_5_stars():
    result = outcome_for(score=Decimal("90"), bands=BANDS, ceiling=CENTRAL)
    assert (result.recognised_star, result.nominated_to) == (5, "")


@pytest.mark.parametrize(("score", "recognised", "nominated"), [
    ("49.99", 0, ""), ("50", 3, ""), ("69.99", 3, ""), ("70", 3, "province"), ("95", 3, "province"),
])
def test_district_council_under_148_recognises_3_stars_and_nominates_from_70(score, recognised, nominated):
    result = outcome_for(score=Decimal(score), bands=BANDS, ceiling=DISTRICT_148)
    assert (result.recognised_star, result.nominated_to) == (recognised, nominated)


def test_commune_under_two_tier_rules_recognises_nothing_and_sends_50_plus_to_province():
    assert outcome_for(score=Decimal("55"), bands=BANDS, ceiling=COMMUNE_2025).nominated_to == "province"
    assert outcome_for(score=Decimal("55"), bands=BANDS, ceiling=COMMUNE_2025).recognised_star == 0
    assert outcome_for(score=Decimal("49"), bands=BANDS, ceiling=COMMUNE_2025).nominated_to == ""


def test_failed_mandatory_criterion_caps_the_star_below_its_level():
    result = outcome_for(score=Decimal("85"), bands=BANDS, ceiling=PROVINCE, mandatory_cap=4)
    assert (result.star_band, result.recognised_star, result.capped_by_mandatory) == (4, 3, True)


def test_failed_mandatory_for_3_stars_denies_recognition():
    assert outcome_for(score=Decimal("60"), bands=BANDS, ceiling=PROVINCE, mandatory_cap=3).recognised_star == 0


def test_capped_product_is_not_nominated_above():
    result = outcome_for(score=Decimal("93"), bands=BANDS, ceiling=PROVINCE, mandatory_cap=5)
    assert (result.recognised_star, result.nominated_to) == (4, "")


def test_knock_out_eliminates_whatever_the_score():
    result = outcome_for(score=Decimal("95"), bands=BANDS, ceiling=PROVINCE, knocked_out=True)
    assert (result.star_band, result.recognised_star, result.nominated_to, result.knocked_out) == (5, 0, "", True)


def test_regulations_are_shipped_as_data(db):
    assert list(Regulation.objects.order_by("effective_from").values_list("code", flat=True)) == [
        "1048/QĐ-TTg", "148/QĐ-TTg", "1489/QĐ-TTg", "26/2026/QĐ-TTg"]
    rule = LevelRule.objects.get(regulation__code="148/QĐ-TTg", level="province")
    assert (rule.max_star, rule.nomination_score, rule.next_level) == (4, Decimal("90.00"), "central")
    two_tier = LevelRule.objects.get(regulation__code="1489/QĐ-TTg", level="province")
    assert two_tier.max_star == 4
    assert not LevelRule.objects.filter(regulation__code="1489/QĐ-TTg", level="district").exists()
