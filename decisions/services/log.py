"""What every write shares: the log entry it appends, the lock it takes, the diff it logs."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from decisions.models import Decision, LogEntry
from decisions.services.notifications import notify
from offerdesk.accounts.models import User
from offerdesk.forms import STALE

STALE_MESSAGE = (
    "This changed in another tab or by someone else while you were editing, so nothing "
    "was saved. Reload the page to see the latest version, then make your change again."
)


def plain(value: Any) -> Any:
    """A JSON-friendly, comparison-friendly form of a field value for the log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def as_decimal(value: float) -> Decimal:
    """A float from a pure module as the Decimal a form shows: 85000.0 is 85000."""
    return Decimal(int(value)) if value.is_integer() else Decimal(str(value))


def log_append(
    *,
    decision: Decision,
    author: User,
    kind: LogEntry.Kind,
    summary: str,
    data: Mapping[str, Any] | None = None,
    body: str = "",
    private: bool = False,
    thread: LogEntry | None = None,
) -> LogEntry:
    """Append one entry to a decision's log, and the news it makes (to a client's
    coaches, or from a coach to the client); call it inside the transaction of the
    change."""
    entry = LogEntry.objects.create(
        decision=decision,
        author=author,
        kind=kind,
        summary=summary[:300],
        body=body,
        data=dict(data or {}),
        private=private,
        thread=thread,
    )
    notify(entry)
    return entry


def lock_decision(decision_id: int) -> Decision:
    """The decision, read again and locked: writers of one decision go one at a time
    (on SQLite, whose writers queue anyway, the lock is a no-op)."""
    return Decision.objects.select_for_update().get(pk=decision_id)


def claim_version(model: type[models.Model], pk: int, expected: int | None) -> int:
    """Lock the row and check it is still at ``expected``; return the next version.

    ``expected`` None skips the check (for callers that did not read a version).
    """
    current = (
        model.objects.select_for_update().filter(pk=pk).values_list("version", flat=True).get()
    )
    if expected is not None and current != expected:
        raise ValidationError(STALE_MESSAGE, code=STALE)
    return current + 1


def apply_changes(row: models.Model, data: Any) -> dict[str, dict[str, Any]]:
    """Copy the fields of the dataclass ``data`` onto ``row``.

    Returns {field: {"before", "after"}} for the fields whose value really changed,
    in plain form for the log; empty when the row was already like that.
    """
    changes = {}
    for field in dataclasses.fields(data):
        before, after = getattr(row, field.name), getattr(data, field.name)
        if plain(before) != plain(after):
            changes[field.name] = {"before": plain(before), "after": plain(after)}
        setattr(row, field.name, after)
    return changes


def snapshot(row: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of ``row`` in plain form, as the log keeps them."""
    return {name: plain(getattr(row, name)) for name in names}


def field_labels(model: type[models.Model], names: Mapping[str, Any]) -> str:
    """The verbose names of ``names``, for a summary such as "Changed title, goals"."""
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)
