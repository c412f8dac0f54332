"""Celery tasks of the shared part: sending the emails that notifications wait for."""
from celery import shared_task

from .services import notification_emails_send


@shared_task(name="ocop.send_notification_emails", acks_late=True)
def send_notification_emails() -> dict:
    # Idempotent: every email is claimed before it is sent, so a second delivery finds nothing to send.
    return notification_emails_send()
