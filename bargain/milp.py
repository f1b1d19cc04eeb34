"""HiGHS mixed-integer programs for problems with loose rectangle bonuses.

When many rectangle bonuses (or interaction cells) span issues that cannot be
grouped into small factors, the branch and bound of :mod:`bargain.search` can
only bound them loosely, while the linear relaxation of a mixed-integer
program with one indicator per bonus is far tighter (measured on 2 parties x
40 issues x 10 values with 100-300 rectangles per party: HiGHS proves the
utilitarian optimum in 0.2-1.2 s where the search leaves a gap after 15 s).
So for a compiled problem with loose bonuses, the criteria :class:`Nash`,
:class:`Linear` and :class:`MaxMin` are solved here, on the problem's *lean* form
(:func:`bargain.engine.compiled` with ``lean=True``: a term is folded into a joint table
only where that adds no more options than the bonuses it replaces; folding rectangles into
joint tables of 100 options, the search's form, made the same programs 1.1-2.9 times
slower, measured on 2 x 40 x 10 with 100 and 300 rectangles per party):

* one binary ``z[f, x]`` per option ``x`` of factor ``f`` (one chosen per factor),
  one binary ``y[t]`` per loose bonus (for a positive bonus ``y[t] <= sum of
  z[f, x] over the options in its mask``, for every factor it names; for a
  negative one ``y[t] >= sum of those sums - (factors named - 1)``), and one
  utility ``u[j] <= sum of contributions + bonuses`` (and ``<= cap[j]``);
  individual rationality is ``u[j] >= d[j] + RATIONAL_MARGIN``;
* :class:`Linear`: maximize ``w . u``; :class:`MaxMin`: maximize ``s`` with
  ``u[j] - d[j] >= scale[j] * s``; :class:`Level`: leximin's next level by cumulated
  sums of the smallest gains, a relaxation with no binaries (see :func:`_level`);
  :class:`Nash`: outer approximation,
  maximize ``sum p[j] * v[j]`` with tangent cuts ``v[j] <= log g0 + (g - g0) /
  g0`` (first at the incumbent and its stretched copies, or at :data:`NASH_SCALES`
  halvings of every party's largest gain) added at every new point until the gap
  is below :data:`NASH_GAP`;
* an incumbent (the search's best package, or the first round of the outer
  approximation when its gap is open) turns the maximization into one over the
  *other* packages, with the incumbent's score less ``tie_tol`` as a floor: no
  solution proves the incumbent optimal and its only tie in one program (measured
  on 8 parties x 20 issues: about the time of one maximization, where maximizing
  and then proving the ties took 1.5 times as long);
* a *known* package (the previous leximin level's, reaching the level's floors; for Nash
  the search's heuristic's) bounds the maximization from the start: HiGHS's
  ``objective_bound`` at the cost it reaches (:func:`_reached`) plus :data:`OBJECTIVE_BOUND_SLACK`
  prunes what cannot beat it (measured on 2 x 40 x 10 with 100 and 300 rectangles per
  party, seeds 0-4: leximin's level-1 programs 7.0 s against 5.1 s in all, egalitarian
  12.1 s against 10.5 s, Nash 6.4 s against 5.8 s; the heuristic's package as a bound on
  level 0 of max-min and the utilitarian total gained nothing there);
* HiGHS runs with zero gaps and :data:`FEASIBILITY` tolerances; every answer is
  re-scored in numpy from the package's choices (the objective HiGHS reports is
  never trusted), failures are retried without presolve and with other random seeds
  (:data:`RETRY_SEEDS`), and never read as
  "no deal", and "infeasible" is believed only from a run without presolve
  (with presolve, HiGHS has called feasible programs infeasible); so the programs
  expected to have no solution (over the other packages than the incumbent, the
  ties') run without presolve first: one solve where presolve then the proof took
  two (measured on Kalai–Smorodinsky 8 parties x 20 issues: 4 s, against 10.5 s);
  with ``value_only`` the incumbent is not excluded (a plain maximum, no proof);
* ties: a feasibility program (the criterion at least the best minus
  ``tie_tol`` less :data:`TIE_MARGIN`, for Nash its outer approximation,
  tightened at every package found that is no tie; the packages found so far
  excluded by no-good cuts) is solved until it has no solution; options a
  factor cannot tell apart (same contributions, same bonuses) are merged first
  and expanded afterwards, so the ties are listed by index, lowest first. After
  :data:`TIE_SOLVES` packages, or :data:`TIE_TIME` (:data:`LEVEL_TIE_TIME` with
  ``first_tie``) times the time to the optimum,
  the list is marked ``truncated`` (combinations can tie in astronomical numbers; a list
  cut short by time keeps only the maximizations' packages: where the deadline falls
  depends on the machine's load, and results must not), as it
  is at the first tie when the caller only asks whether the best is alone
  (``first_tie``); the ties' programs stop at their first solution (any package
  reaching the floor is a tie, numpy checks it), and at more than ``max_ties`` ties
  (the list then holds ``max_ties`` of the ties found, not necessarily the lowest
  indices: measured on egalitarian, 2 x 40 x 10 with 300 rectangles per party and
  ``max_ties=1``, handing such a list to the branch and bound instead, for the lowest
  indices, had not ended after 2 minutes, against 4.5 s for the whole concept);
* the ties' programs are also a second opinion on the optimum (they run without presolve,
  the maximization with it): one that finds a package *better* than the optimum by more
  than ``tie_tol`` shows that HiGHS's "optimal" was wrong (see :data:`FEASIBILITY`), and
  the maximization runs again over the other packages, that package's score as its
  floor, within the caller's deadline rather than the ties' (:data:`TIE_MIN_TIME` gives
  the ties' programs time for this when the optimum was found in milliseconds).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import heapq
import itertools
import math
import os
import threading
import time
import warnings

import numpy as np

from .criteria import Criterion, Level, Linear, MaxMin, Nash
from .engine import DEFAULT_UTILITY_TOLERANCE, Compiled, rational
from .errors import SolverError

__all__ = [
    "FEASIBILITY",
    "NASH_GAP",
    "RATIONAL_MARGIN",
    "interchangeable",
    "option_classes",
    "solve",
    "supports",
]

FEASIBILITY = 1e-9
"""HiGHS's primal feasibility and integrality tolerances. Not tighter: at 1e-10 HiGHS
1.12 returned packages well below the optimum with an "optimal" status (3 of 968 concept
runs on generated 6-issue problems with rectangles, interactions and red lines, e.g. a
utilitarian total of 23.2 where 28.4 is reached; at 1e-9, 1 of 3,120 on the same family,
and 1 of 3,120 with presolve always off, which is slower on ANAC 2014's domains: 5.5 s
against 7.6-8.1 s for every concept on the 10-, 30- and 50-issue ones). Looser, it admits
packages at the no-deal values, which numpy cuts off one by one. The 1 of 3,120 (and four
more like it) came from packages at the no-deal values themselves, at this tolerance's edge
under a floor of :data:`RATIONAL_MARGIN`: see :data:`ROBUST_MARGIN`."""


RATIONAL_MARGIN = DEFAULT_UTILITY_TOLERANCE
"""A package is taken as rational in the program when every gain is at least this: the
model's utility tolerance (HiGHS cannot state the strict ``>``; candidates are
checked again in numpy). Only where :data:`ROBUST_MARGIN` is not used."""

ROBUST_MARGIN = 10 * FEASIBILITY
"""The rationality floor of a maximization over all packages, the run with presolve
(:meth:`_Program.run` with ``robust``): ten times HiGHS's feasibility tolerance above the
no-deal values. At :data:`RATIONAL_MARGIN` a package at a no-deal value exactly (common
with integer values: many of them) sits at the tolerance's edge, and HiGHS returned
"optimal" packages below the optimum (utilitarian totals 43.2 for 43.3, 28.7 for 29.6,
16.7 for 17.4: five of about 20,000 runs on generated 6-issue problems with rectangles,
``_mixed_problem`` in the tests; at 3e-9 one of the five remained). A package whose smallest
gain lies between the two margins is left to the programs that follow at
:data:`RATIONAL_MARGIN` (the ties', which re-open the maximization when they find a
better package, and a maximization again where this one finds none); with ``value_only``
(a best score alone: Kalai–Smorodinsky's ideal point, the frontier's and lotteries' weighted
sums) none follow, so such a maximization keeps :data:`RATIONAL_MARGIN`."""

NASH_GAP = 1e-10
"""The outer approximation of the log Nash product stops when its bound exceeds
the best numpy score by at most this (relative to ``1 + |score|``)."""

NASH_SCALES = 6
"""Without a start, the outer approximation of Nash begins with tangents at every party's
largest possible gain and at its halves, this many points in all (measured near the
feasibility threshold, 8 parties x 20 issues, six instances: 22 s in all, against 26 s
with 12 points; from the one point (1, ..., 1), 3-9 rounds where these take 2)."""

TIE_MARGIN = 1e-9
"""Slack, relative to ``1 + |best|``, below the best minus ``tie_tol`` in the tie
enumeration's floor (HiGHS's answers are exact to about its feasibility
tolerance; what the slack admits beyond the ties is filtered in numpy)."""

OBJECTIVE_BOUND_SLACK = 1e-7
"""Slack, relative to ``1 + |cost|``, above the cost a known package reaches in HiGHS's
objective bound (:meth:`_Program.run`): far above HiGHS's tolerances, so the package's
own cost is never pruned."""


RETRY_SEEDS = (0, 1, 2)
"""HiGHS ``random_seed`` values a program runs with in turn (each with and without
presolve) until a run neither fails nor is presolve's unbelieved "infeasible": a solve
error at one seed often passes at another (Nash on ANAC 2014's 30issuesDiscountedwithRV
at profile-1's no-deal value 0.6162036036480593 failed at seed 0 both ways, solved at
seed 1). 0 is HiGHS's default, so a run that passes at once is unchanged."""


PROOF_OTHERS = True
"""Whether the maximum over the packages other than an incumbent runs without presolve
first (see :meth:`_Program.run`)."""


TIE_SOLVES = 3
"""Tie enumeration stops once this many packages tie (the best, and the incumbent or the
ties' feasibility programs' packages): combinations of options can tie in
astronomical numbers (many ways to earn the same bonuses). The list is then
``truncated`` and holds the ties found, not necessarily the lowest indices."""


TIE_TIME = 0.5
"""Tie enumeration may take at most this many times as long as the first solve; the
list is ``truncated`` when it is cut short."""


TIE_MIN_TIME = 0.1
"""Seconds tie enumeration may take in any case (where :data:`TIE_TIME` allows less): on
generated 6-issue problems with rectangles (``_mixed_problem`` in the tests), HiGHS called a
utilitarian total of 31.2 optimal in 17 ms where 32.9 is reached; the ties' program finds
the better package in about 20 ms, not in the 8 ms TIE_TIME allowed (see the module
docstring)."""


LEVEL_TIE_TIME = 8.0
""":data:`TIE_TIME` with ``first_tie`` (a leximin level two or more before the last), whose
truncated list makes leximin solve the next level again
(:func:`bargain.concepts._discrete.leximin`): measured
on egalitarian 8 parties x 30 issues, a proof of no ties cut short at 0.5 cost a Level
program 8 times as long as finishing the proof (27 s in all, against 220 s, under load;
the proof took 2.4 times as long as the optimum). At the last level a truncated list is
only marked, as for any criterion, so :data:`TIE_TIME` applies (measured on egalitarian,
2 parties x 40 issues x 10 values with 300 rectangles per party: the last level's proof
of no more ties took 1.7 times as long as its optimum, 5.3 CPU s of 12.6)."""


def _solution_limit(result) -> bool:
    """Whether HiGHS stopped at its limit on solutions with one at hand (scipy has no status
    of its own for it: 4, "not recognized", with HiGHS's message)."""
    return result.status == 4 and result.x is not None and "Solution limit" in result.message


@contextlib.contextmanager
def _quiet_stdout():
    """File descriptor 1 on the null device while HiGHS runs, its C streams flushed before
    it is given back: HiGHS 1.12 (scipy 1.17) prints a debug line
    (``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``) to
    the process's stdout from some runs, which corrupted ``bargain robustness ... --json``
    on ANAC 2014's 30-issue domain. Only in the main thread: another thread's output
    would be lost meanwhile (HiGHS's then goes through)."""
    saved = None
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(OSError):  # (no descriptor 1 at all: nothing to hide)
            saved = os.dup(1)
    if saved is None:
        yield
        return
    try:
        os.dup2(_null_device(), 1)
        yield
    finally:
        flush = _c_flush()
        if flush is not None:
            flush(None)
        os.dup2(saved, 1)
        os.close(saved)


@functools.cache
def _null_device() -> int:
    """A file descriptor on the null device, opened once."""
    return os.open(os.devnull, os.O_WRONLY)


@functools.cache
def _c_flush():
    """The C library's ``fflush`` (None where it cannot be loaded): ``fflush(NULL)`` sends
    a line HiGHS left in the C stdout buffer to the null device, not to later output."""
    try:
        return ctypes.CDLL(None).fflush
    except (OSError, AttributeError, TypeError):
        return None


def supports(criterion: Criterion) -> bool:
    """Whether :func:`solve` handles ``criterion``."""
    return isinstance(criterion, Nash | Linear | MaxMin | Level)


@dataclasses.dataclass
class _Rows:
    """Linear constraint rows in coordinate form, added one at a time."""

    rows: list[int] = dataclasses.field(default_factory=list)
    cols: list[int] = dataclasses.field(default_factory=list)
    values: list[float] = dataclasses.field(default_factory=list)
    lower: list[float] = dataclasses.field(default_factory=list)
    upper: list[float] = dataclasses.field(default_factory=list)
    count: int = 0

    def add(self, columns, coefficients, low: float, high: float) -> None:
        """The row ``low <= sum(coefficients * x[columns]) <= high``."""
        self.rows.extend([self.count] * len(columns))
        self.cols.extend(columns)
        self.values.extend(coefficients)
        self.lower.append(low)
        self.upper.append(high)
        self.count += 1

    def copy(self) -> _Rows:
        return _Rows(
            list(self.rows),
            list(self.cols),
            list(self.values),
            list(self.lower),
            list(self.upper),
            self.count,
        )


class _Program:
    """The variables and constraints shared by every criterion (see the module docstring)."""

    def __init__(self, compiled: Compiled, mip_feasibility: float = FEASIBILITY) -> None:
        self.compiled = compiled
        self.mip_feasibility = mip_feasibility
        n = compiled.n_parties
        sizes = [f.size for f in compiled.factors]
        self.starts = np.concatenate([[0], np.cumsum(sizes)])
        self.m = int(self.starts[-1])
        self.n_loose = len(compiled.loose)
        self.u0 = self.m + self.n_loose  # first utility column
        self.width = self.u0 + n
        self.rows = _Rows()
        add = self.rows.add
        for f, size in enumerate(sizes):
            add(range(self.starts[f], self.starts[f] + size), [1.0] * size, 1.0, 1.0)
        for t, term in enumerate(compiled.loose):
            y = self.m + t
            if term.bonus >= 0:
                for f, mask in term.masks:
                    chosen = (self.starts[f] + np.flatnonzero(mask)).tolist()
                    add([y, *chosen], [1.0] + [-1.0] * len(chosen), -math.inf, 0.0)
            else:
                columns, coefficients = [y], [-1.0]
                for f, mask in term.masks:
                    chosen = (self.starts[f] + np.flatnonzero(mask)).tolist()
                    columns += chosen
                    coefficients += [1.0] * len(chosen)
                add(columns, coefficients, -math.inf, len(term.masks) - 1.0)
        for j in range(n):
            columns, coefficients = [self.u0 + j], [1.0]
            for f, factor in enumerate(compiled.factors):
                columns += range(self.starts[f], self.starts[f] + factor.size)
                coefficients += (-factor.contrib[j]).tolist()
            for t, term in enumerate(compiled.loose):
                if term.party == j:
                    columns.append(self.m + t)
                    coefficients.append(-term.bonus)
            add(columns, coefficients, -math.inf, 0.0)
        cap = np.full(n, np.inf) if compiled.cap is None else compiled.cap
        self.u_low = compiled.disagreement + RATIONAL_MARGIN
        self.u_robust = compiled.disagreement + ROBUST_MARGIN
        self.u_high = cap

    def constraints(self, extra_columns: int, more: list[tuple[list, list, float, float]]):
        from scipy import sparse  # imported on first use (slow to import)
        from scipy.optimize import LinearConstraint

        rows = self.rows.copy()
        for row in more:
            rows.add(*row)
        matrix = sparse.csr_matrix(
            (rows.values, (rows.rows, rows.cols)), shape=(rows.count, self.width + extra_columns)
        )
        return LinearConstraint(matrix, np.array(rows.lower), np.array(rows.upper))

    def run(
        self,
        cost,
        extra_bounds,
        more,
        deadline,
        binaries: int = 0,
        proof: bool = False,
        first: bool = False,
        bound: float | None = None,
        robust: bool = False,
    ):
        """Minimize ``cost``; returns (status, choices per factor, x) or (status, None, None).

        ``extra_bounds`` bound the extra variables, the first ``binaries`` of them integer.
        ``proof``: the program is expected to have no solution (an incumbent's proof), so it
        runs without presolve first (the only run whose "infeasible" is believed).
        ``first``: any solution will do (a feasibility program minimizing ``cost`` only to
        prove infeasibility faster): HiGHS stops at its first, reported as "optimal".
        ``bound``: a cost some solution reaches (see :func:`_reached`); plus
        :data:`OBJECTIVE_BOUND_SLACK` it is HiGHS's objective bound, which prunes from the start; a
        run under it that ends with no solution is run again without it (so a wrong bound
        costs time, never an answer).
        ``robust``: the rationality floor is :data:`ROBUST_MARGIN`, not
        :data:`RATIONAL_MARGIN`."""
        from scipy.optimize import Bounds, milp  # imported on first use (slow to import)

        extra = len(extra_bounds)
        integrality = np.r_[
            np.ones(self.u0),
            np.zeros(self.width - self.u0),
            np.ones(binaries),
            np.zeros(extra - binaries),
        ]
        floors = self.u_robust if robust else self.u_low
        low = np.r_[np.zeros(self.u0), floors, [b[0] for b in extra_bounds]]
        high = np.r_[np.ones(self.u0), self.u_high, [b[1] for b in extra_bounds]]
        options = {
            "mip_rel_gap": 0.0,
            "mip_abs_gap": 0.0,
            "primal_feasibility_tolerance": FEASIBILITY,
            "mip_feasibility_tolerance": self.mip_feasibility,
        }
        if first:
            options["mip_max_improving_sols"] = 1
        if deadline < math.inf:
            options["time_limit"] = max(0.0, deadline - time.perf_counter())
        constraints = self.constraints(extra, more)
        result = None
        with warnings.catch_warnings():
            # HiGHS options scipy does not list are passed through (it warns).
            warnings.simplefilter("ignore", RuntimeWarning)
            # Presolve can call a feasible program infeasible (seen with these tight
            # tolerances when many packages sit just below a rationality floor): an
            # infeasibility is believed only without presolve.
            attempts = [
                (seed, presolve, {})
                for seed in RETRY_SEEDS
                for presolve in ((False, True) if proof else (True, False))
            ]
            if bound is not None:
                cutoff = bound + OBJECTIVE_BOUND_SLACK * (1.0 + abs(bound))
                attempts.insert(0, (RETRY_SEEDS[0], True, {"objective_bound": cutoff}))
            for seed, presolve, limits in attempts:
                with _quiet_stdout():
                    result = milp(
                        cost,
                        constraints=constraints,
                        integrality=integrality,
                        bounds=Bounds(low, high),
                        options={**options, "presolve": presolve, "random_seed": seed, **limits},
                    )
                if first and _solution_limit(result):
                    result.status = 0  # the feasibility program's answer
                if result.status in (0, 1) or (result.status == 2 and not presolve and not limits):
                    break
            else:
                if result.status == 2:  # only presolve's word for it: not believed
                    return "failed", None, None
        if result.status == 2:
            return "infeasible", None, None
        if result.x is None:
            return ("stopped" if result.status == 1 else "failed"), None, None
        choices = [
            int(np.argmax(result.x[self.starts[f] : self.starts[f + 1]]))
            for f in range(len(self.starts) - 1)
        ]
        return ("optimal" if result.status == 0 else "stopped"), choices, result

    def gains(self, choices: list[int]) -> np.ndarray:
        """The package's gains in numpy, from its choices (the engine's arithmetic)."""
        compiled = self.compiled
        total = np.zeros(compiled.n_parties)
        for factor, x in zip(compiled.factors, choices):
            total = total + factor.contrib[:, x]
        for term in compiled.loose:
            if all(mask[choices[f]] for f, mask in term.masks):
                total[term.party] += term.bonus
        return compiled.gains(total[:, None])[:, 0]

    def no_good(self, choices: list[int]) -> tuple[list, list, float, float]:
        columns = [int(self.starts[f]) + x for f, x in enumerate(choices)]
        return columns, [1.0] * len(columns), -math.inf, len(columns) - 1.0


def _objective(program: _Program, criterion: Criterion, floor: float | None):
    """Cost vector, extra variables' bounds, extra rows and the number of extra binaries
    for ``criterion``; with ``floor``, a feasibility program instead (zero cost): the
    criterion at least ``floor``."""
    n = program.compiled.n_parties
    d = program.compiled.disagreement
    u = program.u0
    if isinstance(criterion, Linear):
        cost = np.zeros(program.width)
        cost[u : u + n] = -criterion.weights
        more = []
        if floor is not None:
            more.append(
                (
                    list(range(u, u + n)),
                    criterion.weights.tolist(),
                    floor + criterion.weights @ d,
                    math.inf,
                )
            )
        return (cost if floor is None else np.zeros_like(cost)), [], more, 0
    if isinstance(criterion, Level):
        cost, extra, more, binaries = _level(program, criterion)
        if floor is not None:
            extra[-1] = (floor, extra[-1][1])
            cost = np.zeros_like(cost)
        return cost, extra, more, binaries
    # MaxMin: one more variable s with u_j - d_j >= scale_j s.
    cost = np.zeros(program.width + 1)
    cost[-1] = -1.0
    more = [
        ([u + j, program.width], [1.0, -float(criterion.scale[j])], float(d[j]), math.inf)
        for j in range(n)
    ]
    if floor is None:
        return cost, [(-math.inf, math.inf)], more, 0
    return np.zeros_like(cost), [(floor, math.inf)], more, 0


def _level(program: _Program, criterion: Level):
    """Leximin level ``l`` as a relaxation without binaries, by cumulated sums (Ogryczak and
    Śliwiński 2003: leximin is the lexicographic maximum of ``S_1, S_2, ...``, ``S_k`` the
    sum of the ``k`` smallest scaled gains ``h_j = g_j / scale_j``). ``S_k`` is concave,
    ``max over t of k t - sum_j max(0, t - h_j)``: variables ``t_k`` and ``w[k, j] >= t_k -
    h_j``, ``w >= 0``. The earlier levels' floors ``F_i`` hold as ``S_k >= F_0 + ... +
    F_(k-1)`` for ``k <= l``, and the level's variable is ``s <= S_(l+1) - (F_0 + ... +
    F_(l-1))``: every package whose ``l``-th smallest reaches ``s`` with the smaller ones at
    their floors is feasible with that ``s`` (a floor on ``s`` relaxes the criterion's floor
    alike), and since no smaller one exceeds its level's optimum, the program's optimum is
    the level's within ``l`` times the tie tolerance. Packages the relaxation admits are
    scored in numpy (:meth:`Level.value`), as every answer is, and the ties' programs find
    the level's optimum where it differs. Its linear relaxation is the concave one, where
    the order statistic's big-M binaries (one per party and level) left HiGHS a loose bound
    (measured on egalitarian, 2 parties x 40 issues x 10 values with 300 rectangles per
    party, seeds 0-4: level 1's maximum 0.19-1.97 s against 0.94-2.08 s with the binaries,
    the whole solution 1.3-5.0 s against 2.4-5.3 s)."""
    n = program.compiled.n_parties
    d = program.compiled.disagreement
    u = program.u0
    inverse = 1.0 / criterion.scale
    low, high = _utility_range(program.compiled)
    # t_k at its optimum is the k-th smallest scaled gain: within their range
    reach = float(np.max(np.abs(np.r_[(low - d) * inverse, (high - d) * inverse])))
    levels = criterion.level + 1
    floors = np.cumsum((0.0, *criterion.floors))  # F_0 + ... + F_(k-1), k = 0..l
    s = program.width + levels * (n + 1)  # columns t_k, w[k, 0..n-1] per level, then s
    cost = np.zeros(s + 1)
    cost[s] = -1.0
    extra, more = [], []
    for k in range(1, levels + 1):
        t = program.width + (k - 1) * (n + 1)
        w = list(range(t + 1, t + 1 + n))
        extra += [(-reach, reach)] + [(0.0, math.inf)] * n
        for j in range(n):  # w[k, j] - t_k + (u_j - d_j) / scale_j >= 0
            more.append(([w[j], t, u + j], [1.0, -1.0, inverse[j]], d[j] * inverse[j], math.inf))
        if k < levels:  # S_k >= F_0 + ... + F_(k-1)
            more.append(([t, *w], [float(k)] + [-1.0] * n, float(floors[k]), math.inf))
        else:  # s <= S_k - (F_0 + ... + F_(k-2))
            more.append(
                ([t, *w, s], [float(k)] + [-1.0] * n + [-1.0], float(floors[k - 1]), math.inf)
            )
    return cost, [*extra, (-math.inf, math.inf)], more, 0


def _reached(program: _Program, criterion: Criterion, gains: np.ndarray) -> float:
    """The cost that the program maximizing ``criterion`` (:func:`_objective`, :func:`_nash`)
    reaches at a package with these gains, or below: a bound on its optimum from a known
    package. (Nash's tangents over-estimate the log, so its cost there is at most minus
    the log Nash product.)"""
    if isinstance(criterion, Linear):
        return -float(criterion.weights @ (gains + program.compiled.disagreement))
    if isinstance(criterion, Level):  # s = S_(l+1) less the earlier levels' floors
        smallest = np.sort(gains / criterion.scale)[: criterion.level + 1]
        return -float(smallest.sum() - sum(criterion.floors))
    return -float(criterion.value(gains[:, None])[0])  # MaxMin's s, Nash's log product


def _utility_range(compiled: Compiled) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on each party's utility over the packages: every factor's worst (best) option
    and every loose bonus that lowers (raises) it, the best capped."""
    n = compiled.n_parties
    low = sum((f.contrib.min(axis=1) for f in compiled.factors), np.zeros(n))
    high = sum((f.contrib.max(axis=1) for f in compiled.factors), np.zeros(n))
    for term in compiled.loose:
        low[term.party] += min(term.bonus, 0.0)
        high[term.party] += max(term.bonus, 0.0)
    if compiled.cap is not None:
        high = np.minimum(high, compiled.cap)
    return low, high


def _nash(
    program: _Program,
    criterion: Nash,
    cuts,
    deadline,
    excluded,
    floor=None,
    best=True,
    proof=False,
    bound=None,
    robust=False,
):
    """One round of the outer approximation: (status, choices, numpy score, gap) of the
    package maximizing the over-estimated product (with ``floor``: among those whose
    over-estimate reaches it; with ``best`` False, the first such package found); the
    gap is the over-estimate less the score (0 with ``best`` False), the score ``-inf``
    (gap ``inf``) for a package numpy does not take as rational (HiGHS's tolerance admits
    gains a hair below :data:`RATIONAL_MARGIN`). ``proof``, ``bound`` and ``robust`` as for
    :meth:`_Program.run`."""
    n = program.compiled.n_parties
    d = program.compiled.disagreement
    u = program.u0
    powers = criterion.powers
    positive = [j for j in range(n) if powers[j] > 0]
    span = float(np.max(program.u_high - d, initial=1.0))
    cost = np.zeros(program.width + n)
    if best:
        cost[program.width :] = -powers
    more = list(excluded)
    if floor is not None:  # a feasibility program: the (over-estimated) product >= floor
        more.append(
            (list(range(program.width, program.width + n)), powers.tolist(), floor, math.inf)
        )
    for g0 in cuts:
        for j in positive:
            # v_j - (u_j - d_j) / g0_j <= log g0_j - 1
            more.append(
                (
                    [program.width + j, u + j],
                    [1.0, -1.0 / g0[j]],
                    -math.inf,
                    math.log(g0[j]) - 1.0 - d[j] / g0[j],
                )
            )
    top = math.log(max(span, 1.0)) + 1.0
    bounds = [(-math.inf, top) if powers[j] > 0 else (0.0, 0.0) for j in range(n)]
    status, choices, result = program.run(
        cost, bounds, more, deadline, proof=proof, bound=bound, robust=robust
    )
    if choices is None:
        return status, None, -math.inf, math.inf
    gains = program.gains(choices)
    if not rational(gains):  # (within HiGHS's tolerance of the margin: the caller cuts it off)
        return status, choices, -math.inf, math.inf
    score = float(criterion.value(gains[:, None])[0])
    return status, choices, score, max(0.0, -float(result.fun) - score) if best else 0.0


def _seed_points(criterion: Nash, start: np.ndarray | None, compiled: Compiled):
    """Points of the first tangents: ``start`` and its stretched copies (the search's,
    :meth:`Nash.tangent_points`); without a start, every party's largest possible gain
    halved :data:`NASH_SCALES` times (the log within a few hundredths of a nat from the
    outset, where the optimum's gains may be a small fraction of the largest)."""
    n = compiled.n_parties
    if start is None or not np.all(start > 0):
        top = _utility_range(compiled)[1] - compiled.disagreement
        if not np.all(top > 0):
            return [np.ones(n)]
        return [top * 0.5**k for k in range(NASH_SCALES)]
    return list(criterion.tangent_points(start))


def _classes(compiled: Compiled) -> tuple[Compiled, list[list[np.ndarray]]]:
    """Options of a factor that give every party the same contribution and fall in the
    same loose bonuses are interchangeable: the problem over one representative per
    class, and each factor's classes (arrays of member options)."""
    factors, classes, keep = [], [], []
    for f, factor in enumerate(compiled.factors):
        masks = [mask for term in compiled.loose for g, mask in term.masks if g == f]
        signature = np.vstack([factor.contrib, *(np.asarray(masks, dtype=float))])
        _, first, inverse = np.unique(signature.T, axis=0, return_index=True, return_inverse=True)
        order = np.argsort(first)
        groups = [np.flatnonzero(inverse.reshape(-1) == g) for g in order]
        representatives = np.array([members[0] for members in groups], dtype=np.int64)
        keep.append(representatives)
        classes.append(groups)
        factors.append(
            dataclasses.replace(
                factor,
                positions=factor.positions[representatives],
                contrib=factor.contrib[:, representatives],
                offsets=factor.offsets[representatives],
            )
        )
    loose = tuple(
        dataclasses.replace(term, masks=tuple((f, mask[keep[f]]) for f, mask in term.masks))
        for term in compiled.loose
    )
    return dataclasses.replace(compiled, factors=tuple(factors), loose=loose), classes


def _indices(compiled: Compiled, members: list[np.ndarray]):
    """The package indices of every combination of the given member options per factor,
    ascending (a generator: issues are assigned in index order, first issue slowest).

    Only the issues on which a factor's members differ branch; the others add their one
    option's offset (a tie class is mostly single options: listing 1,000 ties of a
    2 x 40 x 10 rectangle problem walked every issue of every package, 35 ms a solve)."""
    base = 0
    varying = []  # (issue, factor, column), in index order
    for f, factor in enumerate(compiled.factors):
        options = factor.positions[members[f]]
        for column, k in enumerate(factor.issues):
            if np.all(options[:, column] == options[0, column]):
                base += int(options[0, column]) * compiled.strides[k]
            else:
                varying.append((k, f, column))
    varying.sort()
    factors = [f for _, f, _ in varying]
    if len(set(factors)) == len(factors):  # no factor varies on two issues: a plain product
        values = [
            np.unique(compiled.factors[f].positions[members[f], column]).tolist()
            for _, f, column in varying
        ]
        strides = [compiled.strides[k] for k, _, _ in varying]
        return (
            base + sum(v * stride for v, stride in zip(combination, strides))
            for combination in itertools.product(*values)
        )

    def walk(position: int, index: int, subsets: tuple[np.ndarray, ...]):
        if position == len(varying):
            yield index
            return
        k, f, column = varying[position]
        options = compiled.factors[f].positions[subsets[f], column]
        for value in np.unique(options).tolist():
            narrowed = list(subsets)
            narrowed[f] = subsets[f][options == value]
            yield from walk(position + 1, index + value * compiled.strides[k], tuple(narrowed))

    return walk(0, base, tuple(members))


def _choices(compiled: Compiled, classes: list[list[np.ndarray]], index: int) -> list[int]:
    """The class chosen on each factor by the package ``index`` (an allowed package)."""
    choices = []
    for factor, groups in zip(compiled.factors, classes):
        options = [(index // compiled.strides[k]) % compiled.sizes[k] for k in factor.issues]
        row = int(np.flatnonzero((factor.positions == options).all(axis=1))[0])
        choices.append(next(c for c, members in enumerate(groups) if row in members))
    return choices


def solve(
    compiled: Compiled,
    criterion: Criterion,
    *,
    tie_tol,
    max_ties,
    deadline=math.inf,
    value_only: bool = False,
    first_tie: bool = False,
    incumbent: int | None = None,
    classes: tuple[Compiled, list[list[np.ndarray]]] | None = None,
    mip_feasibility: float = FEASIBILITY,
    known: np.ndarray | None = None,
):
    """The best packages for ``criterion`` by HiGHS: ``(score, [(index, gains)...] ascending,
    truncated, unproven, optimal, gap)``; ``score`` is ``-inf`` with no list when no package is
    rational. ``truncated``: more than ``max_ties`` packages tie (the list holds
    ``max_ties`` of those found, see the module docstring), or
    :data:`TIE_SOLVES` packages were found without proving that no other ties, or
    when ``value_only`` (then only the best package is looked for), or when ``first_tie``
    and a package ties with the best (then the ties are not looked for further: the
    caller only asks whether the best is alone, e.g. a leximin level two or more before
    the last, whose ties are resolved by the next level over all packages). ``classes`` is
    :func:`option_classes` of a problem with the same factors and loose bonuses (its
    disagreement point and caps may differ), computed once for many solves.
    ``mip_feasibility`` is HiGHS's ``mip_feasibility_tolerance`` (see
    :data:`bargain.frontier.HIGHS_MIP_FEASIBILITY`).

    ``incumbent`` is a rational package (e.g. the search's best so far): the first
    program then maximizes over the other packages with the incumbent's score less
    ``tie_tol`` as a floor, so that no solution proves it optimal and its only tie
    (see the module docstring). For Nash its gains also seed the outer approximation
    (see :meth:`Nash.linear`). ``known`` is a rational package's gains (e.g. the search's
    heuristic's, or the previous leximin level's): the maximization over all packages
    gets the score it reaches as HiGHS's objective bound (see the module docstring), and
    without an incumbent Nash's first tangents are taken there too: fewer rounds
    (measured on 2 x 40 x 10 with 100 and 300 rectangles per party: 5 -> 3 rounds, 0.27-0.33
    -> 0.20-0.23 s and 1.95 -> 1.24-1.34 s)."""
    if compiled.empty:
        return -math.inf, [], False, False, True, 0.0
    reduced, classes = option_classes(compiled, classes)
    program = _Program(reduced, mip_feasibility)
    found: list[tuple[list[int], np.ndarray, float]] = []
    cuts: list[np.ndarray] = []
    excluded: list = []  # no-good cuts of the packages found
    irrational: list = []  # and of packages HiGHS took as rational that numpy does not
    best, optimal, gap = -math.inf, True, 0.0
    start = None
    choices = None if incumbent is None else _choices(compiled, classes, incumbent)
    gains = None if choices is None else program.gains(choices)
    if gains is not None and rational(gains):
        start = gains
        best = float(criterion.value(start[:, None])[0])
        found.append((choices, start, best))
        excluded.append(program.no_good(choices))
    reached = None if known is None else _reached(program, criterion, known)
    unproven = False
    certified = False  # whether ``best`` is proven optimal
    maximize = True  # the next program maximizes (else: the ties' feasibility program)
    # It maximizes over the packages other than the incumbent (with ``value_only``, over
    # all of them: the best score is all that is asked, and a plain maximum is proven
    # optimal with no proof of infeasibility).
    others = bool(found) and not value_only
    limited = False  # whether the ties' proof has its deadline
    started, given_deadline = time.perf_counter(), deadline
    # Ties found by the ties' programs, and whether a deadline cut those programs short:
    # where it fell depends on the machine's speed and load, so such ties are then
    # dropped and the list holds what the maximizations found (the same on every run).
    by_ties: list[list[int]] = []
    cut = False
    robust_floor = True  # whether a maximization over all packages has ROBUST_MARGIN
    while True:
        floor = None if not found else best - tie_tol - TIE_MARGIN * (1 + abs(best))
        if certified and not maximize and not limited:
            # Proving the ties may take no longer than finding the optimum did.
            now = time.perf_counter()
            share = LEVEL_TIE_TIME if first_tie else TIE_TIME
            allowed = max(TIE_MIN_TIME, share * (now - started))
            deadline, limited = min(deadline, now + allowed), True
        avoid = irrational + excluded if others or not maximize else irrational
        # Expected to have no solution: the ties' programs, and (see PROOF_OTHERS) the
        # maximum over the packages other than an incumbent.
        proof = not maximize or (others and PROOF_OTHERS)
        # (over the other packages the floor is the incumbent's bound already)
        bound = reached if maximize and not others else None
        # (with value_only no ties' programs follow to see what lies between the margins)
        robust = robust_floor and maximize and not others and not value_only
        if isinstance(criterion, Nash):
            if not cuts:
                cuts += _seed_points(criterion, start, reduced)
                if start is None and known is not None:
                    cuts += _seed_points(criterion, known, reduced)
            status, choices, score, stage_gap = _nash(
                program, criterion, cuts, deadline, avoid, floor, maximize, proof, bound, robust
            )
            converged = score == -math.inf or stage_gap <= NASH_GAP * (1.0 + abs(score))
            if score > -math.inf and (score < best - tie_tol or not converged):
                cuts.append(program.gains(choices))  # tighter tangents near the optimum
        else:
            _, extra, more, binaries = _objective(program, criterion, floor)
            # Maximized with the floor, the ties' programs too: their proof of no solution
            # is then faster (measured on egalitarian 8 parties x 30 issues: 6.6 s, against
            # 19.4 s for the feasibility program with no objective).
            cost = _objective(program, criterion, None)[0]
            status, choices, _ = program.run(
                cost, extra, more + avoid, deadline, binaries, proof, not maximize, bound, robust
            )
            score, stage_gap, converged = -math.inf, math.inf, True
            if choices is not None:
                gains = program.gains(choices)
                if rational(gains):
                    score = float(criterion.value(gains[:, None])[0])
        if status == "failed":
            raise SolverError(
                "HiGHS failed on the program, with and without presolve, at random seeds "
                f"{', '.join(map(str, RETRY_SEEDS))}"
            )
        if choices is None and robust and status == "infeasible":
            robust_floor = False  # none at ROBUST_MARGIN: one between the margins?
            continue
        if choices is None:
            if status == "stopped" and certified:
                unproven = cut = True  # the optimum is proven; the list of ties is not
            elif status == "stopped":
                optimal, gap = False, max(gap, stage_gap)
            break  # no (other) package reaches the floor: the list is complete
        if status == "stopped" and certified and not maximize:
            unproven = cut = True  # a tie found by a stopped proof: the list is not proven
        elif status == "stopped":
            optimal, gap = False, max(gap, stage_gap)
        if score == -math.inf:
            irrational.append(program.no_good(choices))
            continue
        if all(choices != entry[0] for entry in found):  # (value_only: the incumbent again)
            excluded.append(program.no_good(choices))
            found.append((choices, program.gains(choices), score))
            if not maximize:
                by_ties.append(choices)
        if certified and score > best + tie_tol:
            # A ties' program beat the proven optimum: HiGHS's "optimal" was wrong (see
            # FEASIBILITY). The maximum is sought again, over the other packages with this
            # one's score as the floor, within the caller's deadline.
            best, certified, limited, deadline = score, False, False, given_deadline
            maximize = others = True
            by_ties.remove(choices)  # (a candidate for the optimum, not a tie)
            continue
        best = max(best, score)
        if status == "optimal" and not converged:
            # The outer approximation goes on over the other packages, the best one's
            # score as a floor: one program then proves the optimum and its ties.
            maximize = others = True
            continue
        certified = certified or (maximize and status == "optimal")
        if certified and _class_size(classes, choices) > max_ties:
            break  # the optimum's own class already overflows the list: nothing to prove
        if certified and first_tie and _class_size(classes, choices) > 1:
            unproven = True  # its own class holds a tie
            break
        if status == "stopped" or value_only or (others and score < best - tie_tol):
            # (the last: the incumbent beats every other package by more than tie_tol)
            unproven = unproven or value_only
            break
        tied = sum(entry[2] >= best - tie_tol for entry in found)
        if tied > max_ties or (first_tie and tied > 1) or (not maximize and tied >= TIE_SOLVES):
            unproven = True  # more ties than asked for, or than it is worth proving
            break
        maximize = others = False
    kept = [
        entry for entry in found if entry[2] >= best - tie_tol and not (cut and entry[0] in by_ties)
    ]
    # (each stream pairs its own gains: a generator expression would read the loop's last)
    streams = [
        zip(_indices(compiled, [classes[f][x] for f, x in enumerate(c)]), itertools.repeat(gains))
        for c, gains, _ in kept
    ]
    listed = list(itertools.islice(heapq.merge(*streams, key=lambda pair: pair[0]), max_ties + 1))
    return best, listed[:max_ties], len(listed) > max_ties or unproven, unproven, optimal, gap


def _class_size(classes: list[list[np.ndarray]], choices: list[int]) -> int:
    """How many packages share the class of options ``choices`` (one class per factor):
    each has the very same utilities."""
    return math.prod(len(classes[f][x]) for f, x in enumerate(choices))


def option_classes(
    compiled: Compiled, known: tuple[Compiled, list[list[np.ndarray]]] | None = None
) -> tuple[Compiled, list[list[np.ndarray]]]:
    """:func:`_classes` of ``compiled``; from ``known``, the classes of a problem with the
    same factors and loose bonuses, with ``compiled``'s disagreement point and caps."""
    if known is None:
        return _classes(compiled)
    reduced, classes = known
    return (
        dataclasses.replace(reduced, disagreement=compiled.disagreement, cap=compiled.cap),
        classes,
    )


def interchangeable(
    compiled: Compiled,
    positions: tuple[int, ...],
    limit: int,
    classes: tuple[Compiled, list[list[np.ndarray]]] | None = None,
) -> list[int]:
    """The first ``limit`` package indices, ascending, of the packages that differ from the
    one at option ``positions`` (one per issue) only by options its factors cannot tell
    apart (:func:`_classes`; ``classes`` as for :func:`solve`): packages with the very
    same utilities, found without a solve (others may tie with it through other
    combinations)."""
    _, classes = option_classes(compiled, classes)
    members = []
    for f, factor in enumerate(compiled.factors):
        row = np.flatnonzero(np.all(factor.positions == [positions[k] for k in factor.issues], 1))
        members.append(next(group for group in classes[f] if row[0] in group))
    return list(itertools.islice(_indices(compiled, members), limit))
