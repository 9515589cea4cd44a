"""Writes to a decision's offers: add, change, remove."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.compensation import yearly_salary
from decisions.deadlines import FURTHEST_AHEAD
from decisions.kinds import MAX_AMOUNT
from decisions.models import MAX_OFFERS_PER_DECISION, OFFER_FIELDS, Decision, LogEntry, Offer
from decisions.services.acceptance import removal_refusal, status_edit_refusal
from decisions.services.criteria import scales_fill
from decisions.services.log import (
    apply_changes,
    claim_version,
    field_labels,
    lock_decision,
    log_append,
    plain,
    snapshot,
)
from offerdesk.accounts.models import User
from offerdesk.formats import date_text, money

CENT = Decimal("0.01")
OFFERS_FULL = (
    f"A decision holds at most {MAX_OFFERS_PER_DECISION} offers, and this one has them all. "
    "Remove an offer you no longer weigh to add another."
)


@dataclass(frozen=True, kw_only=True)
class OfferData:
    """An offer as the candidate enters it: exactly ``models.OFFER_FIELDS`` (a test
    keeps the two in step), with the model's defaults."""

    company: str
    role: str
    location: str = ""
    work_mode: str = Offer.WorkMode.HYBRID
    currency: str = "USD"
    rate_to_base: Decimal = Decimal(1)
    rate_on: dt.date | None = None
    salary_period: str = Offer.SalaryPeriod.YEARLY
    monthly_salary: Decimal | None = None
    salaries_per_year: int = 12
    base_salary: Decimal | None = None
    bonus: Decimal = Decimal(0)
    equity_per_year: Decimal = Decimal(0)
    signing_bonus: Decimal = Decimal(0)
    benefits_value: Decimal = Decimal(0)
    refresher_per_year: Decimal = Decimal(0)
    vesting: str = Offer.Vesting.EVEN
    annual_raise: Decimal = Decimal(0)
    cliff_months: int = 12
    equity_kind: str = Offer.EquityKind.RSU
    equity_valued_percent: Decimal | None = None
    share_price: Decimal | None = None
    strike_price: Decimal | None = None
    cost_of_living: int | None = None
    response_deadline: dt.date | None = None
    expected_on: dt.date | None = None
    recruiter_name: str = ""
    recruiter_email: str = ""
    status: str = Offer.Status.OPEN
    notes: str = ""


def offers_full(decision: Decision) -> bool:
    """True when ``decision`` holds as many offers as it may: the add page says so
    instead of offering a form that ``offer_create`` would refuse."""
    return decision.offers.count() >= MAX_OFFERS_PER_DECISION


def offer_worked_out(data: OfferData, decision: Decision) -> OfferData:
    """What is worked out rather than kept as typed: an offer paid in the decision's
    own currency converts at exactly 1 (and has no rate's day); a salary given by the
    month makes the yearly one; share and strike prices belong to options alone."""
    if data.currency == decision.base_currency:
        data = replace(data, rate_to_base=Decimal(1), rate_on=None)
    if data.salary_period == Offer.SalaryPeriod.MONTHLY and data.monthly_salary is not None:
        data = replace(data, base_salary=yearly_salary(data.monthly_salary, data.salaries_per_year))
    else:
        data = replace(data, salary_period=Offer.SalaryPeriod.YEARLY, monthly_salary=None)
    if data.equity_kind != Offer.EquityKind.OPTIONS:
        data = replace(data, share_price=None, strike_price=None)
    return data


# The fields ``offer_pay_refusals`` reads: its rules run once each of them is valid.
PAY_RULE_FIELDS = (
    "currency",
    "rate_to_base",
    "rate_on",
    "salary_period",
    "monthly_salary",
    "salaries_per_year",
    "base_salary",
    "equity_kind",
    "share_price",
    "strike_price",
)


def offer_pay_refusals(data: OfferData, decision: Decision) -> dict[str, str]:
    """What the pay as given cannot be, by field, before ``offer_worked_out`` works the
    rest out: an offer in another currency has a rate that is not the starting 1 and
    the day of that rate, a day that has come; a salary by the month has its month,
    which makes no more than any yearly figure may; a monthly figure given by the year
    needs the yearly one beside it; options have both their prices."""
    refusals = {}
    base, currency = decision.base_currency, data.currency
    if currency != base:
        if data.rate_to_base == 1:
            # The field used to start at 1: every figure of the offer would be compared
            # as if one unit of each currency were worth the same.
            refusals["rate_to_base"] = (
                f"1 {currency} is rarely worth exactly 1 {base}: enter the rate of the day "
                f"(how many {base} one {currency} buys), so that this offer's pay is "
                "compared at its worth."
            )
        if data.rate_on is None:
            # Rates move: a converted figure is only as good as the day of its rate.
            refusals["rate_on"] = (
                f"Give the day of this rate: rates between {currency} and {base} move, "
                "and the comparison says which day’s rate it converts at."
            )
        elif data.rate_on > timezone.localdate():
            refusals["rate_on"] = (
                "That day is still to come: give the day the rate is from, today or before."
            )
    if data.salary_period == Offer.SalaryPeriod.MONTHLY:
        if data.monthly_salary is None:
            refusals["monthly_salary"] = (
                "Give one month’s salary, or choose “By the year” and give the yearly base salary."
            )
        elif (yearly := yearly_salary(data.monthly_salary, data.salaries_per_year)) > MAX_AMOUNT:
            refusals["monthly_salary"] = (
                f"{data.salaries_per_year} salaries of that make {money(yearly, currency)} a "
                "year, over 100,000,000: check for an extra zero."
            )
    elif data.monthly_salary is not None and data.base_salary is None:
        refusals["salary_period"] = (
            "You gave a monthly salary: choose “By the month” to count it, or give the "
            "yearly base salary instead."
        )
    if data.equity_kind == Offer.EquityKind.OPTIONS:
        if data.share_price is None:
            refusals["share_price"] = (
                "Stock options need the share price: what one share is worth today (the "
                "last funding round’s price, or the market’s)."
            )
        if data.strike_price is None:
            refusals["strike_price"] = (
                "Stock options need the strike price: what you pay per share when you "
                "exercise them (0 if nothing)."
            )
    return refusals


def _claim(offer: Offer, expected_version: int | None) -> tuple[Offer, int]:
    """The offer as stored, and the version its change takes: its decision locked
    first, then the offer (``claim_version``), the order every writer of a decision
    takes them in so that two never wait on each other."""
    decision = lock_decision(offer.decision_id)
    next_version = claim_version(Offer, offer.pk, expected_version)
    current = decision.offers.get(pk=offer.pk)
    current.decision = decision
    return current, next_version


def _changed(
    current: Offer,
    *,
    version: int,
    actor: User,
    summary: str,
    data: Mapping[str, Any],
    fill_scales: bool = True,
) -> None:
    """Save ``current`` (claimed by ``_claim``) at ``version`` and log the change as one
    ``offer_changed``; with ``fill_scales``, suggest the pay range the new figures
    may allow (``criteria.scales_fill``)."""
    current.version = version
    current.full_clean()
    current.save()
    log_append(
        decision=current.decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_CHANGED,
        summary=summary,
        data=data,
    )
    if fill_scales:
        scales_fill(decision=current.decision, actor=actor)


@transaction.atomic
def offer_create(*, decision: Decision, actor: User, data: OfferData) -> Offer:
    """Add an offer to a decision; logs one ``offer_added`` (and, for the first offer
    with pay, the pay range suggested from it: ``criteria.scales_fill``). A decision
    holds at most ``MAX_OFFERS_PER_DECISION`` offers: the next one is refused. So is
    an offer that starts accepted, confirmed or retracted: only the flows put an offer
    there (``acceptance.status_edit_refusal``)."""
    if refusal := status_edit_refusal(Offer.Status.OPEN, data.status):
        raise ValidationError({"status": refusal})
    current = lock_decision(decision.pk)
    if offers_full(current):
        raise ValidationError(OFFERS_FULL)
    if refusals := offer_pay_refusals(data, current):
        raise ValidationError(refusals)
    offer = Offer(decision=current)
    apply_changes(offer, offer_worked_out(data, current))
    offer.full_clean()
    offer.save()
    log_append(
        decision=current,
        author=actor,
        kind=LogEntry.Kind.OFFER_ADDED,
        summary=f"Added the offer {offer}",
        data={"offer": offer.pk, **snapshot(offer, OFFER_FIELDS)},
    )
    scales_fill(decision=current, actor=actor)
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, actor: User, data: OfferData, expected_version: int | None = None
) -> dict[str, dict[str, Any]]:
    """Change an offer; returns the changes, logged with before and after (empty:
    nothing written). Compares with the row as stored, read again under a lock.

    With ``expected_version``, an offer changed since the form was read is refused.
    A status the flows own (accepted, confirmed, retracted, a declined offer opened
    again) is refused too: ``acceptance.status_edit_refusal``.
    """
    current, next_version = _claim(offer, expected_version)
    if refusals := offer_pay_refusals(data, current.decision):
        raise ValidationError(refusals)
    changes = apply_changes(current, offer_worked_out(data, current.decision))
    if not changes:
        return changes
    if "status" in changes and (
        refusal := status_edit_refusal(changes["status"]["before"], changes["status"]["after"])
    ):
        raise ValidationError({"status": refusal})
    _changed(
        current,
        version=next_version,
        actor=actor,
        summary=f"Changed {current}: {field_labels(Offer, changes)}",
        data={"offer": current.pk, "changes": changes},
    )
    return changes


@transaction.atomic
def offer_remove(*, offer: Offer, actor: User) -> None:
    """Delete an offer and its ratings; the log keeps its details. An offer accepted,
    confirmed or retracted is refused (ValidationError, nothing removed):
    ``acceptance.removal_refusal``."""
    decision = lock_decision(offer.decision_id)
    current = decision.offers.get(pk=offer.pk)
    if refusal := removal_refusal(current.status):
        raise ValidationError(refusal)
    kept = snapshot(current, OFFER_FIELDS)
    label = str(current)
    current.delete()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_REMOVED,
        summary=f"Removed the offer {label}",
        data={"offer": offer.pk, **kept},
    )


# After asking: the employer's answer ---------------------------------------------------

# The figures a counter-ask's answer may change, in the order a summary names them.
NEGOTIATED_FIELDS = ("base_salary", "bonus", "signing_bonus", "equity_per_year")


@transaction.atomic
def offer_negotiated(
    *, offer: Offer, actor: User, figures: Mapping[str, Decimal | None]
) -> dict[str, dict[str, Any]]:
    """Record the employer's answer to a counter-ask: the new yearly ``figures``
    (names from ``NEGOTIATED_FIELDS``; None or absent keeps the figure as it is).
    Logs one ``offer_changed`` whose summary says it followed the negotiation, and
    returns the changes (empty, and nothing written, when the figures were already
    those). The ranking follows, since it reads the offer. An offer paid by the month
    keeps its month and its yearly base together: a new base moves the month.

    Refused (ValidationError, nothing saved): an offer no longer open, no figure
    given, a name not in ``NEGOTIATED_FIELDS``, a figure the model refuses.
    """
    unknown = set(figures) - set(NEGOTIATED_FIELDS)
    if unknown:
        raise ValueError(f"Not a negotiated figure: {', '.join(sorted(unknown))}")
    given = {name: value for name, value in figures.items() if value is not None}
    if not given:
        raise ValidationError("Give at least one new figure, or leave the offer as it is.")
    current, next_version = _claim(offer, None)
    if current.status != Offer.Status.OPEN:
        raise ValidationError(
            f"{current.company}'s offer is no longer open, so its figures stay as they were."
        )
    given = _by_the_month(current, given)
    changes = {}
    for name in (*NEGOTIATED_FIELDS, "monthly_salary"):
        if name in given and plain(getattr(current, name)) != plain(given[name]):
            changes[name] = {"before": plain(getattr(current, name)), "after": plain(given[name])}
            setattr(current, name, given[name])
    if not changes:
        return changes
    _changed(
        current,
        version=next_version,
        actor=actor,
        summary=_negotiated_summary(current, changes),
        data={"offer": current.pk, "changes": changes, "after": "negotiation"},
    )
    return changes


def _by_the_month(offer: Offer, figures: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``figures`` as ``offer`` keeps them: a new base salary of an offer paid by the
    month moves its month (to the cent), and the base is the month's again, so that
    the two never part (``offer_worked_out``)."""
    if "base_salary" not in figures or offer.salary_period != Offer.SalaryPeriod.MONTHLY:
        return dict(figures)
    salaries = offer.salaries_per_year
    monthly = (figures["base_salary"] / salaries).quantize(CENT, rounding=ROUND_HALF_UP)
    return {**figures, "monthly_salary": monthly, "base_salary": yearly_salary(monthly, salaries)}


def _negotiated_summary(offer: Offer, changes: Mapping[str, Mapping[str, Any]]) -> str:
    """ "Beta improved the offer after you asked: base salary and signing bonus".

    The figures are in the entry's ``changes``, where a coach who may not see pay has
    them hidden; a summary is shown as it is, so it names the fields only.
    """
    improved = all(
        change["before"] is None or Decimal(change["after"]) > Decimal(change["before"])
        for change in changes.values()
    )
    verb = "improved" if improved else "changed"
    return f"{offer.company} {verb} the offer after you asked: {field_labels(Offer, changes)}"


@transaction.atomic
def offer_deadline_extend(*, offer: Offer, actor: User, until: dt.date, today: dt.date) -> Offer:
    """Record that the employer agreed to wait: the offer's reply deadline becomes
    ``until``; logs one ``offer_changed``. Returns the offer as stored.

    Refused (ValidationError on ``until``, nothing saved): an offer no longer open, a
    day not after ``today``, more than a year away, or not after the deadline it had.
    """
    current, next_version = _claim(offer, None)
    if current.status != Offer.Status.OPEN:
        raise ValidationError(f"{current.company}'s offer is no longer open.")
    if until <= today:
        raise ValidationError({"until": "Give the new day, after today."})
    if until > today + FURTHEST_AHEAD:
        raise ValidationError({"until": "Give a day within the next year."})
    before = current.response_deadline
    if before is not None and until <= before:
        raise ValidationError(
            {
                "until": f"The deadline is already {date_text(before)}: give the later day "
                "they agreed."
            }
        )
    current.response_deadline = until
    _changed(
        current,
        version=next_version,
        actor=actor,
        summary=f"{current.company} agreed to wait for your answer until {date_text(until)}"
        + (f" (it was {date_text(before)})" if before else ""),
        data={
            "offer": current.pk,
            "changes": {"response_deadline": {"before": plain(before), "after": plain(until)}},
            "after": "extension",
        },
        # A deadline moves no pay figure, so no scale can follow from it.
        fill_scales=False,
    )
    return current
