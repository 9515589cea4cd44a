"""The messages to employers a decision's log records, as one reader may see them.

Every draft and every sending of a message is logged with its subject and body
(``message_drafted``, ``message_sent``), whatever its purpose: a decline, an
acceptance, a counter-ask ... So the coach's page and the report read the messages
from the log, and this app needs nothing of the messaging app: per offer and purpose,
the newest draft, and the newest text sent with its day.

What a reader may not see is left out here, on the server, as the coach's projection
does (``selectors.coach_view``): a coach never reads a private entry, and when the
candidate hides pay every money figure in a message's subject and body is blanked
(``offerdesk.formats.blank_money``: the figures the checks' ``mentions_money`` finds,
and salaries written out, "ninety-five thousand"), so the coach still reads the words
the candidate chose. No pattern finds every way of writing a number; the note beside
the text says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from decisions.models import Decision, LogEntry
from offerdesk.formats import blank_money

MESSAGE_KINDS = (LogEntry.Kind.MESSAGE_DRAFTED, LogEntry.Kind.MESSAGE_SENT)
# Entries logged before messages had a purpose were all declines.
DEFAULT_PURPOSE = "decline"
MONEY_HIDDEN = (
    "Amounts are hidden: your client keeps pay figures private. A figure written in an "
    "unusual way may still show."
)


@dataclass(frozen=True)
class MessageText:
    """One version of a message: the log's words for it ("Drafted an e-mail declining
    Analyst at Acme"), its subject and body (money figures blanked when the reader may
    not see pay), and when it was logged."""

    summary: str
    subject: str
    body: str
    logged_at: dt.datetime


@dataclass(frozen=True)
class OfferMessage:
    """One offer's message of one purpose: the newest draft and the newest text sent
    (``sent_on`` its day), either None when the log holds none. ``money_hidden`` says
    the money figures in its subjects and bodies were blanked for this reader."""

    offer_label: str
    purpose: str
    draft: MessageText | None
    sent: MessageText | None
    sent_on: dt.date | None
    money_hidden: bool

    @property
    def hidden_note(self) -> str:
        """What to say beside the text about what was blanked in it (empty when nothing
        was)."""
        return MONEY_HIDDEN if self.money_hidden else ""

    @property
    def draft_after_sending(self) -> MessageText | None:
        """The draft to show beside the text sent: the newest draft when nothing was
        sent, or when it was changed after sending; else None (it is the text sent)."""
        if self.draft is None or self.sent is None:
            return self.draft
        changed = (self.draft.subject, self.draft.body) != (self.sent.subject, self.sent.body)
        return self.draft if changed and self.draft.logged_at > self.sent.logged_at else None


def decision_messages(
    decision: Decision, *, for_coach: bool, pay_shown: bool
) -> tuple[OfferMessage, ...]:
    """The messages to ``decision``'s employers that its log records, per offer (in the
    decision's order) and purpose (in the order first written): for a coach
    (``for_coach``) only from entries they may read; without ``pay_shown``, every money
    figure in a subject or body blanked. One query for the offers and one for the
    entries.

    Entries whose data no reader can use (no offer of this decision, a subject or body
    that is not text) are passed over: the log itself still shows them.
    """
    offers = {offer.pk: str(offer) for offer in decision.offers.all()}
    entries = decision.log_entries.filter(kind__in=MESSAGE_KINDS)
    if for_coach:
        entries = entries.for_coach()
    drafts: dict[tuple[int, str], MessageText] = {}
    sent: dict[tuple[int, str], tuple[MessageText, dt.date | None]] = {}
    order: list[tuple[int, str]] = []
    for entry in entries.order_by("created_at", "pk").only(
        "kind", "summary", "data", "created_at", "private"
    ):
        read = _read(entry.data, offers)
        if read is None:
            continue
        key, subject, body = read
        text = MessageText(
            summary=entry.summary,
            subject=subject if pay_shown else blank_money(subject),
            body=body if pay_shown else blank_money(body),
            logged_at=entry.created_at,
        )
        if key not in drafts and key not in sent:
            order.append(key)
        if entry.kind == LogEntry.Kind.MESSAGE_SENT:
            sent[key] = (text, _day(entry.data.get("sent_on")))
        else:
            drafts[key] = text
    position = {pk: index for index, pk in enumerate(offers)}
    order.sort(key=lambda key: position[key[0]])
    return tuple(
        OfferMessage(
            offer_label=offers[key[0]],
            purpose=key[1],
            draft=drafts.get(key),
            sent=sent[key][0] if key in sent else None,
            sent_on=sent[key][1] if key in sent else None,
            money_hidden=not pay_shown,
        )
        for key in order
    )


def _read(data: Any, offers: Mapping[int, str]) -> tuple[tuple[int, str], str, str] | None:
    """(offer, purpose), subject and body of a logged message; None when unreadable."""
    if not isinstance(data, dict):
        return None
    offer, purpose = data.get("offer"), data.get("purpose", DEFAULT_PURPOSE)
    subject, body = data.get("subject", ""), data.get("body")
    if type(offer) is not int or offer not in offers or not isinstance(purpose, str):
        return None
    if not isinstance(subject, str) or not isinstance(body, str):
        return None
    return (offer, purpose), subject, body


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
