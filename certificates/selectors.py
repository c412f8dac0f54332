"""Reads of certificates, always through the user's scope."""
import datetime

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ocop.rules import is_official, is_subject_rep
from ocop.selectors import scope_q

from .models import Certificate


def certificates_visible_to(user) -> QuerySet:
    """Officials: certificates of subjects in their area. Representatives: their subjects'. Others: none."""
    if is_subject_rep(user):
        return Certificate.objects.filter(subject__representative_links__user=user)
    if is_official(user):
        return Certificate.objects.filter(scope_q(user, "subject__commune"))
    return Certificate.objects.none()


def certificate_list(*, user, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (certificates_visible_to(user).with_status(on=today)
            .annotate(time_left=ExpressionWrapper(F("valid_until") - Value(today, output_field=DateField()),
                                                  output_field=DurationField()))
            .select_related("product__product_set", "subject__commune__parent", "issuing_unit"))


def expiry_by_month(*, user, months: int = 12, today: datetime.date | None = None) -> list[dict]:
    """Certificates in force ending in each of the next `months` months, counted in the database."""
    today = today or timezone.localdate()
    end = (today.replace(day=1) + datetime.timedelta(days=32 * months)).replace(day=1)
    rows = (certificates_visible_to(user).in_force(on=today).filter(valid_until__lt=end)
            .annotate(month=TruncMonth("valid_until")).values("month").order_by("month")
            .annotate(count=Count("pk")))
    return list(rows)
