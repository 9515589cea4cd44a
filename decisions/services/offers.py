"""Writes to a decision's offers: add, change, remove."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions.models import MAX_OFFERS_PER_DECISION, OFFER_FIELDS, Decision, LogEntry, Offer
from decisions.services.criteria import scales_fill
from decisions.services.log import (
    apply_changes,
    claim_version,
    field_labels,
    lock_decision,
    log_append,
    snapshot,
)
from offerdesk.accounts.models import User

OFFERS_FULL = (
    f"A decision holds at most {MAX_OFFERS_PER_DECISION} offers, and this one has them all. "
    "Remove an offer you no longer weigh to add another."
)


@dataclass(frozen=True, kw_only=True)
class OfferData:
    """An offer as the candidate enters it: exactly ``models.OFFER_FIELDS`` (a test
    keeps the two in step), with the model's defaults."""

    company: str
    role: str
    location: str = ""
    work_mode: str = Offer.WorkMode.HYBRID
    currency: str = "USD"
    rate_to_base: Decimal = Decimal(1)
    base_salary: Decimal | None = None
    bonus: Decimal = Decimal(0)
    equity_per_year: Decimal = Decimal(0)
    signing_bonus: Decimal = Decimal(0)
    benefits_value: Decimal = Decimal(0)
    vesting: str = Offer.Vesting.EVEN
    annual_raise: Decimal = Decimal(0)
    response_deadline: dt.date | None = None
    expected_on: dt.date | None = None
    recruiter_name: str = ""
    recruiter_email: str = ""
    status: str = Offer.Status.OPEN
    notes: str = ""


def offers_full(decision: Decision) -> bool:
    """True when ``decision`` holds as many offers as it may: the add page says so
    instead of offering a form that ``offer_create`` would refuse."""
    return decision.offers.count() >= MAX_OFFERS_PER_DECISION


def _normalised(data: OfferData, decision: Decision) -> OfferData:
    # An offer paid in the decision's own currency converts at exactly 1, whatever was typed.
    if data.currency == decision.base_currency:
        return replace(data, rate_to_base=Decimal(1))
    return data


@transaction.atomic
def offer_create(*, decision: Decision, actor: User, data: OfferData) -> Offer:
    """Add an offer to a decision; logs one ``offer_added`` (and, for the first offer
    with pay, the pay range suggested from it: ``criteria.scales_fill``). A decision
    holds at most ``MAX_OFFERS_PER_DECISION`` offers: the next one is refused."""
    current = lock_decision(decision.pk)
    if offers_full(current):
        raise ValidationError(OFFERS_FULL)
    offer = Offer(decision=current)
    apply_changes(offer, _normalised(data, current))
    offer.full_clean()
    offer.save()
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.OFFER_ADDED,
        summary=f"Added the offer {offer}",
        data={"offer": offer.pk, **snapshot(offer, OFFER_FIELDS)},
    )
    scales_fill(decision=current, actor=actor)
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, actor: User, data: OfferData, expected_version: int | None = None
) -> dict[str, dict[str, Any]]:
    """Change an offer; returns the changes, logged with before and after (empty:
    nothing written). Compares with the row as stored, read again under a lock.

    With ``expected_version``, an offer changed since the form was read is refused.
    """
    next_version = claim_version(Offer, offer.pk, expected_version)
    current = Offer.objects.select_related("decision").get(pk=offer.pk)
    changes = apply_changes(current, _normalised(data, current.decision))
    if not changes:
        return changes
    current.version = next_version
    current.full_clean()
    current.save()
    log_append(
        decision=current.decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_CHANGED,
        summary=f"Changed {current}: {field_labels(Offer, changes)}",
        data={"offer": current.pk, "changes": changes},
    )
    scales_fill(decision=current.decision, actor=actor)
    return changes


@transaction.atomic
def offer_remove(*, offer: Offer, actor: User) -> None:
    """Delete an offer and its ratings; the log keeps its details."""
    decision = lock_decision(offer.decision_id)
    current = decision.offers.get(pk=offer.pk)
    kept = snapshot(current, OFFER_FIELDS)
    label = str(current)
    current.delete()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_REMOVED,
        summary=f"Removed the offer {label}",
        data={"offer": offer.pk, **kept},
    )
