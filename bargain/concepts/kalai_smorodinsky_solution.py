"""The Kalai–Smorodinsky solution."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import engine
from ..problem import Problem, require_problem
from ..solution import Solution
from ._criteria import KalaiSmorodinsky
from ._discrete import Run, ideal_gains, leximin
from ._dispatch import dispatch

__all__ = ["kalai_smorodinsky"]


def kalai_smorodinsky(
    problem: Problem,
    *,
    lotteries: bool = False,
    rng: object = None,
    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE,
    max_ties: int = engine.DEFAULT_MAX_TIES,
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET,
    prune: bool = True,
    method: str = "auto",
    time_budget: float | None = None,
    node_budget: int | None = None,
    progress: Callable[[dict[str, Any]], object] | None = None,
    start: int | None = None,
) -> Solution:
    r"""The Kalai–Smorodinsky solution (Kalai & Smorodinsky 1975, Econometrica 43).

    Every party gets the same fraction of its *ideal gain*: the point where the
    ray from the disagreement point ``d`` to the ideal point meets the frontier,
    ``ideal_j`` being the best utility party ``j`` can get in any individually
    rational agreement. It is scale invariant and individually monotone but
    violates independence of irrelevant alternatives.

    On a finite set of packages the ray usually misses every package, so the
    standard discrete reading is used: maximize the smallest normalized gain
    :math:`\min_j (u_j(x) - d_j) / (\text{ideal}_j - d_j)` over the packages that
    give every party strictly more than ``d_j`` and cross no red line, ties
    broken *leximin* (the second smallest normalized gain, and so on; the
    lexicographic Kalai–Smorodinsky solution, Chun & Peters 1989, "Lexicographic
    monotone path solutions", OR Spektrum 11). ``ideal_j`` is the best utility of
    ``j`` over those same rational, allowed packages. Bargaining powers are not
    used.

    Parameters
    ----------
    problem : Problem
    lotteries : bool, default False
        Optimize over lotteries of packages; the ideal point is then taken over
        rational lotteries (see :mod:`bargain.concepts.lotteries`).
    rng : seed or numpy Generator, optional
        Seeds the multi-start on continuous spaces (see :mod:`bargain.concepts.continuous`).
    tie_tol, max_ties, memory_budget, prune, method, time_budget, node_budget, progress, start
        As for :func:`bargain.nash`; ``tie_tol`` applies at each leximin level.
        When a budget stops the search of the ideal point, ``gap`` is infinite
        (the scale itself is not proven).

    Returns
    -------
    Solution
        ``score`` is the smallest normalized gain, in [0, 1]; ``stats["ideal"]``
        the ideal point used.

    Examples
    --------
    The ideal point is (6, 4); package 2 gives both parties half their ideal:

    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[6, 0.5], [1, 4], [3, 2], [4, 1]])
    >>> sol = bg.kalai_smorodinsky(p)
    >>> sol.index, sol.score
    (2, 0.5)
    """
    problem = require_problem(problem, "kalai_smorodinsky")
    options = {
        "tie_tol": tie_tol,
        "max_ties": max_ties,
        "memory_budget": memory_budget,
        "prune": prune,
        "method": method,
        "time_budget": time_budget,
        "node_budget": node_budget,
        "progress": progress,
        "start": start,
    }
    return dispatch(
        problem, "kalai_smorodinsky", KalaiSmorodinsky(), lotteries, rng, options, _discrete_ks
    )


def _discrete_ks(run: Run) -> Solution:
    problem = run.problem
    n = problem.n_parties

    def best_gain(criterion) -> float:
        return run.best(criterion, value_only=True).score

    gains = ideal_gains(n, best_gain)
    proven = run.optimal
    if not np.all(gains > 0):
        gains = np.ones(n)  # no rational package: the search finds none
        ideal = problem.disagreement
    else:
        ideal = gains + problem.disagreement
    solution = leximin(run, gains, ideal=dict(zip(problem.party_names, map(float, ideal))))
    if not proven:
        solution = dataclasses.replace(solution, gap=math.inf)
    return solution
