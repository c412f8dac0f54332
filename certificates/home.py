"""The home page's certificate panel (a cooperative's certificates with the days left; an officer's expiring) and
inspection panel (an officer's overdue corrective actions; a cooperative's open ones)."""
from django.db.models import Count, Q
from django.utils import timezone

from ocop.rules import is_local_official, is_official, is_subject_rep

from .enums import CertificateStatus
from .selectors import certificate_list, certificates_visible_to, inspections_for_home

PANEL_ROWS = 6


def certificates_panel(user):
    today = timezone.localdate()
    if is_subject_rep(user):
        rows = list(certificate_list(user=user, today=today)
                    .exclude(status__in=[CertificateStatus.SUPERSEDED]).order_by("valid_until")[:PANEL_ROWS + 1])
        return {"rep": True, "certificates": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS, "today": today}
    if is_official(user):
        counts = certificates_visible_to(user).with_status(on=today).aggregate(
            total=Count("pk", filter=Q(status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING])),
            expiring=Count("pk", filter=Q(status=CertificateStatus.EXPIRING)),
            expired=Count("pk", filter=Q(status=CertificateStatus.EXPIRED)))
        if not any(counts.values()):
            return None
        return {"rep": False, **counts}
    return None


def inspections_panel(user):
    """Officials of the provinces and communes: the overdue corrective actions of their area (the soonest due first),
    the evidence waiting for them and the inspections scheduled; representatives: their open corrective actions and
    scheduled inspections. Hidden when there is nothing of the kind."""
    if not (is_local_official(user) or is_subject_rep(user)):
        return None
    today = timezone.localdate()
    found = inspections_for_home(user=user, today=today)
    if not any(found[key] for key in ("overdue", "evidence", "open", "scheduled")):
        return None
    rows = list(found.pop("rows")[:PANEL_ROWS + 1])
    return {**found, "rep": is_subject_rep(user), "rows": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS,
            "today": today}
