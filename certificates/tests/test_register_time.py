"""The register over time, by example: an old decision or register recorded after a newer certificate leaves
the newer one in force; a register imported in any order, or twice, gives the same rows; numbering never goes
back; past years' reports count what stood then; 5★ only from the ministry; register_check finds and repairs."""
import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from certificates.register_import import register_import
from certificates.services import (
    certificate_issue,
    certificate_number_next,
    certificate_register,
    certificates_issue_for_decision,
)
from certificates.tests.test_register_import import HEADER, workbook
from evaluation.enums import EvaluationLevel, SessionStatus
from evaluation.models import Decision, RecognisedProduct, Regulation
from ocop.models import AdministrativeUnit, AuditEntry
from products.tests.factories import ProductFactory

TODAY = timezone.localdate()


def status(number: str, on: datetime.date = TODAY) -> str:
    return Certificate.objects.with_status(on=on).get(number=number).status


def province():
    return AdministrativeUnit.objects.get(code="06")


# ---------------------------------------------------------------------------------------------
# The reproduction of the issue, on the demo
# ---------------------------------------------------------------------------------------------


def row(product, number, star, issued, *, authority="06", subject=None, kind="Hợp tác xã", tax="", commune=None,
        regulation=""):
    subject = subject or product.subject
    return [1, product.name, product.product_set.number, subject.name, kind, tax or subject.tax_code,
            subject.legal_representative, commune or product.commune.code, star, number, f"{issued.day}/QĐ-UBND",
            issued.strftime("%d/%m/%Y"), issued.strftime("%d/%m/%Y"), authority, regulation]


def test_an_older_register_recorded_late_leaves_the_current_certificates_in_force(demo_full, client):
    from products.models import Product

    mien_dong = Product.objects.get(name="Miến dong Tài Hoan")
    che = Product.objects.get(name="Chè Bản Dao")
    rows = [row(mien_dong, "201/2023/GCN-06", 4, datetime.date(2023, 11, 20)),
            row(che, "202/2023/GCN-06", 3, datetime.date(2023, 11, 20))]
    result = register_import(workbook(rows, header=HEADER + ["Bộ tiêu chí"]), commit=True)
    assert result.committed, [r.errors for r in result.rows]
    # The 2024 certificates are still in force; the 2023 ones were superseded by them when they were issued.
    assert (status("015/2024/GCN-TW"), status("087/2024/GCN-06")) == (CertificateStatus.VALID, CertificateStatus.VALID)
    old = Certificate.objects.get(number="201/2023/GCN-06")
    assert (old.superseded_by.number, old.superseded_on) == ("015/2024/GCN-TW", datetime.date(2024, 6, 18))
    assert status("201/2023/GCN-06", on=datetime.date(2024, 1, 1)) == CertificateStatus.VALID
    assert status("201/2023/GCN-06") == CertificateStatus.SUPERSEDED
    # What the public sees: valid on the verification page, and still in the catalogue and the API.
    page = client.get("/verify/015/2024/GCN-TW/").content.decode()
    assert 'data-testid="status">Còn hiệu lực<' in page and 'data-testid="replaced-by"' not in page
    assert "Miến dong Tài Hoan" in client.get("/catalog/?q=mien+dong").content.decode()
    api = client.get("/api/v1/certificates/015/2024/GCN-TW/").json()
    assert [r["status"] for r in api["results"]] == ["valid"]


def test_an_old_decision_issued_after_the_renewal_supersedes_nothing_newer(demo_full):
    decision = Decision.objects.get(number="1568/QĐ-UBND")
    Certificate.objects.filter(decision=decision).delete()
    renewal = Certificate.objects.get(number="041/2026/GCN-19")  # the gạo nếp's 2026 renewal, recorded first
    issued = certificates_issue_for_decision(decision=decision, by=None, render=False)
    gao_nep = next(c for c in issued if c.product_id == renewal.product_id)
    assert status(renewal.number) == CertificateStatus.VALID
    assert (gao_nep.superseded_by, gao_nep.superseded_on) == (renewal, renewal.issued_on)
    assert status(gao_nep.number, on=datetime.date(2026, 10, 1)) in (
        CertificateStatus.VALID, CertificateStatus.EXPIRING)
    assert status(gao_nep.number) == CertificateStatus.SUPERSEDED


def register_rows(demo_units) -> list[list]:
    """One product's whole history and two others', as a province's register lists them."""
    products = [ProductFactory(name=f"Sản phẩm sổ cũ {i}") for i in range(3)]
    return [
        row(products[0], "011/2019/GCN-06", 3, datetime.date(2019, 10, 1), regulation="1048/QĐ-TTg"),
        row(products[0], "031/2022/GCN-06", 3, datetime.date(2022, 9, 15)),
        row(products[0], "015/2024/GCN-06", 4, datetime.date(2024, 3, 4)),
        row(products[1], "012/2019/GCN-06", 3, datetime.date(2019, 10, 1)),
        row(products[1], "018/2023/GCN-06", 4, datetime.date(2023, 1, 9)),
        row(products[2], "007/2025/GCN-06", 3, datetime.date(2025, 5, 5)),
    ]


def register_snapshot() -> list[tuple]:
    return list(Certificate.objects.order_by("number").values_list(
        "number", "product__name", "star", "issued_on", "valid_until", "superseded_by__number", "superseded_on",
        "regulation__code"))


def import_rows(rows) -> list[tuple]:
    sid = transaction.savepoint()
    result = register_import(workbook(rows, header=HEADER + ["Bộ tiêu chí"]), commit=True)
    assert result.committed, [r.errors for r in result.rows]
    snapshot = register_snapshot()
    transaction.savepoint_rollback(sid)
    return snapshot


def test_a_register_imported_in_reverse_order_equals_it_imported_in_order(demo_units):
    rows = register_rows(demo_units)
    in_order = import_rows(rows)
    assert in_order == import_rows(list(reversed(rows))) == import_rows(rows[2:] + rows[:2])
    chain = {number: (by, on) for number, _p, _s, _i, _u, by, on, _r in in_order}
    assert chain["011/2019/GCN-06"] == ("031/2022/GCN-06", datetime.date(2022, 9, 15))
    assert chain["031/2022/GCN-06"] == ("015/2024/GCN-06", datetime.date(2024, 3, 4))
    assert chain["015/2024/GCN-06"] == (None, None)
    # 012/2019 ended on 01/10/2022, before 018/2023 was issued: it expired, nobody superseded it.
    assert chain["012/2019/GCN-06"] == (None, None)
    regulations = {number: code for number, *_rest, code in in_order}
    assert regulations["011/2019/GCN-06"] == "1048/QĐ-TTg"
    assert regulations["018/2023/GCN-06"] == "1048/QĐ-TTg"  # 148/QĐ-TTg came into force on 24/02/2023
    assert regulations["015/2024/GCN-06"] == "148/QĐ-TTg"
    assert regulations["007/2025/GCN-06"] == "148/QĐ-TTg"


def test_a_register_imported_twice_is_the_same_register(demo_units):
    rows = register_rows(demo_units)
    assert register_import(workbook(rows, header=HEADER + ["Bộ tiêu chí"]), commit=True).committed
    first = register_snapshot()
    audit = AuditEntry.objects.count()
    again = register_import(workbook(list(reversed(rows)), header=HEADER + ["Bộ tiêu chí"]), commit=True)
    assert again.committed and {r.outcome for r in again.rows} == {"unchanged"}
    assert register_snapshot() == first and AuditEntry.objects.count() == audit


def test_an_unknown_criteria_version_is_refused_with_its_row(demo_units):
    rows = register_rows(demo_units)
    rows[1][-1] = "999/QĐ-TTg"
    result = register_import(workbook(rows, header=HEADER + ["Bộ tiêu chí"]), commit=True)
    assert not result.committed
    assert "Không rõ bộ tiêu chí “999/QĐ-TTg”" in " ".join(result.rows[1].errors)


# ---------------------------------------------------------------------------------------------
# Numbering
# ---------------------------------------------------------------------------------------------


def test_numbering_follows_the_highest_number_recorded(demo_units):
    product = ProductFactory()
    certificate_register(product=product, star=3, number="064/2023/GCN-06", decision_number="1/QĐ-UBND",
                         decision_date=datetime.date(2023, 12, 27), signer="Chủ tịch UBND tỉnh",
                         level=EvaluationLevel.PROVINCE, issued_on=datetime.date(2023, 12, 27),
                         issuing_unit=province(), by=None, render=False)
    with transaction.atomic():
        assert certificate_number_next(issuing_unit=province(), year=2023) == "065/2023/GCN-06"
        assert certificate_number_next(issuing_unit=province(), year=2023) == "066/2023/GCN-06"
        assert certificate_number_next(issuing_unit=province(), year=2024) == "001/2024/GCN-06"
        assert certificate_number_next(issuing_unit=None, year=2023) == "001/2023/GCN-TW"
    # The same number written in another case is the same number: refused.
    with pytest.raises(ValidationError) as exc:
        certificate_register(product=ProductFactory(), star=3, number="064/2023/gcn-06", decision_number="2/QĐ-UBND",
                             decision_date=datetime.date(2023, 12, 28), signer="Chủ tịch UBND tỉnh",
                             level=EvaluationLevel.PROVINCE, issued_on=datetime.date(2023, 12, 28),
                             issuing_unit=province(), by=None, render=False)
    assert exc.value.message_dict["number"] == ["Số giấy chứng nhận 064/2023/gcn-06 đã được cơ quan cấp sử dụng."]


def test_nothing_is_dated_in_the_future(demo_units):
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        certificate_register(product=ProductFactory(), star=3, number="001/2099/GCN-06", decision_number="1/QĐ",
                             decision_date=tomorrow, signer="A", level=EvaluationLevel.PROVINCE, issued_on=tomorrow,
                             issuing_unit=province(), by=None, render=False)
    assert "tương lai" in exc.value.message_dict["issued_on"][0]


# ---------------------------------------------------------------------------------------------
# Who may recognise 5★
# ---------------------------------------------------------------------------------------------


def recognise(level: str, star: int, held_on=datetime.date(2026, 11, 2)) -> RecognisedProduct:
    """A finalised session of a council of `level` sitting on Thái Nguyên (which Bắc Kạn was merged into on
    01/07/2025), its decision and one product at `star`."""
    from evaluation.tests.factories import scenario_build
    from ocop.tests.factories import CycleFactory, UserFactory

    thai_nguyen = AdministrativeUnit.objects.get(code="19")
    cycle = CycleFactory(province=thai_nguyen, year=held_on.year)
    # A central council rates what a province nominated to it (the province's session is not the point here).
    nominated_on = held_on - datetime.timedelta(days=30) if level == EvaluationLevel.CENTRAL else None
    scenario = scenario_build(cycle=cycle, unit=thai_nguyen, users=[UserFactory(), UserFactory(), UserFactory()],
                              products=[ProductFactory(nominated_central_on=nominated_on)], level=level,
                              held_on=held_on,
                              regulation=Regulation.objects.get(code="26/2026/QĐ-TTg"))
    evaluation = scenario.evaluations[0]
    scenario.session.status = SessionStatus.FINALISED
    scenario.session.save(update_fields=["status"])
    evaluation.recognised_star = star
    evaluation.save(update_fields=["recognised_star"])
    decision = Decision.objects.create(session=scenario.session, number=f"{star}/QĐ-{level}", signed_on=held_on,
                                       signer="Bộ trưởng" if level == EvaluationLevel.CENTRAL else "Chủ tịch",
                                       issuing_unit=thai_nguyen, level=level)
    return RecognisedProduct.objects.create(decision=decision, evaluation=evaluation, product=evaluation.product,
                                            star=star)


@override_settings(OCOP_CENTRAL_AUTHORITY_NAME="Bộ Nông nghiệp và Môi trường")
def test_a_five_star_certificate_is_the_ministrys_whatever_unit_its_council_sits_on(demo_units):
    certificate = certificate_issue(recognition=recognise(EvaluationLevel.CENTRAL, 5), by=None, render=False)
    assert certificate.issuing_unit is None
    assert (certificate.authority_name, certificate.number) == ("Bộ Nông nghiệp và Môi trường", "001/2026/GCN-TW")
    assert certificate.regulation.code == "26/2026/QĐ-TTg"


def test_a_province_decision_cannot_carry_five_stars(demo_units):
    with pytest.raises(ValidationError) as exc:
        certificate_issue(recognition=recognise(EvaluationLevel.PROVINCE, 5), by=None, render=False)
    assert "chỉ Bộ (cấp trung ương) công nhận sản phẩm 5 sao" in exc.value.messages[0]
    assert not Certificate.objects.exists()


# ---------------------------------------------------------------------------------------------
# Past years' reports
# ---------------------------------------------------------------------------------------------


def test_a_past_years_report_counts_what_stood_then(demo_full):
    from products.models import Product

    rows = [row(Product.objects.get(name="Chè Bản Dao"), "011/2019/GCN-06", 3, datetime.date(2019, 10, 1)),
            row(Product.objects.get(name="Phục dưỡng hoa"), "012/2019/GCN-06", 4, datetime.date(2019, 10, 1))]
    assert register_import(workbook(rows, header=HEADER + ["Bộ tiêu chí"]), commit=True).committed
    for arguments in (["--year", "2019"], ["--year", "2019", "--date", "2019-12-31"]):
        out = io.StringIO()
        call_command("ocop_report", "--unit", "06", *arguments, stdout=out)
        report = json.loads(out.getvalue())
        assert report["date"] == "2019-12-31"
        assert (report["products"], report["by_star"]) == (2, {"3": 1, "4": 1})
        assert sorted((r["certificate_number"], r["criteria_version"]) for r in report["register"]) == [
            ("011/2019/GCN-06", "1048/QĐ-TTg"), ("012/2019/GCN-06", "1048/QĐ-TTg")]


# ---------------------------------------------------------------------------------------------
# Renewal only from a certificate that allows it
# ---------------------------------------------------------------------------------------------


def test_a_revoked_certificate_offers_no_renewal_and_refuses_one_posted(demo_full, client_for):
    from ocop.models import Cycle

    revoked = Certificate.objects.get(product__name="Mộc vượng xuân")
    client = client_for("htx.thienan")
    page = client.get(f"/certificates/{revoked.pk}/").content.decode()
    assert 'data-testid="renew"' not in page
    cycle = Cycle.objects.filter(province__code="06").order_by("-year").first()
    response = client.post(f"/certificates/{revoked.pk}/renew/", {"kind": "renewal", "cycle": cycle.pk}, follow=True)
    assert "Giấy chứng nhận đã bị thu hồi hoặc đã được thay thế thì không thể gia hạn hay nâng hạng." in (
        response.content.decode())
    assert not revoked.renewals.exists()


def test_a_valid_certificate_offers_only_the_upgrade(demo_full, client_for):
    valid = Certificate.objects.get(number="087/2024/GCN-06")  # 4★ until 20/12/2027
    page = client_for("tinh.backan").get(f"/certificates/{valid.pk}/")
    form = page.context["renew_form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["upgrade"]


# ---------------------------------------------------------------------------------------------
# register_check and the repair of existing data
# ---------------------------------------------------------------------------------------------


def corrupt_like_the_old_code(newer: Certificate, older: Certificate) -> None:
    """What `_supersede_previous` used to write: the newer certificate superseded by an older one."""
    Certificate.objects.filter(pk=newer.pk).update(superseded_by=older, superseded_on=newer.issued_on)
    Certificate.objects.filter(pk=older.pk).update(superseded_by=None, superseded_on=None)


def test_register_check_lists_the_violations_and_fix_repairs_them(demo_full):
    newer, older = Certificate.objects.get(number="041/2026/GCN-19"), Certificate.objects.get(
        product__name="Gạo nếp Khẩu Nua Lương", decision__number="1568/QĐ-UBND")
    corrupt_like_the_old_code(newer, older)
    Certificate.objects.filter(number="087/2024/GCN-06").update(regulation=None)
    out = io.StringIO()
    with pytest.raises(CommandError, match="problems left"):
        call_command("register_check", stdout=out)
    text = out.getvalue()
    assert f"[supersession] (fixable) 041/2026/GCN-19 được ghi là bị thay thế bởi {older.number}" in text
    assert "[regulation] (fixable) 087/2024/GCN-06 chưa ghi bộ tiêu chí." in text
    out = io.StringIO()
    call_command("register_check", "--fix", stdout=out)
    assert "The register holds: no problem found." in out.getvalue()
    assert status("041/2026/GCN-19") == CertificateStatus.VALID
    older.refresh_from_db()
    assert older.superseded_by.number == "041/2026/GCN-19"
    assert AuditEntry.objects.filter(object_id=newer.pk, message__startswith="Không còn bị thay thế").exists()


def test_register_check_reports_what_it_cannot_decide(demo_units):
    product = ProductFactory()
    certificate_register(product=product, star=5, number="001/2024/GCN-TW", decision_number="1/QĐ-BNN",
                         decision_date=datetime.date(2024, 6, 1), signer="Bộ trưởng", level=EvaluationLevel.CENTRAL,
                         issued_on=datetime.date(2024, 6, 1), issuing_unit=None, by=None, render=False)
    Certificate.objects.update(level=EvaluationLevel.PROVINCE)  # as an old import could have left it
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problems left"):
        call_command("register_check", "--fix", stdout=out)
    assert "[authority] (to decide) 001/2024/GCN-TW mang 5 sao nhưng không do cấp trung ương cấp." in out.getvalue()


def test_the_data_migration_repairs_the_chains_the_old_code_wrote(demo_full):
    import importlib

    migration = importlib.import_module("certificates.migrations.0006_register_time")
    newer, older = Certificate.objects.get(number="041/2026/GCN-19"), Certificate.objects.get(
        product__name="Gạo nếp Khẩu Nua Lương", decision__number="1568/QĐ-UBND")
    corrupt_like_the_old_code(newer, older)
    assert status("041/2026/GCN-19") == CertificateStatus.SUPERSEDED
    migration.forwards(apps, None)
    assert status("041/2026/GCN-19") == CertificateStatus.VALID
    assert Certificate.objects.get(pk=older.pk).superseded_by_id == newer.pk


def test_a_revocation_dated_in_the_future_is_refused_on_the_page(demo_full, client_for):
    certificate = Certificate.objects.get(number="087/2024/GCN-06")
    client = client_for("tinh.backan")
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(f"/certificates/{certificate.pk}/revoke/", {
        "ground": "food_safety", "reason": "Mẫu không đạt", "decision_number": "77/QĐ-UBND",
        "revoked_on": tomorrow.isoformat()}, follow=True)
    assert "Ngày thu hồi không thể ở tương lai." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_on is None and status(certificate.number) == CertificateStatus.VALID
    # Dated in the past, on or after the issue: revoked from that day, in force before it.
    client.post(f"/certificates/{certificate.pk}/revoke/", {
        "ground": "food_safety", "reason": "Mẫu không đạt", "decision_number": "77/QĐ-UBND",
        "revoked_on": "2026-01-15"})
    assert status(certificate.number, on=datetime.date(2026, 1, 14)) == CertificateStatus.VALID
    assert status(certificate.number, on=datetime.date(2026, 1, 15)) == CertificateStatus.REVOKED
