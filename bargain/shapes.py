"""Built-in value functions for continuous issues.

Each shape is a vectorized callable (points in, values out) that knows whether
it is concave; when every value function of a problem is a concave shape (with
a non-negative weight), the continuous solver's optimum is global (see
:mod:`bargain.concepts.continuous`). Any other vectorized callable works too,
solved by multi-start.

>>> import numpy as np
>>> import bargain as bg
>>> bg.shapes.linear(2.0, 1.0)(np.array([0.0, 0.5]))
array([1., 2.])
>>> bg.shapes.power(0.5)(np.array([0.0, 0.25]))
array([0. , 0.5])
>>> f = bg.shapes.piecewise_linear([(0, 0), (0.5, 0.8), (1, 1)])
>>> f(np.array([0.25, 0.75])), f.concave
(array([0.4, 0.9]), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import check_real
from .errors import BargainTypeError, ValidationError

__all__ = ["Linear", "PiecewiseLinear", "Power", "linear", "piecewise_linear", "power"]


@dataclass(frozen=True)
class Linear:
    """``intercept + slope * x`` (concave, and convex)."""

    slope: float
    intercept: float

    concave = True

    def __call__(self, points: np.ndarray) -> np.ndarray:
        return self.intercept + self.slope * np.asarray(points, dtype=float)


@dataclass(frozen=True)
class Power:
    """``scale * (x - origin) ** exponent`` for ``x >= origin``."""

    exponent: float
    scale: float
    origin: float

    @property
    def concave(self) -> bool:
        """Concave when the exponent is in [0, 1] and the scale non-negative,
        or the exponent is >= 1 and the scale non-positive."""
        if self.scale >= 0:
            return 0 <= self.exponent <= 1
        return self.exponent >= 1

    def __call__(self, points: np.ndarray) -> np.ndarray:
        shifted = np.asarray(points, dtype=float) - self.origin
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.scale * shifted**self.exponent


@dataclass(frozen=True)
class PiecewiseLinear:
    """Linear interpolation through ``xs``/``ys``, constant beyond the end points."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    @property
    def concave(self) -> bool:
        """Concave on ``[xs[0], xs[-1]]`` when the slopes do not increase (the
        guarantee of the solver assumes the issue's range lies in that span)."""
        slopes = np.diff(self.ys) / np.diff(self.xs)
        return bool(np.all(np.diff(slopes) <= 0))

    def __call__(self, points: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(points, dtype=float), self.xs, self.ys)


def linear(slope: float = 1.0, intercept: float = 0.0) -> Linear:
    """The straight line ``intercept + slope * x``.

    >>> linear(-1.0, 1.0)(np.array([0.25]))
    array([0.75])
    """
    return Linear(check_real(slope, "linear: slope"), check_real(intercept, "linear: intercept"))


def power(exponent: float, scale: float = 1.0, origin: float = 0.0) -> Power:
    """The power curve ``scale * (x - origin) ** exponent`` (defined for ``x >= origin``).

    ``power(0.5)`` is the square root; exponents in (0, 1) give concave,
    diminishing returns. Points below ``origin`` give NaN for fractional
    exponents, which a problem rejects when it is built.

    >>> power(2.0, scale=-1.0, origin=1.0)(np.array([0.5]))
    array([-0.25])
    """
    return Power(
        check_real(exponent, "power: exponent", minimum=0.0),
        check_real(scale, "power: scale"),
        check_real(origin, "power: origin"),
    )


def piecewise_linear(points: Sequence[tuple[float, float]]) -> PiecewiseLinear:
    """The broken line through ``points`` = ``[(x0, y0), (x1, y1), ...]``.

    The ``x`` must increase strictly; at least two points. Beyond the first
    and last points the value stays constant.

    >>> piecewise_linear([(0, 1), (1, 0)])(np.array([0.1]))
    array([0.9])
    """
    try:
        pairs = [tuple(point) for point in points]
    except TypeError:
        raise BargainTypeError(
            f"piecewise_linear: points must be a list of (x, y) pairs, got {points!r}"
        ) from None
    if len(pairs) < 2 or any(len(pair) != 2 for pair in pairs):
        raise ValidationError(
            f"piecewise_linear: points must be at least two (x, y) pairs, got {points!r}"
        )
    xs = tuple(check_real(x, f"piecewise_linear: points[{i}] x") for i, (x, _) in enumerate(pairs))
    ys = tuple(check_real(y, f"piecewise_linear: points[{i}] y") for i, (_, y) in enumerate(pairs))
    steps = np.diff(xs)
    if np.any(steps <= 0):
        position = int(np.flatnonzero(steps <= 0)[0]) + 1
        raise ValidationError(
            f"piecewise_linear: points[{position}] has x = {xs[position]!r}, not more than the "
            f"previous x = {xs[position - 1]!r}; x must increase strictly"
        )
    return PiecewiseLinear(xs, ys)
