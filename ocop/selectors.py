"""Reads shared by every app: which units and records a user's scope covers; a user's notifications."""
from django.db.models import Q, QuerySet

from .enums import Role, UnitLevel
from .models import AdministrativeUnit, AuditEntry, Cycle, Notification
from .rules import is_local_officer, is_province_staff, is_system_admin


def units_in_scope(user) -> QuerySet:
    """Units the user answers for: all for an administrator, his unit and below for an officer."""
    if is_system_admin(user):
        return AdministrativeUnit.objects.all()
    if is_province_staff(user) or is_local_officer(user):
        return AdministrativeUnit.objects.within(user.unit)
    return AdministrativeUnit.objects.none()


def scope_q(user, unit_field: str) -> Q:
    """A filter keeping rows whose `unit_field` lies in the user's scope (nothing outside it)."""
    if is_system_admin(user):
        return Q()
    if is_province_staff(user) or is_local_officer(user):
        return Q(**{f"{unit_field}__path__startswith": user.unit.path})
    return Q(pk__in=[])


def province_of(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The province a unit lies in (walks at most two parents, which select_related usually holds)."""
    while unit is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def cycle_list(*, user) -> QuerySet:
    qs = Cycle.objects.select_related("province")
    if is_system_admin(user):
        return qs
    if user.role in (Role.PROVINCE_STAFF, Role.LOCAL_OFFICER) and user.unit_id:
        province = province_of(user.unit)
        return qs.filter(province=province)
    return qs.none()


def current_cycle_for(user) -> Cycle | None:
    return cycle_list(user=user).order_by("-year").first()


def audit_trail_for(obj) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("actor")


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
