"""Helpers every list page uses: whitelisted sorting, pagination with a bounded page size and the page's context."""
from django.conf import settings
from django.core.paginator import Paginator


def sort_queryset(request, qs, allowed: dict[str, str], default: str):
    """Order by the `sort` parameter when it names an allowed column (`-name` sorts descending).

    Returns the ordered queryset and the key in effect, for the template's column headers.
    """
    key = request.GET.get("sort", default)
    field = allowed.get(key.lstrip("-"))
    if field is None:
        key, field = default, allowed[default.lstrip("-")]
    descending = key.startswith("-")
    fields = field if isinstance(field, (list, tuple)) else [field]
    return qs.order_by(*[("-" if descending else "") + f for f in fields], "pk"), key


def paginate(request, qs, per_page: int | None = None):
    paginator = Paginator(qs, per_page or settings.OCOP_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def is_filtered(request, form=None) -> bool:
    """Whether the user narrowed the list: a filter form's field has a value (without a form, any parameter
    but the sort and the page), for the "clear filters" link and the "nothing matches" message."""
    if form is not None:
        return any(request.GET.get(name) for name in form.fields)
    return any(value for key, value in request.GET.items() if key not in ("sort", "page"))


def list_context(request, qs, *, sort: str | None = None, form=None, per_page: int | None = None, **extra) -> dict:
    """A list page's context: the page of `qs` (already filtered and sorted), the sort key in effect (if sorted), the
    search query `q`, the filter form (if any) and whether it narrowed the list, and the query strings the column
    headers (`qs_nosort`) and the export link (`qs_nopage`) keep. `extra` adds to or overrides these."""
    context = {
        "page": paginate(request, qs, per_page), "q": request.GET.get("q", "").strip(),
        "filtered": is_filtered(request, form),
        "qs_nosort": querystring_without(request, "sort", "page"),
        "qs_nopage": querystring_without(request, "page"),
    }
    if sort is not None:
        context["sort"] = sort
    if form is not None:
        context["form"] = form
    return context | extra
