"""What views share when a posted form calls a service: the service's refusal shown on the form, beside the
fields it names, and the success message once it has saved."""
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


def saved_by(request, form, call: Callable, success: str | Callable = ""):
    """When the form is posted and valid, run `call()` (one service): a refusal goes on the form, a success
    shows `success` (a text, or a function of what the service returned). Returns what the service returned,
    or None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return result
