"""Tests of ``decisions/services/``: one module per services module."""

from __future__ import annotations

from decisions.models import Decision
from tests.conftest import locks_taken

__all__ = ["locks_taken", "log_kinds"]


def log_kinds(decision: Decision) -> list[str]:
    """The kinds of a decision's log entries, oldest first."""
    return list(decision.log_entries.order_by("id").values_list("kind", flat=True))
