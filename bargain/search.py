"""Branch and bound: the exact Nash package on spaces far too large to enumerate.

A problem with a dozen issues of ten options has 10^12 packages; the block
scorer of :mod:`bargain.engine` would need hours. This module finds the same
package (and the same ties) by a depth-first branch and bound over the
problem's factors (issues, or groups of issues linked by red lines; see
:func:`bargain.engine.compile_problem`), so that utilities are sums of one
contribution vector per factor and no package ever crosses a red line.

The algorithm
-------------
1. **Incumbent.** A local search finds a good rational package first: start
   from the package that maximizes a weighted sum of normalized utilities,
   then move one factor at a time, first to shrink the parties' total
   normalized shortfall below disagreement (until every party gains), then to
   raise the log Nash product; then re-linearize the Nash product around the
   result (see 3) and search again. Finding a rational package at all is the
   hard part when disagreement values are high; when the heuristic finds none
   the search still proves whether one exists.
2. **Order.** Factors are assigned in decreasing order of their spread (how
   much the choice on the factor can move the linearized objective), so that
   the decisions that matter are taken near the root where bounds are loose.
   The last few factors (:data:`LEAF_TARGET` packages) form a *leaf block*,
   enumerated once; a node whose other factors are all fixed is scored as
   ``partial + leaf block`` in one numpy operation, and all the children of a
   node are bounded in one numpy operation too: no Python loop per package.
3. **Bounds.** A node fixes the first ``k`` factors; ``partial_j`` is what
   party ``j`` gets from them. Three bounds on every package below it:

   * *feasibility*: party ``j`` can still gain only if ``partial_j +
     best_rest_j > d_j``, ``best_rest_j`` the sum of its best remaining
     contributions; and, aggregated, ``sum_j w_j (partial_j - d_j) +
     max_rest(sum_j w_j c_j) > 0`` with ``w_j = 1 / range_j``;
   * *weak*: ``sum_j p_j log(partial_j + best_rest_j - d_j)``, each party's
     best remaining options taken at once (loose: they conflict);
   * *tangent*: ``log`` is concave, so for any ``g0 > 0``, ``p log g <= p
     (log g0 + (g - g0) / g0)``. The right-hand side is linear in utilities,
     hence separable across factors: its maximum over the remaining factors is
     a sum of per-factor maxima, precomputed as suffix sums. With ``g0`` the
     incumbent's gains (updated whenever the incumbent improves) this is the
     Lagrangian bound of the problem around its best known point, far tighter
     than the weak bound in the hard regime of high disagreement values. It
     is also taken at ``g0`` with one party's gain halved or doubled
     (:data:`TANGENT_STRETCHES`), and the least of these bounds is used: one
     matrix product per node, and much tighter in subtrees that favour some
     party more than the incumbent does.

   A node is expanded only while its bound (the smaller of weak and tangent,
   plus :data:`BOUND_SLACK` against rounding) is at least ``best - tie_tol``;
   children are visited best bound first, lower index first among equals.
4. **Ties.** Every rational package within ``tie_tol`` of the optimum is a tie,
   and the ``max_ties`` lowest indices are reported, exactly as the exhaustive
   scorer does. Exact ties can be astronomically many (identical issues, all
   values equal); two rules keep that cheap. A held tie is dropped once
   ``max_ties`` held ties have lower indices and at least its score. A node is
   pruned once ``max_ties + 1`` held ties have lower indices than any package
   below it and at least its bound: its packages could never enter the list,
   and the list is known to be truncated.
5. **Budgets.** ``time_budget`` and ``node_budget`` stop the search early; the
   best package found so far is returned with ``optimal`` false and ``gap``,
   the largest bound still open minus its score: a proof that no package
   beats it by more than ``gap`` (in log Nash product). ``progress`` is called
   every :data:`PROGRESS_INTERVAL` seconds and at the end with a dict of
   ``nodes``, ``leaves``, ``scored``, ``best``, ``bound`` and ``elapsed``.
6. **Memory.** The depth-first stack holds at most one node per option of
   every factor (``n_factors * max_options`` small vectors), the leaf block
   ``n_parties * LEAF_TARGET`` floats, a batch of leaves at most
   ``memory_budget`` bytes, and the held ties at most ``4 * max_ties + 4096``
   entries: bounded whatever the size of the space.

Package indices are exact Python integers, so spaces of 10^30 packages and
more are fine.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import (
    DEFAULT_MAX_TIES,
    DEFAULT_MEMORY_BUDGET,
    DEFAULT_TIE_TOLERANCE,
    DEFAULT_UTILITY_TOLERANCE,
    Best,
    Compiled,
)

__all__ = [
    "BOUND_SLACK",
    "LEAF_TARGET",
    "PROGRESS_INTERVAL",
    "SearchBest",
    "nash_search",
]

BOUND_SLACK = 1e-12
"""Relative slack (times ``1 + |bound|``) added to every bound, so that rounding
never puts a bound below a score it covers; scores closer than this count as
equal when deciding which tied packages can be skipped."""

LEAF_TARGET = 1024
"""Packages in the leaf block: the last factors, enumerated once and added to
each leaf node in one numpy operation."""

PROGRESS_INTERVAL = 0.25
"""Seconds between two calls of the ``progress`` callback."""

LOCAL_SEARCH_SWEEPS = 30
"""At most this many passes over the factors in the incumbent's local search."""

TANGENT_STRETCHES = (0.5, 2.0)
"""Besides the incumbent's gains, the log is also linearized where one party's
gain is stretched by these factors: each node takes the least of these bounds,
which is much tighter for subtrees that favour some party more than the
incumbent does."""

LINEARIZATION_ROUNDS = 4
"""Re-linearizations of the Nash product around the incumbent in the heuristic."""

Progress = Callable[[dict[str, Any]], object]


@dataclass(frozen=True)
class SearchBest(Best):
    """:class:`~bargain.engine.Best` plus what a budgeted search proves.

    ``indices`` is an object array of exact Python ints. ``optimal`` is False
    when a budget stopped the search; then no package scores more than
    ``score + gap``. ``nodes`` counts expanded nodes.
    """

    optimal: bool = True
    gap: float = 0.0
    nodes: int = 0


def _slack(value: float) -> float:
    return BOUND_SLACK * (1.0 + abs(value))


def _nash_scores(gains: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """Log Nash product of positive gains, shape (n, m) -> (m,), parties in fixed order."""
    score = np.zeros(gains.shape[1:])
    for j, weight in enumerate(powers):
        if weight:
            score += weight * np.log(gains[j])
    return score


def _merits(gains: np.ndarray, powers: np.ndarray, scale: np.ndarray):
    """Feasibility and (Nash score if feasible, else minus normalized shortfall)."""
    feasible = np.all(gains > DEFAULT_UTILITY_TOLERANCE, axis=0)
    shortfall = np.minimum(gains, 0.0) / scale[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        nash = _nash_scores(np.where(gains > 0, gains, 1.0), powers)
    return feasible, np.where(feasible, nash, shortfall.sum(axis=0))


def _local_search(contribs, d, powers, scale, weights) -> list[int]:
    """Coordinate ascent from the best package for ``weights``: feasibility first, then Nash."""
    choice = [int(np.argmax(weights @ c)) for c in contribs]
    gains = sum(c[:, x] for c, x in zip(contribs, choice)) - d
    for _ in range(LOCAL_SEARCH_SWEEPS):
        moved = False
        for k, c in enumerate(contribs):
            candidates = (gains - c[:, choice[k]])[:, None] + c
            feasible, merit = _merits(candidates, powers, scale)
            key = np.where(feasible, 1.0, 0.0)
            pick = int(np.lexsort((-np.arange(merit.size), merit, key))[-1])
            now = choice[k]
            better = (feasible[pick] and not feasible[now]) or (
                feasible[pick] == feasible[now] and merit[pick] > merit[now] + _slack(merit[now])
            )
            if better:
                choice[k] = pick
                gains = candidates[:, pick].copy()
                moved = True
        if not moved:
            break
    return choice


def _incumbent(contribs, d, powers, scale) -> tuple[list[int], np.ndarray] | None:
    """A good rational package (choices per factor, gains), or None if the heuristic finds none."""
    best = None
    best_score = -math.inf
    starts = [1.0 / scale, (powers + 1e-3) / scale]
    for weights in starts:
        for _ in range(LINEARIZATION_ROUNDS):
            choice = _local_search(contribs, d, powers, scale, weights)
            gains = sum(c[:, x] for c, x in zip(contribs, choice)) - d
            if not np.all(gains > DEFAULT_UTILITY_TOLERANCE):
                break
            score = float(_nash_scores(gains[:, None], powers)[0])
            if score <= best_score + _slack(score):
                break
            best, best_score = (choice, gains), score
            weights = (powers + 1e-3 * (powers == 0)) / gains
    return best


class _Ties:
    """The held candidate ties: exact indices, scores and gains, bounded in number."""

    def __init__(self, n: int, max_ties: int) -> None:
        self.max_ties = max_ties
        self.cap = 4 * max_ties + 4096
        self.indices: list[int] = []
        self.scores = np.empty(0)
        self.gains = np.empty((n, 0))
        self.dropped_top = -math.inf  # best score of a tie dropped as never listable

    def __len__(self) -> int:
        return len(self.indices)

    def add(self, indices: list[int], scores: np.ndarray, gains: np.ndarray) -> None:
        self.indices += indices
        self.scores = np.concatenate([self.scores, scores])
        self.gains = np.concatenate([self.gains, gains], axis=1)
        if len(self.indices) > self.cap:
            self._trim()

    def keep_above(self, threshold: float) -> None:
        keep = np.flatnonzero(self.scores >= threshold)
        if keep.size < len(self.indices):
            self._select(keep)

    def _select(self, keep: np.ndarray) -> None:
        self.indices = [self.indices[i] for i in keep]
        self.scores, self.gains = self.scores[keep], self.gains[:, keep]

    def _trim(self) -> None:
        """Drop ties that ``max_ties + 1`` lower-index ties at least as good always outrank."""
        order = sorted(range(len(self.indices)), key=self.indices.__getitem__)
        seen: list[float] = []  # scores of lower-index ties, sorted
        keep = []
        for i in order:
            score = float(self.scores[i])
            outranked = len(seen) - bisect.bisect_left(seen, score - _slack(score))
            if outranked > self.max_ties:
                self.dropped_top = max(self.dropped_top, score)
            else:
                keep.append(i)
            bisect.insort(seen, score)
        self._select(np.array(keep, dtype=np.int64))

    def index_limit(self, level: float) -> int | None:
        """Packages with a bound <= ``level`` and an index above this are never listed."""
        if len(self.indices) <= self.max_ties:
            return None
        eligible = np.flatnonzero(self.scores >= level - _slack(level))
        if eligible.size <= self.max_ties:
            return None
        return sorted(self.indices[i] for i in eligible)[self.max_ties]

    def result(self, best: float, tie_tol: float, n: int, scored: int, **extra) -> SearchBest:
        self.keep_above(best - tie_tol)
        order = sorted(range(len(self.indices)), key=self.indices.__getitem__)
        listed = order[: self.max_ties]
        dropped = self.dropped_top > -math.inf and self.dropped_top >= best - tie_tol
        truncated = len(order) > self.max_ties or dropped
        indices = np.empty(len(listed), dtype=object)
        indices[:] = [self.indices[i] for i in listed]
        gains = self.gains[:, listed] if listed else np.empty((n, 0))
        return SearchBest(best, indices, gains, truncated, scored, **extra)


class _Search:
    """State of one depth-first branch and bound (see the module docstring)."""

    def __init__(self, compiled: Compiled, tie_tol, max_ties, memory_budget, leaf_target):
        n = compiled.n_parties
        self.n, self.tie_tol, self.memory_budget = n, tie_tol, memory_budget
        self.d = compiled.disagreement
        self.powers = compiled.powers
        self.positive = [j for j in range(n) if self.powers[j] > 0]
        contribs = [f.contrib for f in compiled.factors]
        offsets = offsets_by_factor = [compiled.exact_offsets(f) for f in compiled.factors]
        self.fallback = None  # the heuristic's package, returned if a budget stops all else
        spans = sum(c.max(axis=1) - c.min(axis=1) for c in contribs)
        self.scale = np.where(spans > 0, spans, 1.0)
        found = _incumbent(contribs, self.d, self.powers, self.scale)
        weights = (1.0 / self.scale) if found is None else self._lam(found[1])
        if not np.any(weights > 0):
            weights = 1.0 / self.scale
        spread = np.array([weights @ (c.max(axis=1) - c.min(axis=1)) for c in contribs])
        order = np.argsort(-spread, kind="stable")
        contribs = [contribs[f] for f in order]
        offsets = [offsets[f] for f in order]
        # The leaf block: the last factors, at most LEAF_TARGET packages.
        split, leaf_size = len(contribs), 1
        while split > 0 and leaf_size * contribs[split - 1].shape[1] <= leaf_target:
            split -= 1
            leaf_size *= contribs[split].shape[1]
        self.split = split
        leaf = np.zeros((n, 1))
        leaf_offsets = np.zeros(1, dtype=object)
        for c, o in zip(contribs[split:], offsets[split:]):
            leaf = (leaf[:, :, None] + c[:, None, :]).reshape(n, -1)
            leaf_offsets = (leaf_offsets[:, None] + o[None, :]).reshape(-1)
        by_index = np.argsort(leaf_offsets, kind="stable")
        self.leaf, self.leaf_offsets = leaf[:, by_index], leaf_offsets[by_index]
        self.contribs, self.offsets = contribs[:split], offsets[:split]
        self.offset_rank = [np.argsort(np.argsort(o, kind="stable")) for o in self.offsets]
        # Suffix sums over the outer factors, the leaf block counting as the last one.
        parts = [*self.contribs, self.leaf]
        self.best_rest = np.zeros((split + 2, n))
        self.min_rest = [0] * (split + 2)
        leaf_min = min(leaf_offsets)
        for k in range(split, -1, -1):
            self.best_rest[k] = self.best_rest[k + 1] + parts[k].max(axis=1)
            self.min_rest[k] = self.min_rest[k + 1] + (
                min(self.offsets[k]) if k < split else leaf_min
            )
        self.feasibility_weights = 1.0 / self.scale
        self.feasibility_gain = [self.feasibility_weights @ c for c in parts]
        self.feasibility_rest = self._suffix_max(self.feasibility_gain)
        self.best = -math.inf
        self.ties = _Ties(n, max_ties)
        self.tangent = None
        if found is not None:
            choice, gains = found
            score = float(_nash_scores(gains[:, None], self.powers)[0])
            index = sum(int(o[x]) for o, x in zip(offsets_by_factor, choice))
            self.fallback = (index, score, gains)
            # Just below its score, so that the search re-finds and lists it exactly.
            self.best = score - _slack(score)
            self._set_tangent(gains)
        self.nodes = self.leaves = self.scored = 0

    def _lam(self, gains: np.ndarray) -> np.ndarray:
        return np.where(self.powers > 0, self.powers / np.maximum(gains, 1e-300), 0.0)

    @staticmethod
    def _suffix_max(per_factor: list[np.ndarray]) -> np.ndarray:
        rest = np.zeros(len(per_factor) + 1)
        for k in range(len(per_factor) - 1, -1, -1):
            rest[k] = rest[k + 1] + float(per_factor[k].max())
        return rest

    def _set_tangent(self, gains: np.ndarray) -> None:
        """Linearize the log Nash product at ``gains`` (all positive) and around it."""
        points = [gains]
        for j in self.positive:
            for stretch in TANGENT_STRETCHES:
                point = gains.copy()
                point[j] *= stretch
                points.append(point)
        points = np.array(points)
        lam = np.where(self.powers > 0, self.powers / points, 0.0)
        logs = np.log(points[:, self.positive]) - 1.0
        constant = logs @ self.powers[self.positive]
        parts = [*self.contribs, self.leaf]
        rest = np.zeros((len(points), len(parts) + 1))
        for k in range(len(parts) - 1, -1, -1):
            rest[:, k] = rest[:, k + 1] + (lam @ parts[k]).max(axis=1)
        self.tangent = (lam, constant, rest)

    def bounds(self, k: int, children: np.ndarray) -> np.ndarray:
        """Upper bounds on the packages below each child (columns of partial utilities
        fixing factors ``0..k``); ``-inf`` where no rational package lies below."""
        reach = children + (self.best_rest[k + 1] - self.d)[:, None]
        feasible = np.all(reach > 0, axis=0)
        w = self.feasibility_weights
        feasible &= w @ (children - self.d[:, None]) + self.feasibility_rest[k + 1] > 0
        bound = np.full(children.shape[1], -math.inf)
        if not feasible.any():
            return bound
        with np.errstate(divide="ignore", invalid="ignore"):
            weak = _nash_scores(np.where(reach > 0, reach, 1.0), self.powers)
        if self.tangent is not None:
            lam, constant, rest = self.tangent
            tangent = lam @ (children - self.d[:, None]) + (constant + rest[:, k + 1])[:, None]
            weak = np.minimum(weak, tangent.min(axis=0))
        bound[feasible] = weak[feasible] + BOUND_SLACK * (1.0 + np.abs(weak[feasible]))
        return bound

    def threshold(self) -> float:
        return self.best - self.tie_tol

    def score_leaves(self, children: np.ndarray, indices: list[int]) -> None:
        """Score every package of the leaf block below each child (columns of partials)."""
        n, size = self.n, self.leaf.shape[1]
        per_batch = max(1, self.memory_budget // (3 * (n + 1) * 8 * size))
        for start in range(0, children.shape[1], per_batch):
            part = children[:, start : start + per_batch]
            gains = ((part - self.d[:, None])[:, :, None] + self.leaf[:, None, :]).reshape(n, -1)
            self.leaves += part.shape[1]
            self.scored += gains.shape[1]
            rational = gains[0] > DEFAULT_UTILITY_TOLERANCE
            for j in range(1, n):
                rational &= gains[j] > DEFAULT_UTILITY_TOLERANCE
            keep = np.flatnonzero(rational)
            if not keep.size:
                continue
            gains = gains[:, keep]
            scores = _nash_scores(gains, self.powers)
            top = int(np.argmax(scores))
            if scores[top] > self.best:
                self.best = float(scores[top])
                self.ties.keep_above(self.threshold())
                if self.positive:
                    self._set_tangent(gains[:, top])
            take = np.flatnonzero(scores >= self.threshold())
            if take.size:
                child, inner = np.divmod(keep[take], size)
                found = [
                    indices[start + c] + self.leaf_offsets[i]
                    for c, i in zip(child.tolist(), inner.tolist())
                ]
                self.ties.add(found, scores[take], gains[:, take])

    def run(self, deadline: float, node_budget: int | None, progress: Progress | None, start):
        n = self.n
        if self.split == 0:
            self.score_leaves(np.zeros((n, 1)), [0])
            return []
        root = self.bounds(-1, np.zeros((n, 1)))
        stack = [(float(root[0]), 0, np.zeros(n), 0)] if root[0] > -math.inf else []
        last_report = start
        while stack:
            now = time.perf_counter()
            if now >= deadline or (node_budget is not None and self.nodes >= node_budget):
                return stack
            if progress is not None and now - last_report >= PROGRESS_INTERVAL:
                progress(self.report(stack, now - start))
                last_report = now
            bound, k, partial, index = stack.pop()
            if bound < self.threshold():
                continue
            self.nodes += 1
            children = partial[:, None] + self.contribs[k]
            bounds = self.bounds(k, children)
            alive = np.flatnonzero((bounds >= self.threshold()) & (bounds > -math.inf))
            if not alive.size:
                continue
            limit = self.ties.index_limit(float(bounds[alive].max()))
            indices = [index + int(self.offsets[k][x]) for x in alive.tolist()]
            if limit is not None:
                below = [i + self.min_rest[k + 1] <= limit for i in indices]
                alive = alive[below]
                indices = [i for i, b in zip(indices, below) if b]
                if not alive.size:
                    continue
            if k + 1 == self.split:
                self.score_leaves(children[:, alive], indices)
                continue
            # Push worst first so that the best bound (then the lowest index) pops first.
            ranking = np.lexsort((self.offset_rank[k][alive], -bounds[alive]))[::-1]
            for r in ranking.tolist():
                x = int(alive[r])
                stack.append((float(bounds[x]), k + 1, children[:, x], indices[r]))
        return stack

    def report(self, stack, elapsed: float) -> dict[str, Any]:
        open_bound = max((entry[0] for entry in stack), default=-math.inf)
        return {
            "nodes": self.nodes,
            "leaves": self.leaves,
            "scored": self.scored,
            "best": self.best,
            "bound": max(self.best, open_bound),
            "elapsed": elapsed,
        }


def nash_search(
    compiled: Compiled,
    *,
    tie_tol: float = DEFAULT_TIE_TOLERANCE,
    max_ties: int = DEFAULT_MAX_TIES,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    time_budget: float | None = None,
    node_budget: int | None = None,
    progress: Progress | None = None,
    leaf_target: int = LEAF_TARGET,
) -> SearchBest:
    """The best rational packages for the (weighted) log Nash product, by branch and bound.

    Same contract as :func:`bargain.engine.argmax` with
    :func:`bargain.engine.nash_objective` (best score, the ``max_ties``
    lowest-index ties ascending, ``truncated``), for spaces of any size; see
    the module docstring for the algorithm. ``time_budget`` (seconds) and
    ``node_budget`` (expanded nodes) stop it early: then ``optimal`` is False
    and ``gap`` bounds the distance to the optimum. ``leaf_target`` caps the
    packages of the leaf block (small values exercise the tree in tests).
    Inputs are trusted.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2], [3, 3]])
    >>> found = nash_search(bg.engine.compiled(p))
    >>> list(found.indices), found.optimal
    ([3], True)
    """
    start = time.perf_counter()
    n = compiled.n_parties
    if compiled.empty:
        result = _Ties(n, max_ties).result(-math.inf, tie_tol, n, 0)
        if progress is not None:
            progress(
                {
                    "nodes": 0,
                    "leaves": 0,
                    "scored": 0,
                    "best": -math.inf,
                    "bound": -math.inf,
                    "elapsed": time.perf_counter() - start,
                }
            )
        return result
    search = _Search(compiled, tie_tol, max_ties, memory_budget, leaf_target)
    deadline = math.inf if time_budget is None else start + time_budget
    stack = search.run(deadline, node_budget, progress, start)
    report = search.report(stack, time.perf_counter() - start)
    if progress is not None:
        progress(report)
    open_bound = max(
        (entry[0] for entry in stack if entry[0] >= search.threshold()), default=-math.inf
    )
    optimal = open_bound == -math.inf
    if not len(search.ties) and search.fallback is not None:
        index, score, gains = search.fallback
        search.best = score
        search.ties.add([index], np.array([score]), gains[:, None])
    gap = 0.0 if optimal else max(0.0, open_bound - search.best)
    return search.ties.result(
        search.best, tie_tol, n, search.scored, optimal=optimal, gap=gap, nodes=search.nodes
    )
