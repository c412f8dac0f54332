"""Demo certificates: the Bạch Thông 2023 decision's (now expired), Thái Nguyên's 2026 decision's (issue 16), HTX
Tài Hoan's 5★ miến dong from the central level (seed 003), and from Bắc Kạn's register one renewed (in 2026, by
Thái Nguyên, which Bắc Kạn was merged into), one revoked, and one ending within 30 days of the day the command runs
(so that the expiry pages and notices always have something to show); Thái Nguyên's 2026 plan of inspections after
recognition, with a compliant inspection and one whose corrective action is open."""
import datetime

from django.utils import timezone

from evaluation.demo import THAINGUYEN_2026_DECISION
from evaluation.enums import EvaluationLevel
from evaluation.models import Decision
from ocop.demo import demo_backdate, demo_moment
from ocop.models import AdministrativeUnit, User
from ocop.selectors import unit_successor
from products.models import Product

from .enums import InspectionVerdict
from .inspections import inspection_plan_save, inspection_record
from .models import Certificate, InspectionPlan
from .services import certificate_register, certificate_revoke, certificates_issue_for_decision
from .validity import add_months

MINISTRY = "Bộ Nông nghiệp và Phát triển nông thôn"


def load(log) -> None:
    today = timezone.localdate()
    decision = Decision.objects.filter(number="1568/QĐ-UBND").first()
    if decision is not None:
        certificates_issue_for_decision(decision=decision, by=None, render=False)
        # Issued in 2023: their history says so, not the day the demo is loaded.
        demo_backdate(list(decision.certificates.all()), demo_moment(decision.signed_on, 10))
    # Thái Nguyên's decision of its 2026 second round (evaluation's demo): the certificates of the products it
    # recognised, in the province's name (the bún dong riềng, recognised 4★, is nominated to the central level).
    thainguyen_2026 = Decision.objects.filter(number=THAINGUYEN_2026_DECISION, issuing_unit__code="19").first()
    if thainguyen_2026 is not None:
        certificates_issue_for_decision(decision=thainguyen_2026, by=None, render=False)
    backan = AdministrativeUnit.objects.get(code="06")
    products = {p.name: p for p in Product.objects.select_related("subject")}

    def register(name, star, number, decision_number, decision_date, issued_on, level=EvaluationLevel.PROVINCE,
                 unit=backan, authority="", signer=None):
        # Bắc Kạn's certificates issued from 01/07/2025 are Thái Nguyên's, which it was merged into.
        unit = unit and unit_successor(unit, on=issued_on)
        number = number.format(authority=unit.code if unit else "")
        existing = Certificate.objects.filter(number=number, product=products[name]).first()
        return existing or certificate_register(
            product=products[name], star=star, number=number, decision_number=decision_number,
            decision_date=decision_date, signer=signer or f"Chủ tịch UBND tỉnh {unit.name}", level=level,
            issued_on=issued_on, issuing_unit=unit, authority_name=authority, by=None, render=False)

    # Seed 003: the province's only 5★ product, exported to the Czech Republic.
    register("Miến dong Tài Hoan", 5, "015/2024/GCN-TW", "2310/QĐ-BNN-KTHT", datetime.date(2024, 6, 18),
             datetime.date(2024, 6, 18), level=EvaluationLevel.CENTRAL, unit=None, authority=MINISTRY,
             signer="Bộ trưởng Bộ Nông nghiệp và Phát triển nông thôn")
    # Renewed: the gạo nếp's 2023 district certificate, re-recognised in October 2026 by Thái Nguyên, the province
    # Bắc Kạn was merged into.
    register("Gạo nếp Khẩu Nua Lương", 3, "041/2026/GCN-{authority}", "2015/QĐ-UBND", datetime.date(2026, 10, 2),
             datetime.date(2026, 10, 2))
    # Valid and upgraded to 4★ by the province.
    register("Chè Bản Dao", 4, "087/2024/GCN-06", "2240/QĐ-UBND", datetime.date(2024, 12, 20),
             datetime.date(2024, 12, 20))
    register("Phục dưỡng hoa", 3, "012/2025/GCN-06", "512/QĐ-UBND", datetime.date(2025, 3, 28),
             datetime.date(2025, 3, 28))
    # Ends within 30 days of today, whenever the demo is loaded.
    issued = add_months(today, -36) + datetime.timedelta(days=21)
    register("Thảo dược ngâm chân Thiên An", 3, f"064/{issued.year}/GCN-{{authority}}",
             f"{1900 + issued.month}/QĐ-UBND", issued, issued)
    # Revoked for a food-safety violation.
    revoked = register("Mộc vượng xuân", 3, "013/2025/GCN-06", "512/QĐ-UBND", datetime.date(2025, 3, 28),
                       datetime.date(2025, 3, 28))
    if not revoked.revoked_on:
        certificate_revoke(certificate=revoked, ground="quality",
                           reason="Không duy trì chất lượng sản phẩm như khi được công nhận",
                           decision_number="1877/QĐ-UBND", revoked_on=datetime.date(2026, 9, 12), by=None)
    statuses = dict(Certificate.objects.with_status(on=today).values_list("number", "status"))
    log(f"certificates: {len(statuses)} ({', '.join(sorted(set(statuses.values())))})")
    _inspections(log, today)


THAINGUYEN_2026_PLAN = "Kế hoạch kiểm tra, giám sát sản phẩm OCOP sau công nhận năm 2026"
INSPECTORS = "Đoàn kiểm tra Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên: Hoàng Văn Bình (trưởng đoàn), " \
             "Lường Thị Mai (Chi cục Quản lý chất lượng nông lâm sản và thủy sản)"
TEA_INSPECTED_ON = datetime.date(2026, 11, 12)
RICE_INSPECTED_ON, RICE_DEADLINE = datetime.date(2026, 11, 20), datetime.date(2026, 12, 20)


def _inspections(log, today: datetime.date) -> None:
    """Seeds 000 and 003: "strengthen supervision after recognition". Thái Nguyên's 2026 plan: Tổ hợp tác chè Bản
    Dao's 4★ tea found compliant on 12/11/2026, HTX Dền Vang's glutinous rice (re-recognised on 02/10/2026) asked to
    correct its label by 20/12/2026 (open). Left out on a day before the inspections took place; loaded once."""
    thainguyen = AdministrativeUnit.objects.get(code="19")
    plan = InspectionPlan.objects.filter(unit=thainguyen, year=2026, title=THAINGUYEN_2026_PLAN).first()
    if today < RICE_INSPECTED_ON or (plan is not None and plan.inspections.exists()):
        return
    office = User.objects.filter(username="tinh.thainguyen").first()
    plan = plan or inspection_plan_save(
        unit=thainguyen, year=2026, title=THAINGUYEN_2026_PLAN, by=office,
        notes="Kiểm tra chất lượng, nhãn mác, tem truy xuất nguồn gốc và việc sử dụng biểu trưng OCOP của các sản "
              "phẩm đã được công nhận; đề xuất thu hồi giấy chứng nhận của chủ thể không tuân thủ.")
    demo_backdate([plan], demo_moment(datetime.date(2026, 11, 2), 8), fields=("created_at", "updated_at"))
    tea = Certificate.objects.in_force(on=TEA_INSPECTED_ON).get(product__name="Chè Bản Dao")
    tea_inspection = inspection_record(
        certificate=tea, plan=plan, inspected_on=TEA_INSPECTED_ON, inspectors=INSPECTORS, by=office,
        verdict=InspectionVerdict.COMPLIANT, findings="Sản phẩm duy trì chất lượng như khi được công nhận.",
        checks={"quality": (True, "Phiếu kết quả thử nghiệm tháng 9/2026 đạt chỉ tiêu công bố"),
                "labelling": (True, ""), "traceability": (True, "Tem truy xuất quét được, thông tin đúng lô hàng"),
                "mark": (True, ""), "production": (True, "Xưởng chế biến hoạt động bình thường")})
    rice = Certificate.objects.in_force(on=RICE_INSPECTED_ON).get(product__name="Gạo nếp Khẩu Nua Lương")
    rice_inspection = inspection_record(
        certificate=rice, plan=plan, inspected_on=RICE_INSPECTED_ON, inspectors=INSPECTORS, by=office,
        verdict=InspectionVerdict.CORRECTIVE,
        findings="Bao bì lô gạo mới không ghi hạn sử dụng; nhãn OCOP in 4 sao trong khi sản phẩm được công nhận 3 sao.",
        corrective_action="In lại nhãn bao bì ghi đủ hạn sử dụng, dùng nhãn OCOP 3 sao đúng hạng được công nhận; "
                          "gửi ảnh nhãn mới và hóa đơn in bao bì.",
        corrective_deadline=RICE_DEADLINE,
        checks={"quality": (True, ""), "labelling": (False, "Thiếu hạn sử dụng trên bao bì 5 kg"),
                "traceability": (True, ""), "mark": (False, "Nhãn OCOP in sai số sao"),
                "production": (True, "")})
    # Recorded on the afternoon of each inspection, not on the day the demo is loaded.
    for inspection in (tea_inspection, rice_inspection):
        demo_backdate([inspection], demo_moment(inspection.inspected_on, 16),
                      fields=("created_at", "recorded_at", "updated_at"))
    log(f"inspections: {plan} with {plan.inspections.count()} inspections")
