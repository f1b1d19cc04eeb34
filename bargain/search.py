"""Branch and bound: the exact best package for any criterion, on spaces of any size.

A problem with a dozen issues of ten options has 10^12 packages; the block
scorer of :mod:`bargain.engine` would need hours. This module finds the same
packages (and the same ties) for any :mod:`criterion <bargain.criteria>` (Nash,
a linear form, max-min, a leximin level) by a depth-first branch and bound over
the problem's factors (issues, or groups of issues linked by red lines or by
small non-additive terms; see :func:`bargain.engine.compile_problem`), so that
utilities are sums of one contribution vector per factor, plus the *loose*
rectangle bonuses that span several factors, capped where a party has a cap.

The algorithm
-------------
1. **Incumbent.** A local search finds a good rational package first: start
   from the package that maximizes a weighted sum of normalized utilities,
   then move one factor at a time, first to shrink the parties' total
   normalized shortfall below disagreement (until every party gains), then to
   raise the criterion; then re-linearize the criterion around the result and
   search again. When the heuristic finds no rational package (near the
   feasibility threshold), a short search for the max-min of normalized gains
   (:data:`RATIONAL_NODES` nodes, counted in the budget), pruning every node whose
   bound is not positive, looks for one; if it finds none, the search still proves
   whether one exists.
2. **Order.** Factors are assigned in decreasing order of their spread (how
   much the choice on the factor can move the linearized criterion). The last
   few factors (:data:`LEAF_TARGET` packages) form a *leaf block*, enumerated
   once; a node whose other factors are all fixed is scored as ``partial + leaf
   block`` in one numpy operation, and all the children of a node are bounded in
   one numpy operation too: no Python loop per package.
3. **Bounds.** A node fixes the first ``k`` factors; ``partial_j`` is what
   party ``j`` gets from them (with the loose bonuses already decided). A loose
   bonus is *open* while its factors are not all fixed and none excludes it.
   Bounds on every package below a node:

   * *feasibility*: party ``j`` can still gain only if ``min(cap_j, partial_j +
     best_rest_j + open_j) > d_j``, ``best_rest_j`` the sum of its best
     remaining contributions and ``open_j`` its positive open bonuses; and,
     aggregated, ``sum_j w_j (partial_j + open_j - d_j) + max_rest(sum_j w_j
     c_j) > 0`` with ``w_j = 1 / range_j``;
   * *weak*: the criterion at those per-party upper bounds (every criterion is
     non-decreasing in every gain);
   * *linear*: the criterion's linear forms ``const + lam . g``
     (:meth:`bargain.criteria.Criterion.linear`) are separable across factors:
     their maximum over the remaining factors is a sum of per-factor maxima,
     precomputed as suffix sums. For Nash these are tangents of the log at the
     incumbent's gains (and stretched copies), re-taken whenever the incumbent
     improves: the Lagrangian bound around the best known point. For max-min
     they are prices from the dual of the convex relaxation (mirror descent on
     ``min_mu max_x sum_j mu_j g_j(x) / scale_j``); for a linear criterion the
     form is the criterion itself. With :data:`REPRICE_PARTIES` parties or more
     (5 for max-min, 6 for the others), max-min's prices, Nash's tangent slopes
     and a linear form's rationality multipliers (below) are also re-optimized for
     every child (:class:`_Repricing`).
     The first form is also taken *priced for
     rationality*: on rational packages ``lam . g <= (lam + nu) . g`` for any
     ``nu >= 0``, and multipliers ``nu`` chosen with the forms by projected
     subgradient steps (:data:`RATIONALITY_ITERATIONS`) lower the separable maximum
     wherever the packages best for ``lam`` leave some party below its disagreement
     point (measured on one party's best gain, the Kalai–Smorodinsky ideal point:
     2 parties x 30 issues, seed 1, 420 nodes where 20,000 left a gap; the
     concept 344 → 71 ms; 4 parties x 30 issues 466 → 159 ms).

   A node is expanded only while its bound (the least of these, plus
   :data:`BOUND_SLACK` against rounding) is at least ``best - tie_tol``;
   children are visited best bound first, lower index first among equals. With
   repricing, once a package is known, up to :data:`BATCH_NODES` nodes of one
   depth from the top of the stack are expanded together, their children bounded
   in one numpy operation.
4. **Ties.** Every rational package within ``tie_tol`` of the optimum is a tie,
   and the ``max_ties`` lowest indices are reported, exactly as the exhaustive
   scorer does. A held tie is dropped once ``max_ties`` held ties have lower
   indices and at least its score. A node is pruned once ``max_ties + 1`` held
   ties have lower indices than any package below it and at least its bound.
5. **Budgets.** ``time_budget`` and ``node_budget`` stop the search early; the
   best package found so far is returned with ``optimal`` false and ``gap``,
   the largest bound still open minus its score: a proof that no package
   beats it by more than ``gap`` (in the criterion). ``progress`` is called
   every :data:`PROGRESS_INTERVAL` seconds and at the end with a dict of
   ``nodes``, ``leaves``, ``scored``, ``best``, ``bound`` and ``elapsed``.
6. **Memory.** The depth-first stack holds at most one node per option of
   every factor (:data:`BATCH_NODES` with repricing), the leaf block ``n_parties *
   LEAF_TARGET`` floats, a batch of leaves at most ``memory_budget`` bytes, and the held
   ties at most :func:`bargain.engine.tie_capacity` entries: bounded whatever the size of
   the space.

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

from .criteria import Criterion, Level, Linear, MaxMin, Nash
from .engine import (
    DEFAULT_MAX_TIES,
    DEFAULT_MEMORY_BUDGET,
    DEFAULT_TIE_TOLERANCE,
    Best,
    Compiled,
    rational,
    tie_capacity,
)

__all__ = [
    "BOUND_SLACK",
    "LEAF_TARGET",
    "PROGRESS_INTERVAL",
    "SearchBest",
    "best_search",
    "incumbent",
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

LINEARIZATION_ROUNDS = 4
"""Re-linearizations of the criterion around the incumbent in the heuristic."""

PRICE_ITERATIONS = 200
"""Mirror-descent steps that choose a max-min criterion's prices."""

NODE_PRICE_ITERATIONS = 6
"""Steps that re-optimize the criterion's dual (max-min's prices, Nash's tangent slopes, a
linear form's rationality multipliers) for each child of a node, from its parent's
(:class:`_Repricing`).
Measured on egalitarian 8 parties x 30 issues, the search alone, seeds 0 and 1 (nodes are
exact, times +-20% on this machine):
3 steps 25.8k and 86.1k nodes; 4 steps 20.9k and 54.8k (5.7 and 13.4 s); 5 steps 18.9k
and 44.2k (5.6 and 12.4 s); 6 steps 16.7k and 36.9k (5.1 and 11.6 s); 8 steps 14.7k and
31.0k (5.7 and 10.4 s); 10 steps 13.7k and 27.6k. With the root's prices alone: 250k
nodes (11.7 s) for seed 0 even given the optimum."""

BATCH_NODES = 32
"""Nodes of one depth expanded together when the dual is re-optimized per child
(:class:`_Repricing`): the top of the depth-first stack (the children of the last batch),
whose children are bounded in one numpy operation; without repricing one node at a time.
Repricing takes :data:`NODE_PRICE_ITERATIONS` steps of ~20 numpy calls for a node's two
or three open children, so numpy's fixed cost per call dominated; a batch expands nodes a
one-node search would have pruned after a better incumbent, which pays only there. Until a
package is known the search dives one node at a time: a batch is a beam, which near the
feasibility threshold (8 parties x 20 issues, 0.001 below it, seed 1) found no rational
package within :data:`RATIONAL_NODES`, and Nash went to HiGHS: 18 s against 0.8 s.
Measured (the search alone, nodes exact, times of one run): egalitarian 8 parties x 30
issues seed 1, 25.6k nodes 10.6 s one at a time, 26.4k nodes 2.3 s at 32; seed 0 13.1k,
5.3 s -> 13.9k, 1.3 s; the concepts on the 8-party rows of the benchmark grid (7-30
issues, seeds 0-2) 8 at a time 19.3 s, 16 17.7 s, 32 14.3 s, 64 18.5 s, against 52.9 s
one at a time; with 2 and 4 parties (no repricing) batches of 32 lost (2 x 30 max-min 84
-> 766 nodes, 0.03 -> 0.07 s)."""

PRICE_STEP = 3.0
"""Max-min's prices re-optimized per node (:class:`_SimplexDual`) take mirror-descent steps
this many times longer than Nash's slopes (steps ``1 / (largest gradient * sqrt(t))``):
measured, egalitarian, the search alone, 8 parties x 20 issues seeds 0-6 and x 30 issues
seeds 0-5, 6 x 30 seeds 0-2 (nodes are exact), step 1 148.6k nodes in all, 2 109.5k, 3
106.6k (8 x 30 seed 1 37.2k -> 25.6k, 12.2 -> 6.8 s), 4 and 6 more again (8 x 30 seed 0
18.4k and 27.3k against 13.1k); Nash's slopes lose with longer steps (at the feasibility
threshold, 20 instances, 20,000 nodes each: 2 of the 13 proved at step 1 left open at 2)."""

RATIONAL_PRICE_STEP = 1.0
""":data:`PRICE_STEP` of the search for a rational package (:func:`_rational`): measured at
the feasibility threshold (8 parties x 20 issues less 0.001 and 0.005, 20 instances), a
rational package within 1,000 nodes on all 20 at step 1, on 17 at step 3; ``bg.nash`` 35 s
in all, against 43 s."""

REPRICE_PARTIES: dict[type, int] = {MaxMin: 5, Nash: 6, Linear: 5}
"""Max-min's prices, Nash's tangent slopes and a linear form's rationality multipliers are
re-optimized per node (:data:`NODE_PRICE_ITERATIONS`, :class:`_Repricing`) for this many
parties or more, per kind of criterion (Nash at its feasibility threshold, 8 parties x 20
issues, seeds 8 and 9: 557-1,882 nodes, 0.2-0.4 s, where the root's tangents left a gap of
24 nats after 2,000 nodes and HiGHS took 1.6-2.3 s). With fewer, the root's prices and
their stretched copies already bound almost as well, at a fifth of the cost per node
(measured one node at a time, the search alone on three seeds: 6 parties x 20 issues
0.06-0.17 s against 0.08-0.43 s, x 30 issues 0.13-0.40 s against 0.18-0.29 s; 8 parties x
20 issues 598-1587 nodes, 0.23-0.59 s, against 5.4k-7.7k nodes, 0.4-0.7 s). Max-min from 5
parties since nodes are expanded in batches (:data:`BATCH_NODES`; 5 parties x 7-30 issues,
seeds 0-2, best of 2: egalitarian 1.63 s in all, the slowest 0.51 s, against 0.49 s and
0.08 s repriced, Kalai–Smorodinsky 5.7 s against 3.8 s; at 4 parties 0.68 against 0.56 s
and 1.45 against 1.31 s, within this machine's noise; at 3, 0.22 against 0.23 s and 0.73
against 0.81 s). Nash lost at 5 (0.27 against 0.32 s). A linear criterion's
rationality multipliers too (:class:`_RationalityDual`; one party's best gain, 8 parties
x 20 and 30 issues, seeds 0-2, 48 searches: 31.9k nodes in all, the largest 7,000, where
the root's multipliers took 174k and 11 searches passed 5,000; 6.3 s against 8.1 s, and
Kalai–Smorodinsky over 12 instances of 6-8 parties 17.4 s against 20.9 s), where the
root's multipliers are not zero (rationality binds there), from 5 parties (4-8 parties x
7-30 issues, seeds 0-2, best of 2: the utilitarian total at 6 and 8 parties 0.17 and 0.18
s in all against 0.08 and 0.11 s; Kalai–Smorodinsky at 5 parties 5.4 s, the slowest 2.2
s, against 3.5 and 0.7 s, at 6 and 8 parties unchanged within noise)."""

DUAL_STALL = 25
"""The rationality multipliers' steps (:func:`_rationality_multipliers`) stop after this
many that do not lower their bound by :data:`DUAL_STALL_TOLERANCE` (measured on one
party's best gain, 2 parties x 30 issues, three seeds: 10-22 ms a search before, 7-13 ms
after, the same nodes but for 420 -> 423; max-min prices stop later,
:data:`PRICE_STALL`)."""

DUAL_STALL_TOLERANCE = 1e-4
"""Relative decrease of a dual bound that counts as progress (:data:`DUAL_STALL`)."""

PRICE_STALL = (40, 1e-5)
"""Max-min's prices (:func:`_prices`) stop after this many steps that do not lower their
bound by this much (relative): most searches need far fewer than
:data:`PRICE_ITERATIONS` (measured, egalitarian, 2 to 8 parties x 9 to 30 issues, 20
instances: 41-200 steps, the same nodes within 2% but for 4 x 30 seed 1, 253 -> 321; 2
parties x 9 issues 41-66 steps, 1.5-2 ms less a search; the rationality multipliers'
looser (25, 1e-4) took 884 nodes where 598 did on 8 x 20 seed 0)."""

RATIONALITY_ITERATIONS = 100
"""Projected subgradient steps that choose the multipliers of the rationality
constraints in a linear bound (:func:`_rationality_multipliers`)."""

PRICE_STRETCHES = (0.5, 2.0)
"""Besides the best prices, one party's price is also scaled by these factors."""

ZERO_POWER_NUDGE = 1e-3
"""Weight given to parties without power when the heuristic linearizes Nash."""

RATIONAL_NODES = 1000
"""Nodes of the max-min search for a rational package (:func:`_rational`) when the
heuristic finds none, at most the search's own node budget. Near the feasibility
threshold Nash's bounds find no rational package in thousands of nodes, while the
max-min of normalized gains, pruning every node whose bound is not positive, steers to
the few there are (measured on 8 parties x 20 issues, threshold less 0.001 and 0.005,
20 instances: one within 250 nodes on 14, within 1,000 on all 20)."""

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
    """:data:`BOUND_SLACK` relative to ``value``; 0 for an infinite value (a leximin level
    whose floors fail scores ``-inf``: ``-inf + inf`` would be NaN)."""
    return BOUND_SLACK * (1.0 + abs(value)) if math.isfinite(value) else 0.0


def _padded(bounds: np.ndarray) -> np.ndarray:
    """Bounds plus :data:`BOUND_SLACK` (``-inf``, where a leximin level's floors fail,
    stays ``-inf``)."""
    finite = np.isfinite(bounds)
    out = bounds.copy()
    out[finite] += BOUND_SLACK * (1.0 + np.abs(bounds[finite]))
    return out


class _Ties:
    """The held candidate ties: exact indices, scores and gains, bounded in number."""

    def __init__(self, n: int, max_ties: int) -> None:
        self.max_ties = max_ties
        self.cap = tie_capacity(max_ties)
        self.indices: list[int] = []
        self.scores = np.empty(0)
        self.gains = np.empty((n, 0))
        self.dropped_top = -math.inf  # best score of a tie dropped as never listable
        self._order: np.ndarray | None = None  # positions by index (None: the ties changed)

    def __len__(self) -> int:
        return len(self.indices)

    def add(self, indices: list[int], scores: np.ndarray, gains: np.ndarray) -> None:
        self.indices += indices
        self._order = None
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
        self._order = None
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
        if self._order is None:  # (called at every node: the ties sorted once per change)
            ranked = sorted(range(len(self.indices)), key=self.indices.__getitem__)
            self._order = np.array(ranked, dtype=np.int64)
        eligible = np.flatnonzero(self.scores[self._order] >= level - _slack(level))
        if eligible.size <= self.max_ties:
            return None
        return self.indices[int(self._order[eligible[self.max_ties]])]

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


def _stacked(factors: list[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Contributions ``(n, options)`` of several factors side by side, ``(factors, n,
    widest)``, and a padding (``-inf`` at options a narrower factor does not have) added
    before a max."""
    width = max((c.shape[1] for c in factors), default=1)
    stacked = np.zeros((len(factors), n, width))
    padding = np.zeros((len(factors), width))
    for f, contrib in enumerate(factors):
        stacked[f, :, : contrib.shape[1]] = contrib
        padding[f, contrib.shape[1] :] = -math.inf
    return stacked, padding


class _Model:
    """The compiled problem in search order: factors, leaf block, loose bonuses.

    Loose bonus ``t`` is held as a row of ``masks[k]`` (``(T, size_k)``, all true
    where it does not involve factor ``k``) and of ``leaf_masks`` (``(T, L)``).
    """

    def __init__(
        self, compiled: Compiled, order: np.ndarray, leaf_target: int, buckets: bool = True
    ) -> None:
        """``buckets``: whether the loose bonuses' buckets (:meth:`_buckets`, for the bounds)
        are built; the heuristic alone does not need them."""
        n = compiled.n_parties
        self.n = n
        self.d = compiled.disagreement
        self.cap = compiled.cap
        contribs = [compiled.factors[f].contrib for f in order]
        offsets = [compiled.exact_offsets(compiled.factors[f]) for f in order]
        split, leaf_size = len(contribs), 1
        while split > 0 and leaf_size * contribs[split - 1].shape[1] <= leaf_target:
            split -= 1
            leaf_size *= contribs[split].shape[1]
        self.split = split
        # Loose bonuses: masks per factor in search order.
        loose = compiled.loose
        self.n_loose = len(loose)
        position = {int(f): p for p, f in enumerate(order)}
        masks = [np.ones((len(loose), c.shape[1]), dtype=bool) for c in contribs]
        self.last = np.full(len(loose), -1)
        self.involves = np.zeros((len(loose), len(contribs)), dtype=bool)
        for t, term in enumerate(loose):
            for f, mask in term.masks:
                masks[position[f]][t] = mask
                self.involves[t, position[f]] = True
                self.last[t] = max(self.last[t], position[f])
        self.bonus = np.zeros((n, len(loose)))
        for t, term in enumerate(loose):
            self.bonus[term.party, t] = term.bonus
        self.positive = np.maximum(self.bonus, 0.0)
        leaf = np.zeros((n, 1))
        leaf_offsets = np.zeros(1, dtype=object)
        leaf_masks = np.ones((len(loose), 1), dtype=bool)
        for c, o, m in zip(contribs[split:], offsets[split:], masks[split:]):
            leaf = (leaf[:, :, None] + c[:, None, :]).reshape(n, -1)
            leaf_offsets = (leaf_offsets[:, None] + o[None, :]).reshape(-1)
            leaf_masks = (leaf_masks[:, :, None] & m[:, None, :]).reshape(len(loose), leaf.shape[1])
        # (offsets are exact Python ints; where they fit int64 they are sorted as such:
        # object sorts cost a quarter of a small problem's model)
        exact = np.int64 if compiled.indexable else object
        by_index = np.argsort(leaf_offsets.astype(exact), kind="stable")
        self.leaf, self.leaf_offsets = leaf[:, by_index], leaf_offsets[by_index]
        self.leaf_terms = np.flatnonzero(self.last >= split)
        self.leaf_masks = leaf_masks[self.leaf_terms][:, by_index].astype(float)
        self.contribs, self.offsets = contribs[:split], offsets[:split]
        self.factor_contribs = contribs  # every factor's, the leaf block's too, in order
        self.stacked = _stacked(self.contribs, n)  # the root's dual steps (leaf apart)
        self.masks = masks[:split]
        # Terms decided at depth k (their last factor).
        self.decided = [np.flatnonzero(self.last == k) for k in range(split)]
        by_offset = [np.argsort(o.astype(exact), kind="stable") for o in self.offsets]
        self.offset_rank = [np.argsort(order) for order in by_offset]
        self.parts = [*self.contribs, self.leaf]
        self.best_rest = np.zeros((split + 2, n))
        self.min_rest = [0] * (split + 2)
        if self.n_loose and buckets:
            self._buckets()
        for k in range(split, -1, -1):
            self.best_rest[k] = self.best_rest[k + 1] + self.parts[k].max(axis=1)
            self.min_rest[k] = self.min_rest[k + 1] + (
                self.offsets[k][by_offset[k][0]] if k < split else self.leaf_offsets[0]
            )

    def _buckets(self) -> None:
        """For each depth (``k + 1`` for the children fixing factor ``k``), each open
        loose bonus is charged to the first later factor it involves (the leaf block
        counts as one factor): ``bucket_masks[k + 1]`` (sparse, bonuses x the later
        factors' options, the bonus's mask in its factor's columns), the later
        factors' contributions side by side, and where each factor's columns start."""
        n_terms = self.n_loose
        leaf_full = np.zeros((n_terms, self.leaf.shape[1]), dtype=bool)
        leaf_full[self.leaf_terms] = self.leaf_masks > 0
        involved = [self.involves[:, f] for f in range(self.split)]
        involved.append(np.any(self.involves[:, self.split :], axis=1))
        all_masks = [*self.masks, leaf_full]
        self.bucket_masks, self.bucket_contribs, self.bucket_starts = [], [], []
        for depth in range(self.split + 1):  # factors depth.. are free
            later = range(depth, self.split + 1)
            assigned = np.full(n_terms, -1)
            for f in reversed(later):
                assigned[involved[f]] = f
            rows, cols, start, starts = [], [], 0, []
            for f in later:
                starts.append(start)
                mine = np.flatnonzero(assigned == f)
                t, x = np.nonzero(all_masks[f][mine])
                rows.append(mine[t])
                cols.append(x + start)
                start += all_masks[f].shape[1]
            rows, cols = np.concatenate(rows), np.concatenate(cols)
            from scipy import sparse  # imported on first use (slow to import)

            matrix = sparse.csr_matrix(
                (np.ones(rows.size), (cols, rows)), shape=(start, n_terms)
            )  # (columns, bonuses): multiplied by weights (bonuses, rows) from the left
            self.bucket_masks.append(matrix)
            self.bucket_contribs.append(np.hstack(self.parts[depth:]))
            self.bucket_starts.append(np.array(starts))

    def bucket_rest(self, depth: int, weights: np.ndarray, lam: np.ndarray) -> np.ndarray:
        """Upper bounds, for each row of ``lam`` (directions over parties) and each child,
        of ``lam . (utilities of the free factors and open bonuses)``: per free factor,
        the best option for its contributions plus the bonuses charged to it.
        ``weights`` is ``(rows * children, bonuses)``: the weighted alive open bonuses."""
        columns = self.bucket_masks[depth] @ weights.T  # (columns, rows * children)
        columns = columns.reshape(columns.shape[0], lam.shape[0], -1)
        columns += (lam @ self.bucket_contribs[depth])[:, :, None].transpose(1, 0, 2)
        best = np.maximum.reduceat(columns, self.bucket_starts[depth], axis=0)
        return best.sum(axis=0)  # (rows, children)

    def suffix_max(self, lam: np.ndarray) -> np.ndarray:
        """``rest[:, k]``: the max over factors ``k..`` of ``lam . contributions``
        (rows of ``lam`` are directions)."""
        rest = np.zeros((lam.shape[0], len(self.parts) + 1))
        for k in range(len(self.parts) - 1, -1, -1):
            rest[:, k] = rest[:, k + 1] + (lam @ self.parts[k]).max(axis=1)
        return rest

    def capped(self, utilities: np.ndarray) -> np.ndarray:
        if self.cap is None:
            return utilities
        return np.minimum(utilities, self.cap[:, None])


def _evaluate(model: _Model, choice: list[int]) -> np.ndarray:
    """Uncapped utilities of one package given by its choice on every factor."""
    total = np.zeros(model.n)
    for c, x in zip(model.parts, choice):
        total = total + c[:, x]
    if model.n_loose:
        earned = np.ones(model.n_loose, dtype=bool)
        for m, x in zip(model.masks, choice):
            earned &= m[:, x]
        earned[model.leaf_terms] &= model.leaf_masks[:, choice[-1]] > 0
        total = total + model.bonus @ earned
    return total


def _candidates(model: _Model, choice: list[int], k: int, total: np.ndarray) -> np.ndarray:
    """Uncapped utilities ``(n, size_k)`` of the package ``choice`` with factor ``k``
    (the leaf block when ``k == split``) set to each of its options; ``total`` is
    the utility of ``choice``."""
    part = model.parts[k]
    out = (total - part[:, choice[k]])[:, None] + part
    if model.n_loose:
        ok = [m[:, x] for m, x in zip(model.masks, choice)]
        leaf_ok = np.ones(model.n_loose, dtype=bool)
        leaf_ok[model.leaf_terms] = model.leaf_masks[:, choice[-1]] > 0
        ok.append(leaf_ok)
        others = np.ones(model.n_loose, dtype=bool)
        for j, column in enumerate(ok):
            if j != k:
                others &= column
        if k < model.split:
            mine = model.masks[k]
        else:
            mine = np.ones((model.n_loose, part.shape[1]), dtype=bool)
            mine[model.leaf_terms] = model.leaf_masks > 0
        earned_now = others & ok[k]
        out = out - (model.bonus @ earned_now)[:, None] + model.bonus @ (others[:, None] & mine)
    return out


def _merits(gains: np.ndarray, criterion: Criterion, scale: np.ndarray):
    """Feasibility and (criterion if feasible, else minus normalized shortfall)."""
    feasible = rational(gains)
    if feasible.all():  # (the usual case once the heuristic has a rational package)
        return feasible, criterion.value(gains)
    shortfall = (np.minimum(gains, 0.0) / scale[:, None]).sum(axis=0)
    if not feasible.any():
        return feasible, shortfall
    value = criterion.value(np.where(gains > 0, gains, 1.0))  # (no log of 0 where unused)
    return feasible, np.where(feasible, value, shortfall)


def _local_search(model: _Model, criterion, scale, start) -> tuple[list[int], np.ndarray]:
    """Coordinate ascent from the package ``start`` (a choice per part): feasibility, then
    criterion."""
    choice = list(start)
    total = _evaluate(model, choice)
    d = model.d[:, None]
    last_move = None  # the part that moved last: parts after it already saw this total
    for _ in range(LOCAL_SEARCH_SWEEPS):
        moved = False
        for k in range(len(model.parts)):
            if k == last_move and not moved:
                break  # every other part stays where it is at this total
            candidates = _candidates(model, choice, k, total)
            feasible, merit = _merits(model.capped(candidates) - d, criterion, scale)
            key = np.where(feasible, 1.0, 0.0)
            pick = int(np.lexsort((-np.arange(merit.size), merit, key))[-1])
            now = choice[k]
            better = (feasible[pick] and not feasible[now]) or (
                feasible[pick] == feasible[now] and merit[pick] > merit[now] + _slack(merit[now])
            )
            if better:
                choice[k] = pick
                total = candidates[:, pick].copy()
                moved, last_move = True, k
        if not moved:
            break
    return choice, model.capped(total[:, None])[:, 0] - model.d


def _direction(criterion: Criterion, gains: np.ndarray) -> np.ndarray | None:
    forms = criterion.linear(gains)
    return forms[0][0] if forms else None


def _spans(compiled: Compiled) -> np.ndarray:
    """Each party's range over the packages (its factors' and loose bonuses' spreads; 1
    where it has none): the scale of normalized gains."""
    n = compiled.n_parties
    spans = sum(f.contrib.max(axis=1) - f.contrib.min(axis=1) for f in compiled.factors)
    spans = spans + sum(abs(t.bonus) * (np.arange(n) == t.party) for t in compiled.loose)
    return np.where(spans > 0, spans, 1.0)


def _heuristic(compiled: Compiled, natural: _Model, criterion: Criterion, scale: np.ndarray):
    """:func:`_incumbent` on the model in the factors' own order, as (package index, gains,
    score), or None."""
    found = _incumbent(natural, criterion, scale)
    if found is None:
        return None
    choice, gains, score = found
    offsets = [compiled.exact_offsets(f) for f in compiled.factors]
    leaf_choice = natural.leaf_offsets[choice[-1]]
    index = sum(int(o[x]) for o, x in zip(offsets, choice[:-1])) + int(leaf_choice)
    return index, gains, score


def incumbent(compiled: Compiled, criterion: Criterion) -> tuple[int, np.ndarray] | None:
    """The heuristic's rational package for ``criterion`` (step 1 of the module docstring
    alone, no proof): its index and gains, or None when the heuristic finds none; e.g. to
    seed HiGHS's first tangents (:func:`bargain.milp.solve`). Inputs are trusted.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.criteria import Nash
    >>> p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2], [3, 3]])
    >>> index, gains = incumbent(bg.engine.compiled(p, loose=True), Nash(p.powers))
    >>> index, gains.tolist()
    (3, [3.0, 3.0])
    """
    if compiled.empty:
        return None
    natural = _Model(compiled, np.arange(len(compiled.factors)), LEAF_TARGET, buckets=False)
    scale = _spans(compiled)
    if isinstance(criterion, MaxMin) and not criterion.prices:
        criterion = criterion.with_prices(_prices(natural, criterion))
    found = _heuristic(compiled, natural, criterion, scale)
    return None if found is None else found[:2]


def _incumbent(model: _Model, criterion: Criterion, scale: np.ndarray):
    """A good rational package (choices, gains, score), or None if the heuristic finds none."""
    best = None
    best_score = -math.inf
    starts = [1.0 / scale]
    powers = getattr(criterion, "powers", None)
    if powers is not None:
        starts.append((powers + ZERO_POWER_NUDGE) / scale)
    searched: dict[tuple[int, ...], tuple[list[int], np.ndarray]] = {}  # by start
    for weights in starts:
        for _ in range(LINEARIZATION_ROUNDS):
            # the best package for ``weights``: a start seen before ends where it did
            start = tuple(int(np.argmax(weights @ c)) for c in model.parts)
            if start not in searched:
                searched[start] = _local_search(model, criterion, scale, start)
            choice, gains = searched[start]
            if not rational(gains):
                break
            score = float(criterion.value(gains[:, None])[0])
            if score <= best_score + _slack(score):
                break
            best, best_score = (choice, gains, score), score
            direction = _direction(criterion, gains)
            if direction is None or not np.any(direction > 0):
                break
            if powers is not None:
                direction = direction + ZERO_POWER_NUDGE * (powers == 0) / gains
            if np.array_equal(direction, weights):
                break  # (a linear form or fixed prices: the same start, the same search)
            weights = direction
    return best


def _best_package_gains(model: _Model, lam: np.ndarray) -> np.ndarray:
    """Gains of the package maximizing ``lam . u`` (loose bonuses at their positive part):
    the maximizer of a separable relaxation."""
    stacked, padding = model.stacked
    chosen = np.argmax(lam @ stacked + padding, axis=1)
    leaf = model.leaf[:, int(np.argmax(lam @ model.leaf))]
    rows = np.arange(stacked.shape[0])
    return stacked[rows, :, chosen].sum(axis=0) + leaf + model.positive.sum(axis=1) - model.d


def _improves(value: float, best: float, tolerance: float = DUAL_STALL_TOLERANCE) -> bool:
    """Whether a dual step's bound ``value`` lowers ``best`` by more than ``tolerance``
    (relative)."""
    return value < best - tolerance * (1.0 + abs(best)) if math.isfinite(best) else True


class _SimplexDual:
    """Max-min's dual: ``min_j g_j / scale_j <= mu . (g / scale)`` for prices ``mu`` on the
    simplex (bounds in gains over scale)."""

    def __init__(self, criterion: MaxMin, step: float) -> None:
        self.scale, self.step = criterion.scale, step

    def weights(self, mu: np.ndarray) -> np.ndarray:
        return mu

    def bound(self, mu: np.ndarray, slope: np.ndarray) -> np.ndarray:
        return (mu * slope).sum(axis=1)

    def gradient(self, mu: np.ndarray, slope: np.ndarray) -> np.ndarray:
        return slope

    def move(self, mu: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """A mirror-descent step: ``mu`` times ``exp(direction)``, back on the simplex
        (rows of ``mu``, or one point)."""
        mu = mu * np.exp(direction)
        return mu / mu.sum(axis=-1, keepdims=True)


class _TangentDual:
    """Nash's dual: ``sum_j p_j log g_j <= conjugate(lam) + lam . g`` for slopes ``lam``
    positive where a party has power (:meth:`bargain.criteria.Nash.conjugate`); steps on
    ``log lam``, whose gradient is ``lam g - p``."""

    step = 1.0

    def __init__(self, criterion) -> None:
        self.criterion, self.scale = criterion, np.ones(criterion.powers.size)
        self.powers = criterion.powers

    def weights(self, lam: np.ndarray) -> np.ndarray:
        return lam

    def bound(self, lam: np.ndarray, slope: np.ndarray) -> np.ndarray:
        return self.criterion.conjugate(lam) + (lam * slope).sum(axis=1)

    def gradient(self, lam: np.ndarray, slope: np.ndarray) -> np.ndarray:
        return np.where(self.powers > 0, lam * slope - self.powers, 0.0)

    def move(self, lam: np.ndarray, direction: np.ndarray) -> np.ndarray:
        return lam * np.exp(direction)


class _RationalityDual:
    """A linear form's dual: ``lam . g <= (lam + nu) . g`` on rational packages for any
    ``nu >= 0`` (:func:`_rationality_multipliers` at the root; re-optimized per node for a
    linear criterion); projected subgradient steps on ``nu``, whose gradient is ``g``."""

    step = 1.0

    def __init__(self, lam: np.ndarray) -> None:
        self.lam, self.scale = lam, np.ones(lam.size)
        self.size = float(np.max(lam))

    def weights(self, nu: np.ndarray) -> np.ndarray:
        return self.lam + nu

    def bound(self, nu: np.ndarray, slope: np.ndarray) -> np.ndarray:
        return ((self.lam + nu) * slope).sum(axis=1)

    def gradient(self, nu: np.ndarray, slope: np.ndarray) -> np.ndarray:
        return slope

    def move(self, nu: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """A projected subgradient step (``direction`` relative to the form's size)."""
        return np.maximum(0.0, nu + self.size * direction)


def _prices(model: _Model, criterion: MaxMin) -> tuple[np.ndarray, ...]:
    """Prices ``mu`` on the simplex for :class:`MaxMin`'s linear bounds: mirror descent
    on ``max_x sum_j mu_j (u_j(x) - d_j) / scale_j`` (utilities relaxed: loose
    bonuses at their positive part) until it stalls (:data:`PRICE_STALL`), keeping the
    best, then stretched copies."""
    n = model.n
    inverse = 1.0 / criterion.scale
    dual = _SimplexDual(criterion, 1.0)
    best_mu, best_value = np.full(n, 1.0 / n), math.inf
    mu = best_mu.copy()
    patience, tolerance = PRICE_STALL
    stalled = 0
    for step in range(1, PRICE_ITERATIONS + 1):
        lam = mu * inverse
        gains = _best_package_gains(model, lam)
        value = float(lam @ gains)
        stalled = 0 if _improves(value, best_value, tolerance) else stalled + 1
        if value < best_value:
            best_mu, best_value = mu.copy(), value
        if stalled >= patience:
            break
        slope = gains * inverse
        largest = float(np.max(np.abs(slope)))
        if largest == 0:
            break
        mu = dual.move(mu, -slope / (largest * math.sqrt(step)))
    prices = [best_mu]
    for j in range(n if n > 1 else 0):
        for stretch in PRICE_STRETCHES:
            stretched = best_mu.copy()
            stretched[j] *= stretch
            prices.append(stretched / stretched.sum())
    return tuple(prices)


def _rationality_multipliers(model: _Model, lam: np.ndarray) -> np.ndarray | None:
    """Multipliers ``nu >= 0`` of the rationality constraints ``g_j >= 0`` for the linear
    bound ``lam . g``: on rational packages ``lam . g <= (lam + nu) . g``, and the
    separable maximum of the right side over *every* package, lowered by projected
    subgradient steps on ``nu``, is far below that of the left where the packages best for
    ``lam`` are not rational (one party's best gain under the others' rationality, Nash
    near its feasibility threshold). None when ``nu = 0`` is already best."""
    dual = _RationalityDual(lam)
    nu = np.zeros(model.n)
    best_nu, best_value = None, math.inf
    stalled = 0
    for step in range(1, RATIONALITY_ITERATIONS + 1):
        weights = dual.weights(nu)
        gains = _best_package_gains(model, weights)
        value = float(weights @ gains)
        stalled = 0 if _improves(value, best_value) else stalled + 1
        if value < best_value - _slack(best_value):
            best_nu, best_value = nu.copy(), value
        if np.all(gains >= 0) and not np.any(nu > 0):
            break  # the maximizer for lam is rational: nu = 0 is optimal
        if stalled >= DUAL_STALL:
            break
        largest = float(np.max(np.abs(gains)))
        if largest == 0:
            break
        nu = dual.move(nu, -gains / (largest * math.sqrt(step)))
    return None if best_nu is None or not np.any(best_nu > 0) else best_nu


def _rational(compiled: Compiled, scale, memory_budget, leaf, deadline, node_budget):
    """A search for the max-min of the gains over ``scale`` within :data:`RATIONAL_NODES`
    nodes (and the budgets): a rational package where the heuristic found none. Its floor
    is 0 (``known``): a rational package's max-min is positive, so every node whose bound
    is not prunes (measured at the feasibility threshold, 8 parties x 20 issues less 0.001
    and 0.005, 20 instances: a rational package within 250-1,000 nodes on all 20, where
    without the floor 8 had none after 4,000)."""
    nodes = RATIONAL_NODES if node_budget is None else min(RATIONAL_NODES, node_budget)
    return best_search(
        compiled,
        MaxMin(scale),
        max_ties=1,
        memory_budget=memory_budget,
        time_budget=None if deadline == math.inf else max(0.0, deadline - time.perf_counter()),
        node_budget=nodes,
        leaf_target=leaf,
        known=0.0,
        price_step=RATIONAL_PRICE_STEP,
    )


class _Repricing:
    """Bounds from the criterion's dual re-optimized for each child of a node: max-min's
    prices (:class:`_SimplexDual`), Nash's tangent slopes (:class:`_TangentDual`) or a
    linear form's rationality multipliers (:class:`_RationalityDual`), each
    giving a linear bound whose maximum below a child is its partial utilities plus every
    free factor's best option; :data:`NODE_PRICE_ITERATIONS` steps (mirror descent, or
    projected subgradient for the multipliers) from the parent's dual lower it where the
    root's leaves it loose, deep in the tree (the Lagrangian dual of the node's relaxation,
    approached from the parent's optimum), each dual with its own step length
    (``dual.step``)."""

    def __init__(self, model: _Model, dual) -> None:
        self.dual = dual
        self.d, self.inverse = model.d, 1.0 / dual.scale
        stacked, padding = _stacked(model.factor_contribs, model.n)
        # (factors of one width, the usual case: no padding to add at every step)
        self.padding = padding if np.isinf(padding).any() else None
        scaled = stacked * self.inverse[None, :, None]  # every factor, over scale
        self.width = stacked.shape[2]
        # (n, options) for the duals' values, (options, n) to add the chosen ones; the
        # children fixing factor k see the columns (rows) of factors k + 1..
        self.flat = scaled.transpose(1, 0, 2).reshape(model.n, -1)
        self.table = scaled.transpose(0, 2, 1).reshape(-1, model.n)
        self.offsets = np.arange(stacked.shape[0]) * self.width
        self.steps = -np.sqrt(np.arange(1, NODE_PRICE_ITERATIONS + 1)) / dual.step

    def bounds(self, k: int, upper: np.ndarray, prices: np.ndarray, threshold: float):
        """Bounds ``(children,)`` for the children's upper utilities ``upper`` (n,
        children) of nodes fixing factors ``..k``, stepping from ``prices`` (children, n),
        their parents' duals, and each child's best prices. The steps
        stop once every child's bound is below ``threshold`` (pruned); a pruned child's
        rows go on stepping with the others' (fewer numpy calls than removing them: its
        bound only falls further, its prices are not used)."""
        free = k + 1
        flat, table, offsets = self.flat[:, free * self.width :], self.table, self.offsets[free:]
        padding = None if self.padding is None else self.padding[free:]
        dual = self.dual
        base = (upper - self.d[:, None]).T * self.inverse  # (children, n), scaled
        mu = prices.copy()
        best = np.full(base.shape[0], math.inf)
        best_mu = mu.copy()
        for step in self.steps.tolist():
            slope = base
            if offsets.size:
                values = (dual.weights(mu) @ flat).reshape(mu.shape[0], offsets.size, self.width)
                if padding is not None:
                    values += padding
                chosen = values.argmax(axis=2)
                chosen += offsets
                slope = slope + table.take(chosen, axis=0).sum(axis=1)
            value = dual.bound(mu, slope)
            np.copyto(best_mu, mu, where=(value < best)[:, None])
            np.minimum(best, value, out=best)
            if not (best >= threshold).any():
                break
            gradient = dual.gradient(mu, slope)
            largest = np.abs(gradient).max(axis=1, keepdims=True)
            largest[largest == 0] = 1.0
            mu = dual.move(mu, gradient / (largest * step))
        return best, best_mu


class _Search:
    """State of one depth-first branch and bound (see the module docstring)."""

    def __init__(
        self,
        compiled: Compiled,
        criterion,
        tie_tol,
        max_ties,
        memory_budget,
        leaf,
        budgets,
        price_step=PRICE_STEP,
        from_package=None,
    ):
        """``budgets``: the search's deadline and node budget (or None), which a search for
        a rational package (:func:`_rational`) shares; ``price_step`` as for
        :func:`best_search`."""
        n = compiled.n_parties
        self.n, self.tie_tol, self.memory_budget = n, tie_tol, memory_budget
        contribs = [f.contrib for f in compiled.factors]
        self.scale = _spans(compiled)
        # A first model in the given order finds the incumbent; the search order follows it.
        natural = _Model(compiled, np.arange(len(contribs)), leaf, buckets=False)
        if isinstance(criterion, MaxMin) and not criterion.prices:
            criterion = criterion.with_prices(_prices(natural, criterion))
        self.criterion = criterion
        found = None
        if from_package is not None:
            score = float(criterion.value(from_package[1][:, None])[0])
            if score > -math.inf:
                found = (from_package[0], from_package[1], score)
        # (max-min from a package of a problem nearby, not the heuristic: 8 parties x 20
        # issues, egalitarian and KS robustness draws took up to 1.4 times as long)
        if found is None or isinstance(criterion, MaxMin | Level):
            heuristic = _heuristic(compiled, natural, criterion, self.scale)
            if heuristic is not None and (found is None or heuristic[2] > found[2]):
                found = heuristic
        self.nodes = self.leaves = self.scored = 0
        index = None
        self.hopeless = False  # proven: no rational package
        if found is not None:
            index, gains, score = found
        elif not isinstance(criterion, MaxMin):
            seed = _rational(compiled, self.scale, memory_budget, leaf, *budgets)
            self.nodes, self.scored = seed.nodes, seed.scored
            self.hopeless = seed.optimal and not seed.found
            if seed.found:
                index, gains = int(seed.indices[0]), seed.gains[:, 0]
                score = float(criterion.value(gains[:, None])[0])
                if score == -math.inf:  # (a leximin level whose floors it misses)
                    index = None
        weights = None if index is None else _direction(criterion, gains)
        if weights is None or not np.any(weights > 0):
            weights = 1.0 / self.scale
        spread = np.array([weights @ (c.max(axis=1) - c.min(axis=1)) for c in contribs])
        self.model = model = _Model(compiled, np.argsort(-spread, kind="stable"), leaf)
        self.feasibility_weights = 1.0 / self.scale
        self.feasibility_rest = model.suffix_max(self.feasibility_weights[None, :])[0]
        self.best = -math.inf
        self.ties = _Ties(n, max_ties)
        self.forms: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.priced = None  # the first form's direction and its rationality multipliers
        self.fallback = None  # the heuristic's package, returned if a budget stops all else
        if index is not None:
            self.fallback = (index, score, gains)
            # Just below its score, so that the search re-finds and lists it exactly.
            self.best = score - _slack(score)
            self._set_forms(gains)
        else:
            if isinstance(criterion, MaxMin):
                # A rational package's max-min is positive: 0 is a floor, as for
                # _rational, so a node whose bound is not positive prunes (without it, a
                # problem with no rational package was proven so only by HiGHS after
                # HYBRID_NODES: 8 parties x 20 issues, 21-71 s, where Nash took 0.1 s).
                self.best = -_slack(0.0)
            self._set_forms(np.ones(n))
        self.repricing = self.first_dual = None  # the per-node dual and the root's
        reprice = n >= REPRICE_PARTIES.get(type(criterion), math.inf)
        if not compiled.loose and reprice and self.priced is not None:
            first, nu = self.priced  # the first linear form and its rationality multipliers
            dual = None
            if isinstance(criterion, MaxMin):
                dual, self.first_dual = _SimplexDual(criterion, price_step), criterion.prices[0]
            elif isinstance(criterion, Nash):
                dual, self.first_dual = _TangentDual(criterion), first  # the tangent's slope
            elif isinstance(criterion, Linear) and nu is not None:
                # (where the root's best package for the form is rational, nu = 0 there,
                # the multipliers rarely bind deeper: re-optimizing them cost the
                # utilitarian total 40% at 6-8 parties)
                dual, self.first_dual = _RationalityDual(criterion.weights), nu
            if dual is not None:
                self.repricing = _Repricing(model, dual)

    def _set_forms(self, gains: np.ndarray) -> None:
        """The criterion's linear bounds around ``gains``, with their suffix maxima."""
        forms = self.criterion.linear(gains)
        if not forms:
            self.forms = None
            return
        lam = np.array([form[0] for form in forms])
        constants = [form[1] for form in forms]
        if self.priced is None or not np.array_equal(self.priced[0], lam[0]):
            # (a linear criterion's or max-min's forms do not move with the incumbent)
            self.priced = (lam[0], _rationality_multipliers(self.model, lam[0]))
        nu = self.priced[1]
        if nu is not None:  # the first form again, priced for rationality
            lam = np.vstack([lam, lam[0] + nu])
            constants.append(constants[0])
        constant = np.array(constants) - lam @ self.model.d
        self.forms = (lam, constant, self.model.suffix_max(lam))

    def children(self, k: int, partial: np.ndarray, alive: np.ndarray):
        """Partial utilities ``(n, size_k)`` of the children of a node fixing factors
        ``0..k-1`` (loose bonuses decided at ``k`` added) and their alive loose bonuses
        ``(T, size_k)`` (None without loose bonuses)."""
        model = self.model
        children = partial[:, None] + model.contribs[k]
        if not model.n_loose:
            return children, None
        alive_children = alive[:, None] & model.masks[k]
        decided = model.decided[k]
        if decided.size:
            children = children + model.bonus[:, decided] @ alive_children[decided]
        return children, alive_children

    def bounds(self, k: int, children: np.ndarray, alive, prices=None):
        """Upper bounds on the packages below each child (``-inf`` where no rational
        package lies below), and each child's dual (None without repricing; ``prices``
        ``(children, n)`` are the parents' duals, one row per child); ``alive`` are the
        children's alive loose bonuses (see :meth:`children`)."""
        model = self.model
        if model.n_loose:
            return self.loose_bounds(k, children, alive), None
        upper = children  # (no loose bonus is open)
        reach = model.capped(upper + model.best_rest[k + 1][:, None]) - model.d[:, None]
        feasible = rational(reach)
        w = self.feasibility_weights
        feasible &= w @ (upper - model.d[:, None]) + self.feasibility_rest[k + 1] > 0
        bound = np.full(children.shape[1], -math.inf)
        if not feasible.any():
            return bound, None
        weak = self.criterion.value(np.where(reach > 0, reach, 1.0))  # (no log of 0 where unused)
        if self.forms is not None:
            lam, constant, rest = self.forms
            linear = lam @ upper + (constant + rest[:, k + 1])[:, None]
            weak = np.minimum(weak, linear.min(axis=0))
        child_prices = None
        if self.repricing is not None:
            # (only for the children the cheaper bounds do not prune)
            open_ = np.flatnonzero(feasible & (weak >= self.threshold()))
            child_prices = prices.copy()
            if open_.size:
                repriced, child_prices[open_] = self.repricing.bounds(
                    k, upper[:, open_], prices[open_], self.threshold()
                )
                weak[open_] = np.minimum(weak[open_], repriced)
        bound[feasible] = _padded(weak[feasible])
        return bound, child_prices

    def loose_bounds(self, k: int, children: np.ndarray, alive: np.ndarray) -> np.ndarray:
        """:meth:`bounds` with loose bonuses: the free factors' best options and the open
        bonuses charged to them (:meth:`_Model.bucket_rest`), per party, for the
        feasibility weights and for each linear form."""
        model = self.model
        n, count = self.n, children.shape[1]
        d = model.d[:, None]
        lam = np.vstack([np.eye(n), self.feasibility_weights[None, :]])
        if self.forms is not None:
            lam = np.vstack([lam, self.forms[0]])
        # Weighted open bonuses: row r, child c, bonus t -> lam[r, party t] * bonus+ * alive.
        open_alive = alive.copy()
        open_alive[model.last <= k] = False
        per_party = (lam @ model.positive)[:, None, :] * open_alive.T[None, :, :]
        rest = model.bucket_rest(k + 1, per_party.reshape(-1, model.n_loose), lam)
        reach = model.capped(children + rest[:n]) - d
        feasible = rational(reach)
        feasible &= self.feasibility_weights @ (children - d) + rest[n] > 0
        bound = np.full(count, -math.inf)
        if not feasible.any():
            return bound
        weak = self.criterion.value(np.where(reach > 0, reach, 1.0))  # (no log of 0 where unused)
        if self.forms is not None:
            forms, constant, _ = self.forms
            linear = forms @ children + constant[:, None] + rest[n + 1 :]
            weak = np.minimum(weak, linear.min(axis=0))
        bound[feasible] = _padded(weak[feasible])
        return bound

    def threshold(self) -> float:
        return self.best - self.tie_tol

    def score_leaves(self, children: np.ndarray, alive, indices: list[int]) -> None:
        """Score every package of the leaf block below each child (columns of partials)."""
        model = self.model
        n, size = self.n, model.leaf.shape[1]
        per_batch = max(1, self.memory_budget // (3 * (n + 1) * 8 * size))
        d = model.d[:, None, None]
        for start in range(0, children.shape[1], per_batch):
            part = children[:, start : start + per_batch]
            if not model.n_loose and model.cap is None:
                gains = ((part - model.d[:, None])[:, :, None] + model.leaf[:, None, :]).reshape(
                    n, -1
                )
                self._score(gains, part.shape[1], size, start, indices)
                continue
            utilities = part[:, :, None] + model.leaf[:, None, :]
            if model.n_loose and model.leaf_terms.size:
                live = alive[model.leaf_terms, start : start + per_batch].T  # (b, T)
                for j in range(n):
                    weights = live * model.bonus[j, model.leaf_terms]
                    utilities[j] += weights @ model.leaf_masks
            if model.cap is not None:
                utilities = np.minimum(utilities, model.cap[:, None, None])
            self._score((utilities - d).reshape(n, -1), part.shape[1], size, start, indices)

    def _score(self, gains: np.ndarray, count: int, size: int, start: int, indices) -> None:
        """Score the gains of ``count`` leaf nodes' blocks; keep the ties."""
        model = self.model
        self.leaves += count
        self.scored += gains.shape[1]
        keep = np.flatnonzero(rational(gains))
        if not keep.size:
            return
        gains = gains[:, keep]
        scores = self.criterion.value(gains)
        top = int(np.argmax(scores))
        if scores[top] > self.best:
            self.best = float(scores[top])
            self.ties.keep_above(self.threshold())
            self._set_forms(gains[:, top])
        take = np.flatnonzero(scores >= self.threshold())
        if take.size:
            child, inner = np.divmod(keep[take], size)
            found = [
                indices[start + c] + model.leaf_offsets[i]
                for c, i in zip(child.tolist(), inner.tolist())
            ]
            self.ties.add(found, scores[take], gains[:, take])

    def run(self, deadline: float, node_budget: int | None, progress: Progress | None, start):
        n = self.n
        model = self.model
        root_alive = np.ones(model.n_loose, dtype=bool)
        if self.hopeless:
            return []
        if model.split == 0:
            self.score_leaves(np.zeros((n, 1)), root_alive[:, None], [0])
            return []
        root, root_prices = self.bounds(
            -1,
            np.zeros((n, 1)),
            root_alive[:, None] if model.n_loose else None,
            None if self.repricing is None else self.first_dual[None, :],
        )
        root_prices = None if root_prices is None else root_prices[0]
        stack = (
            [(float(root[0]), 0, np.zeros(n), 0, root_alive, root_prices)]
            if root[0] > -math.inf
            else []
        )
        last_report = start
        while stack:
            now = time.perf_counter()
            if now >= deadline or (node_budget is not None and self.nodes >= node_budget):
                return stack
            if progress is not None and now - last_report >= PROGRESS_INTERVAL:
                progress(self.report(stack, now - start))
                last_report = now
            batch = self.pop_batch(stack, node_budget)
            if batch:
                self.expand(batch, stack)
        return stack

    def pop_batch(self, stack: list, node_budget: int | None) -> list:
        """Up to :data:`BATCH_NODES` nodes from the top of the stack, all at the depth of
        the first (within the node budget); nodes whose bound fell below the threshold are
        dropped on the way."""
        # (one node at a time until a package is found: a dive finds one, a batch is a beam)
        known = len(self.ties) or self.fallback is not None
        size = BATCH_NODES if known and self.repricing is not None else 1
        room = size if node_budget is None else min(size, node_budget - self.nodes)
        batch: list = []
        while stack and len(batch) < room:
            if batch and stack[-1][1] != batch[0][1]:
                break
            entry = stack.pop()
            if entry[0] >= self.threshold():
                batch.append(entry)
        return batch

    def expand(self, batch: list, stack: list) -> None:
        """Bound the children of a batch of nodes at one depth ``k`` in one call; score the
        leaf blocks below those at the last depth, or push the live children, the first
        node's last so that its best child pops next (best bound, then lowest index)."""
        model = self.model
        k = batch[0][1]
        size = model.contribs[k].shape[1]
        self.nodes += len(batch)
        expanded = [self.children(k, entry[2], entry[4]) for entry in batch]
        children = np.hstack([e[0] for e in expanded])
        alive_children = np.hstack([e[1] for e in expanded]) if model.n_loose else None
        prices = None
        if self.repricing is not None:
            prices = np.repeat(
                np.array([self.first_dual if e[5] is None else e[5] for e in batch]), size, axis=0
            )
        bounds, child_prices = self.bounds(k, children, alive_children, prices)
        leaf = k + 1 == model.split
        keep_columns: list[np.ndarray] = []
        keep_indices: list[int] = []
        for b in range(len(batch)) if leaf else range(len(batch) - 1, -1, -1):
            index = batch[b][3]
            part = bounds[b * size : (b + 1) * size]
            live = np.flatnonzero((part >= self.threshold()) & (part > -math.inf))
            if not live.size:
                continue
            limit = self.ties.index_limit(float(part[live].max()))
            indices = [index + int(model.offsets[k][x]) for x in live.tolist()]
            if limit is not None:
                below = [i + model.min_rest[k + 1] <= limit for i in indices]
                live = live[below]
                indices = [i for i, kept in zip(indices, below) if kept]
                if not live.size:
                    continue
            if leaf:
                keep_columns.append(live + b * size)
                keep_indices += indices
                continue
            # Push worst first so that the best bound (then the lowest index) pops first.
            ranking = np.lexsort((model.offset_rank[k][live], -part[live]))[::-1]
            for r in ranking.tolist():
                x = int(live[r]) + b * size
                child_alive = batch[b][4] if alive_children is None else alive_children[:, x]
                mine = None if child_prices is None else child_prices[x]
                entry = (float(bounds[x]), k + 1, children[:, x], indices[r], child_alive, mine)
                stack.append(entry)
        if keep_columns:
            columns = np.concatenate(keep_columns)
            chosen = None if alive_children is None else alive_children[:, columns]
            self.score_leaves(children[:, columns], chosen, keep_indices)

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


def best_search(
    compiled: Compiled,
    criterion: Criterion,
    *,
    tie_tol: float = DEFAULT_TIE_TOLERANCE,
    max_ties: int = DEFAULT_MAX_TIES,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    time_budget: float | None = None,
    node_budget: int | None = None,
    progress: Progress | None = None,
    leaf_target: int = LEAF_TARGET,
    known: float | None = None,
    price_step: float = PRICE_STEP,
    from_package: tuple[int, np.ndarray] | None = None,
) -> SearchBest:
    """The best rational packages for ``criterion``, by branch and bound.

    Same contract as :func:`bargain.engine.argmax` with ``criterion.value`` as
    objective (best score, the ``max_ties`` lowest-index ties ascending,
    ``truncated``), for spaces of any size; see the module docstring for the
    algorithm. ``time_budget`` (seconds) and ``node_budget`` (expanded nodes)
    stop it early: then ``optimal`` is False and ``gap`` bounds the distance to
    the optimum. ``leaf_target`` caps the packages of the leaf block (small
    values exercise the tree in tests). ``known`` is a floor: only packages scoring at
    least ``known - tie_tol`` are looked for (a score some package is known to reach, or
    0 for a max-min whose packages must be rational). ``price_step`` is the length of
    max-min's per-node price steps (:data:`PRICE_STEP`). ``from_package`` (index, gains) is a
    rational package to start from in place of the heuristic's (step 1 of the module
    docstring; for max-min and leximin levels, whose prices and search order are set at
    the incumbent, the better of the two). Inputs are trusted.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.criteria import Nash
    >>> p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2], [3, 3]])
    >>> found = best_search(bg.engine.compiled(p, loose=True), Nash(p.powers))
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
    deadline = math.inf if time_budget is None else start + time_budget
    budgets = (deadline, node_budget)
    search = _Search(
        compiled,
        criterion,
        tie_tol,
        max_ties,
        memory_budget,
        leaf_target,
        budgets,
        price_step,
        from_package,
    )
    if known is not None:
        search.best = max(search.best, known - _slack(known))
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
    # (a floor no package reached is no score: -inf, as without a floor)
    score = search.best if len(search.ties) else -math.inf
    return search.ties.result(
        score, tie_tol, n, search.scored, optimal=optimal, gap=gap, nodes=search.nodes
    )
