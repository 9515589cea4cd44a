"""Tests of ``decisions/services/``: one module per services module."""

from __future__ import annotations

from decisions.models import Decision


def log_kinds(decision: Decision) -> list[str]:
    """The kinds of a decision's log entries, oldest first."""
    return list(decision.log_entries.order_by("id").values_list("kind", flat=True))
