"""The commune's pre-assessment of a dossier (1489/2025, 26/2026): the criteria the sheet marks as assessed by
the commune get a proposed answer and a note, editable until the dossier is sent, shown on the dossier's page."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.enums import Role
from ocop.models import AuditEntry
from products.models import ProductSet
from products.services.dossiers import dossier_check, dossier_submit, dossiers_send
from products.tests.factories import (
    ProductFactory,
    complete_dossier,
    demo_login,
    thainguyen_cycle,
    thienan_commune_officer,
    thienan_subject,
)

from ..models import DossierPreAssessment
from ..services.preassessment import dossier_preassess, dossier_sheet
from ..services.sheets.validate import sheet_structure_errors
from ..services.sheets.xlsx import sheet_data_xlsx, sheet_parse_xlsx
from ..services.sheets.yaml import sheet_data_yaml, sheet_parse_yaml
from .factories import option_of, regulation_for_test_sheet


@pytest.fixture
def commune_officer(demo_units):
    return thienan_commune_officer()


@pytest.fixture
def province_office(demo_units):
    """Thái Nguyên's provincial office, which since 01/07/2025 stands for Bắc Kạn's."""
    return demo_login("tinh.thainguyen", Role.PROVINCE_STAFF, "19")


@pytest.fixture
def dossier(users):
    product = ProductFactory(subject=thienan_subject(users["htx.thienan"]), name="Trà hoa vàng Thiên An",
                             product_set=ProductSet.objects.get(number=12))
    return dossier_submit(dossier=complete_dossier(product, thainguyen_cycle()), by=users["htx.thienan"])


@pytest.fixture
def sheet(dossier):
    """The small test sheet for the dossier's set and rules, its raw-material criterion (A1.1) left to the
    commune."""
    sheet = regulation_for_test_sheet(dossier)
    sheet.criteria.filter(code="A1.1").update(assessed_by_commune=True)
    return sheet


def test_commune_officer_pre_assesses_and_the_province_reads_it_on_the_dossier(
        client, client_for, dossier, sheet, commune_officer, province_office):
    client.force_login(commune_officer)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Đánh giá sơ bộ của xã" in page and "Chưa đánh giá" in page
    url = f"/evaluation/dossiers/{dossier.pk}/pre-assessment/"
    form = client.get(url).content.decode()
    assert "A1.1 Nguồn nguyên liệu" in form and "A1.2" not in form  # only what the commune assesses
    chosen = option_of(sheet, "A1.1", 20)
    criterion = chosen.criterion
    response = client.post(url, {f"option_{criterion.pk}": chosen.pk,
                                 f"note_{criterion.pk}": "Chè hoa vàng trồng tại thôn Nà Cà"}, follow=True)
    assert "Đã lưu đánh giá sơ bộ." in response.content.decode()
    row = DossierPreAssessment.objects.get(dossier=dossier)
    assert (row.criterion.code, row.option, row.note, row.assessed_by) == (
        "A1.1", chosen, "Chè hoa vàng trồng tại thôn Nà Cà", commune_officer)
    entry = AuditEntry.objects.filter(content_type__model="dossier", object_id=dossier.pk).first()
    assert (entry.message, entry.changes) == (
        "Đã ghi đánh giá sơ bộ của xã",
        {"A1.1": [None, "Trên 75% nguyên liệu từ địa phương · Chè hoa vàng trồng tại thôn Nà Cà"]})

    dossier = dossier_check(dossier=dossier, by=commune_officer)
    dossiers_send(dossiers=[dossier], by=commune_officer)
    client.force_login(province_office)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Trên 75% nguyên liệu từ địa phương" in page and "Chè hoa vàng trồng tại thôn Nà Cà" in page
    assert "Đánh giá sơ bộ" in page and f"/evaluation/dossiers/{dossier.pk}/pre-assessment/" not in page


def test_pre_assessment_is_locked_once_sent(client, dossier, sheet, commune_officer):
    dossier = dossier_check(dossier=dossier, by=commune_officer)
    dossiers_send(dossiers=[dossier], by=commune_officer)
    client.force_login(commune_officer)
    page = client.get(f"/evaluation/dossiers/{dossier.pk}/pre-assessment/").content.decode()
    assert ("Hồ sơ đang ở trạng thái “Đã gửi lên tỉnh”: chỉ có thể đánh giá sơ bộ sau khi hồ sơ được nộp và cho "
            "đến khi được gửi lên tỉnh.") in page
    chosen = option_of(sheet, "A1.1", 10)
    with pytest.raises(ValidationError) as error:
        dossier_preassess(dossier=dossier, answers={chosen.criterion_id: (chosen, "")}, by=commune_officer)
    assert error.value.messages == ["Hồ sơ đang ở trạng thái “Đã gửi lên tỉnh” không còn có thể đánh giá sơ bộ."]


def test_only_criteria_left_to_the_commune_and_their_own_answers(dossier, sheet, commune_officer):
    other = option_of(sheet, "A1.2", 10)
    with pytest.raises(ValidationError) as error:
        dossier_preassess(dossier=dossier, answers={other.criterion_id: (other, "")}, by=commune_officer)
    assert error.value.messages == ["Tiêu chí này không do xã đánh giá sơ bộ."]
    raw = option_of(sheet, "A1.1", 10)
    with pytest.raises(ValidationError) as error:
        dossier_preassess(dossier=dossier, answers={raw.criterion_id: (other, "")}, by=commune_officer)
    assert error.value.messages == ["Hãy chọn một trong các phương án của tiêu chí."]


def test_officer_of_another_commune_and_the_province_cannot_pre_assess(client_for, client, dossier, sheet, users,
                                                                      province_office):
    raw = option_of(sheet, "A1.1", 10)
    with pytest.raises(PermissionDenied):
        dossier_preassess(dossier=dossier, answers={raw.criterion_id: (raw, "")}, by=users["huyen.nari"])
    url = f"/evaluation/dossiers/{dossier.pk}/pre-assessment/"
    assert client_for("huyen.nari").get(url).status_code == 404
    client.force_login(province_office)
    assert client.get(url).status_code == 403
    assert client_for("htx.thienan").get(url).status_code == 403
    assert not DossierPreAssessment.objects.exists()


def test_dossier_sheet_follows_the_rules_of_the_submission(dossier, sheet):
    assert dossier_sheet(dossier) == sheet


# ---------------------------------------------------------------------------------------------
# Which criteria the commune pre-assesses: data of the sheet, carried by its files
# ---------------------------------------------------------------------------------------------

DEMO_SHEET = Path(__file__).resolve().parents[1] / "data" / "sheets" / "26-2026-QD-TTg" / "bo-12.yaml"


def test_demo_sheets_leave_local_raw_materials_and_labour_to_the_commune():
    data, errors = sheet_parse_yaml(DEMO_SHEET.read_text(encoding="utf-8"))
    assert errors == []
    assert [(c.code, c.title) for c in data.criteria() if c.assessed_by_commune] == [
        ("1.1", "Nguồn nguyên liệu (hoa, lá, thân, rễ thảo mộc)"),
        ("3.2", "Sử dụng lao động địa phương")]


def test_the_flag_survives_yaml_and_excel_round_trips():
    data, _errors = sheet_parse_yaml(DEMO_SHEET.read_text(encoding="utf-8"))
    again, errors = sheet_parse_yaml(sheet_data_yaml(data))
    assert errors == [] and again == data
    from_excel, errors = sheet_parse_xlsx(io.BytesIO(sheet_data_xlsx(data)))
    assert errors == []
    assert [c.code for c in from_excel.criteria() if c.assessed_by_commune] == ["1.1", "3.2"]


def test_a_flag_that_is_not_yes_or_no_is_refused():
    text = DEMO_SHEET.read_text(encoding="utf-8").replace(
        "assessed_by_commune: true", "assessed_by_commune: một nửa", 1)
    data, _errors = sheet_parse_yaml(text)
    assert [str(error.message) for error in sheet_structure_errors(data)] == [
        "“một nửa” không phải là có hoặc không (true/false)"]
