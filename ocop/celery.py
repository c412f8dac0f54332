"""Celery application: a real broker when CELERY_BROKER_URL is set, eager tasks otherwise."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
