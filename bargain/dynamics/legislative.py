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
of ten from :data:`SMOOTHING_START` ``/ n`` to :data:`SMOOTHING_FLOOR` ``/ n``, each solve starting
from the last. The coalitions still weighed are then taken as the tied ones and
the *unsmoothed* conditions (values, equal costs of the mixed coalitions,
mixtures summing to one) are solved exactly by Gauss–Newton with the mixing
weights as unknowns. Finally the conditions are checked: the value
equations hold with the proposers' mixtures, every proposer's expected cost is
within :data:`VERIFY_TOLERANCE` of its cheapest coalition's, and proposing
beats passing; otherwise a :class:`~bargain.SolverError` is raised.

>>> import bargain as bg
>>> bf = bg.baron_ferejohn(n=5, discount=0.9)
>>> float(bf.proposer_share[0]), float(bf.partner_share[0]), bf.expected.round(4).tolist()
(0.64, 0.18, [0.2, 0.2, 0.2, 0.2, 0.2])
"""

from __future__ import annotations

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
cheapest are treated as possibly tied (their smoothed weight is >= e^-30)."""

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
        partners is equally likely.
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
    return _fixed_point(names, quota, p, deltas, veto, graph)


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


def _bellman(game: _Game, x: np.ndarray, expected_cost: np.ndarray, demand: np.ndarray):
    """The right-hand side ``T(v)`` of the value equations (module notes), the one
    place they are written: a proposer keeps ``1 - expected_cost`` (nothing when it
    passes), and party ``i`` is paid ``x_i = delta_i v_i`` when bought (``demand[i]``,
    the probability of that) or when the proposer passes."""
    can = 1.0 - game.passes
    return game.p * can * (1.0 - expected_cost) + x * (demand + game.p @ game.passes)


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
    p, deltas = game.p, game.deltas
    x = deltas * v
    g, w, cost, expected_cost, demand = _residual(game, v, tau)
    pw = p[game.proposer] * w
    inclusion = game.grouping @ (game.members * w[:, None])  # (n, n): pi[k, j]
    stay = p @ game.passes
    weighted_cost = game.grouping @ (game.members * (w * cost)[:, None])
    d_cost = inclusion - (weighted_cost - inclusion * expected_cost[:, None]) / tau
    second = game.members.T @ (game.members * pw[:, None])
    d_demand = -(second - inclusion.T @ (inclusion * p[:, None])) / tau
    d_t = -(p * (1.0 - game.passes))[:, None] * d_cost + x[:, None] * d_demand
    d_t[np.diag_indices_from(d_t)] += demand + stay
    return g, np.eye(p.size) - d_t * deltas[None, :]


def _smoothed(game: _Game, tau_final: float) -> tuple[np.ndarray, float]:
    """Values solving the smoothed game, lowering the temperature toward ``tau_final``.

    Stops early, at the last temperature solved, when Newton's method can no
    longer follow the sharpening choice (the exact solve takes over from there).
    """
    v = game.p.copy()
    tau = SMOOTHING_START / game.p.size
    solved: tuple[np.ndarray, float] | None = None
    while True:
        for _ in range(NEWTON_STEPS):
            g, jacobian = _residual_and_jacobian(game, v, tau)
            norm = float(np.abs(g).max())
            if norm < NEWTON_TOLERANCE:
                break
            step = np.linalg.lstsq(jacobian, -g, rcond=None)[0]
            for scale in 0.5 ** np.arange(LINE_SEARCH_HALVINGS):
                trial = np.clip(v + scale * step, 0.0, 1.0)
                if float(np.abs(_residual(game, trial, tau)[0]).max()) < norm:
                    v = trial
                    break
            else:
                break  # no step improves: the solve is at rounding level, or lost
        if float(np.abs(_residual(game, v, tau)[0]).max()) > SMOOTHED_TOLERANCE:
            if solved is None:
                raise SolverError(
                    "baron_ferejohn: Newton's method failed on the smoothed game at "
                    f"temperature {tau:g}"
                )
            return solved
        solved = (v.copy(), tau)
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


def _fixed_point(names, quota, p, deltas, veto, graph) -> BaronFerejohn:
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
    return _verified(names, quota, game, v, w_all)


def _verified(names, quota, game: _Game, v: np.ndarray, w: np.ndarray) -> BaronFerejohn:
    """Check the unsmoothed equilibrium conditions and build the result."""
    p, deltas, n = game.p, game.deltas, len(names)
    x = deltas * v
    cost = game.members @ x
    can = game.passes == 0
    inclusion = game.grouping @ (game.members * w[:, None])
    expected_cost = game.grouping @ (w * cost)
    keep = np.where(can, 1.0 - expected_cost, x)
    value = _bellman(game, x, expected_cost, p @ inclusion)
    cheapest = np.full(n, np.inf)
    np.minimum.at(cheapest, game.proposer, cost)
    violations = [
        np.abs(v - value).max(),  # the value equations
        np.abs(game.grouping @ w - can).max(),  # each proposer's mixture sums to one
        np.where(can, expected_cost - np.where(can, cheapest, 0.0), 0.0).max(),  # cheapest
        np.where(can, np.maximum(x - keep, 0.0), 0.0).max(),  # proposing beats passing
    ]
    residual = float(max(violations))
    if not np.isfinite(residual) or residual > VERIFY_TOLERANCE:
        raise SolverError(
            f"baron_ferejohn: the stationary equilibrium could not be verified (largest "
            f"violation {residual:.3g} > VERIFY_TOLERANCE = {VERIFY_TOLERANCE:g})"
        )
    coalitions: dict[str, dict[tuple[str, ...], float]] = {name: {} for name in names}
    for c in np.flatnonzero(w > REPORT_FLOOR):
        k = int(game.proposer[c])
        members = tuple(name for j, name in enumerate(names) if j == k or game.members[c, j] > 0)
        coalitions[names[k]][members] = float(w[c])
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
