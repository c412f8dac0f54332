#!/usr/bin/env python
"""Benchmark: the daily expiry job (certificates/notices.py) over a register of 100,000 certificates.

Builds, with bulk_create in a fresh database, N certificates whose ends are spread evenly over four years
around today (a few revoked or superseded), one product each, a third as many subjects each with a
representative account, and the officers of one province (province staff, district and commune officers).
Then times the job (`expiry_notices_run`) in its two steps (the INSERT ... SELECT of the notices; telling:
the notifications, with their emails waiting), with the number of queries, and apart from it the email task
the job hands the emails to (Django's in-memory mail backend: the building of the messages, no mail server):
  * first run: the job meets the register for the first time (every certificate within 180 days of its end
    or ended less than 30 days ago: the backlog of a first deployment);
  * same day again: finds nothing;
  * next day: a day's worth of certificates entering a window (what the job does every morning);
  * next day again: finds nothing.

    python bench/expiry_notices.py [--certificates 100000]

Target (issue 7): the job over 100,000 certificates under 2 s. The database is a temporary SQLite file,
or a test database created beside DATABASE_URL's (dropped at the end).
"""
import argparse
import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import setup_django  # noqa: E402

DISTRICTS, COMMUNES_PER_DISTRICT = 10, 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    return parser.parse_args()


def build(count: int, today: datetime.date) -> None:
    from django.db.models import F

    from certificates.models import Certificate
    from ocop.enums import Role, UnitKind
    from ocop.models import AdministrativeUnit, User
    from products.models import Product, ProductSet
    from subjects.enums import SubjectKind
    from subjects.models import Subject, SubjectRepresentative

    rng = random.Random(7)
    province = AdministrativeUnit.objects.create(code="B01", name="Tỉnh Bench", kind=UnitKind.PROVINCE)
    communes = []
    officers = [User(username="bench.tinh", role=Role.PROVINCE_STAFF, unit=province, email="tinh@bench.vn")]
    for d in range(DISTRICTS):
        district = AdministrativeUnit.objects.create(code=f"B01{d:02d}", name=f"Huyện {d}", kind=UnitKind.DISTRICT,
                                                     parent=province)
        officers.append(User(username=f"bench.huyen{d}", role=Role.LOCAL_OFFICER, unit=district,
                             email=f"huyen{d}@bench.vn"))
        for c in range(COMMUNES_PER_DISTRICT):
            commune = AdministrativeUnit.objects.create(code=f"B01{d:02d}{c:02d}", name=f"Xã {d}-{c}",
                                                        kind=UnitKind.COMMUNE, parent=district)
            communes.append(commune)
            if c % 5 == 0:
                officers.append(User(username=f"bench.xa{d}-{c}", role=Role.LOCAL_OFFICER, unit=commune,
                                     email=f"xa{d}-{c}@bench.vn"))
    User.objects.bulk_create(officers)

    subjects = Subject.objects.bulk_create([
        Subject(name=f"Hợp tác xã Bench số {i}", kind=SubjectKind.COOPERATIVE, tax_code=f"47{i:08d}",
                legal_representative="Triệu Thị Hoan", commune=rng.choice(communes))
        for i in range(count // 3 + 1)], batch_size=2000)
    representatives = User.objects.bulk_create([
        User(username=f"bench.htx{i}", role=Role.SUBJECT_REP, email=f"htx{i}@bench.vn", first_name="Giám đốc",
             last_name=str(i), password="!") for i in range(len(subjects))], batch_size=2000)
    SubjectRepresentative.objects.bulk_create([
        SubjectRepresentative(subject=s, user=u, position="Giám đốc") for s, u in zip(subjects, representatives)],
        batch_size=2000)
    sets = list(ProductSet.objects.all())
    products = Product.objects.bulk_create([
        Product(subject=subjects[i % len(subjects)], product_set=rng.choice(sets), name=f"Sản phẩm Bench {i}",
                commune=subjects[i % len(subjects)].commune) for i in range(count)], batch_size=2000)
    certificates = []
    for i, product in enumerate(products):
        valid_until = today + datetime.timedelta(days=rng.randint(-730, 730))
        issued_on = valid_until - datetime.timedelta(days=1096)
        certificates.append(Certificate(
            number=f"{i + 1:06d}/GCN-B01", issuing_unit=province, product=product, subject=product.subject,
            star=rng.choice([3, 3, 3, 4, 4, 5]), decision_number="1568/QĐ-UBND", decision_date=issued_on,
            signer="Chủ tịch UBND tỉnh Bench", level="province", issued_on=issued_on, valid_until=valid_until,
            revoked_on=issued_on + datetime.timedelta(days=400) if i % 33 == 1 else None,
            revoke_reason="Vi phạm an toàn thực phẩm" if i % 33 == 1 else ""))
    certificates = Certificate.objects.bulk_create(certificates, batch_size=2000)
    # Every 33rd certificate is superseded (by a renewal, here any other certificate).
    Certificate.objects.filter(pk__in=[c.pk for c in certificates[2::33]]).update(
        superseded_by=certificates[0], superseded_on=F("issued_on"))


def timed_run(label: str, day: datetime.date) -> None:
    """One run of the job as the worker runs it: flag (INSERT ... SELECT), tell (the notifications, emails
    waiting), then the email task's work timed apart: the job hands it the emails and does not wait for it."""
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.notices import expiry_notices_deliver, expiry_notices_insert
    from ocop.services import notification_emails_send

    mail.outbox = []
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        inserted = expiry_notices_insert(today=day)
        middle = time.perf_counter()
        told = expiry_notices_deliver(today=day)
        end = time.perf_counter()
    queries = len(ctx.captured_queries)
    sending = time.perf_counter()
    notification_emails_send()
    sent = time.perf_counter()
    print(f"{label:<20}: {(end - start) * 1000:6.0f} ms  (insert {(middle - start) * 1000:5.0f} ms, tell "
          f"{(end - middle) * 1000:6.0f} ms)  {queries:4d} queries  {inserted:6d} notices, "
          f"{told['notifications']:6d} notifications")
    print(f"{label + ', emails':<20}: {(sent - sending) * 1000:6.0f} ms  (the email task: {len(mail.outbox)} "
          f"messages built and handed to the mail backend)")


def main():
    args = parse_args()
    teardown = setup_django()
    try:
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from certificates.models import CertificateNotice

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        today = timezone.localdate()
        start = time.perf_counter()
        build(args.certificates, today)
        if connection.vendor == "postgresql":
            # Fresh bulk inserts have no planner statistics until autovacuum passes; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {connection.vendor}; built {args.certificates} certificates in "
              f"{time.perf_counter() - start:.1f} s")
        tomorrow = today + datetime.timedelta(days=1)
        timed_run("first run (backlog)", today)
        timed_run("same day again", today)
        timed_run("next day", tomorrow)
        timed_run("next day again", tomorrow)
        print(f"notices kept: {CertificateNotice.objects.count()}")
    finally:
        teardown()


if __name__ == "__main__":
    main()
