"""The outbox: background tasks recorded with the change that wants them, handed to Celery after the commit.

Why: a task queued with `.delay()` once the transaction has committed made the request wait for the broker's
retries when the broker was down (19 s), then fail with a 500 although its change was saved, and the task was
lost. Here a service records the task in its own transaction (`outbox_enqueue`), so the task exists exactly when
the change does. After the commit it is handed to Celery at once, with no publish retries and a short timeout
(OCOP_BROKER_PUBLISH_TIMEOUT); when the broker cannot take it, it stays pending, the page says the work is queued
(`OutboxNoticeMiddleware`), and the sweep hands it over later (`outbox_sweep`: Celery beat every minute, or the
command of the same name from cron). After a failure the requests of this process stop trying for BROKER_PAUSE
seconds, so that they do not each wait for a broker that is down; the sweep always tries.

A task may be delivered twice (handed over, then the process dies before recording it): every task queued here is
idempotent. Without a broker (CELERY_BROKER_URL empty) the tasks run eagerly in the process that hands them over.
"""
import datetime
import logging
import random
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutboxMessage

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)  # a claimed message nobody marked handed over is tried again after this
BROKER_PAUSE = 10.0  # seconds the requests of a process leave their tasks to the sweep after a failed hand-over
SWEEP_MIN_AGE = 5.0  # seconds: younger messages are still being handed over by the request that made them
SWEEP_BATCH = 500
KEEP_SENT = datetime.timedelta(days=7)  # handed-over messages kept for the administrators to read

_paused_until: dict[str, float] = {}  # broker URL -> time.monotonic() until which requests do not try it
_held: ContextVar[list | None] = ContextVar("outbox_held", default=None)


@dataclass
class HandOver:
    """What one hand-over did: messages given to Celery (run, when eager), and messages left pending."""

    sent: int = 0
    pending: int = 0
    errors: int = 0  # eager runs that raised (logged; the message is not run again)


def outbox_enqueue(task, /, **kwargs) -> OutboxMessage:
    """Record `task(**kwargs)` in the caller's transaction; it is handed to Celery once the transaction commits.

    `task` is a Celery task (its registered name is stored) and kwargs must be JSON values. Side effects: one row;
    after the commit, the hand-over (see the module's docstring).
    """
    return outbox_enqueue_many(task, [kwargs])[0]


def outbox_enqueue_many(task, kwargs_list: Iterable[dict]) -> list[OutboxMessage]:
    """`outbox_enqueue` for many calls of one task, in one query."""
    created = OutboxMessage.objects.bulk_create([OutboxMessage(task=task.name, kwargs=kwargs)
                                                 for kwargs in kwargs_list])
    ids = [message.pk for message in created]
    if ids:
        transaction.on_commit(partial(outbox_hand_over, ids))
    return created


def outbox_hand_over(ids: Iterable[int] | None = None, *, min_age: float = 0, pause: bool = True,
                     limit: int = SWEEP_BATCH) -> HandOver:
    """Hand the pending messages (those of `ids`, or all at least `min_age` seconds old) to Celery.

    Each message is claimed first (a lease, so that a concurrent sweep does not hand it over too), then
    published without retries within OCOP_BROKER_PUBLISH_TIMEOUT; the first failure leaves it and the rest
    pending, with the attempt and the error recorded. With `pause`, nothing is tried while an earlier failure
    of this process is recent (the requests' path; the sweep passes pause=False). Eager mode runs each task here;
    a task that raises is logged and counted as handed over (it would fail again).
    """
    from .celery import app

    result = HandOver()
    now = timezone.now()
    pending = OutboxMessage.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now), sent_at__isnull=True,
        created_at__lte=now - datetime.timedelta(seconds=min_age))
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    eager = app.conf.task_always_eager
    if pause and not eager and _paused_until.get(_broker_url(app), 0) > time.monotonic():
        result.pending = pending.count()
        _hold(result.pending)
        return result
    # Claimed under a stamp of this call: only the rows that carry it are ours.
    stamp = now + LEASE + datetime.timedelta(microseconds=random.randrange(1_000_000))  # noqa: S311
    chosen = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    if not chosen:
        return result
    pending.filter(pk__in=chosen).update(locked_until=stamp)
    claimed = list(OutboxMessage.objects.filter(pk__in=chosen, locked_until=stamp, sent_at__isnull=True).order_by("pk"))
    tasks = _tasks(app, claimed)
    ready = [message for message in claimed if message.task in tasks]
    if eager:
        sent, error = _run_eagerly(tasks, ready, result), ""
    else:
        sent, error = _publish(app, tasks, ready)
    if sent:
        OutboxMessage.objects.filter(pk__in=sent).update(sent_at=timezone.now(), attempts=F("attempts") + 1,
                                                         locked_until=None)
    left = [message.pk for message in ready if message.pk not in set(sent)]
    if left and error:
        # Only the message whose publish failed was tried; the others wait for the next hand-over untouched.
        OutboxMessage.objects.filter(pk=left[0]).update(attempts=F("attempts") + 1, last_error=error[:2000])
    unknown = [message.pk for message in claimed if message.task not in tasks]
    if unknown:
        # A task this code does not know (renamed since it was recorded?): kept, with the reason, for an administrator.
        OutboxMessage.objects.filter(pk__in=unknown).update(attempts=F("attempts") + 1, last_error="unknown task")
    if left or unknown:
        OutboxMessage.objects.filter(pk__in=left + unknown).update(locked_until=None)
    result.sent, result.pending = len(sent), len(left) + len(unknown)
    _hold(len(left))
    return result


def outbox_sweep(*, min_age: float = SWEEP_MIN_AGE, limit: int = SWEEP_BATCH) -> dict[str, int]:
    """Hand over what is pending (Celery beat every minute, or `manage.py outbox_sweep`), then forget the
    messages handed over more than KEEP_SENT ago. Returns the counts, also logged."""
    result = outbox_hand_over(min_age=min_age, pause=False, limit=limit)
    pruned, _by_model = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    counts = {"sent": result.sent, "pending": OutboxMessage.objects.filter(sent_at__isnull=True).count(),
              "errors": result.errors, "pruned": pruned}
    logger.info("outbox_sweep %s", " ".join(f"{key}={value}" for key, value in counts.items()))
    return counts


def _broker_url(app) -> str:
    return str(app.conf.broker_write_url or app.conf.broker_url or "")


def _tasks(app, messages: list[OutboxMessage]) -> dict:
    """{name: task} of the messages' tasks that this code knows."""
    names = {message.task for message in messages}
    if not names <= set(app.tasks):
        app.loader.import_default_modules()  # a fresh process (the sweep command) has not imported every app's tasks
    known = {name: app.tasks[name] for name in names if name in app.tasks}
    for name in names - set(known):
        logger.error("outbox_unknown_task task=%s", name)
    return known


def _publish(app, tasks: dict, claimed: list[OutboxMessage]) -> tuple[list[int], str]:
    """Publish the claimed messages over one short-lived connection; stop at the first failure.

    No publish retries, connect and socket timeouts of OCOP_BROKER_PUBLISH_TIMEOUT, and no result subscription
    (ignore_result: with the result backend on the same Redis, subscribing alone retried for 20 s)."""
    timeout = settings.OCOP_BROKER_PUBLISH_TIMEOUT
    sent: list[int] = []
    try:
        with app.connection_for_write(connect_timeout=timeout, transport_options={
                "max_retries": 0, "socket_connect_timeout": timeout, "socket_timeout": timeout}) as connection:
            for message in claimed:
                tasks[message.task].apply_async(kwargs=message.kwargs, connection=connection, retry=False,
                                                ignore_result=True)
                sent.append(message.pk)
    except Exception as exc:  # noqa: BLE001  (any broker or transport error: the message waits for the sweep)
        _paused_until[_broker_url(app)] = time.monotonic() + BROKER_PAUSE
        logger.warning("outbox_hand_over_failed sent=%s left=%s error=%r", len(sent), len(claimed) - len(sent), exc)
        return sent, f"{type(exc).__name__}: {exc}"
    _paused_until.pop(_broker_url(app), None)
    return sent, ""


def _run_eagerly(tasks: dict, claimed: list[OutboxMessage], result: HandOver) -> list[int]:
    ran = []
    for message in claimed:
        try:
            tasks[message.task].apply(kwargs=message.kwargs, throw=True)
        except Exception as exc:  # noqa: BLE001  (the change is committed: its page must not fail with it)
            logger.exception("outbox_task_failed id=%s task=%s", message.pk, message.task)
            OutboxMessage.objects.filter(pk=message.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
            result.errors += 1
        ran.append(message.pk)
    return ran


def _hold(count: int) -> None:
    held = _held.get()
    if count and held is not None:
        held.append(count)


class OutboxNoticeMiddleware:
    """Tells the user, on the page after his action, that the background work it started is queued because the
    job queue could not take it now (his change itself is saved). Placed after MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        held: list[int] = []
        token = _held.set(held)
        try:
            response = self.get_response(request)
        finally:
            _held.reset(token)
        if held:
            messages.info(request, _("Queued: the background work of this action (PDFs, emails) will run as soon as "
                                     "the job queue is available again. What you saved is saved."), fail_silently=True)
        return response
