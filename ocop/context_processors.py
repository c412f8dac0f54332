"""Template context every page needs: the navigation the user may use and his unread notifications."""
from functools import cache

from .registry import nav_for
from .selectors import notifications_unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    items = nav_for(user)
    return {
        "nav_items": [item for item in items if not item.more],
        "nav_more": [item for item in items if item.more],
        "nav_current": current,
        # Called by the template only where the bell is drawn (one query), never for fragments or PDFs.
        "notifications_unread": cache(lambda: notifications_unread_count(user)),
    }
