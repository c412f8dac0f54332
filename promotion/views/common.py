"""What every promotion page shares: the sorted and paginated list, where to go after a POST."""
from django.utils.http import url_has_allowed_host_and_scheme

from ocop.listing import paginate, querystring_without, sort_queryset


def list_context(request, qs, sorts: dict, default: str, **extra) -> dict:
    """The page of `qs` in the requested order, and what the column headers and pagination need."""
    qs, sort = sort_queryset(request, qs, sorts, default)
    return {"page": paginate(request, qs), "sort": sort,
            "qs_nosort": querystring_without(request, "sort", "page"),
            "qs_nopage": querystring_without(request, "page"), **extra}


def next_url(request, default: str) -> str:
    """Where to go after a POST: the page it came from when that is on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default
