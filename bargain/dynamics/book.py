"""The offer book: what negotiators can offer, precomputed once per problem.

Negotiators in :func:`~bargain.simulate` offer packages of the problem's Pareto
frontier (individually rational and efficient: nobody offers a package that
some party would rather walk away from, or one that another package improves
for everyone). The book sorts the frontier once per party, so a strategy's
question "the package best for the others among those giving me at least
``target``" is a binary search plus a lookup, never a scan of the space.
"""

from __future__ import annotations

import numpy as np

from ..criteria import Nash
from ..frontier import pareto_frontier
from ..problem import Problem

__all__ = ["OfferBook", "log_nash", "offer_book"]


def log_nash(powers: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """Weighted log Nash products of gain columns ``(n_parties, B)``: the one home
    (:class:`bargain.criteria.Nash`), the only door the dynamics use."""
    return Nash(np.asarray(powers, dtype=float)).value(gains)


class OfferBook:
    """The Pareto frontier of a problem, indexed for fast concession.

    Attributes
    ----------
    problem : Problem
    indices : ndarray of int64, shape (k,)
        Frontier package indices, ascending.
    utilities : ndarray, shape (k, n_parties)
        Their utilities.
    best : ndarray, shape (n_parties,)
        Each party's best utility on the frontier.
    """

    def __init__(self, problem: Problem) -> None:
        frontier = pareto_frontier(problem)
        self.problem = problem
        self.indices = frontier.indices
        self.utilities = frontier.utilities
        # offers hand out rows of this array: nobody may change the book through them
        self.utilities.setflags(write=False)
        n = problem.n_parties
        self.position = {int(index): j for j, index in enumerate(self.indices)}
        if not len(frontier):
            self.best = problem.disagreement.copy()
            return
        self.best = self.utilities.max(axis=0)
        gains = (self.utilities - problem.disagreement).T  # all > 0 on the frontier
        # For party i: frontier positions by i's utility, best first (ties: lowest index),
        # and for every prefix the position best for the others (the engine's log Nash
        # product of their gains: i's power set to 0).
        self._order = []
        self._descending = []
        self._prefix_best = []
        for i in range(n):
            order = np.lexsort((self.indices, -self.utilities[:, i]))
            others = log_nash(np.where(np.arange(n) == i, 0.0, problem.powers), gains[:, order])
            running = np.maximum.accumulate(others)
            # first position reaching each running maximum: strict improvements only
            improved = np.flatnonzero(np.r_[True, running[1:] > running[:-1]])
            prefix = improved[np.searchsorted(improved, np.arange(order.size), side="right") - 1]
            self._order.append(order)
            self._descending.append(-self.utilities[order, i])
            self._prefix_best.append(order[prefix])

    def __len__(self) -> int:
        return int(self.indices.size)

    def offer_for(self, party: int, target: float) -> int:
        """Frontier position of the package best for the others among those giving
        ``party`` at least ``target`` (``party``'s own best package if none does)."""
        count = int(np.searchsorted(self._descending[party], -target, side="right"))
        if count == 0:
            return int(self._order[party][0])
        return int(self._prefix_best[party][count - 1])

    def package_utilities(self, index: int) -> np.ndarray:
        """Utilities of any package (a frontier lookup when it is on the frontier)."""
        position = self.position.get(index)
        if position is not None:
            return self.utilities[position]
        return self.problem.utilities(index)


def offer_book(problem: Problem) -> OfferBook:
    """The problem's offer book, built once per (immutable) problem and kept on it."""
    return problem.cached("dynamics.offer_book", lambda: OfferBook(problem))
