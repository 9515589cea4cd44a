"""When a reply deadline counts as soon: one rule for every page and check.

No Django import. The decline hub, the composer and its timing check, the decision
page, the compare page and the coach's dashboard all ask this module, so a deadline
never looks urgent on one page and relaxed on the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# Today, tomorrow and the day after: close enough that an answer cannot wait for the
# weekend. The pages disagreed (2 or 3 days); most of them said 2.
SOON_DAYS = 2

Urgency = Literal["none", "passed", "soon", "later"]

# The furthest ahead a day the candidate gives may lie (an offer expected, a deadline
# the employer agreed to move): a year, and a day more for a leap year.
FURTHEST_AHEAD = dt.timedelta(days=366)


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Whole days from ``today`` to ``deadline``: 0 on the day, negative once it passed.

    None when there is no deadline.
    """
    if deadline is None:
        return None
    return (deadline - today).days


def urgency(deadline: dt.date | None, today: dt.date) -> Urgency:
    """How pressing ``deadline`` is on ``today``.

    "none" without a deadline, "passed" from the day after it, "soon" from
    ``SOON_DAYS`` days before it up to the day itself, "later" before that.
    """
    days = days_left(deadline, today)
    if days is None:
        return "none"
    if days < 0:
        return "passed"
    if days <= SOON_DAYS:
        return "soon"
    return "later"


def describe(days: int) -> str:
    """A number of days from today in words: "today", "tomorrow", "in 5 days",
    "yesterday", "3 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days > 1:
        return f"in {days} days"
    return f"{-days} days ago"


# Deadlines that do not line up ----------------------------------------------------------

# An extension to the day another offer is expected, and these days more to weigh it.
EXTENSION_MARGIN_DAYS = 2
# Asked when the other offer has no figures and no day it is expected by.
UNKNOWN_EXTENSION_DAYS = 7
# The longest extension worth asking for: past it, an employer reads the request as a no.
MAX_EXTENSION_DAYS = 60


@dataclass(frozen=True)
class OfferTiming:
    """What the timing of one offer rests on: whether it is still open, its reply
    deadline, the day it (or the employer's answer) is expected, and whether its pay
    figures are in yet."""

    id: int
    name: str
    is_open: bool
    response_deadline: dt.date | None = None
    expected_on: dt.date | None = None
    has_figures: bool = True


@dataclass(frozen=True)
class Clash:
    """Offer ``offer`` wants an answer by ``deadline``, before ``waiting_for`` is in:
    that one is expected on ``expected_on`` (None: it has no figures and no day yet).
    ``ask_until`` is the concrete day to ask for instead: after ``deadline`` and
    after today, at most ``MAX_EXTENSION_DAYS`` from today."""

    offer: int
    name: str
    deadline: dt.date
    waiting_for: int
    waiting_name: str
    expected_on: dt.date | None
    ask_until: dt.date


def clashes(offers: Sequence[OfferTiming], *, today: dt.date, decided: bool) -> list[Clash]:
    """Each open offer whose deadline (today or later) comes before another open
    offer is in: one expected after the deadline, or still without figures and with
    no day expected. Nothing once the decision is made. One clash per offer, for the
    offer it waits on longest; earliest deadline first.

    ``ask_until`` is the later offer's day plus ``EXTENSION_MARGIN_DAYS`` (the
    deadline plus ``UNKNOWN_EXTENSION_DAYS`` when that day is unknown), held within
    ``MAX_EXTENSION_DAYS`` of today; a deadline that far off is no clash.
    """
    if decided:
        return []
    found = []
    for offer in offers:
        deadline = offer.response_deadline
        if not offer.is_open or deadline is None or deadline < today:
            continue
        # A deadline that far off leaves time to hear from the others without asking.
        if deadline >= today + dt.timedelta(MAX_EXTENSION_DAYS):
            continue
        waits = []
        for other in offers:
            if other.id == offer.id or not other.is_open:
                continue
            if other.expected_on is not None and other.expected_on > deadline:
                waits.append((other.expected_on + dt.timedelta(EXTENSION_MARGIN_DAYS), other))
            elif other.expected_on is None and not other.has_figures:
                waits.append((deadline + dt.timedelta(UNKNOWN_EXTENSION_DAYS), other))
        if not waits:
            continue
        wanted, other = max(waits, key=lambda wait: (wait[0], -wait[1].id))
        ask_until = min(wanted, today + dt.timedelta(MAX_EXTENSION_DAYS))
        found.append(
            Clash(
                offer=offer.id,
                name=offer.name,
                deadline=deadline,
                waiting_for=other.id,
                waiting_name=other.name,
                expected_on=other.expected_on,
                ask_until=max(ask_until, deadline + dt.timedelta(1)),
            )
        )
    return sorted(found, key=lambda clash: (clash.deadline, clash.offer))
