"""Turn offers, criteria and weights into a ranking, with its reasons and its robustness.

No Django import: frozen dataclasses in, frozen dataclasses out. Every number here is
a float; callers convert Decimals at the edge. The weight sampling runs in NumPy.

Each criterion maps an offer's raw value to 0..1 with fixed anchors (see
``Scale``), the score is the weighted mean of those values on a 0-100 scale, and
deal-breakers (a value past its floor) rank after every offer without one.
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
# Scores closer than this are a tie (floating-point noise, not a real difference).
TIE_TOLERANCE = 1e-9
# The search for "what it takes" on a relative scale stops at this multiple of the
# best value present; a gap that needs more is reported as unreachable.
RELATIVE_SEARCH_FACTOR = 10.0


class ScoringError(ValueError):
    """The inputs cannot be scored (e.g. every weight is zero); the message says why."""


@dataclass(frozen=True)
class Criterion:
    """``kind`` is a code of ``decisions.kinds`` ("rating", "amount", ...), which says
    how a value of it is scored.

    ``floor`` is the worst acceptable value and ``target`` the ideal one; both only
    apply to kinds that take anchors.
    """

    key: str
    kind: str
    weight: float
    floor: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Offer:
    id: int
    values: Mapping[str, float | None]


@dataclass(frozen=True)
class OfferResult:
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


@dataclass(frozen=True)
class Flip:
    """``challenger`` overtakes the leader once ``criterion`` weighs past ``weight``.

    The weight is where the two tie with every other weight unchanged; None when no
    weight from 0 to 100 lets the challenger overtake.
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
    to_tie: dict[int, float | None]
    open_questions: dict[int, tuple[str, ...]]

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

    def closest_flips(self, current: Mapping[str, float]) -> dict[int, Flip]:
        """For each challenger, the flip that needs the smallest change from ``current``."""
        closest: dict[int, Flip] = {}
        for flip in self.flips:
            if flip.weight is None:
                continue
            best = closest.get(flip.challenger)
            distance = abs(flip.weight - current[flip.criterion])
            if best is None or distance < abs(best.weight - current[best.criterion]):  # type: ignore[operator]
                closest[flip.challenger] = flip
        return closest


def score(
    *,
    criteria: Sequence[Criterion],
    offers: Sequence[Offer],
    samples: int = 2000,
    seed: int = 0,
    money_key: str | None = None,
) -> Result:
    """Rank ``offers`` on ``criteria`` and explain the ranking.

    ``samples`` weight vectors are drawn (seeded with ``seed``) for the win
    probabilities. ``money_key`` names the amount criterion that holds yearly pay;
    with it, ``to_tie`` says how much more pay each trailing offer needs to tie.
    Raises ScoringError when no criterion has a positive weight or an input is invalid.
    """
    _validate(criteria, samples)
    scales = {c.key: _scale(c, offers) for c in criteria}
    evaluated = _evaluate(criteria, offers, scales)
    ranking = _rank(evaluated)
    eligible = _eligible(ranking)
    leader = ranking[0] if ranking else None
    return Result(
        ranking=ranking,
        flips=_flips(criteria, ranking, eligible) if leader else [],
        win_probability=_win_probability(criteria, ranking, eligible, samples, seed),
        close_call=_close_call(ranking),
        scales=scales,
        to_tie=_to_tie(criteria, offers, ranking, money_key) if money_key and leader else {},
        open_questions=_open_questions(ranking, eligible),
    )


# Value functions ----------------------------------------------------------------


def _validate(criteria: Sequence[Criterion], samples: int) -> None:
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


def _is_dealbreaker(criterion: Criterion, raw: float | None) -> bool:
    return kinds.get(criterion.kind).past_floor(raw, criterion.floor)


# Scores and ranks -----------------------------------------------------------------


@dataclass(frozen=True)
class _Evaluated:
    id: int
    score: float
    high: float
    contributions: dict[str, float]
    dealbreakers: tuple[str, ...]
    missing: tuple[str, ...]
    values: dict[str, float | None]


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
        unknown_weight = sum(c.weight for c in criteria if c.key in missing)
        points = sum(contributions.values())
        evaluated.append(
            _Evaluated(
                id=offer.id,
                score=points,
                high=points + 100 * unknown_weight / total_weight,
                contributions=contributions,
                dealbreakers=tuple(
                    c.key for c in criteria if _is_dealbreaker(c, offer.values.get(c.key))
                ),
                missing=missing,
                values=values,
            )
        )
    return evaluated


def _order_key(item: _Evaluated | OfferResult) -> tuple[bool, float, int]:
    return (bool(item.dealbreakers), -item.score, item.id)


def _same_place(a: _Evaluated, b: _Evaluated) -> bool:
    return bool(a.dealbreakers) == bool(b.dealbreakers) and abs(a.score - b.score) <= TIE_TOLERANCE


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
                low=item.score,
                high=item.high,
                contributions=item.contributions,
                dealbreakers=item.dealbreakers,
                incomplete=bool(item.missing),
                missing=item.missing,
                values=item.values,
            )
        )
    return ranking


def _eligible(ranking: list[OfferResult]) -> list[OfferResult]:
    """The offers that can lead: those without deal-breakers, or all if none is clear."""
    clear = [r for r in ranking if not r.dealbreakers]
    return clear or list(ranking)


def _close_call(ranking: list[OfferResult]) -> bool:
    if len(ranking) < 2 or bool(ranking[0].dealbreakers) != bool(ranking[1].dealbreakers):
        return False
    return ranking[0].score - ranking[1].score <= CLOSE_CALL_POINTS


# Explanations ----------------------------------------------------------------------


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
    samples: int,
    seed: int,
) -> dict[int, float]:
    if not ranking or samples == 0:
        return {}
    weighted = [c for c in criteria if c.weight > 0]
    total = sum(c.weight for c in weighted)
    alphas = [DIRICHLET_CONCENTRATION * c.weight / total for c in weighted]
    vectors = {r.id: tuple(r.values[c.key] or 0.0 for c in weighted) for r in eligible}
    # An offer that another matches or beats on every criterion never comes first
    # under any weights, so it need not be scored in every sample.
    contenders = sorted(
        (
            offer_id
            for offer_id, vector in vectors.items()
            if not _dominated(offer_id, vector, vectors)
        ),
        key=lambda offer_id: offer_id,  # lowest id first: a tie goes to it, as in the ranking
    )
    wins = dict.fromkeys((r.id for r in ranking), 0.0)
    if not contenders:
        return wins
    # A Dirichlet draw is independent gammas, normalised; the argmax needs no
    # normalising, so it is skipped. All samples at once: one matrix product.
    rng = np.random.default_rng(seed)
    draws = rng.gamma(np.array(alphas), 1.0, size=(samples, len(alphas)))
    points = draws @ np.array([vectors[offer_id] for offer_id in contenders]).T
    best = points.max(axis=1, keepdims=True)
    # The first contender within the tolerance of the best wins a tie: lowest id first.
    winners = np.argmax(points >= best - TIE_TOLERANCE, axis=1)
    for index, count in enumerate(np.bincount(winners, minlength=len(contenders))):
        wins[contenders[index]] = int(count) / samples
    return wins


def _dominated(
    offer_id: int, vector: tuple[float, ...], vectors: Mapping[int, tuple[float, ...]]
) -> bool:
    """True when another offer is at least as good everywhere and better somewhere,
    or identical with a lower id (which would win the tie)."""
    for other_id, other in vectors.items():
        if other_id == offer_id:
            continue
        if all(o >= v for o, v in zip(other, vector, strict=True)) and (
            other != vector or other_id < offer_id
        ):
            return True
    return False


def _open_questions(
    ranking: list[OfferResult], eligible: list[OfferResult]
) -> dict[int, tuple[str, ...]]:
    """Offers whose unknown values, at their best, would put them ahead of the leader.

    The leader's own unknowns only count in its favour, so they cannot change who leads.
    """
    if not ranking:
        return {}
    leader = ranking[0]
    return {
        r.id: r.missing
        for r in eligible
        if r.id != leader.id and r.missing and r.high > leader.score + TIE_TOLERANCE
    }


def _to_tie(
    criteria: Sequence[Criterion],
    offers: Sequence[Offer],
    ranking: list[OfferResult],
    money_key: str,
) -> dict[int, float | None]:
    """How much more of ``money_key`` each trailing offer needs to draw level with the leader.

    Draw level means tie, or overtake where a relative scale jumps past the tie.
    None when no amount can do it (the pay points are capped at the target, or
    another deal-breaker keeps the offer out whatever it pays).
    """
    money = next((c for c in criteria if c.key == money_key), None)
    if money is None or not _is_money(money):
        raise ScoringError(f"{money_key!r} is not an amount criterion where more is better.")
    leader = ranking[0]
    by_id = {o.id: o for o in offers}
    total_weight = sum(c.weight for c in criteria)
    extra_pay = {}
    for result in ranking[1:]:
        raw = by_id[result.id].values.get(money.key)
        if raw is None or money.weight == 0 or set(result.dealbreakers) - {money.key}:
            extra_pay[result.id] = None
        elif money.floor is not None and money.target is not None:
            extra_pay[result.id] = _extra_pay_on_anchors(
                money, money.floor, money.target, raw, result, leader, total_weight
            )
        else:
            extra_pay[result.id] = _extra_pay_by_search(
                criteria, offers, result, raw, leader, by_id[leader.id], money
            )
    return extra_pay


def _is_money(criterion: Criterion) -> bool:
    """Pay-to-tie needs a scale on which more money is more value."""
    kind = kinds.get(criterion.kind)
    return kind.takes_anchors and kind.higher_is_better


def _extra_pay_on_anchors(
    money: Criterion,
    floor: float,
    target: float,
    raw: float,
    offer: OfferResult,
    leader: OfferResult,
    total_weight: float,
) -> float | None:
    """Fixed anchors: pay points grow linearly from floor to target, so solve directly."""
    span = target - floor
    start = max(0.0, floor - raw)  # first climb over the floor, if below it
    value_at_start = min(max((raw + start - floor) / span, 0.0), 1.0)
    points_per_value = 100 * money.weight / total_weight
    points_at_start = offer.score + points_per_value * (
        value_at_start - (offer.values[money.key] or 0.0)
    )
    gap = leader.score - points_at_start
    if gap <= TIE_TOLERANCE:
        return start
    needed_value = value_at_start + gap / points_per_value
    if needed_value > 1 + TIE_TOLERANCE:
        return None
    return start + (needed_value - value_at_start) * span


def _extra_pay_by_search(
    criteria: Sequence[Criterion],
    offers: Sequence[Offer],
    offer: OfferResult,
    raw: float,
    leader: OfferResult,
    leader_offer: Offer,
    money: Criterion,
) -> float | None:
    """A relative scale moves with the offers present, but the gap still shrinks as pay
    grows, so bisect (to half a unit of currency) up to a generous ceiling.

    More pay changes only the money scale, so each step rescores just the money
    points of the two offers, summed exactly as ``_evaluate`` sums them.
    """
    total_weight = sum(c.weight for c in criteria)
    others = [o.values.get(money.key) for o in offers if o.id != offer.id]
    leader_raw = leader_offer.values.get(money.key)

    def points(result: OfferResult, value: float | None) -> float:
        share = 100 * money.weight * (value or 0.0) / total_weight
        return sum({**result.contributions, money.key: share}.values())

    def gap_after(extra: float) -> float:
        if _is_dealbreaker(money, raw + extra):
            return float("inf")
        scale = _scale_of(money, [*others, raw + extra])
        return points(leader, _value(money, scale, leader_raw)) - points(
            offer, _value(money, scale, raw + extra)
        )

    low = max(0.0, money.floor - raw) if money.floor is not None else 0.0
    if gap_after(low) <= TIE_TOLERANCE:
        return low
    present = [abs(v) for o in offers if (v := o.values.get(money.key)) is not None]
    high = max(RELATIVE_SEARCH_FACTOR * max(present), low)
    if gap_after(high) > TIE_TOLERANCE:
        return None
    while high - low > 0.5:
        middle = (low + high) / 2
        if gap_after(middle) > TIE_TOLERANCE:
            low = middle
        else:
            high = middle
    return high
