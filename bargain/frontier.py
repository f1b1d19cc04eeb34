"""The Pareto frontier of a discrete problem: built issue by issue, or swept by search.

Package indices are int64, or exact Python ints in an object array when the
space has 2**63 packages or more.

For additive utilities the frontier of a sum of independent choices is
contained in the sum of their frontiers: if a part of a package is dominated
by another option for that part, swapping it in dominates the whole package.
So the frontier is grown one factor at a time (``F <- pareto(F + factor)``),
adding only the factor's own non-dominated options (by the same argument) and
dropping partial packages that cannot become individually rational even with
every party's best remaining contributions. The space is never enumerated.

A cap (or a non-additive term linking many issues) breaks that argument, and a
space too large to enumerate is then *swept* (:func:`_sweep`): with two parties
the frontier's utility vectors are found one by one, in decreasing order of the
first party's utility, each by one exact single-criterion solve of the engine
(:func:`bargain.search.best_search`, or HiGHS through :func:`bargain.milp.solve`
when rectangle bonuses stay loose across factors):

0. ``top``, the second party's best gain over all rational packages;
1. ``x``, a package with the first party's best gain among the rational packages
   that give the second party more than ``floor + utility_tol`` (at first, no floor);
2. ``floor <- x``'s gain for the second party; again from 1, until ``floor``
   reaches ``top`` (less ``utility_tol``) or no package is left.

Every frontier vector ``(a, b)`` is reached: let ``x`` be the last package found
that gives the first party at least ``a``. Had ``x`` given the second party less
than ``b - utility_tol``, the sweep would not have stopped there (``b <= top``) and
the next step, where ``(a, b)`` qualifies, would have found another such package.
So ``x`` gives at least ``a`` and ``b - utility_tol``: as nothing dominates ``(a, b)``,
``x`` has that vector (within the tolerance). A package found that gives
the second party too little for its first-party gain is dominated by the next
one found, and dropped by the final filter (the engine's rule, as on every
path). The solver usually returns the best second-party gain among the
first-party ties, so there are few of those: about one solve per vector. Each
vector's tied packages are then listed (:func:`_ties`). Both floors are the
engine's rationality test on a shifted disagreement point, so every bound and
tolerance of the solvers applies unchanged.

Each floor sits at a utility that packages have (often astronomically many), where
HiGHS's tolerances decide: so where every party's utilities are integers in some
unit (:func:`_integer_units`: the GENIUS files' integer bonuses over their
``maxutility``), HiGHS works in those units and every floor lies half a unit from
every package. Elsewhere floors lie ``utility_tol`` above packages, and HiGHS has
been seen to misjudge such programs (:data:`HIGHS_MIP_FEASIBILITY`); the branch and
bound decides in numpy, exactly.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from . import engine, milp, search
from ._checks import check_choice, check_int, check_real
from .criteria import Linear
from .errors import SolverError, ValidationError
from .problem import Problem, require_discrete
from .solution import Frontier

__all__ = ["METHODS", "pareto_frontier"]

METHODS = ("auto", "search")
"""How :func:`pareto_frontier` may work: ``"auto"`` enumerates small spaces, grows
additive ones factor by factor and sweeps the rest by search; ``"search"`` always
sweeps (two parties at most)."""


def pareto_frontier(
    problem: Problem,
    utility_tol: float = engine.DEFAULT_UTILITY_TOLERANCE,
    *,
    max_ties: int = engine.DEFAULT_MAX_TIES,
    method: str = "auto",
    time_budget: float | None = None,
) -> Frontier:
    """Every individually rational, Pareto-optimal package.

    A package is on the frontier when it gives every party strictly more than
    its disagreement value, crosses no red line, and no other such package is
    at least as good for every party and better for one. Packages with equal
    utilities are ties: up to ``max_ties`` of them are listed per utility
    vector, the lowest indices first, and ``ties_truncated`` says when a vector
    has more. "Strictly more" and "equal" are judged with ``utility_tol``
    (:data:`bargain.engine.DEFAULT_UTILITY_TOLERANCE`, see
    :func:`bargain.engine.pareto_mask`), so that rounding noise in sums never
    decides; the rows are :meth:`Problem.utilities_of` the packages, bit for bit.

    Small spaces are judged whole; additive utilities are grown factor by factor
    on spaces of any size. Capped utilities on more than
    :data:`CAPPED_FRONTIER_LIMIT` allowed packages, and non-additive terms that
    link more issues than the memory budget can enumerate, are swept by exact
    search (see the module docstring; ``method="search"`` forces it), for at most
    two parties, on spaces of any size (each ANAC 2014 domain, up to 10^40
    packages, in well under a minute). There each vector's ties are listed by the branch and
    bound (the lowest indices, exactly) or, when rectangle bonuses stay loose
    across factors and HiGHS finds the vectors, as the packages that differ from
    the one found only by options no utility tells apart (ascending; on such
    spaces a vector is typically reached by astronomically many packages, so
    ``ties_truncated`` is then true: the listed ones are the vector's packages,
    not necessarily the lowest). ``time_budget`` (seconds) bounds the sweep:
    when it runs out, the vectors proven so far are returned (each on the
    frontier, its ties perhaps not all listed) and ``complete`` is false.

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
    >>> bg.pareto_frontier(p, method="search").indices.tolist()
    [0, 1, 2]
    """
    problem = require_discrete(problem, "pareto_frontier")
    utility_tol = check_real(utility_tol, "pareto_frontier: utility_tol", minimum=0.0)
    max_ties = check_int(max_ties, "pareto_frontier: max_ties", minimum=1)
    method = check_choice(method, "pareto_frontier", "method", METHODS)
    if time_budget is not None:
        time_budget = check_real(time_budget, "pareto_frontier: time_budget", minimum=0.0)
    small = None if method == "search" else engine.small_space(problem, utility_tol)
    if small is not None and small.indices.size <= WHOLE_ROWS:  # shared with the concepts
        keep = engine.pareto_mask(small.utilities, tol=utility_tol)
        columns = small.utilities.T  # (C-contiguous: compressed along its rows far faster)
        return _listed(
            problem,
            small.indices.compress(keep),
            columns.compress(keep, axis=1).T,
            utility_tol,
            max_ties,
        )
    start = time.perf_counter()
    deadline = math.inf if time_budget is None else start + time_budget
    compiled_problem = None if method == "search" else _enumerable(problem)
    complete = True
    if compiled_problem is None:
        indices, complete = _sweep(problem, utility_tol, deadline)
    elif compiled_problem.indexable and compiled_problem.allowed_size <= JUDGED_WHOLE_ALLOWED:
        # every allowed package, judged once below
        _, every = engine._sum_rows(compiled_problem.factors, compiled_problem.n_parties)
        indices = np.sort(every)
    else:
        indices = np.sort(_frontier_indices(compiled_problem, utility_tol))
    # the final decisions are taken on the reported utilities (the one summation order)
    utilities = problem.utilities_of(indices)
    keep = engine.rational((utilities - problem.disagreement).T, utility_tol)
    indices, utilities = indices[keep], utilities[keep]
    keep = engine.pareto_mask(utilities, tol=utility_tol)
    indices, utilities = indices[keep], utilities[keep]
    truncated = False
    if compiled_problem is None:  # one package of each vector: list its ties
        first = _first_per_vector(engine.vector_ids(utilities, utility_tol), 1)
        indices, truncated, listed = _ties(problem, indices[first], utility_tol, max_ties, deadline)
        complete = complete and listed
        utilities = problem.utilities_of(indices)
    return _listed(problem, indices, utilities, utility_tol, max_ties, truncated, complete)


def _listed(
    problem: Problem,
    indices: np.ndarray,
    utilities: np.ndarray,
    utility_tol: float,
    max_ties: int,
    truncated: bool = False,
    complete: bool = True,
) -> Frontier:
    """The frontier of these packages, at most ``max_ties`` listed per utility vector."""
    if indices.size > max_ties:  # else no vector can have more packages
        listed = _first_per_vector(engine.vector_ids(utilities, utility_tol), max_ties)
        indices, utilities = indices[listed], utilities[listed]
        truncated = truncated or not bool(np.all(listed))
    return Frontier(
        problem=problem,
        indices=indices,
        utilities=utilities,
        ties_truncated=truncated,
        complete=complete,
        utility_tol=utility_tol,
    )


def _enumerable(problem: Problem) -> engine.Compiled | None:
    """The compiled problem when the frontier is enumerated or grown factor by factor,
    ``None`` when it must be swept: capped utilities on more than
    :data:`CAPPED_FRONTIER_LIMIT` allowed packages, or non-additive terms linking
    more issues than the memory budget can enumerate."""
    capped = not problem.additive and bool(np.any(problem.cap < np.inf))
    if capped and not problem.rules and problem.space.size > CAPPED_FRONTIER_LIMIT:
        return None  # every package is allowed: decided before compiling
    try:
        compiled_problem = engine.compiled(problem)
    except SolverError:
        if problem.additive:
            raise  # red lines alone link too many issues
        return None
    if compiled_problem.cap is not None and compiled_problem.allowed_size > CAPPED_FRONTIER_LIMIT:
        return None
    return compiled_problem


def _first_per_vector(vector: np.ndarray, max_ties: int) -> np.ndarray:
    """Mask of the first ``max_ties`` rows of each vector id (rows in index order)."""
    order = np.argsort(vector, kind="stable")
    sorted_ids = vector[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    rank = np.arange(vector.size) - np.repeat(starts, np.diff(np.r_[starts, vector.size]))
    listed = np.empty(vector.size, dtype=bool)
    listed[order] = rank < max_ties
    return listed


WHOLE_ROWS = 4096
"""A space held whole (:func:`bargain.engine.small_space`) with at most this many rational
packages has them judged at once; with more, growing the frontier factor by factor
prunes more than it costs (the space held whole still serves the concepts)."""

JUDGED_WHOLE_ALLOWED = 1024
"""A space not held whole (see :data:`bargain.engine.HELD_WHOLE_PACKAGES`) with at most this
many allowed packages has them all judged at once, on their reported utilities: below it,
filtering factor by factor costs more numpy calls than it saves."""

CAPPED_FRONTIER_LIMIT = 2**22
"""Allowed packages at most for which the frontier of a problem with capped utilities is
judged over every package (a cap can make packages that another one dominates tie with
it, so nothing is pruned early); above it the frontier is swept by search."""


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
        reachable = engine.rational(gains + best_rest[:, f + 1 : f + 2], utility_tol)
        gains, offsets = gains.compress(reachable, axis=1), offsets[reachable]
        if capped:
            continue  # decided on the reported utilities at the end
        keep = engine.pareto_mask(gains.T, tol=utility_tol)
        gains, offsets = gains.compress(keep, axis=1), offsets[keep]
    return offsets


def _sweep(problem: Problem, utility_tol: float, deadline: float) -> tuple[np.ndarray, bool]:
    """One package per frontier vector (and perhaps some dominated ones), by the sweep of
    the module docstring: ``(indices in an object array, complete)``."""
    n = problem.n_parties
    if n > 2:
        raise ValidationError(
            f"pareto_frontier: this problem has {n} parties; a frontier that is not enumerated "
            f"(capped utilities on more than {CAPPED_FRONTIER_LIMIT} packages, non-additive "
            "terms linking more issues than the memory budget allows, or method='search') "
            "is swept by search for at most 2 parties"
        )
    compiled_problem = engine.compiled(problem, loose=True, lean=True)
    classes, units = None, None
    if compiled_problem.loose:
        units = _integer_units(problem, compiled_problem)
        if units is not None:
            compiled_problem = _scaled(compiled_problem, units)
        classes = milp.option_classes(compiled_problem)
    d = compiled_problem.disagreement
    tol = utility_tol * (np.ones(n) if units is None else units)  # in the solver's units

    def shift(levels: np.ndarray) -> np.ndarray:
        """The move of the disagreement point after which the solvers' rationality test
        (every gain above DEFAULT_UTILITY_TOLERANCE) asks for utilities above ``levels``
        by more than the tolerance; in integer units, a bound half a unit below the
        smallest integer that qualifies."""
        if units is not None:
            levels = np.floor(levels + tol) + 0.5
            return levels - engine.DEFAULT_UTILITY_TOLERANCE - d
        return levels + tol - engine.DEFAULT_UTILITY_TOLERANCE - d

    found: list[int] = []
    # The last party's best utility: the sweep stops there (rather than proving that
    # nothing is left, often the hardest solve).
    move = shift(d)
    # In integer units every bound is half a unit from every package: HiGHS's default
    # tolerance is safe there; otherwise bounds sit 1e-9 from packages.
    feasibility = milp.FEASIBILITY if units is None else HIGHS_MIP_FEASIBILITY
    highs = (classes, feasibility)
    top = _best(compiled_problem, move, n - 1, deadline, highs)
    if top is None or not top.found:
        return _packages(found), top is not None
    found.append(top.indices[0])
    ceiling = top.score + move[-1] + d[-1]
    while n == 2:
        best = _best(compiled_problem, move, 0, deadline, highs)
        if best is None:  # the first and the last package found may be dominated
            return _packages(found[1:-1]), False
        if not best.found:
            break
        found.append(best.indices[0])
        utility = best.gains[1, 0] + move[1] + d[1]
        if utility >= ceiling - tol[1]:
            break
        move = shift(np.array([d[0], utility]))
    return _packages(found), True


def _integer_units(problem: Problem, compiled_problem: engine.Compiled) -> np.ndarray | None:
    """Per party, a multiplier making every utility contribution and bonus an integer (and
    the cap too, when there is one), or ``None`` when some party has none: the party's
    ``maximum`` (GENIUS files: integer bonuses over ``maxutility``) times the first of
    :data:`UNIT_FACTORS` that works (dyadic or decimal values). In those units every
    package's utility is an integer, and a bound half a unit away from one is far from
    every package, for HiGHS's tolerances too."""
    units = np.asarray(problem.maximum, dtype=float).copy()
    cap = compiled_problem.cap
    for j in range(problem.n_parties):
        values = [f.contrib[j] for f in compiled_problem.factors]
        values += [np.array([t.bonus]) for t in compiled_problem.loose if t.party == j]
        if cap is not None and np.isfinite(cap[j]):
            values.append(cap[j : j + 1])
        values = np.concatenate(values) * units[j]
        for factor in UNIT_FACTORS:
            scaled = values * factor
            if np.all(np.abs(scaled - np.round(scaled)) <= INTEGER_SLACK * (1 + np.abs(scaled))):
                units[j] *= factor
                break
        else:
            return None
    return units


UNIT_FACTORS = (1.0, 2.0, 4.0, 8.0, 16.0, 10.0, 100.0, 1000.0, 2.0**10, 10.0**4, 2.0**16)
"""Multipliers tried (after the ``maximum``) to make a party's utilities integers."""


INTEGER_SLACK = 1e-9
"""Relative rounding within which a utility in integer units counts as an integer."""

HIGHS_MIP_FEASIBILITY = 1e-6
"""HiGHS's ``mip_feasibility_tolerance`` in the sweep (its default; in integer units
every bound is half a unit from every package). Measured in the sweep's programs: with
it at 1e-10 (then :data:`bargain.milp.FEASIBILITY`) and floors at 1e-9 above packages, HiGHS
returned packages that are not optimal with an "optimal" status (2 of 90 generated
rectangle problems, 2 parties, 5-7 issues) and called feasible programs infeasible."""


def _scaled(compiled_problem: engine.Compiled, units: np.ndarray) -> engine.Compiled:
    """Every party's utilities times its unit multiplier."""
    cap = compiled_problem.cap
    return dataclasses.replace(
        compiled_problem,
        factors=tuple(
            dataclasses.replace(f, contrib=f.contrib * units[:, None])
            for f in compiled_problem.factors
        ),
        loose=tuple(
            dataclasses.replace(t, bonus=t.bonus * units[t.party]) for t in compiled_problem.loose
        ),
        disagreement=compiled_problem.disagreement * units,
        cap=None if cap is None else cap * units,
    )


def _packages(found: list[int]) -> np.ndarray:
    indices = np.empty(len(found), dtype=object)
    indices[:] = found
    return indices


def _best(
    compiled_problem: engine.Compiled, shift: np.ndarray, party: int, deadline: float, highs
) -> engine.Best | None:
    """A package with party ``party``'s best gain over the disagreement point moved by
    ``shift`` (score and gains over that point) by the engine's exact solvers: HiGHS when
    rectangle bonuses stay loose across factors (``highs``: the problem's
    :func:`bargain.milp.option_classes` and the MIP feasibility tolerance), else the
    branch and bound. ``None`` when the deadline stopped the solver before it proved
    the optimum."""
    classes, feasibility = highs
    shifted = dataclasses.replace(
        compiled_problem, disagreement=compiled_problem.disagreement + shift
    )
    criterion = Linear(np.eye(shifted.n_parties)[party])
    if compiled_problem.loose:
        result = milp.solve(
            shifted,
            criterion,
            tie_tol=engine.DEFAULT_TIE_TOLERANCE,
            max_ties=milp.TIE_SOLVES,  # never None: it lists TIE_SOLVES ties at most
            deadline=deadline,
            value_only=True,
            classes=classes,
            mip_feasibility=feasibility,
        )
        score, listed, _, _, optimal, _ = result
        if not optimal:
            return None
        indices = _packages([index for index, _ in listed[:1]])
        gains = np.array([g for _, g in listed[:1]]).T.reshape(shifted.n_parties, -1)
        return engine.Best(score, indices, gains, False, 0)
    found = search.best_search(shifted, criterion, max_ties=1, time_budget=_remaining(deadline))
    return found if found.optimal else None


def _remaining(deadline: float) -> float | None:
    return None if deadline == math.inf else max(0.0, deadline - time.perf_counter())


def _ties(
    problem: Problem, indices: np.ndarray, utility_tol: float, max_ties: int, deadline: float
) -> tuple[np.ndarray, bool, bool]:
    """The packages of each swept frontier vector (one package of each given), at most
    ``max_ties`` per vector: ``(indices ascending, truncated, complete)``. The branch and
    bound lists the lowest indices among the packages within ``utility_tol`` of the
    vector on every party; with loose bonuses, the packages interchangeable with the one
    found (:func:`bargain.milp.interchangeable`) are listed, and the list is truncated."""
    compiled_problem = engine.compiled(problem, loose=True)
    classes = milp.option_classes(compiled_problem) if compiled_problem.loose else None
    listed: list[int] = []
    truncated = False
    for index in indices:
        if compiled_problem.loose:
            positions = problem.space.options_of(int(index))
            listed += milp.interchangeable(compiled_problem, positions, max_ties, classes)
            truncated = True
            continue
        gains = problem.utilities_of(_packages([index]))[0] - problem.disagreement
        # every party within utility_tol of the vector (less a hair against rounding)
        shift = gains - utility_tol - engine.DEFAULT_UTILITY_TOLERANCE
        shift -= search.BOUND_SLACK * (1.0 + np.abs(gains))
        shifted = dataclasses.replace(
            compiled_problem, disagreement=compiled_problem.disagreement + shift
        )
        found = search.best_search(
            shifted,
            Linear(np.eye(problem.n_parties)[-1]),
            tie_tol=utility_tol,
            max_ties=max_ties,
            time_budget=_remaining(deadline),
        )
        if not found.optimal:
            return np.sort(_packages(listed)), True, False
        listed += [int(i) for i in found.indices]
        truncated = truncated or found.truncated
    return np.sort(_packages(listed)), truncated, True
