"""Tasks on a real Redis broker, run by a real Celery worker (threads in this process, so that it reads the
test database). These tests need CELERY_BROKER_URL (the PostgreSQL + Redis leg of CI sets it); without a
broker every task runs eagerly and the other tests cover that path."""
import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """These tests are transactional: see the root conftest's `reference_data`."""


@pytest.fixture
def celery_worker(transactional_db):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("no broker configured: tasks run eagerly (CI runs these with Redis)")
    from celery.contrib.testing.worker import start_worker

    from ocop.celery import app

    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier run
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING",
                      shutdown_timeout=30) as worker:
        yield worker
    app.conf.task_always_eager = True
