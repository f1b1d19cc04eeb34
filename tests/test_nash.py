"""The Nash bargaining solution: the axioms it satisfies, closed forms, and the reference."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import bargain as bg
from bargain.criteria import Nash

from . import reference
from .strategies import nonnegative_powers, positive_powers, problems, rescaled, utility_tables


def tie_utilities(solution: bg.Solution) -> set[tuple[float, ...]]:
    problem = solution.problem
    return {tuple(problem.utilities(i)) for i in solution.ties}


@given(problems())
def test_nash_equals_the_brute_force_reference(problem):
    solution = bg.nash(problem)
    expected = reference.nash(problem)
    assert solution.ties == expected
    assert solution.agreement == bool(expected)
    if expected:
        assert solution.index == expected[0]
        assert list(solution.utilities.values()) == pytest.approx(
            reference.package_utilities(problem)[expected[0]], abs=1e-12
        )


@given(problems(powers=nonnegative_powers))
@example(bg.Problem.from_utilities([[3, 1], [3, 2], [1, 1.5]], powers=[1, 0]))
def test_nash_with_zero_powers_equals_the_reference(problem):
    """A party with power 0 only needs a positive gain; it does not weigh in the product,
    but breaks its ties (the limit of small powers), so the package is never dominated
    (the example's (3, 1) tied with (3, 2) and was chosen, until stop 25)."""
    solution = bg.nash(problem)
    assert solution.ties == reference.nash(problem)
    if solution.agreement:
        chosen = tuple(solution.utilities.values())
        assert not any(reference.dominates(u, chosen) for u in reference.rational(problem).values())


@given(problems(max_issues=4), st.sampled_from([64, 200, 1000]), st.booleans())
def test_engine_blocks_and_bounds_match_the_reference(problem, budget, prune):
    """Tiny memory budgets split even small spaces into many outer combinations,
    visited best bound first: ties across blocks must still come out complete and
    ascending (the engine is called directly to go below the public minimum budget)."""
    found = bg.engine.argmax(
        bg.engine.compile_problem(problem),
        Nash(problem.powers).value,
        memory_budget=budget,
        prune=prune,
    )
    assert tuple(found.indices.tolist()) == reference.nash_maximizers(problem)


@given(problems(), st.sampled_from([2**16, 2**20]))
def test_pruning_and_block_size_never_change_the_answer(problem, budget):
    full = bg.nash(problem, prune=False, memory_budget=budget)
    assert bg.nash(problem).ties == full.ties


@given(problems())
def test_nash_is_individually_rational(problem):
    solution = bg.nash(problem)
    assume(solution.agreement)
    for party in problem.parties:
        assert solution.utilities[party.name] > party.disagreement
    assert problem.allowed(solution.index)


@given(problems())
def test_nash_is_pareto_optimal_among_rational_packages(problem):
    solution = bg.nash(problem)
    assume(solution.agreement)
    chosen = tuple(solution.utilities.values())
    for other in reference.rational(problem).values():
        assert not reference.dominates(other, chosen)


@given(problems(), st.data())
def test_nash_is_invariant_under_positive_affine_rescaling(problem, data):
    """Rescaling u_j -> a u_j + b (and d_j alike) leaves the Nash packages unchanged."""
    j = data.draw(st.integers(0, problem.n_parties - 1))
    scale = data.draw(st.sampled_from([0.25, 0.5, 2.0, 3.0, 8.0]))
    shift = data.draw(st.integers(-8, 8)) / 4
    assert bg.nash(rescaled(problem, j, scale, shift)).ties == bg.nash(problem).ties


@given(problems(), st.randoms(use_true_random=False))
def test_reordering_parties_reorders_nothing_but_the_utilities(problem, random):
    order = list(problem.parties)
    random.shuffle(order)
    shuffled = bg.Problem(problem.space, order)
    a, b = bg.nash(problem), bg.nash(shuffled)
    assert a.ties == b.ties
    assert a.utilities == pytest.approx(b.utilities)


@given(utility_tables(n_parties=2), st.integers(0, 8).map(lambda k: k / 16))
@example(np.array([[1.0, 0.0], [0.0, 1.0]]), 0.0)
def test_symmetric_problems_have_symmetric_solution_sets(table, d):
    """Swapping two parties with equal disagreement and power maps the set of
    Nash utility vectors onto itself."""
    symmetric = np.unique(np.vstack([table, table[:, ::-1]]), axis=0)
    problem = bg.Problem.from_utilities(symmetric, disagreement=[d, d])
    solution = bg.nash(problem)
    points = tie_utilities(solution)
    assert points == {(b, a) for a, b in points}


@given(utility_tables(max_rows=10), st.data())
def test_independence_of_irrelevant_alternatives(table, data):
    """Removing packages that are not chosen keeps the chosen ones chosen."""
    problem = bg.Problem.from_utilities(table)
    solution = bg.nash(problem)
    assume(solution.agreement)
    others = [i for i in range(table.shape[0]) if i not in solution.ties]
    dropped = set(data.draw(st.lists(st.sampled_from(others), unique=True)) if others else [])
    kept = [i for i in range(table.shape[0]) if i not in dropped]
    smaller = bg.nash(bg.Problem.from_utilities(table[kept]))
    assert tuple(kept[i] for i in smaller.ties) == solution.ties


@given(problems(min_parties=2, with_red_lines=False), st.data())
def test_more_power_never_lowers_a_partys_utility(problem, data):
    j = data.draw(st.integers(0, problem.n_parties - 1))
    party = problem.parties[j]
    increase = data.draw(positive_powers)
    before = bg.nash(problem)
    after = bg.nash(problem.replace_party(party.name, power=party.power + increase))
    assert before.agreement == after.agreement
    if before.agreement:
        # Both optimal up to the tie tolerance: gain_after >= gain_before * exp(-2 tol / increase).
        slack = 2 * reference.TIE_TOL / increase
        gain_before = before.gains[party.name]
        assert after.gains[party.name] >= gain_before * np.exp(-slack)


@pytest.mark.parametrize(
    ("powers", "disagreement", "expected_share"),
    [
        ((1.0, 1.0), (0.0, 0.0), 0.5),
        ((1.0, 3.0), (0.0, 0.0), 0.25),
        ((2.0, 1.0), (0.0, 0.0), 2 / 3),
        ((1.0, 1.0), (0.25, 0.25), 0.5),
        ((1.0, 1.0), (0.5, 0.0), 0.75),
        ((3.0, 1.0), (0.0, 0.5), 0.375),
    ],
)
def test_dividing_a_pie_matches_the_closed_form(powers, disagreement, expected_share):
    """Split x, 1 - x with powers (a, b), disagreement (d1, d2): maximizing
    a log(x - d1) + b log(1 - x - d2) gives x = d1 + a / (a + b) (1 - d1 - d2)."""
    a, b = powers
    d1, d2 = disagreement
    assert expected_share == pytest.approx(d1 + a / (a + b) * (1 - d1 - d2), abs=1e-15)
    grid = np.linspace(0.0, 1.0, 97)  # contains every expected share above exactly
    problem = bg.Problem.from_utilities(
        np.column_stack([grid, 1 - grid]), disagreement=disagreement, powers=powers
    )
    solution = bg.nash(problem)
    assert solution.utilities["P1"] == pytest.approx(expected_share, abs=1e-12)
    assert solution.ties == (solution.index,)


def test_three_way_split_gives_shares_proportional_to_power():
    """With n parties dividing a unit pie from d = 0, the asymmetric Nash
    shares are p_j / sum(p): here 1/6, 2/6, 3/6."""
    steps = 12
    rows = [
        (i / steps, j / steps, (steps - i - j) / steps)
        for i in range(steps + 1)
        for j in range(steps + 1 - i)
    ]
    problem = bg.Problem.from_utilities(rows, powers=[1, 2, 3])
    solution = bg.nash(problem)
    assert list(solution.utilities.values()) == pytest.approx([1 / 6, 2 / 6, 3 / 6], abs=1e-12)


def test_logrolling_each_party_wins_the_issue_it_cares_about_most():
    """Two issues, two options each; A weights issue x at 0.8, B weights y at 0.8.
    Gains (d = 0): trading gives (0.8, 0.8), product 0.64, beating any other package."""
    space = bg.OutcomeSpace(
        [bg.Issue("x", ["A wins", "B wins"]), bg.Issue("y", ["A wins", "B wins"])]
    )
    a = bg.Party("A", bg.AdditiveUtility({"x": [1, 0], "y": [1, 0]}, {"x": 0.8, "y": 0.2}))
    b = bg.Party("B", bg.AdditiveUtility({"x": [0, 1], "y": [0, 1]}, {"x": 0.2, "y": 0.8}))
    solution = bg.nash(bg.Problem(space, [a, b]))
    assert solution.outcome == {"x": "A wins", "y": "B wins"}
    assert solution.score == pytest.approx(np.log(0.64), abs=1e-12)


def test_no_deal_is_a_result_not_an_error():
    problem = bg.Problem.from_utilities([[1, 1], [2, 0]], disagreement=[1.5, 1.5])
    solution = bg.nash(problem)
    assert not solution.agreement
    assert solution.outcome is None and solution.index is None and solution.ties == ()
    assert solution.utilities == {"P1": 1.5, "P2": 1.5}
    assert "no agreement" in str(solution)


def test_disagreement_is_used_as_given_not_clamped():
    """d below every utility changes the answer; a clamping solver would not see it."""
    rows = [[1.0, 4.0], [2.0, 2.5], [3.0, 1.0]]
    low = bg.nash(bg.Problem.from_utilities(rows, disagreement=[0.0, 0.0]))
    lower = bg.nash(bg.Problem.from_utilities(rows, disagreement=[-10.0, 0.0]))
    assert low.index == 1  # products 4, 5, 3
    assert lower.index == 0  # products 44, 30, 13


def test_red_lines_exclude_packages_for_everyone():
    space = bg.OutcomeSpace(
        [bg.Issue("nato", ["member", "neutral"]), bg.Issue("aid", ["yes", "no"])]
    )
    ukraine = bg.Party("Ukraine", bg.AdditiveUtility({"nato": [1, 0], "aid": [1, 0]}))
    russia = bg.Party(
        "Russia",
        bg.AdditiveUtility({"nato": [0, 1], "aid": [0, 1]}, {"nato": 3, "aid": 1}),
        disagreement=-1,
        red_lines=[{"nato": "member", "aid": "yes"}],
    )
    problem = bg.Problem(space, [ukraine, russia])
    assert not problem.allowed(0)
    solution = bg.nash(problem)
    assert solution.ties == reference.nash(problem)
    assert solution.outcome != {"nato": "member", "aid": "yes"}


@pytest.mark.parametrize(
    ("red_lines", "max_ties"),
    [
        ([], 10),
        # Linking issues 0 and 2 makes the scan order differ from index order.
        ([{"i0": "a", "i2": "a"}], 300),
    ],
)
def test_every_package_tying_is_reported_and_capped(red_lines, max_ties):
    # 4^7 = 16384 ties overflow the engine's first-pass list: the second pass collects them.
    space = bg.OutcomeSpace([bg.Issue(f"i{k}", ["a", "b", "c", "d"]) for k in range(7)])
    same = bg.AdditiveUtility({issue.name: [1, 1, 1, 1] for issue in space.issues})
    problem = bg.Problem(space, [bg.Party("A", same, red_lines=red_lines), bg.Party("B", same)])
    lowest = tuple(i for i in range(space.size) if problem.allowed(i))[:max_ties]
    solution = bg.nash(problem, max_ties=max_ties)
    assert solution.ties == lowest
    assert solution.ties_truncated
    assert solution.index == lowest[0]


def test_engine_matches_reference_on_random_floats_with_tiny_blocks():
    """Rounding noise and many tiny blocks (the engine is called directly to go
    below the public minimum budget)."""
    rng = np.random.default_rng(7)
    for trial in range(20):
        sizes = rng.integers(1, 6, size=rng.integers(1, 5))
        space = bg.OutcomeSpace(
            [bg.Issue(f"i{k}", [f"o{j}" for j in range(s)]) for k, s in enumerate(sizes)]
        )
        parties = []
        for j in range(rng.integers(1, 5)):
            values = {issue.name: rng.random(len(issue)) for issue in space.issues}
            weights = dict(zip(values, rng.dirichlet(np.ones(len(values)))))
            parties.append(
                bg.Party(
                    f"p{j}",
                    bg.AdditiveUtility(values, weights),
                    rng.random() * 0.6,
                    power=0.5 + rng.random(),
                )
            )
        problem = bg.Problem(space, parties)
        compiled = bg.engine.compile_problem(problem)
        for budget, prune in itertools.product([64, 400, 2**20], [True, False]):
            found = bg.engine.argmax(
                compiled,
                Nash(problem.powers).value,
                memory_budget=budget,
                prune=prune,
            )
            assert tuple(found.indices) == reference.nash_maximizers(problem), (
                trial,
                budget,
                prune,
            )


def test_rounding_noise_does_not_break_ties():
    """0.1 + 0.2 and 0.3 differ by one ulp: the tie tolerance makes them tie."""
    space = bg.OutcomeSpace([bg.Issue("x", ["a", "b"]), bg.Issue("y", ["c", "d"])])
    a = bg.Party("A", bg.AdditiveUtility({"x": [0.1, 0.3], "y": [0.2, 0.0]}))
    b = bg.Party(
        "B",
        bg.AdditiveUtility({"x": [0.0, 0.0], "y": [0.0, 0.0]}),
        disagreement=-1,
        red_lines=[{"x": "b", "y": "c"}],
    )
    solution = bg.nash(bg.Problem(space, [a, b]))
    assert 0.1 + 0.2 != 0.3
    assert solution.ties == (0, 3)


def test_red_lines_linking_too_many_issues_are_refused_with_a_clear_error():
    space = bg.OutcomeSpace([bg.Issue(f"i{k}", [str(j) for j in range(10)]) for k in range(4)])
    values = {issue.name: list(range(10)) for issue in space.issues}
    rule = {issue.name: "0" for issue in space.issues}
    party = bg.Party("A", bg.AdditiveUtility(values), red_lines=[rule])
    with pytest.raises(bg.SolverError, match="red lines link issues"):
        bg.engine.compile_problem(bg.Problem(space, [party]), memory_budget=2**16)


def test_ties_found_out_of_order_are_reported_ascending():
    """Outer option b has the better bound (log 4 against log 3) and is scanned
    first, but the tie (a, y1) has the lower index: the tie list is sorted."""
    space = bg.OutcomeSpace([bg.Issue("x", ["a", "b"]), bg.Issue("y", ["y0", "y1"])])
    one = bg.Party("one", bg.AdditiveUtility({"x": [2, 1], "y": [1, 0]}))
    two = bg.Party("two", bg.AdditiveUtility({"x": [0, 1], "y": [0, 1]}))
    problem = bg.Problem(space, [one, two])
    assert reference.nash(problem) == (1, 2, 3)
    found = bg.engine.argmax(
        bg.engine.compile_problem(problem),
        Nash(problem.powers).value,
        memory_budget=200,
    )
    assert found.indices.tolist() == [1, 2, 3]
    assert bg.nash(problem).ties == (1, 2, 3)


def test_a_party_left_exactly_at_disagreement_has_no_agreement():
    """Strict individual rationality, even for a party with power 0."""
    assert bg.nash(bg.Problem.from_utilities([[0, 1], [1, 1]], powers=[0, 1])).ties == (1,)
    assert not bg.nash(bg.Problem.from_utilities([[0, 1]])).agreement


@pytest.mark.parametrize("method", ["blocks", "search"])
def test_a_tiny_power_is_no_excuse_for_a_dominated_package(method):
    """With power 1e-12, P2's gain of 5 against 1 moves the log product by 1.6e-12, within
    the tie tolerance: the two tie, and the tie rule keeps the one that dominates (as with
    power 0, where the zero-power step decides)."""
    for power in (0.0, 1e-12):
        p = bg.Problem.from_utilities([[2.0, 1.0], [2.0, 5.0]], powers=[1.0, power])
        assert bg.nash(p, method=method).ties == (1,)
