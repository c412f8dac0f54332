"""What every promotion page shares: the sorted and paginated list, service refusals shown on a form."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from ocop.listing import paginate, querystring_without, sort_queryset


def list_context(request, qs, sorts: dict, default: str, **extra) -> dict:
    """The page of `qs` in the requested order, and what the column headers and pagination need."""
    qs, sort = sort_queryset(request, qs, sorts, default)
    return {"page": paginate(request, qs), "sort": sort,
            "qs_nosort": querystring_without(request, "sort", "page"),
            "qs_nopage": querystring_without(request, "page"), **extra}


def add_errors(form, exc: ValidationError) -> None:
    """A service's refusal beside the fields it names; what names no field of the form goes on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def saved_by(request, form, call, success: str = ""):
    """When the form is posted and valid, run `call()` (one service): a refusal goes on the form, a success
    shows `success`. Returns what the service returned, or None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    if success:
        messages.success(request, success)
    return result


def next_url(request, default: str) -> str:
    """Where to go after a POST: the page it came from when that is on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default
