"""Writes from the weight wizards and the gut check: weights from swings or pairwise
comparisons, putting back the weights a wizard replaced, and the candidate's feeling
about the offer ranked first. What they read first (what can be put back, the gut
check's question and hints) is in ``decisions.selectors``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions import weighting
from decisions.models import Decision, Homework, LogEntry, Offer
from decisions.selectors import gut_check_question, weights_put_back_offer
from decisions.services.criteria import criteria_reweight
from decisions.services.homework import exercise_done
from decisions.services.log import lock_decision, log_append
from offerdesk.accounts.models import User

NOTHING_TO_PUT_BACK = (
    "There are no weights to put back: the weights were changed since the wizard set them."
)

GUT_FEELINGS = {
    "relieved": "relieved",
    "fine": "fine",
    "disappointed": "disappointed",
}


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
    if origin not in weighting.WIZARDS:
        raise ValidationError("Not a weight wizard.")
    changes = criteria_reweight(
        decision=decision,
        actor=actor,
        weights=weights,
        expected_version=expected_version,
        origin=origin,
        details={"wizard": dict(details)},
    )
    if origin == "swing":  # done even when the weights came out as they were
        exercise_done(decision=decision, actor=actor, exercise=Homework.Exercise.SWING)
    return changes


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
