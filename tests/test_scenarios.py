"""The built-in scenarios: they load, every number has a rationale, and the April 2025
peace-talks scenario and its variants say what their rationales claim."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import bargain as bg
from bargain import io
from bargain.whatif import whatif_chain

BASE = "ukraine-2025"
WALKS_AWAY = "ukraine-2025-us-walks-away"
OFFER = "ukraine-2025-front-line-offer"


def acceptable(problem: bg.Problem) -> list[dict[str, str]]:
    """Every package that crosses no red line and gives every party more than no deal."""
    return [
        problem.space.outcome(i)
        for i in range(problem.space.size)
        if problem.allowed(i) and np.all(problem.utilities(i) > problem.disagreement)
    ]


def test_the_library_lists_and_loads_its_scenarios():
    assert set(bg.scenarios.names()) >= {BASE, WALKS_AWAY, OFFER}
    for name in bg.scenarios.names():
        assert isinstance(bg.scenarios.load(name), bg.Problem)


def test_an_unknown_scenario_names_the_known_ones():
    with pytest.raises(bg.UnknownNameError, match=r"no built-in scenario 'ukraine'.*ukraine-2025"):
        bg.scenarios.load("ukraine")
    with pytest.raises(bg.UnknownNameError, match=r"no built-in scenario 'ukraine'"):
        bg.scenarios.whatifs("ukraine")


@pytest.mark.parametrize("name", bg.scenarios.names())
def test_every_number_carries_a_rationale(name):
    problem = bg.scenarios.load(name)
    scenario = problem.notes["scenario"]
    assert scenario["title"] and scenario["source"] and scenario["rationale"]
    assert "not a forecast" in scenario["description"]
    for issue in problem.space.issues:
        assert problem.notes[f"issues.{io.key(issue.name)}"]["rationale"]
    for party in (*problem.parties, *problem.observers):
        paths = ["party", "disagreement", "power"]
        paths += [f"red_lines[{i}]" for i in range(len(party.red_lines))]
        paths += [f"owns.{io.key(issue)}" for issue in party.owns]
        for issue in problem.space.issues:
            paths += [f"weights.{io.key(issue.name)}", f"values.{io.key(issue.name)}"]
        for path in paths:
            assert party.notes.get(path, {}).get("rationale"), f"{party.name}: {path}"
    war = problem.war
    assert war.notes["war"]["rationale"] and "Fearon" in war.notes["war"]["source"]
    for i, outcome in enumerate(war.outcomes):
        assert war.notes[f"outcomes[{i}]"]["rationale"]
        assert war.notes[f"outcomes[{i}].probability"]["rationale"]
        assert outcome.probability.low < outcome.probability.value < outcome.probability.high
    for cost in war.costs.values():
        assert cost.low < cost.value < cost.high


@pytest.mark.parametrize("name", bg.scenarios.names())
def test_a_scenario_saved_and_loaded_again_is_the_same_with_its_notes(name):
    problem = bg.scenarios.load(name)
    again = io.loads(io.dumps(problem))
    assert again == problem
    assert again.notes == problem.notes
    assert again.war == problem.war and again.war.notes == problem.war.notes
    assert [p.notes for p in again.parties] == [p.notes for p in problem.parties]
    assert [p.notes for p in again.observers] == [p.notes for p in problem.observers]


@pytest.mark.parametrize("name", bg.scenarios.names())
def test_every_no_deal_value_is_the_war_models(name):
    problem = bg.scenarios.load(name)
    members = (*problem.parties, *problem.observers)
    assert set(problem.war.derived(problem)) == {party.name for party in members}
    values = problem.war.values(problem)
    for party in members:
        alone = bg.Problem(problem.space, [party.replace(red_lines=())])
        expected = sum(
            outcome.probability.value
            * float(alone.utilities(problem.space.index(outcome.package))[0])
            for outcome in problem.war.outcomes
        )
        assert party.disagreement == values[party.name]
        assert party.disagreement == pytest.approx(
            expected - problem.war.costs[party.name].value, abs=1e-12
        )


def test_the_talks_are_between_the_us_russia_and_ukraine_with_europe_an_observer():
    problem = bg.scenarios.load(BASE)
    assert problem.party_names == ("Russia", "Ukraine", "United States")
    assert problem.observer_names == ("Europe",)
    assert "Europe an observer" in problem.notes["scenario"]["rationale"]
    nash = bg.nash(problem)
    # Europe holds no veto: dropping it as an observer changes no concept's package.
    for concept, solution in bg.compare(problem.without("Europe")).solutions.items():
        assert solution.outcome == bg.solve(problem, concept).outcome
    assert nash.observer_utilities["Europe"] > problem.observer_disagreement()["Europe"]


def test_the_united_states_owns_its_aid_and_its_business():
    us = bg.scenarios.load(BASE).parties[2]
    assert us.owns == {"us_aid": "ends", "business": "none"}


def test_russias_refusal_of_nato_country_forces_covers_european_peacekeepers():
    problem = bg.scenarios.load(BASE)
    russia = problem.parties[0]
    assert {"monitoring": ("European peacekeepers", "NATO-country troops")} in russia.red_lines
    assert "NATO countries" in russia.notes["values.monitoring"]["rationale"]
    assert all(
        package["monitoring"] in ("none", "non-NATO monitors") for package in acceptable(problem)
    )


def test_no_side_trades_away_its_core_aim():
    problem = bg.scenarios.load(BASE)
    packages = acceptable(problem)
    assert packages
    lines = {package["territory"] for package in packages}
    assert "full withdrawal" not in lines and "all four claimed regions" not in lines
    assert all(package["crimea"] != "international" for package in packages)


def test_the_headline_packages_per_concept():
    comparison = bg.compare(bg.scenarios.load(BASE))
    common = {
        "territory": "current front line",
        "nato": "barred",
        "monitoring": "non-NATO monitors",
        "us_aid": "continues",
    }
    assert comparison["nash"].outcome == {
        **common,
        "crimea": "United States de jure",
        "business": "with Ukraine and Russia",
    }
    for concept in ("kalai_smorodinsky", "egalitarian"):
        assert comparison[concept].outcome == {
            **common,
            "crimea": "de facto",
            "business": "with Ukraine only",
        }
    for solution in comparison.solutions.values():
        assert solution.ties == (solution.index,)
        assert all(gain > 0.1 for gain in solution.gains.values())


def test_the_front_line_offer_is_the_base_plus_its_price_and_nothing_else():
    base, offer = bg.scenarios.load(BASE), bg.scenarios.load(OFFER)
    assert offer.space == base.space
    assert offer.parties[1:] == base.parties[1:]
    russia, before = offer.parties[0], base.parties[0]
    assert russia.replace(red_lines=before.red_lines) == before
    assert russia.red_lines[: len(before.red_lines)] == before.red_lines
    price = russia.red_lines[len(before.red_lines) :]
    short_of_four = ("pre-2022 line", "current front line")
    assert price == (
        {"territory": short_of_four, "nato": ("membership path", "no commitment")},
        {"territory": short_of_four, "crimea": ("none", "de facto", "United States de jure")},
    )
    # Every line short of all four regions is excluded by the price or already by the base
    # (full withdrawal), so every package with it that Russia allows has the price.
    for index in range(offer.space.size):
        package = offer.space.outcome(index)
        if package["territory"] != "all four claimed regions" and offer.allowed(index):
            assert package["nato"] == "barred" and package["crimea"] == "international"


def test_the_offers_price_meets_ukraines_red_lines_so_there_is_no_deal():
    offer = bg.scenarios.load(OFFER)
    assert acceptable(offer) == []
    assert not any(s.agreement for s in bg.compare(offer).solutions.values())


def test_the_us_walking_away_is_a_chain_of_single_changes_ending_at_the_variant():
    base = bg.scenarios.load(BASE)
    steps = bg.scenarios.whatifs(BASE)
    chain = whatif_chain(base, steps)
    walked = bg.scenarios.load(WALKS_AWAY)
    assert chain.steps[-1].problem == walked
    expected = {
        **dict(zip(walked.party_names, walked.disagreement)),
        **walked.observer_disagreement(),
    }
    # Steps 1-3: the threat alone, one no-deal value each, and the package does not move.
    for previous, step in itertools.pairwise(chain.steps[:4]):
        moved = [n for n in step.disagreement if step.disagreement[n] != previous.disagreement[n]]
        assert len(moved) == 1 and step.change.startswith(moved[0])
        assert step.disagreement[moved[0]] == expected[moved[0]]
        assert (
            step.problem.space == base.space
            and step.solution.index == chain.steps[0].solution.index
        )
    # Step 4: the US leaves the table and takes its issues to their stated defaults.
    leaving = chain.steps[4]
    assert leaving.problem.party_names == ("Russia", "Ukraine")
    assert leaving.utilities["United States"] is None
    assert leaving.problem.space.issue("us_aid").options == ("ends",)
    assert leaving.problem.space.issue("business").options == ("none",)
    assert leaving.moved == {
        "us_aid": ("continues", "ends"),
        "business": ("with Ukraine and Russia", "none"),
    }
    # Step 5: US de jure recognition leaves with the US, and Crimea moves to de facto.
    assert chain.steps[5].moved == {"crimea": ("United States de jure", "de facto")}
    for previous, step in itertools.pairwise(chain.steps):
        for name, change in step.effect.items():
            if step.utilities[name] is None:
                assert change is None
            else:
                assert change == step.utilities[name] - previous.utilities[name]


def test_when_the_united_states_walks_away_its_issues_settle_and_the_rest_is_the_base():
    base = bg.scenarios.load(BASE)
    walked = bg.scenarios.load(WALKS_AWAY)
    assert walked.party_names == ("Russia", "Ukraine")
    assert walked.observer_names == ("Europe",)
    assert walked.space.issue("us_aid").options == ("ends",)
    assert walked.space.issue("business").options == ("none",)
    assert "United States de jure" not in walked.space.issue("crimea").options
    for party in walked.parties:
        original = base.parties[base.party_position(party.name)]
        assert party.utility.weights == original.utility.weights
        assert party.red_lines == original.red_lines
        for issue in walked.space.issues:
            full = base.space.issue(issue.name)
            kept = [full.options.index(label) for label in issue.options]
            before = original.utility.values[issue.name]
            assert list(party.utility.values[issue.name]) == [before[k] for k in kept]
    assert walked.war.costs == {name: base.war.costs[name] for name in walked.war.costs}
    solution = bg.nash(walked)
    assert solution.agreement
    assert solution.outcome["us_aid"] == "ends" and solution.outcome["business"] == "none"
    assert solution.utilities["Ukraine"] < bg.nash(base).utilities["Ukraine"] - 0.2
