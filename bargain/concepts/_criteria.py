"""The criteria the lottery and continuous solvers share with the discrete ones."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import engine
from ..criteria import Criterion, Linear, MaxMin, Nash
from ..errors import ValidationError
from ..problem import Problem
from ..solution import Solution
from ._discrete import ideal_gains, package_solution


@dataclass(frozen=True)
class KalaiSmorodinsky:
    """Max-min of gains scaled by the ideal point, which each solver computes over its
    own feasible set (packages, lotteries, continuous pieces) with :func:`resolve`."""


Goal = Criterion | KalaiSmorodinsky
"""What a concept hands to the solvers."""


def resolve(goal: Goal, n: int, maximize: Callable[[Criterion], float]) -> Criterion:
    """``goal`` as a criterion: the Kalai–Smorodinsky scale filled in by ``maximize``
    (see :func:`~bargain.concepts._discrete.ideal_gains`); an unknown goal is an error."""
    if isinstance(goal, KalaiSmorodinsky):
        return MaxMin(ideal_gains(n, maximize))
    if not isinstance(goal, Nash | Linear | MaxMin):
        raise ValidationError(
            f"unknown criterion {goal!r}; criteria are Nash, Linear, MaxMin and KalaiSmorodinsky"
        )
    return goal


def no_agreement(problem: Problem, concept: str, stats: dict) -> Solution:
    """The no-deal Solution: every party at its disagreement value."""
    n = problem.n_parties
    nothing = engine.Best(-math.inf, np.empty(0, dtype=np.int64), np.empty((n, 0)), False, 0)
    return package_solution(problem, concept, nothing, stats)
