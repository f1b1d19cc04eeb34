"""What every concept shares: one validated options object, one way to find the best
packages for a criterion (blocks or the search), leximin, and the Solution."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import engine, milp, search
from .._checks import check_choice, check_int, check_progress, check_real
from ..criteria import Criterion, Level, Linear, MaxMin, Nash
from ..errors import BargainTypeError, SolverError, UnknownNameError, ValidationError
from ..problem import Problem
from ..solution import Solution

__all__ = ["AUTO_SEARCH_ABOVE", "METHODS", "SearchOptions"]

METHODS = ("auto", "blocks", "search")
"""How a concept may search: ``"blocks"`` scores every package in numpy blocks
(pruning whole blocks by bound), ``"search"`` is the branch and bound of
:mod:`bargain.search`, ``"auto"`` picks one."""

HYBRID_NODES: dict[type, int] = {Nash: 8000, Linear: 10000, MaxMin: 50000, Level: 10000}
"""Search nodes, per kind of criterion, after which a search whose bounds have not
closed the gap hands the criterion to HiGHS (:mod:`bargain.milp`), with its best
package as the incumbent. Measured (``bench_milp.py``, 8 parties x 12-30 issues):
Nash needs 25-60 nodes on ordinary instances, 671 on one (8 x 12, seed 2: 0.05 s,
where a hand-over at 500 cost 2.2 s); at the feasibility threshold (8 x 20, less 0.001
and 0.005), with the search for a rational package (:data:`bargain.search.RATIONAL_NODES`,
counted in) and its tangents re-optimized per node, it proves seeds 0-9 in 82-6,858 nodes
(0.04-2.3 s, 12 s for all 20, where a hand-over at 3,000 left 7 to HiGHS: 42 s; the
outer-approximation MILP 1.1-23 s each) and 18 of 20 held-out instances (seeds 10-19)
within 1,745; the other two go to HiGHS at 0.31-0.38x the MILP (0.27-0.33x at 3,000);
one party's gain (the ideal point) 20-6,500 nodes, at 25-50
thousand nodes a second, against 0.02-0.6 s for HiGHS, with rare outliers of
10^5 nodes (with 6 parties or more its rationality multipliers re-optimized per node,
nodes expanded in batches (:data:`bargain.search.BATCH_NODES`): at most 7,809 nodes, 0.5
s, on the Kalai–Smorodinsky ideal points of the benchmark's 4 and 8 parties x 7-30
issues, seeds 0-2; handed over at 5,000 that one took 0.4 s of search and 1.3 s of HiGHS,
and the 30 concepts 15.1 s in all against 12.4 s at 10,000);
max-min 300 (4 parties) to 500-1,700 nodes with prices re-optimized per
node (8 parties x 20 issues, 0.07-0.2 s, where HiGHS takes 1-4 s) and 1.2k-26.4k at 8 x 30
(0.15-2.0 s, three seeds), where handing over at 10^4 nodes cost 12-24 s: HiGHS's
maximum over the other packages, then its proof of no tie (against 6.4 and 7.6 s for the
plain MILP, which proves nothing about ties)."""

FEW_PARTIES_MAXMIN_NODES = 5000
""":data:`HYBRID_NODES` for :class:`MaxMin` with at most 4 parties, where the 50,000 (set
on 8 parties) let a slow search run long: 2 parties x 30 issues with one 10 x 10
interaction table, 0.8 ms a node (its 100-option factor), 41 s for 50,000 nodes where HiGHS
then took 0.66 s. On the benchmark's 2 and 4 parties x 7-30 issues (three seeds) no
max-min search of egalitarian or Kalai–Smorodinsky passes 3,300 nodes, and the MILP takes
at most 1.2 s there."""

AUTO_SEARCH_ABOVE = 2**16
"""``method="auto"`` uses the branch and bound on spaces of more allowed packages
than this (below it, scoring every block is as fast and has no set-up cost)."""


@dataclass(frozen=True)
class SearchOptions:
    """The validated solver options of every concept, on every path.

    ``tie_tol``, ``max_ties``, ``memory_budget``, ``prune`` and ``method`` are
    as for :func:`bargain.nash`; ``time_budget`` (seconds), ``node_budget``
    (search nodes) and ``progress`` (a callable) bound and report the search
    (and, for ``time_budget``, the lottery solver); ``start`` is a package index
    expected near the optimum (see :meth:`Run.best`).
    """

    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE
    max_ties: int = engine.DEFAULT_MAX_TIES
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET
    prune: bool = True
    method: str = "auto"
    time_budget: float | None = None
    node_budget: int | None = None
    progress: Callable[[dict[str, Any]], object] | None = None
    start: int | None = None

    @classmethod
    def checked(cls, concept: str, **options: Any) -> SearchOptions:
        """Every option checked, with a message naming ``concept``, the field and the rule."""
        for name, value in options.items():
            if value is not _DEFAULTS.get(name, _UNSET):
                return cls._check(concept, options)
        return _DEFAULT_OPTIONS  # the very default objects, checked once at import

    @classmethod
    def _check(cls, concept: str, options: dict[str, Any]) -> SearchOptions:
        unknown = [name for name in options if name not in cls.__dataclass_fields__]
        if unknown:
            raise UnknownNameError(f"{concept}: unknown option {unknown[0]!r}")
        merged = {**_DEFAULTS, **options}
        tie_tol = check_real(merged["tie_tol"], f"{concept}: tie_tol", minimum=0.0)
        for field, minimum in (("max_ties", 1), ("memory_budget", 2**16), ("node_budget", 1)):
            value = merged[field]
            if value is None and field == "node_budget":
                continue
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise BargainTypeError(f"{concept}: {field} must be an integer, got {value!r}")
            if value < minimum:
                raise ValidationError(f"{concept}: {field} must be >= {minimum}, got {value!r}")
            merged[field] = int(value)
        prune, method = merged["prune"], merged["method"]
        if not isinstance(prune, bool):
            raise BargainTypeError(f"{concept}: prune must be True or False, got {prune!r}")
        method = check_choice(method, concept, "method", METHODS)
        time_budget = merged["time_budget"]
        if time_budget is not None:
            time_budget = check_real(time_budget, f"{concept}: time_budget", minimum=0.0)
        progress = check_progress(merged["progress"], concept)
        start = merged["start"]
        if start is not None:
            start = check_int(start, f"{concept}: start", minimum=0)
        budgets = (time_budget, merged["node_budget"], progress) != (None, None, None)
        if budgets and (method == "blocks" or not prune):
            raise ValidationError(
                f"{concept}: time_budget, node_budget and progress apply to the search; they "
                f"cannot be combined with method={method!r}, prune={prune!r}"
            )
        if method == "search" and not prune:
            raise ValidationError(
                f"{concept}: prune=False means scoring every block; use method='blocks'"
            )
        return cls(
            tie_tol,
            merged["max_ties"],
            merged["memory_budget"],
            prune,
            method,
            time_budget,
            merged["node_budget"],
            progress,
            start,
        )

    @property
    def budgeted(self) -> bool:
        return (self.time_budget, self.node_budget, self.progress) != (None, None, None)


_DEFAULTS = {field.name: field.default for field in dataclasses.fields(SearchOptions)}
"""Every option's default (``dataclasses.asdict`` would deep-copy them on every call)."""

_UNSET = object()

_DEFAULT_OPTIONS = SearchOptions._check("SearchOptions", {})
"""The default options, checked once (options given as the default objects are these)."""


class Run:
    """One concept's calls of the engine under one set of options: a shared
    deadline, the method chosen once, and what the calls proved."""

    def __init__(self, problem: Problem, concept: str, options: SearchOptions) -> None:
        self.problem, self.concept, self.options = problem, concept, options
        self.start = time.perf_counter()
        self.deadline = (
            math.inf if options.time_budget is None else self.start + options.time_budget
        )
        method = options.method
        size = problem.space.size
        if method == "auto":
            allowed = size  # no more are allowed: then no need to compile
            if allowed > AUTO_SEARCH_ABOVE:
                allowed = engine.compiled(problem, options.memory_budget, loose=True).allowed_size
            small = allowed <= AUTO_SEARCH_ABOVE and not options.budgeted
            method = "blocks" if not options.prune or small else "search"
        if method == "blocks" and not size < 2**63:
            raise ValidationError(
                f"{concept}: method='blocks' needs a space of fewer than 2**63 packages, this "
                f"one has {problem.space.size}; use method='search' (or 'auto')"
            )
        self.method = method
        self.start_gains = _start_gains(problem, options.start)  # (once for every call)
        self.optimal = True
        self.gap = 0.0
        self.nodes = 0
        self.scored = 0
        self.highs = False

    def best(
        self,
        criterion: Criterion,
        value_only: bool = False,
        first_tie: bool = False,
        known: np.ndarray | None = None,
    ) -> engine.Best:
        """The best rational packages for ``criterion`` (within the shared budgets);
        with ``value_only`` the caller needs the best score only (ties may be cut short),
        with ``first_tie`` the best and whether it is alone (the list may be cut short,
        ``truncated``, at its first tie); ``known``, the gains of a rational package the
        caller has (e.g. the previous leximin level's), bounds HiGHS's programs. Without
        it the ``start`` option's package, where it is rational, is the known one (the
        analyses pass their base package: Nash's robustness draws on ANAC 2014's 10- and
        30-issue domains took 0.56 and 0.68 of the time, 20 draws each; its score bounds the
        program and its gains seed Nash's tangents, where the search's heuristic's would).
        The branch and bound starts from it in place of its heuristic's package (see
        :func:`bargain.search.best_search`)."""
        options = self.options
        if self.method == "blocks":
            small = engine.small_space(self.problem, memory_budget=options.memory_budget)
            if small is not None:  # every package at once, shared with the frontier
                found = engine.small_argmax(
                    small, criterion.value, tie_tol=options.tie_tol, max_ties=options.max_ties
                )
            else:
                found = engine.argmax(
                    engine.compiled(self.problem, options.memory_budget),
                    criterion.value,
                    tie_tol=options.tie_tol,
                    max_ties=options.max_ties,
                    memory_budget=options.memory_budget,
                    prune=options.prune,
                )
            self.scored += found.scored
            return found
        compiled = engine.compiled(self.problem, options.memory_budget, loose=True)
        highs = milp.supports(criterion)
        if highs and compiled.loose:
            if known is None:
                known = self.start_gains
            if known is None and isinstance(criterion, Nash):  # the search's heuristic
                heuristic = search.incumbent(compiled, criterion)
                known = None if heuristic is None else heuristic[1]
            found = self._highs(criterion, value_only, first_tie, known=known)
            if found is not None and (found.found or known is None):
                return found
            # Else HiGHS found no package where numpy has one (``known``): its tolerances
            # failed it (seen on Kalai–Smorodinsky's leximin levels with an ideal gain near
            # the utility tolerance, 1e-9, scaling gains by 1e9), or its time ran out.
        elif highs and (options.node_budget or math.inf) > self._hybrid_nodes(criterion):
            # The search first; HiGHS only when the search's bounds are not enough.
            found = self._search(compiled, criterion, self._hybrid_nodes(criterion))
            if found.optimal or time.perf_counter() >= self.deadline:
                return self._proved(found)
            incumbent = int(found.indices[0]) if found.found else None
            handed = self._highs(criterion, value_only, first_tie, incumbent, found.gap)
            if handed is not None:
                return handed
        # The branch and bound alone, or where HiGHS failed (None: every retry failed) or
        # was contradicted: in numpy, within what is left of the budget.
        return self._proved(self._search(compiled, criterion, options.node_budget))

    def _hybrid_nodes(self, criterion: Criterion) -> int:
        """The search's nodes before HiGHS takes ``criterion`` over (:data:`HYBRID_NODES`)."""
        nodes = HYBRID_NODES[type(criterion)]
        if isinstance(criterion, MaxMin) and self.problem.n_parties <= 4:
            return min(nodes, FEW_PARTIES_MAXMIN_NODES)
        return nodes

    def _search(self, compiled: engine.Compiled, criterion: Criterion, nodes: int | None):
        options = self.options
        remaining = None
        if options.time_budget is not None:
            remaining = max(0.0, self.deadline - time.perf_counter())
        found = search.best_search(
            compiled,
            criterion,
            tie_tol=options.tie_tol,
            max_ties=options.max_ties,
            memory_budget=options.memory_budget,
            time_budget=remaining,
            node_budget=nodes,
            progress=options.progress,
            from_package=None if self.start_gains is None else (options.start, self.start_gains),
        )
        self.nodes += found.nodes
        self.scored += found.scored
        return found

    def _proved(self, found: search.SearchBest) -> search.SearchBest:
        """Record what ``found`` proves (optimal, gap) and return it."""
        if not found.optimal:
            self.optimal = False
            self.gap = max(self.gap, found.gap)
        return found

    def _highs(
        self,
        criterion: Criterion,
        value_only: bool,
        first_tie: bool,
        incumbent: int | None = None,
        incumbent_gap: float = math.inf,
        known: np.ndarray | None = None,
    ) -> engine.Best | None:
        """:func:`bargain.milp.solve` as a search result, or None where HiGHS failed on a
        program at every retry (:class:`~bargain.SolverError`: measured on egalitarian with
        weights 1e-6 and 1e4, a range of 1e10 in the program's coefficients; the caller's
        branch and bound then decides);
        ``incumbent`` is the search's best package, ``incumbent_gap`` the search's gap,
        ``known`` a rational package's gains (see :func:`bargain.milp.solve`).

        The programs run on the problem's lean form (rectangles left loose rather than
        folded into joint tables: fewer binaries; measured on 2 x 40 x 10 with 300
        rectangles per party, the utilitarian program 0.67-0.74 -> 0.25 s, max-min 1.4-1.5
        -> 1.0-1.1 s), its classes of interchangeable options kept on the problem (15 ms
        a solve with 100 rectangles per party).

        A ``progress`` callback is called once, at the end (HiGHS reports nothing on the
        way through scipy): the method never depends on it (on 2 x 40 x 10 with 100
        rectangles per party, Nash with ``progress`` once ran the branch and bound
        alone, not optimal after 20 s, where HiGHS proves it in 0.6 s)."""
        started = time.perf_counter()
        n = self.problem.n_parties
        compiled = engine.compiled(self.problem, self.options.memory_budget, loose=True, lean=True)
        classes = self.problem.cached(
            "milp.option_classes.lean", lambda: milp.option_classes(compiled)
        )
        try:
            result = milp.solve(
                compiled,
                criterion,
                classes=classes,
                tie_tol=self.options.tie_tol,
                max_ties=self.options.max_ties,
                deadline=self.deadline,
                value_only=value_only,
                first_tie=first_tie,
                incumbent=incumbent,
                known=known,
            )
        except SolverError:
            return None
        score, listed, truncated, _, optimal, gap = result
        self.highs = True
        gap = 0.0 if optimal else min(gap, incumbent_gap)
        if not optimal:
            self.optimal = False
            self.gap = max(self.gap, gap)
        if self.options.progress is not None:
            self.options.progress(
                {
                    "nodes": 0,
                    "leaves": 0,
                    "scored": 0,
                    "best": score,
                    "bound": score + gap,
                    "elapsed": time.perf_counter() - started,
                }
            )
        indices = np.empty(len(listed), dtype=object)
        indices[:] = [index for index, _ in listed]
        gains = np.array([g for _, g in listed]).T if listed else np.empty((n, 0))
        return engine.Best(score, indices, gains, truncated, 0)

    def solution(self, found: engine.Best, **stats: Any) -> Solution:
        """``found`` as the concept's Solution, with what the run proved."""
        stats = {"method": self.method, "scored": self.scored, **stats}
        if self.highs:
            stats["method"] = "search, HiGHS"
        if self.method == "search":
            stats["nodes"] = self.nodes
        else:
            stats["pruned"] = self.options.prune
        return package_solution(self.problem, self.concept, found, stats, self.optimal, self.gap)


def _start_gains(problem: Problem, start: int | None) -> np.ndarray | None:
    """The gains of the ``start`` option's package, or None (none given, or it is not
    allowed or not rational here, every gain above the model's utility tolerance as the
    engine judges it: then it tells nothing)."""
    if start is None or not problem.allowed(start):
        return None
    gains = problem.utilities(start) - problem.disagreement
    return gains if engine.rational(gains) else None


def ideal_gains(n: int, maximize: Callable[[Criterion], float]) -> np.ndarray:
    """The Kalai–Smorodinsky ideal point, as gains over disagreement: party ``j``'s
    best gain, ``maximize(Linear(e_j))``, over whatever feasible set ``maximize``
    searches (packages, lotteries, continuous pieces). The one place it is computed. A
    best gain of ``-inf`` means no feasible point at all: every other party's is ``-inf``
    too, and is not searched for (8 parties x 20 issues with no rational package: eight
    proofs, 1.0 s, where one does)."""
    gains = np.full(n, -math.inf)
    for j in range(n):
        gains[j] = maximize(Linear(np.eye(n)[j]))
        if gains[j] == -math.inf:
            break
    return gains


def leximin(run: Run, scale: np.ndarray, **stats: Any) -> Solution:
    """The rational package maximizing ``min_j gain_j / scale_j``, ties broken leximin.

    Level 0 is :class:`~bargain.criteria.MaxMin`; when a level's ties all fit
    in ``max_ties`` (and are proven to be all of them) the next levels are
    resolved among them in memory, otherwise by the engine again with
    :class:`~bargain.criteria.Level` (the earlier levels' optima, less
    ``tie_tol``, as floors): a list of ties HiGHS did not prove complete may miss
    the level's leximin-best package. So on a level two or more before the last,
    HiGHS stops at the first tie (``first_tie``): more ties would not spare the next
    level's program. The level just before the last asks HiGHS for its value alone
    (``value_only``) and the last always runs: cheaper than proving that level alone
    first, which spares only the last (measured on egalitarian and Kalai–Smorodinsky,
    2 parties x 40 issues x 10 values with 100 and 300 rectangles per party, seeds 0-4:
    23.2 s for the 20 solves, against 27.2 s; 3 parties x 30 issues x 10 values with 60
    and 150 rectangles, seeds 0-2: 59.4 s for 12, against 66.2 s; ANAC 2014's 10-50 issue
    domains, 12 solves: 3.26-3.52 s against 3.20-3.39 s, within this machine's noise).
    A level after the first hands HiGHS the previous level's package, which reaches its
    floors: its score bounds the program from the start (measured on 3 parties x 30
    issues x 10 values with 60 and 150 rectangles, seeds 0-2: egalitarian 20.4 s against
    22.4 s, Kalai–Smorodinsky 47.6 s against 51.6 s; see :mod:`bargain.milp`). The branch
    and bound ignores ``value_only``, ``first_tie`` and the known package: it lists the
    ties it proves.
    """
    n = run.problem.n_parties
    tie_tol = run.options.tie_tol

    def asked(level: int) -> dict[str, bool]:
        # next level the last: its value; earlier: whether it is alone; the last: its ties
        return {"value_only": level + 2 == n, "first_tie": level + 2 < n}

    found = run.best(MaxMin(scale), **asked(0))
    best, indices, gains, truncated = found.score, found.indices, found.gains, found.truncated
    floors: list[float] = []
    level = 0
    while (indices.size > 1 or truncated) and level + 1 < n:
        floors.append(best - tie_tol)
        level += 1
        if truncated:  # the level's ties are not all at hand (perhaps not all found)
            # (the previous level's package reaches the floors: it bounds HiGHS's program)
            criterion = Level(scale, level, tuple(floors))
            found = run.best(criterion, **asked(level), known=gains[:, 0])
            if not found.found:
                # The previous level's package reaches every floor, so only a stop (the
                # budget) finds none: keep the levels resolved so far (not optimal) rather
                # than reporting no deal.
                run.optimal = False
                break
            best, indices, gains = found.score, found.indices, found.gains
            truncated = found.truncated
        else:
            ordered = np.sort(gains / scale[:, None], axis=0)[level]
            best = float(ordered.max())
            keep = ordered >= best - tie_tol
            indices, gains = indices[keep], gains[:, keep]
    score = float(np.min(gains[:, 0] / scale)) if indices.size else -math.inf
    return run.solution(engine.Best(score, indices, gains, truncated, 0), leximin=True, **stats)


TIE_PAIRS_LIMIT = 64
"""Tie sets of at most this many packages are compared pair by pair, every set at once
(:func:`tie_rule`); a larger one by :func:`bargain.engine.pareto_mask`, alone."""

TIE_PAIRS_CHUNK = 2**18
"""Pairs of tied packages compared at once at most (:func:`tie_rule`; memory)."""


def tie_rule(
    concept: str,
    gains: np.ndarray,
    powers: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """The tie rule of ``concept``, its one home (the solvers and every analysis call it):
    which of the packages tying for its criterion it may choose; it chooses the lowest
    index among them.

    ``gains`` ``(n, m)`` are those packages' gains over disagreement, ``groups`` ``(m,)``,
    non-decreasing, which tie set each belongs to (an analysis's draws; None: one set),
    ``powers`` the bargaining powers, ``(n,)`` or one column per package. Returns a mask
    ``(m,)`` that keeps at least one package of every set:

    1. Nash: a party of power 0 does not weigh in the product, so packages differing in
       what it gets tie; the limit of small positive powers breaks these ties by those
       parties' own Nash product, within :data:`bargain.engine.DEFAULT_TIE_TOLERANCE`
       (the analyses' tolerance: the rule is the same whatever a solve's ``tie_tol``).
    2. Every concept: a package Pareto-dominated by another of its set, judged with the
       model's utility tolerance as :func:`bargain.engine.pareto_mask` judges (the
       frontier's rule), is dropped. A tie tolerance on the criterion's value (a log Nash
       product, normalized or weighted gains) can swallow a real difference of utilities
       at large utilities or weights: ``[[2e9, 3e9], [2e9, 3e9 + 1]]`` tie for Nash.

    >>> tie_rule("nash", np.array([[2e9, 2e9], [3e9, 3e9 + 1]]))
    array([False,  True])
    >>> gains, sets = np.array([[3.0, 3.0, 2.0], [1.0, 5.0, 5.0]]), np.array([0, 0, 1])
    >>> tie_rule("nash", gains, np.array([1.0, 0.0]), sets)
    array([False,  True,  True])
    """
    m = gains.shape[1]
    keep = np.ones(m, dtype=bool)
    if m < 2:
        return keep
    if groups is None:
        groups = np.zeros(m, dtype=np.intp)
    if concept == "nash" and powers is not None:
        keep = _zero_powers_best(gains, np.asarray(powers), groups)
    members = np.flatnonzero(keep)
    first, sizes = _runs(groups[members])
    for start, size in zip(first[sizes > TIE_PAIRS_LIMIT], sizes[sizes > TIE_PAIRS_LIMIT]):
        at = members[start : start + size]
        keep[at] = engine.pareto_mask(gains[:, at].T)
    paired = (sizes > 1) & (sizes <= TIE_PAIRS_LIMIT)
    _undominated_pairs(gains, keep, members, first[paired], sizes[paired])
    return keep


def _zero_powers_best(gains: np.ndarray, powers: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Step 1 of :func:`tie_rule`: per set, the packages whose parties of power 0 have the
    best Nash product (all of them where no party has power 0)."""
    zero = powers == 0
    if not zero.any():
        return np.ones(gains.shape[1], dtype=bool)
    if zero.ndim == 1:
        zero = np.broadcast_to(zero[:, None], gains.shape)
    second = np.zeros(gains.shape[1])
    patterns, which = np.unique(zero.T, axis=0, return_inverse=True)
    for k, pattern in enumerate(patterns):  # (a set's packages share its powers)
        if pattern.any():
            at = which.reshape(-1) == k
            second[at] = Nash(pattern.astype(float)).value(gains[:, at])
    first, sizes = _runs(groups)
    top = np.repeat(np.maximum.reduceat(second, first), sizes)
    return second >= top - engine.DEFAULT_TIE_TOLERANCE


def _runs(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of ``ids`` (at least one) starts, and its length."""
    starts = np.empty(ids.size, dtype=bool)
    starts[0] = True
    np.not_equal(ids[1:], ids[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    return first, np.diff(first, append=ids.size)


def _undominated_pairs(gains, keep, members, first, sizes) -> None:
    """Step 2 of :func:`tie_rule` on sets of 2 to :data:`TIE_PAIRS_LIMIT` packages
    (``keep[members[first[s]:first[s] + sizes[s]]]``, all kept so far), every pair of a set
    at once: unset ``keep`` where another package of the set dominates. Where no two
    utilities of a set lie within the tolerance without being equal, the tolerance's
    classes are the values themselves, as :func:`bargain.engine.pareto_mask` finds; a set
    with such a near tie is left to it."""
    tol = engine.DEFAULT_UTILITY_TOLERANCE
    tied = gains[:, members]
    bounds = np.cumsum(sizes**2)
    low = 0
    while low < sizes.size:  # chunks of sets holding at most TIE_PAIRS_CHUNK pairs
        base = bounds[low - 1] if low else 0
        high = max(low + 1, int(np.searchsorted(bounds, base + TIE_PAIRS_CHUNK, "right")))
        chunk_first, chunk_sizes = first[low:high], sizes[low:high]
        # every ordered pair (a, b) of each set, as positions in ``members``
        a = np.repeat(_ranges(chunk_first, chunk_sizes), np.repeat(chunk_sizes, chunk_sizes))
        b = _ranges(np.repeat(chunk_first, chunk_sizes), np.repeat(chunk_sizes, chunk_sizes))
        at_least = np.ones(a.size, dtype=bool)
        better = np.zeros(a.size, dtype=bool)
        near = np.zeros(a.size, dtype=bool)
        for row in tied:  # party by party (along the long axis)
            step = row[b] - row[a]
            at_least &= step >= 0
            better |= step > 0
            step = np.abs(step)
            near |= (step <= tol) & (step > 0)
        dominated = at_least & better  # package a by package b
        if near.any():
            pair_set = np.repeat(np.arange(chunk_sizes.size), chunk_sizes**2)
            unsure = np.zeros(chunk_sizes.size, dtype=bool)
            unsure[pair_set[near]] = True
            dominated &= ~unsure[pair_set]
            for start, size in zip(chunk_first[unsure], chunk_sizes[unsure]):
                at = members[start : start + size]
                keep[at] = engine.pareto_mask(gains[:, at].T)
        keep[members[a[dominated]]] = False
        low = high


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``arange(starts[k], starts[k] + sizes[k])`` for every ``k``, concatenated."""
    offsets = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return offsets + np.arange(int(sizes.sum()))


def tie_ruled(found: engine.Best, concept: str, powers: np.ndarray) -> engine.Best:
    """``found`` less the ties :func:`tie_rule` drops (its first the package chosen)."""
    if found.indices.size < 2:
        return found
    keep = tie_rule(concept, found.gains, powers)
    if keep.all():
        return found
    return dataclasses.replace(
        found,
        indices=found.indices[keep],
        gains=found.gains[:, keep],
        utilities=found.utilities if keep[0] else None,
    )


def package_solution(
    problem: Problem,
    concept: str,
    found: engine.Best,
    stats: dict,
    optimal: bool = True,
    gap: float = 0.0,
) -> Solution:
    """Wrap the engine's best packages as a Solution: the ties are those :func:`tie_rule`
    keeps, the lowest of them chosen (``optimal`` and ``gap`` say what the run proved)."""
    found = tie_ruled(found, concept, problem.powers)
    names = problem.party_names
    if not found.found:
        return Solution(
            problem=problem,
            concept=concept,
            index=None,
            ties=(),
            utilities=dict(zip(names, map(float, problem.disagreement))),
            agreement=False,
            score=-math.inf,
            optimal=optimal,
            gap=gap,
            stats=stats,
        )
    ties = tuple(map(int, found.indices.tolist()))
    utilities = found.utilities
    if utilities is None:
        utilities = problem.utilities(ties[0])  # the one summation order
    return Solution(
        problem=problem,
        concept=concept,
        index=ties[0],
        ties=ties,
        utilities=dict(zip(names, utilities.tolist())),
        agreement=True,
        score=float(found.score),
        ties_truncated=found.truncated,
        optimal=optimal,
        gap=gap,
        stats=stats,
    )
