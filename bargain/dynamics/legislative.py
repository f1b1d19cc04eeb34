r"""Baron–Ferejohn legislative bargaining (closed rule), with coalition constraints.

``n`` parties divide a unit surplus. Each period one party is recognized
(party ``i`` with probability ``p_i``) and proposes a division; it passes when
at least ``quota`` parties (the proposer included) vote for it, otherwise the
game moves on to the next period and payoffs are discounted by ``delta``.
In a stationary subgame-perfect equilibrium (Baron and Ferejohn 1989;
Eraslan 2002 for heterogeneous recognition, where payoffs are unique) every
party ``i`` has an ex-ante value ``v_i``; a proposer buys the ``quota - 1``
*cheapest* votes, paying party ``j`` its continuation value ``delta_j v_j``,
and keeps the rest:

.. math::

    v_i = p_i \Bigl(1 - \min_C \sum_{j \in C} \delta_j v_j\Bigr)
          + \delta_i v_i \sum_{k \ne i} p_k \Pr(k \text{ buys } i).

Where several sets of partners are equally cheap the proposer mixes among
them, and the mixture is part of the equilibrium.

With equal recognition and one discount factor the closed form is: the
proposer keeps ``1 - delta (q - 1) / n``, each partner gets ``delta / n``,
and every party's ex-ante value is ``1 / n``. Otherwise the values are found
numerically (below) and the fixed point is verified.

Coalitions can be restricted: with a networkx ``graph`` a proposer can only
form coalitions that are connected in it, and ``veto`` parties must be in
every coalition. A proposer who can form no coalition passes (everybody waits
one period).

Numerical method
----------------
The proposer's choice is smoothed: it picks coalition ``C`` with probability
proportional to ``exp(-cost(C) / tau)``; the smoothed fixed point is solved by
Newton's method with the analytic Jacobian, and ``tau`` is lowered by factors
of ten from :data:`SMOOTHING_START` ``/ n`` to :data:`SMOOTHING_FLOOR` ``/ n``,
each solve starting from the last (or from the line through the last two,
when that fits better: the solution moves about linearly in ``tau``).

Without a graph the coalitions are not listed (``C(n - 1, quota - 1)`` per
proposer, 92,378 at ``n = 20`` and 7.8 x 10^7 at ``n = 30``). A proposer buys
the other veto parties and the cheapest of the rest, so its smoothed choice is
a conditional Poisson design over the parties (weights ``exp(-price / tau)``)
whose inclusion probabilities and covariances come from recursions over the
parties, ``O(n^4)`` operations in all. As ``tau`` falls, the prices of parties
tied at a proposer's margin differ by ``tau`` times finite offsets, and in the
limit each proposer buys its tied parties by that design with weights
``exp(-offset)``: the exact equilibrium is solved by Newton's method in the
values and the offsets (at most ``2 n`` unknowns), which picks, among mixtures
with the same values, the limit of the smoothed game. While the coalitions are
few (:data:`ENUMERATED_COALITIONS`) the smoothing lists them instead, the same
game computed faster there.

With a graph the coalitions are listed. The ones the smoothed proposers still
weigh are taken as the tied ones and the *unsmoothed* conditions (values, equal
costs of the mixed coalitions, mixtures summing to one) are solved exactly by
Gauss–Newton with the mixing weights as unknowns.

Finally the conditions are checked: the value equations hold with the
proposers' mixtures, every proposer's expected cost is within
:data:`VERIFY_TOLERANCE` of its cheapest coalition's, and proposing beats
passing; otherwise a :class:`~bargain.SolverError` is raised.

Measured with recognition ``i / (n (n + 1) / 2)``, one discount factor 0.95
and a simple majority (``bg.baron_ferejohn(n=n, discount=0.95,
recognition=...)``, the median of 3 calls on a shared 2-core machine, before ->
after listing only with a graph): n = 10 0.32 -> 0.08 s, 12 0.68 -> 0.15 s,
15 25 -> 0.24 s, 20 589 s (one call) -> 0.41 s, 30 (a
:class:`~bargain.SolverError`, too many coalitions to list) -> 0.93 s, 50 ->
4.9 s. On 1,120 random games of 2 to 14 parties (recognition, discount factors,
quota and veto parties drawn) the values are those the listing gave within
3e-15; the inclusion probabilities differ by up to 6e-6 where proposers mix
(the listing stopped smoothing at ``tau`` up to 1.4e-7, and its result moves
with it), and the proposers' keeps by up to 2.6e-10 (the listing's error: it
kept a little weight on dearer coalitions). At ``delta = 1`` values need not be
unique (two veto parties and quota 3: any split between them is an
equilibrium), and there the two may pick different ones.

>>> import bargain as bg
>>> bf = bg.baron_ferejohn(n=5, discount=0.9)
>>> float(bf.proposer_share[0]), float(bf.partner_share[0]), bf.expected.round(4).tolist()
(0.64, 0.18, [0.2, 0.2, 0.2, 0.2, 0.2])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_int, check_name, check_real, check_real_array, check_unique
from ..errors import SolverError, UnknownNameError, ValidationError
from ._validate import check_closed_unit, per_party
from .coalitions import check_graph, check_veto, feasible_coalitions

if TYPE_CHECKING:  # networkx is imported where a graph is used, not by `import bargain`
    import networkx as nx

__all__ = [
    "PROBABILITY_TOLERANCE",
    "SMOOTHING_FLOOR",
    "VERIFY_TOLERANCE",
    "BaronFerejohn",
    "baron_ferejohn",
]

PROBABILITY_TOLERANCE = 1e-9
"""Recognition probabilities must sum to 1 within this."""

VERIFY_TOLERANCE = 1e-9
"""The largest violation of the equilibrium conditions accepted at the end."""

SMOOTHING_START = 0.1
"""The first smoothing temperature (divided by the number of parties)."""

SMOOTHING_FLOOR = 1e-9
"""The last smoothing temperature (divided by the number of parties)."""

ACTIVE_TEMPERATURES = 30.0
"""After smoothing, coalitions within this many temperatures of their proposer's
cheapest are treated as possibly tied (their smoothed weight is >= e^-30); without
a graph, parties within this many of a proposer's margin (the same coalitions)."""

ENUMERATED_COALITIONS = 8_000
"""Without a graph, games with at most this many coalitions in all are smoothed over
a list of them, as with a graph, which is faster there (whole solves with
recognition i / (n (n + 1) / 2), delta 0.95: n = 11, 2,772 coalitions, 0.10 s
against 0.18 s by the recursions; n = 12, 5,544, 0.17 against 0.21 s; n = 13,
12,012, 0.55 against 0.28 s)."""

NEWTON_STEPS = 50
"""Newton iterations per solve at most."""

LINE_SEARCH_HALVINGS = 20
"""A Newton step is halved at most this many times until it reduces the residual."""

NEWTON_TOLERANCE = 1e-15
"""A Newton solve stops when every equation holds to this."""

SMOOTHED_TOLERANCE = 1e-9
"""A smoothed solve counts as solved when every equation holds to this."""

RANK_TOLERANCE = 1e-9
"""Coalition incidence vectors (0/1 rows) and equal-cost conditions count as
linearly independent when a remainder or singular value exceeds this."""

TIE_FLOOR = 1e-12
"""When the exact solve fails, a party that every proposer mixing over it buys with
a smaller probability than this (or more than one minus it) is taken as not tied."""

REPORT_FLOOR = 1e-9
"""Coalitions chosen with a smaller probability than this are not listed."""


@dataclass(frozen=True, eq=False)
class BaronFerejohn:
    """The stationary equilibrium of a Baron–Ferejohn game.

    Attributes
    ----------
    parties : tuple of str
    quota : int
        Votes a proposal needs, the proposer's included.
    recognition, discount : ndarray
        Per party.
    expected : ndarray
        Ex-ante equilibrium values ``v_i`` (they sum to 1 unless some proposer
        cannot form a coalition and passes).
    proposer_share : ndarray
        What each party keeps when it is recognized (its expected keep when it
        mixes; its continuation value when it passes).
    partner_share : ndarray
        What each party is paid when bought into a coalition: ``delta_i v_i``.
    inclusion : ndarray, shape (n, n)
        ``inclusion[k, i]``: the probability that proposer ``k`` buys ``i``.
    coalitions : dict
        For each proposer, the coalitions it forms, as ``{members: probability}``
        (members in party order, the proposer included; empty when it passes).
        ``None`` under the closed form, where every set of ``quota - 1``
        partners is equally likely. Where a proposer mixes, this is one mixture
        with the probabilities ``inclusion``: any other with the same ones is
        equivalent (payoffs depend on whom a proposer buys, not on how it
        combines them), and without a graph it has at most ``n`` coalitions.
    method : str
        ``"closed form"`` or ``"fixed point"``.
    residual : float
        The largest violation of the equilibrium conditions (0 for the closed form).
    """

    parties: tuple[str, ...]
    quota: int
    recognition: np.ndarray
    discount: np.ndarray
    expected: np.ndarray
    proposer_share: np.ndarray
    partner_share: np.ndarray
    inclusion: np.ndarray
    coalitions: dict[str, dict[tuple[str, ...], float]] | None
    method: str
    residual: float

    def bought(self, proposer: str) -> tuple[str, ...]:
        """The parties ``proposer`` buys into its coalition with positive probability."""
        if proposer not in self.parties:
            raise UnknownNameError(
                f"bought: {proposer!r} is not a party; parties are {list(self.parties)}"
            )
        k = self.parties.index(proposer)
        return tuple(name for name, q in zip(self.parties, self.inclusion[k]) if q > REPORT_FLOOR)

    def __str__(self) -> str:
        width = max(8, *(len(name) for name in self.parties))
        lines = [
            f"Baron-Ferejohn: {len(self.parties)} parties, quota {self.quota} ({self.method})",
            f"  {'party':<{width}}  recognition  expected  keeps  if bought  buys",
        ]
        for k, name in enumerate(self.parties):
            lines.append(
                f"  {name:<{width}}  {self.recognition[k]:11.4f}  {self.expected[k]:8.4f}  "
                f"{self.proposer_share[k]:5.3f}  {self.partner_share[k]:9.4f}  "
                + ", ".join(self.bought(name))
            )
        return "\n".join(lines)


def baron_ferejohn(
    n: int | None = None,
    discount: float | Sequence[float] | Mapping[str, float] = 0.9,
    *,
    quota: int | None = None,
    recognition: Sequence[float] | Mapping[str, float] | None = None,
    parties: Sequence[str] | None = None,
    graph: nx.Graph | None = None,
    veto: Sequence[str] = (),
) -> BaronFerejohn:
    """The stationary equilibrium of Baron–Ferejohn bargaining under the closed rule.

    Parameters
    ----------
    n : int, optional
        Number of parties (at least 2), named ``"P1"`` ... unless ``parties`` is given.
    discount : float, sequence or mapping, default 0.9
        Discount factor(s) in [0, 1]: one for all, or one per party. At 1 (no
        discounting) the stationary equilibrium still exists and the closed form
        holds (for ``n = 3``, quota 2: the proposer keeps 2/3, its partner gets
        1/3); at 0 votes are free and the proposer keeps everything.
    quota : int, optional
        Votes needed, the proposer's included: 1 to ``n``. Default simple
        majority ``n // 2 + 1``.
    recognition : sequence or mapping, optional
        Recognition probabilities, non-negative and summing to 1. Default equal.
    parties : sequence of str, optional
        Party names (then ``n`` may be omitted).
    graph : networkx.Graph, optional
        Which parties can ally: coalitions must be connected in it.
    veto : sequence of str, default ()
        Parties that must belong to every coalition.

    Returns
    -------
    BaronFerejohn

    Examples
    --------
    >>> import bargain as bg
    >>> bf = bg.baron_ferejohn(n=3, discount=0.9, recognition=[0.5, 0.25, 0.25])
    >>> bf.method, round(float(bf.expected.sum()), 12), bf.residual < 1e-9
    ('fixed point', 1.0, True)
    >>> bf.bought("P2")
    ('P3',)
    """
    names = _party_names(n, parties)
    size = len(names)
    deltas = per_party(discount, names, "baron_ferejohn: discount", check_closed_unit)
    if quota is None:
        quota = size // 2 + 1
    quota = check_int(quota, "baron_ferejohn: quota", minimum=1)
    if quota > size:
        raise ValidationError(
            f"baron_ferejohn: quota is {quota}, larger than the {size} parties; it must be "
            f"1 to {size}"
        )
    p = _recognition(recognition, names)
    veto = check_veto(veto, names, "baron_ferejohn")
    graph = check_graph(graph, names, "baron_ferejohn")
    if len(veto) > quota:
        raise ValidationError(
            f"baron_ferejohn: {len(veto)} veto parties cannot fit a coalition of quota {quota}"
        )
    if graph is None and not veto and np.ptp(p) == 0 and np.ptp(deltas) == 0:
        return _closed_form(names, quota, p, deltas)
    if graph is None:
        return _quota_fixed_point(names, quota, p, deltas, veto)
    return _graph_fixed_point(names, quota, p, deltas, veto, graph)


def _party_names(n, parties) -> tuple[str, ...]:
    if parties is None:
        if n is None:
            raise ValidationError("baron_ferejohn: give n or parties")
        n = check_int(n, "baron_ferejohn: n", minimum=2)
        return tuple(f"P{j + 1}" for j in range(n))
    names = tuple(check_name(name, "baron_ferejohn: parties entry") for name in parties)
    check_unique(names, "baron_ferejohn: parties", "party name")
    if len(names) < 2:
        raise ValidationError(f"baron_ferejohn: at least 2 parties are needed, got {len(names)}")
    if n is not None and n != len(names):
        raise ValidationError(f"baron_ferejohn: n is {n!r} but {len(names)} parties are named")
    return names


def _recognition(recognition, names) -> np.ndarray:
    if recognition is None:
        return np.full(len(names), 1.0 / len(names))
    if isinstance(recognition, Mapping):
        p = per_party(recognition, names, "baron_ferejohn: recognition", _probability)
    else:
        p = check_real_array(recognition, "baron_ferejohn: recognition", length=len(names))
        for j, value in enumerate(p):
            _probability(value, f"baron_ferejohn: recognition[{j}]")
    total = float(p.sum())
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise ValidationError(
            f"baron_ferejohn: recognition probabilities sum to {total!r}; they must sum to 1"
        )
    return p


def _probability(value, field) -> float:
    number = check_real(value, field, minimum=0.0)
    if number > 1.0:
        raise ValidationError(f"{field} must be a probability <= 1, got {number!r}")
    return number


def _closed_form(names, quota, p, deltas) -> BaronFerejohn:
    n, delta = len(names), float(deltas[0])
    inclusion = np.full((n, n), (quota - 1) / (n - 1))
    np.fill_diagonal(inclusion, 0.0)
    return BaronFerejohn(
        parties=names,
        quota=quota,
        recognition=p,
        discount=deltas,
        expected=np.full(n, 1.0 / n),
        proposer_share=np.full(n, 1.0 - delta * (quota - 1) / n),
        partner_share=np.full(n, delta / n),
        inclusion=inclusion,
        coalitions=None,
        method="closed form",
        residual=0.0,
    )


@dataclass(frozen=True)
class _Quota:
    """Coalitions of exactly ``quota`` parties, unrestricted by a graph: proposer ``k``
    buys the other veto parties (``forced[k, j]`` is 1) and any ``slots[k]`` of the
    parties ``eligible[k]``, so its cheapest coalitions are found by sorting prices,
    and a smoothed choice among them is a conditional Poisson design (below)."""

    eligible: np.ndarray  # (n, n) bool; a proposer that passes has none
    forced: np.ndarray
    slots: np.ndarray
    passes: np.ndarray
    p: np.ndarray
    deltas: np.ndarray

    def choice(self, v: np.ndarray, tau: float, covariance: bool):
        """Prices, smoothed inclusion probabilities (and their covariances), ``G(v)``, demands."""
        x = self.deltas * v
        free, cov = _conditional_poisson(-x / tau, self.eligible, self.slots, covariance)
        inclusion = self.forced + free
        demand = self.p @ inclusion
        return x, inclusion, cov, v - _bellman(self, x, inclusion @ x, demand), demand

    def residual(self, v: np.ndarray, tau: float) -> np.ndarray:
        return self.choice(v, tau, covariance=False)[3]

    def residual_and_jacobian(self, v: np.ndarray, tau: float):
        # d pi[k, j] / d x_l = -cov[k, j, l] / tau: prices enter the weights as -x / tau
        x, inclusion, cov, g, demand = self.choice(v, tau, covariance=True)
        d_cost = inclusion - np.einsum("l,klj->kj", x, cov) / tau
        d_demand = -np.einsum("k,kij->ij", self.p, cov) / tau
        return g, _value_jacobian(self, x, d_cost, d_demand, demand)


def _build_quota(quota, p, deltas, veto_mask) -> _Quota:
    n = p.size
    own = np.eye(n, dtype=bool)
    required = veto_mask[None, :] | own  # in every coalition of proposer k (row k)
    can = required.sum(axis=1) <= quota
    eligible = ~required & can[:, None]
    forced = (required & ~own & can[:, None]).astype(float)
    slots = np.where(can, quota - required.sum(axis=1), 0)
    return _Quota(eligible, forced, slots, (~can).astype(float), p, deltas)


def _conditional_poisson(log_weights, eligible, slots, covariance: bool):
    """Inclusion probabilities when each proposer ``k`` picks ``slots[k]`` of the parties
    ``eligible[k]``, a set ``S`` with probability proportional to
    ``exp(sum(log_weights[S]))``, and optionally their covariances ``cov[k, i, j]``.

    Without enumerating the sets: relative to the likeliest set (the ``slots[k]``
    heaviest, "in"), a set drops some in-parties and adds as many others, each
    with a weight ``exp(-|log_weights - theta_k|) <= 1`` (``theta_k`` between the last
    in and the first out), so the normalizer is the balance-0 coefficient of
    ``prod_j (1 + w_j z^(+-1))``. Prefix and suffix products give each party's
    marginal (its factor left out), and prefix products with one more factor left
    out the pairs; every sum is of non-negative terms, and the balance-0 term is at
    least 1, so nothing cancels or overflows however far apart the weights are
    (``log_weights`` are ``-price / tau`` with ``tau`` down to ``2e-11``). Covariances
    cost ``O(n^4)`` operations in all, marginals ``O(n^3)``: at ``n = 50`` (50
    proposers) about 0.05 and 0.005 s.
    """
    proposers, n = eligible.shape
    spread = np.where(eligible, log_weights[None, :], -np.inf)
    order = np.argsort(-spread, axis=1, kind="stable")
    ranked = np.take_along_axis(spread, order, axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(n), order.shape), axis=1)
    count = eligible.sum(axis=1)
    rows = np.arange(proposers)
    last_in = ranked[rows, np.clip(slots - 1, 0, n - 1)]
    first_out = ranked[rows, np.clip(slots, 0, n - 1)]
    theta = np.where(slots >= count, last_in, (last_in + first_out) / 2)
    theta = np.where(slots == 0, ranked[:, 0], theta)
    theta = np.where(count == 0, 0.0, theta)
    inside = eligible & (rank < slots[:, None])
    up = ~inside  # an added party raises the balance, a dropped one lowers it
    gap = np.where(eligible, spread, 0.0) - theta[:, None]
    w = np.where(eligible, np.exp(-np.abs(gap)), 0.0)
    half = int(max(slots.max(initial=0), (count - slots).max(initial=0)))
    width = 2 * half + 1  # balances -half .. half

    def times(poly, raising, lowering):
        """``poly`` (coefficients on the last axis) times factors, in place."""
        added = raising[..., None] * poly[..., :-1]
        dropped = lowering[..., None] * poly[..., 1:]
        poly[..., 1:] += added
        poly[..., :-1] += dropped

    # Prefix products (factors before j) and suffix products (from j on), side by
    # side, party-major so that each step works on contiguous rows.
    raising = np.where(up, w, 0.0).T
    lowering = np.where(up, 0.0, w).T
    chain = np.zeros((n + 1, 2, proposers, width))
    chain[0, :, :, half] = 1.0
    pair_up = np.stack([raising, raising[::-1]], axis=1)
    pair_down = np.stack([lowering, lowering[::-1]], axis=1)
    for j in range(n):
        chain[j + 1] = chain[j]
        times(chain[j + 1], pair_up[j], pair_down[j])
    prefix, suffix = chain[:, 0], chain[::-1, 1]
    total = prefix[n, :, half]
    # [z^b] of A * B is sum_i A[i] * flipped(B)[i - b]; padded for b in -2..2
    flipped = np.zeros((n + 1, proposers, width + 4))
    flipped[..., 2:-2] = suffix[..., ::-1]

    def against(b):
        return flipped[..., 2 + b : 2 + b + width]

    left_out = np.where(
        up.T,
        np.einsum("jkw,jkw->jk", prefix[:n], against(1)[1:]),
        np.einsum("jkw,jkw->jk", prefix[:n], against(-1)[1:]),
    ).T
    flip = w * left_out / total[:, None]  # probability that j is dropped (in) or added
    inclusion = np.where(inside, 1.0 - flip, flip) * eligible
    if not covariance:
        return inclusion, None
    both = np.zeros((proposers, n, n))  # both[k, i, j], i < j: i and j both flipped
    # Row i: the factors before j but i's; a zero column after each row lets a
    # proposer's rows be shifted as one contiguous run (the hot loop, O(n^4)).
    partial = np.zeros((proposers, n, width + 1))
    for j in range(1, n):
        rows = partial[:, : j - 1].reshape(proposers, -1)
        # a party's factor either raises or lowers the balance, so in turn
        rows[:, 1:] += raising[j - 1, :, None] * rows[:, :-1]
        rows[:, :-1] += lowering[j - 1, :, None] * rows[:, 1:]
        partial[:, : j - 1, width] = 0.0
        partial[:, j - 1, :width] = prefix[j - 1]
        rest = {b: against(b)[j + 1] for b in (-2, 0, 2)}
        # with j added, i added leaves balance -2 and i dropped 0; with j dropped, 0 and 2
        ends = np.where(
            up[:, j, None, None],
            np.stack([rest[2], rest[0]], axis=-1),
            np.stack([rest[0], rest[-2]], axis=-1),
        )
        dots = np.matmul(partial[:, :j, :width], ends)
        both[:, :j, j] = np.where(up[:, :j], dots[..., 0], dots[..., 1])
    both *= w[:, :, None] * w[:, None, :]
    both = (both + both.transpose(0, 2, 1)) / total[:, None, None]
    cov = both - flip[:, :, None] * flip[:, None, :]
    diagonal = np.arange(n)
    cov[:, diagonal, diagonal] = flip * (1.0 - flip)
    sign = np.where(inside, -1.0, 1.0) * eligible  # inclusion = 1 - flip for the in-parties
    return inclusion, cov * sign[:, :, None] * sign[:, None, :]


def _margins(game: _Quota, x: np.ndarray, window: float):
    """Whom each proposer is indifferent among at its margin, from prices ``x``.

    A proposer mixes when its last bought and first unbought prices are within
    ``window``, among its parties priced within ``window`` of that margin.
    Parties tied for one proposer are tied for all (they share a price), so a
    proposer mixes among all its eligible parties linked to its margin.

    Returns ``tied`` (n, n) bool, ``sure`` (n, n) bool (bought for certain) and
    ``share`` (per proposer, how many of its tied parties it buys).
    """
    n = x.size
    eligible, slots = game.eligible, game.slots
    priced = np.where(eligible, x, np.inf)
    order = np.argsort(priced, axis=1, kind="stable")
    ranked = np.take_along_axis(priced, order, axis=1)
    rows = np.arange(n)
    choose = (slots >= 1) & (slots < eligible.sum(axis=1))  # some are bought, some not
    last_in = np.where(choose, ranked[rows, np.clip(slots - 1, 0, n - 1)], 0.0)
    first_out = np.where(choose, ranked[rows, np.clip(slots, 0, n - 1)], 0.0)
    mixes = choose & (first_out - last_in <= window)
    near = (
        eligible
        & mixes[:, None]
        & (x[None, :] >= first_out[:, None] - window)
        & (x[None, :] <= last_in[:, None] + window)
    )
    members, group = _tie_groups(near)
    label = np.full(n, -1)
    label[members] = group
    at = np.where(mixes, label[np.argmax(near, axis=1)], -2)
    tied = eligible & (label[None, :] == at[:, None])
    bottom = np.where(tied, x[None, :], np.inf).min(axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(rows, order.shape), axis=1)
    cheapest = eligible & (rank < slots[:, None])
    sure = np.where(mixes[:, None], eligible & ~tied & (x[None, :] < bottom[:, None]), cheapest)
    share = slots - sure.sum(axis=1)
    return tied, sure, share


def _limit(game: _Quota, v: np.ndarray, tau: float):
    """The exact equilibrium from a smoothed one: values and inclusion probabilities.

    As the temperature falls, the prices of tied parties differ by ``tau``
    times a finite offset ``s_j``, so in the limit each proposer buys its tied
    parties by the conditional Poisson design with weights ``exp(-s_j)``, the
    same offsets for every proposer. Those offsets are the unknowns besides the
    values (see :func:`_exact`). This picks, among the mixtures with the same
    values (where several proposers mix over the same parties, who buys whom
    more is not determined), the limit of the smoothed game.

    A party the smoothed game still weighs may not be tied in the limit: the
    exact solve then drives its offset to infinity and fails. Such a party,
    bought by every proposer mixing over it with probability below
    :data:`TIE_FLOOR` (or above one minus it), is taken as not tied (or surely
    bought) and the solve repeated.

    Returns the values, the inclusion probabilities and ``tied`` (see :func:`_margins`).
    """
    x = game.deltas * v
    tied, sure, share = _margins(game, x, ACTIVE_TEMPERATURES * tau)
    members, group = _tie_groups(tied)
    mean = np.bincount(group, x[members]) / np.bincount(group)
    offsets = np.zeros(v.size)
    offsets[members] = (x[members] - mean[group]) / tau
    for _ in range(v.size + 1):
        v, offsets, inclusion, norm = _exact(game, v, offsets, tied, sure, share)
        if norm <= VERIFY_TOLERANCE:
            break
        weighed = tied.any(axis=0)
        never = weighed & np.all(~tied | (inclusion < TIE_FLOOR), axis=0)
        always = weighed & np.all(~tied | (inclusion > 1.0 - TIE_FLOOR), axis=0)
        if not (never | always).any():
            break
        sure = sure | (tied & always[None, :])
        tied = tied & ~(never | always)[None, :]
        share = game.slots - sure.sum(axis=1)
        # a proposer left with no choice among its tied parties buys all or none
        settled = (share <= 0) | (share >= tied.sum(axis=1))
        sure = sure | (tied & (settled & (share > 0))[:, None])
        tied = tied & ~settled[:, None]
        share = np.where(settled, 0, share)
    return v, inclusion, tied


def _tie_groups(tied: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The parties tied for some proposer, and for each its group (0, 1, ...):
    parties tied for one proposer share a price, so groups are linked by proposers."""
    from scipy.sparse.csgraph import connected_components

    members = np.flatnonzero(tied.any(axis=0))
    linked = tied.T.astype(np.int64) @ tied.astype(np.int64) > 0
    label = connected_components(linked, directed=False)[1]
    return members, np.unique(label[members], return_inverse=True)[1]


def _exact(game: _Quota, v, offsets, tied, sure, share):
    """Newton's method on the limit system: the value equations, equal prices within
    each group of tied parties, and the offsets' sum per group fixed at 0 (a common
    shift leaves every choice unchanged); as many equations as unknowns (values, and
    offsets of tied parties). Returns the values, offsets, inclusion probabilities
    and the largest residual."""
    p, deltas, n = game.p, game.deltas, v.size
    base = game.forced + sure
    members, group = _tie_groups(tied)
    groups = (group[None, :] == np.arange(group.max(initial=-1) + 1)[:, None]).astype(float)
    head = np.unique(group, return_index=True)[1]
    rest = np.setdiff1d(np.arange(members.size), head)
    heads, others = members[head[group[rest]]], members[rest]
    size = n + members.size

    def system(unknowns, jacobian: bool):
        v, s = unknowns[:n], np.zeros(n)
        s[members] = unknowns[n:]
        x = deltas * v
        free, cov = _conditional_poisson(-s, tied, share, jacobian)
        inclusion = base + free
        demand = p @ inclusion
        residual = np.concatenate(
            [
                v - _bellman(game, x, inclusion @ x, demand),
                x[others] - x[heads],
                groups @ unknowns[n:],
            ]
        )
        if not jacobian:
            return residual, inclusion, None
        matrix = np.zeros((size, size))
        matrix[:n, :n] = _value_jacobian(game, x, inclusion, np.zeros((n, n)), demand)
        # d pi[k, j] / d s_l = -cov[k, j, l]
        d_cost = -np.einsum("j,kjl->kl", x, cov[:, :, members])
        d_demand = -np.einsum("k,kil->il", p, cov[:, :, members])
        matrix[:n, n:] = -_bellman_sensitivity(game, x, d_cost, d_demand)
        equal = np.arange(n, n + others.size)
        matrix[equal, others] = deltas[others]
        matrix[equal, heads] = -deltas[heads]
        matrix[n + others.size :, n:] = groups
        return residual, inclusion, matrix

    unknowns = np.concatenate([v, offsets[members]])
    for _ in range(NEWTON_STEPS):
        residual, _, matrix = system(unknowns, jacobian=True)
        norm = float(np.abs(residual).max())
        if norm < NEWTON_TOLERANCE:
            break
        step = np.linalg.lstsq(matrix, -residual, rcond=None)[0]
        for scale in 0.5 ** np.arange(_halvings(norm)):
            trial = unknowns + scale * step
            if float(np.abs(system(trial, jacobian=False)[0]).max()) < norm:
                unknowns = trial
                break
        else:
            break  # no step improves: at rounding level, or lost
    residual, inclusion, _ = system(unknowns, jacobian=False)
    offsets = offsets.copy()
    offsets[members] = unknowns[n:]
    return unknowns[:n], offsets, inclusion, float(np.abs(residual).max())


def _quota_coalitions(names, game: _Quota, inclusion: np.ndarray, tied: np.ndarray):
    """One mixture of coalitions per proposer with the given inclusion probabilities,
    and its total probability per proposer.

    A proposer's tied parties are laid end to end on a line, each over a length
    equal to its inclusion probability; for an offset ``u`` in ``[0, 1)`` the
    coalition takes the parties covering ``u, u + 1, ...`` (systematic sampling).
    Each party is then bought with exactly its probability, with at most as many
    coalitions as tied parties (listing the smoothed limit's own mixture could
    take ``C(n - 1, quota - 1)``).
    """
    coalitions: dict[str, dict[tuple[str, ...], float]] = {name: {} for name in names}
    mass = np.zeros(len(names))
    for k in np.flatnonzero(game.passes == 0):
        mixed = np.flatnonzero(tied[k])
        probability = inclusion[k, mixed]
        reach = np.cumsum(probability)
        if mixed.size:  # the line ends on a whole number: every coalition has the quota
            share = np.rint(reach[-1])
            reach *= share / reach[-1]
            reach[-1] = share
        cuts = np.unique(np.concatenate([[0.0], np.mod(reach[:-1], 1.0), [1.0]]))
        lengths = np.diff(cuts)
        middle = (cuts[:-1] + cuts[1:]) / 2
        start = np.concatenate([[0.0], reach[:-1]])
        # how many of u + 0, u + 1, ... fall in [start, reach): 0 or 1
        chosen = np.ceil(reach - middle[:, None]) - np.ceil(start - middle[:, None])
        mass[k] = lengths.sum()
        certain = np.append(np.flatnonzero(inclusion[k] * ~tied[k] > 0.5), k)
        for taken, length in zip(chosen > 0.5, lengths):
            if length > REPORT_FLOOR:
                party = np.sort(np.concatenate([certain, mixed[taken]]))
                coalitions[names[k]][tuple(names[j] for j in party)] = float(length)
    return mass, coalitions


def _quota_fixed_point(names, quota, p, deltas, veto) -> BaronFerejohn:
    n = len(names)
    game = _build_quota(quota, p, deltas, np.array([name in veto for name in names]))
    # The same smoothed game either way; listing the coalitions is faster while they are few.
    count = sum(math.comb(int(e), int(s)) for e, s in zip(game.eligible.sum(axis=1), game.slots))
    if count <= ENUMERATED_COALITIONS:
        v, tau = _smoothed(_build_game(names, quota, p, deltas, veto, None), SMOOTHING_FLOOR / n)
    else:
        v, tau = _smoothed(game, SMOOTHING_FLOOR / n)
    v, inclusion, tied = _limit(game, v, tau)
    x = deltas * v
    ranked = np.sort(np.where(game.eligible, x, np.inf), axis=1)
    bought = np.arange(n) < game.slots[:, None]
    cheapest = game.forced @ x + np.where(bought, ranked, 0.0).sum(axis=1)
    mass, coalitions = _quota_coalitions(names, game, inclusion, tied)
    return _verified(names, quota, game, v, inclusion, inclusion @ x, cheapest, mass, coalitions)


@dataclass(frozen=True)
class _Game:
    """The coalitions as arrays: ``members[c, j]`` is 1 when party ``j`` is a bought
    partner in coalition ``c`` (the proposer itself is not), ``proposer[c]`` its
    proposer, ``grouping[k, c]`` 1 when coalition ``c`` is ``k``'s."""

    members: np.ndarray
    proposer: np.ndarray
    grouping: np.ndarray
    passes: np.ndarray  # per party: 1.0 when it can form no coalition
    p: np.ndarray
    deltas: np.ndarray

    def residual(self, v: np.ndarray, tau: float) -> np.ndarray:
        return _residual(self, v, tau)[0]

    def residual_and_jacobian(self, v: np.ndarray, tau: float):
        return _residual_and_jacobian(self, v, tau)


def _build_game(names, quota, p, deltas, veto, graph) -> _Game:
    rows, owners = [], []
    n = len(names)
    position = {name: j for j, name in enumerate(names)}
    for k, name in enumerate(names):
        for coalition in feasible_coalitions(names, quota, veto=veto, graph=graph, containing=name):
            row = np.zeros(n)
            row[[position[m] for m in coalition if m != name]] = 1.0
            rows.append(row)
            owners.append(k)
    members = np.array(rows).reshape(-1, n)
    proposer = np.array(owners, dtype=np.int64)
    grouping = np.zeros((n, proposer.size))
    grouping[proposer, np.arange(proposer.size)] = 1.0
    passes = (grouping.sum(axis=1) == 0).astype(float)
    return _Game(members, proposer, grouping, passes, p, deltas)


def _bellman(game: _Game | _Quota, x: np.ndarray, expected_cost: np.ndarray, demand: np.ndarray):
    """The right-hand side ``T(v)`` of the value equations (module notes), the one
    place they are written: a proposer keeps ``1 - expected_cost`` (nothing when it
    passes), and party ``i`` is paid ``x_i = delta_i v_i`` when bought (``demand[i]``,
    the probability of that) or when the proposer passes."""
    can = 1.0 - game.passes
    return game.p * can * (1.0 - expected_cost) + x * (demand + game.p @ game.passes)


def _bellman_sensitivity(game: _Game | _Quota, x: np.ndarray, d_cost: np.ndarray, d_demand):
    """The derivative of ``T`` with respect to some unknowns, given those of the
    expected costs (``d_cost[k, u]``) and of the demands (``d_demand[i, u]``)."""
    return -(game.p * (1.0 - game.passes))[:, None] * d_cost + x[:, None] * d_demand


def _value_jacobian(game: _Game | _Quota, x, d_cost, d_demand, demand) -> np.ndarray:
    """The Jacobian of ``G(v) = v - T(v)``, given the derivatives of the expected
    costs and demands with respect to the prices ``x = delta v``."""
    d_t = _bellman_sensitivity(game, x, d_cost, d_demand)
    d_t[np.diag_indices_from(d_t)] += demand + game.p @ game.passes
    return np.eye(x.size) - d_t * game.deltas[None, :]


def _choice(game: _Game, prices: np.ndarray, tau: float) -> tuple[np.ndarray, np.ndarray]:
    """Each proposer's smoothed choice: weights per coalition (summing to 1 per
    proposer) and the coalitions' costs."""
    cost = game.members @ prices
    cheapest = np.full(game.p.size, np.inf)
    np.minimum.at(cheapest, game.proposer, cost)
    weights = np.exp(-(cost - cheapest[game.proposer]) / tau)
    totals = game.grouping @ weights
    return weights / totals[game.proposer], cost


def _residual(game: _Game, v: np.ndarray, tau: float):
    """``G(v) = v - T(v)`` under the smoothed choice, and the choice (weights, costs)."""
    x = game.deltas * v
    w, cost = _choice(game, x, tau)
    expected_cost = np.bincount(game.proposer, w * cost, minlength=v.size)
    demand = game.members.T @ (game.p[game.proposer] * w)  # sum_k p_k pi[k, i]
    return v - _bellman(game, x, expected_cost, demand), w, cost, expected_cost, demand


def _residual_and_jacobian(game: _Game, v: np.ndarray, tau: float):
    """``G(v) = v - T(v)`` and its Jacobian (see the module notes)."""
    p = game.p
    x = game.deltas * v
    g, w, cost, expected_cost, demand = _residual(game, v, tau)
    pw = p[game.proposer] * w
    inclusion = game.grouping @ (game.members * w[:, None])  # (n, n): pi[k, j]
    weighted_cost = game.grouping @ (game.members * (w * cost)[:, None])
    d_cost = inclusion - (weighted_cost - inclusion * expected_cost[:, None]) / tau
    second = game.members.T @ (game.members * pw[:, None])
    d_demand = -(second - inclusion.T @ (inclusion * p[:, None])) / tau
    return g, _value_jacobian(game, x, d_cost, d_demand, demand)


def _halvings(norm: float) -> int:
    """How many times a Newton step may be halved: none once the residual is below
    :data:`SMOOTHED_TOLERANCE`, where a full step that does not help means the
    solve is at rounding level (halving it never helped, and cost as many solves)."""
    return LINE_SEARCH_HALVINGS if norm > SMOOTHED_TOLERANCE else 1


def _smoothed(game: _Game | _Quota, tau_final: float) -> tuple[np.ndarray, float]:
    """Values solving the smoothed game, lowering the temperature toward ``tau_final``.

    Stops early, at the last temperature solved, when Newton's method can no
    longer follow the sharpening choice (the exact solve takes over from there).
    """
    v = game.p.copy()
    tau = SMOOTHING_START / game.p.size
    solved: tuple[np.ndarray, float] | None = None
    earlier: tuple[np.ndarray, float] | None = None
    while True:
        g = game.residual(v, tau)
        if earlier is not None and solved is not None:
            # The solution moves about linearly in tau once the choice is sharp: start
            # on the line through the last two when that fits better (fewer halvings).
            slope = (solved[0] - earlier[0]) / (solved[1] - earlier[1])
            guess = np.clip(v + slope * (tau - solved[1]), 0.0, 1.0)
            g_guess = game.residual(guess, tau)
            if np.abs(g_guess).max() < np.abs(g).max():
                v, g = guess, g_guess
        jacobian, fresh = None, False
        for _ in range(NEWTON_STEPS):
            norm = float(np.abs(g).max())
            if norm < NEWTON_TOLERANCE:
                break
            if jacobian is None:
                g, jacobian = game.residual_and_jacobian(v, tau)
                fresh = True
            step = np.linalg.lstsq(jacobian, -g, rcond=None)[0]
            for scale in 0.5 ** np.arange(_halvings(norm)):
                trial = np.clip(v + scale * step, 0.0, 1.0)
                g_trial = game.residual(trial, tau)
                if float(np.abs(g_trial).max()) < norm:
                    break
            else:
                if fresh:
                    break  # no step improves: the solve is at rounding level, or lost
                jacobian = None  # an old Jacobian: retry with a new one
                continue
            # A Jacobian is kept while full steps still cut the residual tenfold (one
            # costs about ten residuals without a graph, three with one).
            if scale < 1.0 or float(np.abs(g_trial).max()) > norm / 10:
                jacobian = None
            v, g, fresh = trial, g_trial, False
        if float(np.abs(g).max()) > SMOOTHED_TOLERANCE:
            if solved is None:
                raise SolverError(
                    "baron_ferejohn: Newton's method failed on the smoothed game at "
                    f"temperature {tau:g}"
                )
            return solved
        earlier, solved = solved, (v.copy(), tau)
        if tau <= tau_final:
            return solved
        tau = max(tau / 10, tau_final)


def _independent_rows(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions of rows of ``rows`` spanning the same space, taken greedily in ``order``.

    Gram–Schmidt against the rows kept so far; a row adds a dimension when its
    remainder is longer than :data:`RANK_TOLERANCE` (rows are 0/1 incidence
    vectors, so lengths are of order one). Stops once the rank is reached.
    """
    rank = np.linalg.matrix_rank(rows, tol=RANK_TOLERANCE)
    basis = np.zeros((0, rows.shape[1]))
    kept: list[int] = []
    for j in order:
        if len(kept) == rank:
            break
        rest = rows[j] - basis.T @ (basis @ rows[j])
        length = float(np.linalg.norm(rest))
        if length > RANK_TOLERANCE:
            basis = np.vstack([basis, rest / length])
            kept.append(int(j))
    return np.array(kept, dtype=np.int64)


def _polish(game: _Game, v: np.ndarray, active: np.ndarray, weights: np.ndarray):
    """Solve the unsmoothed conditions exactly for a given set of active coalitions.

    Equations: the value equations; equal cost among each proposer's active
    coalitions; mixing weights summing to one per proposer. The values depend
    on a proposer's mixture only through who it buys (its row of inclusion
    probabilities, ``n`` numbers), and the equal-cost conditions are linear in
    ``v`` (at most ``n`` independent ones), so the system is solved in a basis:
    the independent equal-cost conditions, and per proposer a largest set of
    affinely independent active coalitions (the likeliest under the smoothed
    choice first); its unknowns number at most ``n (n + 1)`` however many
    coalitions tie. The system is bilinear; Gauss–Newton with least-squares
    steps converges from the smoothed solution. The basis mixture is then
    spread over all active coalitions by non-negative least squares where it
    has a negative weight; a weight that stays negative is returned as such
    (the caller drops that coalition).
    """
    from scipy.optimize import nnls

    p, deltas = game.p, game.deltas
    members, proposer = game.members[active], game.proposer[active]
    n = p.size
    owners = np.unique(proposer)
    # The equal-cost conditions (members[b] - members[a]) @ x = 0, as independent rows.
    differences = [members[proposer == k][1:] - members[proposer == k][0] for k in owners]
    differences = np.concatenate([np.zeros((0, n)), *differences])
    _, singular, right = np.linalg.svd(differences, full_matrices=False)
    ties = right[singular > RANK_TOLERANCE * max(1.0, float(singular.max(initial=0.0)))]
    # Per proposer, coalitions whose incidence vectors (and a 1, for the sum) are a basis.
    augmented = np.hstack([members, np.ones((active.size, 1))])
    basis = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [
            mine[_independent_rows(augmented[mine], np.argsort(-weights[active][mine]))]
            for mine in (np.flatnonzero(proposer == k) for k in owners)
        ]
    )
    chosen, by = members[basis], proposer[basis]
    # Start from the smoothed mixtures: who each proposer buys, written in the basis.
    u = np.zeros(basis.size)
    for k in owners:
        mine, kept = np.flatnonzero(proposer == k), np.flatnonzero(by == k)
        target = augmented[mine].T @ weights[active][mine]
        u[kept] = np.linalg.lstsq(augmented[basis[kept]].T, target, rcond=None)[0]
    m = basis.size
    owner_of = np.zeros((n, m))
    owner_of[by, np.arange(m)] = 1.0
    stay = p @ game.passes
    can = 1.0 - game.passes
    for _ in range(NEWTON_STEPS):
        x = deltas * v
        cost = chosen @ x
        expected_cost = owner_of @ (u * cost)
        demand = chosen.T @ (p[by] * u)
        value = v - _bellman(game, x, expected_cost, demand)
        total = owner_of[owners] @ u - 1.0
        residual = np.concatenate([value, ties @ x, total])
        if float(np.abs(residual).max()) < NEWTON_TOLERANCE:
            break
        jacobian = np.zeros((residual.size, n + m))
        jacobian[:n, :n] = (
            np.eye(n) + (p * can)[:, None] * (owner_of @ (chosen * u[:, None])) * deltas[None, :]
        )
        jacobian[np.arange(n), np.arange(n)] -= deltas * (demand + stay)
        jacobian[:n, n:] = (p * can)[:, None] * owner_of * cost[None, :] - x[:, None] * (
            chosen.T * p[by][None, :]
        )
        jacobian[n : n + len(ties), :n] = ties * deltas[None, :]
        jacobian[n + len(ties) :, n:] = owner_of[owners]
        step = np.linalg.lstsq(jacobian, -residual, rcond=None)[0]
        v, u = v + step[:n], u + step[n:]
    w = np.zeros(active.size)
    w[basis] = u
    for k in np.unique(by[u < -VERIFY_TOLERANCE]):
        # The same inclusion probabilities from non-negative weights on all of k's
        # active coalitions, when they are in the hull and not only the span.
        mine = np.flatnonzero(proposer == k)
        target = augmented[basis].T[:, by == k] @ u[by == k]
        spread, misfit = nnls(augmented[mine].T, target)
        if misfit <= VERIFY_TOLERANCE:
            w[mine] = spread
    return v, w


def _graph_fixed_point(names, quota, p, deltas, veto, graph) -> BaronFerejohn:
    game = _build_game(names, quota, p, deltas, veto, graph)
    n = len(names)
    v, tau = _smoothed(game, SMOOTHING_FLOOR / n)
    weights, cost = _choice(game, deltas * v, tau)
    cheapest = np.full(n, np.inf)
    np.minimum.at(cheapest, game.proposer, cost)
    # Coalitions the smoothed proposers still weigh are candidates to be tied;
    # one the exact solve gives a negative weight is dropped, and the solve repeated.
    active = np.flatnonzero(cost - cheapest[game.proposer] <= ACTIVE_TEMPERATURES * tau)
    for _ in range(active.size + 1):
        v, w = _polish(game, v, active, weights)
        if w.size == 0 or w.min() >= -VERIFY_TOLERANCE:
            break
        weights = weights.copy()
        weights[active] = np.maximum(w, 0.0)
        active = active[w > w.min()]
    w_all = np.zeros(game.proposer.size)
    w_all[active] = np.clip(w, 0.0, 1.0)
    cost = game.members @ (deltas * v)
    cheapest = np.full(n, np.inf)
    np.minimum.at(cheapest, game.proposer, cost)
    coalitions: dict[str, dict[tuple[str, ...], float]] = {name: {} for name in names}
    for c in np.flatnonzero(w_all > REPORT_FLOOR):
        k = int(game.proposer[c])
        members = tuple(name for j, name in enumerate(names) if j == k or game.members[c, j] > 0)
        coalitions[names[k]][members] = float(w_all[c])
    inclusion = game.grouping @ (game.members * w_all[:, None])
    expected_cost = game.grouping @ (w_all * cost)
    mass = game.grouping @ w_all
    return _verified(names, quota, game, v, inclusion, expected_cost, cheapest, mass, coalitions)


def _verified(
    names, quota, game: _Game | _Quota, v, inclusion, expected_cost, cheapest, mass, coalitions
) -> BaronFerejohn:
    """Check the unsmoothed equilibrium conditions and build the result.

    Per proposer: ``inclusion`` (whom it buys), ``expected_cost`` (what it pays on
    average), ``cheapest`` (its cheapest coalition's cost), ``mass`` (its mixture's
    total probability) and ``coalitions`` (the mixture, as reported).
    """
    p, deltas = game.p, game.deltas
    x = deltas * v
    can = game.passes == 0
    keep = np.where(can, 1.0 - expected_cost, x)
    value = _bellman(game, x, expected_cost, p @ inclusion)
    violations = [
        np.abs(v - value).max(),  # the value equations
        np.abs(mass - can).max(),  # each proposer's mixture sums to one
        np.where(can, expected_cost - np.where(can, cheapest, 0.0), 0.0).max(),  # cheapest
        np.where(can, np.maximum(x - keep, 0.0), 0.0).max(),  # proposing beats passing
    ]
    residual = float(max(violations))
    if not np.isfinite(residual) or residual > VERIFY_TOLERANCE:
        raise SolverError(
            f"baron_ferejohn: the stationary equilibrium could not be verified (largest "
            f"violation {residual:.3g} > VERIFY_TOLERANCE = {VERIFY_TOLERANCE:g})"
        )
    return BaronFerejohn(
        parties=names,
        quota=quota,
        recognition=p,
        discount=deltas,
        expected=v,
        proposer_share=keep,
        partner_share=x,
        inclusion=inclusion,
        coalitions=coalitions,
        method="fixed point",
        residual=residual,
    )
