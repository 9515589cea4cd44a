"""Writes from the weight wizards and the gut check: weights from swings or pairwise
comparisons, putting back the weights a wizard replaced, and the candidate's feeling
about the offer ranked first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions import explain, weighting
from decisions.models import Decision, LogEntry, Offer
from decisions.selectors import Comparison
from decisions.services.criteria import criteria_reweight
from decisions.services.log import lock_decision, log_append
from offerdesk.accounts.models import User

WIZARDS = ("swing", "pairwise")
NOTHING_TO_PUT_BACK = (
    "There are no weights to put back: the weights were changed since the wizard set them."
)

GUT_FEELINGS = {
    "relieved": "relieved",
    "fine": "fine",
    "disappointed": "disappointed",
}


@dataclass(frozen=True)
class PutBack:
    """The weights a wizard replaced, ready to be restored: ``entry`` is the wizard's
    log entry, ``weights`` maps criterion id -> the weight it had before."""

    entry: LogEntry
    origin: str
    weights: dict[int, int]

    @property
    def words(self) -> str:
        return weighting.ORIGINS[self.origin]


def weights_put_back_offer(decision: Decision) -> PutBack | None:
    """What "Put back the weights I had" would restore, or None: the latest weights
    change must be a wizard's, and the criteria and their weights still those it
    left (any change since, a slider or a new criterion, and the offer is gone)."""
    entry = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).first()
    if entry is None or not isinstance(entry.data, dict):
        return None
    origin, before, after = (
        entry.data.get("origin"),
        entry.data.get("weights_before"),
        entry.data.get("weights_after"),
    )
    if origin not in WIZARDS or not isinstance(before, dict) or not isinstance(after, dict):
        return None
    current = {str(pk): weight for pk, weight in decision.criteria.values_list("pk", "weight")}
    if current != after or set(before) != set(current):
        return None
    try:
        weights = {int(pk): int(weight) for pk, weight in before.items()}
    except (TypeError, ValueError):
        return None
    if not all(0 <= w <= 100 for w in weights.values()) or not any(weights.values()):
        return None
    return PutBack(entry=entry, origin=origin, weights=weights)


@transaction.atomic
def weights_from_wizard(
    *,
    decision: Decision,
    actor: User,
    origin: Literal["swing", "pairwise"],
    weights: Mapping[int, int],
    expected_version: int | None,
    details: Mapping[str, Any],
) -> dict[str, Any]:
    """Apply a wizard's weights (criterion id -> 0..100) as one logged weights change
    whose summary says which wizard, keeping the weights before (``weights_put_back``)
    and the wizard's ``details`` (its answers). All or nothing: a stale version or a
    changed set of criteria writes nothing. Returns the changes, as ``criteria_reweight``."""
    if origin not in WIZARDS:
        raise ValidationError("Not a weight wizard.")
    return criteria_reweight(
        decision=decision,
        actor=actor,
        weights=weights,
        expected_version=expected_version,
        origin=origin,
        details={"wizard": dict(details)},
    )


@transaction.atomic
def weights_put_back(*, decision: Decision, actor: User) -> dict[str, Any]:
    """Restore the weights the latest wizard replaced, logged as a change of its own
    (``origin`` "put_back"). Refused, writing nothing, when there is nothing to put
    back (``weights_put_back_offer``)."""
    current = lock_decision(decision.pk)
    offer = weights_put_back_offer(current)
    if offer is None:
        raise ValidationError(NOTHING_TO_PUT_BACK)
    changes = criteria_reweight(
        decision=current,
        actor=actor,
        weights=offer.weights,
        origin="put_back",
        details={"put_back_from": offer.entry.pk},
    )
    decision.version = current.version
    return changes


def gut_check_question(offer: Offer) -> str:
    return f"How would you feel if {offer.company} won?"


@dataclass(frozen=True)
class GutCheckHints:
    """What to look at when the winner disappoints: ``behind`` the criteria on which
    ``runner_up`` scores more than the leader, as (criterion name, points), largest
    first; ``flips`` the ranking's own sentences on the single weights that would put
    another offer first."""

    leader: Offer
    runner_up: Offer | None
    behind: list[tuple[str, float]]
    flips: list[str]


def gut_check_hints(ranked: Comparison) -> GutCheckHints | None:
    """The criteria worth a second look when the candidate would be disappointed by
    the offer ranked first: a missing or under-weighted criterion shows as one where
    another offer does better but weighs too little to matter."""
    if ranked.leader is None:
        return None
    leader = ranked.leader
    runner_up = ranked.runner_up
    behind: list[tuple[str, float]] = []
    if runner_up is not None:
        names = {c.key: c.criterion.name for c in ranked.criteria}
        for key, name in names.items():
            gap = runner_up.result.contributions.get(key, 0.0) - leader.result.contributions.get(
                key, 0.0
            )
            if gap >= explain.SMALL_POINTS:
                behind.append((name, gap))
        behind.sort(key=lambda item: -item[1])
    return GutCheckHints(
        leader=leader.offer,
        runner_up=runner_up.offer if runner_up else None,
        behind=behind,
        flips=[claim.text for claim in ranked.claims_of(explain.FLIP)],
    )


@transaction.atomic
def gut_check_add(
    *, decision: Decision, actor: User, offer: Offer, feeling: str, note: str = ""
) -> LogEntry:
    """Keep the candidate's gut answer to "How would you feel if ``offer`` won?"
    (relieved, fine or disappointed, with an optional note) as a reflection in the
    log, for the look-back. The ranking is not changed."""
    if offer.decision_id != decision.pk:
        raise ValidationError({"offer": "Choose one of this decision’s offers."})
    if feeling not in GUT_FEELINGS:
        raise ValidationError({"feeling": "Pick relieved, fine or disappointed."})
    note = note.strip()
    if len(note) > 4000:
        raise ValidationError({"note": "Keep it within 4,000 characters."})
    current = lock_decision(decision.pk)
    question = gut_check_question(offer)
    entry = log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.REFLECTION,
        summary=f"Gut check: {GUT_FEELINGS[feeling]} if {offer.company} won",
        body=f"I would feel {GUT_FEELINGS[feeling]}." + (f" {note}" if note else ""),
        data={"question": question, "gut_check": feeling, "offer": offer.pk},
    )
    return entry
