"""decisions.weighting: pure, no database."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decisions.weighting import (
    CONSISTENCY_LIMIT,
    matrix_from_answers,
    pairwise_weights,
    swing_weights,
    whole_weights,
)

# The "leader example" of the analytic hierarchy process (Wikipedia, "Analytic
# hierarchy process – leader example", criteria comparisons): experience, education,
# charisma, age. Published priorities .547, .127, .270, .056, consistency ratio 0.044.
LEADER_CRITERIA = [
    [1, 4, 3, 7],
    [1 / 4, 1, 1 / 3, 3],
    [1 / 3, 3, 1, 5],
    [1 / 7, 1 / 3, 1 / 5, 1],
]


def test_the_textbook_leader_example_gives_the_published_weights_and_ratio():
    result = pairwise_weights(LEADER_CRITERIA)
    assert result.weights == pytest.approx([0.547, 0.127, 0.270, 0.056], abs=0.0015)
    assert result.consistency_ratio == pytest.approx(0.044, abs=0.001)
    assert result.is_consistent
    assert result.most_inconsistent is None


def test_weights_sum_to_one_and_follow_the_principal_eigenvector():
    result = pairwise_weights(LEADER_CRITERIA)
    assert math.isclose(sum(result.weights), 1.0)
    # A w = lambda_max w
    for row, weight in zip(LEADER_CRITERIA, result.weights, strict=True):
        product = sum(a * w for a, w in zip(row, result.weights, strict=True))
        assert product == pytest.approx(result.lambda_max * weight, rel=1e-9)


def test_a_consistent_matrix_has_ratio_zero_and_the_weights_it_was_made_of():
    truth = [0.5, 0.3, 0.2]
    matrix = [[a / b for b in truth] for a in truth]
    result = pairwise_weights(matrix)
    assert result.weights == pytest.approx(truth)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_one_and_two_criteria_are_always_consistent():
    assert pairwise_weights([[1]]).weights == [1.0]
    result = pairwise_weights([[1, 3], [1 / 3, 1]])
    assert result.weights == pytest.approx([0.75, 0.25])
    assert result.consistency_ratio == 0.0


def test_a_cycle_is_inconsistent_and_the_pair_to_revisit_is_named():
    # Salary beats culture 9 to 1, culture beats clarity 9 to 1, yet clarity beats
    # salary 9 to 1: an answer has to give.
    matrix = matrix_from_answers(
        4, {(0, 1): 9, (1, 2): 9, (0, 2): 1 / 9, (0, 3): 1, (1, 3): 1, (2, 3): 1}
    )
    result = pairwise_weights(matrix)
    assert result.consistency_ratio > CONSISTENCY_LIMIT
    assert not result.is_consistent
    assert result.most_inconsistent in {(0, 1), (1, 2), (0, 2)}
    assert result.most_inconsistent_pair == result.most_inconsistent


def test_one_wrong_answer_in_a_consistent_matrix_is_the_one_named():
    truth = [8, 4, 2, 1]
    answers = {(i, j): truth[i] / truth[j] for i in range(4) for j in range(i + 1, 4)}
    answers[(1, 3)] = 1 / 4  # should be 4: said the other way round
    result = pairwise_weights(matrix_from_answers(4, answers))
    assert result.consistency_ratio > CONSISTENCY_LIMIT
    assert result.most_inconsistent == (1, 3)


@pytest.mark.parametrize(
    ("matrix", "words"),
    [
        ([], "empty"),
        ([[1, 2], [0.5]], "square"),
        ([[1, 2], [0.4, 1]], "reciprocal"),
        ([[1, 12], [1 / 12, 1]], "scale"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[2, 1], [1, 1]], "itself"),
        ([[1, "a"], ["b", 1]], "number"),
        ([[1.0] * 11 for _ in range(11)], "at most 10"),
    ],
)
def test_a_bad_matrix_is_refused_saying_why(matrix, words):
    with pytest.raises(ValueError, match=words):
        pairwise_weights(matrix)


def test_one_third_typed_as_decimals_is_reciprocal_enough():
    assert pairwise_weights([[1, 3], [0.333, 1]]).weights == pytest.approx([0.75, 0.25], abs=1e-3)


def test_a_missing_pair_is_refused():
    with pytest.raises(ValueError, match="no answer"):
        matrix_from_answers(3, {(0, 1): 2})


judgements = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9, 2, 1 / 2])


@given(
    st.integers(2, 8).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(judgements, min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)
        )
    )
)
def test_any_reciprocal_matrix_on_the_scale_gives_positive_weights_summing_to_one(case):
    n, values = case
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    result = pairwise_weights(matrix_from_answers(n, dict(zip(pairs, values, strict=True))))
    assert math.isclose(sum(result.weights), 1.0, rel_tol=1e-9)
    assert all(w > 0 for w in result.weights)
    assert result.consistency_ratio >= 0
    assert (result.most_inconsistent is None) == result.is_consistent


def test_swing_points_give_weights_in_proportion():
    result = swing_weights([100, 50, 50, 0])
    assert result.weights == pytest.approx([0.5, 0.25, 0.25, 0.0])
    assert result.points == [100, 50, 50, 0]


@pytest.mark.parametrize(
    ("points", "words"),
    [
        ([], "nothing to weigh"),
        ([80, 50], "worth 100"),
        ([100, 120], "0 to 100"),
        ([100, -1], "0 to 100"),
    ],
)
def test_bad_swing_points_are_refused_saying_why(points, words):
    with pytest.raises(ValueError, match=words):
        swing_weights(points)


def test_whole_weights_keep_proportions_and_never_drop_a_positive_weight():
    assert whole_weights([0.5, 0.25, 0.25]) == [100, 50, 50]
    assert whole_weights([0.995, 0.004, 0.001]) == [100, 1, 1]
    assert whole_weights([0.6, 0.0, 0.4]) == [100, 0, 67]
    with pytest.raises(ValueError, match="above zero"):
        whole_weights([0, 0])
