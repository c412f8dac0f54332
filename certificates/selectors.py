"""Reads of certificates and their inspections, always through the user's scope, and the few fields the public
verification shows."""
import datetime

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from evaluation.enums import EvaluationLevel
from ocop.models import AdministrativeUnit
from ocop.rules import is_local_official, is_ministry_staff, is_official, is_subject_rep
from ocop.selectors import scope_q, unit_scope_q, units_counted_for
from ocop.text import fold

from .enums import CertificateStatus, CorrectiveStatus, InspectionVerdict
from .models import Certificate, Inspection, InspectionFile, InspectionPlan, RenderJob


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
    """Certificates in force ending in each of the next `months` months, today's month first, counted in the
    database: every month is listed, 0 for a month in which none ends."""
    today = today or timezone.localdate()
    starts = [today.replace(day=1)]
    while len(starts) <= months:
        starts.append((starts[-1] + datetime.timedelta(days=32)).replace(day=1))
    rows = (certificates_visible_to(user).in_force(on=today).filter(valid_until__lt=starts[-1])
            .annotate(month=TruncMonth("valid_until")).values("month").order_by("month")
            .annotate(count=Count("pk")))
    counts = {row["month"]: row["count"] for row in rows}
    return [{"month": start, "count": counts.get(start, 0)} for start in starts[:-1]]


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
    return certificate_list(user=user).select_related("superseded_by", "decision", "regulation", "revoke_inspection")


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
    """The certificates numbered `number` (whatever its case) with their statuses today and only the fields the public
    verification shows (PUBLIC_FIELDS)."""
    return list(Certificate.objects.numbered(number).with_status(on=timezone.localdate()).select_related(
        "product__product_set", "subject__commune__parent__parent", "issuing_unit", "superseded_by", "regulation"
    ).only(*PUBLIC_FIELDS))


# ---------------------------------------------------------------------------------------------
# Inspections after recognition
# ---------------------------------------------------------------------------------------------

INSPECTION_SCHEDULED = "scheduled"  # the list's verdict filter: planned, no result yet


def inspections_visible_to(user) -> QuerySet:
    """Officials of the provinces and communes: the inspections of the certificates of subjects in their area (as
    the certificate list scopes them); representatives: their subjects'; the ministry's office: those of the
    central level's certificates (it revokes them); nobody else (the councils take no part)."""
    if is_subject_rep(user):
        return Inspection.objects.filter(certificate__subject__representative_links__user=user)
    if is_ministry_staff(user):
        return Inspection.objects.filter(certificate__level=EvaluationLevel.CENTRAL)
    if is_local_official(user):
        return Inspection.objects.filter(scope_q(user, "certificate__subject__commune"))
    return Inspection.objects.none()


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """An open corrective action whose deadline has passed (evidence sent in time or late stops it counting)."""
    return Q(**{f"{prefix}corrective_status": CorrectiveStatus.OPEN, f"{prefix}corrective_deadline__lt": today})


def inspection_list(*, user, today: datetime.date, verdict: str = "", status: str = "", overdue: bool = False,
                    year: int | None = None, unit_code: str = "", plan: InspectionPlan | None = None,
                    query: str = "") -> QuerySet:
    """The user's inspections with what the list shows (product, subject, certificate, plan) and `day` (the day it
    took place, or is planned for) and `overdue`, narrowed by: `verdict` (or INSPECTION_SCHEDULED: no result yet),
    the corrective action's `status`, `overdue`, the `year` of its day, products of the unit `unit_code` (or of a
    unit merged into it by `today`, as the dashboard counts them), `plan`, every word of `query` in the product,
    the subject or the certificate number."""
    qs = (inspections_visible_to(user)
          .annotate(day=Coalesce("inspected_on", "planned_on"),
                    overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))
          .select_related("certificate__product", "certificate__subject__commune", "plan"))
    if verdict == INSPECTION_SCHEDULED:
        qs = qs.filter(inspected_on__isnull=True)
    elif verdict:
        qs = qs.filter(verdict=verdict)
    if status:
        qs = qs.filter(corrective_status=status)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if year:
        qs = qs.filter(day__year=year)
    if unit_code:
        unit = AdministrativeUnit.objects.filter(code=unit_code).first()
        qs = qs.filter(units_counted_for(unit, on=today).q("certificate__product__commune")) if unit else qs.none()
    if plan is not None:
        qs = qs.filter(plan=plan)
    for word in fold(query).split() if query else []:
        qs = qs.filter(Q(certificate__product__search_text__contains=word)
                       | Q(certificate__subject__search_text__contains=word) | Q(certificate__number__icontains=word))
    return qs


def inspection_pages_of(*, user, today: datetime.date | None = None) -> QuerySet:
    """The inspections the user may open, with what their page and its permission checks read, and `overdue`."""
    today = today or timezone.localdate()
    return inspections_visible_to(user).annotate(
        overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField())).select_related(
        "certificate__product__product_set", "certificate__subject__commune", "plan__unit", "created_by",
        "recorded_by", "closed_by")


def inspection_files(*, inspection: Inspection) -> QuerySet:
    return inspection.files.select_related("uploaded_by")


def inspection_files_visible_to(user) -> QuerySet:
    return InspectionFile.objects.filter(inspection__in=inspections_visible_to(user)).select_related(
        "inspection__certificate__subject__commune")


def certificate_inspections(*, user, certificate: Certificate) -> QuerySet:
    """A certificate's inspections the user may see, the latest first."""
    return (inspections_visible_to(user).filter(certificate=certificate)
            .annotate(day=Coalesce("inspected_on", "planned_on"),
                      overdue=ExpressionWrapper(overdue_q(timezone.localdate()), output_field=BooleanField()))
            .select_related("plan").order_by("-day", "-pk"))


def plans_visible_to(user) -> QuerySet:
    """The inspection plans of the units in an official's area (the provinces' and communes' officials)."""
    if is_local_official(user):
        return InspectionPlan.objects.filter(scope_q(user, "unit"))
    return InspectionPlan.objects.none()


def plan_list(*, user, year: int | None = None, query: str = "") -> QuerySet:
    """The user's plans with their inspections counted by state and verdict (one join, counted in the database)."""
    recorded = Q(inspections__inspected_on__isnull=False)
    qs = plans_visible_to(user).select_related("unit__parent").annotate(
        inspections_total=Count("inspections"),
        scheduled=Count("inspections", filter=Q(inspections__inspected_on__isnull=True)),
        compliant=Count("inspections", filter=recorded & Q(inspections__verdict=InspectionVerdict.COMPLIANT)),
        corrective=Count("inspections", filter=recorded & Q(inspections__verdict=InspectionVerdict.CORRECTIVE)),
        revocation=Count("inspections", filter=recorded & Q(inspections__verdict=InspectionVerdict.REVOCATION)),
        open_actions=Count("inspections", filter=Q(inspections__corrective_status__in=CorrectiveStatus.pending())))
    if year:
        qs = qs.filter(year=year)
    for word in query.split() if query else []:
        qs = qs.filter(Q(title__icontains=word) | Q(unit__name__icontains=word))
    return qs


def plans_covering(*, user, certificate: Certificate) -> QuerySet:
    """The user's plans whose unit holds the certificate's subject, or took over the unit that holds it: the units
    whose path is a prefix of the commune's path or of the path of the unit standing for it."""
    commune = certificate.subject.commune
    prefixes = set()
    for path in filter(None, [commune.path, commune.standing_path]):
        codes = path.strip("/").split("/")
        prefixes.update("/".join(codes[:n]) + "/" for n in range(1, len(codes) + 1))
    return plans_visible_to(user).filter(unit__path__in=prefixes).select_related("unit").order_by("-year", "title")


def certificates_inspectable(*, user, plan: InspectionPlan, on: datetime.date) -> QuerySet:
    """The certificates in force on `on` of the user's area that a plan covers (the subject's commune in the plan's
    unit, or in a unit it took over), by product."""
    return (certificates_visible_to(user).in_force(on=on).filter(unit_scope_q(plan.unit, "subject__commune__"))
            .select_related("product", "subject").order_by("product__name", "number"))


def inspections_for_home(*, user, today: datetime.date) -> dict:
    """An official's: the overdue corrective actions (the first few, the soonest due first, and how many), the
    evidence waiting for an officer, the inspections scheduled ahead. A representative's: his products' open
    corrective actions and scheduled inspections."""
    visible = inspections_visible_to(user)
    counts = visible.aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        evidence=Count("pk", filter=Q(corrective_status=CorrectiveStatus.EVIDENCE)),
        open=Count("pk", filter=Q(corrective_status=CorrectiveStatus.OPEN)),
        scheduled=Count("pk", filter=Q(inspected_on__isnull=True, planned_on__gte=today)))
    rows = visible.filter(Q(corrective_status=CorrectiveStatus.OPEN) if is_subject_rep(user) else overdue_q(today))
    return {**counts, "rows": rows.select_related("certificate__product", "certificate__subject")
            .order_by("corrective_deadline", "pk")}
