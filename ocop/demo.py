"""Demo data of the shared part: units from the seeds, the demo logins and Bắc Kạn's 2024 cycle."""
import datetime
from pathlib import Path

from django.db import transaction

from .enums import CycleStep, Role
from .models import AdministrativeUnit, Cycle, Round, User
from .services import cycle_create, units_import_csv

DEMO_PASSWORD = "ocop-demo"
UNITS_CSV = Path(__file__).parent / "data" / "demo_units.csv"

# username, role, unit code, first name, last name, agency
DEMO_USERS = [
    ("admin", Role.ADMIN, None, "Quản trị", "hệ thống", ""),
    ("tinh.backan", Role.PROVINCE_STAFF, "06", "Ngô Mai", "Hương", "Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn"),
    ("huyen.bachthong", Role.LOCAL_OFFICER, "063", "Hương", "Dịu", "Phòng Nông nghiệp và PTNT huyện Bạch Thông"),
    ("huyen.nari", Role.LOCAL_OFFICER, "066", "Trần Thị Thu", "Hiền", "Phòng Nông nghiệp và PTNT huyện Na Rì"),
    ("huyen.dabac", Role.LOCAL_OFFICER, "150", "Xa Văn", "Thắng", "Phòng Nông nghiệp và PTNT huyện Đà Bắc"),
    ("hoidong.1", Role.COUNCIL_MEMBER, "06", "Nguyễn Văn", "An", "Sở Nông nghiệp và PTNT tỉnh Bắc Kạn"),
    ("hoidong.2", Role.COUNCIL_MEMBER, "06", "Hoàng Thị", "Bình", "Sở Công Thương tỉnh Bắc Kạn"),
    ("hoidong.3", Role.COUNCIL_MEMBER, "06", "Lý Văn", "Cường", "Sở Khoa học và Công nghệ tỉnh Bắc Kạn"),
    ("htx.thienan", Role.SUBJECT_REP, None, "Lý Thị", "Quên", "Hợp tác xã Thiên An"),
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
]


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
        log(f"cycles: {Cycle.objects.count()} in all")
