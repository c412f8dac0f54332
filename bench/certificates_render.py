#!/usr/bin/env python
"""Benchmark: rendering the certificates of a 1,000-product round, and one certificate on demand.

Builds N certificates (bulk_create, varied products, subjects and communes) in a fresh database, then
  * renders them all with `certificates_render` (what `render_certificates --decision` and the Celery task
    run): wall time, certificates per second, and the peak memory of this process and of the largest
    rendering process (resident set size, from getrusage);
  * renders one certificate on demand (`render_certificate`) 20 times after a warm-up and gc.freeze() (as a
    server process does, see ocop/wsgi.py): median and p95.
Checks that every stored file is a one-page PDF whose text holds its product's name with its diacritics.

    python bench/certificates_render.py [--certificates 1000] [--processes N]

Targets (issue 5): the round under 30 s with peak memory under 500 MB; one certificate under 150 ms.
"""
import argparse
import datetime
import gc
import io
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import setup_django  # noqa: E402

PRODUCT_WORDS = ["Miến dong", "Gạo nếp", "Chè Shan tuyết", "Mật ong bạc hà", "Tinh dầu sả chanh", "Măng khô",
                 "Rượu men lá", "Thịt trâu sấy", "Mộc nhĩ", "Nấm hương", "Trà hoa vàng", "Cao thải độc gan",
                 "Tương ớt", "Bánh gio", "Túi thổ cẩm", "Dầu lạc nguyên chất", "Gà đồi sơ chế", "Miến ngô"]
PLACES = ["Tài Hoan", "Khẩu Nua Lương", "Núi Biều", "Đà Bắc", "Hương Ngàn", "Toàn Sơn", "Bạch Thông", "Ý Yên",
          "Vi Hương", "Côn Minh", "Quang Thuận", "Đồng Thắng", "Tân Minh", "Yên Hòa"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=None, help="default: one per core")
    parser.add_argument("--single", type=int, default=20, help="on-demand renders to time")
    return parser.parse_args()


def build(count: int) -> list[int]:
    from certificates.models import Certificate
    from ocop.enums import UnitKind
    from ocop.models import AdministrativeUnit
    from products.models import Product, ProductSet
    from subjects.enums import SubjectKind
    from subjects.models import Subject

    rng = random.Random(1000)
    province = AdministrativeUnit.objects.create(code="B01", name="Bắc Kạn (bench)", kind=UnitKind.PROVINCE)
    communes = [AdministrativeUnit.objects.create(code=f"B01{i:02d}", name=f"Xã {place}", kind=UnitKind.COMMUNE,
                                                  parent=province) for i, place in enumerate(PLACES)]
    sets = list(ProductSet.objects.all())
    kinds = [SubjectKind.COOPERATIVE, SubjectKind.COOPERATIVE_GROUP, SubjectKind.ENTERPRISE,
             SubjectKind.HOUSEHOLD_BUSINESS]
    subjects = Subject.objects.bulk_create([
        Subject(name=f"Hợp tác xã {rng.choice(PLACES)} số {i}", kind=rng.choice(kinds), tax_code=f"47{i:08d}",
                legal_representative="Triệu Thị Hoan", commune=rng.choice(communes), address=f"Thôn Nà Làng {i}")
        for i in range(count // 3 + 1)])
    products = Product.objects.bulk_create([
        Product(subject=subjects[i % len(subjects)], product_set=rng.choice(sets),
                name=f"{rng.choice(PRODUCT_WORDS)} {rng.choice(PLACES)} {i}",
                commune=subjects[i % len(subjects)].commune)
        for i in range(count)])
    issued = datetime.date(2024, 10, 5)
    certificates = Certificate.objects.bulk_create([
        Certificate(number=f"{i + 1:04d}/2024/GCN-B01", issuing_unit=province, product=p, subject=p.subject,
                    star=rng.choice([3, 3, 3, 4, 4, 5]), decision_number="1568/QĐ-UBND", decision_date=issued,
                    signer="Chủ tịch UBND tỉnh Bắc Kạn", level="province", issued_on=issued,
                    valid_until=datetime.date(2027, 10, 5))
        for i, p in enumerate(products)])
    return [c.pk for c in certificates]


def rss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main():
    args = parse_args()
    media = tempfile.TemporaryDirectory(prefix="ocop-bench-media-")
    import os

    os.environ["MEDIA_ROOT"] = media.name
    teardown = setup_django()
    try:
        from django.conf import settings
        from pypdf import PdfReader

        from certificates.models import Certificate
        from certificates.rendering import certificates_render, render_certificate, render_processes

        settings.MEDIA_ROOT = media.name
        start = time.perf_counter()
        ids = build(args.certificates)
        print(f"built {len(ids)} certificates in {time.perf_counter() - start:.1f} s")
        processes = args.processes or render_processes()

        marks = []
        start = time.perf_counter()
        rendered = certificates_render(Certificate.objects.filter(pk__in=ids), processes=processes,
                                       progress=lambda done, total: marks.append((done, time.perf_counter())))
        elapsed = time.perf_counter() - start
        print(f"round           : {rendered} certificates in {elapsed:.1f} s ({rendered / elapsed:.0f}/s, "
              f"{elapsed * 1000 / rendered:.1f} ms each) with {processes} process(es)")
        print(f"peak memory     : this process {rss_mb(resource.RUSAGE_SELF):.0f} MB, largest rendering process "
              f"{rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")

        # Every file is its own one-page PDF, and its text is the certificate's.
        sizes = []
        for certificate in Certificate.objects.filter(pk__in=ids).select_related("product").iterator():
            data = certificate.pdf.read()
            certificate.pdf.close()
            sizes.append(len(data))
            reader = PdfReader(io.BytesIO(data))
            assert len(reader.pages) == 1, certificate.number
            text = " ".join(reader.pages[0].extract_text().split())
            assert certificate.product.name in text and certificate.number in text, (certificate.number, text[:200])
        print(f"files           : {len(sizes)} one-page PDFs, {statistics.median(sizes) / 1024:.0f} KiB median, "
              "each holding its product name and number")

        certificate = Certificate.objects.select_related(
            "issuing_unit", "product__product_set", "subject__commune__parent__parent").get(pk=ids[0])
        render_certificate(certificate)  # warm-up: fonts, templates
        gc.collect()
        gc.freeze()  # as ocop/wsgi.py does in a server process once it has loaded
        times = []
        for _ in range(args.single):
            t = time.perf_counter()
            render_certificate(certificate)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"one on demand   : median {statistics.median(times):6.1f} ms  p95 "
              f"{times[int(len(times) * 0.95) - 1]:6.1f} ms  ({args.single} renders)")
    finally:
        teardown()
        media.cleanup()


if __name__ == "__main__":
    main()
