"""A link the site shows opens for the user it is shown to: where a role may read a record but not the page of
a record it names (the list an idea was sent with, a certificate's decision, a decision's products), the name
is shown as text, and the roles who may open that page get the link."""
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from evaluation.models import Decision
from products.models import ProductIdea


@pytest.fixture
def client_of(users):
    """client_of("huyen.bachthong"): a client of its own, logged in as that demo user."""

    def login(username: str) -> Client:
        client = Client()
        client.force_login(users[username])
        return client

    return login


def links(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def opened(client, url: str) -> int:
    return client.get(url).status_code


def test_idea_sent_with_a_list_links_the_list_for_officials_only(client_of, demo_full):
    idea = ProductIdea.objects.get(product_name="Trà hoa vàng Thiên An")
    list_url = reverse("products:idea-list-detail", args=[idea.sent_list_id])
    officer, representative = client_of("huyen.bachthong"), client_of("htx.thienan")
    assert list_url in links(officer.get(idea.get_absolute_url()).content.decode())
    assert opened(officer, list_url) == 200
    page = representative.get(idea.get_absolute_url()).content.decode()
    assert list_url not in links(page) and str(idea.sent_list) in page
    assert opened(representative, list_url) == 404


def test_certificate_links_its_decision_for_officials_only(client_of, demo_full):
    # A certificate of Bạch Thông's 2023 decision (HTX Thiên An's 2026 one is Thái Nguyên's, out of his reach).
    certificate = Certificate.objects.filter(subject__name="Hợp tác xã Thiên An",
                                             decision__number="1568/QĐ-UBND").first()
    decision_url = certificate.decision.get_absolute_url()
    officer, representative = client_of("huyen.bachthong"), client_of("htx.thienan")
    assert decision_url in links(officer.get(certificate.get_absolute_url()).content.decode())
    assert opened(officer, decision_url) == 200
    page = representative.get(certificate.get_absolute_url()).content.decode()
    assert decision_url not in links(page) and certificate.decision_number in page
    assert opened(representative, decision_url) == 403


def test_decision_links_its_products_for_officials_only(client_of, demo_full):
    decision = Decision.objects.get(number="1568/QĐ-UBND")
    product = decision.items.select_related("product").first().product
    officer, member = client_of("huyen.bachthong"), client_of("hoidong.1")
    assert product.get_absolute_url() in links(officer.get(decision.get_absolute_url()).content.decode())
    assert opened(officer, product.get_absolute_url()) == 200
    page = member.get(decision.get_absolute_url()).content.decode()
    assert product.get_absolute_url() not in links(page) and product.name in page
    assert opened(member, product.get_absolute_url()) == 403


# ---------------------------------------------------------------------------------------------
# Every link each role is shown, followed from its home page
# ---------------------------------------------------------------------------------------------

# Downloads and generated files (their own tests read them), and links that act rather than show.
NOT_FOLLOWED = re.compile(r"/(pdf|xlsx|export|minutes|paper-sheets|paper-template|report|download)\b|"
                          r"/accounts/logout/|/i18n/|/admin/|^/static/|^/media/")
VARIANTS_PER_PATH = 3  # a list's sort and page links: a few are enough to check
PAGES_PER_ROLE = 400


def crawl(client: Client) -> dict[str, tuple[int, str]]:
    """Every page reachable from the home page through the site's own links: {url: (status, found on)}."""
    seen: dict[str, tuple[int, str]] = {}
    per_path: dict[str, int] = {}
    queue = [("/", "")]
    while queue and len(seen) < PAGES_PER_ROLE:
        url, found_on = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = (response.status_code, found_on)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in links(response.content.decode()):
            href = href.replace("&amp;", "&").split("#")[0]
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if not href.startswith("/") or href.startswith("//") or NOT_FOLLOWED.search(href) or href in seen:
                continue
            path = href.split("?")[0]
            if "?" in href:
                if per_path.get(path, 0) >= VARIANTS_PER_PATH:
                    continue
                per_path[path] = per_path.get(path, 0) + 1
            queue.append((href, url))
    return seen


@pytest.mark.parametrize("username", ["tinh.backan", "huyen.bachthong", "huyen.nari", "hoidong.1", "htx.thienan",
                                      "tinh.thainguyen", "xa.bachthong", "xa.conminh"])
def test_every_link_a_role_is_shown_opens(client_of, demo_full, username):
    cache.clear()  # the public pages' request counts (ocop/throttle.py): each role's crawl starts with none
    pages = crawl(client_of(username))
    broken = {url: found for url, found in pages.items() if found[0] != 200}
    assert len(pages) > 20  # the crawl went somewhere
    assert broken == {}, "status and the page that links there"
