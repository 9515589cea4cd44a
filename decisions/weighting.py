"""Weights a person can stand behind: from swings (the recommended way in) or from
pairwise comparisons (Saaty's analytic hierarchy process, AHP).

Pure: plain numbers in, frozen dataclasses out, no Django. ``pairwise_weights`` is a
contract that outside checks call: add to it freely, never rename it or its fields.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Saaty's random index: the mean consistency index of random reciprocal matrices of
# size n (Saaty, "The Analytic Hierarchy Process", 1980). With one or two criteria a
# reciprocal matrix is always consistent, so their ratio is 0.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
MAX_PAIRWISE = max(RANDOM_INDEX)
# Above this ratio Saaty advises revisiting the judgements.
CONSISTENCY_LIMIT = 0.10
# Saaty's scale: "equal" (1) to "extremely more" (9), and the reciprocals.
SCALE_MAX = 9
# How far a[i][j] * a[j][i] may stray from 1: answers typed as 0.333 for 1/3 pass.
RECIPROCAL_TOLERANCE = 0.01
SWING_TOP = 100

# The wizards that set weights, each an origin of its own.
WIZARDS = ("swing", "pairwise")

# How each way of setting weights is named on the pages, the log and the report.
ORIGINS = {
    "sliders": "set with the sliders",
    "swing": "from the swing wizard",
    "pairwise": "from the pairwise wizard",
    "put_back": "put back as they were before a wizard",
}


@dataclass(frozen=True)
class PairwiseWeights:
    """What a pairwise comparison matrix says.

    ``weights``: the principal right eigenvector, each weight > 0, summing to 1, in
    the matrix's row order. ``consistency_ratio``: ``consistency_index / RI[n]`` where
    ``consistency_index = (lambda_max - n) / (n - 1)`` (0 for n <= 2).
    ``most_inconsistent``: when the ratio is above ``CONSISTENCY_LIMIT``, the pair
    (i, j), i < j, whose answer strays furthest from what the weights imply; else None.
    """

    weights: list[float]
    consistency_ratio: float
    consistency_index: float
    lambda_max: float
    most_inconsistent: tuple[int, int] | None

    @property
    def is_consistent(self) -> bool:
        return self.consistency_ratio <= CONSISTENCY_LIMIT

    @property
    def most_inconsistent_pair(self) -> tuple[int, int] | None:
        return self.most_inconsistent


def _checked_matrix(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    try:
        rows = [list(row) for row in matrix]
    except TypeError:
        raise ValueError("The matrix must be a list of rows.") from None
    n = len(rows)
    if n == 0:
        raise ValueError("The matrix is empty: compare at least one criterion.")
    if any(len(row) != n for row in rows):
        raise ValueError(f"The matrix must be square: {n} rows of {n} values each.")
    if n > MAX_PAIRWISE:
        raise ValueError(
            f"Pairwise comparison takes at most {MAX_PAIRWISE} criteria "
            f"(Saaty's random index stops there); this matrix has {n}."
        )
    try:
        values = np.array(rows, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("Every value of the matrix must be a number.") from None
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError("Every value of the matrix must be a positive number.")
    low, high = 1 / SCALE_MAX, SCALE_MAX
    for i in range(n):
        if not math.isclose(values[i, i], 1.0, rel_tol=RECIPROCAL_TOLERANCE):
            raise ValueError(f"A criterion compared with itself is 1: row {i + 1} says otherwise.")
        for j in range(n):
            value = values[i, j]
            if not low * (1 - RECIPROCAL_TOLERANCE) <= value <= high * (1 + RECIPROCAL_TOLERANCE):
                raise ValueError(
                    f"Value {value:g} at row {i + 1}, column {j + 1} is outside Saaty's "
                    f"scale of 1/{SCALE_MAX} to {SCALE_MAX}."
                )
            if j > i and not math.isclose(value * values[j, i], 1.0, rel_tol=RECIPROCAL_TOLERANCE):
                raise ValueError(
                    f"The matrix must be reciprocal: row {i + 1}, column {j + 1} is "
                    f"{value:g}, so row {j + 1}, column {i + 1} must be 1/{value:g}, "
                    f"not {values[j, i]:g}."
                )
    return values


def pairwise_weights(matrix: Sequence[Sequence[float]]) -> PairwiseWeights:
    """The weights and consistency of a square reciprocal matrix of judgements.

    ``matrix[i][j]`` says how much more criterion i matters than criterion j, on
    Saaty's scale 1/9..9; ``matrix[j][i]`` is its reciprocal and the diagonal is 1.
    Raises ValueError, saying what is wrong, for anything else (not square, empty,
    not positive, off the scale, not reciprocal, more than ``MAX_PAIRWISE`` rows).
    """
    values = _checked_matrix(matrix)
    n = len(values)
    if n == 1:
        return PairwiseWeights([1.0], 0.0, 0.0, 1.0, None)
    eigenvalues, eigenvectors = np.linalg.eig(values)
    # A positive matrix has one real eigenvalue of largest modulus (Perron-Frobenius),
    # whose eigenvector can be taken all positive.
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)
    weights = vector / vector.sum()
    index = max(0.0, (lambda_max - n) / (n - 1))
    ratio = index / RANDOM_INDEX[n] if RANDOM_INDEX[n] else 0.0
    worst = None
    if ratio > CONSISTENCY_LIMIT:
        # How far each answer is from the ratio the weights imply, on a log scale so
        # that "3 times too much" and "3 times too little" count alike.
        strays = {
            (i, j): abs(math.log(values[i, j] * weights[j] / weights[i]))
            for i in range(n)
            for j in range(i + 1, n)
        }
        worst = max(strays, key=lambda pair: strays[pair])
    return PairwiseWeights(
        weights=[float(w) for w in weights],
        consistency_ratio=float(ratio),
        consistency_index=float(index),
        lambda_max=lambda_max,
        most_inconsistent=worst,
    )


def matrix_from_answers(n: int, answers: dict[tuple[int, int], float]) -> list[list[float]]:
    """The full reciprocal matrix from one answer per pair (i, j), i < j: how much more
    i matters than j (below 1: j matters more). Raises ValueError when a pair is missing."""
    matrix = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if (i, j) not in answers:
                raise ValueError(f"Pair {i + 1}, {j + 1} has no answer.")
            matrix[i][j] = float(answers[(i, j)])
            matrix[j][i] = 1.0 / float(answers[(i, j)])
    return matrix


@dataclass(frozen=True)
class SwingWeights:
    """Weights from swings: ``points`` as given (the biggest swing 100), ``weights``
    the same in proportion, summing to 1."""

    points: list[float]
    weights: list[float]


def swing_weights(points: Sequence[float]) -> SwingWeights:
    """Weights from swing points: for each criterion, how much its swing from worst to
    best is worth when the swing that matters most is worth ``SWING_TOP`` (100).

    Every point is from 0 to 100 and the biggest is exactly 100 (the anchor the others
    are rated against). Raises ValueError otherwise, saying what is wrong.
    """
    given = [float(p) for p in points]
    if not given:
        raise ValueError("There is nothing to weigh: give each criterion's swing points.")
    if not all(math.isfinite(p) and 0 <= p <= SWING_TOP for p in given):
        raise ValueError(f"Each swing is worth from 0 to {SWING_TOP} points.")
    if max(given) != SWING_TOP:
        raise ValueError(
            f"The swing that matters most is worth {SWING_TOP}: the others are rated against it."
        )
    total = sum(given)
    return SwingWeights(points=given, weights=[p / total for p in given])


def whole_weights(weights: Sequence[float]) -> list[int]:
    """Weights as the sliders hold them, whole numbers 0..100 with the biggest at 100
    and the same proportions, rounded; a positive weight never rounds down to 0 (it
    stays 1), so no criterion silently drops out."""
    top = max(weights, default=0)
    if top <= 0:
        raise ValueError("At least one weight must be above zero.")
    return [max(1, round(SWING_TOP * w / top)) if w > 0 else 0 for w in weights]
