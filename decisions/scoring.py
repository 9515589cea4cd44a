"""Turn offers, criteria and weights into a ranking, with its reasons and its robustness.

No Django import: frozen dataclasses in, frozen dataclasses out. Every number here is
a float; callers convert Decimals at the edge. The weight sampling runs in NumPy.

Each criterion maps an offer's raw value to 0..1 with fixed anchors (see
``Scale``), the score is the weighted mean of those values on a 0-100 scale, and an
offer ruled out (a value past a floor, or a must-have it fails) ranks after every
offer that is not. What the page says about a result comes from ``decisions.explain``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from decisions import kinds
from decisions.kinds import Scale

CLOSE_CALL_POINTS = 3.0
MAX_WEIGHT = 100.0
# How tightly the sampled weight vectors gather around the user's own: the Dirichlet
# parameters are this many times the user's weight shares. 20 keeps a 20% weight
# mostly between 5% and 40%, a fair picture of "I'm not sure it's exactly 20".
DIRICHLET_CONCENTRATION = 20.0
# The must-haves on offer facts the caller may find an offer failing (``Offer.ruled_out_by``).
MUST_HAVE_WORK_MODE = "work_mode"
MUST_HAVE_LOCATION = "location"
# Scores closer than this are a tie (floating-point noise, not a real difference).
TIE_TOLERANCE = 1e-9


class ScoringError(ValueError):
    """The inputs cannot be scored (e.g. every weight is zero); the message says why."""


@dataclass(frozen=True)
class Criterion:
    """``kind`` is a code of ``decisions.kinds`` ("rating", "amount", ...), which says
    how a value of it is scored.

    ``floor`` is the worst acceptable value: an offer past it is ruled out. On an
    amount it is also where the scale starts, and ``target`` (the value past which
    more matters little) where it ends. ``floor_rules_out`` False makes a floor only
    the start of the scale: a range Offerdesk suggested, which the candidate has not
    made their own, must not rule an offer out.
    """

    key: str
    kind: str
    weight: float
    floor: float | None = None
    target: float | None = None
    floor_rules_out: bool = True


@dataclass(frozen=True)
class Offer:
    """An offer's raw value per criterion key (None: unknown).

    ``ranges`` holds the criteria the candidate is unsure of, as (lowest, highest)
    raw values, with ``values`` holding the value scored (usually the middle); only
    fixed-scale kinds take a range. ``ruled_out_by`` holds the must-haves on offer
    facts this offer fails, as the fact's key ("work_mode") -> the offer's value of it
    ("On-site"); the caller decides them, since they are not criteria.
    """

    id: int
    values: Mapping[str, float | None]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    ruled_out_by: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OfferResult:
    """One ranked offer. ``score`` is out of 100; ``low`` and ``high`` bound it with the
    unsure ratings at either end of their ranges and the unknown values at their worst
    (they count as nothing) and best. ``dealbreakers`` are the criteria whose floor it
    is past and ``ruled_out_by`` the must-haves it fails; either rules it out."""

    id: int
    rank: int
    score: float
    low: float
    high: float
    contributions: dict[str, float]
    dealbreakers: tuple[str, ...]
    incomplete: bool
    missing: tuple[str, ...] = ()
    values: dict[str, float | None] = field(default_factory=dict)
    ruled_out_by: tuple[str, ...] = ()

    @property
    def ruled_out(self) -> bool:
        return bool(self.dealbreakers or self.ruled_out_by)


@dataclass(frozen=True)
class Flip:
    """``challenger`` overtakes the leader once ``criterion`` weighs past ``weight``.

    The weight is where the two tie with every other weight unchanged; None when no
    weight from 0 to 100 lets the challenger overtake. This compares two offers only:
    a third may be first at that weight (``decisions.explain`` says who is first).
    """

    criterion: str
    challenger: int
    weight: float | None


@dataclass(frozen=True)
class Result:
    ranking: list[OfferResult]
    flips: list[Flip]
    win_probability: dict[int, float]
    close_call: bool
    scales: dict[str, Scale]
    sampled_ranges: bool = False

    @property
    def leader(self) -> OfferResult | None:
        return self.ranking[0] if self.ranking else None

    @property
    def margin(self) -> float | None:
        """Points between the leader and the runner-up, None with fewer than two offers."""
        if len(self.ranking) < 2:
            return None
        return self.ranking[0].score - self.ranking[1].score

    @property
    def relative(self) -> tuple[str, ...]:
        """Criteria scored between the worst and best values present, not fixed anchors."""
        return tuple(key for key, scale in self.scales.items() if scale.relative)


def score(
    *,
    criteria: Sequence[Criterion],
    offers: Sequence[Offer],
    samples: int = 2000,
    seed: int = 0,
    money_key: str | None = None,
) -> Result:
    """Rank ``offers`` on ``criteria``.

    ``samples`` weight vectors are drawn (seeded with ``seed``) for the win
    probabilities, each with the unsure ratings drawn within their ranges
    (``sampled_ranges`` says whether any were). ``money_key`` names the amount
    criterion that holds yearly pay; it must be one where more is better (the
    claims of ``decisions.explain`` about pay work on it). Raises ScoringError when no
    criterion has a positive weight or an input is invalid.
    """
    _validate(criteria, offers, samples, money_key)
    scales = {c.key: _scale(c, offers) for c in criteria}
    evaluated = _evaluate(criteria, offers, scales)
    ranking = _rank(evaluated)
    eligible = _eligible(ranking)
    by_id = {o.id: o for o in offers}
    return Result(
        ranking=ranking,
        flips=_flips(criteria, ranking, eligible) if ranking else [],
        win_probability=_win_probability(criteria, ranking, eligible, by_id, scales, samples, seed),
        close_call=_close_call(ranking),
        scales=scales,
        sampled_ranges=any(by_id[r.id].ranges for r in eligible),
    )


def first_alone(standings: Mapping[int, tuple[bool, float]]) -> int | None:
    """The offer that ranks first with nobody sharing its place, by the ranking's own
    rule: offers not ruled out before those that are, then by score. ``standings``
    maps an offer id to (ruled out, score); None when two share the top (or none)."""
    ordered = sorted(standings.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
    if not ordered:
        return None
    if len(ordered) > 1:
        (_, (top_out, top)), (_, (next_out, runner)) = ordered[0], ordered[1]
        if top_out == next_out and abs(top - runner) <= TIE_TOLERANCE:
            return None
    return ordered[0][0]


# Value functions ----------------------------------------------------------------


def _validate(
    criteria: Sequence[Criterion], offers: Sequence[Offer], samples: int, money_key: str | None
) -> None:
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise ScoringError("Each criterion needs its own key.")
    for c in criteria:
        if c.kind not in kinds.KINDS:
            raise ScoringError(f"Unknown criterion kind {c.kind!r}.")
        if not 0 <= c.weight <= MAX_WEIGHT:
            raise ScoringError(f"The weight of {c.key!r} must be from 0 to 100.")
    if not any(c.weight > 0 for c in criteria):
        raise ScoringError("Give at least one criterion a weight above zero to rank the offers.")
    if samples < 0:
        raise ScoringError("samples cannot be negative.")
    by_key = {c.key: c for c in criteria}
    for offer in offers:
        for key, (low, high) in offer.ranges.items():
            criterion = by_key.get(key)
            if criterion is None or not kinds.get(criterion.kind).takes_range:
                raise ScoringError(f"Only a rating takes a range ({key!r}).")
            value = offer.values.get(key)
            if value is None or not low <= value <= high:
                raise ScoringError(f"Offer {offer.id}: the value of {key!r} must lie in its range.")
    if money_key is not None:
        money = by_key.get(money_key)
        if money is None or not _is_money(money):
            raise ScoringError(f"{money_key!r} is not an amount criterion where more is better.")


def _is_money(criterion: Criterion) -> bool:
    """Pay figures need a scale on which more money is more value."""
    kind = kinds.get(criterion.kind)
    return kind.takes_anchors and kind.higher_is_better


def _scale(criterion: Criterion, offers: Sequence[Offer]) -> Scale:
    return _scale_of(criterion, [o.values.get(criterion.key) for o in offers])


def _scale_of(criterion: Criterion, raws: Sequence[float | None]) -> Scale:
    """The scale of ``criterion`` over the raw values the offers hold (None: unknown)."""
    return kinds.get(criterion.kind).scale(
        floor=criterion.floor,
        target=criterion.target,
        present=[v for v in raws if v is not None],
    )


def _value(criterion: Criterion, scale: Scale, raw: float | None) -> float | None:
    """Map a raw value to 0..1 on ``scale``; None stays None (unknown)."""
    return kinds.get(criterion.kind).normalise(scale, raw)


def is_dealbreaker(criterion: Criterion, raw: float | None) -> bool:
    """True when ``raw`` is past the floor of ``criterion`` and that floor rules out."""
    return criterion.floor_rules_out and kinds.get(criterion.kind).past_floor(raw, criterion.floor)


# Scores and ranks -----------------------------------------------------------------


@dataclass(frozen=True)
class _Evaluated:
    id: int
    score: float
    low: float
    high: float
    contributions: dict[str, float]
    dealbreakers: tuple[str, ...]
    ruled_out_by: tuple[str, ...]
    missing: tuple[str, ...]
    values: dict[str, float | None]

    @property
    def ruled_out(self) -> bool:
        return bool(self.dealbreakers or self.ruled_out_by)


def _evaluate(
    criteria: Sequence[Criterion], offers: Sequence[Offer], scales: Mapping[str, Scale]
) -> list[_Evaluated]:
    total_weight = sum(c.weight for c in criteria)
    evaluated = []
    for offer in offers:
        values = {c.key: _value(c, scales[c.key], offer.values.get(c.key)) for c in criteria}
        contributions = {
            c.key: 100 * c.weight * (values[c.key] or 0.0) / total_weight for c in criteria
        }
        missing = tuple(c.key for c in criteria if values[c.key] is None)
        low = high = 0.0
        for c in criteria:
            worst, best = _bounds(c, scales[c.key], offer, values[c.key])
            low += 100 * c.weight * worst / total_weight
            high += 100 * c.weight * best / total_weight
        evaluated.append(
            _Evaluated(
                id=offer.id,
                score=sum(contributions.values()),
                low=low,
                high=high,
                contributions=contributions,
                dealbreakers=tuple(
                    c.key for c in criteria if is_dealbreaker(c, offer.values.get(c.key))
                ),
                ruled_out_by=tuple(offer.ruled_out_by),
                missing=missing,
                values=values,
            )
        )
    return evaluated


def _bounds(
    criterion: Criterion, scale: Scale, offer: Offer, value: float | None
) -> tuple[float, float]:
    """The lowest and highest 0..1 value the offer may have on ``criterion``: its range
    when unsure, nothing to everything when unknown, else its value twice."""
    if value is None:
        return 0.0, 1.0
    if criterion.key in offer.ranges:
        low, high = offer.ranges[criterion.key]
        return _value(criterion, scale, low) or 0.0, _value(criterion, scale, high) or 0.0
    return value, value


def _order_key(item: _Evaluated | OfferResult) -> tuple[bool, float, int]:
    return (item.ruled_out, -item.score, item.id)


def _same_place(a: _Evaluated, b: _Evaluated) -> bool:
    return a.ruled_out == b.ruled_out and abs(a.score - b.score) <= TIE_TOLERANCE


def _rank(evaluated: list[_Evaluated]) -> list[OfferResult]:
    ordered = sorted(evaluated, key=_order_key)
    ranking: list[OfferResult] = []
    for position, item in enumerate(ordered, start=1):
        rank = position
        if ranking and _same_place(ordered[position - 2], item):
            rank = ranking[-1].rank
        ranking.append(
            OfferResult(
                id=item.id,
                rank=rank,
                score=item.score,
                low=min(item.low, item.score),
                high=max(item.high, item.score),
                contributions=item.contributions,
                dealbreakers=item.dealbreakers,
                incomplete=bool(item.missing),
                missing=item.missing,
                values=item.values,
                ruled_out_by=item.ruled_out_by,
            )
        )
    return ranking


def _eligible(ranking: list[OfferResult]) -> list[OfferResult]:
    """The offers that can lead: those not ruled out, or all if every one is."""
    clear = [r for r in ranking if not r.ruled_out]
    return clear or list(ranking)


def _close_call(ranking: list[OfferResult]) -> bool:
    if len(ranking) < 2 or ranking[0].ruled_out != ranking[1].ruled_out:
        return False
    return ranking[0].score - ranking[1].score <= CLOSE_CALL_POINTS


# Sensitivity and robustness ----------------------------------------------------------


def _flips(
    criteria: Sequence[Criterion], ranking: list[OfferResult], eligible: list[OfferResult]
) -> list[Flip]:
    """Closed form: with the other weights fixed, both scores share the denominator,
    so the leader's lead is linear in the criterion's weight and crosses zero once."""
    leader = ranking[0]
    flips = []
    for criterion in criteria:
        others = [c for c in criteria if c.key != criterion.key]
        for challenger in eligible:
            if challenger.id == leader.id:
                continue
            flips.append(
                Flip(
                    criterion=criterion.key,
                    challenger=challenger.id,
                    weight=_flip_weight(criterion, others, leader, challenger),
                )
            )
    return flips


def _flip_weight(
    criterion: Criterion,
    others: Sequence[Criterion],
    leader: OfferResult,
    challenger: OfferResult,
) -> float | None:
    def rest(result: OfferResult) -> float:
        return sum(c.weight * (result.values[c.key] or 0.0) for c in others)

    lead_elsewhere = rest(leader) - rest(challenger)
    slope = (leader.values[criterion.key] or 0.0) - (challenger.values[criterion.key] or 0.0)
    if slope == 0 or sum(c.weight for c in others) == 0:
        return None
    tie = -lead_elsewhere / slope
    if slope > 0:
        # The leader is better on this criterion: weighing it less helps the challenger.
        return tie if 0 < tie <= criterion.weight else None
    return tie if criterion.weight <= tie < MAX_WEIGHT else None


def _win_probability(
    criteria: Sequence[Criterion],
    ranking: list[OfferResult],
    eligible: list[OfferResult],
    offers: Mapping[int, Offer],
    scales: Mapping[str, Scale],
    samples: int,
    seed: int,
) -> dict[int, float]:
    """The share of sampled weightings (and, for unsure ratings, values within their
    ranges) under which each offer comes first; a tie shares the sample equally."""
    if not ranking or samples == 0:
        return {}
    weighted = [c for c in criteria if c.weight > 0]
    total = sum(c.weight for c in weighted)
    alphas = [DIRICHLET_CONCENTRATION * c.weight / total for c in weighted]
    unsure = any(offers[r.id].ranges for r in eligible)
    vectors = {r.id: tuple(r.values[c.key] or 0.0 for c in weighted) for r in eligible}
    # An offer that another beats or matches on every criterion, and beats somewhere,
    # never comes first under any weights, so it need not be scored in every sample.
    # With ranges the values move, so every offer is scored.
    contenders = sorted(
        offer_id
        for offer_id, vector in vectors.items()
        if unsure or not _dominated(offer_id, vector, vectors)
    )
    wins = dict.fromkeys((r.id for r in ranking), 0.0)
    if not contenders:
        return wins
    # A Dirichlet draw is independent gammas, normalised; the argmax needs no
    # normalising, so it is skipped. All samples at once: one matrix product.
    rng = np.random.default_rng(seed)
    draws = rng.gamma(np.array(alphas), 1.0, size=(samples, len(alphas)))
    if unsure:
        results = {r.id: r for r in eligible}
        bounds = [
            [_bounds(c, scales[c.key], offers[i], results[i].values[c.key]) for c in weighted]
            for i in contenders
        ]
        low = np.array([[b[0] for b in row] for row in bounds])
        high = np.array([[b[1] for b in row] for row in bounds])
        # Unknown values count as nothing here, as in the score: only ranges vary.
        known = np.array([vectors[i] for i in contenders])
        ranged = np.array(
            [[c.key in offers[i].ranges for c in weighted] for i in contenders], dtype=bool
        )
        spread = rng.random((samples, *low.shape))
        values = np.where(ranged, low + spread * (high - low), known)
        points = np.einsum("sc,soc->so", draws, values)
    else:
        points = draws @ np.array([vectors[offer_id] for offer_id in contenders]).T
    best = points.max(axis=1, keepdims=True)
    tied = points >= best - TIE_TOLERANCE * best.clip(min=1.0)
    shares = (tied / tied.sum(axis=1, keepdims=True)).sum(axis=0) / samples
    for index, share in enumerate(shares):
        wins[contenders[index]] = float(share)
    return wins


def _dominated(
    offer_id: int, vector: tuple[float, ...], vectors: Mapping[int, tuple[float, ...]]
) -> bool:
    """True when another offer is at least as good everywhere and better somewhere."""
    return any(
        other_id != offer_id
        and other != vector
        and all(o >= v for o, v in zip(other, vector, strict=True))
        for other_id, other in vectors.items()
    )
