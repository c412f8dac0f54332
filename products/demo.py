"""Demo products from the seeds: HTX Thiên An's seven, Tài Hoan's miến dong, Dền Vang's sticky rice..."""
from django.db import models

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


# Ideas in every screening state. Bắc Kạn 2024 (seed 003: 48 new products planned) in Bạch Thông and Na Rì;
# Hòa Bình 2023 (seed 004): the Đà Bắc ideas registered for standardisation.
# cycle (province code, year), subject, product name, set, commune code, raw material, local share, market,
# expected star, final state, reason, the officer who registers (and screens) it
DEMO_IDEAS = [
    (("06", 2024), "Hợp tác xã Thiên An", "Trà hoa vàng Thiên An", 12, "01843",
     "Hoa vàng trồng dưới tán rừng thôn Bản Cảu", 100, "provincial", 3, "sent", "", "huyen.bachthong"),
    (("06", 2024), "Hợp tác xã Dền Vang", "Bánh gio Dền Vang", 6, "01855",
     "Gạo nếp Khẩu Nua Lương của 20 hộ thành viên", 95, "provincial", 3, "selected", "", "huyen.bachthong"),
    (("06", 2024), "Hợp tác xã An Bình", "Mật ong bạc hà An Bình", 4, "01840",
     "Mật ong của 40 đàn ong trong xã", 80, "national", 4, "returned",
     "Bổ sung kết quả kiểm nghiệm và ảnh bao bì hiện tại.", "huyen.bachthong"),
    (("06", 2024), "Tổ hợp tác Phiêng An", "Măng khô Phiêng An", 7, "01852",
     "Măng vầu rừng tự nhiên", 100, "local", 3, "rejected",
     "Nguyên liệu khai thác tự nhiên chưa có vùng nguyên liệu ổn định.", "huyen.bachthong"),
    (("06", 2024), "Hợp tác xã Hợp Giang", "Rượu men lá Hợp Giang", 14, "01867",
     "Gạo và men lá của các hộ trong thôn Nà Hái", 90, "provincial", 3, "submitted", "", "huyen.bachthong"),
    (("06", 2024), "Hợp tác xã Thiên An", "Nước ngâm chân thảo dược Thiên An", 20, "01843",
     "", None, "", None, "draft", "", "huyen.bachthong"),
    (("06", 2024), "Hợp tác xã Hương Ngàn", "Tinh dầu quế Hương Ngàn", 20, "01972",
     "Vỏ quế của các hộ xã Văn Minh", 85, "national", 3, "submitted", "", "huyen.nari"),
    (("17", 2023), "Hộ kinh doanh Bàn Văn Sơn", "Măng khô Toàn Sơn", 7, "04603",
     "Măng rừng xóm Cha", 100, "provincial", 3, "sent", "", "huyen.dabac"),
    (("17", 2023), "Hợp tác xã dược liệu BIGFARM", "Cao thải độc gan BIGFARM", 18, "04606",
     "Dược liệu trồng tại xã Yên Hòa", 70, "national", 3, "sent", "", "huyen.dabac"),
    (("17", 2023), "Tổ hợp tác xóm Sưng", "Chè Shan tuyết Núi Biều", 11, "04609",
     "Chè Shan tuyết cổ thụ xóm Sưng", 100, "national", 4, "sent", "", "huyen.dabac"),
    (("17", 2023), "Hợp tác xã Tâm Cương Tân Minh", "Gà sơ chế Tâm Cương", 2, "04612",
     "Gà đồi nuôi thả của các thành viên", 90, "provincial", 3, "submitted", "", "huyen.dabac"),
]


def _photo(name: str):
    """A small generated photo for a demo registration form (the form needs one file to be submitted)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (11, 110, 79)).save(out, format="JPEG")
    return SimpleUploadedFile(f"{name}.jpg", out.getvalue(), content_type="image/jpeg")


def load_ideas(log) -> None:
    from ocop.models import AdministrativeUnit, Cycle, User
    from ocop.text import fold

    from .enums import IdeaStatus
    from .models import ProductIdea
    from .services.ideas import idea_register, idea_reject, idea_return, idea_select, ideas_send

    sets = {s.number: s for s in ProductSet.objects.all()}
    created, to_send = 0, {}
    for (province, year), subject_name, name, set_number, commune_code, material, share, market, star, state, \
            reason, screener in DEMO_IDEAS:
        cycle = Cycle.objects.get(province__code=province, year=year)
        if ProductIdea.objects.filter(cycle=cycle, product_name=name).exists():
            continue
        subject = Subject.objects.get(name=subject_name)
        officer = User.objects.get(username=screener)
        idea = idea_register(
            cycle=cycle, subject=subject, product_name=name, product_set=sets[set_number],
            commune=AdministrativeUnit.objects.get(code=commune_code), raw_material_source=material,
            local_material_share=share, market=market, expected_star=star,
            support_needed="Thiết kế bao bì, nhãn mác; tập huấn",
            attachments=[] if state == "draft" else [_photo(fold(name).replace(" ", "-"))],
            submit=state != "draft", by=officer).idea
        created += 1
        if state == "returned":
            idea_return(idea=idea, reason=reason, by=officer)
        elif state == "rejected":
            idea_reject(idea=idea, reason=reason, by=officer)
        elif state in ("selected", "sent"):
            idea_select(idea=idea, by=officer)
            if state == "sent":
                to_send.setdefault((cycle.pk, screener), []).append(idea)
    for (_cycle, screener), ideas in to_send.items():
        ideas_send(ideas=[ProductIdea.objects.get(pk=i.pk) for i in ideas], by=User.objects.get(username=screener),
                   note="Danh sách ý tưởng sản phẩm đề nghị tỉnh thẩm định")
    states = dict(ProductIdea.objects.values_list("status").annotate(n=models.Count("pk")).order_by())
    log(f"ideas: {created} created; " + ", ".join(f"{IdeaStatus(k).label}: {v}" for k, v in sorted(states.items())))
