"""The permission decorator every view uses: login first, then the rule, else 403."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, fn=None):
    """Anonymous users go to the login page; logged-in users without `perm` get 403.

    `fn(request, *args, **kwargs)` may return the object the rule is checked against.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = fn(request, *args, **kwargs) if fn else None
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
