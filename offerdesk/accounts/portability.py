"""A user's data as one JSON document, and back.

Rows refer to each other by position (the third offer, the second criterion), never
by database id, so a document imports into any account and exports again
identically. Log entries keep their text, data and time; coach comments keep the
coach's name as text, since the coach is not part of the export.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, IntegrityError, transaction
from django.utils.dateparse import parse_date, parse_datetime

from decisions.models import Criterion, Decision, LogEntry, Offer, Rating
from decisions.services import OFFER_FIELDS
from messaging.models import DeclineMessage
from messaging.services import CHOICE_FIELDS
from offerdesk.accounts.models import User
from offerdesk.accounts.services import PROFILE_FIELDS

FORMAT = "offerdesk-export"
# Where an imported entry keeps the name of the coach who wrote it.
IMPORTED_AUTHOR = "imported_author"
VERSION = 1
DECISION_FIELDS = (
    "title", "goals", "status", "base_currency", "pay_basis", "decided_at", "decided_reason",
    "confidence", "review_on", "decided_snapshot", "created_at",
)  # fmt: skip
CRITERION_FIELDS = ("name", "kind", "weight", "position", "unit", "floor", "target")
MESSAGE_FIELDS = (*CHOICE_FIELDS, "recipient_name", "subject", "body", "edited", "sent_on")
LOG_FIELDS = ("kind", "summary", "body", "data", "private", "created_at")
DATETIMES = {"decided_at", "created_at"}
DATES = {"review_on", "response_deadline", "sent_on"}
DECIMALS = {
    "floor", "target", "rate_to_base", "base_salary", "bonus", "equity_per_year",
    "signing_bonus", "benefits_value", "annual_raise", "score", "amount",
}  # fmt: skip


class _ExportEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, and writes
    no fraction at all when that is zero, so a second export would differ from the first.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat(timespec="microseconds")
        return super().default(o)


def _pick(instance: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def export_user_data(user: User) -> str:
    """Everything the user owns, as indented JSON text."""
    decisions = []
    for decision in Decision.objects.filter(owner=user).order_by("created_at", "pk"):
        criteria = list(decision.criteria.all())
        offers = list(decision.offers.all())
        criterion_index = {c.pk: i for i, c in enumerate(criteria)}
        ratings = Rating.objects.filter(offer__decision=decision)
        messages = {m.offer_id: m for m in DeclineMessage.objects.filter(offer__decision=decision)}
        decisions.append(
            {
                **_pick(decision, DECISION_FIELDS),
                "chosen_offer": next(
                    (i for i, o in enumerate(offers) if o.pk == decision.chosen_offer_id), None
                ),
                "criteria": [_pick(c, CRITERION_FIELDS) for c in criteria],
                "offers": [
                    {
                        **_pick(offer, OFFER_FIELDS),
                        "created_at": offer.created_at,
                        "ratings": [
                            {
                                "criterion": criterion_index[r.criterion_id],
                                "score": r.score,
                                "amount": r.amount,
                                "note": r.note,
                            }
                            for r in ratings
                            if r.offer_id == offer.pk
                        ],
                        "decline_message": _pick(messages[offer.pk], MESSAGE_FIELDS)
                        if offer.pk in messages
                        else None,
                    }
                    for offer in offers
                ],
                "log": [
                    _export_entry(entry, user)
                    for entry in decision.log_entries.select_related("author").order_by(
                        "created_at", "pk"
                    )
                ],
            }
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "profile": _pick(user, PROFILE_FIELDS),
        "decisions": decisions,
    }
    return json.dumps(document, cls=_ExportEncoder, indent=2, ensure_ascii=False)


def _export_entry(entry: LogEntry, user: User) -> dict[str, Any]:
    row = _pick(entry, LOG_FIELDS)
    data = dict(entry.data)
    imported_name = data.pop(IMPORTED_AUTHOR, None)
    if entry.author_id == user.pk:
        author = "you"
    elif entry.author_id is not None:
        author = entry.author.display_name
    else:
        author = imported_name
    return {**row, "data": data, "author": author}


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATETIMES:
        return parse_datetime(value)
    if name in DATES:
        return parse_date(value)
    if name in DECIMALS:
        return Decimal(str(value))
    return value


def _typed_all(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _typed(name, row[name]) for name in fields}


@transaction.atomic
def import_user_data(user: User, text: str) -> int:
    """Recreate an exported document in ``user``'s account, which must hold no decisions.

    All or nothing: any problem raises ValidationError and saves nothing. Returns the
    number of decisions imported. The profile is left as it is.
    """
    if Decision.objects.filter(owner=user).exists():
        raise ValidationError("Import into an account that has no decisions yet.")
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT or document.get("version") != VERSION:
            raise ValidationError("This is not an Offerdesk export.")
        for row in document["decisions"]:
            _import_decision(user, row)
    except (
        KeyError, TypeError, ValueError, AttributeError, IndexError,
        ArithmeticError,  # decimal.InvalidOperation on a number that is not one
        IntegrityError, DataError,  # a value the database refuses (null, out of range)
    ) as error:  # fmt: skip
        raise ValidationError(
            f"The file could not be read as an Offerdesk export ({error})."
        ) from error
    return len(document["decisions"])


def _import_decision(user: User, row: dict[str, Any]) -> None:
    decision = Decision(owner=user, **_typed_all(row, DECISION_FIELDS))
    decision.full_clean(exclude=["chosen_offer"])
    decision.save()
    criteria = []
    for data in row["criteria"]:
        criterion = Criterion(decision=decision, **_typed_all(data, CRITERION_FIELDS))
        criterion.full_clean()
        criterion.save()
        criteria.append(criterion)
    offers = []
    for data in row["offers"]:
        offer = Offer(decision=decision, **_typed_all(data, OFFER_FIELDS))
        offer.full_clean()
        offer.save()
        Offer.objects.filter(pk=offer.pk).update(
            created_at=_typed("created_at", data["created_at"])
        )
        offers.append(offer)
        for rating in data["ratings"]:
            Rating(
                offer=offer,
                criterion=criteria[rating["criterion"]],
                score=_typed("score", rating["score"]),
                amount=_typed("amount", rating["amount"]),
                note=rating["note"],
            ).save()
        if data["decline_message"]:
            message = DeclineMessage(
                offer=offer, **_typed_all(data["decline_message"], MESSAGE_FIELDS)
            )
            message.full_clean()
            message.save()
    if row["chosen_offer"] is not None:
        Decision.objects.filter(pk=decision.pk).update(chosen_offer=offers[row["chosen_offer"]])
    Decision.objects.filter(pk=decision.pk).update(
        created_at=_typed("created_at", row["created_at"])
    )
    for data in row["log"]:
        entry = LogEntry(decision=decision, **_typed_all(data, LOG_FIELDS))
        entry.author = user if data["author"] == "you" else None
        if data["author"] not in (None, "you"):
            entry.data = {**entry.data, IMPORTED_AUTHOR: data["author"]}
        entry.save()


def delete_account(user: User) -> dict[str, int]:
    """Remove the user and every row they own (decisions cascade to all the rest).

    Coach comments they wrote in others' logs stay, without an author.
    """
    _, deleted = user.delete()
    return deleted
