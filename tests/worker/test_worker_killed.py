"""A worker killed (SIGKILL) half-way through rendering a decision's certificates, then restarted: the job
finishes with every certificate rendered and every chunk counted once. The worker is a real `celery worker`
process on the Redis broker, reading the test database (PostgreSQL: a separate process cannot share an
in-memory SQLite database, so this runs in CI's PostgreSQL leg)."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from certificates.models import Certificate, RenderJob
from certificates.tasks import render_job_progress, render_job_start
from ocop.tests.utils import wait_for

ROOT = Path(__file__).resolve().parents[2]


def start_worker(tmp_path, name):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_SWEEP_SECONDS": "1",
           "LOG_LEVEL": "WARNING"}
    log = open(tmp_path / f"{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "ocop", "worker", "-P", "solo", "-n", f"{name}@%h",
                             "--without-mingle", "--without-gossip", "-l", "WARNING"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True)
def test_render_job_survives_a_killed_worker(demo_full, tmp_path):
    if not settings.CELERY_BROKER_URL or connection.vendor != "postgresql":
        pytest.skip("needs the Redis broker and PostgreSQL of CI's second leg")
    from ocop.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    ids = list(Certificate.objects.values_list("pk", flat=True))
    Certificate.objects.update(pdf="", pdf_fingerprint="")
    with transaction.atomic():
        job = render_job_start(certificate_ids=ids, by=None, batch_size=2)  # 5 chunks of 2
    first = start_worker(tmp_path, "first")
    try:
        assert wait_for(lambda: job.chunks.filter(finished_at__isnull=False).exists(), 120), \
            (tmp_path / "first.log").read_text()
        first.send_signal(signal.SIGKILL)  # half-way: at least one chunk done, the others not all
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    done_when_killed = render_job_progress(job)["done"]
    assert 0 < done_when_killed
    second = start_worker(tmp_path, "second")
    try:
        assert wait_for(lambda: RenderJob.objects.get(pk=job.pk).status == RenderJob.Status.DONE, 180), \
            (tmp_path / "second.log").read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
        app.conf.task_always_eager = True
    job.refresh_from_db()
    assert render_job_progress(job)["done"] == job.total == len(ids)
    assert not job.chunks.filter(finished_at__isnull=True).exists()
    assert all(c.pdf and c.pdf_fingerprint for c in Certificate.objects.all())
