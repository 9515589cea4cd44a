"""Total compensation of an offer: pure arithmetic on Decimals, no Django.

All amounts are yearly and in the offer's own currency until ``in_currency``
converts them with the rate the candidate entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Package:
    """What an offer pays. ``base_salary`` is None while the candidate does not know it."""

    base_salary: Decimal | None
    bonus: Decimal = ZERO
    equity_per_year: Decimal = ZERO
    signing_bonus: Decimal = ZERO
    benefits_value: Decimal = ZERO


def total_compensation(package: Package, *, horizon_years: int = 1) -> Decimal | None:
    """Average yearly value over ``horizon_years``.

    Recurring parts count in full every year; the one-off signing bonus is spread
    over the horizon, so a one-year view counts it whole and a four-year view a
    quarter. Returns None when the base salary is unknown: a total that silently
    treats it as zero would rank an unknown offer as the worst one.
    """
    if horizon_years < 1:
        raise ValueError("horizon_years must be at least 1")
    if package.base_salary is None:
        return None
    recurring = (
        package.base_salary + package.bonus + package.equity_per_year + package.benefits_value
    )
    return recurring + package.signing_bonus / horizon_years


def in_currency(amount: Decimal | None, *, rate: Decimal) -> Decimal | None:
    """Convert with ``rate`` (units of the target currency per unit of the source), to cents."""
    if amount is None:
        return None
    if rate <= 0:
        raise ValueError("rate must be positive")
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
