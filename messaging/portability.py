"""This app's part of a user's export: each offer's decline message, and back.

A message travels inside its offer's row, under ``decline_message`` (None when the
offer has none), so the decisions part sees offers only and this part sees messages
only; ``decisions.portability.OfferRow`` joins the two. An import builds every message
first (``build_decline_messages``, in memory and checked as the composer checks it) and
writes them in the whole import's one short transaction (``save_decline_messages``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions.portability import OfferRow, field_values, refuse_damage
from messaging.compose import CANDIDATE_REASONS, EMPLOYER_REASONS
from messaging.models import Message
from messaging.purposes import DECLINE
from messaging.services import check_body_length

KEY = "decline_message"
# Everything the candidate chose or wrote, read off the model so that a field added to
# it travels without a second list to keep in step: every editable field but the offer
# (the row it sits in says which) and the key. The timestamps are not editable.
MESSAGE_FIELDS = tuple(
    field.name
    for field in Message._meta.concrete_fields
    if field.editable
    and not field.primary_key
    and field.name not in ("offer", "purpose", "details")
)


def export_decline_messages(offer_rows: Sequence[OfferRow]) -> None:
    """Add ``decline_message`` to every offer row: the message's fields as plain values,
    or None when the offer has no message. One query, however many offers."""
    messages = {
        message.offer_id: message
        for message in Message.objects.filter(
            offer_id__in=[offer_row.offer.pk for offer_row in offer_rows], purpose=DECLINE
        )
    }
    for offer_row in offer_rows:
        message = messages.get(offer_row.offer.pk)
        offer_row.row[KEY] = (
            None if message is None else {name: getattr(message, name) for name in MESSAGE_FIELDS}
        )


def build_decline_messages(offer_rows: Sequence[OfferRow]) -> list[Message]:
    """The decline message each offer row carries, for the offer built (or saved) from
    it, checked and not saved.

    Every row must have the ``decline_message`` key (None: no message). A bad message
    raises ValidationError naming its offer.
    """
    messages = []
    for offer_row in offer_rows:
        with refuse_damage(f"{offer_row.where}, decline message"):
            data = offer_row.row[KEY]
            if data is not None:
                messages.append(_build_message(offer_row, data))
    return messages


def save_decline_messages(messages: Sequence[Message]) -> None:
    """Write what ``build_decline_messages`` built, once its offers are saved: one
    query, inside the import's transaction."""
    Message.objects.bulk_create(messages)


def _build_message(offer_row: OfferRow, data: Any) -> Message:
    if not isinstance(data, dict):
        raise ValidationError("This must be an object or null.")
    message = Message(offer=offer_row.offer, **field_values(Message, data, MESSAGE_FIELDS))
    # The constraints are the fields' choices, which clean_fields checks.
    message.full_clean(exclude=["offer"], validate_constraints=False)
    # The composer's rules: a reason that fits who writes, a body its medium can take,
    # and a message marked sent on a day already past.
    reasons = CANDIDATE_REASONS if message.direction == "candidate" else EMPLOYER_REASONS
    if message.reason_choice not in reasons:
        raise ValidationError({"reason_choice": "Pick a reason that fits who is writing."})
    check_body_length(message.medium, message.body)
    if message.sent_on is not None and message.sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "That date is still to come."})
    return message
