"""Reads reused by several views. Each starts from ``access`` so it only sees what it may."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions import scoring
from decisions.access import coached_decisions, owned_decisions
from decisions.models import CoachGrant, Criterion, Decision, LogEntry, Offer, Rating
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
    look_back_due: bool


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
    look_back_due = (
        decision.is_decided
        and decision.review_on is not None
        and decision.review_on <= timezone.localdate()
        and not decision.log_entries.filter(
            kind=LogEntry.Kind.LOOK_BACK, created_at__gte=decision.decided_at
        ).exists()
    )
    return DecisionOverview(
        decision=decision,
        offers=offers,
        criteria=shares,
        rated_cells=dict(filled),
        ratable_count=len(ratable),
        recent_log=recent_log,
        look_back_due=look_back_due,
    )


def ratings_for(decision: Decision) -> dict[tuple[int, int], Rating]:
    """Every rating of a decision keyed by (offer id, criterion id), one query."""
    return {
        (r.offer_id, r.criterion_id): r for r in Rating.objects.filter(offer__decision=decision)
    }


# The compare page ------------------------------------------------------------------

COMPARE_SAMPLES = 1000
SCORE_CACHE_SECONDS = 24 * 60 * 60
# Colour per criterion in the chart and legend, by position; readable on white and
# distinct from each other. Colour is never the only signal: the legend and the
# table carry the same numbers.
CHART_COLOURS = (
    "#1f5fa8", "#d9822b", "#2a9d74", "#b8405e", "#7a5cc4",
    "#8c6d1f", "#2b8fb3", "#c4576b", "#4d7c0f", "#6b7280",
)  # fmt: skip


@dataclass(frozen=True)
class CompareCriterion:
    criterion: Criterion
    key: str
    colour: str
    relative: bool


@dataclass(frozen=True)
class CompareRow:
    offer: Offer
    result: scoring.OfferResult
    win_share: float | None
    to_tie: Decimal | None
    flip: tuple[Criterion, int] | None
    open_question: tuple[Criterion, ...]
    dealbreaker_criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Comparison:
    decision: Decision
    criteria: list[CompareCriterion]
    rows: list[CompareRow]
    result: scoring.Result | None
    error: str | None
    samples: int = COMPARE_SAMPLES

    @property
    def leader(self) -> CompareRow | None:
        return self.rows[0] if self.rows else None

    @property
    def runner_up(self) -> CompareRow | None:
        return self.rows[1] if len(self.rows) > 1 else None

    @property
    def relative_criteria(self) -> list[Criterion]:
        return [c.criterion for c in self.criteria if c.relative]

    @property
    def dealbreaker_rows(self) -> list[CompareRow]:
        return [row for row in self.rows if row.result.dealbreakers]


def _raw_value(
    criterion: Criterion,
    offer: Offer,
    cell: tuple[Decimal | None, Decimal | None] | None,
    basis: str,
) -> float | None:
    if criterion.is_computed:
        pay = offer.pay_in_base(basis)
        return None if pay is None else float(pay)
    if cell is None:
        return None
    score, amount = cell
    value = score if criterion.is_rating else amount
    return None if value is None else float(value)


def _whole_flip(criterion: Criterion, weight: float | None) -> tuple[Criterion, int] | None:
    """The nearest whole weight past the tie point, the one a slider can actually reach."""
    if weight is None:
        return None
    whole = math.floor(weight) + 1 if weight > criterion.weight else math.ceil(weight) - 1
    return (criterion, whole) if 0 <= whole <= 100 else None


def _cached_score(**inputs: Any) -> scoring.Result:
    """``scoring.score``, remembered by its inputs: the result is a pure function of them
    (the sampling is seeded), and the sampling is most of the cost of the page."""
    key = "score:" + hashlib.sha256(repr(sorted(inputs.items())).encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = scoring.score(**inputs)
        cache.set(key, result, timeout=SCORE_CACHE_SECONDS)
    return result


def comparison(decision: Decision, *, samples: int = COMPARE_SAMPLES) -> Comparison:
    """Score a decision's offers: three queries (criteria, offers, ratings), then memory."""
    criteria = list(decision.criteria.all())
    offers = list(decision.offers.all())
    cells = {
        (offer_id, criterion_id): (score, amount)
        for offer_id, criterion_id, score, amount in Rating.objects.filter(
            offer__decision=decision
        ).values_list("offer_id", "criterion_id", "score", "amount")
    }
    keys = {c.pk: str(c.pk) for c in criteria}
    engine_criteria = [
        scoring.Criterion(
            key=keys[c.pk],
            kind="amount" if c.is_computed else c.kind,
            weight=float(c.weight),
            floor=None if c.floor is None else float(c.floor),
            target=None if c.target is None else float(c.target),
        )
        for c in criteria
    ]
    engine_offers = [
        scoring.Offer(
            id=o.pk,
            values={
                keys[c.pk]: _raw_value(c, o, cells.get((o.pk, c.pk)), decision.pay_basis)
                for c in criteria
            },
        )
        for o in offers
    ]
    money = next((c for c in criteria if c.is_computed), None)
    try:
        result = _cached_score(
            criteria=engine_criteria,
            offers=engine_offers,
            samples=samples,
            seed=decision.pk,
            money_key=keys[money.pk] if money else None,
        )
    except scoring.ScoringError as error:
        compare_criteria = [
            CompareCriterion(c, keys[c.pk], CHART_COLOURS[i % len(CHART_COLOURS)], False)
            for i, c in enumerate(criteria)
        ]
        return Comparison(decision, compare_criteria, [], None, str(error), samples)

    by_key = {keys[c.pk]: c for c in criteria}
    compare_criteria = [
        CompareCriterion(
            criterion=c,
            key=keys[c.pk],
            colour=CHART_COLOURS[i % len(CHART_COLOURS)],
            relative=result.scales[keys[c.pk]].relative and not c.is_rating,
        )
        for i, c in enumerate(criteria)
    ]
    current = {keys[c.pk]: float(c.weight) for c in criteria}
    closest = result.closest_flips(current)
    offers_by_id = {o.pk: o for o in offers}
    rows = []
    for offer_result in result.ranking:
        flip = closest.get(offer_result.id)
        extra = result.to_tie.get(offer_result.id)
        rows.append(
            CompareRow(
                offer=offers_by_id[offer_result.id],
                result=offer_result,
                win_share=result.win_probability.get(offer_result.id),
                to_tie=None if extra is None else Decimal(extra).quantize(Decimal(1)),
                flip=_whole_flip(by_key[flip.criterion], flip.weight) if flip else None,
                open_question=tuple(
                    by_key[key] for key in result.open_questions.get(offer_result.id, ())
                ),
                dealbreaker_criteria=tuple(by_key[key] for key in offer_result.dealbreakers),
            )
        )
    return Comparison(decision, compare_criteria, rows, result, None, samples)


# The decision log ----------------------------------------------------------------

TIMELINE_PAGE_SIZE = 30


def timeline(
    decision: Decision, *, kind: str = "", for_coach: bool = False, page: str | int = 1
) -> Page:
    """One page of the log, newest first; a coach never sees private entries.

    Two queries whatever the size of the log: the count and the page itself.
    """
    entries = decision.log_entries.select_related("author")
    if for_coach:
        entries = entries.for_coach()
    if kind:
        entries = entries.filter(kind=kind)
    return Paginator(entries, TIMELINE_PAGE_SIZE).get_page(page)


def by_day(entries: Iterable[LogEntry]) -> list[tuple[dt.date, list[LogEntry]]]:
    """Group entries (already newest first) by their day in the current time zone."""
    return [
        (day, list(group))
        for day, group in itertools.groupby(
            entries, key=lambda entry: timezone.localtime(entry.created_at).date()
        )
    ]


# Coaching ------------------------------------------------------------------------


def coach_dashboard(coach: User) -> QuerySet[Decision]:
    """Every decision of every active client, in one query whatever their number.

    Each row carries its latest shared activity, the next open deadline and how many
    shared entries arrived since the coach's last visit, as correlated subqueries
    (joining logs and offers together would multiply the counts).
    """
    shared = LogEntry.objects.filter(decision=OuterRef("pk"), private=False)
    grant = CoachGrant.objects.filter(
        coach=coach, client=OuterRef("owner"), revoked_at__isnull=True
    )
    open_deadlines = Offer.objects.filter(
        decision=OuterRef("pk"),
        status=Offer.Status.OPEN,
        response_deadline__gte=timezone.localdate(),
    ).order_by("response_deadline")
    return (
        coached_decisions(coach)
        .select_related("owner")
        .annotate(
            latest_activity=Subquery(shared.order_by("-created_at").values("created_at")[:1]),
            next_deadline=Subquery(open_deadlines.values("response_deadline")[:1]),
            # Before a first visit, "new" counts from the moment access was granted.
            last_seen=Subquery(
                grant.annotate(seen=Coalesce("last_seen_at", "granted_at")).values("seen")[:1]
            ),
        )
        .annotate(
            new_entries=Coalesce(
                Subquery(
                    shared.filter(created_at__gt=OuterRef("last_seen"))
                    .order_by()
                    .values("decision")
                    .annotate(count=Count("pk"))
                    .values("count")[:1]
                ),
                0,
            )
        )
        .order_by("owner__full_name", "owner__username", "-updated_at")
    )
