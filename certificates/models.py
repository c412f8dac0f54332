"""Certificates (giấy chứng nhận) of recognised products, their notices and their numbering, and the inspections
after recognition."""
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation.enums import EvaluationLevel
from evaluation.models import Decision, RecognisedProduct, Regulation
from evaluation.star_rules import MAX_STAR, MIN_RECOGNISED_STAR
from ocop.models import AdministrativeUnit
from ocop.validators import validate_name
from products.models import Product, private_upload_to
from subjects.models import Subject

from .enums import (
    CertificateStatus,
    CorrectiveStatus,
    InspectionFileKind,
    InspectionNoticeKind,
    InspectionVerdict,
    RevocationGround,
)


def expiring_window_days() -> int:
    return max(settings.OCOP_CERTIFICATE_NOTICE_DAYS)


class CertificateQuerySet(models.QuerySet):
    """A certificate's state on a date D is derived from recorded facts only: issued_on, valid_until, revoked_on
    and superseded_on (the day its successor was issued). Nothing here reads "now": callers pass the date
    (`timezone.localdate()` for today), so the same question about 31/12/2019 gets the same answer in any year.
    """

    def in_force(self, on: datetime.date):
        """Certificates in force on `on`: issued by then, not yet ended, revoked or superseded on that day."""
        return self.filter(live_q(on), valid_until__gte=on)

    def live_on(self, on: datetime.date):
        """Issued by `on` and neither revoked nor superseded by then, whether or not ended (expiry notices)."""
        return self.filter(live_q(on))

    def numbered(self, number: str):
        """Certificates numbered `number`, whatever its case ("12/2025/gcn-06" finds 12/2025/GCN-06), through the
        index on UPPER(number)."""
        return self.alias(number_upper=Upper("number")).filter(number_upper=Upper(Value(number)))

    def with_status(self, on: datetime.date, expiring_days: int | None = None):
        """Annotate `status` as it stood on `on`, in the database (not issued yet, revoked, superseded,
        expired, expiring soon, valid)."""
        horizon = on + datetime.timedelta(days=expiring_days if expiring_days is not None else expiring_window_days())
        return self.annotate(status=status_on(on, horizon))


def live_q(on: datetime.date, prefix: str = "") -> Q:
    """Issued on or before `on`, and not revoked or superseded on or before it (`prefix` for a relation)."""
    return (Q(**{f"{prefix}issued_on__lte": on})
            & (Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on}))
            & (Q(**{f"{prefix}superseded_on__isnull": True}) | Q(**{f"{prefix}superseded_on__gt": on})))


def status_on(on: datetime.date, horizon: datetime.date) -> Case:
    """The status expression (see CertificateQuerySet): the first fact that holds on `on` decides."""
    return Case(
        When(issued_on__gt=on, then=Value(CertificateStatus.NOT_ISSUED)),
        When(revoked_on__lte=on, then=Value(CertificateStatus.REVOKED)),
        When(superseded_on__lte=on, then=Value(CertificateStatus.SUPERSEDED)),
        When(valid_until__lt=on, then=Value(CertificateStatus.EXPIRED)),
        When(valid_until__lte=horizon, then=Value(CertificateStatus.EXPIRING)),
        default=Value(CertificateStatus.VALID),
        output_field=CharField(),
    )


class Certificate(models.Model):
    """The certificate of a product recognised at 3★ or more, valid 36 months from issue."""

    number = models.CharField(_("certificate number"), max_length=60)
    # The province, district or commune that recognised the product; empty for the central level (5★),
    # whose authority (the ministry) is named in `authority_name`.
    issuing_unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("issuing authority"),
                                     on_delete=models.PROTECT, related_name="certificates", null=True, blank=True)
    authority_name = models.CharField(_("issuing authority (central level)"), max_length=255, blank=True,
                                      validators=[validate_name])
    recognition = models.OneToOneField(RecognisedProduct, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="certificate")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="certificates")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="certificates")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="certificates")
    star = models.PositiveSmallIntegerField(
        _("star"), validators=[MinValueValidator(MIN_RECOGNISED_STAR), MaxValueValidator(MAX_STAR)])
    # The decision as printed on the certificate (kept as issued; imported registers have no Decision row).
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=255, validators=[validate_name])
    level = models.CharField(_("level"), max_length=20, choices=EvaluationLevel.choices)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    # The regulation (criteria version) under which the product was rated: from its evaluation, from an
    # imported register's "Bộ tiêu chí" column, or the one in force on the issue date.
    regulation = models.ForeignKey(Regulation, verbose_name=_("criteria version"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="certificates")
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_ground = models.CharField(_("ground for revocation"), max_length=20, choices=RevocationGround.choices,
                                     blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    revoke_decision_number = models.CharField(_("revocation decision"), max_length=100, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # The inspection after recognition that proposed the revocation, when one did (its basis).
    revoke_inspection = models.ForeignKey("Inspection", verbose_name=_("inspection proposing the revocation"),
                                          on_delete=models.PROTECT, null=True, blank=True, related_name="revocations")
    superseded_by = models.ForeignKey("self", verbose_name=_("superseded by"), on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="supersedes")
    # Derived (services.certificate_chain_rebuild): the issue date of the next certificate of the product, when
    # it was issued while this one still ran. Kept with superseded_by so that "superseded on D" is one column.
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="private/certificates/", blank=True)
    pdf_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_unit", "number"], name="certificate_unique_number",
                                    violation_error_message=_("This certificate number is already used.")),
            models.UniqueConstraint(fields=["authority_name", "number"], condition=Q(issuing_unit__isnull=True),
                                    name="certificate_unique_central_number",
                                    violation_error_message=_("This certificate number is already used.")),
            models.CheckConstraint(condition=Q(issuing_unit__isnull=False) | ~Q(authority_name=""),
                                   name="certificate_has_authority"),
            models.CheckConstraint(condition=Q(star__gte=MIN_RECOGNISED_STAR) & Q(star__lte=MAX_STAR),
                                   name="certificate_star_3_to_5"),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("issued_on")), name="certificate_dates"),
            models.CheckConstraint(condition=Q(revoked_on__isnull=True) | ~Q(revoke_reason=""),
                                   name="certificate_revocation_has_reason"),
            models.CheckConstraint(condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("issued_on")),
                                   name="certificate_revoked_after_issue"),
            # Superseded only by a certificate issued while it ran, and both facts together.
            models.CheckConstraint(
                condition=(Q(superseded_by__isnull=True, superseded_on__isnull=True)
                           | Q(superseded_by__isnull=False, superseded_on__gte=models.F("issued_on"),
                               superseded_on__lte=models.F("valid_until"))),
                name="certificate_superseded_in_validity"),
        ]
        indexes = [models.Index(fields=["product", "issued_on"], name="certificate_product_idx"),
                   # The public verification looks a number up whatever its case (CertificateQuerySet.numbered).
                   models.Index(Upper("number"), name="certificate_number_upper_idx")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("certificates:detail", args=[self.pk])

    def get_verify_url(self):
        return reverse("verify", args=[self.number])

    @property
    def status_display(self) -> str:
        """The label of the `status` that `with_status()` annotates."""
        return CertificateStatus(self.status).label


class CertificateSequence(models.Model):
    """The last sequence number an authority used in a year (locked row while numbering).

    `authority` is what the number format calls {authority}: the issuing unit's code, or the central level's
    code (OCOP_CENTRAL_AUTHORITY_CODE). The row is a floor, not the truth: numbering also reads the highest
    number already recorded (services.certificate_number_next), so imported numbers are never reissued.
    """

    authority = models.CharField(_("authority code"), max_length=20, default="")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="certificate_sequence_unique")]

    def __str__(self):
        return f"{self.authority or '-'} {self.year}: {self.last}"


class CertificateNotice(models.Model):
    """That the holder was told a certificate enters a notice window (OCOP_CERTIFICATE_NOTICE_DAYS, or expiry).

    Unique per certificate and window: the daily job can run twice, or die half-way, and never sends twice.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notices")
    window_days = models.PositiveSmallIntegerField(_("days before expiry"))
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expiry notice")
        verbose_name_plural = _("expiry notices")
        constraints = [models.UniqueConstraint(fields=["certificate", "window_days"], name="notice_unique_window")]
        # Each run looks for the notices not emailed yet: few among many, as notices pile up over the years.
        indexes = [models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True),
                                name="notice_not_emailed_idx")]

    def __str__(self):
        return f"{self.certificate} · {self.window_days}"


class RenderJob(models.Model):
    """Rendering the PDFs of a decision's certificates (or of any set), with its progress.

    The work is cut into chunks of one batch each; a chunk counts once, when its PDFs are stored, so a chunk
    that a killed worker left half-done and that is delivered again never counts twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="render_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate rendering job")
        verbose_name_plural = _("certificate rendering jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.decision or '-'} · {self.get_status_display()}"


class RenderChunk(models.Model):
    job = models.ForeignKey(RenderJob, verbose_name=_("rendering job"), on_delete=models.CASCADE,
                            related_name="chunks")
    certificate_ids = models.JSONField(_("certificate ids"))
    size = models.PositiveIntegerField(_("certificates"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendering batch")
        verbose_name_plural = _("rendering batches")
        indexes = [models.Index(fields=["job", "finished_at"], name="render_chunk_job_idx")]

    def __str__(self):
        return f"{self.job_id} · {self.size}"


class Renewal(models.Model):
    """A re-evaluation started from a certificate: renewal (when it is expiring) or star upgrade (while valid).

    It opens the product's dossier in the chosen cycle, pre-filled with the evidence of the last one; the
    certificate issued after the re-evaluation supersedes this one.
    """

    class Kind(models.TextChoices):
        RENEWAL = "renewal", _("Re-evaluation for renewal")
        UPGRADE = "upgrade", _("Star upgrade")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="renewals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    dossier = models.OneToOneField("products.Dossier", on_delete=models.PROTECT, related_name="renewal")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")

    def __str__(self):
        return f"{self.certificate} · {self.get_kind_display()}"


# ---------------------------------------------------------------------------------------------
# Inspections after recognition (kiểm tra, giám sát sau công nhận)
# ---------------------------------------------------------------------------------------------

# What an inspection checks, each with a field `<area>_ok` (None: not checked) and `<area>_notes`.
CHECK_AREAS = (
    ("quality", _("Product quality and test results")),
    ("labelling", _("Labelling")),
    ("traceability", _("Traceability stamp")),
    ("mark", _("Use of the OCOP mark")),
    ("production", _("Production still active")),
)
FIRST_PLAN_YEAR = 2018  # the programme began in 2018 (Decision 490/QĐ-TTg)


class InspectionPlan(models.Model):
    """A unit's plan of inspections after recognition for a year (kế hoạch kiểm tra, giám sát sau công nhận)."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="inspection_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255, validators=[validate_name])
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "unit__path", "title"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "title"], name="inspection_plan_unique_title",
                                    violation_error_message=_("The unit already has a plan of this title for "
                                                              "the year.")),
            models.CheckConstraint(condition=Q(year__gte=FIRST_PLAN_YEAR), name="inspection_plan_year"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("certificates:inspection-plan-detail", args=[self.pk])


def _none_fails() -> Q:
    """No area checked and found wanting (each `<area>_ok` empty or true)."""
    q = Q()
    for area, _label in CHECK_AREAS:
        q &= Q(**{f"{area}_ok__isnull": True}) | Q(**{f"{area}_ok": True})
    return q


class Inspection(models.Model):
    """An inspection of a certified product after its recognition: scheduled (a planned day, no result yet) or
    recorded (the day it took place, what was checked, the findings and the verdict).

    A verdict of corrective action sets a deadline after the inspection day; the subject uploads its evidence and
    an officer closes it. A verdict proposing revocation names the ground, and the certificate's revocation may
    then carry the inspection as its basis (Certificate.revoke_inspection).
    """

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="inspections")
    certificate = models.ForeignKey(Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT,
                                    related_name="inspections")
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspectors = models.TextField(_("inspectors"), blank=True)
    quality_ok = models.BooleanField(_("product quality and test results"), null=True, blank=True)
    quality_notes = models.TextField(_("notes on quality and test results"), blank=True)
    labelling_ok = models.BooleanField(_("labelling"), null=True, blank=True)
    labelling_notes = models.TextField(_("notes on labelling"), blank=True)
    traceability_ok = models.BooleanField(_("traceability stamp"), null=True, blank=True)
    traceability_notes = models.TextField(_("notes on traceability"), blank=True)
    mark_ok = models.BooleanField(_("use of the OCOP mark"), null=True, blank=True)
    mark_notes = models.TextField(_("notes on the use of the OCOP mark"), blank=True)
    production_ok = models.BooleanField(_("production still active"), null=True, blank=True)
    production_notes = models.TextField(_("notes on production"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=InspectionVerdict.choices, blank=True)
    corrective_action = models.TextField(_("corrective action required"), blank=True)
    corrective_deadline = models.DateField(_("corrective action deadline"), null=True, blank=True)
    corrective_status = models.CharField(_("corrective action"), max_length=20, choices=CorrectiveStatus.choices,
                                         blank=True)
    closed_on = models.DateField(pgettext_lazy("corrective action", "closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closing_note = models.TextField(_("closing note"), blank=True)
    proposed_ground = models.CharField(_("proposed ground for revocation"), max_length=20,
                                       choices=RevocationGround.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-planned_on", "-pk"]
        constraints = [
            # Scheduled (a planned day) or recorded (the day it took place, with a verdict), never neither.
            models.CheckConstraint(condition=Q(planned_on__isnull=False) | Q(inspected_on__isnull=False),
                                   name="inspection_scheduled_or_recorded"),
            models.CheckConstraint(condition=Q(inspected_on__isnull=True, verdict="")
                                   | (Q(inspected_on__isnull=False) & ~Q(verdict="")),
                                   name="inspection_verdict_when_recorded"),
            # A corrective action says what to do, by a day after the inspection, and where it stands.
            models.CheckConstraint(
                condition=(Q(verdict=InspectionVerdict.CORRECTIVE, corrective_deadline__gt=F("inspected_on"))
                           & ~Q(corrective_action="") & ~Q(corrective_status=""))
                | (~Q(verdict=InspectionVerdict.CORRECTIVE) & Q(corrective_deadline__isnull=True,
                                                                corrective_status="")),
                name="inspection_corrective_deadline"),
            models.CheckConstraint(
                condition=Q(corrective_status=CorrectiveStatus.CLOSED, closed_on__gte=F("inspected_on"))
                | (~Q(corrective_status=CorrectiveStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="inspection_closed_on"),
            models.CheckConstraint(
                condition=(Q(verdict=InspectionVerdict.REVOCATION) & ~Q(proposed_ground=""))
                | (~Q(verdict=InspectionVerdict.REVOCATION) & Q(proposed_ground="")),
                name="inspection_revocation_ground"),
            # Compliant only when no area checked was found wanting; any other verdict says what was found.
            models.CheckConstraint(condition=~Q(verdict=InspectionVerdict.COMPLIANT) | _none_fails(),
                                   name="inspection_compliant_without_breach"),
            models.CheckConstraint(
                condition=Q(verdict__in=["", InspectionVerdict.COMPLIANT]) | ~Q(findings=""),
                name="inspection_findings_stated"),
        ]
        indexes = [
            models.Index(fields=["certificate", "inspected_on"], name="inspection_certificate_idx"),
            # The open corrective actions by deadline: the daily notices and the officers' overdue panel.
            models.Index(fields=["corrective_deadline"], condition=Q(corrective_status=CorrectiveStatus.OPEN),
                         name="inspection_open_deadline_idx"),
        ]

    def __str__(self):
        day = self.inspected_on or self.planned_on
        return f"{self.certificate} · {day:%d/%m/%Y}" if day else str(self.certificate)

    def get_absolute_url(self):
        return reverse("certificates:inspection-detail", args=[self.pk])

    @property
    def is_recorded(self) -> bool:
        return self.inspected_on is not None

    def checks(self) -> list[dict]:
        """Each area with its label, its finding (None: not checked) and its notes."""
        return [{"area": area, "label": label, "ok": getattr(self, f"{area}_ok"),
                 "notes": getattr(self, f"{area}_notes")} for area, label in CHECK_AREAS]


class InspectionFile(models.Model):
    """A file of an inspection: the officers' evidence of the findings, or the subject's of the corrective
    action."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionFileKind.choices)
    file = models.FileField(_("file"), upload_to=private_upload_to("inspections"))
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection file")
        verbose_name_plural = _("inspection files")
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("certificates:inspection-file", args=[self.pk])


class InspectionNotice(models.Model):
    """That the people of an inspection were told one thing about it (scheduled, due soon, overdue, revocation
    proposed): unique per inspection and kind, so that a job run twice, or killed half-way, never tells twice."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionNoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inspection notice")
        verbose_name_plural = _("inspection notices")
        constraints = [models.UniqueConstraint(fields=["inspection", "kind"], name="inspection_notice_unique")]
        indexes = [models.Index(fields=["created_at"], condition=Q(told_at__isnull=True),
                                name="inspection_notice_untold_idx")]

    def __str__(self):
        return f"{self.inspection} · {self.get_kind_display()}"
