"""Rubinstein alternating offers: closed forms, the BRW limit, outside options, problems."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

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
