"""Permissions have one home, each app's rules.py, and every permission the code asks for is declared there.

django-rules answers "no" for a name nobody registered, so a permission that is registered only when some
other module happens to be imported (or never) denies silently. These tests read the source: registrations
outside rules.py fail, and so does a permission that views, navigation or templates check but that is not
registered once Django has started.
"""
import ast
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("ocop", "subjects", "products", "evaluation", "certificates", "promotion")
SKIPPED_DIRS = {"tests", "node_modules", "static", "media", "locale"}

# Registering a permission, a rule set entry or a predicate (django-rules' API).
REGISTRATION = re.compile(
    r"\b(?:add_perm|add_rule|add_rule_set|set_perm|set_rule)\s*\(|@(?:rules\.)?predicate\b|\brules\.predicate\(")
PERMISSION_NAME = re.compile(r"^(?:%s)\.[a-z][a-z0-9_]*$" % "|".join(APPS))
# The calls that check a permission by name, besides the project's helpers found by their `perm` parameter.
CHECKS = {"has_perm", "has_perms", "permission_required"}
PERMISSION_PARAMETERS = {"perm", "perms", "permission"}
TEMPLATE_CHECKS = (
    re.compile(r"\bperms\.((?:%s)\.[a-z][a-z0-9_]*)" % "|".join(APPS)),  # {% if perms.app.name %}
    re.compile(r"{%\s*(?:has_perm|test_perm)\s+[\"']([^\"']+)[\"']"),  # {% has_perm "app.name" user obj as x %}
)


def _source_files() -> list[Path]:
    """The project's Python modules, without tests, conftest files and the virtualenv."""
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(part.startswith(".") or part in SKIPPED_DIRS for part in parts[:-1]):
            continue
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        files.append(path)
    return files


def _is_rules_module(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return len(parts) == 2 and parts[0] in APPS and parts[1] == "rules.py"


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _permission_checkers(trees) -> set[str]:
    """has_perm and friends, and every project function or dataclass taking a permission name (NavItem,
    the views' `_session_with_perm(request, pk, perm)`...)."""
    names = set(CHECKS)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if any(a.arg in PERMISSION_PARAMETERS for a in arguments):
                    names.add(node.name)
            elif isinstance(node, ast.ClassDef):
                fields = {s.target.id for s in node.body if isinstance(s, ast.AnnAssign)
                          and isinstance(s.target, ast.Name)}
                if fields & PERMISSION_PARAMETERS:
                    names.add(node.name)
    return names


def _strings(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [value for element in node.elts for value in _strings(element)]
    return []


def permissions_checked() -> dict[str, list[str]]:
    """Every permission name the code checks, with the places (path:line) that check it."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for path in _source_files()}
    checkers = _permission_checkers(trees.values())
    found = defaultdict(list)
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee(node) not in checkers:
                continue
            for argument in list(node.args) + [keyword.value for keyword in node.keywords]:
                for value in _strings(argument):
                    if PERMISSION_NAME.match(value):
                        found[value].append("%s:%s" % (path.relative_to(ROOT), node.lineno))
    for path in sorted(ROOT.rglob("*.html")) + sorted(ROOT.rglob("*.txt")):
        if any(part.startswith(".") for part in path.relative_to(ROOT).parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in TEMPLATE_CHECKS:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found[match.group(1)].append("%s:%s" % (path.relative_to(ROOT), line))
    return dict(found)


def _registered_at_start_up(names) -> list[str]:
    """The names django-rules knows in a fresh process that has only run django.setup(), as manage.py and
    the WSGI server do before the first request (no view, URL module or test module imported)."""
    script = ("import json, sys, django; django.setup(); import rules; "
              "print(json.dumps([n for n in json.load(sys.stdin) if rules.perm_exists(n)]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocop.settings"}
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(sorted(names)), capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_permissions_registered_only_in_rules_modules():
    outside = []
    for path in _source_files():
        if _is_rules_module(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if REGISTRATION.search(line):
                outside.append("%s:%s: %s" % (path.relative_to(ROOT), number, line.strip()))
    assert outside == []


def test_rules_modules_import_without_fallback():
    """A rules module that swallows an ImportError would leave its permissions unregistered, hence denied."""
    fallbacks = []
    for path in _source_files():
        if not _is_rules_module(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and "ImportError" in ast.unparse(node.type or ast.Name("")):
                fallbacks.append("%s:%s" % (path.relative_to(ROOT), node.lineno))
    assert fallbacks == []


def test_permissions_checked_are_found_in_every_form():
    """The scan itself: it finds names in views (decorator, has_perm, the views' helpers), navigation and
    templates, so the next test cannot pass by finding nothing."""
    found = permissions_checked()

    def files(name):
        return sorted({place.split(":")[0] for place in found.get(name, [])})

    assert files("promotion.view_dashboard") == ["promotion/apps.py", "promotion/views/dashboard.py"]
    assert "evaluation/views/results.py" in files("evaluation.import_paper_scores")  # _session_with_perm
    assert files("promotion.change_salespoint") == ["promotion/views/outlets.py"]  # _sales_point_for
    assert files("evaluation.view_scoring_nav") == ["evaluation/home.py"]  # NavItem
    assert "templates/certificates/list.html" in files("certificates.import_register")  # {% if perms... %}
    assert "products/views/catalog.py" in files("products.add_plan")  # request.user.has_perm(...)


def test_permissions_checked_are_registered_at_start_up():
    found = permissions_checked()

    registered = _registered_at_start_up(found)

    missing = sorted("%s (checked at %s)" % (name, ", ".join(places))
                     for name, places in found.items() if name not in registered)
    assert missing == []
