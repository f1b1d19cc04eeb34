"""The egalitarian and proportional solutions, and the leximin search they share
with Kalai–Smorodinsky on discrete spaces."""

from __future__ import annotations

import numpy as np

from .. import engine
from .._checks import check_real_array
from ..errors import ValidationError
from ..problem import Problem, require_problem
from ..solution import Solution
from ._discrete import SearchOptions, package_solution, search
from ._dispatch import Criterion, dispatch

__all__ = ["egalitarian"]


def egalitarian(
    problem: Problem,
    *,
    weights: object = None,
    lotteries: bool = False,
    rng: object = None,
    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE,
    max_ties: int = engine.DEFAULT_MAX_TIES,
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET,
    prune: bool = True,
) -> Solution:
    r"""The egalitarian solution (Kalai 1977); with ``weights``, the proportional one.

    Maximizes the smallest gain over disagreement, each divided by the party's
    weight: :math:`\min_j (u_j(x) - d_j) / w_j`, over the packages that give every
    party strictly more than ``d_j`` and cross no red line. On a convex problem
    this is the point of equal (proportional) gains on the frontier (Kalai
    1977, "Proportional solutions to bargaining situations", Econometrica 45).
    On a finite set of packages equal gains are usually not available, so the
    standard discrete reading is used: maximize the minimum weighted gain and
    break ties *leximin* (then the second smallest, and so on), which makes
    the choice Pareto optimal among rational packages (the lexicographic
    egalitarian solution, Imai 1983, Econometrica 51). It is not scale
    invariant: rescaling one party's utilities changes the answer.

    Parameters
    ----------
    problem : Problem
    weights : array_like of positive floats, optional
        One per party (default all ones: the egalitarian solution). Gains are
        divided by them: party ``j`` gets ``w_j`` times the common gain.
    lotteries : bool, default False
        Optimize over lotteries of packages (see :mod:`bargain.concepts.lotteries`).
    rng : seed or numpy Generator, optional
        Seeds the multi-start on continuous spaces (see :mod:`bargain.concepts.continuous`).
    tie_tol, max_ties, memory_budget, prune
        As for :func:`bargain.nash`; ``tie_tol`` applies at each leximin level.

    Returns
    -------
    Solution
        ``score`` is the smallest weighted gain.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[6, 1], [3, 3], [4, 2], [1, 5]])
    >>> bg.egalitarian(p).index
    1
    >>> bg.egalitarian(p, weights=[2, 1]).index
    2
    """
    problem = require_problem(problem, "egalitarian")
    scale = party_weights(problem, weights, "egalitarian")
    return dispatch(
        problem,
        "egalitarian",
        Criterion("maxmin", scale),
        lotteries,
        rng,
        (tie_tol, max_ties, memory_budget, prune),
        lambda options: leximin_package(problem, "egalitarian", scale, options),
    )


def party_weights(problem: Problem, weights: object, concept: str) -> np.ndarray:
    """Validated positive weights, one per party (ones when ``weights`` is None)."""
    if weights is None:
        return np.ones(problem.n_parties)
    array = check_real_array(weights, f"{concept}: weights", length=problem.n_parties)
    bad = np.flatnonzero(array <= 0)
    if bad.size:
        raise ValidationError(
            f"{concept}: weights[{bad[0]}] is {float(array[bad[0]])!r}; weights must be > 0"
        )
    return array


def _level_objective(scale: np.ndarray, level: int, floors: list[float]) -> engine.Objective:
    """Score = the ``level``-th smallest scaled gain, among packages whose smaller
    scaled gains reach ``floors``; ``-inf`` elsewhere. Each order statistic is
    non-decreasing in every gain, so the engine's bounds stay valid."""
    divisor = scale[:, None]

    def objective(gains: np.ndarray) -> np.ndarray:
        ordered = np.sort(gains / divisor, axis=0)
        score = ordered[level].copy()
        for position, floor in enumerate(floors):
            score[ordered[position] < floor] = -np.inf
        return score

    return objective


def leximin_package(
    problem: Problem,
    concept: str,
    scale: np.ndarray,
    options: SearchOptions,
    stats: dict | None = None,
) -> Solution:
    """The rational package maximizing ``min_j gain_j / scale_j``, ties broken leximin.

    ``stats`` are added to the solution's own (the concept's extra facts).

    Each level runs the engine once, with the order statistic of that level as
    objective and the earlier levels' optima (less ``tie_tol``) as floors; when
    a level's ties all fit in ``max_ties``, the remaining levels are resolved
    among them in memory.
    """
    n = problem.n_parties
    floors: list[float] = []
    found = search(problem, _level_objective(scale, 0, floors), options)
    scored, best = found.scored, found.score
    indices, gains, truncated = found.indices, found.gains, found.truncated
    level = 0
    while (indices.size > 1 or truncated) and level + 1 < n:
        floors.append(best - options.tie_tol)
        level += 1
        if truncated:
            found = search(problem, _level_objective(scale, level, floors), options)
            scored += found.scored
            best, indices, gains = found.score, found.indices, found.gains
            truncated = found.truncated
        else:
            ordered = np.sort(gains / scale[:, None], axis=0)[level]
            best = float(ordered.max())
            keep = ordered >= best - options.tie_tol
            indices, gains = indices[keep], gains[:, keep]
    score = float(np.min(gains[:, 0] / scale)) if indices.size else -np.inf
    result = engine.Best(score, indices, gains, truncated, scored)
    stats = {
        "method": "blocks, leximin",
        "scored": scored,
        "pruned": options.prune,
        **(stats or {}),
    }
    return package_solution(problem, concept, result, stats)
