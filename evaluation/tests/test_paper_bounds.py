"""The paper-score import against hostile workbooks (issue 14), and its scope: only the session's own scorecards.

Each file a test writes by hand is answered on the import page in under a second, with what is wrong in
Vietnamese, and nothing is saved."""
import datetime

from ocop.tests import office_files as crafted

from ..models import CriterionScore, Scorecard
from ..services.councils import session_assign, session_create
from ..services.paper import COLUMNS, scorecard_code
from .test_paper import all_answers, filled_template, import_url, scene, upload  # noqa: F401 (fixture)

NAME = "phieu-cham.xlsx"
HEADER = [str(column.header) for column in COLUMNS]


def post(client, scene, content: bytes, action="check"):
    return crafted.post_timed(client, import_url(scene), {"action": action, "file": upload(content, NAME)})


def test_paper_template_declaring_the_whole_grid_imports_in_under_a_second(client, scene):
    """Crafted templates kept the import busy for 53-57 s: the declared dimension is not trusted any more."""
    content = crafted.redeclared(filled_template(scene, all_answers(scene)))
    client.force_login(scene.binh)
    response, page, elapsed = post(client, scene, content, action="import")
    assert elapsed < 1
    assert response.status_code == 302
    assert CriterionScore.objects.filter(scorecard__evaluation__session=scene.session).count() == 40


def test_paper_zip_bomb_is_refused_before_it_is_unpacked(client, scene):
    client.force_login(scene.binh)
    response, page, elapsed = post(client, scene, crafted.xlsx_bomb(HEADER, expanded_bytes=101 * crafted.MIB))
    assert elapsed < 1
    assert response.status_code == 200
    assert f"Tệp “{NAME}” bị từ chối. Khi giải nén, tệp chiếm 101," in page
    assert "; chỉ chấp nhận tối đa 100,0\xa0MB." in page
    assert CriterionScore.objects.count() == 0


def test_paper_file_with_too_many_lines_is_refused(client, scene):
    client.force_login(scene.binh)
    response, page, elapsed = post(client, scene, crafted.xlsx(crafted.many_rows_sheet(HEADER, 30_000)))
    assert elapsed < 1
    assert response.status_code == 200
    assert ("Một trang tính có dữ liệu sau dòng 30.000: mỗi lần chỉ đọc tối đa 30.000 dòng; hãy chia nhỏ tệp."
            in page)
    assert CriterionScore.objects.count() == 0


def test_paper_file_with_an_overlong_cell_is_refused_with_its_line_and_column(client, scene):
    def lengthen(sheet):
        sheet["A3"] = "SC-" + "9" * 2_997

    content = filled_template(scene, all_answers(scene), edit=lengthen)
    client.force_login(scene.binh)
    response, page, elapsed = post(client, scene, content, action="import")
    assert elapsed < 1
    assert response.status_code == 200
    assert "Dòng 3, cột A: ô có 3.000 ký tự; chỉ chấp nhận tối đa 2.000 ký tự." in page
    assert CriterionScore.objects.count() == 0


def test_paper_file_with_garbage_xml_inside_is_refused_as_damaged(client, scene):
    content = crafted.with_part(filled_template(scene, all_answers(scene)), "xl/worksheets/sheet1.xml",
                                crafted.GARBAGE_XML)
    client.force_login(scene.binh)
    response, page, elapsed = post(client, scene, content, action="import")
    assert elapsed < 1
    assert response.status_code == 200
    assert (f"Tệp “{NAME}” bị từ chối. Tệp bị hỏng: phần xl/worksheets/sheet1.xml không phải là XML hợp lệ "
            "(dòng 1)." in page)
    assert CriterionScore.objects.count() == 0


def test_paper_import_refuses_a_scorecard_of_another_session_with_its_line(client, scene):
    """Scope: a code is looked up among this session's scorecards only. A genuine code of the council's next
    session is refused on its line like a mistyped one (saying which session it belongs to would tell an
    outsider that it exists), and that scorecard stays untouched."""
    later = session_create(council=scene.session.council, held_on=datetime.date(2024, 11, 20), by=None)
    session_assign(session=later, product=scene.mien_dong.product, by=None)
    other = Scorecard.objects.get(evaluation__session=later, member=scene.members["an"])
    other_code = scorecard_code(other)

    def add_foreign_row(sheet):
        sheet.append([other_code, "", "", "1.1", "", "", 3, None])

    content = filled_template(scene, all_answers(scene), edit=add_foreign_row)
    client.force_login(scene.binh)
    response, page, elapsed = post(client, scene, content, action="import")
    assert response.status_code == 200
    line = 2 + 8 * 5  # the header, then 8 scorecards of 5 criteria
    assert f"<td>{line}</td><td>Mã phiếu chấm “{other_code}” không hợp lệ hoặc không thuộc phiên họp này.</td>" in page
    assert CriterionScore.objects.count() == 0
