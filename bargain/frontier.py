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
from .problem import Problem, require_problem
from .solution import Frontier

__all__ = ["CAPPED_WHOLE_SPACE", "SMALL_SPACE", "pareto_frontier"]

SMALL_SPACE = 1024
"""Spaces of at most this many allowed packages are summed whole and filtered once:
below it the per-factor filtering costs more numpy calls than it saves."""

CAPPED_WHOLE_SPACE = 2**20
"""With capped utilities (``min(cap, sum)``), spaces of at most this many allowed
packages are summed whole, so that packages which tie once capped all stay."""


def pareto_frontier(problem: Problem) -> Frontier:
    """Every individually rational, Pareto-optimal package.

    A package is on the frontier when it gives every party strictly more than
    its disagreement value, crosses no red line, and no other such package is
    at least as good for every party and better for one. Packages with equal
    utilities are all listed.

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
    compiled_problem = engine.compiled(problem)
    utilities, offsets = _frontier_utilities(compiled_problem)
    order = np.argsort(offsets, kind="stable")
    return Frontier(problem=problem, indices=offsets[order], utilities=utilities[:, order].T)


def _frontier_utilities(compiled_problem: engine.Compiled) -> tuple[np.ndarray, np.ndarray]:
    """Utilities (n, k) and package indices (k,) of the rational frontier."""
    n = compiled_problem.n_parties
    if compiled_problem.empty:
        return np.empty((n, 0)), np.empty(0, dtype=np.int64)
    factors = compiled_problem.factors
    exact = not compiled_problem.indexable
    offsets = np.zeros(1, dtype=object if exact else np.int64)
    capped = compiled_problem.cap is not None
    if compiled_problem.allowed_size <= (CAPPED_WHOLE_SPACE if capped else SMALL_SPACE):
        # Few packages (or capped utilities, where pruning partial sums could drop packages
        # that tie once capped): every package's utilities, summed from 0 factor by factor
        # as Problem.utilities sums them, judged as they are (strictly above disagreement,
        # dominance on the utilities themselves), so the rows equal Problem.utilities.
        utilities = np.zeros((n, 1))
        for factor in factors:
            factor_offsets = compiled_problem.exact_offsets(factor) if exact else factor.offsets
            utilities = (utilities[:, :, None] + factor.contrib[:, None, :]).reshape(n, -1)
            offsets = (offsets[:, None] + factor_offsets[None, :]).reshape(-1)
        if capped:
            utilities = np.minimum(utilities, compiled_problem.cap[:, None])
        d = compiled_problem.disagreement[:, None]
        rational = np.flatnonzero(np.all(utilities > d, axis=0))
        keep = rational[engine.pareto_mask(utilities[:, rational].T)]
        return utilities[:, keep], offsets[keep]
    gains = -compiled_problem.disagreement[:, None].copy()
    best_rest = np.zeros((n, len(factors) + 1))
    for f in range(len(factors) - 1, -1, -1):
        best_rest[:, f] = best_rest[:, f + 1] + factors[f].contrib.max(axis=1)
    for f, factor in enumerate(factors):
        factor_offsets = compiled_problem.exact_offsets(factor) if exact else factor.offsets
        # An option another option of the same factor dominates never helps.
        options = engine.pareto_mask(factor.contrib.T)
        gains = (gains[:, :, None] + factor.contrib[:, None, options]).reshape(n, -1)
        offsets = (offsets[:, None] + factor_offsets[None, options]).reshape(-1)
        reachable = np.all(gains + best_rest[:, f + 1 : f + 2] > 0, axis=0)
        gains, offsets = gains[:, reachable], offsets[reachable]
        keep = engine.pareto_mask(gains.T)
        gains, offsets = gains[:, keep], offsets[keep]
    if capped:  # beyond CAPPED_WHOLE_SPACE: cap the survivors (ties lost to pruning stay lost)
        gains = np.minimum(gains, (compiled_problem.cap - compiled_problem.disagreement)[:, None])
        keep = engine.pareto_mask(gains.T)
        gains, offsets = gains[:, keep], offsets[keep]
    return gains + compiled_problem.disagreement[:, None], offsets
