"""Test helpers shared across apps."""
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    """How many queries `fn()` runs: the baseline a list view must keep with more rows."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)
