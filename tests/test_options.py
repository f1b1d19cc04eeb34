"""One validated options object on every path (issue 9, correctness 2; issue 10)."""

from __future__ import annotations

import functools
import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain.concepts import _discrete as discrete
from bargain.concepts._criteria import resolve
from bargain.criteria import Level, MaxMin

from . import reference
from .strategies import problems


def continuous_problem() -> bg.Problem:
    space = bg.OutcomeSpace([bg.Issue.continuous("x", 0, 1)])
    return bg.Problem(
        space,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.shapes.linear(1.0)})),
            bg.Party("B", bg.AdditiveUtility({"x": bg.shapes.linear(-1.0, 1.0)})),
        ],
    )


@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tie_tol": -5, "method": "nonsense"}, "tie_tol must be >= 0"),
        ({"method": "nonsense"}, "unknown method 'nonsense'"),
        ({"node_budget": 0}, "node_budget must be >= 1"),
        ({"progress": 3}, "progress must be callable"),
        ({"method": "blocks", "time_budget": 1.0}, "apply to the search"),
        ({"start": True}, "start must be an integer, got True"),
        ({"start": 2.0}, "start must be an integer, got 2.0"),
        ({"start": -1}, "start must be >= 0, got -1"),
    ],
)
def test_bad_options_raise_on_every_path(concept, options, message):
    for problem in (continuous_problem(), bg.random_problem(2, 3, 3, rng=0)):
        with pytest.raises(bg.BargainError, match=message):
            bg.solve(problem, concept, **options)


@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
def test_a_start_that_is_no_package_here_is_an_error(concept):
    """``start`` names a package of this problem's space: beyond it, on continuous issues
    (no packages) and over lotteries (not packages) it is an error naming the field."""
    problem = bg.random_problem(2, 3, 3, rng=0)  # 27 packages
    with pytest.raises(bg.OutOfRangeError, match=f"{concept}: start must be a package index "):
        bg.solve(problem, concept, start=27)
    with pytest.raises(bg.ContinuousSpaceError, match=f"{concept}: start needs a discrete"):
        bg.solve(continuous_problem(), concept, start=0)
    with pytest.raises(bg.ValidationError, match=f"{concept}: start is a package to start"):
        bg.solve(problem, concept, start=0, lotteries=True)
    assert bg.solve(problem, concept, start=26).ties == bg.solve(problem, concept).ties


@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
def test_a_start_within_the_utility_tolerance_of_no_deal_is_no_deal(concept):
    """Package 1 gains 5e-10 over its no-deal value for A: not rational (the model judges
    "strictly more" with its utility tolerance, 1e-9), so there is no deal, started from
    it or not (the search took such a start as its incumbent and reported a deal)."""
    problem = bg.Problem.from_utilities([[1.0, 1.0], [1.0 + 5e-10, 2.0]], disagreement=[1, 0])
    for method in ("search", "blocks"):
        assert not bg.solve(problem, concept, method=method).agreement
        assert not bg.solve(problem, concept, method=method, start=1).agreement


def test_an_unknown_criterion_is_an_error():
    with pytest.raises(bg.ValidationError, match="unknown criterion"):
        resolve("nash", 2, max)


def test_lotteries_honour_the_time_budget():
    problem = bg.random_problem(3, 12, 10, rng=1)
    solution = bg.nash(problem, lotteries=True, time_budget=0.0)
    assert not solution.optimal and solution.gap > 0


@pytest.mark.parametrize("concept", ["utilitarian", "egalitarian", "kalai_smorodinsky"])
def test_every_concept_is_exact_on_a_trillion_packages(concept):
    problem = bg.random_problem(3, 12, 10, rng=2)
    solution = bg.solve(problem, concept)
    assert solution.optimal and solution.gap == 0.0
    assert solution.stats["method"].startswith("search")


@pytest.mark.parametrize("concept", ["utilitarian", "egalitarian", "kalai_smorodinsky"])
def test_a_budget_stopped_search_returns_a_valid_gap(concept):
    problem = bg.random_problem(3, 10, 6, rng=4)
    exact = bg.solve(problem, concept)
    stopped = bg.solve(problem, concept, node_budget=1)
    assert stopped.agreement
    if not stopped.optimal:
        assert stopped.score <= exact.score + 1e-12
        assert exact.score <= stopped.score + stopped.gap + 1e-9 or math.isinf(stopped.gap)


@settings(max_examples=25)
@given(problems(max_issues=4, max_options=4), st.sampled_from(sorted(bg.CONCEPTS)))
def test_the_hybrid_hands_over_to_highs_with_the_same_answer(problem, concept):
    """With a one-node search, every concept goes to HiGHS: same optimum, and the same
    ties whenever the list is proven complete."""
    expected = bg.solve(problem, concept, method="blocks")
    tiny_leaves = functools.partial(bg.search.best_search, leaf_target=1)
    with (
        mock.patch.dict(discrete.HYBRID_NODES, dict.fromkeys(discrete.HYBRID_NODES, 1)),
        mock.patch.object(discrete.search, "best_search", tiny_leaves),
    ):
        found = bg.solve(problem, concept, method="search")
    reference.assert_same_answer(found, expected)


def _level_zero_ties_everywhere() -> bg.Problem:
    """Party A gains 1 from every package, so max-min ties all 40; B's gains differ."""
    space = bg.OutcomeSpace([bg.Issue("a", list("abcdefgh")), bg.Issue("b", list("vwxyz"))])
    flat = bg.AdditiveUtility(values={"a": [0.5] * 8, "b": [0.5] * 5})
    varied = bg.AdditiveUtility(values={"a": [3, 2, 1, 0, 3, 0, 0, 0], "b": [1, 3, 0, 2, 3]})
    parties = [bg.Party("A", flat, disagreement=0), bg.Party("B", varied, disagreement=-1)]
    return bg.Problem(space, parties)


@settings(max_examples=40)
@given(problems(max_issues=4, max_options=4), st.sampled_from(["egalitarian", "kalai_smorodinsky"]))
@example(_level_zero_ties_everywhere(), "egalitarian")
def test_leximin_after_an_unproven_highs_list_of_ties_is_still_leximin(problem, concept):
    """When HiGHS stops listing a level's ties before proving the list complete (here
    after one proof solve), the next level is solved again, not among the ties found:
    every package given is a brute-force leximin tie (a dominated package was once
    returned on an ANAC 2014 domain)."""
    expected = bg.solve(problem, concept, method="blocks")
    tiny_leaves = functools.partial(bg.search.best_search, leaf_target=1)
    with (
        mock.patch.dict(discrete.HYBRID_NODES, dict.fromkeys(discrete.HYBRID_NODES, 1)),
        mock.patch.object(discrete.search, "best_search", tiny_leaves),
        mock.patch.object(bg.milp, "TIE_SOLVES", 1),
    ):
        found = bg.solve(problem, concept, method="search")
    assert found.agreement == expected.agreement
    assert set(found.ties) <= set(expected.ties)


@pytest.mark.parametrize("concept", ["egalitarian", "kalai_smorodinsky"])
def test_a_leximin_level_stopped_with_nothing_keeps_the_levels_before(concept):
    """A budget can stop a later level before it finds a package (seen with time_budget on
    10^30 packages): the earlier levels' package stands, not optimal; it was no deal."""
    problem = _level_zero_ties_everywhere()
    exact = bg.solve(problem, concept, method="blocks")
    best = discrete.Run.best

    def stopped_at_later_levels(run, criterion, **options):
        if not isinstance(criterion, Level):
            return best(run, criterion, **options)
        run.optimal = False  # (as a stopped search leaves it)
        return bg.engine.Best(-math.inf, np.empty(0, dtype=object), np.empty((2, 0)), False, 0)

    with mock.patch.object(discrete.Run, "best", stopped_at_later_levels):
        found = bg.solve(problem, concept, method="search", max_ties=1)
    assert found.agreement and not found.optimal
    assert found.score == pytest.approx(exact.score, abs=1e-12)  # level 0 was solved


@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
def test_a_budget_on_a_small_space_still_runs_the_search(concept):
    """Budgets and progress belong to the search: ``auto`` never drops them for blocks."""
    problem = bg.random_problem(2, 3, 4, rng=0)
    reports = []
    solution = bg.solve(problem, concept, progress=reports.append)
    assert solution.stats["method"].startswith("search")
    assert reports


@pytest.mark.parametrize(("parties", "expected"), [(2, 5000), (4, 5000), (5, 50000)])
def test_few_parties_hand_a_slow_max_min_to_highs_sooner(parties, expected):
    """Max-min searches of at most 4 parties go to HiGHS after 5,000 nodes, not 50,000 (2
    parties x 30 issues with an interaction table: 41 s of search, then 0.66 s in HiGHS)."""
    problem = bg.random_problem(parties, 3, 3, rng=0)
    budgets = []
    best_search = discrete.search.best_search

    def recorded(*args, node_budget=None, **kwargs):
        budgets.append(node_budget)
        return best_search(*args, node_budget=node_budget, **kwargs)

    with mock.patch.object(discrete.search, "best_search", recorded):
        bg.egalitarian(problem, method="search")
    assert budgets[0] == expected
    assert discrete.FEW_PARTIES_MAXMIN_NODES == 5000 < discrete.HYBRID_NODES[MaxMin]
