"""Hostile query and path parameters on every page, list, export and public URL: never a server error.

For each named URL that answers GET (the pages of tests/security/site.py, the exports, the public pages), the
parameters it knows are read from the page itself (the fields of its GET forms and the query keys of its
links to itself), with those the views read by hand (found in their source) and those the API documents. Then:
- a sweep: each kind of hostile value (NUL and other control characters, a right-to-left override, huge,
  negative and malformed numbers, wrong types, a very long string) in every one of them at once, then in
  each of the URL's own arguments;
- hypothesis: generated values in any of them and in the URL's own arguments, each request made by a role
  drawn among the demo users (the control user of the URL first, so the view runs past its permission check).
The page may refuse (400, 403, 404): it must never answer 500. The sweep also runs on the CI's PostgreSQL
leg, where NUL reaching a query was the server error of issue 14's finding 7.
"""
import os
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ROLES
from .site import DOWNLOADS, named_patterns, page_names, url_and_user
from .test_scope_matrix import MATRIX

# Derandomized: the same values every run (a failure is reproducible); `HYPOTHESIS_EXAMPLES` explores more.
FUZZ_SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 5)), deadline=None,
                         derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Downloads left out: PDFs rendered in the request (seconds each) and stored files; their arguments are
# records' keys, which the scope matrix requests already.
SLOW_OR_FILES = {"certificates:pdf", "evaluation:session-minutes-pdf", "evaluation:decision-pdf",
                 "evaluation:session-paper-sheets", "evaluation:score-document", "products:dossier-document",
                 "products:idea-attachment", "products:photo", "products:plan-document"}
PUBLIC = {"health", "javascript-catalog", "catalog", "catalog-product", "api-products", "api-certificate",
          "api-openapi", "verify", "verify-search"}
APPS = ("ocop", "subjects", "products", "evaluation", "certificates", "promotion")

HOSTILE = [
    "\x00", "a\x00b", "\x01", "\x1b[31m", "\x7f", "\r\n", "\t",
    "\u202eexe.fdp", "\u2066x\u2069", "\u200f", "\ufeff", "\U0001f600",
    "-1", "0", "-0", "00", "2147483647", "2147483648", "-2147483649", "32768", "9223372036854775808",
    "9" * 40, "9" * 5000, "1e309", "0x1f", "1.5", "1,5", "NaN", "inf", "²", "٣", "١٢٣",
    "true", "null", "[]", "{}", "a" * 3000, " ", "%", "%00", "../../etc/passwd", "2024-13-45", "31/02/2024",
    "<script>alert(1)</script>", "' OR '1'='1", "-", "--", "-name", "—",
]
# One of each kind, put in every parameter at once by the sweep.
SWEEP = ["\x00", "\x1b[31m", "\u202eexe.fdp", "-1", "2147483648", "9" * 40, "1e309", "²", "[]",
         "a" * 1999, "' OR '1'='1"]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.integers(min_value=-(2 ** 80), max_value=2 ** 80).map(str),
                   st.text(max_size=30))
# Values an int converter of a URL accepts (only digits match it): the rest is a 404 of the resolver.
DIGITS_SWEEP = ["0", "2147483648", "9" * 40]
DIGITS = st.one_of(st.sampled_from(["0", "00", "2147483648", "9223372036854775808", "9" * 40, "9" * 400]),
                   st.integers(min_value=0, max_value=2 ** 80).map(str))


class Parameters(HTMLParser):
    """The names a page offers for its own address: fields of its GET forms, query keys of its links."""

    def __init__(self, path: str):
        super().__init__()
        self.path, self.names, self._get_form = path, set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            link = urlsplit(attrs["href"])
            if link.query and link.path in ("", self.path):
                self.names |= {key for key, _value in parse_qsl(link.query, keep_blank_values=True)}

    def handle_endtag(self, tag):
        if tag == "form":
            self._get_form = False


def parameters_read_by_views() -> set[str]:
    """The query parameters the views read by hand (request.GET.get("cycle")...), whether or not a page shows
    them, and those the API documents: every URL gets them all."""
    from django.conf import settings as django_settings

    from promotion.views.public import openapi_document

    read = re.compile(r"""GET(?:\.get|\.getlist)?\(?\[?["'](\w+)["']""")
    names = {name for app in APPS for path in (django_settings.BASE_DIR / app).rglob("*.py")
             if "tests" not in path.parts for name in read.findall(path.read_text(encoding="utf-8"))}
    operations = openapi_document(RequestFactory().get("/"))["paths"].values()
    return names | {p["name"] for operation in operations for p in operation["get"]["parameters"]
                    if p["in"] == "query"}


def fuzzed_names() -> list[str]:
    """Every page, export and public URL; a record URL once the scope matrix has its row (its completeness
    test asks for one)."""
    patterns = dict(named_patterns())
    names = [*page_names(), *sorted(DOWNLOADS - SLOW_OR_FILES)]
    names += [name for name in patterns if name in PUBLIC and name not in names]
    return [name for name in names
            if name in PUBLIC or name in MATRIX or not patterns[name].pattern.regex.groups]


def _converters() -> dict:
    return {name: pattern.pattern.converters for name, pattern in named_patterns()}


def _public_kwargs(world, name) -> dict:
    certificate = world.areas["bachthong"].certificate
    return {"catalog-product": {"pk": certificate.product_id}, "api-certificate": {"number": certificate.number},
            "verify": {"number": certificate.number}}.get(name, {})


def _target(world, name):
    """(URL, username, the URL's arguments with their converters, the query parameters the page knows)."""
    if name in PUBLIC:
        kwargs, username = _public_kwargs(world, name), None
        url = reverse(name, kwargs=kwargs)
    else:
        url, username = url_and_user(world, name)
        row = MATRIX.get(name)
        kwargs = row.kwargs(world.areas["bachthong"], world) if row else {}
    response = world.client(username).get(url)
    known = parameters_read_by_views()
    if response.get("Content-Type", "").startswith("text/html"):
        scan = Parameters(urlsplit(url).path)
        scan.feed(response.content.decode())
        known |= scan.names
    known -= {"csrfmiddlewaretoken"}
    return url, username, kwargs, sorted(known)


def _path_with(name, kwargs, converters, argument, value):
    """The URL with one argument replaced by `value` (percent-encoded), whatever its converter accepts."""
    sentinel = {**kwargs, argument: 987654321 if converters[argument].regex == "[0-9]+" else "zzsentinelzz"}
    path = reverse(name, kwargs=sentinel)
    return path.replace(str(sentinel[argument]), quote(value, safe=""), 1)


@pytest.mark.parametrize("name", fuzzed_names())
def test_hostile_parameters_never_cause_a_server_error(world, name):
    url, username, kwargs, known = _target(world, name)
    converters = _converters()[name]
    client = world.client(username)
    sweep = [f"{urlsplit(url).path}?{urlencode(dict.fromkeys(known, value), quote_via=quote)}" for value in SWEEP]
    for argument in sorted(kwargs):
        values = DIGITS_SWEEP if converters[argument].regex == "[0-9]+" else SWEEP
        sweep += [_path_with(name, kwargs, converters, argument, value) for value in values]
    for address in sweep:
        cache.clear()  # the public pages' request counts: a throttled answer would hide the view
        response = client.get(address)
        assert response.status_code < 500, (address[:300], response.status_code)
    users = [username] if username is None else list(dict.fromkeys([username, "admin", *ROLES]))
    clients = {}

    @FUZZ_SETTINGS
    @given(data=st.data())
    def request(data):
        who = data.draw(st.sampled_from(users), label="user")
        path = urlsplit(url).path
        argument = data.draw(st.sampled_from([None, *sorted(kwargs)]), label="argument")
        if argument is not None:
            strategy = DIGITS if converters[argument].regex == "[0-9]+" else VALUES
            path = _path_with(name, kwargs, converters, argument, data.draw(strategy, label=argument))
        params = {key: data.draw(st.one_of(st.none(), VALUES), label=key) for key in known}
        query = urlencode({key: value for key, value in params.items() if value is not None}, quote_via=quote)
        if who not in clients:
            clients[who] = world.client(who)
        cache.clear()  # the public pages' request counts: a throttled answer would hide the view
        response = clients[who].get(f"{path}?{query}" if query else path)
        assert response.status_code < 500, (path, params, response.status_code)

    request()
