"""The Pareto frontier: exactly the rational packages nothing rational dominates."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg

from . import reference
from .strategies import (
    nonadditive_problems,
    pie_problems,
    problems,
    two_party_rectangle_problems,
    utility_tables,
)


@given(problems())
def test_frontier_equals_the_brute_force_reference(problem):
    front = bg.pareto_frontier(problem)
    assert tuple(int(i) for i in front.indices) == reference.pareto_frontier(problem)
    for index, row in zip(front.indices, front.utilities):
        assert np.array_equal(row, problem.utilities(int(index)))


@given(problems())
def test_nothing_on_the_frontier_is_dominated_and_everything_off_it_is(problem):
    front = bg.pareto_frontier(problem)
    on = {int(i) for i in front.indices}
    candidates = reference.rational(problem)
    for index, u in candidates.items():
        dominated = any(reference.dominates(v, u) for v in candidates.values())
        assert dominated == (index not in on)


@given(problems())
def test_the_nash_package_is_on_the_frontier(problem):
    solution = bg.nash(problem)
    if solution.agreement:
        assert solution.index in set(bg.pareto_frontier(problem).indices.tolist())
    else:
        assert len(bg.pareto_frontier(problem)) == 0


@given(utility_tables(max_rows=40))
def test_pareto_mask_matches_pairwise_definition(table):
    mask = bg.engine.pareto_mask(table, chunk=3)
    for i, row in enumerate(table):
        dominated = any(reference.dominates(tuple(other), tuple(row)) for other in table)
        assert mask[i] == (not dominated)


def test_equal_utility_packages_are_all_listed():
    front = bg.pareto_frontier(bg.Problem.from_utilities([[2, 2], [2, 2], [1, 3], [1, 1]]))
    assert front.indices.tolist() == [0, 1, 2]
    assert "Pareto frontier: 3 packages" in str(front)
    assert front.outcomes()[2] == {"alternative": "2"}


def _pairwise_mask(table):
    rows = [tuple(row) for row in table]
    return np.array([not any(reference.dominates(b, a) for b in rows) for a in rows], dtype=bool)


@given(utility_tables(max_rows=60, n_parties=2), st.integers(0, 30))
def test_two_party_pareto_mask_is_the_staircase_of_the_pairwise_definition(table, copies):
    """With two columns the mask is a running maximum along the sorted rows."""
    table = np.vstack([table, table[:copies]])
    mask = bg.engine.pareto_mask(table)
    assert np.array_equal(mask, _pairwise_mask(table))
    # Distinct kept rows, by increasing first utility, have strictly decreasing second utility.
    kept = np.unique(table[mask], axis=0)
    assert np.all(np.diff(kept[:, 1]) < 0)


@given(
    utility_tables(min_rows=60, max_rows=130, n_parties=3) | utility_tables(60, 130, 4),
    st.integers(0, 20),
    st.integers(1, 140),
    st.integers(1, 200),
)
def test_the_bitset_sweep_matches_the_pairwise_definition_across_chunks_words_and_slices(
    table, copies, chunk, slice_rows
):
    """Three or more columns: chunks, 64-row words and dominating-set slices all split."""
    table = np.vstack([table, table[:copies]])
    with patch.object(bg.engine, "DOMINANCE_SLICE", slice_rows):
        mask = bg.engine.pareto_mask(table, chunk=chunk)
    assert np.array_equal(mask, _pairwise_mask(table))


def _check_against_brute_force(problem, front):
    """The frontier's theorem, against the reference: every listed package is on the
    brute-force frontier with its exact utilities, every frontier vector is listed, and
    every tied package too unless ``ties_truncated``."""
    expected = reference.pareto_frontier(problem)
    listed = [int(i) for i in front.indices]
    assert listed == sorted(listed)
    assert set(listed) <= set(expected)
    for index, row in zip(front.indices, front.utilities):
        assert np.array_equal(row, problem.utilities(int(index)))
    vectors = {tuple(problem.utilities(i)) for i in expected}
    assert {tuple(row) for row in front.utilities} == vectors
    assert front.vectors == len(vectors)
    assert front.complete
    if not front.ties_truncated:
        assert tuple(listed) == expected


@given(
    problems(max_parties=2, max_issues=4)
    | nonadditive_problems(2, 4, min_parties=2)
    | two_party_rectangle_problems(4, 4)
    | pie_problems()
)
def test_the_search_sweep_equals_the_brute_force_reference(problem):
    """``method="search"`` (the sweep of huge capped or linked spaces) on small problems:
    the branch and bound lists every tie (1000 at most), so it equals brute force."""
    front = bg.pareto_frontier(problem, method="search")
    _check_against_brute_force(problem, front)
    assert not front.ties_truncated
    assert np.array_equal(front.indices, bg.pareto_frontier(problem).indices)


@given(
    two_party_rectangle_problems(4, 4) | nonadditive_problems(2, 4, min_parties=2),
    st.integers(1, 3),
)
def test_the_sweep_through_highs_equals_the_brute_force_reference(problem, max_ties):
    """With no term folded into a factor every rectangle and interaction cell is loose,
    and each step of the sweep is a HiGHS program; at most ``max_ties`` per vector."""
    with patch.object(bg.engine, "FOLD_LIMIT", 1):
        front = bg.pareto_frontier(problem, method="search", max_ties=max_ties)
    _check_against_brute_force(problem, front)
    counts = np.unique(front.utilities, axis=0, return_counts=True)[1]
    assert np.all(counts <= max_ties)


@pytest.mark.parametrize("fold_limit", [bg.engine.FOLD_LIMIT, 1])
def test_the_sweep_finds_many_vectors_of_random_rectangle_problems(fold_limit):
    """ANAC-2014-style problems (``random_rectangle_problem``) with frontiers of several
    vectors, through the branch and bound (terms folded) and through HiGHS (all loose)."""
    vectors = 0
    for seed in range(6):
        problem = bg.random_rectangle_problem(2, 5, 3, n_rectangles=8, quantile=0.2, rng=seed)
        with patch.object(bg.engine, "FOLD_LIMIT", fold_limit):
            front = bg.pareto_frontier(problem, method="search", max_ties=2)
        _check_against_brute_force(problem, front)
        vectors += front.vectors
    assert vectors >= 12


def test_max_ties_lists_the_lowest_packages_of_each_vector_on_every_path():
    problem = bg.Problem.from_utilities([[2, 2], [1, 3], [2, 2], [2, 2], [1, 3], [0, 0]])
    for method in bg.frontier.METHODS:
        front = bg.pareto_frontier(problem, max_ties=2, method=method)
        assert front.indices.tolist() == [0, 1, 2, 4] and front.ties_truncated, method
        assert front.vectors == 2 and front.complete
        whole = bg.pareto_frontier(problem, max_ties=3, method=method)
        assert whole.indices.tolist() == [0, 1, 2, 3, 4] and not whole.ties_truncated
    assert "2 distinct utility vectors (more tied packages not listed)" in str(front)


def test_options_are_checked_at_the_boundary():
    problem = bg.Problem.from_utilities([[2, 1], [1, 2]])
    with pytest.raises(bg.ValidationError, match=r"pareto_frontier: max_ties must be >= 1"):
        bg.pareto_frontier(problem, max_ties=0)
    with pytest.raises(bg.BargainTypeError, match=r"pareto_frontier: max_ties must be an integer"):
        bg.pareto_frontier(problem, max_ties=1.5)
    with pytest.raises(bg.UnknownNameError, match=r"pareto_frontier: unknown method 'fast'"):
        bg.pareto_frontier(problem, method="fast")
    with pytest.raises(bg.BargainTypeError, match=r"pareto_frontier: method must be one of"):
        bg.pareto_frontier(problem, method=None)
    with pytest.raises(bg.ValidationError, match=r"pareto_frontier: time_budget must be >= 0"):
        bg.pareto_frontier(problem, time_budget=-1.0)
    three = bg.Problem.from_utilities([[2, 1, 1], [1, 2, 1]])
    with pytest.raises(bg.ValidationError, match=r"3 parties; .* at most 2 parties"):
        bg.pareto_frontier(three, method="search")


def test_a_huge_capped_frontier_of_three_parties_is_refused_clearly():
    problem = bg.random_rectangle_problem(3, 12, 10, n_rectangles=5, rng=0)
    with pytest.raises(bg.ValidationError, match=r"3 parties; a frontier that is not enumerated"):
        bg.pareto_frontier(problem)


def test_a_time_budget_returns_the_vectors_proven_so_far():
    problem = bg.random_rectangle_problem(2, 30, 10, n_rectangles=60, quantile=0.0, rng=1)
    front = bg.pareto_frontier(problem, time_budget=0.0)
    assert not front.complete and len(front) == 0
    assert "incomplete: the time budget ran out" in str(front)


def test_rectangles_linking_too_many_issues_to_enumerate_are_swept():
    """Uncapped rectangle utilities whose rectangles link 10^8 combinations (more than the
    memory budget enumerates): swept, a staircase holding the Nash and utilitarian vectors."""
    problem = bg.random_rectangle_problem(
        2, 8, 10, n_rectangles=10, normalized=False, quantile=0.3, rng=3
    )
    with pytest.raises(bg.SolverError, match="memory budget"):
        bg.engine.compiled(problem)
    front = bg.pareto_frontier(problem, max_ties=1)
    assert front.complete and front.vectors == len(front) > 1
    staircase = front.utilities[np.argsort(front.utilities[:, 0])]
    assert np.all(np.diff(staircase[:, 0]) > 0) and np.all(np.diff(staircase[:, 1]) < 0)
    vectors = {tuple(row) for row in front.utilities}
    for concept in ("nash", "utilitarian"):
        assert tuple(problem.utilities(bg.solve(problem, concept).index)) in vectors


def test_the_sweep_equals_the_enumerated_frontier_of_mid_sized_capped_problems():
    """15,625 packages, rectangles left loose (HiGHS, in integer units): the same vectors
    as the enumerated capped frontier, each package listed on it. Seed 9 is one where
    HiGHS at its tightest tolerances, floors 1e-9 above packages, missed vectors."""
    for seed in (0, 9):
        problem = bg.random_rectangle_problem(2, 6, 5, n_rectangles=20, quantile=0.3, rng=seed)
        assert bg.engine.compiled(problem, loose=True).loose
        whole = bg.pareto_frontier(problem)
        swept = bg.pareto_frontier(problem, method="search", max_ties=5)
        assert swept.vectors == whole.vectors > 1
        assert {tuple(row) for row in swept.utilities} == {tuple(row) for row in whole.utilities}
        assert {int(i) for i in swept.indices} <= set(whole.indices.tolist())


def test_the_sweep_through_highs_without_integer_units_equals_brute_force():
    """Bonuses with no integer unit (times 1/3 + 1e-3): HiGHS's floors lie utility_tol above
    packages; still the brute-force vectors on these problems."""
    for seed in range(3):
        base = bg.random_rectangle_problem(2, 5, 3, n_rectangles=8, quantile=0.2, rng=seed)
        parties = [
            bg.Party(
                party.name,
                bg.RectangleUtility(
                    [
                        bg.Rectangle(r.bonus * (1 / 3 + 1e-3), r.ranges)
                        for r in party.utility.rectangles
                    ]
                ),
                party.disagreement,
            )
            for party in base.parties
        ]
        problem = bg.Problem(base.space, parties)
        compiled = bg.engine.compiled(problem, loose=True)
        assert compiled.loose and bg.frontier._integer_units(problem, compiled) is None
        _check_against_brute_force(problem, bg.pareto_frontier(problem, method="search"))
