"""Demo data of the shared part: units from the seeds, the demo logins (the pre-2025 officers of Bắc Kạn's
districts kept as history, Thái Nguyên's office and commune officers of today), Bắc Kạn's 2024 cycle and the other
cycles (Thái Nguyên's 2026 with its two evaluation rounds)."""
import datetime
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .enums import CycleStep, Role
from .models import AdministrativeUnit, AuditEntry, Cycle, Round, User
from .services import cycle_create, round_create, units_import_csv

DEMO_PASSWORD = "ocop-demo"
UNITS_CSV = Path(__file__).parent / "data" / "demo_units.csv"

# username, role, unit code, first name, last name, agency
DEMO_USERS = [
    ("admin", Role.ADMIN, None, "Quản trị", "hệ thống", ""),
    # History: Bắc Kạn's office and the district officers (Hòa Bình's Đà Bắc too), whose units ended on 30/06/2025;
    # they keep the records of 2019-2025 (148/QĐ-TTg: the district screened ideas and received dossiers).
    ("tinh.backan", Role.PROVINCE_STAFF, "06", "Ngô Mai", "Hương", "Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn"),
    ("huyen.bachthong", Role.LOCAL_OFFICER, "063", "Hương", "Dịu", "Phòng Nông nghiệp và PTNT huyện Bạch Thông"),
    ("huyen.nari", Role.LOCAL_OFFICER, "066", "Trần Thị Thu", "Hiền", "Phòng Nông nghiệp và PTNT huyện Na Rì"),
    ("huyen.dabac", Role.LOCAL_OFFICER, "150", "Xa Văn", "Thắng", "Phòng Nông nghiệp và PTNT huyện Đà Bắc"),
    ("hoidong.1", Role.COUNCIL_MEMBER, "06", "Nguyễn Văn", "An", "Sở Nông nghiệp và PTNT tỉnh Bắc Kạn"),
    ("hoidong.2", Role.COUNCIL_MEMBER, "06", "Hoàng Thị", "Bình", "Sở Công Thương tỉnh Bắc Kạn"),
    ("hoidong.3", Role.COUNCIL_MEMBER, "06", "Lý Văn", "Cường", "Sở Khoa học và Công nghệ tỉnh Bắc Kạn"),
    ("htx.thienan", Role.SUBJECT_REP, None, "Lý Thị", "Quên", "Hợp tác xã Thiên An"),
    # Vietnam of today (two-tier government since 01/07/2025): Thái Nguyên, which took over Bắc Kạn, and the
    # officers of two of its new communes, who receive the dossiers of their subjects (1489/QĐ-TTg, 26/2026/QĐ-TTg).
    # Bạch Thông commune (19102) took over Vi Hương, HTX Thiên An's commune; Côn Minh (19111) took over Côn Minh and
    # Văn Lang of Na Rì, HTX Tài Hoan's and HTX Hương Ngàn's.
    ("tinh.thainguyen", Role.PROVINCE_STAFF, "19", "Dương Thị", "Hoa",
     "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên"),
    ("xa.bachthong", Role.LOCAL_OFFICER, "19102", "Nông Văn", "Khải", "Phòng Kinh tế, UBND xã Bạch Thông"),
    ("xa.conminh", Role.LOCAL_OFFICER, "19111", "Lục Thị", "Mai", "Phòng Kinh tế, UBND xã Côn Minh"),
    # The central level: the ministry's OCOP office (Bộ Nông nghiệp và Môi trường, a unit of the migrations), which
    # rates the products the provinces nominate and alone recognises 5★.
    ("bo.nnmt", Role.MINISTRY_STAFF, "BNNMT", "Trần Văn", "Tuấn",
     "Văn phòng Điều phối nông thôn mới Trung ương, Bộ Nông nghiệp và Môi trường"),
]

# Seed 003: Kế hoạch 180/KH-UBND ngày 22/3/2024, the steps with their months.
BACKAN_2024_STEPS = {
    CycleStep.PROPAGANDA: (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    CycleStep.IDEAS: (datetime.date(2024, 3, 1), datetime.date(2024, 4, 30)),
    CycleStep.BUSINESS_PLANS: (datetime.date(2024, 5, 1), datetime.date(2024, 6, 30)),
    CycleStep.IMPLEMENTATION: (datetime.date(2024, 4, 1), datetime.date(2024, 8, 31)),
    CycleStep.EVALUATION: (datetime.date(2024, 9, 1), datetime.date(2024, 11, 30)),
    CycleStep.PROMOTION: (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
}


# Seed 004: Đà Bắc's 2023 plan under Hòa Bình's cycle; Thái Nguyên's 2026 cycle under the two-tier rules.
OTHER_CYCLES = [
    ("17", 2023, "Kế hoạch thực hiện Chương trình OCOP tỉnh Hòa Bình năm 2023", "", CycleStep.EVALUATION),
    ("06", 2023, "Kế hoạch thực hiện Chương trình OCOP tỉnh Bắc Kạn năm 2023", "", CycleStep.PROMOTION),
    ("19", 2026, "Kế hoạch thực hiện Chương trình OCOP tỉnh Thái Nguyên năm 2026", "", CycleStep.IDEAS),
    # The ministry's year: its council rates the products the provinces nominated for 5★.
    ("BNNMT", 2026, "Đánh giá, phân hạng sản phẩm OCOP cấp trung ương năm 2026", "", CycleStep.EVALUATION),
]

# Thái Nguyên's two evaluation rounds of 2026 (at least two a year, closing on 30/06 and 30/12: ocop/rounds.py).
THAINGUYEN_2026_ROUNDS = [
    (1, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
    (2, datetime.date(2026, 7, 1), datetime.date(2026, 12, 30)),
]


def demo_moment(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A time of day on `day`, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def demo_backdate(records, moment: datetime.datetime, *, fields: tuple[str, ...] = ()) -> None:
    """Date demo records of a past year at `moment` rather than on the day the demo is loaded.

    The services date what they write now (timestamps, the audit trail): a 2023 session loaded in 2026 would say it
    was finalised today. Each of `fields` that a record has set is set to `moment`, and so is every audit entry of
    the record. Idempotent: a second run writes the same values.
    """
    by_model: dict[type, list] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    for model, rows in by_model.items():
        names = [name for name in fields if any(f.name == name for f in model._meta.concrete_fields)]
        for name in names:
            model.objects.filter(pk__in=[r.pk for r in rows], **{f"{name}__isnull": False}).update(**{name: moment})
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                  object_id__in=[r.pk for r in rows]).update(at=moment)


def load(log) -> None:
    with transaction.atomic():
        result = units_import_csv(text=UNITS_CSV.read_text(encoding="utf-8"))
        if not result.ok:
            raise RuntimeError("\n".join(result.errors))
        log(f"units: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
        units = {u.code: u for u in AdministrativeUnit.objects.all()}
        for username, role, unit_code, first, last, agency in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"role": role, "unit": units.get(unit_code), "first_name": first, "last_name": last,
                          "agency": agency, "email": f"{username}@ocop.local",
                          "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN},
            )
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            log(f"login {username:<16} {DEMO_PASSWORD}  ({user.get_role_display()})")
        backan = units["06"]
        cycle = Cycle.objects.filter(province=backan, year=2024).first()
        if cycle is None:
            cycle = cycle_create(
                province=backan, year=2024, by=None,
                name="Kế hoạch thực hiện Chương trình OCOP tỉnh Bắc Kạn năm 2024",
                plan_reference="180/KH-UBND ngày 22/3/2024", step_dates=BACKAN_2024_STEPS,
            )
            cycle.current_step = CycleStep.PROMOTION
            cycle.save(update_fields=["current_step"])
        Round.objects.get_or_create(cycle=cycle, number=1, defaults={
            "name": "Đánh giá, phân hạng sản phẩm OCOP năm 2024",
            "starts_on": datetime.date(2024, 9, 1), "ends_on": datetime.date(2024, 11, 30)})
        log(f"cycle: {cycle.name}")
        for code, year, name, reference, step in OTHER_CYCLES:
            if not Cycle.objects.filter(province=units[code], year=year).exists():
                other = cycle_create(province=units[code], year=year, name=name, plan_reference=reference, by=None)
                other.current_step = step
                other.save(update_fields=["current_step"])
        thainguyen_2026 = Cycle.objects.get(province=units["19"], year=2026)
        if not thainguyen_2026.rounds.exists():  # 26/2026/QĐ-TTg: two rounds, closing on 30/06 and 30/12
            for number, starts_on, ends_on in THAINGUYEN_2026_ROUNDS:
                round_create(cycle=thainguyen_2026, number=number, name=f"Đợt {number} năm 2026", starts_on=starts_on,
                             ends_on=ends_on, by=None)
        log(f"cycles: {Cycle.objects.count()} in all")
