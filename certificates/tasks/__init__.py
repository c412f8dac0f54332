"""Celery tasks of certificates, one module per job: rendering PDFs, the daily expiry and inspection notices.

Importing the package registers every task (autodiscovery imports `certificates.tasks`)."""
from .inspections import inspection_notices
from .notices import certificate_expiry_notices
from .rendering import render_certificate_pdf, render_chunk, render_job_progress, render_job_start

__all__ = ["certificate_expiry_notices", "inspection_notices", "render_certificate_pdf", "render_chunk",
           "render_job_progress", "render_job_start"]
