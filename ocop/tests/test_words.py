"""The words of the shared pages (issue 18): the history in people's words, the link to a step's dates, a past
cycle shown as ended rather than current."""
import re

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from ocop.models import AuditEntry, Cycle
from ocop.selectors import audit_changes


def page_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def entry_of(model_label: str, changes: dict) -> AuditEntry:
    app_label, model = model_label.split(".")
    return AuditEntry(content_type=ContentType.objects.get_by_natural_key(app_label, model), object_id=1,
                      action="update", object_repr="", changes=changes)


def shown(entry: AuditEntry) -> list[tuple[str, str, str]]:
    with translation.override("vi"):
        return [(change.label, change.old, change.new) for change in audit_changes(entry)]


def test_history_shows_labels_dates_choices_yes_no_lists_and_numbers(db):
    dossier = entry_of("products.dossier", {
        "samples_received_on": [None, "2024-09-01"], "status": ["checked", "sent"],
        "documents": [None, ["phieu-dang-ky.pdf", "thuyet-minh.pdf"]], "A1.1": [None, "Trên 75% · Đã kiểm tra"]})
    assert shown(dossier) == [
        ("Ngày nhận mẫu", "—", "01/09/2024"), ("Trạng thái", "Đã được xã kiểm tra", "Đã gửi lên tỉnh"),
        ("Tài liệu minh chứng", "—", "phieu-dang-ky.pdf, thuyet-minh.pdf"),
        ("A1.1", "—", "Trên 75% · Đã kiểm tra")]  # a criterion's code: as recorded
    product = entry_of("products.product", {"has_traceability": [False, True], "product_set": ["7. Chế biến từ rau, "
                                            "củ, quả, hạt", "12. Sản phẩm trà từ thực vật khác"]})
    assert shown(product) == [("Truy xuất nguồn gốc", "Không", "Có"),
                              ("Bộ sản phẩm", "7. Chế biến từ rau, củ, quả, hạt", "12. Sản phẩm trà từ thực vật khác")]
    # A cycle's step dates are recorded on the cycle: named by the step plan's labels.
    cycle = entry_of("ocop.cycle", {"planned_start": ["2024-03-01", "2024-03-15"], "current_step": [2, 3]})
    assert shown(cycle) == [("Ngày bắt đầu dự kiến", "01/03/2024", "15/03/2024"),
                            ("Bước hiện tại", "Nhận đăng ký ý tưởng sản phẩm",
                             "Nhận phương án, dự án sản xuất kinh doanh")]
    rule = entry_of("evaluation.starband", {"min_score": ["70.00", "72.50"]})
    assert shown(rule) == [("Từ điểm", "70", "72,5")]


def test_history_entries_on_a_page_use_the_labels(client_for):
    cycle = Cycle.objects.get(province__code="06", year=2024)
    client = client_for("tinh.backan")
    client.post(f"/cycles/{cycle.pk}/steps/2/", {"planned_start": "05/03/2024", "planned_end": "30/04/2024",
                                                 "note": ""})
    changes = [page_text(li) for li in re.findall(r'<li data-testid="audit-change">(.*?)</li>',
                                                  client.get(cycle.get_absolute_url()).content.decode())]
    assert changes == ["Ngày bắt đầu dự kiến: 01/03/2024 → 05/03/2024"]


def test_the_link_to_a_steps_dates_says_what_it_edits(client_for):
    cycle = Cycle.objects.get(province__code="19", year=2026)
    page = client_for("tinh.thainguyen").get(cycle.get_absolute_url()).content.decode()
    link = re.search(r'<a href="/cycles/\d+/steps/2/" data-testid="step-dates-edit-2" aria-label="([^"]*)">(.*?)</a>',
                     page)
    assert link.group(1) == "Sửa thời gian thực hiện bước 2"
    assert page_text(link.group(2)) == "Sửa thời gian"


def test_a_cycle_whose_year_has_passed_is_shown_ended_not_current(client_for):
    client = client_for("tinh.backan")
    home = client.get("/").content.decode()
    assert "Chu trình này đã kết thúc ngày 31/12/2024: các hồ sơ của chu trình được lưu làm tư liệu." in home
    assert "Bước 6/6" not in home
    listed = page_text(client.get("/cycles/").content.decode())
    assert ("Kế hoạch thực hiện Chương trình OCOP tỉnh Bắc Kạn năm 2024 2024 Bắc Kạn Đã kết thúc ngày 31/12/2024"
            in listed)
    cycle = Cycle.objects.get(province__code="06", year=2024)
    detail = client.get(cycle.get_absolute_url()).content.decode()
    assert 'data-testid="cycle-ended"' in detail and "bước hiện tại" not in detail.lower()
    # The cycle of the year is still running: its current step is shown.
    current = page_text(client_for("tinh.thainguyen").get("/cycles/").content.decode())
    assert "Kế hoạch thực hiện Chương trình OCOP tỉnh Thái Nguyên năm 2026 2026 Thái Nguyên 2. Nhận đăng ký" in current
