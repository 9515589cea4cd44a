"""This app's part of a user's export: decisions as plain rows, and back.

Rows refer to each other by position (the third offer, the second criterion), never
by database id, so a part imports into any account and exports again identically.
Values stay Python values (Decimal, date, datetime); turning them into text is the
job of the project-level module that writes the whole document
(``offerdesk/portability.py``). Other apps add their own keys to an offer's row
through the ``OfferRow`` pairs both directions return, so this module needs none of
them.

Log entries keep their text, data and time; a coach's comment keeps the coach's name
as text, since the coach is not part of the export. Import writes rows directly
instead of through the services: the services would log each write, and the log is
itself part of what is imported, unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from decisions import kinds
from decisions.access import owned_decisions
from decisions.models import OFFER_FIELDS, Criterion, Decision, LogEntry, Offer, Rating
from decisions.services.criteria import scales_fill
from decisions.services.log import as_decimal, log_append, plain
from decisions.services.ratings import range_error
from offerdesk.accounts.models import User

DECISION_FIELDS = (
    "title", "goals", "status", "base_currency", "pay_basis", "decided_at", "decided_reason",
    "confidence", "review_on", "decided_snapshot", "created_at", "must_haves",
)  # fmt: skip
CRITERION_FIELDS = (
    "name", "kind", "weight", "position", "unit", "floor", "target", "suggested_from",
)  # fmt: skip
# The document version that added each field; an older document takes its default.
ADDED_IN = {"must_haves": 3, "suggested_from": 3, "value_high": 3}
LOG_FIELDS = ("kind", "summary", "body", "data", "private", "created_at")
# Where an imported entry keeps the name of the coach who wrote it.
IMPORTED_AUTHOR = "imported_author"
# The document version from which a rating carries one ``value``; before it, a
# rating carried ``score`` (rating criteria) and ``amount`` (amount criteria).
RATING_VALUE_SINCE = 2

_Item = TypeVar("_Item")

# What a damaged document makes Python or the database raise: a missing key, a value
# of the wrong type, a number that is not one (decimal.InvalidOperation is an
# ArithmeticError), a value the database refuses, nesting deeper than the parser goes.
DAMAGE = (
    KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError,
    RecursionError, IntegrityError, DataError,
)  # fmt: skip


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
    ``where`` names the offer in messages ("decision 1, offer 2")."""

    row: dict[str, Any]
    offer: Offer
    where: str


@dataclass(frozen=True)
class DecisionsPart:
    """The decision rows, in document order, and every offer row among them."""

    decisions: list[dict[str, Any]]
    offers: list[OfferRow]


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
                "log": [_export_entry(entry, user) for entry in decision.log_entries.all()],
            }
        )
    return DecisionsPart(decisions=rows, offers=offer_rows)


def _export_offer(offer: Offer, criterion_index: dict[int, int]) -> dict[str, Any]:
    ratings = sorted(offer.ratings.all(), key=lambda rating: criterion_index[rating.criterion_id])
    return {
        **_pick(offer, OFFER_FIELDS),
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


def _export_entry(entry: LogEntry, user: User) -> dict[str, Any]:
    data = dict(entry.data)
    imported_name = data.pop(IMPORTED_AUTHOR, None)
    if entry.author_id == user.pk:
        author = "you"
    elif entry.author is not None:
        author = entry.author.display_name
    else:
        author = imported_name
    return {**_pick(entry, LOG_FIELDS), "data": data, "author": author}


@transaction.atomic
def import_decisions(user: User, rows: Any, *, version: int) -> DecisionsPart:
    """Recreate exported decision rows in ``user``'s account, which must own no decisions.

    ``version`` is the document's version: it says how a rating row carries its value
    (from version 2 one ``value``; before, ``score`` and ``amount``, of which at most
    one is set). All or nothing: any bad row raises ValidationError (a DamagedExport
    that names the decision, offer or entry and what is wrong) and saves nothing.
    Returns the rows and, for every offer row, the Offer created from it, so that
    another app can import its own keys per offer.
    """
    if owned_decisions(user).exists():
        raise ValidationError("Import into an account that has no decisions yet.")
    offer_rows: list[OfferRow] = []
    with refuse_damage("decisions"):
        rows = _rows(rows)
    for number, row in enumerate(rows, start=1):
        with refuse_damage(f"decision {number}"):
            offer_rows.extend(_import_decision(user, row, number=number, version=version))
    return DecisionsPart(decisions=rows, offers=offer_rows)


def _import_decision(
    user: User, row: dict[str, Any], *, number: int, version: int
) -> list[OfferRow]:
    decision = Decision(owner=user, **field_values(Decision, row, DECISION_FIELDS, version=version))
    decision.full_clean(exclude=["chosen_offer"])
    decision.save()
    criteria = []
    completed: list[tuple[Criterion, dict[str, Any]]] = []
    for criterion_number, data in enumerate(_rows(row["criteria"]), start=1):
        with refuse_damage(f"criterion {criterion_number}"):
            criterion = Criterion(
                decision=decision,
                **field_values(Criterion, data, CRITERION_FIELDS, version=version),
            )
            if version < ADDED_IN["suggested_from"]:
                before = _complete_one_ended_scale(criterion)
                if before is not None:
                    completed.append((criterion, before))
            criterion.full_clean()
            criterion.save()
        criteria.append(criterion)
    offer_rows = []
    for offer_number, data in enumerate(_rows(row["offers"]), start=1):
        with refuse_damage(f"offer {offer_number}"):
            offer = _import_offer(decision, data, criteria, version=version)
        offer_rows.append(
            OfferRow(row=data, offer=offer, where=f"decision {number}, offer {offer_number}")
        )
    with refuse_damage("chosen offer"):
        chosen = row["chosen_offer"]
        chosen_offer = None if chosen is None else _at(offer_rows, chosen).offer
    Decision.objects.filter(pk=decision.pk).update(
        chosen_offer=chosen_offer,
        # auto_now_add overwrote created_at on the first save.
        created_at=_created_at(Decision, row),
    )
    for entry_number, data in enumerate(_rows(row["log"]), start=1):
        with refuse_damage(f"log entry {entry_number}"):
            _import_entry(decision, user, data)
    # An export from before every amount had both ends of its scale gets them now,
    # logged as migration 0008 logged them for the rows it found.
    for criterion, before in completed:
        log_append(
            decision=decision,
            author=user,
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
    if version < ADDED_IN["suggested_from"]:
        scales_fill(decision=decision, actor=user)
    return offer_rows


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


def _import_offer(
    decision: Decision, data: dict[str, Any], criteria: list[Criterion], *, version: int
) -> Offer:
    offer = Offer(decision=decision, **field_values(Offer, data, OFFER_FIELDS))
    offer.full_clean()
    offer.save()
    # auto_now_add overwrites created_at on the first save, so set it afterwards.
    Offer.objects.filter(pk=offer.pk).update(created_at=_created_at(Offer, data))
    for rating_number, rating_row in enumerate(_rows(data["ratings"]), start=1):
        with refuse_damage(f"rating {rating_number}"):
            criterion = _at(criteria, rating_row["criterion"])
            rating = Rating(
                offer=offer,
                criterion=criterion,
                value=_typed(Rating, "value", _rating_value(rating_row, criterion, version)),
                value_high=_typed(
                    Rating, "value_high", _since(rating_row, "value_high", None, version)
                ),
                note=_typed(Rating, "note", rating_row["note"]),
            )
            rating.full_clean()
            # The grid's rules too: a value in its kind's range, none for a computed
            # kind, a range only where the kind takes one.
            kind = rating.criterion.kind_spec
            error = kind.value_error(rating.value) or range_error(
                kind, rating.value, rating.value_high
            )
            if error:
                raise ValidationError(f"“{rating.criterion.name}” {error}.")
            rating.save()
    return offer


def _import_entry(decision: Decision, user: User, data: dict[str, Any]) -> None:
    entry = LogEntry(decision=decision, **field_values(LogEntry, data, LOG_FIELDS))
    if not isinstance(entry.data, dict):
        raise ValidationError({"data": "This must be an object."})
    author = data["author"]
    if author is not None and not isinstance(author, str):
        raise ValidationError({"author": "This must be a name, “you” or null."})
    entry.author = user if author == "you" else None
    if author not in (None, "you"):
        entry.data = {**entry.data, IMPORTED_AUTHOR: author}
    # An imported coach comment has no author row, which full_clean would call blank.
    entry.full_clean(exclude=["author"])
    entry.save()


def _rating_value(row: dict[str, Any], criterion: Criterion, version: int) -> Any:
    """The cell's value. Before one value column, a 0-10 criterion read ``score`` and
    the others ``amount`` (what a change of kind left in the other column was unseen,
    and stays so), as the migration to one column decided."""
    if version >= RATING_VALUE_SINCE:
        return row["value"]
    return row["score"] if criterion.kind_spec.fixed_scale is not None else row["amount"]


def _rows(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValidationError("This must be a list of objects.")
    return value


def _at(items: list[_Item], position: Any) -> _Item:
    # Negative positions and booleans index a Python list too, so refuse them here.
    if type(position) is not int or not 0 <= position < len(items):
        raise ValidationError(f"{position!r} is not a position among the {len(items)} listed.")
    return items[position]


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
    # full_clean checks a CharField's length but not a TextField's, which only the
    # forms (and services) enforce; an import must keep to the same limit.
    if (
        isinstance(field, models.TextField)
        and field.max_length
        and len(typed or "") > field.max_length
    ):
        raise ValidationError({name: f"Keep this to {field.max_length:,} characters."})
    return typed


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
    raises ValidationError naming its field, a missing one KeyError."""
    return {
        name: _typed(
            model, name, _since(row, name, model._meta.get_field(name).get_default(), version)
        )
        for name in fields
    }
