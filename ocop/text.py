"""Text folding for search without diacritics: "Miến dong Tài Hoan" and "mien dong tai hoan" match."""
import re

from django.db.models import Q
from unidecode import unidecode

_spaces = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, without diacritics (đ → d), single spaces."""
    if not text:
        return ""
    return _spaces.sub(" ", unidecode(str(text)).lower()).strip()


def search_q(query: str, field: str = "search_text") -> Q:
    """Every word of the query must appear in `field` (a folded copy kept by the model)."""
    q = Q()
    for word in fold(query).split(" "):
        if word:
            q &= Q(**{f"{field}__contains": word})
    return q
