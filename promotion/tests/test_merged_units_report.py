"""Reports and dashboards of a current unit include its predecessors (issue 16, item 2): over one database, Bắc
Kạn's reports of 2019 and 2023 give its own figures as before, Thái Nguyên's of 2026 counts the products of former
Bắc Kạn whose certificates are in force, under the communes of 2026, against the communes that exist then."""
import datetime
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from certificates.services import certificate_register
from evaluation.enums import EvaluationLevel
from ocop.enums import Role
from ocop.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from promotion.selectors.dashboard import programme_summary
from subjects.tests.factories import SubjectFactory

from .conftest import texts

ON = datetime.date(2026, 11, 25)
NO_SUCCESSOR = "Xã cũ chưa ghi đơn vị kế thừa"


def product_in(units, code: str, name: str):
    return ProductFactory(subject=SubjectFactory(name=f"Hợp tác xã {name}", commune=units[code]), name=name)


def certify(product, *, by, on: datetime.date, number: str, star: int = 3):
    central = by is None
    certificate_register(
        product=product, star=star, number=number, decision_number="1/QĐ-UBND", decision_date=on,
        signer="Chủ tịch UBND", level=EvaluationLevel.CENTRAL if central else EvaluationLevel.PROVINCE,
        issued_on=on, issuing_unit=by, by=None, render=False)


@pytest.fixture
def merged(demo_units):
    """Certificates of Bắc Kạn's communes from 2019 on, of Thái Nguyên's own, and one of Hòa Bình's.

    Chè Vi Hương (Vi Hương, now Bạch Thông): 3★ by Bắc Kạn in 2019, 4★ in 2022, renewed 4★ by Thái Nguyên in
    2025. Chè Sĩ Bình (Sĩ Bình, now Bạch Thông): 3★ in 2024. Miến Văn Lang (Văn Lang, now Côn Minh): 3★ in 2023,
    ended 05/10/2026. Miến Côn Minh (Côn Minh): 5★ by the ministry in 2024. Măng Nguyên Phúc (Nguyên Phúc, ended
    with no successor recorded): 3★ in 2024. Gạo Đức Xuân (ward of Thái Nguyên since 2025): 4★ by Thái Nguyên in
    2026. Mật ong Toàn Sơn (Hòa Bình): 3★ in 2024."""
    u = demo_units
    backan, thainguyen = u["06"], u["19"]
    tea = product_in(u, "01843", "Chè Vi Hương")
    certify(tea, by=backan, on=datetime.date(2019, 10, 1), number="010/2019/GCN-06")
    certify(tea, by=backan, on=datetime.date(2022, 9, 20), number="020/2022/GCN-06", star=4)
    certify(tea, by=thainguyen, on=datetime.date(2025, 9, 15), number="005/2025/GCN-19", star=4)
    certify(product_in(u, "01846", "Chè Sĩ Bình"), by=backan, on=datetime.date(2024, 3, 1), number="030/2024/GCN-06")
    certify(product_in(u, "01972", "Miến Văn Lang"), by=backan, on=datetime.date(2023, 10, 5),
            number="040/2023/GCN-06")
    certify(product_in(u, "01963", "Miến Côn Minh"), by=None, on=datetime.date(2024, 6, 18), number="015/2024/GCN-TW",
            star=5)
    certify(product_in(u, "01861", "Măng Nguyên Phúc"), by=backan, on=datetime.date(2024, 5, 1),
            number="031/2024/GCN-06")
    certify(product_in(u, "19114", "Gạo Đức Xuân"), by=thainguyen, on=datetime.date(2026, 3, 10),
            number="012/2026/GCN-19", star=4)
    certify(product_in(u, "04603", "Mật ong Toàn Sơn"), by=u["17"], on=datetime.date(2024, 1, 10),
            number="050/2024/GCN-17")
    return u


def report(unit: str, year: int, date: datetime.date | None = None) -> dict:
    out = io.StringIO()
    call_command("ocop_report", "--unit", unit, "--year", str(year),
                 *(["--date", date.isoformat()] if date else []), stdout=out)
    return json.loads(out.getvalue())


def figures(data: dict) -> tuple:
    return (data["products"], data["subjects"], data["by_star"], data["communes_with_product"], data["communes"],
            data["new_this_year"])


def test_bac_kan_2019_and_2023_and_thai_nguyen_2026_each_give_their_own_figures(merged):
    backan_2019, backan_2023 = report("06", 2019), report("06", 2023)
    thainguyen_2026 = report("19", 2026, ON)
    assert figures(backan_2019) == (1, 1, {"3": 1}, 1, 20, 1)
    assert backan_2019["including"] == [] and backan_2019["by_commune"] == [
        {"code": "01843", "name": "Vi Hương", "products": 1}]
    assert figures(backan_2023) == (2, 2, {"3": 1, "4": 1}, 2, 20, 1)
    assert [(r["product"], r["commune"], r["district"], r["star"]) for r in backan_2023["register"]] == [
        ("Chè Vi Hương", "Vi Hương", "Bạch Thông", 4), ("Miến Văn Lang", "Văn Lang", "Na Rì", 3)]
    # 2026: Chè Vi Hương, Chè Sĩ Bình, Miến Côn Minh, Măng Nguyên Phúc of former Bắc Kạn and Thái Nguyên's Gạo Đức
    # Xuân (Miến Văn Lang's certificate ended on 05/10/2026); 3 of the 5 communes of 2026 have one.
    assert figures(thainguyen_2026) == (5, 5, {"3": 2, "4": 2, "5": 1}, 3, 5, 1)
    assert thainguyen_2026["including"] == [{"code": "06", "name": "Bắc Kạn", "until": "2025-06-30"}]
    assert thainguyen_2026["by_commune"] == [
        {"code": "19102", "name": "Bạch Thông", "products": 2}, {"code": "19111", "name": "Côn Minh", "products": 1},
        {"code": "19114", "name": "Đức Xuân", "products": 1}, {"code": "", "name": "", "products": 1}]
    assert (thainguyen_2026["expiring_in_6_months"], thainguyen_2026["re_recognised"]) == (2, 0)
    assert [(r["product"], r["commune"], r["district"], r["certificate_number"])
            for r in thainguyen_2026["register"]] == [
        ("Chè Sĩ Bình", "Bạch Thông", "", "030/2024/GCN-06"), ("Chè Vi Hương", "Bạch Thông", "", "005/2025/GCN-19"),
        ("Miến Côn Minh", "Côn Minh", "", "015/2024/GCN-TW"), ("Gạo Đức Xuân", "Đức Xuân", "", "012/2026/GCN-19"),
        ("Măng Nguyên Phúc", "Nguyên Phúc", "Bạch Thông", "031/2024/GCN-06")]  # no successor: as recorded
    # Before the merger Thái Nguyên counts only its own (it had none in the demo's units).
    assert figures(report("19", 2023)) == (0, 0, {}, 0, 0, 0)


def test_a_former_unit_after_its_end_is_reported_as_it_stood_on_its_last_day(merged):
    data = report("06", 2026, ON)
    assert figures(data) == (4, 4, {"3": 2, "4": 1, "5": 1}, 4, 20, 0)
    assert [row["name"] for row in data["by_commune"]] == ["Côn Minh", "Nguyên Phúc", "Sĩ Bình", "Vi Hương"]


def test_thai_nguyen_2026_excel_report_counts_former_bac_kan(merged, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    call_command("ocop_report", "--unit", "19", "--year", "2026", "--date", ON.isoformat(), "--format", "xlsx",
                 "--out", str(path), stdout=io.StringIO())
    summary, register = load_workbook(path).worksheets
    assert summary["A3"].value == "Gồm cả số liệu của các đơn vị đã sáp nhập vào: Tỉnh Bắc Kạn (đến 30/06/2025)."
    values = [[c for c in row if c is not None] for row in summary.iter_rows(values_only=True)]
    assert ["Xã có sản phẩm OCOP", 3] in values and ["Số xã của đơn vị", 5] in values
    assert ["Bạch Thông", 2] in values and [NO_SUCCESSOR, 1] in values
    assert register.max_row == 6


def test_thai_nguyen_officer_dashboard_of_2026_shows_former_bac_kan(merged, client):
    officer = UserFactory(username="tinh.thainguyen", role=Role.PROVINCE_STAFF, unit=merged["19"])
    client.force_login(officer)
    page = client.get("/dashboard/?year=2026").content.decode()
    # Whatever today's date after the last certificate of the fixture ended (05/10/2026), to 31/12/2026.
    assert texts(page, "figure-products") == ["5 Sản phẩm OCOP"]
    assert ('data-testid="figure-communes"><div class="card-body"><div class="display-6">3'
            '<small class="fs-5 text-muted">/5</small>') in page
    assert texts(page, "including") == [
        "Gồm cả số liệu của các đơn vị đã sáp nhập vào: Tỉnh Bắc Kạn (đến 30/06/2025)."]
    assert texts(page, "commune-row") == ["Bạch Thông 2", "Côn Minh 1", "Đức Xuân 1", f"{NO_SUCCESSOR} 1"]
    assert texts(page, "by-star")[0].split() == ["3★", "2", "4★", "2", "5★", "1"]


def test_the_certificate_list_behind_thai_nguyens_figures_holds_former_bac_kan(merged, client):
    client.force_login(UserFactory(username="quantri", role=Role.ADMIN))
    listed = client.get("/certificates/?unit=19&status=in_force&on=2026-11-25")
    assert sorted(c.number for c in listed.context["page"].object_list) == [
        "005/2025/GCN-19", "012/2026/GCN-19", "015/2024/GCN-TW", "030/2024/GCN-06", "031/2024/GCN-06"]
    before = client.get("/certificates/?unit=19&status=in_force&on=2024-12-31")
    assert before.context["page"].paginator.count == 0


@pytest.fixture(params=[1, 6])
def rows(request, demo_units):
    """One product of Thái Nguyên's certified in 2026, or five more of former Bắc Kạn's certified in 2025."""
    for i, code in enumerate(["19114", "01843", "01846", "01963", "01972", "01861"][:request.param]):
        own = demo_units[code].parent.code == "19"
        certify(product_in(demo_units, code, f"Sản phẩm {i}"), by=demo_units["19" if own else "06"],
                on=datetime.date(2026 if own else 2025, 3, 1), number=f"{i}/GCN")
    return request.param


def test_thai_nguyen_summary_runs_the_same_queries_for_one_or_several_products(demo_units, rows,
                                                                              django_assert_num_queries):
    # Thái Nguyên's units and Bắc Kạn's, then 10 for the figures (the inspections by verdict among them)
    with django_assert_num_queries(12):
        summary = programme_summary(demo_units["19"], 2026, ON)
    assert (summary.products, summary.communes_with_product, summary.communes) == (
        rows, {1: 1, 6: 3}[rows], 5)


def test_thai_nguyen_dashboard_runs_the_same_queries_for_one_or_several_products(demo_units, rows, client,
                                                                                django_assert_num_queries):
    client.force_login(UserFactory(username="tinh.thainguyen", role=Role.PROVINCE_STAFF, unit=demo_units["19"]))
    # The session, the user and his unit; Thái Nguyên's units and Bắc Kạn's; the 11 of the figures (the inspections
    # by verdict among them); the units to switch to; the navigation's permission checks and the notification bell.
    with django_assert_num_queries(20):
        page = client.get("/dashboard/?year=2026")
    assert texts(page.content.decode(), "figure-products") == [f"{rows} Sản phẩm OCOP"]


def test_a_former_unit_dashboard_after_its_end_says_it_was_merged(merged, client):
    """Bắc Kạn's office opens its 2026 dashboard: its figures are those of its last day, and the page says so and
    where its products count now; its 2023 dashboard says nothing of the kind."""
    client.force_login(UserFactory(username="kt.backan", role=Role.PROVINCE_STAFF, unit=merged["06"]))
    page = client.get("/dashboard/?year=2026").content.decode()
    assert texts(page, "ended") == [
        "Tỉnh Bắc Kạn đã kết thúc ngày 30/06/2025 và được sáp nhập vào Tỉnh Thái Nguyên: đây là số liệu của đơn vị "
        "vào ngày cuối cùng; từ đó các sản phẩm của đơn vị được tính vào số liệu của Tỉnh Thái Nguyên."]
    assert 'data-testid="ended"' not in client.get("/dashboard/?year=2023").content.decode()
