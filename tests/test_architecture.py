"""The layout rules of DESIGN.md, checked on the source so that they stay true."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from decisions import kinds
from decisions.models import OFFER_PAY_FIELDS

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[Path]:
    return [
        path for path in sorted((ROOT / package).rglob("*.py")) if "migrations" not in path.parts
    ]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _top_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(path)}


@pytest.mark.parametrize("path", _modules("decisions"), ids=lambda p: str(p.relative_to(ROOT)))
def test_decisions_never_imports_messaging(path: Path):
    assert "messaging" not in _top_packages(path)


@pytest.mark.parametrize(
    "path", _modules("offerdesk/accounts"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_accounts_imports_neither_app(path: Path):
    assert not _top_packages(path) & {"decisions", "messaging"}


@pytest.mark.parametrize(
    "module", ["kinds", "scoring", "compensation", "deadlines", "weighting"], ids=lambda m: m
)
def test_the_pure_modules_import_no_django(module: str):
    assert "django" not in _top_packages(ROOT / "decisions" / f"{module}.py")


def _kind_codes_compared(path: Path) -> list[str]:
    """Comparisons (==, !=, in) of anything with a kind code written out as a string."""
    codes = set(kinds.KINDS)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Compare):
            continue
        for operand in (node.left, *node.comparators):
            strings = [operand] if isinstance(operand, ast.Constant) else []
            if isinstance(operand, ast.Tuple | ast.List | ast.Set):
                strings = list(operand.elts)
            found += [s.value for s in strings if isinstance(s, ast.Constant) and s.value in codes]
    return found


SOURCE = [
    path
    for package in ("decisions", "messaging", "offerdesk")
    for path in _modules(package)
    if path.name != "kinds.py"
]


@pytest.mark.parametrize("path", SOURCE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_kind_code_is_compared_outside_the_registry(path: Path):
    assert _kind_codes_compared(path) == []


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_neither_test_kinds_nor_list_pay_fields(path: Path):
    text = path.read_text()
    codes = "|".join(kinds.KINDS)
    assert not re.search(rf"""kind\s*(==|!=|in)\s*[\[('"]+({codes})""", text)
    # A list of two or more pay field names in a template is a second copy of the rule.
    quoted = re.findall(r"""["']([a-z_]+)["']""", text)
    assert len(set(quoted) & set(OFFER_PAY_FIELDS)) < 2, "pay fields listed in a template"


@pytest.mark.parametrize(
    "path",
    [*_modules("decisions/services"), ROOT / "messaging/services.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_services_take_named_typed_inputs_not_loose_keywords(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            assert node.args.kwarg is None, f"{node.name} takes **{node.args.kwarg.arg}"
