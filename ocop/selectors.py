"""Reads shared by every app: which units and records a user's scope covers; the unit that stands for another on
a date, and the address it gives; a user's notifications."""
import datetime
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from .enums import Role, UnitLevel
from .models import AdministrativeUnit, AuditEntry, Cycle, FileJob, Notification, Round
from .rules import has_area, is_system_admin
from .text import fold

logger = logging.getLogger(__name__)


def units_in_scope(user) -> QuerySet:
    """Units the user answers for: all for an administrator; for an officer his unit and the units below it, and
    the units it took over with theirs (Thái Nguyên's officers answer for former Bắc Kạn's units too)."""
    if is_system_admin(user):
        return AdministrativeUnit.objects.all()
    if has_area(user):
        return AdministrativeUnit.objects.filter(unit_scope_q(user.unit))
    return AdministrativeUnit.objects.none()


def unit_scope_q(unit: AdministrativeUnit, prefix: str = "") -> Q:
    """Units that lie in `unit` or are now stood for by it or a unit below it (AdministrativeUnit.standing_path);
    `prefix` is the path to the unit field ("product__commune__")."""
    return Q(**{f"{prefix}path__startswith": unit.path}) | Q(**{f"{prefix}standing_path__startswith": unit.path})


def scope_q(user, unit_field: str) -> Q:
    """A filter keeping rows whose `unit_field` lies in the user's scope (nothing outside it): his unit, the units
    below it and those it took over (as `ocop.rules.unit_within_scope` decides for one record)."""
    if is_system_admin(user):
        return Q()
    if has_area(user):
        return unit_scope_q(user.unit, f"{unit_field}__")
    return Q(pk__in=[])


def province_of(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The province a unit lies in (walks at most two parents, which select_related usually holds)."""
    while unit is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


# ---------------------------------------------------------------------------------------------
# Administrative units through time
# ---------------------------------------------------------------------------------------------

# No real chain of merges runs this long (commune into commune into commune...): a longer one is a loop in the data.
MAX_SUCCESSION_HOPS = 20


class UnitTimeline:
    """Units with their parents and the units they were merged into, read in bulk, to answer for every record of a
    page or a batch with a fixed number of queries.

    Register the units (`add`; units given with their parents selected bring those along). The first question
    that needs a unit not yet known loads, for every registered unit at once, all that it reaches: its ancestors
    (by the codes of its path) and the unit it was merged into, then theirs: one query per step of the longest
    chain (a commune of a merged province: two), whatever the number of records. A unit that stands on the date
    asked, with its parents selected, costs no query.
    """

    def __init__(self, units: Iterable[AdministrativeUnit] = ()):
        self._units: dict[int, AdministrativeUnit] = {}
        self.add(units)

    def add(self, units: Iterable[AdministrativeUnit]) -> None:
        for unit in units:
            while unit is not None and unit.pk not in self._units:
                self._units[unit.pk] = unit
                unit = unit.parent if AdministrativeUnit.parent.is_cached(unit) else None

    def unit(self, pk: int | None) -> AdministrativeUnit | None:
        if pk is None:
            return None
        if pk not in self._units:
            self._load()
        return self._units.get(pk)

    def _load(self) -> None:
        for _step in range(MAX_SUCCESSION_HOPS):
            known = list(self._units.values())
            codes_known = {unit.code for unit in known}
            ids = {pk for unit in known for pk in (unit.parent_id, unit.merged_into_id)
                   if pk is not None and pk not in self._units}
            codes = {code for unit in known for code in unit.path.split("/") if code and code not in codes_known}
            if not ids and not codes:
                return
            found = [unit for unit in AdministrativeUnit.objects.filter(Q(pk__in=ids) | Q(code__in=codes))
                     if unit.pk not in self._units]
            if not found:
                return
            self._units.update((unit.pk, unit) for unit in found)

    def successor(self, unit: AdministrativeUnit, on: datetime.date) -> AdministrativeUnit | None:
        """See `unit_successor`."""
        self.add([unit])
        seen: set[int] = set()
        current = unit
        while not current.is_valid_on(on):
            if current.valid_to is None or on <= current.valid_to:
                return None  # `on` comes before it (or the successor it was merged into) began
            if current.pk in seen or len(seen) >= MAX_SUCCESSION_HOPS:
                logger.warning("administrative unit %s: its chain of merges loops", unit.code)
                return None
            seen.add(current.pk)
            current = self.unit(current.merged_into_id)
            if current is None:
                return None  # ended without a successor
        return current

    def ancestors(self, unit: AdministrativeUnit) -> Iterator[AdministrativeUnit]:
        """The units above `unit`, the nearest first."""
        seen = {unit.pk}
        parent = self.unit(unit.parent_id)
        while parent is not None and parent.pk not in seen:
            yield parent
            seen.add(parent.pk)
            parent = self.unit(parent.parent_id)

    def address_units(self, unit: AdministrativeUnit, on: datetime.date | None = None) -> list[AdministrativeUnit]:
        """See `unit_address`: the units it names, the smallest first."""
        self.add([unit])
        standing = self.successor(unit, on) if on is not None else None
        if standing is None:
            return [unit, *self.ancestors(unit)]
        units = [standing]
        for ancestor in self.ancestors(standing):
            current = self.successor(ancestor, on)
            if current is not None and current not in units:
                units.append(current)
        return units

    def address(self, unit: AdministrativeUnit, on: datetime.date | None = None, *, labelled: bool = False) -> str:
        return ", ".join(str(u) if labelled else u.name for u in self.address_units(unit, on))


def unit_successor(unit: AdministrativeUnit, *, on: datetime.date,
                   timeline: UnitTimeline | None = None) -> AdministrativeUnit | None:
    """The unit that stands for `unit` on the day `on`: `unit` itself while it exists on that day (valid_from and
    valid_to both included), otherwise the unit it was merged into, followed from merge to merge (a commune into a
    commune, a province into a province) to the first that exists on `on`.

    None when no unit stands for it on that day: the chain is broken (a unit ended on a day before `on` with no
    successor recorded: a district dissolved on 01/07/2025, or data not yet imported), it loops back on itself
    (logged), or `on` falls before the unit began, or in a gap before its successor began. Callers decide what
    None means for them: a new record is refused, an address keeps the units as they were.
    Pass one `timeline` for the records of a page or batch: the whole chain of every unit is read in a fixed
    number of queries, none while the unit exists on the day and its parents were selected with it.
    """
    return (timeline or UnitTimeline()).successor(unit, on)


def unit_address(unit: AdministrativeUnit, *, on: datetime.date | None = None, labelled: bool = False,
                 timeline: UnitTimeline | None = None) -> str:
    """The unit and the units above it, as an address names them on the day `on`: "Côn Minh, Thái Nguyên" for
    Văn Lang (Na Rì, Bắc Kạn) from 01/07/2025, "Văn Lang, Na Rì, Bắc Kạn" on a day before; `labelled` names
    the kinds ("Xã Côn Minh, Tỉnh Thái Nguyên").

    Each unit is replaced by the one that stands for it on `on` (`unit_successor`); a unit above it that ended
    without successor (a district since 01/07/2025) is left out. When nothing stands for `unit` itself (its
    chain is broken), or without `on`, the address is the one the record was made under, the units unchanged.
    """
    return (timeline or UnitTimeline()).address(unit, on, labelled=labelled)


@dataclass(frozen=True)
class UnitsCounted:
    """The units whose records count for `unit` on the day `on` (see `units_counted_for`)."""

    unit: AdministrativeUnit
    on: datetime.date
    ids: list[int]                           # every unit counted: `unit`, the units below it, its predecessors
    predecessors: list[AdministrativeUnit]   # the former units outside `unit` it took over, the nearest first
    communes: list[AdministrativeUnit]       # the communes among them that exist on `on`, by name
    current: dict[int, int]                  # unit id -> id of the commune (of `communes`) standing for it on `on`
    timeline: UnitTimeline

    def q(self, field: str) -> Q:
        """Rows whose unit `field` (a foreign key to a unit: "product__commune") is one of the units counted."""
        return Q(**{f"{field}__in": self.ids})

    def commune_on(self, field: str) -> Case:
        """The id of the commune of `communes` that stands on `on` for the unit in `field`, computed in the query
        (NULL when none does: a former commune whose chain of merges is broken), to group rows by the commune of
        the day."""
        sources: dict[int, list[int]] = {}
        for unit_id, commune_id in self.current.items():
            sources.setdefault(commune_id, []).append(unit_id)
        return Case(*(When(**{f"{field}__in": ids}, then=Value(commune_id)) for commune_id, ids in sources.items()),
                    default=None, output_field=IntegerField())


def units_counted_for(unit: AdministrativeUnit, *, on: datetime.date) -> UnitsCounted:
    """The units whose records count for `unit` on the day `on`: `unit` and every unit below it, and each former
    unit that `unit` (or a unit below it) stands for on `on`, with the units below that one: from 01/07/2025 Thái
    Nguyên counts the records of Bắc Kạn and of its districts and communes; the commune of Côn Minh, those of Văn
    Lang, Côn Minh and Hảo Nghĩa, which were merged into it; before 01/07/2025 each counts only its own.

    A unit below a predecessor counts when the unit that stands for it on `on`, or a unit above that one, is
    `unit` or lies in it (unit_successor, followed from merge to merge); one whose chain is broken (a district
    dissolved, a commune ended without successor recorded) goes with the nearest unit above it that has a
    successor; one that went to another unit (a commune moved to a neighbouring province) does not count.

    Reads the units in one query, and one more per generation of predecessors (two for Thái Nguyên, whose
    predecessor Bắc Kạn had none), whatever the number of units or records; a unit below a predecessor that went
    elsewhere costs one query per step of its chain, for all such units at once (UnitTimeline). `q(field)` filters
    any queryset on the units with no further query, and `commune_on(field)` groups its rows by the commune of the
    day in the database.
    """
    if unit.valid_to is not None and on > unit.valid_to:
        # A unit that has ended counts as it stood on its last day: its own, its communes then (no unit stands for
        # it any more; its records now count for the units that do).
        on = unit.valid_to
    ended_into = Q(valid_to__lt=on)  # only a unit that has ended by `on` can have a successor on it
    ancestors = [code for code in unit.path.split("/") if code and code != unit.code]
    units: dict[int, AdministrativeUnit] = {}
    batch = AdministrativeUnit.objects.filter(Q(path__startswith=unit.path) | Q(code__in=ancestors)
                                              | (ended_into & Q(merged_into__path__startswith=unit.path)))
    roots: list[AdministrativeUnit] = []
    for _generation in range(MAX_SUCCESSION_HOPS):
        found = [u for u in batch if u.pk not in units]
        units.update((u.pk, u) for u in found)
        known = (unit.path, *(root.path for root in roots))
        # New predecessors: units merged into a unit counted so far, lying outside them (the smallest number of
        # subtrees: a province, not also its communes).
        fresh = sorted((u for u in found if u.merged_into_id in units and not u.path.startswith(known)
                        and units[u.merged_into_id].path.startswith(known)), key=lambda u: u.path)
        fresh = [u for u in fresh if not any(u.path.startswith(o.path) for o in fresh if o is not u)]
        if not fresh:
            break
        roots.extend(fresh)
        within = Q()
        for root in fresh:
            within |= Q(path__startswith=root.path) | (ended_into & Q(merged_into__path__startswith=root.path))
        batch = AdministrativeUnit.objects.filter(within)

    timeline = UnitTimeline(units.values())
    standing: dict[int, list[AdministrativeUnit]] = {}

    def standing_units(u: AdministrativeUnit) -> list[AdministrativeUnit]:
        """The units that stand on `on` for `u` and those above it, the smallest first; for a unit with no
        successor, those of the nearest unit above it that has one."""
        if u.pk not in standing:
            current = timeline.successor(u, on)
            if current is not None:
                standing[u.pk] = timeline.address_units(current, on)
            else:
                parent = timeline.unit(u.parent_id)
                standing[u.pk] = standing_units(parent) if parent is not None else []
        return standing[u.pk]

    # A unit counts where the units that stand for it on `on` lie: one of `unit`'s own that went to another unit
    # (a commune moved to the neighbouring province) counts there, not here.
    counted = [u for u in units.values() if any(s.path.startswith(unit.path) for s in standing_units(u))]
    communes = sorted((u for u in counted if u.level == UnitLevel.COMMUNE and u.is_valid_on(on)),
                      key=lambda u: (fold(u.name), u.code))
    existing = {c.pk for c in communes}
    current = {}
    for u in counted:
        first = (standing_units(u) or [None])[0]
        if first is not None and first.pk in existing:
            current[u.pk] = first.pk
    counted_ids = {u.pk for u in counted}
    return UnitsCounted(
        unit=unit, on=on, ids=sorted(counted_ids), predecessors=[r for r in roots if r.pk in counted_ids],
        communes=communes, current=current, timeline=timeline)


def cycle_list(*, user) -> QuerySet:
    qs = Cycle.objects.select_related("province")
    if is_system_admin(user):
        return qs
    if user.role == Role.MINISTRY_STAFF and user.unit_id:  # the central level's cycles
        return qs.filter(unit_scope_q(user.unit, "province__"))
    if user.role in (Role.PROVINCE_STAFF, Role.LOCAL_OFFICER) and user.unit_id:
        # His province's cycles and those of the provinces it took over (Bắc Kạn's earlier cycles for Thái Nguyên).
        province = province_of(user.unit)
        return qs.filter(unit_scope_q(province, "province__")) if province is not None else qs.none()
    return qs.none()


def cycle_list_rows(*, user) -> QuerySet:
    """The cycle list's rows: the user's cycles with their number of rounds."""
    return cycle_list(user=user).annotate(round_count=Count("rounds"))


def cycles_with_province() -> QuerySet:
    """Every cycle with its province (whether the user may open one is the view's permission check)."""
    return Cycle.objects.select_related("province")


# ---------------------------------------------------------------------------------------------
# A cycle's evaluation rounds. A round entered in the admin may lack a day: a missing opening (closing) day
# leaves it open towards the start (end) of time, so that it still takes the sessions it was meant for.
# ---------------------------------------------------------------------------------------------


def cycle_rounds(*, cycle: Cycle) -> QuerySet:
    """The cycle's rounds in their order."""
    return cycle.rounds.order_by("number", "pk")


def rounds_with_cycle() -> QuerySet:
    """Every round with its cycle and province (whether the user may open one is the view's permission check)."""
    return Round.objects.select_related("cycle__province")


def rounds_overlapping(*, cycle: Cycle, starts_on: datetime.date, ends_on: datetime.date,
                       exclude: Round | None = None) -> QuerySet:
    """The cycle's rounds that share at least one day with the days from `starts_on` to `ends_on`."""
    qs = cycle.rounds.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=ends_on),
                             Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("number", "pk")


def round_covering(*, cycle: Cycle, on: datetime.date) -> Round | None:
    """The cycle's round whose days hold `on` (the rounds of a cycle do not overlap), or None."""
    return rounds_overlapping(cycle=cycle, starts_on=on, ends_on=on).first()


def unit_list_rows(*, user, query: str = "", kind: str = "") -> QuerySet:
    """The units the user answers for, with the unit above and the one merged into; whose name holds `query` or
    whose code starts with it, of `kind` when given."""
    qs = units_in_scope(user).select_related("parent", "merged_into")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__startswith=query))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def unit_pages_of(*, user) -> QuerySet:
    """The units the user may open, with the unit above and the one merged into."""
    return units_in_scope(user).select_related("parent", "merged_into")


def unit_children(*, unit: AdministrativeUnit) -> QuerySet:
    return unit.children.order_by("name")


def units_linkable(*, user, units: Iterable[int]) -> set[int]:
    """Which of the units `units` (ids) the user may open: the others are named on a page, not linked."""
    return set(units_in_scope(user).filter(pk__in=units).values_list("pk", flat=True))


def current_cycle_for(user) -> Cycle | None:
    """The user's latest cycle; in a year with several, his own province's before a former one's."""
    own = (user.unit if user.unit.level == UnitLevel.CENTRAL else province_of(user.unit)) if getattr(
        user, "unit_id", None) else None
    return cycle_list(user=user).order_by(
        "-year", Case(When(province=own, then=Value(0)), default=Value(1)), "pk").first()


def audit_trail_for(obj) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("actor")


@dataclass(frozen=True)
class AuditChange:
    label: str
    old: str
    new: str


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def audit_changes(entry: AuditEntry) -> list[AuditChange]:
    """An audit entry's changes in people's words: each field by its label (a field of the record, or of the
    records recorded on it: a business plan's milestones, a cycle's step dates), dates as dd/mm/yyyy, choices by
    their labels, yes/no as Có/Không, lists joined. Values recorded as text (a related record's name) stay as they
    are; a key that names no field (a criterion's code on a scorecard) is shown as recorded. No query: the entry's
    model comes from the content types' cache."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    out = []
    for name, values in (entry.changes or {}).items():
        old, new = values if isinstance(values, (list, tuple)) and len(values) == 2 else (None, values)
        label, field = _audit_field(model, name)
        out.append(AuditChange(label=label, old=_audit_value(field, old), new=_audit_value(field, new)))
    return out


def _audit_field(model, name: str):
    """(label, field or None) of a key of an entry's changes on a record of `model`."""
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst

    if model is None:
        return name, None
    candidates = [name, name.removesuffix("_id")] if name.endswith("_id") else [name]
    # The record's own fields first, then those of the records whose changes are recorded on it (its reverse
    # one-to-many relations: a plan's milestones and support, a cycle's step plans).
    for meta in [model._meta, *(rel.related_model._meta for rel in model._meta.related_objects
                               if not rel.many_to_many)]:
        for candidate in candidates:
            try:
                field = meta.get_field(candidate)
            except FieldDoesNotExist:
                continue
            if field.is_relation and field.auto_created and not field.concrete:  # a reverse relation: its records
                return capfirst(str(field.related_model._meta.verbose_name_plural)), None
            return capfirst(str(field.verbose_name)), field
    return name, None


def _audit_value(field, value) -> str:
    from django.db import models
    from django.utils import formats, timezone
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.translation import gettext as _

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(_audit_value(field, item) for item in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None:
            moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(value, str) and ISO_DATE.match(value) and (field is None or isinstance(field, models.DateField)):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, (models.DecimalField, models.FloatField)) or isinstance(value, float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        # 17.00 reads 17 and 12.50 reads 12,5 (normalize() alone would write 100 as 1E+2).
        number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
        return formats.number_format(number, use_l10n=True)
    return str(value)


UNREAD_COUNT_CAP = 100


def notification_list(*, user) -> QuerySet:
    """The user's own notifications, newest first (nothing to join: the text is stored whole)."""
    return Notification.objects.filter(recipient=user)


def notifications_unread_count(user, *, cap: int = UNREAD_COUNT_CAP) -> int:
    """How many of the user's notifications are unread, counted no further than `cap` (the bell shows 99+).

    One query, on the partial index of unread rows.
    """
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[:cap].count()


def file_jobs_prepared(*, user, kind: str, params: dict, among: int = 20) -> list[FileJob]:
    """The user's files of `kind` prepared lately for the same `params`, newest first: looked for among his
    latest `among` jobs of that kind (the parameters are JSON, compared here)."""
    latest = FileJob.objects.filter(requested_by=user, kind=kind).order_by("-created_at")[:among]
    return [job for job in latest if job.params == params]
