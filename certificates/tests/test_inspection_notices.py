"""The notices of inspections: scheduled, corrective action due within 7 days and overdue, revocation proposed.
Each once, in the bell and by email, whatever runs twice."""
import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates.enums import InspectionNoticeKind, InspectionVerdict
from certificates.inspections import (
    corrective_evidence_add,
    inspection_notices_deliver,
    inspection_notices_insert,
    inspection_notices_run,
    inspection_record,
    inspection_schedule,
)
from certificates.models import Certificate, InspectionNotice
from ocop.models import Notification
from ocop.tests.utils import count_queries
from tests.security.conftest import jpeg_upload

TODAY = timezone.localdate()
ALL_CONFORM = {area: (True, "") for area in ("quality", "labelling", "traceability", "mark", "production")}


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def herbs(demo_full):
    """HTX Thiên An's "Thảo dược ngâm chân Thiên An", 3★, issued nearly 36 months before the demo was loaded and
    ending within 30 days of it (represented by htx.thienan; Vi Hương, Bắc Kạn, now Bạch Thông, Thái Nguyên)."""
    Notification.objects.all().delete()
    return Certificate.objects.in_force(on=TODAY).select_related("subject__commune", "product").get(
        product__name="Thảo dược ngâm chân Thiên An")


@pytest.fixture
def office(users):
    return users["tinh.thainguyen"]


def corrective(certificate, by, *, inspected_on=TODAY, deadline: datetime.date, told_at_once=False):
    """An inspection asking for a corrective action. The representatives are told of it at once (see
    test_a_corrective_action_tells_the_representatives_once); unless `told_at_once`, that notice is set aside, so that
    a test reads only what the daily job tells."""
    inspection = inspection_record(
        certificate=certificate, inspected_on=inspected_on, inspectors="Đoàn kiểm tra tỉnh", by=by,
        checks={**ALL_CONFORM, "labelling": (False, "")}, verdict=InspectionVerdict.CORRECTIVE,
        findings="Nhãn thiếu hạn sử dụng", corrective_action="In lại nhãn ghi đủ hạn sử dụng",
        corrective_deadline=deadline)
    if not told_at_once:
        InspectionNotice.objects.filter(kind=InspectionNoticeKind.CORRECTIVE).delete()
        Notification.objects.filter(kind="certificates.corrective_required").delete()
        mail.outbox.clear()
    return inspection


def told() -> dict[str, list[str]]:
    """Each recipient's notification titles."""
    found: dict[str, list[str]] = {}
    for username, title in Notification.objects.order_by("pk").values_list("recipient__username", "title"):
        found.setdefault(username, []).append(title)
    return found


def mailed() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in mail.outbox:
        found.setdefault(message.to[0], []).append(message.subject)
    return found


@pytest.mark.parametrize(("days_left", "kind"), [
    (8, None), (7, "due_soon"), (0, "due_soon"), (-1, "overdue"), (-30, "overdue"),
    (-31, None),  # overdue for longer than a month when first seen: the officers' home page shows it, no notice
])
def test_the_kind_of_notice_at_the_edges_of_the_deadline(herbs, office, days_left, kind):
    corrective(herbs, office, inspected_on=day(-40), deadline=day(days_left))
    assert inspection_notices_insert(today=TODAY) == (1 if kind else 0)
    assert list(InspectionNotice.objects.values_list("kind", flat=True)) == ([kind] if kind else [])


def test_due_soon_then_overdue_each_once_in_the_bell_and_by_email(herbs, office):
    corrective(herbs, office, deadline=day(5))
    counts = [inspection_notices_run(day(offset))["notifications"] for offset in range(0, 12)]
    # Due soon on the first run; overdue (to the representative and the officer who recorded it) on the sixth day.
    assert counts == [1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    deadline = day(5).strftime("%d/%m/%Y")
    due = f"Hạn khắc phục đối với sản phẩm Thảo dược ngâm chân Thiên An là ngày {deadline}"
    overdue = f"Quá hạn khắc phục đối với sản phẩm Thảo dược ngâm chân Thiên An từ ngày {deadline}"
    assert told() == {"htx.thienan": [due, overdue], "tinh.thainguyen": [overdue]}
    assert mailed() == {"htx.thienan@ocop.local": ["[OCOP] " + due, "[OCOP] " + overdue],
                        "tinh.thainguyen@ocop.local": ["[OCOP] " + overdue]}


def test_running_twice_tells_nothing_more(herbs, office):
    corrective(herbs, office, inspected_on=day(-20), deadline=day(-2))
    first = inspection_notices_run(TODAY)
    outbox = len(mail.outbox)
    second = inspection_notices_run(TODAY)
    assert first == {"notices": 1, "told": 1, "notifications": 2, "emails_queued": 2}
    assert second == {"notices": 0, "told": 0, "notifications": 0, "emails_queued": 0}
    assert Notification.objects.count() == 2 and len(mail.outbox) == outbox == 2


def test_a_worker_killed_after_flagging_leaves_the_telling_to_the_next_run(herbs, office):
    corrective(herbs, office, deadline=day(3))
    assert inspection_notices_insert(today=TODAY) == 1  # ... and the worker dies here
    assert inspection_notices_run(TODAY) == {"notices": 0, "told": 1, "notifications": 1, "emails_queued": 1}
    assert inspection_notices_deliver(today=TODAY) == {"told": 0, "notifications": 0}
    assert len(mail.outbox) == 1


def test_evidence_sent_stops_the_reminders(herbs, office, users):
    inspection = corrective(herbs, office, deadline=day(3))
    corrective_evidence_add(inspection=inspection, files=[jpeg_upload()], by=users["htx.thienan"])
    assert inspection_notices_run(TODAY)["notifications"] == 0
    assert inspection_notices_run(day(10))["notifications"] == 0


def test_the_notice_of_an_action_links_to_the_inspection(herbs, office):
    inspection = corrective(herbs, office, deadline=day(7))
    inspection_notices_run(TODAY)
    notification = Notification.objects.get(recipient__username="htx.thienan")
    assert (notification.kind, notification.url, notification.target) == (
        "certificates.corrective_due", inspection.get_absolute_url(), inspection)
    assert notification.body.splitlines() == [
        f"Cuộc kiểm tra sản phẩm Thảo dược ngâm chân Thiên An (giấy chứng nhận {herbs.number}) yêu cầu khắc phục "
        f"nội dung sau trước ngày {day(7):%d/%m/%Y}:", "", "In lại nhãn ghi đủ hạn sử dụng", "",
        "Gửi minh chứng khắc phục trên trang của cuộc kiểm tra."]


def test_a_corrective_action_tells_the_representatives_once(herbs, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = corrective(herbs, office, deadline=day(20), told_at_once=True)
    title = f"Yêu cầu khắc phục đối với sản phẩm Thảo dược ngâm chân Thiên An trước ngày {day(20):%d/%m/%Y}"
    assert told() == {"htx.thienan": [title]}
    assert mailed() == {"htx.thienan@ocop.local": ["[OCOP] " + title]}
    notification = Notification.objects.get()
    assert (notification.kind, notification.url) == ("certificates.corrective_required",
                                                      inspection.get_absolute_url())
    assert "In lại nhãn ghi đủ hạn sử dụng" in notification.body.splitlines()
    # The daily job does not tell it again (nor, 20 days ahead, the reminder yet).
    assert inspection_notices_run(TODAY)["notifications"] == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_schedule_tells_the_representatives_once(herbs, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inspection_schedule(certificate=herbs, planned_on=day(10), inspectors="Hoàng Văn Bình", by=office)
    assert told() == {"htx.thienan": [f"Lịch kiểm tra sản phẩm Thảo dược ngâm chân Thiên An ngày {day(10):%d/%m/%Y}"]}
    assert mailed() == {"htx.thienan@ocop.local": [
        f"[OCOP] Lịch kiểm tra sản phẩm Thảo dược ngâm chân Thiên An ngày {day(10):%d/%m/%Y}"]}
    assert inspection_notices_run(TODAY)["notifications"] == 0
    assert inspection_notices_run(TODAY)["notifications"] == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_proposed_revocation_tells_the_provincial_office_of_today_once(herbs, office,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inspection_record(certificate=herbs, inspected_on=TODAY, inspectors="Đoàn kiểm tra tỉnh", by=office,
                          checks={"production": (False, "Xưởng đóng cửa")}, verdict=InspectionVerdict.REVOCATION,
                          findings="Chủ thể ngừng sản xuất từ tháng 6", proposed_ground="ceased")
    # Thái Nguyên's office, which took over Bắc Kạn (the certificate's issuer), not Bắc Kạn's former office nor the
    # commune officers; and the representative, told who decides.
    title = f"Đề xuất thu hồi giấy chứng nhận {herbs.number} (Thảo dược ngâm chân Thiên An)"
    assert told() == {"htx.thienan": [title], "tinh.thainguyen": [title]}
    assert sorted(mailed()) == ["htx.thienan@ocop.local", "tinh.thainguyen@ocop.local"]
    bodies = dict(Notification.objects.values_list("recipient__username", "body"))
    assert "mở biểu mẫu thu hồi" in bodies["tinh.thainguyen"] and "mở biểu mẫu thu hồi" not in bodies["htx.thienan"]
    assert "Cơ quan đã cấp giấy chứng nhận quyết định" in bodies["htx.thienan"]
    assert inspection_notices_run(TODAY) == {"notices": 0, "told": 0, "notifications": 0, "emails_queued": 0}
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_proposed_revocation_of_a_central_certificate_tells_the_ministry(herbs, office,
                                                                          django_capture_on_commit_callbacks):
    Certificate.objects.filter(pk=herbs.pk).update(level="central")  # a 5★ of the ministry, which alone revokes it
    with django_capture_on_commit_callbacks(execute=True):
        inspection_record(certificate=herbs, inspected_on=TODAY, inspectors="Đoàn kiểm tra tỉnh", by=office,
                          checks={"production": (False, "Xưởng đóng cửa")}, verdict=InspectionVerdict.REVOCATION,
                          findings="Chủ thể ngừng sản xuất từ tháng 6", proposed_ground="ceased")
    title = f"Đề xuất thu hồi giấy chứng nhận {herbs.number} (Thảo dược ngâm chân Thiên An)"
    assert told()["bo.nnmt"] == [title] and "tinh.thainguyen" not in told()
    assert mailed()["bo.nnmt@ocop.local"] == ["[OCOP] " + title]


def test_queries_do_not_grow_with_the_actions(herbs, office, demo_full):
    tea = Certificate.objects.get(number="087/2024/GCN-06")
    corrective(herbs, office, deadline=day(3))
    few = count_queries(lambda: inspection_notices_run(TODAY))
    for certificate in (herbs, tea, herbs, tea):
        corrective(certificate, office, deadline=day(4))
    many = count_queries(lambda: inspection_notices_run(TODAY))
    assert Notification.objects.count() == 1 + 2  # htx.thienan twice; the tea's group has no representative
    assert many == few


def test_the_command_runs_the_job_for_a_day(herbs, office, capsys):
    corrective(herbs, office, deadline=day(2))
    call_command("inspection_notices", "--date", TODAY.isoformat())
    assert capsys.readouterr().out.strip() == "notices: 1 new, 1 told; notifications: 1; emails: 1 queued"


def test_the_task_is_scheduled_daily(settings):
    from celery.schedules import crontab

    from certificates.tasks.inspections import inspection_notices
    from ocop.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["inspection-notices"]
    assert entry["task"] == inspection_notices.name == "certificates.inspection_notices"
    assert entry["schedule"] == crontab(hour=6, minute=5)
    assert "certificates.tasks.inspections" in app.conf.imports
