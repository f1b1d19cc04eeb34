"""The model: issues, spaces, utilities, parties and problems, and every input mistake."""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg

from .strategies import spaces


def test_space_numbering_is_row_major_first_issue_slowest():
    territory = bg.Issue(
        "territory", ["1991 borders", "pre-2022 line", "current front line", "four oblasts"]
    )
    nato = bg.Issue("nato", ["membership path", "postponed", "permanent neutrality"])
    space = bg.OutcomeSpace([territory, nato])
    assert len(space) == 12
    assert space.outcome(5) == {"territory": "pre-2022 line", "nato": "permanent neutrality"}
    assert space.index({"territory": "current front line", "nato": "postponed"}) == 7


@given(spaces(max_issues=70, max_options=12), st.data())
def test_exact_indices_decode_in_limbs_as_one_by_one(space, data):
    """Object arrays of Python ints (any space, 10^70 packages here) decode in int64 limbs
    to the positions :meth:`options_of` gives one at a time, the first and last included;
    ``utilities_of`` takes them bit for bit as :meth:`utilities`."""
    drawn = data.draw(st.lists(st.integers(0, space.size - 1), max_size=20))
    exact = np.array([0, space.size - 1, *drawn], dtype=object)
    positions = space.decode(space.check_indices(exact, "test"))
    assert [tuple(row) for row in positions.tolist()] == [space.options_of(i) for i in exact]
    values = {issue.name: [k / len(issue) for k in range(len(issue))] for issue in space.issues}
    problem = bg.Problem(space, [bg.Party("A", bg.AdditiveUtility(values=values))])
    assert problem.utilities_of(exact).tolist() == [problem.utilities(i).tolist() for i in exact]
    assert problem.utilities_of([]).shape == (0, 1)


@pytest.mark.parametrize(
    ("indices", "error", "message"),
    [
        (
            [-1],
            bg.OutOfRangeError,
            "utilities_of: package index -1 is out of range; the space has 12",
        ),
        (np.array([3, 12]), bg.OutOfRangeError, "package index 12 is out of range"),
        ([1.5], bg.BargainTypeError, "package indices must be integers, got 1.5"),
        (np.array([True]), bg.BargainTypeError, "indices must be integers, got True"),
        (np.array([2, None], dtype=object), bg.BargainTypeError, "integers, got None"),
        ([[1, 2]], bg.ValidationError, r"indices must be one-dimensional .* got shape \(1, 2\)"),
    ],
)
def test_utilities_of_names_a_bad_index(indices, error, message):
    """Indices out of range or not integers once gave a wrong answer (-1 and 12 wrapped
    around to other packages, 1.5 was truncated)."""
    space = bg.OutcomeSpace([bg.Issue("a", ["x", "y", "z"]), bg.Issue("b", list("pqrs"))])
    utility = bg.AdditiveUtility(values={"a": [0.0, 0.5, 1.0], "b": [0.0, 0.1, 0.2, 0.3]})
    problem = bg.Problem(space, [bg.Party("A", utility)])
    with pytest.raises(error, match=message):
        problem.utilities_of(indices)
    assert problem.utilities_of([]).shape == (0, 1)


@given(spaces(max_issues=4, max_options=5), st.data())
def test_index_and_outcome_are_inverse(space, data):
    index = data.draw(st.integers(0, space.size - 1))
    assert space.index(space.outcome(index)) == index
    assert space.index_of(space.options_of(index)) == index
    assert tuple(space.decode(np.array([index]))[0]) == space.options_of(index)
    assert index == int(np.ravel_multi_index(space.options_of(index), space.sizes))


def test_huge_spaces_are_never_materialized():
    space = bg.OutcomeSpace([bg.Issue(f"i{k}", [str(j) for j in range(10)]) for k in range(30)])
    assert space.size == 10**30
    assert space.outcome(10**30 - 1) == {f"i{k}": "9" for k in range(30)}


def test_additive_utility_is_the_weighted_sum_of_values():
    space = bg.OutcomeSpace([bg.Issue("a", ["x", "y"]), bg.Issue("b", ["p", "q", "r"])])
    utility = bg.AdditiveUtility(
        values={"a": {"y": 1.0, "x": 0.25}, "b": [0.0, 0.5, 1.0]}, weights={"a": 2.0, "b": 3.0}
    )
    problem = bg.Problem(space, [bg.Party("A", utility)])
    for index in range(space.size):
        a, b = space.options_of(index)
        expected = 2.0 * [0.25, 1.0][a] + 3.0 * [0.0, 0.5, 1.0][b]
        assert problem.utilities(index)[0] == expected
    assert utility.weights == {"a": 2.0, "b": 3.0}  # never normalized


def test_problem_keeps_the_party_order_and_fields():
    p = bg.Problem.from_utilities(
        [[1, 2, 3]], disagreement=[0.5, 0, 0], powers=[2, 1, 1], names=["x", "y", "z"]
    )
    assert p.party_names == ("x", "y", "z")
    assert p.disagreement.tolist() == [0.5, 0, 0]
    assert p.powers.tolist() == [2, 1, 1]
    assert p.without("y").party_names == ("x", "z")
    assert p == bg.Problem.from_utilities(
        [[1, 2, 3]], disagreement=[0.5, 0, 0], powers=[2, 1, 1], names=["x", "y", "z"]
    )


SPACE = bg.OutcomeSpace([bg.Issue("nato", ["in", "out"]), bg.Issue("land", ["a", "b", "c"])])
GOOD_VALUES = {"nato": [1.0, 0.0], "land": [0.0, 0.5, 1.0]}


def party(**changes):
    fields = {"name": "A", "utility": bg.AdditiveUtility(GOOD_VALUES)}
    fields.update(changes)
    return bg.Party(**fields)


@pytest.mark.parametrize(
    ("build", "error", "fragment"),
    [
        (lambda: bg.Issue("", ["a"]), bg.ValidationError, "Issue name must be a non-empty"),
        (lambda: bg.Issue("x", []), bg.ValidationError, "Issue 'x': options is empty"),
        (lambda: bg.Issue("x", "ab"), bg.BargainTypeError, "options must be a list"),
        (lambda: bg.Issue("x", ["a", "a"]), bg.DuplicateNameError, "duplicate option label 'a'"),
        (lambda: bg.OutcomeSpace([]), bg.ValidationError, "issues is empty"),
        (
            lambda: bg.OutcomeSpace([bg.Issue("x", ["a"]), bg.Issue("x", ["b"])]),
            bg.DuplicateNameError,
            "duplicate issue name 'x'",
        ),
        (lambda: SPACE.outcome(6), bg.OutOfRangeError, "package index 6 is out of range"),
        (lambda: SPACE.index({"nato": "in"}), bg.ValidationError, "issue(s) ['land']"),
        (
            lambda: SPACE.index({"nato": "maybe", "land": "a"}),
            bg.UnknownNameError,
            "no option 'maybe'",
        ),
        (lambda: SPACE.index({"moon": "a"}), bg.UnknownNameError, "no issue 'moon'"),
        (
            lambda: bg.AdditiveUtility({"nato": [1.0, math.nan]}),
            bg.ValidationError,
            "values['nato'][1] is nan",
        ),
        (
            lambda: bg.AdditiveUtility({"nato": [1.0, math.inf]}),
            bg.ValidationError,
            "must be finite",
        ),
        (
            lambda: bg.AdditiveUtility({"nato": [1, 0]}, weights={"nato": -1}),
            bg.ValidationError,
            "weights['nato'] must be >= 0, got -1.0",
        ),
        (
            lambda: bg.AdditiveUtility({"nato": [1, 0]}, weights={"land": 1}),
            bg.UnknownNameError,
            "weights names 'land', not one of the issues with values",
        ),
        (lambda: party(power=-0.5), bg.ValidationError, "Party 'A': power must be >= 0"),
        (lambda: party(power=math.nan), bg.ValidationError, "power must be finite"),
        (lambda: party(disagreement=math.inf), bg.ValidationError, "disagreement must be finite"),
        (lambda: party(disagreement="low"), bg.BargainTypeError, "disagreement must be a real"),
        (lambda: party(red_lines=[{}]), bg.ValidationError, "red_lines[0] is empty"),
        (lambda: party(red_lines=[{"nato": []}]), bg.ValidationError, "lists no option"),
        (
            lambda: bg.Problem(SPACE, [party(red_lines=[{"nato": "maybe"}])]),
            bg.UnknownNameError,
            "red_lines[0]['nato'] names option 'maybe'",
        ),
        (
            lambda: bg.Problem(SPACE, [party(red_lines=[{"moon": "a"}])]),
            bg.UnknownNameError,
            "names issue 'moon'",
        ),
        (
            lambda: bg.Problem(SPACE, [party(utility=bg.AdditiveUtility({"nato": [1, 0]}))]),
            bg.ValidationError,
            "Party 'A': values has no entry for issue 'land'",
        ),
        (
            lambda: bg.Problem(
                SPACE, [party(utility=bg.AdditiveUtility({**GOOD_VALUES, "nato": [1, 0, 0]}))]
            ),
            bg.ValidationError,
            "values['nato'] has 3 entries, but issue 'nato' has 2 options",
        ),
        (
            lambda: bg.Problem(
                SPACE, [party(utility=bg.AdditiveUtility({**GOOD_VALUES, "moon": [1]}))]
            ),
            bg.UnknownNameError,
            "values['moon'] names an issue the space does not have",
        ),
        (
            lambda: bg.Problem(
                SPACE, [party(utility=bg.AdditiveUtility({**GOOD_VALUES, "nato": {"in": 1}}))]
            ),
            bg.ValidationError,
            "has no value for option 'out'",
        ),
        (lambda: bg.Problem(SPACE, [party(), party()]), bg.DuplicateNameError, "party name 'A'"),
        (lambda: bg.Problem(SPACE, []), bg.ValidationError, "parties is empty"),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], disagreement=[0]),
            bg.ValidationError,
            "disagreement has 1 entries, but 2 are required",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, math.nan]]),
            bg.ValidationError,
            "utilities[:, 1][0] is nan",
        ),
        # an unordered collection has no fixed order (a set's follows PYTHONHASHSEED), and
        # positions are taken from the order: values lists once lined up with another order
        (lambda: bg.Issue("x", {"low", "mid", "high"}), bg.BargainTypeError, "got the set"),
        (lambda: bg.Issue("x", frozenset({"a"})), bg.BargainTypeError, "order is not fixed"),
        (lambda: bg.Issue("x", {"a": 0}), bg.BargainTypeError, "options must be a list or tuple"),
        (
            lambda: bg.OutcomeSpace({bg.Issue("x", ["a"]), bg.Issue("y", ["b"])}),
            bg.BargainTypeError,
            "OutcomeSpace: issues must be a list or tuple of bargain.Issue",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], names={"Ann", "Bob"}),
            bg.BargainTypeError,
            "from_utilities: names must be a list or tuple of party names",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2], [2, 1]], labels={"x", "y"}),
            bg.BargainTypeError,
            "from_utilities: labels must be a list or tuple of labels",
        ),
        # booleans (and None) are not numbers, in a table as in a single number
        (
            lambda: bg.AdditiveUtility({"nato": [True, False]}),
            bg.BargainTypeError,
            "values['nato'][0] is True; values must be numbers (not booleans or None)",
        ),
        (
            lambda: bg.AdditiveUtility({"nato": [1.0, False]}),
            bg.BargainTypeError,
            "values['nato'][1] is False",
        ),
        (
            lambda: bg.AdditiveUtility({"nato": [1.0, None]}),  # (numpy would make it NaN)
            bg.BargainTypeError,
            "values['nato'][1] is None; values must be numbers",
        ),
        (
            lambda: bg.AdditiveUtility({"nato": np.array([True, False])}),
            bg.BargainTypeError,
            "values['nato'][0] is True",
        ),
        (
            lambda: bg.AdditiveUtility(
                GOOD_VALUES, interactions={("nato", "land"): [[0, 0, 0], [0, True, 0]]}
            ),
            bg.BargainTypeError,
            "interactions[('nato', 'land')][1, 1] is True",
        ),
        (
            lambda: bg.Problem.from_utilities([[1.0, True]]),
            bg.BargainTypeError,
            "from_utilities: utilities[0, 1] is True",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], disagreement=[False, 0.0]),
            bg.BargainTypeError,
            "from_utilities: disagreement[0] is False",
        ),
        # wrong types reported as bargain errors naming the argument, never from deep inside
        (lambda: bg.OutcomeSpace(None), bg.BargainTypeError, "OutcomeSpace: issues must be"),
        (lambda: bg.OutcomeSpace(3), bg.BargainTypeError, "got 3"),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], names=7),
            bg.BargainTypeError,
            "from_utilities: names must be",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], names="AB"),
            bg.BargainTypeError,
            "names must be a list or tuple of party names (an ordered sequence), got 'AB'",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], labels=7),
            bg.BargainTypeError,
            "from_utilities: labels must be",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2]], names=["Ann", 2]),
            bg.BargainTypeError,
            "from_utilities: names[1] must be a string, got 2",
        ),
        (
            lambda: party(red_lines=[{"nato": 1}]),
            bg.BargainTypeError,
            "red_lines[0]['nato'] must be an option label or a list of them",
        ),
        (
            lambda: party(red_lines={"nato": None}),
            bg.BargainTypeError,
            "red_lines[0]['nato'] must be an option label",
        ),
        # the argument at fault is named, not the party built from it
        (
            lambda: bg.Problem.from_utilities([[1, 2], [2, 1]], labels=["x"]),
            bg.ValidationError,
            "from_utilities: labels has 1 entries, but utilities has 2 rows",
        ),
        (
            lambda: bg.Problem.from_utilities([[1, 2], [2, 1]], labels=["x", "x"]),
            bg.DuplicateNameError,
            "from_utilities: labels has the duplicate label 'x'",
        ),
        (
            lambda: bg.nash("problem"),
            bg.BargainTypeError,
            "nash: problem must be a bargain.Problem",
        ),
        (
            lambda: bg.nash(bg.Problem.from_utilities([[1, 2]]), tie_tol=-1),
            bg.ValidationError,
            "nash: tie_tol must be >= 0",
        ),
        (
            lambda: bg.nash(bg.Problem.from_utilities([[1, 2]]), max_ties=0),
            bg.ValidationError,
            "nash: max_ties must be >= 1",
        ),
    ],
)
def test_every_mistake_gets_a_clear_bargain_error(build, error, fragment):
    with pytest.raises(error) as caught:
        build()
    assert isinstance(caught.value, bg.BargainError)
    assert fragment in str(caught.value)


def test_a_dict_view_is_an_ordered_sequence():
    """A dict keeps its insertion order, so its views are taken in that order (a set, whose
    order follows PYTHONHASHSEED, is refused above)."""
    labels = {"high": 2, "low": 0, "mid": 1}
    assert bg.Issue("x", labels.keys()).options == ("high", "low", "mid")
    assert bg.Issue("x", labels.keys()) == bg.Issue("x", list(labels))


def test_equal_problems_have_the_same_value_functions_and_weights():
    """Continuous issues' value functions and their weights once went uncompared: a
    problem with sqrt and one with 5 * x (Nash at shares 1/3 and 1/2) were equal."""
    space = bg.OutcomeSpace([bg.Issue.continuous("share", 0.0, 1.0)])
    b = bg.Party("B", bg.AdditiveUtility({"share": bg.shapes.linear(-1.0, 1.0)}))

    def problem(function, weight=1.0):
        utility = bg.AdditiveUtility({"share": function}, {"share": weight})
        return bg.Problem(space, [bg.Party("A", utility), b])

    identity = lambda x: x  # noqa: E731
    assert problem(np.sqrt) != problem(identity, 5.0)
    assert problem(identity) != problem(identity, 5.0)
    assert problem(identity) == problem(identity)  # the same callable
    assert problem(identity) != problem(lambda x: x)  # another callable: not known equal
    # shapes compare by value (and hash as they compare)
    assert bg.shapes.power(0.5) == bg.shapes.power(0.5)
    assert hash(bg.shapes.power(0.5)) == hash(bg.shapes.power(0.5))
    assert problem(bg.shapes.power(0.5)) == problem(bg.shapes.power(0.5))
    assert problem(bg.shapes.power(0.5)) != problem(bg.shapes.power(0.6))
    assert problem(bg.shapes.power(0.5)) != problem(bg.shapes.power(0.5), 2.0)
    a = bg.Party("A", bg.AdditiveUtility({"share": np.sqrt}))
    assert a != a.replace(utility=bg.AdditiveUtility({"share": identity}, {"share": 5.0}))
    assert a.utility != bg.AdditiveUtility({"share": np.sqrt}, {"share": 5.0})
    assert a.utility == bg.AdditiveUtility({"share": np.sqrt})


def test_results_are_immutable_plain_floats():
    """A solution's mappings were plain dicts (changing one changed later gains and str),
    its gains np.float64, and a frontier's arrays writable."""
    problem = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]], disagreement=[1, 0])
    europe = bg.Party("Europe", bg.AdditiveUtility({"alternative": [0, 1, 5]}))
    problem = bg.Problem(problem.space, problem.parties, observers=[europe])
    solution = bg.nash(problem)
    text = str(solution)
    mappings = [
        solution.utilities,
        solution.outcome,
        solution.gains,
        solution.observer_utilities,
        solution.stats,
    ]
    for mapping in mappings:
        with pytest.raises(bg.ImmutableError):
            mapping[next(iter(mapping))] = 0.0
        with pytest.raises(bg.ImmutableError):
            mapping.update({})
    assert str(solution) == text
    assert repr(solution.gains) == "{'P1': 4.0, 'P2': 1.0}"
    for mapping in (solution.utilities, solution.gains, solution.observer_utilities):
        assert all(type(value) is float for value in mapping.values())
    assert json.loads(json.dumps({"outcome": solution.outcome, "gains": solution.gains})) == {
        "outcome": {"alternative": "0"},
        "gains": {"P1": 4.0, "P2": 1.0},
    }
    assert pickle.loads(pickle.dumps(solution)).utilities == solution.utilities
    front = bg.pareto_frontier(problem)
    for array in (front.indices, front.utilities):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_every_table_of_a_solution_lines_up_with_its_header():
    """The party table's header was misaligned for names shorter than "party"."""
    problem = bg.Problem.from_utilities([[5, 1], [1, 5]], names=["P1", "Ukraine and allies"])
    europe = bg.Party("EU", bg.AdditiveUtility({"alternative": [0, 1]}), disagreement=0.5)
    problem = bg.Problem(problem.space, problem.parties, observers=[europe])
    assert str(bg.nash(problem)).splitlines()[3:] == [
        "  party               utility     gain",
        "  P1                   5.0000   5.0000",
        "  Ukraine and allies   1.0000   1.0000",
        "  observer  utility     gain  (no veto, not bargaining)",
        "  EU         0.0000  -0.5000",
    ]
    short = str(bg.nash(bg.Problem.from_utilities([[2, 1]]))).splitlines()
    assert short[-3:] == [
        "  party  utility     gain",
        "  P1      2.0000   2.0000",
        "  P2      1.0000   1.0000",
    ]
