"""What a concept maximizes, in a form the lottery and continuous solvers share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import engine
from ..problem import Problem
from ..solution import Solution
from ._discrete import package_solution


@dataclass(frozen=True)
class Criterion:
    """A concept's objective over gains ``g = u - d`` (all gains >= 0 where it applies).

    ``kind`` is one of:

    * ``"nash"``: ``sum_j weights[j] * log(g_j)`` (weights are the powers);
    * ``"maxmin"``: ``min_j g_j / weights[j]``;
    * ``"kalai_smorodinsky"``: ``maxmin`` with ``weights = ideal - d``, the ideal
      point being computed by the solver over its own feasible set;
    * ``"sum"``: ``sum_j g_j`` (the score reported adds ``sum_j d_j``).
    """

    kind: str
    weights: np.ndarray | None = None

    def resolved(self, ideal_gains: np.ndarray) -> Criterion:
        """The criterion with the Kalai–Smorodinsky scale filled in."""
        if self.kind == "kalai_smorodinsky":
            return Criterion("maxmin", np.asarray(ideal_gains, dtype=float))
        return self

    def value(self, gains: np.ndarray) -> np.ndarray:
        """Scores of gain columns ``(n_parties, B)`` -> ``(B,)`` (resolved kinds only)."""
        if self.kind == "maxmin":
            return np.min(gains / self.weights[:, None], axis=0)
        if self.kind == "sum":
            return gains.sum(axis=0)
        # The engine's log Nash product, -inf where a party with power lacks a positive gain.
        rational = np.all(gains[self.weights > 0] > 0, axis=0)
        scores = np.full(gains.shape[1], -np.inf)
        scores[rational] = engine.nash_objective(self.weights)(gains[:, rational])
        return scores

    def reported(self, score: float, disagreement: np.ndarray) -> float:
        """The score a Solution reports: for ``"sum"`` the total utility, not the total gain."""
        return score + float(np.sum(disagreement)) if self.kind == "sum" else score


def no_agreement(problem: Problem, concept: str, stats: dict) -> Solution:
    """The no-deal Solution: every party at its disagreement value."""
    n = problem.n_parties
    nothing = engine.Best(-math.inf, np.empty(0, dtype=np.int64), np.empty((n, 0)), False, 0)
    return package_solution(problem, concept, nothing, stats)
