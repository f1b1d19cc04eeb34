r"""Threats and walk-aways: who gains when one party's no-deal value moves.

A threat works through the disagreement point: the United States threatening to
walk away makes continued war worse for Ukraine (no US aid) and better for
Russia, and the Nash bargaining package moves with the no-deal values (Nash
1953, "Two-person cooperative games", *Econometrica* 21(1), 128-140: the
threat game is played over the disagreement point). :func:`threat_path`
follows the Nash package exactly while one party's no-deal value ``t`` moves
over an interval, every other number fixed.

How it is exact: the package that maximizes the log Nash product
:math:`\sum_i p_i \log(u_i(x) - d_i)` is a Pareto-optimal package of the
problem at the interval's low end (a dominated package never wins, and a
package individually rational at some ``t`` is so at the low end). For two
such packages ``x`` and ``y`` with ``C_x``, ``C_y`` the other parties' part
of the product and ``a = u_j(y) > b = u_j(x)``, ``y`` overtakes ``x`` where

.. math:: p_j \log\frac{a - t}{b - t} = C_x - C_y
   \quad\Longleftrightarrow\quad t = \frac{r b - a}{r - 1},
   \qquad r = e^{(C_x - C_y)/p_j},

and only a package giving party ``j`` more can overtake as ``t`` rises (the
ratio grows with ``t``). The path walks from breakpoint to breakpoint with
this closed form, vectorized over the frontier; between breakpoints the
package is constant, so every party's utility at the solution is a step
function of ``t`` and the path gives it exactly (no sampling).
:func:`threat_path` is the Nash analysis; for the other concepts re-solve at
the points of interest.

>>> import bargain as bg
>>> p = bg.Problem.from_utilities([[4, 1], [3, 2.5], [1, 4]], names=["A", "B"])
>>> path = threat_path(p, "A", 0.0, 3.0)
>>> [round(t, 6) for t in path.breakpoints]
[2.333333]
>>> [s.index for s in path.segments]
[1, 0]
>>> {k: round(v, 3) for k, v in path.effect(0.0, 3.0).items()}
{'A': 1.0, 'B': -1.5}
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import engine
from ._checks import check_real
from .criteria import Nash
from .errors import ValidationError
from .frontier import pareto_frontier
from .problem import Problem, require_discrete

__all__ = ["Segment", "ThreatPath", "threat_path"]


@dataclass(frozen=True)
class Segment:
    """Where the Nash package is constant: ``low < t < high`` (the ends are breakpoints).

    ``index`` is the package (``None``: no agreement, every party at its
    disagreement value) and ``utilities`` each party's utility there (for the
    moving party without agreement, its no-deal value at ``low``; see
    :meth:`ThreatPath.utilities` for any ``t``).
    """

    low: float
    high: float
    index: int | None
    utilities: dict[str, float]


@dataclass(frozen=True)
class ThreatPath:
    """The Nash package and utilities while ``party``'s no-deal value moves over [low, high]."""

    problem: Problem
    party: str
    low: float
    high: float
    segments: tuple[Segment, ...]

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """The values of ``t`` where the Nash package changes (ties there)."""
        return tuple(s.low for s in self.segments[1:])

    def segment(self, t: float) -> Segment:
        """The segment holding ``t`` (at a breakpoint, the one that starts there)."""
        t = check_real(t, "ThreatPath.segment: t")
        if not self.low <= t <= self.high:
            raise ValidationError(
                f"ThreatPath.segment: t is {t!r}, outside the path [{self.low!r}, {self.high!r}]"
            )
        for segment in reversed(self.segments):
            if segment.low <= t:
                return segment
        return self.segments[0]

    def utilities(self, t: float) -> dict[str, float]:
        """Every party's utility at the Nash solution when the party's no-deal value is ``t``."""
        segment = self.segment(t)
        if segment.index is None:
            return {**segment.utilities, self.party: float(t)}
        return dict(segment.utilities)

    def effect(self, before: float, after: float) -> dict[str, float]:
        """Each party's change of utility at the solution when ``t`` moves from ``before`` to
        ``after``."""
        old, new = self.utilities(before), self.utilities(after)
        return {name: new[name] - old[name] for name in old}

    def __str__(self) -> str:
        names = self.problem.party_names
        lines = [
            f"Nash package as {self.party}'s no-deal value moves over [{self.low:g}, {self.high:g}]"
        ]
        lines.append(f"  {'from':>8} {'to':>8}  package  " + "  ".join(f"{n:>13}" for n in names))
        for s in self.segments:
            shown = "no deal" if s.index is None else str(s.index)
            cells = "  ".join(f"{s.utilities[n]:>13.4f}" for n in names)
            lines.append(f"  {s.low:>8.4f} {s.high:>8.4f}  {shown:>7}  {cells}")
        return "\n".join(lines)


def threat_path(problem: Problem, party: str, low: float, high: float) -> ThreatPath:
    """Follow the Nash package exactly while ``party``'s no-deal value moves over [low, high].

    Every other number stays as in ``problem`` (the party's own no-deal value
    there is ignored). See the module docstring for the closed form of the
    breakpoints. Inside a segment the package is the one :func:`bargain.nash`
    returns for every ``t`` there (among packages tying all along a segment, the
    lowest index, as :func:`bargain.nash` resolves ties); at a breakpoint itself the
    packages before and after tie (:func:`bargain.nash` lists both and picks the
    lower index), and :meth:`ThreatPath.segment` gives the one that starts there. A
    package lapses where the party's gain falls to the utility tolerance
    (:data:`bargain.engine.DEFAULT_UTILITY_TOLERANCE`), the rationality rule of
    every concept.

    Parameters
    ----------
    problem : Problem
        With discrete issues.
    party : str
    low, high : float
        ``low < high``.
    """
    problem = require_discrete(problem, "threat_path")
    j = problem.party_position(party)
    low = check_real(low, "threat_path: low")
    high = check_real(high, "threat_path: high")
    if not low < high:
        raise ValidationError(f"threat_path: low {low!r} must be below high {high!r}")
    at_low = problem.replace_party(party, disagreement=low)
    frontier = pareto_frontier(at_low)
    indices = np.asarray(frontier.indices)
    utilities = np.asarray(frontier.utilities, dtype=float)
    names = problem.party_names
    d = np.array(at_low.disagreement, dtype=float)
    powers = np.asarray(problem.powers, dtype=float)
    others = powers.copy()
    others[j] = 0.0
    # The other parties' part of the log Nash product: fixed along the path.
    rest = Nash(others).value((utilities - d).T) if len(indices) else np.zeros(0)
    mine = utilities[:, j] if len(indices) else np.zeros(0)
    p = float(powers[j])

    tol = engine.DEFAULT_UTILITY_TOLERANCE
    # The party's own rationality as every concept judges it (a gain above the utility
    # tolerance): a package lapses where t reaches its utility less the tolerance.
    lapse = mine - tol

    def score(t: float, after: bool) -> np.ndarray:
        """The log Nash product at ``t`` (``after``: just above ``t``), -inf where the party's
        own gain is not rational."""
        gain = mine - t
        alive = engine.rational(gain[None, :], tol) & (lapse > t if after else True)
        with np.errstate(divide="ignore", invalid="ignore"):
            own = p * np.log(np.where(alive, gain, np.nan)) if p else np.zeros_like(gain)
        return np.where(alive, rest + own, -np.inf)

    def best(t: float, after: bool) -> int | None:
        """The winner at ``t`` (``after``: the one that wins just above ``t``)."""
        values = score(t, after)
        if not values.size or not np.isfinite(values.max()):
            return None
        tied = np.flatnonzero(values >= values.max() - engine.DEFAULT_TIE_TOLERANCE)
        if after:
            # Just above a breakpoint the tied package giving the party most wins.
            top = mine[tied].max()
            tied = tied[mine[tied] >= top - engine.DEFAULT_TIE_TOLERANCE]
        return int(tied[np.argmin(indices[tied])])

    def overtaken(current: int, t: float) -> float:
        """Where the first package giving the party more overtakes ``current`` (or it lapses)."""
        b = mine[current]
        end = lapse[current] if lapse[current] < high else math.inf
        if p == 0.0:
            return end
        a = mine
        better = a > b
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            r = np.exp((rest[current] - rest) / p)
            crossing = (r * b - a) / (r - 1.0)
        crossing = crossing[better & (r > 1.0) & (crossing > t)]
        return min(end, float(crossing.min())) if crossing.size else end

    segments = []
    t = low
    current = best(t, after=False)
    while t < high:
        end = high if current is None else min(high, overtaken(current, t))
        if current is None:
            values = {**dict(zip(names, map(float, d))), names[j]: float(t)}
        else:
            values = dict(zip(names, map(float, utilities[current])))
        index = None if current is None else int(indices[current])
        if segments and segments[-1].index == index and index is not None:
            segments[-1] = Segment(segments[-1].low, end, index, values)
        else:
            segments.append(Segment(t, end, index, values))
        if end >= high:
            break
        t = end
        current = best(t, after=True)
    return ThreatPath(problem, problem.parties[j].name, low, high, tuple(segments))
