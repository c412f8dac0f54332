"""Browser journeys: Playwright's Python package driving Debian's Chromium (no browser download)."""
import os
import shutil

import pytest

from .a11y import AccessibilityWatch

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by fixtures in the
# same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every browser test is transactional (live_server): see the root conftest's `reference_data`."""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.AXES_ENABLED = False
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(60000)
    # axe-core checks every page the journey opens (tests/e2e/a11y.py); the test fails at its teardown if one
    # has a serious or critical accessibility violation.
    watch = AccessibilityWatch(context)
    page = context.new_page()
    page.base_url = live_server.url
    page.a11y = watch
    yield page
    context.close()
    watch.assert_clean()


@pytest.fixture
def login(page):
    def do_login(username, password="ocop-demo"):
        page.goto(page.base_url + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_url(page.base_url + "/")
        return page

    return do_login
