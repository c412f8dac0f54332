"""The daily expiry job: each certificate is told once per window, to the right people, whatever happens."""
import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from certificates import notices
from certificates.models import Certificate, CertificateNotice, CertificateSequence, Inspection
from certificates.notices import expiry_notices_deliver, expiry_notices_insert, expiry_notices_run
from certificates.services import certificate_revoke, certificates_issue_for_decision
from ocop.enums import NotificationEmail, Role
from ocop.models import AdministrativeUnit, Notification, User
from ocop.tests.utils import count_queries

TODAY = datetime.date(2026, 11, 25)
FAR = TODAY + datetime.timedelta(days=1000)
# Bạch Thông 2023: 001 Dền Vang (commune 01855, no representative); 002 and 003 HTX Thiên An (01843,
# represented by htx.thienan); 004 Tổ hợp tác chè Bản Dao (01846).
THIEN_AN = ["002/2023/GCN-063", "003/2023/GCN-063"]


@pytest.fixture
def issued(demo_full):
    """The four certificates of decision 1568/QĐ-UBND, alone in the database, all ending far from TODAY."""
    from evaluation.models import Decision

    Certificate.objects.update(superseded_by=None, superseded_on=None)
    Inspection.objects.all().delete()  # the demo's inspections after recognition keep their certificates
    Certificate.objects.all().delete()
    Notification.objects.all().delete()  # the demo's own (results published, roadmaps): only the expiry's are counted
    CertificateSequence.objects.all().delete()
    decision = Decision.objects.get(number="1568/QĐ-UBND")
    certificates = certificates_issue_for_decision(decision=decision, by=None, render=False)
    Certificate.objects.update(valid_until=FAR)
    User.objects.create(username="xa.banthi", role=Role.LOCAL_OFFICER, email="xa.banthi@ocop.local",
                        unit=AdministrativeUnit.objects.get(code="01855"), first_name="Cán bộ", last_name="xã")
    return {c.number: c for c in certificates}


def ends_in(days: int, *numbers: str) -> None:
    Certificate.objects.filter(number__in=numbers).update(valid_until=TODAY + datetime.timedelta(days=days))


def windows_of(number: str) -> list[int]:
    return sorted(CertificateNotice.objects.filter(certificate__number=number).values_list("window_days", flat=True))


def mailed() -> dict[str, list[str]]:
    """Each recipient's email subjects."""
    seen: dict[str, list[str]] = {}
    for message in mail.outbox:
        seen.setdefault(message.to[0], []).append(message.subject)
    return seen


@pytest.mark.parametrize(("days_left", "window"), [
    (181, None), (180, 180), (91, 180), (90, 90), (31, 90), (30, 30), (1, 30), (0, 0), (-1, 0),
    (-30, 0), (-31, None),  # an ended certificate is told about within 30 days of its end, not years later
])
def test_window_at_its_edges(issued, days_left, window):
    ends_in(days_left, "002/2023/GCN-063")
    assert expiry_notices_insert(today=TODAY) == (1 if window is not None else 0)
    assert windows_of("002/2023/GCN-063") == ([window] if window is not None else [])
    assert CertificateNotice.objects.count() == (1 if window is not None else 0)


def test_a_certificate_first_seen_20_days_before_its_end_gets_the_30_day_notice_only(issued):
    ends_in(20, "002/2023/GCN-063")
    expiry_notices_run(TODAY)
    assert windows_of("002/2023/GCN-063") == [30]
    # ... and, when it ends, the expiry notice
    expiry_notices_run(TODAY + datetime.timedelta(days=20))
    assert windows_of("002/2023/GCN-063") == [0, 30]


def test_run_every_day_tells_each_window_once(issued, settings):
    settings.OCOP_CERTIFICATE_NOTICE_DAYS = [180, 90, 30]
    ends_in(200, "001/2023/GCN-063")
    for day in range(0, 240):
        expiry_notices_run(TODAY + datetime.timedelta(days=day))
    notices_by_window = dict(CertificateNotice.objects.values_list("window_days", "created_at__date"))
    assert sorted(notices_by_window) == [0, 30, 90, 180]
    # The Bạch Thông officer, the province staff and the commune officer: four emails each, one per window.
    assert {to: len(subjects) for to, subjects in mailed().items()} == {
        "huyen.bachthong@ocop.local": 4, "tinh.backan@ocop.local": 4, "xa.banthi@ocop.local": 4}


def test_notice_days_come_from_the_settings(issued, settings):
    settings.OCOP_CERTIFICATE_NOTICE_DAYS = [60, 7]
    ends_in(60, "002/2023/GCN-063")
    ends_in(61, "003/2023/GCN-063")
    ends_in(7, "004/2023/GCN-063")
    expiry_notices_insert(today=TODAY)
    assert dict(CertificateNotice.objects.values_list("certificate__number", "window_days")) == {
        "002/2023/GCN-063": 60, "004/2023/GCN-063": 7}


def test_running_twice_adds_no_notice_and_sends_no_second_email(issued):
    ends_in(30, *THIEN_AN)
    first = expiry_notices_run(TODAY)
    outbox = len(mail.outbox)
    second = expiry_notices_run(TODAY)
    assert first == {"notices": 2, "told": 2, "notifications": 3, "emails_queued": 3}
    assert second == {"notices": 0, "told": 0, "notifications": 0, "emails_queued": 0}
    assert len(mail.outbox) == outbox == 3
    assert Notification.objects.count() == 3


def test_recipients_are_the_representatives_and_the_officers_of_the_area(issued):
    ends_in(90, "001/2023/GCN-063", *THIEN_AN)
    expiry_notices_run(TODAY)
    # Not huyen.nari (Na Rì), huyen.dabac (Hòa Bình), the administrator or the council members.
    assert sorted(mailed()) == ["htx.thienan@ocop.local", "huyen.bachthong@ocop.local", "tinh.backan@ocop.local",
                                "xa.banthi@ocop.local"]
    told = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert sorted(told) == ["htx.thienan", "huyen.bachthong", "tinh.backan", "xa.banthi"]
    assert told["xa.banthi"].title == ("Giấy chứng nhận OCOP số 001/2023/GCN-063 sắp hết hiệu lực "
                                       "(còn hiệu lực đến 23/02/2027)")
    assert told["htx.thienan"].title == "2 giấy chứng nhận OCOP sắp hết hoặc đã hết hiệu lực"
    assert "001/2023/GCN-063" not in told["htx.thienan"].body
    assert told["huyen.bachthong"].title == "3 giấy chứng nhận OCOP sắp hết hoặc đã hết hiệu lực"


def test_the_email_sums_up_the_certificates_in_vietnamese(issued):
    ends_in(30, "002/2023/GCN-063")
    ends_in(-3, "003/2023/GCN-063")
    expiry_notices_run(TODAY)
    (message,) = [m for m in mail.outbox if m.to == ["htx.thienan@ocop.local"]]
    assert message.subject == "[OCOP] 2 giấy chứng nhận OCOP sắp hết hoặc đã hết hiệu lực"
    assert message.body.startswith("Kính gửi Lý Thị Quên,\n\nGiấy chứng nhận OCOP sau đây sắp hết hoặc đã hết "
                                   "hiệu lực:\n\n")
    lines = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert lines == [
        "- 003/2023/GCN-063 – Túi thổ cẩm Thiên An (Hợp tác xã Thiên An), 3 sao: hiệu lực đến 22/11/2026, "
        "đã hết hiệu lực 3 ngày",
        "- 002/2023/GCN-063 – An mộc nhi (Hợp tác xã Thiên An), 3 sao: hiệu lực đến 25/12/2026, còn 30 ngày",
    ]
    assert "Xem trên hệ thống: http://127.0.0.1:8000/certificates/expiry/" in message.body


def test_one_certificate_links_to_its_page(issued):
    ends_in(0, "002/2023/GCN-063")
    expiry_notices_run(TODAY)
    notification = Notification.objects.get(recipient__username="htx.thienan")
    certificate = issued["002/2023/GCN-063"]
    assert notification.title == "Giấy chứng nhận OCOP số 002/2023/GCN-063 đã đến ngày hết hiệu lực (25/11/2026)"
    assert notification.url == certificate.get_absolute_url()
    assert notification.target == certificate
    assert "hôm nay là ngày cuối cùng còn hiệu lực" in notification.body


def test_revoked_and_superseded_certificates_get_nothing(issued):
    ends_in(30, *THIEN_AN)
    certificate_revoke(certificate=issued["002/2023/GCN-063"], ground="food_safety", reason="Vi phạm an toàn thực phẩm",
                       decision_number="99/QĐ-UBND", revoked_on=TODAY, by=None)
    Certificate.objects.filter(number="003/2023/GCN-063").update(superseded_by=issued["001/2023/GCN-063"],
                                                                 superseded_on=datetime.date(2023, 10, 5))
    assert expiry_notices_run(TODAY)["notices"] == 0
    assert (CertificateNotice.objects.count(), Notification.objects.count(), len(mail.outbox)) == (0, 0, 0)


def test_a_certificate_revoked_between_the_two_steps_is_not_told(issued):
    ends_in(30, "002/2023/GCN-063")
    expiry_notices_insert(today=TODAY)
    certificate_revoke(certificate=issued["002/2023/GCN-063"], ground="food_safety", reason="Vi phạm an toàn thực phẩm",
                       decision_number="99/QĐ-UBND", revoked_on=TODAY, by=None)
    assert expiry_notices_deliver(today=TODAY)["notifications"] == 0
    assert len(mail.outbox) == 0


def test_worker_killed_after_the_notices_were_inserted_the_next_run_tells_once(issued):
    ends_in(30, *THIEN_AN)
    assert expiry_notices_insert(today=TODAY) == 2  # ... and the worker dies here
    assert CertificateNotice.objects.filter(emailed_at__isnull=True).count() == 2
    assert expiry_notices_run(TODAY) == {"notices": 0, "told": 2, "notifications": 3, "emails_queued": 3}
    expiry_notices_run(TODAY)
    assert sorted(mailed()) == ["htx.thienan@ocop.local", "huyen.bachthong@ocop.local", "tinh.backan@ocop.local"]
    assert all(len(subjects) == 1 for subjects in mailed().values())
    assert not CertificateNotice.objects.filter(emailed_at__isnull=True).exists()


def run_killed_at(step: str) -> None:
    """Run the job with the worker dying when it calls `step` (a function certificates/notices.py uses)."""

    def killed(*args, **kwargs):
        raise SystemExit("worker lost")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notices, step, killed)
        with pytest.raises(SystemExit):
            expiry_notices_run(TODAY)


def test_worker_killed_while_telling_leaves_everything_for_the_next_run(issued):
    ends_in(30, *THIEN_AN)
    run_killed_at("notifications_create")
    assert CertificateNotice.objects.filter(emailed_at__isnull=True).count() == 2  # the claim was rolled back
    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)
    expiry_notices_run(TODAY)
    expiry_notices_run(TODAY)
    assert (Notification.objects.count(), len(mail.outbox)) == (3, 3)


def test_worker_killed_before_the_emails_the_next_run_sends_them_once(issued):
    ends_in(30, *THIEN_AN)
    run_killed_at("notification_emails_queue")
    assert Notification.objects.filter(email_status=NotificationEmail.PENDING).count() == 3
    assert len(mail.outbox) == 0
    assert expiry_notices_run(TODAY) == {"notices": 0, "told": 0, "notifications": 0, "emails_queued": 3}
    expiry_notices_run(TODAY)
    assert (Notification.objects.count(), len(mail.outbox)) == (3, 3)


def test_queries_do_not_grow_with_the_certificates(issued):
    """Many certificates of the same subjects: the same queries for 3 as for 300 (recipients alike)."""
    template = issued["002/2023/GCN-063"]

    def run_with(count: int, day: datetime.date) -> int:
        Certificate.objects.bulk_create([
            Certificate(number=f"{day:%m%d}-{i}/GCN", issuing_unit=template.issuing_unit, product=template.product,
                        subject=template.subject, star=3, decision_number="1/QĐ", decision_date=template.issued_on,
                        signer="x", level=template.level, issued_on=template.issued_on,
                        valid_until=day + datetime.timedelta(days=10))
            for i in range(count)])
        return count_queries(lambda: expiry_notices_run(day))

    few = run_with(3, TODAY)
    many = run_with(300, TODAY + datetime.timedelta(days=1))
    assert Notification.objects.count() == 6 and len(mail.outbox) == 6  # htx.thienan, huyện, tỉnh; twice
    assert many == few


def test_the_command_runs_the_job_for_a_day(issued, capsys):
    ends_in(30, *THIEN_AN)
    call_command("flag_expiring_certificates", "--date", TODAY.isoformat())
    assert capsys.readouterr().out.strip() == "notices: 2 new, 2 told; notifications: 3; emails: 3 queued"


def test_the_task_is_scheduled_daily_at_six(settings):
    from celery.schedules import crontab

    from certificates.tasks.notices import certificate_expiry_notices
    from ocop.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["certificate-expiry-notices"]
    assert entry["task"] == certificate_expiry_notices.name == "certificates.expiry_notices"
    assert entry["schedule"] == crontab(hour=6, minute=0)
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
    assert "certificates.tasks.notices" in app.conf.imports


def test_the_task_runs_the_job(issued, monkeypatch):
    from certificates.tasks.notices import certificate_expiry_notices

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    ends_in(30, *THIEN_AN)
    assert certificate_expiry_notices.delay().get()["notices"] == 2
