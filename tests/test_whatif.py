"""An immutable model and its what-ifs: selectors, parties leaving with what they own,
settled issues, dropped options, observers, discount factors."""

from __future__ import annotations

import copy
import json
import pickle
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg

from .strategies import problems, selected_numbers, what_ifs

SPACE = bg.OutcomeSpace(
    [
        bg.Issue("territory", ["pre-2022 line", "front line", "four regions"]),
        bg.Issue("us_aid", ["continues", "aid ends"]),
    ]
)


def talks(**europe_changes) -> bg.Problem:
    """Ukraine, Russia and the United States (who owns US aid); Europe observes."""
    ukraine = bg.Party(
        "Ukraine",
        bg.AdditiveUtility(
            {"territory": [1.0, 0.5, 0.0], "us_aid": {"continues": 1.0, "aid ends": 0.0}}
        ),
        disagreement=0.3,
        red_lines=[{"territory": "four regions"}],
        notes={'values.us_aid."aid ends"': {"rationale": "nothing"}},
    )
    russia = bg.Party(
        "Russia",
        bg.AdditiveUtility({"territory": [0.0, 0.6, 1.0], "us_aid": [0.0, 1.0]}),
        disagreement=0.4,
        red_lines=[{"territory": "pre-2022 line", "us_aid": "continues"}],
        notes={"red_lines[0]": {"rationale": "no rollback with aid"}},
    )
    us = bg.Party(
        "United States",
        bg.AdditiveUtility({"territory": [0.5, 0.5, 0.5], "us_aid": [0.0, 1.0]}),
        disagreement=0.2,
        owns={"us_aid": "aid ends"},
        discount=0.9,
    )
    europe = bg.Party(
        "Europe",
        bg.AdditiveUtility({"territory": [1.0, 0.4, 0.0], "us_aid": [1.0, 0.0]}),
        disagreement=0.1,
    ).replace(**europe_changes)
    return bg.Problem(SPACE, [ukraine, russia, us], observers=[europe])


def same(a: bg.Solution, b: bg.Solution) -> bool:
    return (a.index, a.ties, a.utilities, a.agreement, a.score, a.outcome) == (
        b.index,
        b.ties,
        b.utilities,
        b.agreement,
        b.score,
        b.outcome,
    )


# -- immutability ------------------------------------------------------------------------


def test_issue_9_example_cannot_change_an_answer():
    p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2], [4, 3]], disagreement=[0, 0])
    assert bg.nash(p).utilities == {"P1": 4.0, "P2": 3.0}
    with pytest.raises(bg.ImmutableError, match="cannot change 'disagreement'"):
        p.disagreement = np.array([3.0, 0.0])
    with pytest.raises(ValueError, match="read-only"):
        p.disagreement[0] = 3.0
    moved = p.with_number(("P2", "disagreement"), 2.5)
    assert bg.nash(moved).utilities == {"P1": 1.0, "P2": 5.0}
    assert bg.nash(p).utilities == {"P1": 4.0, "P2": 3.0}


def model_objects():
    problem = talks()
    party = problem.parties[0]
    return [
        (SPACE.issues[0], ["name", "options", "_index"]),
        (bg.Issue.continuous("share", 0, 1), ["name", "low", "high"]),
        (SPACE, ["issues", "continuous_issues", "_sizes"]),
        (party.utility, ["values", "weights"]),
        (party, ["name", "utility", "disagreement", "power", "red_lines", "owns", "discount"]),
        (problem, ["space", "parties", "observers", "tables", "disagreement", "rules"]),
    ]


@pytest.mark.parametrize(("thing", "fields"), model_objects())
def test_no_field_of_the_model_can_be_set_or_deleted(thing, fields):
    for field in [*fields, "new_field"]:
        with pytest.raises(bg.ImmutableError):
            setattr(thing, field, None)
        with pytest.raises(AttributeError):  # ImmutableError is one
            delattr(thing, field)


def test_mappings_and_arrays_reachable_from_a_problem_are_read_only():
    problem = talks()
    party = problem.parties[0]
    changes = [
        lambda: party.utility.values.update(territory=[0, 0, 0]),
        lambda: party.utility.values["us_aid"].__setitem__("continues", 5.0),
        lambda: party.utility.weights.__setitem__("territory", 2.0),
        lambda: party.red_lines[0].__setitem__("us_aid", ("continues",)),
        lambda: party.notes.clear(),
        lambda: party.notes['values.us_aid."aid ends"'].__setitem__("source", "x"),
        lambda: problem.parties[2].owns.pop("us_aid"),
        lambda: problem.notes.setdefault("scenario", {}),
        lambda: problem.value_functions.popitem(),
        lambda: problem.space.issues[0]._index.__delitem__("front line"),
    ]
    for change in changes:
        with pytest.raises(bg.ImmutableError):
            change()
    for array in [*problem.tables, problem.disagreement, problem.powers]:
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0
    for rule in problem.rules:
        for _, mask in rule.clauses:
            assert not mask.flags.writeable
    assert isinstance(problem.tables, tuple)


def _slots(thing: object) -> list[str]:
    return [slot for cls in type(thing).__mro__ for slot in getattr(cls, "__slots__", ())]


@settings(max_examples=30)
@given(problems(max_parties=3), st.data())
def test_no_attempt_to_change_a_problem_changes_an_answer(problem, data):
    before = bg.nash(problem)
    party = data.draw(st.sampled_from(problem.parties))
    issue = data.draw(st.sampled_from(problem.space.issues))
    things = [problem, problem.space, issue, party, party.utility]
    thing = data.draw(st.sampled_from(things))
    field = data.draw(st.sampled_from([*_slots(thing), "anything"]))
    with pytest.raises(bg.ImmutableError):
        setattr(thing, field, data.draw(st.sampled_from([None, 0.0, (), {}])))
    with pytest.raises(bg.ImmutableError):
        delattr(thing, field)
    mapping = data.draw(
        st.sampled_from([party.utility.values, party.utility.weights, party.notes, party.owns])
    )
    with pytest.raises(bg.ImmutableError):
        mapping[issue.name] = 1.0
    array = data.draw(st.sampled_from([t for t in problem.tables if t is not None]))
    with pytest.raises(ValueError, match="read-only"):
        array[...] = 1.0
    assert same(bg.nash(problem), before)


@pytest.mark.parametrize("clone", [pickle.loads, copy.deepcopy])
def test_pickled_and_copied_problems_are_equal_and_still_frozen(clone):
    problem = talks()
    bg.nash(problem)  # fills the compiled cache, which is never shipped
    again = clone(pickle.dumps(problem)) if clone is pickle.loads else clone(problem)
    assert again == problem
    assert again.parties[2].owns == {"us_aid": "aid ends"}
    assert same(bg.nash(again), bg.nash(problem))
    with pytest.raises(bg.ImmutableError):
        again.parties = ()


def test_the_compiled_cache_does_not_ignore_the_memory_budget():
    """Issue 9: the compiled problem was cached whatever memory_budget a call gave."""
    issues = [bg.Issue(f"i{k}", [str(j) for j in range(20)]) for k in range(3)]
    chain = [{"i0": "0", "i1": "0"}, {"i1": "1", "i2": "1"}]  # 8000 linked combinations
    values = {f"i{k}": [j / 19 for j in range(20)] for k in range(3)}
    parties = [
        bg.Party("A", bg.AdditiveUtility(values), red_lines=chain),
        bg.Party("B", bg.AdditiveUtility({k: v[::-1] for k, v in values.items()})),
    ]
    for first in ("small", "default"):
        problem = bg.Problem(bg.OutcomeSpace(issues), parties)
        calls = ["small", "default", "small"] if first == "small" else ["default", "small"]
        for budget in calls:
            if budget == "small":
                with pytest.raises(bg.SolverError, match="raise memory_budget"):
                    bg.nash(problem, memory_budget=2**16)
                with pytest.raises(bg.SolverError, match="raise memory_budget"):
                    bg.utilitarian(problem, memory_budget=2**16)
            else:
                assert bg.nash(problem).agreement


# -- selectors ---------------------------------------------------------------------------


def test_selectors_list_every_number_in_a_stable_order():
    problem = talks()
    selectors = problem.selectors()
    assert selectors[:5] == (
        ("Ukraine", "disagreement"),
        ("Ukraine", "power"),
        ("Ukraine", "weight", "territory"),
        ("Ukraine", "weight", "us_aid"),
        ("Ukraine", "value", "territory", "pre-2022 line"),
    )
    assert len(selectors) == 3 * (2 + 2 + 5)
    assert problem.selectors() == selectors
    with_observers = problem.selectors(observers=True)
    assert with_observers[: len(selectors)] == selectors
    assert ("Europe", "power") not in with_observers
    assert ("Europe", "value", "us_aid", "aid ends") in with_observers
    assert problem.number(("Ukraine", "value", "us_aid", "continues")) == 1.0
    assert problem.number(("Russia", "value", "territory", "four regions")) == 1.0
    assert problem.number(("Europe", "disagreement")) == 0.1


@settings(max_examples=40)
@given(st.data())
def test_with_number_changes_exactly_that_number(data):
    problem = data.draw(problems(max_parties=3))
    selector, value = data.draw(selected_numbers(problem))
    changed = problem.with_number(selector, value)
    assert changed.number(selector) == value
    for other in problem.selectors():
        if other != selector:
            assert changed.number(other) == problem.number(other)
    assert changed.with_number(selector, problem.number(selector)) == problem


@pytest.mark.parametrize(
    ("selector", "value", "error", "fragment"),
    [
        ("Ukraine", 1.0, bg.BargainTypeError, "must be a tuple"),
        (("Ukraine",), 1.0, bg.BargainTypeError, "must be a tuple"),
        (("Ukraine", "utility"), 1.0, bg.UnknownNameError, "has the kind 'utility'"),
        (("Poland", "power"), 1.0, bg.UnknownNameError, "no party 'Poland'"),
        (("Ukraine", "power", "x"), 1.0, bg.ValidationError, "(party, 'power')"),
        (("Ukraine", "weight"), 1.0, bg.ValidationError, "(party, 'weight', issue)"),
        (("Ukraine", "weight", "crimea"), 1.0, bg.UnknownNameError, "no issue 'crimea'"),
        (("Ukraine", "value", "us_aid", "doubled"), 1.0, bg.UnknownNameError, "no option"),
        (("Ukraine", "value", "us_aid"), 1.0, bg.ValidationError, "(party, 'value', issue"),
        (("Ukraine", "power"), -1.0, bg.ValidationError, "must be >= 0"),
        (("Ukraine", "weight", "us_aid"), -0.5, bg.ValidationError, "must be >= 0"),
        (("Ukraine", "disagreement"), float("nan"), bg.ValidationError, "must be finite"),
        (("Ukraine", "value", "us_aid", "continues"), "high", bg.BargainTypeError, "real number"),
        (("Europe", "power"), 2.0, bg.ValidationError, "observer, whose power is unused"),
    ],
)
def test_a_bad_selector_or_value_names_the_selector_and_the_rule(selector, value, error, fragment):
    with pytest.raises(error) as caught:
        talks().with_number(selector, value)
    assert fragment in str(caught.value)
    assert repr(selector) in str(caught.value)


def test_a_continuous_issue_has_weights_but_no_value_selectors():
    share = bg.Issue.continuous("share", 0.0, 1.0)
    parties = [
        bg.Party("A", bg.AdditiveUtility({"share": bg.shapes.linear(1.0)})),
        bg.Party("B", bg.AdditiveUtility({"share": bg.shapes.linear(-1.0, 1.0)})),
    ]
    problem = bg.Problem(bg.OutcomeSpace([share]), parties)
    assert problem.selectors() == (
        ("A", "disagreement"),
        ("A", "power"),
        ("A", "weight", "share"),
        ("B", "disagreement"),
        ("B", "power"),
        ("B", "weight", "share"),
    )
    assert problem.with_number(("A", "weight", "share"), 2.0).number(("A", "weight", "share")) == 2
    with pytest.raises(bg.ValidationError, match="continuous, so it has no option values"):
        problem.number(("A", "value", "share", "0.5"))


# -- parties leave, issues are settled, options dropped -----------------------------------


def test_without_an_unknown_party_is_an_error():
    """Issue 9's surviving mutant: without() silently ignoring an unknown name."""
    problem = talks()
    with pytest.raises(bg.UnknownNameError, match="no party 'Poland'"):
        problem.without("Poland")
    with pytest.raises(bg.UnknownNameError, match="no party 'Poland'"):
        problem.without("Russia", "Poland")


def test_a_leaving_party_takes_its_issues_to_their_stated_default():
    problem = talks()
    left = problem.without("United States")
    assert left.party_names == ("Ukraine", "Russia")
    assert left.observer_names == ("Europe",)
    assert left.space.issue("us_aid").options == ("aid ends",)
    assert left.space.issue("territory") == problem.space.issue("territory")
    # values of the default kept, in the form they were given
    assert left.parties[0].utility.values["us_aid"] == {"aid ends": 0.0}
    assert left.parties[1].utility.values["us_aid"] == (1.0,)
    # Russia's red line needed "continues": it can no longer be crossed, and its note goes too
    assert left.parties[1].red_lines == ()
    assert left.parties[1].notes == {}
    assert left.parties[0].notes == problem.parties[0].notes
    for solution in (bg.nash(left), bg.utilitarian(left)):
        assert solution.outcome["us_aid"] == "aid ends"
    # equal to doing the two steps by hand
    by_hand = problem.settle("us_aid", "aid ends")
    assert left == bg.Problem(by_hand.space, by_hand.parties[:2], observers=by_hand.observers)
    # an observer may leave too
    assert left.without("Europe").observers == ()


def test_settle_keeps_the_issue_with_one_option_and_translates_red_lines():
    problem = talks()
    settled = problem.settle("territory", "pre-2022 line")
    assert settled.space.issue("territory").options == ("pre-2022 line",)
    assert settled.space.size == 2
    # Ukraine's red line forbade only "four regions": it can no longer be crossed
    assert settled.parties[0].red_lines == ()
    # Russia's clause on territory always holds now: the red line stays, translated
    assert settled.parties[1].red_lines == (
        {"territory": ("pre-2022 line",), "us_aid": ("continues",)},
    )
    assert settled.parties[1].notes == {"red_lines[0]": {"rationale": "no rollback with aid"}}
    assert not settled.allowed(0) and settled.allowed(1)
    for index in range(settled.space.size):
        outcome = settled.space.outcome(index)
        assert np.array_equal(
            settled.utilities(index), problem.utilities(problem.space.index(outcome))
        )
    solution = bg.nash(settled)
    assert solution.outcome == {"territory": "pre-2022 line", "us_aid": "aid ends"}
    # settling elsewhere than the owner's default drops the ownership (nothing to collapse to)
    assert problem.settle("us_aid", "continues").parties[2].owns == {}
    assert problem.settle("us_aid", "aid ends").parties[2].owns == {"us_aid": "aid ends"}


def test_drop_option_carries_values_notes_red_lines_and_ownership():
    problem = talks()
    dropped = problem.drop_option("territory", "four regions")
    assert dropped.space.issue("territory").options == ("pre-2022 line", "front line")
    assert dropped.parties[0].red_lines == ()
    assert dropped.parties[1].red_lines == problem.parties[1].red_lines
    assert dropped.parties[2].owns == {"us_aid": "aid ends"}
    assert dropped.parties[0].notes == problem.parties[0].notes
    assert dropped.parties[1].utility.values["territory"] == (0.0, 0.6)
    lost = problem.drop_option("us_aid", "continues").parties[0]
    assert lost.notes == problem.parties[0].notes  # the note was on the kept option
    with pytest.raises(bg.ValidationError, match="owner 'United States'"):
        problem.drop_option("us_aid", "aid ends")
    last = problem.settle("territory", "front line")
    with pytest.raises(bg.ValidationError, match="last option of issue 'territory'"):
        last.drop_option("territory", "front line")
    with pytest.raises(bg.UnknownNameError, match="no option 'crimea'"):
        problem.drop_option("territory", "crimea")
    with pytest.raises(bg.UnknownNameError, match="no issue 'crimea'"):
        problem.settle("crimea", "x")


def test_what_ifs_keep_notes_observers_and_scenario_files_working():
    problem = talks()
    for changed in (
        problem.without("United States"),
        problem.drop_option("us_aid", "continues"),
        problem.settle("territory", "front line"),
        problem.with_number(("Europe", "weight", "us_aid"), 0.5),
    ):
        assert changed.observers and changed.notes == problem.notes
        assert bg.io.loads(bg.io.dumps(changed)) == changed


# -- ownership, discount, observers --------------------------------------------------------


@pytest.mark.parametrize(
    ("owns", "error", "fragment"),
    [
        ({"crimea": "x"}, bg.UnknownNameError, "owns['crimea'] names an issue"),
        ({"us_aid": "doubled"}, bg.UnknownNameError, "is 'doubled', which issue 'us_aid'"),
        ({"us_aid": 3}, bg.BargainTypeError, "collapses to"),
        ("us_aid", bg.BargainTypeError, "must be a mapping"),
    ],
)
def test_ownership_is_checked_against_the_space(owns, error, fragment):
    with pytest.raises(error, match=None) as caught:
        talks().replace_party("Ukraine", owns=owns)
    assert fragment in str(caught.value)


def test_an_issue_has_one_owner_and_a_continuous_issue_none():
    with pytest.raises(bg.ValidationError, match="already owned by 'United States'"):
        talks().replace_party("Europe", owns={"us_aid": "continues"})
    share = bg.Issue.continuous("share", 0.0, 1.0)
    utility = bg.AdditiveUtility({"share": bg.shapes.linear(1.0)})
    with pytest.raises(bg.ValidationError, match="is continuous"):
        bg.Problem(bg.OutcomeSpace([share]), [bg.Party("A", utility, owns={"share": "0"})])


@pytest.mark.parametrize("discount", [0.0, -0.5, 1.5, float("nan")])
def test_discount_is_in_the_half_open_unit_interval(discount):
    with pytest.raises(bg.ValidationError, match="discount"):
        talks().replace_party("Ukraine", discount=discount)


def test_discount_and_ownership_count_in_equality_and_round_trip():
    problem = talks()
    assert problem.parties[2].discount == 0.9 and problem.parties[0].discount == 1.0
    assert problem.replace_party("Ukraine", discount=0.5) != problem
    assert problem.replace_party("Ukraine", owns={"territory": "front line"}) != problem
    text = bg.io.dumps(problem)
    assert "discount = 0.9" in text and 'owns = { us_aid = "aid ends" }' in text
    assert "[[observers]]" in text
    again = bg.io.loads(text)
    assert again == problem
    assert again.parties[2].discount == 0.9 and again.parties[2].owns == {"us_aid": "aid ends"}


def test_observers_are_reported_but_never_bargain():
    with_europe = talks()
    alone = bg.Problem(with_europe.space, with_europe.parties)
    for name, concept in bg.CONCEPTS.items():
        seen, unseen = concept(with_europe), concept(alone)
        assert same(seen, unseen), name
        europe = seen.observer_utilities["Europe"]
        expected = with_europe.observers[0].utility.evaluate(with_europe.space, seen.index)
        assert europe == expected
        assert unseen.observer_utilities == {}
    # an observer whose every package is worse than no deal changes nothing either
    sulking = talks(disagreement=5.0)
    assert same(bg.nash(sulking), bg.nash(alone))
    assert "Europe" in str(bg.nash(sulking)) and "no veto" in str(bg.nash(sulking))


def test_observer_utilities_without_agreement_and_for_lotteries():
    problem = talks().with_number(("Russia", "disagreement"), 9.0)
    assert not bg.nash(problem).agreement
    assert bg.nash(problem).observer_utilities == {"Europe": 0.1}
    pie = bg.Problem.from_utilities([[1, 0], [0, 1]])
    watcher = bg.Party("W", bg.AdditiveUtility({"alternative": [2.0, 4.0]}))
    lottery = bg.nash(bg.Problem(pie.space, pie.parties, observers=[watcher]), lotteries=True)
    assert lottery.lottery is not None
    expected = sum(p * [2.0, 4.0][i] for i, p in lottery.lottery)
    assert lottery.observer_utilities["W"] == pytest.approx(expected)


def test_an_observer_with_red_lines_is_an_error():
    problem = talks()
    vetoing = problem.observers[0].replace(red_lines=[{"us_aid": "aid ends"}])
    with pytest.raises(bg.ValidationError, match="observer 'Europe' has red lines"):
        bg.Problem(problem.space, problem.parties, observers=[vetoing])
    text = bg.io.dumps(problem).replace(
        'name = "Europe"', 'name = "Europe"\nred_lines = [{ forbid = { us_aid = "aid ends" } }]'
    )
    with pytest.raises(bg.ScenarioFileError, match=r"observers\[0\].red_lines"):
        bg.io.loads(text)


def test_observers_count_in_equality():
    problem = talks()
    assert problem == talks()
    assert problem != bg.Problem(problem.space, problem.parties)
    assert problem != talks(disagreement=0.5)
    assert problem != problem.with_number(("Europe", "value", "us_aid", "aid ends"), 0.5)


def test_party_and_observer_names_are_unique_together():
    problem = talks()
    twin = problem.observers[0].replace(name="Russia")
    with pytest.raises(bg.DuplicateNameError, match="'Russia'"):
        bg.Problem(problem.space, problem.parties, observers=[twin])
    text = bg.io.dumps(problem).replace('name = "Europe"', 'name = "Russia"')
    with pytest.raises(bg.ScenarioFileError, match=r"observers\[0\].name: duplicate name"):
        bg.io.loads(text)


# -- solving, changing, solving again ----------------------------------------------------


@settings(max_examples=25)
@given(st.data())
def test_solve_what_if_solve_equals_solving_fresh(data):
    problem = data.draw(problems(max_parties=3))
    description, what_if = data.draw(what_ifs(problem))
    before = {name: concept(problem) for name, concept in bg.CONCEPTS.items()}
    bg.pareto_frontier(problem)
    changed = what_if(problem)
    fresh = bg.io.loads(bg.io.dumps(changed))  # rebuilt from scratch: no shared cache
    assert fresh == changed, description
    for name, concept in bg.CONCEPTS.items():
        assert same(concept(changed), concept(fresh)), (description, name)
        assert same(concept(problem), before[name]), (description, name)
    assert np.array_equal(bg.pareto_frontier(changed).indices, bg.pareto_frontier(fresh).indices)


# -- one way to ask what kind an issue is and how it scores ------------------------------


def test_issues_say_their_kind_and_problems_score_any_choice():
    share = bg.Issue.continuous("share", 0.0, 10.0)
    nato = bg.Issue("nato", ["in", "out"])
    assert (share.kind, share.is_continuous) == ("continuous", True)
    assert (nato.kind, nato.is_continuous) == ("discrete", False)
    parties = [
        bg.Party("A", bg.AdditiveUtility({"share": bg.shapes.linear(0.1), "nato": [1, 0]})),
        bg.Party(
            "B",
            bg.AdditiveUtility(
                {"share": bg.shapes.linear(-0.1, 1.0), "nato": [0, 1]}, {"share": 2, "nato": 1}
            ),
        ),
    ]
    problem = bg.Problem(bg.OutcomeSpace([share, nato]), parties)
    assert problem.contribution("share", 2.5).tolist() == [0.25, 1.5]
    assert problem.contribution(1, "out").tolist() == [0.0, 1.0]
    assert problem.contribution("nato", 0).tolist() == [1.0, 0.0]
    assert problem.utilities_at({"share": 2.5, "nato": "out"}).tolist() == [0.25, 2.5]
    with pytest.raises(bg.OutOfRangeError, match=r"outside issue 'share'"):
        problem.contribution("share", 11.0)
    with pytest.raises(bg.OutOfRangeError, match=r"'nato' option 2 is out of range 0..1"):
        problem.contribution("nato", 2)
    with pytest.raises(bg.OutOfRangeError, match="issue position 2 is out of range"):
        problem.contribution(2, 0)
    with pytest.raises(bg.UnknownNameError, match="no option 'maybe'"):
        problem.utilities_at({"share": 1.0, "nato": "maybe"})
    with pytest.raises(bg.ValidationError, match=r"issue\(s\) \['nato'\]"):
        problem.utilities_at({"share": 1.0})
    solution = bg.nash(problem)
    assert list(solution.utilities.values()) == pytest.approx(
        problem.utilities_at(solution.outcome).tolist()
    )


def test_a_chain_shows_the_package_it_starts_from_and_is_plain_data():
    p = bg.Problem.from_utilities([[4, 1], [3, 2.5], [1, 4]], names=["A", "B"])
    leaves = ("B's no-deal value rises to 5", lambda q: q.replace_party("B", disagreement=5.0))
    chain = bg.whatif_chain(p, [leaves])
    text = str(chain).splitlines()
    assert text[2:4] == ["0. start", "     alternative: 1"]
    assert "     alternative: 1 -> no deal" in text  # then no package is rational for B
    data = chain.to_dict()
    assert [step["index"] for step in data["steps"]] == [1, None]
    assert data["steps"][1]["package"] == {}
    assert data["steps"][1]["moved"] == {"alternative": ["1", "no deal"]}
    assert json.loads(json.dumps(data)) == data
    empty = bg.whatif_chain(p.replace_party("B", disagreement=5.0), [])
    assert str(empty).splitlines()[2:4] == ["0. start", "     package: no deal"]


@settings(max_examples=30)
@given(problems(max_parties=3), st.sampled_from(sorted(bg.CONCEPTS)), st.data())
def test_each_step_of_a_chain_starts_from_the_package_before_it(problem, concept, data):
    """A step's solve starts from the previous step's package where its index means the same
    package (the space unchanged, a deal), and answers as the step solved alone."""
    steps, current = [], problem
    for _ in range(data.draw(st.integers(1, 3))):
        step = data.draw(what_ifs(current))
        steps.append(step)
        current = step[1](current)
    calls = []

    def recorded(problem, concept, **options):
        calls.append(options)
        return bg.solve(problem, concept, **options)

    with mock.patch("bargain.whatif.solve", recorded):
        chain = bg.whatif_chain(problem, steps, concept)
    assert calls[0] == {}
    for before, after, options in zip(chain.steps, chain.steps[1:], calls[1:]):
        same_space = after.problem.space == before.problem.space
        discrete = not after.problem.space.continuous_issues
        if before.solution.agreement and same_space and discrete:
            assert options == {"start": before.solution.index}
        else:
            assert options == {}
        alone = bg.solve(after.problem, concept)
        assert after.solution.agreement == alone.agreement
        if alone.agreement:
            assert after.solution.score == pytest.approx(alone.score, abs=1e-9)
            assert after.solution.ties == alone.ties


def _pie() -> bg.Problem:
    return bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])


RISE = ("B's no-deal value rises to 2", lambda q: q.replace_party("B", disagreement=2.0))
STEPS_RULE = (
    "whatif_chain: steps must be a list or tuple of (description, function) pairs such as "
    "('B leaves', lambda p: p.without('B')) (an ordered sequence)"
)


@pytest.mark.parametrize(
    ("steps", "error", "words"),
    [
        (None, bg.BargainTypeError, f"{STEPS_RULE}, got None"),
        (3, bg.BargainTypeError, f"{STEPS_RULE}, got 3"),
        ("ab", bg.BargainTypeError, f"{STEPS_RULE}, got 'ab'"),
        ({"rise": RISE[1]}, bg.BargainTypeError, f"{STEPS_RULE}, got {{'rise': "),
        ({RISE}, bg.BargainTypeError, f"{STEPS_RULE}, got the set"),  # (once run in any order)
        ([RISE, ["drop", RISE[1]]], bg.BargainTypeError, "steps[1] must be a pair"),
        ([RISE, ("rise", 2.0)], bg.BargainTypeError, "steps[1] must be a pair"),
        ([RISE, (None, RISE[1])], bg.BargainTypeError, "steps[1]'s description must be a str"),
        ([RISE, ("  ", RISE[1])], bg.ValidationError, "steps[1]'s description must be a non"),
    ],
)
def test_bad_steps_are_clear_errors_before_any_solve(steps, error, words):
    """``whatif_chain(p, None)`` once raised "'NoneType' object is not iterable", and a bad
    step was found only after solving the steps before it."""
    with mock.patch("bargain.whatif.solve") as solve, pytest.raises(error) as caught:
        bg.whatif_chain(_pie(), steps)
    assert words in str(caught.value)
    solve.assert_not_called()


def test_unknown_options_and_concepts_are_refused_at_the_boundary():
    """``whatif_chain(p, [], foo=1)`` once raised "nash() got an unexpected keyword argument"."""
    with pytest.raises(bg.UnknownNameError) as caught:
        bg.whatif_chain(_pie(), [RISE], foo=1)
    assert "whatif_chain: unknown option 'foo' for concept 'nash'" in str(caught.value)
    assert "'tie_tol'" in str(caught.value)
    with pytest.raises(bg.UnknownNameError, match="unknown option 'weights' for concept 'nash'"):
        bg.whatif_chain(_pie(), [], weights=[1.0, 1.0])
    chain = bg.whatif_chain(_pie(), [RISE], "egalitarian", weights=[1.0, 2.0], tie_tol=1e-9)
    assert [step.change for step in chain.steps] == ["start", RISE[0]]
    for concept, error in ((None, bg.BargainTypeError), ("best", bg.UnknownNameError)):
        with pytest.raises(error, match=r"^whatif_chain: "):
            bg.whatif_chain(_pie(), [], concept)
