"""Coalitions: feasible member sets (quota, veto, networkx graph) and coalition deals."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg
from bargain.dynamics import feasible_coalitions

from . import reference
from .strategies import problems


@st.composite
def alliance_graphs(draw, names):
    """A graph on some of ``names`` (a party left out allies with nobody)."""
    pairs = list(itertools.combinations(names, 2))
    graph = nx.Graph(list(draw(st.sets(st.sampled_from(pairs))) if pairs else []))
    graph.add_nodes_from(draw(st.sets(st.sampled_from(names))))
    return graph


@given(st.integers(1, 6), st.data())
def test_feasible_coalitions_match_the_definition(n, data):
    names = [f"P{j + 1}" for j in range(n)]
    graph = data.draw(alliance_graphs(names))
    veto = sorted(data.draw(st.sets(st.sampled_from(names), max_size=2)))
    size = data.draw(st.integers(1, n))
    found = feasible_coalitions(names, size, veto=veto, graph=graph)
    edges = [tuple(edge) for edge in graph.edges]
    expected = [
        c
        for c in itertools.combinations(names, size)
        if set(veto) <= set(c) and reference.connected(c, edges)
    ]
    assert found == expected


def test_a_path_allows_only_neighbouring_coalitions():
    path = nx.path_graph(["A", "B", "C", "D"])
    assert feasible_coalitions(list("ABCD"), 3, graph=path) == [("A", "B", "C"), ("B", "C", "D")]
    assert feasible_coalitions(list("ABCD"), 2, veto=["A"], graph=path) == [("A", "B")]
    assert feasible_coalitions(list("ABCD"), 1, veto=["A", "B"]) == []


@given(problems(min_parties=2, max_parties=4, max_issues=2), st.data())
def test_the_deal_is_the_best_coalitions_nash_package(problem, data):
    names = problem.party_names
    graph = data.draw(alliance_graphs(list(names)))
    veto = sorted(data.draw(st.sets(st.sampled_from(names), max_size=1)))
    quota = data.draw(st.integers(0 if veto else 1, len(names) - len(veto)))
    deal = bg.coalition_deal(problem, quota=quota, veto=veto, graph=graph)
    feasible = feasible_coalitions(names, len(veto) + quota, veto=veto, graph=graph)
    assert set(deal.candidates) == set(feasible)
    if not deal.agreement:
        assert all(score == -math.inf for score in deal.candidates.values())
        assert deal.members == () and deal.index is None
        return
    assert deal.members in feasible and set(veto) <= set(deal.members)
    assert deal.candidates[deal.members] == max(deal.candidates.values())
    outsiders = [name for name in names if name not in deal.members]
    assert deal.index == bg.nash(problem.without(*outsiders)).index
    d = dict(zip(names, problem.disagreement))
    for member in deal.members:
        assert deal.utilities[member] > d[member]
    assert list(deal.utilities.values()) == problem.utilities(deal.index).tolist()


def test_a_coalition_deal_leaves_outsiders_out():
    # A must sign; one of B, C must too. A and B agree on package 0, A and C on 1.
    p = bg.Problem.from_utilities(
        [[4, 3, 0], [3, 0, 4], [0, 4, 3], [2, 2, 2]], names=["A", "B", "C"]
    )
    deal = bg.coalition_deal(p, veto=["A"], quota=1)
    # both coalitions score log(12) / 2: the tie goes to the first in party order
    assert deal.members == ("A", "B") and deal.index == 0
    assert deal.candidates == {("A", "B"): math.log(12) / 2, ("A", "C"): math.log(12) / 2}
    assert deal.utilities == {"A": 4.0, "B": 3.0, "C": 0.0}
    text = str(deal)
    assert "coalition deal: A, B" in text and "(outside)" in text
    only_c = bg.coalition_deal(p, veto=["A"], quota=1, graph=nx.Graph([("A", "C")]))
    assert only_c.members == ("A", "C") and only_c.index == 1


def test_no_feasible_coalition_is_no_deal():
    p = bg.Problem.from_utilities([[1, 1, 1]], names=["A", "B", "C"])
    deal = bg.coalition_deal(p, quota=2, graph=nx.Graph([("A", "B")]), veto=["C"])
    assert not deal.agreement and deal.candidates == {}
    assert "no feasible coalition" in str(deal)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"quota": 1, "graph": nx.Graph([("A", "Z")])}, bg.UnknownNameError, "'Z'"),
        ({"quota": 1, "veto": ["Z"]}, bg.UnknownNameError, "'Z'"),
        ({"quota": 1, "veto": "A"}, bg.BargainTypeError, "list of party names"),
        ({"quota": 3, "veto": ["A"]}, bg.ValidationError, "only 2 parties"),
        ({"quota": 0}, bg.ValidationError, "at least one signatory"),
        ({"quota": -1}, bg.ValidationError, "quota must be >= 0"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error, message):
    p = bg.Problem.from_utilities([[1, 1, 1]], names=["A", "B", "C"])
    with pytest.raises(error, match=message):
        bg.coalition_deal(p, **kwargs)


def owner_left_out() -> bg.Problem:
    """C owns y (default "keep") and is left out by a coalition of A and B, who want x=b."""
    x = bg.Issue("x", ["a", "b", "c"])
    y = bg.Issue("y", ["keep", "give"])
    a = bg.Party("A", bg.AdditiveUtility({"x": [0, 1, 0], "y": [0, 0]}))
    b = bg.Party("B", bg.AdditiveUtility({"x": [0, 1, 0], "y": [0, 0]}))
    c = bg.Party(
        "C", bg.AdditiveUtility({"x": [0, 0, 0], "y": [0, 0]}), disagreement=5, owns={"y": "keep"}
    )
    return bg.Problem(bg.OutcomeSpace([x, y]), [a, b, c])


def test_an_outsiders_owned_issue_is_settled_and_the_deal_numbers_the_callers_packages():
    # Leaving settles C's issue, so the coalition's space is smaller than the caller's.
    p = owner_left_out()
    deal = bg.coalition_deal(p, quota=2)
    assert deal.members == ("A", "B")
    assert deal.outcome == {"x": "b", "y": "keep"}
    assert deal.index == p.space.index({"x": "b", "y": "keep"}) == 2
    assert p.space.outcome(deal.index) == deal.outcome
    assert deal.utilities == {"A": 1.0, "B": 1.0, "C": 0.0}
    assert deal.solution.problem.space.outcome(deal.solution.index) == deal.outcome
