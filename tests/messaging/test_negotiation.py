from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messaging import negotiation
from messaging.negotiation import asks, default_gap, in_offer_currency, round_step, within_reach

ROOT = Path(__file__).resolve().parents[2]

gaps = st.floats(min_value=0.01, max_value=negotiation.MAX_GAP, allow_nan=False)
salaries = st.one_of(st.none(), st.floats(min_value=0, max_value=5_000_000, allow_nan=False))


@given(gap=gaps, base_salary=salaries)
def test_the_variants_are_ordered_whole_and_never_below_the_gap(gap, base_salary):
    found = asks(gap, base_salary=base_salary)
    assert gap <= found.conservative < found.realistic < found.ambitious
    for figure in (found.conservative, found.realistic, found.ambitious):
        assert isinstance(figure, int)
        assert figure % round_step(gap) == 0


@given(gap=gaps)
def test_the_conservative_figure_is_the_gap_rounded_up_by_less_than_a_step(gap):
    found = asks(gap)
    assert found.conservative - gap < round_step(gap)


@given(gap=gaps, base_salary=st.floats(min_value=1, max_value=5_000_000, allow_nan=False))
def test_the_ambitious_figure_stays_within_a_tenth_of_base_above_the_realistic(gap, base_salary):
    found = asks(gap, base_salary=base_salary)
    step = round_step(gap)
    cap = found.realistic + negotiation.round_up(base_salary * 0.10, step)
    assert found.ambitious <= max(cap, found.realistic + step)


def test_a_gap_of_9500_asks_10000_then_12000_then_15000():
    found = asks(9_500, base_salary=120_000)
    assert (found.conservative, found.realistic, found.ambitious) == (10_000, 12_000, 15_000)
    assert found.of("realistic") == 12_000


def test_a_modest_base_salary_holds_the_stretch_back():
    found = asks(Decimal(15_000), base_salary=Decimal(40_000))
    assert found.realistic == 18_000
    assert found.ambitious == 22_000  # not 23,000: a tenth of base above the realistic


def test_an_unknown_variant_is_a_key_error():
    with pytest.raises(KeyError):
        asks(1_000).of("greedy")


@pytest.mark.parametrize("gap", [0, -5, float("nan"), negotiation.MAX_GAP + 1])
def test_a_gap_that_is_no_gap_is_refused(gap):
    with pytest.raises(ValueError, match="gap"):
        asks(gap)


def test_a_gap_in_the_decisions_currency_converts_up_to_whole_units():
    assert in_offer_currency(9_500, rate_to_base=Decimal("1.25")) == 7_600
    assert in_offer_currency(100, rate_to_base=3) == 34
    with pytest.raises(ValueError, match="exchange rate"):
        in_offer_currency(100, rate_to_base=0)


def test_without_a_gap_the_first_ask_is_a_twentieth_of_base_rounded_up():
    assert default_gap(Decimal(83_000)) == 5_000
    assert default_gap(None) is None
    assert default_gap(0) is None


def test_the_module_imports_nothing_from_django():
    script = (
        "import sys; import messaging.negotiation; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "[]"


def test_a_gap_above_15_percent_of_base_is_out_of_reach():
    assert within_reach(15_000, 100_000)
    assert not within_reach(15_001, 100_000)
    assert within_reach(1_000_000, None)
