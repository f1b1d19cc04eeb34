"""The built-in scenarios: they load, every number has a rationale, and the April 2025
peace-talks scenario and its variants say what their rationales claim."""

from __future__ import annotations

import pytest

import bargain as bg
from bargain import io

BASE = "ukraine-2025"
WALKS_AWAY = "ukraine-2025-us-walks-away"
OFFER = "ukraine-2025-front-line-offer"


def test_the_library_lists_and_loads_its_scenarios():
    assert set(bg.scenarios.names()) >= {BASE, WALKS_AWAY, OFFER}
    for name in bg.scenarios.names():
        assert isinstance(bg.scenarios.load(name), bg.Problem)


def test_an_unknown_scenario_names_the_known_ones():
    with pytest.raises(bg.UnknownNameError, match=r"no built-in scenario 'ukraine'.*ukraine-2025"):
        bg.scenarios.load("ukraine")


@pytest.mark.parametrize("name", bg.scenarios.names())
def test_every_number_carries_a_rationale(name):
    problem = bg.scenarios.load(name)
    scenario = problem.notes["scenario"]
    assert scenario["title"] and scenario["source"]
    assert "not a forecast" in scenario["description"]
    for issue in problem.space.issues:
        assert problem.notes[f"issues.{io.key(issue.name)}"]["rationale"]
    for party in problem.parties:
        paths = ["party", "disagreement", "power"]
        paths += [f"red_lines[{i}]" for i in range(len(party.red_lines))]
        for issue in problem.space.issues:
            paths += [f"weights.{io.key(issue.name)}", f"values.{io.key(issue.name)}"]
        for path in paths:
            assert party.notes.get(path, {}).get("rationale"), f"{party.name}: {path}"


@pytest.mark.parametrize("name", bg.scenarios.names())
def test_a_scenario_saved_and_loaded_again_is_the_same_with_its_notes(name):
    problem = bg.scenarios.load(name)
    again = io.loads(io.dumps(problem))
    assert again == problem
    assert again.notes == problem.notes
    assert [p.notes for p in again.parties] == [p.notes for p in problem.parties]


def test_ukraine_2025_models_the_talks_the_article_reports():
    problem = bg.scenarios.load(BASE)
    assert problem.party_names == ("Russia", "Ukraine", "United States", "Europe")
    space = problem.space
    assert space.issue("territory").options[-1] == "all four claimed regions"
    assert "current front line" in space.issue("territory").options
    assert space.issue("crimea").options == (
        "none",
        "de facto",
        "United States de jure",
        "international",
    )
    assert space.issue("monitoring").options == (
        "none",
        "non-NATO monitors",
        "European peacekeepers",
        "NATO-country troops",
    )
    assert {"nato", "us_aid", "business"} <= set(space.names)
    russia, ukraine = problem.parties[0], problem.parties[1]
    assert {"monitoring": ("NATO-country troops",)} in russia.red_lines
    assert {"crimea": ("international",)} in ukraine.red_lines


def test_ukraine_2025_nash_is_the_reported_us_proposals_plus_a_nato_bar():
    solution = bg.nash(bg.scenarios.load(BASE))
    assert solution.agreement and solution.ties == (solution.index,)
    assert solution.outcome == {
        "territory": "current front line",
        "nato": "barred",
        "crimea": "United States de jure",
        "monitoring": "European peacekeepers",
        "us_aid": "continues",
        "business": "with Ukraine only",
    }
    assert all(gain > 0.15 for gain in solution.gains.values())


def test_when_the_united_states_walks_away_ukraine_loses_most():
    base = bg.scenarios.load(BASE)
    walked = bg.scenarios.load(WALKS_AWAY)
    assert walked.party_names == ("Russia", "Ukraine", "Europe")
    d_base = dict(zip(base.party_names, base.disagreement))
    d_walked = dict(zip(walked.party_names, walked.disagreement))
    assert d_walked["Russia"] > d_base["Russia"]
    assert d_walked["Ukraine"] < d_base["Ukraine"]
    assert d_walked["Europe"] < d_base["Europe"]
    before, after = bg.nash(base), bg.nash(walked)
    assert after.agreement
    assert after.outcome != before.outcome
    assert after.outcome["us_aid"] == "ends" and after.outcome["business"] == "none"
    assert after.utilities["Ukraine"] < before.utilities["Ukraine"] - 0.2


def test_the_walk_away_variant_changes_only_what_the_us_leaving_changes():
    base = bg.scenarios.load(BASE)
    walked = bg.scenarios.load(WALKS_AWAY)
    for party in walked.parties:
        original = base.parties[base.party_position(party.name)]
        assert party.utility.weights == original.utility.weights
        assert party.red_lines == original.red_lines
        for issue in walked.space.issues:
            full = base.space.issue(issue.name)
            kept = [full.options.index(label) for label in issue.options]
            before = original.utility.values[issue.name]
            assert list(party.utility.values[issue.name]) == [before[k] for k in kept]


def test_the_front_line_offer_changes_only_russia_and_its_price_meets_ukraines_red_line():
    base = bg.scenarios.load(BASE)
    offer = bg.scenarios.load(OFFER)
    assert offer.space == base.space
    assert offer.parties[1:] == base.parties[1:]
    russia = offer.parties[0]
    assert russia.red_lines[: len(base.parties[0].red_lines)] == base.parties[0].red_lines
    front_line = [rule for rule in russia.red_lines if "territory" in rule]
    assert front_line and all(rule["territory"] == ("current front line",) for rule in front_line)
    solution = bg.nash(offer)
    assert solution.agreement
    assert solution.outcome["territory"] != "current front line"
    assert solution.outcome != bg.nash(base).outcome
