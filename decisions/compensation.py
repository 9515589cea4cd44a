"""Total compensation of an offer: pure arithmetic on Decimals, no Django.

All amounts are yearly and in the offer's own currency until ``in_currency``
converts them with the rate the candidate entered. The four-year view applies a
vesting schedule to the equity grant (``equity_per_year`` x 4) and an annual
raise to base salary and bonus.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HORIZON_YEARS = 4

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
    the first; ``vesting`` names one of ``VESTING_PRESETS``.
    """

    base_salary: Decimal | None
    bonus: Decimal = ZERO
    equity_per_year: Decimal = ZERO
    signing_bonus: Decimal = ZERO
    benefits_value: Decimal = ZERO
    vesting: str = "even"
    annual_raise: Decimal = ZERO


def yearly_totals(package: Package) -> list[Decimal] | None:
    """What the offer pays in each of its first four years; None if base salary is unknown.

    Year one includes the signing bonus. Equity follows the vesting preset, so a
    back-loaded grant pays little at first and a lot in years three and four.
    """
    if package.base_salary is None:
        return None
    if package.vesting not in VESTING_PRESETS:
        raise ValueError(f"Unknown vesting preset: {package.vesting!r}")
    grant = package.equity_per_year * HORIZON_YEARS
    growth = 1 + package.annual_raise / 100
    totals = []
    for year, vested_percent in enumerate(VESTING_PRESETS[package.vesting]):
        raised = (package.base_salary + package.bonus) * growth**year
        equity = grant * vested_percent / 100
        signing = package.signing_bonus if year == 0 else ZERO
        totals.append(raised + equity + package.benefits_value + signing)
    return totals


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


def in_currency(amount: Decimal | None, *, rate: Decimal) -> Decimal | None:
    """Convert with ``rate`` (units of the target currency per unit of the source), to cents."""
    if amount is None:
        return None
    if rate <= 0:
        raise ValueError("rate must be positive")
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
