"""Writes to a decision itself: start it, change its details, archive and restore it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction

from decisions import kinds
from decisions.models import Criterion, Decision, LogEntry
from decisions.services.log import apply_changes, field_labels, lock_decision, log_append
from offerdesk.accounts.models import User

DEFAULT_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("Salary", kinds.TOTAL_COMP, 30),
    ("Culture", kinds.RATING, 20),
    ("Role clarity", kinds.RATING, 15),
    ("Work-life balance", kinds.RATING, 20),
    ("Location", kinds.RATING, 15),
)


@dataclass(frozen=True, kw_only=True)
class DecisionData:
    """A decision's details as the candidate sets them."""

    title: str
    goals: str = ""
    base_currency: str = "USD"
    pay_basis: str = Decision.PayBasis.ANNUALISED


@transaction.atomic
def decision_create(*, owner: User, data: DecisionData) -> Decision:
    """Start a decision with the five default criteria; logs one ``decision_created``."""
    decision = Decision(owner=owner)
    apply_changes(decision, replace(data, title=data.title.strip()))
    decision.full_clean()
    decision.save()
    criteria = [
        Criterion(decision=decision, name=name, kind=kind, weight=weight, position=position)
        for position, (name, kind, weight) in enumerate(DEFAULT_CRITERIA)
    ]
    Criterion.objects.bulk_create(criteria)
    log_append(
        decision=decision,
        author=owner,
        kind=LogEntry.Kind.DECISION_CREATED,
        summary=f"Started “{decision.title}”",
        data={
            "title": decision.title,
            "base_currency": decision.base_currency,
            "criteria": [{"name": c.name, "kind": c.kind, "weight": c.weight} for c in criteria],
        },
    )
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, actor: User, data: DecisionData) -> dict[str, dict]:
    """Change title, goals, base currency or pay basis; returns the changes (empty:
    nothing written). Compares with the row as stored, read again under a lock.

    Offers already in the new base currency get an exchange rate of exactly 1.
    """
    current = lock_decision(decision.pk)
    changes = apply_changes(current, replace(data, title=data.title.strip()))
    if not changes:
        return changes
    current.full_clean()
    current.save()
    if "base_currency" in changes:
        current.offers.filter(currency=current.base_currency).update(rate_to_base=1)
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.DECISION_CHANGED,
        summary=f"Changed the decision’s {field_labels(Decision, changes)}",
        data={"changes": changes},
    )
    return changes


@transaction.atomic
def decision_archive(*, decision: Decision, actor: User) -> None:
    """Put a decision away; it stays readable and can be restored."""
    current = lock_decision(decision.pk)
    if current.is_archived:
        return
    before = current.status
    current.status = Decision.Status.ARCHIVED
    current.save(update_fields=["status", "updated_at"])
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.DECISION_ARCHIVED,
        summary="Archived the decision",
        data={"before": before, "after": current.status},
    )


@transaction.atomic
def decision_reopen(*, decision: Decision, actor: User) -> None:
    """Bring an archived decision back: decided if an offer was chosen, else open."""
    current = lock_decision(decision.pk)
    if not current.is_archived:
        return
    current.status = Decision.Status.DECIDED if current.chosen_offer_id else Decision.Status.OPEN
    current.save(update_fields=["status", "updated_at"])
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.DECISION_REOPENED,
        summary="Restored the decision from the archive",
        data={"before": Decision.Status.ARCHIVED, "after": current.status},
    )
