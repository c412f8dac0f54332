"""Fixtures of the promotion tests: the demo subjects and products (the `demo` fixture), certified as each
test needs, and helpers to read the pages."""
import re

import pytest

from products.models import Product


@pytest.fixture
def products(demo):
    """The demo products by name (HTX Thiên An's, Dền Vang's and Bản Dao's in Bạch Thông, Tài Hoan's in Na Rì)."""
    return {p.name: p for p in Product.objects.select_related("subject", "commune")}


def texts(html: str, testid: str) -> list[str]:
    """The text of each element marked data-testid=`testid` (a table row, a list item), tags dropped."""
    found = re.findall(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", inner).split()) for _tag, inner in found]


def row_names(html: str, testid: str) -> list[str]:
    """The text that opens the first cell of each row marked data-testid=`testid` (its link's, if any)."""
    return re.findall(rf'data-testid="{testid}"[^>]*>\s*<td[^>]*>(?:<a [^>]*>)?([^<]+)', html)
