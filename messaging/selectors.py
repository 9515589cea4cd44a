"""Reads for the composer: what to suggest, and the state of every decline."""

from __future__ import annotations

from dataclasses import dataclass

from decisions import kinds
from decisions.models import Decision, Offer
from decisions.selectors import comparison
from messaging.compose import reason_for_criterion, suggest_reason
from messaging.models import Message
from messaging.purposes import DECLINE


def suggested_reason(offer: Offer) -> str:
    """Where this offer lost most weighted points to the chosen offer (or the leader)."""
    ranked = comparison(offer.decision)
    rows = {row.offer.pk: row for row in ranked.rows}
    chosen_id = offer.decision.chosen_offer_id or (
        ranked.leader.offer.pk if ranked.leader else None
    )
    if chosen_id is None or chosen_id == offer.pk or offer.pk not in rows or chosen_id not in rows:
        return "accepted_other"
    mine, theirs = rows[offer.pk].result, rows[chosen_id].result
    losses: dict[str, float] = {}
    for column in ranked.criteria:
        pay = kinds.get(column.criterion.kind).pay
        code = reason_for_criterion(column.criterion.name, pay=pay)
        lost = theirs.contributions[column.key] - mine.contributions[column.key]
        losses[code] = losses.get(code, 0.0) + lost
    return suggest_reason(losses)


def saved_message(offer: Offer, purpose: str = DECLINE) -> Message | None:
    """The offer's draft or sent message for ``purpose``, if one was ever saved."""
    return Message.objects.filter(offer=offer, purpose=purpose).first()


@dataclass(frozen=True)
class DeclineRow:
    offer: Offer
    message: Message | None


def declines(decision: Decision) -> list[DeclineRow]:
    """Every offer but the chosen one, with its draft if any (two queries)."""
    offers = list(decision.offers.exclude(pk=decision.chosen_offer_id or 0))
    messages = {m.offer_id: m for m in Message.objects.filter(offer__in=offers, purpose=DECLINE)}
    return [DeclineRow(offer, messages.get(offer.pk)) for offer in offers]
