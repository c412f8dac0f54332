"""Inspections after recognition: plans, scheduling, recording with its dates and verdicts at their edges, the
subject's evidence, the officer's closing, and the revocation that rests on an inspection."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.enums import CorrectiveStatus, InspectionFileKind, InspectionVerdict
from certificates.inspections import (
    corrective_close,
    corrective_evidence_add,
    inspection_plan_save,
    inspection_record,
    inspection_schedule,
)
from certificates.models import Certificate, Inspection, InspectionPlan
from certificates.services import certificate_revoke
from ocop.models import AdministrativeUnit, AuditEntry
from tests.security.conftest import jpeg_upload, pdf_upload

TODAY = timezone.localdate()
ALL_CONFORM = {area: (True, "") for area in ("quality", "labelling", "traceability", "mark", "production")}


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def message(exc_info, field: str) -> str:
    return " ".join(exc_info.value.message_dict[field])


@pytest.fixture
def herbs(demo_full):
    """HTX Thiên An's "Thảo dược ngâm chân Thiên An", 3★, issued nearly 36 months before the demo was loaded and
    ending within 30 days of it (represented by htx.thienan; Vi Hương, Bắc Kạn, now Bạch Thông, Thái Nguyên)."""
    return Certificate.objects.in_force(on=TODAY).select_related("subject__commune", "product").get(
        product__name="Thảo dược ngâm chân Thiên An")


@pytest.fixture
def office(users):
    return users["tinh.thainguyen"]


@pytest.fixture
def plan(demo_full, office):
    return inspection_plan_save(unit=AdministrativeUnit.objects.get(code="19"), year=TODAY.year,
                                title="Kế hoạch kiểm tra thử", by=office)


def record(certificate, by, **overrides):
    values = {"inspected_on": TODAY, "inspectors": "Đoàn kiểm tra tỉnh", "checks": ALL_CONFORM,
              "verdict": InspectionVerdict.COMPLIANT, "findings": ""}
    return inspection_record(certificate=certificate, by=by, **{**values, **overrides})


def corrective(certificate, by, deadline_days=14, **overrides):
    values = {"verdict": InspectionVerdict.CORRECTIVE, "findings": "Nhãn thiếu hạn sử dụng",
              "checks": {**ALL_CONFORM, "labelling": (False, "Thiếu hạn sử dụng")}, "corrective_action": "In lại nhãn",
              "corrective_deadline": day(deadline_days)}
    return record(certificate, by, **{**values, **overrides})


# ---------------------------------------------------------------------------------------------
# Dates of a record: not in the future, not before the issue, only while the certificate is in force
# ---------------------------------------------------------------------------------------------


def test_an_inspection_on_the_day_of_issue_is_recorded_the_day_before_is_refused(herbs, office):
    inspection = record(herbs, office, inspected_on=herbs.issued_on)
    assert (inspection.inspected_on, inspection.verdict, inspection.recorded_by) == (
        herbs.issued_on, "compliant", office)
    before = herbs.issued_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, inspected_on=before)
    assert message(refused, "inspected_on") == (
        f"Giấy chứng nhận {herbs.number} được cấp ngày {herbs.issued_on:%d/%m/%Y}: không thể kiểm tra trước ngày cấp.")


def test_an_inspection_today_is_recorded_tomorrow_is_refused(herbs, office):
    assert record(herbs, office).inspected_on == TODAY
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, inspected_on=day(1))
    assert message(refused, "inspected_on") == (f"Không thể ghi nhận cuộc kiểm tra chưa diễn ra ({day(1):%d/%m/%Y}); "
                                                "hãy lên lịch kiểm tra.")


def test_a_revoked_certificate_is_inspected_until_the_day_before_its_revocation(demo_full, office):
    revoked = Certificate.objects.get(number="013/2025/GCN-06")  # Mộc vượng xuân, revoked on 12/09/2026
    assert record(revoked, office, inspected_on=datetime.date(2026, 9, 11)).pk
    with pytest.raises(ValidationError) as refused:
        record(revoked, office, inspected_on=datetime.date(2026, 9, 12))
    assert message(refused, "inspected_on") == ("Giấy chứng nhận 013/2025/GCN-06 đã bị thu hồi ngày 12/09/2026: ngày "
                                                "12/09/2026 sản phẩm không còn được công nhận để kiểm tra.")


def test_a_replaced_certificate_sends_the_inspection_to_the_new_one(demo_full, office):
    old = Certificate.objects.get(number="001/2023/GCN-063")  # Gạo nếp, replaced by 041/2026/GCN-19 on 02/10/2026
    assert record(old, office, inspected_on=datetime.date(2026, 10, 1)).pk
    with pytest.raises(ValidationError) as refused:
        record(old, office, inspected_on=datetime.date(2026, 10, 2))
    assert "đã được thay thế ngày 02/10/2026" in message(refused, "inspected_on")


# ---------------------------------------------------------------------------------------------
# What was checked and the verdict
# ---------------------------------------------------------------------------------------------


def test_nothing_checked_and_a_compliant_verdict_over_a_failing_area_are_refused(herbs, office):
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, checks={}, inspectors="")
    assert refused.value.message_dict == {
        "inspectors": ["Nhập thành phần đoàn kiểm tra."],
        "__all__": ["Cho biết nội dung đã kiểm tra: ít nhất một nội dung đạt hoặc không đạt."]}
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, checks={**ALL_CONFORM, "mark": (False, "Dùng nhãn 4 sao")})
    assert message(refused, "verdict") == "Không thể kết luận đạt yêu cầu: Sử dụng biểu trưng OCOP không đạt."
    assert not Inspection.objects.filter(certificate=herbs).exists()


def test_a_corrective_action_is_due_the_day_after_the_inspection_at_the_earliest(herbs, office):
    with pytest.raises(ValidationError) as refused:
        corrective(herbs, office, deadline_days=0)
    assert message(refused, "corrective_deadline") == (
        f"Thời hạn khắc phục phải sau ngày kiểm tra ({TODAY:%d/%m/%Y}).")
    with pytest.raises(ValidationError) as refused:
        corrective(herbs, office, corrective_action="", findings="")
    assert set(refused.value.message_dict) == {"corrective_action", "findings"}
    inspection = corrective(herbs, office, deadline_days=1)
    assert (inspection.corrective_status, inspection.corrective_deadline) == (CorrectiveStatus.OPEN, day(1))


def test_a_proposed_revocation_names_its_ground(herbs, office):
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, verdict=InspectionVerdict.REVOCATION, findings="Ngừng sản xuất")
    assert message(refused, "proposed_ground") == "Chọn căn cứ đề xuất thu hồi."
    inspection = record(herbs, office, verdict=InspectionVerdict.REVOCATION, findings="Ngừng sản xuất",
                        proposed_ground="ceased", checks={"production": (False, "Xưởng đóng cửa")})
    assert (inspection.proposed_ground, inspection.corrective_status) == ("ceased", "")


def test_findings_files_are_checked_by_their_content_and_stored_with_the_record(herbs, office):
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a document", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        corrective(herbs, office, files=[fake])
    assert "bien-ban.pdf" in message(refused, "files")
    assert not Inspection.objects.filter(certificate=herbs).exists()
    inspection = corrective(herbs, office, files=[pdf_upload("bien-ban.pdf"), jpeg_upload("nhan.jpg")])
    assert list(inspection.files.values_list("kind", "original_name", "file_type")) == [
        (InspectionFileKind.FINDING, "bien-ban.pdf", "pdf"), (InspectionFileKind.FINDING, "nhan.jpg", "jpeg")]
    entry = AuditEntry.objects.filter(object_id=inspection.pk, content_type__model="inspection").get()
    assert entry.message == (f"Kiểm tra ngày {TODAY:%d/%m/%Y}: Yêu cầu khắc phục (thời hạn {day(14):%d/%m/%Y}); "
                             "2 tệp minh chứng kết quả kiểm tra")


def test_the_database_refuses_a_compliant_verdict_over_a_failing_area(herbs, office):
    inspection = record(herbs, office)
    inspection.mark_ok = False
    with pytest.raises(IntegrityError), transaction.atomic():
        inspection.save()


def test_the_database_refuses_a_corrective_action_without_a_deadline_after_the_day(herbs, office):
    inspection = corrective(herbs, office)
    inspection.corrective_deadline = inspection.inspected_on
    with pytest.raises(IntegrityError), transaction.atomic():
        inspection.save()


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def test_a_plan_takes_inspections_of_its_year_and_of_its_unit_products(herbs, office, plan):
    assert record(herbs, office, plan=plan).plan == plan
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, plan=plan, inspected_on=datetime.date(TODAY.year - 1, 12, 31))
    assert message(refused, "inspected_on") == (
        f"Kế hoạch này của năm {TODAY.year}: cuộc kiểm tra ngày 31/12/{TODAY.year - 1} thuộc kế hoạch của năm đó.")
    hoa_binh = inspection_plan_save(unit=AdministrativeUnit.objects.get(code="17"), year=2025, title="Hòa Bình",
                                    by=None)
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, plan=hoa_binh, inspected_on=datetime.date(2025, 6, 1))
    assert message(refused, "plan") == ("Hợp tác xã Thiên An không thuộc Tỉnh Hòa Bình: kế hoạch không bao gồm "
                                        "sản phẩm của chủ thể này.")


def test_a_plan_needs_a_unit_of_its_year_and_a_title_of_its_own(demo_full, office, plan):
    backan = AdministrativeUnit.objects.get(code="06")
    with pytest.raises(ValidationError) as refused:
        inspection_plan_save(unit=backan, year=2026, title="Kế hoạch Bắc Kạn", by=office)
    assert message(refused, "unit") == ("Tỉnh Bắc Kạn đã sáp nhập vào Tỉnh Thái Nguyên từ 01/07/2025; hãy chọn Tỉnh "
                                        "Thái Nguyên.")
    assert inspection_plan_save(unit=backan, year=2025, title="Kế hoạch Bắc Kạn", by=office).year == 2025
    with pytest.raises(ValidationError) as refused:
        inspection_plan_save(unit=plan.unit, year=plan.year, title=plan.title, by=office)
    assert "Đơn vị đã có kế hoạch cùng tên trong năm." in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        inspection_plan_save(unit=plan.unit, year=TODAY.year + 2, title="Quá xa", by=office)
    assert message(refused, "year") == f"Chọn năm kế hoạch từ 2018 đến {TODAY.year + 1}."


def test_a_plan_holding_inspections_keeps_its_unit_and_year(herbs, office, plan):
    record(herbs, office, plan=plan)
    renamed = inspection_plan_save(plan=plan, unit=plan.unit, year=plan.year, title="Kế hoạch 45/KH-UBND", by=office)
    assert renamed.title == "Kế hoạch 45/KH-UBND"
    with pytest.raises(ValidationError) as refused:
        inspection_plan_save(plan=plan, unit=plan.unit, year=plan.year + 1, title=plan.title, by=office)
    assert refused.value.messages == ["Kế hoạch đã có cuộc kiểm tra: không thể thay đổi đơn vị và năm."]
    assert InspectionPlan.objects.get(pk=plan.pk).year == TODAY.year


# ---------------------------------------------------------------------------------------------
# Scheduling, and the result of a scheduled inspection
# ---------------------------------------------------------------------------------------------


def test_an_inspection_is_scheduled_for_a_later_day_only(herbs, office):
    with pytest.raises(ValidationError) as refused:
        inspection_schedule(certificate=herbs, planned_on=TODAY, by=office)
    assert message(refused, "planned_on") == ("Chỉ lên lịch kiểm tra cho ngày sau hôm nay; cuộc kiểm tra diễn ra hôm "
                                              "nay thì ghi nhận kết quả.")
    with pytest.raises(ValidationError) as refused:
        inspection_schedule(certificate=herbs, planned_on=herbs.valid_until + datetime.timedelta(days=1), by=office)
    assert message(refused, "planned_on") == (f"Giấy chứng nhận {herbs.number} hết hiệu lực ngày "
                                              f"{herbs.valid_until:%d/%m/%Y}, trước ngày dự kiến kiểm tra.")
    assert inspection_schedule(certificate=herbs, planned_on=herbs.valid_until, by=office).pk
    scheduled = inspection_schedule(certificate=herbs, planned_on=day(1), inspectors="Đoàn tỉnh", by=office)
    assert (scheduled.is_recorded, scheduled.verdict, scheduled.planned_on) == (False, "", day(1))


def test_the_result_of_a_scheduled_inspection_is_recorded_once(herbs, office):
    scheduled = inspection_schedule(certificate=herbs, planned_on=day(3), by=office)
    Inspection.objects.filter(pk=scheduled.pk).update(planned_on=TODAY)  # the day has come
    scheduled.refresh_from_db()
    done = inspection_record(inspection=scheduled, inspected_on=TODAY, inspectors="Đoàn tỉnh", checks=ALL_CONFORM,
                             verdict=InspectionVerdict.COMPLIANT, by=office)
    assert (done.pk, done.planned_on, done.inspected_on) == (scheduled.pk, TODAY, TODAY)
    with pytest.raises(ValidationError) as refused:
        inspection_record(inspection=scheduled, inspected_on=TODAY, inspectors="Đoàn tỉnh", checks=ALL_CONFORM,
                          verdict=InspectionVerdict.COMPLIANT, by=office)
    assert refused.value.messages == ["Kết quả cuộc kiểm tra này đã được ghi nhận."]


def test_the_result_of_a_scheduled_inspection_keeps_its_plan_unless_another_is_chosen(herbs, office, plan):
    scheduled = inspection_schedule(certificate=herbs, planned_on=day(3), plan=plan, by=office)
    Inspection.objects.filter(pk=scheduled.pk).update(planned_on=TODAY)
    done = inspection_record(inspection=scheduled, plan=None, inspected_on=TODAY, inspectors="Đoàn tỉnh",
                             checks=ALL_CONFORM, verdict=InspectionVerdict.COMPLIANT, by=office)
    done.refresh_from_db()
    assert done.plan == plan


# ---------------------------------------------------------------------------------------------
# The corrective action: the subject's evidence, the officer's closing
# ---------------------------------------------------------------------------------------------


def test_the_subject_sends_evidence_and_the_officer_closes_the_action(herbs, office, users):
    inspection = corrective(herbs, office)
    with pytest.raises(ValidationError) as refused:
        corrective_evidence_add(inspection=inspection, files=[], by=users["htx.thienan"])
    assert message(refused, "files") == "Chọn ít nhất một tệp."
    sent = corrective_evidence_add(inspection=inspection, files=[jpeg_upload("nhan-moi.jpg")], note="Đã in lại nhãn",
                                   by=users["htx.thienan"])
    inspection.refresh_from_db()
    assert (inspection.corrective_status, sent[0].kind, sent[0].uploaded_by) == (
        CorrectiveStatus.EVIDENCE, InspectionFileKind.CORRECTIVE, users["htx.thienan"])
    with pytest.raises(ValidationError) as refused:
        corrective_close(inspection=inspection, closed_on=day(1), by=office)
    assert message(refused, "closed_on") == "Không thể xác nhận hoàn thành khắc phục vào một ngày trong tương lai."
    closed = corrective_close(inspection=inspection, by=office)
    assert (closed.corrective_status, closed.closed_on, closed.closed_by) == (CorrectiveStatus.CLOSED, TODAY, office)
    with pytest.raises(ValidationError) as refused:
        corrective_evidence_add(inspection=inspection, files=[jpeg_upload()], by=users["htx.thienan"])
    assert refused.value.messages == [f"Việc khắc phục đã được xác nhận hoàn thành ngày {TODAY:%d/%m/%Y}."]


def test_an_action_without_evidence_closes_with_a_note_and_not_before_the_inspection(herbs, office):
    inspection = corrective(herbs, office, inspected_on=datetime.date(2026, 1, 10), deadline_days=30)
    with pytest.raises(ValidationError) as refused:
        corrective_close(inspection=inspection, closed_on=datetime.date(2026, 1, 9), note="Đã xem tại chỗ", by=office)
    assert message(refused, "closed_on") == ("Không thể xác nhận hoàn thành khắc phục trước ngày kiểm tra yêu cầu khắc "
                                             "phục (10/01/2026).")
    with pytest.raises(ValidationError) as refused:
        corrective_close(inspection=inspection, closed_on=datetime.date(2026, 1, 10), by=office)
    assert message(refused, "note") == ("Chủ thể chưa gửi minh chứng: ghi rõ việc khắc phục đã được xác minh thế "
                                        "nào.")
    closed = corrective_close(inspection=inspection, closed_on=datetime.date(2026, 1, 10), note="Đã xem tại chỗ",
                              by=office)
    assert (closed.closed_on, closed.closing_note) == (datetime.date(2026, 1, 10), "Đã xem tại chỗ")


def test_an_action_is_not_closed_before_the_day_its_latest_evidence_was_sent(herbs, office, users):
    inspection = corrective(herbs, office, inspected_on=day(-5), deadline_days=10)
    corrective_evidence_add(inspection=inspection, files=[jpeg_upload("nhan-moi.jpg")], by=users["htx.thienan"])
    with pytest.raises(ValidationError) as refused:
        corrective_close(inspection=inspection, closed_on=day(-1), by=office)
    assert message(refused, "closed_on") == (f"Chủ thể gửi minh chứng khắc phục gần nhất ngày {TODAY:%d/%m/%Y}: "
                                             "không thể xác nhận hoàn thành khắc phục trước ngày đó.")
    closed = corrective_close(inspection=inspection, closed_on=TODAY, by=office)
    assert (closed.corrective_status, closed.closed_on) == (CorrectiveStatus.CLOSED, TODAY)


def test_the_words_of_the_mark_and_of_the_closing_day():
    from django.utils import translation

    from certificates.enums import RevocationGround

    with translation.override("vi"):
        assert str(Inspection._meta.get_field("closed_on").verbose_name) == "ngày hoàn thành khắc phục"
        assert str(RevocationGround.MARK_MISUSE.label) == "Sử dụng sai biểu trưng, giấy chứng nhận OCOP"


def test_a_compliant_inspection_takes_no_evidence_and_cannot_be_closed(herbs, office, users):
    inspection = record(herbs, office)
    with pytest.raises(ValidationError) as refused:
        corrective_evidence_add(inspection=inspection, files=[jpeg_upload()], by=users["htx.thienan"])
    assert refused.value.messages == ["Cuộc kiểm tra này không yêu cầu khắc phục."]
    with pytest.raises(ValidationError):
        corrective_close(inspection=inspection, note="x", by=office)


# ---------------------------------------------------------------------------------------------
# The revocation resting on an inspection
# ---------------------------------------------------------------------------------------------


def test_the_revocation_carries_the_inspection_that_proposed_it(herbs, office):
    proposal = record(herbs, office, verdict=InspectionVerdict.REVOCATION, findings="Ngừng sản xuất từ tháng 6",
                      proposed_ground="ceased", checks={"production": (False, "")}, inspected_on=day(-2))
    with pytest.raises(ValidationError) as refused:
        certificate_revoke(certificate=herbs, ground="ceased", reason="Ngừng sản xuất", decision_number="9/QĐ-UBND",
                           revoked_on=day(-3), inspection=proposal, by=office)
    assert message(refused, "revoked_on") == (
        f"Không thể thu hồi trước ngày của cuộc kiểm tra làm căn cứ ({day(-2):%d/%m/%Y}).")
    revoked = certificate_revoke(certificate=herbs, ground="ceased", reason="Ngừng sản xuất",
                                 decision_number="9/QĐ-UBND", inspection=proposal, by=office)
    assert (revoked.revoked_on, revoked.revoke_ground, revoked.revoke_inspection) == (TODAY, "ceased", proposal)
    entry = AuditEntry.objects.filter(object_id=herbs.pk, content_type__model="certificate").latest("pk")
    assert entry.message.endswith(f"[căn cứ cuộc kiểm tra ngày {day(-2):%d/%m/%Y}]")
    with pytest.raises(ValidationError) as refused:
        record(herbs, office, verdict=InspectionVerdict.REVOCATION, findings="x", proposed_ground="ceased",
               checks={"production": (False, "")}, inspected_on=day(-1))
    assert message(refused, "verdict") == "Giấy chứng nhận đã bị thu hồi."


def test_only_a_proposal_of_this_certificate_is_a_basis(herbs, office, demo_full):
    compliant = record(herbs, office)
    other = Certificate.objects.get(number="087/2024/GCN-06")
    elsewhere = record(other, office, verdict=InspectionVerdict.REVOCATION, findings="x", proposed_ground="quality",
                       checks={"quality": (False, "")})
    for basis in (compliant, elsewhere):
        with pytest.raises(ValidationError) as refused:
            certificate_revoke(certificate=herbs, ground="quality", reason="x", decision_number="9/QĐ-UBND",
                               inspection=basis, by=office)
        assert message(refused, "inspection") == ("Chỉ cuộc kiểm tra giấy chứng nhận này có đề xuất thu hồi mới "
                                                  "được làm căn cứ thu hồi.")
    assert Certificate.objects.get(pk=herbs.pk).revoked_on is None
