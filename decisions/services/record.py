"""Writes to the decision record: the choice itself, a change of mind after accepting,
and the candidate's own words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import (
    ACCEPTED_STATUSES,
    SNAPSHOT_PAY_FIELDS,
    Decision,
    Homework,
    LogEntry,
    Offer,
)
from decisions.prompts import FEELINGS
from decisions.selectors import comparison, ratings_for
from decisions.services.homework import exercise_done
from decisions.services.log import lock_decision, log_append, plain
from decisions.services.notifications import notify
from decisions.services.ratings import cell
from offerdesk.accounts.models import User

# Codes by which a view tells these refusals from others, to offer the right flow.
CHANGE_OF_MIND = "change_of_mind"
DECLINED_BEFORE = "declined_before"


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
        # Whether the top two stood within a few points: a coach's "what needs attention".
        "close_call": bool(result.result and result.result.close_call),
    }


def accepted_offer(decision: Decision) -> Offer | None:
    """The offer of ``decision`` the candidate has accepted (confirmed in writing or
    not), or None: the one an employer has been told yes."""
    return decision.offers.filter(status__in=ACCEPTED_STATUSES).first()


def _record_choice(
    current: Decision,
    chosen: Offer,
    *,
    why: str,
    confidence: int | None,
    review_on: dt.date | None,
) -> dict[str, Any]:
    """Make ``chosen`` the decision's choice and freeze the ranking into it (the
    caller holds the decision's lock and then the offer's, read by ``_choosable``,
    checks the offer and writes the log entry). Returns the snapshot frozen."""
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
    if not chosen.is_accepted:
        # Choosing the same offer again keeps a confirmation already received.
        chosen.status = Offer.Status.ACCEPTED
        chosen.version += 1
        chosen.save(update_fields=["status", "version", "updated_at"])
    return snapshot


def _choosable(current: Decision, offer: Offer) -> Offer:
    """``offer`` as stored and locked, if it belongs to ``current`` (whose lock the
    caller holds: the decision first, then its offers, as every writer takes them); a
    ValidationError otherwise, for an archived decision and for an offer still to come."""
    chosen = current.offers.select_for_update().filter(pk=offer.pk).first()
    if chosen is None:
        raise ValidationError({"chosen_offer": "Choose one of this decision’s offers."})
    if current.is_archived:
        raise ValidationError("Restore this decision from the archive before deciding.")
    if chosen.is_awaited:
        raise ValidationError(
            {
                "chosen_offer": f"{chosen.company}’s offer has not arrived yet. When it does, "
                "add its figures, and it can be chosen."
            }
        )
    return chosen


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
    """Record the choice: the chosen offer is accepted (awaiting the employer's written
    confirmation), the others stay open until declined.

    The weights, ratings, scores and ranking are frozen into the decision and the log
    entry, so later edits never rewrite the reasons. Deciding again for the offer
    already accepted updates the reasons and keeps its confirmation. Choosing another
    offer once one is accepted is refused (``CHANGE_OF_MIND``): an employer already
    told yes is told otherwise only through ``decision_change_mind``. A declined,
    expired or withdrawn offer cannot be chosen. Returns the decision as saved.
    """
    current = lock_decision(decision.pk)
    chosen = _choosable(current, chosen_offer)
    accepted = accepted_offer(current)
    if accepted is not None and accepted.pk != chosen.pk:
        raise ValidationError(
            {
                "chosen_offer": ValidationError(
                    f"You accepted {accepted} already. To choose another offer, change your "
                    "mind on its own page: it drafts the message that takes the acceptance "
                    "back.",
                    code=CHANGE_OF_MIND,
                )
            }
        )
    if chosen.status == Offer.Status.DECLINED:
        raise ValidationError(
            {
                "chosen_offer": ValidationError(
                    f"You declined {chosen}. Ask {chosen.company} whether the offer is still "
                    "open before choosing it.",
                    code=DECLINED_BEFORE,
                )
            }
        )
    if not (chosen.status == Offer.Status.OPEN or chosen.is_accepted):
        raise ValidationError(
            {"chosen_offer": f"{chosen} is {chosen.get_status_display().lower()}."}
        )
    previous_id = current.chosen_offer_id
    snapshot = _record_choice(current, chosen, why=why, confidence=confidence, review_on=review_on)
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


@transaction.atomic
def decision_change_mind(
    *,
    decision: Decision,
    actor: User,
    chosen_offer: Offer,
    reason: str,
    why: str,
    confidence: int | None,
    review_on: dt.date | None,
) -> Offer:
    """Take back the acceptance of one offer to accept another: the offer accepted
    until now becomes ``retracted``, ``chosen_offer`` (an open one) ``accepted``, and
    the ranking is frozen again as ``decision_decide`` does. ``reason``, why the
    candidate changes their mind, is required and is the one log entry's body; a
    confirmation's day moves from the retracted offer into that entry.

    Refused, with nothing written, when no offer is accepted yet (decide as usual),
    when ``chosen_offer`` is the one accepted or is not open, or without a reason.
    Returns the retracted offer, to whose employer the withdrawal is owed.
    """
    current = lock_decision(decision.pk)
    chosen = _choosable(current, chosen_offer)
    previous = current.offers.select_for_update().filter(status__in=ACCEPTED_STATUSES).first()
    if previous is None:
        raise ValidationError("No offer is accepted yet, so there is nothing to take back.")
    if chosen.pk == previous.pk:
        raise ValidationError({"chosen_offer": f"You have accepted {chosen} already."})
    if chosen.status != Offer.Status.OPEN:
        raise ValidationError(
            {"chosen_offer": f"{chosen} is {chosen.get_status_display().lower()}."}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say in a few words why you are changing your mind."})
    if len(reason) > 4000:
        raise ValidationError({"reason": "Keep it within 4,000 characters."})
    was, confirmed_on = previous.status, previous.confirmed_on
    previous.status = Offer.Status.RETRACTED
    # The day is the confirmation's, and a retracted offer has none (the database
    # holds it to that); the entry keeps it.
    previous.confirmed_on = None
    previous.version += 1
    previous.save(update_fields=["status", "confirmed_on", "version", "updated_at"])
    snapshot = _record_choice(current, chosen, why=why, confidence=confidence, review_on=review_on)
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.DECIDED,
        summary=f"Changed my mind: now {chosen}, taking back the acceptance of {previous}",
        body=reason,
        # The reason is the entry's body; the offer accepted before is the one retracted.
        data={
            "chosen_offer": chosen.pk,
            "retracted_offer": previous.pk,
            "retracted_status_before": was,
            **({"retracted_confirmed_on": plain(confirmed_on)} if confirmed_on else {}),
            "why": current.decided_reason,
            "confidence": confidence,
            "review_on": plain(review_on),
            "snapshot": snapshot,
        },
    )
    return previous


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
    notify(entry)
    if kind == LogEntry.Kind.LOOK_BACK and not private:
        # A private look back ticks nothing off: the coach would learn it exists.
        exercise_done(decision=decision, actor=actor, exercise=Homework.Exercise.LOOK_BACK)
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
