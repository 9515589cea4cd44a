"""Total compensation of an offer: pure arithmetic on Decimals, no Django.

All amounts are yearly and in the offer's own currency until ``in_currency``
converts them with the rate the candidate entered. The four-year view applies a
vesting schedule to the equity grant (``equity_per_year`` x 4) and an annual
raise to base salary and bonus. Equity counts at the value its kind allows
(``equity_factor``): public RSUs at face value, private shares and options at the
share the candidate believes in, options only for what they are worth above
their strike price.

Three views of the same pay: the whole of it (``yearly_totals``), the part that
is guaranteed (``guaranteed_totals``: base salary as offered, benefits and the
signing bonus, none of which depends on a raise, a bonus pool or a share price), and either one
adjusted for the cost of living where the job is (``living_adjusted``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

ZERO = Decimal(0)
HUNDRED = Decimal(100)
HORIZON_YEARS = 4

# What kind of equity a grant is, and the share of its face value it counts at
# unless the candidate says otherwise: private shares may never be sellable, and an
# option may end below its strike price.
EQUITY_KINDS = ("rsu", "private", "options")
DEFAULT_VALUED_PERCENT: dict[str, Decimal] = {
    "rsu": HUNDRED,
    "private": Decimal(50),
    "options": Decimal(50),
}

# The views of pay the compare page can rank on: all of it, the guaranteed part,
# and all of it adjusted for the cost of living.
PAY_VIEWS = ("total", "guaranteed", "living")
# Salaries a year where pay is given by the month (13 or 14 where that is the custom).
SALARIES_PER_YEAR = (12, 13, 14)
# The cost-of-living index of where the candidate lives now; an offer without one is
# taken as being there.
HOME_INDEX = 100

# Share of the whole grant that vests in each of the four years, in percent.
VESTING_PRESETS: dict[str, tuple[int, int, int, int]] = {
    "even": (25, 25, 25, 25),
    "front_loaded": (40, 30, 20, 10),
    "back_loaded": (5, 15, 40, 40),
}


@dataclass(frozen=True)
class Package:
    """What an offer pays. ``base_salary`` is None while the candidate does not know it.

    ``annual_raise`` is a percentage applied to base salary and bonus each year after
    the first; ``vesting`` names one of ``VESTING_PRESETS``. ``cliff_months`` (0 to 12)
    is how long nothing vests: what has built up by then vests at once, so it moves
    nothing between years, only what leaving early takes with it.
    ``refresher_per_year`` is the yearly value of new grants vesting from year two.

    ``equity_kind`` is one of ``EQUITY_KINDS``; ``equity_valued_percent`` the share of
    face value the grant and refreshers count at (None: the kind's default). For
    options, ``share_price`` and ``strike_price`` (per share) say what an option is
    worth: the grant's face value is the shares at ``share_price``, and only the part
    above the strike is the candidate's.
    """

    base_salary: Decimal | None
    bonus: Decimal = ZERO
    equity_per_year: Decimal = ZERO
    signing_bonus: Decimal = ZERO
    benefits_value: Decimal = ZERO
    vesting: str = "even"
    annual_raise: Decimal = ZERO
    cliff_months: int = 12
    refresher_per_year: Decimal = ZERO
    equity_kind: str = "rsu"
    equity_valued_percent: Decimal | None = None
    share_price: Decimal | None = None
    strike_price: Decimal | None = None


# The longest cliff a package may have: one within the first year moves no equity
# from one year to the next.
MAX_CLIFF_MONTHS = 12
# The times after which the page says what leaving takes with it.
LEAVE_AFTER_MONTHS = (6, 12, 24)


def _checked(package: Package) -> None:
    if package.vesting not in VESTING_PRESETS:
        raise ValueError(f"Unknown vesting preset: {package.vesting!r}")
    if not 0 <= package.cliff_months <= MAX_CLIFF_MONTHS:
        raise ValueError(f"A vesting cliff is from 0 to {MAX_CLIFF_MONTHS} months.")
    if package.equity_kind not in EQUITY_KINDS:
        raise ValueError(f"Unknown kind of equity: {package.equity_kind!r}")
    percent = package.equity_valued_percent
    if percent is not None and not ZERO <= percent <= HUNDRED:
        raise ValueError("Equity is valued at 0 to 100% of its face value.")
    if package.equity_kind == "options" and (
        package.share_price is None
        or package.share_price <= 0
        or package.strike_price is None
        or package.strike_price < 0
    ):
        raise ValueError("Options need a share price above 0 and a strike price.")


def valued_percent(package: Package) -> Decimal:
    """The share of face value the equity counts at: the candidate's, else the kind's."""
    if package.equity_valued_percent is not None:
        return package.equity_valued_percent
    return DEFAULT_VALUED_PERCENT[package.equity_kind]


def option_spread(package: Package) -> Decimal:
    """The part of a share's price an option is worth (0 to 1): what the price is above
    the strike. 1 for shares, which are worth their price; 0 for an option under water."""
    if package.equity_kind != "options":
        return Decimal(1)
    _checked(package)
    price, strike = package.share_price, package.strike_price
    assert price is not None
    assert strike is not None
    return max(price - strike, ZERO) / price


def equity_factor(package: Package) -> Decimal:
    """What one unit of the grant's face value counts as in the totals: its valued
    percent, and for options only the spread above the strike."""
    _checked(package)
    return valued_percent(package) / HUNDRED * option_spread(package)


def _refresher_factor(package: Package) -> Decimal:
    # Refreshers are granted later at a price no one knows yet: they count at the
    # grant's valued percent, without the grant's strike.
    return valued_percent(package) / HUNDRED


def yearly_totals(package: Package) -> list[Decimal] | None:
    """What the offer pays in each of its first four years; None if base salary is unknown.

    Year one includes the signing bonus. Equity follows the vesting preset, so a
    back-loaded grant pays little at first and a lot in years three and four.
    """
    if package.base_salary is None:
        return None
    guaranteed, variable = guaranteed_totals(package), variable_totals(package)
    assert guaranteed is not None
    assert variable is not None
    return [sure + unsure for sure, unsure in zip(guaranteed, variable, strict=True)]


def guaranteed_totals(package: Package) -> list[Decimal] | None:
    """The part of each year's pay that is guaranteed: base salary as offered (a raise
    is only expected), benefits, and the signing bonus in year one; None if base
    salary is unknown."""
    if package.base_salary is None:
        return None
    _checked(package)
    return [
        package.base_salary
        + package.benefits_value
        + (package.signing_bonus if year == 0 else ZERO)
        for year in range(HORIZON_YEARS)
    ]


def variable_totals(package: Package) -> list[Decimal] | None:
    """The part of each year's pay that may not come: the bonus, the expected raise on
    base salary and bonus, the equity vesting that year at its valued worth, and the
    refreshers from year two; None if base salary is unknown."""
    if package.base_salary is None:
        return None
    _checked(package)
    growth = 1 + package.annual_raise / 100
    grant = package.equity_per_year * HORIZON_YEARS * equity_factor(package)
    refresher = package.refresher_per_year * _refresher_factor(package)
    return [
        (package.base_salary + package.bonus) * growth**year
        - package.base_salary
        + grant * share / 100
        + (refresher if year else ZERO)
        for year, share in enumerate(VESTING_PRESETS[package.vesting])
    ]


def vested_percent(package: Package, months: int) -> Decimal:
    """How much of the grant has vested after ``months`` (0 to 48), in percent: nothing
    before the cliff, then each year's share of the preset month by month."""
    _checked(package)
    if months < package.cliff_months:
        return ZERO
    vested = ZERO
    for year, share in enumerate(VESTING_PRESETS[package.vesting]):
        months_in_year = min(max(months - 12 * year, 0), 12)
        vested += Decimal(share) * months_in_year / 12
    return vested


def walk_away(package: Package, months: int) -> Decimal | None:
    """What the offer has paid if you leave after ``months`` (1 to 48): pay and benefits
    for the months worked, the signing bonus, the equity vested by then and the
    refreshers vested from year two; None if base salary is unknown. After 48 months it
    is the four-year total; the cliff only changes what leaving earlier takes.

    The signing bonus counts in full, though many employers ask for it back if you
    leave within a year; the page says so."""
    if not 1 <= months <= 12 * HORIZON_YEARS:
        raise ValueError(f"Leave after 1 to {12 * HORIZON_YEARS} months.")
    if package.base_salary is None:
        return None
    _checked(package)
    growth = 1 + package.annual_raise / 100
    paid = package.signing_bonus
    for year in range(HORIZON_YEARS):
        months_in_year = min(max(months - 12 * year, 0), 12)
        if not months_in_year:
            break
        yearly = (package.base_salary + package.bonus) * growth**year + package.benefits_value
        refresher = package.refresher_per_year * _refresher_factor(package) if year else ZERO
        paid += (yearly + refresher) * months_in_year / 12
    grant = package.equity_per_year * HORIZON_YEARS * equity_factor(package)
    return paid + grant * vested_percent(package, months) / 100


def total_compensation(package: Package, *, horizon_years: int = 1) -> Decimal | None:
    """Average yearly value over the first ``horizon_years`` (1 to 4) of the four-year view.

    One year gives the first-year total, signing bonus included in full; four years
    give the annualised total, the signing bonus spread over all four. Returns None
    when the base salary is unknown: a total that silently treats it as zero would
    rank an unknown offer as the worst one.
    """
    if not 1 <= horizon_years <= HORIZON_YEARS:
        raise ValueError(f"horizon_years must be from 1 to {HORIZON_YEARS}")
    totals = yearly_totals(package)
    if totals is None:
        return None
    return sum(totals[:horizon_years], ZERO) / horizon_years


def first_year_total(package: Package) -> Decimal | None:
    return total_compensation(package, horizon_years=1)


def annualised_total(package: Package) -> Decimal | None:
    return total_compensation(package, horizon_years=HORIZON_YEARS)


def guaranteed_total(package: Package, *, horizon_years: int = 1) -> Decimal | None:
    """Like ``total_compensation``, the guaranteed part only."""
    if not 1 <= horizon_years <= HORIZON_YEARS:
        raise ValueError(f"horizon_years must be from 1 to {HORIZON_YEARS}")
    totals = guaranteed_totals(package)
    if totals is None:
        return None
    return sum(totals[:horizon_years], ZERO) / horizon_years


def yearly_salary(monthly: Decimal, salaries_per_year: int) -> Decimal:
    """A salary given by the month as a yearly one: 12, 13 or 14 payments a year."""
    if salaries_per_year not in SALARIES_PER_YEAR:
        raise ValueError(f"Salaries a year are one of {SALARIES_PER_YEAR}.")
    return monthly * salaries_per_year


def living_adjusted(amount: Decimal | None, index: int | None) -> Decimal | None:
    """``amount`` as it would buy where the candidate lives now, given the cost-of-living
    ``index`` of where the job is (``HOME_INDEX`` = here; None: taken as here), to cents:
    100,000 where living costs 125 buys what 80,000 buys here."""
    if amount is None:
        return None
    if index is None:
        return amount
    if index <= 0:
        raise ValueError("A cost-of-living index is above 0.")
    return (amount * HOME_INDEX / index).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def in_currency(amount: Decimal | None, *, rate: Decimal) -> Decimal | None:
    """Convert with ``rate`` (units of the target currency per unit of the source), to cents."""
    if amount is None:
        return None
    if rate <= 0:
        raise ValueError("rate must be positive")
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


RATE_PLACES = Decimal("0.000001")


def rebased_rates(
    rates: Mapping[int, tuple[str, Decimal]], *, old: str, new: str
) -> dict[int, Decimal] | None:
    """Each offer's rate to ``new`` when a decision's currency changes from ``old``,
    from the rates the candidate gave to ``old`` (offer id -> its currency and rate),
    to six places; None when they cannot say: an offer in another currency than
    ``new``, and none in ``new`` to tell what one ``old`` is worth in it.

    An offer in ``new`` converts at 1; its rate r (one ``new`` in ``old``) gives one
    ``old`` as 1/r ``new``, and every other rate is its own times that."""
    anchors = [rate for currency, rate in rates.values() if currency == new]
    if not anchors and any(currency != new for currency, _ in rates.values()):
        return None
    old_in_new = 1 / anchors[0] if anchors else Decimal(1)

    def rebased(currency: str, rate: Decimal) -> Decimal:
        if currency == new:
            return Decimal(1)
        to_old = Decimal(1) if currency == old else rate
        return (to_old * old_in_new).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)

    return {pk: rebased(currency, rate) for pk, (currency, rate) in rates.items()}


def cumulative_totals(totals: Sequence[Decimal]) -> list[Decimal]:
    """Running sums of yearly ``totals``: what the offer has paid by the end of each year.

    The last one is the whole four-year pay, ``annualised_total`` x 4."""
    return list(accumulate(totals))


@dataclass(frozen=True)
class Crossover:
    """Where an offer that pays less in year one catches up with one that pays more.

    ``from_year`` (1-based) is the first year from which it pays more every year to the
    end of the four-year view; ``ahead_by`` is its cumulative lead after year four,
    negative when the early gap is not made up by then."""

    from_year: int
    ahead_by: Decimal


def crossover(higher: Sequence[Decimal], lower: Sequence[Decimal]) -> Crossover | None:
    """Whether ``lower`` (an offer paying less than ``higher`` in year one) pays more
    from some year on, to the last; None when it never does, or does not pay less in
    year one. Both are yearly totals in one currency, as ``yearly_totals`` gives them."""
    if len(higher) != len(lower) or not higher:
        raise ValueError("Compare the same number of years.")
    if lower[0] >= higher[0] or lower[-1] <= higher[-1]:
        return None
    from_year = len(lower)
    while from_year > 1 and lower[from_year - 2] > higher[from_year - 2]:
        from_year -= 1
    return Crossover(from_year=from_year, ahead_by=sum(lower, ZERO) - sum(higher, ZERO))


def crossover_text(
    crossing: Crossover, *, lower: str, higher: str, show: Callable[[Decimal], str]
) -> str:
    """``crossing`` in words: "Beta pays less than Acme in year 1 but more from year 3;
    by year 4 it is $18,000 ahead in total." ``show`` writes an amount."""
    years = HORIZON_YEARS
    start = f"{lower} pays less than {higher} in year 1 but more from year {crossing.from_year}"
    if crossing.ahead_by > 0:
        end = f"by year {years} it is {show(crossing.ahead_by)} ahead in total"
    elif crossing.ahead_by < 0:
        end = f"by year {years} it is still {show(-crossing.ahead_by)} behind in total"
    else:
        end = f"by year {years} the two have paid the same in total"
    return f"{start}; {end}."


# What the sentences call each kind of equity that is shares.
SHARE_KIND_WORDS = {"rsu": "listed shares (RSUs)", "private": "private shares"}


def equity_text(
    package: Package,
    *,
    name: str,
    show: Callable[[Decimal], str],
    show_price: Callable[[Decimal], str],
) -> str | None:
    """How ``package``'s equity counts in its pay, in words; None when it has none.
    ``show`` writes a yearly amount of the offer's currency (converted, if need be),
    ``show_price`` a price per share. Listed shares count at face value unless the
    candidate says less, a private company's at the share they believe in (50% unless
    they say), options only for their worth above the strike, and at that share too;
    under water they count as nothing. Refreshers count at the same share."""
    percent = valued_percent(package)
    at = f"{percent.normalize():f}%"
    refreshers = f" Refresher grants count at {at} too." if package.refresher_per_year else ""
    if not package.equity_per_year:
        if not package.refresher_per_year or percent == HUNDRED:
            return None
        return f"{name}: refresher grants counted at {at} of their value."
    chosen = ", as you chose" if package.equity_valued_percent is not None else ""
    full = show(package.equity_per_year)
    counted = show(package.equity_per_year * equity_factor(package))
    if package.equity_kind != "options":
        kind = SHARE_KIND_WORDS[package.equity_kind]
        if percent == HUNDRED:
            return f"{name}: {kind} counted at their full value, {full} a year."
        if package.equity_kind == "private" and not chosen:
            return (
                f"{name}: {kind} counted at {at} of their value ({counted} a year of {full} "
                f"at full value): private shares may never be sellable.{refreshers}"
            )
        return (
            f"{name}: {kind} counted at {at} of their value{chosen} ({counted} a year of "
            f"{full} at full value).{refreshers}"
        )
    price, strike = package.share_price, package.strike_price
    assert price is not None
    assert strike is not None
    if option_spread(package) == 0:
        return (
            f"{name}: stock options under water: the {show_price(strike)} strike is not "
            f"below the {show_price(price)} share price, so they count as 0 ({full} a "
            f"year at the share price).{refreshers}"
        )
    above = show(package.equity_per_year * option_spread(package))
    return (
        f"{name}: stock options on shares worth {full} a year at {show_price(price)} a "
        f"share; above the {show_price(strike)} strike they are worth {above} a year, "
        f"counted at {at}{chosen}: {counted} a year.{refreshers}"
    )
