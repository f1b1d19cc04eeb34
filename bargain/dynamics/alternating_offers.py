r"""Rubinstein's alternating-offers game: the subgame-perfect split, exactly.

Two parties alternate proposals, the *first proposer* at periods 1, 3, 5, ...
An offer accepted at period ``t`` is worth ``delta_i^(t-1)`` times its gain to
party ``i`` (gains are utilities minus the disagreement value, so perpetual
disagreement is worth the disagreement point). Rubinstein (1982): for a unit
pie the unique subgame-perfect equilibrium is immediate agreement, the first
proposer keeping

.. math:: x_1 = \frac{1 - \delta_2}{1 - \delta_1 \delta_2}.

Extensions, all in one model (Osborne & Rubinstein 1990, ch. 3-4; Muthoo 1999):

* **Rates and period length**: ``delta_i = exp(-r_i * period)``. As the period
  shrinks the split tends to ``r_2 / (r_1 + r_2)`` (Binmore, Rubinstein and
  Wolinsky 1986): the asymmetric Nash solution with powers ``1 / r_i``.
* **Exogenous breakdown**: after every rejection the talks break down with
  probability ``breakdown``, leaving both at the disagreement point; this
  multiplies every continuation by ``1 - breakdown``.
* **Outside options** (Shaked and Sutton 1984): a responder may, instead of
  rejecting, leave and take its outside option ``w_i``. It binds only when it
  exceeds what the responder would otherwise get, ``delta_i (1 - p) v_i``; it
  is a separate number from the disagreement value (which is what perpetual
  disagreement or breakdown gives).
* **Finite horizon**: with ``horizon=T`` the game ends in disagreement after
  period ``T``; backward induction gives its unique equilibrium, which tends to
  the infinite-horizon one as ``T`` grows.
* **Multi-issue problems**: the parties bargain over the packages on the
  problem's Pareto frontier (see :func:`rubinstein`).

>>> import bargain as bg
>>> r = bg.rubinstein(discount=(0.9, 0.8))
>>> r.shares.round(6)
array([0.714286, 0.285714])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._checks import check_int, check_real
from ..errors import BargainTypeError, ValidationError
from ..frontier import pareto_frontier
from ..problem import Problem, require_discrete
from ._table import among, caller_index
from ._validate import (
    check_open_unit,
    check_positive,
    check_probability,
    per_party,
)

__all__ = ["ACCEPTANCE_TOLERANCE", "PIE_PARTIES", "Rubinstein", "rubinstein"]

ACCEPTANCE_TOLERANCE = 1e-12
"""A responder accepts an offer whose gain falls short of its requirement by at
most this much (absolute, in utility units): floating-point products of
discount factors must not turn an equilibrium offer into a rejection."""

HULL_TOLERANCE = 1e-12
"""Frontier points within this (relative) distance of a hull edge count as on
it, so that rounding does not make collinear packages hull vertices."""

BISECTION_STEPS = 200
"""Halvings of the interval when solving the stationary equations on a
continuous frontier: far more than double precision needs."""

PIE_PARTIES = ("P1", "P2")
"""The names of the first proposer and the responder when dividing a unit pie."""


@dataclass(frozen=True, eq=False)
class Rubinstein:
    """The subgame-perfect agreement of an alternating-offers game.

    Attributes
    ----------
    parties : tuple of str
        The first proposer, then the responder.
    shares : ndarray, shape (2,)
        What each gets, first proposer first: pie shares for the unit pie, the
        utilities of the agreement on a problem.
    utilities : dict
        The same numbers by party name.
    counter : ndarray or None
        What each would get from the responder's offer in period 2, were the
        first offer rejected (in the infinite game: its stationary
        counter-offer). ``None`` for a one-period game or without agreement.
    agreement : bool
        False when no offer can satisfy the responder (outside options too
        high, or no individually rational package): then the parties get
        their outside options where these exceed the disagreement value.
    discount : ndarray
        The per-period discount factors used, first proposer first.
    continuation : ndarray
        ``discount * (1 - breakdown)``: what one period of delay multiplies a
        continuation by.
    binding : dict
        For each party, whether its outside option is what it requires the
        first time it responds (period 1 for the responder, 2 for the first
        proposer), rather than its discounted continuation.
    horizon : int or None
        Number of periods of the finite game, ``None`` for the infinite one.
    index : int or None
        On a problem, the agreed package (for a lottery, its most likely package),
        an index of ``problem``'s space.
    lottery : tuple of (int, float), optional
        On a problem with ``lotteries=True``: the agreed lottery over packages.
    outcome : dict or None
        The agreed package as ``{issue: option}``.
    problem : Problem or None
        The problem given (``None`` for the unit pie). With ``between``, the
        whole problem: the parties who left do not bargain, but ``index`` and
        ``lottery`` still number its packages (issues they own are settled at
        their defaults, so the agreed package is one of the settled ones).
    """

    parties: tuple[str, str]
    shares: np.ndarray
    utilities: dict[str, float]
    counter: np.ndarray | None
    agreement: bool
    discount: np.ndarray
    continuation: np.ndarray
    binding: dict[str, bool]
    horizon: int | None = None
    index: int | None = None
    lottery: tuple[tuple[int, float], ...] | None = None
    outcome: dict[str, str] | None = None
    problem: Problem | None = field(default=None, repr=False)

    @property
    def proposer_share(self) -> float:
        """What the first proposer gets."""
        return float(self.shares[0])

    @property
    def responder_share(self) -> float:
        """What the responder gets."""
        return float(self.shares[1])

    def __str__(self) -> str:
        head = "Rubinstein alternating offers"
        head += "" if self.horizon is None else f", {self.horizon} periods"
        lines = [head]
        if not self.agreement:
            lines.append("  no agreement: no offer satisfies the responder")
        elif self.outcome is not None:
            width = max(len(name) for name in self.outcome)
            lines += [f"  {name:<{width}}  {option}" for name, option in self.outcome.items()]
        width = max(len(name) for name in self.parties)
        for role, name, share, delta in zip(
            ("proposes first", "responds"), self.parties, self.shares, self.discount
        ):
            lines.append(f"  {name:<{width}}  {share:8.4f}  (discount {delta:.4f}, {role})")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Point:
    """A point of the possibility set: both gains (proposer first) and its support."""

    gains: np.ndarray
    support: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class _Possibilities:
    """Gains the two parties can get together, as a Pareto frontier.

    ``a`` ascending and ``b`` descending are the gains of the first proposer
    and of the responder at the vertices. ``continuous`` makes the set the
    piecewise-linear frontier between vertices (lotteries over neighbouring
    vertices); otherwise only the vertices themselves can be agreed.
    """

    a: np.ndarray
    b: np.ndarray
    continuous: bool

    def _vertex(self, j: int) -> _Point:
        return _Point(np.array([self.a[j], self.b[j]]), ((j, 1.0),))

    def _between(self, j: int, t: float) -> _Point:
        if t <= 0.0:
            return self._vertex(j)
        if t >= 1.0:
            return self._vertex(j + 1)
        gains = np.array(
            [(1 - t) * self.a[j] + t * self.a[j + 1], (1 - t) * self.b[j] + t * self.b[j + 1]]
        )
        return _Point(gains, ((j, 1.0 - t), (j + 1, t)))

    def at(self, gain: float) -> _Point:
        """The point of the continuous frontier giving the first proposer ``gain``
        (between ``a[0]`` and ``a[-1]``)."""
        j = min(int(np.searchsorted(self.a, gain, side="right")), self.a.size - 1)
        if j == 0:
            return self._vertex(0)
        return self._between(j - 1, (gain - self.a[j - 1]) / (self.a[j] - self.a[j - 1]))

    def rise(self, gain: float, length: float) -> float:
        """How much more the responder gets on the continuous frontier at first-proposer
        gain ``gain - length`` than at ``gain`` (``length >= 0``; stops at ``a[0]``).

        Summed as slope times run on each segment, never as a difference of two
        heights: ``length`` may be far below the rounding of ``gain`` (a tiny
        impatience times ``gain``), and the rise is then all that matters.
        """
        j = int(np.searchsorted(self.a, gain, side="left")) - 1  # a[j] < gain <= a[j + 1]
        edge, total = gain, 0.0
        while length > 0.0 and j >= 0:
            run = min(length, edge - self.a[j])
            total += run * (self.b[j] - self.b[j + 1]) / (self.a[j + 1] - self.a[j])
            length -= run
            edge, j = self.a[j], j - 1
        return total

    def best_for(self, who: int, floor: float) -> _Point | None:
        """The point best for ``who`` (0: first proposer) giving the other at least ``floor``."""
        if who == 0:
            # b is descending: the points with b >= floor are a prefix; take its end.
            count = int(np.searchsorted(-self.b, -(floor - ACCEPTANCE_TOLERANCE), side="right"))
            if count == 0:
                return None
            j = count - 1
            if not self.continuous or j == self.a.size - 1 or self.b[j] <= floor:
                return self._vertex(j)
            return self._between(j, (self.b[j] - floor) / (self.b[j] - self.b[j + 1]))
        j = int(np.searchsorted(self.a, floor - ACCEPTANCE_TOLERANCE, side="left"))
        if j == self.a.size:
            return None
        if not self.continuous or j == 0 or self.a[j] <= floor:
            return self._vertex(j)
        return self._between(j - 1, (floor - self.a[j - 1]) / (self.a[j] - self.a[j - 1]))


def _responder_floor(who: int, proposer_gain: float, continuation, outside) -> float:
    """What ``who`` needs to accept: its outside option or its discounted continuation."""
    return max(outside[who], continuation[who] * proposer_gain)


def _stationary(
    front: _Possibilities, continuation: np.ndarray, impatience: np.ndarray, outside: np.ndarray
) -> list[_Point] | None:
    """The stationary equilibrium path ``[x, y, x]``: the first proposer's offer, the
    responder's counter-offer, and the first proposer's offer again.

    ``x`` is best for the first proposer among points giving the responder
    ``max(w_b, c_b * gain_b(y))``; ``y`` is best for the responder among points
    giving the first proposer ``max(w_a, c_a * gain_a(x))``. The responder's
    requirement ``c`` solves ``c = F(c)`` for a non-decreasing ``F``: on a
    continuous frontier see :func:`_continuous_requirement`, on a discrete one
    :func:`_nearest_discrete_equilibrium`. ``impatience`` is ``e = 1 -
    continuation``, computed without cancellation.
    """
    if outside[0] > front.a[-1] or outside[1] > front.b[0]:
        return None

    def offers(requirement: float) -> list[_Point]:
        x = front.best_for(0, requirement)
        y = front.best_for(1, _responder_floor(0, x.gains[0], continuation, outside))
        return [x, y, x]

    if front.continuous:
        return offers(_continuous_requirement(front, continuation, impatience, outside))

    def step(requirement: float) -> float:
        return _responder_floor(1, offers(requirement)[1].gains[1], continuation, outside)

    return _nearest_discrete_equilibrium(front, step, offers, continuation, impatience, outside)


def _continuous_requirement(
    front: _Possibilities, continuation: np.ndarray, impatience: np.ndarray, outside: np.ndarray
) -> float:
    """The responder's stationary requirement ``c = F(c)`` on a concave continuous frontier.

    There ``F`` has slope below one, so the root is unique. It is found by
    bisection on the first proposer's gain ``g`` in its offer ``x = (g, h(g))``
    (``h`` the frontier), on the sign of ``F(h(g)) - h(g)``, which grows with
    ``g``. Where the counter-offer ``y`` follows ``x`` (no outside option binds)
    this is ``c_b (h(c_a g) - h(g)) - e_b h(g)``, with ``e = 1 - c`` exact and
    ``h(c_a g) - h(g)`` the frontier's rise over the run ``e_a g``
    (:meth:`_Possibilities.rise`): both terms keep their digits however small
    ``e`` is. Formed as ``F(c) - c``, it is the difference of two nearly equal
    numbers as the period shrinks, and its sign, which steers the bisection,
    is rounding noise (at ``c = 1.0`` every requirement looks like a root). A
    binding outside option makes ``F`` constant, and its plain difference is
    accurate.
    """
    lowest = front.a[0]
    counter = front.at(max(outside[0], lowest)).gains[1]  # (where F is constant)

    def excess(gain: float) -> float:  # F(c) - c at the offer giving the proposer `gain`
        height = front.at(gain).gains[1]
        kept = continuation[0] * gain  # what the first proposer needs in period 2
        if outside[0] >= kept or kept <= lowest:  # y stays put as x moves: F is constant
            return max(outside[1], continuation[1] * counter) - height
        rise = front.rise(gain, impatience[0] * gain)
        if outside[1] >= continuation[1] * (height + rise):
            return outside[1] - height
        return continuation[1] * rise - impatience[1] * height

    low, high = lowest, front.best_for(0, max(outside[1], 0.0)).gains[0]
    for _ in range(BISECTION_STEPS):
        middle = 0.5 * (low + high)
        if middle in (low, high):
            break
        if excess(middle) >= 0.0:
            high = middle
        else:
            low = middle
    return float(front.at(high).gains[1])


def _pie_stationary(impatience: np.ndarray, outside: np.ndarray) -> list[_Point] | None:
    """The stationary path ``[x, y, x]`` on the unit pie, in closed form.

    ``impatience`` is ``1 - continuation`` per party (first proposer first),
    computed without cancellation. The responder requires
    ``r = max(w_2, min(c_2 (1 - w_1), r_0))`` where
    ``r_0 = c_2 (1 - c_1) / (1 - c_1 c_2)`` is the requirement without outside
    options (the fixed point of a map with slope below one capped by constants);
    the first proposer, responding in period 2, requires
    ``max(w_1, c_1 (1 - r))``. Without binding options every share is a ratio
    of products of ``1 - c_i``, so it stays exact to rounding as ``c_i -> 1``.
    """
    if outside[0] > 1.0 or outside[1] > 1.0:
        return None
    e1, e2 = impatience
    c1, c2 = 1.0 - impatience
    total = e1 + e2 - e1 * e2  # 1 - c1 c2
    inner = (e2 / total, c2 * e1 / total)  # the split without outside options
    own_offer = [inner, (1.0 - c2 * (1.0 - outside[0]), c2 * (1.0 - outside[0]))]
    x = min(own_offer, key=lambda split: split[1])  # the lower of the two requirements
    if outside[1] > x[1]:
        x = (1.0 - outside[1], outside[1])
    if x is inner:
        y = (c1 * e2 / total, e1 / total)
    else:
        y = (c1 * x[0], 1.0 - c1 * x[0])
    if outside[0] > y[0]:
        y = (outside[0], 1.0 - outside[0])
    first = _Point(np.array(x), ())  # the pie has no packages to support a point
    return [first, _Point(np.array(y), ()), first]


def _nearest_discrete_equilibrium(
    front, step, offers, continuation, impatience, outside
) -> list[_Point]:
    """The discrete stationary equilibrium nearest the one on the continuous frontier.

    On a discrete frontier ``F`` is a non-decreasing step function and may have
    several fixed points (several stationary equilibria, from "the first
    proposer gets almost everything" to "the responder does"). Every fixed point
    is one of the values ``F`` takes, so each candidate requirement is checked;
    the equilibrium whose first offer lies nearest (in gains) to the unique
    equilibrium with lotteries is returned (lowest requirement among ties).
    That one lies on the concave hull of the frontier: lines drawn between
    packages of a non-concave frontier are neither lotteries' frontier nor give
    a unique equilibrium.
    """
    hull = _upper_hull(np.column_stack([front.a, front.b]))
    smooth = _Possibilities(front.a[hull], front.b[hull], continuous=True)
    target = _stationary(smooth, continuation, impatience, outside)[0].gains
    candidates = np.unique(
        np.maximum(np.concatenate([[0.0], continuation[1] * front.b]), max(outside[1], 0.0))
    )
    best: list[_Point] | None = None
    best_distance = math.inf
    for requirement in candidates:
        if abs(step(requirement) - requirement) > ACCEPTANCE_TOLERANCE:
            continue
        path = offers(requirement)
        distance = float(np.hypot(*(path[0].gains - target)))
        if distance < best_distance:
            best, best_distance = path, distance
    return best


def _backward_induction(
    front: _Possibilities, continuation: np.ndarray, outside: np.ndarray, horizon: int
) -> list[_Point] | None:
    """The equilibrium offer of every period of the ``horizon``-period game.

    A rejection in the last period ends the game in disagreement (gain 0).
    """
    floor = max(outside[horizon % 2], 0.0)
    path: list[_Point] = []
    for period in range(horizon, 0, -1):
        proposer = (period - 1) % 2
        offer = front.best_for(proposer, floor)
        if offer is None:
            return None
        path.append(offer)
        floor = _responder_floor(proposer, offer.gains[proposer], continuation, outside)
    return path[::-1]


def _binds(who: int, path: list[_Point], continuation, outside) -> bool:
    """Whether ``who``'s outside option is its requirement when it first responds."""
    responds = 1 - who  # the first proposer first responds in period 2
    if len(path) <= responds:
        return False
    if len(path) == responds + 1:
        return bool(outside[who] > 0.0)
    return bool(outside[who] > continuation[who] * path[responds + 1].gains[who])


def rubinstein(
    problem: Problem | None = None,
    *,
    discount: float | Sequence[float] | Mapping[str, float] | None = None,
    rates: float | Sequence[float] | Mapping[str, float] | None = None,
    period: float = 1.0,
    proposer: str | None = None,
    between: Sequence[str] | None = None,
    horizon: int | None = None,
    outside_options: Sequence[float] | Mapping[str, float] | None = None,
    breakdown: float = 0.0,
    lotteries: bool = False,
) -> Rubinstein:
    """The subgame-perfect equilibrium of Rubinstein's alternating-offers game.

    Without ``problem`` the parties ``"P1"`` (first proposer) and ``"P2"``
    divide a unit pie (disagreement 0). With a two-party ``problem`` they
    bargain over the packages of its Pareto frontier, in gains over their
    disagreement values: each proposer offers the package best for itself
    among those giving the responder at least its requirement (its outside
    option, or its discounted value of proposing next period), and the
    responder accepts. With ``lotteries=True`` lotteries over neighbouring
    frontier packages may be agreed (the frontier becomes its concave,
    piecewise-linear hull) and this stationary equilibrium is unique. Without
    lotteries there may be several (a coarse frontier lets a proposer keep
    more than the next package would give); every one is found exactly, and
    the one whose offer is nearest the lottery equilibrium is returned.

    Parameters
    ----------
    problem : Problem, optional
        Two parties; with more, say which two bargain with ``between``. Omit it
        for the unit pie.
    discount : float, sequence or mapping, optional
        Per-period discount factors in (0, 1): one for both, one per party
        (first proposer first for the pie, party order for a problem), or
        ``{party: factor}``. Give either ``discount`` or ``rates``.
    rates : float, sequence or mapping, optional
        Discount rates > 0; then ``discount = exp(-rates * period)``.
    period : float, default 1.0
        Length of one bargaining period (only with ``rates``).
    proposer : str, optional
        On a problem, the party who proposes first (default: the first party).
    between : pair of str, optional
        On a problem with more than two parties, the two who bargain: the others
        leave the table (their utilities and red lines no longer bind), as with
        :meth:`Problem.without`. Required there: nobody is dropped silently.
    horizon : int, optional
        The number of periods of a finite game (at least 1); default infinite.
    outside_options : sequence or mapping, optional
        Utility of walking away, per party (pie shares for the pie). Default: none.
    breakdown : float, default 0.0
        Probability in [0, 1) that talks break down after a rejection.
    lotteries : bool, default False
        Allow lotteries over neighbouring frontier packages (problems only).

    Returns
    -------
    Rubinstein

    Examples
    --------
    >>> import bargain as bg
    >>> bg.rubinstein(discount=0.5).shares.round(4)
    array([0.6667, 0.3333])
    >>> bg.rubinstein(rates=(1.0, 3.0), period=1e-6).shares.round(4)
    array([0.75, 0.25])
    >>> bg.rubinstein(discount=0.9, outside_options=(0.0, 0.6)).shares.round(4)
    array([0.4, 0.6])
    >>> p = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    >>> bg.rubinstein(p, discount={"A": 0.9, "B": 0.9}, proposer="B").utilities
    {'B': 4.0, 'A': 4.0}

    As the period shrinks, the split tends to the Nash split with powers
    ``1 / rate``, here 2/3 of the 8 for A, down to periods whose discount
    factors round to 1:

    >>> r = bg.rubinstein(p, rates={"A": 1.0, "B": 2.0}, period=1e-20, lotteries=True)
    >>> round(r.utilities["A"], 12), round(r.utilities["B"], 12)
    (5.333333333333, 2.666666666667)
    """
    lotteries = _check_flag(lotteries, "rubinstein: lotteries")
    caller = problem  # results number the caller's packages, even with `between`
    if problem is None:
        names = PIE_PARTIES
        if proposer is not None:
            raise ValidationError(
                "rubinstein: proposer names a party of a problem; for the unit pie the first "
                f"entry of discount proposes first, got proposer={proposer!r}"
            )
        if lotteries:
            raise ValidationError("rubinstein: lotteries applies to a problem, not the unit pie")
        order = [0, 1]
    else:
        caller = require_discrete(problem, "rubinstein")
        problem = _two_sides(caller, between)  # a smaller space if a leaver owns an issue
        names = problem.party_names
        first = 0 if proposer is None else problem.party_position(proposer)
        order = [first, 1 - first]
    deltas, patience_gaps = _discount_factors(discount, rates, period, names)
    p_break = check_probability(breakdown, "rubinstein: breakdown", below_one=True)
    outside = (
        np.full(2, -math.inf)
        if outside_options is None
        else per_party(outside_options, names, "rubinstein: outside_options", check_real)
    )
    if horizon is not None:
        horizon = check_int(horizon, "rubinstein: horizon", minimum=1)

    ordered_names = (names[order[0]], names[order[1]])
    deltas, outside = deltas[order], outside[order]
    continuation = deltas * (1.0 - p_break)
    # 1 - continuation, from 1 - delta rather than by subtraction: near delta = 1
    # the difference is all that matters and would otherwise lose every digit.
    impatience = patience_gaps[order] * (1.0 - p_break) + p_break
    if problem is None:
        base = np.zeros(2)
        front = _Possibilities(np.array([0.0, 1.0]), np.array([1.0, 0.0]), continuous=True)
        front_indices = None
    else:
        base = problem.disagreement[order]
        frontier = pareto_frontier(problem)
        gains = frontier.utilities[:, order] - base
        rows, first_rows = np.unique(gains, axis=0, return_index=True)
        vertices = _upper_hull(rows) if lotteries else np.arange(rows.shape[0])
        front = _Possibilities(rows[vertices, 0], rows[vertices, 1], continuous=lotteries)
        front_indices = frontier.indices[first_rows[vertices]]
    outside_gains = outside - base

    if problem is not None and front.a.size == 0:
        solved = None
    elif problem is None and horizon is None:
        solved = _pie_stationary(impatience, outside_gains)
    elif horizon is None:
        solved = _stationary(front, continuation, impatience, outside_gains)
    else:
        solved = _backward_induction(front, continuation, outside_gains, horizon)

    if solved is None:
        walk_away = np.maximum(outside, base)
        return Rubinstein(
            parties=ordered_names,
            shares=walk_away,
            utilities=dict(zip(ordered_names, map(float, walk_away))),
            counter=None,
            agreement=False,
            discount=deltas,
            continuation=continuation,
            binding={name: False for name in ordered_names},
            horizon=horizon,
            problem=caller,
        )
    offer = solved[0]
    shares = offer.gains + base
    counter = solved[1].gains + base if len(solved) > 1 else None
    binding = {
        name: _binds(who, solved, continuation, outside_gains)
        for who, name in enumerate(ordered_names)
    }
    index = lottery = outcome = None
    if problem is not None:
        support = sorted(
            (caller_index(caller, problem, int(front_indices[j])), float(q))
            for j, q in offer.support
            if q > 0
        )
        index = max(support, key=lambda item: (item[1], -item[0]))[0]
        lottery = tuple(support) if lotteries else None
        outcome = caller.space.outcome(index)
    return Rubinstein(
        parties=ordered_names,
        shares=shares,
        utilities=dict(zip(ordered_names, map(float, shares))),
        counter=counter,
        agreement=True,
        discount=deltas,
        continuation=continuation,
        binding=binding,
        horizon=horizon,
        index=index,
        lottery=lottery,
        outcome=outcome,
        problem=caller,
    )


def _two_sides(problem: Problem, between) -> Problem:
    """The two-party problem: ``problem`` itself, or the one between the two parties
    ``between`` names (the others leave the table, as with :meth:`Problem.without`)."""
    if between is None:
        if problem.n_parties != 2:
            raise ValidationError(
                f"rubinstein: alternating offers needs exactly 2 parties, the problem has "
                f"{problem.n_parties} parties {list(problem.party_names)}; say which two "
                "bargain with between=(party, party) (the others then leave the table), or use "
                "simulate(protocol='alternating') for stacked offers among n parties"
            )
        return problem
    if isinstance(between, str) or not isinstance(between, Sequence):
        raise BargainTypeError(
            f"rubinstein: between must be a pair of party names, got {between!r}"
        )
    if len(between) != 2:
        raise ValidationError(
            f"rubinstein: between names {len(between)} parties {list(between)}; it must name 2"
        )
    for name in between:
        problem.party_position(name)
    if between[0] == between[1]:
        raise ValidationError(f"rubinstein: between names {between[0]!r} twice")
    return among(problem, between)


def _check_flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise BargainTypeError(f"{field} must be True or False, got {value!r}")
    return value


def _discount_factors(discount, rates, period, names) -> tuple[np.ndarray, np.ndarray]:
    """The discount factors and ``1 - delta`` per party, the latter exact to rounding
    (``-expm1(-rate * period)`` with rates) so that tiny periods keep their digits."""
    if (discount is None) == (rates is None):
        raise ValidationError(
            "rubinstein: give exactly one of discount (factors in (0, 1)) or rates (with period)"
        )
    if discount is not None:
        deltas = per_party(discount, names, "rubinstein: discount", check_open_unit)
        return deltas, 1.0 - deltas  # exact (Sterbenz) where delta is near 1
    length = check_positive(period, "rubinstein: period")
    r = per_party(rates, names, "rubinstein: rates", check_positive)
    exponent = r * length
    deltas, gaps = np.exp(-exponent), -np.expm1(-exponent)
    for name, rate, delta, gap in zip(names, r, deltas, gaps):
        if delta == 0.0 or gap == 0.0:
            raise ValidationError(
                f"rubinstein: rates[{name!r}] * period = {rate!r} * {length!r} gives the "
                f"discount factor exp(-{rate * length!r}), which is not strictly between 0 "
                "and 1 in floating point; the product must be between about 5e-324 and 745"
            )
    return deltas, gaps


def _upper_hull(points: np.ndarray) -> np.ndarray:
    """Positions of the vertices of the concave frontier through ``points``.

    ``points`` are distinct two-party gains sorted by the first coordinate,
    the second descending (a Pareto frontier). Returns the positions of the
    points on the upper-right convex hull, in the same order (Andrew's
    monotone chain; the loop runs over frontier vertices, never packages).
    """
    spread = np.ptp(points, axis=0) if points.size else np.zeros(2)
    tolerance = HULL_TOLERANCE * float(spread[0] * spread[1])
    hull: list[int] = []
    for j in range(points.shape[0]):
        while len(hull) >= 2:
            o, a = points[hull[-2]], points[hull[-1]]
            cross = (a[0] - o[0]) * (points[j][1] - o[1]) - (a[1] - o[1]) * (points[j][0] - o[0])
            if cross < -tolerance:  # a right turn keeps the chain concave
                break
            hull.pop()
        hull.append(j)
    return np.array(hull, dtype=np.int64)
