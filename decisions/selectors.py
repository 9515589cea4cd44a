"""Reads reused by several views. Each starts from ``access`` so it only sees what it may.

``owner_view`` and ``coach_view`` build the one projection a decision's pages, log and
report render: what its reader may see is decided here, never in a template.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from allauth.mfa.utils import is_mfa_enabled
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions import compensation, deadlines, explain, kinds, scoring, weighting
from decisions.access import active_grants, coached_decisions, owned_decisions
from decisions.compensation import (
    HORIZON_YEARS,
    LEAVE_AFTER_MONTHS,
    PAY_VIEWS,
    ZERO,
    crossover,
    crossover_text,
    cumulative_totals,
    in_currency,
)
from decisions.conversation import pending_homework, waiting_questions
from decisions.models import (
    MUST_HAVE_LOCATION,
    MUST_HAVE_WORK_MODE,
    OFFER_PAY_FIELDS,
    OFFER_PAY_FIGURES,
    SNAPSHOT_PAY_FIELDS,
    AnchorSuggestion,
    CoachGrant,
    CoachInvitation,
    Criterion,
    Decision,
    Homework,
    LogEntry,
    Offer,
    Rating,
    place_name,
    same_place,
    token_hash,
)
from decisions.prompts import FEELING_TONES
from offerdesk.accounts.models import User
from offerdesk.formats import date_text, money, money_cents


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
    # What a coach asked that waits: homework still to do, unanswered questions.
    homework: list[Homework]
    waiting_questions: int


def decision_overview(decision: Decision, *, recent: int = 5) -> DecisionOverview:
    """Everything the decision page shows, in a fixed number of queries."""
    offers = list(decision.offers.all())
    criteria = list(decision.criteria.all())
    total_weight = sum(c.weight for c in criteria)
    shares = [
        CriterionShare(c, round(100 * c.weight / total_weight, 1) if total_weight else 0.0)
        for c in criteria
    ]
    ratable = [c.pk for c in criteria if c.kind_spec.has_cell]
    filled = (
        Rating.objects.filter(offer__decision=decision, criterion_id__in=ratable)
        .exclude(value__isnull=True)
        .values("offer_id")
        .annotate(count=Count("pk"))
        .values_list("offer_id", "count")
    )
    recent_log = list(
        decision.log_entries.select_related("author").exclude(kind__in=NOT_THE_STORY)[:recent]
    )
    homework = pending_homework(decision)
    # Due on its date, or as soon as a coach asks for it.
    look_back_asked = any(h.exercise == Homework.Exercise.LOOK_BACK for h in homework)
    look_back_due = (
        decision.is_decided
        and (
            look_back_asked
            or (decision.review_on is not None and decision.review_on <= timezone.localdate())
        )
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
        homework=homework,
        waiting_questions=waiting_questions().filter(decision=decision).count(),
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
    """A criterion as the ranking shows it. ``relative`` when it is scored against the
    offers present (an amount with its ends not set)."""

    criterion: Criterion
    key: str
    colour: str
    relative: bool


@dataclass(frozen=True)
class PayViewWords:
    """How the compare page speaks of one view of pay: ``name`` on its switch, ``column``
    over the ranking's pay column, ``scored`` after "scored as the four-year average"
    and ``said``, the sentence that says what the ranking is on."""

    name: str
    column: str
    scored: str
    said: str


# Every view of pay (``PAY_VIEWS``) in the compare page's words, in one place.
PAY_VIEW_WORDS = MappingProxyType(
    {
        "total": PayViewWords(
            name="All pay",
            column="Pay",
            scored="",
            said="Ranked on all pay: salary, bonus, equity at the value counted below, "
            "benefits and the signing bonus.",
        ),
        "guaranteed": PayViewWords(
            name="Guaranteed pay only",
            column="Guaranteed pay",
            scored=" of guaranteed pay alone",
            said="Ranked on guaranteed pay only: base salary as offered, benefits and the "
            "signing bonus. Target bonus, expected raises and equity are left out, since "
            "they may not come. Your salary floor and target apply to it as they do to all "
            "pay.",
        ),
        "living": PayViewWords(
            name="Adjusted for the cost of living",
            column="Pay, living costs adjusted",
            scored=", adjusted for the cost of living",
            said="Ranked on pay adjusted for the cost of living: what each offer’s pay buys "
            "where you live now (index 100).",
        ),
    }
)
assert tuple(PAY_VIEW_WORDS) == PAY_VIEWS


def pay_view_named(value: object) -> str:
    """The view of pay a request asks for (``?pay=``): one of ``PAY_VIEWS``, else the
    whole of it."""
    return value if isinstance(value, str) and value in PAY_VIEWS else "total"


@dataclass(frozen=True)
class RateNote:
    """An offer converted to the decision's currency: at which rate, of which day."""

    name: str
    currency: str
    rate: Decimal
    rate_on: dt.date | None


@dataclass(frozen=True)
class CompareRow:
    """One ranked offer. ``pay_first_year``/``pay_annualised`` are its pay in the
    decision's currency, None when unknown or hidden from the reader;
    ``view_first_year``/``view_annualised`` the same in the view of pay the ranking is
    on (``Comparison.pay_view``: all of it, the guaranteed part, or adjusted for the
    cost of living)."""

    offer: Offer
    result: scoring.OfferResult
    win_share: float | None
    pay_first_year: Decimal | None = None
    pay_annualised: Decimal | None = None
    view_first_year: Decimal | None = None
    view_annualised: Decimal | None = None
    # What it pays in each of the four years, in the decision's currency.
    pay_years: tuple[Decimal, ...] | None = None
    # The guaranteed part of each of those years (``compensation.guaranteed_totals``).
    pay_guaranteed_years: tuple[Decimal, ...] | None = None
    # What leaving after each of ``compensation.LEAVE_AFTER_MONTHS`` takes with it.
    pay_leave_early: tuple[Decimal, ...] | None = None
    # The offer's colour in the pay chart, the same whatever its rank.
    pay_colour: str = CHART_COLOURS[0]

    @property
    def pay_cumulative(self) -> list[Decimal] | None:
        """What it has paid by the end of each year (the last: its four-year total)."""
        return None if self.pay_years is None else cumulative_totals(self.pay_years)

    @property
    def pay_variable_years(self) -> tuple[Decimal, ...] | None:
        """The part of each year's pay that may not come (bonus, equity): the rest of
        ``pay_years``, so that the two parts always add up to the figure shown."""
        if self.pay_years is None or self.pay_guaranteed_years is None:
            return None
        return tuple(
            paid - sure
            for paid, sure in zip(self.pay_years, self.pay_guaranteed_years, strict=True)
        )

    @property
    def pay_split(self) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
        """Guaranteed and variable pay, in year 1 and as the four-year average."""
        sure, unsure = self.pay_guaranteed_years, self.pay_variable_years
        if sure is None or unsure is None:
            return None
        return (
            sure[0],
            unsure[0],
            sum(sure, ZERO) / HORIZON_YEARS,
            sum(unsure, ZERO) / HORIZON_YEARS,
        )


# The claims that can head the ranking, the first one found winning.
HEADLINES = (
    explain.ALL_RULED_OUT,
    explain.ONLY_ELIGIBLE,
    explain.CLOSE_CALL,
    explain.LEAD,
    explain.SCORE,
)


@dataclass(frozen=True)
class Comparison:
    """The ranking of a decision's offers and what may be said of it (``claims``, from
    ``decisions.explain``, grouped by kind in ``by_kind``). ``pay_shown`` is False when
    the pay figures were taken out for a coach: the claims then state no amount, and
    pages say pay is hidden."""

    decision: Decision
    criteria: list[CompareCriterion]
    rows: list[CompareRow]
    result: scoring.Result | None
    error: str | None
    samples: int = COMPARE_SAMPLES
    pay_shown: bool = True
    claims: tuple[explain.Claim, ...] = ()
    by_kind: Mapping[str, tuple[explain.Claim, ...]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    # False when no claim states an amount (``comparison(..., figures=False)``).
    figures: bool = True
    # Where an offer paying less in year one pays more later, in words (``pay_crossovers``).
    crossovers: tuple[str, ...] = ()
    # The view of pay the salary criterion scores (one of ``PAY_VIEWS``), and the views
    # the page may offer: the cost of living only when some offer has an index.
    pay_view: str = "total"
    pay_views: tuple[str, ...] = ()
    # How each offer's equity is counted, in words (``equity_value_text``).
    equity_notes: tuple[str, ...] = ()
    # The rate and its day of each offer converted to the decision's currency.
    rate_notes: tuple[RateNote, ...] = ()

    @property
    def leader(self) -> CompareRow | None:
        return self.rows[0] if self.rows else None

    @property
    def pay_view_words(self) -> PayViewWords:
        return PAY_VIEW_WORDS[self.pay_view]

    @property
    def pay_view_names(self) -> list[tuple[str, str]]:
        """The views of pay the page offers, each with its name."""
        return [(view, PAY_VIEW_WORDS[view].name) for view in self.pay_views]

    @property
    def runner_up(self) -> CompareRow | None:
        return self.rows[1] if len(self.rows) > 1 else None

    @property
    def pay_rows(self) -> list[CompareRow]:
        """The rows whose pay is known and shown, for the year-by-year table and chart."""
        return [row for row in self.rows if row.pay_years is not None]

    @property
    def leave_after_months(self) -> tuple[int, ...]:
        return LEAVE_AFTER_MONTHS

    @property
    def pay_year_most(self) -> Decimal:
        """The most any offer pays in one year: the chart's full bar."""
        return max((max(row.pay_years) for row in self.pay_rows if row.pay_years), default=ZERO)

    @property
    def relative_criteria(self) -> list[Criterion]:
        return [c.criterion for c in self.criteria if c.relative]

    @property
    def headline(self) -> explain.Claim | None:
        return next((self.by_kind[k][0] for k in HEADLINES if k in self.by_kind), None)

    def claims_of(self, *kinds_wanted: str) -> list[explain.Claim]:
        """The claims of the given kinds, kind by kind, each in the order made."""
        return [claim for kind in kinds_wanted for claim in self.by_kind.get(kind, ())]

    def claim(self, kind: str) -> explain.Claim | None:
        found = self.by_kind.get(kind)
        return found[0] if found else None


def _by_kind(claims: tuple[explain.Claim, ...]) -> Mapping[str, tuple[explain.Claim, ...]]:
    grouped: dict[str, list[explain.Claim]] = {}
    for claim in claims:
        grouped.setdefault(claim.kind, []).append(claim)
    return MappingProxyType({kind: tuple(found) for kind, found in grouped.items()})


def _raw_value(
    criterion: Criterion, offer: Offer, value: Decimal | None, basis: str, pay_view: str
) -> float | None:
    """What the scoring engine gets: the offer's pay for the computed kind (in
    ``pay_view``), else the cell."""
    if criterion.kind_spec.computed:
        value = offer.pay_in_base(basis, pay_view)
    return None if value is None else float(value)


def _ruled_out_by(decision: Decision, offer: Offer) -> dict[str, str]:
    """The decision's must-haves on offer facts that ``offer`` fails, as the engine takes
    them: the fact's key and the offer's value of it, in words."""
    failed = {}
    if offer.work_mode in decision.ruled_out_work_modes():
        failed[MUST_HAVE_WORK_MODE] = offer.get_work_mode_display()
    place = place_name(offer.location)
    if place and any(same_place(place, out) for out in decision.ruled_out_locations()):
        failed[MUST_HAVE_LOCATION] = place
    return failed


def _names(offers: list[Offer]) -> dict[int, str]:
    """What the sentences call each offer: its company, with the role when two offers
    share a company."""
    companies = [o.company for o in offers]
    return {
        o.pk: o.company if companies.count(o.company) == 1 else f"{o.company} ({o.role})"
        for o in offers
    }


def _cached_ranking(
    *,
    inputs: dict[str, Any],
    names: dict[int, str],
    labels: dict[str, str],
    units: dict[str, tuple[str, str]],
    currency: str,
    figures: bool,
    pay_view: str = "total",
) -> tuple[scoring.Result, tuple[explain.Claim, ...]]:
    """``scoring.score`` and ``explain.explain``, remembered by their inputs: both are
    pure functions of them (the sampling is seeded), and they are most of the page.
    The result is kept once; the claims once with figures and once without (a coach
    who may not see pay), each made only when asked for.

    ``units`` holds each criterion's kind and unit, which say how a value is written.
    ``pay_view`` is in both keys: the values already differ by view where the view
    changes them, and a view is never served another's claims even where it does not."""
    digest = hashlib.sha256(repr((sorted(inputs.items()), pay_view)).encode()).hexdigest()
    cache = caches["local"]
    result = cache.get(f"ranking:{digest}")
    if result is None:
        result = scoring.score(**inputs)
        cache.set(f"ranking:{digest}", result, timeout=SCORE_CACHE_SECONDS)
    words = hashlib.sha256(repr((names, labels, units, currency, figures)).encode()).hexdigest()
    claims_key = f"claims:{digest}:{words}"
    claims = cache.get(claims_key)
    if claims is not None:
        return result, claims

    def show(criterion_key: str, raw: float) -> str:
        kind_code, unit = units[criterion_key]
        kind = kinds.get(kind_code)
        if kind.pay:
            return money(raw, currency)
        return kind.format(Decimal(str(raw)), unit)

    claims = tuple(
        explain.explain(
            criteria=inputs["criteria"],
            offers=inputs["offers"],
            result=result,
            names=names,
            money_key=inputs["money_key"],
            labels=labels,
            show=show,
            figures=figures,
        )
    )
    cache.set(claims_key, claims, timeout=SCORE_CACHE_SECONDS)
    return result, claims


def comparison(
    decision: Decision,
    *,
    samples: int = COMPARE_SAMPLES,
    figures: bool = True,
    pay_view: str = "total",
) -> Comparison:
    """Score a decision's offers: three queries (criteria, offers, ratings), then memory.

    With ``figures`` False the claims state no amount (for ``comparison_without_pay``).
    ``pay_view`` (one of ``PAY_VIEWS``; anything else is ``total``) is the pay the
    salary criterion scores and the table shows; the cost of living is the whole pay
    when no offer has an index."""
    criteria = list(decision.criteria.all())
    offers = list(decision.offers.all())
    pay_views = _pay_views(criteria, offers)
    pay_view = pay_view_named(pay_view)
    if pay_view not in pay_views:
        pay_view = "total"
    cells = {
        (offer_id, criterion_id): (value, high)
        for offer_id, criterion_id, value, high in Rating.objects.filter(
            offer__decision=decision
        ).values_list("offer_id", "criterion_id", "value", "value_high")
    }
    keys = {c.pk: str(c.pk) for c in criteria}
    engine_criteria = [
        scoring.Criterion(
            key=keys[c.pk],
            kind=c.kind,
            weight=float(c.weight),
            floor=None if c.floor is None else float(c.floor),
            target=None if c.target is None else float(c.target),
            floor_rules_out=c.floor_rules_out,
        )
        for c in criteria
    ]
    engine_offers = [_engine_offer(decision, o, criteria, keys, cells, pay_view) for o in offers]
    money_criterion = next((c for c in criteria if c.kind_spec.pay), None)

    def compare_criteria(relative: set[str]) -> list[CompareCriterion]:
        return [
            CompareCriterion(
                criterion=c,
                key=keys[c.pk],
                colour=CHART_COLOURS[i % len(CHART_COLOURS)],
                relative=keys[c.pk] in relative,
            )
            for i, c in enumerate(criteria)
        ]

    try:
        result, claims = _cached_ranking(
            inputs={
                "criteria": engine_criteria,
                "offers": engine_offers,
                "samples": samples,
                "seed": decision.pk,
                "money_key": keys[money_criterion.pk] if money_criterion else None,
            },
            names=_names(offers),
            labels={keys[c.pk]: c.name for c in criteria},
            units={keys[c.pk]: (c.kind, c.unit) for c in criteria},
            currency=decision.base_currency,
            figures=figures,
            pay_view=pay_view,
        )
    except scoring.ScoringError as error:
        return Comparison(decision, compare_criteria(set()), [], None, str(error), samples)

    offers_by_id = {o.pk: o for o in offers}
    colours = {o.pk: CHART_COLOURS[i % len(CHART_COLOURS)] for i, o in enumerate(offers)}
    rows = [
        _compare_row(
            offers_by_id[offer_result.id],
            offer_result,
            win_share=result.win_probability.get(offer_result.id),
            colour=colours[offer_result.id],
            pay_view=pay_view,
        )
        for offer_result in result.ranking
    ]
    names = _names(offers)
    ranked_offers = [row.offer for row in rows]
    if pay_view == "living":
        # An amount of pay as it buys where the candidate lives is not one to ask an
        # employer for: the sums that would change the ranking are said on all pay.
        claims = tuple(claim for claim in claims if claim.kind not in PAY_AMOUNT_CLAIMS)
    return Comparison(
        decision,
        compare_criteria(set(result.relative)),
        rows,
        result,
        None,
        samples,
        claims=claims,
        by_kind=_by_kind(claims),
        figures=figures,
        crossovers=pay_crossovers(rows, names, decision.base_currency),
        pay_view=pay_view,
        pay_views=pay_views,
        equity_notes=tuple(
            note
            for offer in ranked_offers
            if (note := equity_value_text(offer, names[offer.pk], decision.base_currency))
        ),
        rate_notes=tuple(
            RateNote(names[o.pk], o.currency, o.rate_to_base, o.rate_on)
            for o in ranked_offers
            if o.converted
        ),
    )


# The claims that state an amount of pay to ask for.
PAY_AMOUNT_CLAIMS = frozenset(
    {explain.PAY_TO_OVERTAKE, explain.PAY_TO_TIE, explain.PAY_TO_CLEAR_FLOOR}
)


def _pay_views(criteria: list[Criterion], offers: list[Offer]) -> tuple[str, ...]:
    """The views of pay worth offering: none but the whole when no criterion scores
    pay (the ranking would not move); the cost of living when an offer has an index."""
    if not any(c.kind_spec.computed for c in criteria):
        return ("total",)
    living = any(o.cost_of_living is not None for o in offers)
    return tuple(view for view in PAY_VIEWS if view != "living" or living)


def _compare_row(
    offer: Offer,
    offer_result: scoring.OfferResult,
    *,
    win_share: float | None,
    colour: str,
    pay_view: str,
) -> CompareRow:
    return CompareRow(
        offer=offer,
        result=offer_result,
        win_share=win_share,
        pay_first_year=offer.first_year_total_in_base,
        pay_annualised=offer.annualised_total_in_base,
        view_first_year=offer.pay_in_base(Decision.PayBasis.FIRST_YEAR, pay_view),
        view_annualised=offer.pay_in_base(Decision.PayBasis.ANNUALISED, pay_view),
        pay_years=offer.yearly_totals_in_base,
        pay_guaranteed_years=offer.guaranteed_years_in_base,
        pay_colour=colour,
        pay_leave_early=offer.leave_early_in_base,
    )


def equity_value_text(offer: Offer, name: str, currency: str) -> str | None:
    """How ``offer``'s equity counts in its pay, in words (``compensation.equity_text``):
    its amounts a year in ``currency``, the decision's, at the offer's rate; its prices
    per share in the offer's own currency."""
    return compensation.equity_text(
        offer.package,
        name=name,
        show=lambda amount: money(in_currency(amount, rate=offer.rate_to_base), currency),
        show_price=lambda price: money_cents(price, offer.currency),
    )


def pay_crossovers(rows: list[CompareRow], names: dict[int, str], currency: str) -> tuple[str, ...]:
    """Each offer that pays less than the best-paid one in year 1 but more later, in
    words (``compensation.crossover_text``), in the ranking's order."""
    known = [row for row in rows if row.pay_years is not None]
    if len(known) < 2:
        return ()
    first = max(known, key=lambda row: row.pay_years[0])  # type: ignore[index]
    sentences = []
    for row in known:
        crossing = crossover(first.pay_years, row.pay_years)  # type: ignore[arg-type]
        if crossing is not None:
            sentences.append(
                crossover_text(
                    crossing,
                    lower=names[row.offer.pk],
                    higher=names[first.offer.pk],
                    show=lambda amount: money(amount, currency),
                )
            )
    return tuple(sentences)


def _engine_offer(
    decision: Decision,
    offer: Offer,
    criteria: list[Criterion],
    keys: dict[int, str],
    cells: dict[tuple[int, int], tuple[Decimal | None, Decimal | None]],
    pay_view: str = "total",
) -> scoring.Offer:
    """One offer as the engine takes it: raw values (the middle of a range), the ranges
    of unsure ratings and the must-haves it fails."""
    values: dict[str, float | None] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for criterion in criteria:
        value, high = cells.get((offer.pk, criterion.pk), (None, None))
        key = keys[criterion.pk]
        if high is not None and value is not None and criterion.kind_spec.takes_range:
            ranges[key] = (float(value), float(high))
            value = (value + high) / 2
        values[key] = _raw_value(criterion, offer, value, decision.pay_basis, pay_view)
    return scoring.Offer(
        id=offer.pk, values=values, ranges=ranges, ruled_out_by=_ruled_out_by(decision, offer)
    )


@dataclass(frozen=True)
class WeightsOrigin:
    """Where the weights in use came from, as the latest weights change logged it:
    ``words`` from ``weighting.ORIGINS`` ("from the swing wizard"), the day, and the
    consistency ratio of a pairwise wizard's answers."""

    words: str
    on: dt.date | None = None
    consistency_ratio: float | None = None


def weights_origin(decision: Decision) -> WeightsOrigin:
    """The origin of ``decision``'s weights (one query): its latest weights change, read
    as the sliders when it names none (an entry from before wizards), the starting
    weights when there is none."""
    entry = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).first()
    if entry is None:
        return WeightsOrigin(words="as they were when the decision was started, not changed since")
    data = entry.data if isinstance(entry.data, dict) else {}
    origin = data.get("origin", "sliders")
    wizard = data.get("wizard")
    ratio = wizard.get("consistency_ratio") if isinstance(wizard, dict) else None
    return WeightsOrigin(
        words=weighting.ORIGINS.get(origin, weighting.ORIGINS["sliders"]),
        on=timezone.localdate(entry.created_at),
        consistency_ratio=float(ratio)
        if isinstance(ratio, int | float) and not isinstance(ratio, bool)
        else None,
    )


# The weight wizards and the gut check --------------------------------------------


@dataclass(frozen=True)
class PutBack:
    """The weights a wizard replaced, ready to be restored: ``entry`` is the wizard's
    log entry, ``weights`` maps criterion id -> the weight it had before."""

    entry: LogEntry
    origin: str
    weights: dict[int, int]

    @property
    def words(self) -> str:
        return weighting.ORIGINS[self.origin]


def weights_put_back_offer(decision: Decision) -> PutBack | None:
    """What "Put back the weights I had" would restore, or None: the latest weights
    change must be a wizard's, and the criteria and their weights still those it
    left (any change since, a slider or a new criterion, and the offer is gone)."""
    entry = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).first()
    if entry is None or not isinstance(entry.data, dict):
        return None
    origin, before, after = (
        entry.data.get("origin"),
        entry.data.get("weights_before"),
        entry.data.get("weights_after"),
    )
    if origin not in weighting.WIZARDS:
        return None
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    current = {str(pk): weight for pk, weight in decision.criteria.values_list("pk", "weight")}
    if current != after or set(before) != set(current):
        return None
    try:
        weights = {int(pk): int(weight) for pk, weight in before.items()}
    except (TypeError, ValueError):
        return None
    if not all(0 <= w <= 100 for w in weights.values()) or not any(weights.values()):
        return None
    return PutBack(entry=entry, origin=origin, weights=weights)


def gut_check_question(offer: Offer) -> str:
    return f"How would you feel if {offer.company} won?"


@dataclass(frozen=True)
class GutCheckHints:
    """What to look at when the winner disappoints: ``behind`` the criteria on which
    ``runner_up`` scores more than the leader, as (criterion name, points), largest
    first; ``flips`` the ranking's own sentences on the single weights that would put
    another offer first."""

    leader: Offer
    runner_up: Offer | None
    behind: list[tuple[str, float]]
    flips: list[str]


def gut_check_hints(ranked: Comparison) -> GutCheckHints | None:
    """The criteria worth a second look when the candidate would be disappointed by
    the offer ranked first: a missing or under-weighted criterion shows as one where
    another offer does better but weighs too little to matter."""
    if ranked.leader is None:
        return None
    leader = ranked.leader
    runner_up = ranked.runner_up
    behind: list[tuple[str, float]] = []
    if runner_up is not None:
        names = {c.key: c.criterion.name for c in ranked.criteria}
        for key, name in names.items():
            gap = runner_up.result.contributions.get(key, 0.0) - leader.result.contributions.get(
                key, 0.0
            )
            if gap >= explain.SMALL_POINTS:
                behind.append((name, gap))
        behind.sort(key=lambda item: -item[1])
    return GutCheckHints(
        leader=leader.offer,
        runner_up=runner_up.offer if runner_up else None,
        behind=behind,
        flips=[claim.text for claim in ranked.claims_of(explain.FLIP)],
    )


# The offer page ------------------------------------------------------------------


@dataclass(frozen=True)
class OfferCriterionLine:
    """How one offer stands on one criterion: its value in words (a rating, a figure, or
    the pay the salary criterion scores), the candidate's note on why, and the points it
    brings to the offer's score (None when the value is unknown or there is no ranking).
    ``past_floor`` when the value is past the criterion's floor, which rules it out."""

    criterion: Criterion
    value: str
    note: str
    points: float | None
    past_floor: bool


@dataclass(frozen=True)
class OfferDetail:
    """Everything the candidate knows of one offer, for its own page: the offer, its
    criteria lines, its row of the ranking (``row``, None when nothing could be ranked,
    then ``ranking_error`` says why) out of ``ranked_count`` offers, and how its equity
    counts in words. The owner's page only: a coach reads offers in the coach's
    projection (``coach_view``), which decides what pay they may see."""

    offer: Offer
    lines: tuple[OfferCriterionLine, ...]
    row: CompareRow | None
    ranked_count: int
    ranking_error: str | None
    equity_note: str | None
    messages: tuple[models.Model, ...]

    @property
    def rank(self) -> int | None:
        return self.row.result.rank if self.row else None


def offer_detail(offer: Offer) -> OfferDetail:
    """One offer of its decision with its place in the ranking on all pay (the cached
    ``comparison``, so the page costs no more scoring than the compare page), each
    criterion's value, note and points, and the messages drafted to its employer
    (through the reverse relation, so this app needs nothing of the messaging app)."""
    decision = offer.decision
    ranked = comparison(decision)
    row = next((r for r in ranked.rows if r.offer.pk == offer.pk), None)
    cells = {r.criterion_id: r for r in offer.ratings.all()}
    lines = []
    for column in ranked.criteria:
        criterion = column.criterion
        spec = criterion.kind_spec
        rating = cells.get(criterion.pk)
        if spec.computed:
            pay = offer.pay_in_base(decision.pay_basis)
            value = money(pay, decision.base_currency) if pay is not None else "—"
        elif rating is not None and rating.value is not None and rating.value_high is not None:
            value = spec.format_range(rating.value, rating.value_high)
        else:
            value = spec.format(rating.value if rating else None, criterion.unit)
        known = row is not None and column.key not in row.result.missing
        lines.append(
            OfferCriterionLine(
                criterion=criterion,
                value=value,
                note=rating.note if rating else "",
                points=row.result.contributions.get(column.key) if known else None,  # type: ignore[union-attr]
                past_floor=row is not None and column.key in row.result.dealbreakers,
            )
        )
    return OfferDetail(
        offer=offer,
        lines=tuple(lines),
        row=row,
        ranked_count=len(ranked.rows),
        ranking_error=ranked.error,
        equity_note=equity_value_text(offer, _names([offer])[offer.pk], decision.base_currency),
        messages=tuple(offer.messages.order_by("created_at", "pk")),  # type: ignore[attr-defined]
    )


# The decision log ----------------------------------------------------------------

TIMELINE_PAGE_SIZE = 30


def by_day(entries: Iterable[LogEntry]) -> list[tuple[dt.date, list[LogEntry]]]:
    """Group entries (already newest first) by their day in the current time zone."""
    return [
        (day, list(group))
        for day, group in itertools.groupby(
            entries, key=lambda entry: timezone.localtime(entry.created_at).date()
        )
    ]


# Coaching ------------------------------------------------------------------------


def coach_second_factor_advised(coach: User) -> bool:
    """Whether to urge ``coach`` to add a passkey or an authenticator app: someone lets
    them read their job offers (an active grant), and their password alone logs in."""
    return active_grants(coach).exists() and not is_mfa_enabled(coach)


# What needs a coach's attention, each reason with its weight in the dashboard's order
# (a decision's reasons add up, the heaviest sum first) and its words. In weight order.
# The issue asked for "within 3 days"; the deadline badges say soon from SOON_DAYS
# (2) on, and a card must not call soon what its badge does not.
DEADLINE_SOON_DAYS = deadlines.SOON_DAYS
QUIET_DAYS = 14
LOW_CONFIDENCE = 60  # a decision made less than this sure (percent)
ATTENTION = (
    ("attention_deadline", 60, "An offer’s reply is due soon, with no decision yet"),
    ("attention_homework", 40, "Homework is overdue"),
    ("attention_question", 30, "A question waits for an answer"),
    ("attention_close_call", 25, "Decided on a close call"),
    ("attention_confidence", 25, f"Decided less than {LOW_CONFIDENCE}% sure"),
    ("attention_look_back", 20, "The look back is due"),
    ("attention_quiet", 10, f"No activity for {QUIET_DAYS} days"),
)


def _count(rows: QuerySet[Any]) -> Subquery:
    """How many of ``rows`` (filtered on ``OuterRef("pk")``) as a correlated subquery."""
    return Coalesce(
        Subquery(rows.order_by().values("decision").annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


@dataclass
class DashboardRow:
    """One client's decision on the coach's dashboard: what the page shows of it, and
    the weight of each ``ATTENTION`` reason (0 when it does not apply)."""

    pk: int
    title: str
    status: str
    owner_id: int
    owner_full_name: str
    owner_username: str
    confidence: int | None
    review_on: dt.date | None
    latest_activity: dt.datetime | None
    quiet: bool
    next_deadline: dt.date | None
    new_entries: int
    waiting_questions: int
    pending_homework: int
    overdue_homework: int
    look_back_asked: bool
    looked_back: bool
    decided_close: bool
    attention: int = 0
    attention_deadline: int = 0
    attention_homework: int = 0
    attention_question: int = 0
    attention_close_call: int = 0
    attention_confidence: int = 0
    attention_look_back: int = 0
    attention_quiet: int = 0

    @property
    def owner_name(self) -> str:
        return self.owner_full_name or self.owner_username

    @property
    def status_label(self) -> str:
        return Decision.Status(self.status).label

    @property
    def reasons(self) -> list[str]:
        return attention_reasons(self)


# The columns of a dashboard row that are the decision's own (the rest are annotated).
DASHBOARD_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "status": "status",
    "owner_id": "owner_id",
    "owner_full_name": "owner__full_name",
    "owner_username": "owner__username",
    "confidence": "confidence",
    "review_on": "review_on",
}


def coach_dashboard(coach: User) -> list[DashboardRow]:
    """Every decision of every active client, in one query whatever their number, the
    one that most needs the coach first (``ATTENTION``).

    Each row carries its latest shared activity, the next open deadline, how many
    shared entries by someone else arrived since the coach's last visit, and the facts
    the ``ATTENTION`` reasons read, as correlated subqueries (joining logs and offers
    together would multiply the counts). The rows are plain values, not models, and
    the reasons are weighed here, in Python: every row must be weighed to rank them,
    and making 200 models to show 25 made the page twice as slow.
    """
    today = timezone.localdate()
    quiet_since = timezone.now() - dt.timedelta(days=QUIET_DAYS)
    shared = LogEntry.objects.filter(decision=OuterRef("pk"), private=False)
    grant = CoachGrant.objects.active().filter(coach=coach, client=OuterRef("owner"))
    open_deadlines = Offer.objects.filter(
        decision=OuterRef("pk"),
        status=Offer.Status.OPEN,
        response_deadline__gte=today,
    ).order_by("response_deadline")
    # A private look back is not the coach's to know of: the look back stays due.
    looked_back = LogEntry.objects.filter(
        decision=OuterRef("pk"),
        kind=LogEntry.Kind.LOOK_BACK,
        created_at__gte=OuterRef("decided_at"),
        private=False,
    )
    asked_look_back = Homework.objects.pending().filter(
        decision=OuterRef("pk"), exercise=Homework.Exercise.LOOK_BACK
    )

    rows = (
        coached_decisions(coach)
        .annotate(
            latest_activity=Subquery(shared.order_by("-created_at").values("created_at")[:1]),
            # Quiet: nothing shared by the client lately (a yes or no costs less than
            # a date per row).
            quiet=~Exists(shared.filter(author=OuterRef("owner"), created_at__gte=quiet_since)),
            next_deadline=Subquery(open_deadlines.values("response_deadline")[:1]),
            # Before a first visit, "new" counts from the moment access was granted.
            last_seen=Subquery(
                grant.annotate(seen=Coalesce("last_seen_at", "granted_at")).values("seen")[:1]
            ),
            waiting_questions=_count(waiting_questions().filter(decision=OuterRef("pk"))),
            overdue_homework=_count(
                Homework.objects.overdue(today).filter(decision=OuterRef("pk"))
            ),
            pending_homework=_count(Homework.objects.pending().filter(decision=OuterRef("pk"))),
            look_back_asked=Exists(asked_look_back),
            looked_back=Exists(looked_back),
            decided_close=Case(
                When(decided_snapshot__close_call=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            new_entries=Coalesce(
                Subquery(
                    # The coach's own comments and joining are no news to the coach.
                    shared.filter(created_at__gt=OuterRef("last_seen"))
                    .exclude(author=coach)
                    .order_by()
                    .values("decision")
                    .annotate(count=Count("pk"))
                    .values("count")[:1]
                ),
                0,
            ),
        )
        .values(*DASHBOARD_COLUMNS.values(), *DASHBOARD_ANNOTATIONS)
        # The last of the ties' order; the ranking below sorts stably on top of it.
        .order_by("-updated_at")
    )
    decisions = [
        DashboardRow(
            **{field: row[column] for field, column in DASHBOARD_COLUMNS.items()},
            **{name: row[name] for name in DASHBOARD_ANNOTATIONS},
        )
        for row in rows
    ]
    for decision in decisions:
        _weigh_attention(decision, today=today)
    decisions.sort(
        key=lambda d: (
            -d.attention,
            d.next_deadline or dt.date.max,
            d.owner_full_name,
            d.owner_username,
        )
    )
    return decisions


DASHBOARD_ANNOTATIONS = (
    "latest_activity",
    "quiet",
    "next_deadline",
    "new_entries",
    "waiting_questions",
    "pending_homework",
    "overdue_homework",
    "look_back_asked",
    "looked_back",
    "decided_close",
)


def _weigh_attention(decision: DashboardRow, *, today: dt.date) -> None:
    """Set each ``ATTENTION`` reason's weight on a ``coach_dashboard`` row (0 when it
    does not apply), and ``attention``, their sum."""
    is_open = decision.status == Decision.Status.OPEN
    decided = decision.status == Decision.Status.DECIDED
    soon = today + dt.timedelta(days=DEADLINE_SOON_DAYS)
    applies = {
        "attention_deadline": is_open
        and decision.next_deadline is not None
        and decision.next_deadline <= soon,
        "attention_homework": decision.overdue_homework > 0,
        "attention_question": decision.waiting_questions > 0,
        "attention_close_call": decided and decision.decided_close,
        "attention_confidence": decided
        and decision.confidence is not None
        and decision.confidence < LOW_CONFIDENCE,
        # Due on its date, or as soon as a coach asks for it (as the client's page has it).
        "attention_look_back": decided
        and (
            (decision.review_on is not None and decision.review_on <= today)
            or decision.look_back_asked
        )
        and not decision.looked_back,
        "attention_quiet": is_open and decision.quiet,
    }
    for name, points, _ in ATTENTION:
        setattr(decision, name, points if applies[name] else 0)
    decision.attention = sum(getattr(decision, name) for name, _, _ in ATTENTION)


def attention_reasons(decision: DashboardRow) -> list[str]:
    """The words of each ``ATTENTION`` reason that applies to a ``coach_dashboard``
    row, the weightiest first."""
    return [words for name, _, words in ATTENTION if getattr(decision, name, 0)]


# What a reader may see of a decision ------------------------------------------------
#
# One projection for every reader: the candidate gets everything, a coach gets what the
# grant allows. Pay is taken out here, on the server, so a template can only show what
# the projection holds and never has to know which figures are private.

Audience = Literal["owner", "coach"]


def _hidden() -> dict[str, bool]:
    """What a pay figure becomes in the log data a coach reads (a fresh dict each time,
    so that no two entries share a mutable value)."""
    return {"hidden": True}


def is_hidden(value: Any) -> bool:
    """True for the marker that stands in for a redacted figure."""
    return isinstance(value, Mapping) and value.get("hidden") is True


@dataclass(frozen=True)
class DecisionDetails:
    """The decision's own readable fields, without its record or any pay figure."""

    pk: int
    title: str
    goals: str
    status: str
    status_label: str
    owner_name: str
    base_currency: str
    pay_basis: str
    version: int
    is_decided: bool


@dataclass(frozen=True)
class DecisionRecord:
    """What was chosen and why: the decided reason, the confidence and the look back."""

    chosen_offer: str
    decided_at: dt.datetime | None
    reason: str
    confidence: int | None
    review_on: dt.date | None


@dataclass(frozen=True)
class OfferLine:
    """One offer as the report lists it; ``pay_*`` None when unknown or hidden."""

    pk: int
    company: str
    role: str
    location: str
    work_mode_label: str
    response_deadline: dt.date | None
    status_label: str
    pay_first_year: Decimal | None
    pay_annualised: Decimal | None


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an entry, as text ready to show; ``hidden`` replaces both."""

    label: str
    before: str
    after: str
    hidden: bool = False


# A logged value a coach may not see (``data_without_pay``), as the log shows it.
HIDDEN_FIGURE = "(figure hidden)"


@dataclass(frozen=True)
class RatingChange:
    """One changed cell of the ratings grid, as text ready to show."""

    offer_label: str
    criterion_label: str
    before: str
    after: str
    note: str


@dataclass(frozen=True)
class EntryView:
    """One log entry, ready for a template. ``data`` is the entry's data with what the
    reader may not see already replaced by ``{"hidden": True}`` or left out;
    ``changes`` and ``ratings`` are the same facts as text."""

    pk: int
    kind: str
    kind_label: str
    summary: str
    body: str
    private: bool
    by_coach: bool
    author_name: str
    created_at: dt.datetime
    data: Mapping[str, Any]
    changes: tuple[FieldChange, ...] = ()
    ratings: tuple[RatingChange, ...] = ()
    # ``UNREADABLE_DETAILS`` when part of the stored entry could not be read (shown as
    # ``UNREADABLE_VALUE`` or left out); empty when all of it could.
    unreadable: str = ""
    # The coach's comment whose thread this entry is or belongs to (``decisions.conversation``).
    thread_pk: int | None = None


# Consecutive entries of these kinds by one person on one day read as one step (a
# what-if on the sliders saves several times): the log page shows them as one entry
# that opens on the others. They stay stored one by one (the log is append-only).
RUN_KINDS = frozenset({LogEntry.Kind.WEIGHTS_CHANGED})


@dataclass(frozen=True)
class EntryRun:
    """Consecutive entries of one ``RUN_KINDS`` kind by one author, newest first:
    ``latest`` says where they ended, ``earlier`` the steps before it."""

    entries: tuple[EntryView, ...]

    @property
    def latest(self) -> EntryView:
        return self.entries[0]

    @property
    def earlier(self) -> tuple[EntryView, ...]:
        return self.entries[1:]


def entry_runs(entries: Iterable[EntryView]) -> tuple[EntryRun, ...]:
    """``entries`` (newest first, one day's) as runs: each entry alone, except that
    consecutive ``RUN_KINDS`` entries of one kind, author and privacy form one run."""
    runs: list[list[EntryView]] = []
    for entry in entries:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and entry.kind in RUN_KINDS
            and (entry.kind, entry.author_name, entry.by_coach, entry.private)
            == (previous.kind, previous.author_name, previous.by_coach, previous.private)
        ):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return tuple(EntryRun(tuple(run)) for run in runs)


@dataclass(frozen=True)
class LogPage:
    """One page of the log, newest first. ``count`` is every entry the reader may see
    (of ``kind`` when filtered); ``older`` how many come after this page."""

    entries: tuple[EntryView, ...]
    days: tuple[tuple[dt.date, tuple[EntryView, ...]], ...]
    kind: str
    number: int
    num_pages: int
    count: int
    older: int
    previous_page: int | None
    next_page: int | None

    @property
    def day_runs(self) -> tuple[tuple[dt.date, tuple[EntryRun, ...]], ...]:
        """``days`` with each day's entries as ``entry_runs``: what the log page shows."""
        return tuple((day, entry_runs(entries)) for day, entries in self.days)


@dataclass(frozen=True)
class DecisionView:
    """What one reader may see of a decision: the coach's projection or the owner's.

    Invariants: a coach's view holds no private entry; with ``pay_shown`` False it
    holds no pay figure (offer pay, pay-to-tie, the criteria's floors and targets, pay
    raw values, pay in log data). ``comparison`` and ``record`` are None, and
    ``offers`` empty, in a ``log_only`` view.
    """

    audience: Audience
    decision: DecisionDetails
    record: DecisionRecord | None
    pay_shown: bool
    comparison: Comparison | None
    offers: tuple[OfferLine, ...]
    log: LogPage

    @property
    def for_coach(self) -> bool:
        return self.audience == "coach"


def owner_view(
    decision: Decision,
    *,
    kind: str = "",
    page: str | int = 1,
    page_size: int = TIMELINE_PAGE_SIZE,
    log_only: bool = False,
) -> DecisionView:
    """The candidate's own view of their decision: everything, private entries included."""
    return _decision_view(
        decision,
        audience="owner",
        pay_shown=True,
        kind=kind,
        page=page,
        page_size=page_size,
        log_only=log_only,
    )


def coach_view(
    decision: Decision,
    grant: CoachGrant,
    *,
    kind: str = "",
    page: str | int = 1,
    page_size: int = TIMELINE_PAGE_SIZE,
    log_only: bool = False,
) -> DecisionView:
    """What the coach of ``grant`` may see of ``decision`` (a decision of the grant's
    client, already checked by ``access.get_coached_decision``): no private entries,
    and no pay figure when the grant says ``hide_compensation``."""
    return _decision_view(
        decision,
        audience="coach",
        pay_shown=not grant.hide_compensation,
        kind=kind,
        page=page,
        page_size=page_size,
        log_only=log_only,
    )


def _decision_view(
    decision: Decision,
    *,
    audience: Audience,
    pay_shown: bool,
    kind: str,
    page: str | int,
    page_size: int,
    log_only: bool,
) -> DecisionView:
    """``log_only`` (the log page and its fragment) leaves out the ranking, the offers
    and the record, which those pages do not show and the others do."""
    ranked = None if log_only else comparison(decision, figures=pay_shown)
    if ranked is not None and not pay_shown:
        ranked = comparison_without_pay(ranked)
    offers = () if log_only else tuple(_offer_line(o, pay_shown) for o in decision.offers.all())
    return DecisionView(
        audience=audience,
        decision=_details(decision),
        record=None if log_only else _record(decision),
        pay_shown=pay_shown,
        comparison=ranked,
        offers=offers,
        log=_log_page(
            decision,
            for_coach=audience == "coach",
            pay_shown=pay_shown,
            kind=kind,
            page=page,
            page_size=page_size,
        ),
    )


def _details(decision: Decision) -> DecisionDetails:
    return DecisionDetails(
        pk=decision.pk,
        title=decision.title,
        goals=decision.goals,
        status=decision.status,
        status_label=decision.get_status_display(),
        owner_name=decision.owner.display_name,
        base_currency=decision.base_currency,
        pay_basis=decision.pay_basis,
        version=decision.version,
        is_decided=decision.is_decided,
    )


def _record(decision: Decision) -> DecisionRecord | None:
    if not decision.is_decided or decision.chosen_offer is None:
        return None
    return DecisionRecord(
        chosen_offer=str(decision.chosen_offer),
        decided_at=decision.decided_at,
        reason=decision.decided_reason,
        confidence=decision.confidence,
        review_on=decision.review_on,
    )


def _offer_line(offer: Offer, pay_shown: bool) -> OfferLine:
    return OfferLine(
        pk=offer.pk,
        company=offer.company,
        role=offer.role,
        location=offer.location,
        work_mode_label=offer.get_work_mode_display(),
        response_deadline=offer.response_deadline,
        status_label=offer.get_status_display(),
        pay_first_year=offer.first_year_total_in_base if pay_shown else None,
        pay_annualised=offer.annualised_total_in_base if pay_shown else None,
    )


# The ranking without pay -------------------------------------------------------------


def _detached(row: models.Model, **related: models.Model) -> models.Model:
    """An in-memory copy of ``row`` that shares nothing cached with it: its related
    rows are only those given (themselves redacted copies), so a template that follows
    ``offer.decision`` finds the redacted decision, not the stored one."""
    duplicate = copy.copy(row)
    duplicate._state = copy.copy(row._state)
    duplicate._state.fields_cache = dict(related)
    duplicate.__dict__.pop("_prefetched_objects_cache", None)
    return duplicate


def _offer_without_pay(offer: Offer, decision: Decision) -> Offer:
    """An in-memory copy of ``offer`` with every pay field empty, never saved: the rows
    of a redacted ranking hold it, so no template can reach the figures."""
    stripped = _detached(offer, decision=decision)
    for name in OFFER_PAY_FIELDS:
        setattr(stripped, name, None)
    return stripped


def _criterion_without_pay(criterion: Criterion) -> Criterion:
    """An unsaved copy of ``criterion`` without the floor and target of an amount (see
    ``anchors_are_figures``)."""
    stripped = _detached(criterion)
    if anchors_are_figures(criterion.kind):
        stripped.floor = stripped.target = None
    return stripped


def comparison_without_pay(ranked: Comparison) -> Comparison:
    """``ranked`` (made with ``figures=False``, so that no claim states an amount) with
    every other pay figure taken out: the offers' pay, and every amount criterion's
    floor, target, values and scale (``anchors_are_figures``). Scores, points, ranks
    stay: they say how pay weighs, not what it is."""
    if ranked.figures and ranked.claims:
        raise ValueError("Its claims state amounts: make it with comparison(..., figures=False).")
    criteria = {c.criterion.pk: _criterion_without_pay(c.criterion) for c in ranked.criteria}
    # The same rule as the floors and targets: any amount may be pay.
    figure_keys = {c.key for c in ranked.criteria if anchors_are_figures(c.criterion.kind)}

    def swap(criterion: Criterion) -> Criterion:
        return criteria.get(criterion.pk, criterion)

    def offer_result(result: scoring.OfferResult) -> scoring.OfferResult:
        values = {k: (None if k in figure_keys else v) for k, v in result.values.items()}
        return dataclasses.replace(result, values=values)

    result = ranked.result
    results: dict[int, scoring.OfferResult] = {}
    if result is not None:
        results = {r.id: offer_result(r) for r in result.ranking}
        result = dataclasses.replace(
            result,
            ranking=[results[r.id] for r in result.ranking],
            scales={
                key: (
                    scoring.Scale(worst=None, best=None, relative=scale.relative)
                    if key in figure_keys
                    else scale
                )
                for key, scale in result.scales.items()
            },
        )
    decision = _detached(ranked.decision)
    decision.decided_snapshot = _snapshot_without_pay(decision.decided_snapshot)
    rows = [
        dataclasses.replace(
            row,
            offer=_offer_without_pay(row.offer, decision),
            result=results.get(row.result.id, row.result),
            pay_first_year=None,
            pay_annualised=None,
            view_first_year=None,
            view_annualised=None,
            pay_years=None,
            pay_guaranteed_years=None,
            pay_leave_early=None,
        )
        for row in ranked.rows
    ]
    return dataclasses.replace(
        ranked,
        decision=decision,
        criteria=[dataclasses.replace(c, criterion=swap(c.criterion)) for c in ranked.criteria],
        rows=rows,
        result=result,
        pay_shown=False,
        crossovers=(),
        equity_notes=(),
        rate_notes=(),
    )


# The log as a reader sees it ---------------------------------------------------------


# Entry kinds the log pages leave out (``_log_page``).
NOT_THE_STORY = (LogEntry.Kind.MESSAGE_EXPORTED,)


def _log_page(
    decision: Decision,
    *,
    for_coach: bool,
    pay_shown: bool,
    kind: str,
    page: str | int,
    page_size: int,
) -> LogPage:
    """Two queries whatever the size of the log: the count and the page itself."""
    # Downloading a message is not a step of the decision: older exports' entries stay
    # stored (the log is append-only) but no longer read as its story.
    entries = decision.log_entries.select_related("author").exclude(kind__in=NOT_THE_STORY)
    if for_coach:
        entries = entries.for_coach()
    if kind:
        entries = entries.filter(kind=kind)
    current = Paginator(entries, page_size).get_page(page)
    shown = tuple(entry_view(entry, pay_shown=pay_shown) for entry in current.object_list)
    return LogPage(
        entries=shown,
        days=tuple((day, tuple(group)) for day, group in by_day(shown)),
        kind=kind,
        number=current.number,
        num_pages=current.paginator.num_pages,
        count=current.paginator.count,
        older=current.paginator.count - (current.start_index() - 1) - len(shown) if shown else 0,
        previous_page=current.previous_page_number() if current.has_previous() else None,
        next_page=current.next_page_number() if current.has_next() else None,
    )


# Stored entries an earlier import let in may hold any JSON, and the log is append-only:
# so the readers below take what they can of an entry, put these words where they could
# not, and never raise.
UNREADABLE_VALUE = "(could not be read)"
UNREADABLE_DETAILS = "Some details of this entry could not be read."
# The data keys the log entry template prints as they stand: each a text or a number.
PRINTED_DATA = ("question", "why", "feeling", "intensity", "confidence", "review_on")
# No reader looks deeper into an entry's data than a decided snapshot's criteria (four
# levels); whatever is nested deeper is left out rather than copied without end.
DATA_DEPTH = 16
# Where an entry imported with someone else's name as its author keeps that name
# (decisions.portability writes and exports it).
IMPORTED_AUTHOR = "imported_author"
# The entries that log a criterion and its kind (``data["kind"]``).
CRITERION_KINDS = frozenset(
    {
        LogEntry.Kind.CRITERION_ADDED,
        LogEntry.Kind.CRITERION_CHANGED,
        LogEntry.Kind.CRITERION_REMOVED,
    }
)
# The finest any value is kept (kinds.AMOUNT_INPUT): a logged amount is shown to it.
CENTS = Decimal("0.01")


class _Reading:
    """The reading of one stored entry: ``damaged`` once a part of it could not be read."""

    def __init__(self) -> None:
        self.damaged = False

    def unreadable(self) -> str:
        """Note that a part could not be read; the words to show in its place."""
        self.damaged = True
        return UNREADABLE_VALUE


def entry_view(entry: LogEntry, *, pay_shown: bool) -> EntryView:
    """``entry`` ready for a template; without ``pay_shown`` its pay figures are gone.

    Whatever its stored ``data`` holds, this returns: a part no reader can read is
    left out or shown as ``UNREADABLE_VALUE``, and ``unreadable`` says so. Pure apart
    from reading ``entry.author`` (select it with the entry) and, for a coach comment
    with an author, ``entry.decision``.
    """
    reading = _Reading()
    # A copy, so that redaction never changes the entry as it was written.
    data = _readable_data(entry.kind, entry.data, reading)
    if not pay_shown:
        data = data_without_pay(entry.kind, data)
    by_coach, author_name = _author(entry, data, reading)
    changes = _field_changes(entry.kind, data, reading)
    ratings = _rating_changes(data, reading) if entry.kind == LogEntry.Kind.RATINGS_CHANGED else ()
    return EntryView(
        pk=entry.pk,
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        summary=entry.summary,
        body=entry.body,
        private=entry.private,
        by_coach=by_coach,
        author_name=author_name,
        created_at=entry.created_at,
        data=MappingProxyType(data),
        changes=changes,
        ratings=ratings,
        unreadable=UNREADABLE_DETAILS if reading.damaged else "",
        thread_pk=entry.pk if entry.kind == LogEntry.Kind.COACH_COMMENT else entry.thread_id,
    )


def _author(entry: LogEntry, data: Mapping[str, Any], reading: _Reading) -> tuple[bool, str]:
    """Whether a coach wrote ``entry``, and the name its reader sees.

    An entry an earlier import brought in under another's name has no author and
    that name in ``data["imported_author"]``: it reads as imported text, never as a
    coach's own words. Nor is a coach comment the candidate wrote (one imported as
    theirs) a coach's: nobody coaches their own decision."""
    if entry.author_id is None and IMPORTED_AUTHOR in data:
        signed = data[IMPORTED_AUTHOR]
        if not isinstance(signed, str):
            reading.unreadable()
            return False, "From an imported file"
        return False, f"From an imported file, signed ‘{signed}’"
    author = entry.author
    by_coach = entry.kind == LogEntry.Kind.COACH_COMMENT and (
        entry.author_id is None or entry.author_id != entry.decision.owner_id
    )
    return by_coach, author.display_name if author else "A former user"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _bounded_copy(value: Any, reading: _Reading, depth: int = DATA_DEPTH) -> Any:
    """A copy of the JSON ``value``, with what lies deeper than ``depth`` left out (None)."""
    if isinstance(value, dict | list):
        if depth == 0:
            reading.unreadable()
            return None
        if isinstance(value, dict):
            return {key: _bounded_copy(item, reading, depth - 1) for key, item in value.items()}
        return [_bounded_copy(item, reading, depth - 1) for item in value]
    return value


def _readable_data(kind: str, stored: Any, reading: _Reading) -> dict[str, Any]:
    """A copy of an entry's stored ``data`` as its readers take it: an object, no deeper
    than ``DATA_DEPTH``, each ``PRINTED_DATA`` value a text or a number, a logged
    criterion's kind a code and a decided snapshot an object of lists of objects;
    the rest is left out (and noted on ``reading``). ``changes`` are read by
    ``_field_changes`` and ``_rating_changes``, which take any shape."""
    if not isinstance(stored, dict):
        reading.unreadable()
        return {}
    data = _bounded_copy(stored, reading)
    for key in PRINTED_DATA:
        if not _scalar(data.get(key)):
            del data[key]
            reading.unreadable()
    if kind in CRITERION_KINDS and not isinstance(data.get("kind", ""), str):
        reading.unreadable()  # kept: anchors_are_figures hides the anchors of such a kind
    if kind == LogEntry.Kind.DECIDED and "snapshot" in data:
        data["snapshot"] = _readable_snapshot(data["snapshot"], reading)
    return data


def _readable_snapshot(snapshot: Any, reading: _Reading) -> dict[str, Any]:
    """A decided snapshot (``services.record``) as its reader, the redaction of pay,
    takes it: an object whose ``offers`` and ``criteria``, where present, are lists of
    objects. Whatever else it holds there is left out (and noted on ``reading``)."""
    if not isinstance(snapshot, dict):
        reading.unreadable()
        return {}
    result = dict(snapshot)
    for key in ("offers", "criteria"):
        if key not in result:
            continue
        rows = result[key]
        kept = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
        if not isinstance(rows, list) or len(kept) != len(rows):
            reading.unreadable()
        result[key] = kept
    return result


# Hidden with the pay of every amount criterion, not only the pay kind's: a candidate
# may keep pay in an amount criterion of their own ("base salary"), and the registry
# cannot tell that from minutes. A floor on a fixed scale (culture 4 of 10) is no
# figure and stays.
ANCHOR_FIELDS = ("floor", "target")


def anchors_are_figures(*kind_codes: object) -> bool:
    """True when a floor or target of any of these kinds may be a pay figure: an amount
    kind, or a code the registry does not know (hidden to be safe)."""
    return any(
        not isinstance(code, str) or code not in kinds.KINDS or kinds.get(code).takes_anchors
        for code in kind_codes
    )


def _criterion_kinds(data: Mapping[str, Any]) -> list[object]:
    """The kinds a logged criterion had: its own, and before a change of kind the old."""
    found = [data.get("kind")]
    changes = data.get("changes")
    if isinstance(changes, Mapping) and isinstance(changes.get("kind"), Mapping):
        found.append(changes["kind"].get("before"))
    return found


def data_without_pay(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """An entry's data with every pay figure hidden or left out (``data`` is changed
    and returned; pass a copy).

    - a change of an offer's pay field (``OFFER_PAY_FIELDS``) or of an amount
      criterion's floor or target (``ANCHOR_FIELDS``) becomes ``{"hidden": True}``;
    - an offer added or removed loses its pay fields, an amount criterion added,
      removed or started with the decision its floor and target;
    - the decided snapshot loses the offers' pay and the amounts' floors and targets;
    - a ratings change keeps an amount criterion's cells as ``{"hidden": True}`` (with
      their notes, which are words): the compare page hides those values too.
    """
    changes = data.get("changes")
    if kind == LogEntry.Kind.OFFER_CHANGED and isinstance(changes, dict):
        for name in changes:
            if name in OFFER_PAY_FIELDS:
                changes[name] = _hidden()
    elif kind == LogEntry.Kind.CRITERION_CHANGED and isinstance(changes, dict):
        if anchors_are_figures(*_criterion_kinds(data)):
            for name in ANCHOR_FIELDS:
                if name in changes:
                    changes[name] = _hidden()
    elif kind in (LogEntry.Kind.CRITERION_ADDED, LogEntry.Kind.CRITERION_REMOVED):
        if anchors_are_figures(data.get("kind")):
            for name in ANCHOR_FIELDS:
                data.pop(name, None)
    elif kind == LogEntry.Kind.DECISION_CREATED:
        data["criteria"] = _criteria_without_pay(data.get("criteria"))
    elif kind in (LogEntry.Kind.OFFER_ADDED, LogEntry.Kind.OFFER_REMOVED):
        for name in OFFER_PAY_FIELDS:
            data.pop(name, None)
    elif kind == LogEntry.Kind.DECIDED and isinstance(data.get("snapshot"), dict):
        data["snapshot"] = _snapshot_without_pay(data["snapshot"])
    elif kind == LogEntry.Kind.RATINGS_CHANGED and isinstance(changes, list):
        for change in changes:
            if isinstance(change, dict) and anchors_are_figures(change.get("kind")):
                for side in ("before", "after"):
                    cell = change.get(side)
                    if isinstance(cell, dict):
                        change[side] = {**_hidden(), "note": cell.get("note")}
    return data


def _snapshot_without_pay(snapshot: Any) -> dict[str, Any]:
    """A decided snapshot (``services.record``) without the offers' pay and without
    the criteria's floors and targets; a copy, ``snapshot`` stays as it was. Of a
    stored snapshot no reader can read, only what ``_readable_snapshot`` keeps."""
    # What is left out goes unsaid: no page shows a snapshot, only its redaction.
    left_out = _Reading()
    result = _readable_snapshot(_bounded_copy(snapshot, left_out), left_out)
    for offer in result.get("offers", ()):
        for name in (*SNAPSHOT_PAY_FIELDS, *OFFER_PAY_FIELDS):
            offer.pop(name, None)
    result["criteria"] = _criteria_without_pay(result.get("criteria"))
    return result


def _criteria_without_pay(criteria: Any) -> list[dict[str, Any]] | None:
    """Logged criteria (a list of dicts) without the floors and targets that are figures;
    None for criteria that are no list, and no item that is not a dict, since either
    may hold a figure where no redaction looks."""
    if not isinstance(criteria, list):
        return None
    kept = [criterion for criterion in criteria if isinstance(criterion, dict)]
    for criterion in kept:
        if anchors_are_figures(criterion.get("kind")):
            for name in ANCHOR_FIELDS:
                criterion.pop(name, None)
    return kept


def _shown(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


# The entries whose ``changes`` are an object of fields, each ``{"before", "after"}``.
FIELD_CHANGE_KINDS = frozenset(
    {
        LogEntry.Kind.WEIGHTS_CHANGED,
        LogEntry.Kind.OFFER_CHANGED,
        LogEntry.Kind.DECISION_CHANGED,
        LogEntry.Kind.CRITERION_CHANGED,
        LogEntry.Kind.MUST_HAVES_CHANGED,
    }
)


def _field_changes(
    kind: str, data: Mapping[str, Any], reading: _Reading
) -> tuple[FieldChange, ...]:
    if kind not in FIELD_CHANGE_KINDS or "changes" not in data:
        return ()
    changes = data["changes"]
    if not isinstance(changes, dict):
        reading.unreadable()
        return ()
    result = []
    for name, change in changes.items():
        # Weights are keyed by the criterion's own name; the others by a field name.
        label = (
            name
            if kind == LogEntry.Kind.WEIGHTS_CHANGED
            else FIELD_LABELS.get(name, name.replace("_", " "))
        )
        if is_hidden(change):
            result.append(FieldChange(label=label, before="", after="", hidden=True))
        elif not isinstance(change, Mapping):
            unread = reading.unreadable()
            result.append(FieldChange(label=label, before=unread, after=unread))
        elif name == "values_cleared":  # written by a change of kind (services.criteria)
            count = change.get("before")
            result.append(
                FieldChange(
                    label="values of the old kind",
                    before=str(count) if _scalar(count) else reading.unreadable(),
                    after="cleared",
                )
            )
        else:
            result.append(
                FieldChange(
                    label=label,
                    before=_field_text(name, change.get("before"), reading),
                    after=_field_text(name, change.get("after"), reading),
                )
            )
    return tuple(result)


NUMBER_FIELDS = frozenset({*OFFER_PAY_FIGURES, *ANCHOR_FIELDS})
# Days the log keeps as ISO text ("2027-02-27"), written as every page writes a day.
DATE_FIELDS = frozenset(
    field.name
    for model in (Decision, Offer)
    for field in model._meta.get_fields()
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
)
# Logged field names that read better as other words.
FIELD_LABELS = {
    "suggested_from": "range suggested from",
    MUST_HAVE_WORK_MODE: "ruled-out work modes",
    MUST_HAVE_LOCATION: "ruled-out locations",
}


# Logged fields whose value is looked up (a kind by its code), so is one value.
LOOKED_UP_FIELDS = frozenset({"kind", "suggested_from"})


def _field_text(name: str, value: Any, reading: _Reading) -> str:
    """A logged field value as a reader wants it: a kind by its label, an amount with
    thousands separated, a list as words; anything else as it was written. A value in
    a shape the field never takes (an object, a list where one value is looked up, an
    amount that is none, ``_amount``) is ``UNREADABLE_VALUE``."""
    if isinstance(value, list) and name not in LOOKED_UP_FIELDS and all(map(_scalar, value)):
        if name == MUST_HAVE_WORK_MODE:
            value = [dict(Offer.WorkMode.choices).get(str(v), str(v)) for v in value]
        return ", ".join(str(v) for v in value) or "none"
    if not _scalar(value):
        return reading.unreadable()
    if name == "kind" and value in kinds.KINDS:
        return kinds.get(value).label
    if name == "suggested_from":
        return dict(AnchorSuggestion.choices).get(value, "") or "set by you"
    if name in DATE_FIELDS and isinstance(value, str) and value:
        return date_text(value)
    if name in NUMBER_FIELDS and value is not None and value != "":
        number = _amount(value)
        if number is None:
            return reading.unreadable()
        return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    return _shown(value)


def _amount(value: Any) -> Decimal | None:
    """A logged number (a number, or the text of one as the log keeps a Decimal) to the
    cent; None for one the app never holds: no number, not finite ("sNaN"), or outside
    0 to ``kinds.MAX_AMOUNT`` ("1e999999", a million digits written out)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None
    if not number.is_finite() or not 0 <= number <= kinds.MAX_AMOUNT:
        return None
    return number.quantize(CENTS)


def _cell_text(kind: kinds.Kind | None, unit: str, cell: Any, reading: _Reading) -> tuple[str, str]:
    """A logged cell as (value text, note). Older entries kept "score" (a rating) and
    "amount" (an amount kind) instead of one "value". No cell is "—"; a value that is
    no number the app holds (``_amount``), or none its kind takes, is
    ``UNREADABLE_VALUE``; a note that is no text is left out."""
    if cell is None:
        return "—", ""
    if not isinstance(cell, Mapping):
        return reading.unreadable(), ""
    note = cell.get("note")
    if not _scalar(note):
        reading.unreadable()
        note = None
    note = str(note or "")
    if cell.get("hidden") is True:
        return HIDDEN_FIGURE, note
    if "value" in cell:
        value = cell["value"]
    elif cell.get("score") is not None:
        value, kind = cell["score"], kind or kinds.get(kinds.RATING)
    else:
        value, kind = cell.get("amount"), kind or kinds.get(kinds.AMOUNT)
    if value is None or value == "":
        return "—", note
    number = _amount(value)
    if number is None or (kind is not None and kind.value_error(number)):
        return reading.unreadable(), note
    if kind is None:
        return _shown(value), note
    if cell.get("high") is not None:  # an unsure rating's range
        high = _amount(cell["high"])
        if high is None or kind.value_error(high):
            return reading.unreadable(), note
        return kind.format_range(number, high), note
    return kind.format(number, unit), note


def _rating_changes(data: Mapping[str, Any], reading: _Reading) -> tuple[RatingChange, ...]:
    if "changes" not in data:
        return ()
    changes = data["changes"]
    if not isinstance(changes, list):
        reading.unreadable()
        return ()
    result = []
    for change in changes:
        if not isinstance(change, Mapping):
            reading.unreadable()
            continue
        code = change.get("kind")
        if not _scalar(code):
            reading.unreadable()
        # An unknown code (none or a retired kind) reads the cell as it was written.
        kind = kinds.KINDS.get(code) if isinstance(code, str) else None
        unit = change.get("unit")
        if not _scalar(unit):
            reading.unreadable()
            unit = None
        unit = str(unit or "")
        before, _ = _cell_text(kind, unit, change.get("before"), reading)
        after, note = _cell_text(kind, unit, change.get("after"), reading)
        result.append(
            RatingChange(
                offer_label=_label(change.get("offer_label", ""), reading),
                criterion_label=_label(change.get("criterion_label", ""), reading),
                before=before,
                after=after,
                note=note,
            )
        )
    return tuple(result)


def _label(value: Any, reading: _Reading) -> str:
    return str(value) if _scalar(value) else reading.unreadable()


def invitation_by_link(token: str) -> CoachInvitation | None:
    """The invitation a link's token opens, pending or not; None for an unknown token."""
    return (
        CoachInvitation.objects.select_related("client")
        .filter(token_hash=token_hash(token))
        .first()
    )


def accepted_on(offer: Offer) -> dt.date | None:
    """The day the candidate accepted ``offer``: that of the first decision record that
    chose it (an offer is accepted once; deciding for it again only updates the
    reasons). None when no record names it, as in an older import, whose records kept
    the ids of the account they came from."""
    moment = (
        offer.decision.log_entries.filter(kind=LogEntry.Kind.DECIDED, data__chosen_offer=offer.pk)
        .order_by("created_at", "pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if moment is None else timezone.localdate(moment)


def offer_timings(offers: Iterable[Offer]) -> list[deadlines.OfferTiming]:
    """Offers as ``deadlines.clashes`` reads them: open is the "open" status, figures
    are in once the base salary is."""
    return [
        deadlines.OfferTiming(
            id=offer.pk,
            name=offer.company,
            is_open=offer.status == Offer.Status.OPEN,
            response_deadline=offer.response_deadline,
            expected_on=offer.expected_on,
            has_figures=offer.base_salary is not None,
        )
        for offer in offers
    ]


def timing_clashes(decision: Decision, today: dt.date | None = None) -> list[deadlines.Clash]:
    """The decision's deadlines that do not line up (``deadlines.clashes``), read from
    its offers as stored: one query."""
    return deadlines.clashes(
        offer_timings(decision.offers.all()),
        today=today or timezone.localdate(),
        decided=decision.is_decided,
    )


# Feelings over time ------------------------------------------------------------------

TIMELINE_POINTS = 60  # the newest check-ins a timeline draws


@dataclass(frozen=True)
class FeelingPoint:
    at: dt.datetime
    feeling: str
    intensity: int  # 1..5
    tone: str  # "lift", "mixed" or "weigh"
    x: float  # 0..100 along the time the check-ins span
    private: bool


@dataclass(frozen=True)
class FeelingsTimeline:
    """The check-ins oldest first, placed in time; ``decided_x`` where the decision
    falls among them (None if undecided or outside their span)."""

    points: tuple[FeelingPoint, ...]
    decided_x: float | None


@dataclass(frozen=True)
class DecidedMood:
    """How the candidate stood when they decided: how sure, the last feeling checked
    in before, and the last gut check before. Told again at the look back."""

    confidence: int | None
    feeling: FeelingPoint | None
    gut_check: str  # its summary ("Gut check: relieved if Northwind won"), or ""


def _feeling_of(entry: LogEntry) -> tuple[str, int] | None:
    data = entry.data if isinstance(entry.data, dict) else {}
    feeling, intensity = data.get("feeling"), data.get("intensity")
    if (
        not isinstance(feeling, str)
        or feeling not in FEELING_TONES
        or type(intensity) is not int
        or not 1 <= intensity <= 5
    ):
        return None  # an imported entry that says something else is left out
    return feeling, intensity


def feelings_timeline(decision: Decision, *, for_coach: bool) -> FeelingsTimeline | None:
    """The candidate's feeling check-ins as a timeline (a coach's: the shared ones),
    or None when there is none; one query."""
    entries = decision.log_entries.filter(kind=LogEntry.Kind.FEELING)
    if for_coach:
        entries = entries.for_coach()
    rows = [
        (entry, found)
        for entry in reversed(list(entries.order_by("-created_at", "-id")[:TIMELINE_POINTS]))
        if (found := _feeling_of(entry)) is not None
    ]
    if not rows:
        return None
    start, end = rows[0][0].created_at, rows[-1][0].created_at
    span = (end - start).total_seconds()

    def x(when: dt.datetime) -> float:
        return 50.0 if span <= 0 else round(100 * (when - start).total_seconds() / span, 2)

    decided = decision.decided_at
    return FeelingsTimeline(
        points=tuple(
            FeelingPoint(
                at=entry.created_at,
                feeling=feeling,
                intensity=intensity,
                tone=FEELING_TONES[feeling],
                x=x(entry.created_at),
                private=entry.private,
            )
            for entry, (feeling, intensity) in rows
        ),
        decided_x=x(decided)
        if decided is not None and span > 0 and start <= decided <= end
        else None,
    )


def decided_mood(decision: Decision, *, for_coach: bool) -> DecidedMood | None:
    """How sure and how the candidate felt when they decided; None if undecided."""
    if decision.decided_at is None:
        return None
    return _mood(decision, until=decision.decided_at, for_coach=for_coach)


def mood_now(decision: Decision) -> DecidedMood | None:
    """The candidate's latest feeling and gut check, to see beside the ranking as they
    decide; None when they have checked in neither."""
    mood = _mood(decision, until=timezone.now(), for_coach=False)
    return mood if mood.feeling or mood.gut_check else None


def _mood(decision: Decision, *, until: dt.datetime, for_coach: bool) -> DecidedMood:
    before = decision.log_entries.filter(created_at__lte=until)
    if for_coach:
        before = before.for_coach()
    feeling = None
    for entry in before.filter(kind=LogEntry.Kind.FEELING)[:5]:
        found = _feeling_of(entry)
        if found is not None:
            feeling = FeelingPoint(
                at=entry.created_at,
                feeling=found[0],
                intensity=found[1],
                tone=FEELING_TONES[found[0]],
                x=0.0,
                private=entry.private,
            )
            break
    gut = before.filter(kind=LogEntry.Kind.REFLECTION, data__has_key="gut_check").first()
    return DecidedMood(
        confidence=decision.confidence if decision.decided_at else None,
        feeling=feeling,
        gut_check=gut.summary if gut else "",
    )
