"""Reads of certificates, always through the user's scope, and the few fields the public verification shows."""
import datetime

from django.db.models import Count, DateField, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from evaluation.enums import EvaluationLevel
from ocop.models import AdministrativeUnit
from ocop.rules import is_ministry_staff, is_official, is_subject_rep
from ocop.selectors import scope_q, units_counted_for
from ocop.text import fold

from .enums import CertificateStatus
from .models import Certificate, RenderJob


def certificates_visible_to(user) -> QuerySet:
    """Officials: certificates of subjects in their area; the ministry's office the central level's and the
    nominated products'. Representatives: their subjects'. Others: none."""
    if is_subject_rep(user):
        return Certificate.objects.filter(subject__representative_links__user=user)
    if is_ministry_staff(user):  # the central level's, and those of the products nominated to it (rules)
        return Certificate.objects.filter(Q(level=EvaluationLevel.CENTRAL)
                                          | Q(product__nominated_central_on__isnull=False))
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


def certificate_list_filtered(*, user, on: datetime.date, query: str = "", in_force: bool = False,
                              ending_by: datetime.date | None = None, status: str = "", unit_code: str = "",
                              kind: str = "", product_set: int | None = None, first: bool | None = None,
                              star: int | None = None, year: int | None = None,
                              month: tuple[int, int] | None = None) -> QuerySet:
    """The certificate list (`certificate_list` on `on`) narrowed by the list's search and filters: every word of
    `query` in the product, the subject or the number; in force (ending by `ending_by` when given) or of
    `status` as they stood on `on`; of products in the unit `unit_code` (or in a unit merged into it by `on`); of
    subjects of `kind`; of the product set numbered `product_set`; a product's first certificate or a later one
    (`first`); of `star`; issued in `year`; in force and ending in `month` (year, month), the expiry calendar's
    drill-down."""
    qs = certificate_list(user=user, today=on)
    for word in fold(query).split() if query else []:
        qs = qs.filter(Q(product__search_text__contains=word) | Q(subject__search_text__contains=word)
                       | Q(number__icontains=word))
    if in_force:
        qs = qs.filter(status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING])
        if ending_by is not None:
            qs = qs.filter(valid_until__lte=ending_by)
    elif status:
        qs = qs.filter(status=status)
    if unit_code:  # the unit's products and, from the day a unit was merged into it, the merged unit's
        unit = AdministrativeUnit.objects.filter(code=unit_code).first()
        qs = qs.filter(units_counted_for(unit, on=on).q("product__commune")) if unit else qs.none()
    if kind:
        qs = qs.filter(subject__kind=kind)
    if product_set:
        qs = qs.filter(product__product_set__number=product_set)
    if first is not None:
        earlier = Certificate.objects.filter(product=OuterRef("product"), issued_on__lt=OuterRef("issued_on"))
        qs = qs.filter(~Exists(earlier) if first else Exists(earlier)).exclude(revoked_on__lte=on)
    if star:
        qs = qs.filter(star=star)
    if year:
        qs = qs.filter(issued_on__year=year)
    if month:
        qs = qs.filter(valid_until__year=month[0], valid_until__month=month[1]).exclude(
            status__in=[CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED, CertificateStatus.EXPIRED])
    return qs


def certificate_pages_of(*, user) -> QuerySet:
    """The certificates the user may open, with what a certificate's page names besides the list's columns."""
    return certificate_list(user=user).select_related("superseded_by", "decision", "regulation")


def certificate_history(*, certificate: Certificate, on: datetime.date) -> QuerySet:
    """The product's chain of certificates, oldest first, with their statuses on `on`: what each one superseded
    and when (derived from issue dates)."""
    return (Certificate.objects.filter(product=certificate.product).with_status(on=on)
            .select_related("superseded_by").order_by("issued_on", "pk"))


def certificate_renewals(*, certificate: Certificate) -> QuerySet:
    return certificate.renewals.select_related("dossier__cycle", "started_by")


def certificates_expired_count(*, user, on: datetime.date) -> int:
    """How many of the user's certificates had expired on `on`."""
    return certificates_visible_to(user).with_status(on=on).filter(status=CertificateStatus.EXPIRED).count()


def certificates_ending(*, user, start: datetime.date, end: datetime.date) -> QuerySet:
    """The user's certificates ending between `start` and `end`, neither revoked nor superseded, the soonest
    first, with the subject's contacts (the expiry calendar's export)."""
    return (certificate_list(user=user).filter(valid_until__gte=start, valid_until__lte=end)
            .exclude(status__in=[CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED])
            .order_by("valid_until", "pk").select_related("subject"))


def render_jobs_with_decision() -> QuerySet:
    """Rendering jobs with their decision (whose visibility decides who may follow a job)."""
    return RenderJob.objects.select_related("decision")


# Only what a buyer needs to trust the label: no tax code, no phone, no e-mail, no file.
# A revocation is published as officials publish it: date, deciding decision, ground and note.
PUBLIC_FIELDS = ("number", "star", "issued_on", "valid_until", "revoked_on", "revoke_decision_number",
                 "revoke_ground", "revoke_reason", "superseded_on", "regulation__code",
                 "decision_number", "decision_date", "level", "superseded_by__number",
                 "product__name", "product__product_set__name", "subject__name", "subject__kind",
                 "subject__commune__name", "subject__commune__parent__name",
                 "subject__commune__parent__parent__name", "issuing_unit__name", "authority_name")


def certificates_published(*, number: str) -> list[Certificate]:
    """The certificates numbered `number` with their statuses today and only the fields the public
    verification shows (PUBLIC_FIELDS)."""
    return list(Certificate.objects.filter(number=number).with_status(on=timezone.localdate()).select_related(
        "product__product_set", "subject__commune__parent__parent", "issuing_unit", "superseded_by", "regulation"
    ).only(*PUBLIC_FIELDS))
