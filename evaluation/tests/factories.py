"""Factories for the evaluation tests: a test regulation with its bands and level rules, a small score sheet
built directly with the models, councils, sessions and a whole scoring scenario through the services."""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import factory

from ocop.models import Cycle, User
from ocop.tests.factories import CycleFactory, UserFactory
from products.models import Product, ProductSet
from subjects.tests.factories import SubjectFactory

from ..enums import EvaluationLevel, MemberRole
from ..models import (
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    CycleRegulation,
    Evaluation,
    LevelRule,
    Regulation,
    Scorecard,
    ScoreSheet,
    Session,
    SheetPart,
    SheetSection,
    StarBand,
)
from ..services.councils import council_create, council_member_add, session_assign, session_create

BANDS = [(1, "0"), (2, "30"), (3, "50"), (4, "70"), (5, "90")]
# level, highest star it recognises, nomination score, next level (the 148/QĐ-TTg pattern)
LEVELS = [
    (EvaluationLevel.COMMUNE, 0, "50", EvaluationLevel.PROVINCE),
    (EvaluationLevel.DISTRICT, 3, "70", EvaluationLevel.PROVINCE),
    (EvaluationLevel.PROVINCE, 4, "90", EvaluationLevel.CENTRAL),
    (EvaluationLevel.CENTRAL, 5, None, ""),
]

# The small sheet: part → section → criteria with (label, points, knocks out) options; maxima add up to 100.
SHEET = [
    ("A", "Sản xuất và sức mạnh cộng đồng", "40", [
        ("1", "Tổ chức sản xuất", [
            ("A1.1", "Nguồn nguyên liệu", "20", None, [
                ("Nhập khẩu toàn bộ hoặc không rõ nguồn gốc", "0", True),
                ("Dưới 50% nguyên liệu từ địa phương", "10", False),
                ("Trên 75% nguyên liệu từ địa phương", "20", False)]),
            ("A1.2", "Liên kết sản xuất", "20", None, [
                ("Không có liên kết", "0", False), ("Có liên kết", "10", False),
                ("Liên kết chuỗi giá trị", "20", False)]),
        ]),
    ]),
    ("B", "Khả năng tiếp thị", "25", [
        ("2", "Tiếp thị", [
            ("B2.1", "Kênh phân phối", "25", None, [
                ("Chỉ bán tại địa phương", "0", False), ("Trong tỉnh", "15", False),
                ("Toàn quốc", "25", False)]),
        ]),
    ]),
    ("C", "Chất lượng sản phẩm", "35", [
        ("3", "Chất lượng", [
            ("C3.1", "An toàn thực phẩm", "20", 3, [
                ("Không có giấy chứng nhận", "0", False), ("Có cam kết", "10", False),
                ("Có giấy chứng nhận", "20", False)]),
            ("C3.2", "Tiêu chuẩn sản phẩm", "15", None, [
                ("Không công bố", "0", False), ("Có công bố", "5", False), ("Đạt tiêu chuẩn quốc gia", "15", False)]),
        ]),
    ]),
]
CRITERIA_COUNT = 5


class RegulationFactory(factory.django.DjangoModelFactory):
    """A regulation of the tests' own (never the official ones), with star bands and level rules."""

    class Meta:
        model = Regulation
        skip_postgeneration_save = True  # the rules are rows of their own: nothing to save again

    code = factory.Sequence(lambda n: f"TEST-{n}/QĐ-TTg")
    title = factory.LazyAttribute(lambda o: f"Quy định kiểm thử {o.code}")
    issued_on = datetime.date(2020, 1, 1)
    effective_from = datetime.date(2020, 1, 1)
    # 60%, not the official 75%: the quorum counts per product, and the tests' three-member councils must
    # still decide a product on which one member has a conflict of interest (two of three).
    quorum_ratio = Decimal("0.60")

    @factory.post_generation
    def rules(self, create, extracted, **kwargs):
        if not create:
            return
        StarBand.objects.bulk_create([StarBand(regulation=self, star=s, min_score=Decimal(m)) for s, m in BANDS])
        LevelRule.objects.bulk_create([
            LevelRule(regulation=self, level=level, max_star=max_star,
                      nomination_score=Decimal(nomination) if nomination else None, next_level=next_level)
            for level, max_star, nomination, next_level in LEVELS])


def sheet_build(*, regulation: Regulation, product_set: ProductSet) -> ScoreSheet:
    """The small sheet (3 parts, 5 criteria, C3.1 mandatory from 3★, a knock-out answer on A1.1)."""
    sheet = ScoreSheet.objects.filter(regulation=regulation, product_set=product_set).first()
    if sheet is not None:
        return sheet
    sheet = ScoreSheet.objects.create(regulation=regulation, product_set=product_set,
                                      title=f"Phiếu kiểm thử {product_set}")
    position = 0
    for part_pos, (part_code, part_title, part_max, sections) in enumerate(SHEET):
        part = SheetPart.objects.create(sheet=sheet, code=part_code, title=part_title, max_points=Decimal(part_max),
                                        position=part_pos)
        for section_pos, (section_code, section_title, criteria) in enumerate(sections):
            section = SheetSection.objects.create(part=part, code=section_code, title=section_title,
                                                  position=section_pos)
            for code, title, max_points, required, options in criteria:
                position += 1
                criterion = Criterion.objects.create(
                    section=section, sheet=sheet, part=part, code=code, title=title, max_points=Decimal(max_points),
                    required_for_star=required, position=position)
                CriterionOption.objects.bulk_create([
                    CriterionOption(criterion=criterion, label=label, points=Decimal(points), knocks_out=knocks,
                                    position=i)
                    for i, (label, points, knocks) in enumerate(options)])
    return sheet


def option_of(sheet: ScoreSheet, code: str, points) -> CriterionOption:
    """The answer of criterion `code` worth `points` (not the knock-out one, unless only it is worth that)."""
    return (CriterionOption.objects.filter(criterion__sheet=sheet, criterion__code=code, points=Decimal(str(points)))
            .order_by("knocks_out", "position").first())


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    subject = factory.SubFactory(SubjectFactory)
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(number=7))
    name = factory.Sequence(lambda n: f"Sản phẩm kiểm thử {n}")
    commune = factory.LazyAttribute(lambda o: o.subject.commune)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    cycle = factory.SubFactory(CycleFactory)
    level = EvaluationLevel.PROVINCE
    unit = factory.LazyAttribute(lambda o: o.cycle.province)
    name = factory.Sequence(lambda n: f"Hội đồng kiểm thử {n}")


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n + 1)
    held_on = datetime.date(2024, 10, 15)


@dataclass
class Scenario:
    """A council with members, one session and products on its agenda, each with its scorecards."""

    regulation: Regulation
    council: Council
    session: Session
    members: list[CouncilMember]
    evaluations: list[Evaluation]
    sheets: dict = field(default_factory=dict)  # product set id -> sheet

    def card(self, user: User, evaluation: Evaluation | None = None) -> Scorecard:
        evaluation = evaluation or self.evaluations[0]
        return Scorecard.objects.get(evaluation=evaluation, member__user=user)

    def sheet(self, evaluation: Evaluation | None = None) -> ScoreSheet:
        return (evaluation or self.evaluations[0]).sheet


def scenario_build(*, cycle: Cycle, unit, users: list[User], products: list[Product],
                   level: str = EvaluationLevel.PROVINCE, held_on=datetime.date(2024, 10, 15),
                   name: str = "Hội đồng đánh giá, phân hạng sản phẩm OCOP (kiểm thử)",
                   regulation: Regulation | None = None) -> Scenario:
    """Through the services: the cycle pinned to a test regulation with a sheet per product set, a council
    whose first user chairs it, a session, and the products assigned (scorecards opened)."""
    regulation = regulation or RegulationFactory()
    CycleRegulation.objects.update_or_create(cycle=cycle, defaults={"regulation": regulation})
    sheets = {p.product_set_id: sheet_build(regulation=regulation, product_set=p.product_set) for p in products}
    council = council_create(cycle=cycle, level=level, unit=unit, name=name,
                             established_by="Quyết định số 1/QĐ-UBND ngày 01/9/2024", by=None)
    members = [council_member_add(council=council, user=user, role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER,
                                  by=None) for i, user in enumerate(users)]
    session = session_create(council=council, held_on=held_on, place="Hội trường kiểm thử", by=None)
    evaluations = [session_assign(session=session, product=product, by=None) for product in products]
    return Scenario(regulation=regulation, council=council, session=session, members=members,
                    evaluations=evaluations, sheets=sheets)


def answer_all(card: Scorecard, points_by_code: dict | None = None, default="10") -> None:
    """Answer every criterion of a scorecard through the service (points per criterion code)."""
    from ..services.scoring import scores_set

    points_by_code = points_by_code or {}
    sheet = card.evaluation.sheet
    answers = {}
    for criterion in sheet.criteria.order_by("position"):
        option = option_of(sheet, criterion.code, points_by_code.get(criterion.code, default))
        if option is None:  # no answer worth the default: the middle one
            option = criterion.options.order_by("position")[1]
        answers[criterion.pk] = option.pk
    scores_set(scorecard=card, answers=answers, by=card.member.user)


def regulation_for_test_sheet(dossier) -> ScoreSheet:
    """The small sheet for a dossier's product set under the rules its evaluation will follow."""
    from ..services.councils import regulation_for

    regulation = regulation_for(cycle=dossier.cycle, session_date=datetime.date.today(), dossier=dossier)
    if regulation is None:
        regulation = RegulationFactory()
    return sheet_build(regulation=regulation, product_set=dossier.product.product_set)
