"""Files prepared in the background: the page that starts one, its progress (polled by htmx) and its download.

A view of a long document calls `file_or_job`: a small file is built in the request as before; a long one is
prepared by a job (ocop/filejobs.py) whose page the user follows.
"""
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ..downloads import private_file_response
from ..enums import FileJobStatus
from ..filejobs import file_job_for, file_job_kind, file_job_start, file_job_waits_for_queue
from ..models import FileJob
from ..selectors import file_jobs_prepared


def file_or_job(request, *, kind: str, params: dict, size: int, limit: int, size_text: str,
                inline: Callable[[], HttpResponse]) -> HttpResponse:
    """The file itself when it is small (`size` at most `limit`: `inline()` builds it in the request).

    A longer one is prepared in the background: a GET shows what it is, with a button, and the files of the
    same kind and parameters this user had prepared lately; the POST starts the job (or finds his job for
    the same file still under way) and goes to its page. The caller has checked the user's permission.
    """
    if size <= limit:
        return inline()
    if request.method == "POST":
        return redirect(file_job_start(kind=kind, params=params, by=request.user))
    definition = file_job_kind(kind)
    recent = file_jobs_prepared(user=request.user, kind=kind, params=params)
    return render(request, "ocop/file_job_start.html", {
        "title": definition.title(params), "back_url": definition.back_url(params), "size_text": size_text,
        "recent": recent[:5]})


def _visible_job(request, pk) -> FileJob:
    job = file_job_for(request.user, pk)
    if job is None:
        raise Http404
    return job


def _progress_context(job: FileJob) -> dict:
    return {"job": job, "unit": file_job_kind(job.kind).unit,
            "poll_url": reverse("file-job-progress", args=[job.pk]),
            "download_url": reverse("file-job-download", args=[job.pk]),
            "waits_for_queue": file_job_waits_for_queue(job)}


@login_required
def file_job_view(request, pk):
    job = _visible_job(request, pk)
    definition = file_job_kind(job.kind)
    return render(request, "ocop/file_job.html", {
        **_progress_context(job), "title": definition.title(job.params), "back_url": definition.back_url(job.params)})


@login_required
def file_job_progress(request, pk):
    """The job's progress, as the fragment htmx polls until the job ends."""
    return render(request, "ocop/_file_job_progress.html", _progress_context(_visible_job(request, pk)))


@login_required
def file_job_download(request, pk):
    job = _visible_job(request, pk)
    if job.status != FileJobStatus.DONE or not job.file:
        raise Http404
    return private_file_response(job.file, download_name=job.filename)
