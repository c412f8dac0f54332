"""A decision's certificates rendered by a real worker over Redis, with the progress the interface polls."""

from django.db import transaction

from certificates.models import Certificate, RenderJob
from certificates.tasks import render_job_progress, render_job_start
from ocop.tests.utils import wait_for


def test_worker_renders_a_job_in_chunks_and_reports_progress(demo_full, celery_worker, settings):
    ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))
    Certificate.objects.update(pdf="", pdf_fingerprint="")
    with transaction.atomic():
        job = render_job_start(certificate_ids=ids, by=None)
        job_id = job.pk
    # The chunks went to Redis when the transaction committed; the worker's threads render them.
    assert wait_for(lambda: RenderJob.objects.get(pk=job_id).status == RenderJob.Status.DONE), \
        render_job_progress(RenderJob.objects.get(pk=job_id))
    job = RenderJob.objects.get(pk=job_id)
    assert render_job_progress(job)["done"] == job.total == len(ids) == 14  # the full demo's, 2026 included
    assert job.chunks.count() == 1 and not job.chunks.filter(finished_at__isnull=True).exists()
    assert all(c.pdf and c.pdf_fingerprint for c in Certificate.objects.all())


def test_worker_runs_the_daily_expiry_job_once_per_window(demo_full, celery_worker, mailoutbox):
    from certificates.models import CertificateNotice
    from certificates.tasks.notices import certificate_expiry_notices
    from ocop.enums import NotificationEmail
    from ocop.models import Notification

    expiring = Certificate.objects.get(product__name="Thảo dược ngâm chân Thiên An")  # ends within 30 days
    first = certificate_expiry_notices.delay()
    assert wait_for(lambda: first.ready(), timeout=60)
    assert CertificateNotice.objects.filter(certificate=expiring, window_days=30).exists()
    notices, notifications = CertificateNotice.objects.count(), Notification.objects.count()
    assert Notification.objects.filter(recipient__username="htx.thienan").exists()
    # The job queued the emails: the email task, on the worker too, sends each once.
    assert wait_for(lambda: not Notification.objects.filter(email_status=NotificationEmail.PENDING).exists(),
                    timeout=60)
    assert "htx.thienan@ocop.local" in {message.to[0] for message in mailoutbox}
    sent = len(mailoutbox)
    # (The demo's own notices, of results published, were emailed when it loaded, before this outbox.)
    assert sent == Notification.objects.filter(kind="certificates.expiry",
                                               email_status=NotificationEmail.SENT).count() > 0
    # Run again (beat twice, or a redelivery): nothing new.
    second = certificate_expiry_notices.delay()
    assert wait_for(lambda: second.ready(), timeout=60)
    assert (CertificateNotice.objects.count(), Notification.objects.count()) == (notices, notifications)
    assert len(mailoutbox) == sent
