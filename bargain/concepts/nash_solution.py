"""The Nash bargaining solution, symmetric or with bargaining powers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import engine
from ..criteria import Nash
from ..problem import Problem, require_problem
from ..solution import Solution
from ._discrete import AUTO_SEARCH_ABOVE, METHODS
from ._dispatch import dispatch

__all__ = ["AUTO_SEARCH_ABOVE", "METHODS", "nash"]


def nash(
    problem: Problem,
    *,
    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE,
    max_ties: int = engine.DEFAULT_MAX_TIES,
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET,
    prune: bool = True,
    method: str = "auto",
    time_budget: float | None = None,
    node_budget: int | None = None,
    progress: Callable[[dict[str, Any]], object] | None = None,
    start: int | None = None,
    lotteries: bool = False,
    rng: object = None,
) -> Solution:
    r"""The exact (asymmetric) Nash bargaining package.

    Maximizes the weighted Nash product
    :math:`\prod_j (u_j(x) - d_j)^{p_j}`, in log space
    :math:`\sum_j p_j \log(u_j(x) - d_j)`, over the packages ``x`` that give
    every party strictly more than its disagreement value ``d_j`` and cross no
    red line (Nash 1950; with powers ``p_j``, Kalai 1977 / Roth 1979). The
    disagreement point is used as given. With equal powers this is the
    symmetric Nash solution. A party of power 0 needs a positive gain but does not
    weigh in the product: the packages that differ only in what it gets tie, and they
    are narrowed to the best for such parties by their own Nash product (the limit of
    small positive powers). Ties Pareto-dominated by another tie are dropped (a tie
    tolerance on the log product can hide a real difference at large utilities or a
    tiny power), so the package is never Pareto-dominated (the tie rule of every
    concept, :func:`bargain.concepts.tie_rule`). Every package is
    considered (the engine skips only what a proven bound rules out): the result is
    exact, never sampled.

    Parameters
    ----------
    problem : Problem
    tie_tol : float, default :data:`bargain.engine.DEFAULT_TIE_TOLERANCE`
        Packages whose log Nash product is within ``tie_tol`` of the best tie (then
        narrowed by the tie rule, whose own comparisons use the default tolerances).
    max_ties : int, default :data:`bargain.engine.DEFAULT_MAX_TIES`
        How many tied packages to list at most (the lowest indices; past it, or past
        HiGHS's tie budget, a list from HiGHS holds ties it found, ``ties_truncated``);
        a list cut short is narrowed by the tie rule among the ties it holds.
    memory_budget : int, default :data:`bargain.engine.DEFAULT_MEMORY_BUDGET`
        Bytes one block of packages may use.
    prune : bool, default True
        Skip blocks whose bound cannot reach the incumbent; ``False`` scores
        every package (for benchmarking the scorer itself; implies blocks).
    method : {"auto", "blocks", "search"}, default "auto"
        ``"blocks"`` scores the space in numpy blocks (spaces of fewer than
        2**63 packages); ``"search"`` runs the branch and bound of
        :mod:`bargain.search`, for spaces of any size. ``"auto"`` uses blocks
        when ``prune`` is False or the space has at most
        :data:`AUTO_SEARCH_ABOVE` allowed packages (and no budget or progress
        callback is given), the search otherwise. All give the same packages
        and ties. The search hands a criterion to HiGHS (:mod:`bargain.milp`)
        when loose rectangle bonuses are present, or when
        :data:`~bargain.concepts._discrete.HYBRID_NODES` nodes (per kind of
        criterion) have not closed the gap;
        there, when combinations tie in great numbers, ``ties`` lists the ties
        found and ``ties_truncated`` says the list is not proven complete.
    time_budget : float, optional
        Seconds after which the search stops with the best package found.
    node_budget : int, optional
        Search nodes after which the search stops with the best package found.
    progress : callable, optional
        Called with a dict (``nodes``, ``leaves``, ``scored``, ``best``,
        ``bound``, ``elapsed``) every :data:`bargain.search.PROGRESS_INTERVAL`
        seconds of search and once at the end (HiGHS's programs report once, at
        their end, with ``nodes`` 0).
    start : int, optional
        The index of a package expected to be near the optimum (e.g. the answer to a
        problem that differs a little, as the analyses pass their base package): the
        branch and bound starts from it rather than from its heuristic's package, and
        where HiGHS solves, its score bounds the programs and, for Nash, its gains are
        where the outer approximation starts. It never changes the optimum; where it is
        not allowed or not rational it is ignored, as by the blocks. Single packages only
        (not lotteries or continuous issues). When the best packages tie beyond the list
        HiGHS proves, which ties are listed may depend on it.
    lotteries : bool, default False
        Maximize over lotteries of packages instead (see
        :mod:`bargain.concepts.lotteries`).
    rng : seed or numpy Generator, optional
        Seeds the multi-start on continuous spaces, which are solved by
        :mod:`bargain.concepts.continuous` (the search options are checked
        but do not apply there).

    Returns
    -------
    Solution
        ``agreement`` is False, and ``outcome`` None, when no package is
        individually rational. When a budget stopped the search, ``optimal``
        is False and no package beats ``score`` by more than ``gap`` (log Nash
        product); ``stats`` says how the solver got there.

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
    >>> bg.nash(p, method="search").index
    2
    """
    problem = require_problem(problem, "nash")
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
    criterion = Nash(problem.powers)
    return dispatch(
        problem,
        "nash",
        criterion,
        lotteries,
        rng,
        options,
        lambda run: run.solution(run.best(criterion)),
    )
