"""Rubinstein alternating offers: closed forms, the BRW limit, outside options, problems."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import bargain as bg

from .strategies import discount_factors, pie_problems, problems

rates = st.floats(0.05, 5.0)


def rubinstein_share(d1: float, d2: float) -> float:
    """The first proposer's share: x = 1 - d2 * (1 - d1 * x) solved for x."""
    return (1 - d2) / (1 - d1 * d2)


@given(discount_factors, discount_factors)
@example(0.9, 0.8)
def test_unit_pie_closed_form(d1, d2):
    r = bg.rubinstein(discount=(d1, d2))
    x = rubinstein_share(d1, d2)
    assert r.shares == pytest.approx([x, d2 * (1 - d1) / (1 - d1 * d2)], abs=1e-9)
    assert r.shares.sum() == pytest.approx(1.0, abs=1e-12)
    # The counter-offer is the same split seen from the other side.
    assert r.counter == pytest.approx([d1 * x, 1 - d1 * x], abs=1e-9)
    assert r.agreement and r.parties == ("P1", "P2")


@given(discount_factors, discount_factors, st.integers(1, 60))
def test_finite_horizon_backward_induction_closed_form(d1, d2, horizon):
    """x_T - x* = d1 d2 (x_{T-2} - x*): the error shrinks geometrically from
    x_1 = 1 and x_2 = 1 - d2."""
    x = rubinstein_share(d1, d2)
    if horizon % 2:
        expected = x + (d1 * d2) ** ((horizon - 1) // 2) * (1 - x)
    else:
        expected = x + (d1 * d2) ** ((horizon - 2) // 2) * (1 - d2 - x)
    r = bg.rubinstein(discount=(d1, d2), horizon=horizon)
    assert r.proposer_share == pytest.approx(expected, abs=1e-9)
    assert r.shares.sum() == pytest.approx(1.0, abs=1e-12)


def test_finite_horizon_converges_to_the_infinite_game():
    limit = bg.rubinstein(discount=(0.9, 0.8)).shares
    errors = [
        abs(bg.rubinstein(discount=(0.9, 0.8), horizon=t).shares - limit).max()
        for t in (1, 3, 11, 41, 201)
    ]
    assert errors == sorted(errors, reverse=True) and errors[-1] < 1e-9


@given(discount_factors, discount_factors, discount_factors)
def test_a_more_patient_party_never_gets_less(d1, d2, other):
    assume(other != d1)
    low, high = sorted((d1, other))
    assert (
        bg.rubinstein(discount=(high, d2)).proposer_share
        >= bg.rubinstein(discount=(low, d2)).proposer_share
    )
    assert (
        bg.rubinstein(discount=(d2, high)).responder_share
        >= bg.rubinstein(discount=(d2, low)).responder_share
    )


@given(rates, rates)
def test_binmore_rubinstein_wolinsky_limit(r1, r2):
    """As the period shrinks the split tends to the Nash split with powers 1/r_i,
    r2/(r1+r2): x(D) - r2/(r1+r2) = r1 r2 D / (2 (r1+r2)) + O(D^2)."""
    limit = r2 / (r1 + r2)
    errors = []
    for period in (1e-1, 1e-2, 1e-3, 1e-4):
        share = bg.rubinstein(rates=(r1, r2), period=period).proposer_share
        errors.append(abs(share - limit))
        slope = r1 * r2 / (2 * (r1 + r2))
        assert abs(share - limit - slope * period) <= (r1 + r2) ** 2 * period**2
    assert errors == sorted(errors, reverse=True)


@given(rates, rates)
def test_first_proposer_advantage_vanishes_as_the_period_shrinks(r1, r2):
    advantages = []
    for period in (1.0, 0.1, 0.01, 0.001):
        r = bg.rubinstein(rates=(r1, r2), period=period)
        advantages.append(r.proposer_share - r.counter[0])  # P1 proposing vs responding
    assert all(a > 0 for a in advantages)
    assert advantages == sorted(advantages, reverse=True)
    assert advantages[-1] <= max(r1, r2) * 0.001


@given(discount_factors, discount_factors, st.floats(0.0, 0.99))
@example(0.9, 0.9, 0.6)
def test_outside_option_binds_only_when_it_exceeds_the_responders_share(d1, d2, w2):
    """Shaked–Sutton: the responder gets max(w2, its Rubinstein share d2 (1 - d1 x) ...)."""
    plain = bg.rubinstein(discount=(d1, d2))
    r = bg.rubinstein(discount=(d1, d2), outside_options=(-1.0, w2))
    if w2 <= plain.responder_share - 1e-12:
        assert r.shares == pytest.approx(plain.shares, abs=1e-9)
        assert not r.binding["P2"]
    elif w2 > plain.responder_share + 1e-12:
        assert r.shares == pytest.approx([1 - w2, w2], abs=1e-9)
        assert r.binding["P2"]
    assert not r.binding["P1"]


def test_the_first_proposers_outside_option_binds_when_it_responds():
    """Discount 0.9 each, P1's outside option 0.6 exceeds 0.9 times what it would get
    by proposing again, so P2 offers it 0.6 in period 2 and P1 keeps 1 - 0.9 * 0.4."""
    r = bg.rubinstein(discount=0.9, outside_options=(0.6, 0.0))
    assert r.shares == pytest.approx([0.64, 0.36], abs=1e-9)
    assert r.counter == pytest.approx([0.6, 0.4], abs=1e-9)
    assert r.binding == {"P1": True, "P2": False}


@pytest.mark.parametrize(
    ("horizon", "outside", "shares"),
    [(1, (0.0, 0.3), (0.7, 0.3)), (2, (0.2, 0.0), (1 - 0.9 * 0.8, 0.9 * 0.8))],
)
def test_in_the_last_period_the_responder_needs_its_outside_option(horizon, outside, shares):
    """Horizon 1: P2 responds last and needs 0.3. Horizon 2: P1 responds last and
    needs 0.2, so P2 keeps 0.8 in period 2 and needs 0.9 * 0.8 in period 1."""
    r = bg.rubinstein(discount=0.9, horizon=horizon, outside_options=outside)
    assert r.shares == pytest.approx(shares, abs=1e-12)


def test_a_responder_accepts_an_offer_short_by_exactly_the_acceptance_tolerance():
    """B needs its outside option 0.5 in the one-period game; package 0 gives it
    0.5 - ACCEPTANCE_TOLERANCE, which still counts as enough (the tolerance is inclusive)."""
    tol = bg.dynamics.alternating_offers.ACCEPTANCE_TOLERANCE
    p = bg.Problem.from_utilities([[0.6, 0.5 - tol], [0.3, 0.7]], names=["A", "B"])
    r = bg.rubinstein(p, discount=0.9, horizon=1, outside_options=(0.0, 0.5))
    assert r.index == 0 and r.utilities["A"] == 0.6
    short = bg.Problem.from_utilities([[0.6, 0.5 - 4 * tol], [0.3, 0.7]], names=["A", "B"])
    assert bg.rubinstein(short, discount=0.9, horizon=1, outside_options=(0.0, 0.5)).index == 1


def test_outside_options_exceeding_the_pie_mean_no_agreement():
    r = bg.rubinstein(discount=0.9, outside_options=(0.3, 1.2))
    assert not r.agreement and r.shares.tolist() == [0.3, 1.2]
    assert "no agreement" in str(r)


@given(discount_factors, discount_factors, st.floats(0.0, 0.9))
def test_breakdown_multiplies_the_discount_factors(d1, d2, p):
    with_breakdown = bg.rubinstein(discount=(d1, d2), breakdown=p)
    assert with_breakdown.shares == pytest.approx(
        bg.rubinstein(discount=(d1 * (1 - p), d2 * (1 - p))).shares, abs=1e-9
    )


@given(pie_problems(), discount_factors, discount_factors)
def test_with_lotteries_a_pie_problem_reproduces_the_closed_form(problem, d1, d2):
    """Slices of a pie (disagreement 0) with lotteries: the frontier is the line
    u1 + u2 = 1, and the equilibrium is Rubinstein's wherever it is interior."""
    x = rubinstein_share(d1, d2)
    low = problem.utilities(0)[0]
    assume(low < d1 * x and x < 1 - low and 1 - x > low)
    r = bg.rubinstein(problem, discount=(d1, d2), lotteries=True)
    assert r.shares == pytest.approx([x, 1 - x], abs=1e-9)
    probabilities = [q for _, q in r.lottery]
    assert sum(probabilities) == pytest.approx(1.0) and all(0 < q <= 1 for q in probabilities)
    expected = sum(q * problem.utilities(i) for i, q in r.lottery)
    assert expected == pytest.approx(r.shares, abs=1e-9)


@given(problems(min_parties=2, max_parties=2), discount_factors, discount_factors, st.booleans())
def test_on_a_problem_the_offers_are_a_subgame_perfect_pair(problem, d1, d2, lotteries):
    r = bg.rubinstein(problem, discount=(d1, d2), lotteries=lotteries)
    front = bg.pareto_frontier(problem)
    if not len(front):
        assert not r.agreement
        return
    assert r.agreement and r.index in set(front.indices.tolist())
    d = problem.disagreement
    gains, counter = r.shares - d, r.counter - d
    # The responder is offered exactly enough, or more only where the frontier has no
    # package in between; the proposer keeps the best it can under that constraint.
    assert gains[1] >= d2 * counter[1] - 1e-9
    assert counter[0] >= d1 * gains[0] - 1e-9
    feasible = front.utilities[(front.utilities[:, 1] - d[1]) >= gains[1] - 1e-9]
    if not lotteries:
        assert np.allclose(r.shares, problem.utilities(r.index))
        assert gains[0] >= feasible[:, 0].max() - d[0] - 1e-9


def test_a_problem_names_its_proposer_and_discounts():
    p = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    r = bg.rubinstein(p, discount={"A": 0.9, "B": 0.9}, proposer="B")
    assert r.parties == ("B", "A") and r.outcome == {"alternative": "4"}
    assert "proposes first" in str(r)
    none = bg.Problem.from_utilities([[1, 1]], disagreement=[2, 2])
    assert not bg.rubinstein(none, discount=0.5).agreement


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"discount": (0.9, 1.0)}, bg.ValidationError, "strictly between 0 and 1"),
        ({"discount": (0.0, 0.5)}, bg.ValidationError, "strictly between 0 and 1"),
        ({"discount": (0.5, math.nan)}, bg.ValidationError, "finite"),
        ({"discount": (0.5,)}, bg.ValidationError, "1 entries"),
        ({"discount": "0.5"}, bg.BargainTypeError, "a number"),
        ({"discount": 0.5, "rates": 1.0}, bg.ValidationError, "exactly one"),
        ({}, bg.ValidationError, "exactly one"),
        ({"rates": (1.0, -1.0)}, bg.ValidationError, "> 0"),
        ({"rates": 1.0, "period": 0.0}, bg.ValidationError, "period"),
        ({"discount": 0.5, "breakdown": 1.0}, bg.ValidationError, "breakdown"),
        ({"discount": 0.5, "horizon": 0}, bg.ValidationError, "horizon"),
        ({"discount": {"P1": 0.5, "X": 0.5}}, bg.UnknownNameError, "'X'"),
        ({"discount": 0.5, "proposer": "P2"}, bg.ValidationError, "proposer"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error, message):
    with pytest.raises(error, match=message):
        bg.rubinstein(**kwargs)


def test_the_second_party_proposing_first_takes_the_first_proposers_share():
    """A lottery pie of 8 between A (0.9) and B (0.8), B proposing first: B keeps
    8 (1 - 0.9) / (1 - 0.72), and the discount factors are reported in that order."""
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    r = bg.rubinstein(pie, discount={"A": 0.9, "B": 0.8}, proposer="B", lotteries=True)
    keep = 8 * (1 - 0.9) / (1 - 0.9 * 0.8)
    assert r.parties == ("B", "A") and r.discount.tolist() == [0.8, 0.9]
    assert r.utilities == pytest.approx({"B": keep, "A": 8 - keep}, abs=1e-9)
    seq = bg.rubinstein(pie, discount=(0.9, 0.8), proposer="B", lotteries=True)
    assert seq.utilities == pytest.approx(r.utilities, abs=1e-12)


def test_a_problem_must_have_two_parties_or_name_them():
    three = bg.Problem.from_utilities([[3, 1, 0], [1, 3, 5], [2, 2, 1]])
    with pytest.raises(bg.ValidationError, match="exactly 2 parties"):
        bg.rubinstein(three, discount=0.9)
    with pytest.raises(bg.UnknownNameError, match="no party 'Z'"):
        bg.rubinstein(three.without("P3"), discount=0.9, proposer="Z")
    with pytest.raises(bg.UnknownNameError, match="no party 'Z'"):
        bg.rubinstein(three, discount={"P1": 0.9, "Z": 0.9}, between=("P1", "Z"))
    # naming two parties in discount does not silently send the third one away
    with pytest.raises(bg.ValidationError, match=r"3 parties.*between="):
        bg.rubinstein(three, discount={"P1": 0.9, "P2": 0.8})
    with pytest.raises(bg.ValidationError, match="between names 3 parties"):
        bg.rubinstein(three, discount=0.9, between=("P1", "P2", "P3"))
    with pytest.raises(bg.ValidationError, match="twice"):
        bg.rubinstein(three, discount=0.9, between=("P1", "P1"))
    named = bg.rubinstein(
        three, discount={"P1": 0.9, "P2": 0.8}, proposer="P2", between=("P1", "P2")
    )
    alone = bg.rubinstein(three.without("P3"), discount=(0.9, 0.8), proposer="P2")
    assert named.index == alone.index and named.utilities == alone.utilities
    assert named.parties == ("P2", "P1")


@given(problems(min_parties=2, max_parties=2), discount_factors, discount_factors, st.data())
def test_with_lotteries_a_more_patient_party_never_gets_less(problem, d1, d2, data):
    other = data.draw(discount_factors)
    low, high = sorted((d1, other))
    patient = bg.rubinstein(problem, discount=(high, d2), lotteries=True)
    impatient = bg.rubinstein(problem, discount=(low, d2), lotteries=True)
    assert patient.shares[0] >= impatient.shares[0] - 1e-9
    responder_patient = bg.rubinstein(problem, discount=(d2, high), lotteries=True)
    responder_impatient = bg.rubinstein(problem, discount=(d2, low), lotteries=True)
    assert responder_patient.shares[1] >= responder_impatient.shares[1] - 1e-9


def exact_share(d1, d2) -> Fraction:
    """(1 - d2) / (1 - d1 d2) in exact rational arithmetic on the given floats."""
    d1, d2 = Fraction(d1), Fraction(d2)
    return (1 - d2) / (1 - d1 * d2)


@pytest.mark.parametrize(
    "d1, d2",
    [(1 - 1e-13, 1 - 1e-13), (1 - 1e-13, 1 - 2e-13), (1 - 1e-12, 1 - 1e-12), (1 - 1e-9, 0.5),
     (0.5, 1 - 1e-9), (1 - 1e-6, 1 - 3e-6), (0.9, 0.8), (0.5, 0.5)],
)  # fmt: skip
def test_the_unit_pie_is_the_closed_form_to_rounding_as_discounts_approach_one(d1, d2):
    r = bg.rubinstein(discount=(d1, d2))
    x1 = exact_share(d1, d2)
    x2 = 1 - x1
    counter1 = Fraction(d1) * x1  # the first proposer's requirement in period 2
    assert r.shares == pytest.approx([float(x1), float(x2)], rel=1e-12)
    assert r.counter == pytest.approx([float(counter1), float(1 - counter1)], rel=1e-12)


@pytest.mark.parametrize("period", [1e-17, 1e-13, 1e-9, 1e-4, 1.0])
@pytest.mark.parametrize("rates", [(1.0, 3.0), (0.1, 0.2), (2.0, 2.0)])
def test_rates_give_the_closed_form_for_any_period(rates, period):
    with localcontext() as context:
        context.prec = 60
        gaps = [1 - (-Decimal(r) * Decimal(period)).exp() for r in rates]  # 1 - delta_i
        x1 = gaps[1] / (gaps[0] + gaps[1] - gaps[0] * gaps[1])
        x2 = 1 - x1
    r = bg.rubinstein(rates=rates, period=period)
    assert r.shares == pytest.approx([float(x1), float(x2)], rel=1e-12)
    if period <= 1e-13:  # the Binmore-Rubinstein-Wolinsky limit r2 / (r1 + r2)
        assert r.shares[0] == pytest.approx(rates[1] / sum(rates), rel=1e-12)


def test_a_rate_whose_discount_rounds_to_one_still_splits_evenly():
    assert bg.rubinstein(rates=1e-17).shares == pytest.approx([0.5, 0.5], rel=1e-12)


@pytest.mark.parametrize(
    "rates, period", [(1.0, 800.0), ((1.0, 1e3), 1.0), (1e-200, 1e-200)]
)  # fmt: skip
def test_rates_whose_discount_is_not_in_the_open_unit_interval_are_an_error(rates, period):
    with pytest.raises(bg.ValidationError, match=r"rates\[.*\* period.*not strictly between 0"):
        bg.rubinstein(rates=rates, period=period)


def test_with_outside_options_near_patience_the_closed_form_binds_them():
    # Shaked-Sutton: the responder's option binds above its share c2 (1 - c1) / (1 - c1 c2).
    d = 1 - 1e-12
    r = bg.rubinstein(discount=(d, d), outside_options=(0.1, 0.2))  # too small to bind
    x1 = float(exact_share(d, d))
    assert r.shares == pytest.approx([x1, 1 - x1], rel=1e-12)
    r = bg.rubinstein(discount=d, outside_options=(0.0, 0.6))
    assert r.shares == pytest.approx([0.4, 0.6], rel=1e-12)
    assert r.binding == {"P1": False, "P2": True}
    r = bg.rubinstein(discount=d, outside_options=(0.7, 0.0))
    assert r.shares == pytest.approx([1 - d * 0.3, d * 0.3], rel=1e-12)
    assert r.counter == pytest.approx([0.7, 0.3], rel=1e-12)


def test_between_numbers_the_callers_packages_when_a_leaver_owns_an_issue():
    x = bg.Issue("x", ["a", "b", "c"])
    y = bg.Issue("y", ["keep", "give"])
    a = bg.Party("A", bg.AdditiveUtility({"x": [0, 2, 1], "y": [0, 0]}))
    b = bg.Party("B", bg.AdditiveUtility({"x": [0, 1, 2], "y": [0, 0]}))
    c = bg.Party("C", bg.AdditiveUtility({"x": [0, 0, 0], "y": [0, 0]}), owns={"y": "keep"})
    p = bg.Problem(bg.OutcomeSpace([x, y]), [a, b, c])
    for lotteries in (False, True):
        r = bg.rubinstein(p, discount=0.9, between=("A", "B"), lotteries=lotteries)
        assert r.problem is p
        assert r.outcome["y"] == "keep"
        assert p.space.outcome(r.index) == r.outcome
        agreed = [(r.index, 1.0)] if r.lottery is None else r.lottery
        expected = sum(q * p.utilities(index)[:2] for index, q in agreed)
        assert expected == pytest.approx([r.utilities["A"], r.utilities["B"]], rel=1e-12)


# -- problems with lotteries as the period shrinks -----------------------------------------

LINE = bg.Problem.from_utilities([[k, 10 - k] for k in range(11)], names=["A", "B"])
"""Packages 1..9 on the frontier a + b = 10 (packages 0 and 10 leave a party at its
disagreement value 0, so they are not on the frontier)."""

KINKED = ((1, 12), (5, 11), (8, 8), (10, 5), (11, 1))
"""A concave frontier of four segments, slopes -1/4, -1, -3/2 and -4."""

TINY_PERIODS = [1e-3, 1e-6, 1e-9, 1e-12, 1e-15, 1e-17, 1e-100, 1e-300]


def exact_gap(rate: float, period: float) -> Fraction:
    """1 - exp(-rate * period) for these floats, to 400 digits (the discount factor of a
    period below 1e-16 rounds to 1.0 in floating point)."""
    with localcontext() as context:
        context.prec = 400
        return Fraction(1 - (-Decimal(rate) * Decimal(period)).exp())


def exact_offers(vertices, gaps) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
    """The stationary offer x and counter-offer y on the concave, piecewise-linear
    frontier through ``vertices`` (gains, first proposer's ascending), in exact
    arithmetic, with ``gaps = 1 - c`` per party and no outside options.

    With ``h`` the frontier, the first proposer keeps the root ``g`` of
    ``c_b h(c_a g) - h(g)``, which is piecewise linear and increasing in ``g``: its
    knots are the vertices and the vertices divided by ``c_a`` (where ``x``, resp.
    ``y``, crosses a vertex), so the root is found on the right piece and solved
    there. Past the last vertex ``x`` stays at it; ``y`` gives the first proposer
    at least the first vertex's gain.
    """
    a = [Fraction(u) for u, _ in vertices]
    b = [Fraction(v) for _, v in vertices]
    c_a, c_b = 1 - gaps[0], 1 - gaps[1]

    def h(g):
        g = min(max(g, a[0]), a[-1])
        j = max(i for i in range(len(a) - 1) if a[i] <= g)
        return b[j] + (b[j + 1] - b[j]) * (g - a[j]) / (a[j + 1] - a[j])

    def excess(g):
        return c_b * h(c_a * g) - h(g)

    knots = sorted({g for g in [*a, *(u / c_a for u in a)] if a[0] <= g <= a[-1]})
    g = a[-1]
    for low, high in pairwise(knots):
        if excess(high) >= 0:
            g = low - excess(low) * (high - low) / (excess(high) - excess(low))
            break
    if excess(a[0]) >= 0:
        g = a[0]
    kept = max(c_a * g, a[0])
    return (g, h(g)), (kept, h(kept))


def floats(point) -> list[float]:
    return [float(v) for v in point]


def nash_point(vertices, rates) -> np.ndarray:
    """The maximizer of a^(1/r_a) b^(1/r_b) on the concave frontier through ``vertices``:
    on each segment, whose line meets the first axis at ``I``, the unconstrained
    maximizer is ``a = I r_b / (r_a + r_b)``; it is clipped to the segment."""
    best, best_value = None, -math.inf
    for (a0, b0), (a1, b1) in pairwise(vertices):
        slope = (b0 - b1) / (a1 - a0)
        a = min(max((a0 + b0 / slope) * rates[1] / sum(rates), a0), a1)
        point = np.array([a, b0 - slope * (a - a0)])
        value = math.log(point[0]) / rates[0] + math.log(point[1]) / rates[1]
        if value > best_value:
            best, best_value = point, value
    return best


@pytest.mark.parametrize("period", [0.1, *TINY_PERIODS])
@pytest.mark.parametrize("rates", [(1.0, 2.0), (0.1, 0.2), (3.0, 0.5)])
def test_a_linear_problem_with_lotteries_is_the_closed_form_for_any_period(rates, period):
    """On a + b = 10 the first proposer keeps 10 e_b / (e_a + e_b - e_a e_b) with
    e = 1 - exp(-rate * period), and the counter-offer gives it c_a times that. It
    did not when the period shrank (the bisection compared F(c) with c, nearly
    equal): A got 6.66648 at 1e-12 and 1.0 from 1e-17 on, for 6.66667 with (1, 2)."""
    e_a, e_b = (exact_gap(r, period) for r in rates)
    keep = 10 * e_b / (e_a + e_b - e_a * e_b)
    counter = (1 - e_a) * keep
    r = bg.rubinstein(LINE, rates=rates, period=period, lotteries=True)
    assert r.shares == pytest.approx(floats([keep, 10 - keep]), rel=1e-12)
    assert r.counter == pytest.approx(floats([counter, 10 - counter]), rel=1e-12)
    expected = sum(q * LINE.utilities(i) for i, q in r.lottery)
    assert expected == pytest.approx(r.shares, rel=1e-12)
    if period <= 1e-15:  # Binmore-Rubinstein-Wolinsky: the Nash split, powers 1 / rate
        assert r.shares[0] == pytest.approx(10 * rates[1] / sum(rates), rel=1e-12)


@pytest.mark.parametrize("period", TINY_PERIODS)
def test_without_lotteries_the_package_nearest_the_lottery_split_holds_at_any_period(period):
    """Every package of a + b = 10 is a stationary equilibrium as the period
    shrinks; the one returned is nearest the lottery split (6.67, 3.33). It was
    nearest a wrong one (package 1) from period 1e-17 on."""
    r = bg.rubinstein(LINE, rates=(1.0, 2.0), period=period)
    assert r.utilities == {"A": 7.0, "B": 3.0} and r.index == 7


@pytest.mark.parametrize("period", [0.1, 1e-6, 1e-12, 1e-17, 1e-300])
@pytest.mark.parametrize(
    ("outside", "breakdown"),
    [(None, 0.0), ((8.0, 0.0), 0.0), ((0.0, 5.0), 0.0), (None, 0.3), (None, 1e-13)],
)
def test_a_linear_problem_is_the_unit_pie_scaled_for_any_period(period, outside, breakdown):
    """The general path on a + b = 10 agrees with the unit pie's closed form times
    10, binding outside options (A's 8 when it responds, B's 5) and breakdown
    included: the equilibrium stays inside the packages 1..9 throughout."""
    kwargs = {"rates": (1.0, 2.0), "period": period, "breakdown": breakdown}
    options = None if outside is None else [w / 10 for w in outside]
    pie = bg.rubinstein(outside_options=options, **kwargs)
    r = bg.rubinstein(LINE, outside_options=outside, lotteries=True, **kwargs)
    assert r.shares == pytest.approx(10 * pie.shares, rel=1e-12)
    assert r.counter == pytest.approx(10 * pie.counter, rel=1e-12)
    assert list(r.binding.values()) == list(pie.binding.values())


@pytest.mark.parametrize("period", [1.0, 0.1, *TINY_PERIODS])
@pytest.mark.parametrize("rates", [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (5.0, 0.2)])
@pytest.mark.parametrize("proposer", ["A", "B"])
def test_a_kinked_frontier_gives_the_exact_equilibrium_for_any_period(proposer, rates, period):
    """On four segments the offer and the counter-offer can sit on different segments
    or at a vertex; in the limit, the Nash point with powers 1 / rate is the vertex
    (8, 8) for rates (1, 1), inside a segment for (1, 2) and (2, 1)."""
    problem = bg.Problem.from_utilities(KINKED, names=["A", "B"])
    first = 0 if proposer == "A" else 1
    vertices = sorted((v[first], v[1 - first]) for v in KINKED)
    ordered = (rates[first], rates[1 - first])
    offer, counter = exact_offers(vertices, [exact_gap(r, period) for r in ordered])
    r = bg.rubinstein(problem, rates=rates, period=period, proposer=proposer, lotteries=True)
    assert r.shares == pytest.approx(floats(offer), rel=1e-12)
    assert r.counter == pytest.approx(floats(counter), rel=1e-12)
    if period <= 1e-15:
        assert r.shares == pytest.approx(nash_point(vertices, ordered), rel=1e-12)


@st.composite
def concave_frontiers(draw) -> tuple[tuple[float, float], ...]:
    """1-5 segments with positive gains: integer runs, slopes k/8 strictly steepening,
    so every vertex is exact and on the concave hull."""
    n = draw(st.integers(1, 5))
    slopes = sorted(draw(st.lists(st.integers(1, 40), min_size=n, max_size=n, unique=True)))
    runs = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    a = [float(draw(st.integers(1, 4)))]
    for run in runs:
        a.append(a[-1] + run)
    b = [float(draw(st.integers(1, 4)))]
    for slope, run in zip(slopes[::-1], runs[::-1]):
        b.insert(0, b[0] + slope / 8 * run)
    return tuple(zip(a, b))


periods = st.integers(0, 300).map(lambda k: 10.0**-k)


@given(concave_frontiers(), rates, rates, periods)
@example(KINKED, 1.0, 1.0, 1e-17)
def test_with_lotteries_the_equilibrium_is_exact_for_any_period(vertices, r_a, r_b, period):
    """The offer and counter-offer solve the stationarity equations x_b = c_b y_b,
    y_a = c_a x_a on the frontier, checked in exact arithmetic (where they are no
    difference of nearly equal numbers however short the period)."""
    problem = bg.Problem.from_utilities(vertices)
    gaps = [exact_gap(r, period) for r in (r_a, r_b)]
    offer, counter = exact_offers(vertices, gaps)
    r = bg.rubinstein(problem, rates=(r_a, r_b), period=period, lotteries=True)
    assert r.shares == pytest.approx(floats(offer), rel=1e-12)
    assert r.counter == pytest.approx(floats(counter), rel=1e-12)


@given(concave_frontiers(), rates, rates)
def test_with_lotteries_the_equilibrium_tends_to_the_nash_point(vertices, r_a, r_b):
    """Binmore-Rubinstein-Wolinsky on a problem: as the period shrinks, the offer
    tends to the maximizer of a^(1/r_a) b^(1/r_b) on the frontier, by O(period),
    and reaches it where the discount factors round to 1."""
    problem = bg.Problem.from_utilities(vertices)
    nash = nash_point(vertices, (r_a, r_b))
    scale = max(max(v) for v in vertices)
    for period in (1e-4, 1e-6, 1e-9, 1e-12):
        r = bg.rubinstein(problem, rates=(r_a, r_b), period=period, lotteries=True)
        # about half this bound at most in 2,000 random draws
        assert np.abs(r.shares - nash).max() <= 2 * (r_a + r_b) * scale * period
    r = bg.rubinstein(problem, rates=(r_a, r_b), period=1e-300, lotteries=True)
    assert r.shares == pytest.approx(nash, rel=1e-12)


def test_without_lotteries_the_target_is_the_lottery_equilibrium_on_the_hull():
    """Packages (1, 4), (2, 2) and (3, 1), discounts 0.7 and 0.8: each is a stationary
    equilibrium without lotteries. With lotteries the frontier is the hull, the
    segment from (1, 4) to (3, 1), and the split (5/3, 3); (2, 2) lies nearest it.
    (1, 4) was returned: its target was a root on the broken line through (2, 2),
    which lies below the hull and is no lottery's frontier."""
    p = bg.Problem.from_utilities([[1, 4], [2, 2], [3, 1]], names=["A", "B"])
    assert bg.rubinstein(p, discount=(0.7, 0.8), lotteries=True).shares == pytest.approx(
        [5 / 3, 3.0], rel=1e-12
    )
    assert bg.rubinstein(p, discount=(0.7, 0.8)).utilities == {"A": 2.0, "B": 2.0}
