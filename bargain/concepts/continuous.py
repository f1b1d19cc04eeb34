"""Every concept on spaces with continuous issues.

A continuous issue (:meth:`bargain.Issue.continuous`) takes any value in
``[low, high]``; each party values it with a vectorized function (its own, or
a shape from :mod:`bargain.shapes`), weighted and added to its other issues.

How a problem is solved
-----------------------
1. **Pieces.** The discrete issues of a mixed space are enumerated (at most
   :data:`MAX_DISCRETE_PACKAGES` packages; each adds a constant to every
   party's utility). Red lines on continuous issues are open intervals, so for
   each discrete package the active red lines cut the box of continuous values
   into closed cells, each entirely allowed or entirely forbidden. A *piece*
   is one discrete package and one allowed cell.
2. **Phase 1.** On every piece the smallest gain ``min_j (u_j - d_j)`` is
   maximized. There is an agreement when the best exceeds the
   model's utility tolerance (:data:`bargain.engine.DEFAULT_UTILITY_TOLERANCE`, as
   for packages): then individual rationality is imposed in its
   closed form, gains ``>= 0``, on the pieces where it can hold. For
   Kalai–Smorodinsky each party's ideal utility is maximized the same way.
3. **The concept** is maximized on each such piece with SLSQP (finite-difference
   gradients, ``ftol`` :data:`CONTINUOUS_TOLERANCE`), in epigraph form for the
   max-min criteria; the best piece wins (the first on exact ties). For the max-min
   criteria (egalitarian, Kalai–Smorodinsky) the point is then moved to the largest
   sum of scaled gains that leaves no party below it: leximin's choice with two
   parties, and with more a Pareto-optimal point of the same max-min value (not
   necessarily leximin's).

What is guaranteed
------------------
Every start is the best point of an even grid of about :data:`GRID_POINTS`
points on the piece, refined by SLSQP. When every value function is a concave
shape of :mod:`bargain.shapes` with a non-negative weight (linear, power with
exponent in [0, 1], piecewise linear with decreasing slopes), each criterion is
concave on a convex piece, the local optimum is global, and the optimum is
reached to about 1e-7 in the issue values (``Solution.optimal`` is True). With
any other function nothing is proven: :data:`N_STARTS` more starts drawn
uniformly with ``rng`` (``np.random.default_rng(rng)``) are refined as well,
the best is kept, and ``optimal`` is False. The value functions are checked
again at the solution (finite values of the right shape).

The result has ``index`` None, ``ties`` empty, and ``outcome`` ``{issue: option
label or number}``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, replace

import numpy as np

from .. import engine
from ..criteria import LOG_FLOOR, SLSQP_MAX_ITERATIONS, Linear, MaxMin, Nash
from ..errors import BargainTypeError, ValidationError
from ..problem import Problem, sum_contributions
from ..shapes import PiecewiseLinear
from ..solution import Solution
from ..space import ContinuousIssue
from ._criteria import Goal, no_agreement, resolve

__all__ = [
    "CONTINUOUS_TOLERANCE",
    "GRID_POINTS",
    "MAX_DISCRETE_PACKAGES",
    "N_STARTS",
]

CONTINUOUS_TOLERANCE = 1e-14
"""SLSQP's ``ftol``: the relative change of the objective at which it stops."""

GRID_POINTS = 4096
"""Points of the even starting grid on each piece (split evenly over its dimensions)."""

N_STARTS = 4
"""Extra uniformly drawn starts per piece when a value function is not a known concave shape."""

MAX_DISCRETE_PACKAGES = 4096
"""The largest number of discrete packages a mixed space may have (each is solved)."""


@dataclass(frozen=True)
class _Piece:
    """One discrete package (its option positions and utilities) and one allowed cell."""

    positions: tuple[int, ...]
    base: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True, eq=False)
class _Model:
    """The continuous part of a problem: gains of points over the floors ``d`` (the no-deal
    values, unless :meth:`with_floors` set others), pieces, starts."""

    problem: Problem
    rng: np.random.Generator
    d: np.ndarray
    continuous: tuple[int, ...]
    discrete: tuple[int, ...]
    functions: tuple
    concave: bool
    pieces: tuple[_Piece, ...]

    @classmethod
    def of(cls, problem: Problem, rng: np.random.Generator) -> _Model:
        """The model of ``problem``, gains measured from its no-deal values."""
        issues = problem.space.issues
        continuous = tuple(k for k, i in enumerate(issues) if i.is_continuous)
        discrete = tuple(k for k, i in enumerate(issues) if not i.is_continuous)
        functions = tuple(problem.value_functions[k] for k in continuous)
        concave = all(
            _known_concave(f, issues[k])
            for k, per_party in zip(continuous, functions)
            for f in per_party
        )
        return cls(
            problem,
            rng,
            np.asarray(problem.disagreement, dtype=float),
            continuous,
            discrete,
            functions,
            concave,
            _pieces(problem, continuous, discrete),
        )

    def with_floors(self, floors: np.ndarray) -> _Model:
        """The same pieces and functions (and random stream), gains measured from
        ``floors``."""
        return replace(self, d=floors)

    def gains(self, piece: _Piece, points: np.ndarray) -> np.ndarray:
        """Gains ``(n_parties, P)`` at points ``(n_continuous, P)`` of a piece."""
        total = (piece.base - self.d)[:, None] + np.zeros(points.shape[1])
        for functions, row in zip(self.functions, points):
            total = total + np.stack([f(row) for f in functions])
        return total

    def checked_utilities(self, piece: _Piece, point: np.ndarray) -> np.ndarray:
        """Utilities at one point, every value function checked (finite, right shape)."""
        total = piece.base.copy()
        for functions, value in zip(self.functions, point):
            total = total + np.array([f.checked(np.array([value]))[0] for f in functions])
        return total

    def starts(self, piece: _Piece, score) -> list[np.ndarray]:
        """The best point of an even grid (by ``score`` of gains), plus random starts
        when concavity is not known."""
        dims = piece.low.size
        per_axis = max(2, int(GRID_POINTS ** (1 / dims)))
        axes = [np.linspace(lo, hi, per_axis) for lo, hi in zip(piece.low, piece.high)]
        grid = np.stack([axis.ravel() for axis in np.meshgrid(*axes, indexing="ij")])
        scores = score(self.gains(piece, grid))
        starts = [grid[:, int(np.argmax(scores))]]
        if not self.concave:
            starts += list(self.rng.uniform(piece.low, piece.high, size=(N_STARTS, dims)))
        return starts


def _pieces(
    problem: Problem, continuous: tuple[int, ...], discrete: tuple[int, ...]
) -> tuple[_Piece, ...]:
    """Every discrete package of ``problem`` with every allowed cell of its continuous
    values (step 1 above)."""
    space = problem.space
    sizes = [len(space.issues[k]) for k in discrete]
    count = math.prod(sizes)
    if count > MAX_DISCRETE_PACKAGES:
        raise ValidationError(
            f"the discrete issues of this mixed space have {count} packages; the continuous "
            f"solver enumerates at most {MAX_DISCRETE_PACKAGES} (MAX_DISCRETE_PACKAGES)"
        )
    low = np.array([space.issues[k].low for k in continuous])
    high = np.array([space.issues[k].high for k in continuous])
    where = {k: position for position, k in enumerate(continuous)}
    pieces = []
    for positions in itertools.product(*(range(size) for size in sizes)):
        chosen = dict(zip(discrete, positions))
        base = sum_contributions(
            (problem.contribution(k, p) for k, p in chosen.items()), (problem.n_parties,)
        )
        for j, term in problem.terms:  # interactions (on discrete issues only)
            base[j] += term.values(np.array([[chosen[k] for k in term.issues]]))[0]
        boxes, forbidden = [], False
        for rule in problem.rules:
            intervals = {}
            hit = True
            for k, clause in rule.clauses:
                if k in chosen:
                    hit &= bool(clause[chosen[k]])
                else:
                    intervals[where[k]] = clause
            if hit and not intervals:
                forbidden = True
            elif hit:
                boxes.append(intervals)
        if not forbidden:
            pieces += [
                _Piece(positions, base, cell_low, cell_high)
                for cell_low, cell_high in _allowed_cells(low, high, boxes)
            ]
    return tuple(pieces)


def _known_concave(function, issue: ContinuousIssue) -> bool:
    shape = function.function
    if function.weight < 0 or not getattr(shape, "concave", False):
        return False
    if isinstance(shape, PiecewiseLinear):
        return shape.xs[0] <= issue.low and issue.high <= shape.xs[-1]
    return True


def _allowed_cells(low: np.ndarray, high: np.ndarray, boxes: list[dict[int, np.ndarray]]):
    """The allowed part of ``[low, high]`` as closed cells: cut every axis at the (open)
    forbidden boxes' interval ends, keep the full-dimensional cells whose interior lies in
    no box, and then the faces of removed cells (a point on some cut axes) that lie in no
    box and in no kept cell: a box's end points stay allowed, so forbidding (0, 0.2) on
    [0, 1] keeps the point 0, which only the removed cell [0, 0.2] held."""
    cut_axes = sorted({axis for box in boxes for axis in box})
    cuts = {}
    for axis in cut_axes:
        ends = {low[axis], high[axis]}
        for box in boxes:
            if axis in box:
                ends |= {float(np.clip(e, low[axis], high[axis])) for e in box[axis]}
        cuts[axis] = sorted(ends)

    def forbidden(cell: dict[int, tuple[float, float]]) -> bool:
        """Whether the cell's relative interior lies in a box (a point strictly inside)."""
        return any(
            all(
                (box[a][0] < cell[a][0] and cell[a][1] < box[a][1])
                if cell[a][0] == cell[a][1]
                else (box[a][0] <= cell[a][0] and cell[a][1] <= box[a][1])
                for a in box
            )
            for box in boxes
        )

    def full(segments) -> dict[int, tuple[float, float]]:
        return {a: (cuts[a][s], cuts[a][s + 1]) for a, s in zip(cut_axes, segments)}

    def box_of(cell: dict[int, tuple[float, float]]):
        cell_low, cell_high = low.copy(), high.copy()
        for a, (lo, hi) in cell.items():
            cell_low[a], cell_high[a] = lo, hi
        return cell_low, cell_high

    counts = [len(cuts[a]) - 1 for a in cut_axes]
    for segments in itertools.product(*(range(count) for count in counts)):
        cell = full(segments)
        if not forbidden(cell):
            yield box_of(cell)
    # Faces: on each cut axis an interval (segment s) or a cut point (-1 - position).
    for elements in itertools.product(*(range(-count - 1, count) for count in counts)):
        points = [i for i, e in enumerate(elements) if e < 0]
        if not points:
            continue
        cell = {
            a: (cuts[a][e], cuts[a][e + 1]) if e >= 0 else (cuts[a][-1 - e],) * 2
            for a, e in zip(cut_axes, elements)
        }
        if forbidden(cell):
            continue
        # The full cells it bounds: for each point, the segment below or above it.
        sides = [
            [e] if e >= 0 else [s for s in (-2 - e, -1 - e) if 0 <= s < counts[i]]
            for i, e in enumerate(elements)
        ]
        if all(forbidden(full(segments)) for segments in itertools.product(*sides)):
            yield box_of(cell)


def _maximize(
    model: _Model, piece: _Piece, kind: str, weights: np.ndarray, known: np.ndarray | None = None
):
    """Best point of a piece for one criterion: ``(value, point)``; value -inf if infeasible.

    ``known`` is one more start (phase 1's point, where every gain is as large as
    it gets on the piece).

    ``kind`` is ``"maxmin"`` (max ``t`` with ``g >= weights * t``), ``"linear"``
    (max ``weights . g`` with ``g >= 0``) or ``"nash"`` (max ``sum weights log g``
    with ``g >= 0``).
    """
    from scipy.optimize import minimize  # here, not at the top: `import bargain` stays fast

    dims = piece.low.size

    def gains_at(x: np.ndarray) -> np.ndarray:
        return model.gains(piece, x[:dims, None])[:, 0]

    if kind == "maxmin":

        def score(g):
            return np.min(g / weights[:, None], axis=0)

        def loss(z):
            return -z[dims]

        constraints = {"type": "ineq", "fun": lambda z: gains_at(z) - weights * z[dims]}
    elif kind == "linear":

        def score(g):
            return np.where(np.all(g >= 0, axis=0), weights @ g, -np.inf)

        def loss(x):
            return -float(weights @ gains_at(x))

        constraints = {"type": "ineq", "fun": gains_at}
    else:
        active = weights > 0

        def score(g):
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.log(np.maximum(g, 0.0))
            return np.where(np.all(g > 0, axis=0), weights[active] @ logs[active], -np.inf)

        def loss(x):
            g = gains_at(x)
            return -float(weights[active] @ np.log(np.maximum(g[active], LOG_FLOOR)))

        constraints = {"type": "ineq", "fun": gains_at}

    bounds = list(zip(piece.low, piece.high))
    best_value, best_point = -math.inf, None
    starts = model.starts(piece, score) + ([] if known is None else [known])
    for start in starts:
        z0 = start
        if kind == "maxmin":
            z0 = np.append(start, float(np.min(gains_at(start) / weights)))
            trial_bounds = [*bounds, (None, None)]
        else:
            trial_bounds = bounds
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = minimize(
                loss,
                z0,
                method="SLSQP",
                bounds=trial_bounds,
                constraints=[constraints],
                options={"ftol": CONTINUOUS_TOLERANCE, "maxiter": SLSQP_MAX_ITERATIONS},
            )
        for candidate in (np.clip(res.x[:dims], piece.low, piece.high), start):
            value = float(score(gains_at(candidate)[:, None])[0])
            if value > best_value:
                best_value, best_point = value, candidate
    return best_value, best_point


def solve_continuous(problem: Problem, concept: str, goal: Goal, rng) -> Solution:
    """The optimum of ``goal`` over a space with continuous issues."""
    try:
        generator = np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        raise BargainTypeError(
            f"{concept}: rng must be a seed or a numpy Generator, got {rng!r}"
        ) from exc
    model = _Model.of(problem, generator)
    n = problem.n_parties
    phase1 = [_maximize(model, piece, "maxmin", np.ones(n)) for piece in model.pieces]
    best_smallest = max((value for value, _ in phase1), default=-math.inf)
    stats = {
        "method": "continuous, SLSQP",
        "pieces": len(model.pieces),
        "guarantee": "global (concave shapes)" if model.concave else "multi-start",
    }
    if best_smallest <= engine.DEFAULT_UTILITY_TOLERANCE:
        return no_agreement(problem, concept, stats)
    pieces = [(piece, x) for piece, (value, x) in zip(model.pieces, phase1) if value >= 0]

    def best_gain(criterion: Linear) -> float:
        return max(
            _maximize(model, piece, "linear", criterion.weights, known)[0]
            for piece, known in pieces
        )

    criterion = resolve(goal, n, best_gain)
    if criterion is not goal:
        stats["ideal"] = dict(zip(problem.party_names, map(float, criterion.scale + model.d)))
    if isinstance(criterion, Nash):
        kind, weights = "nash", criterion.powers
    elif isinstance(criterion, MaxMin):
        kind, weights = "maxmin", criterion.scale
    else:
        kind, weights = "linear", criterion.weights
    best_value, best_piece, best_point = -math.inf, None, None
    for piece, known in pieces:
        value, point = _maximize(model, piece, kind, weights, known)
        if value > best_value:
            best_value, best_piece, best_point = value, piece, point
    utilities = model.checked_utilities(best_piece, best_point)
    if isinstance(criterion, MaxMin):
        best_piece, best_point, utilities = _nobody_worse(
            model, pieces, 1.0 / criterion.scale, best_piece, best_point, utilities
        )
    score = float(criterion.value((utilities - model.d)[:, None])[0])
    return Solution(
        problem=problem,
        concept=concept,
        index=None,
        ties=(),
        utilities=dict(zip(problem.party_names, map(float, utilities))),
        agreement=True,
        score=score,
        outcome=_outcome(model, best_piece, best_point),
        optimal=model.concave,
        gap=0.0 if model.concave else math.inf,
        stats=stats,
    )


def _nobody_worse(model, pieces, weights, piece, point, utilities):
    """The max-min point moved to the largest ``weights . gains`` that leaves every party at
    least what it gets there (less the utility tolerance): the max-min value stays, and the
    point is Pareto-optimal (the max-min alone may leave slack a party could have for free).
    With two parties this is leximin: the party at the max-min cannot gain (else the
    max-min were higher), so the other's gain is maximized."""
    floors = model.with_floors(utilities - engine.DEFAULT_UTILITY_TOLERANCE)
    best = (float(weights @ (utilities - floors.d)), piece, point)
    for candidate, known in pieces:
        value, x = _maximize(
            floors, candidate, "linear", weights, point if candidate is piece else known
        )
        if value > best[0] + engine.DEFAULT_UTILITY_TOLERANCE:
            best = (value, candidate, x)
    _, piece, point = best
    return piece, point, model.checked_utilities(piece, point)


def _outcome(model: _Model, piece: _Piece, point: np.ndarray) -> dict[str, object]:
    space = model.problem.space
    chosen = dict(zip(model.discrete, piece.positions))
    values = dict(zip(model.continuous, point))
    return {
        issue.name: float(values[k]) if k in values else issue.options[chosen[k]]
        for k, issue in enumerate(space.issues)
    }
