"""Writes to a decision itself: start it, change its details, archive and restore it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions import kinds
from decisions.compensation import rebased_rates
from decisions.models import (
    MUST_HAVE_LOCATION,
    MUST_HAVE_WORK_MODE,
    AnchorSuggestion,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    place_name,
    same_place,
)
from decisions.services.log import (
    apply_changes,
    as_decimal,
    field_labels,
    lock_decision,
    log_append,
    plain,
)
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


@dataclass(frozen=True, kw_only=True)
class PayRange:
    """The salary criterion's scale as a new decision asks for it: the least yearly pay
    the candidate would accept (``floor``) and the pay past which more matters little
    (``target``). ``suggested_from`` says Offerdesk proposed it and the candidate has
    not made it theirs (then its floor rules nothing out)."""

    floor: Decimal
    target: Decimal
    suggested_from: str = ""


@transaction.atomic
def decision_create(
    *, owner: User, data: DecisionData, pay_range: PayRange | None = None
) -> Decision:
    """Start a decision with the five default criteria, the salary criterion on
    ``pay_range`` when given (else its range is suggested from the first offers);
    logs one ``decision_created``."""
    decision = Decision(owner=owner)
    apply_changes(decision, replace(data, title=data.title.strip()))
    decision.full_clean()
    decision.save()
    criteria = [
        Criterion(decision=decision, name=name, kind=kind, weight=weight, position=position)
        for position, (name, kind, weight) in enumerate(DEFAULT_CRITERIA)
    ]
    if pay_range is not None:
        pay = next(c for c in criteria if c.kind_spec.pay)
        pay.floor, pay.target = pay_range.floor, pay_range.target
        pay.suggested_from = pay_range.suggested_from
        pay.full_clean(exclude=["decision"])
        errors = pay.kind_spec.anchor_errors(pay.floor, pay.target)
        if errors:
            raise ValidationError({f"pay_{field}": message for field, message in errors.items()})
    Criterion.objects.bulk_create(criteria)
    log_append(
        decision=decision,
        author=owner,
        kind=LogEntry.Kind.DECISION_CREATED,
        summary=f"Started “{decision.title}”",
        data={
            "title": decision.title,
            "base_currency": decision.base_currency,
            "criteria": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "weight": c.weight,
                    **(
                        {
                            "floor": plain(c.floor),
                            "target": plain(c.target),
                            "suggested_from": c.suggested_from,
                        }
                        if c.floor is not None
                        else {}
                    ),
                }
                for c in criteria
            ],
        },
    )
    return decision


def pay_range_suggestion(current_pay: Decimal) -> PayRange | None:
    """The salary range a new decision suggests from the candidate's current yearly pay."""
    suggested = kinds.pay_range_from_current(float(current_pay))
    if suggested is None:
        return None
    floor, target = suggested
    return PayRange(
        floor=as_decimal(floor),
        target=as_decimal(target),
        suggested_from=AnchorSuggestion.CURRENT_PAY,
    )


@transaction.atomic
def decision_must_haves_set(
    *,
    decision: Decision,
    actor: User,
    work_modes: Sequence[str],
    locations: Sequence[str],
) -> dict[str, dict[str, list[str]]]:
    """Rule out offers by how they work (on-site, hybrid, remote) and where they are
    (locations match whatever their case). Returns the changes, logged as one
    ``must_haves_changed`` with before and after (empty: nothing written)."""
    current = lock_decision(decision.pk)
    cleaned_places: list[str] = []
    for place in locations:
        place = place_name(place)
        if place and not any(same_place(place, kept) for kept in cleaned_places):
            cleaned_places.append(place)
    after = {
        MUST_HAVE_WORK_MODE: [m for m in Offer.WorkMode.values if m in set(work_modes)],
        MUST_HAVE_LOCATION: cleaned_places,
    }
    if set(work_modes) - set(Offer.WorkMode.values):
        raise ValidationError({"work_modes": "Pick on-site, hybrid or remote."})
    after = {key: values for key, values in after.items() if values}
    before = current.must_haves or {}
    if before == after:
        return {}
    current.must_haves = after
    current.full_clean()
    current.save(update_fields=["must_haves", "updated_at"])
    changes = {
        key: {"before": list(before.get(key, [])), "after": list(after.get(key, []))}
        for key in (MUST_HAVE_WORK_MODE, MUST_HAVE_LOCATION)
        if before.get(key, []) != after.get(key, [])
    }
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.MUST_HAVES_CHANGED,
        summary=_must_haves_summary(after),
        data={"changes": changes},
    )
    decision.must_haves = current.must_haves
    return changes


def _must_haves_summary(must_haves: dict[str, list[str]]) -> str:
    modes = [Offer.WorkMode(m).label.lower() for m in must_haves.get(MUST_HAVE_WORK_MODE, [])]
    places = must_haves.get(MUST_HAVE_LOCATION, [])
    parts = []
    if modes:
        parts.append(f"{' and '.join(modes)} offers")
    if places:
        parts.append(f"offers in {', '.join(places)}")
    return (
        f"Ruled out {' and '.join(parts)}"
        if parts
        else "Cleared the deal-breakers on work mode and location"
    )


@transaction.atomic
def decision_update(*, decision: Decision, actor: User, data: DecisionData) -> dict[str, dict]:
    """Change title, goals, base currency or pay basis; returns the changes (empty:
    nothing written). Compares with the row as stored, read again under a lock.

    A new base currency moves every offer's rate to it (``_rates_rebased``), or is
    refused when the offers' rates cannot say what they are worth in it.
    """
    current = lock_decision(decision.pk)
    old_currency = current.base_currency
    changes = apply_changes(current, replace(data, title=data.title.strip()))
    if not changes:
        return changes
    current.full_clean()
    current.save()
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.DECISION_CHANGED,
        summary=f"Changed the decision’s {field_labels(Decision, changes)}",
        data={"changes": changes},
    )
    if "base_currency" in changes:
        _rates_rebased(current, actor, old=old_currency)
    return changes


def _rates_rebased(decision: Decision, actor: User, *, old: str) -> None:
    """Each offer's rate to the decision's new currency, worked out from the rates the
    candidate gave (``compensation.rebased_rates``) and logged per offer: an offer in
    the new currency converts at 1 from no day; the others keep the older of the two
    days their new rate comes from. With no offer in the new currency to tell what
    one of the old is worth in it, the change is refused and nothing is written."""
    new = decision.base_currency
    offers = list(decision.offers.select_for_update().order_by("pk"))
    rebased = rebased_rates({o.pk: (o.currency, o.rate_to_base) for o in offers}, old=old, new=new)
    if rebased is None:
        converted = ", ".join(f"{o.company} ({o.currency})" for o in offers if o.currency != new)
        raise ValidationError(
            {
                "base_currency": f"No offer is paid in {new}, so nothing says what {old} and "
                f"the other currencies are worth in it: {converted} would be compared at "
                f"rates no one gave. Keep {old}, or add the offer paid in {new} first."
            }
        )
    anchor_day = next((o.rate_on for o in offers if o.currency == new), None)
    for offer in offers:
        rate_on = None
        if offer.currency != new:
            days = [day for day in (offer.rate_on, anchor_day) if day]
            rate_on = min(days) if days else None
        before = {"rate_to_base": plain(offer.rate_to_base), "rate_on": plain(offer.rate_on)}
        offer.rate_to_base, offer.rate_on = rebased[offer.pk], rate_on
        after = {"rate_to_base": plain(offer.rate_to_base), "rate_on": plain(offer.rate_on)}
        moved = {
            name: {"before": before[name], "after": after[name]}
            for name in before
            if before[name] != after[name]
        }
        if not moved:
            continue
        offer.version += 1
        offer.save(update_fields=["rate_to_base", "rate_on", "version", "updated_at"])
        log_append(
            decision=decision,
            author=actor,
            kind=LogEntry.Kind.OFFER_CHANGED,
            summary=f"Worked out {offer}’s exchange rate to {new}, the decision’s new currency",
            data={"offer": offer.pk, "changes": moved},
        )


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
