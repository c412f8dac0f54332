"""National-volume data for benchmarks (`python manage.py seed_scale`, a command of promotion, the last app:
only it may import every app), written with bulk inserts.

At full size: 34 provinces and 3,321 communes in the two-tier shape, plus the pre-2025 districts and their
communes (ended 30/06/2025, merged into the new ones) for history; 10,000 subjects, 30,000 products,
60,000 ideas; for each of `years` years a provincial council per province with 4 sessions, 6,000
evaluations a year scored by 7 members on 35 criteria (about 1.5 million criterion scores a year);
decisions, recognitions and certificates (about 20,000, in every status). Every code starts with "S" so
the data never mixes with the demo's, and a second run refuses to start.

`scale` (0 < scale <= 1) shrinks every count, for a quick run or a test.
"""
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_chains_repair
from certificates.validity import add_months
from evaluation.enums import EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from evaluation.models import (
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    CriterionScore,
    CycleRegulation,
    Decision,
    Evaluation,
    RecognisedProduct,
    Regulation,
    Scorecard,
    ScoreSheet,
    Session,
    SheetPart,
    SheetSection,
)
from ocop.enums import CycleStep, Role, UnitKind
from ocop.models import AdministrativeUnit, Cycle, CycleStepPlan, User
from ocop.reference import reference_data_ensure
from ocop.text import fold
from products.enums import IdeaStatus, MarketScope
from products.models import Product, ProductIdea, ProductSet
from subjects.enums import SubjectKind
from subjects.models import Subject

PROVINCES, COMMUNES, SUBJECTS, PRODUCTS, IDEAS = 34, 3321, 10_000, 30_000, 60_000
EVALUATIONS_PER_YEAR, MEMBERS, CRITERIA, SESSIONS = 6_000, 7, 35, 4
OLD_DISTRICTS, OLD_COMMUNES = 8, 12  # per province, per old district
BATCH = 5_000
PLACES = ["Tài Hoan", "Khẩu Nua", "Núi Biều", "Đà Bắc", "Hương Ngàn", "Toàn Sơn", "Bạch Thông", "Ý Yên",
          "Vi Hương", "Côn Minh", "Tân Minh", "Yên Hòa", "Quang Thuận", "Đồng Thắng", "Bản Dao", "Nà Làng"]
GOODS = ["Miến dong", "Gạo nếp", "Chè Shan tuyết", "Mật ong", "Tinh dầu sả", "Măng khô", "Rượu men lá",
         "Thịt trâu sấy", "Mộc nhĩ", "Nấm hương", "Trà hoa vàng", "Tương ớt", "Bánh gio", "Túi thổ cẩm",
         "Dầu lạc", "Gà đồi", "Miến ngô", "Cao dược liệu", "Nước mắm", "Cà phê"]


@dataclass
class Counts:
    units: int = 0
    users: int = 0
    subjects: int = 0
    products: int = 0
    ideas: int = 0
    evaluations: int = 0
    scorecards: int = 0
    criterion_scores: int = 0
    certificates: int = 0


def _n(value: int, scale: float) -> int:
    return max(1, round(value * scale))


def _bulk(model, rows, counts_attr=None, counts=None):
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    if counts is not None and counts_attr:
        setattr(counts, counts_attr, getattr(counts, counts_attr) + len(created))
    return created


def _units(rng, count, scale, counts):
    provinces = _bulk(AdministrativeUnit, [
        AdministrativeUnit(code=f"S{p:02d}", name=f"Tỉnh {PLACES[p % len(PLACES)]} {p}", kind=UnitKind.PROVINCE,
                           path=f"S{p:02d}/", standing_path=f"S{p:02d}/")
        for p in range(1, count + 1)], "units", counts)
    total = _n(COMMUNES * count // PROVINCES, scale)
    communes = _bulk(AdministrativeUnit, [
        AdministrativeUnit(code=f"{provinces[i % count].code}C{i:04d}", name=f"Xã {PLACES[i % len(PLACES)]} {i}",
                           kind=UnitKind.COMMUNE if i % 9 else UnitKind.WARD, parent=provinces[i % count],
                           valid_from=datetime.date(2025, 7, 1),
                           path=f"{provinces[i % count].code}/{provinces[i % count].code}C{i:04d}/",
                           standing_path=f"{provinces[i % count].code}/{provinces[i % count].code}C{i:04d}/")
        for i in range(total)], "units", counts)
    by_province = {}
    for commune in communes:
        by_province.setdefault(commune.parent_id, []).append(commune)
    # History: the districts and communes before 01/07/2025, each old commune merged into a new one; their standing
    # paths (AdministrativeUnit.standing_path, which save() keeps and bulk_create does not) written here: a district
    # stands with its province, an old commune with the commune it was merged into.
    ended = datetime.date(2025, 6, 30)
    districts = _bulk(AdministrativeUnit, [
        AdministrativeUnit(code=f"{p.code}D{d}", name=f"Huyện {PLACES[(d + p.pk) % len(PLACES)]}",
                           kind=UnitKind.DISTRICT, parent=p, valid_to=ended, path=f"{p.code}/{p.code}D{d}/",
                           standing_path=p.path)
        for p in provinces for d in range(1, _n(OLD_DISTRICTS, scale) + 1)], "units", counts)
    successors = [rng.choice(by_province[d.parent_id]) for d in districts for c in range(_n(OLD_COMMUNES, scale))]
    _bulk(AdministrativeUnit, [
        AdministrativeUnit(code=f"{d.code}X{c:02d}", name=f"Xã cũ {c}", kind=UnitKind.COMMUNE, parent=d,
                           valid_to=ended, merged_into=successor, path=f"{d.path}{d.code}X{c:02d}/",
                           standing_path=successor.path)
        for (d, c), successor in zip(((d, c) for d in districts for c in range(1, _n(OLD_COMMUNES, scale) + 1)),
                                     successors, strict=True)], "units", counts)
    return provinces, communes, by_province


def _users(provinces, communes, scale, counts):
    unusable = "!scale"  # no password: these accounts cannot log in until an admin sets one
    staff = _bulk(User, [User(username=f"scale.tinh.{p.code}", role=Role.PROVINCE_STAFF, unit=p, password=unusable,
                              first_name="Văn phòng OCOP", last_name=p.name) for p in provinces], "users", counts)
    officers = _bulk(User, [User(username=f"scale.xa.{c.code}", role=Role.LOCAL_OFFICER, unit=c, password=unusable,
                                 first_name="Cán bộ", last_name=c.name) for c in communes], "users", counts)
    members = _bulk(User, [User(username=f"scale.hd.{p.code}.{k}", role=Role.COUNCIL_MEMBER, unit=p,
                                password=unusable, first_name="Thành viên", last_name=f"{k}")
                           for p in provinces for k in range(MEMBERS)], "users", counts)
    return staff, officers, members


def _sheets(regulation):
    """A sheet per product set under the regulation: the demo's where it has one, a 35-criterion one else."""
    sheets = {}
    for product_set in ProductSet.objects.order_by("number"):
        sheet = ScoreSheet.objects.filter(regulation=regulation, product_set=product_set).first()
        if sheet is None:
            sheet = ScoreSheet.objects.create(regulation=regulation, product_set=product_set, is_demonstration=True,
                                              title=f"Phiếu thử tải – bộ sản phẩm {product_set.number}")
            counts = [14, 9, CRITERIA - 23]
            position = 0
            for p, (code, maximum, count) in enumerate(zip("ABC", (40, 25, 35), counts, strict=True)):
                part = SheetPart.objects.create(sheet=sheet, code=code, title=f"Phần {code}", max_points=maximum,
                                                position=p)
                section = SheetSection.objects.create(part=part, code=f"{code}1", title=f"Mục {code}1", position=0)
                each = (Decimal(maximum) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
                for i in range(count):
                    position += 1
                    top = each + (Decimal(maximum) - each * count if i == count - 1 else 0)
                    criterion = Criterion.objects.create(
                        section=section, sheet=sheet, part=part, code=f"{code}.{i + 1}",
                        title=f"Tiêu chí {code}.{i + 1}", max_points=top, position=position,
                        required_for_star=4 if (code == "C" and i == 0) else None)
                    CriterionOption.objects.bulk_create([
                        CriterionOption(criterion=criterion, label=label, position=k,
                                        points=(top * k / 2).quantize(Decimal("0.01")))
                        for k, label in enumerate(["Không đạt", "Đạt một phần", "Đạt"])])
        sheets[product_set.pk] = (sheet.pk, [
            (c.pk, [(o.pk, o.points) for o in c.options.order_by("position")])
            for c in sheet.criteria.order_by("position")])
    return sheets


def seed_scale(*, provinces: int = PROVINCES, years: int = 3, scale: float = 1.0, log=print) -> Counts:
    if AdministrativeUnit.objects.filter(code="S01").exists():
        raise ValueError("seed_scale has already run on this database (units S01...).")
    reference_data_ensure()
    rng = random.Random(3321)
    counts = Counts()
    started = timezone.now()

    def step(text):
        log(f"  {(timezone.now() - started).total_seconds():6.1f} s  {text}")

    with transaction.atomic():
        province_units, communes, by_province = _units(rng, provinces, scale, counts)
        step(f"{counts.units} units")
        staff, officers, member_users = _users(province_units, communes, scale, counts)
        step(f"{counts.users} users")
        today = timezone.localdate()
        this_year = today.year
        year_list = list(range(this_year - years + 1, this_year + 1))
        cycles = _bulk(Cycle, [Cycle(province=p, year=y, name=f"Kế hoạch OCOP {p.name} năm {y}",
                                     current_step=CycleStep.PROMOTION if y < this_year else CycleStep.EVALUATION)
                               for p in province_units for y in year_list])
        _bulk(CycleStepPlan, [CycleStepPlan(cycle=c, step=s) for c in cycles for s in CycleStep.values])
        cycle_of = {(c.province_id, c.year): c for c in cycles}

        kinds = [SubjectKind.COOPERATIVE] * 5 + [SubjectKind.COOPERATIVE_GROUP] * 2 + [
            SubjectKind.ENTERPRISE, SubjectKind.HOUSEHOLD_BUSINESS, SubjectKind.HOUSEHOLD_BUSINESS]
        subjects = []
        for i in range(_n(SUBJECTS, scale)):
            kind = kinds[i % len(kinds)]
            name = f"{kind.label} {PLACES[i % len(PLACES)]} {i}"
            tax = "" if kind == SubjectKind.COOPERATIVE_GROUP else f"8{i:09d}"
            subjects.append(Subject(name=name, kind=kind, tax_code=tax, legal_representative=f"Đại diện {i}",
                                    commune=communes[i % len(communes)], search_text=fold(f"{name} {tax}")))
        subjects = _bulk(Subject, subjects, "subjects", counts)
        step(f"{counts.subjects} subjects")
        sets = list(ProductSet.objects.order_by("number"))
        products = []
        for i in range(_n(PRODUCTS, scale)):
            subject = subjects[i % len(subjects)]
            name = f"{GOODS[i % len(GOODS)]} {PLACES[(i // len(GOODS)) % len(PLACES)]} {i}"
            products.append(Product(subject=subject, product_set=sets[i % len(sets)], name=name,
                                    commune=subject.commune, search_text=fold(name),
                                    has_traceability=i % 5 < 2))
        products = _bulk(Product, products, "products", counts)
        step(f"{counts.products} products")
        statuses = [IdeaStatus.SENT] * 4 + [IdeaStatus.SELECTED, IdeaStatus.SUBMITTED, IdeaStatus.REJECTED,
                                              IdeaStatus.RETURNED, IdeaStatus.DRAFT]
        ideas = []
        for i in range(_n(IDEAS, scale)):
            product = products[i % len(products)]
            province_id = product.commune.parent_id
            name = f"Ý tưởng {product.name}"
            ideas.append(ProductIdea(
                cycle=cycle_of[(province_id, year_list[i % len(year_list)])], subject=product.subject,
                product=product if i % 3 else None, product_name=name, product_set_id=product.product_set_id,
                commune=product.commune, raw_material_source="Vùng nguyên liệu của xã", local_material_share=80,
                market=MarketScope.PROVINCIAL, expected_star=3, status=statuses[i % len(statuses)],
                search_text=fold(f"{name} {product.subject.name}")))
            if len(ideas) == BATCH:
                _bulk(ProductIdea, ideas, "ideas", counts)
                ideas = []
        _bulk(ProductIdea, ideas, "ideas", counts)
        step(f"{counts.ideas} ideas")

        regulation = Regulation.objects.get(code="148/QĐ-TTg")
        _bulk(CycleRegulation, [CycleRegulation(cycle=c, regulation=regulation) for c in cycles])
        sheets = _sheets(regulation)
        products_by_province = {}
        for product in products:
            products_by_province.setdefault(product.commune.parent_id, []).append(product)
        per_province = max(1, _n(EVALUATIONS_PER_YEAR, scale) // len(province_units))
        members_of = {p.pk: member_users[i * MEMBERS:(i + 1) * MEMBERS] for i, p in enumerate(province_units)}
        bands = [(90, 5), (70, 4), (50, 3), (30, 2), (0, 1)]
        cert_seq = 0
        for year in year_list:
            councils = _bulk(Council, [Council(cycle=cycle_of[(p.pk, year)], level=EvaluationLevel.PROVINCE, unit=p,
                                               name=f"Hội đồng OCOP {p.name} năm {year}") for p in province_units])
            council_members = _bulk(CouncilMember, [
                CouncilMember(council=c, user=u, role=MemberRole.CHAIR if k == 0 else MemberRole.MEMBER, position=k)
                for c in councils for k, u in enumerate(members_of[c.unit_id])])
            members_by_council = {}
            for m in council_members:
                members_by_council.setdefault(m.council_id, []).append(m)
            current = year == this_year
            sessions = _bulk(Session, [
                Session(council=c, number=s + 1, held_on=datetime.date(year, 3 + s * 2, 15),
                        status=SessionStatus.SCORING if current and s == SESSIONS - 1 else SessionStatus.FINALISED,
                        finalised_at=None if current and s == SESSIONS - 1 else timezone.now())
                for c in councils for s in range(SESSIONS)])
            Session.present.through.objects.bulk_create([
                Session.present.through(session_id=s.pk, councilmember_id=m.pk)
                for s in sessions for m in members_by_council[s.council_id]], batch_size=BATCH)
            sessions_of = {}
            for s in sessions:
                sessions_of.setdefault(s.council_id, []).append(s)
            evaluations = []
            for council in councils:
                pool = products_by_province.get(council.unit_id, [])
                chosen = rng.sample(pool, min(per_province, len(pool)))
                for i, product in enumerate(chosen):
                    sheet_id, _criteria = sheets[product.product_set_id]
                    evaluations.append(Evaluation(session=sessions_of[council.pk][i % SESSIONS], product=product,
                                                  regulation=regulation, sheet_id=sheet_id, position=i + 1))
            evaluations = _bulk(Evaluation, evaluations, "evaluations", counts)
            session_status = {s.pk: s.status for s in sessions}
            council_of_session = {s.pk: s.council_id for s in sessions}
            recognitions, finals = [], []
            for chunk_start in range(0, len(evaluations), 500):
                chunk = evaluations[chunk_start:chunk_start + 500]
                cards = []
                for e in chunk:
                    finalised = session_status[e.session_id] == SessionStatus.FINALISED
                    for m in members_by_council[council_of_session[e.session_id]]:
                        cards.append(Scorecard(evaluation=e, member=m, submitted_at=timezone.now(),
                                               status=ScorecardStatus.SUBMITTED if finalised or rng.random() < .6
                                               else ScorecardStatus.OPEN))
                cards = _bulk(Scorecard, cards, "scorecards", counts)
                scores, totals = [], {}
                evaluation_of = {e.pk: e for e in chunk}
                for card in cards:
                    evaluation = evaluation_of[card.evaluation_id]
                    # A product's quality (0..1) sets how often members give the full answer: means spread
                    # from about 49 (2★, not recognised) to 97 (5★ band, recognised at 4★ and nominated).
                    full = 0.15 + 0.8 * (evaluation.product_id % 7) / 6
                    total = Decimal(0)
                    for criterion_id, options in sheets[evaluation.product.product_set_id][1]:
                        k = 2 if rng.random() < full else (1 if rng.random() < 0.8 else 0)
                        option_id, points = options[k]
                        scores.append(CriterionScore(scorecard=card, criterion_id=criterion_id, option_id=option_id,
                                                     points=points))
                        total += points
                    totals.setdefault(card.evaluation_id, []).append(total)
                _bulk(CriterionScore, scores, "criterion_scores", counts)
                for e in chunk:
                    if session_status[e.session_id] != SessionStatus.FINALISED:
                        continue
                    mean = (sum(totals[e.pk]) / len(totals[e.pk])).quantize(Decimal("0.01"))
                    band = next(star for floor, star in bands if mean >= floor)
                    e.final_score, e.star_band, e.recognised_star = mean, band, min(band, 4)
                    e.nominated_to = EvaluationLevel.CENTRAL if mean >= 90 else ""
                    finals.append(e)
            Evaluation.objects.bulk_update(finals, ["final_score", "star_band", "recognised_star", "nominated_to"],
                                           batch_size=BATCH)
            unit_of_council = {c.pk: c.unit_id for c in councils}
            decisions = _bulk(Decision, [
                Decision(session=s, number=f"{s.pk}/QĐ-UBND", signed_on=s.held_on + datetime.timedelta(days=20),
                         signer="Chủ tịch UBND tỉnh", issuing_unit_id=unit_of_council[s.council_id],
                         level=EvaluationLevel.PROVINCE)
                for s in sessions if s.status == SessionStatus.FINALISED])
            decision_of = {d.session_id: d for d in decisions}
            for e in finals:
                if e.recognised_star >= 3:
                    recognitions.append(RecognisedProduct(decision=decision_of[e.session_id], evaluation=e,
                                                          product=e.product, star=e.recognised_star))
            recognitions = _bulk(RecognisedProduct, recognitions)
            certificates = []
            for r in recognitions:
                cert_seq += 1
                decision = r.decision
                issued = decision.signed_on
                certificates.append(Certificate(
                    number=f"{cert_seq:05d}/{issued.year}/GCN-S", issuing_unit_id=decision.issuing_unit_id,
                    recognition=r, decision=decision, product=r.product, subject=r.product.subject, star=r.star,
                    decision_number=decision.number, decision_date=issued, signer=decision.signer, level=decision.level,
                    issued_on=issued, valid_until=add_months(issued, 36),
                    revoked_on=min(issued + datetime.timedelta(days=200), today) if cert_seq % 97 == 0 else None,
                    revoke_reason="Không duy trì chất lượng" if cert_seq % 97 == 0 else "",
                    revoke_decision_number="99/QĐ-UBND" if cert_seq % 97 == 0 else ""))
            _bulk(Certificate, certificates, "certificates", counts)
            step(f"{year}: {len(evaluations)} evaluations, {len(recognitions)} certificates")
        # Certificates of the years before: the register a province starts from (mostly expired by now).
        older, first_year = [], year_list[0]
        target = _n(20_000, scale) - counts.certificates
        for i in range(max(0, target)):
            cert_seq += 1
            product = products[(i * 7) % len(products)]
            issued = datetime.date(first_year - 3 + i % 3, 1 + i % 12, 1 + i % 28)
            older.append(Certificate(
                number=f"{cert_seq:05d}/{issued.year}/GCN-R", issuing_unit_id=product.commune.parent_id,
                product=product, subject=product.subject, star=3 + (i % 10 == 0), decision_number=f"{i}/QĐ-UBND",
                decision_date=issued, signer="Chủ tịch UBND tỉnh", level=EvaluationLevel.PROVINCE, issued_on=issued,
                valid_until=add_months(issued, 36)))
        _bulk(Certificate, older, "certificates", counts)
        # Who supersedes whom, derived from the issue dates as the services do (chain.py).
        certificate_chains_repair(by=None, audit=False)
        step(f"{counts.certificates} certificates")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts
