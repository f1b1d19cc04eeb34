"""The war model for no-deal values: Fearon's closed form, its generalisation, the file syntax."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg
from bargain.war import Estimate, War, WarOutcome, fearon, fearon_disagreement

probabilities = st.integers(0, 16).map(lambda k: k / 16)
costs = st.integers(0, 8).map(lambda k: k / 16)
positive_costs = st.integers(1, 4).map(lambda k: k / 16)


def prize_problem() -> bg.Problem:
    space = bg.OutcomeSpace([bg.Issue("prize", ["A wins", "B wins"])])
    a = bg.Party("A", bg.AdditiveUtility({"prize": [1.0, 0.0]}))
    b = bg.Party("B", bg.AdditiveUtility({"prize": [0.0, 1.0]}))
    return bg.Problem(space, [a, b])


def two_sided(p: float, cost_a: float, cost_b: float) -> War:
    return War(
        [
            WarOutcome("A prevails", Estimate(p), {"prize": "A wins"}),
            WarOutcome("B prevails", Estimate(1.0 - p), {"prize": "B wins"}),
        ],
        {"A": Estimate(cost_a), "B": Estimate(cost_b)},
    )


@given(probabilities, costs, costs)
def test_the_lottery_over_packages_reduces_to_fearons_closed_form(p, cost_a, cost_b):
    problem = fearon_disagreement(prize_problem(), two_sided(p, cost_a, cost_b))
    assert problem.disagreement.tolist() == pytest.approx([p - cost_a, 1 - p - cost_b], abs=1e-15)
    assert fearon(p, cost_a, cost_b) == pytest.approx((p - cost_a, 1 - p - cost_b), abs=1e-15)


@given(st.integers(4, 12).map(lambda k: k / 16), positive_costs, positive_costs)
def test_nash_splits_fearons_bargaining_range_in_the_middle(p, cost_a, cost_b):
    # A's share x is acceptable to both when p - c_A <= x <= p + c_B (Fearon 1995); with
    # linear utilities the Nash split is the middle of that range: p + (c_B - c_A) / 2.
    space = bg.OutcomeSpace([bg.Issue.continuous("share", 0.0, 1.0)])
    a = bg.Party("A", bg.AdditiveUtility({"share": bg.shapes.linear(1.0)}))
    b = bg.Party("B", bg.AdditiveUtility({"share": bg.shapes.linear(-1.0, 1.0)}))
    low, high = fearon(p, cost_a, cost_b)
    problem = bg.Problem(space, [a.replace(disagreement=low), b.replace(disagreement=high)])
    share = bg.nash(problem).outcome["share"]
    assert share == pytest.approx(p + (cost_b - cost_a) / 2, abs=1e-6)


def test_a_party_without_a_cost_keeps_its_no_deal_value():
    problem = prize_problem().replace_party("B", disagreement=0.25)
    war = War([WarOutcome("A prevails", Estimate(1.0), {"prize": "A wins"})], {"A": Estimate(0.5)})
    derived = fearon_disagreement(problem, war)
    assert derived.disagreement.tolist() == [0.5, 0.25]
    assert derived.war is war


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: fearon(1.5, 0, 0), r"p is 1.5; a probability lies in \[0, 1\]"),
        (lambda: Estimate(0.5, 0.6, 0.9), "need low <= value <= high"),
        (lambda: two_sided(0.5, -0.1, 0), "costs.*'A'.*a cost is >= 0"),
        (
            lambda: War(
                [WarOutcome("x", Estimate(0.5), {"prize": "A wins"})], {"A": Estimate(0.0)}
            ),
            "probabilities sum to 0.5; they must sum to 1",
        ),
    ],
)
def test_bad_war_inputs_are_refused_with_the_rule(build, message):
    with pytest.raises(bg.ValidationError, match=message):
        build()


def test_a_war_outcome_must_be_a_package_of_the_space():
    war = War([WarOutcome("x", Estimate(1.0), {"prize": "draw"})], {"A": Estimate(0.0)})
    with pytest.raises(bg.UnknownNameError, match="'prize' has no option 'draw'"):
        fearon_disagreement(prize_problem(), war)


FILE = """
[war]
rationale = "a coin decides"
[[war.outcomes]]
name = "A prevails"
probability = { value = 0.6, low = 0.5, high = 0.7, rationale = "A is stronger" }
package = { prize = "A wins" }
[[war.outcomes]]
name = "B prevails"
probability = 0.4
package = { prize = "B wins" }

[[issues]]
name = "prize"
options = ["A wins", "B wins"]

[[parties]]
name = "A"
disagreement = { war_cost = 0.1, low = 0.05, high = 0.2, rationale = "far from home" }
values = { prize = [1.0, 0.0] }

[[parties]]
name = "B"
disagreement = { war_cost = 0.05 }
values = { prize = [0.0, 1.0] }
"""


def test_a_scenario_file_derives_disagreement_from_its_war_table_and_round_trips():
    problem = bg.io.loads(FILE)
    assert problem.disagreement.tolist() == pytest.approx([0.5, 0.35], abs=1e-15)
    assert problem.war.outcomes[0].probability == Estimate(0.6, 0.5, 0.7)
    assert problem.war.costs["A"] == Estimate(0.1, 0.05, 0.2)
    assert problem.parties[0].notes["disagreement"] == {"rationale": "far from home"}
    text = bg.io.dumps(problem)
    assert "war_cost = 0.1, low = 0.05, high = 0.2" in text
    again = bg.io.loads(text)
    assert again == problem and again.war == problem.war
    assert again.war.notes == problem.war.notes


def test_a_moved_no_deal_value_is_saved_as_a_number_not_as_the_war():
    problem = bg.io.loads(FILE).replace_party("A", disagreement=0.3)
    text = bg.io.dumps(problem)
    assert "disagreement = { value = 0.3," in text and "war_cost = 0.05" in text
    assert bg.io.loads(text) == problem


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("probability = 0.4", "probability = 0.3"), "sum to 1"),
        (lambda t: t[t.index("[[issues]]") :], "war: is missing"),
        (lambda t: t.replace('{ prize = "B wins" }', '{ prize = "draw" }'), "no option 'draw'"),
        (lambda t: t.replace("low = 0.05, high = 0.2,", "lo = 0.05,"), "unknown key"),
    ],
)
def test_bad_war_tables_name_the_place_and_rule(edit, message):
    with pytest.raises(bg.ScenarioFileError, match=message):
        bg.io.loads(edit(FILE))


def test_probabilities_that_sum_to_one_in_floating_point_are_accepted():
    assert math.isclose(sum([0.3, 0.55, 0.15]), 1.0)
    space = bg.OutcomeSpace([bg.Issue("x", ["a", "b", "c"])])
    problem = bg.Problem(space, [bg.Party("A", bg.AdditiveUtility({"x": [0.0, 0.5, 1.0]}))])
    outcomes = [WarOutcome(o, Estimate(q), {"x": o}) for o, q in zip("abc", [0.3, 0.55, 0.15])]
    derived = fearon_disagreement(problem, War(outcomes, {"A": Estimate(0.1)}))
    assert derived.disagreement[0] == pytest.approx(0.55 * 0.5 + 0.15 - 0.1, abs=1e-15)


def test_what_ifs_keep_the_war_while_it_still_describes_the_problem():
    talks = bg.scenarios.load("ukraine-2025")
    assert set(talks.war.costs) == {"Russia", "Ukraine", "United States", "Europe"}
    # A party leaving (its owned issues are not in any war outcome's way here: Europe
    # owns nothing) keeps the war for the members still there.
    assert set(talks.without("Europe").war.costs) == {"Russia", "Ukraine", "United States"}
    # Settling an issue against a war outcome's option drops the record; the numbers stay.
    settled = talks.settle("us_aid", "reduced")
    assert settled.war is None
    assert settled.disagreement.tolist() == talks.disagreement.tolist()
    # A moved no-deal value keeps the record, which then no longer derives that party.
    moved = talks.with_number(("Russia", "disagreement"), 0.5)
    assert moved.war == talks.war and "Russia" not in moved.war.derived(moved)
