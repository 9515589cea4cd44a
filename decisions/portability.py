"""This app's part of a user's export: decisions as plain rows, and back.

Rows refer to each other by position (the third offer, the second criterion), never
by database id, so a part imports into any account and exports again identically.
Values stay Python values (Decimal, date, datetime); turning them into text is the
job of the project-level module that writes the whole document
(``offerdesk/portability.py``). Other apps add their own keys to an offer's row
through the ``OfferRow`` pairs both directions return, so this module needs none of
them.

An import comes in two steps, so that it holds the database's write lock only for a
moment: ``build_decisions`` reads every row and builds every model instance in memory,
outside any transaction, with the checks the pages make (lengths, choices, ranges,
references, and the shape of everything the pages read); ``save_decisions`` then
writes them with one ``bulk_create`` per model, in the caller's transaction. The
services are not used: they would log each write, and the log is itself part of
what is imported, unchanged.

The models' constraints are not evaluated row by row (the database evaluates each
one as a query: some 20,000 of them for the largest file, half a minute): every one of
them is a field's own check (choices, validators, not blank) or a rule checked here
in memory (a criterion's name once per decision, one computed criterion, a kind's
floor and target, one rating per cell, a range's top above its bottom, one accepted
offer per decision and a confirmation's day only on a confirmed offer). The
database still holds them all, and refuses what this module forgot.

An import takes at most (no real export comes near; the largest file these allow
writes in about half a second on SQLite, which queues every other writer meanwhile):

- ``MAX_DECISIONS`` (20) decisions per file;
- ``MAX_OFFERS_PER_DECISION`` (25) offers and ``MAX_CRITERIA_PER_DECISION`` (25)
  criteria per decision, the app's own caps, and one rating per offer and criterion;
- ``MAX_LOG_ENTRIES`` (1,000) log entries per decision, each with at most
  ``MAX_DATA_VALUES`` values in its data and ``MAX_DATA_TEXT`` characters per text;
- ``MAX_RATINGS_IN_FILE`` (2,500) ratings and ``MAX_LOG_ENTRIES_IN_FILE`` (2,500) log
  entries in the whole file: writing takes some 50 microseconds a row, and these two
  are most of the rows.

Log entries keep their text, data and time. Entries written by someone else, which
in a genuine export are a coach's comments and a coach's joining (the coach's name
as text, since the coach is not part of the export), are left out and counted: a
file cannot show who wrote them, and the pages show a coach's entry as the coach's
own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from decisions import kinds
from decisions.access import owned_decisions
from decisions.compensation import yearly_salary
from decisions.deadlines import FURTHEST_AHEAD
from decisions.models import (
    MAX_CRITERIA_PER_DECISION,
    MAX_OFFERS_PER_DECISION,
    OFFER_FIELDS,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    Rating,
)
from decisions.prompts import FEELINGS
from decisions.selectors import IMPORTED_AUTHOR, LOOKED_UP_FIELDS, NUMBER_FIELDS
from decisions.services.criteria import scales_fill
from decisions.services.log import as_decimal, plain
from decisions.services.ratings import range_error
from offerdesk.accounts.models import User
from offerdesk.validators import one_line, single_line

DECISION_FIELDS = (
    "title", "goals", "status", "base_currency", "pay_basis", "decided_at", "decided_reason",
    "confidence", "review_on", "decided_snapshot", "created_at", "must_haves",
)  # fmt: skip
CRITERION_FIELDS = (
    "name", "kind", "weight", "position", "unit", "floor", "target", "suggested_from",
)  # fmt: skip
# The days the flows around a decline keep on an offer (an offer expected later, an
# acceptance confirmed in writing, a note to send after declining), where the offer's
# form does not ask them; ``OFFER_FIELDS`` may list one, so each is exported once.
OFFER_FLOW_DATES = ("expected_on", "confirmed_on", "stay_in_touch_on")
OFFER_EXPORT_FIELDS = tuple(dict.fromkeys((*OFFER_FIELDS, *OFFER_FLOW_DATES)))
# The document version that added each field; an older document takes its default.
ADDED_IN = {
    "must_haves": 3,
    "suggested_from": 3,
    "value_high": 3,
    **dict.fromkeys(OFFER_FLOW_DATES, 4),
    # The vesting cliff and refresher grants; an older offer has a 12-month cliff, the
    # model's default, which changes only what leaving in the first year takes.
    "cliff_months": 5,
    "refresher_per_year": 5,
    # Pay as it really is: an older offer's salary is yearly, its equity listed shares
    # at full value, its rate without a day and its cost of living that of home.
    **dict.fromkeys(
        (
            "rate_on",
            "salary_period",
            "monthly_salary",
            "salaries_per_year",
            "equity_kind",
            "equity_valued_percent",
            "share_price",
            "strike_price",
            "cost_of_living",
        ),
        6,
    ),
}
LOG_FIELDS = ("kind", "summary", "body", "data", "private", "created_at")
# The key by which an entry's data names the offer it is about (the readers of the
# messages to employers, ``decisions.correspondence``, follow it). From version 4 a
# document names the offer by its position, ``{"position": 2}``, or null; an older
# one kept the id it had in the account it came from, imported as it stands.
OFFER_REFERENCE = "offer"
OFFER_REFERENCE_SINCE = 4
# The other keys by which an entry's data names an offer: a decision record's choice,
# the choice before it and the acceptance taken back, and the acceptance a decline was
# sent despite. Exported by position as ``OFFER_REFERENCE`` is; a file written before
# they were kept the ids of another account, which name nothing here and import as
# null (an older file's ``OFFER_REFERENCE`` imports as it stands, as it always has).
OFFER_REFERENCES = (
    OFFER_REFERENCE,
    "chosen_offer",
    "previous_offer",
    "retracted_offer",
    "despite_unconfirmed",
)
# The document version from which a rating carries one ``value``; before it, a
# rating carried ``score`` (rating criteria) and ``amount`` (amount criteria).
RATING_VALUE_SINCE = 2

MAX_DECISIONS = 20
MAX_LOG_ENTRIES = 1_000
MAX_RATINGS_IN_FILE = 2_500
MAX_LOG_ENTRIES_IN_FILE = 2_500
# The longest text a page writes into an entry's data is a decline message's body
# (messaging.compose.MAX_BODY_CHARS, which this app cannot import).
MAX_DATA_TEXT = 10_000
# A decision record's snapshot or a grid save of 25 x 25 cells holds under 10,000.
MAX_DATA_VALUES = 20_000
IMPORT_LIMITS = (
    f"An import takes at most {MAX_DECISIONS} decisions, each with at most "
    f"{MAX_OFFERS_PER_DECISION} offers, {MAX_CRITERIA_PER_DECISION} criteria, one rating per "
    f"offer and criterion and {MAX_LOG_ENTRIES:,} log entries, and at most "
    f"{MAX_RATINGS_IN_FILE:,} ratings and {MAX_LOG_ENTRIES_IN_FILE:,} log entries in all."
)
# Written by a coach (coach_comment_add, invitation_accept), never by the candidate.
COACH_KINDS = frozenset(
    {
        LogEntry.Kind.COACH_COMMENT,
        LogEntry.Kind.COACH_JOINED,
        LogEntry.Kind.HOMEWORK_SET,
        LogEntry.Kind.HOMEWORK_WITHDRAWN,
    }
)
# Written by the candidate or by a coach: an answer in a thread (a coach's follow-up).
EITHER_KINDS = frozenset({LogEntry.Kind.ANSWER})
# What the log reads of a logged grid cell (selectors._cell_text).
CELL_NUMBERS = ("value", "high", "score", "amount")
# The decide form's limit on "why", which a decision record logs, and the grid's on a
# note, which a ratings change logs.
DECIDED_REASON_LIMIT = Decision._meta.get_field("decided_reason").max_length
NOTE_LIMIT = Rating._meta.get_field("note").max_length
# The questions Offerdesk asks (decisions/prompts.py, the tiebreaker's) are shorter.
QUESTION_LIMIT = 300

_Item = TypeVar("_Item")

# What a damaged document makes Python raise while it is read: a missing key, a value
# of the wrong type, a number that is not one (decimal.InvalidOperation is an
# ArithmeticError). Nothing is written then, so the database raises nothing.
DAMAGE = (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError)


class DamagedExport(ValidationError):
    """A document that cannot be imported, with where in it (``path``, outermost first)
    and what is wrong (``detail``): one message a person can act on."""

    def __init__(self, path: list[str], detail: str) -> None:
        self.path = path
        self.detail = detail
        where = ", ".join(path)
        super().__init__(
            f"The file could not be read as an Offerdesk export: {where}: {detail}"
            if where
            else f"The file could not be read as an Offerdesk export: {detail}"
        )


@dataclass(frozen=True)
class OfferRow:
    """One offer's row in the document and the Offer it was exported from or imported as,
    so that another app can add (on export) or read (on import) its own keys per offer.
    ``where`` names the offer in messages ("decision 1, offer 2"). On import the Offer
    is unsaved until ``save_decisions`` has run."""

    row: dict[str, Any]
    offer: Offer
    where: str


@dataclass(frozen=True)
class DecisionsPart:
    """The decision rows, in document order, and every offer row among them."""

    decisions: list[dict[str, Any]]
    offers: list[OfferRow]


@dataclass(frozen=True)
class DecisionRows:
    """One imported decision, built and checked, not saved: its rows point at each other
    as unsaved instances, which ``save_decisions`` turns into saved ones in order.

    ``created_at`` holds each row's imported time, since ``bulk_create`` sets an
    ``auto_now_add`` field to now; ``completed`` the criteria whose one-ended scale (an
    older document's) was completed, with their ends before."""

    decision: Decision
    chosen_offer: Offer | None
    criteria: list[Criterion]
    offers: list[Offer]
    ratings: list[Rating]
    log: list[LogEntry]
    created_at: list[tuple[Decision | Offer, dt.datetime]]
    completed: list[tuple[Criterion, dict[str, Any]]]
    # Entries whose data names one of the decision's offers, the key it does so by, and
    # that offer: its id is written there once the offer is saved (``OFFER_REFERENCES``).
    offer_references: list[tuple[LogEntry, str, Offer]] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionsImport:
    """Every decision of a document, built and checked (``build_decisions``), and every
    offer row among them for the other apps' parts; ``left_out`` counts the entries
    written by a coach, which are not imported."""

    owner: User
    version: int
    decisions: list[DecisionRows]
    offers: list[OfferRow]
    left_out: int


@contextmanager
def refuse_damage(where: str) -> Iterator[None]:
    """Turn anything a damaged document raises inside the block into a DamagedExport
    that names ``where`` (e.g. "offer 2"); blocks nest, and the path grows outwards."""
    try:
        yield
    except DamagedExport as error:
        raise DamagedExport([where, *error.path], error.detail) from error
    except ValidationError as error:
        raise DamagedExport([where], _describe(error)) from error
    except KeyError as error:
        raise DamagedExport([where], f"“{error.args[0]}” is missing.") from error
    except DAMAGE as error:
        detail = str(error) or type(error).__name__
        raise DamagedExport([where], f"{detail} ({type(error).__name__}).") from error


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _pick(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def export_decisions(user: User) -> DecisionsPart:
    """Every decision ``user`` owns, oldest first, with its criteria, offers, ratings and
    log, as rows of plain values. A fixed number of queries, however many decisions.

    A rating row is ``{"criterion": index, "value": ..., "note": ...}``, in criterion
    order; ``chosen_offer`` is an index into the decision's offers, or None.
    """
    decisions = (
        owned_decisions(user)
        .order_by("created_at", "pk")
        .prefetch_related(
            "criteria",
            "offers__ratings",
            Prefetch(
                "log_entries",
                queryset=LogEntry.objects.select_related("author").order_by("created_at", "pk"),
            ),
        )
    )
    rows: list[dict[str, Any]] = []
    offer_rows: list[OfferRow] = []
    for decision_number, decision in enumerate(decisions, start=1):
        criteria = list(decision.criteria.all())
        offers = list(decision.offers.all())
        criterion_index = {criterion.pk: index for index, criterion in enumerate(criteria)}
        offer_positions = {offer.pk: index for index, offer in enumerate(offers)}
        decision_offer_rows = [
            OfferRow(
                row=_export_offer(offer, criterion_index),
                offer=offer,
                where=f"decision {decision_number}, offer {offer_number}",
            )
            for offer_number, offer in enumerate(offers, start=1)
        ]
        offer_rows.extend(decision_offer_rows)
        rows.append(
            {
                **_pick(decision, DECISION_FIELDS),
                "chosen_offer": next(
                    (i for i, o in enumerate(offers) if o.pk == decision.chosen_offer_id), None
                ),
                "criteria": [_pick(criterion, CRITERION_FIELDS) for criterion in criteria],
                "offers": [offer_row.row for offer_row in decision_offer_rows],
                "log": [
                    _export_entry(entry, user, offer_positions)
                    for entry in decision.log_entries.all()
                ],
            }
        )
    return DecisionsPart(decisions=rows, offers=offer_rows)


def _export_offer(offer: Offer, criterion_index: dict[int, int]) -> dict[str, Any]:
    ratings = sorted(offer.ratings.all(), key=lambda rating: criterion_index[rating.criterion_id])
    return {
        **_pick(offer, OFFER_EXPORT_FIELDS),
        "created_at": offer.created_at,
        "ratings": [
            {
                "criterion": criterion_index[rating.criterion_id],
                "value": rating.value,
                "value_high": rating.value_high,
                "note": rating.note,
            }
            for rating in ratings
        ],
    }


def _export_entry(entry: LogEntry, user: User, offer_positions: dict[int, int]) -> dict[str, Any]:
    # An entry stored before data was checked may hold no object; it exports empty.
    data = dict(entry.data) if isinstance(entry.data, dict) else {}
    imported_name = data.pop(IMPORTED_AUTHOR, None)
    for key in OFFER_REFERENCES:
        reference = data.get(key)
        if type(reference) is int:
            # Ids mean nothing in another account: the offer by its position, or none
            # (one since removed).
            position = offer_positions.get(reference)
            data[key] = None if position is None else {"position": position}
    if entry.author_id == user.pk:
        author = "you"
    elif entry.author is not None:
        author = entry.author.display_name
    else:
        author = imported_name
    return {**_pick(entry, LOG_FIELDS), "data": data, "author": author}


# Import, step one: read and check, in memory -----------------------------------------


def build_decisions(user: User, rows: Any, *, version: int) -> DecisionsImport:
    """Every decision row of a document as model instances for ``user``, checked as the
    pages check them and not saved: the first step of an import, outside any
    transaction (``save_decisions`` is the second).

    ``version`` is the document's version: it says how a rating row carries its value
    (from version 2 one ``value``; before, ``score`` and ``amount``, of which at most
    one is set). Any bad row, or more rows than ``IMPORT_LIMITS`` allow, raises
    ValidationError (a DamagedExport that names the decision, offer or entry and what
    is wrong); ``user`` must own no decisions.
    """
    _refuse_an_account_with_decisions(user)
    with refuse_damage("decisions"):
        rows = _rows(rows, limit=MAX_DECISIONS, noun="decisions")
        _refuse_too_many_in_all(rows)
    built = []
    offer_rows: list[OfferRow] = []
    left_out = 0
    for number, row in enumerate(rows, start=1):
        with refuse_damage(f"decision {number}"):
            decision, decision_left_out = _build_decision(user, row, version=version)
        built.append(decision)
        left_out += decision_left_out
        offer_rows.extend(
            OfferRow(row=data, offer=offer, where=f"decision {number}, offer {offer_number}")
            for offer_number, (data, offer) in enumerate(
                zip(row["offers"], decision.offers, strict=True), start=1
            )
        )
    return DecisionsImport(
        owner=user, version=version, decisions=built, offers=offer_rows, left_out=left_out
    )


def _refuse_too_many_in_all(rows: list[dict[str, Any]]) -> None:
    """The file's totals, before any row is read closely: a row too damaged to count
    is refused where it is."""
    totals = {
        "ratings": (
            sum(
                len(offer.get("ratings") or ())
                for row in rows
                if isinstance(row.get("offers"), list)
                for offer in row["offers"]
                if isinstance(offer, dict) and isinstance(offer.get("ratings"), list)
            ),
            MAX_RATINGS_IN_FILE,
        ),
        "log entries": (
            sum(len(row["log"]) for row in rows if isinstance(row.get("log"), list)),
            MAX_LOG_ENTRIES_IN_FILE,
        ),
    }
    for noun, (count, limit) in totals.items():
        if count > limit:
            raise ValidationError(
                f"This file holds {count:,} {noun} in all, more than an import takes. "
                f"{IMPORT_LIMITS}"
            )


def _refuse_an_account_with_decisions(user: User) -> None:
    if owned_decisions(user).exists():
        raise ValidationError("Import into an account that has no decisions yet.")


def _build_decision(user: User, row: dict[str, Any], *, version: int) -> tuple[DecisionRows, int]:
    decision = Decision(owner=user, **field_values(Decision, row, DECISION_FIELDS, version=version))
    _check_name(decision.title, "title")
    decision.full_clean(exclude=["chosen_offer"], validate_constraints=False)
    with refuse_damage("decided_snapshot"):
        check_snapshot(decision.decided_snapshot)
    # Unsaved rows are unhashable: a list of pairs, not a dict.
    created_at: list[tuple[Decision | Offer, dt.datetime]] = [
        (decision, _created_at(Decision, row))
    ]
    criteria = []
    completed = []
    with refuse_damage("criteria"):
        criterion_rows = _rows(row["criteria"], limit=MAX_CRITERIA_PER_DECISION, noun="criteria")
    for number, data in enumerate(criterion_rows, start=1):
        with refuse_damage(f"criterion {number}"):
            criterion = _build_criterion(decision, data, criteria, version=version)
            if version < ADDED_IN["suggested_from"]:
                before = _complete_one_ended_scale(criterion)
                if before is not None:
                    completed.append((criterion, before))
            _check_criterion(criterion)
        criteria.append(criterion)
    offers, ratings = [], []
    with refuse_damage("offers"):
        offer_rows = _rows(row["offers"], limit=MAX_OFFERS_PER_DECISION, noun="offers")
    for number, data in enumerate(offer_rows, start=1):
        with refuse_damage(f"offer {number}"):
            offer, offer_ratings = _build_offer(decision, data, criteria, version=version)
            created_at.append((offer, _created_at(Offer, data)))
        offers.append(offer)
        ratings.extend(offer_ratings)
    with refuse_damage("chosen offer"):
        chosen = row["chosen_offer"]
        chosen_offer = None if chosen is None else _at(offers, chosen)
    for number, offer in enumerate(offers, start=1):
        with refuse_damage(f"offer {number}"):
            _put_acceptance_right(offer, chosen_offer)
    log = []
    offer_references = []
    with refuse_damage("log"):
        log_rows = _rows(row["log"], limit=MAX_LOG_ENTRIES, noun="log entries")
    for number, data in enumerate(log_rows, start=1):
        with refuse_damage(f"log entry {number}"):
            entry = _build_entry(decision, user, data)
            if entry is not None:
                _forget_ids(entry.data)
            if entry is not None and version >= OFFER_REFERENCE_SINCE:
                offer_references.extend(
                    (entry, key, referenced)
                    for key, referenced in _referenced_offers(entry.data, offers)
                )
        if entry is not None:
            log.append(entry)
    rows = DecisionRows(
        decision=decision,
        chosen_offer=chosen_offer,
        criteria=criteria,
        offers=offers,
        ratings=ratings,
        log=log,
        created_at=created_at,
        completed=completed,
        offer_references=offer_references,
    )
    return rows, len(log_rows) - len(log)


def _build_criterion(
    decision: Decision, data: dict[str, Any], others: list[Criterion], *, version: int
) -> Criterion:
    criterion = Criterion(
        decision=decision, **field_values(Criterion, data, CRITERION_FIELDS, version=version)
    )
    _check_name(criterion.name, "name")
    # The database would check these two only against saved rows: checked here
    # against the criteria built before this one.
    if any(other.name.lower() == criterion.name.lower() for other in others):
        raise ValidationError({"name": "This decision already has a criterion with that name."})
    computed = criterion.kind in kinds.KINDS and criterion.kind_spec.computed
    if computed and any(other.kind_spec.computed for other in others):
        raise ValidationError({"kind": "A decision has one computed compensation criterion."})
    return criterion


def _check_criterion(criterion: Criterion) -> None:
    """The fields' checks and the criteria form's rules for a kind's floor and target
    (which are the rest of the model's constraints); a suggested range has both ends."""
    criterion.full_clean(exclude=["decision"], validate_constraints=False)
    errors = criterion.kind_spec.anchor_errors(criterion.floor, criterion.target)
    if criterion.suggested_from and (criterion.floor is None or criterion.target is None):
        errors.setdefault("suggested_from", "A suggested range has a floor and a target.")
    if errors:
        raise ValidationError(errors)


def _complete_one_ended_scale(criterion: Criterion) -> dict[str, Any] | None:
    """Give an amount with one end of its scale (allowed before version 3) the other,
    a round step past the end the candidate set; returns the ends before, or None
    when there was nothing to complete."""
    kind = criterion.kind_spec if criterion.kind in kinds.KINDS else None
    if (
        kind is None
        or not kind.takes_anchors
        or (criterion.floor is None) == (criterion.target is None)
    ):
        return None
    before = {"floor": plain(criterion.floor), "target": plain(criterion.target)}
    anchors = kind.complete_anchors(
        None if criterion.floor is None else float(criterion.floor),
        None if criterion.target is None else float(criterion.target),
        [],
    )
    if anchors is None:
        criterion.floor = criterion.target = None
    else:
        criterion.floor, criterion.target = (as_decimal(end) for end in anchors)
    return before


def _build_offer(
    decision: Decision, data: dict[str, Any], criteria: list[Criterion], *, version: int
) -> tuple[Offer, list[Rating]]:
    offer = Offer(
        decision=decision, **field_values(Offer, data, OFFER_EXPORT_FIELDS, version=version)
    )
    for name in ("company", "role"):
        _check_name(getattr(offer, name), name)
    offer.full_clean(exclude=["decision"], validate_constraints=False)
    _check_offer_days(offer)
    _check_offer_pay(offer)
    ratings: list[Rating] = []
    with refuse_damage("ratings"):
        rating_rows = _rows(data["ratings"], limit=MAX_CRITERIA_PER_DECISION, noun="ratings")
    for number, row in enumerate(rating_rows, start=1):
        with refuse_damage(f"rating {number}"):
            criterion = _at(criteria, row["criterion"])
            if any(rating.criterion is criterion for rating in ratings):
                raise ValidationError(f"“{criterion.name}” is rated twice for this offer.")
            ratings.append(_build_rating(offer, criterion, row, version=version))
    return offer, ratings


def _check_offer_days(offer: Offer) -> None:
    """The flows' rules for an offer's days, as they keep a saved one: confirmed in
    writing on a day already come, expected within the year the offer form allows. A
    day to stay in touch may have passed (it is the reminder's history)."""
    today = timezone.localdate()
    if offer.confirmed_on is not None and offer.confirmed_on > today:
        raise ValidationError({"confirmed_on": "That day is still to come."})
    if offer.expected_on is not None and offer.expected_on > today + FURTHEST_AHEAD:
        raise ValidationError({"expected_on": "An offer is expected within a year at most."})


def _check_offer_pay(offer: Offer) -> None:
    """The rules the offer form and ``services.offers`` keep for how pay was given,
    which ``full_clean`` without constraints does not check: a salary by the month has
    its month and makes the yearly base, options have their prices, and a rate's day
    has come."""
    if offer.salary_period == Offer.SalaryPeriod.MONTHLY:
        if offer.monthly_salary is None:
            raise ValidationError({"monthly_salary": "A salary by the month needs its month."})
        if offer.base_salary != yearly_salary(offer.monthly_salary, offer.salaries_per_year):
            raise ValidationError(
                {
                    "base_salary": "This is not the monthly salary times the salaries a "
                    "year, which a salary by the month makes."
                }
            )
    elif offer.monthly_salary is not None:
        raise ValidationError({"monthly_salary": "A salary by the year keeps no monthly one."})
    if offer.equity_kind == Offer.EquityKind.OPTIONS:
        for name in ("share_price", "strike_price"):
            if getattr(offer, name) is None:
                raise ValidationError({name: "Stock options need a share and a strike price."})
    if offer.rate_on is not None and offer.rate_on > timezone.localdate():
        raise ValidationError({"rate_on": "That day is still to come."})


def _put_acceptance_right(offer: Offer, chosen_offer: Offer | None) -> None:
    """The flows' rules for an acceptance, which only they put on an offer. What
    migration 0012 put right in the database is put right here too, since a file
    exported before it may hold it: an accepted offer that is not the decision's chosen
    one is open again, and a day of confirmation on an offer not confirmed is dropped.
    What no flow ever wrote is refused: the chosen offer with its acceptance taken back,
    and a confirmed offer without the day it was confirmed on."""
    if offer.is_accepted and offer is not chosen_offer:
        offer.status = Offer.Status.OPEN
    if offer.status != Offer.Status.CONFIRMED:
        offer.confirmed_on = None
    if offer.is_retracted and offer is chosen_offer:
        raise ValidationError(
            {
                "status": "The decision’s chosen offer is the one accepted, not one whose "
                "acceptance was taken back."
            }
        )
    if offer.status == Offer.Status.CONFIRMED and offer.confirmed_on is None:
        raise ValidationError(
            {"confirmed_on": "A confirmed acceptance has the day it was confirmed in writing."}
        )


def _build_rating(
    offer: Offer, criterion: Criterion, row: dict[str, Any], *, version: int
) -> Rating:
    rating = Rating(
        offer=offer,
        criterion=criterion,
        value=_typed(Rating, "value", _rating_value(row, criterion, version)),
        value_high=_typed(Rating, "value_high", _since(row, "value_high", None, version)),
        note=_typed(Rating, "note", row["note"]),
    )
    rating.full_clean(exclude=["offer", "criterion"], validate_constraints=False)
    # The grid's rules too: a value in its kind's range, none for a computed kind, a
    # range only where the kind takes one.
    kind = criterion.kind_spec
    error = kind.value_error(rating.value) or range_error(kind, rating.value, rating.value_high)
    if error is None and rating.value_high is not None and rating.value_high == rating.value:
        error = "has a range whose highest value is its lowest; give the one value"
    if error:
        raise ValidationError(f"“{criterion.name}” {error}.")
    return rating


def _build_entry(decision: Decision, user: User, data: dict[str, Any]) -> LogEntry | None:
    """The entry, written by ``user``; None for an entry written by a coach."""
    entry = LogEntry(decision=decision, **field_values(LogEntry, data, LOG_FIELDS))
    author = data["author"]
    if author is not None and not isinstance(author, str):
        raise ValidationError({"author": "This must be a name, “you” or null."})
    entry.full_clean(exclude=["decision", "author"], validate_constraints=False)
    if entry.kind in COACH_KINDS:
        if author == "you":
            raise ValidationError(
                {"author": f"Only a coach writes a “{entry.get_kind_display()}”, never you."}
            )
        return None
    if entry.kind in EITHER_KINDS and author != "you":
        return None  # a coach's, left out as theirs are
    if author != "you":
        raise ValidationError(
            {"author": "An entry of this kind is written by you: its author must be “you”."}
        )
    entry.author = user
    if not isinstance(entry.data, dict):
        raise ValidationError({"data": "This must be an object."})
    with refuse_damage("data"):
        check_entry_data(entry.kind, entry.data)
    return entry


def _forget_ids(data: dict[str, Any]) -> None:
    """Null each key after ``OFFER_REFERENCE`` in ``OFFER_REFERENCES`` that holds an id
    from the account the file came from: read as one of this account's ids, it could
    name another offer (and date an acceptance by the wrong entry)."""
    for key in OFFER_REFERENCES[1:]:
        if type(data.get(key)) is int:
            data[key] = None


def _referenced_offers(data: dict[str, Any], offers: list[Offer]) -> list[tuple[str, Offer]]:
    """Each key of ``OFFER_REFERENCES`` by which an entry's data names an offer by its
    position, with that offer. A key that is null names none (``_forget_ids`` has
    nulled the ids of files from before they were exported by position)."""
    found = []
    for key in OFFER_REFERENCES:
        reference = data.get(key)
        if reference is None:
            continue
        with refuse_damage("data"), refuse_damage(key):
            if not isinstance(reference, dict) or set(reference) != {"position"}:
                raise ValidationError(
                    "This must name one of the decision’s offers by its position "
                    "({“position”: 0} for the first), or be null."
                )
            with refuse_damage("position"):
                found.append((key, _at(offers, reference["position"])))
    return found


def _rating_value(row: dict[str, Any], criterion: Criterion, version: int) -> Any:
    """The cell's value. Before one value column, a 0-10 criterion read ``score`` and
    the others ``amount`` (what a change of kind left in the other column was unseen,
    and stays so), as the migration to one column decided."""
    if version >= RATING_VALUE_SINCE:
        return row["value"]
    return row["score"] if criterion.kind_spec.fixed_scale is not None else row["amount"]


def _rows(value: Any, *, limit: int | None = None, noun: str = "rows") -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValidationError("This must be a list of objects.")
    if limit is not None and len(value) > limit:
        raise ValidationError(
            f"This holds {len(value):,} {noun}, more than an import takes. {IMPORT_LIMITS}"
        )
    return value


def _at(items: list[_Item], position: Any) -> _Item:
    # Negative positions and booleans index a Python list too, so refuse them here.
    if type(position) is not int or not 0 <= position < len(items):
        raise ValidationError(f"{position!r} is not a position among the {len(items)} listed.")
    return items[position]


def _check_name(value: str, name: str) -> None:
    # The forms strip what they read, so a name of spaces alone is an empty one.
    if not value.strip():
        raise ValidationError({name: "This needs a value, not blank space."})


def _created_at(model: type[models.Model], row: dict[str, Any]) -> dt.datetime:
    created_at = _typed(model, "created_at", row["created_at"])
    if created_at is None:
        raise ValidationError({"created_at": "A time is needed."})
    return created_at


def _typed(model: type[models.Model], name: str, value: Any) -> Any:
    """``value`` as ``model``'s field ``name`` holds it: the model declares the types."""
    field = model._meta.get_field(name)
    # full_clean lets a null through in a blank-allowed column that is NOT NULL; the
    # database would then refuse it with its own, less readable, error.
    if value is None and not field.null:
        raise ValidationError({name: "This needs a value, not null."})
    try:
        typed = field.to_python(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error
    if isinstance(typed, dt.datetime) and timezone.is_naive(typed):
        raise ValidationError({name: "The time needs its time zone."})
    if isinstance(typed, str) and single_line in field.validators:
        # A one-line field stored before line breaks were refused exports with them;
        # the user's own file must import, so they become spaces here, as at the edges.
        typed = one_line(typed)
    if isinstance(typed, str):
        # full_clean checks a CharField's length (with its choices), not a TextField's.
        limit = field.max_length if isinstance(field, models.TextField) else None
        try:
            _check_text(typed, limit)
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from error
    if isinstance(field, models.JSONField):
        with refuse_damage(name):
            _check_json(typed)
    return typed


def _check_text(text: str, limit: int | None) -> None:
    """Text the database stores as it is: within ``limit``, no NUL (PostgreSQL refuses
    it) and no half of a surrogate pair (no encoding holds one)."""
    if limit is not None and len(text) > limit:
        raise ValidationError(f"Keep this to {limit:,} characters; it has {len(text):,}.")
    if "\x00" in text:
        raise ValidationError("This holds a NUL character, which no text may.")
    try:
        text.encode()
    except UnicodeEncodeError as error:
        raise ValidationError("This holds half of a surrogate pair, which is not text.") from error


def _since(row: dict[str, Any], name: str, default: Any, version: int | None) -> Any:
    """``row[name]``, or ``default`` in a document older than the field (``version``
    None: a document of the current version)."""
    if version is not None and version < ADDED_IN.get(name, 0):
        return default
    return row[name]


def field_values(
    model: type[models.Model],
    row: dict[str, Any],
    fields: tuple[str, ...],
    *,
    version: int | None = None,
) -> dict[str, Any]:
    """The ``fields`` of an imported ``row`` as ``model`` holds them (a field newer than
    the document's ``version`` takes the model's default); a value that is not one
    raises ValidationError naming its field, a missing one KeyError. Every text keeps
    to its field's length and can be stored, and so does every text inside JSON."""
    return {
        name: _typed(
            model, name, _since(row, name, model._meta.get_field(name).get_default(), version)
        )
        for name in fields
    }


# What the pages read of JSON ---------------------------------------------------------
#
# These run on every value of every entry, so they raise a DamagedExport with its path
# themselves instead of nesting a refuse_damage per level.


def _check_json(value: Any) -> None:
    """Every text inside ``value`` (keys too) within ``MAX_DATA_TEXT`` and storable, and
    no more than ``MAX_DATA_VALUES`` values; the place of a bad one is named. The
    document's reader has capped the nesting already."""
    pending: list[tuple[tuple[str, ...], Any]] = [((), value)]
    count = 0
    while pending:
        path, node = pending.pop()
        count += 1
        if count > MAX_DATA_VALUES:
            raise ValidationError(f"This holds more than {MAX_DATA_VALUES:,} values.")
        try:
            if isinstance(node, str):
                _check_text(node, MAX_DATA_TEXT)
            elif isinstance(node, dict):
                for key, child in node.items():
                    _check_text(key, MAX_DATA_TEXT)
                    pending.append(((*path, key), child))
            elif isinstance(node, list):
                pending.extend(
                    ((*path, f"item {number}"), child) for number, child in enumerate(node, start=1)
                )
        except ValidationError as error:
            raise DamagedExport(list(path), " ".join(error.messages)) from error


def check_entry_data(kind: str, data: Any) -> None:
    """Refuse a log entry's ``data`` that the log's readers (``selectors.entry_view``,
    the log template, the report and the coach's pages) could not read: it is an
    object, and what they read of it has the shape they expect. Keys no reader uses
    may hold any JSON (``_check_json`` bounds it).

    - ``changes`` of a ratings change: a list of logged cells (``_check_rating_change``);
    - ``changes`` of any other kind: an object of fields, each ``{"before", "after"}``
      (``_check_field_change``);
    - a decision record's ``snapshot`` (``check_snapshot``), ``why`` and ``confidence``;
    - a feeling's ``feeling`` and ``intensity``, as the feeling form offers them;
    - a decision record's ``review_on`` and any entry's ``question`` (a reflective or
      tiebreaker question Offerdesk asked, ``QUESTION_LIMIT`` characters at most).
    """
    if not isinstance(data, dict):
        raise ValidationError("This must be an object.")
    changes = data.get("changes")
    if kind == LogEntry.Kind.RATINGS_CHANGED and "changes" in data:
        if not isinstance(changes, list):
            raise DamagedExport(["changes"], "This must be a list.")
        for number, change in enumerate(changes, start=1):
            _check_rating_change(change, ["changes", f"item {number}"])
    elif "changes" in data:
        if not isinstance(changes, dict):
            raise DamagedExport(["changes"], "This must be an object.")
        for name, change in changes.items():
            _check_field_change(name, change, ["changes", name])
    if kind == LogEntry.Kind.DECIDED:
        if "snapshot" in data:
            with refuse_damage("snapshot"):
                check_snapshot(data["snapshot"])
        why = data.get("why")
        if why is not None and not (isinstance(why, str) and len(why) <= DECIDED_REASON_LIMIT):
            raise DamagedExport(["why"], _text_of_at_most(DECIDED_REASON_LIMIT))
        confidence = data.get("confidence")
        if confidence is not None and not (type(confidence) is int and 0 <= confidence <= 100):
            raise DamagedExport(
                ["confidence"], "This must be a whole number from 0 to 100, or null."
            )
        review_on = data.get("review_on")
        if review_on is not None and not _is_date(review_on):
            raise DamagedExport(["review_on"], "This must be a date (YYYY-MM-DD) or null.")
    question = data.get("question")
    if question is not None and not (isinstance(question, str) and len(question) <= QUESTION_LIMIT):
        raise DamagedExport(["question"], _text_of_at_most(QUESTION_LIMIT))
    if kind == LogEntry.Kind.FEELING:
        if data.get("feeling") not in FEELINGS:
            raise DamagedExport(["feeling"], f"This must be one of {', '.join(FEELINGS)}.")
        intensity = data.get("intensity")
        if type(intensity) is not int or not 1 <= intensity <= 5:
            raise DamagedExport(["intensity"], "Intensity runs from 1 to 5.")


def check_snapshot(snapshot: Any) -> None:
    """A decision record's snapshot as the coach's pages redact it: an object whose
    ``offers`` and ``criteria``, where present, are lists of objects."""
    if not isinstance(snapshot, dict):
        raise ValidationError("This must be an object.")
    for key in ("offers", "criteria"):
        if key in snapshot:
            with refuse_damage(key):
                _rows(snapshot[key])


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _text_of_at_most(limit: int) -> str:
    return f"This must be a text of {limit:,} characters at most (as its form takes), or null."


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _check_field_change(name: str, change: Any, path: list[str]) -> None:
    """One logged field change, as ``selectors._field_text`` shows it: an amount as a
    number, a kind or a suggestion looked up by value, anything else a value or a
    list of values (the ruled-out work modes and locations)."""
    if not isinstance(change, dict):
        raise DamagedExport(path, "This must be an object of “before” and “after”.")
    for side in ("before", "after"):
        if side not in change:
            continue
        value = change[side]
        if name in NUMBER_FIELDS:
            _check_amount(value, [*path, side])
        elif name in LOOKED_UP_FIELDS and not _scalar(value):
            raise DamagedExport([*path, side], "This must be a value, not a list or an object.")
        elif not (_scalar(value) or (isinstance(value, list) and all(map(_scalar, value)))):
            raise DamagedExport([*path, side], "This must be a value or a list of values.")


def _check_rating_change(change: Any, path: list[str]) -> None:
    """One logged grid cell, as ``selectors._rating_changes`` shows it: its kind (looked
    up), labels and unit, and the cell before and after (``{"value", "high", "note"}``,
    or ``score`` and ``amount`` in older entries)."""
    if not isinstance(change, dict):
        raise DamagedExport(path, "This must be an object.")
    if "kind" in change and not isinstance(change["kind"], str):
        raise DamagedExport([*path, "kind"], "This must be the code of a kind of criterion.")
    for key in ("unit", "offer_label", "criterion_label"):
        if not _scalar(change.get(key)):
            raise DamagedExport([*path, key], "This must be a value, not a list or an object.")
    for side in ("before", "after"):
        cell = change.get(side)
        if cell is None:
            continue
        if not isinstance(cell, dict):
            raise DamagedExport([*path, side], "This must be a cell (an object) or null.")
        for key in CELL_NUMBERS:
            _check_amount(cell.get(key), [*path, side, key])
        note = cell.get("note")
        if note is not None and not (isinstance(note, str) and len(note) <= NOTE_LIMIT):
            raise DamagedExport([*path, side, "note"], _text_of_at_most(NOTE_LIMIT))


def _check_amount(value: Any, path: list[str]) -> None:
    """A logged number: null, or from 0 to ``kinds.MAX_AMOUNT``, as a number or as the
    text of one (how the log keeps a Decimal)."""
    if value is None:
        return
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        number = Decimal(str(value))
        if not (number.is_finite() and 0 <= number <= kinds.MAX_AMOUNT):
            raise ValueError
    except (ValueError, ArithmeticError) as error:
        raise DamagedExport(
            path, f"This must be a number from 0 to {kinds.MAX_AMOUNT:,}, or null."
        ) from error


# Import, step two: write ------------------------------------------------------------


@transaction.atomic
def save_decisions(imported: DecisionsImport) -> None:
    """Write what ``build_decisions`` built, in one transaction with the caller's (the
    other apps' parts): one ``bulk_create`` per model, parents first, so that the
    write lock is held only for the writing. ValidationError when the account gained a
    decision since the rows were built (another import, say).

    A document older than version 3 gets its one-ended scales completed (logged as
    migration 0008 logged them) and every amount's scale suggested (``scales_fill``).
    """
    # Two imports into one account queue here; only the first finds it empty.
    User.objects.select_for_update().values_list("pk", flat=True).get(pk=imported.owner.pk)
    _refuse_an_account_with_decisions(imported.owner)
    rows = imported.decisions
    Decision.objects.bulk_create([row.decision for row in rows])
    Criterion.objects.bulk_create([c for row in rows for c in row.criteria])
    offers = [offer for row in rows for offer in row.offers]
    Offer.objects.bulk_create(offers)
    # bulk_create set every created_at to now (auto_now_add): put the imported back.
    for row in rows:
        for instance, created_at in row.created_at:
            instance.created_at = created_at
        row.decision.chosen_offer = row.chosen_offer
    Decision.objects.bulk_update([row.decision for row in rows], ["chosen_offer", "created_at"])
    Offer.objects.bulk_update(offers, ["created_at"])
    for row in rows:
        for entry, key, offer in row.offer_references:
            entry.data[key] = offer.pk
    Rating.objects.bulk_create([rating for row in rows for rating in row.ratings])
    LogEntry.objects.bulk_create(
        [entry for row in rows for entry in (*row.log, *_completion_entries(row))]
    )
    if imported.version < ADDED_IN["suggested_from"]:
        for row in rows:
            scales_fill(decision=row.decision, actor=imported.owner)


def _completion_entries(row: DecisionRows) -> list[LogEntry]:
    """An export from before every amount had both ends of its scale gets them on
    import, logged as migration 0008 logged them for the rows it found."""
    return [
        LogEntry(
            decision=row.decision,
            author=row.decision.owner,
            kind=LogEntry.Kind.CRITERION_CHANGED,
            summary=f"Offerdesk completed the scale of “{criterion.name}” on import",
            data={
                "criterion": criterion.pk,
                "kind": criterion.kind,
                "changes": {
                    name: {"before": before[name], "after": plain(getattr(criterion, name))}
                    for name in ("floor", "target")
                    if before[name] != plain(getattr(criterion, name))
                },
            },
        )
        for criterion, before in row.completed
    ]
