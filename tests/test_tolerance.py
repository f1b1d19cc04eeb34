"""Rounding noise never decides: one summation order for every reported utility, and
rationality, dominance and ties judged with one named tolerance."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import example, given

import bargain as bg

from . import reference
from .strategies import decimal_problems


def noisy() -> bg.Problem:
    """0.1 + 0.2 (0.30000000000000004) against 0.3: exactly equal for the first party,
    and the first party's disagreement is exactly 0.3 too."""
    space = bg.OutcomeSpace([bg.Issue("a", ["x", "y"]), bg.Issue("b", ["p", "q"])])
    first = bg.AdditiveUtility({"a": [0.1, 0.3], "b": [0.2, 0.0]})
    second = bg.AdditiveUtility({"a": [0.5, 0.5], "b": [0.0, 0.0]})
    apart = [{"a": "x", "b": "q"}, {"a": "y", "b": "p"}]  # only (x, p) and (y, q) remain
    return bg.Problem(space, [bg.Party("A", first, red_lines=apart), bg.Party("B", second)])


def test_rows_equal_in_exact_arithmetic_are_both_on_the_frontier():
    problem = noisy()
    assert problem.utilities(0)[0] == 0.1 + 0.2 != problem.utilities(3)[0]
    front = bg.pareto_frontier(problem)
    assert front.indices.tolist() == [0, 3] == list(reference.exact_pareto_frontier(problem))
    assert bg.nash(problem).ties == bg.nash(problem, method="search").ties == (0, 3)


def test_a_package_exactly_at_disagreement_is_not_rational():
    problem = noisy().with_number(("A", "disagreement"), 0.3)
    assert problem.utilities(0)[0] > 0.3  # by one ulp: the old test called it strictly better
    assert reference.exact_rational(problem) == {}
    assert len(bg.pareto_frontier(problem)) == 0
    for concept in bg.CONCEPTS.values():
        assert not concept(problem).agreement
    assert not bg.nash(problem, method="search").agreement


def test_the_tolerance_is_settable_per_call():
    problem = noisy()
    assert len(bg.pareto_frontier(problem, utility_tol=0.0)) == 1  # exact floats: one ulp wins
    assert len(bg.pareto_frontier(problem, utility_tol=0.5)) == 0  # nobody gains half a unit
    with pytest.raises(bg.ValidationError, match="utility_tol must be >= 0"):
        bg.pareto_frontier(problem, utility_tol=-1.0)


@example(noisy())
@example(noisy().with_number(("A", "disagreement"), 0.3))
@given(decimal_problems())
def test_the_frontier_of_decimal_problems_is_the_exact_frontier(problem):
    for method in bg.frontier.METHODS:  # the search's sweep included
        front = bg.pareto_frontier(problem, method=method)
        assert tuple(int(i) for i in front.indices) == reference.exact_pareto_frontier(problem)
    rational = reference.exact_rational(problem)
    solution = bg.nash(problem)
    assert solution.agreement == bool(rational)
    if solution.agreement:
        assert set(solution.ties) <= set(rational)


@given(decimal_problems(n_parties=3))
def test_reported_utilities_are_the_models_bit_for_bit(problem):
    front = bg.pareto_frontier(problem)
    assert np.array_equal(front.utilities, problem.utilities_of(front.indices))
    for index, row in zip(front.indices, front.utilities):
        assert np.array_equal(row, problem.utilities(int(index)))
        assert np.array_equal(row, problem.utilities_at(problem.space.outcome(int(index))))
    for concept in bg.CONCEPTS.values():
        solution = concept(problem)
        if solution.agreement:
            assert list(solution.utilities.values()) == problem.utilities(solution.index).tolist()


def test_utilities_of_huge_spaces_takes_exact_indices():
    issues = [bg.Issue(f"i{k}", [str(j) for j in range(10)]) for k in range(20)]
    values = {f"i{k}": [j / 10 for j in range(10)] for k in range(20)}
    problem = bg.Problem(bg.OutcomeSpace(issues), [bg.Party("A", bg.AdditiveUtility(values))])
    last = 10**20 - 1
    rows = problem.utilities_of(np.array([last, 0], dtype=object))
    assert rows[0, 0] == problem.utilities(last)[0] and rows[1, 0] == 0.0


@pytest.mark.parametrize(("m", "n"), [(50, 2), (3000, 2), (3000, 3), (5000, 4)])
def test_pareto_mask_with_noise_equals_the_exact_mask(m, n):
    """Rows of tenths, each written as a float sum in a random order (noise of an ulp or
    so): the tolerant mask is the exact mask of the tenths, through the grid too."""
    rng = np.random.default_rng(m + n)
    tenths = rng.integers(0, 40, size=(m, n))
    parts = rng.integers(0, 10, size=(m, n, 3))
    parts[:, :, 2] = tenths - parts[:, :, 0] - parts[:, :, 1]
    noisy_rows = parts[:, :, 0] / 10 + parts[:, :, 1] / 10 + parts[:, :, 2] / 10
    assert not np.array_equal(noisy_rows, tenths / 10)  # the noise is there
    exact = bg.engine.pareto_mask(tenths.astype(float), tol=0.0)
    assert np.array_equal(bg.engine.pareto_mask(noisy_rows), exact)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_the_all_pairs_pareto_mask_equals_the_sweep_on_near_ties(n):
    """Up to PARETO_DIRECT_ROWS rows every pair is compared at once; with values an ulp,
    a fraction of the tolerance or a chain of tolerance steps apart, it decides as the
    sorted sweep on tolerance ranks does."""
    rng = np.random.default_rng(n)
    for _ in range(300):
        m = int(rng.integers(1, bg.engine.PARETO_DIRECT_ROWS + 1))
        noise = rng.choice([0.0, 1e-16, 4e-10, 6e-10])
        rows = rng.integers(0, 4, (m, n)) / 4 + rng.integers(-2, 3, (m, n)) * noise
        direct = bg.engine.pareto_mask(rows)
        with patch.object(bg.engine, "PARETO_DIRECT_ROWS", 0):
            assert np.array_equal(direct, bg.engine.pareto_mask(rows))


@pytest.mark.parametrize("n", [3, 4, 9])
def test_the_one_sort_per_column_mask_equals_the_sweep_on_near_ties(n):
    """Up to DOMINANCE_SLICE rows of three or more columns are judged by one sort per
    column; with values an ulp, a fraction of the tolerance or a chain of tolerance steps
    apart, and duplicates, it decides as the sorted sweep on tolerance ranks does."""
    rng = np.random.default_rng(n)
    for _ in range(60):
        m = int(rng.integers(bg.engine.PARETO_DIRECT_ROWS + 1, 300))
        noise = rng.choice([0.0, 1e-16, 4e-10, 6e-10])
        rows = rng.integers(0, 4, (m, n)) / 4 + rng.integers(-2, 3, (m, n)) * noise
        rows[: m // 8] = rows[m // 8 : 2 * (m // 8)]
        for tol in (bg.engine.DEFAULT_UTILITY_TOLERANCE, 0.0):
            direct = bg.engine.pareto_mask(rows, tol=tol)
            with patch.object(bg.engine, "BITSET_BYTES", 1):  # one column at a time
                assert np.array_equal(direct, bg.engine.pareto_mask(rows, tol=tol))
            with patch.object(bg.engine, "DOMINANCE_SLICE", bg.engine.PARETO_DIRECT_ROWS):
                assert np.array_equal(direct, bg.engine.pareto_mask(rows, tol=tol))


@pytest.mark.parametrize("concept", [bg.nash, bg.egalitarian, bg.utilitarian])
def test_lotteries_judge_rationality_with_the_models_utility_tolerance(concept):
    # Every lottery's smallest gain is at most 5e-10, within DEFAULT_UTILITY_TOLERANCE of
    # disagreement: no package is rational, so no lottery is either (a relative 1e-12 once
    # made it a deal).
    assert 5e-10 < bg.engine.DEFAULT_UTILITY_TOLERANCE
    problem = bg.Problem.from_utilities([[5e-10, 5e-10], [1.0, -1.0]], disagreement=[0, 0])
    assert not concept(problem).agreement
    assert not concept(problem, lotteries=True).agreement


def test_continuous_rationality_uses_the_models_absolute_utility_tolerance():
    # B gains 1e-8 everywhere, beyond the tolerance: a deal, as the same numbers on
    # packages are (a tolerance relative to A's large gains once made it no deal).
    share = bg.Issue.continuous("share", 0.0, 1.0)
    a = bg.Party("A", bg.AdditiveUtility(values={"share": lambda x: 1e6 * x}))
    b = bg.Party("B", bg.AdditiveUtility(values={"share": lambda x: 0 * x + 1e-8}))
    problem = bg.Problem(bg.OutcomeSpace([share]), [a, b])
    assert bg.nash(bg.Problem.from_utilities([[1e6, 1e-8]])).agreement
    solution = bg.nash(problem, rng=0)
    assert solution.agreement
    assert solution.utilities == pytest.approx({"A": 1e6, "B": 1e-8}, rel=1e-6)
    assert bg.egalitarian(problem, rng=0).agreement


def test_search_and_block_scorer_hold_the_same_number_of_ties():
    from bargain import search

    assert search._Ties(2, 7).cap == bg.engine.tie_capacity(7) == 4 * 7 + 4096


def test_the_tie_rule_judges_dominance_as_the_frontier_does():
    """The tie rule drops a tie another tie of its set dominates, judged with the utility
    tolerance as bargain.engine.pareto_mask judges (tolerance classes among the set): sets
    of 1 to 80 packages at once (pair by pair up to TIE_PAIRS_LIMIT, in chunks of pairs),
    with values an ulp, a fraction of the tolerance or a chain of tolerance steps apart."""
    from bargain.concepts import _discrete

    rng = np.random.default_rng(0)
    for n in (1, 2, 3):
        for chunk in (_discrete.TIE_PAIRS_CHUNK, 7):
            sizes = rng.integers(1, 81, 30)
            sizes[:20] = rng.integers(1, 6, 20)
            noise = rng.choice([0.0, 1e-16, 4e-10, 6e-10], sizes.size).repeat(sizes)
            m = int(sizes.sum())
            gains = 1 + rng.integers(0, 4, (n, m)) / 4 + rng.integers(-2, 3, (n, m)) * noise
            groups = np.repeat(np.arange(sizes.size), sizes)
            with patch.object(_discrete, "TIE_PAIRS_CHUNK", chunk):
                kept = _discrete.tie_rule("egalitarian", gains, groups=groups)
            for group in range(sizes.size):
                at = groups == group
                assert np.array_equal(kept[at], bg.engine.pareto_mask(gains[:, at].T))
