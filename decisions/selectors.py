"""Reads reused by several views. Each starts from ``access`` so it only sees what it may."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from decisions.access import owned_decisions
from decisions.models import Criterion, Decision, LogEntry, Offer, Rating
from offerdesk.accounts.models import User


def decision_list(user: User) -> QuerySet[Decision]:
    """The user's decisions, open ones first, each with its number of offers (one query)."""
    status_order = Case(
        When(status=Decision.Status.OPEN, then=Value(0)),
        When(status=Decision.Status.DECIDED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        owned_decisions(user)
        .annotate(offer_count=Count("offers"), status_order=status_order)
        .order_by("status_order", "-updated_at", "-pk")
    )


@dataclass(frozen=True)
class CriterionShare:
    criterion: Criterion
    percent: float


@dataclass(frozen=True)
class DecisionOverview:
    decision: Decision
    offers: list[Offer]
    criteria: list[CriterionShare]
    rated_cells: dict[int, int]
    ratable_count: int
    recent_log: list[LogEntry]


def decision_overview(decision: Decision, *, recent: int = 5) -> DecisionOverview:
    """Everything the decision page shows, in a fixed number of queries."""
    offers = list(decision.offers.all())
    criteria = list(decision.criteria.all())
    total_weight = sum(c.weight for c in criteria)
    shares = [
        CriterionShare(c, round(100 * c.weight / total_weight, 1) if total_weight else 0.0)
        for c in criteria
    ]
    ratable = [c.pk for c in criteria if not c.is_computed]
    filled = (
        Rating.objects.filter(offer__decision=decision, criterion_id__in=ratable)
        .exclude(score__isnull=True, amount__isnull=True)
        .values("offer_id")
        .annotate(count=Count("pk"))
        .values_list("offer_id", "count")
    )
    recent_log = list(decision.log_entries.select_related("author")[:recent])
    return DecisionOverview(
        decision=decision,
        offers=offers,
        criteria=shares,
        rated_cells=dict(filled),
        ratable_count=len(ratable),
        recent_log=recent_log,
    )


def ratings_for(decision: Decision) -> dict[tuple[int, int], Rating]:
    """Every rating of a decision keyed by (offer id, criterion id), one query."""
    return {
        (r.offer_id, r.criterion_id): r for r in Rating.objects.filter(offer__decision=decision)
    }
