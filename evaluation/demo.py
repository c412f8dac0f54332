"""Demo evaluations: Bắc Kạn's 2023 under 148/QĐ-TTg, as history (a district session in Bạch Thông with its
decision, a provincial session, both finalised and dated on their days of 2023), and Thái Nguyên's 2026 under the
two-tier rules: the communes' pre-assessment of the dossiers they checked and the lists they sent, a provincial
session of the second round scored and finalised (a product recognised 4★ and nominated to the central level) with
its decision, and a planned session. Scores are chosen per member to land near a target total."""
import datetime
from decimal import Decimal

from django.utils import timezone

from ocop.demo import demo_backdate, demo_moment
from ocop.enums import SignerTitle
from ocop.models import AdministrativeUnit, Cycle, User
from ocop.registry import product_standing
from products.demo import THAINGUYEN_2026_DOSSIERS, THAINGUYEN_2026_SENT
from products.enums import DossierStatus
from products.models import Dossier, Product
from products.services.dossiers import dossiers_send

from .enums import EvaluationKind, EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from .models import ConflictOfInterest, Council, CycleRegulation, Evaluation, Regulation, Scorecard, Session
from .selectors.preassessment import commune_criteria
from .services.councils import conflict_declare, council_create, council_member_add, session_assign, session_create
from .services.preassessment import dossier_preassess, dossier_sheet
from .services.results import decision_issue, evaluation_remarks_set, session_finalise
from .services.scoring import scorecard_submit, scores_set

MEMBERS = [("hoidong.1", MemberRole.CHAIR), ("hoidong.2", MemberRole.MEMBER), ("hoidong.3", MemberRole.SECRETARY)]

# product name -> each member's target total
DISTRICT_2023 = {
    "Gạo nếp Khẩu Nua Lương": (66, 64, 68),
    "An mộc nhi": (58, 61, 57),
    "Túi thổ cẩm Thiên An": (55, 52, 56),
    "Chè Bản Dao": (73, 71, 75),
}
PROVINCE_2023 = {"Miến dong Tài Hoan": (93, 91, 94), "Chè Bản Dao": (76, 74, 78)}

# Thái Nguyên 2026, second round: the dossiers the communes sent. The province's council may recognise at most 4★
# (26/2026/QĐ-TTg); a mean of 90 or more is nominated to the central level (LevelRule.nomination_score): the
# bún dong riềng is recognised 4★ and nominated, the trà xanh 4★, the măng vầu 3★.
THAINGUYEN_2026 = {
    "Bún dong riềng Tài Hoan": (93, 91, 94),
    "Trà xanh Bản Dao": (78, 75, 80),
    "Măng vầu sấy Phiêng An": (63, 60, 66),
    # HTX Thiên An's Túi thổ cẩm, 3★ in 2023 (its certificate has ended), comes back: 4★, a few points short of 5★.
    "Túi thổ cẩm Thiên An": (84, 81, 86),
}
# What the council says of each product, written by its secretary before the chair finalises.
THAINGUYEN_2026_REMARKS = {
    "Túi thổ cẩm Thiên An": "Sản phẩm thủ công của phụ nữ Dao thôn Bản Cảu, hoa văn truyền thống, câu chuyện sản phẩm "
                            "rõ ràng. Đề nghị hợp tác xã mở rộng thị trường ngoài tỉnh và chuẩn hoá kích thước, bao "
                            "bì để hướng tới 5 sao.",
    "Bún dong riềng Tài Hoan": "Sản phẩm chủ lực của tỉnh, chuỗi liên kết khép kín với 60 hộ thành viên; đề nghị "
                               "Hội đồng cấp trung ương đánh giá, phân hạng 5 sao.",
}
THAINGUYEN_2026_DECISION = "3162/QĐ-UBND"
THAINGUYEN_2026_PLANNED_ON = datetime.date(2026, 12, 8)
# The commune's note on each criterion it pre-assesses (the demo sheets mark 1.1 and 3.2: local raw materials and
# local labour); it proposes the sheet's highest answer.
PRE_ASSESSMENT_NOTES = {
    "1.1": "Đã kiểm tra vùng nguyên liệu tại thôn; có xác nhận của trưởng thôn và hợp đồng thu mua với các hộ.",
    "3.2": "Theo danh sách lao động có xác nhận của UBND xã: lao động đều là người địa phương.",
}


def _answer_near(card, target, by):
    """Choose, for every criterion, the answer whose points come closest to the target share."""
    share = Decimal(target) / Decimal(100)
    answers = {}
    for criterion in card.evaluation.sheet.criteria.prefetch_related("options"):
        options = [o for o in criterion.options.all() if not o.knocks_out]
        answers[criterion.pk] = min(options, key=lambda o: abs(o.points - share * criterion.max_points)).pk
    scores_set(scorecard=card, answers=answers, by=by)


def _answer_total(card, target, by):
    """Answers whose points add up to the target total (or just above it, when no answer steps down by less): the
    highest answer of every criterion, then one step down at a time, from the end of the sheet up, while the total
    stays at or above the target. Never a 0-point answer: one on a mandatory criterion would cap the star."""
    criteria = list(card.evaluation.sheet.criteria.prefetch_related("options").order_by("-position"))
    ladders = {}
    for criterion in criteria:
        options = sorted((o for o in criterion.options.all() if not o.knocks_out), key=lambda o: o.points)
        ladders[criterion.pk] = [o for o in options if o.points > 0] or options
    picks = {pk: len(ladder) - 1 for pk, ladder in ladders.items()}
    total = sum(ladder[-1].points for ladder in ladders.values())
    lowered = True
    while lowered:
        lowered = False
        for pk, ladder in ladders.items():
            step = ladder[picks[pk]].points - ladder[picks[pk] - 1].points if picks[pk] > 0 else None
            if step is not None and total - step >= target:
                total, picks[pk], lowered = total - step, picks[pk] - 1, True
    scores_set(scorecard=card, answers={pk: ladders[pk][i].pk for pk, i in picks.items()}, by=by)


def _council(cycle, level, unit, name, established_by):
    council = Council.objects.filter(cycle=cycle, level=level, unit=unit).first()
    if council is None:
        council = council_create(cycle=cycle, level=level, unit=unit, name=name, established_by=established_by, by=None)
        for username, role in MEMBERS:
            user = User.objects.get(username=username)
            council_member_add(council=council, user=user, role=role, by=None)
    return council


def _score_session(session, targets, submit=True, dossiers=None, by=None, answer=_answer_near):
    """Put each product on the agenda (with its dossier when given) and have each member score it near his
    target (`answer`: how the answers are chosen); None: the member declares a conflict."""
    products = {p.name: p for p in Product.objects.filter(name__in=targets)}
    members = list(session.council.members.select_related("user"))
    dossiers = dossiers or {}
    for name, member_targets in targets.items():
        evaluation = session_assign(session=session, product=products[name], dossier=dossiers.get(name), by=by)
        for member, target in zip(members, member_targets):
            card = evaluation.scorecards.filter(member=member).first()
            if target is None:
                if card is not None:
                    conflict_declare(evaluation=evaluation, member=member, by=member.user,
                                     reason="Là thành viên của tổ hợp tác có sản phẩm")
                continue
            answer(card, target, member.user)
            if submit:
                scorecard_submit(scorecard=card, by=member.user)


def load(log) -> None:
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=["06", "063", "19"])}
    rules_148 = Regulation.objects.get(code="148/QĐ-TTg")
    rules_2026 = Regulation.objects.get(code="26/2026/QĐ-TTg")
    backan_2023 = Cycle.objects.get(province=units["06"], year=2023)
    thainguyen_2026 = Cycle.objects.get(province=units["19"], year=2026)
    CycleRegulation.objects.get_or_create(cycle=backan_2023, defaults={"regulation": rules_148})
    CycleRegulation.objects.get_or_create(cycle=thainguyen_2026, defaults={"regulation": rules_2026})

    district = _council(backan_2023, EvaluationLevel.DISTRICT, units["063"],
                        "Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Bạch Thông năm 2023",
                        "Quyết định số 812/QĐ-UBND ngày 15/8/2023 của UBND huyện Bạch Thông")
    if not district.sessions.exists():
        session = session_create(council=district, held_on=datetime.date(2023, 9, 20),
                                 place="Hội trường UBND huyện Bạch Thông", by=None)
        _score_session(session, DISTRICT_2023)
        chair = User.objects.get(username="hoidong.1")
        session_finalise(session=session, by=chair)
        decision_issue(session=session, number="1568/QĐ-UBND", signed_on=datetime.date(2023, 10, 5),
                       signer="Hoàng Văn Tuấn", signer_title=SignerTitle.VICE_CHAIR, by=None)

    province = _council(backan_2023, EvaluationLevel.PROVINCE, units["06"],
                        "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn năm 2023",
                        "Quyết định số 1702/QĐ-UBND ngày 01/9/2023 của UBND tỉnh Bắc Kạn")
    if not province.sessions.exists():
        # Scored and finalised on its day in 2023 (a session still being scored years later would confuse): the
        # council members' queue of today is the central council's sitting (load_central).
        session = session_create(council=province, held_on=datetime.date(2023, 11, 14),
                                 place="Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn", by=None)
        session.status = SessionStatus.SCORING
        session.save(update_fields=["status"])
        _score_session(session, PROVINCE_2023)
        session_finalise(session=session, by=User.objects.get(username="hoidong.1"))
    _date_backan_2023(district, province)

    # The province's council of the year: a session of the second round held today (scored, finalised, its decision
    # issued), then its session of 08/12/2026, planned.
    council_2026 = _council(thainguyen_2026, EvaluationLevel.PROVINCE, units["19"],
                            "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên năm 2026",
                            "Quyết định số 955/QĐ-UBND ngày 02/6/2026 của UBND tỉnh Thái Nguyên")
    _thainguyen_2026_communes(thainguyen_2026)
    _thainguyen_2026_session(council_2026, units["19"])
    if not council_2026.sessions.filter(held_on=THAINGUYEN_2026_PLANNED_ON).exists():
        session = session_create(council=council_2026, held_on=THAINGUYEN_2026_PLANNED_ON,
                                 place="Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên", by=None)
        for name in ("Tinh dầu sả chanh Hương Ngàn", "Mộc vượng xuân"):
            session_assign(session=session, product=Product.objects.get(name=name), by=None)
    submitted = Session.objects.filter(evaluations__scorecards__status=ScorecardStatus.SUBMITTED).distinct().count()
    log(f"evaluation: {Council.objects.count()} councils, {Session.objects.count()} sessions "
        f"({submitted} with submitted scorecards)")


def _date_backan_2023(*councils) -> None:
    """Bắc Kạn's 2023 councils, sessions, scorecards and decisions dated on their days of 2023 rather than on the
    day the demo is loaded: each council on the day it was established, a session's scores, its finalisation and
    its history on the day it sat, a decision on the day it was signed. Idempotent."""
    for council in councils:
        established = datetime.date(council.cycle.year, 8, 15 if council.level == EvaluationLevel.DISTRICT else 1)
        demo_backdate([council], demo_moment(established))
        for session in council.sessions.all():
            demo_backdate([session], demo_moment(session.held_on, 16, 30), fields=("finalised_at",))
            evaluations = list(session.evaluations.all())
            demo_backdate(evaluations, demo_moment(session.held_on, 8, 30))
            cards = list(Scorecard.objects.filter(evaluation__in=evaluations))
            demo_backdate(cards, demo_moment(session.held_on, 11), fields=("submitted_at",))
            ConflictOfInterest.objects.filter(evaluation__in=evaluations).update(
                declared_at=demo_moment(session.held_on, 8, 45))
            for decision in session.decisions.all():
                demo_backdate([decision], demo_moment(decision.signed_on, 10), fields=("created_at",))


def load_central(log) -> None:
    """The ministry's council of 2026 and its sitting of today, with the products the provinces nominated (Thái
    Nguyên's bún dong riềng) on the agenda, to be scored by its members (hoidong.1 chairs) and recognised by
    bo.nnmt. A loader of its own, after the certificates' (a nominated product holds its province's certificate:
    its central evaluation is a star upgrade). Left out on a day before the nominating session."""
    rules = Regulation.objects.get(code="26/2026/QĐ-TTg")
    ministry = AdministrativeUnit.objects.get(code="BNNMT")
    cycle = Cycle.objects.get(province=ministry, year=2026)
    CycleRegulation.objects.get_or_create(cycle=cycle, defaults={"regulation": rules})
    council = _council(cycle, EvaluationLevel.CENTRAL, ministry,
                       "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp trung ương năm 2026",
                       "Quyết định số 4120/QĐ-BNNMT ngày 15/9/2026 của Bộ Nông nghiệp và Môi trường")
    today = timezone.localdate()
    nominated = list(Product.objects.filter(nominated_central_on__lte=today,
                                            evaluations__session__council__cycle__year=2026).distinct().order_by("name"))
    if council.sessions.exists() or not nominated:
        return
    session = session_create(council=council, held_on=today, place="Bộ Nông nghiệp và Môi trường, Hà Nội", by=None)
    for product in nominated:
        dossier = Dossier.objects.filter(product=product, evaluations__nominated_to=EvaluationLevel.CENTRAL).first()
        standing = product_standing(product, today)
        kind = EvaluationKind.UPGRADE if standing is not None else EvaluationKind.FIRST
        session_assign(session=session, product=product, dossier=dossier, kind=kind, by=None)
    log(f"central level: {session} with {len(nominated)} nominated products")


def _thainguyen_2026_communes(cycle) -> None:
    """The communes' part in Thái Nguyên's 2026 (1489/QĐ-TTg, 26/2026/QĐ-TTg): the officer who checked each dossier
    records his pre-assessment of the local criteria, then each commune sends its dossiers to the province in one
    list (products' demo left them checked)."""
    names = [name for name, stage, _preparer, _receiver in THAINGUYEN_2026_DOSSIERS if stage == "checked"]
    checked = (Dossier.objects.filter(cycle=cycle, status=DossierStatus.CHECKED, product__name__in=names,
                                      pre_assessments__isnull=True).select_related("product", "checked_by"))
    for dossier in checked:
        answers = {}
        for criterion in commune_criteria(dossier_sheet(dossier)):
            best = max((o for o in criterion.options.all() if not o.knocks_out), key=lambda o: o.points)
            answers[criterion.pk] = (best, PRE_ASSESSMENT_NOTES.get(criterion.code, ""))
        dossier_preassess(dossier=dossier, answers=answers, by=dossier.checked_by)
    for username, names in THAINGUYEN_2026_SENT.items():
        to_send = list(Dossier.objects.filter(cycle=cycle, status=DossierStatus.CHECKED, product__name__in=names))
        if to_send:
            dossiers_send(dossiers=to_send, by=User.objects.get(username=username),
                          note="Hồ sơ đề nghị tỉnh đánh giá, phân hạng sản phẩm OCOP đợt 2 năm 2026")


def _thainguyen_2026_session(council, province) -> None:
    """A sitting of the second round held today (the round's last day once it has closed), on the dossiers the
    communes sent: scored, finalised by the chair, its decision signed the same day (certificates' demo issues the
    certificates). Nothing is dated after today: on a day before the round opens it is left out."""
    if Evaluation.objects.filter(session__council=council, product__name__in=THAINGUYEN_2026).exists():
        return
    today = timezone.localdate()
    second = council.cycle.rounds.get(number=2)
    held_on = min(max(today, second.starts_on), second.ends_on)
    if held_on > today:
        return
    dossiers = {d.product.name: d for d in Dossier.objects.filter(
        cycle=council.cycle, status=DossierStatus.SENT, product__name__in=THAINGUYEN_2026).select_related("product")}
    office = User.objects.get(username="tinh.thainguyen")
    session = session_create(council=council, held_on=held_on,
                             place="Hội trường Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên", by=office)
    _score_session(session, THAINGUYEN_2026, dossiers=dossiers, by=office, answer=_answer_total)
    secretary = council.members.get(role=MemberRole.SECRETARY).user
    for evaluation in session.evaluations.filter(product__name__in=THAINGUYEN_2026_REMARKS).select_related("product"):
        evaluation_remarks_set(evaluation=evaluation, remarks=THAINGUYEN_2026_REMARKS[evaluation.product.name],
                               by=secretary)
    session_finalise(session=session, by=User.objects.get(username="hoidong.1"))
    decision_issue(session=session, number=THAINGUYEN_2026_DECISION, signed_on=held_on,
                   signer="Lê Thị Thu Hà", signer_title=SignerTitle.VICE_CHAIR, by=office)
