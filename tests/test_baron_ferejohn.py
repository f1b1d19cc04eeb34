"""Baron–Ferejohn legislative bargaining: closed forms, the verified fixed point, coalitions."""

from __future__ import annotations

import itertools
import math
import time

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain.dynamics import legislative

from .strategies import discount_factors, recognition_probabilities

TOL = 1e-9


@given(st.integers(2, 40), discount_factors, st.data())
@example(5, 0.9, None)
def test_symmetric_closed_form(n, delta, data):
    quota = n // 2 + 1 if data is None else data.draw(st.integers(1, n))
    bf = bg.baron_ferejohn(n=n, discount=delta, quota=quota)
    assert bf.method == "closed form" and bf.quota == quota
    assert bf.proposer_share == pytest.approx(np.full(n, 1 - delta * (quota - 1) / n), abs=TOL)
    assert bf.partner_share == pytest.approx(np.full(n, delta / n), abs=TOL)
    assert bf.expected == pytest.approx(np.full(n, 1 / n), abs=TOL)
    # the proposer and its quota - 1 partners share the whole pie
    assert bf.proposer_share[0] + (quota - 1) * bf.partner_share[0] == pytest.approx(1.0, abs=TOL)
    assert bf.inclusion.sum(axis=1) == pytest.approx(np.full(n, quota - 1.0), abs=TOL)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7, 8, 9])
def test_the_default_quota_is_a_simple_majority(n):
    bf = bg.baron_ferejohn(n=n)
    assert bf.quota == {2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4, 8: 5, 9: 5}[n]
    assert bf.inclusion.sum(axis=1) == pytest.approx(np.full(n, bf.quota - 1.0), abs=TOL)


@pytest.mark.parametrize("delta", [0.0, 1.0])
@pytest.mark.parametrize("n", [2, 3, 4, 7])
def test_the_closed_form_holds_on_the_closed_interval(n, delta):
    """At delta = 1 (no discounting) a partner costs 1 / n and the proposer keeps
    1 - (q - 1) / n (2/3 and 1/3 for n = 3); at delta = 0 votes are free. The
    fixed-point solver (sent there by a complete alliance graph) agrees."""
    quota = n // 2 + 1
    closed = bg.baron_ferejohn(n=n, discount=delta)
    assert closed.proposer_share == pytest.approx(np.full(n, 1 - delta * (quota - 1) / n), abs=TOL)
    assert closed.partner_share == pytest.approx(np.full(n, delta / n), abs=TOL)
    names = [f"P{j + 1}" for j in range(n)]
    solved = bg.baron_ferejohn(n=n, discount=delta, graph=nx.complete_graph(names))
    assert solved.method == "fixed point" and solved.residual <= TOL
    for field in ("expected", "proposer_share", "partner_share"):
        assert getattr(solved, field) == pytest.approx(getattr(closed, field), abs=TOL)


def test_no_discounting_for_three_parties():
    bf = bg.baron_ferejohn(n=3, discount=1.0)
    assert bf.proposer_share[0] == pytest.approx(2 / 3, abs=TOL)
    assert bf.partner_share[0] == pytest.approx(1 / 3, abs=TOL)
    weak = bg.baron_ferejohn(n=3, discount=[1.0, 0.5, 0.0], recognition=[0.5, 0.25, 0.25])
    assert weak.residual <= TOL and weak.expected.sum() == pytest.approx(1.0, abs=TOL)


@given(st.integers(2, 6), discount_factors, st.data())
def test_the_fixed_point_solver_reproduces_the_closed_form(n, delta, data):
    """A complete alliance graph restricts nothing, but sends the game to the solver."""
    quota = data.draw(st.integers(1, n))
    names = [f"P{j + 1}" for j in range(n)]
    solved = bg.baron_ferejohn(n=n, discount=delta, quota=quota, graph=nx.complete_graph(names))
    closed = bg.baron_ferejohn(n=n, discount=delta, quota=quota)
    assert solved.method == "fixed point"
    for field in ("expected", "proposer_share", "partner_share"):
        assert getattr(solved, field) == pytest.approx(getattr(closed, field), abs=TOL)


@given(st.floats(0.05, 0.33), discount_factors)
def test_one_strong_and_two_weak_parties_closed_form(b, delta):
    """n = 3, quota 2, recognition (1 - 2b, b, b): each weak party buys the other weak
    one (cheaper than the strong one), the strong one mixes 50/50. Then
    v = b (1 - delta v) + (a / 2 + b) delta v gives v = b / (1 - delta a / 2) for each
    weak party and the strong one gets a (1 - delta v)."""
    a = 1 - 2 * b
    weak = b / (1 - delta * a / 2)
    strong = a * (1 - delta * weak)
    assume(strong > weak + 1e-6)
    bf = bg.baron_ferejohn(n=3, discount=delta, recognition=[a, b, b])
    assert bf.expected == pytest.approx([strong, weak, weak], abs=TOL)
    assert bf.bought("P2") == ("P3",) and bf.bought("P3") == ("P2",)
    assert bf.inclusion[0] == pytest.approx([0.0, 0.5, 0.5], abs=TOL)


def brute_force_check(bf: bg.BaronFerejohn, graph=None, veto=()) -> None:
    """Every equilibrium condition, recomputed from the definitions."""
    names, n = bf.parties, len(bf.parties)
    x = bf.discount * bf.expected
    value = np.zeros(n)
    for k, proposer in enumerate(names):
        feasible = [
            c
            for c in itertools.combinations(names, bf.quota)
            if proposer in c
            and all(v in c for v in veto)
            and (graph is None or nx.is_connected(graph.subgraph(c)))
        ]
        if not feasible:
            assert bf.coalitions[proposer] == {}
            value += bf.recognition[k] * x
            continue
        costs = {c: sum(x[names.index(m)] for m in c if m != proposer) for c in feasible}
        cheapest = min(costs.values())
        chosen = bf.coalitions[proposer]
        assert sum(chosen.values()) == pytest.approx(1.0, abs=TOL)
        for coalition, probability in chosen.items():
            assert costs[coalition] <= cheapest + TOL  # only cheapest coalitions are formed
            value[k] += bf.recognition[k] * probability * (1 - costs[coalition])
            for member in coalition:
                if member != proposer:
                    j = names.index(member)
                    value[j] += bf.recognition[k] * probability * x[j]
        assert 1 - cheapest >= x[k] - TOL  # proposing beats passing
    assert bf.expected == pytest.approx(value, abs=TOL)


@given(st.integers(2, 6), discount_factors, st.data())
def test_heterogeneous_recognition_is_a_verified_stationary_equilibrium(n, delta, data):
    p = data.draw(recognition_probabilities(n))
    quota = data.draw(st.integers(1, n))
    bf = bg.baron_ferejohn(n=n, discount=delta, quota=quota, recognition=p)
    assume(bf.method == "fixed point")  # equal recognition: the closed form, tested above
    assert bf.residual <= TOL
    assert bf.expected.sum() == pytest.approx(1.0, abs=TOL)
    brute_force_check(bf)


@given(st.integers(3, 6), discount_factors, st.data())
def test_more_recognition_never_means_less(n, delta, data):
    """With a common discount factor, payoffs are ordered like recognition (Eraslan 2002)."""
    p = data.draw(recognition_probabilities(n))
    bf = bg.baron_ferejohn(n=n, discount=delta, quota=data.draw(st.integers(1, n)), recognition=p)
    for i, j in itertools.permutations(range(n), 2):
        if p[i] > p[j]:
            assert bf.expected[i] >= bf.expected[j] - TOL


def test_the_middle_of_a_path_is_pivotal():
    """Path A - B - C, quota 2, equal recognition: A and C can only ally with B.
    With a = v_A = v_C and b = v_B: a (1 - delta / 6) = (1 - delta b) / 3 and
    b (1 - 2 delta / 3) = (1 - delta a) / 3."""
    delta = 0.9
    matrix = np.array([[1 - delta / 6, delta / 3], [delta / 3, 1 - 2 * delta / 3]])
    a, b = np.linalg.solve(matrix, [1 / 3, 1 / 3])
    graph = nx.path_graph(["A", "B", "C"])
    bf = bg.baron_ferejohn(parties=["A", "B", "C"], discount=delta, quota=2, graph=graph)
    assert bf.expected == pytest.approx([a, b, a], abs=TOL)
    assert bf.bought("A") == ("B",) and set(bf.bought("B")) == {"A", "C"}
    brute_force_check(bf, graph=graph)


def test_a_veto_player_is_in_every_coalition():
    """n = 3, quota 2, veto P1: P2 and P3 must buy P1; P1 mixes between them.
    v1 = (1 - delta v2) / 3 + (2 / 3) delta v1 and v2 = (1 - delta v1) / 3 + delta v2 / 6."""
    delta = 0.8
    matrix = np.array([[1 - 2 * delta / 3, delta / 3], [delta / 3, 1 - delta / 6]])
    v1, v2 = np.linalg.solve(matrix, [1 / 3, 1 / 3])
    bf = bg.baron_ferejohn(n=3, discount=delta, veto=["P1"])
    assert bf.expected == pytest.approx([v1, v2, v2], abs=TOL)
    assert all("P1" in c for chosen in bf.coalitions.values() for c in chosen)
    brute_force_check(bf, veto=["P1"])


@given(st.integers(2, 6), st.data())
def test_restricted_games_are_verified_equilibria(n, data):
    names = [f"P{j + 1}" for j in range(n)]
    edges = data.draw(st.sets(st.sampled_from(list(itertools.combinations(names, 2)))))
    graph = nx.Graph(list(edges))
    graph.add_nodes_from(data.draw(st.sets(st.sampled_from(names))))
    isolated = [name for name in names if name not in graph]  # allies with nobody
    graph_with_all = nx.Graph(graph)
    graph_with_all.add_nodes_from(isolated)
    veto = data.draw(st.sets(st.sampled_from(names), max_size=1))
    quota = data.draw(st.integers(max(1, len(veto)), n))
    deltas = [data.draw(discount_factors) for _ in names]
    p = data.draw(recognition_probabilities(n))
    bf = bg.baron_ferejohn(
        n=n, discount=deltas, quota=quota, recognition=p, graph=graph, veto=sorted(veto)
    )
    assert bf.residual <= TOL
    brute_force_check(bf, graph=graph_with_all, veto=sorted(veto))


def test_a_party_that_cannot_ally_passes_and_gets_nothing():
    graph = nx.Graph([("P1", "P2"), ("P2", "P3")])
    graph.add_node("P4")
    bf = bg.baron_ferejohn(n=4, discount=0.9, quota=2, graph=graph)
    assert bf.coalitions["P4"] == {} and bf.expected[3] == pytest.approx(0.0, abs=TOL)
    assert bf.expected.sum() < 1  # P4's recognition wastes a period
    assert "P4" in str(bf) and "fixed point" in str(bf)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 3, "discount": 1.5}, bg.ValidationError, "between 0 and 1"),
        ({"n": 3, "discount": -0.1}, bg.ValidationError, "between 0 and 1"),
        ({"n": 3, "quota": 4}, bg.ValidationError, "quota is 4, larger than the 3"),
        ({"n": 3, "quota": 0}, bg.ValidationError, "quota must be >= 1"),
        ({"n": 3, "recognition": [0.5, 0.3, 0.3]}, bg.ValidationError, "sum to 1.1"),
        ({"n": 3, "recognition": [1.5, -0.25, -0.25]}, bg.ValidationError, "probability"),
        ({"n": 3, "recognition": [0.5, 0.75, -0.25]}, bg.ValidationError, ">= 0"),
        ({"n": 3, "recognition": [0.5, 0.5]}, bg.ValidationError, "2 entries"),
        ({"n": 3, "veto": ["P9"]}, bg.UnknownNameError, "'P9'"),
        ({"n": 3, "quota": 1, "veto": ["P1", "P2"]}, bg.ValidationError, "veto"),
        ({"n": 3, "graph": nx.Graph([("P1", "X")])}, bg.UnknownNameError, "'X'"),
        ({"n": 3, "graph": nx.DiGraph([("P1", "P2")])}, bg.BargainTypeError, "undirected"),
        ({"n": 3, "graph": [("P1", "P2")]}, bg.BargainTypeError, "networkx"),
        ({"n": 1}, bg.ValidationError, "n must be >= 2"),
        ({}, bg.ValidationError, "give n or parties"),
        ({"parties": ["A", "A"]}, bg.DuplicateNameError, "'A'"),
        ({"n": 3, "parties": ["A", "B"]}, bg.ValidationError, "2 parties are named"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error, message):
    with pytest.raises(error, match=message):
        bg.baron_ferejohn(**kwargs)


def test_bought_names_a_party():
    bf = bg.baron_ferejohn(n=3)
    with pytest.raises(bg.UnknownNameError, match="'Z'"):
        bf.bought("Z")
    assert not math.isnan(bf.residual)


def test_many_tied_coalitions_are_solved_in_a_small_basis():
    """Recognition i / 66 among 11 parties: 10 parties end up equally cheap, so
    thousands of coalitions tie. The exact solve has one unknown per value and per
    tied party, not one per tied coalition (that took 25 s here; now well under 1 s)."""
    n = 11
    recognition = (np.arange(1, n + 1) / (n * (n + 1) / 2)).tolist()
    start = time.perf_counter()
    bf = bg.baron_ferejohn(n=n, discount=0.95, recognition=recognition)
    assert time.perf_counter() - start < 8.0
    assert bf.method == "fixed point" and bf.residual < 1e-12
    assert bf.expected.sum() == pytest.approx(1.0, abs=1e-12)
    # The ten least-recognized parties are interchangeable as partners: equal values.
    assert np.ptp(bf.expected[:-1]) < 1e-12
    assert all(sum(mix.values()) == pytest.approx(1.0, abs=1e-9) for mix in bf.coalitions.values())


def mixture_check(bf: bg.BaronFerejohn, veto=()) -> None:
    """Every equilibrium condition from the reported mixtures, without listing the
    coalitions: a proposer's cheapest coalition buys the other veto parties and the
    cheapest of the rest, so sorting the prices gives its cost."""
    names, n = bf.parties, len(bf.parties)
    x = bf.discount * bf.expected
    value = np.zeros(n)
    for k, proposer in enumerate(names):
        forced = [j for j in range(n) if j != k and names[j] in veto]
        free = [j for j in range(n) if j != k and names[j] not in veto]
        slots = bf.quota - 1 - len(forced)
        chosen = bf.coalitions[proposer]
        if slots < 0:  # the veto parties do not fit: it passes
            assert chosen == {}
            value += bf.recognition[k] * x
            continue
        cheapest = x[forced].sum() + np.sort(x[free])[:slots].sum()
        assert sum(chosen.values()) == pytest.approx(1.0, abs=TOL)
        bought = np.zeros(n)
        for coalition, probability in chosen.items():
            members = [names.index(m) for m in coalition]
            assert len(members) == bf.quota and k in members
            assert all(names.index(v) in members for v in veto)
            partners = [j for j in members if j != k]
            assert x[partners].sum() <= cheapest + TOL  # only cheapest coalitions
            bought[partners] += probability
            value[k] += bf.recognition[k] * probability * (1 - x[partners].sum())
        assert bought == pytest.approx(bf.inclusion[k], abs=TOL)
        value += bf.recognition[k] * bought * x
        assert 1 - cheapest >= x[k] - TOL  # proposing beats passing
    assert bf.expected == pytest.approx(value, abs=TOL)


@settings(max_examples=25)
@given(st.integers(2, 12), st.data())
def test_games_without_a_graph_are_verified_equilibria_by_the_recursions(n, data):
    """The conditional Poisson recursions (used from 8,000 coalitions on) instead of
    the list of coalitions for smoothing, on games small enough to check both ways."""
    names = [f"P{j + 1}" for j in range(n)]
    p = data.draw(recognition_probabilities(n))
    per_party = st.lists(discount_factors, min_size=n, max_size=n)
    deltas = data.draw(st.one_of(discount_factors, per_party))
    veto = sorted(data.draw(st.sets(st.sampled_from(names), max_size=2)))
    quota = data.draw(st.integers(max(1, len(veto)), n))
    kwargs = {"n": n, "discount": deltas, "quota": quota, "recognition": p, "veto": veto}
    listed = bg.baron_ferejohn(**kwargs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legislative, "ENUMERATED_COALITIONS", 0)
        bf = bg.baron_ferejohn(**kwargs)
    assert bf.residual <= TOL
    mixture_check(bf, veto)
    if n <= 7:
        brute_force_check(bf, veto=veto)
    # the same smoothed game, computed two ways, has the same limit
    assert bf.expected == pytest.approx(listed.expected, abs=1e-12)
    assert bf.inclusion == pytest.approx(listed.inclusion, abs=1e-9)


def test_a_coarse_smoothing_still_reaches_the_equilibrium():
    """Smoothing stopped at tau = 2e-4 leaves parties near a proposer's margin that
    are not tied in the limit: the exact solve sets them apart (TIE_FLOOR) and
    finds the same equilibrium as from tau = 2e-10."""
    recognition = [w / 29 for w in (7, 2, 5, 7, 8)]
    kwargs = {"n": 5, "discount": 0.55, "quota": 3, "recognition": recognition}
    reference = bg.baron_ferejohn(**kwargs)
    solves = []
    exact = legislative._exact
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legislative, "SMOOTHING_FLOOR", 1e-3)
        patch.setattr(legislative, "_exact", lambda *args: solves.append(args) or exact(*args))
        bf = bg.baron_ferejohn(**kwargs)
    assert len(solves) > 1  # the first exact solve failed and some party was set apart
    assert bf.residual <= TOL
    assert bf.expected == pytest.approx(reference.expected, abs=1e-12)
    assert bf.inclusion == pytest.approx(reference.inclusion, abs=1e-9)
    brute_force_check(bf)


def test_thirty_parties_are_solved_without_listing_coalitions():
    """Recognition i / 465 among 30 parties, simple majority: 7.8e7 coalitions per
    proposer, which the listing refused (MAX_COALITIONS); 20 parties (92,378 each)
    took ten minutes. Without a graph no coalition is listed: about 1 s here."""
    n = 30
    recognition = (np.arange(1, n + 1) / (n * (n + 1) / 2)).tolist()

    def refuse(*args, **kwargs):
        raise AssertionError("coalitions were listed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legislative, "feasible_coalitions", refuse)
        start = time.perf_counter()
        bf = bg.baron_ferejohn(n=n, discount=0.95, recognition=recognition)
        assert time.perf_counter() - start < 60.0
    assert bf.method == "fixed point" and bf.residual < 1e-12
    assert bf.expected.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(np.diff(bf.expected) >= -1e-12)  # ordered like recognition (Eraslan)
    assert max(len(mix) for mix in bf.coalitions.values()) <= n
    mixture_check(bf)
