"""Tests of ``decisions/services/``: one module per services module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

from django.db.models import QuerySet

from decisions.models import Decision


def log_kinds(decision: Decision) -> list[str]:
    """The kinds of a decision's log entries, oldest first."""
    return list(decision.log_entries.order_by("id").values_list("kind", flat=True))


@contextmanager
def locks_taken() -> Iterator[list[str]]:
    """The models whose rows are locked (``select_for_update``) inside the block, in
    order: SQLite takes no row locks, so the order is read from the queries asked."""
    taken: list[str] = []
    original = QuerySet.select_for_update

    def recording(self: QuerySet, *args: Any, **kwargs: Any) -> QuerySet:
        taken.append(self.model.__name__)
        return original(self, *args, **kwargs)

    with patch.object(QuerySet, "select_for_update", recording):
        yield taken
