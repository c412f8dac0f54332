"""Demo trade promotion from the seeds: the 2019 fair at Ba Bể lake with its 12 booths and the 295 trainees
of seed 002, Bắc Kạn's targets of seeds 002 and 003; and, invented for the demo, a sales point, e-commerce
listings and an upcoming district fair whose invitations HTX Thiên An's representative can answer."""
import datetime

from django.db import transaction
from django.utils import timezone

from ocop.models import AdministrativeUnit, User
from products.demo import DEMO_PRODUCTS
from products.models import Product, ProductSet
from subjects.enums import SubjectKind
from subjects.models import Subject
from subjects.services import subject_create

from .enums import EventKind, TargetMetric
from .models import Booth, Listing, PromotionEvent, SalesPoint, TrainingEvent
from .selectors.activities import certified_products
from .services import booths_invite, event_save, listing_add, sales_point_save, targets_save, training_save

# Seed 002: "tổ chức các hoạt động văn hóa, ẩm thực, giới thiệu sản phẩm nông sản OCOP tỉnh Bắc Kạn nhân dịp
# 30/4 và 01/5 năm 2019 tại Hồ Ba Bể, đã tổ chức 12 gian hàng". Ba Bể district is not among the demo units:
# the province organised it.
BA_BE_FAIR = {
    "name": "Giới thiệu sản phẩm nông sản OCOP tỉnh Bắc Kạn tại Hồ Ba Bể",
    "kind": EventKind.FAIR, "organiser": "UBND tỉnh Bắc Kạn", "place": "Hồ Ba Bể, huyện Ba Bể",
    "starts_on": datetime.date(2019, 4, 30), "ends_on": datetime.date(2019, 5, 1), "budget": None,
    "description": "Hoạt động văn hóa, ẩm thực, giới thiệu sản phẩm OCOP của các huyện, thành phố nhân dịp 30/4 "
                   "và 01/5; 12 gian hàng trưng bày, quảng bá sản phẩm OCOP.",
}
# The demo holds 8 subjects of Bắc Kạn; the other 4 booth holders are invented for the demo (cooperative
# groups, as Bạch Thông counts 6 of them in seed 000): name, commune code, representative, product, product set.
FAIR_EXTRA_SUBJECTS = [
    ("Tổ hợp tác cam Quang Thuận", "01879", "Hoàng Văn Thuận", "Cam sành Quang Thuận", 1),
    ("Tổ hợp tác mật ong Cao Sơn", "01864", "Lục Văn Sơn", "Mật ong rừng Cao Sơn", 4),
    ("Tổ hợp tác bánh khẩu sli Lương Thượng", "01969", "Hà Thị Thương", "Bánh khẩu sli Lương Thượng", 6),
    ("Tổ hợp tác thịt trâu sấy Hảo Nghĩa", "01975", "Nông Văn Nghĩa", "Thịt trâu sấy Hảo Nghĩa", 8),
]
FAIR_SUBJECTS = [
    "Hợp tác xã Thiên An", "Hợp tác xã Dền Vang", "Hợp tác xã An Bình", "Hợp tác xã Hợp Giang",
    "Tổ hợp tác chè Bản Dao", "Tổ hợp tác Phiêng An", "Hợp tác xã Tài Hoan", "Hợp tác xã Hương Ngàn",
    *(name for name, *_rest in FAIR_EXTRA_SUBJECTS),
]

# Invented for the demo: a district fair a month after the data is loaded, its invitations sent to the
# subjects of Bạch Thông holding a certificate in force (HTX Thiên An among them).
DISTRICT_FAIR_NAME = "Phiên chợ sản phẩm OCOP huyện Bạch Thông"

# Invented for the demo (no seed names one): a sales point run by HTX An Bình in Phủ Thông township.
SALES_POINT = {
    "name": "Điểm giới thiệu và bán sản phẩm OCOP Phủ Thông", "is_centre": False,
    "address": "Tổ 3, thị trấn Phủ Thông", "operator": "Hợp tác xã An Bình", "phone": "",
    "opened_on": datetime.date(2024, 6, 1), "closed_on": None,
}
SALES_POINT_PRODUCTS = ["An mộc nhi", "Phục dưỡng hoa", "Gạo nếp Khẩu Nua Lương", "Chè Bản Dao",
                        "Miến dong Tài Hoan", "Tinh dầu sả chanh Hương Ngàn"]
# Seed 003 says most OCOP sales now go through e-commerce; the addresses below are illustrative.
LISTINGS = [
    ("Miến dong Tài Hoan", "https://postmart.vn/mien-dong-tai-hoan-bac-kan", datetime.date(2023, 9, 1)),
    ("Gạo nếp Khẩu Nua Lương", "https://voso.vn/gao-nep-khau-nua-luong-bach-thong", datetime.date(2024, 3, 15)),
    ("Chè Bản Dao", "https://postmart.vn/che-ban-dao-bach-thong", datetime.date(2024, 5, 20)),
]

# Seed 002 (2019): "tập huấn nâng cao năng lực cho 295 người tham gia". It gives the year only: the date is
# chosen for the demo.
TRAINING = {
    "topic": "Tập huấn nâng cao năng lực: xây dựng phương án kinh doanh, phát triển kinh tế cộng đồng, "
             "phát triển sản phẩm OCOP",
    "held_on": datetime.date(2019, 7, 15), "place": "", "participants_count": 295, "participants": "",
}

# Bắc Kạn's targets: 2024 from plan 180/KH-UBND (seed 003); 2023 derived from seed 003 ("48 sản phẩm mới ...
# vượt 240% kế hoạch": 20 planned); 2020 from seed 002 (36 new products, 1 upgrade to 5★ and 5 to 4★).
TARGETS = [
    (2024, "180/KH-UBND ngày 22/3/2024",
     {TargetMetric.NEW_3_STAR: 20, TargetMetric.TRACEABILITY: 20, TargetMetric.VALUE_CHAINS: 25}),
    (2023, "", {TargetMetric.NEW_3_STAR: 20}),
    (2020, "", {TargetMetric.NEW_3_STAR: 36, TargetMetric.UPGRADES: 6}),
]


def _fair_subjects(communes) -> list[Subject]:
    sets = {s.number: s for s in ProductSet.objects.all()}
    for name, commune_code, representative, product_name, set_number in FAIR_EXTRA_SUBJECTS:
        commune = communes[commune_code]
        subject = Subject.objects.filter(name=name, commune=commune).first() or subject_create(by=None, data={
            "name": name, "kind": SubjectKind.COOPERATIVE_GROUP, "tax_code": "", "legal_representative": representative,
            "commune": commune})
        Product.objects.get_or_create(subject=subject, name=product_name,
                                      defaults={"product_set": sets[set_number], "commune": commune})
    subjects = {s.name: s for s in Subject.objects.filter(name__in=FAIR_SUBJECTS, commune__path__startswith="06/")}
    return [subjects[name] for name in FAIR_SUBJECTS]


def _ba_be_fair(backan, communes) -> PromotionEvent:
    event = PromotionEvent.objects.filter(name=BA_BE_FAIR["name"], unit=backan).first()
    if event is None:
        event = event_save(data={**BA_BE_FAIR, "unit": backan}, by=None)
    # A past event recorded as it happened: every booth registered, numbered in the order of the list, showing
    # the subject's demo products (not those of later product ideas).
    shown = [row[1] for row in DEMO_PRODUCTS] + [row[3] for row in FAIR_EXTRA_SUBJECTS]
    for number, subject in enumerate(_fair_subjects(communes), start=1):
        booth, created = Booth.objects.get_or_create(
            event=event, subject=subject, defaults={"status": Booth.Status.REGISTERED, "code": f"{number:02d}"})
        if created:
            booth.products.set(subject.products.filter(name__in=shown))
    return event


def _district_fair(today: datetime.date) -> PromotionEvent:
    bachthong = AdministrativeUnit.objects.get(code="063")
    event = PromotionEvent.objects.filter(name=DISTRICT_FAIR_NAME, unit=bachthong).first()
    if event is not None:
        return event
    starts = today + datetime.timedelta(days=30)
    event = event_save(by=None, data={
        "name": DISTRICT_FAIR_NAME, "kind": EventKind.FAIR, "unit": bachthong,
        "organiser": "UBND huyện Bạch Thông", "place": "Sân vận động thị trấn Phủ Thông",
        "starts_on": starts, "ends_on": starts + datetime.timedelta(days=2), "budget": 150_000_000,
        "description": "Gian hàng cho các chủ thể có sản phẩm OCOP còn hiệu lực của huyện."})
    officer = User.objects.get(username="huyen.bachthong")
    booths_invite(event=event, products=certified_products(user=officer, unit=bachthong, today=today),
                  by=officer, today=today)
    return event


def load(log) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        backan = AdministrativeUnit.objects.get(code="06")
        communes = {u.code: u for u in AdministrativeUnit.objects.communes().filter(path__startswith="06/")}
        fair = _ba_be_fair(backan, communes)
        district_fair = _district_fair(today)

        products = {p.name: p for p in Product.objects.filter(commune__path__startswith="06/")}
        if not SalesPoint.objects.filter(name=SALES_POINT["name"]).exists():
            sales_point_save(data={**SALES_POINT, "commune": communes["01840"]}, by=None,
                             products=[products[name] for name in SALES_POINT_PRODUCTS])
        for name, url, listed_on in LISTINGS:
            if not Listing.objects.filter(product=products[name], url=url).exists():
                listing_add(product=products[name], url=url, listed_on=listed_on, by=None)

        if not TrainingEvent.objects.filter(unit=backan, topic=TRAINING["topic"]).exists():
            training_save(data={**TRAINING, "unit": backan}, subjects=[], by=None)
        for year, reference, planned in TARGETS:
            targets_save(unit=backan, year=year, planned=dict(planned), reference=reference, by=None)

    log(f"promotion: {fair.booths.count()} booths at {fair.name}; {district_fair.booths.count()} invited to "
        f"{district_fair.name}; {SalesPoint.objects.count()} sales points; {Listing.objects.count()} listings; "
        f"{TrainingEvent.objects.count()} training events")
