"""Celery task of the daily expiry notices (scheduled by CELERY_BEAT_SCHEDULE in ocop/settings)."""
from celery import shared_task

from ..notices import expiry_notices_run


@shared_task(name="certificates.expiry_notices", acks_late=True)
def certificate_expiry_notices() -> dict:
    # Idempotent (see notices.py): delivered again after a worker died, it finishes what is left.
    return expiry_notices_run()
