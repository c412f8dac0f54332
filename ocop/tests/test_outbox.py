"""The outbox (ocop/outbox.py): a task is recorded with the change that wants it, handed to Celery after the
commit without ever holding a request for long when the broker is down, and handed over later by the sweep.

The brokers here are real: a Redis URL nobody answers (connections refused), a port that accepts connections and
never replies (a hanging broker), and eager execution (no broker, as `make run` has it)."""
import datetime
import time

import pytest
from celery import shared_task
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ocop.models import Notification, OutboxMessage
from ocop.outbox import outbox_enqueue, outbox_hand_over, outbox_sweep
from ocop.services import notify
from ocop.tasks import send_notification_emails
from ocop.tests.brokers import BROKER_DOWN, celery_broker, hanging_broker


@shared_task(name="ocop.tests.refuses")
def refuses() -> None:
    raise ValueError("a task that fails")


def email_waiting(users) -> None:
    notify([users["huyen.nari"]], kind="test", title="Lịch họp hội đồng", body="Họp ngày 02/12/2026.", email=True)


def aged(message: OutboxMessage, seconds: int = 60) -> OutboxMessage:
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))
    return message


def test_a_task_is_recorded_only_when_its_change_commits(users):
    with pytest.raises(RuntimeError), transaction.atomic():
        email_waiting(users)
        raise RuntimeError("the change fails")
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_without_a_broker_the_task_runs_once_the_change_has_committed(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_waiting(users)
        assert mail.outbox == []  # not before the commit
    message = OutboxMessage.objects.get()
    assert (message.task, message.kwargs, message.attempts) == ("ocop.send_notification_emails", {}, 1)
    assert message.sent_at is not None
    assert [m.to for m in mail.outbox] == [["huyen.nari@ocop.local"]]


def test_a_broker_that_refuses_leaves_the_task_pending_at_once_with_the_attempt_counted(users):
    email_waiting(users)
    message = OutboxMessage.objects.get()
    with celery_broker(BROKER_DOWN):
        started = time.monotonic()
        result = outbox_hand_over([message.pk])
        elapsed = time.monotonic() - started
    assert (result.sent, result.pending) == (0, 1)
    assert elapsed < 0.5
    message.refresh_from_db()
    assert (message.sent_at, message.attempts, message.locked_until) == (None, 1, None)
    assert message.last_error == "OperationalError: Error 111 connecting to 127.0.0.1:1. Connection refused."
    assert mail.outbox == []


def test_a_hanging_broker_holds_the_hand_over_no_longer_than_the_publish_timeout(users, settings):
    settings.OCOP_BROKER_PUBLISH_TIMEOUT = 0.5
    email_waiting(users)
    message = OutboxMessage.objects.get()
    with hanging_broker() as url, celery_broker(url):
        started = time.monotonic()
        result = outbox_hand_over([message.pk])
        elapsed = time.monotonic() - started
    assert result.pending == 1
    assert elapsed < 1.5, f"the hand-over waited {elapsed:.1f} s"
    message.refresh_from_db()
    assert message.attempts == 1 and "Timeout" in message.last_error


def test_after_a_failure_requests_leave_their_tasks_to_the_sweep_which_tries_anyway(users):
    email_waiting(users)
    first = OutboxMessage.objects.get()
    with celery_broker(BROKER_DOWN):
        outbox_hand_over([first.pk])
        second = outbox_enqueue(send_notification_emails)
        started = time.monotonic()
        assert outbox_hand_over([second.pk]).pending == 1
        assert time.monotonic() - started < 0.1  # not even tried
        second.refresh_from_db()
        assert second.attempts == 0
        aged(first), aged(second)
        assert outbox_sweep() == {"sent": 0, "pending": 2, "errors": 0, "pruned": 0}
    first.refresh_from_db()
    assert first.attempts == 2  # the sweep tried again; the first failure stops it, the second waits untouched
    # The broker is back (eager here): the sweep hands both over; the email goes once.
    assert outbox_sweep() == {"sent": 2, "pending": 0, "errors": 0, "pruned": 0}
    assert [m.to for m in mail.outbox] == [["huyen.nari@ocop.local"]]
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 3]


def test_the_sweep_leaves_young_tasks_to_their_request_and_claimed_ones_to_their_claimer(users):
    old = aged(outbox_enqueue(send_notification_emails))
    young = outbox_enqueue(send_notification_emails)
    claimed = aged(outbox_enqueue(send_notification_emails))
    OutboxMessage.objects.filter(pk=claimed.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=1))
    assert outbox_sweep()["sent"] == 1
    assert set(OutboxMessage.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)) == {old.pk}
    pending = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert set(pending.values_list("pk", flat=True)) == {young.pk, claimed.pk}


def test_a_task_that_fails_when_run_eagerly_is_logged_and_not_run_again(db, caplog):
    message = aged(outbox_enqueue(refuses))
    assert outbox_sweep() == {"sent": 1, "pending": 0, "errors": 1, "pruned": 0}
    message.refresh_from_db()
    assert message.sent_at is not None and message.last_error == "ValueError: a task that fails"
    assert "outbox_task_failed" in caplog.text
    assert outbox_sweep()["errors"] == 0


def test_a_task_this_code_does_not_know_stays_pending_with_the_reason(db):
    message = aged(OutboxMessage.objects.create(task="certificates.tasks.renamed_since", kwargs={"certificate_id": 1}))
    with celery_broker(BROKER_DOWN):
        assert outbox_sweep()["pending"] == 1
    message.refresh_from_db()
    assert (message.sent_at, message.attempts, message.last_error) == (None, 1, "unknown task")


def test_handed_over_tasks_are_forgotten_after_a_week(db):
    kept, forgotten = outbox_enqueue(send_notification_emails), outbox_enqueue(send_notification_emails)
    OutboxMessage.objects.filter(pk=forgotten.pk).update(sent_at=timezone.now() - datetime.timedelta(days=8))
    OutboxMessage.objects.filter(pk=kept.pk).update(sent_at=timezone.now() - datetime.timedelta(days=6))
    assert outbox_sweep()["pruned"] == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_sweep_runs_every_minute_and_as_a_command(db, settings, capsys):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert (entry["task"], entry["schedule"]) == ("ocop.outbox_sweep", 60.0)
    aged(outbox_enqueue(send_notification_emails))
    with celery_broker(BROKER_DOWN):
        call_command("outbox_sweep")
    assert capsys.readouterr().out.strip() == "handed over: 0; still pending: 1; failed when run: 0; forgotten: 0"
    call_command("outbox_sweep")
    assert capsys.readouterr().out.strip() == "handed over: 1; still pending: 0; failed when run: 0; forgotten: 0"


def test_administrators_read_the_outbox_in_django_admin_without_editing_it(users, client_for):
    message = outbox_enqueue(send_notification_emails)
    client = client_for("admin")
    page = client.get("/admin/ocop/outboxmessage/").content.decode()
    assert "ocop.send_notification_emails" in page
    assert client.get("/admin/ocop/outboxmessage/add/").status_code == 403
    detail = client.get(f"/admin/ocop/outboxmessage/{message.pk}/change/").content.decode()
    assert 'name="task"' not in detail and "ocop.send_notification_emails" in detail
