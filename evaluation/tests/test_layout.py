"""Where things live in the evaluation app (issue 15): the pages' reads in evaluation/selectors/, no queryset and
no HTML built in a view."""
import ast
from pathlib import Path

import pytest

import evaluation

VIEWS = Path(evaluation.__file__).parent / "views"
# What builds a queryset (a read that belongs in the selectors), `Model.objects` first; filtering a selector's
# queryset by the key in the address, as get_object_or_404 does, is the view's.
QUERYSET_BUILDERS = {"objects", "select_related", "prefetch_related", "annotate", "aggregate", "order_by",
                     "values_list", "only", "defer", "distinct"}


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda path: path.name)
def test_views_build_no_queryset(path):
    found = [f"{node.lineno}: .{node.attr}" for node in ast.walk(_tree(path))
             if isinstance(node, ast.Attribute) and node.attr in QUERYSET_BUILDERS]
    assert found == []


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda path: path.name)
def test_views_name_no_model_manager(path):
    """Not even in a string or a comment: `.objects.` in a view is a read to move to the selectors."""
    assert ".objects." not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda path: path.name)
def test_views_build_no_html(path):
    tree = _tree(path)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert names & {"mark_safe", "format_html", "SafeString"} == set()
