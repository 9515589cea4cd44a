"""Writes to the ratings grid: every cell of a decision saved in one go."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import Criterion, Decision, LogEntry, Rating
from decisions.services.log import claim_version, log_append, plain
from offerdesk.accounts.models import User


@dataclass(frozen=True)
class RatingInput:
    """One grid cell as submitted: a value of the criterion's kind (None: unknown)."""

    offer_id: int
    criterion_id: int
    value: Decimal | None = None
    note: str = ""


def cell(rating: Rating | None) -> dict[str, Any]:
    """A cell as the log and the decision record keep it."""
    if rating is None:
        return {"value": None, "note": ""}
    return {"value": plain(rating.value), "note": rating.note}


def _checked_value(criterion: Criterion, value: Decimal | None) -> Decimal | None:
    kind = criterion.kind_spec
    if not kind.has_cell:
        raise ValidationError(f"“{criterion.name}” is computed from the offers’ pay.")
    error = kind.value_error(value)
    if error:
        raise ValidationError(f"“{criterion.name}” {error}.")
    return value


@transaction.atomic
def ratings_save(
    *,
    decision: Decision,
    actor: User,
    cells: Iterable[RatingInput],
    expected_version: int | None = None,
) -> list[dict[str, Any]]:
    """Save a whole grid in one go; returns the cells that changed, before and after.

    Every cell must name an offer and a criterion of this decision that has cells
    (not a computed one), with a value in its kind's range, or nothing is saved. With
    ``expected_version``, a grid read before another change to the decision's weights
    or ratings is refused.
    """
    next_version = claim_version(Decision, decision.pk, expected_version)
    offers = {o.pk: o for o in decision.offers.all()}
    criteria = {c.pk: c for c in decision.criteria.all()}
    existing = {
        (r.offer_id, r.criterion_id): r for r in Rating.objects.filter(offer__decision=decision)
    }
    to_create: list[Rating] = []
    to_update: list[Rating] = []
    changes: list[dict[str, Any]] = []
    now = timezone.now()
    for item in cells:
        offer = offers.get(item.offer_id)
        criterion = criteria.get(item.criterion_id)
        if offer is None or criterion is None:
            raise ValidationError(
                "This grid names an offer or criterion that is not in this decision."
            )
        value = _checked_value(criterion, item.value)
        after = {"value": plain(value), "note": item.note.strip()}
        rating = existing.get((offer.pk, criterion.pk))
        before = cell(rating)
        if before == after:
            continue
        if rating is None:
            rating = Rating(offer=offer, criterion=criterion)
            to_create.append(rating)
        else:
            to_update.append(rating)
        rating.value, rating.note = value, after["note"]
        rating.updated_at = now
        rating.full_clean(exclude=["offer", "criterion"], validate_unique=False)
        changes.append(
            {
                "offer": offer.pk,
                "offer_label": offer.company,
                "criterion": criterion.pk,
                "criterion_label": criterion.name,
                "kind": criterion.kind,
                "unit": criterion.unit,
                "before": before,
                "after": after,
            }
        )
    if not changes:
        return changes
    Rating.objects.bulk_create(to_create)
    Rating.objects.bulk_update(to_update, ["value", "note", "updated_at"])
    Decision.objects.filter(pk=decision.pk).update(version=next_version)
    decision.version = next_version
    offers_touched = sorted({c["offer_label"] for c in changes})
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.RATINGS_CHANGED,
        summary=f"Updated {len(changes)} rating{'s' if len(changes) != 1 else ''} for "
        + ", ".join(offers_touched),
        data={"changes": changes},
    )
    return changes
