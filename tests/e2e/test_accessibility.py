"""Accessibility in the browser (WCAG 2.1, which Vietnam's public portals follow under circular 32/2017/TT-BTTTT):
axe-core finds no serious or critical violation on the public pages, on every page each demo login reaches from
its menu (and the first record of each list), or on any status badge the templates use; a council member fills
in and submits a scorecard with the keyboard alone.

The other journeys are checked too: the `page` fixture runs axe on every page they open (tests/e2e/a11y.py)."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from certificates.models import Certificate
from evaluation.models import Scorecard
from evaluation.tests.factories import option_of

from .a11y import axe_violations, report
from .test_evaluation_journey import ANSWERS, evaluation_journey_setup

# A list's first record: a link in its table or list group (not a sort header, a filter or a download).
FIRST_RECORD = ("main table tbody a[href^='/']:not([href*='pdf']):not([href*='xlsx']):not([href*='download']), "
                "main .list-group a[href^='/']")
NOT_VISITED = re.compile(r"/(pdf|xlsx|export|minutes|paper-sheets|paper-template|report|download)\b|/admin/")


def checked(page, paths) -> list:
    """Open each path and run axe on it: every serious or critical violation found, page by page."""
    page.a11y.paused = True  # checked here, page by page, rather than by the fixture's watch
    failing = []
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        failing += [v for v in axe_violations(page) if v.fails]
    return failing


def test_public_pages_have_no_serious_violation(demo_full, page):
    certificate = Certificate.objects.filter(revoked_on__isnull=True).order_by("pk").first()
    paths = ["/", "/accounts/login/", "/accounts/password_reset/", "/catalog/", "/catalog/?q=mien+dong",
             "/verify/", f"/verify/{certificate.number}/"]
    failing = checked(page, paths)
    page.goto(page.base_url + "/catalog/")
    product = page.locator("main a[href^='/catalog/'][href$='/']").first.get_attribute("href")
    failing += checked(page, [product])
    assert not failing, f"{len(failing)} violation(s):\n{report(failing)}"


@pytest.mark.parametrize("username", ["tinh.thainguyen", "xa.bachthong", "bo.nnmt", "tinh.backan", "huyen.bachthong",
                                      "hoidong.1", "htx.thienan"])
def test_every_menu_page_of_a_role_has_no_serious_violation(demo_full, page, login, username):
    login(username)
    menu = page.eval_on_selector_all(
        "#mainnav .navbar-nav.me-auto a.nav-link:not(.dropdown-toggle), #mainnav .navbar-nav.me-auto .dropdown-item",
        "links => links.map(a => a.getAttribute('href'))")
    seen, failing = set(), []
    for path in ["/", *menu, "/notifications/", "/accounts/password_change/"]:
        if path in seen:
            continue
        seen.add(path)
        failing += checked(page, [path])
        record = page.locator(FIRST_RECORD).first
        href = record.get_attribute("href") if record.count() else None
        if href and href not in seen and not NOT_VISITED.search(href):
            seen.add(href)
            failing += checked(page, [href])
    assert len(seen) >= 5
    assert not failing, f"{len(failing)} violation(s) on {len(seen)} pages:\n{report(failing)}"


def test_every_status_badge_has_enough_contrast(page):
    """Each `text-bg-*` colour a template gives a badge, drawn in a page with the site's styles: 4.5:1 at least.
    A white-on-yellow badge drawn beside them shows that the check would catch one that falls short."""
    kinds = set()
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        kinds |= set(re.findall(r"text-bg-(primary|secondary|success|danger|warning|info|light|dark)\b",
                                template.read_text(encoding="utf-8")))
    assert {"success", "warning", "danger", "secondary"} <= kinds
    page.a11y.paused = True  # the page gets a badge that fails on purpose; the public pages' test checks it
    page.goto(page.base_url + "/accounts/login/")
    page.evaluate("""kinds => {
      const box = document.createElement("div");
      box.id = "badge-samples";
      for (const kind of kinds) {
        const badge = document.createElement("span");
        badge.className = "badge me-1 text-bg-" + kind;
        badge.textContent = "Đã nộp " + kind;
        box.append(badge);
      }
      const control = document.createElement("span");
      control.id = "badge-control";
      control.className = "badge bg-warning text-white";
      control.textContent = "Đã nộp";
      box.append(control);
      document.querySelector("main").append(box);
    }""", sorted(kinds))
    failing = [v for v in axe_violations(page, "#badge-samples") if v.fails]
    assert [(v.rule, v.target) for v in failing] == [("color-contrast", "#badge-control")], report(failing)


# ---------------------------------------------------------------------------------------------
# The scoring page with the keyboard alone
# ---------------------------------------------------------------------------------------------

def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, most: int = 40) -> None:
    """Press Tab until the focus is on an element matching `selector` (within `most` presses)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{most} presses of Tab never reached {selector}")


def focus_shows(page) -> bool:
    """The focused element is drawn with a focus ring (an outline or Bootstrap's box-shadow)."""
    return page.evaluate("""() => {
      const style = getComputedStyle(document.activeElement);
      return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
    }""")


def test_member_scores_and_submits_a_scorecard_with_the_keyboard_only(demo, page):
    journey = evaluation_journey_setup()
    card = Scorecard.objects.get(evaluation=journey.scored, member__user__username="hoidong.1")
    expect.set_options(timeout=30000)

    # Log in: Tab to the fields, type, Enter.
    page.goto(page.base_url + "/accounts/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type("hoidong.1")
    page.keyboard.press("Tab")
    assert focused(page, "input[name=password]")
    page.keyboard.type("ocop-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(page.base_url + "/")

    # The scorecard (its address typed in): the first Tab shows the skip link, Enter jumps past the menu.
    page.goto(page.base_url + card.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert focused(page, "a.skip-link") and skip.is_visible()
    expect(skip).to_have_text("Chuyển đến nội dung chính")
    page.keyboard.press("Enter")
    assert focused(page, "#main")

    # Each criterion: Tab to its answers, Space picks the first, the arrow keys move to the one wanted.
    choices, total = ANSWERS["hoidong.1"]
    fieldsets = page.locator("#scoring fieldset[data-criterion]")
    assert fieldsets.count() == len(choices) == 5
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        code = fieldset.get_attribute("data-code")
        radios = fieldset.locator("input[type=radio]")
        tab_to(page, f"#criterion-{fieldset.get_attribute('data-criterion')} input[type=radio]")
        assert focused(page, f"#{radios.first.get_attribute('id')}"), code  # the group is entered at its first
        assert focus_shows(page), code
        wanted = option_of(journey.scored.sheet, code, choices[code]).pk
        ids = [radios.nth(i).get_attribute("id") for i in range(radios.count())]
        position = ids.index(f"option-{wanted}")
        if position == 0:
            page.keyboard.press("Space")
        for _ in range(position):
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#option-{wanted}")).to_be_checked()
        expect(fieldset.locator("[data-testid=save-status]")).to_have_text(re.compile("Đã lưu"))
    expect(page.locator("#total-overall")).to_have_text(total)
    expect(page.locator("#answered-count")).to_have_text("5")

    # Submit: Tab to the button, Enter, and confirm (the browser's dialog answers to Enter too).
    tab_to(page, "[data-testid=submit]")
    assert focus_shows(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=card-status]")).to_have_text("Đã nộp")
    card.refresh_from_db()
    assert (card.status, sorted(card.scores.values_list("points", flat=True))) == (
        "submitted", sorted(Decimal(points) for points in choices.values()))
    page.a11y.assert_clean()
