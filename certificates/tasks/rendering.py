"""Celery tasks of certificates: render one certificate's PDF; render a decision's in chunks, with progress.

With a broker, the chunks of a job are spread over the worker's processes (`celery -A ocop worker -c 2`); a
chunk is acknowledged only when done (acks_late) and delivered again when its worker dies, and rendering
is idempotent (a stored PDF whose fingerprint matches is kept), so a restarted worker finishes the job
without rendering anything twice or counting it twice. Without a broker the same code runs eagerly.
"""
from celery import shared_task
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ocop.outbox import outbox_enqueue_many

from ..models import Certificate, RenderChunk, RenderJob
from ..rendering import BATCH_SIZE, certificate_pdf, certificates_for_rendering, certificates_render


@shared_task(name="certificates.tasks.render_certificate_pdf", acks_late=True)
def render_certificate_pdf(certificate_id: int) -> None:
    # Idempotent: the stored PDF is kept while its fingerprint matches what the certificate shows.
    certificate = certificates_for_rendering(Certificate.objects.filter(pk=certificate_id)).first()
    if certificate is not None:
        certificate_pdf(certificate)


def render_job_start(*, certificate_ids: list[int], decision=None, by=None, batch_size: int = BATCH_SIZE) -> RenderJob:
    """Create the job and its chunks, with the chunks' tasks in the outbox (handed to Celery once the
    transaction commits, or by the sweep when the broker is down)."""
    ids = sorted(certificate_ids)
    with transaction.atomic():
        job = RenderJob.objects.create(decision=decision, requested_by=by if by and by.is_authenticated else None,
                                       total=len(ids), status=RenderJob.Status.QUEUED if ids else RenderJob.Status.DONE,
                                       finished_at=None if ids else timezone.now())
        chunks = RenderChunk.objects.bulk_create([
            RenderChunk(job=job, certificate_ids=ids[i:i + batch_size], size=len(ids[i:i + batch_size]))
            for i in range(0, len(ids), batch_size)])
        outbox_enqueue_many(render_chunk, [{"chunk_id": chunk.pk} for chunk in chunks])
    return job


@shared_task(name="certificates.tasks.render_chunk", acks_late=True)
def render_chunk(chunk_id: int) -> None:
    # Idempotent: a chunk already finished is skipped, and a certificate whose stored PDF is current is kept.
    chunk = RenderChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None or chunk.finished_at is not None:
        return  # delivered again after it finished: nothing to do
    RenderJob.objects.filter(pk=chunk.job_id, status=RenderJob.Status.QUEUED).update(status=RenderJob.Status.RUNNING)
    try:
        certificates_render(Certificate.objects.filter(pk__in=chunk.certificate_ids), processes=1)
    except Exception as exc:
        RenderJob.objects.filter(pk=chunk.job_id).update(status=RenderJob.Status.FAILED, error=str(exc)[:2000])
        raise
    with transaction.atomic():
        # Counted once: only the delivery that marks the chunk finished moves the job on.
        if RenderChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(finished_at=timezone.now()):
            job = RenderJob.objects.select_for_update().get(pk=chunk.job_id)
            if not job.chunks.filter(finished_at__isnull=True).exists() and job.status != RenderJob.Status.FAILED:
                job.status, job.finished_at = RenderJob.Status.DONE, timezone.now()
                job.save(update_fields=["status", "finished_at"])


def render_job_progress(job: RenderJob) -> dict:
    done = job.chunks.filter(finished_at__isnull=False).aggregate(n=Sum("size"))["n"] or 0
    return {"job": job, "done": done, "total": job.total,
            "percent": round(100 * done / job.total) if job.total else 100,
            "finished": job.status in (RenderJob.Status.DONE, RenderJob.Status.FAILED)}
