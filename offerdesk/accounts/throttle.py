"""Limits on Offerdesk's own actions that send mail, shared by every server process.

Each limited action is counted per key (the signed-in user, the address mailed, the
client's IP) in the ``Attempt`` table, so that all gunicorn instances on the one
database see the same counts; a per-process cache would multiply every limit by the
number of workers. Counting is "record, then count": two racing requests may both see
the other and both be refused, never both let through past the limit.

Account actions (log-in failures, sign-up, resets, address changes) are limited by
django-allauth (``ACCOUNT_RATE_LIMITS`` in settings.py); the limits here are for the
rest: coach invitations, and reset mails to one address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import salted_hmac

from offerdesk.accounts.models import Attempt


@dataclass(frozen=True)
class Limit:
    action: str
    count: int
    per: dt.timedelta
    # In our words, for the 429 page: "10 invitations a day".
    described: str


HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)

INVITATIONS_PER_USER = Limit("invite:user", 10, DAY, "10 coach invitations a day")
INVITATIONS_PER_ADDRESS = Limit("invite:address", 5, DAY, "5 invitations a day to one address")
# Reset mails to one address, whoever asks; past it nothing is sent and nothing says
# so (see ``allows``; offerdesk/accounts/adapter.py).
RESET_MAILS_PER_ADDRESS = Limit("reset-mail:address", 3, HOUR, "3 reset e-mails an hour")


class Throttled(Exception):
    """A limit was reached: ``retry_after`` says when the oldest counted use expires."""

    def __init__(self, limit: Limit, retry_after: dt.timedelta) -> None:
        super().__init__(f"{limit.action}: {limit.described}")
        self.limit = limit
        self.retry_after = retry_after


def _hash(key: str) -> str:
    # Keyed with the secret key: without it, a copy of the table would confirm a
    # guessed address by hashing it.
    return salted_hmac("offerdesk.throttle", key.strip().casefold()).hexdigest()


def spend(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """Count one use of ``limit``'s action by ``key``; raises Throttled (and counts
    nothing) when the limit was already reached within its window."""
    now = now or timezone.now()
    key_hash = _hash(key)
    # Every key's expired uses of this action go, not only this key's: the table
    # holds no more than the windows look back on.
    Attempt.objects.filter(action=limit.action, at__lte=now - limit.per).delete()
    uses = Attempt.objects.filter(action=limit.action, key_hash=key_hash)
    attempt = Attempt.objects.create(action=limit.action, key_hash=key_hash, at=now)
    counted = list(uses.filter(at__gt=now - limit.per).order_by("at").values_list("at", flat=True))
    if len(counted) > limit.count:
        attempt.delete()
        raise Throttled(limit, counted[0] + limit.per - now)


def spend_all(*pairs: tuple[Limit, str]) -> None:
    """Count one use against each (limit, key); all or none: a limit reached anywhere
    counts nothing for the others."""
    spent: list[tuple[Limit, str]] = []
    try:
        for limit, key in pairs:
            spend(limit, key)
            spent.append((limit, key))
    except Throttled:
        for limit, key in spent:
            _refund(limit, key)
        raise


def allows(limit: Limit, key: str) -> bool:
    """Count one use like ``spend``, but answer False instead of raising: for a limit
    keyed on someone else (the address a mail goes to), where a 429 would let anyone
    lock that person out, e.g. of their own password reset."""
    try:
        spend(limit, key)
    except Throttled:
        return False
    return True


def _refund(limit: Limit, key: str) -> None:
    """Take back the newest use: the action it counted did not happen after all."""
    newest = (
        Attempt.objects.filter(action=limit.action, key_hash=_hash(key)).order_by("-at").first()
    )
    if newest is not None:
        newest.delete()
