"""The Pareto frontier of a discrete problem, built issue by issue.

Package indices are int64, or exact Python ints in an object array when the
space has 2**63 packages or more.

For additive utilities the frontier of a sum of independent choices is
contained in the sum of their frontiers: if a part of a package is dominated
by another option for that part, swapping it in dominates the whole package.
So the frontier is grown one factor at a time (``F <- pareto(F + factor)``),
adding only the factor's own non-dominated options (by the same argument) and
dropping partial packages that cannot become individually rational even with
every party's best remaining contributions. The space is never enumerated.
"""

from __future__ import annotations

import numpy as np

from . import engine
from ._checks import check_real
from .errors import ValidationError
from .problem import Problem, require_problem
from .solution import Frontier

__all__ = ["pareto_frontier"]


def pareto_frontier(
    problem: Problem, utility_tol: float = engine.DEFAULT_UTILITY_TOLERANCE
) -> Frontier:
    """Every individually rational, Pareto-optimal package.

    A package is on the frontier when it gives every party strictly more than
    its disagreement value, crosses no red line, and no other such package is
    at least as good for every party and better for one. Packages with equal
    utilities are all listed. "Strictly more" and "equal" are judged with
    ``utility_tol`` (:data:`bargain.engine.DEFAULT_UTILITY_TOLERANCE`, see
    :func:`bargain.engine.pareto_mask`), so that rounding noise in sums never
    decides; the rows are :meth:`Problem.utilities_of` the packages, bit for bit.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2], [1, 1]])
    >>> front = bg.pareto_frontier(p)
    >>> front.indices
    array([0, 1, 2])
    >>> front.utilities
    array([[5., 1.],
           [1., 5.],
           [2., 2.]])
    """
    problem = require_problem(problem, "pareto_frontier")
    utility_tol = check_real(utility_tol, "pareto_frontier: utility_tol", minimum=0.0)
    small = engine.small_space(problem, utility_tol)
    if small is not None and small.indices.size <= WHOLE_ROWS:  # shared with the concepts
        keep = engine.pareto_mask(small.utilities, tol=utility_tol)
        return Frontier(
            problem=problem,
            indices=small.indices.compress(keep),
            utilities=small.utilities.compress(keep, axis=0),
        )
    capped = not problem.additive and bool(np.any(problem.cap < np.inf))
    if capped and not problem.rules:  # every package is allowed: refuse before compiling
        _check_capped_size(problem.space.size)
    compiled_problem = engine.compiled(problem)
    if compiled_problem.cap is not None:
        _check_capped_size(compiled_problem.allowed_size)
    if compiled_problem.indexable and compiled_problem.allowed_size <= SMALL_SPACE:
        # every allowed package, judged once below
        _, every = engine._sum_rows(compiled_problem.factors, compiled_problem.n_parties)
        indices = np.sort(every)
    else:
        indices = np.sort(_frontier_indices(compiled_problem, utility_tol))
    # the final decisions are taken on the reported utilities (the one summation order)
    utilities = problem.utilities_of(indices)
    keep = np.all(utilities - problem.disagreement > utility_tol, axis=1)
    indices, utilities = indices[keep], utilities[keep]
    keep = engine.pareto_mask(utilities, tol=utility_tol)
    return Frontier(problem=problem, indices=indices[keep], utilities=utilities[keep])


WHOLE_ROWS = 4096
"""A space held whole (:func:`bargain.engine.small_space`) with at most this many rational
packages has them judged at once; with more, growing the frontier factor by factor
prunes more than it costs (the space held whole still serves the concepts)."""

SMALL_SPACE = 1024
"""Spaces of at most this many allowed packages are judged whole, on their reported
utilities: below it, filtering factor by factor costs more numpy calls than it saves."""

CAPPED_FRONTIER_LIMIT = 2**22
"""Allowed packages at most for the frontier of a problem with capped utilities (a cap
can make packages that another one dominates tie with it, so nothing is pruned early)."""


def _check_capped_size(allowed: int) -> None:
    if allowed > CAPPED_FRONTIER_LIMIT:
        raise ValidationError(
            f"pareto_frontier: with capped utilities the frontier is computed over every "
            f"allowed package, at most {CAPPED_FRONTIER_LIMIT} (CAPPED_FRONTIER_LIMIT); this "
            f"problem has {allowed}"
        )


def _frontier_indices(compiled_problem: engine.Compiled, utility_tol: float) -> np.ndarray:
    """Package indices (k,) of the rational frontier, in no particular order."""
    n = compiled_problem.n_parties
    if compiled_problem.empty:
        return np.empty(0, dtype=np.int64)
    factors = compiled_problem.factors
    best_rest = np.zeros((n, len(factors) + 1))
    for f in range(len(factors) - 1, -1, -1):
        best_rest[:, f] = best_rest[:, f + 1] + factors[f].contrib.max(axis=1)
    capped = compiled_problem.cap is not None
    if capped:  # a cap can make a dominated partial sum tie: no pruning until the end
        best_rest = np.full_like(best_rest, np.inf)
    gains = -compiled_problem.disagreement[:, None].copy()
    exact = not compiled_problem.indexable
    offsets = np.zeros(1, dtype=object if exact else np.int64)
    for f, factor in enumerate(factors):
        factor_offsets = compiled_problem.exact_offsets(factor) if exact else factor.offsets
        # An option another option of the same factor dominates never helps.
        options = np.ones(factor.size, dtype=bool)
        if not capped:
            options = engine.pareto_mask(factor.contrib.T, tol=utility_tol)
        gains = (gains[:, :, None] + factor.contrib[:, None, options]).reshape(n, -1)
        offsets = (offsets[:, None] + factor_offsets[None, options]).reshape(-1)
        reachable = np.all(gains + best_rest[:, f + 1 : f + 2] > utility_tol, axis=0)
        gains, offsets = gains.compress(reachable, axis=1), offsets[reachable]
        if capped:
            continue  # decided on the reported utilities at the end
        keep = engine.pareto_mask(gains.T, tol=utility_tol)
        gains, offsets = gains.compress(keep, axis=1), offsets[keep]
    return offsets
