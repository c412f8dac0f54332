"""Permission predicates for roles and administrative scope (django-rules)."""
import rules

from .enums import Role


@rules.predicate
def is_system_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


@rules.predicate
def is_province_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.PROVINCE_STAFF and user.unit_id)


@rules.predicate
def is_ministry_staff(user) -> bool:
    """The ministry's OCOP office (the central level): rates the products the provinces nominate, recognises 5★."""
    return bool(user and user.is_authenticated and user.role == Role.MINISTRY_STAFF and user.unit_id)


@rules.predicate
def is_local_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.LOCAL_OFFICER and user.unit_id)


@rules.predicate
def is_council_member(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.COUNCIL_MEMBER)


@rules.predicate
def is_subject_rep(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.SUBJECT_REP)


is_official = is_system_admin | is_ministry_staff | is_province_staff | is_local_officer
# The officials of the provinces and communes (and administrators): the ministry takes no part in ideas and plans.
is_local_official = is_system_admin | is_province_staff | is_local_officer


def has_area(user) -> bool:
    """An official with a unit to answer for: the ministry's, a province's, a district's or a commune's staff."""
    return is_province_staff(user) or is_local_officer(user) or is_ministry_staff(user)


def unit_stood_for_by(unit, area) -> bool:
    """True when `unit` lies in `area`, or is now stood for by `area` or a unit below it: a former commune merged
    into a commune of the area, a unit of a province merged into it (AdministrativeUnit.standing_path)."""
    return unit.path.startswith(area.path) or bool(unit.standing_path and unit.standing_path.startswith(area.path))


def unit_within_scope(user, unit) -> bool:
    """True when the unit lies inside the area the user is responsible for, counting the units his unit took over
    (Thái Nguyên's officers answer for Bắc Kạn's records); an officer of a unit that has ended keeps its own."""
    if is_system_admin(user):
        return True
    if unit is None or not has_area(user):
        return False
    return unit_stood_for_by(unit, user.unit)


@rules.predicate
def unit_in_scope(user, unit) -> bool:
    return unit_within_scope(user, unit)


@rules.predicate
def cycle_in_scope(user, cycle) -> bool:
    return cycle is not None and unit_within_scope(user, cycle.province)


@rules.predicate
def cycle_visible(user, cycle) -> bool:
    """Officers see their province's cycles; a local officer sees the cycle of the province he sits in."""
    if cycle is None:
        return False
    if is_system_admin(user):
        return True
    if has_area(user):
        # His own province's, and those of the provinces his took over (Bắc Kạn's for Thái Nguyên's officers).
        province = cycle.province
        return user.unit.path.startswith(province.path) or bool(
            province.standing_path and user.unit.path.startswith(province.standing_path))
    return False


@rules.predicate
def manages_cycle(user, cycle) -> bool:
    """A province's office its province's cycles; the ministry's office the ministry's (the central level's)."""
    return is_system_admin(user) or (
        (is_province_staff(user) or is_ministry_staff(user)) and cycle is not None
        and cycle.province_id == user.unit_id)


@rules.predicate
def manages_round(user, round_) -> bool:
    """A cycle's evaluation rounds are dated by whoever manages the cycle: its provincial office."""
    return round_ is not None and manages_cycle(user, round_.cycle)


rules.add_perm("ocop.view_unit", is_official)
rules.add_perm("ocop.view_cycle_list", is_official)
rules.add_perm("ocop.view_cycle", cycle_visible)
rules.add_perm("ocop.add_cycle", is_system_admin | is_province_staff | is_ministry_staff)
rules.add_perm("ocop.change_cycle", manages_cycle)
rules.add_perm("ocop.add_round", manages_cycle)  # checked against the cycle
rules.add_perm("ocop.change_round", manages_round)
rules.add_perm("ocop.delete_round", manages_round)
rules.add_perm("ocop.view_audit", is_official)
rules.add_perm("ocop.view_home", rules.is_authenticated)
