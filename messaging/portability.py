"""This app's part of a user's export: each offer's decline message, and back.

A message travels inside its offer's row, under ``decline_message`` (None when the
offer has none), so the decisions part sees offers only and this part sees messages
only; ``decisions.portability.OfferRow`` joins the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions.portability import OfferRow, field_values, refuse_damage
from messaging.models import DeclineMessage

KEY = "decline_message"
# Everything the candidate chose or wrote, read off the model so that a field added to
# it travels without a second list to keep in step: every editable field but the offer
# (the row it sits in says which) and the key. The timestamps are not editable.
MESSAGE_FIELDS = tuple(
    field.name
    for field in DeclineMessage._meta.concrete_fields
    if field.editable and not field.primary_key and field.name != "offer"
)


def export_decline_messages(offer_rows: Sequence[OfferRow]) -> None:
    """Add ``decline_message`` to every offer row: the message's fields as plain values,
    or None when the offer has no message. One query, however many offers."""
    messages = {
        message.offer_id: message
        for message in DeclineMessage.objects.filter(
            offer_id__in=[offer_row.offer.pk for offer_row in offer_rows]
        )
    }
    for offer_row in offer_rows:
        message = messages.get(offer_row.offer.pk)
        offer_row.row[KEY] = (
            None if message is None else {name: getattr(message, name) for name in MESSAGE_FIELDS}
        )


@transaction.atomic
def import_decline_messages(offer_rows: Sequence[OfferRow]) -> int:
    """Create the decline message each offer row carries, for the offer imported from it.

    Every row must have the ``decline_message`` key (None: no message). All or nothing:
    a bad message raises ValidationError naming its offer, and saves no message.
    Returns how many messages were created.
    """
    created = 0
    for offer_row in offer_rows:
        with refuse_damage(f"{offer_row.where}, decline message"):
            data = offer_row.row[KEY]
            if data is None:
                continue
            _import_message(offer_row, data)
            created += 1
    return created


def _import_message(offer_row: OfferRow, data: Any) -> None:
    if not isinstance(data, dict):
        raise ValidationError("This must be an object or null.")
    message = DeclineMessage(
        offer=offer_row.offer, **field_values(DeclineMessage, data, MESSAGE_FIELDS)
    )
    message.full_clean()
    message.save()
