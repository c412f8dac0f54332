"""Inspection pages as each role sees them: recording from the certificate's page and from a plan, the subject's
evidence, the officer's closing, the revocation form an inspection opens, the lists with their filters and query
counts, the home panels, the dashboard and the report."""
import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates.demo import THAINGUYEN_2026_PLAN
from certificates.enums import CorrectiveStatus, InspectionVerdict
from certificates.inspections import inspection_plan_save, inspection_record, inspection_schedule
from certificates.models import Certificate, Inspection, InspectionPlan
from ocop.models import AdministrativeUnit
from ocop.tests.utils import count_queries
from tests.security.conftest import jpeg_upload

TODAY = timezone.localdate()
ALL_CONFORM = {area: (True, "") for area in ("quality", "labelling", "traceability", "mark", "production")}


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def text(response) -> str:
    """The page's visible text on one line."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def rows(response) -> list[str]:
    html = response.content.decode()
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split())
            for row in re.findall(r'data-testid="inspection-row"[^>]*>(.*?)</tr>', html, re.S)]


@pytest.fixture
def login(users):
    """login("htx.thienan"): a test client of its own, logged in as that demo user (client_for shares one)."""

    def client(username):
        logged = Client()
        logged.force_login(users[username])
        return logged

    return client


@pytest.fixture
def herbs(demo_full):
    """HTX Thiên An's "Thảo dược ngâm chân Thiên An", 3★, issued nearly 36 months before the demo was loaded and
    ending within 30 days of it (represented by htx.thienan; Vi Hương, Bắc Kạn, now Bạch Thông, Thái Nguyên)."""
    return Certificate.objects.in_force(on=TODAY).select_related("subject__commune", "product").get(
        product__name="Thảo dược ngâm chân Thiên An")


def corrective(certificate, by, *, deadline, inspected_on=TODAY):
    return inspection_record(
        certificate=certificate, inspected_on=inspected_on, inspectors="Đoàn kiểm tra tỉnh", by=by,
        checks={**ALL_CONFORM, "labelling": (False, "Thiếu hạn sử dụng")}, verdict=InspectionVerdict.CORRECTIVE,
        findings="Nhãn thiếu hạn sử dụng", corrective_action="In lại nhãn", corrective_deadline=deadline)


RECORD_FORM = {
    "inspected_on": TODAY.strftime("%d/%m/%Y"), "inspectors": "Hoàng Văn Bình, Văn phòng Điều phối tỉnh",
    "quality_ok": "true", "quality_notes": "Phiếu thử nghiệm còn hạn", "labelling_ok": "false",
    "labelling_notes": "Thiếu hạn sử dụng trên bao bì", "traceability_ok": "", "traceability_notes": "",
    "mark_ok": "true", "mark_notes": "", "production_ok": "true", "production_notes": "",
    "findings": "Bao bì lô mới không ghi hạn sử dụng.", "verdict": "corrective",
    "corrective_action": "In lại bao bì ghi đủ hạn sử dụng", "corrective_deadline": day(30).strftime("%d/%m/%Y"),
    "proposed_ground": "",
}


# ---------------------------------------------------------------------------------------------
# Recording from the certificate's page; the evidence; the closing
# ---------------------------------------------------------------------------------------------


def test_the_certificate_page_offers_inspection_to_the_officers_of_its_area_only(herbs, client_for):
    url = herbs.get_absolute_url()
    page = client_for("tinh.thainguyen").get(url).content.decode()
    assert f'href="/certificates/{herbs.pk}/inspections/new/" data-testid="record-inspection"' in page
    assert "Chưa có cuộc kiểm tra nào đối với giấy chứng nhận này." in page
    # The representative reads the certificate but may not inspect it (403); Na Rì's officer does not see it (404).
    for username, refused_with in (("htx.thienan", 403), ("huyen.nari", 404)):
        client = client_for(username)
        assert 'data-testid="record-inspection"' not in client.get(url).content.decode()
        response = client.get(reverse("certificates:inspection-record", args=[herbs.pk]))
        assert response.status_code == refused_with
        assert "Ghi nhận kết quả kiểm tra" not in text(response) and 'name="verdict"' not in response.content.decode()


def test_the_officer_records_a_corrective_action_and_the_page_shows_it(herbs, client_for):
    client = client_for("tinh.thainguyen")
    form = client.get(reverse("certificates:inspection-record", args=[herbs.pk]))
    assert "Ghi nhận kết quả kiểm tra" in text(form) and "Không thuộc kế hoạch" in text(form)
    response = client.post(reverse("certificates:inspection-record", args=[herbs.pk]), RECORD_FORM, follow=True)
    inspection = Inspection.objects.get(certificate=herbs)
    assert response.redirect_chain == [(inspection.get_absolute_url(), 302)]
    page = text(response)
    assert f"Đã ghi nhận cuộc kiểm tra ngày {TODAY:%d/%m/%Y}: Yêu cầu khắc phục." in page
    assert "Kiểm tra sản phẩm Thảo dược ngâm chân Thiên An" in page
    assert "Nhãn mác Không đạt Thiếu hạn sử dụng trên bao bì" in page
    assert "Tem truy xuất nguồn gốc Chưa kiểm tra" in page
    assert f"Thời hạn: {day(30):%d/%m/%Y} · Chờ khắc phục" in page
    assert "Xác nhận hoàn thành khắc phục" in page and "Gửi minh chứng khắc phục" not in page
    assert (inspection.corrective_status, inspection.labelling_ok, inspection.traceability_ok) == ("open", False, None)


def test_a_commune_officer_recording_a_scheduled_result_keeps_the_province_plan(herbs, login, users):
    office = users["tinh.thainguyen"]
    plan = inspection_plan_save(unit=AdministrativeUnit.objects.get(code="19"), year=TODAY.year,
                                title="Kế hoạch kiểm tra thử", by=office)
    scheduled = inspection_schedule(certificate=herbs, planned_on=day(3), plan=plan, by=office)
    Inspection.objects.filter(pk=scheduled.pk).update(planned_on=TODAY)
    # The commune's officer is not offered the province's plan: his form posts none.
    response = login("xa.bachthong").post(reverse("certificates:inspection-result", args=[scheduled.pk]),
                                          {**RECORD_FORM, "plan": ""}, follow=True)
    assert f"Đã ghi nhận cuộc kiểm tra ngày {TODAY:%d/%m/%Y}: Yêu cầu khắc phục." in text(response)
    scheduled.refresh_from_db()
    assert (scheduled.verdict, scheduled.plan) == (InspectionVerdict.CORRECTIVE, plan)


def test_a_refused_record_shows_its_reasons_on_the_form(herbs, client_for):
    client = client_for("tinh.thainguyen")
    response = client.post(reverse("certificates:inspection-record", args=[herbs.pk]), {
        **RECORD_FORM, "inspected_on": day(1).strftime("%d/%m/%Y"), "corrective_deadline": ""})
    assert response.status_code == 200
    assert (f"Không thể ghi nhận cuộc kiểm tra chưa diễn ra ({day(1):%d/%m/%Y}); hãy lên lịch kiểm tra."
            in text(response))
    response = client.post(reverse("certificates:inspection-record", args=[herbs.pk]), {
        **RECORD_FORM, "corrective_deadline": ""})
    assert "Nhập thời hạn khắc phục." in text(response)
    assert not Inspection.objects.filter(certificate=herbs).exists()


def test_the_representative_sends_evidence_and_the_officer_closes(herbs, login, users):
    inspection = corrective(herbs, users["tinh.thainguyen"], deadline=day(10))
    rep = login("htx.thienan")
    page = text(rep.get(inspection.get_absolute_url()))
    assert "Gửi minh chứng khắc phục" in page and "Xác nhận hoàn thành khắc phục" not in page
    refused = rep.post(reverse("certificates:inspection-evidence", args=[inspection.pk]), {"note": "x"})
    assert refused.status_code == 200 and "Chọn ít nhất một tệp." in text(refused)
    response = rep.post(reverse("certificates:inspection-evidence", args=[inspection.pk]),
                        {"files": [jpeg_upload("nhan-moi.jpg")], "note": "Đã in lại nhãn"}, follow=True)
    page = text(response)
    assert "Đã gửi 1 tệp minh chứng; cán bộ sẽ xem xét." in page
    assert "Đã gửi minh chứng" in page and "nhan-moi.jpg" in page
    officer = login("tinh.thainguyen")
    assert rep.post(reverse("certificates:inspection-close", args=[inspection.pk])).status_code == 403
    response = officer.post(reverse("certificates:inspection-close", args=[inspection.pk]),
                            {"closed_on": "", "note": "Nhãn mới đạt yêu cầu"}, follow=True)
    page = text(response)
    assert "Đã xác nhận hoàn thành khắc phục." in page
    assert f"Hoàn thành khắc phục ngày {TODAY:%d/%m/%Y}" in page
    assert Inspection.objects.get(pk=inspection.pk).corrective_status == CorrectiveStatus.CLOSED
    evidence = inspection.files.get()
    download = officer.get(evidence.get_absolute_url())
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert login("huyen.nari").get(evidence.get_absolute_url()).status_code == 404


def test_closing_without_evidence_asks_how_it_was_verified(herbs, client_for, users):
    inspection = corrective(herbs, users["tinh.thainguyen"], deadline=day(10))
    response = client_for("tinh.thainguyen").post(reverse("certificates:inspection-close", args=[inspection.pk]),
                                                  {"closed_on": "", "note": ""})
    assert response.status_code == 200
    assert "Chủ thể chưa gửi minh chứng: ghi rõ việc khắc phục đã được xác minh thế nào." in text(response)


# ---------------------------------------------------------------------------------------------
# A proposed revocation leads to the revocation form, filled in, and the revocation carries it
# ---------------------------------------------------------------------------------------------


def test_a_proposed_revocation_opens_the_filled_revocation_form_and_is_its_basis(herbs, client_for):
    client = client_for("tinh.thainguyen")
    client.post(reverse("certificates:inspection-record", args=[herbs.pk]), {
        **RECORD_FORM, "production_ok": "false", "verdict": "revocation", "proposed_ground": "ceased",
        "findings": "Chủ thể ngừng sản xuất từ tháng 6.", "corrective_deadline": "", "corrective_action": ""})
    inspection = Inspection.objects.get(certificate=herbs)
    page = client.get(inspection.get_absolute_url()).content.decode()
    link = f"/certificates/{herbs.pk}/?inspection={inspection.pk}#revoke"
    assert f'href="{link}" data-testid="open-revocation"' in page
    form = client.get(link).content.decode()
    assert f"Căn cứ cuộc kiểm tra ngày {TODAY:%d/%m/%Y} đề xuất thu hồi" in form
    assert '<option value="ceased" selected>' in form
    assert "Chủ thể ngừng sản xuất từ tháng 6.</textarea>" in form
    assert f'type="hidden" name="inspection" value="{inspection.pk}"' in form
    response = client.post(reverse("certificates:revoke", args=[herbs.pk]), {
        "ground": "ceased", "reason": "Chủ thể ngừng sản xuất từ tháng 6.", "decision_number": "2001/QĐ-UBND",
        "revoked_on": "", "inspection": inspection.pk}, follow=True)
    revoked = Certificate.objects.get(pk=herbs.pk)
    assert (revoked.revoked_on, revoked.revoke_ground, revoked.revoke_inspection) == (TODAY, "ceased", inspection)
    assert f"Căn cứ cuộc kiểm tra ngày {TODAY:%d/%m/%Y}" in text(response)
    assert ("Giấy chứng nhận đã bị thu hồi ngày " + TODAY.strftime("%d/%m/%Y") + " theo quyết định 2001/QĐ-UBND, "
            "căn cứ cuộc kiểm tra này.") in text(client.get(inspection.get_absolute_url()))


def test_the_ministry_reads_a_central_certificate_inspection_proposing_revocation_and_opens_the_form(
        herbs, login, users):
    Certificate.objects.filter(pk=herbs.pk).update(level="central")  # a 5★ issued by the ministry
    herbs.refresh_from_db()
    inspection = inspection_record(
        certificate=herbs, inspected_on=TODAY, inspectors="Đoàn kiểm tra tỉnh", by=users["tinh.thainguyen"],
        checks={"production": (False, "Xưởng đóng cửa")}, verdict=InspectionVerdict.REVOCATION,
        findings="Chủ thể ngừng sản xuất từ tháng 6.", proposed_ground="ceased")
    ministry = login("bo.nnmt")
    page = ministry.get(inspection.get_absolute_url())
    link = f"/certificates/{herbs.pk}/?inspection={inspection.pk}#revoke"
    assert f'href="{link}" data-testid="open-revocation"' in page.content.decode()
    assert "Kiểm tra sản phẩm Thảo dược ngâm chân Thiên An" in text(page)
    form = ministry.get(link).content.decode()
    assert f"Căn cứ cuộc kiểm tra ngày {TODAY:%d/%m/%Y} đề xuất thu hồi" in form
    assert [row.split()[0] for row in rows(ministry.get(reverse("certificates:inspection-list")))] == [
        TODAY.strftime("%d/%m/%Y")]
    # It reads, it does not record.
    refused = ministry.get(reverse("certificates:inspection-record", args=[herbs.pk]))
    assert refused.status_code == 403 and 'name="verdict"' not in refused.content.decode()


def test_the_ministry_reads_no_inspection_of_a_provincial_certificate(herbs, login, users):
    inspection = inspection_record(
        certificate=herbs, inspected_on=TODAY, inspectors="Đoàn kiểm tra tỉnh", by=users["tinh.thainguyen"],
        checks={"production": (False, "")}, verdict=InspectionVerdict.REVOCATION, findings="x",
        proposed_ground="ceased")
    ministry = login("bo.nnmt")
    assert ministry.get(inspection.get_absolute_url()).status_code == 404
    assert rows(ministry.get(reverse("certificates:inspection-list"))) == []


def test_the_revocation_form_takes_no_inspection_of_another_certificate(herbs, client_for, users):
    tea = Certificate.objects.get(number="087/2024/GCN-06")
    other = inspection_record(certificate=tea, inspected_on=TODAY, inspectors="Đoàn", by=users["tinh.thainguyen"],
                              checks={"quality": (False, "")}, verdict=InspectionVerdict.REVOCATION, findings="x",
                              proposed_ground="quality")
    page = client_for("tinh.thainguyen").get(f"/certificates/{herbs.pk}/?inspection={other.pk}").content.decode()
    assert 'data-testid="revoke-basis"' not in page
    client_for("tinh.thainguyen").post(reverse("certificates:revoke", args=[herbs.pk]), {
        "ground": "quality", "reason": "x", "decision_number": "1/QĐ", "inspection": other.pk})
    assert Certificate.objects.get(pk=herbs.pk).revoked_on is None


# ---------------------------------------------------------------------------------------------
# Lists, plans, their filters and query counts
# ---------------------------------------------------------------------------------------------


def test_the_demo_plan_of_thai_nguyen_and_its_inspections(demo_full, client_for):
    client = client_for("tinh.thainguyen")
    plans = text(client.get(reverse("certificates:inspection-plan-list")))
    assert f"2026 {THAINGUYEN_2026_PLAN} Tỉnh Thái Nguyên 2 0 1 1 0 1" in plans
    listed = rows(client.get(reverse("certificates:inspection-list")))
    assert listed == [
        "20/11/2026 Gạo nếp Khẩu Nua Lương Hợp tác xã Dền Vang Xã Lục Bình 041/2026/GCN-19 "
        f"{THAINGUYEN_2026_PLAN} (2026) Yêu cầu khắc phục " + (
            "Quá hạn từ ngày 20/12/2026" if TODAY > datetime.date(2026, 12, 20) else "Chờ khắc phục · hạn 20/12/2026"),
        "12/11/2026 Chè Bản Dao Tổ hợp tác chè Bản Dao Xã Sĩ Bình 087/2024/GCN-06 "
        f"{THAINGUYEN_2026_PLAN} (2026) Đạt yêu cầu"]
    assert len(rows(client.get(reverse("certificates:inspection-list") + "?verdict=compliant"))) == 1
    assert len(rows(client.get(reverse("certificates:inspection-list") + "?status=open"))) == 1
    assert len(rows(client.get(reverse("certificates:inspection-list") + "?q=gao nep"))) == 1
    empty = client.get(reverse("certificates:inspection-list") + "?verdict=revocation")
    assert "Không có cuộc kiểm tra nào phù hợp với bộ lọc." in text(empty)
    # Bạch Thông commune's officer sees the tea of Sĩ Bình (which his commune took over), not Lục Bình's rice; the
    # province's plan is named on its page, not linked (his area is his commune).
    commune = client_for("xa.bachthong")
    assert [row.split(" ")[0] for row in rows(commune.get(reverse("certificates:inspection-list")))] == ["12/11/2026"]
    tea = Inspection.objects.get(inspected_on=datetime.date(2026, 11, 12))
    page = commune.get(tea.get_absolute_url()).content.decode()
    assert THAINGUYEN_2026_PLAN in page and tea.plan.get_absolute_url() not in page
    assert commune.get(tea.plan.get_absolute_url()).status_code == 404


def test_those_outside_see_no_inspection(demo_full, client_for):
    assert "Chưa có cuộc kiểm tra nào trong địa bàn" in text(client_for("huyen.dabac").get(
        reverse("certificates:inspection-list")))
    assert "Chưa có cuộc kiểm tra nào đối với sản phẩm của chủ thể." in text(client_for("htx.thienan").get(
        reverse("certificates:inspection-list")))
    # The ministry's office reads the central level's inspections only (none in the demo); the councils none.
    assert "Chưa có cuộc kiểm tra nào" in text(client_for("bo.nnmt").get(reverse("certificates:inspection-list")))
    assert client_for("hoidong.1").get(reverse("certificates:inspection-list")).status_code == 403
    assert client_for("htx.thienan").get(reverse("certificates:inspection-plan-list")).status_code == 403


def test_the_list_query_count_does_not_grow_with_rows(herbs, client_for, users):
    client = client_for("tinh.thainguyen")
    url = reverse("certificates:inspection-list")
    one = count_queries(lambda: client.get(url + "?verdict=compliant"))
    for offset in range(1, 6):
        corrective(herbs, users["tinh.thainguyen"], inspected_on=day(-offset), deadline=day(offset))
    assert len(rows(client.get(url))) == 7
    many = count_queries(lambda: client.get(url))
    assert one == many


def test_the_plan_list_and_page_query_counts_do_not_grow_with_rows(herbs, client_for, users):
    client = client_for("tinh.thainguyen")
    plan = InspectionPlan.objects.get(title=THAINGUYEN_2026_PLAN)
    client.get(plan.get_absolute_url())  # the content types of the history, cached once per process
    one_plan = count_queries(lambda: client.get(reverse("certificates:inspection-plan-list")))
    plan_page = count_queries(lambda: client.get(plan.get_absolute_url()))
    thainguyen = AdministrativeUnit.objects.get(code="19")
    for title in ("Kế hoạch A", "Kế hoạch B", "Kế hoạch C"):
        inspection_plan_save(unit=thainguyen, year=2026, title=title, by=None)
    for offset in range(1, 4):
        corrective(herbs, users["tinh.thainguyen"], inspected_on=datetime.date(2026, 11, offset),
                   deadline=day(offset))
    Inspection.objects.filter(certificate=herbs).update(plan=plan)
    assert count_queries(lambda: client.get(reverse("certificates:inspection-plan-list"))) == one_plan
    assert len(rows(client.get(plan.get_absolute_url()))) == 5
    assert count_queries(lambda: client.get(plan.get_absolute_url())) == plan_page


def test_an_officer_creates_a_plan_and_records_from_it(herbs, client_for):
    client = client_for("tinh.thainguyen")
    response = client.post(reverse("certificates:inspection-plan-create"), {
        "unit": AdministrativeUnit.objects.get(code="19").pk, "year": TODAY.year,
        "title": "Kế hoạch 12/KH-VPĐP kiểm tra sau công nhận", "notes": ""}, follow=True)
    plan = InspectionPlan.objects.get(title="Kế hoạch 12/KH-VPĐP kiểm tra sau công nhận")
    assert "Đã lưu kế hoạch kiểm tra." in text(response)
    assert "Kế hoạch chưa có cuộc kiểm tra nào: lên lịch hoặc ghi nhận" in text(response)
    form = client.get(reverse("certificates:plan-inspection-record", args=[plan.pk])).content.decode()
    assert (f'<option value="{herbs.pk}">Thảo dược ngâm chân Thiên An – Hợp tác xã Thiên An ({herbs.number})</option>'
            in form)
    client.post(reverse("certificates:plan-inspection-record", args=[plan.pk]), {
        **RECORD_FORM, "certificate": herbs.pk, "labelling_ok": "true", "verdict": "compliant", "findings": ""})
    assert Inspection.objects.get(certificate=herbs).plan == plan


def test_scheduling_from_the_certificate_page_shows_the_schedule(herbs, login):
    client = login("tinh.thainguyen")
    response = client.post(reverse("certificates:inspection-schedule", args=[herbs.pk]), {
        "planned_on": day(5).strftime("%d/%m/%Y"), "inspectors": "Đoàn tỉnh", "plan": ""}, follow=True)
    page = text(response)
    assert f"Đã lên lịch kiểm tra ngày {day(5):%d/%m/%Y}; người đại diện của chủ thể đã được thông báo." in page
    assert f"Lịch kiểm tra ngày {day(5):%d/%m/%Y}" in page and "Ghi nhận kết quả" in page
    inspection = Inspection.objects.get(certificate=herbs)
    assert "Ghi nhận kết quả" not in text(login("htx.thienan").get(inspection.get_absolute_url()))
    refused = client.post(reverse("certificates:inspection-schedule", args=[herbs.pk]), {
        "planned_on": TODAY.strftime("%d/%m/%Y"), "inspectors": ""})
    assert "Chỉ lên lịch kiểm tra cho ngày sau hôm nay" in text(refused)


# ---------------------------------------------------------------------------------------------
# Home panels, dashboard, report
# ---------------------------------------------------------------------------------------------


def test_an_overdue_action_shows_on_the_officer_home_page_and_the_open_one_on_the_subject(herbs, client_for, users):
    corrective(herbs, users["tinh.thainguyen"], inspected_on=day(-20), deadline=day(-3))
    home = client_for("tinh.thainguyen").get("/").content.decode()
    panel = text_of(home, "panel-inspections")
    assert "1 yêu cầu khắc phục quá hạn" in panel
    assert f"Thảo dược ngâm chân Thiên An Hợp tác xã Thiên An hạn {day(-3):%d/%m/%Y}" in panel
    rep = text_of(client_for("htx.thienan").get("/").content.decode(), "panel-inspections")
    assert "1 yêu cầu khắc phục đang chờ minh chứng của chủ thể" in rep
    assert 'data-testid="panel-inspections"' not in client_for("huyen.dabac").get("/").content.decode()


def text_of(html: str, testid: str) -> str:
    part = html.split(f'data-testid="{testid}"')[1].split("</section>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", "<x " + part).split())


def test_the_dashboard_and_the_report_count_the_inspections_by_verdict(demo_full, client_for):
    page = client_for("tinh.thainguyen").get("/dashboard/?unit=19&year=2026").content.decode()
    panel = text_of(page, "inspections")
    assert ("Kiểm tra, giám sát sau công nhận năm 2026 Đạt yêu cầu 1 Yêu cầu khắc phục 1 Đề xuất thu hồi 0 Tổng 2"
            in panel)
    assert '/certificates/inspections/?unit=19&amp;year=2026&amp;verdict=corrective">1</a>' in page
    drilled = client_for("tinh.thainguyen").get("/certificates/inspections/?unit=19&year=2026&verdict=corrective")
    assert [row.split(" ")[0] for row in rows(drilled)] == ["20/11/2026"]


def test_ocop_report_counts_the_inspections_by_verdict(demo_full, capsys):
    call_command("ocop_report", "--unit", "19", "--year", "2026", "--date", max(TODAY, datetime.date(2026, 12, 6))
                 .isoformat())
    report = json.loads(capsys.readouterr().out)
    assert report["inspections"] == {"total": 2, "by_verdict": {"compliant": 1, "corrective": 1, "revocation": 0}}
    call_command("ocop_report", "--unit", "19", "--year", "2026", "--date", "2026-11-15")
    assert json.loads(capsys.readouterr().out)["inspections"]["total"] == 1  # the rice was inspected on 20/11
