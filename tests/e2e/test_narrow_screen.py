"""On a phone (375 px wide) the daily pages fit the screen: a wide table scrolls inside its box, the page itself
never pans sideways; and no page logs an error in the browser's console (a missing icon, a blocked script)."""
import pytest

from evaluation.selectors.councils import sessions_visible_to
from ocop.models import User

PHONE = {"width": 375, "height": 800}


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def phone(page, login):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.set_viewport_size(PHONE)
    page.console_errors = errors
    return page


@pytest.mark.parametrize(("username", "paths"), [
    ("tinh.backan", ["/", "/products/", "/products/ideas/", "/certificates/", "/dashboard/", "results"]),
    ("huyen.bachthong", ["/", "/products/", "/subjects/", "/promotion/", "results"]),
    ("hoidong.1", ["/", "/evaluation/"]),
    ("htx.thienan", ["/", "/certificates/"]),
])
def test_daily_pages_fit_a_phone_screen(demo_full, phone, login, username, paths):
    login(username)
    wide = {}
    for path in paths:
        urls = ([f"/evaluation/sessions/{pk}/results/" for pk in sessions_visible_to(
            User.objects.get(username=username)).order_by("pk").values_list("pk", flat=True)]
                if path == "results" else [path])
        for url in urls:
            assert phone.goto(phone.base_url + url).status == 200, url
            if overflow(phone) > 0:
                wide[url] = overflow(phone)
    assert wide == {}, "pixels wider than the screen"
    assert phone.console_errors == []
