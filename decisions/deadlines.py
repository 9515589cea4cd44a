"""When a reply deadline counts as soon: one rule for every page and check.

No Django import. The decline hub, the composer and its timing check, the decision
page, the compare page and the coach's dashboard all ask this module, so a deadline
never looks urgent on one page and relaxed on the next.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

# Today, tomorrow and the day after: close enough that an answer cannot wait for the
# weekend. The pages disagreed (2 or 3 days); most of them said 2.
SOON_DAYS = 2

Urgency = Literal["none", "passed", "soon", "later"]


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
