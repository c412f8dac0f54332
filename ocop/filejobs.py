"""Files prepared in the background (long PDFs, large exports), with their progress, for the user who asked.

A request that would lay out a long PDF holds a worker for as long as it takes (the paper score sheets of a
12-product session: over a minute under load, when gunicorn kills the worker). Instead the view starts a job
(`file_job_start`, through the outbox), the page polls its progress and offers the file when it is ready.

The app that owns a document registers its kind in AppConfig.ready() (`register_file_job_kind`): how to build
the file, who may have it, what to call it and where to go back to; `ocop` never imports it. A job is opened
and downloaded only by its requester, and only while the kind still lets him see what it is about.
"""
import datetime
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from .enums import FileJobStatus
from .models import FileJob, OutboxMessage, User
from .outbox import outbox_enqueue

logger = logging.getLogger(__name__)

KEEP_DAYS = 2  # a requester's finished jobs (and their files) older than this go when he starts another
UNDER_WAY = (FileJobStatus.QUEUED, FileJobStatus.RUNNING)


@dataclass(frozen=True)
class FileJobKind:
    """What a kind of job needs. Each callable takes the job's params (JSON values, ids of records):

    - build(params, progress) -> (content, filename), calling progress(done, total) as it goes;
    - allowed(user, params) -> bool, checked when the job starts and each time it is opened;
    - title(params) -> str, the job page's heading; back_url(params) -> str, the page it came from.

    `unit` names what progress counts ("sheets").
    """

    key: str
    build: Callable
    allowed: Callable
    title: Callable
    back_url: Callable
    unit: str = ""


_kinds: dict[str, FileJobKind] = {}


def register_file_job_kind(kind: FileJobKind) -> None:
    _kinds[kind.key] = kind


def file_job_kind(key: str) -> FileJobKind | None:
    return _kinds.get(key)


def file_job_start(*, kind: str, params: dict, by: User) -> FileJob:
    """Start preparing a file for `by`, or return his job for the same file still under way (asking twice does
    not build it twice).

    Side effects: the job, and its task in the outbox in the same transaction; the requester's finished jobs
    older than KEEP_DAYS are deleted with their files. Raises KeyError for a kind nobody registered.
    """
    from .tasks import file_job_run

    _kinds[kind]  # noqa: B018  (an unknown kind is a programming error: fail before recording anything)
    with transaction.atomic():
        # One request at a time per person: two clicks at once must not both find nothing under way.
        User.objects.select_for_update().filter(pk=by.pk).first()
        for job in FileJob.objects.select_for_update().filter(requested_by=by, kind=kind, status__in=UNDER_WAY):
            if job.params == params:
                return job
        _prune(by)
        job = FileJob.objects.create(kind=kind, params=params, requested_by=by, language=translation.get_language()
                                     or settings.LANGUAGE_CODE)
        outbox_enqueue(file_job_run, job_id=job.pk)
    return job


def file_job_build(*, job_id: int) -> None:
    """Build a job's file (the task `ocop.file_job_run`): running, progress as the kind reports it, then the
    file and done; or failed with a message for its page (the error itself goes to the log).

    A job already finished is left as it is; one delivered again after its worker died starts over.
    """
    job = FileJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    kind = _kinds.get(job.kind)
    if kind is None:
        _fail(job, "unknown kind")
        return
    if not FileJob.objects.filter(pk=job.pk, status__in=UNDER_WAY).update(status=FileJobStatus.RUNNING, done=0):
        return  # finished meanwhile by another delivery

    def progress(done: int, total: int) -> None:
        FileJob.objects.filter(pk=job.pk).update(done=min(done, total), total=total)

    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            content, filename = kind.build(job.params, progress)
    except Exception as exc:  # noqa: BLE001  (whatever went wrong, the page says the job failed)
        logger.exception("file_job_failed id=%s kind=%s", job.pk, job.kind)
        _fail(job, f"{type(exc).__name__}: {exc}")
        return
    job.refresh_from_db()
    old = job.file.name
    job.file.save(f"{secrets.token_hex(12)}{_extension(filename)}", ContentFile(content), save=False)
    done = max(job.total, job.done)
    # Only the delivery that finishes the job first records its file; a later one drops the file it made.
    if not FileJob.objects.filter(pk=job.pk, status__in=UNDER_WAY).update(
            file=job.file.name, filename=filename, status=FileJobStatus.DONE, finished_at=timezone.now(),
            done=done, total=done):
        job.file.storage.delete(job.file.name)
        return
    if old:
        job.file.storage.delete(old)


def file_job_for(user, pk: int) -> FileJob | None:
    """The job `pk` when `user` asked for it and may still see what it is about; None otherwise."""
    job = FileJob.objects.filter(pk=pk, requested_by_id=user.pk).first() if user.is_authenticated else None
    if job is None:
        return None
    kind = _kinds.get(job.kind)
    return job if kind is not None and kind.allowed(user, job.params) else None


def file_job_waits_for_queue(job: FileJob) -> bool:
    """Whether a queued job's task is still in the outbox after a failed hand-over (the job queue is down)."""
    return job.status == FileJobStatus.QUEUED and OutboxMessage.objects.filter(
        task="ocop.file_job_run", kwargs__job_id=job.pk, sent_at__isnull=True, attempts__gt=0).exists()


def _fail(job: FileJob, error: str) -> None:
    """Failed, unless another delivery finished the job meanwhile (its file stands)."""
    FileJob.objects.filter(pk=job.pk, status__in=UNDER_WAY).update(status=FileJobStatus.FAILED, error=error[:2000],
                                                                   finished_at=timezone.now())


def _extension(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[1] if "." in filename else ""


def _prune(user: User) -> None:
    old = FileJob.objects.filter(requested_by=user, status__in=[FileJobStatus.DONE, FileJobStatus.FAILED],
                                 created_at__lt=timezone.now() - datetime.timedelta(days=KEEP_DAYS))
    names = [name for name in old.values_list("file", flat=True) if name]
    old.delete()
    if names:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
