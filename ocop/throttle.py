"""A small per-client request limit for public pages (certificate verification, catalogue search).

Counts requests per client address and window in the cache (Redis in production, shared by every worker).
`client_address` is also the address django-axes locks logins by (AXES_CLIENT_IP_CALLABLE).
"""
import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render


def client_address(request) -> str:
    """The address of the client, whatever it writes in its headers.

    Without a proxy (OCOP_TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR. Behind N trusted proxies, each of which
    appends the address it received the request from to X-Forwarded-For (nginx's
    `$proxy_add_x_forwarded_for`), it is the N-th entry from the right: the one the outermost trusted proxy
    wrote. Entries further left were written by the client and are never believed (Werkzeug's
    `ProxyFix(x_for=N)` follows the same rule). A header shorter than the proxy count or an entry that is not
    an address means the request did not come through the proxies: REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.OCOP_TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return remote


def throttle(scope: str, *, setting: str, window: int = 60, as_json: bool = False):
    """Allow `settings.<setting>` requests per client per `window` seconds (settings declares each rate and
    reads it from the environment), else 429: a page, or for the API (`as_json`) the JSON its description gives."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = getattr(settings, setting)
            bucket = int(time.time() // window)
            key = f"throttle:{scope}:{client_address(request)}:{bucket}"
            if cache.add(key, 1, timeout=window + 1):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, timeout=window + 1)
                    count = 1
            if count > limit:
                if as_json:
                    response = JsonResponse({"error": "too many requests from this address", "retry_after": window},
                                            status=429)
                else:
                    response = render(request, "429.html", {"retry_after": window}, status=429)
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
