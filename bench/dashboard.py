#!/usr/bin/env python
"""Benchmark: a province's dashboard and its Excel report at national volume.

Builds in a fresh database (bulk_create) 34 provinces with about 98 communes each (3,321 communes),
10,000 subjects, 30,000 products and 20,000 certificates over 2021-2026 (in force, expiring, expired,
superseded, revoked), targets and training events; then times, through Django's test client as a province's
staff, the dashboard page (20 requests after a warm-up) and the Excel report (5), printing the median and
95th percentile and the number of queries.

    python bench/dashboard.py [--requests 20]

A temporary SQLite file, or the database DATABASE_URL names (a test database is created beside it).
Target (issue 6): the province dashboard under 200 ms at national volume.
"""
import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import setup_django  # noqa: E402

PROVINCES, COMMUNES, SUBJECTS, PRODUCTS, CERTIFICATES = 34, 3321, 10000, 30000, 20000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    return parser.parse_args()


def build():
    from certificates.models import Certificate
    from certificates.validity import add_months
    from ocop.enums import Role, UnitKind
    from ocop.models import AdministrativeUnit, User
    from products.models import Product, ProductSet
    from promotion.models import Target, TargetMetric, TrainingEvent
    from subjects.models import Subject

    rng = random.Random(34)
    provinces = AdministrativeUnit.objects.bulk_create([
        AdministrativeUnit(code=f"P{i:02d}", name=f"Tỉnh {i}", kind=UnitKind.PROVINCE, path=f"P{i:02d}/")
        for i in range(PROVINCES)])
    communes = AdministrativeUnit.objects.bulk_create([
        AdministrativeUnit(code=f"C{i:05d}", name=f"Xã {i}", kind=UnitKind.COMMUNE, parent=provinces[i % PROVINCES],
                           path=f"{provinces[i % PROVINCES].code}/C{i:05d}/")
        for i in range(COMMUNES)])
    kinds = ["cooperative"] * 5 + ["cooperative_group"] * 2 + ["enterprise", "household_business", "household_business"]
    subjects = Subject.objects.bulk_create([
        Subject(name=f"Chủ thể {i}", kind=rng.choice(kinds), tax_code="", legal_representative="Đại diện",
                commune=rng.choice(communes), search_text=f"chu the {i}") for i in range(SUBJECTS)])
    sets = list(ProductSet.objects.all())
    products = Product.objects.bulk_create([
        Product(subject=subjects[i % SUBJECTS], product_set=rng.choice(sets), name=f"Sản phẩm {i}",
                commune=subjects[i % SUBJECTS].commune, has_traceability=rng.random() < 0.4,
                search_text=f"san pham {i}") for i in range(PRODUCTS)])
    today = datetime.date.today()
    certificates = []
    for i in range(CERTIFICATES):
        product = products[i]
        issued = today - datetime.timedelta(days=rng.randint(0, 5 * 365))
        certificates.append(Certificate(
            number=f"{i:05d}/GCN", issuing_unit=provinces[0], product=product, subject=product.subject,
            star=rng.choice([3, 3, 3, 3, 4, 4, 5]), decision_number="1/QĐ", decision_date=issued, signer="Chủ tịch",
            level="province", issued_on=issued, valid_until=add_months(issued, 36),
            revoked_on=today if rng.random() < 0.02 else None))
    for c in certificates:
        if c.revoked_on:
            c.revoke_reason, c.revoke_decision_number = "Vi phạm", "9/QĐ"
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    province = provinces[0]
    Target.objects.bulk_create([Target(unit=province, year=today.year, metric=m, planned=50) for m in TargetMetric])
    TrainingEvent.objects.bulk_create([TrainingEvent(topic="Tập huấn", unit=province, held_on=today,
                                                     participants_count=40) for _ in range(20)])
    staff = User.objects.create(username="bench.tinh", role=Role.PROVINCE_STAFF, unit=province)
    return province, staff


def timed(fn, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries


def main():
    args = parse_args()
    teardown = setup_django()
    try:
        from django.db import connection
        from django.test import Client

        start = time.perf_counter()
        province, staff = build()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {connection.vendor}; built {PROVINCES} provinces, {COMMUNES} communes, {SUBJECTS} subjects, "
              f"{PRODUCTS} products, {CERTIFICATES} certificates in {time.perf_counter() - start:.1f} s")
        client = Client()
        client.force_login(staff)
        url = f"/dashboard/?unit={province.code}"

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def report():
            response = client.get(f"/dashboard/report/?unit={province.code}")
            assert response.status_code == 200, response.status_code

        page()
        median, p95, queries = timed(page, args.requests)
        print(f"dashboard page  : median {median:7.1f} ms  p95 {p95:7.1f} ms  queries {queries}")
        median, p95, queries = timed(report, 5)
        print(f"Excel report    : median {median:7.1f} ms  p95 {p95:7.1f} ms  queries {queries}  "
              f"(register of ~{CERTIFICATES // PROVINCES} products)")
    finally:
        teardown()


if __name__ == "__main__":
    main()
