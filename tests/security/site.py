"""The site's named URLs as the security tests see them: what each one is (page, download, action) and how to
request it (its address with the scope matrix's Bạch Thông records, and who may use it); what a page holds."""
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .test_scope_matrix import MATRIX

SKIPPED_NAMESPACES = {
    "admin": "Django admin: Django's own CSRF and headers; staff only (see test_scope_matrix)",
}
PUBLIC_GET_ONLY = {"health", "javascript-catalog", "catalog", "catalog-product", "catalog-photo", "api-products",
                   "api-certificate", "api-openapi", "verify", "verify-search"}
ANONYMOUS = {"login", "password_reset", "password_reset_done", "password_reset_complete"}
# The password-reset link's page: Django's own view, reached only with a signed token from the email.
NOT_REACHABLE = {"password_reset_confirm"}

# GET answers with a file.
DOWNLOADS = {
    "subjects:export", "products:idea-export", "products:province-lists-export", "products:idea-attachment",
    "products:export", "products:photo", "products:plan-export", "products:plan-document", "products:dossier-export",
    "products:dossier-document", "evaluation:score-document", "evaluation:council-export",
    "evaluation:sheet-list-export", "evaluation:sheet-download", "evaluation:session-results-xlsx",
    "evaluation:session-minutes-pdf", "evaluation:decision-pdf", "evaluation:session-paper-sheets",
    "evaluation:session-paper-template",
    "evaluation:decision-list-xlsx", "evaluation:nominations-xlsx", "evaluation:evaluation-roadmap-pdf",
    "evaluation:upgrade-list-xlsx", "certificates:export",
    "certificates:expiry-export", "certificates:pdf", "certificates:inspection-file", "dashboard:report",
    "promotion:event-export",
    "file-job-download", "certificates:import-sample",
}
# GET answers with a redirect or refuses the method: actions, not pages.
ACTIONS = {"logout", "set_language", "notifications-read-all", "products:plan-create", "products:idea-bulk-screen"} | {
    name for name, row in MATRIX.items() if row.method == "post"}


def named_patterns(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from named_patterns(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name])), pattern


def checked_names() -> list[str]:
    """Every named URL of the application's own pages (once each, in the URL configuration's order)."""
    names = []
    for name, _pattern in named_patterns():
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_GET_ONLY | NOT_REACHABLE or name in names:
            continue
        names.append(name)
    return names


def page_names() -> list[str]:
    return [name for name in checked_names() if name not in DOWNLOADS | ACTIONS]


def url_and_user(world, name: str) -> tuple[str, str | None]:
    """The URL (with Bạch Thông's record when it takes one) and the username that may use it (None: anonymous)."""
    row = MATRIX.get(name)
    if row is not None:
        records = world.areas.get("bachthong")
        return reverse(name, kwargs=row.kwargs(records, world)), getattr(records, row.control, None) or row.control
    return reverse(name), None if name in ANONYMOUS else "admin"


class PageScan(HTMLParser):
    """The forms of a page that post (and whether each carries the CSRF token), and its inline code (scripts,
    event-handler attributes, javascript: addresses) and inline style (style attributes, <style> elements)
    that the Content-Security-Policy would block."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.inline_code: list[str] = []
        self.inline_style: list[str] = []
        self._form: dict | None = None
        self._script: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.inline_code += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        if any((attrs.get(name) or "").strip().lower().startswith("javascript:") for name in ("href", "src", "action")):
            self.inline_code.append(f"<{tag} … javascript:>")
        if tag == "style":
            self.inline_style.append("<style>")
        elif "style" in attrs:
            self.inline_style.append(f"<{tag} style={attrs['style']!r}>")
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action", ""), "token": False}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name") == "csrfmiddlewaretoken":
            self._form["token"] = True
        elif tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self._script = ""

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "script" and self._script is not None:
            if self._script.strip():
                self.inline_code.append(f"<script>{self._script.strip()[:60]}</script>")
            self._script = None
