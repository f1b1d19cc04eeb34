"""The branch and bound finds exactly what exhaustive search finds, ties included,
on spaces of any size, and its budgets stop it with a proven gap."""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import bargain as bg
from bargain import milp, search
from bargain.criteria import Linear, MaxMin, Nash
from bargain.search import best_search

from . import reference
from .strategies import nonnegative_powers, problems


def uniform_problem(n_parties, n_issues, n_options, value=1.0, disagreement=0.0):
    """Every party values every option of every issue the same: every package ties."""
    space = bg.OutcomeSpace(
        [bg.Issue(f"i{k}", [f"o{j}" for j in range(n_options)]) for k in range(n_issues)]
    )
    utility = bg.AdditiveUtility({issue.name: [value] * n_options for issue in space.issues})
    return bg.Problem(space, [bg.Party(f"p{j}", utility, disagreement) for j in range(n_parties)])


@given(problems(max_issues=4, powers=nonnegative_powers))
@example(uniform_problem(2, 3, 2))
@example(uniform_problem(3, 2, 3, value=0.0, disagreement=-1.0))
def test_search_equals_the_brute_force_reference(problem):
    solution = bg.nash(problem, method="search")
    expected = reference.nash(problem)
    assert solution.ties == expected
    assert solution.agreement == bool(expected)
    assert solution.optimal and solution.gap == 0.0
    if expected:
        assert list(solution.utilities.values()) == pytest.approx(
            reference.package_utilities(problem)[expected[0]], abs=1e-12
        )


@given(
    problems(max_issues=5, powers=nonnegative_powers),
    st.integers(1, 3),
    st.sampled_from([1, 3, 16]),
)
@example(uniform_problem(2, 4, 3), 2, 1)
def test_the_tree_search_equals_the_reference_for_any_leaf_block(problem, max_ties, leaf_target):
    """Small leaf blocks make the search branch on every factor."""
    assert_tree_search_lists(
        problem, Nash(problem.powers), reference.nash_maximizers(problem), max_ties, leaf_target
    )


@given(
    problems(max_issues=5, powers=nonnegative_powers),
    st.sampled_from(["nash", "utilitarian", "max-min"]),
    st.sampled_from([1, 3, 16]),
    st.data(),
)
def test_the_search_from_any_rational_package_equals_exhaustive_scoring(
    problem, kind, leaf_target, data
):
    """Started from a given package in place of the heuristic's (``from_package``, what
    the ``start`` option hands over), good or poor, the search lists the same ties; and
    every concept with ``start`` equals brute force."""
    rational = reference.rational(problem)
    if not rational:
        return
    start = data.draw(st.sampled_from(sorted(rational)), label="start")
    n = problem.n_parties
    criterion = {
        "nash": Nash(problem.powers),
        "utilitarian": Linear(np.ones(n)),
        "max-min": MaxMin(np.ones(n)),
    }[kind]
    compiled = bg.engine.compiled(problem, loose=True)
    expected = bg.engine.argmax(compiled, criterion.value, tie_tol=1e-9)
    gains = np.array(rational[start]) - problem.disagreement
    found = best_search(
        compiled, criterion, tie_tol=1e-9, leaf_target=leaf_target, from_package=(start, gains)
    )
    assert found.optimal and found.indices.tolist() == expected.indices.tolist()
    concept = {"nash": "nash", "utilitarian": "utilitarian", "max-min": "egalitarian"}[kind]
    solution = bg.solve(problem, concept, method="search", start=start)
    assert solution.ties == getattr(reference, concept)(problem)


def assert_tree_search_lists(problem, criterion, expected, max_ties, leaf_target):
    """The search with leaf blocks of ``leaf_target`` packages lists the first ``max_ties``
    of ``expected`` (every tie, ascending), says whether it cut the list, and is proven."""
    found = best_search(
        bg.engine.compiled(problem, loose=True),
        criterion,
        max_ties=max_ties,
        leaf_target=leaf_target,
    )
    assert tuple(found.indices) == tuple(expected[:max_ties])
    assert found.truncated == (len(expected) > max_ties)
    assert found.optimal


@given(
    problems(min_parties=search.REPRICE_PARTIES[MaxMin], max_parties=8, max_issues=5),
    st.lists(st.sampled_from([0.5, 1.0, 3.0]), min_size=8, max_size=8),
    st.integers(1, 3),
    st.sampled_from([1, 3, 16]),
)
@example(uniform_problem(search.REPRICE_PARTIES[MaxMin], 4, 3), [1.0] * 8, 2, 1)
def test_max_min_prices_re_optimized_per_node_keep_the_optimum_and_its_ties(
    problem, weights, max_ties, leaf_target
):
    """With this many parties every node re-optimizes its prices (:class:`_Repricing`):
    the bound must stay above every package below, ties included."""
    scale = np.array(weights[: problem.n_parties])
    d = problem.disagreement
    scores = {
        index: min((u - dj) / s for u, dj, s in zip(utilities, d, scale))
        for index, utilities in reference.rational(problem).items()
    }
    best = max(scores.values(), default=-math.inf)
    expected = sorted(i for i, s in scores.items() if s >= best - reference.TIE_TOL)
    assert_tree_search_lists(problem, MaxMin(scale), expected, max_ties, leaf_target)


@given(
    problems(min_parties=search.REPRICE_PARTIES[Nash], max_parties=8, powers=nonnegative_powers),
    st.integers(1, 3),
    st.sampled_from([1, 3, 16]),
)
@example(uniform_problem(search.REPRICE_PARTIES[Nash], 3, 3), 2, 1)
def test_nash_tangents_re_optimized_per_node_keep_the_optimum_and_its_ties(
    problem, max_ties, leaf_target
):
    """With this many parties every node re-optimizes Nash's tangent slopes."""
    assert_tree_search_lists(
        problem, Nash(problem.powers), reference.nash_maximizers(problem), max_ties, leaf_target
    )


@given(problems(max_issues=4, max_options=5, powers=nonnegative_powers), st.integers(1, 3))
def test_search_equals_blocks_with_few_ties_kept(problem, max_ties):
    blocks = bg.nash(problem, method="blocks", max_ties=max_ties)
    searched = bg.nash(problem, method="search", max_ties=max_ties)
    assert searched.ties == blocks.ties
    assert searched.ties_truncated == blocks.ties_truncated
    assert searched.score == pytest.approx(blocks.score, abs=1e-12)


@pytest.mark.parametrize("quantile", [0.0, 0.5, 0.8, 0.9])
@pytest.mark.parametrize("n_parties", [1, 2, 4])
def test_search_equals_blocks_on_random_floats(n_parties, quantile):
    for seed in range(3):
        problem = bg.random_problem(n_parties, 5, 6, quantile=quantile, rng=seed)
        blocks = bg.nash(problem, method="blocks")
        searched = bg.nash(problem, method="search")
        assert searched.ties == blocks.ties, seed
        assert searched.stats["method"] == "search"


@pytest.mark.parametrize("quantile", [0.5, 0.75, 0.85])
def test_search_equals_blocks_on_a_hundred_thousand_packages(quantile):
    problem = bg.random_problem(4, 5, 10, quantile=quantile, rng=11)
    blocks = bg.nash(problem, method="blocks")
    searched = bg.nash(problem, method="search")
    assert searched.ties == blocks.ties
    assert searched.score == pytest.approx(blocks.score, abs=1e-12)


def test_auto_searches_large_spaces_and_scores_small_ones_in_blocks():
    assert bg.nash(bg.random_problem(3, 3, 10, quantile=0.5, rng=0)).stats["method"] == "blocks"
    large = bg.random_problem(3, 6, 10, quantile=0.5, rng=0)
    solution = bg.nash(large)
    assert solution.stats["method"] == "search"
    assert solution.ties == bg.nash(large, method="blocks").ties


def test_identical_parties_and_zero_weights():
    problem = bg.random_problem(1, 5, 5, quantile=0.5, rng=3)
    party = problem.parties[0]
    twins = bg.Problem(problem.space, [party, party.replace(name="twin")])
    assert bg.nash(twins, method="search").ties == bg.nash(twins, method="blocks").ties
    weights = dict.fromkeys(party.utility.weights, 0.0)
    flat_utility = bg.AdditiveUtility(party.utility.values, weights)
    flat = party.replace(name="flat", utility=flat_utility, disagreement=-1)
    with_flat = bg.Problem(problem.space, [party, flat])
    assert bg.nash(with_flat, method="search").ties == bg.nash(with_flat, method="blocks").ties


def test_red_lines_excluding_everything_mean_no_agreement():
    space = bg.OutcomeSpace([bg.Issue("a", ["x", "y"]), bg.Issue("b", ["p", "q"])])
    utility = bg.AdditiveUtility({"a": [1, 2], "b": [1, 2]})
    party = bg.Party("A", utility, red_lines=[{"a": "x"}, {"a": "y", "b": ["p", "q"]}])
    solution = bg.nash(bg.Problem(space, [party]), method="search")
    assert not solution.agreement and solution.optimal and solution.ties == ()


def test_all_equal_values_on_a_trillion_packages_list_the_lowest_ties_fast():
    problem = uniform_problem(3, 12, 10)
    solution = bg.nash(problem, max_ties=50)
    assert solution.stats["method"] == "search"
    assert solution.ties == tuple(range(50))
    assert solution.ties_truncated and solution.optimal
    assert solution.stats["nodes"] < 2000


def test_dont_care_issues_give_many_ties_in_index_order():
    """Nobody cares about the last 9 issues: the optimum of the first 3 ties 10^9 ways."""
    base = bg.random_problem(2, 3, 10, quantile=0.5, rng=1, powers=None)
    issues = [*base.space.issues, *(bg.Issue(f"x{k}", ["a", "b", "c"]) for k in range(9))]
    space = bg.OutcomeSpace(issues)
    parties = []
    for party in base.parties:
        values = dict(party.utility.values)
        weights = dict(party.utility.weights)
        for issue in issues[3:]:
            values[issue.name], weights[issue.name] = [0.5, 0.5, 0.5], 1.0
        parties.append(party.replace(utility=bg.AdditiveUtility(values, weights)))
    problem = bg.Problem(space, parties)
    solution = bg.nash(problem, max_ties=20)
    best = bg.nash(base)
    assert solution.ties == tuple(best.index * 3**9 + k for k in range(20))
    assert solution.ties_truncated


def test_thirty_issues_give_exact_python_int_indices():
    problem = bg.random_problem(3, 30, 10, quantile=0.5, rng=0)
    solution = bg.nash(problem)
    assert isinstance(solution.index, int) and solution.index >= 2**63
    assert list(solution.utilities.values()) == pytest.approx(
        problem.utilities(solution.index), abs=1e-12
    )
    with pytest.raises(bg.ValidationError, match="2\\*\\*63"):
        bg.nash(problem, method="blocks")


@pytest.mark.parametrize("budget", [{"node_budget": 1}, {"node_budget": 5}, {"time_budget": 0.0}])
def test_a_budget_stops_the_search_with_a_proven_gap(budget):
    for seed in range(4):
        problem = bg.random_problem(4, 6, 8, quantile=0.85, rng=seed)
        exact = bg.nash(problem, method="blocks")
        stopped = bg.nash(problem, method="search", **budget)
        if stopped.optimal:
            assert stopped.ties == exact.ties
            continue
        assert stopped.gap >= 0
        if stopped.agreement:
            assert exact.score <= stopped.score + stopped.gap + 1e-9
            assert stopped.score <= exact.score + 1e-9
            assert problem.utilities(stopped.index) == pytest.approx(
                list(stopped.utilities.values())
            )
        else:
            assert stopped.gap == math.inf


def test_the_gap_is_proven_when_the_heuristic_incumbent_is_all_there_is():
    problem = bg.random_problem(4, 8, 6, quantile=0.6, rng=2)
    stopped = bg.nash(problem, node_budget=1)
    exact = bg.nash(problem)
    assert exact.optimal and exact.agreement
    assert not stopped.optimal and stopped.gap > 0.1
    assert stopped.score - 1e-12 <= exact.score <= stopped.score + stopped.gap + 1e-12


def test_a_max_min_search_finds_an_incumbent_where_the_heuristic_finds_none():
    # Just below the feasibility threshold (4 x 8 x 10: threshold 0.6175) the heuristic's
    # local search finds no rational package; the short max-min search does, within the
    # node budget (Nash's own bounds alone find none in 10 nodes).
    problem = bg.random_problem(4, 8, 10, quantile=0.6165, rng=1)
    compiled = bg.engine.compiled(problem, loose=True)
    stopped = best_search(compiled, Nash(problem.powers), node_budget=10)
    exact = bg.nash(problem)
    assert exact.optimal and stopped.found and stopped.nodes <= 10
    assert np.all(stopped.gains[:, 0] > 0)
    assert stopped.score - 1e-9 <= exact.score <= stopped.score + stopped.gap + 1e-9


@pytest.mark.parametrize("concept", ["egalitarian", "kalai_smorodinsky"])
def test_a_max_min_search_proves_at_once_that_no_package_is_rational(concept):
    """Above the feasibility threshold (8 x 20 x 10 at quantile 0.72) no package is
    rational. A max-min search with no incumbent had no floor, so no bound pruned: 50,000
    nodes, then HiGHS (21 s), where Nash proved it in one node. A rational package's
    max-min is positive, so 0 is its floor."""
    problem = bg.random_problem(8, 20, 10, quantile=0.72, rng=6)
    solution = bg.solve(problem, concept, method="search")
    assert not solution.agreement and solution.optimal and solution.score == -math.inf
    # (Kalai–Smorodinsky: one party's best gain proves it, not all eight, 9 nodes before)
    assert solution.stats["method"] == "search" and solution.stats["nodes"] <= 2


def test_pricing_the_others_rationality_lets_the_search_prove_one_partys_best_gain(
    monkeypatch,
):
    # Party 1's best packages leave party 0 below its disagreement point: the plain bound
    # (party 1's best gain over every package, rational or not) stays above the optimum
    # for 20,000 nodes; priced for party 0's rationality it closes in a few hundred.
    problem = bg.random_problem(2, 30, 10, rng=1)
    compiled = bg.engine.compiled(problem, loose=True)
    criterion = Linear(np.array([0.0, 1.0]))
    found = best_search(compiled, criterion, node_budget=2000)
    score, listed, *_ = milp.solve(compiled, criterion, tie_tol=0.0, max_ties=1)
    assert found.optimal and found.nodes < 1000
    assert list(found.indices) == [listed[0][0]]
    assert found.score == pytest.approx(score, abs=1e-12)
    monkeypatch.setattr(search, "_rationality_multipliers", lambda model, lam: None)
    unpriced = best_search(compiled, criterion, node_budget=20000)
    assert not unpriced.optimal and unpriced.gap > 1e-3


def test_progress_is_reported():
    reports = []
    bg.nash(bg.random_problem(3, 8, 10, quantile=0.5, rng=0), progress=reports.append)
    assert reports
    assert set(reports[-1]) == {"nodes", "leaves", "scored", "best", "bound", "elapsed"}
    assert reports[-1]["nodes"] >= 1
    assert reports[-1]["bound"] >= reports[-1]["best"]


def test_the_engine_contract_is_kept():
    problem = bg.random_problem(2, 4, 5, quantile=0.3, rng=4)
    compiled = bg.engine.compiled(problem)
    found = best_search(compiled, Nash(problem.powers), max_ties=3)
    exhaustive = bg.engine.argmax(compiled, Nash(problem.powers).value, max_ties=3)
    assert [int(i) for i in found.indices] == exhaustive.indices.tolist()
    assert np.allclose(found.gains, exhaustive.gains)
    assert found.truncated == exhaustive.truncated


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"method": "fastest"}, bg.UnknownNameError),
        ({"method": 3}, bg.BargainTypeError),
        ({"time_budget": -1.0}, bg.ValidationError),
        ({"node_budget": 0}, bg.ValidationError),
        ({"node_budget": 2.5}, bg.BargainTypeError),
        ({"progress": "print"}, bg.BargainTypeError),
        ({"method": "blocks", "node_budget": 10}, bg.ValidationError),
        ({"method": "search", "prune": False}, bg.ValidationError),
    ],
)
def test_bad_search_options_are_rejected_by_name(options, error):
    with pytest.raises(error, match="nash: "):
        bg.nash(bg.random_problem(2, 2, 3, quantile=0.5, rng=0), **options)


@pytest.mark.parametrize("n_parties", [2, 3, 4])
def test_the_grid_thinned_pareto_mask_keeps_exactly_the_frontier(n_parties):
    """Above PARETO_GRID_ABOVE rows a grid removes dominated rows first; with many
    equal coordinates (values on a coarse grid) and duplicate rows it must
    still agree with the pairwise definition."""
    rng = np.random.default_rng(n_parties)
    points = rng.integers(0, 40, size=(3000, n_parties)) / 8.0
    points = np.vstack([points, points[:50]])
    assert points.shape[0] > bg.engine.PARETO_GRID_ABOVE
    mask = bg.engine.pareto_mask(points)
    geq = np.all(points[None, :, :] >= points[:, None, :], axis=2)
    gt = np.any(points[None, :, :] > points[:, None, :], axis=2)
    assert np.array_equal(mask, ~np.any(geq & gt, axis=1))


def test_frontier_indices_are_exact_on_spaces_beyond_int64():
    problem = bg.random_problem(2, 25, 10, quantile=0.6, rng=5)
    front = bg.pareto_frontier(problem)
    assert front.indices.dtype == object and len(front) > 0
    assert max(front.indices) >= 2**63
    for index, row in zip(front.indices[:20], front.utilities[:20]):
        assert row == pytest.approx(problem.utilities(index), abs=1e-12)
    assert bg.nash(problem).index in set(front.indices.tolist())


def test_a_leximin_level_search_computes_no_nan():
    """A Level whose floors the starting package fails scores it -inf; the local search's
    comparison with a slack must not turn -inf + inf into NaN (it warned, and the NaN
    compared false, so no better package was ever taken)."""
    import warnings

    from bargain.criteria import Level, MaxMin

    problem = bg.random_problem(3, 7, 4, rng=0)
    compiled = bg.engine.compiled(problem, loose=True)
    level0 = best_search(compiled, MaxMin(np.ones(3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        found = best_search(compiled, Level(np.ones(3), 1, (level0.score - 1e-9,)))
    expected = bg.egalitarian(problem, method="blocks")
    assert int(found.indices[0]) == expected.index


@given(problems(max_issues=4), st.sampled_from([1, 3, 1024]))
def test_without_the_heuristic_the_floored_max_min_search_finds_a_rational_package_iff_one_exists(
    problem, leaf_target
):
    """With the heuristic finding nothing, the search for a rational package (max-min with
    0 as its floor, :func:`search._rational`) must neither prune a rational package nor
    prove "no deal" wrongly: Nash equals brute force, no agreement included."""
    original = search._incumbent
    search._incumbent = lambda model, criterion, scale: None
    try:
        found = best_search(
            bg.engine.compiled(problem, loose=True), Nash(problem.powers), leaf_target=leaf_target
        )
    finally:
        search._incumbent = original
    expected = reference.nash_maximizers(problem)
    assert found.optimal
    assert tuple(found.indices) == tuple(expected[: len(found.indices)])
    assert found.found == bool(expected)


@given(
    problems(min_parties=search.REPRICE_PARTIES[Linear], max_parties=8, max_issues=5),
    st.data(),
    st.integers(1, 3),
    st.sampled_from([1, 3, 16]),
)
@example(uniform_problem(search.REPRICE_PARTIES[Linear], 4, 3), None, 2, 1)
def test_rationality_multipliers_re_optimized_per_node_keep_the_optimum_and_its_ties(
    problem, data, max_ties, leaf_target
):
    """With this many parties every node re-optimizes a linear form's rationality
    multipliers (one party's best gain, the utilitarian sum) where the root's are not zero;
    any ``nu >= 0`` gives a valid bound, so the root's are made nonzero here, for every
    problem to exercise the re-optimized bounds."""
    n = problem.n_parties
    weights = np.ones(n)
    if data is not None:
        weights = (
            np.eye(n)[data.draw(st.integers(0, n - 1))] if data.draw(st.booleans()) else weights
        )
    d = problem.disagreement
    scores = {
        index: float(weights @ (np.array(utilities) - d))
        for index, utilities in reference.rational(problem).items()
    }
    best = max(scores.values(), default=-math.inf)
    expected = sorted(i for i, s in scores.items() if s >= best - reference.TIE_TOL)
    original = search._rationality_multipliers

    def nonzero(model, lam):
        nu = original(model, lam)
        return np.full(lam.size, 0.25) if nu is None else nu

    with mock.patch.object(search, "_rationality_multipliers", nonzero):
        assert_tree_search_lists(problem, Linear(weights), expected, max_ties, leaf_target)


def test_the_search_dives_one_node_at_a_time_until_it_knows_a_package():
    """Nodes of one depth are expanded in batches (:data:`search.BATCH_NODES`) only once a
    package is known: a batch is a beam, and near the feasibility threshold (here 8 parties x
    20 issues, 0.001 below it) a beam of 32 found no rational package within the search's
    :data:`search.RATIONAL_NODES`, and ``bg.nash`` handed the problem to HiGHS (18 s, where
    the dive proves it within 1 s)."""
    problem = bg.random_problem(8, 20, 10, quantile=0.7085, rng=1)
    compiled = bg.engine.compiled(problem, loose=True)
    assert search.incumbent(compiled, Nash(problem.powers)) is None  # (the heuristic's none)
    found = best_search(
        compiled,
        MaxMin(search._spans(compiled)),
        max_ties=1,
        node_budget=search.RATIONAL_NODES,
        known=0.0,
        price_step=search.RATIONAL_PRICE_STEP,
    )
    assert found.found
