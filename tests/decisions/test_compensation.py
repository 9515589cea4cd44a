from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from decisions.compensation import (
    VESTING_PRESETS,
    Package,
    annualised_total,
    first_year_total,
    in_currency,
    total_compensation,
    yearly_totals,
)

D = Decimal


def test_first_year_adds_every_part_and_the_whole_signing_bonus():
    package = Package(
        base_salary=D(90_000),
        bonus=D(9_000),
        equity_per_year=D(5_000),
        signing_bonus=D(10_000),
        benefits_value=D(3_000),
    )
    assert first_year_total(package) == D(117_000)


def test_annualised_total_spreads_the_signing_bonus_over_four_years():
    package = Package(base_salary=D(100_000), signing_bonus=D(20_000))
    assert annualised_total(package) == D(105_000)


def test_vesting_presets_each_vest_the_whole_grant():
    for shares in VESTING_PRESETS.values():
        assert sum(shares) == 100


def test_back_loaded_vesting_pays_little_equity_in_year_one():
    package = Package(base_salary=D(100_000), equity_per_year=D(10_000), vesting="back_loaded")
    assert yearly_totals(package) == [D(102_000), D(106_000), D(116_000), D(116_000)]
    # Over four years the schedule changes nothing: the same grant vests in full.
    assert annualised_total(package) == D(110_000)


def test_front_loaded_vesting_pays_most_equity_early():
    package = Package(base_salary=D(100_000), equity_per_year=D(10_000), vesting="front_loaded")
    assert first_year_total(package) == D(116_000)


def test_annual_raise_compounds_on_base_and_bonus():
    package = Package(base_salary=D(100_000), bonus=D(10_000), annual_raise=D(10))
    assert yearly_totals(package) == [D(110_000), D(121_000), D("133100.00"), D("146410.000")]


def test_unknown_base_salary_gives_no_total():
    assert first_year_total(Package(base_salary=None, bonus=D(5_000))) is None
    assert yearly_totals(Package(base_salary=None)) is None


@pytest.mark.parametrize("years", [0, 5])
def test_horizon_outside_one_to_four_years_is_refused(years: int):
    with pytest.raises(ValueError, match="horizon"):
        total_compensation(Package(base_salary=D(1)), horizon_years=years)


def test_an_unknown_vesting_preset_is_refused():
    with pytest.raises(ValueError, match="vesting"):
        yearly_totals(Package(base_salary=D(1), vesting="cliff"))


def test_conversion_rounds_to_cents():
    assert in_currency(D(78_000), rate=D("1.17")) == D("91260.00")
    assert in_currency(D(1), rate=D("0.333333")) == D("0.33")
    assert in_currency(None, rate=D(2)) is None


def test_conversion_refuses_a_rate_that_is_not_positive():
    with pytest.raises(ValueError, match="rate"):
        in_currency(D(1), rate=D(0))


@pytest.mark.parametrize("module", ["compensation.py", "scoring.py"])
def test_domain_module_imports_nothing_from_django(module: str):
    source = (Path(__file__).parents[2] / "decisions" / module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] == "django"}
