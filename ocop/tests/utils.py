"""Test helpers shared across apps."""
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    """How many queries `fn()` runs: the baseline a list view must keep with more rows."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The text of a PDF as pdftotext reads it (poppler-utils), on one line: what a user copying it would get.
    With `layout`, a table's cells are read along their rows (pdftotext -layout)."""
    import subprocess

    options = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def wait_for(condition, timeout: float = 120) -> bool:
    """Poll `condition()` every 0.2 s until it is true (True) or `timeout` seconds pass (False)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
