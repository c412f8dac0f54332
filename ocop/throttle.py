"""A small per-client request limit for public pages (certificate verification, catalogue search).

Counts requests per client address and window in the cache (Redis in production, shared by every worker).
"""
import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str:
    if getattr(settings, "OCOP_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def throttle(scope: str, *, setting: str, default: int, window: int = 60):
    """Allow `settings.<setting>` requests (default `default`) per client per `window` seconds, else 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = getattr(settings, setting, default)
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
                response = render(request, "429.html", {"retry_after": window}, status=429)
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
