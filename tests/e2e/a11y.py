"""Accessibility in the browser: axe-core (vendored for the tests only) checks the pages the journeys open.

Vietnam's public portals follow WCAG 2.1 (circular 32/2017/TT-BTTTT): a page passes when axe finds no serious
or critical violation of WCAG 2.1 A/AA or of axe's best practices. `assert_accessible(page)` checks the page
as it is now; `AccessibilityWatch` checks every page a browser context loads, and the `page` fixture of
tests/e2e/conftest.py fails a journey at its teardown if one of the pages it opened did not pass.

Set OCOP_A11Y_LOG to a file to append every violation found (every impact) as a JSON line, to count them.
"""
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = frozenset({"serious", "critical"})
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
# Runs in the page: axe's violations flattened to one row per element, with the check's own message
# (e.g. the contrast ratio it measured) rather than the generic rule text.
# Runs are chained in the page: the watch's run on a page's load and a test's own run on the same page may overlap,
# and axe refuses to start while it is running.
# A colour measured while a transition runs (a button the journey has just pressed, fading to its hover colours) is
# no colour anyone reads: a contrast finding is measured again once the page's transitions have finished, and only
# what still fails is kept.
RUN_AXE = """async ([context, options]) => {
  const settled = () => Promise.race([
    Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 1000))]);
  const axeRun = (opts) => {
    const run = (window.__axeRuns || Promise.resolve()).catch(() => null)
      .then(() => window.axe.run(context || document, opts));
    window.__axeRuns = run;
    return run;
  };
  const results = await axeRun(options);
  if (results.violations.some(rule => rule.id === "color-contrast")) {
    await settled();
    const again = await axeRun({...options, runOnly: {type: "rule", values: ["color-contrast"]}});
    results.violations = results.violations.filter(rule => rule.id !== "color-contrast").concat(again.violations);
  }
  return results.violations.flatMap(rule => rule.nodes.map(node => {
    const check = [...node.any, ...node.all, ...node.none][0];
    return {rule: rule.id, impact: node.impact || rule.impact || "", target: node.target.join(" "),
            summary: check ? check.message : rule.help};
  }));
}"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    target: str
    summary: str
    url: str = ""

    @property
    def fails(self) -> bool:
        return self.impact in FAILING_IMPACTS

    def __str__(self) -> str:
        return f"{self.url} [{self.rule}, {self.impact}] {self.target}: {self.summary}"


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def axe_violations(page, context: str | None = None) -> list[Violation]:
    """Every violation axe finds on the page as it is now (within the CSS selector `context` if given).

    axe is evaluated through the DevTools protocol, which the Content-Security-Policy does not restrict, so the
    page is checked under the same policy its users get."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    rows = page.evaluate(RUN_AXE, [context, AXE_OPTIONS])
    url = _path(page.url)
    found = [Violation(url=url, **row) for row in rows]
    log = os.environ.get("OCOP_A11Y_LOG")
    if log and found:
        with open(log, "a", encoding="utf-8") as handle:
            for violation in found:
                handle.write(json.dumps(asdict(violation), ensure_ascii=False) + "\n")
    return found


def report(violations) -> str:
    return "\n".join(f"  {v}" for v in violations)


def assert_accessible(page, context: str | None = None) -> None:
    """Fail listing every serious or critical violation on the page as it is now (rule, element, summary)."""
    failing = [v for v in axe_violations(page, context) if v.fails]
    assert not failing, f"{len(failing)} accessibility violation(s) on {_path(page.url)}:\n{report(failing)}"


class AccessibilityWatch:
    """Runs axe on every HTML page a browser context loads (each navigation, in every tab it opens) and keeps
    the serious and critical violations by page; `assert_clean()` fails listing them.

    The check runs from the page's load event, while the journey goes on: a page the journey leaves before axe
    has finished is counted in `unchecked`, not failed."""

    def __init__(self, context):
        self.checked: list[str] = []
        self.unchecked: list[str] = []
        self.failing: dict[tuple[str, str, str], Violation] = {}
        self.paused = False
        for page in context.pages:
            self.watch(page)
        context.on("page", self.watch)

    def watch(self, page) -> None:
        page.on("load", self.check)

    def check(self, page) -> None:
        if self.paused or not page.url.startswith("http"):
            return
        try:
            if page.evaluate("document.contentType") != "text/html":
                return
            violations = axe_violations(page)
        except PlaywrightError:
            # The journey moved on (navigated, closed the tab) while axe was running.
            self.unchecked.append(_path(page.url))
            return
        self.checked.append(_path(page.url))
        for violation in violations:
            if violation.fails:
                self.failing.setdefault((violation.url, violation.rule, violation.target), violation)

    def assert_clean(self) -> None:
        failing = list(self.failing.values())
        assert not failing, (
            f"{len(failing)} accessibility violation(s) on the {len({v.url for v in failing})} page(s) below "
            f"(axe-core, WCAG 2.1 A/AA, serious or critical; {len(self.checked)} page loads checked):\n"
            f"{report(failing)}")
