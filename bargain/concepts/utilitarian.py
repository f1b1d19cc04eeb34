"""The utilitarian solution."""

from __future__ import annotations

import dataclasses

from .. import engine
from ..problem import Problem, require_problem
from ..solution import Solution
from ._criteria import Criterion
from ._discrete import best_package
from ._dispatch import dispatch

__all__ = ["utilitarian"]

TOTAL = Criterion("sum")
"""The utilitarian criterion: the sum of gains (reported as the sum of utilities)."""


def utilitarian(
    problem: Problem,
    *,
    lotteries: bool = False,
    rng: object = None,
    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE,
    max_ties: int = engine.DEFAULT_MAX_TIES,
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET,
    prune: bool = True,
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
    tie_tol, max_ties, memory_budget, prune
        As for :func:`bargain.nash` (``tie_tol`` on the total utility).

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
    return dispatch(
        problem,
        "utilitarian",
        TOTAL,
        lotteries,
        rng,
        (tie_tol, max_ties, memory_budget, prune),
        lambda options: _total(best_package(problem, "utilitarian", TOTAL.value, options)),
    )


def _total(solution: Solution) -> Solution:
    """Report the total utility, not the total gain, as the score."""
    if not solution.agreement:
        return solution
    total = TOTAL.reported(solution.score, solution.problem.disagreement)
    return dataclasses.replace(solution, score=total)
