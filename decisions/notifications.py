"""Who hears of what: the news a log entry makes, and the words it is told in.

Every step worth telling is already a log entry, so news is read off the entry just
written (``news_of``): a client's shared steps go to their coaches, a coach's words to
the client. A private entry makes no news for a coach, ever. A notice says what kind
of step it was, by whom, in which decision (names and titles only), and carries a
coach's own words only to the client they were written to: no mail holds more than
its reader may see (a pay figure hidden from a coach is in no notice to that coach).

Each person chooses per kind how often they hear by mail (``NoticeSetting``); the
"What's new" page shows every notice whatever they chose. The unsubscribe link in a
mail is signed (``unsubscribe_token``): it works logged out, for that kind only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core import signing

from decisions.models import CoachGrant, LogEntry, Notice, NoticeSetting
from offerdesk.accounts.models import User

Often = NoticeSetting.Often

# How often each kind is mailed until its reader says otherwise: what asks something
# of the reader comes at once, the rest in a digest.
DEFAULTS: Mapping[str, str] = {
    Notice.DECIDED: Often.AT_ONCE,
    Notice.WEIGHTS: Often.DAILY,
    Notice.REFLECTION: Often.DAILY,
    Notice.DECLINE_SENT: Often.DAILY,
    Notice.ANSWERED: Often.AT_ONCE,
    Notice.COACH_WROTE: Often.AT_ONCE,
}
COACH_KINDS = (
    Notice.DECIDED,
    Notice.WEIGHTS,
    Notice.REFLECTION,
    Notice.DECLINE_SENT,
    Notice.ANSWERED,
)
CLIENT_KINDS = (Notice.COACH_WROTE,)

# The client's own words a coach may read, and how a notice tells of each.
REFLECTION_KINDS: Mapping[str, str] = {
    LogEntry.Kind.REFLECTION: "wrote a reflection",
    LogEntry.Kind.FEELING: "checked in how they feel",
    LogEntry.Kind.LOOK_BACK: "looked back on their decision",
    LogEntry.Kind.GOAL: "wrote down a goal",
    LogEntry.Kind.SCENARIO: "wrote a scenario",
}
# "A lot": the weights' shares moved by this many percentage points in all (half the
# sum of every criterion's move, so that 10 points from one to another count 10).
WEIGHTS_SHIFT_POINTS = 15


@dataclass(frozen=True)
class News:
    recipient: User
    kind: str
    text: str


def weights_shift(data: Any) -> float:
    """How far a weights change moved the shares, in percentage points (0 when its
    data cannot say)."""
    if not isinstance(data, dict):
        return 0.0
    before, after = data.get("weights_before"), data.get("weights_after")
    if not isinstance(before, dict) or not isinstance(after, dict) or before.keys() != after.keys():
        return 0.0
    try:
        total_before = sum(float(w) for w in before.values())
        total_after = sum(float(w) for w in after.values())
        if not total_before or not total_after:
            return 0.0
        return 50 * sum(
            abs(float(after[k]) / total_after - float(before[k]) / total_before) for k in before
        )
    except (TypeError, ValueError):
        return 0.0


def _coaches(client_id: int) -> list[User]:
    grants = CoachGrant.objects.active().filter(client_id=client_id).select_related("coach")
    return [grant.coach for grant in grants]


def news_of(entry: LogEntry) -> list[News]:
    """The notices ``entry`` (just written, with its decision) makes, one per reader."""
    decision = entry.decision
    title = f"“{decision.title}”"
    by_client = entry.author_id == decision.owner_id
    if not by_client:
        if entry.author_id is None or entry.private:
            return []
        if entry.kind in (LogEntry.Kind.COACH_COMMENT, LogEntry.Kind.ANSWER):
            verb = entry.summary.removeprefix(entry.author.display_name).strip()
            text = f"{entry.author.display_name} {verb} in {title}"
        elif entry.kind == LogEntry.Kind.HOMEWORK_SET:
            text = f"{entry.author.display_name} set you homework in {title}"
        else:
            return []
        return [News(decision.owner, Notice.COACH_WROTE, text)]
    if entry.private:
        return []  # the candidate's private steps are nobody's news
    # What the step was, after the client's name: decided before any query, since
    # every write of the candidate's comes through here and most are no news.
    kind, what = None, ""
    if entry.kind == LogEntry.Kind.DECIDED:
        kind, what = Notice.DECIDED, "decided"
    elif entry.kind == LogEntry.Kind.WEIGHTS_CHANGED:
        if weights_shift(entry.data) >= WEIGHTS_SHIFT_POINTS:
            kind, what = Notice.WEIGHTS, "changed the weights a lot"
    elif entry.kind in REFLECTION_KINDS:
        kind, what = Notice.REFLECTION, REFLECTION_KINDS[entry.kind]
    elif entry.kind == LogEntry.Kind.MESSAGE_SENT:
        if isinstance(entry.data, dict) and entry.data.get("purpose", "decline") == "decline":
            kind, what = Notice.DECLINE_SENT, "sent a decline"
    elif entry.kind == LogEntry.Kind.ANSWER:
        # "answered Robin’s question" (the entry's own words): each coach reads whose.
        what = entry.summary.removeprefix(decision.owner.display_name).strip()
        kind = Notice.ANSWERED
    elif entry.kind == LogEntry.Kind.HOMEWORK_DONE:
        kind, what = Notice.ANSWERED, "did their homework"
    if kind is None:
        return []
    coaches = _coaches(decision.owner_id)
    if not coaches:
        return []
    text = f"{decision.owner.display_name} {what} in {title}"
    return [News(coach, kind, text) for coach in coaches]


def kinds_for(user: User, *, coaches: bool) -> tuple[str, ...]:
    """The kinds ``user`` may choose for: a client's always, a coach's if they coach."""
    return CLIENT_KINDS + (COACH_KINDS if coaches else ())


def how_often(settings: Iterable[NoticeSetting], kind: str) -> str:
    chosen = {s.kind: s.often for s in settings}
    return chosen.get(kind, DEFAULTS[kind])


UNSUBSCRIBE_SALT = "offerdesk.notifications.unsubscribe"


def unsubscribe_token(user: User, kind: str) -> str:
    """A link's token that stops ``kind`` mails to ``user``: signed, so nobody can make
    one for someone else, and lasting, as a mail may be read months later."""
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a token ``unsubscribe_token`` made; None for any other."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user, kind = data.get("user"), data.get("kind")
    if type(user) is not int or kind not in Notice.values:
        return None
    return user, kind
