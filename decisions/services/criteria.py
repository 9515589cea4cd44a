"""Writes to a decision's criteria: add, change, reweight, reorder, remove."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from decisions import kinds
from decisions.models import (
    MAX_CRITERIA_PER_DECISION,
    AnchorSuggestion,
    Criterion,
    Decision,
    LogEntry,
)
from decisions.services.log import (
    apply_changes,
    as_decimal,
    claim_version,
    field_labels,
    lock_decision,
    log_append,
    snapshot,
)
from decisions.weighting import ORIGINS
from offerdesk.accounts.models import User

CRITERION_FIELDS = ("name", "kind", "weight", "unit", "floor", "target", "suggested_from")
CRITERIA_FULL = (
    f"A decision holds at most {MAX_CRITERIA_PER_DECISION} criteria, and this one has them "
    "all. Remove one that matters less to add another."
)


@dataclass(frozen=True, kw_only=True)
class CriterionData:
    """One criterion as the candidate sets it: a floor for any kind (the deal-breaker
    line), a target only for kinds whose scale it ends (``kinds.Kind.takes_anchors``).
    An amount's floor and target are both set or both empty; empty, Offerdesk suggests
    them from the first values entered (``suggested_from`` then says so). A range the
    candidate saves is theirs: ``suggested_from`` stays empty."""

    name: str
    kind: str = kinds.RATING
    weight: int = 10
    unit: str = ""
    floor: Decimal | None = None
    target: Decimal | None = None
    suggested_from: str = ""


def criteria_full(decision: Decision) -> bool:
    """True when ``decision`` holds as many criteria as it may: the criteria page says
    so instead of offering a form that ``criterion_add`` would refuse."""
    return decision.criteria.count() >= MAX_CRITERIA_PER_DECISION


def kind_errors(
    decision: Decision,
    *,
    kind: str,
    floor: Decimal | None,
    target: Decimal | None,
    exclude: int | None = None,
) -> dict[str, str]:
    """What the registry says is wrong with this kind, floor and target in ``decision``
    (anchors allowed, floor the worse end, at most one computed criterion), by field;
    ``exclude`` is the criterion being edited. Forms show these before a service runs."""
    try:
        spec = kinds.get(kind)
    except kinds.UnknownKind as error:
        return {"kind": str(error)}
    errors = spec.anchor_errors(floor, target)
    if spec.computed:
        others = decision.criteria.filter(kind__in=kinds.codes(computed=True))
        if others.exclude(pk=exclude).exists():
            errors["kind"] = "This decision already has a computed compensation criterion."
    return errors


def _check_kind_rules(decision: Decision, data: CriterionData, *, exclude: int | None) -> None:
    errors = kind_errors(
        decision, kind=data.kind, floor=data.floor, target=data.target, exclude=exclude
    )
    if errors:
        raise ValidationError(errors)


def _tidied(data: CriterionData) -> CriterionData:
    """The name trimmed; a unit only for kinds whose values are typed in one (a 0-10
    rating left over from minutes is not in minutes)."""
    takes_unit = data.kind in kinds.KINDS and kinds.get(data.kind).takes_unit
    return replace(data, name=data.name.strip(), unit=data.unit.strip() if takes_unit else "")


def _require_some_weight(decision: Decision) -> None:
    if not decision.criteria.filter(weight__gt=0).exists():
        raise ValidationError(
            {"weight": "At least one criterion needs a weight above zero, or nothing can rank."}
        )


def _present_values(decision: Decision, criterion: Criterion) -> list[float]:
    """The raw values the offers hold on ``criterion``: their pay for the computed kind,
    else the grid's values (one query)."""
    if criterion.kind_spec.computed:
        pays = (offer.pay_in_base(decision.pay_basis) for offer in decision.offers.all())
        return [float(pay) for pay in pays if pay is not None]
    values = criterion.ratings.exclude(value__isnull=True).values_list("value", flat=True)
    return [float(value) for value in values]


def scales_fill(*, decision: Decision, actor: User) -> list[Criterion]:
    """Fix the scale of every amount criterion of ``decision`` that has values but no
    floor and target yet: a range suggested from those values (``kinds.Kind.
    suggest_anchors``), saved with ``suggested_from`` "offers" and logged, one
    ``criterion_changed`` each. Returns the criteria it fixed.

    The writes that bring a first value (an offer, its pay, a grid cell, a new or
    changed criterion) call it in their own transaction, so a score is never shown on
    a scale that the next offer would move.
    """
    fixed = []
    open_ended = decision.criteria.filter(
        kind__in=kinds.codes(anchors="floor_target"), floor__isnull=True, target__isnull=True
    )
    for criterion in open_ended:
        anchors = criterion.kind_spec.suggest_anchors(_present_values(decision, criterion))
        if anchors is None:
            continue
        before = snapshot(criterion, ("floor", "target"))
        criterion.floor, criterion.target = (as_decimal(end) for end in anchors)
        criterion.suggested_from = AnchorSuggestion.OFFERS
        criterion.full_clean()
        criterion.save(update_fields=["floor", "target", "suggested_from"])
        after = snapshot(criterion, ("floor", "target"))
        log_append(
            decision=decision,
            author=actor,
            kind=LogEntry.Kind.CRITERION_CHANGED,
            summary=f"Offerdesk fixed the scale of “{criterion.name}”, suggested from the "
            "values entered so far",
            data={
                "criterion": criterion.pk,
                "kind": criterion.kind,
                "changes": {
                    name: {"before": before[name], "after": after[name]} for name in before
                },
                "suggested_from": criterion.suggested_from,
            },
        )
        fixed.append(criterion)
    return fixed


@transaction.atomic
def criterion_add(*, decision: Decision, actor: User, data: CriterionData) -> Criterion:
    """Append a criterion after the others; logs one ``criterion_added`` (and, for the
    pay kind added to offers with pay, the range suggested for it). A decision holds at
    most ``MAX_CRITERIA_PER_DECISION`` criteria: the next one is refused."""
    current = lock_decision(decision.pk)
    if criteria_full(current):
        raise ValidationError(CRITERIA_FULL)
    data = _tidied(data)
    _check_kind_rules(current, data, exclude=None)
    criterion = Criterion(decision=current)
    apply_changes(criterion, data)
    last = current.criteria.aggregate(last=Max("position"))["last"]
    criterion.position = 0 if last is None else last + 1
    criterion.full_clean()
    criterion.save()
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.CRITERION_ADDED,
        summary=f"Added the criterion “{criterion.name}” at weight {criterion.weight}",
        data=snapshot(criterion, CRITERION_FIELDS),
    )
    scales_fill(decision=current, actor=actor)
    return criterion


@transaction.atomic
def criterion_update(
    *, criterion: Criterion, actor: User, data: CriterionData
) -> dict[str, dict[str, Any]]:
    """Rename, reweight, re-anchor or change the kind of one criterion; returns the
    changes (empty: nothing written). Compares with the row as stored, read again under
    the decision's lock. A new kind whose values mean something else (a 0-10 rating
    becoming minutes) clears the ratings' values, keeping their notes; the changes
    then hold ``values_cleared``. An amount left without floor and target gets them
    suggested from its values, in an entry of its own (``scales_fill``)."""
    decision = lock_decision(criterion.decision_id)
    current = decision.criteria.get(pk=criterion.pk)
    data = _tidied(data)
    _check_kind_rules(decision, data, exclude=current.pk)
    old_name, old_kind = current.name, current.kind_spec
    changes = apply_changes(current, data)
    if not changes:
        return changes
    current.full_clean()
    current.save()
    _require_some_weight(decision)
    summary = f"Changed the criterion “{old_name}”: {field_labels(Criterion, changes)}"
    if not current.kind_spec.keeps_values_of(old_kind):
        # A 7 out of 10 is not 7 minutes: values of the old kind would be misread.
        # The notes stay, so the candidate still sees what they thought.
        cleared = current.ratings.exclude(value__isnull=True).update(value=None, value_high=None)
        if cleared:
            changes["values_cleared"] = {"before": cleared, "after": 0}
            summary += f"; cleared {cleared} value{'s' if cleared != 1 else ''} of the old kind"
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.CRITERION_CHANGED,
        summary=summary,
        data={"criterion": current.pk, "kind": current.kind, "changes": changes},
    )
    scales_fill(decision=decision, actor=actor)
    return changes


@transaction.atomic
def criteria_reweight(
    *,
    decision: Decision,
    actor: User,
    weights: Mapping[int, int],
    expected_version: int | None = None,
    origin: str = "sliders",
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Set every weight of a decision in one go; ``weights`` maps criterion id -> 0..100.

    Ids must be exactly the decision's criteria. Returns {name: {"before", "after"}}.
    ``origin`` (a key of ``weighting.ORIGINS``: the sliders, a wizard, a put-back) is
    said in the entry's summary and kept in its data with the weights before and after
    by criterion id (what a put-back restores) and ``details`` (a wizard's answers).
    """
    if origin not in ORIGINS:
        raise ValidationError("Not a way of setting weights.")
    next_version = claim_version(Decision, decision.pk, expected_version)
    criteria = list(Criterion.objects.filter(decision_id=decision.pk))
    if set(weights) != {c.pk for c in criteria}:
        raise ValidationError("The criteria changed while you were editing. Please try again.")
    changes: dict[str, Any] = {}
    before = {str(c.pk): c.weight for c in criteria}
    for criterion in criteria:
        weight = weights[criterion.pk]
        if not 0 <= weight <= 100:
            raise ValidationError({"weight": f"“{criterion.name}” needs a weight from 0 to 100."})
        if weight != criterion.weight:
            changes[criterion.name] = {"before": criterion.weight, "after": weight}
            criterion.weight = weight
    if not changes:
        return changes
    if not any(c.weight for c in criteria):
        raise ValidationError("At least one criterion needs a weight above zero.")
    Criterion.objects.bulk_update(criteria, ["weight"])
    Decision.objects.filter(pk=decision.pk).update(version=next_version)
    decision.version = next_version
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.WEIGHTS_CHANGED,
        summary=("Changed weights: " if origin == "sliders" else f"Weights {ORIGINS[origin]}: ")
        + ", ".join(f"{name} {c['before']} → {c['after']}" for name, c in changes.items()),
        data={
            "changes": changes,
            "origin": origin,
            "weights_before": before,
            "weights_after": {str(c.pk): c.weight for c in criteria},
            **dict(details or {}),
        },
    )
    return changes


@transaction.atomic
def criterion_move(*, criterion: Criterion, actor: User, direction: Literal["up", "down"]) -> bool:
    """Swap a criterion with its neighbour; returns False at either end (nothing written)."""
    decision = lock_decision(criterion.decision_id)
    criteria = list(decision.criteria.all())
    index = next(i for i, c in enumerate(criteria) if c.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(criteria):
        return False
    before = [c.name for c in criteria]
    criteria[index], criteria[other] = criteria[other], criteria[index]
    for position, item in enumerate(criteria):
        item.position = position
    Criterion.objects.bulk_update(criteria, ["position"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.CRITERIA_REORDERED,
        summary=f"Moved “{criterion.name}” {direction}",
        data={"before": before, "after": [c.name for c in criteria]},
    )
    return True


@transaction.atomic
def criterion_remove(*, criterion: Criterion, actor: User) -> None:
    """Delete a criterion and its ratings; the log keeps what it was."""
    decision = lock_decision(criterion.decision_id)
    current = decision.criteria.get(pk=criterion.pk)
    kept = snapshot(current, CRITERION_FIELDS)
    ratings = current.ratings.count()
    current.delete()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.CRITERION_REMOVED,
        summary=f"Removed the criterion “{kept['name']}”",
        data={**kept, "ratings_removed": ratings},
    )
