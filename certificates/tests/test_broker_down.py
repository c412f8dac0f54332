"""A broker outage does not turn a committed revocation into a 500 (issue 14, finding 3): the PDF's task waits in
the outbox, the page says so, and the sweep hands it over once the broker is back.

Transactional: the hand-over runs when the revocation commits, inside the request, as in production."""
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from ocop.tests.brokers import BROKER_DOWN, celery_broker
from ocop.tests.utils import pdf_text

REVOCATION = {"ground": "quality", "reason": "Mẫu kiểm tra không đạt chỉ tiêu công bố",
              "decision_number": "2001/QĐ-UBND"}


@pytest.fixture
def broker_down(reference_data, demo_full):
    """Celery configured with a real Redis broker that refuses connections, tasks not eager: production with its
    broker down. The demo is loaded first, its tasks run eagerly."""
    with celery_broker(BROKER_DOWN) as app:
        yield app


@pytest.mark.django_db(transaction=True)
def test_revocation_with_the_broker_down_is_saved_at_once_and_its_pdf_rendered_by_the_sweep(demo_full, broker_down,
                                                                                           client_for, capsys):
    certificate = Certificate.objects.get(product__name="Phục dưỡng hoa")
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_fingerprint="")
    client = client_for("tinh.backan")

    started = time.monotonic()
    response = client.post(f"/certificates/{certificate.pk}/revoke/", REVOCATION, follow=True)
    elapsed = time.monotonic() - started

    page = response.content.decode()
    assert response.redirect_chain == [(certificate.get_absolute_url(), 302)]
    assert elapsed < 2, f"the revocation took {elapsed:.1f} s"
    assert f"Đã thu hồi giấy chứng nhận {certificate.number}." in page
    assert "Đã xếp hàng: các việc chạy nền của thao tác này (PDF, email) sẽ được thực hiện ngay khi hàng đợi" in page
    certificate.refresh_from_db()
    assert (certificate.revoked_on, certificate.revoke_decision_number) == (timezone.localdate(), "2001/QĐ-UBND")
    assert not certificate.pdf

    from ocop.models import OutboxMessage

    message = OutboxMessage.objects.get(sent_at__isnull=True)  # the demo's own tasks ran when it was loaded
    assert (message.task, message.kwargs) == ("certificates.tasks.render_certificate_pdf",
                                              {"certificate_id": certificate.pk})
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "127.0.0.1:1" in message.last_error

    # The broker is back (here: no broker, tasks run eagerly, as `make run` has it); the sweep hands it over.
    broker_down.conf.task_always_eager = True
    call_command("outbox_sweep", "--min-age", "0")
    assert capsys.readouterr().out.strip() == (
        "handed over: 1; still pending: 0; failed when run: 0; forgotten: 0")
    message.refresh_from_db()
    assert (message.sent_at is not None, message.attempts) == (True, 2)
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        assert "ĐÃ THU HỒI Theo quyết định số 2001/QĐ-UBND" in pdf_text(handle.read())
