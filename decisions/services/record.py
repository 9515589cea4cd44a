"""Writes to the decision record: the choice itself, and the candidate's own words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import SNAPSHOT_PAY_FIELDS, Decision, LogEntry, Offer
from decisions.prompts import FEELINGS
from decisions.selectors import comparison, ratings_for
from decisions.services.log import lock_decision, log_append, plain
from decisions.services.ratings import cell
from offerdesk.accounts.models import User


def _snapshot(decision: Decision) -> dict[str, Any]:
    """The inputs and outputs of the ranking as they stand, for the decision record."""
    result = comparison(decision)
    ratings = ratings_for(decision)
    criteria = [row.criterion for row in result.criteria]
    rows = {row.offer.pk: row for row in result.rows}
    return {
        "currency": decision.base_currency,
        "pay_basis": decision.pay_basis,
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "kind": c.kind,
                "weight": c.weight,
                "floor": plain(c.floor),
                "target": plain(c.target),
            }
            for c in criteria
        ],
        "offers": [
            {
                "id": o.pk,
                "company": o.company,
                "role": o.role,
                **dict(
                    zip(
                        SNAPSHOT_PAY_FIELDS,
                        (plain(o.first_year_total_in_base), plain(o.annualised_total_in_base)),
                        strict=True,
                    )
                ),
                "ratings": {
                    c.name: cell(ratings.get((o.pk, c.pk)))
                    for c in criteria
                    if c.kind_spec.has_cell
                },
            }
            for o in decision.offers.all()
        ],
        "ranking": [
            {
                "offer": offer_id,
                "company": row.offer.company,
                "rank": row.result.rank,
                "score": round(row.result.score, 2),
                "win_share": row.win_share,
            }
            for offer_id, row in rows.items()
        ],
        "ranking_error": result.error,
    }


@transaction.atomic
def decision_decide(
    *,
    decision: Decision,
    actor: User,
    chosen_offer: Offer,
    why: str,
    confidence: int | None,
    review_on: dt.date | None,
) -> Decision:
    """Record the choice: the chosen offer is accepted, the others stay open until declined.

    The weights, ratings, scores and ranking are frozen into the decision and the log
    entry, so later edits never rewrite the reasons. Deciding again moves the
    acceptance to the new offer. Returns the decision as saved.
    """
    current = lock_decision(decision.pk)
    chosen = current.offers.filter(pk=chosen_offer.pk).first()
    if chosen is None:
        raise ValidationError({"chosen_offer": "Choose one of this decision’s offers."})
    if chosen.status not in (Offer.Status.OPEN, Offer.Status.ACCEPTED):
        raise ValidationError(
            {"chosen_offer": f"{chosen} is {chosen.get_status_display().lower()}."}
        )
    if current.is_archived:
        raise ValidationError("Restore this decision from the archive before deciding.")
    previous_id = current.chosen_offer_id
    if previous_id is not None and previous_id != chosen.pk:
        current.offers.filter(pk=previous_id, status=Offer.Status.ACCEPTED).update(
            status=Offer.Status.OPEN
        )
    snapshot = _snapshot(current)
    current.status = Decision.Status.DECIDED
    current.chosen_offer = chosen
    current.decided_at = timezone.now()
    current.decided_reason = why.strip()
    current.confidence = confidence
    current.review_on = review_on
    current.decided_snapshot = snapshot
    current.full_clean()
    current.save()
    chosen.status = Offer.Status.ACCEPTED
    chosen.save(update_fields=["status", "updated_at"])
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.DECIDED,
        summary=f"Decided: {chosen}"
        + (f" (confidence {confidence}%)" if confidence is not None else ""),
        data={
            "chosen_offer": chosen.pk,
            "previous_offer": previous_id,
            "why": current.decided_reason,
            "confidence": confidence,
            "review_on": plain(review_on),
            "snapshot": snapshot,
        },
    )
    return current


REFLECTION_SUMMARIES = {
    LogEntry.Kind.GOAL: "Wrote down a goal",
    LogEntry.Kind.SCENARIO: "Thought through a scenario",
    LogEntry.Kind.REFLECTION: "Answered a reflective question",
    LogEntry.Kind.FEELING: "Checked in with a feeling",
    LogEntry.Kind.LOOK_BACK: "Looked back on the decision",
}


@transaction.atomic
def reflection_add(
    *,
    decision: Decision,
    actor: User,
    kind: str,
    body: str,
    private: bool = False,
    question: str = "",
    feeling: str = "",
    intensity: int | None = None,
) -> LogEntry:
    """Add the candidate's own words to the log: a goal, a scenario, an answer to a
    reflective question, a feeling check-in (feeling and intensity 1-5) or a look back.

    ``private`` entries are never shown to a coach.
    """
    if kind not in REFLECTION_SUMMARIES:
        raise ValidationError("Not a kind of reflection.")
    kind = LogEntry.Kind(kind)
    body = body.strip()
    if kind == LogEntry.Kind.FEELING:
        if feeling not in FEELINGS:
            raise ValidationError({"feeling": "Pick a feeling from the list."})
        if intensity is None or not 1 <= intensity <= 5:
            raise ValidationError({"intensity": "Intensity runs from 1 to 5."})
        data: dict[str, Any] = {"feeling": feeling, "intensity": intensity}
        summary = f"Feeling {feeling.lower()} ({intensity}/5)"
    else:
        if not body:
            raise ValidationError({"body": "Write a few words first."})
        data = {"question": question} if question else {}
        summary = REFLECTION_SUMMARIES[kind]
    if kind == LogEntry.Kind.LOOK_BACK and not lock_decision(decision.pk).is_decided:
        raise ValidationError("There is no decision to look back on yet.")
    if len(body) > 4000:
        raise ValidationError({"body": "Keep it within 4,000 characters."})
    entry = LogEntry(
        decision=decision,
        author=actor,
        kind=kind,
        summary=summary,
        body=body,
        data=data,
        private=private,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def tiebreaker_answer_add(
    *, decision: Decision, actor: User, question: str, chosen: Offer, why: str = ""
) -> LogEntry:
    """Keep the candidate's answer to a close call's ``question`` (``decisions.explain``'s
    tiebreaker) as a reflection: which offer they would take, and why. The ranking is
    not changed: the answer informs the choice, it does not make it."""
    if chosen.decision_id != decision.pk:
        raise ValidationError({"offer": "Choose one of this decision’s offers."})
    why = why.strip()
    return reflection_add(
        decision=decision,
        actor=actor,
        kind=LogEntry.Kind.REFLECTION,
        question=question,
        body=f"I would take {chosen.company}." + (f" {why}" if why else ""),
    )
