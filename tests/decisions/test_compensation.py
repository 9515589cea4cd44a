from __future__ import annotations

import ast
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decisions.compensation import (
    DEFAULT_VALUED_PERCENT,
    EQUITY_KINDS,
    HORIZON_YEARS,
    MAX_CLIFF_MONTHS,
    VESTING_PRESETS,
    Crossover,
    Package,
    annualised_total,
    crossover,
    crossover_text,
    cumulative_totals,
    equity_text,
    first_year_total,
    guaranteed_total,
    guaranteed_totals,
    in_currency,
    living_adjusted,
    option_spread,
    rebased_rates,
    total_compensation,
    variable_totals,
    vested_percent,
    walk_away,
    yearly_salary,
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


# Year by year ------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10_000_000).map(Decimal)
packages = st.builds(
    Package,
    base_salary=amounts,
    bonus=amounts,
    equity_per_year=amounts,
    signing_bonus=amounts,
    benefits_value=amounts,
    vesting=st.sampled_from(sorted(VESTING_PRESETS)),
    annual_raise=st.integers(min_value=0, max_value=500).map(lambda tenths: D(tenths) / 10),
    cliff_months=st.integers(min_value=0, max_value=MAX_CLIFF_MONTHS),
    refresher_per_year=amounts,
    equity_kind=st.sampled_from(EQUITY_KINDS),
    equity_valued_percent=st.none() | st.integers(min_value=0, max_value=100).map(Decimal),
    # Every kind may carry prices; only options read them.
    share_price=st.integers(min_value=1, max_value=10_000).map(lambda cents: D(cents) / 100),
    strike_price=st.integers(min_value=0, max_value=10_000).map(lambda cents: D(cents) / 100),
)


@given(packages)
def test_the_years_add_up_to_the_four_year_total(package: Package):
    totals = yearly_totals(package)
    assert totals is not None
    running = cumulative_totals(totals)
    assert len(totals) == len(running) == HORIZON_YEARS
    assert running[-1] == sum(totals, D(0))
    # The four-year average times four, up to the last digit of Decimal's precision.
    assert abs(running[-1] - annualised_total(package) * HORIZON_YEARS) < D("0.000001")
    assert running[0] == first_year_total(package)


@given(packages)
def test_what_has_been_paid_never_goes_down(package: Package):
    running = cumulative_totals(yearly_totals(package) or [])
    assert running == sorted(running)


def test_cumulative_totals_run_year_by_year():
    assert cumulative_totals([D(10), D(20), D(30), D(40)]) == [D(10), D(30), D(60), D(100)]


def test_an_offer_that_pays_less_at_first_but_more_from_year_three_crosses_over():
    steady = [D(100_000)] * 4
    growing = [D(90_000), D(98_000), D(110_000), D(120_000)]
    assert crossover(steady, growing) == Crossover(from_year=3, ahead_by=D(18_000))


def test_a_lead_that_comes_and_goes_counts_from_the_year_it_stays():
    steady = [D(100)] * 4
    uneven = [D(90), D(120), D(95), D(130)]
    assert crossover(steady, uneven) == Crossover(from_year=4, ahead_by=D(35))


def test_no_crossover_when_the_offer_never_pays_more_or_pays_more_from_the_start():
    steady = [D(100)] * 4
    assert crossover(steady, [D(90)] * 4) is None
    assert crossover(steady, [D(110)] * 4) is None
    assert crossover(steady, [D(100), D(120), D(120), D(120)]) is None
    assert crossover(steady, [D(90), D(120), D(120), D(100)]) is None


def test_years_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same number of years"):
        crossover([D(1)] * 4, [D(1)] * 3)


@given(st.lists(amounts, min_size=4, max_size=4), st.lists(amounts, min_size=4, max_size=4))
def test_a_crossover_says_what_the_years_show(higher: list[Decimal], lower: list[Decimal]):
    crossing = crossover(higher, lower)
    if crossing is None:
        return
    assert lower[0] < higher[0]
    years_ahead = range(crossing.from_year - 1, HORIZON_YEARS)
    assert all(lower[year] > higher[year] for year in years_ahead)
    assert lower[crossing.from_year - 2] <= higher[crossing.from_year - 2]
    assert crossing.ahead_by == cumulative_totals(lower)[-1] - cumulative_totals(higher)[-1]


def _dollars(amount: Decimal) -> str:
    return f"${amount:,.0f}"


def test_the_crossover_in_words():
    ahead = crossover_text(
        Crossover(from_year=3, ahead_by=D(18_000)), lower="Beta", higher="Acme", show=_dollars
    )
    assert ahead == (
        "Beta pays less than Acme in year 1 but more from year 3; "
        "by year 4 it is $18,000 ahead in total."
    )
    behind = crossover_text(
        Crossover(from_year=4, ahead_by=D(-2_500)), lower="Beta", higher="Acme", show=_dollars
    )
    assert behind.endswith("by year 4 it is still $2,500 behind in total.")
    even = crossover_text(Crossover(from_year=2, ahead_by=D(0)), lower="B", higher="A", show=str)
    assert even.endswith("by year 4 the two have paid the same in total.")


# Cliff, refreshers and leaving early ------------------------------------------------

GRANTED = Package(
    base_salary=D(120_000), equity_per_year=D(24_000), signing_bonus=D(6_000), cliff_months=12
)


@given(packages, st.integers(min_value=0, max_value=MAX_CLIFF_MONTHS))
def test_a_cliff_never_changes_the_years_only_what_leaving_early_takes(
    package: Package, cliff: int
):
    other = replace(package, cliff_months=cliff)
    assert yearly_totals(other) == yearly_totals(package)
    assert annualised_total(other) == annualised_total(package)
    assert walk_away(other, 12) == walk_away(package, 12)
    assert walk_away(other, 24) == walk_away(package, 24)


@given(packages)
def test_staying_four_years_takes_the_four_year_total(package: Package):
    assert abs(walk_away(package, 48) - sum(yearly_totals(package), D(0))) < D("0.000001")


@given(packages, st.integers(min_value=1, max_value=47))
def test_staying_longer_never_takes_less(package: Package, months: int):
    assert walk_away(package, months) <= walk_away(package, months + 1)


def test_leaving_before_the_cliff_takes_no_equity():
    # Six months of pay and the signing bonus; the grant's first year vests at month 12.
    assert walk_away(GRANTED, 6) == D(66_000)
    assert walk_away(replace(GRANTED, cliff_months=0), 6) == D(78_000)
    assert walk_away(GRANTED, 12) == D(150_000) == first_year_total(GRANTED)
    assert walk_away(GRANTED, 24) == D(294_000)


def test_vesting_builds_month_by_month_after_the_cliff():
    package = replace(GRANTED, cliff_months=6, vesting="front_loaded")
    assert vested_percent(package, 5) == 0
    assert vested_percent(package, 6) == 20
    assert vested_percent(package, 18) == 55
    assert vested_percent(package, 48) == 100


def test_refreshers_pay_from_year_two():
    package = Package(base_salary=D(100_000), refresher_per_year=D(10_000))
    assert yearly_totals(package) == [D(100_000), D(110_000), D(110_000), D(110_000)]
    assert walk_away(package, 18) == D(155_000)


@pytest.mark.parametrize("cliff", [-1, 13])
def test_a_cliff_outside_a_year_is_refused(cliff: int):
    with pytest.raises(ValueError, match="cliff"):
        yearly_totals(Package(base_salary=D(1), cliff_months=cliff))


@pytest.mark.parametrize("months", [0, 49])
def test_leaving_outside_the_four_years_is_refused(months: int):
    with pytest.raises(ValueError, match="Leave after"):
        walk_away(GRANTED, months)


def test_no_walk_away_figure_without_a_base_salary():
    assert walk_away(Package(base_salary=None), 6) is None


@given(
    st.integers(min_value=0, max_value=10_000_000_000).map(lambda cents: D(cents) / 100),
    st.integers(min_value=1, max_value=10_000_000).map(lambda millionths: D(millionths) / 10**6),
)
def test_converting_there_and_back_gives_the_amount_to_the_cent(amount: Decimal, rate: Decimal):
    there = in_currency(amount, rate=rate)
    back = in_currency(there, rate=1 / rate)
    # Each conversion rounds to a cent; the way back scales the first rounding by 1/rate.
    assert abs(back - amount) <= D("0.005") * (1 + 1 / rate) + D("0.0000001")


# Equity by kind ---------------------------------------------------------------------

PRIVATE = Package(base_salary=D(100_000), equity_per_year=D(20_000), equity_kind="private")


@given(packages)
def test_equity_valued_at_its_full_value_counts_as_listed_shares(package: Package):
    # A private grant, or options with nothing to pay for them, valued at 100% is worth
    # what the same grant of listed shares is: the discount is all that sets them apart.
    listed = replace(package, equity_kind="rsu", equity_valued_percent=None)
    for kind in ("private", "options"):
        full = replace(package, equity_kind=kind, equity_valued_percent=D(100), strike_price=D(0))
        assert yearly_totals(full) == yearly_totals(listed)
        assert walk_away(full, 30) == walk_away(listed, 30)


def test_private_shares_count_at_the_default_half_unless_the_candidate_says():
    assert DEFAULT_VALUED_PERCENT["private"] == DEFAULT_VALUED_PERCENT["options"] == D(50)
    assert DEFAULT_VALUED_PERCENT["rsu"] == D(100)
    # 80,000 of a grant vesting evenly: 20,000 a year at full value, 10,000 at half.
    assert yearly_totals(PRIVATE) == [D(110_000)] * 4
    assert yearly_totals(replace(PRIVATE, equity_valued_percent=D(25))) == [D(105_000)] * 4
    assert yearly_totals(replace(PRIVATE, equity_valued_percent=D(0))) == [D(100_000)] * 4


def test_options_are_worth_what_the_share_is_above_the_strike():
    options = replace(PRIVATE, equity_kind="options", share_price=D(5), strike_price=D(2))
    # 20,000 a year of shares at 5 is 4,000 shares; each option is worth 3 of the 5,
    # and at the default 50% that is 20,000 x 3/5 x 1/2 = 6,000 a year.
    assert option_spread(options) == D("0.6")
    assert yearly_totals(options) == [D(106_000)] * 4


def test_options_under_water_count_as_nothing():
    under = replace(PRIVATE, equity_kind="options", share_price=D(2), strike_price=D(3))
    assert option_spread(under) == 0
    assert yearly_totals(under) == [D(100_000)] * 4


def test_refreshers_count_at_the_grant_s_value_but_without_its_strike():
    options = replace(
        PRIVATE,
        equity_kind="options",
        share_price=D(5),
        strike_price=D(2),
        refresher_per_year=D(10_000),
    )
    # Year two on: the grant's 6,000 and half of the 10,000 refresher.
    assert yearly_totals(options) == [D(106_000), D(111_000), D(111_000), D(111_000)]


@pytest.mark.parametrize(
    "changes",
    [
        {"equity_kind": "warrants"},
        {"equity_valued_percent": D(101)},
        {"equity_valued_percent": D(-1)},
        {"equity_kind": "options", "share_price": None, "strike_price": D(1)},
        {"equity_kind": "options", "share_price": D(0), "strike_price": D(1)},
        {"equity_kind": "options", "share_price": D(5), "strike_price": None},
    ],
)
def test_equity_that_cannot_be_valued_is_refused(changes: dict):
    with pytest.raises(ValueError, match=r"(?i)equity|options"):
        yearly_totals(replace(PRIVATE, **changes))


# Guaranteed and variable pay ----------------------------------------------------------


@given(packages)
def test_guaranteed_and_variable_pay_make_the_whole(package: Package):
    guaranteed, variable = guaranteed_totals(package), variable_totals(package)
    assert [a + b for a, b in zip(guaranteed, variable, strict=True)] == yearly_totals(package)
    assert all(part >= 0 for part in (*guaranteed, *variable))


def test_guaranteed_pay_is_base_benefits_and_the_signing_bonus():
    package = Package(
        base_salary=D(100_000),
        bonus=D(15_000),
        equity_per_year=D(20_000),
        signing_bonus=D(8_000),
        benefits_value=D(4_000),
        annual_raise=D(10),
    )
    # An expected raise is not a promise: base salary counts as offered, every year.
    assert guaranteed_totals(package) == [D(112_000), D(104_000), D(104_000), D(104_000)]
    assert guaranteed_total(package) == D(112_000)
    assert guaranteed_total(package, horizon_years=4) == D(106_000)
    # Year two's variable part: the bonus raised (16,500), the raise on base (10,000)
    # and the year's equity (20,000).
    assert variable_totals(package)[:2] == [D(35_000), D("46500.0")]


def test_no_guaranteed_pay_without_a_base_salary():
    assert guaranteed_totals(Package(base_salary=None, bonus=D(5))) is None
    assert guaranteed_total(Package(base_salary=None)) is None
    assert variable_totals(Package(base_salary=None)) is None


# Monthly pay and the cost of living -----------------------------------------------------


@pytest.mark.parametrize(
    ("salaries", "yearly"), [(12, D(48_000)), (13, D(52_000)), (14, D(56_000))]
)
def test_a_monthly_salary_makes_a_yearly_one_with_the_salaries_of_the_custom(
    salaries: int, yearly: Decimal
):
    assert yearly_salary(D(4_000), salaries) == yearly


def test_salaries_a_year_outside_the_customs_are_refused():
    with pytest.raises(ValueError, match="Salaries a year"):
        yearly_salary(D(4_000), 15)


def test_pay_adjusted_for_the_cost_of_living_buys_what_it_would_here():
    assert living_adjusted(D(100_000), 125) == D(80_000)
    assert living_adjusted(D(100_000), 80) == D(125_000)
    assert living_adjusted(D(100_000), None) == D(100_000)
    assert living_adjusted(None, 125) is None
    with pytest.raises(ValueError, match="index"):
        living_adjusted(D(1), 0)


# A decision's currency changing ----------------------------------------------------------


def test_rates_move_to_the_new_currency_through_an_offer_paid_in_it():
    rates = {1: ("GBP", D("1.17")), 2: ("USD", D("0.9")), 3: ("EUR", D(1))}
    assert rebased_rates(rates, old="EUR", new="GBP") == {
        1: D(1),
        2: D("0.769231"),
        3: D("0.854701"),
    }


def test_rates_cannot_move_to_a_currency_no_offer_is_paid_in():
    assert rebased_rates({1: ("GBP", D("1.17"))}, old="EUR", new="USD") is None
    # Nothing to convert: every offer is in the new currency already.
    assert rebased_rates({1: ("USD", D("0.9"))}, old="EUR", new="USD") == {1: D(1)}
    assert rebased_rates({}, old="EUR", new="USD") == {}


@given(
    st.decimals(min_value=D("0.01"), max_value=D(100), places=4),
    st.decimals(min_value=D("0.01"), max_value=D(100), places=4),
    st.integers(min_value=1, max_value=1_000_000).map(D),
)
def test_an_amount_is_worth_the_same_through_the_old_currency_or_the_new_rate(
    anchor: Decimal, other: Decimal, amount: Decimal
):
    rebased = rebased_rates({1: ("GBP", anchor), 2: ("USD", other)}, old="EUR", new="GBP")
    through_old = amount * other / anchor
    # To a millionth of the new rate: six places, as the rate is stored.
    assert abs(amount * rebased[2] - through_old) <= amount * D("0.0000005") + D("0.000001")


def test_the_equity_in_words_writes_its_amounts_as_it_is_told():
    options = replace(PRIVATE, equity_kind="options", share_price=D(5), strike_price=D(2))
    text = equity_text(
        options, name="Beta", show=lambda a: f"{a:.0f} EUR", show_price=lambda p: f"{p:.2f} GBP"
    )
    assert text == (
        "Beta: stock options on shares worth 20000 EUR a year at 5.00 GBP a share; above the "
        "2.00 GBP strike they are worth 12000 EUR a year, counted at 50%: 6000 EUR a year."
    )
    assert (
        equity_text(replace(PRIVATE, equity_per_year=D(0)), name="B", show=str, show_price=str)
        is None
    )
