"""Every certificate status is computed in the database, and issuing follows the decision."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from certificates.enums import CertificateStatus
from certificates.models import Certificate, CertificateSequence
from certificates.services import certificate_issue, certificate_revoke, certificates_issue_for_decision

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def decision(demo_full):
    """Bạch Thông's 2023 decision, its certificates taken back so that each test issues them itself."""
    from evaluation.models import Decision

    decision = Decision.objects.get(number="1568/QĐ-UBND")
    Certificate.objects.filter(decision=decision).delete()
    CertificateSequence.objects.all().delete()
    return decision


def test_decision_issues_one_certificate_per_recognised_product(decision):
    issued = certificates_issue_for_decision(decision=decision, by=None, render=False)
    assert sorted(c.product.name for c in issued) == sorted(
        decision.items.values_list("product__name", flat=True))
    first = issued[0]
    assert first.number == "001/2023/GCN-063"
    assert (first.issued_on, first.valid_until) == (datetime.date(2023, 10, 5), datetime.date(2026, 10, 5))
    assert certificates_issue_for_decision(decision=decision, by=None) == []


@pytest.mark.parametrize(("valid_until", "expected"), [
    (datetime.date(2026, 11, 24), CertificateStatus.EXPIRED),
    (datetime.date(2026, 11, 25), CertificateStatus.EXPIRING),
    (datetime.date(2027, 5, 24), CertificateStatus.EXPIRING),   # 180 days ahead
    (datetime.date(2027, 5, 25), CertificateStatus.VALID),
])
def test_status_follows_the_end_date(decision, valid_until, expected):
    # One whose product holds no other certificate (the gạo nếp's 2023 one is superseded by its 2026 renewal).
    certificate = next(c for c in certificates_issue_for_decision(decision=decision, by=None, render=False)
                       if not Certificate.objects.filter(product=c.product).exclude(pk=c.pk).exists())
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=valid_until)
    assert Certificate.objects.with_status(on=TODAY).get(pk=certificate.pk).status == expected


def test_revoked_and_superseded_statuses(decision):
    first, second = certificates_issue_for_decision(decision=decision, by=None, render=False)[:2]
    certificate_revoke(certificate=first, ground="food_safety", reason="Vi phạm an toàn thực phẩm",
                       decision_number="99/QĐ-UBND", revoked_on=TODAY, by=None)
    Certificate.objects.filter(pk=second.pk).update(superseded_by=first, superseded_on=first.issued_on)
    statuses = dict(Certificate.objects.with_status(on=TODAY).values_list("pk", "status"))
    assert statuses[first.pk] == CertificateStatus.REVOKED
    assert statuses[second.pk] == CertificateStatus.SUPERSEDED


def test_revocation_needs_a_reason_and_a_decision(decision):
    certificate = certificates_issue_for_decision(decision=decision, by=None, render=False)[0]
    with pytest.raises(ValidationError) as exc:
        certificate_revoke(certificate=certificate, ground="food_safety", reason=" ", decision_number="", by=None)
    assert set(exc.value.message_dict) == {"reason", "decision_number"}
    certificate.refresh_from_db()
    assert certificate.revoked_on is None


def test_issuing_twice_for_the_same_recognition_is_refused(decision):
    item = decision.items.first()
    certificate_issue(recognition=item, by=None, render=False)
    with pytest.raises(ValidationError):
        certificate_issue(recognition=item, by=None, render=False)
    assert Certificate.objects.filter(recognition=item).count() == 1
