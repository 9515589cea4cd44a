"""The composer's state: everything its page and its preview show, built once a request.

Views parse the request and render a ``ComposerState``; this module decides what the
composer shows: which choices the preview follows, the text they generate, the
checks beside it, the deadline, and what the forms start from. The services use
``generate`` to tell generated text from the candidate's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from decisions import deadlines
from decisions.models import Offer
from messaging import documents
from messaging.compose import (
    CHOICE_FIELDS,
    LENGTH_LIMITS,
    Choices,
    Draft,
    Parties,
    Review,
    compose,
    review,
)
from messaging.models import DeclineMessage
from messaging.selectors import suggested_reason
from offerdesk.accounts.models import User


@dataclass(frozen=True)
class ComposerState:
    """What the composer shows for one offer, from one set of choices.

    ``choices`` and ``recipient_name`` are what the preview follows; ``draft`` and
    ``review`` are their text and its checks. ``message`` is the saved draft (None
    until one is saved) and ``edited`` says its text is the candidate's own.
    ``form_initial`` and ``draft_initial`` are what the composer form and the draft
    form start from when the request did not fill them (``draft_initial`` is None
    without a saved message, when there is no draft form).
    """

    offer: Offer
    message: DeclineMessage | None
    choices: Choices
    recipient_name: str
    parties: Parties
    draft: Draft
    review: Review
    limit: int
    deadline: dt.date | None
    days_left: int | None
    urgency: deadlines.Urgency
    edited: bool
    mailto: str
    is_chosen: bool
    form_initial: dict[str, Any]
    draft_initial: dict[str, str] | None


def parties(*, sender: User, offer: Offer, recipient_name: str) -> Parties:
    """Who writes to whom: the sender's names from their profile, the rest from the offer."""
    return Parties(
        sender_name=sender.full_name or sender.username,
        signature=sender.signature or sender.full_name or sender.username,
        company=offer.company,
        role=offer.role,
        recipient_name=recipient_name,
    )


def saved_choices(message: DeclineMessage) -> Choices:
    """The choices a saved message was generated from."""
    return Choices(**{name: getattr(message, name) for name in CHOICE_FIELDS})


def generate(*, sender: User, offer: Offer, choices: Choices, recipient_name: str) -> Draft:
    """The subject and body ``choices`` generate for this offer, signed by ``sender``."""
    return compose(choices, parties(sender=sender, offer=offer, recipient_name=recipient_name))


def composer_state(
    *,
    offer: Offer,
    sender: User,
    message: DeclineMessage | None,
    today: dt.date,
    choices: Choices | None = None,
    recipient_name: str = "",
) -> ComposerState:
    """The composer for ``offer`` as ``sender`` sees it on ``today``.

    With ``choices`` (valid ones from the request) the preview follows them and
    ``recipient_name``. Without, it follows the saved message's choices and
    recipient, or, before anything is saved, the defaults with the recipient from the
    offer and the reason suggested by the scoring (the only case that scores).
    ``message`` is the offer's saved message, read by the caller, or None.
    """
    if choices is None:
        if message is not None:
            choices, recipient_name = saved_choices(message), message.recipient_name
        else:
            choices = Choices(reason_choice=suggested_reason(offer))
            recipient_name = offer.recruiter_name
    the_parties = parties(sender=sender, offer=offer, recipient_name=recipient_name)
    draft = compose(choices, the_parties)
    deadline = offer.response_deadline
    return ComposerState(
        offer=offer,
        message=message,
        choices=choices,
        recipient_name=recipient_name,
        parties=the_parties,
        draft=draft,
        review=review(
            draft,
            medium=choices.medium,
            recipient_name=recipient_name,
            deadline=deadline,
            today=today,
        ),
        limit=LENGTH_LIMITS[choices.medium],
        deadline=deadline,
        days_left=deadlines.days_left(deadline, today),
        urgency=deadlines.urgency(deadline, today),
        edited=message is not None and message.edited,
        mailto=documents.mailto_url(message) if message is not None else "",
        is_chosen=offer.decision.chosen_offer_id == offer.pk,
        form_initial={**asdict(choices), "recipient_name": recipient_name},
        draft_initial=(
            {"subject": message.subject, "body": message.body} if message is not None else None
        ),
    )
