"""The Nash bargaining solution, symmetric or with bargaining powers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import engine, search
from .._checks import check_real
from ..errors import BargainTypeError, UnknownNameError, ValidationError
from ..problem import Problem, require_problem
from ..solution import Solution
from ._criteria import Criterion
from ._discrete import SearchOptions, best_package, package_solution
from ._dispatch import dispatch

__all__ = ["AUTO_SEARCH_ABOVE", "METHODS", "nash"]

METHODS = ("auto", "blocks", "search")
"""How :func:`nash` may search: ``"blocks"`` scores every package in numpy blocks
(pruning whole blocks by bound), ``"search"`` is the branch and bound of
:mod:`bargain.search`, ``"auto"`` picks one."""

AUTO_SEARCH_ABOVE = 2**16
"""``method="auto"`` uses the branch and bound on spaces of more allowed packages
than this (below it, scoring every block is as fast and has no set-up cost)."""


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
        every package (for benchmarking the scorer itself; implies blocks).
    method : {"auto", "blocks", "search"}, default "auto"
        ``"blocks"`` scores the space in numpy blocks (spaces of fewer than
        2**63 packages); ``"search"`` runs the branch and bound of
        :mod:`bargain.search`, for spaces of any size. ``"auto"`` uses blocks
        when ``prune`` is False or the space has at most
        :data:`AUTO_SEARCH_ABOVE` allowed packages (and no budget or progress
        callback is given), the search otherwise. All give the same packages
        and ties.
    time_budget : float, optional
        Seconds after which the search stops with the best package found.
    node_budget : int, optional
        Search nodes after which the search stops with the best package found.
    progress : callable, optional
        Called with a dict (``nodes``, ``leaves``, ``scored``, ``best``,
        ``bound``, ``elapsed``) every :data:`bargain.search.PROGRESS_INTERVAL`
        seconds of search and once at the end.
    lotteries : bool, default False
        Maximize over lotteries of packages instead (see
        :mod:`bargain.concepts.lotteries`).
    rng : seed or numpy Generator, optional
        Seeds the multi-start on continuous spaces, which are solved by
        :mod:`bargain.concepts.continuous` (the search options do not apply).

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
    if lotteries is not False or problem.space.continuous_issues:
        search_options = (tie_tol, max_ties, memory_budget, prune)
        criterion = Criterion("nash", problem.powers)
        return dispatch(problem, "nash", criterion, lotteries, rng, search_options, None)
    options = SearchOptions.checked("nash", tie_tol, max_ties, memory_budget, prune)
    budgets = _checked_budgets(method, prune, time_budget, node_budget, progress)
    compiled = engine.compiled(problem, options.memory_budget)
    if method == "auto":
        small = compiled.allowed_size <= AUTO_SEARCH_ABOVE and budgets == (None, None, None)
        method = "blocks" if not prune or small else "search"
    if method == "blocks":
        if not compiled.indexable:
            raise ValidationError(
                f"nash: method='blocks' needs a space of fewer than 2**63 packages, this one has "
                f"{problem.space.size}; use method='search' (or 'auto')"
            )
        return best_package(problem, "nash", engine.nash_objective(problem.powers), options)
    found = search.nash_search(
        compiled,
        tie_tol=options.tie_tol,
        max_ties=options.max_ties,
        memory_budget=options.memory_budget,
        time_budget=budgets[0],
        node_budget=budgets[1],
        progress=budgets[2],
    )
    stats = {"method": "search", "nodes": found.nodes, "scored": found.scored}
    solution = package_solution(problem, "nash", found, stats)
    return dataclasses.replace(solution, optimal=found.optimal, gap=found.gap)


def _checked_budgets(method, prune, time_budget, node_budget, progress):
    """Validate the search options; return ``(time_budget, node_budget, progress)``."""
    if not isinstance(method, str):
        raise BargainTypeError(f"nash: method must be one of {list(METHODS)}, got {method!r}")
    if method not in METHODS:
        raise UnknownNameError(f"nash: unknown method {method!r}; methods are {list(METHODS)}")
    if time_budget is not None:
        time_budget = check_real(time_budget, "nash: time_budget", minimum=0.0)
    if node_budget is not None:
        if isinstance(node_budget, bool) or not isinstance(node_budget, int | np.integer):
            raise BargainTypeError(f"nash: node_budget must be an integer, got {node_budget!r}")
        if node_budget < 1:
            raise ValidationError(f"nash: node_budget must be >= 1, got {node_budget!r}")
        node_budget = int(node_budget)
    if progress is not None and not callable(progress):
        raise BargainTypeError(f"nash: progress must be callable, got {progress!r}")
    budgets = (time_budget, node_budget, progress)
    if budgets != (None, None, None) and (method == "blocks" or not prune):
        raise ValidationError(
            "nash: time_budget, node_budget and progress apply to the search; they cannot be "
            f"combined with method={method!r}, prune={prune!r}"
        )
    if method == "search" and not prune:
        raise ValidationError("nash: prune=False means scoring every block; use method='blocks'")
    return budgets
