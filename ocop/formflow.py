"""What views share when a post calls a service: a form's refusal shown on the form, beside the fields it names;
a button's refusal shown in the page's messages; the success message once the service has acted."""
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_errors(form, exc: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """A service's refusal beside the fields it names; what names no field of the form goes on top.

    `fields` maps a name the service uses to the form's field that edits it (a subject chosen through a search
    box, say).
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        field = (fields or {}).get(key, key)
        form.add_error(field if field in form.fields else None, errors)


def _show_success(request, success: str | Callable, result) -> None:
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)


def saved_by(request, form, call: Callable, success: str | Callable = "", *, fields: dict[str, str] | None = None):
    """When the form is posted and valid, run `call()` (one service): a refusal goes on the form (`fields` as in
    `add_errors`), a success shows `success` (a text, or a function of what the service returned). Returns what
    the service returned, or None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as exc:
        add_errors(form, exc, fields=fields)
        return None
    _show_success(request, success, result)
    return result


def refusal_text(exc: ValidationError) -> str:
    """A refusal as one line of the page's messages."""
    return " ".join(exc.messages)


def acted_by(request, call: Callable, success: str | Callable = "", *,
             refusal: Callable[[ValidationError], str] = refusal_text):
    """Run `call()` (one service) for a button or a form whose refusal is not shown beside its fields: a refusal
    goes into the page's messages (`refusal(exc)`, its messages on one line unless told otherwise), a success
    shows `success` (a text, or a function of what the service returned).

    Returns what the service returned (True when it returns nothing), or None when it refused: `is None` always
    means nothing was done."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, refusal(exc))
        return None
    _show_success(request, success, result)
    return True if result is None else result
