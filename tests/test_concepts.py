"""Kalai–Smorodinsky, egalitarian (proportional) and utilitarian on discrete packages:
the reference, the axioms each satisfies, and counterexamples for those it does not."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import bargain as bg

from . import reference
from .strategies import (
    near_tie_problems,
    nonadditive_problems,
    nonnegative_powers,
    positive_powers,
    problems,
    rescaled,
    utility_tables,
)

CLASSIC = {
    "kalai_smorodinsky": bg.kalai_smorodinsky,
    "egalitarian": bg.egalitarian,
    "utilitarian": bg.utilitarian,
}


def tie_utilities(solution: bg.Solution) -> set[tuple[float, ...]]:
    return {tuple(solution.problem.utilities(i)) for i in solution.ties}


# -- the brute-force reference -------------------------------------------------------------


@given(problems())
def test_kalai_smorodinsky_equals_the_reference(problem):
    solution = bg.kalai_smorodinsky(problem)
    assert solution.ties == reference.kalai_smorodinsky(problem)
    assert solution.agreement == bool(solution.ties)


WEIGHTED_LEXIMIN = bg.Problem.from_utilities([[1.0, 2.0, 3.0], [1.0, 4.0, 1.5]])
"""With weights (1, 2, 1) both packages have smallest weighted gain 1; the second
level picks package 1 (1.5 > 1), while unweighted gains would pick package 0."""


@given(problems(), st.lists(positive_powers, min_size=4, max_size=4))
@example(WEIGHTED_LEXIMIN, [1.0, 2.0, 1.0, 1.0])
def test_egalitarian_and_proportional_equal_the_reference(problem, all_weights):
    weights = all_weights[: problem.n_parties]
    assert bg.egalitarian(problem).ties == reference.egalitarian(problem)
    assert bg.egalitarian(problem, weights=weights).ties == reference.egalitarian(problem, weights)


@given(problems())
def test_utilitarian_equals_the_reference(problem):
    assert bg.utilitarian(problem).ties == reference.utilitarian(problem)


@given(problems(), st.sampled_from(sorted(CLASSIC)), st.sampled_from([2**16, 2**20]))
def test_pruning_and_block_size_never_change_the_answer(problem, concept, budget):
    full = CLASSIC[concept](problem, prune=False, memory_budget=budget)
    assert CLASSIC[concept](problem).ties == full.ties


def test_weighted_leximin_breaks_ties_on_weighted_gains():
    assert bg.egalitarian(WEIGHTED_LEXIMIN, weights=[1, 2, 1]).index == 1
    assert bg.egalitarian(WEIGHTED_LEXIMIN).index == 0


def test_leximin_levels_compare_with_the_tie_tolerance():
    """Level 0 ties exactly (0.25); level 1 differs by rounding only (0.1 + 0.2 vs 0.3)."""
    p = bg.Problem.from_utilities([[0.25, 0.1 + 0.2], [0.25, 0.3]])
    assert 0.1 + 0.2 != 0.3
    assert bg.egalitarian(p).ties == (0, 1)
    assert bg.kalai_smorodinsky(p).ties == (0, 1)


def test_leximin_levels_beyond_max_ties_go_back_to_the_engine():
    """Party 1 gets the same gain everywhere, so the first level ties every package;
    the second level (party 2's gain) must still be found with max_ties=1."""
    table = [[1.0, float(k % 7)] for k in range(40)]
    p = bg.Problem.from_utilities(table, disagreement=[0, -1])
    assert bg.egalitarian(p, max_ties=1).ties == reference.egalitarian(p)[:1]
    assert bg.egalitarian(p).ties == reference.egalitarian(p)


# -- axioms ---------------------------------------------------------------------------------


@given(st.one_of(problems(), nonadditive_problems()), st.sampled_from(sorted(CLASSIC)))
def test_individually_rational_and_allowed(problem, concept):
    solution = CLASSIC[concept](problem)
    assert solution.agreement == bool(reference.rational(problem))
    assume(solution.agreement)
    for index in solution.ties:
        assert problem.allowed(index)
        gains = problem.utilities(index) - problem.disagreement
        assert np.all(gains > 0)


@given(st.one_of(problems(), nonadditive_problems()), st.sampled_from(sorted(CLASSIC)))
def test_pareto_optimal_among_rational_packages(problem, concept):
    """Leximin tie-breaking makes the max-min concepts Pareto optimal, not just weakly."""
    solution = CLASSIC[concept](problem)
    assume(solution.agreement)
    for chosen in tie_utilities(solution):
        for other in reference.rational(problem).values():
            assert not reference.dominates(other, chosen)


@given(utility_tables(min_rows=1, max_rows=10), st.sampled_from(sorted(CLASSIC)), st.data())
def test_symmetry_relabelling_parties_relabels_the_solution(table, concept, data):
    """Anonymity: permuting the parties permutes the chosen utility vectors."""
    n = table.shape[1]
    order = data.draw(st.permutations(range(n)))
    original = CLASSIC[concept](bg.Problem.from_utilities(table))
    permuted = CLASSIC[concept](bg.Problem.from_utilities(table[:, order]))
    assert {tuple(u[list(order)]) for u in map(np.array, tie_utilities(original))} == (
        tie_utilities(permuted)
    )


@given(nonadditive_problems(), st.sampled_from([*sorted(CLASSIC), "nash"]), st.data())
def test_symmetry_on_non_additive_problems(problem, concept, data):
    """Anonymity with interaction tables and rectangles: listing the parties (with their
    powers) in another order permutes the chosen utility vectors."""
    order = data.draw(st.permutations(range(problem.n_parties)))
    original = bg.solve(problem, concept)
    permuted = bg.solve(bg.Problem(problem.space, [problem.parties[j] for j in order]), concept)
    assert {tuple(u[list(order)]) for u in map(np.array, tie_utilities(original))} == (
        tie_utilities(permuted)
    )


def test_symmetric_problem_gives_equal_utilities():
    """On a symmetric set containing a symmetric Pareto point, every concept picks it."""
    p = bg.Problem.from_utilities([[4, 1], [1, 4], [3, 3], [2, 2]])
    for concept in CLASSIC.values():
        assert concept(p).ties == (2,)


@given(problems(), st.data())
def test_kalai_smorodinsky_is_scale_invariant(problem, data):
    j = data.draw(st.integers(0, problem.n_parties - 1))
    scale = data.draw(st.sampled_from([0.25, 0.5, 2.0, 4.0]))
    shift = data.draw(st.integers(-8, 8)) / 4
    before = bg.kalai_smorodinsky(problem)
    after = bg.kalai_smorodinsky(rescaled(problem, j, scale, shift))
    assert after.ties == before.ties
    if before.agreement:
        assert after.score == pytest.approx(before.score, abs=1e-12)


@given(nonadditive_problems())
def test_kalai_smorodinsky_is_scale_invariant_on_rectangle_utilities(problem):
    """Halving a rectangle party's utility (maximum doubled, cap and disagreement halved)."""
    parties = []
    for party in problem.parties:
        utility = party.utility
        if isinstance(utility, bg.RectangleUtility):
            utility = bg.RectangleUtility(
                utility.rectangles,
                maximum=2 * (utility.maximum or 1.0),
                cap=None if utility.cap is None else utility.cap / 2,
            )
            party = party.replace(utility=utility, disagreement=party.disagreement / 2)
        parties.append(party)
    before = bg.kalai_smorodinsky(problem)
    after = bg.kalai_smorodinsky(bg.Problem(problem.space, parties))
    assert after.ties == before.ties


def test_egalitarian_and_utilitarian_are_not_scale_invariant():
    """Doubling party 1's utilities moves both solutions (while KS and Nash stay)."""
    table = np.array([[6.0, 1.0], [3.0, 3.0], [2.0, 4.5]])
    doubled = table * [2.0, 1.0]
    p, q = bg.Problem.from_utilities(table), bg.Problem.from_utilities(doubled)
    # Egalitarian: min gains 1, 3, 2 -> package 1; doubled: 1, 3, 4 -> package 2.
    assert (bg.egalitarian(p).index, bg.egalitarian(q).index) == (1, 2)
    # Utilitarian: sums 7, 6, 6.5 -> package 0; doubled: 13, 9, 8.5 -> still 0; but
    # doubling party 2 instead (sums 8, 9, 11) -> package 2.
    r = bg.Problem.from_utilities(table * [1.0, 2.0])
    assert (bg.utilitarian(p).index, bg.utilitarian(r).index) == (0, 2)
    assert bg.kalai_smorodinsky(p).index == bg.kalai_smorodinsky(q).index
    assert bg.nash(p).index == bg.nash(q).index


def test_kalai_smorodinsky_violates_independence_of_irrelevant_alternatives():
    """S = {a=(5,5), b=(7,4), c=(1,10)}: the ideal is (7,10), the smallest normalized
    gains are 0.5, 0.4, 0.1, so KS(S) = a. Dropping c (which KS did not choose) lowers
    party 2's ideal to 5: now a scores min(5/7, 1) = 0.714 and b min(1, 0.8) = 0.8,
    so KS(S minus c) = b. Nash picks b in both (products 25, 28, 10)."""
    full = bg.Problem.from_utilities([[5, 5], [7, 4], [1, 10]])
    reduced = bg.Problem.from_utilities([[5, 5], [7, 4]])
    assert bg.kalai_smorodinsky(full).index == 0
    assert bg.kalai_smorodinsky(reduced).index == 1
    assert bg.nash(full).index == bg.nash(reduced).index == 1


@given(utility_tables(min_rows=2, max_rows=10), st.data())
def test_egalitarian_and_utilitarian_satisfy_iia(table, data):
    """Removing packages other than the chosen one does not change the choice."""
    p = bg.Problem.from_utilities(table)
    for concept in (bg.egalitarian, bg.utilitarian):
        solution = concept(p)
        assume(solution.agreement and len(solution.ties) == 1)
        keep = sorted(
            {solution.index} | set(data.draw(st.sets(st.integers(0, table.shape[0] - 1))))
        )
        smaller = concept(bg.Problem.from_utilities(table[keep]))
        assert keep[smaller.index] == solution.index


def test_proportional_gains_follow_the_weights():
    """Weights (1, 2): party 2 should gain twice what party 1 gains."""
    p = bg.Problem.from_utilities([[k, 12 - k] for k in range(13)])
    solution = bg.egalitarian(p, weights=[1, 2])
    assert solution.utilities == {"P1": 4.0, "P2": 8.0}
    assert solution.score == 4.0


def test_ideal_point_is_reported():
    p = bg.Problem.from_utilities([[6, 0.5], [1, 4], [3, 2], [4, 1]])
    assert bg.kalai_smorodinsky(p).stats["ideal"] == {"P1": 6.0, "P2": 4.0}


# -- by name and side by side ----------------------------------------------------------------


def test_every_concept_is_registered_and_solvable_by_name():
    p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])
    assert list(bg.CONCEPTS) == ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
    for name, concept in CLASSIC.items():
        assert bg.solve(p, name).ties == concept(p).ties
        assert bg.solve(p, name).concept == name
    table = str(bg.compare(p))
    for name in bg.CONCEPTS:
        assert name in table


def test_printing_a_comparison_shows_ties_no_deal_values_and_gains():
    # utilitarian ties packages 0 and 1 (5 + 1 = 3 + 3): the table once showed only one
    p = bg.Problem.from_utilities([[5, 1], [3, 3]], disagreement=[1, 0.5], names=["A", "B"])
    table = str(bg.compare(p))
    assert re.search(r"tied packages\s+-\s+1\s+1\s+1\s+2 \(below\)", table)
    assert re.search(r"utility  A\s+1\.0000\s+3\.0000", table)
    assert re.search(r"\n\s+B\s+-\s+\+2\.5000(\s+\+2\.5000){2}\s+\+0\.5000", table)
    assert "utilitarian: 2 packages tie; the table shows package 0" in table
    assert "package 1: alternative: 1" in table


def test_no_agreement_is_a_result():
    p = bg.Problem.from_utilities([[1, 0], [0, 1]], disagreement=[0.5, 0.5])
    for concept in CLASSIC.values():
        solution = concept(p)
        assert not solution.agreement
        assert solution.outcome is None
        assert solution.utilities == {"P1": 0.5, "P2": 0.5}


@pytest.mark.parametrize("concept", sorted(CLASSIC))
def test_bad_options_are_rejected(concept):
    p = bg.Problem.from_utilities([[5, 1], [1, 5]])
    with pytest.raises(bg.BargainTypeError, match="lotteries"):
        bg.solve(p, concept, lotteries="yes")
    with pytest.raises(bg.ValidationError, match="max_ties"):
        bg.solve(p, concept, max_ties=0)


def test_bad_weights_are_rejected():
    p = bg.Problem.from_utilities([[5, 1], [1, 5]])
    with pytest.raises(bg.ValidationError, match=r"weights\[1\] is 0.0"):
        bg.egalitarian(p, weights=[1, 0])
    with pytest.raises(bg.ValidationError, match="3 entries"):
        bg.egalitarian(p, weights=[1, 1, 1])
    with pytest.raises(bg.UnknownNameError, match=r"names 'P3', not one of the parties"):
        bg.egalitarian(p, weights={"P1": 1, "P2": 2, "P3": 1})
    with pytest.raises(bg.ValidationError, match=r"no entry for party 'P2'"):
        bg.egalitarian(p, weights={"P1": 1})
    with pytest.raises(bg.ValidationError, match=r"weights\[0\] is -1.0"):
        bg.egalitarian(p, weights={"P2": 1, "P1": -1})


def test_weights_by_party_name_are_the_weights_in_party_order():
    p = bg.Problem.from_utilities([[6, 1], [3, 3], [4, 2], [1, 5]], names=["A", "B"])
    by_name = bg.egalitarian(p, weights={"B": 1.0, "A": 2.0})
    in_order = bg.egalitarian(p, weights=[2.0, 1.0])
    assert (by_name.ties, by_name.score) == (in_order.ties, in_order.score) == ((2,), 2.0)


def test_unknown_concept_name_is_a_clear_error():
    p = bg.Problem.from_utilities([[5, 1], [1, 5]])
    with pytest.raises(bg.UnknownNameError, match=r"'kalai'.*egalitarian"):
        bg.solve(p, "kalai")


@given(nonadditive_problems(), st.sampled_from(["egalitarian", "utilitarian", "nash"]), st.data())
def test_iia_on_non_additive_problems(problem, concept, data):
    """Independence of irrelevant alternatives (Nash, egalitarian, utilitarian) with
    interaction tables and rectangles: taking an option the solution does not use off
    the table leaves the solution's outcome."""
    solution = bg.solve(problem, concept)
    assume(solution.agreement and len(solution.ties) == 1)
    issue = data.draw(st.sampled_from(problem.space.issues))
    unused = [o for o in issue.options if o != solution.outcome[issue.name]]
    assume(unused)
    smaller = bg.solve(problem.drop_option(issue.name, data.draw(st.sampled_from(unused))), concept)
    assert smaller.outcome == solution.outcome


def test_an_option_a_concept_does_not_take_is_named_not_a_python_type_error():
    problem = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])
    with pytest.raises(bg.UnknownNameError, match="unknown option 'foo' for concept 'nash'"):
        bg.solve(problem, "nash", foo=1)
    with pytest.raises(bg.UnknownNameError, match="'weights' for concept 'nash'"):
        bg.solve(problem, "nash", weights=[1, 2])  # (an egalitarian option)
    assert bg.solve(problem, "egalitarian", weights=[1, 2]).agreement


# -- ties that hide a real difference --------------------------------------------------------

HIDDEN = bg.Problem.from_utilities([[2e9, 3e9], [2e9, 3e9 + 1.0]])
"""Package 1 gives P2 one unit more, P1 the same: package 0 is Pareto-dominated, yet the
two tie for Nash (log products 3e-10 apart) and Kalai–Smorodinsky (normalized gains)."""


@pytest.mark.parametrize("method", ["blocks", "search"])
@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
def test_a_tie_hiding_a_real_difference_is_not_chosen_nor_listed(concept, method):
    assert bg.pareto_frontier(HIDDEN).indices.tolist() == [1]
    solution = bg.solve(HIDDEN, concept, method=method)
    assert (solution.index, solution.ties) == (1, (1,))
    assert solution.utilities == {"P1": 2e9, "P2": 3e9 + 1.0}


def test_equal_weights_of_any_size_give_the_unweighted_egalitarian_package():
    # Divided by 1e6, the two packages' smallest-but-one gains are 1e-10 apart.
    p = bg.Problem.from_utilities([[1.0, 1.0], [1.0, 1.0 + 1e-4]])
    assert bg.egalitarian(p).index == bg.egalitarian(p, weights=[1e6, 1e6]).index == 1


@given(
    st.one_of(near_tie_problems(), problems(powers=nonnegative_powers)),
    st.sampled_from(sorted(bg.CONCEPTS)),
    st.sampled_from(["blocks", "search"]),
)
def test_no_tie_is_pareto_dominated_by_a_rational_package(problem, concept, method):
    """Theorem: a package dominating a tie scores at least as well, so it is a tie too (or
    the tie is none); the tie rule drops the dominated one. Checked on large utilities
    whose ties hide real differences and with parties of power 0."""
    solution = bg.solve(problem, concept, method=method)
    assume(solution.agreement)
    rational = reference.rational(problem)
    for index in solution.ties:
        assert not any(reference.dominates(u, rational[index]) for u in rational.values())
    weights = [2e9] * problem.n_parties  # (egalitarian: gains divided by large weights)
    proportional = bg.egalitarian(problem, weights=weights, method=method)
    for index in proportional.ties:
        assert not any(reference.dominates(u, rational[index]) for u in rational.values())


@given(
    problems(powers=nonnegative_powers),
    st.sampled_from(sorted(bg.CONCEPTS)),
    st.sampled_from([0.3, 1.1]),
    st.sampled_from(["blocks", "search"]),
)
def test_wide_tie_tolerances_keep_the_undominated_ties_of_the_reference(
    problem, concept, tie_tol, method
):
    """A wide ``tie_tol`` makes packages tie that differ by a lot, dominated ones among them:
    the ties are the reference's, its tie rule included."""
    expected = {
        "nash": reference.nash,
        "kalai_smorodinsky": reference.kalai_smorodinsky,
        "egalitarian": lambda p, tol: reference.egalitarian(p, tol=tol),
        "utilitarian": reference.utilitarian,
    }[concept](problem, tie_tol)
    assert bg.solve(problem, concept, tie_tol=tie_tol, method=method).ties == expected
