"""Writes to the ratings grid: every cell of a decision saved in one go."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions import kinds
from decisions.models import Criterion, Decision, Homework, LogEntry, Rating
from decisions.services.criteria import scales_fill
from decisions.services.homework import exercise_done, unrated_cells
from decisions.services.log import claim_version, log_append, plain
from offerdesk.accounts.models import User


@dataclass(frozen=True)
class RatingInput:
    """One grid cell as submitted: a value of the criterion's kind (None: unknown), and
    ``value_high`` for an unsure candidate's range ("5 to 8", ``value`` the bottom)."""

    offer_id: int
    criterion_id: int
    value: Decimal | None = None
    note: str = ""
    value_high: Decimal | None = None


def cell(rating: Rating | None) -> dict[str, Any]:
    """A cell as the log and the decision record keep it; ``high`` only for a range."""
    if rating is None:
        return {"value": None, "note": ""}
    kept = {"value": plain(rating.value), "note": rating.note}
    if rating.value_high is not None:
        kept["high"] = plain(rating.value_high)
    return kept


def _checked_value(criterion: Criterion, value: Decimal | None) -> Decimal | None:
    kind = criterion.kind_spec
    if not kind.has_cell:
        raise ValidationError(f"“{criterion.name}” is computed from the offers’ pay.")
    error = kind.value_error(value)
    if error:
        raise ValidationError(f"“{criterion.name}” {error}.")
    return value


def range_error(kind: kinds.Kind, value: Decimal | None, high: Decimal | None) -> str | None:
    """Why ``value`` to ``high`` is no range of ``kind``, as words that follow the
    criterion's name ("takes one value, not a range"), or None if it is one (or there is
    no top). The grid form asks this too, to show it on the cell."""
    if high is None:
        return None
    if not kind.takes_range:
        return "takes one value, not a range"
    if value is None:
        return "needs the lowest value of a range before its highest"
    if high < value:
        return "has the highest value of its range below the lowest"
    return kind.value_error(high)


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
    or ratings is refused. A cell may hold a range where its kind takes one. An amount
    criterion given its first values gets its scale suggested from them, logged in an
    entry of its own (``criteria.scales_fill``).
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
        error = range_error(criterion.kind_spec, value, item.value_high)
        if error:
            raise ValidationError(f"“{criterion.name}” for {offer.company} {error}.")
        # A range from 7 to 7 is the value 7.
        high = item.value_high if item.value_high != value else None
        after = {"value": plain(value), "note": item.note.strip()}
        if high is not None:
            after["high"] = plain(high)
        rating = existing.get((offer.pk, criterion.pk))
        before = cell(rating)
        if before == after:
            continue
        if rating is None:
            rating = Rating(offer=offer, criterion=criterion)
            to_create.append(rating)
        else:
            to_update.append(rating)
        rating.value, rating.value_high, rating.note = value, high, after["note"]
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
    Rating.objects.bulk_update(to_update, ["value", "value_high", "note", "updated_at"])
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
    scales_fill(decision=decision, actor=actor)
    if unrated_cells(decision) == 0:
        exercise_done(decision=decision, actor=actor, exercise=Homework.Exercise.RATE)
    return changes
