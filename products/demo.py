"""Demo products from the seeds: HTX Thiên An's seven, Tài Hoan's miến dong, Dền Vang's sticky rice...; the ideas
of Bắc Kạn's 2024 and Hòa Bình's 2023 cycles; Thái Nguyên's 2026 ideas and dossiers under the two-tier rules."""
import functools

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
    _date_past_ideas()
    _backan_2024_plan()
    states = dict(ProductIdea.objects.values_list("status").annotate(n=models.Count("pk")).order_by())
    log(f"ideas: {created} created; " + ", ".join(f"{IdeaStatus(k).label}: {v}" for k, v in sorted(states.items())))


# Step 3 of Bắc Kạn's 2024 cycle: the business plan of HTX Thiên An's trà hoa vàng, selected and sent to the province,
# received by Bạch Thông district in May 2024, with its milestones and the support the cooperative received (steps 3
# and 4).
BACKAN_2024_PLAN = {
    "idea": "Trà hoa vàng Thiên An", "registered_by": "huyen.bachthong", "received_on": (2024, 5, 20),
    "summary": "Mở rộng vùng trồng trà hoa vàng dưới tán rừng thôn Bản Cảu lên 5 ha; cải tạo 80 m² nhà xưởng thành "
               "xưởng sấy, đóng gói đạt điều kiện an toàn thực phẩm; bán tại các điểm du lịch Ba Bể và siêu thị "
               "trong tỉnh.",
    "milestones": [("Hoàn thiện xưởng sấy, được cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
                    (2024, 7, 31), (2024, 7, 25)),
                   ("Thiết kế bao bì, nhãn và tem truy xuất nguồn gốc", (2024, 8, 31), (2024, 8, 28))],
    "support": ("packaging", "Thiết kế bao bì và nhãn sản phẩm", "Trung tâm Khuyến công tỉnh Bắc Kạn",
                (2024, 8, 5), (2024, 8, 20)),
}


def _backan_2024_plan() -> None:
    """The business plan of BACKAN_2024_PLAN through the services, dated on its day of 2024. Idempotent."""
    import datetime

    from ocop.demo import demo_backdate, demo_moment
    from ocop.models import User

    from .models import BusinessPlan, ProductIdea
    from .services.catalog import business_plan_create, plan_milestone_save, support_activity_save

    spec = BACKAN_2024_PLAN
    idea = ProductIdea.objects.filter(product_name=spec["idea"], cycle__year=2024).first()
    if idea is None:
        return
    plan = BusinessPlan.objects.filter(idea=idea).first()
    if plan is None:
        officer = User.objects.get(username=spec["registered_by"])
        plan = business_plan_create(idea=idea, summary=spec["summary"],
                                    received_on=datetime.date(*spec["received_on"]), by=officer)
        for title, due_on, done_on in spec["milestones"]:
            plan_milestone_save(plan=plan, title=title, due_on=datetime.date(*due_on), done_on=datetime.date(*done_on),
                                by=officer)
        kind, description, provider, starts_on, ends_on = spec["support"]
        support_activity_save(plan=plan, kind=kind, description=description, provider=provider,
                              starts_on=datetime.date(*starts_on), ends_on=datetime.date(*ends_on), by=officer)
    demo_backdate([plan], demo_moment(datetime.date(*spec["received_on"]), 10), fields=("created_at", "updated_at"))


def _date_past_ideas() -> None:
    """Date the ideas of past cycles (Bắc Kạn 2024, Hòa Bình 2023) in their cycle's step 2, as they were
    registered, screened and sent then, not on the day the demo is loaded: a 2024 idea says it was registered in
    March 2024 (one every three days from the 11th), screened ten days later and sent with its list on 26 April.
    Idempotent."""
    import datetime

    from django.utils import timezone

    from ocop.demo import demo_moment
    from ocop.models import AuditEntry
    from ocop.selectors import audit_trail_for

    from .enums import IdeaStatus
    from .models import IdeaAttachment, IdeaList, ProductIdea

    screened_to = {IdeaStatus.TRANSITIONS[action][1] for action in IdeaStatus.SCREENING}
    ideas = (ProductIdea.objects.filter(product_name__in=[row[2] for row in DEMO_IDEAS],
                                        cycle__year__lt=timezone.localdate().year)
             .select_related("cycle").order_by("cycle__year", "cycle_id", "pk"))
    position: dict[int, int] = {}
    for idea in ideas:
        index = position[idea.cycle_id] = position.get(idea.cycle_id, -1) + 1
        registered_on = datetime.date(idea.cycle.year, 3, 11) + datetime.timedelta(days=3 * index)
        registered = demo_moment(registered_on, 9)
        screened = demo_moment(registered_on + datetime.timedelta(days=10), 14)
        sent = demo_moment(datetime.date(idea.cycle.year, 4, 26), 15)
        entries = list(audit_trail_for(idea).order_by("id"))
        for entry in entries:
            moved_to = (entry.changes.get("status") or [None, None])[1]
            entry.at = sent if moved_to == IdeaStatus.SENT else screened if moved_to in screened_to else registered
        AuditEntry.objects.bulk_update(entries, ["at"])
        ProductIdea.objects.filter(pk=idea.pk).update(
            created_at=registered, updated_at=max([registered, *(e.at for e in entries)]),
            submitted_at=registered if idea.submitted_at else None,
            procedure_on=registered_on if idea.procedure_on else None,
            screened_at=screened if idea.screened_at else None)
        IdeaAttachment.objects.filter(idea=idea).update(uploaded_at=registered)
    for idea_list in IdeaList.objects.filter(ideas__in=ideas).distinct().select_related("cycle"):
        sent = demo_moment(datetime.date(idea_list.cycle.year, 4, 26), 15)
        IdeaList.objects.filter(pk=idea_list.pk).update(sent_at=sent)
        audit_trail_for(idea_list).update(at=sent)


# ---------------------------------------------------------------------------------------------
# Vietnam of today: Thái Nguyên's 2026 cycle, which since 01/07/2025 holds former Bắc Kạn (issue 16, item 6).
# The ideas are screened by the provincial office (a commune directly under its province: no district step); the
# dossiers are received and checked by the officer of the product's commune (1489/QĐ-TTg, 26/2026/QĐ-TTg). The
# products of 2026 are registered in the new communes (Bạch Thông 19102, Côn Minh 19111, Phong Quang 19105).
# ---------------------------------------------------------------------------------------------

# subject, product name, set, commune code, raw material, local share, market, expected star, final state, reason,
# who registers it. Phong Quang (19105) has no officer in the demo: its form was entered by the provincial office.
THAINGUYEN_2026_IDEAS = [
    ("Hợp tác xã Tài Hoan", "Bún dong riềng Tài Hoan", 7, "19111",
     "Củ dong riềng của 60 hộ thành viên xã Côn Minh", 100, "export", 4, "selected", "", "xa.conminh"),
    ("Hợp tác xã Hương Ngàn", "Tinh dầu gừng Hương Ngàn", 20, "19111",
     "Gừng trâu trồng tại thôn Khuổi Luông", 90, "national", 3, "selected", "", "xa.conminh"),
    ("Tổ hợp tác chè Bản Dao", "Trà xanh Bản Dao", 11, "19102",
     "Chè trung du của 11 hộ thôn Bản Dao", 100, "provincial", 4, "selected", "", "xa.bachthong"),
    ("Tổ hợp tác Phiêng An", "Măng vầu sấy Phiêng An", 7, "19102",
     "Măng vầu trồng trên 12 ha vùng nguyên liệu của tổ", 100, "provincial", 3, "selected", "", "xa.bachthong"),
    ("Hợp tác xã An Bình", "Măng ớt Phủ Thông", 7, "19102",
     "Măng tre Bát độ và ớt của các hộ Phủ Thông", 85, "provincial", 3, "selected", "", "xa.bachthong"),
    ("Hợp tác xã Thiên An", "Trà giảo cổ lam Thiên An", 12, "19102",
     "Giảo cổ lam trồng dưới tán rừng thôn Bản Cảu", 100, "national", 4, "selected", "", "htx.thienan"),
    ("Hợp tác xã Thiên An", "Xà phòng thảo dược Thiên An", 19, "19102",
     "Lá thuốc tắm của người Dao thu hái tại thôn Bản Cảu", 80, "provincial", 3, "selected", "", "htx.thienan"),
    ("Hợp tác xã Tài Hoan", "Bánh đa dong riềng Tài Hoan", 6, "19111",
     "Tinh bột dong riềng và gạo của các hộ xã Côn Minh", 95, "provincial", 3, "submitted", "", "xa.conminh"),
    ("Hợp tác xã Dền Vang", "Cốm nếp Khẩu Nua Dền Vang", 6, "19105",
     "Nếp Khẩu Nua Lương của 20 hộ thành viên", 100, "provincial", 3, "returned",
     "Bổ sung phiếu kết quả kiểm nghiệm chỉ tiêu vi sinh và ảnh mẫu nhãn sản phẩm dự kiến.", "tinh.thainguyen"),
]
THAINGUYEN_SCREENER = "tinh.thainguyen"

# product, where its dossier is left, who prepares and submits it (the subject's representative, or for a subject
# without a login the commune officer who enters the dossier it brought), the officer who receives it. The dossiers
# left "checked" here are pre-assessed by the commune in evaluation's demo (the criteria are the score sheet's),
# and those of THAINGUYEN_2026_SENT sent to the province there.
THAINGUYEN_2026_DOSSIERS = [
    ("Xà phòng thảo dược Thiên An", "draft", "htx.thienan", "xa.bachthong"),
    # HTX Thiên An's dossier is left submitted and waiting for xa.bachthong: complete (every document the checklist
    # requires, the samples received), with no traceability evidence (optional). The browser journey of issue 16
    # (item 7) receives it, returns it once asking for that evidence, receives it again, pre-assesses and sends it.
    ("Trà giảo cổ lam Thiên An", "submitted", "htx.thienan", "xa.bachthong"),
    ("Tinh dầu gừng Hương Ngàn", "resubmitted", "xa.conminh", "xa.conminh"),
    ("Măng ớt Phủ Thông", "checked", "xa.bachthong", "xa.bachthong"),
    ("Trà xanh Bản Dao", "checked", "xa.bachthong", "xa.bachthong"),
    ("Măng vầu sấy Phiêng An", "checked", "xa.bachthong", "xa.bachthong"),
    ("Bún dong riềng Tài Hoan", "checked", "xa.conminh", "xa.conminh"),
    # HTX Thiên An's Túi thổ cẩm (a product of its own, no idea of 2026), 3★ in Bạch Thông's 2023 until its certificate
    # ended in 2026, comes back: the province rates it 4★ in the second round.
    ("Túi thổ cẩm Thiên An", "checked", "htx.thienan", "xa.bachthong"),
]
# The checked dossiers each commune sends to the province in one list (evaluation's demo, after pre-assessing them).
THAINGUYEN_2026_SENT = {
    "xa.bachthong": ["Trà xanh Bản Dao", "Măng vầu sấy Phiêng An", "Túi thổ cẩm Thiên An"],
    "xa.conminh": ["Bún dong riềng Tài Hoan"],
}
THAINGUYEN_2026_RETURN = (
    "Bản thuyết minh tổ chức sản xuất chưa có chữ ký của giám đốc và dấu của hợp tác xã; đề nghị bổ sung bản đã ký, "
    "đóng dấu.")

# The title of each kind of evidence in the demo's dossiers.
EVIDENCE_TITLES = {
    "registration_form": "Phiếu đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP",
    "self_assessment": "Phiếu tự đánh giá, phân hạng sản phẩm",
    "business_plan": "Phương án sản xuất, kinh doanh",
    "organisation": "Bản thuyết minh tổ chức sản xuất",
    "business_registration": "Giấy chứng nhận đăng ký hợp tác xã",
    "food_safety_licence": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    "quality_declaration": "Bản tự công bố sản phẩm",
    "test_results": "Phiếu kết quả thử nghiệm",
    "raw_material_origin": "Hồ sơ chứng minh nguồn gốc nguyên liệu",
    "product_story": "Câu chuyện sản phẩm",
}


@functools.cache
def _blank_page_pdf() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (210, 297), (255, 255, 255)).save(out, format="PDF")
    return out.getvalue()


def _document(name: str):
    """A small generated PDF (one blank page) for a demo dossier document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{name}.pdf", _blank_page_pdf(), content_type="application/pdf")


def _evidence_add(dossier, kinds, by, today) -> None:
    """Add one document of each kind, with the validity a licence or test result carries (dated from `today`)."""
    import datetime

    from ocop.text import fold

    from .services.dossiers import DATED_KINDS, dossier_documents_add

    slug = fold(dossier.product.name).replace(" ", "-")
    for kind in kinds:
        issued_on = valid_until = None
        if kind in DATED_KINDS:  # a licence for 3 years, a test result for 12 months
            issued_on = today - datetime.timedelta(days=400 if kind == "food_safety_licence" else 60)
            valid_until = issued_on + datetime.timedelta(days=3 * 365 if kind == "food_safety_licence" else 365)
        dossier_documents_add(dossier=dossier, kind=kind, files=[_document(f"{slug}-{kind.replace('_', '-')}")],
                              title=EVIDENCE_TITLES.get(kind, ""), issued_on=issued_on, valid_until=valid_until,
                              by=by)


def load_thainguyen_2026(log) -> None:
    """Thái Nguyên's 2026 ideas and dossiers at every stage of the commune's procedure, through the services."""
    import datetime

    from django.utils import timezone

    from ocop.models import AdministrativeUnit, Cycle, User
    from ocop.text import fold

    from .enums import DossierStatus, EvidenceKind
    from .models import Dossier, ProductIdea
    from .services.dossiers import (
        dossier_check,
        dossier_create,
        dossier_required_kinds,
        dossier_return,
        dossier_set_samples,
        dossier_submit,
    )
    from .services.ideas import idea_register, idea_return, idea_select

    today = timezone.localdate()
    cycle = Cycle.objects.get(province__code="19", year=2026)
    users = {u.username: u for u in User.objects.filter(
        username__in=["htx.thienan", "xa.bachthong", "xa.conminh", THAINGUYEN_SCREENER])}
    sets = {s.number: s for s in ProductSet.objects.all()}
    screener = users[THAINGUYEN_SCREENER]
    created = 0
    for subject_name, name, set_number, commune_code, material, share, market, star, state, reason, registrar \
            in THAINGUYEN_2026_IDEAS:
        if ProductIdea.objects.filter(cycle=cycle, product_name=name).exists():
            continue
        idea = idea_register(
            cycle=cycle, subject=Subject.objects.get(name=subject_name), product_name=name,
            product_set=sets[set_number], commune=AdministrativeUnit.objects.get(code=commune_code),
            raw_material_source=material, local_material_share=share, market=market, expected_star=star,
            support_needed="Tư vấn hoàn thiện hồ sơ, thiết kế bao bì và tem truy xuất nguồn gốc",
            attachments=[_photo(fold(name).replace(" ", "-"))], submit=True, by=users[registrar]).idea
        created += 1
        if state == "selected":
            idea_select(idea=idea, by=screener)
        elif state == "returned":
            idea_return(idea=idea, reason=reason, by=screener)

    opened = 0
    for name, stage, preparer, receiver in THAINGUYEN_2026_DOSSIERS:
        # A new product comes from its idea of the cycle; a product that comes back (no idea of the cycle) by its name.
        product = (Product.objects.select_related("product_set", "subject").filter(name=name, ideas__cycle=cycle)
                   .first() or Product.objects.select_related("product_set", "subject").get(name=name))
        if Dossier.objects.filter(product=product, cycle=cycle).exists():
            continue
        by, officer = users[preparer], users[receiver]
        dossier = dossier_create(product=product, cycle=cycle, by=by)
        opened += 1
        kinds = dossier_required_kinds(dossier)
        if stage == "draft":  # being prepared: the first documents, no samples yet
            _evidence_add(dossier, kinds[:3], by, today)
            continue
        _evidence_add(dossier, kinds, by, today)
        dossier_set_samples(dossier=dossier, samples_received_on=today - datetime.timedelta(days=10), by=by)
        dossier = dossier_submit(dossier=dossier, by=by)
        if stage == "resubmitted":  # returned once by the commune with its reason, completed and submitted again
            dossier = dossier_return(dossier=dossier, reason=THAINGUYEN_2026_RETURN, by=officer)
            _evidence_add(dossier, [EvidenceKind.ORGANISATION], by, today)
            dossier = dossier_submit(dossier=dossier, by=by)
        elif stage == "checked":
            dossier_check(dossier=dossier, by=officer)
    states = dict(Dossier.objects.filter(cycle=cycle).values_list("status").annotate(n=models.Count("pk")).order_by())
    log(f"Thái Nguyên 2026: {created} ideas registered, {opened} dossiers opened; dossiers "
        + ", ".join(f"{DossierStatus(k).label}: {v}" for k, v in sorted(states.items())))
