"""The outbox with a real broker: a revocation made while the broker is down is saved at once with its PDF's task
pending; once the broker (CI's Redis) is back, the sweep hands the task to a real worker, which renders the PDF."""
import time

from certificates.models import Certificate
from certificates.rendering import certificate_pdf_is_current, certificates_for_rendering
from ocop.models import OutboxMessage
from ocop.outbox import outbox_sweep
from ocop.tests.brokers import BROKER_DOWN, celery_broker
from ocop.tests.utils import wait_for


def pdf_current(pk: int) -> bool:
    return certificate_pdf_is_current(certificates_for_rendering(Certificate.objects.filter(pk=pk)).get())


def test_a_revocation_queued_while_the_broker_was_down_is_rendered_by_the_worker_once_it_is_back(
        demo_full, celery_worker, client_for):
    certificate = Certificate.objects.get(product__name="Phục dưỡng hoa")
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_fingerprint="")
    client = client_for("tinh.backan")
    with celery_broker(BROKER_DOWN):
        started = time.monotonic()
        page = client.post(f"/certificates/{certificate.pk}/revoke/", {
            "ground": "quality", "reason": "Mẫu kiểm tra không đạt", "decision_number": "2001/QĐ-UBND"},
            follow=True).content.decode()
        elapsed = time.monotonic() - started
    assert elapsed < 2 and "Đã xếp hàng" in page
    assert Certificate.objects.get(pk=certificate.pk).revoked_on is not None
    message = OutboxMessage.objects.get(sent_at__isnull=True)
    assert (message.task, message.attempts) == ("certificates.tasks.render_certificate_pdf", 1)
    assert not pdf_current(certificate.pk)

    # The broker is back: the sweep (beat's task, or the command) hands the task to the worker.
    assert outbox_sweep(min_age=0)["sent"] == 1
    assert wait_for(lambda: pdf_current(certificate.pk), timeout=60)
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2
