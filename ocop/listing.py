"""Helpers every list page uses: whitelisted sorting and pagination with a bounded page size."""
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
