"""Writes on inspections after recognition (kiểm tra, giám sát sau công nhận): a unit's yearly plans, scheduling and
recording an inspection of a certified product, the subject's evidence of a corrective action and its closing,
and the notices their people get once each.

Dates: a record is never dated in the future nor before the certificate it inspects was issued, and only while
the certificate was in force; a corrective action's deadline comes after the inspection; a schedule is for a later
day than today (an inspection that takes place today is recorded, not scheduled).

Notices (`InspectionNotice`, unique per inspection and kind): scheduled (to the subject's representatives),
revocation proposed (to whoever may revoke the certificate: the ministry's office for a central level's, the
provincial office otherwise), both when the service acts; corrective action due within
`CORRECTIVE_DUE_DAYS` days and overdue (to the representatives; overdue also to the officer who recorded it), found
by the daily job (`inspection_notices_run`, Celery beat and `manage.py inspection_notices`). Each notice is
inserted once, then claimed and told once, as the expiry notices are (notices.py): running the job twice, or
concurrently, tells nobody twice.
"""
import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluation.enums import EvaluationLevel
from ocop.enums import AuditAction, Role
from ocop.models import AdministrativeUnit, Notification, User
from ocop.rules import unit_stood_for_by
from ocop.services import (
    audit_log,
    model_changes,
    model_snapshot,
    notification_emails_queue,
    notifications_create,
    unit_in_force_check,
)
from ocop.uploads import DOCUMENT_TYPES, EXTENSIONS, stored_files_removed_on_failure, uploads_accepted
from subjects.models import SubjectRepresentative

from .enums import CorrectiveStatus, InspectionFileKind, InspectionNoticeKind, InspectionVerdict, RevocationGround
from .models import (
    CHECK_AREAS,
    FIRST_PLAN_YEAR,
    Certificate,
    Inspection,
    InspectionFile,
    InspectionNotice,
    InspectionPlan,
)

logger = logging.getLogger(__name__)

CORRECTIVE_DUE_DAYS = 7  # "due soon": the deadline falls within this many days
# An overdue action first seen later than this after its deadline (an old register, a job that did not run for
# months) is not told about: the officers' home page shows it.
OVERDUE_LOOKBACK_DAYS = 30
MAX_FILES = 10  # files sent at once
NOTIFICATION_KINDS = {
    InspectionNoticeKind.SCHEDULED: "certificates.inspection_scheduled",
    InspectionNoticeKind.CORRECTIVE: "certificates.corrective_required",
    InspectionNoticeKind.DUE_SOON: "certificates.corrective_due",
    InspectionNoticeKind.OVERDUE: "certificates.corrective_overdue",
    InspectionNoticeKind.REVOCATION: "certificates.revocation_proposed",
}


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _actor(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------

PLAN_FIELDS = ["unit", "year", "title", "notes"]


def inspection_plan_save(*, plan: InspectionPlan | None = None, unit: AdministrativeUnit, year: int, title: str,
                         notes: str = "", by: User | None) -> InspectionPlan:
    """Create a unit's inspection plan for a year (no `plan`) or change one.

    Refused: a year before the programme or after next year; a unit that does not exist during the year (naming
    the unit that stood for it); a title the unit already uses that year; a new unit or year for a plan that holds
    inspections (they were placed in it for its unit and year). Side effects: saves it (full_clean first);
    audited (creation, or the values changed).
    """
    title, notes = (title or "").strip(), (notes or "").strip()
    today = timezone.localdate()
    if year is None or year < FIRST_PLAN_YEAR or year > today.year + 1:
        raise ValidationError({"year": _("Plan a year from %(first)s to %(last)s.") % {
            "first": FIRST_PLAN_YEAR, "last": today.year + 1}})
    unit_in_force_check(unit=unit, on=datetime.date(year, 1, 1), until=datetime.date(year, 12, 31), field="unit")
    with transaction.atomic():
        creating = plan is None
        if creating:
            plan = InspectionPlan(created_by=_actor(by))
            before = {}
        else:
            plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
            before = model_snapshot(plan, PLAN_FIELDS)
            if (plan.unit_id, plan.year) != (unit.pk, year) and plan.inspections.exists():
                raise ValidationError(_("This plan holds inspections: its unit and year can no longer change."))
        plan.unit, plan.year, plan.title, plan.notes = unit, year, title, notes
        plan.full_clean(exclude=["created_by"])
        plan.save()
        if creating:
            audit_log(actor=by, obj=plan, action=AuditAction.CREATE)
        else:
            changes = model_changes(before, plan, PLAN_FIELDS)
            if changes:
                audit_log(actor=by, obj=plan, action=AuditAction.UPDATE, changes=changes)
    return plan


# ---------------------------------------------------------------------------------------------
# Scheduling and recording an inspection
# ---------------------------------------------------------------------------------------------


def _check_plan(plan: InspectionPlan | None, certificate: Certificate, day: datetime.date, field: str) -> None:
    """A plan takes the inspections of its year of the products of its unit (or of the units it took over)."""
    if plan is None:
        return
    if plan.year != day.year:
        raise ValidationError({field: _("The plan is for %(year)s: an inspection on %(date)s belongs to a plan of "
                                        "its own year.") % {"year": plan.year, "date": _day(day)}})
    if not unit_stood_for_by(certificate.subject.commune, plan.unit):
        raise ValidationError({"plan": _("%(subject)s is not in %(unit)s: the plan does not cover its products.") % {
            "subject": certificate.subject, "unit": plan.unit}})


def _fresh(certificate: Certificate) -> Certificate:
    """The certificate as recorded now (a page's copy may predate its revocation or replacement)."""
    return Certificate.objects.select_related("subject__commune", "product").get(pk=certificate.pk)


def _check_in_force(certificate: Certificate, day: datetime.date, field: str) -> None:
    """The certificate was in force on `day`: issued by then, not revoked, replaced or ended."""
    values = {"number": certificate.number, "date": _day(day)}
    if day < certificate.issued_on:
        raise ValidationError({field: _("Certificate %(number)s was issued on %(issued)s: an inspection cannot come "
                                        "before it.") % {**values, "issued": _day(certificate.issued_on)}})
    if certificate.revoked_on and certificate.revoked_on <= day:
        raise ValidationError({field: _("Certificate %(number)s was revoked on %(revoked)s: there is no recognition "
                                        "left to inspect on %(date)s.") % {
            **values, "revoked": _day(certificate.revoked_on)}})
    if certificate.superseded_on and certificate.superseded_on <= day:
        raise ValidationError({field: _("Certificate %(number)s was replaced on %(superseded)s: inspect the "
                                        "product under its new certificate.") % {
            **values, "superseded": _day(certificate.superseded_on)}})
    if certificate.valid_until < day:
        raise ValidationError({field: _("Certificate %(number)s ended on %(until)s: it was no longer in force on "
                                        "%(date)s.") % {**values, "until": _day(certificate.valid_until)}})


def inspection_schedule(*, certificate: Certificate, planned_on: datetime.date, inspectors: str = "",
                        plan: InspectionPlan | None = None, by: User | None) -> Inspection:
    """Schedule an inspection of a certified product on a later day (its result is recorded on the day).

    Refused: a day that is not after today; a certificate not in force today or ending before the day; a plan of
    another year or unit. Side effects: creates it; audited; its subject's representatives are told (once, in the
    application and by email).
    """
    today = timezone.localdate()
    certificate = _fresh(certificate)
    if planned_on is None or planned_on <= today:
        raise ValidationError({"planned_on": _("Schedule an inspection for a day after today; one that takes place "
                                               "today is recorded with its result.")})
    _check_in_force(certificate, today, "planned_on")
    if certificate.valid_until < planned_on:
        raise ValidationError({"planned_on": _("Certificate %(number)s ends on %(until)s, before the day planned.") % {
            "number": certificate.number, "until": _day(certificate.valid_until)}})
    _check_plan(plan, certificate, planned_on, "planned_on")
    with transaction.atomic():
        inspection = Inspection(certificate=certificate, plan=plan, planned_on=planned_on,
                                inspectors=(inspectors or "").strip(), created_by=_actor(by))
        inspection.full_clean(exclude=["created_by"])
        inspection.save()
        audit_log(actor=by, obj=inspection, action=AuditAction.CREATE,
                  message=_("Scheduled for %(date)s") % {"date": _day(planned_on)})
        _tell_now(inspection, InspectionNoticeKind.SCHEDULED)
    return inspection


def _check_result(*, certificate: Certificate, inspected_on, inspectors: str, checks: dict, findings: str,
                  verdict: str, corrective_action: str, corrective_deadline, proposed_ground: str) -> None:
    """The rules of a recorded result, every refusal under the field it concerns."""
    today = timezone.localdate()
    if inspected_on is None:
        raise ValidationError({"inspected_on": _("Give the day the inspection took place.")})
    if inspected_on > today:
        raise ValidationError({"inspected_on": _("An inspection cannot be recorded before it takes place (%(date)s); "
                                                 "schedule it instead.") % {"date": _day(inspected_on)}})
    _check_in_force(certificate, inspected_on, "inspected_on")
    errors = {}
    if not inspectors:
        errors["inspectors"] = _("Name the inspectors.")
    if all(ok is None for ok, _notes in checks.values()):
        errors["__all__"] = _("Say what was checked: at least one area conforms or does not.")
    if verdict not in InspectionVerdict.values:
        errors["verdict"] = _("Choose the verdict.")
    elif verdict == InspectionVerdict.COMPLIANT:
        wanting = [str(label) for area, label in CHECK_AREAS if checks.get(area, (None, ""))[0] is False]
        if wanting:
            errors["verdict"] = _("Not compliant: %(areas)s did not conform.") % {"areas": ", ".join(wanting)}
    elif not findings:
        errors["findings"] = _("State what the inspection found.")
    if verdict == InspectionVerdict.CORRECTIVE:
        if not corrective_action:
            errors["corrective_action"] = _("Say what the subject must correct.")
        if corrective_deadline is None:
            errors["corrective_deadline"] = _("Give the deadline of the corrective action.")
        elif corrective_deadline <= inspected_on:
            errors["corrective_deadline"] = _("The deadline comes after the inspection (%(date)s).") % {
                "date": _day(inspected_on)}
    if verdict == InspectionVerdict.REVOCATION and proposed_ground not in RevocationGround.values:
        errors["proposed_ground"] = _("Choose the ground on which the revocation is proposed.")
    if errors:
        raise ValidationError(errors)


def inspection_record(*, certificate: Certificate | None = None, inspection: Inspection | None = None,
                      plan: InspectionPlan | None = None, inspected_on: datetime.date, inspectors: str,
                      checks: dict[str, tuple[bool | None, str]], findings: str = "", verdict: str,
                      corrective_action: str = "", corrective_deadline: datetime.date | None = None,
                      proposed_ground: str = "", files=(), by: User | None) -> Inspection:
    """Record an inspection that took place: a new one of `certificate`, or the result of a scheduled `inspection`.

    `checks` gives each area of CHECK_AREAS as (conforms: True, False or None when not checked, notes). Refused
    (ValidationError naming the field): a day in the future, before the certificate's issue or when it was no
    longer in force; nothing checked; a compliant verdict with an area that did not conform; other verdicts without
    findings; a corrective action without what to correct or a deadline after the day; a proposed revocation
    without its ground; a plan of another year or unit; a refused file (none is stored). A scheduled inspection keeps
    its plan when `plan` is None. Side effects: saves it
    (a corrective action opens awaiting the subject's evidence); stores the files of the findings; audited; a
    proposed revocation is told to whoever may revoke the certificate (once, in the application and by email).
    """
    certificate = _fresh(inspection.certificate if inspection is not None else certificate)
    if inspection is not None and plan is None:
        # A scheduled inspection keeps its plan unless another is chosen: an empty choice may only mean that the
        # recording officer's form did not offer it (a commune's officer and the province's plan).
        plan = Inspection.objects.select_related("plan__unit").get(pk=inspection.pk).plan
    findings, corrective_action = (findings or "").strip(), (corrective_action or "").strip()
    inspectors = (inspectors or "").strip()
    checks = {area: (checks.get(area, (None, ""))[0], (checks.get(area, (None, ""))[1] or "").strip())
              for area, _label in CHECK_AREAS}
    if verdict != InspectionVerdict.CORRECTIVE:
        corrective_action, corrective_deadline = "", None
    if verdict != InspectionVerdict.REVOCATION:
        proposed_ground = ""
    _check_result(certificate=certificate, inspected_on=inspected_on, inspectors=inspectors, checks=checks,
                  findings=findings, verdict=verdict, corrective_action=corrective_action,
                  corrective_deadline=corrective_deadline, proposed_ground=proposed_ground)
    _check_plan(plan, certificate, inspected_on, "inspected_on")
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Send at most %(count)s files at a time.") % {"count": MAX_FILES}})
    accepted = uploads_accepted(files, DOCUMENT_TYPES) if files else []
    with stored_files_removed_on_failure() as stored, transaction.atomic():
        if inspection is not None:
            inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
            if inspection.is_recorded:
                raise ValidationError(_("The result of this inspection is already recorded."))
        else:
            inspection = Inspection(certificate=certificate, created_by=_actor(by))
        if verdict == InspectionVerdict.REVOCATION and Certificate.objects.filter(
                pk=certificate.pk, revoked_on__isnull=False).exists():
            raise ValidationError({"verdict": _("The certificate is already revoked.")})
        scheduled = inspection.pk is not None
        inspection.plan = plan
        inspection.inspected_on, inspection.inspectors, inspection.findings = inspected_on, inspectors, findings
        for area, (ok, notes) in checks.items():
            setattr(inspection, f"{area}_ok", ok)
            setattr(inspection, f"{area}_notes", notes)
        inspection.verdict, inspection.proposed_ground = verdict, proposed_ground
        inspection.corrective_action, inspection.corrective_deadline = corrective_action, corrective_deadline
        inspection.corrective_status = CorrectiveStatus.OPEN if verdict == InspectionVerdict.CORRECTIVE else ""
        inspection.recorded_by, inspection.recorded_at = _actor(by), timezone.now()
        inspection.full_clean(exclude=["created_by", "recorded_by", "closed_by"])
        inspection.save()
        _store_files(inspection, accepted, InspectionFileKind.FINDING, note="", by=by, stored=stored)
        audit_log(actor=by, obj=inspection, action=AuditAction.TRANSITION if scheduled else AuditAction.CREATE,
                  message=_result_message(inspection, len(accepted)))
        if verdict == InspectionVerdict.REVOCATION:
            _tell_now(inspection, InspectionNoticeKind.REVOCATION)
        elif verdict == InspectionVerdict.CORRECTIVE:
            _tell_now(inspection, InspectionNoticeKind.CORRECTIVE)
    return inspection


def _result_message(inspection: Inspection, files: int) -> str:
    message = _("Inspected on %(date)s: %(verdict)s") % {
        "date": _day(inspection.inspected_on), "verdict": inspection.get_verdict_display()}
    if inspection.verdict == InspectionVerdict.CORRECTIVE:
        message += " " + _("(deadline %(date)s)") % {"date": _day(inspection.corrective_deadline)}
    if inspection.verdict == InspectionVerdict.REVOCATION:
        message += " (" + inspection.get_proposed_ground_display() + ")"
    if files:
        message += "; " + _("%(count)s file(s) of the findings") % {"count": files}
    return message


def _store_files(inspection, accepted, kind, *, note: str, by, stored: list) -> list[InspectionFile]:
    records = []
    for uploaded, file_type in accepted:
        record = InspectionFile(inspection=inspection, kind=kind, original_name=uploaded.name[:255],
                                file_type=file_type, size=uploaded.size, note=note[:500], uploaded_by=_actor(by))
        stored.append(record.file)
        record.file.save(f"inspection.{EXTENSIONS[file_type]}", uploaded, save=False)
        record.full_clean(exclude=["uploaded_by"])
        record.save()
        records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# Corrective actions: the subject's evidence, the officer's closing
# ---------------------------------------------------------------------------------------------


def _pending_locked(inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.verdict != InspectionVerdict.CORRECTIVE:
        raise ValidationError(_("This inspection asked for no corrective action."))
    if inspection.corrective_status == CorrectiveStatus.CLOSED:
        raise ValidationError(_("The corrective action was closed on %(date)s.") % {"date": _day(inspection.closed_on)})
    return inspection


def corrective_evidence_add(*, inspection: Inspection, files, note: str = "", by: User | None) -> list[InspectionFile]:
    """The subject's evidence of its corrective action (files checked by their content; all stored or none).

    Refused: an inspection without a corrective action, or one closed; no file, or more than MAX_FILES. Side
    effects: stores the files; the action waits for an officer to close it ("evidence submitted"); audited.
    Accepted after the deadline too (the action is then late, not void).
    """
    files = list(files or [])
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Send at most %(count)s files at a time.") % {"count": MAX_FILES}})
    accepted = uploads_accepted(files, DOCUMENT_TYPES)
    note = (note or "").strip()
    with stored_files_removed_on_failure() as stored, transaction.atomic():
        inspection = _pending_locked(inspection)
        records = _store_files(inspection, accepted, InspectionFileKind.CORRECTIVE, note=note, by=by, stored=stored)
        if inspection.corrective_status != CorrectiveStatus.EVIDENCE:
            inspection.corrective_status = CorrectiveStatus.EVIDENCE
            inspection.save(update_fields=["corrective_status", "updated_at"])
        audit_log(actor=by, obj=inspection, action=AuditAction.UPDATE,
                  message=_("Evidence of the corrective action: %(names)s") % {
                      "names": ", ".join(r.original_name for r in records)} + (f" ({note})" if note else ""))
    return records


def corrective_close(*, inspection: Inspection, closed_on: datetime.date | None = None, note: str = "",
                     by: User | None) -> Inspection:
    """An officer closes a corrective action: the subject corrected what was found (with or without evidence sent
    here: the officer may have seen it on the spot, which the note says).

    Refused: no corrective action, or closed already; a day in the future, before the inspection or before the day
    the latest evidence was sent. Side effects:
    closed on the day (today when not given), by `by`; audited.
    """
    closed_on = closed_on or timezone.localdate()
    note = (note or "").strip()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A corrective action cannot be closed on a future date.")})
    with transaction.atomic():
        inspection = _pending_locked(inspection)
        if closed_on < inspection.inspected_on:
            raise ValidationError({"closed_on": _(
                "A corrective action cannot be closed before the inspection that asked for it (%(date)s).") % {
                "date": _day(inspection.inspected_on)}})
        last_evidence = inspection.files.filter(kind=InspectionFileKind.CORRECTIVE).aggregate(
            last=Max("uploaded_at"))["last"]
        if last_evidence is not None and closed_on < timezone.localdate(last_evidence):
            raise ValidationError({"closed_on": _(
                "The subject sent its latest evidence of the correction on %(date)s: the action cannot be closed "
                "before it.") % {"date": _day(timezone.localdate(last_evidence))}})
        if inspection.corrective_status == CorrectiveStatus.OPEN and not note:
            raise ValidationError({"note": _("No evidence was sent: say how the correction was verified.")})
        inspection.corrective_status, inspection.closed_on = CorrectiveStatus.CLOSED, closed_on
        inspection.closed_by, inspection.closing_note = _actor(by), note
        inspection.full_clean(exclude=["created_by", "recorded_by", "closed_by"])
        inspection.save(update_fields=["corrective_status", "closed_on", "closed_by", "closing_note", "updated_at"])
        audit_log(actor=by, obj=inspection, action=AuditAction.TRANSITION,
                  message=_("Corrective action closed on %(date)s") % {"date": _day(closed_on)}
                  + (f": {note}" if note else ""))
    return inspection


# ---------------------------------------------------------------------------------------------
# Notices: each kind once per inspection, in the application and by email
# ---------------------------------------------------------------------------------------------


def _tell_now(inspection: Inspection, kind: str) -> None:
    """Within the service's transaction: the notice of `kind` (once), told at once; the emails leave after the
    commit (notification_emails_queue through the outbox)."""
    InspectionNotice.objects.get_or_create(inspection=inspection, kind=kind)
    if inspection_notices_deliver(inspection_ids=[inspection.pk])["notifications"]:
        notification_emails_queue()


def inspection_notices_insert(*, today: datetime.date | None = None) -> int:
    """Flag what the people of open inspections must be told today and were not: a schedule still ahead, a
    corrective action due within CORRECTIVE_DUE_DAYS (from the day it enters the window) or overdue (within
    OVERDUE_LOOKBACK_DAYS of its deadline), a revocation proposed and not decided yet. An action first seen
    overdue gets the overdue notice only. Returns how many were flagged (one a concurrent run flagged first is
    skipped by the unique constraint)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=CORRECTIVE_DUE_DAYS)
    open_actions = Inspection.objects.filter(corrective_status=CorrectiveStatus.OPEN)
    wanted = {
        InspectionNoticeKind.SCHEDULED: Inspection.objects.filter(inspected_on__isnull=True, planned_on__gt=today),
        InspectionNoticeKind.DUE_SOON: open_actions.filter(corrective_deadline__gte=today,
                                                           corrective_deadline__lte=horizon),
        InspectionNoticeKind.OVERDUE: open_actions.filter(
            corrective_deadline__lt=today,
            corrective_deadline__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS)),
        InspectionNoticeKind.REVOCATION: Inspection.objects.filter(
            verdict=InspectionVerdict.REVOCATION, certificate__revoked_on__isnull=True,
            inspected_on__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS)),
    }
    rows = [InspectionNotice(inspection_id=pk, kind=kind)
            for kind, qs in wanted.items()
            for pk in qs.exclude(notices__kind=kind).order_by("pk").values_list("pk", flat=True)]
    InspectionNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def inspection_notices_deliver(*, inspection_ids: list[int] | None = None,
                               today: datetime.date | None = None) -> dict[str, int]:
    """Tell the people of every notice not told yet (of these inspections when given): one notification each,
    its email waiting. Each notice is claimed first (`told_at`, this call's time stamp), so that two runs never
    tell the same one. Returns the counts."""
    stamp = timezone.now()
    with transaction.atomic():
        untold = InspectionNotice.objects.filter(told_at__isnull=True)
        if inspection_ids is not None:
            untold = untold.filter(inspection_id__in=inspection_ids)
        claimed = untold.update(told_at=stamp)
        notices = list(InspectionNotice.objects.filter(told_at=stamp).select_related(
            "inspection__certificate__product", "inspection__certificate__subject__commune",
            "inspection__plan__unit", "inspection__recorded_by").order_by("pk")) if claimed else []
        created = []
        if notices:
            recipients = _recipients(notices)
            reps = recipients.pop("reps")
            with translation.override(settings.LANGUAGE_CODE):
                created = notifications_create([_notification(notice, user_id, representative=user_id in reps)
                                                for notice in notices for user_id in recipients[notice.pk]],
                                               email=True)
    return {"told": len(notices), "notifications": len(created)}


def inspection_notices_run(today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: flag, tell, then queue the emails. Returns the counts."""
    today = today or timezone.localdate()
    counts = {"notices": inspection_notices_insert(today=today), **inspection_notices_deliver(today=today)}
    counts["emails_queued"] = notification_emails_queue(committed=True)
    logger.info("inspection_notices day=%s %s", today.isoformat(), " ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _recipients(notices: list[InspectionNotice]) -> dict:
    """{notice pk: user ids, "reps": the representatives among them}: the subject's active representatives; for an
    overdue action also the officer who recorded it; for a proposed revocation also whoever may revoke the
    certificate: the ministry's office for a central level's, otherwise the provincial office of the subject's area
    (through merges: Thái Nguyên's for a subject of former Bắc Kạn)."""
    subject_ids = {n.inspection.certificate.subject_id for n in notices}
    representatives = defaultdict(list)
    for subject_id, user_id in SubjectRepresentative.objects.filter(
            subject_id__in=subject_ids, user__is_active=True).values_list("subject_id", "user_id"):
        representatives[subject_id].append(user_id)
    offices, ministry = [], []
    if any(n.kind == InspectionNoticeKind.REVOCATION for n in notices):
        # Whoever may revoke the certificate (rules.at_issuing_level): the ministry's office for the central level's;
        # otherwise the offices of provinces that exist today (a former province's accounts keep its records, not
        # its duties).
        today = timezone.localdate()
        offices = list(User.objects.filter(is_active=True, role=Role.PROVINCE_STAFF, unit__isnull=False)
                       .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today)).select_related("unit"))
        ministry = list(User.objects.filter(is_active=True, role=Role.MINISTRY_STAFF, unit__isnull=False)
                        .values_list("pk", flat=True))
    found = {}
    for notice in notices:
        certificate = notice.inspection.certificate
        users = list(representatives.get(certificate.subject_id, []))
        if notice.kind == InspectionNoticeKind.REVOCATION:
            if certificate.level == EvaluationLevel.CENTRAL:
                users += list(ministry)
            else:
                users += [u.pk for u in offices if unit_stood_for_by(certificate.subject.commune, u.unit)]
        else:
            recorder = notice.inspection.recorded_by
            if notice.kind == InspectionNoticeKind.OVERDUE and recorder is not None and recorder.is_active:
                users.append(recorder.pk)
        found[notice.pk] = list(dict.fromkeys(users))
    found["reps"] = {user_id for ids in representatives.values() for user_id in ids}
    return found


def _notification(notice: InspectionNotice, user_id: int, *, representative: bool = False) -> Notification:
    inspection = notice.inspection
    certificate = inspection.certificate
    values = {"product": certificate.product.name, "number": certificate.number, "subject": certificate.subject.name}
    if notice.kind == InspectionNoticeKind.SCHEDULED:
        values["date"] = date_format(inspection.planned_on, "SHORT_DATE_FORMAT")
        title = _("An inspection of %(product)s is planned on %(date)s") % values
        lines = [_("An inspection after recognition of %(product)s (certificate %(number)s) is planned on %(date)s.")
                 % values]
        if inspection.inspectors:
            lines.append(_("Inspectors: %(names)s") % {"names": inspection.inspectors})
        lines.append(_("Have the product, its labels, its test results and its traceability records ready."))
    elif notice.kind == InspectionNoticeKind.REVOCATION:
        values["ground"] = inspection.get_proposed_ground_display()
        values["date"] = date_format(inspection.inspected_on, "SHORT_DATE_FORMAT")
        title = _("Revocation of certificate %(number)s proposed (%(product)s)") % values
        lines = [_("The inspection of %(date)s of %(product)s (%(subject)s) proposes revoking certificate "
                   "%(number)s: %(ground)s.") % values, "", inspection.findings, "",
                 _("The authority that issued the certificate decides; its decision will be published on the "
                   "verification page.") if representative else
                 _("The inspection's page opens the revocation form, filled in with the ground and the inspection.")]
    elif notice.kind == InspectionNoticeKind.CORRECTIVE:
        values["date"] = date_format(inspection.corrective_deadline, "SHORT_DATE_FORMAT")
        title = _("Corrective action required for %(product)s by %(date)s") % values
        lines = [_("The inspection of %(product)s (certificate %(number)s) asks for this corrective action by "
                   "%(date)s:") % values, "", inspection.corrective_action, "",
                 _("Send the evidence of the correction from the inspection's page.")]
    else:
        values["date"] = date_format(inspection.corrective_deadline, "SHORT_DATE_FORMAT")
        if notice.kind == InspectionNoticeKind.DUE_SOON:
            title = _("Corrective action for %(product)s due on %(date)s") % values
        else:
            title = _("Corrective action for %(product)s overdue since %(date)s") % values
        lines = [_("The inspection of %(product)s (certificate %(number)s) asked for this corrective action by "
                   "%(date)s:") % values, "", inspection.corrective_action, "",
                 _("Send the evidence of the correction from the inspection's page.")]
    return Notification(recipient_id=user_id, kind=NOTIFICATION_KINDS[notice.kind], title=title[:255],
                        body="\n".join(lines), url=inspection.get_absolute_url(),
                        target_type=ContentType.objects.get_for_model(Inspection), target_id=inspection.pk)
