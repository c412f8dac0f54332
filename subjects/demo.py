"""Demo subjects from the seeds: Bạch Thông's and Na Rì's cooperatives, Ý Yên's households, Đà Bắc's."""
from ocop.models import AdministrativeUnit, User

from .enums import SubjectKind
from .models import Subject
from .services import subject_create, subject_representative_add

COOP, GROUP, HOUSEHOLD = SubjectKind.COOPERATIVE, SubjectKind.COOPERATIVE_GROUP, SubjectKind.HOUSEHOLD_BUSINESS

# name, kind, tax code, legal representative, commune code, address, founding year, members
DEMO_SUBJECTS = [
    ("Hợp tác xã Thiên An", COOP, "4700601234", "Lý Thị Quên", "01843", "Thôn Bản Cảu", 2016, 12),
    ("Hợp tác xã Dền Vang", COOP, "4700602345", "Hoàng Văn Dền", "01855", "Thôn Nà Vàng", 2018, 9),
    ("Hợp tác xã An Bình", COOP, "4700603456", "Nông Văn Bình", "01840", "Tổ 3, thị trấn Phủ Thông", 2015, 15),
    ("Hợp tác xã Hợp Giang", COOP, "4700604567", "Ma Thị Giang", "01867", "Thôn Nà Hái", 2019, 8),
    ("Tổ hợp tác chè Bản Dao", GROUP, "", "Triệu Văn Dao", "01846", "Thôn Bản Dao", 2020, 11),
    ("Tổ hợp tác Phiêng An", GROUP, "", "Lường Văn An", "01852", "Thôn Phiêng An", 2021, 7),
    ("Hợp tác xã Tài Hoan", COOP, "4700701234", "Triệu Thị Hoan", "01963", "Thôn Nà Làng", 2014, 25),
    ("Hợp tác xã Hương Ngàn", COOP, "4700702345", "Hà Thị Ngàn", "01972", "Thôn Khuổi Luông", 2017, 10),
    ("Hộ kinh doanh Nguyễn Văn Dũng", HOUSEHOLD, "0600812345", "Nguyễn Văn Dũng", "13873", "Xóm An Nhiên", 2012, 4),
    ("Hộ kinh doanh Quang Minh", HOUSEHOLD, "0600823456", "Trần Quang Minh", "13876", "Xóm Quang Minh", 2015, 6),
    ("Hộ kinh doanh Bàn Văn Sơn", HOUSEHOLD, "5400912345", "Bàn Văn Sơn", "04603", "Xóm Cha", 2019, 3),
    ("Hợp tác xã dược liệu BIGFARM", COOP, "5400923456", "Đinh Văn Phong", "04606", "Xóm Bưa", 2020, 14),
    ("Tổ hợp tác xóm Sưng", GROUP, "", "Xa Văn Sưng", "04609", "Xóm Sưng", 2021, 9),
    ("Hợp tác xã Tâm Cương Tân Minh", COOP, "5400934567", "Bùi Văn Cương", "04612", "Xóm Tâm", 2018, 11),
]


def load(log) -> None:
    communes = {u.code: u for u in AdministrativeUnit.objects.communes()}
    created = 0
    for name, kind, tax_code, representative, commune_code, address, founded, members in DEMO_SUBJECTS:
        commune = communes[commune_code]
        if Subject.objects.filter(name=name, commune=commune).exists():
            continue
        subject_create(by=None, data={
            "name": name, "kind": kind, "tax_code": tax_code, "legal_representative": representative,
            "commune": commune, "address": address, "founded_year": founded, "members_count": members,
        })
        created += 1
    thien_an = Subject.objects.get(name="Hợp tác xã Thiên An")
    subject_representative_add(subject=thien_an, user=User.objects.get(username="htx.thienan"),
                               position="Giám đốc", by=None)
    log(f"subjects: {created} created, {len(DEMO_SUBJECTS) - created} already there")
