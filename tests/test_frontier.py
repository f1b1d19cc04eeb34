"""The Pareto frontier: exactly the rational packages nothing rational dominates."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg

from . import reference
from .strategies import problems, utility_tables


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
