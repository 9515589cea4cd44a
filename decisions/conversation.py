"""The conversations with a coach, as their readers see them: threads and homework.

A thread is a coach's comment (a ``COACH_COMMENT`` log entry) and the ``ANSWER``
entries that name it as their ``thread``, by the client or a coach. Both kinds are
always shared, so a coach and the client read the same thread; what a comment is
about is named by the words saved with it (an offer by its company and role, never
its pay). A comment that ``asks`` is a question: it waits until the client has
answered it (a coach's follow-up after that is conversation, not a new question).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from decisions.models import Decision, Homework, LogEntry


@dataclass(frozen=True)
class Post:
    pk: int
    author_name: str
    by_client: bool
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Thread:
    """A coach's comment and what was said since, oldest first."""

    pk: int
    asks: bool
    about: str  # what the comment is about, in words; "" for the decision as a whole
    about_kind: str  # "", "ranking", "offer" or "entry"
    about_pk: int | None
    posts: tuple[Post, ...]

    @property
    def opener(self) -> Post:
        return self.posts[0]

    @property
    def answers(self) -> tuple[Post, ...]:
        return self.posts[1:]

    @property
    def waiting(self) -> bool:
        """A question the client has not answered yet."""
        return self.asks and not any(post.by_client for post in self.answers)

    @property
    def last_at(self) -> dt.datetime:
        return self.posts[-1].created_at


def _about(data: Any) -> tuple[str, str, int | None]:
    about = data.get("about") if isinstance(data, dict) else None
    if not isinstance(about, dict):
        return "", "", None
    pk = about.get("pk")
    return (
        str(about.get("label", "")),
        str(about.get("kind", "")),
        pk if isinstance(pk, int) else None,
    )


def _post(entry: LogEntry, owner_id: int) -> Post:
    return Post(
        pk=entry.pk,
        author_name=entry.author.display_name if entry.author else "Someone no longer here",
        by_client=entry.author_id == owner_id,
        body=entry.body,
        created_at=entry.created_at,
    )


def decision_threads(decision: Decision) -> tuple[Thread, ...]:
    """Every thread of ``decision``, unanswered questions first, then the latest
    talked about: two queries. Comments and answers are never private, so the same
    threads serve the client and the coach."""
    comments = list(
        decision.log_entries.for_coach()
        .filter(kind=LogEntry.Kind.COACH_COMMENT)
        .select_related("author")
    )
    replies: dict[int, list[LogEntry]] = defaultdict(list)
    for reply in (
        LogEntry.objects.for_coach()
        .filter(thread__in=[c.pk for c in comments], kind=LogEntry.Kind.ANSWER)
        .select_related("author")
        .order_by("created_at", "id")
    ):
        replies[reply.thread_id].append(reply)
    threads = []
    for comment in comments:
        about, about_kind, about_pk = _about(comment.data)
        threads.append(
            Thread(
                pk=comment.pk,
                asks=bool(comment.data.get("asks")) if isinstance(comment.data, dict) else False,
                about=about,
                about_kind=about_kind,
                about_pk=about_pk,
                posts=tuple(_post(e, decision.owner_id) for e in [comment, *replies[comment.pk]]),
            )
        )
    threads.sort(key=lambda t: t.last_at, reverse=True)
    threads.sort(key=lambda t: not t.waiting)  # stable: each group stays newest first
    return tuple(threads)


def waiting_questions() -> QuerySet[LogEntry]:
    """Questions not yet answered by their decision's owner, as one query: the rule
    ``Thread.waiting`` states, in SQL (filter it to a decision, or correlate it)."""
    answered = LogEntry.objects.filter(
        thread=OuterRef("pk"), kind=LogEntry.Kind.ANSWER, author=OuterRef("decision__owner")
    )
    return LogEntry.objects.filter(
        ~Exists(answered), kind=LogEntry.Kind.COACH_COMMENT, data__asks=True
    )


def pending_homework(decision: Decision) -> list[Homework]:
    """What the coach asked that is still to do, the soonest due first."""
    return sorted(decision.homework.pending().select_related("coach"), key=_due_first)


def all_homework(decision: Decision) -> list[Homework]:
    """Every homework of ``decision``: still to do (soonest due first), then done and
    withdrawn, the latest first: what a coach follows."""
    rows = list(decision.homework.select_related("coach"))
    pending = sorted((h for h in rows if h.is_pending), key=_due_first)
    closed = sorted(
        (h for h in rows if not h.is_pending),
        key=lambda h: h.done_at or h.withdrawn_at or h.created_at,
        reverse=True,
    )
    return pending + closed


def _due_first(homework: Homework) -> tuple[bool, dt.date, dt.datetime]:
    return (homework.due_on is None, homework.due_on or dt.date.max, homework.created_at)
