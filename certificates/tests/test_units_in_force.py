"""Certificates are issued by the units that exist on their day (issue 16, item 1): a province merged on
01/07/2025 issues on its last day and not from the next, where the province it was merged into does (and prints
its commune and province); a decision of the merged province signed before the merger issues no certificate
dated after it."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from certificates.rendering import certificate_context
from certificates.services import certificate_issue
from evaluation.enums import EvaluationLevel
from evaluation.models import Decision, RecognisedProduct

from .test_units_through_time import register

MERGED = "Tỉnh Bắc Kạn đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025; hãy chọn Tỉnh Thái Nguyên."


def test_a_merged_province_issues_on_its_last_day_and_not_from_the_next(demo_units, van_lang_product):
    last = register(van_lang_product, unit=demo_units["06"], issued_on=datetime.date(2025, 6, 30),
                    number="090/2025/GCN-06")
    assert certificate_context(last)["address"] == "Thôn Nà Làng, Văn Lang, Na Rì, Bắc Kạn"
    with pytest.raises(ValidationError) as refused:
        register(van_lang_product, unit=demo_units["06"], issued_on=datetime.date(2025, 7, 1),
                 number="091/2025/GCN-06")
    assert refused.value.message_dict == {"authority": [MERGED]}
    first = register(van_lang_product, unit=demo_units["19"], issued_on=datetime.date(2025, 7, 1),
                     number="001/2025/GCN-19")
    assert certificate_context(first)["address"] == "Thôn Nà Làng, Côn Minh, Thái Nguyên"


def test_a_decision_of_the_merged_province_issues_no_certificate_after_the_merger(demo_units, van_lang_product):
    from evaluation.tests.factories import scenario_build
    from ocop.models import Cycle
    from ocop.tests.factories import UserFactory

    backan = demo_units["06"]
    cycle = Cycle.objects.create(province=backan, year=2025, name="OCOP Bắc Kạn 2025")
    scenario = scenario_build(cycle=cycle, unit=backan, users=[UserFactory(), UserFactory(), UserFactory()],
                              products=[van_lang_product], held_on=datetime.date(2025, 6, 20))
    evaluation = scenario.evaluations[0]
    evaluation.recognised_star = 3
    evaluation.save(update_fields=["recognised_star"])
    decision = Decision.objects.create(session=scenario.session, number="1019/QĐ-UBND",
                                       signed_on=datetime.date(2025, 6, 30), signer="Chủ tịch UBND tỉnh Bắc Kạn",
                                       issuing_unit=backan, level=EvaluationLevel.PROVINCE)
    recognition = RecognisedProduct.objects.create(decision=decision, evaluation=evaluation,
                                                   product=van_lang_product, star=3)
    with pytest.raises(ValidationError) as refused:
        certificate_issue(recognition=recognition, issued_on=datetime.date(2025, 7, 1), by=None, render=False)
    assert refused.value.message_dict == {"issued_on": [
        "Cơ quan ban hành, Tỉnh Bắc Kạn, đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025: văn bản ký từ ngày đó do "
        "Tỉnh Thái Nguyên ban hành."]}
    certificate = certificate_issue(recognition=recognition, by=None, render=False)  # on the day it was signed
    assert (certificate.issuing_unit.code, certificate.issued_on) == ("06", datetime.date(2025, 6, 30))
