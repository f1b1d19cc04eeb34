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
from .concepts import tie_rule
from .criteria import Nash
from .errors import ValidationError
from .frontier import pareto_frontier
from .problem import Problem, require_discrete

__all__ = ["Segment", "ThreatPath", "threat_path"]


@dataclass(frozen=True)
class Segment:
    """Where the Nash package is constant: ``low < t < high`` (the ends are breakpoints), or
    where ``low == high``, an end point of the path where :func:`bargain.nash` resolves a tie
    otherwise than the segment next to it does.

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
        """The segment holding ``t`` (at a breakpoint inside the path, the one that starts
        there; at either end point, the one holding :func:`bargain.nash`'s package)."""
        t = check_real(t, "ThreatPath.segment: t")
        if not self.low <= t <= self.high:
            raise ValidationError(
                f"ThreatPath.segment: t is {t!r}, outside the path [{self.low!r}, {self.high!r}]"
            )
        if t == self.low:
            return self.segments[0]
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
    one its tie rule chooses, :func:`bargain.concepts.tie_rule`); at a
    breakpoint inside the path the packages before and after tie (:func:`bargain.nash`
    lists both and its tie rule chooses), and :meth:`ThreatPath.segment` gives the
    one that starts there. At either end point the path holds :func:`bargain.nash`'s
    package: where a tie there is resolved otherwise than just inside, the end point
    is a breakpoint with a segment of length zero. When the party has power 0, its
    value moves the product of the parties of power 0 (the tie rule's first step)
    among the packages tying for the product, and the path follows that product. A
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
    gains = (utilities - d).T if len(indices) else np.zeros((len(names), 0))
    # The other parties' part of the log Nash product: fixed along the path.
    rest = Nash(others).value(gains)
    mine = utilities[:, j] if len(indices) else np.zeros(0)
    p = float(powers[j])
    # Without power the party moves the product of the parties of power 0 (the tie rule's
    # first step, where it weighs 1), among the packages tying for the product itself:
    # the path follows that product then, with the others' part of it fixed.
    zero = powers == 0
    weight, fixed = p, rest
    if not p:
        zero_others = zero.copy()
        zero_others[j] = False
        weight, fixed = 1.0, Nash(zero_others.astype(float)).value(gains)

    tol = engine.DEFAULT_UTILITY_TOLERANCE
    # The party's own rationality as every concept judges it (a gain above the utility
    # tolerance): a package lapses where t reaches its utility less the tolerance.
    lapse = mine - tol

    def tied(t: float, after: bool) -> np.ndarray:
        """The packages tying for the log Nash product at ``t`` (``after``: just above
        ``t``, where the party's own gain stays rational)."""
        gain = mine - t
        alive = engine.rational(gain[None, :], tol) & (lapse > t if after else True)
        with np.errstate(divide="ignore", invalid="ignore"):
            own = p * np.log(np.where(alive, gain, np.nan)) if p else np.zeros_like(gain)
        values = np.where(alive, rest + own, -np.inf)
        if not values.size or not np.isfinite(values.max()):
            return np.zeros(values.size, dtype=bool)
        return values >= values.max() - engine.DEFAULT_TIE_TOLERANCE

    def best(t: float, after: bool) -> int | None:
        """The winner at ``t``, as :func:`bargain.nash` chooses (``after``: the one that wins
        just above ``t``)."""
        candidates = tied(t, after)
        if not candidates.any():
            return None
        at_t = gains.copy()
        at_t[j] = mine - t
        if after:
            # Just above ``t`` the followed product decides among the ties at ``t``: the
            # tied packages giving the party most.
            if not p:
                second = Nash(zero.astype(float)).value(at_t[:, candidates])
                candidates[candidates] = second >= second.max() - engine.DEFAULT_TIE_TOLERANCE
            candidates &= mine >= mine[candidates].max() - tol
        chosen = np.flatnonzero(candidates)
        chosen = chosen[tie_rule("nash", at_t[:, chosen], powers)]
        return int(chosen[np.argmin(indices[chosen])])

    def overtaken(current: int, t: float) -> float:
        """Where the first package giving the party more overtakes ``current`` (or it lapses)."""
        b = mine[current]
        end = lapse[current] if lapse[current] < high else math.inf
        rivals = mine > b
        if not p:  # (only the ties for the product itself, which the party does not move)
            rivals &= tied(t, after=True)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            r = np.exp((fixed[current] - fixed) / weight)
            crossing = (r * b - mine) / (r - 1.0)
        crossing = crossing[rivals & (r > 1.0) & (crossing > t)]
        return min(end, float(crossing.min())) if crossing.size else end

    def piece(start: float, end: float, current: int | None) -> Segment:
        """The segment from ``start`` to ``end`` where the package at ``current`` holds."""
        if current is None:
            values = {**dict(zip(names, map(float, d))), names[j]: float(start)}
            return Segment(start, end, None, values)
        values = dict(zip(names, map(float, utilities[current])))
        return Segment(start, end, int(indices[current]), values)

    # An end point where bg.nash's package is not the one just inside (a tie there) is a
    # breakpoint: a segment of length zero holds bg.nash's package at it.
    segments = []
    t = low
    current, at_low = best(t, after=True), best(t, after=False)
    if at_low != current:
        segments.append(piece(low, low, at_low))
    while t < high:
        end = high if current is None else min(high, overtaken(current, t))
        following = piece(t, end, current)
        if segments and following.index is not None and segments[-1].index == following.index:
            segments[-1] = piece(segments[-1].low, end, current)
        else:
            segments.append(following)
        if end >= high:
            break
        t = end
        current = best(t, after=True)
    at_high = piece(high, high, best(high, after=False))
    if at_high.index != segments[-1].index:
        segments.append(at_high)
    return ThreatPath(problem, problem.parties[j].name, low, high, tuple(segments))
