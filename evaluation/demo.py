"""Demo evaluations: a finalised 2023 district session in Bạch Thông with its decision, a provincial
session in Bắc Kạn being scored (148/QĐ-TTg), and a planned 2026 provincial session in Thái Nguyên under
the two-tier rules, in the second of its two rounds. Scores are chosen per member to land near a target total."""
import datetime
from decimal import Decimal

from ocop.models import AdministrativeUnit, Cycle, User
from products.models import Product

from .enums import EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from .models import Council, CycleRegulation, Regulation, Session
from .services.councils import conflict_declare, council_create, council_member_add, session_assign, session_create
from .services.results import decision_issue, session_finalise
from .services.scoring import scorecard_submit, scores_set

MEMBERS = [("hoidong.1", MemberRole.CHAIR), ("hoidong.2", MemberRole.MEMBER), ("hoidong.3", MemberRole.SECRETARY)]

# product name -> each member's target total
DISTRICT_2023 = {
    "Gạo nếp Khẩu Nua Lương": (66, 64, 68),
    "An mộc nhi": (58, 61, 57),
    "Túi thổ cẩm Thiên An": (55, 52, 56),
    "Chè Bản Dao": (73, 71, 75),
}
PROVINCE_2023 = {"Miến dong Tài Hoan": (93, 91, 94), "Chè Bản Dao": (76, 74, None)}


def _answer_near(card, target, by):
    """Choose, for every criterion, the answer whose points come closest to the target share."""
    share = Decimal(target) / Decimal(100)
    answers = {}
    for criterion in card.evaluation.sheet.criteria.prefetch_related("options"):
        options = [o for o in criterion.options.all() if not o.knocks_out]
        answers[criterion.pk] = min(options, key=lambda o: abs(o.points - share * criterion.max_points)).pk
    scores_set(scorecard=card, answers=answers, by=by)


def _council(cycle, level, unit, name, established_by):
    council = Council.objects.filter(cycle=cycle, level=level, unit=unit).first()
    if council is None:
        council = council_create(cycle=cycle, level=level, unit=unit, name=name, established_by=established_by, by=None)
        for username, role in MEMBERS:
            user = User.objects.get(username=username)
            council_member_add(council=council, user=user, role=role, by=None)
    return council


def _score_session(session, targets, submit=True):
    products = {p.name: p for p in Product.objects.filter(name__in=targets)}
    members = list(session.council.members.select_related("user"))
    for name, member_targets in targets.items():
        evaluation = session_assign(session=session, product=products[name], by=None)
        for member, target in zip(members, member_targets):
            card = evaluation.scorecards.filter(member=member).first()
            if target is None:
                if card is not None:
                    conflict_declare(evaluation=evaluation, member=member, by=member.user,
                                     reason="Là thành viên của tổ hợp tác có sản phẩm")
                continue
            _answer_near(card, target, member.user)
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
                       signer="Chủ tịch UBND huyện Bạch Thông", by=None)

    province = _council(backan_2023, EvaluationLevel.PROVINCE, units["06"],
                        "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn năm 2023",
                        "Quyết định số 1702/QĐ-UBND ngày 01/9/2023 của UBND tỉnh Bắc Kạn")
    if not province.sessions.exists():
        session = session_create(council=province, held_on=datetime.date(2023, 11, 14),
                                 place="Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn", by=None)
        session.status = SessionStatus.SCORING
        session.save(update_fields=["status"])
        _score_session(session, PROVINCE_2023, submit=False)
        # hoidong.2 and hoidong.3 have submitted the miến dong; the chair is still scoring.
        mien_dong = session.evaluations.get(product__name="Miến dong Tài Hoan")
        for card in mien_dong.scorecards.select_related("member__user"):
            if card.member.role != MemberRole.CHAIR:
                scorecard_submit(scorecard=card, by=card.member.user)

    # The province's council of the year; its session of 08/12/2026 goes to the second round (ocop's demo).
    council_2026 = _council(thainguyen_2026, EvaluationLevel.PROVINCE, units["19"],
                            "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên năm 2026",
                            "Quyết định số 955/QĐ-UBND ngày 02/6/2026 của UBND tỉnh Thái Nguyên")
    if not council_2026.sessions.exists():
        session = session_create(council=council_2026, held_on=datetime.date(2026, 12, 8),
                                 place="Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên", by=None)
        for name in ("Tinh dầu sả chanh Hương Ngàn", "Mộc vượng xuân"):
            session_assign(session=session, product=Product.objects.get(name=name), by=None)
    submitted = Session.objects.filter(evaluations__scorecards__status=ScorecardStatus.SUBMITTED).distinct().count()
    log(f"evaluation: {Council.objects.count()} councils, {Session.objects.count()} sessions "
        f"({submitted} with submitted scorecards)")
