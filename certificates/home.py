"""The home page's certificate panel: a cooperative's certificates with the days left; an officer's expiring."""
from django.db.models import Count, Q
from django.utils import timezone

from ocop.rules import is_official, is_subject_rep

from .enums import CertificateStatus
from .selectors import certificate_list, certificates_visible_to

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
