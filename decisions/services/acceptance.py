"""Writes to an offer's standing after the choice: the employer's written confirmation
of an acceptance, and a declined offer the employer says is still open."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import ACCEPTED_STATUSES, Decision, LogEntry, Offer
from decisions.selectors import accepted_on
from decisions.services.log import lock_decision, log_append, plain
from offerdesk.accounts.models import User
from offerdesk.formats import date_text


def status_edit_refusal(before: str, after: str) -> str:
    """Why an offer's status may not be edited from ``before`` to ``after`` by hand
    (empty when it may): accepting, confirming, taking an acceptance back and
    reopening a declined offer each have their own step, logged as such, so that no
    edit reopens an acceptance silently or puts two offers at "accepted"."""
    flow = (*ACCEPTED_STATUSES, Offer.Status.RETRACTED)
    if before in ACCEPTED_STATUSES:
        return (
            "You accepted this offer. To choose another, use “Change your mind” on the "
            "decision page; the employer’s written confirmation is recorded there too."
        )
    if before == Offer.Status.RETRACTED:
        return "You took back your acceptance of this offer; that stays on its record."
    if after in flow:
        return (
            "An offer is accepted by deciding on it, confirmed from the decision page, and "
            "its acceptance taken back through “Change your mind”."
        )
    if before == Offer.Status.DECLINED and after == Offer.Status.OPEN:
        return (
            "You declined this offer. Ask whether it is still open first; when they say "
            "yes, record it on the “Change your mind” page and it opens again."
        )
    return ""


def removal_refusal(status: str) -> str:
    """Why an offer at ``status`` may not be removed (empty when it may): an offer
    the candidate accepted, or whose acceptance they took back, is part of what they
    told an employer. Removing the accepted one would reopen the decision silently;
    removing a retracted one would lose the withdrawal still owed to its employer."""
    if status in ACCEPTED_STATUSES:
        return (
            "You accepted this offer, so it stays: removing it would undo your decision "
            "without a word to the employer. To choose another offer, use “Change your "
            "mind” on the decision page."
        )
    if status == Offer.Status.RETRACTED:
        return (
            "You took back your acceptance of this offer, so it stays on the decision’s "
            "record, with the withdrawal you owe the employer."
        )
    return ""


def _locked(offer: Offer) -> tuple[Offer, Decision]:
    """The offer as stored, under its decision's lock, and that decision."""
    decision = lock_decision(offer.decision_id)
    return decision.offers.get(pk=offer.pk), decision


@transaction.atomic
def offer_confirm(*, offer: Offer, actor: User, confirmed_on: dt.date) -> Offer:
    """Record that the employer confirmed the candidate's acceptance in writing on
    ``confirmed_on`` (today or earlier): ``accepted`` becomes ``confirmed``; logs one
    ``offer_changed``. Refused, with nothing written, for an offer not awaiting a
    confirmation, a day still to come, or a day before the acceptance
    (``selectors.accepted_on``). Returns the offer as saved."""
    current, decision = _locked(offer)
    if current.status == Offer.Status.CONFIRMED:
        raise ValidationError(
            f"{current.company} confirmed it already, on {date_text(current.confirmed_on)}."
            if current.confirmed_on
            else f"{current.company} confirmed it already."
        )
    if current.status != Offer.Status.ACCEPTED:
        raise ValidationError(
            f"Only an accepted offer awaits a confirmation; {current} is "
            f"{current.get_status_display().lower()}."
        )
    if confirmed_on > timezone.localdate():
        raise ValidationError(
            {"confirmed_on": "That day is still to come: record it once it is in writing."}
        )
    accepted = accepted_on(current)
    if accepted is not None and confirmed_on < accepted:
        raise ValidationError(
            {
                "confirmed_on": f"You accepted the offer on {date_text(accepted)}, so their "
                "confirmation came that day or later."
            }
        )
    changes = {
        "status": {"before": current.status, "after": Offer.Status.CONFIRMED.value},
        "confirmed_on": {"before": plain(current.confirmed_on), "after": plain(confirmed_on)},
    }
    current.status = Offer.Status.CONFIRMED
    current.confirmed_on = confirmed_on
    current.version += 1
    current.full_clean()
    current.save(update_fields=["status", "confirmed_on", "version", "updated_at"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_CHANGED,
        summary=f"{current.company} confirmed the acceptance of {current} in writing "
        f"({date_text(confirmed_on)})",
        data={"offer": current.pk, "changes": changes},
    )
    return current


@transaction.atomic
def offer_reopen(*, offer: Offer, actor: User) -> Offer:
    """Record that the employer of a declined offer says it is still open: the offer
    is ``open`` again, so it can be chosen (through ``decision_change_mind`` when
    another offer is accepted); logs one ``offer_changed``. Refused, with nothing
    written, for an offer that is not declined. Returns the offer as saved."""
    current, decision = _locked(offer)
    if current.status != Offer.Status.DECLINED:
        raise ValidationError(
            f"Only a declined offer can be opened again; {current} is "
            f"{current.get_status_display().lower()}."
        )
    current.status = Offer.Status.OPEN
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_CHANGED,
        summary=f"{current.company} said the offer is still open: {current} can be chosen again",
        data={
            "offer": current.pk,
            "changes": {"status": {"before": Offer.Status.DECLINED.value, "after": "open"}},
        },
    )
    return current
