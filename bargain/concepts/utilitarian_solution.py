"""The utilitarian solution."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import engine
from ..criteria import Linear
from ..problem import Problem, require_problem
from ..solution import Solution
from ._dispatch import dispatch

__all__ = ["utilitarian"]


def utilitarian(
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
    r"""The utilitarian solution: the largest total utility :math:`\sum_j u_j(x)`.

    Maximized over the packages that give every party strictly more than its
    disagreement value and cross no red line (Harsanyi 1955; in the bargaining
    axiomatics, Myerson 1981, Econometrica 49). Restricting to individually
    rational packages is a choice: the classic utilitarian rule ignores
    disagreement, but a party would veto a package worse than no deal. It is
    Pareto optimal and symmetric, not scale invariant (utilities are added as
    given), and powers are not used.

    Parameters
    ----------
    problem : Problem
    lotteries : bool, default False
        Optimize over lotteries of packages (see :mod:`bargain.concepts.lotteries`).
    rng : seed or numpy Generator, optional
        Seeds the multi-start on continuous spaces (see :mod:`bargain.concepts.continuous`).
    tie_tol, max_ties, memory_budget, prune, method, time_budget, node_budget, progress, start
        As for :func:`bargain.nash` (``tie_tol`` and ``gap`` on the total utility).

    Returns
    -------
    Solution
        ``score`` is the total utility.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[6, 1], [3, 3], [4, 2], [1, 5]], disagreement=[0, 1])
    >>> sol = bg.utilitarian(p)
    >>> sol.ties, sol.score
    ((1, 2, 3), 6.0)
    """
    problem = require_problem(problem, "utilitarian")
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
    total = Linear(np.ones(problem.n_parties))
    solution = dispatch(
        problem,
        "utilitarian",
        total,
        lotteries,
        rng,
        options,
        lambda run: run.solution(run.best(total)),
    )
    if not solution.agreement:
        return solution
    # The score is the total utility, not the total gain.
    return dataclasses.replace(solution, score=solution.score + float(np.sum(problem.disagreement)))
