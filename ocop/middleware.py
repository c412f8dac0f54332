"""Response headers Django 5.2 does not set by itself, the interface language, and addresses no page can read."""
from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .validators import BIG_INTEGER_MAX, CONTROL_CHARACTERS_RE, TYPED_CONTROL_CHARACTERS_RE


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header: no inline script, nothing from other origins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class LanguageMiddleware:
    """Vietnamese unless the user chose English with the switch (browser preferences are ignored:
    officials often work on browsers set up in English, and the programme's language is Vietnamese)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AddressHygieneMiddleware:
    """Refuse, before any view reads them, the addresses no page can answer: a control character (NUL and the
    other C0 characters, DEL) in the path or in a query parameter's name or value (a tab or line break in a
    value excepted: cells pasted from Excel into a search box bring them), or a value longer than any form
    takes. PostgreSQL refuses NUL in a string, so these were server errors wherever a parameter reached a
    query; now a plain page (JSON under /api/) says what is wrong, with status 400.

    A number in the path above the largest primary key names no record: 404 before the view runs (SQLite
    cannot even compare it)."""

    MAX_VALUE_LENGTH = 2000  # the longest search or filter a page offers is a few hundred characters

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = list(request.GET.lists())
        if CONTROL_CHARACTERS_RE.search(request.path) or any(
                CONTROL_CHARACTERS_RE.search(name) or any(TYPED_CONTROL_CHARACTERS_RE.search(v) for v in values)
                for name, values in params):
            return self.refuse(request, _("The address holds a control character (such as NUL): it cannot be "
                                          "read. Check the link or type the address again."))
        if any(len(value) > self.MAX_VALUE_LENGTH for _name, values in params for value in values):
            return self.refuse(request, _("A value in the address is longer than %(limit)s characters: it "
                                          "cannot be read.") % {"limit": self.MAX_VALUE_LENGTH})
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(isinstance(value, int) and value > BIG_INTEGER_MAX for value in (*view_args, *view_kwargs.values())):
            raise Http404
        return None

    @staticmethod
    def refuse(request, message):
        if request.path.startswith("/api/"):
            return JsonResponse({"error": str(message)}, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", {"message": message}, status=400)
