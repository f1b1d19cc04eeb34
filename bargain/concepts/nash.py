"""The Nash bargaining solution, symmetric or with bargaining powers."""

from __future__ import annotations

from .. import engine
from ..problem import Problem, require_problem
from ..solution import Solution
from ._discrete import SearchOptions, best_package

__all__ = ["nash"]


def nash(
    problem: Problem,
    *,
    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE,
    max_ties: int = engine.DEFAULT_MAX_TIES,
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET,
    prune: bool = True,
) -> Solution:
    r"""The exact (asymmetric) Nash bargaining package.

    Maximizes the weighted Nash product
    :math:`\prod_j (u_j(x) - d_j)^{p_j}`, in log space
    :math:`\sum_j p_j \log(u_j(x) - d_j)`, over the packages ``x`` that give
    every party strictly more than its disagreement value ``d_j`` and cross no
    red line (Nash 1950; with powers ``p_j``, Kalai 1977 / Roth 1979). The
    disagreement point is used as given. With equal powers this is the
    symmetric Nash solution. Every package is considered (the engine skips
    only what a proven bound rules out): the result is exact, never sampled.

    Parameters
    ----------
    problem : Problem
    tie_tol : float, default :data:`bargain.engine.DEFAULT_TIE_TOLERANCE`
        Packages whose log Nash product is within ``tie_tol`` of the best tie.
    max_ties : int, default :data:`bargain.engine.DEFAULT_MAX_TIES`
        How many tied packages to list at most (the lowest indices).
    memory_budget : int, default :data:`bargain.engine.DEFAULT_MEMORY_BUDGET`
        Bytes one block of packages may use.
    prune : bool, default True
        Skip blocks whose bound cannot reach the incumbent; ``False`` scores
        every package (for benchmarking the scorer itself).

    Returns
    -------
    Solution
        ``agreement`` is False, and ``outcome`` None, when no package is
        individually rational.

    Examples
    --------
    Dividing a pie of 8 slices; the second party has three times the power,
    so it gets 3/4 of the surplus:

    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], powers=[1, 3])
    >>> sol = bg.nash(p)
    >>> sol.index, sol.utilities
    (2, {'P1': 2.0, 'P2': 6.0})
    >>> bg.nash(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])).ties
    (0, 1)
    """
    problem = require_problem(problem, "nash")
    options = SearchOptions.checked("nash", tie_tol, max_ties, memory_budget, prune)
    return best_package(problem, "nash", engine.nash_objective(problem.powers), options)
