"""The small-space path: a space of at most ``engine.HELD_WHOLE_PACKAGES`` packages is held
whole (``engine.small_space``), shared by the frontier and every concept. It must give what
the general path (compiled factors, block scorer, factor-by-factor frontier) gives."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg

from . import reference
from .strategies import decimal_problems, nonadditive_problems, problems, utility_tables

any_problem = problems() | nonadditive_problems() | decimal_problems()

CONCEPTS = (bg.nash, bg.kalai_smorodinsky, bg.egalitarian, bg.utilitarian)


def fresh(problem: bg.Problem) -> bg.Problem:
    """An equal problem with nothing cached."""
    return bg.Problem(problem.space, problem.parties)


@given(any_problem)
def test_the_small_space_holds_every_rational_package_with_its_reported_utilities(problem):
    small = bg.engine.small_space(problem)
    assert small.allowed == sum(problem.allowed(i) for i in range(problem.space.size))
    rational = [
        i
        for i in range(problem.space.size)
        if problem.allowed(i)
        and np.all(
            problem.utilities(i) - problem.disagreement > bg.engine.DEFAULT_UTILITY_TOLERANCE
        )
    ]
    assert small.indices.tolist() == rational
    assert np.array_equal(small.utilities, problem.utilities_of(small.indices))  # bit for bit
    assert np.array_equal(small.gains, small.utilities.T - problem.disagreement[:, None])
    if not isinstance(problem.parties[0].utility, bg.RectangleUtility) and problem.additive:
        assert rational == sorted(reference.rational(problem))


@given(any_problem)
def test_the_small_path_and_the_general_path_give_the_same_answers(problem):
    small = [concept(fresh(problem)) for concept in CONCEPTS]
    small_front = bg.pareto_frontier(fresh(problem))
    with patch.object(bg.engine, "HELD_WHOLE_PACKAGES", 0):
        assert bg.engine.small_space(fresh(problem)) is None
        general = [concept(fresh(problem)) for concept in CONCEPTS]
        general_front = bg.pareto_frontier(fresh(problem))
    assert np.array_equal(small_front.indices, general_front.indices)
    assert np.array_equal(small_front.utilities, general_front.utilities)
    for a, b in zip(small, general):
        assert (a.concept, a.agreement, a.index, a.ties) == (
            b.concept,
            b.agreement,
            b.index,
            b.ties,
        )
        assert a.utilities == b.utilities
        assert a.score == b.score or abs(a.score - b.score) <= 1e-12
        assert a.stats == b.stats


def test_a_larger_space_or_a_small_memory_budget_takes_the_general_path():
    issues = [bg.Issue(f"i{k}", [str(j) for j in range(9)]) for k in range(5)]  # 59049
    values = {issue.name: [j / 8 for j in range(9)] for issue in issues}
    party = bg.Party("A", bg.AdditiveUtility(values))
    assert bg.engine.small_space(bg.Problem(bg.OutcomeSpace(issues), [party])) is None
    problem = bg.Problem(
        bg.OutcomeSpace(issues[:3]),
        [party.replace(utility=bg.AdditiveUtility({k: values[k] for k in ("i0", "i1", "i2")}))],
    )
    assert bg.engine.small_space(problem).allowed == 729
    assert bg.engine.small_space(problem, memory_budget=2**16) is None
    assert bg.nash(problem, memory_budget=2**16).index == bg.nash(problem).index == 728


@given(utility_tables(min_rows=1, max_rows=150, n_parties=2), st.integers(0, 40), st.data())
def test_the_two_column_mask_judges_rounding_noise_with_the_tolerance(table, copies, data):
    """Rows equal but for a few ulps are equal; the mask is the pairwise definition on
    the tolerance ranks, at every size (the direct and the sorted paths)."""
    table = np.vstack([table, table[:copies]])
    noise = data.draw(st.lists(st.integers(-2, 2), min_size=table.size, max_size=table.size))
    noisy = table + np.array(noise).reshape(table.shape) * np.spacing(1.0)
    expected = _pairwise(bg.engine.tolerance_ranks(noisy, bg.engine.DEFAULT_UTILITY_TOLERANCE))
    assert np.array_equal(bg.engine.pareto_mask(noisy), expected)
    assert np.array_equal(bg.engine.pareto_mask(noisy), _pairwise(table))
    assert np.array_equal(bg.engine.pareto_mask(table, tol=0.0), _pairwise(table))


def _pairwise(table: np.ndarray) -> np.ndarray:
    rows = [tuple(row) for row in table]
    return np.array([not any(reference.dominates(b, a) for b in rows) for a in rows], dtype=bool)


def test_the_two_column_mask_decides_near_ties_as_the_tolerance_classes_do():
    """One sort decides a row where its gaps to the best second values are at most the
    tolerance or beyond any chain; values an ulp, a fraction of the tolerance or a chain
    of tolerance steps apart go to the classes of both columns. Either way the mask is
    the pairwise definition on the tolerance ranks (and both ways are taken)."""
    rng = np.random.default_rng(2)
    tol = bg.engine.DEFAULT_UTILITY_TOLERANCE
    paths = {"one sort": 0, "classes": 0}
    classes = bg.engine._two_column_classes

    def counted(*args):
        paths["classes"] += 1
        return classes(*args)

    with patch.object(bg.engine, "_two_column_classes", counted):
        for _ in range(400):
            m = int(rng.integers(1, 80))
            noise = rng.choice([0.0, 1e-16, 4e-10, 6e-10, 3e-9])
            rows = rng.integers(0, 5, (m, 2)) / 4 + rng.integers(-2, 3, (m, 2)) * noise
            before = paths["classes"]
            mask = bg.engine.pareto_mask(rows)
            paths["one sort"] += paths["classes"] == before
            assert np.array_equal(mask, _pairwise(bg.engine.tolerance_ranks(rows, tol)))
            assert np.array_equal(bg.engine.pareto_mask(rows, tol=0.0), _pairwise(rows))
    assert paths["one sort"] > 50 and paths["classes"] > 50
