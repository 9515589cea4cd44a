"""The registry of criterion kinds, with no database: examples first, then properties."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decisions import kinds
from decisions.kinds import AMOUNT, AMOUNT_LOW, RATING, TOTAL_COMP, YES_NO, Scale

D = Decimal
ROOT = Path(__file__).parents[2]


def test_the_registry_holds_the_five_stored_codes():
    assert list(kinds.KINDS) == [RATING, YES_NO, AMOUNT, AMOUNT_LOW, TOTAL_COMP]
    assert all(code == kind.code for code, kind in kinds.KINDS.items())
    assert [(code, kind.label) for code, kind in kinds.KINDS.items()] == kinds.CHOICES


@pytest.mark.parametrize("code", list(kinds.KINDS))
def test_each_kind_is_consistent_with_itself(code: str):
    kind = kinds.get(code)
    # A kind with a grid cell needs an input for it; a computed one has neither.
    assert (kind.value_input is not None) == kind.has_cell == (not kind.computed)
    # A fixed scale and floor/target anchors exclude each other.
    assert (kind.fixed_scale is not None) == (not kind.takes_anchors)
    assert kind.direction == (1.0 if kind.higher_is_better else -1.0)
    if kind.value_input is not None:
        assert kind.value_input.minimum >= 0
        assert kind.value_input.maximum <= kinds.MAX_AMOUNT


def test_get_returns_the_kind_of_a_code():
    assert kinds.get(AMOUNT_LOW).higher_is_better is False
    assert kinds.get(TOTAL_COMP).pay


@pytest.mark.parametrize("code", ["vibes", "", "RATING", "amount "])
def test_get_refuses_an_unknown_code(code: str):
    with pytest.raises(kinds.UnknownKind, match="Unknown criterion kind"):
        kinds.get(code)


def test_an_unknown_kind_is_a_value_error():
    assert issubclass(kinds.UnknownKind, ValueError)


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ({}, [RATING, YES_NO, AMOUNT, AMOUNT_LOW, TOTAL_COMP]),
        ({"computed": True}, [TOTAL_COMP]),
        ({"anchors": "fixed"}, [RATING, YES_NO]),
        ({"anchors": "floor_target"}, [AMOUNT, AMOUNT_LOW, TOTAL_COMP]),
        ({"higher_is_better": False}, [AMOUNT_LOW]),
        ({"has_cell": True}, [RATING, YES_NO, AMOUNT, AMOUNT_LOW]),
        ({"takes_range": True}, [RATING]),
        ({"source": "entered", "higher_is_better": True}, [AMOUNT]),
        ({"pay": True, "computed": False}, []),
    ],
)
def test_codes_selects_kinds_by_their_attributes_in_registry_order(wanted, expected):
    assert kinds.codes(**wanted) == expected


FEW_KINDS = settings(max_examples=100, deadline=None)


# scale ---------------------------------------------------------------------------


def test_a_rating_has_the_same_fixed_scale_whatever_the_offers():
    rating = kinds.get(RATING)
    assert rating.scale(floor=None, target=None, present=[2, 3]) == Scale(0.0, 10.0, False)
    assert rating.scale(floor=4, target=9, present=[]) == Scale(0.0, 10.0, False)


@pytest.mark.parametrize("code", [AMOUNT, TOTAL_COMP])
def test_more_is_better_runs_from_floor_to_target_or_from_lowest_to_highest(code: str):
    kind = kinds.get(code)
    assert kind.scale(floor=50, target=90, present=[10, 200]) == Scale(50, 90, False)
    assert kind.scale(floor=None, target=None, present=[60, 30, 45]) == Scale(30, 60, True)
    assert kind.scale(floor=40, target=None, present=[60, 30]) == Scale(40, 60, True)
    assert kind.scale(floor=None, target=80, present=[60, 30]) == Scale(30, 80, True)


def test_less_is_better_runs_from_highest_to_lowest():
    commute = kinds.get(AMOUNT_LOW)
    assert commute.scale(floor=90, target=15, present=[40]) == Scale(90, 15, False)
    assert commute.scale(floor=None, target=None, present=[60, 20, 30]) == Scale(60, 20, True)


def test_no_values_and_no_anchors_give_no_scale():
    assert kinds.get(AMOUNT).scale(floor=None, target=None, present=[]) == Scale(None, None, True)


# normalise -----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(0, 0.0), (7, 0.7), (10, 1.0), (12, 1.0), (-1, 0.0)])
def test_a_rating_is_its_share_of_ten_clipped(raw: float, expected: float):
    rating = kinds.get(RATING)
    scale = rating.scale(floor=None, target=None, present=[])
    assert rating.normalise(scale, raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("code", "scale", "raw", "expected"),
    [
        (AMOUNT, Scale(80, 150, False), 120, 4 / 7),
        (AMOUNT, Scale(80, 150, False), 200, 1.0),
        (AMOUNT, Scale(80, 150, False), 50, 0.0),
        (AMOUNT_LOW, Scale(90, 15, False), 40, 2 / 3),
        (AMOUNT_LOW, Scale(90, 15, False), 5, 1.0),
        (AMOUNT_LOW, Scale(90, 15, False), 120, 0.0),
        (TOTAL_COMP, Scale(100, 200, False), 150, 0.5),
    ],
)
def test_an_amount_is_placed_between_its_worst_and_best(code, scale, raw, expected):
    assert kinds.get(code).normalise(scale, raw) == pytest.approx(expected)


@pytest.mark.parametrize("code", list(kinds.KINDS))
def test_an_unknown_value_stays_unknown(code: str):
    assert kinds.get(code).normalise(Scale(0, 10, False), None) is None


def test_without_a_scale_nothing_can_be_placed():
    assert kinds.get(AMOUNT).normalise(Scale(None, None, True), 5) is None


def test_all_values_equal_count_in_full():
    amount = kinds.get(AMOUNT)
    scale = amount.scale(floor=None, target=None, present=[70, 70])
    assert amount.normalise(scale, 70) == 1.0


def test_when_the_best_present_is_worse_than_the_floor_only_the_floor_counts():
    amount = kinds.get(AMOUNT)
    scale = amount.scale(floor=100, target=None, present=[50, 60])
    assert scale == Scale(100, 60, True)
    assert amount.normalise(scale, 60) == 0.0
    assert amount.normalise(scale, 100) == 1.0
    commute = kinds.get(AMOUNT_LOW)
    scale = commute.scale(floor=30, target=None, present=[40])
    assert commute.normalise(scale, 40) == 0.0
    assert commute.normalise(scale, 30) == 1.0


# past_floor and floor_before_target ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "floor", "expected"),
    [
        (AMOUNT, 79, 80, True),
        (AMOUNT, 80, 80, False),
        (AMOUNT, 81, 80, False),
        (TOTAL_COMP, 79_999, 80_000, True),
        (AMOUNT_LOW, 91, 90, True),
        (AMOUNT_LOW, 90, 90, False),
        (AMOUNT_LOW, 10, 90, False),
        (RATING, 1, 5, True),
        (RATING, 5, 5, False),
        (YES_NO, 0, 1, True),
        (YES_NO, 1, 1, False),
        (RATING, None, 5, False),
        (AMOUNT, None, 80, False),
        (AMOUNT, 10, None, False),
    ],
)
def test_past_floor_is_worse_than_the_floor_in_the_kinds_direction(code, raw, floor, expected):
    assert kinds.get(code).past_floor(raw, floor) is expected


@pytest.mark.parametrize(
    ("code", "floor", "target", "expected"),
    [
        (AMOUNT, D(50), D(90), True),
        (AMOUNT, D(90), D(50), False),
        (AMOUNT, D(50), D(50), False),
        (TOTAL_COMP, D(60_000), D(90_000), True),
        (AMOUNT_LOW, D(90), D(15), True),
        (AMOUNT_LOW, D(15), D(90), False),
        (AMOUNT_LOW, D(15), D(15), False),
    ],
)
def test_the_floor_comes_before_the_target_in_the_kinds_direction(code, floor, target, expected):
    assert kinds.get(code).floor_before_target(floor, target) is expected


# describe and format ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "unit", "expected"),
    [
        (RATING, "", "0–10"),
        (RATING, "stars", "0–10"),
        (AMOUNT, "", "amount"),
        (AMOUNT, "days", "days"),
        (AMOUNT_LOW, "", "amount, less is better"),
        (AMOUNT_LOW, "minutes", "minutes, less is better"),
        (TOTAL_COMP, "EUR", "computed"),
    ],
)
def test_describe_says_what_a_value_is(code: str, unit: str, expected: str):
    assert kinds.get(code).describe(unit) == expected


@pytest.mark.parametrize(
    ("code", "value", "unit", "expected"),
    [
        (RATING, D("7.50"), "", "7.5/10"),
        (RATING, D(10), "", "10/10"),
        (RATING, "8", "", "8/10"),
        (RATING, 6.5, "", "6.5/10"),
        (AMOUNT, D("35.00"), "minutes", "35 minutes"),
        (AMOUNT, D("100000.00"), "", "100000"),
        (AMOUNT_LOW, D("12.25"), "km", "12.25 km"),
        (TOTAL_COMP, D("90000"), "", "90000"),
        (RATING, None, "", "—"),
        (AMOUNT, "", "minutes", "—"),
    ],
)
def test_format_shows_one_value_as_the_log_and_the_grid_do(code, value, unit, expected):
    assert kinds.get(code).format(value, unit) == expected


# Properties ------------------------------------------------------------------------

values = st.floats(min_value=0, max_value=float(kinds.MAX_AMOUNT), allow_nan=False)


@st.composite
def scales(draw):
    """A kind, a scale for it as scoring builds one, and two raw values on it."""
    kind = draw(st.sampled_from(list(kinds.KINDS.values())))
    first, second = draw(values), draw(values)
    present = [*draw(st.lists(values, max_size=4)), first, second]
    floor = target = None
    if kind.takes_anchors:
        floor = draw(st.none() | values)
        target = draw(st.none() | values)
        if floor is not None and target is not None:
            assume(kind.floor_before_target(floor, target))
    scale = kind.scale(floor=floor, target=target, present=present)
    return kind, scale, first, second


PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(scales())
def test_normalise_stays_within_0_and_1(problem):
    kind, scale, first, second = problem
    for raw in (first, second):
        normalised = kind.normalise(scale, raw)
        assert normalised is not None
        assert 0.0 <= normalised <= 1.0


@PROPERTY
@given(scales())
def test_normalise_is_monotonic_in_the_kinds_direction(problem):
    kind, scale, first, second = problem
    low, high = sorted((first, second))
    at_low, at_high = kind.normalise(scale, low), kind.normalise(scale, high)
    if kind.higher_is_better:
        assert at_low <= at_high
    else:
        assert at_low >= at_high


@st.composite
def anchored(draw):
    """A kind that takes anchors, with both set the right way round, and a raw value."""
    kind = draw(st.sampled_from([kinds.get(code) for code in kinds.codes(anchors="floor_target")]))
    low, high = sorted(draw(st.lists(values, min_size=2, max_size=2, unique=True)))
    floor, target = (low, high) if kind.higher_is_better else (high, low)
    return kind, floor, target, draw(values)


@PROPERTY
@given(anchored())
def test_a_value_past_the_floor_scores_nothing(problem):
    kind, floor, target, raw = problem
    scale = kind.scale(floor=floor, target=target, present=[raw])
    assert not scale.relative
    assert kind.normalise(scale, floor) == 0.0
    assert kind.normalise(scale, target) == 1.0
    if kind.past_floor(raw, floor):
        assert kind.normalise(scale, raw) == 0.0


# Purity ----------------------------------------------------------------------------


def test_the_registry_imports_nothing_from_django():
    """Importing kinds loads no Django at all, not even through another module."""
    script = (
        "import sys; import decisions.kinds; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("code", "unit", "hint"),
    [
        (kinds.RATING, "", "0 to 10"),
        (kinds.AMOUNT_LOW, "minutes", "in minutes"),
        (kinds.AMOUNT, "", ""),
    ],
)
def test_input_hint_says_what_to_type(code: str, unit: str, hint: str):
    assert kinds.get(code).input_hint(unit) == hint


def test_a_value_keeps_its_meaning_only_between_kinds_of_the_same_scale():
    rating, amount, amount_low, pay = (
        kinds.get(code) for code in (kinds.RATING, kinds.AMOUNT, kinds.AMOUNT_LOW, kinds.TOTAL_COMP)
    )
    assert amount.keeps_values_of(amount_low)
    assert amount_low.keeps_values_of(amount)
    assert not rating.keeps_values_of(amount)
    assert not amount.keeps_values_of(rating)
    assert not pay.keeps_values_of(amount)
    assert not amount.keeps_values_of(pay)


# Suggested anchors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "up", "expected"),
    [(73_600, False, 73_000), (175_000, True, 180_000), (56.25, True, 57), (8, False, 8),
     (0.4, True, 1), (0, True, 0), (120_000, True, 120_000)],
)  # fmt: skip
def test_round_nicely_keeps_two_significant_figures(value, up, expected):
    assert kinds.round_nicely(value, up=up) == expected


def test_a_suggested_range_reaches_a_little_past_the_values_it_saw():
    assert kinds.get(AMOUNT).suggest_anchors([100_000]) == (80_000, 130_000)
    assert kinds.get(TOTAL_COMP).suggest_anchors([92_000, 136_000]) == (73_000, 170_000)
    # Less is better: the floor is the longer commute.
    assert kinds.get(AMOUNT_LOW).suggest_anchors([25, 45]) == (57, 20)


@pytest.mark.parametrize(
    ("code", "present"), [(RATING, [5]), (AMOUNT, []), (AMOUNT, [0]), (AMOUNT_LOW, [0, 0])]
)
def test_no_range_is_suggested_without_something_to_go_on(code, present):
    assert kinds.get(code).suggest_anchors(present) is None


def test_completing_a_range_keeps_the_end_the_candidate_set():
    amount, commute = kinds.get(AMOUNT), kinds.get(AMOUNT_LOW)
    assert amount.complete_anchors(80_000, None, [90_000, 120_000]) == (80_000, 150_000)
    assert amount.complete_anchors(80_000, None, []) == (80_000, 120_000)
    assert amount.complete_anchors(None, 150_000, [90_000]) == (72_000, 150_000)
    assert commute.complete_anchors(60, None, [40]) == (60, 32)
    assert amount.complete_anchors(None, None, []) is None
    assert kinds.get(RATING).complete_anchors(4, None, [5]) is None


def test_the_pay_range_from_current_pay():
    assert kinds.pay_range_from_current(95_000) == (85_000, 150_000)
    assert kinds.pay_range_from_current(0) is None


@FEW_KINDS
@given(
    st.sampled_from([AMOUNT, AMOUNT_LOW, TOTAL_COMP]),
    st.lists(st.integers(1, 10_000_000), min_size=1, max_size=6),
)
def test_a_suggested_range_holds_every_value_it_was_suggested_from(code, present):
    kind = kinds.get(code)
    floor, target = kind.suggest_anchors(present)
    assert kind.floor_before_target(floor, target)
    assert not any(kind.past_floor(value, floor) for value in present)
    scale = kind.scale(floor=floor, target=target, present=[])
    assert all(0 < kind.normalise(scale, value) < 1 for value in present)


def test_a_rating_range_is_written_as_one():
    assert kinds.get(RATING).format_range("5", "8") == "5–8/10"
    assert kinds.get(YES_NO).format("1") == "yes"
    assert kinds.get(YES_NO).describe() == "yes or no"


@pytest.mark.parametrize(
    ("code", "floor", "target", "field"),
    [(RATING, D(4), D(8), "target"), (RATING, D(0), None, "floor"), (YES_NO, D(0), None, "floor"),
     (AMOUNT, D(10), None, "target"), (AMOUNT_LOW, None, D(10), "floor")],
)  # fmt: skip
def test_anchor_errors_name_the_field_to_fix(code, floor, target, field):
    assert set(kinds.get(code).anchor_errors(floor, target)) == {field}
