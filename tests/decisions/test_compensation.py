from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from decisions.compensation import Package, in_currency, total_compensation

D = Decimal


def test_total_adds_recurring_parts_and_the_signing_bonus_in_year_one():
    package = Package(
        base_salary=D(90_000),
        bonus=D(9_000),
        equity_per_year=D(5_000),
        signing_bonus=D(10_000),
        benefits_value=D(3_000),
    )
    assert total_compensation(package) == D(117_000)


def test_signing_bonus_is_spread_over_the_horizon():
    package = Package(base_salary=D(100_000), signing_bonus=D(20_000))
    assert total_compensation(package, horizon_years=4) == D(105_000)


def test_unknown_base_salary_gives_no_total():
    assert total_compensation(Package(base_salary=None, bonus=D(5_000))) is None


def test_horizon_below_one_year_is_refused():
    with pytest.raises(ValueError, match="horizon"):
        total_compensation(Package(base_salary=D(1)), horizon_years=0)


def test_conversion_rounds_to_cents():
    assert in_currency(D(78_000), rate=D("1.17")) == D("91260.00")
    assert in_currency(D(1), rate=D("0.333333")) == D("0.33")
    assert in_currency(None, rate=D(2)) is None


def test_conversion_refuses_a_rate_that_is_not_positive():
    with pytest.raises(ValueError, match="rate"):
        in_currency(D(1), rate=D(0))


@pytest.mark.parametrize("module", ["compensation.py"])
def test_domain_module_imports_nothing_from_django(module: str):
    source = (Path(__file__).parents[2] / "decisions" / module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] == "django"}
