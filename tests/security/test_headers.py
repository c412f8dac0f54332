"""Security headers of every page and download, no inline script or style for the policy to block, and the login
lock.

ocop/tests/test_views.py already checks the login page's policy and that three failures (the limit lowered
to 3) lock an account with a Vietnamese message; here every page, every download, the limit as configured,
what the lock covers and when it ends.
"""
import datetime
import os

import pytest
from django.conf import settings
from django.urls import reverse

from .site import DOWNLOADS, PageScan, page_names, url_and_user

# Downloads that are not private: the published score sheets of the regulations.
PUBLIC_DOWNLOADS = {"evaluation:sheet-download": "a regulation's score sheet, published reference data"}
NOT_FIXED: dict[str, str] = {}  # downloads known to lack Cache-Control (none today)


def assert_security_headers(response, url):
    policy = response.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert directives.get("script-src") == "'self'", (url, policy)
    assert directives.get("style-src") == "'self'", (url, policy)  # no 'unsafe-inline': no style attribute runs
    assert directives.get("frame-ancestors") == "'none'" and directives.get("object-src") == "'none'", (url, policy)
    assert response.get("X-Content-Type-Options") == "nosniff", url
    assert response.get("X-Frame-Options") == "DENY", url
    assert response.get("Referrer-Policy") == "same-origin", url


@pytest.mark.parametrize("name", page_names())
def test_page_sends_the_security_headers_and_has_no_inline_script_or_style(world, name):
    url, username = url_and_user(world, name)
    response = world.client(username).get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8"), url
    assert_security_headers(response, url)
    scan = PageScan(response.content.decode())
    assert (scan.inline_code, scan.inline_style) == ([], []), url


@pytest.mark.parametrize("url", ["/verify/", "/verify/015/2024/GCN-TW/", "/catalog/", "/khong-co-trang-nay/"])
def test_public_pages_send_the_security_headers(world, url):
    response = world.client().get(url)
    assert response.status_code == (404 if url.startswith("/khong") else 200)
    assert_security_headers(response, url)


def test_pages_with_progress_bars_and_a_sticky_panel_hold_no_inline_style(world):
    """The pages whose widths came from style attributes: the member's queue (progress of each scorecard), his
    scoring page (the totals beside the sheet) and the province's home (the cycle's step)."""
    records = world.areas["bachthong"]
    pages = {
        reverse("evaluation:queue"): (records.scorer, '<progress class="progress-small"'),
        reverse("evaluation:score", args=[records.scorecard.pk]): (records.scorer, 'id="total-overall"'),
        reverse("home"): ("tinh.backan", 'data-testid="panel-cycle"'),
    }
    for url, (username, shown) in pages.items():
        response = world.client(username).get(url)
        page = response.content.decode()
        assert response.status_code == 200 and shown in page, url
        assert PageScan(page).inline_style == [], url
        # htmx would otherwise add its indicator <style> element to the page, which the policy refuses.
        assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page


def test_no_template_of_a_page_holds_inline_style():
    """Style attributes and <style> elements are refused by the policy: only the PDF templates hold them
    (WeasyPrint reads them; ocop/pdf.py and certificates/rendering.py render them to PDF, never as a page)."""
    found = []
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        if "pdf" in template.relative_to(settings.BASE_DIR / "templates").parts:
            continue
        scan = PageScan(template.read_text(encoding="utf-8"))
        found += [f"{template.name}: {tag}" for tag in scan.inline_style]
    assert found == []


def _download_param(name):
    if name in NOT_FIXED:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_FIXED[name]))
    return name


@pytest.mark.parametrize("name", [_download_param(name) for name in sorted(DOWNLOADS)])
def test_private_download_is_never_stored_by_a_cache(world, name):
    url, username = url_and_user(world, name)
    response = world.client(username).get(url)
    assert response.status_code == 200, url
    assert not response["Content-Type"].startswith("text/html"), url
    assert response["Content-Disposition"].startswith(("attachment;", "inline;")), url
    assert response.get("X-Content-Type-Options") == "nosniff", url
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    required = set() if name in PUBLIC_DOWNLOADS else {"private", "no-store"}
    assert required <= cache_control, (url, response.get("Cache-Control"))


# ---------------------------------------------------------------------------------------------
# The login lock (django-axes)
# ---------------------------------------------------------------------------------------------


def _login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_lock_starts_at_the_configured_number_of_failures(world):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # the default of AXES_FAILURE_LIMIT (README)
    for _ in range(limit - 1):
        assert _login(world.client(), "huyen.nari", "sai-mat-khau").status_code == 200
    assert _login(world.client(), "huyen.nari", "ocop-demo")["Location"] == "/"  # one short of the limit
    for _ in range(limit):  # the success reset the count (AXES_RESET_ON_SUCCESS)
        _login(world.client(), "huyen.nari", "sai-mat-khau")
    locked = _login(world.client(), "huyen.nari", "ocop-demo")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page and '<html lang="vi">' in page
    assert_security_headers(locked, "lockout")


def test_the_lock_holds_one_account_from_one_address(world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(world.client(), "huyen.nari", "sai-mat-khau")
    assert _login(world.client(), "huyen.nari", "ocop-demo").status_code == 429
    assert _login(world.client(), "huyen.dabac", "ocop-demo")["Location"] == "/"  # another account
    assert _login(world.client(), "huyen.nari", "ocop-demo", address="10.0.0.2")["Location"] == "/"


def test_the_lock_ends_after_the_cool_off(world):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(world.client(), "huyen.nari", "sai-mat-khau")
    assert _login(world.client(), "huyen.nari", "ocop-demo").status_code == 429
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - datetime.timedelta(minutes=1))
    assert _login(world.client(), "huyen.nari", "ocop-demo")["Location"] == "/"


# ---------------------------------------------------------------------------------------------
# One client address behind the proxies (OCOP_TRUSTED_PROXY_COUNT), for the lock and the throttles
# ---------------------------------------------------------------------------------------------
NGINX = "127.0.0.1"


def _through_nginx(client, username, password, address, forged=""):
    """A login as nginx passes it on: it appends the address it received from to what the client sent."""
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.parametrize(("count", "forwarded", "address"), [
    (0, "203.0.113.9", NGINX),  # no proxy configured: the header is the client's own words
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote 1.2.3.4 itself
    (2, "1.2.3.4, 203.0.113.9, 10.0.0.5", "203.0.113.9"),  # a load balancer, then nginx
    (2, "203.0.113.9", NGINX),  # shorter than the chain: it did not come through the proxies
    (1, "not-an-address", NGINX),
    (1, "", NGINX),
])
def test_client_address_counts_trusted_proxies_from_the_right(rf, settings, count, forwarded, address):
    from ocop.throttle import client_address

    settings.OCOP_TRUSTED_PROXY_COUNT = count
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    assert client_address(rf.get("/", REMOTE_ADDR=NGINX, **headers)) == address


def test_behind_nginx_a_stranger_cannot_lock_a_user_out(world, settings):
    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _through_nginx(world.client(), "huyen.nari", "sai-mat-khau", "198.51.100.66", forged="203.0.113.9")
    assert _through_nginx(world.client(), "huyen.nari", "ocop-demo", "198.51.100.66").status_code == 429
    # The real user, at the address the stranger tried to pass for, logs in.
    assert _through_nginx(world.client(), "huyen.nari", "ocop-demo", "203.0.113.9")["Location"] == "/"


def test_many_addresses_together_lock_a_username_at_the_higher_limit(world, settings):
    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    settings.OCOP_LOGIN_USERNAME_FAILURE_LIMIT = 3 * settings.AXES_FAILURE_LIMIT - 1
    for spot in range(3):  # each address stays one short of its own lock
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _through_nginx(world.client(), "huyen.nari", "sai-mat-khau", f"198.51.100.{spot + 1}")
    assert _through_nginx(world.client(), "huyen.nari", "ocop-demo", "203.0.113.9")["Location"] == "/"
    _through_nginx(world.client(), "huyen.nari", "sai-mat-khau", "198.51.100.4")
    _through_nginx(world.client(), "huyen.nari", "sai-mat-khau", "198.51.100.4")
    refused = _through_nginx(world.client(), "huyen.nari", "ocop-demo", "203.0.113.9")
    assert refused.status_code == 200
    assert "Đăng nhập sai quá nhiều lần vào tài khoản này từ nhiều nơi" in refused.content.decode()
    assert _through_nginx(world.client(), "huyen.dabac", "ocop-demo", "203.0.113.9")["Location"] == "/"


def test_behind_nginx_each_visitor_has_its_own_verification_allowance(world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    settings.OCOP_VERIFY_RATE = 2
    url = reverse("verify-search")

    def verify(address, forged=""):
        return world.client().get(url, REMOTE_ADDR=NGINX,
                                  HTTP_X_FORWARDED_FOR=f"{forged}, {address}" if forged else address)

    assert [verify("198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert verify("198.51.100.1", forged="203.0.113.77").status_code == 429  # a forged entry changes nothing
    assert verify("198.51.100.2").status_code == 200  # another visitor behind the same nginx


def test_rates_and_the_proxy_count_are_read_from_the_environment():
    import subprocess
    import sys

    code = ("import django, os; django.setup(); from django.conf import settings as s; "
            "print(s.OCOP_TRUSTED_PROXY_COUNT, s.OCOP_VERIFY_RATE, s.OCOP_CATALOG_RATE, s.OCOP_API_RATE, "
            "s.OCOP_LOGIN_USERNAME_FAILURE_LIMIT)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocop.settings", "OCOP_TRUSTED_PROXY_COUNT": "2",
           "OCOP_VERIFY_RATE": "7", "OCOP_CATALOG_RATE": "8", "OCOP_API_RATE": "9",
           "OCOP_LOGIN_USERNAME_FAILURE_LIMIT": "40"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "7", "8", "9", "40"]
