"""The kinds of criterion, each declared once: range, direction, anchors, display, input.

No Django import. Scoring, the model's constraints, the forms, the ratings grid, the
log and the templates ask this registry what a kind does; nothing else compares kind
codes. A new kind is one more entry in ``KINDS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# Nobody is offered a billion a year; a bound this high only stops typos and overflow.
MAX_AMOUNT = Decimal(100_000_000)
RATING_MAX = Decimal(10)

# The codes stored in the database. Name a kind by these (e.g. for the default
# criteria); ask the ``Kind`` for what it does.
RATING = "rating"
AMOUNT = "amount"
AMOUNT_LOW = "amount_low"
TOTAL_COMP = "total_comp"
YES_NO = "yes_no"

# A suggested range reaches this far past the values it was suggested from, so that
# the offers it saw sit inside it and a somewhat better or worse one still scores.
SUGGESTED_MARGIN_WORSE = 0.8
SUGGESTED_MARGIN_BETTER = 1.25
# From the current pay: a little less is often acceptable for a better job, and half
# as much again is where most people stop caring about the difference.
PAY_FLOOR_OF_CURRENT = 0.9
PAY_TARGET_OF_CURRENT = 1.5
# A missing end of a range, with nothing else to go on, lies this factor past the set end.
MISSING_END_FACTOR = 1.5


class UnknownKind(ValueError):
    """A kind code the registry does not hold."""


@dataclass(frozen=True)
class ValueInput:
    """The number a form asks for one value of a kind; forms build their field from it."""

    minimum: Decimal
    maximum: Decimal
    decimal_places: int
    max_digits: int
    step: str
    # A value picked from a few (yes or no) instead of typed: (stored value, label).
    choices: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Scale:
    """How raw values map to 0..1: ``worst`` maps to 0 and ``best`` to 1, clipped.

    ``relative`` is True when an anchor came from the offers present instead of a
    floor or target the candidate set: then adding an offer can move the others.
    """

    worst: float | None
    best: float | None
    relative: bool


@dataclass(frozen=True)
class Kind:
    """What one kind of criterion is.

    ``source`` says where an offer's value comes from: "rated" (a 0-10 judgement),
    "entered" (a number such as commute minutes) or "computed" (from the offer's pay,
    so it has no cell in the ratings grid). ``anchors`` is "fixed" when the scale is
    the same for everyone (``fixed_scale``), "floor_target" when the candidate may set
    the worst acceptable and the ideal value (without them the scale runs between the
    worst and best values present). Every kind takes a floor, the deal-breaker line
    (a fixed scale keeps its scale: a culture floor of 4 only rules out what rates
    below 4); only "floor_target" kinds take a target. ``pay`` marks the kind that
    scores the offers' pay: its floor and target are pay figures, and it is the one
    the pay figures of the compare page work on.
    """

    code: str
    label: str
    source: Literal["rated", "entered", "computed"]
    higher_is_better: bool
    anchors: Literal["fixed", "floor_target"]
    value_input: ValueInput | None
    fixed_scale: tuple[float, float] | None = None
    pay: bool = False

    @property
    def computed(self) -> bool:
        return self.source == "computed"

    @property
    def has_cell(self) -> bool:
        """True when the candidate fills in a value per offer in the ratings grid."""
        return not self.computed

    @property
    def takes_unit(self) -> bool:
        """True when a value is a number the candidate types in a unit of their own."""
        return self.source == "entered"

    @property
    def takes_anchors(self) -> bool:
        """True when a floor and a target set the scale (amounts); a fixed scale has one."""
        return self.anchors == "floor_target"

    @property
    def takes_range(self) -> bool:
        """True when an unsure candidate may give a range ("5 to 8") instead of one value:
        judgements on a fixed scale, not a yes or no and not a figure."""
        return self.source == "rated" and self.fixed_scale is not None and not self.is_yes_no

    @property
    def is_yes_no(self) -> bool:
        return bool(self.value_input and self.value_input.choices)

    @property
    def direction(self) -> float:
        return 1.0 if self.higher_is_better else -1.0

    def scale(self, *, floor: float | None, target: float | None, present: list[float]) -> Scale:
        """The scale for these anchors over the raw values the offers hold."""
        if self.fixed_scale is not None:
            worst, best = self.fixed_scale
            return Scale(worst=worst, best=best, relative=False)
        worst_present = (min if self.higher_is_better else max)(present) if present else None
        best_present = (max if self.higher_is_better else min)(present) if present else None
        return Scale(
            worst=floor if floor is not None else worst_present,
            best=target if target is not None else best_present,
            relative=floor is None or target is None,
        )

    def normalise(self, scale: Scale, raw: float | None) -> float | None:
        """Map a raw value to 0..1 on ``scale``; None stays None (unknown)."""
        if raw is None:
            return None
        if scale.worst is None or scale.best is None:  # only when no offer has a value
            return None
        span = scale.best - scale.worst
        if span * self.direction <= 0:
            # Every value present is the same, or the best present is not better than
            # the floor: anything at least as good as the worst anchor counts in full.
            return 1.0 if (raw - scale.worst) * self.direction >= 0 else 0.0
        return min(max((raw - scale.worst) / span, 0.0), 1.0)

    def past_floor(self, raw: float | None, floor: float | None) -> bool:
        """True when ``raw`` is worse than the floor: a deal-breaker. An unknown value
        is not past it (it counts as nothing, and the page says it is unknown)."""
        if raw is None or floor is None:
            return False
        return (raw - floor) * self.direction < 0

    def suggest_anchors(self, present: list[float]) -> tuple[float, float] | None:
        """A floor and target for an amount kind, from the values the offers hold: a
        little past the worst and the best, in round numbers. None when there is
        nothing to go on (no value, or only zeros) or the kind has a fixed scale."""
        if not self.takes_anchors or not present:
            return None
        worst = min(present) if self.higher_is_better else max(present)
        best = max(present) if self.higher_is_better else min(present)
        if self.higher_is_better:
            floor = round_nicely(worst * SUGGESTED_MARGIN_WORSE, up=False)
            target = round_nicely(best * SUGGESTED_MARGIN_BETTER, up=True)
        else:
            floor = round_nicely(worst * SUGGESTED_MARGIN_BETTER, up=True)
            target = round_nicely(best * SUGGESTED_MARGIN_WORSE, up=False)
        if floor == target:
            return None
        return floor, target

    def floor_before_target(self, floor: Decimal | float, target: Decimal | float) -> bool:
        """True when the floor is the worse end of the two, as it must be."""
        return floor < target if self.higher_is_better else floor > target

    def value_error(self, value: Decimal | None) -> str | None:
        """Why ``value`` cannot be stored for a criterion of this kind, or None if it can."""
        if value is None:
            return None
        spec = self.value_input
        if spec is None:
            return "is computed from the offers’ pay and takes no value of its own"
        if not spec.minimum <= value <= spec.maximum:
            return f"takes values from {spec.minimum:,} to {spec.maximum:,}"
        return None

    def complete_anchors(
        self, floor: float | None, target: float | None, present: list[float]
    ) -> tuple[float, float] | None:
        """Both ends of an amount's scale, keeping the end that is set: the missing one is
        suggested from the values present, or else put a round step past the set end.
        None when nothing can be said (or the kind has a fixed scale)."""
        if not self.takes_anchors:
            return None
        suggested = self.suggest_anchors(present)
        if floor is None and target is None:
            return suggested

        def better(a: float, b: float) -> bool:
            return a > b if self.higher_is_better else a < b

        def beyond(end: float, *, towards_better: bool) -> float:
            if towards_better == self.higher_is_better:
                return round_nicely(max(end * MISSING_END_FACTOR, 1.0), up=True)
            return round_nicely(end / MISSING_END_FACTOR, up=False)

        if target is None:
            assert floor is not None
            target = (
                suggested[1]
                if suggested and better(suggested[1], floor)
                else beyond(floor, towards_better=True)
            )
        elif floor is None:
            floor = (
                suggested[0]
                if suggested and better(target, suggested[0])
                else beyond(target, towards_better=False)
            )
        return (floor, target) if better(target, floor) else None

    def anchor_errors(self, floor: Decimal | None, target: Decimal | None) -> dict[str, str]:
        """What is wrong with this floor and target for this kind, by field (empty: fine).

        A fixed scale takes a floor inside it and no target; an amount takes both or
        neither (neither: Offerdesk suggests them from the first values entered)."""
        if floor is None and target is None:
            return {}
        if not self.takes_anchors:
            return self._fixed_floor_errors(floor, target)
        if floor is None or target is None:
            missing = "target" if target is None else "floor"
            return {
                missing: "Set both the floor and the target, or leave both empty and "
                "Offerdesk suggests them from the first values you enter."
            }
        if floor == target:
            return {"target": "Floor and target must differ."}
        if not self.floor_before_target(floor, target):
            better = "more" if self.higher_is_better else "less"
            side = "smaller" if self.higher_is_better else "larger"
            return {"floor": f"When {better} is better, the floor is the {side} value."}
        return {}

    def _fixed_floor_errors(self, floor: Decimal | None, target: Decimal | None) -> dict[str, str]:
        assert self.fixed_scale is not None
        assert self.value_input is not None
        if target is not None:
            if self.is_yes_no:
                return {"target": "A yes or no has no target; leave it empty."}
            low, high = self.fixed_scale
            return {"target": f"This kind always runs {low:g} to {high:g}; leave the target empty."}
        if floor is None:
            return {}
        if self.is_yes_no:
            if floor != 1:
                return {
                    "floor": "For a yes or no, a floor of 1 rules out a no; 0 rules nothing out."
                }
            return {}
        spec = self.value_input
        if not spec.minimum < floor <= spec.maximum:
            return {
                "floor": f"Pick a floor above {spec.minimum:g} and at most {spec.maximum:g}; "
                "an offer rated below it is ruled out."
            }
        return {}

    def keeps_values_of(self, other: Kind) -> bool:
        """True when a value entered for ``other`` means the same under this kind (more or
        less is better may flip; the scale and the input may not)."""
        return (
            self.has_cell
            and other.has_cell
            and self.value_input == other.value_input
            and self.fixed_scale == other.fixed_scale
        )

    def describe(self, unit: str = "") -> str:
        """A few words under the criterion's name: what a value of it is."""
        if self.computed:
            return "computed"
        if self.is_yes_no:
            return "yes or no"
        if self.fixed_scale is not None:
            low, high = self.fixed_scale
            return f"{low:g}–{high:g}"
        words = unit or "amount"
        return words if self.higher_is_better else f"{words}, less is better"

    def input_hint(self, unit: str = "") -> str:
        """What to type, said after a cell's label for screen readers: "0 to 10", "in minutes"."""
        if self.is_yes_no:
            return "yes or no"
        if self.fixed_scale is not None:
            low, high = self.fixed_scale
            return f"{low:g} to {high:g}"
        return f"in {unit}" if unit else ""

    def format(self, value: Decimal | float | str | None, unit: str = "") -> str:
        """One value as the log and the grid show it; an unknown value is a dash."""
        if value is None or value == "":
            return "—"
        try:
            number = Decimal(str(value)).normalize()
        except ArithmeticError:  # not a number: shown as it is rather than lost
            return str(value)
        text = format(number, "f")
        if self.is_yes_no and number in (0, 1):
            return dict(self.value_input.choices)[int(number)].lower()  # type: ignore[union-attr]
        if self.fixed_scale is not None:
            return f"{text}/{self.fixed_scale[1]:g}"
        return f"{text} {unit}" if unit else text

    def format_range(self, low: Decimal | float | str, high: Decimal | float | str) -> str:
        """An unsure value as the log and the grid show it: "5–8/10"."""
        try:
            low_text = format(Decimal(str(low)).normalize(), "f")
        except ArithmeticError:
            low_text = str(low)
        return f"{low_text}–{self.format(high)}"


def round_nicely(value: float, *, up: bool) -> float:
    """``value`` to two significant figures (whole units at least), rounding up or
    down: 73,600 -> 73,000 down, 175,000 -> 180,000 up, 56.25 -> 57 up."""
    if value <= 0:
        return 0.0
    step = max(1.0, 10.0 ** (math.floor(math.log10(value)) - 1))
    steps = value / step
    # A value a hair past a whole step from float arithmetic is that step.
    whole = round(steps)
    if math.isclose(steps, whole, rel_tol=1e-9):
        return whole * step
    return (math.ceil(steps) if up else math.floor(steps)) * step


def pay_range_from_current(current: float) -> tuple[float, float] | None:
    """A floor and target for the pay criterion from the candidate's current yearly pay."""
    if current <= 0:
        return None
    floor = round_nicely(current * PAY_FLOOR_OF_CURRENT, up=False)
    target = round_nicely(current * PAY_TARGET_OF_CURRENT, up=True)
    return (floor, target) if floor < target else None


# Any number a person types for an amount: minutes, days, euros.
AMOUNT_INPUT = ValueInput(
    minimum=Decimal(0), maximum=MAX_AMOUNT, decimal_places=2, max_digits=12, step="any"
)

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            code=RATING,
            label="Rating from 0 to 10",
            source="rated",
            higher_is_better=True,
            anchors="fixed",
            fixed_scale=(0.0, float(RATING_MAX)),
            value_input=ValueInput(
                minimum=Decimal(0), maximum=RATING_MAX, decimal_places=1, max_digits=3, step="0.5"
            ),
        ),
        Kind(
            code=YES_NO,
            label="Yes or no",
            source="rated",
            higher_is_better=True,
            anchors="fixed",
            fixed_scale=(0.0, 1.0),
            value_input=ValueInput(
                minimum=Decimal(0),
                maximum=Decimal(1),
                decimal_places=0,
                max_digits=1,
                step="1",
                choices=((1, "Yes"), (0, "No")),
            ),
        ),
        Kind(
            code=AMOUNT,
            label="Amount, more is better",
            source="entered",
            higher_is_better=True,
            anchors="floor_target",
            value_input=AMOUNT_INPUT,
        ),
        Kind(
            code=AMOUNT_LOW,
            label="Amount, less is better",
            source="entered",
            higher_is_better=False,
            anchors="floor_target",
            value_input=AMOUNT_INPUT,
        ),
        Kind(
            code=TOTAL_COMP,
            label="Total compensation (computed from pay)",
            source="computed",
            higher_is_better=True,
            anchors="floor_target",
            value_input=None,
            pay=True,
        ),
    )
}

CHOICES: list[tuple[str, str]] = [(code, kind.label) for code, kind in KINDS.items()]


def get(code: str) -> Kind:
    """The kind stored as ``code``; UnknownKind for anything else."""
    try:
        return KINDS[code]
    except KeyError:
        raise UnknownKind(f"Unknown criterion kind {code!r}.") from None


def codes(**wanted: object) -> list[str]:
    """The codes of the kinds whose attributes have the wanted values, in registry order:
    ``codes(computed=True)``, ``codes(anchors="fixed")``. For constraints and queries."""
    return [
        code
        for code, kind in KINDS.items()
        if all(getattr(kind, name) == value for name, value in wanted.items())
    ]
