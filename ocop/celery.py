"""Celery application: a real broker when CELERY_BROKER_URL is set, eager tasks otherwise."""
import gc
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _task_log_id(task_id=None, **kwargs):
    from .observability import task_id_as_request_id

    task_id_as_request_id(task_id)


@task_postrun.connect
def _task_log_id_dropped(task_id=None, **kwargs):
    from .observability import task_id_dropped

    task_id_dropped(task_id)


@worker_process_init.connect
def _freeze_heap(**kwargs):
    """As in wsgi.py: keep the loaded heap out of full garbage collections (steadier task times)."""
    gc.collect()
    gc.freeze()
