"""Writes shared by every app: the audit trail, the administrative unit import, programme cycles and
notifications."""
import csv
import datetime
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .enums import ALLOWED_PARENT_LEVELS, AuditAction, CycleStep, NotificationEmail, UnitKind, UnitLevel
from .models import AdministrativeUnit, AuditEntry, Cycle, CycleStepPlan, Notification, Round, User
from .outbox import outbox_enqueue_many, outbox_hand_over
from .registry import RoundPlacement, rounds_place
from .selectors import rounds_overlapping, unit_successor

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Audit trail
# ---------------------------------------------------------------------------------------------


def audit_log(*, actor: User | None, obj, action: str, message: str = "", changes: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` to `obj`. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        message=str(message)[:500],
        changes=changes or {},
    )


def model_changes(before: dict, instance, fields: list[str]) -> dict:
    """The fields whose value differs from `before`, as {field: [old, new]} in printable form. A foreign key given
    by its column (`commune_id`) is recorded under the field's name with the records' names, as people know them
    (one query for the former record)."""
    changed = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if old != new:
            relation = _foreign_key_of_column(type(instance), name)
            if relation is None:
                changed[name] = [_printable(old), _printable(new)]
                continue
            former = relation.related_model._base_manager.filter(pk=old).first() if old is not None else None
            changed[relation.name] = [_printable(former), _printable(getattr(instance, relation.name))]
    return changed


def _foreign_key_of_column(model, name: str):
    """The foreign key whose column is `name` (`commune_id` is the column of `commune`), if any."""
    field = next((f for f in model._meta.concrete_fields if f.attname == name and f.attname != f.name), None)
    return field if field is not None and field.many_to_one else None


def model_snapshot(instance, fields: list[str]) -> dict:
    return {name: getattr(instance, name) for name in fields}


def _printable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Administrative units: CSV import
# ---------------------------------------------------------------------------------------------

UNIT_CSV_COLUMNS = ["code", "name", "kind", "parent_code", "valid_from", "valid_to", "merged_into_code"]
UNIT_FIELDS = ["name", "kind", "valid_from", "valid_to", "parent_id"]
_KIND_ALIASES = {
    "tỉnh": UnitKind.PROVINCE, "thành phố trực thuộc trung ương": UnitKind.CENTRAL_CITY,
    "huyện": UnitKind.DISTRICT, "quận": UnitKind.URBAN_DISTRICT, "thị xã": UnitKind.TOWN,
    "thành phố": UnitKind.PROVINCIAL_CITY, "thành phố thuộc tỉnh": UnitKind.PROVINCIAL_CITY,
    "xã": UnitKind.COMMUNE, "phường": UnitKind.WARD, "thị trấn": UnitKind.TOWNSHIP, "đặc khu": UnitKind.SPECIAL_ZONE,
}


class RowError(str):
    """An error message that remembers the line it belongs to."""

    line: int = 0

    @classmethod
    def at(cls, line: int, problems: list[str]) -> "RowError":
        error = cls(_("Line %(line)s: %(problems)s") % {"line": line, "problems": "; ".join(problems)})
        error.line = line
        return error


@dataclass
class UnitImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> datetime.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def units_import_csv(*, text: str, by: User | None = None) -> UnitImportResult:
    """Import administrative units from CSV text, all or nothing.

    Columns: code, name, kind, parent_code, valid_from, valid_to, merged_into_code. A kind is an
    English key (province, district, commune, ward, ...) or its Vietnamese name (Tỉnh, Huyện, Xã, ...);
    dates are dd/mm/yyyy or yyyy-mm-dd. A code already in the database is updated (and left alone when
    nothing differs, so a second import of the same file writes nothing). Every bad row is reported
    with its line number and nothing is written when any row is bad.
    Side effects: creates or updates units and writes one audit entry per unit created or changed.
    """
    result = UnitImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in UNIT_CSV_COLUMNS[:3] if c not in header]
    if missing:
        result.errors.append(RowError.at(1, [_("missing columns: %(cols)s") % {"cols": ", ".join(missing)}]))
        return result

    rows: dict[str, dict] = {}
    for line_no, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        code, name, kind_text = row.get("code", ""), row.get("name", ""), row.get("kind", "")
        problems = []
        if not code:
            problems.append(_("the code is empty"))
        elif not code.isalnum():
            problems.append(_("the code %(code)s may only contain letters and digits") % {"code": code})
        if not name:
            problems.append(_("the name is empty"))
        kind = kind_text if kind_text in UnitKind.values else _KIND_ALIASES.get(kind_text.lower())
        if not kind:
            problems.append(_("unknown kind “%(kind)s”") % {"kind": kind_text})
        dates = {}
        for col in ("valid_from", "valid_to"):
            try:
                dates[col] = _parse_date(row.get(col, ""))
            except ValueError:
                problems.append(_("%(col)s “%(value)s” is not a date (dd/mm/yyyy)") % {"col": col, "value": row[col]})
        if dates.get("valid_from") and dates.get("valid_to") and dates["valid_to"] < dates["valid_from"]:
            problems.append(_("valid_to is before valid_from"))
        if code and code in rows:
            problems.append(_("the code %(code)s is repeated (first on line %(line)s)") % {
                "code": code, "line": rows[code]["line"]})
        if problems:
            result.errors.append(RowError.at(line_no, problems))
            continue
        rows[code] = {
            "line": line_no, "code": code, "name": name, "kind": kind,
            "parent_code": row.get("parent_code", ""), "merged_into_code": row.get("merged_into_code", ""),
            **dates,
        }

    existing = {u.code: u for u in AdministrativeUnit.objects.filter(
        code__in={c for r in rows.values() for c in (r["code"], r["parent_code"], r["merged_into_code"]) if c})}

    def level_of(code):
        if code in rows:
            return UnitKind.level_of(rows[code]["kind"])
        return existing[code].level if code in existing else None

    for row in rows.values():
        problems = []
        level = UnitKind.level_of(row["kind"])
        parent_code = row["parent_code"]
        if parent_code:
            parent_level = level_of(parent_code)
            if parent_level is None:
                problems.append(_("unknown parent unit %(code)s") % {"code": parent_code})
            elif parent_level not in ALLOWED_PARENT_LEVELS[level]:
                problems.append(_("a %(kind)s cannot be placed under %(parent)s") % {
                    "kind": UnitKind(row["kind"]).label.lower(), "parent": parent_code})
            elif parent_code == row["code"]:
                problems.append(_("a unit cannot be its own parent"))
        elif level not in (UnitLevel.PROVINCE, UnitLevel.CENTRAL):
            problems.append(_("only a province can stand without a parent unit"))
        merged = row["merged_into_code"]
        if merged and level_of(merged) is None:
            problems.append(_("unknown unit %(code)s in merged_into_code") % {"code": merged})
        if problems:
            result.errors.append(RowError.at(row["line"], problems))

    if result.errors:
        result.errors.sort(key=lambda error: error.line)
        return result

    # Parents before children: provinces, then districts, then communes.
    order = {UnitLevel.CENTRAL: 0, UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}
    with transaction.atomic():
        units = dict(existing)
        touched: dict[str, dict] = {}
        for row in sorted(rows.values(), key=lambda r: order[UnitKind.level_of(r["kind"])]):
            unit = units.get(row["code"]) or AdministrativeUnit(code=row["code"])
            is_new = unit.pk is None
            before = model_snapshot(unit, UNIT_FIELDS)
            unit.name, unit.kind = row["name"], row["kind"]
            unit.valid_from, unit.valid_to = row["valid_from"], row["valid_to"]
            unit.parent = units[row["parent_code"]] if row["parent_code"] else None
            changes = model_changes(before, unit, UNIT_FIELDS)
            units[unit.code] = unit
            if is_new or changes:
                unit.save()
                touched[unit.code] = changes
        for row in rows.values():
            unit = units[row["code"]]
            merged_into = units.get(row["merged_into_code"]) if row["merged_into_code"] else None
            if unit.merged_into_id != (merged_into.pk if merged_into else None):
                touched.setdefault(unit.code, {})["merged_into"] = [unit.merged_into_id, merged_into and merged_into.pk]
                unit.merged_into = merged_into
                unit.save(update_fields=["merged_into"])
        for code, changes in touched.items():
            if code in existing:
                result.updated += 1
                audit_log(actor=by, obj=units[code], action=AuditAction.UPDATE, message=_("Imported from CSV"),
                          changes=changes)
            else:
                result.created += 1
                audit_log(actor=by, obj=units[code], action=AuditAction.IMPORT, message=_("Imported from CSV"))
        result.unchanged = len(rows) - len(touched)
    return result


# ---------------------------------------------------------------------------------------------
# Administrative units: a record made on a day takes the units that exist on that day
# ---------------------------------------------------------------------------------------------


def unit_ended_message(unit: AdministrativeUnit, *, on: datetime.date, until: datetime.date | None = None,
                       issuing: bool = False) -> str | None:
    """Why `unit` cannot be the unit of a record made on `on`, naming the unit that stands for it then; None when
    it exists on that day.

    A unit that ended before `on` is refused with its successor (`unit_successor`) named, or with the fact that
    none is recorded; a unit that begins after `on` is refused too. `issuing` words it for a unit the record
    inherits rather than chooses (the authority that signs a decision or a certificate).
    """
    if until is not None and until > on:
        # A record of a span of days (a past cycle's: Cycle.record_span) may take a unit of any of them.
        if unit.exists_during(on, until):
            return None
    if unit.is_valid_on(on):
        return None
    day = on.strftime("%d/%m/%Y")
    if unit.valid_to is None or on <= unit.valid_to:
        if until is not None and until > on:
            return _("%(unit)s only exists from %(date)s; choose a unit that exists between %(day)s and "
                     "%(until)s.") % {"unit": unit, "date": unit.valid_from.strftime("%d/%m/%Y"), "day": day,
                                      "until": until.strftime("%d/%m/%Y")}
        return _("%(unit)s only exists from %(date)s; choose a unit that exists on %(day)s.") % {
            "unit": unit, "date": unit.valid_from.strftime("%d/%m/%Y"), "day": day}
    successor = unit_successor(unit, on=on)
    ended = (unit.valid_to + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    values = {"unit": unit, "successor": successor, "date": ended, "day": day}
    if issuing:
        if successor is not None:
            return _("The issuing authority, %(unit)s, was merged into %(successor)s on %(date)s: what is signed "
                     "from that day is issued by %(successor)s.") % values
        return _("The issuing authority, %(unit)s, no longer exists from %(date)s: it cannot issue what is "
                 "signed on %(day)s.") % values
    if successor is not None:
        return _("%(unit)s was merged into %(successor)s on %(date)s; choose %(successor)s.") % values
    return _("%(unit)s no longer exists from %(date)s and no unit is recorded as its successor; choose a unit "
             "that exists on %(day)s.") % values


def unit_in_force_check(*, unit: AdministrativeUnit | None, on: datetime.date, field: str,
                        until: datetime.date | None = None, issuing: bool = False) -> None:
    """Refuses, under `field`, a unit that does not exist on the day of the record (see `unit_ended_message`).

    The services that make dated records call it (cycles, councils, product ideas, decisions, certificates),
    so that a form, an import and any other caller meet the same rule.
    """
    message = unit_ended_message(unit, on=on, until=until, issuing=issuing) if unit is not None else None
    if message:
        raise ValidationError({field: message}, code="unit_ended")


# ---------------------------------------------------------------------------------------------
# Programme cycles
# ---------------------------------------------------------------------------------------------


def cycle_create(*, province: AdministrativeUnit, year: int, name: str, plan_reference: str = "",
                 step_dates: dict[int, tuple] | None = None, by: User | None) -> Cycle:
    """Open a province's cycle for a year with its six steps.

    Refused: a province that no longer exists on the cycle's day (`Cycle.record_day`: a 2026 cycle of Bắc Kạn
    names Thái Nguyên instead). Side effects: creates the cycle and six step plans; writes an audit entry.
    """
    with transaction.atomic():
        cycle = Cycle(province=province, year=year, name=name, plan_reference=plan_reference)
        if isinstance(year, int) and datetime.MINYEAR <= year <= datetime.MAXYEAR:  # else full_clean refuses it
            unit_in_force_check(unit=province, on=cycle.record_day(), until=cycle.record_span()[1], field="province")
        cycle.full_clean()
        cycle.save()
        step_dates = step_dates or {}
        CycleStepPlan.objects.bulk_create([
            CycleStepPlan(cycle=cycle, step=step, planned_start=step_dates.get(step, (None, None))[0],
                          planned_end=step_dates.get(step, (None, None))[1])
            for step in CycleStep.values
        ])
        audit_log(actor=by, obj=cycle, action=AuditAction.CREATE)
    return cycle


def cycle_set_current_step(*, cycle: Cycle, step: int, by: User | None) -> Cycle:
    """Move the cycle to another step. Side effects: saves the cycle; writes an audit entry."""
    if step not in CycleStep.values:
        raise ValidationError({"current_step": _("Unknown step.")})
    with transaction.atomic():
        old = cycle.current_step
        if old == step:
            return cycle
        cycle.current_step = step
        cycle.save(update_fields=["current_step"])
        audit_log(actor=by, obj=cycle, action=AuditAction.TRANSITION,
                  message=_("Current step: %(old)s → %(new)s") % {"old": old, "new": step},
                  changes={"current_step": [old, step]})
    return cycle


CYCLE_FIELDS = ["name", "plan_reference"]


def cycle_update(*, cycle: Cycle, data: dict, by: User | None) -> Cycle:
    """Change a cycle's name or plan document. Side effects: saves; writes an audit entry."""
    with transaction.atomic():
        before = model_snapshot(cycle, CYCLE_FIELDS)
        for name in CYCLE_FIELDS:
            if name in data:
                setattr(cycle, name, data[name])
        cycle.full_clean()
        cycle.save()
        changes = model_changes(before, cycle, CYCLE_FIELDS)
        if changes:
            audit_log(actor=by, obj=cycle, action=AuditAction.UPDATE, changes=changes)
    return cycle


def step_plan_update(*, plan: CycleStepPlan, planned_start, planned_end, note: str, by: User | None) -> CycleStepPlan:
    """Set a step's planned dates. Side effects: saves; writes an audit entry on the cycle."""
    with transaction.atomic():
        # The values as recorded: a model form has already set the new ones on the instance it was given.
        before = model_snapshot(CycleStepPlan.objects.select_for_update().get(pk=plan.pk),
                                ["planned_start", "planned_end", "note"])
        plan.planned_start, plan.planned_end, plan.note = planned_start, planned_end, note
        plan.full_clean()
        plan.save()
        changes = model_changes(before, plan, ["planned_start", "planned_end", "note"])
        if changes:
            audit_log(actor=by, obj=plan.cycle, action=AuditAction.UPDATE,
                      message=str(plan), changes=changes)
    return plan


# ---------------------------------------------------------------------------------------------
# A cycle's evaluation rounds (at least two a year under 1489/QĐ-TTg and 26/2026/QĐ-TTg: ocop/rounds.py)
# ---------------------------------------------------------------------------------------------
ROUND_FIELDS = ["number", "name", "starts_on", "ends_on"]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _round_span(round_: Round) -> str:
    return "%s – %s" % (_day(round_.starts_on) if round_.starts_on else "…",
                        _day(round_.ends_on) if round_.ends_on else "…")


def _round_check(round_: Round) -> None:
    """Refuses a round without both days, a day outside the cycle's year, a closing day not after the opening
    day, a number the cycle already gives another round, and days shared with another round of the cycle."""
    cycle, errors = round_.cycle, {}
    if round_.starts_on is None:
        errors["starts_on"] = _("Enter the day the round opens.")
    if round_.ends_on is None:
        errors["ends_on"] = _("Enter the day the round closes.")
    for name, day in (("starts_on", round_.starts_on), ("ends_on", round_.ends_on)):
        if day is not None and day.year != cycle.year:
            errors[name] = _("The day must fall in %(year)s, the cycle's year.") % {"year": cycle.year}
    if not errors and round_.ends_on <= round_.starts_on:
        errors["ends_on"] = _("The round must close after the day it opens (%(date)s).") % {
            "date": _day(round_.starts_on)}
    if isinstance(round_.number, int) and cycle.rounds.filter(number=round_.number).exclude(pk=round_.pk).exists():
        errors["number"] = _("The cycle already has a round number %(number)s.") % {"number": round_.number}
    if errors:
        raise ValidationError(errors)
    other = rounds_overlapping(cycle=cycle, starts_on=round_.starts_on, ends_on=round_.ends_on,
                               exclude=round_ if round_.pk else None).first()
    if other is not None:
        raise ValidationError(_("These days overlap %(round)s (%(span)s): the rounds of a cycle cannot share a "
                                "day.") % {"round": other, "span": _round_span(other)}, code="overlap")


def round_create(*, cycle: Cycle, number: int, name: str, starts_on: datetime.date, ends_on: datetime.date,
                 by: User | None) -> Round:
    """Add an evaluation round to a cycle; the sessions of the cycle held on its days, in no round until then, go
    to it (`ocop.registry.rounds_place`).

    Refused (see `_round_check`): a missing day, a day outside the cycle's year, a closing day not after the
    opening day, a number already used in the cycle, days shared with another round. Side effects: saves the
    round; places the sessions; writes an audit entry on the cycle. The round returned carries the
    RoundPlacement as `placement`.
    """
    with transaction.atomic():
        round_ = Round(cycle=cycle, number=number, name=(name or "").strip(), starts_on=starts_on, ends_on=ends_on)
        _round_check(round_)
        round_.full_clean()
        round_.save()
        audit_log(actor=by, obj=cycle, action=AuditAction.UPDATE,
                  message=_("Round added: %(round)s (%(span)s)") % {"round": round_, "span": _round_span(round_)})
        round_.placement = rounds_place(cycle, by=by)
    return round_


def round_update(*, round_: Round, number: int, name: str, starts_on: datetime.date, ends_on: datetime.date,
                 by: User | None) -> Round:
    """Change a round's number, name or days; with new days it takes the cycle's sessions now held within them
    and lets go of those now outside them, which go to the round holding their date or to none
    (`ocop.registry.rounds_place`).

    Refused as `round_create` is. Side effects: saves; places the sessions; writes an audit entry on the cycle
    with what changed. The round returned carries the RoundPlacement as `placement`.
    """
    with transaction.atomic():
        before = model_snapshot(round_, ROUND_FIELDS)
        round_.number, round_.name, round_.starts_on, round_.ends_on = number, (name or "").strip(), starts_on, ends_on
        try:
            _round_check(round_)
            round_.full_clean()
        except ValidationError:
            for attr, value in before.items():  # the page shows the round as it still is
                setattr(round_, attr, value)
            raise
        round_.save()
        changes = model_changes(before, round_, ROUND_FIELDS)
        if changes:
            audit_log(actor=by, obj=round_.cycle, action=AuditAction.UPDATE,
                      message=_("Round changed: %(round)s (%(span)s)") % {
                          "round": round_, "span": _round_span(round_)}, changes=changes)
        round_.placement = rounds_place(round_.cycle, by=by)
    return round_


def round_delete(*, round_: Round, by: User | None) -> RoundPlacement:
    """Delete a round. Its sessions stay, in no round (the rounds of a cycle do not overlap): a round created
    again on their days takes them back. Returns the RoundPlacement (what the round let go).

    Side effects: releases the round's sessions (`ocop.registry.rounds_place`); deletes the round; writes an audit
    entry on the cycle.
    """
    with transaction.atomic():
        cycle, text = round_.cycle, _("Round deleted: %(round)s (%(span)s)") % {
            "round": round_, "span": _round_span(round_)}
        placement = rounds_place(cycle, without=round_, by=by)
        try:
            with transaction.atomic():
                round_.delete()
        except ProtectedError as exc:  # a session placed in the round since it was read
            raise ValidationError(_("A session was just planned in %(round)s: reload the page and try again.") % {
                "round": round_}, code="has_sessions") from exc
        audit_log(actor=by, obj=cycle, action=AuditAction.DELETE, message=text)
    return placement


# ---------------------------------------------------------------------------------------------
# Notifications: in the application (the bell), and by email when asked
# ---------------------------------------------------------------------------------------------
EMAIL_BATCH = 100
EMAIL_SENDERS = 4  # sending tasks that share a large backlog of emails


def notifications_create(notifications: Iterable[Notification], *, email: bool = False) -> list[Notification]:
    """Save notifications the caller built (one per recipient, each with its own text), in bulk.

    With `email`, each waits for its email, which `notification_emails_send` sends once the caller's
    transaction has committed (`notify` queues it; a background job may call it itself).
    """
    rows = list(notifications)
    for notification in rows:
        notification.email_status = NotificationEmail.PENDING if email else NotificationEmail.NONE
    return Notification.objects.bulk_create(rows, batch_size=1000)


def notify(users: Iterable[User], *, kind: str, title: str, body: str = "", url: str = "", target=None,
           email: bool = False) -> list[Notification]:
    """Tell each of `users` the same thing in the application, and by email when `email`.

    Side effects: one notification per user (one query per thousand); with `email`, records the sending task in
    the outbox, handed to Celery once the transaction commits (`notification_emails_queue`).
    """
    target_type = ContentType.objects.get_for_model(type(target)) if target is not None else None
    recipients = {user.pk: user for user in users}
    created = notifications_create([
        Notification(recipient=user, kind=kind, title=str(title)[:255], body=str(body), url=url,
                     target_type=target_type, target_id=target.pk if target is not None else None)
        for user in recipients.values()], email=email)
    if email and created:
        notification_emails_queue()
    return created


@dataclass(frozen=True)
class Tell:
    """One thing to tell one person about one record (`notify_once`)."""

    recipient: User
    target: object
    title: str
    body: str = ""
    url: str = ""


def notify_once(tells: Iterable[Tell], *, kind: str, email: bool = False) -> list[Notification]:
    """Tell each person his thing, in the application and by email when `email`, leaving out whoever was told of
    this `kind` about that record already: an event is told once per person however often the code that tells it
    runs (a daily job run twice, a step retried). Two queries whatever the number (one index scan for those told).
    """
    tells = list(tells)
    if not tells:
        return []
    types = {type(tell.target): ContentType.objects.get_for_model(type(tell.target)) for tell in tells}
    told = set(Notification.objects.filter(kind=kind, target_type__in=set(types.values()),
                                           target_id__in={tell.target.pk for tell in tells})
               .values_list("recipient_id", "target_type_id", "target_id"))
    rows, seen = [], set()
    for tell in tells:
        target_type = types[type(tell.target)]
        key = (tell.recipient.pk, target_type.pk, tell.target.pk)
        if key in told or key in seen:
            continue
        seen.add(key)
        rows.append(Notification(recipient=tell.recipient, kind=kind, title=str(tell.title)[:255], body=str(tell.body),
                                 url=tell.url, target_type=target_type, target_id=tell.target.pk))
    created = notifications_create(rows, email=email)
    if email and created:
        notification_emails_queue()
    return created


def notification_emails_queue(*, committed: bool = False) -> int:
    """Queue the email task for the emails that wait; returns how many wait.

    A backlog is shared: one task per EMAIL_BATCH waiting, up to EMAIL_SENDERS, each claiming batches until
    none is left (an idle worker's task finds nothing and ends). The tasks are recorded in the outbox, in the
    caller's transaction, and handed to Celery once it commits (ocop/outbox.py; run eagerly when no broker is
    set). A caller whose transaction has committed already (the daily job) passes `committed` to hand them
    over now.
    """
    from .tasks import send_notification_emails

    waiting = Notification.objects.filter(email_status=NotificationEmail.PENDING).count()
    if waiting:
        senders = outbox_enqueue_many(send_notification_emails, [{}] * min(EMAIL_SENDERS, -(-waiting // EMAIL_BATCH)))
        if committed:
            outbox_hand_over([sender.pk for sender in senders])
    return waiting


def notification_mark_read(*, notification: Notification, by: User) -> bool:
    """Mark one of `by`'s own notifications read; False when it was read already (or is not his).

    Not audited: reading one's notifications changes nothing anyone else sees.
    """
    return bool(Notification.objects.filter(pk=notification.pk, recipient=by, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of `by` read; returns how many were unread."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


def notification_emails_send(*, batch: int = EMAIL_BATCH) -> dict[str, int]:
    """Send the emails that notifications wait for, `batch` at a time, over one mail connection.

    Each batch is claimed before it is sent: its rows are marked sent under a time stamp of this call, and
    only the rows that carry it are sent. Two workers never send the same email, and a worker killed
    half-way leaves the other batches for the next call, so an email goes out at most once (the batch in
    flight when a worker dies may be lost, never sent twice). Messages the mail server refuses wait again
    for the next call; a batch refused whole stops the call (the server is down).
    Returns {"sent", "failed", "skipped"} (skipped: recipients without an address, or inactive).
    """
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    refused: list[int] = []
    connection = mail.get_connection()
    connection.open()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            site = settings.SITE_URL.rstrip("/")
            footer = _("This message was sent automatically by the OCOP administration system; all your "
                       "notifications are at %(url)s.") % {"url": site + reverse("notification-list")}
            while True:
                ids = list(Notification.objects.filter(email_status=NotificationEmail.PENDING)
                           .order_by("pk").values_list("pk", flat=True)[:batch])
                if not ids:
                    break
                stamp = timezone.now()
                Notification.objects.filter(pk__in=ids, email_status=NotificationEmail.PENDING).update(
                    email_status=NotificationEmail.SENT, emailed_at=stamp)
                claimed = Notification.objects.filter(pk__in=ids, email_status=NotificationEmail.SENT,
                                                      emailed_at=stamp).select_related("recipient")
                skipped, refused_here, sent_here = [], [], 0
                for notification in claimed:
                    recipient = notification.recipient
                    if not recipient.email or not recipient.is_active:
                        skipped.append(notification.pk)
                        continue
                    try:
                        _notification_email(notification, connection, site=site, footer=footer).send()
                    except Exception:  # noqa: BLE001  (any transport error: keep the email for the next call)
                        logger.exception("notification_email_failed id=%s", notification.pk)
                        refused_here.append(notification.pk)
                    else:
                        sent_here += 1
                if skipped:
                    Notification.objects.filter(pk__in=skipped).update(email_status=NotificationEmail.NONE,
                                                                       emailed_at=None)
                counts["sent"] += sent_here
                counts["skipped"] += len(skipped)
                refused += refused_here
                if refused_here and not sent_here:
                    break
    finally:
        connection.close()
        if refused:
            Notification.objects.filter(pk__in=refused).update(email_status=NotificationEmail.PENDING,
                                                               emailed_at=None)
        counts["failed"] = len(refused)
    return counts


def _notification_email(notification: Notification, connection, *, site: str, footer: str) -> mail.EmailMessage:
    parts = [_("Dear %(name)s,") % {"name": notification.recipient}, "", notification.body.strip()]
    if notification.url:
        parts += ["", _("Open it in the application: %(url)s") % {"url": site + notification.url}]
    parts += ["", "-- ", footer]
    return mail.EmailMessage(subject="[OCOP] " + " ".join(notification.title.split()), body="\n".join(parts),
                             to=[notification.recipient.email], connection=connection)
