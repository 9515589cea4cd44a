"""The kinds of criterion, each declared once: range, direction, anchors, display, input.

No Django import. Scoring, the model's constraints, the forms, the ratings grid, the
log and the templates ask this registry what a kind does; nothing else compares kind
codes. A new kind is one more entry in ``KINDS``.
"""

from __future__ import annotations

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
    worst and best values present). ``pay`` marks the kind that scores the offers'
    pay: its floor and target are pay figures, and it is the one pay-to-tie works on.
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
        return self.anchors == "floor_target"

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
        """True when ``raw`` is worse than the floor: a deal-breaker."""
        if raw is None or floor is None or not self.takes_anchors:
            return False
        return (raw - floor) * self.direction < 0

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

    def anchor_errors(self, floor: Decimal | None, target: Decimal | None) -> dict[str, str]:
        """What is wrong with this floor and target for this kind, by field (empty: fine)."""
        if floor is None and target is None:
            return {}
        if not self.takes_anchors:
            return {
                "floor": f"This kind always runs {self.describe()}; leave floor and target empty."
            }
        if floor is None or target is None:
            return {}
        if floor == target:
            return {"target": "Floor and target must differ."}
        if not self.floor_before_target(floor, target):
            better = "more" if self.higher_is_better else "less"
            side = "smaller" if self.higher_is_better else "larger"
            return {"floor": f"When {better} is better, the floor is the {side} value."}
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
        if self.fixed_scale is not None:
            low, high = self.fixed_scale
            return f"{low:g}–{high:g}"
        words = unit or "amount"
        return words if self.higher_is_better else f"{words}, less is better"

    def input_hint(self, unit: str = "") -> str:
        """What to type, said after a cell's label for screen readers: "0 to 10", "in minutes"."""
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
        if self.fixed_scale is not None:
            return f"{text}/{self.fixed_scale[1]:g}"
        return f"{text} {unit}" if unit else text


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
