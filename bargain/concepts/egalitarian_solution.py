"""The egalitarian and proportional solutions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import engine
from .._checks import check_keys, check_real_array
from ..criteria import MaxMin
from ..errors import ValidationError
from ..problem import Problem, require_problem
from ..solution import Solution
from ._discrete import leximin
from ._dispatch import dispatch

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
    method: str = "auto",
    time_budget: float | None = None,
    node_budget: int | None = None,
    progress: Callable[[dict[str, Any]], object] | None = None,
    start: int | None = None,
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
    weights : array_like of positive floats, or a mapping from party name to weight, optional
        One per party, in the problem's party order or by name (default all ones: the
        egalitarian solution). Gains are divided by them: party ``j`` gets ``w_j``
        times the common gain.
    lotteries : bool, default False
        Optimize over lotteries of packages (see :mod:`bargain.concepts.lotteries`).
    rng : seed or numpy Generator, optional
        Seeds the multi-start on continuous spaces (see :mod:`bargain.concepts.continuous`).
    tie_tol, max_ties, memory_budget, prune, method, time_budget, node_budget, progress, start
        As for :func:`bargain.nash`; ``tie_tol`` applies at each leximin level,
        ``gap`` to the smallest weighted gain.

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
    >>> bg.egalitarian(p, weights={"P2": 1, "P1": 2}).index
    2
    """
    problem = require_problem(problem, "egalitarian")
    scale = party_weights(problem, weights, "egalitarian")
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
        problem,
        "egalitarian",
        MaxMin(scale),
        lotteries,
        rng,
        options,
        lambda run: leximin(run, scale),
    )


def party_weights(problem: Problem, weights: object, concept: str) -> np.ndarray:
    """Validated positive weights, one per party (ones when ``weights`` is None)."""
    if weights is None:
        return np.ones(problem.n_parties)
    if isinstance(weights, Mapping):
        names = problem.party_names
        check_keys(weights, names, f"{concept}: weights", "party", "parties")
        weights = [weights[name] for name in names]
    array = check_real_array(weights, f"{concept}: weights", length=problem.n_parties)
    bad = np.flatnonzero(array <= 0)
    if bad.size:
        raise ValidationError(
            f"{concept}: weights[{bad[0]}] is {float(array[bad[0]])!r}; weights must be > 0"
        )
    return array
