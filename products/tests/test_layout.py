"""Where things live in the products app (issue 15): the pages' reads in selectors.py, no HTML built in a view,
the idea statuses named by their groups and transitions on IdeaStatus rather than listed by hand."""
import ast
from pathlib import Path

import pytest

import products

APP = Path(products.__file__).parent
# What builds a queryset (a read that belongs in selectors.py); filtering a selector's queryset by the key in
# the address, as get_object_or_404 does, is the view's.
QUERYSET_BUILDERS = {"objects", "select_related", "prefetch_related", "annotate", "aggregate", "order_by",
                     "values_list", "only", "defer", "distinct"}


def _modules(*folders: str):
    for folder in folders:
        yield from sorted((APP / folder).glob("*.py")) if folder else sorted(APP.glob("*.py"))


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", list(_modules("views")), ids=lambda path: path.name)
def test_views_build_no_queryset(path):
    found = [f"{node.lineno}: .{node.attr}" for node in ast.walk(_tree(path))
             if isinstance(node, ast.Attribute) and node.attr in QUERYSET_BUILDERS]
    assert found == []


@pytest.mark.parametrize("path", list(_modules("views")), ids=lambda path: path.name)
def test_views_build_no_html(path):
    names = {node.id for node in ast.walk(_tree(path)) if isinstance(node, ast.Name)}
    names |= {alias.name for node in ast.walk(_tree(path)) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert names & {"mark_safe", "format_html", "SafeString"} == set()


def test_idea_statuses_are_never_listed_by_hand_outside_the_enum():
    """A tuple, list or set of IdeaStatus members is a status group: it belongs on IdeaStatus (EDITABLE,
    SCREENABLE, SCREENED, PLANNABLE) or in IdeaStatus.TRANSITIONS."""
    found = []
    for path in _modules("", "services", "views", "forms"):
        if path.name == "enums.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(
                    isinstance(element, ast.Attribute) and getattr(element.value, "id", None) == "IdeaStatus"
                    for element in node.elts):
                found.append(f"{path.relative_to(APP)}:{node.lineno}")
    assert found == []
