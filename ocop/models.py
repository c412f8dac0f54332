"""Administrative units, users with their role and scope, programme cycles, the audit trail, notifications, the
outbox of background tasks and the files prepared in the background."""
import datetime

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import (
    ALLOWED_PARENT_LEVELS,
    AuditAction,
    CycleStep,
    FileJobStatus,
    NotificationEmail,
    Role,
    UnitKind,
    UnitLevel,
)
from .validators import validate_name

UNIT_KIND_LABELS = dict(UnitKind.choices)  # lazy labels: each use reads the active language

unit_code_validator = RegexValidator(r"^[0-9A-Za-z]+$", _("A unit code may only contain letters and digits."))


class AdministrativeUnitQuerySet(models.QuerySet):
    def of_level(self, level: str):
        return self.filter(kind__in=UnitKind.kinds_of_level(level))

    def cycle_holders(self):
        """The units a cycle may belong to: the provinces, and the ministry for the central level's."""
        return self.filter(kind__in=[*UnitKind.kinds_of_level(UnitLevel.PROVINCE),
                                     *UnitKind.kinds_of_level(UnitLevel.CENTRAL)])

    def provinces(self):
        return self.of_level(UnitLevel.PROVINCE)

    def districts(self):
        return self.of_level(UnitLevel.DISTRICT)

    def communes(self):
        return self.of_level(UnitLevel.COMMUNE)

    def within(self, unit: "AdministrativeUnit"):
        """The unit itself and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class AdministrativeUnit(models.Model):
    """A province, district or commune, with its official code and the dates it existed."""

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[unit_code_validator])
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    # Materialised path of codes ("06/063/01840/"): scope filters ("everything in this district") are
    # one indexed prefix match instead of a recursive walk. Kept in step with parent by save().
    path = models.CharField(max_length=64, db_index=True, editable=False)
    # Both days included: a unit with valid_to 30/06/2025 exists on that day and no longer on 01/07/2025, the day
    # the unit it was merged into (merged_into) stands for it (ocop.selectors.unit_successor).
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="merged_from",
    )
    # The path of the unit that stands for this one once the merges recorded have all taken effect: its own path
    # while it has no end; the final successor's for a unit merged into another (Văn Lang → Côn Minh); for a unit
    # ended without successor (a district dissolved on 01/07/2025), that of the unit above it (Bạch Thông → Bắc Kạn
    # → Thái Nguyên). Scope filters match it beside `path`, so the officers of a unit see the records of the units
    # it took over in the same indexed prefix match. Kept in step by save() (`compute_standing_path`).
    standing_path = models.CharField(max_length=64, db_index=True, editable=False, default="")

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                           | Q(valid_to__gte=models.F("valid_from"))),
                name="unit_valid_range",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        # Not get_kind_display(): Django rebuilds its choices dict on every call, and a unit list names hundreds.
        if self.kind == UnitKind.MINISTRY:  # its name says what it is: "Bộ Nông nghiệp và Môi trường"
            return self.name
        return f"{UNIT_KIND_LABELS.get(self.kind, self.kind)} {self.name}"

    def save(self, *args, **kwargs):
        old_path, old_standing = self.path, self.standing_path
        self.path = self.compute_path()
        self.standing_path = self.compute_standing_path()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path", "standing_path"}
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()
        elif old_standing != self.standing_path:
            # The units whose standing goes through this one: those merged into it, and those below it that ended
            # without successor.
            for unit in AdministrativeUnit.objects.filter(
                    Q(merged_into=self) | Q(parent=self, merged_into__isnull=True, valid_to__isnull=False)):
                unit.save(update_fields=[])

    def get_absolute_url(self):
        return reverse("unit-detail", args=[self.code])

    def compute_path(self) -> str:
        return (self.parent.path if self.parent_id else "") + self.code + "/"

    def compute_standing_path(self) -> str:
        """See `standing_path`: that of the unit merged into or, for a unit ended without successor, of the unit
        above it, read from the database (an instance in memory may hold an older one). A chain that loops back
        stands for itself."""
        if self.merged_into_id and self.merged_into_id != self.pk:
            next_id = self.merged_into_id
        elif self.valid_to is not None and self.parent_id:
            next_id = self.parent_id
        else:
            return self.path
        row = AdministrativeUnit.objects.filter(pk=next_id).values_list("path", "standing_path").first()
        if row is None:
            return self.path
        path, standing = row
        if standing and not standing.startswith(self.path):
            return standing
        return path if not path.startswith(self.path) else self.path

    @property
    def level(self) -> str:
        return UnitKind.level_of(self.kind)

    def clean(self):
        errors = {}
        if self.parent_id:
            allowed = ALLOWED_PARENT_LEVELS[self.level]
            if self.parent.level not in allowed:
                errors["parent"] = _("A %(kind)s cannot be placed under a %(parent_kind)s.") % {
                    "kind": self.get_kind_display().lower(),
                    "parent_kind": self.parent.get_kind_display().lower(),
                }
            elif self.pk and self.parent.path.startswith(self.path or self.compute_path()):
                errors["parent"] = _("A unit cannot be placed under itself or one of its own units.")
        elif self.level not in (UnitLevel.PROVINCE, UnitLevel.CENTRAL):
            errors["parent"] = _("Only a province can stand without a parent unit.")
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = _("A unit cannot be merged into itself.")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity cannot come before its start.")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def exists_during(self, first, last) -> bool:
        """True when the unit exists on at least one day from `first` to `last` (both included)."""
        return ((self.valid_from is None or self.valid_from <= last)
                and (self.valid_to is None or first <= self.valid_to))


class User(AbstractUser):
    """A person who logs in. The role says what he does, the unit where he may do it."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COUNCIL_MEMBER)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
        help_text=_("Province for provincial staff; district or commune for local officers; the ministry for its "
                    "staff."),
    )
    # AbstractUser's, with the rule on names.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[validate_name])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[validate_name])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    agency = models.CharField(_("agency"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role == Role.PROVINCE_STAFF:
            if not self.unit_id or self.unit.level != UnitLevel.PROVINCE:
                raise ValidationError({"unit": _("Provincial staff must be assigned to a province.")})
        elif self.role == Role.LOCAL_OFFICER:
            if not self.unit_id or self.unit.level not in (UnitLevel.DISTRICT, UnitLevel.COMMUNE):
                raise ValidationError({"unit": _("A local officer must be assigned to a district or a commune.")})
        elif self.role == Role.MINISTRY_STAFF:
            if not self.unit_id or self.unit.level != UnitLevel.CENTRAL:
                raise ValidationError({"unit": _("The ministry's staff must be assigned to the ministry.")})

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class Cycle(models.Model):
    """A province's annual OCOP cycle (chu trình OCOP thường niên) for one year; the ministry's cycle of a year
    holds the central level's council, which rates the products the provinces nominate for 5★."""

    province = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="cycles",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)],
    )
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    plan_reference = models.CharField(
        _("plan document"), max_length=255, blank=True, help_text=_("For example: 180/KH-UBND ngày 22/3/2024"),
    )
    current_step = models.PositiveSmallIntegerField(
        _("current step"), choices=CycleStep.choices, default=CycleStep.PROPAGANDA,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme cycle")
        verbose_name_plural = _("programme cycles")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="cycle_unique_province_year"),
        ]

    def __str__(self):
        return _("OCOP %(year)s – %(province)s") % {"year": self.year, "province": self.province.name}

    def get_absolute_url(self):
        return reverse("cycle-detail", args=[self.pk])

    def clean(self):
        if self.province_id and self.province.level not in (UnitLevel.PROVINCE, UnitLevel.CENTRAL):
            raise ValidationError({"province": _("A cycle belongs to a province (or to the ministry, for the central "
                                                 "level's evaluation).")})

    def record_span(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        """The days a record of this cycle that carries no date of its own (the cycle itself, its councils, its
        product ideas) may be made on, to tell which units it may be made under: a unit that exists on one of
        them may be its unit.

        Today while the cycle's year runs: a 2025 record made in August 2025 is made after 01/07/2025. For a
        record of another year, any day of that year on which the cycle's province existed: a past cycle's
        records entered late are history whose real day the system cannot know, so Thái Nguyên's 2025 cycle
        takes a commune that ended on 30/06/2025 as well as one formed on 01/07/2025, and Bắc Kạn's 2025 cycle
        the units of Bắc Kạn (it ended on 30/06/2025).
        """
        today = today or timezone.localdate()
        return (today, today) if today.year == self.year else self.year_span()

    def year_span(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the cycle's year on which its province existed."""
        first, last = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        province = self.province if self.province_id else None
        if province is not None and province.valid_from is not None and province.valid_from <= last:
            first = max(first, province.valid_from)
        if province is not None and province.valid_to is not None and province.valid_to >= first:
            last = min(last, province.valid_to)
        return first, last

    def record_day(self, today: datetime.date | None = None) -> datetime.date:
        """The first day of `record_span`: the day from which the units offered for a record of this cycle are
        listed."""
        return self.record_span(today)[0]

    def procedure_day(self, on: datetime.date | None = None) -> datetime.date:
        """The day whose units and procedure a record of this cycle submitted on `on` (today) follows: that day
        within the cycle's year and its province's existence, else their nearest end. A 2024 dossier entered late
        in 2026 follows the procedure of 31/12/2024 (the district's, under 148); a 2025 one submitted in August
        2025 the commune's (1489/QĐ-TTg, since 01/07/2025); one of Bắc Kạn's 2025 cycle, the procedure of
        30/06/2025, Bắc Kạn's last day."""
        first, last = self.year_span()
        return min(max(on or timezone.localdate(), first), last)


class CycleStepPlan(models.Model):
    """The planned dates of one of the six steps in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps", verbose_name=_("cycle"))
    step = models.PositiveSmallIntegerField(_("step"), choices=CycleStep.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cycle step")
        verbose_name_plural = _("cycle steps")
        ordering = ["cycle", "step"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step"], name="cycle_step_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="cycle_step_dates",
            ),
        ]

    def __str__(self):
        return f"{self.step}. {self.get_step_display()}"

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The end cannot come before the start.")})


class Round(models.Model):
    """An evaluation round within a cycle (provinces hold at least two a year since 2025)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("cycle"))
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="round_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="round_dates",
            ),
        ]

    def __str__(self):
        return self.name


class AuditEntry(models.Model):
    """One thing a person did to a record: who, what, when, and the values that changed."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("record"), max_length=255)
    message = models.CharField(_("message"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"


class Notification(models.Model):
    """Something the application tells one user: the bell in the navigation bar and /notifications/.

    The text is stored as written (in the site's language) when it is created. When an email is wanted it
    waits in `email_status` until `notification_emails_send` sends it, after the creating transaction.
    """

    # No index of its own: notification_recipient_idx starts with it (one index fewer to write per row).
    recipient = models.ForeignKey(User, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications", db_index=False)
    kind = models.CharField(_("kind"), max_length=50, help_text=_("What it is about, e.g. certificates.expiry"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(_("email"), max_length=10, choices=NotificationEmail.choices,
                                    default=NotificationEmail.NONE, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A user's list, newest first; and the bell's unread count, from the unread rows alone.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # The emails still to send, however many notifications are kept.
            models.Index(fields=["id"], condition=Q(email_status=NotificationEmail.PENDING),
                         name="notification_email_idx"),
            # Who was told of an event about a record already (services.notify_once).
            models.Index(fields=["target_type", "target_id", "kind"], name="notification_target_idx"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(models.Model):
    """A background task recorded in the transaction of the change that wants it (ocop/outbox.py).

    It is handed to Celery after the commit; while the broker cannot take it, it stays pending (`sent_at`
    empty) and the sweep hands it over later. `locked_until` is the lease of whoever is handing it over.
    """

    task = models.CharField(_("background task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep reads the pending rows alone, however many handed-over ones are kept.
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_pending_idx"),
        ]

    def __str__(self):
        return f"{self.task} {self.kwargs}"


class FileJob(models.Model):
    """A file (a long PDF, a large export) prepared in the background for the user who asked for it.

    `kind` names what builds it (registered in ocop/filejobs.py by the app that owns it) and `params` what to
    build; `done` of `total` is its progress. Only its requester, while he may still see what it is about,
    opens or downloads it.
    """

    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FileJobStatus.choices, default=FileJobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    file = models.FileField(_("file"), upload_to="private/jobs/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.CASCADE,
                                     related_name="file_jobs")
    error = models.TextField(_("error"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("The requester's language, "
                                                                                       "in which the file is written"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file prepared in the background")
        verbose_name_plural = _("files prepared in the background")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "kind", "status"], name="filejob_requester_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="filejob_done_within_total"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("file-job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (FileJobStatus.DONE, FileJobStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)
