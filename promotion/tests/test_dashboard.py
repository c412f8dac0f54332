"""The programme figures against hand-counted fixtures; the dashboard and its Excel report.

The main fixture is shaped like seed 000 (Bạch Thông): 41 products at 3★ held by 17 subjects, 11
cooperatives and 6 cooperative groups, in 10 of the district's 14 communes; around it, certificates that must
not count (revoked, superseded, expired, another district's)."""
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from certificates.models import Certificate
from certificates.services import certificate_chain_rebuild
from ocop.models import AdministrativeUnit
from ocop.tests.utils import count_queries
from products.models import Product, ProductSet
from promotion.models import SalesPoint, Target, TrainingEvent
from promotion.selectors.dashboard import programme_summary
from subjects.models import Subject

TODAY = datetime.date(2026, 11, 25)


def certify(product, star, issued_on, number, unit, **extra):
    return Certificate.objects.create(
        number=number, issuing_unit=unit, product=product, subject=product.subject, star=star,
        decision_number="1/QĐ-UBND", decision_date=issued_on, signer="Chủ tịch UBND", level="district",
        issued_on=issued_on, valid_until=issued_on.replace(year=issued_on.year + 3), **extra)


@pytest.fixture
def bach_thong(demo_units):
    """Seed 000's district, counted by hand."""
    district = demo_units["063"]
    communes = sorted(AdministrativeUnit.objects.within(district).communes(), key=lambda u: u.code)
    assert len(communes) == 14
    sets = list(ProductSet.objects.order_by("number"))
    subjects = []
    for i in range(17):  # 11 cooperatives, 6 groups, spread over the first 10 communes
        kind = "cooperative" if i < 11 else "cooperative_group"
        subjects.append(Subject.objects.create(
            name=f"{'Hợp tác xã' if i < 11 else 'Tổ hợp tác'} Bạch Thông {i}", kind=kind,
            tax_code=f"47006{i:05d}" if i < 11 else "", legal_representative="Đại diện",
            commune=communes[i % 10]))
    products = []
    for i in range(41):  # 41 products: 3 for each of the first 7 subjects, 2 for the other 10
        subject = subjects[i // 3] if i < 21 else subjects[7 + (i - 21) // 2]
        products.append(Product.objects.create(subject=subject, product_set=sets[i % 5], name=f"Sản phẩm {i}",
                                               commune=subject.commune))
    issued = [datetime.date(2024, 9, 1)] * 30 + [datetime.date(2025, 8, 1)] * 11
    for i, product in enumerate(products):
        certify(product, 3, issued[i], f"{i + 1:03d}/GCN-063", district)
    # What must not count: a revoked one, an expired one, a superseded one (its product counts once, by the
    # new certificate), and a product of Na Rì.
    extra = Product.objects.create(subject=subjects[0], product_set=sets[0], name="Thu hồi", commune=communes[11])
    certify(extra, 4, datetime.date(2024, 5, 1), "900/GCN-063", district, revoked_on=datetime.date(2025, 1, 1),
            revoke_reason="Vi phạm", revoke_decision_number="5/QĐ")
    old = Product.objects.create(subject=subjects[1], product_set=sets[0], name="Hết hạn", commune=communes[12])
    certify(old, 3, datetime.date(2020, 1, 10), "901/GCN-063", district)
    renewed = products[0]
    first = Certificate.objects.get(product=renewed)
    newer = certify(renewed, 3, datetime.date(2026, 3, 1), "902/GCN-063", district)
    # The chain is derived from the issue dates: the renewal supersedes the 2024 certificate.
    certificate_chain_rebuild(product_ids=[renewed.pk])
    first.refresh_from_db()
    assert (first.superseded_by, first.superseded_on) == (newer, datetime.date(2026, 3, 1))
    na_ri = demo_units["066"]
    other = Subject.objects.create(name="HTX Na Rì", kind="cooperative", tax_code="4700999999",
                                   legal_representative="A",
                                   commune=AdministrativeUnit.objects.within(na_ri).communes()[0])
    certify(Product.objects.create(subject=other, product_set=sets[0], name="Ngoài huyện", commune=other.commune),
            3, datetime.date(2024, 1, 1), "903/GCN-066", na_ri)
    return district


def test_seed_000_district_figures(bach_thong):
    summary = programme_summary(bach_thong, 2024, today=TODAY)
    assert summary.products == 41 and summary.by_star == {3: 41}
    assert summary.subjects == 17
    assert {k["kind"]: (k["subjects"], k["products"]) for k in summary.by_kind} == {
        "cooperative": (11, 21 + 4 * 2), "cooperative_group": (6, 12), "enterprise": (0, 0),
        "household_business": (0, 0)}
    assert (summary.communes_with_product, summary.communes) == (10, 14)
    # 2024: 30 first certificates (one of them renewed in 2026, still a first recognition in 2024).
    assert (summary.new_this_year, summary.re_recognised, summary.upgraded) == (30, 0, 0)
    assert sum(s["products"] for s in summary.by_product_set) == 41


def test_products_by_set_and_sector(bach_thong):
    """Products i of the 41 are in set i % 5 + 1 (all five in the food sector); one drink added in 2024."""
    drink_set = ProductSet.objects.exclude(sector="Thực phẩm").order_by("number").first()
    subject = Subject.objects.filter(name="Hợp tác xã Bạch Thông 0").get()
    certify(Product.objects.create(subject=subject, product_set=drink_set, name="Đồ uống", commune=subject.commune),
            4, datetime.date(2024, 10, 1), "904/GCN-063", bach_thong)
    summary = programme_summary(bach_thong, 2024, today=TODAY)
    assert [(s["number"], s["products"]) for s in summary.by_product_set] == [
        (1, 9), (2, 8), (3, 8), (4, 8), (5, 8), (drink_set.number, 1)]
    assert summary.by_sector == [{"sector": "Thực phẩm", "products": 41},
                                 {"sector": drink_set.sector, "products": 1}]
    assert summary.by_star == {3: 41, 4: 1}
    assert summary.by_kind[0] == {"kind": "cooperative", "label": "Hợp tác xã", "subjects": 11, "products": 30}


def test_renewals_and_expiry_windows(bach_thong):
    summary = programme_summary(bach_thong, 2026, today=TODAY)
    assert (summary.new_this_year, summary.re_recognised, summary.upgraded) == (0, 1, 0)
    # Issued 1/9/2024 → end 1/9/2027: within 6 months of 25/11/2026? No (9 months). None end by 25/5/2027.
    assert summary.expiring_6_months == 0
    summary = programme_summary(bach_thong, 2026, today=datetime.date(2027, 4, 1))
    assert summary.expiring_6_months == 29  # the 2024 ones but the renewed product


def test_targets_against_the_data(bach_thong):
    Target.objects.create(unit=bach_thong, year=2024, metric="new_3_star", planned=20)
    Target.objects.create(unit=bach_thong, year=2024, metric="trained", planned=200)
    Target.objects.create(unit=bach_thong, year=2024, metric="sales_points", planned=2)
    TrainingEvent.objects.create(topic="Tập huấn OCOP", unit=bach_thong, held_on=datetime.date(2024, 5, 2),
                                 participants_count=150)
    TrainingEvent.objects.create(topic="Năm khác", unit=bach_thong, held_on=datetime.date(2023, 5, 2),
                                 participants_count=99)
    SalesPoint.objects.create(name="Điểm bán OCOP Phủ Thông", commune=AdministrativeUnit.objects.get(code="01840"),
                              address="Chợ Phủ Thông", opened_on=datetime.date(2024, 3, 1))
    targets = {t.metric: t for t in programme_summary(bach_thong, 2024, today=TODAY).targets}
    assert (targets["new_3_star"].actual, targets["new_3_star"].percent) == (30, 150)
    assert (targets["trained"].actual, targets["trained"].percent) == (150, 75)
    assert (targets["sales_points"].actual, targets["sales_points"].percent) == (1, 50)
    assert targets["upgrades"].planned is None and targets["upgrades"].percent is None


def test_ocop_report_json_and_xlsx(bach_thong, tmp_path):
    out = io.StringIO()
    call_command("ocop_report", "--unit", "063", "--year", "2024", "--date", TODAY.isoformat(), stdout=out)
    data = json.loads(out.getvalue())
    assert (data["products"], data["subjects"], data["communes_with_product"], data["communes"]) == (41, 17, 10, 14)
    assert len(data["register"]) == 41
    row = next(r for r in data["register"] if r["product"] == "Sản phẩm 1")
    assert (row["subject"], row["subject_kind"], row["star"], row["certificate_number"], row["issued_on"]) == (
        "Hợp tác xã Bạch Thông 0", "Hợp tác xã", 3, "002/GCN-063", "2024-09-01")
    path = tmp_path / "bao-cao.xlsx"
    call_command("ocop_report", "--unit", "063", "--year", "2024", "--date", TODAY.isoformat(), "--format", "xlsx",
                 "--out", str(path), stdout=io.StringIO())
    book = load_workbook(path)
    summary, register = book.worksheets
    values = [[c for c in row if c is not None] for row in summary.iter_rows(values_only=True)]
    assert ["3 sao", 41] in values and ["Tổng", 41] in values
    assert ["Hợp tác xã", 11, 29] in values and ["Tổ hợp tác", 6, 12] in values
    assert ["Xã có sản phẩm OCOP", 10] in values and ["Số xã của đơn vị", 14] in values
    assert register.max_row == 42 and register["B1"].value == "Sản phẩm"


def test_report_command_refuses_an_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No unit has the code"):
        call_command("ocop_report", "--unit", "999", stdout=io.StringIO())


def test_dashboard_lists_product_sets_under_their_sector_and_says_so(bach_thong, client_for):
    import re

    drink_set = ProductSet.objects.exclude(sector="Thực phẩm").order_by("number").first()
    subject = Subject.objects.filter(name="Hợp tác xã Bạch Thông 0").get()
    certify(Product.objects.create(subject=subject, product_set=drink_set, name="Đồ uống", commune=subject.commune),
            4, datetime.date(2024, 10, 1), "904/GCN-063", bach_thong)
    page = client_for("huyen.bachthong").get("/dashboard/?unit=063&year=2024").content.decode()

    table = page[page.index('data-testid="by-set"'):]
    table = table[:table.index("</table>")]
    rows = [(kind, " ".join(re.sub(r"<[^>]+>", " ", cells).split()))
            for kind, cells in re.findall(r'<tr[^>]*data-testid="(sector|set)-row">(.*?)</tr>', table, re.S)]
    sets = {s.number: s.name for s in ProductSet.objects.filter(number__in=[1, 2, 3, 4, 5, drink_set.number])}
    assert "<h2 class=\"h6\">Theo ngành và bộ sản phẩm</h2>" in page
    assert rows == [("sector", "Thực phẩm 31"), *[("set", f"{n}. {sets[n]} {count}") for n, count in
                                                   ((1, 7), (2, 6), (3, 6), (4, 6), (5, 6))],
                    ("sector", f"{drink_set.sector} 1"), ("set", f"{drink_set.number}. {drink_set.name} 1")]


def test_dashboard_numbers_match_the_lists_behind_them(bach_thong, client_for, users):
    client = client_for("huyen.bachthong")
    page = client.get("/dashboard/?year=2024").content.decode()
    assert 'data-testid="figure-products"' in page
    listed = client.get("/certificates/?unit=063&status=in_force&star=3")
    assert listed.context["page"].paginator.count == 41
    kinds = client.get("/certificates/?unit=063&status=in_force&kind=cooperative_group")
    assert kinds.context["page"].paginator.count == 12
    first = client.get("/certificates/?unit=063&year=2024&first=1").context["page"].paginator.count
    assert first == 30  # the first recognitions of 2024, as the dashboard counts them (the revoked one is not)
    assert client_for("htx.thienan").get("/dashboard/").status_code == 403


def test_a_past_years_figures_link_to_the_lists_as_they_stood_on_its_last_day(bach_thong, client_for):
    client = client_for("huyen.bachthong")
    page = client.get("/dashboard/?unit=063&year=2024")
    summary = page.context["summary"]
    assert summary.today == datetime.date(2024, 12, 31) and summary.products == 31
    drill = "/certificates/?unit=063&amp;on=2024-12-31&amp;status=in_force"
    assert f'href="{drill}" data-testid="figure-products"' in page.content.decode()
    listed = client.get(drill.replace("&amp;", "&"))
    assert listed.context["page"].paginator.count == 31
    assert "Trạng thái tại ngày 31/12/2024." in listed.content.decode()
    # The one revoked on 01/01/2025 was still in force then; today it is not.
    statuses = {c.number: c.status for c in listed.context["page"].object_list}
    assert statuses["900/GCN-063"] == "valid"
    assert client.get("/certificates/?unit=063&status=revoked").context["page"].paginator.count == 1
    refused = client.get("/certificates/?on=2999-01-01").content.decode()
    assert "Chỉ xem được trạng thái vào hôm nay hoặc một ngày đã qua" in refused


def test_dashboard_query_count_does_not_grow_with_products(bach_thong, client_for):
    client = client_for("huyen.bachthong")
    many = count_queries(lambda: client.get("/dashboard/?year=2024&unit=063"))
    few = count_queries(lambda: client.get("/dashboard/?year=2024&unit=01843"))
    assert many == few


def test_dashboard_stays_in_the_officer_area(bach_thong, client_for):
    page = client_for("huyen.nari").get("/dashboard/?unit=063&year=2024")
    assert page.context["unit"].code == "066"  # another district's figures are not shown to him


def test_excel_report_download(bach_thong, client_for):
    client = client_for("tinh.backan")
    response = client.get(f"/dashboard/report/?unit=063&year={timezone.localdate().year}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[1].max_row == 42  # the header and today's 41 OCOP products
    # A past year's register is taken on 31/12 of that year: the 30 products certified in 2024 and the one
    # revoked only in 2025; not the 11 certified in 2025.
    book = load_workbook(io.BytesIO(client.get("/dashboard/report/?unit=063&year=2024").content))
    assert book.worksheets[1].max_row == 32
