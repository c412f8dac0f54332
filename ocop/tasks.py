"""Celery tasks of the shared part: sending the emails that notifications wait for, the outbox's sweep, and the
files prepared in the background."""
from celery import shared_task

from . import filejobs, outbox
from .services import notification_emails_send


@shared_task(name="ocop.send_notification_emails", acks_late=True)
def send_notification_emails() -> dict:
    # Idempotent: every email is claimed before it is sent, so a second delivery finds nothing to send.
    return notification_emails_send()


@shared_task(name="ocop.outbox_sweep")
def outbox_sweep() -> dict:
    # Idempotent: each message is claimed before it is handed over; two sweeps never hand over the same one.
    return outbox.outbox_sweep()


@shared_task(name="ocop.file_job_run", acks_late=True)
def file_job_run(*, job_id: int) -> None:
    # Idempotent: a finished job is left as it is; one delivered again after its worker died starts over.
    filejobs.file_job_build(job_id=job_id)
