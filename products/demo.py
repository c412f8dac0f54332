"""Demo products from the seeds: HTX Thiên An's seven, Tài Hoan's miến dong, Dền Vang's sticky rice..."""
from subjects.models import Subject

from .models import Product, ProductSet, Standard

# subject, product name, product set number, standards, traceability method
DEMO_PRODUCTS = [
    ("Hợp tác xã Thiên An", "An mộc nhi", 12, [], "Tem QR truy xuất của tỉnh Bắc Kạn"),
    ("Hợp tác xã Thiên An", "Mộc vượng xuân", 12, [], ""),
    ("Hợp tác xã Thiên An", "Phục dưỡng hoa", 12, [], ""),
    ("Hợp tác xã Thiên An", "Thảo dược ngâm chân Thiên An", 20, ["gacp-who"], "Tem QR truy xuất của tỉnh Bắc Kạn"),
    ("Hợp tác xã Thiên An", "Túi thổ cẩm Thiên An", 22, [], ""),
    ("Hợp tác xã Thiên An", "Khăn dải bàn thổ cẩm Thiên An", 22, [], ""),
    ("Hợp tác xã Thiên An", "Bộ lót ấm chén thổ cẩm Thiên An", 22, [], ""),
    ("Hợp tác xã Dền Vang", "Gạo nếp Khẩu Nua Lương", 3, ["vietgap"], "Tem QR truy xuất của tỉnh Bắc Kạn"),
    ("Hợp tác xã Tài Hoan", "Miến dong Tài Hoan", 7, ["vietgap", "haccp"], "Mã QR trên bao bì, nhật ký sản xuất"),
    ("Hợp tác xã Hương Ngàn", "Tinh dầu sả chanh Hương Ngàn", 20, [], ""),
    ("Tổ hợp tác chè Bản Dao", "Chè Bản Dao", 11, ["vietgap"], ""),
    ("Hộ kinh doanh Nguyễn Văn Dũng", "Dầu lạc nguyên chất An Nhiên", 7, [], ""),
    ("Hộ kinh doanh Nguyễn Văn Dũng", "Dầu vừng nguyên chất An Nhiên", 7, [], ""),
    ("Hộ kinh doanh Quang Minh", "Tương ớt Quang Minh Sài Gòn", 9, ["iso22000"], "Mã vạch"),
    ("Hộ kinh doanh Quang Minh", "Sa tế OIHINSU", 9, [], ""),
]


def load(log) -> None:
    sets = {s.number: s for s in ProductSet.objects.all()}
    standards = {s.code: s for s in Standard.objects.all()}
    subjects = {s.name: s for s in Subject.objects.select_related("commune")}
    created = 0
    for subject_name, name, set_number, standard_codes, tracing in DEMO_PRODUCTS:
        subject = subjects[subject_name]
        product, was_created = Product.objects.get_or_create(
            subject=subject, name=name,
            defaults={"product_set": sets[set_number], "commune": subject.commune,
                      "has_traceability": bool(tracing), "traceability_method": tracing},
        )
        if was_created:
            product.standards.set([standards[c] for c in standard_codes])
            created += 1
    log(f"products: {created} created, {len(DEMO_PRODUCTS) - created} already there")
