"""Template helpers shared by every list and detail page."""
from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts by `key` and shows the direction in effect."""
    current = context.get("sort", "")
    base = context.get("qs_nosort", "")
    if current == key:
        new, icon = "-" + key, "bi-sort-up"
    elif current == "-" + key:
        new, icon = key, "bi-sort-down"
    else:
        new, icon = key, ""
    query = (base + "&" if base else "") + urlencode({"sort": new})
    return format_html(
        '<a class="sort-link" href="?{}">{}{}</a>', query, label,
        format_html(' <i class="bi {}"></i>', icon) if icon else "",
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def stars(count):
    """★ repeated `count` times, for a star rating."""
    try:
        count = int(count)
    except (TypeError, ValueError):
        return ""
    return format_html('<span class="stars" title="{0}★">{1}</span>', count, "★" * count)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def audit_changes(entry):
    """An audit entry's changes in people's words (ocop.selectors.audit_changes)."""
    from ocop.selectors import audit_changes as changes

    return changes(entry)


@register.filter
def cycle_ended_on(cycle):
    """The last day of a cycle (of its year, or of its province when that ended first) once it has passed, else
    None: a past cycle has no current step any more (Bắc Kạn's 2024 cycle read in 2026)."""
    from django.utils import timezone

    last = cycle.year_span()[1]
    return last if last < timezone.localdate() else None
