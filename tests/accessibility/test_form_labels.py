"""Every control a page shows has a name a screen reader can read (WCAG 2.1, 1.3.1 and 4.1.2): a <label> for it,
or aria-label / aria-labelledby / title. Checked without a browser on one page of every view each role reaches
from its home page through the site's own links, and on the public pages (the browser journeys run axe-core on
the pages they open: tests/e2e/a11y.py)."""
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import Resolver404, resolve

from certificates.models import Certificate

NAMELESS_TYPES = {"hidden", "submit", "button", "reset", "image"}  # a button is named by its value or text
NOT_FOLLOWED = re.compile(r"/(pdf|xlsx|export|minutes|paper-sheets|paper-template|report|download)\b|"
                          r"\.(pdf|xlsx|csv|zip|jpg|png)$|/accounts/logout/|/i18n/|/admin/|^/static/|^/media/|^/api/")
PAGES_PER_ROLE = 250


class Controls(HTMLParser):
    """The form controls of a page, and which of them have a name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (attrs.get("type") or "text").lower() in NAMELESS_TYPES:
                return
            self.controls.append({**attrs, "tag": tag, "in_label": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self.open_labels:
            self.open_labels -= 1

    def nameless(self) -> list[str]:
        def named(c):
            return (c["in_label"] or (c.get("id") and c["id"] in self.label_for)
                    or any((c.get(a) or "").strip() for a in ("aria-label", "aria-labelledby", "title")))

        return [f'<{c["tag"]} name="{c.get("name", "")}" id="{c.get("id", "")}">' for c in self.controls
                if not named(c)]


def nameless_controls(html: str) -> list[str]:
    parser = Controls()
    parser.feed(html)
    return parser.nameless()


def view_of(url: str) -> str:
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return url
    return match.view_name


def crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """One page of each view reachable from `start` through the site's links: {url: its nameless controls}."""
    found: dict[str, list[str]] = {}
    views: set[str] = set()
    queue = list(start)
    while queue and len(found) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in found:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            found[url] = []
            continue
        html = response.content.decode()
        found[url] = nameless_controls(html)
        for href in re.findall(r'href="([^"]+)"', html):
            href = href.replace("&amp;", "&").split("#")[0]
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if not href.startswith("/") or href.startswith("//") or NOT_FOLLOWED.search(href):
                continue
            view = view_of(href)
            if view not in views:
                views.add(view)
                queue.append(href)
    return found


def test_nameless_controls_are_found():
    html = """<form><label for="id_a">A</label><input id="id_a" name="a">
      <label>B <select name="b"></select></label><textarea name="c" aria-label="C"></textarea>
      <input type="hidden" name="csrf"><input type="submit" value="OK">
      <input name="q" placeholder="Search"><select name="status"></select></form>"""
    assert nameless_controls(html) == ['<input name="q" id="">', '<select name="status" id="">']


@pytest.mark.parametrize("username", ["admin", "tinh.backan", "huyen.bachthong", "hoidong.1", "htx.thienan",
                                      "tinh.thainguyen", "xa.bachthong", "bo.nnmt"])
def test_every_control_a_role_is_shown_has_a_label(demo_full, users, username):
    cache.clear()
    client = Client()
    client.force_login(users[username])
    pages = crawl(client, ["/"])
    assert len(pages) > 8  # the crawl went somewhere
    assert {url: controls for url, controls in pages.items() if controls} == {}


def test_every_control_of_the_public_pages_has_a_label(demo_full):
    cache.clear()
    certificate = Certificate.objects.exclude(number="").order_by("pk").first()
    pages = crawl(Client(), ["/", "/accounts/login/", "/accounts/password_reset/", "/catalog/",
                             f"/verify/{certificate.number}/"])
    assert "/catalog/" in pages and f"/verify/{certificate.number}/" in pages
    assert {url: controls for url, controls in pages.items() if controls} == {}
