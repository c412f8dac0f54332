"""Celery task of the daily inspection notices (scheduled by CELERY_BEAT_SCHEDULE in ocop/settings)."""
from celery import shared_task

from ..inspections import inspection_notices_run


@shared_task(name="certificates.inspection_notices", acks_late=True)
def inspection_notices() -> dict:
    # Idempotent (see inspections.py): delivered again after a worker died, it tells only what was left untold.
    return inspection_notices_run()
