"""The claims the compare page, its fragment and the reports state, each one provable.

No Django import. ``explain`` takes what ``scoring.score`` took and what it returned,
and answers with ``Claim``s: who leads and by how much, where the lead comes from, how
often it wins, which single weight would put another offer first, how much more pay
would, what is ruled out and why, which unknown value could change the winner, and
what each weight buys. A claim says exactly what re-scoring the inputs, changed as it
says, shows; the tests re-score every kind. Texts name offers by ``names`` and
criteria by ``labels``, and hold no negative number.

The searches here re-score one change at a time from the ranking's own arithmetic
(``_Table``), and an answer is checked against the ranking rule of ``scoring`` before
it is claimed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from decisions import kinds
from decisions.scoring import (
    MAX_WEIGHT,
    MUST_HAVE_LOCATION,
    MUST_HAVE_WORK_MODE,
    TIE_TOLERANCE,
    Criterion,
    Offer,
    Result,
    first_alone,
    is_dealbreaker,
    score,
)

# The kinds of claim, and what each means (``offer`` and ``other`` are offer ids).
LEAD = "lead"  # offer ranks first, other second, ``points`` apart (never negative)
CLOSE_CALL = "close_call"  # the same two, within CLOSE_CALL_POINTS of each other
TIEBREAKER = "tiebreaker"  # the question to ask oneself instead of a winner
ONLY_ELIGIBLE = "only_eligible"  # offer is the one offer not ruled out
ALL_RULED_OUT = "all_ruled_out"  # every offer is ruled out
SCORE = "score"  # the only offer, and its score
DRIVER = "driver"  # offer leads other, and criterion gives it ``points`` more
COUNTER = "counter"  # other leads offer, yet criterion gives offer ``points`` more
DRIVERS = "drivers"  # the drivers and the largest counter in one sentence
WIN_SHARE = "win_share"  # offer comes first in ``share`` of the sampled weightings
FLIP = "flip"  # with criterion at ``weight``, the rest unchanged, offer is first alone
NO_FLIP = "no_flip"  # no single whole weight from 0 to 100 puts another offer first
PAY_TO_TIE = "pay_to_tie"  # ``amount`` more pay: offer ties for first (no more can win)
PAY_TO_OVERTAKE = "pay_to_overtake"  # ``amount`` more pay: offer ranks first alone
PAY_TO_CLEAR_FLOOR = "pay_to_clear_floor"  # ``amount`` more pay: no longer below the floor
RULED_OUT = "ruled_out"  # offer is past its floor on criterion, or fails ``must_have``
WOULD_LEAD = "would_lead"  # offer is ruled out, yet were it not, it would be first alone
UNKNOWN = "unknown"  # offer has no value on criterion, and ``value`` would change the first
UNKNOWNS = "unknowns"  # no one unknown could, but offer's unknowns all at best put it first
WORTH = "worth"  # what criterion's whole scale is worth at its weight, in ``points``
SCALE = "scale"  # criterion's scale is a suggestion, or moves with the offers present

# The page names at most this many drivers of a lead.
DRIVERS_SHOWN = 3
# A criterion that moves less than this is no driver worth naming.
SMALL_POINTS = 0.05
# Searching for pay on a scale relative to the offers stops at this multiple of the
# best value present; a gap that needs more is no claim.
RELATIVE_SEARCH_FACTOR = 10.0
# The win share at or above which a lead is called robust, and below which fragile.
ROBUST_SHARE = 0.8
FRAGILE_SHARE = 0.5


@dataclass(frozen=True)
class Claim:
    """One statement the page makes, with the facts it rests on (None where unused).

    ``amount`` is extra yearly pay, ``value`` a raw value of ``criterion`` (the least
    or most an unknown value needs), ``weight`` a criterion weight, ``points`` score
    points out of 100, ``share`` a win share from 0 to 1, ``must_have`` the key of a
    must-have an offer fails (``scoring.Offer.ruled_out_by``).
    """

    kind: str
    text: str
    offer: int | None = None
    other: int | None = None
    criterion: str | None = None
    weight: float | None = None
    amount: float | None = None
    points: float | None = None
    value: float | None = None
    share: float | None = None
    must_have: str | None = None


def explain(
    *,
    criteria: Sequence[Criterion],
    offers: Sequence[Offer],
    result: Result,
    names: Mapping[int, str],
    money_key: str | None = None,
    labels: Mapping[str, str] | None = None,
    show: Callable[[str, float], str] | None = None,
    figures: bool = True,
) -> list[Claim]:
    """Every claim ``result`` supports about ``offers`` on ``criteria``.

    ``names`` maps offer ids to the names the texts use, ``labels`` criterion keys
    to theirs (default: the key). ``money_key`` is the amount criterion that holds
    yearly pay: pay claims only when it is given. ``show(key, raw)`` writes a raw value
    of a criterion (a currency for pay; default: the kind's own format). With
    ``figures`` False no claim states an amount: no pay claims, and no raw value,
    floor or target of a criterion that takes them (what a coach who may not see pay
    reads).
    """
    if not result.ranking:
        return []
    words = _Words(criteria, names, labels or {}, show, figures, money_key)
    table = _Table(criteria, offers, result)
    claims = [
        *_standing_claims(table, result, words),
        *_flip_claims(table, result, words),
    ]
    if money_key is not None and figures:
        claims += _pay_claims(table, result, words, money_key)
    claims += _ruled_out_claims(table, result, words)
    claims += _unknown_claims(table, result, words)
    claims += _joint_unknown_claims(table, result, claims, words)
    claims += _scale_claims(table, words)
    claims += _worth_claims(table, words)
    return claims


# Words ---------------------------------------------------------------------------------


class _Words:
    """How the texts name offers, criteria, values and points."""

    def __init__(
        self,
        criteria: Sequence[Criterion],
        names: Mapping[int, str],
        labels: Mapping[str, str],
        show: Callable[[str, float], str] | None,
        figures: bool,
        money_key: str | None,
    ) -> None:
        self.criteria = {c.key: c for c in criteria}
        self.money_key = money_key
        self.names = names
        self.labels = labels
        self._show = show
        self.figures = figures

    def name(self, offer_id: int | None) -> str:
        if offer_id is None:
            return "another offer"
        return self.names.get(offer_id, f"Offer {offer_id}")

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def shows_figures(self, key: str) -> bool:
        """False when the values of ``key`` are figures the reader may not see."""
        return self.figures or not kinds.get(self.criteria[key].kind).takes_anchors

    def value(self, key: str, raw: float) -> str:
        if self._show is not None:
            return self._show(key, raw)
        kind = kinds.get(self.criteria[key].kind)
        if kind.takes_anchors:
            return f"{raw:,.0f}" if raw == int(raw) else f"{raw:,.2f}"
        return kind.format(raw)


def points_text(points: float) -> str:
    """Points as the page writes them: whole from 10 up, one decimal below, and never
    "0.0" for a real difference."""
    if points >= 9.95:
        return f"{points:.0f}"
    if 0 < points < 0.05:
        return "less than 0.1"
    return f"{points:.1f}"


def _points(points: float) -> str:
    text = points_text(points)
    return f"{text} point" if text == "1.0" else f"{text} points"


def _share_text(share: float) -> str:
    """A share in whole percent that never rounds a near-certainty into a certainty."""
    if 0.995 <= share < 1:
        return "over 99%"
    if 0 < share < 0.005:
        return "under 1%"
    return f"{share * 100:.0f}%"


# The ranking's arithmetic, for one change at a time ------------------------------------


class _Table:
    """Each offer's weighted points before division by the total weight, so that one
    changed weight or one changed raw value is re-scored in a pass over the offers.

    Values are the 0..1 values of ``scoring`` (unknown counts as nothing there too).
    """

    def __init__(self, criteria: Sequence[Criterion], offers: Sequence[Offer], result: Result):
        self.criteria = list(criteria)
        self.by_key = {c.key: c for c in criteria}
        self.offers = {o.id: o for o in offers}
        self.results = {r.id: r for r in result.ranking}
        self.scales = result.scales
        self.total = sum(c.weight for c in criteria)
        self.weighted = {
            r.id: sum(c.weight * (r.values[c.key] or 0.0) for c in criteria) for r in result.ranking
        }

    def value(self, offer_id: int, key: str) -> float:
        return self.results[offer_id].values[key] or 0.0

    def ruled_out(self, offer_id: int, *, except_key: str | None = None) -> bool:
        result = self.results[offer_id]
        return bool(result.ruled_out_by) or any(k != except_key for k in result.dealbreakers)

    def standings(self) -> dict[int, tuple[bool, float]]:
        return {i: (self.results[i].ruled_out, self.results[i].score) for i in self.results}

    def at_weight(self, key: str, weight: float) -> dict[int, tuple[bool, float]] | None:
        """Every offer's standing with ``key`` weighing ``weight``; None when no weight
        would be left above zero."""
        change = weight - self.by_key[key].weight
        total = self.total + change
        if total <= 0:
            return None
        return {
            i: (
                self.results[i].ruled_out,
                100 * (self.weighted[i] + change * self.value(i, key)) / total,
            )
            for i in self.results
        }

    def with_raw(self, offer_id: int, key: str, raw: float) -> dict[int, tuple[bool, float]]:
        """Every offer's standing with ``offer_id``'s raw value of ``key`` set to ``raw``.

        On a relative scale the new value may move the scale, so the whole column is
        scored again; on fixed anchors only the one offer moves."""
        criterion = self.by_key[key]
        kind = kinds.get(criterion.kind)
        scale = self.scales[key]
        if scale.relative:
            raws = [raw if i == offer_id else self.offers[i].values.get(key) for i in self.results]
            scale = kind.scale(
                floor=criterion.floor,
                target=criterion.target,
                present=[v for v in raws if v is not None],
            )
        standings = {}
        for i in self.results:
            if i != offer_id and not scale.relative:
                standings[i] = (self.results[i].ruled_out, self.results[i].score)
                continue
            own = raw if i == offer_id else self.offers[i].values.get(key)
            value = kind.normalise(scale, own) or 0.0
            points = self.weighted[i] + criterion.weight * (value - self.value(i, key))
            ruled_out = (
                self.ruled_out(i, except_key=key) or is_dealbreaker(criterion, own)
                if i == offer_id
                else self.results[i].ruled_out
            )
            standings[i] = (ruled_out, 100 * points / self.total)
        return standings


def _first(standings: Mapping[int, tuple[bool, float]] | None) -> int | None:
    return None if standings is None else first_alone(standings)


def _least(predicate: Callable[[int], bool], low: int, high: int) -> int | None:
    """The least whole number in ``low..high`` for which ``predicate`` holds, given that
    it holds from some point on (monotone); None when it fails at ``high``."""
    if not predicate(high):
        return None
    if predicate(low):
        return low
    while high - low > 1:
        middle = (low + high) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle
    return high


# Who leads, by how much, why, and how surely ------------------------------------------


def _standing_claims(table: _Table, result: Result, words: _Words) -> Iterator[Claim]:
    ranking = result.ranking
    top = ranking[0]
    name = words.name
    if len(ranking) == 1:
        yield Claim(
            kind=SCORE,
            offer=top.id,
            points=top.score,
            text=f"{name(top.id)} scores {top.score:.0f} out of 100.",
        )
        return
    second = ranking[1]
    if top.ruled_out:
        yield Claim(
            kind=ALL_RULED_OUT,
            text="Every offer is ruled out by a floor or a deal-breaker you set; here they "
            "are by score anyway.",
        )
    elif second.ruled_out:
        yield Claim(
            kind=ONLY_ELIGIBLE,
            offer=top.id,
            text=f"{name(top.id)} is the only offer you have not ruled out.",
        )
        return
    margin = top.score - second.score
    if margin <= TIE_TOLERANCE:
        text = f"{name(top.id)} and {name(second.id)} tie at {top.score:.0f} points."
    else:
        text = f"{name(top.id)} leads {name(second.id)} by {_points(margin)}."
    yield Claim(kind=LEAD, offer=top.id, other=second.id, points=max(margin, 0.0), text=text)
    drivers = list(_driver_claims(table, top.id, second.id, words))
    # Among offers that are all ruled out, which fails "best" is no choice to make.
    if result.close_call and not top.ruled_out:
        both = f"{name(top.id)} and {name(second.id)}"
        yield Claim(
            kind=CLOSE_CALL,
            offer=top.id,
            other=second.id,
            points=max(margin, 0.0),
            text=f"Too close to call: {both} tie at {top.score:.0f} points."
            if margin <= TIE_TOLERANCE
            else f"Too close to call: {both} are only {_points(margin)} apart.",
        )
        yield _tiebreaker(table, top.id, second.id, drivers, words)
    yield from drivers
    summary = _drivers_sentence(table, drivers, words, tied=margin <= TIE_TOLERANCE)
    if summary:
        yield summary
    share = result.win_probability.get(top.id)
    if share is not None and not top.ruled_out:
        yield _win_share(top.id, share, result, words)


def _driver_claims(table: _Table, leader: int, other: int, words: _Words) -> Iterator[Claim]:
    lead = table.results[leader].contributions
    behind = table.results[other].contributions
    gaps = [(lead[c.key] - behind[c.key], c.key) for c in table.criteria]
    # Largest first; equal gaps in the criteria's own order.
    favouring = sorted((g for g in gaps if g[0] >= SMALL_POINTS), key=lambda g: -g[0])
    for points, key in favouring[:DRIVERS_SHOWN]:
        yield Claim(
            kind=DRIVER,
            offer=leader,
            other=other,
            criterion=key,
            points=points,
            text=f"{words.label(key)} gives {words.name(leader)} {_points(points)} more than "
            f"{words.name(other)}{_unknown_note(table, other, key, words)}.",
        )
    against = sorted((g for g in gaps if g[0] <= -SMALL_POINTS), key=lambda g: g[0])
    if against:
        points, key = against[0]
        yield Claim(
            kind=COUNTER,
            offer=other,
            other=leader,
            criterion=key,
            points=-points,
            text=f"{words.label(key)} gives {words.name(other)} {_points(-points)} more than "
            f"{words.name(leader)}{_unknown_note(table, leader, key, words)}.",
        )


def _unknown_note(table: _Table, offer_id: int, key: str, words: _Words) -> str:
    """Points an offer lacks only because its value is unknown are said to be so."""
    if key not in table.results[offer_id].missing:
        return ""
    return f", whose {words.label(key)} is not known yet"


def _drivers_sentence(
    table: _Table, drivers: list[Claim], words: _Words, *, tied: bool
) -> Claim | None:
    """ "Acme leads mostly on Salary (+18) and Location (+6); Beta is better on Culture (+5)."

    "Mostly" only when the criteria named give more than half of the points that favour
    the leader; tied offers are each "ahead on" something, neither leads."""
    leading = [c for c in drivers if c.kind == DRIVER]
    if not leading:
        return None
    leader, other = leading[0].offer, leading[0].other
    lead = table.results[leader or 0].contributions
    behind = table.results[other or 0].contributions
    favouring = sum(max(lead[k] - behind[k], 0.0) for k in lead)
    named = sum(c.points or 0.0 for c in leading)

    def part(claim: Claim) -> str:
        unknown = claim.other is not None and claim.criterion in table.results[claim.other].missing
        note = f", {words.name(claim.other)}’s unknown" if unknown else ""
        return f"{words.label(claim.criterion or '')} (+{points_text(claim.points or 0.0)}{note})"

    parts = [part(c) for c in leading]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    counter = next((c for c in drivers if c.kind == COUNTER), None)
    if tied:
        text = f"{words.name(leader)} is ahead on {listed}"
        if counter is not None:
            text += f"; {words.name(other)} on {part(counter)}"
    else:
        mostly = "mostly " if len(parts) > 1 and named > favouring / 2 else ""
        text = f"{words.name(leader)} leads {mostly}on {listed}"
        if counter is not None:
            text += f"; {words.name(other)} is better on {part(counter)}"
    return Claim(kind=DRIVERS, offer=leader, other=other, text=text + ".")


def _tiebreaker(
    table: _Table, leader: int, other: int, drivers: list[Claim], words: _Words
) -> Claim:
    """The question that settles a close call better than a point or two of score: set
    aside what separates them most, and ask which one the candidate would take."""
    both = f"{words.name(leader)} and {words.name(other)}"
    biggest = next((c for c in drivers if c.kind == DRIVER), None)
    if biggest is None or biggest.criterion is None:
        question = f"If you had to accept {both} today, which one would you take?"
    elif biggest.criterion == words.money_key:
        question = f"If {both} offered the same pay, which would you take?"
    else:
        question = (
            f"If {both} were equal on {words.label(biggest.criterion)}, which would you take?"
        )
    return Claim(kind=TIEBREAKER, offer=leader, other=other, text=question)


def _win_share(leader: int, share: float, result: Result, words: _Words) -> Claim:
    over = (
        "plausible weightings and your rating ranges"
        if result.sampled_ranges
        else ("plausible weightings")
    )
    text = f"{words.name(leader)} comes first in {_share_text(share)} of {over}"
    if result.close_call:
        text += "."
    elif share >= ROBUST_SHARE:
        text += ": a robust lead."
    elif share >= FRAGILE_SHARE:
        text += ": a lead that holds more often than not."
    else:
        text += ": a fragile lead, since other offers often come first."
    return Claim(kind=WIN_SHARE, offer=leader, share=share, text=text)


# What one weight would change ---------------------------------------------------------


def _flip_claims(table: _Table, result: Result, words: _Words) -> Iterator[Claim]:
    """For each offer not first alone now, the single whole weight nearest to today's
    that puts it first alone (if any); "no single weight" when none does."""
    if len(result.ranking) < 2:
        return
    first = _first(table.standings())
    found = False
    for row in result.ranking:
        if row.id == first:
            continue
        nearest = None
        for criterion in table.criteria:
            weight = _flip_weight(table, criterion, row.id)
            if weight is None:
                continue
            change = abs(weight - criterion.weight)
            if nearest is None or change < nearest[0]:
                nearest = (change, criterion, weight)
        if nearest is None:
            continue
        found = True
        _, criterion, weight = nearest
        yield Claim(
            kind=FLIP,
            offer=row.id,
            other=first,
            criterion=criterion.key,
            weight=weight,
            text=f"{words.name(row.id)} would come first if {words.label(criterion.key)} "
            f"weighed {weight:g} instead of {criterion.weight:g}.",
        )
    if not found and first is not None and not table.ruled_out(first):
        yield Claim(
            kind=NO_FLIP,
            offer=first,
            text=f"No single weight from 0 to 100 puts another offer ahead of {words.name(first)}.",
        )


def _flip_weight(table: _Table, criterion: Criterion, offer_id: int) -> float | None:
    """The whole weight nearest to ``criterion``'s own at which ``offer_id`` ranks first
    alone, the other weights unchanged; None when no weight from 0 to 100 does.

    Both scores share the denominator, so ``offer_id`` beats another offer on a
    half-line of weights: intersect them, then check the whole numbers nearest."""
    # A ruled-out offer stays out whatever the weights: first among failures is no win.
    if table.ruled_out(offer_id):
        return None
    rest = table.total - criterion.weight
    own_value = table.value(offer_id, criterion.key)
    own_rest = table.weighted[offer_id] - criterion.weight * own_value
    low, high = 0.0, MAX_WEIGHT
    for other in table.results:
        if other == offer_id or table.ruled_out(other) > table.ruled_out(offer_id):
            continue
        value = table.value(other, criterion.key)
        gap = own_rest - (table.weighted[other] - criterion.weight * value)
        slope = own_value - value
        # Ahead means gap + slope * w > 0, kept clear of the tie tolerance.
        margin = TIE_TOLERANCE * (rest + MAX_WEIGHT)
        if slope == 0:
            if gap <= margin:
                return None
        elif slope > 0:
            low = max(low, (margin - gap) / slope)
        else:
            high = min(high, (margin - gap) / slope)
        if low > high:
            return None
    current = criterion.weight
    if low <= current <= high:
        candidates = [math.floor(current), math.ceil(current)]
    elif current < low:
        candidates = [math.floor(low), math.floor(low) + 1, math.floor(low) + 2]
    else:
        candidates = [math.ceil(high), math.ceil(high) - 1, math.ceil(high) - 2]
    for weight in sorted(set(candidates), key=lambda w: abs(w - current)):
        if weight == current or not 0 <= weight <= MAX_WEIGHT:
            continue
        if _first(table.at_weight(criterion.key, weight)) == offer_id:
            return float(weight)
    return None


# What more pay would change ------------------------------------------------------------


def _pay_claims(table: _Table, result: Result, words: _Words, money_key: str) -> Iterator[Claim]:
    """For each offer not first alone, whatever pay can do: reach the pay floor, put it
    first, or (when pay past the target adds nothing) at best draw level."""
    money = table.by_key.get(money_key)
    if money is None:
        raise ValueError(f"{money_key!r} is not one of the criteria.")
    first = _first(table.standings())
    present = [v for o in table.offers.values() if (v := o.values.get(money_key)) is not None]
    for row in result.ranking:
        raw = table.offers[row.id].values.get(money_key)
        # Another floor or a must-have keeps it out whatever it pays.
        if (
            row.id == first
            or raw is None
            or table.ruled_out(row.id, except_key=money_key)
            or result.ranking[0].ruled_out
        ):
            continue
        yield from _pay_claims_of(table, words, money, row.id, raw, first, present)


def _pay_claims_of(
    table: _Table,
    words: _Words,
    money: Criterion,
    offer_id: int,
    raw: float,
    first: int | None,
    present: list[float],
) -> Iterator[Claim]:
    name = words.name(offer_id)
    floor_gap = None
    if money.floor is not None and is_dealbreaker(money, raw):
        floor_gap = math.ceil(money.floor - raw)
        yield Claim(
            kind=PAY_TO_CLEAR_FLOOR,
            offer=offer_id,
            criterion=money.key,
            amount=float(floor_gap),
            text=f"{name} needs {words.value(money.key, floor_gap)} more a year to reach your "
            f"pay floor of {words.value(money.key, money.floor)}.",
        )
    if table.scales[money.key].relative:
        ceiling = RELATIVE_SEARCH_FACTOR * max([*present, 1.0])
    else:
        # Past the target more pay scores nothing more.
        ceiling = max(money.target or 0.0, money.floor or 0.0) - raw
    high = max(math.ceil(ceiling), floor_gap or 0, 1)

    def standings(extra: int) -> dict[int, tuple[bool, float]]:
        return table.with_raw(offer_id, money.key, raw + extra)

    overtake = _least(lambda extra: first_alone(standings(extra)) == offer_id, 0, high)
    if overtake is not None:
        yield Claim(
            kind=PAY_TO_OVERTAKE,
            offer=offer_id,
            other=first,
            criterion=money.key,
            amount=float(overtake),
            text=f"With {words.value(money.key, overtake)} more a year, {name} would come first.",
        )
        return
    tie = _least(lambda extra: _shares_first(standings(extra), offer_id), 0, high)
    if tie is not None and tie > 0:
        yield Claim(
            kind=PAY_TO_TIE,
            offer=offer_id,
            other=first,
            criterion=money.key,
            amount=float(tie),
            text=f"With {words.value(money.key, tie)} more a year, {name} would draw level "
            "with the leader, and no amount would put it ahead"
            + (
                ": pay above the top of the range scores nothing more."
                if not table.scales[money.key].relative
                else "."
            ),
        )


def _shares_first(standings: Mapping[int, tuple[bool, float]], offer_id: int) -> bool:
    """True when no offer ranks ahead of ``offer_id``: it is first, alone or tied."""
    own_out, own_score = standings[offer_id]

    def ahead(out: bool, score: float) -> bool:
        return out < own_out or (out == own_out and score > own_score + TIE_TOLERANCE)

    return not any(ahead(*standing) for standing in standings.values())


# What is ruled out, and what is not known yet ------------------------------------------


def _ruled_out_claims(table: _Table, result: Result, words: _Words) -> Iterator[Claim]:
    for row in result.ranking:
        if not row.ruled_out:
            continue
        name = words.name(row.id)
        for key in row.dealbreakers:
            raw = table.offers[row.id].values.get(key)
            yield Claim(
                kind=RULED_OUT,
                offer=row.id,
                criterion=key,
                value=raw if words.shows_figures(key) else None,
                text=f"{name} is ruled out: {_past_floor_words(table.by_key[key], raw, words)}.",
            )
        for fact, offer_value in table.offers[row.id].ruled_out_by.items():
            yield Claim(
                kind=RULED_OUT,
                offer=row.id,
                must_have=fact,
                text=f"{name} is ruled out: {_must_have_words(fact, offer_value)}.",
            )
        if not result.ranking[0].ruled_out:
            cleared = {**table.standings(), row.id: (False, row.score)}
            if first_alone(cleared) == row.id:
                yield Claim(
                    kind=WOULD_LEAD,
                    offer=row.id,
                    points=row.score,
                    text=f"On score alone {name} would come first, with {row.score:.0f} points.",
                )


def _past_floor_words(criterion: Criterion, raw: float | None, words: _Words) -> str:
    kind = kinds.get(criterion.kind)
    label = words.label(criterion.key)
    floor = criterion.floor or 0.0
    if kind.is_yes_no:
        return f"the answer to {label} is no, and you need a yes"
    if kind.fixed_scale is not None:
        return f"you rated its {label} {kind.format(raw)}, below your floor of {floor:g}"
    where = "below your floor" if kind.higher_is_better else "past your limit"
    if not words.shows_figures(criterion.key) or raw is None:
        return f"its {label} is {where}"
    return (
        f"its {label} of {words.value(criterion.key, raw)} is {where} of "
        f"{words.value(criterion.key, floor)}"
    )


def _must_have_words(fact: str, offer_value: str) -> str:
    if fact == MUST_HAVE_WORK_MODE:
        return f"it is {offer_value.lower()}, a way of working you ruled out"
    if fact == MUST_HAVE_LOCATION:
        return f"it is in {offer_value}, a location you ruled out"
    return f"its {fact.replace('_', ' ')} is {offer_value}, which you ruled out"


def _unknown_claims(table: _Table, result: Result, words: _Words) -> Iterator[Claim]:
    """An unknown value that could change which offer comes first: one good enough to
    put a trailing offer first, or one past the floor that would rule the leader out."""
    first = _first(table.standings())
    for row in result.ranking:
        for key in row.missing:
            criterion = table.by_key[key]
            if table.scales[key].relative and table.scales[key].worst is None:
                # No value at all yet: the first one entered sets the scale, so no
                # threshold said now would hold then.
                continue
            if row.id == first and not row.ruled_out:
                claim = _unknown_below_floor(table, criterion, row.id, words)
            elif not row.ruled_out:
                claim = _unknown_that_wins(table, criterion, row.id, first, words)
            else:
                claim = None
            if claim is not None:
                yield claim


def _joint_unknown_claims(
    table: _Table, result: Result, claims: list[Claim], words: _Words
) -> Iterator[Claim]:
    """For an offer with several unknowns, none of which alone could put it first: whether
    all of them at their best together would (scored again in full, as several move)."""
    first = _first(table.standings())
    alone = {c.offer for c in claims if c.kind == UNKNOWN}
    for row in result.ranking:
        if row.id == first or row.id in alone or len(row.missing) < 2 or row.ruled_out:
            continue
        best = {key: _value_grid(table.by_key[key])[1] for key in row.missing}
        changed = [
            Offer(o.id, {**o.values, **best}, o.ranges, o.ruled_out_by) if o.id == row.id else o
            for o in table.offers.values()
        ]
        ranking = score(criteria=table.criteria, offers=changed, samples=0).ranking
        if ranking[0].id != row.id or (len(ranking) > 1 and ranking[1].rank == ranking[0].rank):
            continue
        labels = [words.label(key) for key in row.missing]
        listed = ", ".join(labels[:-1]) + f" and {labels[-1]}"
        yield Claim(
            kind=UNKNOWNS,
            offer=row.id,
            other=first,
            text=f"{words.name(row.id)} has no values yet for {listed}: good values there "
            "together could put it first.",
        )


def _value_grid(criterion: Criterion) -> tuple[float, float, float]:
    """(worst, best, step) of the raw values worth trying for an unknown value: the
    kind's range in its own steps, or whole units up to the target, past which an
    amount scores no more."""
    kind = kinds.get(criterion.kind)
    if kind.fixed_scale is not None:
        low, high = kind.fixed_scale
        step = float(kind.value_input.step) if kind.value_input else 1.0
        return low, high, step
    most = float(kinds.MAX_AMOUNT)
    if kind.higher_is_better:
        return 0.0, most if criterion.target is None else criterion.target, 1.0
    return most, 0.0 if criterion.target is None else criterion.target, 1.0


def _unknown_that_wins(
    table: _Table, criterion: Criterion, offer_id: int, first: int | None, words: _Words
) -> Claim | None:
    worst, best, step = _value_grid(criterion)
    steps = round(abs(best - worst) / step)
    direction = 1.0 if best >= worst else -1.0

    def raw_at(index: int) -> float:
        return worst + direction * index * step

    def wins(index: int) -> bool:
        return _first(table.with_raw(offer_id, criterion.key, raw_at(index))) == offer_id

    needed = _least(wins, 0, steps)
    if needed is None:
        return None
    value = raw_at(needed)
    kind = kinds.get(criterion.kind)
    name, label = words.name(offer_id), words.label(criterion.key)
    if kind.is_yes_no:
        text = f"{name} has no answer yet for {label}: a yes would put it first."
    elif not words.shows_figures(criterion.key):
        text = f"{name} has no value yet for {label}: a good one could put it first."
    else:
        more = "or more" if kind.higher_is_better else "or less"
        noun = "rating" if kind.fixed_scale is not None else "value"
        shown = f"{value:g}" if kind.fixed_scale is not None else words.value(criterion.key, value)
        text = f"{name} has no {label} {noun} yet: {shown} {more} would put it first."
    return Claim(
        kind=UNKNOWN,
        offer=offer_id,
        other=first,
        criterion=criterion.key,
        value=value if words.shows_figures(criterion.key) else None,
        text=text,
    )


def _unknown_below_floor(
    table: _Table, criterion: Criterion, offer_id: int, words: _Words
) -> Claim | None:
    if criterion.floor is None or not criterion.floor_rules_out:
        return None
    kind = kinds.get(criterion.kind)
    step = float(kind.value_input.step) if kind.value_input and kind.fixed_scale else 1.0
    past = criterion.floor - step * kind.direction
    if kind.fixed_scale is not None and not kind.fixed_scale[0] <= past <= kind.fixed_scale[1]:
        return None
    if past < 0:
        return None
    new_first = _first(table.with_raw(offer_id, criterion.key, past))
    if new_first == offer_id:
        return None
    name, label = words.name(offer_id), words.label(criterion.key)
    then = f"{words.name(new_first)} would come first" if new_first else "it would lose first place"
    if kind.is_yes_no:
        text = f"{name} has no answer yet for {label}: a no would rule it out, and {then}."
    elif not words.shows_figures(criterion.key):
        text = (
            f"{name} has no value yet for {label}: worse than your floor it would be ruled out, "
            f"and {then}."
        )
    else:
        where = "below" if kind.higher_is_better else "above"
        floor = (
            f"{criterion.floor:g}"
            if kind.fixed_scale
            else words.value(criterion.key, criterion.floor)
        )
        text = (
            f"{name} has no value yet for {label}: {where} your floor of {floor} it would "
            f"be ruled out, and {then}."
        )
    return Claim(
        kind=UNKNOWN,
        offer=offer_id,
        other=new_first,
        criterion=criterion.key,
        value=past if words.shows_figures(criterion.key) else None,
        text=text,
    )


# What each scale is, and what each weight buys -----------------------------------------


def _scale_claims(table: _Table, words: _Words) -> Iterator[Claim]:
    """A scale that is no choice of the candidate's: suggested (a floor that rules
    nothing out), or relative to the offers present (no ends yet)."""
    for criterion in table.criteria:
        key, scale = criterion.key, table.scales[criterion.key]
        label = words.label(key)
        if scale.relative and scale.worst is not None:
            text = (
                f"{label} is scored between the worst and best values entered, as it has "
                "no floor and target yet: adding or removing an offer can move these scores."
            )
        elif not scale.relative and criterion.floor is not None and not criterion.floor_rules_out:
            if words.shows_figures(key):
                floor = words.value(key, criterion.floor)
                span = f"from {floor} (no points) to {words.value(key, criterion.target or 0.0)}"
                worse = f"worse than {floor}"
            else:
                span, worse = "on a range", "worse than its floor"
            text = (
                f"{label} is scored {span}, a range Offerdesk suggested: an offer {worse} "
                "is not ruled out until you set the range yourself."
            )
        else:
            continue
        yield Claim(kind=SCALE, criterion=key, text=text)


# What each weight buys -----------------------------------------------------------------


def _worth_claims(table: _Table, words: _Words) -> Iterator[Claim]:
    for criterion in table.criteria:
        key, weight = criterion.key, criterion.weight
        label = f"{words.label(key)} (weight {weight:g})"
        points = 100 * weight / table.total
        rules_out = criterion.floor is not None and criterion.floor_rules_out
        if weight == 0:
            still = ", but its floor still rules offers out" if rules_out else ""
            yield Claim(
                kind=WORTH,
                criterion=key,
                weight=weight,
                points=0.0,
                text=f"{words.label(key)} weighs 0: it adds no points{still}.",
            )
            continue
        kind = kinds.get(criterion.kind)
        scale = table.scales[key]
        if kind.is_yes_no:
            span = "a yes instead of a no"
        elif kind.fixed_scale is not None:
            low, high = kind.fixed_scale
            span = f"going from {low:g} to {high:g}"
        elif scale.relative:
            span = "going from the worst to the best value entered"
        elif not words.shows_figures(key):
            span = "going from your floor to your target"
        else:
            span = (
                f"going from {words.value(key, scale.worst or 0.0)} to "
                f"{words.value(key, scale.best or 0.0)}"
            )
        yield Claim(
            kind=WORTH,
            criterion=key,
            weight=weight,
            points=points,
            text=f"{label}: {span} is worth {_points(points)}"
            + (", and its floor rules offers out." if rules_out else "."),
        )
