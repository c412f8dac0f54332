"""Notifications: the bell, each user's own list, marking read, and emails sent at most once."""
import re

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.template import engines
from django.test import Client, RequestFactory

from ocop.context_processors import navigation
from ocop.enums import NotificationEmail
from ocop.models import Notification
from ocop.services import notification_emails_send, notifications_create, notify
from ocop.tests.utils import count_queries


@pytest.fixture
def rep(users):
    return users["htx.thienan"]


def bell(page: str) -> str | None:
    """The unread count the navigation bar shows, or None when it shows none."""
    found = re.search(r'data-testid="unread-count">([^<]+)<', page)
    return found.group(1) if found else None


def shown(page: str) -> list[str]:
    """The titles of the notifications a page lists."""
    return re.findall(r'data-testid="notification-title">([^<]+)<', page)


def test_notify_creates_one_notification_per_user_in_one_query(users, django_assert_num_queries):
    people = [users["htx.thienan"], users["huyen.bachthong"], users["tinh.backan"], users["htx.thienan"]]
    with django_assert_num_queries(1):
        created = notify(people, kind="test", title="Hồ sơ đã được duyệt", body="Nội dung", url="/cycles/")
    assert sorted(n.recipient.username for n in created) == ["htx.thienan", "huyen.bachthong", "tinh.backan"]
    assert Notification.objects.filter(email_status=NotificationEmail.NONE, read_at__isnull=True).count() == 3
    assert mail.outbox == []


def test_notify_with_email_sends_after_the_commit(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([users["huyen.nari"]], kind="test", title="Lịch họp hội đồng", body="Họp ngày 02/12/2026.",
               url="/cycles/", email=True)
    (message,) = mail.outbox
    assert message.to == ["huyen.nari@ocop.local"]
    assert message.subject == "[OCOP] Lịch họp hội đồng"
    assert message.body == (
        "Kính gửi Trần Thị Thu Hiền,\n\nHọp ngày 02/12/2026.\n\n"
        "Xem trên hệ thống: http://127.0.0.1:8000/cycles/\n\n-- \n"
        "Thư này do hệ thống quản lý Chương trình OCOP gửi tự động; mọi thông báo của bạn có tại "
        "http://127.0.0.1:8000/notifications/.")
    assert Notification.objects.get().email_status == NotificationEmail.SENT


def test_emails_are_sent_once_and_skipped_without_an_address(users):
    nari, rep = users["huyen.nari"], users["htx.thienan"]
    rep.email = ""
    rep.save()
    notifications_create([Notification(recipient=u, kind="test", title="Thông báo") for u in (nari, rep)], email=True)
    assert notification_emails_send() == {"sent": 1, "failed": 0, "skipped": 1}
    assert notification_emails_send() == {"sent": 0, "failed": 0, "skipped": 0}
    assert [m.to for m in mail.outbox] == [["huyen.nari@ocop.local"]]
    assert dict(Notification.objects.values_list("recipient__username", "email_status")) == {
        "huyen.nari": NotificationEmail.SENT, "htx.thienan": NotificationEmail.NONE}


class RefusingBackend(EmailBackend):
    """A mail server that refuses the province's address."""

    def send_messages(self, messages):
        if any("tinh.backan@ocop.local" in m.to for m in messages):
            raise ConnectionRefusedError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_refused_email_waits_for_the_next_call(users, settings):
    settings.EMAIL_BACKEND = "ocop.tests.test_notifications.RefusingBackend"
    notify([users["tinh.backan"], users["huyen.nari"]], kind="test", title="Thông báo", email=True)
    assert notification_emails_send() == {"sent": 1, "failed": 1, "skipped": 0}
    assert Notification.objects.get(recipient__username="tinh.backan").email_status == NotificationEmail.PENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_emails_send() == {"sent": 1, "failed": 0, "skipped": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["huyen.nari@ocop.local", "tinh.backan@ocop.local"]


def test_emails_are_sent_in_batches_with_a_fixed_number_of_queries(users):
    people = [users[name] for name in ("htx.thienan", "huyen.bachthong", "tinh.backan", "huyen.nari", "admin")]
    notify(people, kind="test", title="Thông báo", email=True)
    # a batch: the ids, the claim, the claimed rows with their recipients; then the empty look that ends
    assert count_queries(lambda: notification_emails_send(batch=2)) == 3 * 3 + 1
    assert len(mail.outbox) == 5


def test_the_page_lists_only_ones_own_notifications(client_for, users):
    notify([users["htx.thienan"]], kind="test", title="Sản phẩm của bạn đã được công nhận 4 sao")
    notify([users["huyen.nari"]], kind="test", title="Danh sách ý tưởng của huyện Na Rì")
    page = client_for("htx.thienan").get("/notifications/").content.decode()
    assert shown(page) == ["Sản phẩm của bạn đã được công nhận 4 sao"]
    assert "Na Rì" not in page
    assert bell(page) == "1"


def test_marking_one_read(client_for, rep):
    first, second = notify([rep], kind="test", title="Một") + notify([rep], kind="test", title="Hai")
    client = client_for("htx.thienan")
    response = client.post(f"/notifications/{first.pk}/read/", {"page": "1"})
    assert response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert bell(client.get("/notifications/").content.decode()) == "1"


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for, rep):
    (notification,) = notify([rep], kind="test", title="Xem hồ sơ", url="/cycles/")
    response = client_for("htx.thienan").post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/cycles/"
    notification.refresh_from_db()
    assert notification.is_read


def test_a_link_to_another_site_is_not_followed(client_for, rep):
    (notification,) = notify([rep], kind="test", title="Lừa đảo", url="https://example.com/phishing")
    response = client_for("htx.thienan").post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_cannot_be_marked(client_for, users):
    (notification,) = notify([users["huyen.nari"]], kind="test", title="Của huyện Na Rì")
    response = client_for("htx.thienan").post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_needs_a_post_with_the_csrf_token(users, rep):
    (notification,) = notify([rep], kind="test", title="Một")
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_empties_the_bell(client_for, users, rep):
    notify([rep], kind="test", title="Một")
    notify([rep], kind="test", title="Hai")
    notify([users["huyen.nari"]], kind="test", title="Của người khác")
    client = client_for("htx.thienan")
    assert bell(client.get("/").content.decode()) == "2"
    page = client.post("/notifications/read-all/", follow=True).content.decode()
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in page
    assert bell(page) is None and 'data-testid="read-all"' not in page
    assert Notification.objects.filter(read_at__isnull=True).get().recipient.username == "huyen.nari"


def test_the_bell_shows_99_plus_beyond_99(client_for, rep):
    notifications_create([Notification(recipient=rep, kind="test", title=f"Thông báo {i}") for i in range(120)])
    assert bell(client_for("htx.thienan").get("/").content.decode()) == "99+"


def test_the_bell_costs_one_query_and_none_where_it_is_not_drawn(rep, django_assert_num_queries):
    notify([rep], kind="test", title="Một")
    request = RequestFactory().get("/")
    request.user = rep
    context = navigation(request)
    template = engines["django"].from_string("{{ notifications_unread }} {{ notifications_unread }}")
    with django_assert_num_queries(1):
        assert template.render(context) == "1 1"
    context = navigation(request)
    with django_assert_num_queries(0):
        engines["django"].from_string("{{ nav_current }}").render(context)


def test_the_empty_page_says_so_in_vietnamese(client_for):
    page = client_for("huyen.nari").get("/notifications/").content.decode()
    assert "Bạn chưa có thông báo nào." in page and bell(page) is None


def test_list_query_count_is_the_same_for_one_and_several(client_for, rep, django_assert_num_queries):
    client = client_for("htx.thienan")
    notify([rep], kind="test", title="Một", url="/cycles/")
    one = count_queries(lambda: client.get("/notifications/"))
    notifications_create([Notification(recipient=rep, kind="test", title=f"Thông báo {i}", body="Dòng 1\nDòng 2",
                                       url="/cycles/") for i in range(30)])
    with django_assert_num_queries(one):
        page = client.get("/notifications/").content.decode()
    assert len(shown(page)) == 25 and "Trang 1/2" in page
