"""Limits on actions that send mail or guess secrets, shared by every server process.

Each limited action is counted per key (the signed-in user, the address mailed, the
client's IP) in the ``Attempt`` table, so that all gunicorn instances on the one
database see the same counts; a per-process cache would multiply every limit by the
number of workers. Counting is "record, then count": two racing requests may both see
the other and both be refused, never both let through past the limit.

Login failures are counted by django-axes; the limits here are for the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_lockout_response
from django.contrib.auth import user_login_failed
from django.http import HttpRequest, HttpResponse
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
RESETS_PER_ADDRESS = Limit("reset:address", 3, HOUR, "3 password-reset e-mails an hour")
RESETS_PER_IP = Limit("reset:ip", 10, HOUR, "10 password-reset requests an hour")
SIGNUPS_PER_IP = Limit("signup:ip", 5, HOUR, "5 new accounts an hour")
EMAIL_CHANGES_PER_USER = Limit("email:user", 5, DAY, "5 address changes a day")
# Mail about an account (a confirmation link, "someone used your address") to one
# address, whoever asks; past it the mail is quietly not sent (see ``allows``).
ACCOUNT_MAILS_PER_ADDRESS = Limit("account-mail:address", 3, DAY, "3 account e-mails a day")


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


def client_ip(request: HttpRequest) -> str:
    """The client's address as axes sees it: behind ``PROXY_COUNT`` proxies, the one
    the nearest trusted proxy saw (settings.py), otherwise the socket's peer."""
    return get_client_ip_address(request) or "unknown"


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
            refund(limit, key)
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


def refund(limit: Limit, key: str) -> None:
    """Take back the newest use: the action it counted did not happen after all."""
    newest = (
        Attempt.objects.filter(action=limit.action, key_hash=_hash(key)).order_by("-at").first()
    )
    if newest is not None:
        newest.delete()


# A page that asks a signed-in user for their password (to change it, to delete the
# account) is as good an oracle as the login form: a wrong one counts as a failed
# login, with django-axes' limit and cool-off, and a locked pair gets axes' page.


def password_lockout(request: HttpRequest) -> HttpResponse | None:
    """The lockout page if the user's name is locked from this client, else None."""
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    return None


def password_failed(request: HttpRequest) -> HttpResponse | None:
    """Count a wrong password typed by the signed-in user; the lockout page if that
    was one too many, else None."""
    credentials = {"username": request.user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return password_lockout(request)
