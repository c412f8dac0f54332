"""Score sheets as data: the YAML and XLSX formats, every validation error with its place, the all-or-nothing
import that never touches a sheet in use, exact round trips, the shipped demonstration sheets, the commands
and the sheet pages."""
import copy
import datetime
import io
import zipfile
from decimal import Decimal
from unittest import mock

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from openpyxl import load_workbook

from evaluation.models import (
    Council,
    Criterion,
    CriterionOption,
    Evaluation,
    Regulation,
    ScoreSheet,
    Session,
    SheetPart,
    SheetSection,
)
from evaluation.services.sheets import (
    demo_sheet_files,
    demo_sheets_load,
    part_maxima,
    sheet_data_from_db,
    sheet_data_xlsx,
    sheet_data_yaml,
    sheet_export_xlsx,
    sheet_export_yaml,
    sheet_import,
    sheet_parse_xlsx,
    sheet_parse_yaml,
    sheet_read,
    sheet_validate,
)
from ocop.enums import AuditAction
from ocop.models import AuditEntry, Cycle
from ocop.tests.utils import count_queries
from products.models import Product

KNOWN = "1048/QĐ-TTg, 148/QĐ-TTg, 1489/QĐ-TTg, 26/2026/QĐ-TTg"
DEMO_SETS = {3, 7, 9, 11, 12, 18, 20, 22}
TEST_REGULATION = "99/2030/QĐ-TTg"


def sample(regulation="148/QĐ-TTg", product_set=3) -> dict:
    """A small valid sheet: A 40 (1.1 = 20 with a knock-out answer, 1.2 = 20), B 25 (4.1 mandatory from 3★),
    C 35."""
    return {
        "regulation": regulation, "product_set": product_set, "title": "Phiếu thử", "demonstration": False,
        "parts": [
            {"code": "A", "title": "Sản phẩm và sức mạnh cộng đồng", "max": 40, "sections": [
                {"code": "1", "title": "Tổ chức sản xuất", "criteria": [
                    {"code": "1.1", "title": "Nguồn nguyên liệu", "max": 20, "options": [
                        {"label": "Nguyên liệu nhập khẩu hoàn toàn hoặc không rõ nguồn gốc", "points": 0,
                         "knocks_out": True},
                        {"label": "Dưới 50% trong tỉnh", "points": 10},
                        {"label": "Trên 50% trong tỉnh", "points": 20}]},
                    {"code": "1.2", "title": "Liên kết sản xuất", "max": 20, "options": [
                        {"label": "Không có liên kết", "points": 0},
                        {"label": "Có hợp đồng liên kết", "points": 20}]},
                ]},
            ]},
            {"code": "B", "title": "Khả năng tiếp thị", "max": 25, "sections": [
                {"code": "4", "title": "Tiếp thị", "criteria": [
                    {"code": "4.1", "title": "Tem nhãn hàng hóa", "max": 25, "required_for_star": 3, "options": [
                        {"label": "Không có nhãn", "points": 0},
                        {"label": "Nhãn đúng quy định", "points": 25}]},
                ]},
            ]},
            {"code": "C", "title": "Chất lượng sản phẩm", "max": 35, "sections": [
                {"code": "6", "title": "Chất lượng", "criteria": [
                    {"code": "6.1", "title": "An toàn thực phẩm", "max": 35, "options": [
                        {"label": "Chưa có giấy chứng nhận", "points": 0},
                        {"label": "Có giấy chứng nhận", "points": 35}]},
                ]},
            ]},
        ],
    }


def yaml_errors(tree) -> list[str]:
    text = tree if isinstance(tree, str) else yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    data, errors = sheet_read(content=text.encode("utf-8"), filename="phieu.yaml")
    return [str(e) for e in errors]


def parsed(tree):
    data, errors = sheet_parse_yaml(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))
    assert errors == []
    return data


def criterion(tree, part, section, code):
    part = next(p for p in tree["parts"] if p["code"] == part)
    section = next(s for s in part["sections"] if s["code"] == section)
    return next(c for c in section["criteria"] if c["code"] == code)


@pytest.fixture
def test_regulation(db):
    return Regulation.objects.create(code=TEST_REGULATION, title="Bộ tiêu chí thử", issued_on=datetime.date(2030, 1, 1),
                                     effective_from=datetime.date(2030, 1, 1))


def use_sheet(sheet) -> Evaluation:
    """An evaluation that started under `sheet` (needs the demo products and cycles)."""
    cycle = Cycle.objects.select_related("province").first()
    council = Council.objects.create(cycle=cycle, level="province", unit=cycle.province, name="Hội đồng thử")
    session = Session.objects.create(council=council, held_on=datetime.date(2030, 3, 1))
    product = Product.objects.first() or _product_for(sheet)
    return Evaluation.objects.create(session=session, product=product, regulation=sheet.regulation, sheet=sheet)


def _product_for(sheet) -> Product:
    from ocop.models import AdministrativeUnit
    from subjects.models import Subject

    commune = AdministrativeUnit.objects.communes().first()
    subject = Subject.objects.create(name="Hợp tác xã Thử", kind="cooperative", tax_code="4700999999",
                                     legal_representative="Nguyễn Văn Thử", commune=commune)
    return Product.objects.create(subject=subject, product_set=sheet.product_set, name="Sản phẩm thử", commune=commune)


# ---------------------------------------------------------------------------------------------
# Reading and validation: YAML
# ---------------------------------------------------------------------------------------------


def test_sheet_parse_yaml_reads_the_whole_tree(db):
    data = parsed(sample())
    assert [(p.code, p.max_points) for p in data.parts] == [("A", 40), ("B", 25), ("C", 35)]
    first = data.parts[0].sections[0].criteria[0]
    assert (first.code, first.max_points, [o.points for o in first.options]) == ("1.1", 20, [0, 10, 20])
    assert [o.knocks_out for o in first.options] == [True, False, False]
    assert first.options[1].location == "A › 1 › 1.1 › phương án 2"
    assert data.parts[1].sections[0].criteria[0].required_for_star == 3
    assert sheet_validate(data) == []


def _set(path, value):
    """A mutation of the sample tree: path of keys/indexes, then the new value."""
    def mutate(tree):
        node = tree
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def _drop(path):
    def mutate(tree):
        node = tree
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


A11 = ["parts", 0, "sections", 0, "criteria", 0]
A12 = ["parts", 0, "sections", 0, "criteria", 1]
B41 = ["parts", 1, "sections", 0, "criteria", 0]


@pytest.mark.parametrize(("mutations", "expected"), [
    ([_set(["regulation"], "999/QĐ-TTg")],
     [f"regulation: không có quy định “999/QĐ-TTg” (các quy định hiện có: {KNOWN})"]),
    ([_set(["product_set"], 27)],
     ["product_set: không có bộ sản phẩm 27 (các bộ sản phẩm được đánh số từ 1 đến 26)"]),
    ([_set(["product_set"], "ba")], ["product_set: bộ sản phẩm “ba” không phải là số nguyên"]),
    ([_set(["parts", 1, "code"], "A"), _set(["parts", 1, "max"], 25)],
     ["A (phần 2): mã phần A bị lặp (lần đầu ở A)"]),
    ([_set(A12 + ["code"], "1.1")], ["A › 1 › 1.1 (tiêu chí 2): mã tiêu chí 1.1 bị lặp (lần đầu ở A › 1 › 1.1)"]),
    ([_set(A12 + ["options"], [])], ["A › 1 › 1.2: tiêu chí không có phương án nào"]),
    ([_drop(A12 + ["options"])], ["A › 1 › 1.2: tiêu chí không có phương án nào"]),
    ([_set(A12 + ["options"], [{"label": "Có hợp đồng liên kết", "points": 20}])],
     ["A › 1 › 1.2: tiêu chí chỉ có một phương án; cần ít nhất 2 phương án"]),
    ([_set(A11 + ["options", 1, "points"], -1)], ["A › 1 › 1.1 › phương án 2: số điểm -1 là số âm"]),
    ([_set(A11 + ["options", 2, "points"], 25)],
     ["A › 1 › 1.1 › phương án 3: 25 điểm vượt quá điểm tối đa của tiêu chí (20)"]),
    ([_set(A11 + ["options", 2, "points"], 15)],
     ["A › 1 › 1.1: phương án cao nhất được 15 điểm, không bằng điểm tối đa của tiêu chí (20)"]),
    ([_set(A12 + ["max"], 15), _set(A12 + ["options", 1, "points"], 15)],
     ["A: điểm tối đa các tiêu chí của phần A cộng lại là 35, không bằng điểm tối đa của phần (40)"]),
    ([_set(["parts", 0, "max"], 45), _set(A12 + ["max"], 25), _set(A12 + ["options", 1, "points"], 25)],
     ["parts: điểm tối đa các phần cộng lại là 105, không bằng 100"]),
    ([_set(B41 + ["required_for_star"], 6)],
     ["B › 4 › 4.1: “bắt buộc từ hạng sao” (required_for_star) phải là số nguyên từ 1 đến 5, không phải “6”"]),
    ([_set(B41 + ["required_for_star"], 0)],
     ["B › 4 › 4.1: “bắt buộc từ hạng sao” (required_for_star) phải là số nguyên từ 1 đến 5, không phải “0”"]),
    ([_set(A11 + ["options", 1, "points"], "mười")],
     ["A › 1 › 1.1 › phương án 2: số điểm “mười” không phải là số"]),
    ([_set(A11 + ["max"], "hai mươi")], ["A › 1 › 1.1: điểm tối đa của tiêu chí “hai mươi” không phải là số"]),
    ([_set(["parts", 2, "max"], "ba lăm")], ["C: điểm tối đa của phần “ba lăm” không phải là số"]),
    ([_set(A11 + ["options", 1, "knocks_out"], True)],
     ["A › 1 › 1.1 › phương án 2: phương án loại phải có 0 điểm, không phải 10"]),
    ([_set(A11 + ["options", 1, "label"], "Trên 50% trong tỉnh")],
     ["A › 1 › 1.1 › phương án 3: phương án bị lặp (lần đầu ở A › 1 › 1.1 › phương án 2)"]),
    ([_set(A11 + ["requried_for_star"], 3)],
     ["A › 1 › 1.1: khóa “requried_for_star” không hợp lệ (các khóa được dùng: assessed_by_commune, code, max, "
      "options, required_for_star, title)"]),
    ([_set(["parts", 0, "sections", 0, "code"], "")],
     ["A › mục 1: thiếu mã mục"]),
    ([_set(["title"], "")], ["title: thiếu tên phiếu"]),
    ([_set(A11 + ["options", 1, "points"], 2.555)],
     ["A › 1 › 1.1 › phương án 2: số điểm 2,555 phải không quá 9.999,99 và có tối đa hai chữ số thập phân"]),
])
def test_sheet_validate_yaml_reports_each_error_with_its_path(db, mutations, expected):
    tree = sample()
    for mutate in mutations:
        mutate(tree)
    assert yaml_errors(tree) == expected


def test_sheet_validate_yaml_accepts_a_decimal_comma_and_decimals(db):
    tree = sample()
    criterion(tree, "A", "1", "1.1")["options"][1]["points"] = "2,5"
    data = parsed(tree)
    assert data.parts[0].sections[0].criteria[0].options[1].points == Decimal("2.5")
    assert sheet_validate(data) == []


def test_sheet_validate_yaml_lists_every_error_at_once(db):
    tree = sample()
    tree["regulation"] = "1/QĐ"
    criterion(tree, "A", "1", "1.2")["options"] = []
    criterion(tree, "B", "4", "4.1")["options"][1]["points"] = "x"
    assert yaml_errors(tree) == [
        f"regulation: không có quy định “1/QĐ” (các quy định hiện có: {KNOWN})",
        "A › 1 › 1.2: tiêu chí không có phương án nào",
        "B › 4 › 4.1 › phương án 2: số điểm “x” không phải là số",
    ]


def test_sheet_parse_yaml_reports_a_syntax_error_with_its_line(db):
    errors = yaml_errors("regulation: 148/QĐ-TTg\nproduct_set: 3\nparts:\n  - code: A\n   title: lệch\n")
    assert len(errors) == 1
    assert errors[0].startswith("Dòng 5: tệp không đúng cú pháp YAML (")


def test_sheet_parse_yaml_refuses_aliases(db):
    errors = yaml_errors("regulation: &r 148/QĐ-TTg\ntitle: *r\n")
    assert errors == ["Dòng 2: tệp không đúng cú pháp YAML (aliases (*name) are not allowed)"]


def test_sheet_read_refuses_other_formats_and_non_utf8(db):
    assert [str(e) for e in sheet_read(content=b"x", filename="phieu.csv")[1]] == [
        "định dạng tệp không được hỗ trợ: dùng .yaml, .yml hoặc .xlsx"]
    assert [str(e) for e in sheet_read(content="tiêu".encode("utf-16"), filename="phieu.yml")[1]] == [
        "tệp không phải văn bản UTF-8"]


# ---------------------------------------------------------------------------------------------
# Reading and validation: XLSX
# ---------------------------------------------------------------------------------------------


def xlsx_of(tree) -> bytes:
    return sheet_data_xlsx(parsed(tree))


def edit_xlsx(content: bytes, edits: dict) -> bytes:
    """edits: {(worksheet, "B3"): value}."""
    workbook = load_workbook(io.BytesIO(content))
    for (worksheet, cell), value in edits.items():
        workbook[worksheet][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_errors(content: bytes) -> list[str]:
    return [str(e) for e in sheet_read(content=content, filename="phieu.xlsx")[1]]


def test_sheet_xlsx_layout_has_one_row_per_option_and_blank_continuations(db):
    workbook = load_workbook(io.BytesIO(xlsx_of(sample())))
    assert workbook.sheetnames == ["Phiếu", "Tiêu chí"]
    meta = [(row[0], row[1]) for row in workbook["Phiếu"].iter_rows(values_only=True)]
    assert meta == [("regulation", "148/QĐ-TTg"), ("product_set", 3), ("title", "Phiếu thử"), ("demonstration", False)]
    rows = list(workbook["Tiêu chí"].iter_rows(values_only=True))
    assert rows[0] == ("part_code", "part_title", "part_max", "section_code", "section_title", "criterion_code",
                       "criterion_title", "criterion_max", "required_for_star", "option_label", "option_points",
                       "knocks_out", "assessed_by_commune")
    assert rows[1] == ("A", "Sản phẩm và sức mạnh cộng đồng", 40, "1", "Tổ chức sản xuất", "1.1", "Nguồn nguyên liệu",
                       20, None, "Nguyên liệu nhập khẩu hoàn toàn hoặc không rõ nguồn gốc", 0, True, None)
    assert rows[2] == (None,) * 9 + ("Dưới 50% trong tỉnh", 10, None, None)
    assert len(rows) == 1 + 9


def test_sheet_parse_xlsx_reads_the_same_tree_as_yaml(db):
    data, errors = sheet_parse_xlsx(io.BytesIO(xlsx_of(sample())))
    assert errors == []
    assert data == parsed(sample())
    assert data.parts[0].sections[0].criteria[1].location == "Dòng 5"


@pytest.mark.parametrize(("edits", "expected"), [
    ({("Phiếu", "B1"): "999/QĐ-TTg"},
     [f"Trang tính “Phiếu”, dòng 1: không có quy định “999/QĐ-TTg” (các quy định hiện có: {KNOWN})"]),
    ({("Phiếu", "B2"): 30}, ["Trang tính “Phiếu”, dòng 2: không có bộ sản phẩm 30 (các bộ sản phẩm được đánh số "
                             "từ 1 đến 26)"]),
    ({("Tiêu chí", "K3"): "mười"}, ["Dòng 3: số điểm “mười” không phải là số"]),
    ({("Tiêu chí", "K3"): -2}, ["Dòng 3: số điểm -2 là số âm"]),
    ({("Tiêu chí", "K4"): 30}, ["Dòng 4: 30 điểm vượt quá điểm tối đa của tiêu chí (20)"]),
    ({("Tiêu chí", "K4"): 18}, ["Dòng 2: phương án cao nhất được 18 điểm, không bằng điểm tối đa của tiêu chí (20)"]),
    ({("Tiêu chí", "H5"): 15, ("Tiêu chí", "K6"): 15},
     ["Dòng 2: điểm tối đa các tiêu chí của phần A cộng lại là 35, không bằng điểm tối đa của phần (40)"]),
    ({("Tiêu chí", "C2"): 45, ("Tiêu chí", "H5"): 25, ("Tiêu chí", "K6"): 25},
     ["Trang tính “Tiêu chí”: điểm tối đa các phần cộng lại là 105, không bằng 100"]),
    ({("Tiêu chí", "A9"): "A"}, ["Dòng 9: mã phần A bị lặp (lần đầu ở Dòng 2)"]),
    ({("Tiêu chí", "F5"): "1.1"},
     ["Dòng 5: “Liên kết sản xuất” ở cột criterion_title khác với giá trị đã ghi ở Dòng 2",
      "Dòng 2: điểm tối đa các tiêu chí của phần A cộng lại là 20, không bằng điểm tối đa của phần (40)"]),
    ({("Tiêu chí", "J6"): None, ("Tiêu chí", "K6"): None},
     ["Dòng 5: tiêu chí chỉ có một phương án; cần ít nhất 2 phương án",
      "Dòng 5: phương án cao nhất được 0 điểm, không bằng điểm tối đa của tiêu chí (20)"]),
    ({("Tiêu chí", "I7"): 7},
     ["Dòng 7: “bắt buộc từ hạng sao” (required_for_star) phải là số nguyên từ 1 đến 5, không phải “7”"]),
    ({("Tiêu chí", "L3"): "có lẽ"}, ["Dòng 3: “có lẽ” không phải là có hoặc không (true/false)"]),
    ({("Tiêu chí", "L3"): "x"}, ["Dòng 3: phương án loại phải có 0 điểm, không phải 10"]),
    ({("Tiêu chí", "K1"): "diem"}, ["Dòng 1: trang tính “Tiêu chí” thiếu cột: option_points"]),
    ({("Phiếu", "A5"): "nam"}, ["Trang tính “Phiếu”, dòng 5: khóa “nam” không hợp lệ (các khóa được dùng: "
                                "regulation, product_set, title, demonstration)"]),
])
def test_sheet_validate_xlsx_reports_each_error_with_its_row(db, edits, expected):
    content = edit_xlsx(xlsx_of(sample()), edits)
    assert xlsx_errors(content) == expected


def test_sheet_parse_xlsx_reports_a_row_that_starts_without_codes(db):
    content = edit_xlsx(xlsx_of(sample()), {("Tiêu chí", "A2"): None, ("Tiêu chí", "B2"): None,
                                             ("Tiêu chí", "C2"): None})
    assert xlsx_errors(content)[:2] == ["Dòng 2: thiếu mã phần", "Dòng 3: thiếu mã phần"]


def test_sheet_parse_xlsx_refuses_a_file_that_is_not_a_workbook(db):
    errors = xlsx_errors(b"PK\x03\x04 not really a zip")
    assert errors == ["Tệp không phải là bảng tính Excel (.xlsx)."]


# ---------------------------------------------------------------------------------------------
# Import: all or nothing, never over a sheet in use
# ---------------------------------------------------------------------------------------------


def test_sheet_import_writes_the_tree_and_an_audit_entry(db):
    sheet = sheet_import(data=parsed(sample()), by=None)
    assert (sheet.regulation.code, sheet.product_set.number, sheet.title) == ("148/QĐ-TTg", 3, "Phiếu thử")
    assert list(sheet.parts.values_list("code", "max_points")) == [("A", 40), ("B", 25), ("C", 35)]
    assert list(sheet.criteria.values_list("code", "part__code", "section__code", "required_for_star")) == [
        ("1.1", "A", "1", None), ("1.2", "A", "1", None), ("4.1", "B", "4", 3), ("6.1", "C", "6", None)]
    assert list(CriterionOption.objects.filter(criterion__code="1.1").values_list("points", "knocks_out")) == [
        (0, True), (10, False), (20, False)]
    entry = AuditEntry.objects.get(object_id=sheet.pk, content_type__model="scoresheet")
    assert (entry.action, entry.message) == (AuditAction.IMPORT, "Đã nhập: 4 tiêu chí")


def test_sheet_import_refuses_invalid_data_and_writes_nothing(db):
    tree = sample()
    criterion(tree, "C", "6", "6.1")["options"][1]["points"] = 40
    with pytest.raises(ValidationError) as exc:
        sheet_import(data=parsed(tree), by=None)
    assert exc.value.messages == ["C › 6 › 6.1 › phương án 2: 40 điểm vượt quá điểm tối đa của tiêu chí (35)"]
    assert (ScoreSheet.objects.count(), SheetPart.objects.count(), Criterion.objects.count()) == (0, 0, 0)


def test_sheet_import_failing_midway_leaves_nothing(db):
    failing = mock.patch.object(CriterionOption.objects, "bulk_create", side_effect=IntegrityError("boom"))
    with failing, pytest.raises(ValidationError):
        sheet_import(data=parsed(sample()), by=None)
    assert (ScoreSheet.objects.count(), SheetPart.objects.count(), SheetSection.objects.count(),
            Criterion.objects.count(), AuditEntry.objects.count()) == (0, 0, 0, 0, 0)


def test_sheet_import_refuses_an_existing_sheet_without_replace(db):
    sheet_import(data=parsed(sample()), by=None)
    with pytest.raises(ValidationError) as exc:
        sheet_import(data=parsed(sample()), by=None)
    assert exc.value.messages == ["Đã có phiếu đánh giá của bộ sản phẩm 3 theo 148/QĐ-TTg. Chọn “thay thế” để "
                                  "nhập lại."]


def test_sheet_import_replace_rebuilds_the_same_sheet(db):
    sheet = sheet_import(data=parsed(sample()), by=None)
    tree = sample()
    tree["title"] = "Phiếu thử, bản 2"
    criterion(tree, "A", "1", "1.2")["title"] = "Liên kết chuỗi giá trị"
    replaced = sheet_import(data=parsed(tree), by=None, replace=True)
    assert replaced.pk == sheet.pk
    assert ScoreSheet.objects.get().title == "Phiếu thử, bản 2"
    assert list(Criterion.objects.values_list("title", flat=True)) == [
        "Nguồn nguyên liệu", "Liên kết chuỗi giá trị", "Tem nhãn hàng hóa", "An toàn thực phẩm"]
    assert (SheetPart.objects.count(), CriterionOption.objects.count()) == (3, 9)
    entry = AuditEntry.objects.filter(object_id=sheet.pk).latest("pk")
    assert entry.message == "Đã thay thế bằng tệp nhập: 4 tiêu chí (trước đó: 4)"
    assert entry.changes == {"title": ["Phiếu thử", "Phiếu thử, bản 2"]}


def test_sheet_import_replace_with_invalid_data_keeps_the_old_tree(db):
    sheet_import(data=parsed(sample()), by=None)
    tree = sample()
    tree["parts"][2]["max"] = 30
    with pytest.raises(ValidationError):
        sheet_import(data=parsed(tree), by=None, replace=True)
    assert list(SheetPart.objects.values_list("max_points", flat=True)) == [40, 25, 35]


def test_sheet_import_refuses_to_replace_a_sheet_in_use(demo, test_regulation):
    sheet = sheet_import(data=parsed(sample(regulation=TEST_REGULATION)), by=None)
    use_sheet(sheet)
    tree = sample(regulation=TEST_REGULATION)
    criterion(tree, "A", "1", "1.2")["title"] = "Đổi sau khi đã chấm"
    with pytest.raises(ValidationError) as exc:
        sheet_import(data=parsed(tree), by=None, replace=True)
    assert exc.value.messages == [
        f"Phiếu đánh giá của bộ sản phẩm 3 theo {TEST_REGULATION} đang được dùng cho 1 lượt đánh giá nên không thể "
        "thay thế: mỗi lượt đánh giá giữ nguyên phiếu đã dùng khi bắt đầu. Hãy nhập phiên bản mới theo quyết định "
        "mới của nó."]
    assert list(sheet.criteria.values_list("title", flat=True)) == [
        "Nguồn nguyên liệu", "Liên kết sản xuất", "Tem nhãn hàng hóa", "An toàn thực phẩm"]


# ---------------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------------


def test_sheet_round_trip_yaml_db_yaml_is_exact_for_every_shipped_sheet(db):
    for path in demo_sheet_files():
        text = path.read_text(encoding="utf-8")
        data, errors = sheet_parse_yaml(text)
        sheet = sheet_import(data=data, by=None)
        assert sheet_export_yaml(sheet) == text, path.name


def test_sheet_round_trip_yaml_db_yaml_keeps_decimals(db):
    tree = sample()
    criterion(tree, "A", "1", "1.1")["options"][1]["points"] = 12.5
    sheet = sheet_import(data=parsed(tree), by=None)
    exported = yaml.safe_load(sheet_export_yaml(sheet))
    assert exported["parts"][0]["sections"][0]["criteria"][0]["options"][1] == {
        "label": "Dưới 50% trong tỉnh", "points": 12.5}
    assert sheet_parse_yaml(sheet_export_yaml(sheet))[0] == parsed(tree)


def _cells(content: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: [row for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def test_sheet_round_trip_xlsx_db_xlsx_is_exact(db):
    path = demo_sheet_files()[0]
    original = sheet_import(data=sheet_parse_yaml(path.read_text(encoding="utf-8"))[0], by=None)
    first = sheet_export_xlsx(original)
    data, errors = sheet_read(content=first, filename="phieu.xlsx")
    assert errors == []
    reimported = sheet_import(data=data, by=None, replace=True)
    second = sheet_export_xlsx(reimported)
    assert _cells(second) == _cells(first)
    assert sheet_data_from_db(reimported) == sheet_parse_yaml(path.read_text(encoding="utf-8"))[0]


# ---------------------------------------------------------------------------------------------
# Shipped data
# ---------------------------------------------------------------------------------------------


def test_demo_sheets_cover_the_demo_sets_under_148_and_26_2026(db):
    found = set()
    for path in demo_sheet_files():
        data = sheet_parse_yaml(path.read_text(encoding="utf-8"))[0]
        found.add((data.regulation, data.product_set))
    assert found == {(r, n) for r in ("148/QĐ-TTg", "26/2026/QĐ-TTg") for n in DEMO_SETS}


@pytest.mark.parametrize("path", demo_sheet_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_demo_sheet_is_valid_demonstration_content_adding_up_to_100(db, path):
    data, errors = sheet_parse_yaml(path.read_text(encoding="utf-8"))
    assert errors == [] and sheet_validate(data) == []
    criteria = list(data.criteria())
    assert sum(p.max_points for p in data.parts) == 100
    assert [(p.code, p.title, p.max_points) for p in data.parts] == part_maxima()[(data.regulation, data.product_set)]
    assert data.demonstration is True and "NỘI DUNG MINH HỌA" in data.title
    assert 30 <= len(criteria) <= 40
    assert [o.label for c in criteria for o in c.options if o.knocks_out] == [
        "Nguyên liệu nhập khẩu hoàn toàn hoặc không rõ nguồn gốc"]
    assert {c.required_for_star for c in criteria} == {None, 3, 4, 5}


def test_part_maxima_lists_every_regulation_and_product_set():
    table = part_maxima()
    assert len(table) == 4 * 26
    assert [m for _c, _t, m in table[("1048/QĐ-TTg", 26)]] == [35, 25, 40]
    for code in ("148/QĐ-TTg", "1489/QĐ-TTg", "26/2026/QĐ-TTg"):
        assert all([m for _c, _t, m in table[(code, n)]] == [40, 25, 35] for n in range(1, 27))
    assert [t for _c, t, _m in table[("148/QĐ-TTg", 1)]] == [
        "Sản phẩm và sức mạnh cộng đồng", "Khả năng tiếp thị", "Chất lượng sản phẩm"]


def test_demo_sheets_load_is_idempotent(db):
    logs = []
    demo_sheets_load(logs.append)
    audit_count = AuditEntry.objects.count()
    demo_sheets_load(logs.append)
    assert logs == ["score sheets: 16 created, 0 updated, 0 unchanged, 0 kept as they are",
                    "score sheets: 0 created, 0 updated, 16 unchanged, 0 kept as they are"]
    assert ScoreSheet.objects.filter(is_demonstration=True).count() == 16
    assert AuditEntry.objects.count() == audit_count


def test_demo_sheets_load_keeps_an_official_sheet(db):
    tree = sample()
    sheet_import(data=parsed(tree), by=None)
    logs = []
    demo_sheets_load(logs.append)
    assert logs == ["score sheets: 15 created, 0 updated, 0 unchanged, 1 kept as they are"]
    assert ScoreSheet.objects.get(regulation__code="148/QĐ-TTg", product_set__number=3).title == "Phiếu thử"


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_criteria_command_imports_and_summarises(db, tmp_path):
    path = tmp_path / "bo-03.yaml"
    path.write_text(sheet_data_yaml(parsed(sample())), encoding="utf-8")
    out, err = run("import_criteria", str(path))
    assert out == ("Đã nhập phiếu đánh giá bộ sản phẩm 3. Gạo, ngũ cốc, hạt sơ chế khác theo 148/QĐ-TTg: 3 phần, "
                   "4 tiêu chí, 9 phương án, 1 tiêu chí bắt buộc, 1 phương án loại.\n")
    assert err == ""
    assert ScoreSheet.objects.count() == 1


def test_import_criteria_command_prints_every_error_and_exits_non_zero(db, tmp_path):
    tree = sample()
    criterion(tree, "A", "1", "1.2")["options"] = [{"label": "Một", "points": 20}]
    tree["parts"][1]["max"] = 30
    path = tmp_path / "bo-03.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_criteria", str(path), stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert str(exc.value) == "3 lỗi; chưa nhập gì."
    assert err.getvalue() == ("A › 1 › 1.2: tiêu chí chỉ có một phương án; cần ít nhất 2 phương án\n"
                              "B: điểm tối đa các tiêu chí của phần B cộng lại là 25, không bằng điểm tối đa của "
                              "phần (30)\n"
                              "parts: điểm tối đa các phần cộng lại là 105, không bằng 100\n")
    assert ScoreSheet.objects.count() == 0


def test_import_criteria_command_replaces_only_with_the_flag(db, tmp_path):
    path = tmp_path / "bo-03.xlsx"
    path.write_bytes(xlsx_of(sample()))
    run("import_criteria", str(path))
    with pytest.raises(CommandError) as exc:
        run("import_criteria", str(path))
    assert exc.value.returncode == 1
    out, _err = run("import_criteria", str(path), "--replace")
    assert out.startswith("Đã nhập phiếu đánh giá bộ sản phẩm 3.")
    assert ScoreSheet.objects.count() == 1


def test_import_criteria_command_refuses_an_unknown_extension(db, tmp_path):
    path = tmp_path / "bo-03.csv"
    path.write_text("x", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_criteria", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "định dạng tệp không được hỗ trợ: dùng .yaml, .yml hoặc .xlsx\n"


def test_export_criteria_command_writes_yaml_and_xlsx_that_import_back(db, tmp_path):
    sheet = sheet_import(data=parsed(sample()), by=None)
    yaml_path, xlsx_path = tmp_path / "out.yaml", tmp_path / "out.xlsx"
    out, _err = run("export_criteria", "--regulation", "148/QĐ-TTg", "--product-set", "3", "--format", "yaml",
                    "--out", str(yaml_path))
    assert out == f"Đã ghi {yaml_path}: 148/QĐ-TTg · 3. Gạo, ngũ cốc, hạt sơ chế khác (4 tiêu chí).\n"
    assert yaml_path.read_text(encoding="utf-8") == sheet_export_yaml(sheet)
    run("export_criteria", "--regulation", "148/QĐ-TTg", "--product-set", "3", "--format", "xlsx",
        "--out", str(xlsx_path))
    data, errors = sheet_read(content=xlsx_path.read_bytes(), filename="out.xlsx")
    assert errors == [] and data == sheet_data_from_db(sheet)


def test_export_criteria_command_fails_for_a_missing_sheet(db, tmp_path):
    with pytest.raises(CommandError) as exc:
        run("export_criteria", "--regulation", "148/QĐ-TTg", "--product-set", "5", "--format", "yaml",
            "--out", str(tmp_path / "x.yaml"))
    assert str(exc.value) == "Không có phiếu đánh giá của bộ sản phẩm 5 theo 148/QĐ-TTg."
    assert not (tmp_path / "x.yaml").exists()


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def test_sheet(demo, test_regulation):
    return sheet_import(data=parsed(sample(regulation=TEST_REGULATION)), by=None)


@pytest.mark.parametrize("url", ["/evaluation/sheets/", "/evaluation/sheets/export/", "/evaluation/sheets/import/"])
def test_sheet_pages_are_forbidden_to_a_subject_representative(client_for, test_sheet, url):
    response = client_for("htx.thienan").get(url)
    assert response.status_code == 403


def test_sheet_detail_and_download_are_forbidden_to_a_subject_representative(client_for, test_sheet):
    client = client_for("htx.thienan")
    assert client.get(f"/evaluation/sheets/{test_sheet.pk}/").status_code == 403
    assert client.get(f"/evaluation/sheets/{test_sheet.pk}/download/yaml/").status_code == 403


def test_sheet_pages_send_anonymous_users_to_login(client, test_sheet):
    response = client.get("/evaluation/sheets/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("username", ["hoidong.1", "huyen.bachthong", "tinh.backan", "admin"])
def test_sheet_list_shows_sheets_to_officials_and_council_members(client_for, test_sheet, username):
    page = client_for(username).get(f"/evaluation/sheets/?regulation={TEST_REGULATION}").content.decode()
    assert "Phiếu thử" in page
    assert "A 40 · B 25 · C 35" in page
    assert 'data-testid="demo-badge"' not in page


def test_sheet_list_filters_demonstration_content_and_searches_without_diacritics(client_for, test_sheet):
    client = client_for("hoidong.1")
    sheet_import(data=parsed({**sample(regulation=TEST_REGULATION, product_set=7), "title": "Phiếu minh họa",
                              "demonstration": True}), by=None)
    page = client.get(f"/evaluation/sheets/?regulation={TEST_REGULATION}&demonstration=yes").content.decode()
    assert "Phiếu minh họa" in page and "Phiếu thử" not in page
    assert page.count('data-testid="demo-badge"') == 1
    page = client.get(f"/evaluation/sheets/?regulation={TEST_REGULATION}&q=phieu+thu").content.decode()
    assert "Phiếu thử" in page and "Phiếu minh họa" not in page
    page = client.get(f"/evaluation/sheets/?regulation={TEST_REGULATION}&q=rau+cu").content.decode()
    assert "Phiếu minh họa" in page and "Phiếu thử" not in page


def test_sheet_import_page_is_forbidden_to_council_members_and_officers(client_for, test_sheet):
    assert client_for("hoidong.1").get("/evaluation/sheets/import/").status_code == 403
    assert client_for("tinh.backan").get("/evaluation/sheets/import/").status_code == 403


def test_sheet_list_query_count_does_not_grow(client_for, test_sheet, django_assert_num_queries):
    client = client_for("hoidong.1")
    url = f"/evaluation/sheets/?regulation={TEST_REGULATION}"
    one = count_queries(lambda: client.get(url))
    for number in (7, 9, 11):
        sheet_import(data=parsed(sample(regulation=TEST_REGULATION, product_set=number)), by=None)
    with django_assert_num_queries(one):
        page = client.get(url).content.decode()
    assert page.count("A 40 · B 25 · C 35") == 4


def test_sheet_list_export_has_the_filtered_rows(client_for, test_sheet):
    response = client_for("hoidong.1").get(f"/evaluation/sheets/export/?regulation={TEST_REGULATION}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Quyết định", "Số bộ sản phẩm", "Bộ sản phẩm")
    assert rows[1][:7] == (TEST_REGULATION, 3, "Gạo, ngũ cốc, hạt sơ chế khác", "Thực phẩm", "Phiếu thử",
                           "A 40 · B 25 · C 35", 4)
    assert len(rows) == 2


def test_sheet_detail_shows_the_tree_with_badges_and_downloads(client_for, test_sheet):
    page = client_for("hoidong.1").get(f"/evaluation/sheets/{test_sheet.pk}/").content.decode()
    assert "Phần A. Sản phẩm và sức mạnh cộng đồng" in page and "40 điểm" in page
    assert "Bắt buộc từ 3★" in page
    assert page.count('data-testid="knock-out"') == 1
    assert "4 tiêu chí · 1 bắt buộc · 1 phương án loại" in page
    assert f'/evaluation/sheets/{test_sheet.pk}/download/yaml/' in page
    assert f'/evaluation/sheets/{test_sheet.pk}/download/xlsx/' in page
    assert "Chưa được dùng cho lượt đánh giá nào." in page


def test_sheet_detail_of_a_demonstration_sheet_says_so(client_for, test_sheet):
    test_sheet.is_demonstration = True
    test_sheet.save()
    page = client_for("hoidong.1").get(f"/evaluation/sheets/{test_sheet.pk}/").content.decode()
    assert "Phiếu này là nội dung minh họa" in page


def test_sheet_download_gives_the_importable_files(client_for, test_sheet):
    client = client_for("huyen.bachthong")
    response = client.get(f"/evaluation/sheets/{test_sheet.pk}/download/yaml/")
    assert response.content.decode("utf-8") == sheet_export_yaml(test_sheet)
    assert response["Content-Disposition"] == 'attachment; filename="phieu-99-2030-qd-ttg-bo-03.yaml"'
    response = client.get(f"/evaluation/sheets/{test_sheet.pk}/download/xlsx/")
    data, errors = sheet_read(content=response.content, filename="x.xlsx")
    assert errors == [] and data == sheet_data_from_db(test_sheet)
    assert client.get(f"/evaluation/sheets/{test_sheet.pk}/download/pdf/").status_code == 404


def test_sheet_import_page_shows_errors_and_imports_nothing(client_for, test_regulation):
    tree = sample(regulation=TEST_REGULATION)
    criterion(tree, "A", "1", "1.1")["options"][2]["points"] = "hai mươi"
    upload = SimpleUploadedFile("bo-03.yaml", yaml.safe_dump(tree, allow_unicode=True).encode("utf-8"))
    page = client_for("admin").post("/evaluation/sheets/import/", {"file": upload}).content.decode()
    assert "“bo-03.yaml” có 1 lỗi; chưa nhập gì:" in page
    assert "A › 1 › 1.1 › phương án 3: số điểm “hai mươi” không phải là số" in page
    assert 'data-testid="sheet-preview"' not in page
    assert ScoreSheet.objects.filter(regulation=test_regulation).count() == 0


def test_sheet_import_page_checks_then_imports(client_for, test_regulation):
    client = client_for("admin")
    upload = SimpleUploadedFile("bo-03.xlsx", xlsx_of(sample(regulation=TEST_REGULATION)))
    page = client.post("/evaluation/sheets/import/", {"file": upload}).content.decode()
    assert "“bo-03.xlsx” hợp lệ. Kiểm tra nội dung rồi bấm nhập." in page
    assert "4 tiêu chí, 9 phương án, 1 tiêu chí bắt buộc, 1 phương án loại" in page
    assert ScoreSheet.objects.filter(regulation=test_regulation).count() == 0
    token = client.session["evaluation_sheet_imports"].popitem()[0]
    response = client.post("/evaluation/sheets/import/", {"token": token}, follow=True)
    sheet = ScoreSheet.objects.get(regulation=test_regulation)
    assert response.redirect_chain[-1][0] == f"/evaluation/sheets/{sheet.pk}/"
    assert "Đã nhập phiếu đánh giá của bộ sản phẩm 3. Gạo, ngũ cốc, hạt sơ chế khác theo 99/2030/QĐ-TTg." in \
        response.content.decode()
    assert AuditEntry.objects.get(object_id=sheet.pk, content_type__model="scoresheet").actor.username == "admin"


def test_sheet_import_page_refuses_to_replace_a_sheet_in_use(client_for, test_sheet):
    use_sheet(test_sheet)
    upload = SimpleUploadedFile("bo-03.yaml", sheet_export_yaml(test_sheet).encode("utf-8"))
    page = client_for("admin").post("/evaluation/sheets/import/", {"file": upload, "replace": "on"}).content.decode()
    assert "đang được dùng cho 1 lượt đánh giá nên không thể thay thế" in page
    assert 'data-testid="sheet-preview"' not in page


def test_sheet_import_page_rejects_a_file_of_another_type(client_for, test_regulation):
    upload = SimpleUploadedFile("bo-03.pdf", b"%PDF-1.4")
    page = client_for("admin").post("/evaluation/sheets/import/", {"file": upload}).content.decode()
    assert "“bo-03.pdf” không phải là tệp .yaml, .yml hoặc .xlsx." in page


def test_sheet_import_page_with_a_stale_token_asks_for_the_file_again(client_for, test_regulation):
    response = client_for("admin").post("/evaluation/sheets/import/", {"token": "gone"}, follow=True)
    assert "Tệp đã kiểm tra không còn được lưu; hãy chọn lại tệp." in response.content.decode()
    assert ScoreSheet.objects.filter(regulation=test_regulation).count() == 0


def test_sheet_permissions_follow_roles(users):
    assert [u for u in ("admin", "tinh.backan", "huyen.bachthong", "hoidong.1", "htx.thienan")
            if users[u].has_perm("evaluation.view_sheets")] == ["admin", "tinh.backan", "huyen.bachthong", "hoidong.1"]
    assert [u for u in ("admin", "tinh.backan", "hoidong.1") if users[u].has_perm("evaluation.import_sheets")] == [
        "admin"]


def test_sheet_data_is_independent_of_file_locations(db):
    """Two reads of the same sheet compare equal whatever format they came from (locations differ)."""
    from_yaml = parsed(sample())
    from_xlsx = sheet_parse_xlsx(io.BytesIO(xlsx_of(sample())))[0]
    assert from_yaml == from_xlsx
    assert from_yaml.parts[0].location == "A" and from_xlsx.parts[0].location == "Dòng 2"
    assert copy.deepcopy(from_yaml) == from_yaml


# ---------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------


def test_sheet_admin_lists_criteria_count_and_exports_yaml(client_for, test_sheet):
    client = client_for("admin")
    url = f"/admin/evaluation/scoresheet/?regulation__id__exact={test_sheet.regulation_id}"
    page = client.get(url).content.decode()
    assert '<td class="field-criteria_count">4</td>' in page
    response = client.post("/admin/evaluation/scoresheet/", {"action": "export_yaml",
                                                             "_selected_action": [test_sheet.pk]})
    assert response["Content-Disposition"] == 'attachment; filename="phieu-99-2030-qd-ttg-bo-03.yaml"'
    assert response.content.decode("utf-8") == sheet_export_yaml(test_sheet)


def test_sheet_admin_exports_several_sheets_as_a_zip(client_for, test_sheet):
    other = sheet_import(data=parsed(sample(regulation=TEST_REGULATION, product_set=7)), by=None)
    response = client_for("admin").post("/admin/evaluation/scoresheet/", {
        "action": "export_xlsx", "_selected_action": [test_sheet.pk, other.pk]})
    names = sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert names == ["phieu-99-2030-qd-ttg-bo-03.xlsx", "phieu-99-2030-qd-ttg-bo-07.xlsx"]


def test_sheet_admin_makes_a_sheet_in_use_read_only(client_for, test_sheet):
    client = client_for("admin")
    item = test_sheet.criteria.get(code="1.1")
    assert 'name="_save"' in client.get(f"/admin/evaluation/criterion/{item.pk}/change/").content.decode()
    use_sheet(test_sheet)
    assert 'name="_save"' not in client.get(f"/admin/evaluation/criterion/{item.pk}/change/").content.decode()
    response = client.post(f"/admin/evaluation/criterion/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert test_sheet.criteria.count() == 4
