"""seed_demo loads the seeds' units, logins and cycle, and a second run changes nothing."""
import datetime

from django.apps import apps
from django.core.management import call_command

from ocop.models import Cycle, User


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_twice_leaves_every_table_unchanged(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert row_counts() == first
    assert first["ocop.AdministrativeUnit"] == 46  # the 44 of demo_units.csv and the two ministries (reference data)


def test_seed_demo_creates_a_login_for_each_role(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "admin": "admin", "tinh.backan": "province_staff", "huyen.bachthong": "local_officer",
        "huyen.nari": "local_officer", "huyen.dabac": "local_officer", "hoidong.1": "council_member",
        "hoidong.2": "council_member", "hoidong.3": "council_member", "htx.thienan": "subject_rep",
        "tinh.thainguyen": "province_staff", "xa.bachthong": "local_officer", "xa.conminh": "local_officer",
        "bo.nnmt": "ministry_staff",
    }
    assert User.objects.get(username="bo.nnmt").unit.name == "Bộ Nông nghiệp và Môi trường"
    assert all(u.check_password("ocop-demo") for u in User.objects.all())
    assert User.objects.get(username="huyen.bachthong").unit.name == "Bạch Thông"
    # Today's logins: Thái Nguyên's office and officers of two communes it has had since 01/07/2025.
    units = {u.username: (u.unit.code, u.unit.name, u.unit.valid_from, u.agency)
             for u in User.objects.filter(username__in=["tinh.thainguyen", "xa.bachthong", "xa.conminh"])}
    assert units == {
        "tinh.thainguyen": ("19", "Thái Nguyên", None, "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên"),
        "xa.bachthong": ("19102", "Bạch Thông", datetime.date(2025, 7, 1), "Phòng Kinh tế, UBND xã Bạch Thông"),
        "xa.conminh": ("19111", "Côn Minh", datetime.date(2025, 7, 1), "Phòng Kinh tế, UBND xã Côn Minh"),
    }


def test_seed_demo_loads_backan_2024_cycle_from_seed_003(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    cycle = Cycle.objects.get(province__code="06", year=2024)
    assert cycle.plan_reference == "180/KH-UBND ngày 22/3/2024"
    ideas = cycle.steps.get(step=2)
    assert (ideas.planned_start.isoformat(), ideas.planned_end.isoformat()) == ("2024-03-01", "2024-04-30")
