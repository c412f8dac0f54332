"""What the certificates app shows on another app's record page (registered in apps.py)."""
from django.urls import reverse
from django.utils import timezone

from evaluation.star_rules import MIN_RECOGNISED_STAR

from .selectors import certificates_visible_to
from .tasks import render_job_progress


def decision_panel(user, decision) -> dict | None:
    """What the decision page shows about its certificates (registered with the record panels)."""
    if not user.has_perm("certificates.view_certificate_list"):
        return None
    certificates = certificates_visible_to(user).filter(decision=decision).with_status(on=timezone.localdate())
    job = decision.render_jobs.order_by("-created_at").first()
    eligible = decision.items.filter(star__gte=MIN_RECOGNISED_STAR).count()
    return {
        "decision": decision,
        "certificates": certificates.select_related("product").order_by("number"),
        "missing": eligible - decision.certificates.count(),
        "can_issue": user.has_perm("certificates.issue_for_decision", decision),
        "progress": render_job_progress(job) if job else None,
        "poll_url": reverse("certificates:job-progress", args=[job.pk]) if job else "",
    }
