#!/usr/bin/env python
"""Benchmark: the session results page and the autosave of one answer, on a session at national scale.

Builds, with bulk_create in a fresh database, one provincial session of N products x M members x C criteria
(all scorecards submitted but a few kept open for the autosave), then times through Django's test client:
the results page (`evaluation:session-results`, 20 requests after one warm-up) and `score_set` (200 calls),
printing the median and 95th percentile in milliseconds, the median CPU time of this process (SQLite runs
in it; on a shared machine the CPU time is the steadier figure) and the number of queries.

    python bench/evaluation_results.py [--products 300 --members 9 --criteria 35]

The database is a temporary SQLite file, or the one DATABASE_URL names (a test database is created beside
it and dropped at the end, so an existing database is never touched).
"""
import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import setup_django  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--members", type=int, default=9)
    parser.add_argument("--criteria", type=int, default=35)
    parser.add_argument("--sets", type=int, default=6, help="product sets (one score sheet each)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--autosaves", type=int, default=200)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of one results page")
    return parser.parse_args()


def build(*, products: int, members: int, criteria: int, sets: int):
    """The session, its manager (who reads the results) and the open scorecards for the autosave."""
    from evaluation.enums import EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
    from evaluation.models import (
        Council,
        CouncilMember,
        Criterion,
        CriterionOption,
        CriterionScore,
        CycleRegulation,
        Evaluation,
        Regulation,
        Scorecard,
        ScoreSheet,
        Session,
        SheetPart,
        SheetSection,
    )
    from ocop.enums import Role, UnitKind
    from ocop.models import AdministrativeUnit, Cycle, User
    from products.models import Product, ProductSet
    from subjects.enums import SubjectKind
    from subjects.models import Subject

    rng = random.Random(148)
    province = AdministrativeUnit.objects.create(code="B01", name="Bench", kind=UnitKind.PROVINCE)
    commune = AdministrativeUnit.objects.create(code="B0101", name="Xã Bench", kind=UnitKind.COMMUNE, parent=province)
    manager = User.objects.create(username="bench.tinh", role=Role.PROVINCE_STAFF, unit=province,
                                  first_name="Văn phòng", last_name="tỉnh")
    users = User.objects.bulk_create([
        User(username=f"bench.member{i}", role=Role.COUNCIL_MEMBER, first_name="Thành viên", last_name=str(i))
        for i in range(1, members + 1)])
    cycle = Cycle.objects.create(province=province, year=2024, name="OCOP 2024 bench")
    regulation = Regulation.objects.get(code="148/QĐ-TTg")
    CycleRegulation.objects.create(cycle=cycle, regulation=regulation)

    # Score sheets: criteria shared out over A (40%), B (25%), C (35%); three options worth 0, half, max.
    sheets = []
    for product_set in ProductSet.objects.order_by("number")[:sets]:
        sheet = ScoreSheet.objects.create(regulation=regulation, product_set=product_set,
                                          title=f"Phiếu {product_set.number}", is_demonstration=True)
        counts = [round(criteria * 0.40), round(criteria * 0.25)]
        counts.append(criteria - sum(counts))
        position = 0
        for p, (code, maximum, count) in enumerate(zip("ABC", (40, 25, 35), counts, strict=True)):
            part = SheetPart.objects.create(sheet=sheet, code=code, title=f"Phần {code}", max_points=maximum,
                                            position=p)
            section = SheetSection.objects.create(part=part, code=f"{code}1", title=f"Mục {code}1", position=0)
            each = Decimal(maximum) / count
            for i in range(count):
                position += 1
                criterion = Criterion.objects.create(
                    section=section, sheet=sheet, part=part, code=f"{code}.{i + 1}", title=f"Tiêu chí {code}.{i + 1}",
                    max_points=each.quantize(Decimal("0.01")), position=position,
                    required_for_star=4 if (code == "C" and i == 0) else None)
                CriterionOption.objects.bulk_create([
                    CriterionOption(criterion=criterion, label=label, points=(each * k / 2).quantize(Decimal("0.01")),
                                    knocks_out=(code == "A" and i == 0 and k == 0), position=k)
                    for k, label in enumerate(["Không đạt", "Đạt một phần", "Đạt"])])
        sheets.append(sheet)
    sheet_criteria = {}
    for sheet in sheets:
        sheet_criteria[sheet.pk] = [
            (c.pk, [(o.pk, o.points) for o in c.options.order_by("position")])
            for c in sheet.criteria.order_by("position")]

    council = Council.objects.create(cycle=cycle, level=EvaluationLevel.PROVINCE, unit=province,
                                     name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh (bench)")
    council_members = CouncilMember.objects.bulk_create([
        CouncilMember(council=council, user=u, role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER, position=i)
        for i, u in enumerate(users)])
    session = Session.objects.create(council=council, number=1, held_on="2024-10-15", place="Bench",
                                     status=SessionStatus.SCORING)
    session.present.set(council_members)
    subject = Subject(name="Hợp tác xã Bench", kind=SubjectKind.COOPERATIVE, tax_code="9900000001",
                      legal_representative="Nguyễn Văn Bench", commune=commune)
    subject.save()
    product_rows = Product.objects.bulk_create([
        Product(subject=subject, product_set=sheets[i % len(sheets)].product_set, name=f"Sản phẩm {i + 1:04d}",
                search_text=f"san pham {i + 1:04d}", commune=commune)
        for i in range(products)])
    evaluations = Evaluation.objects.bulk_create([
        Evaluation(session=session, product=p, regulation=regulation, sheet=sheets[i % len(sheets)], position=i + 1)
        for i, p in enumerate(product_rows)])
    # The last member keeps his first ten scorecards open: the autosave works on them.
    open_keys = {(e.pk, council_members[-1].pk) for e in evaluations[:10]}
    cards = Scorecard.objects.bulk_create([
        Scorecard(evaluation=e, member=m,
                  status=ScorecardStatus.OPEN if (e.pk, m.pk) in open_keys else ScorecardStatus.SUBMITTED)
        for e in evaluations for m in council_members], batch_size=2000)
    sheet_of = {e.pk: e.sheet_id for e in evaluations}
    scores = []
    for card in cards:
        quality = rng.choice((1, 2, 2, 2))  # most products score well, some not
        for criterion_id, options in sheet_criteria[sheet_of[card.evaluation_id]]:
            option_id, points = options[min(2, max(0, quality + rng.choice((-1, 0, 0, 1))))]
            scores.append(CriterionScore(scorecard=card, criterion_id=criterion_id, option_id=option_id, points=points))
        if len(scores) >= 20000:
            CriterionScore.objects.bulk_create(scores, batch_size=5000)
            scores = []
    CriterionScore.objects.bulk_create(scores, batch_size=5000)
    open_cards = [c for c in cards if (c.evaluation_id, c.member_id) in open_keys]
    return session, manager, council_members[-1].user, open_cards, sheet_criteria, sheet_of


def timed(fn, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu, queries = [], [], []
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, statistics.median(cpu), statistics.median(queries)


def report(label, figures, note):
    median, p95, cpu, queries = figures
    print(f"{label:<16}: median {median:7.1f} ms  p95 {p95:7.1f} ms  (CPU median {cpu:6.1f} ms)  "
          f"queries {queries:.0f}  {note}")


def main():
    args = parse_args()
    teardown = setup_django()
    try:
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from evaluation.models import CriterionScore
        from evaluation.services.scoring import score_set

        start = time.perf_counter()
        session, manager, member_user, open_cards, sheet_criteria, sheet_of = build(
            products=args.products, members=args.members, criteria=args.criteria, sets=args.sets)
        if connection.vendor == "postgresql":
            # Fresh bulk inserts have no planner statistics until autovacuum passes; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        cpu = time.process_time()
        sum(range(10**7))
        print(f"CPU reference: sum(range(10**7)) took {(time.process_time() - cpu) * 1000:.0f} ms of CPU "
              "(about 80 ms on an idle modern core; scale the figures below by it on a busy machine)")
        print(f"database: {connection.vendor}; built {args.products} products x {args.members} members x "
              f"{args.criteria} criteria ({CriterionScore.objects.count()} answers) in "
              f"{time.perf_counter() - start:.1f} s")

        client = Client()
        client.force_login(manager)
        url = reverse("evaluation:session-results", args=[session.pk])

        def get_page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        get_page()  # warm-up: templates, translations, connection
        figures = timed(get_page, args.requests)
        size = len(client.get(url).content) // 1024
        report("results page", figures, f"({args.requests} requests, {size} KiB)")
        if args.slowest:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                get_page()
            for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:args.slowest]:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")

        rng = random.Random(7)
        calls = []
        for i in range(args.autosaves):
            card = open_cards[i % len(open_cards)]
            criterion_id, options = rng.choice(sheet_criteria[sheet_of[card.evaluation_id]])
            calls.append((card, criterion_id, rng.choice(options)[0]))
        iterator = iter(calls)

        def autosave():
            card, criterion_id, option_id = next(iterator)
            score_set(scorecard=card, criterion_id=criterion_id, option_id=option_id, by=member_user)

        report("score_set", timed(autosave, args.autosaves), f"({args.autosaves} calls)")
    finally:
        teardown()


if __name__ == "__main__":
    main()
