"""What a solution concept maximizes: one small object per criterion.

Every concept maximizes a *criterion* of the parties' gains over disagreement
``g = u - d`` (one column per package, shape ``(n_parties, B)``), over the
rational packages (every gain > 0). A criterion knows

* ``value(g)``: its score; never decreasing in any gain, so that the value at
  per-party upper bounds on the gains bounds every package below them (the
  engine's and the search's *weak* bound);
* ``linear(g0)``: linear forms ``(lam, const)``, ``lam >= 0``, with
  ``value(g) <= const + lam . g`` for every ``g > 0``. Linear in utilities, they
  are maximized factor by factor (the search's Lagrangian bounds and the lottery
  oracle's prices). ``g0`` is a good rational point (the incumbent's gains).

The four are :class:`Nash` (weighted log Nash product), :class:`Linear` (a
weighted sum of gains: the utilitarian total, one party's gain for the ideal
point), :class:`MaxMin` (smallest weighted gain: egalitarian, proportional,
Kalai–Smorodinsky once the ideal point is known) and :class:`Level` (a leximin
level: the ``level``-th smallest weighted gain among packages whose smaller ones
reach given floors).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "LOG_FLOOR",
    "SLSQP_MAX_ITERATIONS",
    "TANGENT_STRETCHES",
    "Criterion",
    "Level",
    "Linear",
    "MaxMin",
    "Nash",
]

LOG_FLOOR = 1e-300
"""The smallest gain whose log a smooth solver takes: below it the log Nash product is
clipped, so that SLSQP sees finite values where it probes outside the rational region."""

SLSQP_MAX_ITERATIONS = 60
"""SLSQP iterations per start of the continuous and lottery solvers (smooth concave
problems converge in far fewer; kinked functions may not converge at all, and then
the best point seen is kept; the lottery master is polished by Newton steps and
certified by its dual gap, not by SLSQP)."""

TANGENT_STRETCHES = (0.5, 2.0)
"""Besides ``g0``, :class:`Nash` also linearizes where one party's gain is stretched
by these factors (much tighter bounds in subtrees that favour some party)."""


class Criterion(ABC):
    """Base of the criteria (see the module docstring)."""

    @abstractmethod
    def value(self, gains: np.ndarray) -> np.ndarray:
        """Scores of gain columns ``(n_parties, B)`` -> ``(B,)``."""

    def linear(self, point: np.ndarray) -> list[tuple[np.ndarray, float]]:
        """Linear upper bounds valid everywhere (none by default)."""
        return []


@dataclass(frozen=True, eq=False)
class Nash(Criterion):
    """``sum_j powers[j] * log(g_j)``, parties summed in a fixed order (one home for the
    log Nash product: a package scores the same wherever it is scored)."""

    powers: np.ndarray

    def value(self, gains: np.ndarray) -> np.ndarray:
        logs = np.log(gains)
        score = None
        for j, weight in enumerate(self.powers.tolist()):
            if weight:  # (a weight of one multiplies exactly: skipped)
                term = logs[j] if weight == 1.0 else weight * logs[j]
                if score is None:  # summed from zero: 0.0 + term, the same bits
                    score = term + 0.0
                else:
                    score += term
        return np.zeros(gains.shape[1]) if score is None else score

    def linear(self, point: np.ndarray) -> list[tuple[np.ndarray, float]]:
        """Tangents of the concave log at ``point`` and at stretched copies of it."""
        slopes = np.where(self.powers > 0, self.powers / self.tangent_points(point), 0.0)
        constants = self.conjugate(slopes).tolist()
        return list(zip(slopes, constants))

    def tangent_points(self, point: np.ndarray) -> np.ndarray:
        """Where the tangents are taken, one row each: ``point``, then for each party with
        power (in order) and each of :data:`TANGENT_STRETCHES` a copy with that party's
        gain stretched."""
        positive = np.flatnonzero(self.powers > 0)
        stretches = np.asarray(TANGENT_STRETCHES, dtype=float)
        points = np.repeat(point[None, :], 1 + positive.size * stretches.size, axis=0)
        rows = 1 + np.arange(positive.size * stretches.size)
        columns = np.repeat(positive, stretches.size)
        points[rows, columns] *= np.tile(stretches, positive.size)
        return points

    def conjugate(self, slopes: np.ndarray) -> np.ndarray:
        """``max_g sum_j powers_j log g_j - slope . g`` for each row of ``slopes`` (positive
        where a party has power): the constant of the tangent bound with that slope, ``sum_j
        p_j (log(p_j / slope_j) - 1)``; the tangent at ``g0`` has slope ``p / g0``."""
        positive = self.powers > 0
        p = self.powers[positive]
        return (p * (np.log(p) - np.log(slopes[:, positive]) - 1.0)).sum(axis=1)


@dataclass(frozen=True, eq=False)
class Linear(Criterion):
    """``weights . g``: the utilitarian total (weights one), or one party's gain."""

    weights: np.ndarray

    def value(self, gains: np.ndarray) -> np.ndarray:
        score = np.zeros(gains.shape[1])
        for j, weight in enumerate(self.weights.tolist()):
            if weight:
                score += gains[j] if weight == 1.0 else weight * gains[j]
        return score

    def linear(self, point: np.ndarray) -> list[tuple[np.ndarray, float]]:
        return [(self.weights, 0.0)]


@dataclass(frozen=True, eq=False)
class MaxMin(Criterion):
    """``min_j g_j / scale[j]``. ``prices`` (points of the simplex) give the linear
    bounds ``sum_j mu_j g_j / scale_j``; the search sets them from the dual of
    the convex relaxation (:meth:`with_prices`)."""

    scale: np.ndarray
    prices: tuple[np.ndarray, ...] = field(default=())

    def value(self, gains: np.ndarray) -> np.ndarray:
        return np.min(gains / self.scale[:, None], axis=0)

    def linear(self, point: np.ndarray) -> list[tuple[np.ndarray, float]]:
        return [(mu / self.scale, 0.0) for mu in self.prices]

    def with_prices(self, prices: tuple[np.ndarray, ...]) -> MaxMin:
        return MaxMin(self.scale, prices)


@dataclass(frozen=True, eq=False)
class Level(Criterion):
    """Leximin level ``level``: the ``level``-th smallest ``g_j / scale_j``, ``-inf``
    where a smaller one falls below its floor. Every order statistic is
    non-decreasing in every gain, so bounds from upper gains stay valid."""

    scale: np.ndarray
    level: int
    floors: tuple[float, ...]

    def value(self, gains: np.ndarray) -> np.ndarray:
        ordered = np.sort(gains / self.scale[:, None], axis=0)
        score = ordered[self.level].copy()
        for position, floor in enumerate(self.floors):
            score[ordered[position] < floor] = -np.inf
        return score
