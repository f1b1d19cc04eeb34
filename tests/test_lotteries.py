"""Every concept over lotteries of packages: exact against dense programs over every
package, never worse than the best single package, small support, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bargain as bg

from . import reference
from .strategies import problems

CONCEPTS = sorted(bg.CONCEPTS)


def assert_lottery(solution: bg.Solution, expected: tuple[tuple[int, float], ...]) -> None:
    assert [index for index, _ in solution.lottery] == [index for index, _ in expected]
    assert [p for _, p in solution.lottery] == pytest.approx([p for _, p in expected], abs=1e-9)


def criterion(solution: bg.Solution, utilities: np.ndarray) -> float:
    """The concept's own objective at a utility vector (KS with the solution's ideal)."""
    problem = solution.problem
    gains = utilities - problem.disagreement
    if np.any(gains < -1e-9):  # the closed individual rationality, to LP tolerance
        return -math.inf
    gains = np.maximum(gains, 0.0)
    if solution.concept == "nash":
        return float(sum(p * math.log(g) for p, g in zip(problem.powers, gains) if p))
    if solution.concept == "egalitarian":
        return float(gains.min())
    if solution.concept == "utilitarian":
        return float(utilities.sum())
    ideal = np.array(list(solution.stats["ideal"].values()))
    return float(np.min(gains / (ideal - problem.disagreement)))


@given(problems(), st.sampled_from(CONCEPTS))
def test_a_lottery_is_never_worse_than_the_best_single_package(problem, concept):
    lottery = bg.solve(problem, concept, lotteries=True)
    singles = reference.rational(problem)
    if singles:
        assert lottery.agreement
    assume(lottery.agreement)
    best_single = (
        max(criterion(lottery, np.array(u)) for u in singles.values()) if singles else None
    )
    if best_single is not None:
        assert lottery.score >= best_single
    assert lottery.score == pytest.approx(
        criterion(lottery, np.array(list(lottery.utilities.values()))), abs=1e-9
    )


@given(problems(max_parties=3), st.sampled_from(CONCEPTS))
def test_lottery_optimum_equals_dense_programs_over_every_package(problem, concept):
    assume(all(party.power > 0 for party in problem.parties))
    expected = reference.lottery_optimum(problem, concept)
    lottery = bg.solve(problem, concept, lotteries=True)
    assert lottery.agreement == (expected is not None)
    if expected is not None and concept == "nash":
        lower, upper = expected
        slack = 1e-9 * (1 + abs(lower))
        assert lower - slack <= lottery.score <= upper + slack
    elif expected is not None:
        assert lottery.score == pytest.approx(expected, rel=1e-6, abs=1e-7)
    if expected is not None:
        assert lottery.optimal


@given(problems(), st.sampled_from(CONCEPTS))
def test_a_lottery_is_a_probability_distribution_over_allowed_packages(problem, concept):
    lottery = bg.solve(problem, concept, lotteries=True)
    assume(lottery.agreement)
    indices = [index for index, _ in lottery.lottery]
    probabilities = np.array([p for _, p in lottery.lottery])
    assert indices == sorted(set(indices))
    assert np.all(probabilities > 0)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-12)
    assert len(indices) <= problem.n_parties
    assert all(problem.allowed(i) for i in indices)
    expected = sum(p * problem.utilities(i) for i, p in lottery.lottery)
    assert list(lottery.utilities.values()) == pytest.approx(list(expected), abs=1e-12)
    assert np.all(expected - problem.disagreement >= -1e-9)
    most_probable = max(lottery.lottery, key=lambda item: (item[1], -item[0]))[0]
    assert lottery.index == most_probable


def test_the_issue_example():
    """Nash over lotteries of (5,1), (1,5), (2,2): a fair coin between the first two,
    expected utilities (3,3), product 9 against 5 for the best single package."""
    p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]], disagreement=[0, 0])
    lot = bg.nash(p, lotteries=True)
    assert_lottery(lot, ((0, 0.5), (1, 0.5)))
    assert list(lot.utilities.values()) == pytest.approx([3.0, 3.0], abs=1e-9)
    assert lot.score == pytest.approx(math.log(9.0), abs=1e-9)
    assert bg.nash(p).score == pytest.approx(math.log(5.0))


@pytest.mark.parametrize("concept", CONCEPTS)
def test_a_lottery_can_be_rational_where_no_package_is(concept):
    """Packages (2,-1) and (-1,2) each leave a party below 0; a fair coin gives (0.5,0.5)."""
    p = bg.Problem.from_utilities([[2, -1], [-1, 2]])
    assert not bg.solve(p, concept).agreement
    lot = bg.solve(p, concept, lotteries=True)
    assert lot.agreement
    assert_lottery(lot, ((0, 0.5), (1, 0.5)))
    assert list(lot.utilities.values()) == pytest.approx([0.5, 0.5], abs=1e-9)


@pytest.mark.parametrize("concept", CONCEPTS)
def test_no_rational_lottery_is_no_agreement(concept):
    """(1,0) and (0,1) with disagreement (0.5,0.5): the best lottery only reaches it."""
    p = bg.Problem.from_utilities([[1, 0], [0, 1]], disagreement=[0.5, 0.5])
    lot = bg.solve(p, concept, lotteries=True)
    assert not lot.agreement and lot.lottery is None and lot.index is None


def test_kalai_smorodinsky_over_lotteries_is_the_textbook_point():
    """Packages (4,0), (0,2), (3,1.5), (0,0), disagreement 0: the hull's frontier runs
    (0,2)-(3,1.5)-(4,0), the ideal is (4,2), and the ray (t, t/2) from the origin to
    the ideal passes through (3,1.5): KS is that package alone."""
    p = bg.Problem.from_utilities([[4, 0], [0, 2], [3, 1.5], [0, 0]])
    lot = bg.kalai_smorodinsky(p, lotteries=True)
    assert_lottery(lot, ((2, 1.0),))
    assert lot.stats["ideal"] == pytest.approx({"P1": 4.0, "P2": 2.0})
    # Drop the middle package: the ray (t, t/2) meets the segment (4,0)-(0,2), where
    # u1/4 + u2/2 = 1, at t = 2: the lottery 1/2, 1/2.
    lot = bg.kalai_smorodinsky(bg.Problem.from_utilities([[4, 0], [0, 2]]), lotteries=True)
    assert list(lot.utilities.values()) == pytest.approx([2.0, 1.0], abs=1e-9)


def test_lotteries_on_a_space_of_10_to_the_30_packages():
    """The oracle maximizes per issue: nothing is enumerated."""
    rng = np.random.default_rng(3)
    space = bg.OutcomeSpace([bg.Issue(f"i{k}", [f"o{j}" for j in range(10)]) for k in range(30)])
    parties = [
        bg.Party(
            f"P{j}",
            bg.AdditiveUtility({issue.name: rng.random(10) for issue in space.issues}),
            disagreement=15.0,
        )
        for j in range(3)
    ]
    p = bg.Problem(space, parties)
    for concept in CONCEPTS:
        lot = bg.solve(p, concept, lotteries=True)
        assert lot.agreement and lot.optimal
        assert len(lot.lottery) <= 3
        expected = sum(prob * p.utilities(i) for i, prob in lot.lottery)
        assert list(lot.utilities.values()) == pytest.approx(list(expected), abs=1e-9)


def test_lotteries_respect_red_lines():
    """Package 0 is everyone's favourite but crosses P2's red line."""
    space = bg.OutcomeSpace([bg.Issue("deal", ["a", "b", "c"])])
    parties = [
        bg.Party("P1", bg.AdditiveUtility({"deal": [9, 4, 0]})),
        bg.Party("P2", bg.AdditiveUtility({"deal": [9, 0, 4]}), red_lines=[{"deal": "a"}]),
    ]
    lot = bg.nash(bg.Problem(space, parties), lotteries=True)
    assert_lottery(lot, ((1, 0.5), (2, 0.5)))


def test_lottery_errors_are_clear():
    space = bg.OutcomeSpace([bg.Issue.continuous("share", 0, 1)])
    a = bg.Party("A", bg.AdditiveUtility({"share": bg.shapes.linear()}))
    b = bg.Party("B", bg.AdditiveUtility({"share": bg.shapes.linear(-1, 1)}))
    continuous = bg.Problem(space, [a, b])
    for concept in CONCEPTS:
        with pytest.raises(bg.ValidationError, match="lotteries=True needs a discrete space"):
            bg.solve(continuous, concept, lotteries=True)
    zero_power = bg.Problem.from_utilities([[5, 1], [1, 5]], powers=[1, 0])
    with pytest.raises(bg.ValidationError, match="power > 0"):
        bg.nash(zero_power, lotteries=True)
    with pytest.raises(bg.BargainTypeError, match="lotteries must be True or False"):
        bg.nash(zero_power, lotteries="yes")


def test_a_max_min_lottery_is_not_a_dominated_tie():
    """Both packages reach the max-min value 1; the single package the lottery is checked
    against was the lowest tie, (1, 1), which (1, 2) dominates (a probe)."""
    solution = bg.egalitarian(bg.Problem.from_utilities([[1, 1], [1, 2]]), lotteries=True)
    assert solution.lottery == ((1, 1.0),)
    assert solution.utilities == {"P1": 1.0, "P2": 2.0}
