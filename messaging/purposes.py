"""What a message to an employer is for: pure, the one list the composer, its pages and
its checks read.

Offerdesk writes more than the "no": the counter-ask before deciding, the request for
more time, the acceptance, the withdrawal of an acceptance, the question whether a
declined offer is still open, and the note that keeps in touch. Each is a ``Purpose``;
a message has one, and an offer has at most one message per purpose.

A purpose's text is its ``blocks`` in order, each written per tone in
``templates/messaging/blocks/<folder>/<block>_<tone>.txt``, then framed by the medium
as every message is. Only the decline lets the candidate switch blocks off (its four
elements); the others are shaped by their ``details`` (an amount, a date ...), which
``messaging.forms`` asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

DECLINE = "decline"
ACCEPT = "accept"
COUNTER = "counter"
EXTENSION = "extension"
WITHDRAW = "withdraw"
STILL_OPEN = "still_open"
KEEP_IN_TOUCH = "keep_in_touch"

ALL_MEDIA = ("email", "letter", "phone", "short")


@dataclass(frozen=True)
class Purpose:
    """One kind of message. ``label`` heads its composer ("Ask for more time");
    ``phrase`` finishes a log line ("Drafted an e-mail asking Acme for more time"),
    with ``{offer}`` and ``{company}`` filled in;
    ``slug`` is its part of the composer's address."""

    code: str
    label: str
    phrase: str
    blocks: tuple[str, ...]
    details: tuple[str, ...] = ()
    media: tuple[str, ...] = ALL_MEDIA

    @property
    def slug(self) -> str:
        return self.code.replace("_", "-")

    def describe(self, *, offer: object, company: str) -> str:
        return self.phrase.format(offer=offer, company=company)

    def folder(self, direction: str) -> str:
        """The folder of this purpose's text blocks: a decline's depends on who writes."""
        return direction if self.code == DECLINE else self.code


PURPOSES: dict[str, Purpose] = {
    purpose.code: purpose
    for purpose in (
        Purpose(
            code=DECLINE,
            label="Decline the offer",
            phrase="declining {offer}",
            blocks=("gratitude", "decision", "reason", "future"),
        ),
        Purpose(
            code=ACCEPT,
            label="Accept the offer",
            phrase="accepting {offer}",
            blocks=("gratitude", "acceptance", "terms", "confirmation"),
            details=("start_date",),
            media=("email", "letter", "phone"),
        ),
        Purpose(
            code=COUNTER,
            label="Ask for a better offer",
            phrase="asking {company} to improve the offer",
            blocks=("gratitude", "ask", "justification", "close"),
            details=("lever", "variant", "amount", "start_date", "title", "justification"),
            media=("email", "phone"),
        ),
        Purpose(
            code=EXTENSION,
            label="Ask for more time",
            phrase="asking {company} for more time",
            blocks=("gratitude", "request", "reason", "close"),
            details=("until", "extension_reason"),
            media=("email", "phone", "short"),
        ),
        Purpose(
            code=WITHDRAW,
            label="Withdraw your acceptance",
            phrase="withdrawing the acceptance of {offer}",
            blocks=("news", "responsibility", "gratitude"),
            media=("phone", "email", "letter"),
        ),
        Purpose(
            code=STILL_OPEN,
            label="Ask whether the offer is still open",
            phrase="asking whether {offer} is still open",
            blocks=("context", "question", "gratitude"),
            media=("email", "phone", "short"),
        ),
        Purpose(
            code=KEEP_IN_TOUCH,
            label="Stay in touch",
            phrase="keeping in touch with {company}",
            blocks=("hello", "news", "offer_help"),
            media=("email", "short"),
        ),
    )
}
BY_SLUG: dict[str, Purpose] = {purpose.slug: purpose for purpose in PURPOSES.values()}


def get(code: str) -> Purpose:
    """The purpose named ``code``; KeyError for any other."""
    return PURPOSES[code]
