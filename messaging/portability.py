"""This app's part of a user's export: each offer's messages, and back.

Messages travel inside their offer's row, so the decisions part sees offers only and
this part sees messages only; ``decisions.portability.OfferRow`` joins the two. From
version 4 an offer's row holds ``messages``, a list with one object per message (its
``purpose``, its ``details`` and the fields in ``MESSAGE_FIELDS``), in the order of
``messaging.purposes.PURPOSES``; before, it held ``decline_message``, the one decline or
None, which still imports exactly as it did. An import builds every message first
(``build_messages``, in memory and checked as the composer checks it) and writes them
in the whole import's one short transaction (``save_messages``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions.portability import OfferRow, field_values, refuse_damage
from messaging import purposes
from messaging.compose import CANDIDATE_REASONS, EMPLOYER_REASONS, MEDIA
from messaging.forms import DETAIL_FIELDS
from messaging.models import Message
from messaging.services import check_body_length

KEY = "messages"
# Where a document older than version 4 keeps an offer's one message, its decline.
DECLINE_KEY = "decline_message"
MESSAGES_SINCE = 4
# Everything the candidate chose or wrote, read off the model so that a field added to
# it travels without a second list to keep in step: every editable field but the offer
# (the row it sits in says which) and the key. The timestamps are not editable. A
# message's ``purpose`` and ``details`` travel beside them from version 4.
MESSAGE_FIELDS = tuple(
    field.name
    for field in Message._meta.concrete_fields
    if field.editable
    and not field.primary_key
    and field.name not in ("offer", "purpose", "details")
)
# The longest text a detail holds when its purpose's form does not say (a counter-ask's
# justification takes 400).
DETAIL_TEXT_LIMIT = 500
PURPOSE_ORDER = {code: index for index, code in enumerate(purposes.PURPOSES)}


def export_messages(offer_rows: Sequence[OfferRow]) -> None:
    """Add ``messages`` to every offer row: each of the offer's messages as plain values,
    in the order of the purposes (an empty list when it has none). One query, however
    many offers."""
    by_offer: dict[int, list[Message]] = {}
    for message in Message.objects.filter(
        offer_id__in=[offer_row.offer.pk for offer_row in offer_rows]
    ):
        by_offer.setdefault(message.offer_id, []).append(message)
    for offer_row in offer_rows:
        messages = sorted(
            by_offer.get(offer_row.offer.pk, []), key=lambda m: PURPOSE_ORDER[m.purpose]
        )
        offer_row.row[KEY] = [
            {
                "purpose": message.purpose,
                "details": message.details,
                **{name: getattr(message, name) for name in MESSAGE_FIELDS},
            }
            for message in messages
        ]


def build_messages(offer_rows: Sequence[OfferRow], *, version: int) -> list[Message]:
    """The messages each offer row carries, for the offer built (or saved) from it,
    checked and not saved.

    From ``version`` 4 every row must have the ``messages`` key (a list, one message
    per purpose at most); before, the ``decline_message`` key (None: no message). A bad
    message raises ValidationError naming its offer (and which message).
    """
    messages = []
    for offer_row in offer_rows:
        if version < MESSAGES_SINCE:
            with refuse_damage(f"{offer_row.where}, decline message"):
                data = offer_row.row[DECLINE_KEY]
                if data is not None:
                    messages.append(
                        _build_message(offer_row, data, purpose=purposes.DECLINE, details={})
                    )
            continue
        with refuse_damage(offer_row.where):
            rows = offer_row.row[KEY]
            if not isinstance(rows, list):
                raise ValidationError({KEY: "This must be a list of messages."})
        seen: set[str] = set()
        for number, data in enumerate(rows, start=1):
            with refuse_damage(f"{offer_row.where}, message {number}"):
                purpose = _purpose(data, seen)
                details = _details(purposes.get(purpose), data["details"])
                messages.append(_build_message(offer_row, data, purpose=purpose, details=details))
    return messages


def save_messages(messages: Sequence[Message]) -> None:
    """Write what ``build_messages`` built, once its offers are saved: one query,
    inside the import's transaction."""
    Message.objects.bulk_create(messages)


def _purpose(data: Any, seen: set[str]) -> str:
    """The message's purpose, known and not yet seen on this offer (noted in ``seen``)."""
    if not isinstance(data, dict):
        raise ValidationError("This must be an object.")
    purpose = data["purpose"]
    if not isinstance(purpose, str) or purpose not in purposes.PURPOSES:
        raise ValidationError({"purpose": f"This must be one of {', '.join(purposes.PURPOSES)}."})
    if purpose in seen:
        raise ValidationError(
            {"purpose": f"This offer already has a message of this purpose ({purpose})."}
        )
    seen.add(purpose)
    return purpose


def _build_message(
    offer_row: OfferRow, data: Any, *, purpose: str, details: dict[str, Any]
) -> Message:
    if not isinstance(data, dict):
        raise ValidationError("This must be an object or null.")
    message = Message(
        offer=offer_row.offer,
        purpose=purpose,
        details=details,
        **field_values(Message, data, MESSAGE_FIELDS),
    )
    # The constraints are the fields' choices, which clean_fields checks.
    message.full_clean(exclude=["offer"], validate_constraints=False)
    # The composer's rules: a medium the purpose is written for, a reason that fits who
    # writes (only a decline is written as the employer), a body its medium can take,
    # and a message marked sent on a day already past.
    the_purpose = purposes.get(purpose)
    if message.medium not in the_purpose.media:
        written_as = ", ".join(MEDIA[medium] for medium in the_purpose.media)
        raise ValidationError({"medium": f"{the_purpose.label} is written as: {written_as}."})
    if purpose != purposes.DECLINE and message.direction != "candidate":
        raise ValidationError({"direction": "Only a decline is written as the employer."})
    reasons = CANDIDATE_REASONS if message.direction == "candidate" else EMPLOYER_REASONS
    if message.reason_choice not in reasons:
        raise ValidationError({"reason_choice": "Pick a reason that fits who is writing."})
    check_body_length(message.medium, message.body)
    if message.sent_on is not None and message.sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "That date is still to come."})
    return message


def _details(purpose: purposes.Purpose, details: Any) -> dict[str, Any]:
    """A message's details as its purpose's form would take them: an object whose keys
    are among the purpose's ``details``, each a plain value its form field accepts (a
    day as ISO text; a day's range, such as "after today", is the form's rule for a new
    one, and a saved message keeps its day)."""
    if not isinstance(details, dict):
        raise ValidationError({"details": "This must be an object."})
    unknown = sorted(str(name) for name in details if name not in purpose.details)
    if unknown:
        asks = ", ".join(purpose.details) or "nothing"
        raise ValidationError(
            {"details": f"{purpose.label} has no {', '.join(unknown)} (it asks {asks})."}
        )
    fields = DETAIL_FIELDS[purpose.code]() if purpose.code in DETAIL_FIELDS else {}
    for name, value in details.items():
        if not (value is None or isinstance(value, bool | int | float | str)):
            raise ValidationError(
                {"details": f"{name}: This must be a value, not a list or an object."}
            )
        try:
            _check_detail(fields.get(name), value)
        except ValidationError as error:
            raise ValidationError({"details": f"{name}: {' '.join(error.messages)}"}) from error
    return details


def _check_detail(field: forms.Field | None, value: Any) -> None:
    if field is None:
        if isinstance(value, str) and len(value) > DETAIL_TEXT_LIMIT:
            raise ValidationError(f"Keep this to {DETAIL_TEXT_LIMIT} characters.")
        return
    if value is None or value == "":
        if field.required:
            raise ValidationError("This needs a value.")
        return
    if isinstance(field, forms.DateField):
        if not isinstance(value, str):
            raise ValidationError("This must be a day, as YYYY-MM-DD.")
        try:
            dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError("This must be a day, as YYYY-MM-DD.") from error
        return
    if isinstance(field, forms.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("This must be a whole number.")
    elif isinstance(field, forms.BooleanField):
        if not isinstance(value, bool):
            raise ValidationError("This must be true or false.")
    elif not isinstance(value, str):
        raise ValidationError("This must be a text.")
    field.clean(value)
