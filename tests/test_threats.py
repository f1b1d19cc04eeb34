"""The threat analysis: the Nash package along one party's moving no-deal value, against
re-solving at every point, and the closed-form breakpoints as ties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg
from bargain.threats import threat_path

from .strategies import nonnegative_powers, problems


def check_against_resolving(problem, party, low, high, points):
    path = threat_path(problem, party, low, high)
    assert path.segments[0].low == low and path.segments[-1].high == high
    for a, b in zip(path.segments, path.segments[1:]):
        assert a.high == b.low and a.index != b.index
    for t in [low, high, *points]:  # (the end points even where they are breakpoints)
        if low < t < high and any(abs(t - b) < 1e-7 for b in path.breakpoints):
            continue
        solution = bg.nash(problem.replace_party(party, disagreement=float(t)))
        segment = path.segment(t)
        assert segment.index == (solution.index if solution.agreement else None)
        assert path.utilities(t) == pytest.approx(solution.utilities, abs=1e-12)
    return path


@given(
    st.one_of(
        problems(min_parties=2, max_parties=3),
        problems(min_parties=2, max_parties=3, powers=nonnegative_powers),
    ),
    st.randoms(use_true_random=False),
    st.sampled_from([(-1.0, 3.0), (0.0, 0.5), (0.25, 1.0)]),
)
def test_the_path_is_the_nash_package_re_solved_at_every_point(problem, random, ends):
    """Also with parties of power 0 (the moving party among them) and end points on the
    dyadic grid, where packages tie (a tie at an end point is a breakpoint there)."""
    party = problem.party_names[0]
    low, high = ends
    points = [random.uniform(low, high) for _ in range(25)]
    check_against_resolving(problem, party, low, high, points)


@pytest.mark.parametrize(
    ("table", "low", "high", "indices"),
    [
        ([[5, 6], [6, 5]], -2.0, 4.0, [1, 0]),  # a tie at ``high``: bg.nash takes package 0
        ([[6, 5], [5, 6]], 4.0, 4.9, [0, 1]),  # a tie at ``low``: package 1 wins just above
    ],
)
def test_at_either_end_point_the_path_holds_the_nash_package(table, low, high, indices):
    """At P2's no-deal value 4 the two packages tie (1 x 2 = 2 x 1): bg.nash takes the
    lower index, which the path did not list at its upper end and followed from its lower
    end although package 1 wins just above it. Such an end point is a breakpoint, with a
    segment of length zero."""
    problem = bg.Problem.from_utilities(table, disagreement=[4, 0])
    path = check_against_resolving(problem, "P2", low, high, np.linspace(low, high, 13))
    assert [s.index for s in path.segments] == indices
    assert path.breakpoints == (4.0,)
    assert bg.nash(problem.replace_party("P2", disagreement=4.0)).ties == (0, 1)


def test_a_party_without_power_moves_the_product_of_the_parties_without_power():
    """P2 and P3 have power 0: packages 0, 1 and 3 tie for P1's gain, and the tie rule
    takes the largest product of P2's and P3's gains: (2 - t) 2.5 against (3 - t) 1, which
    swap at t = 4/3, where package 3, giving P2 most, is far behind (package 2 gives P1
    less)."""
    table = [[2, 3, 1], [2, 2, 2.5], [1, 5, 5], [2, 10, 0.01]]
    problem = bg.Problem.from_utilities(table, powers=[1, 0, 0])
    path = check_against_resolving(problem, "P2", -1.0, 1.9, np.linspace(-1.0, 1.9, 59))
    assert [s.index for s in path.segments] == [1, 0]
    assert path.breakpoints == pytest.approx((4 / 3,), abs=1e-12)


@pytest.mark.parametrize("party", ["Russia", "Ukraine", "United States"])
def test_the_path_on_the_peace_talks_matches_re_solving(party):
    problem = bg.scenarios.load("ukraine-2025")
    path = check_against_resolving(problem, party, -0.5, 1.0, np.linspace(-0.5, 1.0, 61))
    assert len(path.breakpoints) >= 2


def test_at_a_breakpoint_the_two_packages_tie_for_nash():
    problem = bg.scenarios.load("ukraine-2025")
    path = threat_path(problem, "Ukraine", -0.5, 1.0)
    for before, after in zip(path.segments, path.segments[1:]):
        if after.index is None:
            continue
        at = problem.replace_party("Ukraine", disagreement=after.low)
        solution = bg.nash(at)
        assert {before.index, after.index} <= set(solution.ties)


def test_a_lower_no_deal_value_for_ukraine_never_helps_ukraine():
    problem = bg.scenarios.load("ukraine-2025")
    path = threat_path(problem, "Ukraine", -0.5, 0.6)
    values = [s.utilities["Ukraine"] for s in path.segments if s.index is not None]
    assert values == sorted(values)


def test_the_docstring_example_in_closed_form():
    # A at t: package 1 (3, 2.5) beats package 0 (4, 1) while (3 - t) * 2.5 > (4 - t) * 1,
    # i.e. t < 7/3 (B's disagreement is 0); once A's best utility 4 is within the utility
    # tolerance of t there is no deal.
    problem = bg.Problem.from_utilities([[4, 1], [3, 2.5], [1, 4]], names=["A", "B"])
    path = threat_path(problem, "A", 0.0, 5.0)
    tol = bg.engine.DEFAULT_UTILITY_TOLERANCE
    assert path.breakpoints == pytest.approx((7 / 3, 4.0 - tol), abs=1e-12)
    assert [s.index for s in path.segments] == [1, 0, None]
    assert path.effect(0.5, 4.5) == pytest.approx({"A": 4.5 - 3.0, "B": 0.0 - 2.5})


def test_a_package_lapses_where_every_concept_says_no_deal():
    # A's gain at t in (4 - tol, 4) is positive but within the utility tolerance: no deal for
    # bg.nash, so none on the path either (it judged the gain by its sign until stop 25).
    problem = bg.Problem.from_utilities([[4, 1], [3, 2.5], [1, 4]], names=["A", "B"])
    path = threat_path(problem, "A", 0.0, 5.0)
    tol = bg.engine.DEFAULT_UTILITY_TOLERANCE
    for t in (4.0 - 0.9 * tol, 4.0 - 0.5 * tol, 4.0 - 0.1 * tol, 4.0 - 1.1 * tol):
        solution = bg.nash(problem.replace_party("A", disagreement=t))
        assert path.segment(t).index == (solution.index if solution.agreement else None)


def test_bad_ranges_are_refused():
    problem = bg.Problem.from_utilities([[4, 1], [1, 4]])
    with pytest.raises(bg.ValidationError, match=r"low 1\.0 must be below high 0\.0"):
        threat_path(problem, "P1", 1.0, 0.0)
    with pytest.raises(bg.ValidationError, match="outside the path"):
        threat_path(problem, "P1", 0.0, 1.0).segment(2.0)


def test_a_continuous_problem_is_refused_by_name():
    space = bg.OutcomeSpace([bg.Issue.continuous("share", 0.0, 1.0)])
    a = bg.Party("A", bg.AdditiveUtility({"share": bg.shapes.linear(1.0)}))
    with pytest.raises(bg.ValidationError, match=r"\['share'\] are continuous"):
        threat_path(bg.Problem(space, [a]), "A", 0.0, 1.0)
