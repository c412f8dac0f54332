"""The paper path: printed sheets with their codes, the Excel template, and the all-or-nothing import."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ocop.enums import AuditAction, Role
from ocop.models import AuditEntry, Cycle

from ..enums import EvaluationLevel, ScorecardStatus
from ..models import CriterionScore, Scorecard
from ..services.councils import council_create, council_member_add
from ..services.paper import (
    COLUMNS,
    PaperRow,
    paper_import,
    paper_rows_read,
    paper_template_xlsx,
    scorecard_code,
)
from .test_results import CODES, DAU_LAC, GAO_NEP, MIEN_DONG, answer, build_scene, make_user, pdf_text


@pytest.fixture
def scene(demo_units):
    return build_scene(demo_units, score=False)


def card(scene, evaluation, key) -> Scorecard:
    return Scorecard.objects.select_related("member__user").get(evaluation=evaluation, member=scene.members[key])


def template_rows(scene) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(paper_template_xlsx(scene.session)))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def filled_template(scene, answers: dict, *, edit=None) -> bytes:
    """The session's template with the option numbers of `answers` {code: {criterion code: option number}}."""
    workbook = load_workbook(io.BytesIO(paper_template_xlsx(scene.session)))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        chosen = answers.get(row[0].value, {})
        if row[3].value in chosen:
            row[6].value = chosen[row[3].value]
    if edit:
        edit(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def options_for(points_by_code: tuple) -> dict:
    """Option numbers (1-based, in printed order) of the answers worth these points in the test sheet."""
    from .test_results import SHEET

    numbers = {}
    options = {code: [o[1] for o in opts] for _p, _t, _m, criteria in SHEET for code, _t2, _m2, _r, opts in criteria}
    for code, points in zip(CODES, points_by_code, strict=True):
        numbers[code] = options[code].index(points) + 1
    return numbers


def upload(content: bytes, name="phieu-cham.xlsx"):
    return SimpleUploadedFile(name, content,
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def import_url(scene):
    return reverse("evaluation:session-paper-import", args=[scene.session.pk])


# ---------------------------------------------------------------------------------------------
# Codes and printed sheets
# ---------------------------------------------------------------------------------------------


def test_scorecard_code_names_the_scorecard_with_a_checksum(scene):
    code = scorecard_code(card(scene, scene.mien_dong, "an"))
    number, checksum = code.split("-")[1:]
    assert (code.startswith("SC-"), int(number), len(checksum)) == (True, card(scene, scene.mien_dong, "an").pk, 4)
    assert code != scorecard_code(card(scene, scene.mien_dong, "binh"))


def test_paper_sheets_pdf_has_one_sheet_per_scorecard_with_its_code(client, scene,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(scene.binh)  # the secretary prints every sheet (prepared in the background: 8 sheets)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("evaluation:session-paper-sheets", args=[scene.session.pk]), follow=True)
    job = page.context["job"]
    response = client.get(reverse("file-job-download", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    cards = Scorecard.objects.filter(evaluation__session=scene.session)
    assert cards.count() == 8  # 3 + 3 + 2 (Cường's conflict on Gạo nếp)
    for scorecard in cards:
        assert scorecard_code(scorecard) in text
    assert text.count("PHIẾU CHẤM ĐIỂM") == 8
    assert "Miến dong Tài Hoan – Hợp tác xã Tài Hoan" in text
    assert "Thành viên: Lý Văn Cường (Thành viên)" in text
    assert "Phần C. Chất lượng sản phẩm (tối đa 35,00 điểm)" in text
    assert "An toàn thực phẩm (bắt buộc từ 4 sao)" in text
    assert "Không rõ nguồn gốc (loại sản phẩm)" in text


def test_paper_sheets_pdf_for_a_member_has_only_his_own(client, scene):
    client.force_login(scene.cuong)
    text = pdf_text(client.get(reverse("evaluation:session-paper-sheets", args=[scene.session.pk])).content)
    assert text.count("PHIẾU CHẤM ĐIỂM") == 2
    assert scorecard_code(card(scene, scene.mien_dong, "cuong")) in text
    assert scorecard_code(card(scene, scene.mien_dong, "an")) not in text


def test_paper_sheets_pdf_of_another_council_is_not_found(client, scene, demo_units):
    stranger = make_user("kt.namdinh", "Trần Văn", "Nam")
    other = council_create(cycle=Cycle.objects.create(province=demo_units["36"], year=2024, name="OCOP Nam Định"),
                           level=EvaluationLevel.PROVINCE, unit=demo_units["36"], name="Hội đồng Nam Định", by=None)
    council_member_add(council=other, user=stranger, by=None)
    client.force_login(stranger)
    assert client.get(reverse("evaluation:session-paper-sheets", args=[scene.session.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------


def test_paper_template_has_a_row_per_open_scorecard_and_criterion(scene):
    answer(card(scene, scene.gao_nep, "an"), GAO_NEP["an"])  # submitted: no longer in the template
    rows = template_rows(scene)
    assert rows[0] == ("Mã phiếu chấm", "Thành viên hội đồng", "Sản phẩm", "Mã tiêu chí", "Tiêu chí", "Các phương án",
                       "Phương án chọn", "Điểm")
    assert len(rows) == 1 + 7 * 5
    first = rows[1]
    assert first[:5] == (scorecard_code(card(scene, scene.mien_dong, "an")), "Nguyễn Văn An", "Miến dong Tài Hoan",
                         "1.1", "Nguồn nguyên liệu")
    assert first[5] == "1) Không rõ nguồn gốc: 0 | 2) Dưới 50% tại địa phương: 5 | 3) Trên 75% tại địa phương: 10"


def test_paper_template_download_for_the_secretary(client, scene):
    client.force_login(scene.binh)
    response = client.get(reverse("evaluation:session-paper-template", args=[scene.session.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Phiếu chấm giấy", "Hướng dẫn"]


# ---------------------------------------------------------------------------------------------
# Import: validation
# ---------------------------------------------------------------------------------------------


def all_answers(scene) -> dict:
    out = {}
    for evaluation, answers in ((scene.mien_dong, MIEN_DONG), (scene.dau_lac, DAU_LAC), (scene.gao_nep, GAO_NEP)):
        for key, points in answers.items():
            out[scorecard_code(card(scene, evaluation, key))] = options_for(points)
    return out


def test_paper_import_dry_run_saves_nothing(scene):
    rows = paper_rows_read(io.BytesIO(filled_template(scene, all_answers(scene))))
    result = paper_import(session=scene.session, rows=rows, submit=True, dry_run=True, by=scene.binh)
    assert (result.ok, result.scorecards, result.answers, result.submitted) == (True, 8, 40, 8)
    assert CriterionScore.objects.filter(scorecard__evaluation__session=scene.session).count() == 0


def test_paper_import_reports_every_bad_row_and_saves_nothing(scene):
    answers = all_answers(scene)
    locked = card(scene, scene.dau_lac, "binh")
    answer(locked, DAU_LAC["binh"])  # submitted online meanwhile
    an_code = scorecard_code(card(scene, scene.mien_dong, "an"))
    binh_code = scorecard_code(card(scene, scene.mien_dong, "binh"))
    cuong_code = scorecard_code(card(scene, scene.mien_dong, "cuong"))
    bad_checksum = an_code[:-4] + ("0000" if not an_code.endswith("0000") else "1111")
    rows = paper_rows_read(io.BytesIO(filled_template(scene, answers)))
    rows = [r for r in rows if not (r.code == cuong_code and r.criterion_code == "3.2")]  # missing criterion
    for row in rows:
        if row.code == binh_code and row.criterion_code == "2.1":
            row.option = None
            row.points = "12"  # not one of the answers of 2.1
        if row.code == an_code and row.criterion_code == "1.2":
            row.option = 9  # 1.2 has six answers
    rows += [
        PaperRow(row=100, code="SC-999999-ABCD", criterion_code="1.1", option=1),
        PaperRow(row=101, code=bad_checksum, criterion_code="1.1", option=1),
        PaperRow(row=102, code=an_code, criterion_code="9.9", option=1),
        PaperRow(row=103, code=an_code, criterion_code="1.1", option=3),
        PaperRow(row=104, code=binh_code, criterion_code="3.1", option=2, points="15"),
        PaperRow(row=105, code=scorecard_code(locked), criterion_code="1.1", option=3),
        PaperRow(row=106, code=scorecard_code(locked), criterion_code="1.2", option=3),
    ]
    with translation.override("vi"):
        result = paper_import(session=scene.session, rows=rows, submit=True, by=scene.binh)
    messages = {(e.row, e.message) for e in result.errors}
    assert messages == {
        (_row(rows, an_code, "1.2"), "Tiêu chí 1.2 không có phương án số “9” (từ 1 đến 6)."),
        (_row(rows, binh_code, "2.1"),
         "“12” điểm không phải là mức điểm của tiêu chí 2.1 (0, 5, 10, 15, 20, 25)."),
        (105, f"Phiếu chấm {scorecard_code(locked)} (Hoàng Thị Bình – Dầu lạc nguyên chất "
                                         "An Nhiên) đã nộp và bị khóa."),
        (_row(rows, cuong_code, "1.1"), f"Phiếu chấm {cuong_code} (Lý Văn Cường – Miến dong Tài Hoan) chưa có điểm "
                                        "các tiêu chí: 3.2."),
        (100, "Mã phiếu chấm “SC-999999-ABCD” không hợp lệ hoặc không thuộc phiên họp này."),
        (101, f"Mã phiếu chấm “{bad_checksum}” không hợp lệ hoặc không thuộc phiên họp này."),
        (102, "Tiêu chí “9.9” không có trong phiếu đánh giá của sản phẩm Miến dong Tài Hoan."),
        (103, f"Tiêu chí 1.1 của phiếu {an_code} bị nhập hai lần (cả ở dòng {_row(rows, an_code, '1.1')})."),
        (104, f"Tiêu chí 3.1 của phiếu {binh_code} bị nhập hai lần (cả ở dòng {_row(rows, binh_code, '3.1')})."),
    }
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    assert CriterionScore.objects.filter(scorecard__evaluation__session=scene.session).exclude(
        scorecard=locked).count() == 0


def _row(rows, code, criterion):
    return next(r.row for r in rows if r.code == code and r.criterion_code == criterion)


def test_paper_import_option_and_points_that_disagree_are_refused(scene):
    code = scorecard_code(card(scene, scene.mien_dong, "an"))
    rows = [PaperRow(row=i + 2, code=code, criterion_code=c, option=n) for i, (c, n) in
            enumerate(options_for(MIEN_DONG["an"]).items())]
    rows[3].points = "10"  # 3.1 answer 3 is worth 15
    with translation.override("vi"):
        result = paper_import(session=scene.session, rows=rows, by=scene.binh)
    assert [(e.row, e.message) for e in result.errors] == [
        (5, "Phương án 3 của tiêu chí 3.1 được 15 điểm, không phải 10.")]


def test_paper_import_points_alone_find_the_answer(scene):
    code = scorecard_code(card(scene, scene.mien_dong, "an"))
    rows = [PaperRow(row=i + 2, code=code, criterion_code=c, points=str(p).replace(".", ","))
            for i, (c, p) in enumerate(zip(CODES, MIEN_DONG["an"], strict=True))]
    result = paper_import(session=scene.session, rows=rows, by=scene.binh)
    assert (result.ok, result.answers) == (True, 5)
    assert sorted(CriterionScore.objects.filter(scorecard__member=scene.members["an"]).values_list(
        "criterion__code", "points")) == [("1.1", 10), ("1.2", 30), ("2.1", 20), ("3.1", 15), ("3.2", 17)]


def test_paper_import_skips_a_scorecard_left_blank(scene):
    code = scorecard_code(card(scene, scene.mien_dong, "an"))
    answers = {code: options_for(MIEN_DONG["an"])}
    rows = paper_rows_read(io.BytesIO(filled_template(scene, answers)))
    result = paper_import(session=scene.session, rows=rows, by=scene.binh)
    assert (result.ok, result.scorecards, result.answers) == (True, 1, 5)


def test_paper_import_reads_a_template_with_the_english_headers_of_before(scene):
    code = scorecard_code(card(scene, scene.mien_dong, "an"))

    def old_headers(sheet):
        for cell, column in zip(sheet[1], COLUMNS, strict=True):
            cell.value = column.key  # scorecard_code, member, ... as the templates wrote them until now

    rows = paper_rows_read(io.BytesIO(filled_template(scene, {code: options_for(MIEN_DONG["an"])}, edit=old_headers)))
    result = paper_import(session=scene.session, rows=rows, dry_run=True, by=scene.binh)
    assert (result.ok, result.scorecards, result.answers) == (True, 1, 5)


def test_paper_import_names_the_row_left_blank_of_an_incomplete_scorecard(scene):
    code = scorecard_code(card(scene, scene.mien_dong, "an"))
    answers = options_for(MIEN_DONG["an"])
    del answers["2.1"]  # the secretary skipped one criterion: its row stays blank
    content = filled_template(scene, {code: answers})
    blank = next(row[0].row for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(min_row=2)
                 if row[0].value == code and row[3].value == "2.1")
    first = next(row[0].row for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(min_row=2)
                 if row[0].value == code)
    with translation.override("vi"):
        result = paper_import(session=scene.session, rows=paper_rows_read(io.BytesIO(content)), by=scene.binh)
    assert blank != first
    assert [(e.row, e.message) for e in result.errors] == [
        (blank, f"Phiếu chấm {code} (Nguyễn Văn An – Miến dong Tài Hoan) chưa có điểm các tiêu chí: 2.1.")]


def test_paper_import_of_an_empty_template_says_so(scene):
    rows = paper_rows_read(io.BytesIO(filled_template(scene, {})))
    with translation.override("vi"):
        result = paper_import(session=scene.session, rows=rows, by=scene.binh)
    assert [e.message for e in result.errors] == ["Tệp không có điểm nào để nhập."]


def test_paper_rows_read_refuses_a_workbook_without_the_columns(scene):
    workbook = Workbook()
    workbook.active.append(["Mã phiếu", "Tiêu chí", "Điểm"])
    out = io.BytesIO()
    workbook.save(out)
    with translation.override("vi"), pytest.raises(Exception) as error:
        paper_rows_read(io.BytesIO(out.getvalue()))
    assert error.value.messages == ["Dòng đầu tiên phải ghi tên các cột Mã phiếu chấm, Mã tiêu chí và Phương án "
                                    "chọn hoặc Điểm như trong tệp mẫu."]


# ---------------------------------------------------------------------------------------------
# Import: saving, through the page
# ---------------------------------------------------------------------------------------------


def test_paper_import_saves_all_and_submits_through_the_page(client, scene):
    client.force_login(scene.binh)
    response = client.post(import_url(scene), {"action": "import", "submit_complete": "on",
                                               "file": upload(filled_template(scene, all_answers(scene)))}, follow=True)
    page = response.content.decode()
    assert "Đã nhập 40 điểm tiêu chí trên 8 phiếu chấm (8 phiếu đã nộp)." in page
    assert Scorecard.objects.filter(evaluation__session=scene.session, status=ScorecardStatus.SUBMITTED).count() == 8
    assert CriterionScore.objects.filter(scorecard__evaluation__session=scene.session).count() == 40
    entry = AuditEntry.objects.get(object_id=scene.session.pk, action=AuditAction.IMPORT,
                                   content_type__model="session")
    assert (entry.actor, entry.message) == (
        scene.binh, "Đã nhập phiếu chấm giấy: 8 phiếu, 40 điểm tiêu chí, 8 phiếu đã nộp")


def test_paper_import_check_then_confirm(client, scene):
    client.force_login(scene.an)  # the chair may import too
    page = client.post(import_url(scene), {"action": "check",
                                           "file": upload(filled_template(scene, all_answers(scene)))}).content.decode()
    assert "phieu-cham.xlsx hợp lệ: 40 điểm tiêu chí trên 8 phiếu chấm." in page
    assert CriterionScore.objects.count() == 0
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(import_url(scene), {"action": "confirm", "token": token}, follow=True)
    assert "Đã nhập 40 điểm tiêu chí trên 8 phiếu chấm (0 phiếu đã nộp)." in response.content.decode()
    assert CriterionScore.objects.count() == 40
    assert Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).count() == 0
    again = client.post(import_url(scene), {"action": "confirm", "token": token}, follow=True)
    assert "Tệp đã kiểm tra không còn nữa: hãy chọn lại tệp." in again.content.decode()


def test_paper_import_page_lists_row_errors_and_saves_nothing(client, scene):
    answers = all_answers(scene)
    code = scorecard_code(card(scene, scene.gao_nep, "an"))
    answers[code]["3.2"] = 12  # 3.2 has seven answers

    client.force_login(scene.binh)
    page = client.post(import_url(scene), {"action": "import", "submit_complete": "on",
                                           "file": upload(filled_template(scene, answers))}).content.decode()
    assert "phieu-cham.xlsx: 1 lỗi; chưa lưu dữ liệu nào." in page
    assert "Tiêu chí 3.2 không có phương án số “12” (từ 1 đến 7)." in page
    assert CriterionScore.objects.count() == 0
    assert Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).count() == 0


def test_paper_import_refuses_a_file_that_is_not_a_workbook(client, scene):
    client.force_login(scene.binh)
    page = client.post(import_url(scene), {"action": "check", "file": upload(b"%PDF-1.4 not a workbook", "x.xlsx")})
    assert "Tệp “x.xlsx” không thuộc loại được chấp nhận. Chấp nhận: XLSX." in page.content.decode()


def test_paper_import_page_documents_the_columns(client, scene):
    client.force_login(scene.binh)
    page = client.get(import_url(scene)).content.decode()
    assert re.findall(r'data-testid="column">([^<]*)</dt>', page) == [
        "Mã phiếu chấm", "Thành viên hội đồng", "Sản phẩm", "Mã tiêu chí", "Tiêu chí", "Các phương án",
        "Phương án chọn", "Điểm"]
    assert "scorecard_code" not in page
    assert "Không sửa các cột Mã phiếu chấm và Mã tiêu chí; các cột khác chỉ để đọc." in page
    assert "Tệp mẫu Excel của phiên họp" in page


def test_paper_import_by_an_ordinary_member_is_forbidden(client, scene):
    client.force_login(scene.cuong)
    assert client.get(import_url(scene)).status_code == 403


def test_paper_import_by_a_subject_representative_is_forbidden(client, scene):
    client.force_login(make_user("kt.taihoan", "Triệu Thị", "Hoan", role=Role.SUBJECT_REP))
    assert client.get(import_url(scene)).status_code == 403
