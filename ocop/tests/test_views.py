"""Pages as a user sees them: Vietnamese first, login throttling, cycles and units."""
import pytest
from django.core import mail
from django.test import override_settings

from ocop.models import AuditEntry, Cycle
from ocop.tests.utils import count_queries


def test_login_page_is_vietnamese(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Tên đăng nhập" in page


def test_english_switch_changes_the_interface(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Log in" in page


def test_anonymous_visitor_gets_the_public_home_not_the_login_page(client, db):
    """Issue 18: `/` is the public front door (promotion's tests/test_public_home.py reads it whole); staff find
    "Đăng nhập" there."""
    response = client.get("/")
    assert response.status_code == 200 and 'href="/accounts/login/"' in response.content.decode()


@pytest.mark.parametrize(("username", "role"), [
    ("admin", "Quản trị hệ thống"),
    ("tinh.backan", "Văn phòng OCOP tỉnh"),
    ("huyen.bachthong", "Cán bộ huyện/xã"),
    ("hoidong.1", "Thành viên hội đồng"),
    ("htx.thienan", "Đại diện chủ thể"),
])
def test_demo_login_lands_on_its_home_in_vietnamese(client, users, username, role):
    response = client.post("/accounts/login/", {"username": username, "password": "ocop-demo"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert f'data-testid="role">{role}</span>' in page


def test_province_home_shows_the_current_cycle_step(client_for):
    page = client_for("tinh.thainguyen").get("/").content.decode()
    assert "Kế hoạch thực hiện Chương trình OCOP tỉnh Thái Nguyên năm 2026" in page
    assert "Bước 2/6" in page
    # A cycle of a past year has no current step any more (ocop/tests/test_words.py).
    assert "Bước 6/6" not in client_for("tinh.backan").get("/").content.decode()


def test_repeated_failed_logins_lock_the_account(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "huyen.nari", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "huyen.nari", "password": "ocop-demo"})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_password_reset_sends_a_vietnamese_email(client, users):
    client.post("/accounts/password_reset/", {"email": "huyen.nari@ocop.local"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["huyen.nari@ocop.local"]
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject


def test_password_change_page_in_vietnamese(client_for):
    page = client_for("huyen.nari").get("/accounts/password_change/").content.decode()
    assert "Đổi mật khẩu" in page


def test_cycle_create_with_duplicate_year_shows_a_vietnamese_error_and_saves_nothing(client_for, demo_units):
    client = client_for("tinh.backan")
    response = client.post("/cycles/new/", {"province": demo_units["06"].pk, "year": 2024, "name": "Trùng năm"})
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert Cycle.objects.filter(year=2024).count() == 1


def test_cycle_create_opens_six_steps_and_records_who(client_for, demo_units, users):
    client = client_for("tinh.backan")
    response = client.post("/cycles/new/", {"province": demo_units["06"].pk, "year": 2025, "name": "OCOP Bắc Kạn 2025"})
    cycle = Cycle.objects.get(year=2025)
    assert response.status_code == 302
    assert list(cycle.steps.values_list("step", flat=True)) == [1, 2, 3, 4, 5, 6]
    entry = AuditEntry.objects.get(object_id=cycle.pk, content_type__model="cycle")
    assert (entry.actor, entry.action) == (users["tinh.backan"], "create")


def test_province_staff_cannot_create_a_cycle_for_another_province(client_for, demo_units):
    response = client_for("tinh.backan").post(
        "/cycles/new/", {"province": demo_units["36"].pk, "year": 2025, "name": "Không được"})
    assert response.status_code == 200
    assert not Cycle.objects.filter(year=2025).exists()


def test_setting_the_step_is_audited_and_shown(client_for, users):
    cycle = Cycle.objects.get(year=2024)
    client = client_for("tinh.backan")
    client.post(f"/cycles/{cycle.pk}/step/", {"current_step": 5})
    cycle.refresh_from_db()
    assert cycle.current_step == 5
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert 'data-testid="audit-trail"' in page and "Thay đổi trạng thái" in page


def test_step_dates_end_before_start_is_refused(client_for):
    cycle = Cycle.objects.get(year=2024)
    response = client_for("tinh.backan").post(
        f"/cycles/{cycle.pk}/steps/2/", {"planned_start": "30/04/2024", "planned_end": "01/03/2024"})
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()


def test_cycle_dates_render_day_first(client_for):
    cycle = Cycle.objects.get(year=2024)
    page = client_for("tinh.backan").get(cycle.get_absolute_url()).content.decode()
    assert "01/03/2024 – 30/04/2024" in page


def test_cycle_list_query_count_does_not_grow(client_for, demo_units, django_assert_num_queries):
    client = client_for("admin")
    one = count_queries(lambda: client.get("/cycles/"))
    for year, code in [(2022, "06"), (2025, "36"), (2026, "17")]:
        Cycle.objects.create(province=demo_units[code], year=year, name=f"OCOP {year}")
    with django_assert_num_queries(one):
        page = client.get("/cycles/").content.decode()
    assert page.count("<tr>") == 9  # a header, the demo's five cycles (the ministry's among them), the three added


def test_unit_list_query_count_does_not_grow(client_for, django_assert_num_queries):
    client = client_for("huyen.bachthong")
    one = count_queries(lambda: client.get("/units/?q=Vi%20H"))
    with django_assert_num_queries(one):
        page = client.get("/units/").content.decode()
    assert "Xã Vi Hương" in page and "Xã Côn Minh" not in page


def test_unit_search_empty_state(client_for):
    page = client_for("huyen.bachthong").get("/units/?q=khongco").content.decode()
    assert "Không có đơn vị nào phù hợp" in page


def test_health_reports_database(client, db, settings):
    response = client.get("/health/")
    expected = {"database": "ok"}
    if settings.CELERY_BROKER_URL:  # the PostgreSQL + Redis leg of CI
        expected["broker"] = "ok"
    assert response.json() == {"status": "ok", "checks": expected}


def test_pages_send_a_content_security_policy_without_inline_script_or_style(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy


@override_settings(DEBUG=False)
def test_unknown_page_is_a_vietnamese_404(client_for):
    response = client_for("huyen.nari").get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_browser_language_does_not_override_vietnamese(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page
