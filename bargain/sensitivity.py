"""How robust is a deal? Runners-up, tipping points, sweeps and Monte Carlo.

Every number of a problem is an analyst's judgement. This module answers "what
would change the answer?" exactly, and "how often does it change under my
uncertainty?" statistically:

* :func:`ranking` — the ``k`` best packages of a concept, with the gap to the best;
* :func:`tipping_points` — for every number, the nearest values below and above
  at which the chosen package changes, and the package that takes over;
* :func:`sweep` — one number moved over given values, with the exact breakpoints;
* :func:`robustness` — Monte Carlo over scipy.stats distributions on chosen
  numbers and/or a global :func:`noise` model, in process or on Dask.

Numbers are named by tuple *selectors*: ``(party, "disagreement")``,
``(party, "power")``, ``(party, "weight", issue)`` and
``(party, "value", issue, option)``. Utilities that are not additive keep what is
not such a number as it is while the numbers move: interaction tables, rectangle
bonuses, a party's maximum and cap (a party with a rectangle utility has only its
no-deal value and power as numbers).

How a draw is scored
--------------------
With the space fixed, a draw only changes numbers. The allowed packages (at
most :data:`ENUMERATE_LIMIT`) are listed once, as the product of the engine's
factors (issues, or issues linked by red lines, whose combinations cross no red
line). For a batch of draws the option tables are ``weight * value`` per draw,
each factor's contributions are gathered once, and the utilities of every
package for every draw are their broadcast sums: one addition per package,
party and draw, in a fixed order (a package's utilities never depend on its
batch); for a problem that is not additive, each package's fixed bonuses are
added and its maximum and cap applied as :meth:`bargain.Problem.utilities_of`
does. All packages are scored for all draws at once, and each draw takes the
concept's choice as the solver makes it: the packages within ``tie_tol`` of the
best (leximin levels for the egalitarian and Kalai–Smorodinsky solutions), then
the solver's tie rule (:func:`bargain.concepts.tie_rule`, called on the
draws whose ties are two or more, all at once), then the lowest index. Objectives
come from their one home: the engine's log Nash product, the utilitarian total,
the leximin order statistic.
Larger spaces are solved draw by draw with :func:`bargain.solve` (the branch
and bound for Nash).

Memory: a batch never holds more than ``memory_budget`` bytes of per-draw
package scores (:data:`DEFAULT_MEMORY_BUDGET`); draws stream in seeded blocks
of ``block_size`` through :func:`bargain.parallel.run_blocks`, so the same
``rng`` gives the same numbers bit for bit whatever the chunking or the number
of Dask workers. Only the per-draw package index and utilities are kept:
``8 * (n_parties + 1)`` bytes per draw (an index is an exact Python int, in an
object array, on spaces of 2**63 packages or more).

Draw by draw, where a solve's tie list is cut short (HiGHS lists the ties it found),
the package followed (the base package, or a tipping point's or sweep's current one)
is kept when the solver's package has the same utilities (:meth:`_Kernel.solved`).
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import engine, parallel
from ._checks import check_int, check_progress, check_real_array, counted
from .concepts import solve, tie_rule
from .concepts.registry import check_concept
from .criteria import Level, Linear, Nash
from .errors import (
    BargainTypeError,
    MissingDependencyError,
    SolverError,
    UnknownNameError,
    ValidationError,
)
from .problem import (
    Problem,
    Selector,
    add_terms,
    require_discrete,
    require_problem,
)
from .solution import Solution
from .space import OutcomeSpace
from .utility import AdditiveUtility

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "DEFAULT_MEMORY_BUDGET",
    "DEFAULT_REACH",
    "DEFAULT_TOLERANCE",
    "ENUMERATE_LIMIT",
    "FACE_NOISE",
    "LARGE_SPACE_DRAWS",
    "Noise",
    "Ranking",
    "Robustness",
    "Sweep",
    "TippingPoints",
    "face_draws",
    "noise",
    "ranking",
    "robustness",
    "sweep",
    "tipping_points",
]

ENUMERATE_LIMIT = 2**16
"""Spaces of at most this many allowed packages are scored as a whole per batch of
draws; larger ones are solved draw by draw (ranking: by partitioning the space)."""

LARGE_SPACE_DRAWS = 200
"""The draws the faces (``bargain robustness``, the report) make by default on a space too
large to score whole (:func:`scored_whole`), where every draw is a full solve: measured
0.2 s a draw on ANAC 2014's 10issuesDiscountedwithRV and 0.3-0.4 s on its
30issuesDiscountedwithRV (10,000 draws: about an hour)."""

FACE_NOISE = {"values": 0.05, "weights": 0.3, "disagreement": 0.05}
"""The global noise (:func:`noise`'s arguments) the faces draw (``bargain robustness``, the
report) for a scenario without ``uncertain`` notes."""

DEFAULT_MEMORY_BUDGET = 64 * 2**20
"""Bytes of per-draw package scores a batch may hold (64 MiB)."""

DEFAULT_BLOCK_SIZE = 1024
"""Draws per seeded block (fixes the random numbers: keep it when comparing runs)."""

DEFAULT_TOLERANCE = 1e-9
"""Width, in the number's own units, within which a tipping point is located."""

DEFAULT_REACH = 1000.0
"""How far an unbounded number (a value, a no-deal value, a weight or power upwards)
is explored from its current value by :func:`tipping_points`."""

SCAN_POINTS = 48
"""Points of the first round of the tipping-point search, spaced geometrically from
a tolerance away to the far end of the domain."""

REFINE_POINTS = 8
"""Points per later round: each narrows the bracket of the first change eightfold."""

CROSSING_POINTS = 63
"""Points per round where two packages alone are scored along one number (spaces too large
to list): each narrows the bracket of their crossing 64-fold."""

KINDS = {"disagreement": 2, "power": 2, "weight": 3, "value": 4}
"""Selector kinds and their tuple lengths."""

NONNEGATIVE = ("power", "weight")
"""Kinds whose numbers may not go below zero."""

BATCH_TARGET = 2**16
"""Draw-package pairs scored at once at most: a batch's arrays then stay near the
processor's cache (a tighter cap than ``memory_budget`` usually sets)."""

INNER_TARGET = 16
"""Packages per inner combination at most: outer combinations are then many and
small, so their bounds prune finely."""

PRUNED_BATCH = 64
"""Draws per batch when outer/inner bounds prune: small batches stay in the cache."""

TINY = 1e-300
"""Gains of packages already known not to be rational are raised to this before
scoring (their scores are then masked): no NaN ever enters the objective."""

SEEDS = 16
"""Packages best at the base numbers whose scores in each draw set the bar that
the outer/inner bound must reach."""


# -- the numbers of a problem --------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Every number of a discrete problem in one flat vector, and the way back.

    The vector holds the numbers in the order of :meth:`bargain.Problem.selectors`
    (the one home of selectors: names are checked there); ``disagreement`` and
    ``powers`` ``(n,)``, ``weights`` ``(m, K)`` and ``values`` ``(m, O)`` are positions in
    it, ``O`` the options of all issues, ``option_issue[o]`` the issue of option ``o``,
    and ``numbered`` the ``m`` parties with additive utilities (weights and values).
    The others (rectangle utilities) have no such numbers: their option tables are
    ``fixed`` ``(n, O)``. Interaction tables and rectangles spanning issues are not
    numbers either: :class:`_Kernel` adds them as they are, then each party's maximum
    and cap (see :meth:`bargain.Problem.utilities_of`).
    """

    problem: Problem
    base: np.ndarray
    index: dict
    disagreement: np.ndarray
    powers: np.ndarray
    weights: np.ndarray
    values: np.ndarray
    option_issue: np.ndarray
    option_offsets: tuple[int, ...]
    numbered: np.ndarray
    fixed: np.ndarray

    @classmethod
    def of(cls, problem: Problem, caller: str) -> _Layout:
        space = require_discrete(problem, caller).space
        every = problem.selectors()
        index = {selector: position for position, selector in enumerate(every)}
        base = np.array([problem.number(selector) for selector in every])
        base.setflags(write=False)
        names = problem.party_names
        sizes = space.sizes
        offsets = tuple(int(x) for x in np.concatenate([[0], np.cumsum(sizes)[:-1]]))
        numbered = np.array(
            [j for j, p in enumerate(problem.parties) if isinstance(p.utility, AdditiveUtility)],
            dtype=np.int64,
        )
        fixed = np.hstack(problem.tables) if sizes else np.zeros((len(names), 0))
        fixed[numbered] = 0.0  # drawn from the numbers instead
        fixed.setflags(write=False)
        options = sum(sizes)
        return cls(
            problem,
            base,
            index,
            np.array([index[(p, "disagreement")] for p in names]),
            np.array([index[(p, "power")] for p in names]),
            np.array(
                [[index[(names[j], "weight", i.name)] for i in space.issues] for j in numbered],
                dtype=np.int64,
            ).reshape(numbered.size, len(sizes)),
            np.array(
                [
                    [index[(names[j], "value", i.name, o)] for i in space.issues for o in i.options]
                    for j in numbered
                ],
                dtype=np.int64,
            ).reshape(numbered.size, options),
            np.repeat(np.arange(len(sizes)), sizes),
            offsets,
            numbered,
            fixed,
        )

    @property
    def space(self) -> OutcomeSpace:
        return self.problem.space

    @property
    def names(self) -> tuple[str, ...]:
        return self.problem.party_names

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def n_issues(self) -> int:
        return len(self.space.issues)

    @property
    def n_options(self) -> int:
        return int(self.option_issue.size)

    def split(self, theta: np.ndarray):
        """``(d (B, n), powers (B, n), weights (B, m, K), values (B, m, O))`` of rows."""
        return (
            theta[:, self.disagreement],
            theta[:, self.powers],
            theta[:, self.weights],
            theta[:, self.values],
        )

    def tables(self, theta: np.ndarray) -> np.ndarray:
        """Every party's option table ``(B, n, O)`` for each row of ``theta``: weight times
        value for the numbered parties, the fixed tables for the others."""
        _, _, weights, values = self.split(theta)
        drawn = weights[:, :, self.option_issue] * values
        if self.numbered.size == self.n:
            return drawn
        tables = np.repeat(self.fixed[None, :, :], theta.shape[0], axis=0)
        tables[:, self.numbered] = drawn
        return tables

    def position(self, selector: object, field: str) -> int:
        """Where ``selector`` lives in the vector; else the problem's own error (what a selector
        looks like, or what it names that does not exist), led by ``field``, the argument
        (``"sweep"``, ``"tipping_points: numbers[2]"``, ``"robustness: uncertainty"``)."""
        self.problem._parse(selector, field)  # the one home of selector checks
        if selector not in self.index:
            raise ValidationError(
                f"{field}: selector {selector!r} names an observer's number, which no "
                "solution depends on"
            )
        return self.index[selector]

    def selectors(self) -> list[Selector]:
        """Every selector, in vector order."""
        return list(self.index)

    def kind_positions(self, kind: str) -> np.ndarray:
        kinds = {
            "disagreement": self.disagreement,
            "power": self.powers,
            "weight": self.weights,
            "value": self.values,
        }
        return kinds[kind].reshape(-1)

    def problem_at(self, theta: np.ndarray) -> Problem:
        """The problem whose numbers are ``theta`` (a vector of the layout)."""
        d, powers, weights, values = self.split(theta[None, :])
        row = {int(j): r for r, j in enumerate(self.numbered)}
        parties = []
        for j, party in enumerate(self.problem.parties):
            utility = party.utility
            if j in row:
                r = row[j]
                per_issue = {
                    issue.name: values[0, r, self.option_issue == k].tolist()
                    for k, issue in enumerate(self.space.issues)
                }
                weight = {
                    issue.name: float(weights[0, r, k]) for k, issue in enumerate(self.space.issues)
                }
                utility = utility.replace(values=per_issue, weights=weight)
            parties.append(
                party.replace(
                    utility=utility, disagreement=float(d[0, j]), power=float(powers[0, j])
                )
            )
        return Problem(self.space, parties, self.problem.notes, self.problem.observers)


def _domain(kind: str, base: float, reach: float) -> tuple[float, float]:
    low = 0.0 if kind in NONNEGATIVE else base - reach
    return low, base + reach


# -- the batch scorer ----------------------------------------------------------------------


def scored_whole(problem: Problem) -> bool:
    """Whether the analyses score every allowed package of ``problem`` at once (at most
    :data:`ENUMERATE_LIMIT` of them, on a space of fewer than 2**63 packages: the listed
    indices are int64); otherwise every draw or point is a full solve."""
    problem = require_problem(problem, "scored_whole")
    compiled = engine.compiled(problem, loose=True)
    return compiled.indexable and compiled.allowed_size <= ENUMERATE_LIMIT


def face_draws(problem: Problem, whole: int) -> int:
    """The draws a face makes by default: ``whole`` where the space is scored whole,
    :data:`LARGE_SPACE_DRAWS` where every draw is a full solve."""
    problem = require_problem(problem, "face_draws")
    whole = check_int(whole, "face_draws: whole", minimum=1)
    return whole if scored_whole(problem) else LARGE_SPACE_DRAWS


@dataclass(frozen=True)
class _Kernel:
    """Chooses a concept's package for batches of number vectors (see the module docstring).

    The allowed packages are the product of the engine's factors, split into
    *outer* and *inner* factors: package ``o * n_inner + i`` is outer combination
    ``o`` with inner combination ``i``, and ``packages`` holds the package
    indices in that order (None when the space is too large to list: then every
    vector is solved by :func:`bargain.solve`). ``outer_columns[f]`` and
    ``inner_columns[f]`` hold, per combination of a factor, the option columns
    of its issues; ``seeds`` are a few packages good at the base numbers.
    ``terms`` ``(n, P)`` holds, for a problem that is not additive, each listed
    package's interaction and rectangle bonuses (no number changes them); None
    for an additive problem.

    ``reference`` is the package chosen at the base numbers (-1: no deal), the package
    :meth:`solved` prefers on spaces too large to list unless told another.
    """

    layout: _Layout
    concept: str
    tie_tol: float
    memory_budget: int
    packages: np.ndarray | None
    outer_columns: tuple[np.ndarray, ...] = ()
    inner_columns: tuple[np.ndarray, ...] = ()
    seeds: np.ndarray | None = None
    terms: np.ndarray | None = None
    reference: int = -1

    @classmethod
    def of(cls, problem: Problem, concept: str, caller: str, memory_budget: int) -> _Kernel:
        layout = _Layout.of(problem, caller)
        # (Only the factors' allowed combinations are used: non-additive terms are added
        # per package below, so they need not be folded into factors.)
        tol = engine.DEFAULT_TIE_TOLERANCE
        if scored_whole(problem):
            kernel = cls._listed(problem, layout, concept, tol, memory_budget)
        else:
            kernel = cls(layout, concept, tol, memory_budget, None)
        reference = kernel.choose(np.array(layout.base)[None, :])[0][0]
        return dataclasses.replace(kernel, reference=int(reference))

    @classmethod
    def _listed(cls, problem, layout, concept, tol, memory_budget) -> _Kernel:
        """The kernel of a space scored whole, with its seeds."""
        offsets = np.array(layout.option_offsets)
        factors = engine.compiled(problem, loose=True).factors
        split, inner = len(factors), 1
        while split > 0 and inner * factors[split - 1].size <= INNER_TARGET:
            split -= 1
            inner *= factors[split].size
        columns = [f.positions + offsets[list(f.issues)][None, :] for f in factors]
        packages = np.zeros(1, dtype=np.int64)
        for factor in factors:
            packages = (packages[:, None] + factor.offsets[None, :]).reshape(-1)
        terms = None
        if not problem.additive:
            terms = np.zeros((layout.n, packages.size))
            add_terms(terms, problem.space.decode(packages), problem.terms)
        kernel = cls(
            layout,
            concept,
            tol,
            memory_budget,
            packages,
            tuple(columns[:split]),
            tuple(columns[split:]),
            terms=terms,
        )
        scores = kernel.scores(np.array(layout.base))[0]
        seeds = np.argsort(-scores, kind="stable")[:SEEDS]
        return dataclasses.replace(kernel, seeds=seeds[np.isfinite(scores[seeds])])

    @property
    def listed(self) -> bool:
        return self.packages is not None

    def choose(
        self, theta: np.ndarray, exclude: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Chosen package index per row of ``theta`` (-1: no deal) and its utilities.

        ``exclude`` (listed spaces only) is a mask over :attr:`packages` of
        packages out of the running (a ranking's earlier picks); the ideal point
        of Kalai–Smorodinsky is still taken over all packages.
        """
        b, n = theta.shape[0], self.layout.n
        if not self.listed:
            return self._solve_each(theta)
        chosen = np.full(b, -1, dtype=np.int64)
        utilities = np.array(self.layout.split(theta)[0], dtype=float)
        size = self.packages.size
        if size == 0:
            return chosen, utilities
        step = max(1, min(self.memory_budget // (6 * n * size * 8), BATCH_TARGET // size))
        if exclude is None and self.concept != "kalai_smorodinsky":
            step = max(1, min(self.memory_budget // (6 * n * size * 8), PRUNED_BATCH))
        for start in range(0, b, step):
            part = slice(start, min(start + step, b))
            chosen[part], utilities[part] = self._choose_batch(theta[part], exclude)
        return chosen, utilities

    def _solve_each(self, theta):
        b, n = theta.shape[0], self.layout.n
        chosen = np.full(b, -1, dtype=self.layout.space.index_dtype)
        utilities = np.empty((b, n))
        for row in range(b):
            chosen[row], solution = self.solved(theta[row], self.reference, start=True)
            utilities[row] = [solution.utilities[name] for name in self.layout.names]
        return chosen, utilities

    def solved(self, theta: np.ndarray, prefer: int, start: bool = False) -> tuple[int, Solution]:
        """The package (-1: no deal) and :func:`bargain.solve`'s solution at the numbers
        ``theta``: the solver's package, or ``prefer`` (-1: none) where the solver's tie
        list is cut short and ``prefer`` has the same utilities (within the model's
        utility tolerance). The solver's package is then the lowest of the ties it
        *found*, not of all ties, and may change with the numbers while the utilities do
        not; a package with the same utilities is as good in every concept, so a flip
        between equal ties is not read as a change of answer. With ``start`` the solver starts
        from ``prefer`` (see :func:`bargain.nash`'s ``start``), as draws and sweeps do: the
        answer at nearby numbers is a good bound, and for Nash a good first tangent; so do
        the tipping points' scans point by point (Kalai–Smorodinsky, weights: on
        ``random_problem(2, 8, 10)`` every no-deal value, power and weight 25.9 -> 22.8 s,
        utilitarian weights of ``(3, 6, 10)`` 4.6 -> 3.0 s, the same rows bit for bit;
        ANAC 2014's 10issuesDiscountedwithRV within noise). Not the tipping points'
        bisection between two packages (:func:`_solved_change`): started there, HiGHS
        found other ties (equal scores, other utilities) near thresholds, which the
        bisection then told apart solve by solve (ANAC 2014's 30issuesDiscountedwithRV,
        Nash: 38 s against 73 s for its 4 numbers; profile-2's power 17 solves against
        110)."""
        problem = self.layout.problem_at(theta)
        hint = prefer if start and prefer >= 0 else None
        solution = solve(problem, self.concept, start=hint)
        if not solution.agreement:
            return -1, solution
        if solution.ties_truncated and prefer >= 0 and solution.index != prefer:
            found = np.array([solution.utilities[name] for name in self.layout.names])
            same = np.abs(problem.utilities(prefer) - found) <= engine.DEFAULT_UTILITY_TOLERANCE
            if np.all(same):
                return prefer, solution
        return solution.index, solution

    def _halves(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Utilities ``(n, n_outer, B)`` and ``(n, n_inner, B)`` of the outer and inner
        combinations for each row of ``theta``: per factor, the contributions of its
        combinations, added factor by factor with broadcasting in a fixed order
        (draws last, so that every numpy loop runs along the long axis)."""
        by_party = np.ascontiguousarray(self.layout.tables(theta).transpose(1, 2, 0))  # (n, O, B)
        n, _, b = by_party.shape
        halves = []
        for factor_columns in (self.outer_columns, self.inner_columns):
            total = np.zeros((n, 1, b))
            for columns in factor_columns:
                part = by_party[:, columns[:, 0], :]
                for c in range(1, columns.shape[1]):
                    part = part + by_party[:, columns[:, c], :]
                total = np.add(total[:, :, None, :], part[:, None, :, :], order="C")
                total = total.reshape(n, -1, b)
            halves.append(total)
        return halves[0], halves[1]

    def utilities(self, theta: np.ndarray) -> np.ndarray:
        """Utilities ``(n, B, P)`` of every listed package for each row of ``theta``
        (outer plus inner: a package's utilities never depend on its batch)."""
        outer, inner = self._halves(theta)
        n, _, b = outer.shape
        total = (outer[:, :, None, :] + inner[:, None, :, :]).reshape(n, -1, b)
        if self.terms is not None:  # the problem's own transform (Problem.utilities_of)
            total = self.layout.problem.scaled(total + self.terms[:, :, None])
        return np.ascontiguousarray(total.transpose(0, 2, 1))

    def _choose_batch(self, theta, exclude):
        d, powers = self.layout.split(theta)[:2]
        fixed_powers = bool(np.all(powers == powers[0]))
        # (The outer/inner bound holds for sums over factors: not with other terms.)
        separable = self.terms is None
        if exclude is None and self.concept != "kalai_smorodinsky" and fixed_powers and separable:
            return self._choose_pruned(theta, d, powers[0])
        utilities = self.utilities(theta)
        n = utilities.shape[0]
        gains = utilities - d.T[:, :, None]
        rational = engine.rational(gains[:n])
        alive = self._pick(gains, rational, powers, exclude)
        _tie_ruled(self.concept, alive, gains, powers)
        found = alive.any(axis=1)
        lowest = np.where(alive, self.packages[None, :], np.iinfo(np.int64).max).min(axis=1)
        chosen = np.where(found, lowest, -1)
        picked = np.array(d)
        rows = np.flatnonzero(found)
        if rows.size:
            where = np.argmax(alive[rows] & (self.packages[None, :] == lowest[rows, None]), axis=1)
            picked[rows] = utilities[:, rows, where].T
        return chosen, picked

    def _level0(self, gains: np.ndarray, powers: np.ndarray) -> np.ndarray:
        """The concept's objective (the first leximin level) of gain columns ``(n, m)``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return _objective(self.concept, powers, np.ones(gains.shape[0]))(gains)

    def _choose_pruned(self, theta, d, powers):
        """:meth:`_choose_batch` with the engine's outer/inner bound, draw by draw.

        An outer combination's packages score at most the objective of its
        utilities plus the best inner utilities of each party; combinations whose
        bound is below the best seed package's score less ``tie_tol`` hold no
        package within the tolerance of the best and are skipped (the bound adds
        the same numbers in the same order as the scores: no rounding slack)."""
        outer, inner = self._halves(theta)
        n, n_outer, b = outer.shape
        n_inner = inner.shape[1]
        dt = np.ascontiguousarray(d.T)[:, None, :]  # C order keeps every result C order
        reach = (outer + inner.max(axis=1)[:, None, :]) - dt  # (n, n_outer, B)
        possible = engine.rational(reach)
        bound = self._level0(np.maximum(reach, TINY).reshape(n, -1), powers)
        bound = np.where(possible, bound.reshape(n_outer, b), -np.inf)
        floor = np.full(b, -np.inf)
        if self.seeds is not None and self.seeds.size:
            so, si = np.divmod(self.seeds, n_inner)
            gains = (outer[:, so, :] + inner[:, si, :]) - dt
            rational = engine.rational(gains)
            safe = np.maximum(gains, TINY).reshape(n, -1)
            seeded = np.where(rational, self._level0(safe, powers).reshape(-1, b), -np.inf)
            floor = seeded.max(axis=0)
        keep = possible & (bound >= floor - self.tie_tol)
        rows, combos = np.nonzero(keep.T)  # grouped by draw
        chosen, picked = np.full(b, -1, dtype=np.int64), np.array(d)
        if not rows.size:
            return chosen, picked
        starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
        width = np.diff(np.append(starts, rows.size))
        utilities = outer[:, combos, rows][:, None, :] + inner[:, :, rows]  # (n, n_inner, pairs)
        gains = utilities - d.T[:, None, rows]
        alive = engine.rational(gains)  # (n_inner, pairs)
        safe = np.maximum(gains, TINY).reshape(n, -1)
        index = self.packages.reshape(n_outer, n_inner)[combos].T
        if self.concept in ("nash", "utilitarian"):
            levels = [self._level0(safe, powers).reshape(n_inner, -1)]
        else:
            levels = list(np.sort(safe, axis=0).reshape(n, n_inner, -1))
        for values in levels:
            values = np.where(alive, values, -np.inf)
            best = np.maximum.reduceat(values.max(axis=0), starts)
            alive &= values >= np.repeat(best - self.tie_tol, width)[None, :]
        # (transposed views: a draw's ties are in its pairs' rows, pairs grouped by draw)
        _tie_ruled(self.concept, alive.T, gains.transpose(0, 2, 1), powers, rows)
        top = np.iinfo(np.int64).max
        lowest = np.minimum.reduceat(np.where(alive, index, top).min(axis=0), starts)
        found = lowest < top
        chosen[rows[starts][found]] = lowest[found]
        hit_inner, hit_pair = np.nonzero(alive & (index == np.repeat(lowest, width)[None, :]))
        picked[rows[hit_pair]] = utilities[:, hit_inner, hit_pair].T
        return chosen, picked

    def _pick(self, gains, rational, powers, exclude) -> np.ndarray:
        """Mask (B, P) of each draw's tied best packages for the concept's criterion
        (before its tie rule, :func:`_tie_ruled`).

        ``gains`` is ``(n, B, P)``; irrational entries are masked, never chosen."""
        n, b, c = gains.shape
        tol = self.tie_tol
        flat = gains.reshape(n, -1)
        running = rational if exclude is None else rational & ~exclude[None, :]
        if self.concept in ("nash", "utilitarian"):
            scores = _row_objective(self.concept, gains, powers)
            scores[~running] = -np.inf
            best = scores.max(axis=1, keepdims=True)
            return running & (scores >= best - tol)
        if self.concept == "kalai_smorodinsky":
            ideal = np.where(rational[None], gains, -np.inf).max(axis=2)  # (n, B), all packages
            scale = np.where(np.isfinite(ideal) & (ideal > 0), ideal, 1.0)
            flat = (gains / scale[:, :, None]).reshape(n, -1)
        alive = running.copy()
        for level in range(n):
            order = _objective(self.concept, powers[0], np.ones(n), level)(flat).reshape(b, c)
            values = np.where(alive, order, -np.inf)
            best = values.max(axis=1, keepdims=True)
            alive &= values >= best - tol
            if np.all(alive.sum(axis=1) <= 1):
                break
        return alive

    def scores(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Objective (level 0 for leximin concepts) of every listed package at one vector,
        ``-inf`` where not rational; and the utilities ``(n, P)``."""
        layout = self.layout
        d, powers = layout.split(theta[None, :])[:2]
        utilities = self.utilities(theta[None, :])[:, 0, :]
        gains = utilities - d[0][:, None]
        rational = engine.rational(gains)
        safe = np.where(rational[None, :], gains, 1.0)
        scale = np.ones(layout.n)
        if self.concept == "kalai_smorodinsky" and rational.any():
            scale = gains[:, rational].max(axis=1)
        scores = _objective(self.concept, powers[0], scale)(safe)
        return np.where(rational, scores, -np.inf), utilities


def _objective(
    concept: str, powers: np.ndarray, scale: np.ndarray | None, level: int = 0
) -> Callable[[np.ndarray], np.ndarray]:
    """The concept's objective over gain columns ``(n, m)``, from its one home: the
    engine's log Nash product, the utilitarian total, or (egalitarian and
    Kalai–Smorodinsky) the leximin order statistic ``level`` of ``gains / scale``.
    The only place this module names them."""
    if concept == "nash":
        return Nash(np.asarray(powers, dtype=float)).value
    if concept == "utilitarian":
        return Linear(np.ones(len(powers))).value
    return Level(scale, level, ()).value


def _row_objective(concept: str, gains: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """Nash's or the utilitarian objective ``(B, P)`` of gains ``(n, B, P)``, row ``r`` with
    ``powers[r]`` (one call over every row when they are the same)."""
    n, b, c = gains.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        if concept == "utilitarian" or np.all(powers == powers[0]):
            return _objective(concept, powers[0], None)(gains.reshape(n, -1)).reshape(b, c)
        return np.stack([_objective(concept, powers[r], None)(gains[:, r]) for r in range(b)])


def _tie_ruled(
    concept: str,
    alive: np.ndarray,
    gains: np.ndarray,
    powers: np.ndarray,
    sets: np.ndarray | None = None,
) -> None:
    """Apply the solver's tie rule (:func:`~bargain.concepts.tie_rule`) to the tied
    packages marked in ``alive`` ``(R, C)``, in place: row ``r``'s belong to tie set
    ``sets[r]`` (non-decreasing; None: each row its own), with gains ``gains[:, r, c]`` and
    powers ``powers`` ``(n,)`` or one row per row of ``alive``. Only sets of two or more
    packages are handed over (a draw's ties are usually one)."""
    rows, columns = np.nonzero(alive)
    owner = rows if sets is None else sets[rows]
    several = np.bincount(owner)[owner] > 1
    if not several.any():
        return
    rows, columns, owner = rows[several], columns[several], owner[several]
    per_row = powers if powers.ndim == 1 else powers[rows].T
    keep = tie_rule(concept, gains[:, rows, columns], per_row, owner)
    alive[rows[~keep], columns[~keep]] = False


# -- ranking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedPackage:
    """One package of a :class:`Ranking`: ``margin`` is the best score minus its score."""

    rank: int
    index: int
    outcome: dict[str, str]
    utilities: dict[str, float]
    score: float
    margin: float


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(f"{h!s:<{w}}" for h, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(f"{x!s:<{w}}" for x, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _frame(records: list[dict]) -> Any:
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError(
            "to_frame() needs pandas: pip install 'bargaining[frames]'"
        ) from exc
    return pd.DataFrame.from_records(records)


def _outcome_text(outcome: Mapping[str, str] | None) -> str:
    return "no deal" if outcome is None else ", ".join(outcome.values())


@dataclass(frozen=True)
class Ranking:
    """The ``k`` best packages of a concept, best first (see :func:`ranking`)."""

    concept: str
    packages: tuple[RankedPackage, ...]

    def __len__(self) -> int:
        return len(self.packages)

    def __getitem__(self, position: int) -> RankedPackage:
        return self.packages[position]

    def __str__(self) -> str:
        rows = [
            (
                str(p.rank),
                str(p.index),
                f"{p.score:.6g}",
                f"{p.margin:.4g}",
                _outcome_text(p.outcome),
            )
            for p in self.packages
        ]
        return f"{self.concept}: the {counted(len(rows), 'best package')}\n" + _table(
            ("rank", "index", "score", "margin", "package"), rows
        )

    def to_dict(self) -> dict:
        return {
            "concept": self.concept,
            "packages": [
                {
                    "rank": p.rank,
                    "index": p.index,
                    "outcome": p.outcome,
                    "utilities": p.utilities,
                    "score": p.score,
                    "margin": p.margin,
                }
                for p in self.packages
            ],
        }

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per package (needs the ``frames`` extra)."""
        return _frame(
            [
                {
                    "rank": p.rank,
                    "index": p.index,
                    "score": p.score,
                    "margin": p.margin,
                    **p.outcome,
                }
                for p in self.packages
            ]
        )


def ranking(
    problem: Problem, k: int = 5, *, concept: str = "nash", method: str = "auto"
) -> Ranking:
    """The ``k`` best packages of ``concept``, best first, with their margins.

    The order is the concept's own: package ``i + 1`` is what the concept would
    choose once packages ``0..i`` are taken off the table (as the solver chooses:
    the packages within the tie tolerance, leximin levels for the egalitarian and
    Kalai–Smorodinsky solutions, whose ideal point stays that of the whole problem,
    then the solver's tie rule and the lowest index). ``margin`` is the best
    package's score minus this one's (for the leximin concepts, of the smallest
    scaled gain).

    Parameters
    ----------
    problem : Problem
    k : int, default 5
        Packages wanted; fewer are returned when fewer are individually rational.
    concept : str, default "nash"
        A name of :data:`bargain.CONCEPTS`.
    method : {"auto", "enumerate", "partition"}
        ``"enumerate"`` scores every allowed package (spaces of at most
        :data:`ENUMERATE_LIMIT`); ``"partition"`` splits the space around each
        package found (Lawler 1972 / Murty 1968: issues before ``j`` fixed, issue
        ``j`` without the package's option, later issues free) and solves each
        part exactly, so 10^12-package spaces are ranked without enumeration.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[4, 1], [3, 3], [1, 4], [2, 2]])
    >>> r = bg.ranking(p, k=3)
    >>> [x.index for x in r.packages], [round(x.margin, 4) for x in r.packages]
    ([1, 0, 2], [0.0, 0.8109, 0.8109])
    """
    problem = require_discrete(problem, "ranking")
    k = check_int(k, "ranking: k", minimum=1)
    concept = check_concept(concept, "ranking")
    if method not in ("auto", "enumerate", "partition"):
        raise UnknownNameError(
            f"ranking: unknown method {method!r}; methods are ['auto', 'enumerate', 'partition']"
        )
    listed = scored_whole(problem)
    if method == "enumerate" and not listed:
        raise ValidationError(
            f"ranking: method='enumerate' needs at most {ENUMERATE_LIMIT} allowed packages; "
            "use method='partition' (or 'auto')"
        )
    if method == "partition" or not listed:
        picks = _partition_ranking(problem, concept, k)
    else:
        picks = _enumerated_ranking(
            _Kernel.of(problem, concept, "ranking", DEFAULT_MEMORY_BUDGET), k
        )
    out = []
    for rank, (index, score, utilities) in enumerate(picks):
        out.append(
            RankedPackage(
                rank=rank + 1,
                index=int(index),
                outcome=problem.space.outcome(int(index)),
                utilities=dict(zip(problem.party_names, map(float, utilities))),
                score=float(score),
                margin=float(picks[0][1] - score),
            )
        )
    return Ranking(concept, tuple(out))


def _enumerated_ranking(kernel: _Kernel, k: int) -> list[tuple[int, float, np.ndarray]]:
    theta = kernel.layout.base[None, :]
    scores, utilities = kernel.scores(kernel.layout.base)
    exclude = np.zeros(kernel.packages.size, dtype=bool)
    picks = []
    for _ in range(k):
        chosen, _u = kernel.choose(theta, exclude)
        if chosen[0] < 0:
            break
        where = int(np.flatnonzero(kernel.packages == chosen[0])[0])
        exclude[where] = True
        picks.append((int(chosen[0]), float(scores[where]), utilities[:, where]))
    return picks


def _partition_ranking(problem: Problem, concept: str, k: int):
    """Lawler–Murty: the best of pending parts of the space, each solved exactly."""
    for party in problem.parties + problem.observers:
        # (Where an owned issue collapses when its owner leaves changes no package: the
        # parts drop any option, an owner's default included.)
        if party.owns:
            problem = problem.replace_party(party.name, owns={})
    space = problem.space
    base = solve(problem, concept)  # the whole space: the first part
    ideal = None
    if concept == "kalai_smorodinsky" and base.agreement:
        # (the parts keep the whole problem's ideal point: egalitarian weighted by it)
        ideal = np.array(list(base.stats["ideal"].values())) - problem.disagreement
    heap: list = []
    counter = 0

    def push(parts: tuple[np.ndarray, ...], solution: Solution | None = None) -> None:
        nonlocal counter
        if solution is None:
            solution = _solve_part(problem, parts, concept, ideal)
        found = _part_entry(problem, solution, concept, ideal)
        if found is not None:
            key, score, ties = found
            heapq.heappush(heap, (key, ties[0][0], counter, score, ties, parts))
            counter += 1

    push(tuple(np.arange(size) for size in space.sizes), base)
    picks = []
    while heap and len(picks) < k:
        best = heapq.heappop(heap)
        # The parts tying with the best (within the tie tolerance) pool their ties, and the
        # solver's tie rule picks among them, then the lowest index: the solver's choice
        # over the rest of the space (a part's own tie rule dropped only ties that others
        # of the part dominate).
        tied = [best, *(e for e in heap if _close(e[0], best[0]))]
        pooled = [(tie, entry) for entry in tied for tie in entry[4]]
        gains = np.array([utilities for (_, utilities), _ in pooled]).T
        keep = tie_rule(concept, gains - problem.disagreement[:, None], problem.powers)
        (index, utilities), chosen = min(
            (p for p, kept in zip(pooled, keep) if kept), key=lambda p: p[0][0]
        )
        if chosen is not best:
            heap[heap.index(chosen)] = best
            heapq.heapify(heap)
        _, _, _, score, _, parts = chosen
        picks.append((index, score, utilities))
        if len(picks) == k:
            break  # (the last pick's parts would only be solved to be dropped)
        positions = space.options_of(index)
        for j in range(len(parts)):
            rest = parts[j][parts[j] != positions[j]]
            if rest.size:
                fixed = tuple(np.array([positions[i]]) for i in range(j))
                push((*fixed, rest, *parts[j + 1 :]))
    return picks


def _close(a: tuple, b: tuple) -> bool:
    return all(abs(x - y) <= engine.DEFAULT_TIE_TOLERANCE for x, y in zip(a, b))


def _solve_part(problem, parts, concept, ideal) -> Solution:
    """The concept's solution on the part of the space where issue ``k`` takes an option
    of ``parts[k]``."""
    space = problem.space
    sub = problem
    for issue, part in zip(space.issues, parts):
        if part.size == 1 and len(issue) > 1:
            sub = sub.settle(issue.name, issue.options[int(part[0])])
            continue
        for position in np.setdiff1d(np.arange(len(issue)), part):
            sub = sub.drop_option(issue.name, issue.options[int(position)])
    if concept == "kalai_smorodinsky":
        return solve(sub, "egalitarian", weights=ideal)
    return solve(sub, concept)


def _part_entry(problem, solution, concept, ideal):
    """A part's solution as (ordering key, score, ties), or None without a deal: ``ties``
    are ``(index, utilities)`` of the part's ties on the whole space, its package first."""
    if not solution.agreement:
        return None
    utilities = np.array([solution.utilities[name] for name in problem.party_names])
    ties = [(problem.space.index(solution.outcome), utilities)]
    for tie in solution.ties:
        if tie != solution.index:
            index = problem.space.index(solution.problem.space.outcome(tie))
            ties.append((index, problem.utilities(index)))
    gains = utilities - problem.disagreement
    if concept in ("egalitarian", "kalai_smorodinsky"):
        scale = np.ones(gains.size) if ideal is None else ideal
        ordered = np.sort(gains / scale)
        return tuple(-ordered), float(ordered[0]), ties
    return (-float(solution.score),), float(solution.score), ties


# -- tipping points and sweeps -------------------------------------------------------------


@dataclass(frozen=True)
class Tipping:
    """One number's tipping points (a row of :class:`TippingPoints`).

    ``lower``/``upper`` are the values at which the chosen package changes when
    the number is moved down/up (None: never within ``domain``); ``lower_package``
    and ``upper_package`` the package index that takes over (None for no deal);
    ``lower_tie``/``upper_tie`` whether the two packages tie at that value.
    """

    selector: Selector
    value: float
    domain: tuple[float, float]
    lower: float | None
    upper: float | None
    lower_package: int | None
    upper_package: int | None
    lower_tie: bool
    upper_tie: bool

    scale: float = 1.0

    @property
    def distance(self) -> float:
        """The smallest change that changes the package, relative to ``scale``: the
        larger of ``|value|`` and the mean magnitude of the problem's numbers of
        the same kind (so that numbers at 0 compare fairly)."""
        steps = [abs(x - self.value) for x in (self.lower, self.upper) if x is not None]
        return min(steps) / self.scale if steps else math.inf


@dataclass(frozen=True)
class TippingPoints:
    """Tipping points of every number, closest to flipping first (see :func:`tipping_points`)."""

    concept: str
    package: int | None
    outcomes: dict[int, dict[str, str]]
    rows: tuple[Tipping, ...]

    def __getitem__(self, selector: Selector) -> Tipping:
        for row in self.rows:
            if row.selector == tuple(selector):
                return row
        raise UnknownNameError(f"TippingPoints: no row for selector {selector!r}")

    def __iter__(self) -> Iterator[Tipping]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __str__(self) -> str:
        def cell(x, tie):
            return "never" if x is None else f"{x:.6g}" + (" (tie)" if tie else "")

        rows = [
            (
                " / ".join(map(str, r.selector)),
                f"{r.value:.6g}",
                cell(r.lower, r.lower_tie),
                cell(r.upper, r.upper_tie),
                "-" if math.isinf(r.distance) else f"{r.distance:.3g}",
            )
            for r in self.rows
        ]
        head = f"{self.concept}: package {self.package}; numbers closest to flipping it first"
        return (
            head
            + "\n"
            + _table(("number", "now", "flips below", "flips above", "rel. change"), rows)
        )

    def to_dict(self) -> dict:
        return {
            "concept": self.concept,
            "package": self.package,
            "outcomes": {str(i): o for i, o in self.outcomes.items()},
            "rows": [
                {
                    "selector": list(r.selector),
                    "value": r.value,
                    "domain": list(r.domain),
                    "lower": r.lower,
                    "upper": r.upper,
                    "lower_package": r.lower_package,
                    "upper_package": r.upper_package,
                    "lower_tie": r.lower_tie,
                    "upper_tie": r.upper_tie,
                    "distance": None if math.isinf(r.distance) else r.distance,
                }
                for r in self.rows
            ],
        }

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per number (needs the ``frames`` extra)."""
        return _frame(
            [
                {"number": " / ".join(map(str, r.selector)), **row}
                for r, row in zip(self.rows, self.to_dict()["rows"])
            ]
        )


def _located(keep: float, change: float, tol: float) -> bool:
    """Whether a threshold bracketed by ``keep`` and ``change`` is located (within ``tol``,
    or no float between them)."""
    return abs(change - keep) <= tol or np.nextafter(keep, change) == change


def _moved(base: np.ndarray, position: int, values) -> np.ndarray:
    """Number vectors ``(B, len)``: ``base`` with the number at ``position`` taking each of
    ``values`` in turn."""
    values = np.atleast_1d(np.asarray(values, dtype=float))
    theta = np.repeat(np.asarray(base)[None, :], values.size, axis=0)
    theta[:, position] = values
    return theta


def _gains_along(kernel, theta: np.ndarray, packages: list[int]) -> np.ndarray:
    """The gains ``(n, B, P)`` of a few ``packages`` (any indices, listed or not) at each
    row of ``theta``: the listed kernel's arithmetic (:meth:`_Kernel.utilities`) on packages
    picked by index."""
    layout, problem = kernel.layout, kernel.layout.problem
    positions = layout.space.decode(np.array(packages, dtype=layout.space.index_dtype))
    columns = positions + np.asarray(layout.option_offsets)[None, :]
    by_party = layout.tables(theta).transpose(1, 0, 2)  # (n, B, O)
    total = by_party[:, :, columns[:, 0]]
    for k in range(1, columns.shape[1]):
        total = total + by_party[:, :, columns[:, k]]
    if not problem.additive:
        terms = np.zeros((layout.n, len(packages)))
        add_terms(terms, positions, problem.terms)
        total = problem.scaled(total + terms[:, None, :])
    d = layout.split(theta)[0]
    return total - d.T[:, :, None]


def _ahead(kernel, gains: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """Per row of gains ``(n, B, 2)`` of two packages, both rational: 1 where the first is
    ahead of the second in the concept's order (Nash, utilitarian: the objective; the
    egalitarian solution: leximin, level by level), -1 where behind, 0 where they tie
    within the tie tolerance at every level (the listed kernel's rule, :meth:`_Kernel._pick`)."""
    tol = kernel.tie_tol
    if kernel.concept in ("nash", "utilitarian"):
        scores = _row_objective(kernel.concept, gains, powers)
        levels = (scores[:, 0] - scores[:, 1])[None, :]
    else:
        n = gains.shape[0]
        flat = gains.reshape(n, -1)
        levels = np.stack(
            [
                _objective(kernel.concept, powers[0], np.ones(n), level)(flat).reshape(-1, 2)
                for level in range(n)
            ]
        )
        levels = levels[:, :, 0] - levels[:, :, 1]
    decided = np.abs(levels) > tol
    first = np.argmax(decided, axis=0)
    gap = levels[first, np.arange(levels.shape[1])]
    return np.where(decided.any(axis=0), np.sign(gap), 0).astype(int)


def _beats(kernel, base, position, points, old: int, new: int) -> np.ndarray:
    """Whether the engine would choose package ``old`` over ``new`` (-1: no deal), the two
    alone, as the number at ``position`` takes each of ``points``: ahead in the concept's
    order (:func:`_ahead`), or tied and kept by the solver's tie rule, with the lower
    index where it keeps both; a package that is not rational loses."""
    theta = _moved(base, position, points)
    packages = [p for p in (old, new) if p >= 0]
    gains = _gains_along(kernel, theta, packages)
    rational = engine.rational(gains.reshape(kernel.layout.n, -1)).reshape(points.size, -1)
    if old < 0:
        return ~rational[:, 0]
    if new < 0:
        return rational[:, 0]
    powers = kernel.layout.split(theta)[1]
    with np.errstate(divide="ignore", invalid="ignore"):  # (irrational rows: masked)
        ahead = _ahead(kernel, np.where(rational[None], gains, 1.0), powers)
    kept = np.repeat((rational.all(axis=1) & (ahead == 0))[:, None], 2, axis=1)
    _tie_ruled(kernel.concept, kept, gains, powers)
    tie_won = kept[:, 0] & (~kept[:, 1] | (old < new))
    return rational[:, 0] & (~rational[:, 1] | (ahead > 0) | tie_won)  # (kept: ahead == 0)


def _crossing(kernel, base, position, old, new, keep, change, tol) -> tuple[float, float]:
    """Where ``old`` stops beating ``new`` between ``keep`` and ``change`` (they are
    scored alone, on grids of :data:`CROSSING_POINTS`): values within ``tol`` on either
    side, ``old`` still ahead at the first (or ``change`` twice when it never falls
    behind: the solver and the two alone then disagree at ``change``, e.g. equal scores
    of two packages whose tie list was cut short)."""
    low, high = keep, change
    while not _located(low, high, tol):
        points = np.linspace(low, high, CROSSING_POINTS + 2)[1:-1]
        behind = np.flatnonzero(~_beats(kernel, base, position, points, old, new))
        if not behind.size:
            low = float(points[-1])
            continue
        high = float(points[behind[0]])
        low = float(points[behind[0] - 1]) if behind[0] else low
    if high == change and _beats(kernel, base, position, np.array([change]), old, new)[0]:
        return change, change
    return low, high


def _on_an_interval(kernel, position: int) -> bool:
    """Whether the values of the number at ``position`` keeping the chosen package form an
    interval, so that :func:`_solved_change` applies: always for Nash; for the utilitarian
    rule and the egalitarian solution unless it is a weight (Kalai–Smorodinsky: never, its
    ideal point moves too).

    Utilitarian: a disagreement value moves every package's total alike, a value the
    total and the party's gain of the packages holding the option alike: a package that
    turns rational is then never overtaken again. Egalitarian: such a number moves one
    party's gain, of every package alike or of the packages holding an option (the others
    stay). Where one package's gain rises against another's that stays, it only climbs in
    leximin. Where both move alike, count each package's gains at most ``s`` (leximin
    prefers the package whose count is smaller at the first ``s`` where the counts differ):
    their difference is a fixed difference minus 1 on a window of ``s`` between the two
    moving gains, which slides as the number moves; until the window reaches the first
    ``s`` where the fixed difference is not 0 the order is that difference's, from then on
    the package with the larger moving gain's (checked on 600,000 random pairs of up to 4
    parties with ties and either index first, rationality included: no second change).
    A package is rational on a half-line, so the values where it is chosen, the
    intersection over its rivals, form an interval. A weight moves packages at different
    rates: one can turn rational, win, and be overtaken again."""
    if kernel.concept == "nash":
        return True
    weights = kernel.layout.kind_positions("weight")
    return kernel.concept in ("utilitarian", "egalitarian") and position not in weights


def _solved_change(kernel, base, position, start, end, package, tol):
    """:func:`_next_change` on a space too large to list where the values keeping the
    package form an interval from ``start`` (:func:`_on_an_interval`; for Nash, below), so
    one solve at ``end`` says whether it changes at all; where it does, the first change
    is at or before the point where the package
    stops beating the winner found, which the two alone locate (no solve), and one solve
    just before that point confirms it or names an earlier winner (where the two alone
    disagree with the solver, a solve halves the bracket; measured on 3 parties x
    12 issues of 10 options, every number: 65 s, against more than 10 minutes point by
    point). The interval: along one number each gain is linear, so a package is rational
    on an interval, and where both are, the difference of two log Nash products is
    monotone and tends to infinity where either's gain falls to 0: one beats the other on
    an interval."""

    def picked(value: float) -> int:
        return kernel.solved(_moved(base, position, value)[0], package)[0]

    new = picked(end)
    if new == package:
        return None
    keep, change = start, end
    while not _located(keep, change, tol):
        points = _crossing(kernel, base, position, package, new, keep, change, tol)
        inside = [p for p in dict.fromkeys(points) if p != keep and p != change]
        for point in inside or [keep + (change - keep) / 2]:
            found = picked(point)
            if found != package:
                change, new = point, found
                break
            keep = point
    return keep, change, new


def _next_change(kernel, base, position, start, end, package, tol):
    """The first value between ``start`` and ``end`` at which the kernel's package is not
    ``package``: ``(last value keeping it, first value changing it, new package)`` or None."""
    if not kernel.listed and _on_an_interval(kernel, position):
        return _solved_change(kernel, base, position, start, end, package, tol)

    def first_change(points):
        """The first of ``points`` where the package is not ``package``, and the package
        there; None when there is none."""
        theta = _moved(base, position, points)
        if kernel.listed:  # all points scored at once
            picked = kernel.choose(theta)[0]
            changed = np.flatnonzero(picked != package)
            return None if not changed.size else (int(changed[0]), int(picked[changed[0]]))
        for i in range(points.size):  # each point a full solve: stop at the first change
            picked = kernel.solved(theta[i], package, start=True)[0]
            if picked != package:
                return i, picked
        return None

    span = end - start
    if span == 0:
        return None
    fractions = np.geomspace(min(tol / abs(span), 0.5), 1.0, SCAN_POINTS)
    points = start + span * fractions
    points[-1] = end
    keep = start
    while True:
        found = first_change(points)
        if found is None:
            return None
        first, new = found
        if first:
            keep = float(points[first - 1])
        change = float(points[first])
        if _located(keep, change, tol):
            return keep, change, new
        points = np.linspace(keep, change, REFINE_POINTS + 1)[1:]


def tipping_points(
    problem: Problem,
    concept: str = "nash",
    *,
    numbers: Sequence[Selector] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    reach: float = DEFAULT_REACH,
    verify: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> TippingPoints:
    """For every number, the nearest values below and above that change the chosen package.

    Each number is moved alone, all others fixed. From the current value, the
    search scans towards the end of the number's domain (weights and powers
    down to 0; unbounded ends ``reach`` away) on a geometric grid of
    :data:`SCAN_POINTS` points, starting a ``tolerance`` away, and narrows the
    first change it finds by repeated subdivision (:data:`REFINE_POINTS`) until the threshold is
    located within ``tolerance``. For Nash the packages chosen along one number
    keep the base package on an interval, so the change found is the first, and on
    spaces too large to score whole (more than :data:`ENUMERATE_LIMIT` allowed
    packages) one solve at the end of the domain says whether there is any, and
    solves only where the package stops beating each rival found locate it (3
    parties x 12 issues of 10 options, all 402 numbers: 65 s, against over 10
    minutes for the scan); so for the utilitarian rule and the egalitarian solution
    but for weights (a rival can turn rational, win and lose again as a weight
    moves). Otherwise (weights, Kalai–Smorodinsky) a change and change back within
    one first-round grid step could be missed. With ``verify`` each
    threshold is re-solved with :func:`bargain.solve` a hair inside (the package
    holds) and at the threshold (it has changed).

    Parameters
    ----------
    problem : Problem
    concept : str, default "nash"
    numbers : sequence of selectors, optional
        The numbers to examine, e.g. ``[("A", "disagreement")]``. None (the default)
        examines every number of the problem; an empty sequence examines none (the
        result has no rows), as :func:`robustness` with ``{}`` draws nothing.
    tolerance : float, default :data:`DEFAULT_TOLERANCE`
    reach : float, default :data:`DEFAULT_REACH`
    verify : bool, default True
    progress : callable, optional
        ``progress(numbers_done, numbers_total)`` after each number (on a space too large
        to score whole each takes a few solves: minutes for hundreds of numbers).

    Returns
    -------
    TippingPoints
        Rows sorted by the smallest relative change; ``result[selector]`` gives
        one row with ``.lower`` and ``.upper``.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[4, 1], [2.5, 2.5], [1, 4]], names=["A", "B"])
    >>> row = bg.tipping_points(p)[("A", "value", "alternative", "1")]
    >>> round(row.lower, 6), row.lower_package, row.lower_tie, row.upper
    (1.6, 0, True, None)
    """
    problem = require_problem(problem, "tipping_points")
    concept = check_concept(concept, "tipping_points")
    tolerance = _positive(tolerance, "tipping_points: tolerance")
    reach = _positive(reach, "tipping_points: reach")
    if not isinstance(verify, bool):
        raise BargainTypeError(f"tipping_points: verify must be True or False, got {verify!r}")
    check_progress(progress, "tipping_points")
    numbers = _selector_list(numbers, "tipping_points: numbers")
    kernel = _Kernel.of(problem, concept, "tipping_points", DEFAULT_MEMORY_BUDGET)
    layout = kernel.layout
    chosen = [
        (s, layout.position(s, f"tipping_points: numbers[{i}]"))
        for i, s in enumerate(layout.selectors() if numbers is None else numbers)
    ]
    base = np.array(layout.base)
    package = kernel.reference
    outcomes = {} if package < 0 else {package: problem.space.outcome(package)}
    scales = {}
    for kind in KINDS:
        numbers = np.abs(base[layout.kind_positions(kind)])  # (none: rectangle utilities)
        magnitude = float(numbers.mean()) if numbers.size else 0.0
        scales[kind] = magnitude if magnitude > 0 else 1.0
    rows = []
    for selector, position in chosen:
        value = float(base[position])
        domain = _domain(selector[1], value, reach)
        found = []
        for end in domain:
            change = _next_change(kernel, base, position, value, end, package, tolerance)
            found.append(change)
        ties = [
            c is not None and _confirm(kernel, base, position, c, package, selector, verify)
            for c in found
        ]
        for c in found:
            if c is not None and c[2] >= 0:
                outcomes.setdefault(c[2], problem.space.outcome(c[2]))
        rows.append(
            Tipping(
                selector=selector,
                value=value,
                domain=domain,
                lower=None if found[0] is None else found[0][1],
                upper=None if found[1] is None else found[1][1],
                lower_package=None if found[0] is None else _package(found[0][2]),
                upper_package=None if found[1] is None else _package(found[1][2]),
                lower_tie=ties[0],
                upper_tie=ties[1],
                scale=max(abs(value), scales[selector[1]]),
            )
        )
        if progress is not None:
            progress(len(rows), len(chosen))
    rows.sort(key=lambda r: (r.distance, layout.selectors().index(r.selector)))
    return TippingPoints(concept, _package(package), outcomes, tuple(rows))


def _package(index: int) -> int | None:
    return None if index < 0 else int(index)


def _positive(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise BargainTypeError(f"{field} must be a number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValidationError(f"{field} must be a finite number > 0, got {value!r}")
    return float(value)


def _selector_list(numbers: object, field: str) -> list | None:
    """``numbers`` as a list (None stays None: every number), or a clear error if it is not a
    collection of selectors; the selectors themselves are checked by :meth:`_Layout.position`."""
    if numbers is None:
        return None
    example = "e.g. [('A', 'disagreement'), ('B', 'value', 'price', 'low')]"
    if isinstance(numbers, str | bytes) or not isinstance(numbers, Iterable):
        raise BargainTypeError(
            f"{field} must be a sequence of selectors ({example}) or None, got {numbers!r}"
        )
    if isinstance(numbers, tuple) and numbers and isinstance(numbers[0], str):
        # (one selector where a sequence of them was meant: say so, not "'A' is no selector")
        raise BargainTypeError(
            f"{field} must be a sequence of selectors, got the single selector {numbers!r}; "
            f"write [{numbers!r}]"
        )
    return list(numbers)


def _confirm(kernel, base, position, change, package, selector, verify) -> bool:
    """Re-solve a hair inside and at a threshold with :func:`bargain.solve` (through
    :meth:`_Kernel.solved`): with ``verify``, raise unless the package holds inside and has
    changed there. Returns whether the old and new package tie at the threshold (both
    among the solver's ties, or its package, on one side of it)."""
    keep, moved, new = change
    sides = [kernel.solved(theta, package) for theta in _moved(base, position, [keep, moved])]
    (inside, inside_solution), (beyond, beyond_solution) = sides
    if verify and not (inside == package and beyond != package):
        raise SolverError(
            f"tipping_points: {selector!r}: the solver does not confirm the threshold "
            f"between {keep!r} (package {_package(inside)}) and {moved!r} (package "
            f"{_package(beyond)})"
        )
    if package < 0 or new < 0:
        return False
    return any(
        {package, new} <= {chosen, *solution.ties}
        for chosen, solution in ((inside, inside_solution), (beyond, beyond_solution))
    )


@dataclass(frozen=True)
class Sweep:
    """One number moved over given values (see :func:`sweep`)."""

    concept: str
    selector: Selector
    values: tuple[float, ...]
    packages: tuple[int | None, ...]
    outcomes: tuple[dict[str, str] | None, ...]
    utilities: np.ndarray
    breakpoints: tuple[tuple[float, int | None, int | None], ...]
    party_names: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        rows = [
            (f"{v:.6g}", "none" if p is None else str(p), _outcome_text(o))
            for v, p, o in zip(self.values, self.packages, self.outcomes)
        ]
        text = f"{self.concept}: {' / '.join(map(str, self.selector))}\n"
        text += _table(("value", "package", "outcome"), rows)
        if self.breakpoints:
            text += "\nbreakpoints: " + "; ".join(
                f"{b:.9g}: {a} -> {c}" for b, a, c in self.breakpoints
            )
        return text

    def to_dict(self) -> dict:
        return {
            "concept": self.concept,
            "selector": list(self.selector),
            "values": list(self.values),
            "packages": list(self.packages),
            "outcomes": list(self.outcomes),
            "utilities": self.utilities.tolist(),
            "breakpoints": [{"value": b, "from": a, "to": c} for b, a, c in self.breakpoints],
        }

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per value (needs the ``frames`` extra)."""
        return _frame(
            [
                {
                    "value": v,
                    "package": p,
                    **(o or {}),
                    **dict(zip(self.party_names, map(float, u))),
                }
                for v, p, o, u in zip(self.values, self.packages, self.outcomes, self.utilities)
            ]
        )


def sweep(
    problem: Problem,
    selector: Selector,
    values: Sequence[float],
    concept: str = "nash",
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Sweep:
    """The chosen package as one number takes each of ``values``, with exact breakpoints.

    ``values`` is a one-dimensional sequence of finite numbers, at least one. Between
    consecutive values whose packages differ, every change is located within
    ``tolerance`` as by :func:`tipping_points`; ``breakpoints`` lists ``(value, package
    before, package after)`` in order (None: no deal).

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[4, 1], [2.5, 2.5], [1, 4]], names=["A", "B"])
    >>> s = bg.sweep(p, ("A", "disagreement"), [0.0, 0.5, 2.0])
    >>> s.packages, [(round(b, 6), x, y) for b, x, y in s.breakpoints]
    ((1, 1, 0), [(1.5, 1, 0)])
    """
    problem = require_problem(problem, "sweep")
    concept = check_concept(concept, "sweep")
    tolerance = _positive(tolerance, "sweep: tolerance")
    points = check_real_array(values, "sweep: values")
    if points.size == 0:
        raise ValidationError("sweep: values must hold at least one number, got none")
    kernel = _Kernel.of(problem, concept, "sweep", DEFAULT_MEMORY_BUDGET)
    layout = kernel.layout
    position = layout.position(selector, "sweep")
    if selector[1] in NONNEGATIVE and np.any(points < 0):
        raise ValidationError(f"sweep: {selector!r} must stay >= 0, got values {values!r}")
    base = np.array(layout.base)
    chosen, utilities = kernel.choose(_moved(base, position, points))
    breaks = []
    for i in range(points.size - 1):
        current, start = int(chosen[i]), float(points[i])
        while current != chosen[i + 1]:
            change = _next_change(
                kernel, base, position, start, float(points[i + 1]), current, tolerance
            )
            if change is None:
                # (a tie list cut short: ``current`` holds at the next value, with the
                # utilities of the package solved there; see _Kernel.solved)
                chosen[i + 1] = current
                break
            breaks.append((change[1], _package(current), _package(change[2])))
            current, start = change[2], change[1]
    packages = tuple(_package(int(c)) for c in chosen)
    return Sweep(
        concept,
        selector,
        tuple(map(float, points)),
        packages,
        tuple(None if p is None else problem.space.outcome(p) for p in packages),
        utilities,
        tuple(breaks),
        layout.names,
    )


# -- Monte Carlo ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Noise:
    """A global noise model over every number of a problem (see :func:`noise`)."""

    values: float = 0.0
    weights: float = 0.0
    disagreement: float = 0.0
    powers: float = 0.0

    def __str__(self) -> str:
        return (
            f"values +/-{self.values:g} (additive), weights x(1 +/- {self.weights:g}), "
            f"no-deal values +/-{self.disagreement:g} (additive), powers x(1 +/- {self.powers:g})"
        )


def noise(
    values: float = 0.0, weights: float = 0.0, disagreement: float = 0.0, powers: float = 0.0
) -> Noise:
    """Independent uniform noise on every number of a problem.

    * ``values``: every option value ``v`` becomes ``v + U(-values, values)`` (additive);
    * ``weights``: every issue weight ``w`` becomes ``w * U(1 - weights, 1 + weights)``
      (multiplicative, so a weight stays >= 0: ``weights`` is at most 1);
    * ``disagreement``: every no-deal value ``d`` becomes ``d + U(-disagreement, disagreement)``;
    * ``powers``: every power ``p`` becomes ``p * U(1 - powers, 1 + powers)``.

    Draws are made in that order (values, weights, no-deal values, powers), each
    as one array per block of draws.

    >>> noise(values=0.05, weights=0.3)
    Noise(values=0.05, weights=0.3, disagreement=0.0, powers=0.0)
    """
    checked = {}
    for name, given in (
        ("values", values),
        ("weights", weights),
        ("disagreement", disagreement),
        ("powers", powers),
    ):
        if isinstance(given, bool) or not isinstance(given, int | float | np.number):
            raise BargainTypeError(f"noise: {name} must be a number, got {given!r}")
        if not (math.isfinite(given) and given >= 0):
            raise ValidationError(f"noise: {name} must be a finite number >= 0, got {given!r}")
        if name in ("weights", "powers") and given > 1:
            raise ValidationError(
                f"noise: {name} is multiplicative, 1 +/- {given!r} would go below zero; "
                "use at most 1"
            )
        checked[name] = float(given)
    return Noise(**checked)


@dataclass(frozen=True)
class _Sampler:
    """What a block needs to draw its numbers and score them (shipped to workers once)."""

    kernel: _Kernel
    noise: Noise | None
    entries: tuple[tuple[Selector, int, Any], ...]
    truncate: bool


def _draw(sampler: _Sampler, size: int, rng: np.random.Generator) -> np.ndarray:
    layout = sampler.kernel.layout
    theta = np.repeat(np.array(layout.base)[None, :], size, axis=0)
    noise_model = sampler.noise
    if noise_model is not None:
        for kind, width, multiplicative in (
            ("value", noise_model.values, False),
            ("weight", noise_model.weights, True),
            ("disagreement", noise_model.disagreement, False),
            ("power", noise_model.powers, True),
        ):
            if width:
                where = layout.kind_positions(kind)
                shock = rng.uniform(-width, width, size=(size, where.size))
                theta[:, where] = (
                    theta[:, where] * (1 + shock) if multiplicative else theta[:, where] + shock
                )
    for selector, position, dist in sampler.entries:
        drawn = np.asarray(dist.rvs(size=size, random_state=rng), dtype=float).reshape(-1)
        if drawn.size != size:
            raise ValidationError(
                f"robustness: the distribution of {selector!r} ({_dist_name(dist)}) returned "
                f"{drawn.size} values for size={size}"
            )
        bad = np.flatnonzero(~np.isfinite(drawn))
        if bad.size:
            raise ValidationError(
                f"robustness: the distribution of {selector!r} ({_dist_name(dist)}) drew "
                f"{drawn[bad[0]]!r}; numbers must be finite"
            )
        if selector[1] in NONNEGATIVE:
            negative = np.flatnonzero(drawn < 0)
            if negative.size and not sampler.truncate:
                raise ValidationError(
                    f"robustness: the distribution of {selector!r} ({_dist_name(dist)}) drew "
                    f"{drawn[negative[0]]!r}, but a {selector[1]} must be >= 0; use a "
                    "distribution on [0, inf) or truncate=True to clip at 0"
                )
            drawn = np.maximum(drawn, 0.0)
        theta[:, position] = drawn
    return theta


def _dist_name(dist: Any) -> str:
    family = getattr(getattr(dist, "dist", None), "name", None)
    if family is None:
        return type(dist).__name__
    args = ", ".join(f"{a:g}" for a in getattr(dist, "args", ()) if isinstance(a, int | float))
    kwds = ", ".join(f"{k}={v:g}" for k, v in getattr(dist, "kwds", {}).items())
    return f"{family}({', '.join(x for x in (args, kwds) if x)})"


def _block(sampler: _Sampler, start: int, stop: int, seed: np.random.SeedSequence):
    theta = _draw(sampler, stop - start, np.random.default_rng(seed))
    chosen, utilities = sampler.kernel.choose(theta)
    return chosen, utilities


@dataclass(frozen=True)
class PackageShare:
    """A package of a :class:`Robustness` run and how often it was chosen."""

    index: int | None
    outcome: dict[str, str] | None
    frequency: float
    count: int


@dataclass(frozen=True)
class Robustness:
    """The result of :func:`robustness`.

    ``packages`` (most frequent first; ``index`` None is "no deal"),
    ``marginals`` (``{issue: {option: probability}}``, over draws with a deal),
    ``base_share``, ``agreement_rate``, ``utilities`` (draws x parties),
    ``summary`` (per party: mean, std, 5 %, 50 %,
    95 %), ``indices`` (per-draw package index, -1 for no deal; exact Python ints in an
    object array on spaces of 2**63 packages or more).
    """

    concept: str
    draws: int
    base: int | None
    packages: tuple[PackageShare, ...]
    marginals: dict[str, dict[str, float]]
    base_share: float
    agreement_rate: float
    summary: dict[str, dict[str, float]]
    indices: np.ndarray
    utilities: np.ndarray

    def __str__(self) -> str:
        lines = [
            f"{self.concept}: {self.draws} draws; the base package {self.base} in "
            f"{self.base_share:.1%}, a deal in {self.agreement_rate:.1%}",
            _table(
                ("share", "index", "package"),
                [
                    (
                        f"{p.frequency:.1%}",
                        "none" if p.index is None else str(p.index),
                        _outcome_text(p.outcome),
                    )
                    for p in self.packages[:10]
                ],
            ),
        ]
        if len(self.packages) > 10:
            lines.append(f"... and {len(self.packages) - 10} more packages")
        if not self.agreement_rate:  # (every option's share is 0: none is "most likely")
            lines.append("no draw reached a deal, so no option is most likely")
            return "\n".join(lines)
        lines.append("per issue, the most likely option:")
        rows = []
        for issue, shares in self.marginals.items():
            option, share = max(shares.items(), key=lambda item: item[1])
            rows.append((issue, option, f"{share:.1%}"))
        lines.append(_table(("issue", "option", "share"), rows))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "concept": self.concept,
            "draws": self.draws,
            "base": self.base,
            "base_share": self.base_share,
            "agreement_rate": self.agreement_rate,
            "packages": [
                {"index": p.index, "outcome": p.outcome, "frequency": p.frequency, "count": p.count}
                for p in self.packages
            ],
            "marginals": self.marginals,
            "summary": self.summary,
        }

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per distinct package (needs the ``frames`` extra)."""
        return _frame(
            [
                {"index": p.index, "frequency": p.frequency, "count": p.count, **(p.outcome or {})}
                for p in self.packages
            ]
        )


def _entries(layout: _Layout, uncertainty: Mapping) -> tuple:
    entries = []
    for selector, dist in uncertainty.items():
        position = layout.position(selector, "robustness: uncertainty")
        if not callable(getattr(dist, "rvs", None)):
            raise BargainTypeError(
                f"robustness: the distribution of {selector!r} must have a method "
                f"rvs(size=..., random_state=...) like scipy.stats distributions, got {dist!r}"
            )
        entries.append((selector, position, dist))
    return tuple(entries)


def robustness(
    problem: Problem,
    uncertainty: Mapping[Selector, Any] | Noise | None = None,
    *,
    draws: int = 10_000,
    concept: str = "nash",
    rng: object = None,
    client: Any = None,
    noise: Noise | None = None,
    truncate: bool = False,
    block_size: int = DEFAULT_BLOCK_SIZE,
    chunk_blocks: int | None = None,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    progress: Callable[[int, int], None] | None = None,
) -> Robustness:
    """Monte Carlo over the analyst's uncertain numbers: how often each package is chosen.

    Each draw is a full problem: the numbers named in ``uncertainty`` are drawn
    from their distributions (anything with scipy.stats's ``rvs(size=...,
    random_state=...)``), on top of the global ``noise`` model if one is given
    (:func:`noise`; may also be passed as ``uncertainty``), and the concept's
    package is found exactly for that draw.

    Parameters
    ----------
    problem : Problem
        A discrete problem.
    uncertainty : mapping selector -> distribution, or Noise, optional
        :func:`bargain.io.uncertainty` reads a scenario file's ``uncertain`` notes as
        such a mapping. An empty mapping means no uncertainty (every draw is
        :func:`bargain.solve`'s answer); neither ``uncertainty`` nor ``noise`` is an
        error (nothing would be uncertain).
    draws : int, default 10000
    concept : str, default "nash"
    rng : None, int, SeedSequence or Generator
        Seeds block ``i`` with the ``i``-th child of its SeedSequence: the same
        ``rng`` gives the same result bit for bit, in process or on Dask.
    client : dask.distributed.Client, optional
        Run the blocks on a Dask cluster (``Client("tcp://scheduler:8786")``);
        the scorer is sent to the workers once, then only seeds and ranges.
    noise : Noise, optional
        A global noise model in addition to the distributions.
    truncate : bool, default False
        Clip negative draws of weights and powers to 0 instead of raising.
    block_size, chunk_blocks : int
        Draws per seeded block (changing it changes the random numbers) and
        blocks per task (scheduling only).
    memory_budget : int, default :data:`DEFAULT_MEMORY_BUDGET`
        Bytes of per-draw package scores a batch may hold.
    progress : callable, optional
        ``progress(blocks_done, blocks_total)``.

    Examples
    --------
    A pie of 10 slices; party A's no-deal value is uniform on [0, 2]. A gets 5
    slices while its no-deal value is below 1, 6 above (half the time each):

    >>> import scipy.stats as st
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[k, 10 - k] for k in range(11)], names=["A", "B"])
    >>> m = bg.robustness(p, {("A", "disagreement"): st.uniform(0, 2)}, draws=2000, rng=0)
    >>> [(x.index, round(x.frequency, 2)) for x in m.packages]
    [(5, 0.5), (6, 0.5)]
    """
    problem = require_problem(problem, "robustness")
    concept = check_concept(concept, "robustness")
    draws = check_int(draws, "robustness: draws", minimum=1)
    memory_budget = check_int(memory_budget, "robustness: memory_budget", minimum=2**16)
    check_progress(progress, "robustness")
    if not isinstance(truncate, bool):
        raise BargainTypeError(f"robustness: truncate must be True or False, got {truncate!r}")
    if isinstance(uncertainty, Noise):
        if noise is not None:
            raise ValidationError("robustness: give the noise model once (uncertainty or noise=)")
        uncertainty, noise = {}, uncertainty
    if uncertainty is None and noise is None:  # a vacuous "100% robust" would mislead
        raise ValidationError(
            "robustness: nothing is uncertain: give uncertainty, a mapping {selector: "
            "distribution} (for a scenario file's 'uncertain' notes, bargain.io.uncertainty("
            "problem)), or noise=bargain.noise(...); an empty mapping {} draws nothing"
        )
    if uncertainty is None:
        uncertainty = {}
    if not isinstance(uncertainty, Mapping):
        raise BargainTypeError(
            "robustness: uncertainty must be a mapping {selector: distribution} or bg.noise(...), "
            f"got {uncertainty!r}"
        )
    if noise is not None and not isinstance(noise, Noise):
        raise BargainTypeError(f"robustness: noise must be made by bg.noise(...), got {noise!r}")
    kernel = _Kernel.of(problem, concept, "robustness", memory_budget)
    sampler = _Sampler(kernel, noise, _entries(kernel.layout, uncertainty), truncate)
    blocks = parallel.run_blocks(
        _block,
        sampler,
        draws,
        rng=rng,
        block_size=block_size,
        chunk_blocks=chunk_blocks,
        client=client,
        progress=progress,
    )
    indices = np.concatenate([b[0] for b in blocks])
    utilities = np.concatenate([b[1] for b in blocks])
    return _summarize(problem, concept, _package(kernel.reference), indices, utilities)


def _summarize(problem, concept, base, indices, utilities) -> Robustness:
    draws = indices.size
    distinct, counts = np.unique(indices, return_counts=True)
    order = np.lexsort((distinct, -counts))
    packages = tuple(
        PackageShare(
            _package(int(distinct[i])),
            None if distinct[i] < 0 else problem.space.outcome(int(distinct[i])),
            float(counts[i] / draws),
            int(counts[i]),
        )
        for i in order
    )
    deals = distinct >= 0
    agreed = int(counts[deals].sum())
    marginals: dict[str, dict[str, float]] = {
        issue.name: dict.fromkeys(issue.options, 0.0) for issue in problem.space.issues
    }
    if agreed:
        positions = problem.space.decode(distinct[deals])
        for k, issue in enumerate(problem.space.issues):
            shares = np.bincount(positions[:, k], weights=counts[deals], minlength=len(issue))
            marginals[issue.name] = dict(zip(issue.options, map(float, shares / agreed)))
    quantiles = np.quantile(utilities, [0.05, 0.5, 0.95], axis=0)
    summary = {
        name: {
            "mean": float(utilities[:, j].mean()),
            "std": float(utilities[:, j].std()),
            "q05": float(quantiles[0, j]),
            "median": float(quantiles[1, j]),
            "q95": float(quantiles[2, j]),
        }
        for j, name in enumerate(problem.party_names)
    }
    base_share = float(np.mean(indices == (-1 if base is None else base)))
    return Robustness(
        concept=concept,
        draws=int(draws),
        base=base,
        packages=packages,
        marginals=marginals,
        base_share=base_share,
        agreement_rate=float(agreed / draws),
        summary=summary,
        indices=indices,
        utilities=utilities,
    )
