"""Every concept over lotteries of packages (``lotteries=True``).

A lottery picks package ``x_i`` with probability ``lambda_i``; each party values
it at its expected utility. The feasible set is therefore the convex hull ``H``
of the utility vectors of the packages that cross no red line, and a lottery is
individually rational when its *expected* utilities beat disagreement, even if
none of its packages does. Every concept is solved exactly over ``H`` by
column generation, never enumerating the space:

1. **Oracle.** For a direction ``y``, the package maximizing ``y . u(x)`` over
   the allowed packages is found factor by factor (utilities are additive over
   the engine's factors, red lines live inside them), in time proportional to
   the number of options, not of packages; for non-additive utilities by the
   engine's exact search (:func:`bargain.search.best_search`, HiGHS for loose
   rectangle bonuses).
2. **Master.** Over the packages found so far, the concept is solved exactly:
   linear programs (scipy's HiGHS dual simplex) for the egalitarian,
   Kalai–Smorodinsky and utilitarian criteria, SLSQP on the log Nash product.
3. **Certificate.** The master's dual prices (the gradient, for Nash) give a
   direction ``y`` with ``optimum <= master value + max_x y . u(x) - y . U``;
   the oracle evaluates the bound. The loop adds the oracle's package until
   that gap is below :data:`LOTTERY_TOLERANCE` (relative to ``1 + |value|``);
   ``Solution.gap`` reports the bound reached and ``optimal`` whether it is
   below the tolerance.

First a phase 1 maximizes the smallest gain over ``H``: there is an agreement
when it exceeds the model's utility tolerance
(:data:`bargain.engine.DEFAULT_UTILITY_TOLERANCE`, as for packages) or when some single
package is individually rational. Individual rationality is then imposed in
its closed form, expected gains ``>= 0`` (the supremum over strictly rational
lotteries is attained there). For Kalai–Smorodinsky the ideal point is each
party's best expected utility over those lotteries (one linear program each).

The support is finally reduced (Carathéodory: moving along affine dependencies
of the support's utility vectors, which keeps the expected utilities) to at
most ``n_parties`` packages when the optimum lies on the boundary of ``H``, as
it does for every concept here, and ``n_parties + 1`` otherwise. The best
single package under the same criterion (found by the engine) seeds the
master, and is returned as a lottery of one package if it scores at least as
well: a lottery solution is never worse than every package.

The result: ``Solution.lottery`` is ``((index, probability), ...)`` ascending by
index, probabilities summing to one; ``utilities`` are expected utilities;
``index`` and ``outcome`` show the most probable package (the lowest index
among equally probable ones); ``ties`` is empty, since the optimum is a point
of utility space that several lotteries may realize; ``score`` is the
concept's objective at the expected utilities.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from .. import engine, milp, search
from ..criteria import SLSQP_MAX_ITERATIONS, Linear, MaxMin, Nash
from ..errors import SolverError, ValidationError
from ..problem import Problem
from ..solution import Solution
from ._criteria import Goal, no_agreement, resolve
from ._discrete import Run, SearchOptions, tie_ruled

__all__ = [
    "LOTTERY_TOLERANCE",
    "MASTER_TOLERANCE",
    "MAX_ROUNDS",
    "SEED_LIMIT",
    "SUPPORT_TOLERANCE",
]

LOTTERY_TOLERANCE = 1e-9
"""Column generation stops when the certified gap to the optimum over all
lotteries is at most this, relative to ``1 + |objective|``."""

MASTER_TOLERANCE = 1e-13
"""SLSQP's ``ftol`` on the Nash master (the certificate, not this, decides optimality)."""

NEWTON_STEPS = 30
"""At most this many Newton steps polish the Nash master's weights."""

NEWTON_SMALLEST_STEP = 1e-15
"""Newton polishing stops when a step moves no weight by more than this."""

SUPPORT_TOLERANCE = 1e-12
"""Probabilities at most this are dropped from a lottery (then renormalized)."""

RANK_TOLERANCE = 1e-10
"""Singular values below this, relative to the largest, count as zero when the
support's affine dependencies are sought (:func:`_reduce_support`)."""

LINE_SEARCH_PENALTY = 1e6
"""Beyond the rational region the line search's loss is the start's plus this: Brent's
method needs finite values."""

LINE_SEARCH_XATOL = 1e-14
"""Brent's absolute tolerance on the line search's step (in ``[0, 1]``)."""

MASTER_FLOOR = 1e-12
"""The Nash master keeps every expected gain above this times the start's smallest."""

SEED_LIMIT = 10**8
"""Spaces of at most this many allowed packages also get the engine's best single
package as a starting column and as a floor (larger ones rely on the certificate)."""

MAX_ROUNDS = 1000
"""Column generation rounds per linear or convex program before giving up the
certificate (``Solution.optimal`` is then False)."""

_HIGHS = {
    "primal_feasibility_tolerance": milp.FEASIBILITY,
    "dual_feasibility_tolerance": milp.FEASIBILITY,
}


class _Columns:
    """The packages found so far: indices and utility vectors (n_parties, m)."""

    def __init__(self, compiled: engine.Compiled, additive: bool = True) -> None:
        self.compiled = compiled
        self.everything = None
        if not additive:  # every allowed package rational: disagreement below all utilities
            low = sum(f.contrib.min(axis=1) for f in compiled.factors)
            for term in compiled.loose:
                low[term.party] += min(term.bonus, 0.0)
            if compiled.cap is not None:
                low = np.minimum(low, compiled.cap)
            self.everything = dataclasses.replace(compiled, disagreement=low - 1.0)
        self.indices: list[int] = []
        self.utilities = np.empty((compiled.n_parties, 0))

    def add(self, index: int, utilities: np.ndarray) -> bool:
        """Add a package; False if it was already there."""
        if index in self.indices:
            return False
        self.indices.append(index)
        self.utilities = np.column_stack([self.utilities, utilities])
        return True

    def best_response(self, direction: np.ndarray) -> tuple[int, np.ndarray]:
        """The allowed package maximizing ``direction . u`` (``direction >= 0``) and its
        utilities.

        Additive problems: factor by factor, the first best combination (exact ties
        go to the earliest combination). Otherwise the engine's exact search (HiGHS
        for loose bonuses) over every allowed package, disagreement moved below
        every utility so that none is excluded.
        """
        compiled = self.compiled
        if self.everything is not None:
            found = self.search(direction)
            return int(found.indices[0]), found.gains[:, 0] + self.everything.disagreement
        choices = [int(np.argmax(direction @ factor.contrib)) for factor in compiled.factors]
        utilities = sum(
            factor.contrib[:, choice] for factor, choice in zip(compiled.factors, choices)
        )
        if compiled.indexable:
            index = int(sum(int(f.offsets[c]) for f, c in zip(compiled.factors, choices)))
        else:
            index = compiled.package_index(tuple(choices))
        return index, np.asarray(utilities, dtype=float)

    def search(self, direction: np.ndarray) -> engine.Best:
        criterion = Linear(np.asarray(direction, dtype=float))
        if self.everything.loose:
            _, listed, _, _, _, _ = milp.solve(
                self.everything, criterion, tie_tol=0.0, max_ties=1, value_only=True
            )
            index, gains = listed[0]
            return engine.Best(0.0, np.array([index], dtype=object), gains[:, None], False, 0)
        return search.best_search(self.everything, criterion, tie_tol=0.0, max_ties=1)

    def price(self, direction: np.ndarray, point: np.ndarray) -> tuple[float, int, np.ndarray]:
        """Certified gap ``max_x direction . (u(x) - point)`` and the package reaching it."""
        index, utilities = self.best_response(direction)
        return float(direction @ (utilities - point)), index, utilities


def solve_lottery(problem: Problem, concept: str, goal: Goal, options: SearchOptions) -> Solution:
    """The optimum of ``goal`` over the lotteries of allowed packages.

    ``options.time_budget`` bounds the whole solve: when it runs out, column
    generation stops with ``optimal`` False and the certified ``gap`` reached.
    """
    deadline = math.inf
    if options.time_budget is not None:
        deadline = time.perf_counter() + options.time_budget
    compiled = engine.compiled(problem, options.memory_budget, loose=not problem.additive)
    if compiled.empty:
        return no_agreement(problem, concept, {"method": "lotteries", "rounds": 0})
    n = problem.n_parties
    d = np.asarray(problem.disagreement, dtype=float)
    if isinstance(goal, Nash) and np.any(goal.powers == 0):
        raise ValidationError(
            f"{concept}: lotteries=True needs every bargaining power > 0, got powers "
            f"{list(map(float, goal.powers))}"
        )
    columns = _Columns(compiled, problem.additive)
    for direction in [*np.eye(n), np.ones(n)]:
        columns.add(*columns.best_response(direction))
    rounds = 0
    # Phase 1: the largest smallest gain over H, which decides whether there is a deal.
    phase1, used = _linear_master(columns, d, np.zeros(n), np.ones(n), deadline=deadline)
    rounds += used
    smallest_gain = float(np.min(columns.utilities @ phase1.weights - d))
    seeded = compiled.indexable and compiled.allowed_size <= SEED_LIMIT
    run = Run(problem, concept, options)
    if smallest_gain <= engine.DEFAULT_UTILITY_TOLERANCE and not (
        phase1.value >= 0 and seeded and run.best(MaxMin(np.ones(n))).found
    ):
        return no_agreement(problem, concept, {"method": "lotteries", "rounds": rounds})
    stats = {"method": "lotteries, column generation"}

    def best_gain(criterion: Linear) -> float:
        nonlocal rounds
        best, used = _linear_master(columns, d, criterion.weights, np.zeros(n), deadline=deadline)
        rounds += used
        return best.value

    criterion = resolve(goal, n, best_gain)
    if criterion is not goal:
        stats["ideal"] = dict(zip(problem.party_names, map(float, criterion.scale + d)))
    nothing = engine.Best(-math.inf, np.empty(0, dtype=np.int64), np.empty((n, 0)), False, 0)
    single = run.best(criterion) if seeded else nothing
    single = tie_ruled(single, concept, problem.powers)  # (a max-min tie may be dominated)
    if single.found:
        columns.add(int(single.indices[0]), single.gains[:, 0] + d)
    if isinstance(criterion, Nash):
        result, used = _nash_master(columns, d, criterion.powers, phase1, deadline)
    elif isinstance(criterion, MaxMin):
        result, used = _linear_master(columns, d, np.zeros(n), criterion.scale, deadline=deadline)
    else:
        best, used = _linear_master(columns, d, criterion.weights, np.zeros(n), deadline=deadline)
        rounds += used
        # Among (nearly) utilitarian lotteries, the one with the largest smallest gain,
        # so that no party is left exactly at disagreement when that can be avoided.
        floor = best.value - LOTTERY_TOLERANCE * (1 + abs(best.value))
        result, used = _linear_master(columns, d, np.zeros(n), np.ones(n), floor, deadline=deadline)
        result.gap = best.gap
    rounds += used
    weights = np.pad(result.weights, (0, len(columns.indices) - result.weights.size))
    support, probabilities = _reduce_support(columns.utilities, weights)
    indices = [columns.indices[i] for i in support]
    expected = columns.utilities[:, support] @ probabilities
    score = float(criterion.value((expected - d)[:, None])[0])
    if single.found and float(criterion.value(single.gains[:, :1])[0]) >= score:
        indices, probabilities = [int(single.indices[0])], np.ones(1)
        expected = single.gains[:, 0] + d
        score = float(criterion.value(single.gains[:, :1])[0])
    order = np.argsort(indices, kind="stable")
    lottery = tuple((int(indices[i]), float(probabilities[i])) for i in order)
    # The most probable package; probabilities within LOTTERY_TOLERANCE tie, lowest index first.
    top = max(probability for _, probability in lottery)
    most_probable = next(i for i, p in lottery if p >= top - LOTTERY_TOLERANCE)
    stats.update(rounds=rounds, columns=len(columns.indices))
    return Solution(
        problem=problem,
        concept=concept,
        index=most_probable,
        ties=(),
        utilities=dict(zip(problem.party_names, map(float, expected))),
        agreement=True,
        score=score,
        lottery=lottery,
        optimal=result.gap <= LOTTERY_TOLERANCE * (1 + abs(result.value)),
        gap=result.gap,
        stats=stats,
    )


class _Master:
    """A master solution: the objective value, the weights on the columns, the gap."""

    def __init__(self, value: float, weights: np.ndarray, gap: float) -> None:
        self.value, self.weights, self.gap = value, weights, gap


def _linear_master(
    columns: _Columns,
    d: np.ndarray,
    linear: np.ndarray,
    floor_weights: np.ndarray,
    total_floor: float | None = None,
    *,
    deadline: float = math.inf,
) -> tuple[_Master, int]:
    """Maximize ``linear . g + t`` s.t. ``g_j >= floor_weights[j] * t``, ``g = U - d``, U in H
    (and ``sum_j g_j >= total_floor`` when given).

    With ``floor_weights`` zero, ``t`` is fixed at 0 (a linear objective under
    individual rationality); otherwise ``linear`` is zero (max-min). Column
    generation with HiGHS duals as prices.
    """
    from scipy.optimize import linprog  # here, not at the top: `import bargain` stays fast

    has_t = bool(np.any(floor_weights))
    n = d.size
    gap = math.inf
    for rounds in range(1, MAX_ROUNDS + 1):
        gains = columns.utilities - d[:, None]
        m = gains.shape[1]
        cost = np.concatenate([-(linear @ gains), [-1.0 if has_t else 0.0]])
        a_ub = np.column_stack([-gains, floor_weights])
        b_ub = np.zeros(n)
        if total_floor is not None:
            a_ub = np.vstack([a_ub, np.append(-gains.sum(axis=0), 0.0)])
            b_ub = np.append(b_ub, -total_floor)
        a_eq = np.concatenate([np.ones(m), [0.0]])[None, :]
        bounds = [(0, None)] * m + [(None, None) if has_t else (0, 0)]
        res = linprog(
            cost,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=[1.0],
            bounds=bounds,
            method="highs-ds",
            options=_HIGHS,
        )
        if res.status != 0:
            raise SolverError(f"lotteries: the linear master failed: {res.message}")
        weights = np.clip(res.x[:m], 0.0, None)
        weights /= weights.sum()
        value = -float(res.fun)
        prices = -res.ineqlin.marginals  # of the floors, all >= 0
        direction = linear + prices[:n] + (prices[n] if total_floor is not None else 0.0)
        gap, index, utilities = columns.price(direction, columns.utilities @ weights)
        if (
            gap <= LOTTERY_TOLERANCE * (1 + abs(value))
            or time.perf_counter() >= deadline
            or not columns.add(index, utilities)
        ):
            return _Master(value, weights, max(gap, 0.0)), rounds
    return _Master(value, np.append(weights, 0.0), gap), MAX_ROUNDS


def _nash_master(
    columns: _Columns, d: np.ndarray, powers: np.ndarray, start: _Master, deadline: float
) -> tuple[_Master, int]:
    """Maximize ``sum_j p_j log(g_j)`` over H by simplicial decomposition.

    The master over the columns is solved with SLSQP from the previous
    weights (a point with positive gains); the gradient ``p_j / g_j`` prices
    new columns (the Frank–Wolfe gap bounds the distance to the optimum). If
    the priced column is already present, an exact line search toward it
    makes progress before SLSQP runs again.
    """
    weights = start.weights
    solved = 0  # columns from here on are new to the master: it sees all of them once
    gap = math.inf
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        gains = columns.utilities - d[:, None]
        weights = np.concatenate([weights, np.zeros(gains.shape[1] - weights.size)])
        # Restricted simplicial decomposition: the master keeps only the current
        # support and the new columns, so it stays as small as the support.
        active = np.union1d(
            np.flatnonzero(weights > SUPPORT_TOLERANCE), np.arange(solved, weights.size)
        )
        solved = weights.size
        weights[active] = _polish(
            gains[:, active], powers, _nash_simplex(gains[:, active], powers, weights[active])
        )
        point = gains @ weights
        value = float(powers @ np.log(point))
        gap, index, utilities = columns.price(powers / point, point + d)
        if gap <= LOTTERY_TOLERANCE * (1 + abs(value)) or time.perf_counter() >= deadline:
            break
        if not columns.add(index, utilities):
            target = np.zeros_like(weights)
            target[columns.indices.index(index)] = 1.0
            weights = _line_search(gains, powers, weights, target)
    return _Master(value, weights, max(gap, 0.0)), rounds


def _log_nash(gains: np.ndarray, powers: np.ndarray, weights: np.ndarray) -> float:
    point = gains @ weights
    if np.any(point <= 0):
        return -math.inf
    return float(powers @ np.log(point))


def _line_search(gains, powers, weights, target) -> np.ndarray:
    from scipy.optimize import minimize_scalar  # here, not at the top: `import bargain` stays fast

    big = abs(_log_nash(gains, powers, weights)) + LINE_SEARCH_PENALTY

    def loss(step: float) -> float:
        return min(big, -_log_nash(gains, powers, (1 - step) * weights + step * target))

    step = minimize_scalar(
        loss, bounds=(0.0, 1.0), method="bounded", options={"xatol": LINE_SEARCH_XATOL}
    ).x
    if loss(step) >= loss(0.0):
        return weights
    return (1 - step) * weights + step * target


def _nash_simplex(gains: np.ndarray, powers: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """SLSQP on the simplex from ``weights`` (whose gains are positive); keeps the better.

    Gains are kept above a tiny floor by constraints, and the log is taken of at
    least that floor, so the objective stays finite and smooth where SLSQP probes.
    """
    from scipy.optimize import minimize  # here, not at the top: `import bargain` stays fast

    start_value = _log_nash(gains, powers, weights)
    floor = MASTER_FLOOR * float(np.min(gains @ weights))

    def loss(x: np.ndarray) -> float:
        return -float(powers @ np.log(np.maximum(gains @ x, floor)))

    def gradient(x: np.ndarray) -> np.ndarray:
        return -(powers / np.maximum(gains @ x, floor)) @ gains

    res = minimize(
        loss,
        weights,
        jac=gradient,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * weights.size,
        constraints=[
            {"type": "eq", "fun": lambda x: x.sum() - 1.0, "jac": np.ones_like},
            {"type": "ineq", "fun": lambda x: gains @ x - floor, "jac": lambda x: gains},
        ],
        options={"ftol": MASTER_TOLERANCE, "maxiter": SLSQP_MAX_ITERATIONS},
    )
    candidate = np.clip(res.x, 0.0, None)
    candidate /= candidate.sum()
    return candidate if _log_nash(gains, powers, candidate) > start_value else weights


def _polish(gains: np.ndarray, powers: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Newton's method on the support of ``weights``, constrained to the simplex.

    SLSQP finds the right support but its weights only to about 1e-8, which leaves
    a Frank–Wolfe gap above :data:`LOTTERY_TOLERANCE`; on the support the log Nash
    product is smooth and concave, so a few Newton steps reach machine precision.
    Steps stop at the simplex's boundary (a weight reaching 0 leaves the support)
    and are halved until the objective does not decrease.
    """
    weights = weights.copy()
    for _ in range(NEWTON_STEPS):
        support = np.flatnonzero(weights > SUPPORT_TOLERANCE)
        columns = gains[:, support]
        point = columns @ weights[support]
        scaled = powers / point
        k = support.size
        kkt = np.zeros((k + 1, k + 1))
        kkt[:k, :k] = -(columns.T * (scaled / point)) @ columns
        kkt[:k, k] = kkt[k, :k] = 1.0
        step = np.linalg.lstsq(kkt, np.append(-(columns.T @ scaled), 0.0), rcond=None)[0][:k]
        shrinking = step < 0
        ratios = -weights[support][shrinking] / step[shrinking]
        length = min(1.0, float(np.min(ratios, initial=1.0)))
        current = _log_nash(gains, powers, weights)
        while length > NEWTON_SMALLEST_STEP:
            trial = weights.copy()
            trial[support] = np.clip(weights[support] + length * step, 0.0, None)
            trial /= trial.sum()
            if _log_nash(gains, powers, trial) >= current:
                break
            length /= 2
        else:
            break
        moved = float(np.max(np.abs(trial - weights)))
        weights = trial
        if moved <= NEWTON_SMALLEST_STEP:
            break
    return weights


def _reduce_support(utilities: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions and probabilities of a lottery with the same expected utilities and an
    affinely independent support (Carathéodory)."""
    support = np.flatnonzero(weights > SUPPORT_TOLERANCE)
    probabilities = weights[support] / weights[support].sum()
    while support.size > 1:
        system = np.vstack([utilities[:, support], np.ones(support.size)])
        _, singular, right = np.linalg.svd(system)
        rank = int(np.sum(singular > RANK_TOLERANCE * singular[0]))
        if rank >= support.size:
            break
        move = right[-1]
        if not np.any(move > 0):
            move = -move
        positive = move > 0
        ratios = np.full(move.size, np.inf)
        ratios[positive] = probabilities[positive] / move[positive]
        leaving = int(np.argmin(ratios))
        probabilities = probabilities - ratios[leaving] * move
        probabilities[leaving] = 0.0
        keep = probabilities > SUPPORT_TOLERANCE
        support, probabilities = support[keep], probabilities[keep]
        probabilities /= probabilities.sum()
    return support, probabilities
