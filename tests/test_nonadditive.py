"""Utilities that are not additive: interaction tables and rectangle (constraint) utilities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg
from bargain.criteria import Linear, MaxMin, Nash
from bargain.search import best_search
from tests import reference
from tests.strategies import nonadditive_problems

SPACE = bg.OutcomeSpace(
    [bg.Issue("territory", ["line", "moves", "back"]), bg.Issue("crimea", ["no", "yes"])]
)


def test_an_interaction_is_added_as_written_not_weighted():
    u = bg.AdditiveUtility(
        {"territory": [1.0, 0.5, 0.0], "crimea": [0.0, 1.0]},
        weights={"territory": 2.0, "crimea": 4.0},
        interactions={("territory", "crimea"): [[0.0, 0.25], [0.0, 0.0], [-1.0, 0.0]]},
    )
    p = bg.Problem(SPACE, [bg.Party("A", u)])
    assert p.utilities(SPACE.index({"territory": "line", "crimea": "yes"}))[0] == 2 + 4 + 0.25
    assert p.utilities(SPACE.index({"territory": "back", "crimea": "no"}))[0] == -1.0


def test_rectangle_utility_divides_by_maximum_then_caps():
    u = bg.RectangleUtility(
        [
            bg.Rectangle(3.0, {"territory": ("moves", "back")}),
            bg.Rectangle(2.0, {"territory": ("line", "moves"), "crimea": ("yes", "yes")}),
        ],
        maximum=4.0,
        cap=1.0,
    )
    p = bg.Problem(SPACE, [bg.Party("A", u)])
    got = [float(p.utilities(i)[0]) for i in range(SPACE.size)]
    assert got == [0.0, 0.5, 0.75, 1.0, 0.75, 0.75]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: bg.AdditiveUtility(
                {"territory": [1, 0, 0], "crimea": [0, 1]},
                interactions={("territory", "crimea"): [[0, 1], [1, 0]]},
            ),
            r"interactions\[\('territory', 'crimea'\)\] has shape \(2, 2\)",
        ),
        (
            lambda: bg.AdditiveUtility(
                {"territory": [1, 0, 0], "crimea": [0, 1]},
                interactions={("territory", "crimea"): [[0, 1], [1, 0], [0, float("nan")]]},
            ),
            r"interactions\[\('territory', 'crimea'\)\]\[2, 1\] is nan",
        ),
        (
            lambda: bg.AdditiveUtility(
                {"territory": [1, 0, 0], "crimea": [0, 1]},
                interactions={("territory", "nato"): [[0, 1]]},
            ),
            "names issue 'nato'",
        ),
        (lambda: bg.Rectangle(float("nan"), {"crimea": ("no", "yes")}), "bonus must be finite"),
        (
            lambda: bg.Problem(
                SPACE, [bg.Party("A", bg.RectangleUtility([bg.Rectangle(1, {"nato": ("a", "b")})]))]
            ),
            r"rectangles\[0\]\.ranges\['nato'\] names an issue the space does not have",
        ),
        (
            lambda: bg.Problem(
                SPACE,
                [bg.Party("A", bg.RectangleUtility([bg.Rectangle(1, {"crimea": ("no", "x")})]))],
            ),
            r"rectangles\[0\]\.ranges\['crimea'\] names option 'x', outside issue",
        ),
        (
            lambda: bg.Problem(
                SPACE,
                [bg.Party("A", bg.RectangleUtility([bg.Rectangle(1, {"crimea": ("yes", "no")})]))],
            ),
            "a range needs low <= high",
        ),
        (lambda: bg.RectangleUtility([], maximum=0.0), "maximum must be > 0"),
        (lambda: bg.RectangleUtility([], cap=float("inf")), "cap must be finite"),
    ],
)
def test_bad_non_additive_input_is_a_clear_error_naming_the_field(build, message):
    with pytest.raises(bg.BargainError, match=message):
        build()


@given(nonadditive_problems())
def test_utilities_equal_the_definitions(problem):
    brute = reference.package_utilities(problem)
    for index, utilities in brute.items():
        assert tuple(problem.utilities(index)) == utilities


@given(nonadditive_problems(max_parties=2))
def test_scenario_files_round_trip_non_additive_utilities(problem):
    again = bg.io.loads(bg.io.dumps(problem))
    assert again == problem
    assert [p.utility for p in again.parties] == [p.utility for p in problem.parties]


@given(nonadditive_problems())
def test_every_concept_equals_brute_force(problem):
    assert bg.nash(problem).ties == reference.nash(problem)
    assert bg.utilitarian(problem).ties == reference.utilitarian(problem)
    assert bg.egalitarian(problem).ties == reference.egalitarian(problem)
    assert bg.kalai_smorodinsky(problem).ties == reference.kalai_smorodinsky(problem)


@given(nonadditive_problems())
def test_the_search_equals_brute_force_on_non_additive_problems(problem):
    assert bg.nash(problem, method="search").ties == reference.nash(problem)


def test_generators_are_seeded_and_valid():
    a = bg.random_interaction_problem(3, 5, 4, n_interactions=3, rng=7)
    assert a == bg.random_interaction_problem(3, 5, 4, n_interactions=3, rng=7)
    assert len(a.terms) == 9
    b = bg.random_rectangle_problem(2, 6, 5, n_rectangles=20, rng=3)
    assert b == bg.random_rectangle_problem(2, 6, 5, n_rectangles=20, rng=3)
    assert np.all(b.cap == 1.0)
    assert bg.random_problem(2, 3, 4, rng=1) == bg.random_interaction_problem(
        2, 3, 4, n_interactions=0, rng=1
    )


@given(nonadditive_problems(), st.sampled_from([1, 4, 1024]))
def test_loose_terms_are_bounded_exactly(problem, leaf_target):
    """Terms left out of the factors (fold limit 1) give the brute-force answers."""
    compiled = bg.engine.compile_problem(problem, fold_limit=1)
    n = problem.n_parties
    found = best_search(compiled, Nash(problem.powers), leaf_target=leaf_target)
    assert tuple(found.indices) == reference.nash(problem)
    found = best_search(compiled, Linear(np.ones(n)), leaf_target=leaf_target)
    assert tuple(found.indices) == reference.utilitarian(problem)
    maxmin = best_search(compiled, MaxMin(np.ones(n)), leaf_target=leaf_target, max_ties=10**6)
    rational = reference.rational(problem)
    if rational:
        d = problem.disagreement
        best = max(min(u - dj for u, dj in zip(us, d)) for us in rational.values())
        assert maxmin.score == pytest.approx(best, abs=1e-12)
    else:
        assert not maxmin.found
