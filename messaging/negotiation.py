"""How much to ask for in a counter-ask: pure, no Django.

The compare page says how much more a year an offer needs to come first (the *gap*,
``decisions.explain``'s ``pay_to_overtake`` and ``pay_to_tie``). Asking for exactly
that figure reads as arithmetic and leaves no room to meet in the middle, so the
counter-ask offers three variants, each a round figure in the offer's own currency:

- **conservative**: the gap rounded up to a round figure: the least that still
  changes the ranking;
- **realistic**: a fifth above the gap (at least one round step above the
  conservative figure), the usual room a recruiter expects to bargain down;
- **ambitious**: half again the gap (at least one step above the realistic figure),
  but never more than a tenth of the base salary above the realistic figure: a stretch
  the candidate can still justify.

Invariants (tested with Hypothesis): every variant is a whole number, none is below
the gap, and conservative < realistic < ambitious.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

CONSERVATIVE = "conservative"
REALISTIC = "realistic"
AMBITIOUS = "ambitious"
VARIANTS = {
    CONSERVATIVE: "Conservative: the gap, rounded up",
    REALISTIC: "Realistic: a little above the gap",
    AMBITIOUS: "Ambitious: a stretch you can justify",
}

# A fifth above the gap leaves the recruiter room to meet you without falling short.
REALISTIC_FACTOR = 1.2
AMBITIOUS_FACTOR = 1.5
# The ambitious figure stays within this share of the base salary above the realistic.
AMBITIOUS_CAP_SHARE = 0.10
# A gap above this share of the base salary is more than most employers move on pay.
REACHABLE_SHARE = 0.15
# Without a gap (nothing on the compare page), a first ask of this share of base pay.
DEFAULT_GAP_SHARE = 0.05
# The largest gap worth a figure: past it, no counter-ask closes it.
MAX_GAP = 10_000_000


@dataclass(frozen=True)
class Asks:
    """The three figures to ask for, in the offer's currency, yearly."""

    conservative: int
    realistic: int
    ambitious: int

    def of(self, variant: str) -> int:
        """The figure of ``variant``; KeyError for a name not in ``VARIANTS``."""
        if variant not in VARIANTS:
            raise KeyError(variant)
        return int(getattr(self, variant))


def round_step(amount: float) -> int:
    """The round figure a gap of ``amount`` is rounded to: 100 below 2,000, 1,000 below
    20,000, 5,000 below 100,000, 10,000 above (a recruiter hears "10,000", not the
    "9,500" a calculation produced)."""
    if amount < 2_000:
        return 100
    if amount < 20_000:
        return 1_000
    if amount < 100_000:
        return 5_000
    return 10_000


def round_up(amount: float, step: int) -> int:
    """``amount`` rounded up to a whole multiple of ``step`` (0 stays 0)."""
    return math.ceil(amount / step) * step


def asks(gap: float | Decimal, *, base_salary: float | Decimal | None = None) -> Asks:
    """The three variants for ``gap`` (more than 0, at most ``MAX_GAP``), bounded by
    the offer's ``base_salary`` when it is known. ValueError for any other gap."""
    gap = float(gap)
    if not 0 < gap <= MAX_GAP or math.isnan(gap):
        raise ValueError(f"A gap is more than 0 and at most {MAX_GAP:,}.")
    step = round_step(gap)
    conservative = round_up(gap, step)
    realistic = max(conservative + step, round_up(gap * REALISTIC_FACTOR, step))
    stretch = round_up(gap * AMBITIOUS_FACTOR, step)
    if base_salary is not None and float(base_salary) > 0:
        cap = realistic + round_up(float(base_salary) * AMBITIOUS_CAP_SHARE, step)
        stretch = min(stretch, cap)
    ambitious = max(realistic + step, stretch)
    return Asks(conservative=conservative, realistic=realistic, ambitious=ambitious)


def in_offer_currency(amount_in_base: float | Decimal, *, rate_to_base: float | Decimal) -> int:
    """A yearly amount in the decision's currency as whole units of the offer's
    currency (``rate_to_base``: what one unit of it is worth), rounded up so that the
    converted figure still closes the gap."""
    rate = float(rate_to_base)
    if rate <= 0:
        raise ValueError("An exchange rate is more than 0.")
    return math.ceil(float(amount_in_base) / rate - 1e-9)


def default_gap(base_salary: float | Decimal | None) -> int | None:
    """A first ask when the compare page names no gap: a twentieth of the base salary,
    rounded up to its round step; None without a base salary."""
    if base_salary is None or float(base_salary) <= 0:
        return None
    share = float(base_salary) * DEFAULT_GAP_SHARE
    return round_up(share, round_step(share))


def within_reach(gap: float | Decimal, base_salary: float | Decimal | None) -> bool:
    """True unless ``gap`` is more than ``REACHABLE_SHARE`` of a known base salary:
    past that, a pay rise alone rarely closes it, and a non-pay lever or a signing
    bonus is the likelier ask."""
    if base_salary is None or float(base_salary) <= 0:
        return True
    return float(gap) <= float(base_salary) * REACHABLE_SHARE
